//! `kb list`: the questions that pass a filter, in the order asked for, from the search
//! index's columns (no question file is opened, so it stays quick on a big bank).

use serde::Serialize;

use crate::error::Result;
use crate::index::{Facts, SearchIndex, Summary};

/// Which questions: every tag, the project, and the asked/answer filters.
#[derive(Debug, Default)]
pub struct Filter {
    pub tags: Vec<String>,
    pub project: Option<String>,
    /// Asked in at least one interview.
    pub asked: bool,
    /// Asked at this company (compared without case).
    pub company: Option<String>,
    pub unanswered: bool,
}

impl Filter {
    pub fn keeps(&self, q: &Facts) -> bool {
        self.tags.iter().all(|t| q.has_tag(t))
            && self.project.as_deref().is_none_or(|p| q.project == Some(p))
            && (!self.asked || q.asked_count > 0)
            && (!self.unanswered || !q.answered)
            && self.company.as_deref().is_none_or(|c| q.asked_at(c))
    }
}

/// The order of the list; ties go by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Id,
    /// Oldest first.
    Created,
    /// Most recently changed first.
    Updated,
    /// Most asked first.
    Asked,
}

pub fn list(index: &SearchIndex, filter: &Filter, sort: Sort) -> Result<Vec<Summary>> {
    let mut questions = index.summaries_where(|q| filter.keeps(q))?;
    match sort {
        Sort::Id => {}
        Sort::Created => questions.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id))),
        Sort::Updated => questions.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.id.cmp(&b.id))),
        Sort::Asked => {
            questions.sort_by(|a, b| b.asked_count.cmp(&a.asked_count).then(a.id.cmp(&b.id)))
        }
    }
    Ok(questions)
}

/// One row of `kb list --json`. The fields are in alphabetical order, the order the output
/// had when it was built from JSON maps.
#[derive(Debug, Serialize)]
pub struct Listed<'a> {
    pub answered: bool,
    pub asked: u64,
    pub id: &'a str,
    pub path: String,
    pub project: Option<&'a str>,
    pub question: &'a str,
    pub tags: &'a [String],
}

impl<'a> Listed<'a> {
    pub fn new(q: &'a Summary, path: String) -> Listed<'a> {
        Listed {
            answered: q.answered,
            asked: q.asked_count,
            id: &q.id,
            path,
            project: q.project.as_deref(),
            question: &q.question,
            tags: &q.tags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asked, Question};

    fn q(id: &str, tags: &[&str], asked_at: &[&str], answer: &str) -> Question {
        let mut q = Question::new(id.to_string(), id);
        q.tags = tags.iter().map(|t| t.to_string()).collect();
        q.answer = answer.to_string();
        q.asked = asked_at
            .iter()
            .map(|c| Asked {
                company: c.to_string(),
                round: None,
                date: None,
                interview: None,
                note: None,
                extra: Default::default(),
            })
            .collect();
        q
    }

    #[test]
    fn filters_combine_and_sort_by_asked_keeps_ties_by_id() {
        let qs = [
            q("q-a", &["ml"], &["카카오"], "답"),
            q("q-b", &["ml", "dl"], &["Naver", "naver"], ""),
            q("q-c", &["os"], &[], ""),
        ];
        let index =
            SearchIndex::in_memory(&qs, crate::analysis::analyzer::Options::SHIPPED).unwrap();
        let ids = |f: &Filter, s: Sort| -> Vec<String> {
            list(&index, f, s)
                .unwrap()
                .into_iter()
                .map(|q| q.id)
                .collect()
        };
        let ml = Filter {
            tags: vec!["ml".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&ml, Sort::Id), ["q-a", "q-b"]);
        assert_eq!(ids(&ml, Sort::Asked), ["q-b", "q-a"]);
        let open = Filter {
            unanswered: true,
            ..Filter::default()
        };
        assert_eq!(ids(&open, Sort::Id), ["q-b", "q-c"]);
        let naver = Filter {
            company: Some("NAVER".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&naver, Sort::Id), ["q-b"]);
        let asked = Filter {
            asked: true,
            unanswered: true,
            ..Filter::default()
        };
        assert_eq!(ids(&asked, Sort::Id), ["q-b"]);
    }
}
