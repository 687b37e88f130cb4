//! The demo's Salesforce: a loopback org seeded with a few accounts and contacts
//! ([`FakeSalesforce::demo`]), connected as the demo admin through the same use case an admin's
//! Settings form calls, so the Salesforce tab works from the first page.

use anyhow::{bail, Context};
use caredesk_app::salesforce::ConnectInput;
use caredesk_app::App;
use caredesk_domain::salesforce::ConnectionState;
use caredesk_fakes::FakeSalesforce;

use crate::config::Config;
use crate::runtime;

/// The demo admin, who connects the org.
const ADMIN_EMAIL: &str = "admin@demo.caredesk";

/// Starts the simulated org and connects the installation to it; keep the answer alive as long
/// as the desk runs.
pub async fn connect(app: &App, config: &Config) -> anyhow::Result<FakeSalesforce> {
    let fake = FakeSalesforce::demo()
        .await
        .context("cannot start the simulated Salesforce")?;
    let (api, settings) = runtime::salesforce(config)?;
    let app = app.clone().with_salesforce(api, settings);
    let admin = app
        .store()
        .credentials(ADMIN_EMAIL)
        .await?
        .context("the demo admin is missing")?
        .user;
    let credentials = fake.refresh_credentials();
    let connection = app
        .connect_salesforce(
            admin.id,
            ConnectInput {
                login_url: credentials.login_url,
                client_id: credentials.client_id,
                client_secret: credentials.client_secret,
                refresh_token: credentials.refresh_token,
            },
        )
        .await
        .context("cannot connect the simulated Salesforce")?;
    if connection.state != ConnectionState::Connected {
        bail!(
            "the simulated Salesforce refused the demo connection: {}",
            connection.error.unwrap_or_default()
        );
    }
    Ok(fake)
}
