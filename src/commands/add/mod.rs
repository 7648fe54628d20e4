//! `kb add "질문" [--answer TEXT | --answer-file F | -] [--tag T]... [--project P]`

use crate::exit::Exit;

use anyhow::bail;

mod look;
mod text;

use crate::Ctx;
use crate::cli::AddArgs;
use crate::commands::{project_arg, tag_args};
use kb::drafts::Kind;
use kb::ops::interview::Decision;

pub fn run(ctx: &Ctx, args: AddArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    let (kept, mut draft) = text::resumed(&kb, &args)?;
    let mut tags = tag_args(&kept.tags)?;
    kb::model::normalise_tags(&mut tags);
    let mut project = kept.project.as_deref().map(project_arg).transpose()?;
    // A follow-up: of a question that exists (an alias finds the question it was merged into),
    // and of its project unless another is given.
    let parent = match &args.after {
        Some(p) => Some(kb.load(&kb.resolve(p)?)?),
        None => None,
    };
    if project.is_none() {
        project = parent.as_ref().and_then(|p| p.project.clone());
    }
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

    let Some(written) = text::typed(&kb, &args, &kept, &tags, project.as_deref(), &mut draft)?
    else {
        return Ok(Exit::Failed);
    };
    let kb::draft::Written {
        question: text,
        answer,
        tags,
        project,
    } = written;
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
        look::look(
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
            let added = kb::ops::add::new(
                &mut tx,
                id,
                incoming,
                tags,
                project,
                interview.as_ref(),
                parent.map(|p| p.id),
            )?;
            (added, true)
        }
    };
    if let Some(d) = draft {
        d.discard()?;
    }
    ctx.warn_index(added.index_problem.as_ref());
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
