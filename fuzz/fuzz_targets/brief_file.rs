//! Any bytes as a brief file (see `file_from_bytes`): no stage may panic or hang,
//! and every failure must be an error located in the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robustness/harness.rs"]
mod harness;

use harness::Harness;

fn harness(raw_html: bool) -> &'static Harness {
    static ESCAPED: OnceLock<Harness> = OnceLock::new();
    static RAW: OnceLock<Harness> = OnceLock::new();
    if raw_html {
        RAW.get_or_init(|| Harness::new(true))
    } else {
        ESCAPED.get_or_init(|| Harness::new(false))
    }
}

fuzz_target!(|data: &[u8]| {
    let text = harness::file_from_bytes(data);
    // Bit 7 of the first byte (not used to pick the mode) turns raw HTML on.
    let raw_html = data.first().is_some_and(|b| b & 0x80 != 0);
    harness(raw_html).exercise("fuzzed.en.md", &text);
});
