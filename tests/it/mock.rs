//! `kb mock`: a timed mock interview on a real bank — its order, the grades it records (and
//! keeps across Ctrl-C, as `kb drill` does), typed key points against the prepared answer,
//! unanswered questions, follow-ups, and the summary.

use std::path::Path;

use crate::common::*;

/// A bank with a few answered fundamentals questions `ids` (answer `답`).
fn bank_with(sb: &Sandbox, ids: &[&str]) -> std::path::PathBuf {
    let kb = sb.init("bank");
    for id in ids {
        sb.add(&kb, &[&format!("{id} 질문은?"), "--id", id, "-a", "답"]);
    }
    kb
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"].as_str().unwrap().to_string())
        .collect()
}

/// `kb mock ARGS --json` on a process whose stdout goes to `out` (so stderr can be watched).
fn live_mock(sb: &Sandbox, kb: &Path, args: &[&str], out: &Path) -> Live {
    let kb_cmd = sb.kb_process(sb.path());
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("out=$1; shift; exec \"$@\" > \"$out\"")
        .arg("sh")
        .arg(out)
        .arg(kb_cmd.get_program())
        .arg("--kb")
        .arg(kb)
        .arg("mock")
        .args(args)
        .current_dir(sb.path())
        .env_clear();
    for (k, v) in kb_cmd.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    Live::start(cmd, false)
}

#[test]
fn a_mock_asks_common_then_technical_then_fundamentals_the_companys_first() {
    let sb = Sandbox::new();
    let kb = bank_with(&sb, &["f-a", "f-b", "f-c"]);
    sb.kb(&kb)
        .args(["project", "add", "OCR Serving", "--id", "ocr"])
        .assert()
        .success();
    sb.add(
        &kb,
        &[
            "Triton 동적 배칭은?",
            "-p",
            "ocr",
            "--id",
            "ocr-triton",
            "-a",
            "답",
        ],
    );
    sb.add(
        &kb,
        &[
            "TensorRT 변환은?",
            "-p",
            "ocr",
            "--id",
            "ocr-trt",
            "-a",
            "답",
        ],
    );
    // Another project's questions stay out of a mock about this one.
    sb.add(
        &kb,
        &[
            "다른 프로젝트 질문?",
            "-p",
            "other",
            "--id",
            "other-q",
            "-a",
            "답",
        ],
    );
    sb.kb(&kb)
        .args(["interview", "add", "--company", "카카오", "--yes"])
        .args(["OCR Serving 팀 구성은?", "TensorRT 변환은?", "f-c 질문은?"])
        .assert()
        .success();
    let out = sb
        .kb(&kb)
        .args(["mock", "-c", "카카오", "-p", "ocr", "-n", "6", "--json"])
        .write_stdin("s\n".repeat(10))
        .assert()
        .success();
    let report = json(&out);
    let parts: Vec<&str> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["part"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        [
            "common",
            "common",
            "technical",
            "technical",
            "fundamentals",
            "fundamentals"
        ],
        "{report}"
    );
    let got = ids(&report);
    assert_eq!(
        got[0], "ocr-team",
        "asked at 카카오: first of the common part"
    );
    assert_eq!(
        got[2..4],
        ["ocr-trt", "ocr-triton"],
        "asked at 카카오 first"
    );
    assert_eq!(got[4..6], ["f-c", "f-a"], "asked at 카카오 first");
    assert_eq!(report["questions"][0]["asked_here"], 1);
    assert!(
        stderr(&out).contains("asked at 카카오 ×1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_mock_records_its_grades_in_the_review_log_in_one_commit() {
    let sb = Sandbox::new();
    let kb = bank_with(&sb, &["q-a", "q-b"]);
    let commits = commit_count(&kb);
    // q-a answered aloud and graded good; q-b graded again after a typed answer.
    let out = sb
        .kb(&kb)
        .args(["mock", "-n", "2", "--json"])
        .write_stdin("\n3\n몰라요\n\n1\n")
        .assert()
        .success();
    let report = json(&out);
    assert_eq!(ids(&report), ["q-a", "q-b"]);
    assert_eq!(report["questions"][0]["answer"], "spoken");
    assert_eq!(report["questions"][0]["grade"], "good");
    assert_eq!(report["questions"][1]["answer"], "typed");
    assert_eq!(report["questions"][1]["grade"], "again");
    assert_eq!(
        commit_count(&kb),
        commits + 1,
        "one commit for the whole mock"
    );
    assert!(
        head_message(&kb).starts_with("mock: 2 questions, 2 reviews (again 1, hard 0, good 1"),
        "{}",
        head_message(&kb)
    );
    let changed = head_changed_paths(&kb);
    assert!(
        changed.len() == 1 && changed[0].starts_with("reviews/") && changed[0].ends_with(".tsv"),
        "{changed:?}"
    );
    let log = std::fs::read_to_string(kb.join(&changed[0])).unwrap();
    assert!(
        log.contains("\tq-a\tgood\n") && log.contains("\tq-b\tagain\n"),
        "{log}"
    );
    assert_eq!(report["commit"].as_str().map(str::len), Some(40));
    // The grades feed drill's schedule: q-b, forgotten, is weak and comes first in a drill.
    let drill = sb
        .kb(&kb)
        .args(["drill", "-n", "1", "--json"])
        .write_stdin("\n3\n")
        .assert()
        .success();
    assert_eq!(json(&drill)["reviews"][0]["question"], "q-b");
}

#[test]
fn typed_key_points_name_the_missing_terms_and_count_a_glossary_equivalent() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(
        &kb,
        &[
            "과적합은 어떻게 줄이나요?",
            "--id",
            "q-overfit",
            "-a",
            "**Overfitting**은 dropout과 early stopping으로 줄입니다.",
        ],
    );
    let out = sb
        .kb(&kb)
        .args(["mock", "-n", "1", "--json"])
        .write_stdin("과적합 나면 드롭아웃 씀\n\n2\n")
        .assert()
        .success();
    let err = stderr(&out);
    assert!(
        err.contains("Key terms: 2/3 — missing: early stopping"),
        "{err}"
    );
    assert!(err.contains("과적합 for Overfitting"), "{err}");
    let report = json(&out);
    let terms = report["questions"][0]["key_terms"].as_array().unwrap();
    let term = |t: &str| {
        terms
            .iter()
            .find(|k| k["term"].as_str().unwrap().eq_ignore_ascii_case(t))
            .unwrap_or_else(|| panic!("{t} in {terms:?}"))
    };
    assert_eq!(term("overfitting")["present"], true);
    assert_eq!(term("overfitting")["as_typed"], "과적합");
    assert_eq!(term("dropout")["present"], true, "드롭아웃 is dropout");
    assert_eq!(term("early stopping")["present"], false);
    // Answered aloud: no key terms to check.
    let spoken = sb
        .kb(&kb)
        .args(["mock", "-n", "1", "--json"])
        .write_stdin("\n3\n")
        .assert()
        .success();
    assert!(json(&spoken)["questions"][0].get("key_terms").is_none());
}

#[test]
fn an_unanswered_question_asks_to_write_an_answer_or_skip_and_saves_the_typed_one() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["HPA는 어떻게 동작하나요?", "--id", "q-hpa"]);
    sb.add(&kb, &["Ingress란?", "--id", "q-ingress"]);
    let commits = commit_count(&kb);
    // q-hpa: answered aloud, then an answer typed to save; q-ingress: key points typed, skipped.
    let out = sb
        .kb(&kb)
        .args(["mock", "-n", "2", "--json"])
        .write_stdin("\nmetrics-server 지표로 replica 조정\n쿨다운 있음\n\n대충 L7 라우팅\n\ns\n")
        .assert()
        .success();
    let err = stderr(&out);
    assert!(
        err.contains("No prepared answer yet. Type one to save it"),
        "{err}"
    );
    assert!(err.contains("Save what you typed as its answer?"), "{err}");
    assert!(
        !err.contains("How well did you answer?"),
        "not graded: {err}"
    );
    let report = json(&out);
    assert_eq!(
        report["unanswered"],
        serde_json::json!(["q-hpa", "q-ingress"])
    );
    assert_eq!(report["answers_written"], serde_json::json!(["q-hpa"]));
    assert_eq!(commit_count(&kb), commits + 1);
    assert!(
        head_message(&kb).contains("1 answer written (q-hpa)"),
        "{}",
        head_message(&kb)
    );
    assert_eq!(
        head_changed_paths(&kb),
        ["questions/q-hpa.yaml"],
        "no grades"
    );
    let show = sb
        .kb(&kb)
        .args(["show", "q-hpa", "--json"])
        .assert()
        .success();
    assert_eq!(
        json(&show)["answer"],
        "metrics-server 지표로 replica 조정\n쿨다운 있음\n"
    );
    let ingress = std::fs::read_to_string(kb.join("questions/q-ingress.yaml")).unwrap();
    assert!(!ingress.contains("L7"), "a skipped answer is not saved");
    assert!(drafts(&kb).is_empty(), "{:?}", drafts(&kb));
}

#[test]
fn grades_given_before_ctrl_c_are_recorded_by_the_next_drill_and_a_typed_answer_is_kept() {
    let sb = Sandbox::new();
    let kb = bank_with(&sb, &["q-a", "q-b"]);
    sb.add(&kb, &["HPA는?", "--id", "q-c"]);
    let commits = commit_count(&kb);
    let mut cmd = sb.kb_process(sb.path());
    cmd.arg("--kb").arg(&kb).args(["mock", "-n", "3"]);
    let mut live = Live::start(cmd, false);
    live.wait_for("> ", 1);
    live.send("\n");
    live.wait_for("How well did you answer?", 1);
    live.send("3\n");
    live.wait_for("> ", 2);
    live.send("s\n");
    // The unanswered q-c: two lines typed, then Ctrl-C in the middle of the answer.
    live.wait_for("no prepared answer yet", 1);
    live.send("HPA는 지표를 보고\nreplica를 늘린다\n");
    live.wait_for("… ", 2);
    live.signal(libc::SIGINT);
    let (status, err) = live.finish();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("The 1 grade given so far is kept"), "{err}");
    assert!(err.contains("`kb edit q-c --resume` saves it"), "{err}");
    assert_eq!(commit_count(&kb), commits, "nothing is committed at Ctrl-C");
    let kept = drafts(&kb);
    assert_eq!(kept.len(), 1, "{kept:?}");
    let draft = std::fs::read_to_string(&kept[0]).unwrap();
    assert!(
        draft.contains("HPA는 지표를 보고\n  replica를 늘린다"),
        "{draft}"
    );

    // The next kb mock names the kept answer; the next drill records the kept grade.
    let next = sb
        .kb(&kb)
        .args(["drill", "-n", "1"])
        .write_stdin("")
        .assert()
        .success();
    assert!(
        stderr(&next).contains("Recorded 1 grade"),
        "{}",
        stderr(&next)
    );
    assert!(
        head_message(&kb).starts_with("drill: 1 review (again 0, hard 0, good 1, easy 0)"),
        "{}",
        head_message(&kb)
    );
    let mock = sb
        .kb(&kb)
        .args(["mock", "-n", "1"])
        .write_stdin("")
        .assert()
        .success();
    assert!(
        stderr(&mock).contains("the answer you typed for q-c in an interrupted mock is kept"),
        "{}",
        stderr(&mock)
    );
    assert!(!stderr(&mock).contains("Recorded 1 grade"), "recorded once");
    assert_eq!(commit_count(&kb), commits + 1);
}

#[test]
fn grades_kept_by_an_interrupted_mock_are_recorded_by_the_next_mock() {
    let sb = Sandbox::new();
    let kb = bank_with(&sb, &["q-a", "q-b"]);
    let commits = commit_count(&kb);
    let mut cmd = sb.kb_process(sb.path());
    cmd.arg("--kb").arg(&kb).args(["mock", "-n", "2"]);
    let mut live = Live::start(cmd, false);
    live.wait_for("> ", 1);
    live.send("\n");
    live.wait_for("How well did you answer?", 1);
    live.send("2\n");
    live.wait_for("How well did you answer?", 1);
    live.wait_for("> ", 2);
    live.signal(libc::SIGINT);
    let (status, err) = live.finish();
    assert_eq!(status.code(), Some(130), "{err}");
    let next = sb
        .kb(&kb)
        .args(["mock", "-n", "1", "--json"])
        .write_stdin("q\n")
        .assert()
        .success();
    assert!(
        stderr(&next).contains("Recorded 1 grade"),
        "{}",
        stderr(&next)
    );
    assert_eq!(commit_count(&kb), commits + 1);
    let log: String = std::fs::read_dir(kb.join("reviews"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(log.contains("\tq-a\thard\n"), "{log}");
}

#[test]
fn a_weak_answer_brings_its_follow_up_right_after_it() {
    let sb = Sandbox::new();
    let kb = bank_with(&sb, &["q-a", "q-b", "q-c"]);
    // q-c follows q-a up (as `kb add --after q-a` records it).
    let path = kb.join("questions/q-c.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}follow_up_of: q-a\n")).unwrap();
    sb.git(&kb, &["commit", "-qam", "q-c follows q-a"]);
    let run = |stdin: &str| {
        json(
            &sb.kb(&kb)
                .args(["mock", "-n", "3", "--json"])
                .write_stdin(stdin.to_string())
                .assert()
                .success(),
        )
    };
    // Weak (hard): q-c comes at once, then q-b.
    let weak = run("\n2\n\n3\n\n3\n");
    assert_eq!(ids(&weak), ["q-a", "q-c", "q-b"], "{weak}");
    assert_eq!(weak["questions"][1]["follow_up_of"], "q-a");
    // Good: no follow-up (q-a, weak from the first mock, comes first in drill's order).
    let good = run("\n3\n\n3\n\n3\n");
    assert_eq!(ids(&good)[0], "q-a", "{good}");
    assert_eq!(ids(&good).len(), 3, "{good}");
    assert!(
        good["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q.get("follow_up_of").is_none()),
        "{good}"
    );
}

#[test]
fn the_summary_names_the_slowest_and_the_weakest_and_stops_when_time_is_up() {
    let sb = Sandbox::new();
    let kb = bank_with(&sb, &["q-a", "q-b", "q-c"]);
    let out = sb.path().join("report.json");
    let mut live = live_mock(
        &sb,
        &kb,
        &[
            "-n",
            "3",
            "--target-seconds",
            "2",
            "--minutes",
            "0.04",
            "--json",
        ],
        &out,
    );
    // q-a: at once, graded again. q-b: 2.6 s (over its 2 s target), graded hard. Then 2.4 s
    // (0.04 minutes) have passed: q-c is not reached.
    live.wait_for("> ", 1);
    live.send("\n");
    live.wait_for("How well did you answer?", 1);
    live.send("1\n");
    live.wait_for("> ", 2);
    std::thread::sleep(std::time::Duration::from_millis(2600));
    live.send("\n");
    live.wait_for("How well did you answer?", 2);
    live.send("2\n");
    let (status, err) = live.finish();
    assert!(status.success(), "{err}");
    assert!(err.contains("Time is up."), "{err}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(ids(&report), ["q-a", "q-b"]);
    assert_eq!(report["slowest"], serde_json::json!(["q-b"]), "{report}");
    assert_eq!(report["weakest"], serde_json::json!(["q-a", "q-b"]));
    assert_eq!(report["time_up"], true);
    assert_eq!(report["not_reached"], serde_json::json!(["q-c"]));
    assert!(report["questions"][1]["seconds"].as_f64().unwrap() >= 2.6);

    // The text summary says the same.
    let text = sb
        .kb(&kb)
        .args(["mock", "-n", "2", "--target-seconds", "1000"])
        .write_stdin("\n1\ns\n")
        .assert()
        .success();
    let summary = stdout(&text);
    assert!(
        summary.contains("Slowest: none over its target."),
        "{summary}"
    );
    assert!(summary.contains("Weakest: "), "{summary}");
    assert!(summary.contains("(again)"), "{summary}");
}
