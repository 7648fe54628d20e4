//! Names a person types for things kb already has — question ids, tags, projects, companies —
//! compared the forgiving way: without case, spacing or punctuation, Hangul by its letters
//! (jamo), and, across scripts, Hangul by a rough romanisation (`카카오` ≈ `kakao`). When a
//! name names nothing, [`suggest`] gives the closest ones for a `did you mean`.
//!
//! Companies also have aliases: a few well-known Korean and global companies under their Korean
//! and English names ship with kb, and `kb.yaml` adds the user's own:
//!
//! ```yaml
//! companies:
//!   카카오: [kakao, Kakao Corp.]
//!   네이버: naver
//! ```
//!
//! The binary reads `kb.yaml` once and hands the aliases in with [`set_company_aliases`]; every
//! company filter then compares through [`same_company`].

use std::collections::HashMap;
use std::sync::RwLock;

use unicode_normalization::UnicodeNormalization;

/// The form two names are compared in: lower-case letters and digits only, Hangul syllables
/// split into their jamo (NFD; so a one-letter slip inside a syllable is one edit, not a whole
/// different character). `Layer Norm`, `layer-norm` and `layernorm` are one key.
pub fn key(name: &str) -> String {
    name.nfd()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Edit distance between `a` and `b` counting a swap of neighbours as one edit, or `None` when
/// it is above `max` (given up on as soon as every way is). Names here; search's typo layer
/// (`analysis::jamo`) uses it over Hangul letters too.
pub fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
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

/// [`distance`] between two keys, without a bound.
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    distance(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

const INITIALS: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// `name` in Latin letters: Hangul syllables romanised letter by letter (close to the Revised
/// Romanisation, without its sound-change rules), everything else as [`key`] has it. Only for
/// comparing a Korean name with an English one; never shown.
pub fn latin(name: &str) -> String {
    let mut out = String::new();
    for c in name.nfc().flat_map(char::to_lowercase) {
        let code = c as u32;
        if (0xAC00..=0xD7A3).contains(&code) {
            let n = (code - 0xAC00) as usize;
            out.push_str(INITIALS[n / 588]);
            out.push_str(MEDIALS[(n % 588) / 28]);
            out.push_str(FINALS[n % 28]);
        } else if c.is_alphanumeric() {
            out.push(c);
        }
    }
    out
}

fn has_hangul(s: &str) -> bool {
    s.nfc().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// How far `input` is from `candidate`, in edits, or `None` when they are too far apart for a
/// person to have meant one by the other. A candidate that starts with or holds the input
/// (`dropout` for `dl-dropout`) counts as half an edit.
fn closeness(input: &str, candidate: &str) -> Option<f32> {
    let (a, b) = (key(input), key(candidate));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b {
        return Some(0.0);
    }
    let shorter = a.chars().count().min(b.chars().count());
    if a.chars().count() >= 3 && b.contains(&a) {
        return Some(0.5);
    }
    // One edit per three letters, at least one: `pytroch` → `pytorch`, `ocr-serivng` →
    // `ocr-serving`, but not `nlp` → `cv`.
    let allowed = (shorter / 3).max(1);
    let mut best = edits(&a, &b);
    if has_hangul(input) != has_hangul(candidate) {
        let (la, lb) = (latin(input), latin(candidate));
        if !la.is_empty() && !lb.is_empty() {
            best = best.min(edits(&la, &lb));
        }
    }
    if best <= allowed {
        return Some(best as f32);
    }
    // A slip in the start of a longer name (`orc` for `ocr-serving`, `dl-droput` for
    // `dl-dropout-rate`): the input against the candidate's words and its start.
    let n = a.chars().count();
    if n >= 3 {
        let start: String = b.chars().take(n).collect();
        let mut part = edits(&a, &start);
        for word in candidate.split(|c: char| !c.is_alphanumeric()) {
            let w = key(word);
            if !w.is_empty() {
                part = part.min(edits(&a, &w));
            }
        }
        if part <= (n / 3).max(1) {
            return Some(part as f32 + 0.5);
        }
    }
    None
}

/// The candidates closest to `input`, nearest first (ties in the candidates' order), at most
/// `max`; none when nothing is close. Each candidate is offered once.
pub fn suggest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<String> {
    let mut scored: Vec<(f32, usize, &str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if scored.iter().any(|(_, _, s)| *s == c) {
            continue;
        }
        if let Some(d) = closeness(input, c) {
            scored.push((d, i, c));
        }
    }
    scored.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    scored
        .into_iter()
        .take(max)
        .map(|(_, _, c)| c.to_string())
        .collect()
}

/// `did you mean a, b or c?` for the suggestions, or nothing when there are none.
pub fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [rest @ .., last] => format!("; did you mean {} or {last}?", rest.join(", ")),
    }
}

/// Companies known under more than one name, the name kb shows first. The user's `kb.yaml`
/// adds to these (and wins where they disagree).
const KNOWN_COMPANIES: &[&[&str]] = &[
    &["카카오", "kakao", "kakao corp"],
    &["카카오뱅크", "kakaobank"],
    &["카카오페이", "kakaopay"],
    &["카카오엔터프라이즈", "kakao enterprise"],
    &["네이버", "naver"],
    &["네이버웹툰", "naver webtoon", "webtoon"],
    &["라인", "line", "line corp"],
    &["라인플러스", "line plus"],
    &["쿠팡", "coupang"],
    &["토스", "toss", "비바리퍼블리카", "viva republica"],
    &["당근", "당근마켓", "daangn", "karrot"],
    &[
        "배달의민족",
        "배민",
        "우아한형제들",
        "woowahan",
        "baemin",
        "woowa brothers",
    ],
    &["삼성전자", "samsung electronics", "samsung"],
    &["엔씨소프트", "엔씨", "ncsoft", "nc soft"],
    &["넥슨", "nexon"],
    &["크래프톤", "krafton"],
    &["업스테이지", "upstage"],
    &["하이퍼커넥트", "hyperconnect"],
    &["야놀자", "yanolja"],
    &["무신사", "musinsa"],
    &["컬리", "마켓컬리", "kurly"],
    &["센드버드", "sendbird"],
    &["뤼튼", "wrtn"],
    &["구글", "google"],
    &["마이크로소프트", "microsoft"],
    &["아마존", "amazon"],
    &["메타", "meta", "facebook", "페이스북"],
    &["애플", "apple"],
    &["엔비디아", "nvidia"],
];

/// A company's key (see [`key`]) with the legal-form words that do not tell companies apart
/// dropped: `(주)`, `㈜`, `주식회사`, `Inc.`, `Co., Ltd.`.
fn company_key(name: &str) -> String {
    let nfc: String = name.nfc().collect::<String>().to_lowercase();
    let mut s = nfc
        .replace("(주)", " ")
        .replace('㈜', " ")
        .replace("주식회사", " ");
    for suffix in [
        " co., ltd.",
        " co.,ltd.",
        " co. ltd.",
        " ltd.",
        " ltd",
        " inc.",
        " inc",
    ] {
        if let Some(rest) = s.trim_end().strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    key(&s)
}

/// Company key → the key of the name it is an alias of.
static ALIASES: RwLock<Option<HashMap<String, String>>> = RwLock::new(None);

fn builtin_aliases() -> HashMap<String, String> {
    let mut map = HashMap::new();
    for group in KNOWN_COMPANIES {
        let canonical = company_key(group[0]);
        for name in group.iter() {
            map.insert(company_key(name), canonical.clone());
        }
    }
    map
}

/// Put the user's aliases (from `kb.yaml`'s `companies:`: a name and the other names it goes
/// by) over the ones kb ships with, for this process.
pub fn set_company_aliases(groups: &[(String, Vec<String>)]) {
    let mut map = builtin_aliases();
    for (name, others) in groups {
        let canonical = company_key(name);
        // The user's name may itself be one of kb's aliases (`Kakao: [카카오톡]`): the whole
        // group joins the user's name.
        let old = map.get(&canonical).cloned();
        if let Some(old) = old.filter(|o| *o != canonical) {
            for v in map.values_mut() {
                if *v == old {
                    *v = canonical.clone();
                }
            }
        }
        map.insert(canonical.clone(), canonical.clone());
        for other in others {
            map.insert(company_key(other), canonical.clone());
        }
    }
    *ALIASES.write().unwrap_or_else(|e| e.into_inner()) = Some(map);
}

/// The key every name of one company shares: its aliases resolved.
pub fn company_identity(name: &str) -> String {
    let k = company_key(name);
    let guard = ALIASES.read().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(map) => map.get(&k).cloned().unwrap_or(k),
        None => builtin_aliases().get(&k).cloned().unwrap_or(k),
    }
}

/// Whether `a` and `b` name one company: without case, spacing or legal-form words, and
/// through the aliases (`Kakao` = `카카오` = `kakao corp`).
pub fn same_company(a: &str, b: &str) -> bool {
    a == b || company_identity(a) == company_identity(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spacing_and_punctuation() {
        assert_eq!(key("Layer Norm"), key("layer-norm"));
        assert_eq!(key("추론 최적화"), key("추론최적화"));
        assert_ne!(key("TCP 흐름 제어"), key("TCP 혼잡 제어"));
    }

    #[test]
    fn romanised_hangul_meets_english() {
        assert_eq!(latin("카카오"), "kakao");
        assert_eq!(latin("쿠팡"), "kupang");
        assert_eq!(latin("Naver 2차"), "naver2cha");
    }

    #[test]
    fn suggestions_are_close_names_nearest_first() {
        let tags = ["pytorch", "python", "deep-learning", "os"];
        assert_eq!(suggest("pytroch", tags, 3), ["pytorch"]);
        assert_eq!(suggest("Deep Learning", tags, 3), ["deep-learning"]);
        assert!(suggest("kubernetes", tags, 3).is_empty());
        let projects = ["ocr-serving", "ctr-model", "rag-assistant"];
        assert_eq!(suggest("ocr-serivng", projects, 3), ["ocr-serving"]);
        assert_eq!(suggest("orc", projects, 3), ["ocr-serving"]);
        assert_eq!(suggest("rag-assitant", projects, 3), ["rag-assistant"]);
        // A part of the name is enough when it is not tiny.
        assert_eq!(suggest("serving", projects, 3), ["ocr-serving"]);
        let ids = ["dl-dropout", "dl-dropconnect", "os-deadlock"];
        assert_eq!(suggest("dl-droput", ids, 3)[0], "dl-dropout");
    }

    #[test]
    fn one_syllable_slips_in_korean_are_close_and_other_words_are_not() {
        let companies = ["카카오", "네이버", "쿠팡"];
        assert_eq!(suggest("카카오오", companies, 3), ["카카오"]);
        assert_eq!(suggest("네이바", companies, 3), ["네이버"]);
        assert_eq!(suggest("kakoa", companies, 3), ["카카오"]);
        assert!(suggest("토스", companies, 3).is_empty());
    }

    #[test]
    fn did_you_mean_reads_as_a_sentence() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(did_you_mean(&["a".into()]), "; did you mean a?");
        assert_eq!(
            did_you_mean(&["a".into(), "b".into(), "c".into()]),
            "; did you mean a, b or c?"
        );
    }

    #[test]
    fn companies_match_across_case_script_and_aliases() {
        set_company_aliases(&[("카카오".into(), vec!["kakao brain".into()])]);
        assert!(same_company("kakao", "카카오"));
        assert!(same_company("KAKAO", "Kakao Corp."));
        assert!(same_company("(주)카카오", "카카오"));
        assert!(same_company("Kakao Brain", "카카오"));
        assert!(same_company("naver", "네이버"));
        assert!(!same_company("카카오", "카카오뱅크"));
        assert!(!same_company("naver", "kakao"));
    }
}
