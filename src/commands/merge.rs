//! `kb merge KEEP OTHER... [--question-from OTHER]`

use crate::exit::Exit;
use anyhow::bail;

use crate::Ctx;
use crate::cli::MergeArgs;

pub fn run(ctx: &Ctx, mut args: MergeArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    // Without ids, on a terminal: pick the question that stays, then the ones folded into it —
    // before anything is locked, since picking takes a person's time.
    let keep = match crate::commands::id_or_pick(ctx, &kb, args.keep.as_deref(), "merge")? {
        Ok(id) => id,
        Err(exit) => return Ok(exit),
    };
    if args.others.is_empty() {
        let prompt = format!("merge into {keep}");
        match crate::picker::several(ctx, &kb, &prompt, std::slice::from_ref(&keep), "merge")? {
            Ok(ids) => args.others = ids,
            Err(exit) => return Ok(exit),
        }
    }
    // Opened (and brought up to date) before the write lock is taken: a refresh takes the lock
    // too, and would wait for this command forever.
    let index = crate::commands::open_index(ctx, &kb)?;
    let mut tx = ctx.begin(&kb)?;
    let keep_id = crate::commands::resolve_id_in(&kb, &index, &keep)?;
    let mut other_ids = Vec::new();
    for o in &args.others {
        let id = crate::commands::resolve_id_in(&kb, &index, o)?;
        if id == keep_id {
            bail!("{id} is the question being kept; it cannot also be merged into itself");
        }
        if !other_ids.contains(&id) {
            other_ids.push(id);
        }
    }
    let wording = match &args.question_from {
        Some(w) => {
            let id = crate::commands::resolve_id_in(&kb, &index, w)?;
            if !other_ids.contains(&id) {
                bail!("--question-from {id}: it must be one of the questions being merged");
            }
            Some(id)
        }
        None => None,
    };
    // Every file must parse before anything is written: a merge never half-happens.
    let keep = kb.load(&keep_id)?;
    let others = other_ids
        .iter()
        .map(|id| kb.load(id))
        .collect::<Result<Vec<_>, _>>()?;

    let now = kb::time::now();
    let mut merged = keep.clone();
    for other in &others {
        merged = kb::merge::fold(
            &merged,
            other,
            wording.as_deref() == Some(other.id.as_str()),
            now,
        );
    }
    // A follow-up link between the merged questions would point at the question itself.
    if merged
        .follow_up_of
        .as_ref()
        .is_some_and(|p| *p == keep_id || other_ids.contains(p))
    {
        merged.follow_up_of = None;
    }
    // Follow-ups of a question merged away follow it into the one kept.
    let relinked: Vec<kb::Question> = index
        .follow_ups_of(&other_ids)?
        .into_iter()
        .filter(|id| *id != keep_id && !other_ids.contains(id))
        .filter_map(|id| kb.load(&id).ok())
        .filter(|q| {
            q.follow_up_of
                .as_ref()
                .is_some_and(|p| other_ids.contains(p))
        })
        .map(|mut q| {
            q.follow_up_of = Some(keep_id.clone());
            q.updated = Some(now);
            q
        })
        .collect();
    // One journalled change: killed half-way, the next kb finishes it.
    tx.save(&merged)?;
    for q in &relinked {
        tx.save(q)?;
    }
    for id in &other_ids {
        tx.remove(id)?;
    }
    let message = format!(
        "merge {} into {}: {}\n\n{}",
        other_ids.join(", "),
        keep_id,
        merged.short(50),
        others
            .iter()
            .map(|o| format!("{}: {}", o.id, o.short(60)))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let done = tx.commit(&message)?;
    ctx.warn_after(&done);

    if ctx.json {
        crate::render::print_json(&kb::ops::report::Merged {
            id: keep_id.clone(),
            merged: other_ids.iter().map(|s| s.to_string()).collect(),
            commit: done.commit_hex(),
        })?;
    } else {
        println!("{keep_id}");
        eprintln!(
            "Merged {} into {keep_id}: {}{}",
            other_ids.join(", "),
            merged.short(60),
            if merged
                .answer
                .contains("<!-- kb: the answer below comes from")
            {
                "\nThe answers differed and are both kept: tidy them with `kb edit`."
            } else {
                ""
            }
        );
    }
    Ok(Exit::Done)
}
