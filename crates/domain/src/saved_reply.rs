//! Saved replies (PRODUCT.md §12): texts an agent drops into the composer, either shared by the
//! whole desk (kept by supervisors) or personal to one Care user, with variables filled for the
//! case and the agent when one is used. Who may read and change them is
//! [`crate::policy::saved_replies`].
//!
//! A variable is `{{name}}`, with whitespace allowed inside the braces (`{{ customer.name }}`);
//! the names are [`Variable`]'s. Any other `{{…}}` is refused when the reply is saved, naming the
//! unknown ones, so a customer is never sent a placeholder. A `{{` that no `}}` closes is plain
//! text. Filling never fails: a value the desk does not know (a profile without a name) is
//! filled with nothing.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::case::Case;
use crate::customer::Customer;
use crate::ids::{SavedReplyId, UserId};
use crate::network::Profile;
use crate::time::Timestamp;
use crate::user::User;
use crate::Refusal;

/// The longest name, in characters (after trimming).
pub const MAX_NAME_CHARS: usize = 100;
/// The longest text, in characters: the longest reply any network channel takes (an X direct
/// message), so that a saved reply fits somewhere; sending checks the chosen channel's limit.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// A saved reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReply {
    /// Its id.
    pub id: SavedReplyId,
    /// What the picker lists and filters by.
    pub name: String,
    /// The text, with its variables unfilled.
    pub text: String,
    /// The Care user it belongs to; `None` for a shared one.
    pub owner: Option<UserId>,
    /// When it was saved first.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A saved reply not stored yet, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSavedReply {
    /// Its name, trimmed.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Its owner; `None` for a shared one.
    pub owner: Option<UserId>,
    /// When it is saved.
    pub at: Timestamp,
}

impl NewSavedReply {
    /// A saved reply to store (its name trimmed), or the refusal of its name or text (422
    /// naming the field, and the unknown variables).
    pub fn checked(
        name: &str,
        text: &str,
        owner: Option<UserId>,
        at: Timestamp,
    ) -> Result<Self, Refusal> {
        Ok(NewSavedReply {
            name: check_name(name)?,
            text: check_text(text)?,
            owner,
            at,
        })
    }

    /// The reply as stored under `id`.
    pub fn stored_as(self, id: SavedReplyId) -> SavedReply {
        SavedReply {
            id,
            name: self.name,
            text: self.text,
            owner: self.owner,
            created_at: self.at,
            updated_at: self.at,
        }
    }
}

/// The parts of a saved reply to change; `None` keeps a part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedReplyEdit {
    /// A new name.
    pub name: Option<String>,
    /// A new text.
    pub text: Option<String>,
    /// A new owner: `Some(None)` shares it, `Some(Some(user))` makes it that user's own.
    pub owner: Option<Option<UserId>>,
}

impl SavedReply {
    /// True for a reply shared by the whole desk.
    pub fn is_shared(&self) -> bool {
        self.owner.is_none()
    }

    /// The reply as `edit` leaves it at `at`, or the refusal of its new name or text.
    pub fn edited(&self, edit: SavedReplyEdit, at: Timestamp) -> Result<SavedReply, Refusal> {
        Ok(SavedReply {
            id: self.id,
            name: match edit.name {
                Some(name) => check_name(&name)?,
                None => self.name.clone(),
            },
            text: match edit.text {
                Some(text) => check_text(&text)?,
                None => self.text.clone(),
            },
            owner: edit.owner.unwrap_or(self.owner),
            created_at: self.created_at,
            updated_at: at,
        })
    }
}

/// The order saved replies are listed in: by name ignoring case, then by id. Sorted here rather
/// than by a database's collation, so every backend lists them alike.
pub fn by_name(a: &SavedReply, b: &SavedReply) -> Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}

fn check_name(name: &str) -> Result<String, Refusal> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(Refusal::invalid(format!(
            "name: must be 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(name.to_owned())
}

fn check_text(text: &str) -> Result<String, Refusal> {
    if text.trim().is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(Refusal::invalid(format!(
            "text: must be 1 to {MAX_TEXT_CHARS} characters"
        )));
    }
    let unknown = unknown_variables(text);
    if !unknown.is_empty() {
        let known: Vec<String> = Variable::ALL
            .iter()
            .map(|v| format!("{{{{{}}}}}", v.name()))
            .collect();
        return Err(Refusal::invalid(format!(
            "text: unknown variable{} {}; the variables are {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", "),
            known.join(", ")
        )));
    }
    Ok(text.to_owned())
}

/// A variable a saved reply may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variable {
    /// The customer's name as agents read it.
    CustomerName,
    /// The first word of the customer's name.
    CustomerFirstName,
    /// The name of the agent using the reply.
    AgentName,
    /// The first word of the agent's name.
    AgentFirstName,
    /// The case's number, without `#`.
    CaseNumber,
    /// The name of the case's profile (the brand's page or account).
    ProfileName,
}

impl Variable {
    /// Every variable, in the order they are offered.
    pub const ALL: [Variable; 6] = [
        Variable::CustomerName,
        Variable::CustomerFirstName,
        Variable::AgentName,
        Variable::AgentFirstName,
        Variable::CaseNumber,
        Variable::ProfileName,
    ];

    /// Its name between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Variable::CustomerName => "customer.name",
            Variable::CustomerFirstName => "customer.first_name",
            Variable::AgentName => "agent.name",
            Variable::AgentFirstName => "agent.first_name",
            Variable::CaseNumber => "case.number",
            Variable::ProfileName => "profile.name",
        }
    }

    /// The variable of this name, if any (exactly: names are lower case).
    pub fn named(name: &str) -> Option<Variable> {
        Variable::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// A piece of a saved reply's text: plain text, or a `{{…}}` with its trimmed name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Placeholder { raw: &'a str, name: &'a str },
}

/// The pieces of `text`, in order. A placeholder runs from the last `{{` before the first `}}`
/// that follows an opening, so `{{{x}}` is the text `{` and the placeholder `x`.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(first_open) = rest.find("{{") {
        let Some(after) = rest[first_open + 2..].find("}}") else {
            break;
        };
        let close = first_open + 2 + after;
        // `{{` and `}}` are ASCII, so these offsets are character boundaries.
        let open = rest[first_open..close]
            .rfind("{{")
            .map_or(first_open, |i| first_open + i);
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        out.push(Piece::Placeholder {
            raw: &rest[open..close + 2],
            name: rest[open + 2..close].trim(),
        });
        rest = &rest[close + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The `{{…}}` of `text` that are not variables, as `{{name}}`, each once, in order.
pub fn unknown_variables(text: &str) -> Vec<String> {
    let mut unknown: Vec<String> = Vec::new();
    for piece in pieces(text) {
        if let Piece::Placeholder { name, .. } = piece {
            let shown = format!("{{{{{name}}}}}");
            if Variable::named(name).is_none() && !unknown.contains(&shown) {
                unknown.push(shown);
            }
        }
    }
    unknown
}

/// What the variables are filled with for one case and one agent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fill {
    /// The customer's name as agents read it.
    pub customer_name: String,
    /// The customer's first name.
    pub customer_first_name: String,
    /// The agent's name.
    pub agent_name: String,
    /// The case's number.
    pub case_number: String,
    /// The profile's name (empty when it is gone).
    pub profile_name: String,
}

/// The first word of a name ("" for an empty one).
fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

impl Fill {
    /// The values for `agent` answering `case` of `customer` on `profile`. The customer's first
    /// name is the first word of their name; a customer the network has not named yet has no
    /// first name to take, so it is the name agents read for them (`@handle`, or "Facebook user
    /// ···1234") whole.
    pub fn for_case(
        case: &Case,
        customer: &Customer,
        agent: &User,
        profile: Option<&Profile>,
    ) -> Fill {
        let named = first_word(&customer.details.display_name);
        let customer_name = customer.shown_name();
        Fill {
            customer_first_name: if named.is_empty() {
                customer_name.clone()
            } else {
                named.to_owned()
            },
            customer_name,
            agent_name: agent.name.trim().to_owned(),
            case_number: case.number.to_string(),
            profile_name: profile
                .map(|p| p.name.trim().to_owned())
                .unwrap_or_default(),
        }
    }

    /// The value of a variable.
    pub fn value(&self, variable: Variable) -> &str {
        match variable {
            Variable::CustomerName => &self.customer_name,
            Variable::CustomerFirstName => &self.customer_first_name,
            Variable::AgentName => &self.agent_name,
            Variable::AgentFirstName => first_word(&self.agent_name),
            Variable::CaseNumber => &self.case_number,
            Variable::ProfileName => &self.profile_name,
        }
    }
}

/// `text` with its variables filled; anything else, an unknown `{{…}}` included, stays as it is.
pub fn render(text: &str, fill: &Fill) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Placeholder { raw, name } => match Variable::named(name) {
                Some(variable) => out.push_str(fill.value(variable)),
                None => out.push_str(raw),
            },
        }
    }
    out
}

#[cfg(test)]
#[path = "saved_reply_tests.rs"]
mod tests;
