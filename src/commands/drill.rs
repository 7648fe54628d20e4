//! `kb drill`: practise answers, scheduled with FSRS.

use crate::exit::Exit;
use std::collections::HashMap;

use crate::Ctx;
use crate::cli::DrillArgs;
use crate::commands::{project_arg, summary_matches, tag_args};
use kb::Question;
use kb::index::Summary;
use kb::review::{Grade, Memory, Review};

pub fn run(ctx: &Ctx, args: DrillArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    let project = args.project.as_deref().map(project_arg).transpose()?;
    let kb = ctx.open_kb()?;
    // Chosen from the search index's columns; only the drilled questions' files are read.
    let company = args.company.as_deref().map(str::to_lowercase);
    let pool = crate::commands::summaries_where(ctx, &kb, |q| {
        summary_matches(q, &tags, project.as_deref())
            && company.as_deref().is_none_or(|c| q.asked_at(c))
    })?;
    let (history, problems) = kb::review::load(&kb)?;
    ctx.out.warn_skipped(&problems);
    let memory = kb::review::schedule(&history);
    let now = kb::time::now();

    let pool: Vec<&Summary> = pool.iter().collect();
    let queue = order(&pool, &memory, now, args.due);
    let queue: Vec<Question> = queue
        .into_iter()
        .take(args.limit)
        .filter_map(|q| kb.load(&q.id).ok())
        .collect();
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

    let out = &ctx.out;
    let mut done: Vec<Review> = Vec::new();
    'questions: for (i, q) in queue.iter().enumerate() {
        let state = match memory.get(&q.id) {
            None => "new".to_string(),
            Some(m) if m.due <= now => format!("due, recall {:.0}%", m.recall_now(now) * 100.0),
            Some(m) => format!("last {}", m.last_grade.name()),
        };
        eprintln!(
            "\n{} {} · {}{}",
            out.dim(&format!("[{}/{}]", i + 1, queue.len())),
            out.accent(&q.id),
            state,
            if q.tags.is_empty() {
                String::new()
            } else {
                format!(" · {}", q.tags.join(", "))
            }
        );
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
            eprintln!(
                "{}",
                out.dim(&format!(
                    "(no answer yet — write one with kb edit {})",
                    q.id
                ))
            );
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
                        break;
                    }
                    None => eprintln!("Answer 1, 2, 3 or 4."),
                },
            }
        }
    }

    let mut commit = None;
    if !done.is_empty() {
        let mut tx = ctx.begin(&kb)?;
        let (rel, text) = kb::review::appended(&kb, &done)?;
        tx.write(rel, Some(text));
        let count = |g: Grade| done.iter().filter(|r| r.grade == g).count();
        let message = format!(
            "drill: {} review{} (again {}, hard {}, good {}, easy {})",
            done.len(),
            if done.len() == 1 { "" } else { "s" },
            count(Grade::Again),
            count(Grade::Hard),
            count(Grade::Good),
            count(Grade::Easy)
        );
        commit = tx.commit(&message)?.commit;
    }
    let mut all = history;
    all.extend(done.iter().cloned());
    let after = kb::review::schedule(&all);
    let next: Vec<(String, String)> = done
        .iter()
        .map(|r| {
            (
                r.question.clone(),
                after
                    .get(&r.question)
                    .map(|m| kb::time::format(m.due))
                    .unwrap_or_default(),
            )
        })
        .collect();
    if ctx.json {
        crate::render::print_json(&serde_json::json!({
            "reviews": done.iter().map(|r| serde_json::json!({"question": r.question, "grade": r.grade})).collect::<Vec<_>>(),
            "next": next.iter().map(|(q, d)| serde_json::json!({"question": q, "due": d})).collect::<Vec<_>>(),
            "commit": commit.map(|c| c.to_string()),
        }))?;
    } else if !done.is_empty() {
        eprintln!(
            "\nReviewed {} question{}. Next reviews:",
            done.len(),
            if done.len() == 1 { "" } else { "s" }
        );
        for (q, d) in &next {
            eprintln!("  {q}  {}", d.get(..10).unwrap_or(d));
        }
    }
    Ok(Exit::Done)
}

/// The drill order: due (least likely recalled first), then weak, then never drilled (most
/// asked first), then the rest by due date (unless only due ones are wanted).
fn order<'a>(
    pool: &[&'a Summary],
    memory: &HashMap<String, Memory>,
    now: jiff::Timestamp,
    only_due: bool,
) -> Vec<&'a Summary> {
    let mut due: Vec<(&Summary, f64)> = Vec::new();
    let mut weak: Vec<(&Summary, f64)> = Vec::new();
    let mut new: Vec<&Summary> = Vec::new();
    let mut rest: Vec<(&Summary, jiff::Timestamp)> = Vec::new();
    for &q in pool {
        match memory.get(&q.id) {
            Some(m) if m.due <= now => due.push((q, m.recall_now(now))),
            Some(m) if m.weak(now) => weak.push((q, m.recall_now(now))),
            Some(m) => rest.push((q, m.due)),
            None => new.push(q),
        }
    }
    due.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then_with(|| b.0.asked_count.cmp(&a.0.asked_count))
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    if only_due {
        return due.into_iter().map(|(q, _)| q).collect();
    }
    weak.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)));
    new.sort_by(|a, b| {
        b.asked_count
            .cmp(&a.asked_count)
            .then(b.answered.cmp(&a.answered))
            .then(a.id.cmp(&b.id))
    });
    rest.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)));
    due.into_iter()
        .map(|(q, _)| q)
        .chain(weak.into_iter().map(|(q, _)| q))
        .chain(new)
        .chain(rest.into_iter().map(|(q, _)| q))
        .collect()
}
