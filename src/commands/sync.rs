//! `kb sync`, `kb remote add|list`, `kb clone`, and the merge driver git calls during a sync.

use crate::exit::Exit;

use anyhow::{Context, bail};

use crate::Ctx;
use crate::cli::{CloneArgs, MergeDriverArgs, RemoteCommand, SyncArgs};
use kb::sync::SyncError;

pub fn run(ctx: &Ctx, args: SyncArgs) -> anyhow::Result<Exit> {
    if let Some(remote) = &args.remote {
        refuse_option_like("the remote", remote)?;
    }
    let kb = ctx.open_kb()?;
    let tx = ctx.begin(&kb)?;
    let exe = std::env::current_exe()
        .context("could not find the kb executable for git's merge driver")?;
    let result = kb::sync::sync(&tx, &exe, args.remote.as_deref());
    // Whatever happened, the index follows what is now on disk.
    if let Err(e) = kb::index::SearchIndex::refresh_existing(&kb) {
        eprintln!("{} {e}", ctx.out.warning_label());
    }
    let (code, report, error) = match result {
        Ok(r) => (Exit::Done, Some(r), None),
        Err(SyncError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            (
                Exit::Invalid,
                None,
                Some(format!(
                    "{} invalid file(s): fix them (kb check) and sync again; nothing was committed or pushed",
                    problems.len()
                )),
            )
        }
        Err(e @ SyncError::Unreachable { .. }) => (Exit::Unreachable, None, Some(e.to_string())),
        Err(e @ SyncError::Conflict { .. }) => (Exit::Conflict, None, Some(e.to_string())),
        Err(e @ SyncError::Rejected { .. }) => (Exit::Rejected, None, Some(e.to_string())),
        Err(e @ SyncError::GitFailed { .. }) => (Exit::Failed, None, Some(e.to_string())),
        Err(SyncError::NoRemote) => bail!(SyncError::NoRemote),
        Err(SyncError::Other(e)) => return Err(e.into()),
    };
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Synced {
            ok: code == Exit::Done,
            exit: code.code(),
            report: report.as_ref(),
            error,
        })?;
    } else {
        if let Some(r) = &report {
            let mut parts = Vec::new();
            if r.committed > 0 {
                parts.push(format!(
                    "committed {} hand-edited file{}",
                    r.committed,
                    if r.committed == 1 { "" } else { "s" }
                ));
            }
            parts.push(format!(
                "pulled {} commit{}",
                r.pulled,
                if r.pulled == 1 { "" } else { "s" }
            ));
            parts.push(format!("pushed {}", r.pushed));
            if r.merged > 0 {
                parts.push(format!("auto-merged {}", r.merged));
            }
            if r.folded > 0 {
                parts.push(format!(
                    "kept {} twice-added question{} once",
                    r.folded,
                    if r.folded == 1 { "" } else { "s" }
                ));
            }
            if r.folded_back > 0 {
                parts.push(format!(
                    "folded {} edit{} into question{} merged elsewhere",
                    r.folded_back,
                    if r.folded_back == 1 { "" } else { "s" },
                    if r.folded_back == 1 { "" } else { "s" }
                ));
            }
            eprintln!(
                "Synced with {} ({}): {}.",
                r.remote,
                r.branch,
                parts.join(", ")
            );
            for kept in &r.kept {
                eprintln!("{kept}");
            }
            if !r.conflicts.is_empty() {
                eprintln!(
                    "{} question{} changed on both machines keep both versions, tagged `conflict`: {}\nTidy them with kb edit; find them with kb list --conflicts.",
                    r.conflicts.len(),
                    if r.conflicts.len() == 1 { "" } else { "s" },
                    r.conflicts.join(", ")
                );
            }
        }
        if let Some(e) = &error {
            eprintln!("{} {e}", ctx.out.error_label());
        }
    }
    Ok(code)
}

pub fn remote(ctx: &Ctx, command: RemoteCommand) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    match command {
        RemoteCommand::Add(args) => {
            if kb.repo().find_remote(&args.name).is_ok() {
                bail!(
                    "a remote named {:?} already exists (kb git remote set-url {} URL to change it)",
                    args.name,
                    args.name
                );
            }
            refuse_option_like("the URL", &args.url)?;
            refuse_option_like("the remote name", &args.name)?;
            kb.repo().remote(&args.name, &args.url)?;
            if ctx.json {
                crate::render::print_json(&kb::ops::report::Remote {
                    name: &args.name,
                    url: &args.url,
                })?;
            } else {
                eprintln!("Added remote {} → {}. Run kb sync.", args.name, args.url);
            }
        }
        RemoteCommand::List => {
            let remotes = kb.repo().remotes()?;
            let mut rows = Vec::new();
            for name in remotes.iter().flatten().flatten() {
                let url = kb
                    .repo()
                    .find_remote(name)
                    .ok()
                    .and_then(|r| r.url().ok().map(String::from))
                    .unwrap_or_default();
                rows.push((name.to_string(), url));
            }
            if ctx.json {
                let rows: Vec<kb::ops::report::Remote> = rows
                    .iter()
                    .map(|(name, url)| kb::ops::report::Remote { name, url })
                    .collect();
                crate::render::print_json(&rows)?;
            } else {
                for (n, u) in &rows {
                    println!("{n}\t{u}");
                }
            }
        }
    }
    Ok(Exit::Done)
}

/// A URL or remote name that starts with `-` would reach git as an option
/// (`--upload-pack=CMD` runs CMD): refused before git sees it.
pub fn refuse_option_like(what: &str, value: &str) -> anyhow::Result<()> {
    if value.starts_with('-') {
        bail!(
            "{what} {value:?} starts with `-`, which git would take as an option; kb refuses it \
             (write a path as ./{value})"
        );
    }
    Ok(())
}

pub fn clone(ctx: &Ctx, args: CloneArgs) -> anyhow::Result<Exit> {
    refuse_option_like("the URL", &args.url)?;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => kb::sync::clone::default_dir(&args.url),
    };
    let cloned = kb::sync::clone::clone(&args.url, &dir, &crate::render::Bar::new())?;
    ctx.out.warn_skipped(&cloned.problems);
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Cloned {
            path: cloned.root.display().to_string(),
            questions: cloned.questions,
        })?;
    } else {
        println!("{}", cloned.root.display());
        eprintln!(
            "Cloned {} questions into {}; the search index is built.",
            cloned.questions,
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
