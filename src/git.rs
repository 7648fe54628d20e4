//! Git through git2: find or create the repository, and commit exactly kb's own paths.
//!
//! kb commits by building a tree from HEAD's tree plus the files it changed, never from the
//! index: whatever else the user has staged or left modified in the same repository is neither
//! committed nor disturbed.

use std::path::Path;

use git2::{FileMode, Oid, Repository, Signature, build::TreeUpdateBuilder};

use crate::error::{Error, Result};

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
    if parent.is_some() && tree_id == base_tree.id() {
        sync_index(repo, &workdir, paths)?;
        return Ok(None);
    }
    let tree = repo.find_tree(tree_id)?;
    let sig = signature(repo)?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let oid = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
    sync_index(repo, &workdir, paths)?;
    Ok(Some(oid))
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
