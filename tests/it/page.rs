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
    assert!(!dom.contains("<script"), "no script element at all");
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
