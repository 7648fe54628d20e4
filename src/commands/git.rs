//! `kb git ARGS...`: git, run in the knowledge base's folder.

use anyhow::Context;

use crate::Ctx;
use crate::cli::GitArgs;
use crate::exit::Exit;

pub fn run(ctx: &Ctx, args: GitArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let status = std::process::Command::new("git")
        .args(&args.args)
        .current_dir(kb.root())
        .status()
        .context("could not run git (is it installed and on PATH?)")?;
    Ok(Exit::Git(
        status.code().map(|c| c.clamp(0, 255) as u8).unwrap_or(1),
    ))
}
