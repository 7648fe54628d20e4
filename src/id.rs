//! Question ids: short, ASCII, safe as file names on every platform, never derived from the text.
//!
//! An id is also the file name (`questions/<id>.yaml`), so it must not be able to name anything
//! else: no separators, no dots (so no `..`), no upper case (macOS file systems fold case, so `Q-1`
//! and `q-1` would be one file there and two on Linux).

use crate::error::{Error, Result};

/// The longest id kb accepts.
pub const MAX_LEN: usize = 64;

/// Letters used in generated ids: Crockford's base-32 alphabet in lower case (no i, l, o, u),
/// so an id read aloud or copied by hand is hard to get wrong.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// How many random characters a generated id carries: 40 bits, so two machines adding questions
/// offline will not pick the same id in any realistic bank.
const RANDOM_LEN: usize = 8;

/// Check that `id` is a valid id and return it unchanged.
pub fn validate(id: &str) -> Result<&str> {
    let invalid = |reason: &str| Error::InvalidId {
        id: id.to_string(),
        reason: reason.to_string(),
    };
    if id.is_empty() {
        return Err(invalid("an id cannot be empty"));
    }
    if id.len() > MAX_LEN {
        return Err(invalid(&format!("an id is at most {MAX_LEN} characters")));
    }
    if id.contains(['/', '\\']) {
        return Err(invalid("an id is a name, not a path (no '/' or '\\')"));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
    {
        return Err(invalid(&format!(
            "{c:?} is not allowed; ids use only a-z, 0-9, '-' and '_'"
        )));
    }
    if !id.as_bytes()[0].is_ascii_alphanumeric() {
        return Err(invalid("an id starts with a letter or a digit"));
    }
    Ok(id)
}

/// A fresh random id such as `q-7k3m9x2a`. The caller checks it is not taken.
/// `prefix-` and `len` characters of the alphabet drawn from `text`'s SHA-256: the same text
/// gives the same id on every run and every machine (a résumé imported on two machines makes one
/// project, and the id a dry run shows is the one written).
pub fn from_text(prefix: &str, text: &str, len: usize) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    let mut id = String::with_capacity(prefix.len() + 1 + len);
    id.push_str(prefix);
    id.push('-');
    id.extend(
        digest
            .iter()
            .take(len.min(32))
            .map(|b| ALPHABET[(b & 31) as usize] as char),
    );
    id
}

pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; RANDOM_LEN];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness (very unusual): fall back to the clock, which is still unique enough
        // for one process; the caller retries on a collision anyway.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (nanos >> (i * 5)) as u8;
        }
    }
    let mut id = String::with_capacity(prefix.len() + 1 + RANDOM_LEN);
    id.push_str(prefix);
    id.push('-');
    id.extend(bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_differ() {
        let a = generate("q");
        let b = generate("q");
        assert!(validate(&a).is_ok(), "{a}");
        assert_eq!(a.len(), 10);
        assert_ne!(a, b);
    }

    #[test]
    fn hostile_ids_are_rejected() {
        for bad in [
            "",
            "../x",
            "..",
            "/etc/passwd",
            "a/b",
            "a\\b",
            ".hidden",
            "-x",
            "Q-1",
            "질문",
            "a b",
            "a\0b",
            "a.yaml",
        ] {
            assert!(validate(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(validate(&"a".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn ordinary_ids_are_accepted() {
        for good in ["q-7k3m9x2a", "ml-bias-variance", "os_1", "1st"] {
            assert_eq!(validate(good).unwrap(), good);
        }
    }
}
