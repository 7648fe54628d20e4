//! Bringing the index up to date with the working tree: a tree diff for commits, a scan of
//! modification times for hand edits, and small segments merged as they pile up (see the
//! index's module documentation).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::{IndexWriter, Term};

use crate::error::{Error, Problem, Result};
use crate::store::{Kb, QUESTIONS_DIR};

use super::columns::words;
use super::schema::{format_tag, stamp};
use super::{Refresh, SearchIndex, index_error, location, trace};

/// A full scan of `questions/` costs one `stat` per file. Below this budget it runs on every
/// use; above it, only when the folder itself changed.
pub const SCAN_BUDGET: Duration = Duration::from_millis(5);

/// What the index was last brought up to date with, stored as the tantivy commit payload so it
/// changes atomically with the documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Meta {
    pub(super) format: String,
    /// HEAD at the last refresh (hex), if the repository had a commit.
    pub(super) commit: Option<String>,
    /// Modification time of `questions/` at the last refresh, in nanoseconds.
    pub(super) dir_mtime: Option<i64>,
    /// How long the last full scan took, in microseconds.
    pub(super) scan_us: u64,
    /// Question files that could not be read, by id (`path:line:col: message`), so commands
    /// answering from the index can still warn about them.
    #[serde(default)]
    pub(super) problems: BTreeMap<String, String>,
}

impl SearchIndex {
    pub(super) fn meta(&self) -> Result<Meta> {
        let metas = self.index.load_metas().map_err(index_error)?;
        match metas.payload {
            Some(p) => serde_json::from_str(&p).map_err(index_error),
            None => Ok(Meta::default()),
        }
    }

    /// Bring an existing index up to date after kb committed changes to the questions `ids`;
    /// does nothing when there is no index yet (the next search builds it). When the index was
    /// current with the new commit's parent, only `ids` are re-read: no tree diff, so the cost of
    /// `kb add` does not grow with the bank.
    pub fn refresh_after_commit(kb: &Kb, ids: &[String]) -> Result<Option<Refresh>> {
        let dir = location(kb);
        match SearchIndex::open_dir(&dir) {
            Ok(Some(mut index)) if index.meta().is_ok_and(|m| m.format == format_tag()) => index
                .refresh_with(kb, Some(ids))
                .map(Some)
                .or_else(|e| discard(kb, e)),
            _ => Ok(None),
        }
    }

    /// Bring an existing index up to date (after a pull); nothing when there is none.
    pub fn refresh_existing(kb: &Kb) -> Result<Option<Refresh>> {
        match SearchIndex::open_dir(&location(kb)) {
            Ok(Some(mut index)) if index.meta().is_ok_and(|m| m.format == format_tag()) => {
                index.refresh(kb).map(Some).or_else(|e| discard(kb, e))
            }
            _ => Ok(None),
        }
    }

    /// Bring the index up to date with the working tree (see the module documentation).
    pub fn refresh(&mut self, kb: &Kb) -> Result<Refresh> {
        self.refresh_with(kb, None)
    }

    fn refresh_with(&mut self, kb: &Kb, committed: Option<&[String]>) -> Result<Refresh> {
        let started = Instant::now();
        let result = self.refresh_inner(kb, committed);
        trace(|| format!("refresh: {:?} total", started.elapsed()));
        result
    }

    /// `committed`: the questions kb itself just committed on top of HEAD's parent.
    fn refresh_inner(&mut self, kb: &Kb, committed: Option<&[String]>) -> Result<Refresh> {
        let mut refresh = Refresh::default();
        let meta = self.meta()?;
        let head = head_commit(kb);
        let now_dir_mtime = dir_mtime(kb);
        let mut candidates: BTreeSet<String> = BTreeSet::new();
        let small = meta.scan_us < SCAN_BUDGET.as_micros() as u64;
        let from_parent =
            committed.filter(|_| meta.commit.is_some() && head_parent(kb) == meta.commit);
        let mut full_scan;
        if let Some(ids) = from_parent {
            // kb's own commit: exactly these files changed, and they explain a changed folder.
            candidates.extend(ids.iter().cloned());
            full_scan = small;
        } else {
            full_scan = now_dir_mtime != meta.dir_mtime || small;
            if head != meta.commit {
                let t = Instant::now();
                match changed_between(kb, meta.commit.as_deref(), head.as_deref()) {
                    Some(ids) => candidates.extend(ids),
                    None => full_scan = true,
                }
                trace(|| {
                    format!(
                        "refresh: tree diff {} files in {:?}",
                        candidates.len(),
                        t.elapsed()
                    )
                });
            }
        }
        let mut scan_us = meta.scan_us;
        let mut on_disk: Option<BTreeMap<String, (i64, u64)>> = None;
        if full_scan {
            let started = Instant::now();
            let disk = stat_all(kb)?;
            scan_us = started.elapsed().as_micros() as u64;
            let indexed = self.indexed_files()?;
            for (id, stamp) in &disk {
                if indexed.get(id) != Some(stamp) {
                    candidates.insert(id.clone());
                }
            }
            for id in indexed.keys() {
                if !disk.contains_key(id) {
                    candidates.insert(id.clone());
                }
            }
            trace(|| {
                format!(
                    "refresh: full scan of {} files in {:?}",
                    disk.len(),
                    started.elapsed()
                )
            });
            on_disk = Some(disk);
        }
        let mut new_meta = Meta {
            format: format_tag(),
            commit: head,
            dir_mtime: now_dir_mtime,
            scan_us,
            problems: meta.problems.clone(),
        };
        // The scan time alone is not worth a commit; it is recorded with the next real change.
        let unchanged = Meta {
            scan_us: meta.scan_us,
            ..new_meta.clone()
        };
        if candidates.is_empty() && unchanged == meta {
            return Ok(refresh);
        }
        let t = Instant::now();
        let mut writer = self.writer(false)?;
        trace(|| format!("refresh: writer in {:?}", t.elapsed()));
        let t = Instant::now();
        let mut stat_time = Duration::ZERO;
        for id in &candidates {
            new_meta.problems.remove(id);
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            let exists = match &on_disk {
                Some(disk) => disk.contains_key(id),
                None => true,
            };
            if !exists {
                refresh.removed += 1;
                continue;
            }
            match self.document(kb, id, &mut stat_time) {
                Ok(Some(doc)) => {
                    writer.add_document(doc).map_err(index_error)?;
                    refresh.updated += 1;
                }
                Ok(None) => refresh.removed += 1,
                Err(p) => {
                    refresh.removed += 1;
                    new_meta.problems.insert(id.clone(), p.to_string());
                    refresh.problems.push(p);
                }
            }
        }
        trace(|| {
            format!(
                "refresh: {} documents re-read in {:?}",
                candidates.len(),
                t.elapsed()
            )
        });
        let t = Instant::now();
        commit(&mut writer, &new_meta)?;
        trace(|| format!("refresh: commit in {:?}", t.elapsed()));
        let t = Instant::now();
        if let Err(e) = self.merge_small_segments(&mut writer) {
            // The index is complete without the merge; the next update tries again.
            trace(|| format!("refresh: merge failed: {e}"));
        }
        trace(|| format!("refresh: merge check in {:?}", t.elapsed()));
        let t = Instant::now();
        drop(writer);
        self.reader.reload().map_err(index_error)?;
        trace(|| {
            format!(
                "refresh: writer closed, reader reloaded in {:?}",
                t.elapsed()
            )
        });
        Ok(refresh)
    }

    /// Every update adds a segment, often of one document; left alone, a bank that saw a
    /// thousand `kb add`s is searched through a thousand segments (a search at 100k went from
    /// 12 to 28 ms after a benchmark's 70 writes). Once a tier (a range of segment sizes) holds
    /// [`MERGE_AT`] segments, they are merged into one, in this command. Most merges are of the
    /// smallest tier and rewrite at most a thousand documents; one of the next tier comes once
    /// every several thousand updates.
    fn merge_small_segments(&self, writer: &mut IndexWriter) -> Result<()> {
        let metas = self.index.searchable_segment_metas().map_err(index_error)?;
        let mut below = 0;
        for tier in MERGE_TIERS {
            let small: Vec<tantivy::index::SegmentId> = metas
                .iter()
                .filter(|m| m.max_doc() > below && m.max_doc() <= tier)
                .map(|m| m.id())
                .collect();
            if small.len() >= MERGE_AT {
                trace(|| {
                    format!(
                        "refresh: merging {} segments of ≤{tier} documents",
                        small.len()
                    )
                });
                writer.merge(&small).wait().map_err(index_error)?;
                break;
            }
            below = tier;
        }
        Ok(())
    }

    /// The (mtime, size) the index recorded for every question.
    fn indexed_files(&self) -> Result<BTreeMap<String, (i64, u64)>> {
        let searcher = self.reader.searcher();
        let mut out = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let ids = fast.str("id").map_err(index_error)?;
            let Some(ids) = ids else { continue };
            let id_words = words(Some(&ids))?;
            let mtimes = fast.i64("mtime").map_err(index_error)?;
            let sizes = fast.u64("size").map_err(index_error)?;
            for doc in segment.doc_ids_alive() {
                let Some(id) = ids.ords().first(doc).and_then(|o| id_words.get(o as usize)) else {
                    continue;
                };
                let stamp = (
                    mtimes.first(doc).unwrap_or_default(),
                    sizes.first(doc).unwrap_or_default(),
                );
                out.insert(id.clone(), stamp);
            }
        }
        Ok(out)
    }
}

pub(super) fn problem_map(problems: &[Problem]) -> BTreeMap<String, String> {
    problems
        .iter()
        .map(|p| {
            let id = p
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (id, p.to_string())
        })
        .collect()
}

/// An index that failed to update is removed (it is only a cache); the next search rebuilds it.
fn discard(kb: &Kb, e: Error) -> Result<Option<Refresh>> {
    if matches!(e, Error::Index(_)) {
        let _ = fs::remove_dir_all(location(kb));
        Ok(None)
    } else {
        Err(e)
    }
}

/// Segment sizes (in documents) below which small segments are merged, smallest first.
const MERGE_TIERS: [u32; 2] = [1_000, 25_000];

/// How many segments of a tier make a merge.
const MERGE_AT: usize = 8;

pub(super) fn commit(writer: &mut IndexWriter, meta: &Meta) -> Result<()> {
    let payload = serde_json::to_string(meta).map_err(index_error)?;
    let mut prepared = writer.prepare_commit().map_err(index_error)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(index_error)?;
    Ok(())
}

pub(super) fn head_commit(kb: &Kb) -> Option<String> {
    kb.repo()
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .map(|c| c.id().to_string())
}

fn head_parent(kb: &Kb) -> Option<String> {
    kb.repo()
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .and_then(|c| c.parent_id(0).ok())
        .map(|id| id.to_string())
}

pub(super) fn dir_mtime(kb: &Kb) -> Option<i64> {
    fs::metadata(kb.root().join(QUESTIONS_DIR))
        .ok()
        .map(|m| stamp(&m).0)
}

/// Every question file's (mtime, size), by id.
fn stat_all(kb: &Kb) -> Result<BTreeMap<String, (i64, u64)>> {
    let dir = kb.root().join(QUESTIONS_DIR);
    let mut out = BTreeMap::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(_) => return Ok(out),
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(id) = name.strip_suffix(".yaml") else {
            continue;
        };
        if id.starts_with('.') || crate::id::validate(id).is_err() {
            continue;
        }
        if let Ok(m) = entry.metadata() {
            out.insert(id.to_string(), stamp(&m));
        }
    }
    Ok(out)
}

/// Ids of question files that differ between two commits, or `None` when that cannot be told
/// cheaply (no previous commit, or it is gone after a rewrite of history).
///
/// Compares the two `questions/` trees directly: identical trees cost nothing, and otherwise git's
/// tree diff walks both listings once (no per-path pattern matching).
fn changed_between(kb: &Kb, old: Option<&str>, new: Option<&str>) -> Option<Vec<String>> {
    let repo = kb.repo();
    let folder = format!("{}{QUESTIONS_DIR}", kb.prefix());
    let subtree = |hex: &str| -> Option<Option<git2::Tree<'_>>> {
        let commit = repo.find_commit(git2::Oid::from_str(hex).ok()?).ok()?;
        let root = commit.tree().ok()?;
        Some(match root.get_path(Path::new(&folder)) {
            Ok(entry) => Some(repo.find_tree(entry.id()).ok()?),
            Err(_) => None, // no questions/ in that commit
        })
    };
    let old_tree = subtree(old?)?;
    let new_tree = subtree(new?)?;
    if old_tree.as_ref().map(|t| t.id()) == new_tree.as_ref().map(|t| t.id()) {
        return Some(Vec::new());
    }
    let diff = repo
        .diff_tree_to_tree(old_tree.as_ref(), new_tree.as_ref(), None)
        .ok()?;
    let mut ids = Vec::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(path) = file.path().and_then(|p| p.to_str())
                && let Some(id) = path.strip_suffix(".yaml")
                && !id.contains('/')
                && !ids.iter().any(|i| i == id)
            {
                ids.push(id.to_string());
            }
        }
    }
    Some(ids)
}
