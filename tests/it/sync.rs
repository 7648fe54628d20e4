//! `kb sync` between clones of a real bare repository on disk and over `git daemon` on
//! 127.0.0.1: the conflict matrix, failures that must leave things as they were, and a random
//! convergence test.

use std::path::{Path, PathBuf};

use crate::common::*;
use predicates::prelude::*;

/// A bare repository and a first machine that pushed a small bank to it.
fn setup(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let remote = sb.bare_remote("remote.git");
    let a = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote"])
        .arg(&remote)
        .arg(&a)
        .assert()
        .success();
    for (id, q, answer) in [
        (
            "net-tcp-udp",
            "TCP와 UDP의 차이는?",
            "연결 지향 vs 비연결.\n",
        ),
        ("os-vm", "가상 메모리란?", "페이지 단위 주소 공간.\n"),
        (
            "py-gil",
            "GIL이란?",
            "한 번에 한 스레드만 바이트코드를 실행.\n",
        ),
    ] {
        sb.kb(&a)
            .args(["add", q, "--id", id, "--answer", answer, "--tag", "cs"])
            .assert()
            .success();
    }
    sb.kb(&a).arg("sync").assert().success();
    (remote, a)
}

fn clone(sb: &Sandbox, url: &str, name: &str) -> PathBuf {
    let dir = sb.path().join(name);
    sb.kb_in(sb.path())
        .args(["clone", url])
        .arg(&dir)
        .assert()
        .success();
    dir
}

fn show(sb: &Sandbox, kb: &Path, id: &str) -> serde_json::Value {
    json(&sb.kb(kb).args(["show", id, "--json"]).assert().success())
}

fn edit_answer(sb: &Sandbox, kb: &Path, id: &str, answer: &str) {
    let path = kb.join(format!("questions/{id}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("answer:").unwrap();
    let script = script(
        &sb.path().join(format!("ed-{}.sh", answer.len())),
        &format!(
            "cat > \"$1\" <<'EOF'\n{}answer: |\n  {answer}\nEOF",
            &text[..cut]
        ),
    );
    sb.kb(kb)
        .args(["edit", id, "--yaml"])
        .env("EDITOR", script)
        .assert()
        .success();
}

/// No file of the knowledge base holds conflict markers, in the tree or in any commit.
fn no_markers(_sb: &Sandbox, kb: &Path) {
    let grep = std::process::Command::new("git")
        .current_dir(kb)
        .args([
            "grep", "-n", "-e", "<<<<<<<", "-e", ">>>>>>>", "HEAD", "--", ".",
        ])
        .output()
        .unwrap();
    assert_eq!(
        grep.status.code(),
        Some(1),
        "conflict markers committed: {}",
        String::from_utf8_lossy(&grep.stdout)
    );
    for entry in std::fs::read_dir(kb.join("questions")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("<<<<<<<"), "{text}");
    }
}

fn linear(sb: &Sandbox, kb: &Path) {
    assert_eq!(
        sb.git(kb, &["log", "--merges", "--oneline"]),
        "",
        "no merge commits"
    );
}

#[test]
fn two_machines_stay_in_step_with_a_linear_history() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    assert!(
        b.join(".git/kb/index/meta.json").is_file(),
        "clone builds the index"
    );
    assert_eq!(show(&sb, &b, "os-vm")["answer"], "페이지 단위 주소 공간.\n");

    // B adds, A sees it after a sync (fast-forward).
    sb.kb(&b)
        .args(["add", "Deadlock 조건은?", "--id", "os-deadlock"])
        .assert()
        .success();
    let out = sb.kb(&b).args(["sync", "--json"]).assert().success();
    assert_eq!(json(&out)["report"]["pushed"], 1);
    let out = sb.kb(&a).args(["sync", "--json"]).assert().success();
    assert_eq!(json(&out)["report"]["pulled"], 1);
    assert_eq!(show(&sb, &a, "os-deadlock")["question"], "Deadlock 조건은?");
    // Searchable at once: the index followed the pull.
    let hits = json(
        &sb.kb(&a)
            .args(["search", "데드락", "Deadlock", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(hits[0]["id"], "os-deadlock");

    // Both add at once: rebased, not merged.
    sb.kb(&a)
        .args(["add", "힙 정렬은?", "--id", "algo-heap"])
        .assert()
        .success();
    sb.kb(&b)
        .args(["add", "퀵 정렬은?", "--id", "algo-quick"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    let out = sb.kb(&b).arg("sync").assert().success();
    assert!(
        stderr(&out).contains("Synced with origin (main)"),
        "{}",
        stderr(&out)
    );
    sb.kb(&a).arg("sync").assert().success();
    for kb in [&a, &b] {
        show(&sb, kb, "algo-heap");
        show(&sb, kb, "algo-quick");
        linear(&sb, kb);
    }
    assert_eq!(
        sb.git(&a, &["rev-parse", "HEAD"]),
        sb.git(&b, &["rev-parse", "HEAD"])
    );
}

#[test]
fn both_machines_change_the_same_question() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");

    // Both change the answer; A tags it, B records an occurrence and another tag.
    edit_answer(
        &sb,
        &a,
        "net-tcp-udp",
        "A: TCP는 3-way handshake로 연결한다.",
    );
    sb.kb(&a)
        .args(["tag", "net-tcp-udp", "+network"])
        .assert()
        .success();
    edit_answer(&sb, &b, "net-tcp-udp", "B: UDP는 순서를 보장하지 않는다.");
    sb.kb(&b)
        .args(["tag", "net-tcp-udp", "+transport", "-cs"])
        .assert()
        .success();
    sb.kb(&b)
        .args([
            "interview",
            "add",
            "--company",
            "카카오",
            "--date",
            "2026-11-20",
            "--no-dedupe",
            "면접 질문 하나",
        ])
        .assert()
        .success();
    let iv = json(
        &sb.kb(&b)
            .args(["interview", "list", "--json"])
            .assert()
            .success(),
    )[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    sb.kb(&b)
        .args(["add", "TCP와 UDP의 차이는?", "--asked-at", &iv, "--yes"])
        .assert()
        .success();
    sb.kb(&b).arg("sync").assert().success();
    let out = sb.kb(&a).args(["sync", "--json"]).assert().success();
    let report = json(&out)["report"].clone();
    assert_eq!(
        report["conflicts"],
        serde_json::json!(["net-tcp-udp"]),
        "{report}"
    );

    let q = show(&sb, &a, "net-tcp-udp");
    let answer = q["answer"].as_str().unwrap();
    assert!(
        answer.contains("A: TCP는 3-way handshake로 연결한다.")
            && answer.contains("B: UDP는 순서를 보장하지 않는다."),
        "{answer}"
    );
    let tags: Vec<&str> = q["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        vec!["conflict", "network", "transport"],
        "cs removed by B, network and transport added"
    );
    assert_eq!(q["asked"][0]["company"], "카카오");
    no_markers(&sb, &a);
    linear(&sb, &a);
    let conflicted = json(
        &sb.kb(&a)
            .args(["list", "--conflicts", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(conflicted.as_array().unwrap().len(), 1);

    // B gets the same result.
    sb.kb(&b).arg("sync").assert().success();
    assert_eq!(show(&sb, &b, "net-tcp-udp")["answer"], q["answer"]);
}

#[test]
fn an_edit_beats_a_delete_and_a_question_added_twice_is_kept_once() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    // A edits, B deletes: the edit survives (and the other way round for another question).
    edit_answer(&sb, &a, "os-vm", "A의 더 나은 답");
    sb.kb(&b).args(["rm", "os-vm"]).assert().success();
    sb.kb(&a).args(["rm", "py-gil"]).assert().success();
    edit_answer(&sb, &b, "py-gil", "B의 더 나은 답");
    // Both add the same question under different ids.
    sb.kb(&a)
        .args(["add", "Process와 Thread의 차이는?", "--id", "a-proc"])
        .assert()
        .success();
    sb.kb(&b)
        .args(["add", "process와 thread의 차이는", "--id", "b-proc"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    let out = json(&sb.kb(&b).args(["sync", "--json"]).assert().success());
    assert_eq!(out["report"]["folded"], 1, "{out}");
    sb.kb(&a).arg("sync").assert().success();
    for kb in [&a, &b] {
        assert_eq!(show(&sb, kb, "os-vm")["answer"], "A의 더 나은 답\n");
        assert_eq!(show(&sb, kb, "py-gil")["answer"], "B의 더 나은 답\n");
        let procs: Vec<String> = json(&sb.kb(kb).args(["list", "--json"]).assert().success())
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["question"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("process")
            })
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            procs,
            vec!["a-proc"],
            "kept once, under the id pushed first"
        );
        assert_eq!(
            show(&sb, kb, "b-proc")["id"],
            "a-proc",
            "the other id resolves"
        );
        no_markers(&sb, kb);
        linear(&sb, kb);
    }
}

/// Question files are small and alike; git must not take a question merged away on one machine
/// as "renamed" to a question added there, or an edit made elsewhere lands in the wrong file.
#[test]
fn an_edit_of_a_question_merged_away_elsewhere_stays_with_that_question() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    sb.kb(&a)
        .args(["add", "질문 하나?", "--id", "q-one"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    sb.kb(&b).arg("sync").assert().success();
    // A: a new question much like q-one, and q-one folded into os-vm.
    sb.kb(&a)
        .args(["add", "질문 둘?", "--id", "q-two"])
        .assert()
        .success();
    sb.kb(&a)
        .args(["merge", "os-vm", "q-one"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    // B, not yet knowing: tags q-one.
    sb.kb(&b)
        .args(["tag", "q-one", "+b-marker"])
        .assert()
        .success();
    let out = json(&sb.kb(&b).args(["sync", "--json"]).assert().success());
    assert_eq!(out["report"]["folded_back"], 1, "{out}");
    sb.kb(&a).arg("sync").assert().success();
    for kb in [&a, &b] {
        // The tag went where q-one now lives, and q-one did not come back as a second copy.
        assert!(!kb.join("questions/q-one.yaml").exists());
        let vm = show(&sb, kb, "q-one");
        assert_eq!(vm["id"], "os-vm");
        assert!(
            vm["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "b-marker"),
            "{vm}"
        );
        let two = std::fs::read_to_string(kb.join("questions/q-two.yaml")).unwrap();
        assert!(
            !two.contains("b-marker"),
            "B's edit landed in q-two:\n{two}"
        );
        assert!(two.contains("question: 질문 둘?"), "{two}");
        let all: String = std::fs::read_dir(kb.join("questions"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        assert!(all.contains("b-marker"), "B's tag was lost");
        no_markers(&sb, kb);
        linear(&sb, kb);
        sb.kb(kb).arg("check").assert().success();
    }
}

/// Two questions merged into the same one elsewhere, both edited here: both edits end up in it,
/// in one commit (the question is written twice in that change, and named once).
#[test]
fn edits_of_two_questions_merged_into_one_elsewhere_both_fold_in() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    sb.kb(&a)
        .args(["merge", "os-vm", "net-tcp-udp", "py-gil"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    sb.kb(&b)
        .args(["tag", "net-tcp-udp", "+from-b-1"])
        .assert()
        .success();
    sb.kb(&b)
        .args(["tag", "py-gil", "+from-b-2"])
        .assert()
        .success();
    let out = json(&sb.kb(&b).args(["sync", "--json"]).assert().success());
    assert_eq!(out["report"]["folded_back"], 2, "{out}");
    sb.kb(&a).arg("sync").assert().success();
    for kb in [&a, &b] {
        let vm = show(&sb, kb, "os-vm");
        let tags: Vec<&str> = vm["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"from-b-1") && tags.contains(&"from-b-2"),
            "{vm}"
        );
        assert!(!kb.join("questions/py-gil.yaml").exists());
        assert!(!kb.join("questions/net-tcp-udp.yaml").exists());
        no_markers(&sb, kb);
        linear(&sb, kb);
    }
}

/// The state a sync killed mid-rebase leaves behind, built step by step with git: HEAD detached
/// on the remote's commit, the hand edit the sync had already committed, and a half-written
/// (empty) file of a local commit git was replaying — a question since merged away. The next
/// kb command must keep the hand edit on the branch and set the empty file aside.
#[test]
fn after_a_sync_killed_mid_rebase_nothing_half_written_stays_and_nothing_is_lost() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    sb.kb(&b)
        .args(["add", "B에서 추가한 질문?", "--id", "from-b"])
        .assert()
        .success();
    sb.kb(&b).arg("sync").assert().success();
    sb.kb(&a)
        .args(["add", "곧 합쳐질 질문?", "--id", "q-gone"])
        .assert()
        .success();
    sb.kb(&a)
        .args(["merge", "os-vm", "q-gone"])
        .assert()
        .success();
    // A hand edit, which the sync commits before it fetches.
    let gil = a.join("questions/py-gil.yaml");
    let text = std::fs::read_to_string(&gil).unwrap();
    let cut = text.find("answer:").unwrap();
    std::fs::write(
        &gil,
        format!("{}answer: |\n  손으로 고친 답\n", &text[..cut]),
    )
    .unwrap();
    let started = sb.git(&a, &["rev-parse", "HEAD"]).trim().to_string();
    std::fs::write(a.join(".git/kb/syncing"), format!("main\n{started}\n")).unwrap();
    sb.git(&a, &["commit", "-qam", "sync: commit 1 hand-edited file"]);
    let committed = sb.git(&a, &["rev-parse", "HEAD"]).trim().to_string();
    sb.git(&a, &["fetch", "-q", "origin"]);
    sb.git(&a, &["checkout", "-q", "--detach", "origin/main"]);
    std::fs::write(a.join("questions/q-gone.yaml"), "").unwrap();

    // Any kb command cleans up first.
    sb.kb(&a).arg("check").assert().success();
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "");
    assert_eq!(sb.git(&a, &["rev-parse", "main"]).trim(), committed);
    assert_eq!(
        sb.git(&a, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert_eq!(show(&sb, &a, "py-gil")["answer"], "손으로 고친 답\n");
    let aside: Vec<_> = std::fs::read_dir(a.join(".git/kb/interrupted-sync"))
        .unwrap()
        .map(|e| e.unwrap().path().join("questions/q-gone.yaml"))
        .filter(|p| p.is_file())
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "the half-written file is set aside, not deleted"
    );

    sb.kb(&a).arg("sync").assert().success();
    sb.kb(&b).arg("sync").assert().success();
    for kb in [&a, &b] {
        assert_eq!(show(&sb, kb, "py-gil")["answer"], "손으로 고친 답\n");
        assert_eq!(show(&sb, kb, "q-gone")["id"], "os-vm");
        assert_eq!(show(&sb, kb, "from-b")["id"], "from-b");
        no_markers(&sb, kb);
        linear(&sb, kb);
    }
}

#[test]
fn a_conflict_in_a_file_kb_does_not_own_leaves_everything_as_it_was() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    std::fs::write(a.join("README.md"), "notes\n").unwrap();
    sb.git(&a, &["add", "README.md"]);
    sb.git(&a, &["commit", "-qm", "readme"]);
    sb.kb(&a).arg("sync").assert().success();
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    std::fs::write(b.join("README.md"), "notes from B\n").unwrap();
    sb.git(&b, &["commit", "-qam", "B readme"]);
    sb.kb(&b)
        .args(["add", "B의 질문", "--id", "b-q"])
        .assert()
        .success();
    sb.kb(&b).arg("sync").assert().success();

    std::fs::write(a.join("README.md"), "notes from A\n").unwrap();
    sb.git(&a, &["commit", "-qam", "A readme"]);
    edit_answer(&sb, &a, "os-vm", "A가 고친 답");
    // A hand edit waiting to be committed, and the user's own unstaged work.
    let hand = a.join("questions/os-vm.yaml");
    let text = std::fs::read_to_string(&hand)
        .unwrap()
        .replace("A가 고친 답", "A가 손으로 고친 답");
    std::fs::write(&hand, text).unwrap();
    std::fs::write(a.join("scratch.txt"), "mine\n").unwrap();
    let head = sb.git(&a, &["rev-parse", "HEAD"]);

    let out = sb.kb(&a).arg("sync").assert().code(5);
    let err = stderr(&out);
    assert!(
        err.contains("README.md") && err.contains("kb changed nothing"),
        "{err}"
    );
    assert!(err.contains("git pull --rebase"), "says what to do: {err}");
    // HEAD moved only by the commit of the hand edit; nothing else changed.
    assert_eq!(sb.git(&a, &["rev-parse", "HEAD~1"]), head);
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "?? scratch.txt\n");
    assert_eq!(
        std::fs::read_to_string(a.join("README.md")).unwrap(),
        "notes from A\n"
    );
    assert!(!a.join(".git/rebase-merge").exists() && !a.join(".git/rebase-apply").exists());
    assert!(!a.join("questions/b-q.yaml").exists());
    // The remote did not move either.
    assert_eq!(
        sb.git(&remote, &["rev-parse", "main"]),
        sb.git(&b, &["rev-parse", "HEAD"])
    );
}

#[test]
fn invalid_hand_edits_stop_the_sync_and_an_unreachable_remote_keeps_local_work() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let head = sb.git(&a, &["rev-parse", "HEAD"]);
    std::fs::write(
        a.join("questions/broken.yaml"),
        "id: broken\nquestion: [oops\n",
    )
    .unwrap();
    let out = sb.kb(&a).arg("sync").assert().code(4);
    assert!(
        stderr(&out).contains("questions/broken.yaml:2:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sb.git(&a, &["rev-parse", "HEAD"]),
        head,
        "nothing committed"
    );
    assert_eq!(
        sb.git(&remote, &["rev-parse", "main"]),
        head,
        "nothing pushed"
    );
    std::fs::remove_file(a.join("questions/broken.yaml")).unwrap();

    // Hand edits are committed by sync.
    std::fs::write(
        a.join("questions/hand.yaml"),
        "id: hand\nquestion: 손으로 쓴 질문\n",
    )
    .unwrap();
    sb.kb(&a).arg("sync").assert().success();
    assert!(
        sb.git(&a, &["log", "-1", "--format=%s"])
            .starts_with("sync: commit 1 hand-edited file")
    );
    assert_eq!(
        sb.git(&remote, &["rev-parse", "main"]),
        sb.git(&a, &["rev-parse", "HEAD"])
    );

    // The remote goes away: local work is committed and kept, and the message says so.
    std::fs::rename(&remote, sb.path().join("moved.git")).unwrap();
    sb.kb(&a)
        .args(["add", "오프라인에서 추가", "--id", "offline"])
        .assert()
        .success();
    std::fs::write(
        a.join("questions/hand2.yaml"),
        "id: hand2\nquestion: 또 손으로\n",
    )
    .unwrap();
    let out = sb.kb(&a).arg("sync").assert().code(3);
    let err = stderr(&out);
    assert!(
        err.contains("could not reach remote \"origin\"") && err.contains("committed locally"),
        "{err}"
    );
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "");
    std::fs::rename(sb.path().join("moved.git"), &remote).unwrap();
    sb.kb(&a).arg("sync").assert().success();
    assert_eq!(
        sb.git(&remote, &["rev-parse", "main"]),
        sb.git(&a, &["rev-parse", "HEAD"])
    );
    // No remote at all.
    let lone = sb.init("lone");
    sb.kb(&lone)
        .arg("sync")
        .assert()
        .failure()
        .stderr(predicate::str::contains("kb remote add"));
}

/// `git daemon` serving a folder on 127.0.0.1, stopped when dropped.
struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sync_over_git_daemon_on_loopback() {
    let sb = Sandbox::new();
    let served = sb.path().join("served");
    std::fs::create_dir_all(&served).unwrap();
    let bare = served.join("bank.git");
    sb.git(
        sb.path(),
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    let port = free_port();
    // git-daemon itself (not the `git daemon` wrapper, whose child would outlive a kill).
    let exec_path = String::from_utf8(
        std::process::Command::new("git")
            .arg("--exec-path")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let daemon = Daemon(
        std::process::Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args([
                "--reuseaddr",
                "--export-all",
                "--enable=receive-pack",
                "--listen=127.0.0.1",
            ])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", served.display()))
            .arg(&served)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("git daemon starts"),
    );
    let url = format!("git://127.0.0.1:{port}/bank.git");
    // Wait until it answers.
    let mut ready = false;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(ready, "git daemon did not start");

    let a = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote", &url])
        .arg(&a)
        .assert()
        .success();
    sb.kb(&a)
        .args(["add", "네트워크로 동기화되나요?", "--id", "net-q"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    let b = clone(&sb, &url, "b");
    assert_eq!(
        show(&sb, &b, "net-q")["question"],
        "네트워크로 동기화되나요?"
    );
    edit_answer(&sb, &b, "net-q", "git:// 로 push/fetch");
    sb.kb(&b).arg("sync").assert().success();
    sb.kb(&a).arg("sync").assert().success();
    assert_eq!(show(&sb, &a, "net-q")["answer"], "git:// 로 push/fetch\n");

    // The daemon stops: an unreachable network remote.
    drop(daemon);
    sb.kb(&a)
        .args(["add", "오프라인", "--id", "off"])
        .assert()
        .success();
    sb.kb(&a)
        .arg("sync")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("127.0.0.1"));
}

/// Three machines make random changes and sync in random order; in the end all hold the same
/// bank and every change made anywhere is in it.
#[test]
fn three_machines_converge_and_nothing_is_lost() {
    let sb = Sandbox::new();
    let (remote, a) = setup(&sb);
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    let c = clone(&sb, remote.to_str().unwrap(), "c");
    let machines = [a, b, c];
    let mut seed: u64 = std::env::var("KB_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261128);
    let mut rand = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut markers: Vec<String> = Vec::new();
    for round in 0..8 {
        for (m, kb) in machines.iter().enumerate() {
            for _ in 0..2 {
                let ids: Vec<String> = json(&sb.kb(kb).args(["list", "--json"]).assert().success())
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_str().unwrap().to_string())
                    .collect();
                let marker = format!("mark{round}x{m}x{}", markers.len());
                match rand(4) {
                    0 => {
                        sb.kb(kb)
                            .args(["add", &format!("질문 {marker}?")])
                            .assert()
                            .success();
                    }
                    1 => {
                        let id = &ids[rand(ids.len())];
                        sb.kb(kb)
                            .args(["tag", id, &format!("+{marker}")])
                            .assert()
                            .success();
                    }
                    2 => {
                        let id = &ids[rand(ids.len())];
                        let path = kb.join(format!("questions/{id}.yaml"));
                        let mut text = std::fs::read_to_string(&path).unwrap();
                        if text.contains("answer: ''") {
                            text = text.replace("answer: ''", &format!("answer: |\n  {marker}"));
                        } else {
                            text.push_str(&format!("\n  {marker}\n"));
                        }
                        std::fs::write(&path, text).unwrap(); // a hand edit, committed by sync
                    }
                    _ => {
                        if ids.len() > 3 {
                            let (x, y) = (&ids[rand(ids.len())], &ids[rand(ids.len())]);
                            if x != y {
                                sb.kb(kb).args(["merge", x, y]).assert().success();
                            }
                        }
                        continue;
                    }
                }
                markers.push(marker);
            }
            if rand(3) > 0 {
                let out = sb.kb(kb).arg("sync").assert();
                let code = out.get_output().status.code();
                assert_eq!(code, Some(0), "round {round} machine {m}: {}", stderr(&out));
            }
        }
    }
    for _ in 0..2 {
        for kb in &machines {
            sb.kb(kb).arg("sync").assert().success();
        }
    }
    let contents = |kb: &Path| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(kb.join("questions"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let first = contents(&machines[0]);
    for kb in &machines[1..] {
        assert_eq!(contents(kb), first, "machines differ");
    }
    let all: String = first.iter().map(|(_, t)| t.as_str()).collect();
    for m in &markers {
        assert!(all.contains(m.as_str()), "change {m} lost");
    }
    for kb in &machines {
        no_markers(&sb, kb);
        linear(&sb, kb);
        sb.kb(kb).arg("check").assert().success();
    }
}

#[test]
fn sync_works_on_a_machine_without_a_git_identity() {
    let sb = Sandbox::without_identity();
    let remote = sb.path().join("remote.git");
    std::process::Command::new("git")
        .args(["init", "-q", "--bare", "-b", "main"])
        .arg(&remote)
        .status()
        .unwrap();
    let a = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote"])
        .arg(&remote)
        .arg(&a)
        .assert()
        .success();
    sb.kb(&a)
        .args(["add", "첫 질문", "--id", "first"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    let b = clone(&sb, remote.to_str().unwrap(), "b");
    sb.kb(&a)
        .args(["add", "A의 질문", "--id", "from-a"])
        .assert()
        .success();
    sb.kb(&b)
        .args(["add", "B의 질문", "--id", "from-b"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    sb.kb(&b).arg("sync").assert().success(); // a rebase: git must commit without user.name
    sb.kb(&a).arg("sync").assert().success();
    show(&sb, &a, "from-b");
    show(&sb, &b, "from-a");
}

#[test]
fn clone_finds_the_bank_when_the_remote_head_names_another_branch() {
    let sb = Sandbox::new();
    let remote = sb.bare_remote("remote.git");
    let a = sb.path().join("a");
    std::fs::create_dir_all(&a).unwrap();
    sb.git(&a, &["init", "-q", "-b", "master"]);
    sb.kb_in(&a).args(["init", "."]).assert().success();
    sb.kb(&a)
        .args(["remote", "add"])
        .arg(&remote)
        .assert()
        .success();
    sb.kb(&a)
        .args(["add", "master에서 push한 질문", "--id", "from-master"])
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    // git warns that it could not check anything out; kb checks out the branch there is, so
    // the warning would only alarm.
    let b = sb.path().join("b");
    let cloned = sb
        .kb_in(sb.path())
        .args(["clone", remote.to_str().unwrap()])
        .arg(&b)
        .assert()
        .success();
    let said = stderr(&cloned);
    assert!(!said.contains("nonexistent ref"), "{said}");
    assert!(said.contains("Cloned 1 question into"), "{said}");
    assert_eq!(
        show(&sb, &b, "from-master")["question"],
        "master에서 push한 질문"
    );
    sb.kb(&b).arg("sync").assert().success();
}

/// A killed kb's git children keep its write lock until they are gone: here a `pre-push` hook
/// (started by the sync's `git push`) is still running after kb is killed, and the next kb
/// waits for it instead of cleaning up under its feet.
#[test]
fn the_next_kb_waits_for_the_git_processes_of_a_killed_one() {
    let sb = Sandbox::new();
    let (_remote, a) = setup(&sb);
    sb.kb(&a)
        .args(["add", "푸시될 질문?", "--id", "to-push"])
        .assert()
        .success();
    let started = sb.path().join("hook-started");
    let finished = sb.path().join("hook-finished");
    script(
        &a.join(".git/hooks/pre-push"),
        &format!(
            "touch '{}'; sleep 3; touch '{}'",
            started.display(),
            finished.display()
        ),
    );
    let mut sync = sb
        .kb_process(sb.path())
        .arg("--kb")
        .arg(&a)
        .arg("sync")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !started.exists() {
        assert!(std::time::Instant::now() < deadline, "the hook never ran");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    sync.kill().unwrap();
    sync.wait().unwrap();
    // kb is gone; its hook is not. A write must wait for it.
    let out = sb
        .kb(&a)
        .args(["add", "다음 질문?", "--id", "after-kill"])
        .assert()
        .success();
    assert!(
        finished.exists(),
        "the next kb went ahead while the killed kb's git was still running"
    );
    assert!(stderr(&out).contains("waiting"), "{}", stderr(&out));
    sb.kb(&a).arg("check").assert().success();
    assert_eq!(sb.git(&a, &["status", "--porcelain"]), "");
}
