//! Any text through the search analyzer, the query parser and the similarity fingerprint: no
//! panic, and token offsets always fall on character boundaries inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut tokens = Vec::new();
    kb::index::analyzer::analyze(text, kb::index::analyzer::Options::SHIPPED, &mut tokens);
    for t in &tokens {
        assert!(t.offset_from <= t.offset_to && t.offset_to <= text.len());
        assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
    }
    let _ = kb::index::query::parse(text);
    let _ = kb::similar::print(text);
});
