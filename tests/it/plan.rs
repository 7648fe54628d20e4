//! `kb plan --until DATE` and `kb drill --until DATE`: every question in scope reviewed before
//! the interview, a day at a time, and the plan following what was done.

use std::collections::HashSet;

use crate::common::*;

const NOW: &str = "2026-12-02T09:00:00Z";

fn plan(sb: &Sandbox, kb: &std::path::Path, args: &[&str]) -> serde_json::Value {
    json(
        &sb.kb(kb)
            .env("KB_NOW", NOW)
            .args(["--json", "plan"])
            .args(args)
            .assert()
            .success(),
    )
}

fn planned(plan: &serde_json::Value) -> Vec<Vec<String>> {
    plan["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| serde_json::from_value(d["questions"].clone()).unwrap())
        .collect()
}

#[test]
fn every_question_in_scope_is_planned_before_the_day_and_today_is_drilled() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let p = plan(
        &sb,
        &kb,
        &[
            "--until",
            "2026-12-09",
            "--project",
            "ocr-serving",
            "--per-day",
            "5",
        ],
    );
    let days = planned(&p);
    assert_eq!(days.len(), 7, "today to the day before: {p}");
    let all: HashSet<&String> = days.iter().flatten().collect();
    let scope = json(
        &sb.kb(&kb)
            .args(["--json", "list", "--project", "ocr-serving"])
            .assert()
            .success(),
    );
    let scope: HashSet<String> = scope
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(scope.len(), 14);
    assert_eq!(all.len(), 14, "every question is planned");
    assert!(all.iter().all(|id| scope.contains(*id)), "only the scope");
    assert!(days.iter().all(|d| d.len() <= 5), "{p}");
    assert_eq!(p["raised_from"], serde_json::Value::Null);
    assert_eq!(p["days"][0]["date"], "2026-12-02");
    assert_eq!(p["days"][6]["date"], "2026-12-08");

    // Today's part is what kb drill --until drills, in that order.
    let today = &days[0];
    let grades = "\n3\n".repeat(today.len());
    let out = sb
        .kb(&kb)
        .env("KB_NOW", NOW)
        .args([
            "drill",
            "--until",
            "2026-12-09",
            "--per-day",
            "5",
            "--project",
            "ocr-serving",
        ])
        .write_stdin(grades)
        .assert()
        .success();
    let err = stderr(&out);
    let shown: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with('['))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(
        shown,
        today.iter().map(String::as_str).collect::<Vec<_>>(),
        "{err}"
    );
    assert!(head_message(&kb).starts_with(&format!("drill: {} reviews", today.len())));

    // The same day again: today's part is done.
    let again = sb
        .kb(&kb)
        .env("KB_NOW", "2026-12-02T18:00:00Z")
        .args([
            "drill",
            "--until",
            "2026-12-09",
            "--per-day",
            "5",
            "--project",
            "ocr-serving",
        ])
        .write_stdin("")
        .assert()
        .success();
    assert!(
        stderr(&again).contains("Today's part of the plan to 2026-12-09 is done"),
        "{}",
        stderr(&again)
    );
    let later = plan(
        &sb,
        &kb,
        &[
            "--until",
            "2026-12-09",
            "--project",
            "ocr-serving",
            "--per-day",
            "5",
        ],
    );
    assert_eq!(later["done_today"], today.len());
    assert_eq!(planned(&later)[0].len(), 0, "{later}");

    // Tomorrow the plan follows: what was drilled today has a history now, and every question
    // is still planned before the day.
    let tomorrow = json(
        &sb.kb(&kb)
            .env("KB_NOW", "2026-12-03T09:00:00Z")
            .args([
                "--json",
                "plan",
                "--until",
                "2026-12-09",
                "--project",
                "ocr-serving",
                "--per-day",
                "5",
            ])
            .assert()
            .success(),
    );
    let days = planned(&tomorrow);
    assert_eq!(days.len(), 6);
    let all: HashSet<&String> = days.iter().flatten().collect();
    assert_eq!(all.len(), 14, "{tomorrow}");
    let new: u64 = tomorrow["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["new"].as_u64().unwrap())
        .sum();
    assert_eq!(
        new as usize,
        14 - today.len(),
        "the drilled ones are not new: {tomorrow}"
    );
}

#[test]
fn too_little_room_raises_the_daily_load_and_a_past_date_is_refused() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let p = plan(&sb, &kb, &["--until", "2026-12-04", "--per-day", "10"]);
    assert_eq!(p["raised_from"], 10, "{}", p["per_day"]);
    assert_eq!(p["per_day"], 62, "123 questions over 2 days");
    assert_eq!(
        planned(&p).iter().flatten().collect::<HashSet<_>>().len(),
        123
    );
    let text = sb
        .kb(&kb)
        .env("KB_NOW", NOW)
        .args(["plan", "--until", "2026-12-04", "--per-day", "10"])
        .assert()
        .success();
    assert!(
        stderr(&text).contains("10 a day would leave questions unreviewed"),
        "{}",
        stderr(&text)
    );
    for (date, says) in [
        ("2026-12-02", "is not after today"),
        ("2026-11-30", "is not after today"),
        ("2026-02-30", "does not exist"),
    ] {
        let refused = sb
            .kb(&kb)
            .env("KB_NOW", NOW)
            .args(["plan", "--until", date])
            .assert()
            .failure();
        assert!(
            stderr(&refused).contains(says),
            "{date}: {}",
            stderr(&refused)
        );
    }
}
