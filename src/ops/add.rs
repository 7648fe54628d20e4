//! Adding one question (`kb add`): as a new question, or folded into the same question already
//! in the bank (its answer merged, its tags added, or the interview recorded on it).

use crate::error::{Error, Result};
use crate::intake::Incoming;
use crate::interview::Interview;
use crate::model::Question;
use crate::tx::Transaction;

/// The first line of a commit message about one question: `verb id: question…`.
pub fn subject(verb: &str, q: &Question) -> String {
    format!("{verb} {}: {}", q.id, q.short(50))
}

/// What adding did: the question as it now is, and the commit (`None` when the question
/// already said all of it).
#[derive(Debug)]
pub struct Added {
    pub question: Question,
    pub commit: Option<String>,
    pub index_problem: Option<Error>,
}

/// Add `incoming` as a new question `id`, with `tags` and `project`, asked in `interview`.
pub fn new(
    tx: &mut Transaction,
    id: String,
    incoming: Incoming,
    tags: Vec<String>,
    project: Option<String>,
    interview: Option<&Interview>,
    follow_up_of: Option<String>,
) -> Result<Added> {
    let mut q = Question::new(id, &incoming.question);
    q.follow_up_of = follow_up_of;
    if let Some(interview) = interview {
        q.asked.push(interview.occurrence());
    }
    q.answer = incoming.answer;
    q.tags = tags;
    q.project = project;
    if tx.kb().question_path(&q.id)?.exists() {
        return Err(Error::Exists(q.id));
    }
    tx.save(&q)?;
    let done = tx.commit(&subject("add", &q))?;
    Ok(Added {
        commit: done.commit_hex(),
        index_problem: done.index_problem,
        question: q,
    })
}

/// Fold `incoming` into the bank's question `existing`: with an interview, record it there;
/// else merge the answer in and add the tags. Committed only if something changed.
pub fn onto(
    tx: &mut Transaction,
    existing: &str,
    incoming: &Incoming,
    tags: &[String],
    interview: Option<&Interview>,
) -> Result<Added> {
    let before = tx.kb().load(existing)?;
    let mut q = before.clone();
    let message = match interview {
        Some(interview) => {
            crate::intake::record_asked(&mut q, interview.occurrence(), incoming);
            format!("asked {} at {}: {}", q.id, interview.id, q.short(50))
        }
        None => {
            if !incoming.answer.trim().is_empty() {
                let mut other = q.clone();
                other.answer = incoming.answer.clone();
                let now = q.updated.unwrap_or_else(crate::time::now);
                q.answer = crate::merge::fold(&q, &other, false, now).answer;
            }
            for t in tags {
                if !q.tags.contains(t) {
                    q.tags.push(t.clone());
                }
            }
            crate::model::normalise_tags(&mut q.tags);
            subject("add to", &q)
        }
    };
    if q == before {
        return Ok(Added {
            question: q,
            commit: None,
            index_problem: None,
        });
    }
    q.updated = Some(crate::time::now());
    tx.save(&q)?;
    let done = tx.commit(&message)?;
    Ok(Added {
        commit: done.commit_hex(),
        index_problem: done.index_problem,
        question: q,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incoming(q: &str, a: &str) -> Incoming {
        Incoming {
            question: q.to_string(),
            answer: a.to_string(),
        }
    }

    #[test]
    fn a_new_question_is_one_commit_and_an_id_taken_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let kb = crate::Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        let tags = vec!["ml".to_string()];
        let added = new(
            &mut tx,
            "q-bn".into(),
            incoming("배치 정규화의 효과는?", "안정화\n"),
            tags,
            None,
            None,
            None,
        )
        .unwrap();
        assert!(added.commit.is_some());
        assert_eq!(kb.load("q-bn").unwrap().tags, ["ml"]);
        let again = new(
            &mut tx,
            "q-bn".into(),
            incoming("다른 질문", ""),
            vec![],
            None,
            None,
            None,
        );
        assert!(matches!(again, Err(Error::Exists(_))), "{again:?}");
    }

    #[test]
    fn onto_an_existing_question_adds_answer_and_tags_once() {
        let dir = tempfile::tempdir().unwrap();
        let kb = crate::Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        let _ = new(
            &mut tx,
            "q-bn".into(),
            incoming("배치 정규화의 효과는?", ""),
            vec![],
            None,
            None,
            None,
        )
        .unwrap();
        let tags = vec!["dl".to_string()];
        let first = onto(
            &mut tx,
            "q-bn",
            &incoming("배치정규화 효과", "학습이 안정된다.\n"),
            &tags,
            None,
        )
        .unwrap();
        assert!(first.commit.is_some());
        assert_eq!(first.question.tags, ["dl"]);
        assert!(first.question.answer.contains("학습이 안정된다."));
        // The same again: nothing new, no commit.
        let second = onto(
            &mut tx,
            "q-bn",
            &incoming("배치정규화 효과", "학습이 안정된다.\n"),
            &tags,
            None,
        )
        .unwrap();
        assert!(second.commit.is_none());
        let mut iv = Interview::new("i-20261130-ab12".into(), "카카오");
        iv.date = Some("2026-11-30".parse().unwrap());
        let asked = onto(
            &mut tx,
            "q-bn",
            &incoming("배치정규화 효과 뭐에요", ""),
            &[],
            Some(&iv),
        )
        .unwrap();
        assert!(asked.commit.is_some());
        assert_eq!(kb.load("q-bn").unwrap().asked.len(), 1);
    }
}
