//! The JSON shapes of the API (API.md), built from domain values. Ids travel as strings, times
//! as RFC 3339 UTC, words as snake_case.

use std::collections::BTreeMap;

use caredesk_app::queries::{CaseDetails, ListedCase, Page, Standing, StoredEvent, UserView};
use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::sla::ShownTarget;
use caredesk_domain::{Case, Message, Network, User};

use super::attachments::AttachmentBody;
use serde::Serialize;
use utoipa::ToSchema;

/// The customer of a case, as lists and the case show it.
#[derive(Serialize, ToSchema)]
pub struct CustomerRef {
    id: String,
    name: String,
    handle: String,
    network: String,
}

impl CustomerRef {
    /// The customer shown with a case or an item.
    pub(crate) fn new(id: impl ToString, name: &str, handle: &str, network: Network) -> Self {
        CustomerRef {
            id: id.to_string(),
            name: name.to_owned(),
            handle: handle.to_owned(),
            network: network.to_string(),
        }
    }
}

/// A case.
#[derive(Serialize, ToSchema)]
pub struct CaseBody {
    id: String,
    number: i64,
    version: i64,
    status: String,
    customer: CustomerRef,
    profile_id: String,
    assignee_id: Option<String>,
    priority: String,
    sentiment: String,
    #[schema(value_type = Object)]
    fields: BTreeMap<String, serde_json::Value>,
    note: String,
    escalated_by: String,
    created_at: String,
    last_customer_message_at: Option<String>,
    grace_until: Option<String>,
    previous_case_id: Option<String>,
    salesforce: Option<SalesforceCaseBody>,
    /// Its service-level targets.
    sla: Vec<SlaTargetBody>,
}

/// One service-level target of a case.
#[derive(Serialize, ToSchema)]
pub struct SlaTargetBody {
    /// `first_response`, `next_response` or `resolution`.
    target: String,
    /// When it is (or was) due; null while paused and once met.
    due_at: Option<String>,
    /// `running`, `paused`, `met` or `breached`.
    state: String,
    /// When its warning share was used.
    warned_at: Option<String>,
    met_at: Option<String>,
    breached_at: Option<String>,
}

impl From<&ShownTarget> for SlaTargetBody {
    fn from(t: &ShownTarget) -> Self {
        SlaTargetBody {
            target: t.target.to_string(),
            due_at: t.due_at.map(|t| t.to_rfc3339()),
            state: t.state.to_string(),
            warned_at: t.warned_at.map(|t| t.to_rfc3339()),
            met_at: t.met_at.map(|t| t.to_rfc3339()),
            breached_at: t.breached_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// The Salesforce Case linked to a case.
#[derive(Serialize, ToSchema)]
pub struct SalesforceCaseBody {
    /// Salesforce's record id.
    case_id: String,
    /// Where to open it in Salesforce.
    case_url: String,
    /// Salesforce's own status as last read (read-only).
    status: Option<String>,
    /// Salesforce's `CaseNumber`, once read.
    number: Option<String>,
    created_at: String,
}

impl From<&SalesforceCase> for SalesforceCaseBody {
    fn from(link: &SalesforceCase) -> Self {
        SalesforceCaseBody {
            case_id: link.id.clone(),
            case_url: link.url.clone(),
            status: link.status.clone(),
            number: link.number.clone(),
            created_at: link.created_at.to_rfc3339(),
        }
    }
}

impl CaseBody {
    fn build(case: &Case, customer: CustomerRef) -> Self {
        CaseBody {
            id: case.id.to_string(),
            number: case.number,
            version: case.version,
            status: case.status.to_string(),
            customer,
            profile_id: case.profile_id.to_string(),
            assignee_id: case.assignee_id.map(|u| u.to_string()),
            priority: case.priority.to_string(),
            sentiment: case.sentiment.to_string(),
            fields: case
                .fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_json()))
                .collect(),
            note: case.note.clone(),
            escalated_by: case.escalated_by.to_string(),
            created_at: case.created_at.to_rfc3339(),
            last_customer_message_at: case.last_customer_message_at.map(|t| t.to_rfc3339()),
            grace_until: case.grace_until.map(|t| t.to_rfc3339()),
            previous_case_id: case.previous_case_id.map(|c| c.to_string()),
            salesforce: None,
            sla: Vec::new(),
        }
    }

    /// A case with its customer and its Salesforce Case.
    pub fn of(details: &CaseDetails) -> Self {
        let c = &details.customer;
        let d = &c.details;
        let mut body = Self::build(
            &details.case,
            CustomerRef::new(c.id, &d.display_name, &d.handle, c.network),
        );
        body.salesforce = details.salesforce.as_ref().map(SalesforceCaseBody::from);
        body.sla = details.sla.iter().map(SlaTargetBody::from).collect();
        body
    }

    /// A case of a list.
    pub fn listed(listed: &ListedCase) -> Self {
        let row = &listed.row;
        let customer = CustomerRef::new(
            row.case.customer_id,
            &row.customer_name,
            &row.customer_handle,
            row.network,
        );
        let mut body = Self::build(&row.case, customer);
        body.salesforce = listed.salesforce.as_ref().map(SalesforceCaseBody::from);
        body.sla = listed.sla.iter().map(SlaTargetBody::from).collect();
        body
    }
}

/// One page of cases.
#[derive(Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseBody>,
    pub next_cursor: Option<String>,
}

impl CasePage {
    /// A page of cases with their Salesforce Cases.
    pub(crate) fn of(page: Page<ListedCase>) -> Self {
        CasePage {
            items: page.items.iter().map(CaseBody::listed).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// A message of a case's conversation: customer, brand reply or internal note.
#[derive(Serialize, ToSchema)]
pub struct MessageBody {
    id: String,
    network_id: Option<String>,
    kind: String,
    author: String,
    sent_by: Option<String>,
    text: String,
    attachments: Vec<AttachmentBody>,
    parent_id: Option<String>,
    created_at: String,
    edited_at: Option<String>,
    hidden: bool,
    deleted: bool,
    visible_only_to_customer: bool,
    /// Arrived while another app (a bot, say) held the conversation.
    standby: bool,
    delivery: Option<String>,
    error: Option<String>,
}

impl From<&Message> for MessageBody {
    fn from(m: &Message) -> Self {
        MessageBody {
            id: m.id.to_string(),
            network_id: m.network_id.clone(),
            kind: m.kind.to_string(),
            author: m.author.to_string(),
            sent_by: m.sent_by.map(|u| u.to_string()),
            text: m.text.clone(),
            attachments: m.attachments.iter().map(AttachmentBody::from).collect(),
            parent_id: m.parent_id.map(|p| p.to_string()),
            created_at: m.created_at.to_rfc3339(),
            edited_at: m.edited_at.map(|t| t.to_rfc3339()),
            hidden: m.hidden,
            deleted: m.deleted,
            visible_only_to_customer: m.visible_only_to_customer,
            standby: m.standby,
            delivery: m.delivery.map(|d| d.to_string()),
            error: m.error.clone(),
        }
    }
}

/// One page of messages.
#[derive(Serialize, ToSchema)]
pub struct MessagePage {
    pub items: Vec<MessageBody>,
    pub next_cursor: Option<String>,
}

/// A page of a case's messages: a DM conversation shows its last 500 direct messages, and
/// `older_messages_hidden` says how many older ones it leaves out (absent when none).
#[derive(Serialize, ToSchema)]
pub struct CaseMessagePage {
    pub items: Vec<MessageBody>,
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub older_messages_hidden: Option<i64>,
}

impl CaseMessagePage {
    /// A page of a case's messages.
    pub(crate) fn of(found: caredesk_app::queries::CaseMessages) -> Self {
        let MessagePage { items, next_cursor } = MessagePage::of(found.page);
        CaseMessagePage {
            items,
            next_cursor,
            older_messages_hidden: (found.older_hidden > 0).then_some(found.older_hidden),
        }
    }
}

impl MessagePage {
    /// A page of messages.
    pub(crate) fn of(page: Page<Message>) -> Self {
        MessagePage {
            items: page.items.iter().map(MessageBody::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// An event of the activity log.
#[derive(Serialize, ToSchema)]
pub struct EventBody {
    id: String,
    kind: String,
    actor_id: Option<String>,
    at: String,
    #[schema(value_type = Object)]
    data: serde_json::Value,
}

impl From<&StoredEvent> for EventBody {
    fn from(e: &StoredEvent) -> Self {
        EventBody {
            id: e.id.to_string(),
            kind: e.event.kind.name(),
            actor_id: e.event.actor.map(|u| u.to_string()),
            at: e.event.at.to_rfc3339(),
            data: serde_json::to_value(&e.event.kind).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A list of events.
#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventBody>,
    pub next_cursor: Option<String>,
}

/// A user. `email`, `role` and `profile_ids` are shown to admins and to the user themself.
#[derive(Serialize, ToSchema)]
pub struct UserBody {
    id: String,
    name: String,
    care_access: String,
    capacity: u32,
    load: i64,
    active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_ids: Option<Vec<String>>,
    /// The IANA zone their times are shown in; `null` is the browser's.
    time_zone: Option<String>,
    /// `online`, `away` (by choice or after the idle time) or `offline`.
    presence: String,
}

impl UserBody {
    /// A user as `viewer` may see them.
    pub fn of(user: &User, standing: Standing, full: bool) -> Self {
        UserBody {
            id: user.id.to_string(),
            name: user.name.clone(),
            care_access: user.care_access().to_string(),
            capacity: user.capacity,
            load: standing.load,
            active: user.active,
            email: full.then(|| user.email.clone()),
            role: full.then(|| user.role.to_string()),
            profile_ids: full.then(|| user.profile_ids.iter().map(|p| p.to_string()).collect()),
            time_zone: user.time_zone.as_ref().map(|z| z.to_string()),
            presence: standing.presence.to_string(),
        }
    }

    /// A user as the caller sees them.
    pub fn seen(view: &UserView) -> Self {
        let standing = Standing {
            load: view.load,
            presence: view.presence,
        };
        Self::of(&view.user, standing, view.details)
    }
}

/// A list of users.
#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserBody>,
    pub next_cursor: Option<String>,
}
