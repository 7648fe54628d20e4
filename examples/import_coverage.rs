//! How much of a notes folder the Markdown import keeps: for each corpus, the share of
//! non-blank source lines whose words reach a question or an answer, the questions with an empty
//! answer, and the files that gave no question at all. A measuring tool for issue 13 (notes
//! import), run before the importer is changed so the change can be judged against it:
//!
//!     cargo run --release --example import_coverage [CORPORA_DIR]
//!
//! What counts as a kept line is `kb::import::coverage`, the same measure `kb import`'s summary
//! reports.

use std::path::{Path, PathBuf};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    println!(
        "| corpus | files | files with no question | questions | empty answers | content lines | kept |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut corpora: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    corpora.sort();
    for corpus in corpora {
        let files = kb::import::markdown_files(std::slice::from_ref(&corpus)).expect("listing");
        let (mut none, mut questions, mut empty, mut lines, mut kept) = (0, 0, 0, 0usize, 0usize);
        for (path, _) in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let (found, _) = kb::import::extract(&text);
            if found.is_empty() {
                none += 1;
            }
            questions += found.len();
            empty += found.iter().filter(|f| f.answer.trim().is_empty()).count();
            let (l, k) = kb::import::coverage(&text, &found);
            lines += l;
            kept += k;
        }
        println!(
            "| {} | {} | {none} | {questions} | {empty} | {lines} | {:.1}% |",
            corpus.file_name().unwrap().to_string_lossy(),
            files.len(),
            100.0 * kept as f64 / lines.max(1) as f64
        );
    }
}
