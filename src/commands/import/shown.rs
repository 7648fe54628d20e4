//! How an import is shown: the dry run's plan, line by line, and the summary that says in
//! numbers what came in and what did not.

use crate::Ctx;
use crate::render::plural;
use kb::import::Plan;

/// `--dry-run`: each file, the questions it gives (line, question, lines of answer) and the
/// lines it skips by kind.
pub fn plan(plan: &Plan) {
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

/// What came in and what did not, in numbers: an import that loses text can never end in
/// "0 problems" alone.
pub fn summary(ctx: &Ctx, plan: &Plan, dry_run: bool) {
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
