//! After the interview: recording what was asked without creating near-copies, and seeing what
//! companies ask.

use std::path::Path;

use crate::common::*;
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
    // A company the bank has no interview at is said to be unknown (not an empty table);
    // another spelling of a known one is that one.
    sb.kb(&kb)
        .args(["stats", "--json", "--company", "naver"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no interview at \"naver\""));
    assert!(
        json(
            &sb.kb(&kb)
                .args(["stats", "--json", "--company", "kakao"])
                .assert()
                .success()
        )["asked"]
            .as_u64()
            .unwrap()
            > 0
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

/// A list like the one of the issue that started the forgiving format: ten questions typed one
/// per line in the editor, a short indented note under the first.
const TYPED: &str = "\
추론최적화 어떻게 하셨어요?
  TensorRT랑 INT8 양자화 얘기함
OCR 데이터 특성은 어땠나요
기존 서비스 속도는 어느 정도였어요?
overfitting 방지 방법을 말해보세요
TCP UDP 차이?
가상메모리란?
배치정규화 왜 써요
차원의저주 아는대로 설명해 보세요
CNN receptive field 설명
Kafka 컨슈머 그룹 리밸런싱은 언제 일어나요?
";

/// An editor that writes `text` above what the draft holds (as a person typing at the top).
fn typing_editor(sb: &Sandbox, name: &str, text: &str) -> std::path::PathBuf {
    let file = sb.path().join(format!("{name}.txt"));
    std::fs::write(&file, text).unwrap();
    script(
        &sb.path().join(format!("{name}.sh")),
        &format!(
            r#"cat "{}" "$1" > "$1.new" && mv "$1.new" "$1""#,
            file.display()
        ),
    )
}

/// The questions of the bank, as JSON rows.
fn listed(sb: &Sandbox, kb: &Path) -> Vec<serde_json::Value> {
    json(&sb.kb(kb).args(["list", "--json"]).assert().success())
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_list_typed_in_the_editor_is_shown_before_anything_is_written() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    // Piped in without --from, and from a file: the issue's list that used to give 1 question.
    let list = "TCP와 UDP 차이?\n  신뢰성 vs 속도\nHTTP/2와 HTTP/1.1 차이는?\n가상 메모리란?\n";
    std::fs::write(sb.path().join("list.txt"), list).unwrap();
    for piped in [false, true] {
        let mut cmd = sb.kb(&kb);
        cmd.args(["interview", "add", "-c", "네이버", "--no-dedupe", "--json"]);
        if piped {
            cmd.write_stdin(list);
        } else {
            cmd.arg("--from").arg(sb.path().join("list.txt"));
        }
        let out = cmd.assert().success();
        assert!(
            stderr(&out).contains("3 questions, 1 with a note"),
            "{}",
            stderr(&out)
        );
        assert_eq!(json(&out)["new"].as_array().unwrap().len(), 3);
    }

    if !pty_available() {
        return;
    }
    // In the editor, on a terminal: the list is shown, and nothing is written before `y`.
    let editor = typing_editor(&sb, "typed", TYPED);
    let before = listed(&sb, &kb).len();
    let commits = commit_count(&kb);
    let mut live = Live::start(
        sb.kb_on_terminal(
            &kb,
            "interview add -c 카카오 --no-dedupe",
            &[("EDITOR", &editor)],
        ),
        true,
    );
    live.wait_for("[e]dit again", 1);
    assert!(
        live.seen().contains("10 questions, 1 with a note"),
        "{}",
        live.seen()
    );
    assert_eq!(
        commit_count(&kb),
        commits,
        "nothing is written before the answer"
    );
    live.send("y\r");
    let (status, out) = live.finish();
    assert!(status.success(), "{out}");
    assert!(out.contains("10 new questions"), "{out}");
    let rows = listed(&sb, &kb);
    assert_eq!(rows.len(), before + 10);
    let first = rows
        .iter()
        .find(|r| r["question"] == "추론최적화 어떻게 하셨어요?")
        .unwrap();
    let q = json(
        &sb.kb(&kb)
            .args(["show", first["id"].as_str().unwrap(), "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["answer"], "TensorRT랑 INT8 양자화 얘기함\n");
    assert_eq!(commit_count(&kb), commits + 1);
    assert!(
        drafts(&kb).is_empty(),
        "the draft goes once the commit landed"
    );
}

#[test]
fn the_list_can_be_edited_again_or_aborted_and_an_aborted_list_is_kept_for_resume() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    // First run of the editor: one question; the second adds one more.
    let count = sb.path().join("count");
    let editor = script(
        &sb.path().join("twice.sh"),
        &format!(
            r#"n=$(cat "{c}" 2>/dev/null || echo 0); echo $((n+1)) > "{c}"
if [ "$n" = 0 ]; then line='Kafka 파티션 리밸런싱 언제 돼요?'; else line='Redis 캐시 무효화 전략?'; fi
{{ echo "$line"; cat "$1"; }} > "$1.new" && mv "$1.new" "$1""#,
            c = count.display()
        ),
    );
    let before = listed(&sb, &kb).len();
    let mut live = Live::start(
        sb.kb_on_terminal(
            &kb,
            "interview add -c 토스 --no-dedupe",
            &[("EDITOR", &editor)],
        ),
        true,
    );
    live.wait_for("[e]dit again", 1);
    assert!(
        live.seen().contains("1 question\u{1b}[0m:"),
        "{}",
        live.seen()
    );
    live.send("e\r");
    live.wait_for("[e]dit again", 2);
    assert!(
        live.seen().contains("2 questions\u{1b}[0m:"),
        "{}",
        live.seen()
    );
    live.send("zz\r"); // not an answer: asked again
    live.wait_for("[e]dit again", 3);
    assert!(live.seen().contains("Answer y (record)"), "{}", live.seen());
    live.send("y\r");
    let (status, out) = live.finish();
    assert!(status.success(), "{out}");
    assert_eq!(listed(&sb, &kb).len(), before + 2);

    // Abort, and the end of input at the prompt: nothing is written, the list is kept, and
    // --resume goes on with it (the editor opens on it again; here it changes nothing).
    for answer in ["a\r", "\u{4}"] {
        let commits = commit_count(&kb);
        let editor = typing_editor(&sb, "one", "가상 메모리 페이지 폴트 zebra?\n");
        let mut live = Live::start(
            sb.kb_on_terminal(
                &kb,
                "interview add -c 쿠팡 --no-dedupe",
                &[("EDITOR", &editor)],
            ),
            true,
        );
        live.wait_for("[e]dit again", 1);
        live.send(answer);
        let (status, out) = live.finish();
        assert!(!status.success(), "{out}");
        assert!(out.contains("Nothing was recorded"), "{out}");
        assert!(out.contains("kb interview add --resume"), "{out}");
        assert_eq!(commit_count(&kb), commits);
        assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
        let kept = drafts(&kb);
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(std::fs::read_to_string(&kept[0]).unwrap().contains("zebra"));

        let out = sb
            .kb(&kb)
            .args([
                "interview",
                "add",
                "--resume",
                "--no-dedupe",
                "--yes",
                "--json",
            ])
            .env("EDITOR", "true")
            .assert()
            .success();
        let v = json(&out);
        assert_eq!(v["new"].as_array().unwrap().len(), 1);
        let iv = json(
            &sb.kb(&kb)
                .args(["interview", "show", v["id"].as_str().unwrap(), "--json"])
                .assert()
                .success(),
        );
        assert_eq!(iv["company"], "쿠팡", "the options are kept with the list");
        assert!(drafts(&kb).is_empty());
    }
}

/// Ctrl-C or a kill at the list prompt and at a look-alike prompt: nothing is written, the list
/// stays, answers given before are kept, and --resume goes on.
#[test]
fn an_interrupt_or_a_kill_at_any_prompt_keeps_what_was_typed() {
    if !pty_available() {
        return;
    }
    let list = "TCP랑 UDP 차이가 뭐예요?\nMutex랑 Semaphore 차이는?\nzebra 완전히 새로운 질문?\n";
    for signal in [libc::SIGINT, libc::SIGKILL] {
        for at_look_alike in [false, true] {
            let sb = Sandbox::new();
            let kb = sample_copy(&sb);
            let commits = commit_count(&kb);
            let editor = typing_editor(&sb, "typed", list);
            let mut live = Live::start(
                sb.kb_on_terminal(&kb, "interview add -c 카카오", &[("EDITOR", &editor)]),
                true,
            );
            live.wait_for("[e]dit again", 1);
            if at_look_alike {
                live.send("y\r");
                live.wait_for("Already in the bank?", 1);
                live.send("y\r");
                live.wait_for("Already in the bank?", 2);
            }
            if signal == libc::SIGINT {
                live.send("\u{3}"); // Ctrl-C, through the terminal
            } else {
                // SAFETY: kill(2) on kb, which this test started.
                assert_eq!(unsafe { libc::kill(live.descendant("kb"), signal) }, 0);
            }
            let (_, out) = live.finish();
            if signal == libc::SIGINT {
                assert!(out.contains("Interrupted: nothing was recorded"), "{out}");
                assert!(out.contains("kb interview add --resume"), "{out}");
            }
            assert_eq!(commit_count(&kb), commits);
            assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
            let kept = drafts(&kb);
            assert_eq!(kept.len(), 1);
            assert!(std::fs::read_to_string(&kept[0]).unwrap().contains("zebra"));

            // Going on: a look-alike already answered is not asked about again.
            let mut live = Live::start(
                sb.kb_on_terminal(
                    &kb,
                    "interview add --resume --json",
                    &[("EDITOR", Path::new("true"))],
                ),
                true,
            );
            live.wait_for("[e]dit again", 1);
            live.send("y\r");
            if !at_look_alike {
                live.wait_for("Already in the bank?", 1);
                live.send("y\r");
            }
            live.wait_for("Already in the bank?", if at_look_alike { 1 } else { 2 });
            live.send("n\r");
            let (status, out) = live.finish();
            assert!(status.success(), "{out}");
            assert_eq!(out.contains("as answered before"), at_look_alike, "{out}");
            let tcp = json(
                &sb.kb(&kb)
                    .args(["show", "net-tcp-vs-udp", "--json"])
                    .assert()
                    .success(),
            );
            assert_eq!(tcp["asked"].as_array().unwrap().len(), 1, "{tcp}");
            assert_eq!(commit_count(&kb), commits + 1);
            assert!(drafts(&kb).is_empty());
        }
    }
}

#[test]
fn a_draft_whose_commit_landed_is_not_recorded_twice() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    // An editor that also keeps a copy of the draft, as if kb died after its commit and before
    // it removed the draft.
    let backup = sb.path().join("backup");
    std::fs::create_dir_all(&backup).unwrap();
    std::fs::write(sb.path().join("q.txt"), "zebra 질문 하나?\n").unwrap();
    let editor = script(
        &sb.path().join("keep.sh"),
        &format!(
            r#"cat "{q}" "$1" > "$1.new" && mv "$1.new" "$1" && cp "$1" "$1.json" "{b}/""#,
            q = sb.path().join("q.txt").display(),
            b = backup.display()
        ),
    );
    sb.kb(&kb)
        .args(["interview", "add", "-c", "카카오", "--no-dedupe", "--yes"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    let repo = git2::Repository::discover(&kb).unwrap();
    for f in std::fs::read_dir(&backup).unwrap().flatten() {
        std::fs::copy(f.path(), repo.path().join("kb/drafts").join(f.file_name())).unwrap();
    }
    let commits = commit_count(&kb);
    let out = sb
        .kb(&kb)
        .args(["interview", "add", "--resume", "--no-dedupe", "--yes"])
        .env("EDITOR", "true")
        .assert()
        .success();
    assert!(
        stderr(&out).contains("was already recorded"),
        "{}",
        stderr(&out)
    );
    assert_eq!(commit_count(&kb), commits);
    assert!(drafts(&kb).is_empty());
}

#[test]
fn an_interview_about_a_project_links_its_questions_and_matches_that_projects_questions() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let out = json(
        &sb.kb(&kb)
            .args([
                "interview",
                "add",
                "-c",
                "카카오",
                "--project",
                "ocr-serving",
                "--yes",
                "--json",
                "그 프로젝트 몇 명이서 했어요?",
                "추론 최적화는 어떻게 했어요?",
                "zebra 라벨링 툴은 뭘 썼어요?",
            ])
            .assert()
            .success(),
    );
    assert_eq!(
        ids(&out["asked_again"]),
        vec!["ocr-serving-inference-optimization", "ocr-serving-team"],
        "{out}"
    );
    let new = out["new"][0].as_str().unwrap();
    let q = json(&sb.kb(&kb).args(["show", new, "--json"]).assert().success());
    assert_eq!(q["project"], "ocr-serving");
    let iv = std::fs::read_to_string(
        kb.join(format!("interviews/{}.yaml", out["id"].as_str().unwrap())),
    )
    .unwrap();
    assert!(iv.contains("project: ocr-serving"), "{iv}");
    sb.kb(&kb)
        .args(["interview", "add", "-c", "x", "--project", "nope", "질문?"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no project"));
}

/// Without --project, `--yes` does not pick between two projects' questions that the asked one
/// fits equally (`추론최적화 어떻게 하셨어요` names neither project): it is added, and said.
#[test]
fn yes_does_not_guess_between_two_projects() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let (out, err) = sb.interview(
        &kb,
        "카카오",
        &["추론최적화 어떻게 하셨어요", "TCP와 UDP 차이?"],
    );
    assert_eq!(ids(&out["asked_again"]), vec!["net-tcp-vs-udp"], "{out}");
    assert_eq!(out["new"].as_array().unwrap().len(), 1, "{out}");
    assert!(
        err.contains("ocr-serving-inference-optimization")
            && err.contains("cs-rag-assistant-inference-optimization")
            && err.contains("--project"),
        "{err}"
    );
    // kb add --yes --asked-at takes the same decision (in a bank without the question the
    // interview just added).
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let (out, _) = sb.interview(&kb, "카카오", &["TCP와 UDP 차이?"]);
    let interview = out["id"].as_str().unwrap();
    let added = sb.add(
        &kb,
        &[
            "추론 최적화 어떻게 했어요?",
            "--yes",
            "--asked-at",
            interview,
        ],
    );
    let q = json(
        &sb.kb(&kb)
            .args(["show", &added, "--json"])
            .assert()
            .success(),
    );
    assert_eq!(
        q["question"], "추론 최적화 어떻게 했어요?",
        "added as new: {q}"
    );
    for id in [
        "ocr-serving-inference-optimization",
        "cs-rag-assistant-inference-optimization",
    ] {
        let q = json(&sb.kb(&kb).args(["show", id, "--json"]).assert().success());
        assert!(
            q["asked"].as_array().is_none_or(|a| a.is_empty()),
            "{id} was not guessed: {q}"
        );
    }
}

#[test]
fn kb_add_warns_in_a_script_and_asks_on_a_terminal() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let first = sb.add(&kb, &["Batch Normalization의 효과는?", "--tag", "dl"]);
    // A script: added, with a warning naming the look-alike and how to fold them.
    let out = sb
        .kb(&kb)
        .args(["add", "배치 정규화의 효과는 무엇인가요?"])
        .assert()
        .success();
    let err = stderr(&out);
    assert!(err.contains(&first), "{err}");
    assert!(err.contains("kb merge"), "{err}");
    assert!(err.contains("same:"), "the warning says why: {err}");
    let out = sb
        .kb(&kb)
        .args(["add", "--no-dedupe", "BN 쓰면 뭐가 좋아요?"])
        .assert()
        .success();
    assert!(!stderr(&out).contains(&first), "{}", stderr(&out));
    let count = |sb: &Sandbox| {
        json(&sb.kb(&kb).args(["list", "--json"]).assert().success())
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(&sb), 3);

    if !pty_available() {
        return;
    }
    // On a terminal: kb shows the look-alike and asks; `s` keeps the existing question and
    // adds the answer to it; Ctrl-C at the prompt adds nothing and says so.
    let on_terminal = |args: &str| sb.kb_on_terminal(&kb, args, &[]);
    let mut live = Live::start(
        on_terminal("add '배치정규화 효과가 뭐예요?' --answer '학습이 안정된다.'"),
        true,
    );
    live.wait_for("ame as 1: ", 1);
    live.send("s\r");
    let (status, out) = live.finish();
    assert!(status.success(), "{out}");
    assert!(out.contains("Added your answer and tags to"), "{out}");
    assert_eq!(count(&sb), 3);
    // On the look-alike shown first (the two earlier ones are equally close).
    let answered: Vec<String> = json(&sb.kb(&kb).args(["list", "--json"]).assert().success())
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .filter(|id| {
            json(&sb.kb(&kb).args(["show", id, "--json"]).assert().success())["answer"]
                .as_str()
                .unwrap()
                .contains("학습이 안정된다.")
        })
        .collect();
    assert_eq!(answered.len(), 1, "{answered:?}");

    let mut live = Live::start(on_terminal("add '배치 정규화 효과는?'"), true);
    live.wait_for("ame as 1: ", 1);
    live.send("\u{3}");
    let (status, out) = live.finish();
    assert!(!status.success(), "{out}");
    assert!(out.contains("Interrupted: nothing was added"), "{out}");
    assert_eq!(count(&sb), 3);

    // Written in the editor, then Ctrl-C at the prompt: the draft is kept, and --resume adds it.
    let editor = script(
        &sb.path().join("write.sh"),
        r#"{ printf '배치 정규화 효과는?\n\nzebra 답변 본문\n'; cat "$1"; } > "$1.new" && mv "$1.new" "$1""#,
    );
    let mut live = Live::start(sb.kb_on_terminal(&kb, "add", &[("EDITOR", &editor)]), true);
    live.wait_for("ame as 1: ", 1);
    live.send("\u{3}");
    let (status, out) = live.finish();
    assert!(!status.success(), "{out}");
    assert!(out.contains("kb add --resume"), "{out}");
    assert_eq!(count(&sb), 3);
    let kept = drafts(&kb);
    assert_eq!(kept.len(), 1);
    assert!(std::fs::read_to_string(&kept[0]).unwrap().contains("zebra"));
    // Killed at the prompt instead: the same.
    let live = Live::start(sb.kb_on_terminal(&kb, "add", &[("EDITOR", &editor)]), true);
    live.wait_for("ame as 1: ", 1);
    // SAFETY: kill(2) on kb, which this test started.
    assert_eq!(
        unsafe { libc::kill(live.descendant("kb"), libc::SIGKILL) },
        0
    );
    live.finish();
    assert_eq!(count(&sb), 3);
    assert_eq!(drafts(&kb).len(), 2, "both drafts are kept");
    let out = sb
        .kb(&kb)
        .args(["add", "--resume", "--no-dedupe", "--json"])
        .env("EDITOR", "true")
        .assert()
        .success();
    let q = json(
        &sb.kb(&kb)
            .args(["show", json(&out)["id"].as_str().unwrap(), "--json"])
            .assert()
            .success(),
    );
    assert_eq!(q["answer"], "zebra 답변 본문\n");
    assert_eq!(
        drafts(&kb).len(),
        1,
        "--resume took the newest; the other stays"
    );
}
