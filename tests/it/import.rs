//! `kb import`: the shapes real notes come in, one commit, no duplicates on re-import.

use std::path::{Path, PathBuf};

use crate::common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn questions(sb: &Sandbox, kb: &Path) -> Vec<serde_json::Value> {
    let rows = json(&sb.kb(kb).args(["list", "--json"]).assert().success());
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json(
                &sb.kb(kb)
                    .args(["show", r["id"].as_str().unwrap(), "--json"])
                    .assert()
                    .success(),
            )
        })
        .collect()
}

fn by_question<'a>(qs: &'a [serde_json::Value], text: &str) -> &'a serde_json::Value {
    qs.iter()
        .find(|q| q["question"] == text)
        .unwrap_or_else(|| {
            panic!(
                "{text:?} not imported; got {:?}",
                qs.iter().map(|q| &q["question"]).collect::<Vec<_>>()
            )
        })
}

#[test]
fn imports_every_shape_in_one_commit_and_keeps_markdown() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let before = commit_count(&kb);
    let out = sb
        .kb(&kb)
        .args(["import", "--json", "--tag", "notes"])
        .arg(fixtures().join("notes-anchored.md"))
        .arg(fixtures().join("notes-mixed.md"))
        .assert()
        .success();
    let summary = json(&out);
    assert_eq!(summary["created"], 9, "{summary}");
    assert_eq!(summary["duplicates"], 0);
    assert_eq!(
        commit_count(&kb),
        before + 1,
        "one commit for the whole import"
    );
    assert!(
        head_message(&kb).starts_with("import 9 questions from 2 files"),
        "{}",
        head_message(&kb)
    );
    assert_eq!(head_changed_paths(&kb).len(), 9);

    let qs = questions(&sb, &kb);
    assert_eq!(qs.len(), 9);
    // Heading behind an anchor: code, links and bold kept; references and TOC dropped.
    let tcp = by_question(&qs, "TCP와 UDP의 차이를 설명해주세요.");
    let answer = tcp["answer"].as_str().unwrap();
    assert!(answer.contains("**연결 지향**"), "{answer}");
    assert!(
        answer.contains("[RFC 793](https://www.rfc-editor.org/rfc/rfc793)"),
        "{answer}"
    );
    assert!(answer.contains("# 주석은 heading이 아니다"), "{answer}");
    assert!(
        !answer.contains("어떤 블로그"),
        "references dropped: {answer}"
    );
    assert!(!answer.contains("---"), "{answer}");
    assert_eq!(
        tcp["imported_from"],
        "fixtures/notes-anchored.md:12#tcp와-udp의-차이를-설명해주세요"
    );
    assert_eq!(
        tcp["tags"],
        serde_json::json!(["notes", "네트워크-면접-노트"])
    );
    let http = by_question(&qs, "HTTP/1.1과 HTTP/2의 차이는?");
    assert!(http["answer"].as_str().unwrap().contains("$O(n)$"));
    assert!(
        !http["answer"].as_str().unwrap().contains("목차로"),
        "navigation dropped"
    );
    // Bold-line questions, a details block.
    let process = by_question(&qs, "프로세스와 스레드의 차이는?");
    assert_eq!(
        process["answer"],
        "프로세스는 독립된 메모리 공간을 갖고, 스레드는 프로세스의 메모리를 공유한다.\n"
    );
    assert_eq!(process["tags"], serde_json::json!(["notes", "운영체제"]));
    assert_eq!(
        by_question(&qs, "Deadlock이 발생하는 4가지 조건은?")["answer"],
        "상호 배제, 점유 대기, 비선점, 순환 대기.\n"
    );
    assert_eq!(
        by_question(&qs, "가상 메모리란 무엇인가요?")["answer"],
        "물리 메모리보다 큰 주소 공간을 페이지 단위로 제공한다.\n"
    );
    // List items with an indented follow-up: questions without answers, tagged by section.
    let follow = by_question(&qs, "체이닝과 오픈 어드레싱의 장단점은?");
    assert_eq!(follow["answer"], "");
    assert_eq!(
        follow["tags"],
        serde_json::json!(["follow-up", "notes", "자료구조"])
    );
    by_question(&qs, "스택과 큐의 차이는?");
    assert!(
        !qs.iter()
            .any(|q| q["question"].as_str().unwrap().contains("질문이 아닙니다"))
    );
    // A list item that is a sentence, not a question, is kept: in its section's own card.
    assert_eq!(
        by_question(&qs, "자료구조")["answer"],
        "- 이 항목은 질문이 아닙니다.\n"
    );
    assert!(
        !qs.iter()
            .any(|q| q["question"].as_str().unwrap().contains("외부 링크"))
    );
}

#[test]
fn importing_again_adds_nothing() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let file = fixtures().join("notes-mixed.md");
    sb.kb(&kb).arg("import").arg(&file).assert().success();
    let commits = commit_count(&kb);
    let again = json(
        &sb.kb(&kb)
            .args(["import", "--json"])
            .arg(&file)
            .assert()
            .success(),
    );
    assert_eq!(again["created"], 0);
    assert_eq!(again["duplicates"], 7);
    assert_eq!(commit_count(&kb), commits, "no empty commit");
    // A question already in the bank with other spacing/punctuation counts as a duplicate too.
    let sb2 = Sandbox::new();
    let kb2 = sb2.init("bank");
    sb2.add(&kb2, &["스택과  큐의 차이는"]);
    let out = json(
        &sb2.kb(&kb2)
            .args(["import", "--json"])
            .arg(&file)
            .assert()
            .success(),
    );
    assert_eq!(out["created"], 6);
    assert_eq!(out["duplicates"], 1);
}

#[test]
fn dry_run_writes_nothing_and_problems_name_the_file() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let commits = commit_count(&kb);
    let out = sb
        .kb(&kb)
        .args(["import", "--dry-run"])
        .arg(fixtures())
        .assert()
        .success();
    let text = stdout(&out);
    assert!(
        text.contains("fixtures/notes-mixed.md:3  프로세스와 스레드의 차이는?"),
        "{text}"
    );
    let err = stderr(&out);
    assert!(err.contains("broken-bytes.md: not UTF-8"), "{err}");
    assert!(
        err.contains("Would import 9 questions from 3 files"),
        "{err}"
    );
    assert_eq!(commit_count(&kb), commits);
    assert_eq!(std::fs::read_dir(kb.join("questions")).unwrap().count(), 0);

    sb.kb(&kb)
        .args(["import", "/nonexistent/notes"])
        .assert()
        .failure();
    let empty = sb.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = sb.kb(&kb).arg("import").arg(&empty).assert().failure();
    assert!(stderr(&out).contains("no Markdown"));
}

#[test]
fn imports_the_public_corpora_with_the_expected_counts() {
    let Some(corpora) = corpora() else { return };
    let expected = [
        ("ai-tech-interview/answers/1-statistics-math.md", 25),
        ("ai-tech-interview/answers/2-machine-learning.md", 29),
        ("ai-tech-interview/answers/3-deep-learning.md", 46),
        ("ai-tech-interview/answers/4-python.md", 71),
        ("ai-tech-interview/answers/5-network.md", 32),
        ("ai-tech-interview/answers/6-operating-system.md", 15),
        ("ai-tech-interview/answers/7-data-structure.md", 19),
        ("ai-tech-interview/answers/8-algorithm.md", 23),
        (
            "ai-tech-interview/answers/statistics-math-distribution.md",
            10,
        ),
        ("datascience-interview-questions/README.md", 290),
    ];
    let sb = Sandbox::new();
    for (file, n) in expected {
        // Each file alone: every `## #N` anchor of ai-tech-interview is one question; the
        // datascience README's list items minus its contents, intro and reference lists (and
        // one item cut off mid-sentence in the source).
        let kb = sb.init(&file.replace('/', "_"));
        let out = json(
            &sb.kb(&kb)
                .args(["import", "--dry-run", "--json"])
                .arg(corpora.join(file))
                .assert()
                .success(),
        );
        assert_eq!(out["created"], n, "{file}: {out}");
        assert_eq!(
            out["problems"].as_array().unwrap().len(),
            0,
            "{file}: {out}"
        );
    }
    // Everything at once: the two collections share 82 questions (the first one's questions
    // were collected from the second), which are kept once.
    let kb = sb.init("all");
    let out = json(
        &sb.kb(&kb)
            .args(["import", "--json"])
            .args(question_collections(&corpora))
            .assert()
            .success(),
    );
    assert_eq!(out["files"], 10);
    assert_eq!(out["created"], 478);
    assert_eq!(out["duplicates"], 82);
    let answered = json(&sb.kb(&kb).args(["list", "--json"]).assert().success())
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["answered"] == true)
        .count();
    assert!(
        answered >= 260,
        "{answered} imported questions have answers"
    );
    sb.kb(&kb).arg("check").assert().success();
}

/// Issue 13's bar, on all four corpora as they are: at least 98% of the content lines come in,
/// every skipped line is named by kind, no line goes nowhere, the summary says the same numbers,
/// and no topic or section comes out with an empty answer.
#[test]
fn every_line_of_the_corpora_is_accounted_for() {
    let Some(corpora) = corpora() else { return };
    for corpus in [
        "ai-tech-interview",
        "datascience-interview-questions",
        "cs-study",
        "technicalnote",
    ] {
        let sb = Sandbox::new();
        let kb = sb.init("kb");
        let src = corpora.join(corpus);
        let plan = json(
            &sb.kb(&kb)
                .args(["import", "--dry-run", "--json"])
                .arg(&src)
                .assert()
                .success(),
        );
        let content = plan["content_lines"].as_u64().unwrap();
        let kept = plan["kept_lines"].as_u64().unwrap();
        let skipped: u64 = plan["skipped"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert!(content > 300, "{corpus}: {content}");
        let share = kept as f64 / (content - skipped) as f64;
        assert!(
            share >= 0.98,
            "{corpus}: {kept} of {} kept",
            content - skipped
        );
        assert_eq!(
            plan["unplaced"].as_array().unwrap().len(),
            0,
            "{corpus}: {}",
            plan["unplaced"]
        );
        assert_eq!(
            kept + skipped,
            content,
            "{corpus}: every line is kept or named"
        );
        for file in plan["plan"].as_array().unwrap() {
            for q in file["questions"].as_array().unwrap() {
                let question = q["question"].as_str().unwrap();
                assert!(
                    !question.contains("**") && !question.starts_with('*'),
                    "{corpus}: emphasis left in {question:?}"
                );
                if q["kind"] != "question" {
                    assert!(
                        q["answer_lines"].as_u64().unwrap() > 0,
                        "{corpus}: {} {question:?} is empty",
                        file["source"]
                    );
                }
            }
        }
        // The summary says the same numbers.
        let out = sb.kb(&kb).arg("import").arg(&src).assert().success();
        let err = stderr(&out);
        let said = format!(
            "{:.1}% of the files' content came in ({kept} of {} lines",
            100.0 * share,
            content - skipped
        );
        assert!(err.contains(&said), "{corpus}: expected {said:?} in\n{err}");
        if skipped > 0 {
            assert!(err.contains("Left out as not content: "), "{err}");
        }
        sb.kb(&kb).arg("check").assert().success();
    }
}

/// The shapes named in the issue, on the notes corpora: topics as written with their whole
/// section, question headings as questions, tags from the heading path, one topic per file.
#[test]
fn notes_come_in_as_notes() {
    let Some(corpora) = corpora() else { return };
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.kb(&kb)
        .arg("import")
        .arg(corpora.join("cs-study"))
        .arg(corpora.join("technicalnote"))
        .assert()
        .success();
    let qs = questions(&sb, &kb);
    let from = |q: &serde_json::Value| q["imported_from"].as_str().unwrap_or("").to_string();
    // A multi-topic README: one question per `##` topic, the answer with its sub-headings.
    let process = by_question(&qs, "프로세스와 스레드");
    assert!(from(process).starts_with("cs-study/contents/operating-system/README.md:22#"));
    let answer = process["answer"].as_str().unwrap();
    assert!(answer.contains("### 스레드 (Thread)"), "{answer}");
    assert!(answer.contains("#### 프로세스 제어 블록"), "{answer}");
    by_question(&qs, "CPU 스케줄링");
    by_question(&qs, "HTTP 와 HTTPS");
    // Tags from the path and the headings above, never a sibling.
    let udp = by_question(&qs, "TCP 와 UDP");
    let tags: Vec<&str> = udp["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"network"), "{tags:?}");
    assert!(!tags.iter().any(|t| t.contains("handshake")), "{tags:?}");
    // One topic per file: the file's title, the whole file as the answer, boilerplate out.
    let kruskal = by_question(&qs, "Kruskal Algorithm");
    assert_eq!(
        from(kruskal),
        "technicalnote/algorithm/Kruskal.md:1#kruskal-algorithm"
    );
    let answer = kruskal["answer"].as_str().unwrap();
    assert!(answer.contains("## Kruskal Algorithm의 흐름"), "{answer}");
    assert!(answer.contains("int Find(int x)"), "{answer}");
    assert!(!answer.contains("avatars"), "{answer}");
    let deadlock = qs
        .iter()
        .filter(|q| from(q).starts_with("technicalnote/operating_system/Deadlock.md"))
        .count();
    assert_eq!(deadlock, 1, "one topic file, one question");
    // Question-shaped headings and `<details>` questions still come in as questions.
    by_question(&qs, "프로세스와 스레드의 차이에 대하여 설명해보세요.");
}

/// Relative images beside the notes are copied into the knowledge base and committed with the
/// questions; links to other imported notes point at their questions; an image that is not
/// there is reported and its link left as written.
#[test]
fn images_are_copied_and_links_between_notes_follow_the_import() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    let notes = sb.path().join("notes");
    std::fs::create_dir_all(notes.join("os/img")).unwrap();
    std::fs::create_dir_all(notes.join("sync")).unwrap();
    let png: Vec<u8> = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0x42,
    ];
    std::fs::write(notes.join("os/img/dead lock.png"), &png).unwrap();
    std::fs::write(
        notes.join("os/Deadlock.md"),
        "# DeadLock\n\n교착 상태 그림: ![그림](./img/dead%20lock.png)\n\n<img src=\"img/dead lock.png\" width=\"300\">\n\n\
         해결은 [세마포어](../sync/Semaphore.md#사용법)로. 없는 그림: ![x](img/none.png)\n",
    )
    .unwrap();
    std::fs::write(
        notes.join("sync/Semaphore.md"),
        "# Semaphore\n\n카운터.\n\n## 사용법\n\nP와 V.\n",
    )
    .unwrap();
    let out = json(
        &sb.kb(&kb)
            .args(["import", "--json"])
            .arg(&notes)
            .assert()
            .success(),
    );
    assert_eq!(
        out["images_copied"],
        serde_json::json!(["assets/notes/os/img/dead lock.png"]),
        "{out}"
    );
    assert_eq!(out["note_links"], 1, "{out}");
    assert_eq!(
        out["images_missing"],
        serde_json::json!(["notes/os/Deadlock.md: img/none.png"])
    );
    // Committed with the questions, byte for byte.
    assert!(head_changed_paths(&kb).contains(&"assets/notes/os/img/dead lock.png".to_string()));
    assert_eq!(
        std::fs::read(kb.join("assets/notes/os/img/dead lock.png")).unwrap(),
        png
    );
    let qs = questions(&sb, &kb);
    let dead = by_question(&qs, "DeadLock");
    let semaphore = by_question(&qs, "Semaphore");
    let answer = dead["answer"].as_str().unwrap();
    assert!(
        answer.contains("![그림](assets/notes/os/img/dead lock.png)"),
        "{answer}"
    );
    assert!(
        answer.contains("<img src=\"assets/notes/os/img/dead lock.png\""),
        "{answer}"
    );
    assert!(
        answer.contains("![x](img/none.png)"),
        "left as written: {answer}"
    );
    assert!(
        answer.contains(&format!(
            "[세마포어](kb:{})",
            semaphore["id"].as_str().unwrap()
        )),
        "{answer}"
    );
    sb.kb(&kb).arg("check").assert().success();
}

/// Ctrl-C while an import writes: kb says the import is journalled and how it goes on, and the
/// next kb command finishes it as one commit holding every question (never half an import).
#[test]
fn ctrl_c_while_writing_an_import_says_what_happens_and_nothing_is_half_done() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    let notes = sb.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    for f in 0..200 {
        let mut text = format!("# 영역 {f}\n\n");
        for q in 0..15 {
            text.push_str(&format!(
                "## {f}번 파일의 질문 {q}은 무엇인가요?\n\n{f}-{q}번의 답.\n\n"
            ));
        }
        std::fs::write(notes.join(format!("n{f}.md")), text).unwrap();
    }
    let journal = kb.join(".git/kb/change.json");
    let mut child = sb
        .kb_process(sb.path())
        .arg("--kb")
        .arg(&kb)
        .arg("import")
        .arg(&notes)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the write phase: the journal is written before the first question file.
    let started = std::time::Instant::now();
    while !journal.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be interrupted; make the input larger"
        );
        assert!(started.elapsed().as_secs() < 60, "no journal after 60 s");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        // It got to the end first: then it is all there already.
        assert_eq!(commit_count(&kb), 2, "{err}");
    } else {
        assert_eq!(out.status.code(), Some(128 + libc::SIGINT), "{err}");
        assert!(
            err.contains("Interrupted while writing 3000 questions")
                && err.contains("the next kb command"),
            "{err}"
        );
        sb.kb(&kb).arg("check").assert().success();
    }
    assert!(!journal.exists());
    assert_eq!(commit_count(&kb), 2, "init and the import, one commit");
    assert_eq!(
        std::fs::read_dir(kb.join("questions")).unwrap().count(),
        3000
    );
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
}
