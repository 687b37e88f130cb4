//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// caredesk: a social customer-care desk.
#[derive(Debug, Parser)]
#[command(name = "caredesk", version, about)]
pub struct Cli {
    /// A caredesk.toml to read (default: ./caredesk.toml when it exists).
    #[arg(long, global = true, env = "CAREDESK_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the database, apply migrations and serve.
    Serve,
    /// Serve a fresh demo installation with seeded data (in CAREDESK_DEMO_DIR), simulated
    /// networks and customers who write every few seconds.
    Demo,
    /// Apply database migrations and exit.
    Migrate,
    /// Print a commented sample configuration.
    DefaultConfig,
    /// Generate a data set (kept as a snapshot) and measure ingest, the Care views, the
    /// conversation, case changes, the grace sweep and memory against a `caredesk serve`.
    Bench(crate::bench::BenchArgs),
    /// Write a consistent, checked copy of the SQLite database (the server may run) to FILE.
    Backup {
        /// The new file to write (never overwritten).
        file: PathBuf,
    },
    /// Put a backup in place of the SQLite database (refused while a server uses it; the
    /// database it replaces is kept beside it).
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
    /// Manage the key that seals secrets at rest.
    Secrets {
        #[command(subcommand)]
        command: SecretsCommand,
    },
    /// Manage users from the command line.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Seal every stored secret under a new key (stop the servers first).
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password comes from CAREDESK_PASSWORD or standard input.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Sign-in e-mail.
    #[arg(long)]
    pub email: String,
    /// Display name (default: the part of the e-mail before @).
    #[arg(long)]
    pub name: Option<String>,
    /// admin or member.
    #[arg(long, default_value = "member")]
    pub role: String,
    /// none, agent or supervisor (admins are always supervisors).
    #[arg(long, default_value = "agent")]
    pub care_access: String,
    /// Capacity (default: the installation's setting).
    #[arg(long)]
    pub capacity: Option<u32>,
}
