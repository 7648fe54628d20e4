//! Shared set-up for the end-to-end tests: a sandboxed HOME (so the developer's git config never
//! leaks in), the real `kb` binary, and helpers to read the real git repository it writes.
#![allow(dead_code)]

pub mod cdp;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A sandbox: its own HOME with a git identity, and a working directory.
pub struct Sandbox {
    pub dir: TempDir,
    pub home: PathBuf,
    with_identity: bool,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox::build(true)
    }

    /// A machine where git has no user.name / user.email.
    pub fn without_identity() -> Sandbox {
        Sandbox::build(false)
    }

    fn build(with_identity: bool) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        if with_identity {
            std::fs::write(
                home.join(".gitconfig"),
                "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n",
            )
            .unwrap();
        }
        Sandbox {
            dir,
            home,
            with_identity,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `kb` with a clean environment, run in `cwd`.
    pub fn kb_in(&self, cwd: &Path) -> Command {
        Command::from_std(self.kb_process(cwd))
    }

    /// The same as a plain process, for tests that spawn kb and kill it.
    pub fn kb_process(&self, cwd: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("kb"));
        cmd.current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LANG", "C.UTF-8");
        cmd
    }

    /// `kb --kb <kb>`.
    pub fn kb(&self, kb: &Path) -> Command {
        let mut cmd = self.kb_in(self.path());
        cmd.arg("--kb").arg(kb);
        cmd
    }

    /// A new knowledge base in its own repository at `<sandbox>/<name>`.
    pub fn init(&self, name: &str) -> PathBuf {
        let kb = self.path().join(name);
        self.kb_in(self.path())
            .args(["init"])
            .arg(&kb)
            .assert()
            .success();
        kb
    }

    /// An empty bare repository `name` in the sandbox, on branch main: a remote on disk.
    pub fn bare_remote(&self, name: &str) -> PathBuf {
        let remote = self.path().join(name);
        self.git(
            self.path(),
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                remote.to_str().unwrap(),
            ],
        );
        remote
    }

    /// `git` in `dir` with the sandbox's environment; returns stdout.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success() || !self.with_identity,
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Add a question; returns its id.
    pub fn add(&self, kb: &Path, args: &[&str]) -> String {
        let out = self.kb(kb).arg("add").args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone())
            .unwrap()
            .trim()
            .to_string()
    }

    /// `kb interview add -c COMPANY --yes --json QUESTION...`: its JSON report, and stderr.
    pub fn interview(
        &self,
        kb: &Path,
        company: &str,
        questions: &[&str],
    ) -> (serde_json::Value, String) {
        let out = self
            .kb(kb)
            .args(["interview", "add", "-c", company, "--yes", "--json"])
            .args(questions)
            .assert()
            .success();
        let report = serde_json::from_slice(&out.get_output().stdout).unwrap();
        (
            report,
            String::from_utf8_lossy(&out.get_output().stderr).into_owned(),
        )
    }
}

/// Number of commits on HEAD.
pub fn commit_count(repo: &Path) -> usize {
    let repo = git2::Repository::discover(repo).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.count()
}

/// HEAD's commit message.
pub fn head_message(repo: &Path) -> String {
    let repo = git2::Repository::discover(repo).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    head.message().unwrap().to_string()
}

/// The paths HEAD's commit changed relative to its parent.
pub fn head_changed_paths(repo: &Path) -> Vec<String> {
    let repo = git2::Repository::discover(repo).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let tree = head.tree().unwrap();
    let parent_tree = head.parent(0).ok().map(|p| p.tree().unwrap());
    let diff = repo
        .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
        .unwrap();
    diff.deltas()
        .map(|d| {
            d.new_file()
                .path()
                .or(d.old_file().path())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Standard output of a finished command, as text.
pub fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// Standard error of a finished command, as text.
pub fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// Parse a command's JSON output.
pub fn json(assert: &assert_cmd::assert::Assert) -> serde_json::Value {
    serde_json::from_slice(&assert.get_output().stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&assert.get_output().stdout)
        )
    })
}

/// Write an executable shell script (used as $EDITOR).
pub fn script(path: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_path_buf()
}

/// Whether a missing prerequisite of a test (the public corpora, `script`, `sqlite3`) is a
/// failure rather than a skip: `KB_REQUIRE_CORPORA=1`, which .ci/run sets because CI has all of
/// them. `KB_CI=1`, the variable's older name, counts too. Empty or `0` means not set.
pub fn prerequisites_required() -> bool {
    ["KB_REQUIRE_CORPORA", "KB_CI"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Say `text` about the running test where `cargo test` shows it even when the test passes (the
/// harness captures `eprintln!`, not a direct write to the process's stderr).
pub fn notice(text: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "NOTICE: {test}: {text}");
}

/// `missing` (a prerequisite) is not on this machine, so `skipped` is not run: a failure under
/// `KB_REQUIRE_CORPORA`, a visible notice otherwise.
#[track_caller]
pub fn prerequisite_missing(missing: &str, skipped: &str) {
    assert!(
        !prerequisites_required(),
        "KB_REQUIRE_CORPORA is set (CI has every prerequisite), but {missing}"
    );
    notice(&format!("skipping {skipped}: {missing}"));
}

/// The public interview corpora (../shared/corpora, or the folder in KB_CORPORA), or `None`
/// when they are not on this machine: then the caller skips what needs them, with a notice, or,
/// under `KB_REQUIRE_CORPORA`, the test fails here.
#[track_caller]
pub fn corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("KB_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora")
        });
    let all = [
        "ai-tech-interview",
        "datascience-interview-questions",
        "cs-study",
        "technicalnote",
    ];
    if all.iter().all(|c| dir.join(c).is_dir()) {
        Some(dir)
    } else {
        prerequisite_missing(
            &format!(
                "the interview corpora are not at {} (set KB_CORPORA to their folder)",
                dir.display()
            ),
            "what needs the corpora",
        );
        None
    }
}

/// The two question collections among the corpora (the notes repositories beside them are not
/// question-shaped; tests written for the collections import these two).
pub fn question_collections(corpora: &Path) -> [PathBuf; 2] {
    [
        corpora.join("ai-tech-interview"),
        corpora.join("datascience-interview-questions"),
    ]
}

/// A copy of the sample knowledge base `kb/` in its own repository inside the sandbox.
/// `kb export --format html -o page` on `kb`, which must succeed.
pub fn export_page(sb: &Sandbox, kb: &Path, page: &Path) {
    sb.kb(kb)
        .args(["export", "--format", "html", "-o"])
        .arg(page)
        .assert()
        .success();
}

pub fn sample_copy(sb: &Sandbox) -> PathBuf {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    let dst = sb.path().join("kb");
    copy_dir(&src, &dst);
    sb.git(&dst, &["init", "-q"]);
    sb.git(&dst, &["add", "."]);
    sb.git(&dst, &["commit", "-qm", "sample"]);
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A kb process that is still running, with what it has written to stderr (or, in a pty, to the
/// terminal) collected as it comes, and its stdin open for answers.
pub struct Live {
    pub child: std::process::Child,
    pub stdin: Option<std::process::ChildStdin>,
    seen: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Live {
    /// Start `cmd` (stdin and stderr are piped here); for a pty, pass `script` and read stdout.
    pub fn start(mut cmd: std::process::Command, read_stdout: bool) -> Live {
        use std::io::Read;
        use std::process::Stdio;
        cmd.stdin(Stdio::piped());
        if read_stdout {
            cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        } else {
            cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        let stdin = child.stdin.take();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut source: Box<dyn Read + Send> = if read_stdout {
            Box::new(child.stdout.take().unwrap())
        } else {
            Box::new(child.stderr.take().unwrap())
        };
        let sink = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = source.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Live { child, stdin, seen }
    }

    /// What it has written so far.
    pub fn seen(&self) -> String {
        String::from_utf8_lossy(&self.seen.lock().unwrap()).into_owned()
    }

    /// Wait until it has written `text` `times` times in all (20 s at most).
    pub fn wait_for(&self, text: &str, times: usize) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while self.seen().matches(text).count() < times {
            assert!(
                std::time::Instant::now() < deadline,
                "waited for {text:?} ×{times}; got:\n{}",
                self.seen()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Type `text` (to stdin, or to the pty).
    pub fn send(&mut self, text: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Send `signal` to the process.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on a child we started.
        let r = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(r, 0);
    }

    /// Wait for it to end; its exit status and all it wrote.
    pub fn finish(mut self) -> (std::process::ExitStatus, String) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        (status, self.seen())
    }
}

impl Sandbox {
    /// `kb --kb <kb> <args>` on a pseudo-terminal of its own (util-linux `script`), with the
    /// sandbox's environment and `env`: what a person at a terminal runs. `args` is shell words.
    pub fn kb_on_terminal(
        &self,
        kb: &Path,
        args: &str,
        env: &[(&str, &Path)],
    ) -> std::process::Command {
        let bin = assert_cmd::cargo::cargo_bin("kb");
        let mut cmd = std::process::Command::new("script");
        cmd.arg("-qfec")
            .arg(format!("{} --kb '{}' {args}", bin.display(), kb.display()))
            .arg("/dev/null")
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("TERM", "xterm")
            .env("LANG", "C.UTF-8")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }
}

impl Live {
    /// The pid of the first process below this one whose command is `name` (kb under
    /// `script`'s shell), waiting for it to appear.
    pub fn descendant(&self, name: &str) -> i32 {
        let root = self.child.id() as i32;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let mut parent: std::collections::HashMap<i32, (i32, String)> = Default::default();
            for e in std::fs::read_dir("/proc").unwrap().flatten() {
                let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
                    continue;
                };
                let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                    continue;
                };
                // pid (comm) state ppid ...
                let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                    continue;
                };
                let comm = stat[open + 1..close].to_string();
                let ppid = stat[close + 2..]
                    .split_whitespace()
                    .nth(1)
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(0);
                parent.insert(pid, (ppid, comm));
            }
            for (&pid, (_, comm)) in &parent {
                if comm != name {
                    continue;
                }
                let mut p = pid;
                while let Some((pp, _)) = parent.get(&p) {
                    if *pp == root {
                        return pid;
                    }
                    p = *pp;
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {name} under {root}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// Whether `script` (util-linux), which runs a command on a new pseudo-terminal, is installed.
/// Without it the caller skips its terminal part, with a notice; under `KB_REQUIRE_CORPORA` (CI
/// installs it) the test fails here instead.
#[track_caller]
pub fn pty_available() -> bool {
    let there = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    if !there {
        prerequisite_missing(
            "`script` (util-linux) is not installed",
            "the part on a terminal",
        );
    }
    there
}

/// The draft files kept in `kb`'s repository (.git/kb/drafts), text files only.
pub fn drafts(kb: &Path) -> Vec<PathBuf> {
    let repo = git2::Repository::discover(kb).unwrap();
    let dir = repo.path().join("kb/drafts");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| !p.to_string_lossy().ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A mount made for a test (a small tmpfs, a bind mount), unmounted when dropped.
pub struct Mounted(pub PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// `mount ARGS… TARGET`, or `None` where this machine does not let the test mount (not root with
/// CAP_SYS_ADMIN); the caller says what is not run with [`notice`]. Not a failure under
/// `KB_REQUIRE_CORPORA`: CI need not run as root.
pub fn mount(args: &[&str], target: &Path) -> Option<Mounted> {
    std::process::Command::new("mount")
        .args(args)
        .arg(target)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        .then(|| Mounted(target.to_path_buf()))
}

/// A shell pipeline run with the sandbox's HOME, `$KB` standing for the kb binary (`head -c 1M
/// /dev/zero | $KB --kb … add q -`).
pub fn shell(sb: &Sandbox, pipeline: &str) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(pipeline)
        .env("HOME", &sb.home)
        .env("KB", assert_cmd::cargo::cargo_bin("kb"))
        .output()
        .unwrap()
}

/// `secs` (Unix time) as kb writes a review's time: `2026-12-02T16:10:37Z`.
pub fn iso(secs: i64) -> String {
    // Days to a civil date (the proleptic Gregorian calendar, March-based years).
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
