//! Turning Markdown interview notes into questions.
//!
//! Real collections are written in a handful of shapes, all handled here:
//!
//! - a heading per question with the answer below it, at any heading level, often behind an
//!   anchor heading (`## #12`, `## #12-1`) that carries no text of its own;
//! - a bold line that is a question (`**TCP와 UDP의 차이는?**`) with the answer below;
//! - list items that are questions, with indented follow-up questions (no answers);
//! - `<details><summary>question</summary> answer </details>` blocks.
//!
//! Answers keep their Markdown (LaTeX, code, links, images). Tables of contents, "back to top"
//! links and reference-link sections are dropped. Headings that are not questions name the
//! section the questions below them belong to, and become their tag.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::{Question, normalise_question, tag_problem};

/// A question found in a Markdown file.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub question: String,
    pub answer: String,
    /// The section heading it sits under, if any.
    pub section: Option<String>,
    /// 1-based line of the question.
    pub line: usize,
    /// An indented list item under another question.
    pub follow_up: bool,
}

/// Something in a file that looked like a question but could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Heading(usize),
    Bold,
}

struct Open {
    question: String,
    line: usize,
    kind: Kind,
    body: Vec<String>,
    section: Option<String>,
}

/// Find the questions in one Markdown text.
pub fn extract(text: &str) -> (Vec<Found>, Vec<Skipped>) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let mut open: Option<Open> = None;
    let mut fence: Option<String> = None;
    // Inside a navigation or references section: skip until a heading at this level or above.
    let mut skip_level: Option<usize> = None;
    let mut after_anchor = false;
    let mut sections: Vec<(usize, String)> = Vec::new();
    let mut i = 0;

    let finish = |open: &mut Option<Open>, found: &mut Vec<Found>, skipped: &mut Vec<Skipped>| {
        if let Some(o) = open.take() {
            let question = clean_inline(&o.question);
            if question.is_empty() {
                skipped.push(Skipped {
                    line: o.line,
                    message: "a question heading without text".into(),
                });
                return;
            }
            found.push(Found {
                question,
                answer: tidy_answer(&o.body),
                section: o.section,
                line: o.line,
                follow_up: false,
            });
        }
    };

    while i < lines.len() {
        let line = lines[i];
        let number = i + 1;
        i += 1;

        // Code blocks are answer text, whatever they contain (`# comment` is not a heading).
        if let Some(marker) = &fence {
            if line.trim_start().starts_with(marker.as_str()) {
                fence = None;
            }
            if skip_level.is_none()
                && let Some(o) = open.as_mut()
            {
                o.body.push(line.to_string());
            }
            continue;
        }
        if let Some(marker) = fence_marker(line) {
            fence = Some(marker);
            if skip_level.is_none()
                && let Some(o) = open.as_mut()
            {
                o.body.push(line.to_string());
            }
            continue;
        }

        if let Some((level, title)) = heading(line) {
            let title_text = clean_inline(title);
            if is_link_only(title) {
                continue; // `##### [목차로 이동](#contents)`
            }
            if is_anchor(title) {
                finish(&mut open, &mut found, &mut skipped);
                after_anchor = true;
                skip_level = None;
                continue;
            }
            if is_navigation(&title_text) {
                match &open {
                    // A references list under an answer: drop it, keep the question.
                    Some(o) if matches!(o.kind, Kind::Heading(l) if level > l) => {}
                    _ => finish(&mut open, &mut found, &mut skipped),
                }
                skip_level = Some(level);
                continue;
            }
            if let Some(l) = skip_level {
                if level > l {
                    continue;
                }
                skip_level = None;
            }
            if let Some(o) = open.as_mut()
                && matches!(o.kind, Kind::Heading(l) if level > l)
                && !after_anchor
                && !looks_like_question(&title_text)
            {
                o.body.push(line.to_string()); // a sub-heading of the answer
                continue;
            }
            finish(&mut open, &mut found, &mut skipped);
            // A heading closes every section at its level or deeper: a question is tagged by
            // the headings above it, never by a sibling before it.
            sections.retain(|(l, _)| *l < level);
            if after_anchor || looks_like_question(&title_text) {
                after_anchor = false;
                open = Some(Open {
                    question: title.to_string(),
                    line: number,
                    kind: Kind::Heading(level),
                    body: Vec::new(),
                    section: current_section(&sections),
                });
            } else {
                sections.push((level, title_text));
            }
            continue;
        }
        if skip_level.is_some() {
            continue;
        }

        if line.trim_start().starts_with("<details") {
            let start = number;
            let mut block = vec![line.to_string()];
            while !block.last().is_some_and(|l| l.contains("</details>")) && i < lines.len() {
                block.push(lines[i].to_string());
                i += 1;
            }
            let joined = block.join("\n");
            match details(&joined) {
                Some((summary, body)) if open.is_none() || looks_like_question(&summary) => {
                    finish(&mut open, &mut found, &mut skipped);
                    found.push(Found {
                        question: summary,
                        answer: body,
                        section: current_section(&sections),
                        line: start,
                        follow_up: false,
                    });
                }
                _ => {
                    if let Some(o) = open.as_mut() {
                        o.body.extend(block);
                    }
                }
            }
            continue;
        }

        if let Some(text) = bold_line(line)
            && looks_like_question(&clean_inline(text))
            && open.as_ref().is_none_or(|o| o.kind == Kind::Bold)
        {
            finish(&mut open, &mut found, &mut skipped);
            open = Some(Open {
                question: text.to_string(),
                line: number,
                kind: Kind::Bold,
                body: Vec::new(),
                section: current_section(&sections),
            });
            continue;
        }

        if open.is_none()
            && let Some((indent, item)) = list_item(line)
        {
            if !is_link_only(item) {
                let question = clean_inline(item);
                if looks_like_question(&question) {
                    found.push(Found {
                        question,
                        answer: String::new(),
                        section: current_section(&sections),
                        line: number,
                        follow_up: indent > 0,
                    });
                }
            }
            continue;
        }

        if let Some(o) = open.as_mut()
            && !is_navigation_line(line)
        {
            o.body.push(line.to_string());
        }
    }
    finish(&mut open, &mut found, &mut skipped);
    (found, skipped)
}

fn current_section(sections: &[(usize, String)]) -> Option<String> {
    sections.last().map(|(_, s)| s.clone())
}

fn fence_marker(line: &str) -> Option<String> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    for c in ['`', '~'] {
        let n = t.chars().take_while(|x| *x == c).count();
        if n >= 3 {
            return Some(c.to_string().repeat(n));
        }
    }
    None
}

/// `## Title ##` → (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let level = t.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim_end();
    Some((level, title))
}

/// Anchor headings carry a number only: `#12`, `#12-1`, `12.`, `Q12`.
fn is_anchor(title: &str) -> bool {
    let t = title
        .trim()
        .trim_start_matches('#')
        .trim_start_matches(['Q', 'q'])
        .trim_end_matches('.');
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
}

fn is_navigation(title: &str) -> bool {
    let t: String = title
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .trim()
        .to_lowercase();
    matches!(
        t.as_str(),
        "table of contents"
            | "contents"
            | "toc"
            | "index"
            | "목차"
            | "차례"
            | "references"
            | "reference"
            | "참고"
            | "참고 자료"
            | "참고자료"
            | "참고 문헌"
            | "출처"
            | "sources"
            | "further reading"
            | "links"
            | "see also"
            | "관련 링크"
    )
}

/// A line that only navigates (`[⬆ back to top](#top)`) or defines a reference link.
fn is_navigation_line(line: &str) -> bool {
    let t = line.trim();
    if is_link_only(t) && (t.contains("](#") || t.contains("목차")) {
        return true;
    }
    // `[1]: https://…`
    t.starts_with('[')
        && t.find("]:").is_some_and(|i| {
            let rest = t[i + 2..].trim_start();
            rest.starts_with("http") || rest.starts_with('#') || rest.starts_with('/')
        })
}

/// Text that is nothing but one Markdown link (a table-of-contents entry).
fn is_link_only(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(['*', '_'])
        .trim_end_matches(['*', '_']);
    t.starts_with('[') && t.ends_with(')') && t.find("](").is_some_and(|i| !t[1..i].contains(']'))
}

/// `**question?**` on a line of its own.
fn bold_line(line: &str) -> Option<&str> {
    let t = line.trim();
    let inner = t.strip_prefix("**").and_then(|s| s.strip_suffix("**"))?;
    (!inner.contains("**") && !inner.trim().is_empty()).then_some(inner.trim())
}

/// `- item` / `* item` / `1. item`, with its indentation depth (0 = top level).
fn list_item(line: &str) -> Option<(usize, &str)> {
    let expanded_indent: usize = line
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let t = line.trim_start();
    let rest = if let Some(r) = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
    {
        r
    } else {
        let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))?
    };
    Some((expanded_indent / 2, rest.trim()))
}

/// Whether a line of text reads as a question: a question mark, a Korean question or request
/// ending, or an English question word.
pub fn looks_like_question(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    if t.contains('?') || t.contains('？') {
        return true;
    }
    // A trailing aside does not change what the sentence is: `…알려주세요. (Sigmoid, ReLU 등)`.
    let mut end = t;
    if end.ends_with(')')
        && let Some(open) = end.rfind('(')
    {
        end = &end[..open];
    }
    let end = end.trim_end_matches(['.', '!', '~', ')', ' ', ':']);
    const ENDINGS: &[&str] = &[
        "요", "까", "시오", "시다", "하라", "해라", "해봐", "인가", "는가", "은가", "는지", "인지",
        "할 것", "설명", "비교",
    ];
    if ENDINGS.iter().any(|e| end.ends_with(e)) {
        return true;
    }
    let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
    const STARTS: &[&str] = &[
        "what", "why", "how", "when", "which", "who", "where", "explain", "describe", "define",
        "compare", "is", "are", "can", "does", "do", "should", "name", "list",
    ];
    STARTS.contains(&first.as_str()) || end.to_lowercase().ends_with("explain")
}

/// Inline Markdown reduced to one line of plain text, without a `Q.` prefix.
pub fn clean_inline(text: &str) -> String {
    let out = crate::text::strip_inline(text);
    let out = out
        .trim()
        .trim_start_matches("Q.")
        .trim_start_matches("Q:")
        .trim_start_matches("Q)")
        .to_string();
    normalise_question(&out)
}

/// `<details><summary>Q</summary>A</details>` → (Q, A).
fn details(block: &str) -> Option<(String, String)> {
    let open = block.find("<summary")?;
    let summary_start = open + block[open..].find('>')? + 1;
    let summary_end = summary_start + block[summary_start..].find("</summary>")?;
    let summary = clean_inline(&block[summary_start..summary_end]);
    let body_start = summary_end + "</summary>".len();
    let body_end = block
        .rfind("</details>")
        .unwrap_or(block.len())
        .max(body_start);
    let body: Vec<String> = block[body_start..body_end]
        .lines()
        .map(String::from)
        .collect();
    (!summary.is_empty()).then(|| (summary, tidy_answer(&body)))
}

/// The answer's lines without leading/trailing blank lines, separators and navigation.
fn tidy_answer(lines: &[String]) -> String {
    let mut lines: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
    let is_filler = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.chars().all(|c| c == '-' || c == '*' || c == '_') && t.len() >= 3
    };
    while lines.first().is_some_and(|l| is_filler(l)) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| is_filler(l)) {
        lines.pop();
    }
    crate::yaml::normalise_block(&lines.join("\n"))
}

/// A tag made from a section title or a file name: lower case, spaces to `-`, punctuation
/// dropped, leading numbering (`1-`) removed.
pub fn tag_for(title: &str) -> Option<String> {
    let mut tag = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            tag.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '/') && !tag.ends_with('-') {
            tag.push('-');
        }
    }
    let tag = tag.trim_matches('-');
    let tag = tag
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('-');
    let tag: String = tag
        .chars()
        .take(48)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    (tag_problem(&tag).is_none() && !tag.is_empty()).then_some(tag)
}

/// The Markdown files under `paths` (files as given; folders walked), sorted, with the name to
/// record as their source (relative to the folder given, prefixed with its name).
pub fn markdown_files(paths: &[PathBuf]) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let base = path
                .canonicalize()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            for f in files {
                let rel = f
                    .strip_prefix(path)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((f, format!("{base}/{rel}")));
            }
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parent = path.canonicalize().ok().and_then(|p| {
                p.parent()
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
            });
            let source = match parent {
                Some(p) => format!("{p}/{name}"),
                None => name,
            };
            out.push((path.clone(), source));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The key two questions are the same by: case, spaces and punctuation ignored.
pub fn duplicate_key(question: &str) -> String {
    question
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The outcome of planning an import.
#[derive(Debug, Default)]
pub struct Plan {
    pub new: Vec<Question>,
    /// Questions already in the bank (or earlier in the same import).
    pub duplicates: usize,
    /// `file:line: message` for what could not be imported.
    pub problems: Vec<String>,
    pub files: usize,
    /// Content lines of the files read, and how many of them reached a question or an answer
    /// (see [`coverage`]): the summary says how much was left out.
    pub content_lines: usize,
    pub kept_lines: usize,
    /// Files that gave no question at all.
    pub empty_files: Vec<String>,
}

/// Of `text`'s content lines (non-blank, a letter once inline markup is stripped; fence lines
/// do not count, the code inside does), how many have their words in a question or an answer
/// of `found`: (content lines, kept lines). It over-counts a little (a line repeated in the file
/// counts as kept) and never under-counts.
pub fn coverage(text: &str, found: &[Found]) -> (usize, usize) {
    let words = |t: &str| {
        crate::text::strip_inline(t)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut all = String::new();
    for f in found {
        for line in f.question.lines().chain(f.answer.lines()) {
            all.push_str(&words(line));
            all.push('\n');
        }
    }
    let (mut lines, mut kept) = (0, 0);
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            continue;
        }
        let w = words(t);
        if w.is_empty() {
            continue;
        }
        lines += 1;
        if all.contains(&w) {
            kept += 1;
        }
    }
    (lines, kept)
}

/// Plan the import of `files` into a bank whose existing questions have `existing` duplicate
/// keys. `new_id` gives fresh ids; `extra_tags` are added to every imported question.
pub fn plan(
    files: &[(PathBuf, String)],
    existing: &HashSet<String>,
    extra_tags: &[String],
    mut new_id: impl FnMut() -> String,
    mut progress: impl FnMut(),
) -> Plan {
    let mut plan = Plan::default();
    let mut seen = existing.clone();
    for (path, source) in files {
        plan.files += 1;
        progress();
        let read = std::fs::File::open(path)
            .and_then(|f| crate::store::read_limited(f, &path.display().to_string()));
        let text = match read {
            Ok(bytes) => match String::from_utf8(bytes).map(crate::text::incoming) {
                Ok(t) => t,
                Err(_) => {
                    plan.problems
                        .push(format!("{}: not UTF-8 text; skipped", path.display()));
                    continue;
                }
            },
            Err(e) => {
                plan.problems.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let (found, skipped) = extract(&text);
        let (lines, kept) = coverage(&text, &found);
        plan.content_lines += lines;
        plan.kept_lines += kept;
        if found.is_empty() && lines > 0 {
            plan.empty_files.push(source.clone());
        }
        for s in skipped {
            plan.problems
                .push(format!("{}:{}: {}", path.display(), s.line, s.message));
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file_tag = tag_for(&stem).filter(|t| t != "readme" && t != "index");
        for f in found {
            let key = duplicate_key(&f.question);
            if key.is_empty() {
                continue;
            }
            if !seen.insert(key) {
                plan.duplicates += 1;
                continue;
            }
            let mut q = Question::new(new_id(), &f.question);
            q.answer = f.answer;
            q.imported_from = Some(format!("{source}:{}", f.line));
            let section_tag = f.section.as_deref().and_then(tag_for);
            q.tags.extend(section_tag.or_else(|| file_tag.clone()));
            if f.follow_up {
                q.tags.push("follow-up".into());
            }
            q.tags.extend(extra_tags.iter().cloned());
            crate::model::normalise_tags(&mut q.tags);
            plan.new.push(q);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_headings_with_answers_references_dropped() {
        let md = "## Table of Contents\n\n- [차원의 저주란?](#1)\n\n---\n\n## #1\n\n#### 차원의 저주란?\n\n\
                  답변 $x^2$ 와 [링크](http://a.b).\n\n```python\n# 주석\nprint(1)\n```\n\n#### References\n\n\
                  - [출처](http://x)\n\n---\n\n## #2-1\n\n### 베르누이 분포\n\n내용\n";
        let (found, skipped) = extract(md);
        assert!(skipped.is_empty());
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].question, "차원의 저주란?");
        assert_eq!(found[0].line, 9);
        assert!(found[0].answer.contains("$x^2$"));
        assert!(found[0].answer.contains("[링크](http://a.b)"));
        assert!(found[0].answer.contains("# 주석\nprint(1)"));
        assert!(!found[0].answer.contains("출처"));
        assert!(!found[0].answer.contains("---"));
        assert_eq!(found[1].question, "베르누이 분포");
        assert_eq!(found[1].answer, "내용\n");
    }

    #[test]
    fn a_question_is_tagged_by_its_parent_heading_never_a_sibling() {
        let text = "# 네트워크\n\n## TCP 3-way handshake\n\n연결을 맺는 과정.\n\n## TCP와 UDP의 비교는?\n\n신뢰성과 속도.\n";
        let (found, _) = extract(text);
        let q = found
            .iter()
            .find(|f| f.question.contains("UDP"))
            .expect("the question heading");
        assert_eq!(q.section.as_deref(), Some("네트워크"), "{found:#?}");
    }

    #[test]
    fn list_items_with_follow_ups_under_sections() {
        let md = "# Title\n## Intro\n- 질문을 모아봤습니다.\n## 통계 및 수학\n- p-value란 무엇인가요?\n\t- 왜 0.05인가요?\n\
                  - [목차](#contents)\n##### [목차로 이동](#contents)\n## 딥러닝\n- Dropout의 효과는?\n## Reference\n- [링크](http://x)\n";
        let (found, _) = extract(md);
        let qs: Vec<(&str, Option<&str>, bool)> = found
            .iter()
            .map(|f| (f.question.as_str(), f.section.as_deref(), f.follow_up))
            .collect();
        assert_eq!(
            qs,
            vec![
                ("p-value란 무엇인가요?", Some("통계 및 수학"), false),
                ("왜 0.05인가요?", Some("통계 및 수학"), true),
                ("Dropout의 효과는?", Some("딥러닝"), false),
            ]
        );
        assert!(found.iter().all(|f| f.answer.is_empty()));
    }

    #[test]
    fn bold_questions_and_details_blocks() {
        let md = "# 네트워크\n\n**TCP와 UDP의 차이는?**\n\nTCP는 연결 지향.\n\n**HTTP란?**\nstateless 프로토콜.\n\n\
                  <details>\n<summary>쿠키와 세션의 차이는?</summary>\n\n쿠키는 클라이언트.\n\n</details>\n";
        let (found, _) = extract(md);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].question, "TCP와 UDP의 차이는?");
        assert_eq!(found[0].answer, "TCP는 연결 지향.\n");
        assert_eq!(found[1].answer, "stateless 프로토콜.\n");
        assert_eq!(found[2].question, "쿠키와 세션의 차이는?");
        assert_eq!(found[2].answer, "쿠키는 클라이언트.\n");
        assert_eq!(found[2].section.as_deref(), Some("네트워크"));
    }

    #[test]
    fn sub_headings_stay_in_the_answer() {
        let md = "### Python의 GIL이란?\n\n#### 배경\nCPython.\n#### 영향\nCPU bound.\n### 다음 질문은?\n";
        let (found, _) = extract(md);
        assert_eq!(found.len(), 2);
        assert!(found[0].answer.contains("#### 배경\nCPython."));
        assert!(found[0].answer.contains("#### 영향"));
    }

    #[test]
    fn tags_from_titles() {
        assert_eq!(
            tag_for("1-statistics-math").as_deref(),
            Some("statistics-math")
        );
        assert_eq!(tag_for("통계 및 수학").as_deref(), Some("통계-및-수학"));
        assert_eq!(tag_for("GAN").as_deref(), Some("gan"));
        assert_eq!(tag_for("!!!"), None);
    }

    #[test]
    fn duplicate_keys_ignore_spacing_and_punctuation() {
        assert_eq!(
            duplicate_key("TCP와 UDP의 차이는?"),
            duplicate_key("tcp와UDP의  차이는")
        );
    }
}

/// What a `kb export --format json` file holds, read back: questions, interviews and projects,
/// each validated exactly like its YAML file.
#[derive(Debug, Default)]
pub struct Exported {
    pub questions: Vec<Question>,
    pub interviews: Vec<crate::interview::Interview>,
    pub projects: Vec<crate::project::Project>,
    pub problems: Vec<String>,
}

/// Read a JSON export (`kb export --format json`).
pub fn read_export(path: &Path) -> std::result::Result<Exported, String> {
    let text =
        crate::store::read_file_limited(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
    if v.get("format").and_then(|f| f.as_str()) != Some("kb-export") {
        return Err(format!(
            "{}: not a kb export (kb export --format json)",
            path.display()
        ));
    }
    let mut out = Exported::default();
    let items = |key: &str| {
        v.get(key)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    for (n, item) in items("questions").iter().enumerate() {
        match to_yaml_text(item)
            .and_then(|t| Question::parse(path, &t, None).map_err(|p| p.message))
        {
            Ok(q) => out.questions.push(q),
            Err(e) => out
                .problems
                .push(format!("{}: questions[{n}]: {e}", path.display())),
        }
    }
    for (n, item) in items("interviews").iter().enumerate() {
        match to_yaml_text(item)
            .and_then(|t| crate::interview::Interview::parse(path, &t, None).map_err(|p| p.message))
        {
            Ok(i) => out.interviews.push(i),
            Err(e) => out
                .problems
                .push(format!("{}: interviews[{n}]: {e}", path.display())),
        }
    }
    for (n, item) in items("projects").iter().enumerate() {
        match to_yaml_text(item)
            .and_then(|t| crate::project::Project::parse(path, &t, None).map_err(|p| p.message))
        {
            Ok(p) => out.projects.push(p),
            Err(e) => out
                .problems
                .push(format!("{}: projects[{n}]: {e}", path.display())),
        }
    }
    Ok(out)
}

/// An exported object as the YAML of its file: `extra` fields back at the top (also inside
/// `asked` entries), nulls dropped.
fn to_yaml_text(v: &serde_json::Value) -> std::result::Result<String, String> {
    fn flatten(v: &serde_json::Value) -> serde_json::Value {
        let Some(obj) = v.as_object() else {
            return v.clone();
        };
        let mut m = serde_json::Map::new();
        for (k, val) in obj {
            if val.is_null() || k == "path" || k == "extra" {
                continue;
            }
            let val = match (k.as_str(), val) {
                ("asked", serde_json::Value::Array(items)) => {
                    serde_json::Value::Array(items.iter().map(flatten).collect())
                }
                _ => val.clone(),
            };
            m.insert(k.clone(), val);
        }
        if let Some(extra) = obj.get("extra").and_then(|e| e.as_object()) {
            for (k, val) in extra {
                m.entry(k.clone()).or_insert_with(|| val.clone());
            }
        }
        serde_json::Value::Object(m)
    }
    serde_yaml::to_string(&flatten(v)).map_err(|e| e.to_string())
}
