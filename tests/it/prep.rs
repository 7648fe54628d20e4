//! Before the meeting: projects from the template, the briefing, drilling with spaced
//! repetition across machines, and exports.

use std::path::Path;

use crate::common::*;

fn template_questions(kb: &Path) -> Vec<String> {
    std::fs::read_to_string(kb.join("templates/project-questions.yaml"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("  question: "))
        .map(|q| q.trim_matches('\'').to_string())
        .collect()
}

#[test]
fn a_project_gets_exactly_the_template_questions_worded_for_it() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let template = template_questions(&kb);
    assert!(
        template.len() >= 6,
        "kb init writes the common project template"
    );
    let out = json(
        &sb.kb(&kb)
            .args([
                "project",
                "add",
                "추천 시스템 개편 (RecSys v2)",
                "--role",
                "ML 엔지니어",
                "--team",
                "4",
                "--period",
                "2024-01 ~ 2024-09",
                "--json",
            ])
            .assert()
            .success(),
    );
    let id = out["id"].as_str().unwrap().to_string();
    assert_eq!(id, "recsys-v2", "an ASCII id from the name's ASCII words");
    assert_eq!(commit_count(&kb), 2, "one commit");
    let shown = json(
        &sb.kb(&kb)
            .args(["project", "show", &id, "--json"])
            .assert()
            .success(),
    );
    let mut got: Vec<String> = shown["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"].as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = template
        .iter()
        .map(|t| t.replace("{project}", "추천 시스템 개편 (RecSys v2)"))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(
        shown["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["status"] == "empty")
    );
    assert_eq!(shown["role"], "ML 엔지니어");
    assert_eq!(shown["team"], 4);

    // Again: nothing duplicated; a question the user added to the project stays its own.
    sb.kb(&kb)
        .args(["add", "추천 모델의 cold start는?", "--project", &id])
        .assert()
        .success();
    let again = json(
        &sb.kb(&kb)
            .args(["project", "add", "추천 시스템 개편 (RecSys v2)", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(again["questions"].as_array().unwrap().len(), 0);
    let shown = json(
        &sb.kb(&kb)
            .args(["project", "show", &id, "--json"])
            .assert()
            .success(),
    );
    assert_eq!(
        shown["questions"].as_array().unwrap().len(),
        template.len() + 1
    );

    // Answered, then stale once the project record changes.
    let purpose = format!("{id}-purpose");
    let ed = script(
        &sb.path().join("ed.sh"),
        r#"sed -i "s/^answer: ''$/answer: 클릭률을 높이려고/" "$1""#,
    );
    sb.kb(&kb)
        .args(["edit", &purpose, "--yaml"])
        .env("EDITOR", &ed)
        .env("KB_NOW", "2030-01-01T00:00:00Z")
        .assert()
        .success();
    let status = |sb: &Sandbox| -> String {
        json(
            &sb.kb(&kb)
                .args(["project", "show", &id, "--json"])
                .assert()
                .success(),
        )["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == purpose.as_str())
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status(&sb), "answered");
    sb.kb(&kb)
        .args([
            "project",
            "add",
            "추천 시스템 개편 (RecSys v2)",
            "--team",
            "5",
        ])
        .env("KB_NOW", "2030-02-01T00:00:00Z")
        .assert()
        .success();
    assert_eq!(status(&sb), "stale");
    let table = stdout(
        &sb.kb(&kb)
            .args(["project", "list"])
            .env("COLUMNS", "100")
            .assert()
            .success(),
    );
    assert!(
        table.contains("recsys-v2") && table.contains(&format!("1/{}", template.len() + 1)),
        "{table}"
    );
}

#[test]
fn the_briefing_puts_this_companys_questions_first() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let write = |name: &str, text: &str| {
        let p = sb.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let kakao = write(
        "kakao.txt",
        "TCP와 UDP의 차이는? 각각 어떤 상황에서 쓰나요?\nRedis 캐시 무효화 전략은?\n",
    );
    let naver = write(
        "naver.txt",
        "Python의 GIL이란 무엇이고, threading·multiprocessing·asyncio는 각각 언제 쓰나요?\n",
    );
    sb.kb(&kb)
        .args(["interview", "add", "--company", "카카오", "--yes", "--from"])
        .arg(&kakao)
        .assert()
        .success();
    sb.kb(&kb)
        .args(["interview", "add", "--company", "네이버", "--yes", "--from"])
        .arg(&naver)
        .assert()
        .success();
    sb.kb(&kb)
        .args(["interview", "add", "--company", "네이버", "--yes", "--from"])
        .arg(&naver)
        .assert()
        .success();

    let brief = json(
        &sb.kb(&kb)
            .args([
                "prep",
                "--company",
                "카카오",
                "--project",
                "ocr-serving",
                "--format",
                "json",
            ])
            .assert()
            .success(),
    );
    let sections = brief["sections"].as_array().unwrap();
    assert!(sections[0]["title"].as_str().unwrap().contains("카카오"));
    let first: Vec<&str> = sections[0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(first.len(), 2);
    assert!(first.contains(&"net-tcp-vs-udp"));
    // Then the most asked anywhere (GIL, twice at 네이버), then the project's questions.
    assert_eq!(sections[1]["questions"][0]["id"], "py-gil-concurrency");
    assert!(sections[2]["title"].as_str().unwrap().contains("문서 OCR"));
    assert_eq!(sections[2]["questions"].as_array().unwrap().len(), 14);
    // Each question once.
    let mut all: Vec<&str> = sections
        .iter()
        .flat_map(|s| {
            s["questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["id"].as_str().unwrap())
        })
        .collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);

    let md_path = sb.path().join("brief.md");
    sb.kb(&kb)
        .args(["prep", "--company", "카카오", "-o"])
        .arg(&md_path)
        .assert()
        .success();
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.starts_with("# 카카오 면접 준비 ("), "{md}");
    assert!(md.contains("## 1. 카카오에서 전에 받은 질문 (2)"), "{md}");
    assert!(md.contains("### TCP와 UDP의 차이는? 각각 어떤 상황에서 쓰나요?"));
    assert!(md.find("카카오에서 전에").unwrap() < md.find("가장 많이 받은").unwrap());
    assert!(
        md.contains("아직 답을 쓰지 않았습니다"),
        "the new Redis question has no answer yet"
    );
}

const SESSION: &str = "\n3\n\n1\n\n4\nq\n";

#[test]
fn drilling_on_two_machines_then_syncing_merges_the_history_without_conflict() {
    let sb = Sandbox::new();
    let remote = sb.bare_remote("remote.git");
    let a = sample_copy(&sb);
    sb.kb(&a)
        .args(["remote", "add"])
        .arg(&remote)
        .assert()
        .success();
    sb.kb(&a).arg("sync").assert().success();
    let b = sb.path().join("b");
    sb.kb_in(sb.path())
        .args(["clone", remote.to_str().unwrap()])
        .arg(&b)
        .assert()
        .success();

    // A scripted session on each machine: show, grade, show, grade... then quit.
    let out = sb
        .kb(&a)
        .args(["drill", "--tag", "network", "-n", "5", "--json"])
        .write_stdin(SESSION)
        .env("KB_NOW", "2026-11-20T09:00:00Z")
        .assert()
        .success();
    let a_reviews = json(&out)["reviews"].as_array().unwrap().len();
    assert_eq!(a_reviews, 3);
    assert!(head_message(&a).starts_with("drill: 3 reviews (again 1, hard 0, good 1, easy 1)"));
    let out = sb
        .kb(&b)
        .args(["drill", "--tag", "os", "-n", "5", "--json"])
        .write_stdin(SESSION)
        .env("KB_NOW", "2026-11-21T09:00:00Z")
        .assert()
        .success();
    assert_eq!(json(&out)["reviews"].as_array().unwrap().len(), 3);

    // One log file per machine: the sync merges them without a conflict.
    sb.kb(&a).arg("sync").assert().success();
    let out = json(&sb.kb(&b).args(["sync", "--json"]).assert().success());
    assert_eq!(out["report"]["conflicts"], serde_json::json!([]), "{out}");
    sb.kb(&a).arg("sync").assert().success();
    let logs: Vec<_> = std::fs::read_dir(a.join("reviews"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(logs.len(), 2, "{logs:?}");
    assert_eq!(sb.git(&a, &["log", "--merges", "--oneline"]), "");
    let lines: usize = logs
        .iter()
        .map(|f| {
            std::fs::read_to_string(a.join("reviews").join(f))
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .count()
        })
        .sum();
    assert_eq!(lines, 6);
    sb.kb(&a).arg("check").assert().success();

    // The merged history drives the schedule: what A forgot comes back first when due.
    let out = sb
        .kb(&a)
        .args(["drill", "--due", "-n", "10", "--json"])
        .write_stdin("q\n")
        .env("KB_NOW", "2026-11-23T09:00:00Z")
        .assert()
        .success();
    let _ = out;
    let brief = json(
        &sb.kb(&a)
            .args(["prep", "--format", "json"])
            .env("KB_NOW", "2026-11-23T09:00:00Z")
            .assert()
            .success(),
    );
    let weak = brief["sections"].as_array().unwrap().last().unwrap();
    assert!(
        weak["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["weak"] == true),
        "a question graded again is weak: {weak}"
    );
}

#[test]
fn drill_orders_due_first_and_reads_grades_from_a_script() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    for (id, q) in [
        ("q1", "첫째 질문?"),
        ("q2", "둘째 질문?"),
        ("q3", "셋째 질문?"),
    ] {
        sb.kb(&kb)
            .args(["add", q, "--id", id, "--answer", "답"])
            .assert()
            .success();
    }
    // Day 0: q1 easy, q2 again, q3 good.
    let out = sb
        .kb(&kb)
        .args(["drill", "--json"])
        .write_stdin("\n4\n\n1\n\n3\n")
        .env("KB_NOW", "2026-11-01T00:00:00Z")
        .assert()
        .success();
    let v = json(&out);
    let order: Vec<&str> = v["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["question"].as_str().unwrap())
        .collect();
    assert_eq!(order, vec!["q1", "q2", "q3"], "new questions by id");
    // Day 2: q2 (forgotten, due after a day) comes first; with --due only what is due.
    let out = sb
        .kb(&kb)
        .args(["drill", "--due", "--json"])
        .write_stdin("\n3\n")
        .env("KB_NOW", "2026-11-03T00:00:00Z")
        .assert()
        .success();
    let v = json(&out);
    assert_eq!(v["reviews"][0]["question"], "q2");
    assert_eq!(v["reviews"].as_array().unwrap().len(), 1);
    // Bad input is asked again; nothing due exits 1.
    sb.kb(&kb)
        .args(["drill", "--due"])
        .write_stdin("")
        .env("KB_NOW", "2026-11-03T00:00:01Z")
        .assert()
        .code(1);
    let out = sb
        .kb(&kb)
        .args(["drill", "-n", "1", "--json"])
        .write_stdin("\n7\nmaybe\n2\n")
        .env("KB_NOW", "2026-11-04T00:00:00Z")
        .assert()
        .success();
    assert_eq!(json(&out)["reviews"][0]["grade"], "hard");
    assert!(stderr(&out).contains("Answer 1, 2, 3 or 4."));
}

#[test]
fn anki_export_is_valid_tsv_with_escaping() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["add", "Tab\there & <tags> \"quoted\"?", "--id", "tricky", "--tag", "ml", "--answer"])
        .arg("첫 줄\n둘째 줄\twith tab\n\n```python\nif a < b:\n\tprint(\"x\")\n```\n\n- **bold** & <b>not html</b>")
        .assert()
        .success();
    sb.kb(&kb)
        .args(["add", "평범한 질문", "--id", "plain", "--project", "ocr"])
        .assert()
        .success();
    let tsv = stdout(
        &sb.kb(&kb)
            .args(["export", "--format", "anki"])
            .assert()
            .success(),
    );
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        &lines[..4],
        &[
            "#separator:tab",
            "#html:true",
            "#columns:Front\tBack\tTags",
            "#tags column:3"
        ]
    );
    let notes: Vec<Vec<&str>> = lines[4..].iter().map(|l| l.split('\t').collect()).collect();
    assert_eq!(notes.len(), 2, "one line per note");
    for n in &notes {
        assert_eq!(n.len(), 3, "three columns: {n:?}");
    }
    let tricky = notes.iter().find(|n| n[2].contains("kb::tricky")).unwrap();
    assert_eq!(
        tricky[0], "Tab here &amp; &lt;tags&gt; &quot;quoted&quot;?",
        "questions are one line, escaped"
    );
    assert!(
        tricky[1].contains("<br>") && tricky[1].contains("&lt;b&gt;not html&lt;/b&gt;")
            || tricky[1].contains("<b>not html</b>"),
        "{}",
        tricky[1]
    );
    assert!(tricky[1].contains("<strong>bold</strong>"), "{}", tricky[1]);
    assert!(
        tricky[1].contains("if a &lt; b:"),
        "code is escaped: {}",
        tricky[1]
    );
    assert!(!tricky[1].contains('\t'));
    assert_eq!(tricky[2], "ml kb::tricky");
    let plain = notes.iter().find(|n| n[2].contains("kb::plain")).unwrap();
    assert_eq!(plain[2], "project::ocr kb::plain");
    // Markdown export groups by project then tag.
    let md = stdout(
        &sb.kb(&kb)
            .args(["export", "--format", "md"])
            .assert()
            .success(),
    );
    assert!(
        md.find("## ocr").unwrap() < md.find("## ml").unwrap(),
        "{md}"
    );
}

#[test]
fn json_export_round_trips_into_a_new_knowledge_base() {
    let sb = Sandbox::new();
    let a = sample_copy(&sb);
    sb.kb(&a)
        .args([
            "interview",
            "add",
            "--company",
            "카카오",
            "--round",
            "1차",
            "--yes",
            "TCP와 UDP의 차이는?",
            "새 질문 하나",
        ])
        .assert()
        .success();
    let hand = a.join("questions/net-dns.yaml");
    let text = std::fs::read_to_string(&hand)
        .unwrap()
        .replace("answer: |", "difficulty: 4\nanswer: |");
    std::fs::write(&hand, text).unwrap();
    sb.git(&a, &["commit", "-qam", "hand field"]);
    let export = sb.path().join("export.json");
    sb.kb(&a)
        .args(["export", "--format", "json", "-o"])
        .arg(&export)
        .assert()
        .success();

    let b = sb.init("fresh");
    let out = json(
        &sb.kb(&b)
            .args(["import", "--json"])
            .arg(&export)
            .assert()
            .success(),
    );
    let n = std::fs::read_dir(a.join("questions")).unwrap().count();
    assert_eq!(out["created"], n);
    // Identical question files, byte for byte; interviews and projects too.
    for dir in ["questions", "interviews", "projects"] {
        let mut names: Vec<_> = std::fs::read_dir(a.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for name in names {
            let x = std::fs::read(a.join(dir).join(&name)).unwrap();
            let y = std::fs::read(b.join(dir).join(&name)).unwrap_or_default();
            assert!(
                x == y,
                "{dir}/{name:?} differs after the round trip:\n{}\n---\n{}",
                String::from_utf8_lossy(&x),
                String::from_utf8_lossy(&y)
            );
        }
    }
    // Importing the same export again adds nothing.
    let again = json(
        &sb.kb(&b)
            .args(["import", "--json"])
            .arg(&export)
            .assert()
            .success(),
    );
    assert_eq!(again["created"], 0);
}

#[test]
fn grades_given_before_ctrl_c_are_recorded_by_the_next_drill() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["가상 메모리란?", "-a", "페이지 단위로 나눈다."]);
    sb.add(&kb, &["TCP와 UDP의 차이는?", "-a", "신뢰성과 속도."]);
    let commits = commit_count(&kb);
    let mut cmd = sb.kb_process(sb.path());
    cmd.arg("--kb").arg(&kb).args(["drill", "-n", "2"]);
    let mut live = crate::common::Live::start(cmd, false);
    live.wait_for("show the answer", 1);
    live.send("\n");
    live.wait_for("How well did you know it?", 1);
    live.send("3\n");
    // The second question is on screen: Ctrl-C.
    live.wait_for("show the answer", 2);
    live.signal(libc::SIGINT);
    let (status, err) = live.finish();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("grades given so far are kept"), "{err}");
    assert_eq!(commit_count(&kb), commits, "nothing is committed at Ctrl-C");

    // The next drill records the kept grade first, in its own commit, even when it drills
    // nothing (no answer on standard input).
    let next = sb
        .kb(&kb)
        .args(["drill", "-n", "1"])
        .write_stdin("")
        .assert()
        .success();
    assert!(
        stderr(&next).contains("Recorded 1 grade from a drill or mock that was interrupted"),
        "{}",
        stderr(&next)
    );
    assert_eq!(commit_count(&kb), commits + 1);
    assert!(
        head_message(&kb).starts_with("drill: 1 review (again 0, hard 0, good 1, easy 0)"),
        "{}",
        head_message(&kb)
    );
    // Recorded once: a third drill has nothing kept to record.
    let third = sb
        .kb(&kb)
        .args(["drill", "-n", "1"])
        .write_stdin("")
        .assert()
        .success();
    assert!(!stderr(&third).contains("Recorded"), "{}", stderr(&third));
    assert_eq!(commit_count(&kb), commits + 1);
}

#[test]
fn a_phones_review_log_is_imported_once_as_its_own_log() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["가상 메모리란?", "-a", "페이지 단위로 나눈다."]);
    let log = sb.path().join("grades.tsv");
    std::fs::write(
        &log,
        format!(
            "# kb review log: time\tquestion\tgrade\n# machine: galaxy\n\
             2026-12-01T08:00:00Z\t{id}\tgood\n2026-12-01T08:02:00Z\tq-not-here\thard\n"
        ),
    )
    .unwrap();
    let commits = commit_count(&kb);
    let first = sb
        .kb(&kb)
        .args(["drill", "--import"])
        .arg(&log)
        .assert()
        .success();
    let err = stderr(&first);
    assert!(
        err.contains("Recorded 1 grade in reviews/galaxy.tsv"),
        "{err}"
    );
    assert!(
        err.contains("left out 1 grade for questions this bank does not have: q-not-here"),
        "{err}"
    );
    assert_eq!(commit_count(&kb), commits + 1);
    let kept = std::fs::read_to_string(kb.join("reviews/galaxy.tsv")).unwrap();
    assert!(
        kept.contains(&format!("2026-12-01T08:00:00Z\t{id}\tgood")),
        "{kept}"
    );
    // The same file again adds nothing and makes no commit.
    let again = sb
        .kb(&kb)
        .args(["--json", "drill", "--import"])
        .arg(&log)
        .assert()
        .success();
    let v = json(&again);
    assert_eq!(
        (v["added"].as_u64(), v["already"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(commit_count(&kb), commits + 1);
    // A file that is not a review log (the page itself, say) is refused, not "0 recorded".
    let page = sb.path().join("bank.html");
    std::fs::write(&page, "<!doctype html>\n<html>\n<p>not a log</p>\n").unwrap();
    let wrong = sb
        .kb(&kb)
        .args(["drill", "--import"])
        .arg(&page)
        .assert()
        .failure();
    assert!(
        stderr(&wrong).contains("is not a review log: none of its 3 lines"),
        "{}",
        stderr(&wrong)
    );
    assert_eq!(commit_count(&kb), commits + 1);
    // The imported grade counts like one at the desk: the question is not new any more.
    let due = sb
        .kb(&kb)
        .args(["drill", "-n", "1"])
        .write_stdin("")
        .assert()
        .success();
    assert!(!stderr(&due).contains("· new"), "{}", stderr(&due));
}

/// A question with no answer is not graded: the drill takes the answer instead, keeps it line
/// by line across Ctrl-C, and writes it in its commit (or the next drill's).
#[test]
fn a_drill_takes_an_answer_for_a_question_that_has_none() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["TCP와 UDP의 차이는?"]);
    let commits = commit_count(&kb);
    let out = sb
        .kb(&kb)
        .args(["drill", "-n", "1"])
        .write_stdin("\nTCP는 연결형, 신뢰성 보장\nUDP는 비연결형, 빠름\n\n")
        .assert()
        .success();
    assert!(stderr(&out).contains("No answer yet"), "{}", stderr(&out));
    assert_eq!(commit_count(&kb), commits + 1);
    assert_eq!(head_message(&kb).trim(), "drill: 1 answer written");
    let shown = json(&sb.kb(&kb).args(["--json", "show", &id]).assert().success());
    assert_eq!(
        shown["answer"].as_str().unwrap().trim_end(),
        "TCP는 연결형, 신뢰성 보장\nUDP는 비연결형, 빠름"
    );
    assert!(!kb.join("reviews").exists(), "no grade was given");

    // Ctrl-C in the middle of typing: the line typed is kept and the next drill writes it.
    let other = sb.add(&kb, &["가상 메모리란?", "--tag", "os"]);
    let commits = commit_count(&kb);
    let mut cmd = sb.kb_process(sb.path());
    cmd.arg("--kb")
        .arg(&kb)
        .args(["drill", "-n", "1", "--tag", "os"]);
    let mut live = crate::common::Live::start(cmd, false);
    live.wait_for("show the answer", 1);
    live.send("\n");
    live.wait_for("No answer yet", 1);
    live.send("페이지 단위로 물리 메모리보다 큰 주소 공간\n");
    std::thread::sleep(std::time::Duration::from_millis(300));
    live.signal(libc::SIGINT);
    let (status, err) = live.finish();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("any answer typed"), "{err}");
    assert_eq!(commit_count(&kb), commits, "nothing committed at Ctrl-C");
    let next = sb
        .kb(&kb)
        .args(["drill", "-n", "1"])
        .write_stdin("")
        .assert();
    assert!(
        stderr(&next).contains("Wrote 1 answer typed in a drill that was interrupted"),
        "{}",
        stderr(&next)
    );
    let shown = json(
        &sb.kb(&kb)
            .args(["--json", "show", &other])
            .assert()
            .success(),
    );
    assert_eq!(
        shown["answer"].as_str().unwrap().trim_end(),
        "페이지 단위로 물리 메모리보다 큰 주소 공간"
    );
}
