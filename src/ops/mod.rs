//! Operations: the work behind each command, as the library does it. A command parses its
//! arguments, calls one operation and renders the typed report it gets back; nothing here
//! prints or reads the terminal (the shape of cargo's `ops` under its `commands`).

pub mod add;
pub mod complete;
pub mod dedupe;
pub mod drill;
pub mod export;
pub mod import;
pub mod interview;
pub mod list;
pub mod mock;
pub mod page;
pub mod plan;
pub mod prep;
pub mod project;
pub mod project_edit;
pub mod report;
pub mod resume;
pub mod stats;
