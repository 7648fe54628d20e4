//! `kb prep`: the briefing before a meeting.

use crate::exit::Exit;
use std::collections::HashSet;
use std::fmt::Write as _;

use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{PrepArgs, PrepFormat};
use crate::commands::tag_args;
use kb::Question;
use kb::index::Summary;

struct Section<'a> {
    title: String,
    questions: Vec<&'a Question>,
}

pub fn run(ctx: &Ctx, args: PrepArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    let kb = ctx.open_kb()?;
    // Chosen from the search index's columns; only the chosen questions' files are read.
    let projects = args
        .projects
        .iter()
        .map(|p| kb.resolve_project(p))
        .collect::<Result<Vec<_>, _>>()?;
    let (reviews, _) = kb::review::load(&kb)?;
    let memory = kb::review::schedule(&reviews);
    let now = kb::time::now();
    let korean = kb.config.language == "ko";
    let t = |ko: &str, en: &str| {
        if korean {
            ko.to_string()
        } else {
            en.to_string()
        }
    };

    // One pass over the index: the questions the sections below choose from are kept whole;
    // of the unanswered and weak ones (possibly most of a big bank) only what ranks them.
    let company = args.company.as_deref().map(str::to_lowercase);
    let mut weak_keys: Vec<(u64, bool, String)> = Vec::new();
    let summaries = crate::commands::summaries_where(ctx, &kb, |q| {
        if !q.answered || memory.get(q.id).is_some_and(|m| m.weak(now)) {
            weak_keys.push((q.asked_count, q.answered, q.id.to_string()));
        }
        q.asked_count > 0
            || company.as_deref().is_some_and(|c| q.asked_at(c))
            || projects.iter().any(|p| q.project == Some(p.id.as_str()))
            || tags.iter().any(|t| q.has_tag(t))
    })?;
    let qs = &summaries;
    let mut builder: Vec<(String, Vec<&Summary>)> = Vec::new();

    if let Some(company) = &args.company {
        let c = company.to_lowercase();
        let times = |q: &Summary| {
            q.asked
                .iter()
                .filter(|a| a.company.to_lowercase() == c)
                .count()
        };
        let mut picked: Vec<&Summary> = qs.iter().filter(|q| times(q) > 0).collect();
        picked.sort_by(|a, b| times(b).cmp(&times(a)).then(a.id.cmp(&b.id)));
        builder.push((
            t(
                &format!("{company}에서 전에 받은 질문"),
                &format!("Asked before at {company}"),
            ),
            picked,
        ));
    }
    let mut most: Vec<&Summary> = qs.iter().filter(|q| q.asked_count > 0).collect();
    most.sort_by(|a, b| b.asked_count.cmp(&a.asked_count).then(a.id.cmp(&b.id)));
    most.truncate(args.limit);
    builder.push((
        t("면접에서 가장 많이 받은 질문", "Most asked in interviews"),
        most,
    ));
    let mut project_titles: Vec<String> = Vec::new();
    for p in &projects {
        let picked: Vec<&Summary> = qs
            .iter()
            .filter(|q| q.project.as_deref() == Some(p.id.as_str()))
            .collect();
        let title = t(
            &format!("프로젝트: {}", p.name),
            &format!("Project: {}", p.name),
        );
        project_titles.push(title.clone());
        builder.push((title, picked));
    }
    for tag in &tags {
        let picked: Vec<&Summary> = qs.iter().filter(|q| q.tags.contains(tag)).collect();
        builder.push((t(&format!("태그: {tag}"), &format!("Tag: {tag}")), picked));
    }
    weak_keys.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    weak_keys.truncate(args.limit);
    let weak: Vec<&str> = weak_keys.iter().map(|(_, _, id)| id.as_str()).collect();

    // Each question once, in the first section that wants it; then read just those files.
    let mut seen: HashSet<&str> = HashSet::new();
    let chosen: Vec<(String, Vec<&str>)> = builder
        .into_iter()
        .map(|(title, picked)| (title, picked.into_iter().map(|q| q.id.as_str()).collect()))
        .chain([(t("아직 답이 없거나 약한 질문", "Unanswered and weak"), weak)])
        .map(|(title, ids): (String, Vec<&str>)| {
            (
                title,
                ids.into_iter()
                    .filter(|id| seen.insert(id))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, ids)| !ids.is_empty())
        .collect();
    let loaded: Vec<(String, Vec<Question>)> = chosen
        .into_iter()
        .map(|(title, ids)| {
            let mut questions: Vec<Question> =
                ids.iter().filter_map(|id| kb.load(id).ok()).collect();
            // In a project's section, the template questions come first (a stable sort keeps
            // the priority order of every other section).
            if project_titles.contains(&title) {
                questions.sort_by(|a, b| {
                    a.template
                        .is_none()
                        .cmp(&b.template.is_none())
                        .then(a.id.cmp(&b.id))
                });
            }
            (title, questions)
        })
        .collect();
    let sections: Vec<Section> = loaded
        .iter()
        .map(|(title, questions)| Section {
            title: title.clone(),
            questions: questions.iter().collect(),
        })
        .filter(|s| !s.questions.is_empty())
        .collect();

    let total: usize = sections.iter().map(|s| s.questions.len()).sum();
    let output = match args.format {
        PrepFormat::Json => {
            let v = serde_json::json!({
                "company": args.company,
                "date": kb::time::today().to_string(),
                "sections": sections.iter().map(|s| serde_json::json!({
                    "title": s.title,
                    "questions": s.questions.iter().map(|q| {
                        let mut v = q.to_json();
                        v["weak"] = memory.get(&q.id).is_some_and(|m| m.weak(now)).into();
                        v
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        PrepFormat::Md => markdown(&args, &sections, total, korean, &memory, now),
        PrepFormat::Table => {
            let mut out = String::new();
            for s in &sections {
                writeln!(out, "{}", ctx.out.bold(&s.title))?;
                let mut table = ctx.out.table(&["ID", "Question", "Answer"]);
                for q in &s.questions {
                    table.add_row(vec![
                        Cell::new(&q.id),
                        Cell::new(&q.question),
                        Cell::new(if q.is_answered() { "✓" } else { "—" }),
                    ]);
                }
                writeln!(out, "{table}\n")?;
            }
            out
        }
    };
    match (&args.output, matches!(args.format, PrepFormat::Table)) {
        // A table for the terminal keeps kb's colours (cells go through `clean`).
        (None, true) => print!("{output}"),
        (to, _) => {
            let json = matches!(args.format, PrepFormat::Json);
            crate::render::write_document(&output, json, to.as_deref())?;
            if let Some(path) = to {
                eprintln!("Wrote {total} questions to {}.", path.display());
            }
        }
    }
    Ok(Exit::Done)
}

fn markdown(
    args: &PrepArgs,
    sections: &[Section],
    total: usize,
    korean: bool,
    memory: &std::collections::HashMap<String, kb::review::Memory>,
    now: jiff::Timestamp,
) -> String {
    let mut md = String::new();
    let today = kb::time::today();
    let title = match (&args.company, korean) {
        (Some(c), true) => format!("# {c} 면접 준비 ({today})"),
        (Some(c), false) => format!("# Preparing for {c} ({today})"),
        (None, true) => format!("# 면접 준비 ({today})"),
        (None, false) => format!("# Interview preparation ({today})"),
    };
    let _ = writeln!(md, "{title}\n");
    let _ = writeln!(
        md,
        "{total} {}\n",
        if korean { "문항" } else { "questions" }
    );
    for (n, s) in sections.iter().enumerate() {
        let _ = writeln!(md, "## {}. {} ({})\n", n + 1, s.title, s.questions.len());
        for q in &s.questions {
            let _ = writeln!(md, "### {}\n", q.question);
            let mut meta = vec![format!("`{}`", q.id)];
            if !q.tags.is_empty() {
                meta.push(q.tags.join(", "));
            }
            if !q.asked.is_empty() {
                let mut companies: Vec<&str> = q.asked.iter().map(|a| a.company.as_str()).collect();
                companies.sort();
                companies.dedup();
                meta.push(format!(
                    "asked {}× ({})",
                    q.asked.len(),
                    companies.join(", ")
                ));
            }
            if memory.get(&q.id).is_some_and(|m| m.weak(now)) {
                meta.push(if korean {
                    "약함".into()
                } else {
                    "weak".into()
                });
            }
            let _ = writeln!(md, "{}\n", meta.join(" · "));
            if q.is_answered() {
                let _ = writeln!(md, "{}", q.answer.trim_end());
            } else {
                let _ = writeln!(
                    md,
                    "_{}_",
                    if korean {
                        "아직 답을 쓰지 않았습니다."
                    } else {
                        "No answer written yet."
                    }
                );
            }
            let _ = writeln!(md);
        }
    }
    md
}
