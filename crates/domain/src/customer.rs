//! Customers: one person on one network, keyed by (network, the network's user id), with the
//! details agents read and edit, which of them an agent set by hand (never overwritten by what a
//! network says), and where asking the network about them stands ([`crate::lookup`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ids::CustomerId;
use crate::lookup::Lookup;
use crate::network::Network;
use crate::Refusal;

/// The names of the details, as the activity log and the record of agents' edits write them.
pub mod field {
    /// The name shown to agents.
    pub const DISPLAY_NAME: &str = "display_name";
    /// The network handle.
    pub const HANDLE: &str = "handle";
    /// The picture.
    pub const AVATAR_URL: &str = "avatar_url";
}

/// The link of a customer to Salesforce records, with the names looked up there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesforceLink {
    /// Salesforce Account id.
    pub account_id: Option<String>,
    /// The account's name.
    pub account_name: Option<String>,
    /// Salesforce Contact id.
    pub contact_id: Option<String>,
    /// The contact's name.
    pub contact_name: Option<String>,
}

/// The details of a customer that agents may edit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetails {
    /// Name shown to agents.
    pub display_name: String,
    /// Network handle (without `@`).
    pub handle: String,
    /// Picture.
    pub avatar_url: String,
    /// E-mail address.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Postal address.
    pub address: String,
    /// Free notes.
    pub notes: String,
    /// Free key/value attributes.
    pub attributes: BTreeMap<String, String>,
}

/// A customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Its id.
    pub id: CustomerId,
    /// The network the person is on.
    pub network: Network,
    /// The network's id of the person.
    pub network_user_id: String,
    /// Editable details.
    pub details: CustomerDetails,
    /// Salesforce link, if any.
    pub salesforce: Option<SalesforceLink>,
    /// The details an agent set by hand (their [`field`] names): no network overwrites them.
    #[serde(default)]
    pub agent_edited: BTreeSet<String>,
    /// Where asking the network who they are stands.
    #[serde(default)]
    pub lookup: Lookup,
}

/// The name agents read for a customer: their display name, else `@handle`, else the network's
/// word for a person not named yet with the end of their network id ("Facebook user ···1234"),
/// so that two unnamed customers can be told apart: never an empty name or a lone `@`.
pub fn shown_name(network: Network, display_name: &str, handle: &str, user_id: &str) -> String {
    let name = display_name.trim();
    let handle = handle.trim().trim_start_matches('@');
    if !name.is_empty() {
        name.to_owned()
    } else if !handle.is_empty() {
        format!("@{handle}")
    } else {
        let digits: Vec<char> = user_id.trim().chars().collect();
        match digits.len() {
            0 => format!("{} user", network.label()),
            n => {
                let tail: String = digits[n.saturating_sub(4)..].iter().collect();
                format!("{} user ···{tail}", network.label())
            }
        }
    }
}

impl Customer {
    /// The name agents read ([`shown_name`]).
    pub fn shown_name(&self) -> String {
        shown_name(
            self.network,
            &self.details.display_name,
            &self.details.handle,
            &self.network_user_id,
        )
    }

    /// Their details with the empty name and handle filled from what a message carried, or
    /// `None` when it fills nothing: neither a detail that has a value nor one an agent set by
    /// hand (even to nothing) is overwritten by a payload.
    pub fn filled_from(&self, carried: &CustomerDetails) -> Option<CustomerDetails> {
        let mut carried = carried.clone();
        if self.agent_edited.contains(field::DISPLAY_NAME) {
            carried.display_name.clear();
        }
        if self.agent_edited.contains(field::HANDLE) {
            carried.handle.clear();
        }
        self.details.filled_from(&carried)
    }

    /// Replaces the details with what an agent typed, recording the details they changed as set
    /// by hand; answers the names of those details.
    pub fn edit_by_agent(&mut self, details: CustomerDetails) -> Vec<&'static str> {
        let changed = self.details.changed_fields(&details);
        self.agent_edited
            .extend(changed.iter().map(|f| (*f).to_owned()));
        self.details = details;
        changed
    }
}

impl CustomerDetails {
    /// These details with the empty name and handle filled from what a message carried, or
    /// `None` when it fills nothing: a detail that has a value (one an agent typed, say) is
    /// never overwritten by a payload.
    pub fn filled_from(&self, carried: &CustomerDetails) -> Option<CustomerDetails> {
        let mut filled = self.clone();
        let fill = |own: &mut String, new: &str| {
            if own.trim().is_empty() && !new.trim().is_empty() {
                *own = new.trim().to_owned();
            }
        };
        fill(&mut filled.display_name, &carried.display_name);
        fill(&mut filled.handle, &carried.handle);
        (filled != *self).then_some(filled)
    }
}

/// The most characters of a short detail (a name, a handle, an address of a picture).
pub const MAX_SHORT: usize = 500;
const MAX_LONG: usize = 10_000;
const MAX_ATTRIBUTES: usize = 100;

impl CustomerDetails {
    /// Checks lengths, so that a hostile caller cannot store megabytes in a name.
    pub fn validate(&self) -> Result<(), Refusal> {
        let short = [
            ("display_name", &self.display_name),
            ("handle", &self.handle),
            ("avatar_url", &self.avatar_url),
            ("email", &self.email),
            ("phone", &self.phone),
        ];
        for (name, value) in short {
            if value.chars().count() > MAX_SHORT {
                return Err(Refusal::invalid(format!(
                    "{name} is longer than {MAX_SHORT} characters"
                )));
            }
        }
        for (name, value) in [("address", &self.address), ("notes", &self.notes)] {
            if value.chars().count() > MAX_LONG {
                return Err(Refusal::invalid(format!(
                    "{name} is longer than {MAX_LONG} characters"
                )));
            }
        }
        if self.attributes.len() > MAX_ATTRIBUTES {
            return Err(Refusal::invalid(format!(
                "at most {MAX_ATTRIBUTES} attributes"
            )));
        }
        for (key, value) in &self.attributes {
            if key.trim().is_empty()
                || key.chars().count() > 100
                || value.chars().count() > MAX_SHORT
            {
                return Err(Refusal::invalid(format!(
                    "attribute {key:?} is empty or too long"
                )));
            }
        }
        Ok(())
    }

    /// The names of the details that differ between two versions, for the activity log.
    pub fn changed_fields(&self, other: &CustomerDetails) -> Vec<&'static str> {
        let pairs = [
            (field::DISPLAY_NAME, self.display_name != other.display_name),
            (field::HANDLE, self.handle != other.handle),
            (field::AVATAR_URL, self.avatar_url != other.avatar_url),
            ("email", self.email != other.email),
            ("phone", self.phone != other.phone),
            ("address", self.address != other.address),
            ("notes", self.notes != other.notes),
            ("attributes", self.attributes != other.attributes),
        ];
        pairs
            .into_iter()
            .filter(|(_, changed)| *changed)
            .map(|(name, _)| name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_details_are_refused() {
        let ok = CustomerDetails {
            display_name: "Ann".into(),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let long = CustomerDetails {
            notes: "x".repeat(MAX_LONG + 1),
            ..Default::default()
        };
        assert!(long.validate().is_err());
        let mut attrs = CustomerDetails::default();
        attrs.attributes.insert(" ".into(), "v".into());
        assert!(attrs.validate().is_err());
    }

    #[test]
    fn changed_fields_names_what_differs() {
        let a = CustomerDetails::default();
        let b = CustomerDetails {
            email: "a@b.c".into(),
            phone: "1".into(),
            ..Default::default()
        };
        assert_eq!(a.changed_fields(&b), vec!["email", "phone"]);
    }

    #[test]
    fn a_payload_fills_only_empty_names() {
        let named = |name: &str, handle: &str| CustomerDetails {
            display_name: name.into(),
            handle: handle.into(),
            ..Default::default()
        };
        let table = [
            (
                named("", ""),
                named("Ann", "ann"),
                Some(named("Ann", "ann")),
            ),
            (named("", "ann"), named("", "ann_ig"), None),
            (
                named("Typed by agent", ""),
                named("Ann", "ann"),
                Some(named("Typed by agent", "ann")),
            ),
            (named("Ann", "ann"), named("Other", "other"), None),
            (named("", ""), named(" ", ""), None),
        ];
        for (own, carried, expected) in table {
            assert_eq!(
                own.filled_from(&carried),
                expected,
                "{own:?} <- {carried:?}"
            );
        }
    }

    #[test]
    fn a_payload_never_fills_a_name_an_agent_set_even_to_nothing() {
        let mut customer = Customer {
            id: CustomerId(1),
            network: Network::Facebook,
            network_user_id: "2600".into(),
            details: CustomerDetails::default(),
            salesforce: None,
            agent_edited: BTreeSet::new(),
            lookup: Lookup::default(),
        };
        let carried = CustomerDetails {
            display_name: "Ann".into(),
            handle: "ann".into(),
            ..Default::default()
        };
        let edited = customer.edit_by_agent(CustomerDetails {
            handle: "typed".into(),
            email: "a@b.c".into(),
            ..Default::default()
        });
        assert_eq!(edited, vec!["handle", "email"]);
        let filled = customer.filled_from(&carried).expect("the name is filled");
        assert_eq!(
            (filled.display_name.as_str(), filled.handle.as_str()),
            ("Ann", "typed")
        );

        customer.edit_by_agent(CustomerDetails {
            display_name: "Typed".into(),
            ..customer.details.clone()
        });
        customer.edit_by_agent(CustomerDetails {
            display_name: String::new(),
            ..customer.details.clone()
        });
        assert_eq!(
            customer.filled_from(&carried),
            None,
            "cleared by hand stays empty"
        );
        assert_eq!(
            customer
                .agent_edited
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            vec!["display_name", "email", "handle"]
        );
    }

    #[test]
    fn an_unnamed_customer_is_told_apart_by_the_end_of_their_id() {
        let table = [
            (("Ann", "ann", "123456"), "Ann"),
            (("", "@ann", "123456"), "@ann"),
            (("", "", "987654321432"), "Facebook user ···1432"),
            (("", "", "12"), "Facebook user ···12"),
            (("", "", ""), "Facebook user"),
        ];
        for ((name, handle, id), shown) in table {
            assert_eq!(shown_name(Network::Facebook, name, handle, id), shown);
        }
    }
}
