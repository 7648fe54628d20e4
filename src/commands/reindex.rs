//! `kb reindex`

use crate::exit::Exit;
use std::time::Instant;

use crate::Ctx;
use crate::render::Bar;

pub fn run(ctx: &Ctx) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    // Rebuilding the cache commits nothing: it works during a rebase or on a detached HEAD.
    let _lock = kb.lock(&|| eprintln!("Another kb is writing to this knowledge base; waiting…"))?;
    let started = Instant::now();
    let (index, refresh) = kb::index::SearchIndex::rebuild(&kb, &Bar::new())?;
    ctx.out.warn_skipped(&refresh.problems);
    let seconds = started.elapsed().as_secs_f64();
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Indexed {
            questions: index.len(),
            skipped: refresh.problems.len(),
            seconds,
        })?;
    } else {
        eprintln!("Indexed {} questions in {seconds:.2} s.", index.len());
    }
    Ok(Exit::Done)
}
