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
const LEADS: u32 = 19;
const VOWELS: u32 = 21;
const TAILS: u32 = 28;
const LEAD_BASE: u32 = 0x1100;
const VOWEL_BASE: u32 = 0x1161;
const TAIL_BASE: u32 = 0x11A7;

/// The compatibility consonant people type for each leading consonant, in syllable order.
const CHOSEONG: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ',
    'ㅍ', 'ㅎ',
];

/// Whether `c` is a precomposed Hangul syllable.
pub fn is_syllable(c: char) -> bool {
    (SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&(c as u32))
}

/// `text` lower-cased with each Hangul syllable replaced by its conjoining jamo.
pub fn decompose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if is_syllable(c) {
            let s = c as u32 - SYLLABLE_FIRST;
            let (lead, vowel, tail) = (s / (VOWELS * TAILS), (s / TAILS) % VOWELS, s % TAILS);
            out.extend(char::from_u32(LEAD_BASE + lead));
            out.extend(char::from_u32(VOWEL_BASE + vowel));
            if tail > 0 {
                out.extend(char::from_u32(TAIL_BASE + tail));
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The inverse of [`decompose`]: conjoining jamo back into syllables (a stray letter stays).
pub fn compose(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let lead = |c: char| (c as u32).checked_sub(LEAD_BASE).filter(|v| *v < LEADS);
    let vowel = |c: char| (c as u32).checked_sub(VOWEL_BASE).filter(|v| *v < VOWELS);
    let tail = |c: char| {
        (c as u32)
            .checked_sub(TAIL_BASE)
            .filter(|v| *v > 0 && *v < TAILS)
    };
    while i < chars.len() {
        if let (Some(l), Some(v)) = (lead(chars[i]), chars.get(i + 1).and_then(|c| vowel(*c))) {
            let t = chars.get(i + 2).and_then(|c| tail(*c));
            let code = SYLLABLE_FIRST + (l * VOWELS + v) * TAILS + t.unwrap_or(0);
            out.extend(char::from_u32(code));
            i += if t.is_some() { 3 } else { 2 };
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The first consonants of an all-Hangul word as people type them (`추론` → `ㅊㄹ`).
pub fn choseong(word: &str) -> Option<String> {
    if word.is_empty() || !word.chars().all(is_syllable) {
        return None;
    }
    Some(
        word.chars()
            .map(|c| CHOSEONG[((c as u32 - SYLLABLE_FIRST) / (VOWELS * TAILS)) as usize])
            .collect(),
    )
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

/// Edit distance between `a` and `b` counting a swap of neighbours as one edit, or `None` when
/// it is above `max`.
pub fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for j in 0..=b.len() {
        d[j] = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    Some(d[a.len() * w + b.len()]).filter(|v| *v <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompose_and_compose_are_inverse() {
        for w in ["해시테이블", "드롭아웃", "Transformer", "값", "ㅊㄹ", "L1 정규화"] {
            assert_eq!(compose(&decompose(w)), w.to_lowercase());
        }
        assert_eq!(decompose("해").chars().count(), 2);
        assert_eq!(decompose("값").chars().count(), 3);
    }

    #[test]
    fn a_vowel_slip_is_one_edit_over_jamo() {
        let d = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) =
                (decompose(a).chars().collect(), decompose(b).chars().collect());
            distance(&a, &b, 3)
        };
        assert_eq!(d("헤시", "해시"), Some(1));
        assert_eq!(d("드랍아웃", "드롭아웃"), Some(1));
        assert_eq!(d("trnasformer", "transformer"), Some(1));
        assert_eq!(d("abc", "abc"), Some(0));
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
