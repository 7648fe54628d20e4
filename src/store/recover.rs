//! Undoing what a killed kb left behind: its temporary files, git's lock files from a commit
//! it was in, a change it had journalled, a sync it was in (the sync's marker, written and read
//! here, says where the branch was).

use std::fs;
use std::path::Path;

use git2::{Oid, Status};

use crate::error::Result;
use crate::git::run::run as git;
use crate::time;

use super::{ASSETS_DIR, Kb, QUESTIONS_DIR, layout, write_atomic};

impl Kb {
    /// A kb killed mid-commit or mid-sync leaves a marker. When one is there and no kb holds the
    /// write lock, clean up now, so even a read-only command sees a whole knowledge base.
    pub(super) fn recover_if_abandoned(&self) {
        let state = self.state();
        if !state.committing().exists()
            && !state.syncing().exists()
            && !state.change_journal().exists()
        {
            return;
        }
        let Ok(file) = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(state.write_lock())
        else {
            return;
        };
        // The lock may still be held for a moment by a git process of the killed kb on its way
        // out; a kb that is really working keeps it longer, and is left alone.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        loop {
            if file.try_lock().is_ok() {
                let _ = self.recover();
                return;
            }
            if std::time::Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Undo what a killed kb left behind (called with the write lock held, so nothing found
    /// here belongs to a kb still running).
    pub(super) fn recover(&self) -> Result<()> {
        let gitdir = self.repo.path();
        let state = self.state();
        let abandoned = state.writing().exists();
        for folder in std::iter::once("").chain(layout::OWN_FOLDERS) {
            // Small folders are always checked (cheap); the questions folder when a writer died.
            if (folder == QUESTIONS_DIR || folder == ASSETS_DIR) && !abandoned {
                continue;
            }
            let dir = self.root.join(folder);
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(layout::TMP_PREFIX)
                {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        let committing = state.committing();
        let syncing = state.syncing();
        if (committing.exists() || syncing.exists()) && git_running_in(&self.root) {
            // A git of the user's is running here: its locks are its own, and a rebase may be
            // its too. Everything is left for a later kb (the markers stay).
            return Ok(());
        }
        if committing.exists() || syncing.exists() {
            // A kb died inside a git commit or a sync: the lock files are its own (or its git's:
            // those have ended, since they held this write lock too). A git the user is running
            // here now keeps its locks.
            // Any `*.lock` git keeps in its top folder (index, HEAD, MERGE_MSG, AUTO_MERGE...)
            // and under refs/.
            if let Ok(entries) = fs::read_dir(gitdir) {
                for e in entries.flatten() {
                    let path = e.path();
                    if path.is_file() && path.extension().is_some_and(|x| x == "lock") {
                        let _ = fs::remove_file(path);
                    }
                }
            }
            remove_lock_files(&gitdir.join("refs"));
        }
        if committing.exists() {
            // Killed inside a commit: the commit may have landed without git's index following
            // it (kb versions before this one wrote the index last), or the index may hold what
            // was never committed. For kb's own paths the index is set to HEAD; the working
            // tree keeps every file, so anything not committed is a hand edit the next sync
            // commits.
            let _ = crate::git::reset_index_to_head(&self.repo, &self.own_paths());
        }
        if syncing.exists() {
            undo_interrupted_sync(self, &syncing);
            let _ = fs::remove_file(&syncing);
        }
        let _ = fs::remove_file(&committing);
        if state.change_journal().exists() {
            self.finish_change();
        }
        Ok(())
    }
}

/// Whether a `git` process other than kb's own is running with its working folder inside
/// `root` (read from /proc; elsewhere, or when /proc cannot be read, no).
fn git_running_in(root: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    let Ok(entries) = fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|e| {
        let dir = e.path();
        let is_pid = e
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit());
        is_pid
            && fs::read_to_string(dir.join("comm")).is_ok_and(|c| c.trim() == "git")
            && fs::read_link(dir.join("cwd")).is_ok_and(|cwd| cwd.starts_with(&root))
    })
}

fn remove_lock_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            remove_lock_files(&path);
        } else if path.extension().is_some_and(|x| x == "lock") {
            let _ = fs::remove_file(path);
        }
    }
}

/// The marker a sync leaves while it fetches and integrates: the branch, and the commit it was
/// at once this machine's hand edits were committed. Recovery undoes a rebase or a checkout only
/// when the marker proves the sync started it.
pub(crate) fn write_sync_marker(kb: &Kb, branch: &str) -> Result<()> {
    let marker = kb.state().syncing();
    let head = kb
        .repo()
        .head()
        .ok()
        .and_then(|h| h.target())
        .map(|o| o.to_string())
        .unwrap_or_default();
    write_atomic(&marker, format!("{branch}\n{head}\n").as_bytes())
}

/// Undo a sync that was killed: abort the rebase it left; if git cannot (the rebase was killed
/// before it had written its own notes), put the branch back where the marker says it was, keep
/// any changes git had stashed in the stash list, and restore the working tree.
pub(crate) fn undo_interrupted_sync(kb: &Kb, marker: &Path) {
    undo_interrupted_git(kb, marker);
    // The branch's commit when the sync started (the marker's second line).
    let Some((_, started_at)) = read_sync_marker(marker) else {
        return;
    };
    // Only when the state is (again) the sync's own: on its branch, nothing of the user's in
    // progress.
    if crate::git::busy(kb.repo()).is_some() {
        return;
    }
    set_aside_leftovers(kb, Some(started_at));
}

/// Files a killed git was writing during the sync are left untracked (some half written):
/// the remote's files it was checking out, and files of this machine's own commits it was
/// replaying on top of them (a question added and later merged away, say). Before it started,
/// the sync had committed everything of the knowledge base, so untracked files in its folders
/// that one of those commits has are git's leftovers: they are moved to
/// `.git/kb/interrupted-sync/<time>/`, not deleted (the branch or the next sync has them).
fn set_aside_leftovers(kb: &Kb, started_at: Option<Oid>) {
    let repo = kb.repo();
    let Ok(paths) = kb.pending() else { return };
    // Only files git could have been writing. A file the user wrote by hand meanwhile is in
    // none of these trees, and stays.
    let mut upstream_trees = Vec::new();
    let mut remote_tips = Vec::new();
    if let Ok(refs) = repo.references_glob("refs/remotes/*") {
        for r in refs.flatten() {
            if let Ok(commit) = r.peel_to_commit() {
                remote_tips.push(commit.id());
                if let Ok(tree) = commit.tree() {
                    upstream_trees.push(tree);
                }
            }
        }
    }
    // This machine's commits that the remote does not have: the ones a rebase replays.
    if let Some(head) = started_at
        && let Ok(mut walk) = repo.revwalk()
        && walk.push(head).is_ok()
    {
        for tip in &remote_tips {
            let _ = walk.hide(*tip);
        }
        for oid in walk.flatten().take(10_000) {
            if let Ok(tree) = repo.find_commit(oid).and_then(|c| c.tree()) {
                upstream_trees.push(tree);
            }
        }
    }
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    let stamp = time::now().as_second();
    for path in paths {
        let abs = workdir.join(&path);
        let tracked = repo
            .status_file(Path::new(&path))
            .is_ok_and(|s| !s.contains(Status::WT_NEW));
        let from_remote = upstream_trees
            .iter()
            .any(|t| t.get_path(Path::new(&path)).is_ok());
        if tracked || !from_remote || !abs.is_file() {
            continue;
        }
        let dest = kb
            .state()
            .interrupted_sync()
            .join(stamp.to_string())
            .join(&path);
        if let Some(dir) = dest.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::rename(&abs, &dest);
    }
}

/// What a sync's marker says: the branch it synced and the commit the branch was at.
pub(crate) fn read_sync_marker(marker: &Path) -> Option<(String, Oid)> {
    let text = std::fs::read_to_string(marker).ok()?;
    let mut lines = text.lines();
    let (branch, head) = (lines.next()?.trim(), lines.next()?.trim());
    // `HEAD` is what a detached HEAD's shorthand is: no branch of kb's (markers of old kb
    // versions were written even then).
    if branch.is_empty() || branch == "HEAD" {
        return None;
    }
    Some((branch.to_string(), Oid::from_str(head).ok()?))
}

/// Whether the rebase git has in progress is the one the sync of `marker` started: on the
/// marker's branch, from the marker's commit. Anything else is the user's and is left alone.
fn rebase_is_ours(gitdir: &Path, branch: &str, head: Oid) -> bool {
    let dirs = ["rebase-merge", "rebase-apply"];
    dirs.iter().filter(|d| gitdir.join(d).is_dir()).any(|dir| {
        let read = |name: &str| {
            std::fs::read_to_string(gitdir.join(dir).join(name))
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        let (name, orig) = (read("head-name"), read("orig-head"));
        // git writes both first thing; a rebase killed before it had is kb's too.
        (name.is_empty() || name == format!("refs/heads/{branch}"))
            && (orig.is_empty() || orig == head.to_string())
    })
}

fn undo_interrupted_git(kb: &Kb, marker: &Path) {
    let repo = kb.repo();
    let gitdir = repo.path().to_path_buf();
    let Some((branch, head)) = read_sync_marker(marker) else {
        return;
    };
    if repo
        .find_reference(&format!("refs/heads/{branch}"))
        .is_err()
    {
        return;
    }
    let in_rebase = gitdir.join("rebase-merge").exists() || gitdir.join("rebase-apply").exists();
    if in_rebase && !rebase_is_ours(&gitdir, &branch, head) {
        // The user's own rebase, started after the sync died: not kb's to touch.
        return;
    }
    // A git operation of the user's (merge, cherry-pick...) started since: leave it too.
    if !in_rebase && repo.state() != git2::RepositoryState::Clean {
        return;
    }
    let _ = std::fs::remove_file(gitdir.join("index.lock"));
    let detached = repo.head_detached().unwrap_or(false);
    if let Ok(oid) = std::fs::read_to_string(gitdir.join("MERGE_AUTOSTASH")) {
        // A fast-forward killed after setting the user's other changes aside: keep them.
        let _ = git(
            repo,
            &[
                "stash",
                "store",
                "-m",
                "kb sync: changes set aside by an interrupted sync",
                oid.trim(),
            ],
        );
        let _ = std::fs::remove_file(gitdir.join("MERGE_AUTOSTASH"));
    }
    if !in_rebase && !detached {
        // Git writes working-tree files in place: a fast-forward killed mid-way can leave a file
        // half written. Before any merge kb committed everything of its own, so the knowledge
        // base's files are put back exactly as HEAD has them (nothing else is touched).
        restore_kb_files(kb);
        return;
    }
    if in_rebase && git(repo, &["rebase", "--abort"]).is_ok_and(|o| o.status.success()) {
        return;
    }
    for dir in ["rebase-merge", "rebase-apply"] {
        let stash = gitdir.join(dir).join("autostash");
        if let Ok(oid) = std::fs::read_to_string(&stash) {
            let _ = git(
                repo,
                &[
                    "stash",
                    "store",
                    "-m",
                    "kb sync: changes set aside by an interrupted sync",
                    oid.trim(),
                ],
            );
        }
        let _ = std::fs::remove_dir_all(gitdir.join(dir));
    }
    let _ = std::fs::remove_file(gitdir.join("index.lock"));
    // git moves the branch only when a rebase finishes, so it normally still is where the sync
    // started, or later (hand edits committed by it); it is set back only if it is elsewhere.
    let current = repo
        .find_reference(&format!("refs/heads/{branch}"))
        .ok()
        .and_then(|r| r.target());
    let keep = match current {
        Some(c) => c == head || repo.graph_descendant_of(c, head).unwrap_or(false),
        None => false,
    };
    if !keep {
        let _ = git(
            repo,
            &[
                "update-ref",
                &format!("refs/heads/{branch}"),
                &head.to_string(),
            ],
        );
    }
    let _ = git(
        repo,
        &["symbolic-ref", "HEAD", &format!("refs/heads/{branch}")],
    );
    let _ = git(repo, &["reset", "--hard", "--quiet", "HEAD"]);
}

/// Check out HEAD's version of the knowledge base's own files.
pub(crate) fn restore_kb_files(kb: &Kb) {
    let repo = kb.repo();
    let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return;
    };
    let paths: Vec<String> = kb
        .own_paths()
        .into_iter()
        .filter(|p| tree.get_path(Path::new(p)).is_ok())
        .collect();
    if paths.is_empty() {
        return;
    }
    let mut args = vec!["checkout", "HEAD", "--"];
    args.extend(paths.iter().map(String::as_str));
    let _ = git(repo, &args);
}
