//! Duplicate detection: measured on labelled pairs from the public corpora, and end to end with
//! `kb dups` and `kb merge` on paraphrases written for this test.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;
use kb::index::analyzer::Options;
use kb::similar::{fingerprint, fingerprint_with, idf, match_score, similarity, weigh};

struct Labelled {
    dup: bool,
    a: String,
    b: String,
}

fn labelled() -> Vec<Labelled> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dup-pairs.tsv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Labelled {
                dup: c[0] == "dup",
                a: c[1].to_string(),
                b: c[2].to_string(),
            }
        })
        .collect()
}

#[test]
fn similarity_separates_labelled_paraphrases_from_same_topic_questions() {
    let Some(corpora) = corpora() else { return };
    let sb = Sandbox::new();
    let kb_dir = sb.init("bank");
    sb.kb(&kb_dir)
        .arg("import")
        .arg(&corpora)
        .assert()
        .success();
    let kb = kb::Kb::open(&kb_dir).unwrap();
    let questions = kb.load_all().unwrap().questions;
    let texts: Vec<&str> = questions.iter().map(|q| q.question.as_str()).collect();
    let pairs = labelled();
    assert!(pairs.iter().filter(|p| p.dup).count() >= 15);
    assert!(pairs.iter().filter(|p| !p.dup).count() >= 40);
    for p in &pairs {
        assert!(
            texts.contains(&p.a.as_str()) && texts.contains(&p.b.as_str()),
            "not in the bank: {:?} / {:?}",
            p.a,
            p.b
        );
    }

    type Print = fn(&str) -> Vec<String>;
    let variants: [(&str, Print, bool); 5] = [
        (
            "bigrams",
            |t| {
                fingerprint_with(
                    t,
                    Options {
                        unigrams: false,
                        strip_particles: false,
                    },
                )
            },
            false,
        ),
        (
            "bigrams, particles stripped",
            |t| fingerprint_with(t, Options::SHIPPED),
            false,
        ),
        (
            "bigrams + syllables, particles stripped",
            |t| {
                fingerprint_with(
                    t,
                    Options {
                        unigrams: true,
                        strip_particles: true,
                    },
                )
            },
            false,
        ),
        (
            "bigrams, particles stripped, + glossary concepts (kb dups)",
            fingerprint,
            false,
        ),
        (
            "as an incoming question: Jaccard and coverage (kb interview add)",
            fingerprint,
            true,
        ),
    ];
    let mut report =
        String::from("| tokens | threshold | precision | recall | F1 |\n|---|---|---|---|---|\n");
    let mut shipped_at_default = (0.0, 0.0);
    for (name, print, incoming) in variants {
        let prints: HashMap<&str, Vec<String>> = texts.iter().map(|t| (*t, print(t))).collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for p in prints.values() {
            for t in p {
                *df.entry(t.as_str()).or_default() += 1;
            }
        }
        let n = texts.len();
        let scores: Vec<(bool, f32)> = pairs
            .iter()
            .map(|p| {
                let w = |t: &str| weigh(t, idf(n, df.get(t).copied().unwrap_or(0)));
                let (a, b) = (&prints[p.a.as_str()], &prints[p.b.as_str()]);
                let s = if incoming {
                    match_score(a, b, w).max(match_score(b, a, w))
                } else {
                    similarity(a, b, w)
                };
                (p.dup, s)
            })
            .collect();
        for threshold in [0.4f32, 0.5, 0.6, 0.65, 0.7, 0.75] {
            let tp = scores.iter().filter(|(d, s)| *d && *s >= threshold).count() as f64;
            let fp = scores
                .iter()
                .filter(|(d, s)| !*d && *s >= threshold)
                .count() as f64;
            let positives = scores.iter().filter(|(d, _)| *d).count() as f64;
            let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 1.0 };
            let recall = tp / positives;
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            report.push_str(&format!(
                "| {name} | {threshold:.2} | {precision:.2} | {recall:.2} | {f1:.2} |\n"
            ));
            if name.ends_with("(kb dups)")
                && (threshold - kb::similar::DEFAULT_THRESHOLD).abs() < 1e-6
            {
                shipped_at_default = (precision, recall);
            }
        }
        if std::env::var_os("KB_QUALITY_VERBOSE").is_some() {
            for (p, (_, s)) in pairs.iter().zip(&scores) {
                eprintln!(
                    "[{name}] {} {s:.2} {} | {}",
                    if p.dup { "DUP " } else { "diff" },
                    p.a,
                    p.b
                );
            }
        }
    }
    println!("{report}");
    let (precision, recall) = shipped_at_default;
    assert!(
        precision >= 0.85,
        "precision at the default threshold fell to {precision:.2}:\n{report}"
    );
    assert!(
        recall >= 0.7,
        "recall at the default threshold fell to {recall:.2}:\n{report}"
    );

    // `kb dups` on the whole bank: the labelled paraphrases come out, unrelated pairs do not
    // flood the list.
    let out = json(
        &sb.kb(&kb_dir)
            .args(["dups", "--json", "--limit", "1000"])
            .assert()
            .success(),
    );
    let found: Vec<(String, String)> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["question_a"].as_str().unwrap().to_string(),
                p["question_b"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let is = |p: &Labelled| {
        found
            .iter()
            .any(|(a, b)| (a == &p.a && b == &p.b) || (a == &p.b && b == &p.a))
    };
    let tp = pairs.iter().filter(|p| p.dup && is(p)).count();
    let fp = pairs.iter().filter(|p| !p.dup && is(p)).count();
    println!(
        "kb dups on {} questions: {} pairs reported; labelled: {tp} true, {fp} false",
        questions.len(),
        found.len()
    );
    assert!(
        tp as f64 / (tp + fp).max(1) as f64 >= 0.85,
        "precision of kb dups on labelled pairs: {tp} true, {fp} false"
    );
    assert!(
        found.len() <= 60,
        "{} pairs reported for 478 questions: a flood",
        found.len()
    );
}
