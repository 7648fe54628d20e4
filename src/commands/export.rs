//! `kb export --format md|anki|json`

use crate::exit::Exit;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Ctx;
use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::{matches, tag_args};
use kb::Question;

pub fn run(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    let kb = ctx.open_kb()?;
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let questions: Vec<&Question> = loaded
        .questions
        .iter()
        .filter(|q| matches(q, &tags, None))
        .collect();
    let (projects, problems) = kb.load_projects()?;
    ctx.out.warn_skipped(&problems);
    let output = match args.format {
        ExportFormat::Md => markdown(&kb, &questions, &projects),
        ExportFormat::Anki => anki(&questions),
        ExportFormat::Json => {
            let (interviews, problems) = kb.load_interviews()?;
            ctx.out.warn_skipped(&problems);
            let v = serde_json::json!({
                "kb": kb.config.name,
                "format": "kb-export",
                "version": 1,
                "questions": questions.iter().map(|q| q.to_json()).collect::<Vec<_>>(),
                "interviews": interviews.iter().map(|i| i.to_json()).collect::<Vec<_>>(),
                "projects": projects.iter().map(|p| p.to_json()).collect::<Vec<_>>(),
            });
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
    };
    let json = matches!(args.format, ExportFormat::Json);
    crate::render::write_document(&output, json, args.output.as_deref())?;
    if let Some(path) = &args.output {
        eprintln!(
            "Exported {} questions to {}.",
            questions.len(),
            path.display()
        );
    }
    Ok(Exit::Done)
}

/// One document: each project's questions, then the rest grouped by their first tag.
fn markdown(kb: &kb::Kb, questions: &[&Question], projects: &[kb::project::Project]) -> String {
    let mut md = format!(
        "# {}\n\n",
        if kb.config.name.is_empty() {
            "kb"
        } else {
            &kb.config.name
        }
    );
    let mut groups: BTreeMap<(u8, String), Vec<&Question>> = BTreeMap::new();
    for q in questions {
        let key = match &q.project {
            Some(p) => (
                0,
                projects
                    .iter()
                    .find(|x| &x.id == p)
                    .map_or(p.clone(), |x| x.name.clone()),
            ),
            None => (
                1,
                q.tags.first().cloned().unwrap_or_else(|| "untagged".into()),
            ),
        };
        groups.entry(key).or_default().push(q);
    }
    for ((_, title), qs) in &groups {
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
