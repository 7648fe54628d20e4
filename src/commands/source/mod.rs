//! `kb source add URL [--path SUBDIR] [--name NAME] [--tag T]...`, `kb source update [NAME]`,
//! `kb source list [--fetch]`. The work is in `kb::source`.

use crate::exit::Exit;
use std::path::Path;

mod list;
mod shown;

use crate::Ctx;
use crate::cli::{SourceAddArgs, SourceCommand, SourceUpdateArgs};
use crate::commands::sync::refuse_option_like;
use crate::commands::tag_args;

pub fn run(ctx: &Ctx, command: SourceCommand) -> anyhow::Result<Exit> {
    match command {
        SourceCommand::Add(args) => add(ctx, args),
        SourceCommand::Update(args) => update(ctx, args),
        SourceCommand::List(args) => list::list(ctx, args),
    }
}

fn add(ctx: &Ctx, args: SourceAddArgs) -> anyhow::Result<Exit> {
    refuse_option_like("the URL", &args.url)?;
    if let Some(n) = &args.name {
        refuse_option_like("the name", n)?;
    }
    let request = kb::source::AddRequest {
        url: local_url(&args.url),
        name: args.name,
        path: args.path,
        tags: tag_args(&args.tags)?,
    };
    let kb = ctx.open_kb_to_write()?;
    let mut tx = ctx.begin(&kb)?;
    let quiet = ctx.json;
    let added = kb::source::add(&mut tx, &request, &|url| {
        if !quiet {
            eprintln!("Cloning {url}…");
        }
    })?;
    ctx.warn_index(added.index_problem.as_ref());
    if ctx.json {
        crate::render::print_json(&added)?;
        return Ok(Exit::Done);
    }
    shown::added(ctx, &added);
    Ok(Exit::Done)
}

fn update(ctx: &Ctx, args: SourceUpdateArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    let mut tx = ctx.begin(&kb)?;
    let names: Vec<String> = match &args.name {
        Some(n) => vec![n.clone()],
        None => kb::source::sources(&kb)?
            .into_iter()
            .map(|s| s.name)
            .collect(),
    };
    if names.is_empty() {
        anyhow::bail!("this knowledge base follows no source (kb source add URL)");
    }
    let mut code = Exit::Done;
    let mut reports = Vec::new();
    for name in &names {
        match kb::source::update(&mut tx, name) {
            Ok(r) => {
                ctx.warn_index(r.index_problem.as_ref());
                if ctx.json {
                    reports.push(kb::ops::report::SourceUpdate::Done(Box::new(r)));
                } else {
                    shown::updated(ctx, &r);
                }
            }
            // One source failing (unreachable, say) does not keep the others from updating.
            Err(e) if names.len() > 1 => {
                code = Exit::Failed;
                if ctx.json {
                    reports.push(kb::ops::report::SourceUpdate::Failed {
                        name: name.clone(),
                        error: e.to_string(),
                    });
                } else {
                    eprintln!("{} {name}: {e}", ctx.out.error_label());
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if ctx.json {
        crate::render::print_json(&reports)?;
    }
    Ok(code)
}

/// A URL that names a folder on this machine, made absolute: kb.yaml records it, and git runs
/// elsewhere than where the user typed it.
fn local_url(url: &str) -> String {
    let path = Path::new(url);
    if !url.contains("://")
        && path.exists()
        && let Ok(abs) = path.canonicalize()
    {
        return abs.to_string_lossy().into_owned();
    }
    url.to_string()
}
