//! The plain-text draft `kb add` opens in the editor when no question is given, like the message
//! `git commit` opens: the first paragraph is the question, the rest is the answer, and
//! everything from the scissors line down is help text that is thrown away.
//!
//! A scissors line rather than `#` comments, because answers are Markdown, where `#` starts a
//! heading.

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

#[cfg(test)]
mod tests {
    use super::*;

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
