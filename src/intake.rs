//! Taking in what was asked at an interview: the plain-text list people write the evening after,
//! and recording an occurrence on a question already in the bank.
//!
//! The list has one forgiving format, so that nobody has to learn one: [`LIST_FORMAT_HELP`] is
//! the rule as people read it, [`parse_list`] the rule as the code reads it. Where a line could
//! be read either way it is read as a question: a note split off as a question shows in what
//! `kb interview add` reports and costs a moment; a question read as a note is lost.

use crate::import::duplicate_key;
use crate::model::{Asked, Question, normalise_question};
use crate::yaml::normalise_block;

/// The list format for people (src/intake_help.txt): shown by `kb interview add --help` and
/// copied into the README.
pub const LIST_FORMAT_HELP: &str = include_str!("intake_help.txt");

/// A question as it came in, with the answer given (or meant to be given), if written down.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub question: String,
    pub answer: String,
}

/// What a list holds, for people: `12 questions, 3 with notes`, `1 question, 1 with a note`,
/// `0 questions` (no count of notes when there are none).
pub fn summary(list: &[Incoming]) -> String {
    let n = list.len();
    let questions = format!("{n} question{}", if n == 1 { "" } else { "s" });
    match list.iter().filter(|i| !i.answer.trim().is_empty()).count() {
        0 => questions,
        1 => format!("{questions}, 1 with a note"),
        noted => format!("{questions}, {noted} with notes"),
    }
}

/// Read a list of questions (see [`LIST_FORMAT_HELP`]). CRLF is fine; everything from a
/// [`crate::draft::SCISSORS`] line down, lines starting with `#` and blank lines are skipped.
/// Every other line ends up in a question or in the note (`answer`) of one:
///
/// 1. A line starting with a note marker (`A:` `A.` `A)` `답:` `답변:` `메모:` `→` `->` `=>`
///    `>`, after an optional bullet) is a note of the question before it.
/// 2. A line indented deeper than the question before it is a note of it, unless it ends with
///    `?`: then it is a follow-up question.
/// 3. Marker mode: when two or more lines at the left margin start with the same kind of
///    question marker (numbers `1.` `1)` `(1)` `1:` `#1`; `Q1.` `Q:` `질문1.`; bullets), the
///    other lines under a question so marked are its notes — except a line marked `Q.`, and a
///    bulleted line of a numbered list that asks (ends with `?` or an asking ending, or says a
///    question word and does not report an answer: `- 배치놈 왜 씀`).
/// 4. Otherwise a line is a question, unless there is a question before it and the line reads
///    as a statement: it ends with `.` (but not `…세요.`, `…나요.`, `Explain ….`) or with a
///    declarative ending such as 다, 음, 함, 됨, 임, 봄 (but not a word like 람다, 런타임, and
///    not after a question word unless it reports an answer: `왜 씀` asks, `왜 그런지 설명함`
///    does not).
///
/// A question line may carry its note inline: `질문? → 노트`, `질문? -> 노트`, `질문? A: 노트`.
/// Notes keep their order; indentation beyond the first note line's is kept, so nested
/// bullets stay nested. A marker alone on a line (`Q1.`, `A:`) marks the next line; a lone
/// bullet is dropped.
pub fn parse_list(text: &str) -> Vec<Incoming> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = read_lines(&text);
    let mode = marker_mode(&lines);
    let mut list = List::default();
    // What a marker alone on its line (`Q1.`, `A:`) said the next line is.
    let mut next = Pending::Nothing;
    for line in &lines {
        let pending = std::mem::replace(&mut next, Pending::Nothing);
        if let Some(note) = line.note {
            if note.is_empty() {
                next = Pending::Note;
            } else {
                list.note(line.indent, note, line.text);
            }
            continue;
        }
        if line.body.is_empty() {
            if let Some(family @ (Family::Number | Family::Q)) = line.family {
                next = Pending::Question(family);
            }
            continue;
        }
        let marked = line.family.is_some() && line.family == mode;
        let (question, inline) = split_inline(line.body);
        let before = match (pending, list.items.last()) {
            (Pending::Question(family), _) => {
                list.question(line.indent, question, inline, Some(family) == mode);
                continue;
            }
            (_, None) => {
                list.question(line.indent, question, inline, marked);
                continue;
            }
            (Pending::Note, Some(_))
                if !marked && !matches!(line.family, Some(Family::Number | Family::Q)) =>
            {
                list.note(line.indent, note_text(line), line.text);
                continue;
            }
            (_, Some(before)) => before.indent,
        };
        let is_question = if line.indent > before {
            // Under a question: a note, unless it plainly asks (a line typed after an indented
            // note in an editor that keeps the indentation is still a question).
            plainly_asks(question)
        } else if marked
            || line.family == Some(Family::Q)
            || (line.family == Some(Family::Number) && mode == Some(Family::Q))
        {
            // A line marked as a question of another kind (`Q. 피밸류가 뭐예요` in a numbered
            // list) is not an unmarked line: it is a question.
            true
        } else if line.family == Some(Family::Bullet)
            && mode == Some(Family::Number)
            && (plainly_asks(question) || asks_casually(question))
        {
            // A bulleted line at the margin of a numbered list that asks (`- 시스템 콜이 뭔지
            // 설명해 보세요`): the list changed markers, it did not start a note. (Bullets that
            // say something, `- 신뢰성`, stay notes.)
            true
        } else if mode.is_some() && list.top_marked {
            false
        } else {
            inline.is_some() || !reads_as_statement(line.body)
        };
        if is_question {
            list.question(line.indent, question, inline, marked);
        } else {
            list.note(line.indent, note_text(line), line.text);
        }
    }
    list.items
        .into_iter()
        .map(|item| Incoming {
            question: item.question,
            answer: normalise_block(&item.notes.join("\n")),
        })
        .collect()
}

/// What a marker alone on its line says about the next line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    Nothing,
    /// `Q1.`, `1.`, `질문:` alone: the next line is the question.
    Question(Family),
    /// `A:`, `답:`, `→` alone: the next line is a note, unless it is marked as a question.
    Note,
}

/// The kinds of question marker; a list marked with one kind throughout reads unmarked lines
/// as notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `1.` `1)` `(1)` `1:` `#1`
    Number,
    /// `Q1.` `Q1)` `Q1:` `Q.` `Q:` `Q)` `q.` `질문:` `질문1.`
    Q,
    /// `-` `*` `•` `·` `+` `–` `—`, with an optional `[ ]` / `[x]` after it
    Bullet,
}

/// One line of a list that is neither blank nor a comment.
#[derive(Debug)]
struct Line<'a> {
    /// Columns of leading whitespace, a tab counting to the next multiple of 4 (as
    /// [`normalise_block`] expands it).
    indent: usize,
    /// The line without its indentation and trailing whitespace.
    text: &'a str,
    /// The kind of the first question marker the line starts with.
    family: Option<Family>,
    /// The text after the question markers.
    body: &'a str,
    /// The text after a note marker, when the line starts with one.
    note: Option<&'a str>,
}

/// The lines that count: up to the scissors line, without comments and blank lines.
fn read_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let text = raw.trim();
        if text == crate::draft::SCISSORS {
            break;
        }
        // `#1 질문` is a number, not a comment.
        if text.is_empty() || (text.starts_with('#') && number_marker(text).is_none()) {
            continue;
        }
        let indent = raw
            .chars()
            .take_while(|c| c.is_whitespace())
            .fold(0, |col, c| {
                if c == '\t' {
                    col + 4 - col % 4
                } else {
                    col + 1
                }
            });
        let note = note_marker(text).or_else(|| bullet(text).and_then(note_marker));
        let (family, body) = strip_question_markers(text);
        lines.push(Line {
            indent,
            text,
            family,
            body,
            note,
        });
    }
    lines
}

/// The marker kind the list's questions are marked with, if any: the first kind that starts
/// two or more lines at the left margin. Not a kind that first appears after an unmarked line
/// ending with `?`: those lines are the questions, and the marked lines under them notes
/// (`TCP?` / `- 신뢰성` / `- 속도` / `UDP?`); reading the list in marker mode would make the
/// next unmarked question a note and lose it.
fn marker_mode(lines: &[Line]) -> Option<Family> {
    let margin = lines.iter().map(|l| l.indent).min()?;
    let at_margin: Vec<&Line> = lines
        .iter()
        .filter(|l| l.indent == margin && l.note.is_none())
        .collect();
    let unmarked_question = at_margin
        .iter()
        .position(|l| l.family.is_none() && sentence_end(l.body).ends_with(['?', '？']));
    [Family::Number, Family::Q, Family::Bullet]
        .into_iter()
        .filter_map(|family| {
            // A lone bullet is dropped, so it marks nothing.
            let mut marked = at_margin.iter().enumerate().filter(|(_, l)| {
                l.family == Some(family) && !(family == Family::Bullet && l.body.is_empty())
            });
            let (first, _) = marked.next()?;
            marked.next()?;
            Some((first, family))
        })
        .filter(|(first, _)| unmarked_question.is_none_or(|u| u > *first))
        .min_by_key(|(first, _)| *first)
        .map(|(_, family)| family)
}

/// A question being read, with its note lines.
struct Item {
    question: String,
    notes: Vec<String>,
    indent: usize,
    /// The indentation of its first note line: deeper note lines keep the difference.
    note_indent: Option<usize>,
}

#[derive(Default)]
struct List {
    items: Vec<Item>,
    /// The question that is not a follow-up that the last question is, or follows up on.
    top_indent: Option<usize>,
    /// That question starts with the marker of the list's marker mode.
    top_marked: bool,
}

impl List {
    fn question(&mut self, indent: usize, text: &str, inline: Option<&str>, marked: bool) {
        let question = normalise_question(text);
        if question.is_empty() {
            return;
        }
        if self.top_indent.is_none_or(|top| indent <= top) {
            self.top_indent = Some(indent);
            self.top_marked = marked;
        }
        self.items.push(Item {
            question,
            notes: inline.map(str::to_string).into_iter().collect(),
            indent,
            note_indent: None,
        });
    }

    /// A note line of the last question: `text` without its markers, `raw` with them (kept when
    /// the line is nested deeper than the first note line). Before any question, a question.
    fn note(&mut self, indent: usize, text: &str, raw: &str) {
        let Some(item) = self.items.last_mut() else {
            self.question(indent, text, None, false);
            return;
        };
        let first = *item.note_indent.get_or_insert(indent);
        item.notes.push(if indent > first {
            format!("{}{raw}", " ".repeat(indent - first))
        } else {
            text.to_string()
        });
    }
}

/// A line as a note: without a note marker or a bullet.
fn note_text<'a>(line: &Line<'a>) -> &'a str {
    line.note.or_else(|| bullet(line.text)).unwrap_or(line.text)
}

/// The question markers at the start of `text`: a bullet (with a task box), then a number or
/// `Q` marker, and `**bold**` around either or around the whole; the kind of the first and the
/// text after them. Only one number is taken: `1. 1:N 관계?` asks about 1:N.
fn strip_question_markers(text: &str) -> (Option<Family>, &str) {
    let mut family = None;
    let mut numbers_done = false;
    let mut s = text;
    loop {
        if family.is_none()
            && let Some(rest) = bullet(s)
        {
            family = Some(Family::Bullet);
            s = rest;
        } else if !numbers_done
            && let Some((kind, rest)) = numbered(s).or_else(|| {
                // `**Q1.** 질문`
                let (kind, rest) = numbered(s.strip_prefix("**")?)?;
                Some((kind, rest.strip_prefix("**")?.trim_start()))
            })
        {
            family = family.or(Some(kind));
            numbers_done = true;
            s = rest;
        } else if let Some(inner) = unbold(s) {
            s = inner;
        } else {
            return (family, s);
        }
    }
}

/// A number or `Q` marker: its kind and the text after it.
fn numbered(s: &str) -> Option<(Family, &str)> {
    number_marker(s)
        .map(|rest| (Family::Number, rest))
        .or_else(|| q_marker(s).map(|rest| (Family::Q, rest)))
}

/// `**질문**` without the stars.
fn unbold(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("**")?.strip_suffix("**")?.trim();
    (!inner.is_empty() && !inner.contains("**")).then_some(inner)
}

/// A bullet (`-` `*` `•` `·` `+` `–` `—`) and a task box after it (`[ ]`, `[x]`): the text
/// after them. `-5도`, `*args`, `->` and `**bold**` start with no bullet; `•질문` does (the dot
/// is never part of a word).
fn bullet(s: &str) -> Option<&str> {
    let c = s.chars().next()?;
    if !matches!(c, '-' | '*' | '•' | '·' | '+' | '–' | '—') {
        return None;
    }
    let rest = &s[c.len_utf8()..];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || matches!(c, '•' | '·')) {
        return None;
    }
    let rest = rest.trim_start();
    let boxed = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| rest.strip_prefix(b))
        .filter(|after| after.is_empty() || after.starts_with(char::is_whitespace));
    Some(boxed.map_or(rest, str::trim_start))
}

/// `1.` `1)` `(1)` `1:` `#1`: the text after it. Up to three digits, and not the start of a
/// number (`1.5배`, `1:1 채팅`, `2024. 회고`).
fn number_marker(s: &str) -> Option<&str> {
    let (open, s) = match s.strip_prefix(['(', '#']) {
        Some(rest) => (s.chars().next(), rest),
        None => (None, s),
    };
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let s = &s[digits..];
    match open {
        Some('(') => after_marker(s.strip_prefix(')')?),
        // `#12` alone, `#1 질문`, `#1. 질문` — but `#1차 면접 메모` is a comment.
        Some(_) => {
            let rest = s.strip_prefix(['.', ')', ':']).unwrap_or(s);
            (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| rest.trim_start())
        }
        None => after_marker(s.strip_prefix(['.', ')', ':'])?),
    }
}

/// `Q1.` `Q1)` `Q1:` `Q1` `Q.` `Q:` `Q)` `q.` `질문:` `질문1.`: the text after it. `QA`,
/// `Queue`, `질문은` start with none.
fn q_marker(s: &str) -> Option<&str> {
    let s = s
        .strip_prefix(['Q', 'q'])
        .or_else(|| s.strip_prefix("질문"))?;
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 3 {
        return None;
    }
    let s = &s[digits..];
    if let Some(rest) = s.strip_prefix(['.', ')', ':', '：']) {
        return after_marker(rest);
    }
    (digits > 0 && (s.is_empty() || s.starts_with(char::is_whitespace))).then(|| s.trim_start())
}

/// The text after a marker, unless the marker was the start of a number: `1.5`, `1:1`.
fn after_marker(rest: &str) -> Option<&str> {
    (!rest.starts_with(|c: char| c.is_ascii_digit())).then(|| rest.trim_start())
}

/// `A:` `A.` `A)` `A1:` `a:` `답:` `답변:` `메모:` `→` `->` `=>` `>`: the text after it.
/// `A.` and `A)` need a space after them (`A.I.` is a word).
fn note_marker(s: &str) -> Option<&str> {
    for marker in ["→", "->", "=>", "⇒", ">", "답변:", "답:", "메모:"] {
        if let Some(rest) = s.strip_prefix(marker) {
            return Some(rest.trim());
        }
    }
    let rest = s
        .strip_prefix(['A', 'a'])?
        .trim_start_matches(|c: char| c.is_ascii_digit());
    if let Some(rest) = rest.strip_prefix([':', '：']) {
        return Some(rest.trim());
    }
    let rest = rest.strip_prefix(['.', ')'])?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| rest.trim())
}

/// A question with its note on the same line, `질문? → 노트` (`->`, `=>`, `A:`, `답:` too): the
/// question and the note. Only where the part before the arrow plainly asks (see [`asks`]),
/// so that an arrow inside a question stays in it: `Seq2Seq에서 encoder -> decoder 흐름 설명`.
fn split_inline(body: &str) -> (&str, Option<&str>) {
    let mut best: Option<(usize, usize)> = None;
    for separator in ["→", "->", "=>", "A:", "답:"] {
        for (at, _) in body.match_indices(separator) {
            let left = body[..at].trim_end();
            let right = body[at + separator.len()..].trim();
            // `DATA:` holds no note; `질문? A: 노트` and `질문?A: 노트` do.
            let apart = !separator.ends_with(':')
                || body[..at].ends_with(char::is_whitespace)
                || left.ends_with(['?', '？']);
            if apart && !right.is_empty() && asks(unbold(left).unwrap_or(left)) {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, separator.len()));
                }
                break;
            }
        }
    }
    match best {
        Some((at, len)) => {
            let left = body[..at].trim_end();
            (unbold(left).unwrap_or(left), Some(body[at + len..].trim()))
        }
        None => (unbold(body).unwrap_or(body), None),
    }
}

/// Endings of a line that plainly asks: interrogative and request endings, and the nouns that
/// name what is asked about (`CNN receptive field 설명`, `Transformer 구조`). `요` for casual
/// questions: `배치정규화 왜 써요`.
const QUESTION_ENDINGS: &str = "\
    요 죠 까 니 냐 나 야 줘 봐 란 뭐 인지 는지 \
    설명 차이 비교 방법 이유 장단점 원리 과정 구조 개념 특징 정의 역할 vs";

/// Endings that only a question has, so that even an indented line ending so is one:
/// `어땠나요`, `말해보세요`, `뭐예요`.
const INTERROGATIVE_ENDINGS: &str =
    "나요 까요 가요 세요 시오 니 냐 죠 뭐야 뭐예요 뭐에요 인가요 일까요 나여";

/// Endings that still ask with a period after them: `설명해 주세요.`, `왜 그랬나요.`.
const ASKING_BEFORE_PERIOD: &str = "나요 까요 가요 세요 죠 니 냐 까 봐 줘 시오";

/// Declarative endings of notes typed in a hurry: `답함`, `했음`, `물어봄`, `느려짐`, `했다`.
const DECLARATIVE_ENDINGS: &str = "다 음 함 됨 임 봄 옴 짐 씀 냄";

/// Question words: a line jotted with one and a bare ending (`배치놈 왜 씀`, `팀 몇 명임`, `이거
/// 어떻게 함`) asks, however it ends.
const QUESTION_WORDS: &str = "왜 뭐 뭘 뭔 무슨 무엇 어떻게 어케 어떤 언제 어디 누가 누구 몇 얼마";

/// Parts of a last word that report what was said (`왜 썼는지 설명함`, `몇 명인지 물어봄`,
/// `어떻게 했는지 말했음`): such a line is a note, question word or not.
const REPORTING: &str = "답 말 얘기 설명 언급 물어 물음 질문 들었 받았";

/// Words that end like a statement but are things asked about: `코틀린 람다`, `Go 런타임`,
/// `게임 서버 프레임`, `프로그래밍 패러다임`.
const NOUNS_LIKE_STATEMENTS: &str = "\
    람다 판다 바다 다음 처음 마음 소음 모음 결함 타임 게임 레임 네임 다임";

/// First words of English questions that may end with a period: `Explain the CAP theorem.`
const ENGLISH_ASKING: &str = "\
    what why how which who where explain describe define compare tell walk \
    design implement name list";

/// The line plainly asks: it ends with `?` or a question ending, mentions `vs`, or starts like
/// an English question.
fn asks(text: &str) -> bool {
    let end = sentence_end(text);
    end.ends_with(['?', '？'])
        || ends_with_any(end, QUESTION_ENDINGS)
        || text.contains(" vs ")
        || asks_in_english(text)
}

/// The line ends with `?` or an asking ending (`…나요`, `…세요`, `뭐야`): a question even where
/// the list's layout would make it a note.
fn plainly_asks(text: &str) -> bool {
    let end = sentence_end(text);
    end.ends_with(['?', '？']) || ends_with_any(end, INTERROGATIVE_ENDINGS)
}

/// The line reads as a statement, so a note rather than a question: it ends with a period (and
/// does not ask before it) or with a declarative ending. Without either it is a question:
/// `CNN receptive field 설명`, `추론최적화 어떻게 하셨어요`.
fn reads_as_statement(text: &str) -> bool {
    let end = sentence_end(text);
    if end.ends_with(['?', '？']) {
        return false;
    }
    if let Some(before) = end.strip_suffix(['.', '。', '…']) {
        let before = before.trim_end_matches(['.', '。', '…']);
        return !(ends_with_any(before, ASKING_BEFORE_PERIOD) || asks_in_english(text));
    }
    ends_with_any(end, DECLARATIVE_ENDINGS)
        && !ends_with_any(end, NOUNS_LIKE_STATEMENTS)
        && !asks_casually(end)
}

/// A line jotted the way people note a question in a hurry: a question word as a word of its
/// own and a last word that does not report an answer (`배치놈 왜 씀`, not `왜 쓰는지 설명함`);
/// a quote (`…냐고`, `…다고`) makes it a report too.
fn asks_casually(text: &str) -> bool {
    let end = sentence_end(text);
    if end.ends_with(['.', '。', '…']) {
        return false;
    }
    let words: Vec<&str> = end
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let Some((last, before)) = words.split_last() else {
        return false;
    };
    let quoted = words
        .iter()
        .any(|w| w.ends_with('고') && w.chars().count() >= 2);
    let reports = REPORTING.split_whitespace().any(|r| last.contains(r));
    let asks = before
        .iter()
        .any(|w| QUESTION_WORDS.split_whitespace().any(|q| *w == q));
    asks && !reports && !quoted
}

fn asks_in_english(text: &str) -> bool {
    let first: String = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    ENGLISH_ASKING.split_whitespace().any(|w| w == first)
}

/// `text` ends with one of the space-separated `endings`.
fn ends_with_any(text: &str, endings: &str) -> bool {
    endings.split_whitespace().any(|e| text.ends_with(e))
}

/// The end of a line as a sentence: without what does not change what it is — a trailing
/// aside (`…답함 (긴장해서)`), closing quotes and stars, `!`, `~`, typed laughter or tears
/// (`ㅋㅋ`, `ㅠㅠ`).
fn sentence_end(text: &str) -> &str {
    let mut end = text.trim_end();
    if end.ends_with(')')
        && let Some(open) = end.rfind('(')
        && !end[..open].trim().is_empty()
    {
        end = end[..open].trim_end();
    }
    let end = end.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '!' | '！' | '~' | '"' | '\'' | '”' | '’' | '*' | 'ㅋ' | 'ㅎ' | 'ㅠ' | 'ㅜ'
            )
    });
    if end.is_empty() { text.trim_end() } else { end }
}

/// Record that `question` was asked (`occurrence`), as the words in `incoming`: the occurrence
/// is added (once per interview), a different wording is noted on it, and an answer written
/// down with it is kept alongside the existing one.
pub fn record_asked(question: &mut Question, occurrence: Asked, incoming: &Incoming) {
    let mut occurrence = occurrence;
    if duplicate_key(&incoming.question) != duplicate_key(&question.question)
        && occurrence.note.is_none()
    {
        occurrence.note = Some(format!("asked as: {}", incoming.question));
    }
    let already = question
        .asked
        .iter()
        .any(|a| a.interview.is_some() && a.interview == occurrence.interview);
    if !already {
        question.asked.push(occurrence);
    }
    if !incoming.answer.trim().is_empty() {
        let mut other = question.clone();
        other.answer = incoming.answer.clone();
        let now = question.updated.unwrap_or_else(crate::time::now);
        question.answer = crate::merge::fold(question, &other, false, now).answer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list as (question, answer) pairs.
    fn read(text: &str) -> Vec<(String, String)> {
        parse_list(text)
            .into_iter()
            .map(|i| (i.question, i.answer))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(q, a)| (q.to_string(), a.to_string()))
            .collect()
    }

    fn questions(text: &str) -> Vec<String> {
        parse_list(text).into_iter().map(|i| i.question).collect()
    }

    #[test]
    fn lists_with_and_without_answers() {
        // Unchanged by the new rule: the unindented `신뢰성도.` is a statement, so a note; the
        // bulleted question is the only bulleted line, so no marker mode.
        let text = "추론 최적화는 어떻게 했나요?\n데이터는 어떻게 정제했나요?\n\n\
                    TCP와 UDP의 차이는?\n연결 지향 여부가 다르다고 답함.\n신뢰성도.\n\n\
                    # 메모: 분위기 좋았음\n- 마지막으로 궁금한 점은?\n  회사 문화를 물어봄\n";
        let got = parse_list(text);
        let qs: Vec<&str> = got.iter().map(|i| i.question.as_str()).collect();
        assert_eq!(
            qs,
            [
                "추론 최적화는 어떻게 했나요?",
                "데이터는 어떻게 정제했나요?",
                "TCP와 UDP의 차이는?",
                "마지막으로 궁금한 점은?"
            ]
        );
        assert_eq!(got[1].answer, "");
        assert_eq!(
            got[2].answer,
            "연결 지향 여부가 다르다고 답함.\n신뢰성도.\n"
        );
        assert_eq!(got[3].answer, "회사 문화를 물어봄\n");
    }

    #[test]
    fn ten_questions_with_a_note_under_the_first_are_ten_questions() {
        let text = "추론 최적화는 어떻게 했나요?\n  TensorRT로 변환, INT8\n데이터는 어떻게 정제했나요?\n\
                    TCP와 UDP 차이?\nHTTP/2와 HTTP/1.1 차이는?\n가상 메모리란?\n배치정규화 왜 써요\n\
                    CNN receptive field 설명\nTransformer 구조\n프로세스와 스레드의 차이\n\
                    추론최적화 어떻게 하셨어요\n";
        let got = parse_list(text);
        assert_eq!(got.len(), 10, "{got:#?}");
        assert_eq!(got[0].answer, "TensorRT로 변환, INT8\n");
        assert!(got[1..].iter().all(|i| i.answer.is_empty()), "{got:#?}");
        assert_eq!(got[9].question, "추론최적화 어떻게 하셨어요");
    }

    #[test]
    fn an_indented_note_ends_at_the_next_unindented_question() {
        assert_eq!(
            read("TCP와 UDP 차이?\n  신뢰성 vs 속도\nHTTP/2와 HTTP/1.1 차이는?\n가상 메모리란?"),
            pairs(&[
                ("TCP와 UDP 차이?", "신뢰성 vs 속도\n"),
                ("HTTP/2와 HTTP/1.1 차이는?", ""),
                ("가상 메모리란?", ""),
            ])
        );
    }

    #[test]
    fn a_question_jotted_with_a_question_word_and_a_bare_ending_asks() {
        // At the margin after a question, and as a bullet in a numbered list.
        assert_eq!(
            read(
                "TCP와 UDP 차이?\n배치놈 왜 씀\n팀 몇 명임\n왜 쓰는지 설명함\n\
                 어떻게 했는지 말했음\n뭐 쓰냐고 하셨음\n"
            ),
            pairs(&[
                ("TCP와 UDP 차이?", ""),
                ("배치놈 왜 씀", ""),
                (
                    "팀 몇 명임",
                    "왜 쓰는지 설명함\n어떻게 했는지 말했음\n뭐 쓰냐고 하셨음\n"
                ),
            ])
        );
        assert_eq!(
            read(
                "1. 데이터 어케 모음\n2. 추론최적화 어떻게 했어요?\n- 배치놈 왜 씀\n- 양자화 얘기함\n"
            ),
            pairs(&[
                ("데이터 어케 모음", ""),
                ("추론최적화 어떻게 했어요?", ""),
                ("배치놈 왜 씀", "양자화 얘기함\n"),
            ])
        );
    }

    #[test]
    fn casual_korean_without_a_question_mark_is_a_question() {
        assert_eq!(
            questions(
                "추론최적화 어떻게 하셨어요\n배치정규화 왜 써요\nCNN receptive field 설명\n\
                 Transformer 구조\nRAG vs fine-tuning\n코틀린 람다\nGo 런타임\n\
                 Explain the CAP theorem.\n설명해 주세요.\n"
            ),
            [
                "추론최적화 어떻게 하셨어요",
                "배치정규화 왜 써요",
                "CNN receptive field 설명",
                "Transformer 구조",
                "RAG vs fine-tuning",
                "코틀린 람다",
                "Go 런타임",
                "Explain the CAP theorem.",
                "설명해 주세요.",
            ]
        );
    }

    #[test]
    fn an_unindented_statement_is_a_note_of_the_question_before_it() {
        assert_eq!(
            read(
                "TCP와 UDP의 차이는?\n연결 지향 여부가 다르다고 답함.\n흐름 제어도 설명했음\n\
                  UDP는 언제 쓰는지도 물어봄\n긴장해서 잘 못함 (아쉬움)\n다 못 했다 ㅠㅠ\nMentioned QUIC.\n"
            ),
            pairs(&[(
                "TCP와 UDP의 차이는?",
                "연결 지향 여부가 다르다고 답함.\n흐름 제어도 설명했음\nUDP는 언제 쓰는지도 물어봄\n\
                 긴장해서 잘 못함 (아쉬움)\n다 못 했다 ㅠㅠ\nMentioned QUIC.\n"
            )])
        );
    }

    #[test]
    fn a_statement_before_any_question_is_a_question_so_nothing_is_lost() {
        assert_eq!(
            read("분위기 좋았음.\nA: 이것도\nTCP?\n"),
            pairs(&[("분위기 좋았음.", "이것도\n"), ("TCP?", "")])
        );
        assert_eq!(
            read("A: 먼저 쓴 메모\n긴장했음.\nTCP?\n"),
            pairs(&[("먼저 쓴 메모", "긴장했음.\n"), ("TCP?", "")])
        );
    }

    #[test]
    fn windows_line_endings_and_blank_lines_or_none_read_alike() {
        let tight =
            "1. TCP와 UDP 차이?\n   신뢰성 vs 속도\n2. 가상 메모리란?\n3. Transformer 구조\n";
        let loose = "\n\n1. TCP와 UDP 차이?\n\n   신뢰성 vs 속도\n\n\n2. 가상 메모리란?\n\n3. Transformer 구조\n\n";
        let expected = pairs(&[
            ("TCP와 UDP 차이?", "신뢰성 vs 속도\n"),
            ("가상 메모리란?", ""),
            ("Transformer 구조", ""),
        ]);
        for text in [tight, loose] {
            assert_eq!(read(text), expected);
            assert_eq!(read(&text.replace('\n', "\r\n")), expected);
            assert_eq!(read(&text.replace('\n', "\r")), expected);
        }
    }

    #[test]
    fn numbers_q_and_bullets_are_stripped_from_questions() {
        let expected = ["TCP와 UDP 차이?", "가상 메모리란?"];
        for text in [
            "1. TCP와 UDP 차이?\n2. 가상 메모리란?",
            "1) TCP와 UDP 차이?\n2) 가상 메모리란?",
            "(1) TCP와 UDP 차이?\n(2) 가상 메모리란?",
            "1: TCP와 UDP 차이?\n2: 가상 메모리란?",
            "1.TCP와 UDP 차이?\n2.가상 메모리란?",
            "#1 TCP와 UDP 차이?\n#2 가상 메모리란?",
            "Q1. TCP와 UDP 차이?\nQ2. 가상 메모리란?",
            "Q1) TCP와 UDP 차이?\nQ2) 가상 메모리란?",
            "Q1: TCP와 UDP 차이?\nQ2: 가상 메모리란?",
            "Q. TCP와 UDP 차이?\nQ: 가상 메모리란?",
            "Q) TCP와 UDP 차이?\nq. 가상 메모리란?",
            "질문: TCP와 UDP 차이?\n질문2. 가상 메모리란?",
            "- TCP와 UDP 차이?\n* 가상 메모리란?",
            "• TCP와 UDP 차이?\n•가상 메모리란?",
            "· TCP와 UDP 차이?\n+ 가상 메모리란?",
            "– TCP와 UDP 차이?\n— 가상 메모리란?",
            "- [ ] TCP와 UDP 차이?\n- [x] 가상 메모리란?",
            "**TCP와 UDP 차이?**\n**가상 메모리란?**",
            "**1. TCP와 UDP 차이?**\n**2.** 가상 메모리란?",
            "- **Q1.** TCP와 UDP 차이?\n- **Q2. 가상 메모리란?**",
        ] {
            assert_eq!(questions(text), expected, "{text}");
        }
    }

    #[test]
    fn what_only_looks_like_a_marker_stays_in_the_question() {
        assert_eq!(
            questions(
                "1.5배 빨라진 이유?\n1:1 채팅 설계\n2. 1:N 관계란?\n-5도에서 배터리?\n\
                 *args와 **kwargs 차이\nQueue와 Stack 차이\nQA 프로세스 설명\nA.I. 윤리란?\n\
                 2024. 회고 방법"
            ),
            [
                "1.5배 빨라진 이유?",
                "1:1 채팅 설계",
                "1:N 관계란?",
                "-5도에서 배터리?",
                "*args와 **kwargs 차이",
                "Queue와 Stack 차이",
                "QA 프로세스 설명",
                "A.I. 윤리란?",
                "2024. 회고 방법",
            ]
        );
    }

    #[test]
    fn a_q_marker_in_a_numbered_list_starts_a_question() {
        // Typed in vi on 2026-12-03: numbers for the first two, then `Q.`, then nothing.
        let list = parse_list(
            "1. 추론최적화 어떻게 하셨어요?\n  TensorRT랑 배치 얘기함\n2) 오버피팅 어떻게 막아요\n\
             Q. 피밸류가 뭐예요\n케이민즈 한계\n원스테이지 투스테이지 디텍터 차이?\n\
             트랜잭션 격리수준 설명해봐\n→ read committed까지만 말함\n",
        );
        let questions: Vec<&str> = list.iter().map(|i| i.question.as_str()).collect();
        assert_eq!(
            questions,
            [
                "추론최적화 어떻게 하셨어요?",
                "오버피팅 어떻게 막아요",
                "피밸류가 뭐예요",
                "케이민즈 한계",
                "원스테이지 투스테이지 디텍터 차이?",
                "트랜잭션 격리수준 설명해봐",
            ]
        );
        assert_eq!(list[0].answer.trim_end(), "TensorRT랑 배치 얘기함");
        assert_eq!(list[5].answer.trim_end(), "read committed까지만 말함");
        // Under a numbered question, an unmarked line is still its note.
        let list = parse_list("1. TCP와 UDP 차이?\n그럼 UDP는 언제 쓰나?\n2. 가상 메모리란?\n");
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn mixed_markers_of_one_kind_make_one_list() {
        // `1.`, `2)` and `(3)` are all numbers; the bullets under them are their notes.
        assert_eq!(
            read("1. TCP와 UDP 차이?\n- 신뢰성\n- 속도\n2) 가상 메모리란?\n(3) Transformer 구조\n"),
            pairs(&[
                ("TCP와 UDP 차이?", "신뢰성\n속도\n"),
                ("가상 메모리란?", ""),
                ("Transformer 구조", ""),
            ])
        );
        // One numbered line is no list: each line is read on its own.
        assert_eq!(
            questions(
                "TCP와 UDP 차이?\n1. 가상 메모리란?\n- Transformer 구조\nQ: 배치정규화 왜 써요\n"
            ),
            [
                "TCP와 UDP 차이?",
                "가상 메모리란?",
                "Transformer 구조",
                "배치정규화 왜 써요"
            ]
        );
    }

    #[test]
    fn in_a_numbered_list_unmarked_lines_are_notes_even_when_they_ask() {
        assert_eq!(
            read(
                "1. TCP와 UDP 차이?\nUDP는 언제 쓰는지도 물어봄\n그럼 QUIC은?\n\
                 2. 가상 메모리란?\n   - 페이지 테이블\n   - TLB는 왜 필요한가?\n\
                 3. Transformer 구조\n"
            ),
            pairs(&[
                (
                    "TCP와 UDP 차이?",
                    "UDP는 언제 쓰는지도 물어봄\n그럼 QUIC은?\n"
                ),
                ("가상 메모리란?", "페이지 테이블\n"),
                ("TLB는 왜 필요한가?", ""),
                ("Transformer 구조", ""),
            ])
        );
    }

    #[test]
    fn a_bullet_that_asks_in_a_numbered_list_is_a_question() {
        // Typed in vi on 2026-12-04: the list went from numbers to a bullet midway.
        assert_eq!(
            read(
                "1. 추론 속도 개선하려고 뭐뭐 했습니까?\n2) 팀은 몇 분이었고 본인은 뭐 맡으셨어요\n\
                 - 시스템 콜이 뭔지 설명해 보세요\n- 네 명이라고 답함\n- 그럼 QUIC은?\n\
                 3. 가상 메모리란?\n- 신뢰성\n"
            ),
            pairs(&[
                ("추론 속도 개선하려고 뭐뭐 했습니까?", ""),
                ("팀은 몇 분이었고 본인은 뭐 맡으셨어요", ""),
                ("시스템 콜이 뭔지 설명해 보세요", "네 명이라고 답함\n"),
                ("그럼 QUIC은?", ""),
                ("가상 메모리란?", "신뢰성\n"),
            ])
        );
    }

    #[test]
    fn a_header_line_before_a_numbered_list_stays() {
        // Nothing is dropped; the header shows as a question and is easy to remove.
        assert_eq!(
            read(
                "카카오 1차 면접\n1. TCP와 UDP 차이?\n연결 지향 여부라고 답함\n2. 가상 메모리란?\n"
            ),
            pairs(&[
                ("카카오 1차 면접", ""),
                ("TCP와 UDP 차이?", "연결 지향 여부라고 답함\n"),
                ("가상 메모리란?", ""),
            ])
        );
    }

    #[test]
    fn bullets_under_unmarked_questions_do_not_start_a_list_that_swallows_questions() {
        // The bulleted lines come after an unmarked question, so they are not the list's
        // markers: `UDP?` stays a question. The bullets read as questions (visible, fixable).
        assert_eq!(
            questions("TCP?\n- 신뢰성\n- 속도\nUDP?\n- 실시간\n"),
            ["TCP?", "신뢰성", "속도", "UDP?", "실시간"]
        );
    }

    #[test]
    fn note_markers_make_notes_and_are_stripped() {
        assert_eq!(
            read(
                "TCP와 UDP 차이?\nA: 신뢰성\nA. 속도\nA) 헤더 크기\na: 연결\n답: 흐름 제어\n답변: 혼잡 제어\n\
                  메모: 잘 답함\n→ 화살표\n-> 화살표2\n=> 화살표3\n> 인용\n- A: 글머리 답\n가상 메모리란?\n"
            ),
            pairs(&[
                (
                    "TCP와 UDP 차이?",
                    "신뢰성\n속도\n헤더 크기\n연결\n흐름 제어\n혼잡 제어\n잘 답함\n화살표\n화살표2\n\
                     화살표3\n인용\n글머리 답\n"
                ),
                ("가상 메모리란?", ""),
            ])
        );
    }

    #[test]
    fn an_indented_line_ending_with_a_question_mark_is_a_follow_up() {
        assert_eq!(
            read(
                "TCP와 UDP 차이?\n  신뢰성 vs 속도\n  - UDP는 언제 쓰나요?\n    실시간 스트리밍\n\
                 \t그럼 QUIC은? (추가 질문)\n가상 메모리란?\n"
            ),
            pairs(&[
                ("TCP와 UDP 차이?", "신뢰성 vs 속도\n"),
                ("UDP는 언제 쓰나요?", "실시간 스트리밍\n"),
                ("그럼 QUIC은? (추가 질문)", ""),
                ("가상 메모리란?", ""),
            ])
        );
    }

    #[test]
    fn lines_an_editor_kept_indented_after_a_note_are_still_questions() {
        // vim with `autoindent`: every line after the first note starts indented.
        let typed = "추론최적화 어떻게 하셨어요?\n  TensorRT랑 양자화 얘기함\n  OCR 데이터 특성은 어땠나요\n  기존 서비스 속도는 어느 정도였어요?\n  overfitting 방지 방법 말해보세요\n  배치정규화 왜 써요\n  CNN receptive field 설명\n";
        assert_eq!(
            questions(typed),
            [
                "추론최적화 어떻게 하셨어요?",
                "OCR 데이터 특성은 어땠나요",
                "기존 서비스 속도는 어느 정도였어요?",
                "overfitting 방지 방법 말해보세요",
                "배치정규화 왜 써요",
                "CNN receptive field 설명"
            ]
        );
        assert_eq!(read(typed)[0].1, "TensorRT랑 양자화 얘기함\n");
    }

    #[test]
    fn inline_notes_follow_an_arrow_or_a() {
        assert_eq!(
            read(
                "TCP와 UDP 차이? → 신뢰성\nHTTP/2 특징? -> 멀티플렉싱\n가상 메모리란? => 페이지\n\
                  GC 원리? A: mark and sweep\n인덱스란?A: B-Tree\n1) LoRA 설명 → 저랭크 분해\n\
                  Seq2Seq에서 encoder -> decoder 흐름 설명\n"
            ),
            pairs(&[
                ("TCP와 UDP 차이?", "신뢰성\n"),
                ("HTTP/2 특징?", "멀티플렉싱\n"),
                ("가상 메모리란?", "페이지\n"),
                ("GC 원리?", "mark and sweep\n"),
                ("인덱스란?", "B-Tree\n"),
                ("LoRA 설명", "저랭크 분해\n"),
                ("Seq2Seq에서 encoder -> decoder 흐름 설명", ""),
            ])
        );
    }

    #[test]
    fn notes_keep_their_order_and_nesting() {
        assert_eq!(
            read(
                "TCP와 UDP 차이? → 먼저 한 줄\n    - 신뢰성\n      - 재전송, 순서 보장\n    - 속도\n  덜 들여쓴 줄\n"
            ),
            pairs(&[(
                "TCP와 UDP 차이?",
                "먼저 한 줄\n신뢰성\n  - 재전송, 순서 보장\n속도\n덜 들여쓴 줄\n"
            )])
        );
    }

    #[test]
    fn lone_markers_mark_the_next_line_and_a_lone_bullet_is_dropped() {
        assert_eq!(
            read(
                "Q:\nTCP와 UDP 차이?\nA:\n신뢰성 vs 속도\nQ:\n가상 메모리란?\n-\n  페이지 단위\n- [ ]\n"
            ),
            pairs(&[
                ("TCP와 UDP 차이?", "신뢰성 vs 속도\n"),
                ("가상 메모리란?", "페이지 단위\n"),
            ])
        );
    }

    #[test]
    fn comments_and_everything_below_the_scissors_are_ignored() {
        let text = format!(
            "# 카카오 면접\n  # 들여쓴 주석\n#1차 면접 메모\nTCP?\n## 헤딩도 주석\n#2 UDP?\n{}\n가상 메모리란?\n",
            crate::draft::SCISSORS
        );
        assert_eq!(questions(&text), ["TCP?", "UDP?"]);
    }

    #[test]
    fn summary_counts_questions_and_notes() {
        let item = |answer: &str| Incoming {
            question: "q".into(),
            answer: answer.into(),
        };
        assert_eq!(summary(&[]), "0 questions");
        assert_eq!(summary(&[item("a\n")]), "1 question, 1 with a note");
        assert_eq!(summary(&[item(""), item("")]), "2 questions");
        let mut list = vec![item(""); 9];
        list.extend([item("a\n"), item("b\n"), item("c\n")]);
        assert_eq!(summary(&list), "12 questions, 3 with notes");
    }

    #[test]
    fn the_help_is_short_and_its_examples_read_as_it_says() {
        use unicode_width::UnicodeWidthStr;
        let lines: Vec<&str> = LIST_FORMAT_HELP.lines().collect();
        assert!((15..=30).contains(&lines.len()), "{} lines", lines.len());
        for line in &lines {
            assert!(line.width() <= 90, "too wide: {line}");
        }
        // The indented blocks are examples of the format.
        let examples: Vec<String> = LIST_FORMAT_HELP
            .split("\n\n")
            .filter(|b| b.starts_with("    "))
            .map(str::to_string)
            .collect();
        assert_eq!(examples.len(), 2);
        assert_eq!(
            read(&examples[0]),
            pairs(&[
                ("TCP와 UDP 차이?", "신뢰성 vs 속도\n"),
                ("HTTP/2와 HTTP/1.1 차이는?", "멀티플렉싱\n"),
                ("가상 메모리란?", "페이지 단위로 물리 메모리에 매핑\n"),
                ("배치정규화 왜 써요", "학습이 안정된다고 답함.\n"),
                ("CNN receptive field 설명", ""),
            ])
        );
        assert_eq!(
            read(&examples[1]),
            pairs(&[
                ("TCP와 UDP 차이?", "그럼 UDP는 언제 쓰나?\n"),
                ("가상 메모리란?", ""),
            ])
        );
    }

    mod every_style {
        use super::*;
        use proptest::prelude::*;

        /// What questions are about. None starts with a marker (`Q`, `A`, a digit, `-`, `#`):
        /// it would be stripped or read as a note marker or a comment.
        const TOPICS: &[&str] = &[
            "TCP와 UDP",
            "가상 메모리",
            "프로세스와 스레드",
            "CNN receptive field",
            "Transformer",
            "배치정규화",
            "HTTP/2와 HTTP/1.1",
            "B-Tree 인덱스",
            "GC",
            "REST API",
            "트랜잭션 격리 수준",
            "해시 테이블",
            "Kafka",
            "추론최적화",
            "LoRA",
            "Redis 캐시",
        ];

        /// How questions are asked: ending in `?`, a question ending or a noun like 설명 — and
        /// each of them plainly asks (`asks`), because only then does `질문 → 노트` split. None
        /// ends with `.` or 다/음/함…: an unmarked line that reads as a statement is a note.
        /// None holds an arrow or ` A:`: that would split it into a question and a note.
        const ASKING: &[&str] = &[
            "{}의 차이는?",
            "{}란?",
            "{}란 무엇인가요?",
            "{} 설명",
            "{} 차이",
            "{} 어떻게 하셨어요",
            "{} 왜 써요",
            "{}의 장단점",
            "{} 구조",
            "{}를 설명해 주세요",
            "{} 원리",
            "{}은 언제 쓰나요",
            "{} 비교해 봐",
            "What is {}?",
            "Explain {}",
            "How does {} work?",
        ];

        /// What notes start with. None starts with a marker, which would be stripped; none
        /// starts with an English question word, since `Explain ….` reads as a question.
        const SAID: &[&str] = &[
            "연결 지향 여부가",
            "INT8 양자화로 지연이",
            "페이지 테이블이",
            "멀티플렉싱 덕분에 HOL 블로킹이",
            "배치 크기가",
            "면접관이 UDP 사용처도",
            "TensorRT 변환 후 정확도가",
            "B-Tree 높이가",
            "GC 중단 시간이",
        ];

        /// How notes end: with `.` or 다/음/함/봄/됨, never with `?` — an indented line ending
        /// with `?` is a follow-up question, and in the unmarked style a note is told from a
        /// question only by reading as a statement.
        const ENDINGS: &[&str] = &[
            "다르다고 답함",
            "줄었다",
            "중요하다고 말함.",
            "물어봄",
            "빨라졌음",
            "안정됨",
            "모른다고 했음.",
            "충분하다고 설명함",
            "달라진다.",
        ];

        const ENGLISH_NOTES: &[&str] = &[
            "Mentioned the three-way handshake.",
            "Said it depends on the workload.",
            "Drew the architecture on the whiteboard.",
        ];

        fn question() -> impl Strategy<Value = String> {
            (prop::sample::select(ASKING), prop::sample::select(TOPICS))
                .prop_map(|(asking, topic)| asking.replace("{}", topic))
        }

        fn note() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => (prop::sample::select(SAID), prop::sample::select(ENDINGS))
                    .prop_map(|(said, ending)| format!("{said} {ending}")),
                1 => prop::sample::select(ENGLISH_NOTES).prop_map(str::to_string),
            ]
        }

        #[derive(Debug, Clone, Copy)]
        enum Marker {
            Plain,
            Dot,
            Paren,
            QNumber,
            QColon,
            Dash,
            Star,
            Bullet,
        }

        #[derive(Debug, Clone, Copy)]
        enum Notes {
            Indent2,
            Indent4,
            Tab,
            IndentedBullets,
            A,
            Arrow,
            /// The first note inline after `→`, the others indented.
            Inline,
            /// Unindented and unmarked: statements.
            Statements,
        }

        const MARKERS: [Marker; 8] = [
            Marker::Plain,
            Marker::Dot,
            Marker::Paren,
            Marker::QNumber,
            Marker::QColon,
            Marker::Dash,
            Marker::Star,
            Marker::Bullet,
        ];

        const NOTES: [Notes; 8] = [
            Notes::Indent2,
            Notes::Indent4,
            Notes::Tab,
            Notes::IndentedBullets,
            Notes::A,
            Notes::Arrow,
            Notes::Inline,
            Notes::Statements,
        ];

        /// Markers of every kind, for lines of any mix.
        const MARKS: &[&str] = &[
            "", "1. ", "2) ", "Q1. ", "Q: ", "- ", "* ", "• ", "A: ", "답: ", "> ", "- [ ] ",
        ];

        fn render(
            list: &[(String, Vec<String>)],
            marker: Marker,
            notes: Notes,
            blank: bool,
            newline: &str,
        ) -> String {
            let mut lines = Vec::new();
            for (n, (question, said)) in list.iter().enumerate() {
                let n = n + 1;
                let marker = match marker {
                    Marker::Plain => String::new(),
                    Marker::Dot => format!("{n}. "),
                    Marker::Paren => format!("{n}) "),
                    Marker::QNumber => format!("Q{n}. "),
                    Marker::QColon => "Q: ".into(),
                    Marker::Dash => "- ".into(),
                    Marker::Star => "* ".into(),
                    Marker::Bullet => "• ".into(),
                };
                let mut said = said.iter();
                match (notes, said.clone().next()) {
                    (Notes::Inline, Some(first)) => {
                        said.next();
                        lines.push(format!("{marker}{question} → {first}"));
                    }
                    _ => lines.push(format!("{marker}{question}")),
                }
                for note in said {
                    lines.push(match notes {
                        Notes::Indent2 | Notes::Inline => format!("  {note}"),
                        Notes::Indent4 => format!("    {note}"),
                        Notes::Tab => format!("\t{note}"),
                        Notes::IndentedBullets => format!("   - {note}"),
                        Notes::A => format!("A: {note}"),
                        Notes::Arrow => format!("→ {note}"),
                        Notes::Statements => note.clone(),
                    });
                }
                if blank {
                    lines.push(String::new());
                }
            }
            lines.join(newline)
        }

        proptest! {
            #[test]
            fn every_style_reads_back_the_questions_and_notes_written(
                list in prop::collection::vec(
                    (question(), prop::collection::vec(note(), 0..=3)),
                    1..=15,
                ),
                crlf: bool,
            ) {
                let expected: Vec<(String, String)> = list
                    .iter()
                    .map(|(q, notes)| (normalise_question(q), normalise_block(&notes.join("\n"))))
                    .collect();
                for marker in MARKERS {
                    for notes in NOTES {
                        for blank in [false, true] {
                            let newline = if crlf { "\r\n" } else { "\n" };
                            let text = render(&list, marker, notes, blank, newline);
                            prop_assert_eq!(
                                read(&text),
                                expected.clone(),
                                "{:?} {:?} blank lines: {}\n{}",
                                marker,
                                notes,
                                blank,
                                text
                            );
                        }
                    }
                }
            }

            /// Rule 7: whatever the mix of markers, indents, questions and statements, every
            /// line's text ends up in a question or a note. (No arrows in the texts: an inline
            /// note splits a line in two, which is tested above.)
            #[test]
            fn no_line_is_lost(
                lines in prop::collection::vec(
                    (
                        prop::sample::select(&["", "  ", "    ", "\t"][..]),
                        prop::sample::select(MARKS),
                        prop_oneof![question(), note()],
                    ),
                    1..=20,
                ),
            ) {
                let text: String = lines
                    .iter()
                    .map(|(indent, marker, text)| format!("{indent}{marker}{text}\n"))
                    .collect();
                let read: String = parse_list(&text)
                    .iter()
                    .map(|i| format!("{}\n{}", i.question, i.answer))
                    .collect();
                for (_, _, line) in &lines {
                    prop_assert!(
                        read.contains(line.as_str()),
                        "lost {:?} from\n{}\nread as\n{}",
                        line,
                        text,
                        read
                    );
                }
            }
        }
    }

    #[test]
    fn an_occurrence_is_recorded_once_with_the_wording_used() {
        let mut q = Question::new("q-1".into(), "가상 메모리란 무엇인가요?");
        let asked = Asked {
            company: "카카오".into(),
            round: None,
            date: None,
            interview: Some("i-1".into()),
            note: None,
            extra: Default::default(),
        };
        let incoming = Incoming {
            question: "가상메모리가 뭐죠?".into(),
            answer: "페이지 단위.\n".into(),
        };
        record_asked(&mut q, asked.clone(), &incoming);
        record_asked(&mut q, asked, &incoming);
        assert_eq!(q.asked.len(), 1);
        assert_eq!(
            q.asked[0].note.as_deref(),
            Some("asked as: 가상메모리가 뭐죠?")
        );
        assert_eq!(q.answer, "페이지 단위.\n");
    }
}
