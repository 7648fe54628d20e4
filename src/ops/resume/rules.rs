//! The drafting rules (`templates/resume-rules.yaml`): what a résumé line contains (a figure, an
//! optimisation, data work, a named technology) and the questions an interviewer asks about it,
//! worded for the project and the line.

use std::path::Path;

use serde::Deserialize;

use crate::analysis::glossary::Glossary;
use crate::error::Problem;
use crate::yaml;

/// The rules file.
#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    /// Latin words never taken as a named method.
    #[serde(default)]
    pub ignore: Vec<String>,
    pub rules: Vec<Rule>,
}

/// One rule: when it matches, and what it drafts.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub key: String,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(rename = "match")]
    pub kind: Match,
    #[serde(default)]
    pub words: Vec<String>,
    /// How many words or terms of one line it drafts for.
    #[serde(default)]
    pub limit: Option<usize>,
    pub questions: Vec<Wording>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    Figures,
    Words,
    Terms,
    Project,
}

/// A question's wording in each language.
#[derive(Debug, Clone, Deserialize)]
pub struct Wording {
    pub key: String,
    /// The key of the project template's question that asks the same: when the project has it,
    /// this one is not drafted.
    #[serde(default)]
    pub same_as: Option<String>,
    /// A placeholder (`before`) whose value, when the line has it, makes this question
    /// pointless: "what was it before?" is not asked of `14초 → 5.8초`.
    #[serde(default)]
    pub unless: Option<String>,
    #[serde(default)]
    pub ko: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

impl Wording {
    fn text(&self, language: &str) -> Option<&str> {
        let (first, second) = if language == "en" {
            (&self.en, &self.ko)
        } else {
            (&self.ko, &self.en)
        };
        first.as_deref().or(second.as_deref())
    }
}

/// Parse the rules file.
pub fn parse(path: &Path, text: &str) -> Result<Rules, Problem> {
    let rules: Rules = serde_yaml::from_str(text).map_err(|e| yaml::problem(path, text, &e))?;
    for r in &rules.rules {
        let problem = if r.kind == Match::Words && r.words.is_empty() {
            Some("a `match: words` rule needs `words`")
        } else if r.questions.iter().any(|q| q.ko.is_none() && q.en.is_none()) {
            Some("each question needs `ko` or `en` wording")
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(Problem {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                message: format!("rule {}: {p}", r.key),
            });
        }
    }
    Ok(rules)
}

/// A change found in a line: `14초 → 5.8초`, `3%p 향상`, `40% 감소`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it measures (`p95 지연`), when the line says.
    pub metric: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The change as written (`14초 → 5.8초`, `40%`).
    pub change: String,
    /// Down (`Some(false)`), up (`Some(true)`), or not known.
    pub up: Option<bool>,
}

/// A number with its unit (`5.8초`, `300ms`, `3%p`, `2x`): its numeric value and its unit.
fn number(word: &str) -> Option<(f64, &str)> {
    let w = word.trim_matches(|c: char| "(),".contains(c));
    let end = w
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(w.len(), |(i, _)| i);
    let (n, unit) = w.split_at(end);
    if n.is_empty() || !n.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let value: f64 = n.replace(',', "").trim_end_matches('.').parse().ok()?;
    Some((value, unit))
}

/// A figure as written, without the brackets and particles around it (`0.2%로` → `0.2%`).
fn figure_word(word: &str) -> String {
    let w = word.trim_matches(|c: char| "(),.".contains(c));
    for p in [
        "으로", "로", "까지", "에서", "이", "가", "을", "를", "은", "는",
    ] {
        if let Some(s) = w.strip_suffix(p)
            && number(s).is_some()
        {
            return s.to_string();
        }
    }
    w.to_string()
}

/// Seconds in a unit of time, for comparing `1.2s` with `300ms`.
fn seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ms" => 0.001,
        "s" | "초" | "sec" => 1.0,
        "분" | "min" | "m" => 60.0,
        "시간" | "h" | "hr" => 3600.0,
        "일" | "d" => 86400.0,
        _ => return None,
    })
}

/// Whether `b` is more than `a` (in the same unit, or both times); `None` when they cannot be
/// compared.
fn compare(a: (f64, &str), b: (f64, &str)) -> Option<bool> {
    let (a, ua) = a;
    let (b, ub) = b;
    if ua == ub || ub.is_empty() || ua.is_empty() {
        return (a != b).then_some(b > a);
    }
    let (sa, sb) = (seconds(ua)?, seconds(ub)?);
    Some(b * sb > a * sa)
}

const DOWN: &[&str] = &[
    "감소", "단축", "절감", "줄", "낮", "하락", "축소", "reduc", "cut", "decreas", "lower",
    "fewer", "saved", "faster",
];
const UP: &[&str] = &[
    "향상", "증가", "상승", "높", "늘", "올", "improv", "increas", "boost", "rais", "grew",
];

/// Words that end the subject of a figure, looking back from it: what comes before them is how,
/// not what.
fn ends_subject(word: &str) -> bool {
    let w = word.trim_end_matches(',');
    word.ends_with(',')
        || ["으로", "에서", "하여", "해서", "통해", "하고", "위해", "후", "및", "뒤", "해", "하며"]
            .iter()
            .any(|s| w.ends_with(s))
        // A verb joined to what follows (`만들어`, `줄이고`, `바꿔서`); `언어`, `보고서` are nouns.
        || (w.chars().count() >= 3 && (w.ends_with('어') || w.ends_with('고')))
        || joined_verb(w)
        || (w.ends_with('로') && w.chars().count() > 1)
        || ["by", "from", "to", "with", "via", "using", "and", "the", "of", "in", "→", "->"]
            .contains(&w.to_lowercase().as_str())
}

/// `바꿔서`, `모아서`, `줄여서`: a verb ending in 어서/아서 (the syllable before 서 has the vowel
/// ㅏ ㅓ ㅕ ㅐ ㅘ ㅝ and no final consonant), not a noun in 서 (`보고서`, `계약서`).
fn joined_verb(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 || chars[chars.len() - 1] != '서' {
        return false;
    }
    let c = chars[chars.len() - 2];
    if !('가'..='힣').contains(&c) {
        return false;
    }
    let n = c as u32 - 0xAC00;
    let (vowel, last) = ((n / 28) % 21, n % 28);
    last == 0 && [0, 1, 4, 6, 9, 14].contains(&vowel)
}

const KO_PARTICLES: &[&str] = &["을", "를", "이", "가", "은", "는", "의"];

/// The subject of a figure at word `at`: up to three words before it, stopping at a cause
/// (`변환으로`) or a separator; a particle on the last word is dropped.
fn subject(words: &[&str], at: usize) -> Option<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut i = at;
    while i > 0 && taken.len() < 3 {
        i -= 1;
        let w = words[i];
        if number(w).is_some() || (!taken.is_empty() && ends_subject(w)) || ends_subject(w) {
            break;
        }
        let mut w = w.trim_matches(|c: char| "(),:".contains(c)).to_string();
        if taken.is_empty() {
            for p in KO_PARTICLES {
                if w.chars().count() > 2
                    && let Some(s) = w.strip_suffix(p)
                {
                    w = s.to_string();
                    break;
                }
            }
        }
        // A sentence's first word in English is its verb (Reduced p99 latency ...).
        let verb = i == 0
            && w.chars().all(|c| c.is_ascii_alphabetic())
            && (w.ends_with("ed") || ["Cut", "Built", "Made", "Led"].contains(&w.as_str()));
        if w.is_empty() || verb {
            break;
        }
        taken.insert(0, w);
    }
    (!taken.is_empty()).then(|| taken.join(" "))
}

fn direction(words: &[&str]) -> Option<bool> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let has = |list: &[&str]| lower.iter().any(|w| list.iter().any(|d| w.contains(d)));
    match (has(DOWN), has(UP)) {
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    }
}

/// The first change in `line`: an arrow between two figures (`14초 → 5.8초`, `A에서 B로`,
/// `from A to B`), or a relative one (`40%`, `3%p`, `2배`, `3x`).
pub fn figure(line: &str) -> Option<Figure> {
    let spaced = line
        .replace("→", " → ")
        .replace("->", " → ")
        .replace('~', " ~ ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    // A → B
    for (i, w) in words.iter().enumerate() {
        if *w != "→" || i == 0 || i + 1 >= words.len() {
            continue;
        }
        let before = figure_word(words[i - 1]);
        let after = figure_word(words[i + 1]);
        let (Some((a, ua)), Some((b, ub))) = (number(&before), number(&after)) else {
            continue;
        };
        let up = compare((a, ua), (b, ub)).or_else(|| direction(&words));
        return Some(Figure {
            metric: subject(&words, i - 1),
            change: format!("{before} → {after}"),
            before: Some(before),
            after: Some(after),
            up,
        });
    }
    // A에서 B로, from A to B
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let ko = w.strip_suffix("에서").filter(|a| number(a).is_some()).zip(
            next.strip_suffix("으로")
                .or(next.strip_suffix("로"))
                .filter(|b| number(b).is_some()),
        );
        let en = (w.eq_ignore_ascii_case("from") && number(next).is_some())
            .then(|| words.get(i + 2).filter(|t| t.eq_ignore_ascii_case("to")))
            .flatten()
            .and_then(|_| words.get(i + 3))
            .filter(|b| number(b).is_some())
            .map(|b| (next, *b));
        if let Some((before, after)) = ko.or(en) {
            let (before, after) = (figure_word(before), figure_word(after));
            let up = number(&before)
                .zip(number(&after))
                .and_then(|(a, b)| compare(a, b))
                .or_else(|| direction(&words));
            return Some(Figure {
                metric: subject(&words, i),
                change: format!("{before} → {after}"),
                before: Some(before),
                after: Some(after),
                up,
            });
        }
    }
    // 40%, 3%p, 2배, 3x, 절반
    for (i, w) in words.iter().enumerate() {
        if w.starts_with("절반")
            || w.eq_ignore_ascii_case("half")
            || w.eq_ignore_ascii_case("halved")
        {
            return Some(Figure {
                metric: subject(&words, i),
                before: None,
                after: None,
                change: "절반".into(),
                up: Some(false),
            });
        }
        let Some((_, unit)) = number(w) else { continue };
        let unit = unit.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '%');
        let relative = ["%", "%p", "배", "x", "％", "%P"].iter().any(|u| {
            unit == *u
                || unit.strip_prefix(u).is_some_and(|rest| {
                    KO_PARTICLES.contains(&rest) || rest == "만큼" || rest == "이상"
                })
        });
        if !relative {
            continue;
        }
        let change = w.trim_matches(|c: char| "(),.".contains(c)).to_string();
        let change = change
            .trim_end_matches(|c: char| KO_PARTICLES.iter().any(|p| p.starts_with(c)))
            .to_string();
        return Some(Figure {
            metric: subject(&words, i),
            before: None,
            after: None,
            change,
            up: direction(&words),
        });
    }
    None
}

/// Whether `word` is a Latin technical word: internal capitals or digits (TensorRT, gRPC,
/// FP16, PyTorch), all capitals (ONNX, ETL), or a capitalised word that is not the sentence's
/// first (Kafka, Redis, Airflow). Korean text around it counts as a sentence of its own.
fn latin_term(word: &str, first: bool) -> bool {
    let letters = word.chars().filter(char::is_ascii_alphabetic).count();
    if letters < 2
        || !word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-+.#".contains(c))
    {
        return false;
    }
    if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let upper_inside = word.chars().skip(1).any(|c| c.is_ascii_uppercase());
    let digit = word.chars().any(|c| c.is_ascii_digit());
    let capital = word.starts_with(|c: char| c.is_ascii_uppercase());
    upper_inside || (digit && capital) || (capital && !(first && verb_like(word)))
}

/// In a Korean line, a Latin word of three letters or more is a name even in lower case
/// (`redis`, `elasticsearch`): Korean is not written in Latin letters.
fn latin_in_korean(word: &str) -> bool {
    word.chars().filter(char::is_ascii_alphabetic).count() >= 3
        && word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-+.#".contains(c))
}

/// An English sentence's first word that is its verb (`Reduced`, `Led`, `Building`).
fn verb_like(word: &str) -> bool {
    word.ends_with("ed")
        || word.ends_with("ing")
        || [
            "Cut", "Built", "Made", "Led", "Ran", "Wrote", "Set", "Own", "Drove", "Grew",
        ]
        .contains(&word)
}

/// The words of a line, split where Hangul meets Latin (`Kafka를` → `Kafka`, `를`).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in line.split(|c: char| c.is_whitespace() || ",()[]/·:;\"'".contains(c)) {
        let mut cur = String::new();
        let mut latin = None;
        for c in w.chars() {
            let is_latin = c.is_ascii_alphanumeric() || "-+.#".contains(c);
            if latin.is_some_and(|l| l != is_latin) && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            latin = Some(is_latin);
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur.trim_end_matches('.').to_string());
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// The named methods and technologies in `line`, in order: Latin technical words, then glossary
/// terms written in Hangul, without `ignore`d ones.
pub fn terms(line: &str, glossary: &Glossary, ignore: &[String]) -> Vec<String> {
    let ignored = |t: &str| ignore.iter().any(|i| i.eq_ignore_ascii_case(t));
    let english = line.chars().filter(|c| ('가'..='힣').contains(c)).count() == 0;
    let mut found: Vec<String> = Vec::new();
    let ws = words(line);
    let mut i = 0;
    while i < ws.len() {
        let w = &ws[i];
        if (latin_term(w, english && i == 0) || (!english && latin_in_korean(w)))
            && number(w).is_none()
        {
            // (A capitalised first word of an English line counts unless it reads as a verb.)
            // `ONNX Runtime`, `Kafka Streams`, `Spring Batch`: one name.
            let mut name = w.clone();
            while let Some(next) = ws.get(i + 1)
                && next.starts_with(|c: char| c.is_ascii_uppercase())
                && next.chars().skip(1).all(|c| c.is_ascii_lowercase())
                && next.len() > 2
            {
                name = format!("{name} {next}");
                i += 1;
            }
            if !ignored(&name) {
                found.push(name);
            }
        }
        i += 1;
    }
    let (ws, spans) = glossary.spans(line);
    for (start, len, _) in spans {
        let joined = ws[start..start + len].join(" ");
        let mut term = joined.as_str();
        for p in [
            "으로", "에서", "로", "을", "를", "이", "가", "은", "는", "의", "와", "과", "에",
        ] {
            if let Some(t) = term.strip_suffix(p)
                && t.chars().count() >= 2
            {
                term = t;
                break;
            }
        }
        // Hangul-written terms only (the Latin ones are found above), of three syllables or more
        // (`모델`, `서버` name no method).
        let hangul = term.chars().all(|c| ('가'..='힣').contains(&c) || c == ' ');
        if hangul && term.chars().filter(|c| *c != ' ').count() >= 3 && !ignored(term) {
            found.push(term.to_string());
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|t| seen.insert(t.to_lowercase()));
    found
}

/// Whether `line` says `term` was replaced (`Elasticsearch에서 OpenSearch로 전환`, `기존 Hive 배치를
/// 대체`, `MySQL 대신`, `replaced Celery with …`, `migrated from Jenkins`): the question to ask is
/// why the new one, not why the old one was chosen. These are grammar words, not a list a person
/// tunes, so they live here rather than in the rules file.
pub fn replaced(line: &str, term: &str) -> bool {
    let lower = line.to_lowercase();
    let Some(at) = lower.find(&term.to_lowercase()) else {
        return false;
    };
    let before = &lower[..at];
    let after = lower[at + term.len()..].trim_start();
    const CHANGE: [&str; 12] = [
        "전환",
        "교체",
        "이관",
        "마이그레이션",
        "migration",
        "변경",
        "바꾸",
        "바꿔",
        "바꿈",
        "대체",
        "이전",
        "넘어",
    ];
    let changes = |s: &str| CHANGE.iter().any(|w| s.contains(w));
    // `X에서 Y로 전환`, `X → Y 전환`
    if (after.starts_with("에서") || after.starts_with('→') || after.starts_with("->"))
        && changes(after)
    {
        return true;
    }
    // `X 대신`; `X를 대체`, `X을 걷어내고` (with its object particle: a bare `X 교체` may name
    // the new one, as in `A → B 교체`).
    if after.starts_with("대신") {
        return true;
    }
    if let Some(object) = after
        .strip_prefix('을')
        .or_else(|| after.strip_prefix('를'))
        && ["대체", "대신", "교체", "걷어", "제거", "폐기"]
            .iter()
            .any(|w| object.trim_start().starts_with(w))
    {
        return true;
    }
    // `기존 X 기반 배치를 Y로 대체`: the old one is named after 기존.
    if before.trim_end().ends_with("기존") && changes(after) {
        return true;
    }
    // English.
    let before = before.trim_end();
    [
        "replaced",
        "replacing",
        "replace",
        "from",
        "instead of",
        "retired",
        "deprecated",
    ]
    .iter()
    .any(|w| before.ends_with(w))
        && (!before.ends_with("from")
            || ["migrat", "mov", "switch", "port", "transition"]
                .iter()
                .any(|w| before.contains(w)))
}

/// The rule's words found in `line` (case and spacing ignored), in the rule's order, each as the
/// line writes it when it can be found there.
pub fn words_in(line: &str, words: &[String]) -> Vec<String> {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let hay = squeeze(line);
    let mut found = Vec::new();
    for w in words {
        let needle = squeeze(w);
        if needle.is_empty() || !hay.contains(&needle) {
            continue;
        }
        // A word inside a longer Latin word (`cache` in `cached` is fine, `ONNX` in `ONNXRuntime`
        // too); but `async` is not in `asyncio`-free text, so nothing more to check.
        if found.iter().any(|f: &String| squeeze(f).contains(&needle)) {
            continue;
        }
        found.push(w.clone());
    }
    found
}

/// Whether `question` is about `about`: each of its words (or a glossary equivalent) is in it,
/// case and spacing ignored.
pub fn mentions(question: &str, about: &str, glossary: &Glossary) -> bool {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let hay = squeeze(question);
    let whole = std::iter::once(about).chain(glossary.equivalents(about));
    if whole.into_iter().any(|t| hay.contains(&squeeze(t))) {
        return true;
    }
    about.split_whitespace().all(|w| {
        std::iter::once(w)
            .chain(glossary.equivalents(w))
            .any(|t| hay.contains(&squeeze(t)))
    })
}

/// Whether the last sound of `word` has a final consonant (받침), and whether it is ㄹ; for Latin
/// letters and digits, as they are read in Korean.
fn final_consonant(word: &str) -> (bool, bool) {
    let Some(c) = word
        .trim_end_matches(|c: char| ")]'\"".contains(c))
        .chars()
        .last()
    else {
        return (false, false);
    };
    if ('가'..='힣').contains(&c) {
        let f = (c as u32 - 0xAC00) % 28;
        return (f != 0, f == 8);
    }
    if c.is_ascii_digit() {
        return match c {
            '0' | '3' | '6' => (true, false),
            '1' | '7' | '8' => (true, true),
            _ => (false, false),
        };
    }
    let whole_caps = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .all(|c| c.is_ascii_uppercase());
    match c.to_ascii_lowercase() {
        'l' => (true, true),
        'r' if whole_caps => (true, true),
        'm' | 'n' => (true, false),
        'g' if word.to_lowercase().ends_with("ng") => (true, false),
        _ => (false, false),
    }
}

/// The particle `p` (given in either form) for `word`: 을/를, 이/가, 은/는, 과/와, 으로/로.
pub fn particle(word: &str, p: &str) -> &'static str {
    let (batchim, rieul) = final_consonant(word);
    match p {
        "을" | "를" => {
            if batchim {
                "을"
            } else {
                "를"
            }
        }
        "이" | "가" => {
            if batchim {
                "이"
            } else {
                "가"
            }
        }
        "은" | "는" => {
            if batchim {
                "은"
            } else {
                "는"
            }
        }
        "과" | "와" => {
            if batchim {
                "과"
            } else {
                "와"
            }
        }
        "로" | "으로" => {
            if batchim && !rieul {
                "으로"
            } else {
                "로"
            }
        }
        _ => "",
    }
}

/// The values a wording may name.
#[derive(Debug, Default, Clone)]
pub struct Fill {
    pub project: String,
    pub term: Option<String>,
    pub figure: Option<Figure>,
}

impl Fill {
    fn metric(&self, language: &str) -> String {
        match self.figure.as_ref().and_then(|f| f.metric.clone()) {
            Some(m) => m,
            None if language == "en" => "that figure".into(),
            None => "그 수치".into(),
        }
    }

    /// `p95 지연을 14초에서 5.8초로 줄였다` / `cut p95 latency from 14s to 5.8s`.
    fn claim(&self, language: &str) -> String {
        let Some(f) = &self.figure else {
            return String::new();
        };
        let metric = self.metric(language);
        if language == "en" {
            let verb = match f.up {
                Some(true) => "raised",
                Some(false) => "cut",
                None => "improved",
            };
            return match (&f.before, &f.after) {
                (Some(b), Some(a)) => format!("took {metric} from {b} to {a}"),
                _ if f.change == "절반" => format!("halved {metric}"),
                _ => format!("{verb} {metric} by {}", f.change),
            };
        }
        let verb = match f.up {
            Some(true) => "높였다",
            Some(false) => "줄였다",
            None => "개선했다",
        };
        let obj = format!("{metric}{}", particle(&metric, "을"));
        match (&f.before, &f.after) {
            (Some(b), Some(a)) => format!("{obj} {b}에서 {a}{} {verb}", particle(a, "로")),
            _ if f.change == "절반" => format!("{obj} 절반으로 {verb}"),
            _ => format!("{obj} {} {verb}", f.change),
        }
    }

    /// `wording` with its placeholders filled; `None` when it names something this line lacks.
    pub fn render(&self, wording: &str, language: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = wording;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}')? + open;
            let inner = &rest[open + 1..close];
            let (name, p) = inner.split_once(':').unwrap_or((inner, ""));
            let f = self.figure.as_ref();
            let value = match name {
                "project" => Some(self.project.clone()),
                "term" => self.term.clone(),
                "metric" => f.map(|_| self.metric(language)),
                "before" => f.and_then(|f| f.before.clone()),
                "after" => f.and_then(|f| f.after.clone()),
                "change" => f.map(|f| f.change.clone()),
                "claim" => f.map(|_| self.claim(language)),
                _ => None,
            }?;
            out.push_str(&value);
            if !p.is_empty() {
                out.push_str(particle(&value, p));
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Some(crate::model::normalise_question(&out))
    }
}

/// One question drafted for a line (or, for `match: project`, the project).
#[derive(Debug, Clone, PartialEq)]
pub struct Drafted {
    /// `rule/question` (`metric/measured`).
    pub rule: String,
    pub question: String,
    pub tags: Vec<String>,
    /// What makes it this line's question: the term, or what the figure measures. A question
    /// already in the bank is the same only if it is about that too.
    pub about: Option<String>,
    /// The template question (by key) that asks the same.
    pub same_as: Option<String>,
}

/// The questions `rules` draft for one line. `used` holds the words and terms already drafted
/// for in this project (lower case); the ones drafted here are added.
pub fn draft_line(
    rules: &Rules,
    line: &str,
    project: &str,
    language: &str,
    glossary: &Glossary,
    used: &mut Vec<String>,
) -> Vec<Drafted> {
    let mut out = Vec::new();
    let mut taken_here: Vec<String> = Vec::new();
    let metric = figure(line)
        .and_then(|f| f.metric)
        .map(|m| m.to_lowercase());
    for rule in &rules.rules {
        let fills: Vec<Fill> = match rule.kind {
            Match::Project => continue,
            Match::Figures => figure(line)
                .map(|f| Fill {
                    project: project.to_string(),
                    term: None,
                    figure: Some(f),
                })
                .into_iter()
                .collect(),
            Match::Words | Match::Terms => {
                let found = if rule.kind == Match::Words {
                    words_in(line, &rule.words)
                } else {
                    terms(line, glossary, &rules.ignore)
                };
                let limit = rule.limit.unwrap_or(1);
                let mut fills = Vec::new();
                for t in found {
                    let k = t.to_lowercase();
                    let same_concept = |u: &String| {
                        let (a, b) = (glossary.concepts_of(u), glossary.concepts_of(&k));
                        a.zip(b)
                            .is_some_and(|(a, b)| a.iter().any(|c| b.contains(c)))
                    };
                    let overlaps = |u: &String| {
                        u == &k || u.contains(&k) || k.contains(u.as_str()) || same_concept(u)
                    };
                    // What the figure measures is not a method (`정확도`, `p95 지연`); nor is
                    // what the line says was replaced.
                    let measured = metric.as_deref().is_some_and(|m| m.contains(&k))
                        || (rule.kind == Match::Terms && replaced(line, &t));
                    if fills.len() >= limit
                        || measured
                        || used.contains(&k)
                        || taken_here.iter().any(overlaps)
                    {
                        continue;
                    }
                    used.push(k.clone());
                    taken_here.push(k);
                    fills.push(Fill {
                        project: project.to_string(),
                        term: Some(t),
                        figure: None,
                    });
                }
                fills
            }
        };
        for fill in fills {
            out.extend(draft_with(rule, &fill, language));
        }
    }
    out
}

/// The questions of the `match: project` rules for a project.
pub fn draft_project(rules: &Rules, project: &str, language: &str) -> Vec<Drafted> {
    let fill = Fill {
        project: project.to_string(),
        ..Fill::default()
    };
    rules
        .rules
        .iter()
        .filter(|r| r.kind == Match::Project)
        .flat_map(|r| draft_with(r, &fill, language))
        .collect()
}

fn draft_with(rule: &Rule, fill: &Fill, language: &str) -> Vec<Drafted> {
    rule.questions
        .iter()
        .filter_map(|w| {
            if let Some(name) = &w.unless
                && fill.render(&format!("{{{name}}}"), language).is_some()
            {
                return None;
            }
            let question = fill.render(w.text(language)?, language)?;
            let mut tags = vec!["project-tech".to_string()];
            tags.extend(rule.tag.clone());
            crate::model::normalise_tags(&mut tags);
            let wording = w.text(language)?;
            let about = if wording.contains("{term") {
                fill.term.clone()
            } else if ["{metric", "{claim", "{change"]
                .iter()
                .any(|p| wording.contains(p))
            {
                fill.figure.as_ref().and_then(|f| f.metric.clone())
            } else {
                None
            };
            Some(Drafted {
                rule: format!("{}/{}", rule.key, w.key),
                question,
                tags,
                about,
                same_as: w.same_as.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_with_their_subject_and_direction() {
        let f = figure("TensorRT FP16 변환으로 p95 지연 14초 → 5.8초 단축").unwrap();
        assert_eq!(f.metric.as_deref(), Some("p95 지연"));
        assert_eq!(
            (f.before.as_deref(), f.after.as_deref()),
            (Some("14초"), Some("5.8초"))
        );
        assert_eq!(f.up, Some(false));
        let f = figure("문자 인식 정확도 3%p 향상").unwrap();
        assert_eq!(f.metric.as_deref(), Some("문자 인식 정확도"));
        assert_eq!((f.change.as_str(), f.up), ("3%p", Some(true)));
        let f = figure("GPU 서빙 비용을 40% 절감").unwrap();
        assert_eq!(f.metric.as_deref(), Some("GPU 서빙 비용"));
        let f = figure("Reduced p99 latency from 1.2s to 300ms").unwrap();
        assert_eq!(f.metric.as_deref(), Some("p99 latency"));
        assert_eq!(f.after.as_deref(), Some("300ms"));
        assert!(figure("Kafka 기반 이벤트 파이프라인 설계").is_none());
        assert!(figure("2023년 3월 출시").is_none());
    }

    #[test]
    fn particles_follow_the_last_sound() {
        assert_eq!(particle("정확도", "을"), "를");
        assert_eq!(particle("p95 지연", "을"), "을");
        assert_eq!(particle("5.8초", "로"), "로");
        assert_eq!(particle("300ms", "로"), "로");
        assert_eq!(particle("Kafka", "을"), "를");
        assert_eq!(particle("FP16", "을"), "을");
        assert_eq!(particle("비용", "로"), "으로");
        assert_eq!(particle("1", "로"), "로");
    }

    #[test]
    fn a_replaced_technology_is_not_asked_why_it_was_chosen() {
        for (line, old, new) in [
            (
                "검색 엔진을 Solr에서 Vespa로 전환해 색인 시간 단축",
                "Solr",
                "Vespa",
            ),
            ("기존 Hive 배치를 Flink 스트리밍으로 대체", "Hive", "Flink"),
            ("RabbitMQ를 대체하는 NATS 도입", "RabbitMQ", "NATS"),
            ("MySQL 대신 DynamoDB 사용", "MySQL", "DynamoDB"),
            (
                "Replaced Celery with Temporal for long-running jobs",
                "Celery",
                "Temporal",
            ),
            (
                "Migrated CI from Jenkins to GitHub Actions",
                "Jenkins",
                "GitHub Actions",
            ),
            ("CatBoost → TabNet 교체 실험", "CatBoost", "TabNet"),
        ] {
            assert!(replaced(line, old), "{old} in {line}");
            assert!(!replaced(line, new), "{new} in {line}");
        }
        for (line, term) in [
            ("Kafka 기반 이벤트 파이프라인 구축", "Kafka"),
            ("Redis에서 세션을 관리", "Redis"),
            ("Spark로 일 10억 건 처리", "Spark"),
            ("Loaded data from Kafka into BigQuery", "Kafka"),
        ] {
            assert!(!replaced(line, term), "{term} in {line}");
        }
    }

    #[test]
    fn terms_are_technical_words_not_metrics_or_verbs() {
        let g = Glossary::shipped();
        let ignore = vec!["p95".to_string(), "API".to_string()];
        assert_eq!(
            terms("Kafka와 Flink로 API 이벤트 처리, p95 개선", &g, &ignore),
            ["Kafka", "Flink"]
        );
        assert_eq!(
            terms("Migrated billing to gRPC with Envoy", &g, &ignore),
            ["gRPC", "Envoy"]
        );
    }
}
