//! The briefing before a meeting (`kb prep`): which questions to reread, in which sections, in
//! which order. Chosen from the search index's columns; only the chosen questions' files are
//! read.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::error::Result;
use crate::index::{SearchIndex, Summary};
use crate::model::Question;
use crate::project::Project;
use crate::review::Memory;
use crate::store::Kb;

/// What the briefing is for.
#[derive(Debug, Default)]
pub struct Request {
    /// The company being met: a section of what it asked before.
    pub company: Option<String>,
    /// Résumé projects to go over, a section each.
    pub projects: Vec<Project>,
    /// Tags to go over, a section each.
    pub tags: Vec<String>,
    /// At most this many questions in the most-asked and the weak sections.
    pub limit: usize,
}

/// The briefing: sections in the order to read them, each question in the first section that
/// wants it.
#[derive(Debug, Serialize)]
pub struct Prep {
    pub company: Option<String>,
    pub date: String,
    pub sections: Vec<Section>,
    /// The listed projects' résumé lines none of whose questions has an answer yet.
    pub resume_gaps: Vec<ResumeGap>,
    /// Headings in Korean (the bank's language is `ko`).
    #[serde(skip)]
    pub korean: bool,
}

/// A résumé line whose questions (`kb project import` drafted them) are all unanswered.
#[derive(Debug, Serialize)]
pub struct ResumeGap {
    pub project: String,
    pub line: String,
    pub questions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub title: String,
    pub questions: Vec<Entry>,
}

/// A question in the briefing, and whether the drill found it weak.
#[derive(Debug)]
pub struct Entry {
    pub question: Question,
    pub weak: bool,
}

impl Serialize for Entry {
    /// The question as every `--json` shows it (`Question::to_json`), plus `weak`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut v = self.question.to_json();
        v["weak"] = self.weak.into();
        v["speaking_seconds"] = self.speaking_seconds().into();
        v["no_figure"] = self.no_figure().into();
        v.serialize(s)
    }
}

impl Entry {
    /// About how long the answer takes to say (0 when there is none).
    pub fn speaking_seconds(&self) -> u32 {
        match self.question.is_answered() {
            true => crate::text::speaking_seconds(&self.question.answer),
            false => 0,
        }
    }

    /// A project's answer with no concrete figure in it.
    pub fn no_figure(&self) -> bool {
        let q = &self.question;
        q.project.is_some() && q.is_answered() && !crate::text::has_figure(&q.answer)
    }
}

impl Prep {
    pub fn total(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }
}

/// Choose the briefing's questions from `index` and read them from `kb`; `memory` is the
/// drill's schedule (for what is weak at `now`).
pub fn prep(
    kb: &Kb,
    index: &SearchIndex,
    req: &Request,
    memory: &HashMap<String, Memory>,
    now: Timestamp,
    today: Date,
) -> Result<Prep> {
    let korean = kb.config.language == "ko";
    let t = |ko: String, en: String| if korean { ko } else { en };
    let weak_now = |id: &str| memory.get(id).is_some_and(|m| m.weak(now));

    // One pass over the index: the questions the sections below choose from are kept whole;
    // of the unanswered and weak ones (possibly most of a big bank) only what ranks them.
    let company = req.company.as_deref();
    let mut weak_keys: Vec<(u64, bool, String)> = Vec::new();
    let summaries = index.summaries_where(|q| {
        if !q.answered || weak_now(q.id) {
            weak_keys.push((q.asked_count, q.answered, q.id.to_string()));
        }
        q.asked_count > 0
            || company.is_some_and(|c| q.asked_at(c))
            || req
                .projects
                .iter()
                .any(|p| q.project == Some(p.id.as_str()))
            || req.tags.iter().any(|t| q.has_tag(t))
    })?;
    let qs = &summaries;
    let mut picks: Vec<(String, Vec<&Summary>)> = Vec::new();

    if let (Some(shown), Some(c)) = (&req.company, company) {
        let times = |q: &Summary| {
            q.asked
                .iter()
                .filter(|a| crate::names::same_company(&a.company, c))
                .count()
        };
        let mut picked: Vec<&Summary> = qs.iter().filter(|q| times(q) > 0).collect();
        picked.sort_by(|a, b| times(b).cmp(&times(a)).then(a.id.cmp(&b.id)));
        picks.push((
            t(
                format!("{shown}에서 전에 받은 질문"),
                format!("Asked before at {shown}"),
            ),
            picked,
        ));
    }
    let mut most: Vec<&Summary> = qs.iter().filter(|q| q.asked_count > 0).collect();
    most.sort_by(|a, b| b.asked_count.cmp(&a.asked_count).then(a.id.cmp(&b.id)));
    most.truncate(req.limit);
    picks.push((
        t(
            "면접에서 가장 많이 받은 질문".into(),
            "Most asked in interviews".into(),
        ),
        most,
    ));
    let mut project_titles: Vec<String> = Vec::new();
    for p in &req.projects {
        let picked: Vec<&Summary> = qs
            .iter()
            .filter(|q| q.project.as_deref() == Some(p.id.as_str()))
            .collect();
        let title = t(
            format!("프로젝트: {}", p.name),
            format!("Project: {}", p.name),
        );
        project_titles.push(title.clone());
        picks.push((title, picked));
    }
    for tag in &req.tags {
        let picked: Vec<&Summary> = qs.iter().filter(|q| q.tags.contains(tag)).collect();
        picks.push((t(format!("태그: {tag}"), format!("Tag: {tag}")), picked));
    }
    weak_keys.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let weak: Vec<&str> = weak_keys.iter().map(|(_, _, id)| id.as_str()).collect();

    // Each question once, in the first section that wants it; then read just those files.
    // The weak section is cut to the limit after the questions shown above are taken out of
    // it, so it is not left empty when the most asked are also the unanswered.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut chosen: Vec<(String, Vec<&str>)> = picks
        .into_iter()
        .map(|(title, picked)| (title, picked.into_iter().map(|q| q.id.as_str()).collect()))
        .chain([(
            t(
                "아직 답이 없거나 약한 질문".into(),
                "Unanswered and weak".into(),
            ),
            weak,
        )])
        .map(|(title, ids): (String, Vec<&str>)| {
            let ids: Vec<&str> = ids.into_iter().filter(|id| seen.insert(id)).collect();
            (title, ids)
        })
        .collect();
    if let Some((_, weak)) = chosen.last_mut() {
        weak.truncate(req.limit);
    }
    let mut sections = Vec::new();
    for (title, ids) in chosen {
        let mut questions: Vec<Question> = ids.iter().filter_map(|id| kb.load(id).ok()).collect();
        if questions.is_empty() {
            continue;
        }
        // In a project's section, the template questions come first (a stable sort keeps the
        // priority order of every other section).
        if project_titles.contains(&title) {
            questions.sort_by(|a, b| {
                a.template
                    .is_none()
                    .cmp(&b.template.is_none())
                    .then(a.id.cmp(&b.id))
            });
        }
        let questions = questions
            .into_iter()
            .map(|q| Entry {
                weak: weak_now(&q.id),
                question: q,
            })
            .collect();
        sections.push(Section { title, questions });
    }
    // Every question of a listed project is in some section: the résumé lines among them with
    // no answered question are what is left to prepare.
    let all: Vec<Question> = sections
        .iter()
        .flat_map(|s| s.questions.iter().map(|e| e.question.clone()))
        .collect();
    let mut resume_gaps = Vec::new();
    for p in &req.projects {
        for c in crate::ops::resume::coverage(&all, p) {
            if c.answered() == 0 {
                resume_gaps.push(ResumeGap {
                    project: p.id.clone(),
                    line: c.line.clone(),
                    questions: c.questions.iter().map(|q| q.id.clone()).collect(),
                });
            }
        }
    }
    Ok(Prep {
        company: req.company.clone(),
        date: today.to_string(),
        sections,
        resume_gaps,
        korean,
    })
}

impl Prep {
    /// The briefing as a Markdown document to read on any device.
    pub fn to_markdown(&self) -> String {
        let ko = self.korean;
        let mut md = String::new();
        let title = match (&self.company, ko) {
            (Some(c), true) => format!("# {c} 면접 준비 ({})", self.date),
            (Some(c), false) => format!("# Preparing for {c} ({})", self.date),
            (None, true) => format!("# 면접 준비 ({})", self.date),
            (None, false) => format!("# Interview preparation ({})", self.date),
        };
        let _ = writeln!(md, "{title}\n");
        let _ = writeln!(
            md,
            "{} {}\n",
            self.total(),
            if ko { "문항" } else { "questions" }
        );
        for (n, s) in self.sections.iter().enumerate() {
            let _ = writeln!(md, "## {}. {} ({})\n", n + 1, s.title, s.questions.len());
            for entry in &s.questions {
                let Entry { question: q, weak } = entry;
                let _ = writeln!(md, "### {}\n", q.question);
                let mut meta = vec![format!("`{}`", q.id)];
                if !q.tags.is_empty() {
                    meta.push(q.tags.join(", "));
                }
                if !q.asked.is_empty() {
                    let mut companies: Vec<&str> =
                        q.asked.iter().map(|a| a.company.as_str()).collect();
                    companies.sort();
                    companies.dedup();
                    meta.push(format!(
                        "asked {}× ({})",
                        q.asked.len(),
                        companies.join(", ")
                    ));
                }
                if *weak {
                    meta.push(if ko { "약함" } else { "weak" }.into());
                }
                if q.is_answered() {
                    meta.push(crate::text::speaking_time(entry.speaking_seconds(), ko));
                }
                if entry.no_figure() {
                    meta.push(if ko { "수치 없음" } else { "no figures" }.into());
                }
                let _ = writeln!(md, "{}\n", meta.join(" · "));
                if q.is_answered() {
                    let _ = writeln!(md, "{}", q.answer.trim_end());
                } else if ko {
                    let _ = writeln!(md, "_아직 답을 쓰지 않았습니다._");
                } else {
                    let _ = writeln!(md, "_No answer written yet._");
                }
                let _ = writeln!(md);
            }
        }
        if !self.resume_gaps.is_empty() {
            let _ = writeln!(
                md,
                "## {}\n",
                if ko {
                    "아직 답이 없는 이력서 줄"
                } else {
                    "Résumé lines with no answer yet"
                }
            );
            for g in &self.resume_gaps {
                let _ = writeln!(
                    md,
                    "- {} (`{}`: {})",
                    g.line,
                    g.project,
                    g.questions.join(", ")
                );
            }
            let _ = writeln!(md);
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Asked;

    fn asked(company: &str) -> Asked {
        Asked {
            company: company.to_string(),
            round: None,
            date: None,
            interview: None,
            note: None,
            extra: Default::default(),
        }
    }

    /// A bank in a temporary folder and its index.
    fn bank(questions: &[Question]) -> (tempfile::TempDir, Kb, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        for q in questions {
            tx.save(q).unwrap();
        }
        let _ = tx.commit("questions").unwrap();
        drop(tx);
        let (index, _) = SearchIndex::open(&kb, &crate::index::Silent).unwrap();
        (dir, kb, index)
    }

    fn ids(p: &Prep) -> Vec<(String, Vec<&str>)> {
        p.sections
            .iter()
            .map(|s| {
                let ids = s.questions.iter().map(|e| e.question.id.as_str()).collect();
                (s.title.clone(), ids)
            })
            .collect()
    }

    #[test]
    fn each_question_once_in_the_first_section_that_wants_it() {
        let mut bn = Question::new("q-bn".into(), "배치 정규화의 효과는?");
        bn.asked = vec![asked("카카오"), asked("카카오"), asked("Naver")];
        bn.answer = "학습 안정화".into();
        let mut tcp = Question::new("q-tcp".into(), "TCP와 UDP의 차이는?");
        tcp.asked = vec![asked("Naver")];
        tcp.tags = vec!["network".into()];
        tcp.answer = "신뢰성".into();
        let vm = Question::new("q-vm".into(), "가상 메모리란?");
        let (_dir, kb, index) = bank(&[bn, tcp, vm]);
        let req = Request {
            company: Some("카카오".into()),
            tags: vec!["network".into()],
            limit: 15,
            ..Request::default()
        };
        let today: Date = "2026-12-01".parse().unwrap();
        let p = prep(&kb, &index, &req, &HashMap::new(), Timestamp::now(), today).unwrap();
        // Korean headings: `kb init` writes a Korean bank.
        assert_eq!(
            ids(&p),
            [
                ("카카오에서 전에 받은 질문".to_string(), vec!["q-bn"]),
                ("면접에서 가장 많이 받은 질문".to_string(), vec!["q-tcp"]),
                ("아직 답이 없거나 약한 질문".to_string(), vec!["q-vm"]),
            ],
            "the tag's section is empty (q-tcp came earlier) and is left out"
        );
        assert_eq!(p.total(), 3);
        let md = p.to_markdown();
        assert!(
            md.starts_with("# 카카오 면접 준비 (2026-12-01)\n\n3 문항\n"),
            "{md}"
        );
        assert!(md.contains("asked 3× (Naver, 카카오)"), "{md}");
        assert!(md.contains("_아직 답을 쓰지 않았습니다._"), "{md}");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["sections"][0]["questions"][0]["id"], "q-bn");
        assert_eq!(json["sections"][0]["questions"][0]["weak"], false);
    }

    #[test]
    fn the_limit_bounds_most_asked_and_weak_and_the_most_asked_come_first() {
        let mut qs = Vec::new();
        for i in 0..5 {
            let mut q = Question::new(format!("q-{i}"), &format!("질문 {i}"));
            q.asked = (0..i).map(|_| asked("Naver")).collect();
            qs.push(q);
        }
        let (_dir, kb, index) = bank(&qs);
        let req = Request {
            limit: 2,
            ..Request::default()
        };
        let today: Date = "2026-12-01".parse().unwrap();
        let p = prep(&kb, &index, &req, &HashMap::new(), Timestamp::now(), today).unwrap();
        let got = ids(&p);
        assert_eq!(got[0].1, ["q-4", "q-3"]);
        // Unanswered, most asked first, not repeating the two above, still `limit` of them.
        assert_eq!(got[1].1, ["q-2", "q-1"]);
    }
}
