//! Corrections for query words the bank does not contain as typed.
//!
//! Only a word none of the bank's questions contains (one of its search tokens is in no
//! question, and the glossary does not know it) is corrected, so a word that is in the bank is
//! always searched as typed. A correction is looked for, in order of preference:
//!
//! - the word joined with its neighbour (`Drop out`, `해시 테 이블`, `Light GBM`);
//! - a word of the bank or a glossary term a few edits away, counted over jamo for Hangul
//!   (`헤시테이블` → `해시테이블`, `드랍아웃` → `드롭아웃`) and with a swap of neighbours as one
//!   edit (`Trnasformer`): one edit for words of up to three syllables or six letters, two above;
//! - a Hangul word that sounds like an English word of the bank (`네이글` → `nagle`, by the
//!   consonant skeletons of `similar::sound`);
//! - the word split into two words of the bank (`crossvalidation`);
//! - for first consonants only (`ㅊㄹ ㅊㅈㅎ`), the bank's words that begin with those consonants.
//!
//! The query builder adds the corrections below what was typed (see `Weights::typo`).

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::Fields;
use crate::analysis::analyzer::{self, Options};
use crate::analysis::glossary::Glossary;
use crate::analysis::jamo;
use crate::analysis::similar::sound;

/// Words `start..start + len` of the query, corrected: `alternatives`, the likeliest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub start: usize,
    pub len: usize,
    pub alternatives: Vec<String>,
    pub kind: Kind,
}

/// What a correction undoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Two English words the bank writes as one (`Drop out`): the same letters, so it counts
    /// as what was typed.
    Spacing,
    /// A word a few edits from one of the bank's or the glossary's.
    Typo,
    /// First consonants: the alternatives are guesses, scored as searched words are.
    Choseong,
}

/// How many words a first-consonant query word stands for at most (the most frequent).
const CHOSEONG_ALTERNATIVES: usize = 40;

struct Finder<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    glossary: &'a Glossary,
    options: Options,
    /// The glossary's keys taken apart into jamo, made when first needed.
    glossary_jamo: std::cell::OnceCell<Vec<(String, Vec<char>)>>,
}

/// A candidate: its text, edit distance, and in how many questions it is (glossary terms that
/// are in none count 0).
type Candidate = (String, usize, u64);

impl Finder<'_> {
    fn doc_freq(&self, field: Field, text: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    }

    /// Whether the bank has `word` as typed: each of its tokens is in some question, or, for a
    /// word of three tokens or more, more than half of them. (A
    /// glossary term typed without its space, `crossvalidation`, is not: the correction is the
    /// term as the glossary writes it.)
    fn known(&self, word: &str) -> bool {
        let f = self.fields;
        let tokens = analyzer::terms(word, self.options);
        let missing = tokens
            .iter()
            .filter(|t| {
                [f.question, f.answer, f.tags_text, f.headings]
                    .iter()
                    .all(|field| self.doc_freq(*field, t) == 0)
            })
            .count();
        // A Korean word glued to an ending or its neighbour (`연산하면`, `로컬캐시`) has a bigram
        // or two no question has and is still found by the rest: a typo spoils half or more.
        missing == 0 || (tokens.len() > 2 && missing * 2 < tokens.len())
    }

    /// `word` as the vocabulary holds it: lower-case, a trailing particle dropped.
    fn normalise(word: &str) -> String {
        let w: Vec<char> = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if w.iter().all(|c| jamo::is_syllable(*c)) {
            analyzer::strip_particle(&w).iter().collect()
        } else {
            w.into_iter().collect()
        }
    }

    /// Edits allowed for a word of this shape.
    fn max_edits(word: &str) -> usize {
        let n = word.chars().count();
        if word.chars().any(jamo::is_syllable) {
            match n {
                0 | 1 => 0,
                2 | 3 => 1,
                _ => 2,
            }
        } else {
            match n {
                0..=3 => 0,
                4..=6 => 1,
                _ => 2,
            }
        }
    }

    /// The vocabulary's entry for exactly `word` (already normalised), if any.
    fn exact(&self, word: &str) -> Vec<Candidate> {
        let df = self.doc_freq(self.fields.words, &jamo::decompose(word));
        let mut out: Vec<Candidate> = self
            .glossary
            .written(word)
            .into_iter()
            .map(|t| (t.to_lowercase(), 0, df))
            .collect();
        if df > 0 && !out.iter().any(|c| c.0 == word) {
            out.push((word.to_string(), 0, df));
        }
        out
    }

    /// Words of the bank and glossary terms within the allowed edits of `word` (normalised).
    fn near(&self, word: &str) -> Vec<Candidate> {
        let max = Self::max_edits(word);
        if max == 0 {
            return self.exact(word);
        }
        let typed = jamo::decompose(word);
        let typed_chars: Vec<char> = typed.chars().collect();
        let mut found: HashMap<String, (usize, u64)> = HashMap::new();
        let query = FuzzyTermQuery::new(
            Term::from_field_text(self.fields.words, &typed),
            max as u8,
            true,
        );
        for segment in self.searcher.segment_readers() {
            let (Ok(automaton), Ok(inverted)) =
                (query.automaton(), segment.inverted_index(self.fields.words))
            else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let chars: Vec<char> = term.chars().collect();
                if let Some(d) = jamo::distance(&typed_chars, &chars, max) {
                    let e = found.entry(jamo::compose(term)).or_insert((d, 0));
                    e.1 += u64::from(stream.value().doc_freq);
                }
            }
        }
        let glossary = self.glossary_jamo.get_or_init(|| {
            self.glossary
                .keys()
                .map(|k| (k.to_string(), jamo::decompose(k).chars().collect()))
                .collect()
        });
        // A Korean word of one or two syllables is one letter away from many everyday words
        // (`뭐가` → `뭔가`): only a glossary term corrects it.
        if word.chars().all(jamo::is_syllable) && word.chars().count() <= 2 {
            found.clear();
        }
        for (key, chars) in glossary {
            if let Some(d) = jamo::distance(&typed_chars, chars, max) {
                let df = found.remove(key).map_or(0, |(_, df)| df);
                for t in self.glossary.written(key) {
                    found.entry(t.to_lowercase()).or_insert((d, df));
                }
            }
        }
        found.into_iter().map(|(w, (d, df))| (w, d, df)).collect()
    }

    /// `word` cut into two words of the bank, each of two characters or more.
    fn split(&self, word: &str) -> Option<Candidate> {
        let chars: Vec<char> = word.chars().collect();
        let mut best: Option<Candidate> = None;
        for cut in 2..chars.len().saturating_sub(1) {
            let (a, b): (String, String) =
                (chars[..cut].iter().collect(), chars[cut..].iter().collect());
            let df = |w: &str| self.doc_freq(self.fields.words, &jamo::decompose(w));
            let df = df(&a).min(df(&b));
            if df == 0 {
                continue;
            }
            if best.as_ref().is_none_or(|b| df > b.2) {
                best = Some((format!("{a} {b}"), 1, df));
            }
        }
        best
    }

    /// English words of the bank that the Hangul `word` (normalised) sounds like (`네이글` /
    /// `nagle`, `호이스딩` / `hoisting`; see [`sound`]), the most frequent first: a term typed
    /// in Hangul that the bank writes in English and the glossary does not list.
    fn by_sound(&self, word: &str) -> Vec<Candidate> {
        let Some(skeleton) = sound::hangul(word) else {
            return Vec::new();
        };
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.fields.words) else {
                continue;
            };
            // English words sort together, before the jamo of Hangul words.
            let Ok(mut stream) = inverted.terms().range().ge("a").lt("{").into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if sound::english_all(term).contains(&skeleton) {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut out: Vec<Candidate> = found.into_iter().map(|(w, df)| (w, 1, df)).collect();
        out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        out.truncate(3);
        out
    }

    /// Words of the bank beginning with the first consonants `pattern`, cut to as many syllables,
    /// the most frequent first.
    fn by_choseong(&self, pattern: &str) -> Vec<String> {
        let n = pattern.chars().count();
        let mut counts: HashMap<String, u64> = HashMap::new();
        let mut upper = pattern.as_bytes().to_vec();
        upper.push(0xFF);
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.fields.initials) else {
                continue;
            };
            let Ok(mut stream) = inverted
                .terms()
                .range()
                .ge(pattern.as_bytes())
                .lt(&upper)
                .into_stream()
            else {
                continue;
            };
            while stream.advance() {
                let Some((_, word)) = std::str::from_utf8(stream.key())
                    .ok()
                    .and_then(|t| t.split_once('\u{1}'))
                else {
                    continue;
                };
                let head: String = word.chars().take(n).collect();
                *counts.entry(head).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(CHOSEONG_ALTERNATIVES)
            .map(|(w, _)| w)
            .collect()
    }
}

/// Corrections for the query words `words` the bank does not contain as typed.
pub fn corrections(
    words: &[String],
    searcher: &Searcher,
    fields: &Fields,
    glossary: &Glossary,
    options: Options,
) -> Vec<Correction> {
    let finder = Finder {
        searcher,
        fields,
        glossary,
        options,
        glossary_jamo: std::cell::OnceCell::new(),
    };
    let mut out: Vec<Correction> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if jamo::is_choseong(word) {
            let alternatives = finder.by_choseong(word);
            if !alternatives.is_empty() {
                out.push(Correction {
                    start: i,
                    len: 1,
                    alternatives,
                    kind: Kind::Choseong,
                });
            }
            i += 1;
            continue;
        }
        if finder.known(word) {
            // Two English words the bank writes as one (`Drop out`, `Light GBM`).
            if let Some(next) = words.get(i + 1)
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && next.chars().all(|c| c.is_ascii_alphabetic())
            {
                let joined = format!("{word}{next}").to_lowercase();
                let alternatives: Vec<String> =
                    finder.exact(&joined).into_iter().map(|c| c.0).collect();
                if !alternatives.is_empty() {
                    out.push(Correction {
                        start: i,
                        len: 2,
                        alternatives,
                        kind: Kind::Spacing,
                    });
                    i += 2;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        let normal = Finder::normalise(word);
        // (start, len, candidate), compared by edits, then by the longer span, then frequency.
        let mut candidates: Vec<(usize, usize, Candidate)> = Vec::new();
        let previous_free = out.last().is_none_or(|c| c.start + c.len < i);
        let joins = [
            (i + 1 < words.len()).then_some((i, 2)),
            (i > 0 && previous_free).then(|| (i - 1, 2)),
        ];
        for (start, len) in joins.into_iter().flatten() {
            let joined: String = words[start..start + len]
                .iter()
                .map(|w| Finder::normalise(w))
                .collect();
            // Words that are a glossary term as typed (`네이글 알고리즘`) are expanded by the
            // query builder already; the word alone may still be corrected (by sound, to the
            // bank's `nagle`).
            if glossary.concepts_of(&joined).is_some() {
                continue;
            }
            for c in finder.near(&joined) {
                candidates.push((start, len, c));
            }
        }
        for c in finder.near(&normal) {
            candidates.push((i, 1, c));
        }
        if candidates.is_empty() {
            for c in finder.by_sound(&normal) {
                candidates.push((i, 1, c));
            }
        }
        if candidates.is_empty()
            && let Some(c) = finder.split(&normal)
        {
            candidates.push((i, 1, c));
        }
        candidates.sort_by(|a, b| {
            a.2.1
                .cmp(&b.2.1)
                .then(b.1.cmp(&a.1))
                .then(b.2.2.cmp(&a.2.2))
                .then_with(|| a.2.0.cmp(&b.2.0))
        });
        let Some((start, len, best)) = candidates.first().cloned() else {
            i += 1;
            continue;
        };
        let alternatives: Vec<String> = candidates
            .iter()
            .filter(|(s, l, c)| *s == start && *l == len && c.1 == best.1)
            .map(|(_, _, c)| c.0.clone())
            .take(3)
            .collect();
        if start < i {
            // The join took the previous word, which was known: it is replaced.
            out.retain(|c| c.start != start);
        }
        out.push(Correction {
            start,
            len,
            alternatives,
            kind: Kind::Typo,
        });
        i = start + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SearchIndex;

    fn question(id: &str, text: &str, answer: &str) -> crate::model::Question {
        let yaml = format!("id: {id}\nquestion: {text}\nanswer: {answer}\n");
        crate::model::Question::parse_known(std::path::Path::new("q.yaml"), &yaml, Some(id))
            .unwrap()
    }

    /// The corrections for the space-separated words `q` in a bank of `docs`.
    fn corrections_in(docs: &[crate::model::Question], q: &str) -> Vec<Correction> {
        let index = SearchIndex::in_memory(docs, Options::SHIPPED).unwrap();
        let (reader, fields, options) = index.parts();
        let w: Vec<String> = q.split(' ').map(String::from).collect();
        corrections(
            &w,
            &reader.searcher(),
            fields,
            &Glossary::shipped(),
            options,
        )
    }

    #[test]
    fn words_the_bank_lacks_are_corrected_and_words_it_has_are_not() {
        let docs = vec![
            question("a", "Layer Normalization이란?", "레이어 정규화"),
            question("b", "Hash Table 원리", "해시 테이블은 충돌을 다룹니다"),
            question(
                "c",
                "Dropout은 왜 쓰나요?",
                "추론 때는 끕니다; drop 하고 out",
            ),
        ];
        let fix = |q: &str| corrections_in(&docs, q);
        let first = |q: &str| fix(q).first().map(|c| (c.alternatives[0].clone(), c.kind));
        assert_eq!(
            first("헤시테이블"),
            Some(("해시 테이블".into(), Kind::Typo))
        );
        // (`레이어노말` is a glossary spelling of its own now, so a slip of another one.)
        assert_eq!(first("래이어놈"), Some(("레이어 놈".into(), Kind::Typo)));
        assert_eq!(
            first("Trnasformer"),
            Some(("transformer".into(), Kind::Typo))
        );
        assert_eq!(first("Drop out"), Some(("dropout".into(), Kind::Spacing)));
        assert_eq!(first("ㅊㄹ"), Some(("추론".into(), Kind::Choseong)));
        assert_eq!(fix("해시 테이블"), vec![]);
        assert_eq!(fix("Dropout"), vec![]);
    }

    #[test]
    fn a_hangul_word_is_tried_as_the_english_word_it_sounds_like() {
        let docs = vec![
            question("a", "TCP의 Nagle 알고리즘이란?", "작은 패킷을 모읍니다"),
            question("b", "RPC marshalling", "인자를 바이트로 옮깁니다"),
        ];
        let first = |q: &str| {
            corrections_in(&docs, q)
                .first()
                .map(|c| c.alternatives[0].clone())
        };
        assert_eq!(first("네이글 알고리즘"), Some("nagle".into()));
        assert_eq!(first("마샬링"), Some("marshalling".into()));
        // Nothing in the bank sounds like it: no guess.
        assert_eq!(first("소나무"), None);
    }
}
