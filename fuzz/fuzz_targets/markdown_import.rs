//! Any text as Markdown notes: the importer never panics and every question it finds is
//! non-empty, one line, and becomes a valid question file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (found, _) = kb::import::extract(text);
    for f in found {
        assert!(!f.question.trim().is_empty());
        assert!(!f.question.contains('\n'));
        let mut q = kb::Question::new("q-fuzz".into(), &f.question);
        q.answer = f.answer;
        let yaml = q.to_yaml();
        kb::Question::parse(Path::new("q-fuzz.yaml"), &yaml, Some("q-fuzz")).expect("imported questions are valid files");
    }
});
