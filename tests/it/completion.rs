//! `kb completions` and `kb man`: the completion script run in a real bash, calling the real
//! kb back for candidates, and the man pages read by `man`.

use std::path::Path;

use crate::common::*;

/// A bank with two questions, two tags and a project.
fn bank(sb: &Sandbox) -> std::path::PathBuf {
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["project", "add", "문서 OCR 서빙", "--id", "ocr-serving"])
        .assert()
        .success();
    sb.add(
        &kb,
        &[
            "TCP와 UDP의 차이는?",
            "--id",
            "net-tcp-udp",
            "--tag",
            "network",
        ],
    );
    sb.add(
        &kb,
        &[
            "추론 최적화는 어떻게 했나요?",
            "--id",
            "ocr-infer",
            "--tag",
            "inference",
            "--project",
            "ocr-serving",
        ],
    );
    kb
}

/// What bash's programmable completion offers for `line` (words; the last is the one being
/// completed), with the script `kb completions bash` printed sourced into a clean bash.
fn bash_offers(sb: &Sandbox, kb: &Path, line: &[&str]) -> Vec<String> {
    let script = sb.kb(kb).args(["completions", "bash"]).assert().success();
    let script_path = sb.path().join("kb-completion.bash");
    std::fs::write(&script_path, stdout(&script)).unwrap();
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _clap_complete_kb kb '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script_path.display(),
        words.join(" "),
        line.len() - 1,
        line.join(" "),
        line[line.len() - 1],
        line[line.len().saturating_sub(2)],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .current_dir(sb.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("KB_DIR", kb)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_ids_tags_and_projects_from_the_bank() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let commits = commit_count(&kb);
    let state_before = std::fs::read_dir(kb.join(".git/kb")).unwrap().count();

    assert_eq!(
        bash_offers(&sb, &kb, &["kb", "show", "net-"]),
        ["net-tcp-udp"]
    );
    let ids = bash_offers(&sb, &kb, &["kb", "edit", ""]);
    assert!(
        ids.contains(&"net-tcp-udp".to_string()) && ids.contains(&"ocr-infer".to_string()),
        "{ids:?}"
    );
    assert_eq!(
        bash_offers(&sb, &kb, &["kb", "list", "--tag", "inf"]),
        ["inference"]
    );
    let tags = bash_offers(&sb, &kb, &["kb", "list", "--tag", ""]);
    assert!(tags.contains(&"network".to_string()), "{tags:?}");
    assert_eq!(
        bash_offers(&sb, &kb, &["kb", "list", "--project", "ocr"]),
        ["ocr-serving"]
    );
    // Subcommands and flags come from the same engine.
    assert!(bash_offers(&sb, &kb, &["kb", "comp"]).contains(&"completions".to_string()));

    // Completing wrote nothing.
    assert_eq!(commit_count(&kb), commits);
    assert_eq!(
        std::fs::read_dir(kb.join(".git/kb")).unwrap().count(),
        state_before
    );
}

#[test]
fn a_kb_on_the_line_is_the_one_completed_and_interview_ids_are_offered() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    let (out, _) = sb.interview(&kb, "카카오", &["GC란?"]);
    let interview = out["id"].as_str().unwrap().to_string();
    // KB_DIR names another bank; `--kb` on the line wins, as it does when the command runs.
    let other = sb.init("other");
    let fish = |words: &[&str]| {
        let out = sb
            .kb_in(sb.path())
            .env("KB_DIR", &other)
            .env("KB_COMPLETE", "fish")
            .arg("--")
            .args(words)
            .assert()
            .success();
        stdout(&out)
    };
    let kb_dir = kb.display().to_string();
    assert_eq!(
        fish(&["kb", "--kb", &kb_dir, "show", "net"]).trim_end(),
        "net-tcp-udp\tTCP와 UDP의 차이는?"
    );
    let eq = format!("--kb={kb_dir}");
    assert!(fish(&["kb", &eq, "show", "net"]).starts_with("net-tcp-udp"));
    assert_eq!(
        fish(&["kb", "show", "net"]).trim_end(),
        "",
        "KB_DIR's bank has none"
    );
    let offered = fish(&["kb", "--kb", &kb_dir, "interview", "show", "i-"]);
    assert!(
        offered.starts_with(&format!("{interview}\t카카오")),
        "{offered}"
    );
    let offered = fish(&["kb", "--kb", &kb_dir, "add", "--asked-at", "i-"]);
    assert!(offered.starts_with(&interview), "{offered}");
}

#[test]
fn shells_that_show_descriptions_get_the_question_beside_its_id() {
    let sb = Sandbox::new();
    let kb = bank(&sb);
    // fish's protocol: one `value<TAB>description` a line.
    let out = sb
        .kb_in(sb.path())
        .env("KB_DIR", &kb)
        .env("KB_COMPLETE", "fish")
        .args(["--", "kb", "show", "net"])
        .assert()
        .success();
    assert_eq!(stdout(&out).trim_end(), "net-tcp-udp\tTCP와 UDP의 차이는?");
    for shell in ["zsh", "fish", "powershell"] {
        let script = sb.kb(&kb).args(["completions", shell]).assert().success();
        assert!(stdout(&script).contains("KB_COMPLETE"), "{shell}");
    }
}

#[test]
fn kb_man_writes_a_page_per_subcommand() {
    let sb = Sandbox::new();
    let dir = sb.path().join("man/man1");
    let out = sb.kb_in(sb.path()).arg("man").arg(&dir).assert().success();
    assert!(stderr(&out).contains("man pages"), "{}", stderr(&out));
    for page in [
        "kb.1",
        "kb-add.1",
        "kb-show.1",
        "kb-interview-add.1",
        "kb-completions.1",
    ] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{page} is roff: {text}"
        );
    }
    assert!(
        !dir.join("kb-merge-driver.1").exists(),
        "hidden commands get no page"
    );
    // Read back the way a person would.
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok()
    {
        let shown = std::process::Command::new("man")
            .arg("-l")
            .arg(dir.join("kb-add.1"))
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(
            shown.status.success(),
            "{}",
            String::from_utf8_lossy(&shown.stderr)
        );
        assert!(text.contains("kb-add") && text.contains("--tag"), "{text}");
    } else {
        notice("`man` is not installed: the pages were checked as roff only");
    }
}
