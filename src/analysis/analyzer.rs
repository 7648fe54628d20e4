//! The analyzer that makes search work for Korean mixed with English.
//!
//! # Why this technique
//!
//! Korean glues particles and endings to words (`차원의저주가`, `쿠키랑`) and people space words
//! inconsistently (`가상메모리` / `가상 메모리`). A whitespace tokenizer therefore fails: the whole
//! eojeol `기술면접은` becomes one token, and `면접` never matches it. Two real options:
//!
//! - a morphological analyser (mecab-ko-dic through lindera) splits eojeols into morphemes. Its
//!   dictionary must be downloaded at build time, which this project's build machines cannot do,
//!   and shipping a 40+ MB dictionary for a personal notes tool is out of proportion;
//! - character n-grams: every Hangul run becomes overlapping bigrams (`차원의저주` → 차원 원의 의저
//!   저주), the technique of Lucene's CJKBigramFilter. Spacing stops mattering (the bigrams of
//!   `가상메모리` include those of `가상 메모리`), and a particle costs one extra bigram instead of a
//!   miss. BM25 then prefers documents that share more, and rarer, bigrams.
//!
//! On top of bigrams this analyzer can (a) strip a trailing particle (josa) from each Hangul run,
//! dropping the bigram that only carried the particle, and (b) also emit single-syllable tokens.
//! Which combination ships was decided by measurement on the search-quality set
//! (`tests/it/search_quality.rs`, numbers in docs/SEARCH.md), not by taste: see [`Options::SHIPPED`].
//!
//! English and other Latin-script words are lower-cased and stemmed (Snowball English:
//! `Decorators` → `decor`). Technical tokens keep their shape: `p-value`, `3-way-handshake`,
//! `TCP/IP`, `node.js` are emitted whole (unstemmed) and also as their parts at the same
//! positions, so both `p-value` and `value` find them; `C++` and `C#` keep their symbols; `L1`
//! stays `l1`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Bumped whenever the tokens produced for the same text change: an index built with another
/// version is rebuilt.
pub const VERSION: u32 = 4;

/// The name the analyzer is registered under in the tantivy index.
pub const NAME: &str = "kb_ko_en";

/// Tuning knobs, kept so the search-quality test can compare variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Also index each Hangul syllable on its own.
    pub unigrams: bool,
    /// Drop a trailing particle from each Hangul run before making bigrams, and drop a particle
    /// glued to an English word (`Normalization의`).
    pub strip_particles: bool,
}

impl Options {
    /// Plain overlapping bigrams.
    pub const BIGRAMS: Options = Options {
        unigrams: false,
        strip_particles: false,
    };
    /// The variant kb uses (chosen by the search-quality measurements).
    pub const SHIPPED: Options = Options {
        unigrams: false,
        strip_particles: true,
    };
}

/// The tantivy tokenizer.
#[derive(Clone)]
pub struct KoEnTokenizer {
    options: Options,
    tokens: Vec<Token>,
}

impl KoEnTokenizer {
    pub fn new(options: Options) -> KoEnTokenizer {
        KoEnTokenizer {
            options,
            tokens: Vec::new(),
        }
    }
}

/// The tokens of one text.
pub struct KoEnTokenStream<'a> {
    tokens: &'a [Token],
    next: usize,
}

impl Tokenizer for KoEnTokenizer {
    type TokenStream<'a> = KoEnTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KoEnTokenStream<'a> {
        self.tokens.clear();
        analyze(text, self.options, &mut self.tokens);
        KoEnTokenStream {
            tokens: &self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for KoEnTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        unreachable!("kb's token stream is read-only; no filter is chained after it")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Hangul, Han and Kana: scripts written without reliable word boundaries.
    Cjk,
    /// Letters and digits of alphabetic scripts.
    Word,
    Other,
}

fn class(c: char) -> Class {
    let u = c as u32;
    let cjk = matches!(u,
        0xAC00..=0xD7A3   // Hangul syllables
        | 0x1100..=0x11FF // Hangul jamo
        | 0x3130..=0x318F // Hangul compatibility jamo (ㅋㅋ)
        | 0xA960..=0xA97F | 0xD7B0..=0xD7FF
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF // Han
    );
    if cjk {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// Particles (josa) and the copula forms that most often end a Korean noun phrase, longest
/// first, and the suffix `점` (`차이점` → `차이`, `문제점` → `문제`). Stripped when at least two syllables remain (one after a longer particle: see
/// [`particle_len`]), so `차이` or `결과` stay whole.
const PARTICLES: &[&str] = &[
    "에서는",
    "으로는",
    "에게서",
    "이라고",
    "이라는",
    "이란",
    "점은",
    "점이",
    "점을",
    "점과",
    "에서",
    "에게",
    "으로",
    "이랑",
    "까지",
    "부터",
    "처럼",
    "보다",
    "라고",
    "라는",
    "하고",
    "이나",
    "이며",
    "이고",
    "에는",
    "와의",
    "과의",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "와",
    "과",
    "로",
    "랑",
    "도",
    "만",
    "란",
    "나",
    "점",
];

/// [`PARTICLES`] as characters, decoded once.
static PARTICLE_CHARS: std::sync::LazyLock<Vec<Vec<char>>> =
    std::sync::LazyLock::new(|| PARTICLES.iter().map(|p| p.chars().collect()).collect());

/// The particles stripped from the end of a Hangul run, longest first: the page's search
/// (`ops::page`) is given this list so it cuts query words as the index does.
pub fn particles() -> &'static [&'static str] {
    PARTICLES
}

/// A Latin-script word as the index keeps it: lower-cased, stemmed unless it holds a digit.
pub fn stem_word(word: &str) -> String {
    let word = word.to_lowercase();
    if word.chars().any(|c| c.is_ascii_digit()) {
        word
    } else {
        frostem::Stemmer::new(frostem::Algorithm::English)
            .stem(&word)
            .into_owned()
    }
}

/// The particle at the end of `run` (as chars), if stripping leaves at least two syllables —
/// or one, when the particle is two syllables or more and cannot end a longer noun (`힙에서`,
/// `큐에는`, `락으로`: technical nouns of one syllable are common, and `에서` left in the word
/// matched every `…에서` of the bank). One-syllable particles stay on a two-syllable run
/// (`차이`, `결과`), and so do the `점` forms (`단점은`).
fn particle_len(run: &[char]) -> usize {
    PARTICLE_CHARS
        .iter()
        .find(|p| {
            let one_left = p.len() >= 2 && p[0] != '점' && run.len() > p.len();
            (run.len() >= p.len() + 2 || one_left) && run.ends_with(p)
        })
        .map_or(0, |p| p.len())
}

/// `run` without a trailing particle (when at least two syllables remain).
pub fn strip_particle(run: &[char]) -> &[char] {
    &run[..run.len() - particle_len(run)]
}

/// Whether the whole run is a particle (used for runs glued to an English word).
fn is_particle(run: &[char]) -> bool {
    PARTICLE_CHARS.iter().any(|p| p.as_slice() == run)
}

/// Characters that join the parts of a technical token: `p-value`, `tcp/ip`, `node.js`, `snake_case`.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | '_')
}

/// Analyze `text` into `out`. Exposed for the query side, which must cut words exactly as the
/// index did.
pub fn analyze(text: &str, options: Options, out: &mut Vec<Token>) {
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    let mut position = 0usize;
    let mut i = 0;
    let push = |out: &mut Vec<Token>, from: usize, to: usize, text: String, position: usize| {
        out.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text,
            position_length: 1,
        });
    };
    while i < chars.len() {
        match class(chars[i].1) {
            Class::Other => i += 1,
            Class::Cjk => {
                let start = i;
                while i < chars.len() && class(chars[i].1) == Class::Cjk {
                    i += 1;
                }
                let mut run: Vec<char> = chars[start..i].iter().map(|(_, c)| *c).collect();
                let mut start = start;
                let glued_to_word = start > 0 && class(chars[start - 1].1) == Class::Word;
                if options.strip_particles && glued_to_word {
                    if is_particle(&run) {
                        continue; // `Normalization의`: the particle carries nothing
                    }
                    // `Semaphore의차이는`: a particle glued between an English word and the next
                    // Korean word, spaces forgotten. Only particles that rarely start a word.
                    if run.len() > 2
                        && matches!(
                            run[0],
                            '의' | '는' | '은' | '을' | '를' | '와' | '과' | '랑'
                        )
                    {
                        run.remove(0);
                        start += 1;
                    }
                }
                let keep = if options.strip_particles {
                    run.len() - particle_len(&run)
                } else {
                    run.len()
                };
                if keep == 1 {
                    push(
                        out,
                        chars[start].0,
                        end_of(start + 1),
                        run[0].to_string(),
                        position,
                    );
                    position += 1;
                    continue;
                }
                for k in 0..keep - 1 {
                    let from = chars[start + k].0;
                    let to = end_of(start + k + 2);
                    if options.unigrams {
                        push(
                            out,
                            from,
                            end_of(start + k + 1),
                            run[k].to_string(),
                            position,
                        );
                    }
                    push(out, from, to, text[from..to].to_string(), position);
                    position += 1;
                }
                if options.unigrams {
                    let last = start + keep - 1;
                    push(
                        out,
                        chars[last].0,
                        end_of(last + 1),
                        run[keep - 1].to_string(),
                        position - 1,
                    );
                }
            }
            Class::Word => {
                // One technical token: alphanumeric parts joined by `-` `/` `.` `_`, with an
                // optional `+`/`#` tail (C++, C#).
                let start = i;
                let mut parts: Vec<(usize, usize)> = Vec::new();
                loop {
                    let part_start = i;
                    while i < chars.len() && class(chars[i].1) == Class::Word {
                        i += 1;
                    }
                    parts.push((part_start, i));
                    if i + 1 < chars.len()
                        && is_joiner(chars[i].1)
                        && class(chars[i + 1].1) == Class::Word
                    {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let mut tail = i;
                while tail < chars.len() && matches!(chars[tail].1, '+' | '#') {
                    tail += 1;
                }
                // `C++`/`C#`, but not the `#` of a Markdown heading after a space.
                let has_tail = tail > i && tail - i <= 2;
                if has_tail {
                    i = tail;
                }
                let (from, to) = (chars[start].0, end_of(i));
                if parts.len() > 1 || has_tail {
                    push(out, from, to, text[from..to].to_lowercase(), position);
                }
                for (a, b) in parts {
                    let (pf, pt) = (chars[a].0, end_of(b));
                    let word = text[pf..pt].to_lowercase();
                    let word = if word.chars().any(|c| c.is_ascii_digit()) {
                        word
                    } else {
                        stemmer.stem(&word).into_owned()
                    };
                    push(out, pf, pt, word, position);
                    position += 1;
                }
            }
        }
    }
}

/// The token texts of `text`, for tests and the query builder.
pub fn terms(text: &str, options: Options) -> Vec<String> {
    let mut out = Vec::new();
    analyze(text, options, &mut out);
    out.into_iter().map(|t| t.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        terms(text, Options::BIGRAMS)
    }

    #[test]
    fn hangul_becomes_overlapping_bigrams_so_spacing_does_not_matter() {
        assert_eq!(t("차원의저주"), ["차원", "원의", "의저", "저주"]);
        assert_eq!(t("차원의 저주"), ["차원", "원의", "저주"]);
        let spaced = t("가상 메모리");
        for bigram in &spaced {
            assert!(t("가상메모리").contains(bigram), "{bigram}");
        }
        assert_eq!(t("힙"), ["힙"]);
    }

    #[test]
    fn particles_are_stripped_when_enabled() {
        let o = Options::SHIPPED;
        assert_eq!(terms("쿠키랑", o), ["쿠키"]);
        assert_eq!(terms("가상메모리가", o), ["가상", "상메", "메모", "모리"]);
        assert_eq!(terms("차이", o), ["차이"], "two syllables stay whole");
        assert_eq!(terms("차이점은", o), ["차이"]);
        assert_eq!(terms("Normalization의 효과는", o), ["normal", "효과"]);
        assert_eq!(
            terms("Semaphore의차이는", o),
            ["semaphor", "차이"],
            "a particle glued in between"
        );
    }

    #[test]
    fn english_is_lowercased_and_stemmed() {
        assert_eq!(t("Decorators"), ["decor"]);
        assert_eq!(t("decorator"), ["decor"]);
        assert_eq!(t("Running TESTS"), ["run", "test"]);
    }

    #[test]
    fn technical_tokens_survive_whole_and_as_parts() {
        assert_eq!(t("p-value"), ["p-value", "p", "valu"]);
        assert_eq!(
            t("3-way-handshake"),
            ["3-way-handshake", "3", "way", "handshak"]
        );
        assert_eq!(t("TCP/IP"), ["tcp/ip", "tcp", "ip"]);
        assert_eq!(t("C++와 C#"), ["c++", "c", "와", "c#", "c"]);
        assert_eq!(t("L1, L2"), ["l1", "l2"]);
        assert_eq!(t("end."), ["end"]);
        assert_eq!(t("## 제목"), ["제목"]);
    }

    #[test]
    fn mixed_words_split_at_the_script_boundary() {
        assert_eq!(t("ReLU를"), ["relu", "를"]);
        assert_eq!(terms("ReLU를", Options::SHIPPED), ["relu"]);
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "BN은 학습을 p-value로";
        let mut out = Vec::new();
        analyze(text, Options::BIGRAMS, &mut out);
        let slices: Vec<(&str, &str)> = out
            .iter()
            .map(|t| (&text[t.offset_from..t.offset_to], t.text.as_str()))
            .collect();
        assert_eq!(
            slices,
            [
                ("BN", "bn"),
                ("은", "은"),
                ("학습", "학습"),
                ("습을", "습을"),
                ("p-value", "p-value"),
                ("p", "p"),
                ("value", "valu"),
                ("로", "로"),
            ]
        );
    }
}
