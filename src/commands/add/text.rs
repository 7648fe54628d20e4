//! The question and answer being added: from the arguments, a file or standard input, or
//! typed in the editor (kept in a draft until the commit lands).

use anyhow::{Context, bail};

use crate::cli::AddArgs;
use kb::drafts::{Draft, Kind};

/// The options of `kb add` kept with an editor draft, so `--resume` can go on.
#[derive(serde::Serialize, serde::Deserialize, Default)]
pub struct Kept {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub asked_at: Option<String>,
}

/// The options given, over those kept with the draft `--resume` goes on with (and that draft).
pub fn resumed(kb: &kb::Kb, args: &AddArgs) -> anyhow::Result<(Kept, Option<Draft>)> {
    let mut kept = Kept {
        tags: args.tags.clone(),
        project: args.project.clone(),
        id: args.id.clone(),
        asked_at: args.asked_at.clone(),
    };
    if !args.resume {
        return Ok((kept, None));
    }
    let Some(d) = Draft::latest(kb, Kind::Add, None)? else {
        bail!(
            "there is no unfinished question to go on with (they are kept in {})",
            kb::drafts::dir(kb).display()
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
    Ok((kept, Some(d)))
}

/// The question's text, its answer, tags and project (the draft's header lines may change the
/// `--tag`s and `--project` given); `None` when the person left the question empty or gave up
/// on a draft that does not read (what they wrote, if anything, stays in the draft).
pub fn typed(
    kb: &kb::Kb,
    args: &AddArgs,
    kept: &Kept,
    tags: &[String],
    project: Option<&str>,
    draft: &mut Option<Draft>,
) -> anyhow::Result<Option<kb::draft::Written>> {
    Ok(match (args.question.clone(), draft.is_some()) {
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
            Some(kb::draft::Written {
                question: text,
                answer,
                tags: tags.to_vec(),
                project: project.map(str::to_string),
            })
        }
        _ => {
            if draft.is_none() {
                notice_unfinished(kb)?;
                let template = kb::draft::template(tags, project);
                *draft = Some(Draft::create(
                    kb,
                    Kind::Add,
                    None,
                    &template,
                    "md",
                    serde_json::to_value(kept)?,
                )?);
            }
            let d = draft.as_ref().expect("created above");
            let kept = format!(
                "What you wrote is kept in {}; go on with `{}`.",
                d.path.display(),
                Kind::Add.resume_command(None)
            );
            let (typed, parsed) = loop {
                crate::editor::edit(&d.path)?;
                let typed = d.text()?;
                match kb::draft::parse(&d.path, &typed) {
                    Ok(parsed) => break (typed, parsed),
                    Err(problem) => {
                        eprintln!("error: {problem} (in your draft)");
                        let _guard = crate::interrupt::Guard::new(&format!(
                            "Interrupted: nothing was added. {kept}"
                        ));
                        if crate::editor::confirm("Edit again?", true) {
                            continue;
                        }
                        eprintln!("Nothing was added. {kept}");
                        return Ok(None);
                    }
                }
            };
            match parsed {
                Some(parsed) => Some(parsed),
                None => {
                    if typed == kb::draft::template(tags, project) {
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
                    return Ok(None);
                }
            }
        }
    })
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
