//! The sample knowledge base shipped in `kb/` is valid, canonical, and as complete as promised.

use std::collections::BTreeMap;

use crate::common::*;

#[test]
fn sample_kb_is_valid_and_canonical() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let check = sb.kb(&kb).arg("check").assert().success();
    assert!(stdout(&check).is_empty(), "{}", stdout(&check));
    sb.kb(&kb).args(["fmt", "--check"]).assert().success();
}

#[test]
fn sample_kb_has_fundamentals_projects_and_the_template() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let rows = json(&sb.kb(&kb).args(["list", "--json"]).assert().success());
    let rows = rows.as_array().unwrap();

    let fundamentals = [
        "ml",
        "deep-learning",
        "statistics",
        "os",
        "network",
        "database",
        "data-structure",
        "algorithm",
        "python",
    ];
    let mut per_project: BTreeMap<String, usize> = BTreeMap::new();
    let mut fundamental = 0;
    for row in rows {
        assert_eq!(
            row["answered"], true,
            "every sample question has an answer: {}",
            row["id"]
        );
        let tags: Vec<&str> = row["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        if let Some(p) = row["project"].as_str() {
            *per_project.entry(p.to_string()).or_default() += 1;
        } else if tags.iter().any(|t| fundamentals.contains(t)) {
            fundamental += 1;
        }
    }
    assert!(fundamental >= 60, "{fundamental} fundamentals questions");
    assert!(per_project.len() >= 2, "{per_project:?}");
    for (project, n) in &per_project {
        assert!((10..=15).contains(n), "{project} has {n} questions");
        assert!(
            kb.join(format!("projects/{project}.yaml")).is_file(),
            "{project} has a record"
        );
    }

    // Every template entry is instantiated once for every project.
    let template = std::fs::read_to_string(kb.join("templates/project-questions.yaml")).unwrap();
    let keys: Vec<&str> = template
        .lines()
        .filter_map(|l| l.strip_prefix("- key: "))
        .collect();
    assert!(keys.len() >= 6, "{keys:?}");
    for project in per_project.keys() {
        for key in &keys {
            let id = format!("{project}-{key}");
            let q = json(&sb.kb(&kb).args(["show", &id, "--json"]).assert().success());
            assert_eq!(q["template"], *key);
            assert_eq!(q["project"], project.as_str());
        }
    }
}
