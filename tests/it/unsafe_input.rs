//! Input that would do harm if printed or passed on as it is: escape sequences and bidi
//! controls in the user's data, `-o` pointing at a special file, URLs that look like options,
//! endless streams, `init` in the wrong place, output that cannot be written.

use std::path::Path;

use crate::common::*;

const ESC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const ESC_CLEAR: &str = "\u{1b}[2J";
const CLIPBOARD: &str = "\u{1b}]52;c;ZWNobyBoaQ==\u{7}";
const BIDI: &str = "\u{202e}";

fn hostile_bank(sb: &Sandbox) -> std::path::PathBuf {
    let kb = sb.init("kb");
    sb.kb(&kb)
        .args([
            "add",
            &format!("TCP{ESC_TITLE}와 UDP{BIDI} 차이는?"),
            "--id",
            "net-tcp",
            "--answer",
            &format!("답{ESC_CLEAR} 끝{CLIPBOARD}\n"),
            "--tag",
            "net",
        ])
        .assert()
        .success();
    // A hand-written interview and project with escapes in every field.
    std::fs::create_dir_all(kb.join("interviews")).unwrap();
    std::fs::write(
        kb.join("interviews/i-evil.yaml"),
        "id: i-evil\ncompany: \"카카오\\e]0;title\\a\"\nround: \"1차\\e[2J\"\ndate: 2026-11-20\nnotes: \"메모\\u202e거꾸로\"\nquestions:\n- net-tcp\n",
    )
    .unwrap();
    std::fs::create_dir_all(kb.join("projects")).unwrap();
    std::fs::write(
        kb.join("projects/evil.yaml"),
        "id: evil\nname: \"OCR\\e]52;c;AAAA\\a 서빙\"\nsummary: \"요약\\e[8m숨김\"\n",
    )
    .unwrap();
    let path = kb.join("questions/net-tcp.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}asked:\n- company: \"네이버\\e]0;x\\a\"\n  round: \"2차\\u202e\"\n  date: 2026-11-21\n"),
    )
    .unwrap();
    sb.git(&kb, &["add", "-A"]);
    sb.git(&kb, &["commit", "-q", "-m", "hand-written"]);
    kb
}

fn inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.contains('\u{1b}'),
        "{what}: an escape reached the output: {text:?}"
    );
    assert!(
        !text.contains('\u{7}'),
        "{what}: a BEL reached the output: {text:?}"
    );
    assert!(
        !text.contains(BIDI),
        "{what}: a bidi override reached the output: {text:?}"
    );
}

#[test]
fn escape_sequences_and_bidi_controls_in_data_never_reach_the_terminal() {
    let sb = Sandbox::new();
    let kb = hostile_bank(&sb);
    for args in [
        vec!["show", "net-tcp"],
        vec!["list"],
        vec!["search", "UDP"],
        vec!["stats"],
        vec!["prep"],
        vec!["prep", "--format", "md"],
        vec!["interview", "list"],
        vec!["interview", "show", "i-evil"],
        vec!["project", "list"],
        vec!["project", "show", "evil"],
        vec!["export", "--format", "md"],
        vec!["export", "--format", "anki"],
    ] {
        for color in ["never", "always"] {
            let out = sb
                .kb(&kb)
                .args(&args)
                .args(["--color", color])
                .output()
                .unwrap();
            let shown = format!("{args:?} --color {color}");
            assert!(
                out.status.success(),
                "{shown}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if color == "never" {
                inert(&shown, &out.stdout);
            } else {
                // kb's own colours stay; nothing else that starts with ESC does.
                let text = String::from_utf8_lossy(&out.stdout);
                for (i, _) in text.match_indices('\u{1b}') {
                    let rest = &text[i + 1..];
                    let params = rest.strip_prefix('[').unwrap_or("");
                    let len = params
                        .bytes()
                        .take_while(|b| b.is_ascii_digit() || *b == b';')
                        .count();
                    assert!(
                        rest.starts_with('[') && params[len..].starts_with('m'),
                        "{shown}: a non-colour escape: {:?}",
                        &text[i..(i + 12).min(text.len())]
                    );
                }
                assert!(!text.contains(BIDI), "{shown}");
                assert!(!text.contains('\u{7}'), "{shown}");
            }
            inert(&format!("{shown} (stderr)"), &out.stderr);
        }
    }
    // The stand-ins show that something was there.
    let out = stdout(&sb.kb(&kb).args(["show", "net-tcp"]).assert().success());
    assert!(out.contains('␛') && out.contains("<U+202E>"), "{out}");
    // Scripts get the data as it is: JSON escapes the control characters itself.
    let v = json(
        &sb.kb(&kb)
            .args(["show", "net-tcp", "--json"])
            .assert()
            .success(),
    );
    assert!(
        v["asked"][0]["company"]
            .as_str()
            .unwrap()
            .contains("\u{1b}]0;x\u{7}"),
        "{v}"
    );
    // A Markdown export written to a file is made inert too.
    let md = sb.path().join("out.md");
    sb.kb(&kb)
        .args(["export", "--format", "md", "-o"])
        .arg(&md)
        .assert()
        .success();
    inert("export -o", &std::fs::read(&md).unwrap());
}

#[test]
fn output_through_special_files_and_symlinks_keeps_them() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.kb(&kb)
        .args(["add", "가상 메모리란?"])
        .assert()
        .success();
    // A FIFO: written through, still a FIFO afterwards.
    let fifo = sb.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    sb.kb(&kb)
        .args(["export", "--format", "md", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    // Checked before the reader is joined: had kb replaced the FIFO, the reader would wait for
    // a writer for ever.
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced");
    assert!(reader.join().unwrap().contains("가상 메모리란?"));
    // /dev/null stays a device.
    sb.kb(&kb)
        .args(["export", "--format", "md", "-o", "/dev/null"])
        .assert()
        .success();
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // /dev/full: an error, not a replaced device.
    let out = sb
        .kb(&kb)
        .args(["export", "--format", "json", "-o", "/dev/full"])
        .assert()
        .code(1);
    assert!(stderr(&out).contains("No space left"), "{}", stderr(&out));
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A symlink stays a symlink; the file it names gets the text.
    let real = sb.path().join("real.md");
    std::fs::write(&real, "old").unwrap();
    let link = sb.path().join("link.md");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    sb.kb(&kb)
        .args(["prep", "--format", "md", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("가상 메모리")
    );
    // A regular file keeps its mode (and a new one follows the umask, not 0600).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
    sb.kb(&kb)
        .args(["export", "-o"])
        .arg(&real)
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o644
    );
    let fresh = sb.path().join("fresh.md");
    sb.kb(&kb)
        .args(["export", "-o"])
        .arg(&fresh)
        .assert()
        .success();
    assert_ne!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let question = std::fs::read_dir(kb.join("questions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_ne!(
        question.metadata().unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn urls_that_look_like_options_are_refused_and_git_gets_a_separator() {
    let sb = Sandbox::new();
    let proof = sb.path().join("ran");
    let url = format!("--upload-pack=touch {}", proof.display());
    for args in [
        vec!["clone".to_string(), "--".into(), url.clone(), "x".into()],
        vec!["init".into(), format!("--remote={url}"), "y".into()],
    ] {
        let out = sb.kb_in(sb.path()).args(&args).assert().failure();
        assert!(
            stderr(&out).contains("starts with `-`"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!proof.exists(), "{args:?} ran the command");
    }
    let kb = sb.init("kb");
    let out = sb
        .kb(&kb)
        .args(["remote", "add", "--", &url])
        .assert()
        .failure();
    assert!(stderr(&out).contains("starts with `-`"), "{}", stderr(&out));
    assert!(!proof.exists());
}

#[test]
fn endless_streams_stop_at_the_limit() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    let commits = commit_count(&kb);
    for args in [
        vec!["add", "질문?", "--answer-file", "/dev/zero"],
        vec!["import", "/dev/zero"],
        vec![
            "interview",
            "add",
            "--company",
            "c",
            "--from",
            "/dev/zero",
            "--yes",
        ],
    ] {
        let started = std::time::Instant::now();
        let out = sb.kb(&kb).args(&args).output().unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{args:?} kept reading"
        );
        assert!(!out.status.success() || args[0] == "import", "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("10 MB"), "{args:?}: {err}");
    }
    // Piped stdin too.
    let child = shell(
        &sb,
        &format!(
            "head -c 20000000 /dev/zero | \"$KB\" --kb '{}' add 질문 -",
            kb.display()
        ),
    );
    assert!(!child.status.success());
    assert!(String::from_utf8_lossy(&child.stderr).contains("larger than 10 MB"));
    assert_eq!(commit_count(&kb), commits);
}

#[test]
fn init_goes_where_kb_dir_says_and_not_at_the_root_or_home() {
    let sb = Sandbox::new();
    let target = sb.path().join("bank");
    let cwd = sb.path().join("elsewhere");
    std::fs::create_dir_all(&cwd).unwrap();
    sb.kb_in(&cwd)
        .arg("--kb")
        .arg(&target)
        .arg("init")
        .assert()
        .success();
    assert!(target.join("kb.yaml").is_file());
    assert!(!cwd.join("kb.yaml").exists() && !cwd.join(".git").exists());
    // KB_DIR the same way.
    let other = sb.path().join("bank2");
    sb.kb_in(&cwd)
        .env("KB_DIR", &other)
        .arg("init")
        .assert()
        .success();
    assert!(other.join("kb.yaml").is_file());
    // Two different places: refused.
    let out = sb
        .kb_in(&cwd)
        .arg("--kb")
        .arg(sb.path().join("a"))
        .args(["init", "b"])
        .assert()
        .failure();
    assert!(stderr(&out).contains("say one place"), "{}", stderr(&out));
    assert!(!cwd.join("b").exists());
    for dir in [Path::new("/"), sb.home.as_path()] {
        let out = sb.kb_in(&cwd).arg("init").arg(dir).assert().failure();
        assert!(stderr(&out).contains("will not create"), "{}", stderr(&out));
    }
    assert!(!sb.home.join(".git").exists());
}

#[test]
fn output_that_cannot_be_written_is_an_error_not_a_panic() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.kb(&kb)
        .args(["add", "가상 메모리란?"])
        .assert()
        .success();
    for args in [
        vec!["list"],
        vec!["export", "--format", "json"],
        vec!["show", "--help"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = sb
            .kb_process(sb.path())
            .arg("--kb")
            .arg(&kb)
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {err}");
        if !args.contains(&"--help") {
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains("No space left"), "{args:?}: {err}");
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // A reader that goes away is not an error worth a word.
    let out = shell(
        &sb,
        &format!(
            "\"$KB\" --kb '{}' export --format md | head -c 1 >/dev/null",
            kb.display()
        ),
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Korean decomposed (NFD, as macOS writes it) and composed (NFC) are the same text everywhere
/// kb compares: search, the duplicate check, `kb dups`, the interview look-up.
#[test]
fn decomposed_and_composed_korean_are_the_same_text() {
    use unicode_normalization::UnicodeNormalization;
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    let nfc = "배치 정규화의 효과는 무엇인가요?";
    let nfd: String = nfc.nfd().collect();
    assert_ne!(nfc, nfd);
    // A hand-written file in NFD.
    std::fs::write(
        kb.join("questions/bn.yaml"),
        format!(
            "id: bn\nquestion: {nfd}\nanswer: |\n  {}\n",
            "학습이 안정된다.".nfd().collect::<String>()
        ),
    )
    .unwrap();
    sb.git(&kb, &["add", "-A"]);
    sb.git(&kb, &["commit", "-q", "-m", "nfd"]);
    // Search in either form finds it.
    for query in ["배치 정규화", &"배치 정규화".nfd().collect::<String>()] {
        let hits = json(
            &sb.kb(&kb)
                .args(["search", query, "--json"])
                .assert()
                .success(),
        );
        assert!(
            hits.as_array().unwrap().iter().any(|h| h["id"] == "bn"),
            "{query:?}: {hits}"
        );
    }
    let shown = json(&sb.kb(&kb).args(["show", "bn", "--json"]).assert().success());
    assert_eq!(shown["question"], nfc, "read as NFC");
    // Adding it again in NFC is recognised as the same question.
    let out = sb
        .kb(&kb)
        .args(["add", nfc, "--id", "bn2"])
        .assert()
        .success();
    assert!(stderr(&out).contains("bn"), "{}", stderr(&out));
    let pairs = json(&sb.kb(&kb).args(["dups", "--json"]).assert().success());
    assert!(
        pairs.as_array().unwrap().iter().any(|p| {
            (p["a"] == "bn" && p["b"] == "bn2") || (p["a"] == "bn2" && p["b"] == "bn")
        }),
        "{pairs}"
    );
    // An interview list typed in NFD finds the question asked again.
    let out = json(
        &sb.kb(&kb)
            .args(["interview", "add", "--company", "카카오", "--yes", "--json"])
            .write_stdin(format!("{nfd}\n"))
            .assert()
            .success(),
    );
    assert!(out.to_string().contains("\"bn"), "{out}");
}

/// The messages a person needs when the input is odd: a BOM, a date that does not exist,
/// `--kb` naming a file, a remote with unrelated history, a remote commit deleting kb.yaml.
#[test]
fn odd_input_gets_a_clear_message() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    std::fs::write(
        kb.join("questions/bom.yaml"),
        "\u{feff}id: bom\nquestion: BOM 질문?\n",
    )
    .unwrap();
    let shown = json(
        &sb.kb(&kb)
            .args(["show", "bom", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(shown["question"], "BOM 질문?");
    sb.kb(&kb).arg("check").assert().success();
    sb.git(&kb, &["add", "-A"]);
    sb.git(&kb, &["commit", "-q", "-m", "bom"]);

    let out = sb
        .kb(&kb)
        .args([
            "interview",
            "add",
            "--company",
            "c",
            "--date",
            "2026-02-30",
            "--yes",
            "질문?",
        ])
        .assert()
        .failure();
    assert!(
        stderr(&out).contains("2026-02-30 does not exist: February 2026 has 28 days"),
        "{}",
        stderr(&out)
    );
    assert!(drafts(&kb).is_empty(), "nothing typed, nothing kept");

    let out = sb.kb(&kb.join("kb.yaml")).arg("list").assert().failure();
    assert!(stderr(&out).contains("names the file"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("--kb {}", kb.display())),
        "{}",
        stderr(&out)
    );

    // A remote created with its own first commit (a README).
    let remote = sb.bare_remote("remote.git");
    let other = sb.path().join("site");
    sb.git(
        sb.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    std::fs::write(other.join("README.md"), "# my repo\n").unwrap();
    sb.git(&other, &["add", "-A"]);
    sb.git(&other, &["commit", "-q", "-m", "Initial commit"]);
    sb.git(&other, &["push", "-q", "origin", "HEAD:main"]);
    sb.kb(&kb)
        .args(["remote", "add", remote.to_str().unwrap()])
        .assert()
        .success();
    let head = sb.git(&kb, &["rev-parse", "HEAD"]);
    let out = sb.kb(&kb).arg("sync").assert().failure();
    assert!(
        stderr(&out).contains("shares no history") && stderr(&out).contains("push --force"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&kb, &["rev-parse", "HEAD"]), head);

    // A remote commit that deletes kb.yaml is refused.
    let remote2 = sb.bare_remote("remote2.git");
    let a = sb.path().join("a");
    sb.kb_in(sb.path())
        .args(["init", "--remote"])
        .arg(&remote2)
        .arg(&a)
        .assert()
        .success();
    sb.kb(&a).args(["add", "질문 하나?"]).assert().success();
    sb.kb(&a).arg("sync").assert().success();
    let b = sb.path().join("b");
    sb.kb_in(sb.path())
        .arg("clone")
        .arg(&remote2)
        .arg(&b)
        .assert()
        .success();
    sb.git(&b, &["rm", "-q", "kb.yaml"]);
    sb.git(&b, &["commit", "-q", "-m", "oops"]);
    sb.git(&b, &["push", "-q", "origin", "HEAD:main"]);
    let out = sb.kb(&a).arg("sync").assert().failure();
    assert!(stderr(&out).contains("delete kb.yaml"), "{}", stderr(&out));
    assert!(a.join("kb.yaml").is_file());
}

/// Read commands on a read-only file system (a bind mount, where the test may mount): search,
/// list and stats answer, from the index as it is, and say they could not refresh it.
#[test]
fn read_commands_work_on_a_read_only_file_system() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.kb(&kb)
        .args(["add", "배치 정규화의 효과는?", "--id", "bn"])
        .assert()
        .success();
    sb.kb(&kb).args(["search", "배치"]).assert().success();
    let ro = sb.path().join("ro");
    std::fs::create_dir_all(&ro).unwrap();
    let Some(_mounted) = mount(&["--bind", kb.to_str().unwrap()], &ro) else {
        notice("cannot bind-mount here (not root); the read-only case is not run");
        return;
    };
    assert!(
        std::process::Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(&ro)
            .status()
            .unwrap()
            .success()
    );
    // A change the index does not have yet.
    std::fs::write(
        kb.join("questions/new.yaml"),
        "id: new\nquestion: 새 배치 질문?\n",
    )
    .unwrap();
    for args in [
        vec!["search", "배치"],
        vec!["list"],
        vec!["stats"],
        vec!["show", "bn"],
    ] {
        let out = sb.kb(&ro).args(&args).assert().success();
        assert!(stdout(&out).contains("bn"), "{args:?}: {}", stdout(&out));
    }
    let out = sb.kb(&ro).args(["search", "배치"]).assert().success();
    assert!(stderr(&out).contains("could not"), "{}", stderr(&out));
    let out = sb.kb(&ro).args(["add", "질문?"]).assert().failure();
    assert!(stderr(&out).contains("Read-only"), "{}", stderr(&out));
}
