//! kb: a Git-native knowledge base for job-interview preparation.
//!
//! The library holds everything that is not the terminal: the data model, the knowledge base on
//! disk, git. The `kb` binary is a thin layer of commands over it.
//!
//! # Layers
//!
//! A module uses only modules on the rows below its own, never one above, so the modules form
//! no cycle (`layering.rs` checks that in `cargo test`, for this library and for the binary's
//! modules). From the bottom:
//!
//! ```text
//! error  settings  text      errors, paths as shown; settings; NFC and Markdown as plain text
//! names                      names compared forgivingly, `did you mean`, company aliases
//! id  time                   ids; the clock
//! yaml  git                  the YAML kb writes; git2, and the one place a git process starts
//! model                      Question, Config and their validation
//! interview  project  draft  interviews; résumé projects; a question being written
//! merge  store               the one semantic merge; the bank on disk
//! analysis  review  drafts   analyzer, glossary, similar questions; review logs; saved drafts
//! index  import  check  pick the search index; Markdown import; kb check; picker matching
//! tx  intake                 write transactions; text turned into questions
//! sync  source               sync and clone; notes repositories followed
//! ops                        the work behind each command, with its typed report
//! ```
//!
//! A module that needs something from a row above has it passed in (a callback, a trait such
//! as `index::Progress`), or the thing moves down.

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
pub mod names;
pub mod ops;
pub mod pick;
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

#[cfg(test)]
mod layering;

// Also at its old place, for the code that still names it there.
pub use error::{Error, Problem, Result};
pub use model::{Asked, Config, Question, Source};
pub use store::Kb;
pub use tx::{Committed, Transaction};
