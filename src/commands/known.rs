//! Names typed on the command line checked against what the bank has: a `--tag`, `--project`
//! or `--company` that names nothing is an error that says so and offers the closest names
//! (`did you mean`), rather than an empty result that looks like "nothing to do"; an id that
//! names no question offers the ids and questions closest to it.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use anyhow::anyhow;
use kb::index::{Search, SearchIndex};
use kb::names::{did_you_mean, same_company, suggest};

/// The tags, projects and companies of the bank, read when a name is first checked: a command
/// given no `--tag`, `--project` or `--company` pays nothing for it.
pub struct Known<'a> {
    source: Option<(&'a kb::Kb, &'a SearchIndex)>,
    facts: OnceCell<Facts>,
}

/// What [`Known`] reads: the tags, projects and companies, with how often each is used.
struct Facts {
    tags: BTreeMap<String, usize>,
    /// Project ids: the files in projects/ and the ones questions name.
    projects: BTreeSet<String>,
    /// Project names (from projects/), for suggestions.
    project_names: Vec<(String, String)>,
    /// Company names as written in interviews and `asked` entries, with how often.
    companies: BTreeMap<String, usize>,
}

impl Facts {
    /// Read from the index's columns, the interviews and the project files.
    fn read(kb: &kb::Kb, index: &SearchIndex) -> anyhow::Result<Facts> {
        let mut tags: BTreeMap<String, usize> = BTreeMap::new();
        let mut projects = BTreeSet::new();
        let mut companies: BTreeMap<String, usize> = BTreeMap::new();
        index.summaries_where(|q| {
            for t in q.tags {
                *tags.entry(t.to_string()).or_default() += 1;
            }
            if let Some(p) = q.project {
                projects.insert(p.to_string());
            }
            for a in q.asked {
                *companies.entry(a.company.clone()).or_default() += 1;
            }
            false
        })?;
        let (interviews, _) = kb.load_interviews()?;
        for iv in interviews {
            *companies.entry(iv.company).or_default() += 1;
        }
        let (files, _) = kb.load_projects()?;
        let mut project_names = Vec::new();
        for p in files {
            projects.insert(p.id.clone());
            project_names.push((p.id, p.name));
        }
        Ok(Facts {
            tags,
            projects,
            project_names,
            companies,
        })
    }
}

impl<'a> Known<'a> {
    /// The names of the bank behind `index`, read from it, the interviews and the project
    /// files on first use.
    pub fn of(kb: &'a kb::Kb, index: &'a SearchIndex) -> Known<'a> {
        Known {
            source: Some((kb, index)),
            facts: OnceCell::new(),
        }
    }

    fn facts(&self) -> anyhow::Result<&Facts> {
        if let Some(f) = self.facts.get() {
            return Ok(f);
        }
        let read = match self.source {
            Some((kb, index)) => Facts::read(kb, index)?,
            None => Facts {
                tags: BTreeMap::new(),
                projects: BTreeSet::new(),
                project_names: Vec::new(),
                companies: BTreeMap::new(),
            },
        };
        Ok(self.facts.get_or_init(|| read))
    }

    /// The tags and projects of loaded questions (for commands that read the files, not the
    /// index); no companies.
    pub fn of_questions(questions: &[kb::Question]) -> Known<'a> {
        let mut tags: BTreeMap<String, usize> = BTreeMap::new();
        let mut projects = BTreeSet::new();
        for q in questions {
            for t in &q.tags {
                *tags.entry(t.clone()).or_default() += 1;
            }
            if let Some(p) = &q.project {
                projects.insert(p.clone());
            }
        }
        Known {
            source: None,
            facts: OnceCell::from(Facts {
                tags,
                projects,
                project_names: Vec::new(),
                companies: BTreeMap::new(),
            }),
        }
    }

    /// Every tag in `tags` is on some question; else an error naming the first that is not.
    pub fn check_tags(&self, tags: &[String]) -> anyhow::Result<()> {
        for tag in tags {
            let f = self.facts()?;
            if !f.tags.contains_key(tag) {
                let near = suggest(tag, by_use(&f.tags), 3);
                return Err(anyhow!(
                    "no question is tagged {tag:?}{} (see `kb stats` for the tags in use)",
                    did_you_mean(&near)
                ));
            }
        }
        Ok(())
    }

    /// The tags close to `tag` that questions carry (for a note when a new tag is made).
    pub fn near_tags(&self, tag: &str) -> anyhow::Result<Vec<String>> {
        let f = self.facts()?;
        if f.tags.contains_key(tag) {
            return Ok(Vec::new());
        }
        Ok(suggest(tag, by_use(&f.tags), 3))
    }

    /// The project id `raw` means: an id questions or projects/ have, else what
    /// [`kb::Kb::resolve_project`] makes of it (a name, an id prefix); else an error with the
    /// closest projects.
    pub fn project(&self, kb: &kb::Kb, raw: &str) -> anyhow::Result<String> {
        let wanted = raw.trim().to_lowercase();
        let f = self.facts()?;
        if f.projects.contains(&wanted) {
            return Ok(wanted);
        }
        if let Ok(p) = kb.resolve_project(raw) {
            return Ok(p.id);
        }
        let ids: Vec<&str> = f.projects.iter().map(String::as_str).collect();
        let mut near = suggest(raw, ids.iter().copied(), 3);
        for id in suggest(raw, f.project_names.iter().map(|(_, n)| n.as_str()), 3)
            .iter()
            .filter_map(|n| f.project_names.iter().find(|(_, name)| name == n))
            .map(|(id, _)| id.clone())
        {
            if !near.contains(&id) {
                near.push(id);
            }
        }
        Err(anyhow!(
            "no project {raw:?}{}{}",
            did_you_mean(&near),
            listing("projects", &ids)
        ))
    }

    /// The company `raw` means, as the bank writes it (the most used of its spellings): the
    /// same name without case or spacing, or one of its aliases (`kakao` = `카카오`; see
    /// [`kb::names`]); `None` when the bank has no interview there.
    pub fn company(&self, raw: &str) -> anyhow::Result<Option<String>> {
        let mut spellings: Vec<(&String, &usize)> = self
            .facts()?
            .companies
            .iter()
            .filter(|(c, _)| same_company(c, raw))
            .collect();
        spellings.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        Ok(spellings.first().map(|(c, _)| (*c).clone()))
    }

    /// The company one is about to meet, which the bank may not know yet (`kb prep`, `kb
    /// mock`): the bank's spelling when it knows it; else `raw`, with a note on stderr when a
    /// known company is close (a slip of the keyboard would otherwise prepare for nobody).
    pub fn company_to_meet(&self, raw: &str, json: bool) -> anyhow::Result<String> {
        if let Some(c) = self.company(raw)? {
            return Ok(c);
        }
        let near = self.near_companies(raw)?;
        if !near.is_empty() && !json {
            eprintln!("Note: no interview at {raw:?} yet{}", did_you_mean(&near));
        }
        Ok(raw.to_string())
    }

    /// The companies close to `raw` (for `did you mean`).
    pub fn near_companies(&self, raw: &str) -> anyhow::Result<Vec<String>> {
        Ok(suggest(raw, by_use(&self.facts()?.companies), 3))
    }

    /// [`Known::company`], or an error with the closest companies when the bank has no
    /// interview at `raw`.
    pub fn check_company(&self, raw: &str) -> anyhow::Result<String> {
        if let Some(c) = self.company(raw)? {
            return Ok(c);
        }
        let all: Vec<&str> = by_use(&self.facts()?.companies).collect();
        Err(anyhow!(
            "no interview at {raw:?} in this knowledge base{}{}",
            did_you_mean(&self.near_companies(raw)?),
            listing("companies", &all)
        ))
    }
}

/// Names most used first.
fn by_use(counts: &BTreeMap<String, usize>) -> impl Iterator<Item = &str> {
    let mut v: Vec<(&String, &usize)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(k, _)| k.as_str())
}

/// ` (companies: a, b, c)` when there are a few, ` (none yet)` when there are none.
fn listing(what: &str, names: &[&str]) -> String {
    match names.len() {
        0 => format!(" (there are no {what} yet)"),
        1..=8 => format!(" ({what}: {})", names.join(", ")),
        n => format!(" ({n} {what}; {} …)", names[..5].join(", ")),
    }
}

/// The error for an id that names no question: the ids closest to it, and the questions a
/// search for it finds (a person often types part of the question instead of its id).
pub fn question_not_found(kb: &kb::Kb, index: &SearchIndex, input: &str) -> anyhow::Error {
    let ids = kb.question_ids().unwrap_or_default();
    let mut near: Vec<String> = suggest(input, ids.iter().map(String::as_str), 3);
    let mut lines = Vec::new();
    let search = Search {
        text: input.replace(['-', '_'], " "),
        limit: 3,
        ..Search::default()
    };
    let glossary = kb::analysis::glossary::Glossary::load(kb.root()).0;
    let mut found = index.search(&search, &glossary).unwrap_or_default();
    // Only hits near the best one: a weak third hit is noise under a good first.
    if let Some(best) = found.first().map(|h| h.score) {
        found.retain(|h| h.score >= best * 0.5);
    }
    for id in &near {
        let question = found
            .iter()
            .find(|h| &h.id == id)
            .map(|h| h.question.clone())
            .or_else(|| kb.load(id).ok().map(|q| q.question));
        lines.push(format!("  {id}  {}", question.unwrap_or_default()));
    }
    for hit in found {
        if near.len() >= 3 {
            break;
        }
        if !near.contains(&hit.id) {
            lines.push(format!("  {}  {}", hit.id, hit.question));
            near.push(hit.id);
        }
    }
    let mut message = format!("no question with id {input:?}");
    if lines.is_empty() {
        message.push_str(" (see `kb list`, or `kb search WORDS`)");
    } else {
        message.push_str("; did you mean\n");
        message.push_str(&lines.join("\n"));
    }
    anyhow!(message)
}
