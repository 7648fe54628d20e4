//! `kb project rename` and `kb project rm`: a project's name or id changed everywhere it is
//! written, or the project removed with or without its questions — each in one commit.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Question;
use crate::project::Project;
use crate::store::PROJECTS_DIR;
use crate::tx::Transaction;

/// What a rename did.
#[derive(Debug, Serialize)]
pub struct Renamed {
    pub id: String,
    /// The id before, when it changed.
    pub old_id: Option<String>,
    pub name: String,
    pub old_name: String,
    /// Template questions reworded for the new name.
    pub reworded: Vec<String>,
    /// Template questions left as they are: their wording was edited by hand.
    pub kept_wording: Vec<String>,
    /// Questions and interview records whose `project:` now names the new id.
    pub relinked_questions: usize,
    pub relinked_interviews: usize,
    pub commit: Option<String>,
}

/// Give `project` the name `name` (when given) and the id `new_id` (when given): its template
/// questions still worded as the template words them are reworded, and every question and
/// interview that names the old id names the new one. Question ids stay: they are stable.
pub fn rename(
    tx: &mut Transaction,
    project: &Project,
    name: Option<&str>,
    new_id: Option<&str>,
) -> Result<Renamed> {
    let kb = tx.kb();
    let (projects, _) = kb.load_projects()?;
    let mut renamed = project.clone();
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        if let Some(other) = projects
            .iter()
            .find(|p| p.id != project.id && p.name == name)
        {
            return Err(Error::Invalid(crate::error::Problem {
                path: format!("{PROJECTS_DIR}/{}.yaml", other.id).into(),
                line: 0,
                column: 0,
                message: format!("another project is already named {name}"),
            }));
        }
        renamed.name = name.to_string();
    }
    if let Some(id) = new_id {
        let id = crate::id::validate(id.trim())?.to_string();
        if id != project.id && projects.iter().any(|p| p.id == id) {
            return Err(Error::Invalid(crate::error::Problem {
                path: format!("{PROJECTS_DIR}/{id}.yaml").into(),
                line: 0,
                column: 0,
                message: format!("a project with the id {id} exists already"),
            }));
        }
        renamed.id = id;
    }
    let id_changed = renamed.id != project.id;
    let mut report = Renamed {
        id: renamed.id.clone(),
        old_id: id_changed.then(|| project.id.clone()),
        name: renamed.name.clone(),
        old_name: project.name.clone(),
        reworded: Vec::new(),
        kept_wording: Vec::new(),
        relinked_questions: 0,
        relinked_interviews: 0,
        commit: None,
    };
    if renamed == *project {
        return Ok(report);
    }
    renamed.updated = Some(crate::time::now());

    let template = kb.template()?;
    let loaded = kb.load_all()?;
    for q in loaded
        .questions
        .iter()
        .filter(|q| q.project.as_deref() == Some(&project.id))
    {
        let mut changed: Question = q.clone();
        if renamed.name != project.name
            && let Some(entry) = q
                .template
                .as_deref()
                .and_then(|key| template.iter().find(|t| t.key == key))
        {
            let as_written = entry.question.replace("{project}", &project.name);
            if q.question == as_written {
                changed.question = entry.question.replace("{project}", &renamed.name);
                report.reworded.push(q.id.clone());
            } else {
                report.kept_wording.push(q.id.clone());
            }
        }
        if id_changed {
            changed.project = Some(renamed.id.clone());
            report.relinked_questions += 1;
        }
        if changed != *q {
            changed.updated = Some(crate::time::now());
            tx.save(&changed)?;
        }
    }
    if id_changed {
        let (interviews, _) = kb.load_interviews()?;
        for i in interviews
            .iter()
            .filter(|i| i.project.as_deref() == Some(&project.id))
        {
            let mut i = i.clone();
            i.project = Some(renamed.id.clone());
            tx.save_interview(&i)?;
            report.relinked_interviews += 1;
        }
        tx.write(format!("{PROJECTS_DIR}/{}.yaml", project.id), None);
    }
    tx.save_project(&renamed)?;
    let what = match (id_changed, renamed.name != project.name) {
        (true, true) => format!(
            "{} → {} ({} → {})",
            project.id,
            renamed.id,
            crate::model::truncate_chars(&project.name, 30),
            crate::model::truncate_chars(&renamed.name, 30)
        ),
        (true, false) => format!("{} → {}", project.id, renamed.id),
        _ => format!(
            "{}: {} → {}",
            renamed.id,
            crate::model::truncate_chars(&project.name, 30),
            crate::model::truncate_chars(&renamed.name, 30)
        ),
    };
    let done = tx.commit(&format!(
        "project rename {what} ({} question{} reworded)",
        report.reworded.len(),
        if report.reworded.len() == 1 { "" } else { "s" }
    ))?;
    report.commit = done.commit.map(|c| c.to_string());
    Ok(report)
}

/// What to do with a removed project's questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Questions {
    /// Keep them, no longer tied to a project.
    Keep,
    /// Remove them too.
    Remove,
}

/// What a removal did.
#[derive(Debug, Serialize)]
pub struct Removed {
    pub id: String,
    pub name: String,
    /// Questions removed with it.
    pub removed: Vec<String>,
    /// Questions kept, now without a project.
    pub kept: Vec<String>,
    /// Of the removed ones, those that had an answer or had been asked in an interview (the
    /// commit keeps them: `git revert` brings them back).
    pub removed_with_work: Vec<String>,
    /// Interview records that named the project (they keep their questions; the link is cut).
    pub interviews: usize,
    pub commit: Option<String>,
}

/// Remove `project`, and its questions or only their link to it, in one commit.
pub fn remove(tx: &mut Transaction, project: &Project, questions: Questions) -> Result<Removed> {
    let kb = tx.kb();
    let loaded = kb.load_all()?;
    let mut report = Removed {
        id: project.id.clone(),
        name: project.name.clone(),
        removed: Vec::new(),
        kept: Vec::new(),
        removed_with_work: Vec::new(),
        interviews: 0,
        commit: None,
    };
    for q in loaded
        .questions
        .iter()
        .filter(|q| q.project.as_deref() == Some(&project.id))
    {
        match questions {
            Questions::Remove => {
                tx.remove(&q.id)?;
                if q.is_answered() || !q.asked.is_empty() {
                    report.removed_with_work.push(q.id.clone());
                }
                report.removed.push(q.id.clone());
            }
            Questions::Keep => {
                let mut kept = q.clone();
                kept.project = None;
                kept.updated = Some(crate::time::now());
                tx.save(&kept)?;
                report.kept.push(q.id.clone());
            }
        }
    }
    let (interviews, _) = kb.load_interviews()?;
    for i in interviews
        .iter()
        .filter(|i| i.project.as_deref() == Some(&project.id))
    {
        let mut i = i.clone();
        i.project = None;
        tx.save_interview(&i)?;
        report.interviews += 1;
    }
    tx.write(format!("{PROJECTS_DIR}/{}.yaml", project.id), None);
    let message = match questions {
        Questions::Remove => format!(
            "project rm {}: {} (and its {} question{})",
            project.id,
            crate::model::truncate_chars(&project.name, 40),
            report.removed.len(),
            if report.removed.len() == 1 { "" } else { "s" }
        ),
        Questions::Keep => format!(
            "project rm {}: {} (its {} question{} kept, without a project)",
            project.id,
            crate::model::truncate_chars(&project.name, 40),
            report.kept.len(),
            if report.kept.len() == 1 { "" } else { "s" }
        ),
    };
    let done = tx.commit(&message)?;
    report.commit = done.commit.map(|c| c.to_string());
    Ok(report)
}
