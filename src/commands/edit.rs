//! `kb edit [ID] [--yaml] [--resume]`

use crate::exit::Exit;
use anyhow::{Context, bail};

use crate::Ctx;
use crate::cli::EditArgs;
use kb::draft::Written;
use kb::drafts::{Draft, Kind};
use kb::ops::add::subject;

/// What the editor shows: the written parts of the question, or its YAML file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Written,
    Yaml,
}

pub fn run(ctx: &Ctx, args: EditArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    let id = match crate::commands::id_or_pick(ctx, &kb, args.id.as_deref(), "edit")? {
        Ok(id) => id,
        Err(exit) => return Ok(exit),
    };
    let path = kb.question_path(&id)?;
    // A file that no longer parses can still be opened: editing is how it gets fixed.
    let current =
        std::fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;
    let current_text = String::from_utf8_lossy(&current).into_owned();

    // The edit happens on a draft kept beside the repository's own files: the real file changes
    // only once the edit is valid, and an edit that is rejected or interrupted is never lost.
    // The file as it was when the draft was made is kept with it (`base`), so a change made
    // meanwhile (another kb, a sync) is merged, not overwritten.
    let draft = if args.resume {
        let Some(d) = Draft::latest(&kb, Kind::Edit, Some(&id))? else {
            bail!("there is no unfinished edit of {id} to go on with");
        };
        eprintln!("Going on with the edit kept in {}.", d.path.display());
        d
    } else {
        if let Some(d) = Draft::latest(&kb, Kind::Edit, Some(&id))? {
            eprintln!(
                "Note: an unfinished edit of {id} from {} is kept in {}; go on with it with `{}`.",
                d.meta.created,
                d.path.display(),
                Kind::Edit.resume_command(Some(&id))
            );
        }
        let parsed = kb::Question::parse(&path, &current_text, Some(&id));
        let (form, text) = match (&parsed, args.yaml) {
            (Ok(q), false) => (Form::Written, kb::draft::edit_text(&id, &Written::of(q))),
            (Err(problem), false) => {
                eprintln!(
                    "{} {problem}\nOpening the YAML file itself, so it can be fixed.",
                    ctx.out.error_label()
                );
                (Form::Yaml, current_text.clone())
            }
            (_, true) => (Form::Yaml, current_text.clone()),
        };
        Draft::create(
            &kb,
            Kind::Edit,
            Some(&id),
            &text,
            if form == Form::Yaml { "yaml" } else { "md" },
            serde_json::json!({
                "base": current_text,
                "form": if form == Form::Yaml { "yaml" } else { "written" },
            }),
        )?
    };
    // Drafts from before the written form existed carry no `form`: they are YAML.
    let form = match draft.meta.options["form"].as_str() {
        Some("written") => Form::Written,
        Some(_) => Form::Yaml,
        None if draft.path.extension().is_some_and(|e| e == "md") => Form::Written,
        None => Form::Yaml,
    };
    let base_text = draft.meta.options["base"]
        .as_str()
        .map(|s| s.as_bytes().to_vec())
        .unwrap_or_else(|| current.clone());
    let base = String::from_utf8(base_text.clone())
        .ok()
        .and_then(|t| kb::Question::parse(&path, &t, Some(&id)).ok());
    if form == Form::Written && base.is_none() {
        bail!(
            "the edit kept in {} was made from a version of {} that can no longer be read; \
             open it, copy what you wrote, and edit with `kb edit {id} --yaml`",
            draft.path.display(),
            path.display()
        );
    }
    // What the editor showed first: getting it back unchanged is no change at all.
    let shown = match (&base, form) {
        (Some(b), Form::Written) => kb::draft::edit_text(&id, &Written::of(b)).into_bytes(),
        _ => base_text.clone(),
    };
    let kept = format!(
        "{} is unchanged; your edit is kept in {}\nGo on with it: {}",
        path.display(),
        draft.path.display(),
        Kind::Edit.resume_command(Some(&id))
    );
    let guard = crate::interrupt::Guard::new(&format!("Interrupted: {kept}"));
    loop {
        crate::editor::edit(&draft.path)?;
        let edited = std::fs::read(&draft.path)?;
        if edited == shown && current == base_text {
            draft.discard()?;
            eprintln!("No changes.");
            return Ok(Exit::Done);
        }
        let parsed = match (String::from_utf8(edited), form, &base) {
            (Err(_), _, _) => Err(kb::Problem {
                path: draft.path.clone(),
                line: 0,
                column: 0,
                message: "the edited text is not valid UTF-8".into(),
            }),
            (Ok(text), Form::Written, Some(b)) => kb::draft::parse_edit(&draft.path, &text)
                .map(|w| (w != Written::of(b), w.apply_to(b))),
            (Ok(text), _, _) => kb::Question::parse(&path, &text, Some(&id)).map(|q| (true, q)),
        };
        match parsed {
            Ok((changed, mut q)) => {
                drop(guard);
                let mut tx = ctx.begin(&kb)?;
                // Someone (another kb, a sync, a hand edit) changed the file while the editor
                // was open: combine both changes rather than overwrite theirs. A file that was
                // removed or no longer parses is not guessed at: the edit is kept.
                let now_text = std::fs::read(&path).unwrap_or_default();
                if now_text != base_text {
                    let theirs = match kb.load(&id) {
                        Ok(t) => t,
                        Err(e) => bail!(
                            "{} changed while you edited it and cannot be read now ({e}); \
                             nothing was written.\nYour edit is kept in {}; once the file is \
                             fixed, go on with `{}`",
                            path.display(),
                            draft.path.display(),
                            Kind::Edit.resume_command(Some(&id))
                        ),
                    };
                    if !changed {
                        draft.discard()?;
                        eprintln!("No changes (the file was changed meanwhile; that is kept).");
                        return Ok(Exit::Done);
                    }
                    let merged =
                        kb::merge::merge3(base.as_ref(), Some(&q), Some(&theirs), kb::time::now());
                    if let Some(m) = merged.question {
                        if merged.conflict {
                            eprintln!(
                                "{} changed while you edited it, in the same places: your \
                                 version is kept, theirs is recorded under `merged:` and the \
                                 question is tagged {}.",
                                path.display(),
                                kb::merge::CONFLICT_TAG
                            );
                        } else {
                            eprintln!(
                                "{} changed while you edited it; both changes are kept.",
                                path.display()
                            );
                        }
                        q = m;
                    }
                }
                if let Ok(before) = kb.load(&id) {
                    let mut same = q.clone();
                    same.updated = before.updated;
                    // The written form changes only what it shows: an unchanged draft is no
                    // change even when the file is not in kb's own layout.
                    let untouched = match form {
                        Form::Written => !changed,
                        Form::Yaml => before.to_yaml().as_bytes() == now_text.as_slice(),
                    };
                    if same == before && untouched {
                        draft.discard()?;
                        eprintln!("No changes.");
                        return Ok(Exit::Done);
                    }
                }
                q.updated = Some(kb::time::now());
                tx.save(&q)?;
                let done = tx.commit(&subject("edit", &q))?;
                draft.discard()?;
                ctx.warn_after(&done);
                if ctx.json {
                    crate::render::print_json(&kb::ops::report::Written {
                        id: q.id.clone(),
                        new: None,
                        path: path.display().to_string(),
                        commit: done.commit_hex(),
                    })?;
                } else {
                    eprintln!("Updated {}: {}", q.id, q.short(60));
                }
                return Ok(Exit::Done);
            }
            Err(problem) => {
                eprintln!("{} {problem} (in your edit)", ctx.out.error_label());
                if crate::editor::confirm("Edit again?", true) {
                    continue;
                }
                eprintln!("{kept}");
                return Ok(Exit::Failed);
            }
        }
    }
}
