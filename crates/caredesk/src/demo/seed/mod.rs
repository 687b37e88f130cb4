//! The demo installation: brand, profiles, users of every role, customers, community items and
//! cases in every status, saved replies, all made through the use cases (so the demo data obeys
//! every rule).

mod conversations;

use caredesk_domain::sla::{ScheduleDraft, SlaConditions, SlaPolicyDraft, SlaTargets};
use caredesk_domain::*;

use caredesk_app::{
    App, AppResult, NetworkAppInput, NewUserInput, ProfileInput, ProfilePatch, SavedReplyInput,
};

/// The password of every demo user (the demo is a local throw-away installation).
pub const DEMO_PASSWORD: &str = "care-demo-2026";

/// The agent who is signed in from the start (`demo::colleague`), so the profile that assigns
/// automatically has someone to hand its new cases to.
pub const ONLINE_COLLEAGUE: &str = "bob@demo.caredesk";

/// A demo sign-in to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLogin {
    /// E-mail.
    pub email: String,
    /// What the user is.
    pub what: String,
}

async fn user(
    app: &App,
    email: &str,
    name: &str,
    role: Role,
    care: CareAccess,
    profiles: &[ProfileId],
) -> AppResult<User> {
    app.create_user(
        None,
        NewUserInput {
            email: email.into(),
            name: name.into(),
            password: DEMO_PASSWORD.into(),
            role,
            care_access: care,
            capacity: None,
            profile_ids: profiles.iter().copied().collect(),
        },
    )
    .await
}

/// Two shared saved replies (the supervisor's) and one of Alice's own.
async fn saved_replies(app: &App, sup: &User, alice: &User) -> AppResult<()> {
    for (owner, name, text, shared) in [
        (
            sup,
            "Thanks for waiting",
            "Thanks for waiting, {{customer.first_name}}! This is {{agent.first_name}} from \
             {{profile.name}}; I'm looking into it now.",
            true,
        ),
        (
            sup,
            "Order number, please",
            "Hi {{customer.first_name}}, could you send us your order number in a direct \
             message? We'll take it from there (case #{{case.number}}).",
            true,
        ),
        (
            alice,
            "Sign-off",
            "Have a lovely day, {{customer.first_name}}! — {{agent.name}}",
            false,
        ),
    ] {
        let input = SavedReplyInput {
            name: name.into(),
            text: text.into(),
            shared,
        };
        app.create_saved_reply(owner.id, input).await?;
    }
    Ok(())
}

/// An office-hours schedule and a policy per priority. The catch-all's first-response target is
/// three minutes of calendar time, so a case nobody answers shows its badge turn amber, then
/// red, within the demo's first minutes.
async fn service_levels(app: &App, sup: &User) -> AppResult<()> {
    let office = app
        .create_schedule(
            sup.id,
            ScheduleDraft {
                name: "Office hours (London)".into(),
                time_zone: "Europe/London".into(),
                hours: ["mon", "tue", "wed", "thu", "fri"]
                    .into_iter()
                    .map(|day| (day.to_owned(), vec![["09:00".into(), "17:30".into()]]))
                    .collect(),
                holidays: vec![
                    "2026-12-25".into(),
                    "2026-12-26".into(),
                    "2027-01-01".into(),
                ],
            },
        )
        .await?;
    let hour = 3_600;
    for (name, priorities, first, next, resolution, schedule) in [
        (
            "Urgent",
            vec![Priority::Urgent],
            5 * 60,
            15 * 60,
            4 * hour,
            None,
        ),
        (
            "High",
            vec![Priority::High],
            30 * 60,
            hour,
            16 * hour,
            Some(office.id),
        ),
        ("Standard", vec![], 3 * 60, 2 * hour, 3 * 24 * hour, None),
    ] {
        let draft = SlaPolicyDraft {
            name: name.into(),
            conditions: SlaConditions {
                priorities,
                ..SlaConditions::default()
            },
            targets: SlaTargets {
                first_response_secs: Some(first),
                next_response_secs: Some(next),
                resolution_secs: Some(resolution),
            },
            warn_at: Some(0.5),
            schedule_id: schedule,
        };
        app.create_sla_policy(sup.id, draft).await?;
    }
    Ok(())
}

/// Seeds an empty installation; answers the sign-ins to print.
pub async fn seed(app: &App) -> AppResult<Vec<DemoLogin>> {
    let meta = app
        .create_network_app(
            None,
            NetworkAppInput {
                network: AppNetwork::Meta,
                name: "Northwind Meta app".into(),
                app_secret: "demo-meta-app-secret".into(),
                verify_token: "demo-verify-token".into(),
                consumer_key: String::new(),
            },
        )
        .await?;
    let x_app = app
        .create_network_app(
            None,
            NetworkAppInput {
                network: AppNetwork::X,
                name: "Northwind X app".into(),
                app_secret: "demo-x-consumer-secret".into(),
                verify_token: String::new(),
                consumer_key: "demo-x-consumer-key".into(),
            },
        )
        .await?;
    let mut profiles = Vec::new();
    for (network, external_id, name, app_id) in [
        (
            Network::Facebook,
            "100000000000001",
            "Northwind Coffee",
            meta.id,
        ),
        (
            Network::Instagram,
            "17841400000000001",
            "@northwindcoffee",
            meta.id,
        ),
        (Network::X, "1400000000000000001", "@northwind", x_app.id),
    ] {
        let input = ProfileInput {
            network,
            external_id: external_id.into(),
            name: name.into(),
            app_id,
            access_token: format!("demo-{network}-token"),
            // X's direct-message media is fetched with an OAuth 1.0a signature: the access
            // token above with this secret, and the X app's consumer key and secret.
            token_secret: match network {
                Network::X => "demo-x-token-secret".into(),
                _ => String::new(),
            },
        };
        profiles.push(app.create_profile(None, input).await?);
    }
    let all: Vec<ProfileId> = profiles.iter().map(|p| p.id).collect();
    let admin = user(
        app,
        "admin@demo.caredesk",
        "Ada Admin",
        Role::Admin,
        CareAccess::Supervisor,
        &[],
    )
    .await?;
    let sup = user(
        app,
        "supervisor@demo.caredesk",
        "Sam Supervisor",
        Role::Member,
        CareAccess::Supervisor,
        &all,
    )
    .await?;
    let alice = user(
        app,
        "alice@demo.caredesk",
        "Alice Agent",
        Role::Member,
        CareAccess::Agent,
        &all,
    )
    .await?;
    let bob = user(
        app,
        ONLINE_COLLEAGUE,
        "Bob Agent",
        Role::Member,
        CareAccess::Agent,
        &all[..2],
    )
    .await?;
    let community = user(
        app,
        "community@demo.caredesk",
        "Chris Community",
        Role::Member,
        CareAccess::None,
        &all,
    )
    .await?;

    let order = app
        .create_case_field(
            None,
            NewCaseField {
                name: "Order number".into(),
                kind: FieldKind::Text,
                options: vec![],
                mandatory: true,
                enabled: true,
                position: 1,
            },
        )
        .await?;
    let topic = app
        .create_case_field(
            None,
            NewCaseField {
                name: "Topic".into(),
                kind: FieldKind::Select,
                options: vec![
                    "Delivery".into(),
                    "Refund".into(),
                    "Product".into(),
                    "Other".into(),
                ],
                mandatory: false,
                enabled: true,
                position: 2,
            },
        )
        .await?;
    let cast = conversations::Cast {
        profiles: &profiles,
        community: &community,
        alice: &alice,
        bob: &bob,
        sup: &sup,
        order: &order,
        topic: &topic,
    };
    service_levels(app, &sup).await?;
    conversations::seed(app, &cast).await?;
    saved_replies(app, &sup, &alice).await?;
    // Instagram's new cases go to whoever is online with room: Bob from the start.
    let routing = ProfilePatch {
        auto_assign: Some(true),
        ..ProfilePatch::default()
    };
    app.update_profile(sup.id, profiles[1].id, routing).await?;

    Ok(vec![
        DemoLogin {
            email: admin.email,
            what: "admin (every profile, users, settings)".into(),
        },
        DemoLogin {
            email: sup.email,
            what: "Care supervisor".into(),
        },
        DemoLogin {
            email: alice.email,
            what: "Care agent".into(),
        },
        DemoLogin {
            email: bob.email,
            what: "Care agent (Facebook and Instagram; online, takes Instagram's new cases)".into(),
        },
        DemoLogin {
            email: community.email,
            what: "Community agent".into(),
        },
    ])
}
