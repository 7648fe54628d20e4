//! How much of each corpus the Markdown import keeps, and where the rest went: for each folder
//! in the corpora, the files, the files that gave no question, the questions and how many have
//! an empty answer, the content lines, the lines skipped by kind, the share of content kept, and
//! the lines that went nowhere (with the first few named). The numbers are the ones `kb import`
//! reports (`kb::import::plan`), so this is the summary of a dry run over each corpus:
//!
//!     cargo run --release --example import_coverage [CORPORA_DIR]

use std::path::{Path, PathBuf};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    println!(
        "| corpus | files | files with no question | questions | empty answers | content lines | skipped (by kind) | kept | in no question |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut corpora: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    corpora.sort();
    for corpus in corpora {
        let files = kb::import::markdown_files(std::slice::from_ref(&corpus)).expect("listing");
        let mut n = 0;
        let plan = kb::import::plan(
            &files,
            &kb::import::Existing::default(),
            &[],
            || {
                n += 1;
                format!("q-{n:08x}")
            },
            || {},
        );
        let empty = plan
            .new
            .iter()
            .filter(|q| q.answer.trim().is_empty())
            .count();
        let skipped: Vec<String> = plan
            .skipped
            .iter()
            .map(|(k, n)| format!("{} {n}", k.name()))
            .collect();
        let first: Vec<&str> = plan.unplaced.iter().take(3).map(|s| s.as_str()).collect();
        println!(
            "| {} | {} | {} | {} | {empty} | {} | {} | {:.1}% | {}{} |",
            corpus.file_name().unwrap().to_string_lossy(),
            plan.files,
            plan.empty_files.len(),
            plan.new.len() + plan.duplicates,
            plan.content_lines,
            skipped.join(", "),
            100.0 * plan.kept_share(),
            plan.unplaced.len(),
            if first.is_empty() {
                String::new()
            } else {
                format!(" ({})", first.join(", "))
            }
        );
    }
}
