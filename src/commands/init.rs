//! `kb init [DIR]`

use crate::Ctx;
use crate::cli::InitArgs;

pub fn run(ctx: &Ctx, args: InitArgs) -> anyhow::Result<u8> {
    let kb = kb::Kb::init(&args.dir, args.name.as_deref())?;
    if let Some(url) = &args.remote {
        kb.repo().remote("origin", url)?;
    }
    let root = kb::store::display_path(kb.root());
    if ctx.json {
        crate::render::print_json(&serde_json::json!({
            "path": root,
            "name": kb.config.name,
        }))?;
    } else {
        let shown = if root.as_os_str().is_empty() {
            ".".into()
        } else {
            root.display().to_string()
        };
        println!("Created knowledge base {:?} in {shown}", kb.config.name);
        eprintln!("Next: kb add \"질문\" --tag TAG   (or kb add to write it in your editor)");
    }
    Ok(0)
}
