//! Before the meeting: a résumé imported as projects, with the questions its lines draft
//! (`kb project import`), and how far each line is answered (`kb project show`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

fn resume(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/resumes")
        .join(name)
}

const ML: &str = "ml-engineer-ko.md";
const BACKEND: &str = "backend-mixed.md";
const DATA: &str = "data-engineer-plain.txt";

/// `kb project import FILE --dry-run --json`: the plan.
fn plan(sb: &Sandbox, kb: &Path, file: &Path) -> Value {
    json(
        &sb.kb(kb)
            .args(["--json", "project", "import", "--dry-run"])
            .arg(file)
            .assert()
            .success(),
    )
}

fn import_yes(sb: &Sandbox, kb: &Path, file: &Path) -> Value {
    json(
        &sb.kb(kb)
            .args(["--json", "project", "import", "--yes"])
            .arg(file)
            .assert()
            .success(),
    )
}

fn names(plan: &Value) -> Vec<String> {
    plan["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["project"]["name"].as_str().unwrap().to_string())
        .collect()
}

/// The lines of a project that are bullets (not its heading).
fn bullets(project: &Value) -> Vec<&Value> {
    project["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["heading"] == false)
        .collect()
}

fn line<'a>(plan: &'a Value, contains: &str) -> &'a Value {
    plan["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["lines"].as_array().unwrap())
        .find(|l| l["text"].as_str().unwrap().contains(contains))
        .unwrap_or_else(|| panic!("no line with {contains:?} in {plan:#}"))
}

fn drafted(line: &Value) -> Vec<(String, String)> {
    line["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["rule"].as_str().unwrap().to_string(),
                q["question"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn question_files(kb: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(kb.join("questions"))
        .map(|d| {
            d.flatten()
                .map(|e| std::fs::read_to_string(e.path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn each_resume_layout_yields_its_projects_and_their_bullets() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");

    // Markdown headings under `## 프로젝트`; the company heading with no bullets and the skills
    // and education sections are not projects.
    let ml = plan(&sb, &kb, &resume(ML));
    assert_eq!(names(&ml), ["문서 OCR 경량화", "고객 문의 자동 분류"]);
    let ocr = &ml["projects"][0];
    assert_eq!(ocr["project"]["period"], "2023.03 – 2024.02");
    assert_eq!(ocr["project"]["role"], "ML Engineer");
    assert_eq!(ocr["project"]["team"], 4);
    assert_eq!(ocr["new"], true);
    assert_eq!(bullets(ocr).len(), 4);
    assert_eq!(bullets(&ml["projects"][1]).len(), 3);
    assert_eq!(ml["projects"][1]["project"]["role"], "모델링, 서빙 담당");

    // Numbered bold project lines over indented bullets, English and Korean mixed.
    let be = plan(&sb, &kb, &resume(BACKEND));
    assert_eq!(
        names(&be),
        [
            "Payment Gateway Migration",
            "Settlement Batch Rewrite",
            "Internal Admin Console"
        ]
    );
    assert_eq!(be["projects"][0]["project"]["role"], "Backend Lead");
    assert_eq!(be["projects"][0]["project"]["period"], "2021.03 – 2022.01");
    let counts: Vec<usize> = be["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| bullets(p).len())
        .collect();
    assert_eq!(counts, [3, 3, 1]);

    // Plain text: `회사명 | 기간` lines over `• ` bullets; a wrapped bullet is one line.
    let de = plan(&sb, &kb, &resume(DATA));
    assert_eq!(names(&de), ["네오커머스 로그 플랫폼", "추천 피처 스토어"]);
    assert_eq!(de["projects"][0]["project"]["period"], "2021.03 – 2023.08");
    assert_eq!(bullets(&de["projects"][0]).len(), 3);
    let feast = line(&de, "Feast");
    assert!(
        feast["text"]
            .as_str()
            .unwrap()
            .ends_with("(주간 리포트 자동화)"),
        "{feast}"
    );
    // A dry run writes nothing.
    assert_eq!(commit_count(&kb), 1);
}

#[test]
fn a_metric_bullet_asks_how_it_was_measured_what_it_was_before_and_why_that_metric() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let ml = plan(&sb, &kb, &resume(ML));
    let l = line(&ml, "14초 → 5.8초");
    let qs = drafted(l);
    let rules: Vec<&str> = qs.iter().map(|(r, _)| r.as_str()).collect();
    for r in [
        "metric/measured",
        "metric/baseline-stated",
        "metric/why-metric",
    ] {
        assert!(rules.contains(&r), "{r} missing: {qs:?}");
    }
    // The line says what it was before: that is not asked again, how it was measured is.
    assert!(!rules.contains(&"metric/baseline"), "{qs:?}");
    let stated = &qs
        .iter()
        .find(|(r, _)| r == "metric/baseline-stated")
        .unwrap()
        .1;
    assert!(stated.contains("(14초)"), "{stated}");
    // A change without the old figure asks for it.
    let cut = drafted(line(&ml, "파라미터 60% 감소"));
    assert!(cut.iter().any(|(r, _)| r == "metric/baseline"), "{cut:?}");
    let measured = &qs.iter().find(|(r, _)| r == "metric/measured").unwrap().1;
    assert_eq!(
        measured,
        "문서 OCR 경량화에서 p95 지연을 14초에서 5.8초로 줄였다고 하셨는데, 어떻게 측정했나요?"
    );
    for (_, q) in qs.iter().filter(|(r, _)| r.starts_with("metric/")) {
        assert!(q.contains("p95 지연"), "{q}");
    }
    // An optimisation in the same line: how, and what was dropped; named with the line's term.
    assert!(
        qs.iter()
            .any(|(r, q)| r == "optimisation/how" && q.contains("TensorRT")),
        "{qs:?}"
    );
    // A rise is worded as one, with the figures of that line.
    let up = drafted(line(&ml, "86% → 92%"));
    assert!(
        up.iter()
            .any(|(_, q)| q.contains("분류 정확도를 86%에서 92%로 높였다고")),
        "{up:?}"
    );
    // Every question is tagged project-tech and its rule's tag.
    let tags = &l["questions"][0]["tags"];
    assert!(
        tags.as_array()
            .unwrap()
            .contains(&Value::from("project-tech")),
        "{tags}"
    );
    // The project's own line asks once what could still be improved; the template asks that
    // too (future-improvements), so it is listed as already there.
    let improve: Vec<&Value> = ml["projects"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["duplicates"].as_array().unwrap())
        .filter(|d| d["rule"] == "improve/next")
        .collect();
    assert_eq!(improve.len(), 1, "{ml:#}");
    assert_eq!(improve[0]["of"], "ocr-future-improvements");
}

#[test]
fn without_the_template_question_the_rule_asks_what_could_still_be_improved_once_per_project() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let template = kb.join("templates/project-questions.yaml");
    let text = std::fs::read_to_string(&template).unwrap();
    let kept: Vec<&str> = text
        .split("\n- key: ")
        .filter(|entry| !entry.starts_with("future-improvements"))
        .collect();
    std::fs::write(&template, kept.join("\n- key: ")).unwrap();
    let ml = plan(&sb, &kb, &resume(ML));
    for p in ml["projects"].as_array().unwrap() {
        let improve: Vec<(String, String)> = p["lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(drafted)
            .filter(|(r, _)| r.starts_with("improve/"))
            .collect();
        assert_eq!(improve.len(), 1, "{p:#}");
        let name = p["project"]["name"].as_str().unwrap();
        assert!(improve[0].1.starts_with(name), "{improve:?}");
    }
}

#[test]
fn importing_twice_adds_nothing_the_second_time_and_fills_only_empty_fields() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    // The user recorded the project before, with their own period.
    sb.kb(&kb)
        .args([
            "project",
            "add",
            "문서 OCR 경량화",
            "--period",
            "2023-03 ~ 2024-02",
        ])
        .assert()
        .success();
    let before = commit_count(&kb);
    let done = import_yes(&sb, &kb, &resume(ML));
    assert!(done["commit"].is_string(), "{done}");
    assert_eq!(
        commit_count(&kb),
        before + 1,
        "one commit for the whole import"
    );
    let message = head_message(&kb);
    assert!(
        message.starts_with("project import ml-engineer-ko.md: 2 projects"),
        "{message}"
    );
    let ocr = kb.join("projects/ocr.yaml");
    let record = std::fs::read_to_string(&ocr).unwrap();
    assert!(record.contains("period: 2023-03 ~ 2024-02"), "{record}");
    assert!(record.contains("role: ML Engineer"), "{record}");
    let files = question_files(&kb);

    let again = import_yes(&sb, &kb, &resume(ML));
    assert!(again["commit"].is_null(), "{again}");
    assert_eq!(commit_count(&kb), before + 1);
    assert_eq!(question_files(&kb), files);
    let drafted: usize = again["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["lines"].as_array().unwrap())
        .map(|l| l["questions"].as_array().unwrap().len())
        .sum();
    assert_eq!(drafted, 0, "{again:#}");
    assert_eq!(std::fs::read_to_string(&ocr).unwrap(), record);
}

#[test]
fn a_question_already_in_the_bank_or_drafted_earlier_in_the_run_is_not_drafted_again() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["project", "add", "문서 OCR 경량화"])
        .assert()
        .success();
    let mine = sb.add(
        &kb,
        &[
            "TensorRT는 어떻게 적용했어요?",
            "--project",
            "ocr",
            "--no-dedupe",
        ],
    );
    let ml = plan(&sb, &kb, &resume(ML));
    let l = line(&ml, "TensorRT FP16");
    assert!(
        !drafted(l).iter().any(|(r, _)| r == "optimisation/how"),
        "{l:#}"
    );
    let dup = l["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "optimisation/how")
        .unwrap_or_else(|| panic!("{l:#}"));
    assert_eq!(dup["of"], mine.as_str());
    // The other questions of the line are still drafted.
    assert!(drafted(l).iter().any(|(r, _)| r == "metric/measured"));

    // The data's characteristics are the template's question: no data line asks them again…
    let de = plan(&sb, &kb, &resume(DATA));
    let second = line(&de, "정제 규칙");
    assert!(
        second["duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "data/characteristics"
                && d["of"].as_str().unwrap().ends_with("-data-characteristics")),
        "{second:#}"
    );
    // …while each line's own data work (정제) is asked about.
    assert!(
        drafted(second)
            .iter()
            .any(|(r, q)| r == "data/rebuilt" && q.contains("정제"))
    );

    // Two lines about one figure: the second does not ask why that metric again.
    let file = sb.path().join("search.md");
    std::fs::write(
        &file,
        "### 검색 서버 (2022.01 – 2022.06)\n- 캐시 도입으로 p95 지연 900ms → 300ms\n- 쿼리 튜닝으로 p95 지연 300ms → 120ms\n",
    )
    .unwrap();
    let p = plan(&sb, &kb, &file);
    let first = line(&p, "캐시 도입");
    let why = first["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["rule"] == "metric/why-metric")
        .unwrap_or_else(|| panic!("{first:#}"));
    let again = line(&p, "쿼리 튜닝");
    assert!(
        again["duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "metric/why-metric" && d["of"] == why["id"]),
        "{again:#}"
    );
    // Its own measurement, with its own figures, is drafted.
    assert!(
        drafted(again)
            .iter()
            .any(|(r, q)| r == "optimisation/how" && q.contains("쿼리 튜닝")),
        "{again:#}"
    );
}

#[test]
fn each_drafted_question_records_its_resume_line_and_show_lists_the_lines() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    import_yes(&sb, &kb, &resume(ML));
    let line_text = "TensorRT FP16 변환과 배치 처리로 p95 지연 14초 → 5.8초 단축";
    let files = question_files(&kb);
    let from_line: Vec<&String> = files
        .iter()
        .filter(|f| f.contains(&format!("resume: {line_text}")))
        .collect();
    assert!(from_line.len() >= 5, "{}", from_line.len());
    assert!(from_line.iter().all(|f| f.contains("project: ocr")));
    // Template questions have no résumé line.
    let template = std::fs::read_to_string(kb.join("questions/ocr-purpose.yaml")).unwrap();
    assert!(!template.contains("resume:"), "{template}");

    let shown = sb
        .kb(&kb)
        .args(["project", "show", "ocr"])
        .assert()
        .success();
    let out = stdout(&shown);
    assert!(out.contains("Résumé lines:"), "{out}");
    let n = from_line.len();
    assert!(
        out.contains(&format!("{line_text}  0/{n} answered")),
        "{out}"
    );

    // Answer one question of that line: the line shows it.
    let id = from_line[0]
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .to_string();
    let path = kb.join(format!("questions/{id}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("answer: ''", "answer: Nsight로 쟀다.")).unwrap();
    let out = stdout(
        &sb.kb(&kb)
            .args(["project", "show", "ocr"])
            .assert()
            .success(),
    );
    assert!(
        out.contains(&format!("{line_text}  1/{n} answered")),
        "{out}"
    );
    let v = json(
        &sb.kb(&kb)
            .args(["--json", "project", "show", "ocr"])
            .assert()
            .success(),
    );
    let lines = v["resume"].as_array().unwrap();
    let entry = lines.iter().find(|l| l["line"] == line_text).unwrap();
    assert!(
        entry["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == id.as_str() && q["status"] == "answered")
    );
}

#[test]
fn the_plan_is_shown_before_writing_and_yes_writes_it_without_asking() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let commits = commit_count(&kb);
    // Aborted at the prompt: the plan was shown, nothing written.
    let out = sb
        .kb(&kb)
        .args(["project", "import"])
        .arg(resume(BACKEND))
        .write_stdin("a\n")
        .assert()
        .failure();
    let err = stderr(&out);
    assert!(err.contains("3 projects"), "{err}");
    assert!(err.contains("Payment Gateway Migration"), "{err}");
    assert!(
        err.contains("+ Payment Gateway Migration에서 p99 latency를 1.2s에서 300ms로 줄였다고"),
        "{err}"
    );
    assert!(err.contains("Write them?"), "{err}");
    assert!(err.contains("Aborted: nothing was written."), "{err}");
    assert_eq!(commit_count(&kb), commits);
    assert!(question_files(&kb).is_empty());

    // No answer at all (a script without --yes): nothing written either.
    sb.kb(&kb)
        .args(["project", "import"])
        .arg(resume(BACKEND))
        .assert()
        .failure();
    assert_eq!(commit_count(&kb), commits);

    // Accepted: one commit.
    sb.kb(&kb)
        .args(["project", "import"])
        .arg(resume(BACKEND))
        .write_stdin("y\n")
        .assert()
        .success();
    assert_eq!(commit_count(&kb), commits + 1);

    // --yes: no question asked.
    let out = sb
        .kb(&kb)
        .args(["project", "import", "--yes"])
        .arg(resume(DATA))
        .assert()
        .success();
    let err = stderr(&out);
    assert!(!err.contains("Write them?"), "{err}");
    assert!(err.contains("네오커머스 로그 플랫폼"), "{err}");
    assert_eq!(commit_count(&kb), commits + 2);
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
}

#[test]
fn the_rules_are_the_banks_own_file() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let rules = kb.join("templates/resume-rules.yaml");
    let text = std::fs::read_to_string(&rules).expect("kb init writes the rules");
    std::fs::write(
        &rules,
        text.replace(
            "{project}에서 {claim}고 하셨는데, 어떻게 측정했나요?",
            "{project}: {change}, 어떻게 쟀나요?",
        ),
    )
    .unwrap();
    let ml = plan(&sb, &kb, &resume(ML));
    let l = line(&ml, "14초 → 5.8초");
    assert!(
        drafted(l)
            .iter()
            .any(|(_, q)| q == "문서 OCR 경량화: 14초 → 5.8초, 어떻게 쟀나요?"),
        "{l:#}"
    );
}

/// Ctrl-C at the accept prompt: nothing written, and the résumé file (all the user typed) is as
/// it was.
#[test]
fn ctrl_c_at_the_accept_prompt_writes_nothing_and_loses_nothing() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let file = sb.path().join("이력서.md");
    std::fs::copy(resume(ML), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let commits = commit_count(&kb);
    let mut live = Live::start(
        sb.kb_on_terminal(&kb, &format!("project import '{}'", file.display()), &[]),
        true,
    );
    live.wait_for("Write them?", 1);
    live.send("\u{3}");
    let (status, out) = live.finish();
    assert!(!status.success());
    assert!(out.contains("Interrupted: nothing was written"), "{out}");
    assert_eq!(commit_count(&kb), commits);
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
    assert!(question_files(&kb).is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

/// `kb prep --project P` lists the résumé lines none of whose questions has an answer yet.
#[test]
fn prep_for_a_project_lists_the_resume_lines_still_without_an_answer() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    import_yes(&sb, &kb, &resume(ML));
    let line_text = "TensorRT FP16 변환과 배치 처리로 p95 지연 14초 → 5.8초 단축";
    let gaps = |sb: &Sandbox| {
        let prep = json(
            &sb.kb(&kb)
                .args(["--json", "prep", "--project", "ocr"])
                .assert()
                .success(),
        );
        prep["resume_gaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["line"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let before = gaps(&sb);
    assert!(before.iter().any(|l| l == line_text), "{before:?}");
    // kb stats counts the same lines (from the index's columns).
    let stats_lines = |sb: &Sandbox| {
        let stats = json(&sb.kb(&kb).args(["--json", "stats"]).assert().success());
        stats["resume_lines_unanswered"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["line"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let in_stats = stats_lines(&sb);
    assert!(in_stats.iter().any(|l| l == line_text), "{in_stats:?}");
    let md = stdout(
        &sb.kb(&kb)
            .args(["prep", "--project", "ocr"])
            .assert()
            .success(),
    );
    assert!(
        md.contains("아직 답이 없는 이력서 줄") || md.contains("Résumé lines with no answer yet"),
        "{md}"
    );
    assert!(md.contains(line_text), "{md}");
    // One answered question of that line takes it off the list.
    let file = question_files(&kb)
        .into_iter()
        .find(|f| f.contains(&format!("resume: {line_text}")))
        .unwrap();
    let id = file
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .to_string();
    let path = kb.join(format!("questions/{id}.yaml"));
    std::fs::write(
        &path,
        file.replace("answer: ''", "answer: Nsight로 p95를 쟀다."),
    )
    .unwrap();
    let after = gaps(&sb);
    assert!(!after.iter().any(|l| l == line_text), "{after:?}");
    let in_stats_after = stats_lines(&sb);
    assert!(
        !in_stats_after.iter().any(|l| l == line_text),
        "{in_stats_after:?}"
    );
    assert_eq!(in_stats_after.len(), in_stats.len() - 1);
    assert_eq!(after.len(), before.len() - 1);
}

#[test]
fn notion_company_dash_and_bracketed_resumes_yield_their_projects_only() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    // Notion export: bold project names over `기간:` / `역할:` / `인원:` lines, `→` periods,
    // • and ◦ bullets; the company line above and the 활동 / 교육 sections are not projects.
    let notion = plan(&sb, &kb, &resume("notion-export.md"));
    assert_eq!(
        names(&notion),
        ["불량 검출 모델 고도화", "작업자 안전 모니터링"]
    );
    let first = &notion["projects"][0]["project"];
    assert_eq!(first["period"], "2022년 3월 → 2023년 6월");
    assert_eq!(first["team"], 5);
    assert_eq!(bullets(&notion["projects"][0]).len(), 4);
    // `## 회사 — 프로젝트 (기간)`: the project's name, the company beside it; talks and
    // open-source sections are not projects.
    let dash = plan(&sb, &kb, &resume("company-dash.md"));
    assert_eq!(
        names(&dash),
        ["정산 시스템 재설계", "주문 조회 API 성능 개선"]
    );
    assert_eq!(dash["projects"][0]["project"]["summary"], "토스페이");
    // `[프로젝트] 이름 (기간, 3명)`: no label in the name, the team out of the period; the
    // bracketed 경력 요약 / 기술 / 자격증 sections are not projects.
    let bracket = plan(&sb, &kb, &resume("bracket-prefix.txt"));
    assert_eq!(names(&bracket), ["검색 랭킹 개선", "수요 예측 자동화"]);
    assert_eq!(
        bracket["projects"][0]["project"]["period"],
        "2023.01 – 2023.12"
    );
    assert_eq!(bracket["projects"][0]["project"]["team"], 3);
    // The optimisation words a backend line uses draft "how".
    assert!(
        drafted(line(&dash, "커버링 인덱스"))
            .iter()
            .any(|(r, _)| r == "optimisation/how"),
        "{dash:#}"
    );
}
