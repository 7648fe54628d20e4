//! The column read model: what listing, statistics, prep, drill and `kb dups` need of every
//! question, read from the index's fast fields without opening a file or a stored document.

use crate::analysis::similar::{Entry, Print};
use crate::error::Result;

use super::{SearchIndex, index_error};

/// A string column's dictionary as a table by ordinal, read once front to back. Looking
/// ordinals up one by one decodes a dictionary block per lookup, which at 100k questions cost
/// most of a second.
pub(super) fn words(col: Option<&tantivy::columnar::StrColumn>) -> Result<Vec<String>> {
    let Some(col) = col else {
        return Ok(Vec::new());
    };
    let dictionary = col.dictionary();
    let mut out = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary.stream().map_err(index_error)?;
    while stream.advance() {
        out.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(out)
}

/// What list, stats, prep and drill need to know about a question, read from the index's
/// columns without opening any file.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: String,
    pub question: String,
    pub tags: Vec<String>,
    pub project: Option<String>,
    pub answered: bool,
    /// Times asked (exact, even when occurrences repeat).
    pub asked_count: u64,
    pub asked: Vec<Occurrence>,
    pub created: i64,
    pub updated: i64,
}

/// One `asked` occurrence as the index keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub company: String,
    pub date: Option<jiff::civil::Date>,
    pub interview: Option<String>,
}

/// What a filter sees of a question while [`SearchIndex::summaries_where`] walks the index:
/// everything in [`Summary`] but the question's text, borrowed, so that passing over 100k
/// questions allocates nothing for the ones not kept.
#[derive(Debug)]
pub struct Facts<'a> {
    pub id: &'a str,
    pub tags: &'a [&'a str],
    pub project: Option<&'a str>,
    pub answered: bool,
    pub asked_count: u64,
    pub asked: &'a [&'a Occurrence],
    pub created: i64,
    pub updated: i64,
}

impl Facts<'_> {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains(&tag)
    }

    /// Whether it was asked at `company` (compared as [`crate::names::same_company`] does:
    /// without case or spacing, and through the company aliases).
    pub fn asked_at(&self, company: &str) -> bool {
        self.asked
            .iter()
            .any(|a| crate::names::same_company(&a.company, company))
    }
}

impl SearchIndex {
    /// The questions `keep` accepts, from the index's columns (no stored documents, no files),
    /// sorted by id. `keep` sees every question once, so it can
    /// also count; only the kept ones are copied out of the index.
    pub fn summaries_where(&self, mut keep: impl FnMut(&Facts) -> bool) -> Result<Vec<Summary>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let str_col = |name: &str| fast.str(name).map_err(index_error);
            let (Some(ids), Some(questions)) = (str_col("id")?, str_col("question_raw")?) else {
                continue;
            };
            let tags = str_col("tag")?;
            let projects = str_col("project")?;
            let occurrences = str_col("occurrence")?;
            let id_words = words(Some(&ids))?;
            let (tag_words, project_words) = (words(tags.as_ref())?, words(projects.as_ref())?);
            let occurrence_table: Vec<Occurrence> = words(occurrences.as_ref())?
                .iter()
                .map(|raw| {
                    let mut parts = raw.split('\u{1f}');
                    Occurrence {
                        company: parts.next().unwrap_or("").to_string(),
                        date: parts.next().and_then(crate::time::parse_date),
                        interview: parts.next().filter(|s| !s.is_empty()).map(String::from),
                    }
                })
                .collect();
            let asked = fast.u64("asked").map_err(index_error)?;
            let answered = fast.u64("answered").map_err(index_error)?;
            let created = fast.i64("created").map_err(index_error)?;
            let updated = fast.i64("updated").map_err(index_error)?;
            let (mut tag_buf, mut asked_buf) = (Vec::new(), Vec::new());
            // Kept questions with the ordinal of their text, which is looked up afterwards.
            let mut kept: Vec<(Summary, Option<u64>)> = Vec::new();
            for doc in segment.doc_ids_alive() {
                let Some(id) = ids.ords().first(doc).and_then(|o| id_words.get(o as usize)) else {
                    continue;
                };
                tag_buf.clear();
                if let Some(col) = &tags {
                    tag_buf.extend(
                        col.term_ords(doc)
                            .filter_map(|o| tag_words.get(o as usize))
                            .map(String::as_str),
                    );
                }
                asked_buf.clear();
                if let Some(col) = &occurrences {
                    asked_buf.extend(
                        col.term_ords(doc)
                            .filter_map(|o| occurrence_table.get(o as usize)),
                    );
                }
                let facts = Facts {
                    id,
                    tags: &tag_buf,
                    project: projects
                        .as_ref()
                        .and_then(|col| col.ords().first(doc))
                        .and_then(|o| project_words.get(o as usize))
                        .map(String::as_str),
                    answered: answered.first(doc).unwrap_or(0) == 1,
                    asked_count: asked.first(doc).unwrap_or(0),
                    asked: &asked_buf,
                    created: created.first(doc).unwrap_or(0),
                    updated: updated.first(doc).unwrap_or(0),
                };
                if !keep(&facts) {
                    continue;
                }
                let summary = Summary {
                    id: id.clone(),
                    question: String::new(),
                    tags: tag_buf.iter().map(|t| t.to_string()).collect(),
                    project: facts.project.map(String::from),
                    answered: facts.answered,
                    asked_count: facts.asked_count,
                    asked: asked_buf.iter().map(|a| (*a).clone()).collect(),
                    created: facts.created,
                    updated: facts.updated,
                };
                kept.push((summary, questions.ords().first(doc)));
            }
            // The texts: one by one for a few, the whole dictionary in one pass for many.
            if kept.len() > 256 {
                let texts = words(Some(&questions))?;
                for (mut summary, ord) in kept {
                    if let Some(text) = ord.and_then(|o| texts.get(o as usize)) {
                        summary.question = text.clone();
                    }
                    out.push(summary);
                }
            } else {
                for (mut summary, ord) in kept {
                    if let Some(o) = ord {
                        questions
                            .ord_to_str(o, &mut summary.question)
                            .map_err(index_error)?;
                    }
                    out.push(summary);
                }
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Every question drafted from a résumé line: (project, line, answered), from the columns.
    pub fn resume_lines(&self) -> Result<Vec<(String, String, bool)>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let str_col = |name: &str| fast.str(name).map_err(index_error);
            let Some(lines) = str_col("resume")? else {
                continue;
            };
            let projects = str_col("project")?;
            let (line_words, project_words) = (words(Some(&lines))?, words(projects.as_ref())?);
            let answered = fast.u64("answered").map_err(index_error)?;
            for doc in segment.doc_ids_alive() {
                let Some(line) = lines
                    .ords()
                    .first(doc)
                    .and_then(|o| line_words.get(o as usize))
                else {
                    continue;
                };
                let project = projects
                    .as_ref()
                    .and_then(|c| c.ords().first(doc))
                    .and_then(|o| project_words.get(o as usize))
                    .cloned()
                    .unwrap_or_default();
                out.push((project, line.clone(), answered.first(doc).unwrap_or(0) == 1));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every question as `kb dups` compares it, from the index's columns (no file is read and no
    /// text analysed), sorted by id.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let str_col = |name: &str| fast.str(name).map_err(index_error);
            let (Some(ids), Some(questions), Some(prints)) = (
                str_col("id")?,
                str_col("question_raw")?,
                str_col("print_data")?,
            ) else {
                continue;
            };
            let projects = str_col("project")?;
            let templates = str_col("template")?;
            let (id_words, question_words, print_words) = (
                words(Some(&ids))?,
                words(Some(&questions))?,
                words(Some(&prints))?,
            );
            let (project_words, template_words) =
                (words(projects.as_ref())?, words(templates.as_ref())?);
            let parsed: Vec<Print> = print_words.iter().map(|s| Print::from_stored(s)).collect();
            let first = |col: &Option<tantivy::columnar::StrColumn>, table: &[String], doc| {
                col.as_ref()
                    .and_then(|c| c.ords().first(doc))
                    .and_then(|o| table.get(o as usize))
                    .cloned()
            };
            for doc in segment.doc_ids_alive() {
                let (Some(id), Some(question), Some(print)) = (
                    first(&Some(ids.clone()), &id_words, doc),
                    first(&Some(questions.clone()), &question_words, doc),
                    prints
                        .ords()
                        .first(doc)
                        .and_then(|o| parsed.get(o as usize))
                        .cloned(),
                ) else {
                    continue;
                };
                out.push(Entry {
                    id,
                    question,
                    project: first(&projects, &project_words, doc),
                    template: first(&templates, &template_words, doc),
                    print,
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}
