//! The directory through the use cases: network apps and profiles.

use caredesk_domain::*;

use crate::support::{code, World};

#[tokio::test]
async fn admins_edit_apps_and_profiles_and_secrets_stay_unless_replaced() {
    let w = World::new().await;
    let app_id = w.profile.app_id;
    let input = caredesk_app::NetworkAppPatch {
        name: Some("Renamed".into()),
        app_secret: Some(String::new()),
        verify_token: Some("new-verify".into()),
        ..Default::default()
    };
    assert_eq!(
        code(
            w.app
                .update_network_app(w.supervisor.id, app_id, input.clone())
                .await
        ),
        "forbidden"
    );
    let app = w
        .app
        .update_network_app(w.admin.id, app_id, input)
        .await
        .expect("admin edits");
    assert_eq!(
        (
            app.name.as_str(),
            app.app_secret.as_str(),
            app.verify_token.as_str()
        ),
        ("Renamed", "s3cret", "new-verify")
    );
    let profile_input = caredesk_app::ProfileInput {
        network: Network::Facebook,
        external_id: "page-1".into(),
        name: "Brand Care".into(),
        app_id,
        access_token: String::new(),
        token_secret: String::new(),
    };
    let profile = w
        .app
        .update_profile(w.admin.id, w.profile.id, profile_input.clone().into())
        .await
        .expect("rename");
    assert_eq!(
        (profile.name.as_str(), profile.access_token.as_str()),
        ("Brand Care", "token")
    );
    let moved = caredesk_app::ProfileInput {
        external_id: "page-2".into(),
        ..profile_input
    };
    assert_eq!(
        code(
            w.app
                .update_profile(w.admin.id, w.profile.id, moved.into())
                .await
        ),
        "conflict"
    );
}

#[tokio::test]
async fn what_holds_history_is_never_deleted() {
    let w = World::new().await;
    w.app
        .ingest(w.dm("ann", "dm-1", "hi"))
        .await
        .expect("ingest");
    assert_eq!(
        code(w.app.delete_profile(w.admin.id, w.profile.id).await),
        "conflict",
        "the profile holds messages"
    );
    assert_eq!(
        code(w.app.delete_network_app(w.admin.id, w.profile.app_id).await),
        "conflict",
        "a profile uses the app"
    );
    assert_eq!(
        code(w.app.delete_profile(w.supervisor.id, w.profile.id).await),
        "forbidden"
    );
    assert!(
        w.app
            .store()
            .profiles()
            .await
            .expect("profiles")
            .iter()
            .any(|p| p.id == w.profile.id),
        "nothing changed"
    );
}
