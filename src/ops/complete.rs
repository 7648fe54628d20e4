//! Candidates for shell completion: the names a person may type after a flag (question ids,
//! tags, projects, companies, sources, remotes). They are read from the files as they are, and
//! nothing is written: no recovery, no index rebuild, no commit, so pressing Tab can never
//! change the knowledge base (see [`Kb::open_as_is`]).

use std::collections::BTreeSet;

use crate::store::Kb;

/// A value to offer, with what a shell that shows descriptions (zsh, fish) prints beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub description: Option<String>,
}

impl Candidate {
    fn plain(value: String) -> Candidate {
        Candidate {
            value,
            description: None,
        }
    }
}

/// Every question id, described by its question (on one line).
pub fn question_ids(kb: &Kb) -> Vec<Candidate> {
    let Ok(loaded) = kb.load_all() else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = loaded
        .questions
        .into_iter()
        .map(|q| Candidate {
            value: q.id,
            description: Some(one_line(&q.question)),
        })
        .collect();
    out.sort_by(|a, b| a.value.cmp(&b.value));
    out
}

/// The tags in use, each once.
pub fn tags(kb: &Kb) -> Vec<Candidate> {
    let Ok(loaded) = kb.load_all() else {
        return Vec::new();
    };
    let tags: BTreeSet<String> = loaded.questions.into_iter().flat_map(|q| q.tags).collect();
    tags.into_iter().map(Candidate::plain).collect()
}

/// The résumé projects' ids, described by their names.
pub fn projects(kb: &Kb) -> Vec<Candidate> {
    let Ok((projects, _)) = kb.load_projects() else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = projects
        .into_iter()
        .map(|p| Candidate {
            value: p.id,
            description: Some(one_line(&p.name)),
        })
        .collect();
    out.sort_by(|a, b| a.value.cmp(&b.value));
    out
}

/// The recorded interviews' ids, newest first, described by company, round and date.
pub fn interview_ids(kb: &Kb) -> Vec<Candidate> {
    let Ok((mut interviews, _)) = kb.load_interviews() else {
        return Vec::new();
    };
    interviews.sort_by(|a, b| b.id.cmp(&a.id));
    interviews
        .into_iter()
        .map(|i| Candidate {
            description: Some(one_line(&i.label())),
            value: i.id,
        })
        .collect()
}

/// The companies of recorded interviews and of questions' `asked`, each once.
pub fn companies(kb: &Kb) -> Vec<Candidate> {
    let mut names = BTreeSet::new();
    if let Ok((interviews, _)) = kb.load_interviews() {
        names.extend(interviews.into_iter().map(|i| i.company));
    }
    if let Ok(loaded) = kb.load_all() {
        names.extend(
            loaded
                .questions
                .into_iter()
                .flat_map(|q| q.asked.into_iter().map(|a| a.company)),
        );
    }
    names.into_iter().map(Candidate::plain).collect()
}

/// The followed sources' names (kb.yaml), described by their URLs.
pub fn sources(kb: &Kb) -> Vec<Candidate> {
    kb.config
        .sources
        .iter()
        .map(|s| Candidate {
            value: s.name.clone(),
            description: Some(s.url.clone()),
        })
        .collect()
}

/// The git remotes' names, described by their URLs.
pub fn remotes(kb: &Kb) -> Vec<Candidate> {
    let Ok(names) = kb.repo().remotes() else {
        return Vec::new();
    };
    names
        .iter()
        .flatten()
        .flatten()
        .map(|name| Candidate {
            value: name.to_string(),
            description: kb
                .repo()
                .find_remote(name)
                .ok()
                .and_then(|r| r.url().ok().map(String::from)),
        })
        .collect()
}

/// `text` on one line, cut where a shell's description column would wrap anyway.
fn one_line(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(59).collect();
        format!("{cut}…")
    } else {
        line
    }
}
