//! `kb edit ID`

use anyhow::Context;

use crate::Ctx;
use crate::cli::EditArgs;
use crate::commands::subject;

pub fn run(ctx: &Ctx, args: EditArgs) -> anyhow::Result<u8> {
    let kb = ctx.open_kb()?;
    let id = crate::commands::resolve(ctx, &kb, &args.id)?;
    let path = kb.question_path(&id)?;
    // A file that no longer parses can still be opened: editing is how it gets fixed.
    let original_text =
        std::fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;
    let original = String::from_utf8(original_text.clone())
        .ok()
        .and_then(|t| kb::Question::parse(&path, &t, Some(&id)).ok());

    // Edit a copy kept beside the repository's own files: the real file changes only once the
    // edit is valid, and a rejected edit is never lost.
    let dir = kb.repo().path().join("kb");
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let (_, draft) = tempfile::Builder::new()
        .prefix(&format!("EDIT-{id}-"))
        .suffix(".yaml")
        .tempfile_in(&dir)
        .context("could not create the file to edit")?
        .keep()
        .context("could not keep the file to edit")?;
    std::fs::write(&draft, &original_text)?;

    loop {
        crate::editor::edit(&draft)?;
        let edited = std::fs::read(&draft)?;
        if edited == original_text {
            let _ = std::fs::remove_file(&draft);
            eprintln!("No changes.");
            return Ok(0);
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
                let _lock = ctx.lock(&kb)?;
                // Someone (another kb, a sync) changed the file while the editor was open:
                // combine both changes rather than overwrite theirs.
                let now_text = std::fs::read(&path).unwrap_or_default();
                if now_text != original_text
                    && let Ok(theirs) = kb.load(&id)
                {
                    let merged = kb::merge::merge3(
                        original.as_ref(),
                        Some(&q),
                        Some(&theirs),
                        kb::time::now(),
                    );
                    if let Some(m) = merged.question {
                        eprintln!(
                            "{} changed while you edited it; both changes are kept.",
                            path.display()
                        );
                        q = m;
                    }
                }
                let _ = std::fs::remove_file(&draft);
                if let Some(before) = &original {
                    let mut same = q.clone();
                    same.updated = before.updated;
                    if &same == before && before.to_yaml().as_bytes() == original_text.as_slice() {
                        eprintln!("No changes.");
                        return Ok(0);
                    }
                }
                q.updated = Some(kb::time::now());
                let repo_path = kb.save(&q)?;
                let commit = kb.commit(&[repo_path], &subject("edit", &q))?;
                crate::commands::refresh_index(ctx, &kb, std::slice::from_ref(&q.id));
                if ctx.json {
                    crate::render::print_json(&serde_json::json!({
                        "id": q.id,
                        "path": path.display().to_string(),
                        "commit": commit.map(|c| c.to_string()),
                    }))?;
                } else {
                    eprintln!("Updated {}: {}", q.id, q.short(60));
                }
                return Ok(0);
            }
            Err(problem) => {
                eprintln!("{} {problem} (in your edit)", ctx.out.error_label());
                if crate::editor::confirm("Edit again?", true) {
                    continue;
                }
                eprintln!(
                    "{} is unchanged; your edit is kept in {}",
                    path.display(),
                    draft.display()
                );
                return Ok(1);
            }
        }
    }
}
