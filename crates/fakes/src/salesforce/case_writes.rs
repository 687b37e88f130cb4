//! Case create and update, checked as Salesforce checks them: a JSON object of known, writable
//! fields, a `Subject`, restricted picklist values, lookups to records of the right type, field
//! lengths; new Cases get a `500…` id, the next `CaseNumber` and the `Status` and `Priority`
//! defaults.

use serde_json::{Map, Value};

use super::org::{FakeCase, Org, Refusal};
use super::soql::SObject;

/// The Case fields a create may set.
const CREATABLE: [&str; 15] = [
    "Subject",
    "Description",
    "Origin",
    "Status",
    "Priority",
    "Reason",
    "Type",
    "AccountId",
    "ContactId",
    "ParentId",
    "SuppliedEmail",
    "SuppliedName",
    "SuppliedPhone",
    "SuppliedCompany",
    "IsEscalated",
];
/// The Case fields an update may not change.
const NOT_UPDATABLE: [&str; 6] = [
    "Id",
    "CaseNumber",
    "SuppliedEmail",
    "SuppliedName",
    "SuppliedPhone",
    "SuppliedCompany",
];

impl Org {
    /// Creates a Case from a JSON body; its id.
    pub(super) fn create_case(&mut self, body: &[u8]) -> Result<String, Refusal> {
        let fields = self.checked_fields(body, &CREATABLE, "INVALID_FIELD_FOR_INSERT_UPDATE")?;
        let subject = fields
            .get("Subject")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if subject.trim().is_empty() {
            return Err(Refusal::bad(
                "REQUIRED_FIELD_MISSING",
                "Required fields are missing: [Subject]",
            )
            .on("Subject"));
        }
        let mut fields = fields;
        fields.entry("Status").or_insert_with(|| "New".into());
        fields.entry("Priority").or_insert_with(|| "Medium".into());
        let id = self.new_id("500");
        let number = format!("{:08}", self.next_number);
        self.next_number += 1;
        self.cases.push(FakeCase {
            id: id.clone(),
            number,
            fields,
        });
        Ok(id)
    }

    /// Applies a JSON body to the Case `id`.
    pub(super) fn update_case(&mut self, id: &str, body: &[u8]) -> Result<(), Refusal> {
        let allowed: Vec<&str> = CREATABLE
            .iter()
            .copied()
            .filter(|f| !NOT_UPDATABLE.contains(f))
            .collect();
        let fields = self.checked_fields(body, &allowed, "INVALID_FIELD_FOR_INSERT_UPDATE")?;
        let case = self.case_mut(id).ok_or_else(Refusal::not_found)?;
        case.fields.extend(fields);
        Ok(())
    }

    /// The body's fields, each one `allowed`, picklists and lookups checked.
    fn checked_fields(
        &self,
        body: &[u8],
        allowed: &[&str],
        read_only_code: &'static str,
    ) -> Result<Map<String, Value>, Refusal> {
        let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
            return Err(Refusal::bad(
                "JSON_PARSER_ERROR",
                "The request body is not a JSON object",
            ));
        };
        for (name, value) in &fields {
            if !allowed.contains(&name.as_str()) {
                return Err(match SObject::Case.field(name) {
                    Some(_) => Refusal::bad(
                        read_only_code,
                        format!("Unable to create/update fields: {name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set."),
                    )
                    .on(name),
                    None => Refusal::bad(
                        "INVALID_FIELD",
                        format!("No such column '{name}' on sobject of type Case"),
                    ),
                });
            }
            self.check_value(name, value)?;
        }
        Ok(fields)
    }

    fn check_value(&self, name: &str, value: &Value) -> Result<(), Refusal> {
        let text = value.as_str().unwrap_or_default();
        let picklist = match name {
            "Origin" => Some(&self.picklists.origin),
            "Status" => Some(&self.picklists.status),
            "Priority" => Some(&self.picklists.priority),
            _ => None,
        };
        if let Some(values) = picklist {
            if !values.iter().any(|v| v == text) {
                return Err(Refusal::bad(
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    format!("{name}: bad value for restricted picklist field: {text}"),
                )
                .on(name));
            }
        }
        let lookup = match name {
            "AccountId" => Some(SObject::Account),
            "ContactId" => Some(SObject::Contact),
            _ => None,
        };
        if let Some(object) = lookup {
            if !value.is_null() && !self.has(object, text) {
                let label = if object == SObject::Account {
                    "Account ID"
                } else {
                    "Contact ID"
                };
                return Err(Refusal::bad(
                    "FIELD_INTEGRITY_EXCEPTION",
                    format!("{label}: id value of incorrect type: {text}"),
                )
                .on(name));
            }
        }
        let max = match name {
            "Subject" | "SuppliedCompany" => 255,
            "SuppliedName" => 80,
            "SuppliedEmail" => 80,
            "Description" => 32_000,
            _ => usize::MAX,
        };
        let len = text.chars().count();
        if len > max {
            return Err(Refusal::bad(
                "STRING_TOO_LONG",
                format!("{name}: data value too large: {len} characters (max length={max})"),
            )
            .on(name));
        }
        Ok(())
    }
}
