//! `kb add "질문" [--answer TEXT | --answer-file F | -] [--tag T]... [--project P]`

use crate::exit::Exit;
use std::io::IsTerminal;

use anyhow::{Context, bail};

use crate::Ctx;
use crate::cli::AddArgs;
use crate::commands::dedupe::{Deduper, Which, ask_which, show_candidates};
use crate::commands::{project_arg, tag_args};
use kb::drafts::{Draft, Kind};
use kb::ops::interview::Decision;

/// The options of `kb add` kept with an editor draft, so `--resume` can go on.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Kept {
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    asked_at: Option<String>,
}

pub fn run(ctx: &Ctx, args: AddArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    let mut kept = Kept {
        tags: args.tags.clone(),
        project: args.project.clone(),
        id: args.id.clone(),
        asked_at: args.asked_at.clone(),
    };
    let mut draft = None;
    if args.resume {
        let Some(d) = Draft::latest(&kb, Kind::Add, None)? else {
            bail!(
                "there is no unfinished question to go on with (they are kept in {})",
                kb::drafts::dir(&kb).display()
            );
        };
        let before: Kept = serde_json::from_value(d.meta.options.clone()).unwrap_or_default();
        if kept.tags.is_empty() {
            kept.tags = before.tags;
        }
        kept.project = kept.project.or(before.project);
        kept.id = kept.id.or(before.id);
        kept.asked_at = kept.asked_at.or(before.asked_at);
        eprintln!("Going on with the question kept in {}.", d.path.display());
        draft = Some(d);
    }
    let mut tags = tag_args(&kept.tags)?;
    kb::model::normalise_tags(&mut tags);
    let project = kept.project.as_deref().map(project_arg).transpose()?;
    let interview = match &kept.asked_at {
        Some(i) => Some(kb.load_interview(&kb.resolve_interview(i)?)?),
        None => None,
    };
    let id = match &kept.id {
        Some(id) => {
            let id = id.trim().to_string();
            kb::id::validate(&id)?;
            if kb.question_path(&id)?.exists() {
                bail!("a question with id {id} already exists (kb show {id})");
            }
            id
        }
        None => kb.new_id(),
    };

    let (text, answer) = match (args.question.clone(), draft.is_some()) {
        (Some(text), false) => {
            let answer = match (&args.answer, &args.answer_file, &args.stdin) {
                (Some(a), _, _) => a.clone(),
                (_, Some(f), _) if f.as_os_str() == "-" => read_stdin()?,
                (_, Some(f), _) => {
                    let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
                    if size > kb::store::MAX_FILE_BYTES {
                        bail!(
                            "{}: {:.1} MB is too large for an answer (at most {} MB)",
                            f.display(),
                            size as f64 / 1_048_576.0,
                            kb::store::MAX_FILE_BYTES / 1_048_576
                        );
                    }
                    kb::store::read_file_limited(f).with_context(|| {
                        format!("could not read the answer from {}", f.display())
                    })?
                }
                (_, _, Some(_)) => read_stdin()?,
                _ => String::new(),
            };
            (text, answer)
        }
        _ => {
            if draft.is_none() {
                notice_unfinished(&kb)?;
                let template = kb::draft::template(&tags, project.as_deref());
                draft = Some(Draft::create(
                    &kb,
                    Kind::Add,
                    None,
                    &template,
                    "md",
                    serde_json::to_value(&kept)?,
                )?);
            }
            let d = draft.as_ref().expect("created above");
            crate::editor::edit(&d.path)?;
            let typed = d.text()?;
            match kb::draft::parse(&typed) {
                Some(parsed) => parsed,
                None => {
                    if typed == kb::draft::template(&tags, project.as_deref()) {
                        draft.take().expect("set").discard()?;
                        eprintln!("Aborting: the question is empty, nothing was added.");
                    } else {
                        eprintln!(
                            "Aborting: the question is empty, nothing was added. What you wrote \
                             is kept in {}; go on with `{}`.",
                            d.path.display(),
                            Kind::Add.resume_command(None)
                        );
                    }
                    return Ok(Exit::Failed);
                }
            }
        }
    };
    if answer.len() as u64 > kb::store::MAX_FILE_BYTES {
        bail!(
            "the answer is {:.1} MB; an answer is at most {} MB",
            answer.len() as f64 / 1_048_576.0,
            kb::store::MAX_FILE_BYTES / 1_048_576
        );
    }
    let incoming = kb::intake::Incoming {
        question: kb::model::normalise_question(&text),
        answer: kb::yaml::normalise_block(&answer),
    };
    if incoming.question.is_empty() {
        return Err(kb::Error::EmptyQuestion.into());
    }

    // Look before adding: the same question may be in the bank already.
    let kept_where = draft
        .as_ref()
        .map(|d| {
            format!(
                " What you wrote is kept in {}; go on with `{}`.",
                d.path.display(),
                Kind::Add.resume_command(None)
            )
        })
        .unwrap_or_default();
    let decision = {
        let _guard =
            crate::interrupt::Guard::new(&format!("Interrupted: nothing was added.{kept_where}"));
        look(
            ctx,
            &kb,
            &args,
            &incoming,
            project.as_deref(),
            interview.is_some(),
        )?
    };
    let decision = match decision {
        Some(d) => d,
        None => {
            eprintln!("Nothing was added.{kept_where}");
            return Ok(Exit::Failed);
        }
    };

    let mut tx = ctx.begin(&kb)?;
    let (added, new) = match decision {
        Decision::Existing(existing) => {
            let added =
                kb::ops::add::onto(&mut tx, &existing, &incoming, &tags, interview.as_ref())?;
            (added, false)
        }
        Decision::New => {
            let added =
                kb::ops::add::new(&mut tx, id, incoming, tags, project, interview.as_ref())?;
            (added, true)
        }
    };
    if let Some(d) = draft {
        d.discard()?;
    }
    if let Some(e) = &added.index_problem {
        eprintln!("{} {e}", ctx.out.warning_label());
    }
    let q = &added.question;
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Written {
            id: q.id.clone(),
            new: Some(new),
            path: kb.question_path(&q.id)?.display().to_string(),
            commit: added.commit,
        })?;
        return Ok(Exit::Done);
    }
    println!("{}", q.id);
    match (new, &interview, &added.commit) {
        (true, _, _) => eprintln!("Added {}: {}", q.id, q.short(60)),
        (false, Some(interview), _) => {
            eprintln!(
                "Recorded {} on {}: {}",
                interview.label(),
                q.id,
                q.short(60)
            )
        }
        (false, None, Some(_)) => eprintln!("Added your answer and tags to {}.", q.id),
        (false, None, None) => eprintln!("Nothing to add: {} already asks it.", q.id),
    }
    Ok(Exit::Done)
}

/// Whether the question is already in the bank. On a terminal, the close matches are shown and
/// the person decides; in a script (or with --yes without an interview) the question is added
/// and the look-alikes are named on stderr; `--no-dedupe` looks for nothing. `None`: the person
/// chose to stop, or gave no answer.
fn look(
    ctx: &Ctx,
    kb: &kb::Kb,
    args: &AddArgs,
    incoming: &kb::intake::Incoming,
    project: Option<&str>,
    asked_at: bool,
) -> anyhow::Result<Option<Decision>> {
    if args.dedupe.no_dedupe {
        return Ok(Some(Decision::New));
    }
    let deduper = Deduper::new(kb, &args.dedupe, project)?;
    let person = crate::editor::interactive() && std::io::stderr().is_terminal();
    let least = if person && !args.dedupe.yes {
        deduper.shown_threshold()
    } else {
        args.dedupe.threshold
    };
    let found = deduper.candidates_above(&incoming.question, least)?;
    if found.is_empty() {
        return Ok(Some(Decision::New));
    }
    let likely = found[0].similarity >= args.dedupe.threshold;
    if args.dedupe.yes && asked_at {
        return Ok(Some(Decision::Existing(found[0].id.clone())));
    }
    if args.dedupe.yes || !person {
        for c in &found {
            eprintln!(
                "{} the bank already has a question like this: {} {:.2}  {}{}",
                ctx.out.warning_label(),
                c.id,
                c.similarity,
                c.question,
                if c.why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.why)
                }
            );
        }
        eprintln!(
            "If they are the same, fold them with: kb merge {} NEW-ID",
            found[0].id
        );
        return Ok(Some(Decision::New));
    }
    eprintln!("{} {}", ctx.out.bold("Adding:"), incoming.question);
    eprintln!(
        "{}",
        if likely {
            "Already in the bank?"
        } else {
            "Perhaps already in the bank (not close enough to say so):"
        }
    );
    show_candidates(ctx, &found);
    let same = if asked_at {
        "record as asked again on it"
    } else {
        "it is that one (your answer and tags go to it)"
    };
    let likely_prompt = format!("[S]ame as 1: {same}; [a]dd anyway; [q]uit");
    let weak_prompt = format!("[s]ame as 1: {same}; [A]dd anyway; [q]uit");
    Ok(
        match ask_which(
            &found,
            likely,
            [&likely_prompt, &weak_prompt],
            &["s", "same", "y", "yes"],
            &["a", "add", "n", "new"],
            &["q", "quit", "abort"],
        ) {
            Some(Which::Existing(id)) => Some(Decision::Existing(id)),
            Some(Which::New) => Some(Decision::New),
            Some(Which::Quit) | None => None,
        },
    )
}

/// Say so when an earlier question was left unfinished in the editor.
fn notice_unfinished(kb: &kb::Kb) -> anyhow::Result<()> {
    if let Some(last) = Draft::latest(kb, Kind::Add, None)? {
        eprintln!(
            "Note: an unfinished question from {} is kept in {}; go on with it with `{}`.",
            last.meta.created,
            last.path.display(),
            Kind::Add.resume_command(None)
        );
    }
    Ok(())
}

fn read_stdin() -> anyhow::Result<String> {
    let bytes = kb::store::read_limited(std::io::stdin().lock(), "standard input")
        .context("could not read the answer from standard input")?;
    String::from_utf8(bytes)
        .map(kb::text::incoming)
        .context("standard input is not UTF-8 text")
}
