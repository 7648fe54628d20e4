//! `kb drill`: practise answers, scheduled with FSRS (the order and the record are
//! `kb::ops::drill`'s; the asking is here).

use std::collections::HashMap;

use crate::Ctx;
use crate::cli::DrillArgs;
use crate::commands::{project_arg, tag_args};
use crate::exit::Exit;
use kb::Question;
use kb::ops::drill::Filter;
use kb::review::{Grade, Memory, Review};

pub fn run(ctx: &Ctx, args: DrillArgs) -> anyhow::Result<Exit> {
    let filter = Filter {
        tags: tag_args(&args.tags)?,
        project: args.project.as_deref().map(project_arg).transpose()?,
        company: args.company.clone(),
    };
    let kb = ctx.open_kb()?;
    if let Some(file) = &args.import {
        return import(ctx, &kb, file);
    }
    let index = crate::commands::open_index(ctx, &kb)?;
    let (history, problems) = kb::review::load(&kb)?;
    ctx.out.warn_skipped(&problems);
    // Grades an interrupted drill kept are recorded first, in their own commit.
    let kept = kb::ops::drill::kept_grades(&kb);
    if !kept.is_empty() {
        kb::ops::drill::record(&mut ctx.begin(&kb)?, &kept)?;
        kb::ops::drill::forget_grades(&kb)?;
        eprintln!(
            "Recorded {} from a drill that was interrupted.",
            crate::render::plural(kept.len(), "grade")
        );
    }
    let history: Vec<Review> = history.into_iter().chain(kept).collect();
    let memory = kb::review::schedule(&history);
    let now = kb::time::now();
    let queue = kb::ops::drill::queue(&kb, &index, &filter, &memory, now, args.due, args.limit)?;
    if queue.is_empty() {
        eprintln!(
            "{}",
            if args.due {
                "Nothing is due. Come back later, or drill without --due."
            } else {
                "No questions to drill."
            }
        );
        return Ok(Exit::Failed);
    }
    let done = {
        let _guard = crate::interrupt::Guard::new(
            "Interrupted. The grades given so far are kept (.git/kb/drill.tsv); the next \
             `kb drill` records them.",
        );
        ask(ctx, &kb, &queue, &memory, now)?
    };
    let commit = match done.is_empty() {
        true => None,
        false => kb::ops::drill::record(&mut ctx.begin(&kb)?, &done)?,
    };
    kb::ops::drill::forget_grades(&kb)?;
    let session = kb::ops::drill::session(history, &done, commit);
    if ctx.json {
        crate::render::print_json(&session)?;
    } else if !done.is_empty() {
        eprintln!(
            "\nReviewed {} question{}. Next reviews:",
            done.len(),
            if done.len() == 1 { "" } else { "s" }
        );
        for n in &session.next {
            eprintln!("  {}  {}", n.question, n.due.get(..10).unwrap_or(&n.due));
        }
    }
    Ok(Exit::Done)
}

/// Show each question, then its answer, and take a grade; stops at `q` or the end of input.
fn ask(
    ctx: &Ctx,
    kb: &kb::Kb,
    queue: &[Question],
    memory: &HashMap<String, Memory>,
    now: jiff::Timestamp,
) -> anyhow::Result<Vec<Review>> {
    let out = &ctx.out;
    let mut done: Vec<Review> = Vec::new();
    'questions: for (i, q) in queue.iter().enumerate() {
        let state = match memory.get(&q.id) {
            None => "new".to_string(),
            Some(m) if m.due <= now => format!("due, recall {:.0}%", m.recall_now(now) * 100.0),
            Some(m) => format!("last {}", m.last_grade.name()),
        };
        let tags = match q.tags.is_empty() {
            true => String::new(),
            false => format!(" · {}", q.tags.join(", ")),
        };
        let position = out.dim(&format!("[{}/{}]", i + 1, queue.len()));
        eprintln!("\n{position} {} · {state}{tags}", out.accent(&q.id));
        eprintln!("{}", out.bold(&q.question));
        match crate::editor::ask(&out.dim("(Enter: show the answer · s: skip · q: quit) ")) {
            None => break,
            Some(line) => match line.trim() {
                "q" | "quit" => break,
                "s" | "skip" => continue,
                _ => {}
            },
        }
        if q.is_answered() {
            eprintln!("{}", q.answer.trim_end());
        } else {
            let hint = format!("(no answer yet — write one with kb edit {})", q.id);
            eprintln!("{}", out.dim(&hint));
        }
        loop {
            let Some(line) = crate::editor::ask(
                "How well did you know it? 1 again · 2 hard · 3 good · 4 easy (s skip, q quit): ",
            ) else {
                break 'questions;
            };
            match line.trim() {
                "q" | "quit" => break 'questions,
                "s" | "skip" => continue 'questions,
                other => match Grade::parse(other) {
                    Some(grade) => {
                        done.push(Review {
                            time: kb::time::now(),
                            question: q.id.clone(),
                            grade,
                        });
                        kb::ops::drill::keep_grades(kb, &done)?;
                        break;
                    }
                    None => eprintln!("Answer 1, 2, 3 or 4."),
                },
            }
        }
    }
    Ok(done)
}

/// `kb drill --import FILE`: another device's grades, recorded as its own log.
fn import(ctx: &Ctx, kb: &kb::Kb, file: &std::path::Path) -> anyhow::Result<Exit> {
    use anyhow::Context as _;
    let text = kb::store::read_file_limited(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let done = kb::ops::drill::import(&mut ctx.begin(kb)?, &text)?;
    if done.added + done.already + done.unknown.len() == 0 && done.unreadable > 0 {
        anyhow::bail!(
            "{} is not a review log: none of its {} lines is `time<TAB>question<TAB>grade` \
             (the file the page's Drill › Save the log button writes); nothing was recorded",
            file.display(),
            done.unreadable
        );
    }
    if ctx.json {
        crate::render::print_json(&done)?;
        return Ok(Exit::Done);
    }
    match (done.added, done.already) {
        (0, 0) => eprintln!("Nothing recorded."),
        (0, n) => eprintln!(
            "Nothing new: {} already recorded in {}.",
            if n == 1 {
                "the 1 grade was".to_string()
            } else {
                format!("all {n} grades were")
            },
            done.log
        ),
        (added, 0) => eprintln!(
            "Recorded {} in {}.",
            crate::render::plural(added, "grade"),
            done.log
        ),
        (added, n) => eprintln!(
            "Recorded {} in {} ({} already there).",
            crate::render::plural(added, "grade"),
            done.log,
            n
        ),
    }
    if !done.unknown.is_empty() {
        eprintln!(
            "{} left out {} for questions this bank does not have: {}",
            ctx.out.warning_label(),
            crate::render::plural(done.unknown.len(), "grade"),
            done.unknown
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if done.unreadable > 0 {
        eprintln!(
            "{} {} not a review (time<TAB>question<TAB>grade): left out.",
            ctx.out.warning_label(),
            match done.unreadable {
                1 => "1 line was".to_string(),
                n => format!("{n} lines were"),
            }
        );
    }
    Ok(Exit::Done)
}
