//! `kb show ID`

use crate::Ctx;
use crate::cli::ShowArgs;
use crate::exit::Exit;

pub fn run(ctx: &Ctx, args: ShowArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let id = match crate::commands::id_or_pick(ctx, &kb, args.id.as_deref(), "show")? {
        Ok(id) => id,
        Err(exit) => return Ok(exit),
    };
    let q = kb.load(&id)?;
    let path = kb.question_path(&id)?;
    let (before, after) = chain(ctx, &kb, &q)?;
    if ctx.json {
        let mut v = q.to_json();
        v["path"] = path.display().to_string().into();
        v["follow_ups"] = after
            .iter()
            .map(|f| f.id.clone())
            .collect::<Vec<_>>()
            .into();
        crate::render::print_json(&v)?;
        return Ok(Exit::Done);
    }
    let out = &ctx.out;
    let mut meta = vec![out.accent(&q.id)];
    if !q.tags.is_empty() {
        meta.push(q.tags.join(", "));
    }
    if let Some(p) = &q.project {
        meta.push(format!("project {p}"));
    }
    println!("{}", meta.join(" · "));
    // The chain an interviewer follows: what this one comes after, and what may come next.
    for (depth, p) in before.iter().rev().enumerate() {
        println!(
            "{}",
            out.dim(&format!(
                "{}↳ after {}  {}",
                "  ".repeat(depth),
                p.id,
                p.short(60)
            ))
        );
    }
    println!("{}", out.bold(&q.question));
    println!();
    // A placeholder (`TODO`) is shown as written, and counted as no answer.
    if !q.answer.trim().is_empty() {
        print!("{}", q.answer);
    }
    if !q.is_answered() {
        println!(
            "{}",
            out.dim(&format!("(no answer yet — kb edit {})", q.id))
        );
    } else {
        let seconds = kb::text::speaking_seconds(&q.answer);
        let mut note = format!("(to say: {})", kb::text::speaking_time(seconds, false));
        if q.project.is_some() && !kb::text::has_figure(&q.answer) {
            note.push_str(" · no figure in it: a project answer is believed by its numbers");
        }
        println!("{}", out.dim(&note));
    }
    if !after.is_empty() {
        println!();
        println!("follow-ups (asked next):");
        for f in &after {
            println!("  ↳ {}  {}", out.accent(&f.id), f.short(70));
        }
    }
    if !q.asked.is_empty() {
        println!();
        let occasions: Vec<String> = q.asked.iter().map(|a| a.label()).collect();
        println!("asked {}×: {}", q.asked.len(), occasions.join("; "));
    }
    let mut footer = Vec::new();
    if let Some(c) = q.created {
        footer.push(format!(
            "created {}",
            kb::time::format(c).get(..10).unwrap_or_default()
        ));
    }
    if let Some(u) = q.updated {
        footer.push(format!(
            "updated {}",
            kb::time::format(u).get(..10).unwrap_or_default()
        ));
    }
    footer.push(path.display().to_string());
    println!();
    println!("{}", out.dim(&footer.join(" · ")));
    Ok(Exit::Done)
}

/// The questions `q` follows up, nearest first (an alias leads to the question it was merged
/// into; a loop or a link to nothing ends the walk), and its own follow-ups.
fn chain(
    ctx: &Ctx,
    kb: &kb::Kb,
    q: &kb::Question,
) -> anyhow::Result<(Vec<kb::Question>, Vec<kb::Question>)> {
    let mut before: Vec<kb::Question> = Vec::new();
    let mut next = q.follow_up_of.clone();
    while let Some(link) = next.take() {
        let Ok(id) = kb.resolve(&link) else { break };
        if id == q.id || before.iter().any(|b| b.id == id) || before.len() >= 10 {
            break;
        }
        let Ok(parent) = kb.load(&id) else { break };
        next = parent.follow_up_of.clone();
        before.push(parent);
    }
    let mut names = vec![q.id.clone()];
    names.extend(q.aliases.iter().cloned());
    // Found through the index (reading every file made `kb show` 360 ms at 10k questions).
    let index = crate::commands::open_index(ctx, kb)?;
    let after = index
        .follow_ups_of(&names)?
        .into_iter()
        .filter(|id| *id != q.id)
        .filter_map(|id| kb.load(&id).ok())
        .filter(|f| f.follow_up_of.as_ref().is_some_and(|p| names.contains(p)))
        .collect();
    Ok((before, after))
}
