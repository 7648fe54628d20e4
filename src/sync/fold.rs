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
    let (mut paths, mut lines) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for p in changed_here {
        let Some(id) = id_of(p) else { continue };
        if !seen.insert(id.clone()) || !kb.question_path(&id).is_ok_and(|q| q.is_file()) {
            continue;
        }
        let Some(keep) = keepers
            .iter_mut()
            .find(|k| k.id != id && k.aliases.contains(&id))
        else {
            continue;
        };
        let Ok(mine) = kb.load(&id) else { continue };
        lines.push(format!("{} → {}: {}", mine.id, keep.id, keep.short(50)));
        fold_into(kb, keep, &mine, &mut paths)?;
        report.changed.push(p.clone());
        report.folded_back += 1;
    }
    if !paths.is_empty() {
        let message = format!(
            "sync: fold {} question{} edited here into what another machine merged {} into\n\n{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" },
            if lines.len() == 1 { "it" } else { "them" },
            lines.join("\n")
        );
        kb.commit(&paths, &message)?;
    }
    Ok(())
}

/// Both machines added the same question (under different ids): keep it once, the remote's id
/// staying (others may already know it) and the local one becoming its alias.
pub(super) fn fold_twins(
    kb: &Kb,
    added_here: &[String],
    added_there: &[String],
    report: &mut Report,
) -> Result<()> {
    if added_here.is_empty() || added_there.is_empty() {
        return Ok(());
    }
    let mut there = std::collections::HashMap::new();
    for p in added_there {
        if let Some(id) = id_of(p)
            && let Ok(q) = kb.load(&id)
        {
            there.insert(duplicate_key(&q.question), q);
        }
    }
    let mut paths = Vec::new();
    let mut lines = Vec::new();
    for p in added_here {
        let Some(id) = id_of(p) else { continue };
        let Ok(mine) = kb.load(&id) else { continue };
        if let Some(keep) = there.get_mut(&duplicate_key(&mine.question))
            && keep.id != mine.id
        {
            lines.push(format!("{} = {}: {}", mine.id, keep.id, keep.short(50)));
            fold_into(kb, keep, &mine, &mut paths)?;
            report.changed.push(p.clone());
            report.folded += 1;
        }
    }
    if !paths.is_empty() {
        let message = format!(
            "sync: keep {} question{} added on both machines once\n\n{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" },
            lines.join("\n")
        );
        kb.commit(&paths, &message)?;
    }
    Ok(())
}
