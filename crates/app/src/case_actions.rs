//! What Care users do to a case: assign, set the status, reopen, delete, edit priority,
//! sentiment and fields, add notes. Each is one change run by [`App::change`]: alone in its
//! transaction, or grouped with the changes that arrive with it.

use std::collections::BTreeMap;

use caredesk_domain::case::{Act, CaseEdit};
use caredesk_domain::escalation::parse_field_values;
use caredesk_domain::notification;
use caredesk_domain::*;
use caredesk_store::{Store, Tx};

use crate::error::{AppResult, FoundOr};
use crate::escalate::insert_note;
use crate::touch;
use crate::App;

/// A request to edit priority, sentiment and field values (values as JSON; `null` clears).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseEditRequest {
    /// New priority.
    pub priority: Option<Priority>,
    /// New sentiment.
    pub sentiment: Option<Sentiment>,
    /// Field values to merge.
    pub fields: BTreeMap<CaseFieldId, serde_json::Value>,
}

/// The acting user and the case, both loaded in the unit of work, and the case as loaded (what
/// [`save`] compares with).
struct Loaded {
    actor: User,
    case: Case,
    as_read: Case,
}

async fn load(
    store: &dyn Store,
    tx: &mut dyn Tx,
    actor: UserId,
    case: CaseId,
    now: Timestamp,
) -> AppResult<Loaded> {
    let actor = tx.user(actor).await?.or_not_found()?;
    let case = touch::case(store, tx, case, now).await?;
    let as_read = case.clone();
    Ok(Loaded {
        actor,
        case,
        as_read,
    })
}

/// Saves the case when anything happened to it since `as_read`, with its events and the
/// notifications they call for.
async fn save(
    tx: &mut dyn Tx,
    as_read: &Case,
    case: &Case,
    actor: UserId,
    now: Timestamp,
    kinds: Vec<EventKind>,
) -> AppResult<()> {
    if !kinds.is_empty() {
        crate::case_save::save_case(tx, as_read, case, now).await?;
        let events: Vec<Event> = kinds
            .into_iter()
            .map(|k| Event::of_case(case.id, Some(actor), now, k))
            .collect();
        crate::salesforce::record_case_events(tx, &events).await?;
        crate::notifications::of_case_events(tx, case, &events).await?;
    }
    Ok(())
}

impl App {
    /// Assigns a case to a user, or unassigns it (`None`).
    pub async fn assign(
        &self,
        actor: UserId,
        case: CaseId,
        assignee: Option<UserId>,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        self.change(move |app, tx| {
            Box::pin(app.assign_in(tx, actor, case, assignee, expected_version))
        })
        .await
    }

    /// The assignee sets the status.
    pub async fn set_status(
        &self,
        actor: UserId,
        case: CaseId,
        status: CaseStatus,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        self.change(move |app, tx| {
            Box::pin(app.set_status_in(tx, actor, case, status, expected_version))
        })
        .await
    }

    /// The assignee reopens a done or spam case.
    pub async fn reopen(
        &self,
        actor: UserId,
        case: CaseId,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        self.change(move |app, tx| Box::pin(app.reopen_in(tx, actor, case, expected_version)))
            .await
    }

    /// A supervisor deletes a case.
    pub async fn delete_case(
        &self,
        actor: UserId,
        case: CaseId,
        expected_version: Option<i64>,
    ) -> AppResult<()> {
        self.change(move |app, tx| Box::pin(app.delete_case_in(tx, actor, case, expected_version)))
            .await
    }

    /// Edits priority, sentiment and field values.
    pub async fn edit_case(
        &self,
        actor: UserId,
        case: CaseId,
        request: CaseEditRequest,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        self.change(move |app, tx| {
            let request = request.clone();
            Box::pin(async move {
                app.edit_case_in(tx, actor, case, &request, expected_version)
                    .await
            })
        })
        .await
    }

    /// Adds an internal note; each user in `mentions` must be able to open the case, and is
    /// notified with it.
    pub async fn add_note(
        &self,
        actor: UserId,
        case: CaseId,
        text: &str,
        mentions: &[UserId],
        expected_version: Option<i64>,
    ) -> AppResult<MessageId> {
        let text = text.to_owned();
        let mentions = mentions.to_vec();
        self.change(move |app, tx| {
            let text = text.clone();
            let mentions = mentions.clone();
            Box::pin(async move {
                app.add_note_in(tx, actor, case, &text, &mentions, expected_version)
                    .await
            })
        })
        .await
    }

    async fn assign_in(
        &self,
        tx: &mut dyn Tx,
        actor: UserId,
        case: CaseId,
        assignee: Option<UserId>,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        let now = self.now();
        let Loaded {
            actor,
            mut case,
            as_read,
        } = load(self.store.as_ref(), tx, actor, case, now).await?;
        policy::require_case_visible(&actor, &case)?;
        let target = match assignee {
            Some(id) => match tx.user(id).await? {
                Some(user) => Some(user),
                None => {
                    // Refuse in the spec's order: 404/403, then a stale version, then 422.
                    policy::check_assign_permission(&actor, &case, Some(id))?;
                    case.check_version(expected_version)?;
                    return Err(Refusal::invalid("the assignee does not exist").into());
                }
            },
            None => None,
        };
        let kinds = case.assign(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            target.as_ref(),
        )?;
        save(tx, &as_read, &case, actor.id, now, kinds).await?;
        Ok(case)
    }

    async fn set_status_in(
        &self,
        tx: &mut dyn Tx,
        actor: UserId,
        case: CaseId,
        status: CaseStatus,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        let now = self.now();
        let Loaded {
            actor,
            mut case,
            as_read,
        } = load(self.store.as_ref(), tx, actor, case, now).await?;
        let fields = tx.case_fields().await?;
        let settings = tx.settings().await?;
        let kinds = case.set_status(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            status,
            &fields,
            settings.grace_period_secs,
        )?;
        save(tx, &as_read, &case, actor.id, now, kinds).await?;
        Ok(case)
    }

    async fn reopen_in(
        &self,
        tx: &mut dyn Tx,
        actor: UserId,
        case: CaseId,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        let now = self.now();
        let Loaded {
            actor,
            mut case,
            as_read,
        } = load(self.store.as_ref(), tx, actor, case, now).await?;
        policy::require_assignee(&actor, &case)?;
        let newest = tx.newest_case(case.customer_id, case.profile_id).await?;
        let newer = routing::newer_case(&case, newest.as_ref());
        let kinds = case.reopen(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            newer.map(|n| n.number),
        )?;
        save(tx, &as_read, &case, actor.id, now, kinds).await?;
        Ok(case)
    }

    async fn delete_case_in(
        &self,
        tx: &mut dyn Tx,
        actor: UserId,
        case: CaseId,
        expected_version: Option<i64>,
    ) -> AppResult<()> {
        let now = self.now();
        let Loaded {
            actor,
            mut case,
            as_read,
        } = load(self.store.as_ref(), tx, actor, case, now).await?;
        let kinds = case.delete(Act {
            actor: &actor,
            now,
            expected_version,
        })?;
        save(tx, &as_read, &case, actor.id, now, kinds).await
    }

    async fn edit_case_in(
        &self,
        tx: &mut dyn Tx,
        actor: UserId,
        case: CaseId,
        request: &CaseEditRequest,
        expected_version: Option<i64>,
    ) -> AppResult<Case> {
        let now = self.now();
        let Loaded {
            actor,
            mut case,
            as_read,
        } = load(self.store.as_ref(), tx, actor, case, now).await?;
        policy::require_case_visible(&actor, &case)?;
        let definitions = tx.case_fields().await?;
        let mut edit = CaseEdit {
            priority: request.priority,
            sentiment: request.sentiment,
            fields: BTreeMap::new(),
        };
        let values = parse_field_values(&definitions, &request.fields)?;
        for id in request.fields.keys() {
            edit.fields.insert(*id, values.get(id).cloned());
        }
        let kinds = case.edit(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            &edit,
        )?;
        save(tx, &as_read, &case, actor.id, now, kinds).await?;
        Ok(case)
    }

    async fn add_note_in(
        &self,
        tx: &mut dyn Tx,
        actor: UserId,
        case: CaseId,
        text: &str,
        mentions: &[UserId],
        expected_version: Option<i64>,
    ) -> AppResult<MessageId> {
        let now = self.now();
        let Loaded {
            actor,
            mut case,
            as_read,
        } = load(self.store.as_ref(), tx, actor, case, now).await?;
        case.add_note(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            text,
        )?;
        let mut mentioned = Vec::with_capacity(mentions.len());
        for id in mentions {
            match tx.user(*id).await? {
                Some(user) => mentioned.push(user),
                None => {
                    return Err(Refusal::invalid(format!("mention_ids: no user {id}")).into());
                }
            }
        }
        let told = notification::of_mentions(&actor, &case, &mentioned, now)?;
        let note = insert_note(tx, &actor, &case, text, now).await?;
        let notified = crate::notifications::store(tx, case.number, &told).await?;
        tx.insert_events(&notified).await?;
        save(
            tx,
            &as_read,
            &case,
            actor.id,
            now,
            vec![EventKind::NoteAdded { message_id: note }],
        )
        .await?;
        Ok(note)
    }
}
