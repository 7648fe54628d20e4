//! The output contract, pinned: every command's `--json` shape (keys and value types, not the
//! values) and its exit code, run on real banks, against `tests/golden/json-shapes.txt`.
//!
//! A change of shape is a change for every script that reads kb's output, so it shows up here
//! as a diff to look at. After a deliberate change: `KB_GOLDEN=write cargo test --test
//! it json_shapes::`, then read the diff of the golden file before committing it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::common::{self, Sandbox};
use serde_json::Value;

/// The type of a JSON value, with the element types of arrays merged (so an array of 100
/// questions has one shape) and object keys that some elements lack marked optional.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Null,
    Bool,
    Int,
    Float,
    Str,
    /// `None`: only empty arrays were seen.
    Array(Option<Box<Shape>>),
    /// Key → (shape, present in every object seen).
    Object(BTreeMap<String, (Shape, bool)>),
    Either(BTreeSet<Shape>),
}

fn shape(v: &Value) -> Shape {
    match v {
        Value::Null => Shape::Null,
        Value::Bool(_) => Shape::Bool,
        Value::Number(n) if n.is_f64() => Shape::Float,
        Value::Number(_) => Shape::Int,
        Value::String(_) => Shape::Str,
        Value::Array(items) => Shape::Array(items.iter().map(shape).reduce(merge).map(Box::new)),
        Value::Object(map) => Shape::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), (shape(v), true)))
                .collect(),
        ),
    }
}

fn merge(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (a, b) if a == b => a,
        (Shape::Array(None), Shape::Array(b)) | (Shape::Array(b), Shape::Array(None)) => {
            Shape::Array(b)
        }
        (Shape::Array(Some(a)), Shape::Array(Some(b))) => {
            Shape::Array(Some(Box::new(merge(*a, *b))))
        }
        (Shape::Object(mut a), Shape::Object(mut b)) => {
            let keys: BTreeSet<String> = a.keys().chain(b.keys()).cloned().collect();
            Shape::Object(
                keys.into_iter()
                    .map(|k| {
                        let v = match (a.remove(&k), b.remove(&k)) {
                            (Some((x, rx)), Some((y, ry))) => (merge(x, y), rx && ry),
                            (Some((x, _)), None) | (None, Some((x, _))) => (x, false),
                            (None, None) => unreachable!("the key came from one of them"),
                        };
                        (k, v)
                    })
                    .collect(),
            )
        }
        (a, b) => {
            let mut all = BTreeSet::new();
            for s in [a, b] {
                match s {
                    Shape::Either(set) => all.extend(set),
                    s => {
                        all.insert(s);
                    }
                }
            }
            Shape::Either(all)
        }
    }
}

fn render(s: &Shape, indent: usize, out: &mut String) {
    match s {
        Shape::Null => out.push_str("null"),
        Shape::Bool => out.push_str("bool"),
        Shape::Int => out.push_str("int"),
        Shape::Float => out.push_str("float"),
        Shape::Str => out.push_str("string"),
        Shape::Array(None) => out.push_str("[]"),
        Shape::Array(Some(item)) => {
            out.push('[');
            render(item, indent, out);
            out.push(']');
        }
        Shape::Object(map) if map.is_empty() => out.push_str("{}"),
        Shape::Object(map) => {
            out.push_str("{\n");
            for (k, (v, always)) in map {
                let _ = write!(
                    out,
                    "{:w$}{k}{}: ",
                    "",
                    if *always { "" } else { "?" },
                    w = indent + 2
                );
                render(v, indent + 2, out);
                out.push('\n');
            }
            let _ = write!(out, "{:indent$}}}", "");
        }
        Shape::Either(set) => {
            for (i, s) in set.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                render(s, indent, out);
            }
        }
    }
}

/// The record of a scenario: for each step, the command, its exit code and its output's shape.
struct Record<'a> {
    sb: &'a Sandbox,
    text: String,
}

impl Record<'_> {
    /// Run `kb --json <args>` in the sandbox's folder and note its exit code and output shape;
    /// returns the output. A command that prints nothing on stdout is noted as such, and one
    /// that prints something that is not JSON fails the test.
    fn run(&mut self, label: &str, args: &[&str]) -> Value {
        self.run_with_input(label, args, "")
    }

    /// [`Record::run`] with `input` on standard input.
    fn run_with_input(&mut self, label: &str, args: &[&str], input: &str) -> Value {
        let out = self
            .sb
            .kb_in(self.sb.path())
            .arg("--json")
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap();
        let code = out.status.code().expect("kb ended by a signal");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let shown: Vec<String> = args
            .iter()
            .enumerate()
            .map(|(n, a)| {
                if a.starts_with("q-") || a.starts_with("i-") {
                    // Generated ids differ from run to run.
                    "<id>".to_string()
                } else if n > 0 && args[n - 1] == "--until" {
                    // A date counted from today.
                    "<date>".to_string()
                } else {
                    a.replace(&self.sb.path().display().to_string(), "$SANDBOX")
                }
            })
            .collect();
        let _ = writeln!(self.text, "## {label}: kb --json {}", shown.join(" "));
        let _ = writeln!(self.text, "exit {code}");
        let value = if stdout.trim().is_empty() {
            self.text.push_str("(no output)\n");
            Value::Null
        } else {
            let value: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
                panic!(
                    "{label}: `kb --json {}` printed something that is not JSON ({e}):\n{stdout}",
                    args.join(" ")
                )
            });
            render(&shape(&value), 0, &mut self.text);
            self.text.push('\n');
            value
        };
        self.text.push('\n');
        value
    }
}

fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn every_json_output_and_exit_code_keeps_its_shape() {
    let sb = Sandbox::new();
    let mut r = Record {
        sb: &sb,
        text: String::new(),
    };
    let bank = sb.path().join("bank");
    let k = path_str(&bank).to_string();
    let k = k.as_str();

    r.run("init", &["init", k]);
    let bn = id_of(&r.run(
        "add",
        &[
            "--kb",
            k,
            "add",
            "배치 정규화의 효과는?",
            "-t",
            "ml",
            "-a",
            "학습이 안정된다.",
        ],
    ));
    let tcp = id_of(&r.run(
        "add",
        &["--kb", k, "add", "TCP와 UDP의 차이는?", "-t", "network"],
    ));
    let again = id_of(&r.run(
        "add, a look-alike",
        &["--kb", k, "add", "배치 정규화 효과가 뭐예요?"],
    ));
    r.run("show", &["--kb", k, "show", &bn]);
    r.run("show, unknown id", &["--kb", k, "show", "q-nothing-here"]);
    r.run("list", &["--kb", k, "list"]);
    r.run("list, asked", &["--kb", k, "list", "--asked"]);
    r.run("search", &["--kb", k, "search", "배치 정규화"]);
    r.run("search, no hit", &["--kb", k, "search", "쿠버네티스"]);
    r.run("tag", &["--kb", k, "tag", &bn, "+deep-learning"]);
    r.run("dups", &["--kb", k, "dups", "--threshold", "0.3"]);
    r.run("merge", &["--kb", k, "merge", &bn, &again]);
    r.run("show, a merged id", &["--kb", k, "show", &again]);

    let asked = sb.path().join("asked.txt");
    std::fs::write(
        &asked,
        "1. 배치정규화 효과 뭐에요\n  학습 안정화라고 답함\n2) 가상 메모리란?\n",
    )
    .unwrap();
    let iv = r.run(
        "interview add",
        &[
            "--kb",
            k,
            "interview",
            "add",
            "-c",
            "카카오",
            "-d",
            "2026-11-30",
            "--yes",
            "--from",
            path_str(&asked),
        ],
    );
    r.run("interview list", &["--kb", k, "interview", "list"]);
    if let Some(id) = iv["interview"].as_str().or(iv["id"].as_str()) {
        r.run("interview show", &["--kb", k, "interview", "show", id]);
    }
    r.run(
        "project add",
        &[
            "--kb",
            k,
            "project",
            "add",
            "OCR 서빙",
            "--id",
            "ocr-serving",
            "--role",
            "ML engineer",
        ],
    );
    r.run("project list", &["--kb", k, "project", "list"]);
    r.run(
        "project show",
        &["--kb", k, "project", "show", "ocr-serving"],
    );
    r.run("stats", &["--kb", k, "stats"]);
    r.run("prep", &["--kb", k, "prep", "-c", "카카오"]);
    r.run(
        "prep, json format",
        &["--kb", k, "prep", "--format", "json"],
    );
    r.run_with_input("drill", &["--kb", k, "drill", "-n", "1"], "\n3\n");
    r.run("rm", &["--kb", k, "rm", &tcp]);
    r.run("check", &["--kb", k, "check"]);
    r.run("fmt --check", &["--kb", k, "fmt", "--check"]);
    r.run("fmt", &["--kb", k, "fmt"]);
    r.run("reindex", &["--kb", k, "reindex"]);

    let md = sb.path().join("notes.md");
    std::fs::write(
        &md,
        "# 운영체제\n\n## 프로세스와 스레드의 차이는?\n\n프로세스는 자원을 따로 가진다.\n\n## 데드락이란?\n\n서로 기다리는 상태.\n",
    )
    .unwrap();
    r.run(
        "import md, dry run",
        &["--kb", k, "import", "--dry-run", path_str(&md)],
    );
    r.run("import md", &["--kb", k, "import", path_str(&md)]);
    let export = sb.path().join("export.json");
    r.run(
        "export json",
        &[
            "--kb",
            k,
            "export",
            "--format",
            "json",
            "-o",
            path_str(&export),
        ],
    );
    let restored = sb.path().join("restored");
    let restored = path_str(&restored);
    r.run("init, second bank", &["init", restored]);
    r.run(
        "import json",
        &["--kb", restored, "import", path_str(&export)],
    );

    let notes = sb.path().join("notes-repo");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("network.md"),
        "# 네트워크\n\n## HTTP와 HTTPS의 차이는?\n\nTLS로 암호화한다.\n",
    )
    .unwrap();
    sb.git(&notes, &["init", "-q", "-b", "main"]);
    sb.git(&notes, &["add", "."]);
    sb.git(&notes, &["commit", "-qm", "notes"]);
    r.run(
        "source add",
        &["--kb", k, "source", "add", path_str(&notes)],
    );
    r.run("source list", &["--kb", k, "source", "list"]);
    r.run("source update", &["--kb", k, "source", "update"]);

    r.run("sync, no remote", &["--kb", k, "sync"]);
    let remote = sb.bare_remote("remote.git");
    r.run(
        "remote add",
        &["--kb", k, "remote", "add", path_str(&remote)],
    );
    r.run("remote list", &["--kb", k, "remote", "list"]);
    r.run("sync", &["--kb", k, "sync"]);
    let copy = sb.path().join("copy");
    r.run("clone", &["clone", path_str(&remote), path_str(&copy)]);
    r.run("sync, nothing new", &["--kb", path_str(&copy), "sync"]);
    // The exit codes of a sync that cannot go on: an invalid file (4), a remote not there (3).
    let broken = bank.join("questions/q-broken.yaml");
    std::fs::write(&broken, "question: [이건 YAML이 아니다\n").unwrap();
    r.run("sync, an invalid file", &["--kb", k, "sync"]);
    std::fs::remove_file(&broken).unwrap();
    r.run(
        "init, third bank",
        &["init", path_str(&sb.path().join("lone"))],
    );
    let lone = sb.path().join("lone");
    let gone = sb.path().join("no-such-remote.git");
    r.run(
        "remote add, a remote not there",
        &["--kb", path_str(&lone), "remote", "add", path_str(&gone)],
    );
    r.run("sync, unreachable", &["--kb", path_str(&lone), "sync"]);
    r.run("usage error", &["--kb", k, "list", "--no-such-flag"]);

    // The sample bank: real interviews, projects and answers, so every section has rows.
    let sample = common::sample_copy(&sb);
    let s = path_str(&sample);
    r.run("sample: list", &["--kb", s, "list"]);
    r.run("sample: stats", &["--kb", s, "stats"]);
    r.run("sample: prep", &["--kb", s, "prep", "--format", "json"]);
    r.run("sample: project list", &["--kb", s, "project", "list"]);
    r.run("sample: interview list", &["--kb", s, "interview", "list"]);
    r.run("sample: dups", &["--kb", s, "dups"]);
    r.run("sample: check", &["--kb", s, "check"]);
    // Five days from now (the plan is to a day still to come).
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 5 * 86_400;
    let date = common::iso(secs)[..10].to_string();
    r.run("sample: plan", &["--kb", s, "plan", "--until", &date]);
    r.run_with_input(
        "sample: mock",
        &["--kb", s, "mock", "-n", "2", "-p", "ocr-serving"],
        "\n3\nkey points typed\n\n2\n",
    );
    r.run(
        "sample: project rename",
        &[
            "--kb",
            s,
            "project",
            "rename",
            "ocr-serving",
            "--name",
            "문서 OCR",
        ],
    );
    r.run(
        "sample: project rm",
        &[
            "--kb",
            s,
            "project",
            "rm",
            "ocr-serving",
            "--keep-questions",
        ],
    );

    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/json-shapes.txt");

    if std::env::var("KB_GOLDEN").as_deref() == Ok("write") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &r.text).unwrap();
        eprintln!("wrote {}", golden.display());
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (write it with KB_GOLDEN=write cargo test --test it json_shapes::)",
            golden.display()
        )
    });
    if want != r.text {
        let got = golden.with_extension("got.txt");
        std::fs::write(&got, &r.text).unwrap();
        let first = want
            .lines()
            .zip(r.text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(r.text.lines().count()));
        panic!(
            "the JSON shapes or exit codes changed (first difference at line {}); see `diff {} {}`",
            first + 1,
            golden.display(),
            got.display()
        );
    }
}
