//! `kb project rename` and `kb project rm`: a project changed everywhere it is written, in one
//! commit, and never a question lost without being asked for.

use std::path::Path;

use crate::common::*;

/// A bank with the project `ocr` (its template questions), one of them reworded by hand, one
/// answered, and an interview about it.
fn bank(sb: &Sandbox) -> (std::path::PathBuf, Vec<String>) {
    let kb = sb.init("bank");
    let added = json(
        &sb.kb(&kb)
            .args(["--json", "project", "add", "문서 OCR 경량화", "--id", "ocr"])
            .assert()
            .success(),
    );
    let ids: Vec<String> = added["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 5, "{added}");
    // Reword the first by hand, answer the second.
    let first = kb.join(format!("questions/{}.yaml", ids[0]));
    let text = std::fs::read_to_string(&first).unwrap();
    let line = text.lines().find(|l| l.starts_with("question:")).unwrap();
    std::fs::write(
        &first,
        text.replace(line, "question: 'OCR 경량화, 왜 했어요? (내가 다시 씀)'"),
    )
    .unwrap();
    let second = kb.join(format!("questions/{}.yaml", ids[1]));
    let text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(
        &second,
        text.replace(
            "answer: ''",
            "answer: 청구 서류 처리 시간이 길어서 시작했습니다.",
        ),
    )
    .unwrap();
    sb.git(&kb, &["commit", "-qam", "my wording"]);
    sb.kb(&kb)
        .args([
            "interview",
            "add",
            "-c",
            "카카오",
            "--project",
            "ocr",
            "--yes",
            "--no-dedupe",
            "양자화는 어떻게 했나요?",
        ])
        .assert()
        .success();
    (kb, ids)
}

fn field(kb: &Path, id: &str, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(kb.join(format!("questions/{id}.yaml"))).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(|v| v.trim_matches('\'').to_string())
}

fn answer(sb: &Sandbox, kb: &Path, id: &str) -> String {
    let shown = json(&sb.kb(kb).args(["--json", "show", id]).assert().success());
    shown["answer"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_rename_rewords_the_template_questions_and_moves_every_link() {
    let sb = Sandbox::new();
    let (kb, ids) = bank(&sb);
    let commits = commit_count(&kb);
    let out = json(
        &sb.kb(&kb)
            .args([
                "--json",
                "project",
                "rename",
                "ocr",
                "--name",
                "문서 OCR 서빙 최적화",
                "--id",
                "doc-ocr",
            ])
            .assert()
            .success(),
    );
    assert_eq!(commit_count(&kb), commits + 1, "one commit");
    assert!(
        head_message(&kb).starts_with("project rename ocr → doc-ocr"),
        "{}",
        head_message(&kb)
    );
    assert!(!kb.join("projects/ocr.yaml").exists());
    let project = std::fs::read_to_string(kb.join("projects/doc-ocr.yaml")).unwrap();
    assert!(project.contains("문서 OCR 서빙 최적화"), "{project}");
    // The template's wording follows the name; the hand-written one is kept and named.
    assert_eq!(out["kept_wording"], serde_json::json!([ids[0]]), "{out}");
    for id in &ids[1..] {
        let q = field(&kb, id, "question").unwrap();
        assert!(q.contains("문서 OCR 서빙 최적화"), "{id}: {q}");
        assert!(!q.contains("문서 OCR 경량화 프로젝트"), "{id}: {q}");
    }
    assert!(
        field(&kb, &ids[0], "question")
            .unwrap()
            .contains("내가 다시 씀")
    );
    // Every link names the new id: the questions (the asked one too) and the interview.
    for id in &ids {
        assert_eq!(
            field(&kb, id, "project").as_deref(),
            Some("doc-ocr"),
            "{id}"
        );
    }
    let listed = stdout(
        &sb.kb(&kb)
            .args(["list", "--project", "doc-ocr"])
            .assert()
            .success(),
    );
    assert!(listed.contains("양자화"), "{listed}");
    let interviews = std::fs::read_dir(kb.join("interviews")).unwrap();
    for i in interviews {
        let text = std::fs::read_to_string(i.unwrap().path()).unwrap();
        assert!(text.contains("project: doc-ocr"), "{text}");
    }
    // The answer is where it was, and the bank is consistent.
    assert!(answer(&sb, &kb, &ids[1]).contains("청구 서류"));
    sb.kb(&kb).args(["check"]).assert().success();
    // The same rename again changes nothing.
    sb.kb(&kb)
        .args([
            "project",
            "rename",
            "doc-ocr",
            "--name",
            "문서 OCR 서빙 최적화",
        ])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), commits + 1);
    // An id that is taken is refused, and nothing is written.
    sb.kb(&kb)
        .args(["project", "add", "검색", "--id", "search"])
        .assert()
        .success();
    let before = commit_count(&kb);
    let taken = sb
        .kb(&kb)
        .args(["project", "rename", "doc-ocr", "--id", "search"])
        .assert()
        .failure();
    assert!(
        stderr(&taken).contains("exists already"),
        "{}",
        stderr(&taken)
    );
    assert_eq!(commit_count(&kb), before);
    assert!(kb.join("projects/doc-ocr.yaml").exists());
}

#[test]
fn a_project_is_removed_with_its_questions_or_without_them_and_only_when_told_which() {
    let sb = Sandbox::new();
    let (kb, ids) = bank(&sb);
    let commits = commit_count(&kb);
    // Neither flag: refused with what to choose.
    let neither = sb.kb(&kb).args(["project", "rm", "ocr"]).assert().code(2);
    assert!(
        stderr(&neither).contains("--keep-questions"),
        "{}",
        stderr(&neither)
    );
    assert_eq!(commit_count(&kb), commits);

    // Kept: the questions stay, with no project; the interview's link is cut.
    let copy = sb.path().join("copy");
    sb.git(
        sb.path(),
        &["clone", "-q", kb.to_str().unwrap(), copy.to_str().unwrap()],
    );
    let kept = json(
        &sb.kb(&copy)
            .args(["--json", "project", "rm", "ocr", "--keep-questions"])
            .assert()
            .success(),
    );
    assert_eq!(
        kept["kept"].as_array().unwrap().len(),
        ids.len() + 1,
        "{kept}"
    );
    assert!(!copy.join("projects/ocr.yaml").exists());
    for id in &ids {
        assert!(copy.join(format!("questions/{id}.yaml")).exists());
        assert_eq!(field(&copy, id, "project"), None, "{id}");
    }
    sb.kb(&copy).args(["check"]).assert().success();

    // Removed with them: gone in one commit, the answered and asked ones named, and the commit
    // can be reverted.
    let removed = sb
        .kb(&kb)
        .args(["project", "rm", "ocr", "--with-questions"])
        .assert()
        .success();
    let err = stderr(&removed);
    assert_eq!(commit_count(&kb), commits + 1);
    assert!(err.contains(&ids[1]), "the answered one is named: {err}");
    assert!(err.contains("git revert"), "{err}");
    for id in &ids {
        assert!(!kb.join(format!("questions/{id}.yaml")).exists(), "{id}");
    }
    sb.kb(&kb).args(["check"]).assert().success();
    sb.git(&kb, &["revert", "--no-edit", "HEAD"]);
    assert!(kb.join("projects/ocr.yaml").exists());
    assert!(answer(&sb, &kb, &ids[1]).contains("청구 서류"));
}
