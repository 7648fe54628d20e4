//! The candidates shell completion offers (`kb completions`): the shell calls kb back with
//! `KB_COMPLETE` set, and clap_complete asks these functions for the values of an argument.
//! They find the knowledge base the way every command does — a `--kb DIR` on the line being
//! completed, else KB_DIR, else the nearest kb.yaml, else the default one — open it as it is and
//! write nothing. Any failure means no candidates, never a message in the middle of a prompt.

use clap_complete::engine::CompletionCandidate;

type Reader = fn(&kb::Kb) -> Vec<kb::ops::complete::Candidate>;

fn from_bank(read: Reader) -> Vec<CompletionCandidate> {
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let explicit = kb_on_the_line(std::env::args_os().skip(1))
        .or_else(|| std::env::var_os("KB_DIR").filter(|d| !d.is_empty()))
        .map(std::path::PathBuf::from);
    let Ok(root) = kb::store::discover(explicit.as_deref(), &cwd) else {
        return Vec::new();
    };
    let Ok(bank) = kb::Kb::open_as_is(&root) else {
        return Vec::new();
    };
    read(&bank)
        .into_iter()
        .map(|c| CompletionCandidate::new(c.value).help(c.description.map(Into::into)))
        .collect()
}

/// The value of the last `--kb DIR` or `--kb=DIR` among the words the shell passes (the line
/// being completed, after a `--`), as the command itself would take it.
fn kb_on_the_line(words: impl Iterator<Item = std::ffi::OsString>) -> Option<std::ffi::OsString> {
    let words: Vec<std::ffi::OsString> = words.collect();
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        let Some(w) = w.to_str() else { continue };
        if w == "--kb" {
            found = words.get(i + 1).filter(|v| !v.is_empty()).cloned();
        } else if let Some(v) = w.strip_prefix("--kb=") {
            found = (!v.is_empty()).then(|| v.into());
        }
    }
    found
}

pub fn interview_ids() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::interview_ids)
}

pub fn question_ids() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::question_ids)
}

pub fn tags() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::tags)
}

/// Tags as `kb tag` takes them: `+tag` to add, `-tag` to remove, after the question ids.
pub fn tag_changes() -> Vec<CompletionCandidate> {
    let mut out = question_ids();
    for t in tags() {
        let name = t.get_value().to_string_lossy().into_owned();
        out.push(CompletionCandidate::new(format!("+{name}")));
        out.push(CompletionCandidate::new(format!("-{name}")));
    }
    out
}

pub fn projects() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::projects)
}

pub fn companies() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::companies)
}

pub fn sources() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::sources)
}

pub fn remotes() -> Vec<CompletionCandidate> {
    from_bank(kb::ops::complete::remotes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kb_given_on_the_line_is_found() {
        let words = |s: &str| {
            s.split(' ')
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        let found = |s: &str| kb_on_the_line(words(s).into_iter());
        assert_eq!(found("-- kb --kb /tmp/a show dl-"), Some("/tmp/a".into()));
        assert_eq!(found("-- kb show --kb=b dl-"), Some("b".into()));
        assert_eq!(found("-- kb show dl-"), None);
        // `--kb` still being typed: no value yet.
        assert_eq!(found("-- kb show --kb"), None);
    }
}
