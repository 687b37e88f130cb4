//! Custom case fields: their definitions and the values cases hold (PRODUCT.md §8).
//!
//! A value of the wrong type or an unknown option is refused and nothing is stored. An option
//! removed from a field stays readable on old cases: values are kept as given and only checked
//! when written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::CaseFieldId;
use crate::macros::word_enum;
use crate::Refusal;

word_enum! {
    /// The type of a case field.
    pub enum FieldKind {
        Text => "text",
        Number => "number",
        Date => "date",
        Select => "select",
        Multiselect => "multiselect",
        Checkbox => "checkbox",
    }
}

/// The longest text value.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Numbers have at most nine digits.
pub const MAX_NUMBER: i64 = 999_999_999;

/// A case field definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseField {
    /// Its id.
    pub id: CaseFieldId,
    /// The name agents see.
    pub name: String,
    /// Its type.
    pub kind: FieldKind,
    /// The options of a select or multi-select.
    pub options: Vec<String>,
    /// An empty value blocks Done while the field is enabled.
    pub mandatory: bool,
    /// Disabled fields are hidden from agents and never block.
    pub enabled: bool,
    /// Display order.
    pub position: i64,
}

/// A case field definition not stored yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCaseField {
    /// The name agents see.
    pub name: String,
    /// Its type.
    pub kind: FieldKind,
    /// The options of a select or multi-select.
    pub options: Vec<String>,
    /// An empty value blocks Done while the field is enabled.
    pub mandatory: bool,
    /// Disabled fields are hidden from agents and never block.
    pub enabled: bool,
    /// Display order.
    pub position: i64,
}

impl NewCaseField {
    /// Checks the definition as [`CaseField::validate`] does.
    pub fn validate(&self) -> Result<(), Refusal> {
        validate_definition(&self.name, self.kind, &self.options)
    }

    /// The field as stored under `id`.
    pub fn stored_as(self, id: CaseFieldId) -> CaseField {
        CaseField {
            id,
            name: self.name,
            kind: self.kind,
            options: self.options,
            mandatory: self.mandatory,
            enabled: self.enabled,
            position: self.position,
        }
    }
}

/// A value a case holds for a field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// A checkbox.
    Checkbox(bool),
    /// An integer of up to nine digits.
    Number(i64),
    /// Text, a date `YYYY-MM-DD` or a single option label.
    Text(String),
    /// Option labels of a multi-select.
    Labels(Vec<String>),
}

impl FieldValue {
    /// The value as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Words to filter views by (`field.<id>=word`): one per label of a multi-select.
    pub fn filter_tokens(&self) -> Vec<String> {
        match self {
            FieldValue::Checkbox(b) => vec![b.to_string()],
            FieldValue::Number(n) => vec![n.to_string()],
            FieldValue::Text(t) => vec![t.clone()],
            FieldValue::Labels(labels) => labels.clone(),
        }
    }

    /// True when the value counts as filled for a mandatory field.
    fn is_filled(&self) -> bool {
        match self {
            FieldValue::Checkbox(b) => *b,
            FieldValue::Number(_) => true,
            FieldValue::Text(t) => !t.trim().is_empty(),
            FieldValue::Labels(l) => !l.is_empty(),
        }
    }
}

impl CaseField {
    /// Checks a value given as JSON against this field's type and options.
    pub fn parse_value(&self, value: &Value) -> Result<FieldValue, Refusal> {
        let wrong = |what: &str| Refusal::invalid(format!("field {:?} takes {what}", self.name));
        match self.kind {
            FieldKind::Text => {
                let text = value.as_str().ok_or_else(|| wrong("text"))?;
                if text.chars().count() > MAX_TEXT_CHARS {
                    return Err(wrong("text of up to 1,000 characters"));
                }
                Ok(FieldValue::Text(text.to_owned()))
            }
            FieldKind::Number => {
                let n = value.as_i64().ok_or_else(|| wrong("an integer"))?;
                if n.abs() > MAX_NUMBER {
                    return Err(wrong("an integer of up to 9 digits"));
                }
                Ok(FieldValue::Number(n))
            }
            FieldKind::Date => {
                let text = value.as_str().ok_or_else(|| wrong("a date YYYY-MM-DD"))?;
                if !is_calendar_date(text) {
                    return Err(wrong("a date YYYY-MM-DD"));
                }
                Ok(FieldValue::Text(text.to_owned()))
            }
            FieldKind::Select => {
                let label = value.as_str().ok_or_else(|| wrong("one of its options"))?;
                if !self.options.iter().any(|o| o == label) {
                    return Err(wrong("one of its options"));
                }
                Ok(FieldValue::Text(label.to_owned()))
            }
            FieldKind::Multiselect => {
                let items = value
                    .as_array()
                    .ok_or_else(|| wrong("a list of its options"))?;
                let mut labels = Vec::with_capacity(items.len());
                for item in items {
                    let label = item
                        .as_str()
                        .ok_or_else(|| wrong("a list of its options"))?;
                    if !self.options.iter().any(|o| o == label) {
                        return Err(wrong("a list of its options"));
                    }
                    if !labels.iter().any(|l| l == label) {
                        labels.push(label.to_owned());
                    }
                }
                Ok(FieldValue::Labels(labels))
            }
            FieldKind::Checkbox => value
                .as_bool()
                .map(FieldValue::Checkbox)
                .ok_or_else(|| wrong("true or false")),
        }
    }

    /// Checks a field definition written by a supervisor.
    pub fn validate(&self) -> Result<(), Refusal> {
        validate_definition(&self.name, self.kind, &self.options)
    }
}

/// The rules of a definition: a name of 1 to 100 characters, and options exactly when the field
/// is a select, each 1 to 200 characters, unique, at most 500.
fn validate_definition(name: &str, kind: FieldKind, options: &[String]) -> Result<(), Refusal> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(Refusal::invalid("name must be 1 to 100 characters"));
    }
    let has_options = matches!(kind, FieldKind::Select | FieldKind::Multiselect);
    if has_options && options.is_empty() {
        return Err(Refusal::invalid("a select field needs options"));
    }
    if !has_options && !options.is_empty() {
        return Err(Refusal::invalid("only select fields take options"));
    }
    if options.len() > 500
        || options
            .iter()
            .any(|o| o.trim().is_empty() || o.chars().count() > 200)
    {
        return Err(Refusal::invalid(
            "options must be 1 to 200 characters, at most 500",
        ));
    }
    let mut sorted: Vec<&String> = options.iter().collect();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != options.len() {
        return Err(Refusal::invalid("options must be unique"));
    }
    Ok(())
}

fn is_calendar_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

/// The first enabled mandatory field that a case's values leave empty, if any.
pub fn first_missing_mandatory<'a>(
    fields: &'a [CaseField],
    values: &BTreeMap<CaseFieldId, FieldValue>,
) -> Option<&'a CaseField> {
    let mut ordered: Vec<&CaseField> = fields.iter().filter(|f| f.enabled && f.mandatory).collect();
    ordered.sort_by_key(|f| (f.position, f.id));
    ordered
        .into_iter()
        .find(|f| !values.get(&f.id).is_some_and(FieldValue::is_filled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(kind: FieldKind, options: &[&str]) -> CaseField {
        CaseField {
            id: CaseFieldId(1),
            name: "Order".into(),
            kind,
            options: options.iter().map(|s| s.to_string()).collect(),
            mandatory: false,
            enabled: true,
            position: 0,
        }
    }

    #[test]
    fn values_are_checked_against_the_field_type() {
        use FieldKind::*;
        let table: Vec<(FieldKind, &[&str], Value, bool)> = vec![
            (Text, &[], json!("hello"), true),
            (Text, &[], json!(12), false),
            (Text, &[], json!("x".repeat(1_001)), false),
            (Number, &[], json!(123_456_789), true),
            (Number, &[], json!(1_234_567_890), false),
            (Number, &[], json!(1.5), false),
            (Number, &[], json!("12"), false),
            (Date, &[], json!("2026-02-28"), true),
            (Date, &[], json!("2026-02-30"), false),
            (Date, &[], json!("2026-2-3"), false),
            (Select, &["a", "b"], json!("a"), true),
            (Select, &["a", "b"], json!("c"), false),
            (Multiselect, &["a", "b"], json!(["a", "b"]), true),
            (Multiselect, &["a", "b"], json!(["a", "z"]), false),
            (Multiselect, &["a", "b"], json!("a"), false),
            (Checkbox, &[], json!(true), true),
            (Checkbox, &[], json!("true"), false),
        ];
        for (kind, options, value, ok) in table {
            let result = field(kind, options).parse_value(&value);
            assert_eq!(result.is_ok(), ok, "{kind} {value}");
            if let Err(refusal) = result {
                assert_eq!(refusal.code(), "validation_failed");
            }
        }
    }

    #[test]
    fn only_enabled_mandatory_fields_block_and_a_checkbox_must_be_checked() {
        let mut text = field(FieldKind::Text, &[]);
        text.mandatory = true;
        let mut disabled = field(FieldKind::Text, &[]);
        disabled.id = CaseFieldId(2);
        disabled.mandatory = true;
        disabled.enabled = false;
        let mut check = field(FieldKind::Checkbox, &[]);
        check.id = CaseFieldId(3);
        check.mandatory = true;
        let fields = vec![text, disabled, check];

        let mut values = BTreeMap::new();
        assert_eq!(
            first_missing_mandatory(&fields, &values).map(|f| f.id),
            Some(CaseFieldId(1))
        );
        values.insert(CaseFieldId(1), FieldValue::Text("  ".into()));
        assert_eq!(
            first_missing_mandatory(&fields, &values).map(|f| f.id),
            Some(CaseFieldId(1))
        );
        values.insert(CaseFieldId(1), FieldValue::Text("A-1".into()));
        values.insert(CaseFieldId(3), FieldValue::Checkbox(false));
        assert_eq!(
            first_missing_mandatory(&fields, &values).map(|f| f.id),
            Some(CaseFieldId(3))
        );
        values.insert(CaseFieldId(3), FieldValue::Checkbox(true));
        assert_eq!(first_missing_mandatory(&fields, &values), None);
    }

    #[test]
    fn definitions_need_options_exactly_when_they_are_selects() {
        assert!(field(FieldKind::Select, &[]).validate().is_err());
        assert!(field(FieldKind::Text, &["a"]).validate().is_err());
        assert!(field(FieldKind::Select, &["a", "a"]).validate().is_err());
        assert!(field(FieldKind::Multiselect, &["a", "b"])
            .validate()
            .is_ok());
    }

    #[test]
    fn values_round_trip_through_json() {
        for v in [
            FieldValue::Checkbox(true),
            FieldValue::Number(7),
            FieldValue::Text("x".into()),
            FieldValue::Labels(vec!["a".into()]),
        ] {
            let back: FieldValue = serde_json::from_value(v.to_json()).unwrap();
            assert_eq!(back, v);
        }
    }
}
