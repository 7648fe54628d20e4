//! `kb search WORDS... [--tag T] [--project P] [--company C] [--limit N]`

use crate::exit::Exit;
use comfy_table::{Cell, ColumnConstraint};

use crate::Ctx;
use crate::cli::SearchArgs;
use crate::commands::{project_arg, tag_args};
use crate::render::{Bar, highlight};
use kb::analysis::glossary::Glossary;
use kb::index::{Search, SearchIndex};

pub fn run(ctx: &Ctx, args: SearchArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    let project = args.project.as_deref().map(project_arg).transpose()?;
    let kb = ctx.open_kb()?;
    let (index, refresh) = SearchIndex::open(&kb, &Bar::new())?;
    if refresh.rebuilt && !ctx.json {
        eprintln!("Built the search index ({} questions).", index.len());
    }
    ctx.out.warn_skipped(&refresh.problems);
    let (glossary, problems) = Glossary::load(kb.root());
    ctx.out.warn_skipped(&problems);

    let search = Search {
        text: args
            .words
            .iter()
            .cloned()
            .chain(args.exclude.iter().map(|w| format!("-{w}")))
            .collect::<Vec<_>>()
            .join(" "),
        tags,
        project,
        company: args.asked.company.clone(),
        asked: args.asked.asked,
        unanswered: args.asked.unanswered,
        limit: args.limit,
        exact_only: args.exact,
    };
    let hits = index.search(&search, &glossary)?;

    if ctx.json {
        let rows: Vec<kb::ops::report::Found> = hits
            .iter()
            .map(|hit| kb::ops::report::Found {
                hit,
                path: kb
                    .question_path(&hit.id)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            })
            .collect();
        crate::render::print_json(&rows)?;
    } else if !hits.is_empty() {
        let mut table = ctx.out.table(&["ID", "Question", "Tags"]);
        if let Some(col) = table.column_mut(0) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
        for h in &hits {
            let mut text = highlight(&ctx.out, &h.question, &h.question_highlights);
            if !h.snippet.is_empty() {
                text.push('\n');
                let snippet = highlight(
                    &ctx.out,
                    &h.snippet.replace('\n', " "),
                    &h.snippet_highlights,
                );
                text.push_str(&if ctx.out.color {
                    ctx.out.dim(&snippet)
                } else {
                    snippet
                });
            }
            table.add_row(vec![
                Cell::new(ctx.out.accent(&h.id)),
                Cell::new(text),
                Cell::new(h.tags.join(" ")),
            ]);
        }
        println!("{table}");
    }
    if hits.is_empty() {
        eprintln!("No questions match {:?}.", search.text);
        return Ok(Exit::Failed);
    }
    Ok(Exit::Done)
}
