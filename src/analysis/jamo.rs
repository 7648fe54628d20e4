//! Hangul taken apart into its letters, for typo-tolerant search.
//!
//! A Hangul syllable is one `char`, so an edit distance over syllables counts `헤시` → `해시` as
//! a whole character wrong, the same as `헤시` → `포시`. Over jamo (the consonant and vowel
//! letters a syllable is typed as) the vowel slip is one edit out of five, and transliteration
//! variants (`드랍`/`드롭`, `트렌스`/`트랜스`, `노말`/`노멀`) are one vowel apart. The conjoining
//! jamo (U+1100…) are used because they compose back to syllables without ambiguity.
//!
//! Choseong (`ㅊㄹ ㅊㅈㅎ`, the first consonants of each syllable, a common shorthand) are the
//! compatibility letters people type (U+3131…).

use super::analyzer;

const SYLLABLE_FIRST: u32 = 0xAC00;
const SYLLABLE_LAST: u32 = 0xD7A3;
const VOWELS: u32 = 21;
const TAILS: u32 = 28;
/// The first vowel letter; the 21 vowels follow in syllable order.
const VOWEL_BASE: u32 = 0x314F;

/// The letter people type for each leading consonant, in syllable order.
const CHOSEONG: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ',
    'ㅌ', 'ㅍ', 'ㅎ',
];

/// The letter of each final consonant (index 1 to 27; 0 is none).
const JONGSEONG: [char; 27] = [
    'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ',
    'ㅂ', 'ㅄ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];

/// Whether `c` is a precomposed Hangul syllable.
pub fn is_syllable(c: char) -> bool {
    (SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&(c as u32))
}

fn vowel_index(c: char) -> Option<u32> {
    (c as u32).checked_sub(VOWEL_BASE).filter(|v| *v < VOWELS)
}

/// `text` lower-cased with each Hangul syllable replaced by its letters (`해` → `ㅎㅐ`). The
/// same letter is one character whether it begins or ends a syllable, so `노말` and `놈` share
/// `ㄴㅗㅁ`.
pub fn decompose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if is_syllable(c) {
            let s = c as u32 - SYLLABLE_FIRST;
            let (lead, vowel, tail) = (s / (VOWELS * TAILS), (s / TAILS) % VOWELS, s % TAILS);
            out.push(CHOSEONG[lead as usize]);
            out.extend(char::from_u32(VOWEL_BASE + vowel));
            if tail > 0 {
                out.push(JONGSEONG[tail as usize - 1]);
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The inverse of [`decompose`]: letters back into syllables. A consonant before a vowel
/// begins a syllable; one after a vowel and not before one ends it; a stray letter stays.
pub fn compose(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let lead = |c: char| CHOSEONG.iter().position(|l| *l == c).map(|p| p as u32);
    let tail = |c: char| JONGSEONG.iter().position(|t| *t == c).map(|p| p as u32 + 1);
    let mut i = 0;
    while i < chars.len() {
        let (Some(l), Some(v)) = (
            lead(chars[i]),
            chars.get(i + 1).and_then(|c| vowel_index(*c)),
        ) else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        let next_is_vowel = chars.get(i + 3).is_some_and(|c| vowel_index(*c).is_some());
        let t = chars
            .get(i + 2)
            .and_then(|c| tail(*c))
            .filter(|_| !next_is_vowel);
        let code = SYLLABLE_FIRST + (l * VOWELS + v) * TAILS + t.unwrap_or(0);
        out.extend(char::from_u32(code));
        i += if t.is_some() { 3 } else { 2 };
    }
    out
}

/// The first consonant of a syllable as people type it alone (`추` → `ㅊ`).
pub fn initial(c: char) -> Option<char> {
    is_syllable(c).then(|| CHOSEONG[((c as u32 - SYLLABLE_FIRST) / (VOWELS * TAILS)) as usize])
}

/// The first consonants of an all-Hangul word as people type them (`추론` → `ㅊㄹ`).
pub fn choseong(word: &str) -> Option<String> {
    if word.is_empty() {
        return None;
    }
    word.chars().map(initial).collect()
}

/// Whether `word` is typed as first consonants only (`ㅊㅈㅎ`), two or more of them.
pub fn is_choseong(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(|c| CHOSEONG.contains(&c))
}

/// The words of `text` that search can correct a typo towards: Hangul runs without a trailing
/// particle and Latin-script words, lower-cased, two characters or more.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut hangul = false;
    let mut flush = |run: &mut Vec<char>, hangul: bool| {
        let kept = if hangul {
            analyzer::strip_particle(run)
        } else {
            &run[..]
        };
        if kept.len() >= 2 {
            out.push(kept.iter().flat_map(|c| c.to_lowercase()).collect());
        }
        run.clear();
    };
    for c in text.chars() {
        let is_h = is_syllable(c);
        let is_l = c.is_alphanumeric() && !is_h;
        if !(is_h || is_l) || (!run.is_empty() && is_h != hangul) {
            flush(&mut run, hangul);
        }
        if is_h || is_l {
            hangul = is_h;
            run.push(c);
        }
    }
    flush(&mut run, hangul);
    out
}

/// The runs of two or more Hangul syllables in `text`, as written (particles kept: `차원의`
/// is what `ㅊㅇㅇ` is typed for).
pub fn hangul_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !is_syllable(c))
        .filter(|r| r.chars().count() >= 2)
        .map(String::from)
        .collect()
}

/// Edit distance over letters, neighbours swapped counting as one edit (shared with the
/// `did you mean` of names).
pub use crate::names::distance;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompose_and_compose_are_inverse() {
        for w in [
            "해시테이블",
            "드롭아웃",
            "Transformer",
            "값",
            "ㅊㄹ",
            "L1 정규화",
            "닭갈비",
            "읽어",
        ] {
            assert_eq!(compose(&decompose(w)), w.to_lowercase());
        }
        assert_eq!(decompose("해").chars().count(), 2);
        assert_eq!(decompose("값").chars().count(), 3);
    }

    #[test]
    fn a_vowel_slip_is_one_edit_over_jamo() {
        let d = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (
                decompose(a).chars().collect(),
                decompose(b).chars().collect(),
            );
            distance(&a, &b, 3)
        };
        assert_eq!(d("헤시", "해시"), Some(1));
        assert_eq!(d("드랍아웃", "드롭아웃"), Some(1));
        assert_eq!(d("trnasformer", "transformer"), Some(1));
        assert_eq!(d("abc", "abc"), Some(0));
        assert_eq!(d("레이어노말", "레이어놈"), Some(2));
        assert_eq!(d("kmeans", "dijkstra"), None);
    }

    #[test]
    fn choseong_and_words() {
        assert_eq!(choseong("추론").as_deref(), Some("ㅊㄹ"));
        assert_eq!(choseong("Transformer"), None);
        assert!(is_choseong("ㅊㅈㅎ"));
        assert!(!is_choseong("ㅊ"));
        assert!(!is_choseong("최적화"));
        assert_eq!(
            words("Transformer에서 LayerNorm을 쓰는 이유는?"),
            vec!["transformer", "에서", "layernorm", "쓰는", "이유"]
        );
    }
}
