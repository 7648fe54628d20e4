//! `kb clone`: a knowledge base from a remote, ready to use on this machine — cloned, on a
//! branch, its search index built.

use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};
use crate::git::run::{run_as_user, run_as_user_hiding};

/// What git says when the remote's HEAD names a branch it does not have. The clone then has
/// nothing checked out, which [`checkout_if_empty`] puts right, so the warning is not passed on.
const NO_REMOTE_HEAD: &str = "warning: remote HEAD refers to nonexistent ref";
use crate::index::{Progress, SearchIndex};
use crate::store::{CONFIG_FILE, Kb};

/// What a clone made.
#[derive(Debug)]
pub struct Cloned {
    /// The knowledge base's folder: the clone itself, or a folder one level down.
    pub root: PathBuf,
    /// Questions in the search index built for it.
    pub questions: u64,
    /// Files that could not be read (they are left out of the index).
    pub problems: Vec<Problem>,
}

/// The folder a clone of `url` goes to when none is named: the URL's last part without `.git`,
/// as `git clone` names it.
pub fn default_dir(url: &str) -> PathBuf {
    PathBuf::from(
        url.trim_end_matches('/')
            .rsplit(['/', ':'])
            .next()
            .unwrap_or("kb")
            .trim_end_matches(".git"),
    )
}

/// Clone `url` into `dir` (absent or empty), open the knowledge base in it and build its index.
/// git runs as the user would run it, so credential prompts and git's own errors reach the
/// terminal; what git writes to its standard error goes to `messages` (the terminal's standard
/// error, for the `kb` binary), except the warning kb handles itself. `progress` follows the
/// index build.
pub fn clone(
    url: &str,
    dir: &Path,
    progress: &dyn Progress,
    messages: &mut dyn std::io::Write,
) -> Result<Cloned> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::Repository(format!(
            "{} already exists and is not empty",
            dir.display()
        )));
    }
    let args = [
        "clone".as_ref(),
        "--quiet".as_ref(),
        "--".as_ref(),
        url.as_ref(),
        dir.as_os_str(),
    ];
    let status = run_as_user_hiding(None, args, &[NO_REMOTE_HEAD], messages)
        .map_err(|e| Error::Repository(format!("could not run git (is it installed?): {e}")))?;
    if !status.success() {
        return Err(Error::Repository(format!(
            "git clone {url} failed (see above)"
        )));
    }
    checkout_if_empty(dir)?;
    let root = find_kb(dir).ok_or_else(|| {
        Error::Repository(format!("{url} has no kb.yaml: it is not a knowledge base"))
    })?;
    let kb = Kb::open(&root)?;
    let (index, refresh) = SearchIndex::rebuild(&kb, progress)?;
    Ok(Cloned {
        root,
        questions: index.len(),
        problems: refresh.problems,
    })
}

/// A clone whose remote HEAD names a branch that does not exist (a bank pushed from `master` to
/// a remote created with `main`) checks nothing out: take the remote's only, or main/master,
/// branch.
fn checkout_if_empty(dir: &Path) -> Result<()> {
    // Worded as git2 and the OS word them: these follow a clone that just worked, and say
    // something unexpected.
    let plain = |e: &dyn std::fmt::Display| Error::Repository(e.to_string());
    let repo = git2::Repository::open(dir).map_err(|e| plain(&e))?;
    if repo.head().is_ok() {
        return Ok(());
    }
    let mut branches: Vec<String> = repo
        .branches(Some(git2::BranchType::Remote))
        .map_err(|e| plain(&e))?
        .flatten()
        .filter_map(|(b, _)| b.name().ok().flatten().map(String::from))
        .filter(|n| !n.ends_with("/HEAD"))
        .collect();
    branches.sort_by_key(|b| (!b.ends_with("/main"), !b.ends_with("/master"), b.clone()));
    let Some(remote_branch) = branches.first() else {
        return Ok(());
    };
    let local = remote_branch
        .split_once('/')
        .map_or(remote_branch.as_str(), |(_, b)| b);
    let status = run_as_user(
        Some(dir),
        ["checkout", "--quiet", "-b", local, "--track", remote_branch],
    )
    .map_err(|e| plain(&e))?;
    if !status.success() {
        return Err(Error::Repository(format!(
            "could not check out {remote_branch} in {}",
            dir.display()
        )));
    }
    Ok(())
}

/// The knowledge base in a fresh clone: at its root or one folder down.
fn find_kb(dir: &Path) -> Option<PathBuf> {
    if dir.join(CONFIG_FILE).is_file() {
        return Some(dir.to_path_buf());
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join(CONFIG_FILE).is_file())
        .collect();
    found.sort();
    found.into_iter().next()
}
