//! `kb project add | list | show`

use crate::exit::Exit;
use anyhow::bail;
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{ProjectAddArgs, ProjectCommand, ProjectShowArgs};
use kb::project::{Project, id_for, instantiate};

pub fn run(ctx: &Ctx, command: ProjectCommand) -> anyhow::Result<Exit> {
    match command {
        ProjectCommand::Add(args) => add(ctx, args),
        ProjectCommand::List => list(ctx),
        ProjectCommand::Show(args) => show(ctx, args),
    }
}

fn add(ctx: &Ctx, args: ProjectAddArgs) -> anyhow::Result<Exit> {
    if args.name.trim().is_empty() {
        bail!("the project needs a name");
    }
    let kb = ctx.open_kb()?;
    let mut tx = ctx.begin(&kb)?;
    let (projects, problems) = kb.load_projects()?;
    ctx.out.warn_skipped(&problems);
    let existing = match &args.id {
        Some(id) => projects.iter().find(|p| p.id == *id),
        None => projects.iter().find(|p| p.name == args.name.trim()),
    };
    let mut project = match existing {
        Some(p) => p.clone(),
        None => {
            let id = match &args.id {
                Some(id) => kb::id::validate(id.trim())?.to_string(),
                None => {
                    let mut id = id_for(&args.name);
                    while projects.iter().any(|p| p.id == id) {
                        id = format!("{}-{}", id_for(&args.name), &kb::id::generate("x")[2..5]);
                    }
                    id
                }
            };
            Project::new(id, &args.name)
        }
    };
    let before = project.clone();
    if existing.is_some() {
        project.name = args.name.trim().to_string();
    }
    if let Some(s) = &args.summary {
        project.summary = Some(s.clone());
    }
    if let Some(r) = &args.role {
        project.role = Some(r.clone());
    }
    if args.team.is_some() {
        project.team = args.team;
    }
    if let Some(p) = &args.period {
        project.period = Some(p.clone());
    }
    let changed = existing.is_none() || project != before;
    if changed && existing.is_some() {
        project.updated = Some(kb::time::now());
    }

    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let mut new_questions = instantiate(&project, &kb.template()?, &loaded.questions);
    // A question file may already hold that id (a hand-made one): do not overwrite it.
    new_questions.retain(|q| {
        kb.question_path(&q.id)
            .map(|p| !p.exists())
            .unwrap_or(false)
    });

    // One journalled change: a kill half-way is finished by the next kb.
    if changed {
        tx.save_project(&project)?;
    }
    for q in &new_questions {
        tx.save(q)?;
    }
    let commit = if tx.is_empty() {
        None
    } else {
        let verb = if existing.is_some() { "update" } else { "add" };
        let message = format!(
            "project {verb} {}: {} ({} question{} from the template)",
            project.id,
            kb::model::truncate_chars(&project.name, 40),
            new_questions.len(),
            if new_questions.len() == 1 { "" } else { "s" }
        );
        let done = tx.commit(&message)?;
        ctx.warn_after(&done);
        done.commit
    };
    if ctx.json {
        crate::render::print_json(&serde_json::json!({
            "id": project.id,
            "questions": new_questions.iter().map(|q| &q.id).collect::<Vec<_>>(),
            "commit": commit.map(|c| c.to_string()),
        }))?;
    } else {
        println!("{}", project.id);
        for q in &new_questions {
            eprintln!("  + {}  {}", q.id, q.question);
        }
        eprintln!(
            "{} project {} with {} template question{}. Next: kb project show {}",
            if existing.is_some() {
                "Updated"
            } else {
                "Added"
            },
            project.id,
            new_questions.len(),
            if new_questions.len() == 1 { "" } else { "s" },
            project.id
        );
    }
    Ok(Exit::Done)
}

fn list(ctx: &Ctx) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let (projects, problems) = kb.load_projects()?;
    ctx.out.warn_skipped(&problems);
    let loaded = kb.load_all()?;
    let rows: Vec<(Project, usize, usize)> = projects
        .into_iter()
        .map(|p| {
            let qs: Vec<_> = loaded
                .questions
                .iter()
                .filter(|q| q.project.as_deref() == Some(p.id.as_str()))
                .collect();
            let answered = qs.iter().filter(|q| q.is_answered()).count();
            let n = qs.len();
            (p, n, answered)
        })
        .collect();
    if ctx.json {
        crate::render::print_json(
            &rows
                .iter()
                .map(|(p, n, a)| {
                    let mut v = p.to_json();
                    v["questions"] = (*n).into();
                    v["answered"] = (*a).into();
                    v
                })
                .collect::<Vec<_>>(),
        )?;
        return Ok(Exit::Done);
    }
    if rows.is_empty() {
        eprintln!("No projects yet: kb project add \"프로젝트 이름\"");
        return Ok(Exit::Failed);
    }
    let mut table = ctx.out.table(&["ID", "Name", "Period", "Answered"]);
    for (p, n, a) in &rows {
        table.add_row(vec![
            Cell::new(&p.id),
            Cell::new(&p.name),
            Cell::new(p.period.as_deref().unwrap_or("")),
            Cell::new(format!("{a}/{n}")),
        ]);
    }
    println!("{table}");
    Ok(Exit::Done)
}

/// A question's answer status for its project: answered, empty, or stale (not edited since the
/// project record changed).
pub fn status(q: &kb::Question, project: &Project) -> &'static str {
    if !q.is_answered() {
        "empty"
    } else if matches!((q.updated, project.updated), (Some(qu), Some(pu)) if qu < pu) {
        "stale"
    } else {
        "answered"
    }
}

fn show(ctx: &Ctx, args: ProjectShowArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let project = kb.resolve_project(&args.project)?;
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let template = kb.template().unwrap_or_default();
    let mut questions: Vec<&kb::Question> = loaded
        .questions
        .iter()
        .filter(|q| q.project.as_deref() == Some(project.id.as_str()))
        .collect();
    // Template questions first, in the template's order, then the project's own.
    let order = |q: &kb::Question| {
        q.template
            .as_deref()
            .and_then(|k| template.iter().position(|e| e.key == k))
            .unwrap_or(usize::MAX)
    };
    questions.sort_by(|a, b| order(a).cmp(&order(b)).then(a.id.cmp(&b.id)));
    if ctx.json {
        let mut v = project.to_json();
        v["questions"] = questions
            .iter()
            .map(|q| serde_json::json!({"id": q.id, "question": q.question, "status": status(q, &project), "template": q.template}))
            .collect();
        crate::render::print_json(&v)?;
        return Ok(Exit::Done);
    }
    println!(
        "{}  {}",
        ctx.out.accent(&project.id),
        ctx.out.bold(&project.name)
    );
    for (k, v) in [
        ("role", &project.role),
        ("period", &project.period),
        ("summary", &project.summary),
    ] {
        if let Some(v) = v {
            println!("{k}: {v}");
        }
    }
    if let Some(t) = project.team {
        println!("team: {t}");
    }
    let count = |s: &str| {
        questions
            .iter()
            .filter(|q| status(q, &project) == s)
            .count()
    };
    println!(
        "\n{} questions: {} answered, {} empty, {} stale\n",
        questions.len(),
        count("answered"),
        count("empty"),
        count("stale")
    );
    let mut table = ctx.out.table(&["Status", "ID", "Question"]);
    for q in &questions {
        let s = status(q, &project);
        let mark = match s {
            "answered" => "✓ answered".to_string(),
            "stale" => ctx.out.paint(
                anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into())),
                "! stale",
            ),
            _ => ctx.out.paint(
                anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())),
                "· empty",
            ),
        };
        table.add_row(vec![
            Cell::new(mark),
            Cell::new(&q.id),
            Cell::new(&q.question),
        ]);
    }
    println!("{table}");
    if count("empty") > 0 {
        eprintln!("Fill one in with: kb edit ID");
    }
    Ok(Exit::Done)
}
