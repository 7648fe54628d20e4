//! `kb interview add | list | show`

mod add;
mod confirm;
mod intake;
mod start;
mod text;

use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{InterviewCommand, InterviewShowArgs};
use crate::exit::Exit;

pub fn run(ctx: &Ctx, command: InterviewCommand) -> anyhow::Result<Exit> {
    match command {
        InterviewCommand::Add(args) => add::add(ctx, *args),
        InterviewCommand::List => list(ctx),
        InterviewCommand::Show(args) => show(ctx, args),
    }
}

fn list(ctx: &Ctx) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let (interviews, problems) = kb::ops::interview::list(&kb)?;
    ctx.out.warn_skipped(&problems);
    if ctx.json {
        crate::render::print_json(&interviews)?;
        return Ok(Exit::Done);
    }
    if interviews.is_empty() {
        eprintln!("No interviews yet: kb interview add --company NAME");
        return Ok(Exit::Failed);
    }
    let mut table = ctx
        .out
        .table(&["ID", "Date", "Company", "Round", "Outcome"]);
    for iv in &interviews {
        table.add_row(vec![
            Cell::new(&iv.id),
            Cell::new(iv.date.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(&iv.company),
            Cell::new(iv.round.as_deref().unwrap_or("")),
            Cell::new(iv.outcome.as_deref().unwrap_or("")),
        ]);
    }
    println!("{table}");
    Ok(Exit::Done)
}

fn show(ctx: &Ctx, args: InterviewShowArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let id = kb.resolve_interview(&args.id)?;
    let (index, _) = kb::index::SearchIndex::open(&kb, &crate::render::Bar::new())?;
    let shown = kb::ops::interview::show(&kb, &index, &id)?;
    if ctx.json {
        crate::render::print_json(&shown)?;
        return Ok(Exit::Done);
    }
    let iv = &shown.interview;
    println!("{}  {}", ctx.out.accent(&iv.id), ctx.out.bold(&iv.label()));
    for (k, v) in [("position", &iv.position), ("outcome", &iv.outcome)] {
        if let Some(v) = v {
            println!("{k}: {v}");
        }
    }
    if !iv.notes.is_empty() {
        println!("\n{}", iv.notes.trim_end());
    }
    println!();
    let mut table = ctx.out.table(&["ID", "Question", "Asked", "Answer"]);
    for q in &shown.questions {
        table.add_row(vec![
            Cell::new(&q.id),
            Cell::new(&q.question),
            Cell::new(format!("{}×", q.asked.len())),
            Cell::new(if q.is_answered() { "✓" } else { "—" }),
        ]);
    }
    println!("{table}");
    Ok(Exit::Done)
}
