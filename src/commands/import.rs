//! `kb import PATH... [--tag T]... [--dry-run]`

use crate::exit::Exit;
use std::collections::{BTreeMap, HashSet};

use anyhow::bail;

use crate::Ctx;
use crate::cli::ImportArgs;
use crate::commands::tag_args;
use crate::render::Bar;
use kb::import::{Existing, Plan, markdown_files, plan};
use kb::index::Progress;

pub fn run(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<Exit> {
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
    let mut tx = ctx.begin(&kb)?;
    if !json_paths.is_empty() {
        return import_json(ctx, &mut tx, &json_paths, args.dry_run);
    }
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let existing = Existing::of(&loaded.questions);

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
        // The import is one journalled change: interrupted while writing, it is not lost half
        // way but finished by the next kb command. Say so, rather than end in silence.
        let _interrupt = crate::interrupt::Guard::new(&format!(
            "Interrupted while writing {} questions. The import is recorded in .git/kb/change.json \
             and the next kb command (kb check, for one) finishes it as one commit; to take it \
             back after that: git revert HEAD.",
            plan.new.len()
        ));
        bar.start(plan.new.len() as u64, "writing");
        // One journalled change: an import killed half-way is finished by the next kb, never
        // left as a heap of uncommitted files.
        for q in &plan.new {
            tx.save(q)?;
        }
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
        // Images are copied first (atomically, each), then named in the change so they are
        // committed with the questions that show them.
        let mut copied = 0;
        for a in &plan.assets {
            let bytes =
                std::fs::read(&a.from).map_err(|e| anyhow::anyhow!("{}: {e}", a.from.display()))?;
            let to = kb.root().join(&a.to);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            }
            kb::store::write_atomic(&to, &bytes)?;
            tx.also(a.to.clone());
            copied += 1;
        }
        if copied > 0 {
            message.push_str(&format!(
                "\n{copied} image{} copied into assets/\n",
                if copied == 1 { "" } else { "s" }
            ));
        }
        let done = tx.commit_with(message.trim_end(), &|| bar.inc(1))?;
        bar.finish();
        ctx.warn_after(&done);
        commit = done.commit;
    }

    if ctx.json {
        let commit = commit.map(|c| c.to_string());
        crate::render::print_json(&kb::ops::report::Imported::new(&plan, commit, args.dry_run))?;
    } else {
        if args.dry_run {
            print_plan(&plan);
        }
        for p in &plan.problems {
            eprintln!("{} {p}", ctx.out.warning_label());
        }
        summary(ctx, &plan, args.dry_run);
    }
    Ok(Exit::Done)
}

/// `--dry-run`: each file, the questions it gives (line, question, lines of answer) and the
/// lines it skips by kind.
fn print_plan(plan: &Plan) {
    for f in &plan.per_file {
        println!("{}", f.source);
        for q in &f.questions {
            println!(
                "  {}:{}  {}  ({} line{}{})",
                f.source,
                q.line,
                kb::model::truncate_chars(&q.question, 70),
                q.answer_lines,
                if q.answer_lines == 1 { "" } else { "s" },
                if q.duplicate {
                    ", already in the bank"
                } else {
                    ""
                }
            );
        }
        for (kind, lines) in &f.skipped {
            println!("  skipped as {}: lines {}", kind.name(), ranges(lines));
        }
        if !f.unplaced.is_empty() {
            println!("  in no question: lines {}", ranges(&f.unplaced));
        }
    }
}

/// `3, 5-9, 12`
fn ranges(lines: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            lines[i].to_string()
        } else {
            format!("{}-{}", lines[i], lines[j])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// The first `n` of `items` and how many more: `a, b, c, … and 9 more`.
fn first_of(items: &[String], n: usize) -> String {
    let mut out = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        out.push_str(&format!(", … and {} more", items.len() - n));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What came in and what did not, in numbers: an import that loses text can never end in
/// "0 problems" alone.
fn summary(ctx: &Ctx, plan: &Plan, dry_run: bool) {
    eprintln!(
        "{} {} from {}; {} skipped as already in the bank; {}.",
        if dry_run { "Would import" } else { "Imported" },
        plural(plan.new.len(), "question"),
        plural(plan.files, "file"),
        plan.duplicates,
        plural(plan.problems.len(), "problem"),
    );
    if plan.content_lines > 0 {
        let skipped: usize = plan.skipped.values().sum();
        let content = plan.content_lines - skipped;
        let share = 100.0 * plan.kept_share();
        let line = format!(
            "{share:.1}% of the files' content came in ({} of {} lines{}).",
            plan.kept_lines,
            content,
            if plan.duplicate_lines > 0 {
                format!(
                    ", {} of them in questions already in the bank",
                    plan.duplicate_lines
                )
            } else {
                String::new()
            }
        );
        if share < 90.0 {
            eprintln!("{} {line}", ctx.out.warning_label());
        } else {
            eprintln!("{line}");
        }
        if skipped > 0 {
            eprintln!(
                "Left out as not content: {}.",
                plan.skipped
                    .iter()
                    .map(|(k, n)| format!("{n} {}", k.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !plan.unplaced.is_empty() {
            let n = plan.unplaced.len();
            eprintln!(
                "{} {} went into no question: {} (kb import --dry-run shows them)",
                ctx.out.warning_label(),
                plural(n, "line"),
                first_of(&plan.unplaced, 5),
            );
        }
    }
    if !plan.assets.is_empty() || plan.note_links > 0 {
        eprintln!(
            "{} {} into assets/; {} to other imported notes rewritten to kb:ID.",
            plural(plan.assets.len(), "image"),
            if dry_run { "would be copied" } else { "copied" },
            plural(plan.note_links, "link"),
        );
    }
    if !plan.missing_images.is_empty() {
        let n = plan.missing_images.len();
        eprintln!(
            "{} {} not beside the notes (links left as written): {}",
            ctx.out.warning_label(),
            plural(n, "image"),
            first_of(&plan.missing_images, 3),
        );
    }
    if !plan.empty_files.is_empty() {
        let n = plan.empty_files.len();
        eprintln!(
            "{} {} gave no question: {}",
            ctx.out.warning_label(),
            plural(n, "file"),
            first_of(&plan.empty_files, 5),
        );
    }
}

/// Restore `kb export --format json` files (see `kb::ops::export::restore`).
fn import_json(
    ctx: &Ctx,
    tx: &mut kb::Transaction,
    paths: &[std::path::PathBuf],
    dry_run: bool,
) -> anyhow::Result<Exit> {
    let done = match kb::ops::export::restore(tx, paths, dry_run) {
        Ok(done) => done,
        Err(kb::ops::export::RestoreError::Unreadable(e)) => bail!(e),
        Err(kb::ops::export::RestoreError::Kb(e)) => return Err(e.into()),
    };
    if let Some(e) = &done.index_problem {
        eprintln!("{} {e}", ctx.out.warning_label());
    }
    if ctx.json {
        crate::render::print_json(&done)?;
    } else {
        for p in &done.problems {
            eprintln!("{} {p}", ctx.out.warning_label());
        }
        eprintln!(
            "{} {} questions; {} already here; {} problems.",
            if dry_run { "Would import" } else { "Imported" },
            done.created,
            done.duplicates,
            done.problems.len()
        );
    }
    Ok(Exit::Done)
}
