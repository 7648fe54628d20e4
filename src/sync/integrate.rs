//! Steps 4–5: bring the remote's commits in — a fast-forward, or a rebase after checking that
//! files kb does not own would merge — and say which questions an edit kept against a removal.

use std::path::Path;

use git2::{Oid, Repository};

use crate::error::Error;
use crate::git::run::run as git;
use crate::store::{Kb, QUESTIONS_DIR};

use super::fold::{fold_back, fold_twins};
use super::rebase::{git_words, put_back, rebase};
use super::{Kept, Report, SyncError, changed_paths, head_oid, id_of, merged_by_kb, ref_oid};

/// 4–5. Bring the remote's commits in: fast-forward, or rebase with kb as the merge driver.
pub(super) fn integrate(
    kb: &Kb,
    driver: &Path,
    remote: &str,
    remote_ref: &str,
    report: &mut Report,
) -> std::result::Result<(), SyncError> {
    let repo = kb.repo();
    let (Some(local), Some(upstream)) = (head_oid(repo), ref_oid(repo, remote_ref)) else {
        return Ok(());
    };
    if local == upstream {
        return Ok(());
    }
    let (ahead, behind) = repo
        .graph_ahead_behind(local, upstream)
        .map_err(Error::from)?;
    if behind == 0 {
        return Ok(());
    }
    let base = match repo.merge_base(local, upstream) {
        Ok(b) => b,
        Err(e) if e.code() == git2::ErrorCode::NotFound => {
            let (remote_name, branch) = remote_ref
                .strip_prefix("refs/remotes/")
                .and_then(|r| r.split_once('/'))
                .unwrap_or((remote, ""));
            return Err(Error::Repository(format!(
                "{remote_name}/{branch} shares no history with this knowledge base (a repository \
                 created on a hosting site with a README or a licence, say); kb changed nothing. \
                 If the remote holds only what the site created, replace it with this bank: `kb \
                 git push --force {remote_name} {branch}`. Otherwise join the two by hand: `kb \
                 git merge --allow-unrelated-histories {remote_name}/{branch}`."
            ))
            .into());
        }
        Err(e) => return Err(Error::from(e).into()),
    };
    // Each side's changes since the fork, diffed once (at 100k questions a diff of the two
    // folder trees costs ~100 ms).
    let there = changed_paths(repo, base, upstream)?;
    let config = format!("{}{}", kb.prefix(), crate::store::CONFIG_FILE);
    if there
        .iter()
        .any(|(p, d)| *p == config && *d == git2::Delta::Deleted)
    {
        return Err(Error::Repository(format!(
            "the remote's commits delete {config}, which makes this folder a knowledge base; kb \
             refuses to apply them and changed nothing. Look at them with `kb git log -p \
             {remote_ref}`; restore the file there, or merge by hand."
        ))
        .into());
    }
    for (path, _) in &there {
        if merged_by_kb(kb, path) {
            report.changed.push(path.clone());
        }
    }
    report.pulled += behind;
    // Questions the remote brings back that this machine removed: another machine edited them
    // after the removal reached it (its sync kept the edit). Said, not done silently.
    let added_there: Vec<String> = there
        .iter()
        .filter(|(p, d)| {
            *d == git2::Delta::Added
                && merged_by_kb(kb, p)
                && p.contains(&format!("{QUESTIONS_DIR}/"))
        })
        .map(|(p, _)| p.clone())
        .collect();
    for path in removed_before(repo, local, &added_there) {
        if let Some(id) = id_of(&path) {
            report.kept.push(Kept {
                id,
                removed: "here",
            });
        }
    }
    if ahead == 0 {
        let out = git(
            repo,
            &["merge", "--ff-only", "--autostash", "--quiet", remote_ref],
        )?;
        if out.status.success() {
            let touched: Vec<String> = there
                .iter()
                .filter(|(p, _)| merged_by_kb(kb, p) && p.contains(&format!("{QUESTIONS_DIR}/")))
                .map(|(p, _)| p.clone())
                .collect();
            fold_back(kb, &touched, &touched, report)?;
        }
        if !out.status.success() {
            let restored = put_back(kb, local, Some(upstream));
            return Err(SyncError::GitFailed {
                step: format!("fast-forward to {remote_ref}"),
                message: git_words(&out),
                restored,
            });
        }
        return Ok(());
    }

    // Would files kb does not own merge? Ask git2 in memory, before touching anything.
    let ours = repo.find_commit(local).map_err(Error::from)?;
    let theirs = repo.find_commit(upstream).map_err(Error::from)?;
    let mut options = git2::MergeOptions::new();
    options.find_renames(false);
    let merged = repo
        .merge_commits(&ours, &theirs, Some(&options))
        .map_err(Error::from)?;
    if merged.has_conflicts() {
        let mut foreign = Vec::new();
        for c in merged.conflicts().map_err(Error::from)?.flatten() {
            let entry = c.our.or(c.their).or(c.ancestor);
            if let Some(e) = entry {
                let path = String::from_utf8_lossy(&e.path).into_owned();
                if !merged_by_kb(kb, &path) && !foreign.contains(&path) {
                    foreign.push(path);
                }
            }
        }
        if !foreign.is_empty() {
            return Err(SyncError::Conflict {
                remote: remote.to_string(),
                paths: foreign,
            });
        }
    }

    let here = changed_paths(repo, base, local)?;
    let questions = |changes: &[(String, git2::Delta)], kind: git2::Delta| -> Vec<String> {
        changes
            .iter()
            .filter(|(p, d)| {
                *d == kind && merged_by_kb(kb, p) && p.contains(&format!("{QUESTIONS_DIR}/"))
            })
            .map(|(p, _)| p.clone())
            .collect()
    };
    let (added_here, added_there) = (
        questions(&here, git2::Delta::Added),
        questions(&there, git2::Delta::Added),
    );
    let (changed_here, changed_there) = (
        questions(&here, git2::Delta::Modified),
        questions(&there, git2::Delta::Modified),
    );

    let (removed_here, removed_there) = (
        questions(&here, git2::Delta::Deleted),
        questions(&there, git2::Delta::Deleted),
    );

    rebase(kb, driver, remote_ref, report)?;
    // An edit beats a removal (the rebase keeps the edited file): say so, for both directions.
    if let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) {
        let sides = [
            (&removed_here, &changed_there, "here"),
            (&removed_there, &changed_here, "there"),
        ];
        for (removed, edited, side) in sides {
            for path in removed.iter().filter(|p| edited.contains(p)) {
                if tree.get_path(Path::new(path)).is_ok()
                    && let Some(id) = id_of(path)
                {
                    report.kept.push(Kept { id, removed: side });
                }
            }
        }
    }
    fold_twins(kb, &added_here, &added_there, report)?;
    // Questions either side touched: an edit on one machine of a question merged away on the
    // other survives the rebase (an edit beats a removal) and is folded into its keeper here,
    // whichever side made the edit and whichever the merge.
    let touched: Vec<String> = here
        .iter()
        .chain(there.iter())
        .filter(|(p, _)| merged_by_kb(kb, p) && p.contains(&format!("{QUESTIONS_DIR}/")))
        .map(|(p, _)| p.clone())
        .collect();
    fold_back(kb, &touched, &touched, report)?;
    // A question kept against a removal and then folded into its keeper is not "kept".
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    report.kept.retain(|k| {
        workdir
            .join(format!("{}{QUESTIONS_DIR}/{}.yaml", kb.prefix(), k.id))
            .is_file()
    });
    Ok(())
}

/// Which of `paths` (absent from `head`'s tree) some recent commit of `head`'s history had:
/// files removed on this machine. The walk is bounded (the last 2,000 commits, at most 500
/// paths asked about): a removal an edit beats is a recent one, made since the last sync or
/// so, and the check must not cost a pull of many new questions seconds.
fn removed_before(repo: &Repository, head: Oid, paths: &[String]) -> Vec<String> {
    if paths.is_empty() || paths.len() > 500 {
        return Vec::new();
    }
    let mut left: Vec<&String> = paths.iter().collect();
    let mut found = Vec::new();
    let Ok(mut walk) = repo.revwalk() else {
        return found;
    };
    if walk.push(head).is_err() {
        return found;
    }
    walk.simplify_first_parent().ok();
    for oid in walk.flatten().take(2_000) {
        let Ok(tree) = repo.find_commit(oid).and_then(|c| c.tree()) else {
            continue;
        };
        left.retain(|p| {
            if tree.get_path(Path::new(p.as_str())).is_ok() {
                found.push(p.to_string());
                false
            } else {
                true
            }
        });
        if left.is_empty() {
            break;
        }
    }
    found
}
