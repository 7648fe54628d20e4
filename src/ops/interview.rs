//! Recording an interview: the questions a person wrote down after it, each either a new
//! question or one more occurrence on a question already in the bank, committed with the
//! interview record as one change.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::intake::{Incoming, record_asked};
use crate::interview::Interview;
use crate::model::{Question, truncate_chars};
use crate::tx::{Committed, Transaction};

/// What to do with one incoming question.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Add it as a new question.
    New,
    /// Record the occurrence on this existing question (or on a question added earlier in the
    /// same list: `(new #N)`, numbered from 1 in the order the new ones come).
    Existing(String),
}

impl Decision {
    /// As remembered in a draft.
    pub fn key(&self) -> String {
        match self {
            Decision::New => "new".into(),
            Decision::Existing(id) => format!("existing:{id}"),
        }
    }

    /// The decision a draft remembered, if `key` is one.
    pub fn from_key(key: &str) -> Option<Decision> {
        match key {
            "new" => Some(Decision::New),
            _ => key
                .strip_prefix("existing:")
                .map(|id| Decision::Existing(id.to_string())),
        }
    }
}

/// What happened to one incoming question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The question as typed.
    pub incoming: String,
    /// The question it became or was recorded on.
    pub id: String,
    /// A new question (else asked again).
    pub new: bool,
}

/// What [`record`] did.
#[derive(Debug)]
pub struct Recorded {
    pub outcomes: Vec<Outcome>,
    pub committed: Committed,
}

impl Recorded {
    /// How many incoming questions became new questions.
    pub fn new_count(&self) -> usize {
        self.outcomes.iter().filter(|o| o.new).count()
    }

    /// How many were recorded on questions already there.
    pub fn again_count(&self) -> usize {
        self.outcomes.len() - self.new_count()
    }
}

/// Where the interview's questions go, beside the decisions.
#[derive(Debug, Default, Clone)]
pub struct Placement<'a> {
    /// Tags every new question gets.
    pub tags: &'a [String],
    /// The project new questions belong to.
    pub project: Option<&'a str>,
}

/// Stage the interview's questions as decided (new questions created, occurrences recorded on
/// existing ones) and the interview record, and commit them as one change. `decisions` pairs
/// with `incoming`; a missing decision counts as new.
pub fn record(
    tx: &mut Transaction,
    interview: &Interview,
    incoming: &[Incoming],
    decisions: Vec<Decision>,
    placement: Placement,
) -> Result<Recorded> {
    let kb = tx.kb();
    let mut changed: BTreeMap<String, Question> = BTreeMap::new();
    let mut outcomes = Vec::new();
    let mut new_ids: BTreeMap<String, String> = BTreeMap::new();
    let decisions = decisions
        .into_iter()
        .chain(std::iter::repeat(Decision::New));
    for (item, decision) in incoming.iter().zip(decisions) {
        let existing = match decision {
            Decision::Existing(id) if id.starts_with("(new #") => new_ids.get(&id).cloned(),
            Decision::Existing(id) => Some(id),
            Decision::New => None,
        };
        match existing {
            Some(id) => {
                if !changed.contains_key(&id) {
                    changed.insert(id.clone(), kb.load(&id)?);
                }
                let q = changed.get_mut(&id).expect("inserted above");
                record_asked(q, interview.occurrence(), item);
                q.updated = Some(crate::time::now());
                outcomes.push(Outcome {
                    incoming: item.question.clone(),
                    id,
                    new: false,
                });
            }
            None => {
                let id = loop {
                    let id = kb.new_id();
                    if !changed.contains_key(&id) {
                        break id;
                    }
                };
                let mut q = Question::new(id.clone(), &item.question);
                q.answer = item.answer.clone();
                q.tags = placement.tags.to_vec();
                q.project = placement.project.map(str::to_string);
                q.asked.push(interview.occurrence());
                let placeholder = format!("(new #{})", new_ids.len() + 1);
                new_ids.insert(placeholder, id.clone());
                changed.insert(id.clone(), q);
                outcomes.push(Outcome {
                    incoming: item.question.clone(),
                    id,
                    new: true,
                });
            }
        }
    }
    for q in changed.values() {
        tx.save(q)?;
    }
    tx.save_interview(interview)?;
    let message = message(interview, &outcomes);
    // One journalled change (the interview and its questions): a kill half-way is finished by
    // the next kb.
    let committed = tx.commit(&message)?;
    Ok(Recorded {
        outcomes,
        committed,
    })
}

/// The commit message: a subject with the counts, then a line per incoming question.
fn message(interview: &Interview, outcomes: &[Outcome]) -> String {
    let new = outcomes.iter().filter(|o| o.new).count();
    let again = outcomes.len() - new;
    let mut message = format!(
        "interview {}: {} ({new} new, {again} asked again)\n\n",
        interview.id,
        interview.label()
    );
    for o in outcomes {
        message.push_str(&format!(
            "{} {}: {}\n",
            if o.new { "new  " } else { "again" },
            o.id,
            truncate_chars(&o.incoming, 60)
        ));
    }
    message.trim_end().to_string()
}

/// What `kb interview add --json` reports.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub id: &'a str,
    pub new: Vec<&'a str>,
    pub asked_again: Vec<&'a str>,
    pub commit: Option<String>,
}

impl Recorded {
    pub fn report<'a>(&'a self, interview: &'a Interview) -> Report<'a> {
        let ids = |new: bool| {
            self.outcomes
                .iter()
                .filter(|o| o.new == new)
                .map(|o| o.id.as_str())
                .collect()
        };
        Report {
            id: &interview.id,
            new: ids(true),
            asked_again: ids(false),
            commit: self.committed.commit_hex(),
        }
    }
}

/// Every interview, newest first; and the files that could not be read.
pub fn list(kb: &crate::Kb) -> Result<(Vec<Interview>, Vec<crate::Problem>)> {
    let (mut interviews, problems) = kb.load_interviews()?;
    interviews.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    Ok((interviews, problems))
}

/// An interview and the questions asked in it.
#[derive(Debug)]
pub struct Shown {
    pub interview: Interview,
    pub questions: Vec<Question>,
}

impl Serialize for Shown {
    /// The interview as `Interview::to_json` shows it, with the id and text of each question.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Asked<'a> {
            id: &'a str,
            question: &'a str,
        }
        let mut v = self.interview.to_json();
        let asked: Vec<Asked> = self
            .questions
            .iter()
            .map(|q| Asked {
                id: &q.id,
                question: &q.question,
            })
            .collect();
        v["questions"] = serde_json::to_value(asked).map_err(serde::ser::Error::custom)?;
        v.serialize(s)
    }
}

/// The interview `id` (resolved) with its questions, found through the index.
pub fn show(kb: &crate::Kb, index: &crate::index::SearchIndex, id: &str) -> Result<Shown> {
    let interview = kb.load_interview(id)?;
    let questions = index
        .asked_in(id)?
        .iter()
        .filter_map(|qid| kb.load(qid).ok())
        .collect();
    Ok(Shown {
        interview,
        questions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incoming(q: &str) -> Incoming {
        Incoming {
            question: q.to_string(),
            answer: String::new(),
        }
    }

    #[test]
    fn decisions_round_trip_through_their_draft_keys() {
        for d in [
            Decision::New,
            Decision::Existing("q-abc".into()),
            Decision::Existing("(new #2)".into()),
        ] {
            assert_eq!(Decision::from_key(&d.key()), Some(d));
        }
        assert_eq!(Decision::from_key("maybe"), None);
    }

    #[test]
    fn records_new_and_again_and_refers_to_a_question_new_in_the_same_list() {
        let dir = tempfile::tempdir().unwrap();
        let kb = crate::Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        let mut old = Question::new("q-old".into(), "TCP와 UDP의 차이는?");
        old.answer = "신뢰성".into();
        tx.save(&old).unwrap();
        let _ = tx.commit("add q-old").unwrap();

        let interview = Interview::new("i-1".into(), "카카오");
        let list = [
            incoming("가상 메모리란?"),
            incoming("TCP UDP 차이"),
            incoming("가상메모리 설명"),
        ];
        let decisions = vec![
            Decision::New,
            Decision::Existing("q-old".into()),
            Decision::Existing("(new #1)".into()),
        ];
        let tags = ["os".to_string()];
        let placement = Placement {
            tags: &tags,
            project: None,
        };
        let done = record(&mut tx, &interview, &list, decisions, placement).unwrap();
        assert_eq!((done.new_count(), done.again_count()), (1, 2));
        let new_id = &done.outcomes[0].id;
        assert_eq!(
            &done.outcomes[2].id, new_id,
            "(new #1) is the first new one"
        );
        assert!(done.committed.commit.is_some());
        let q = kb.load(new_id).unwrap();
        assert_eq!(q.tags, ["os"]);
        assert_eq!(
            q.asked.len(),
            1,
            "one interview is one occurrence, however often typed"
        );
        assert_eq!(kb.load("q-old").unwrap().asked.len(), 1);
        assert!(kb.load_interview("i-1").is_ok());
        let head = kb.repo().head().unwrap().peel_to_commit().unwrap();
        let msg = head.message().unwrap();
        assert!(msg.starts_with("interview i-1: "), "{msg}");
        assert!(msg.contains("(1 new, 2 asked again)"), "{msg}");
    }

    #[test]
    fn a_question_without_a_decision_is_added_not_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let kb = crate::Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        let interview = Interview::new("i-2".into(), "네이버");
        let list = [
            incoming("CNN receptive field 설명"),
            incoming("배치 정규화 효과는?"),
        ];
        let done = record(
            &mut tx,
            &interview,
            &list,
            vec![Decision::New],
            Placement::default(),
        )
        .unwrap();
        assert_eq!(done.new_count(), 2);
        assert_eq!(kb.question_ids().unwrap().len(), 2);
    }
}
