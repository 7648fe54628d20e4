//! End-to-end tests of the everyday commands: the real binary on real git repositories.

use crate::common::*;
use predicates::prelude::*;

#[test]
fn init_creates_repository_config_and_first_commit() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    assert!(kb.join("kb.yaml").is_file());
    assert!(kb.join("questions").is_dir());
    assert!(kb.join("interviews").is_dir());
    assert!(kb.join("projects").is_dir());
    assert!(kb.join("templates/project-questions.yaml").is_file());
    assert!(kb.join(".git").is_dir(), "a repository is created");
    assert_eq!(commit_count(&kb), 1);
    assert!(head_message(&kb).starts_with("init:"));
    let config = std::fs::read_to_string(kb.join("kb.yaml")).unwrap();
    assert!(config.contains("version: 1"), "{config}");
    assert!(config.contains("name: bank"), "{config}");
    // A second init refuses rather than overwrite.
    sb.kb_in(sb.path())
        .args(["init", "bank"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already holds a knowledge base"));
}

#[test]
fn add_show_list_round_trip_in_korean() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(
        &kb,
        &[
            "추론 최적화는 어떻게 진행했나요?",
            "--answer",
            "## 요약\nTensorRT FP16 변환으로 **p99 120ms → 45ms**.",
            "--tag",
            "Inference",
            "--tag",
            "ml",
            "--project",
            "ocr-serving",
        ],
    );
    assert!(id.starts_with("q-") && id.len() == 10, "{id}");
    assert!(id.is_ascii());
    assert!(kb.join(format!("questions/{id}.yaml")).is_file());

    let shown = sb.kb(&kb).args(["show", &id, "--json"]).assert().success();
    let q = json(&shown);
    assert_eq!(q["id"], id.as_str());
    assert_eq!(q["question"], "추론 최적화는 어떻게 진행했나요?");
    assert_eq!(
        q["answer"],
        "## 요약\nTensorRT FP16 변환으로 **p99 120ms → 45ms**.\n"
    );
    assert_eq!(q["tags"], serde_json::json!(["inference", "ml"]));
    assert_eq!(q["project"], "ocr-serving");
    assert!(q["created"].as_str().unwrap().ends_with('Z'));

    // Human output, by prefix.
    let text = sb.kb(&kb).args(["show", &id[..5]]).assert().success();
    let out = stdout(&text);
    assert!(out.contains("추론 최적화는 어떻게 진행했나요?"), "{out}");
    assert!(out.contains("TensorRT FP16"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when piped: {out:?}");

    let listed = sb.kb(&kb).args(["list", "--json"]).assert().success();
    let rows = json(&listed);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["question"], "추론 최적화는 어떻게 진행했나요?");
    assert_eq!(rows[0]["tags"], serde_json::json!(["inference", "ml"]));
    let path = std::path::Path::new(rows[0]["path"].as_str().unwrap());
    assert!(sb.path().join(path).is_file() || path.is_file(), "{path:?}");
}

#[test]
fn every_change_is_one_commit_with_a_readable_message() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["추론 최적화는 어떻게 진행했나요? 서빙 지연을 줄인 방법과 그 전후의 속도를 구체적인 숫자와 함께 설명해 주세요."]);
    assert_eq!(commit_count(&kb), 2);
    let message = head_message(&kb);
    assert!(
        message.starts_with(&format!("add {id}: 추론 최적화는 어떻게 진행했나요?")),
        "{message}"
    );
    assert!(
        message.lines().next().unwrap().ends_with('…'),
        "long questions are cut: {message}"
    );
    assert_eq!(
        head_changed_paths(&kb),
        vec![format!("questions/{id}.yaml")]
    );

    sb.kb(&kb)
        .args(["tag", &id, "+inference", "+ml"])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), 3);
    assert_eq!(head_message(&kb), format!("tag {id}: +inference +ml"));

    // No change, no commit.
    sb.kb(&kb).args(["tag", &id, "+ml"]).assert().success();
    assert_eq!(commit_count(&kb), 3);

    sb.kb(&kb)
        .args(["tag", &id, "-inference"])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), 4);

    sb.kb(&kb).args(["rm", &id]).assert().success();
    assert_eq!(commit_count(&kb), 5);
    assert!(head_message(&kb).starts_with(&format!("rm {id}: ")));
    assert!(!kb.join(format!("questions/{id}.yaml")).exists());
    sb.kb(&kb)
        .args(["show", &id])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no question with id"));
    // The working tree is clean: kb left nothing half-done.
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
}

#[test]
fn answers_come_from_stdin_or_a_file() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let from_stdin = sb
        .kb(&kb)
        .args(["add", "Batch Normalization의 효과는?", "-"])
        .write_stdin("학습 안정화, 더 큰 learning rate.\n")
        .assert()
        .success();
    let id = stdout(&from_stdin).trim().to_string();
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["answer"], "학습 안정화, 더 큰 learning rate.\n");

    let file = sb.path().join("answer.md");
    std::fs::write(&file, "$\\hat{x} = \\frac{x-\\mu}{\\sigma}$\n").unwrap();
    let id = sb.add(
        &kb,
        &["BN 수식은?", "--answer-file", file.to_str().unwrap()],
    );
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["answer"], "$\\hat{x} = \\frac{x-\\mu}{\\sigma}$\n");

    sb.kb(&kb)
        .args(["add", "x", "--answer-file", "/nonexistent/answer.md"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/nonexistent/answer.md"));
}

#[test]
fn add_without_a_question_uses_the_editor_template() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    // The "editor" keeps the template's help below the scissors line and writes above it.
    let editor = script(
        &sb.path().join("editor.sh"),
        r#"f="$1"; { printf '가상 메모리란\n무엇인가요?\n\n# 핵심\n물리 메모리보다 큰 주소 공간.\n\n'; cat "$f"; } > "$f.new" && mv "$f.new" "$f""#,
    );
    let out = sb
        .kb(&kb)
        .args(["add", "--tag", "os"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    let id = stdout(&out).trim().to_string();
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["question"], "가상 메모리란 무엇인가요?");
    assert_eq!(q["answer"], "# 핵심\n물리 메모리보다 큰 주소 공간.\n");
    assert_eq!(q["tags"], serde_json::json!(["os"]));

    // Leaving the template as it is aborts, and nothing is committed.
    let before = commit_count(&kb);
    let noop = script(&sb.path().join("noop.sh"), "true");
    sb.kb(&kb)
        .arg("add")
        .env("VISUAL", &noop)
        .assert()
        .failure()
        .stderr(predicate::str::contains("empty"));
    assert_eq!(commit_count(&kb), before);
}

#[test]
fn add_opens_the_header_draft_of_kb_edit_and_reads_its_lines() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    // The draft shows the given tag and project on header lines, like kb edit's.
    let look = script(
        &sb.path().join("look.sh"),
        &format!(r#"cp "$1" "{}""#, sb.path().join("seen.md").display()),
    );
    sb.kb(&kb)
        .args(["add", "--tag", "os", "--project", "ocr-serving"])
        .env("EDITOR", &look)
        .assert()
        .failure()
        .stderr(predicate::str::contains("empty"));
    let seen = std::fs::read_to_string(sb.path().join("seen.md")).unwrap();
    assert!(
        seen.contains("\nquestion: \ntags: os\nproject: ocr-serving\n# ----"),
        "{seen}"
    );

    // Filled in: the question line, a tag changed, the project emptied, a Markdown answer.
    let fill = script(
        &sb.path().join("fill.sh"),
        r#"sed -i 's/^question: $/question: 페이징이랑 세그멘테이션 차이 뭐예요/; s/^tags: os$/tags: os, memory/; s/^project: .*/project:/' "$1" && printf '## 핵심
- 페이징: 고정 크기
' >> "$1""#,
    );
    let out = sb
        .kb(&kb)
        .args(["add", "--tag", "os", "--project", "ocr-serving"])
        .env("EDITOR", &fill)
        .assert()
        .success();
    let id = stdout(&out).trim().to_string();
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["question"], "페이징이랑 세그멘테이션 차이 뭐예요");
    assert_eq!(q["tags"], serde_json::json!(["memory", "os"]));
    assert!(q["project"].is_null(), "{q}");
    assert_eq!(q["answer"], "## 핵심\n- 페이징: 고정 크기\n");

    // A bad header line: said with its line, and the draft kept for --resume.
    let bad = script(
        &sb.path().join("bad.sh"),
        r#"sed -i 's/^question: $/question: CNN receptive field 설명/; s/^tags: .*/tags: +cnn/' "$1""#,
    );
    let before = commit_count(&kb);
    let out = sb
        .kb(&kb)
        .arg("add")
        .env("EDITOR", &bad)
        .write_stdin("n\n")
        .assert()
        .failure();
    let err = stderr(&out);
    assert!(err.contains(".md:6:1: tag `+cnn`"), "{err}");
    assert!(err.contains("kb add --resume"), "{err}");
    assert_eq!(commit_count(&kb), before);
    let fix = script(
        &sb.path().join("fix.sh"),
        r#"sed -i 's/^tags: +cnn$/tags: cnn/' "$1""#,
    );
    let out = sb
        .kb(&kb)
        .args(["add", "--resume", "--no-dedupe"])
        .env("EDITOR", &fix)
        .assert()
        .success();
    let id = stdout(&out).trim().to_string();
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["question"], "CNN receptive field 설명");
    assert_eq!(q["tags"], serde_json::json!(["cnn"]));
}

/// Ctrl-C or a kill at kb add's `Edit again?` (a draft that does not read) keeps the draft and
/// commits nothing; `--resume` goes on with it.
#[test]
fn an_interrupt_or_a_kill_at_kb_adds_edit_again_keeps_the_draft() {
    if !pty_available() {
        return;
    }
    for signal in [libc::SIGINT, libc::SIGKILL] {
        let sb = Sandbox::new();
        let kb = sb.init("bank");
        let commits = commit_count(&kb);
        let bad = script(
            &sb.path().join("bad.sh"),
            r#"sed -i 's/^question: $/question: 자바 GC 어떻게 동작해요/; s/^tags: .*/tags: -gc/' "$1""#,
        );
        let mut live = Live::start(sb.kb_on_terminal(&kb, "add", &[("EDITOR", &bad)]), true);
        live.wait_for("Edit again?", 1);
        if signal == libc::SIGINT {
            live.send("\u{3}");
        } else {
            // SAFETY: kill(2) on kb, which this test started.
            assert_eq!(unsafe { libc::kill(live.descendant("kb"), signal) }, 0);
        }
        let (_, out) = live.finish();
        if signal == libc::SIGINT {
            assert!(out.contains("Interrupted: nothing was added"), "{out}");
            assert!(out.contains("kb add --resume"), "{out}");
        }
        assert_eq!(commit_count(&kb), commits);
        let kept = drafts(&kb);
        assert_eq!(kept.len(), 1, "{out}");
        assert!(
            std::fs::read_to_string(&kept[0])
                .unwrap()
                .contains("자바 GC")
        );
        let fix = script(
            &sb.path().join("fix.sh"),
            r#"sed -i 's/^tags: -gc$/tags: gc/' "$1""#,
        );
        sb.kb(&kb)
            .args(["add", "--resume", "--no-dedupe"])
            .env("EDITOR", &fix)
            .assert()
            .success();
        assert_eq!(commit_count(&kb), commits + 1);
        assert!(drafts(&kb).is_empty());
    }
}

#[test]
fn edit_commits_a_valid_change_and_rejects_invalid_yaml_with_line_and_column() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(
        &kb,
        &["TCP 3-way handshake를 설명해주세요.", "--tag", "network"],
    );
    let file = kb.join(format!("questions/{id}.yaml"));

    // A valid edit: the answer is filled in.
    let editor = script(
        &sb.path().join("answer.sh"),
        r#"sed -i "s/^answer: ''$/answer: |\n  SYN → SYN-ACK → ACK./" "$1""#,
    );
    sb.kb(&kb)
        .args(["edit", &id, "--yaml"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["answer"], "SYN → SYN-ACK → ACK.\n");
    assert_eq!(
        head_message(&kb),
        format!("edit {id}: TCP 3-way handshake를 설명해주세요.")
    );

    // An invalid edit: reported with line and column, nothing written, nothing committed,
    // and the user's text kept.
    let good = std::fs::read(&file).unwrap();
    let commits = commit_count(&kb);
    let breaker = script(
        &sb.path().join("break.sh"),
        r#"printf 'id: %s\nquestion: [unclosed\ntags: []\n' "$(basename "$1" | sed 's/^EDIT-//; s/-[^-]*\.yaml$//')" > "$1""#,
    );
    let out = sb
        .kb(&kb)
        .args(["edit", &id, "--yaml"])
        .env("EDITOR", &breaker)
        .write_stdin("n\n")
        .assert()
        .failure();
    let err = stderr(&out);
    let expected = format!("questions/{id}.yaml:");
    assert!(err.contains(&expected), "{err}");
    assert!(
        err.lines().any(|l| l.contains(&expected)
            && l.split(':')
                .nth(2)
                .is_some_and(|n| n.parse::<usize>().is_ok())),
        "line and column in: {err}"
    );
    assert!(err.contains("Edit again?"), "{err}");
    assert!(err.contains("your edit is kept in"), "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        good,
        "the real file is untouched"
    );
    assert_eq!(commit_count(&kb), commits);
    let kept = err
        .lines()
        .find_map(|l| l.split("your edit is kept in ").nth(1))
        .unwrap()
        .trim();
    assert!(std::fs::read_to_string(kept).unwrap().contains("[unclosed"));

    // Accepting the offer to re-edit: the second editor run fixes it.
    let twice = script(
        &sb.path().join("twice.sh"),
        &format!(
            r#"n=$(cat "{c}" 2>/dev/null || echo 0); echo $((n+1)) > "{c}"
if [ "$n" = 0 ]; then echo 'question: [broken' >> "$1"; else sed -i 's/^question: \[broken$//' "$1"; sed -i 's/^question: .*/question: TCP 3-way handshake 과정은?/' "$1"; fi"#,
            c = sb.path().join("count").display()
        ),
    );
    sb.kb(&kb)
        .args(["edit", &id, "--yaml"])
        .env("EDITOR", &twice)
        .write_stdin("y\n")
        .assert()
        .success();
    let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
    assert_eq!(q["question"], "TCP 3-way handshake 과정은?");
    assert_eq!(commit_count(&kb), commits + 1);
}

#[test]
fn edit_cannot_change_the_id() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["프로세스와 스레드의 차이는?"]);
    let rename = script(
        &sb.path().join("rename.sh"),
        r#"sed -i 's/^id: .*/id: other-id/' "$1""#,
    );
    sb.kb(&kb)
        .args(["edit", &id, "--yaml"])
        .env("EDITOR", &rename)
        .assert()
        .failure()
        .stderr(predicate::str::contains("does not match the file name"));
    assert!(kb.join(format!("questions/{id}.yaml")).is_file());
    assert!(!kb.join("questions/other-id.yaml").exists());
}

#[test]
fn fields_added_by_hand_survive_every_rewrite() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    std::fs::write(
        kb.join("questions/os-deadlock.yaml"),
        "id: os-deadlock\n\
         question: Deadlock의 4가지 조건은?\n\
         difficulty: 3\n\
         tags: [os]\n\
         source:\n  book: 공룡책\n  chapter: 8\n\
         asked:\n- company: 카카오\n  round: 1차 기술면접\n  date: 2026-10-02\n  feeling: 잘 답함\n\
         answer: 상호 배제, 점유 대기, 비선점, 순환 대기\n",
    )
    .unwrap();
    sb.kb(&kb)
        .args(["tag", "os-deadlock", "+concurrency"])
        .assert()
        .success();
    let text = std::fs::read_to_string(kb.join("questions/os-deadlock.yaml")).unwrap();
    for kept in [
        "difficulty: 3",
        "source:",
        "book: 공룡책",
        "chapter: 8",
        "feeling: 잘 답함",
        "company: 카카오",
        "date: 2026-10-02",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-deadlock", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["tags"], serde_json::json!(["concurrency", "os"]));
    assert_eq!(q["extra"]["difficulty"], 3);
    assert_eq!(q["asked"][0]["extra"]["feeling"], "잘 답함");
    // And a second rewrite keeps them too, byte for byte.
    sb.kb(&kb)
        .args(["tag", "os-deadlock", "+x", "-x"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(kb.join("questions/os-deadlock.yaml")).unwrap(),
        text
    );
}

#[test]
fn serialisation_is_deterministic() {
    let sb = Sandbox::new();
    let a = sb.init("a");
    let b = sb.init("b");
    for kb in [&a, &b] {
        sb.kb(kb)
            .args([
                "add",
                "Overfitting을 줄이는 방법은?",
                "--id",
                "ml-overfitting",
                "--tag",
                "ml",
                "--tag",
                "regularization",
                "--answer",
                "- 데이터 추가\n- L2 regularization\n- dropout\n",
            ])
            .env("KB_NOW", "2026-11-28T09:30:00Z")
            .assert()
            .success();
    }
    let read =
        |kb: &std::path::Path| std::fs::read(kb.join("questions/ml-overfitting.yaml")).unwrap();
    assert_eq!(read(&a), read(&b));
    let expected = "id: ml-overfitting
question: Overfitting을 줄이는 방법은?
tags:
- ml
- regularization
created: 2026-11-28T09:30:00Z
updated: 2026-11-28T09:30:00Z
answer: |
  - 데이터 추가
  - L2 regularization
  - dropout
";
    assert_eq!(String::from_utf8(read(&a)).unwrap(), expected);
    // Tags given in another order give the same bytes.
    sb.kb(&b)
        .args(["tag", "ml-overfitting", "-ml", "-regularization"])
        .env("KB_NOW", "2026-11-28T09:30:00Z")
        .assert()
        .success();
    sb.kb(&b)
        .args(["tag", "ml-overfitting", "+regularization", "+ml"])
        .env("KB_NOW", "2026-11-28T09:30:00Z")
        .assert()
        .success();
    assert_eq!(String::from_utf8(read(&b)).unwrap(), expected);
}

#[test]
fn hostile_ids_are_rejected_with_a_clear_error() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    std::fs::write(sb.path().join("x.yaml"), "id: x\nquestion: outside\n").unwrap();
    for bad in ["../x", "/etc/passwd", "", "a/../../x", "..", "x\u{0}y"] {
        if bad.contains('\0') {
            continue; // the OS refuses NUL in arguments before kb sees it
        }
        for cmd in [
            vec!["show", bad],
            vec!["edit", bad],
            vec!["rm", bad],
            vec!["add", "q", "--id", bad],
        ] {
            sb.kb(&kb)
                .args(&cmd)
                .env("EDITOR", "true")
                .assert()
                .failure()
                .code(1)
                .stderr(predicate::str::contains("invalid id"));
        }
    }
    assert!(
        sb.path().join("x.yaml").is_file(),
        "nothing outside the KB was touched"
    );
    assert_eq!(commit_count(&kb), 1);
    assert!(
        std::fs::read_dir(kb.join("questions"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn a_broken_file_is_reported_with_line_and_the_rest_keeps_working() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let good = sb.add(&kb, &["HTTP와 HTTPS의 차이는?", "--tag", "network"]);
    std::fs::write(
        kb.join("questions/q-broken.yaml"),
        "id: q-broken\nquestion: 쿠키와 세션의 차이는?\ntags:\n- network\n  - oops: [\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("questions/q-wrongtype.yaml"),
        "id: q-wrongtype\nquestion: x\ntags:\n  a: b\n",
    )
    .unwrap();
    std::fs::write(kb.join("questions/notes.yml"), "id: notes\n").unwrap();

    let check = sb.kb(&kb).arg("check").assert().failure().code(1);
    let out = stdout(&check);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("questions/q-broken.yaml:5:")),
        "broken file with its line: {out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}/questions/q-wrongtype.yaml:4:", kb.display()))),
        "wrong type with its line: {out}"
    );
    assert!(out.contains("notes.yml"), "{out}");

    let json_check = json(&sb.kb(&kb).args(["check", "--json"]).assert().failure());
    assert_eq!(json_check["problems"].as_array().unwrap().len(), 3);

    // Other commands keep working on the rest, warning once.
    let list = sb.kb(&kb).args(["list"]).assert().success();
    assert!(stdout(&list).contains(&good));
    let warn = stderr(&list);
    assert_eq!(warn.matches("warning:").count(), 1, "{warn}");
    assert!(warn.contains("q-broken.yaml"), "{warn}");
    sb.kb(&kb).args(["show", &good]).assert().success();
    sb.add(&kb, &["DNS는 어떻게 동작하나요?"]);
    sb.kb(&kb)
        .args(["tag", "--tag", "network", "+web"])
        .assert()
        .success();
    // The broken file is left exactly as it was.
    assert!(
        std::fs::read_to_string(kb.join("questions/q-broken.yaml"))
            .unwrap()
            .ends_with("oops: [\n")
    );
}

#[test]
fn non_utf8_bytes_are_located() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    std::fs::write(
        kb.join("questions/q-bytes.yaml"),
        b"id: q-bytes\nquestion: ab\xff\n",
    )
    .unwrap();
    let check = sb.kb(&kb).arg("check").assert().failure();
    assert!(
        stdout(&check).contains("questions/q-bytes.yaml:2:13: the file is not valid UTF-8"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn works_without_a_git_identity() {
    let sb = Sandbox::without_identity();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["Git identity 없이도 커밋되나요?"]);
    let repo = git2::Repository::open(&kb).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.author().name().unwrap(), "kb");
    assert_eq!(head.author().email().unwrap(), "kb@localhost");
    assert!(head.message().unwrap().starts_with(&format!("add {id}")));
}

#[test]
fn a_commit_with_the_fallback_identity_says_once_per_repository_how_to_set_one() {
    let sb = Sandbox::without_identity();
    let first = sb.path().join("first");
    let init = sb
        .kb_in(sb.path())
        .arg("init")
        .arg(&first)
        .assert()
        .success();
    let said = stderr(&init);
    assert!(said.contains("hint: git has no user.name"), "{said}");
    assert!(said.contains("git config --global user.email"), "{said}");
    assert!(first.join(".git/kb/identity-hint-given").exists());
    // Not again in the same repository, with or without --json.
    for json in [false, true] {
        let mut cmd = sb.kb(&first);
        if json {
            cmd.arg("--json");
        }
        let add = cmd
            .args(["add", "두 번째 커밋도 힌트를 주나요?"])
            .assert()
            .success();
        assert!(!stderr(&add).contains("hint:"), "{}", stderr(&add));
    }
    // A second repository is told once too.
    let second = sb.path().join("second");
    let init = sb
        .kb_in(sb.path())
        .arg("init")
        .arg(&second)
        .assert()
        .success();
    assert!(stderr(&init).contains("hint: git has no user.name"));

    // With an identity, nothing is said and nothing is remembered.
    let sb = Sandbox::new();
    let kb = sb.path().join("bank");
    let init = sb.kb_in(sb.path()).arg("init").arg(&kb).assert().success();
    assert!(!stderr(&init).contains("hint:"), "{}", stderr(&init));
    assert!(!kb.join(".git/kb/identity-hint-given").exists());
}

#[test]
fn a_kb_inside_a_repository_commits_only_its_own_paths() {
    let sb = Sandbox::new();
    let project = sb.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    sb.git(&project, &["init", "-q"]);
    std::fs::write(project.join("README.md"), "hello\n").unwrap();
    std::fs::write(project.join("notes.txt"), "draft\n").unwrap();
    sb.git(&project, &["add", "README.md", "notes.txt"]);
    sb.git(&project, &["commit", "-qm", "first"]);
    // The user's own work in progress: one staged change, one unstaged, one untracked file.
    std::fs::write(project.join("README.md"), "hello, staged\n").unwrap();
    sb.git(&project, &["add", "README.md"]);
    std::fs::write(project.join("notes.txt"), "draft, unstaged\n").unwrap();
    std::fs::write(project.join("scratch.txt"), "untracked\n").unwrap();
    let status_before = sb.git(&project, &["status", "--porcelain"]);

    sb.kb_in(&project).args(["init", "kb"]).assert().success();
    assert!(!project.join("kb/.git").exists(), "no nested repository");
    // Found by walking up from a sub-folder.
    let sub = project.join("kb/questions");
    let out = sb
        .kb_in(&sub)
        .args(["add", "Python GIL이란?"])
        .assert()
        .success();
    let id = stdout(&out).trim().to_string();
    assert_eq!(
        head_changed_paths(&project),
        vec![format!("kb/questions/{id}.yaml")]
    );
    assert_eq!(
        sb.git(&project, &["status", "--porcelain"]),
        status_before,
        "user's changes untouched"
    );
    assert_eq!(sb.git(&project, &["show", "HEAD:README.md"]), "hello\n");
    assert_eq!(
        std::fs::read_to_string(project.join("notes.txt")).unwrap(),
        "draft, unstaged\n"
    );
}

#[test]
fn the_knowledge_base_is_found_by_flag_env_walking_up_or_not_at_all() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["L1과 L2 regularization의 차이는?"]);
    // KB_DIR
    sb.kb_in(sb.path())
        .env("KB_DIR", &kb)
        .args(["show", &id])
        .assert()
        .success();
    // Walking up from a sub-folder.
    sb.kb_in(&kb.join("questions"))
        .args(["show", &id])
        .assert()
        .success();
    // --kb wins over KB_DIR.
    let other = sb.init("other");
    sb.kb_in(sb.path())
        .env("KB_DIR", &kb)
        .arg("--kb")
        .arg(&other)
        .args(["show", &id])
        .assert()
        .failure();
    // None at all: a clear message that says how to create one.
    let nowhere = sb.path().join("nowhere");
    std::fs::create_dir_all(&nowhere).unwrap();
    sb.kb_in(&nowhere).arg("list").assert().failure().stderr(
        predicate::str::contains("no knowledge base found")
            .and(predicate::str::contains("kb init")),
    );
    // The per-user default (XDG data dir) is used when nothing else names one.
    let default = sb.home.join(".local/share/kb");
    sb.kb_in(sb.path())
        .arg("init")
        .arg(&default)
        .assert()
        .success();
    sb.kb_in(&nowhere)
        .args(["add", "기본 KB에 들어가나요?"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_dir(default.join("questions"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn ids_resolve_by_unambiguous_prefix() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["첫 질문", "--id", "net-tcp-handshake"]);
    sb.add(&kb, &["둘째 질문", "--id", "net-tls"]);
    let out = sb
        .kb(&kb)
        .args(["show", "net-tc", "--json"])
        .assert()
        .success();
    assert_eq!(json(&out)["id"], "net-tcp-handshake");
    sb.kb(&kb)
        .args(["show", "net-t"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("ambiguous").and(predicate::str::contains("net-tls")));
    sb.kb(&kb)
        .args(["add", "dup", "--id", "net-tls"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn bulk_tagging_selects_by_tag_and_project_in_one_commit() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let a = sb.add(
        &kb,
        &["PyTorch DataLoader의 num_workers는?", "--tag", "pytorch"],
    );
    let b = sb.add(&kb, &["autograd는 어떻게 동작하나요?", "--tag", "pytorch"]);
    let c = sb.add(&kb, &["프로젝트 목적은?", "--project", "ocr-serving"]);
    let other = sb.add(&kb, &["TCP와 UDP의 차이는?", "--tag", "network"]);
    let before = commit_count(&kb);
    sb.kb(&kb)
        .args(["tag", "--tag", "pytorch", "+deep-learning"])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), before + 1);
    assert!(head_message(&kb).starts_with("tag 2 questions: +deep-learning"));
    sb.kb(&kb)
        .args([
            "tag",
            "--project",
            "ocr-serving",
            &other,
            "+review",
            "-network",
        ])
        .assert()
        .success();
    let rows = json(
        &sb.kb(&kb)
            .args(["list", "--json", "--tag", "deep-learning"])
            .assert()
            .success(),
    );
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&a.as_str()) && ids.contains(&b.as_str()));
    let rows = json(
        &sb.kb(&kb)
            .args(["list", "--json", "--tag", "review"])
            .assert()
            .success(),
    );
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&c.as_str()) && ids.contains(&other.as_str()));
    let q = json(
        &sb.kb(&kb)
            .args(["show", &other, "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["tags"], serde_json::json!(["review"]));
    // Tag names are checked.
    sb.kb(&kb)
        .args(["tag", &a, "+bad,tag"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("invalid tag"));
    sb.kb(&kb)
        .args(["tag", &a])
        .assert()
        .failure()
        .stderr(predicate::str::contains("+tag"));
}

#[test]
fn rm_resolves_every_id_before_removing_anything() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let a = sb.add(&kb, &["첫째"]);
    let b = sb.add(&kb, &["둘째"]);
    let before = commit_count(&kb);
    sb.kb(&kb)
        .args(["rm", &a, "q-doesnotexist"])
        .assert()
        .failure();
    assert!(kb.join(format!("questions/{a}.yaml")).is_file());
    assert_eq!(commit_count(&kb), before);
    sb.kb(&kb).args(["rm", &a, &b]).assert().success();
    assert_eq!(commit_count(&kb), before + 1);
    assert!(head_message(&kb).starts_with("rm 2 questions"));
}

#[test]
fn list_fits_the_terminal_width() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(
        &kb,
        &[
            "추론 최적화는 어떻게 진행했나요? 기존 서비스 속도와 개선 후 속도를 함께 말해 주세요.",
            "--tag",
            "inference",
            "--tag",
            "project-tech",
        ],
    );
    sb.add(&kb, &["Batch Normalization과 Layer Normalization의 차이는 무엇이고 Transformer에서는 왜 LayerNorm을 쓰나요?", "--tag", "deep-learning"]);
    for width in [50usize, 80, 120] {
        let out = sb
            .kb(&kb)
            .arg("list")
            .env("COLUMNS", width.to_string())
            .assert()
            .success();
        let text = stdout(&out);
        assert!(text.contains("ID"), "{text}");
        for line in text.lines() {
            let w = unicode_width::UnicodeWidthStr::width(line);
            assert!(w <= width, "line of width {w} > {width}: {line:?}");
        }
    }
}

#[test]
fn colours_follow_the_terminal_and_no_color() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["색이 나오나요?", "--tag", "ui"]);
    let always = sb
        .kb(&kb)
        .args(["--color", "always", "show", &id])
        .assert()
        .success();
    assert!(stdout(&always).contains('\u{1b}'));
    let never = sb
        .kb(&kb)
        .args(["--color", "never", "show", &id])
        .assert()
        .success();
    assert!(!stdout(&never).contains('\u{1b}'));

    // On a real terminal (a pty from `script`), colour is on unless NO_COLOR is set.
    if !pty_available() {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("kb");
    let run_in_pty = |no_color: bool| {
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec"])
            .arg(format!("{} --kb {} list", bin.display(), kb.display()))
            .arg("/dev/null")
            .env("HOME", &sb.home)
            .env("TERM", "xterm")
            .env("COLUMNS", "100")
            // Colours straight to the terminal: the pager has its own tests (pager.rs).
            .env("KB_PAGER", "cat")
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    let coloured = run_in_pty(false);
    assert!(coloured.contains(&id), "{coloured}");
    assert!(
        coloured.contains('\u{1b}'),
        "colour on a terminal: {coloured:?}"
    );
    let plain = run_in_pty(true);
    assert!(plain.contains(&id), "{plain}");
    assert!(!plain.contains("\u{1b}["), "NO_COLOR honoured: {plain:?}");
}

#[test]
fn kb_git_runs_git_in_the_knowledge_base() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["git log에 보이나요?"]);
    let out = sb
        .kb(&kb)
        .args(["git", "log", "--format=%s"])
        .assert()
        .success();
    assert!(stdout(&out).starts_with(&format!("add {id}: git log에 보이나요?")));
    sb.kb(&kb)
        .args(["git", "rev-parse", "--verify", "no-such-ref"])
        .assert()
        .failure();
}

#[test]
fn help_documents_every_command() {
    let sb = Sandbox::new();
    let out = sb.kb_in(sb.path()).arg("--help").assert().success();
    let text = stdout(&out);
    for cmd in [
        "init", "add", "show", "list", "edit", "tag", "rm", "check", "git",
    ] {
        assert!(text.contains(cmd), "{cmd} missing from --help");
    }
    sb.kb_in(sb.path())
        .args(["add", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("$EDITOR"));
    // Usage errors exit 2.
    sb.kb_in(sb.path())
        .args(["list", "--no-such-flag"])
        .assert()
        .code(2);
}

/// A list too long for the table layout is streamed: every question on one line, in id order,
/// no line wider than the terminal, and the same questions `--json` gives.
#[test]
fn a_long_list_is_streamed_one_line_a_question_and_fits_the_width() {
    use unicode_width::UnicodeWidthStr;
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    let n = 2100;
    for i in 0..n {
        let tags = if i % 3 == 0 {
            "[운영체제, 네트워크-프로그래밍, very-long-tag-name-for-width]"
        } else {
            "[ml]"
        };
        std::fs::write(
            kb.join(format!("questions/long-{i:05}.yaml")),
            format!(
                "id: long-{i:05}\nquestion: 긴 목록 질문 {i}번 — 가상 메모리와 페이지 교체 알고리즘을 설명해주세요\ntags: {tags}\nanswer: |\n  답 {i}\n"
            ),
        )
        .unwrap();
    }
    sb.git(&kb, &["add", "questions"]);
    sb.git(&kb, &["commit", "-qm", "many questions"]);

    let text = stdout(
        &sb.kb(&kb)
            .arg("list")
            .env("COLUMNS", "72")
            .assert()
            .success(),
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n + 1, "a header and one line a question");
    assert!(lines[0].starts_with("ID") && lines[0].contains("Question"));
    for (i, line) in lines[1..].iter().enumerate() {
        assert!(
            line.starts_with(&format!("long-{i:05} ")),
            "line {i}: {line}"
        );
        assert!(line.width() <= 72, "too wide ({}): {line}", line.width());
        assert!(line.ends_with('✓'), "{line}");
    }
    assert!(
        lines[1].contains('…'),
        "the question is cut to fit: {}",
        lines[1]
    );

    // Without a width nothing is cut.
    let wide = stdout(
        &sb.kb(&kb)
            .arg("list")
            .env_remove("COLUMNS")
            .assert()
            .success(),
    );
    assert!(wide.contains("긴 목록 질문 7번 — 가상 메모리와 페이지 교체 알고리즘을 설명해주세요"));
    assert!(wide.contains("very-long-tag-name-for-width"));

    let rows = json(&sb.kb(&kb).args(["list", "--json"]).assert().success());
    assert_eq!(rows.as_array().unwrap().len(), n);
}

/// Ctrl-C or a kill at "Edit again?": the file is untouched, the edit is kept, and
/// `kb edit ID --resume` goes on with it.
#[test]
fn an_interrupted_edit_is_kept_and_goes_on_with_resume() {
    for signal in [libc::SIGINT, libc::SIGKILL] {
        let sb = Sandbox::new();
        let kb = sb.init("bank");
        let id = sb.add(&kb, &["TCP 3-way handshake를 설명해주세요."]);
        let file = kb.join(format!("questions/{id}.yaml"));
        let good = std::fs::read(&file).unwrap();
        let breaker = script(
            &sb.path().join("break.sh"),
            r#"sed -i 's/^question: .*/question: [zebra unclosed/' "$1""#,
        );
        let mut cmd = sb.kb_process(sb.path());
        cmd.env("EDITOR", &breaker)
            .arg("--kb")
            .arg(&kb)
            .args(["edit", &id, "--yaml"]);
        let live = Live::start(cmd, false);
        live.wait_for("Edit again?", 1);
        live.signal(signal);
        let (status, err) = live.finish();
        assert!(!status.success());
        if signal == libc::SIGINT {
            assert_eq!(status.code(), Some(130), "{err}");
            assert!(err.contains(&format!("kb edit {id} --resume")), "{err}");
        }
        assert_eq!(std::fs::read(&file).unwrap(), good);
        let kept = drafts(&kb);
        assert_eq!(kept.len(), 1);
        assert!(std::fs::read_to_string(&kept[0]).unwrap().contains("zebra"));

        // A new `kb edit` says the unfinished one is there; --resume opens it and fixes it.
        let fix = script(
            &sb.path().join("fix.sh"),
            r#"sed -i 's/^question: \[zebra unclosed$/question: TCP 3-way handshake 과정은?/' "$1""#,
        );
        let out = sb
            .kb(&kb)
            .args(["edit", &id, "--resume", "--yaml"])
            .env("EDITOR", &fix)
            .assert()
            .success();
        assert!(
            stderr(&out).contains("Going on with the edit"),
            "{}",
            stderr(&out)
        );
        let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
        assert_eq!(q["question"], "TCP 3-way handshake 과정은?");
        assert!(drafts(&kb).is_empty());
    }
}

/// A placeholder answer (`(TODO: 답변 추가하기)`, `작성 예정`) counts as no answer in list,
/// stats and prep, and is still shown as written by `show`.
#[test]
fn placeholder_answers_count_as_unanswered() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.kb(&kb)
        .args([
            "add",
            "가상 메모리란?",
            "--id",
            "todo",
            "--answer",
            "(TODO: 답변 추가하기)\n",
        ])
        .assert()
        .success();
    sb.kb(&kb)
        .args([
            "add",
            "데드락이란?",
            "--id",
            "done",
            "--answer",
            "자원을 서로 기다리며 멈춘 상태.\n",
        ])
        .assert()
        .success();
    let rows = json(
        &sb.kb(&kb)
            .args(["list", "--unanswered", "--json"])
            .assert()
            .success(),
    );
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["todo"]);
    let stats = stdout(&sb.kb(&kb).args(["stats"]).assert().success());
    assert!(stats.contains("1 answered, 1 without an answer"), "{stats}");
    let shown = stdout(&sb.kb(&kb).args(["show", "todo"]).assert().success());
    assert!(
        shown.contains("(TODO: 답변 추가하기)") && shown.contains("no answer yet"),
        "{shown}"
    );
}
