//! `kb interview add`: write down what was asked, see it parsed, decide what is already in
//! the bank, and record it all in one commit (`kb::ops::interview::record`).

use anyhow::bail;
use comfy_table::Cell;

use super::confirm::Listed;
use super::intake::{Source, decide_all};
use super::text::parse_date;
use crate::Ctx;
use crate::cli::InterviewAddArgs;
use crate::commands::tag_args;
use crate::exit::Exit;
use kb::drafts::Kind;
use kb::interview::Interview;

pub fn add(ctx: &Ctx, args: InterviewAddArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    // A date that does not exist is said before anything is typed or kept.
    if let Some(d) = &args.date {
        parse_date(d)?;
    }
    let Some((mut draft, mut kept, source)) = super::start::open_list(&kb, &args)? else {
        return Ok(Exit::Done);
    };
    if args.from.as_ref().is_some_and(|f| f.as_os_str() == "-")
        || (source == Source::Text && args.from.is_none())
    {
        // Standard input carried the list: answers to prompts come from the terminal.
        crate::editor::prompts_from_terminal();
    }

    // Checked before the editor opens, so a typo in an option costs no typing.
    if kept.company.trim().is_empty() {
        bail!("--company cannot be empty");
    }
    company_as_the_bank_writes_it(ctx, &kb, &mut kept.company)?;
    let tags = tag_args(&kept.tags)?;
    let date = kept.date()?;
    let project = match &kept.project {
        Some(p) => Some(kb.resolve_project(p)?.id),
        None => None,
    };
    kept.project = project.clone();
    draft.meta.options = serde_json::to_value(&kept)?;
    draft.save_meta()?;

    let resume = Kind::Interview.resume_command(None);
    let guard = crate::interrupt::Guard::new(&format!(
        "Interrupted: nothing was recorded. Your list is kept in {}; go on with `{resume}`.",
        draft.path.display()
    ));
    let kept_at = draft.path.display().to_string();
    let kept_note = |why: &str| {
        eprintln!(
            "{why} Nothing was recorded. Your list is kept in {kept_at}; go on with `{resume}`."
        );
    };
    let incoming = match super::confirm::confirmed(ctx, &args, &draft, &kept, &source, &kept_note)?
    {
        Listed::Ready(incoming) => incoming,
        Listed::Untouched => {
            draft.discard()?;
            eprintln!("Aborting: no questions were written; nothing was recorded.");
            return Ok(Exit::Failed);
        }
        Listed::Stopped => return Ok(Exit::Failed),
    };

    let interview_id = draft
        .meta
        .lands_as
        .clone()
        .unwrap_or_else(|| kb::interview::new_id(date));
    let mut interview = Interview::new(interview_id, &kept.company);
    interview.date = Some(date);
    interview.round = kept.round.clone().filter(|r| !r.trim().is_empty());
    interview.position = kept.position.clone();
    interview.outcome = kept.outcome.clone();
    interview.project = project.clone();
    interview.notes = kb::yaml::normalise_block(kept.notes.as_deref().unwrap_or(""));

    let decisions = decide_all(
        ctx,
        &kb,
        &incoming,
        &args.dedupe,
        project.as_deref(),
        &mut draft,
    )
    .inspect_err(|_| kept_note("Stopped."))?;
    // From here on kb writes; an interrupt is an ordinary kill, which the next kb cleans up
    // after (the draft stays until the commit has landed).
    drop(guard);
    let mut tx = ctx.begin(&kb)?;
    let placement = kb::ops::interview::Placement {
        tags: &tags,
        project: project.as_deref(),
    };
    let done = kb::ops::interview::record(&mut tx, &interview, &incoming, decisions, placement)?;
    draft.discard()?;
    ctx.warn_after(&done.committed);
    let (outcomes, new, again) = (&done.outcomes, done.new_count(), done.again_count());

    if ctx.json {
        crate::render::print_json(&done.report(&interview))?;
    } else {
        println!("{}", interview.id);
        if !outcomes.is_empty() {
            let mut table = ctx.out.table(&["", "ID", "Asked"]);
            for o in outcomes {
                table.add_row(vec![
                    Cell::new(if o.new { "new" } else { "again" }),
                    Cell::new(&o.id),
                    Cell::new(&o.incoming),
                ]);
            }
            eprintln!("{table}");
        }
        eprintln!(
            "Recorded {}: {new} new question{}, {again} asked again.",
            interview.label(),
            if new == 1 { "" } else { "s" }
        );
    }
    Ok(Exit::Done)
}

/// The company as the bank already writes it when `typed` is another spelling or an alias of
/// it (`kakao`, `KAKAO` → `카카오`), so one company is one name in stats and filters; a new
/// company close to a known one gets a note (it may be a slip).
fn company_as_the_bank_writes_it(ctx: &Ctx, kb: &kb::Kb, typed: &mut String) -> anyhow::Result<()> {
    let (index, _) = kb::index::SearchIndex::open(kb, &crate::render::Bar::new())?;
    let known = crate::commands::known::Known::of(kb, &index);
    match known.company(typed)? {
        Some(c) if c != *typed => {
            if !ctx.json {
                eprintln!("Company: {c} (the name earlier interviews use for {typed:?}).");
            }
            *typed = c;
        }
        Some(_) => {}
        None => {
            let near = known.near_companies(typed)?;
            if !near.is_empty() && !ctx.json {
                eprintln!(
                    "Note: {typed:?} is a new company here{} (two names of one company go in \
                     kb.yaml's `companies:`)",
                    kb::names::did_you_mean(&near)
                );
            }
        }
    }
    Ok(())
}
