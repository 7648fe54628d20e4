//! Git states kb did not start and must not touch (the user's rebase, a detached HEAD, a sparse
//! checkout, a held index lock), and what a sync says when an edit beats a removal. Every test
//! runs the real binary against real repositories and checks HEAD, the branch, git's index and
//! the working tree afterwards.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A bare remote and machine `a` that pushed three questions to it.
fn setup(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let remote = sb.bare_remote("remote.git");
    let a = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote"])
        .arg(&remote)
        .arg(&a)
        .assert()
        .success();
    for (id, q) in [
        ("net-tcp-udp", "TCP와 UDP의 차이는?"),
        ("os-vm", "가상 메모리란?"),
        ("py-gil", "GIL이란?"),
    ] {
        sb.kb(&a)
            .args(["add", q, "--id", id, "--answer", "답.\n"])
            .assert()
            .success();
    }
    sb.kb(&a).arg("sync").assert().success();
    (remote, a)
}

fn clone(sb: &Sandbox, remote: &Path, name: &str) -> PathBuf {
    let dir = sb.path().join(name);
    sb.kb_in(sb.path())
        .arg("clone")
        .arg(remote)
        .arg(&dir)
        .assert()
        .success();
    dir
}

/// Everything a test compares before and after a refused command.
#[derive(Debug, PartialEq)]
struct State {
    head: String,
    symbolic: String,
    branches: String,
    status: String,
    index: String,
    rebase: bool,
}

fn state(sb: &Sandbox, dir: &Path) -> State {
    State {
        head: sb.git(dir, &["rev-parse", "HEAD"]),
        // Empty on a detached HEAD.
        symbolic: symbolic_ref(sb, dir),
        branches: sb.git(dir, &["for-each-ref", "--format=%(refname) %(objectname)"]),
        status: sb.git(dir, &["status", "--porcelain=v1", "--untracked-files=all"]),
        index: sb.git(dir, &["ls-files", "--stage"]),
        rebase: dir.join(".git/rebase-merge").exists() || dir.join(".git/rebase-apply").exists(),
    }
}

fn symbolic_ref(sb: &Sandbox, dir: &Path) -> String {
    String::from_utf8(raw_git(dir, sb, &["symbolic-ref", "-q", "HEAD"], &[]).stdout).unwrap()
}

fn raw_git(dir: &Path, sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// The user's `git rebase -i`, stopped at `edit` with an amended commit and an edit not yet
/// committed: sync, add, rm and tag refuse and change nothing; the rebase can still be finished.
#[test]
fn during_the_users_rebase_kb_refuses_and_touches_nothing() {
    let sb = Sandbox::new();
    let (_remote, a) = setup(&sb);
    // Two local commits to rebase over.
    sb.kb(&a)
        .args(["add", "프로세스와 스레드?", "--id", "os-proc"])
        .assert()
        .success();
    sb.kb(&a)
        .args(["add", "데드락 조건?", "--id", "os-dead"])
        .assert()
        .success();
    let out = raw_git(
        &a,
        &sb,
        &["rebase", "-i", "HEAD~2"],
        &[("GIT_SEQUENCE_EDITOR", "sed -i 1s/^pick/edit/")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        a.join(".git/rebase-merge").exists(),
        "the rebase stopped at edit"
    );
    // The user amends the stopped commit and edits another file without committing.
    append(&a.join("questions/os-proc.yaml"), "# amended\n");
    sb.git(&a, &["commit", "-q", "-a", "--amend", "--no-edit"]);
    append(&a.join("questions/os-vm.yaml"), "# not committed yet\n");
    let before = state(&sb, &a);
    assert!(before.rebase);

    for args in [
        vec!["sync"],
        vec!["add", "새 질문?", "--id", "new-q"],
        vec!["rm", "py-gil"],
        vec!["tag", "py-gil", "+python"],
    ] {
        let out = sb.kb(&a).args(&args).assert().failure();
        let err = stderr(&out);
        assert!(err.contains("git rebase"), "{args:?}: {err}");
        assert!(
            err.contains("--continue") && err.contains("--abort"),
            "{err}"
        );
        assert_eq!(state(&sb, &a), before, "{args:?} changed something");
    }
    // Commands that open an editor refuse before it opens: nothing is typed in vain.
    let opened = sb.path().join("editor-opened");
    let editor = script(
        &sb.path().join("editor.sh"),
        &format!("touch '{}'", opened.display()),
    );
    for args in [
        vec!["add"],
        vec!["interview", "add", "-c", "카카오"],
        vec!["edit", "os-vm"],
    ] {
        let out = sb
            .kb(&a)
            .args(&args)
            .env("EDITOR", &editor)
            .assert()
            .failure();
        assert!(
            stderr(&out).contains("git rebase"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!opened.exists(), "{args:?} opened the editor");
    }
    assert_eq!(state(&sb, &a), before);
    // A read command works, and leaves the rebase alone too.
    sb.kb(&a).args(["list"]).assert().success();
    assert_eq!(state(&sb, &a), before);
    assert!(!a.join(".git/refs/heads/HEAD").exists());

    // The user finishes the rebase: the amended commit and the edit are theirs.
    sb.git(&a, &["stash", "-q"]);
    let out = raw_git(
        &a,
        &sb,
        &["rebase", "--continue"],
        &[("GIT_EDITOR", "true")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sb.git(&a, &["stash", "pop", "-q"]);
    let log = sb.git(&a, &["log", "-p", "-3"]);
    assert!(log.contains("# amended"), "{log}");
    assert!(
        std::fs::read_to_string(a.join("questions/os-vm.yaml"))
            .unwrap()
            .contains("# not committed yet")
    );
}

/// A marker an older kb left (`HEAD` as the branch, as a detached HEAD's shorthand reads) while
/// the user's rebase is in progress: recovery must not take the rebase for kb's own.
#[test]
fn a_sync_marker_that_does_not_prove_the_rebase_is_kbs_leaves_it_alone() {
    let sb = Sandbox::new();
    let (_remote, a) = setup(&sb);
    let out = raw_git(
        &a,
        &sb,
        &["rebase", "-i", "HEAD~2"],
        &[("GIT_SEQUENCE_EDITOR", "sed -i 1s/^pick/edit/")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    append(&a.join("questions/os-vm.yaml"), "# mine\n");
    let head = sb.git(&a, &["rev-parse", "HEAD"]);
    for marker in [
        format!("HEAD\n{head}"),
        // The right branch but another starting commit: a rebase the user began later.
        format!("main\n{}\n", "0".repeat(40)),
    ] {
        std::fs::write(a.join(".git/kb/syncing"), &marker).unwrap();
        let before = state(&sb, &a);
        sb.kb(&a).args(["list"]).assert().success();
        sb.kb(&a).args(["sync"]).assert().failure();
        assert_eq!(state(&sb, &a), before, "marker {marker:?}");
        assert!(!a.join(".git/refs/heads/HEAD").exists());
    }
}

/// `git checkout --detach`, and a knowledge base that is a submodule after `git submodule
/// update`: kb refuses to sync or commit and names the way out.
#[test]
fn on_a_detached_head_kb_refuses_and_touches_nothing() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    sb.git(&a, &["checkout", "-q", "--detach"]);
    append(&a.join("questions/os-vm.yaml"), "# typed while detached\n");
    let before = state(&sb, &a);
    for args in [vec!["sync"], vec!["add", "새 질문?"], vec!["rm", "py-gil"]] {
        let out = sb.kb(&a).args(&args).assert().failure();
        let err = stderr(&out);
        assert!(
            err.contains("detached") && err.contains("git switch"),
            "{err}"
        );
        assert_eq!(state(&sb, &a), before, "{args:?}");
    }
    assert!(!a.join(".git/refs/heads/HEAD").exists());

    // The same bank as a submodule of another repository.
    let outer = sb.path().join("outer");
    std::fs::create_dir_all(&outer).unwrap();
    sb.git(&outer, &["init", "-q"]);
    let out = raw_git(
        &outer,
        &sb,
        &["-c", "protocol.file.allow=always", "submodule", "add", "-q"]
            .into_iter()
            .chain([remote.to_str().unwrap(), "bank"])
            .collect::<Vec<_>>(),
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sb.git(&outer, &["commit", "-q", "-m", "bank"]);
    let outer2 = sb.path().join("outer2");
    let out = raw_git(
        sb.path(),
        &sb,
        &[
            "-c",
            "protocol.file.allow=always",
            "clone",
            "-q",
            "--recurse-submodules",
            outer.to_str().unwrap(),
            outer2.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bank = outer2.join("bank");
    assert_eq!(
        symbolic_ref(&sb, &bank),
        "",
        "a submodule is checked out detached"
    );
    let before = state(&sb, &bank);
    let out = sb.kb(&bank).arg("sync").assert().failure();
    assert!(stderr(&out).contains("submodule"), "{}", stderr(&out));
    assert_eq!(state(&sb, &bank), before);
}

/// Questions outside a sparse checkout (and a file marked assume-unchanged) are not hand edits:
/// sync commits and pushes no deletion of them, and another clone keeps them.
#[test]
fn a_sparse_checkout_pushes_no_deletions() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, &remote, "b");
    sb.git(
        &b,
        &[
            "sparse-checkout",
            "set",
            "--no-cone",
            "/kb.yaml",
            "/templates/",
        ],
    );
    assert!(
        !b.join("questions/os-vm.yaml").exists(),
        "sparse checkout took effect"
    );
    let commits = commit_count(&b);
    let out = sb.kb(&b).arg("sync").assert().success();
    assert_eq!(commit_count(&b), commits, "{}", stderr(&out));
    assert!(!stderr(&out).contains("hand-edited"), "{}", stderr(&out));

    // Assume-unchanged on a machine with the full tree.
    sb.git(
        &a,
        &[
            "update-index",
            "--assume-unchanged",
            "questions/py-gil.yaml",
        ],
    );
    std::fs::remove_file(a.join("questions/py-gil.yaml")).unwrap();
    let commits = commit_count(&a);
    sb.kb(&a).arg("sync").assert().success();
    assert_eq!(commit_count(&a), commits);

    let c = clone(&sb, &remote, "c");
    for id in ["net-tcp-udp", "os-vm", "py-gil"] {
        assert!(
            c.join(format!("questions/{id}.yaml")).is_file(),
            "{id} lost"
        );
    }
}

/// Another git holds `.git/index.lock`: a write refuses before touching anything, so HEAD, the
/// index and the working tree still agree; once the lock is gone the write works.
#[test]
fn a_held_index_lock_refuses_the_write_and_leaves_head_and_index_agreeing() {
    let sb = Sandbox::new();
    let a = sb.init("a");
    sb.kb(&a)
        .args(["add", "가상 메모리란?", "--id", "os-vm"])
        .assert()
        .success();
    std::fs::write(a.join(".git/index.lock"), "").unwrap();
    let before = state(&sb, &a);
    let out = sb.kb(&a).args(["rm", "os-vm"]).assert().failure();
    assert!(stderr(&out).contains("index.lock"), "{}", stderr(&out));
    std::fs::remove_file(a.join(".git/index.lock")).unwrap();
    assert_eq!(state(&sb, &a), before);
    assert!(a.join("questions/os-vm.yaml").is_file());
    sb.kb(&a).args(["rm", "os-vm"]).assert().success();
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "");
    assert_eq!(sb.git(&a, &["diff", "--cached", "--name-only"]), "");
}

/// A kb killed after its commit landed but before git's index followed (what an older kb could
/// leave: staged deletions of everything the commit added, and the `committing` marker): the
/// next kb command repairs the index, and the working tree keeps every file.
#[test]
fn recovery_makes_the_index_agree_with_a_commit_that_landed() {
    let sb = Sandbox::new();
    let a = sb.init("a");
    for i in 0..5 {
        sb.kb(&a)
            .args(["add", &format!("질문 {i}번은?"), "--id", &format!("q{i}")])
            .assert()
            .success();
    }
    // The index as it was five commits ago: the five questions look staged for deletion.
    sb.git(&a, &["read-tree", "HEAD~5"]);
    assert_ne!(sb.git(&a, &["diff", "--cached", "--name-only"]), "");
    std::fs::write(a.join(".git/kb/committing"), "12345").unwrap();
    sb.kb(&a).arg("list").assert().success();
    assert_eq!(
        sb.git(&a, &["diff", "--cached", "--name-only", "--", "questions"]),
        ""
    );
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "");
    assert!(!a.join(".git/kb/committing").exists());
}

/// One machine removes a question the other edited: the edit wins, and the sync says so on
/// both machines, whether the removal was pushed first or the edit was.
#[test]
fn a_removal_that_loses_to_an_edit_is_reported() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, &remote, "b");
    let kept = |out: &serde_json::Value| -> Vec<(String, String)> {
        out["report"]["kept"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["id"].as_str().unwrap().into(),
                    k["removed"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    // The removal is pushed first; the edit is made afterwards on a machine that has not
    // pulled it.
    sb.kb(&a).args(["rm", "os-vm"]).assert().success();
    sb.kb(&a).args(["sync"]).assert().success();
    append(&b.join("questions/os-vm.yaml"), "# B의 보충\n");
    let out = json(&sb.kb(&b).args(["sync", "--json"]).assert().success());
    assert_eq!(kept(&out), [("os-vm".into(), "there".into())], "{out}");
    let out = sb.kb(&b).args(["sync"]).assert().success();
    assert!(
        !stderr(&out).contains("kept"),
        "said once: {}",
        stderr(&out)
    );
    // Back on the machine that removed it, with a word.
    let out = sb.kb(&a).args(["sync"]).assert().success();
    assert!(
        stderr(&out).contains("kept os-vm: edited on the other machine after you removed it"),
        "{}",
        stderr(&out)
    );
    assert!(a.join("questions/os-vm.yaml").is_file());

    // The edit is pushed first; the removal was made meanwhile and is not pushed yet.
    let path = a.join("questions/py-gil.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("답.", "A가 고친 답.");
    std::fs::write(&path, text).unwrap();
    sb.kb(&b).args(["rm", "py-gil"]).assert().success();
    sb.kb(&a).args(["sync"]).assert().success();
    let out = json(&sb.kb(&b).args(["sync", "--json"]).assert().success());
    assert_eq!(kept(&out), [("py-gil".into(), "here".into())], "{out}");
    assert!(
        std::fs::read_to_string(b.join("questions/py-gil.yaml"))
            .unwrap()
            .contains("A가 고친 답.")
    );
    let out = json(&sb.kb(&a).args(["sync", "--json"]).assert().success());
    assert_eq!(kept(&out), [], "{out}");
}

/// A merge killed after it had written the kept question but before it removed the other and
/// committed: `kb check` names the half-done merge, and the journal kb writes first lets the
/// next kb finish it.
#[test]
fn a_half_done_merge_is_flagged_and_a_journalled_one_is_finished() {
    let sb = Sandbox::new();
    let a = sb.init("a");
    for (id, q) in [
        ("keep", "배치 정규화의 효과는?"),
        ("other", "배치 정규화가 왜 좋나요?"),
    ] {
        sb.kb(&a).args(["add", q, "--id", id]).assert().success();
    }
    // Half done with no journal (an older kb, or by hand): the keeper lists `other` as an alias.
    let keep = a.join("questions/keep.yaml");
    let before = std::fs::read_to_string(&keep).unwrap();
    std::fs::write(&keep, format!("{before}aliases:\n- other\n")).unwrap();
    let out = sb.kb(&a).arg("check").assert().failure();
    let text = stdout(&out) + &stderr(&out);
    assert!(
        text.contains("other was merged into keep") && text.contains("kb merge keep other"),
        "{text}"
    );
    std::fs::write(&keep, &before).unwrap();

    // Half done with its journal: the next kb command finishes it in one commit.
    let merged = format!("{before}aliases:\n- other\n");
    std::fs::write(&keep, &merged).unwrap();
    let journal = serde_json::json!({
        "message": "merge other into keep: 배치 정규화의 효과는?",
        "files": [
            {"path": "questions/keep.yaml", "contents": merged},
            {"path": "questions/other.yaml", "contents": null},
        ],
    });
    std::fs::write(a.join(".git/kb/change.json"), journal.to_string()).unwrap();
    let commits = commit_count(&a);
    sb.kb(&a).arg("list").assert().success();
    assert_eq!(commit_count(&a), commits + 1);
    assert!(head_message(&a).starts_with("merge other into keep"));
    assert!(!a.join("questions/other.yaml").exists());
    assert!(!a.join(".git/kb/change.json").exists());
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "");
    sb.kb(&a).arg("check").assert().success();

    // A journal whose files were changed by someone since is not applied, only kept beside.
    sb.kb(&a)
        .args(["add", "드롭아웃이란?", "--id", "drop"])
        .assert()
        .success();
    let drop = a.join("questions/drop.yaml");
    let journal = serde_json::json!({
        "message": "tag drop",
        "files": [{"path": "questions/drop.yaml", "contents": "id: drop\nquestion: 옛 내용\n"}],
    });
    std::fs::write(a.join(".git/kb/change.json"), journal.to_string()).unwrap();
    let mine = std::fs::read_to_string(&drop)
        .unwrap()
        .replace("드롭아웃이란?", "드롭아웃이란 무엇인가?");
    std::fs::write(&drop, &mine).unwrap();
    let commits = commit_count(&a);
    sb.kb(&a).arg("list").assert().success();
    assert_eq!(commit_count(&a), commits);
    assert_eq!(
        std::fs::read_to_string(&drop).unwrap(),
        mine,
        "the hand edit is kept"
    );
    assert!(!a.join(".git/kb/change.json").exists());
    let kept_beside = std::fs::read_dir(a.join(".git/kb"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("change-")
        })
        .count();
    assert_eq!(kept_beside, 1);
}

/// A push the server's hook rejects: the sync says what the hook said, and the local commits
/// stay for the next sync.
#[test]
fn a_push_rejected_by_a_server_hook_shows_the_hooks_words() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    script(
        &remote.join("hooks/pre-receive"),
        "echo 'policy: pushes are closed for maintenance' >&2; exit 1",
    );
    sb.kb(&a)
        .args(["add", "새 질문?", "--id", "new-q"])
        .assert()
        .success();
    let head = sb.git(&a, &["rev-parse", "HEAD"]);
    let out = sb.kb(&a).arg("sync").assert().failure();
    assert!(
        stderr(&out).contains("policy: pushes are closed for maintenance"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&a, &["rev-parse", "HEAD"]), head);
    assert!(a.join("questions/new-q.yaml").is_file());
}

/// After a killed kb, the next one removes the git lock files that kb left, but not while a git
/// of the user's is running in the repository: those locks are that git's.
#[test]
fn recovery_leaves_the_locks_of_a_running_git_alone() {
    let sb = Sandbox::new();
    let a = sb.init("a");
    sb.kb(&a)
        .args(["add", "가상 메모리란?", "--id", "os-vm"])
        .assert()
        .success();
    // A git of the user's, still running (waiting for input) in the repository.
    let mut user_git = std::process::Command::new("git")
        .current_dir(&a)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    std::fs::write(a.join(".git/index.lock"), "").unwrap();
    std::fs::write(a.join(".git/kb/committing"), "12345").unwrap();
    sb.kb(&a).arg("list").assert().success();
    assert!(
        a.join(".git/index.lock").exists(),
        "the running git's lock was removed"
    );
    drop(user_git.stdin.take());
    user_git.wait().unwrap();
    // No git running any more: the lock is the killed kb's, and goes.
    sb.kb(&a).arg("list").assert().success();
    assert!(!a.join(".git/index.lock").exists());
    assert!(!a.join(".git/kb/committing").exists());
}
