//! `kb fmt [--check]`

use crate::Ctx;
use crate::cli::FmtArgs;
use crate::exit::Exit;

pub fn run(ctx: &Ctx, args: FmtArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let mut tx = ctx.begin(&kb)?;
    let (differ, problems) = kb.unformatted()?;
    ctx.out.warn_skipped(&problems);
    let ids: Vec<&str> = differ.iter().map(|q| q.id.as_str()).collect();
    let mut commit = None;
    if !args.check && !differ.is_empty() {
        for q in &differ {
            tx.save(q)?;
        }
        let n = differ.len();
        let message = format!(
            "fmt: rewrite {n} question file{} in canonical form\n\n{}",
            if n == 1 { "" } else { "s" },
            ids.join("\n")
        );
        // One journalled change: a kill half-way is finished by the next kb.
        let done = tx.commit(&message)?;
        ctx.warn_after(&done);
        commit = done.commit;
    }
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Formatted {
            files: ids.iter().map(|s| s.to_string()).collect(),
            commit: commit.map(|c| c.to_string()),
        })?;
    } else {
        for id in &ids {
            println!("{}", kb.question_path(id)?.display());
        }
        let verb = if args.check {
            "would be rewritten"
        } else {
            "rewritten"
        };
        eprintln!(
            "{} file{} {verb}.",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        );
    }
    Ok(Exit::ok_if(!args.check || ids.is_empty()))
}
