//! Writes that fail half-way: a file-size limit (RLIMIT_FSIZE, which any user can set: every
//! write past the limit fails with EFBIG, the way a full disk fails with ENOSPC) on kb and the
//! git it runs, and, where this machine lets the test mount one, a real 3 MB tmpfs. After each
//! failed add, import, reindex and sync nothing the user wrote is missing from the working tree
//! or HEAD, and git's index agrees with HEAD for kb's paths.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use crate::common::*;

/// `kb --kb <kb> args…` with every file it (and the git it runs) writes limited to `bytes`.
fn kb_limited(sb: &Sandbox, kb: &Path, bytes: u64, args: &[&str]) -> std::process::Output {
    let mut cmd = sb.kb_process(sb.path());
    cmd.arg("--kb").arg(kb).args(args);
    unsafe {
        cmd.pre_exec(move || {
            // Past the limit a write fails (EFBIG) instead of the process being stopped by
            // SIGXFSZ; the ignored signal stays ignored in the git processes kb starts.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// What must hold after any failure: the working tree has every file of HEAD with HEAD's
/// content or newer (nothing deleted, nothing emptied), no temporary files, and git's index
/// equals HEAD for kb's folders.
fn whole(sb: &Sandbox, kb: &Path) {
    let status = sb.git(kb, &["status", "--porcelain=v1", "--untracked-files=all"]);
    for line in status.lines() {
        assert!(
            !line.starts_with(" D") && !line.starts_with("D"),
            "deleted: {status}"
        );
        assert!(!line.contains(".kb-tmp-"), "temporary file left: {status}");
    }
    let staged = sb.git(
        kb,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--",
            "questions",
            "interviews",
            "kb.yaml",
        ],
    );
    assert_eq!(staged, "", "git's index disagrees with HEAD");
    for entry in std::fs::read_dir(kb.join("questions")).unwrap() {
        let path = entry.unwrap().path();
        let len = std::fs::metadata(&path).unwrap().len();
        assert!(len > 0, "{} is empty", path.display());
    }
    sb.kb(kb).arg("check").assert().success();
}

/// Machine `b` with one question of its own, behind a remote that gained 400 big questions
/// (each file ~8 KB once checked out) from machine `a`, with the remote's commits already
/// fetched, so only writing the files can fail.
fn behind_a_big_pull(sb: &Sandbox, b: &Path) -> PathBuf {
    let remote = sb.bare_remote("remote.git");
    let a = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote"])
        .arg(&remote)
        .arg(&a)
        .assert()
        .success();
    sb.kb(&a)
        .args([
            "add",
            "가상 메모리란?",
            "--id",
            "os-vm",
            "--answer",
            "페이지.\n",
        ])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    sb.git(
        sb.path(),
        &["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()],
    );
    let answer = "이 질문에 대한 긴 답변입니다. ".repeat(200);
    for i in 0..400 {
        std::fs::write(
            a.join(format!("questions/bulk{i:03}.yaml")),
            format!("id: bulk{i:03}\nquestion: 대량 질문 {i}번?\nanswer: |\n  {answer}\n"),
        )
        .unwrap();
    }
    sb.kb(&a).arg("sync").assert().success();
    sb.kb(b)
        .args([
            "add",
            "B에서 쓴 질문?",
            "--id",
            "local-b",
            "--answer",
            "B의 답.\n",
        ])
        .assert()
        .success();
    sb.git(b, &["fetch", "-q"]);
    remote
}

fn sync_fails_and_puts_everything_back(sb: &Sandbox, b: &Path, out: std::process::Output) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("git could not rebase"), "{err}");
    assert!(err.contains("nothing was lost"), "{err}");
    assert!(
        err.lines().count() < 20,
        "git's words are cut, not 400 lines: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        std::fs::read_to_string(b.join("questions/local-b.yaml"))
            .is_ok_and(|t| t.contains("B의 답.")),
        "the local question is in the working tree"
    );
    assert_eq!(
        sb.git(b, &["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
    assert_eq!(
        sb.git(b, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert!(!b.join(".git/kb/syncing").exists());
    whole(sb, b);
}

#[test]
fn a_sync_whose_rebase_cannot_write_its_files_puts_the_branch_and_files_back() {
    let sb = Sandbox::new();
    let b = sb.path().join("b");
    behind_a_big_pull(&sb, &b);
    let head = sb.git(&b, &["rev-parse", "HEAD"]);
    let out = kb_limited(&sb, &b, 6_000, &["sync"]);
    sync_fails_and_puts_everything_back(&sb, &b, out);
    assert_eq!(sb.git(&b, &["rev-parse", "HEAD"]), head);
    // With room again the same sync goes through and loses nothing.
    sb.kb(&b).arg("sync").assert().success();
    assert!(b.join("questions/local-b.yaml").is_file());
    assert_eq!(std::fs::read_dir(b.join("questions")).unwrap().count(), 402);
    whole(&sb, &b);
}

/// The same on a real full disk, where this machine allows mounting a small tmpfs (root with
/// CAP_SYS_ADMIN); elsewhere the file-size variant above covers it, and this says so.
#[test]
fn a_sync_on_a_full_tmpfs_puts_the_branch_and_files_back() {
    let sb = Sandbox::new();
    let mnt = sb.path().join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let Some(_mounted) = mount(&["-t", "tmpfs", "-o", "size=3m", "tmpfs"], &mnt) else {
        notice(
            "cannot mount a tmpfs here (not root with CAP_SYS_ADMIN); the full-disk sync is \
             covered by the file-size test only",
        );
        return;
    };
    let b = mnt.join("b");
    behind_a_big_pull(&sb, &b);
    let out = sb.kb(&b).arg("sync").output().unwrap();
    sync_fails_and_puts_everything_back(&sb, &b, out);
    let grow = std::process::Command::new("mount")
        .args(["-o", "remount,size=20m"])
        .arg(&mnt)
        .status()
        .unwrap();
    assert!(grow.success());
    sb.kb(&b).arg("sync").assert().success();
    assert_eq!(std::fs::read_dir(b.join("questions")).unwrap().count(), 402);
    whole(&sb, &b);
}

/// add, import and reindex that cannot write: a clear error (never a panic), and the bank as it
/// was.
#[test]
fn add_import_and_reindex_that_cannot_write_fail_cleanly() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.kb(&kb)
        .args([
            "add",
            "TCP와 UDP의 차이는?",
            "--id",
            "net-tcp",
            "--answer",
            "연결.\n",
        ])
        .assert()
        .success();
    let head = sb.git(&kb, &["rev-parse", "HEAD"]);

    let big = "긴 답변. ".repeat(3_000);
    let out = kb_limited(&sb, &kb, 8_000, &["add", "큰 답의 질문?", "--answer", &big]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("File too large") || err.contains("file too large"),
        "{err}"
    );
    assert_eq!(sb.git(&kb, &["rev-parse", "HEAD"]), head);
    whole(&sb, &kb);

    // A notes folder whose pages are bigger than the limit.
    let notes = sb.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    for i in 0..30 {
        std::fs::write(
            notes.join(format!("note{i}.md")),
            format!(
                "# 질문 {i}번은 무엇인가요?\n\n{}\n",
                "설명 문장입니다. ".repeat(800)
            ),
        )
        .unwrap();
    }
    let out = kb_limited(&sb, &kb, 8_000, &["import", notes.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(sb.git(&kb, &["rev-parse", "HEAD"]), head);
    whole(&sb, &kb);

    let out = kb_limited(&sb, &kb, 2_000, &["reindex"]);
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The cache rebuilds once there is room, and the bank is unchanged.
    sb.kb(&kb).arg("reindex").assert().success();
    let found = stdout(&sb.kb(&kb).args(["search", "UDP"]).assert().success());
    assert!(found.contains("net-tcp"), "{found}");
    assert_eq!(sb.git(&kb, &["rev-parse", "HEAD"]), head);
    whole(&sb, &kb);
}
