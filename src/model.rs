//! The data kb keeps: questions (with the occasions they were asked) and the knowledge base's own
//! settings. Plain data, parsing with located errors, and one deterministic serialisation.

use std::fmt;
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_yaml::{Mapping, Value};

use crate::error::Problem;
use crate::{id, time, yaml};

/// One interview question with its prepared answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Stable ASCII id; also the file name.
    pub id: String,
    /// The question as it is (or would be) asked.
    pub question: String,
    /// The prepared answer, Markdown; empty when not written yet.
    pub answer: String,
    /// Tags, kept sorted and without duplicates.
    pub tags: Vec<String>,
    /// The résumé project this question belongs to, if any.
    pub project: Option<String>,
    /// Which entry of the project question template this question came from, if any.
    pub template: Option<String>,
    /// The question this one follows up (꼬리 질문): an interviewer asks it after that one.
    /// Only the follow-up names the link, so there is one place to keep it; a question's
    /// follow-ups are the questions that name it.
    pub follow_up_of: Option<String>,
    /// Where the question was imported from (`notes/network.md:12`), if it was.
    pub imported_from: Option<String>,
    /// The résumé line it was drafted from (`kb project import`), if it was.
    pub resume: Option<String>,
    /// Each time the question was asked in a real interview.
    pub asked: Vec<Asked>,
    /// Ids of questions merged into this one (`kb show OLD` still finds it).
    pub aliases: Vec<String>,
    /// What merged questions held that this one could not take over as its own (their wording,
    /// another project, conflicting hand-added fields), one mapping per merged question, so a
    /// merge never loses anything.
    pub merged: Vec<Mapping>,
    /// When the question was added.
    pub created: Option<Timestamp>,
    /// When kb last changed the question.
    pub updated: Option<Timestamp>,
    /// Fields kb does not know, written by hand: kept, in their order, on every rewrite.
    pub extra: Mapping,
}

/// One occasion on which a question was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub company: String,
    /// E.g. `1차 기술면접`.
    pub round: Option<String>,
    pub date: Option<Date>,
    /// The id of the interview record, when there is one.
    pub interview: Option<String>,
    pub note: Option<String>,
    /// Fields kb does not know, kept.
    pub extra: Mapping,
}

const QUESTION_FIELDS: &[&str] = &[
    "id",
    "question",
    "tags",
    "project",
    "template",
    "follow_up_of",
    "imported_from",
    "resume",
    "asked",
    "aliases",
    "merged",
    "created",
    "updated",
    "answer",
];
const ASKED_FIELDS: &[&str] = &["company", "round", "date", "interview", "note"];

#[derive(Deserialize)]
struct RawQuestion {
    id: String,
    question: String,
    #[serde(default)]
    answer: Option<String>,
    #[serde(default, deserialize_with = "tag_list")]
    tags: Vec<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    follow_up_of: Option<String>,
    #[serde(default)]
    imported_from: Option<String>,
    #[serde(default)]
    resume: Option<String>,
    #[serde(default)]
    asked: Option<Vec<RawAsked>>,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    #[serde(default)]
    merged: Option<Vec<Mapping>>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    updated: Option<String>,
}

#[derive(Deserialize)]
struct RawAsked {
    company: String,
    #[serde(default)]
    round: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    interview: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Tags may be written as a list or, by hand, as one string `"ml, cnn"`.
fn tag_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Tags;
    impl<'de> Visitor<'de> for Tags {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of tags")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.split([',', ' '])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut tags = Vec::new();
            while let Some(tag) = seq.next_element::<ScalarString>()? {
                tags.push(tag.0);
            }
            Ok(tags)
        }
    }
    d.deserialize_any(Tags)
}

/// A scalar read as text even when YAML would call it a number (`- 2024` as a tag).
struct ScalarString(String);

impl<'de> Deserialize<'de> for ScalarString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ScalarString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag (a word)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ScalarString, E> {
                Ok(ScalarString(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Check a tag: one word, no separators. Returns the reason it is invalid.
pub fn tag_problem(tag: &str) -> Option<&'static str> {
    if tag.is_empty() {
        Some("a tag cannot be empty")
    } else if tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("a tag is one word (no spaces)")
    } else if tag.contains(',') {
        Some("a tag cannot contain ','")
    } else if tag.starts_with(['+', '-']) {
        Some("a tag cannot start with '+' or '-'")
    } else if tag.chars().count() > 64 {
        Some("a tag is at most 64 characters")
    } else {
        None
    }
}

/// Sort and de-duplicate tags so the same set always serialises the same way.
pub fn normalise_tags(tags: &mut Vec<String>) {
    tags.sort();
    tags.dedup();
}

/// The question text as stored: trimmed, on one line, without control characters (which could
/// also play tricks on a terminal when printed).
pub fn normalise_question(text: &str) -> String {
    let visible: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Question {
    /// A new question with the given text and id, created now.
    pub fn new(id: String, question: &str) -> Question {
        let now = time::now();
        Question {
            id,
            question: normalise_question(question),
            answer: String::new(),
            tags: Vec::new(),
            project: None,
            template: None,
            follow_up_of: None,
            imported_from: None,
            resume: None,
            asked: Vec::new(),
            aliases: Vec::new(),
            merged: Vec::new(),
            created: Some(now),
            updated: Some(now),
            extra: Mapping::new(),
        }
    }

    /// Parse a question file. `expected_id` is the id the file name gives, which the `id` field
    /// must match. Every problem is reported with its line and column.
    pub fn parse(path: &Path, text: &str, expected_id: Option<&str>) -> Result<Question, Problem> {
        Question::parse_with(path, text, expected_id, true)
    }

    /// Like [`Question::parse`] but without collecting unknown fields (`extra` stays empty):
    /// half the parsing work, for readers that never write the question back (the index).
    pub fn parse_known(
        path: &Path,
        text: &str,
        expected_id: Option<&str>,
    ) -> Result<Question, Problem> {
        Question::parse_with(path, text, expected_id, false)
    }

    fn parse_with(
        path: &Path,
        text: &str,
        expected_id: Option<&str>,
        keep_unknown: bool,
    ) -> Result<Question, Problem> {
        // The second, untyped pass (in `Record`) collects the fields kb does not know, so they
        // survive rewrites.
        let (raw, record): (RawQuestion, yaml::Record) =
            yaml::Record::read_with(path, text, keep_unknown)?;
        let at = |key: &str, message: String| record.error(key, message);
        record.check_id(&raw.id, expected_id)?;
        let question = normalise_question(&raw.question);
        if question.is_empty() {
            return Err(at("question", "the question is empty".into()));
        }
        for alias in raw.aliases.iter().flatten() {
            if let Err(e) = id::validate(alias) {
                return Err(at("aliases", format!("aliases: {e}")));
            }
        }
        for tag in &raw.tags {
            if let Some(reason) = tag_problem(tag) {
                return Err(at("tags", format!("invalid tag {tag:?}: {reason}")));
            }
        }
        let created = record.stamp("created", raw.created)?;
        let updated = record.stamp("updated", raw.updated)?;
        let all = record.all();

        let asked_extra: Vec<Mapping> = match all.get("asked") {
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Mapping(m) => yaml::unknown_fields(m, ASKED_FIELDS),
                    _ => Mapping::new(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut asked = Vec::new();
        for (i, a) in raw.asked.unwrap_or_default().into_iter().enumerate() {
            let date = match a.date.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(time::parse_date(d).ok_or_else(|| {
                    at(
                        "asked",
                        format!("asked[{i}].date: {d:?} is not a date (use 2026-11-20)"),
                    )
                })?),
            };
            asked.push(Asked {
                company: a.company.trim().to_string(),
                round: yaml::clean(a.round),
                date,
                interview: yaml::clean(a.interview),
                note: yaml::clean(a.note),
                extra: asked_extra.get(i).cloned().unwrap_or_default(),
            });
        }

        let extra = yaml::unknown_fields(all, QUESTION_FIELDS);
        let unwritable = yaml::unwritable_field(&extra)
            .or_else(|| asked_extra.iter().find_map(yaml::unwritable_field));
        if let Some(field) = unwritable {
            return Err(at(
                &field,
                format!("field `{field}` holds a YAML tag kb cannot write back; remove the tag"),
            ));
        }
        let mut tags = raw.tags;
        normalise_tags(&mut tags);
        Ok(Question {
            id: raw.id,
            question,
            answer: yaml::normalise_block(raw.answer.as_deref().unwrap_or("")),
            tags,
            project: yaml::clean(raw.project),
            template: yaml::clean(raw.template),
            follow_up_of: yaml::clean(raw.follow_up_of),
            imported_from: yaml::clean(raw.imported_from),
            resume: yaml::clean(raw.resume),
            asked,
            aliases: raw.aliases.unwrap_or_default(),
            merged: raw.merged.unwrap_or_default(),
            created,
            updated,
            extra,
        })
    }

    /// The file's bytes. Deterministic: the same question always gives the same text, fields in a
    /// fixed order, the answer last (it is the long part) as a block.
    pub fn to_yaml(&self) -> String {
        let mut m = Mapping::new();
        yaml::put(&mut m, "id", self.id.as_str());
        yaml::put(&mut m, "question", normalise_question(&self.question));
        let mut tags = self.tags.clone();
        normalise_tags(&mut tags);
        yaml::put(
            &mut m,
            "tags",
            Value::Sequence(tags.into_iter().map(Value::String).collect()),
        );
        if let Some(p) = &self.project {
            yaml::put(&mut m, "project", p.as_str());
        }
        if let Some(t) = &self.template {
            yaml::put(&mut m, "template", t.as_str());
        }
        if let Some(f) = &self.follow_up_of {
            yaml::put(&mut m, "follow_up_of", f.as_str());
        }
        if let Some(s) = &self.imported_from {
            yaml::put(&mut m, "imported_from", s.as_str());
        }
        if let Some(r) = &self.resume {
            yaml::put(&mut m, "resume", r.as_str());
        }
        if !self.asked.is_empty() {
            let items = self.asked.iter().map(|a| Value::Mapping(a.to_mapping()));
            yaml::put(&mut m, "asked", Value::Sequence(items.collect()));
        }
        if !self.aliases.is_empty() {
            let aliases = self.aliases.iter().map(|a| Value::String(a.clone()));
            yaml::put(&mut m, "aliases", Value::Sequence(aliases.collect()));
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
        if !self.merged.is_empty() {
            let merged = self.merged.iter().map(|r| Value::Mapping(r.clone()));
            yaml::put(&mut m, "merged", Value::Sequence(merged.collect()));
        }
        yaml::put(&mut m, "answer", yaml::normalise_block(&self.answer));
        yaml::to_string(&m)
    }

    /// Everything, as JSON, for `--json` output.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "tags": self.tags,
            "project": self.project,
            "template": self.template,
            "follow_up_of": self.follow_up_of,
            "imported_from": self.imported_from,
            "asked": self.asked.iter().map(Asked::to_json).collect::<Vec<_>>(),
            "aliases": self.aliases,
            "merged": self.merged.iter().map(|r| yaml_to_json(&Value::Mapping(r.clone()))).collect::<Vec<_>>(),
            "created": self.created.map(time::format),
            "updated": self.updated.map(time::format),
        });
        if let Some(r) = &self.resume {
            v["resume"] = r.as_str().into();
        }
        if !self.extra.is_empty() {
            v["extra"] = yaml_to_json(&Value::Mapping(self.extra.clone()));
        }
        v
    }

    /// Whether an answer has been written.
    /// Whether the question has an answer: text that is not only a placeholder
    /// (`(TODO: 답변 추가하기)`, `작성 예정`; see [`is_placeholder`]). Everything that counts
    /// answers (list, stats, prep, drill, the index) goes through this.
    pub fn is_answered(&self) -> bool {
        !self.answer.trim().is_empty() && !is_placeholder(&self.answer)
    }

    /// The question cut to `max` characters, for commit messages and narrow tables.
    pub fn short(&self, max: usize) -> String {
        truncate_chars(&self.question, max)
    }
}

/// Whether `answer` only says an answer is still to come: short (at most 40 letters once
/// markup and punctuation are gone) and holding a marker such as `TODO`, `TBD`, `WIP`, `작성
/// 예정`, `추가 예정`, `작성 중`, `답변 추가`, `준비 중`, `coming soon`. Notes repositories leave these
/// where an answer goes; a long answer that mentions a TODO is an answer.
pub fn is_placeholder(answer: &str) -> bool {
    let plain = crate::text::markdown_plain(answer);
    let letters: String = plain
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    let squeezed: String = letters.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.is_empty() || squeezed.chars().count() > 40 {
        return false;
    }
    let lower = squeezed.to_lowercase();
    let nospace: String = lower.split_whitespace().collect();
    [
        "todo",
        "tbd",
        "wip",
        "coming soon",
        "to be written",
        "fill in",
    ]
    .iter()
    .any(|m| lower.split(' ').any(|w| w == *m) || (m.contains(' ') && lower.contains(m)))
        || [
            "작성예정",
            "추가예정",
            "작성중",
            "답변추가",
            "내용추가",
            "준비중",
            "정리예정",
            "업데이트예정",
        ]
        .iter()
        .any(|m| nospace.contains(m))
}

impl Asked {
    /// `카카오 1차 기술면접 (2026-11-20)`: company, round and date as far as they are known.
    pub fn label(&self) -> String {
        let mut s = self.company.clone();
        if let Some(r) = &self.round {
            s.push(' ');
            s.push_str(r);
        }
        if let Some(d) = self.date {
            s.push_str(&format!(" ({d})"));
        }
        s
    }

    pub(crate) fn to_mapping(&self) -> Mapping {
        let mut m = Mapping::new();
        yaml::put(&mut m, "company", self.company.as_str());
        if let Some(r) = &self.round {
            yaml::put(&mut m, "round", r.as_str());
        }
        if let Some(d) = self.date {
            yaml::put(&mut m, "date", d.to_string());
        }
        if let Some(i) = &self.interview {
            yaml::put(&mut m, "interview", i.as_str());
        }
        if let Some(n) = &self.note {
            yaml::put(&mut m, "note", n.as_str());
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        m
    }

    fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "company": self.company,
            "round": self.round,
            "date": self.date.map(|d| d.to_string()),
            "interview": self.interview,
            "note": self.note,
        });
        if !self.extra.is_empty() {
            v["extra"] = yaml_to_json(&Value::Mapping(self.extra.clone()));
        }
        v
    }
}

/// The knowledge base's settings, `kb.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Format version of the knowledge base; kb refuses versions newer than it knows.
    pub version: u32,
    pub name: String,
    /// The language most questions are written in (`ko`, `en`).
    pub language: String,
    /// The notes repositories the knowledge base follows (`kb source add`), in the order added.
    pub sources: Vec<Source>,
    /// Settings kb does not know (a newer kb's, or the user's own): kept.
    pub extra: Mapping,
}

/// A notes repository the knowledge base follows (`kb source add`), one entry of kb.yaml's
/// `sources:` list. Its clone lives in `.git/kb/sources/<name>` (never committed); this record
/// is all another machine needs to clone it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The clone's folder name and the first part of its questions' `imported_from`
    /// (`cs-notes/network.md:3#tcp`); see [`source_name_problem`].
    pub name: String,
    /// Any git URL: https, ssh, `file://` or an absolute path.
    pub url: String,
    /// Only Markdown under this folder of the repository is imported (`/`-separated, relative).
    pub path: Option<String>,
    /// Tags put on every question imported from it.
    pub tags: Vec<String>,
    /// The branch followed: the remote's default branch when the source was added.
    pub branch: Option<String>,
    /// The commit last imported (full hex id).
    pub commit: String,
    /// Fields kb does not know: kept.
    pub extra: Mapping,
}

const SOURCE_FIELDS: &[&str] = &["name", "url", "path", "tags", "branch", "commit"];

/// Why `name` cannot name a source, if it cannot: it names a folder inside `.git/kb/sources/`
/// and starts every `imported_from` of the source, so it is one plain file name: ASCII letters,
/// digits, `-`, `_` and `.`, starting with a letter or digit, at most 64 characters.
pub fn source_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a source name cannot be empty".into());
    }
    if name.len() > 64 {
        return Some("a source name is at most 64 characters".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Some(format!(
            "{c:?} is not allowed in a source name (use a-z, A-Z, 0-9, '-', '_', '.')"
        ));
    }
    if !name.as_bytes()[0].is_ascii_alphanumeric() {
        return Some("a source name starts with a letter or a digit".into());
    }
    None
}

#[derive(Deserialize)]
struct RawSource {
    name: String,
    url: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default, deserialize_with = "tag_list")]
    tags: Vec<String>,
    #[serde(default)]
    branch: Option<String>,
    commit: String,
}

impl Source {
    fn to_mapping(&self) -> Mapping {
        let mut m = Mapping::new();
        yaml::put(&mut m, "name", self.name.as_str());
        yaml::put(&mut m, "url", self.url.as_str());
        if let Some(p) = &self.path {
            yaml::put(&mut m, "path", p.as_str());
        }
        if !self.tags.is_empty() {
            let tags = self.tags.iter().map(|t| Value::String(t.clone()));
            yaml::put(&mut m, "tags", Value::Sequence(tags.collect()));
        }
        if let Some(b) = &self.branch {
            yaml::put(&mut m, "branch", b.as_str());
        }
        yaml::put(&mut m, "commit", self.commit.as_str());
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        m
    }

    /// The first seven characters of the commit, as git shows it.
    pub fn short_commit(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }
}

/// The 1-based line of the `sources:` entry named `name` (its `name:` line), else the line of
/// `sources:` itself.
fn source_line(text: &str, name: &str) -> usize {
    let start = yaml::key_line(text, "sources");
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| {
            let l = l.trim_start().trim_start_matches('-').trim_start();
            l.strip_prefix("name:")
                .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == name)
        })
        .map_or(start, |(i, _)| i + 1)
}

/// The knowledge-base format this kb reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
struct RawConfig {
    version: u32,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    sources: Option<Vec<RawSource>>,
}

impl Config {
    /// Settings for a new knowledge base.
    pub fn new(name: &str) -> Config {
        Config {
            version: FORMAT_VERSION,
            name: name.to_string(),
            language: "ko".to_string(),
            sources: Vec::new(),
            extra: Mapping::new(),
        }
    }

    /// Parse `kb.yaml`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Problem> {
        let raw: RawConfig =
            serde_yaml::from_str(text).map_err(|e| yaml::problem(path, text, &e))?;
        let all: Mapping = serde_yaml::from_str(text).map_err(|e| yaml::problem(path, text, &e))?;
        if raw.version > FORMAT_VERSION || raw.version == 0 {
            return Err(Problem {
                path: path.to_path_buf(),
                line: yaml::key_line(text, "version"),
                column: 1,
                message: format!(
                    "knowledge-base format version {} is not supported by this kb (it reads \
                     version {FORMAT_VERSION}); upgrade kb",
                    raw.version
                ),
            });
        }
        let extra = yaml::unknown_fields(&all, &["version", "name", "language", "sources"]);
        let source_extra: Vec<Mapping> = match all.get("sources") {
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Mapping(m) => yaml::unknown_fields(m, SOURCE_FIELDS),
                    _ => Mapping::new(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut sources: Vec<Source> = Vec::new();
        for (i, s) in raw.sources.unwrap_or_default().into_iter().enumerate() {
            let name = s.name.trim().to_string();
            let at = |message: String| Problem {
                path: path.to_path_buf(),
                line: source_line(text, &name),
                column: 1,
                message: format!("sources[{i}]: {message}"),
            };
            if let Some(why) = source_name_problem(&name) {
                return Err(at(format!("name {name:?}: {why}")));
            }
            if sources.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
                return Err(at(format!("a second source named {name:?}")));
            }
            let commit = s.commit.trim().to_ascii_lowercase();
            if !matches!(commit.len(), 40 | 64) || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(at(format!(
                    "commit {commit:?} is not a full git commit id (40 hex digits)"
                )));
            }
            let url = s.url.trim().to_string();
            if url.is_empty() || url.starts_with('-') {
                return Err(at(format!("url {url:?} is not a git URL")));
            }
            for tag in &s.tags {
                if let Some(reason) = tag_problem(tag) {
                    return Err(at(format!("invalid tag {tag:?}: {reason}")));
                }
            }
            let mut tags = s.tags;
            normalise_tags(&mut tags);
            let extra = source_extra.get(i).cloned().unwrap_or_default();
            if let Some(field) = yaml::unwritable_field(&extra) {
                return Err(at(format!(
                    "field `{field}` holds a YAML tag kb cannot write back; remove the tag"
                )));
            }
            sources.push(Source {
                name,
                url,
                path: yaml::clean(s.path),
                tags,
                branch: yaml::clean(s.branch),
                commit,
                extra,
            });
        }
        if let Some(field) = yaml::unwritable_field(&extra) {
            return Err(Problem {
                path: path.to_path_buf(),
                line: yaml::key_line(text, &field),
                column: 1,
                message: format!(
                    "field `{field}` holds a YAML tag kb cannot write back; remove the tag"
                ),
            });
        }
        if let Some(companies) = extra.get("companies")
            && let Err(message) = company_groups(companies)
        {
            return Err(Problem {
                path: path.to_path_buf(),
                line: yaml::key_line(text, "companies"),
                column: 1,
                message,
            });
        }
        Ok(Config {
            version: raw.version,
            name: raw.name.unwrap_or_default(),
            language: raw.language.unwrap_or_else(|| "ko".into()),
            sources,
            extra,
        })
    }

    /// The company aliases of `kb.yaml`'s `companies:` (a name, and the other names it goes
    /// by), which [`Config::parse`] has checked; see [`crate::names`].
    pub fn company_aliases(&self) -> Vec<(String, Vec<String>)> {
        self.extra
            .get("companies")
            .and_then(|v| company_groups(v).ok())
            .unwrap_or_default()
    }

    /// The file's bytes.
    pub fn to_yaml(&self) -> String {
        let mut m = Mapping::new();
        yaml::put(&mut m, "version", Value::Number(self.version.into()));
        yaml::put(&mut m, "name", self.name.as_str());
        yaml::put(&mut m, "language", self.language.as_str());
        if !self.sources.is_empty() {
            let items = self.sources.iter().map(|s| Value::Mapping(s.to_mapping()));
            yaml::put(&mut m, "sources", Value::Sequence(items.collect()));
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        yaml::to_string(&m)
    }
}

/// `companies:` of kb.yaml: a mapping from a company's name to one other name or a list of
/// them (`카카오: [kakao, Kakao Corp.]`), or a message saying what is wrong.
fn company_groups(v: &Value) -> Result<Vec<(String, Vec<String>)>, String> {
    let shape = "`companies:` maps a company's name to its other names, e.g. \
                 `카카오: [kakao, Kakao Corp.]`";
    let Value::Mapping(m) = v else {
        return Err(shape.to_string());
    };
    let text = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut groups = Vec::new();
    for (k, v) in m {
        let Some(name) = text(k) else {
            return Err(shape.to_string());
        };
        let others = match v {
            Value::Sequence(items) => items.iter().map(text).collect::<Option<Vec<_>>>(),
            Value::Null => Some(Vec::new()),
            one => text(one).map(|s| vec![s]),
        };
        let Some(others) = others else {
            return Err(format!("company {name:?}: {shape}"));
        };
        groups.push((name, others));
    }
    Ok(groups)
}

/// Cut `text` to at most `max` characters (not bytes: Korean is three bytes a character),
/// ending with `…` when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    let mut s = kept.trim_end().to_string();
    s.push('…');
    s
}

/// YAML values as JSON; keys that are not strings are written as their YAML text.
pub fn yaml_to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => serde_json::to_value(n).unwrap_or(serde_json::Value::Null),
        Value::String(s) => s.as_str().into(),
        Value::Sequence(items) => items.iter().map(yaml_to_json).collect(),
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| {
                let key = match k {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                (key, yaml_to_json(v))
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Value::Tagged(t) => yaml_to_json(&t.value),
    }
}

/// `--json` shows a question as [`Question::to_json`] makes it: that is its one JSON form.
impl serde::Serialize for Question {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn placeholders_are_not_answers() {
        for a in [
            "(TODO: 답변 추가하기)",
            "TODO",
            "*작성 예정*",
            "(추가 예정)",
            "작성중...",
            "- [ ] 답변 추가",
            "TBD",
            "coming soon!",
        ] {
            assert!(is_placeholder(a), "{a:?}");
        }
        for a in [
            "",
            "페이지 단위로 주소 공간을 나눈다.",
            "Todos 앱을 만들며 상태 관리를 배웠다.",
            "TODO 리스트는 우선순위 큐로 구현했고, 마감이 가까운 일을 먼저 꺼내도록 비교 함수를 바꿨다. 그 덕에 지연이 줄었다.",
            "작성자는 세 명이었다",
        ] {
            assert!(!is_placeholder(a), "{a:?}");
        }
    }

    use super::*;
    use std::path::PathBuf;

    fn path() -> PathBuf {
        PathBuf::from("questions/q-1.yaml")
    }

    const SAMPLE: &str = "id: q-1
question: 추론 최적화는 어떻게 진행했나요?
tags:
- ml
- inference
source: 직접 작성
asked:
- company: 네이버
  round: 1차 기술면접
  date: 2026-11-20
  mood: 긴장
created: 2026-11-28T00:00:00Z
updated: 2026-11-28T00:00:00Z
answer: |
  # 요약
  TensorRT로 **2배** 빨라졌습니다.
";

    #[test]
    fn parse_then_write_keeps_unknown_fields_and_is_stable() {
        let q = Question::parse(&path(), SAMPLE, Some("q-1")).unwrap();
        assert_eq!(q.tags, vec!["inference", "ml"]);
        assert_eq!(q.asked[0].company, "네이버");
        assert_eq!(q.extra.get("source").unwrap().as_str(), Some("직접 작성"));
        assert_eq!(q.asked[0].extra.get("mood").unwrap().as_str(), Some("긴장"));
        let text = q.to_yaml();
        assert!(text.contains("source: 직접 작성"), "{text}");
        assert!(text.contains("mood: 긴장"), "{text}");
        assert!(text.contains("answer: |\n  # 요약\n"), "{text}");
        let again = Question::parse(&path(), &text, Some("q-1")).unwrap();
        assert_eq!(again, q);
        assert_eq!(again.to_yaml(), text);
    }

    #[test]
    fn errors_carry_line_and_column() {
        let bad = "id: q-1\nquestion: [unclosed\ntags: []\n";
        let p = Question::parse(&path(), bad, Some("q-1")).unwrap_err();
        assert!(p.line >= 2, "{p}");
        let wrong_type = "id: q-1\nquestion: 질문\ntags:\n  nested: map\n";
        let p = Question::parse(&path(), wrong_type, Some("q-1")).unwrap_err();
        assert_eq!(p.line, 4, "{p}");
    }

    #[test]
    fn id_must_match_file_name() {
        let p = Question::parse(&path(), SAMPLE, Some("q-2")).unwrap_err();
        assert_eq!(p.line, 1);
        assert!(p.message.contains("does not match the file name"), "{p}");
    }

    #[test]
    fn numeric_and_inline_tags_are_read_as_text() {
        let q = Question::parse(&path(), "id: q-1\nquestion: x\ntags:\n- 2024\n", None).unwrap();
        assert_eq!(q.tags, vec!["2024"]);
        let q = Question::parse(&path(), "id: q-1\nquestion: x\ntags: ml, cnn\n", None).unwrap();
        assert_eq!(q.tags, vec!["cnn", "ml"]);
    }

    #[test]
    fn a_tag_yaml_cannot_write_back_is_reported_not_a_panic() {
        // Found by the question_yaml fuzz target.
        let text = "id: q-1\nquestion: x\nt{uesked:\n-        !+*               mpany# ed:\n";
        let p = Question::parse(&path(), text, None).unwrap_err();
        assert!(
            p.message.contains("holds a YAML tag kb cannot write back"),
            "{p}"
        );
        // An ordinary tag is fine and kept.
        let q = Question::parse(&path(), "id: q-1\nquestion: x\nsize: !big 3\n", None).unwrap();
        assert!(q.to_yaml().contains("size: !big 3"), "{}", q.to_yaml());
    }

    #[test]
    fn empty_file_says_so() {
        let p = Question::parse(&path(), "", None).unwrap_err();
        assert_eq!(p.message, "the file is empty");
    }

    const CONFIG: &str = "version: 1
name: 면접
language: ko
sources:
- name: cs-notes
  url: https://github.com/someone/cs-notes.git
  path: docs
  tags:
  - cs
  branch: main
  commit: 0123456789abcdef0123456789abcdef01234567
  pinned: true
theme: dark
";

    #[test]
    fn sources_round_trip_with_unknown_fields() {
        let c = Config::parse(Path::new("kb.yaml"), CONFIG).unwrap();
        assert_eq!(c.sources.len(), 1);
        let s = &c.sources[0];
        assert_eq!(s.name, "cs-notes");
        assert_eq!(s.path.as_deref(), Some("docs"));
        assert_eq!(s.tags, vec!["cs"]);
        assert_eq!(s.short_commit(), "0123456");
        assert_eq!(s.extra.get("pinned"), Some(&Value::Bool(true)));
        assert_eq!(c.extra.get("theme").and_then(|v| v.as_str()), Some("dark"));
        let text = c.to_yaml();
        assert_eq!(text, CONFIG);
        assert_eq!(Config::parse(Path::new("kb.yaml"), &text).unwrap(), c);
        // No sources: no `sources:` key written.
        assert!(!Config::new("x").to_yaml().contains("sources"));
    }

    #[test]
    fn a_bad_source_entry_is_reported_at_its_line() {
        let bad = CONFIG.replace("0123456789abcdef0123456789abcdef01234567", "abc");
        let p = Config::parse(Path::new("kb.yaml"), &bad).unwrap_err();
        assert_eq!(p.line, 5, "{p}");
        assert!(p.message.contains("not a full git commit id"), "{p}");
        let bad = CONFIG.replace("name: cs-notes", "name: ../up");
        let p = Config::parse(Path::new("kb.yaml"), &bad).unwrap_err();
        assert_eq!(p.line, 5, "{p}");
        let missing = CONFIG.replace("  url: https://github.com/someone/cs-notes.git\n", "");
        let p = Config::parse(Path::new("kb.yaml"), &missing).unwrap_err();
        assert!(p.line >= 5 && p.message.contains("url"), "{p}");
    }

    #[test]
    fn truncation_counts_characters() {
        assert_eq!(truncate_chars("추론 최적화는 어떻게", 5), "추론 최…");
        assert_eq!(truncate_chars("추론 최적화는 어떻게", 4), "추론…");
        assert_eq!(truncate_chars("short", 10), "short");
    }
}
