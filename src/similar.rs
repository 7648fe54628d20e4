//! How alike two questions are, in a way that works for Korean.
//!
//! A question becomes a set of tokens from the search analyzer (Hangul bigrams with particles
//! stripped, stemmed English words), minus the tokens of phrasings every question shares
//! (`설명해주세요`, `무엇인가요`, `에 대해`, `what is`...). Two sets are compared by weighted
//! Jaccard: shared tokens over all tokens, each token weighted by its rarity (IDF) in the bank, so
//! sharing `고유값` counts for much more than sharing `차이`. Being sets of bigrams, the comparison
//! ignores spacing, particles, punctuation and word order.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::index::analyzer::{self, Options};
use crate::model::Question;

/// Phrasings that say "this is a question" rather than what it is about.
const FILLER: &[&str] = &[
    "설명해주세요",
    "설명해 주세요",
    "설명해주실 수 있나요",
    "설명해 주실 수 있나요",
    "설명하세요",
    "설명해봅시다",
    "설명할 수 있나요",
    "설명한다면",
    "무엇인가요",
    "무엇일까요",
    "무엇입니까",
    "무엇이고",
    "무엇이며",
    "무엇이 있나요",
    "뭔가요",
    "뭘까요",
    "뭐야",
    "에 대해",
    "에 대해서",
    "대해서",
    "말해주세요",
    "말씀해주세요",
    "말해 주세요",
    "알려주세요",
    "아시나요",
    "어떤 것이 있나요",
    "있나요",
    "인가요",
    "일까요",
    "입니까",
    "할까요",
    "해주세요",
    "what is",
    "what are",
    "what",
    "explain",
    "describe",
    "please",
    "the",
    "a",
    "an",
    "of",
    "in",
    "is",
    "are",
    "do",
    "does",
    "can",
    "you",
    "to",
    "and",
    "python",
    "it",
];

/// How questions are cut into tokens for comparison: the search index's own tokens, so the
/// index's statistics weigh them. Adding syllable unigrams was measured on the labelled pairs
/// (tests/dups.rs) and did not help.
pub const OPTIONS: Options = Options::SHIPPED;

static FILLER_TOKENS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    FILLER
        .iter()
        .flat_map(|f| analyzer::terms(f, OPTIONS))
        .collect()
});

/// The shipped glossary, read once per process.
static GLOSSARY: LazyLock<crate::index::glossary::Glossary> =
    LazyLock::new(crate::index::glossary::Glossary::shipped);

/// How much a shared glossary concept counts relative to a shared word token of the same
/// rarity: a concept also matches across languages, so it is weaker evidence of the same
/// question than the same words. Measured on the labelled pairs (tests/dups.rs).
pub const CONCEPT_WEIGHT: f32 = 1.0;

/// The weight of `token` given its IDF.
pub fn weigh(token: &str, idf: f32) -> f32 {
    if token.starts_with('#') {
        idf * CONCEPT_WEIGHT
    } else {
        idf
    }
}

/// Token standing for a glossary concept, so `Virtual Memory` and `가상 메모리` share one.
pub fn concept_token(concept: usize) -> String {
    format!("#{concept}")
}

/// The tokens a question is compared by (sorted, unique): a token for each glossary concept it
/// names, in place of the words that name it (so `Virtual Memory` and `가상 메모리` become the
/// same token), and the analyzer's tokens of the remaining words.
pub fn fingerprint(text: &str) -> Vec<String> {
    let (words, spans) = GLOSSARY.spans(text);
    let mut tokens: Vec<String> = Vec::new();
    // The words that name a concept are replaced in place by a placeholder English word, so the
    // analyzer still sees particles glued to them (`Semaphore의` → the particle is dropped).
    let mut rest = String::with_capacity(text.len());
    let mut at = 0;
    for (start, len, concepts) in spans {
        let from = words[start].as_ptr() as usize - text.as_ptr() as usize;
        let last = words[start + len - 1];
        let to = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
        rest.push_str(&text[at..from]);
        rest.push_str(PLACEHOLDER);
        at = to;
        tokens.extend(concepts.into_iter().map(concept_token));
    }
    rest.push_str(&text[at..]);
    tokens.extend(
        fingerprint_with(&rest, OPTIONS)
            .into_iter()
            .filter(|t| t != PLACEHOLDER),
    );
    tokens.sort();
    tokens.dedup();
    tokens
}

/// Stands in for words replaced by their concept while the rest is analyzed.
const PLACEHOLDER: &str = "zzconcept";

/// The concept tokens of `text`.
pub fn concepts(text: &str) -> Vec<String> {
    GLOSSARY
        .concepts_in(text)
        .into_iter()
        .map(concept_token)
        .collect()
}

/// [`fingerprint`] with other analyzer options, for measuring variants.
pub fn fingerprint_with(text: &str, options: Options) -> Vec<String> {
    let filler: HashSet<String> = if options == OPTIONS {
        HashSet::new()
    } else {
        FILLER
            .iter()
            .flat_map(|f| analyzer::terms(f, options))
            .collect()
    };
    let filler = if options == OPTIONS {
        &*FILLER_TOKENS
    } else {
        &filler
    };
    let mut tokens: Vec<String> = analyzer::terms(text, options)
        .into_iter()
        .filter(|t| !filler.contains(t))
        .collect();
    tokens.sort();
    tokens.dedup();
    tokens
}

/// BM25's IDF for a token in `df` of `n` documents.
pub fn idf(n: usize, df: usize) -> f32 {
    (1.0 + (n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
}

/// How much coverage counts against Jaccard similarity in [`match_score`].
pub const COVERAGE_MIX: f32 = 0.5;

/// How far `incoming` (a question as asked) is the same as `existing` (one in the bank): the mean
/// of their weighted Jaccard similarity and how much of `incoming` `existing` covers. A short
/// question as asked ("TCP랑 UDP 차이?") is the same as a bank question that asks it and more.
pub fn match_score(incoming: &[String], existing: &[String], weight: impl Fn(&str) -> f32) -> f32 {
    let jaccard = similarity(incoming, existing, &weight);
    let total: f32 = incoming.iter().map(|t| weight(t)).sum();
    let covered: f32 = incoming
        .iter()
        .filter(|t| existing.binary_search(t).is_ok())
        .map(|t| weight(t))
        .sum();
    if total == 0.0 {
        jaccard
    } else {
        COVERAGE_MIX.mul_add(covered / total - jaccard, jaccard)
    }
}

/// Weighted Jaccard similarity of two fingerprints, 0.0 to 1.0.
pub fn similarity(a: &[String], b: &[String], weight: impl Fn(&str) -> f32) -> f32 {
    if a.is_empty() || b.is_empty() {
        return if a == b && !a.is_empty() { 1.0 } else { 0.0 };
    }
    let (mut shared, mut all) = (0.0f32, 0.0f32);
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                let w = weight(x);
                shared += w;
                all += w;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                all += weight(x);
                i += 1;
            }
            (Some(_), Some(y)) => {
                all += weight(y);
                j += 1;
            }
            (Some(x), None) => {
                all += weight(x);
                i += 1;
            }
            (None, Some(y)) => {
                all += weight(y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    if all == 0.0 { 0.0 } else { shared / all }
}

/// The default threshold above which two questions in the bank are taken to be the same
/// (`kb dups`), chosen on the labelled pairs in tests/data/dup-pairs.tsv (see tests/dups.rs and
/// docs/DUPLICATES.md).
pub const DEFAULT_THRESHOLD: f32 = 0.6;

/// The default threshold for an incoming question and a bank question ([`match_score`], used by
/// `kb interview add` and `kb add --asked-at`), chosen the same way.
pub const INCOMING_THRESHOLD: f32 = 0.65;

/// A likely duplicate pair.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub similarity: f32,
}

/// Likely duplicates among `questions`, most similar first.
///
/// Not all pairs: a set-similarity join with prefix filtering. Tokens are ordered rarest first;
/// a question is only indexed under, and only probes with, the shortest prefix of its tokens
/// whose remaining weight is below `threshold` × its total. Two questions with similarity at
/// least `threshold` must share a token in both prefixes (the first token they share is in both),
/// so no pair is missed, and the work follows the number of plausible pairs instead of the
/// square of the bank.
///
/// Questions with identical token sets are reported as a chain of pairs (`a`–`b`, `b`–`c`: enough
/// to merge them all) and take part in the join once. At most `limit` pairs are kept.
pub fn duplicates(questions: &[Question], threshold: f32, limit: usize) -> Vec<Pair> {
    let prints: Vec<Vec<String>> = questions.iter().map(|q| fingerprint(&q.question)).collect();
    duplicates_of(questions, &prints, threshold, limit)
}

/// [`duplicates`] over precomputed fingerprints (one per question).
pub fn duplicates_of(
    questions: &[Question],
    prints: &[Vec<String>],
    threshold: f32,
    limit: usize,
) -> Vec<Pair> {
    let mut best = Best::new(limit);
    let mut first_with: HashMap<&[String], usize> = HashMap::new();
    let mut distinct = Vec::new();
    for (i, p) in prints.iter().enumerate() {
        match first_with.get(p.as_slice()) {
            Some(&prev) if !p.is_empty() => {
                best.push(Pair::new(&questions[prev].id, &questions[i].id, 1.0));
                first_with.insert(p.as_slice(), i);
            }
            _ => {
                first_with.insert(p.as_slice(), i);
                distinct.push(i);
            }
        }
    }
    let mut df: HashMap<&str, usize> = HashMap::new();
    for p in prints {
        for t in p {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let n = questions.len();
    let weight = |t: &str| weigh(t, idf(n, df.get(t).copied().unwrap_or(0)));
    // Each question's tokens, rarest first (ties by text, so the order is the same everywhere).
    let ordered: Vec<Vec<(f32, &str)>> = prints
        .iter()
        .map(|p| {
            let mut v: Vec<(f32, &str)> = p.iter().map(|t| (weight(t), t.as_str())).collect();
            v.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            v
        })
        .collect();
    let prefix_len = |v: &[(f32, &str)]| {
        let total: f32 = v.iter().map(|(w, _)| w).sum();
        let mut rest = total;
        let mut k = 0;
        while k < v.len() && rest >= threshold * total {
            rest -= v[k].0;
            k += 1;
        }
        k.max(1).min(v.len())
    };
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for &i in &distinct {
        let prefix = &ordered[i][..prefix_len(&ordered[i])];
        seen.clear();
        for (_, t) in prefix.iter() {
            for &j in postings.get(t).map(Vec::as_slice).unwrap_or(&[]) {
                if !seen.insert(j) {
                    continue;
                }
                let s = similarity(&prints[i], &prints[j], weight);
                if s >= threshold {
                    best.push(Pair::new(&questions[i].id, &questions[j].id, s));
                }
            }
        }
        for (_, t) in prefix.iter() {
            postings.entry(t).or_default().push(i);
        }
    }
    best.into_sorted()
}

impl Pair {
    fn new(a: &str, b: &str, similarity: f32) -> Pair {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        Pair {
            a: a.to_string(),
            b: b.to_string(),
            similarity,
        }
    }

    /// Most similar first, then by ids.
    fn rank(&self, other: &Pair) -> std::cmp::Ordering {
        other
            .similarity
            .total_cmp(&self.similarity)
            .then_with(|| self.a.cmp(&other.a))
            .then_with(|| self.b.cmp(&other.b))
    }
}

/// The `limit` best pairs seen so far (memory stays bounded however many pairs qualify).
struct Best {
    limit: usize,
    pairs: Vec<Pair>,
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            limit: limit.max(1),
            pairs: Vec::new(),
        }
    }

    fn push(&mut self, pair: Pair) {
        self.pairs.push(pair);
        if self.pairs.len() >= self.limit * 2 {
            self.pairs.sort_by(Pair::rank);
            self.pairs.truncate(self.limit);
        }
    }

    fn into_sorted(mut self) -> Vec<Pair> {
        self.pairs.sort_by(Pair::rank);
        self.pairs.truncate(self.limit);
        self.pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f32 {
        similarity(&fingerprint(a), &fingerprint(b), |_| 1.0)
    }

    #[test]
    fn spacing_particles_punctuation_and_endings_do_not_matter() {
        assert!(
            sim(
                "가상 메모리에 대해 설명해주세요.",
                "가상메모리란 무엇인가요?"
            ) > 0.7
        );
        assert!(
            sim("TCP와 UDP의 차이는?", "UDP랑 TCP 차이") > 0.9,
            "word order and particles"
        );
        assert!(sim("TCP와 UDP의 차이는?", "프로세스와 스레드의 차이는?") < 0.3);
    }

    #[test]
    fn bank_pairs_are_found_without_comparing_all_pairs() {
        let qs: Vec<Question> = [
            ("a", "고유값과 고유벡터에 대해 설명해주세요."),
            ("b", "고유값과 고유 벡터란 무엇인가요?"),
            ("c", "TCP와 UDP의 차이는?"),
            ("d", "경사 하강법이란?"),
        ]
        .iter()
        .map(|(id, q)| Question::new(id.to_string(), q))
        .collect();
        let pairs = duplicates(&qs, DEFAULT_THRESHOLD, 10);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].a.as_str(), pairs[0].b.as_str()), ("a", "b"));
    }

    #[test]
    fn prefix_filtering_misses_no_pair_that_all_pairs_finds() {
        let words = [
            "TCP",
            "UDP",
            "차이",
            "가상",
            "메모리",
            "페이징",
            "스레드",
            "프로세스",
            "캐시",
            "인덱스",
            "트랜잭션",
            "격리",
            "수준",
            "GIL",
            "정규화",
            "배치",
            "드롭아웃",
            "과적합",
            "힙",
            "정렬",
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut qs: Vec<Question> = Vec::new();
        let mut seen = HashSet::new();
        while qs.len() < 300 {
            let n = 2 + next() % 4;
            let text: Vec<&str> = (0..n).map(|_| words[next() % words.len()]).collect();
            let text = text.join(" ");
            if seen.insert(fingerprint(&text)) {
                qs.push(Question::new(format!("q{}", qs.len()), &text));
            }
        }
        let prints: Vec<Vec<String>> = qs.iter().map(|q| fingerprint(&q.question)).collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for p in &prints {
            for t in p {
                *df.entry(t.as_str()).or_default() += 1;
            }
        }
        let w = |t: &str| weigh(t, idf(qs.len(), df.get(t).copied().unwrap_or(0)));
        for threshold in [0.5, 0.6, 0.8] {
            let mut brute = Vec::new();
            for i in 0..qs.len() {
                for j in i + 1..qs.len() {
                    if similarity(&prints[i], &prints[j], w) >= threshold {
                        brute.push(Pair::new(&qs[i].id, &qs[j].id, 0.0));
                    }
                }
            }
            let fast = duplicates(&qs, threshold, usize::MAX / 4);
            assert_eq!(fast.len(), brute.len(), "threshold {threshold}");
            for p in &brute {
                assert!(
                    fast.iter().any(|f| f.a == p.a && f.b == p.b),
                    "{p:?} missed at {threshold}"
                );
            }
        }
    }
}
