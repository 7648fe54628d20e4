//! The write lock: one writing kb at a time per repository, and clean-up after a killed one
//! when it is taken.

use std::fs;
use std::path::PathBuf;

use crate::error::{Error, IoContext, Result};
use crate::git;

use super::Kb;

impl Kb {
    /// Take the knowledge base's write lock, waiting (after calling `on_wait` once) while another
    /// kb process holds it, and clean up after any kb that was killed mid-write: its temporary
    /// files, git lock files it left in the middle of a commit, a rebase it left in the middle of
    /// a sync. The lock is released when the guard is dropped, or by the OS if the process dies.
    pub fn lock(&self, on_wait: &dyn Fn()) -> Result<WriteLock> {
        let state = self.state();
        let dir = state.dir();
        fs::create_dir_all(dir).at(dir)?;
        let path = state.write_lock();
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .at(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().at(&path)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(e).at(&path),
        }
        self.recover()?;
        // Every write ends in a commit that updates git's index. Find out now, before any file
        // is written, whether libgit2 can read it.
        if let Err(e) = self.repo.index() {
            let message = if e.message().contains("'link'") {
                "this repository uses git's split index (core.splitIndex), which kb's git \
                 library cannot read; turn it off with \
                 `git config core.splitIndex false && git update-index --no-split-index`"
                    .to_string()
            } else {
                format!("cannot read git's index (.git/index): {}", e.message())
            };
            return Err(Error::Repository(message));
        }
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // The git processes kb starts keep it (see `git::run`).
            git::run::share_write_lock(Some(file.as_raw_fd()));
        }
        // While the lock is held this marker says "a kb is writing"; finding it when taking the
        // lock means the last holder was killed, and only then are the big folders searched for
        // its temporary files (a listing of 100k questions costs tens of milliseconds).
        let marker = state.writing();
        fs::write(&marker, std::process::id().to_string()).at(&marker)?;
        Ok(WriteLock {
            _file: file,
            marker,
        })
    }

    /// [`Kb::lock`] for a command that commits: it also refuses, changing nothing, while the
    /// user has a git operation in progress or HEAD is detached (see [`crate::git::busy`]).
    pub(crate) fn lock_to_commit(&self, on_wait: &dyn Fn()) -> Result<WriteLock> {
        let lock = self.lock(on_wait)?;
        if let Some(why) = git::busy(&self.repo) {
            return Err(Error::Repository(why));
        }
        git::ensure_index_unlocked(&self.repo)?;
        Ok(lock)
    }
}

/// The knowledge base's write lock; see [`Kb::lock`].
pub struct WriteLock {
    _file: fs::File,
    marker: PathBuf,
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        git::run::share_write_lock(None);
        // Before the lock itself is released (when `_file` is dropped, after this).
        let _ = fs::remove_file(&self.marker);
    }
}
