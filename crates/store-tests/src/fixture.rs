//! A small world for stories: one Meta app, two profiles, users of each role, customers with
//! conversations and messages, written straight through the store.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use caredesk_domain::escalation::NewCase;
use caredesk_domain::*;

use caredesk_store::{NewUser, Store, Tx};

/// The world a story starts from.
pub struct Fixture {
    /// The store under test.
    pub store: Arc<dyn Store>,
    /// Two Facebook profiles.
    pub profiles: [Profile; 2],
    /// An admin, a supervisor of profile 0, two agents of profile 0, a community agent.
    pub admin: User,
    /// Supervisor of profile 0.
    pub supervisor: User,
    /// Agent of profile 0.
    pub agent: User,
    /// Another agent of profile 0.
    pub other_agent: User,
    /// Community agent of profile 0.
    pub community: User,
}

/// The time stories start at.
pub const T0: Timestamp = Timestamp(1_790_000_000_000_000);

/// Inserts a community item inside `tx` on an id reserved for it, as ingest does: the item
/// `stored` makes of that id. Answers the item.
pub(crate) async fn insert_item(
    tx: &mut dyn Tx,
    stored: impl FnOnce(CommunityItemId) -> CommunityItem,
) -> CommunityItem {
    let reserved = tx.reserve_ids(0, 1).await.expect("reserve an item id");
    let item = stored(reserved.items[0]);
    tx.insert_community_items(std::slice::from_ref(&item))
        .await
        .expect("item");
    item
}

fn user(email: &str, role: Role, care: CareAccess, profiles: &[ProfileId]) -> NewUser {
    NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap_or(email).into(),
        role,
        care_access: care,
        capacity: 5,
        profile_ids: profiles.iter().copied().collect(),
        password_hash: "$argon2id$fake".into(),
    }
}

/// The fixture's profile `i` (0 or 1), served by `app`.
pub(crate) fn new_profile(i: usize, app: NetworkAppId) -> NewProfile {
    NewProfile {
        network: Network::Facebook,
        external_id: format!("page-{i}"),
        name: ["Brand Page", "Brand Care"][i].into(),
        app_id: app,
        access_token: "token".into(),
        token_secret: String::new(),
    }
}

impl Fixture {
    /// Builds the world.
    pub async fn new(store: Arc<dyn Store>) -> Fixture {
        let mut tx = store.begin().await.expect("begin");
        let app = tx
            .insert_network_app(&NewNetworkApp {
                network: AppNetwork::Meta,
                name: "Brand app".into(),
                app_secret: "secret".into(),
                verify_token: "verify".into(),
                consumer_key: String::new(),
            })
            .await
            .expect("insert app");
        let mut profiles = Vec::new();
        for i in 0..2 {
            let p = new_profile(i, app.id);
            profiles.push(tx.insert_profile(&p).await.expect("insert profile"));
        }
        let p0 = [profiles[0].id];
        let admin = tx
            .insert_user(&user(
                "admin@example.com",
                Role::Admin,
                CareAccess::Supervisor,
                &[],
            ))
            .await
            .expect("admin");
        let supervisor = tx
            .insert_user(&user(
                "sup@example.com",
                Role::Member,
                CareAccess::Supervisor,
                &p0,
            ))
            .await
            .expect("sup");
        let agent = tx
            .insert_user(&user(
                "agent@example.com",
                Role::Member,
                CareAccess::Agent,
                &p0,
            ))
            .await
            .expect("agent");
        let other_agent = tx
            .insert_user(&user(
                "agent2@example.com",
                Role::Member,
                CareAccess::Agent,
                &p0,
            ))
            .await
            .expect("agent2");
        let community = tx
            .insert_user(&user(
                "community@example.com",
                Role::Member,
                CareAccess::None,
                &p0,
            ))
            .await
            .expect("community");
        tx.commit().await.expect("commit");
        let profiles: [Profile; 2] = [profiles[0].clone(), profiles[1].clone()];
        Fixture {
            store,
            profiles,
            admin,
            supervisor,
            agent,
            other_agent,
            community,
        }
    }

    /// A customer on Facebook with a DM conversation on `profile`.
    pub async fn customer(
        &self,
        uid: &str,
        name: &str,
        profile: ProfileId,
    ) -> (Customer, Conversation) {
        let mut tx = self.store.begin().await.expect("begin");
        let details = CustomerDetails {
            display_name: name.into(),
            handle: uid.into(),
            ..Default::default()
        };
        let customer = tx
            .insert_customer(Network::Facebook, uid, &details)
            .await
            .expect("customer");
        let conversation = tx
            .conversation_for(profile, customer.id, ConversationKind::Dm, "")
            .await
            .expect("conversation");
        tx.commit().await.expect("commit");
        (customer, conversation)
    }

    /// A customer message in a conversation.
    pub fn message(
        conversation: &Conversation,
        network_id: &str,
        text: &str,
        at: Timestamp,
    ) -> NewMessage {
        let kind = if conversation.kind == ConversationKind::Dm {
            MessageKind::Direct
        } else {
            MessageKind::Comment
        };
        NewMessage {
            network_id: Some(network_id.into()),
            customer_id: Some(conversation.customer_id),
            conversation_id: Some(conversation.id),
            ..NewMessage::written(conversation.profile_id, kind, Author::Customer, text, at)
        }
    }

    /// A case escalated from `message`, stored with the message and its conversation.
    pub fn new_case(&self, message: &Message, assignee: Option<UserId>, at: Timestamp) -> NewCase {
        NewCase {
            customer_id: message.customer_id.expect("customer message"),
            profile_id: message.profile_id,
            status: if assignee.is_some() {
                CaseStatus::Open
            } else {
                CaseStatus::New
            },
            assignee_id: assignee,
            priority: Priority::Medium,
            fields: BTreeMap::new(),
            note: String::new(),
            escalated_by: self.community.id,
            escalated_from: message.id,
            created_at: at,
            last_customer_message_at: Some(message.received_at),
            previous_case_id: None,
        }
    }

    /// Stores a message and a case escalated from it; answers the case.
    pub async fn case_from(
        &self,
        conversation: &Conversation,
        network_id: &str,
        text: &str,
        assignee: Option<UserId>,
        at: Timestamp,
    ) -> Case {
        let mut tx = self.store.begin().await.expect("begin");
        let m = tx
            .insert_message(&Self::message(conversation, network_id, text, at))
            .await
            .expect("message");
        let case = tx
            .insert_case(&self.new_case(&m, assignee, at))
            .await
            .expect("case");
        tx.add_conversation_to_case(case.id, conversation.id)
            .await
            .expect("snapshot");
        tx.commit().await.expect("commit");
        case
    }

    /// Saves a changed case.
    pub async fn save(&self, case: &Case) {
        let mut tx = self.store.begin().await.expect("begin");
        let as_read = tx.case(case.id).await.expect("read").expect("case");
        tx.save_cases(&[(&as_read, case)]).await.expect("save");
        tx.commit().await.expect("commit");
    }

    /// The profiles of a set.
    pub fn profile_set(&self, which: &[usize]) -> BTreeSet<ProfileId> {
        which.iter().map(|i| self.profiles[*i].id).collect()
    }
}
