//! Queueing a reply from Care: checked against the case, the reply-kind table and the platform
//! limits, then stored with its outbox row in the same transaction (PRODUCT.md §5).

use caredesk_domain::case::{validate_text, Act, MAX_NOTE_CHARS};
use caredesk_domain::media::Media;
use caredesk_domain::reply::{plan_reply_with_file, FileFacts, ReplyContext, ReplyKind};
use caredesk_domain::*;

use crate::error::{AppError, AppResult, FoundOr};
use crate::touch;
use crate::App;
use caredesk_store::Tx;

/// What the composer sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyRequest {
    /// The text.
    pub text: String,
    /// Reply, comment or direct.
    pub kind: ReplyKind,
    /// The message answered.
    pub in_reply_to: Option<MessageId>,
    /// Pending or on hold in the same action.
    pub set_status: Option<CaseStatus>,
    /// The caller's uploads sent with it (one at most).
    pub attachment_ids: Vec<MediaId>,
}

impl App {
    /// The assignee queues a reply; answers the stored message (delivery `queued`).
    pub async fn queue_reply(
        &self,
        actor: UserId,
        case: CaseId,
        request: ReplyRequest,
        expected_version: Option<i64>,
    ) -> AppResult<Message> {
        let now = self.now();
        let file = self.reply_file(actor, &request.attachment_ids).await?;
        let mut tx = self.store.begin().await?;
        let actor = tx.user(actor).await?.or_not_found()?;
        let mut case = touch::case(self.store.as_ref(), tx.as_mut(), case, now).await?;
        let mut updated = case.clone();
        let kinds = updated.accept_reply(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            request.set_status,
        )?;
        // A file may go without text; the plan refuses a reply with neither.
        if file.is_none() || !request.text.trim().is_empty() {
            validate_text("text", &request.text, MAX_NOTE_CHARS)?;
        }
        let target = match request.in_reply_to {
            Some(id) => {
                let target = tx
                    .message(id)
                    .await?
                    .ok_or_else(|| Refusal::invalid("in_reply_to is not a message"))?;
                let in_case = tx.cases_holding(id).await?.iter().any(|c| c.id == case.id);
                if !in_case || target.author == Author::Note {
                    return Err(
                        Refusal::invalid("in_reply_to is not a message of this case").into(),
                    );
                }
                Some(target)
            }
            None => None,
        };
        let anchor = match &target {
            Some(t) => t.clone(),
            None => tx.message(case.escalated_from).await?.or_not_found()?,
        };
        let conversation = tx
            .conversation(anchor.conversation_id.or_not_found()?)
            .await?
            .or_not_found()?;
        let outgoing = Outgoing {
            customer: case.customer_id,
            sender: actor.id,
            conversation: &conversation,
            target: target.as_ref(),
            kind: request.kind,
            text: &request.text,
            file: file.as_ref(),
        };
        let queued = queue_outgoing(tx.as_mut(), &outgoing, now).await?;
        let mut events = Vec::with_capacity(queued.len() + 1);
        for message in &queued {
            tx.add_case_message(case.id, message.id).await?;
            events.push(Event::of_case(
                case.id,
                Some(actor.id),
                now,
                EventKind::ReplyQueued {
                    message_id: message.id,
                },
            ));
        }
        crate::case_save::save_case(tx.as_mut(), &case, &updated, now).await?;
        case = updated;
        events.extend(
            kinds
                .into_iter()
                .map(|k| Event::of_case(case.id, Some(actor.id), now, k)),
        );
        crate::salesforce::record_case_events(tx.as_mut(), &events).await?;
        tx.commit().await?;
        self.outbox_wake.notify_one();
        queued.into_iter().last().or_not_found()
    }

    /// The upload a reply carries: one at most, the caller's own, kept and not sent before.
    async fn reply_file(&self, actor: UserId, ids: &[MediaId]) -> AppResult<Option<Media>> {
        let id = match ids {
            [] => return Ok(None),
            [id] => *id,
            _ => return Err(Refusal::PlatformLimit("one file per reply".into()).into()),
        };
        let media = self.store.media(id).await?;
        match media {
            Some(m)
                if m.uploaded_by == Some(actor)
                    && m.message.is_none()
                    && m.state == MediaState::Stored =>
            {
                Ok(Some(m))
            }
            _ => Err(not_an_unsent_upload(id)),
        }
    }
}

/// A reply about to be queued, from Care or from Community.
pub(crate) struct Outgoing<'a> {
    /// The customer it goes to.
    pub customer: CustomerId,
    /// Who writes it.
    pub sender: UserId,
    /// The conversation it belongs to.
    pub conversation: &'a Conversation,
    /// The message it answers.
    pub target: Option<&'a Message>,
    /// Reply, comment or direct.
    pub kind: ReplyKind,
    /// The text.
    pub text: &'a str,
    /// The sender's upload it carries.
    pub file: Option<&'a Media>,
}

/// Plans a reply against the network's rules (kinds, windows, limits, files) and stores it,
/// `queued`, with its outbox row in the caller's unit of work. A file and text that the channel
/// carries only apart become two messages, the file first; answers the messages in order.
pub(crate) async fn queue_outgoing(
    tx: &mut dyn Tx,
    out: &Outgoing<'_>,
    now: Timestamp,
) -> AppResult<Vec<Message>> {
    let profile = tx
        .profile(out.conversation.profile_id)
        .await?
        .or_not_found()?;
    let last_customer = tx.last_customer_message(out.conversation.id).await?;
    let private_reply_exists = match out.target {
        Some(t) => tx.private_reply_exists(t.id).await?,
        None => false,
    };
    let facts = out.file.map(|m| FileFacts {
        kind: m.kind,
        mime: m.mime.as_deref().unwrap_or_default(),
        size: m
            .size
            .and_then(|s| u64::try_from(s).ok())
            .unwrap_or(u64::MAX),
    });
    let plan = plan_reply_with_file(
        out.kind,
        out.text,
        facts.as_ref(),
        &ReplyContext {
            network: profile.network,
            conversation: out.conversation.kind,
            root_network_id: &out.conversation.root_network_id,
            target: out.target,
            last_customer_message_at: last_customer.map(|m| m.created_at),
            private_reply_exists,
            now,
        },
    )?;
    let kind = match out.kind {
        ReplyKind::Direct => MessageKind::Direct,
        ReplyKind::Comment => MessageKind::Comment,
        ReplyKind::Reply => MessageKind::Reply,
    };
    let apart =
        out.file.is_some() && !out.text.trim().is_empty() && !plan.channel.carries_text_with_file();
    let parts: Vec<(&str, Option<&Media>)> = match out.file {
        Some(file) if apart => vec![("", Some(file)), (out.text, None)],
        file => vec![(out.text, file)],
    };
    let channel = serde_json::to_value(&plan.channel)
        .map_err(|e| caredesk_store::StoreError::Other(e.to_string()))?;
    let mut queued = Vec::with_capacity(parts.len());
    for (text, file) in parts {
        let mut message = tx
            .insert_message(&NewMessage {
                customer_id: Some(out.customer),
                sent_by: Some(out.sender),
                conversation_id: Some(out.conversation.id),
                parent_id: out.target.map(|t| t.id),
                parent_network_id: out.target.and_then(|t| t.network_id.clone()),
                visible_only_to_customer: plan.visible_only_to_customer,
                delivery: Some(Delivery::Queued),
                ..NewMessage::written(profile.id, kind, Author::Brand, text, now)
            })
            .await?;
        if let Some(file) = file {
            message.attachments = vec![attach(tx, file, &message).await?];
            tx.set_message_attachments(message.id, &message.attachments)
                .await?;
        }
        tx.enqueue_outbox(message.id, &channel, now).await?;
        queued.push(message);
    }
    Ok(queued)
}

/// Ties the sender's upload to the reply that carries it, so that the reply's viewers may see
/// it; refused when it was sent meanwhile.
async fn attach(tx: &mut dyn Tx, file: &Media, message: &Message) -> AppResult<Attachment> {
    let uploader = file.uploaded_by.or_not_found()?;
    let attached = tx
        .attach_upload(file.id, uploader, (message.id, 0), message.profile_id)
        .await?;
    let Some(media) = attached else {
        return Err(not_an_unsent_upload(file.id));
    };
    Ok(Attachment {
        mime: media.mime.clone(),
        title: media.filename.clone(),
        state: MediaState::Stored,
        media_id: Some(media.id),
        ..Attachment::at(media.kind, None)
    })
}

/// The refusal of an `attachment_ids` entry that is not the sender's own unsent upload.
fn not_an_unsent_upload(id: MediaId) -> AppError {
    Refusal::invalid(format!(
        "attachment_ids: {id} is not a file you uploaded and have not sent"
    ))
    .into()
}
