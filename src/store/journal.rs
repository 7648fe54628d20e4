//! The change journal: several files written and committed as one change, and a change a
//! killed kb left half done finished by the next one.

use std::fs;
use std::path::Path;

use crate::error::{IoContext, Result};

use super::{FileChange, Kb, write_atomic};

impl Kb {
    /// Make several files' changes one change: `files` (knowledge-base relative paths, each with
    /// its new contents or `None` to delete it), `also` (files the caller has already written
    /// atomically, such as images copied in by an import) and the commit `message` are first
    /// written to a journal (`.git/kb/change.json`), then applied and committed, then the
    /// journal goes. A kb killed anywhere in between leaves the journal, and the next kb
    /// finishes the change ([`Kb::finish_change`]): a merge never stays half done (the kept
    /// question updated, the merged one still there). `on_file` is called after each file is
    /// written (for a progress bar). Every change goes this way, one file too: killed before
    /// the commit, even a single added question is committed by the next kb with its own
    /// message. Call with the write lock held: the one caller is
    /// [`crate::tx::Transaction::commit`].
    pub(crate) fn write_change(
        &self,
        files: &[(String, Option<String>)],
        also: &[String],
        message: &str,
        on_file: &dyn Fn(),
    ) -> Result<Option<git2::Oid>> {
        let journal = self.state().change_journal();
        let record = serde_json::json!({
            "message": message,
            "files": files
                .iter()
                .map(|(path, contents)| serde_json::json!({"path": path, "contents": contents}))
                .collect::<Vec<_>>(),
            "also": also,
        });
        write_atomic(&journal, record.to_string().as_bytes())?;
        let result = self.apply_change(files, also, message, on_file);
        if result.is_ok() {
            let _ = fs::remove_file(&journal);
        }
        result
    }

    fn apply_change(
        &self,
        files: &[(String, Option<String>)],
        also: &[String],
        message: &str,
        on_file: &dyn Fn(),
    ) -> Result<Option<git2::Oid>> {
        let mut paths: Vec<String> = also
            .iter()
            .filter(|rel| self.root.join(rel).is_file())
            .map(|rel| self.repo_path(rel))
            .collect();
        for (rel, contents) in files {
            match contents {
                Some(text) => self.write_file(rel, text)?,
                None => {
                    let abs = self.root.join(rel);
                    if abs.exists() {
                        fs::remove_file(&abs).at(&abs)?;
                    }
                }
            }
            paths.push(self.repo_path(rel));
            on_file();
        }
        self.commit(&paths, message)
    }

    /// Finish the change a killed kb journalled (see [`Kb::write_change`]), if every file it
    /// names is still either as HEAD has it or as the change would leave it. A file changed in
    /// between by someone else stops it: the journal is then kept beside, renamed
    /// `change-<time>.json`, and nothing is written.
    pub(super) fn finish_change(&self) {
        let journal = self.state().change_journal();
        let Ok(text) = fs::read_to_string(&journal) else {
            return;
        };
        let mut also: Vec<String> = Vec::new();
        let parsed: Option<(String, Vec<FileChange>)> =
            serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| {
                    if let Some(list) = v["also"].as_array() {
                        also = list
                            .iter()
                            .filter_map(|p| p.as_str().map(String::from))
                            .collect();
                    }
                    let message = v["message"].as_str()?.to_string();
                    let files = v["files"]
                        .as_array()?
                        .iter()
                        .map(|f| {
                            Some((
                                f["path"].as_str()?.to_string(),
                                f["contents"].as_str().map(String::from),
                            ))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    Some((message, files))
                });
        let head_tree = self.repo.head().and_then(|h| h.peel_to_tree()).ok();
        let untouched = |rel: &str, wanted: &Option<String>| -> bool {
            let now = fs::read(self.root.join(rel)).ok();
            let at_head = head_tree.as_ref().and_then(|t| {
                let entry = t.get_path(Path::new(&self.repo_path(rel))).ok()?;
                let blob = self.repo.find_blob(entry.id()).ok()?;
                Some(blob.content().to_vec())
            });
            now == at_head || now == wanted.as_ref().map(|w| w.as_bytes().to_vec())
        };
        match parsed {
            Some((message, files)) if files.iter().all(|(p, c)| untouched(p, c)) => {
                if self.apply_change(&files, &also, &message, &|| {}).is_ok() {
                    let _ = fs::remove_file(&journal);
                }
            }
            _ => {
                let stamp = crate::time::now().as_second();
                let _ = fs::rename(&journal, self.state().kept_journal(stamp));
            }
        }
    }
}
