//! Forgiving search, measured: the typo set (tests/data/typo-queries.tsv, written before the typo
//! layer was tuned) — transliteration variants, English and Korean typos, choseong, spaces
//! dropped or added — must find the intended question in the top 5 on both the tuning half and
//! the held-out half. Rows on `kb` search the sample bank kb/; rows on `corpora` search the two
//! public question collections (skipped with a notice when they are not on this machine).
//!
//! Run with `--nocapture` for the table; `KB_QUALITY_VERBOSE=1` lists the misses.

use std::path::Path;

use crate::common::*;
use kb::analysis::analyzer::Options;
use kb::analysis::glossary::Glossary;
use kb::index::{Search, SearchIndex};

struct Row {
    split: String,
    bank: String,
    kind: String,
    query: String,
    /// Question ids (bank `kb`) or pieces of the question text (bank `corpora`).
    expected: Vec<String>,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/typo-queries.tsv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "bad line: {l}");
            assert!(c[0] == "tune" || c[0] == "test", "bad split: {l}");
            Row {
                split: c[0].into(),
                bank: c[1].into(),
                kind: c[2].into(),
                query: c[3].into(),
                expected: c[4].split(" || ").map(String::from).collect(),
            }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Rate {
    n: usize,
    found: usize,
}

impl Rate {
    fn value(self) -> f64 {
        self.found as f64 / self.n.max(1) as f64
    }
}

/// Top-5 hit rate per split of the rows of one bank, and the misses.
fn measure(
    rows: &[&Row],
    index: &SearchIndex,
    glossary: &Glossary,
    relevant: impl Fn(&Row, &kb::index::Hit) -> bool,
) -> (Rate, Rate, Vec<String>) {
    let (mut tune, mut test, mut misses) = (Rate::default(), Rate::default(), Vec::new());
    for row in rows {
        let search = Search {
            text: row.query.clone(),
            limit: 5,
            ..Search::default()
        };
        let hits = index.search(&search, glossary).unwrap();
        let found = hits.iter().any(|h| relevant(row, h));
        let rate = if row.split == "tune" {
            &mut tune
        } else {
            &mut test
        };
        rate.n += 1;
        rate.found += usize::from(found);
        if !found {
            misses.push(format!(
                "[{} {} {}] {:?} → {:?}",
                row.bank,
                row.split,
                row.kind,
                row.query,
                hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>()
            ));
        }
    }
    (tune, test, misses)
}

fn report(name: &str, tune: Rate, test: Rate, misses: &[String]) {
    println!(
        "{name}: tune {}/{} = {:.3}, test {}/{} = {:.3}",
        tune.found,
        tune.n,
        tune.value(),
        test.found,
        test.n,
        test.value()
    );
    if std::env::var_os("KB_QUALITY_VERBOSE").is_some() {
        for m in misses {
            eprintln!("miss {m}");
        }
    }
}

#[test]
fn typo_set_finds_the_intended_question_in_the_top_five_on_both_halves() {
    let rows = rows();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let sample: Vec<&Row> = rows.iter().filter(|r| r.bank == "kb").collect();
    for kind in ["translit", "ko-typo", "en-typo", "choseong", "spacing"] {
        for split in ["tune", "test"] {
            assert!(
                sample.iter().any(|r| r.kind == kind && r.split == split),
                "no {kind} row in the {split} half"
            );
        }
    }

    let sb = Sandbox::new();
    let dir = sample_copy(&sb);
    let bank = kb::Kb::open(&dir).unwrap();
    let docs = bank.load_all().unwrap().questions;
    for row in &sample {
        for id in &row.expected {
            assert!(
                docs.iter().any(|d| &d.id == id),
                "{:?} expects {id}, which is not in kb/",
                row.query
            );
        }
    }
    let glossary = Glossary::load(bank.root()).0;
    let index = SearchIndex::in_memory(&docs, Options::SHIPPED).unwrap();
    let (tune, test, misses) = measure(&sample, &index, &glossary, |row, hit| {
        row.expected.contains(&hit.id)
    });
    report("sample bank kb/", tune, test, &misses);
    assert!(
        tune.value() >= 0.9 && test.value() >= 0.9,
        "top-5 hit rate below 0.9 on kb/:\n{}",
        misses.join("\n")
    );

    let Some(corpora) = corpora() else { return };
    let on_corpora: Vec<&Row> = rows.iter().filter(|r| r.bank == "corpora").collect();
    let files = kb::import::markdown_files(&question_collections(&corpora)).unwrap();
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
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for row in &on_corpora {
        assert!(
            row.expected
                .iter()
                .any(|e| plan.new.iter().any(|d| squash(&d.question).contains(e))),
            "{:?}: no question in the corpora contains {:?}",
            row.query,
            row.expected
        );
    }
    let index = SearchIndex::in_memory(&plan.new, Options::SHIPPED).unwrap();
    let (tune, test, misses) = measure(&on_corpora, &index, &glossary, |row, hit| {
        let q = squash(&hit.question);
        row.expected.iter().any(|e| q.contains(e.as_str()))
    });
    report("question collections", tune, test, &misses);
    assert!(
        tune.value() >= 0.9 && test.value() >= 0.9,
        "top-5 hit rate below 0.9 on the corpora:\n{}",
        misses.join("\n")
    );
}
