//! `kb drill`: practise answers, scheduled with FSRS (the order and the record are
//! `kb::ops::drill`'s; the asking is here).

use std::collections::HashMap;

use crate::Ctx;
use crate::cli::DrillArgs;
use crate::exit::Exit;
use kb::Question;
use kb::ops::drill::Written;
use kb::review::{Grade, Memory, Review};

pub fn run(ctx: &Ctx, args: DrillArgs) -> anyhow::Result<Exit> {
    let filter = crate::commands::scope_filter(&args.scope)?;
    let kb = ctx.open_kb()?;
    if let Some(file) = &args.import {
        return import(ctx, &kb, file);
    }
    let index = crate::commands::open_index(ctx, &kb)?;
    let filter = crate::commands::check_scope(&kb, &index, &filter)?;
    let (history, problems) = kb::review::load(&kb)?;
    ctx.out.warn_skipped(&problems);
    // Grades an interrupted drill kept are recorded first, in their own commit.
    let kept = record_interrupted(ctx, &kb)?;
    let history: Vec<Review> = history.into_iter().chain(kept).collect();
    let memory = kb::review::schedule(&history);
    let now = kb::time::now();
    let queue = match &args.until {
        // Today's part of the plan to the interview, in the plan's order.
        Some(until) => {
            use anyhow::Context as _;
            let date = kb::time::parse_date(until)
                .with_context(|| format!("--until: {}", kb::time::date_problem(until)))?;
            let plan = kb::ops::plan::for_bank(&index, &filter, &memory, now, date, args.per_day)?;
            let today = plan.days.first().map(|d| d.questions.clone());
            if today.as_ref().is_none_or(Vec::is_empty) {
                eprintln!(
                    "Today's part of the plan to {} is done ({} reviewed today). Tomorrow's: kb \
                     plan --until {}",
                    plan.until, plan.done_today, plan.until
                );
                return Ok(Exit::Done);
            }
            eprintln!(
                "{}",
                ctx.out.dim(&format!(
                    "Today's part of the plan to {}: {} (kb plan --until {} shows every day).",
                    plan.until,
                    crate::render::plural(today.as_ref().map_or(0, Vec::len), "question"),
                    plan.until
                ))
            );
            today
                .unwrap_or_default()
                .iter()
                .filter_map(|id| kb.load(id).ok())
                .collect()
        }
        None => kb::ops::drill::queue(&kb, &index, &filter, &memory, now, args.due, args.limit)?,
    };
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
            "Interrupted. The grades given so far are kept (.git/kb/drill.tsv), and any answer \
             typed (.git/kb/drill-answers.json); the next `kb drill` records them.",
        );
        ask(ctx, &kb, &queue, &memory, now)?
    };
    let (done, written) = done;
    let commit = match done.is_empty() && written.is_empty() {
        true => None,
        false => {
            let (commit, not_saved) =
                kb::ops::drill::record_with_answers(&mut ctx.begin(&kb)?, &done, &written)?;
            forget_answers_unless(ctx, &kb, &written, &not_saved)?;
            commit
        }
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

/// What an interrupted drill or mock kept (grades, typed answers) recorded in its own commit;
/// returns the grades, which count in the schedule from now on.
pub fn record_interrupted(ctx: &Ctx, kb: &kb::Kb) -> anyhow::Result<Vec<Review>> {
    let kept = kb::ops::drill::kept_grades(kb);
    let kept_answers = kb::ops::drill::kept_answers(kb);
    if kept.is_empty() && kept_answers.is_empty() {
        return Ok(kept);
    }
    let (_, not_saved) =
        kb::ops::drill::record_with_answers(&mut ctx.begin(kb)?, &kept, &kept_answers)?;
    kb::ops::drill::forget_grades(kb)?;
    if !kept.is_empty() {
        eprintln!(
            "Recorded {} from a drill or mock that was interrupted.",
            crate::render::plural(kept.len(), "grade")
        );
    }
    let saved = kept_answers.len() - not_saved.len();
    if saved > 0 {
        eprintln!(
            "Wrote {} typed in a drill that was interrupted.",
            crate::render::plural(saved, "answer")
        );
    }
    forget_answers_unless(ctx, kb, &kept_answers, &not_saved)?;
    Ok(kept)
}

/// Forget the kept answers, unless some could not be written (their question has an answer by
/// now): those stay kept, and the person is told where.
fn forget_answers_unless(
    ctx: &Ctx,
    kb: &kb::Kb,
    written: &[Written],
    not_saved: &[String],
) -> anyhow::Result<()> {
    if not_saved.is_empty() {
        kb::ops::drill::forget_answers(kb)?;
        return Ok(());
    }
    let left: Vec<Written> = written
        .iter()
        .filter(|w| not_saved.contains(&w.question))
        .cloned()
        .collect();
    kb::ops::drill::keep_answers(kb, &left)?;
    eprintln!(
        "{} {} already had an answer, so what you typed for {} was not written; it is kept in \
         {}.",
        ctx.out.warning_label(),
        not_saved.join(", "),
        if not_saved.len() == 1 { "it" } else { "them" },
        kb.state().drill_answers().display()
    );
    Ok(())
}

/// Read an answer typed line by line (an empty line ends it), keeping it as it grows; `None`
/// at the end of input.
fn type_answer(kb: &kb::Kb, id: &str, written: &mut Vec<Written>) -> anyhow::Result<Option<()>> {
    let mut lines: Vec<String> = Vec::new();
    loop {
        let Some(line) = crate::editor::ask("  > ") else {
            return Ok(None);
        };
        if line.trim().is_empty() {
            return Ok(Some(()));
        }
        lines.push(line.trim_end().to_string());
        let answer = lines.join("\n");
        match written.iter_mut().find(|w| w.question == id) {
            Some(w) => w.answer = answer,
            None => written.push(Written {
                question: id.to_string(),
                answer,
            }),
        }
        kb::ops::drill::keep_answers(kb, written)?;
    }
}

/// Show each question, then its answer, and take a grade (or, for a question with no answer
/// yet, take an answer instead); stops at `q` or the end of input.
fn ask(
    ctx: &Ctx,
    kb: &kb::Kb,
    queue: &[Question],
    memory: &HashMap<String, Memory>,
    now: jiff::Timestamp,
) -> anyhow::Result<(Vec<Review>, Vec<Written>)> {
    let out = &ctx.out;
    let mut done: Vec<Review> = Vec::new();
    let mut written: Vec<Written> = Vec::new();
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
            // Nothing to grade against: the moment to write the answer instead.
            eprintln!(
                "{}",
                out.dim(
                    "No answer yet. Type it now, line by line; an empty line ends it (Enter \
                     alone skips). It is saved in this drill's commit."
                )
            );
            if type_answer(kb, &q.id, &mut written)?.is_none() {
                break 'questions;
            }
            continue 'questions;
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
    Ok((done, written))
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
