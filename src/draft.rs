//! The plain-text drafts a person writes questions in, instead of YAML.
//!
//! `kb edit` ([`edit_text`], [`parse_edit`]) and `kb add` with no question ([`template`],
//! [`parse`]) open the same draft: the question, tags and project as `name: value` header lines,
//! then the scissors line, then the answer exactly as stored. `kb add` also takes a question
//! typed the way `git commit` takes a message (first paragraph the question, the rest the
//! answer) above or under empty header lines, as its drafts were written before. Below the
//! scissors line nothing is interpreted, so a Markdown answer (lists, code, `#` headings, even a
//! line that looks like a header) comes back byte for byte, and the editor's YAML mode never
//! gets a chance to re-indent it.
//!
//! A scissors line rather than `#` comments, because answers are Markdown, where `#` starts a
//! heading.

use std::path::Path;

use crate::error::Problem;

/// The line between the header lines and the answer; in an interview list, everything from it
/// down is help that is thrown away.
pub const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// The help lines at the top of `kb add`'s draft (taken out again wherever they end up).
const ADD_HELP: [&str; 4] = [
    "# kb add: 질문은 question: 줄에, 답변(Markdown)은 가위 줄 아래에 쓰세요. 질문이 비어 있으면 취소됩니다.",
    "# Write the question on the question: line and the answer (Markdown) under the scissors line.",
    "# Tags are separated by commas or spaces; an empty project line means none; an empty question",
    "# aborts. A question typed above or under the header lines, git-commit style, is taken too.",
];

/// The text the editor opens with for `kb add`: the header lines `kb edit` shows, empty but for
/// the tags and project given.
pub fn template(tags: &[String], project: Option<&str>) -> String {
    let mut s = ADD_HELP.join("\n");
    s.push('\n');
    s.push_str(&header_lines(&Written {
        question: String::new(),
        tags: tags.to_vec(),
        project: project.map(str::to_string),
        answer: String::new(),
    }));
    s.push_str(SCISSORS);
    s.push('\n');
    s
}

/// The help kb add's drafts carried below the scissors line before they had header lines; a
/// draft kept from then and resumed now has it where the answer is now.
const OLD_HELP: [&str; 3] = [
    "# 첫 문단에 질문을, 빈 줄 다음에 답변(Markdown)을 쓰세요. 이 줄 아래는 무시됩니다.",
    "# Write the question as the first paragraph and the answer (Markdown) after a blank line.",
    "# Everything from the scissors line down is ignored. An empty question aborts.",
];

/// `lines` (below the scissors line) without the old help, when they start with it.
fn without_old_help(lines: &[&str]) -> String {
    let old = lines
        .first()
        .is_some_and(|l| OLD_HELP.contains(&l.trim_end()));
    if !old {
        return lines.concat();
    }
    let mut rest = lines;
    while let Some(l) = rest.first() {
        let t = l.trim_end();
        if OLD_HELP.contains(&t) || t.starts_with("# tags: ") || t.starts_with("# project: ") {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    rest.concat()
}

/// Read an edited `kb add` draft: `None` when the question is empty. The header lines are read
/// as [`parse_edit`] reads them; besides, lines that are not header lines, above the scissors
/// line, are a question typed the way `git commit` takes a message — the first paragraph is the
/// question and the rest the start of the answer — as long as the `question:` line is empty.
/// With no scissors line at all the whole text is read that way.
pub fn parse(path: &Path, text: &str) -> Result<Option<Written>, Problem> {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let cut = lines.iter().position(|l| l.trim_end() == SCISSORS);
    let above = &lines[..cut.unwrap_or(lines.len())];
    // The header part as parse_edit reads it (other lines blanked, so line numbers hold), and
    // the free lines with their line numbers.
    let mut headers = String::new();
    let mut free: Vec<(usize, &str)> = Vec::new();
    let mut after_header = false;
    for (i, l) in above.iter().enumerate() {
        let t = l.strip_suffix('\n').unwrap_or(l);
        let help = ADD_HELP.contains(&t.trim_end());
        let comment = free.is_empty() && t.trim_start().starts_with('#');
        let wrapped = after_header && t.starts_with([' ', '\t']) && !t.trim().is_empty();
        if help || comment || (free.is_empty() && t.trim().is_empty()) {
            headers.push('\n');
            after_header = false;
        } else if header_name(t).is_some() || wrapped {
            headers.push_str(t);
            headers.push('\n');
            after_header = true;
        } else {
            free.push((i + 1, l));
            headers.push('\n');
            after_header = false;
        }
    }
    headers.push_str(SCISSORS);
    headers.push('\n');
    let below: String = match cut {
        Some(c) => without_old_help(&lines[c + 1..]),
        None => String::new(),
    };
    headers.push_str(&below);
    let mut w = read(path, &headers, true)?;
    if let Some((line, first)) = free.iter().find(|(_, l)| !l.trim().is_empty()) {
        if !w.question.is_empty() {
            return Err(Problem {
                path: path.to_path_buf(),
                line: *line,
                column: 1,
                message: format!(
                    "`{}` is neither a header line nor the answer: the question is on the \
                     `question:` line, and the answer goes below the scissors line",
                    crate::model::truncate_chars(first.trim(), 40)
                ),
            });
        }
        let body: String = free.iter().map(|(_, l)| *l).collect();
        let body = body.trim_start_matches(['\n', ' ', '\t']);
        let (question, rest) = match body.find("\n\n") {
            Some(i) => (&body[..i], &body[i + 2..]),
            None => (body, ""),
        };
        w.question = crate::model::normalise_question(question);
        let rest = rest.trim_start_matches('\n');
        let answer = match (rest.trim().is_empty(), w.answer.trim().is_empty()) {
            (true, _) => w.answer.clone(),
            (false, true) => rest.to_string(),
            (false, false) => format!("{}\n\n{}", rest.trim_end(), w.answer),
        };
        w.answer = crate::yaml::normalise_block(&answer);
    }
    Ok((!w.question.is_empty()).then_some(w))
}

/// What a person writes about a question: what `kb edit` lets them change without YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub question: String,
    pub tags: Vec<String>,
    pub project: Option<String>,
    pub answer: String,
}

impl Written {
    /// The written parts of `q`.
    pub fn of(q: &crate::Question) -> Written {
        Written {
            question: q.question.clone(),
            tags: q.tags.clone(),
            project: q.project.clone(),
            answer: q.answer.clone(),
        }
    }

    /// `q` with these parts written into it; every other field is left as it is.
    pub fn apply_to(&self, q: &crate::Question) -> crate::Question {
        let mut out = q.clone();
        out.question = self.question.clone();
        out.tags = self.tags.clone();
        out.project = self.project.clone();
        out.answer = self.answer.clone();
        out
    }
}

/// The header names of an edit draft, in the order they are written.
const HEADERS: [&str; 3] = ["question", "tags", "project"];

/// The text `kb edit` opens for question `id`.
pub fn edit_text(id: &str, w: &Written) -> String {
    let mut s = format!(
        "# kb edit {id}: 질문·태그·프로젝트는 아래 줄에서, 답변(Markdown)은 가위 줄 아래에서 고치세요.\n\
         # Edit the header lines below; the answer (Markdown) is everything under the scissors line.\n\
         # Tags are separated by commas or spaces; an empty project line means none. Lines starting\n\
         # with # above the scissors line are ignored. Other fields of the file are kept as they are.\n"
    );
    s.push_str(&header_lines(w));
    s.push_str(SCISSORS);
    s.push('\n');
    s.push_str(&w.answer);
    s
}

/// The `question:`, `tags:` and `project:` lines of `w`.
fn header_lines(w: &Written) -> String {
    format!(
        "question: {}\ntags: {}\nproject: {}\n",
        w.question,
        w.tags.join(", "),
        w.project.as_deref().unwrap_or("")
    )
}

/// The header a line names (`question`, `tags`, `project`, or their Korean names), if it is a
/// header line.
fn header_name(line: &str) -> Option<usize> {
    let (name, _) = line.split_once(':')?;
    let key = name.trim().to_lowercase();
    // Korean names too: a person writing in Korean types `태그:` as readily as `tags:`.
    let key = match key.as_str() {
        "질문" => "question",
        "태그" => "tags",
        "프로젝트" => "project",
        k => k,
    };
    HEADERS.iter().position(|k| *k == key)
}

/// Read an edited `kb edit` draft (`path` is where it is, for the problems reported).
pub fn parse_edit(path: &Path, text: &str) -> Result<Written, Problem> {
    read(path, text, false)
}

/// [`parse_edit`]; with `empty_question`, an empty question is no problem (kb add aborts).
fn read(path: &Path, text: &str, empty_question: bool) -> Result<Written, Problem> {
    let problem = |line: usize, column: usize, message: String| Problem {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let text = text.replace("\r\n", "\n");
    if !text.lines().any(|l| l.trim_end() == SCISSORS) {
        return Err(problem(
            0,
            0,
            format!(
                "the scissors line is missing; the answer goes below a line that reads\n{SCISSORS}"
            ),
        ));
    }
    let mut values: [Option<(usize, String)>; 3] = [None, None, None];
    let mut last: Option<usize> = None;
    let mut answer = None;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i + 1;
        offset += line.len();
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.trim_end() == SCISSORS {
            answer = Some(&text[offset..]);
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A long value wrapped onto the next line by the editor.
            match last.and_then(|h| values[h].as_mut()) {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                None => {
                    return Err(problem(
                        n,
                        1,
                        "an indented line with no header above it".into(),
                    ));
                }
            }
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(problem(
                n,
                1,
                format!(
                    "`{}` is not a header line (`question:`, `tags:` or `project:`); the answer \
                     goes below the scissors line",
                    crate::model::truncate_chars(line.trim(), 40)
                ),
            ));
        };
        let Some(h) = header_name(line) else {
            return Err(problem(
                n,
                1,
                format!(
                    "unknown header `{}` (the headers are question, tags and project, or 질문, 태그 and 프로젝트)",
                    name.trim()
                ),
            ));
        };
        if values[h].is_some() {
            return Err(problem(n, 1, format!("`{}:` is given twice", HEADERS[h])));
        }
        values[h] = Some((n, value.trim().to_string()));
        last = Some(h);
    }
    let answer = answer.unwrap_or_default();
    let [question, tags, project] = values;
    let question = question
        .map(|(_, v)| crate::model::normalise_question(&v))
        .unwrap_or_default();
    if question.is_empty() && !empty_question {
        return Err(problem(
            0,
            0,
            "the question is empty (to remove a question, use `kb rm`)".into(),
        ));
    }
    let mut tag_list = Vec::new();
    if let Some((n, v)) = &tags {
        for t in v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
        {
            let tag = t.to_lowercase();
            if let Some(why) = crate::model::tag_problem(&tag) {
                return Err(problem(*n, 1, format!("tag `{t}`: {why}")));
            }
            tag_list.push(tag);
        }
    }
    crate::model::normalise_tags(&mut tag_list);
    let project = match project {
        Some((n, v)) if !v.is_empty() => {
            let p = v.to_ascii_lowercase();
            crate::id::validate(&p).map_err(|e| problem(n, 1, format!("project: {e}")))?;
            Some(p)
        }
        _ => None,
    };
    Ok(Written {
        question,
        tags: tag_list,
        project,
        answer: crate::yaml::normalise_block(answer),
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn written() -> Written {
        Written {
            question: "추론 최적화는 어떻게 진행했나요?".into(),
            tags: vec!["inference".into(), "ml".into()],
            project: Some("orc".into()),
            answer: "# 요약\n- TensorRT 변환\n  - FP16\n\n```python\nif x:\n    y()\n```\ntags: 이건 답변\n".into(),
        }
    }

    #[test]
    fn an_edit_draft_reads_back_what_it_shows() {
        let w = written();
        let text = edit_text("q-1", &w);
        assert_eq!(parse_edit(Path::new("d"), &text).unwrap(), w);
    }

    #[test]
    fn header_lines_change_tags_and_project_and_wrap() {
        let text = edit_text("q-1", &written())
            .replace("tags: inference, ml", "TAGS: gpu,ml  latency")
            .replace("project: orc", "프로젝트:")
            .replace("진행했나요?", "진행했나요?\n  지연 시간 위주로");
        let w = parse_edit(Path::new("d"), &text).unwrap();
        assert_eq!(w.tags, ["gpu", "latency", "ml"]);
        assert_eq!(w.project, None);
        assert_eq!(
            w.question,
            "추론 최적화는 어떻게 진행했나요? 지연 시간 위주로"
        );
    }

    #[test]
    fn a_broken_edit_draft_says_what_and_where() {
        let base = edit_text("q-1", &written());
        let cases = [
            (base.replace("tags:", "tgas:"), 6, "unknown header `tgas`"),
            (
                base.replace("project: orc", "project: 오알씨"),
                7,
                "project",
            ),
            (
                base.replace("question: 추론", "question:\n추론"),
                6,
                "not a header line",
            ),
            (base.replace(SCISSORS, "---"), 0, "scissors line is missing"),
            (
                base.replace("question: 추론 최적화는 어떻게 진행했나요?", "question: "),
                0,
                "empty",
            ),
            (
                base.replace("tags: inference, ml", "tags: +ml"),
                6,
                "tag `+ml`",
            ),
        ];
        for (text, line, says) in cases {
            let p = parse_edit(Path::new("d"), &text).unwrap_err();
            assert_eq!(p.line, line, "{p}");
            assert!(p.message.contains(says), "{p}");
        }
    }

    fn add(text: &str) -> Option<Written> {
        parse(Path::new("d"), text).unwrap()
    }

    #[test]
    fn an_add_draft_reads_its_header_lines_and_the_answer_below() {
        let t = template(&["os".into()], None)
            .replace("question: ", "question: 가상 메모리란?")
            .replace("project: ", "프로젝트: ocr-serving");
        let w = add(&format!("{t}# 핵심\n큰 주소 공간.\n")).unwrap();
        assert_eq!(w.question, "가상 메모리란?");
        assert_eq!(w.tags, ["os"]);
        assert_eq!(w.project.as_deref(), Some("ocr-serving"));
        assert_eq!(w.answer, "# 핵심\n큰 주소 공간.\n");
    }

    #[test]
    fn a_question_typed_git_commit_style_is_taken_too() {
        // Above everything, with a Markdown heading in the answer.
        let edited = format!(
            "추론 최적화는\n어떻게 진행했나요?\n\n# 요약\nTensorRT 변환\n\n{}",
            template(&[], None)
        );
        let w = add(&edited).unwrap();
        assert_eq!(w.question, "추론 최적화는 어떻게 진행했나요?");
        assert_eq!(w.answer, "# 요약\nTensorRT 변환\n");
        // Under the empty question line (vi's `o`), the answer below the scissors.
        let edited = template(&["ml".into()], None)
            .replace("question: \n", "question:\n배치 정규화의 효과는?\n")
            + "학습이 안정됩니다.\n";
        let w = add(&edited).unwrap();
        assert_eq!(w.question, "배치 정규화의 효과는?");
        assert_eq!(w.tags, ["ml"]);
        assert_eq!(w.answer, "학습이 안정됩니다.\n");
        // No scissors line, no headers: the whole text.
        let w = add("TCP와 UDP 차이?\n\n신뢰성 vs 속도\n").unwrap();
        assert_eq!(
            (w.question.as_str(), w.answer.as_str()),
            ("TCP와 UDP 차이?", "신뢰성 vs 속도\n")
        );
    }

    #[test]
    fn a_draft_kept_from_before_the_header_lines_reads_as_it_was_meant() {
        let old = format!(
            "TCP와 UDP 차이?\n\n신뢰성 vs 속도\n\n{SCISSORS}\n{}\n# tags: network\n",
            OLD_HELP.join("\n")
        );
        let w = add(&old).unwrap();
        assert_eq!(w.question, "TCP와 UDP 차이?");
        assert_eq!(w.answer, "신뢰성 vs 속도\n");
    }

    #[test]
    fn an_untouched_or_empty_add_draft_aborts_and_a_doubled_question_is_a_problem() {
        assert_eq!(add(&template(&["ml".into()], Some("p"))), None);
        assert_eq!(add("   \n\n"), None);
        let both = template(&[], None).replace("question: ", "question: 하나?") + "";
        let both = format!("둘?\n{both}");
        let p = parse(Path::new("d"), &both).unwrap_err();
        assert_eq!(p.line, 1, "{p}");
        let bad = template(&[], None).replace("tags: ", "tags: +ml");
        assert!(
            parse(Path::new("d"), &bad)
                .unwrap_err()
                .message
                .contains("tag `+ml`")
        );
    }
}
