//! `kb rm ID...`

use crate::Ctx;
use crate::cli::RmArgs;
use crate::exit::Exit;
use kb::ops::add::subject;

pub fn run(ctx: &Ctx, args: RmArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    // Opened (and brought up to date) before the write lock is taken: a refresh takes the lock
    // too, and would wait for this command forever.
    let index = crate::commands::open_index(ctx, &kb)?;
    let mut tx = ctx.begin(&kb)?;
    // Resolve every id before touching anything: one bad id removes nothing.
    let mut ids = Vec::new();
    for input in &args.ids {
        let id = crate::commands::resolve_id(&kb, input)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut removed = Vec::new();
    for id in &ids {
        // A broken file can still be removed; its text is only needed for the message.
        let question = kb.load(id).ok();
        removed.push((id.clone(), question));
    }
    // One journalled change: a kill half-way is finished by the next kb.
    for (id, _) in &removed {
        tx.remove(id)?;
    }
    // A follow-up of a removed question now follows what that one followed (or nothing).
    let parent_of: std::collections::HashMap<&str, Option<&String>> = removed
        .iter()
        .map(|(id, q)| {
            (
                id.as_str(),
                q.as_ref().and_then(|q| q.follow_up_of.as_ref()),
            )
        })
        .collect();
    let children = index.follow_ups_of(&ids)?;
    if !children.is_empty() {
        for mut q in children.iter().filter_map(|id| kb.load(id).ok()) {
            let Some(link) = q.follow_up_of.clone() else {
                continue;
            };
            if ids.contains(&q.id) || !parent_of.contains_key(link.as_str()) {
                continue;
            }
            let mut up = Some(link);
            // At most one step per removed question: a loop among them ends in nothing.
            for _ in 0..=removed.len() {
                match up.as_deref().filter(|l| parent_of.contains_key(*l)) {
                    Some(l) => up = parent_of[l].cloned(),
                    None => break,
                }
            }
            if up.as_deref().is_some_and(|l| parent_of.contains_key(l)) {
                up = None;
            }
            q.follow_up_of = up;
            q.updated = Some(kb::time::now());
            tx.save(&q)?;
        }
    }
    let message = match removed.as_slice() {
        [(_, Some(q))] => subject("rm", q),
        [(id, None)] => format!("rm {id}"),
        many => format!(
            "rm {} questions\n\n{}",
            many.len(),
            many.iter()
                .map(|(id, q)| match q {
                    Some(q) => format!("{id}: {}", q.short(60)),
                    None => id.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    let done = tx.commit(&message)?;
    ctx.warn_after(&done);
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Removed {
            removed: ids.iter().map(|s| s.to_string()).collect(),
            commit: done.commit_hex(),
        })?;
    } else {
        for (id, q) in &removed {
            println!(
                "removed {id}{}",
                q.as_ref()
                    .map(|q| format!(": {}", q.short(60)))
                    .unwrap_or_default()
            );
        }
        eprintln!("Undo with: kb git revert HEAD");
    }
    Ok(Exit::Done)
}
