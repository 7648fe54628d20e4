//! Korean ↔ English term equivalence: the glossary shipped with kb plus the knowledge base's own
//! `synonyms.txt`, both in the same format (one concept per line, terms separated by `|`, `#`
//! comments).
//!
//! Matching ignores case and spaces, so `경사 하강법`, `경사하강법` and `Gradient Descent` are one key
//! each; a query word with a particle glued to it (`과적합을`) also matches after the particle is
//! dropped.

use std::collections::HashMap;
use std::path::Path;

use super::analyzer;
use crate::error::Problem;

/// The glossary shipped with kb (data/glossary.txt).
const SHIPPED: &str = include_str!("../../data/glossary.txt");

/// Concepts named by a run of words: (first word, number of words, concept indices).
pub type Span = (usize, usize, Vec<usize>);

/// The per-knowledge-base synonyms file, next to kb.yaml.
pub use crate::store::SYNONYMS_FILE;

/// Concepts and a lookup from normalised term to concept.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    concepts: Vec<Vec<String>>,
    by_key: HashMap<String, Vec<usize>>,
    /// Whether terms other than the shipped ones were added (a knowledge base's synonyms).
    extended: bool,
    /// For terms typed with one syllable wrong; made when first needed (only comparisons ask).
    near: std::sync::OnceLock<Near>,
    /// Concepts by how their English terms sound when written in Hangul; made by
    /// [`Glossary::by_sound`]'s caller when first needed.
    sounds: std::sync::OnceLock<HashMap<String, Vec<(usize, usize)>>>,
}

/// Hangul keys of four syllables or more with one syllable blanked out (`*`), for terms typed
/// with one syllable wrong (`하이퍼파라메터`, `트랜젝션`).
#[derive(Debug, Default, Clone)]
struct Near {
    blanked: HashMap<String, Vec<usize>>,
    /// (length, first syllable) and (length, last syllable) of those keys: a word that shares
    /// neither with any of them is one syllable away from none (checked before `blanked`).
    first: std::collections::HashSet<(usize, char)>,
    last: std::collections::HashSet<(usize, char)>,
}

/// The shipped glossary, parsed once per process.
static SHIPPED_GLOSSARY: std::sync::LazyLock<Glossary> = std::sync::LazyLock::new(|| {
    let mut g = Glossary::default();
    g.add_text(SHIPPED);
    g.extended = false;
    g
});

/// The key a term is looked up by: lower case, no spaces or hyphens (`F1-score` = `F1 score`).
pub fn key(term: &str) -> String {
    term.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Glossary {
    /// The shipped glossary plus `synonyms.txt` in `kb_root`, if present. Problems in the user's
    /// file are returned, never fatal.
    pub fn load(kb_root: &Path) -> (Glossary, Vec<Problem>) {
        let mut g = SHIPPED_GLOSSARY.clone();
        let mut problems = Vec::new();
        let path = kb_root.join(SYNONYMS_FILE);
        if path.is_file() {
            match crate::store::read_text(&path) {
                Ok(text) => g.add_text(&text),
                Err(crate::Error::Invalid(p)) => problems.push(p),
                Err(e) => problems.push(Problem {
                    path: crate::error::display_path(&path),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                }),
            }
        }
        (g, problems)
    }

    /// Only the shipped glossary.
    pub fn shipped() -> Glossary {
        SHIPPED_GLOSSARY.clone()
    }

    /// The shipped glossary, shared (no copy).
    pub fn shipped_ref() -> &'static Glossary {
        &SHIPPED_GLOSSARY
    }

    /// Add concepts from text in the glossary format. A user's line that shares a term with a
    /// shipped concept simply adds a second concept; lookups return both.
    pub fn add_text(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let terms: Vec<String> = line
                .split('|')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            if terms.len() < 2 {
                continue;
            }
            let index = self.concepts.len();
            for t in &terms {
                let k = key(t);
                let entry = self.by_key.entry(k).or_default();
                if !entry.contains(&index) {
                    entry.push(index);
                }
            }
            self.concepts.push(terms);
            self.extended = true;
        }
        self.near = std::sync::OnceLock::new();
        self.sounds = std::sync::OnceLock::new();
    }

    /// Each concept's terms, by concept index.
    pub fn concepts(&self) -> impl Iterator<Item = (usize, &[String])> {
        self.concepts
            .iter()
            .enumerate()
            .map(|(i, t)| (i, t.as_slice()))
    }

    /// The terms of one concept (an index from [`Glossary::concepts_in`]); none for an index
    /// out of range.
    pub fn terms(&self, concept: usize) -> &[String] {
        self.concepts.get(concept).map_or(&[], Vec::as_slice)
    }

    /// A table made from this glossary once (by `build`) and kept with it until terms are
    /// added: the similarity's concepts by the sound of their English terms.
    pub fn by_sound(
        &self,
        build: impl FnOnce(&Glossary) -> HashMap<String, Vec<(usize, usize)>>,
    ) -> &HashMap<String, Vec<(usize, usize)>> {
        self.sounds.get_or_init(|| build(self))
    }

    fn near(&self) -> &Near {
        self.near.get_or_init(|| {
            let mut near = Near::default();
            for (k, concepts) in &self.by_key {
                let chars: Vec<char> = k.chars().collect();
                if chars.len() < 4 || !chars.iter().all(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)) {
                    continue;
                }
                near.first.insert((chars.len(), chars[0]));
                near.last.insert((chars.len(), chars[chars.len() - 1]));
                for i in 0..chars.len() {
                    let mut blank = chars.clone();
                    blank[i] = '*';
                    let entry = near.blanked.entry(blank.into_iter().collect()).or_default();
                    for &c in concepts {
                        if !entry.contains(&c) {
                            entry.push(c);
                        }
                    }
                }
            }
            near
        })
    }

    /// Whether a knowledge base's own terms were added to the shipped ones.
    pub fn is_extended(&self) -> bool {
        self.extended
    }

    /// The concepts `term` names (case and spaces do not matter), if any.
    pub fn concepts_of(&self, term: &str) -> Option<&[usize]> {
        let is_key = term
            .chars()
            .all(|c| !c.is_whitespace() && c != '-' && !c.is_uppercase());
        if is_key {
            // Most terms looked up are already keys (Hangul words, lower-case English).
            return self.by_key.get(term).map(Vec::as_slice);
        }
        self.by_key.get(&key(term)).map(Vec::as_slice)
    }

    /// The one concept a Hangul term of four syllables or more names with one syllable
    /// changed, if exactly one does.
    pub fn concept_near(&self, term: &str) -> Option<usize> {
        let chars: Vec<char> = term
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        let near = self.near();
        if chars.len() < 4
            || !(near.first.contains(&(chars.len(), chars[0]))
                || near.last.contains(&(chars.len(), chars[chars.len() - 1])))
        {
            return None;
        }
        // The syllable typed differently keeps its first consonant (`메`/`미`, `젝`/`잭`): a
        // slip of the vowel, not another word.
        let initial = |c: char| (c as u32).wrapping_sub(0xAC00) / 588;
        let mut all = Vec::new();
        for i in 0..chars.len() {
            let mut blank = chars.clone();
            blank[i] = '*';
            let pattern: String = blank.into_iter().collect();
            let Some(v) = near.blanked.get(&pattern) else {
                continue;
            };
            for &c in v {
                let same_initial = self.concepts[c].iter().any(|t| {
                    let k: Vec<char> = key(t).chars().collect();
                    k.len() == chars.len()
                        && k.iter().zip(&chars).enumerate().all(|(j, (a, b))| {
                            if j == i {
                                initial(*a) == initial(*b)
                            } else {
                                a == b
                            }
                        })
                });
                if same_initial {
                    all.push(c);
                }
            }
        }
        all.sort_unstable();
        all.dedup();
        match all.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// A concept's name: its first term as written in the glossary, lower-cased and without
    /// spaces (stable as long as that line's first term stays).
    pub fn name(&self, concept: usize) -> String {
        key(&self.concepts[concept][0])
    }

    /// Every term's lookup key (see [`key`]), in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(String::as_str)
    }

    /// The terms as written in the glossary whose key is `k` (`해시테이블` → `해시 테이블`,
    /// `해시테이블`).
    pub fn written(&self, k: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for &c in self.by_key.get(k).map(Vec::as_slice).unwrap_or_default() {
            for t in &self.concepts[c] {
                if key(t) == k && !out.contains(&t.as_str()) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// The equivalents of `term` (other terms of every concept it belongs to), or nothing.
    pub fn equivalents(&self, term: &str) -> Vec<&str> {
        let k = key(term);
        let mut out: Vec<&str> = Vec::new();
        let mut hits = self.by_key.get(&k).cloned().unwrap_or_default();
        if hits.is_empty() {
            // `과적합을` → `과적합`: try the word without a glued particle.
            let chars: Vec<char> = k.chars().collect();
            let stripped = analyzer::strip_particle(&chars);
            if stripped.len() < chars.len() {
                let s: String = stripped.iter().collect();
                hits = self.by_key.get(&s).cloned().unwrap_or_default();
            }
        }
        for i in hits {
            for t in &self.concepts[i] {
                if key(t) != k && !out.contains(&t.as_str()) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The words of `text` (split at spaces, punctuation, and where Hangul meets Latin script:
    /// `Semaphore의차이는` is two words) and the concepts named in it: for each, the first word,
    /// the number of words, and the concept indices. Runs of one to three words are tried,
    /// longest first; a particle glued to the last word is allowed.
    pub fn spans<'t>(&self, text: &'t str) -> (Vec<&'t str>, Vec<Span>) {
        let words = split_words(text);
        let mut spans = Vec::new();
        let mut start = 0;
        while start < words.len() {
            let mut step = 1;
            for len in (1..=3).rev() {
                if start + len > words.len() {
                    continue;
                }
                let k = key(&words[start..start + len].join(" "));
                let mut hits = self.by_key.get(&k).cloned().unwrap_or_default();
                if hits.is_empty() {
                    let chars: Vec<char> = k.chars().collect();
                    let stripped = analyzer::strip_particle(&chars);
                    if stripped.len() < chars.len() {
                        hits = self
                            .by_key
                            .get(&stripped.iter().collect::<String>())
                            .cloned()
                            .unwrap_or_default();
                    }
                }
                if !hits.is_empty() {
                    spans.push((start, len, hits));
                    step = len;
                    break;
                }
            }
            start += step;
        }
        (words, spans)
    }

    /// The concepts named in `text` (indices into the glossary), sorted.
    pub fn concepts_in(&self, text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .spans(text)
            .1
            .into_iter()
            .flat_map(|(_, _, c)| c)
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// Expansions for a query: for each run of one to three consecutive words that names a
    /// concept, the concept's other terms. Returns (index of the first word, words covered,
    /// equivalents).
    pub fn expand<'a>(&'a self, words: &[String]) -> Vec<(usize, usize, Vec<&'a str>)> {
        let mut out = Vec::new();
        for start in 0..words.len() {
            for len in (1..=3).rev() {
                if start + len > words.len() {
                    continue;
                }
                let phrase = words[start..start + len].join(" ");
                let eq = self.equivalents(&phrase);
                if !eq.is_empty() {
                    out.push((start, len, eq));
                    break;
                }
            }
        }
        out
    }
}

/// Words for glossary matching: split at whitespace and punctuation, and between Hangul and
/// Latin letters (a particle is often glued to an English term: `Semaphore의`).
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_hangul: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let separator = c.is_whitespace() || "?,.!()[]{}\"'“”‘’·/:;".contains(c);
        let hangul = ('\u{AC00}'..='\u{D7A3}').contains(&c);
        if separator {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
            last_hangul = None;
            continue;
        }
        if let (Some(s), Some(prev)) = (start, last_hangul)
            && prev != hangul
        {
            words.push(&text[s..i]);
            start = Some(i);
        }
        if start.is_none() {
            start = Some(i);
        }
        last_hangul = Some(hangul);
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_glossary_links_korean_and_english() {
        let g = Glossary::shipped();
        assert!(g.len() >= 400, "{}", g.len());
        let eq = g.equivalents("과적합");
        assert!(
            eq.iter().any(|t| t.eq_ignore_ascii_case("overfitting")),
            "{eq:?}"
        );
        let eq = g.equivalents("Gradient Descent");
        assert!(
            eq.contains(&"경사하강법") || eq.contains(&"경사 하강법"),
            "{eq:?}"
        );
        let eq = g.equivalents("경사하강법");
        assert!(
            eq.iter()
                .any(|t| t.eq_ignore_ascii_case("gradient descent")),
            "{eq:?}"
        );
        let eq = g.equivalents("과적합을");
        assert!(
            eq.iter().any(|t| t.eq_ignore_ascii_case("overfitting")),
            "particle: {eq:?}"
        );
    }

    #[test]
    fn multi_word_terms_are_found_in_a_query() {
        let g = Glossary::shipped();
        let words: Vec<String> = ["gradient", "descent", "설명"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let found = g.expand(&words);
        assert_eq!(found[0].0, 0);
        assert_eq!(found[0].1, 2);
    }

    #[test]
    fn no_term_belongs_to_two_shipped_concepts() {
        let g = Glossary::shipped();
        for (k, concepts) in &g.by_key {
            assert_eq!(
                concepts.len(),
                1,
                "{k:?} is on lines of {:?}",
                concepts.iter().map(|c| &g.concepts[*c]).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn concepts_are_found_in_either_language() {
        let g = Glossary::shipped();
        let ko = g.concepts_in("가상메모리랑 페이징이 뭔지 설명해 주세요.");
        let en = g.concepts_in("Virtual Memory와 Paging을 설명해주세요.");
        assert!(
            !ko.is_empty() && ko.iter().any(|c| en.contains(c)),
            "{ko:?} / {en:?}"
        );
    }

    #[test]
    fn user_synonyms_extend_the_glossary() {
        let mut g = Glossary::shipped();
        g.add_text("# mine\n사내 용어 | in-house term\n");
        assert_eq!(g.equivalents("사내용어"), vec!["in-house term"]);
    }
}
