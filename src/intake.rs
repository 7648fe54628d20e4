//! Taking in what was asked at an interview: the plain-text list people write the evening after,
//! and recording an occurrence on a question already in the bank.

use crate::import::{duplicate_key, looks_like_question};
use crate::model::{Asked, Question};

/// A question as it came in, with the answer given (or meant to be given), if written down.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub question: String,
    pub answer: String,
}

/// Read a list of questions: one question per line. An answer goes right under its question:
/// in the same paragraph (lines that do not read as questions) or indented; paragraphs are
/// separated by blank lines. Lines starting with `#` are comments; everything from a
/// [`crate::draft::SCISSORS`] line down is ignored.
///
/// ```text
/// 추론 최적화는 어떻게 했나요?
/// 데이터는 어떻게 정제했나요?
///
/// TCP와 UDP의 차이는?
/// 연결 지향 여부와 신뢰성 보장이 다르다고 답함.
/// ```
pub fn parse_list(text: &str) -> Vec<Incoming> {
    let text = text.replace("\r\n", "\n");
    let mut out: Vec<Incoming> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim_end() == crate::draft::SCISSORS {
            break;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        lines.push(line);
    }
    lines.push("");
    for line in lines {
        if !line.trim().is_empty() {
            paragraph.push(line);
            continue;
        }
        // A paragraph: questions first; the first line that is indented or does not read as a
        // question starts the answer to the question before it.
        let mut answer_from = None;
        for (i, l) in paragraph.iter().enumerate() {
            let indented = l.starts_with([' ', '\t']);
            if i > 0 && (indented || !looks_like_question(l)) {
                answer_from = Some(i);
                break;
            }
        }
        let (questions, answer) = match answer_from {
            Some(i) => (
                &paragraph[..i],
                paragraph[i..]
                    .iter()
                    .map(|l| l.trim())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            None => (&paragraph[..], String::new()),
        };
        let n = questions.len();
        for (i, q) in questions.iter().enumerate() {
            let q =
                crate::model::normalise_question(q.trim().trim_start_matches(['-', '*']).trim());
            if q.is_empty() {
                continue;
            }
            out.push(Incoming {
                question: q,
                answer: if i + 1 == n {
                    crate::yaml::normalise_block(&answer)
                } else {
                    String::new()
                },
            });
        }
        paragraph.clear();
    }
    out
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

    #[test]
    fn lists_with_and_without_answers() {
        let text = "추론 최적화는 어떻게 했나요?\n데이터는 어떻게 정제했나요?\n\nTCP와 UDP의 차이는?\n연결 지향 여부가 다르다고 답함.\n신뢰성도.\n\n# 메모: 분위기 좋았음\n- 마지막으로 궁금한 점은?\n  회사 문화를 물어봄\n";
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
