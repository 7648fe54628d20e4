//! Search quality on real interview collections, measured, and compared with SQLite FTS5
//! (unicode61 tokenizer) and plain substring matching on the same documents.
//!
//! Needs the public corpora (../shared/corpora, or the folder in KB_CORPORA); without them the
//! test prints a notice and passes, or fails under KB_REQUIRE_CORPORA=1 (as in CI). Run with
//! `--nocapture` to see the table; it is also written to target/search-quality.md.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::common::*;
use kb::analysis::analyzer::Options;
use kb::analysis::glossary::Glossary;
use kb::index::query::Weights;
use kb::index::{Search, SearchIndex};

struct Query {
    kind: String,
    text: String,
    expected: Vec<String>,
}

fn queries() -> Vec<Query> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/search-queries.tsv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad line: {l}");
            Query {
                kind: cols[0].to_string(),
                text: cols[1].to_string(),
                expected: cols[2].split(" || ").map(squash).collect(),
            }
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rank (1-based) of the first relevant question among `ranked`, within the first 10.
fn first_relevant(ranked: &[&str], expected: &[String]) -> Option<usize> {
    ranked
        .iter()
        .take(10)
        .position(|q| {
            let q = squash(q);
            expected.iter().any(|e| q.contains(e.as_str()))
        })
        .map(|p| p + 1)
}

#[derive(Default, Clone, Copy)]
struct Score {
    n: usize,
    recall5: usize,
    rr: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if rank.is_some_and(|r| r <= 5) {
            self.recall5 += 1;
        }
        if let Some(r) = rank {
            self.rr += 1.0 / r as f64;
        }
    }
    fn recall(&self) -> f64 {
        self.recall5 as f64 / self.n.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.rr / self.n.max(1) as f64
    }
}

/// A system's score overall and per kind of query.
struct Report {
    name: String,
    all: Score,
    by_kind: HashMap<String, Score>,
}

fn evaluate(name: &str, queries: &[Query], mut rank: impl FnMut(&str) -> Vec<String>) -> Report {
    let mut report = Report {
        name: name.to_string(),
        all: Score::default(),
        by_kind: HashMap::new(),
    };
    for q in queries {
        let ranked = rank(&q.text);
        let refs: Vec<&str> = ranked.iter().map(String::as_str).collect();
        let r = first_relevant(&refs, &q.expected);
        if std::env::var_os("KB_QUALITY_VERBOSE").is_some() && r.is_none_or(|r| r > 1) {
            eprintln!(
                "[{name}] {:?} ({}) → rank {r:?}; top: {:?}",
                q.text,
                q.kind,
                refs.iter().take(3).collect::<Vec<_>>()
            );
        }
        report.all.add(r);
        report.by_kind.entry(q.kind.clone()).or_default().add(r);
    }
    report
}

/// Substring matching, the way a person greps: a question scores for every query word found in
/// its text (three times for the question, once for the answer), case-insensitively.
fn substring_ranker(docs: &[kb::Question]) -> impl FnMut(&str) -> Vec<String> + '_ {
    let lowered: Vec<(String, String)> = docs
        .iter()
        .map(|d| (d.question.to_lowercase(), d.answer.to_lowercase()))
        .collect();
    move |query: &str| {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut scored: Vec<(usize, usize)> = lowered
            .iter()
            .enumerate()
            .map(|(i, (q, a))| {
                let s = words
                    .iter()
                    .map(|w| {
                        3 * usize::from(q.contains(w.as_str()))
                            + usize::from(a.contains(w.as_str()))
                    })
                    .sum();
                (s, i)
            })
            .filter(|(s, _)| *s > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take(10)
            .map(|(_, i)| docs[i].question.clone())
            .collect()
    }
}

/// SQLite FTS5 with the unicode61 tokenizer, through the sqlite3 command-line tool: the query's
/// words OR-ed, ranked by bm25 with the question weighted 3:1 over the answer.
fn fts5_rankings(
    docs: &[kb::Question],
    queries: &[Query],
    workdir: &Path,
) -> Option<Vec<Vec<String>>> {
    let ranked = fts5_ranked(
        docs,
        &queries.iter().map(|q| q.text.as_str()).collect::<Vec<_>>(),
        workdir,
    )?;
    Some(
        ranked
            .into_iter()
            .map(|r| r.into_iter().map(|i| docs[i].question.clone()).collect())
            .collect(),
    )
}

/// [`fts5_rankings`] as indices into `docs`.
fn fts5_ranked(docs: &[kb::Question], queries: &[&str], workdir: &Path) -> Option<Vec<Vec<usize>>> {
    if std::process::Command::new("sqlite3")
        .arg("--version")
        .output()
        .is_err()
    {
        prerequisite_missing("sqlite3 is not installed", "the FTS5 comparison");
        return None;
    }
    let quote = |s: &str| s.replace('\'', "''");
    let mut sql = String::from(
        "CREATE VIRTUAL TABLE docs USING fts5(question, answer, tokenize='unicode61');\nBEGIN;\n",
    );
    for (i, d) in docs.iter().enumerate() {
        writeln!(
            sql,
            "INSERT INTO docs(rowid, question, answer) VALUES ({}, '{}', '{}');",
            i + 1,
            quote(&d.question),
            quote(&d.answer)
        )
        .unwrap();
    }
    sql.push_str("COMMIT;\n");
    for (n, q) in queries.iter().enumerate() {
        let terms: Vec<String> = q
            .split_whitespace()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        writeln!(sql, "SELECT 'Q{n}';").unwrap();
        writeln!(
            sql,
            "SELECT rowid FROM docs WHERE docs MATCH '{}' ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10;",
            quote(&terms.join(" OR "))
        )
        .unwrap();
    }
    let script = workdir.join("fts5.sql");
    std::fs::write(&script, sql).unwrap();
    let out = std::process::Command::new("sqlite3")
        .arg(":memory:")
        .stdin(std::fs::File::open(&script).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut results: Vec<Vec<usize>> = vec![Vec::new(); queries.len()];
    let mut current = None;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        if let Some(n) = line.strip_prefix('Q') {
            current = n.parse::<usize>().ok();
        } else if let (Some(c), Ok(rowid)) = (current, line.trim().parse::<usize>()) {
            results[c].push(rowid - 1);
        }
    }
    Some(results)
}

fn table(reports: &[Report], kinds: &[&str]) -> String {
    let mut s = String::from("| system | recall@5 | MRR@10 |");
    for k in kinds {
        write!(s, " {k} R@5 / MRR |").unwrap();
    }
    s.push('\n');
    s.push_str(&"|---".repeat(3 + kinds.len()));
    s.push_str("|\n");
    for r in reports {
        write!(
            s,
            "| {} | {:.3} | {:.3} |",
            r.name,
            r.all.recall(),
            r.all.mrr()
        )
        .unwrap();
        for k in kinds {
            let sc = r.by_kind.get(*k).copied().unwrap_or_default();
            write!(s, " {:.2} / {:.2} |", sc.recall(), sc.mrr()).unwrap();
        }
        s.push('\n');
    }
    s
}

#[test]
fn search_quality_on_real_corpora_beats_fts5_and_substring_matching() {
    let Some(corpora) = corpora() else { return };
    let sb = Sandbox::new();
    let kb_dir = sb.init("bank");
    let out = sb
        .kb(&kb_dir)
        .args(["import", "--json"])
        .args(question_collections(&corpora))
        .assert()
        .success();
    let summary = json(&out);
    // What the importer finds in the two collections (see tests/import.rs for per-file counts).
    assert_eq!(summary["created"], 478, "{summary}");
    assert_eq!(summary["duplicates"], 82, "{summary}");

    let kb = kb::Kb::open(&kb_dir).unwrap();
    let docs = kb.load_all().unwrap().questions;
    assert_eq!(docs.len(), 478);
    // Follow-ups indented under their question come in linked to it (the README's figure).
    let linked = docs.iter().filter(|q| q.follow_up_of.is_some()).count();
    let tagged = docs
        .iter()
        .filter(|q| q.tags.iter().any(|t| t == "follow-up"))
        .count();
    assert_eq!((linked, tagged), (13, 23), "follow-ups linked / tagged");
    let queries = queries();
    assert!(queries.len() >= 40);

    let glossary = Glossary::load(kb.root()).0;
    let no_glossary = Glossary::default();
    let kb_ranker = |index: &SearchIndex, glossary: &Glossary| {
        let index = index as *const SearchIndex;
        let glossary = glossary as *const Glossary;
        move |text: &str| -> Vec<String> {
            // SAFETY: both outlive the evaluation below, which is the only caller.
            let (index, glossary) = unsafe { (&*index, &*glossary) };
            let search = Search {
                text: text.to_string(),
                limit: 10,
                ..Search::default()
            };
            index
                .search_with(&search, glossary, Weights::default())
                .unwrap()
                .into_iter()
                .map(|h| h.question)
                .collect()
        }
    };

    let variants = [
        (
            "bigrams",
            Options {
                unigrams: false,
                strip_particles: false,
            },
        ),
        (
            "bigrams + unigrams",
            Options {
                unigrams: true,
                strip_particles: false,
            },
        ),
        ("bigrams, particles stripped (shipped)", Options::SHIPPED),
        (
            "bigrams + unigrams, particles stripped",
            Options {
                unigrams: true,
                strip_particles: true,
            },
        ),
    ];
    let mut reports = Vec::new();
    for (name, options) in variants {
        let index = SearchIndex::in_memory(&docs, options).unwrap();
        reports.push(evaluate(
            &format!("kb: {name}"),
            &queries,
            kb_ranker(&index, &glossary),
        ));
        if options == Options::SHIPPED {
            reports.push(evaluate(
                &format!("kb: {name}, no glossary"),
                &queries,
                kb_ranker(&index, &no_glossary),
            ));
        }
    }
    // Weights, measured the same way (the shipped ones are Weights::default()).
    let index = SearchIndex::in_memory(&docs, Options::SHIPPED).unwrap();
    // The typo layer must not cost the exact queries anything: the shipped search without it.
    reports.push(evaluate(
        "kb without typo corrections",
        &queries,
        |text: &str| -> Vec<String> {
            let search = Search {
                text: text.to_string(),
                limit: 10,
                exact_only: true,
                ..Search::default()
            };
            index
                .search(&search, &glossary)
                .unwrap()
                .into_iter()
                .map(|h| h.question)
                .collect()
        },
    ));
    for (question, synonym) in [
        (1.0, 0.8),
        (2.0, 0.8),
        (5.0, 0.8),
        (3.0, 0.4),
        (3.0, 0.6),
        (3.0, 1.0),
    ] {
        let weights = Weights {
            question,
            synonym,
            ..Weights::default()
        };
        let ranker = |text: &str| -> Vec<String> {
            let search = Search {
                text: text.to_string(),
                limit: 10,
                ..Search::default()
            };
            index
                .search_with(&search, &glossary, weights)
                .unwrap()
                .into_iter()
                .map(|h| h.question)
                .collect()
        };
        reports.push(evaluate(
            &format!("weights: question×{question}, synonyms×{synonym}"),
            &queries,
            ranker,
        ));
    }
    reports.push(evaluate(
        "substring matching",
        &queries,
        substring_ranker(&docs),
    ));
    if let Some(fts) = fts5_rankings(&docs, &queries, sb.path()) {
        let mut n = 0;
        reports.push(evaluate("SQLite FTS5 (unicode61)", &queries, |_| {
            n += 1;
            fts[n - 1].clone()
        }));
    }

    let kinds = ["ko-particle", "ko-spacing", "en", "mixed", "cross"];
    let rendered = table(&reports, &kinds);
    println!(
        "{} queries on {} questions\n\n{rendered}",
        queries.len(),
        docs.len()
    );
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let _ = std::fs::write(target.join("search-quality.md"), &rendered);

    let shipped = reports
        .iter()
        .find(|r| r.name.ends_with("(shipped)"))
        .unwrap();
    for other in reports
        .iter()
        .filter(|r| !r.name.starts_with("kb") && !r.name.starts_with("weights:"))
    {
        assert!(
            shipped.all.recall() > other.all.recall() && shipped.all.mrr() > other.all.mrr(),
            "kb must beat {}:\n{rendered}",
            other.name
        );
    }
    // The shipped analyzer must stay the best variant measured (within noise of one query).
    let best_mrr = reports
        .iter()
        .filter(|r| r.name.starts_with("kb:"))
        .map(|r| r.all.mrr())
        .fold(0.0, f64::max);
    assert!(
        shipped.all.mrr() + 1.0 / queries.len() as f64 >= best_mrr,
        "a variant beats the shipped analyzer:\n{rendered}"
    );
    let exact = reports
        .iter()
        .find(|r| r.name == "kb without typo corrections")
        .unwrap();
    assert!(
        shipped.all.recall() >= exact.all.recall() && shipped.all.mrr() >= exact.all.mrr(),
        "the typo layer costs exact queries:\n{rendered}"
    );
    assert!(shipped.all.recall() >= 0.93, "recall@5 fell:\n{rendered}");
    assert!(shipped.all.mrr() >= 0.88, "MRR@10 fell:\n{rendered}");
}

/// A query over the notes corpora, labelled by where its answer is (`file:line`, alternatives
/// joined by ` || `), independent of how the importer cuts the notes.
struct NotesQuery {
    split: String,
    kind: String,
    text: String,
    wheres: Vec<(String, usize)>,
}

/// The blind query sets over the notes, each written by a session that saw none of kb
/// (tests/data/notes-queries-SPLIT.tsv), with the recall@5 and MRR@10 kb must keep on it.
/// `blind` was read after its first run (0.872 / 0.724), so it is development data; the others
/// were not. First runs: blind2 0.837 / 0.686, blind3 0.842 / 0.687 (2026-12-03), blind4 0.910
/// / 0.797 (2026-12-04), blind5 0.889 / 0.769 (2026-12-04, evening).
const BLIND_SETS: [(&str, f64, f64); 5] = [
    ("blind", 0.89, 0.74),
    ("blind2", 0.81, 0.67),
    ("blind3", 0.81, 0.66),
    ("blind4", 0.88, 0.77),
    ("blind5", 0.86, 0.74),
];

/// The queries of tests/data/notes-queries.tsv (`tune` and `test`) and of the [`BLIND_SETS`].
fn notes_queries() -> Vec<NotesQuery> {
    let read = |name: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(name),
        )
        .unwrap()
    };
    let texts: Vec<String> = std::iter::once("notes-queries.tsv".to_string())
        .chain(
            BLIND_SETS
                .iter()
                .map(|(split, ..)| format!("notes-queries-{split}.tsv")),
        )
        .map(|name| read(&name))
        .collect();
    texts
        .iter()
        .flat_map(|t| t.lines().skip(1))
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "bad line: {l}");
            let wheres = cols[3]
                .split(" || ")
                .map(|w| {
                    let (file, line) = w.trim().rsplit_once(':').expect("path:line");
                    (file.to_string(), line.parse().expect("a line number"))
                })
                .collect();
            NotesQuery {
                split: cols[0].to_string(),
                kind: cols[1].to_string(),
                text: cols[2].to_string(),
                wheres,
            }
        })
        .collect()
}

/// Search over imported notes (issue 13): the two notes repositories imported as `kb import`
/// imports them, 64 queries typed the night-before way (written before the importer was tuned,
/// split into a tuning half and a test half), each relevant question found through the source
/// line its label names. kb against SQLite FTS5 on the same questions; written to
/// target/notes-search.md.
#[test]
fn search_over_imported_notes_finds_the_section() {
    let Some(corpora) = corpora() else { return };
    let folders = [corpora.join("cs-study"), corpora.join("technicalnote")];
    let files = kb::import::markdown_files(&folders).unwrap();
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
    let docs = plan.new.clone();
    let by_source: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, q)| (q.imported_from.as_deref().unwrap(), i))
        .collect();
    // Which question holds each labelled line: the importer's own account of the file.
    let mut holder: HashMap<(String, usize), usize> = HashMap::new();
    let queries = notes_queries();
    assert!(queries.len() >= 60, "{} queries", queries.len());
    for (path, source) in &files {
        let wanted: Vec<usize> = queries
            .iter()
            .flat_map(|q| q.wheres.iter())
            .filter(|(f, _)| f == source)
            .map(|(_, l)| *l)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let (e, qs) = kb::import::questions_of(&text, source, &[]);
        for line in wanted {
            // The labelled line, or the first line after it that a question holds (a heading
            // that became a tag stands for the section under it).
            let unit = (line - 1..e.owners.len()).find_map(|l| match e.owners[l] {
                kb::import::markdown::Owner::Unit(u) => Some(u),
                _ => None,
            });
            let u = unit.unwrap_or_else(|| panic!("{source}:{line} is in no question"));
            let from = qs[u].imported_from.as_deref().unwrap();
            let doc = by_source.get(from).copied().unwrap_or_else(|| {
                // Left out as a duplicate of an earlier question: that one is the answer.
                let key = kb::import::duplicate_key(&qs[u].question);
                docs.iter()
                    .position(|d| kb::import::duplicate_key(&d.question) == key)
                    .unwrap_or_else(|| panic!("{from} not imported"))
            });
            holder.insert((source.clone(), line), doc);
        }
    }
    // Alternatives in the question collections (not imported here) are left out; every query
    // keeps at least one place in the notes.
    let relevant: Vec<Vec<usize>> = queries
        .iter()
        .map(|q| {
            let r: Vec<usize> = q
                .wheres
                .iter()
                .filter_map(|w| holder.get(w).copied())
                .collect();
            assert!(
                !r.is_empty(),
                "{:?}: no label in the notes: {:?}",
                q.text,
                q.wheres
            );
            r
        })
        .collect();

    let sb = Sandbox::new();
    let glossary = Glossary::load(&sb.init("kb")).0;
    let index = SearchIndex::in_memory(&docs, Options::SHIPPED).unwrap();
    let id_of: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let kb_ranked: Vec<Vec<usize>> = queries
        .iter()
        .map(|q| {
            let search = Search {
                text: q.text.clone(),
                limit: 10,
                ..Search::default()
            };
            index
                .search_with(&search, &glossary, Weights::default())
                .unwrap()
                .into_iter()
                .map(|h| id_of[h.id.as_str()])
                .collect()
        })
        .collect();
    let texts: Vec<&str> = queries.iter().map(|q| q.text.as_str()).collect();
    let fts = fts5_ranked(&docs, &texts, sb.path());

    // KB_QUALITY_VERBOSE=1 prints kb's misses on the halves; =blind those on the first blind set
    // (read after its one run, which made it development data; the others have not been read).
    let verbose = std::env::var("KB_QUALITY_VERBOSE").ok();
    let print_split = if verbose.as_deref() == Some("blind") {
        "blind"
    } else {
        "all"
    };
    let score = |ranked: &[Vec<usize>], split: &str, show: bool| {
        let mut s = Score::default();
        for (i, q) in queries.iter().enumerate() {
            let wanted = match split {
                "all" => !q.split.starts_with("blind"),
                _ => q.split == split,
            };
            if !wanted {
                continue;
            }
            let rank = ranked[i]
                .iter()
                .take(10)
                .position(|d| relevant[i].contains(d))
                .map(|p| p + 1);
            if show && verbose.is_some() && split == print_split && rank.is_none_or(|r| r > 1) {
                eprintln!(
                    "{:?} ({}, {}) → rank {rank:?}; want {:?}; top: {:?}",
                    q.text,
                    q.kind,
                    q.split,
                    relevant[i]
                        .iter()
                        .map(|d| &docs[*d].question)
                        .collect::<Vec<_>>(),
                    ranked[i]
                        .iter()
                        .take(3)
                        .map(|d| &docs[*d].question)
                        .collect::<Vec<_>>()
                );
            }
            s.add(rank);
        }
        s
    };
    let splits: Vec<&str> = ["tune", "test", "all"]
        .into_iter()
        .chain(BLIND_SETS.iter().map(|(split, ..)| *split))
        .collect();
    let mut table = format!(
        "| system | {} |\n|---|{}\n",
        splits
            .iter()
            .map(|s| format!("{s} R@5 / MRR@10"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(splits.len())
    );
    let mut rows = vec![("kb (shipped)", kb_ranked.clone())];
    if let Some(f) = fts {
        rows.push(("SQLite FTS5 (unicode61)", f));
    }
    for (row, (name, ranked)) in rows.iter().enumerate() {
        let cells: Vec<String> = splits
            .iter()
            .map(|split| {
                // Misses are printed for kb only, once.
                let s = score(ranked, split, row == 0);
                format!("{:.3} / {:.3}", s.recall(), s.mrr())
            })
            .collect();
        writeln!(table, "| {name} | {} |", cells.join(" | ")).unwrap();
    }
    println!(
        "{} queries on {} questions imported from {} files\n\n{table}",
        queries.len(),
        docs.len(),
        files.len()
    );
    let _ = std::fs::write(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/notes-search.md"),
        &table,
    );
    let all = score(&kb_ranked, "all", false);
    assert!(
        all.recall() >= 0.92,
        "recall@5 on imported notes fell:\n{table}"
    );
    assert!(all.mrr() >= 0.80, "MRR@10 on imported notes fell:\n{table}");
    // The blind sets are kept from slipping.
    for (split, recall, mrr) in BLIND_SETS {
        let s = score(&kb_ranked, split, false);
        assert!(
            s.recall() >= recall && s.mrr() >= mrr,
            "the {split} notes queries fell below {recall} / {mrr}:\n{table}"
        );
    }
    if let Some((_, f)) = rows.get(1) {
        let fts = score(f, "all", false);
        assert!(
            all.recall() > fts.recall() && all.mrr() > fts.mrr(),
            "kb must beat FTS5 on imported notes:\n{table}"
        );
    }
}
