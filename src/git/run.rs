//! The one place kb starts a `git` process.
//!
//! Two kinds of run:
//! - [`run`]: git doing kb's own work in a repository (a sync's fetch, rebase and push, cloning
//!   a source, putting things back after a killed sync). Its output is captured, it never waits
//!   for an editor, it has an identity even on a fresh machine, it dies with kb and it holds
//!   kb's write lock while it lives.
//! - [`run_as_user`]: git exactly as if the user had typed it (`kb git`, `kb clone`): the
//!   terminal's input and output, the user's editor and identity, and nothing of kb's lock. It is
//!   the user's git, so it is not killed with kb either: a `kb git rebase` runs to its end as a
//!   `git rebase` would, and recovery leaves a git of the user's alone.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, ExitStatus, Output};
use std::sync::atomic::{AtomicI32, Ordering};

use git2::Repository;

use crate::error::{Error, Result};

use super::{FALLBACK_EMAIL, FALLBACK_NAME};

/// The descriptor of kb's write lock while this process holds it, or -1. The git processes of
/// [`run`] inherit it, so the lock is only free once they are gone too: a git that outlives a
/// killed kb by a few milliseconds cannot race the next kb's clean-up. Set by the store's lock
/// through [`share_write_lock`].
static HELD_LOCK_FD: AtomicI32 = AtomicI32::new(-1);

/// Tell the runner the write lock's descriptor when the lock is taken (`Some`), and that it is
/// gone when it is released (`None`).
pub fn share_write_lock(fd: Option<i32>) {
    HELD_LOCK_FD.store(fd.unwrap_or(-1), Ordering::SeqCst);
}

/// `git` and nothing else yet: every git kb runs starts here.
fn git() -> Command {
    Command::new("git")
}

/// Run git for kb's own work in the repository's working tree and collect its output. When git
/// has no identity configured, kb's fallback identity is passed, so commits made by a rebase
/// work on a fresh machine too.
pub fn run(repo: &Repository, args: &[&str]) -> Result<Output> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::Repository("no working tree".into()))?;
    let mut cmd = git();
    // Housekeeping git starts after a fetch or rebase runs in the foreground: detached, it would
    // keep kb's write lock (which git inherits) long after kb is done.
    cmd.current_dir(workdir)
        .args([
            "-c",
            "gc.autoDetach=false",
            "-c",
            "maintenance.autoDetach=false",
        ])
        .args(args)
        .env("GIT_EDITOR", "true");
    die_with_parent(&mut cmd);
    if repo.signature().is_err() {
        for (k, v) in [
            ("GIT_AUTHOR_NAME", FALLBACK_NAME),
            ("GIT_AUTHOR_EMAIL", FALLBACK_EMAIL),
            ("GIT_COMMITTER_NAME", FALLBACK_NAME),
            ("GIT_COMMITTER_EMAIL", FALLBACK_EMAIL),
        ] {
            cmd.env(k, v);
        }
    }
    cmd.output()
        .map_err(|e| Error::Repository(format!("could not run git (is it installed?): {e}")))
}

/// Run git as the user would, in `dir` (kb's own current folder when `None`), on the terminal,
/// and wait for it. The error is the one starting git failed with, for the caller to word.
pub fn run_as_user<I, S>(dir: Option<&Path>, args: I) -> std::io::Result<ExitStatus>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = git();
    cmd.args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.status()
}

/// [`run_as_user`], with git's standard error passed on to `messages` line by line, leaving out
/// every line that starts with one of `hide` (a warning the caller has already handled). A
/// line that cannot be one of them yet (a credential prompt without its newline) is passed on
/// at once, so git never waits behind a prompt nobody can see.
pub fn run_as_user_hiding<I, S>(
    dir: Option<&Path>,
    args: I,
    hide: &[&str],
    messages: &mut dyn std::io::Write,
) -> std::io::Result<ExitStatus>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    use std::io::Read;
    let mut cmd = git();
    cmd.args(args).stderr(std::process::Stdio::piped());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let mut child = cmd.spawn()?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let mut line: Vec<u8> = Vec::new();
    // How much of `line` is already passed on (a prefix that could not be hidden).
    let mut passed = 0;
    let mut buf = [0u8; 4096];
    loop {
        let n = match stderr.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        for &b in &buf[..n] {
            line.push(b);
            if b == b'\n' {
                if passed > 0 || !starts_with_any(&line, hide) {
                    let _ = messages.write_all(&line[passed..]);
                }
                line.clear();
                passed = 0;
            }
        }
        if passed == 0 && !line.is_empty() && !could_start_any(&line, hide) {
            let _ = messages.write_all(&line);
            passed = line.len();
        } else if passed > 0 && line.len() > passed {
            let _ = messages.write_all(&line[passed..]);
            passed = line.len();
        }
        let _ = messages.flush();
    }
    if line.len() > passed && (passed > 0 || !starts_with_any(&line, hide)) {
        let _ = messages.write_all(&line[passed..]);
        let _ = messages.flush();
    }
    child.wait()
}

fn starts_with_any(line: &[u8], hide: &[&str]) -> bool {
    hide.iter().any(|h| line.starts_with(h.as_bytes()))
}

/// Whether `partial` (a line not ended yet) may still become one starting with a `hide` text.
fn could_start_any(partial: &[u8], hide: &[&str]) -> bool {
    hide.iter().any(|h| {
        let h = h.as_bytes();
        let n = partial.len().min(h.len());
        partial[..n] == h[..n]
    })
}

/// If kb is killed (Ctrl-C, SIGKILL), git must not carry on changing the repository behind the
/// next kb's back: on Linux the child gets SIGKILL when its parent dies. Whatever git left
/// half-done is cleaned up by the next kb that takes the write lock.
///
/// The child also keeps kb's write lock open (its descriptor is inherited), so the lock is free
/// only when the child is gone as well: the next kb cannot start cleaning up while a git of the
/// killed one is still writing.
fn die_with_parent(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let parent = std::process::id() as libc::pid_t;
        let lock_fd = HELD_LOCK_FD.load(Ordering::SeqCst);
        // SAFETY: only async-signal-safe calls (prctl, getppid, fcntl) on the child's own state.
        unsafe {
            cmd.pre_exec(move || {
                #[cfg(target_os = "linux")]
                {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    // kb died between fork and prctl: nobody will send the signal.
                    if libc::getppid() != parent {
                        return Err(std::io::Error::other("kb is gone"));
                    }
                }
                #[cfg(not(target_os = "linux"))]
                let _ = parent;
                if lock_fd >= 0 {
                    libc::fcntl(lock_fd, libc::F_SETFD, 0);
                }
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = cmd;
}
