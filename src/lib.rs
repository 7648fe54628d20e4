//! kb: a Git-native knowledge base for job-interview preparation.
//!
//! The library holds everything that is not the terminal: the data model, the knowledge base on
//! disk, git. The `kb` binary is a thin layer of commands over it.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod check;
pub mod draft;
pub mod drafts;
pub mod error;
pub mod git;
pub mod id;
pub mod import;
pub mod index;
pub mod intake;
pub mod interview;
pub mod merge;
pub mod model;
pub mod ops;
pub mod project;
pub mod review;
pub mod settings;
pub mod source;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
pub mod tx;
pub mod yaml;

// Also at its old place, for the code that still names it there.
pub use analysis::similar;
pub use error::{Error, Problem, Result};
pub use model::{Asked, Config, Question, Source};
pub use store::Kb;
pub use tx::{Committed, Transaction};
