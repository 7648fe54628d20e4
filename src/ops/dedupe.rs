//! Is this question already in the bank? The look-up behind `kb add` and `kb interview add`:
//! the bank's closest questions to an incoming one, with what made them match. Asking the
//! person which one it is belongs to the commands.

use std::collections::HashMap;

use crate::analysis::glossary::Glossary;
use crate::analysis::similar::Candidate;
use crate::error::Result;
use crate::index::{Progress, SearchIndex};
use crate::store::Kb;

/// How far below the threshold look-alikes are still shown to a person at a terminal: a right
/// question scored a little low is still offered (as a ranking the look-up is better than as
/// a yes/no), and kb then suggests adding a new one.
pub const SHOWN_BELOW: f32 = 0.15;

/// The least similarity shown to a person, for a decision threshold.
pub fn shown_threshold(threshold: f32) -> f32 {
    (threshold - SHOWN_BELOW).max(0.0)
}

/// Finds, for incoming questions, the ones already in the bank, and remembers the questions
/// added earlier in the same run (so a question asked twice in one list is kept once).
pub struct Lookalikes {
    /// `None`: looking is off (`--no-dedupe`); nothing is ever found.
    index: Option<SearchIndex>,
    glossary: Glossary,
    /// The résumé project the questions are about: other projects' project questions are not
    /// candidates.
    project: Option<String>,
    /// The comparison tokens of each project's name (see [`SearchIndex::similar`]).
    project_names: HashMap<String, Vec<String>>,
    added: Vec<(String, String)>,
}

impl Lookalikes {
    pub fn new(
        kb: &Kb,
        enabled: bool,
        project: Option<&str>,
        progress: &dyn Progress,
    ) -> Result<Lookalikes> {
        let index = match enabled {
            true => Some(SearchIndex::open(kb, progress)?.0),
            false => None,
        };
        let glossary = Glossary::load(kb.root()).0;
        let project_names = crate::analysis::similar::project_names(kb, &glossary)?;
        Ok(Lookalikes {
            index,
            glossary,
            project: project.map(str::to_string),
            project_names,
            added: Vec::new(),
        })
    }

    /// The (at most five) questions that may be `text`, best first, at least `least` similar:
    /// the bank's, and those noted as added in this run.
    pub fn above(&self, text: &str, least: f32) -> Result<Vec<Candidate>> {
        let Some(index) = &self.index else {
            return Ok(Vec::new());
        };
        let mut found = index.similar(
            text,
            &self.glossary,
            self.project.as_deref(),
            &self.project_names,
            5,
        )?;
        for (id, q) in &self.added {
            found.push(crate::analysis::similar::compare_incoming(text, q).into_candidate(id, q));
        }
        found.retain(|c| c.similarity >= least);
        found.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.id.cmp(&b.id))
        });
        found.truncate(5);
        Ok(found)
    }

    /// A question added in this run under `id` (a placeholder such as `(new #1)` until it is
    /// written): later incoming questions are compared with it too.
    pub fn note_added(&mut self, id: &str, question: &str) {
        self.added.push((id.to_string(), question.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Question;

    #[test]
    fn finds_the_bank_question_and_one_added_in_the_same_run() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        tx.save(&Question::new(
            "q-bn".into(),
            "배치 정규화의 효과는 무엇인가요?",
        ))
        .unwrap();
        tx.save(&Question::new("q-tcp".into(), "TCP와 UDP의 차이는?"))
            .unwrap();
        let _ = tx.commit("two").unwrap();
        drop(tx);
        let silent = crate::index::Silent;
        let mut look = Lookalikes::new(&kb, true, None, &silent).unwrap();
        let found = look.above("배치정규화 효과 뭐에요", 0.5).unwrap();
        assert_eq!(
            found.first().map(|c| c.id.as_str()),
            Some("q-bn"),
            "{found:?}"
        );
        assert!(look.above("가상 메모리란?", 0.5).unwrap().is_empty());
        look.note_added("(new #1)", "가상 메모리란?");
        let found = look.above("가상메모리 설명해주세요", 0.5).unwrap();
        assert_eq!(
            found.first().map(|c| c.id.as_str()),
            Some("(new #1)"),
            "{found:?}"
        );
        let off = Lookalikes::new(&kb, false, None, &silent).unwrap();
        assert!(
            off.above("배치 정규화의 효과는 무엇인가요?", 0.0)
                .unwrap()
                .is_empty()
        );
        assert!((shown_threshold(0.5) - 0.35).abs() < 1e-6);
        assert_eq!(shown_threshold(0.1), 0.0);
    }
}
