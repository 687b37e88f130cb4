//! A progress bar on standard error: redrawn in place on a terminal (at most ten times a
//! second), one line per tenth of the work otherwise, so logs stay readable.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const WIDTH: u64 = 30;

/// Progress through `total` units of work.
pub struct Progress {
    what: &'static str,
    total: u64,
    done: u64,
    started: Instant,
    drawn: Instant,
    tenths: u64,
    terminal: bool,
}

impl Progress {
    /// Starts showing progress of `what`.
    pub fn new(what: &'static str, total: u64) -> Progress {
        let now = Instant::now();
        Progress {
            what,
            total: total.max(1),
            done: 0,
            started: now,
            drawn: now.checked_sub(Duration::from_secs(1)).unwrap_or(now),
            tenths: 0,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// `n` more units are done.
    pub fn advance(&mut self, n: u64) {
        self.done = (self.done + n).min(self.total);
        if self.terminal {
            if self.drawn.elapsed() >= Duration::from_millis(100) {
                self.draw(false);
            }
        } else {
            let tenths = self.done * 10 / self.total;
            if tenths > self.tenths {
                self.tenths = tenths;
                self.draw(false);
            }
        }
    }

    /// The work is over.
    pub fn finish(&mut self) {
        self.draw(true);
    }

    fn draw(&mut self, last: bool) {
        self.drawn = Instant::now();
        let secs = self.started.elapsed().as_secs_f64();
        let filled = self.done * WIDTH / self.total;
        let bar: String = (0..WIDTH)
            .map(|i| if i < filled { '#' } else { '-' })
            .collect();
        let rate = self.done as f64 / secs.max(0.001);
        let left = (self.total - self.done) as f64 / rate.max(1.0);
        let line = format!(
            "{} [{bar}] {:>3}% {}/{} {:.0}/s {:.0} s, about {:.0} s left",
            self.what,
            self.done * 100 / self.total,
            self.done,
            self.total,
            rate,
            secs,
            left
        );
        let mut err = std::io::stderr().lock();
        let end = if last || !self.terminal { "\n" } else { "" };
        let start = if self.terminal { "\r\x1b[2K" } else { "" };
        let _ = write!(err, "{start}{line}{end}");
        let _ = err.flush();
    }
}
