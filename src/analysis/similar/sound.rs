//! Whether a Korean word is an English word written in Hangul (`어텐션` / `attention`,
//! `임베딩` / `embedding`, `노멀라이제이션` / `normalization`): people type technical terms either
//! way, and the glossary cannot list them all.
//!
//! Both are reduced to a consonant skeleton in the classes Korean loanwords keep apart — p/b/f/v,
//! t/d/th, k/g/c/q, s/sh, z/j/ch, l/r, m, n, and ng as a final — with vowels, `h`, `w` and `y`
//! dropped, an `r` that Korean does not write dropped (after a vowel, before a consonant or at the
//! end: `transformer` → 트랜스포머), `-tion`/`-sion` read as `sn`, and a consonant repeated at once
//! counted once. Two words sound alike when their skeletons are the same and hold at least three
//! consonants (shorter ones match too much by chance). Written by hand: transliteration rules for
//! this are small, and no crate does Hangul → Latin skeletons.

/// The skeleton of an English word (lower-case ASCII letters; anything else gives `None`).
pub fn english(word: &str) -> Option<String> {
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    finish(skeletons(word.as_bytes(), false).swap_remove(0))
}

/// The skeletons a glossary term of English words can be written with in Hangul, the words'
/// skeletons run together (`contrastive learning` → 컨트라스티브 러닝 or 컨트라스티브러닝).
/// Where Korean writes a letter two ways, both are given: an `s` between vowels as ㅅ or ㅈ
/// (`bayesian` 베이지안, `basis` 베이시스), `-sion` after a vowel or `r` as 션 or 전 (`decision` 디시전,
/// `version` 버전). Empty when a word is not plain letters or the whole holds fewer than three
/// consonants.
pub fn english_term(term: &str) -> Vec<String> {
    let mut out: Vec<Vec<u8>> = vec![Vec::new()];
    for word in term.split(|c: char| c.is_whitespace() || c == '-') {
        if word.is_empty() {
            continue;
        }
        let word = word.to_ascii_lowercase();
        if !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return Vec::new();
        }
        let mut next = Vec::new();
        for head in &out {
            for tail in skeletons(word.as_bytes(), true) {
                let mut joined = head.clone();
                for k in tail {
                    if joined.last() != Some(&k) {
                        joined.push(k);
                    }
                }
                if !next.contains(&joined) {
                    next.push(joined);
                }
            }
        }
        out = next;
        if out.len() > 16 {
            out.truncate(16);
        }
    }
    out.into_iter().filter_map(finish).collect()
}

/// How many vowel sounds the English `term` has, counted as runs of vowel letters (a final `e`
/// and a `y` starting a word not counted): each takes at least one Hangul syllable.
pub fn vowel_groups(term: &str) -> usize {
    let mut n = 0;
    for word in term.split(|c: char| !c.is_ascii_alphabetic()) {
        let w = word.to_ascii_lowercase().into_bytes();
        let mut in_vowel = false;
        for (i, &c) in w.iter().enumerate() {
            let vowel = matches!(c, b'a' | b'e' | b'i' | b'o' | b'u') || (c == b'y' && i > 0);
            let silent = c == b'e' && i + 1 == w.len() && i > 0 && !in_vowel;
            if vowel && !in_vowel && !silent {
                n += 1;
            }
            in_vowel = vowel;
        }
    }
    n
}

/// The skeleton of one lower-case word; with `both`, every way Korean may write it (see
/// [`english_term`]), the usual one first.
fn skeletons(w: &[u8], both: bool) -> Vec<Vec<u8>> {
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let mut outs: Vec<Vec<u8>> = vec![Vec::new()];
    let push = |outs: &mut Vec<Vec<u8>>, k: &[u8]| {
        for out in outs.iter_mut() {
            for &c in k {
                if out.last() != Some(&c) {
                    out.push(c);
                }
            }
        }
    };
    let fork = |outs: &mut Vec<Vec<u8>>, a: &[u8], b: &[u8]| {
        let mut other = outs.clone();
        push(outs, a);
        push(&mut other, b);
        outs.extend(other);
        outs.dedup();
    };
    let mut i = 0;
    while i < w.len() {
        let c = w[i];
        let next = w.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| w[p]);
        let rest = &w[i..];
        // -tion, -sion: 션 (and -sion after a vowel or r also 전).
        if (rest.starts_with(b"tion") || rest.starts_with(b"sion")) && i > 0 {
            let voiced = rest.starts_with(b"sion") && prev.is_some_and(|p| vowel(p) || p == b'r');
            if both && voiced && outs.len() < 8 {
                fork(&mut outs, b"SN", b"JN");
            } else {
                push(&mut outs, b"SN");
            }
            i += 4;
            continue;
        }
        let (class, step): (Option<u8>, usize) = match c {
            b'p' if next == Some(b'h') => (Some(b'P'), 2),
            b't' if next == Some(b'h') => (Some(b'S'), 2),
            b's' if next == Some(b'h') => (Some(b'S'), 2),
            b'c' if next == Some(b'h') => (Some(b'J'), 2),
            b'c' if next == Some(b'k') => (Some(b'K'), 2),
            b'q' if next == Some(b'u') => (Some(b'K'), 2),
            b'n' if next == Some(b'g') => (Some(b'N'), 2),
            b'c' if next.is_some_and(|n| matches!(n, b'e' | b'i' | b'y')) => (Some(b'S'), 1),
            b'x' => {
                push(&mut outs, b"KS");
                i += 1;
                continue;
            }
            b's' if both
                && outs.len() < 8
                && prev.is_some_and(vowel)
                && next.is_some_and(vowel) =>
            {
                fork(&mut outs, b"S", b"J");
                i += 1;
                continue;
            }
            // A final `s` after a voiced sound is often 즈 (`means` 민즈, `jeans` 진즈).
            b's' if both
                && outs.len() < 8
                && i + 1 == w.len()
                && prev.is_some_and(|p| {
                    matches!(p, b'e' | b'n' | b'm' | b'l' | b'r' | b'a' | b'o')
                }) =>
            {
                fork(&mut outs, b"S", b"J");
                i += 1;
                continue;
            }
            // A `g` before e, i or y is ㅈ as often as ㄱ (`stage` 스테이지, `image` 이미지,
            // `target` 타깃).
            b'g' if both
                && outs.len() < 8
                && next.is_some_and(|n| matches!(n, b'e' | b'i' | b'y')) =>
            {
                fork(&mut outs, b"K", b"J");
                i += 1;
                continue;
            }
            b'p' | b'b' | b'f' | b'v' => (Some(b'P'), 1),
            b't' | b'd' => (Some(b'T'), 1),
            b'k' | b'g' | b'c' | b'q' => (Some(b'K'), 1),
            b's' => (Some(b'S'), 1),
            b'z' | b'j' => (Some(b'J'), 1),
            b'm' => (Some(b'M'), 1),
            b'n' => (Some(b'N'), 1),
            b'l' => (Some(b'R'), 1),
            // `r` after a vowel and before a consonant or the end is not written in Korean.
            b'r' => {
                let after_vowel = prev.is_some_and(vowel);
                let before_consonant_or_end =
                    next.is_none_or(|n| !vowel(n)) || (next == Some(b'e') && i + 2 == w.len());
                if after_vowel && before_consonant_or_end {
                    (None, 1)
                } else {
                    (Some(b'R'), 1)
                }
            }
            _ => (None, 1),
        };
        if let Some(k) = class {
            push(&mut outs, &[k]);
        }
        i += step;
    }
    outs
}

/// The skeleton of a Hangul word (syllables only; anything else gives `None`).
pub fn hangul(word: &str) -> Option<String> {
    // Initial consonants in Unicode order: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
    const INITIAL: &[u8; 19] = b"KKNTTRMPPSS-JJJKTP-";
    // Finals: (none) ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
    const FINAL: &[u8; 28] = b"-KKKNNNTRRRRRRRRMPPTTNTTKTP-";
    let mut out: Vec<u8> = Vec::new();
    for c in word.chars() {
        if !super::words::is_hangul(c) {
            return None;
        }
        let code = c as u32 - 0xAC00;
        let (initial, last) = (INITIAL[(code / 588) as usize], FINAL[(code % 28) as usize]);
        for k in [initial, last] {
            if k != b'-' && out.last() != Some(&k) {
                out.push(k);
            }
        }
    }
    finish(out)
}

fn finish(out: Vec<u8>) -> Option<String> {
    (out.len() >= 3).then(|| String::from_utf8(out).unwrap_or_default())
}

/// Every skeleton the English word can be written with in Hangul (see [`english_term`]), the
/// usual one first; empty for what is not a plain lower-case word of three letters or more.
pub fn english_all(word: &str) -> Vec<String> {
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    skeletons(word.as_bytes(), true)
        .into_iter()
        .filter_map(finish)
        .collect()
}

/// Whether the Hangul word `korean` sounds like the English word `english`, written any of the
/// ways Korean writes it.
pub fn alike(korean: &str, english_word: &str) -> bool {
    match hangul(korean) {
        Some(a) => english_all(english_word).contains(&a),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loanwords_sound_like_their_english() {
        for (ko, en) in [
            ("어텐션", "attention"),
            ("임베딩", "embedding"),
            ("그래디언트", "gradient"),
            ("트랜스포머", "transformer"),
            ("드롭아웃", "dropout"),
            ("노멀라이제이션", "normalization"),
            ("퀵소트", "quicksort"),
            ("하이퍼파라미터", "hyperparameter"),
            ("세마포어", "semaphore"),
            ("뮤텍스", "mutex"),
            ("파이썬", "python"),
            ("컨테이너", "container"),
            ("쿠버네티스", "kubernetes"),
            ("카프카", "kafka"),
            ("레디스", "redis"),
            ("스테이지", "stage"),
            ("타깃", "target"),
            ("케이민즈", "kmeans"),
        ] {
            assert!(
                alike(ko, en),
                "{ko} {:?} / {en} {:?}",
                hangul(ko),
                english(en)
            );
        }
    }

    #[test]
    fn other_words_do_not() {
        for (ko, en) in [
            ("설명", "sermon"),
            ("어텐션", "retention"),
            ("레이어", "layer"), // too short to tell
            ("배치", "batch"),   // too short to tell
            ("임베딩", "bedding"),
            ("모델", "mode"),
        ] {
            assert!(
                !alike(ko, en),
                "{ko} {:?} / {en} {:?}",
                hangul(ko),
                english(en)
            );
        }
    }
}

/// How Korean spells out Latin letters (`엔디씨지` is NDCG, `제이더블유티` JWT, `디비` DB), with the
/// letters a name may stand for.
const LETTER_NAMES: &[(&str, &str)] = &[
    ("에이치", "h"),
    ("더블유", "w"),
    ("더블류", "w"),
    ("에이", "a"),
    ("에프", "f"),
    ("에치", "h"),
    ("아이", "i"),
    ("제이", "j"),
    ("케이", "k"),
    ("에스", "s"),
    ("브이", "v"),
    ("엑스", "x"),
    ("와이", "y"),
    ("제트", "z"),
    ("비", "bv"),
    ("씨", "c"),
    ("시", "c"),
    ("디", "d"),
    ("이", "e"),
    ("지", "gz"),
    ("엘", "l"),
    ("엠", "m"),
    ("엔", "n"),
    ("오", "o"),
    ("피", "p"),
    ("큐", "q"),
    ("알", "r"),
    ("티", "t"),
    ("유", "u"),
];

/// The Latin letters a Hangul word spells out when it is nothing but letter names (`엔디씨지` →
/// `ndcg`), every reading of it (at most eight), for words of two letters or more; empty
/// otherwise.
pub fn spelled_letters(word: &str) -> Vec<String> {
    fn go(rest: &str, sofar: &mut String, out: &mut Vec<String>) {
        if out.len() >= 8 {
            return;
        }
        if rest.is_empty() {
            if sofar.len() >= 2 {
                out.push(sofar.clone());
            }
            return;
        }
        for (name, letters) in LETTER_NAMES {
            if let Some(after) = rest.strip_prefix(name) {
                for l in letters.chars() {
                    sofar.push(l);
                    go(after, sofar, out);
                    sofar.pop();
                }
            }
        }
    }
    let mut out = Vec::new();
    if word.chars().count() <= 12 && word.chars().all(super::words::is_hangul) {
        go(word, &mut String::new(), &mut out);
    }
    out.dedup();
    out
}

#[cfg(test)]
mod letters {
    use super::spelled_letters;

    #[test]
    fn spelled_out_letters_are_read() {
        assert_eq!(spelled_letters("엔디씨지"), ["ndcg", "ndcz"]);
        assert_eq!(spelled_letters("제이더블유티"), ["jwt"]);
        assert!(spelled_letters("디비").contains(&"db".to_string()));
        assert!(spelled_letters("에이비").contains(&"ab".to_string()));
        assert!(spelled_letters("설명").is_empty());
        assert!(spelled_letters("피").is_empty(), "one letter is no acronym");
    }
}
