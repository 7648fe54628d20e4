//! One token for a term the bank writes both in English and in Hangul (`Conformer` in one
//! question, `컨포머` in another), for `kb dups`.
//!
//! The look-up for a question as asked mends such words pair by pair ([`super::incoming`]);
//! `kb dups` does too ([`super::same_soft`]), but only for pairs its join proposes, and the join
//! compares exact tokens: a pair that shares nothing but a loanword is never proposed. So before
//! the join, each Hangul token of the bank that sounds like exactly one English
//! token of the bank ([`super::sound`]) is replaced by it in every print, and the join and the
//! full score both see the same tokens. Prints stored in the index keep stems only (`conform`,
//! `embed`), so an English stem is heard with the endings Korean writes out (`-er`, `-ing`,
//! `-ion`). To keep chance likenesses out, only skeletons of four consonants or more count, and
//! only Hangul tokens the background has seen at most a few times (a loanword kb's glossary does
//! not list is rare; an everyday Korean word is not).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::{Entry, background, sound, words};

/// The least consonants a skeleton must have to be taken for a word of the other script.
const SKELETON: usize = 4;

/// The most background documents a Hangul token may be in to be taken for an English word.
const RARE: usize = 5;

/// Endings an English stem may have lost that Korean writes (`conform` → 컨포머).
const ENDINGS: [&str; 6] = ["", "e", "er", "ing", "ion", "s"];

/// `entries` with each Hangul token that sounds like one English token of them replaced by it:
/// an entry with no such token is borrowed as it is (a bank of 100k questions is not copied for
/// the few that change).
pub fn canonical(entries: &[Entry]) -> Vec<Cow<'_, Entry>> {
    let borrowed = || entries.iter().map(Cow::Borrowed).collect();
    let mut english: HashSet<&str> = HashSet::new();
    let mut hangul: HashSet<&str> = HashSet::new();
    for e in entries {
        for t in &e.print.tokens {
            if t.len() >= 3 && t.bytes().all(|b| b.is_ascii_lowercase()) {
                english.insert(t);
            } else if t.chars().all(words::is_hangul) {
                hangul.insert(t);
            }
        }
    }
    if english.is_empty() || hangul.is_empty() {
        return borrowed();
    }
    let mut by_sound: HashMap<String, HashSet<&str>> = HashMap::new();
    for &e in &english {
        for ending in ENDINGS {
            for sk in sound::english_all(&format!("{e}{ending}")) {
                if sk.len() >= SKELETON {
                    by_sound.entry(sk).or_default().insert(e);
                }
            }
        }
    }
    let bg = background::shipped();
    let map: HashMap<&str, &str> = hangul
        .into_iter()
        .filter(|h| bg.df(h) <= RARE)
        .filter_map(|h| {
            let found = by_sound.get(&sound::hangul(h)?)?;
            (found.len() == 1).then(|| (h, *found.iter().next().expect("one")))
        })
        .collect();
    if map.is_empty() {
        return borrowed();
    }
    let swap = |list: &[String]| -> Vec<String> {
        let mut out: Vec<String> = list
            .iter()
            .map(|t| {
                map.get(t.as_str())
                    .map_or_else(|| t.clone(), |e| e.to_string())
            })
            .collect();
        out.sort();
        out.dedup();
        out
    };
    entries
        .iter()
        .map(|e| {
            if !e.print.tokens.iter().any(|t| map.contains_key(t.as_str())) {
                return Cow::Borrowed(e);
            }
            let mut e = e.clone();
            e.print.tokens = swap(&e.print.tokens);
            e.print.parts = e.print.parts.iter().map(|p| swap(p)).collect();
            e.print.optional = swap(&e.print.optional);
            Cow::Owned(e)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Question;

    fn entry(id: &str, text: &str) -> Entry {
        Entry::of(&Question::new(id.into(), text))
    }

    #[test]
    fn a_loanword_and_its_english_become_one_token_and_other_words_stay() {
        let entries = [
            entry("a", "Tacotron 모델의 구조를 설명해주세요."),
            entry("b", "타코트론 구조 설명해 주세요"),
            entry("c", "모델 구조란?"),
        ];
        let canon = canonical(&entries);
        assert!(
            canon[1].print.tokens.contains(&"tacotron".to_string()),
            "{:?}",
            canon[1].print.tokens
        );
        assert_eq!(canon[2].print.tokens, entries[2].print.tokens);
        // Nothing to hear: the same slice back.
        assert!(
            matches!(canon[2], Cow::Borrowed(_)),
            "an entry left alone is not copied"
        );
        let plain = [entry("a", "TCP와 UDP의 차이"), entry("b", "가상 메모리란?")];
        assert!(
            canonical(&plain)
                .iter()
                .all(|e| matches!(e, Cow::Borrowed(_)))
        );
    }
}
