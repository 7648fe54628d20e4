//! Résumé projects (`kb project add | list | show`): recording one with the template's common
//! questions, and how far each project's answers are.

use serde::Serialize;

use crate::error::{Problem, Result};
use crate::model::Question;
use crate::project::{Project, id_for, instantiate};
use crate::store::Kb;
use crate::tx::Transaction;

/// What `kb project add` was told. Fields left `None` keep what the project has.
#[derive(Debug, Default)]
pub struct Details {
    pub name: String,
    pub id: Option<String>,
    pub summary: Option<String>,
    pub role: Option<String>,
    pub team: Option<u32>,
    pub period: Option<String>,
}

/// What adding (or updating) a project did.
#[derive(Debug, Serialize)]
pub struct Added {
    pub id: String,
    /// The template questions created for it (ids in the JSON).
    #[serde(serialize_with = "ids")]
    pub questions: Vec<Question>,
    pub commit: Option<String>,
    /// The project was already there (same id, or same name without an id).
    #[serde(skip)]
    pub updated: bool,
    /// Files that could not be read on the way.
    #[serde(skip)]
    pub skipped: Vec<Problem>,
    #[serde(skip)]
    pub index_problem: Option<crate::Error>,
}

fn ids<S: serde::Serializer>(qs: &[Question], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(qs.iter().map(|q| &q.id))
}

/// Record the project (new, or the one with that id or name, updated) and add the template's
/// questions it does not have yet, in one commit.
pub fn add(tx: &mut Transaction, d: &Details) -> Result<Added> {
    let kb = tx.kb();
    let (projects, mut skipped) = kb.load_projects()?;
    let name = d.name.trim();
    let existing = match &d.id {
        Some(id) => projects.iter().find(|p| p.id == *id),
        None => projects.iter().find(|p| p.name == name),
    };
    let mut project = match existing {
        Some(p) => p.clone(),
        None => {
            let id = match &d.id {
                Some(id) => crate::id::validate(id.trim())?.to_string(),
                None => {
                    let mut id = id_for(name);
                    while projects.iter().any(|p| p.id == id) {
                        id = format!("{}-{}", id_for(name), &crate::id::generate("x")[2..5]);
                    }
                    id
                }
            };
            Project::new(id, name)
        }
    };
    let before = project.clone();
    if existing.is_some() {
        project.name = name.to_string();
    }
    if let Some(s) = &d.summary {
        project.summary = Some(s.clone());
    }
    if let Some(r) = &d.role {
        project.role = Some(r.clone());
    }
    if d.team.is_some() {
        project.team = d.team;
    }
    if let Some(p) = &d.period {
        project.period = Some(p.clone());
    }
    let changed = existing.is_none() || project != before;
    if changed && existing.is_some() {
        project.updated = Some(crate::time::now());
    }

    let loaded = kb.load_all()?;
    skipped.extend(loaded.problems);
    let mut questions = instantiate(&project, &kb.template()?, &loaded.questions);
    // A question file may already hold that id (a hand-made one): do not overwrite it.
    questions.retain(|q| {
        kb.question_path(&q.id)
            .map(|p| !p.exists())
            .unwrap_or(false)
    });

    // One journalled change: a kill half-way is finished by the next kb.
    if changed {
        tx.save_project(&project)?;
    }
    for q in &questions {
        tx.save(q)?;
    }
    let (mut commit, mut index_problem) = (None, None);
    if !tx.is_empty() {
        let verb = if existing.is_some() { "update" } else { "add" };
        let message = format!(
            "project {verb} {}: {} ({} question{} from the template)",
            project.id,
            crate::model::truncate_chars(&project.name, 40),
            questions.len(),
            if questions.len() == 1 { "" } else { "s" }
        );
        let done = tx.commit(&message)?;
        commit = done.commit.map(|c| c.to_string());
        index_problem = done.index_problem;
    }
    Ok(Added {
        id: project.id,
        questions,
        commit,
        updated: existing.is_some(),
        skipped,
        index_problem,
    })
}

/// A question's answer status for its project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Answered,
    Empty,
    /// Answered, but not edited since the project record changed.
    Stale,
}

pub fn status(q: &Question, project: &Project) -> Status {
    if !q.is_answered() {
        Status::Empty
    } else if matches!((q.updated, project.updated), (Some(qu), Some(pu)) if qu < pu) {
        Status::Stale
    } else {
        Status::Answered
    }
}

/// A project and how many of its questions are answered.
#[derive(Debug)]
pub struct Row {
    pub project: Project,
    pub questions: usize,
    pub answered: usize,
}

impl Serialize for Row {
    /// The project as `Project::to_json` shows it, with the two counts.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut v = self.project.to_json();
        v["questions"] = self.questions.into();
        v["answered"] = self.answered.into();
        v.serialize(s)
    }
}

/// Every project with its counts; and the files that could not be read.
pub fn list(kb: &Kb) -> Result<(Vec<Row>, Vec<Problem>)> {
    let (projects, problems) = kb.load_projects()?;
    let loaded = kb.load_all()?;
    let rows = projects
        .into_iter()
        .map(|project| {
            let mine = loaded
                .questions
                .iter()
                .filter(|q| q.project.as_deref() == Some(project.id.as_str()));
            let (questions, answered) = mine.fold((0, 0), |(n, a), q| {
                (n + 1, a + usize::from(q.is_answered()))
            });
            Row {
                project,
                questions,
                answered,
            }
        })
        .collect();
    Ok((rows, problems))
}

/// One project's questions with their status: the template's first, in its order, then the
/// project's own by id.
#[derive(Debug)]
pub struct Shown {
    pub project: Project,
    pub questions: Vec<Line>,
    pub skipped: Vec<Problem>,
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub id: String,
    pub question: String,
    pub status: Status,
    pub template: Option<String>,
    /// About how long the answer takes to say (0 without one).
    pub speaking_seconds: u32,
    /// Answered, but with no concrete figure in the answer.
    pub no_figure: bool,
}

impl Serialize for Shown {
    /// The project as `Project::to_json` shows it, with its questions.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut v = self.project.to_json();
        v["questions"] =
            serde_json::to_value(&self.questions).map_err(serde::ser::Error::custom)?;
        v.serialize(s)
    }
}

impl Shown {
    pub fn count(&self, status: Status) -> usize {
        self.questions.iter().filter(|l| l.status == status).count()
    }
}

pub fn show(kb: &Kb, project: Project) -> Result<Shown> {
    let loaded = kb.load_all()?;
    let template = kb.template().unwrap_or_default();
    let mut questions: Vec<&Question> = loaded
        .questions
        .iter()
        .filter(|q| q.project.as_deref() == Some(project.id.as_str()))
        .collect();
    let order = |q: &Question| {
        q.template
            .as_deref()
            .and_then(|k| template.iter().position(|e| e.key == k))
            .unwrap_or(usize::MAX)
    };
    questions.sort_by(|a, b| order(a).cmp(&order(b)).then(a.id.cmp(&b.id)));
    let questions = questions
        .into_iter()
        .map(|q| Line {
            id: q.id.clone(),
            question: q.question.clone(),
            status: status(q, &project),
            template: q.template.clone(),
            speaking_seconds: match q.is_answered() {
                true => crate::text::speaking_seconds(&q.answer),
                false => 0,
            },
            no_figure: q.is_answered() && !crate::text::has_figure(&q.answer),
        })
        .collect();
    Ok(Shown {
        project,
        questions,
        skipped: loaded.problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> (tempfile::TempDir, Kb) {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(dir.path(), Some("t")).unwrap();
        (dir, kb)
    }

    fn details(name: &str) -> Details {
        Details {
            name: name.to_string(),
            ..Details::default()
        }
    }

    #[test]
    fn a_project_gets_the_templates_questions_once() {
        let (_dir, kb) = bank();
        let mut tx = kb.begin(&|| {}).unwrap();
        let added = add(&mut tx, &details("OCR 서빙 최적화")).unwrap();
        assert!(!added.updated && added.commit.is_some());
        let n = kb.template().unwrap().len();
        assert!(n >= 5, "kb init writes the common questions ({n})");
        assert_eq!(added.questions.len(), n);
        // The same name again, with a role: the same project, updated, no new questions.
        let again = add(
            &mut tx,
            &Details {
                role: Some("ML engineer".into()),
                ..details("OCR 서빙 최적화")
            },
        )
        .unwrap();
        assert_eq!(again.id, added.id);
        assert!(again.updated && again.questions.is_empty() && again.commit.is_some());
        assert_eq!(
            kb.load_project(&added.id).unwrap().role.as_deref(),
            Some("ML engineer")
        );
        // Nothing new to say: no commit.
        let same = add(&mut tx, &details("OCR 서빙 최적화")).unwrap();
        assert!(same.commit.is_none());
    }

    #[test]
    fn status_is_empty_answered_or_stale_after_the_project_changed() {
        let (_dir, kb) = bank();
        let mut tx = kb.begin(&|| {}).unwrap();
        let added = add(&mut tx, &details("추천 시스템")).unwrap();
        let mut first = added.questions[0].clone();
        first.answer = "CTR을 올리려고 시작했다.".into();
        let now = crate::time::now();
        first.updated = Some(now);
        tx.save(&first).unwrap();
        let _ = tx.commit("answer one").unwrap();
        let project = kb.load_project(&added.id).unwrap();
        let shown = show(&kb, project.clone()).unwrap();
        assert_eq!(shown.questions.len(), added.questions.len());
        assert_eq!(shown.count(Status::Empty), added.questions.len() - 1);
        assert_eq!(shown.count(Status::Answered), 1);
        // The project record changes after the answer was written: the answer is stale.
        let mut later = project.clone();
        later.updated = Some(now + jiff::SignedDuration::from_hours(24));
        assert_eq!(status(&first, &later), Status::Stale);
        assert_eq!(status(&first, &project), Status::Answered);
        let (rows, problems) = list(&kb).unwrap();
        assert!(problems.is_empty());
        assert_eq!(
            (rows[0].questions, rows[0].answered),
            (added.questions.len(), 1)
        );
        let v = serde_json::to_value(&rows[0]).unwrap();
        assert_eq!(v["answered"], 1);
        assert_eq!(v["id"], added.id.as_str());
    }
}
