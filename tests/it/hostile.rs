//! Bad and hostile input, each with the exact message the user sees: nothing panics, nothing is
//! written outside the knowledge base, nothing is lost.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Every file under `dir` with its bytes (the knowledge base and its .git excluded).
fn snapshot(dir: &Path, skip: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(dir: &Path, skip: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.starts_with(skip) {
                continue;
            }
            let t = std::fs::symlink_metadata(&p).unwrap().file_type();
            if t.is_dir() {
                walk(&p, skip, out);
            } else if t.is_file() {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    walk(dir, skip, &mut out);
    out.sort();
    out
}

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    /// What `kb check` prints for it (after the path).
    expected: &'static str,
}

#[test]
fn bad_files_are_reported_exactly_and_never_stop_the_rest() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["멀쩡한 질문", "--id", "good", "--answer", "답"]);
    let big = {
        let mut b = b"id: big\nquestion: big\nanswer: |\n".to_vec();
        b.extend(
            std::iter::repeat_n(
                b"  0123456789abcdefghijklmnopqrstuvwxyz\n".as_slice(),
                1_400_000,
            )
            .flatten(),
        );
        b
    };
    assert!(big.len() > 50_000_000);
    let cases = vec![
        Case {
            name: "invalid YAML",
            file: "questions/bad-yaml.yaml",
            bytes: b"id: bad-yaml\nquestion: x\n  tags: y\n".to_vec(),
            expected: ":3:7: mapping values are not allowed in this context",
        },
        Case {
            name: "wrong type",
            file: "questions/wrong-type.yaml",
            bytes: b"id: wrong-type\nquestion: x\ntags:\n  a: b\n".to_vec(),
            expected: ":4:3: tags: invalid type: map, expected a list of tags",
        },
        Case {
            name: "duplicate key",
            file: "questions/dup-key.yaml",
            bytes: b"id: dup-key\nquestion: x\nquestion: y\n".to_vec(),
            expected: ":3:1: duplicate field `question`",
        },
        Case {
            name: "id not the file name",
            file: "questions/renamed.yaml",
            bytes: b"id: good\nquestion: copy of good\n".to_vec(),
            expected: ":1:1: id \"good\" does not match the file name (expected \"renamed\"); rename the file or fix the id",
        },
        Case {
            name: "id with a path",
            file: "questions/dotdot.yaml",
            bytes: b"id: ../../etc/passwd\nquestion: x\n".to_vec(),
            expected: ":1:1: invalid id \"../../etc/passwd\": an id is a name, not a path (no '/' or '\\')",
        },
        Case {
            name: "not UTF-8",
            file: "questions/latin1.yaml",
            bytes: b"id: latin1\nquestion: caf\xe9\n".to_vec(),
            expected: ":2:14: the file is not valid UTF-8 text",
        },
        Case {
            name: "empty",
            file: "questions/empty.yaml",
            bytes: Vec::new(),
            expected: ":1:1: the file is empty",
        },
        Case {
            name: "50 MB answer",
            file: "questions/big.yaml",
            bytes: big,
            expected: ": the file is 52.1 MB; kb reads files of at most 10 MB",
        },
        Case {
            name: "bad date",
            file: "questions/bad-date.yaml",
            bytes: b"id: bad-date\nquestion: x\ncreated: yesterday\n".to_vec(),
            expected: ":3:1: created: \"yesterday\" is not a date or time (use 2026-11-28T09:30:00Z)",
        },
        Case {
            name: "interview without company",
            file: "interviews/i-1.yaml",
            bytes: b"id: i-1\ncompany: ''\n".to_vec(),
            expected: ":2:1: the company is empty",
        },
        Case {
            name: "project id mismatch",
            file: "projects/p.yaml",
            bytes: b"id: other\nname: P\n".to_vec(),
            expected: ":1:1: id \"other\" does not match the file name (expected \"p\"); rename the file or fix the id",
        },
        Case {
            name: "review log",
            file: "reviews/m.tsv",
            bytes: b"2026-11-01T00:00:00Z\tgood\tsomething\n".to_vec(),
            expected: ":1:1: not a review line (time<TAB>question<TAB>again|hard|good|easy)",
        },
    ];
    for c in &cases {
        let path = kb.join(c.file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &c.bytes).unwrap();
    }
    std::fs::create_dir_all(kb.join("questions/folder.yaml")).unwrap();
    let outside = snapshot(sb.path(), &kb);

    let check = sb.kb(&kb).arg("check").assert().code(1);
    let out = stdout(&check);
    for c in &cases {
        let line = format!("{}{}", kb.join(c.file).display(), c.expected);
        assert!(
            out.lines().any(|l| l == line),
            "{}: expected\n  {line}\nin\n{out}",
            c.name
        );
    }
    assert!(
        out.contains("questions/folder.yaml: Is a directory (os error 21)"),
        "{out}"
    );

    // Everything else keeps working, with one warning, and nothing outside changes.
    let list = sb.kb(&kb).args(["list", "--json"]).assert().success();
    assert_eq!(json(&list).as_array().unwrap().len(), 1);
    assert_eq!(stderr(&list).matches("warning:").count(), 1);
    sb.kb(&kb).args(["search", "멀쩡한"]).assert().success();
    sb.kb(&kb).args(["tag", "good", "+fine"]).assert().success();
    sb.kb(&kb).args(["fmt"]).assert().success();
    sb.kb(&kb).args(["stats", "--json"]).assert().success();
    sb.kb(&kb)
        .args(["prep", "--format", "json"])
        .assert()
        .success();
    sb.kb(&kb)
        .args(["export", "--format", "json"])
        .assert()
        .success();
    let _ = sb.kb(&kb).args(["dups", "--json"]).assert();
    for c in &cases {
        assert_eq!(
            std::fs::read(kb.join(c.file)).unwrap(),
            c.bytes,
            "{} was changed",
            c.name
        );
    }
    assert_eq!(
        snapshot(sb.path(), &kb),
        outside,
        "a file outside the knowledge base changed"
    );
}

#[test]
fn hostile_ids_and_names_on_the_command_line() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["질문", "--id", "q1"]);
    let outside = snapshot(sb.path(), &kb);
    for (args, expected) in [
        (
            vec!["show", "../q1"],
            "invalid id \"../q1\": an id is a name, not a path (no '/' or '\\')",
        ),
        (
            vec!["show", "/etc/passwd"],
            "invalid id \"/etc/passwd\": an id is a name, not a path (no '/' or '\\')",
        ),
        (vec!["show", ""], "invalid id \"\": an id cannot be empty"),
        (
            vec!["rm", "q1/../../x"],
            "invalid id \"q1/../../x\": an id is a name, not a path (no '/' or '\\')",
        ),
        (
            vec!["add", "x", "--id", "A B"],
            "invalid id \"A B\": 'A' is not allowed; ids use only a-z, 0-9, '-' and '_'",
        ),
        (
            vec!["add", "x", "--project", "../../p"],
            "--project: invalid id \"../../p\": an id is a name, not a path (no '/' or '\\')",
        ),
        (
            vec!["interview", "show", "../../x"],
            "invalid id \"../../x\": an id is a name, not a path (no '/' or '\\')",
        ),
        (
            vec!["project", "add", "P", "--id", "../p"],
            "invalid id \"../p\": an id is a name, not a path (no '/' or '\\')",
        ),
        (
            vec!["tag", "q1", "+a b"],
            "invalid tag \"a b\": a tag is one word (no spaces)",
        ),
        (
            vec!["tag", "q1", "+x,y"],
            "invalid tag \"x,y\": a tag cannot contain ','",
        ),
        (
            vec!["merge", "q1", "q1"],
            "q1 is the question being kept; it cannot also be merged into itself",
        ),
    ] {
        let out = sb.kb(&kb).args(&args).assert().code(1);
        let err = stderr(&out);
        assert_eq!(err.trim(), format!("error: {expected}"), "{args:?}");
    }
    assert_eq!(snapshot(sb.path(), &kb), outside);
    assert_eq!(commit_count(&kb), 2);
}

#[test]
fn control_characters_and_nul_never_reach_a_file_or_the_terminal() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let answer = sb.path().join("answer.md");
    std::fs::write(&answer, "line\u{0}one\n\u{1b}[31mred\u{1b}[0m\tcode\n").unwrap();
    let out = sb
        .kb(&kb)
        .args([
            "add",
            "질문\u{1b}]0;title\u{7}입니다\u{8}",
            "--id",
            "ctl",
            "--answer-file",
        ])
        .arg(&answer)
        .assert()
        .success();
    let _ = out;
    let file = std::fs::read_to_string(kb.join("questions/ctl.yaml")).unwrap();
    assert!(
        !file.chars().any(|c| c.is_control() && c != '\n'),
        "{file:?}"
    );
    assert!(file.contains("question: 질문]0;title입니다"), "{file}");
    assert!(file.contains("  lineone\n  [31mred[0m  code\n"), "{file}");
    // A question file that writes NUL with a YAML escape.
    std::fs::write(
        kb.join("questions/nul.yaml"),
        "id: nul\nquestion: \"a\\0b\\x1b[2J\"\n",
    )
    .unwrap();
    let shown = stdout(&sb.kb(&kb).args(["show", "nul"]).assert().success());
    assert!(
        shown.contains("ab[2J") && !shown.contains('\u{0}') && !shown.contains('\u{1b}'),
        "{shown:?}"
    );
}

#[test]
fn links_out_of_the_knowledge_base_are_not_followed() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let secret = sb.path().join("secret.yaml");
    std::fs::write(&secret, "id: evil\nquestion: 밖에 있는 파일\n").unwrap();
    std::os::unix::fs::symlink(&secret, kb.join("questions/evil.yaml")).unwrap();
    std::os::unix::fs::symlink(&secret, kb.join("interviews/i-evil.yaml")).unwrap();
    let check = stdout(&sb.kb(&kb).arg("check").assert().code(1));
    assert!(check.contains("questions/evil.yaml: is a symbolic link; kb reads only regular files inside the knowledge base"), "{check}");
    assert!(
        check.contains("interviews/i-evil.yaml: is a symbolic link"),
        "{check}"
    );
    sb.kb(&kb).args(["tag", "evil", "+x"]).assert().failure();
    sb.kb(&kb).args(["fmt"]).assert().success();
    let hits = sb
        .kb(&kb)
        .args(["search", "밖에", "--json"])
        .assert()
        .code(1);
    assert_eq!(json(&hits), serde_json::json!([]));
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "id: evil\nquestion: 밖에 있는 파일\n"
    );
}

#[test]
fn an_unknown_format_version_is_refused_by_every_command() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    std::fs::write(kb.join("kb.yaml"), "version: 99\nname: future\n").unwrap();
    for args in [
        vec!["list"],
        vec!["add", "x"],
        vec!["search", "x"],
        vec!["sync"],
    ] {
        let out = sb.kb(&kb).args(&args).assert().code(1);
        assert_eq!(
            stderr(&out).trim(),
            format!(
                "error: {}:1:1: knowledge-base format version 99 is not supported by this kb (it reads version 1); upgrade kb",
                kb.join("kb.yaml").display()
            ),
            "{args:?}"
        );
    }
    assert_eq!(commit_count(&kb), 1);
}

#[test]
fn oversized_answers_are_refused_before_anything_is_written() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let big = sb.path().join("big.md");
    std::fs::write(&big, vec![b'x'; 11 * 1024 * 1024]).unwrap();
    let out = sb
        .kb(&kb)
        .args(["add", "큰 답", "--answer-file"])
        .arg(&big)
        .assert()
        .code(1);
    assert!(
        stderr(&out).contains("11.0 MB is too large for an answer (at most 10 MB)"),
        "{}",
        stderr(&out)
    );
    let out = sb
        .kb(&kb)
        .args(["add", "큰 답", "-"])
        .write_stdin(vec![b'y'; 11 * 1024 * 1024])
        .assert()
        .code(1);
    assert!(
        // A stream has no size to check first: it is read up to the limit, and no further.
        stderr(&out).contains("standard input is larger than 10 MB"),
        "{}",
        stderr(&out)
    );
    assert_eq!(commit_count(&kb), 1);
}

/// git's split index is something kb's git library cannot read: kb says so, and how to turn it
/// off, before it writes anything — not after a question file is already on disk.
#[test]
fn a_split_git_index_is_refused_before_anything_is_written() {
    let sb = Sandbox::new();
    let kb = sb.init("kb");
    sb.git(&kb, &["config", "core.splitIndex", "true"]);
    sb.git(&kb, &["update-index", "--split-index"]);
    let commits = commit_count(&kb);
    let out = sb
        .kb(&kb)
        .args(["add", "분할 인덱스 질문?"])
        .assert()
        .failure();
    let err = stderr(&out);
    assert!(
        err.contains("split index (core.splitIndex)")
            && err
                .contains("git config core.splitIndex false && git update-index --no-split-index"),
        "{err}"
    );
    assert_eq!(commit_count(&kb), commits);
    assert_eq!(
        sb.git(&kb, &["status", "--porcelain"]),
        "",
        "nothing written"
    );
    // Turned off as told, the same command works.
    sb.git(&kb, &["config", "core.splitIndex", "false"]);
    sb.git(&kb, &["update-index", "--no-split-index"]);
    sb.kb(&kb)
        .args(["add", "분할 인덱스 질문?"])
        .assert()
        .success();
    assert_eq!(commit_count(&kb), commits + 1);
}
