//! Partial credit for two tokens that are not the same but one holds the other: a word left
//! with a particle or an ending the tables did not take off (`데이터만` / `데이터`, `바뀐` /
//! `바뀌`), or a word that is part of a term the other question names (`충돌` / `#해시충돌`,
//! `상관` / `#상관관계`, `l2` / `#l2규제`, `http` / `http/1.1`).
//!
//! Two glossary concepts are never related here: the glossary keeps them apart on purpose
//! (`#이진트리` / `#완전이진트리`). Nor is an English word related to itself plus letters
//! (`adam` / `adamw`, `http` / `https`): those are other things, not other forms.

use crate::analysis::jamo;

/// A token and its weight.
pub type Weighed<'t> = (&'t str, f32);

/// Tokens of one print and of the other that [`pairs`] paired.
pub type Paired = Vec<(String, String)>;

/// What a token that is the other plus one syllable, or the other with its last syllable's
/// final consonant changed, counts for: nearly the same word.
pub const FORM_CREDIT: f32 = 0.8;

/// What a token that is a part of the other counts for.
pub const PART_CREDIT: f32 = 0.5;

/// How far `x` and `y` (two different tokens) are one word: 0, [`PART_CREDIT`] or
/// [`FORM_CREDIT`].
pub fn related(x: &str, y: &str) -> f32 {
    let concept = |t: &str| t.starts_with('#');
    if (concept(x) && concept(y)) || [x, y].iter().any(|t| t.starts_with(['?', '~', '@'])) {
        return 0.0;
    }
    let (x, y) = (x.trim_start_matches('#'), y.trim_start_matches('#'));
    let (short, long) = if x.chars().count() <= y.chars().count() {
        (x, y)
    } else {
        (y, x)
    };
    let n = short.chars().count();
    if n < 2 || short == long {
        return 0.0;
    }
    if same_but_final_consonant(short, long) {
        return FORM_CREDIT;
    }
    let Some(at) = long.find(short) else {
        return 0.0;
    };
    let before = long[..at].chars().next_back();
    let after = long[at + short.len()..].chars().next();
    // An English word is a part only where the other goes on with something that is not a
    // letter (`http/1.1`, `l2규제`), or as the start of a word at least two letters longer: an
    // abbreviation (`arg` / `argument`, `val` / `valid`), never one letter short of it (`adam` /
    // `adamw`, `http` / `https`) nor from its middle.
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    if short.is_ascii() && (letter(before) || letter(after)) {
        let abbreviation = at == 0
            && n >= 3
            && long.len() >= short.len() + 2
            && long.bytes().all(|b| b.is_ascii_alphabetic());
        return if abbreviation { PART_CREDIT } else { 0.0 };
    }
    let extra = long.chars().count() - n;
    let hangul = short.chars().all(jamo::is_syllable);
    if hangul && at == 0 && extra == 1 {
        FORM_CREDIT
    } else {
        PART_CREDIT
    }
}

/// `바뀐` / `바뀌`, `나눔` / `나누`: the same syllables but for the last one's final consonant.
fn same_but_final_consonant(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() || a.len() < 2 || !a.iter().chain(&b).all(|c| jamo::is_syllable(*c)) {
        return false;
    }
    let last = a.len() - 1;
    if a[..last] != b[..last] || a[last] == b[last] {
        return false;
    }
    // A syllable is (lead × 21 + vowel) × 28 + tail past U+AC00: without its tail, the same.
    let open = |c: char| (c as u32 - 0xAC00) / 28;
    open(a[last]) == open(b[last])
}

/// The best one-to-one pairing of `a`'s and `b`'s tokens that are [`related`], heaviest first:
/// (index in `a`, index in `b`, credit). `a` and `b` hold only tokens the other side lacks.
pub fn pairs(a: &[Weighed], b: &[Weighed]) -> Vec<(usize, usize, f32)> {
    let mut all: Vec<(f32, usize, usize, f32)> = Vec::new();
    for (i, (x, wx)) in a.iter().enumerate() {
        for (j, (y, wy)) in b.iter().enumerate() {
            let r = related(x, y);
            if r > 0.0 {
                all.push((r * wx.min(*wy), i, j, r));
            }
        }
    }
    all.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut out = Vec::new();
    for (_, i, j, r) in all {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j, r));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_parts_are_related_and_other_things_are_not() {
        assert_eq!(related("데이터만", "데이터"), FORM_CREDIT);
        assert_eq!(related("바뀐", "바뀌"), FORM_CREDIT);
        assert_eq!(related("나눔", "나누"), FORM_CREDIT);
        assert_eq!(related("충돌", "#해시충돌"), PART_CREDIT);
        assert_eq!(related("상관", "#상관관계"), PART_CREDIT);
        assert_eq!(related("l2", "#l2규제"), PART_CREDIT);
        assert_eq!(related("http", "http/1.1"), PART_CREDIT);
        // Two concepts, English words going on with letters, aspects, one letter.
        assert_eq!(related("#이진트리", "#완전이진트리"), 0.0);
        assert_eq!(related("adam", "adamw"), 0.0);
        assert_eq!(related("http", "https"), 0.0);
        assert_eq!(related("arg", "argument"), PART_CREDIT);
        assert_eq!(related("val", "valid"), PART_CREDIT);
        assert_eq!(related("ash", "hashing"), 0.0);
        assert_eq!(related("?why", "?whyso"), 0.0);
        assert_eq!(related("힙", "힙이"), 0.0);
        assert_eq!(related("흐름", "혼잡"), 0.0);
    }

    #[test]
    fn each_token_is_paired_once_heaviest_first() {
        let a = [("충돌", 5.0), ("해시", 2.0)];
        let b = [("#해시충돌", 8.0)];
        assert_eq!(pairs(&a, &b), vec![(0, 0, PART_CREDIT)]);
    }
}
