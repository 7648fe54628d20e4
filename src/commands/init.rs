//! `kb init [DIR]`

use crate::exit::Exit;
use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::Ctx;
use crate::cli::InitArgs;

/// `path` made absolute and tidied (`.`, `..` and symlinks resolved as far as it exists).
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // The longest existing ancestor is canonicalised; the rest is joined on as written.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(name)) => {
                rest.push(name.to_os_string());
                existing = p;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

pub fn run(ctx: &Ctx, args: InitArgs) -> anyhow::Result<Exit> {
    // `--kb DIR` (or KB_DIR) names where the knowledge base is, for init too; a DIR that says
    // otherwise is a contradiction, not a choice to make silently.
    let dir = match (&args.dir, &ctx.kb_dir) {
        (Some(d), Some(k)) if absolute(d) != absolute(k) => bail!(
            "kb init {} was given, but --kb/KB_DIR names {}: say one place (drop --kb, or unset \
             KB_DIR, or run `kb init` without a folder)",
            d.display(),
            k.display()
        ),
        (Some(d), _) => d.clone(),
        (None, Some(k)) => k.clone(),
        (None, None) => PathBuf::from("."),
    };
    let target = absolute(&dir);
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| absolute(&h));
    if target.parent().is_none() || Some(&target) == home.as_ref() {
        bail!(
            "kb will not create a knowledge base (and a git repository) in {}: every folder \
             below it would be inside that repository. Give it a folder of its own, e.g. `kb \
             init {}`",
            target.display(),
            target.join("interview-kb").display()
        );
    }
    if let Some(url) = &args.remote {
        crate::commands::sync::refuse_option_like("the URL", url)?;
    }
    let kb = kb::Kb::init(&dir, args.name.as_deref())?;
    if let Some(url) = &args.remote {
        kb.repo().remote("origin", url)?;
    }
    let root = kb::error::display_path(kb.root());
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Created {
            path: root.display().to_string(),
            name: kb.config.name.clone(),
        })?;
    } else {
        let shown = if root.as_os_str().is_empty() {
            ".".into()
        } else {
            root.display().to_string()
        };
        println!("Created knowledge base {:?} in {shown}", kb.config.name);
        eprintln!("Next: kb add \"질문\" --tag TAG   (or kb add to write it in your editor)");
    }
    Ok(Exit::Done)
}
