//! `kb export --format html` as a person on a phone uses it: headless Chromium driven over the
//! DevTools protocol (common/cdp.rs) with a phone-sized screen, real taps and one keystroke at a
//! time. What is checked is what that person would notice: nothing leaves the page, nothing
//! fails, nothing scrolls sideways, the links with a fragment work, dark mode is dark.

use std::path::{Path, PathBuf};

use crate::common::cdp::{Browser, Tab};
use crate::common::*;

/// Chromium over the DevTools protocol, or `None` with a notice (a failure under
/// KB_REQUIRE_CORPORA: CI installs it).
fn browser() -> Option<Browser> {
    let browser = Browser::launch();
    if browser.is_none() {
        prerequisite_missing(
            "Chromium is not installed (apt-get install chromium)",
            "the browser test",
        );
    }
    browser
}

/// The sample bank's page, written by `kb export --format html`.
fn sample_page(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let kb = sample_copy(sb);
    let page = sb.path().join("bank.html");
    export_page(sb, &kb, &page);
    (kb, page)
}

fn url(page: &Path, fragment: &str) -> String {
    format!("file://{}{fragment}", page.display())
}

/// The ids the search lists, best first.
fn hits(tab: &Tab) -> Vec<String> {
    let ids = tab
        .eval("Array.from(document.querySelectorAll('#results li[data-id]'), li => li.dataset.id)");
    serde_json::from_value(ids).unwrap()
}

/// Tap the search box, empty it, and type `query` one keystroke at a time; waits until the
/// results are shown.
fn search(tab: &Tab, query: &str) {
    tab.tap("#q");
    tab.eval("document.getElementById('q').value = ''");
    tab.type_text(query);
    tab.wait_for(&format!(
        "document.getElementById('q').value === {} && document.querySelector('#results li')",
        serde_json::json!(query)
    ));
}

#[test]
fn nothing_leaves_the_page_and_nothing_fails_while_a_person_searches() {
    let Some(browser) = browser() else { return };
    let sb = Sandbox::new();
    let (_, page) = sample_page(&sb);
    let tab = browser.open(&url(&page, ""), 390, 844);
    search(&tab, "가상메모리가");
    let found = hits(&tab);
    assert!(
        found
            .iter()
            .take(3)
            .any(|h| h == "os-virtual-memory-paging"),
        "typed one syllable at a time, the query still finds its question: {found:?}"
    );
    assert!(
        tab.eval("document.getElementById('status').textContent")
            .as_str()
            .is_some_and(|s| s.contains("ms")),
        "the status line says how long the search took"
    );
    // Open the first hit, as a person would, and come back to the search.
    tab.tap("#results li a");
    tab.wait_for("location.hash.length > 1");
    assert_eq!(
        tab.requests(),
        Vec::<String>::new(),
        "the page loaded something"
    );
    assert_eq!(tab.console_errors(), Vec::<String>::new());
}

#[test]
fn the_request_recorder_catches_what_a_page_tries_to_load() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Under a policy like the page's the image is blocked: the policy's violation is recorded
    // (Chromium also reports the request it did not send).
    let blocked = dir.path().join("blocked.html");
    std::fs::write(
        &blocked,
        "<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\"><p>hi</p><img src=\"http://127.0.0.1:9/x.png\">",
    )
    .unwrap();
    let tab = browser.open(&url(&blocked, ""), 390, 844);
    let requests = tab.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("http://127.0.0.1:9/x.png") && r.contains("CSP")),
        "{requests:?}"
    );
    drop(tab);
    // Without a policy the request goes out (and fails: nothing listens on port 9), and what
    // the page's script throws or logs as an error is recorded too.
    let open = dir.path().join("open.html");
    std::fs::write(
        &open,
        "<!doctype html><p>hi</p><img src=\"http://127.0.0.1:9/y.png\">\
         <script>console.error('logged', 42); null.boom;</script>",
    )
    .unwrap();
    let tab = browser.open(&url(&open, ""), 390, 844);
    let requests = tab.requests();
    assert!(
        requests.contains(&"http://127.0.0.1:9/y.png".to_string()),
        "{requests:?}"
    );
    let errors = tab.console_errors();
    assert!(errors.iter().any(|e| e.contains("logged 42")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("TypeError")), "{errors:?}");
}

#[test]
fn a_tap_on_a_download_link_saves_the_file() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("download.html");
    std::fs::write(
        &page,
        "<!doctype html><p style=\"height:1500px\">scroll</p>\
         <a id=\"get\" download=\"notes.txt\" href=\"data:text/plain,hello%20kb\">notes</a>",
    )
    .unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let tab = browser.open(&url(&page, ""), 390, 844);
    tab.allow_downloads(&downloads);
    let file = tab.download(&downloads, |tab| tab.tap("#get"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hello kb");
}

/// What sticks out to the right of the layout width, one line per question (the element that
/// reaches furthest, with its ancestors up to the question), furthest first; what is inside
/// something that scrolls on its own is not counted.
const TOO_WIDE: &str = "(function () {
  var w = document.documentElement.clientWidth, worst = new Map();
  function scrollsItself(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  }
  function name(el) {
    var n = el.tagName.toLowerCase();
    if (el.getAttribute('display')) n += ' display=' + el.getAttribute('display');
    if (el.className && typeof el.className === 'string') n += ' class=' + el.className;
    return '<' + n + '>';
  }
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.right <= w + 0.5 || r.width === 0 || scrollsItself(el)) return;
    var q = el.closest('[id]'), key = q ? q.id : '?';
    if (!worst.has(key) || worst.get(key).right < r.right) worst.set(key, {el: el, right: r.right});
  });
  return Array.from(worst.entries()).sort(function (a, b) { return b[1].right - a[1].right; })
    .map(function (e) {
      var chain = [], el = e[1].el, block = el;
      for (var p = el; p && !(p.id && p.id === e[0]) && p !== document.body; p = p.parentElement) {
        chain.unshift(name(p));
        if (block === el && /^(math|pre|table|p|li|h[1-6]|blockquote)$/i.test(p.tagName)) block = p;
      }
      return '#' + e[0] + ': ' + chain.slice(-6).join(' > ') + ' reaches ' +
        Math.round(e[1].right) + ' px: ' + block.textContent.replace(/\\s+/g, ' ').slice(0, 70);
    });
})()";

/// What is too wide for the screen, or nothing if the page fits: nothing may be wider than the
/// layout viewport (on a phone the browser zooms out to show what is wider, which makes
/// `innerWidth` grow past the screen's width, so that counts too).
fn too_wide(tab: &Tab) -> Option<String> {
    let sizes = tab.eval(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth, innerWidth]",
    );
    let [scroll, layout, inner] = [0, 1, 2].map(|i| sizes[i].as_f64().unwrap());
    if scroll <= layout && inner <= layout {
        return None;
    }
    let wide: Vec<String> = serde_json::from_value(tab.eval(TOO_WIDE)).unwrap();
    Some(format!(
        "scrollWidth {scroll}, clientWidth {layout}, innerWidth {inner}; too wide:\n  {}",
        wide.join("\n  ")
    ))
}

#[test]
fn nothing_scrolls_sideways_on_a_phone() {
    let Some(browser) = browser() else { return };
    let sb = Sandbox::new();
    let (_, page) = sample_page(&sb);
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut note = |width: u32, when: &str, tab: &Tab| {
        if let Some(what) = too_wide(tab) {
            match problems.iter_mut().find(|(_, w)| *w == what) {
                Some((whens, _)) => *whens += &format!(", {when}"),
                None => problems.push((format!("at {width} px wide, {when}"), what)),
            }
        }
    };
    for (width, height) in [(360, 740), (390, 844)] {
        let tab = browser.open(&url(&page, ""), width, height);
        assert_eq!(
            tab.eval("document.documentElement.clientWidth"),
            serde_json::json!(width),
            "the page lays out at the phone's width"
        );
        note(width, "when it opens", &tab);
        search(&tab, "Batch Normalization의 효과");
        note(width, "after a search", &tab);
        tab.tap("#results li a");
        tab.wait_for("location.hash.length > 1");
        note(width, "on a question opened from the results", &tab);
    }
    let report: Vec<String> = problems
        .iter()
        .map(|(whens, what)| format!("the page is wider than the screen {whens} ({what}"))
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_fragment_searches_and_lists_a_tag() {
    let Some(browser) = browser() else { return };
    let sb = Sandbox::new();
    let (kb, page) = sample_page(&sb);
    // #q=차원의저주, as a link or a bookmark carries it.
    let tab = browser.open(
        &url(&page, "#q=%EC%B0%A8%EC%9B%90%EC%9D%98%EC%A0%80%EC%A3%BC"),
        390,
        844,
    );
    tab.wait_for("document.querySelector('#results li')");
    assert_eq!(tab.eval("document.getElementById('q').value"), "차원의저주");
    let found = hits(&tab);
    let first = tab.eval("document.querySelector('#results li').textContent");
    assert!(
        first.as_str().is_some_and(|t| t.contains("차원")),
        "the first hit is about dimensionality: {first} ({found:?})"
    );
    // #tag=network lists that tag's questions, and only those.
    let rows = json(
        &sb.kb(&kb)
            .args(["list", "--json", "--tag", "network"])
            .assert()
            .success(),
    );
    let mut want: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    want.sort();
    assert!(
        want.len() >= 3,
        "the sample has network questions: {want:?}"
    );
    tab.eval("location.hash = '#tag=network'");
    tab.wait_for(&format!(
        "document.querySelectorAll('#results li').length === {}",
        want.len()
    ));
    let mut got = hits(&tab);
    got.sort();
    assert_eq!(got, want);
    assert_eq!(tab.console_errors(), Vec::<String>::new());
}

#[test]
fn the_page_in_light_and_dark_on_a_phone() {
    let Some(browser) = browser() else { return };
    let sb = Sandbox::new();
    let (_, page) = sample_page(&sb);
    let keep = std::env::var_os("KB_SCREENSHOTS").map(PathBuf::from);
    let tab = browser.open(&url(&page, ""), 390, 844);
    let mut backgrounds = Vec::new();
    for (dark, name) in [(false, "page-light.png"), (true, "page-dark.png")] {
        tab.dark(dark);
        assert_eq!(
            tab.eval("matchMedia('(prefers-color-scheme: dark)').matches"),
            serde_json::json!(dark)
        );
        backgrounds.push(tab.eval("getComputedStyle(document.body).backgroundColor"));
        let shot = sb.path().join(name);
        tab.screenshot(&shot);
        let bytes = std::fs::read(&shot).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is a PNG");
        assert!(
            bytes.len() > 10_000,
            "{name} is {} bytes: an empty screen?",
            bytes.len()
        );
        if let Some(dir) = &keep {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::copy(&shot, dir.join(name)).unwrap();
            notice(&format!("screenshot: {}", dir.join(name).display()));
        }
    }
    assert_ne!(
        backgrounds[0], backgrounds[1],
        "dark mode changes the page's background"
    );
}
