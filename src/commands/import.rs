//! `kb import PATH... [--tag T]... [--dry-run]`

use std::collections::{BTreeMap, HashSet};

use anyhow::bail;

use crate::Ctx;
use crate::cli::ImportArgs;
use crate::commands::{refresh_index, tag_args};
use crate::render::Bar;
use kb::import::{duplicate_key, markdown_files, plan};
use kb::index::Progress;

pub fn run(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<u8> {
    let tags = tag_args(&args.tags)?;
    for path in &args.paths {
        if !path.exists() {
            bail!("{}: no such file or folder", path.display());
        }
    }
    let (json_paths, md_paths): (Vec<_>, Vec<_>) = args.paths.iter().cloned().partition(|p| {
        p.is_file()
            && p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let files = markdown_files(&md_paths)?;
    if files.is_empty() && json_paths.is_empty() {
        bail!(
            "no Markdown (*.md) files in {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let kb = ctx.open_kb()?;
    let _lock = ctx.lock(&kb)?;
    if !json_paths.is_empty() {
        return import_json(ctx, &kb, &json_paths, args.dry_run);
    }
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let existing: HashSet<String> = loaded
        .questions
        .iter()
        .map(|q| duplicate_key(&q.question))
        .collect();

    let bar = Bar::new();
    bar.start(files.len() as u64, "reading");
    let mut taken = HashSet::new();
    let plan = plan(
        &files,
        &existing,
        &tags,
        || loop {
            let id = kb.new_id();
            if taken.insert(id.clone()) {
                return id;
            }
        },
        || bar.inc(1),
    );
    bar.finish();

    let mut commit = None;
    if !args.dry_run && !plan.new.is_empty() {
        bar.start(plan.new.len() as u64, "writing");
        // One journalled change: an import killed half-way is finished by the next kb, never
        // left as a heap of uncommitted files.
        let files = plan
            .new
            .iter()
            .map(|q| kb.question_file(q))
            .collect::<Result<Vec<_>, _>>()?;
        let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
        for q in &plan.new {
            let file = q
                .imported_from
                .as_deref()
                .unwrap_or("")
                .rsplit_once(':')
                .map_or("", |(f, _)| f);
            *per_file.entry(file.to_string()).or_default() += 1;
        }
        let mut message = format!(
            "import {} question{} from {} file{}\n\n",
            plan.new.len(),
            if plan.new.len() == 1 { "" } else { "s" },
            per_file.len(),
            if per_file.len() == 1 { "" } else { "s" }
        );
        for (file, n) in &per_file {
            message.push_str(&format!("{file}: {n}\n"));
        }
        commit = kb.write_change_with(&files, message.trim_end(), &|| bar.inc(1))?;
        bar.finish();
        refresh_index(
            ctx,
            &kb,
            &plan.new.iter().map(|q| q.id.clone()).collect::<Vec<_>>(),
        );
    }

    if ctx.json {
        crate::render::print_json(&serde_json::json!({
            "files": plan.files,
            "created": plan.new.len(),
            "duplicates": plan.duplicates,
            "problems": plan.problems,
            "content_lines": plan.content_lines,
            "kept_lines": plan.kept_lines,
            "files_without_questions": plan.empty_files,
            "ids": plan.new.iter().map(|q| &q.id).collect::<Vec<_>>(),
            "commit": commit.map(|c| c.to_string()),
            "dry_run": args.dry_run,
        }))?;
    } else {
        if args.dry_run {
            for q in &plan.new {
                println!(
                    "{}  {}",
                    q.imported_from.as_deref().unwrap_or(""),
                    q.short(70)
                );
            }
        }
        for p in &plan.problems {
            eprintln!("{} {p}", ctx.out.warning_label());
        }
        eprintln!(
            "{} {} question{} from {} file{}; {} skipped as already in the bank; {} problem{}.",
            if args.dry_run {
                "Would import"
            } else {
                "Imported"
            },
            plan.new.len(),
            if plan.new.len() == 1 { "" } else { "s" },
            plan.files,
            if plan.files == 1 { "" } else { "s" },
            plan.duplicates,
            plan.problems.len(),
            if plan.problems.len() == 1 { "" } else { "s" },
        );
        // What was left out is said, not hidden behind "0 problems".
        if plan.content_lines > 0 {
            let share = 100.0 * plan.kept_lines as f64 / plan.content_lines as f64;
            let left = plan.content_lines - plan.kept_lines;
            let line = format!(
                "{share:.0}% of the files' text came in ({} of {} lines); {left} line{} went into no question or answer.",
                plan.kept_lines,
                plan.content_lines,
                if left == 1 { "" } else { "s" },
            );
            if share < 90.0 {
                eprintln!("{} {line}", ctx.out.warning_label());
            } else {
                eprintln!("{line}");
            }
        }
        if !plan.empty_files.is_empty() {
            let n = plan.empty_files.len();
            eprintln!(
                "{} {n} file{} gave no question: {}{}",
                ctx.out.warning_label(),
                if n == 1 { "" } else { "s" },
                plan.empty_files
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                if n > 5 {
                    format!(", … and {} more", n - 5)
                } else {
                    String::new()
                }
            );
        }
    }
    Ok(0)
}

/// Restore `kb export --format json` files: questions, interviews and projects keep their ids;
/// ones already here are left alone.
fn import_json(
    ctx: &Ctx,
    kb: &kb::Kb,
    paths: &[std::path::PathBuf],
    dry_run: bool,
) -> anyhow::Result<u8> {
    let mut paths_written = Vec::new();
    let (mut created, mut skipped) = (0, 0);
    let mut problems = Vec::new();
    let mut ids = Vec::new();
    for path in paths {
        let export = kb::import::read_export(path).map_err(|e| anyhow::anyhow!(e))?;
        problems.extend(export.problems);
        for q in &export.questions {
            if kb.question_path(&q.id)?.exists() {
                skipped += 1;
                continue;
            }
            created += 1;
            ids.push(q.id.clone());
            if !dry_run {
                paths_written.push(kb.question_file(q)?);
            }
        }
        for i in &export.interviews {
            if !kb.interview_path(&i.id)?.exists() && !dry_run {
                paths_written.push(kb.interview_file(i)?);
            }
        }
        for p in &export.projects {
            if kb.load_project(&p.id).is_err() && !dry_run {
                paths_written.push(kb.project_file(p)?);
            }
        }
    }
    let commit = if paths_written.is_empty() {
        None
    } else {
        let c = kb.write_change(
            &paths_written,
            &format!("import {created} questions from a kb export"),
        )?;
        refresh_index(ctx, kb, &ids);
        c
    };
    if ctx.json {
        crate::render::print_json(
            &serde_json::json!({"created": created, "duplicates": skipped, "problems": problems, "ids": ids, "commit": commit.map(|c| c.to_string()), "dry_run": dry_run}),
        )?;
    } else {
        for p in &problems {
            eprintln!("{} {p}", ctx.out.warning_label());
        }
        eprintln!(
            "{} {created} questions; {skipped} already here; {} problems.",
            if dry_run { "Would import" } else { "Imported" },
            problems.len()
        );
    }
    Ok(0)
}
