//! The caredesk binary: parses the command line, loads the configuration and hands over to the
//! server and the use cases.

use caredesk::cli::{Cli, Command, SecretsCommand, UserCommand};
use caredesk::{bench, config, demo, runtime, user_cmd};
use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match config::Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("caredesk: {error:#}");
            return std::process::ExitCode::from(2);
        }
    };
    runtime::init_logging(&config.log);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("caredesk: cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve => runtime::serve(&config).await,
            Command::Demo => demo::run(&config).await,
            Command::Migrate => runtime::migrate(&config).await,
            Command::Bench(args) => bench::run(args).await,
            Command::DefaultConfig => {
                print!("{}", config::SAMPLE);
                Ok(())
            }
            Command::Backup { file } => caredesk::backup::backup(&config, &file).await,
            Command::Restore { file } => caredesk::backup::restore(&config, &file).await,
            Command::Secrets {
                command: SecretsCommand::Rotate,
            } => caredesk::opening::rotate_secrets(&config).await,
            Command::User {
                command: UserCommand::Add(args),
            } => user_cmd::add(&config, args).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caredesk: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
