//! Before adding: is the same question in the bank already? On a terminal the person
//! decides; in a script the look-alikes are named.

use std::io::IsTerminal;

use crate::Ctx;
use crate::cli::AddArgs;
use crate::commands::dedupe::{Deduper, Which, ask_which, present};
use kb::ops::interview::Decision;

/// Whether the question is already in the bank. On a terminal, the close matches are shown and
/// the person decides; in a script (or with --yes without an interview) the question is added
/// and the look-alikes are named on stderr; `--no-dedupe` looks for nothing. `None`: the person
/// chose to stop, or gave no answer.
pub fn look(
    ctx: &Ctx,
    kb: &kb::Kb,
    args: &AddArgs,
    incoming: &kb::intake::Incoming,
    project: Option<&str>,
    asked_at: bool,
) -> anyhow::Result<Option<Decision>> {
    if args.dedupe.no_dedupe {
        return Ok(Some(Decision::New));
    }
    let deduper = Deduper::new(kb, &args.dedupe, project)?;
    let person = crate::editor::interactive() && std::io::stderr().is_terminal();
    let least = if person && !args.dedupe.yes {
        deduper.shown_threshold()
    } else {
        args.dedupe.threshold
    };
    let found = deduper.candidates_above(&incoming.question, least)?;
    if found.is_empty() {
        return Ok(Some(Decision::New));
    }
    let likely = found[0].similarity >= args.dedupe.threshold;
    if args.dedupe.yes && asked_at {
        return Ok(Some(deduper.without_asking(
            ctx,
            &incoming.question,
            &found,
        )));
    }
    if args.dedupe.yes || !person {
        for c in &found {
            eprintln!(
                "{} the bank already has a question like this: {} {:.2}  {}{}",
                ctx.out.warning_label(),
                c.id,
                c.similarity,
                c.question,
                if c.why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.why)
                }
            );
        }
        eprintln!(
            "If they are the same, fold them with: kb merge {} NEW-ID",
            found[0].id
        );
        return Ok(Some(Decision::New));
    }
    present(ctx, "Adding:", &incoming.question, likely, &found);
    let same = if asked_at {
        "record as asked again on it"
    } else {
        "it is that one (your answer and tags go to it)"
    };
    let likely_prompt = format!("[S]ame as 1: {same}; [a]dd anyway; [q]uit");
    let weak_prompt = format!("[s]ame as 1: {same}; [A]dd anyway; [q]uit");
    Ok(
        match ask_which(
            &found,
            likely,
            [&likely_prompt, &weak_prompt],
            &["s", "same", "y", "yes"],
            &["a", "add", "n", "new"],
            &["q", "quit", "abort"],
        ) {
            Some(Which::Existing(id)) => Some(Decision::Existing(id)),
            Some(Which::New) => Some(Decision::New),
            Some(Which::Quit) | None => None,
        },
    )
}
