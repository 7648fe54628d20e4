//! `kb add "질문" [--answer TEXT | --answer-file F | -] [--tag T]... [--project P]`

use std::io::Read;

use anyhow::{Context, bail};

use crate::Ctx;
use crate::cli::AddArgs;
use crate::commands::{project_arg, subject, tag_args};

pub fn run(ctx: &Ctx, args: AddArgs) -> anyhow::Result<u8> {
    let mut tags = tag_args(&args.tags)?;
    kb::model::normalise_tags(&mut tags);
    let project = args.project.as_deref().map(project_arg).transpose()?;
    let kb = ctx.open_kb()?;

    let id = match &args.id {
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

    let (text, answer) = match args.question {
        Some(text) => {
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
                    std::fs::read_to_string(f).with_context(|| {
                        format!("could not read the answer from {}", f.display())
                    })?
                }
                (_, _, Some(_)) => read_stdin()?,
                _ => String::new(),
            };
            (text, answer)
        }
        None => match compose(&kb, &tags, project.as_deref())? {
            Some(draft) => draft,
            None => {
                eprintln!("Aborting: the question is empty, nothing was added.");
                return Ok(1);
            }
        },
    };

    let interview = match &args.asked_at {
        Some(i) => Some(kb.load_interview(&kb.resolve_interview(i)?)?),
        None => None,
    };
    if let Some(interview) = &interview {
        let incoming = kb::intake::Incoming {
            question: kb::model::normalise_question(&text),
            answer: kb::yaml::normalise_block(&answer),
        };
        let deduper = crate::commands::interview::Deduper::new(&kb, &args.dedupe)?;
        if let crate::commands::interview::Decision::Existing(existing) =
            deduper.decide(ctx, &incoming)?
        {
            let _lock = ctx.lock(&kb)?;
            let mut q = kb.load(&existing)?;
            kb::intake::record_asked(&mut q, interview.occurrence(), &incoming);
            q.updated = Some(kb::time::now());
            let path = kb.save(&q)?;
            let message = format!("asked {} at {}: {}", q.id, interview.id, q.short(50));
            let commit = kb.commit(&[path], &message)?;
            crate::commands::refresh_index(ctx, &kb, std::slice::from_ref(&q.id));
            if ctx.json {
                crate::render::print_json(&serde_json::json!({
                    "id": q.id,
                    "new": false,
                    "path": kb.question_path(&q.id)?.display().to_string(),
                    "commit": commit.map(|c| c.to_string()),
                }))?;
            } else {
                println!("{}", q.id);
                eprintln!(
                    "Recorded {} on {}: {}",
                    interview.label(),
                    q.id,
                    q.short(60)
                );
            }
            return Ok(0);
        }
    }

    if answer.len() as u64 > kb::store::MAX_FILE_BYTES {
        bail!(
            "the answer is {:.1} MB; an answer is at most {} MB",
            answer.len() as f64 / 1_048_576.0,
            kb::store::MAX_FILE_BYTES / 1_048_576
        );
    }
    let mut q = kb::Question::new(id, &text);
    if q.question.is_empty() {
        return Err(kb::Error::EmptyQuestion.into());
    }
    if let Some(interview) = &interview {
        q.asked.push(interview.occurrence());
    }
    q.answer = kb::yaml::normalise_block(&answer);
    q.tags = tags;
    q.project = project;
    let _lock = ctx.lock(&kb)?;
    if kb.question_path(&q.id)?.exists() {
        anyhow::bail!(
            "a question with id {} already exists (kb show {})",
            q.id,
            q.id
        );
    }
    let path = kb.save(&q)?;
    let commit = kb.commit(&[path], &subject("add", &q))?;
    crate::commands::refresh_index(ctx, &kb, std::slice::from_ref(&q.id));

    if ctx.json {
        crate::render::print_json(&serde_json::json!({
            "id": q.id,
            "new": true,
            "path": kb.question_path(&q.id)?.display().to_string(),
            "commit": commit.map(|c| c.to_string()),
        }))?;
    } else {
        println!("{}", q.id);
        eprintln!("Added {}: {}", q.id, q.short(60));
    }
    Ok(0)
}

fn read_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("could not read the answer from standard input")?;
    Ok(s)
}

/// Write the question in the editor. `None` when the user left it empty.
fn compose(
    kb: &kb::Kb,
    tags: &[String],
    project: Option<&str>,
) -> anyhow::Result<Option<(String, String)>> {
    // The draft lives beside the repository's own files, not in the working tree, so an
    // abandoned draft never shows up in `git status`.
    let dir = kb.repo().path().join("kb");
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let draft = tempfile::Builder::new()
        .prefix("ADD_QUESTION-")
        .suffix(".md")
        .tempfile_in(&dir)
        .context("could not create the draft file")?;
    std::fs::write(draft.path(), kb::draft::template(tags, project))?;
    crate::editor::edit(draft.path())?;
    let text = std::fs::read_to_string(draft.path()).context("could not read the draft back")?;
    Ok(kb::draft::parse(&text))
}
