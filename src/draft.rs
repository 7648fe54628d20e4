//! The plain-text drafts a person writes questions in, instead of YAML.
//!
//! `kb add` (no question given) opens one like the message `git commit` opens: the first
//! paragraph is the question, the rest is the answer, and everything from the scissors line down
//! is help text that is thrown away.
//!
//! `kb edit` opens the same pieces the other way up ([`edit_text`], [`parse_edit`]): the
//! question, tags and project as `name: value` header lines, then the scissors line, then the
//! answer exactly as stored. Below the scissors line nothing is interpreted, so a Markdown answer
//! (lists, code, `#` headings, even a line that looks like a header) comes back byte for byte,
//! and the editor's YAML mode never gets a chance to re-indent it.
//!
//! A scissors line rather than `#` comments, because answers are Markdown, where `#` starts a
//! heading.

use std::path::Path;

use crate::error::Problem;

/// Everything from this line down is ignored.
pub const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// The text the editor opens with.
pub fn template(tags: &[String], project: Option<&str>) -> String {
    let mut s = String::from("\n\n");
    s.push_str(SCISSORS);
    s.push('\n');
    s.push_str(
        "# 첫 문단에 질문을, 빈 줄 다음에 답변(Markdown)을 쓰세요. 이 줄 아래는 무시됩니다.\n\
         # Write the question as the first paragraph and the answer (Markdown) after a blank line.\n\
         # Everything from the scissors line down is ignored. An empty question aborts.\n",
    );
    if !tags.is_empty() {
        s.push_str(&format!("# tags: {}\n", tags.join(", ")));
    }
    if let Some(p) = project {
        s.push_str(&format!("# project: {p}\n"));
    }
    s
}

/// The question and answer in an edited draft, or `None` when the question is empty.
pub fn parse(text: &str) -> Option<(String, String)> {
    let text = text.replace("\r\n", "\n");
    let body = match text.lines().position(|l| l.trim_end() == SCISSORS) {
        Some(cut) => text.lines().take(cut).collect::<Vec<_>>().join("\n"),
        None => text,
    };
    let body = body.trim_start_matches(['\n', ' ', '\t']);
    let (question, answer) = match body.find("\n\n") {
        Some(i) => (&body[..i], &body[i + 2..]),
        None => (body, ""),
    };
    let question = crate::model::normalise_question(question);
    if question.is_empty() {
        return None;
    }
    Some((
        question,
        crate::yaml::normalise_block(answer.trim_start_matches('\n')),
    ))
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
    s.push_str(&format!("question: {}\n", w.question));
    s.push_str(&format!("tags: {}\n", w.tags.join(", ")));
    s.push_str(&format!(
        "project: {}\n",
        w.project.as_deref().unwrap_or("")
    ));
    s.push_str(SCISSORS);
    s.push('\n');
    s.push_str(&w.answer);
    s
}

/// Read an edited `kb edit` draft (`path` is where it is, for the problems reported).
pub fn parse_edit(path: &Path, text: &str) -> Result<Written, Problem> {
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
        let key = name.trim().to_lowercase();
        // Korean names too: a person writing in Korean types `태그:` as readily as `tags:`.
        let key = match key.as_str() {
            "질문" => "question".to_string(),
            "태그" => "tags".to_string(),
            "프로젝트" => "project".to_string(),
            _ => key,
        };
        let Some(h) = HEADERS.iter().position(|k| *k == key) else {
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
            return Err(problem(n, 1, format!("`{key}:` is given twice")));
        }
        values[h] = Some((n, value.trim().to_string()));
        last = Some(h);
    }
    let answer = answer.unwrap_or_default();
    let [question, tags, project] = values;
    let question = question
        .map(|(_, v)| crate::model::normalise_question(&v))
        .unwrap_or_default();
    if question.is_empty() {
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

    #[test]
    fn first_paragraph_is_the_question_and_markdown_headings_survive() {
        let edited = format!(
            "\n추론 최적화는\n어떻게 진행했나요?\n\n# 요약\nTensorRT 변환\n\n{}",
            template(&[], None)
        );
        let (q, a) = parse(&edited).unwrap();
        assert_eq!(q, "추론 최적화는 어떻게 진행했나요?");
        assert_eq!(a, "# 요약\nTensorRT 변환\n");
    }

    #[test]
    fn untouched_template_aborts() {
        assert_eq!(parse(&template(&["ml".into()], Some("p"))), None);
        assert_eq!(parse("   \n\n"), None);
    }
}
