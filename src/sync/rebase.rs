//! The rebase of this machine's commits onto the remote's, with kb as git's merge driver, and
//! its undo when git stops for a reason kb cannot resolve (the branch, the working tree and
//! git's index put back as they were before the sync).

use std::path::Path;
use std::process::Output;

use git2::{Oid, Status};

use crate::git::run::run as git;
use crate::store::{Kb, recover};

use super::driver::driver_files;
use super::{Report, SyncError, head_oid, merged_by_kb, ref_oid, stderr};

pub(super) fn rebase(
    kb: &Kb,
    driver: &Path,
    onto: &str,
    report: &mut Report,
) -> std::result::Result<(), SyncError> {
    let (attributes, log) = driver_files(kb)?;
    let exe = driver.display().to_string().replace('\'', "'\\''");
    let log_arg = log.display().to_string().replace('\'', "'\\''");
    let configs = [
        format!("core.attributesFile={}", attributes.display()),
        "merge.kb.name=kb semantic merge of questions and interviews".to_string(),
        format!("merge.kb.driver='{exe}' merge-driver %O %A %B %P --log '{log_arg}'"),
    ];
    let mut args: Vec<&str> = Vec::new();
    for c in &configs {
        args.push("-c");
        args.push(c);
    }
    let mut start = args.clone();
    // Rename detection off (only byte-identical files count as renamed, and no two question
    // files are identical: each holds its own id). Small YAML files look alike to git: with
    // the default 50% similarity, a question merged away upstream was taken as "renamed" to
    // another question added upstream, and a local edit of it was applied to that other file.
    // `-X no-renames` and `merge.renames=false` are not honoured by git 2.47's rebase; this is.
    start.extend([
        "rebase",
        "--quiet",
        "--autostash",
        "--strategy-option=find-renames=100%",
        onto,
    ]);
    run_rebase(kb, &args, &start, onto, report, &log)
}

fn run_rebase(
    kb: &Kb,
    args: &[&str],
    start: &[&str],
    onto: &str,
    report: &mut Report,
    log: &Path,
) -> std::result::Result<(), SyncError> {
    let repo = kb.repo();
    let started_at = head_oid(repo);
    let onto_oid = ref_oid(repo, onto);
    let mut out = git(repo, start)?;
    let mut rounds = 0;
    while !out.status.success() {
        rounds += 1;
        // Stopped: resolve what kb can (edit vs delete of a question: the edit survives);
        // anything else aborts and leaves the repository as it was.
        let unmerged = git(repo, &["diff", "--name-only", "--diff-filter=U"])?;
        let paths: Vec<String> = String::from_utf8_lossy(&unmerged.stdout)
            .lines()
            .map(String::from)
            .collect();
        let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
        let mut resolvable = !paths.is_empty() && rounds < 10_000;
        for path in &paths {
            if !merged_by_kb(kb, path) || !workdir.join(path).is_file() {
                resolvable = false;
                break;
            }
            // One side deleted it: the file in the working tree is the edited version.
            let text = std::fs::read_to_string(workdir.join(path)).unwrap_or_default();
            if text.contains("<<<<<<<") || text.contains(">>>>>>>") {
                resolvable = false;
                break;
            }
            let add = git(repo, &["add", "--", path])?;
            resolvable &= add.status.success();
        }
        if !resolvable {
            let _ = git(repo, &["rebase", "--abort"]);
            let restored = started_at.is_some_and(|s| put_back(kb, s, onto_oid));
            if paths.is_empty() {
                // Not a content conflict: git failed (a full disk, a hook, signing).
                return Err(SyncError::GitFailed {
                    step: format!("rebase this machine's commits onto {onto}"),
                    message: git_words(&out),
                    restored,
                });
            }
            return Err(SyncError::Conflict {
                remote: onto.to_string(),
                paths,
            });
        }
        let mut cont = args.to_vec();
        cont.extend(["rebase", "--continue"]);
        out = git(repo, &cont)?;
    }
    if let Ok(text) = std::fs::read_to_string(log) {
        for line in text.lines() {
            report.merged += 1;
            if let Some(path) = line.strip_prefix("conflict ") {
                let id = Path::new(path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if !report.conflicts.contains(&id) {
                    report.conflicts.push(id);
                }
            }
        }
        let _ = std::fs::remove_file(log);
    }
    Ok(())
}

/// git's error output, for a message: what git said, with a run of lines that differ only in
/// a file name (`unable to write file questions/…` once per file on a full disk) cut to three.
pub(super) fn git_words(out: &Output) -> String {
    let text = stderr(out);
    let mut lines: Vec<String> = Vec::new();
    let mut run = 0usize;
    let shape = |l: &str| l.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    let mut last_shape = String::new();
    let mut skipped = 0usize;
    for line in text.lines() {
        let sh = shape(line);
        if sh == last_shape {
            run += 1;
        } else {
            if skipped > 0 {
                lines.push(format!("  … and {skipped} more such lines"));
            }
            run = 1;
            skipped = 0;
            last_shape = sh;
        }
        if run <= 3 {
            lines.push(line.to_string());
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        lines.push(format!("  … and {skipped} more such lines"));
    }
    lines.join("\n")
}

/// After git stopped half-way for a reason other than a content conflict: the branch back at
/// `started_at` and checked out, the files git had begun to write for `onto` removed (only
/// untracked ones whose content is all or the start of the file `onto` has: git's own partial
/// writes, never the user's), and the knowledge base's files as HEAD has them. Before git ran,
/// every file of the knowledge base was committed, so this loses nothing. Whether the working
/// tree is whole again (false when the disk is still too full to write a file back).
pub(super) fn put_back(kb: &Kb, started_at: Oid, onto: Option<Oid>) -> bool {
    let repo = kb.repo();
    let gitdir = repo.path();
    if gitdir.join("rebase-merge").exists() || gitdir.join("rebase-apply").exists() {
        let _ = git(repo, &["rebase", "--abort"]);
    }
    let Some((branch, _)) = recover::read_sync_marker(&kb.state().syncing()) else {
        return false;
    };
    let refname = format!("refs/heads/{branch}");
    if repo.find_reference(&refname).ok().and_then(|r| r.target()) != Some(started_at) {
        let _ = git(repo, &["update-ref", &refname, &started_at.to_string()]);
    }
    if repo
        .head()
        .ok()
        .and_then(|h| h.name().ok().map(String::from))
        != Some(refname.clone())
    {
        let _ = git(repo, &["symbolic-ref", "HEAD", &refname]);
    }
    if let Some(tree) = onto
        .and_then(|o| repo.find_commit(o).ok())
        .and_then(|c| c.tree().ok())
    {
        remove_partial_checkout(kb, &tree);
    }
    recover::restore_kb_files(kb);
    // git's index for kb's paths as HEAD has them (a failed checkout can leave entries of the
    // other tree staged).
    let _ = crate::git::reset_index_to_head(repo, &kb.own_paths());
    kb.pending().is_ok_and(|p| p.is_empty())
}

/// Remove untracked files of the knowledge base that git was writing from `tree`: each holds
/// nothing but the whole, or the start, of the file `tree` has at its path.
fn remove_partial_checkout(kb: &Kb, tree: &git2::Tree) {
    let repo = kb.repo();
    let Ok(paths) = kb.pending() else { return };
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    for path in paths {
        let untracked = repo
            .status_file(Path::new(&path))
            .is_ok_and(|s| s.contains(Status::WT_NEW));
        if !untracked {
            continue;
        }
        let Ok(entry) = tree.get_path(Path::new(&path)) else {
            continue;
        };
        let Ok(blob) = repo.find_blob(entry.id()) else {
            continue;
        };
        let abs = workdir.join(&path);
        if let Ok(bytes) = std::fs::read(&abs)
            && blob.content().starts_with(&bytes)
        {
            let _ = std::fs::remove_file(&abs);
        }
    }
}
