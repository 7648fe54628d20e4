//! The pager: started for long output on a terminal (a real pseudo-terminal from `script`),
//! with colours kept and LESS set as git sets it; never when output is piped or turned off.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A pager that records what it was given (its input, and LESS) in `<sandbox>/paged-<tag>`.
fn fake_pager(sb: &Sandbox, tag: &str) -> PathBuf {
    let out = sb.path().join(format!("paged-{tag}"));
    let env = sb.path().join(format!("paged-{tag}.env"));
    script(
        &sb.path().join(format!("pager-{tag}.sh")),
        &format!(
            "cat > '{}'\nprintf 'LESS=%s\\n' \"${{LESS-unset}}\" > '{}'",
            out.display(),
            env.display()
        ),
    )
}

fn paged(sb: &Sandbox, tag: &str) -> Option<(String, String)> {
    let out = std::fs::read_to_string(sb.path().join(format!("paged-{tag}"))).ok()?;
    let env = std::fs::read_to_string(sb.path().join(format!("paged-{tag}.env"))).unwrap();
    Some((out, env))
}

fn run_on_terminal(sb: &Sandbox, kb: &Path, args: &str, env: &[(&str, &Path)]) -> String {
    let out = sb.kb_on_terminal(kb, args, env).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn long_output_on_a_terminal_goes_to_the_pager_in_colour() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(
        &kb,
        &[
            "페이저로 보이나요?",
            "--tag",
            "pager",
            "--answer",
            "네, 색도 그대로.",
        ],
    );
    let pager = fake_pager(&sb, "a");
    let screen = run_on_terminal(&sb, &kb, &format!("show {id}"), &[("KB_PAGER", &pager)]);
    let (text, env) = paged(&sb, "a").expect("the pager was started");
    assert!(text.contains("페이저로 보이나요?"), "{text}");
    assert!(
        text.contains('\u{1b}'),
        "colours survive the pager: {text:?}"
    );
    assert_eq!(env.trim(), "LESS=FRX");
    assert!(
        !screen.contains("페이저로"),
        "nothing went around the pager: {screen}"
    );

    // KB_PAGER beats PAGER; a LESS the person set is left alone.
    let other = fake_pager(&sb, "b");
    run_on_terminal(
        &sb,
        &kb,
        "list",
        &[
            ("KB_PAGER", &pager),
            ("PAGER", &other),
            ("LESS", Path::new("-R")),
        ],
    );
    assert!(paged(&sb, "b").is_none());
    let (text, env) = paged(&sb, "a").unwrap();
    assert!(text.contains(&id), "{text}");
    assert_eq!(env.trim(), "LESS=-R");
    // PAGER when KB_PAGER is unset.
    run_on_terminal(&sb, &kb, "stats", &[("PAGER", &other)]);
    assert!(paged(&sb, "b").is_some());
}

#[test]
fn no_pager_when_piped_or_turned_off() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let id = sb.add(&kb, &["파이프로 보내면 페이저가 없나요?"]);
    let pager = fake_pager(&sb, "p");
    // Piped: straight out.
    let out = sb
        .kb(&kb)
        .env("KB_PAGER", &pager)
        .args(["show", &id])
        .assert()
        .success();
    assert!(stdout(&out).contains("파이프로"));
    assert!(paged(&sb, "p").is_none());
    if !pty_available() {
        return;
    }
    // --no-pager on a terminal.
    let screen = run_on_terminal(
        &sb,
        &kb,
        &format!("--no-pager show {id}"),
        &[("KB_PAGER", &pager)],
    );
    assert!(screen.contains("파이프로"), "{screen}");
    assert!(paged(&sb, "p").is_none());
    // kb.yaml `pager: false` turns $PAGER off; `pager: CMD` is used instead of $PAGER.
    let config = kb.join("kb.yaml");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{original}pager: false\n")).unwrap();
    let screen = run_on_terminal(&sb, &kb, &format!("show {id}"), &[("PAGER", &pager)]);
    assert!(screen.contains("파이프로"), "{screen}");
    assert!(paged(&sb, "p").is_none());
    let configured = fake_pager(&sb, "c");
    std::fs::write(
        &config,
        format!("{original}pager: '{}'\n", configured.display()),
    )
    .unwrap();
    run_on_terminal(&sb, &kb, &format!("show {id}"), &[("PAGER", &pager)]);
    assert!(paged(&sb, "p").is_none());
    assert!(paged(&sb, "c").unwrap().0.contains("파이프로"));
}

#[test]
fn a_pager_that_quits_early_gets_no_error_from_kb() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    // An answer far longer than a pipe holds (64 KiB), so kb is still writing when the pager
    // goes.
    let long = "긴 답변의 한 줄입니다. ".repeat(20_000);
    let file = sb.path().join("long.md");
    std::fs::write(&file, &long).unwrap();
    let id = sb.add(
        &kb,
        &["아주 긴 답변", "--answer-file", file.to_str().unwrap()],
    );
    // Reads one line and leaves, like `q` in less.
    let quitter = script(&sb.path().join("quit.sh"), "head -n 1 > /dev/null");
    let out = sb
        .kb_on_terminal(&kb, &format!("show {id}"), &[("KB_PAGER", &quitter)])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(!screen.to_lowercase().contains("broken pipe"), "{screen}");
    assert!(!screen.contains("error"), "{screen}");
    assert!(!screen.contains("panicked"), "{screen}");
}

#[test]
fn interview_show_and_prep_go_to_the_pager_too() {
    if !pty_available() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let (out, _) = sb.interview(&kb, "카카오", &["TCP와 UDP 차이?", "가상 메모리란?"]);
    let interview = out["id"].as_str().unwrap().to_string();
    let pager = fake_pager(&sb, "i");
    let screen = run_on_terminal(
        &sb,
        &kb,
        &format!("interview show {interview}"),
        &[("KB_PAGER", &pager)],
    );
    let (text, _) = paged(&sb, "i").expect("interview show was paged");
    assert!(text.contains("가상 메모리란?"), "{text}");
    assert!(!screen.contains("가상 메모리란?"), "{screen}");

    let pager = fake_pager(&sb, "prep");
    let screen = run_on_terminal(&sb, &kb, "prep -c 카카오", &[("KB_PAGER", &pager)]);
    let (text, _) = paged(&sb, "prep").expect("prep was paged");
    assert!(text.contains("TCP와 UDP 차이?"), "{text}");
    assert!(!screen.contains("TCP와 UDP 차이?"), "{screen}");
    // prep -o writes a file: nothing to page.
    let file = sb.path().join("prep.md");
    let pager = fake_pager(&sb, "prep-o");
    run_on_terminal(
        &sb,
        &kb,
        &format!("prep -c 카카오 -o {}", file.display()),
        &[("KB_PAGER", &pager)],
    );
    assert!(paged(&sb, "prep-o").is_none());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("TCP와 UDP")
    );
}
