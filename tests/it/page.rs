//! `kb export --format html`, opened in a real browser (headless Chromium): the page renders
//! the bank, runs nothing that came from it, and fetches nothing.

use std::path::Path;

use crate::common::*;

/// Chromium, or `None` with a notice (a failure under KB_REQUIRE_CORPORA: CI installs it).
fn chromium() -> Option<&'static str> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(name);
        }
    }
    prerequisite_missing(
        "Chromium is not installed (apt-get install chromium)",
        "the browser test",
    );
    None
}

/// The page's DOM after the browser has loaded it (and run whatever it would run).
fn dom(browser: &str, page: &Path) -> String {
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_page_shows_the_bank_and_runs_nothing_from_it() {
    let Some(browser) = chromium() else { return };
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let hostile = sb.add(
        &kb,
        &[
            "<script>document.title='pwned'</script> XSS 질문?",
            "-a",
            "<img src=x onerror=\"document.title='pwned'\">\n\n\
             | a | b |\n|---|---|\n| 1 | 2 |\n\n![far](https://example.com/track.png)\n\n\
             [click](javascript:document.title='pwned')",
            "-t",
            "security",
        ],
    );
    let page = sb.path().join("bank.html");
    let out = sb
        .kb(&kb)
        .args(["export", "--format", "html", "-o"])
        .arg(&page)
        .assert()
        .success();
    assert!(
        stderr(&out).contains("Exported 124 questions"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("not embedded"),
        "the remote image is named: {}",
        stderr(&out)
    );
    let bytes = std::fs::metadata(&page).unwrap().len();
    assert!(bytes < 1_500_000, "the sample bank's page is {bytes} bytes");

    let dom = dom(browser, &page);
    // The bank is there: a known question of the sample, its answer rendered from Markdown.
    assert!(dom.contains("<h3>"), "{dom}");
    assert!(
        dom.contains("BFS와 DFS의 차이는?"),
        "a sample question is on the page"
    );
    assert!(
        dom.contains("<table>") && dom.contains("<td>2</td>"),
        "Markdown tables render"
    );
    // The sample's LaTeX (the sigmoid in the activation-function table) is MathML.
    assert!(
        dom.contains("<math") && dom.contains("<mfrac>"),
        "LaTeX becomes MathML"
    );
    assert!(
        !dom.contains("$\\frac{1}{1+e^{-x}}$"),
        "no LaTeX source is left for it"
    );
    // What came from the bank ran nothing: the title is the bank's, there is no script or image
    // element from the hostile question, and its text is shown as text.
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next());
    assert!(
        title.is_some_and(|t| !t.contains("pwned")),
        "title: {title:?}"
    );
    assert_eq!(
        dom.matches("<script").count(),
        3,
        "the page's own search data, drill data and script, nothing from the bank"
    );
    assert!(
        !dom.contains("<img src=\"x\""),
        "the raw <img> is not an element"
    );
    assert!(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt; XSS 질문?"));
    assert!(
        !dom.contains("javascript:"),
        "a javascript: link is not kept"
    );
    // Nothing leaves the page: the remote image is not an element, and the policy forbids it.
    assert!(
        !dom.contains("src=\"https://example.com"),
        "no remote image"
    );
    assert!(
        dom.contains("default-src 'none'"),
        "the page forbids every request"
    );
    assert!(dom.contains(&format!("id=\"{hostile}\"")));

    // The search box, from the URL: a Korean query with a particle and no space, and a glossary
    // query (과적합 is overfitting in the glossary; the dropout question says only overfitting).
    // (kb search puts the virtual-memory question first; the page, scoring a little
    // differently, puts it in its top three.)
    let hits = page_hits(browser, &page, "가상메모리가");
    assert!(
        hits.iter().take(3).any(|h| h == "os-virtual-memory-paging"),
        "{hits:?}"
    );
    let hits = page_hits(browser, &page, "과적합");
    assert!(hits.iter().take(5).any(|h| h == "dl-dropout"), "{hits:?}");
    // Initial consonants: ㅊㄹ ㅅㄷ finds 추론 속도 (the OCR project's speed question), and
    // nothing whose question has no such run (추론 시 동작 has the same initials, so it counts).
    let hits = page_hits(browser, &page, "ㅊㄹ ㅅㄷ");
    assert!(
        hits.iter()
            .any(|h| h == "ocr-serving-inference-optimization"),
        "{hits:?}"
    );
    assert!(!hits.iter().any(|h| h == "net-tcp-vs-udp"), "{hits:?}");
    // -word and "phrase", as kb search takes them.
    let all = page_hits(browser, &page, "TCP");
    let without = page_hits(browser, &page, "TCP -UDP");
    assert!(all.iter().any(|h| h == "net-tcp-vs-udp"), "{all:?}");
    assert!(
        !without.iter().any(|h| h == "net-tcp-vs-udp"),
        "-UDP leaves it out: {without:?}"
    );
    let phrase = page_hits(browser, &page, "\"3-way handshake\"");
    assert!(
        phrase.iter().any(|h| h == "net-tcp-handshake"),
        "{phrase:?}"
    );
    for id in &phrase {
        let text = std::fs::read_to_string(kb.join(format!("questions/{id}.yaml"))).unwrap();
        assert!(
            text.to_lowercase().contains("3-way handshake"),
            "{id} lacks the phrase"
        );
    }
    let loose = page_hits(browser, &page, "3-way handshake");
    assert!(phrase.len() < loose.len(), "{phrase:?} / {loose:?}");
}

#[test]
fn prep_writes_its_briefing_as_a_page() {
    let Some(browser) = chromium() else { return };
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let project = std::fs::read_dir(kb.join("projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .expect("the sample has a project");
    let page = sb.path().join("prep.html");
    sb.kb(&kb)
        .args(["prep", "--project", &project, "--format", "html", "-o"])
        .arg(&page)
        .assert()
        .success();
    let dom = dom(browser, &page);
    assert!(dom.contains("<title>면접 준비 ("), "the briefing's title");
    assert!(dom.contains("프로젝트: "), "the project's section is there");
    assert!(dom.contains("default-src 'none'"));
}

/// The ids the page's search lists for `query`, best first.
fn page_hits(browser: &str, page: &Path, query: &str) -> Vec<String> {
    let encoded: String = query
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}#q={encoded}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8(out.stdout).unwrap();
    let list = dom
        .split("<ol id=\"results\"")
        .nth(1)
        .and_then(|r| r.split("</ol>").next())
        .unwrap_or_default()
        .to_string();
    list.split("data-id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_pages_search_finds_what_kb_search_finds() {
    let Some(browser) = chromium() else { return };
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let page = sb.path().join("bank.html");
    sb.kb(&kb)
        .args(["export", "--format", "html", "-o"])
        .arg(&page)
        .assert()
        .success();
    let queries = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/search-queries.tsv"),
    )
    .unwrap();
    let (mut shared, mut total, mut n) = (0usize, 0usize, 0usize);
    let mut differ = Vec::new();
    for line in queries.lines().skip(1) {
        let Some(query) = line.split('\t').nth(1) else {
            continue;
        };
        let out = sb
            .kb(&kb)
            .args(["search", query, "--limit", "5", "--json"])
            .output()
            .unwrap();
        let want: Vec<String> = serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|h| h["id"].as_str().map(str::to_string))
            .collect();
        if want.is_empty() {
            continue;
        }
        let got = page_hits(browser, &page, query);
        let got: Vec<&String> = got.iter().take(5).collect();
        let here = want.iter().filter(|id| got.contains(id)).count();
        if here < want.len() {
            differ.push(format!("{query}\n  kb:   {want:?}\n  page: {got:?}"));
        }
        shared += here;
        total += want.len();
        n += 1;
    }
    let overlap = shared as f64 / total.max(1) as f64;
    notice(&format!(
        "page search vs kb search, top 5 on {n} queries of tests/data/search-queries.tsv: {overlap:.3} overlap"
    ));
    assert!(n >= 50, "only {n} queries had kb search hits");
    assert!(
        overlap >= FLOOR,
        "overlap {overlap:.3} fell below {FLOOR}; where they differ:\n{}",
        differ.join("\n")
    );
}

/// Just under the overlap measured (0.994 on 113 queries, in three of which a fifth hit
/// differs). It was 0.832 while the page scored in its own way; it rose when the page took the
/// index's fields (the answer as plain text, its headings), tantivy's quantized field lengths,
/// kb search's per-word weights and its way of scoring glossary equivalents. The target
/// is 0.9.
const FLOOR: f64 = 0.97;
