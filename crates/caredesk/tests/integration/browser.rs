//! Browser tests' support: the real router served on a loopback port over a test world, and
//! headless Chromium driven through ChromeDriver (Debian's `chromium` and `chromium-driver`).
//! Where they are not installed the tests skip with a loud message, unless
//! `CAREDESK_REQUIRE_BROWSER=1` (as in CI), where a missing browser fails. With
//! `CAREDESK_SCREENSHOTS=<dir>`, [`Browser::screenshot`] writes 1280×800 PNGs there.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use caredesk_server::AppState;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::World;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Browser tests take turns: each drives a whole Chromium, and timing assertions (a page loads in
/// under a second) must not measure the other browsers' load on a two-core machine.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A browser pointed at a served world.
pub struct Browser {
    pub client: Client,
    /// The desk's base URL, e.g. `http://127.0.0.1:40123`.
    pub base: String,
    /// The served state (its metrics count the open live streams).
    pub state: AppState,
    driver: Child,
    /// The first browser of a test holds the turn; a second one ([`Browser::another`]) rides on it.
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Serves the world's router on a loopback port; answers the base URL and the served state.
pub async fn serve(w: &World) -> (String, AppState) {
    let (listener, addr) = caredesk_server::bind("127.0.0.1:0").await.expect("bind");
    let state = AppState::new(w.app.clone(), None);
    let router = caredesk_server::router(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    (format!("http://{addr}"), state)
}

impl Browser {
    /// A headless Chromium on the served world, or `None` (after saying so loudly) when no
    /// browser is installed and CI does not require one.
    pub async fn start(w: &World) -> Option<Browser> {
        let installed = Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists();
        if !installed {
            if std::env::var("CAREDESK_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("CAREDESK_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing");
            }
            eprintln!(
                "\n*** BROWSER TEST SKIPPED: install Debian's chromium and chromium-driver to run it ***\n"
            );
            return None;
        }
        let turn = TURN.lock().await;
        let (base, state) = serve(w).await;
        Some(Browser::drive(base, state, Some(turn)).await)
    }

    /// A second browser on the same served desk, with cookies of its own (so another user can
    /// sign in), during this one's turn.
    pub async fn another(&self) -> Browser {
        Browser::drive(self.base.clone(), self.state.clone(), None).await
    }

    /// Starts ChromeDriver and a headless Chromium pointed at `base`.
    async fn drive(
        base: String,
        state: AppState,
        turn: Option<tokio::sync::MutexGuard<'static, ()>>,
    ) -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": CHROMIUM, "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--lang=en-GB"]}),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        base,
                        state,
                        driver,
                        _turn: turn,
                    }
                }
                Err(error) => last = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer: {last:?}");
    }

    /// Opens a path of the desk.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    /// Signs in through the login form.
    pub async fn sign_in(&self, email: &str) {
        self.open("/login").await;
        self.fill("#email", email).await;
        self.fill("#password", crate::api_support::PASSWORD).await;
        self.click("form.login-form button[type=submit]").await;
        self.wait_for("header .user-name").await;
    }

    /// Types into the field `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Clicks the element `css` (found again if a live redraw replaced it meanwhile).
    pub async fn click(&self, css: &str) {
        for _ in 0..20 {
            match self.wait_for(css).await.click().await {
                Ok(()) => return,
                Err(error) if error.to_string().contains("stale element") => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => panic!("click {css}: {error}"),
            }
        }
        panic!("{css} kept being replaced");
    }

    /// Waits (up to 10 s) for the element `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// The visible text of `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.expect("text")
    }

    /// Waits (up to 10 s) until the text of `css` contains `needle`.
    pub async fn wait_for_text(&self, css: &str, needle: &str) {
        for _ in 0..100 {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if e.text().await.is_ok_and(|t| t.contains(needle)) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed {needle:?}");
    }

    /// Runs `script` in the page (its last statement returns the answer).
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits (up to 10 s) until `script` answers `true`.
    pub async fn wait_until(&self, what: &str, script: &str) {
        for _ in 0..100 {
            if self.eval(script).await == serde_json::Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{what} never happened ({script})");
    }

    /// The path of the page shown, e.g. `/community`.
    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_owned()
    }

    /// Resizes the window (CSS pixels), e.g. 390×844 for a phone.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize");
    }

    /// Fails when the page is wider than the window (anything that scrolls sideways).
    pub async fn assert_no_horizontal_overflow(&self, page: &str) {
        let widths = self
            .eval("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        let scroll = widths[0].as_i64().expect("scrollWidth");
        let inner = widths[1].as_i64().expect("innerWidth");
        if scroll > inner {
            let culprits = self
                .eval("return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ');")
                .await;
            panic!("{page} is {scroll} px wide in a {inner} px window: {culprits}");
        }
    }

    /// With `CAREDESK_SCREENSHOTS=<dir>`, saves the page as `<dir>/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("CAREDESK_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
