//! The index's fields, and a question as a document of them.

use std::fs;
use std::time::{Duration, Instant, UNIX_EPOCH};

use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::{Index, TantivyDocument};

use crate::error::{Error, Problem, display_path};
use crate::model::Question;
use crate::store::{Kb, QUESTIONS_DIR};

use super::{SearchIndex, analyzer};
use crate::analysis::jamo;

/// Bumped whenever the fields change.
const SCHEMA_VERSION: u32 = 12;

pub(super) fn format_tag() -> String {
    format!(
        "schema{SCHEMA_VERSION}-analyzer{}-similar{}",
        analyzer::VERSION,
        crate::analysis::similar::VERSION
    )
}

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub question: Field,
    pub answer: Field,
    /// The answer's own Markdown headings: in an imported note they name the sub-topics
    /// (`### 크롬 브라우저의 멀티 프로세스 구조` inside `멀티 프로세스와 멀티 스레드`).
    pub headings: Field,
    pub tags_text: Field,
    pub tag: Field,
    pub project: Field,
    pub company: Field,
    pub asked: Field,
    pub answered: Field,
    pub mtime: Field,
    pub size: Field,
    /// Ids merged into the question (`kb show OLD` finds the question that took it in).
    pub alias: Field,
    /// Interviews the question was asked in.
    pub interview: Field,
    /// The question this one follows up (`follow_up_of:`): a question's follow-ups are found
    /// without reading every file.
    pub follow_up_of: Field,
    /// The question's text as one value, for listing without opening files.
    pub question_raw: Field,
    /// Each `asked` occurrence as `company \u{1f} date \u{1f} interview`.
    pub occurrence: Field,
    /// When the question was created / last updated (seconds since the epoch).
    pub created: Field,
    pub updated: Field,
    /// The question's comparison tokens ([`crate::analysis::similar::print`]): they find the
    /// questions an incoming one may be, and their document frequencies weigh the comparison.
    pub print: Field,
    /// The whole print ([`crate::analysis::similar::Print::to_stored`]) and the template key, as
    /// columns: `kb dups` compares every question without parsing a file or analysing a text.
    pub print_data: Field,
    pub template: Field,
    /// The résumé line a question was drafted from (`kb project import`), as a column: `kb
    /// stats` counts the lines without an answer without reading a file.
    pub resume: Field,
    /// The question's words ([`crate::analysis::jamo::words`] of question, tags and answer),
    /// Hangul taken apart into jamo: what a mistyped query word is corrected towards.
    pub words: Field,
    /// Each Hangul word of `words` as `choseong \u{1} word`, for queries typed as first
    /// consonants (`ㅊㄹ ㅊㅈㅎ`).
    pub initials: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        question: b.add_text_field("question", text.clone() | STORED),
        answer: b.add_text_field("answer", text.clone() | STORED),
        headings: b.add_text_field("headings", text.clone()),
        tags_text: b.add_text_field("tags_text", text),
        tag: b.add_text_field("tag", STRING | STORED | FAST),
        project: b.add_text_field("project", STRING | STORED | FAST),
        company: b.add_text_field("company", STRING),
        asked: b.add_u64_field(
            "asked",
            NumericOptions::default()
                .set_fast()
                .set_stored()
                .set_indexed(),
        ),
        answered: b.add_u64_field(
            "answered",
            NumericOptions::default().set_fast().set_indexed(),
        ),
        mtime: b.add_i64_field("mtime", FAST),
        size: b.add_u64_field("size", FAST),
        alias: b.add_text_field("alias", STRING),
        interview: b.add_text_field("interview", STRING),
        follow_up_of: b.add_text_field("follow_up_of", STRING),
        print: b.add_text_field("print", STRING),
        print_data: b.add_text_field("print_data", TextOptions::default().set_fast("raw")),
        template: b.add_text_field("template", TextOptions::default().set_fast("raw")),
        resume: b.add_text_field("resume", TextOptions::default().set_fast("raw")),
        words: b.add_text_field("words", STRING),
        initials: b.add_text_field("initials", STRING),
        question_raw: b.add_text_field("question_raw", TextOptions::default().set_fast("raw")),
        occurrence: b.add_text_field("occurrence", TextOptions::default().set_fast("raw")),
        created: b.add_i64_field("created", FAST),
        updated: b.add_i64_field("updated", FAST),
    };
    (b.build(), fields)
}

pub(super) fn register(index: &Index, options: analyzer::Options) {
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::KoEnTokenizer::new(options));
}

pub(super) fn stamp(m: &fs::Metadata) -> (i64, u64) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    (mtime, m.len())
}

impl SearchIndex {
    /// The document for question `id` as it is on disk; `None` when the file is gone, a problem
    /// when it cannot be read.
    pub(super) fn document(
        &self,
        kb: &Kb,
        id: &str,
        stat_time: &mut Duration,
    ) -> std::result::Result<Option<TantivyDocument>, Problem> {
        let path = match kb.question_path(id) {
            Ok(p) => p,
            Err(e) => {
                return Err(Problem {
                    path: display_path(&kb.root().join(QUESTIONS_DIR).join(format!("{id}.yaml"))),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                });
            }
        };
        // One open: the stamp comes from the open file, not a second lookup by path.
        let started = Instant::now();
        let Ok(mut file) = fs::File::open(&path) else {
            return Ok(None);
        };
        let Ok(meta) = file.metadata() else {
            return Ok(None);
        };
        *stat_time += started.elapsed();
        let link = fs::symlink_metadata(&path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if link || meta.len() > crate::store::MAX_FILE_BYTES {
            // Same rules as every other reader (store::read_text), same message.
            return match crate::store::read_text(&path) {
                Err(Error::Invalid(p)) => Err(p),
                _ => Ok(None),
            };
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() {
            return Ok(None);
        }
        let text = crate::store::utf8_text(&path, bytes).map_err(|e| match e {
            Error::Invalid(p) => p,
            other => Problem {
                path: path.clone(),
                line: 0,
                column: 0,
                message: other.to_string(),
            },
        })?;
        let q = Question::parse_known(&path, &text, Some(id))?;
        let stamp = stamp(&meta);
        Ok(Some(self.to_document(&q, stamp)))
    }

    pub(super) fn to_document(&self, q: &Question, (mtime, size): (i64, u64)) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &q.id);
        doc.add_text(f.question, &q.question);
        // Indexed and stored as plain text: snippets show words, not Markdown syntax.
        let plain = crate::text::markdown_plain(&q.answer);
        doc.add_text(f.answer, &plain);
        let headings = crate::text::markdown_headings(&q.answer);
        if !headings.is_empty() {
            doc.add_text(f.headings, headings);
        }
        doc.add_text(f.tags_text, q.tags.join(" "));
        for t in &q.tags {
            doc.add_text(f.tag, t);
        }
        if let Some(p) = &q.project {
            doc.add_text(f.project, p);
        }
        let mut companies: Vec<String> = q.asked.iter().map(|a| a.company.to_lowercase()).collect();
        companies.sort();
        companies.dedup();
        for c in companies {
            doc.add_text(f.company, c);
        }
        for a in &q.aliases {
            doc.add_text(f.alias, a);
        }
        let mut interviews: Vec<&str> = q
            .asked
            .iter()
            .filter_map(|a| a.interview.as_deref())
            .collect();
        interviews.sort();
        interviews.dedup();
        for i in interviews {
            doc.add_text(f.interview, i);
        }
        let print = crate::analysis::similar::print(&q.question);
        doc.add_text(f.print_data, print.to_stored());
        for t in print.tokens {
            doc.add_text(f.print, t);
        }
        if let Some(t) = &q.template {
            doc.add_text(f.template, t);
        }
        if let Some(r) = &q.resume {
            doc.add_text(f.resume, r);
        }
        if let Some(p) = &q.follow_up_of {
            doc.add_text(f.follow_up_of, p);
        }
        doc.add_text(f.question_raw, &q.question);
        let texts = [q.question.clone(), q.tags.join(" "), plain];
        let mut words: Vec<String> = texts.iter().flat_map(|t| jamo::words(t)).collect();
        words.sort();
        words.dedup();
        for w in &words {
            doc.add_text(f.words, jamo::decompose(w));
        }
        let mut runs: Vec<String> = texts.iter().flat_map(|t| jamo::hangul_runs(t)).collect();
        runs.sort();
        runs.dedup();
        for r in &runs {
            if let Some(c) = jamo::choseong(r) {
                doc.add_text(f.initials, format!("{c}\u{1}{r}"));
            }
        }
        for a in &q.asked {
            doc.add_text(
                f.occurrence,
                format!(
                    "{}\u{1f}{}\u{1f}{}",
                    a.company,
                    a.date.map(|d| d.to_string()).unwrap_or_default(),
                    a.interview.as_deref().unwrap_or("")
                ),
            );
        }
        doc.add_i64(f.created, q.created.map_or(0, |t| t.as_second()));
        doc.add_i64(f.updated, q.updated.map_or(0, |t| t.as_second()));
        doc.add_u64(f.asked, q.asked.len() as u64);
        doc.add_u64(f.answered, u64::from(q.is_answered()));
        doc.add_i64(f.mtime, mtime);
        doc.add_u64(f.size, size);
        doc
    }
}
