//! The search index: a tantivy index kept inside the repository's git directory (never in the
//! working tree, never committed), derived entirely from the question files.
//!
//! It is a cache. It is built when missing, rebuilt when its format (schema or analyzer) changes
//! or it cannot be opened, and otherwise brought up to date incrementally on every use:
//!
//! - **commits** (kb's own writes, `git pull`, checkouts): the tree of the commit the index was
//!   last brought up to date with is diffed against HEAD, limited to `questions/`, so the cost
//!   follows the change, not the size of the bank;
//! - **files changed but not committed** (hand edits): the `questions/` folder's modification time
//!   tells when files were added, removed or replaced (how editors save); then each file's
//!   modification time and size are compared with what the index recorded. A bank small enough to
//!   scan within [`SCAN_BUDGET`] is scanned on every use, so even an in-place edit is seen at once.
//!
//! The index always holds what the working tree holds (files are read from disk, not from git).

pub mod query;

// Also at their old place, for the code that still names them there.
pub use crate::analysis::{analyzer, glossary};

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Problem, Result, display_path};
use crate::model::Question;
use crate::store::{Kb, QUESTIONS_DIR};

pub use crate::analysis::similar::Candidate;
pub use query::{Hit, Search};

/// Bumped whenever the fields change.
const SCHEMA_VERSION: u32 = 10;

/// A full scan of `questions/` costs one `stat` per file. Below this budget it runs on every
/// use; above it, only when the folder itself changed.
pub const SCAN_BUDGET: Duration = Duration::from_millis(5);

/// What the index was last brought up to date with, stored as the tantivy commit payload so it
/// changes atomically with the documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Meta {
    format: String,
    /// HEAD at the last refresh (hex), if the repository had a commit.
    commit: Option<String>,
    /// Modification time of `questions/` at the last refresh, in nanoseconds.
    dir_mtime: Option<i64>,
    /// How long the last full scan took, in microseconds.
    scan_us: u64,
    /// Question files that could not be read, by id (`path:line:col: message`), so commands
    /// answering from the index can still warn about them.
    #[serde(default)]
    problems: BTreeMap<String, String>,
}

fn format_tag() -> String {
    format!(
        "schema{SCHEMA_VERSION}-analyzer{}-similar{}",
        analyzer::VERSION,
        crate::analysis::similar::VERSION
    )
}

/// Reports progress of long operations (a full build); the binary draws a bar.
pub trait Progress {
    fn start(&self, _len: u64, _message: &str) {}
    fn inc(&self, _n: u64) {}
    fn finish(&self) {}
    /// Something the person should know (the index could not be written, say); the library
    /// prints nothing itself.
    fn warn(&self, _message: &str) {}
}

/// No progress reporting.
pub struct Silent;
impl Progress for Silent {}

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub question: Field,
    pub answer: Field,
    /// The answer's own Markdown headings: in an imported note they name the sub-topics
    /// (`### 크롬 브라우저의 멀티 프로세스 구조` inside `멀티 프로세스와 멀티 스레드`).
    pub headings: Field,
    pub tags_text: Field,
    pub tag: Field,
    pub project: Field,
    pub company: Field,
    pub asked: Field,
    pub answered: Field,
    pub mtime: Field,
    pub size: Field,
    /// Ids merged into the question (`kb show OLD` finds the question that took it in).
    pub alias: Field,
    /// Interviews the question was asked in.
    pub interview: Field,
    /// The question's text as one value, for listing without opening files.
    pub question_raw: Field,
    /// Each `asked` occurrence as `company \u{1f} date \u{1f} interview`.
    pub occurrence: Field,
    /// When the question was created / last updated (seconds since the epoch).
    pub created: Field,
    pub updated: Field,
    /// The question's comparison tokens ([`crate::analysis::similar::print`]): they find the
    /// questions an incoming one may be, and their document frequencies weigh the comparison.
    pub print: Field,
    /// The whole print ([`crate::analysis::similar::Print::to_stored`]) and the template key, as
    /// columns: `kb dups` compares every question without parsing a file or analysing a text.
    pub print_data: Field,
    pub template: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        question: b.add_text_field("question", text.clone() | STORED),
        answer: b.add_text_field("answer", text.clone() | STORED),
        headings: b.add_text_field("headings", text.clone()),
        tags_text: b.add_text_field("tags_text", text),
        tag: b.add_text_field("tag", STRING | STORED | FAST),
        project: b.add_text_field("project", STRING | STORED | FAST),
        company: b.add_text_field("company", STRING),
        asked: b.add_u64_field(
            "asked",
            NumericOptions::default()
                .set_fast()
                .set_stored()
                .set_indexed(),
        ),
        answered: b.add_u64_field(
            "answered",
            NumericOptions::default().set_fast().set_indexed(),
        ),
        mtime: b.add_i64_field("mtime", FAST),
        size: b.add_u64_field("size", FAST),
        alias: b.add_text_field("alias", STRING),
        interview: b.add_text_field("interview", STRING),
        print: b.add_text_field("print", STRING),
        print_data: b.add_text_field("print_data", TextOptions::default().set_fast("raw")),
        template: b.add_text_field("template", TextOptions::default().set_fast("raw")),
        question_raw: b.add_text_field("question_raw", TextOptions::default().set_fast("raw")),
        occurrence: b.add_text_field("occurrence", TextOptions::default().set_fast("raw")),
        created: b.add_i64_field("created", FAST),
        updated: b.add_i64_field("updated", FAST),
    };
    (b.build(), fields)
}

fn index_error(e: impl std::fmt::Display) -> Error {
    Error::Index(e.to_string())
}

/// A string column's dictionary as a table by ordinal, read once front to back. Looking
/// ordinals up one by one decodes a dictionary block per lookup, which at 100k questions cost
/// most of a second.
fn words(col: Option<&tantivy::columnar::StrColumn>) -> Result<Vec<String>> {
    let Some(col) = col else {
        return Ok(Vec::new());
    };
    let dictionary = col.dictionary();
    let mut out = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary.stream().map_err(index_error)?;
    while stream.advance() {
        out.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(out)
}

/// Where a knowledge base's index lives: inside the git directory, one per knowledge-base folder.
pub fn location(kb: &Kb) -> PathBuf {
    let name = if kb.prefix().is_empty() {
        "index".to_string()
    } else {
        let safe: String = kb
            .prefix()
            .trim_end_matches('/')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        format!("index-{safe}")
    };
    kb.state().index(&name)
}

/// What a refresh did.
#[derive(Debug, Default)]
pub struct Refresh {
    /// The index was built from scratch.
    pub rebuilt: bool,
    /// Documents added or replaced.
    pub updated: usize,
    /// Documents removed.
    pub removed: usize,
    /// Files that could not be read (they are left out of the index).
    pub problems: Vec<Problem>,
}

/// Whether `e` says the disk cannot take a write (read-only, full, too large, no permission).
fn cannot_write(e: &Error) -> bool {
    let io = match e {
        Error::Io { source, .. } => Some(source),
        _ => None,
    };
    let text = e.to_string();
    io.is_some_and(|s| {
        matches!(
            s.kind(),
            std::io::ErrorKind::ReadOnlyFilesystem
                | std::io::ErrorKind::StorageFull
                | std::io::ErrorKind::PermissionDenied
                | std::io::ErrorKind::FileTooLarge
        )
    }) || [
        "Read-only file system",
        "No space left",
        "File too large",
        "Permission denied",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// An open search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    options: analyzer::Options,
}

impl SearchIndex {
    /// Open the knowledge base's index and bring it up to date, building it first if it is
    /// missing, of another format, or unreadable.
    ///
    /// Where nothing can be written (a read-only file system, a full disk, no permission) the
    /// search still answers: from the index as it is, or, when there is none, from one built in
    /// memory; a warning says the results may be out of date.
    pub fn open(kb: &Kb, progress: &dyn Progress) -> Result<(SearchIndex, Refresh)> {
        match SearchIndex::open_writing(kb, progress) {
            Err(e) if cannot_write(&e) => {
                let why = match &e {
                    Error::Io { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                if let Ok(Some(index)) = SearchIndex::open_dir(&location(kb))
                    && index.meta().is_ok_and(|m| m.format == format_tag())
                {
                    progress.warn(&format!(
                        "could not bring the search index up to date ({why}); the results are \
                         from the index as it was"
                    ));
                    return Ok((index, Refresh::default()));
                }
                progress.warn(&format!(
                    "could not write the search index ({why}); searching a copy built in memory"
                ));
                let loaded = kb.load_all()?;
                let index = SearchIndex::in_memory(&loaded.questions, analyzer::Options::SHIPPED)?;
                Ok((
                    index,
                    Refresh {
                        problems: loaded.problems,
                        ..Refresh::default()
                    },
                ))
            }
            other => other,
        }
    }

    fn open_writing(kb: &Kb, progress: &dyn Progress) -> Result<(SearchIndex, Refresh)> {
        let dir = location(kb);
        if let Ok(Some(mut index)) = SearchIndex::open_dir(&dir)
            && index.meta().is_ok_and(|m| m.format == format_tag())
        {
            match index.refresh(kb) {
                Ok(refresh) => return Ok((index, refresh)),
                // A kb killed mid-update can leave the index unusable: it is a cache, rebuild it.
                Err(Error::Index(_)) => {}
                Err(e) => return Err(e),
            }
        }
        // Build it under the write lock, so two kb processes do not build it at once; the other
        // one may have built it while we waited.
        let _lock = kb.lock(&|| {})?;
        if let Ok(Some(mut index)) = SearchIndex::open_dir(&dir)
            && index.meta().is_ok_and(|m| m.format == format_tag())
            && let Ok(refresh) = index.refresh(kb)
        {
            return Ok((index, refresh));
        }
        SearchIndex::rebuild(kb, progress)
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

    /// Build the index from scratch (`kb reindex`, or when it is missing or outdated). The new
    /// index is built beside the old one and swapped in by renaming, so a search running
    /// meanwhile keeps answering from the old one. Call with the knowledge base's write lock
    /// held.
    pub fn rebuild(kb: &Kb, progress: &dyn Progress) -> Result<(SearchIndex, Refresh)> {
        let dir = location(kb);
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.with_file_name(format!("{name}.new-{}", std::process::id()));
        let io = |path: &Path, e: std::io::Error| Error::Io {
            path: path.to_path_buf(),
            source: e,
        };
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
        let refresh = SearchIndex::build_in(kb, &tmp, progress)?;
        // Swap: old aside, new in place, old removed (open readers keep their mapped files).
        let old = dir.with_file_name(format!("{name}.old-{}", std::process::id()));
        if dir.exists() {
            fs::rename(&dir, &old).map_err(|e| io(&dir, e))?;
        }
        fs::rename(&tmp, &dir).map_err(|e| io(&tmp, e))?;
        let _ = fs::remove_dir_all(&old);
        // Leftovers of builds that were killed.
        if let Some(parent) = dir.parent()
            && let Ok(entries) = fs::read_dir(parent)
        {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with(&format!("{name}.new-")) || n.starts_with(&format!("{name}.old-"))
                {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        let index = SearchIndex::open_dir(&dir)?
            .ok_or_else(|| Error::Index("the index just built cannot be opened".into()))?;
        Ok((index, refresh))
    }

    /// Fill a new index in `dir` with every question.
    fn build_in(kb: &Kb, dir: &Path, progress: &dyn Progress) -> Result<Refresh> {
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(index_error)?;
        let options = analyzer::Options::SHIPPED;
        register(&index, options);
        let reader = reader(&index)?;
        let this = SearchIndex {
            index,
            reader,
            fields,
            options,
        };
        let mut writer = this.writer(true)?;
        let mut refresh = Refresh {
            rebuilt: true,
            ..Refresh::default()
        };
        let head = head_commit(kb);
        let dir_mtime = dir_mtime(kb);
        let started = Instant::now();
        let ids = kb.question_ids()?;
        progress.start(ids.len() as u64, "indexing");
        let mut stat_time = started.elapsed();
        for id in &ids {
            match this.document(kb, id, &mut stat_time) {
                Ok(Some(doc)) => {
                    writer.add_document(doc).map_err(index_error)?;
                    refresh.updated += 1;
                }
                Ok(None) => {}
                Err(p) => refresh.problems.push(p),
            }
            progress.inc(1);
        }
        let meta = Meta {
            format: format_tag(),
            commit: head,
            dir_mtime,
            scan_us: stat_time.as_micros() as u64,
            problems: problem_map(&refresh.problems),
        };
        commit(&mut writer, &meta)?;
        writer.wait_merging_threads().map_err(index_error)?;
        progress.finish();
        Ok(refresh)
    }

    /// Open the index in `dir` if there is a usable one.
    fn open_dir(dir: &Path) -> Result<Option<SearchIndex>> {
        if !dir.join("meta.json").is_file() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir).map_err(index_error)?;
        let (expected, fields) = schema();
        if index.schema() != expected {
            return Ok(None);
        }
        let options = analyzer::Options::SHIPPED;
        register(&index, options);
        let reader = reader(&index)?;
        Ok(Some(SearchIndex {
            index,
            reader,
            fields,
            options,
        }))
    }

    fn meta(&self) -> Result<Meta> {
        let metas = self.index.load_metas().map_err(index_error)?;
        match metas.payload {
            Some(p) => serde_json::from_str(&p).map_err(index_error),
            None => Ok(Meta::default()),
        }
    }

    /// The writer; waits a little while another kb process holds it.
    fn writer(&self, bulk: bool) -> Result<IndexWriter> {
        // A full build gets two threads and more memory; an update is small.
        let (threads, budget) = if bulk {
            (2, 96_000_000)
        } else {
            (1, 20_000_000)
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.index.writer_with_num_threads(threads, budget) {
                Ok(w) => {
                    if !bulk {
                        // Merges run when kb asks (see `merge_small_segments`), never in the
                        // background of a process that is about to exit.
                        w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
                    }
                    return Ok(w);
                }
                Err(tantivy::TantivyError::LockFailure(_, _)) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(index_error(e)),
            }
        }
    }

    /// An index in memory of `questions`, analysed with `options`: for measuring search
    /// quality of analyzer variants without touching any knowledge base.
    pub fn in_memory(questions: &[Question], options: analyzer::Options) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register(&index, options);
        let reader = reader(&index)?;
        let this = SearchIndex {
            index,
            reader,
            fields,
            options,
        };
        let mut writer = this.writer(true)?;
        for q in questions {
            writer
                .add_document(this.to_document(q, (0, 0)))
                .map_err(index_error)?;
        }
        writer.commit().map_err(index_error)?;
        this.reader.reload().map_err(index_error)?;
        Ok(this)
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

    /// The document for question `id` as it is on disk; `None` when the file is gone, a problem
    /// when it cannot be read.
    fn document(
        &self,
        kb: &Kb,
        id: &str,
        stat_time: &mut Duration,
    ) -> std::result::Result<Option<TantivyDocument>, Problem> {
        let path = match kb.question_path(id) {
            Ok(p) => p,
            Err(e) => {
                return Err(Problem {
                    path: display_path(&kb.root().join(QUESTIONS_DIR).join(format!("{id}.yaml"))),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                });
            }
        };
        // One open: the stamp comes from the open file, not a second lookup by path.
        let started = Instant::now();
        let Ok(mut file) = fs::File::open(&path) else {
            return Ok(None);
        };
        let Ok(meta) = file.metadata() else {
            return Ok(None);
        };
        *stat_time += started.elapsed();
        let link = fs::symlink_metadata(&path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if link || meta.len() > crate::store::MAX_FILE_BYTES {
            // Same rules as every other reader (store::read_text), same message.
            return match crate::store::read_text(&path) {
                Err(Error::Invalid(p)) => Err(p),
                _ => Ok(None),
            };
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() {
            return Ok(None);
        }
        let text = crate::store::utf8_text(&path, bytes).map_err(|e| match e {
            Error::Invalid(p) => p,
            other => Problem {
                path: path.clone(),
                line: 0,
                column: 0,
                message: other.to_string(),
            },
        })?;
        let q = Question::parse_known(&path, &text, Some(id))?;
        let stamp = stamp(&meta);
        Ok(Some(self.to_document(&q, stamp)))
    }

    fn to_document(&self, q: &Question, (mtime, size): (i64, u64)) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &q.id);
        doc.add_text(f.question, &q.question);
        // Indexed and stored as plain text: snippets show words, not Markdown syntax.
        doc.add_text(f.answer, crate::text::markdown_plain(&q.answer));
        let headings = crate::text::markdown_headings(&q.answer);
        if !headings.is_empty() {
            doc.add_text(f.headings, headings);
        }
        doc.add_text(f.tags_text, q.tags.join(" "));
        for t in &q.tags {
            doc.add_text(f.tag, t);
        }
        if let Some(p) = &q.project {
            doc.add_text(f.project, p);
        }
        let mut companies: Vec<String> = q.asked.iter().map(|a| a.company.to_lowercase()).collect();
        companies.sort();
        companies.dedup();
        for c in companies {
            doc.add_text(f.company, c);
        }
        for a in &q.aliases {
            doc.add_text(f.alias, a);
        }
        let mut interviews: Vec<&str> = q
            .asked
            .iter()
            .filter_map(|a| a.interview.as_deref())
            .collect();
        interviews.sort();
        interviews.dedup();
        for i in interviews {
            doc.add_text(f.interview, i);
        }
        let print = crate::analysis::similar::print(&q.question);
        doc.add_text(f.print_data, print.to_stored());
        for t in print.tokens {
            doc.add_text(f.print, t);
        }
        if let Some(t) = &q.template {
            doc.add_text(f.template, t);
        }
        doc.add_text(f.question_raw, &q.question);
        for a in &q.asked {
            doc.add_text(
                f.occurrence,
                format!(
                    "{}\u{1f}{}\u{1f}{}",
                    a.company,
                    a.date.map(|d| d.to_string()).unwrap_or_default(),
                    a.interview.as_deref().unwrap_or("")
                ),
            );
        }
        doc.add_i64(f.created, q.created.map_or(0, |t| t.as_second()));
        doc.add_i64(f.updated, q.updated.map_or(0, |t| t.as_second()));
        doc.add_u64(f.asked, q.asked.len() as u64);
        doc.add_u64(f.answered, u64::from(q.is_answered()));
        doc.add_i64(f.mtime, mtime);
        doc.add_u64(f.size, size);
        doc
    }

    /// The question an id was merged into, if any.
    pub fn find_alias(&self, id: &str) -> Result<Option<String>> {
        self.ids_with(self.fields.alias, id)
            .map(|ids| ids.into_iter().next())
    }

    /// Ids of the questions asked in an interview.
    pub fn asked_in(&self, interview: &str) -> Result<Vec<String>> {
        self.ids_with(self.fields.interview, interview)
    }

    fn ids_with(&self, field: Field, value: &str) -> Result<Vec<String>> {
        use tantivy::collector::DocSetCollector;
        use tantivy::query::TermQuery;
        use tantivy::schema::Value as _;
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        let docs = searcher
            .search(&query, &DocSetCollector)
            .map_err(index_error)?;
        let mut ids = Vec::new();
        for address in docs {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Number of questions in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn parts(&self) -> (&IndexReader, &Fields, analyzer::Options) {
        (&self.reader, &self.fields, self.options)
    }
}

fn problem_map(problems: &[Problem]) -> BTreeMap<String, String> {
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

/// What list, stats, prep and drill need to know about a question, read from the index's
/// columns without opening any file.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: String,
    pub question: String,
    pub tags: Vec<String>,
    pub project: Option<String>,
    pub answered: bool,
    /// Times asked (exact, even when occurrences repeat).
    pub asked_count: u64,
    pub asked: Vec<Occurrence>,
    pub created: i64,
    pub updated: i64,
}

/// One `asked` occurrence as the index keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub company: String,
    pub date: Option<jiff::civil::Date>,
    pub interview: Option<String>,
}

/// What a filter sees of a question while [`SearchIndex::summaries_where`] walks the index:
/// everything in [`Summary`] but the question's text, borrowed, so that passing over 100k
/// questions allocates nothing for the ones not kept.
#[derive(Debug)]
pub struct Facts<'a> {
    pub id: &'a str,
    pub tags: &'a [&'a str],
    pub project: Option<&'a str>,
    pub answered: bool,
    pub asked_count: u64,
    pub asked: &'a [&'a Occurrence],
    pub created: i64,
    pub updated: i64,
}

impl Facts<'_> {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains(&tag)
    }

    /// Whether it was asked at `company` (compared without case).
    pub fn asked_at(&self, company: &str) -> bool {
        self.asked
            .iter()
            .any(|a| a.company.to_lowercase() == company.to_lowercase())
    }
}

impl SearchIndex {
    /// The questions `keep` accepts, from the index's columns (no stored documents, no files),
    /// sorted by id. `keep` sees every question once, so it can
    /// also count; only the kept ones are copied out of the index.
    pub fn summaries_where(&self, mut keep: impl FnMut(&Facts) -> bool) -> Result<Vec<Summary>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let str_col = |name: &str| fast.str(name).map_err(index_error);
            let (Some(ids), Some(questions)) = (str_col("id")?, str_col("question_raw")?) else {
                continue;
            };
            let tags = str_col("tag")?;
            let projects = str_col("project")?;
            let occurrences = str_col("occurrence")?;
            let id_words = words(Some(&ids))?;
            let (tag_words, project_words) = (words(tags.as_ref())?, words(projects.as_ref())?);
            let occurrence_table: Vec<Occurrence> = words(occurrences.as_ref())?
                .iter()
                .map(|raw| {
                    let mut parts = raw.split('\u{1f}');
                    Occurrence {
                        company: parts.next().unwrap_or("").to_string(),
                        date: parts.next().and_then(crate::time::parse_date),
                        interview: parts.next().filter(|s| !s.is_empty()).map(String::from),
                    }
                })
                .collect();
            let asked = fast.u64("asked").map_err(index_error)?;
            let answered = fast.u64("answered").map_err(index_error)?;
            let created = fast.i64("created").map_err(index_error)?;
            let updated = fast.i64("updated").map_err(index_error)?;
            let (mut tag_buf, mut asked_buf) = (Vec::new(), Vec::new());
            // Kept questions with the ordinal of their text, which is looked up afterwards.
            let mut kept: Vec<(Summary, Option<u64>)> = Vec::new();
            for doc in segment.doc_ids_alive() {
                let Some(id) = ids.ords().first(doc).and_then(|o| id_words.get(o as usize)) else {
                    continue;
                };
                tag_buf.clear();
                if let Some(col) = &tags {
                    tag_buf.extend(
                        col.term_ords(doc)
                            .filter_map(|o| tag_words.get(o as usize))
                            .map(String::as_str),
                    );
                }
                asked_buf.clear();
                if let Some(col) = &occurrences {
                    asked_buf.extend(
                        col.term_ords(doc)
                            .filter_map(|o| occurrence_table.get(o as usize)),
                    );
                }
                let facts = Facts {
                    id,
                    tags: &tag_buf,
                    project: projects
                        .as_ref()
                        .and_then(|col| col.ords().first(doc))
                        .and_then(|o| project_words.get(o as usize))
                        .map(String::as_str),
                    answered: answered.first(doc).unwrap_or(0) == 1,
                    asked_count: asked.first(doc).unwrap_or(0),
                    asked: &asked_buf,
                    created: created.first(doc).unwrap_or(0),
                    updated: updated.first(doc).unwrap_or(0),
                };
                if !keep(&facts) {
                    continue;
                }
                let summary = Summary {
                    id: id.clone(),
                    question: String::new(),
                    tags: tag_buf.iter().map(|t| t.to_string()).collect(),
                    project: facts.project.map(String::from),
                    answered: facts.answered,
                    asked_count: facts.asked_count,
                    asked: asked_buf.iter().map(|a| (*a).clone()).collect(),
                    created: facts.created,
                    updated: facts.updated,
                };
                kept.push((summary, questions.ords().first(doc)));
            }
            // The texts: one by one for a few, the whole dictionary in one pass for many.
            if kept.len() > 256 {
                let texts = words(Some(&questions))?;
                for (mut summary, ord) in kept {
                    if let Some(text) = ord.and_then(|o| texts.get(o as usize)) {
                        summary.question = text.clone();
                    }
                    out.push(summary);
                }
            } else {
                for (mut summary, ord) in kept {
                    if let Some(o) = ord {
                        questions
                            .ord_to_str(o, &mut summary.question)
                            .map_err(index_error)?;
                    }
                    out.push(summary);
                }
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Every question as `kb dups` compares it, from the index's columns (no file is read and no
    /// text analysed), sorted by id.
    pub fn entries(&self) -> Result<Vec<crate::analysis::similar::Entry>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let str_col = |name: &str| fast.str(name).map_err(index_error);
            let (Some(ids), Some(questions), Some(prints)) = (
                str_col("id")?,
                str_col("question_raw")?,
                str_col("print_data")?,
            ) else {
                continue;
            };
            let projects = str_col("project")?;
            let templates = str_col("template")?;
            let (id_words, question_words, print_words) = (
                words(Some(&ids))?,
                words(Some(&questions))?,
                words(Some(&prints))?,
            );
            let (project_words, template_words) =
                (words(projects.as_ref())?, words(templates.as_ref())?);
            let parsed: Vec<crate::analysis::similar::Print> = print_words
                .iter()
                .map(|s| crate::analysis::similar::Print::from_stored(s))
                .collect();
            let first = |col: &Option<tantivy::columnar::StrColumn>, table: &[String], doc| {
                col.as_ref()
                    .and_then(|c| c.ords().first(doc))
                    .and_then(|o| table.get(o as usize))
                    .cloned()
            };
            for doc in segment.doc_ids_alive() {
                let (Some(id), Some(question), Some(print)) = (
                    first(&Some(ids.clone()), &id_words, doc),
                    first(&Some(questions.clone()), &question_words, doc),
                    prints
                        .ords()
                        .first(doc)
                        .and_then(|o| parsed.get(o as usize))
                        .cloned(),
                ) else {
                    continue;
                };
                out.push(crate::analysis::similar::Entry {
                    id,
                    question,
                    project: first(&projects, &project_words, doc),
                    template: first(&templates, &template_words, doc),
                    print,
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Question files the index could not read (`path:line:col: message`), as of its last update.
    pub fn problems(&self) -> Vec<String> {
        self.meta()
            .map(|m| m.problems.into_values().collect())
            .unwrap_or_default()
    }
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

/// Where the time of a refresh goes, to the program's trace hook when it set one (the `kb`
/// binary does with `KB_TRACE`, for benchmarking).
fn trace(message: impl FnOnce() -> String) {
    if let Some(hook) = crate::settings::get().trace {
        hook(&message());
    }
}

fn register(index: &Index, options: analyzer::Options) {
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::KoEnTokenizer::new(options));
}

fn reader(index: &Index) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(index_error)
}

/// Segment sizes (in documents) below which small segments are merged, smallest first.
const MERGE_TIERS: [u32; 2] = [1_000, 25_000];
/// How many segments of a tier make a merge.
const MERGE_AT: usize = 8;

fn commit(writer: &mut IndexWriter, meta: &Meta) -> Result<()> {
    let payload = serde_json::to_string(meta).map_err(index_error)?;
    let mut prepared = writer.prepare_commit().map_err(index_error)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(index_error)?;
    Ok(())
}

fn head_commit(kb: &Kb) -> Option<String> {
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

fn dir_mtime(kb: &Kb) -> Option<i64> {
    fs::metadata(kb.root().join(QUESTIONS_DIR))
        .ok()
        .map(|m| stamp(&m).0)
}

fn stamp(m: &fs::Metadata) -> (i64, u64) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    (mtime, m.len())
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
