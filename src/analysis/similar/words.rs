//! The words of a question, reduced to what a person compares: `추론최적화 어떻게 하셨어요?` and
//! `추론 최적화는 어떻게 진행했나요?` both become `추론최적화 · ?how` (진행 and 하셨어요 say nothing).
//!
//! # Why by hand
//!
//! A Korean morphological analyser would find stems properly, but none can be built here (see
//! the analyzer's notes: every one downloads its dictionary). Questions, though, use a small,
//! closed set of predicate endings — 했나요, 하셨어요, 말해보세요, 얘기해 주세요, 뭐예요, 인지 — so a
//! table of endings, stripped from the end of each word, finds the stem of nearly every word an
//! interviewer uses. What is left is looked up in `data/similar-words.txt`: words that only make
//! a sentence a question (`설명`, `어떤`, `아는 대로`) are dropped, and words that say the same thing
//! (`왜` / `이유`, `쓰` / `써` / `사용` / `use`) become one token.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The shipped word lists.
const WORDS: &str = include_str!("../../../data/similar-words.txt");

/// What a word stands for in a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// It only makes the sentence a question: ignored.
    Frame,
    /// A token shared by every word of its group (`?why`, `~use`).
    Group(String),
    /// A word of its own: the stem, to be cut into tokens.
    Content(String),
}

/// Frame words and groups, keyed by the word lower-cased without spaces.
struct Lexicon {
    roles: HashMap<String, Role>,
    /// Words listed under two roles (a mistake in the file; the later line wins).
    #[cfg_attr(not(test), allow(dead_code))]
    conflicts: Vec<String>,
    /// The longest entry, in words (`아는 대로` is two).
    longest: usize,
    /// The first words of entries of two words or more, lower-cased.
    phrase_starts: std::collections::HashSet<String>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(WORDS));

impl Lexicon {
    fn parse(text: &str) -> Lexicon {
        let mut roles: HashMap<String, Role> = HashMap::new();
        let mut conflicts = Vec::new();
        let mut phrase_starts = std::collections::HashSet::new();
        let mut longest = 1;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, list)) = line.split_once(':') else {
                continue;
            };
            let mut head = head.split_whitespace();
            let role = match (head.next(), head.next()) {
                (Some("frame"), None) => Role::Frame,
                (Some("intent"), Some(name)) => Role::Group(format!("?{name}")),
                (Some("same"), Some(name)) => Role::Group(format!("~{name}")),
                _ => continue,
            };
            for term in list.split('|').map(str::trim).filter(|t| !t.is_empty()) {
                longest = longest.max(term.split_whitespace().count());
                if let Some(first) = term.split_whitespace().next()
                    && term.split_whitespace().nth(1).is_some()
                {
                    phrase_starts.insert(first.to_lowercase());
                }
                if let Some(before) = roles.insert(key(term), role.clone())
                    && before != role
                {
                    conflicts.push(term.to_string());
                }
            }
        }
        Lexicon {
            roles,
            conflicts,
            longest,
            phrase_starts,
        }
    }
}

/// A word's lookup key: lower case, no spaces.
pub fn key(word: &str) -> String {
    word.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The role of `word` (already a stem, or a phrase of stems), if the word lists name it.
pub fn lookup(word: &str) -> Option<&'static Role> {
    if word
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_uppercase())
    {
        return LEXICON.roles.get(word);
    }
    LEXICON.roles.get(&key(word))
}

/// Whether an entry of two words or more starts with `word` (as written, or a stem).
pub fn starts_phrase(word: &str) -> bool {
    LEXICON.phrase_starts.contains(word) || LEXICON.phrase_starts.contains(&word.to_lowercase())
}

/// How many words the longest entry of the word lists has.
pub fn longest_entry() -> usize {
    LEXICON.longest
}

/// Whether `c` is a Hangul syllable.
pub fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Sentence endings of questions, requests and statements, after a verb stem or one of
/// [`TAILS`]. Longest first is not needed: every match is tried and the longest wins.
const FINALS: &[&str] = &[
    // questions
    "나요",
    "가요",
    "까요",
    "죠",
    "지요",
    "니",
    "냐",
    "나",
    "니까",
    "습니까",
    "는가",
    "는가요",
    "던가요",
    "는지",
    "은지",
    "인지",
    "인가",
    "인가요",
    "일까",
    "일까요",
    "건가요",
    "거죠",
    "거예요",
    "거에요",
    "건지",
    "던지",
    "냐고",
    "는지요",
    "을까",
    "을까요",
    "ㄹ까요",
    "래요",
    "대요",
    "나여",
    // polite and casual statements, answers
    "요",
    "어요",
    "아요",
    "여요",
    "에요",
    "예요",
    "이에요",
    "이예요",
    "어",
    "아",
    "야",
    "이야",
    "다",
    "니다",
    "습니다",
    "입니다",
    "합니다",
    "합니까",
    "됩니다",
    "됩니까",
    "임",
    "음",
    "함",
    "됨",
    // requests
    "세요",
    "셔요",
    "십시오",
    "보세요",
    "봐요",
    "봐",
    "볼래요",
    "보실래요",
    "봅시다",
    "보자",
    "주세요",
    "줘",
    "줘요",
    "주실래요",
    "주시겠어요",
    "주시겠습니까",
    "줄래요",
    "주실",
    "주시",
    "주시면",
    "봐주세요",
    "봐줘",
    "보시겠어요",
    "보실",
    "보시",
    "하라",
    "하시오",
    "시오",
    "보라",
    "해라",
    "봐라",
    // joining and describing a clause
    "고",
    "며",
    "면",
    "면서",
    "서",
    "는데",
    "은데",
    "인데",
    "던",
    "게",
    "기",
    "도록",
    "려고",
    "려면",
    "러",
    "는",
    "은",
    "을",
    "지",
    "다고",
    "다는",
    "냐는",
    "는다",
    "을수",
    "을지",
    "ㄹ지",
    // describing a noun: 선택한 (방법), 사용된, 할 (때)
    "한",
    "할",
    "된",
    "될",
    "하는",
    "되는",
    "했던",
    "하던",
    "하신",
    "했을",
    "되었던",
];

/// What sits between a stem and its ending: the light verbs 하다 and 되다 (with tense and honorific
/// fused in: 했, 하셨, 됐), and tense or honorific markers on another verb (었, 셨). Not 합 or
/// 함, which end too many nouns (`과적합`, `결함`): 합니다 and 함 are endings of their own.
const TAILS: &[&str] = &[
    "하", "해", "했", "하셨", "하시", "하신", "한", "할", "하는", "하던", "했던", "되", "돼", "됐",
    "된", "될", "됩", "되는", "되었", "되어", "시", "셨", "신", "었", "았", "였", "겠", "했었",
    "였었", "이었", "이였", "해보", "해봤", "해주", "해줬", "해본", "해야", "하게", "되게", "하기",
    "되기", "하지", "되지", "하면", "되면", "하고", "하여", "해서", "되서", "돼서",
];

/// `보다` after another verb ("try": `써보셨나요`, `해봤어요`), taken off only when a verb root
/// is left (`정보` keeps its 보).
const AUXILIARIES: &[&str] = &["보", "봤", "보셨", "보시", "봐", "본", "볼"];

/// Casual forms that end a sentence by themselves (`설명해`, `어떻게 돼`).
const COMPLETE: &[&str] = &["해", "돼", "봐", "줘", "써", "했", "됐"];

/// One-syllable verb roots common in questions, left when a one-syllable ending is stripped
/// (`쓰는` → `쓰`). Without the list, a two-syllable noun ending like an ending would lose its
/// second syllable (`중요` → `중`, `방지` → `방`).
const ROOTS: &[&str] = &[
    "쓰",
    "써",
    "썼",
    "막",
    "잡",
    "줄",
    "늘",
    "높",
    "낮",
    "알",
    "보",
    "봤",
    "하",
    "해",
    "했",
    "되",
    "돼",
    "됐",
    "찾",
    "풀",
    "많",
    "적",
    "크",
    "작",
    "같",
    "달",
    "나",
    "났",
    "생",
    "넣",
    "뺐",
    "빼",
    "쌓",
    "얻",
    "읽",
    "짜",
    "짰",
    "재",
    "쟀",
    "골",
    "고르",
    "뽑",
    "왜",
    "모으",
    "모았",
    "다루",
    "다뤘",
    "만들",
    "만드",
    "떨어지",
    "나오",
    "나왔",
    "오",
    "왔",
    "가",
    "갔",
];

/// Particles that follow a noun, longest first is not needed (the longest match wins). Stripped
/// only when at least two syllables remain (`차이` stays, `차이란` → `차이`). Not `도` ("also"):
/// far more question words end in the noun suffix 도 (`복잡도`, `정확도`, `유사도`).
const PARTICLES: &[&str] = &[
    "에서는",
    "으로는",
    "에게서",
    "이라고",
    "이라는",
    "이라든지",
    "이란",
    "에서",
    "에선",
    "에게",
    "한테",
    "으로",
    "이랑",
    "까지",
    "부터",
    "처럼",
    "보다",
    "하고",
    "이나",
    "할때",
    "일때",
    "때",
    "때는",
    "때랑",
    "때의",
    "에는요",
    "이에요",
    "인데요",
    "이라서",
    "라서",
    "이니까",
    "이며",
    "이고",
    "에는",
    "와의",
    "과의",
    "같은",
    "이든",
    "든지",
    "이서",
    "께서",
    "으로서",
    "로서",
    "로써",
    "이요",
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
    "만",
    "란",
    "나",
    "요",
];

static ENDING_TABLES: LazyLock<Tables> = LazyLock::new(Tables::new);

/// A set of endings, looked up by the word's last syllables (one hash lookup per length instead
/// of comparing every ending: prints are made for every question of a bank).
struct Endings {
    set: std::collections::HashSet<Vec<char>>,
    longest: usize,
}

impl Endings {
    fn new(list: &[&str]) -> Endings {
        let set: std::collections::HashSet<Vec<char>> = list
            .iter()
            .filter(|s| s.chars().all(is_hangul))
            .map(|s| s.chars().collect())
            .collect();
        let longest = set.iter().map(Vec::len).max().unwrap_or(0);
        Endings { set, longest }
    }

    /// The lengths of the endings `word` ends with, longest first.
    fn matches<'a>(&'a self, word: &'a [char]) -> impl Iterator<Item = usize> + 'a {
        (1..=self.longest.min(word.len()))
            .rev()
            .filter(move |&n| self.set.contains(&word[word.len() - n..]))
    }

    /// The longest ending of `word` that leaves at least `keep` syllables.
    fn longest_leaving(&self, word: &[char], keep: usize) -> Option<usize> {
        self.matches(word).find(|&n| word.len() >= n + keep)
    }

    fn contains(&self, word: &[char]) -> bool {
        self.set.contains(word)
    }
}

struct Tables {
    finals: Endings,
    tails: Endings,
    auxiliaries: Endings,
    complete: Endings,
    roots: Endings,
    particles: Endings,
}

impl Tables {
    fn new() -> Tables {
        Tables {
            finals: Endings::new(FINALS),
            tails: Endings::new(TAILS),
            auxiliaries: Endings::new(AUXILIARIES),
            complete: Endings::new(COMPLETE),
            roots: Endings::new(ROOTS),
            particles: Endings::new(PARTICLES),
        }
    }
}

/// `word` (Hangul) without a predicate ending: a final ending, then the light verbs and tense
/// markers before it. Empty when the whole word is a predicate without a subject of its own
/// (`하셨어요`, `했나요`).
fn strip_predicate(word: &[char]) -> &[char] {
    let t = &*ENDING_TABLES;
    let mut w = word;
    let mut stripped = false;
    // A final ending. A one-syllable ending may leave one syllable only when that is a known
    // verb root (`쓰는` → `쓰`, but `중요` stays).
    // A remainder of one syllable must be a word: a known verb root (`쓰는` → `쓰`, `쓰셨` →
    // `쓰`), or a word of the lists (`뭐고` → `뭐`, `하겠` → `하`).
    let word_of_one = |rest: &[char]| {
        rest.len() == 1
            && (t.roots.contains(rest) || lookup(&rest.iter().collect::<String>()).is_some())
    };
    for n in t.finals.matches(word) {
        let rest = &w[..w.len() - n];
        let ok = rest.len() >= 2
            || (rest.len() == 1 && (n >= 2 || word_of_one(rest)))
            || (rest.is_empty() && n >= 2);
        if ok {
            w = rest;
            stripped = true;
            break;
        }
    }
    if !stripped && let Some(n) = t.complete.longest_leaving(w, 2) {
        w = &w[..w.len() - n];
        stripped = true;
    }
    if !stripped {
        return word;
    }
    // The light verb, tense markers and `보다` ("try", after a verb: `써보셨` → `써`), as long as
    // what remains is a word (two syllables, or one that is a word: see above), or nothing at
    // all (the word was only a predicate: `하셨어요`).
    loop {
        let rest_ok = |n: usize| {
            let rest = &w[..w.len() - n];
            rest.is_empty() || rest.len() >= 2 || word_of_one(rest) || t.tails.contains(rest)
        };
        if let Some(n) = t.tails.matches(w).find(|&n| rest_ok(n)) {
            w = &w[..w.len() - n];
            continue;
        }
        if let Some(n) = t.auxiliaries.matches(w).find(|&n| {
            let rest = &w[..w.len() - n];
            word_of_one(rest) || t.tails.contains(rest)
        }) {
            w = &w[..w.len() - n];
            continue;
        }
        break;
    }
    w
}

/// `word` (Hangul) without a trailing particle, when at least two syllables remain.
fn strip_particle(word: &[char]) -> &[char] {
    match ENDING_TABLES.particles.longest_leaving(word, 2) {
        Some(n) => &word[..word.len() - n],
        None => word,
    }
}

/// The stem of a Hangul word: its particle or predicate ending stripped, twice at most
/// (`학습할때랑` → `학습할때` → `학습`). A particle of two syllables or more (`에서`, `이랑`) is
/// taken first; otherwise a predicate ending (`사용하는` → `사용`), else a one-syllable particle
/// (`데이터의` → `데이터`). Empty when the word is only a predicate (`하셨어요`).
pub fn stem(word: &str) -> String {
    stems(word).pop().unwrap_or_default()
}

/// The word and each shorter form [`stem`] passes through, in order (`추론속도` → `추론속도`,
/// `추론속`): the caller may know one of the longer forms as a word.
pub fn stems(word: &str) -> Vec<String> {
    let mut chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_string()];
    if let Some(verb) = formal_ending(&chars).or_else(|| jotted_verb(&chars)) {
        chars = verb;
    }
    let mut w: &[char] = &chars;
    for round in 0..2 {
        let particle = strip_particle(w);
        let long_particle = w.len() - particle.len() >= 2;
        let next = if long_particle {
            particle
        } else {
            let predicate = strip_predicate(w);
            if predicate.len() < w.len() {
                predicate
            } else if round == 0 {
                particle
            } else {
                // A second one-syllable particle is more likely part of the word (`정밀도`).
                w
            }
        };
        if next.len() == w.len() {
            break;
        }
        w = next;
        out.push(w.iter().collect());
        if lookup(&w.iter().collect::<String>()).is_some() {
            break;
        }
    }
    out
}

/// A formal ending fused with a vowel stem, rewritten as the everyday one: `다릅니까` →
/// `다르나요`, `생깁니다` → `생기나요`, `씁니까` → `쓰나요` (the ㅂ of ㅂ니다 sits in the stem's
/// last syllable, so no table of whole syllables can take it off; and the word then loses its
/// ending exactly as the everyday form does: `설명합니까` → `설명하나요` → `설명`). Not 습니다,
/// whose 습 is no stem (`막습니까`), nor the copula 입니다, which the table takes whole
/// (`데이터입니다`).
fn formal_ending(word: &[char]) -> Option<Vec<char>> {
    let n = word.len();
    if n < 3 || !(word[n - 1] == '까' || word[n - 1] == '다') || word[n - 2] != '니' {
        return None;
    }
    let before = word[n - 3];
    if !is_hangul(before) || matches!(before, '습' | '입') {
        return None;
    }
    let code = before as u32 - 0xAC00;
    // 17 is ㅂ in the order of Hangul syllable finals.
    if code % 28 != 17 {
        return None;
    }
    let mut verb = word[..n - 3].to_vec();
    verb.push(char::from_u32(0xAC00 + code - 17)?);
    verb.extend(['나', '요']);
    Some(verb)
}

/// A verb of one syllable jotted with the noun ending ㅁ (`배치놈 왜 씀`, `뭐 봄`), rewritten as
/// the everyday form (`쓰나요`, `보나요`), as [`formal_ending`] does for ㅂ니다. Only these few
/// one-syllable words: longer words ending in ㅁ are mostly nouns (`시스템`, `알고리즘`).
fn jotted_verb(word: &[char]) -> Option<Vec<char>> {
    let verb = match word {
        ['씀'] => '쓰',
        ['봄'] => '보',
        ['줌'] => '주',
        ['둠'] => '두',
        ['뺌'] => '빼',
        _ => return None,
    };
    Some(vec![verb, '나', '요'])
}

/// `word` with the final consonant ㄴ or ㄹ taken off its last syllable (`떨어진` → `떨어지`),
/// when it has one and at least two syllables.
pub fn without_final_n_or_l(word: &str) -> Option<String> {
    let mut chars: Vec<char> = word.chars().collect();
    let last = *chars.last()?;
    if chars.len() < 2 || !is_hangul(last) {
        return None;
    }
    let code = last as u32 - 0xAC00;
    let final_consonant = code % 28;
    // 4 is ㄴ, 8 is ㄹ in the order of Hangul syllable finals.
    if final_consonant != 4 && final_consonant != 8 {
        return None;
    }
    *chars.last_mut()? = char::from_u32(0xAC00 + code - final_consonant)?;
    Some(chars.into_iter().collect())
}

/// `word` without each particle it may end with, longest remainder first (`어레이랑` → `어레이`
/// (랑), `어레` (이랑)): when the usual choice is not a known word, another may be.
pub fn particle_forms(word: &str) -> Vec<String> {
    particle_forms_keeping(word, 2)
}

/// [`particle_forms`], leaving at least `keep` syllables: the last word of a term of several
/// words may be one syllable (`시스템 콜은`, `해시 맵을`).
pub fn particle_forms_keeping(word: &str, keep: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<String> = ENDING_TABLES
        .particles
        .matches(&chars)
        .filter(|&n| chars.len() >= n + keep)
        .map(|n| chars[..chars.len() - n].iter().collect())
        .collect();
    out.sort_by_key(|f: &String| std::cmp::Reverse(f.chars().count()));
    out
}

/// Whether the whole word is a particle (`은` glued to an English word: `Dropout은`).
pub fn is_particle(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    ENDING_TABLES.particles.contains(&chars)
}

/// The role of a Hangul word: looked up as written, then without a particle (even when that
/// leaves one syllable: `뭐가` → `뭐`), then as its stem. A word that is only a particle or only
/// a predicate is frame.
pub fn hangul_role(word: &str) -> Role {
    if let Some(r) = lookup(word) {
        return r.clone();
    }
    if is_particle(word) {
        return Role::Frame;
    }
    let chars: Vec<char> = word.chars().collect();
    if let Some(n) = ENDING_TABLES.particles.longest_leaving(&chars, 1)
        && let Some(r) = lookup(&chars[..chars.len() - n].iter().collect::<String>())
    {
        return r.clone();
    }
    let s = stem(word);
    if s.is_empty() {
        return Role::Frame;
    }
    if let Some(r) = lookup(&s) {
        return r.clone();
    }
    Role::Content(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_and_written_endings_leave_the_same_stem() {
        for (word, want) in [
            ("최적화하셨어요", "최적화"),
            ("진행했나요", "진행"),
            ("사용하는", "사용"),
            ("정규화하는", "정규화"),
            ("데이터의", "데이터"),
            ("데이터는", "데이터"),
            ("방지하려면", "방지"),
            ("차이란", "차이"),
            ("중요", "중요"),
            ("방지", "방지"),
            ("예시", "예시"),
            ("과적합을", "과적합"),
            ("하셨어요", ""),
            ("했나요", ""),
            ("설명해", "설명"),
            ("쓰는", "쓰"),
            ("재구축했어요", "재구축"),
            ("개선됐나요", "개선"),
            ("저장되었나요", "저장"),
            ("다릅니까", "다르"),
            ("생깁니까", "생기"),
            ("생기나요", "생기"),
            ("씁니까", "쓰"),
            ("씀", "쓰"),
            ("쓰나요", "쓰"),
            ("막습니까", "막"),
            ("설명합니까", "설명"),
            ("됩니까", ""),
            ("데이터입니다", "데이터"),
            // The same stem as the everyday form: `정합니다` is `정하나요` (decide), not `정`.
            ("정합니다", "정하"),
            ("정하나요", "정하"),
        ] {
            assert_eq!(stem(word), want, "{word}");
        }
    }

    #[test]
    fn no_word_has_two_roles() {
        assert!(LEXICON.conflicts.is_empty(), "{:?}", LEXICON.conflicts);
    }

    #[test]
    fn frame_words_and_groups() {
        assert_eq!(hangul_role("설명해주세요"), Role::Frame);
        assert_eq!(hangul_role("얘기해"), Role::Frame);
        assert_eq!(hangul_role("뭐예요"), Role::Frame);
        assert_eq!(hangul_role("무엇인지"), Role::Frame);
        assert_eq!(hangul_role("하셨어요"), Role::Frame);
        assert_eq!(hangul_role("왜"), Role::Group("?why".into()));
        assert_eq!(hangul_role("이유는"), Role::Group("?why".into()));
        assert_eq!(hangul_role("어떻게"), Role::Group("?how".into()));
        assert_eq!(hangul_role("써요"), hangul_role("사용하나요"));
        assert_eq!(hangul_role("최적화"), Role::Content("최적화".into()));
    }
}
