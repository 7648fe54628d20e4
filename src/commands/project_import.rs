//! `kb project import RESUME.md`: show what the résumé gives (projects, lines, drafted questions,
//! the ones already in the bank), ask, and write it as one commit (the work is
//! `kb::ops::resume`'s).

use anyhow::{Context, bail};

use crate::Ctx;
use crate::cli::ProjectImportArgs;
use crate::exit::Exit;
use kb::ops::project::Status;
use kb::ops::resume::{Options, Plan};

pub fn run(ctx: &Ctx, args: ProjectImportArgs) -> anyhow::Result<Exit> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold is a similarity between 0 and 1");
    }
    let kb = ctx.open_kb_to_write()?;
    let options = Options {
        dedupe: !args.no_dedupe,
        threshold: args.threshold,
    };
    let shown = kb::error::display_path(&args.file).display().to_string();
    let mut plan = loop {
        let text = read(&args.file)?;
        let plan = kb::ops::resume::plan(&kb, std::path::Path::new(&shown), &text, &options)?;
        if plan.projects.is_empty() {
            bail!(
                "{shown}: no project sections found. kb reads a heading (### 프로젝트 이름 \
                 (2023.03 – 2024.02)), a bold or numbered project line (**Name** | 2021.01 – \
                 2022.06), or a plain line (회사명 | 기간), each followed by its bullet lines (-, *, \
                 •, 1.)"
            );
        }
        if !ctx.json || !(args.yes || args.dry_run) {
            show_plan(ctx, &plan);
        }
        if args.dry_run || args.yes || plan.is_empty() {
            break plan;
        }
        let _guard = crate::interrupt::Guard::new(&format!(
            "Interrupted: nothing was written ({shown} is as it was); run `kb project import {shown}` again."
        ));
        let Some(answer) = crate::editor::ask("Write them? [Y]es, [e]dit the résumé, [a]bort: ")
        else {
            eprintln!("No answer on standard input: nothing was written (scripts: use --yes).");
            return Ok(Exit::Failed);
        };
        match answer.trim().to_lowercase().as_str() {
            "" | "y" | "yes" | "예" | "네" | "ㅇ" => break plan,
            "e" | "edit" | "수정" => {
                crate::editor::edit(&args.file)?;
                continue;
            }
            _ => {
                eprintln!("Aborted: nothing was written.");
                return Ok(Exit::Failed);
            }
        }
    };
    if args.dry_run {
        if ctx.json {
            crate::render::print_json(&plan)?;
        } else {
            eprintln!("Dry run: nothing was written.");
        }
        return Ok(Exit::Done);
    }
    if plan.is_empty() {
        if ctx.json {
            crate::render::print_json(&plan)?;
        } else {
            eprintln!("Nothing new: every project and question of {shown} is already in the bank.");
        }
        return Ok(Exit::Done);
    }
    let mut tx = ctx.begin(&kb)?;
    let done = kb::ops::resume::write(&mut tx, &mut plan)?;
    ctx.warn_after(&done);
    if ctx.json {
        crate::render::print_json(&plan)?;
    } else {
        for p in &plan.projects {
            println!("{}", p.project.id);
        }
        eprintln!(
            "Imported {shown}: {} project{}, {} drafted question{}, {} from the template. Next: kb project show {}",
            plan.projects.len(),
            if plan.projects.len() == 1 { "" } else { "s" },
            plan.drafted(),
            if plan.drafted() == 1 { "" } else { "s" },
            plan.template(),
            plan.projects[0].project.id
        );
    }
    Ok(Exit::Done)
}

fn read(path: &std::path::Path) -> anyhow::Result<String> {
    kb::store::read_file_limited(path)
        .with_context(|| format!("could not read the résumé {}", path.display()))
}

/// The plan as a person reads it: per project, its lines and what each drafted.
fn show_plan(ctx: &Ctx, plan: &Plan) {
    let out = &ctx.out;
    let s = |n: usize| if n == 1 { "" } else { "s" };
    eprintln!(
        "{}",
        out.bold(&format!(
            "{}: {} project{}, {} question{} drafted, {} common, {} already in the bank",
            plan.file,
            plan.projects.len(),
            s(plan.projects.len()),
            plan.drafted(),
            s(plan.drafted()),
            plan.template(),
            plan.duplicates()
        ))
    );
    for p in &plan.projects {
        let r = &p.project;
        let mut about = vec![if p.new {
            "new".to_string()
        } else if p.write_record {
            "in the bank, empty fields filled in".to_string()
        } else {
            "in the bank".to_string()
        }];
        about.extend(r.period.clone());
        about.extend(r.role.clone());
        about.extend(r.team.map(|t| format!("team {t}")));
        eprintln!(
            "\n{}  {}  ({})",
            out.accent(&r.id),
            out.bold(&r.name),
            about.join(" · ")
        );
        if !p.template.is_empty() {
            eprintln!(
                "  + {} common question{} (templates/project-questions.yaml)",
                p.template.len(),
                s(p.template.len())
            );
        }
        for l in &p.lines {
            let mark = if l.heading { "▸" } else { "-" };
            eprintln!(
                "  {mark} {}  {}",
                l.text,
                out.dim(&format!("line {}", l.line))
            );
            for d in &l.questions {
                eprintln!("      + {}  {}", d.question.question, out.dim(&d.rule));
            }
            for d in &l.duplicates {
                eprintln!(
                    "      {} {}  {}",
                    out.dim("="),
                    out.dim(&d.question),
                    out.dim(&format!("already {} ({})", d.of, d.why))
                );
            }
            if l.questions.is_empty() && l.duplicates.is_empty() && !l.heading {
                eprintln!("      {}", out.dim("(no rule matched)"));
            }
        }
    }
    eprintln!();
}

/// `kb project show`: the project's résumé lines, each with its questions and whether they are
/// answered. Nothing when the project has none.
pub fn show_coverage(ctx: &Ctx, kb: &kb::Kb, project: &kb::project::Project) -> anyhow::Result<()> {
    let loaded = kb.load_all()?;
    let covered = kb::ops::resume::coverage(&loaded.questions, project);
    if covered.is_empty() {
        return Ok(());
    }
    println!("\nRésumé lines:");
    for c in &covered {
        println!(
            "\n  {}  {}",
            c.line,
            ctx.out
                .dim(&format!("{}/{} answered", c.answered(), c.questions.len()))
        );
        for q in &c.questions {
            let mark = match q.status {
                Status::Answered => "✓",
                Status::Stale => "!",
                Status::Empty => "·",
            };
            println!("    {mark} {}  {}", q.id, q.question);
        }
    }
    Ok(())
}

/// The same for `kb project show --json`: a `resume` list beside the questions, when there is one.
pub fn coverage_json(
    kb: &kb::Kb,
    project: &kb::project::Project,
) -> anyhow::Result<Option<serde_json::Value>> {
    let loaded = kb.load_all()?;
    let covered = kb::ops::resume::coverage(&loaded.questions, project);
    Ok((!covered.is_empty())
        .then(|| serde_json::to_value(&covered))
        .transpose()?)
}
