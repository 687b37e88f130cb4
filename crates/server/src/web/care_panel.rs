//! The case panel of the selected case: the Case tab's selects (assignee, status, priority,
//! sentiment) and field values, the History tab's earlier cases and conversations, and what the
//! viewer may not do there, explained in words.

use caredesk_app::queries::UserView;
use caredesk_domain::{policy, Case, CaseField, CaseStatus, User};

use super::care_events::Names;
use super::forms::Choice;
use super::words::status_label;

/// A case field with its value in words.
pub(crate) struct FieldLine {
    pub id: String,
    pub name: String,
    /// text, number, date, select, multiselect or checkbox.
    pub kind: String,
    pub value: String,
    pub options: Vec<Choice>,
    pub checked: bool,
    pub mandatory: bool,
}

/// An earlier case of the customer.
pub(crate) struct Earlier {
    pub number: i64,
    pub status_label: &'static str,
    pub created: String,
    pub created_words: String,
    pub current: bool,
}

/// A conversation of the customer, for the History tab.
pub(crate) struct Thread {
    pub kind: &'static str,
    pub count: i64,
    pub last: String,
    pub last_words: String,
}

/// Why `user` may not reply on `case`, if they may not (the domain's `Case::accept_reply`
/// refuses a closed case and anyone but the assignee).
pub(crate) fn reply_refusal(user: &User, case: &Case, names: &Names<'_>) -> Option<String> {
    if case.status.is_closed() {
        return Some(format!(
            "Case is {} — reopen to reply",
            status_label(case.status)
        ));
    }
    assignee_refusal(user, case, names, "act")
}

/// Why `user` may not act as the assignee of `case`, if they may not.
pub(crate) fn assignee_refusal(
    user: &User,
    case: &Case,
    names: &Names<'_>,
    act: &str,
) -> Option<String> {
    policy::require_assignee(user, case).err()?;
    match case.assignee_id {
        Some(_) => Some(format!(
            "Assigned to {} — assign to yourself to {act}",
            names.user(case.assignee_id)
        )),
        None => Some(format!("Unassigned — assign to yourself to {act}")),
    }
}

/// The statuses the status select offers: the case's own and those a status change may take
/// it to (`CaseStatus::may_change_to`), in words.
pub(crate) fn status_choices(status: CaseStatus) -> Vec<Choice> {
    CaseStatus::ALL
        .iter()
        .filter(|to| status.may_change_to(**to))
        .map(|to| Choice {
            value: to.as_str().to_owned(),
            label: status_label(*to).to_owned(),
            selected: *to == status,
        })
        .collect()
}

/// The enabled case fields by position, with the case's values in words.
pub(crate) fn field_lines(case: &Case, fields: &[CaseField]) -> Vec<FieldLine> {
    let mut enabled: Vec<&CaseField> = fields.iter().filter(|f| f.enabled).collect();
    enabled.sort_by_key(|f| f.position);
    enabled
        .into_iter()
        .map(|f| {
            let value = case
                .fields
                .get(&f.id)
                .map(|v| match v.to_json() {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            FieldLine {
                id: f.id.to_string(),
                kind: f.kind.to_string(),
                options: f
                    .options
                    .iter()
                    .map(|o| Choice {
                        value: o.clone(),
                        label: o.clone(),
                        selected: *o == value,
                    })
                    .collect(),
                checked: value == "true",
                mandatory: f.mandatory,
                value,
                name: f.name.clone(),
            }
        })
        .collect()
}

/// The users the case may be given to (`policy::require_eligible_assignee`), with their load
/// against their capacity.
pub(crate) fn assignee_choices(case: &Case, users: &[UserView]) -> Vec<Choice> {
    let mut assignees = vec![Choice {
        value: String::new(),
        label: "Unassigned".to_owned(),
        selected: case.assignee_id.is_none(),
    }];
    assignees.extend(
        users
            .iter()
            .filter(|u| policy::require_eligible_assignee(&u.user, case.profile_id).is_ok())
            .map(|u| Choice {
                value: u.user.id.to_string(),
                label: format!(
                    "{} · {} ({}/{}){}",
                    u.user.name,
                    u.presence,
                    u.load,
                    u.user.capacity,
                    if u.load > i64::from(u.user.capacity) {
                        " over capacity"
                    } else {
                        ""
                    }
                ),
                selected: case.assignee_id == Some(u.user.id),
            }),
    );
    assignees
}
