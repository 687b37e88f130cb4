//! The rows of the data set, customer by customer: the customer, their DM conversation and
//! comment threads, the messages (customer messages and sent brand replies), Community items,
//! cases in every status with their messages and activity log. Each customer's rows come from
//! their own seeded random numbers, so a batch of customers is the same whatever the batching.

use std::collections::BTreeSet;
use std::ops::Range;

use caredesk_domain::*;
use caredesk_store::bulk::{BulkRows, LastIds};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{mix, text, Cast, Newest, Plan, LONG_THREAD};

mod cases;

const MICROS: i64 = 1_000_000;

/// Makes the rows of a plan, batch after batch, numbering conversations, messages and items
/// after what the installation already holds.
pub struct Generator<'c> {
    plan: Plan,
    cast: &'c Cast,
    next_conversation: i64,
    next_message: i64,
    next_item: i64,
}

/// Where messages go: a conversation and what its messages are.
struct Thread {
    conversation: ConversationId,
    profile: ProfileId,
    customer: CustomerId,
    dm: bool,
    network: Network,
    root: String,
}

/// What a run of messages left behind.
struct Run {
    ids: Vec<(MessageId, Timestamp)>,
    dm: bool,
    first_customer: MessageId,
    last_customer: Option<(MessageId, Timestamp)>,
    end_secs: i64,
}

fn at(secs: i64) -> Timestamp {
    Timestamp(secs * MICROS)
}

impl<'c> Generator<'c> {
    /// A generator numbering after `last`.
    pub fn new(plan: Plan, cast: &'c Cast, last: LastIds) -> Self {
        Generator {
            plan,
            cast,
            next_conversation: last.conversation,
            next_message: last.message,
            next_item: last.community_item,
        }
    }

    /// The rows of customers `range` and their cases.
    pub fn customers(&mut self, range: Range<u64>) -> BulkRows {
        let mut rows = BulkRows::default();
        for k in range {
            self.customer(k, &mut rows);
        }
        rows
    }

    fn conversation(&mut self, rows: &mut BulkRows, thread: Thread) -> Thread {
        self.next_conversation += 1;
        let thread = Thread {
            conversation: ConversationId(self.next_conversation),
            ..thread
        };
        rows.conversations.push(Conversation {
            id: thread.conversation,
            profile_id: thread.profile,
            customer_id: thread.customer,
            kind: if thread.dm {
                ConversationKind::Dm
            } else {
                ConversationKind::Thread
            },
            root_network_id: thread.root.clone(),
        });
        thread
    }

    fn customer(&mut self, k: u64, rows: &mut BulkRows) {
        let mut rng = StdRng::seed_from_u64(mix(k ^ 0x00c0_ffee));
        let index = self.plan.profile_of(k);
        let (profile, network, _) = self.cast.profiles[index].clone();
        let customer = CustomerId(i64::try_from(k).unwrap_or(i64::MAX) + 1);
        let name = Plan::customer_name(k);
        let handle = name.to_lowercase().replace(' ', "_");
        rows.customers.push(Customer {
            id: customer,
            network,
            network_user_id: Plan::network_user_id(k),
            details: CustomerDetails {
                email: format!("{handle}{k}@example.com"),
                display_name: name,
                handle,
                ..CustomerDetails::default()
            },
            salesforce: None,
            agent_edited: Default::default(),
            lookup: Default::default(),
        });
        let base = Thread {
            conversation: ConversationId(0),
            profile,
            customer,
            dm: true,
            network,
            root: String::new(),
        };
        let dm = self.conversation(rows, base);
        let cases: Vec<u64> = self.plan.cases_of(k).collect();
        let quota = self.plan.message_quota(k);
        let community = quota / 10;
        let per_case = (quota - community) / (cases.len().max(1) as u64);
        let mut last_dm: Option<(MessageId, Timestamp, Timestamp)> = None;
        let mut previous: Option<CaseId> = None;
        for (r, j) in cases.iter().copied().enumerate() {
            let newest = r + 1 == cases.len();
            let long = newest && k == 0;
            let count = if long { LONG_THREAD } else { per_case.max(2) };
            let start = self.plan.case_created_secs(j) - 600;
            // `None`: an older case, final by now.
            let state = newest.then(|| self.plan.newest(k));
            let agent = match state {
                Some(Newest::InProgress(_, Some(a))) => Some(self.cast.agents[a]),
                Some(Newest::InProgress(_, None)) => None,
                _ => Some(self.cast.agents[rng.gen_range(0..self.cast.agents.len())]),
            };
            let replies = agent.is_some();
            let run = if j % 3 == 0 && !long {
                let thread = Thread {
                    dm: false,
                    root: format!("{}_{j}", self.cast.profiles[index].2),
                    ..dm_like(&dm)
                };
                let thread = self.conversation(rows, thread);
                self.run(rows, &thread, count, start, replies, agent, &mut rng)
            } else {
                let gap = if long { 480 } else { 900 };
                let run = self.run_gap(rows, &dm, count, start, gap, replies, agent, &mut rng);
                if let Some((id, t)) = run.last_customer {
                    let first = last_dm.map_or(t, |(_, _, f)| f);
                    last_dm = Some((id, t, first));
                }
                run
            };
            let id = Plan::case_id(j);
            self.case(rows, j, id, &dm, &run, state, agent, previous, &mut rng);
            previous = Some(id);
        }
        if community > 0 {
            let thread = Thread {
                dm: false,
                root: format!("{}_c{k}", self.cast.profiles[index].2),
                ..dm_like(&dm)
            };
            let thread = self.conversation(rows, thread);
            let start = self.plan.case_created_secs(k.min(self.plan.sizes.cases)) - 7_200;
            self.run(rows, &thread, community, start, false, None, &mut rng);
        }
        if let Some((message, updated, created)) = last_dm {
            self.next_item += 1;
            rows.community_items.push(CommunityItem {
                id: CommunityItemId(self.next_item),
                profile_id: profile,
                customer_id: customer,
                kind: ItemKind::DmThread,
                message_id: message,
                conversation_id: dm.conversation,
                status: CommunityStatus::Done,
                labels: BTreeSet::new(),
                created_at: created,
                updated_at: updated,
                customer_last_case_spam: false,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        rows: &mut BulkRows,
        thread: &Thread,
        count: u64,
        start: i64,
        replies: bool,
        agent: Option<UserId>,
        rng: &mut StdRng,
    ) -> Run {
        self.run_gap(rows, thread, count, start, 1_800, replies, agent, rng)
    }

    /// `count` messages from `start`, a customer's first and then, when `replies`, the agent's
    /// answers in turn, about `gap` seconds apart.
    #[allow(clippy::too_many_arguments)]
    fn run_gap(
        &mut self,
        rows: &mut BulkRows,
        t: &Thread,
        count: u64,
        start: i64,
        gap: i64,
        replies: bool,
        agent: Option<UserId>,
        rng: &mut StdRng,
    ) -> Run {
        let mut run = Run {
            ids: Vec::new(),
            dm: t.dm,
            first_customer: MessageId(self.next_message + 1),
            last_customer: None,
            end_secs: start,
        };
        let mut secs = start;
        let mut parent = None;
        for n in 0..count {
            self.next_message += 1;
            let id = MessageId(self.next_message);
            let from_customer = !replies || n % 2 == 0;
            let kind = match (t.dm, from_customer, t.network) {
                (true, _, _) => MessageKind::Direct,
                (false, false, _) => MessageKind::Reply,
                (false, true, Network::X) => MessageKind::Mention,
                (false, true, _) => MessageKind::Comment,
            };
            let (text, network_id) = if from_customer {
                (text::ask(id.0 as u64), format!("m_{}", id.0))
            } else {
                (text::answer(id.0 as u64).to_owned(), format!("b_{}", id.0))
            };
            let time = Timestamp(secs * MICROS + (id.0 % 1_000));
            rows.messages.push(Message {
                id,
                profile_id: t.profile,
                network_id: Some(network_id),
                kind,
                author: if from_customer {
                    Author::Customer
                } else {
                    Author::Brand
                },
                customer_id: Some(t.customer),
                sent_by: if from_customer { None } else { agent },
                conversation_id: Some(t.conversation),
                parent_id: if t.dm { None } else { parent },
                parent_network_id: (!t.dm).then(|| t.root.clone()),
                text,
                attachments: Vec::new(),
                created_at: time,
                received_at: time,
                edited_at: None,
                hidden: false,
                deleted: false,
                visible_only_to_customer: false,
                delivery: (!from_customer).then_some(Delivery::Sent),
                error: None,
                standby: false,
            });
            if from_customer {
                run.last_customer = Some((id, time));
                parent = Some(id);
                if !t.dm {
                    self.next_item += 1;
                    rows.community_items.push(CommunityItem {
                        id: CommunityItemId(self.next_item),
                        profile_id: t.profile,
                        customer_id: t.customer,
                        kind: ItemKind::Message,
                        message_id: id,
                        conversation_id: t.conversation,
                        status: [CommunityStatus::Done, CommunityStatus::NoAction]
                            [rng.gen_range(0..2)],
                        labels: BTreeSet::new(),
                        created_at: time,
                        updated_at: time,
                        customer_last_case_spam: false,
                    });
                }
            }
            run.ids.push((id, time));
            run.end_secs = secs;
            secs += rng.gen_range(gap / 2..gap * 3 / 2).max(1);
        }
        run
    }
}

/// A copy of a thread's identity, for deriving another thread of the same customer.
fn dm_like(t: &Thread) -> Thread {
    Thread {
        conversation: t.conversation,
        profile: t.profile,
        customer: t.customer,
        dm: t.dm,
        network: t.network,
        root: t.root.clone(),
    }
}
