//! From what the user typed to ranked hits.
//!
//! Words are OR-ed and ranked by BM25, with the question weighted above the tags and the tags
//! above the answer. `"exact phrase"` must appear as written; `-word` excludes. Each word or
//! run of words that names a glossary concept adds its equivalents (`과적합` → overfitting,
//! 오버피팅) at a lower weight than what was typed.

use std::ops::Range;

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

use super::typo::{self, Correction};
use super::{Fields, SearchIndex, index_error};
use crate::analysis::analyzer::{self, Options};
use crate::analysis::glossary::Glossary;
use crate::analysis::similar::Candidate;
use crate::error::{Error, Result};

/// Relative weights of where a word matched. The defaults were chosen on the search-quality
/// set (tests/it/search_quality.rs; the sweep is in docs/SEARCH.md).
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub question: f32,
    pub tags: f32,
    pub answer: f32,
    /// The answer's Markdown headings.
    pub headings: f32,
    /// A typed word of n tokens (bigrams) weighs each of them 1/n^word_norm: 0 lets long words
    /// outweigh short ones by their length alone, 1 makes every word count the same.
    pub word_norm: f32,
    /// Multiplier for glossary equivalents relative to typed words; below 1 so what was typed
    /// counts more than what kb added.
    pub synonym: f32,
    /// Multiplier for a correction of a word the bank does not contain as typed
    /// ([`super::typo`]); below `synonym`, so a correction never counts as much as a word typed
    /// right or its glossary equivalent.
    pub typo: f32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            question: 3.0,
            tags: 1.5,
            answer: 1.0,
            headings: 1.5,
            word_norm: 0.5,
            synonym: 0.8,
            typo: 0.7,
        }
    }
}

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// What the user typed.
    pub text: String,
    /// Only questions with all these tags.
    pub tags: Vec<String>,
    pub project: Option<String>,
    /// Only questions asked at this company (case-insensitive).
    pub company: Option<String>,
    /// Only questions asked in at least one interview.
    pub asked: bool,
    /// Only questions without an answer.
    pub unanswered: bool,
    pub limit: usize,
    /// Search the words as typed only, without correcting typos.
    pub exact_only: bool,
}

/// One result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub question: String,
    pub tags: Vec<String>,
    pub project: Option<String>,
    pub score: f32,
    /// A piece of the answer around the matched words (the answer's start when none matched).
    pub snippet: String,
    /// Byte ranges of matched words in `snippet`.
    #[serde(skip)]
    pub snippet_highlights: Vec<Range<usize>>,
    /// Byte ranges of matched words in `question`.
    #[serde(skip)]
    pub question_highlights: Vec<Range<usize>>,
    /// Times asked in interviews.
    pub asked: u64,
    /// Set when the question matches none of the words as typed, only a correction of them:
    /// the query as corrected (`Trnasformer` → `transformer`).
    pub did_you_mean: Option<String>,
}

/// The parts of a query string.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded: Vec<String>,
}

/// Split a query into words, `"quoted phrases"` and `-excluded` words.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            let phrase = after[..end].trim();
            if !phrase.is_empty() {
                parsed.phrases.push(phrase.to_string());
            }
            rest = after.get(end + 1..).unwrap_or("");
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        match word.strip_prefix('-') {
            Some(w) if !w.is_empty() && !w.starts_with('-') => parsed.excluded.push(w.to_string()),
            _ => parsed.words.push(word.to_string()),
        }
        rest = &rest[end..];
    }
    parsed
}

/// Builds tantivy queries for one analyzer configuration.
pub struct QueryBuilder<'a> {
    pub fields: Fields,
    pub glossary: &'a Glossary,
    pub weights: Weights,
    pub options: Options,
}

impl QueryBuilder<'_> {
    fn scored_fields(&self) -> [(Field, f32); 4] {
        let w = self.weights;
        [
            (self.fields.question, w.question),
            (self.fields.tags_text, w.tags),
            (self.fields.answer, w.answer),
            (self.fields.headings, w.headings),
        ]
    }

    /// Any of `text`'s tokens, in any field, each weighted by field and `weight`.
    fn any_token(&self, text: &str, weight: f32, out: &mut Vec<(Occur, Box<dyn Query>)>) {
        let tokens = analyzer::terms(text, self.options);
        // A long Korean word is many bigrams: without this, `시간복잡도` (four) outweighs
        // `트라이` (two) for no better reason than its length.
        let weight = if tokens.len() > 1 {
            weight / (tokens.len() as f32).powf(self.weights.word_norm)
        } else {
            weight
        };
        for token in tokens {
            for (field, boost) in self.scored_fields() {
                let term = Term::from_field_text(field, &token);
                let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                out.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost * weight)),
                ));
            }
        }
    }

    /// All of `text`'s tokens within one field, for some field.
    fn all_tokens(&self, text: &str, weight: f32) -> Option<Box<dyn Query>> {
        self.all_tokens_scored(text, |_, boost| {
            Box::new(move |q| Box::new(BoostQuery::new(q, boost * weight)))
        })
    }

    /// Like [`Self::all_tokens`], with the score of each field's match decided by `score`
    /// (given the field and its boost), which wraps the field's query.
    #[allow(clippy::type_complexity)]
    fn all_tokens_scored(
        &self,
        text: &str,
        score: impl Fn(Field, f32) -> Box<dyn Fn(Box<dyn Query>) -> Box<dyn Query>>,
    ) -> Option<Box<dyn Query>> {
        let tokens = analyzer::terms(text, self.options);
        if tokens.is_empty() {
            return None;
        }
        let per_field: Vec<(Occur, Box<dyn Query>)> = self
            .scored_fields()
            .iter()
            .map(|(field, boost)| {
                let must: Vec<(Occur, Box<dyn Query>)> = tokens
                    .iter()
                    .map(|t| {
                        let q = TermQuery::new(
                            Term::from_field_text(*field, t),
                            IndexRecordOption::WithFreqs,
                        );
                        (Occur::Must, Box::new(q) as Box<dyn Query>)
                    })
                    .collect();
                let wrap = score(*field, *boost);
                (Occur::Should, wrap(Box::new(BooleanQuery::new(must))))
            })
            .collect();
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    /// An equivalent of the typed words `typed`: found like typed text, but scored as a fixed
    /// fraction ([`Weights::synonym`]) of what the typed words themselves would score in that
    /// field (the sum of their tokens' IDF), whatever the equivalent's own tokens are. So a
    /// question that contains what was typed ranks above one that only contains an equivalent,
    /// and a Korean term of four bigrams does not outweigh the one English word it stands for.
    fn synonym(
        &self,
        equivalent: &str,
        typed: &[String],
        searcher: &Searcher,
    ) -> Option<Box<dyn Query>> {
        self.equivalent(equivalent, typed, searcher, self.weights.synonym)
    }

    /// Like [`Self::synonym`], at `weight` instead of [`Weights::synonym`].
    fn equivalent(
        &self,
        equivalent: &str,
        typed: &[String],
        searcher: &Searcher,
        weight: f32,
    ) -> Option<Box<dyn Query>> {
        let n = searcher.num_docs() as f32;
        // Each typed word's tokens, weighed as the typed word itself is (see `any_token`).
        let typed_words: Vec<Vec<String>> = typed
            .iter()
            .map(|w| analyzer::terms(w, self.options))
            .collect();
        let norm = self.weights.word_norm;
        self.all_tokens_scored(equivalent, |field, boost| {
            let idf: f32 = typed_words
                .iter()
                .map(|tokens| {
                    let sum: f32 = tokens
                        .iter()
                        .map(|t| {
                            let df = searcher
                                .doc_freq(&Term::from_field_text(field, t))
                                .unwrap_or(0) as f32;
                            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
                        })
                        .sum();
                    if tokens.len() > 1 {
                        sum / (tokens.len() as f32).powf(norm)
                    } else {
                        sum
                    }
                })
                .sum();
            let score = weight * boost * idf;
            Box::new(move |q| Box::new(ConstScoreQuery::new(q, score)))
        })
    }

    /// The phrase as written, in some field.
    fn phrase(&self, text: &str) -> Option<Box<dyn Query>> {
        let mut tokens = Vec::new();
        analyzer::analyze(text, self.options, &mut tokens);
        // One token per position: the parts of `p-value`, not the whole, so the phrase lines up
        // with how the document was indexed.
        let mut by_position: Vec<(usize, String)> = Vec::new();
        for t in tokens {
            match by_position.last_mut() {
                Some((p, s)) if *p == t.position => *s = t.text,
                _ => by_position.push((t.position, t.text)),
            }
        }
        if by_position.len() < 2 {
            return self.all_tokens(text, 1.0);
        }
        let first = by_position[0].0;
        let per_field: Vec<(Occur, Box<dyn Query>)> = self
            .scored_fields()
            .iter()
            .map(|(field, boost)| {
                let terms: Vec<(usize, Term)> = by_position
                    .iter()
                    .map(|(p, s)| (p - first, Term::from_field_text(*field, s)))
                    .collect();
                let q = BoostQuery::new(Box::new(PhraseQuery::new_with_offset(terms)), *boost);
                (Occur::Should, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    /// Questions that contain one of the typed words whole (all of its tokens in one field), a
    /// glossary equivalent of one, or a phrase: what counts as matching what was typed when
    /// typo corrections are ranked below it.
    pub fn as_typed(
        &self,
        search: &Search,
        searcher: &Searcher,
        corrections: &[Correction],
    ) -> Box<dyn Query> {
        let parsed = parse(&search.text);
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Words typed apart that the bank writes as one are what was typed.
        for c in corrections.iter().filter(|c| c.kind == typo::Kind::Spacing) {
            for alternative in &c.alternatives {
                should.extend(
                    self.all_tokens(alternative, 1.0)
                        .map(|q| (Occur::Should, q)),
                );
            }
        }
        for word in &parsed.words {
            should.extend(self.all_tokens(word, 1.0).map(|q| (Occur::Should, q)));
        }
        for (start, len, equivalents) in self.glossary.expand(&parsed.words) {
            for eq in equivalents {
                let typed = &parsed.words[start..start + len];
                should.extend(
                    self.synonym(eq, typed, searcher)
                        .map(|q| (Occur::Should, q)),
                );
            }
        }
        for phrase in &parsed.phrases {
            should.extend(self.phrase(phrase).map(|q| (Occur::Should, q)));
        }
        Box::new(BooleanQuery::new(should))
    }

    /// The whole query. `searcher` gives the statistics synonyms are scored by.
    pub fn build(&self, search: &Search, searcher: &Searcher) -> Result<Box<dyn Query>> {
        self.build_corrected(search, searcher, &[])
    }

    /// The whole query with `corrections` of its words added below what was typed.
    pub fn build_corrected(
        &self,
        search: &Search,
        searcher: &Searcher,
        corrections: &[Correction],
    ) -> Result<Box<dyn Query>> {
        let parsed = parse(&search.text);
        // Typed words and their equivalents: any of them may match.
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &parsed.words {
            self.any_token(word, 1.0, &mut any);
        }
        for (start, len, equivalents) in self.glossary.expand(&parsed.words) {
            for eq in equivalents {
                if let Some(q) = self.synonym(eq, &parsed.words[start..start + len], searcher) {
                    any.push((Occur::Should, q));
                }
            }
        }
        let typo = self.weights.typo;
        for c in corrections {
            // One correction counts once, by its best-matching alternative.
            let mut one: Vec<Box<dyn Query>> = Vec::new();
            for alternative in &c.alternatives {
                if c.kind == typo::Kind::Choseong {
                    // A guess among many words: ranked as searched words are (a rare one
                    // matching counts more), below what was typed.
                    let mut clauses = Vec::new();
                    self.any_token(alternative, typo, &mut clauses);
                    one.push(Box::new(BooleanQuery::new(clauses)));
                    continue;
                }
                let weight = if c.kind == typo::Kind::Spacing {
                    1.0
                } else {
                    typo
                };
                // Scored as the correction itself would be if typed (not as the typed word,
                // whose tokens no question has and so weigh the most).
                let words: Vec<String> = alternative.split(' ').map(String::from).collect();
                if let Some(q) = self.equivalent(alternative, &words, searcher, weight) {
                    one.push(q);
                }
                for (_, _, equivalents) in self.glossary.expand(&words) {
                    for eq in equivalents {
                        let w = weight * self.weights.synonym;
                        if let Some(q) = self.equivalent(eq, &words, searcher, w) {
                            one.push(q);
                        }
                    }
                }
            }
            if !one.is_empty() {
                any.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(one))));
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !any.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        // Phrases must match as written; their equivalents only add to the score.
        for phrase in &parsed.phrases {
            if let Some(q) = self.phrase(phrase) {
                clauses.push((Occur::Must, q));
            }
            let words: Vec<String> = phrase.split_whitespace().map(String::from).collect();
            for (start, len, equivalents) in self.glossary.expand(&words) {
                for eq in equivalents {
                    if let Some(q) = self.synonym(eq, &words[start..start + len], searcher) {
                        clauses.push((Occur::Should, q));
                    }
                }
            }
        }
        if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
            return Err(Error::Query(
                "give at least one word to search for (a -word only excludes)".into(),
            ));
        }
        for word in &parsed.excluded {
            if let Some(q) = self.all_tokens(word, 1.0) {
                clauses.push((Occur::MustNot, q));
            }
        }
        let filter = |field: Field, value: &str| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            );
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            )
        };
        for tag in &search.tags {
            clauses.push(filter(self.fields.tag, tag));
        }
        if let Some(p) = &search.project {
            clauses.push(filter(self.fields.project, p));
        }
        if let Some(c) = &search.company {
            clauses.push(filter(self.fields.company, &c.to_lowercase()));
        }
        if search.asked {
            let q = tantivy::query::RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(self.fields.asked, 1)),
                std::ops::Bound::Unbounded,
            );
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            ));
        }
        if search.unanswered {
            let q = TermQuery::new(
                Term::from_field_u64(self.fields.answered, 0),
                IndexRecordOption::Basic,
            );
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

impl SearchIndex {
    /// Questions in the bank that `text`, a question as asked, may be, most similar first.
    ///
    /// Candidates come from two searches — the question's comparison tokens against the bank's
    /// (the `print` field), and an ordinary search, which also looks at answers — and are scored
    /// with [`crate::analysis::similar::incoming`], weighted by the shipped background plus the
    /// bank's own counts. With `project`, the project questions of other projects are left out.
    /// `project_names` gives the comparison tokens of each project's name: a project question is
    /// compared without them (on both sides), so `몇 명이서 했어요?` is not outweighed by a long
    /// project name, and the project the asked question names wins.
    pub fn similar(
        &self,
        text: &str,
        glossary: &Glossary,
        project: Option<&str>,
        project_names: &std::collections::HashMap<String, Vec<String>>,
        limit: usize,
    ) -> Result<Vec<Candidate>> {
        let asked = crate::analysis::similar::print_with(text, glossary);
        if asked.tokens.is_empty() {
            return Ok(Vec::new());
        }
        let (reader, fields, _) = self.parts();
        let searcher = reader.searcher();
        let mut found: Vec<(String, String, Option<String>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let by_print: Vec<(Occur, Box<dyn Query>)> = asked
            .tokens
            .iter()
            .map(|t| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(fields.print, t),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        let top = searcher
            .search(
                &BooleanQuery::new(by_print),
                &TopDocs::with_limit(40).order_by_score(),
            )
            .map_err(index_error)?;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            let get = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).map(String::from);
            let id = get(fields.id).unwrap_or_default();
            if seen.insert(id.clone()) {
                found.push((
                    id,
                    get(fields.question).unwrap_or_default(),
                    get(fields.project),
                ));
            }
        }
        let search = Search {
            text: text.to_string(),
            limit: 20,
            ..Search::default()
        };
        match self.search(&search, glossary) {
            Ok(hits) => {
                for h in hits {
                    if seen.insert(h.id.clone()) {
                        found.push((h.id, h.question, h.project));
                    }
                }
            }
            Err(Error::Query(_)) => {}
            Err(e) => return Err(e),
        }
        let n = searcher.num_docs() as usize;
        // Each token's count is looked up in the index once (a term lookup each; a comparison
        // asks for the same tokens many times).
        let counts: std::cell::RefCell<std::collections::HashMap<String, usize>> =
            Default::default();
        let weights = crate::analysis::similar::Weights::new(
            crate::analysis::similar::background::shipped(),
            n,
            |t| {
                if let Some(&c) = counts.borrow().get(t) {
                    return c;
                }
                let c = searcher
                    .doc_freq(&Term::from_field_text(fields.print, t))
                    .unwrap_or(0) as usize;
                counts.borrow_mut().insert(t.to_string(), c);
                c
            },
        );
        let mut out: Vec<Candidate> = Vec::new();
        for (id, question, their_project) in found {
            if let (Some(p), Some(theirs)) = (project, their_project.as_deref())
                && p != theirs
            {
                continue;
            }
            let bank = crate::analysis::similar::print_with(&question, glossary);
            let stripped = their_project
                .as_deref()
                .and_then(|p| project_names.get(p))
                .and_then(|name| {
                    crate::analysis::similar::without_project_name(
                        &asked,
                        &bank,
                        name,
                        project.is_some(),
                    )
                });
            let m = match stripped {
                Some((a, b)) => crate::analysis::similar::incoming(&a, &b, &weights),
                None => crate::analysis::similar::incoming(&asked, &bank, &weights),
            };
            let mut c = m.into_candidate(&id, &question);
            c.project = their_project;
            out.push(c);
        }
        out.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.id.cmp(&b.id))
        });
        out.truncate(limit);
        Ok(out)
    }

    /// Run a search with kb's shipped settings.
    pub fn search(&self, search: &Search, glossary: &Glossary) -> Result<Vec<Hit>> {
        self.search_with(search, glossary, Weights::default())
    }

    /// Run a search with explicit weights (used by the search-quality measurements).
    pub fn search_with(
        &self,
        search: &Search,
        glossary: &Glossary,
        weights: Weights,
    ) -> Result<Vec<Hit>> {
        let (reader, fields, options) = self.parts();
        let builder = QueryBuilder {
            fields: *fields,
            glossary,
            weights,
            options,
        };
        let searcher = reader.searcher();
        let exact = builder.build(search, &searcher)?;
        let limit = search.limit.max(1);
        let parsed = parse(&search.text);
        let corrections = if search.exact_only {
            Vec::new()
        } else {
            typo::corrections(&parsed.words, &searcher, fields, glossary, options)
        };
        if !corrections.is_empty() {
            super::trace(|| format!("typo corrections: {corrections:?}"));
        }
        let (query, top, did_you_mean) = if corrections.is_empty() {
            let top = searcher
                .search(&*exact, &TopDocs::with_limit(limit).order_by_score())
                .map_err(index_error)?;
            let top: Vec<(f32, tantivy::DocAddress, bool)> =
                top.into_iter().map(|(s, a)| (s, a, false)).collect();
            (exact, top, None)
        } else {
            // One ranking: a correction counts below what was typed (`Weights::typo`), and
            // only words no question contains as typed are corrected. A question the words as
            // typed do not find at all is a typo match and says what it matched as.
            let corrected = builder.build_corrected(search, &searcher, &corrections)?;
            let found = searcher
                .search(&*corrected, &TopDocs::with_limit(limit).order_by_score())
                .map_err(index_error)?;
            let exact_docs = searcher
                .search(&*exact, &tantivy::collector::DocSetCollector)
                .map_err(index_error)?;
            let top: Vec<(f32, tantivy::DocAddress, bool)> = found
                .into_iter()
                .map(|(s, a)| (s, a, !exact_docs.contains(&a)))
                .collect();
            // A first-consonant guess says what the best hit matched (`ㅊㄹ` → 추론 there),
            // not the bank's most frequent word with those consonants.
            let mut corrections = corrections;
            if let Some((_, address, _)) = top.first() {
                let doc: TantivyDocument = searcher.doc(*address).map_err(index_error)?;
                let text: String = [fields.question, fields.answer]
                    .iter()
                    .filter_map(|f| doc.get_first(*f).and_then(|v| v.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ");
                for c in corrections
                    .iter_mut()
                    .filter(|c| c.kind == typo::Kind::Choseong)
                {
                    if let Some(i) = c
                        .alternatives
                        .iter()
                        .position(|a| text.contains(a.as_str()))
                    {
                        c.alternatives.swap(0, i);
                    }
                }
            }
            (corrected, top, Some(corrected_text(&parsed, &corrections)))
        };
        let mut answer_snippets =
            SnippetGenerator::create(&searcher, &*query, fields.answer).map_err(index_error)?;
        answer_snippets.set_max_num_chars(160);
        let mut question_snippets =
            SnippetGenerator::create(&searcher, &*query, fields.question).map_err(index_error)?;
        question_snippets.set_max_num_chars(10_000);

        let mut hits = Vec::with_capacity(top.len());
        for (score, address, typo) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let question = text(fields.question);
            let answer = text(fields.answer);
            let snippet = answer_snippets.snippet(&answer);
            let (snippet_text, snippet_highlights) = if snippet.fragment().is_empty() {
                (
                    crate::model::truncate_chars(
                        answer
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                            .as_str(),
                        120,
                    ),
                    Vec::new(),
                )
            } else {
                sentence_snippet(&answer, snippet.fragment(), snippet.highlighted())
            };
            let q_snippet = question_snippets.snippet(&question);
            let question_highlights = if q_snippet.fragment() == question {
                q_snippet.highlighted().to_vec()
            } else {
                Vec::new()
            };
            hits.push(Hit {
                id: text(fields.id),
                question,
                tags: doc
                    .get_all(fields.tag)
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect(),
                project: doc
                    .get_first(fields.project)
                    .and_then(|v| v.as_str())
                    .map(String::from),
                score,
                snippet: snippet_text,
                snippet_highlights,
                question_highlights,
                did_you_mean: if typo { did_you_mean.clone() } else { None },
                asked: doc
                    .get_first(fields.asked)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
            });
        }
        Ok(hits)
    }
}

/// Most characters of an answer shown under a hit.
const SNIPPET_CHARS: usize = 160;

/// Where a sentence may start in `text` at byte `i`: the start, or after a line break or after
/// `.`, `?`, `!` followed by a space (`3.5` and `node.js` do not end one).
fn sentence_starts_at(text: &str, i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let before = &text[..i];
    before.ends_with('\n')
        || [". ", "? ", "! ", "。", "다.\n"]
            .iter()
            .any(|end| before.ends_with(end))
}

/// The answer's piece shown with a hit: from the start of the sentence that holds the first
/// match, as many whole characters as fit in [`SNIPPET_CHARS`] (ending in `…` when cut), with
/// the matches' byte ranges in it. `fragment` and `highlights` are tantivy's snippet, which
/// starts wherever its window starts, often mid-word.
fn sentence_snippet(
    answer: &str,
    fragment: &str,
    highlights: &[Range<usize>],
) -> (String, Vec<Range<usize>>) {
    let Some(offset) = answer.find(fragment) else {
        return (fragment.to_string(), highlights.to_vec());
    };
    let absolute: Vec<Range<usize>> = highlights
        .iter()
        .map(|r| r.start + offset..r.end + offset)
        .collect();
    let first = absolute.first().map_or(offset, |r| r.start);
    // Back to the sentence's start, but not so far that the match falls out of the window.
    let mut start = first;
    let mut steps = 0;
    while start > 0 && !sentence_starts_at(answer, start) && steps < SNIPPET_CHARS / 2 {
        start -= answer[..start]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        steps += 1;
    }
    while answer[start..].starts_with(char::is_whitespace) {
        start += answer[start..].chars().next().map_or(1, char::len_utf8);
    }
    let rest = &answer[start..];
    let end = rest
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(rest.len(), |(i, _)| i);
    let mut text: String = rest[..end]
        .trim_end()
        .split('\n')
        .collect::<Vec<_>>()
        .join(" ");
    let lead = if start > 0 && !sentence_starts_at(answer, start) {
        "…"
    } else {
        ""
    };
    if end < rest.len() {
        text.push('…');
    }
    let shift = lead.len();
    let ranges = absolute
        .into_iter()
        .filter(|r| r.start >= start && r.end <= start + end)
        .map(|r| r.start - start + shift..r.end - start + shift)
        .collect();
    (format!("{lead}{text}"), ranges)
}

/// The query as typed with each corrected word replaced by its likeliest correction.
fn corrected_text(parsed: &Parsed, corrections: &[Correction]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parsed.words.len() {
        match corrections.iter().find(|c| c.start == i) {
            Some(c) => {
                out.push(c.alternatives[0].clone());
                i += c.len.max(1);
            }
            None => {
                out.push(parsed.words[i].clone());
                i += 1;
            }
        }
    }
    out.extend(parsed.phrases.iter().map(|p| format!("\"{p}\"")));
    out.extend(parsed.excluded.iter().map(|w| format!("-{w}")));
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn a_snippet_starts_where_the_sentence_with_the_match_starts() {
        let answer = "첫 문장입니다. 둘째 문장은 길고, 여기에 해시 테이블이 나옵니다. 셋째.";
        let at = answer.find("해시").unwrap();
        let fragment = &answer[at - 10..];
        let (text, ranges) = sentence_snippet(answer, fragment, &[10..10 + "해시".len()]);
        assert!(text.starts_with("둘째 문장은"), "{text}");
        assert_eq!(&text[ranges[0].clone()], "해시");
        // A sentence too long to show from its start is cut, and says so.
        let long = format!("{} 해시 끝.", "가".repeat(300));
        let at = long.find("해시").unwrap();
        let (text, ranges) = sentence_snippet(&long, &long[at..], &[0.."해시".len()]);
        assert!(text.starts_with('…'), "{text}");
        assert_eq!(&text[ranges[0].clone()], "해시");
    }

    #[test]
    fn query_syntax() {
        let p = parse(r#"TCP "3-way handshake" -UDP p-value"#);
        assert_eq!(p.words, vec!["TCP", "p-value"]);
        assert_eq!(p.phrases, vec!["3-way handshake"]);
        assert_eq!(p.excluded, vec!["UDP"]);
        let p = parse(r#""unclosed phrase"#);
        assert_eq!(p.phrases, vec!["unclosed phrase"]);
        assert_eq!(parse("- --x").words, vec!["-", "--x"]);
    }
}
