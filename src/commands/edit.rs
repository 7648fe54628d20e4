//! `kb edit ID [--resume]`

use crate::exit::Exit;
use anyhow::{Context, bail};

use crate::Ctx;
use crate::cli::EditArgs;
use kb::drafts::{Draft, Kind};
use kb::ops::add::subject;

pub fn run(ctx: &Ctx, args: EditArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    let id = crate::commands::resolve(ctx, &kb, &args.id)?;
    let path = kb.question_path(&id)?;
    // A file that no longer parses can still be opened: editing is how it gets fixed.
    let current =
        std::fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;

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
        Draft::create(
            &kb,
            Kind::Edit,
            Some(&id),
            &String::from_utf8_lossy(&current),
            "yaml",
            serde_json::json!({ "base": String::from_utf8_lossy(&current) }),
        )?
    };
    let base_text = draft.meta.options["base"]
        .as_str()
        .map(|s| s.as_bytes().to_vec())
        .unwrap_or_else(|| current.clone());
    let base = String::from_utf8(base_text.clone())
        .ok()
        .and_then(|t| kb::Question::parse(&path, &t, Some(&id)).ok());
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
        if edited == current {
            draft.discard()?;
            eprintln!("No changes.");
            return Ok(Exit::Done);
        }
        let parsed = match String::from_utf8(edited) {
            Ok(text) => kb::Question::parse(&path, &text, Some(&id)),
            Err(_) => Err(kb::Problem {
                path: path.clone(),
                line: 0,
                column: 0,
                message: "the edited text is not valid UTF-8".into(),
            }),
        };
        match parsed {
            Ok(mut q) => {
                drop(guard);
                let mut tx = ctx.begin(&kb)?;
                // Someone (another kb, a sync) changed the file while the editor was open:
                // combine both changes rather than overwrite theirs.
                let now_text = std::fs::read(&path).unwrap_or_default();
                if now_text != base_text
                    && let Ok(theirs) = kb.load(&id)
                {
                    let merged =
                        kb::merge::merge3(base.as_ref(), Some(&q), Some(&theirs), kb::time::now());
                    if let Some(m) = merged.question {
                        eprintln!(
                            "{} changed while you edited it; both changes are kept.",
                            path.display()
                        );
                        q = m;
                    }
                }
                if let Ok(before) = kb.load(&id) {
                    let mut same = q.clone();
                    same.updated = before.updated;
                    if same == before && before.to_yaml().as_bytes() == now_text.as_slice() {
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
