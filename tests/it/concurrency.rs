//! Several kb processes on one knowledge base at once: every write lands, nothing is corrupted,
//! no git lock file is left behind, and a writer that has to wait says so.

use std::thread;

use crate::common::*;

#[test]
fn two_hundred_adds_from_two_processes_all_land() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["add", "색인을 먼저 만든다", "--id", "warm"])
        .assert()
        .success();
    sb.kb(&kb).args(["search", "색인"]).assert().success();
    let waited = std::sync::atomic::AtomicUsize::new(0);
    thread::scope(|s| {
        for w in 0..2 {
            let (sb, kb, waited) = (&sb, &kb, &waited);
            s.spawn(move || {
                for i in 0..100 {
                    let out = sb
                        .kb(kb)
                        .args(["add", &format!("writer {w} question {i} 동시성")])
                        .assert()
                        .success();
                    if stderr(&out)
                        .contains("Another kb is writing to this knowledge base; waiting…")
                    {
                        waited.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let rows = json(&sb.kb(&kb).args(["list", "--json"]).assert().success());
    assert_eq!(rows.as_array().unwrap().len(), 201);
    assert_eq!(commit_count(&kb), 2 + 200, "one commit per add");
    assert!(
        waited.load(std::sync::atomic::Ordering::Relaxed) > 0,
        "writers waited for each other and said so"
    );
    assert!(!kb.join(".git/index.lock").exists());
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
    sb.git(&kb, &["fsck", "--no-dangling"]);
    sb.kb(&kb).arg("check").assert().success();
    // The index saw every add.
    let hits = json(
        &sb.kb(&kb)
            .args(["search", "동시성", "--limit", "500", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(hits.as_array().unwrap().len(), 200);
}

#[test]
fn searching_while_the_index_is_rebuilt_always_answers() {
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    sb.kb(&kb).args(["search", "TCP"]).assert().success();
    thread::scope(|s| {
        let (sbr, kbr) = (&sb, &kb);
        s.spawn(move || {
            for _ in 0..6 {
                sbr.kb(kbr).arg("reindex").assert().success();
            }
        });
        for _ in 0..60 {
            let hits = json(
                &sb.kb(&kb)
                    .args(["search", "TCP", "UDP", "--json"])
                    .assert()
                    .success(),
            );
            assert_eq!(hits[0]["id"], "net-tcp-vs-udp");
        }
    });
    let leftovers: Vec<_> = std::fs::read_dir(kb.join(".git/kb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let out = json(&sb.kb(&kb).args(["reindex", "--json"]).assert().success());
    assert_eq!(out["questions"], 123);
}

#[test]
fn concurrent_changes_to_one_question_are_both_kept() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["같은 질문", "--id", "same"]);
    thread::scope(|s| {
        for w in 0..4 {
            let (sb, kb) = (&sb, &kb);
            s.spawn(move || {
                for i in 0..10 {
                    sb.kb(kb)
                        .args(["tag", "same", &format!("+w{w}t{i}")])
                        .assert()
                        .success();
                }
            });
        }
    });
    let q = json(
        &sb.kb(&kb)
            .args(["show", "same", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(
        q["tags"].as_array().unwrap().len(),
        40,
        "no tag lost: {}",
        q["tags"]
    );
}
