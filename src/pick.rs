//! Matching for the question picker (`kb show`, `kb edit`, `kb merge`, `kb tag` without ids):
//! fuzzy, as fzf matches, but the way a Korean speaker types a question they half remember.
//!
//! - Spacing does not matter: `추론최적화` finds `추론 최적화`, and the other way round.
//! - A consonant alone stands for any syllable it starts (초성 검색): `ㅊㄹ ㅊㅈㅎ` finds
//!   `추론 최적화`, and `ㅌ랜스포머` is fine too.
//! - Words may come in any order when the whole query does not match in one go.
//! - The glossary's equivalents count, below a match of the words themselves: `트랜스포머` finds
//!   a question that says `Transformer`, `gradient descent` one that says `경사 하강법`.
//!
//! A generic fuzzy matcher (nucleo, fzf) compares characters: it cannot know that `ㅊ` is the
//! beginning of `추`, so the picker ranks with this instead.

use crate::analysis::glossary::Glossary;

/// One question as the picker matches it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The question's id.
    pub id: String,
    /// What is shown: the question.
    pub question: String,
    /// Its tags, shown after it.
    pub tags: Vec<String>,
    /// The question, tags and id as they are matched (see [`Key`]).
    own: Key,
    /// The glossary's equivalents of the terms in the question, each matched on its own (a
    /// bag of all of them would let `ㅊㄹ` match letters of two different terms), at a lower
    /// score.
    equivalents: Vec<Key>,
}

/// Text ready for matching: lower case, NFC, without white space, and where each word began.
#[derive(Debug, Clone)]
struct Key {
    chars: Vec<char>,
    word_start: Vec<bool>,
}

impl Key {
    fn new(text: &str) -> Key {
        let text = crate::text::nfc(text.to_string());
        let mut chars = Vec::new();
        let mut word_start = Vec::new();
        let mut after_space = true;
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_whitespace() {
                after_space = true;
                continue;
            }
            chars.push(c);
            word_start.push(after_space);
            after_space = false;
        }
        Key { chars, word_start }
    }
}

impl Candidate {
    /// A question ready for matching; `glossary` gives the equivalents of its terms.
    pub fn new(id: &str, question: &str, tags: &[String], glossary: &Glossary) -> Candidate {
        let own = Key::new(&format!("{question} {} {id}", tags.join(" ")));
        let equivalents = glossary
            .concepts_in(question)
            .into_iter()
            .flat_map(|c| glossary.terms(c))
            .map(|t| Key::new(t))
            .collect();
        Candidate {
            id: id.to_string(),
            question: question.to_string(),
            tags: tags.to_vec(),
            own,
            equivalents,
        }
    }
}

/// Whether the typed `q` matches the character `c`: the same, or a lone consonant and a
/// syllable that begins with it.
fn same(q: char, c: char) -> bool {
    q == c || crate::analysis::jamo::initial(c) == Some(q)
}

/// The best score of `term` as a subsequence of `key`, or `None` when it is not one. Letters
/// next to each other, at the start of words and early in the text score higher; a gap costs.
fn score_term(term: &[char], key: &Key) -> Option<i64> {
    let n = key.chars.len();
    if term.is_empty() {
        return Some(0);
    }
    let mut best: Option<i64> = None;
    // Try each place the first letter matches; from each, take every next letter as early as
    // possible. Questions are short (a few hundred letters), so this is cheap enough per key.
    for start in (0..n).filter(|&i| same(term[0], key.chars[i])) {
        let mut score = 0i64;
        let mut at = start;
        let mut prev: Option<usize> = None;
        let mut ok = true;
        for &q in term {
            while at < n && !same(q, key.chars[at]) {
                at += 1;
            }
            if at == n {
                ok = false;
                break;
            }
            score += 16;
            if key.word_start[at] {
                score += 8;
            }
            match prev {
                Some(p) if p + 1 == at => score += 12,
                Some(p) => score -= ((at - p - 1) as i64).min(12),
                None => score -= (start as i64).min(20),
            }
            prev = Some(at);
            at += 1;
        }
        if !ok {
            break; // a later start cannot find what an earlier one did not
        }
        best = Some(best.map_or(score, |b| b.max(score)));
    }
    best
}

/// How well `query` matches `key`: the whole query without spaces in one go, or else each of
/// its words somewhere, in any order.
fn score_key(query: &str, key: &Key) -> Option<i64> {
    let words: Vec<Vec<char>> = query
        .split_whitespace()
        .map(|w| {
            crate::text::nfc(w.to_string())
                .chars()
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    let whole: Vec<char> = words.concat();
    let together = score_term(&whole, key);
    let apart = if words.len() > 1 {
        words
            .iter()
            .map(|w| score_term(w, key))
            .sum::<Option<i64>>()
            .map(|s| s - 10)
    } else {
        None
    };
    together.max(apart)
}

/// How well `query` matches `candidate`, or `None` when it does not; higher is better.
pub fn score(query: &str, candidate: &Candidate) -> Option<i64> {
    let own = score_key(query, &candidate.own);
    let other = candidate
        .equivalents
        .iter()
        .filter_map(|k| score_key(query, k))
        .max()
        .map(|s| s - 40);
    own.max(other)
}

/// The candidates `query` matches, best first (ties keep the given order); an empty query
/// matches every candidate.
pub fn rank(query: &str, candidates: &[Candidate]) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..candidates.len()).collect();
    }
    let mut hits: Vec<(i64, usize)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| score(query, c).map(|s| (s, i)))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Vec<Candidate> {
        let g = Glossary::shipped();
        [
            ("ml-infer", "추론 최적화는 어떻게 진행했나요?", &["ml"][..]),
            (
                "net-tcp",
                "TCP 3-way handshake를 설명해주세요.",
                &["network"][..],
            ),
            (
                "ml-tf",
                "Transformer의 self-attention은 왜 필요한가요?",
                &["dl"][..],
            ),
            ("ml-gd", "경사 하강법이 무엇인가요?", &["ml"][..]),
            ("os-vm", "가상 메모리란 무엇인가요?", &["os"][..]),
            ("ml-opt", "최적화 기법 중 Adam을 설명해주세요.", &["ml"][..]),
        ]
        .iter()
        .map(|(id, q, t)| {
            Candidate::new(
                id,
                q,
                &t.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                &g,
            )
        })
        .collect()
    }

    fn first(query: &str) -> Option<String> {
        let b = bank();
        rank(query, &b).first().map(|&i| b[i].id.clone())
    }

    #[test]
    fn spacing_does_not_matter() {
        assert_eq!(first("추론최적화").as_deref(), Some("ml-infer"));
        assert_eq!(first("가상메모리").as_deref(), Some("os-vm"));
        assert_eq!(first("경사하강").as_deref(), Some("ml-gd"));
        assert_eq!(first("3 way hand shake").as_deref(), Some("net-tcp"));
    }

    #[test]
    fn lone_consonants_stand_for_syllables() {
        assert_eq!(first("ㅊㄹ ㅊㅈㅎ").as_deref(), Some("ml-infer"));
        // Not 가상 메모리 or 경사 하강법; 최적화 기법 (its glossary term `최적화 알고리즘` has
        // 최…리 and 최적화) only below.
        let b = bank();
        let hits: Vec<&str> = rank("ㅊㄹ ㅊㅈㅎ", &b)
            .iter()
            .map(|&i| b[i].id.as_str())
            .collect();
        assert_eq!(hits, ["ml-infer", "ml-opt"]);
        assert_eq!(first("ㄱㅅㅁㅁㄹ").as_deref(), Some("os-vm"));
        assert_eq!(first("ㄱㅅ 하강").as_deref(), Some("ml-gd"));
        // A consonant is not a vowel: ㅊ does not match 아.
        assert!(!same('ㅊ', '아'));
        assert!(same('ㅊ', '최'));
        assert!(same('ㄲ', '꼬'));
        assert!(!same('ㄱ', '꼬'));
    }

    #[test]
    fn words_in_another_order_still_match_but_below_the_typed_order() {
        assert_eq!(first("최적화 추론").as_deref(), Some("ml-infer"));
        let b = bank();
        let hits = rank("최적화", &b);
        assert_eq!(hits.len(), 2, "only the two questions about 최적화");
        // The one that starts with the word ranks first.
        assert_eq!(b[hits[0]].id, "ml-opt");
    }

    #[test]
    fn glossary_equivalents_match_below_the_words_themselves() {
        assert_eq!(first("트랜스포머").as_deref(), Some("ml-tf"));
        assert_eq!(first("gradient descent").as_deref(), Some("ml-gd"));
        let b = bank();
        let tf = b.iter().find(|c| c.id == "ml-tf").unwrap();
        assert!(score("transformer", tf).unwrap() > score("트랜스포머", tf).unwrap());
    }

    #[test]
    fn ids_tags_and_case_match_and_nonsense_does_not() {
        assert_eq!(first("NET-TCP").as_deref(), Some("net-tcp"));
        assert_eq!(first("tcp").as_deref(), Some("net-tcp"));
        assert!(first("쿠버네티스").is_none());
        assert_eq!(rank("", &bank()).len(), 6);
    }
}
