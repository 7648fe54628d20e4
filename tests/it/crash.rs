//! Crash safety: kb processes killed with SIGKILL at random moments, hundreds of times; after
//! every kill the knowledge base must be whole and everything kb reported as done must be there.
//!
//! Seeded and reproducible: KB_CRASH_SEED picks the run, KB_CRASH_KILLS how many kills (200),
//! KB_CRASH_KEEP=DIR keeps a failing run's repositories.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Something kb reported as done, to look for afterwards.
enum Done {
    Added { id: String, marker: String },
    Edited { id: String, marker: String },
    Merged { keep: String, other: String },
    Interview { id: String, marker: String },
    Synced,
}

fn kb_command(sb: &Sandbox, kb: &Path, args: &[String], editor: &Path) -> Command {
    let mut cmd = sb.kb_process(sb.path());
    cmd.env("EDITOR", editor)
        .arg("--kb")
        .arg(kb)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn ids(sb: &Sandbox, kb: &Path) -> Vec<String> {
    json(&sb.kb(kb).args(["list", "--json"]).assert().success())
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// With `KB_CRASH_KEEP=DIR`, a failing run's sandbox (both clones, the remote) is copied to DIR
/// before the test fails, for looking at with git.
fn keep_for_debugging(sb: &Sandbox) {
    if let Some(dir) = std::env::var_os("KB_CRASH_KEEP") {
        let _ = Command::new("cp")
            .arg("-r")
            .arg(sb.path())
            .arg(dir)
            .status();
    }
}

/// The knowledge base is whole: every file parses, git's object store is sound, and the search
/// index answers (rebuilding itself if a kill broke it).
fn whole(sb: &Sandbox, kb: &Path, probe: Option<&(String, String)>) {
    let check = sb.kb(kb).arg("check").assert();
    if check.get_output().status.code() != Some(0) {
        let git = |args: &[&str]| {
            String::from_utf8_lossy(
                &Command::new("git")
                    .current_dir(kb)
                    .args(args)
                    .output()
                    .unwrap()
                    .stdout,
            )
            .into_owned()
        };
        keep_for_debugging(sb);
        panic!(
            "kb check after a kill:\n{}\nstatus:\n{}\nreflog:\n{}\nlog:\n{}\ngit dir: {:?}\nkb dir: {:?}",
            stdout(&check),
            git(&["status", "--porcelain"]),
            git(&["reflog", "-6"]),
            git(&["log", "--stat", "--format=%h %s", "-4"]),
            std::fs::read_dir(kb.join(".git"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>(),
            std::fs::read_dir(kb.join(".git/kb"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
    }
    let fsck = Command::new("git")
        .current_dir(kb)
        .args(["fsck", "--no-progress", "--no-dangling"])
        .env("HOME", &sb.home)
        .output()
        .unwrap();
    if !fsck.status.success() {
        keep_for_debugging(sb);
    }
    assert!(
        fsck.status.success(),
        "git fsck: {}\n{}",
        String::from_utf8_lossy(&fsck.stdout),
        String::from_utf8_lossy(&fsck.stderr)
    );
    if let Some((id, marker)) = probe {
        let out = sb.kb(kb).args(["search", marker, "--json"]).assert();
        // The question, or the one it was merged into by a later (possibly killed) merge.
        let found = out.get_output().status.success()
            && json(&out).as_array().unwrap().iter().any(|h| {
                h["id"] == id.as_str()
                    || sb
                        .kb(kb)
                        .args(["show", h["id"].as_str().unwrap(), "--json"])
                        .assert()
                        .get_output()
                        .stdout
                        .windows(marker.len())
                        .any(|w| w == marker.as_bytes())
            });
        if !found {
            let git = |args: &[&str]| {
                String::from_utf8_lossy(
                    &Command::new("git")
                        .current_dir(kb)
                        .args(args)
                        .output()
                        .unwrap()
                        .stdout,
                )
                .into_owned()
            };
            let msg = format!(
                "search lost {id} ({marker}): {}\nfile exists: {}\nstatus:\n{}\nlog:\n{}\ngit dir: {:?}\nkb dir: {:?}",
                stderr(&out),
                kb.join(format!("questions/{id}.yaml")).exists(),
                git(&["status", "--porcelain"]),
                git(&["reflog", "-12"]),
                std::fs::read_dir(kb.join(".git"))
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect::<Vec<_>>(),
                std::fs::read_dir(kb.join(".git/kb"))
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect::<Vec<_>>(),
            ) + &format!(
                "\nrebase-merge: {:?}\nabort: {:?}",
                std::fs::read_dir(kb.join(".git/rebase-merge"))
                    .map(|d| d.map(|e| e.unwrap().file_name()).collect::<Vec<_>>())
                    .ok(),
                Command::new("git")
                    .current_dir(kb)
                    .args(["rebase", "--abort"])
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                    .ok()
            );
            panic!("{msg}");
        }
    }
}

#[test]
fn killed_at_random_moments_kb_loses_nothing_it_reported() {
    let target: usize = std::env::var("KB_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("KB_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let sb = Sandbox::new();
    let remote = sb.bare_remote("remote.git");
    let kb = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote"])
        .arg(&remote)
        .arg(&kb)
        .assert()
        .success();
    for i in 0..5 {
        sb.kb(&kb)
            .args([
                "add",
                &format!("기본 질문 {i}"),
                "--id",
                &format!("base{i}"),
                "--answer",
                "기본 답",
            ])
            .assert()
            .success();
    }
    sb.kb(&kb).arg("sync").assert().success();
    let other = sb.path().join("b");
    sb.kb_in(sb.path())
        .args(["clone", remote.to_str().unwrap()])
        .arg(&other)
        .assert()
        .success();

    let editor_target: PathBuf = sb.path().join("editor-marker");
    let editor = script(
        &sb.path().join("editor.sh"),
        &format!(
            r#"m=$(cat "{}"); printf '\n%s\n' "$m" >> "$1""#,
            editor_target.display()
        ),
    );

    let mut done: Vec<Done> = Vec::new();
    let mut probe: Option<(String, String)> = None;
    let (mut kills, mut completed, mut n) = (0usize, 0usize, 0usize);
    let started = Instant::now();
    while kills < target {
        n += 1;
        let marker = format!("crashmark{n}x");
        let existing = ids(&sb, &kb);
        let op = rng.below(10);
        let args: Vec<String> = match op {
            0..=3 => vec![
                "add".into(),
                format!("질문 {marker}"),
                "--answer".into(),
                format!("답 {marker}"),
            ],
            4 | 5 => {
                std::fs::write(&editor_target, &marker).unwrap();
                vec![
                    "edit".into(),
                    existing[rng.below(existing.len() as u64) as usize].clone(),
                ]
            }
            6 if existing.len() > 6 => {
                let a = existing[rng.below(existing.len() as u64) as usize].clone();
                let b = existing[rng.below(existing.len() as u64) as usize].clone();
                if a == b || a.starts_with("base") && b.starts_with("base") {
                    continue;
                }
                vec!["merge".into(), a, b]
            }
            7 => vec![
                "interview".into(),
                "add".into(),
                "--company".into(),
                "크래시".into(),
                "--no-dedupe".into(),
                format!("면접 {marker}"),
            ],
            _ => {
                if rng.below(3) == 0 {
                    // The other machine moves the remote, so this sync has to rebase.
                    sb.kb(&other)
                        .args(["add", &format!("저쪽 {marker}")])
                        .assert()
                        .success();
                    sb.kb(&other).arg("sync").assert().success();
                }
                vec!["sync".into()]
            }
        };
        let mut child = kb_command(&sb, &kb, &args, &editor).spawn().unwrap();
        // Debug-build commands take 5–150 ms: kill anywhere in that span.
        std::thread::sleep(Duration::from_micros(rng.below(120_000)));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
            kills += 1;
        }
        let out = child.wait_with_output().unwrap();
        if std::env::var_os("KB_CRASH_VERBOSE").is_some() {
            eprintln!(
                "#{n} {args:?} {} {:?} {} {}",
                if finished { "finished" } else { "KILLED" },
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        if finished && out.status.success() {
            completed += 1;
            let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
            match args[0].as_str() {
                "add" => {
                    done.push(Done::Added {
                        id: printed.clone(),
                        marker: marker.clone(),
                    });
                    probe = Some((printed, marker.clone()));
                }
                "edit" => done.push(Done::Edited {
                    id: args[1].clone(),
                    marker: marker.clone(),
                }),
                "merge" => {
                    if let Some(p) = probe.as_mut()
                        && p.0 == args[2]
                    {
                        p.0 = args[1].clone(); // folded into the kept question
                    }
                    done.push(Done::Merged {
                        keep: args[1].clone(),
                        other: args[2].clone(),
                    })
                }
                "interview" => done.push(Done::Interview {
                    id: printed,
                    marker: marker.clone(),
                }),
                _ => done.push(Done::Synced),
            }
        }
        whole(&sb, &kb, probe.as_ref());
    }

    // Everything reported as done is there (later merges fold questions, so look everywhere).
    sb.kb(&kb).arg("sync").assert().success();
    let all: String = std::fs::read_dir(kb.join("questions"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for d in &done {
        match d {
            Done::Added { id, marker } => {
                assert!(all.contains(marker.as_str()), "added {id} ({marker}) lost");
                sb.kb(&kb).args(["show", id]).assert().success();
            }
            Done::Edited { marker, id } => assert!(
                all.contains(marker.as_str()),
                "edit of {id} ({marker}) lost"
            ),
            Done::Merged { keep, other } => {
                let shown = json(
                    &sb.kb(&kb)
                        .args(["show", other, "--json"])
                        .assert()
                        .success(),
                );
                assert!(
                    shown["aliases"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|a| a == other.as_str())
                        || shown["id"] == keep.as_str(),
                    "merge {other} → {keep} lost"
                );
            }
            Done::Interview { id, marker } => {
                assert!(
                    kb.join(format!("interviews/{id}.yaml")).is_file(),
                    "interview {id} lost"
                );
                assert!(
                    all.contains(marker.as_str()),
                    "interview question {marker} lost"
                );
            }
            Done::Synced => {}
        }
    }
    assert_eq!(
        sb.git(&kb, &["rev-parse", "HEAD"]),
        sb.git(&remote, &["rev-parse", "main"])
    );
    assert!(!kb.join(".git/index.lock").exists());
    eprintln!(
        "{kills} kills, {completed} completed commands, {} s",
        started.elapsed().as_secs()
    );
}

/// What a writer killed mid-write leaves: its `writing` marker and temporary files, also in the
/// questions folder (which is only searched when the marker says a writer died). The next
/// write removes them and its own marker; the questions are untouched.
#[test]
fn a_killed_writers_temporary_files_are_removed_by_the_next_write() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    let id = sb.add(&kb, &["남아 있어야 할 질문?"]);
    let before = std::fs::read(kb.join(format!("questions/{id}.yaml"))).unwrap();
    std::fs::write(kb.join(".git/kb/writing"), "4242").unwrap();
    for leftover in ["questions/.kb-tmp-Ab12Cd", "interviews/.kb-tmp-Ef34Gh"] {
        std::fs::write(kb.join(leftover), "half a file").unwrap();
    }
    sb.add(&kb, &["다음 질문?"]);
    for leftover in [
        "questions/.kb-tmp-Ab12Cd",
        "interviews/.kb-tmp-Ef34Gh",
        ".git/kb/writing",
    ] {
        assert!(!kb.join(leftover).exists(), "{leftover} is still there");
    }
    assert_eq!(
        std::fs::read(kb.join(format!("questions/{id}.yaml"))).unwrap(),
        before
    );
    assert_eq!(sb.git(&kb, &["status", "--porcelain"]), "");
}

/// `kb import` of a large folder, `kb merge`, `kb project add` and `kb reindex`, each killed at
/// random moments: after every kill the bank is whole (`kb check` finds no half-done merge), git's
/// index agrees with HEAD for kb's folders, no question file HEAD has is missing, and a change
/// killed half-way is finished by the next kb (an import is all there or not there at all).
#[test]
fn killed_imports_merges_project_adds_and_reindexes_leave_the_bank_whole() {
    let target: usize = std::env::var("KB_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(|n: usize| n / 4)
        .unwrap_or(50);
    let seed: u64 = std::env::var("KB_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let sb = Sandbox::new();
    let kb = sb.init("a");
    for i in 0..12 {
        sb.kb(&kb)
            .args([
                "add",
                &format!("기본 질문 {i}번?"),
                "--id",
                &format!("base{i}"),
            ])
            .assert()
            .success();
    }
    let editor = script(&sb.path().join("editor.sh"), "true");
    let (mut kills, mut n, mut imports) = (0usize, 0usize, 0usize);
    while kills < target {
        n += 1;
        let existing = ids(&sb, &kb);
        let args: Vec<String> = match rng.below(4) {
            0 => {
                // A fresh folder each time, so every import has questions to write.
                let notes = sb.path().join(format!("notes{n}"));
                std::fs::create_dir_all(&notes).unwrap();
                for f in 0..40 {
                    let mut text = format!("# 주제 {n}-{f}\n\n");
                    for q in 0..8 {
                        text.push_str(&format!(
                            "## 임포트 {n}-{f}-{q}번 질문은 무엇인가요?\n\n{n}-{f}-{q}번의 설명.\n\n"
                        ));
                    }
                    std::fs::write(notes.join(format!("n{f}.md")), text).unwrap();
                }
                imports += 1;
                vec!["import".into(), notes.display().to_string()]
            }
            1 if existing.len() > 3 => {
                let a = existing[rng.below(existing.len() as u64) as usize].clone();
                let b = existing[rng.below(existing.len() as u64) as usize].clone();
                if a == b {
                    continue;
                }
                vec!["merge".into(), a, b]
            }
            2 => vec!["project".into(), "add".into(), format!("프로젝트 {n}")],
            _ => vec!["reindex".into()],
        };
        let head_files = sb.git(&kb, &["ls-tree", "--name-only", "HEAD", "questions/"]);
        let mut child = kb_command(&sb, &kb, &args, &editor).spawn().unwrap();
        let span = if args[0] == "import" {
            2_500_000
        } else {
            200_000
        };
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
            kills += 1;
        }
        let out = child.wait_with_output().unwrap();
        if std::env::var_os("KB_CRASH_VERBOSE").is_some() {
            eprintln!(
                "#{n} {args:?} {} {:?} {}",
                if finished { "finished" } else { "KILLED" },
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        // `kb check` (inside `whole`) opens the bank first, which finishes a killed change.
        whole(&sb, &kb, None);
        let staged = sb.git(
            &kb,
            &[
                "diff",
                "--cached",
                "--name-only",
                "--",
                "questions",
                "projects",
            ],
        );
        assert_eq!(staged, "", "#{n} {args:?}: git's index disagrees with HEAD");
        for name in head_files.lines() {
            // Present, or removed by a merge that landed.
            assert!(
                kb.join(name).is_file()
                    || !sb
                        .git(&kb, &["ls-tree", "--name-only", "HEAD", name])
                        .contains(name),
                "#{n} {args:?}: {name} is in HEAD but not in the working tree"
            );
        }
        // Nothing half-imported is left lying around uncommitted.
        let loose = sb.git(
            &kb,
            &["status", "--porcelain", "--", "questions", "projects"],
        );
        assert_eq!(loose, "", "#{n} {args:?}: files left uncommitted");
        if args[0] == "import" {
            let marker = format!("임포트 {n}-");
            let count = std::fs::read_dir(kb.join("questions"))
                .unwrap()
                .filter(|e| {
                    std::fs::read_to_string(e.as_ref().unwrap().path())
                        .unwrap()
                        .contains(&marker)
                })
                .count();
            assert!(
                count == 0 || count == 320,
                "#{n}: an import half there ({count} of 320 questions)"
            );
        }
    }
    eprintln!("{kills} kills in {n} commands, {imports} imports");
}
