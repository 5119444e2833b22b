//! A small wrapper over a real headless Chromium for tests that must see what a
//! reader sees: launch, open a URL, evaluate JavaScript, wait for a condition,
//! take a screenshot.
//!
//! The browser is Debian's `chromium` (or the one named by `LEGBRIEF_CHROMIUM`); it
//! is never downloaded. A test starts with [`launch`]: when no browser is installed
//! it prints why the test is skipped and returns `None`, except in CI (`CI` set),
//! where a missing browser fails the test so a green run always means the
//! browser checks ran.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser as Chrome, LaunchOptions, Tab};
use tempfile::TempDir;

/// Where Debian installs Chromium.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// How long any single browser step may take. Generous: CI machines are small
/// and busy, and a slow pass is better than a flaky failure.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// The browser binary to use: `LEGBRIEF_CHROMIUM` if set, else Debian's.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("LEGBRIEF_CHROMIUM").map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from)
}

/// A running headless Chromium with its own throw-away profile.
pub struct Browser {
    chrome: Chrome,
    // Kept alive for as long as the browser runs; removed on drop.
    _profile: TempDir,
}

/// One tab of the browser.
pub struct Page {
    tab: Arc<Tab>,
}

/// Launches Chromium, or returns `None` after printing why the test is skipped
/// when it is not installed outside CI. In CI a missing browser panics.
pub fn launch() -> Option<Browser> {
    let path = chromium_path();
    if !path.exists() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "{} is missing but CI is set: browser tests must run in CI (install Debian's `chromium`)",
                path.display()
            );
        }
        eprintln!(
            "SKIPPED: {} is not installed; install Debian's `chromium` (or set LEGBRIEF_CHROMIUM) to run browser tests",
            path.display()
        );
        return None;
    }
    Some(Browser::launch_at(&path))
}

impl Browser {
    /// Starts the browser at `path` with the flags a sandboxed, offline test needs.
    pub fn launch_at(path: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("a temporary browser profile");
        let extra: Vec<&OsStr> = [
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(path.to_path_buf()))
            .headless(true)
            .sandbox(false)
            .enable_gpu(false)
            .user_data_dir(Some(profile.path().to_path_buf()))
            .window_size(Some((1280, 900)))
            .idle_browser_timeout(Duration::from_secs(600))
            .args(extra)
            .build()
            .expect("browser launch options");
        let chrome = Chrome::new(options).unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
        Browser {
            chrome,
            _profile: profile,
        }
    }

    /// Opens `url` in a new tab and waits until it has loaded.
    pub fn open(&self, url: &str) -> Page {
        let tab = self.chrome.new_tab().expect("a new tab");
        tab.set_default_timeout(STEP_TIMEOUT);
        tab.navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        Page { tab }
    }
}

impl Page {
    /// Evaluates a JavaScript expression and returns its value as JSON (the
    /// expression's result goes through `JSON.stringify`, so objects and arrays come
    /// back whole). A promise is awaited. `undefined` becomes `null`.
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        let wrapped = format!("(async () => JSON.stringify(await ({expression})))()");
        let result = self
            .tab
            .evaluate(&wrapped, true)
            .unwrap_or_else(|e| panic!("evaluating `{expression}` failed: {e}"));
        match result.value {
            Some(serde_json::Value::String(json)) => serde_json::from_str(&json).unwrap_or(serde_json::Value::Null),
            Some(_) | None => serde_json::Value::Null,
        }
    }

    /// Evaluates an expression that yields a string (`""` for anything else).
    pub fn eval_string(&self, expression: &str) -> String {
        match self.eval(expression) {
            serde_json::Value::String(s) => s,
            _ => String::new(),
        }
    }

    /// The page's visible text.
    pub fn text(&self) -> String {
        self.eval_string("document.body ? document.body.innerText : ''")
    }

    /// The URL the tab shows now.
    pub fn url(&self) -> String {
        self.eval_string("location.href")
    }

    /// Polls `condition` (a JavaScript expression) until it is truthy, panicking
    /// with `what` and the last value of `describe` (a JavaScript expression that
    /// explains the page's state) once `timeout` has passed.
    pub fn wait_for(&self, condition: &str, timeout: Duration, what: &str, describe: &str) {
        let started = Instant::now();
        loop {
            // A navigation (such as a reload) can make one evaluation fail; retry.
            let ok = self
                .tab
                .evaluate(&format!("!!({condition})"), false)
                .ok()
                .and_then(|r| r.value)
                .is_some_and(|v| v == serde_json::Value::Bool(true));
            if ok {
                return;
            }
            if started.elapsed() > timeout {
                let state = self
                    .tab
                    .evaluate(&format!("String({describe})"), false)
                    .ok()
                    .and_then(|r| r.value)
                    .map_or_else(|| "<no value>".to_string(), |v| v.to_string());
                panic!("timed out after {timeout:?} waiting for {what}; the page shows: {state}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the page's visible text contains `needle`.
    pub fn wait_for_text(&self, needle: &str, timeout: Duration) {
        let literal = serde_json::Value::String(needle.to_string()).to_string();
        self.wait_for(
            &format!("document.body && document.body.innerText.includes({literal})"),
            timeout,
            &format!("the text {literal}"),
            "document.body ? document.body.innerText.slice(0, 2000) : ''",
        );
    }

    /// Saves a PNG of the visible viewport to `path`, for a person to look at.
    pub fn screenshot(&self, path: &Path) {
        let png = self
            .tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("a screenshot");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// Lays the page out as a phone (or any screen) of `width` × `height` CSS
    /// pixels would, media queries included.
    pub fn set_viewport(&self, width: u32, height: u32) {
        use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
        self.tab
            .call_method(SetDeviceMetricsOverride {
                width,
                height,
                device_scale_factor: 1.0,
                mobile: width < 600,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .unwrap_or_else(|e| panic!("cannot set a {width}×{height} viewport: {e}"));
    }

    /// The underlying tab, for anything this wrapper does not cover.
    pub fn tab(&self) -> &Arc<Tab> {
        &self.tab
    }
}
