//! What a person typed for kb — an interview's question list, a new question, an edit — kept in
//! `.git/kb/drafts/` from the moment it exists until the commit it was written for has landed.
//!
//! A draft is two files: the text (what the editor opens, or what came on standard input) and a
//! small JSON file beside it with what is needed to go on later: the command's options, the
//! answers already given at prompts, and the id the commit will create. Ctrl-C, the end of input
//! at a prompt, a crash or a kill leave both; the command's `--resume` picks the draft up again.
//! Only the command that wrote a draft removes it, and only after its commit.
//!
//! Drafts live inside the repository's git folder, so they never show up in `git status`, are
//! never committed or pushed, and stay with the clone they were typed in.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};
use crate::store::{Kb, write_atomic};

/// What a draft is for; also the first part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `kb interview add`: the list of questions asked.
    Interview,
    /// `kb add`: a new question and its answer.
    Add,
    /// `kb edit`: a question's file being edited.
    Edit,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Interview => "INTERVIEW",
            Kind::Add => "ADD_QUESTION",
            Kind::Edit => "EDIT",
        }
    }

    /// The command that goes on with a draft of this kind.
    pub fn resume_command(self, subject: Option<&str>) -> String {
        match self {
            Kind::Interview => "kb interview add --resume".to_string(),
            Kind::Add => "kb add --resume".to_string(),
            Kind::Edit => format!("kb edit {} --resume", subject.unwrap_or("ID")),
        }
    }
}

/// What is kept beside a draft's text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub kind: Kind,
    /// When the draft was started (RFC 3339).
    pub created: String,
    /// The question a `kb edit` draft is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The command's options, to go on with (the command decides what is in here).
    #[serde(default)]
    pub options: serde_json::Value,
    /// Answers already given at prompts, by what was asked (for interviews: the question as
    /// typed), so a resumed run does not ask again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, String>,
    /// The id the commit creates (an interview or question id), once it is known: a draft whose
    /// commit landed before kb could remove it is recognised by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lands_as: Option<String>,
}

/// One draft on disk.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The text file: what the editor opens.
    pub path: PathBuf,
    pub meta: Meta,
}

/// The drafts folder of `kb`.
pub fn dir(kb: &Kb) -> PathBuf {
    kb.state().drafts()
}

impl Draft {
    /// Start a draft holding `text`. `extension` is the text file's (`md`, `yaml`), so the editor
    /// picks the right mode.
    pub fn create(
        kb: &Kb,
        kind: Kind,
        subject: Option<&str>,
        text: &str,
        extension: &str,
        options: serde_json::Value,
    ) -> Result<Draft> {
        let dir = dir(kb);
        fs::create_dir_all(&dir).at(&dir)?;
        // No `-` after the subject: the subject (a question id) is everything between the
        // first `-` and the last one.
        let stamp = crate::time::now().strftime("%Y%m%dT%H%M%S").to_string();
        let suffix = &crate::id::generate("x")[2..6];
        let name = match subject {
            Some(s) => format!("{}-{s}-{stamp}.{suffix}", kind.prefix()),
            None => format!("{}-{stamp}.{suffix}", kind.prefix()),
        };
        let draft = Draft {
            path: dir.join(format!("{name}.{extension}")),
            meta: Meta {
                kind,
                created: crate::time::format(crate::time::now()),
                subject: subject.map(str::to_string),
                options,
                answers: BTreeMap::new(),
                lands_as: None,
            },
        };
        // The description first: a text file without one is still listed (see `all`).
        draft.save_meta()?;
        write_atomic(&draft.path, text.as_bytes())?;
        Ok(draft)
    }

    /// The text as it is now on disk.
    pub fn text(&self) -> Result<String> {
        crate::store::read_text(&self.path)
    }

    /// Replace the text (atomically).
    pub fn set_text(&self, text: &str) -> Result<()> {
        write_atomic(&self.path, text.as_bytes())
    }

    fn meta_path(&self) -> PathBuf {
        meta_path_of(&self.path)
    }

    /// Write the description beside the text (atomically).
    pub fn save_meta(&self) -> Result<()> {
        let json = serde_json::to_string_pretty(&self.meta).map_err(|e| Error::Io {
            path: self.meta_path(),
            source: std::io::Error::other(e),
        })?;
        write_atomic(&self.meta_path(), json.as_bytes())
    }

    /// Remember an answer given at a prompt, on disk at once.
    pub fn remember(&mut self, asked: &str, answer: &str) -> Result<()> {
        self.meta
            .answers
            .insert(asked.to_string(), answer.to_string());
        self.save_meta()
    }

    /// An answer given before to the prompt about `asked`.
    pub fn answer(&self, asked: &str) -> Option<&str> {
        self.meta.answers.get(asked).map(String::as_str)
    }

    /// The draft's work is committed: remove it.
    pub fn discard(self) -> Result<()> {
        for p in [&self.path, &self.meta_path()] {
            match fs::remove_file(p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::Io {
                        path: p.clone(),
                        source: e,
                    });
                }
            }
        }
        Ok(())
    }

    /// Every draft of `kind` (for `kb edit`: of that question, when `subject` is given), oldest
    /// first. A text file whose description was lost is still listed, with what can be told
    /// from its name.
    pub fn all(kb: &Kb, kind: Kind, subject: Option<&str>) -> Result<Vec<Draft>> {
        let dir = dir(kb);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::Io {
                    path: dir,
                    source: e,
                });
            }
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".kb-tmp-") || name.ends_with(".json") {
                continue;
            }
            let Some(rest) = name.strip_prefix(kind.prefix()) else {
                continue;
            };
            if !rest.starts_with('-') {
                continue; // another kind whose prefix starts the same way
            }
            let meta = fs::read_to_string(meta_path_of(&path))
                .ok()
                .and_then(|t| serde_json::from_str::<Meta>(&t).ok())
                .unwrap_or_else(|| Meta {
                    kind,
                    created: modified(&path),
                    subject: None,
                    options: serde_json::Value::Null,
                    answers: BTreeMap::new(),
                    lands_as: None,
                });
            if meta.kind != kind {
                continue;
            }
            if let Some(s) = subject {
                let named = rest
                    .strip_prefix('-')
                    .is_some_and(|r| r.starts_with(&format!("{s}-")));
                if meta.subject.as_deref() != Some(s) && !named {
                    continue;
                }
            }
            out.push(Draft { path, meta });
        }
        out.sort_by(|a, b| {
            a.meta
                .created
                .cmp(&b.meta.created)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(out)
    }

    /// The most recent draft of `kind` (and `subject`).
    pub fn latest(kb: &Kb, kind: Kind, subject: Option<&str>) -> Result<Option<Draft>> {
        Ok(Draft::all(kb, kind, subject)?.pop())
    }

    /// The path to show a person: relative to `base` when it is inside it.
    pub fn shown_path(&self, base: &Path) -> PathBuf {
        self.path
            .strip_prefix(base)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| self.path.clone())
    }
}

fn meta_path_of(text: &Path) -> PathBuf {
    let mut name = text.file_name().unwrap_or_default().to_os_string();
    name.push(".json");
    text.with_file_name(name)
}

fn modified(path: &Path) -> String {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(crate::time::format)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_keeps_its_text_and_answers_until_discarded() {
        let tmp = tempfile::tempdir().unwrap();
        let kb = Kb::init(tmp.path(), None).unwrap();
        let mut d = Draft::create(
            &kb,
            Kind::Interview,
            None,
            "TCP와 UDP 차이?\n",
            "md",
            serde_json::json!({"company": "카카오"}),
        )
        .unwrap();
        d.remember("TCP와 UDP 차이?", "new").unwrap();
        let again = Draft::latest(&kb, Kind::Interview, None).unwrap().unwrap();
        assert_eq!(again.path, d.path);
        assert_eq!(again.text().unwrap(), "TCP와 UDP 차이?\n");
        assert_eq!(again.answer("TCP와 UDP 차이?"), Some("new"));
        assert_eq!(again.meta.options["company"], "카카오");
        assert!(Draft::latest(&kb, Kind::Add, None).unwrap().is_none());
        again.discard().unwrap();
        assert!(Draft::all(&kb, Kind::Interview, None).unwrap().is_empty());
    }

    #[test]
    fn a_text_without_its_description_is_still_found() {
        let tmp = tempfile::tempdir().unwrap();
        let kb = Kb::init(tmp.path(), None).unwrap();
        let d = Draft::create(
            &kb,
            Kind::Edit,
            Some("q-1"),
            "id: q-1\n",
            "yaml",
            serde_json::Value::Null,
        )
        .unwrap();
        fs::remove_file(meta_path_of(&d.path)).unwrap();
        let found = Draft::all(&kb, Kind::Edit, Some("q-1")).unwrap();
        assert_eq!(found.len(), 1);
        assert!(Draft::all(&kb, Kind::Edit, Some("q-2")).unwrap().is_empty());
    }
}
