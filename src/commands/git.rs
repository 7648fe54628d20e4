//! `kb git ARGS...`: git, run in the knowledge base's folder.

use anyhow::Context;

use crate::Ctx;
use crate::cli::GitArgs;
use crate::exit::Exit;

pub fn run(ctx: &Ctx, args: GitArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let status = kb::git::run::run_as_user(Some(kb.root()), &args.args)
        .context("could not run git (is it installed and on PATH?)")?;
    Ok(Exit::Git(
        status.code().map(|c| c.clamp(0, 255) as u8).unwrap_or(1),
    ))
}
