//! How a source brought in is shown: what came in, what was left out and why.

use crate::Ctx;
use crate::render::plural;

/// After `kb source add`.
pub fn added(ctx: &Ctx, added: &kb::source::Added) {
    for p in &added.problems {
        eprintln!("{} {p}", ctx.out.warning_label());
    }
    eprintln!(
        "Following {} ({}{}) at {}: imported {} from {}; {} skipped as already in the bank.",
        added.name,
        added.url,
        added
            .path
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default(),
        &added.commit[..7],
        plural(added.new.len(), "question"),
        plural(added.files, "file"),
        added.duplicates,
    );
    let content = added.content_lines - added.skipped_lines;
    if content > 0 {
        let share = 100.0 * added.kept_lines as f64 / content as f64;
        let line = format!(
            "{share:.1}% of the files' content came in ({} of {content} lines; {} left out as \
             tables of contents, navigation, references and the like).",
            added.kept_lines, added.skipped_lines
        );
        if share < 90.0 {
            eprintln!("{} {line}", ctx.out.warning_label());
        } else {
            eprintln!("{line}");
        }
    }
    if !added.files_without_questions.is_empty() {
        eprintln!(
            "{} {} gave no question: {}",
            ctx.out.warning_label(),
            plural(added.files_without_questions.len(), "file"),
            added.files_without_questions.join(", ")
        );
    }
    if !added.images_copied.is_empty() || added.note_links > 0 {
        eprintln!(
            "{} copied into assets/; {} to other imported notes rewritten to kb:ID.",
            plural(added.images_copied.len(), "image"),
            plural(added.note_links, "link"),
        );
    }
    if !added.images_missing.is_empty() {
        eprintln!(
            "{} {} not in the repository (links left as written): {}",
            ctx.out.warning_label(),
            plural(added.images_missing.len(), "image"),
            added
                .images_missing
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    eprintln!(
        "`kb source update {}` brings in what changes there later.",
        added.name
    );
}

/// After `kb source update`, for one source.
pub fn updated(ctx: &Ctx, r: &kb::source::Updated) {
    if r.recloned {
        eprintln!("{}: its clone was missing here; cloned it again.", r.name);
    }
    if r.up_to_date() {
        eprintln!("{}: up to date at {}.", r.name, &r.to[..7]);
        return;
    }
    eprintln!(
        "{}: {}..{}: {}.",
        r.name,
        &r.from[..7],
        &r.to[..7],
        r.counts()
    );
    for c in &r.kept {
        eprintln!("kept {}: removed upstream, edited here", c.id);
    }
    for id in &r.conflicts {
        eprintln!(
            "{id}: changed here and upstream in the same place; yours is kept, upstream's is \
             recorded beside it (tagged conflict: kb list --conflicts)"
        );
    }
    for f in &r.not_in_bank {
        eprintln!("not in the bank, so upstream's change is left out: {f}");
    }
    for p in &r.problems {
        eprintln!("{} {p}", ctx.out.warning_label());
    }
}
