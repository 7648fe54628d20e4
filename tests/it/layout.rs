//! The test tree itself: every end-to-end test is in this one binary. Cargo builds each
//! `tests/*.rs` and `tests/*/main.rs` as a binary of its own (linking everything again), and
//! silently ignores a file under tests/it/ that no `mod` line names, so both are errors here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The names of the modules `file` declares (`mod name;`, with or without `pub`).
fn declared_modules(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("pub ").unwrap_or(line);
            let name = line.strip_prefix("mod ")?.strip_suffix(';')?.trim();
            Some(name.to_string())
        })
        .collect()
}

/// Every `.rs` file under `dir` that `root` (the file whose modules live in `dir`) does not reach
/// through its `mod` lines, recursively.
fn undeclared(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let declared = declared_modules(root);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path == root {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            // A directory module: `name/mod.rs`, or `name.rs` beside `name/`.
            let sub_root = [path.join("mod.rs"), dir.join(format!("{stem}.rs"))]
                .into_iter()
                .find(|p| p.is_file());
            match sub_root {
                Some(sub_root) => {
                    if sub_root.starts_with(&path) && !declared.contains(&stem) {
                        out.push(sub_root.clone());
                    }
                    undeclared(&path, &sub_root, out);
                }
                None => any_rust(&path, out),
            }
        } else if path.extension().is_some_and(|e| e == "rs") && !declared.contains(&stem) {
            out.push(path);
        }
    }
}

/// Every `.rs` file under `dir` (a folder no module owns: none of them is compiled).
fn any_rust(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            any_rust(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_test_file_is_a_binary_of_its_own() {
    let mut separate = Vec::new();
    for e in std::fs::read_dir(tests_dir()).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            separate.push(path);
        } else if path.is_dir()
            && path.file_name().unwrap() != "it"
            && path.join("main.rs").exists()
        {
            separate.push(path.join("main.rs"));
        }
    }
    assert!(
        separate.is_empty(),
        "cargo builds these as separate test binaries; move them into tests/it/ and add a `mod` \
         line to tests/it/main.rs: {separate:?}"
    );
}

#[test]
fn every_file_in_tests_it_is_a_declared_module() {
    let it = tests_dir().join("it");
    let mut missing = Vec::new();
    undeclared(&it, &it.join("main.rs"), &mut missing);
    assert!(
        missing.is_empty(),
        "these files are never compiled (no `mod` line names them; add one to tests/it/main.rs, \
         or to the mod.rs of their folder): {missing:?}"
    );
}
