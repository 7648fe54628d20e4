//! `kb check`: every file of the knowledge base validated, every problem located.

use std::fs;
use std::path::Path;

use crate::error::{Problem, Result, display_path};
use crate::store::{self, Kb, PROJECTS_DIR, QUESTIONS_DIR, TEMPLATE_FILE};

/// The outcome of a check: how many files were looked at and what is wrong with them.
#[derive(Debug, Default)]
pub struct Report {
    pub files: usize,
    pub problems: Vec<Problem>,
}

/// Check the whole knowledge base. `kb.yaml` itself was checked when the knowledge base was
/// opened.
pub fn check(kb: &Kb) -> Result<Report> {
    let mut report = Report {
        files: 1,
        ..Report::default()
    };
    let loaded = kb.load_all()?;
    report.files += loaded.questions.len() + loaded.problems.len();
    report.problems.extend(loaded.problems);
    stray_files(&kb.root().join(QUESTIONS_DIR), &mut report);
    // A question that another one lists as merged into it: a merge that did not finish (killed
    // before kb had its journal, or undone by hand in part).
    let mut alias_of = std::collections::HashMap::new();
    for q in &loaded.questions {
        for a in &q.aliases {
            alias_of.insert(a.as_str(), q.id.as_str());
        }
    }
    for q in &loaded.questions {
        if let Some(keeper) = alias_of.get(q.id.as_str()) {
            report.problems.push(Problem {
                path: display_path(&kb.root().join(QUESTIONS_DIR).join(format!("{}.yaml", q.id))),
                line: 0,
                column: 0,
                message: format!(
                    "{id} was merged into {keeper} ({keeper} lists it as an alias) but its file \
                     is still here; `kb merge {keeper} {id}` finishes the merge, or remove `{id}` \
                     from {keeper}'s aliases to keep both",
                    id = q.id
                ),
            });
        }
    }

    // A follow-up link must lead to a question (directly, or through an alias after a merge).
    let ids: std::collections::HashSet<&str> =
        loaded.questions.iter().map(|q| q.id.as_str()).collect();
    for q in &loaded.questions {
        if let Some(parent) = &q.follow_up_of
            && !ids.contains(parent.as_str())
            && !alias_of.contains_key(parent.as_str())
        {
            report.problems.push(Problem {
                path: display_path(&kb.root().join(QUESTIONS_DIR).join(format!("{}.yaml", q.id))),
                line: 0,
                column: 0,
                message: format!(
                    "follow_up_of: {parent} is not a question of this bank (removed?); remove the \
                     line or name the question it follows"
                ),
            });
        }
    }

    let (interviews, problems) = kb.load_interviews()?;
    report.files += interviews.len() + problems.len();
    report.problems.extend(problems);

    let (_, problems) = crate::review::load(kb)?;
    report.problems.extend(problems);

    let template = kb.root().join(TEMPLATE_FILE);
    if template.is_file() {
        report.files += 1;
        if let Some(p) = check_template(&template) {
            report.problems.push(p);
        }
    }
    for path in yaml_files(&kb.root().join(PROJECTS_DIR)) {
        report.files += 1;
        if let Some(p) = check_project(&path) {
            report.problems.push(p);
        }
    }
    report
        .problems
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(report)
}

/// Files in questions/ that kb will never read, which a person probably meant it to.
fn stray_files(dir: &Path, report: &mut Report) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        if name.starts_with('.') || name.ends_with(".yaml") || name.ends_with('~') {
            continue;
        }
        let message = if name.ends_with(".yml") {
            "question files end in .yaml; this .yml file is ignored (rename it)".to_string()
        } else {
            "not a question file (questions/ holds <id>.yaml files); it is ignored".to_string()
        };
        report.problems.push(Problem {
            path: display_path(&dir.join(&name)),
            line: 0,
            column: 0,
            message,
        });
    }
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yaml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> std::result::Result<String, Problem> {
    store::read_text(path).map_err(|e| match e {
        crate::Error::Invalid(p) => p,
        other => Problem {
            path: display_path(path),
            line: 0,
            column: 0,
            message: other.to_string(),
        },
    })
}

fn check_template(path: &Path) -> Option<Problem> {
    let text = match read(path) {
        Ok(t) => t,
        Err(p) => return Some(p),
    };
    crate::project::parse_template(&display_path(path), &text).err()
}

fn check_project(path: &Path) -> Option<Problem> {
    let text = match read(path) {
        Ok(t) => t,
        Err(p) => return Some(p),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::project::Project::parse(&display_path(path), &text, Some(&stem)).err()
}
