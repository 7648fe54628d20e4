//! The check that the top-level modules form no cycle (see the layers in the crate's
//! documentation), for the library (`src/lib.rs`) and the binary (`src/main.rs`).
//!
//! It reads the sources rather than asking the compiler: every `crate::…` and `super::…` path in
//! a module's files (comments and string literals left out) is an edge to the top-level module
//! it names, directly or through a re-export at the crate root (`crate::Kb` is `store`).
//! `#[cfg(test)]` modules are skipped: a test may look at any module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One source file of a crate: the module path it holds (`["store", "lock"]` for
/// `src/store/lock.rs`) and its text.
struct File {
    module: Vec<String>,
    shown: String,
    text: String,
}

/// Edges between top-level modules, each with the first file that makes it.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Hash,
    OpenBracket,
    CloseBracket,
    Other,
}

/// The tokens of Rust source that paths are made of; comments, strings, characters and
/// lifetimes are dropped.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && raw_string(&chars, i) {
            // r"…", r#"…"#: to the closing quote and as many #.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' {
            // A character ('x', '\n', '\u{1f}') or a lifetime ('a).
            if next == Some('\\') {
                // The escaped character itself may be a quote.
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            out.push(match c {
                ':' if next == Some(':') => {
                    i += 1;
                    Token::PathSep
                }
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                ';' => Token::Semi,
                '*' => Token::Star,
                '#' => Token::Hash,
                '[' => Token::OpenBracket,
                ']' => Token::CloseBracket,
                c if c.is_whitespace() => {
                    i += 1;
                    continue;
                }
                _ => Token::Other,
            });
            i += 1;
        }
    }
    out
}

/// Whether the `r` at `i` starts a raw string (not the end of an identifier such as `for`).
fn raw_string(chars: &[char], i: usize) -> bool {
    let after_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    !after_ident && chars.get(j) == Some(&'"')
}

fn ident(t: Option<&Token>) -> Option<&str> {
    match t {
        Some(Token::Ident(s)) => Some(s),
        _ => None,
    }
}

/// The paths of the use tree (or plain path) starting at `tokens[*at]`, each as its segments
/// and the name it is brought in as; `*at` ends after it.
fn use_tree(tokens: &[Token], at: &mut usize) -> Vec<(Vec<String>, String)> {
    let mut prefix = Vec::new();
    loop {
        match tokens.get(*at) {
            Some(Token::Ident(s)) => {
                prefix.push(s.clone());
                *at += 1;
                if tokens.get(*at) == Some(&Token::PathSep) {
                    *at += 1;
                    continue;
                }
                let mut name = s.clone();
                if ident(tokens.get(*at)) == Some("as")
                    && let Some(alias) = ident(tokens.get(*at + 1))
                {
                    name = alias.to_string();
                    *at += 2;
                }
                return vec![(prefix, name)];
            }
            Some(Token::Open) => {
                *at += 1;
                let mut out = Vec::new();
                while *at < tokens.len() && tokens[*at] != Token::Close {
                    if tokens[*at] == Token::Comma {
                        *at += 1;
                        continue;
                    }
                    let before = *at;
                    for (path, name) in use_tree(tokens, at) {
                        out.push(([prefix.clone(), path].concat(), name));
                    }
                    if *at == before {
                        *at += 1;
                    }
                }
                *at += 1;
                return out;
            }
            Some(Token::Star) => {
                *at += 1;
                return vec![(prefix, "*".into())];
            }
            _ => return vec![(prefix.clone(), prefix.last().cloned().unwrap_or_default())],
        }
    }
}

/// The top-level modules a crate root declares (test-only ones left out), and the names its
/// `pub use` re-exports, by the module they come from.
fn root_modules(root: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let tokens = tokens(root);
    let mut modules = BTreeSet::new();
    let mut uses = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Open => depth += 1,
            Token::Close => depth -= 1,
            Token::Hash if cfg_test_at(&tokens, i) => {
                // `#[cfg(test)] mod checks;`: not part of the crate's layers.
                let j = past_attributes(&tokens, i);
                if ident(tokens.get(j)) == Some("mod") {
                    i = j + 2;
                    continue;
                }
            }
            Token::Ident(k) if depth == 0 && k == "mod" => {
                if let Some(name) = ident(tokens.get(i + 1))
                    && tokens.get(i + 2) == Some(&Token::Semi)
                {
                    modules.insert(name.to_string());
                }
            }
            Token::Ident(k) if depth == 0 && k == "use" => {
                let mut at = i + 1;
                uses.extend(use_tree(&tokens, &mut at));
                i = at;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let reexports = uses
        .into_iter()
        .filter(|(path, _)| path.first().is_some_and(|m| modules.contains(m)))
        .map(|(path, name)| (name, path[0].clone()))
        .collect();
    (modules, reexports)
}

/// Whether `#[cfg(test)]` starts at `tokens[i]`.
fn cfg_test_at(tokens: &[Token], i: usize) -> bool {
    tokens.get(i) == Some(&Token::Hash)
        && tokens.get(i + 1) == Some(&Token::OpenBracket)
        && ident(tokens.get(i + 2)) == Some("cfg")
        && ident(tokens.get(i + 4)) == Some("test")
}

/// The index of the first token after the attributes starting at `tokens[i]` and an item's
/// visibility (`pub`, `pub(crate)`).
fn past_attributes(tokens: &[Token], mut i: usize) -> usize {
    while tokens.get(i) == Some(&Token::Hash) && tokens.get(i + 1) == Some(&Token::OpenBracket) {
        let mut depth = 0;
        i += 1;
        while i < tokens.len() {
            match tokens[i] {
                Token::OpenBracket => depth += 1,
                Token::CloseBracket => depth -= 1,
                _ => {}
            }
            i += 1;
            if depth == 0 {
                break;
            }
        }
    }
    if ident(tokens.get(i)) == Some("pub") {
        i += 1;
        if tokens.get(i) == Some(&Token::Other) {
            i += 3;
        }
    }
    i
}

/// Every `crate::` and `super::` path of a file, as a path from the crate root.
fn references(file: &File) -> BTreeSet<Vec<String>> {
    let tokens = tokens(&file.text);
    let mut out = BTreeSet::new();
    // Inline modules open around the current place: their name and the brace depth they began at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Hash if cfg_test_at(&tokens, i) => {
                let j = past_attributes(&tokens, i);
                if ident(tokens.get(j)) == Some("mod") && tokens.get(j + 2) == Some(&Token::Open) {
                    i = skip_block(&tokens, j + 2);
                    continue;
                }
            }
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Token::Ident(k) if k == "mod" => {
                if let Some(name) = ident(tokens.get(i + 1))
                    && tokens.get(i + 2) == Some(&Token::Open)
                {
                    inline.push((name.to_string(), depth));
                }
            }
            Token::Ident(k) if k == "crate" || k == "super" => {
                let mut here: Vec<String> = file.module.clone();
                here.extend(inline.iter().map(|(n, _)| n.clone()));
                let mut at = i;
                if k == "crate" && tokens.get(i + 1) == Some(&Token::PathSep) {
                    here.clear();
                    at += 2;
                }
                while ident(tokens.get(at)) == Some("super")
                    && tokens.get(at + 1) == Some(&Token::PathSep)
                {
                    here.pop();
                    at += 2;
                }
                let after_path = i > 0 && tokens[i - 1] == Token::PathSep;
                if at > i && !after_path {
                    for (path, _) in use_tree(&tokens, &mut at) {
                        out.insert([here.clone(), path].concat());
                    }
                    i = at;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The index after the block whose `{` is at `open`.
fn skip_block(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The graph of a crate's top-level modules.
fn graph(root: &str, files: &[File]) -> Graph {
    let (modules, reexports) = root_modules(root);
    let mut graph = Graph::new();
    for file in files {
        let Some(from) = file.module.first().filter(|m| modules.contains(*m)) else {
            continue;
        };
        for path in references(file) {
            let Some(first) = path.first() else { continue };
            let to = if modules.contains(first) {
                first
            } else if let Some(m) = reexports.get(first) {
                m
            } else {
                continue;
            };
            if to != from {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to.clone())
                    .or_insert_with(|| file.shown.clone());
            }
        }
    }
    graph
}

/// The shortest cycle in `graph`, as the modules around it (the first one repeated at the end).
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    let next = |node: &str| graph.get(node).into_iter().flat_map(|e| e.keys());
    let mut best: Option<Vec<String>> = None;
    for start in graph.keys() {
        // Breadth first from `start`, each node reached with the one it was reached from.
        let mut from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.as_str()]);
        while let Some(node) = queue.pop_front() {
            if next(node).any(|n| n == start) {
                let mut path = vec![start.clone(), node.to_string()];
                let mut at = node;
                while at != start {
                    at = from[at];
                    path.push(at.to_string());
                }
                path.reverse();
                if best.as_ref().is_none_or(|b| path.len() < b.len()) {
                    best = Some(path);
                }
                break;
            }
            for n in next(node) {
                if n != start && !from.contains_key(n.as_str()) {
                    from.insert(n, node);
                    queue.push_back(n);
                }
            }
        }
    }
    best
}

/// The cycle as a message: each step and the file that takes it.
fn describe(graph: &Graph, cycle: &[String]) -> String {
    let steps: Vec<String> = cycle
        .windows(2)
        .map(|w| format!("  {} -> {} (in {})", w[0], w[1], graph[&w[0]][&w[1]]))
        .collect();
    format!(
        "the modules {} form a cycle:\n{}\nMove what the lower module needs down, or turn the \
         call around (see the layers in src/lib.rs).",
        cycle.join(" -> "),
        steps.join("\n")
    )
}

/// Every `.rs` file of top-level module `name` under `src`.
fn files_of(src: &Path, name: &str) -> Vec<File> {
    let mut out = Vec::new();
    let single = src.join(format!("{name}.rs"));
    if single.is_file() {
        out.push(read(src, &single, vec![name.to_string()]));
    }
    let mut dirs = vec![(src.join(name), vec![name.to_string()])];
    while let Some((dir, module)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path: PathBuf = entry.path();
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() {
                dirs.push((path, [module.clone(), vec![stem]].concat()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let inner = if stem == "mod" {
                    module.clone()
                } else {
                    [module.clone(), vec![stem]].concat()
                };
                out.push(read(src, &path, inner));
            }
        }
    }
    out
}

fn read(src: &Path, path: &Path, module: Vec<String>) -> File {
    File {
        module,
        shown: format!(
            "src/{}",
            path.strip_prefix(src).unwrap_or(path).to_string_lossy()
        ),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

/// The graph of the crate whose root is `src/<root>`.
fn crate_graph(root: &str) -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let root_text = std::fs::read_to_string(src.join(root)).unwrap();
    let (modules, _) = root_modules(&root_text);
    let files: Vec<File> = modules.iter().flat_map(|m| files_of(&src, m)).collect();
    graph(&root_text, &files)
}

#[test]
fn the_librarys_modules_form_no_cycle() {
    let graph = crate_graph("lib.rs");
    assert!(graph.contains_key("store"), "the scan found the modules");
    if let Some(c) = cycle(&graph) {
        panic!("{}", describe(&graph, &c));
    }
}

#[test]
fn the_binarys_modules_form_no_cycle() {
    let graph = crate_graph("main.rs");
    assert!(graph.contains_key("commands"), "the scan found the modules");
    if let Some(c) = cycle(&graph) {
        panic!("{}", describe(&graph, &c));
    }
}

#[test]
fn a_back_reference_is_found_as_a_cycle_with_the_file_that_makes_it() {
    let root = "pub mod low;\npub mod high;\n#[cfg(test)]\nmod checks;\npub use low::Thing;\n";
    let file = |module: &[&str], text: &str| File {
        module: module.iter().map(|s| s.to_string()).collect(),
        shown: format!("src/{}.rs", module.join("/")),
        text: text.to_string(),
    };
    let layered = |low: &str| {
        vec![
            file(
                &["high"],
                "use crate::{low::{self, Thing}, Thing as T};\nfn f() {}",
            ),
            file(&["low"], low),
            file(&["low", "part"], "use super::super::low::x; use super::y;"),
            file(&["checks"], "use crate::high;"),
        ]
    };
    // Not paths to `high`: comments, strings, a character, lifetimes, `pub(crate)`, an inline
    // module's `super`, a test module.
    let clean = [
        "// crate::high",
        "/* crate::high */",
        r#"const S: &str = "crate::high";"#,
        r##"const R: &str = r#"crate::high"#;"##,
        "const C: char = '\\'';",
        "pub(crate) fn g<'a>(x: &'a str) -> &'a str { x }",
        "mod inner { use super::g; }",
        "#[cfg(test)]",
        "#[allow(unused)]",
        "mod tests { use crate::high; }",
    ]
    .join("\n");
    let found = graph(root, &layered(&clean));
    assert_eq!(cycle(&found), None, "{found:?}");
    assert_eq!(found["high"]["low"], "src/high.rs");
    assert!(!found.contains_key("low"), "{found:?}");
    assert!(!found.contains_key("checks"), "{found:?}");

    for back in [
        "fn g() { crate::high::f() }",
        "use crate::{self as me, high};",
        "fn g() { super::high::f() }",
        "pub mod inner { fn h() { super::super::high::f(); } }",
    ] {
        let with_back = graph(root, &layered(back));
        let found = cycle(&with_back).unwrap_or_else(|| panic!("{back}: {with_back:?}"));
        assert_eq!(found.first(), found.last());
        assert!(
            describe(&with_back, &found).contains("low -> high (in src/low.rs)"),
            "{back}"
        );
    }
    // A name the root re-exports leads to the module it comes from.
    let files = [file(&["high"], "fn f() { let _ = crate::Thing; }")];
    assert!(graph(root, &files)["high"].contains_key("low"));
}
