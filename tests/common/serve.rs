//! A running `legbrief serve --port 0` on a test site, killed when dropped: the
//! process, the address it printed, and everything it wrote to stderr. Each test
//! file adds the requests it needs (`impl Serve` in that file).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// How long `serve` may take to print its address. Far above what it takes, so a
/// slow, busy machine never fails a correct build.
pub const START_TIMEOUT: Duration = Duration::from_secs(90);

pub struct Serve {
    child: Child,
    /// `http://127.0.0.1:PORT/`, as printed.
    pub url: String,
    /// `127.0.0.1:PORT`.
    pub address: String,
    pub port: u16,
    log: Arc<Mutex<String>>,
}

impl Serve {
    /// Starts `legbrief serve --root ROOT --port 0 ARGS…` and waits for the loopback
    /// address it prints (with `--bind 0.0.0.0` it prints that one too).
    pub fn start(root: &Path, args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_legbrief"))
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start legbrief serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (url_tx, url_rx) = mpsc::channel();
        let thread_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let url: String = line[at..].split_whitespace().next().unwrap_or_default().to_string();
                    let _ = url_tx.send(url);
                }
                let mut log = thread_log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        match url_rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => {
                let address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
                let port = address.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port");
                Serve {
                    child,
                    url,
                    address,
                    port,
                    log,
                }
            }
            Err(_) => {
                let _ = child.kill();
                panic!("serve printed no URL:\n{}", log.lock().unwrap());
            }
        }
    }

    /// Everything `serve` has written to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Whether the server process has ended (a crash, for tests that expect it to live).
    pub fn has_exited(&mut self) -> bool {
        self.child.try_wait().expect("the server's status").is_some()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
