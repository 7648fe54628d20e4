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
//!
//! Here: opening, building and rebuilding [`SearchIndex`]; `schema` (the fields, a question as a
//! document), `refresh` (the incremental update), `columns` (the column read model: [`Summary`],
//! [`Facts`], the entries `kb dups` compares) and [`query`] (search, similar questions).

mod columns;
pub mod query;
mod refresh;
mod schema;
mod typo;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Problem, Result};
use crate::model::Question;
use crate::store::Kb;

// Also at their old place, for the code that still names them there.

use crate::analysis::analyzer;
pub use columns::{Facts, Occurrence, Summary};
pub use query::{Hit, Search};
pub use refresh::SCAN_BUDGET;
pub use schema::Fields;

use refresh::{Meta, commit, dir_mtime, head_commit, problem_map};
use schema::{format_tag, register};

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
        let (schema, fields) = schema::schema();
        let index = Index::create_in_dir(dir, schema).map_err(index_error)?;
        let this = SearchIndex::over(index, fields, analyzer::Options::SHIPPED)?;
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
        let (expected, fields) = schema::schema();
        if index.schema() != expected {
            return Ok(None);
        }
        Ok(Some(SearchIndex::over(
            index,
            fields,
            analyzer::Options::SHIPPED,
        )?))
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

    /// The handle of an index, its analyzers registered with `options`: what opening one on
    /// disk, building one on disk and building one in memory share.
    fn over(index: Index, fields: Fields, options: analyzer::Options) -> Result<SearchIndex> {
        register(&index, options);
        let reader = reader(&index)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            options,
        })
    }

    /// An index in memory of `questions`, analysed with `options`: for measuring search
    /// quality of analyzer variants without touching any knowledge base.
    pub fn in_memory(questions: &[Question], options: analyzer::Options) -> Result<SearchIndex> {
        let (schema, fields) = schema::schema();
        let this = SearchIndex::over(Index::create_in_ram(schema), fields, options)?;
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

    /// The question an id was merged into, if any.
    pub fn find_alias(&self, id: &str) -> Result<Option<String>> {
        self.ids_with(self.fields.alias, id)
            .map(|ids| ids.into_iter().next())
    }

    /// Ids of the questions asked in an interview.
    pub fn asked_in(&self, interview: &str) -> Result<Vec<String>> {
        self.ids_with(self.fields.interview, interview)
    }

    /// Ids of the questions that follow up any of `ids` (`follow_up_of:`), sorted.
    pub fn follow_ups_of(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in ids {
            for f in self.ids_with(self.fields.follow_up_of, id)? {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
        out.sort();
        Ok(out)
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

    /// Question files the index could not read (`path:line:col: message`), as of its last update.
    pub fn problems(&self) -> Vec<String> {
        self.meta()
            .map(|m| m.problems.into_values().collect())
            .unwrap_or_default()
    }
}

fn index_error(e: impl std::fmt::Display) -> Error {
    Error::Index(e.to_string())
}

/// Where the time of a refresh goes, to the program's trace hook when it set one (the `kb`
/// binary does with `KB_TRACE`, for benchmarking).
fn trace(message: impl FnOnce() -> String) {
    if let Some(hook) = crate::settings::get().trace {
        hook(&message());
    }
}

fn reader(index: &Index) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(index_error)
}
