//! `kb sync`: the same bank on every machine through an ordinary git remote.
//!
//! Local work (commits, trees, diffs) goes through git2; talking to the remote and replaying
//! commits go through the git command-line tool, which brings the authentication git users
//! already have (ssh-agent and keys, `~/.ssh/config`, credential helpers for HTTPS) and git's own
//! well-tested rebase. kb takes part in the rebase as a *merge driver* for question and interview
//! files: when both machines changed one, git hands kb the base and both versions and kb writes
//! the semantic three-way merge (`merge::merge3`) — never conflict markers.
//!
//! Integration is by **rebase** (fast-forward when possible): local commits are replayed on the
//! remote's, so history stays a line of readable commits with no merge commits at all.
//!
//! Order of work, so that a failure leaves a sensible state:
//! 1. validate hand-edited kb files — any invalid one stops everything (nothing committed);
//! 2. commit them;
//! 3. fetch (unreachable remote: the local commits are kept, and said so);
//! 4. check that files kb does not own (a README in the same repository) would merge; if not,
//!    stop — the repository is exactly as after step 2 and the user is told what to do;
//! 5. fast-forward or rebase; fold questions both machines added separately;
//! 6. push (rejected because the remote moved meanwhile: fetch and integrate again).

use std::path::{Path, PathBuf};
use std::process::Output;

use git2::{Oid, Repository, Status};

use crate::error::{Error, Problem, Result};
use crate::git::run::run as git;
use crate::import::duplicate_key;
use crate::interview::Interview;
use crate::model::Question;
use crate::store::{INTERVIEWS_DIR, Kb, QUESTIONS_DIR, recover};

/// What went wrong, in the terms a script needs (see the command's exit codes).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Hand-edited files that do not parse: nothing was committed or pushed.
    #[error("{} invalid file(s); fix them (kb check) and sync again", .0.len())]
    Invalid(Vec<Problem>),
    /// The repository has no remote to sync with.
    #[error("no remote to sync with; add one with `kb remote add URL`")]
    NoRemote,
    /// The remote could not be reached; local work is committed and kept.
    #[error(
        "could not reach remote {remote:?} ({url}): {message}\nYour changes are committed locally and will be pushed by the next `kb sync`."
    )]
    Unreachable {
        remote: String,
        url: String,
        message: String,
        committed: usize,
    },
    /// Files kb does not own changed on both sides and git cannot merge them.
    #[error(
        "{} changed both here and on {remote:?}, and git cannot merge {}; kb changed nothing.\n\
         Merge it yourself (`kb git pull --rebase`, resolve, `kb git rebase --continue`), then run `kb sync` again.",
        paths.join(", "), if paths.len() == 1 { "it" } else { "them" }
    )]
    Conflict { remote: String, paths: Vec<String> },
    /// git stopped for a reason other than a content conflict (a full disk, a hook, commit
    /// signing). `restored`: kb put the branch and the knowledge base's files back as they were;
    /// if it could not (the disk still full), the next kb command tries again.
    #[error(
        "git could not {step}: {message}\n{}",
        if *restored {
            "kb put the branch and the knowledge base's files back as they were before the sync; nothing was lost. Deal with the cause, then run `kb sync` again."
        } else {
            "kb could not yet put every file back as it was (see git's words above); the branch still holds all your work. Deal with the cause (free some space, say): the next kb command finishes putting things back."
        }
    )]
    GitFailed {
        step: String,
        message: String,
        restored: bool,
    },
    /// The remote kept rejecting the push.
    #[error("the push to {remote:?} was rejected: {message}")]
    Rejected { remote: String, message: String },
    /// Anything else.
    #[error(transparent)]
    Other(#[from] Error),
}

/// What a sync did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Report {
    pub remote: String,
    pub branch: String,
    /// Hand-edited files committed before syncing.
    pub committed: usize,
    /// Commits taken from the remote.
    pub pulled: usize,
    /// Commits sent to the remote.
    pub pushed: usize,
    /// Files both sides changed, merged by kb.
    pub merged: usize,
    /// Questions whose two versions changed the same thing (tagged `conflict`).
    pub conflicts: Vec<String>,
    /// Questions both sides added separately, kept once.
    pub folded: usize,
    /// Questions edited here that another machine had merged away, folded into their keeper.
    pub folded_back: usize,
    /// Questions and interviews changed by the pull, for the index.
    pub changed: Vec<String>,
    /// Questions removed on one machine and edited on the other: the edit wins, and each is
    /// named here with what happened (`q-…: edited on the other machine after you removed it`).
    pub kept: Vec<Kept>,
}

/// A question a sync kept although one side had removed it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Kept {
    pub id: String,
    /// `here` when this machine removed it (the other edited it), `there` when the other did.
    pub removed: &'static str,
}

impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.removed == "here" {
            write!(
                f,
                "kept {}: edited on the other machine after you removed it",
                self.id
            )
        } else {
            write!(
                f,
                "kept {}: you edited it after another machine removed it",
                self.id
            )
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// Whether a repository path is a file kb merges itself (questions and interviews).
fn merged_by_kb(kb: &Kb, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(kb.prefix()) else {
        return false;
    };
    [QUESTIONS_DIR, INTERVIEWS_DIR].iter().any(|dir| {
        rest.strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|name| name.ends_with(".yaml") && !name.contains('/'))
    })
}

/// Check the pending files kb can read: a broken one must not be committed or pushed.
fn validate(kb: &Kb, paths: &[String]) -> Vec<Problem> {
    let workdir = kb
        .repo()
        .workdir()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut problems = Vec::new();
    let config = format!("{}{}", kb.prefix(), crate::store::CONFIG_FILE);
    for path in paths {
        let abs = workdir.join(path);
        let is_config = *path == config;
        if !abs.is_file() || !merged_by_kb(kb, path) && !is_config {
            continue;
        }
        let stem = abs
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = crate::error::display_path(&abs);
        let text = match crate::store::read_text(&abs) {
            Ok(t) => t,
            Err(Error::Invalid(p)) => {
                problems.push(p);
                continue;
            }
            Err(_) => continue,
        };
        let result = if is_config {
            crate::model::Config::parse(&shown, &text).map(|_| ())
        } else if path.contains(&format!("{INTERVIEWS_DIR}/")) {
            Interview::parse(&shown, &text, Some(&stem)).map(|_| ())
        } else {
            Question::parse(&shown, &text, Some(&stem)).map(|_| ())
        };
        if let Err(p) = result {
            problems.push(p);
        }
    }
    problems
}

/// The remote to sync with: the branch's upstream remote, else `origin`, else the only one.
fn remote_name(repo: &Repository, branch: &str) -> Option<String> {
    if let Ok(cfg) = repo.config()
        && let Ok(name) = cfg.get_string(&format!("branch.{branch}.remote"))
    {
        return Some(name);
    }
    let remotes = repo.remotes().ok()?;
    let names: Vec<&str> = remotes.iter().flatten().flatten().collect();
    if names.contains(&"origin") {
        Some("origin".into())
    } else if names.len() == 1 {
        Some(names[0].to_string())
    } else {
        None
    }
}

fn head_oid(repo: &Repository) -> Option<Oid> {
    repo.head().ok().and_then(|h| h.target())
}

fn ref_oid(repo: &Repository, name: &str) -> Option<Oid> {
    repo.find_reference(name).ok().and_then(|r| r.target())
}

/// Paths changed between two commits.
fn changed_paths(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<(String, git2::Delta)>> {
    let a = repo.find_commit(from)?.tree()?;
    let b = repo.find_commit(to)?.tree()?;
    let diff = repo.diff_tree_to_tree(Some(&a), Some(&b), None)?;
    Ok(diff
        .deltas()
        .filter_map(|d| {
            d.new_file()
                .path()
                .or(d.old_file().path())
                .map(|p| (p.to_string_lossy().into_owned(), d.status()))
        })
        .collect())
}

/// Sync the knowledge base with its remote, inside the write transaction `tx` (a sync makes its
/// own commits: the hand edits, then the rebase or merge). `driver` is the kb executable git
/// calls as the merge driver (`kb merge-driver`).
pub fn sync(
    tx: &crate::tx::Transaction,
    driver: &Path,
    remote: Option<&str>,
) -> std::result::Result<Report, SyncError> {
    let kb = tx.kb();
    // If this process is killed mid-sync, the next kb cleans up after it (git lock files, a
    // rebase in progress): see `Kb::lock` and `store::recover`. The marker remembers where the
    // branch was.
    //
    // Only a state kb started itself is ever undone: in one the user is in the middle of (their
    // own rebase, merge, cherry-pick, revert, bisect) or on a detached HEAD kb refuses and
    // touches nothing.
    if let Some(why) = crate::git::busy(kb.repo()) {
        return Err(Error::Repository(why).into());
    }
    let marker = kb.state().syncing();
    let result = sync_inner(kb, driver, remote);
    // git can stop half-way without leaving a rebase to abort (when it cannot take one of its
    // locks, say): the branch is then not checked out. Put things back as after a kill.
    if marker.exists() && kb.repo().head_detached().unwrap_or(false) {
        recover::undo_interrupted_sync(kb, &marker);
    }
    // A working tree kb could not make whole again keeps the marker: the next kb finishes.
    if !matches!(
        result,
        Err(SyncError::GitFailed {
            restored: false,
            ..
        })
    ) {
        let _ = std::fs::remove_file(&marker);
    }
    result
}

fn sync_inner(
    kb: &Kb,
    driver: &Path,
    remote: Option<&str>,
) -> std::result::Result<Report, SyncError> {
    let repo = kb.repo();
    let branch = repo
        .head()
        .ok()
        .and_then(|h| h.shorthand().ok().map(String::from))
        .filter(|b| b != "HEAD")
        .ok_or_else(|| {
            Error::Repository("HEAD is not on a branch; check out a branch to sync".into())
        })?;
    let remote = match remote {
        Some(r) => r.to_string(),
        None => remote_name(repo, &branch).ok_or(SyncError::NoRemote)?,
    };
    let url = repo
        .find_remote(&remote)
        .ok()
        .and_then(|r| r.url().ok().map(String::from))
        .ok_or(SyncError::NoRemote)?;
    let mut report = Report {
        remote: remote.clone(),
        branch: branch.clone(),
        ..Report::default()
    };

    // 1–2. Hand edits: validated, then committed.
    let pending = kb.pending()?;
    let problems = validate(kb, &pending);
    if !problems.is_empty() {
        return Err(SyncError::Invalid(problems));
    }
    if !pending.is_empty() {
        let message = format!(
            "sync: commit {} hand-edited file{}\n\n{}",
            pending.len(),
            if pending.len() == 1 { "" } else { "s" },
            pending.join("\n")
        );
        kb.commit(&pending, &message)?;
        report.committed = pending.len();
    }
    // From here on an interrupted sync puts the branch back where the marker says: here, now.
    recover::write_sync_marker(kb, &branch)?;

    for attempt in 0..3 {
        // A push rejected: the branch has moved (the last attempt's rebase); the next rebase
        // starts from here.
        if attempt > 0 {
            recover::write_sync_marker(kb, &branch)?;
        }
        // 3. Fetch.
        let probe = git(repo, &["ls-remote", "--heads", &remote, &branch])?;
        if !probe.status.success() {
            return Err(SyncError::Unreachable {
                remote,
                url,
                message: stderr(&probe),
                committed: report.committed,
            });
        }
        let remote_ref = format!("refs/remotes/{remote}/{branch}");
        let has_remote_branch = !probe.stdout.is_empty();
        if has_remote_branch {
            let out = git(
                repo,
                &[
                    "fetch",
                    "--quiet",
                    &remote,
                    &format!("+refs/heads/{branch}:{remote_ref}"),
                ],
            )?;
            if !out.status.success() {
                return Err(SyncError::Unreachable {
                    remote,
                    url,
                    message: stderr(&out),
                    committed: report.committed,
                });
            }
            integrate(kb, driver, &remote, &remote_ref, &mut report)?;
        }

        // 6. Push.
        let local = head_oid(repo);
        let upstream = ref_oid(repo, &remote_ref);
        let ahead = match (local, upstream) {
            (Some(l), Some(u)) => repo.graph_ahead_behind(l, u).map(|(a, _)| a).unwrap_or(0),
            (Some(l), None) => {
                let mut walk = repo.revwalk().map_err(Error::from)?;
                walk.push(l).map_err(Error::from)?;
                walk.count()
            }
            _ => 0,
        };
        if ahead == 0 {
            return Ok(report);
        }
        let out = git(
            repo,
            &[
                "push",
                "--quiet",
                "--set-upstream",
                &remote,
                &format!("HEAD:refs/heads/{branch}"),
            ],
        )?;
        if out.status.success() {
            report.pushed += ahead;
            return Ok(report);
        }
        let message = stderr(&out);
        // `! [rejected] … (fetch first)` is the remote having moved; `! [remote rejected] …
        // (pre-receive hook declined)` is the server saying no, with its hook's words above.
        let moved = message.contains("[rejected]")
            || message.contains("fetch first")
            || message.contains("non-fast-forward");
        if !moved {
            if message.contains("Could not read from remote")
                || message.contains("unable to access")
                || message.contains("unable to connect")
            {
                return Err(SyncError::Unreachable {
                    remote,
                    url,
                    message,
                    committed: report.committed,
                });
            }
            return Err(SyncError::Rejected { remote, message });
        }
        // The remote moved while we worked: fetch and integrate again.
    }
    Err(SyncError::Rejected {
        remote,
        message: "the remote kept moving; try again".into(),
    })
}

/// 4–5. Bring the remote's commits in: fast-forward, or rebase with kb as the merge driver.
fn integrate(
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

/// A question's id from its path (`questions/<id>.yaml`).
fn id_of(path: &str) -> Option<String> {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
}

/// Fold `mine` into `keep` as `kb merge` does: `keep` is saved with it, `mine`'s file deleted,
/// and both paths noted for the commit.
fn fold_into(
    kb: &Kb,
    keep: &mut crate::model::Question,
    mine: &crate::model::Question,
    paths: &mut Vec<String>,
) -> Result<()> {
    let merged = crate::merge::fold(keep, mine, false, crate::time::now());
    paths.push(kb.save(&merged)?);
    paths.push(kb.delete(&mine.id)?);
    *keep = merged;
    Ok(())
}

/// A question edited here that another machine merged into another one: the rebase brings the
/// file back (an edit beats a delete), so the edit is folded into the question that now holds
/// it, as if it had been made after the merge.
fn fold_back(
    kb: &Kb,
    changed_here: &[String],
    changed_there: &[String],
    report: &mut Report,
) -> Result<()> {
    let mut keepers: Vec<crate::model::Question> = changed_there
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

/// The files git uses during the rebase: an attributes file naming kb's merge driver, and the
/// log the driver appends to. Kept in the git directory; the user's config is not touched.
fn driver_files(kb: &Kb) -> Result<(PathBuf, PathBuf)> {
    let dir = kb.state().dir().to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::Io {
        path: dir.clone(),
        source: e,
    })?;
    let attributes = kb.state().merge_attributes();
    let p = kb.prefix();
    let text = format!("{p}{QUESTIONS_DIR}/*.yaml merge=kb\n{p}{INTERVIEWS_DIR}/*.yaml merge=kb\n");
    crate::store::write_atomic(&attributes, text.as_bytes())?;
    let log = kb.state().merge_driver_log();
    let _ = std::fs::remove_file(&log);
    Ok((attributes, log))
}

fn rebase(
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
fn git_words(out: &Output) -> String {
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
fn put_back(kb: &Kb, started_at: Oid, onto: Option<Oid>) -> bool {
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

/// Both machines added the same question (under different ids): keep it once, the remote's id
/// staying (others may already know it) and the local one becoming its alias.
fn fold_twins(
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

/// The merge driver git calls during `kb sync` for a question or interview both sides changed:
/// reads the base (`base`, empty when both added the file), ours and theirs, writes the merge over
/// `ours`. Returns whether the two versions conflicted (the question is then tagged).
pub fn merge_driver(base: &Path, ours: &Path, theirs: &Path, path: &str) -> Result<bool> {
    let read = |p: &Path| crate::store::read_text(p);
    let (base_text, ours_text, theirs_text) = (read(base)?, read(ours)?, read(theirs)?);
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = PathBuf::from(path);
    if path.contains(&format!("{INTERVIEWS_DIR}/")) {
        let parse = |t: &str| Interview::parse(&shown, t, Some(&stem)).map_err(Error::Invalid);
        let b = if base_text.trim().is_empty() {
            None
        } else {
            Some(parse(&base_text)?)
        };
        let merged =
            crate::merge::merge3_interview(b.as_ref(), &parse(&ours_text)?, &parse(&theirs_text)?);
        crate::store::write_atomic(ours, merged.to_yaml().as_bytes())?;
        return Ok(false);
    }
    let parse = |t: &str| Question::parse(&shown, t, Some(&stem)).map_err(Error::Invalid);
    let b = if base_text.trim().is_empty() {
        None
    } else {
        Some(parse(&base_text)?)
    };
    let (o, t) = (parse(&ours_text)?, parse(&theirs_text)?);
    let merged = crate::merge::merge3(b.as_ref(), Some(&o), Some(&t), crate::time::now());
    let question = merged
        .question
        .expect("both sides exist, so the merge keeps the question");
    crate::store::write_atomic(ours, question.to_yaml().as_bytes())?;
    Ok(merged.conflict)
}
