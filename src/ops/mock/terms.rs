//! The key terms of a prepared answer, and which of them a typed answer has.
//!
//! The rule, in order of rank (at most [`MAX_KEY_TERMS`] are kept):
//!
//! 1. **Bold text** (`**…**`, `__…__`) of at most four words, unless it is a label: bold followed
//!    by `:` or alone on its line (`**한 줄 요약**:`, `**TCP 사용처**:`, `**배경**`) is a key term
//!    only when it names a glossary concept or is all English (`**Regularization**:`,
//!    `**Early stopping**:`). These come first, in the order written.
//! 2. Then, most frequent first: glossary terms (`data/glossary.txt` and the bank's
//!    `synonyms.txt`), every concept the answer names, as it is written there (`과적합`,
//!    `overfitting`); and Latin-script technical words: acronyms and names (`GPU`, `PyTorch`,
//!    `FP32`, `p95`, `L2`), words with a joiner (`max_depth`, `p-value`), and other Latin words of
//!    four letters or more, minus a few common English words (Korean answers rarely hold English
//!    that is not a term) and numbers with a unit (`512px`). A Latin word of a bold term is
//!    part of that term (`dynamic` of `Dynamic batching`).
//!
//! Headings (`#`) and fenced code are not read; neither is a follow-up section (from a line that
//! starts with `꼬리 질문`), which answers another question. Ties go to the term written first. A
//! concept is one key term however it is written, and
//! a typed answer has it when it names the concept in any of the glossary's terms: `과적합`
//! counts for `overfitting`. Other terms count when each of their words is typed: a Latin word
//! by its stem (`caching` for `cache`), a Hangul word anywhere in the text, spacing and particles
//! aside.

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::analyzer::{stem_word, strip_particle};
use crate::analysis::glossary::{Glossary, key};

/// At most this many key terms per answer: a checklist to read at a glance after answering. The
/// sample bank's answers have 8–30 candidates; past ten the tail is words like `curve`.
pub const MAX_KEY_TERMS: usize = 10;

/// English words that are not terms even in a Korean answer.
const STOPWORDS: &[&str] = &[
    "about", "also", "and", "are", "been", "case", "does", "each", "from", "good", "have", "into",
    "just", "like", "line", "make", "more", "most", "need", "only", "over", "same", "such", "than",
    "that", "then", "there", "these", "they", "this", "time", "used", "using", "very", "well",
    "what", "when", "where", "which", "while", "with", "will", "would", "your",
];

/// One key term of a prepared answer.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTerm {
    /// As written in the answer (a particle glued to it dropped).
    pub term: String,
    /// The glossary concepts it names (empty when it names none).
    pub concepts: Vec<usize>,
}

/// Whether a typed answer has one key term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermCheck {
    pub term: String,
    pub present: bool,
    /// What the typed answer said for it, when that is another term (`과적합` for `overfitting`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_typed: Option<String>,
}

/// The text key terms are taken from: no fenced code, no headings, nothing from the follow-up
/// section on.
fn prose(answer: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut fenced = false;
    for line in answer.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || t.starts_with('#') {
            continue;
        }
        let body = t.trim_start_matches(['-', '*', '>', ' ']);
        if body.starts_with("꼬리 질문") || body.starts_with("꼬리질문") {
            break;
        }
        lines.push(line);
    }
    lines
}

/// Markdown's marks as spaces, so the glossary and the word splitter see words.
fn plain(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let space = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_none_or(|c| c.is_whitespace())
    };
    (0..chars.len())
        .map(|i| {
            let c = chars[i];
            // A dash standing alone (a list marker, `A - B`) is not part of a word.
            let dash = c == '-' && space(i.checked_sub(1)) && space(Some(i + 1));
            if dash || "*`#|>~=[]()".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Latin-script words of `text` with their byte offsets: letters and digits, joined inside by
/// `- _ . + #` (`max_depth`, `node.js`, `C++`), holding at least one letter (`TCP/IP` is two).
fn latin_words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let word = |c: char| c.is_ascii_alphanumeric();
    let joiner = |c: char| "-_.+#".contains(c);
    let mut push = |s: usize, e: usize| {
        let w = text[s..e].trim_end_matches(|c: char| joiner(c) && c != '+' && c != '#');
        if w.chars().any(|c| c.is_ascii_alphabetic()) {
            out.push((s, w));
        }
    };
    for (i, c) in text.char_indices() {
        match start {
            None if word(c) => start = Some(i),
            Some(_) if word(c) || joiner(c) => {}
            Some(s) => {
                push(s, i);
                start = None;
            }
            None => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// Whether a Latin word is a technical term by the rule in the module comment.
fn technical(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
    // `512px`, `2ms`: a number with its unit, not a term.
    if letters == 0 || word.len() < 2 || word.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let marked = word
        .chars()
        .any(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        || word.chars().any(|c| "-_.+#".contains(c));
    let lower = word.to_ascii_lowercase();
    if STOPWORDS.contains(&lower.as_str()) {
        return false;
    }
    marked || letters >= 4
}

/// `word` without a particle glued to its end (Hangul only).
fn without_particle(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars
        .last()
        .is_some_and(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
    {
        strip_particle(&chars).iter().collect()
    } else {
        word.to_string()
    }
}

/// The concepts `text` names as a whole (a particle on its end allowed).
fn concepts_of(glossary: &Glossary, text: &str) -> Vec<usize> {
    glossary
        .concepts_of(text)
        .or_else(|| glossary.concepts_of(&without_particle(text)))
        .map(<[usize]>::to_vec)
        .unwrap_or_default()
}

struct Candidate {
    term: String,
    concepts: Vec<usize>,
    rank: u8,
    count: usize,
    first: usize,
}

/// The candidates found so far, one per concept or word.
#[derive(Default)]
struct Found {
    all: Vec<Candidate>,
    by_key: HashMap<String, usize>,
}

impl Found {
    fn add(&mut self, term: &str, concepts: Vec<usize>, rank: u8, at: usize) {
        let term = without_particle(term.trim().trim_end_matches(':').trim());
        let term = term.trim();
        if term.is_empty() {
            return;
        }
        let k = match concepts.first() {
            Some(c) => format!("c:{c}"),
            None if !term.contains(' ') && term.is_ascii() => format!("w:{}", stem_word(term)),
            None => key(term),
        };
        match self.by_key.get(&k) {
            Some(&i) => {
                let c = &mut self.all[i];
                c.count += 1;
                c.rank = c.rank.min(rank);
            }
            None => {
                self.by_key.insert(k, self.all.len());
                self.all.push(Candidate {
                    term: term.to_string(),
                    concepts,
                    rank,
                    count: 1,
                    first: at,
                });
            }
        }
    }
}

/// The key terms of `answer` (see the module comment), best first.
pub fn key_terms(answer: &str, glossary: &Glossary) -> Vec<KeyTerm> {
    let lines = prose(answer);
    let mut found = Found::default();
    let mut offset = 0;
    for line in &lines {
        // 1. Bold.
        for mark in ["**", "__"] {
            let mut rest: &str = line;
            let mut base = 0;
            while let Some(open) = rest.find(mark) {
                let after = &rest[open + mark.len()..];
                let Some(close) = after.find(mark) else {
                    break;
                };
                let span = after[..close].trim();
                let tail = after[close + mark.len()..].trim_start();
                let alone = line.trim().trim_start_matches(['-', ' ']).trim()
                    == format!("{mark}{}{mark}", &after[..close]);
                let label = tail.starts_with(':') || span.ends_with(':') || alone;
                let concepts = concepts_of(glossary, span);
                let latin = span.chars().any(|c| c.is_ascii_alphabetic());
                let short = span.split_whitespace().count() <= 4 && span.chars().count() <= 40;
                let english = span.is_ascii() && latin;
                if short && (!concepts.is_empty() || english || !label) {
                    found.add(span, concepts, 0, offset + base + open);
                }
                let used = open + mark.len() + close + mark.len();
                base += used;
                rest = &rest[used..];
            }
        }
        offset += line.len() + 1;
    }
    // A Latin word of a bold term is that term, not one of its own (`dynamic` of
    // `Dynamic batching`).
    let in_bold: Vec<String> = found
        .all
        .iter()
        .flat_map(|c| latin_words(&c.term).into_iter().map(|(_, w)| stem_word(w)))
        .collect();
    let mut offset = 0;
    for line in &lines {
        let text = plain(line);
        // 2. Glossary terms.
        let (words, spans) = glossary.spans(&text);
        let mut covered: Vec<(usize, usize)> = Vec::new();
        for (start, len, concepts) in spans {
            let term = words[start..start + len].join(" ");
            let at = words[start].as_ptr() as usize - text.as_ptr() as usize;
            let end = words[start + len - 1].as_ptr() as usize - text.as_ptr() as usize
                + words[start + len - 1].len();
            covered.push((at, end));
            found.add(&term, concepts, 1, offset + at);
        }
        // 3. Latin technical words not already part of a glossary term.
        for (at, w) in latin_words(&text) {
            if covered.iter().any(|&(s, e)| at >= s && at < e)
                || !technical(w)
                || in_bold.contains(&stem_word(w))
            {
                continue;
            }
            found.add(w, Vec::new(), 1, offset + at);
        }
        offset += line.len() + 1;
    }
    let mut all = found.all;
    // Bold in the order written; the rest most frequent first.
    all.sort_by(|a, b| {
        let count = |c: &Candidate| if c.rank == 0 { 0 } else { c.count };
        a.rank
            .cmp(&b.rank)
            .then(count(b).cmp(&count(a)))
            .then(a.first.cmp(&b.first))
    });
    all.into_iter()
        .take(MAX_KEY_TERMS)
        .map(|c| KeyTerm {
            term: c.term,
            concepts: c.concepts,
        })
        .collect()
}

/// Which of `terms` the typed answer `typed` has (see the module comment).
pub fn check(terms: &[KeyTerm], typed: &str, glossary: &Glossary) -> Vec<TermCheck> {
    let text = plain(typed);
    let (words, spans) = glossary.spans(&text);
    let mut named: HashMap<usize, String> = HashMap::new();
    for (start, len, concepts) in spans {
        let said = without_particle(&words[start..start + len].join(" "))
            .trim()
            .to_string();
        for c in concepts {
            named.entry(c).or_insert_with(|| said.clone());
        }
    }
    let stems: Vec<String> = latin_words(&text)
        .into_iter()
        .map(|(_, w)| stem_word(w))
        .collect();
    let squeezed = key(&text);
    let has_word = |w: &str| {
        if w.is_ascii() {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            w.is_empty() || stems.contains(&stem_word(w)) || squeezed.contains(&key(w))
        } else {
            squeezed.contains(&key(&without_particle(w)))
        }
    };
    terms
        .iter()
        .map(|t| {
            let by_concept = t.concepts.iter().find_map(|c| named.get(c));
            let (present, as_typed) = match by_concept {
                Some(said) => (true, (key(said) != key(&t.term)).then(|| said.clone())),
                None => (t.term.split_whitespace().all(has_word), None),
            };
            TermCheck {
                term: t.term.clone(),
                present,
                as_typed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(answer: &str) -> Vec<String> {
        key_terms(answer, &Glossary::shipped())
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn bold_terms_come_first_and_labels_are_not_terms() {
        let got = terms(
            "**한 줄 요약**: 검증 성능이 나빠지면 과적합이라고 봅니다.\n\
             - **Regularization**: L2, dropout\n\
             - 데이터를 늘리는 것이 **가장 확실한** 방법입니다.\n\
             **주의**\n",
        );
        assert_eq!(got[..2], ["Regularization", "가장 확실한"], "{got:?}");
        assert!(
            !got.iter().any(|t| t.contains("요약") || t == "주의"),
            "{got:?}"
        );
        assert!(got.contains(&"과적합".to_string()), "{got:?}");
        assert!(got.contains(&"L2".to_string()), "{got:?}");
    }

    #[test]
    fn latin_terms_are_names_acronyms_and_long_words_not_function_words() {
        let got = terms("PyTorch eager FP32 모델을 batch 1로, p95 2.8초. This is with the GPU.");
        for t in ["PyTorch", "eager", "FP32", "batch", "p95", "GPU"] {
            assert!(got.contains(&t.to_string()), "{t} in {got:?}");
        }
        for t in ["This", "is", "with", "the"] {
            assert!(!got.contains(&t.to_string()), "{t} in {got:?}");
        }
    }

    #[test]
    fn code_headings_and_the_follow_up_section_are_not_read() {
        let got = terms(
            "# Overview\n```python\nmodel.fit(X)\n```\nTCP는 연결형입니다.\n\n\
             꼬리 질문: QUIC은요? → UDP 위에서 동작합니다.\n",
        );
        assert_eq!(got, ["TCP"]);
    }

    #[test]
    fn a_concept_is_one_term_and_frequent_terms_rank_first() {
        let got = terms(
            "overfitting을 막으려면 dropout. 과적합(overfitting)은 자주 나옵니다. Overfitting!",
        );
        let overfit = got
            .iter()
            .filter(|t| ["overfitting", "과적합"].contains(&t.as_str()));
        assert_eq!(overfit.count(), 1, "{got:?}");
        assert_eq!(got[0], "overfitting", "{got:?}");
    }

    #[test]
    fn a_glossary_equivalent_counts_and_a_missing_term_is_named() {
        let g = Glossary::shipped();
        let key = key_terms(
            "**Overfitting**은 dropout과 early stopping으로 줄입니다.",
            &g,
        );
        let got = check(&key, "과적합 나면 드롭아웃 씀", &g);
        let by = |t: &str| got.iter().find(|c| c.term.eq_ignore_ascii_case(t)).unwrap();
        assert!(by("overfitting").present, "{got:?}");
        assert_eq!(by("overfitting").as_typed.as_deref(), Some("과적합"));
        assert!(!by("early stopping").present, "{got:?}");
        let again = check(&key, "overfitting, dropout, early stop 했음", &g);
        assert!(again.iter().all(|c| c.present), "{again:?}");
        assert!(again.iter().all(|c| c.as_typed.is_none()), "{again:?}");
    }

    #[test]
    fn hangul_terms_count_without_spacing_or_particles() {
        let g = Glossary::shipped();
        let key = vec![KeyTerm {
            term: "심사팀 합의".into(),
            concepts: vec![],
        }];
        assert!(check(&key, "심사 팀이랑 합의를 했다", &g)[0].present);
        assert!(check(&key, "심사팀과 합의했다", &g)[0].present);
        assert!(!check(&key, "팀장과 합의했다", &g)[0].present);
    }
}
