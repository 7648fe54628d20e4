//! `kb source add | update | list`: a notes repository on disk (and served by `git daemon` on
//! 127.0.0.1) followed by a bank, with upstream and user edits on the same questions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::common::*;

const NETWORK: &str = "# Network

## TCP와 UDP의 차이는?

TCP는 연결 지향 프로토콜이다.
3-way handshake로 연결을 맺는다.
흐름 제어와 혼잡 제어를 한다.
순서를 보장한다.
UDP는 비연결형이다.
빠르지만 신뢰성이 없다.

## HTTP와 HTTPS의 차이는?

HTTPS는 TLS 위에서 HTTP를 쓴다.
인증서로 서버를 확인한다.

## DNS는 어떻게 동작하나요?

재귀 질의와 반복 질의가 있다.

## OSI 7계층이란?

네트워크 통신을 일곱 계층으로 나눈 모델.
";

const DEADLOCK: &str = "# DeadLock

두 프로세스가 서로의 자원을 기다리며 멈춘 상태.

## 발생 조건

- 상호 배제
- 점유 대기
- 비선점
- 순환 대기
";

/// An upstream notes repository `<sandbox>/up` on branch main: network.md, os/DeadLock.md, and
/// a note in a dot-folder that must never come in.
fn upstream(sb: &Sandbox) -> PathBuf {
    let up = sb.path().join("up");
    std::fs::create_dir_all(up.join("os")).unwrap();
    std::fs::create_dir_all(up.join(".github")).unwrap();
    std::fs::write(up.join("network.md"), NETWORK).unwrap();
    std::fs::write(up.join("os/DeadLock.md"), DEADLOCK).unwrap();
    std::fs::write(
        up.join(".github/CONTRIBUTING.md"),
        "# 기여하는 법은?\n\nPR을 보내세요.\n",
    )
    .unwrap();
    sb.git(&up, &["init", "-q", "-b", "main"]);
    commit_all(sb, &up, "notes");
    up
}

fn commit_all(sb: &Sandbox, repo: &Path, message: &str) -> String {
    sb.git(repo, &["add", "-A"]);
    sb.git(repo, &["commit", "-qm", message]);
    sb.git(repo, &["rev-parse", "HEAD"]).trim().to_string()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The bank's questions by their text.
fn questions(kb: &Path) -> HashMap<String, kb::Question> {
    let bank = kb::Kb::open(kb).unwrap();
    let loaded = bank.load_all().unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded
        .questions
        .into_iter()
        .map(|q| (q.question.clone(), q))
        .collect()
}

fn question_file(kb: &Path, id: &str) -> PathBuf {
    kb.join("questions").join(format!("{id}.yaml"))
}

fn config(kb: &Path) -> kb::Config {
    kb::Kb::open(kb).unwrap().config
}

fn clone_of(kb: &Path, name: &str) -> PathBuf {
    kb.join(".git/kb/sources").join(name)
}

/// `git daemon` serving a folder on 127.0.0.1, stopped when dropped.
struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serve `served` at `git://127.0.0.1:PORT/`; returns the daemon and that URL.
fn daemon(served: &Path) -> (Daemon, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // git-daemon itself (not the `git daemon` wrapper, whose child would outlive a kill).
    let exec_path = String::from_utf8(
        std::process::Command::new("git")
            .arg("--exec-path")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let d = Daemon(
        std::process::Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args(["--reuseaddr", "--export-all", "--listen=127.0.0.1"])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", served.display()))
            .arg(served)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("git daemon starts"),
    );
    let ready = (0..100).any(|_| {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            false
        }
    });
    assert!(ready, "git daemon did not start");
    (d, format!("git://127.0.0.1:{port}"))
}

#[test]
fn add_from_a_path_imports_the_notes_records_the_source_and_commits_once() {
    let sb = Sandbox::new();
    let up = upstream(&sb);
    let head = sb.git(&up, &["rev-parse", "HEAD"]).trim().to_string();
    let kb = sb.init("bank");
    let before = commit_count(&kb);

    let out = sb
        .kb(&kb)
        .args(["source", "add"])
        .arg(&up)
        .args(["--tag", "cs"])
        .assert()
        .success();
    assert!(
        stderr(&out).contains("imported 5 questions from 2 files"),
        "{}",
        stderr(&out)
    );

    assert_eq!(commit_count(&kb), before + 1, "one commit for the add");
    let message = head_message(&kb);
    assert!(
        message.starts_with(&format!(
            "source add up: {} at {}",
            up.display(),
            &head[..7]
        )),
        "{message}"
    );
    let changed = head_changed_paths(&kb);
    assert!(changed.contains(&"kb.yaml".to_string()), "{changed:?}");
    assert_eq!(
        changed
            .iter()
            .filter(|p| p.starts_with("questions/"))
            .count(),
        5
    );

    let c = config(&kb);
    assert_eq!(c.sources.len(), 1);
    let s = &c.sources[0];
    assert_eq!(s.name, "up", "named after the repository");
    assert_eq!(Path::new(&s.url), up.canonicalize().unwrap());
    assert_eq!(s.path, None);
    assert_eq!(s.tags, vec!["cs"]);
    assert_eq!(s.branch.as_deref(), Some("main"));
    assert_eq!(s.commit, head);

    let qs = questions(&kb);
    let mut names: Vec<&str> = qs.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "DNS는 어떻게 동작하나요?",
            "DeadLock",
            "HTTP와 HTTPS의 차이는?",
            "OSI 7계층이란?",
            "TCP와 UDP의 차이는?"
        ],
        "nothing from the dot-folder"
    );
    let tcp = &qs["TCP와 UDP의 차이는?"];
    assert_eq!(
        tcp.imported_from.as_deref(),
        Some("up/network.md:3#tcp와-udp의-차이는")
    );
    assert!(tcp.tags.contains(&"cs".to_string()), "{:?}", tcp.tags);
    assert!(tcp.answer.contains("3-way handshake"), "{}", tcp.answer);
    assert_eq!(
        qs["DeadLock"].imported_from.as_deref(),
        Some("up/os/DeadLock.md:1#deadlock")
    );

    // The clone is kb's own state, inside .git: the working tree stays clean.
    assert!(clone_of(&kb, "up").join(".git").is_dir());
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
    sb.kb(&kb).arg("check").assert().success();
    // And the index knows the new questions.
    let found = json(
        &sb.kb(&kb)
            .args(["search", "handshake", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(found[0]["id"], tcp.id.as_str());
}

#[test]
fn add_over_git_daemon_with_a_path_and_a_name_and_refusals_that_write_nothing() {
    let sb = Sandbox::new();
    let up = upstream(&sb);
    let served = sb.path().join("served");
    std::fs::create_dir_all(&served).unwrap();
    sb.git(
        sb.path(),
        &[
            "clone",
            "-q",
            "--bare",
            up.to_str().unwrap(),
            served.join("notes.git").to_str().unwrap(),
        ],
    );
    let (_daemon, base) = daemon(&served);
    let kb = sb.init("bank");
    let kb_yaml = || std::fs::read(kb.join("kb.yaml")).unwrap();

    // A URL that does not clone: git's message, nothing written, no clone left behind.
    let (yaml0, count0) = (kb_yaml(), commit_count(&kb));
    for url in [
        format!("{base}/nope.git"),
        sb.path().join("nowhere").display().to_string(),
    ] {
        let out = sb.kb(&kb).args(["source", "add", &url]).assert().failure();
        let err = stderr(&out);
        assert!(err.contains("could not clone"), "{err}");
        assert!(
            err.contains("does not exist")
                || err.contains("not found")
                || err.contains("not exported"),
            "git's own words: {err}"
        );
        assert_eq!(kb_yaml(), yaml0, "kb.yaml unchanged");
        assert_eq!(commit_count(&kb), count0, "no commit");
        let left: Vec<_> = std::fs::read_dir(kb.join(".git/kb/sources"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "no clone left: {left:?}");
    }
    // A --path that is not in the repository: the same.
    let out = sb
        .kb(&kb)
        .args([
            "source",
            "add",
            &format!("{base}/notes.git"),
            "--path",
            "nowhere",
        ])
        .assert()
        .failure();
    assert!(
        stderr(&out).contains("there is no nowhere"),
        "{}",
        stderr(&out)
    );
    assert_eq!((kb_yaml(), commit_count(&kb)), (yaml0.clone(), count0));
    assert!(!clone_of(&kb, "notes").exists());

    // The real thing, over the network.
    sb.kb(&kb)
        .args([
            "source",
            "add",
            &format!("{base}/notes.git"),
            "--path",
            "./os/",
            "--name",
            "os-notes",
        ])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), count0 + 1);
    let qs = questions(&kb);
    assert_eq!(qs.len(), 1, "only the notes under os/: {:?}", qs.keys());
    assert_eq!(
        qs["DeadLock"].imported_from.as_deref(),
        Some("os-notes/os/DeadLock.md:1#deadlock")
    );
    let s = &config(&kb).sources[0];
    assert_eq!(
        (s.name.as_str(), s.url.as_str(), s.path.as_deref()),
        ("os-notes", format!("{base}/notes.git").as_str(), Some("os"))
    );

    // The same name again (even for another URL): refused, nothing written.
    let (yaml1, count1) = (kb_yaml(), commit_count(&kb));
    for url in [format!("{base}/notes.git"), up.display().to_string()] {
        let out = sb
            .kb(&kb)
            .args(["source", "add", &url, "--name", "os-notes"])
            .assert()
            .failure();
        assert!(
            stderr(&out).contains("already followed"),
            "{}",
            stderr(&out)
        );
        assert_eq!((kb_yaml(), commit_count(&kb)), (yaml1.clone(), count1));
    }
    // A busy git state: refused like every writing command.
    sb.git(&kb, &["checkout", "-q", "--detach"]);
    let out = sb
        .kb(&kb)
        .args(["source", "add"])
        .arg(&up)
        .assert()
        .failure();
    assert!(
        stderr(&out).contains("HEAD is detached"),
        "{}",
        stderr(&out)
    );
    assert_eq!((kb_yaml(), commit_count(&kb)), (yaml1, count1));
    assert!(!clone_of(&kb, "up").exists());
}

#[test]
fn update_merges_upstream_changes_with_the_users_edits_and_never_writes_conflict_markers() {
    let sb = Sandbox::new();
    let up = upstream(&sb);
    let old = sb.git(&up, &["rev-parse", "HEAD"]).trim().to_string();
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["source", "add"])
        .arg(&up)
        .args(["--tag", "cs"])
        .assert()
        .success();
    let qs = questions(&kb);
    let id = |q: &str| qs[q].id.clone();
    let (tcp, http, dns, osi) = (
        id("TCP와 UDP의 차이는?"),
        id("HTTP와 HTTPS의 차이는?"),
        id("DNS는 어떻게 동작하나요?"),
        id("OSI 7계층이란?"),
    );

    // The user: a tag and a line of the TCP answer; the HTTP answer; the OSI answer's one line.
    sb.kb(&kb).args(["tag", &tcp, "+mine"]).assert().success();
    edit(
        &question_file(&kb, &tcp),
        "빠르지만 신뢰성이 없다.",
        "빠르지만 신뢰성이 없다. (내 메모: 실시간 스트리밍에 쓴다)",
    );
    edit(
        &question_file(&kb, &http),
        "인증서로 서버를 확인한다.",
        "인증서로 서버를 확인한다. 면접에서 물어봄!",
    );
    edit(
        &question_file(&kb, &osi),
        "네트워크 통신을 일곱 계층으로 나눈 모델.",
        "물리 계층부터 응용 계층까지 (내 정리).",
    );
    commit_all(&sb, &kb, "my edits");

    // Upstream: the first line of the TCP answer (and a blank line above it, so its line
    // moves), the OSI line differently, HTTP and DNS removed, a new section.
    let notes = up.join("network.md");
    edit(&notes, "# Network\n", "# Network\n\n");
    edit(
        &notes,
        "TCP는 연결 지향 프로토콜이다.",
        "TCP는 연결 지향(connection-oriented) 프로토콜이다.",
    );
    edit(
        &notes,
        "네트워크 통신을 일곱 계층으로 나눈 모델.",
        "ISO가 정한 네트워크 참조 모델.",
    );
    edit(
        &notes,
        "## HTTP와 HTTPS의 차이는?\n\nHTTPS는 TLS 위에서 HTTP를 쓴다.\n인증서로 서버를 확인한다.\n\n",
        "",
    );
    edit(
        &notes,
        "## DNS는 어떻게 동작하나요?\n\n재귀 질의와 반복 질의가 있다.\n\n",
        "## CORS란?\n\n다른 출처의 자원 요청을 허용하는 브라우저 정책.\n\n",
    );
    let new = commit_all(&sb, &up, "upstream edits");

    let before = commit_count(&kb);
    let out = sb.kb(&kb).args(["source", "update"]).assert().success();
    let err = stderr(&out);
    assert_eq!(commit_count(&kb), before + 1, "one commit: {err}");
    let message = head_message(&kb);
    let subject = message.lines().next().unwrap();
    assert!(
        subject.starts_with(&format!(
            "source up: {}..{}: 2 updated, 1 new, 1 removed, 1 kept",
            &old[..7],
            &new[..7]
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("kept {http}: removed upstream, edited here")),
        "{message}"
    );
    assert!(
        err.contains(&format!("kept {http}: removed upstream, edited here")),
        "{err}"
    );

    let qs = questions(&kb);
    // TCP: both edits, the user's tags, the new place.
    let t = &qs["TCP와 UDP의 차이는?"];
    assert_eq!(t.id, tcp, "the user's id stays");
    assert!(
        t.answer.contains("connection-oriented"),
        "upstream's: {}",
        t.answer
    );
    assert!(
        t.answer.contains("(내 메모: 실시간 스트리밍에 쓴다)"),
        "ours: {}",
        t.answer
    );
    assert_eq!(
        t.answer.matches("3-way handshake").count(),
        1,
        "{}",
        t.answer
    );
    assert_eq!(t.tags, vec!["cs", "mine", "network"]);
    assert_eq!(
        t.imported_from.as_deref(),
        Some("up/network.md:4#tcp와-udp의-차이는")
    );
    // OSI: the same line changed on both sides: ours first, upstream's kept beside it.
    let o = &qs["OSI 7계층이란?"];
    let (mine, theirs) = (o.answer.find("(내 정리)"), o.answer.find("ISO가 정한"));
    assert!(
        mine.is_some() && theirs.is_some() && mine < theirs,
        "{}",
        o.answer
    );
    assert!(
        o.answer
            .contains(&format!("comes from up at {}", &new[..7])),
        "the source is named where upstream's answer starts: {}",
        o.answer
    );
    assert!(o.tags.contains(&"conflict".to_string()), "{:?}", o.tags);
    // HTTP kept (edited here), DNS removed (untouched), CORS new.
    assert!(
        qs["HTTP와 HTTPS의 차이는?"]
            .answer
            .contains("면접에서 물어봄!")
    );
    assert!(!question_file(&kb, &dns).exists());
    assert!(!qs.contains_key("DNS는 어떻게 동작하나요?"));
    let cors = &qs["CORS란?"];
    assert!(cors.answer.contains("브라우저 정책"));
    assert!(cors.tags.contains(&"cs".to_string()), "{:?}", cors.tags);
    assert!(
        cors.imported_from
            .as_deref()
            .is_some_and(|f| f.starts_with("up/network.md:") && f.ends_with("#cors란")),
        "{:?}",
        cors.imported_from
    );
    // DeadLock's file did not change upstream: untouched.
    for q in qs.values() {
        let text = std::fs::read_to_string(question_file(&kb, &q.id)).unwrap();
        assert!(
            !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
            "{text}"
        );
    }
    assert_eq!(
        config(&kb).sources[0].commit,
        new,
        "the recorded commit moved"
    );
    sb.kb(&kb).arg("check").assert().success();
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");

    // Nothing new upstream: nothing committed.
    let out = sb
        .kb(&kb)
        .args(["source", "update", "up"])
        .assert()
        .success();
    assert!(stderr(&out).contains("up to date"), "{}", stderr(&out));
    assert_eq!(commit_count(&kb), before + 1);
}

#[test]
fn list_shows_how_far_behind_a_source_is_and_update_catches_up() {
    let sb = Sandbox::new();
    let up = upstream(&sb);
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["source", "add"])
        .arg(&up)
        .assert()
        .success();
    let status = |fetch: bool| {
        let mut cmd = sb.kb(&kb);
        cmd.args(["source", "list", "--json"]);
        if fetch {
            cmd.arg("--fetch");
        }
        json(&cmd.assert().success())[0].clone()
    };
    assert_eq!(status(false)["behind"], 0);

    let deadlock = up.join("os/DeadLock.md");
    edit(
        &deadlock,
        "- 순환 대기\n",
        "- 순환 대기\n- (예방: 자원 순서 정하기)\n",
    );
    commit_all(&sb, &up, "one");
    edit(&deadlock, "멈춘 상태.", "영원히 멈춘 상태.");
    let head = commit_all(&sb, &up, "two");

    assert_eq!(status(false)["behind"], 0, "as of the last fetch");
    let s = status(true);
    assert_eq!(s["behind"], 2, "{s}");
    assert_eq!(s["remote_commit"], head.as_str());
    assert_eq!(s["name"], "up");
    assert_eq!(s["cloned"], true);

    let out = sb
        .kb(&kb)
        .args(["source", "update", "--json"])
        .assert()
        .success();
    let r = &json(&out)[0];
    assert_eq!(r["to"], head.as_str());
    assert_eq!(r["updated"].as_array().unwrap().len(), 1, "{r}");
    let s = status(false);
    assert_eq!(s["behind"], 0, "{s}");
    assert_eq!(s["commit"], head.as_str());
    let qs = questions(&kb);
    assert!(
        qs["DeadLock"].answer.contains("영원히 멈춘") && qs["DeadLock"].answer.contains("예방")
    );
}

#[test]
fn a_clone_missing_on_this_machine_is_cloned_again_on_update() {
    let sb = Sandbox::new();
    let up = upstream(&sb);
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["source", "add"])
        .arg(&up)
        .assert()
        .success();
    // A fresh machine: the bank cloned, .git/kb (and the source's clone) not there.
    std::fs::remove_dir_all(clone_of(&kb, "up")).unwrap();
    let listed = json(
        &sb.kb(&kb)
            .args(["source", "list", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(listed[0]["cloned"], false);
    assert_eq!(listed[0]["behind"], serde_json::Value::Null);

    edit(
        &up.join("network.md"),
        "재귀 질의와",
        "루트 서버부터 재귀 질의와",
    );
    commit_all(&sb, &up, "dns");
    let out = sb.kb(&kb).args(["source", "update"]).assert().success();
    assert!(stderr(&out).contains("cloned it again"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 updated, 0 new, 0 removed, 0 kept"),
        "{}",
        stderr(&out)
    );
    assert!(
        questions(&kb)["DNS는 어떻게 동작하나요?"]
            .answer
            .contains("루트 서버부터")
    );
    assert!(clone_of(&kb, "up").join(".git").is_dir());

    // An unknown name is an error that names the ones followed.
    let out = sb
        .kb(&kb)
        .args(["source", "update", "nope"])
        .assert()
        .failure();
    assert!(stderr(&out).contains("follows up"), "{}", stderr(&out));
}

#[test]
fn a_note_moved_upstream_keeps_its_question_and_one_the_user_removed_stays_removed() {
    let sb = Sandbox::new();
    let up = upstream(&sb);
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["source", "add"])
        .arg(&up)
        .assert()
        .success();
    let qs = questions(&kb);
    let (deadlock, dns) = (
        qs["DeadLock"].id.clone(),
        qs["DNS는 어떻게 동작하나요?"].id.clone(),
    );
    sb.kb(&kb)
        .args(["tag", &deadlock, "+exam"])
        .assert()
        .success();
    sb.kb(&kb).args(["rm", &dns]).assert().success();

    // Upstream moves the note to another folder and edits it, and edits the DNS section.
    std::fs::create_dir_all(up.join("cs")).unwrap();
    sb.git(&up, &["mv", "os/DeadLock.md", "cs/DeadLock.md"]);
    edit(
        &up.join("cs/DeadLock.md"),
        "- 비선점\n",
        "- 비선점 (no preemption)\n",
    );
    edit(
        &up.join("network.md"),
        "재귀 질의와",
        "루트 서버부터 재귀 질의와",
    );
    commit_all(&sb, &up, "move and edit");

    let out = sb.kb(&kb).args(["source", "update"]).assert().success();
    let err = stderr(&out);
    assert!(err.contains("1 updated, 0 new, 0 removed, 0 kept"), "{err}");
    assert!(
        err.contains("not in the bank") && err.contains("up/network.md:"),
        "{err}"
    );
    let qs = questions(&kb);
    let d = &qs["DeadLock"];
    assert_eq!(
        d.id, deadlock,
        "the same question, not removed and added again"
    );
    assert!(d.answer.contains("no preemption"), "{}", d.answer);
    assert!(d.tags.contains(&"exam".to_string()), "{:?}", d.tags);
    assert_eq!(
        d.imported_from.as_deref(),
        Some("up/cs/DeadLock.md:1#deadlock")
    );
    assert!(
        !qs.contains_key("DNS는 어떻게 동작하나요?"),
        "a question the user removed does not come back"
    );
}

/// `kb source add` copies the images beside the notes and points links between notes at their
/// questions, as `kb import` does, in the add's one commit.
#[test]
fn add_copies_images_and_links_notes_like_import() {
    let sb = Sandbox::new();
    let up = sb.path().join("pics");
    std::fs::create_dir_all(up.join("os/img")).unwrap();
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0xff, 0x00, 0x01];
    std::fs::write(up.join("os/img/wait.png"), &png).unwrap();
    std::fs::write(
        up.join("os/DeadLock.md"),
        "# DeadLock\n\n대기 그래프: ![대기](img/wait.png)\n\n[세마포어](Semaphore.md)도 보자.\n",
    )
    .unwrap();
    std::fs::write(
        up.join("os/Semaphore.md"),
        "# Semaphore\n\n카운터로 막는다.\n",
    )
    .unwrap();
    sb.git(&up, &["init", "-q", "-b", "main"]);
    commit_all(&sb, &up, "notes");
    let kb = sb.init("bank");
    let out = json(
        &sb.kb(&kb)
            .args(["--json", "source", "add"])
            .arg(&up)
            .assert()
            .success(),
    );
    assert_eq!(
        out["images_copied"],
        serde_json::json!(["assets/pics/os/img/wait.png"]),
        "{out}"
    );
    assert_eq!(out["note_links"], 1, "{out}");
    assert_eq!(
        std::fs::read(kb.join("assets/pics/os/img/wait.png")).unwrap(),
        png
    );
    assert!(head_changed_paths(&kb).contains(&"assets/pics/os/img/wait.png".to_string()));
    let qs = questions(&kb);
    let answer = &qs["DeadLock"].answer;
    assert!(
        answer.contains("![대기](assets/pics/os/img/wait.png)"),
        "{answer}"
    );
    assert!(
        answer.contains(&format!("[세마포어](kb:{})", qs["Semaphore"].id)),
        "{answer}"
    );
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");

    // Upstream edits DeadLock away from its links, adds a note with its own image, and removes
    // Semaphore (which links nowhere). The links the add rewrote are not taken for edits: the
    // edit merges cleanly, the new image is copied, the untouched note is removed.
    edit(&up.join("os/DeadLock.md"), "도 보자.", "도 함께 보자.");
    std::fs::write(up.join("os/img/tlb.png"), [1u8, 2, 3, 0xfe]).unwrap();
    std::fs::write(
        up.join("os/Paging.md"),
        "# Paging

![TLB](img/tlb.png)

[교착](DeadLock.md)과는 다르다.
",
    )
    .unwrap();
    std::fs::remove_file(up.join("os/Semaphore.md")).unwrap();
    commit_all(&sb, &up, "more");
    let out = json(
        &sb.kb(&kb)
            .args(["--json", "source", "update", "pics"])
            .assert()
            .success(),
    );
    let report = &out[0];
    assert_eq!(
        report["conflicts"].as_array().map(|c| c.len()),
        Some(0),
        "{out}"
    );
    assert_eq!(
        report["removed"].as_array().map(|c| c.len()),
        Some(1),
        "{out}"
    );
    assert_eq!(report["kept"].as_array().map(|c| c.len()), Some(0), "{out}");
    assert_eq!(
        std::fs::read(kb.join("assets/pics/os/img/tlb.png")).unwrap(),
        [1u8, 2, 3, 0xfe]
    );
    assert!(head_changed_paths(&kb).contains(&"assets/pics/os/img/tlb.png".to_string()));
    let qs = questions(&kb);
    let dead = &qs["DeadLock"];
    assert!(dead.answer.contains("도 함께 보자."), "{}", dead.answer);
    assert!(
        dead.answer.contains("![대기](assets/pics/os/img/wait.png)"),
        "{}",
        dead.answer
    );
    assert!(
        !dead.tags.iter().any(|t| t == "conflict"),
        "{:?}",
        dead.tags
    );
    let paging = &qs["Paging"];
    assert!(
        paging.answer.contains("![TLB](assets/pics/os/img/tlb.png)"),
        "{}",
        paging.answer
    );
    assert!(
        paging.answer.contains(&format!("[교착](kb:{})", dead.id)),
        "{}",
        paging.answer
    );
    assert!(!qs.contains_key("Semaphore"));
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
}
