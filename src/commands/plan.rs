//! `kb plan --until DATE`: the day-by-day load to an interview (the plan is `kb::ops::plan`'s).

use anyhow::Context as _;
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::PlanArgs;
use crate::exit::Exit;
use kb::ops::drill::Filter;

/// The plan for these arguments: the filter, the history's schedule, the date.
pub fn make(
    ctx: &Ctx,
    kb: &kb::Kb,
    filter: &Filter,
    until: &str,
    per_day: usize,
) -> anyhow::Result<kb::ops::plan::Plan> {
    let date = kb::time::parse_date(until)
        .with_context(|| format!("--until: {}", kb::time::date_problem(until)))?;
    let index = crate::commands::open_index(ctx, kb)?;
    let filter = &crate::commands::check_scope(kb, &index, filter)?;
    let (history, problems) = kb::review::load(kb)?;
    ctx.out.warn_skipped(&problems);
    let history: Vec<_> = history
        .into_iter()
        .chain(kb::ops::drill::kept_grades(kb))
        .collect();
    let memory = kb::review::schedule(&history);
    Ok(kb::ops::plan::for_bank(
        &index,
        filter,
        &memory,
        kb::time::now(),
        date,
        per_day,
    )?)
}

pub fn run(ctx: &Ctx, args: PlanArgs) -> anyhow::Result<Exit> {
    let filter = crate::commands::scope_filter(&args.scope)?;
    let kb = ctx.open_kb()?;
    let plan = make(ctx, &kb, &filter, &args.until, args.per_day)?;
    if ctx.json {
        crate::render::print_json(&plan)?;
        return Ok(Exit::Done);
    }
    let questions: usize = plan
        .days
        .iter()
        .flat_map(|d| &d.questions)
        .collect::<std::collections::HashSet<_>>()
        .len()
        .max(plan.done_today);
    if questions == 0 {
        eprintln!("No questions in scope.");
        return Ok(Exit::Failed);
    }
    println!(
        "Plan to {}: {} over {}, up to {} a day.",
        plan.until,
        crate::render::plural(questions, "question"),
        crate::render::plural(plan.days.len(), "day"),
        plan.per_day
    );
    if let Some(asked) = plan.raised_from {
        eprintln!(
            "{} {asked} a day would leave questions unreviewed before the day: planned {} a day.",
            ctx.out.warning_label(),
            plan.per_day
        );
    }
    if plan.done_today > 0 {
        println!(
            "Reviewed today already: {} (counted in today's {}).",
            plan.done_today, plan.per_day
        );
    }
    let mut table = ctx.out.table(&["Date", "Reviews", "New", "First up"]);
    for d in &plan.days {
        let first: Vec<&str> = d.questions.iter().take(3).map(String::as_str).collect();
        let more = d.questions.len().saturating_sub(3);
        table.add_row(vec![
            Cell::new(&d.date),
            Cell::new(d.questions.len()),
            Cell::new(d.new),
            Cell::new(match more {
                0 => first.join(", "),
                n => format!("{} +{n}", first.join(", ")),
            }),
        ]);
    }
    println!("{table}");
    println!(
        "Predicted recall on the day: {:.0}% with the plan, {:.0}% without.",
        plan.recall_with_plan * 100.0,
        plan.recall_without * 100.0
    );
    eprintln!(
        "Today's part: kb drill --until {}{}",
        plan.until,
        match args.per_day {
            20 => String::new(),
            n => format!(" --per-day {n}"),
        }
    );
    Ok(Exit::Done)
}
