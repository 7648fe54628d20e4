//! The question picker of `kb show`, `kb edit`, `kb merge` and `kb tag` without ids, driven on a
//! real pseudo-terminal (util-linux `script`), keys typed as a person types them.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Leaving the alternate screen: the terminal is given back as it was.
const SCREEN_RESTORED: &str = "\x1b[?1049l";

fn bank(sb: &Sandbox) -> PathBuf {
    let kb = sb.init("bank");
    for (id, q, a) in [
        (
            "ml-infer",
            "추론 최적화는 어떻게 진행했나요?",
            "TensorRT로 변환했다.",
        ),
        (
            "ml-opt",
            "최적화 기법 중 Adam을 설명해주세요.",
            "모멘텀과 RMSProp.",
        ),
        ("os-proc", "프로세스와 스레드의 차이는?", "주소 공간."),
        ("os-proc2", "프로세스랑 스레드 차이", "메모리 공유."),
    ] {
        sb.add(&kb, &[q, "--id", id, "--answer", a]);
    }
    kb
}

/// Start `kb <args>` on a terminal and wait for the picker to list the questions.
fn picker(sb: &Sandbox, kb: &Path, args: &str) -> Live {
    let live = Live::start(sb.kb_on_terminal(kb, args, &[]), true);
    live.wait_for("/4", 1);
    live
}

/// Wait for kb to give the terminal back and end; a picker still open after 20 s is killed and
/// the test fails (rather than hanging).
fn ended(live: Live) -> (std::process::ExitStatus, String) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !live.seen().contains(SCREEN_RESTORED) {
        if std::time::Instant::now() > deadline {
            live.signal(libc::SIGKILL);
            let (_, out) = live.finish();
            panic!("the picker did not end; it showed:\n{out}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    live.finish()
}

/// Type `keys` and give the picker a moment to draw what they select.
fn type_keys(live: &mut Live, keys: &str) {
    live.send(keys);
    std::thread::sleep(Duration::from_millis(300));
}

#[test]
fn show_picks_by_choseong_and_prints_the_question() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let mut live = picker(&sb, &kb, "show");
    type_keys(&mut live, "ㅊㄹ ㅊㅈㅎ");
    live.wait_for("> ㅊㄹ ㅊㅈㅎ", 1);
    type_keys(&mut live, "\r");
    let (status, out) = ended(live);
    assert!(status.success(), "{out}");
    let after = out.rsplit(SCREEN_RESTORED).next().unwrap();
    assert!(out.contains(SCREEN_RESTORED), "{out}");
    assert!(after.contains("TensorRT로 변환했다."), "{after}");
    assert!(!after.contains("모멘텀"), "{after}");
}

#[test]
fn ctrl_c_in_the_picker_exits_130_and_esc_exits_1_with_nothing_changed() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let commits = commit_count(&kb);
    for (key, code) in [("\x03", 130), ("\x1b", 1)] {
        let mut live = picker(&sb, &kb, "edit");
        type_keys(&mut live, "프로세스");
        type_keys(&mut live, key);
        let (status, out) = ended(live);
        assert_eq!(status.code(), Some(code), "{key:?}: {out}");
        assert!(out.contains(SCREEN_RESTORED), "{out}");
        assert_eq!(commit_count(&kb), commits);
        assert!(drafts(&kb).is_empty());
    }
}

#[test]
fn merge_picks_the_question_kept_then_the_ones_folded_into_it() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let mut live = picker(&sb, &kb, "merge");
    type_keys(&mut live, "프로세스와");
    type_keys(&mut live, "\r");
    // The second picker lists the others (the kept question is not among them).
    live.wait_for("merge into os-proc", 1);
    type_keys(&mut live, "프로세스랑");
    type_keys(&mut live, "\t\r");
    let (status, out) = ended(live);
    assert!(status.success(), "{out}");
    assert!(!kb.join("questions/os-proc2.yaml").exists(), "{out}");
    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-proc", "--json"])
            .assert()
            .success(),
    );
    assert!(
        q["aliases"].to_string().contains("os-proc2"),
        "{}",
        q["aliases"]
    );
}

#[test]
fn tag_marks_several_with_tab() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let mut live = picker(&sb, &kb, "tag +면접");
    type_keys(&mut live, "ㅍㄹㅅㅅ");
    type_keys(&mut live, "\t\t\r");
    let (status, out) = ended(live);
    assert!(status.success(), "{out}");
    for id in ["os-proc", "os-proc2"] {
        let q = json(&sb.kb(&kb).args(["show", id, "--json"]).assert().success());
        assert_eq!(q["tags"], serde_json::json!(["면접"]), "{id}");
    }
    let q = json(
        &sb.kb(&kb)
            .args(["show", "ml-opt", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["tags"], serde_json::json!([]));
}
