//! The end-to-end tests, built as one test binary (`cargo test --test it`): every area is a
//! module here, so tantivy, git2 and the rest are linked once instead of once per file. Run one
//! area or one test with a filter: `cargo test --test it sync::` or
//! `cargo test --test it search_quality::search_over_imported_notes -- --nocapture`.
//!
//! A new test file goes in tests/it/ and gets a `mod` line below; `layout` fails if one is
//! forgotten or if a file is put directly in tests/ (cargo would build it as a binary of its own).

mod common;

mod completion;
mod concurrency;
mod core;
mod crash;
mod dups;
mod edit;
mod faults;
mod follow_ups;
mod git_states;
mod hostile;
mod import;
mod interview;
mod json_shapes;
mod layout;
mod merge_props;
mod mock;
mod names;
mod page;
mod page_cdp;
mod pager;
mod picker;
mod plan;
mod prep;
mod projects;
mod resume;
mod sample_kb;
mod search;
mod search_quality;
mod source;
mod sync;
mod typo_search;
mod unsafe_input;
