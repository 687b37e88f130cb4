//! What the pages' forms share: the options of a select, with the chosen one marked.

/// One option of a select.
pub(crate) struct Choice {
    /// What the form sends.
    pub value: String,
    /// What people read.
    pub label: String,
    /// The option shown as chosen.
    pub selected: bool,
}

/// Options from `(value, label)` pairs; the one whose value is `current` is chosen.
pub(crate) fn choices<'a>(
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
    current: &str,
) -> Vec<Choice> {
    values
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.to_owned(),
            label: label.to_owned(),
            selected: value == current,
        })
        .collect()
}
