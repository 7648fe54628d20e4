//! `kb mock`: a timed mock interview (the order, key terms, summary and commit are
//! `kb::ops::mock`'s; the asking and the clock are here).
//!
//! The protocol, one plain line at a time (so it runs over ssh and from a script):
//! - the question is shown and the clock starts;
//! - Enter on an empty line: answered aloud, the clock stops;
//! - any other text: a typed answer (or its key points), line by line until an empty line
//!   (or the end of input); the clock stops at the empty line;
//! - `s` skips the question, `q` ends the mock (both alone on the first line);
//! - a prepared answer is then shown (with the key terms a typed answer left out) and graded
//!   1–4 as in `kb drill`; a question with no prepared answer is offered for writing instead.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::Ctx;
use crate::cli::MockArgs;
use crate::exit::Exit;
use crate::interrupt::Guard;
use kb::Question;
use kb::analysis::glossary::Glossary;
use kb::drafts::Draft;
use kb::ops::mock::{Part, Plan, Planned, Spoken, Turn, terms};
use kb::review::{Grade, Review};

pub fn run(ctx: &Ctx, args: MockArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    let index = crate::commands::open_index(ctx, &kb)?;
    let known = crate::commands::known::Known::of(&kb, &index);
    let project = match &args.project {
        None => None,
        Some(p) => Some(known.project(&kb, p)?),
    };
    let plan = Plan {
        project,
        company: args
            .company
            .as_deref()
            .map(|c| known.company_to_meet(c, ctx.json))
            .transpose()?,
        limit: args.limit,
    };
    let (history, problems) = kb::review::load(&kb)?;
    ctx.out.warn_skipped(&problems);
    let kept = crate::commands::drill::record_interrupted(ctx, &kb)?;
    for d in kb::ops::mock::kept_answers(&kb)? {
        let id = d.meta.subject.clone().unwrap_or_default();
        eprintln!(
            "Note: the answer you typed for {id} in an interrupted mock is kept; `kb edit {id} \
             --resume` saves it."
        );
    }
    let history: Vec<Review> = history.into_iter().chain(kept).collect();
    let memory = kb::review::schedule(&history);
    let planned = kb::ops::mock::plan(&kb, &index, &plan, &memory, kb::time::now())?;
    if planned.is_empty() {
        eprintln!("No questions for a mock interview: add some with `kb add`.");
        return Ok(Exit::Failed);
    }
    if let Some(p) = &plan.project
        && !planned.iter().any(|q| q.part != Part::Fundamentals)
    {
        eprintln!(
            "{} no questions of project {p} (`kb project list` shows the projects); \
             fundamentals only.",
            ctx.out.warning_label()
        );
    }
    let (glossary, problems) = Glossary::load(kb.root());
    ctx.out.warn_skipped(&problems);
    introduce(ctx, &plan, &planned, args.minutes);

    let mut mock = Mock {
        ctx,
        kb: &kb,
        index: &index,
        glossary: &glossary,
        target: args.target_seconds,
        company: plan.company.clone(),
        guard: None,
        turns: Vec::new(),
        done: Vec::new(),
        answers: Vec::new(),
    };
    let started = Instant::now();
    let deadline = args
        .minutes
        .map(|m| started + Duration::from_secs_f64(m * 60.0));
    mock.warn_on_interrupt(None);
    let (not_reached, time_up) = mock.ask_all(planned, deadline)?;
    let seconds = started.elapsed().as_secs_f64();
    // Ctrl-C from here on is the default: the commit below is journaled (see kb::tx).
    drop(mock.guard.take());
    let Mock {
        turns,
        done,
        answers,
        ..
    } = mock;

    let asked = turns.iter().filter(|t| t.answer != Spoken::Skipped).count();
    let to_save: Vec<(Question, String)> = answers
        .iter()
        .map(|(q, text, _)| (q.clone(), text.clone()))
        .collect();
    let recorded = match done.is_empty() && to_save.is_empty() {
        true => kb::ops::mock::Recorded::default(),
        false => kb::ops::mock::record(&mut ctx.begin(&kb)?, asked, &done, &to_save)?,
    };
    kb::ops::drill::forget_grades(&kb)?;
    let mut turns = turns;
    for (q, _, draft) in answers {
        if recorded.not_saved.contains(&q.id) {
            eprintln!(
                "{} {} got an answer meanwhile (another kb, a sync): yours was not saved over \
                 it; it is kept, `kb edit {} --resume` shows it.",
                ctx.out.warning_label(),
                q.id,
                q.id
            );
            for t in turns.iter_mut().filter(|t| t.question == q.id) {
                t.answer_written = false;
            }
        } else {
            draft.discard()?;
        }
    }
    let report = kb::ops::mock::report(
        &plan,
        turns,
        not_reached,
        time_up,
        seconds,
        history,
        &done,
        recorded.commit,
    );
    if ctx.json {
        crate::render::print_json(&report)?;
    } else {
        summary(ctx, &report);
    }
    Ok(Exit::Done)
}

fn introduce(ctx: &Ctx, plan: &Plan, planned: &[Planned], minutes: Option<f64>) {
    let count = |p: Part| planned.iter().filter(|q| q.part == p).count();
    let mut about: Vec<String> = Vec::new();
    if let Some(c) = &plan.company {
        about.push(c.clone());
    }
    if let Some(p) = &plan.project {
        about.push(p.clone());
    }
    if let Some(m) = minutes {
        about.push(format!("{} min", fmt_minutes(m)));
    }
    let about = match about.is_empty() {
        true => String::new(),
        false => format!(" · {}", about.join(" · ")),
    };
    let parts: Vec<String> = [Part::Common, Part::Technical, Part::Fundamentals]
        .into_iter()
        .filter(|p| count(*p) > 0)
        .map(|p| format!("{} {}", count(p), p.name()))
        .collect();
    eprintln!(
        "{} {} ({}){about}",
        ctx.out.bold("Mock interview:"),
        crate::render::plural(planned.len(), "question"),
        parts.join(", "),
    );
    eprintln!(
        "{}",
        ctx.out.dim(
            "Answer aloud and press Enter to stop the clock, or type your answer (key points are \
             enough) and end it with an empty line. s skips, q ends the mock; Ctrl-C keeps the \
             grades given."
        )
    );
}

fn fmt_minutes(m: f64) -> String {
    if m.fract() == 0.0 {
        format!("{m:.0}")
    } else {
        format!("{m}")
    }
}

/// `1:05`.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// What to do after a question.
enum Then {
    Next,
    Stop,
}

struct Mock<'a> {
    ctx: &'a Ctx,
    kb: &'a kb::Kb,
    index: &'a kb::index::SearchIndex,
    glossary: &'a Glossary,
    target: Option<u64>,
    company: Option<String>,
    guard: Option<Guard>,
    turns: Vec<Turn>,
    done: Vec<Review>,
    /// Answers typed for unanswered questions, to save, each kept in its draft meanwhile.
    answers: Vec<(Question, String, Draft)>,
}

impl Mock<'_> {
    /// Say on Ctrl-C what is kept: the grades, and each typed answer (`typing`: the one being
    /// typed now).
    fn warn_on_interrupt(&mut self, typing: Option<&str>) {
        let mut message = match self.done.len() {
            0 => String::from("Interrupted; no grade had been given."),
            n => format!(
                "Interrupted. The {} given so far {} kept (.git/kb/drill.tsv); the next `kb mock` \
                 or `kb drill` records {}.",
                crate::render::plural(n, "grade"),
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
            ),
        };
        let ids = self
            .answers
            .iter()
            .map(|(q, _, _)| q.id.as_str())
            .chain(typing);
        for id in ids {
            message.push_str(&format!(
                "\nYour answer to {id} is kept: `kb edit {id} --resume` saves it."
            ));
        }
        let new = Guard::new(&message);
        // The old guard's drop would put the default handler back: the new one is installed.
        if let Some(old) = self.guard.replace(new) {
            std::mem::forget(old);
        }
    }

    /// Ask the planned questions (and the follow-ups weak answers bring) until they run out,
    /// time is up, `q`, or the end of input. Returns the questions not reached and whether the
    /// time was up.
    fn ask_all(
        &mut self,
        planned: Vec<Planned>,
        deadline: Option<Instant>,
    ) -> anyhow::Result<(Vec<String>, bool)> {
        let mut total = planned.len();
        let mut queue: VecDeque<Planned> = planned.into();
        let mut position = 0;
        let mut time_up = false;
        while let Some(p) = queue.front() {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                eprintln!("\n{}", self.ctx.out.bold("Time is up."));
                time_up = true;
                break;
            }
            if p.follow_up_of.is_none() {
                position += 1;
            }
            let Some(p) = queue.pop_front() else { break };
            let label = match &p.follow_up_of {
                Some(parent) => format!("[follow-up of {parent}]"),
                None => format!("[{position}/{total}]"),
            };
            let then = self.ask(&p, &label)?;
            let asked = self
                .turns
                .last()
                .is_some_and(|t| t.question == p.question.id);
            if !asked {
                // `q` or the end of input before an answer: not reached.
                queue.push_front(p);
                break;
            }
            if self.turns.last().is_some_and(|t| {
                t.question == p.question.id && t.grade.is_some_and(kb::ops::mock::weak)
            }) {
                let asked: Vec<String> = self.turns.iter().map(|t| t.question.clone()).collect();
                let follow = kb::ops::mock::follow_ups_after(self.kb, self.index, &p, &asked);
                for f in follow.into_iter().rev() {
                    let before = queue.len();
                    queue.retain(|q| q.question.id != f.question.id);
                    total -= before - queue.len();
                    queue.push_front(f);
                }
            }
            if let Then::Stop = then {
                break;
            }
        }
        Ok((queue.into_iter().map(|q| q.question.id).collect(), time_up))
    }

    /// Ask one question. A question that was put to the user becomes a turn (even when the
    /// mock ends at its grade prompt); `q` at the answer prompt leaves it unasked.
    fn ask(&mut self, p: &Planned, label: &str) -> anyhow::Result<Then> {
        let out = &self.ctx.out;
        let q = &p.question;
        let target = self.target.unwrap_or_else(|| p.part.target_seconds());
        let prepared = q.is_answered();
        let mut facts = vec![p.part.name().to_string(), out.accent(&q.id)];
        if p.asked_here > 0
            && let Some(c) = &self.company
        {
            facts.push(format!("asked at {c} ×{}", p.asked_here));
        }
        facts.push(format!("target {}", clock(target as f64)));
        if !prepared {
            facts.push("no prepared answer yet".into());
        }
        eprintln!("\n{} {}", out.dim(label), facts.join(" · "));
        eprintln!("{}", out.bold(&q.question));
        let started = Instant::now();
        let Some(first) = crate::editor::ask("> ") else {
            return Ok(Then::Stop);
        };
        let mut turn = Turn {
            question: q.id.clone(),
            text: q.question.clone(),
            part: p.part,
            asked_here: p.asked_here,
            follow_up_of: p.follow_up_of.clone(),
            answer: Spoken::Spoken,
            seconds: 0.0,
            target_seconds: target,
            prepared,
            grade: None,
            key_terms: Vec::new(),
            answer_written: false,
        };
        let mut ended = false;
        let mut draft: Option<Draft> = None;
        let typed = match first.trim() {
            "q" | "quit" => return Ok(Then::Stop),
            "s" | "skip" => {
                turn.answer = Spoken::Skipped;
                turn.seconds = started.elapsed().as_secs_f64();
                self.turns.push(turn);
                return Ok(Then::Next);
            }
            "" => None,
            _ => {
                let (text, eof) = self.read_typed(first, (!prepared).then_some(q), &mut draft)?;
                ended = eof;
                Some(text)
            }
        };
        turn.seconds = started.elapsed().as_secs_f64();
        if typed.is_some() {
            turn.answer = Spoken::Typed;
        }
        let over = turn.seconds - target as f64;
        let timing = match over > 0.0 {
            true => format!("{} over", clock(over)),
            false => "within it".to_string(),
        };
        eprintln!(
            "{}",
            out.dim(&format!(
                "  {} {} (target {}: {timing})",
                clock(turn.seconds),
                if typed.is_some() { "typed" } else { "spoken" },
                clock(target as f64)
            ))
        );
        if !prepared {
            return self.offer_to_save(turn, q, typed, draft, ended);
        }
        eprintln!("{}", out.dim("Prepared answer:"));
        eprintln!("{}", q.answer.trim_end());
        if let Some(text) = &typed {
            let key = terms::key_terms(&q.answer, self.glossary);
            turn.key_terms = terms::check(&key, text, self.glossary);
            self.show_terms(&turn);
        }
        if ended {
            self.turns.push(turn);
            return Ok(Then::Stop);
        }
        loop {
            let Some(line) = crate::editor::ask(
                "How well did you answer? 1 again · 2 hard · 3 good · 4 easy (s skip, q quit): ",
            ) else {
                self.turns.push(turn);
                return Ok(Then::Stop);
            };
            match line.trim() {
                "q" | "quit" => {
                    self.turns.push(turn);
                    return Ok(Then::Stop);
                }
                "s" | "skip" => break,
                other => match Grade::parse(other) {
                    Some(grade) => {
                        turn.grade = Some(grade);
                        self.done.push(Review {
                            time: kb::time::now(),
                            question: q.id.clone(),
                            grade,
                        });
                        kb::ops::drill::keep_grades(self.kb, &self.done)?;
                        self.warn_on_interrupt(None);
                        break;
                    }
                    None => eprintln!("Answer 1, 2, 3 or 4."),
                },
            }
        }
        self.turns.push(turn);
        Ok(Then::Next)
    }

    /// Lines after `first` until an empty line; the text and whether input ended. For an
    /// unanswered question (`keep`), the text is kept in a draft as it comes.
    fn read_typed(
        &mut self,
        first: String,
        keep: Option<&Question>,
        draft: &mut Option<Draft>,
    ) -> anyhow::Result<(String, bool)> {
        let mut text = first.trim_end().to_string();
        let mut eof = false;
        loop {
            if let Some(q) = keep {
                *draft = Some(kb::ops::mock::keep_answer(self.kb, q, &text, draft.take())?);
                self.warn_on_interrupt(Some(&q.id));
            }
            match crate::editor::ask("… ") {
                None => {
                    eof = true;
                    break;
                }
                Some(line) if line.trim().is_empty() => break,
                Some(line) => {
                    text.push('\n');
                    text.push_str(line.trim_end());
                }
            }
        }
        Ok((text, eof))
    }

    /// A question with no prepared answer: save what was typed as its answer, or let one be
    /// typed now, or skip.
    fn offer_to_save(
        &mut self,
        mut turn: Turn,
        q: &Question,
        typed: Option<String>,
        mut draft: Option<Draft>,
        ended: bool,
    ) -> anyhow::Result<Then> {
        let answer = match typed {
            Some(text) => {
                let choice = match ended {
                    true => None,
                    false => loop {
                        match crate::editor::ask(
                            "No prepared answer yet. Save what you typed as its answer? \
                             y save · s skip: ",
                        ) {
                            None => break None,
                            Some(l) => match l.trim().to_lowercase().as_str() {
                                "y" | "yes" | "" | "네" | "ㅇ" => break Some(true),
                                "s" | "skip" | "n" | "no" => break Some(false),
                                _ => eprintln!("y saves it, s skips it."),
                            },
                        }
                    },
                };
                match choice {
                    Some(true) => Some(text),
                    Some(false) => {
                        if let Some(d) = draft.take() {
                            d.discard()?;
                        }
                        self.warn_on_interrupt(None);
                        None
                    }
                    None => {
                        // End of input before a choice: neither saved nor lost.
                        if draft.is_some() {
                            eprintln!(
                                "Your answer to {} is kept: `kb edit {} --resume` saves it.",
                                q.id, q.id
                            );
                        }
                        self.turns.push(turn);
                        return Ok(Then::Stop);
                    }
                }
            }
            None => {
                let Some(first) = crate::editor::ask(
                    "No prepared answer yet. Type one to save it (an empty line ends it), or s \
                     to skip:\n> ",
                ) else {
                    self.turns.push(turn);
                    return Ok(Then::Stop);
                };
                match first.trim() {
                    "" | "s" | "skip" => None,
                    "q" | "quit" => {
                        self.turns.push(turn);
                        return Ok(Then::Stop);
                    }
                    _ => {
                        let (text, eof) = self.read_typed(first, Some(q), &mut draft)?;
                        if eof {
                            // Typed to the end of input: saved (kb stops after this question).
                            turn.answer_written = true;
                            self.keep(q, text, draft)?;
                            self.turns.push(turn);
                            return Ok(Then::Stop);
                        }
                        Some(text)
                    }
                }
            }
        };
        let then = match ended {
            true => Then::Stop,
            false => Then::Next,
        };
        if let Some(text) = answer {
            turn.answer_written = true;
            eprintln!(
                "{}",
                self.ctx.out.dim(&format!(
                    "  Saved as the answer of {} (committed at the end).",
                    q.id
                ))
            );
            self.keep(q, text, draft)?;
        } else {
            eprintln!("{}", self.ctx.out.dim("  Skipped."));
        }
        self.turns.push(turn);
        Ok(then)
    }

    /// Keep `text` to save as `q`'s answer at the end (its draft keeps it until then).
    fn keep(&mut self, q: &Question, text: String, draft: Option<Draft>) -> anyhow::Result<()> {
        let draft = match draft {
            Some(d) => d,
            None => kb::ops::mock::keep_answer(self.kb, q, &text, None)?,
        };
        self.answers.push((q.clone(), text, draft));
        self.warn_on_interrupt(None);
        Ok(())
    }

    /// Which key terms of the prepared answer the typed one has.
    fn show_terms(&self, turn: &Turn) {
        let out = &self.ctx.out;
        let (present, all) = turn.terms_present();
        if all == 0 {
            return;
        }
        let missing: Vec<&str> = turn
            .key_terms
            .iter()
            .filter(|t| !t.present)
            .map(|t| t.term.as_str())
            .collect();
        let mut line = format!("Key terms: {present}/{all}");
        if missing.is_empty() {
            line.push_str(" — none missing");
        } else {
            line.push_str(&format!(" — missing: {}", missing.join(", ")));
        }
        eprintln!("{}", out.bold(&line));
        let equivalents: Vec<String> = turn
            .key_terms
            .iter()
            .filter_map(|t| t.as_typed.as_ref().map(|a| format!("{a} for {}", t.term)))
            .collect();
        if !equivalents.is_empty() {
            eprintln!(
                "{}",
                out.dim(&format!("  counted: {}", equivalents.join(", ")))
            );
        }
    }
}

/// The summary, for a person.
fn summary(ctx: &Ctx, r: &kb::ops::mock::Report) {
    let out = &ctx.out;
    let answered: Vec<&Turn> = r
        .questions
        .iter()
        .filter(|t| t.answer != Spoken::Skipped)
        .collect();
    println!();
    if r.questions.is_empty() {
        println!("No question was answered; nothing was recorded.");
        return;
    }
    println!(
        "{} {} answered in {} (targets {}){}",
        out.bold("Mock interview:"),
        crate::render::plural(answered.len(), "question"),
        clock(r.seconds),
        clock(r.target_seconds as f64),
        if r.time_up { "; time was up" } else { "" }
    );
    let mut table = out.table(&["#", "part", "time", "target", "grade", "question"]);
    for (i, t) in r.questions.iter().enumerate() {
        let time = match t.answer {
            Spoken::Skipped => "skipped".to_string(),
            _ if t.over() > 0.0 => format!("{} +{}", clock(t.seconds), clock(t.over())),
            _ => clock(t.seconds),
        };
        let grade = match (t.grade, t.prepared) {
            (Some(g), _) => g.name().to_string(),
            (None, false) if t.answer_written => "written".to_string(),
            (None, false) => "no answer".to_string(),
            (None, true) => "-".to_string(),
        };
        let mut question = kb::model::truncate_chars(&t.text, 24);
        if t.answer == Spoken::Typed {
            match t.terms_present() {
                (_, 0) => question.push_str(" (typed)"),
                (p, n) => question.push_str(&format!(" (typed, terms {p}/{n})")),
            }
        }
        if let Some(parent) = &t.follow_up_of {
            question.push_str(&format!(" (follow-up of {parent})"));
        }
        table.add_row(vec![
            (i + 1).to_string(),
            t.part.name().to_string(),
            time,
            clock(t.target_seconds as f64),
            grade,
            format!("{}  {question}", t.question),
        ]);
    }
    println!("{table}");
    let find = |id: &String| r.questions.iter().find(|t| &t.question == id);
    if r.slowest.is_empty() {
        println!("Slowest: none over its target.");
    } else {
        let items: Vec<String> = r
            .slowest
            .iter()
            .filter_map(find)
            .map(|t| {
                format!(
                    "{} ({}, {} over)",
                    t.question,
                    clock(t.seconds),
                    clock(t.over())
                )
            })
            .collect();
        println!("Slowest: {}", items.join(", "));
    }
    if r.weakest.is_empty() {
        println!("Weakest: none graded again or hard.");
    } else {
        let items: Vec<String> = r
            .weakest
            .iter()
            .filter_map(find)
            .map(|t| {
                let grade = t.grade.map(Grade::name).unwrap_or("-");
                match t.terms_present() {
                    (_, 0) => format!("{} ({grade})", t.question),
                    (p, n) => format!("{} ({grade}, terms {p}/{n})", t.question),
                }
            })
            .collect();
        println!("Weakest: {}", items.join(", "));
    }
    if !r.unanswered.is_empty() {
        let items: Vec<String> = r
            .unanswered
            .iter()
            .map(|id| match r.answers_written.contains(id) {
                true => format!("{id} (answer saved)"),
                false => format!("{id} (still to write: kb edit {id})"),
            })
            .collect();
        println!("No prepared answer: {}", items.join(", "));
    }
    if !r.not_reached.is_empty() {
        println!(
            "Not reached: {}{}",
            crate::render::plural(r.not_reached.len(), "question"),
            if r.time_up { " (time was up)" } else { "" }
        );
    }
    let grades = r.questions.iter().filter(|t| t.grade.is_some()).count();
    let mut recorded = Vec::new();
    if grades > 0 {
        recorded.push(crate::render::plural(grades, "grade"));
    }
    if !r.answers_written.is_empty() {
        recorded.push(crate::render::plural(r.answers_written.len(), "answer"));
    }
    match &r.commit {
        Some(c) => println!(
            "Recorded {} in {}.",
            recorded.join(" and "),
            &c[..c.len().min(7)]
        ),
        None => println!("Nothing to record."),
    }
}
