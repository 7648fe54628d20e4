//! Markdown reduced to the words a person reads, for search and for snippets; and text made
//! comparable (Unicode NFC).

/// `text` in Unicode normal form C. Korean written on macOS (file names, some editors, text
/// copied from them) arrives decomposed (NFD: 한 as ㅎ + ㅏ + ㄴ jamo); the same question in
/// two forms would be two rows, and search in one form would miss the other. Everything kb
/// reads (files, arguments, standard input) is normalised once, where it comes in.
pub fn nfc(text: String) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return text;
    }
    text.nfc().collect()
}

/// [`nfc`], and a leading UTF-8 byte-order mark dropped (Windows editors write one; it is not
/// part of the text).
pub fn incoming(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    nfc(text)
}

/// Inline Markdown on one line reduced to plain text: links and images to their text, HTML tags
/// and emphasis markers removed. Whitespace is kept as it is.
pub fn strip_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut s = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // ![alt](src) and [text](url) → alt / text
        if (c == '[' || (c == '!' && chars.get(i + 1) == Some(&'[')))
            && let Some(close) = chars[i..].iter().position(|x| *x == ']').map(|p| p + i)
            && chars.get(close + 1) == Some(&'(')
            && let Some(end) = chars[close..]
                .iter()
                .position(|x| *x == ')')
                .map(|p| p + close)
        {
            let start = if c == '!' { i + 2 } else { i + 1 };
            s.extend(&chars[start..close]);
            i = end + 1;
            continue;
        }
        // <strong>, </details>, <br/>: tags go, their text stays.
        if c == '<'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/')
            && let Some(end) = chars[i..].iter().position(|x| *x == '>').map(|p| p + i)
        {
            i = end + 1;
            continue;
        }
        s.push(c);
        i += 1;
    }
    let s = s.replace("**", "").replace("__", "").replace('`', "");
    let s = strip_pairs(&s, "~~");
    let s = strip_pairs(&s, "*");
    strip_pairs(&s, "_")
}

/// `*text*`, `_text_`, `~~text~~` → `text`: a delimiter that opens (at the start or after a
/// space or punctuation, followed by a letter) and one that closes it (after a letter, before
/// the end, a space or punctuation). Intraword ones (`snake_case`, `2*3*4`) stay.
fn strip_pairs(text: &str, delim: &str) -> String {
    let boundary =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut before: Option<char> = None;
    while let Some(at) = rest.find(delim) {
        let head = &rest[..at];
        out.push_str(head);
        let prev = head.chars().last().or(before);
        let after = &rest[at + delim.len()..];
        let opens = boundary(prev) && after.chars().next().is_some_and(|c| !c.is_whitespace());
        let close = opens
            .then(|| {
                after.match_indices(delim).map(|(i, _)| i).find(|&i| {
                    i > 0
                        && !after[..i].ends_with(char::is_whitespace)
                        && boundary(after[i + delim.len()..].chars().next())
                })
            })
            .flatten();
        match close {
            Some(i) => {
                out.push_str(&after[..i]);
                before = after[..i].chars().last();
                rest = &after[i + delim.len()..];
            }
            None => {
                out.push_str(delim);
                before = delim.chars().last();
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A Markdown document as plain text: inline markup stripped, heading and quote markers
/// removed, lines kept.
pub fn markdown_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let t = line.trim_start();
        let t = t
            .trim_start_matches('#')
            .trim_start_matches('>')
            .trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            continue;
        }
        out.push_str(&strip_inline(t));
        out.push('\n');
    }
    out
}

/// The lines of `markdown` outside fenced code blocks (the fences left out too).
fn outside_code(markdown: &str) -> impl Iterator<Item = &str> {
    let mut fence = false;
    markdown.lines().filter(move |line| {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            return false;
        }
        !fence
    })
}

/// The Markdown headings (`## …`) of a document, outside code blocks, as plain text, one per
/// line.
pub fn markdown_headings(markdown: &str) -> String {
    let mut out = String::new();
    for line in outside_code(markdown) {
        let t = line.trim_start();
        if line.len() - t.len() > 3 {
            continue;
        }
        let level = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && t[level..].starts_with([' ', '\t']) {
            out.push_str(strip_inline(t[level..].trim().trim_end_matches('#')).trim());
            out.push('\n');
        }
    }
    out
}

/// Speaking rates for [`speaking_seconds`]: Korean at 280 syllables a minute (about 4.7 a
/// second: published measurements of Korean speech put read and broadcast speech near 5
/// syllables a second and conversation a little slower; an interview answer, thought out loud,
/// is nearer the slower end), and English words, numbers and symbols read out at 150 a minute.
/// An estimate to compare answers by, not a measurement of the person.
pub const KOREAN_SYLLABLES_PER_MINUTE: f64 = 280.0;
pub const ENGLISH_WORDS_PER_MINUTE: f64 = 150.0;

/// About how long `markdown` takes to say: its prose, without code blocks, tables' rules or
/// markup.
pub fn speaking_seconds(markdown: &str) -> u32 {
    let (mut syllables, mut words) = (0usize, 0usize);
    for line in outside_code(markdown) {
        let t = line.trim_start();
        let plain = strip_inline(t.trim_start_matches(['#', '>', '|', '-', '*']));
        let mut in_word = false;
        for c in plain.chars() {
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                syllables += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }
    let minutes =
        syllables as f64 / KOREAN_SYLLABLES_PER_MINUTE + words as f64 / ENGLISH_WORDS_PER_MINUTE;
    (minutes * 60.0).round() as u32
}

/// `seconds` as a person reads a duration: `약 1분 20초`, `~1 min 20 s`.
pub fn speaking_time(seconds: u32, korean: bool) -> String {
    let (m, s) = (seconds / 60, seconds % 60);
    match (korean, m) {
        (true, 0) => format!("약 {s}초"),
        (true, _) if s == 0 => format!("약 {m}분"),
        (true, _) => format!("약 {m}분 {s}초"),
        (false, 0) => format!("~{s} s"),
        (false, _) if s == 0 => format!("~{m} min"),
        (false, _) => format!("~{m} min {s} s"),
    }
}

/// Whether `markdown`'s prose holds a concrete figure (a digit outside code): what a project
/// answer needs to be believed (`p95 14초 → 5.8초`, `3명`, `2023년`).
pub fn has_figure(markdown: &str) -> bool {
    outside_code(markdown).any(|line| strip_inline(line).chars().any(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaking_time_counts_syllables_and_words_but_not_code() {
        // 31 syllables: 6.6 s at 280 a minute; 5 words: 2 s at 150 a minute.
        let answer = "배치 정규화는 각 층의 입력 분포를 미니배치 통계로 정규화합니다 한 문장 더.";
        assert_eq!(
            answer.chars().filter(|c| ('가'..='힣').contains(c)).count(),
            31
        );
        assert_eq!(speaking_seconds(answer), 7);
        assert_eq!(
            speaking_seconds("**Batch Normalization** reduces internal shift"),
            2
        );
        assert_eq!(
            speaking_seconds("```python\nprint('안녕하세요 여러분')\n```"),
            0
        );
        assert_eq!(speaking_time(80, true), "약 1분 20초");
        assert_eq!(speaking_time(45, false), "~45 s");
        assert_eq!(speaking_time(120, true), "약 2분");
        assert!(has_figure("p95 지연을 **14초 → 5.8초**로 줄였습니다."));
        assert!(!has_figure("지연을 크게 줄였습니다.\n```\nx = 3\n```"));
    }

    #[test]
    fn markup_goes_words_stay() {
        assert_eq!(
            strip_inline(
                "![차원의 저주](./img/a.png) **굵게** [링크](http://x) <strong>세션</strong> `code`"
            ),
            "차원의 저주 굵게 링크 세션 code"
        );
        assert_eq!(
            markdown_plain("## 제목\n> 인용\n```py\nx = 1\n```\n"),
            "제목\n인용\nx = 1\n"
        );
    }
}

#[cfg(test)]
mod emphasis {
    use super::strip_inline;

    #[test]
    fn emphasis_markers_go_and_intraword_ones_stay() {
        for (md, plain) in [
            ("*왜 쓰나요?*", "왜 쓰나요?"),
            ("**중요**", "중요"),
            ("_설명_", "설명"),
            ("~~취소~~ 질문?", "취소 질문?"),
            ("`code` 란?", "code 란?"),
            ("DeadLock: *왜* 생기나요?", "DeadLock: 왜 생기나요?"),
            ("snake_case_name 은?", "snake_case_name 은?"),
            ("2*3*4 는?", "2*3*4 는?"),
            ("a * b * c", "a * b * c"),
            ("*열린 채로 끝남", "*열린 채로 끝남"),
        ] {
            assert_eq!(strip_inline(md), plain, "{md:?}");
        }
    }
}
