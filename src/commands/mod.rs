//! One module per command. Each turns parsed arguments into calls on the library and prints the
//! outcome; the work itself lives in the library.

pub mod add;
pub mod check;
pub mod completions;
pub mod dedupe;
pub mod drill;
pub mod dups;
pub mod edit;
pub mod export;
pub mod fmt;
pub mod git;
pub mod import;
pub mod init;
pub mod interview;
pub mod known;
pub mod list;
pub mod merge;
pub mod mock;
pub mod plan;
pub mod prep;
pub mod project;
pub mod project_import;
pub mod reindex;
pub mod rm;
pub mod search;
pub mod show;
pub mod source;
pub mod stats;
pub mod sync;
pub mod tag;

use kb::model::{Question, tag_problem};

/// A tag as the user typed it, made canonical: trimmed, ASCII letters lower-cased (so `PyTorch`
/// and `pytorch` are one tag; Korean has no case).
pub fn tag_arg(raw: &str) -> anyhow::Result<String> {
    let tag = raw.trim().to_ascii_lowercase();
    if let Some(reason) = tag_problem(&tag) {
        anyhow::bail!(kb::Error::InvalidTag {
            tag: raw.to_string(),
            reason: reason.to_string(),
        });
    }
    Ok(tag)
}

/// Every `--tag` given, checked as [`tag_arg`] does.
pub fn tag_args(raw: &[String]) -> anyhow::Result<Vec<String>> {
    raw.iter().map(|t| tag_arg(t)).collect()
}

/// A project name given on the command line: it names a file in projects/, so it follows the
/// id rules.
pub fn project_arg(raw: &str) -> anyhow::Result<String> {
    let project = raw.trim().to_ascii_lowercase();
    kb::id::validate(&project).map_err(|e| anyhow::anyhow!("--project: {e}"))?;
    Ok(project)
}

/// Whether `q` carries every tag in `tags` and belongs to `project` (when given).
pub fn matches(q: &Question, tags: &[String], project: Option<&str>) -> bool {
    tags.iter().all(|t| q.tags.contains(t))
        && project.is_none_or(|p| q.project.as_deref() == Some(p))
}

/// The question `given` names (see [`resolve`]), or, without one, the one picked on the
/// terminal; `Err(exit)` when none was picked or there is nobody to pick (said on stderr).
pub fn id_or_pick(
    ctx: &crate::Ctx,
    kb: &kb::Kb,
    given: Option<&str>,
    command: &str,
) -> anyhow::Result<Result<String, crate::exit::Exit>> {
    match given {
        Some(id) => Ok(Ok(resolve(ctx, kb, id)?)),
        None => crate::picker::one(ctx, kb, command),
    }
}

/// The question the user means by `input`: an id or unambiguous prefix, or the id of a question
/// that was merged into another (then the one it was merged into, and a note on stderr).
pub fn resolve(ctx: &crate::Ctx, kb: &kb::Kb, input: &str) -> anyhow::Result<String> {
    match kb.resolve(input) {
        Err(kb::Error::NotFound(_)) => {
            let wanted = input.trim().to_ascii_lowercase();
            let (index, _) = kb::index::SearchIndex::open(kb, &crate::render::Bar::new())?;
            match index.find_alias(&wanted)? {
                Some(target) => {
                    if !ctx.json {
                        eprintln!("{wanted} was merged into {target}.");
                    }
                    Ok(target)
                }
                None => Err(known::question_not_found(kb, &index, input)),
            }
        }
        other => resolve_exact(kb, input, other),
    }
}

/// The question `input` names as an id or id prefix, not following merges (`kb rm`); when it
/// names none, the error offers the closest ones.
pub fn resolve_id(kb: &kb::Kb, input: &str) -> anyhow::Result<String> {
    let found = kb.resolve(input);
    resolve_exact(kb, input, found)
}

/// [`resolve_id`] with the index already open (when a write lock is held, opening it again
/// could wait on the lock).
pub fn resolve_id_in(
    kb: &kb::Kb,
    index: &kb::index::SearchIndex,
    input: &str,
) -> anyhow::Result<String> {
    match kb.resolve(input) {
        Err(kb::Error::NotFound(_)) => Err(known::question_not_found(kb, index, input)),
        Err(kb::Error::InvalidId { .. }) if words_not_a_path(input) => {
            Err(known::question_not_found(kb, index, input))
        }
        other => Ok(other?),
    }
}

/// Whether `input`, not a valid id, reads as words someone typed (`드롭아웃`, `batch norm`)
/// rather than a path, which keeps its `invalid id` error.
fn words_not_a_path(input: &str) -> bool {
    let t = input.trim();
    !t.is_empty() && !t.contains(['/', '\\', '\0']) && !t.starts_with('.')
}

fn resolve_exact(
    kb: &kb::Kb,
    input: &str,
    found: kb::error::Result<String>,
) -> anyhow::Result<String> {
    match found {
        // Not an id at all (Korean words, spaces): most likely part of the question. A path
        // (`../x`) keeps its own error.
        Err(kb::Error::NotFound(_)) => {
            let (index, _) = kb::index::SearchIndex::open(kb, &crate::render::Bar::new())?;
            Err(known::question_not_found(kb, &index, input))
        }
        Err(kb::Error::InvalidId { .. }) if words_not_a_path(input) => {
            let (index, _) = kb::index::SearchIndex::open(kb, &crate::render::Bar::new())?;
            Err(known::question_not_found(kb, &index, input))
        }
        other => Ok(other?),
    }
}

/// The search index, brought up to date, with a warning for the files it had to skip.
pub fn open_index(ctx: &crate::Ctx, kb: &kb::Kb) -> anyhow::Result<kb::index::SearchIndex> {
    let (index, _) = kb::index::SearchIndex::open(kb, &crate::render::Bar::new())?;
    ctx.out.warn_skipped_lines(&index.problems());
    Ok(index)
}

/// The filter `-c`, `-p` and `-t` name (drill, plan).
/// The project is checked against the bank later, by [`check_scope`].
pub fn scope_filter(scope: &crate::cli::ScopeArgs) -> anyhow::Result<kb::ops::drill::Filter> {
    Ok(kb::ops::drill::Filter {
        tags: tag_args(&scope.tags)?,
        project: scope.project.clone(),
        company: scope.company.clone(),
    })
}

/// A [`scope_filter`] checked against the bank: a tag no question has, a project or a company
/// the bank does not know is an error with the closest names, not an empty scope; a project's
/// name or id prefix becomes its id, a company's alias the bank's spelling.
pub fn check_scope(
    kb: &kb::Kb,
    index: &kb::index::SearchIndex,
    filter: &kb::ops::drill::Filter,
) -> anyhow::Result<kb::ops::drill::Filter> {
    let known = known::Known::of(kb, index);
    known.check_tags(&filter.tags)?;
    Ok(kb::ops::drill::Filter {
        tags: filter.tags.clone(),
        project: filter
            .project
            .as_deref()
            .map(|p| known.project(kb, p))
            .transpose()?,
        company: filter
            .company
            .as_deref()
            .map(|c| known.check_company(c))
            .transpose()?,
    })
}
