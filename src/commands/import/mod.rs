//! `kb import PATH... [--tag T]... [--dry-run]`

use crate::exit::Exit;
use std::collections::HashSet;

use anyhow::bail;

mod shown;

use crate::Ctx;
use crate::cli::ImportArgs;
use crate::commands::tag_args;
use crate::render::Bar;
use kb::import::{Existing, markdown_files, plan};
use kb::index::Progress;

pub fn run(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    for path in &args.paths {
        if !path.exists() {
            bail!("{}: no such file or folder", path.display());
        }
    }
    let (json_paths, md_paths): (Vec<_>, Vec<_>) = args.paths.iter().cloned().partition(|p| {
        p.is_file()
            && p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let files = markdown_files(&md_paths)?;
    if files.is_empty() && json_paths.is_empty() {
        bail!(
            "no Markdown (*.md) files in {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let kb = ctx.open_kb()?;
    let mut tx = ctx.begin(&kb)?;
    if !json_paths.is_empty() {
        return import_json(ctx, &mut tx, &json_paths, args.dry_run);
    }
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let existing = Existing::of(&loaded.questions);

    let bar = Bar::new();
    bar.start(files.len() as u64, "reading");
    let mut taken = HashSet::new();
    let plan = plan(
        &files,
        &existing,
        &tags,
        || loop {
            let id = kb.new_id();
            if taken.insert(id.clone()) {
                return id;
            }
        },
        || bar.inc(1),
    );
    bar.finish();

    let mut commit = None;
    if !args.dry_run && !plan.new.is_empty() {
        // The import is one journalled change: interrupted while writing, it is not lost half
        // way but finished by the next kb command. Say so, rather than end in silence.
        let _interrupt = crate::interrupt::Guard::new(&format!(
            "Interrupted while writing {} questions. The import is recorded in .git/kb/change.json \
             and the next kb command (kb check, for one) finishes it as one commit; to take it \
             back after that: git revert HEAD.",
            plan.new.len()
        ));
        bar.start(plan.new.len() as u64, "writing");
        let done = kb::ops::import::write(&mut tx, &plan, &|| bar.inc(1))?;
        bar.finish();
        ctx.warn_after(&done);
        commit = done.commit;
    }

    if ctx.json {
        let commit = commit.map(|c| c.to_string());
        crate::render::print_json(&kb::ops::report::Imported::new(&plan, commit, args.dry_run))?;
    } else {
        if args.dry_run {
            shown::plan(&plan);
        }
        for p in &plan.problems {
            eprintln!("{} {p}", ctx.out.warning_label());
        }
        shown::summary(ctx, &plan, args.dry_run);
    }
    Ok(Exit::Done)
}

/// Restore `kb export --format json` files (see `kb::ops::export::restore`).
fn import_json(
    ctx: &Ctx,
    tx: &mut kb::Transaction,
    paths: &[std::path::PathBuf],
    dry_run: bool,
) -> anyhow::Result<Exit> {
    let done = match kb::ops::export::restore(tx, paths, dry_run) {
        Ok(done) => done,
        Err(kb::ops::export::RestoreError::Unreadable(e)) => bail!(e),
        Err(kb::ops::export::RestoreError::Kb(e)) => return Err(e.into()),
    };
    ctx.warn_index(done.index_problem.as_ref());
    if ctx.json {
        crate::render::print_json(&done)?;
    } else {
        for p in &done.problems {
            eprintln!("{} {p}", ctx.out.warning_label());
        }
        eprintln!(
            "{} {} questions; {} already here; {} problems.",
            if dry_run { "Would import" } else { "Imported" },
            done.created,
            done.duplicates,
            done.problems.len()
        );
    }
    Ok(Exit::Done)
}
