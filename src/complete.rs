//! The candidates shell completion offers (`kb completions`): the shell calls kb back with
//! `KB_COMPLETE` set, and clap_complete asks these functions for the values of an argument.
//! They find the knowledge base the way every command does (KB_DIR, else the nearest kb.yaml,
//! else the default one; a `--kb` on the line being completed is not seen), open it as it is and
//! write nothing. Any failure means no candidates, never a message in the middle of a prompt.

use clap_complete::engine::CompletionCandidate;

type Reader = fn(&kb::Kb) -> Vec<kb::ops::complete::Candidate>;

fn from_bank(read: Reader) -> Vec<CompletionCandidate> {
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let explicit = std::env::var_os("KB_DIR")
        .filter(|d| !d.is_empty())
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
