//! `kb clone` (the work is `kb::sync::clone`'s) and `kb merge-driver`, which git calls during
//! a sync.

use super::refuse_option_like;

use crate::Ctx;
use crate::cli::{CloneArgs, MergeDriverArgs};
use crate::exit::Exit;

pub fn clone(ctx: &Ctx, args: CloneArgs) -> anyhow::Result<Exit> {
    refuse_option_like("the URL", &args.url)?;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => kb::sync::clone::default_dir(&args.url),
    };
    let cloned = kb::sync::clone::clone(
        &args.url,
        &dir,
        &crate::render::Bar::new(),
        &mut std::io::stderr(),
    )?;
    ctx.out.warn_skipped(&cloned.problems);
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Cloned {
            path: cloned.root.display().to_string(),
            questions: cloned.questions,
        })?;
    } else {
        println!("{}", cloned.root.display());
        eprintln!(
            "Cloned {} into {}; the search index is built.",
            crate::render::plural(cloned.questions as usize, "question"),
            cloned.root.display()
        );
    }
    Ok(Exit::Done)
}

pub fn merge_driver(args: MergeDriverArgs) -> anyhow::Result<Exit> {
    let conflict = match kb::sync::merge_driver(&args.base, &args.ours, &args.theirs, &args.path) {
        Ok(c) => c,
        Err(e) => {
            // Git then reports a conflict and kb sync stops and rolls back.
            eprintln!("kb merge-driver: {}: {e}", args.path);
            return Ok(Exit::Failed);
        }
    };
    if let Some(log) = &args.log {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)?;
        writeln!(
            f,
            "{} {}",
            if conflict { "conflict" } else { "merged" },
            args.path
        )?;
    }
    Ok(Exit::Done)
}
