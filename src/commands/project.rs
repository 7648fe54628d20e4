//! `kb project add | list | show` (the work is `kb::ops::project`'s).

use anyhow::bail;
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{
    ProjectAddArgs, ProjectCommand, ProjectRenameArgs, ProjectRmArgs, ProjectShowArgs,
};
use crate::exit::Exit;
use kb::ops::project::{Details, Status};

pub fn run(ctx: &Ctx, command: ProjectCommand) -> anyhow::Result<Exit> {
    match command {
        ProjectCommand::Add(args) => add(ctx, args),
        ProjectCommand::List => list(ctx),
        ProjectCommand::Show(args) => show(ctx, args),
        ProjectCommand::Rename(args) => rename(ctx, args),
        ProjectCommand::Rm(args) => rm(ctx, args),
        ProjectCommand::Import(args) => crate::commands::project_import::run(ctx, args),
    }
}

fn rename(ctx: &Ctx, args: ProjectRenameArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let project = kb.resolve_project(&args.project)?;
    let mut tx = ctx.begin(&kb)?;
    let done =
        kb::ops::project_edit::rename(&mut tx, &project, args.name.as_deref(), args.id.as_deref())?;
    if ctx.json {
        crate::render::print_json(&done)?;
        return Ok(Exit::Done);
    }
    if done.commit.is_none() {
        eprintln!("Nothing to change: {} is already {}.", done.id, done.name);
        return Ok(Exit::Done);
    }
    println!("{}", done.id);
    if let Some(old) = &done.old_id {
        eprintln!(
            "Renamed {old} to {}: the project file, {} and {}.",
            done.id,
            crate::render::plural(done.relinked_questions, "question"),
            crate::render::plural(done.relinked_interviews, "interview record")
        );
    }
    if done.name != done.old_name {
        eprintln!(
            "Named it {}; {} reworded.",
            done.name,
            crate::render::plural(done.reworded.len(), "template question")
        );
    }
    if !done.kept_wording.is_empty() {
        eprintln!(
            "Left as you wrote them (edited since the template): {}",
            done.kept_wording.join(", ")
        );
    }
    Ok(Exit::Done)
}

fn rm(ctx: &Ctx, args: ProjectRmArgs) -> anyhow::Result<Exit> {
    use kb::ops::project_edit::Questions;
    let kb = ctx.open_kb()?;
    let project = kb.resolve_project(&args.project)?;
    let mut tx = ctx.begin(&kb)?;
    let what = if args.with_questions {
        Questions::Remove
    } else {
        Questions::Keep
    };
    let done = kb::ops::project_edit::remove(&mut tx, &project, what)?;
    if ctx.json {
        crate::render::print_json(&done)?;
        return Ok(Exit::Done);
    }
    match what {
        Questions::Remove => eprintln!(
            "Removed project {} and its {}.",
            done.id,
            crate::render::plural(done.removed.len(), "question")
        ),
        Questions::Keep => eprintln!(
            "Removed project {}; its {} stay, without a project.",
            done.id,
            crate::render::plural(done.kept.len(), "question")
        ),
    }
    if !done.removed_with_work.is_empty() {
        eprintln!(
            "Of them, {} an answer or had been asked in an interview: {}. `git revert {}` brings them back.",
            match done.removed_with_work.len() {
                1 => "1 had".to_string(),
                n => format!("{n} had"),
            },
            done.removed_with_work.join(", "),
            done.commit
                .as_deref()
                .map(|c| &c[..c.len().min(12)])
                .unwrap_or("HEAD")
        );
    }
    Ok(Exit::Done)
}

fn add(ctx: &Ctx, args: ProjectAddArgs) -> anyhow::Result<Exit> {
    if args.name.trim().is_empty() {
        bail!("the project needs a name");
    }
    let kb = ctx.open_kb()?;
    let mut tx = ctx.begin(&kb)?;
    let details = Details {
        name: args.name,
        id: args.id,
        summary: args.summary,
        role: args.role,
        team: args.team,
        period: args.period,
    };
    let added = kb::ops::project::add(&mut tx, &details)?;
    ctx.out.warn_skipped(&added.skipped);
    ctx.warn_index(added.index_problem.as_ref());
    if ctx.json {
        crate::render::print_json(&added)?;
        return Ok(Exit::Done);
    }
    println!("{}", added.id);
    for q in &added.questions {
        eprintln!("  + {}  {}", q.id, q.question);
    }
    let n = added.questions.len();
    eprintln!(
        "{} project {} with {n} template question{}. Next: kb project show {}",
        if added.updated { "Updated" } else { "Added" },
        added.id,
        if n == 1 { "" } else { "s" },
        added.id
    );
    Ok(Exit::Done)
}

fn list(ctx: &Ctx) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let (rows, problems) = kb::ops::project::list(&kb)?;
    ctx.out.warn_skipped(&problems);
    if ctx.json {
        crate::render::print_json(&rows)?;
        return Ok(Exit::Done);
    }
    if rows.is_empty() {
        eprintln!("No projects yet: kb project add \"프로젝트 이름\"");
        return Ok(Exit::Failed);
    }
    let mut table = ctx.out.table(&["ID", "Name", "Period", "Answered"]);
    for r in &rows {
        table.add_row(vec![
            Cell::new(&r.project.id),
            Cell::new(&r.project.name),
            Cell::new(r.project.period.as_deref().unwrap_or("")),
            Cell::new(format!("{}/{}", r.answered, r.questions)),
        ]);
    }
    println!("{table}");
    Ok(Exit::Done)
}

fn show(ctx: &Ctx, args: ProjectShowArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let project = kb.resolve_project(&args.project)?;
    let shown = kb::ops::project::show(&kb, project)?;
    ctx.out.warn_skipped(&shown.skipped);
    if ctx.json {
        let mut v = serde_json::to_value(&shown)?;
        if let Some(lines) = crate::commands::project_import::coverage_json(&kb, &shown.project)? {
            v["resume"] = lines;
        }
        crate::render::print_json(&v)?;
        return Ok(Exit::Done);
    }
    let p = &shown.project;
    println!("{}  {}", ctx.out.accent(&p.id), ctx.out.bold(&p.name));
    for (k, v) in [
        ("role", &p.role),
        ("period", &p.period),
        ("summary", &p.summary),
    ] {
        if let Some(v) = v {
            println!("{k}: {v}");
        }
    }
    if let Some(t) = p.team {
        println!("team: {t}");
    }
    let (answered, empty) = (shown.count(Status::Answered), shown.count(Status::Empty));
    let stale = shown.count(Status::Stale);
    let n = shown.questions.len();
    println!("\n{n} questions: {answered} answered, {empty} empty, {stale} stale\n");
    let colour = |c: anstyle::AnsiColor| anstyle::Style::new().fg_color(Some(c.into()));
    let mut table = ctx.out.table(&["Status", "ID", "Question", "To say"]);
    for q in &shown.questions {
        let mark = match q.status {
            Status::Answered if q.no_figure => ctx
                .out
                .paint(colour(anstyle::AnsiColor::Yellow), "✓ no figure"),
            Status::Answered => "✓ answered".to_string(),
            Status::Stale => ctx.out.paint(colour(anstyle::AnsiColor::Yellow), "! stale"),
            Status::Empty => ctx.out.paint(colour(anstyle::AnsiColor::Red), "· empty"),
        };
        table.add_row(vec![
            Cell::new(mark),
            Cell::new(&q.id),
            Cell::new(&q.question),
            Cell::new(match q.speaking_seconds {
                0 => String::new(),
                n => kb::text::speaking_time(n, false),
            }),
        ]);
    }
    println!("{table}");
    let vague = shown.questions.iter().filter(|q| q.no_figure).count();
    if vague > 0 {
        eprintln!(
            "{} answered without a figure: a project answer is believed by its numbers (how \
             many, how fast, from what to what).",
            crate::render::plural(vague, "question")
        );
    }
    crate::commands::project_import::show_coverage(ctx, &kb, p)?;
    if empty > 0 {
        eprintln!("Fill one in with: kb edit ID");
    }
    Ok(Exit::Done)
}
