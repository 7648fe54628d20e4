//! Any bytes as a question file: parsing never panics, and whatever parses writes back to a
//! file that parses to the same question (and then to the same bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("questions/q-fuzz.yaml");
    if let Ok(q) = kb::Question::parse(path, text, None) {
        let written = q.to_yaml();
        let again = kb::Question::parse(path, &written, None).expect("kb's own output parses");
        assert_eq!(again.to_yaml(), written, "serialisation is stable");
    }
    let _ = kb::interview::Interview::parse(path, text, None);
    let _ = kb::project::Project::parse(path, text, None);
    let _ = kb::Config::parse(path, text);
});
