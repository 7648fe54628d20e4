//! Write transactions: the one way anything outside this crate changes a knowledge base.
//!
//! ```no_run
//! # fn demo(kb: &kb::Kb, q: &kb::Question) -> kb::Result<()> {
//! let mut tx = kb.begin(&|| eprintln!("waiting for another kb…"))?;
//! tx.save(q)?;
//! tx.remove("q-old")?;
//! let done = tx.commit("merge q-old into q-new")?;
//! # let _ = done; Ok(()) }
//! ```
//!
//! [`Kb::begin`] takes the write lock (and refuses while the user's git is in the middle of
//! something, see [`crate::git::busy`]); the changes are only staged until
//! [`Transaction::commit`], which journals them, writes each file atomically, commits exactly
//! those paths, and brings an existing search index up to date. A kb killed anywhere in between
//! leaves the journal, and the next kb finishes the change. The lock is held until the
//! transaction is dropped, so one transaction can make several commits in a row (a source
//! update of several sources, say) without another kb writing in between.
//!
//! The model is jj's `start_transaction()` … `finish()`: the lock, the write and the commit are
//! one object, so no caller can commit without the lock or forget the index.

use crate::error::{Error, Result};
use crate::index::SearchIndex;
use crate::interview::Interview;
use crate::model::Question;
use crate::project::Project;
use crate::store::{FileChange, Kb, QUESTIONS_DIR, WriteLock};

/// An open write transaction; see the module comment.
pub struct Transaction<'kb> {
    kb: &'kb Kb,
    _lock: WriteLock,
    files: Vec<FileChange>,
    also: Vec<String>,
    questions: Vec<String>,
}

/// What a [`Transaction::commit`] did.
#[derive(Debug, Default)]
#[must_use]
pub struct Committed {
    /// The new commit; `None` when the files were already as staged.
    pub commit: Option<git2::Oid>,
    /// The files written or removed, relative to the knowledge base.
    pub files: Vec<String>,
    /// The search index could not be brought up to date. It is a cache (the next command
    /// that searches rebuilds what it needs), so this is a warning for the caller to show.
    pub index_problem: Option<Error>,
}

impl Committed {
    /// The commit as the hex string JSON output uses.
    pub fn commit_hex(&self) -> Option<String> {
        self.commit.map(|c| c.to_string())
    }
}

impl Kb {
    /// Start a write transaction: take the write lock (calling `on_wait` once if another kb
    /// holds it), refusing, with nothing changed, while the user has a git operation in
    /// progress or HEAD is detached.
    pub fn begin(&self, on_wait: &dyn Fn()) -> Result<Transaction<'_>> {
        let lock = self.lock_to_commit(on_wait)?;
        Ok(Transaction {
            kb: self,
            _lock: lock,
            files: Vec::new(),
            also: Vec::new(),
            questions: Vec::new(),
        })
    }
}

impl<'kb> Transaction<'kb> {
    /// The knowledge base being written (for reads while the lock is held).
    pub fn kb(&self) -> &'kb Kb {
        self.kb
    }

    /// Stage a question's file.
    pub fn save(&mut self, q: &Question) -> Result<()> {
        let (rel, text) = self.kb.question_file(q)?;
        self.stage(rel, text);
        self.touch(&q.id);
        Ok(())
    }

    /// Stage the removal of question `id` (an id [`Kb::resolve`] gave).
    pub fn remove(&mut self, id: &str) -> Result<()> {
        self.kb.question_path(id)?;
        self.stage(format!("{QUESTIONS_DIR}/{id}.yaml"), None);
        self.touch(id);
        Ok(())
    }

    /// Stage an interview record.
    pub fn save_interview(&mut self, i: &Interview) -> Result<()> {
        let (rel, text) = self.kb.interview_file(i)?;
        self.stage(rel, text);
        Ok(())
    }

    /// Stage a project record.
    pub fn save_project(&mut self, p: &Project) -> Result<()> {
        let (rel, text) = self.kb.project_file(p)?;
        self.stage(rel, text);
        Ok(())
    }

    /// Stage another of the knowledge base's own files (kb.yaml, a review log): `rel` relative
    /// to the knowledge base, `contents` `None` to remove it. A question file staged this way
    /// is refreshed in the index like one given to [`Transaction::save`].
    pub fn write(&mut self, rel: String, contents: Option<String>) {
        if let Some(id) = rel
            .strip_prefix(QUESTIONS_DIR)
            .and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.strip_suffix(".yaml"))
        {
            let id = id.to_string();
            self.touch(&id);
        }
        self.stage(rel, contents);
    }

    /// Include in the commit a file the caller has already written atomically (an image an
    /// import copied in). It is named in the journal, so a kb killed before the commit still
    /// commits it with the rest.
    pub fn also(&mut self, rel: String) {
        if !self.also.contains(&rel) {
            self.also.push(rel);
        }
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.also.is_empty()
    }

    /// Write and commit what is staged, as one commit with `message`, and bring an existing
    /// search index up to date. The transaction stays open (the lock held) for another commit.
    pub fn commit(&mut self, message: &str) -> Result<Committed> {
        self.commit_with(message, &|| {})
    }

    /// [`Transaction::commit`], calling `on_file` after each file is written (a progress bar).
    pub fn commit_with(&mut self, message: &str, on_file: &dyn Fn()) -> Result<Committed> {
        let files = std::mem::take(&mut self.files);
        let also = std::mem::take(&mut self.also);
        let questions = std::mem::take(&mut self.questions);
        let commit = self.kb.write_change(&files, &also, message, on_file)?;
        let index_problem = if questions.is_empty() {
            None
        } else {
            SearchIndex::refresh_after_commit(self.kb, &questions).err()
        };
        let mut written: Vec<String> = files.into_iter().map(|(rel, _)| rel).collect();
        written.extend(also);
        Ok(Committed {
            commit,
            files: written,
            index_problem,
        })
    }

    fn stage(&mut self, rel: String, contents: Option<String>) {
        match self.files.iter_mut().find(|(r, _)| *r == rel) {
            Some(entry) => entry.1 = contents,
            None => self.files.push((rel, contents)),
        }
    }

    fn touch(&mut self, id: &str) {
        if !self.questions.iter().any(|q| q == id) {
            self.questions.push(id.to_string());
        }
    }
}
