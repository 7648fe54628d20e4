//! Count the background document frequencies kb ships for comparing questions
//! (data/similar-background.tsv; see `kb::analysis::similar::background`).
//!
//! cargo run --example similar_background [CORPORA_DIR] [SAMPLE_KB_DIR]
//! (defaults: ../shared/corpora and kb/, next to Cargo.toml)

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args_os().skip(1);
    let corpora = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpora"));
    let sample = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("kb"));
    let docs = kb::analysis::similar::background::collect_documents(&corpora, &sample)?;
    let counted = kb::analysis::similar::Background::count(docs.iter().map(String::as_str));
    let out = root.join("data/similar-background.tsv");
    std::fs::write(&out, counted.to_tsv())?;
    eprintln!(
        "{}: {} documents, {} tokens",
        out.display(),
        counted.docs(),
        counted.to_tsv().lines().count() - 1
    );
    Ok(())
}
