//! The `--json` reports of the commands whose work is a single library call. Each is a typed
//! struct, so a command's output has one shape, written down once (and pinned by
//! tests/golden/json-shapes.txt). Commands with an operation of their own report that
//! operation's type (`ops::stats::Stats`, `ops::prep::Prep`, …).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Problem;
use crate::import::Plan;

/// A question written (`kb add`, `kb edit`): its id, file and commit.
#[derive(Debug, Serialize)]
pub struct Written {
    pub id: String,
    /// `kb add` only: whether it is a new question (else the same one already in the bank got
    /// the answer, tags or interview).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
    pub path: String,
    pub commit: Option<String>,
}

/// `kb merge`: the question kept and the ones folded into it.
#[derive(Debug, Serialize)]
pub struct Merged {
    pub id: String,
    pub merged: Vec<String>,
    pub commit: Option<String>,
}

/// `kb rm`.
#[derive(Debug, Serialize)]
pub struct Removed {
    pub removed: Vec<String>,
    pub commit: Option<String>,
}

/// `kb tag`: each changed question with its tags now.
#[derive(Debug, Serialize)]
pub struct Tagged {
    pub changed: Vec<Tags>,
    pub commit: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Tags {
    pub id: String,
    pub tags: Vec<String>,
}

/// `kb fmt`: the questions whose files were (or, with --check, would be) rewritten.
#[derive(Debug, Serialize)]
pub struct Formatted {
    pub files: Vec<String>,
    pub commit: Option<String>,
}

/// `kb check`.
#[derive(Debug, Serialize)]
pub struct Checked<'a> {
    pub files: usize,
    pub problems: &'a [Problem],
}

/// `kb reindex`.
#[derive(Debug, Serialize)]
pub struct Indexed {
    pub questions: u64,
    /// Files that could not be read.
    pub skipped: usize,
    pub seconds: f64,
}

/// `kb init` and `kb clone`: where the bank is.
#[derive(Debug, Serialize)]
pub struct Created {
    pub path: String,
    pub name: String,
}

/// `kb clone`.
#[derive(Debug, Serialize)]
pub struct Cloned {
    pub path: String,
    pub questions: u64,
}

/// One pair of `kb dups`.
#[derive(Debug, Serialize)]
pub struct Pair<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub similarity: f32,
    pub question_a: &'a str,
    pub question_b: &'a str,
    pub why: &'a str,
}

/// One hit of `kb search`: the index's hit and its file.
#[derive(Debug, Serialize)]
pub struct Found<'a> {
    #[serde(flatten)]
    pub hit: &'a crate::index::Hit,
    pub path: String,
}

/// One remote of `kb remote list`.
#[derive(Debug, Serialize)]
pub struct Remote<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// What `kb sync` did, or why it stopped: `exit` is the process's exit code.
#[derive(Debug, Serialize)]
pub struct Synced<'a, R: Serialize> {
    pub ok: bool,
    pub exit: u8,
    pub report: Option<&'a R>,
    pub error: Option<String>,
}

/// What `kb source update` did with one source: brought it in, or could not (the others are
/// still updated).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum SourceUpdate {
    Done(Box<crate::source::Updated>),
    Failed { name: String, error: String },
}

/// `kb import` of Markdown: the plan (what each file gave, and every line that did not come
/// in, by kind) and its commit.
#[derive(Debug, Serialize)]
pub struct Imported<'a> {
    pub files: usize,
    pub created: usize,
    pub duplicates: usize,
    pub problems: &'a [String],
    pub content_lines: usize,
    pub kept_lines: usize,
    pub duplicate_lines: usize,
    /// Rounded to three places.
    pub kept_share: f64,
    /// Skipped content lines by kind.
    pub skipped: BTreeMap<&'static str, usize>,
    pub unplaced: &'a [String],
    pub files_without_questions: &'a [String],
    pub images_copied: Vec<&'a str>,
    pub images_missing: &'a [String],
    pub note_links: usize,
    pub plan: Vec<ImportedFile<'a>>,
    pub ids: Vec<&'a str>,
    pub commit: Option<String>,
    pub dry_run: bool,
}

#[derive(Debug, Serialize)]
pub struct ImportedFile<'a> {
    pub source: &'a str,
    pub content_lines: usize,
    pub questions: Vec<ImportedQuestion<'a>>,
    /// Skipped lines (1-based) by kind.
    pub skipped: BTreeMap<&'static str, &'a [usize]>,
    pub unplaced: &'a [usize],
}

#[derive(Debug, Serialize)]
pub struct ImportedQuestion<'a> {
    pub line: usize,
    pub question: &'a str,
    pub answer_lines: usize,
    pub duplicate: bool,
    pub kind: &'static str,
}

impl<'a> Imported<'a> {
    pub fn new(plan: &'a Plan, commit: Option<String>, dry_run: bool) -> Imported<'a> {
        let file = |f: &'a crate::import::FilePlan| ImportedFile {
            source: &f.source,
            content_lines: f.content_lines,
            questions: f
                .questions
                .iter()
                .map(|q| ImportedQuestion {
                    line: q.line,
                    question: &q.question,
                    answer_lines: q.answer_lines,
                    duplicate: q.duplicate,
                    kind: q.kind.name(),
                })
                .collect(),
            skipped: f
                .skipped
                .iter()
                .map(|(k, lines)| (k.key(), lines.as_slice()))
                .collect(),
            unplaced: &f.unplaced,
        };
        Imported {
            files: plan.files,
            created: plan.new.len(),
            duplicates: plan.duplicates,
            problems: &plan.problems,
            content_lines: plan.content_lines,
            kept_lines: plan.kept_lines,
            duplicate_lines: plan.duplicate_lines,
            kept_share: (plan.kept_share() * 1000.0).round() / 1000.0,
            skipped: plan.skipped.iter().map(|(k, n)| (k.key(), *n)).collect(),
            unplaced: &plan.unplaced,
            files_without_questions: &plan.empty_files,
            images_copied: plan.assets.iter().map(|a| a.to.as_str()).collect(),
            images_missing: &plan.missing_images,
            note_links: plan.note_links,
            plan: plan.per_file.iter().map(file).collect(),
            ids: plan.new.iter().map(|q| q.id.as_str()).collect(),
            commit,
            dry_run,
        }
    }
}
