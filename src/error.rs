//! The library's error type: every failure names what went wrong and where.

use std::fmt;
use std::path::{Path, PathBuf};

/// Show a path the way a person types it: without a leading `./`.
pub fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

/// A problem found in one file: where it is and what is wrong with it.
///
/// Displayed the way compilers and linters do (`path:line:col: message`), so editors can jump to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file, as the user named the knowledge base (joined onto `--kb` or the discovered root).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong, in one line.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `kb.yaml` was found by any of the discovery rules.
    #[error(
        "no knowledge base found (looked for kb.yaml in {searched}).\n\
         Create one with `kb init` here, `kb init DIR`, or point kb at one with --kb DIR or KB_DIR."
    )]
    NoKnowledgeBase { searched: String },

    /// `kb init` on a directory that already holds a knowledge base.
    #[error("{0} already holds a knowledge base (kb.yaml exists)")]
    AlreadyExists(PathBuf),

    /// A file that could not be understood.
    #[error("{0}")]
    Invalid(Problem),

    /// An id that is not a safe, valid question id.
    #[error("invalid id {id:?}: {reason}")]
    InvalidId { id: String, reason: String },

    /// A tag that cannot be stored.
    #[error("invalid tag {tag:?}: {reason}")]
    InvalidTag { tag: String, reason: String },

    /// No question has this id (or id prefix).
    #[error("no question with id {0:?} (see `kb list`)")]
    NotFound(String),

    /// No interview has this id (or id prefix).
    #[error("no interview with id {0:?} (see `kb interview list`)")]
    NotFoundInterview(String),

    /// An id prefix that matches more than one question.
    #[error("id prefix {prefix:?} is ambiguous; it matches {}", candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },

    /// A question without text.
    #[error("the question is empty")]
    EmptyQuestion,

    /// A new question under an id another question has.
    #[error("a question with id {0} already exists (kb show {0})")]
    Exists(String),

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A git operation failed.
    #[error("git: {0}")]
    Git(#[from] git2::Error),

    /// The search index failed (it is a cache: `kb reindex` rebuilds it).
    #[error("search index: {0} (run `kb reindex` to rebuild it)")]
    Index(String),

    /// A search query that cannot be run.
    #[error("{0}")]
    Query(String),

    /// The knowledge base's directory is not usable with git the way kb needs.
    #[error("{0}")]
    Repository(String),
}

/// Shorthand used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attach a path to an I/O error.
pub(crate) trait IoContext<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|source| Error::Io {
            path: path.into(),
            source,
        })
    }
}
