//! Git through git2: find or create the repository, and commit exactly kb's own paths; and
//! ([`run`]) the one place a `git` process is started.
//!
//! kb commits by building a tree from HEAD's tree plus the files it changed, never from the
//! index: whatever else the user has staged or left modified in the same repository is neither
//! committed nor disturbed.
//!
//! Below the store: this module knows repositories, not knowledge bases.

use std::path::Path;

use git2::{FileMode, Oid, Repository, Signature, build::TreeUpdateBuilder};

use crate::error::{Error, Result, display_path};

pub mod run;

/// The author kb uses when git has no `user.name`/`user.email` configured (a fresh machine, a CI
/// box): commits still work, and `git log` shows they came from kb.
pub const FALLBACK_NAME: &str = "kb";
pub const FALLBACK_EMAIL: &str = "kb@localhost";

/// Open the repository that contains `dir`.
pub fn open(dir: &Path) -> Result<Repository> {
    let repo = Repository::discover(dir).map_err(|e| {
        Error::Repository(format!(
            "{} is not inside a git repository ({}); run `kb init {}` to create one",
            dir.display(),
            e.message(),
            dir.display()
        ))
    })?;
    if repo.is_bare() {
        return Err(Error::Repository(format!(
            "{} is a bare git repository; kb needs a working tree (clone it first)",
            dir.display()
        )));
    }
    Ok(repo)
}

/// Open the repository containing `dir`, or create one at `dir` if there is none.
/// Returns the repository and whether it was created.
pub fn open_or_init(dir: &Path) -> Result<(Repository, bool)> {
    match Repository::discover(dir) {
        Ok(repo) if !repo.is_bare() => Ok((repo, false)),
        _ => {
            // git's `init.defaultBranch` if set, else `main` (what hosting services expect)
            // rather than libgit2's `master`.
            let branch = git2::Config::open_default()
                .ok()
                .and_then(|c| c.get_string("init.defaultBranch").ok())
                .unwrap_or_else(|| "main".to_string());
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head(&branch);
            Ok((Repository::init_opts(dir, &opts)?, true))
        }
    }
}

/// Who commits: git's configured identity, else [`FALLBACK_NAME`] <[`FALLBACK_EMAIL`]>.
pub fn signature(repo: &Repository) -> Result<Signature<'static>> {
    let now = git2::Time::new(crate::time::now().as_second(), 0);
    match repo.signature() {
        Ok(sig) => Ok(Signature::new(
            sig.name().unwrap_or(FALLBACK_NAME),
            sig.email().unwrap_or(FALLBACK_EMAIL),
            &now,
        )?),
        Err(_) => Ok(Signature::new(FALLBACK_NAME, FALLBACK_EMAIL, &now)?),
    }
}

/// Commit the current contents of `paths` (relative to the working tree, `/`-separated): files
/// that exist are added or updated, files that are gone are removed. Other paths keep HEAD's
/// version, and the index is updated for these paths only.
///
/// Returns the new commit, or `None` when the paths already match HEAD (nothing to commit).
pub fn commit_paths(repo: &Repository, paths: &[String], message: &str) -> Result<Option<Oid>> {
    // A path named twice (a question saved twice in one change) would make libgit2 refuse the
    // whole tree update.
    let mut unique: Vec<String> = paths.to_vec();
    unique.sort();
    unique.dedup();
    let paths = &unique[..];
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::Repository("the repository has no working tree".into()))?
        .to_path_buf();
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit()?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    let base_tree = match &parent {
        Some(c) => c.tree()?,
        None => {
            let empty = repo.treebuilder(None)?.write()?;
            repo.find_tree(empty)?
        }
    };

    let mut update = TreeUpdateBuilder::new();
    for path in paths {
        let abs = workdir.join(path);
        if abs.is_file() {
            let blob = repo.blob_path(&abs)?;
            update.upsert(path.as_str(), blob, FileMode::Blob);
        } else if base_tree.get_path(Path::new(path)).is_ok() {
            update.remove(path.as_str());
        }
    }
    let tree_id = update.create_updated(repo, &base_tree)?;
    // git's index is brought up to date first: if it cannot be written (another git holds
    // `index.lock`, the disk is full) nothing is committed, and HEAD and the index never
    // disagree about kb's paths (a stale index would make the user's next `git commit` undo
    // kb's change).
    ensure_index_unlocked(repo)?;
    sync_index(repo, &workdir, paths)?;
    if parent.is_some() && tree_id == base_tree.id() {
        return Ok(None);
    }
    let tree = repo.find_tree(tree_id)?;
    let sig = signature(repo)?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let oid = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
    Ok(Some(oid))
}

/// An error when another git process holds the index (`.git/index.lock` exists).
pub fn ensure_index_unlocked(repo: &Repository) -> Result<()> {
    let lock = repo.path().join("index.lock");
    if lock.exists() {
        return Err(Error::Repository(format!(
            "git's index is locked ({}): another git command is running in this repository, or \
             one was killed and left the lock behind. kb changed nothing. Wait for it to \
             finish (if no git is running, remove the file), then run kb again.",
            display_path(&lock).display()
        )));
    }
    Ok(())
}

/// Make git's index agree with HEAD for `paths` (folders or files), leaving the working tree
/// as it is: `git reset -q -- paths`. Used after a kb was killed inside a commit.
pub fn reset_index_to_head(repo: &Repository, paths: &[String]) -> Result<()> {
    let head = match repo.head().and_then(|h| h.peel_to_commit()) {
        Ok(c) => c,
        // No commit yet: nothing to agree with.
        Err(_) => return Ok(()),
    };
    repo.reset_default(Some(head.as_object()), paths.iter().map(String::as_str))?;
    Ok(())
}

/// Make the index agree with the working tree for `paths`, so `git status` shows them clean.
fn sync_index(repo: &Repository, workdir: &Path, paths: &[String]) -> Result<()> {
    let mut index = repo.index()?;
    for path in paths {
        if workdir.join(path).is_file() {
            index.add_path(Path::new(path))?;
        } else if index.get_path(Path::new(path), 0).is_some() {
            index.remove_path(Path::new(path))?;
        }
    }
    index.write()?;
    Ok(())
}

/// Why kb must not commit here now, if it must not: a git operation the user has in progress
/// (a commit made during a rebase is dropped by `git rebase --abort`, one made during a merge is
/// mixed into it) or a detached HEAD (a commit there belongs to no branch). The answer says what
/// the state is and how the user leaves it.
pub fn busy(repo: &Repository) -> Option<String> {
    use git2::RepositoryState as S;
    let (what, leave) = match repo.state() {
        S::Clean => ("", ""),
        S::Rebase | S::RebaseInteractive | S::RebaseMerge | S::ApplyMailboxOrRebase => (
            "a `git rebase`",
            "finish it with `git rebase --continue` or stop it with `git rebase --abort`",
        ),
        S::ApplyMailbox => (
            "a `git am`",
            "finish it with `git am --continue` or stop it with `git am --abort`",
        ),
        S::Merge => (
            "a `git merge`",
            "finish it with `git commit` or stop it with `git merge --abort`",
        ),
        S::CherryPick | S::CherryPickSequence => (
            "a `git cherry-pick`",
            "finish it with `git cherry-pick --continue` or stop it with `git cherry-pick --abort`",
        ),
        S::Revert | S::RevertSequence => (
            "a `git revert`",
            "finish it with `git revert --continue` or stop it with `git revert --abort`",
        ),
        S::Bisect => ("a `git bisect`", "end it with `git bisect reset`"),
    };
    if !what.is_empty() {
        return Some(format!(
            "{what} is in progress in {} (not started by kb); kb changes nothing while it is, \
             since a commit made now would be lost or mixed into it. To go on, {leave}; then \
             run kb again.",
            workdir_shown(repo),
        ));
    }
    if repo.head_detached().unwrap_or(false) {
        let at = repo
            .head()
            .ok()
            .and_then(|h| h.target())
            .map(|o| o.to_string()[..8].to_string())
            .unwrap_or_default();
        return Some(format!(
            "HEAD is detached at {at} in {} (not on a branch: after `git checkout --detach`, or in \
             a submodule after `git submodule update`); a commit made now would belong to no \
             branch, so kb changes nothing. Check out a branch (`git switch <branch>`), then run \
             kb again.",
            workdir_shown(repo)
        ));
    }
    None
}

fn workdir_shown(repo: &Repository) -> String {
    repo.workdir()
        .map(|w| display_path(w).display().to_string())
        .unwrap_or_else(|| repo.path().display().to_string())
}
