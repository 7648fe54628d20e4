//! `kb tag ID... +tag -tag` and the bulk form `kb tag --tag T +tag -tag`.

use crate::exit::Exit;
use anyhow::bail;

use crate::Ctx;
use crate::cli::TagArgs;
use crate::commands::{matches, project_arg, tag_arg, tag_args};

pub fn run(ctx: &Ctx, args: TagArgs) -> anyhow::Result<Exit> {
    // Additions apply first, then removals (`-tag` words arrive through `--remove`, see
    // cli::rewrite_minus_words), so a tag both added and removed ends up removed.
    let mut ops: Vec<(bool, String)> = Vec::new();
    let mut ids = Vec::new();
    for item in &args.items {
        if let Some(t) = item.strip_prefix('+') {
            ops.push((true, tag_arg(t)?));
        } else if let Some(t) = item.strip_prefix('-') {
            ops.push((false, tag_arg(t)?));
        } else {
            ids.push(item.as_str());
        }
    }
    for t in &args.remove {
        ops.push((false, tag_arg(t)?));
    }
    if ops.is_empty() {
        bail!("nothing to do: give tags to add (+tag) or remove (-tag)");
    }
    let filter_tags = tag_args(&args.filter_tags)?;
    if let Some(p) = &args.project {
        project_arg(p)?;
    }
    let bulk = !filter_tags.is_empty() || args.project.is_some();
    let kb = ctx.open_kb()?;
    // Opened before the write lock is taken (a refresh takes the lock too).
    let index = crate::commands::open_index(ctx, &kb)?;
    let known = crate::commands::known::Known::of(&kb, &index);
    known.check_tags(&filter_tags)?;
    let project = args
        .project
        .as_deref()
        .map(|p| known.project(&kb, p))
        .transpose()?;
    if !ctx.json {
        for (add, tag) in &ops {
            let near = known.near_tags(tag)?;
            if *add && !near.is_empty() {
                eprintln!("Note: {tag} is a new tag{}", kb::names::did_you_mean(&near));
            }
        }
    }
    drop(index);
    let picked;
    if ids.is_empty() && !bulk {
        if !crate::picker::available() || ctx.json {
            bail!(
                "which questions? give ids, or select them with --tag/--project (on a \
                 terminal, kb tag without them opens a picker)"
            );
        }
        let changes: Vec<String> = ops
            .iter()
            .map(|(add, t)| format!("{}{t}", if *add { '+' } else { '-' }))
            .collect();
        let prompt = format!("kb tag {}", changes.join(" "));
        picked = match crate::picker::several(ctx, &kb, &prompt, &[], "tag")? {
            Ok(ids) => ids,
            Err(exit) => return Ok(exit),
        };
        ids = picked.iter().map(String::as_str).collect();
    }
    let mut tx = ctx.begin(&kb)?;
    let mut targets = Vec::new();
    for id in &ids {
        targets.push(kb.load(&crate::commands::resolve(ctx, &kb, id)?)?);
    }
    if bulk {
        let loaded = kb.load_all()?;
        ctx.out.warn_skipped(&loaded.problems);
        for q in loaded.questions {
            if matches(&q, &filter_tags, project.as_deref())
                && !targets.iter().any(|t| t.id == q.id)
            {
                targets.push(q);
            }
        }
    }

    let mut changed = Vec::new();
    let now = kb::time::now();
    for mut q in targets {
        let before = q.tags.clone();
        for (add, tag) in &ops {
            if *add {
                q.tags.push(tag.clone());
            } else {
                q.tags.retain(|t| t != tag);
            }
        }
        kb::model::normalise_tags(&mut q.tags);
        if q.tags != before {
            q.updated = Some(now);
            tx.save(&q)?;
            changed.push(q);
        }
    }

    let ops: Vec<String> = ops
        .iter()
        .map(|(add, t)| format!("{}{t}", if *add { '+' } else { '-' }))
        .collect();
    let message = match changed.as_slice() {
        [] => None,
        [one] => Some(format!("tag {}: {}", one.id, ops.join(" "))),
        many => {
            let ids: Vec<&str> = many.iter().map(|q| q.id.as_str()).collect();
            Some(format!(
                "tag {} questions: {}\n\n{}",
                many.len(),
                ops.join(" "),
                ids.join("\n")
            ))
        }
    };
    let mut commit = None;
    if let Some(message) = message {
        // One commit of all the files, journalled: a kill half-way is finished by the next kb.
        let done = tx.commit(&message)?;
        ctx.warn_after(&done);
        commit = done.commit;
    }

    if ctx.json {
        let tags = |q: &kb::Question| kb::ops::report::Tags {
            id: q.id.clone(),
            tags: q.tags.clone(),
        };
        crate::render::print_json(&kb::ops::report::Tagged {
            changed: changed.iter().map(tags).collect(),
            commit: commit.map(|c| c.to_string()),
        })?;
    } else if changed.is_empty() {
        eprintln!("Nothing to change: the questions already have these tags.");
    } else {
        for q in &changed {
            println!("{}  {}", q.id, q.tags.join(" "));
        }
        eprintln!(
            "Tagged {} question{} ({}).",
            changed.len(),
            if changed.len() == 1 { "" } else { "s" },
            ops.join(" ")
        );
    }
    Ok(Exit::Done)
}
