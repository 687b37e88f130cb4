//! The demo's customers and what happened to them: community items left for the Community team,
//! and cases in every status, each made the way an agent would make it.

use std::collections::BTreeMap;

use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use serde_json::json;

use caredesk_app::{
    App, AppResult, CaseEditRequest, InboundAuthor, InboundMessage, IngestOutcome, ReplyRequest,
};

/// Who and what the stories use.
pub(super) struct Cast<'a> {
    pub(super) profiles: &'a [Profile],
    pub(super) community: &'a User,
    pub(super) alice: &'a User,
    pub(super) bob: &'a User,
    pub(super) sup: &'a User,
    pub(super) order: &'a CaseField,
    pub(super) topic: &'a CaseField,
}

struct Seeder<'a> {
    app: &'a App,
    next_id: u32,
}

impl Seeder<'_> {
    async fn inbound(
        &mut self,
        profile: &Profile,
        customer: (&str, &str),
        kind: MessageKind,
        post: Option<&str>,
        text: &str,
        minutes_ago: i64,
    ) -> AppResult<IngestOutcome> {
        self.next_id += 1;
        let network_id = format!("demo-{}-{}", profile.network, self.next_id);
        let message = InboundMessage {
            profile_id: profile.id,
            network_id: network_id.clone(),
            kind,
            author: InboundAuthor::Customer {
                network_user_id: format!("{}-{}", profile.network, customer.1),
                display_name: customer.0.into(),
                handle: customer.1.into(),
            },
            parent_network_id: post.map(str::to_owned),
            root_network_id: post
                .map(str::to_owned)
                .or(Some(network_id))
                .filter(|_| kind != MessageKind::Direct),
            text: text.into(),
            attachments: Vec::new(),
            created_at: self.app.now().plus_secs(-60 * minutes_ago),
            hidden: false,
            standby: false,
        };
        self.app.ingest(message).await
    }
}

fn item_of(outcome: IngestOutcome) -> AppResult<CommunityItemId> {
    match outcome {
        IngestOutcome::Community { item, .. } => Ok(item),
        _ => Err(Refusal::Conflict("demo message did not land in Community".into()).into()),
    }
}

/// Seeds the customers, their messages and their cases.
pub(super) async fn seed(app: &App, cast: &Cast<'_>) -> AppResult<()> {
    let Cast {
        profiles,
        community,
        alice,
        bob,
        sup,
        order,
        topic,
    } = *cast;
    let (fb, ig, x) = (&profiles[0], &profiles[1], &profiles[2]);
    let mut s = Seeder { app, next_id: 0 };
    let escalate = |item, assignee: Option<UserId>, note: &str, priority| {
        let request = EscalationRequest {
            note: note.into(),
            priority: Some(priority),
            fields: BTreeMap::new(),
            assignee_id: assignee,
        };
        async move {
            app.escalate(community.id, item, request)
                .await
                .map(|e| e.case)
        }
    };

    // New: waiting for an agent.
    let item = item_of(
        s.inbound(
            fb,
            ("Maria Lopez", "maria.lopez"),
            MessageKind::Direct,
            None,
            "My beans arrived crushed and the bag was open.",
            95,
        )
        .await?,
    )?;
    escalate(
        item,
        None,
        "Damaged delivery, photo in the thread",
        Priority::High,
    )
    .await?;
    let item = item_of(
        s.inbound(
            ig,
            ("Tom Becker", "tombecker"),
            MessageKind::Comment,
            Some("ig-media-1"),
            "Ordered 2 weeks ago, still nothing. Hello??",
            80,
        )
        .await?,
    )?;
    escalate(item, None, "", Priority::Urgent).await?;

    // Open: Alice works on it.
    let item = item_of(
        s.inbound(
            fb,
            ("Jin Park", "jin.park"),
            MessageKind::Comment,
            Some("fb-post-1"),
            "Charged twice for the same subscription.",
            70,
        )
        .await?,
    )?;
    let open = escalate(item, Some(alice.id), "Double charge", Priority::High).await?;
    app.edit_case(
        alice.id,
        open.id,
        CaseEditRequest {
            fields: BTreeMap::from([(topic.id, json!("Refund"))]),
            ..Default::default()
        },
        None,
    )
    .await?;

    // Pending: Bob replied and waits for the customer.
    let item = item_of(
        s.inbound(
            fb,
            ("Lena Novak", "lena.novak"),
            MessageKind::Direct,
            None,
            "Can I change the grind size of my next delivery?",
            60,
        )
        .await?,
    )?;
    let pending = escalate(item, Some(bob.id), "", Priority::Medium).await?;
    let reply = ReplyRequest {
        text: "Of course! Which grind would you like?".into(),
        kind: ReplyKind::Direct,
        in_reply_to: None,
        set_status: Some(CaseStatus::Pending),
        attachment_ids: Vec::new(),
    };
    app.queue_reply(bob.id, pending.id, reply, None).await?;

    // On hold: waiting on the warehouse.
    let item = item_of(
        s.inbound(
            x,
            ("Omar Haddad", "omarh"),
            MessageKind::Mention,
            None,
            "@northwind where is my order #4411?",
            50,
        )
        .await?,
    )?;
    let held = escalate(
        item,
        Some(alice.id),
        "Warehouse to confirm",
        Priority::Medium,
    )
    .await?;
    let reply = ReplyRequest {
        text: "We're checking with the warehouse and will be back shortly.".into(),
        kind: ReplyKind::Comment,
        in_reply_to: None,
        set_status: Some(CaseStatus::OnHold),
        attachment_ids: Vec::new(),
    };
    app.queue_reply(alice.id, held.id, reply, None).await?;

    // Done, inside its grace period.
    let item = item_of(
        s.inbound(
            ig,
            ("Priya Shah", "priyashah"),
            MessageKind::Direct,
            None,
            "Is the holiday blend decaf?",
            40,
        )
        .await?,
    )?;
    let done = escalate(item, Some(alice.id), "", Priority::Low).await?;
    app.edit_case(
        alice.id,
        done.id,
        CaseEditRequest {
            fields: BTreeMap::from([(order.id, json!("NW-1001")), (topic.id, json!("Product"))]),
            ..Default::default()
        },
        None,
    )
    .await?;
    app.set_status(alice.id, done.id, CaseStatus::Done, None)
        .await?;

    // Done and final (no grace period at the time it was closed).
    let item = item_of(
        s.inbound(
            fb,
            ("Ken Ito", "ken.ito"),
            MessageKind::Comment,
            Some("fb-post-2"),
            "Thanks for the quick refund!",
            30,
        )
        .await?,
    )?;
    let final_case = escalate(item, Some(bob.id), "", Priority::Low).await?;
    app.edit_case(
        bob.id,
        final_case.id,
        CaseEditRequest {
            fields: BTreeMap::from([(order.id, json!("NW-0987"))]),
            ..Default::default()
        },
        None,
    )
    .await?;
    let settings = app.store().settings().await?;
    app.update_settings(
        sup.id,
        Settings {
            grace_period_secs: 0,
            ..settings
        },
    )
    .await?;
    app.set_status(bob.id, final_case.id, CaseStatus::Done, None)
        .await?;
    app.update_settings(sup.id, settings).await?;

    // Spam.
    let item = item_of(
        s.inbound(
            x,
            ("Crypto Deals", "free_btc_now"),
            MessageKind::Mention,
            None,
            "@northwind claim your FREE crypto now!!!",
            20,
        )
        .await?,
    )?;
    let spam = escalate(item, Some(alice.id), "", Priority::Low).await?;
    app.set_status(alice.id, spam.id, CaseStatus::Spam, None)
        .await?;

    // Community items nobody escalated yet.
    s.inbound(
        fb,
        ("Rosa Diaz", "rosa.diaz"),
        MessageKind::Comment,
        Some("fb-post-1"),
        "Love the new packaging!",
        15,
    )
    .await?;
    s.inbound(
        ig,
        ("Ben Carter", "bencarter"),
        MessageKind::Comment,
        Some("ig-media-1"),
        "Do you ship to Canada?",
        10,
    )
    .await?;
    s.inbound(
        x,
        ("Noor Ali", "noor_ali"),
        MessageKind::Direct,
        None,
        "Hi, is the Lisbon store open on Sunday?",
        5,
    )
    .await?;

    Ok(())
}
