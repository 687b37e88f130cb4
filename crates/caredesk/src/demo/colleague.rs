//! A colleague at their desk: Bob signs in when the demo starts and keeps his session in use, so
//! he shows as online and auto-assignment has someone to hand the Instagram profile's new cases
//! to while the person trying the demo looks on.

use std::time::Duration;

use anyhow::Context;
use caredesk_app::App;

use super::seed::{DEMO_PASSWORD, ONLINE_COLLEAGUE};

/// How often the colleague's session is used: well inside the idle time after which a user
/// shows as away.
const ACTIVITY_EVERY: Duration = Duration::from_secs(60);

/// Signs the colleague in and keeps them active until the process ends.
pub async fn keep_online(app: &App) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let session = app
        .login(ONLINE_COLLEAGUE, DEMO_PASSWORD, "127.0.0.1")
        .await
        .context("the demo colleague cannot sign in")?;
    let app = app.clone();
    Ok(tokio::spawn(async move {
        let mut tick = tokio::time::interval(ACTIVITY_EVERY);
        loop {
            tick.tick().await;
            if let Err(error) = app.authenticate(&session.token).await {
                tracing::warn!(%error, "the demo colleague's session ended");
                return;
            }
        }
    }))
}
