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
//!
//! Here: the pipeline (steps 1–3 and 6) and its types; `integrate` (4–5), `rebase` (the rebase
//! and its undo when git fails), `fold` (questions folded after it), `driver` (the merge driver).
//! A sync killed half-way is undone by the next kb, in `store::recover`.

use std::path::Path;
use std::process::Output;

use git2::{Oid, Repository};

use crate::error::{Error, Problem, Result};
use crate::git::run::run as git;
use crate::interview::Interview;
use crate::model::Question;
use crate::store::{INTERVIEWS_DIR, Kb, QUESTIONS_DIR, recover};

pub mod clone;
mod driver;
mod fold;
mod integrate;
mod rebase;

pub use driver::merge_driver;

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
            integrate::integrate(kb, driver, &remote, &remote_ref, &mut report)?;
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

/// A question's id from its path (`questions/<id>.yaml`).
fn id_of(path: &str) -> Option<String> {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}
