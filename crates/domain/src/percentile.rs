//! Percentiles of durations by the nearest-rank rule: the figure is always one of the measured
//! values (a median of 2 and 4 minutes is 2 minutes, never an invented 3), so a supervisor can
//! find the case behind it. The overview and the reports use the same rule.

use serde::Serialize;

/// The median and 90th percentile of some durations, in seconds; `None` when there are none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    /// The 50th percentile (the lower middle for an even count).
    pub median: Option<i64>,
    /// The 90th percentile.
    pub p90: Option<i64>,
}

/// The value at percentile `pct` (1..=100) of `sorted` (ascending) by nearest rank: the smallest
/// value with at least `pct`% of the values at or below it.
pub fn nearest_rank(sorted: &[i64], pct: u32) -> Option<i64> {
    let n = sorted.len();
    let pct = usize::try_from(pct.clamp(1, 100)).ok()?;
    let rank = (n.checked_mul(pct)?).div_ceil(100);
    sorted.get(rank.checked_sub(1)?).copied()
}

/// The median and 90th percentile of `values` (in any order).
pub fn percentiles(mut values: Vec<i64>) -> Percentiles {
    values.sort_unstable();
    Percentiles {
        median: nearest_rank(&values, 50),
        p90: nearest_rank(&values, 90),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn figures_by_nearest_rank() {
        let cases: [(&[i64], Option<i64>, Option<i64>); 6] = [
            (&[], None, None),
            (&[5], Some(5), Some(5)),
            (&[9, 1, 5], Some(5), Some(9)),
            (&[4, 1, 3, 2], Some(2), Some(4)),
            (
                &[10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
                Some(50),
                Some(90),
            ),
            (&[7; 11], Some(7), Some(7)),
        ];
        for (values, median, p90) in cases {
            assert_eq!(
                percentiles(values.to_vec()),
                Percentiles { median, p90 },
                "{values:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_percentile_is_a_measured_value_with_enough_below_it(
            values in proptest::collection::vec(0i64..1_000_000, 1..200),
            pct in 1u32..=100,
        ) {
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let figure = nearest_rank(&sorted, pct).expect("some values");
            prop_assert!(values.contains(&figure));
            let at_or_below = sorted.iter().filter(|v| **v <= figure).count();
            let below = sorted.iter().filter(|v| **v < figure).count();
            prop_assert!(at_or_below * 100 >= sorted.len() * pct as usize);
            prop_assert!(below * 100 < sorted.len() * pct as usize);
        }

        #[test]
        fn the_median_never_exceeds_the_90th(values in proptest::collection::vec(-1_000i64..1_000, 0..100)) {
            let p = percentiles(values);
            prop_assert!(p.median <= p.p90);
        }
    }
}
