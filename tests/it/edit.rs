//! `kb edit`: the question, tags, project and answer in a plain draft (not YAML), written back
//! into the file with every other field kept; `--yaml` for the file itself.

use crate::common::*;
use predicates::prelude::*;

/// A question file written by hand: fields kb does not know, interview records, a follow-up
/// link and an answer with Markdown lists and code.
const HAND_WRITTEN: &str = "id: os-lock\n\
question: 데드락의 4가지 조건은?\n\
answer: |\n  \
  ## 조건\n  \
  - 상호 배제\n    \
    - 자원 하나를 한 번에 하나만\n  \
  - 점유 대기\n\n  \
  ```rust\n  \
  let a = m1.lock();\n  \
  if true {\n      \
      let b = m2.lock();\n  \
  }\n  \
  ```\n\n  \
  tags: 이 줄은 답변이다\n\
tags: [os]\n\
follow_up_of: os-proc\n\
asked:\n\
- company: 카카오\n  \
  date: 2025-03-02\n  \
  mood: 긴장\n\
difficulty: 3\n\
source:\n  \
  book: 공룡책\n  \
  chapter: 8\n";

const ANSWER: &str = "## 조건\n- 상호 배제\n  - 자원 하나를 한 번에 하나만\n- 점유 대기\n\n```rust\nlet a = m1.lock();\nif true {\n    let b = m2.lock();\n}\n```\n\ntags: 이 줄은 답변이다\n";

fn bank(sb: &Sandbox) -> std::path::PathBuf {
    let kb = sb.init("bank");
    sb.add(&kb, &["프로세스란?", "--id", "os-proc"]);
    std::fs::write(kb.join("questions/os-lock.yaml"), HAND_WRITTEN).unwrap();
    sb.git(&kb, &["add", "-A"]);
    sb.git(&kb, &["commit", "-qm", "hand-written"]);
    kb
}

#[test]
fn the_draft_shows_header_lines_and_the_answer_and_a_tag_change_keeps_every_other_field() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let seen = sb.path().join("seen.md");
    let editor = script(
        &sb.path().join("tags.sh"),
        &format!(
            r#"cp "$1" '{}'; sed -i '0,/^tags: /s/^tags: .*/tags: os, 동시성 Deadlock/' "$1""#,
            seen.display()
        ),
    );
    let commits = commit_count(&kb);
    sb.kb(&kb)
        .args(["edit", "os-lock"])
        .env("EDITOR", &editor)
        .assert()
        .success()
        .stderr(predicate::str::contains("Updated os-lock"));

    // What the editor was given: header lines, the scissors line, the answer as stored.
    let draft = std::fs::read_to_string(&seen).unwrap();
    assert!(
        draft.contains("\nquestion: 데드락의 4가지 조건은?\n"),
        "{draft}"
    );
    assert!(draft.contains("\ntags: os\n"), "{draft}");
    assert!(draft.contains("\nproject: \n"), "{draft}");
    let below = draft.split(" >8 ").nth(1).unwrap();
    let below = &below[below.find('\n').unwrap() + 1..];
    assert_eq!(below, ANSWER);
    assert!(!draft.contains("asked"), "no YAML in the draft: {draft}");

    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-lock", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["tags"], serde_json::json!(["deadlock", "os", "동시성"]));
    assert_eq!(q["answer"], ANSWER, "the answer is byte for byte as it was");
    assert_eq!(q["question"], "데드락의 4가지 조건은?");
    let file = std::fs::read_to_string(kb.join("questions/os-lock.yaml")).unwrap();
    for kept in [
        "follow_up_of: os-proc",
        "company: 카카오",
        "mood: 긴장",
        "difficulty: 3",
        "book: 공룡책",
        "chapter: 8",
    ] {
        assert!(file.contains(kept), "{kept} kept in:\n{file}");
    }
    assert!(
        file.find("difficulty").unwrap() < file.find("source:").unwrap(),
        "hand-written fields keep their order:\n{file}"
    );
    assert_eq!(commit_count(&kb), commits + 1);
    assert_eq!(head_message(&kb), "edit os-lock: 데드락의 4가지 조건은?");
    assert!(drafts(&kb).is_empty());
}

#[test]
fn an_answer_written_below_the_scissors_line_is_stored_byte_for_byte() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    // Markdown that YAML indentation would mangle: nested lists, an indented code block, lines
    // that look like YAML and like header lines, a heading, a rule.
    let answer = "# 요약\n\n1. 순서\n   - 안쪽 목록\n     - 더 안쪽\n2. 둘째\n\n    들여쓴 코드 블록\n\n```yaml\n- name: x\n  value: [1, 2]\n```\n\nquestion: 이것도 답변\n---\n끝.\n";
    std::fs::write(sb.path().join("answer.md"), answer).unwrap();
    let editor = script(
        &sb.path().join("answer.sh"),
        &format!(
            r#"sed -i '/ >8 /q' "$1"; cat '{}' >> "$1""#,
            sb.path().join("answer.md").display()
        ),
    );
    sb.kb(&kb)
        .args(["edit", "os-lock"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-lock", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["answer"], answer);
    assert_eq!(q["tags"], serde_json::json!(["os"]));

    // Opened again and saved as it is: nothing changes, nothing is committed.
    let commits = commit_count(&kb);
    sb.kb(&kb)
        .args(["edit", "os-lock"])
        .env("EDITOR", "true")
        .assert()
        .success()
        .stderr(predicate::str::contains("No changes."));
    assert_eq!(commit_count(&kb), commits);
    assert!(drafts(&kb).is_empty());
}

#[test]
fn yaml_opens_the_file_itself() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let seen = sb.path().join("seen.yaml");
    let editor = script(
        &sb.path().join("yaml.sh"),
        &format!(
            r#"cp "$1" '{}'; sed -i 's/^difficulty: 3$/difficulty: 4/' "$1""#,
            seen.display()
        ),
    );
    sb.kb(&kb)
        .args(["edit", "os-lock", "--yaml"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&seen).unwrap(), HAND_WRITTEN);
    let file = std::fs::read_to_string(kb.join("questions/os-lock.yaml")).unwrap();
    assert!(file.contains("difficulty: 4"), "{file}");
}

#[test]
fn a_file_that_does_not_parse_is_opened_as_yaml_to_be_fixed() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    std::fs::write(
        kb.join("questions/os-lock.yaml"),
        "id: os-lock\nquestion: [broken\n",
    )
    .unwrap();
    let fix = script(
        &sb.path().join("fix.sh"),
        r#"printf 'id: os-lock\nquestion: 고쳐진 질문\n' > "$1""#,
    );
    let out = sb
        .kb(&kb)
        .args(["edit", "os-lock"])
        .env("EDITOR", &fix)
        .assert()
        .success();
    assert!(
        stderr(&out).contains("Opening the YAML file itself"),
        "{}",
        stderr(&out)
    );
    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-lock", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["question"], "고쳐진 질문");
}

#[test]
fn a_broken_draft_says_where_is_kept_and_goes_on_with_resume() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let file = kb.join("questions/os-lock.yaml");
    let commits = commit_count(&kb);
    let breaker = script(
        &sb.path().join("break.sh"),
        r#"sed -i 's/^tags: os$/tgas: os 동시성/' "$1""#,
    );
    let out = sb
        .kb(&kb)
        .args(["edit", "os-lock"])
        .env("EDITOR", &breaker)
        .write_stdin("n\n")
        .assert()
        .failure();
    let err = stderr(&out);
    assert!(err.contains("unknown header `tgas`"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("EDIT-os-lock-") && l.contains(".md:6:1:")),
        "the draft's line and column: {err}"
    );
    assert!(err.contains("kb edit os-lock --resume"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), HAND_WRITTEN);
    assert_eq!(commit_count(&kb), commits);
    let kept = drafts(&kb);
    assert_eq!(kept.len(), 1);
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains("tgas: os 동시성")
    );

    let fix = script(
        &sb.path().join("fix.sh"),
        r#"sed -i 's/^tgas:/tags:/' "$1""#,
    );
    sb.kb(&kb)
        .args(["edit", "os-lock", "--resume"])
        .env("EDITOR", &fix)
        .assert()
        .success()
        .stderr(predicate::str::contains("Going on with the edit"));
    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-lock", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["tags"], serde_json::json!(["os", "동시성"]));
    assert!(drafts(&kb).is_empty());
}

/// Ctrl-C or a kill at "Edit again?": the file is untouched and the draft is kept.
#[test]
fn an_interrupted_or_killed_edit_leaves_the_draft() {
    for signal in [libc::SIGINT, libc::SIGKILL] {
        let sb = Sandbox::new();
        let kb = bank(&sb);
        let breaker = script(
            &sb.path().join("break.sh"),
            r#"sed -i 's/^project: $/project: 잘못된 프로젝트/' "$1""#,
        );
        let mut cmd = sb.kb_process(sb.path());
        cmd.env("EDITOR", &breaker)
            .arg("--kb")
            .arg(&kb)
            .args(["edit", "os-lock"]);
        let live = Live::start(cmd, false);
        live.wait_for("Edit again?", 1);
        live.signal(signal);
        let (status, err) = live.finish();
        assert!(!status.success());
        if signal == libc::SIGINT {
            assert_eq!(status.code(), Some(130), "{err}");
            assert!(err.contains("kb edit os-lock --resume"), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(kb.join("questions/os-lock.yaml")).unwrap(),
            HAND_WRITTEN
        );
        let kept = drafts(&kb);
        assert_eq!(kept.len(), 1, "signal {signal}");
        assert!(
            std::fs::read_to_string(&kept[0])
                .unwrap()
                .contains("project: 잘못된 프로젝트")
        );
    }
}

/// The file changes while the editor is open (a hand edit, a sync): both changes are kept; a
/// file that no longer parses is not overwritten, and the edit is kept.
#[test]
fn a_file_changed_meanwhile_is_not_overwritten() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let file = kb.join("questions/os-lock.yaml");
    let both = script(
        &sb.path().join("both.sh"),
        &format!(
            r#"sed -i 's/^tags: os$/tags: os, 동시성/' "$1"; sed -i 's/^difficulty: 3$/difficulty: 5/' '{}'"#,
            file.display()
        ),
    );
    let out = sb
        .kb(&kb)
        .args(["edit", "os-lock"])
        .env("EDITOR", &both)
        .assert()
        .success();
    assert!(
        stderr(&out).contains("changed while you edited it"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("difficulty: 5"), "their change kept:\n{text}");
    assert!(text.contains("동시성"), "mine kept:\n{text}");

    let breaks = script(
        &sb.path().join("breaks.sh"),
        &format!(
            r#"sed -i 's/^tags: .*/tags: os/' "$1"; printf 'question: [손으로 망가뜨림\n' >> '{}'"#,
            file.display()
        ),
    );
    let commits = commit_count(&kb);
    let broken_before = {
        let out = sb
            .kb(&kb)
            .args(["edit", "os-lock"])
            .env("EDITOR", &breaks)
            .assert()
            .failure();
        stderr(&out)
    };
    assert!(
        broken_before.contains("changed while you edited it"),
        "{broken_before}"
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("[손으로 망가뜨림"),
        "the hand edit is not overwritten"
    );
    assert_eq!(commit_count(&kb), commits);
    assert_eq!(drafts(&kb).len(), 1, "the edit is kept");
}

#[test]
fn without_an_id_and_without_a_terminal_an_id_is_asked_for() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    for cmd in [vec!["show"], vec!["edit"], vec!["merge"]] {
        sb.kb(&kb)
            .args(&cmd)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("needs a question id"));
    }
    sb.kb(&kb)
        .args(["tag", "+x"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("which questions?"));
}
