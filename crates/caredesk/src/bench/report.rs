//! The figures of a benchmark and how they are reported: each run measures every figure, the
//! report keeps each figure's median over the runs next to its target, and is written as JSON
//! (one object per figure, with the machine) and as a markdown table.

use std::path::Path;

use anyhow::Context;
use serde::Serialize;

/// What a figure must reach.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// At least this much.
    AtLeast(f64),
    /// At most this much.
    AtMost(f64),
}

impl Target {
    fn met(self, value: f64) -> bool {
        match self {
            Target::AtLeast(t) => value >= t,
            Target::AtMost(t) => value <= t,
        }
    }

    fn words(self) -> String {
        match self {
            Target::AtLeast(t) => format!("≥ {}", number(t)),
            Target::AtMost(t) => format!("≤ {}", number(t)),
        }
    }
}

/// One measured figure of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    /// A stable name, e.g. `inbox.p99_ms`.
    pub name: String,
    /// The unit.
    pub unit: &'static str,
    /// The value.
    pub value: f64,
    /// Its target, if it has one.
    pub target: Option<Target>,
}

impl Figure {
    /// A figure without target.
    pub fn new(name: impl Into<String>, unit: &'static str, value: f64) -> Figure {
        Figure {
            name: name.into(),
            unit,
            value,
            target: None,
        }
    }

    /// The figure with a target.
    pub fn target(mut self, target: Target) -> Figure {
        self.target = Some(target);
        self
    }
}

/// The machine and the settings a report was measured with.
#[derive(Clone, Debug, Serialize)]
pub struct Setup {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Logical CPUs.
    pub cpus: usize,
    /// The CPU's model name.
    pub cpu_model: String,
    /// The data set's sizes.
    pub sizes: super::dataset::Sizes,
    /// Runs the medians are taken over.
    pub runs: usize,
    /// When it was measured (RFC 3339).
    pub measured_at: String,
}

/// A figure over all runs.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The figure's name.
    pub figure: String,
    /// The unit.
    pub unit: &'static str,
    /// The median over the runs.
    pub median: f64,
    /// Each run's value.
    pub runs: Vec<f64>,
    /// The target.
    pub target: Option<Target>,
    /// Whether the median meets the target.
    pub met: Option<bool>,
    /// The backend.
    pub backend: &'static str,
    /// The machine's logical CPUs.
    pub cpus: usize,
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The medians of every figure, in the order the first run measured them.
pub fn summarise(context: &Setup, runs: &[Vec<Figure>]) -> Vec<Summary> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|figure| {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|run| run.iter().find(|f| f.name == figure.name))
                .map(|f| f.value)
                .collect();
            let median = median(&values);
            Summary {
                figure: figure.name.clone(),
                unit: figure.unit,
                median,
                runs: values,
                target: figure.target,
                met: figure.target.map(|t| t.met(median)),
                backend: context.backend,
                cpus: context.cpus,
            }
        })
        .collect()
}

/// A number as people read it: thousands separated, two decimals below 100.
pub fn number(value: f64) -> String {
    if value.abs() >= 100.0 {
        let whole = value.round() as i64;
        let digits = whole.abs().to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        if whole < 0 {
            out.insert(0, '-');
        }
        out
    } else {
        format!("{value:.2}")
    }
}

/// The markdown table of a report.
pub fn markdown(context: &Setup, summaries: &[Summary]) -> String {
    let mut out = format!(
        "caredesk bench on {}: {} cases, {} messages, {} customers, {} agents, {} profiles; \
         {} CPUs ({}); median of {} runs; {}\n\n",
        context.backend,
        number(context.sizes.cases as f64),
        number(context.sizes.messages as f64),
        number(context.sizes.customers as f64),
        context.sizes.agents,
        context.sizes.profiles,
        context.cpus,
        context.cpu_model,
        context.runs,
        context.measured_at,
    );
    out.push_str("| figure | median | unit | runs | target | met |\n|---|---:|---|---|---|---|\n");
    for s in summaries {
        let runs: Vec<String> = s.runs.iter().map(|v| number(*v)).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            s.figure,
            number(s.median),
            s.unit,
            runs.join(" / "),
            s.target.map(Target::words).unwrap_or_default(),
            match s.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            }
        ));
    }
    out
}

/// Writes `bench-<backend>.json` and `bench-<backend>.md` into `dir`.
pub fn write(dir: &Path, context: &Setup, summaries: &[Summary]) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let json = serde_json::json!({ "context": context, "figures": summaries });
    let json_path = dir.join(format!("bench-{}.json", context.backend));
    std::fs::write(&json_path, serde_json::to_string_pretty(&json)?)
        .with_context(|| format!("cannot write {}", json_path.display()))?;
    let table = markdown(context, summaries);
    let md_path = dir.join(format!("bench-{}.md", context.backend));
    std::fs::write(&md_path, &table)
        .with_context(|| format!("cannot write {}", md_path.display()))?;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_targets() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(Target::AtMost(10.0).met(9.0));
        assert!(!Target::AtLeast(10.0).met(9.0));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(1_234_567.4), "1,234,567");
        assert_eq!(number(12.345), "12.35");
        assert_eq!(number(100.0), "100");
    }
}
