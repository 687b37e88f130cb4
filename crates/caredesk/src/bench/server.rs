//! The server under test: this very binary started as `caredesk serve` in a child process on a
//! free loopback port, configured only by `CAREDESK_*` variables, so its memory is its own
//! (`VmHWM` of `/proc/<pid>/status`) and the client's CPU is not counted in it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};

/// A running `caredesk serve`.
pub struct Server {
    child: Child,
    /// Where it answers, `http://127.0.0.1:<port>`.
    pub base_url: String,
}

/// The Graph API of the server under test: a closed loopback port, so the customer look-ups its
/// deliveries queue are claimed, tried and settled in the background without reaching Meta.
const GRAPH_URL: &str = "http://127.0.0.1:1/v21.0";

impl Server {
    /// Starts `caredesk serve` in `dir` with `env` (every other `CAREDESK_*` variable removed)
    /// and waits until it listens.
    pub async fn start(dir: &Path, env: &[(String, String)]) -> anyhow::Result<Server> {
        let exe = std::env::current_exe().context("cannot find the caredesk binary")?;
        let mut command = Command::new(exe);
        command
            .arg("serve")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, _) in std::env::vars() {
            if key.starts_with("CAREDESK_") {
                command.env_remove(key);
            }
        }
        command
            .env("CAREDESK_LISTEN", "127.0.0.1:0")
            .env("CAREDESK_METRICS_LISTEN", "")
            .env("CAREDESK_LOG", "warn")
            .env("CAREDESK_META_GRAPH_URL", GRAPH_URL)
            .env("RUST_LOG", "warn");
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().context("cannot start caredesk serve")?;
        let stdout = child
            .stdout
            .take()
            .context("the server's standard output")?;
        let found = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let mut url = None;
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("caredesk: listening on ") {
                    url = Some(rest.trim().to_owned());
                    break;
                }
            }
            // Keep draining, so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
            url
        });
        let url = tokio::time::timeout(Duration::from_secs(600), found)
            .await
            .context("the server did not start within 10 minutes")??;
        match url {
            Some(base_url) => Ok(Server { child, base_url }),
            None => {
                let status = child.wait().context("the server stopped")?;
                bail!("caredesk serve stopped before listening ({status})")
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The largest resident memory the process had so far, in bytes.
    pub fn peak_rss(&self) -> anyhow::Result<u64> {
        let path = format!("/proc/{}/status", self.pid());
        let status =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
        let line = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .context("no VmHWM in /proc/<pid>/status")?;
        let kib: u64 = line
            .trim_start_matches("VmHWM:")
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .context("VmHWM is not a number")?;
        Ok(kib * 1024)
    }

    /// Asks the server to stop (SIGTERM, as a service manager would) and waits; kills it after
    /// 30 seconds.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.pid().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..300 {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tracing::warn!(pid, "the server did not stop on SIGTERM; killing it");
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
