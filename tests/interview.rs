//! After the interview: recording what was asked without creating near-copies, and seeing what
//! companies ask.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;

/// Ten questions from one interview: four are paraphrases of questions in the sample bank
/// (different spacing, particles, endings, word order), six are new.
const ASKED: &str = "\
TCP랑 UDP 차이가 뭔가요? 각각 어떤 상황에서 쓰나요
Mutex랑 Semaphore의차이는?
Python에서 list랑 tuple 차이는 뭐고 tuple은 언제 쓰나요
멀티프로세스 대신 멀티스레드를 쓰는 이유랑 프로세스 스레드 차이는?
Kafka의 파티션과 컨슈머 그룹을 설명해주세요.
추천 시스템에서 cold start 문제는 어떻게 해결하나요?
Redis를 캐시로 쓸 때 캐시 무효화 전략은?
가장 어려웠던 디버깅 경험은?
Docker 컨테이너와 가상 머신은 무엇이 다른가요?
최근에 읽은 논문 중 인상 깊었던 것은?
  Attention Is All You Need를 다시 읽었다고 답함.
";

const PARAPHRASED: [&str; 4] = [
    "net-tcp-vs-udp",
    "os-mutex-vs-semaphore",
    "py-list-vs-tuple",
    "os-process-vs-thread",
];

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn an_interview_adds_new_questions_and_records_paraphrases_on_existing_ones() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    std::fs::write(sb.path().join("asked.txt"), ASKED).unwrap();
    let commits = commit_count(&kb);
    let out = json(
        &sb.kb(&kb)
            .args([
                "interview",
                "add",
                "--company",
                "카카오",
                "--round",
                "1차 기술면접",
                "--date",
                "2026-11-20",
                "--yes",
                "--json",
                "--from",
            ])
            .arg(sb.path().join("asked.txt"))
            .assert()
            .success(),
    );
    let again = ids(&out["asked_again"]);
    let mut expected: Vec<String> = PARAPHRASED.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(again, expected, "{out}");
    assert_eq!(out["new"].as_array().unwrap().len(), 6, "{out}");
    let interview = out["id"].as_str().unwrap().to_string();
    assert!(interview.starts_with("i-20261120-"), "{interview}");

    // One commit: the interview record, six new question files, four updated ones.
    assert_eq!(commit_count(&kb), commits + 1);
    assert_eq!(head_changed_paths(&kb).len(), 11);
    assert!(head_message(&kb).starts_with(&format!(
        "interview {interview}: 카카오 1차 기술면접 (2026-11-20) (6 new, 4 asked again)"
    )));

    // The existing questions carry the occurrence, with the wording actually used.
    let q = json(
        &sb.kb(&kb)
            .args(["show", "os-mutex-vs-semaphore", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["asked"][0]["company"], "카카오");
    assert_eq!(q["asked"][0]["round"], "1차 기술면접");
    assert_eq!(q["asked"][0]["date"], "2026-11-20");
    assert_eq!(q["asked"][0]["interview"], interview.as_str());
    assert_eq!(
        q["asked"][0]["note"],
        "asked as: Mutex랑 Semaphore의차이는?"
    );
    assert_eq!(
        q["question"], "Mutex와 Semaphore의 차이는 무엇인가요?",
        "the bank's wording stays"
    );
    // New questions carry it too, with the answer written under them.
    let new = ids(&out["new"]);
    let papers = new
        .iter()
        .map(|id| json(&sb.kb(&kb).args(["show", id, "--json"]).assert().success()))
        .find(|q| q["question"] == "최근에 읽은 논문 중 인상 깊었던 것은?")
        .unwrap();
    assert_eq!(
        papers["answer"],
        "Attention Is All You Need를 다시 읽었다고 답함.\n"
    );
    assert_eq!(papers["asked"][0]["interview"], interview.as_str());

    // The record, and the questions asked there.
    let shown = json(
        &sb.kb(&kb)
            .args(["interview", "show", &interview[..12], "--json"])
            .assert()
            .success(),
    );
    assert_eq!(shown["company"], "카카오");
    assert_eq!(shown["questions"].as_array().unwrap().len(), 10);
    let listed = json(
        &sb.kb(&kb)
            .args(["interview", "list", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // What companies ask.
    let stats = json(&sb.kb(&kb).args(["stats", "--json"]).assert().success());
    assert_eq!(stats["interviews"], 1);
    assert_eq!(stats["asked"], 10);
    assert_eq!(stats["companies"][0]["company"], "카카오");
    assert_eq!(stats["companies"][0]["asked"], 10);
    assert_eq!(
        stats["unanswered"], 5,
        "five new questions have no answer yet"
    );
    assert_eq!(stats["months"][0]["month"], "2026-11");
    let text = stdout(
        &sb.kb(&kb)
            .arg("stats")
            .env("COLUMNS", "100")
            .assert()
            .success(),
    );
    assert!(
        text.contains("Most asked") && text.contains("Per company") && text.contains("카카오"),
        "{text}"
    );
    assert!(
        json(
            &sb.kb(&kb)
                .args(["stats", "--json", "--company", "naver"])
                .assert()
                .success()
        )["asked"]
            == 0
    );

    // list and search filter on it.
    let asked = json(
        &sb.kb(&kb)
            .args(["list", "--json", "--asked"])
            .assert()
            .success(),
    );
    assert_eq!(asked.as_array().unwrap().len(), 10);
    let unanswered = json(
        &sb.kb(&kb)
            .args(["list", "--json", "--company", "카카오", "--unanswered"])
            .assert()
            .success(),
    );
    assert_eq!(unanswered.as_array().unwrap().len(), 5);
    let table = stdout(
        &sb.kb(&kb)
            .args(["list", "--asked"])
            .env("COLUMNS", "120")
            .assert()
            .success(),
    );
    assert!(table.contains("Asked") && table.contains("1×"), "{table}");
    let hits = json(
        &sb.kb(&kb)
            .args(["search", "TCP", "--asked", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["id"], "net-tcp-vs-udp");
}

#[test]
fn interactive_choice_and_scripts() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    // Interactive: yes for the first match, no (add as new) for the second.
    let out = sb
        .kb(&kb)
        .args([
            "interview",
            "add",
            "--company",
            "Naver",
            "--json",
            "TCP랑 UDP 차이?",
            "Mutex랑 Semaphore 차이는?",
        ])
        .write_stdin("y\nn\n")
        .assert()
        .success();
    let v = json(&out);
    assert_eq!(ids(&v["asked_again"]), vec!["net-tcp-vs-udp"]);
    assert_eq!(v["new"].as_array().unwrap().len(), 1);
    assert!(stderr(&out).contains("Already in the bank?"));

    // A script that neither answers nor says --yes/--no-dedupe: nothing is written.
    let commits = commit_count(&kb);
    sb.kb(&kb)
        .args([
            "interview",
            "add",
            "--company",
            "Toss",
            "TCP와 UDP의 차이점",
        ])
        .write_stdin("")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--yes or --no-dedupe"));
    assert_eq!(commit_count(&kb), commits);
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");

    // --no-dedupe always adds.
    let v = json(
        &sb.kb(&kb)
            .args([
                "interview",
                "add",
                "--company",
                "Toss",
                "--no-dedupe",
                "--json",
                "TCP와 UDP의 차이점",
            ])
            .assert()
            .success(),
    );
    assert_eq!(v["new"].as_array().unwrap().len(), 1);

    // kb add --asked-at records on the existing question.
    let iv = v["id"].as_str().unwrap().to_string();
    let out = json(
        &sb.kb(&kb)
            .args([
                "add",
                "파이썬 GIL이 뭐고 threading이랑 multiprocessing은 언제 쓰나요",
                "--asked-at",
                &iv,
                "--yes",
                "--json",
            ])
            .assert()
            .success(),
    );
    assert_eq!(out["new"], false);
    assert_eq!(out["id"], "py-gil-concurrency");
    assert!(head_message(&kb).starts_with(&format!("asked py-gil-concurrency at {iv}")));
    let out = json(
        &sb.kb(&kb)
            .args([
                "add",
                "HBase의 region split은?",
                "--asked-at",
                &iv,
                "--yes",
                "--json",
            ])
            .assert()
            .success(),
    );
    assert_eq!(out["new"], true);
    let q = json(
        &sb.kb(&kb)
            .args(["show", out["id"].as_str().unwrap(), "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["asked"][0]["company"], "Toss");
    sb.kb(&kb)
        .args(["add", "x", "--asked-at", "i-nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no interview"));
}

#[test]
fn dups_finds_paraphrases_and_merge_folds_them_losing_nothing() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    // A paraphrase of a bank question, with its own answer, tags, project, occurrence and a
    // field added by hand.
    std::fs::write(
        kb.join("questions/q-para.yaml"),
        "id: q-para\nquestion: virtual memory랑 paging이 뭔지 설명해 주세요. page fault는 언제 발생하나요\ntags:\n- paging\nproject: ocr-serving\n\
         imported_from: notes/os.md:3\nasked:\n- company: 라인\n  date: 2026-10-01\ndifficulty: 3\nanswer: |\n  페이지 테이블로 주소를 바꾼다.\n",
    )
    .unwrap();
    sb.git(&kb, &["add", "."]);
    sb.git(&kb, &["commit", "-qm", "hand-written paraphrase"]);
    let pairs = json(&sb.kb(&kb).args(["dups", "--json"]).assert().success());
    let first = &pairs[0];
    let pair = [first["a"].as_str().unwrap(), first["b"].as_str().unwrap()];
    assert!(
        pair.contains(&"q-para") && pair.contains(&"os-virtual-memory-paging"),
        "{pairs}"
    );
    assert!(
        pairs.as_array().unwrap().len() <= 5,
        "no flood on the sample bank: {pairs}"
    );

    let keep = json(
        &sb.kb(&kb)
            .args(["show", "os-virtual-memory-paging", "--json"])
            .assert()
            .success(),
    );
    let commits = commit_count(&kb);
    sb.kb(&kb)
        .args(["merge", "os-virtual-memory-paging", "q-para"])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), commits + 1);
    assert!(head_message(&kb).starts_with("merge q-para into os-virtual-memory-paging"));
    assert!(!kb.join("questions/q-para.yaml").exists());

    let m = json(
        &sb.kb(&kb)
            .args(["show", "os-virtual-memory-paging", "--json"])
            .assert()
            .success(),
    );
    // Field by field: KEEP's wording stays, the other wording is recorded; both answers kept;
    // tags and occurrences unioned; the project and source taken over; the hand field kept.
    assert_eq!(m["question"], keep["question"]);
    assert_eq!(m["merged"][0]["id"], "q-para");
    assert_eq!(
        m["merged"][0]["question"],
        "virtual memory랑 paging이 뭔지 설명해 주세요. page fault는 언제 발생하나요"
    );
    let answer = m["answer"].as_str().unwrap();
    assert!(
        answer.starts_with(keep["answer"].as_str().unwrap().trim_end()),
        "KEEP's answer first"
    );
    assert!(answer.contains("페이지 테이블로 주소를 바꾼다."));
    for t in keep["tags"]
        .as_array()
        .unwrap()
        .iter()
        .chain([&serde_json::json!("paging")])
    {
        assert!(m["tags"].as_array().unwrap().contains(t), "{t} lost");
    }
    assert_eq!(m["asked"][0]["company"], "라인");
    assert_eq!(m["project"], "ocr-serving");
    assert_eq!(m["imported_from"], "notes/os.md:3");
    assert_eq!(m["extra"]["difficulty"], 3);
    assert_eq!(m["aliases"], serde_json::json!(["q-para"]));

    // The old id still resolves, and says where it went.
    let out = sb.kb(&kb).args(["show", "q-para"]).assert().success();
    assert!(stderr(&out).contains("q-para was merged into os-virtual-memory-paging"));
    assert!(stdout(&out).contains("Virtual Memory"));
    // Merging into itself or an unknown id is refused before anything is written.
    sb.kb(&kb)
        .args(["merge", "os-deadlock", "os-deadlock"])
        .assert()
        .failure();
    sb.kb(&kb)
        .args(["merge", "os-deadlock", "q-nope"])
        .assert()
        .failure();
    assert_eq!(commit_count(&kb), commits + 1);
    let _ = Path::new("");
}

/// `kb stats` counts while it walks the index and keeps only what it shows; its figures must
/// be the ones computed the long way from every question `kb list --json` reports.
#[test]
fn stats_agree_with_the_questions_listed() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    std::fs::write(sb.path().join("asked.txt"), ASKED).unwrap();
    sb.kb(&kb)
        .args(["interview", "add", "--company", "카카오", "--yes", "--from"])
        .arg(sb.path().join("asked.txt"))
        .assert()
        .success();
    // Asked again elsewhere: some questions now count twice.
    sb.kb(&kb)
        .args([
            "interview",
            "add",
            "--company",
            "Toss",
            "--yes",
            "TCP와 UDP의 차이는?",
            "Kafka의 파티션과 컨슈머 그룹을 설명해주세요.",
        ])
        .assert()
        .success();
    // Never asked and without an answer, with ids on both sides of the others.
    // More of them than the list shows, so only the first ids may appear.
    let never_asked = [
        "zz-late",
        "mm-middle",
        "qq-1",
        "yy-3",
        "xx-5",
        "dd-6",
        "ww-7",
        "ee-8",
        "aa-early",
        "cc-2",
        "ab-second",
        "bb-4",
    ];
    for id in never_asked {
        sb.kb(&kb)
            .args([
                "add",
                &format!("{id} 질문?"),
                "--id",
                id,
                "--tag",
                "stats-test",
            ])
            .assert()
            .success();
    }

    let rows = json(&sb.kb(&kb).args(["list", "--json"]).assert().success());
    let rows = rows.as_array().unwrap();
    let limit = 9;
    let stats = json(
        &sb.kb(&kb)
            .args(["stats", "--json", "--limit", &limit.to_string()])
            .assert()
            .success(),
    );
    let answered = rows.iter().filter(|r| r["answered"] == true).count();
    assert_eq!(stats["questions"], rows.len());
    assert_eq!(stats["answered"], answered);
    assert_eq!(stats["unanswered"], rows.len() - answered);
    let asked_total: u64 = rows.iter().map(|r| r["asked"].as_u64().unwrap()).sum();
    assert_eq!(stats["asked"], asked_total);

    // Ordered as stats orders them: most asked first, then by id.
    let ranked = |keep: &dyn Fn(&serde_json::Value) -> bool| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["asked"].as_u64().unwrap(),
                )
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(limit);
        v
    };
    let shown = |key: &str| -> Vec<(String, u64)> {
        stats[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["id"].as_str().unwrap().to_string(),
                    q["asked"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let unanswered = ranked(&|r| r["answered"] == false);
    assert!(
        unanswered.iter().any(|(_, n)| *n == 0) && unanswered.iter().any(|(_, n)| *n > 0),
        "the list should mix asked and never-asked questions: {unanswered:?}"
    );
    assert_eq!(shown("unanswered_questions"), unanswered);
    assert_eq!(
        shown("most_asked"),
        ranked(&|r| r["asked"].as_u64().unwrap() > 0)
    );

    // Per tag: questions, times asked, without an answer.
    let mut per_tag: std::collections::BTreeMap<String, (u64, u64, u64)> = Default::default();
    for r in rows {
        for t in r["tags"].as_array().unwrap() {
            let e = per_tag.entry(t.as_str().unwrap().to_string()).or_default();
            e.0 += 1;
            e.1 += r["asked"].as_u64().unwrap();
            e.2 += u64::from(r["answered"] == false);
        }
    }
    let reported: std::collections::BTreeMap<String, (u64, u64, u64)> = stats["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tag"].as_str().unwrap().to_string(),
                (
                    t["questions"].as_u64().unwrap(),
                    t["asked"].as_u64().unwrap(),
                    t["unanswered"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(reported, per_tag);
    assert_eq!(per_tag["stats-test"], (12, 0, 12));
}
