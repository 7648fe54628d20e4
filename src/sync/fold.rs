//! Folding questions after a rebase, as `kb merge` would: one both machines added separately
//! is kept once, and an edit made here to a question another machine merged away goes into the
//! question that now holds it.

use crate::error::Result;
use crate::import::duplicate_key;
use crate::model::Question;
use crate::store::Kb;

use super::{Report, id_of};

/// Fold `mine` into `keep` as `kb merge` does: `keep` is saved with it, `mine`'s file deleted,
/// and both paths noted for the commit.
fn fold_into(kb: &Kb, keep: &mut Question, mine: &Question, paths: &mut Vec<String>) -> Result<()> {
    let merged = crate::merge::fold(keep, mine, false, crate::time::now());
    paths.push(kb.save(&merged)?);
    paths.push(kb.delete(&mine.id)?);
    *keep = merged;
    Ok(())
}

/// A question edited here that another machine merged into another one: the rebase brings the
/// file back (an edit beats a delete), so the edit is folded into the question that now holds
/// it, as if it had been made after the merge.
pub(super) fn fold_back(
    kb: &Kb,
    changed_here: &[String],
    changed_there: &[String],
    report: &mut Report,
) -> Result<()> {
    let mut keepers: Vec<Question> = changed_there
        .iter()
        .filter_map(|p| id_of(p).and_then(|id| kb.load(&id).ok()))
        .filter(|q| !q.aliases.is_empty())
        .collect();
    keepers.sort_by(|a, b| a.id.cmp(&b.id));
    keepers.dedup_by(|a, b| a.id == b.id);
    let subject = |n: usize| {
        format!(
            "sync: fold {n} question{} edited here into what another machine merged {} into",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        )
    };
    let belongs = |keep: &Question, mine: &Question| keep.aliases.contains(&mine.id);
    let folded = fold_each(kb, changed_here, keepers, report, ("→", &subject), belongs)?;
    report.folded_back += folded;
    Ok(())
}

/// Both machines added the same question (under different ids): keep it once, the remote's id
/// winning (it is already pushed), as `kb merge` would.
pub(super) fn fold_twins(
    kb: &Kb,
    added_here: &[String],
    added_there: &[String],
    report: &mut Report,
) -> Result<()> {
    if added_here.is_empty() || added_there.is_empty() {
        return Ok(());
    }
    // One question of the remote's per wording (the last one read, as before).
    let mut there = std::collections::HashMap::new();
    for p in added_there {
        if let Some(id) = id_of(p)
            && let Ok(q) = kb.load(&id)
        {
            there.insert(duplicate_key(&q.question), q);
        }
    }
    let mut keepers: Vec<Question> = there.into_values().collect();
    keepers.sort_by(|a, b| a.id.cmp(&b.id));
    let subject = |n: usize| {
        let s = if n == 1 { "" } else { "s" };
        format!("sync: keep {n} question{s} added on both machines once")
    };
    let belongs = |keep: &Question, mine: &Question| {
        duplicate_key(&keep.question) == duplicate_key(&mine.question)
    };
    let folded = fold_each(kb, added_here, keepers, report, ("=", &subject), belongs)?;
    report.folded += folded;
    Ok(())
}

/// Fold each question of `mine` (paths) that `belongs` to one of `keepers` (not itself) into
/// it, and commit all of it once; returns how many were folded. The commit message is the
/// subject for that many, then a line per fold, its two ids joined by the sign.
fn fold_each(
    kb: &Kb,
    mine: &[String],
    mut keepers: Vec<Question>,
    report: &mut Report,
    (sign, subject): (&str, &dyn Fn(usize) -> String),
    belongs: impl Fn(&Question, &Question) -> bool,
) -> Result<usize> {
    let (mut paths, mut lines) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for p in mine {
        let Some(id) = id_of(p) else { continue };
        if !seen.insert(id.clone()) || !kb.question_path(&id).is_ok_and(|q| q.is_file()) {
            continue;
        }
        let Ok(q) = kb.load(&id) else { continue };
        let Some(keep) = keepers.iter_mut().find(|k| k.id != q.id && belongs(k, &q)) else {
            continue;
        };
        lines.push(format!("{} {sign} {}: {}", q.id, keep.id, keep.short(50)));
        fold_into(kb, keep, &q, &mut paths)?;
        report.changed.push(p.clone());
    }
    if !paths.is_empty() {
        let subject = subject(lines.len());
        kb.commit(&paths, &format!("{subject}\n\n{}", lines.join("\n")))?;
    }
    Ok(lines.len())
}
