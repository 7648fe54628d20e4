//! Recognising a question asked again, measured on labelled pairs written before tuning
//! (tests/data/asked-pairs: a tuning half and a test half), in a bank of two questions and in a
//! full bank (the sample bank, every bank-side question of the pairs and, when present, the
//! public corpora); and `kb dups` on the corpora's own labelled pairs.
//!
//! `KB_PAIRS=tune` measures the tuning half instead of the test half, and prints every pair on
//! the wrong side of the threshold.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::common::*;
use kb::analysis::similar;

struct Pair {
    same: bool,
    kind: String,
    asked: String,
    bank: String,
    project: Option<String>,
}

fn pairs(file: &str) -> Vec<Pair> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/asked-pairs")
            .join(file),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() >= 5, "{l}");
            assert!(c[0] == "same" || c[0] == "diff", "{l}");
            Pair {
                same: c[0] == "same",
                kind: c[1].to_string(),
                asked: c[2].to_string(),
                bank: c[3].to_string(),
                project: Some(c[4].trim().to_string()).filter(|p| !p.is_empty()),
            }
        })
        .collect()
}

/// Precision and recall of `scores` (label, score) at `threshold`.
fn precision_recall(scores: &[(bool, f32)], threshold: f32) -> (f64, f64) {
    let tp = scores.iter().filter(|(d, s)| *d && *s >= threshold).count() as f64;
    let fp = scores
        .iter()
        .filter(|(d, s)| !*d && *s >= threshold)
        .count() as f64;
    let positives = scores.iter().filter(|(d, _)| *d).count() as f64;
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 1.0 };
    (precision, tp / positives.max(1.0))
}

fn report_row(name: &str, scores: &[(bool, f32)], thresholds: &[f32], out: &mut String) {
    for &t in thresholds {
        let (p, r) = precision_recall(scores, t);
        out.push_str(&format!("| {name} | {t:.2} | {p:.2} | {r:.2} |\n"));
    }
}

/// The résumé projects the pairs' interviews were about, as a user who records them has them in
/// `projects/`: the id of the pairs' project column, named as the bank side names it (the words
/// before `프로젝트` in `이상 거래 탐지 프로젝트에서 …`, read from every pair of that id whatever
/// its label). Ids the bank side never names get no project.
fn pair_projects(pairs: &[Pair]) -> Vec<(String, String)> {
    let mut seen: HashMap<&str, HashMap<String, usize>> = HashMap::new();
    for p in pairs {
        let Some(id) = p.project.as_deref() else {
            continue;
        };
        let Some(at) = p.bank.find("프로젝트") else {
            continue;
        };
        let before = &p.bank[..at];
        let clause = before
            .rsplit(['.', '?', ',', '!', '(', ')'])
            .next()
            .unwrap_or(before);
        let words: Vec<&str> = clause.split_whitespace().collect();
        let name = words[words.len().saturating_sub(6)..].join(" ");
        // Not `이 프로젝트`, `해당 프로젝트`: one syllable or a demonstrative names nothing.
        if name.chars().count() >= 2 && !matches!(name.as_str(), "해당" | "이번") {
            *seen.entry(id).or_default().entry(name).or_default() += 1;
        }
    }
    // Most frequent readings first, each name to one id and each id one name: a name read under
    // several ids (a question about another project) goes where it is read most.
    let mut counts: Vec<(usize, &str, String)> = seen
        .iter()
        .flat_map(|(id, names)| names.iter().map(|(n, c)| (*c, *id, n.clone())))
        .collect();
    counts.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, id, name) in counts {
        if out.iter().any(|(i, n)| i == id || *n == name) {
            continue;
        }
        out.push((id.to_string(), name));
    }
    out.sort();
    out
}

/// A knowledge base holding the sample bank, every bank-side question of `pairs` (filed under
/// the project its text names, as the template files a project's questions), the pairs'
/// projects ([`pair_projects`]), and the corpora when they are here; its index.
fn full_bank(sb: &Sandbox, pairs: &[Pair], with_corpora: bool) -> (kb::Kb, kb::index::SearchIndex) {
    let dir = sample_copy(sb);
    if with_corpora && let Some(corpora) = corpora() {
        sb.kb(&dir).arg("import").arg(&corpora).assert().success();
    }
    let kb = kb::Kb::open(&dir).unwrap();
    let have: HashSet<String> = kb
        .load_all()
        .unwrap()
        .questions
        .into_iter()
        .map(|q| q.question)
        .collect();
    let known: HashSet<String> = kb
        .load_projects()
        .unwrap()
        .0
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut tx = kb.begin(&|| {}).unwrap();
    // The sample bank's own projects keep their names.
    let mut named: Vec<(String, String)> = pair_projects(pairs)
        .into_iter()
        .filter(|(id, _)| !known.contains(id))
        .collect();
    for (id, name) in &named {
        tx.save_project(&kb::project::Project::new(id.clone(), name))
            .unwrap_or_else(|e| panic!("project {id} of the labelled pairs: {e}"));
        if std::env::var_os("KB_PAIRS").is_some() {
            eprintln!("project {id}: {name}");
        }
    }
    // Longest name first: a question names the most specific project it can.
    named.sort_by_key(|(_, n)| std::cmp::Reverse(n.chars().count()));
    let mut added = HashSet::new();
    for p in pairs {
        if have.contains(&p.bank) || !added.insert(p.bank.clone()) {
            continue;
        }
        let mut q = kb::Question::new(kb.new_id(), &p.bank);
        q.project = named
            .iter()
            .find(|(_, n)| p.bank.contains(n.as_str()))
            .map(|(id, _)| id.clone());
        tx.save(&q).unwrap();
    }
    let _ = tx.commit("bank side of the labelled pairs").unwrap();
    drop(tx);
    struct Quiet;
    impl kb::index::Progress for Quiet {}
    let (index, _) = kb::index::SearchIndex::open(&kb, &Quiet).unwrap();
    (kb, index)
}

/// Precision and recall at the shipped thresholds: (incoming in a bank of two, incoming in the
/// full bank, kb dups).
type Measured = [(f64, f64); 3];

/// The labelled pairs of `file`, measured; prints the report, and with `verbose` every pair on
/// the wrong side of a threshold.
fn measure(file: &str, verbose: bool) -> Measured {
    let tuning = verbose;
    let pairs = pairs(file);
    assert!(pairs.len() >= 120, "{}", pairs.len());
    assert!(pairs.iter().filter(|p| p.same).count() * 3 >= pairs.len());
    let sb = Sandbox::new();
    let (kb, index) = full_bank(&sb, &pairs, true);
    let glossary = kb::analysis::glossary::Glossary::load(kb.root()).0;
    let projects: HashMap<String, Vec<String>> = kb
        .load_projects()
        .unwrap()
        .0
        .into_iter()
        .map(|p| (p.id, similar::print(&p.name).tokens))
        .collect();
    let bank: Vec<kb::Question> = kb.load_all().unwrap().questions;
    let project_of: HashMap<&str, Option<&str>> = bank
        .iter()
        .map(|q| (q.question.as_str(), q.project.as_deref()))
        .collect();

    // A bank of two questions: weights from the shipped background alone.
    let small: Vec<(bool, f32)> = pairs
        .iter()
        .map(|p| {
            let w = similar::background_weights();
            let other_project = matches!(
                (p.project.as_deref(), project_of.get(p.bank.as_str()).copied().flatten()),
                (Some(a), Some(b)) if a != b
            );
            let s = if other_project {
                0.0
            } else {
                similar::incoming(&similar::print(&p.asked), &similar::print(&p.bank), &w).score
            };
            (p.same, s)
        })
        .collect();
    // The full bank, through the same look-up `kb interview add` makes: the labelled bank
    // question's score among the candidates (0 when the look-up does not propose it).
    let mut top_is_right = 0;
    let full: Vec<(bool, f32)> = pairs
        .iter()
        .map(|p| {
            let found = index
                .similar(&p.asked, &glossary, p.project.as_deref(), &projects, 10)
                .unwrap();
            if p.same && found.first().is_some_and(|c| c.question == p.bank) {
                top_is_right += 1;
            }
            let s = found
                .iter()
                .find(|c| c.question == p.bank)
                .map_or(0.0, |c| c.similarity);
            (p.same, s)
        })
        .collect();
    // `kb dups` on both sides of every pair, as two questions of one bank (the asked one in the
    // interview's project, as `kb interview add --project` files it).
    let same_score = |p: &Pair| {
        let mut a = kb::Question::new("asked".into(), &p.asked);
        a.project = p.project.clone();
        let b = bank
            .iter()
            .find(|q| q.question == p.bank)
            .cloned()
            .unwrap_or_else(|| kb::Question::new("bank".into(), &p.bank));
        // Through kb dups' own join (which makes a term written in either script one token
        // first, and caps the soft credit), at threshold 0: the pair's score, or 0 when the
        // join does not propose it.
        let both = [similar::Entry::of(&a), similar::Entry::of(&b)];
        similar::duplicates_of(&both, &projects, 0.0, 1)
            .first()
            .map_or(0.0, |p| p.similarity)
    };
    let dups: Vec<(bool, f32)> = pairs.iter().map(|p| (p.same, same_score(p))).collect();
    let thresholds = [0.35f32, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
    let mut report = format!(
        "{file}: {} pairs ({} same), full bank of {} questions\n\n| score | threshold | precision | recall |\n|---|---|---|---|\n",
        pairs.len(),
        pairs.iter().filter(|p| p.same).count(),
        bank.len()
    );
    report_row("incoming, bank of two", &small, &thresholds, &mut report);
    report_row("incoming, full bank", &full, &thresholds, &mut report);
    report_row(
        "kb dups (same), bank of two",
        &dups,
        &thresholds,
        &mut report,
    );
    let positives = pairs.iter().filter(|p| p.same).count();
    report.push_str(&format!(
        "\nfull bank: the labelled question is the best candidate for {top_is_right} of {positives} same pairs\n"
    ));
    println!("{report}");

    if tuning || std::env::var_os("KB_QUALITY_VERBOSE").is_some() {
        let w = similar::background_weights();
        for ((p, (_, s)), (_, f)) in pairs.iter().zip(&small).zip(&full) {
            let wrong = |score: f32, t: f32| (score >= t) != p.same;
            let d = same_score(p);
            if wrong(d, similar::DEFAULT_THRESHOLD) {
                println!(
                    "DUPS {} {d:.2} [{}] {} | {}",
                    if p.same { "SAME" } else { "diff" },
                    p.kind,
                    p.asked,
                    p.bank
                );
            }
            if wrong(*s, similar::INCOMING_THRESHOLD) || wrong(*f, similar::INCOMING_THRESHOLD) {
                let m = similar::incoming(&similar::print(&p.asked), &similar::print(&p.bank), &w);
                println!(
                    "{} small {s:.2} full {f:.2} [{}] {} | {}\n    {}\n    asked {:?}\n    bank  {:?}",
                    if p.same { "SAME" } else { "diff" },
                    p.kind,
                    p.asked,
                    p.bank,
                    m.why(),
                    similar::print(&p.asked).tokens,
                    similar::print(&p.bank).tokens,
                );
            }
        }
    }

    [
        precision_recall(&small, similar::INCOMING_THRESHOLD),
        precision_recall(&full, similar::INCOMING_THRESHOLD),
        precision_recall(&dups, similar::DEFAULT_THRESHOLD),
    ]
}

/// Issue 11's targets were recall ≥ 0.9 at precision ≥ 0.9 for a question as asked, and recall
/// ≥ 0.9 at precision ≥ 0.95 for `kb dups`, on a test half touched once. docs/DUPLICATES.md has
/// what each set measured and when; these floors keep the measured levels from slipping (a few
/// pairs below them, as one pair moves a figure by 0.015).
#[test]
fn a_question_asked_again_is_recognised_in_a_small_bank_and_a_full_one() {
    // (file, incoming precision, incoming recall, dups precision, dups recall)
    let floors = [
        ("tune.tsv", 0.88, 0.93, 0.95, 0.88),
        ("test.tsv", 0.86, 0.9, 0.92, 0.78),
        ("set-c.tsv", 0.9, 0.86, 0.96, 0.66),
        ("set-d.tsv", 0.94, 0.82, 0.95, 0.64),
        ("set-e.tsv", 0.92, 0.85, 0.96, 0.7),
        ("set-f.tsv", 0.9, 0.8, 0.95, 0.58),
        ("set-g.tsv", 0.92, 0.7, 0.95, 0.47),
        ("set-h.tsv", 0.94, 0.73, 0.96, 0.58),
        ("set-i.tsv", 0.91, 0.73, 0.94, 0.56),
        ("set-j.tsv", 0.9, 0.8, 0.95, 0.68),
        ("set-k.tsv", 0.91, 0.86, 0.96, 0.74),
        ("set-l.tsv", 0.88, 0.79, 0.94, 0.7),
    ];
    let only = std::env::var("KB_PAIRS").ok();
    for (file, ip, ir, dp, dr) in floors {
        if only
            .as_deref()
            .is_some_and(|o| !file.starts_with(o) && !file.ends_with(&format!("{o}.tsv")))
        {
            continue;
        }
        let verbose = only.is_some() || std::env::var_os("KB_QUALITY_VERBOSE").is_some();
        let [small, full, dups] = measure(file, verbose);
        for (what, (p, r), (fp, fr)) in [
            ("incoming, bank of two", small, (ip, ir)),
            ("incoming, full bank", full, (ip, ir)),
            ("kb dups", dups, (dp, dr)),
        ] {
            assert!(
                p >= fp && r >= fr,
                "{file}, {what}: precision {p:.2}, recall {r:.2} (floors {fp}, {fr})"
            );
        }
    }
}

/// The corpora's own pairs (tests/data/dup-pairs.tsv: 19 paraphrases and 103 hard negatives
/// among their questions, labelled by reading all of them): `kb dups` on the imported corpora
/// reports the paraphrases and does not flood the list.
#[test]
fn kb_dups_on_the_corpora_finds_their_paraphrases() {
    let Some(corpora) = corpora() else { return };
    let sb = Sandbox::new();
    let kb_dir = sb.init("bank");
    sb.kb(&kb_dir)
        .arg("import")
        .args(question_collections(&corpora))
        .assert()
        .success();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dup-pairs.tsv"),
    )
    .unwrap();
    let labelled: Vec<(bool, String, String)> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0] == "dup", c[1].to_string(), c[2].to_string())
        })
        .collect();
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
            assert!(!p["why"].as_str().unwrap().is_empty(), "{p}");
            (
                p["question_a"].as_str().unwrap().to_string(),
                p["question_b"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let is = |(_, a, b): &(bool, String, String)| {
        found
            .iter()
            .any(|(x, y)| (x == a && y == b) || (x == b && y == a))
    };
    let tp = labelled.iter().filter(|p| p.0 && is(p)).count();
    let fp = labelled.iter().filter(|p| !p.0 && is(p)).count();
    if std::env::var_os("KB_QUALITY_VERBOSE").is_some() {
        for p in labelled.iter().filter(|p| p.0 != is(p)) {
            let why = out
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["question_a"] == p.1.as_str() || x["question_b"] == p.1.as_str())
                .map(|x| format!("{} {}", x["similarity"], x["why"]))
                .unwrap_or_default();
            println!(
                "{} {} | {} {why}",
                if p.0 { "MISSED" } else { "FALSE" },
                p.1,
                p.2
            );
        }
    }
    let positives = labelled.iter().filter(|p| p.0).count();
    println!(
        "kb dups on the corpora: {} pairs reported; labelled: {tp} of {positives} paraphrases, {fp} of {} hard negatives",
        found.len(),
        labelled.len() - positives
    );
    // Measured 17 of 19 and 7 of 103 at the default threshold, 6 of 103 since the soft credit
    // (docs/DUPLICATES.md): these hard negatives are narrower follow-ups that share every
    // other word (`binary tree` / `full binary tree`), which `kb dups` lists for a person to
    // look at, with the reason.
    assert!(
        tp as f64 / (tp + fp).max(1) as f64 >= 0.65,
        "precision of kb dups on labelled pairs: {tp} true, {fp} false"
    );
    assert!(
        tp * 100 >= positives * 85,
        "{tp} of {positives} paraphrases"
    );
    assert!(
        found.len() <= 60,
        "{} pairs reported for the corpora: a flood",
        found.len()
    );
}

#[test]
fn kb_dups_works_in_a_new_users_bank_of_four_and_never_pairs_two_projects_questions() {
    let sb = Sandbox::new();
    let kb_dir = sb.init("bank");
    for q in [
        "차원의 저주에 대해 설명해주세요.",
        "차원의저주가 무엇인지 설명해 주세요",
        "CNN에 대해서 아는대로 얘기하라",
        "Auto Encoder에 대해서 아는대로 얘기하라",
    ] {
        sb.add(&kb_dir, &[q, "--no-dedupe"]);
    }
    let out = json(&sb.kb(&kb_dir).args(["dups", "--json"]).assert().success());
    let pairs = out.as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{out}");
    let texts = [
        pairs[0]["question_a"].as_str().unwrap(),
        pairs[0]["question_b"].as_str().unwrap(),
    ];
    assert!(texts.iter().all(|t| t.contains("차원")), "{out}");
    assert!(
        pairs[0]["why"].as_str().unwrap().starts_with("same:"),
        "{out}"
    );

    // The sample bank's two projects share the template: their project questions are never
    // reported as duplicates of each other.
    let sample = sample_copy(&sb);
    let out = json(
        &sb.kb(&sample)
            .args(["dups", "--json", "--limit", "1000", "--threshold", "0.3"])
            .assert()
            .success(),
    );
    for p in out.as_array().unwrap() {
        let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
        let across = (a.starts_with("cs-rag-assistant-") && b.starts_with("ocr-serving-"))
            || (b.starts_with("cs-rag-assistant-") && a.starts_with("ocr-serving-"));
        let template = |id: &str| {
            json(
                &sb.kb(&sample)
                    .args(["show", id, "--json"])
                    .assert()
                    .success(),
            )["template"]
                .is_string()
        };
        assert!(!(across && template(a) && template(b)), "{p}");
    }
}

/// The background weights kb ships are the counts of the corpora and the sample bank as they
/// are now, made with the current comparison tokens.
#[test]
fn the_shipped_background_is_counted_from_the_corpora_and_the_sample_bank() {
    let Some(corpora) = corpora() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = similar::background::collect_documents(&corpora, &root.join("kb")).unwrap();
    let counted = similar::Background::count(docs.iter().map(String::as_str));
    let shipped = std::fs::read_to_string(root.join("data/similar-background.tsv")).unwrap();
    assert!(
        counted.to_tsv() == shipped,
        "data/similar-background.tsv is out of date: run `cargo run --example similar_background`"
    );
}
