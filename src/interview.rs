//! Interview records: one YAML file per real interview in `interviews/`, with the questions
//! that were asked there linked back through each question's `asked` entries.

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use serde_yaml::Mapping;

use crate::error::Problem;
use crate::model::yaml_to_json;
use crate::{id, time, yaml};

/// One interview.
#[derive(Debug, Clone, PartialEq)]
pub struct Interview {
    /// `i-20261120-k7m2`: the date and a random suffix, ASCII whatever the company is called.
    pub id: String,
    pub company: String,
    /// E.g. `1차 기술면접`.
    pub round: Option<String>,
    pub date: Option<Date>,
    /// The position applied for.
    pub position: Option<String>,
    /// How it went (`합격`, `불합격`, `대기`...), free text.
    pub outcome: Option<String>,
    /// The résumé project the interview was about (a projects/ id).
    pub project: Option<String>,
    /// Notes, Markdown.
    pub notes: String,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    /// Fields kb does not know: kept.
    pub extra: Mapping,
}

const FIELDS: &[&str] = &[
    "id", "company", "round", "date", "position", "outcome", "project", "notes", "created",
    "updated",
];

#[derive(Deserialize)]
struct Raw {
    id: String,
    company: String,
    #[serde(default)]
    round: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    updated: Option<String>,
}

/// A fresh interview id for an interview on `date`.
pub fn new_id(date: Date) -> String {
    let suffix = id::generate("x");
    format!("i-{}-{}", date.strftime("%Y%m%d"), &suffix[2..6])
}

impl Interview {
    /// A new interview at `company`, created now.
    pub fn new(id: String, company: &str) -> Interview {
        let now = time::now();
        Interview {
            id,
            company: company.trim().to_string(),
            round: None,
            date: None,
            position: None,
            outcome: None,
            project: None,
            notes: String::new(),
            created: Some(now),
            updated: Some(now),
            extra: Mapping::new(),
        }
    }

    /// Parse an interview file; `expected_id` comes from the file name.
    pub fn parse(path: &Path, text: &str, expected_id: Option<&str>) -> Result<Interview, Problem> {
        let (raw, record) = yaml::Record::read::<Raw>(path, text)?;
        record.check_id(&raw.id, expected_id)?;
        if raw.company.trim().is_empty() {
            return Err(record.error("company", "the company is empty".into()));
        }
        let date = match raw.date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(time::parse_date(d).ok_or_else(|| {
                record.error(
                    "date",
                    format!("date: {d:?} is not a date (use 2026-11-20)"),
                )
            })?),
        };
        let extra = record.extra(FIELDS)?;
        Ok(Interview {
            id: raw.id,
            company: raw.company.trim().to_string(),
            round: yaml::clean(raw.round),
            date,
            position: yaml::clean(raw.position),
            outcome: yaml::clean(raw.outcome),
            project: yaml::clean(raw.project),
            notes: yaml::normalise_block(raw.notes.as_deref().unwrap_or("")),
            created: record.stamp("created", raw.created)?,
            updated: record.stamp("updated", raw.updated)?,
            extra,
        })
    }

    /// The file's bytes, deterministic; notes last.
    pub fn to_yaml(&self) -> String {
        let mut m = Mapping::new();
        yaml::put(&mut m, "id", self.id.as_str());
        yaml::put(&mut m, "company", self.company.as_str());
        for (key, value) in [
            ("round", &self.round),
            ("position", &self.position),
            ("outcome", &self.outcome),
            ("project", &self.project),
        ] {
            if let Some(v) = value {
                yaml::put(&mut m, key, v.as_str());
            }
        }
        if let Some(d) = self.date {
            yaml::put(&mut m, "date", d.to_string());
        }
        if let Some(c) = self.created {
            yaml::put(&mut m, "created", time::format(c));
        }
        if let Some(u) = self.updated {
            yaml::put(&mut m, "updated", time::format(u));
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        yaml::put(&mut m, "notes", yaml::normalise_block(&self.notes));
        yaml::to_string(&m)
    }

    /// Everything, as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "id": self.id,
            "company": self.company,
            "round": self.round,
            "date": self.date.map(|d| d.to_string()),
            "position": self.position,
            "outcome": self.outcome,
            "project": self.project,
            "notes": self.notes,
            "created": self.created.map(time::format),
            "updated": self.updated.map(time::format),
        });
        if !self.extra.is_empty() {
            v["extra"] = yaml_to_json(&serde_yaml::Value::Mapping(self.extra.clone()));
        }
        v
    }

    /// `카카오 1차 기술면접 (2026-11-20)`.
    pub fn label(&self) -> String {
        self.occurrence().label()
    }

    /// The `asked` entry a question gets for this interview.
    pub fn occurrence(&self) -> crate::model::Asked {
        crate::model::Asked {
            company: self.company.clone(),
            round: self.round.clone(),
            date: self.date,
            interview: Some(self.id.clone()),
            note: None,
            extra: Mapping::new(),
        }
    }
}

/// `--json` shows a interview as [`Interview::to_json`] makes it: that is its one JSON form.
impl serde::Serialize for Interview {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "id: i-20261120-k7m2\ncompany: 카카오\nround: 1차 기술면접\ndate: 2026-11-20\nmood: 좋음\nnotes: |\n  라이브 코딩 포함\n";
        let iv = Interview::parse(
            Path::new("interviews/i-20261120-k7m2.yaml"),
            text,
            Some("i-20261120-k7m2"),
        )
        .unwrap();
        assert_eq!(iv.company, "카카오");
        assert_eq!(iv.label(), "카카오 1차 기술면접 (2026-11-20)");
        let again = Interview::parse(Path::new("x"), &iv.to_yaml(), None).unwrap();
        assert_eq!(again, iv);
        assert!(iv.to_yaml().contains("mood: 좋음"));
        let id = new_id("2026-11-20".parse().unwrap());
        assert!(id.starts_with("i-20261120-") && id.len() == 15, "{id}");
        crate::id::validate(&id).unwrap();
    }
}
