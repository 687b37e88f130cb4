//! Shared fixtures of the domain's tests: a small installation with users of every role, a case
//! builder, a message builder and a fixed clock.

use std::collections::BTreeMap;

use crate::case::{Act, Case, CaseStatus, Priority, Sentiment};
use crate::case_field::{CaseField, FieldKind};
use crate::ids::{CaseFieldId, CaseId, ConversationId, CustomerId, MessageId, ProfileId, UserId};
use crate::message::{Author, Message, MessageKind};
use crate::time::Timestamp;
use crate::user::{CareAccess, Role, User};

/// The profile the fixture cases live on.
pub(crate) const P1: ProfileId = ProfileId(1);
/// Another profile, which only some users are connected to.
pub(crate) const P2: ProfileId = ProfileId(2);
/// The customer of the fixture cases.
pub(crate) const C1: CustomerId = CustomerId(1);

/// A fixed instant plus `secs` seconds.
pub(crate) fn t(secs: i64) -> Timestamp {
    Timestamp::from_secs(1_800_000_000 + secs)
}

pub(crate) fn user(id: i64, role: Role, care: CareAccess, profiles: &[ProfileId]) -> User {
    crate::user::tests::user(
        id,
        role,
        care,
        &profiles.iter().map(|p| p.0).collect::<Vec<_>>(),
    )
}

/// Care access `none`, connected to P1.
pub(crate) fn community_agent() -> User {
    user(1, Role::Member, CareAccess::None, &[P1])
}

/// The agent the fixture cases are usually assigned to, connected to P1.
pub(crate) fn agent() -> User {
    user(2, Role::Member, CareAccess::Agent, &[P1])
}

/// Another agent of P1.
pub(crate) fn other_agent() -> User {
    user(3, Role::Member, CareAccess::Agent, &[P1])
}

/// An agent connected to P2 only.
pub(crate) fn agent_elsewhere() -> User {
    user(4, Role::Member, CareAccess::Agent, &[P2])
}

/// A supervisor of P1.
pub(crate) fn supervisor() -> User {
    user(5, Role::Member, CareAccess::Supervisor, &[P1])
}

/// A supervisor of P2 only.
pub(crate) fn supervisor_elsewhere() -> User {
    user(6, Role::Member, CareAccess::Supervisor, &[P2])
}

/// An admin: stored Care access `none`, no granted profiles, yet supervisor everywhere.
pub(crate) fn admin() -> User {
    user(7, Role::Admin, CareAccess::None, &[])
}

/// A third agent of P1, the usual target of "give to someone else".
pub(crate) fn colleague() -> User {
    user(9, Role::Member, CareAccess::Agent, &[P1])
}

/// The same user, deactivated.
pub(crate) fn deactivated(mut user: User) -> User {
    user.active = false;
    user
}

/// An act without an expected version.
pub(crate) fn act(actor: &User, now: Timestamp) -> Act<'_> {
    Act {
        actor,
        now,
        expected_version: None,
    }
}

/// An act sent with the version the actor last saw.
pub(crate) fn act_v(actor: &User, now: Timestamp, version: i64) -> Act<'_> {
    Act {
        actor,
        now,
        expected_version: Some(version),
    }
}

/// Builds cases: by default a New, unassigned case #1 of C1 on P1 at version 1.
pub(crate) struct CaseBuilder(Case);

pub(crate) fn case() -> CaseBuilder {
    CaseBuilder(Case {
        id: CaseId(1),
        number: 1,
        customer_id: C1,
        profile_id: P1,
        status: CaseStatus::New,
        assignee_id: None,
        priority: Priority::Medium,
        sentiment: Sentiment::None,
        fields: BTreeMap::new(),
        note: "please help".into(),
        escalated_by: UserId(1),
        escalated_from: MessageId(1),
        created_at: t(0),
        last_customer_message_at: Some(t(0)),
        grace_until: None,
        holds_active_slot: true,
        previous_case_id: None,
        version: 1,
        deleted: false,
    })
}

impl CaseBuilder {
    pub(crate) fn status(mut self, status: CaseStatus) -> Self {
        self.0.status = status;
        self.0.holds_active_slot = status.is_in_progress();
        self
    }

    /// Open and assigned to `user`.
    pub(crate) fn open_for(self, user: &User) -> Self {
        self.status(CaseStatus::Open).assignee(user)
    }

    pub(crate) fn assignee(mut self, user: &User) -> Self {
        self.0.assignee_id = Some(user.id);
        self
    }

    /// Done, with its grace period ending at `until`.
    pub(crate) fn done_until(mut self, until: Timestamp) -> Self {
        self.0.status = CaseStatus::Done;
        self.0.grace_until = Some(until);
        self.0.holds_active_slot = true;
        self
    }

    pub(crate) fn number(mut self, number: i64) -> Self {
        self.0.id = CaseId(number);
        self.0.number = number;
        self
    }

    pub(crate) fn profile(mut self, profile: ProfileId) -> Self {
        self.0.profile_id = profile;
        self
    }

    pub(crate) fn version(mut self, version: i64) -> Self {
        self.0.version = version;
        self
    }

    pub(crate) fn deleted(mut self) -> Self {
        self.0.deleted = true;
        self.0.holds_active_slot = false;
        self
    }

    pub(crate) fn build(self) -> Case {
        self.0
    }
}

/// Builds messages: by default a customer's public comment on P1, received at `t(0)`.
pub(crate) struct MessageBuilder(Message);

pub(crate) fn message(id: i64) -> MessageBuilder {
    MessageBuilder(Message {
        id: MessageId(id),
        profile_id: P1,
        network_id: Some(format!("net-{id}")),
        kind: MessageKind::Comment,
        author: Author::Customer,
        customer_id: Some(C1),
        sent_by: None,
        conversation_id: Some(ConversationId(1)),
        parent_id: None,
        parent_network_id: Some("post-1".into()),
        text: "my order is late".into(),
        attachments: Vec::new(),
        created_at: t(0),
        received_at: t(0),
        edited_at: None,
        hidden: false,
        deleted: false,
        visible_only_to_customer: false,
        delivery: None,
        error: None,
        standby: false,
    })
}

impl MessageBuilder {
    pub(crate) fn kind(mut self, kind: MessageKind) -> Self {
        self.0.kind = kind;
        self
    }

    pub(crate) fn profile(mut self, profile: ProfileId) -> Self {
        self.0.profile_id = profile;
        self
    }

    /// Written (network time) and received (server time) at `at`.
    pub(crate) fn at(mut self, at: Timestamp) -> Self {
        self.0.created_at = at;
        self.0.received_at = at;
        self
    }

    pub(crate) fn no_network_id(mut self) -> Self {
        self.0.network_id = None;
        self
    }

    pub(crate) fn hidden(mut self) -> Self {
        self.0.hidden = true;
        self
    }

    pub(crate) fn deleted(mut self) -> Self {
        self.0.deleted = true;
        self
    }

    pub(crate) fn build(self) -> Message {
        self.0
    }
}

/// An enabled case field of `kind`.
pub(crate) fn field(id: i64, kind: FieldKind, mandatory: bool) -> CaseField {
    CaseField {
        id: CaseFieldId(id),
        name: format!("Field {id}"),
        kind,
        options: if matches!(kind, FieldKind::Select | FieldKind::Multiselect) {
            vec!["a".into(), "b".into()]
        } else {
            Vec::new()
        },
        mandatory,
        enabled: true,
        position: id,
    }
}
