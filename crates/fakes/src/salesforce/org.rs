//! The fake org's records and how they are read: accounts, contacts and Cases with
//! 18-character ids under the real prefixes (checksum suffix included), records by id, and SOQL
//! queries answered in pages behind `nextRecordsUrl`. Case writes live in `case_writes`.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::soql::{self, Filter, SObject};

/// A Case as the fake keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct FakeCase {
    /// The 18-character id (`500…`).
    pub id: String,
    /// `CaseNumber`, `00001001` onwards.
    pub number: String,
    /// The fields as posted (and patched), plus the `Status` and `Priority` defaults.
    pub fields: Map<String, Value>,
}

impl FakeCase {
    /// A field's text, when set.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    fn value(&self, field: &str) -> Value {
        match field {
            "Id" => self.id.clone().into(),
            "CaseNumber" => self.number.clone().into(),
            _ => self.fields.get(field).cloned().unwrap_or(Value::Null),
        }
    }
}

/// An account or a contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Named {
    pub id: String,
    pub name: String,
    pub account_id: Option<String>,
}

impl Named {
    fn value(&self, field: &str) -> Value {
        match field {
            "Id" => self.id.clone().into(),
            "Name" => self.name.clone().into(),
            "AccountId" => self.account_id.clone().map_or(Value::Null, Value::String),
            _ => Value::Null,
        }
    }
}

/// A record of any object, to read fields from.
#[derive(Clone, Copy, Debug)]
enum Row<'a> {
    Case(&'a FakeCase),
    Named(&'a Named),
}

impl<'a> Row<'a> {
    fn value(self, field: &str) -> Value {
        match self {
            Row::Case(case) => case.value(field),
            Row::Named(named) => named.value(field),
        }
    }

    fn id(self) -> &'a str {
        match self {
            Row::Case(case) => &case.id,
            Row::Named(named) => &named.id,
        }
    }

    fn name(self) -> &'a str {
        match self {
            Row::Case(_) => "",
            Row::Named(named) => &named.name,
        }
    }
}

/// Salesforce's refusal: a status and one error of its error array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<String>,
}

impl Refusal {
    pub(super) fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub(super) fn on(mut self, field: &str) -> Self {
        self.fields = vec![field.to_owned()];
        self
    }

    pub(super) fn not_found() -> Self {
        Self {
            status: 404,
            code: "NOT_FOUND",
            message: "The requested resource does not exist".into(),
            fields: Vec::new(),
        }
    }
}

/// The restricted picklists of Case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Picklists {
    pub origin: Vec<String>,
    pub status: Vec<String>,
    pub priority: Vec<String>,
}

/// The 15-character form of `id`, when it looks like one.
pub(super) fn key(id: &str) -> Option<&str> {
    let ok = matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| &id[..15])
}

/// The 18-character id of a 15-character one: three characters saying which letters of each
/// five are capitals.
fn with_checksum(id15: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let mut id = id15.to_owned();
    for chunk in id15.as_bytes().chunks(5) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        id.push(char::from(ALPHABET[bits]));
    }
    id
}

/// The records of the fake org and its query cursors.
#[derive(Debug)]
pub(super) struct Org {
    pub accounts: Vec<Named>,
    pub contacts: Vec<Named>,
    pub cases: Vec<FakeCase>,
    pub picklists: Picklists,
    pub page_size: usize,
    next_id: u64,
    pub next_number: u64,
    cursors: HashMap<String, Vec<Value>>,
}

impl Org {
    pub(super) fn new(picklists: Picklists, page_size: usize) -> Self {
        Self {
            accounts: Vec::new(),
            contacts: Vec::new(),
            cases: Vec::new(),
            picklists,
            page_size: page_size.max(1),
            next_id: 0,
            next_number: 1001,
            cursors: HashMap::new(),
        }
    }

    /// A fresh 18-character id under `prefix`.
    pub(super) fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        with_checksum(&format!("{prefix}Fk{:010}", self.next_id))
    }

    fn named(&self, object: SObject) -> &[Named] {
        match object {
            SObject::Account => &self.accounts,
            SObject::Contact => &self.contacts,
            SObject::Case => &[],
        }
    }

    fn rows(&self, object: SObject) -> Vec<Row<'_>> {
        match object {
            SObject::Case => self.cases.iter().map(Row::Case).collect(),
            _ => self.named(object).iter().map(Row::Named).collect(),
        }
    }

    pub(super) fn has(&self, object: SObject, id: &str) -> bool {
        key(id).is_some_and(|k| self.named(object).iter().any(|r| r.id.starts_with(k)))
    }

    pub(super) fn case(&self, id: &str) -> Option<&FakeCase> {
        let k = key(id)?;
        self.cases.iter().find(|c| c.id.starts_with(k))
    }

    pub(super) fn case_mut(&mut self, id: &str) -> Option<&mut FakeCase> {
        let k = key(id)?;
        self.cases.iter_mut().find(|c| c.id.starts_with(k))
    }

    /// A record with `fields` (all of the object's when `None`), as a GET answers it.
    pub(super) fn record(
        &self,
        object: SObject,
        id: &str,
        fields: Option<&str>,
        version: &str,
    ) -> Result<Value, Refusal> {
        let k = key(id).ok_or_else(|| {
            Refusal::bad(
                "MALFORMED_ID",
                format!("{} ID: id value of incorrect type: {id}", object.name()),
            )
        })?;
        let row = self
            .rows(object)
            .into_iter()
            .find(|r| r.id().starts_with(k));
        let row = row.ok_or_else(Refusal::not_found)?;
        let names: Vec<&'static str> = match fields {
            None => object.fields().to_vec(),
            Some(list) => list
                .split(',')
                .map(|f| {
                    object.field(f.trim()).ok_or_else(|| {
                        Refusal::bad(
                            "INVALID_FIELD",
                            format!(
                                "No such column '{}' on sobject of type {}",
                                f.trim(),
                                object.name()
                            ),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(shaped(object, row, &names, version))
    }

    /// Runs a query; its first page.
    pub(super) fn query(&mut self, q: &str, version: &str) -> Result<Value, Refusal> {
        let query = soql::parse(q).map_err(|e| Refusal::bad(e.code, e.message))?;
        let ids = match &query.filter {
            Filter::IdIn(ids) => ids
                .iter()
                .map(|id| {
                    key(id).ok_or_else(|| {
                        Refusal::bad(
                            "INVALID_QUERY_FILTER_OPERATOR",
                            format!("invalid ID field: {id}"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => Vec::new(),
        };
        let keep = |row: &Row<'_>| match &query.filter {
            Filter::NameLike(like) => like.matches(row.name()),
            Filter::NameIs(text) => row.name().eq_ignore_ascii_case(text),
            Filter::IdIn(_) => ids.iter().any(|k| row.id().starts_with(k)),
        };
        let mut rows: Vec<Row<'_>> = self.rows(query.object);
        rows.retain(keep);
        if let Some((by, desc)) = query.order {
            rows.sort_by_cached_key(|row| {
                row.value(by)
                    .as_str()
                    .map(str::to_lowercase)
                    .unwrap_or_default()
            });
            if desc {
                rows.reverse();
            }
        }
        rows.truncate(query.limit.unwrap_or(usize::MAX));
        let records: Vec<Value> = rows
            .into_iter()
            .map(|row| shaped(query.object, row, &query.fields, version))
            .collect();
        let locator = self.new_id("01g");
        self.cursors.insert(locator.clone(), records);
        self.page(&locator, 0, version)
    }

    /// The page of the cursor `locator-offset` (a `nextRecordsUrl`'s last segment).
    pub(super) fn next_page(&mut self, segment: &str, version: &str) -> Result<Value, Refusal> {
        let invalid = || Refusal::bad("INVALID_QUERY_LOCATOR", "invalid query locator");
        let (locator, offset) = segment.rsplit_once('-').ok_or_else(invalid)?;
        let offset: usize = offset.parse().map_err(|_| invalid())?;
        self.page(locator, offset, version)
    }

    fn page(&self, locator: &str, offset: usize, version: &str) -> Result<Value, Refusal> {
        let records = self
            .cursors
            .get(locator)
            .ok_or_else(|| Refusal::bad("INVALID_QUERY_LOCATOR", "invalid query locator"))?;
        if offset > records.len() {
            return Err(Refusal::bad(
                "INVALID_QUERY_LOCATOR",
                "invalid query locator",
            ));
        }
        let end = (offset + self.page_size).min(records.len());
        let mut answer = json!({
            "totalSize": records.len(),
            "done": end == records.len(),
            "records": records[offset..end],
        });
        if end < records.len() {
            answer["nextRecordsUrl"] =
                format!("/services/data/{version}/query/{locator}-{end}").into();
        }
        Ok(answer)
    }
}

/// A record as the REST API shows it: `attributes` and the named fields.
fn shaped(object: SObject, row: Row<'_>, fields: &[&str], version: &str) -> Value {
    let mut record = Map::new();
    record.insert(
        "attributes".into(),
        json!({
            "type": object.name(),
            "url": format!("/services/data/{version}/sobjects/{}/{}", object.name(), row.id()),
        }),
    );
    for field in fields {
        record.insert((*field).to_owned(), row.value(field));
    }
    Value::Object(record)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_carry_the_checksum_salesforce_computes() {
        // Capitals at 001A0 -> 0b01000 = I, 00000 -> A, 6Vm9r -> 0b00010 = C.
        assert_eq!(
            super::with_checksum("001A0000006Vm9r"),
            "001A0000006Vm9rIAC"
        );
        assert_eq!(super::key("001A0000006Vm9rIAC"), Some("001A0000006Vm9r"));
        assert_eq!(super::key("001A0000006Vm9"), None);
    }
}
