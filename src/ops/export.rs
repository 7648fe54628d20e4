//! What `kb export` writes and `kb import FILE.json` reads back: the JSON export format (its
//! one owner: written, read and version-checked here), and the Markdown and Anki documents.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::interview::Interview;
use crate::model::Question;
use crate::project::Project;
use crate::store::Kb;
use crate::tx::Transaction;

/// The `format` field of an export.
pub const FORMAT: &str = "kb-export";
/// The version written, and the only one read.
pub const VERSION: u64 = 1;

/// A JSON export: everything needed to restore the bank elsewhere, ids kept.
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    pub kb: &'a str,
    pub format: &'static str,
    pub version: u64,
    /// Each as `Question::to_json` shows it.
    pub questions: Vec<serde_json::Value>,
    pub interviews: Vec<serde_json::Value>,
    pub projects: Vec<serde_json::Value>,
}

impl<'a> Export<'a> {
    pub fn new(
        kb: &'a Kb,
        questions: &[&Question],
        interviews: &[Interview],
        projects: &[Project],
    ) -> Export<'a> {
        Export {
            kb: &kb.config.name,
            format: FORMAT,
            version: VERSION,
            questions: questions.iter().map(|q| q.to_json()).collect(),
            interviews: interviews.iter().map(Interview::to_json).collect(),
            projects: projects.iter().map(Project::to_json).collect(),
        }
    }
}

/// What a `kb export --format json` file holds, read back: questions, interviews and projects,
/// each validated exactly like its YAML file.
#[derive(Debug, Default)]
pub struct Exported {
    pub questions: Vec<Question>,
    pub interviews: Vec<Interview>,
    pub projects: Vec<Project>,
    pub problems: Vec<String>,
}

/// Read a JSON export (`kb export --format json`).
pub fn read(path: &Path) -> std::result::Result<Exported, String> {
    let text =
        crate::store::read_file_limited(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
    if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!(
            "{}: not a kb export (kb export --format json)",
            path.display()
        ));
    }
    match v.get("version").map(|n| n.as_u64()) {
        Some(Some(VERSION)) => {}
        Some(Some(n)) if n > VERSION => {
            return Err(format!(
                "{}: a kb export of version {n}, made by a newer kb; this one reads version {VERSION}",
                path.display()
            ));
        }
        other => {
            return Err(format!(
                "{}: \"version\" is {}, not {VERSION}",
                path.display(),
                match other {
                    None => "missing".to_string(),
                    Some(_) => v["version"].to_string(),
                }
            ));
        }
    }
    let mut out = Exported::default();
    let items = |key: &str| {
        v.get(key)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    for (n, item) in items("questions").iter().enumerate() {
        match to_yaml_text(item)
            .and_then(|t| Question::parse(path, &t, None).map_err(|p| p.message))
        {
            Ok(q) => out.questions.push(q),
            Err(e) => out
                .problems
                .push(format!("{}: questions[{n}]: {e}", path.display())),
        }
    }
    for (n, item) in items("interviews").iter().enumerate() {
        match to_yaml_text(item)
            .and_then(|t| Interview::parse(path, &t, None).map_err(|p| p.message))
        {
            Ok(i) => out.interviews.push(i),
            Err(e) => out
                .problems
                .push(format!("{}: interviews[{n}]: {e}", path.display())),
        }
    }
    for (n, item) in items("projects").iter().enumerate() {
        match to_yaml_text(item).and_then(|t| Project::parse(path, &t, None).map_err(|p| p.message))
        {
            Ok(p) => out.projects.push(p),
            Err(e) => out
                .problems
                .push(format!("{}: projects[{n}]: {e}", path.display())),
        }
    }
    Ok(out)
}

/// An exported object as the YAML of its file: `extra` fields back at the top (also inside
/// `asked` entries), nulls dropped.
fn to_yaml_text(v: &serde_json::Value) -> std::result::Result<String, String> {
    fn flatten(v: &serde_json::Value) -> serde_json::Value {
        let Some(obj) = v.as_object() else {
            return v.clone();
        };
        let mut m = serde_json::Map::new();
        for (k, val) in obj {
            if val.is_null() || k == "path" || k == "extra" {
                continue;
            }
            let val = match (k.as_str(), val) {
                ("asked", serde_json::Value::Array(items)) => {
                    serde_json::Value::Array(items.iter().map(flatten).collect())
                }
                _ => val.clone(),
            };
            m.insert(k.clone(), val);
        }
        if let Some(extra) = obj.get("extra").and_then(|e| e.as_object()) {
            for (k, val) in extra {
                m.entry(k.clone()).or_insert_with(|| val.clone());
            }
        }
        serde_json::Value::Object(m)
    }
    serde_yaml::to_string(&flatten(v)).map_err(|e| e.to_string())
}

/// What restoring exports did (or, in a dry run, would do).
#[derive(Debug, Serialize)]
pub struct Restored {
    pub created: usize,
    /// Questions already in the bank under the same id: left alone.
    pub duplicates: usize,
    pub problems: Vec<String>,
    pub ids: Vec<String>,
    pub commit: Option<String>,
    pub dry_run: bool,
    /// Why the index could not be brought up to date after the commit.
    #[serde(skip)]
    pub index_problem: Option<crate::Error>,
}

/// Restore export files in one commit: questions, interviews and projects keep their ids;
/// ones already here are left alone. A file that is not a readable export is an error before
/// anything is written.
pub fn restore(
    tx: &mut Transaction,
    paths: &[PathBuf],
    dry_run: bool,
) -> std::result::Result<Restored, RestoreError> {
    let exports: Vec<Exported> = paths
        .iter()
        .map(|p| read(p))
        .collect::<std::result::Result<_, String>>()
        .map_err(RestoreError::Unreadable)?;
    let kb = tx.kb();
    let mut done = Restored {
        created: 0,
        duplicates: 0,
        problems: Vec::new(),
        ids: Vec::new(),
        commit: None,
        dry_run,
        index_problem: None,
    };
    for export in exports {
        done.problems.extend(export.problems);
        for q in &export.questions {
            if kb.question_path(&q.id)?.exists() {
                done.duplicates += 1;
                continue;
            }
            done.created += 1;
            done.ids.push(q.id.clone());
            if !dry_run {
                tx.save(q)?;
            }
        }
        for i in &export.interviews {
            if !kb.interview_path(&i.id)?.exists() && !dry_run {
                tx.save_interview(i)?;
            }
        }
        for p in &export.projects {
            if kb.load_project(&p.id).is_err() && !dry_run {
                tx.save_project(p)?;
            }
        }
    }
    if !tx.is_empty() {
        let c = tx.commit(&format!(
            "import {} questions from a kb export",
            done.created
        ))?;
        done.commit = c.commit.map(|c| c.to_string());
        done.index_problem = c.index_problem;
    }
    Ok(done)
}

/// Why [`restore`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// Not an export, or not one this kb reads; nothing was written.
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Kb(#[from] crate::Error),
}

/// A group of questions in a document: a résumé project's (by its name), those of a first
/// tag, or the untagged. They sort in that order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Project(String),
    Tag(String),
    Untagged,
}

/// `questions` grouped into sections for a document read top to bottom: each project's
/// (projects by name), then the rest by their section, the tag of theirs that the most of
/// these questions share (`deep-learning` rather than `attention`, which sorts first); the
/// biggest section first, ties by name; the untagged last. Order within a group is kept.
pub fn by_project_then_section<'q>(
    questions: &[&'q Question],
    projects: &[Project],
) -> Vec<(Group, Vec<&'q Question>)> {
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for q in questions.iter().filter(|q| q.project.is_none()) {
        for t in &q.tags {
            *uses.entry(t.as_str()).or_default() += 1;
        }
    }
    let mut groups: Vec<(Group, Vec<&Question>)> = Vec::new();
    for q in questions {
        let key = match &q.project {
            Some(p) => Group::Project(
                projects
                    .iter()
                    .find(|x| &x.id == p)
                    .map_or(p.clone(), |x| x.name.clone()),
            ),
            None => q
                .tags
                .iter()
                .max_by(|a, b| uses[a.as_str()].cmp(&uses[b.as_str()]).then(b.cmp(a)))
                .cloned()
                .map_or(Group::Untagged, Group::Tag),
        };
        match groups.iter_mut().find(|(g, _)| *g == key) {
            Some((_, qs)) => qs.push(q),
            None => groups.push((key, vec![q])),
        }
    }
    groups.sort_by(|(a, qa), (b, qb)| match (a, b) {
        (Group::Tag(x), Group::Tag(y)) => qb.len().cmp(&qa.len()).then(x.cmp(y)),
        _ => a.cmp(b),
    });
    groups
}

/// One document: each project's questions, then the rest by section
/// ([`by_project_then_section`]).
pub fn markdown(kb: &Kb, questions: &[&Question], projects: &[Project]) -> String {
    let mut md = format!(
        "# {}\n\n",
        if kb.config.name.is_empty() {
            "kb"
        } else {
            &kb.config.name
        }
    );
    let groups = by_project_then_section(questions, projects);
    for (group, qs) in &groups {
        let title = match group {
            Group::Project(name) => name.as_str(),
            Group::Tag(tag) => tag.as_str(),
            Group::Untagged => "untagged",
        };
        let _ = writeln!(md, "## {title}\n");
        for q in qs {
            let _ = writeln!(md, "### {}\n", q.question);
            if !q.tags.is_empty() {
                let _ = writeln!(md, "`{}` · {}\n", q.id, q.tags.join(", "));
            }
            let _ = writeln!(
                md,
                "{}\n",
                if q.is_answered() {
                    q.answer.trim_end()
                } else {
                    "_(no answer yet)_"
                }
            );
        }
    }
    md
}

/// Anki's tab-separated import: question, answer as HTML, tags. One line per note: newlines
/// become `<br>`, tabs `&#9;`, and text is HTML-escaped, so no field can break the format.
pub fn anki(questions: &[&Question]) -> String {
    let mut out =
        String::from("#separator:tab\n#html:true\n#columns:Front\tBack\tTags\n#tags column:3\n");
    for q in questions {
        let front = html_escape(&q.question);
        let back = one_line(&markdown_to_html(&q.answer));
        let mut tags: Vec<String> = q.tags.clone();
        if let Some(p) = &q.project {
            tags.push(format!("project::{p}"));
        }
        tags.push(format!("kb::{}", q.id));
        let _ = writeln!(out, "{front}\t{back}\t{}", tags.join(" "));
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\t', "&#9;")
}

fn markdown_to_html(md: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(
        md,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

fn one_line(html: &str) -> String {
    html.trim_end()
        .replace(">\n<", "><")
        .replace('\n', "<br>")
        .replace('\t', "&#9;")
        .replace('\r', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(dir: &Path, name: &str, v: &serde_json::Value) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(v).unwrap()).unwrap();
        path
    }

    #[test]
    fn what_is_exported_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(&dir.path().join("bank"), Some("t")).unwrap();
        let mut q = Question::new("q-bn".into(), "배치 정규화의 효과는?");
        // As a file holds it: block text ends in a newline.
        q.answer = "학습이 안정된다.\n\n- 내부 공변량 변화\n".into();
        q.tags = vec!["ml".into()];
        let mut iv = Interview::new("i-20261130-ab12".into(), "카카오");
        iv.notes = "1차 기술면접".into();
        let export = Export::new(&kb, &[&q], std::slice::from_ref(&iv), &[]);
        let v = serde_json::to_value(&export).unwrap();
        assert_eq!(
            (v["format"].as_str(), v["version"].as_u64()),
            (Some(FORMAT), Some(VERSION))
        );
        let back = read(&written(dir.path(), "e.json", &v)).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.questions.len(), 1);
        let r = &back.questions[0];
        assert_eq!(
            (r.id.as_str(), r.answer.as_str()),
            (q.id.as_str(), q.answer.as_str())
        );
        assert_eq!(r.tags, q.tags);
        assert_eq!(back.interviews[0].company, "카카오");
        assert_eq!(back.interviews[0].notes.trim_end(), "1차 기술면접");
    }

    #[test]
    fn another_version_or_format_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let newer = serde_json::json!({"format": FORMAT, "version": 2, "questions": []});
        let e = read(&written(dir.path(), "n.json", &newer)).unwrap_err();
        assert!(e.contains("version 2, made by a newer kb"), "{e}");
        let missing = serde_json::json!({"format": FORMAT, "questions": []});
        let e = read(&written(dir.path(), "m.json", &missing)).unwrap_err();
        assert!(e.contains("\"version\" is missing"), "{e}");
        let other = serde_json::json!({"questions": []});
        let e = read(&written(dir.path(), "o.json", &other)).unwrap_err();
        assert!(e.contains("not a kb export"), "{e}");
    }

    #[test]
    fn restore_keeps_ids_and_leaves_what_is_here_alone() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(&dir.path().join("bank"), Some("t")).unwrap();
        let here = Question::new("q-here".into(), "TCP와 UDP의 차이는?");
        let mut tx = kb.begin(&|| {}).unwrap();
        tx.save(&here).unwrap();
        let _ = tx.commit("add q-here").unwrap();
        let new = Question::new("q-new".into(), "가상 메모리란?");
        let v = serde_json::to_value(Export::new(&kb, &[&here, &new], &[], &[])).unwrap();
        let file = written(dir.path(), "e.json", &v);
        let dry = restore(&mut tx, std::slice::from_ref(&file), true).unwrap();
        assert_eq!(
            (dry.created, dry.duplicates, dry.commit.is_none()),
            (1, 1, true)
        );
        assert!(kb.load("q-new").is_err(), "a dry run writes nothing");
        let done = restore(&mut tx, std::slice::from_ref(&file), false).unwrap();
        assert_eq!(done.ids, ["q-new"]);
        assert!(done.commit.is_some());
        assert_eq!(kb.load("q-new").unwrap().question, "가상 메모리란?");
        // An unreadable file among them: nothing is written.
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{").unwrap();
        let v = serde_json::to_value(Export::new(
            &kb,
            &[&Question::new("q-3".into(), "세 번째")],
            &[],
            &[],
        ))
        .unwrap();
        let third = written(dir.path(), "third.json", &v);
        let e = restore(&mut tx, &[third, bad], false).unwrap_err();
        assert!(matches!(e, RestoreError::Unreadable(_)), "{e}");
        assert!(kb.load("q-3").is_err());
    }
}
