//! `kb sync`, `kb remote add|list`, `kb clone`, and the merge driver git calls during a sync.

use crate::exit::Exit;

use anyhow::{Context, bail};

mod clone;
mod remote;

pub use clone::{clone, merge_driver};
pub use remote::{refuse_option_like, remote};

use crate::Ctx;
use crate::cli::SyncArgs;
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
