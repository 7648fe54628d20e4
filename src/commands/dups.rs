//! `kb dups [--threshold X] [--limit N]`

use crate::exit::Exit;
use std::collections::HashMap;

use comfy_table::{Cell, ColumnConstraint};

use crate::Ctx;
use crate::cli::DupsArgs;

pub fn run(ctx: &Ctx, args: DupsArgs) -> anyhow::Result<Exit> {
    if !(0.0..=1.0).contains(&args.threshold) {
        anyhow::bail!("--threshold is a similarity between 0 and 1");
    }
    let kb = ctx.open_kb()?;
    // From the index's columns: every question's print is kept there, so no file is parsed and
    // no text analysed again (at 10k questions that was most of the time).
    let (index, _) = kb::index::SearchIndex::open(&kb, &crate::render::Bar::new())?;
    ctx.out.warn_skipped_lines(&index.problems());
    let entries = index.entries()?;
    let names = kb::analysis::similar::project_names(
        &kb,
        &kb::analysis::glossary::Glossary::load(kb.root()).0,
    )?;
    let pairs = kb::analysis::similar::duplicates_of(&entries, &names, args.threshold, args.limit);
    let text: HashMap<&str, &str> = entries
        .iter()
        .map(|q| (q.id.as_str(), q.question.as_str()))
        .collect();

    if ctx.json {
        let rows: Vec<kb::ops::report::Pair> = pairs
            .iter()
            .map(|p| kb::ops::report::Pair {
                a: &p.a,
                b: &p.b,
                similarity: p.similarity,
                question_a: text[p.a.as_str()],
                question_b: text[p.b.as_str()],
                why: &p.why,
            })
            .collect();
        crate::render::print_json(&rows)?;
    } else if !pairs.is_empty() {
        let mut table = ctx.out.table(&["Similar", "Question", "Question"]);
        if let Some(col) = table.column_mut(0) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
        for p in &pairs {
            table.add_row(vec![
                Cell::new(format!("{:.2}", p.similarity)),
                Cell::new(format!("{}\n{}", ctx.out.accent(&p.a), text[p.a.as_str()])),
                Cell::new(format!("{}\n{}", ctx.out.accent(&p.b), text[p.b.as_str()])),
            ]);
            if !p.why.is_empty() {
                table.add_row(vec![
                    Cell::new(""),
                    Cell::new(ctx.out.dim(&p.why)),
                    Cell::new(""),
                ]);
            }
        }
        println!("{table}");
        eprintln!("Fold a pair with: kb merge KEEP OTHER");
    }
    if pairs.is_empty() {
        eprintln!("No likely duplicates (threshold {:.2}).", args.threshold);
        return Ok(Exit::Failed);
    }
    Ok(Exit::Done)
}
