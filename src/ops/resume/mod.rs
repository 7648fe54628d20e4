//! `kb project import RESUME.md`: a résumé's projects become project records (as `kb project add`
//! makes them, never overwriting what is there) with the template's common questions, and each
//! of their lines drafts the questions an interviewer asks about such a claim
//! (`templates/resume-rules.yaml`). The plan is made first, without writing; [`write`] commits
//! it as one change. [`coverage`] is the other way round: a project's résumé lines with their
//! questions, for `kb project show`.

pub mod parse;
pub mod rules;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::glossary::Glossary;
use crate::error::{Error, Result, display_path};
use crate::model::{Question, truncate_chars};
use crate::ops::dedupe::Lookalikes;
use crate::ops::project::{Status, status};
use crate::project::{Project, id_for, instantiate};
use crate::store::Kb;
use crate::tx::{Committed, Transaction};

pub use parse::{Bullet, Section};
pub use rules::Rules;

/// The rules file, relative to the knowledge base.
pub const RULES_FILE: &str = crate::store::RESUME_RULES_FILE;

/// The rules `kb init` writes: the same ones the sample knowledge base ships.
pub use crate::store::DEFAULT_RULES;

/// The knowledge base's rules (`templates/resume-rules.yaml`); the default ones when it has none.
pub fn load_rules(kb: &Kb) -> Result<Rules> {
    let path = kb.root().join(RULES_FILE);
    let (shown, text) = if path.is_file() {
        (display_path(&path), crate::store::read_text(&path)?)
    } else {
        (PathBuf::from(RULES_FILE), DEFAULT_RULES.to_string())
    };
    rules::parse(&shown, &text).map_err(Error::Invalid)
}

/// What the import will do (or did).
#[derive(Debug, Serialize)]
pub struct Plan {
    /// The résumé file as given.
    pub file: String,
    pub projects: Vec<ProjectPlan>,
    /// The commit, once written.
    pub commit: Option<String>,
}

/// One project of the résumé.
#[derive(Debug, Serialize)]
pub struct ProjectPlan {
    /// The record as it will be: new, or the one already there with empty fields filled in.
    #[serde(serialize_with = "project_json")]
    pub project: Project,
    /// Not in the knowledge base yet.
    pub new: bool,
    /// The record is written (new, or a field was filled in).
    #[serde(skip)]
    pub write_record: bool,
    /// The template's common questions it gets.
    #[serde(serialize_with = "ids")]
    pub template: Vec<Question>,
    /// Each résumé line with its questions; the project's own line (its heading) first.
    pub lines: Vec<LinePlan>,
}

/// One line of the résumé and what it drafted.
#[derive(Debug, Serialize)]
pub struct LinePlan {
    /// The line number in the file.
    pub line: usize,
    pub text: String,
    /// The project's heading (its questions are about the whole project).
    pub heading: bool,
    pub questions: Vec<DraftedQuestion>,
    /// Drafted, but already in the bank (or drafted earlier in this import): not added.
    pub duplicates: Vec<Duplicate>,
}

#[derive(Debug, Serialize)]
pub struct DraftedQuestion {
    pub rule: String,
    #[serde(flatten, serialize_with = "question_brief")]
    pub question: Question,
}

/// A drafted question left out, and the question it is.
#[derive(Debug, Serialize)]
pub struct Duplicate {
    pub rule: String,
    pub question: String,
    /// The id of the question it is (`(new #N)` for one drafted earlier in this import).
    pub of: String,
    pub of_question: String,
    pub similarity: f32,
    pub why: String,
}

fn project_json<S: serde::Serializer>(p: &Project, s: S) -> std::result::Result<S::Ok, S::Error> {
    p.to_json().serialize(s)
}

fn ids<S: serde::Serializer>(qs: &[Question], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(qs.iter().map(|q| &q.id))
}

fn question_brief<S: serde::Serializer>(
    q: &Question,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Brief<'a> {
        id: &'a str,
        question: &'a str,
        tags: &'a [String],
    }
    Brief {
        id: &q.id,
        question: &q.question,
        tags: &q.tags,
    }
    .serialize(s)
}

impl Plan {
    /// Drafted questions to add.
    pub fn drafted(&self) -> usize {
        self.lines().map(|l| l.questions.len()).sum()
    }

    /// Drafted questions left out as duplicates.
    pub fn duplicates(&self) -> usize {
        self.lines().map(|l| l.duplicates.len()).sum()
    }

    /// Template questions to add.
    pub fn template(&self) -> usize {
        self.projects.iter().map(|p| p.template.len()).sum()
    }

    /// Whether writing it would change anything.
    pub fn is_empty(&self) -> bool {
        self.drafted() == 0 && self.template() == 0 && self.projects.iter().all(|p| !p.write_record)
    }

    fn lines(&self) -> impl Iterator<Item = &LinePlan> {
        self.projects.iter().flat_map(|p| &p.lines)
    }
}

/// Options of the plan.
#[derive(Debug, Clone)]
pub struct Options {
    /// Look for the same questions in the bank (`false`: `--no-dedupe`).
    pub dedupe: bool,
    /// How similar an existing question must be to count as the same.
    pub threshold: f32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dedupe: true,
            threshold: crate::analysis::similar::INCOMING_THRESHOLD,
        }
    }
}

/// The text compared for duplicates: the question without the project's name (every question of
/// a project names it; the bank's project questions are compared without it too).
fn compared(question: &str, project_name: &str) -> String {
    let without = question.replace(project_name, " ");
    without
        .split_whitespace()
        .filter(|w| {
            ![
                "에서",
                "의",
                "에",
                "은",
                "는",
                "을",
                "를",
                "In",
                "in",
                ",",
                "프로젝트",
            ]
            .contains(w)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plan the import of `text` (the résumé `file`): what would be written, nothing written.
pub fn plan(kb: &Kb, file: &Path, text: &str, options: &Options) -> Result<Plan> {
    let rules = load_rules(kb)?;
    let sections = merge_same_names(parse::sections(text));
    let (projects, _) = kb.load_projects()?;
    let loaded = kb.load_all()?;
    let template = kb.template()?;
    let glossary = Glossary::load(kb.root()).0;
    let language = kb.config.language.clone();
    let mut planned_ids: Vec<String> = Vec::new();
    let mut question_ids: Vec<String> = Vec::new();
    let mut fresh_id = || loop {
        let id = kb.new_id();
        if !question_ids.contains(&id) {
            question_ids.push(id.clone());
            break id;
        }
    };
    let mut out = Vec::new();
    for section in sections {
        let existing = projects.iter().find(|p| p.name == section.name);
        let (mut project, new) = match existing {
            Some(p) => (p.clone(), false),
            None => {
                let base = id_for(&section.name);
                let mut id = base.clone();
                while projects.iter().any(|p| p.id == id) || planned_ids.contains(&id) {
                    id = format!("{base}-{}", &crate::id::generate("x")[2..5]);
                }
                (Project::new(id, &section.name), true)
            }
        };
        planned_ids.push(project.id.clone());
        // Fill in what the record lacks; never overwrite what is there.
        let before = project.clone();
        for (field, value) in [
            (&mut project.period, &section.period),
            (&mut project.role, &section.role),
            (&mut project.summary, &section.summary),
        ] {
            if field.is_none() {
                field.clone_from(value);
            }
        }
        if project.team.is_none() {
            project.team = section.team;
        }
        let write_record = new || project != before;
        if write_record && !new {
            project.updated = Some(crate::time::now());
        }
        let mut template_qs = instantiate(&project, &template, &loaded.questions);
        template_qs.retain(|q| kb.question_path(&q.id).is_ok_and(|p| !p.exists()));

        let mut look =
            Lookalikes::new(kb, options.dedupe, Some(&project.id), &crate::index::Silent)?;
        // Questions drafted in this run, by the rule that drafted them: one is the same as a
        // later one only when the same rule drafted both (the measurement and the baseline of
        // one figure share most of their words, and are two questions).
        let mut in_run: std::collections::HashMap<String, String> = Default::default();
        // The template's questions being added now count as in the bank: a drafted question
        // that asks the same (the data's characteristics, what to improve) is left out, one
        // about this line's own figure or term is not (see `mentions` below).
        for q in &template_qs {
            look.note_added(&q.id, &compared(&q.question, &project.name));
        }
        let mine: Vec<&Question> = loaded
            .questions
            .iter()
            .filter(|q| q.project.as_deref() == Some(project.id.as_str()))
            .collect();
        let mut used = Vec::new();
        let mut lines = Vec::new();
        let heading = rules::draft_project(&rules, &project.name, &language);
        let mut items: Vec<(usize, String, bool, Vec<rules::Drafted>)> =
            vec![(section.line, section.header.clone(), true, heading)];
        for b in &section.bullets {
            let drafted = rules::draft_line(
                &rules,
                &b.text,
                &project.name,
                &language,
                &glossary,
                &mut used,
            );
            items.push((b.line, b.text.clone(), false, drafted));
        }
        for (line, text, heading, drafted) in items {
            let mut plan = LinePlan {
                line,
                text: text.clone(),
                heading,
                questions: Vec::new(),
                duplicates: Vec::new(),
            };
            for d in drafted {
                // The same question from the same line, already there (a second import).
                let same = mine.iter().find(|q| {
                    q.resume.as_deref() == Some(text.as_str()) && q.question == d.question
                });
                // The template question the rule says asks the same, if the project has it.
                let template_twin = d.same_as.as_deref().and_then(|key| {
                    mine.iter()
                        .copied()
                        .chain(template_qs.iter())
                        .find(|q| q.template.as_deref() == Some(key))
                });
                let found = match same.copied().or(template_twin) {
                    Some(q) => Some(crate::analysis::similar::Candidate {
                        id: q.id.clone(),
                        question: q.question.clone(),
                        similarity: 1.0,
                        why: if same.is_some() {
                            "drafted from this line before".into()
                        } else {
                            format!("the template's {}", q.template.as_deref().unwrap_or(""))
                        },
                        project: q.project.clone(),
                        shared: Vec::new(),
                    }),
                    // The look-up is made for a question asked in other words; drafted
                    // questions share their wording and differ in what they are about, so a
                    // look-alike counts only if it is about the same term or figure too.
                    None => look
                        .above(&compared(&d.question, &project.name), options.threshold)?
                        .into_iter()
                        .find(|c| {
                            in_run.get(&c.id).is_none_or(|rule| *rule == d.rule)
                                && d.about
                                    .as_deref()
                                    .is_none_or(|a| rules::mentions(&c.question, a, &glossary))
                        }),
                };
                if let Some(c) = found {
                    plan.duplicates.push(Duplicate {
                        rule: d.rule,
                        question: d.question,
                        of: c.id,
                        of_question: c.question,
                        similarity: c.similarity,
                        why: c.why,
                    });
                    continue;
                }
                let mut q = Question::new(fresh_id(), &d.question);
                q.project = Some(project.id.clone());
                q.tags = d.tags;
                q.resume = Some(text.clone());
                look.note_added(&q.id, &compared(&q.question, &project.name));
                in_run.insert(q.id.clone(), d.rule.clone());
                plan.questions.push(DraftedQuestion {
                    rule: d.rule,
                    question: q,
                });
            }
            lines.push(plan);
        }
        out.push(ProjectPlan {
            project,
            new,
            write_record,
            template: template_qs,
            lines,
        });
    }
    Ok(Plan {
        file: file.display().to_string(),
        projects: out,
        commit: None,
    })
}

/// Two sections with one name (a project listed under two headings) are one project.
fn merge_same_names(sections: Vec<Section>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for s in sections {
        match out.iter_mut().find(|o| o.name == s.name) {
            Some(o) => o.bullets.extend(s.bullets),
            None => out.push(s),
        }
    }
    out
}

/// Write the plan as one commit. Questions whose file appeared since the plan was made are left
/// alone.
pub fn write(tx: &mut Transaction, plan: &mut Plan) -> Result<Committed> {
    let kb = tx.kb();
    for p in &plan.projects {
        if p.write_record {
            tx.save_project(&p.project)?;
        }
        for q in p.template.iter().chain(
            p.lines
                .iter()
                .flat_map(|l| l.questions.iter().map(|d| &d.question)),
        ) {
            if kb.question_path(&q.id)?.exists() {
                continue;
            }
            tx.save(q)?;
        }
    }
    let committed = tx.commit(&message(plan))?;
    plan.commit = committed.commit_hex();
    Ok(committed)
}

/// `project import resume.md: 2 projects, 19 questions (7 from the template)`, then a line per
/// project.
fn message(plan: &Plan) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let file = Path::new(&plan.file)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| plan.file.clone());
    let (drafted, template) = (plan.drafted(), plan.template());
    let mut m = format!(
        "project import {file}: {} project{}, {drafted} drafted question{}, {template} from the template\n\n",
        plan.projects.len(),
        s(plan.projects.len()),
        s(drafted),
    );
    for p in &plan.projects {
        let n: usize = p.lines.iter().map(|l| l.questions.len()).sum();
        let d: usize = p.lines.iter().map(|l| l.duplicates.len()).sum();
        m.push_str(&format!(
            "{} {}: {} — {n} drafted from {} line{}, {} from the template, {d} already in the bank\n",
            if p.new { "new    " } else { "updated" },
            p.project.id,
            truncate_chars(&p.project.name, 40),
            p.lines.len() - 1,
            s(p.lines.len() - 1),
            p.template.len(),
        ));
    }
    m.trim_end().to_string()
}

/// One résumé line of a project and the questions drafted from it.
#[derive(Debug, Serialize)]
pub struct Covered {
    pub line: String,
    pub questions: Vec<CoveredQuestion>,
}

#[derive(Debug, Serialize)]
pub struct CoveredQuestion {
    pub id: String,
    pub question: String,
    pub status: Status,
}

impl Covered {
    /// How many of its questions are answered (stale ones included).
    pub fn answered(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.status != Status::Empty)
            .count()
    }
}

/// The project's résumé lines (from its questions' `resume:`), each with its questions and
/// their status: the project's own line (its heading) first, then in the order they were
/// drafted (one import drafts within a second, so the lines' text breaks ties).
pub fn coverage(questions: &[Question], project: &Project) -> Vec<Covered> {
    let mut mine: Vec<&Question> = questions
        .iter()
        .filter(|q| q.project.as_deref() == Some(project.id.as_str()) && q.resume.is_some())
        .collect();
    let heading = |q: &Question| !q.resume.as_deref().unwrap_or("").starts_with(&project.name);
    mine.sort_by(|a, b| {
        (heading(a), a.created, &a.resume, &a.question).cmp(&(
            heading(b),
            b.created,
            &b.resume,
            &b.question,
        ))
    });
    let mut out: Vec<Covered> = Vec::new();
    for q in mine {
        let line = q.resume.clone().unwrap_or_default();
        let item = CoveredQuestion {
            id: q.id.clone(),
            question: q.question.clone(),
            status: status(q, project),
        };
        match out.iter_mut().find(|c| c.line == line) {
            Some(c) => c.questions.push(item),
            None => out.push(Covered {
                line,
                questions: vec![item],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_parse() {
        let r = rules::parse(Path::new(RULES_FILE), DEFAULT_RULES).unwrap();
        assert!(r.rules.iter().any(|r| r.kind == rules::Match::Project));
    }

    #[test]
    fn compared_text_leaves_out_the_project_name() {
        assert_eq!(
            compared("문서 OCR에서 p95 지연을 줄였다고", "문서 OCR"),
            "p95 지연을 줄였다고"
        );
    }
}
