//! Whether two questions ask the same thing, the way a person would judge it.
//!
//! A question becomes a [`Print`]: a set of tokens that say what it is about.
//!
//! - Glossary terms become one token for their concept, so `과적합`, `오버피팅` and `overfitting`
//!   meet (`#과적합`).
//! - Every other word loses its particle and predicate ending ([`words`]): `최적화하셨어요` →
//!   `최적화`. Words that only make a sentence a question (`설명`, `아는 대로`, `뭐예요`) are dropped;
//!   everyday words that say the same thing share a token (`왜` = `이유` → `?why`, `써` = `사용` →
//!   `~use`); the rest is cut into Hangul bigrams and English stems, so spacing inside a
//!   compound hardly matters (`추론최적화` / `추론 최적화` differ by one bigram, `론최`, which is
//!   not counted against a text whose words run together to contain it).
//! - A question of several sentences (`TCP와 UDP의 차이는? 각각 언제 쓰나요?`) also keeps the
//!   tokens of each part, so a question asked about one part is recognised.
//!
//! Tokens are weighted by how rare they are: in a background collection shipped with kb (public
//! interview questions and notes, the sample bank: [`background`]) together with the user's own
//! bank. Weights from the bank alone mean nothing in a bank of four questions, and every bank
//! starts small.
//!
//! Two scores use the prints ([`incoming`] for a question as asked against one in the bank, and
//! [`same`] for two questions in the bank); docs/DUPLICATES.md has the measurements behind them.

pub mod background;
pub mod canon;
pub mod soft;
pub mod sound;
pub mod words;

use std::collections::{HashMap, HashSet};

use crate::analysis::analyzer::{self, Options};
use crate::analysis::glossary::Glossary;
use crate::model::Question;
use words::Role;

pub use background::Background;

/// Bumped whenever prints change: the shipped background must then be counted again
/// (`cargo run --example similar_background`; a test checks it).
pub const VERSION: u32 = 2;

/// What a question is about, as tokens (sorted, unique).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Print {
    /// Every token of the question.
    pub tokens: Vec<String>,
    /// The tokens of each sentence, when there are two or more.
    pub parts: Vec<Vec<String>>,
    /// Tokens that only come from a gloss in parentheses (`장기 의존성(Long-term Dependency)`):
    /// they count when the other question has them too, and are not held against it when not.
    optional: Vec<String>,
    /// A word of the question for each token, for explanations: (token, word), sorted.
    surface: Vec<(String, String)>,
}

/// The print of `text`, with the shipped glossary.
pub fn print(text: &str) -> Print {
    print_with(text, Glossary::shipped_ref())
}

/// The print of `text`; `glossary` may hold the knowledge base's own synonyms too.
pub fn print_with(text: &str, glossary: &Glossary) -> Print {
    // The shared copy when nothing was added to it: its look-up tables for typos are made once.
    let glossary = if glossary.is_extended() {
        glossary
    } else {
        Glossary::shipped_ref()
    };
    analyse(text, glossary, Some(background::shipped()))
}

/// The print of `text`. With a background, a long Hangul word it does not know is split into
/// words it does (`추론최적화` → `추론` `최적화`); without, words are taken as they are (which is
/// how the background itself is counted).
fn analyse(text: &str, glossary: &Glossary, known: Option<&Background>) -> Print {
    let sentences = split_sentences(text);
    let mut surface: Vec<(String, String)> = Vec::new();
    let mut glossed: Vec<String> = Vec::new();
    let mut plain: HashSet<String> = HashSet::new();
    let mut parts = Vec::new();
    let mut joined: Vec<String> = Vec::new();
    for s in &sentences {
        let (main, glosses) = split_glosses(s);
        let mut b = Builder {
            known,
            ..Builder::default()
        };
        b.add(&main, glossary);
        let mut g = Builder {
            known,
            ..Builder::default()
        };
        for gloss in &glosses {
            g.add(gloss, glossary);
        }
        let mut p: Vec<String> = b
            .tokens
            .iter()
            .chain(&g.tokens)
            .map(|(t, _)| t.clone())
            .collect();
        p.sort();
        p.dedup();
        if !p.is_empty() {
            parts.push(p);
        }
        joined.extend(b.joined.iter().chain(&g.joined).cloned());
        plain.extend(b.tokens.iter().map(|(t, _)| t.clone()));
        surface.extend(b.tokens);
        for (t, w) in g.tokens {
            glossed.push(t.clone());
            surface.push((t, w));
        }
    }
    surface.sort_by(|a, b| a.0.cmp(&b.0));
    surface.dedup_by(|a, b| a.0 == b.0);
    let tokens: Vec<String> = surface.iter().map(|(t, _)| t.clone()).collect();
    // A gloss token is optional unless the question also says it outside a gloss.
    let mut optional: Vec<String> = glossed.into_iter().filter(|t| !plain.contains(t)).collect();
    optional.extend(joined);
    optional.sort();
    optional.dedup();
    if parts.len() < 2 {
        parts.clear();
    }
    parts.dedup();
    Print {
        tokens,
        parts,
        optional,
        surface,
    }
}

/// A sentence without its glosses — a single term in parentheses (`(Curse of Dimensionality)`,
/// `(과적합)`) or a list of examples (`(INNER, LEFT, RIGHT)`) — and the glosses: their words are
/// optional, so a question that leaves them out still matches. A longer phrase in parentheses, or
/// one with a slash, is part of what is asked and stays in the sentence.
fn split_glosses(sentence: &str) -> (String, Vec<String>) {
    let mut main = String::with_capacity(sentence.len());
    let mut glosses = Vec::new();
    let mut rest = sentence;
    while let Some(open) = rest.find(['(', '（']) {
        let open_len = rest[open..].chars().next().map_or(1, char::len_utf8);
        let inner_start = open + open_len;
        let Some(close_rel) = rest[inner_start..].find([')', '）']) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + close_rel];
        let close_len = rest[inner_start + close_rel..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        main.push_str(&rest[..open]);
        // A list (`(FCFS, SJF, Round Robin 등)`) is a gloss however long; otherwise a gloss is
        // short and has no slash (`(읽기/쓰기 비율이 높을 때)` is part of the question).
        let list = inner.contains([',', '、', '，']);
        let short = !inner.contains('/') && inner.split_whitespace().count() <= 5;
        let is_gloss = (list || short) && !inner.trim().is_empty();
        if is_gloss {
            glosses.push(inner.to_string());
            main.push(' ');
        } else {
            main.push(' ');
            main.push_str(inner);
            main.push(' ');
        }
        rest = &rest[inner_start + close_rel + close_len..];
    }
    main.push_str(rest);
    (main, glosses)
}

impl Print {
    /// The print as one string, for the search index (its words for explanations are not kept:
    /// [`Print::from_stored`] gives a print without them).
    pub fn to_stored(&self) -> String {
        let join = |ts: &[String]| ts.join("\u{1f}");
        let parts: Vec<String> = self.parts.iter().map(|p| join(p)).collect();
        format!(
            "{}\u{1d}{}\u{1d}{}",
            join(&self.tokens),
            parts.join("\u{1e}"),
            join(&self.optional)
        )
    }

    /// The print [`Print::to_stored`] wrote.
    pub fn from_stored(s: &str) -> Print {
        let list = |x: &str| -> Vec<String> {
            x.split('\u{1f}')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        };
        let mut sections = s.split('\u{1d}');
        let tokens = list(sections.next().unwrap_or(""));
        let parts = sections
            .next()
            .unwrap_or("")
            .split('\u{1e}')
            .map(list)
            .filter(|p| !p.is_empty())
            .collect();
        let optional = list(sections.next().unwrap_or(""));
        Print {
            tokens,
            parts,
            optional,
            surface: Vec::new(),
        }
    }

    /// The word of the question behind `token`.
    pub fn word(&self, token: &str) -> Option<&str> {
        self.surface
            .binary_search_by(|(t, _)| t.as_str().cmp(token))
            .ok()
            .map(|i| self.surface[i].1.as_str())
    }

    /// This print without `tokens` (a project's name, for comparing its questions with each
    /// other's without it).
    pub fn without(&self, tokens: &[String]) -> Print {
        let keep = |t: &String| !tokens.contains(t);
        let mut parts: Vec<Vec<String>> = self
            .parts
            .iter()
            .map(|p| p.iter().filter(|t| keep(t)).cloned().collect())
            .filter(|p: &Vec<String>| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            parts.clear();
        }
        Print {
            tokens: self.tokens.iter().filter(|t| keep(t)).cloned().collect(),
            parts,
            optional: self.optional.iter().filter(|t| keep(t)).cloned().collect(),
            surface: self
                .surface
                .iter()
                .filter(|(t, _)| keep(t))
                .cloned()
                .collect(),
        }
    }

    /// The sentences that say enough of the question to stand for it: a follow-up such as
    /// `수식으로도 표현해주세요` or `예를 들어 주세요` is not a question of its own.
    fn telling_parts<'p>(&'p self, w: &impl Weigh) -> impl Iterator<Item = &'p Vec<String>> {
        let weight = |ts: &[String]| -> f32 { ts.iter().map(|t| w.weight(t)).sum() };
        let whole = weight(&self.tokens);
        // A sentence stands for the question when it names a subject (a glossary term, or a
        // rare word), or holds enough of the question's weight.
        let telling: Vec<bool> = self
            .parts
            .iter()
            .map(|p| {
                p.iter()
                    .any(|t| t.starts_with('#') || w.weight(t) >= SUBJECT_IDF)
                    || weight(p) >= PART_SHARE * whole
            })
            .collect();
        self.parts
            .iter()
            .zip(telling)
            .filter(|(_, t)| *t)
            .map(|(p, _)| p)
    }

    /// Add `token` to the question and to each of its sentences.
    fn add(&mut self, token: &str) {
        for list in std::iter::once(&mut self.tokens).chain(self.parts.iter_mut()) {
            if let Err(i) = list.binary_search_by(|t| t.as_str().cmp(token)) {
                list.insert(i, token.to_string());
            }
        }
    }

    /// Whether `token` of this print only comes from a gloss.
    fn is_optional(&self, token: &str) -> bool {
        self.optional
            .binary_search_by(|t| t.as_str().cmp(token))
            .is_ok()
    }
}

/// The share of a question's weight a sentence must hold to be compared on its own, unless it
/// names a subject.
pub const PART_SHARE: f32 = 0.35;

/// A word this rare (IDF; about 30 of the background's 12,700 documents) names a subject.
pub const SUBJECT_IDF: f32 = 6.0;

/// Sentences of a question: split after `?`, `.`, `!` and line breaks, and after a clause that
/// ends in a joining ending before a comma (`무엇이고,` `필요하며,`). A comma inside a list
/// (`Sigmoid, ReLU, GELU`) does not split.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_is_space = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
        let split = match c {
            '?' | '!' | '\n' | '？' => true,
            '.' | '。' => next_is_space,
            ',' | '，' => {
                let before = text[start..i].trim_end();
                let last = before.split_whitespace().last().unwrap_or("");
                ["고", "며", "면서", "는데", "은데", "인데", "지만"]
                    .iter()
                    .any(|e| last.ends_with(e) && last.chars().count() > e.chars().count())
            }
            _ => false,
        };
        if split {
            let end = i + c.len_utf8();
            if !text[start..i].trim().is_empty() {
                out.push(&text[start..i]);
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// Collects the tokens of one sentence.
#[derive(Default)]
struct Builder<'b> {
    /// (token, the word it came from).
    tokens: Vec<(String, String)>,
    /// Words known to the background, for splitting compounds.
    known: Option<&'b Background>,
    /// Words joined by hyphens or slashes (`at-least-once`, `trade-off`) whose parts are
    /// tokens too: the whole counts where the other question writes it so, and is not missed
    /// where it writes the parts apart (`at least once`, `trade off`).
    joined: Vec<String>,
}

/// A word (or a part of a compound word) after the word lists have had their say, waiting for
/// the glossary.
struct Unit<'t> {
    /// The form looked up: a Hangul stem, a Latin word lower-cased.
    text: String,
    /// The form when the unit starts a longer glossary term (`차원의` in `차원의 저주에`: only the
    /// last word of a term loses its particle).
    raw: String,
    /// The word of the question it came from, for explanations.
    written: &'t str,
    hangul: bool,
    /// What the word is on its own: frame and group words may still be part of a longer
    /// glossary term (`learning` in `transfer learning`, `of` in `curse of dimensionality`).
    role: Role,
}

impl Builder<'_> {
    fn add(&mut self, sentence: &str, glossary: &Glossary) {
        let words = split_words(sentence);
        // First the word lists' phrases, over the words as written: they may be made of frame
        // words (`하게 된 거예요` is `~start`, `아는 대로` nothing).
        let mut units: Vec<Unit> = Vec::new();
        let stems: Vec<String> = words
            .iter()
            .map(|w| {
                if w.chars().all(words::is_hangul) {
                    words::stem(w)
                } else {
                    w.to_lowercase()
                }
            })
            .collect();
        let mut i = 0;
        while i < words.len() {
            if let Some((len, role)) = phrase_at(&words[i..], &stems[i..]) {
                if let Role::Group(g) = role {
                    self.push(g.clone(), &words[i..i + len].join(" "));
                }
                i += len;
                continue;
            }
            let w = words[i];
            i += 1;
            if w.chars().all(words::is_hangul) {
                match words::hangul_role(w) {
                    Role::Content(_) => {
                        let parts = self.content_parts(w, glossary);
                        let whole = parts.len() == 1;
                        for part in parts {
                            units.push(Unit {
                                raw: if whole { w.to_string() } else { part.clone() },
                                // A part may be a word of the lists (`차이머예요` → `차이`).
                                role: words::lookup(&part)
                                    .cloned()
                                    .unwrap_or_else(|| Role::Content(part.clone())),
                                text: part,
                                written: w,
                                hangul: true,
                            });
                        }
                    }
                    role => units.push(Unit {
                        raw: w.to_string(),
                        text: words::stem(w),
                        written: w,
                        hangul: true,
                        role,
                    }),
                }
            } else {
                let lower = w.to_lowercase();
                // An English word with a Korean particle glued on is a term being talked about
                // (`is와 ==의 차이`), even when it is a word that usually only frames a sentence.
                let glued = words_glued(&words, i - 1);
                let role = match words::lookup(&lower) {
                    Some(Role::Frame) if glued => Role::Content(lower.clone()),
                    Some(r) => r.clone(),
                    None => Role::Content(lower.clone()),
                };
                units.push(Unit {
                    raw: lower.clone(),
                    text: lower,
                    written: w,
                    hangul: false,
                    role,
                });
            }
        }
        // `X 말고 Y`, `X 대신 Y`, `X 안 쓰고 Y`: the question is about Y; X is only what it
        // is not.
        let mut k = 0;
        while k < units.len() {
            let not_used = units[k].written == "안"
                && units.get(k + 1).is_some_and(|u| {
                    u.written.starts_with(['쓰', '써']) && u.written.ends_with('고')
                });
            if (matches!(units[k].written, "말고" | "대신") || not_used) && k > 0 {
                units.remove(k - 1);
                k -= 1;
            }
            k += 1;
        }
        // Then glossary terms of up to four units, longest first (`bias variance 트레이드 오프`).
        let mut i = 0;
        'units: while i < units.len() {
            for len in (1..=4).rev() {
                if i + len > units.len() {
                    continue;
                }
                let run = &units[i..i + len];
                // A lone word of the word lists is what the lists say (`장점` is `~good`, not the
                // glossary's 장점); a longer term may hold such words (`transfer learning`, `이상
                // 탐지`) but does not start or end with a word that only frames the sentence.
                let frame = |u: &Unit| matches!(u.role, Role::Frame);
                if (len == 1 && !matches!(run[0].role, Role::Content(_)))
                    || frame(&run[0])
                    || frame(&run[len - 1])
                {
                    continue;
                }
                let stems: Vec<&str> = run.iter().map(|u| u.text.as_str()).collect();
                let raw_then_stem: Vec<&str> = run[..len - 1]
                    .iter()
                    .map(|u| u.raw.as_str())
                    .chain(std::iter::once(run[len - 1].text.as_str()))
                    .collect();
                let raw: Vec<&str> = run.iter().map(|u| u.raw.as_str()).collect();
                // Glossary keys have no spaces: the units run together are looked up as they are.
                let stems = stems.concat();
                let raw_then_stem = raw_then_stem.concat();
                let raw = raw.concat();
                let mut concepts: Vec<usize> = glossary
                    .concepts_of(&stems)
                    .or_else(|| {
                        (raw_then_stem != stems)
                            .then(|| glossary.concepts_of(&raw_then_stem))
                            .flatten()
                    })
                    .or_else(|| {
                        (raw != raw_then_stem)
                            .then(|| glossary.concepts_of(&raw))
                            .flatten()
                    })
                    .or_else(|| {
                        // A one-syllable last word with its particle (`시스템 콜은`, `해시 맵을`):
                        // the stem keeps the particle, as one syllable alone is no word.
                        let last = &run[len - 1];
                        if len < 2 || !last.hangul {
                            return None;
                        }
                        let head: String = run[..len - 1].iter().map(|u| u.raw.as_str()).collect();
                        words::particle_forms_keeping(&last.raw, 1)
                            .into_iter()
                            .filter(|f| f.chars().count() == 1)
                            .find_map(|f| glossary.concepts_of(&format!("{head}{f}")))
                    })
                    .map(<[usize]>::to_vec)
                    .unwrap_or_default();
                // Letters spelt out in Hangul (`엔디씨지`, `디비`) that the glossary knows.
                if concepts.is_empty() && len == 1 && run[0].hangul {
                    for letters in spelled(&run[0].text, run[0].written) {
                        if let Some(cs) = glossary.concepts_of(&letters) {
                            concepts.extend_from_slice(cs);
                            break;
                        }
                    }
                }
                // Not over four words: a term of four is only looked up as typed
                // (`bias variance 트레이드 오프`); heard or mistyped, four words run together
                // were chance (`다 보내서 더 이상` heard as *type hint*), and cost every print.
                if concepts.is_empty() && len <= 3 && run.iter().all(|u| u.hangul) {
                    concepts.extend(glossary.concept_near(&stems));
                    // A word of the run that is a term on its own is part of a term heard as
                    // English only when that term says it too (`디시전` + `트리` is `decision
                    // tree`, which says `tree`; `분류` + `크로스엔트로피` sounds like `binary
                    // cross entropy`, which does not say `classification`).
                    // Only words of their own are heard together: `크기는 어떻게 계산하나요`
                    // holds `어떻게`, and is no loanword.
                    if concepts.is_empty()
                        && run.iter().all(|u| matches!(u.role, Role::Content(_)))
                        && let Some(c) = concept_by_sound(glossary, &stems, len)
                        && (len == 1
                            || run
                                .iter()
                                .all(|u| term_says(glossary, c, glossary.concepts_of(&u.text))))
                    {
                        concepts.push(c);
                    }
                }
                if concepts.is_empty() {
                    continue;
                }
                let mut written: Vec<&str> = run.iter().map(|u| u.written).collect();
                written.dedup();
                let written = written.join(" ");
                for c in concepts {
                    self.push(format!("#{}", glossary.name(c)), &written);
                }
                i += len;
                continue 'units;
            }
            // Two terms sharing their last word (`Vanishing / Exploding Gradient`, `L1 / L2
            // 정규화`): the first with the shared word is a term too.
            if i + 2 < units.len() && matches!(units[i].role, Role::Content(_)) {
                let key = format!("{}{}", units[i].text, units[i + 2].text);
                if let Some(concepts) = glossary.concepts_of(&key) {
                    let written = format!("{} {}", units[i].written, units[i + 2].written);
                    for c in concepts.iter().copied() {
                        self.push(format!("#{}", glossary.name(c)), &written);
                    }
                    i += 1;
                    continue 'units;
                }
            }
            let u = &units[i];
            i += 1;
            match &u.role {
                Role::Frame => continue,
                Role::Group(g) => {
                    let (g, written) = (g.clone(), u.written.to_string());
                    self.push(g, &written);
                    continue;
                }
                Role::Content(_) => {}
            }
            if u.hangul {
                let (token, written) = (u.text.clone(), u.written.to_string());
                self.push(token, &written);
                continue;
            }
            let written = u.written.to_string();
            if !u.written.chars().any(char::is_alphanumeric) {
                self.push(u.written.to_string(), &written); // an operator: `==`
                continue;
            }
            // A frame word kept as a term (glued to a particle) keeps its tokens.
            let kept_term = matches!(words::lookup(&u.text), Some(Role::Frame));
            let terms = analyzer::terms(u.written, Options::SHIPPED);
            if terms.len() > 1 {
                let joined = terms
                    .iter()
                    .filter(|t| t.contains(['-', '/']))
                    .cloned()
                    .collect::<Vec<_>>();
                self.joined.extend(joined);
            }
            for t in terms {
                if kept_term {
                    self.push(t, &written);
                    continue;
                }
                match words::lookup(&t) {
                    Some(Role::Frame) => {}
                    Some(Role::Group(g)) => self.push(g.clone(), &written),
                    _ => self.push(t, &written),
                }
            }
        }
    }

    /// The word or words a Hangul content word stands for: its most stripped form that is a
    /// known word; else the least stripped form that splits wholly into known words
    /// (`추론속도` → `추론` `속도`, not `추론속` for a particle `도`); else its stem, split as far
    /// as it goes.
    fn content_parts(&self, word: &str, glossary: &Glossary) -> Vec<String> {
        let mut forms = words::stems(word);
        // `장단점` (pros and cons) asks for both: `장점` and `단점`, as `장점과 단점은` says.
        if forms.iter().any(|f| f == "장단점" || f == "장단") {
            return vec!["장점".to_string(), "단점".to_string()];
        }
        // A verb whose describing ending is fused into its last syllable (`떨어진`, `만든`): the
        // syllable without its final ㄴ/ㄹ, when that makes a known word.
        if let Some(last) = forms.last().cloned()
            && let Some(bare) = words::without_final_n_or_l(&last)
            && !self.knows(&last, glossary)
            && self.knows(&bare, glossary)
        {
            forms.push(bare);
        }
        if let Some(f) = forms.iter().rev().find(|f| self.knows(f, glossary)) {
            return vec![f.clone()];
        }
        if let Some(f) = words::particle_forms(word)
            .into_iter()
            .find(|f| self.knows(f, glossary))
        {
            return vec![f];
        }
        // `차이뭐예요`: "what" typed onto the word before it, spaces forgotten.
        for f in &forms {
            if let Some(rest) = f.strip_suffix(['뭐', '머', '뭔'])
                && rest.chars().count() >= 2
                && self.knows(rest, glossary)
            {
                return vec![rest.to_string()];
            }
        }
        // `방지법`, `해결법`, `측정법`: a word of the word lists with `법` (a way of doing it)
        // glued on is that word and `방법`. Not for other words: `계획법` is part of `동적
        // 계획법`, and `문법`, `용법`, `기법` are words of their own.
        for f in &forms {
            if let Some(rest) = f.strip_suffix('법')
                && rest.chars().count() >= 2
                && !self.knows(f, glossary)
                && matches!(words::lookup(rest), Some(Role::Group(_)))
            {
                return vec![rest.to_string(), "방법".to_string()];
            }
        }
        if self.known.is_some() {
            for f in &forms {
                if let Some(parts) = self.split_known(f, glossary) {
                    return parts;
                }
            }
        }
        let last = forms.last().cloned().unwrap_or_else(|| word.to_string());
        match self.known {
            Some(_) => self.segment(&last, glossary),
            None => vec![last],
        }
    }

    /// `word` split into two or more known words, if it can be.
    fn split_known(&self, word: &str, glossary: &Glossary) -> Option<Vec<String>> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 4 {
            return None;
        }
        for cut in (2..=chars.len() - 2).rev() {
            let head: String = chars[..cut].iter().collect();
            if !self.knows(&head, glossary) {
                continue;
            }
            let tail: String = chars[cut..].iter().collect();
            if self.knows(&tail, glossary) {
                return Some(vec![head, tail]);
            }
            if let Some(rest) = self.split_known(&tail, glossary) {
                let mut out = vec![head];
                out.extend(rest);
                return Some(out);
            }
        }
        None
    }

    /// Whether `word` is a word on its own: in the word lists, the glossary, or the background.
    fn knows(&self, word: &str, glossary: &Glossary) -> bool {
        words::lookup(word).is_some()
            || glossary.concepts_of(word).is_some()
            || self.known.is_some_and(|b| b.df(word) >= background::MIN_DF)
    }

    /// A long stem the background does not know, split into words it does
    /// ([`Builder::split_known`]), or else after a glossary term that starts it
    /// (`크로스엔트로피로스` → `크로스엔트로피` `로스`). Without a background (counting it), stems stay
    /// whole.
    fn segment(&self, stem: &str, glossary: &Glossary) -> Vec<String> {
        let chars: Vec<char> = stem.chars().collect();
        if self.known.is_none() || chars.len() < 4 || self.knows(stem, glossary) {
            return vec![stem.to_string()];
        }
        if let Some(parts) = self.split_known(stem, glossary) {
            return parts;
        }
        for cut in (2..=chars.len() - 2).rev() {
            let head: String = chars[..cut].iter().collect();
            if glossary.concepts_of(&head).is_some() {
                return vec![head, chars[cut..].iter().collect()];
            }
        }
        vec![stem.to_string()]
    }

    fn push(&mut self, token: String, word: &str) {
        self.tokens.push((token, word.to_string()));
    }
}

/// The one concept whose English term `hangul` (Hangul words run together) sounds like
/// (`컨트라스티브러닝` / `contrastive learning`, `디시전트리` / `decision tree`): a term typed in
/// Hangul letters that the glossary lists only in English.
fn concept_by_sound(glossary: &Glossary, hangul: &str, words: usize) -> Option<usize> {
    // Three or four consonants are shared by chance far too often (`모든` / `median`, `때문` /
    // `daemon`); five or more, across the background's words, were all loanwords.
    // Words run together need one more (`원스테이지 투스테이지` has the five of `one-sided
    // test`; `디시전 트리` has six).
    let least = if words > 1 { 6 } else { 5 };
    let skeleton = sound::hangul(hangul).filter(|s| s.len() >= least)?;
    let syllables = hangul.chars().count();
    let table = glossary.by_sound(|g| {
        let mut table: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (c, terms) in g.concepts() {
            // Letters read one by one (`NDCG`, `CAP theorem`) are not written as a word.
            let spelt = |t: &str| {
                t.split_whitespace()
                    .any(|w| w.len() > 1 && !w.chars().any(|c| c.is_ascii_lowercase()))
            };
            for t in terms.iter().filter(|t| !spelt(t)) {
                let groups = sound::vowel_groups(t);
                for sk in sound::english_term(t).into_iter().filter(|s| s.len() >= 5) {
                    let entry = table.entry(sk).or_default();
                    if !entry.iter().any(|&(d, _)| d == c) {
                        entry.push((c, groups));
                    }
                }
            }
        }
        table
    });
    // Every vowel sound of the English takes a syllable in Hangul (`temperature` is not
    // `템플릿`), and a consonant cluster adds one at most per sound (`contrastive learning`, five
    // vowel sounds, is eight syllables): `원스테이지 투스테이지`, ten syllables, is not `one
    // tailed test`, four sounds.
    let mut found = table
        .get(&skeleton)?
        .iter()
        .filter(|&&(_, groups)| syllables >= groups && syllables <= 2 * groups + 1)
        .map(|&(c, _)| c);
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The Latin letters a Hangul word spells out ([`sound::spelled_letters`]), read from its stem,
/// from the word as written less its particle, and from the word as written: the endings table
/// may take letters off (`엔디씨지로` → `엔디씨`).
fn spelled(stem: &str, written: &str) -> Vec<String> {
    let chars: Vec<char> = written.chars().collect();
    let unglued: String = crate::analysis::analyzer::strip_particle(&chars)
        .iter()
        .collect();
    [stem, unglued.as_str(), written]
        .into_iter()
        .flat_map(sound::spelled_letters)
        .collect()
}

/// Whether concept `c`'s terms say, as one of their words, a term of one of `own` (the concepts
/// a word is on its own); true when the word is no term (`own` is `None`).
fn term_says(glossary: &Glossary, c: usize, own: Option<&[usize]>) -> bool {
    let Some(own) = own else {
        return true;
    };
    let words: HashSet<String> = glossary
        .terms(c)
        .iter()
        .flat_map(|t| t.split_whitespace().map(str::to_lowercase))
        .collect();
    own.iter()
        .flat_map(|o| glossary.terms(*o))
        .any(|t| words.contains(&t.to_lowercase()))
}

/// Whether word `i` of `words` (slices of one sentence) has a Korean particle right after it,
/// with no space: `is와`, `Dropout은`.
fn words_glued(words: &[&str], i: usize) -> bool {
    let (Some(w), Some(next)) = (words.get(i), words.get(i + 1)) else {
        return false;
    };
    let end = w.as_ptr() as usize + w.len();
    end == next.as_ptr() as usize
        && next.chars().all(words::is_hangul)
        && (words::is_particle(next) || words::stem(next).is_empty())
}

/// The longest phrase of the word lists (two words or more) at the start of `words`: as
/// written, or as stems when no word of it is only an ending. `stems` holds each word's stem.
fn phrase_at(words: &[&str], stems: &[String]) -> Option<(usize, &'static Role)> {
    // Most words start no phrase: one look-up says so.
    if !words::starts_phrase(words[0]) && !words::starts_phrase(&stems[0]) {
        return None;
    }
    for len in (2..=words::longest_entry().min(words.len())).rev() {
        if let Some(r) = words::lookup(&words[..len].concat()) {
            return Some((len, r));
        }
        let run = &stems[..len];
        if run.iter().all(|s| !s.is_empty())
            && let Some(r) = words::lookup(&run.concat())
        {
            return Some((len, r));
        }
    }
    None
}

/// Words of a sentence: split at whitespace and punctuation, and where Hangul meets another
/// script (`Semaphore의차이는` is two words). Joiners inside a technical word stay (`p-value`,
/// `TCP/IP`, `C++`, `node.js`).
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start: Option<usize> = None;
    let mut last_hangul = false;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let hangul = words::is_hangul(c);
        let joiner = matches!(c, '-' | '/' | '.' | '_' | '+' | '#')
            && start.is_some()
            && !last_hangul
            && chars
                .get(k + 1)
                .is_some_and(|(_, n)| n.is_alphanumeric() || matches!(n, '+' | '#'))
            || matches!(c, '+' | '#') && start.is_some() && !last_hangul;
        let word_char = c.is_alphanumeric() || joiner;
        if !word_char {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
            // An operator of two symbols or more standing alone (`==`, `!=`, `->`, `::`) is a
            // word: `is랑 ==의 차이` asks about it.
            let operator = |x: char| "=!<>&|+-*/%^~:".contains(x);
            let at_start = k == 0 || !operator(chars[k - 1].1);
            if operator(c) && at_start {
                let len = chars[k..].iter().take_while(|(_, x)| operator(*x)).count();
                if len >= 2 {
                    let end = chars.get(k + len).map_or(text.len(), |(o, _)| *o);
                    words.push(&text[i..end]);
                }
            }
            continue;
        }
        if let Some(s) = start
            && hangul != last_hangul
        {
            words.push(&text[s..i]);
            start = Some(i);
            // `Semaphore의차이는`: a particle glued between an English word and the next Korean
            // word, spaces forgotten, is a word of its own.
            let run: Vec<char> = text[i..]
                .chars()
                .take_while(|c| words::is_hangul(*c))
                .collect();
            // Not after a number: `4가지와` is a count (`가지`), not `4` + `가`.
            let after_letter = text[s..i].chars().last().is_some_and(|c| c.is_alphabetic());
            if hangul
                && after_letter
                && run.len() >= 3
                && matches!(
                    run[0],
                    '의' | '는' | '은' | '을' | '를' | '와' | '과' | '랑' | '이' | '가'
                )
                && words::is_particle(&run[0].to_string())
            {
                let end = i + run[0].len_utf8();
                words.push(&text[i..end]);
                start = Some(end);
            }
        }
        if start.is_none() {
            start = Some(i);
        }
        last_hangul = hangul;
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    // `몇명이었고`, `몇번`, `몇가지`: 몇 glued to its counter, as people type it, is two words, as
    // `몇 명이었고` is.
    words
        .into_iter()
        .flat_map(|w| match w.strip_prefix('몇') {
            Some(rest) if rest.starts_with(COUNTERS) => vec![&w[..'몇'.len_utf8()], rest],
            _ => vec![w],
        })
        .collect()
}

/// Counters that follow 몇 (`몇 명`, `몇 번`, `몇 가지`).
const COUNTERS: [char; 12] = [
    '명', '개', '번', '가', '년', '달', '시', '분', '초', '배', '층', '퍼',
];

/// How much a token counts.
pub trait Weigh {
    fn weight(&self, token: &str) -> f32;
}

/// BM25's IDF for a token in `df` of `n` documents.
pub fn idf(n: usize, df: usize) -> f32 {
    (1.0 + (n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
}

/// Weights from the shipped background and a bank's own document frequencies.
pub struct Weights<'a, F: Fn(&str) -> usize> {
    background: &'a Background,
    /// The bank's document frequency of a token.
    bank_df: F,
    bank_docs: usize,
}

impl<'a, F: Fn(&str) -> usize> Weights<'a, F> {
    pub fn new(background: &'a Background, bank_docs: usize, bank_df: F) -> Weights<'a, F> {
        Weights {
            background,
            bank_df,
            bank_docs,
        }
    }
}

impl<F: Fn(&str) -> usize> Weigh for Weights<'_, F> {
    fn weight(&self, token: &str) -> f32 {
        let n = self.background.docs() + self.bank_docs;
        let df = self.background.df(token) + (self.bank_df)(token);
        let w = idf(n, df);
        if token == PROJECT_TOKEN {
            // Two questions of one project share it; it counts like an ordinary word.
            ASPECT_WEIGHT
        } else if token.starts_with(['?', '~']) {
            // What is asked about a subject — why, how, its drawbacks, its kinds — is as
            // common as words get, yet `GAN 설명` and `GAN의 단점` are two questions: these
            // tokens weigh at least as much as an ordinary word.
            w.max(ASPECT_WEIGHT)
        } else if token.starts_with('#') {
            // A technical term is what a question is about: `LFU` against `LRU` is another
            // question whatever else they share.
            w * SUBJECT_WEIGHT
        } else {
            w
        }
    }
}

/// Weights from the shipped background alone (a bank of nothing).
pub fn background_weights() -> Weights<'static, fn(&str) -> usize> {
    Weights::new(background::shipped(), 0, |_| 0)
}

/// The least weight of an intent or group token (`?why`, `~bad`): about an ordinary word's.
pub const ASPECT_WEIGHT: f32 = 4.0;

/// How much a technical term (a glossary concept, an English word) counts next to its IDF.
pub const SUBJECT_WEIGHT: f32 = 1.0;

/// How much more the incoming score values covering the asked question than covering the bank
/// question (the β of an F-score): an interviewer's question is short and leaves out what the
/// bank spells out (the project's name, "and what did you try").
pub const INCOMING_BETA: f32 = 2.0;

/// What two prints share and do not, weighted.
#[derive(Debug, Clone, Default)]
struct Overlap {
    /// Shared tokens' weight, with the credit of [`soft`] pairs.
    shared: f32,
    /// Tokens of the first and of the second print that [`soft::related`] paired.
    soft: soft::Paired,
    /// Weight of the first print's tokens that count (shared or not).
    a: f32,
    b: f32,
}

impl Overlap {
    /// With `soft`, tokens that are not shared but [`soft::related`] count in part (for a
    /// question as asked, and in [`same_soft`]; [`same`] compares exact tokens, which the quick
    /// join of `kb dups` can bound).
    fn of(
        a: &[String],
        a_print: &Print,
        b: &[String],
        b_print: &Print,
        w: &impl Weigh,
        soft: bool,
    ) -> Overlap {
        let mut o = Overlap::default();
        let (mut only_a, mut only_b): (Vec<soft::Weighed>, Vec<soft::Weighed>) = (vec![], vec![]);
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    let wt = w.weight(x);
                    o.shared += wt;
                    o.a += wt;
                    o.b += wt;
                    i += 1;
                    j += 1;
                }
                (Some(x), y) if y.is_none_or(|y| x < y) => {
                    if !a_print.is_optional(x) {
                        let wt = w.weight(x);
                        o.a += wt;
                        if soft {
                            only_a.push((x, wt));
                        }
                    }
                    i += 1;
                }
                (_, Some(y)) => {
                    if !b_print.is_optional(y) {
                        let wt = w.weight(y);
                        o.b += wt;
                        if soft {
                            only_b.push((y, wt));
                        }
                    }
                    j += 1;
                }
                _ => break,
            }
        }
        for (i, j, credit) in soft::pairs(&only_a, &only_b) {
            o.shared += credit * only_a[i].1.min(only_b[j].1);
            o.soft
                .push((only_a[i].0.to_string(), only_b[j].0.to_string()));
        }
        o
    }

    fn coverage(&self) -> (f32, f32) {
        let c = |part: f32| if part > 0.0 { self.shared / part } else { 0.0 };
        (c(self.a), c(self.b))
    }
}

/// The F-score of two coverages, the first counting `beta` times as much.
fn f_score(first: f32, second: f32, beta: f32) -> f32 {
    let b2 = beta * beta;
    let d = b2 * second + first;
    if d <= 0.0 {
        0.0
    } else {
        (1.0 + b2) * first * second / d
    }
}

/// How alike two prints are, and why.
#[derive(Debug, Clone, Default)]
pub struct Match {
    /// 0 to 1.
    pub score: f32,
    /// Words (as written in the first question) of the shared tokens, most telling first.
    pub shared: Vec<String>,
    /// Words of the first question the second does not have, most telling first.
    pub only_first: Vec<String>,
    /// Words of the second question the first does not have (in the part that matched).
    pub only_second: Vec<String>,
    /// Shared words the second question writes otherwise (`피밸류가`, `p-value`): shown as a
    /// pair in [`Match::why`].
    pub written_otherwise: Vec<(String, String)>,
}

/// What a match is worth when one question asks about an aspect of its subject — why, how,
/// its drawbacks, a comparison — and the other asks about none (`GAN 설명` / `GAN의 단점은?`):
/// the one is a narrower follow-up of the other.
pub const ASPECT_PENALTY: f32 = 0.75;

/// What a match is worth when the two share nothing but what is asked (`왜`, `방법`, `문제`)
/// while either names something it is about: `그래디언트 소실 원인이랑 해결 방법` is not the
/// question of why a project started and what it solved.
pub const NO_SUBJECT_PENALTY: f32 = 0.5;

/// What a match is worth when each question names a subject the other does not (`LFU` / `LRU`,
/// `list랑 set` / `list와 tuple`, `흐름 제어` / `혼잡 제어`): neighbouring concepts, two
/// questions — unless one name holds the other (`L1` / `L1 정규화`).
pub const SIBLING_PENALTY: f32 = 0.8;

/// Whether a token names a subject: a glossary concept or an English or technical word.
fn subject_token(t: &str) -> bool {
    t.starts_with('#') || (t.len() >= 2 && t.starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// [`SIBLING_PENALTY`] for two token lists (sorted), else 1.
fn sibling_penalty<'t>(
    a: impl Iterator<Item = &'t str> + Clone,
    b: impl Iterator<Item = &'t str> + Clone,
    in_a: impl Fn(&str) -> bool,
    in_b: impl Fn(&str) -> bool,
) -> f32 {
    let only_a: Vec<&str> = a.filter(|t| subject_token(t) && !in_b(t)).collect();
    let only_b: Vec<&str> = b.filter(|t| subject_token(t) && !in_a(t)).collect();
    if only_a.is_empty() || only_b.is_empty() {
        return 1.0;
    }
    let bare = |t: &'t str| t.strip_prefix('#').unwrap_or(t);
    let related = only_a.iter().any(|x| {
        only_b.iter().any(|y| {
            let (x, y) = (bare(x), bare(y));
            x.contains(y) || y.contains(x)
        })
    });
    if related { 1.0 } else { SIBLING_PENALTY }
}

fn sibling_penalty_of(a: &[String], a_print: &Print, b: &[String], b_print: &Print) -> f32 {
    sibling_penalty(
        a.iter()
            .map(String::as_str)
            .filter(|t| !a_print.is_optional(t)),
        b.iter()
            .map(String::as_str)
            .filter(|t| !b_print.is_optional(t)),
        |t| a.binary_search_by(|x| x.as_str().cmp(t)).is_ok(),
        |t| b.binary_search_by(|x| x.as_str().cmp(t)).is_ok(),
    )
}

/// `soft`: the two share a subject only [`soft::related`] pairs (`충돌` / `#해시충돌`).
fn aspect_penalty(a: &[String], b: &[String], soft: bool) -> f32 {
    let aspect = |t: &str| t.starts_with(['?', '~']);
    let has = |x: &[String]| x.iter().any(|t| aspect(t));
    let unmatched =
        |x: &[String], y: &[String]| x.iter().any(|t| aspect(t) && y.binary_search(t).is_err());
    let subject_shared = soft || a.iter().any(|t| !aspect(t) && b.binary_search(t).is_ok());
    let has_subject = |x: &[String]| x.iter().any(|t| !aspect(t));
    let mut penalty = 1.0;
    if (unmatched(a, b) && !has(b)) || (unmatched(b, a) && !has(a)) {
        penalty *= ASPECT_PENALTY;
    }
    if !subject_shared && (has_subject(a) || has_subject(b)) {
        penalty *= NO_SUBJECT_PENALTY;
    }
    penalty
}

/// What a match is worth when one question names a variant of a term the other names
/// (`Adam` / `AdamW`, `HTTP` / `HTTPS`): they are about different things, however much else they
/// share.
pub const VARIANT_PENALTY: f32 = 0.75;

impl Match {
    /// [`VARIANT_PENALTY`] when a word only one question has is a shared word plus more
    /// (`AdamW` beside a shared `Adam`), else 1.
    fn variant_penalty(&self) -> f32 {
        let lower = |w: &str| w.to_lowercase();
        let shared: Vec<String> = self
            .shared
            .iter()
            .map(|w| lower(w))
            .filter(|w| {
                let n = w.chars().count();
                if w.chars().all(words::is_hangul) {
                    n >= 2
                } else {
                    n >= 3
                }
            })
            .collect();
        let variant = self
            .only_first
            .iter()
            .chain(&self.only_second)
            .map(|w| lower(w))
            .any(|w| {
                shared.iter().any(|s| {
                    w.len() > s.len() && (w.starts_with(s.as_str()) || w.ends_with(s.as_str()))
                })
            });
        if variant { VARIANT_PENALTY } else { 1.0 }
    }

    /// The [`soft`] pairs among what is shared, as `충돌≈해시 충돌`, not among what differs.
    fn show_soft(&mut self, a: &Print, b: &Print, soft: &soft::Paired) {
        for (x, y) in soft {
            let (wx, wy) = (a.word(x).unwrap_or(x), b.word(y).unwrap_or(y));
            self.only_first.retain(|w| w != wx);
            self.only_second.retain(|w| w != wy);
            self.shared.push(format!("{wx}≈{wy}"));
        }
    }

    /// One line for a person: what made the match, and what differs.
    pub fn why(&self) -> String {
        let shared: Vec<String> = self
            .shared
            .iter()
            .map(
                |w| match self.written_otherwise.iter().find(|(x, _)| x == w) {
                    Some((_, y)) => format!("{w}≈{y}"),
                    None => w.clone(),
                },
            )
            .collect();
        self.why_with(&shared, "only asked", "only in the bank")
    }

    /// [`Match::why`] for two questions of the bank (`kb dups`), which neither was asked.
    pub fn why_between(&self) -> String {
        self.why_with(&self.shared, "only in the first", "only in the second")
    }

    fn why_with(&self, shared: &[String], first: &str, second: &str) -> String {
        let list = |v: &[String]| v.iter().take(5).cloned().collect::<Vec<_>>().join(" · ");
        let mut s = String::new();
        if !shared.is_empty() {
            s.push_str(&format!("same: {}", list(shared)));
        }
        if !self.only_first.is_empty() {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!("{first}: {}", list(&self.only_first)));
        }
        if !self.only_second.is_empty() {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!("{second}: {}", list(&self.only_second)));
        }
        s
    }

    /// As a candidate for the question `id`.
    pub fn into_candidate(self, id: &str, question: &str) -> Candidate {
        let mut shared = self.shared.clone();
        shared.sort();
        Candidate {
            id: id.to_string(),
            question: question.to_string(),
            similarity: self.score,
            why: self.why(),
            project: None,
            shared,
        }
    }
}

/// A question in the bank that an incoming question may duplicate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    pub id: String,
    pub question: String,
    /// How alike, 0–1 (see [`incoming`]).
    pub similarity: f32,
    /// What made the match, in one line (see [`Match::why`]).
    pub why: String,
    /// The résumé project of the bank question, when the look-up knows it.
    #[serde(skip)]
    pub project: Option<String>,
    /// The words of the question as asked that the match found in this one, sorted.
    #[serde(skip)]
    pub shared: Vec<String>,
}

fn explain(a: &Print, ua: &[String], b: &Print, ub: &[String], w: &impl Weigh) -> Match {
    let words_of = |p: &Print, tokens: Vec<&String>| -> Vec<String> {
        let mut weighted: Vec<(f32, &String)> =
            tokens.into_iter().map(|t| (w.weight(t), t)).collect();
        weighted.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, t) in weighted {
            let word = if t == PROJECT_TOKEN {
                "(the project)".to_string()
            } else {
                let written = p.word(t).unwrap_or(t);
                // A word cut in two (`추론최적화` → `추론` `최적화`) is shown by its part, so
                // that one part shared and one not do not both read `추론최적화`.
                let parts = p.surface.iter().filter(|(_, w)| w == written).count();
                match t.strip_prefix('#') {
                    _ if parts < 2 || t.starts_with(['~', '?']) => written.to_string(),
                    Some(concept) => concept.to_string(),
                    None => t.to_string(),
                }
            };
            if !out.contains(&word) {
                out.push(word);
            }
        }
        out
    };
    let set_b: HashSet<&String> = ub.iter().collect();
    let set_a: HashSet<&String> = ua.iter().collect();
    // A glossary concept both name, each in its own words (`피밸류가` / `p-value`).
    let bare = |s: &str| -> String {
        let k: Vec<char> = words::key(s).chars().collect();
        crate::analysis::analyzer::strip_particle(&k)
            .iter()
            .collect()
    };
    let mut written_otherwise = Vec::new();
    for t in ua
        .iter()
        .filter(|t| set_b.contains(t) && t.starts_with('#'))
    {
        if let (Some(x), Some(y)) = (a.word(t), b.word(t))
            && !bare(x).contains(&bare(y))
            && !bare(y).contains(&bare(x))
        {
            written_otherwise.push((x.to_string(), y.to_string()));
        }
    }
    Match {
        score: 0.0,
        written_otherwise,
        shared: words_of(a, ua.iter().filter(|t| set_b.contains(t)).collect()),
        only_first: words_of(
            a,
            ua.iter()
                .filter(|t| !set_b.contains(t) && !a.is_optional(t))
                .collect(),
        ),
        only_second: words_of(
            b,
            ub.iter()
                .filter(|t| !set_a.contains(t) && !b.is_optional(t))
                .collect(),
        ),
    }
}

/// `asked` with each English word of five letters or more that `bank` lacks replaced by a word
/// of `bank` one typing slip away (a letter missing, extra, wrong, or two swapped: `batcing` /
/// `batch`, `trnasform` / `transform`), sorted again. For a question as typed after an
/// interview, and for `kb dups` through [`same_soft`] (within its join's bound).
fn with_typos_mended(asked: &[String], bank: &[String], mended: &mut soft::Paired) -> Vec<String> {
    let english = |t: &str| t.len() >= 5 && t.chars().all(|c| c.is_ascii_lowercase());
    let mut out: Vec<String> = asked.to_vec();
    let mut changed = false;
    for t in out.iter_mut() {
        if !english(t) || bank.binary_search(t).is_ok() {
            continue;
        }
        if let Some(b) = bank
            .iter()
            .find(|b| english(b) && asked.binary_search(b).is_err() && one_slip(t, b))
        {
            mended.push((t.clone(), b.clone()));
            *t = b.clone();
            changed = true;
        }
    }
    if changed {
        out.sort();
        out.dedup();
    }
    out
}

/// `asked`'s tokens with a Korean word the bank question lacks replaced by the bank's English
/// word that sounds like it, and the other way round (`어텐션` / `Attention`): a term typed in
/// the other script that the glossary does not know. Sorted.
fn with_sounds_mended(
    asked: &Print,
    bank: &Print,
    unit: &[String],
    mended: &mut soft::Paired,
) -> Vec<String> {
    let hangul = |t: &str| t.chars().all(words::is_hangul);
    // The English word as written, without a particle glued to it (`Conformer를`) and with its
    // hyphens closed up (`one-stage`, as 원스테이지 writes it).
    let english_word = |p: &Print, t: &str| -> Option<String> {
        let w = p.word(t)?.to_lowercase();
        let head: String = w
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        let rest = &w[head.len()..];
        let letters: String = head.chars().filter(|c| *c != '-').collect();
        (letters.len() >= 3 && rest.chars().all(words::is_hangul)).then_some(letters)
    };
    let mut out = asked.tokens.clone();
    let mut changed = false;
    for t in out.iter_mut() {
        if unit.binary_search(t).is_ok() {
            continue;
        }
        let found = if hangul(t) {
            // The stem, or the word as typed: the endings table takes `지` off `원스테이지`.
            let written = asked.word(t).filter(|w| hangul(w)).unwrap_or(t.as_str());
            let spelled = spelled(t, written);
            unit.iter()
                .filter(|b| asked.tokens.binary_search(b).is_err())
                .find(|b| {
                    english_word(bank, b).is_some_and(|w| {
                        sound::alike(t, &w) || sound::alike(written, &w) || spelled.contains(&w)
                    })
                })
        } else if let Some(w) = english_word(asked, t) {
            unit.iter()
                .filter(|b| hangul(b) && asked.tokens.binary_search(b).is_err())
                .find(|b| sound::alike(b, &w))
        } else {
            None
        };
        if let Some(b) = found {
            mended.push((t.clone(), b.clone()));
            *t = b.clone();
            changed = true;
        }
    }
    if changed {
        out.sort();
        out.dedup();
    }
    out
}

/// Whether `a` and `b` differ by one letter added, dropped or changed, or two neighbours swapped.
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix_eq = |x: &[char], y: &[char]| x == y;
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            suffix_eq(&ra[1..], &rb[1..])
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => suffix_eq(&ra[1..], rb),
        std::cmp::Ordering::Less => suffix_eq(ra, &rb[1..]),
    }
}

/// How far the question `asked` (as an interviewer put it) is the bank question `bank`: the
/// best, over the bank question and each of its sentences, of an F-score that weighs how much
/// of the asked question is covered ([`INCOMING_BETA`] times) against how much of the bank
/// question (or sentence) is.
pub fn incoming(asked: &Print, bank: &Print, w: &impl Weigh) -> Match {
    let whole = incoming_whole(asked, bank, w);
    // An interviewer's lead-in before the question (`저희 서비스가 트래픽이 몰리는데, 캐시 어떻게
    // 쓰실 거예요?`): the last sentence, compared alone, is the question. (Counted at full
    // weight: at 0.9 sets C, D and F lost the pairs it won, and no set lost precision at 1.)
    // Only a last sentence that names what it is about: `각각 언제 써요?` after `TCP랑 UDP
    // 차이가 뭐예요?` is a follow-up that needs the first sentence, not a question of its own.
    if asked.parts.len() >= 2
        && let Some(last) = asked.parts.last()
        && last.iter().any(|t| !t.starts_with(['?', '~']))
        && asked.telling_parts(w).any(|p| p == last)
    {
        let rest: Vec<String> = asked
            .tokens
            .iter()
            .filter(|t| last.binary_search(t).is_err())
            .cloned()
            .collect();
        let mut alone = asked.without(&rest);
        alone.parts.clear();
        let m = incoming_whole(&alone, bank, w);
        if m.score > whole.score {
            return m;
        }
    }
    whole
}

fn incoming_whole(asked: &Print, bank: &Print, w: &impl Weigh) -> Match {
    let mut best: Option<(f32, &[String], soft::Paired)> = None;
    for unit in std::iter::once(&bank.tokens).chain(bank.telling_parts(w)) {
        // Tokens taken for the bank's (by sound, by a typing slip), shown like soft pairs.
        let mut mended = soft::Paired::new();
        let typed = with_typos_mended(
            &with_sounds_mended(asked, bank, unit, &mut mended),
            unit,
            &mut mended,
        );
        let mut o = Overlap::of(&typed, asked, unit, bank, w, true);
        o.soft.extend(mended);
        let (ca, cb) = o.coverage();
        let s = f_score(ca, cb, INCOMING_BETA)
            * aspect_penalty(&typed, unit, !o.soft.is_empty())
            * sibling_penalty_of(&typed, asked, unit, bank);
        if best.as_ref().is_none_or(|(b, _, _)| s > *b) {
            best = Some((s, unit, o.soft));
        }
    }
    let Some((score, unit, soft)) = best else {
        return Match::default();
    };
    let mut m = explain(asked, &asked.tokens, bank, unit, w);
    m.score = score * m.variant_penalty();
    m.show_soft(asked, bank, &soft);
    m
}

/// How much more `kb dups` values the shorter question being covered than the longer one (the
/// β of an F-score, taken in whichever direction scores better): `인덱스가 뭐예요` and
/// `데이터베이스 인덱스란 무엇인가요?` are one question.
pub const SAME_BETA: f32 = 1.0;

/// Whether two questions of the bank ask the same thing: an F-score of how much of each the
/// other covers ([`SAME_BETA`]), for the two, or for one and a sentence of the other, whichever
/// is best.
pub fn same(a: &Print, b: &Print, w: &impl Weigh) -> Match {
    let mut best: Option<(f32, &[String], &[String])> = None;
    let pairs = std::iter::once((&a.tokens, &b.tokens))
        .chain(b.telling_parts(w).map(|p| (&a.tokens, p)))
        .chain(a.telling_parts(w).map(|p| (p, &b.tokens)));
    for (ua, ub) in pairs {
        let o = Overlap::of(ua, a, ub, b, w, false);
        let (ca, cb) = o.coverage();
        let s = f_score(ca, cb, SAME_BETA).max(f_score(cb, ca, SAME_BETA))
            * aspect_penalty(ua, ub, false)
            * sibling_penalty_of(ua, a, ub, b);
        if best.is_none_or(|(x, _, _)| s > x) {
            best = Some((s, ua, ub));
        }
    }
    let Some((score, ua, ub)) = best else {
        return Match::default();
    };
    let mut m = explain(a, ua, b, ub, w);
    m.score = score * m.variant_penalty();
    m
}

/// [`same`], or, when it scores higher, the two compared the way a question as asked is compared
/// with the bank ([`incoming`]: part credit for another form of a word or a part of a term, a
/// term written in the other script, a typing slip), in both directions: the lower of the two,
/// or a little below their mean when one direction is much better (a short question covered
/// whole by a longer one). Measured on the labelled pairs (docs/DUPLICATES.md): at the same
/// threshold it finds more of the same pairs at the same precision. In [`duplicates_of`] the
/// credit never lifts a pair above the quick score its join bounds pairs with, `cap`: when the
/// exact score reaches it already, the two incoming comparisons are not made.
pub fn same_soft(a: &Print, b: &Print, w: &impl Weigh, cap: f32) -> Match {
    let exact = same(a, b, w);
    if exact.score >= cap {
        return exact;
    }
    let there = incoming(a, b, w);
    let back = incoming(b, a, w);
    let soft = there
        .score
        .min(back.score)
        .max((there.score + back.score) / 2.0 * 0.95);
    if soft > exact.score {
        let mut m = there;
        m.score = soft;
        m
    } else {
        exact
    }
}

/// The print tokens of each project's name in `kb`, by project id.
pub fn project_names(
    kb: &crate::Kb,
    glossary: &Glossary,
) -> crate::Result<HashMap<String, Vec<String>>> {
    Ok(kb
        .load_projects()?
        .0
        .into_iter()
        .map(|p| (p.id, print_with(&p.name, glossary).tokens))
        .collect())
}

/// The token that stands for "the same project" once a project's name is taken out.
pub const PROJECT_TOKEN: &str = "@project";

/// Two prints compared without a project's name, when either spells the whole name out (the
/// project questions the template writes: `문서 OCR 모델 경량화 및 서빙 최적화 프로젝트는 몇 명이…`),
/// so a long name does not outweigh what is asked, and a question that names another project
/// keeps that name as a difference. When both are known to be about the project (`given`: the
/// interview was about it, or both questions belong to it) or the first names part of it, the
/// name is replaced by [`PROJECT_TOKEN`] on both sides: the project itself is what they share.
/// `None` when neither spells the name out.
pub fn without_project_name(
    a: &Print,
    b: &Print,
    name: &[String],
    given: bool,
) -> Option<(Print, Print)> {
    let spells =
        |p: &Print| !name.is_empty() && name.iter().all(|t| p.tokens.binary_search(t).is_ok());
    if !(spells(a) || spells(b)) {
        return None;
    }
    let named = given || name.iter().any(|t| a.tokens.binary_search(t).is_ok());
    let (mut a, mut b) = (a.without(name), b.without(name));
    if named {
        for p in [&mut a, &mut b] {
            p.add(PROJECT_TOKEN);
        }
    }
    Some((a, b))
}

/// [`incoming`] on two texts, weighed by the shipped background alone.
pub fn compare_incoming(asked: &str, bank: &str) -> Match {
    incoming(&print(asked), &print(bank), &background_weights())
}

/// The default threshold above which two questions in the bank are taken to be the same
/// (`kb dups`), chosen on the tuning half of tests/data/asked-pairs (see docs/DUPLICATES.md).
pub const DEFAULT_THRESHOLD: f32 = 0.6;

/// The default threshold for a question as asked against a bank question ([`incoming`], used
/// by `kb interview add` and `kb add`): the lowest threshold at which the tuning half keeps a
/// precision of 0.9, the floor. A question taken for the wrong one loses nothing: its
/// wording is kept on the occurrence (`asked as: …`).
pub const INCOMING_THRESHOLD: f32 = 0.45;

/// A question of the bank as `kb dups` compares it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub question: String,
    pub project: Option<String>,
    /// The template key it was written from, for a project question (`team`, `purpose`).
    pub template: Option<String>,
    pub print: Print,
}

impl Entry {
    /// The entry of a question (its print made now).
    pub fn of(q: &Question) -> Entry {
        Entry {
            id: q.id.clone(),
            question: q.question.clone(),
            project: q.project.clone(),
            template: q.template.clone(),
            print: print(&q.question),
        }
    }
}

/// Whether two questions can never be the same: project questions of different projects, and
/// two questions of one project written from different entries of the template (`team` and
/// `my-role` share the project and the word 역할, and are two questions).
pub fn never_same(a: &Entry, b: &Entry) -> bool {
    let (Some(pa), Some(pb)) = (&a.project, &b.project) else {
        return false;
    };
    match (&a.template, &b.template) {
        (Some(ta), Some(tb)) => pa != pb || ta != tb,
        (Some(_), None) | (None, Some(_)) => pa != pb,
        (None, None) => false,
    }
}

/// Words that point at a project without naming it (`그 프로젝트`, `해당 프로젝트`).
const POINTING: [&str; 9] = [
    "그", "이", "저", "해당", "본", "이번", "지난", "그런", "어떤",
];

/// The name a question's text gives a project, as lower-cased words: up to three words before
/// the first word starting with `프로젝트` (`추천 프로젝트에서` → `추천`, `문서 OCR 경량화
/// 프로젝트의` → `문서 ocr 경량화`). `None` when there is none or it only points (`그
/// 프로젝트`). Two questions not filed under projects whose texts name projects with no word in
/// common are about two projects, so never one question.
fn named_project(text: &str) -> Option<Vec<String>> {
    if !text.contains("프로젝트") {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| w.starts_with("프로젝트"))?;
    let name: Vec<String> = words[at.saturating_sub(3)..at]
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !POINTING.contains(&w.as_str()))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The project names ([`named_project`]) of entries not filed under a project: questions filed
/// under projects are told apart by their projects ([`never_same`]).
fn named_projects(entries: &[&Entry]) -> Vec<Option<Vec<String>>> {
    entries
        .iter()
        .map(|e| match e.project {
            None => named_project(&e.question),
            Some(_) => None,
        })
        .collect()
}

/// Whether two project names have no word in common (neither word holding the other).
fn names_apart(x: &Option<Vec<String>>, y: &Option<Vec<String>>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => !x.iter().any(|w| {
            y.iter()
                .any(|v| w.contains(v.as_str()) || v.contains(w.as_str()))
        }),
        _ => false,
    }
}

/// A likely duplicate pair.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub similarity: f32,
    /// What made the match (see [`Match::why`]).
    pub why: String,
}

/// [`same_soft`] for two questions of the bank (up to `cap`), without their project's name when
/// they belong to the same project. The prints should have their words (made by [`print`], not
/// read back from the index) for the explanation to name them.
pub fn same_entries(
    a: &Entry,
    b: &Entry,
    project_names: &HashMap<String, Vec<String>>,
    w: &impl Weigh,
    cap: f32,
) -> Match {
    let name = match (&a.project, &b.project) {
        (Some(x), Some(y)) if x == y => project_names.get(x),
        _ => None,
    };
    match name.and_then(|n| without_project_name(&a.print, &b.print, n, true)) {
        Some((pa, pb)) => same_soft(&pa, &pb, w, cap),
        None => same_soft(&a.print, &b.print, w, cap),
    }
}

/// Likely duplicates among `questions`, most similar first, at most `limit` pairs.
pub fn duplicates(
    questions: &[Question],
    project_names: &HashMap<String, Vec<String>>,
    threshold: f32,
    limit: usize,
) -> Vec<Pair> {
    let entries: Vec<Entry> = questions.iter().map(Entry::of).collect();
    duplicates_of(&entries, project_names, threshold, limit)
}

/// Likely duplicates among `entries`, most similar first, at most `limit` pairs.
///
/// Not all pairs: a set-similarity join with prefix filtering over the questions and their
/// sentences ("records"). Tokens are ordered rarest first; a record is indexed under, and probes
/// with, the shortest prefix of its tokens whose remaining weight is below a bound derived from
/// `threshold`: two records that similar must share a token in both prefixes, so the work
/// follows the number of plausible pairs instead of the square of the bank. Each candidate
/// pair gets a quick score on token numbers; the best are then scored in full with
/// [`same_entries`] (which can only be lower), and explained, until `limit` pairs are certain.
/// Questions with identical prints are reported as a chain of pairs (`a`–`b`, `b`–`c`: enough
/// to merge them all). `project_names` holds the print tokens of each project's name.
pub fn duplicates_of(
    entries: &[Entry],
    project_names: &HashMap<String, Vec<String>>,
    threshold: f32,
    limit: usize,
) -> Vec<Pair> {
    // A term written in English in one question and in Hangul in another is one token.
    let canon = canon::canonical(entries);
    let entries: Vec<&Entry> = canon.iter().map(|e| e.as_ref()).collect();
    let entries: &[&Entry] = &entries;
    let mut df: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        for t in &e.print.tokens {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let w = Weights::new(background::shipped(), entries.len(), |t| {
        df.get(t).copied().unwrap_or(0)
    });
    let named = named_projects(entries);
    let apart = |i: usize, j: usize| {
        never_same(entries[i], entries[j]) || names_apart(&named[i], &named[j])
    };
    // Candidate pairs with a score they cannot exceed (`EXACT`: identical prints, which score 1).
    const EXACT: f32 = 1.0;
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    // Identical prints: one chain, and only the first takes part in the join.
    let mut first_with: HashMap<&[String], usize> = HashMap::new();
    let mut distinct = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.print.tokens.is_empty() {
            continue;
        }
        match first_with.get(e.print.tokens.as_slice()) {
            Some(&prev) if !apart(prev, i) => {
                candidates.push((EXACT, prev, i));
                first_with.insert(e.print.tokens.as_slice(), i);
            }
            _ => {
                first_with.insert(e.print.tokens.as_slice(), i);
                distinct.push(i);
            }
        }
    }
    // The join works on token numbers with their weights worked out once: comparing strings
    // and weighing tokens again for every candidate pair cost three quarters of the time.
    let mut dict = Dict::default();
    let fast: HashMap<usize, Fast> = distinct
        .iter()
        .map(|&i| (i, dict.fast(&entries[i].print, &w)))
        .collect();
    // Records: each question, and each sentence that says enough to stand for it.
    let mut records: Vec<(usize, &[u32])> = Vec::new();
    for &i in &distinct {
        let f = &fast[&i];
        records.push((i, &f.tokens));
        for part in &f.parts {
            records.push((i, part));
        }
    }
    // A pair scoring `threshold` (Dice) has Jaccard at least t / (2 - t); the bound is loosened
    // a little because gloss tokens are not always counted (see `Print::is_optional`).
    let bound = threshold / (2.0 - threshold) * 0.8;
    let ordered: Vec<Vec<u32>> = records
        .iter()
        .map(|(_, tokens)| {
            let mut v = tokens.to_vec();
            v.sort_by(|a, b| {
                dict.weight[*b as usize]
                    .total_cmp(&dict.weight[*a as usize])
                    .then_with(|| dict.text[*a as usize].cmp(&dict.text[*b as usize]))
            });
            v
        })
        .collect();
    let prefix_len = |v: &[u32]| {
        let total: f32 = v.iter().map(|t| dict.weight[*t as usize]).sum();
        let mut rest = total;
        let mut k = 0;
        while k < v.len() && rest >= bound * total {
            rest -= dict.weight[v[k] as usize];
            k += 1;
        }
        k.max(1).min(v.len())
    };
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); dict.weight.len()];
    // The questions already compared with the current one. A pair is found only while its later
    // question's records probe (the earlier one's are already indexed), and one question's
    // records come one after another, so this set is all the bookkeeping needed.
    let mut seen: HashSet<usize> = HashSet::new();
    let mut current = usize::MAX;
    for (r, (owner, _)) in records.iter().enumerate() {
        let prefix = &ordered[r][..prefix_len(&ordered[r])];
        if *owner != current {
            seen.clear();
            current = *owner;
        }
        for t in prefix {
            for &other in &postings[*t as usize] {
                let j = records[other as usize].0;
                if j == *owner || !seen.insert(j) {
                    continue;
                }
                if apart(j, *owner) {
                    continue;
                }
                // Questions of one project are compared without its name, which the quick
                // score does not do (and which can raise the score): they are always scored
                // in full.
                let one_project =
                    entries[j].project.is_some() && entries[j].project == entries[*owner].project;
                let quick = if one_project {
                    f32::INFINITY
                } else {
                    dict.same(&fast[&j], &fast[owner])
                };
                if quick >= threshold {
                    candidates.push((quick, j, *owner));
                }
            }
        }
        for t in prefix {
            postings[*t as usize].push(r as u32);
        }
    }
    // In full, best first, until the rest cannot make the list.
    // Ties in the order pairs are listed in (their ids), so that skipping the rest of a tie
    // below keeps the same pairs a full scoring of every candidate would.
    let ids = |(_, i, j): &(f32, usize, usize)| {
        let (x, y) = (entries[*i].id.as_str(), entries[*j].id.as_str());
        if x <= y { (x, y) } else { (y, x) }
    };
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| ids(a).cmp(&ids(b))));
    let mut best = Best::new(limit);
    let mut full: HashMap<usize, Entry> = HashMap::new();
    for (upper, i, j) in candidates {
        // Sorted best first and by position (ids) among equals: once the list is full, a pair
        // that cannot beat its lowest cannot get in.
        if upper.is_finite() && best.is_full() && upper <= best.lowest() {
            if upper < best.lowest() || best.lowest() < EXACT {
                break;
            }
            continue;
        }
        for k in [i, j] {
            full.entry(k).or_insert_with(|| Entry {
                print: print(&entries[k].question),
                ..entries[k].clone()
            });
        }
        let m = same_entries(&full[&i], &full[&j], project_names, &w, upper);
        // The soft credit of `same_soft` is capped at the quick score: the join's bound stays a
        // bound, so no pair is missed and the best are still listed first. (Reaching below the
        // threshold for pairs the credit might lift cost 2.5 times the time at 100k questions
        // for one more pair in a hundred.)
        let score = if upper == EXACT && m.score >= 0.999 {
            1.0
        } else {
            m.score.min(upper)
        };
        if score >= threshold {
            let mut m = m;
            // The pair lists its questions by id: the explanation follows that order.
            if entries[i].id > entries[j].id {
                std::mem::swap(&mut m.only_first, &mut m.only_second);
            }
            best.push(Pair::new(
                &entries[i].id,
                &entries[j].id,
                score,
                m.why_between(),
            ));
        }
    }
    best.into_sorted()
}

/// Token numbers for [`duplicates_of`]: each token's text, weight and whether it is an aspect.
#[derive(Default)]
struct Dict {
    ids: HashMap<String, u32>,
    text: Vec<String>,
    weight: Vec<f32>,
    aspect: Vec<bool>,
}

/// What one pass over two token lists found, for the rules of [`same`].
#[derive(Default)]
struct Flags {
    aspect_a: bool,
    aspect_b: bool,
    unmatched_aspect_a: bool,
    unmatched_aspect_b: bool,
    /// A token that is not an aspect, on either side / shared.
    plain_a: bool,
    plain_b: bool,
    subject_shared: bool,
}

impl Flags {
    /// Token `t` of one side only (`first`: the first side).
    fn note(&mut self, d: &Dict, t: u32, first: bool) {
        let (aspect, unmatched, plain) = if first {
            (
                &mut self.aspect_a,
                &mut self.unmatched_aspect_a,
                &mut self.plain_a,
            )
        } else {
            (
                &mut self.aspect_b,
                &mut self.unmatched_aspect_b,
                &mut self.plain_b,
            )
        };
        if d.aspect[t as usize] {
            *aspect = true;
            *unmatched = true;
        } else {
            *plain = true;
        }
    }
}

/// A print as token numbers, sorted by number.
struct Fast {
    tokens: Vec<u32>,
    /// The sentences [`Print::telling_parts`] keeps.
    parts: Vec<Vec<u32>>,
    optional: Vec<u32>,
}

impl Dict {
    fn id(&mut self, token: &str, w: &impl Weigh) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.text.len() as u32;
        self.ids.insert(token.to_string(), id);
        self.text.push(token.to_string());
        self.weight.push(w.weight(token));
        self.aspect.push(token.starts_with(['?', '~']));
        id
    }

    fn numbers(&mut self, tokens: &[String], w: &impl Weigh) -> Vec<u32> {
        let mut v: Vec<u32> = tokens.iter().map(|t| self.id(t, w)).collect();
        v.sort_unstable();
        v
    }

    fn fast(&mut self, p: &Print, w: &impl Weigh) -> Fast {
        let parts: Vec<Vec<String>> = p.telling_parts(w).cloned().collect();
        Fast {
            tokens: self.numbers(&p.tokens, w),
            parts: parts.iter().map(|part| self.numbers(part, w)).collect(),
            optional: self.numbers(&p.optional, w),
        }
    }

    /// [`same`]'s score, without the variant rule.
    fn same(&self, a: &Fast, b: &Fast) -> f32 {
        let units = std::iter::once((&a.tokens, &b.tokens))
            .chain(b.parts.iter().map(|p| (&a.tokens, p)))
            .chain(a.parts.iter().map(|p| (p, &b.tokens)));
        let mut best = 0.0f32;
        for (ua, ub) in units {
            // One pass: the weights, and what the rules of `same` need to know (the same
            // measure as `same`'s, without allocating: this runs for every candidate pair).
            let (mut shared, mut wa, mut wb) = (0.0f32, 0.0f32, 0.0f32);
            let mut f = Flags::default();
            let (mut i, mut j) = (0, 0);
            while i < ua.len() || j < ub.len() {
                match (ua.get(i), ub.get(j)) {
                    (Some(x), Some(y)) if x == y => {
                        let t = self.weight[*x as usize];
                        shared += t;
                        wa += t;
                        wb += t;
                        if self.aspect[*x as usize] {
                            f.aspect_a = true;
                            f.aspect_b = true;
                        } else {
                            f.subject_shared = true;
                            f.plain_a = true;
                            f.plain_b = true;
                        }
                        i += 1;
                        j += 1;
                    }
                    (Some(x), y) if y.is_none_or(|y| x < y) => {
                        let optional = a.optional.binary_search(x).is_ok();
                        if !optional {
                            wa += self.weight[*x as usize];
                        }
                        f.note(self, *x, true);
                        i += 1;
                    }
                    (_, Some(y)) => {
                        let optional = b.optional.binary_search(y).is_ok();
                        if !optional {
                            wb += self.weight[*y as usize];
                        }
                        f.note(self, *y, false);
                        j += 1;
                    }
                    _ => break,
                }
            }
            let ca = if wa > 0.0 { shared / wa } else { 0.0 };
            let cb = if wb > 0.0 { shared / wb } else { 0.0 };
            let s = f_score(ca, cb, SAME_BETA).max(f_score(cb, ca, SAME_BETA));
            let mut penalty = 1.0;
            if (f.unmatched_aspect_a && !f.aspect_b) || (f.unmatched_aspect_b && !f.aspect_a) {
                penalty *= ASPECT_PENALTY;
            }
            if !f.subject_shared && (f.plain_a || f.plain_b) {
                penalty *= NO_SUBJECT_PENALTY;
            }
            // The rule for neighbouring subjects is left to the full score: the quick score only
            // has to be at least as high, and the rule compares texts (at 100k questions it was
            // a sixth of the time).
            best = best.max(s * penalty);
        }
        best
    }
}

impl Pair {
    fn new(a: &str, b: &str, similarity: f32, why: String) -> Pair {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        Pair {
            a: a.to_string(),
            b: b.to_string(),
            similarity,
            why,
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

    /// Whether `limit` pairs are held (after trimming to the best).
    fn is_full(&mut self) -> bool {
        self.pairs.sort_by(Pair::rank);
        self.pairs.truncate(self.limit);
        self.pairs.len() >= self.limit
    }

    /// The lowest similarity among the pairs held.
    fn lowest(&self) -> f32 {
        self.pairs
            .iter()
            .map(|p| p.similarity)
            .fold(f32::INFINITY, f32::min)
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

    fn asked(a: &str, b: &str) -> f32 {
        compare_incoming(a, b).score
    }

    #[test]
    fn sentences_split_at_question_marks_and_joining_endings() {
        assert_eq!(
            split_sentences("TCP와 UDP의 차이는? 각각 어떤 상황에서 쓰나요?"),
            ["TCP와 UDP의 차이는", " 각각 어떤 상황에서 쓰나요"]
        );
        assert_eq!(
            split_sentences("Index란 무엇이고, 왜 B+Tree를 쓰나요?"),
            ["Index란 무엇이고", " 왜 B+Tree를 쓰나요"]
        );
        assert_eq!(
            split_sentences("Sigmoid, ReLU, GELU를 비교해주세요."),
            ["Sigmoid, ReLU, GELU를 비교해주세요"]
        );
    }

    #[test]
    fn one_typing_slip() {
        assert!(one_slip("batc", "batch"));
        assert!(one_slip("trnasform", "transform"));
        assert!(one_slip("hanshak", "handshak"));
        assert!(one_slip("handshakx", "handshak"));
        assert!(!one_slip("batch", "batch"));
        assert!(!one_slip("adam", "adamax"));
        assert!(!one_slip("router", "rotuers"));
    }

    #[test]
    fn questions_naming_two_projects_are_never_the_same() {
        let entry = |text: &str| Entry {
            id: text.to_string(),
            question: text.to_string(),
            project: None,
            template: None,
            print: print(text),
        };
        let apart = |a: &Entry, b: &Entry| {
            let n = named_projects(&[a, b]);
            names_apart(&n[0], &n[1])
        };
        let ocr = entry("OCR 프로젝트에서 데이터는 어떻게 모았나요?");
        assert!(apart(
            &ocr,
            &entry("추천 프로젝트에서 데이터는 어떻게 모았나요?")
        ));
        // One name inside the other, a pointing word, or no name: the words decide.
        assert!(!apart(
            &ocr,
            &entry("문서 OCR 경량화 프로젝트에서 데이터는 어떻게 모았나요?")
        ));
        assert!(!apart(
            &ocr,
            &entry("그 프로젝트에서 데이터는 어떻게 모았나요?")
        ));
        assert!(!apart(&ocr, &entry("데이터는 어떻게 모았나요?")));
        // Filed under a project, the project decides.
        let mut filed = entry("추천 프로젝트에서 데이터는 어떻게 모았나요?");
        filed.project = Some("rec".into());
        assert!(!apart(&ocr, &filed));
        let qs = [
            "추천 프로젝트에서 데이터는 어떻게 모았나요?",
            "OCR 프로젝트에서 데이터는 어떻게 모았나요?",
        ]
        .map(|t| Question::new(t.to_string(), t));
        assert!(duplicates(&qs, &HashMap::new(), DEFAULT_THRESHOLD, 10).is_empty());
    }

    #[test]
    fn how_many_glued_to_its_counter_reads_as_apart() {
        for (glued, apart) in [
            ("팀 몇명이었고 본인 역할은?", "팀 몇 명이었고 본인 역할은?"),
            ("몇가지 방법이 있나요", "몇 가지 방법이 있나요"),
        ] {
            assert_eq!(print(glued).tokens, print(apart).tokens, "{glued}");
        }
        // Not a word that only starts with the syllable.
        assert_eq!(split_words("몇몇 사례"), ["몇몇", "사례"]);
    }

    #[test]
    fn words_keep_technical_tokens_whole() {
        assert_eq!(
            split_words("TCP/IP와 p-value, C++랑 node.js의차이"),
            [
                "TCP/IP", "와", "p-value", "C++", "랑", "node.js", "의", "차이"
            ]
        );
    }

    #[test]
    fn spoken_endings_and_spacing_do_not_matter() {
        assert!(asked("추론최적화 어떻게 하셨어요?", "추론 최적화 어떻게 했어요?") > 0.9);
        assert!(
            asked(
                "차원의 저주에 대해 설명해주세요.",
                "차원의저주가 무엇인지 설명해 주세요"
            ) > 0.9
        );
    }

    #[test]
    fn a_question_asked_about_one_sentence_of_a_bank_question_matches() {
        assert!(
            asked(
                "TCP랑 UDP 차이가 뭐예요?",
                "TCP와 UDP의 차이는? 각각 어떤 상황에서 쓰나요?"
            ) > 0.8
        );
    }

    #[test]
    fn same_topic_different_question_does_not() {
        assert!(asked("TCP 흐름 제어", "TCP 혼잡 제어") < 0.6);
        assert!(asked("Adam을 설명해주세요", "Adam과 AdamW의 차이") < 0.6);
        let w = background_weights();
        assert!(
            same(
                &print("CNN에 대해서 아는대로 얘기하라"),
                &print("Auto Encoder에 대해서 아는대로 얘기하라"),
                &w
            )
            .score
                < 0.3
        );
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
        let pairs = duplicates(&qs, &HashMap::new(), DEFAULT_THRESHOLD, 10);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].a.as_str(), pairs[0].b.as_str()), ("a", "b"));
    }

    #[test]
    fn project_questions_of_different_projects_are_never_duplicates() {
        let mut a = Question::new("a".into(), "CTR 예측 프로젝트는 몇 명이 참여했나요?");
        let mut b = Question::new("b".into(), "OCR 서빙 프로젝트는 몇 명이 참여했나요?");
        a.project = Some("ctr-team".into());
        a.template = Some("team".into());
        b.project = Some("ocr-team".into());
        b.template = Some("team".into());
        assert!(duplicates(&[a, b], &HashMap::new(), 0.1, 10).is_empty());
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
            "왜",
            "어떻게",
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
            let mut text = String::new();
            for k in 0..n {
                if k > 0 {
                    text.push_str(if next() % 5 == 0 { "? " } else { " " });
                }
                text.push_str(words[next() % words.len()]);
            }
            if seen.insert(print(&text).tokens) {
                qs.push(Question::new(format!("q{}", qs.len()), &text));
            }
        }
        let prints: Vec<Print> = qs.iter().map(|q| print(&q.question)).collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for p in &prints {
            for t in &p.tokens {
                *df.entry(t.as_str()).or_default() += 1;
            }
        }
        let w = Weights::new(background::shipped(), qs.len(), |t| {
            df.get(t).copied().unwrap_or(0)
        });
        for threshold in [0.5, 0.6, 0.8] {
            // Every pair whose exact overlap makes the threshold; the join may add pairs that
            // only the soft credit lifts, and each of those must score that well in full.
            let mut brute = Vec::new();
            let mut soft = HashSet::new();
            for i in 0..qs.len() {
                for j in i + 1..qs.len() {
                    if same(&prints[i], &prints[j], &w).score >= threshold {
                        brute.push((qs[i].id.clone(), qs[j].id.clone()));
                    }
                    if same_soft(&prints[i], &prints[j], &w, 1.0).score >= threshold {
                        soft.insert((qs[i].id.clone(), qs[j].id.clone()));
                    }
                }
            }
            let fast = duplicates(&qs, &HashMap::new(), threshold, usize::MAX / 4);
            // Scored in full only until the list is certain: the best few are the same pairs.
            let few = duplicates(&qs, &HashMap::new(), threshold, 7);
            let firsts: Vec<(&str, &str)> = fast
                .iter()
                .take(7)
                .map(|p| (p.a.as_str(), p.b.as_str()))
                .collect();
            let got: Vec<(&str, &str)> = few.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
            assert_eq!(got, firsts, "threshold {threshold}");
            for (a, b) in &brute {
                assert!(
                    fast.iter()
                        .any(|f| (&f.a, &f.b) == (a, b) || (&f.a, &f.b) == (b, a)),
                    "{a}-{b} missed at {threshold}"
                );
            }
            for f in &fast {
                assert!(
                    soft.contains(&(f.a.clone(), f.b.clone()))
                        || soft.contains(&(f.b.clone(), f.a.clone())),
                    "{}-{} listed at {threshold} without scoring that well",
                    f.a,
                    f.b
                );
            }
            assert!(fast.len() >= brute.len(), "threshold {threshold}");
        }
    }
}
#[cfg(test)]
mod by_sound {
    use super::*;

    fn heard(g: &Glossary, hangul: &str) -> Option<String> {
        concept_by_sound(g, hangul, 1).map(|c| g.name(c).to_string())
    }

    #[test]
    fn hangul_spelling_of_an_english_term_finds_the_concept() {
        let g = Glossary::shipped();
        // Each of these is listed in the glossary only in English.
        for (hangul, english) in [
            ("크로스엔트로피", "교차엔트로피"),
            ("컨트라스티브러닝", "대조학습"),
            ("디시전트리", "결정트리"),
        ] {
            assert_eq!(heard(&g, hangul).as_deref(), Some(english), "{hangul}");
        }
    }

    #[test]
    fn a_term_written_otherwise_is_shown_as_a_pair() {
        let why = compare_incoming("피밸류가 뭐예요", "p-value란 무엇인가요?").why();
        assert!(why.contains("피밸류가≈p-value"), "{why}");
        // The same term with another particle or spacing is no pair worth showing.
        let why =
            compare_incoming("차원의 저주에 대해 설명해주세요.", "차원의저주가 무엇인지").why();
        assert!(!why.contains('≈'), "{why}");
    }

    #[test]
    fn pros_and_cons_in_one_word_ask_for_both() {
        assert_eq!(print("장단점은?").tokens, print("장점과 단점은?").tokens);
        assert!(compare_incoming("RNN 장단점", "RNN의 장점과 단점은 무엇인가요?").score > 0.9);
    }

    #[test]
    fn a_count_keeps_its_counter_and_loses_its_particle() {
        // `4가지와` once came apart as `4`, the particle `가`, and a word `지와`.
        let p = print("Transaction Isolation Level 4가지와 각각의 이상 현상");
        assert!(p.tokens.iter().any(|t| t == "~n4"), "{:?}", p.tokens);
        assert!(!p.tokens.iter().any(|t| t == "지와"), "{:?}", p.tokens);
        let p = print("4가지를");
        assert!(
            p.tokens.iter().all(|t| t.starts_with('~')),
            "{:?}",
            p.tokens
        );
        // After an English word a glued particle is still a word of its own.
        assert!(
            print("Semaphore의차이는")
                .tokens
                .iter()
                .any(|t| t == "?compare")
        );
    }

    #[test]
    fn words_run_together_need_a_longer_skeleton() {
        // Five consonants, the same as `one-sided test`'s: two words heard together by chance.
        let p = print("원스테이지 투스테이지 디텍터 차이?");
        assert!(!p.tokens.iter().any(|t| t == "#단측검정"), "{:?}", p.tokens);
        // Nor a question's words: `어떻게` is no part of a loanword.
        let p = print("A/B 테스트에서 필요한 표본 크기는 어떻게 계산하나요?");
        assert!(p.tokens.iter().any(|t| t == "?how"), "{:?}", p.tokens);
        assert_eq!(
            heard(&Glossary::shipped(), "디시전트리").as_deref(),
            Some("결정트리")
        );
        // Four words are never heard together (ai-tech-interview's network answers: `다 보내서
        // 더 이상` had the skeleton of *type hint*); a term of four is found as typed.
        let p = print("모든 데이터를 다 보내서 더 이상 보낼 데이터가 없다는 의미");
        assert!(!p.tokens.iter().any(|t| t == "#타입힌트"), "{:?}", p.tokens);
        let p = print("bias variance 트레이드 오프 설명");
        assert!(
            p.tokens.iter().any(|t| t == "#편향분산트레이드오프"),
            "{:?}",
            p.tokens
        );
    }

    #[test]
    fn native_words_and_short_skeletons_are_not_heard_as_english() {
        let g = Glossary::shipped();
        for word in [
            "모든",
            "때문",
            "별로",
            "그러니까",
            "어떻게하셨어요",
            "분류크로스엔트로피로스",
        ] {
            assert_eq!(heard(&g, word), None, "{word}");
        }
    }

    #[test]
    fn a_word_that_is_a_term_alone_is_not_swallowed_into_a_sound_match() {
        let g = Glossary::shipped();
        let p = print_with("분류에서 크로스엔트로피로스 왜 써요", &g).to_stored();
        assert!(p.contains("#교차엔트로피"), "{p:?}");
        assert!(!p.contains("#이진교차엔트로피"), "{p:?}");
    }
}
