//! `kb source list [--fetch]`: each source, the commit imported and how far behind it is.

use crate::Ctx;
use crate::cli::SourceListArgs;
use crate::exit::Exit;

pub fn list(ctx: &Ctx, args: SourceListArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let mut code = Exit::Done;
    if args.fetch {
        // Fetching writes only inside .git/kb/sources, never the bank: the plain lock keeps two
        // kbs from fetching into one clone at once.
        let quiet = ctx.json;
        let _lock = kb.lock(&|| {
            if !quiet {
                eprintln!("Another kb is writing to this knowledge base; waiting…");
            }
        })?;
        for s in kb::source::sources(&kb)? {
            if let Err(e) = kb::source::fetch(&kb, &s) {
                code = Exit::Failed;
                eprintln!("{} {e}", ctx.out.warning_label());
            }
        }
    }
    let statuses = kb::source::list(&kb)?;
    if ctx.json {
        crate::render::print_json(&statuses)?;
        return Ok(code);
    }
    if statuses.is_empty() {
        eprintln!("This knowledge base follows no source (kb source add URL).");
        return Ok(code);
    }
    let mut table = ctx.out.table(&["Name", "URL", "Path", "Commit", "Behind"]);
    for s in &statuses {
        table.add_row(vec![
            s.name.clone(),
            s.url.clone(),
            s.path.clone().unwrap_or_default(),
            s.commit[..7.min(s.commit.len())].to_string(),
            match (s.behind, s.cloned) {
                (Some(n), _) => n.to_string(),
                (None, false) => "not cloned here".into(),
                (None, true) => "?".into(),
            },
        ]);
    }
    println!("{table}");
    if !args.fetch {
        eprintln!("(as of the last fetch; --fetch asks the remotes now)");
    }
    Ok(code)
}
