//! `kb prep`: the briefing before a meeting (chosen by `kb::ops::prep`), as Markdown, a table
//! or JSON.

use comfy_table::Cell;
use std::fmt::Write as _;

use crate::Ctx;
use crate::cli::{PrepArgs, PrepFormat};
use crate::commands::tag_args;
use crate::exit::Exit;
use kb::ops::prep::{Prep, Request};

pub fn run(ctx: &Ctx, args: PrepArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    let kb = ctx.open_kb()?;
    let projects = args
        .projects
        .iter()
        .map(|p| kb.resolve_project(p))
        .collect::<Result<Vec<_>, _>>()?;
    let (reviews, _) = kb::review::load(&kb)?;
    let memory = kb::review::schedule(&reviews);
    let index = crate::commands::open_index(ctx, &kb)?;
    let known = crate::commands::known::Known::of(&kb, &index);
    known.check_tags(&tags)?;
    let req = Request {
        company: args
            .company
            .as_deref()
            .map(|c| known.company_to_meet(c, ctx.json))
            .transpose()?,
        projects,
        tags,
        limit: args.limit,
    };
    let prep = kb::ops::prep::prep(
        &kb,
        &index,
        &req,
        &memory,
        kb::time::now(),
        kb::time::today(),
    )?;
    // `--json` is `--format json`, as for every other command.
    let format = if ctx.json {
        PrepFormat::Json
    } else {
        args.format
    };
    let output = match format {
        PrepFormat::Json => format!("{}\n", serde_json::to_string_pretty(&prep)?),
        PrepFormat::Md => prep.to_markdown(),
        PrepFormat::Table => table(ctx, &prep)?,
        PrepFormat::Html => kb::ops::page::prep_page(&kb, &prep)?.html,
    };
    match (&args.output, matches!(format, PrepFormat::Table)) {
        // A table for the terminal keeps kb's colours (cells go through `clean`).
        (None, true) => print!("{output}"),
        (to, _) => {
            // JSON and HTML go out as they are (already escaped by kb).
            let json = matches!(format, PrepFormat::Json | PrepFormat::Html);
            crate::render::write_document(&output, json, to.as_deref())?;
            if let Some(path) = to {
                eprintln!("Wrote {} questions to {}.", prep.total(), path.display());
            }
        }
    }
    Ok(Exit::Done)
}

fn table(ctx: &Ctx, prep: &Prep) -> anyhow::Result<String> {
    let mut out = String::new();
    for s in &prep.sections {
        writeln!(out, "{}", ctx.out.bold(&s.title))?;
        let mut table = ctx.out.table(&["ID", "Question", "Answer"]);
        for e in &s.questions {
            let q = &e.question;
            table.add_row(vec![
                Cell::new(&q.id),
                Cell::new(&q.question),
                Cell::new(if q.is_answered() { "✓" } else { "—" }),
            ]);
        }
        writeln!(out, "{table}\n")?;
    }
    Ok(out)
}
