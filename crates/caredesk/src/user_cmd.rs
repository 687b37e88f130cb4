//! `caredesk user add`: the operator's way to create the first admin. The password is read from
//! `CAREDESK_PASSWORD` or standard input, never from the command line (it would show in the
//! process list and the shell history).

use std::io::BufRead;
use std::sync::Arc;

use anyhow::Context;
use caredesk_app::{App, NewUserInput, SystemClock};

use crate::cli::UserAddArgs;
use crate::config::Config;
use crate::opening::open_store;

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("CAREDESK_PASSWORD") {
        return Ok(password);
    }
    eprintln!("Password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn add(config: &Config, args: UserAddArgs) -> anyhow::Result<()> {
    let role = args
        .role
        .parse()
        .map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let care_access = args
        .care_access
        .parse()
        .map_err(|e| anyhow::anyhow!("--care-access: {e}"))?;
    let password = read_password()?;
    let store = open_store(config).await?;
    let app = App::new(store, Arc::new(SystemClock));
    let name = args
        .name
        .unwrap_or_else(|| args.email.split('@').next().unwrap_or("").to_owned());
    let input = NewUserInput {
        email: args.email,
        name,
        password,
        role,
        care_access,
        capacity: args.capacity,
        profile_ids: Default::default(),
    };
    let user = app
        .create_user(None, input)
        .await
        .context("cannot add the user")?;
    println!(
        "caredesk: added {} ({}, care access {}) with id {}",
        user.email,
        user.role,
        user.care_access(),
        user.id
    );
    Ok(())
}
