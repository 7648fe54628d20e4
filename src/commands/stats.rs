//! `kb stats [--company C] [--since DATE]`: what companies really ask (counted by
//! `kb::ops::stats`).

use anyhow::Context;
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::StatsArgs;
use crate::exit::Exit;
use kb::model::truncate_chars;
use kb::ops::stats::{Counted, Filter, Stats};

pub fn run(ctx: &Ctx, args: StatsArgs) -> anyhow::Result<Exit> {
    let since = match &args.since {
        Some(d) => Some(
            kb::time::parse_date(d)
                .with_context(|| format!("--since: {}", kb::time::date_problem(d)))?,
        ),
        None => None,
    };
    let kb = ctx.open_kb()?;
    let index = crate::commands::open_index(ctx, &kb)?;
    let known = crate::commands::known::Known::of(&kb, &index);
    let filter = Filter {
        company: args
            .company
            .as_deref()
            .map(|c| known.check_company(c))
            .transpose()?,
        since,
    };
    let (interviews, problems) = kb.load_interviews()?;
    ctx.out.warn_skipped(&problems);
    let stats = kb::ops::stats::stats(&index, &interviews, &filter, args.limit)?;
    if ctx.json {
        crate::render::print_json(&stats)?;
    } else {
        print(ctx, &args, &stats);
    }
    Ok(Exit::Done)
}

fn print(ctx: &Ctx, args: &StatsArgs, s: &Stats) {
    print_main(ctx, args, s);
    if !s.resume_lines_unanswered.is_empty() {
        println!(
            "\n{}",
            ctx.out.bold(&format!(
                "Résumé lines with no answered question ({})",
                s.resume_lines_unanswered.len()
            ))
        );
        let mut table = ctx.out.table(&["Project", "Line", "Questions"]);
        for l in s.resume_lines_unanswered.iter().take(args.limit) {
            table.add_row(vec![
                Cell::new(&l.project),
                Cell::new(truncate_chars(&l.line, 60)),
                Cell::new(l.questions),
            ]);
        }
        println!("{table}");
    }
}

fn print_main(ctx: &Ctx, args: &StatsArgs, s: &Stats) {
    let out = &ctx.out;
    let filtered = match (&args.company, &args.since) {
        (None, None) => String::new(),
        (c, since) => format!(
            " ({}{})",
            c.as_deref().map(|c| format!("at {c}")).unwrap_or_default(),
            since
                .as_deref()
                .map(|s| format!(" since {s}"))
                .unwrap_or_default()
        ),
    };
    println!(
        "{} questions ({} answered, {} without an answer) · {} interviews · asked {} times{filtered}",
        s.questions, s.answered, s.unanswered, s.interviews, s.asked
    );
    let heading = |t: &str| println!("\n{}", out.bold(t));
    let times = |c: &Counted| Cell::new(format!("{}×", c.asked));
    if !s.most_asked.is_empty() {
        heading("Most asked");
        let mut table = out.table(&["Asked", "ID", "Question", "Where"]);
        for c in &s.most_asked {
            table.add_row(vec![
                times(c),
                Cell::new(&c.id),
                Cell::new(truncate_chars(&c.question, 60)),
                Cell::new(c.companies.join(", ")),
            ]);
        }
        println!("{table}");
    }
    if !s.companies.is_empty() {
        heading("Per company");
        let mut table = out.table(&["Company", "Interviews", "Asked", "Questions"]);
        for c in s.companies.iter().take(args.limit) {
            table.add_row(vec![
                Cell::new(&c.company),
                Cell::new(c.interviews),
                Cell::new(c.asked),
                Cell::new(c.questions),
            ]);
        }
        println!("{table}");
    }
    if !s.tags.is_empty() {
        heading("Per tag");
        let mut table = out.table(&["Tag", "Questions", "Asked", "No answer"]);
        for t in s.tags.iter().take(args.limit) {
            table.add_row(vec![
                Cell::new(&t.tag),
                Cell::new(t.questions),
                Cell::new(t.asked),
                Cell::new(t.unanswered),
            ]);
        }
        println!("{table}");
    }
    if !s.unanswered_questions.is_empty() {
        heading("Still without an answer (most asked first)");
        let mut table = out.table(&["Asked", "ID", "Question"]);
        for c in &s.unanswered_questions {
            table.add_row(vec![
                times(c),
                Cell::new(&c.id),
                Cell::new(truncate_chars(&c.question, 70)),
            ]);
        }
        println!("{table}");
    }
    if !s.months.is_empty() {
        heading("Over time");
        let widest = s
            .months
            .iter()
            .map(|m| m.interviews)
            .max()
            .unwrap_or(1)
            .max(1);
        let mut table = out.table(&["Month", "Interviews", "Asked", ""]);
        for m in &s.months {
            table.add_row(vec![
                Cell::new(&m.month),
                Cell::new(m.interviews),
                Cell::new(m.asked),
                Cell::new("█".repeat((m.interviews * 20).div_ceil(widest))),
            ]);
        }
        println!("{table}");
    }
}
