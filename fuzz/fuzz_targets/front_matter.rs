//! Splitting and parsing front matter must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(split) = kb_indexer::front_matter::split(text) {
            let _ = kb_indexer::front_matter::parse(split.yaml, 2);
        }
    }
});
