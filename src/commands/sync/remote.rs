//! `kb remote add | list`: the remote to sync with; and the check every URL kb passes to git
//! goes through.

use anyhow::bail;

use crate::Ctx;
use crate::cli::RemoteCommand;
use crate::exit::Exit;

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
