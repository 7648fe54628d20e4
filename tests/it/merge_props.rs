//! Properties of the one merge function shared by `kb merge` and `kb sync`: nothing either side
//! held is lost, the result does not depend on anything but the inputs, merging a question with
//! itself changes nothing.

use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_yaml::{Mapping, Value};

use kb::merge::{fold, merge3};
use kb::{Asked, Question};

fn now() -> Timestamp {
    "2026-11-28T12:00:00Z".parse().unwrap()
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "TCP와 UDP의 차이는?",
        "가상 메모리란?",
        "Overfitting을 줄이는 방법",
        "GIL이란 무엇인가요?",
        "차원의 저주",
        "L1 vs L2",
        "Batch Normalization의 효과는?",
    ])
    .prop_map(String::from)
}

fn answer() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "연결 지향 vs 비연결.\n",
        "페이지 단위로 주소 공간을 준다.\n",
        "## 요약\n- dropout\n- L2\n",
        "$\\frac{1}{n}$\n",
    ])
    .prop_map(String::from)
}

fn question(id: &'static str) -> impl Strategy<Value = Question> {
    (
        text(),
        answer(),
        prop::collection::vec(
            prop::sample::select(vec!["ml", "os", "network", "python", "review"]),
            0..4,
        ),
        prop::option::of(prop::sample::select(vec![
            "ocr-serving",
            "cs-rag-assistant",
        ])),
        prop::collection::vec(prop::sample::select(vec!["카카오", "네이버", "토스"]), 0..3),
        prop::option::of(prop::sample::select(vec![1i64, 2, 3])),
    )
        .prop_map(move |(q, a, tags, project, companies, difficulty)| {
            let mut question = Question::new(id.to_string(), &q);
            question.answer = a;
            question.tags = tags.into_iter().map(String::from).collect();
            kb::model::normalise_tags(&mut question.tags);
            question.project = project.map(String::from);
            question.asked = companies
                .into_iter()
                .map(|c| Asked {
                    company: c.into(),
                    round: None,
                    date: None,
                    interview: None,
                    note: None,
                    extra: Mapping::new(),
                })
                .collect();
            if let Some(d) = difficulty {
                question
                    .extra
                    .insert(Value::String("difficulty".into()), Value::Number(d.into()));
            }
            question.created = "2026-01-01T00:00:00Z".parse().ok();
            question.updated = question.created;
            question
        })
}

/// Everything `from` held is somewhere in `merged` (`id` is `from`'s id as recorded in merges).
fn nothing_lost(merged: &Question, from: &Question) {
    let recorded = |key: &str, value: &str| {
        merged.merged.iter().any(|r| {
            r.get("id").and_then(|v| v.as_str()) == Some(from.id.as_str())
                && r.get(key).and_then(|v| v.as_str()) == Some(value)
        })
    };
    assert!(
        merged.question == from.question || recorded("question", &from.question),
        "wording lost"
    );
    assert!(
        merged.answer.contains(from.answer.trim()),
        "answer lost: {:?} not in {:?}",
        from.answer,
        merged.answer
    );
    for t in &from.tags {
        assert!(merged.tags.contains(t), "tag {t} lost");
    }
    for a in &from.asked {
        assert!(merged.asked.contains(a), "occurrence lost");
    }
    if let Some(p) = &from.project {
        assert!(
            merged.project.as_ref() == Some(p) || recorded("project", p),
            "project lost"
        );
    }
    for (k, v) in &from.extra {
        let kept = merged.extra.get(k) == Some(v)
            || merged.merged.iter().any(|r| {
                r.get("extra")
                    .and_then(|e| e.as_mapping())
                    .and_then(|e| e.get(k))
                    == Some(v)
            });
        assert!(kept, "field {k:?} lost");
    }
}

proptest! {
    // Past failures are kept beside this file (merge_props.proptest-regressions) and re-run first.
    // proptest's default would look for tests/proptest-regressions/merge_props.txt now that this
    // file is a module of tests/it/main.rs, so the place is named here.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn fold_loses_nothing_and_is_deterministic(keep in question("q-keep"), other in question("q-other"), wording in any::<bool>()) {
        let merged = fold(&keep, &other, wording, now());
        nothing_lost(&merged, &keep.clone());
        nothing_lost(&merged, &other);
        prop_assert!(merged.aliases.contains(&"q-other".to_string()));
        prop_assert_eq!(&merged.id, "q-keep");
        let again = fold(&keep, &other, wording, now());
        prop_assert_eq!(merged.to_yaml(), again.to_yaml());
        // The result is a valid question file.
        let reparsed = Question::parse(std::path::Path::new("q-keep.yaml"), &merged.to_yaml(), Some("q-keep")).unwrap();
        prop_assert_eq!(reparsed.to_yaml(), merged.to_yaml());
    }

    #[test]
    fn merging_a_question_with_itself_changes_nothing(a in question("q-a")) {
        prop_assert_eq!(fold(&a, &a, false, now()), a.clone());
        prop_assert_eq!(merge3(Some(&a), Some(&a), Some(&a), now()).question, Some(a.clone()));
        prop_assert_eq!(merge3(None, Some(&a), Some(&a), now()).question, Some(a));
    }

    #[test]
    fn three_way_keeps_what_either_side_did(base in question("q-x"), ours in question("q-x"), theirs in question("q-x")) {
        let merged = merge3(Some(&base), Some(&ours), Some(&theirs), now()).question.expect("both kept it");
        // Both sides' answers survive; tags and occurrences either side added survive.
        prop_assert!(merged.answer.contains(ours.answer.trim()) || ours.answer == base.answer);
        prop_assert!(merged.answer.contains(theirs.answer.trim()) || theirs.answer == base.answer);
        for t in ours.tags.iter().chain(&theirs.tags) {
            if !base.tags.contains(t) {
                prop_assert!(merged.tags.contains(t), "added tag {} lost", t);
            }
        }
        for a in ours.asked.iter().chain(&theirs.asked) {
            if !base.asked.contains(a) {
                prop_assert!(merged.asked.contains(a));
            }
        }
        // Symmetric in content (which side is "ours" only decides whose wording leads).
        let swapped = merge3(Some(&base), Some(&theirs), Some(&ours), now()).question.unwrap();
        prop_assert_eq!(&swapped.tags, &merged.tags);
        prop_assert_eq!(swapped.asked.len(), merged.asked.len());
    }
}
