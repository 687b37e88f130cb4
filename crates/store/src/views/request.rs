//! What a caller asks of a view: which view, whose eyes, which filters, which order, which page.

use caredesk_domain::{CaseFieldId, CaseStatus, Network, Priority, ProfileId, UserId};

/// The default views of the Care inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Supervisor: every case not done/spam; agent: their own.
    Inbox,
    /// Unassigned new cases.
    New,
    /// The viewer's open cases.
    MyOpen,
    /// The viewer's pending cases.
    MyPending,
    /// The viewer's on-hold cases.
    MyOnHold,
    /// Supervisor: every done case; agent: their own.
    Done,
    /// Supervisor: every spam case; agent: their own.
    Spam,
    /// The cases where the viewer was mentioned, unread mentions first, then newest mention.
    Mentions,
    /// Cases in progress with a service-level target at risk or missed (supervisor: every
    /// one; agent: their own), soonest due first.
    SlaAtRisk,
}

impl View {
    /// Every view, in menu order.
    pub const ALL: [View; 9] = [
        View::Inbox,
        View::New,
        View::MyOpen,
        View::MyPending,
        View::MyOnHold,
        View::Done,
        View::Spam,
        View::Mentions,
        View::SlaAtRisk,
    ];

    /// The view's word in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Inbox => "inbox",
            View::New => "new",
            View::MyOpen => "my_open",
            View::MyPending => "my_pending",
            View::MyOnHold => "my_on_hold",
            View::Done => "done",
            View::Spam => "spam",
            View::Mentions => "mentions",
            View::SlaAtRisk => "sla_at_risk",
        }
    }

    /// Parses a view word.
    pub fn parse(word: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == word)
    }

    /// The view's own sort order.
    pub fn default_sort(self) -> Sort {
        match self {
            View::Inbox | View::New => Sort {
                key: SortKey::Created,
                descending: false,
            },
            View::MyOpen | View::MyOnHold => Sort {
                key: SortKey::LastCustomerMessage,
                descending: true,
            },
            View::MyPending => Sort {
                key: SortKey::LastCustomerMessage,
                descending: false,
            },
            View::Done | View::Spam => Sort {
                key: SortKey::Created,
                descending: true,
            },
            View::Mentions => Sort {
                key: SortKey::Mention,
                descending: true,
            },
            View::SlaAtRisk => Sort {
                key: SortKey::SlaDue,
                descending: false,
            },
        }
    }
}

/// What a list is sorted by (always with the case id as tie-breaker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Creation time.
    Created,
    /// The customer's last message.
    LastCustomerMessage,
    /// Priority, urgent first.
    Priority,
    /// The Mentions view's own order: unread mentions of the viewer first, then the newest
    /// mention (not a `sort=` word; only that view reads it).
    Mention,
    /// The nearest running service-level target's due time; cases without one last.
    SlaDue,
}

/// A sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The key.
    pub key: SortKey,
    /// Descending when true.
    pub descending: bool,
}

impl Sort {
    /// Parses `created`, `last_customer_message`, `priority`, `sla_due`, with `-` for
    /// descending.
    pub fn parse(text: &str) -> Option<Sort> {
        let (descending, word) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let key = match word {
            "created" => SortKey::Created,
            "last_customer_message" => SortKey::LastCustomerMessage,
            "priority" => SortKey::Priority,
            "sla_due" => SortKey::SlaDue,
            _ => return None,
        };
        Some(Sort { key, descending })
    }
}

/// Which profiles a viewer reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileScope {
    /// Every profile (admins).
    All,
    /// These profiles.
    Only(Vec<ProfileId>),
}

impl ProfileScope {
    /// The profiles a user reaches: all for admins, else their connections.
    pub fn of(user: &caredesk_domain::User) -> ProfileScope {
        if user.is_admin() {
            ProfileScope::All
        } else {
            ProfileScope::Only(user.profile_ids.iter().copied().collect())
        }
    }
}

/// Who is looking, as the views need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// The user.
    pub user_id: UserId,
    /// Supervisors see every case of their profiles in Inbox, Done and Spam.
    pub supervisor: bool,
    /// Their profiles.
    pub profiles: ProfileScope,
}

impl Viewer {
    /// The viewer of a user (`None` for users without Care access, who see no cases).
    pub fn of(user: &caredesk_domain::User) -> Option<Viewer> {
        if !user.active || !user.has_care_access() {
            return None;
        }
        Some(Viewer {
            user_id: user.id,
            supervisor: user.is_supervisor(),
            profiles: ProfileScope::of(user),
        })
    }
}

/// Who a list is narrowed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Unassigned cases.
    Unassigned,
    /// Cases of this user.
    User(UserId),
}

/// Optional narrowing of a view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only this status.
    pub status: Option<CaseStatus>,
    /// Only this assignee.
    pub assignee: Option<AssigneeFilter>,
    /// Only this profile.
    pub profile_id: Option<ProfileId>,
    /// Only this network.
    pub network: Option<Network>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Field values (`field.<id>=value`); a multi-select matches any of its labels.
    pub fields: Vec<(CaseFieldId, String)>,
    /// Free text: case number, customer name or handle, message text.
    pub text: Option<String>,
}

/// A page request of a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseQuery {
    /// Who looks.
    pub viewer: Viewer,
    /// Which view.
    pub view: View,
    /// Narrowing.
    pub filter: CaseFilter,
    /// Sort order (default: the view's).
    pub sort: Option<Sort>,
    /// Where the page starts.
    pub cursor: Option<String>,
    /// Rows per page (1..=200).
    pub limit: u32,
}

/// The largest page.
pub const MAX_LIMIT: u32 = 200;
