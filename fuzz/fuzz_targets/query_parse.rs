//! The query parser must never panic, whatever bytes arrive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kb_indexer::query::parse(text);
    }
});
