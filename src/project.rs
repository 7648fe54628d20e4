//! Résumé projects (`projects/<id>.yaml`) and the template of questions asked about every project
//! (`templates/project-questions.yaml`).

use std::path::Path;

use jiff::Timestamp;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use crate::error::Problem;
use crate::model::{Question, yaml_to_json};
use crate::{id, time, yaml};

/// One project on the résumé.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// ASCII id; also the file name and what questions' `project:` names.
    pub id: String,
    /// As it reads on the résumé (`문서 OCR 모델 경량화 및 서빙 최적화`).
    pub name: String,
    pub summary: Option<String>,
    /// The person's role.
    pub role: Option<String>,
    /// Team size.
    pub team: Option<u32>,
    /// `2023-03 ~ 2023-12`.
    pub period: Option<String>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    /// Other fields (a `stack:` list, links...): kept.
    pub extra: Mapping,
}

const FIELDS: &[&str] = &[
    "id", "name", "summary", "role", "team", "period", "created", "updated",
];

#[derive(Deserialize)]
struct Raw {
    id: String,
    name: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    team: Option<u32>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    updated: Option<String>,
}

impl Project {
    pub fn new(id: String, name: &str) -> Project {
        let now = time::now();
        Project {
            id,
            name: name.trim().to_string(),
            summary: None,
            role: None,
            team: None,
            period: None,
            created: Some(now),
            updated: Some(now),
            extra: Mapping::new(),
        }
    }

    pub fn parse(path: &Path, text: &str, expected_id: Option<&str>) -> Result<Project, Problem> {
        let (raw, record) = yaml::Record::read::<Raw>(path, text)?;
        record.check_id(&raw.id, expected_id)?;
        if raw.name.trim().is_empty() {
            return Err(record.error("name", "the project has no name".into()));
        }
        let extra = record.extra(FIELDS)?;
        Ok(Project {
            id: raw.id,
            name: raw.name.trim().to_string(),
            summary: yaml::clean(raw.summary),
            role: yaml::clean(raw.role),
            team: raw.team,
            period: yaml::clean(raw.period),
            created: record.stamp("created", raw.created)?,
            updated: record.stamp("updated", raw.updated)?,
            extra,
        })
    }

    pub fn to_yaml(&self) -> String {
        let mut m = Mapping::new();
        yaml::put(&mut m, "id", self.id.as_str());
        yaml::put(&mut m, "name", self.name.as_str());
        for (k, v) in [("summary", &self.summary), ("role", &self.role)] {
            if let Some(v) = v {
                yaml::put(&mut m, k, v.as_str());
            }
        }
        if let Some(t) = self.team {
            yaml::put(&mut m, "team", Value::Number(t.into()));
        }
        if let Some(p) = &self.period {
            yaml::put(&mut m, "period", p.as_str());
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        if let Some(c) = self.created {
            yaml::put(&mut m, "created", time::format(c));
        }
        if let Some(u) = self.updated {
            yaml::put(&mut m, "updated", time::format(u));
        }
        yaml::to_string(&m)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "id": self.id, "name": self.name, "summary": self.summary, "role": self.role,
            "team": self.team, "period": self.period,
            "created": self.created.map(time::format), "updated": self.updated.map(time::format),
        });
        if !self.extra.is_empty() {
            v["extra"] = yaml_to_json(&Value::Mapping(self.extra.clone()));
        }
        v
    }
}

/// An ASCII id for a project named `name`: its ASCII words (`OCR 서빙 최적화` → `ocr`), else
/// `p-` and four characters drawn from the name's hash (the same name, the same id, on every
/// run). Never a romanisation of Korean text.
pub fn id_for(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(40).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.len() >= 2 && id::validate(&slug).is_ok() {
        slug
    } else {
        id::from_text("p", &crate::text::nfc(name.trim().to_string()), 4)
    }
}

/// One entry of the project question template.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TemplateEntry {
    pub key: String,
    /// The question, `{project}` standing for the project's name.
    pub question: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// What a good answer covers (shown by `kb project show`).
    #[serde(default)]
    pub hint: Option<String>,
}

#[derive(Deserialize)]
struct RawTemplate {
    questions: Vec<TemplateEntry>,
}

/// Parse the template file.
pub fn parse_template(path: &Path, text: &str) -> Result<Vec<TemplateEntry>, Problem> {
    let raw: RawTemplate = serde_yaml::from_str(text).map_err(|e| yaml::problem(path, text, &e))?;
    for e in &raw.questions {
        if let Err(err) = id::validate(&e.key) {
            return Err(Problem {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                message: format!("template key: {err}"),
            });
        }
    }
    Ok(raw.questions)
}

/// The template's questions for `project` that it does not have yet (by template key), worded for
/// it: id `<project>-<key>`, `project:` and `template:` set, the template's tags.
pub fn instantiate(
    project: &Project,
    template: &[TemplateEntry],
    existing: &[Question],
) -> Vec<Question> {
    let have: Vec<&str> = existing
        .iter()
        .filter(|q| q.project.as_deref() == Some(project.id.as_str()))
        .filter_map(|q| q.template.as_deref())
        .collect();
    template
        .iter()
        .filter(|e| !have.contains(&e.key.as_str()))
        .map(|e| {
            let mut q = Question::new(
                format!("{}-{}", project.id, e.key),
                &e.question.replace("{project}", &project.name),
            );
            q.project = Some(project.id.clone());
            q.template = Some(e.key.clone());
            q.tags = e.tags.clone();
            crate::model::normalise_tags(&mut q.tags);
            q
        })
        .collect()
}

/// `--json` shows a project as [`Project::to_json`] makes it: that is its one JSON form.
impl serde::Serialize for Project {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ascii_and_never_romanised() {
        assert_eq!(id_for("OCR 서빙 최적화"), "ocr");
        assert_eq!(id_for("Search Ranking v2"), "search-ranking-v2");
        let p = id_for("문서 요약 모델");
        assert!(p.starts_with("p-") && p.len() == 6, "{p}");
        assert_eq!(p, id_for("문서 요약 모델"), "the same name, the same id");
        assert_ne!(p, id_for("문서 분류 모델"));
    }

    #[test]
    fn template_is_worded_for_the_project_and_not_repeated() {
        let t = vec![
            TemplateEntry {
                key: "purpose".into(),
                question: "{project} 프로젝트는 왜 시작했나요?".into(),
                tags: vec!["project-common".into()],
                hint: None,
            },
            TemplateEntry {
                key: "team".into(),
                question: "{project} 팀 구성은?".into(),
                tags: vec![],
                hint: None,
            },
        ];
        let p = Project::new("ocr".into(), "OCR 서빙");
        let first = instantiate(&p, &t, &[]);
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].id, "ocr-purpose");
        assert_eq!(first[0].question, "OCR 서빙 프로젝트는 왜 시작했나요?");
        assert_eq!(first[0].template.as_deref(), Some("purpose"));
        assert!(instantiate(&p, &t, &first).is_empty());
    }
}
