//! Forgiving names: an id, tag, project or company that names nothing is said to name nothing,
//! with the closest names (`did you mean`); companies match without case or script, and through
//! aliases (kb.yaml's `companies:` and the well-known ones kb ships with).

use crate::common::{Sandbox, commit_count, sample_copy, stderr, stdout};

/// The sample bank, with interviews at 카카오 (written two ways) and 네이버.
fn bank_with_interviews(sb: &Sandbox) -> std::path::PathBuf {
    let kb = sample_copy(sb);
    for (company, date, question) in [
        ("카카오", "2026-11-20", "TCP와 UDP 차이?"),
        ("Kakao Corp.", "2026-11-21", "드롭아웃 설명해주세요"),
        ("네이버", "2026-11-22", "가상 메모리란?"),
    ] {
        sb.kb(&kb)
            .args(["interview", "add", "--company", company, "--date", date])
            .arg(question)
            .arg("--yes")
            .assert()
            .success();
    }
    kb
}

#[test]
fn an_unknown_id_offers_the_closest_ids_and_the_questions_a_search_finds() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let out = sb.kb(&kb).args(["show", "dl-droput"]).assert().failure();
    let err = stderr(&out);
    assert!(err.contains("no question with id \"dl-droput\""), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    assert!(
        err.contains("  dl-dropout  Dropout"),
        "the id and its question: {err}"
    );

    // Words of the question instead of an id (not even a valid id): the search's best hit.
    let out = sb.kb(&kb).args(["show", "드롭아웃"]).assert().failure();
    let err = stderr(&out);
    assert!(err.contains("no question with id \"드롭아웃\""), "{err}");
    assert!(
        err.lines().nth(1).is_some_and(|l| l.contains("dl-dropout")),
        "{err}"
    );

    // rm and merge say the same, and remove nothing.
    let before = commit_count(&kb);
    let out = sb.kb(&kb).args(["rm", "dl-droput"]).assert().failure();
    assert!(stderr(&out).contains("dl-dropout"), "{}", stderr(&out));
    let out = sb
        .kb(&kb)
        .args(["merge", "dl-dropout", "algo-big-oh"])
        .assert()
        .failure();
    assert!(stderr(&out).contains("algo-big-o "), "{}", stderr(&out));
    assert_eq!(commit_count(&kb), before);

    // Nothing close: no suggestion, but where to look.
    let out = sb.kb(&kb).args(["show", "zzqx-wvvy"]).assert().failure();
    let err = stderr(&out);
    assert!(!err.contains("did you mean"), "{err}");
    assert!(err.contains("kb list"), "{err}");
}

#[test]
fn an_unknown_project_is_said_so_not_an_empty_drill() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    for cmd in [
        vec!["drill", "--project", "orc", "-n", "1"],
        vec!["plan", "--until", "2027-01-10", "--project", "orc"],
        vec!["list", "--project", "orc"],
        vec!["search", "캐시", "--project", "orc"],
        vec!["mock", "--project", "orc"],
        vec!["prep", "--project", "orc"],
    ] {
        let out = sb.kb(&kb).args(&cmd).write_stdin("").assert().failure();
        let err = stderr(&out);
        assert!(err.contains("no project \"orc\""), "{cmd:?}: {err}");
        assert!(err.contains("did you mean ocr-serving?"), "{cmd:?}: {err}");
        assert!(!err.contains("No questions"), "{cmd:?}: {err}");
    }
    // A project's name, an id prefix, different case: the project.
    let listed = stdout(
        &sb.kb(&kb)
            .args(["list", "--project", "OCR-serving"])
            .assert()
            .success(),
    );
    assert!(listed.contains("ocr-serving-"), "{listed}");
    let listed = stdout(
        &sb.kb(&kb)
            .args(["list", "--project", "ocr"])
            .assert()
            .success(),
    );
    assert!(listed.contains("ocr-serving-"), "{listed}");
}

#[test]
fn an_unknown_tag_names_the_close_ones_and_a_new_tag_gets_a_note() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    for cmd in [
        vec!["list", "--tag", "dropuot"],
        vec!["search", "overfitting", "--tag", "dropuot"],
        vec!["drill", "--tag", "dropuot"],
        vec!["export", "--format", "md", "--tag", "dropuot"],
    ] {
        let out = sb.kb(&kb).args(&cmd).write_stdin("").assert().failure();
        let err = stderr(&out);
        assert!(
            err.contains("no question is tagged \"dropuot\"; did you mean dropout?"),
            "{cmd:?}: {err}"
        );
    }
    // Known tags still filter.
    let listed = stdout(
        &sb.kb(&kb)
            .args(["list", "--tag", "dropout"])
            .assert()
            .success(),
    );
    assert!(listed.contains("dl-dropout"), "{listed}");

    // Adding a tag close to one in use is allowed, with a note; an unrelated new tag is quiet.
    let out = sb
        .kb(&kb)
        .args(["tag", "dl-dropout", "+regularisation", "+interview-2026"])
        .assert()
        .success();
    let err = stderr(&out);
    assert!(
        err.contains("regularisation is a new tag; did you mean regularization?"),
        "{err}"
    );
    assert!(!err.contains("interview-2026 is a new tag"), "{err}");
}

#[test]
fn companies_match_without_case_or_script_and_through_aliases() {
    let sb = Sandbox::new();
    let kb = bank_with_interviews(&sb);
    // `Kakao Corp.` is one of the names kb knows for 카카오: recorded as the bank writes it.
    let iv = stdout(&sb.kb(&kb).args(["interview", "list"]).assert().success());
    assert_eq!(iv.matches("카카오").count(), 2, "{iv}");
    assert!(!iv.contains("Kakao Corp."), "{iv}");

    for spelled in ["kakao", "KAKAO", "카카오", "(주)카카오"] {
        let listed = stdout(
            &sb.kb(&kb)
                .args(["list", "--company", spelled])
                .assert()
                .success(),
        );
        assert!(listed.contains("net-tcp-vs-udp"), "{spelled}: {listed}");
        assert!(listed.contains("dl-dropout"), "{spelled}: {listed}");
        assert!(!listed.contains("os-virtual-memory"), "{spelled}: {listed}");
    }
    let found = stdout(
        &sb.kb(&kb)
            .args(["search", "TCP", "--company", "kakao"])
            .assert()
            .success(),
    );
    assert!(found.contains("net-tcp-vs-udp"), "{found}");

    // A slip: an error that offers the company, for filters...
    let out = sb
        .kb(&kb)
        .args(["stats", "-c", "카카어"])
        .assert()
        .failure();
    let err = stderr(&out);
    assert!(err.contains("no interview at \"카카어\""), "{err}");
    assert!(err.contains("did you mean 카카오?"), "{err}");
    let out = sb.kb(&kb).args(["drill", "-c", "kakoa"]).assert().failure();
    assert!(
        stderr(&out).contains("did you mean 카카오?"),
        "{}",
        stderr(&out)
    );
    // ... and a note for the company one is about to meet (it may be new).
    let out = sb
        .kb(&kb)
        .args(["prep", "--company", "네이바"])
        .assert()
        .success();
    assert!(
        stderr(&out).contains("no interview at \"네이바\" yet; did you mean 네이버?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_users_aliases_in_kb_yaml_join_names_kb_does_not_know() {
    let sb = Sandbox::new();
    let kb = bank_with_interviews(&sb);
    // Without an alias, `Daum` is another company.
    let out = sb
        .kb(&kb)
        .args(["list", "--company", "daum"])
        .assert()
        .failure();
    assert!(
        stderr(&out).contains("no interview at \"daum\""),
        "{}",
        stderr(&out)
    );

    let config = kb.join("kb.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("companies:\n  카카오: [daum, 다음카카오]\n");
    std::fs::write(&config, &text).unwrap();
    let listed = stdout(
        &sb.kb(&kb)
            .args(["list", "--company", "Daum"])
            .assert()
            .success(),
    );
    assert!(listed.contains("net-tcp-vs-udp"), "{listed}");
    let listed = stdout(
        &sb.kb(&kb)
            .args(["list", "--company", "다음 카카오"])
            .assert()
            .success(),
    );
    assert!(listed.contains("dl-dropout"), "{listed}");

    // A new interview under the alias is recorded under the bank's name.
    let out = sb
        .kb(&kb)
        .args([
            "interview",
            "add",
            "-c",
            "daum",
            "--date",
            "2026-11-25",
            "CNN 설명",
            "--yes",
        ])
        .assert()
        .success();
    assert!(stderr(&out).contains("Company: 카카오"), "{}", stderr(&out));

    // A malformed `companies:` is an error that says where.
    std::fs::write(
        &config,
        text.replace("카카오: [daum, 다음카카오]", "- daum"),
    )
    .unwrap();
    let out = sb.kb(&kb).args(["list"]).assert().failure();
    let err = stderr(&out);
    assert!(err.contains("kb.yaml"), "{err}");
    assert!(err.contains("companies:"), "{err}");
}
