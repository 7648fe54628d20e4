//! `kb search` end to end: Korean particles and spacing, English stemming, technical tokens,
//! cross-language terms, query syntax, filters, JSON, and an index that stays current.

use std::path::{Path, PathBuf};

use crate::common::*;
use predicates::prelude::*;

/// A bank with questions written for these tests.
fn bank(sb: &Sandbox) -> PathBuf {
    let kb = sb.init("bank");
    let add = |id: &str, q: &str, answer: &str, tags: &[&str]| {
        let mut args = vec!["add", q, "--id", id, "--answer", answer];
        for t in tags {
            args.push("--tag");
            args.push(t);
        }
        sb.kb(&kb).args(&args).assert().success();
    };
    add(
        "curse",
        "차원의 저주에 대해 설명해주세요.",
        "차원이 늘수록 데이터가 희소해진다.",
        &["ml"],
    );
    add(
        "cookie",
        "쿠키(Cookie)와 세션의 차이는?",
        "쿠키는 브라우저에, 세션은 서버에 저장한다.",
        &["network", "web"],
    );
    add(
        "vm",
        "가상 메모리란 무엇인가요?",
        "페이지 단위로 물리 메모리보다 큰 주소 공간을 준다.",
        &["os"],
    );
    add(
        "decorator",
        "What are Decorators in Python?",
        "함수를 감싸 동작을 추가하는 문법.",
        &["python"],
    );
    add(
        "pvalue",
        "p-value를 비전공자에게 설명한다면?",
        "귀무가설이 참일 때 이만큼 극단적인 결과가 나올 확률.",
        &["statistics"],
    );
    add(
        "handshake",
        "TCP 연결 과정을 설명해주세요.",
        "3-way-handshake: SYN, SYN-ACK, ACK 순서로 연결한다.",
        &["network"],
    );
    add(
        "cpp",
        "C++과 Python의 메모리 관리 차이는?",
        "C++은 RAII, Python은 reference counting과 GC.",
        &["python"],
    );
    add(
        "tcpip",
        "TCP/IP 4계층을 설명해주세요.",
        "링크, 인터넷, 전송, 응용 계층.",
        &["network"],
    );
    add(
        "l1",
        "L1과 L2 regularization의 차이는?",
        "L1은 sparse한 가중치를, L2는 작은 가중치를 만든다.",
        &["ml"],
    );
    add(
        "overfit-en",
        "How do you prevent overfitting?",
        "More data, regularization, early stopping.",
        &["ml"],
    );
    add(
        "overfit-ko",
        "Overfitting을 줄이는 방법을 말해주세요.",
        "데이터 증강, dropout.",
        &["deep-learning"],
    );
    add(
        "overfit-syn",
        "과적합이 일어나는 이유는?",
        "모델이 너무 복잡할 때.",
        &["ml"],
    );
    add(
        "gd",
        "Explain gradient descent.",
        "Move against the gradient.",
        &["ml"],
    );
    kb
}

fn search(sb: &Sandbox, kb: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = sb.kb(kb).arg("search").args(args).arg("--json").assert();
    let out = out.get_output();
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
        .as_array()
        .unwrap()
        .clone()
}

fn top(sb: &Sandbox, kb: &Path, query: &str) -> String {
    let hits = search(sb, kb, &[query]);
    hits.first()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn korean_particles_spacing_english_stems_and_technical_tokens() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    for (query, expected) in [
        ("차원의저주", "curse"),
        ("차원의 저주가", "curse"),
        ("쿠키랑", "cookie"),
        ("가상메모리", "vm"),
        ("가상 메모리를", "vm"),
        ("decorator", "decorator"),
        ("DECORATORS", "decorator"),
        ("p-value", "pvalue"),
        ("3-way-handshake", "handshake"),
        ("C++", "cpp"),
        ("TCP/IP", "tcpip"),
        ("L1", "l1"),
    ] {
        assert_eq!(top(&sb, &kb, query), expected, "query {query:?}");
    }
}

#[test]
fn cross_language_terms_come_from_the_glossary_and_synonyms_file() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    assert_eq!(top(&sb, &kb, "경사하강법"), "gd");
    assert_eq!(top(&sb, &kb, "경사 하강법"), "gd");
    // Typed words weigh more than their equivalents: all three overfitting questions are found,
    // the ones that contain the typed word first.
    let ids: Vec<String> = search(&sb, &kb, &["overfitting"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[2], "overfit-syn", "{ids:?}");
    let ids: Vec<String> = search(&sb, &kb, &["과적합"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids[0], "overfit-syn", "{ids:?}");
    assert_eq!(ids.len(), 3, "{ids:?}");

    // The knowledge base's own synonyms.
    assert!(search(&sb, &kb, &["땡땡이론"]).is_empty());
    std::fs::write(
        kb.join("synonyms.txt"),
        "# 우리 팀 용어\n땡땡이론 | curse of dimensionality | 차원의 저주\n",
    )
    .unwrap();
    assert_eq!(top(&sb, &kb, "땡땡이론"), "curse");
}

#[test]
fn phrases_exclusions_filters_and_json() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    // OR of words, best first.
    let hits = search(&sb, &kb, &["TCP", "쿠키"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"cookie") && ids.contains(&"tcpip") && ids.contains(&"handshake"),
        "{ids:?}"
    );
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for h in &hits {
        for field in ["id", "question", "score", "tags", "snippet", "path"] {
            assert!(h.get(field).is_some(), "{field} missing in {h}");
        }
        assert!(Path::new(h["path"].as_str().unwrap()).is_file());
    }
    // -word excludes (also written before other flags), "phrase" must match as written.
    let ids: Vec<String> = search(&sb, &kb, &["TCP", "-handshake"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.contains(&"tcpip".to_string()) && !ids.contains(&"handshake".to_string()),
        "{ids:?}"
    );
    let ids: Vec<String> = search(&sb, &kb, &["\"가상 메모리\""])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["vm"]);
    assert!(search(&sb, &kb, &["\"메모리 가상\""]).is_empty());
    // Filters.
    let ids: Vec<String> = search(&sb, &kb, &["TCP", "쿠키", "--tag", "web"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["cookie"]);
    assert_eq!(search(&sb, &kb, &["overfitting", "--limit", "1"]).len(), 1);
    std::fs::write(
        kb.join("questions/asked.yaml"),
        "id: asked\nquestion: TCP 혼잡 제어는?\nasked:\n- company: Kakao\n  round: 1차\n",
    )
    .unwrap();
    let hits = search(&sb, &kb, &["TCP", "--company", "kakao"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], "asked");
    assert_eq!(hits[0]["asked"], 1);
    sb.kb(&kb)
        .args(["search", "--json", "TCP", "--company", "naver"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no interview at \"naver\""));
    // Snippets come from the answer, as plain text, from the start of the sentence that matched.
    let hits = search(&sb, &kb, &["희소"]);
    assert_eq!(hits[0]["snippet"], "차원이 늘수록 데이터가 희소해진다.");
}

#[test]
fn nothing_found_exits_1_and_bad_queries_say_why() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    sb.kb(&kb)
        .args(["search", "블록체인"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("No questions match"));
    sb.kb(&kb)
        .args(["search", "-tcp"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("at least one word"));
}

#[test]
fn hits_print_question_then_snippet_then_dimmed_id_and_tags_not_a_table() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    sb.kb(&kb)
        .args([
            "add",
            "해시 테이블의 충돌은 어떻게 해결하나요?",
            "--id",
            "hash",
        ])
        .args(["--tag", "ds", "--answer"])
        .arg("먼저 해시 함수를 고릅니다. 충돌이 나면 체이닝으로 같은 버킷에 묶습니다. 끝.")
        .assert()
        .success();
    let plain = stdout(&sb.kb(&kb).args(["search", "체이닝"]).assert().success());
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "해시 테이블의 충돌은 어떻게 해결하나요?",
            // The sentence that holds the match, from its start, indented under the question.
            "  충돌이 나면 체이닝으로 같은 버킷에 묶습니다. 끝.",
            "  hash  #ds",
        ],
        "{plain}"
    );
    assert!(!plain.contains('\u{1b}') && !plain.contains('│') && !plain.contains('|'));
    // Hits are separated by a blank line.
    let two = stdout(&sb.kb(&kb).args(["search", "TCP"]).assert().success());
    assert_eq!(two.matches("\n\n").count(), 1, "{two}");
    let one = stdout(&sb.kb(&kb).args(["search", "쿠키"]).assert().success());
    assert!(one.starts_with("쿠키(Cookie)와 세션의 차이는?\n"), "{one}");
    assert!(one.ends_with("\n  cookie  #network  #web\n"), "{one}");

    let coloured = stdout(
        &sb.kb(&kb)
            .args(["--color", "always", "search", "쿠키"])
            .assert()
            .success(),
    );
    assert!(coloured.contains("\u{1b}[1m\u{1b}[33m쿠키"), "{coloured:?}");
    // The id line is dimmed.
    assert!(coloured.contains("\u{1b}[2mcookie"), "{coloured:?}");

    // On a real terminal (a pty from `script`) the match is highlighted in the snippet too;
    // with NO_COLOR nothing is.
    if !pty_available() {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("kb");
    let run_in_pty = |no_color: bool| {
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec"])
            .arg(format!(
                "{} --kb {} search 체이닝",
                bin.display(),
                kb.display()
            ))
            .arg("/dev/null")
            .env("HOME", &sb.home)
            .env("TERM", "xterm")
            .env("COLUMNS", "100")
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    let tty = run_in_pty(false);
    assert!(
        tty.contains("  충돌이 나면 \u{1b}[1m\u{1b}[33m체이닝\u{1b}[0m으로"),
        "{tty:?}"
    );
    let plain = run_in_pty(true);
    assert!(plain.contains("  충돌이 나면 체이닝으로"), "{plain:?}");
    assert!(!plain.contains("\u{1b}["), "{plain:?}");
}

#[test]
fn a_typo_is_searched_as_its_correction_and_says_did_you_mean() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    sb.kb(&kb)
        .args([
            "add",
            "Transformer 구조를 설명해주세요.",
            "--id",
            "transformer",
        ])
        .args(["--answer", "Self-attention을 쌓은 구조."])
        .assert()
        .success();
    let out = sb
        .kb(&kb)
        .args(["search", "Trnasformer"])
        .assert()
        .success();
    assert!(
        stderr(&out).contains("did you mean \"transformer\"?"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).starts_with("Transformer 구조를 설명해주세요.\n"));
    let hits = search(&sb, &kb, &["Trnasformer"]);
    assert_eq!(hits[0]["id"], "transformer");
    assert_eq!(hits[0]["did_you_mean"], "transformer");
    // First consonants, and a Korean vowel slip.
    assert_eq!(top(&sb, &kb, "ㄱㅅ ㅁㅁㄹ"), "vm");
    assert_eq!(top(&sb, &kb, "가상 매모리"), "vm");
    // --exact turns it off.
    sb.kb(&kb)
        .args(["search", "--exact", "Trnasformer"])
        .assert()
        .code(1);
    // A word as typed found: no correction, no did-you-mean.
    let hits = search(&sb, &kb, &["Transformer"]);
    assert_eq!(hits[0]["did_you_mean"], serde_json::Value::Null);
}

fn index_dir(kb: &Path) -> PathBuf {
    kb.join(".git/kb/index")
}

#[test]
fn the_index_is_a_cache_outside_the_working_tree() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    assert_eq!(top(&sb, &kb, "쿠키"), "cookie");
    assert!(
        index_dir(&kb).join("meta.json").is_file(),
        "index inside the git directory"
    );
    assert_eq!(
        sb.git(&kb, &["status", "--porcelain", "--ignored"]),
        "",
        "nothing in the working tree"
    );
    // Deleted: rebuilt on the next search.
    std::fs::remove_dir_all(index_dir(&kb)).unwrap();
    let out = sb.kb(&kb).args(["search", "쿠키"]).assert().success();
    assert!(
        stderr(&out).contains("Built the search index (13 questions)"),
        "{}",
        stderr(&out)
    );
    // Corrupted: rebuilt too.
    std::fs::write(index_dir(&kb).join("meta.json"), "{ not json").unwrap();
    assert_eq!(top(&sb, &kb, "쿠키"), "cookie");
    // kb reindex rebuilds on demand.
    let out = sb.kb(&kb).args(["reindex", "--json"]).assert().success();
    assert_eq!(json(&out)["questions"], 13);
}

#[test]
fn the_index_follows_kb_writes_hand_edits_and_pulls() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    assert!(search(&sb, &kb, &["트랜잭션"]).is_empty());
    // kb's own writes.
    sb.add(&kb, &["트랜잭션 격리 수준이란?", "--id", "isolation"]);
    assert_eq!(top(&sb, &kb, "트랜잭션"), "isolation");
    sb.kb(&kb).args(["rm", "isolation"]).assert().success();
    assert!(search(&sb, &kb, &["트랜잭션"]).is_empty());
    sb.kb(&kb).args(["tag", "vm", "+paging"]).assert().success();
    assert_eq!(search(&sb, &kb, &["메모리", "--tag", "paging"]).len(), 1);

    // A hand edit in place, not committed.
    let vm = kb.join("questions/vm.yaml");
    let text = std::fs::read_to_string(&vm)
        .unwrap()
        .replace("페이지 단위로", "페이지 단위로 TLB를 거쳐");
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&vm)
        .unwrap();
    std::fs::write(&vm, text).unwrap();
    assert_eq!(top(&sb, &kb, "TLB"), "vm");
    // A new file written by hand.
    std::fs::write(
        kb.join("questions/hand.yaml"),
        "id: hand\nquestion: 힙 정렬의 시간 복잡도는?\n",
    )
    .unwrap();
    assert_eq!(top(&sb, &kb, "힙정렬"), "hand");
    // A broken hand edit drops that question from results with a warning; the rest works.
    std::fs::write(
        kb.join("questions/hand.yaml"),
        "id: hand\nquestion: [broken\n",
    )
    .unwrap();
    let out = sb
        .kb(&kb)
        .args(["search", "힙정렬", "쿠키"])
        .assert()
        .success();
    assert!(
        stderr(&out).contains("questions/hand.yaml:"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("hand "), "{}", stdout(&out));
    std::fs::remove_file(kb.join("questions/hand.yaml")).unwrap();
    // Undoing the hand edit (git rewrites the file) is seen as well.
    sb.git(&kb, &["checkout", "--", "questions/vm.yaml"]);
    assert!(search(&sb, &kb, &["TLB"]).is_empty());

    // A change pulled from another clone.
    let remote = sb.path().join("remote.git");
    sb.git(
        sb.path(),
        &["init", "-q", "--bare", remote.to_str().unwrap()],
    );
    sb.git(&kb, &["remote", "add", "origin", remote.to_str().unwrap()]);
    sb.git(&kb, &["push", "-q", "origin", "HEAD:main"]);
    let other = sb.path().join("other");
    sb.git(
        sb.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    sb.kb(&other)
        .args(["add", "B+Tree 인덱스의 장점은?", "--id", "btree"])
        .assert()
        .success();
    sb.git(&other, &["push", "-q", "origin", "HEAD:main"]);
    assert!(search(&sb, &kb, &["인덱스"]).is_empty());
    sb.git(&kb, &["pull", "-q", "--rebase", "origin", "main"]);
    assert_eq!(top(&sb, &kb, "인덱스"), "btree");
}

/// Every update adds an index segment; kb merges the small ones as they pile up, so a bank
/// that sees many small changes is not searched through one segment per change.
#[test]
fn many_small_updates_do_not_pile_up_index_segments() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let segments = || -> usize {
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(index_dir(&kb).join("meta.json")).unwrap(),
        )
        .unwrap();
        meta["segments"].as_array().unwrap().len()
    };
    search(&sb, &kb, &["TCP"]);
    let before = segments();
    for i in 0..40 {
        sb.kb(&kb)
            .args([
                "add",
                &format!("세그먼트 병합 확인 질문 {i}번"),
                "--id",
                &format!("seg-{i:02}"),
            ])
            .assert()
            .success();
        assert!(
            segments() <= before + 8,
            "after {} adds: {} segments (started with {before})",
            i + 1,
            segments()
        );
    }
    // Nothing was lost in the merges.
    let hits = search(&sb, &kb, &["세그먼트", "--limit", "100"]);
    assert_eq!(hits.len(), 40);
}

#[test]
fn markdown_export_groups_by_project_then_by_the_most_shared_tag() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let md = stdout(
        &sb.kb(&kb)
            .args(["export", "--format", "md"])
            .assert()
            .success(),
    );
    let sections: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    // Projects first, then sections by size: the sample's fundamentals, not their first tags
    // (`attention`, `activation` sort before `deep-learning`).
    assert_eq!(
        sections[0], "문서 OCR 모델 경량화 및 서빙 최적화",
        "{sections:?}"
    );
    assert_eq!(sections[2], "deep-learning", "{sections:?}");
    for s in [
        "ml",
        "statistics",
        "os",
        "network",
        "database",
        "python",
        "algorithm",
    ] {
        assert!(sections.contains(&s), "{s} missing: {sections:?}");
    }
    assert!(!sections.contains(&"attention"), "{sections:?}");
    assert_eq!(sections.len(), 11, "{sections:?}");
    // The Transformer question sits under deep-learning.
    let dl = md.find("## deep-learning").unwrap();
    let next = dl + md[dl + 3..].find("\n## ").unwrap();
    assert!(md[dl..next].contains("### Attention 메커니즘과 Transformer 구조"));
}
