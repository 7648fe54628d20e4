//! `kb export --format html`, opened in a real browser (headless Chromium): the page renders
//! the bank, runs nothing that came from it, and fetches nothing.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::cdp::{Browser, Tab};
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

    // The search box: a Korean query with a particle and no space, and a glossary query
    // (과적합 is overfitting in the glossary; the dropout question says only overfitting).
    let cdp = Browser::launch().expect("chromium was found above");
    let tab = cdp.open(&format!("file://{}", page.display()), 390, 844);
    let hits = page_hits(&tab, "가상메모리가");
    assert!(
        hits.iter().take(3).any(|h| h == "os-virtual-memory-paging"),
        "{hits:?}"
    );
    // While hits are shown the page is set aside (nothing of it drawn), and a tapped hit brings
    // it back at that question.
    let height = "document.getElementById('content').getBoundingClientRect().height";
    assert_eq!(tab.eval(height), 0, "the page is set aside while searching");
    tab.tap("#results li[data-id='os-virtual-memory-paging'] a");
    assert!(
        tab.eval(height).as_f64().unwrap() > 10_000.0,
        "the page is back"
    );
    tab.wait_for(
        "Math.abs(document.getElementById('os-virtual-memory-paging').getBoundingClientRect().top) < 5",
    );
    // It stays there once the answers around it are drawn (the page scrolls again for a few
    // frames while their heights settle).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let top = tab
        .eval("Math.abs(document.getElementById('os-virtual-memory-paging').getBoundingClientRect().top)")
        .as_f64()
        .unwrap();
    assert!(
        top < 5.0,
        "the tapped question stays at the top ({top} px off)"
    );
    assert_eq!(
        tab.eval("location.hash"),
        "#os-virtual-memory-paging",
        "the address names the question (Back returns from it)"
    );
    // The box focused and emptied keeps the search view; leaving it empty brings the page back.
    tab.tap("#q");
    tab.eval("var q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); true");
    assert_eq!(tab.eval(height), 0, "the search view, empty");
    tab.eval("document.getElementById('q').blur(); true");
    assert!(
        tab.eval(height).as_f64().unwrap() > 10_000.0,
        "the page is back"
    );
    let hits = page_hits(&tab, "과적합");
    assert!(hits.iter().take(5).any(|h| h == "dl-dropout"), "{hits:?}");
    // Initial consonants: ㅊㄹ ㅅㄷ finds 추론 속도 (the OCR project's speed question), and
    // nothing whose question has no such run (추론 시 동작 has the same initials, so it counts).
    let hits = page_hits(&tab, "ㅊㄹ ㅅㄷ");
    assert!(
        hits.iter()
            .any(|h| h == "ocr-serving-inference-optimization"),
        "{hits:?}"
    );
    assert!(!hits.iter().any(|h| h == "net-tcp-vs-udp"), "{hits:?}");
    // -word and "phrase", as kb search takes them.
    let all = page_hits(&tab, "TCP");
    let without = page_hits(&tab, "TCP -UDP");
    assert!(all.iter().any(|h| h == "net-tcp-vs-udp"), "{all:?}");
    assert!(
        !without.iter().any(|h| h == "net-tcp-vs-udp"),
        "-UDP leaves it out: {without:?}"
    );
    let phrase = page_hits(&tab, "\"3-way handshake\"");
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
    let loose = page_hits(&tab, "3-way handshake");
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

/// The ids the page's search lists for `query`, best first: typed into the search box (set
/// and announced with an `input` event, as a keyboard does at the end of a word).
fn page_hits(tab: &Tab, query: &str) -> Vec<String> {
    let ids = tab.eval(&format!(
        "(function () {{ var q = document.getElementById('q'); q.value = {};\
         q.dispatchEvent(new Event('input'));\
         return Array.from(document.querySelectorAll('#results li[data-id]'), function (li) {{\
         return li.dataset.id; }}); }})()",
        serde_json::json!(query)
    ));
    serde_json::from_value(ids).unwrap()
}

/// `kb search`'s top five for `query`.
/// kb search's top five, words as typed: the page has no typo corrections (issue 17 item 4 is
/// kb search's), so it is compared with kb search without them.
fn kb_hits(sb: &Sandbox, kb: &Path, query: &str) -> Vec<String> {
    let out = sb
        .kb(kb)
        .args(["search", query, "--limit", "5", "--json", "--exact"])
        .output()
        .unwrap();
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect()
}

/// How far the page's top five agree with kb search's over some queries.
#[derive(Default)]
struct Overlap {
    shared: usize,
    total: usize,
    queries: usize,
    differ: Vec<String>,
}

impl Overlap {
    fn add(&mut self, query: &str, want: &[String], got: &[String]) {
        if want.is_empty() {
            return;
        }
        let got: Vec<&String> = got.iter().take(5).collect();
        let here = want.iter().filter(|id| got.contains(id)).count();
        if here < want.len() {
            self.differ
                .push(format!("{query}\n  kb:   {want:?}\n  page: {got:?}"));
        }
        self.shared += here;
        self.total += want.len();
        self.queries += 1;
    }

    fn value(&self) -> f64 {
        self.shared as f64 / self.total.max(1) as f64
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name}: {:.3} on {} queries ({} differ)",
            self.value(),
            self.queries,
            self.differ.len()
        )
    }
}

/// The queries of a TSV file's `query` column, with the row's split when it has one (the
/// search-quality set has none: its rows alternate into two halves).
fn queries_of(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file),
    )
    .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (query, split) = (col("query").unwrap(), col("split"));
    lines
        .enumerate()
        .filter_map(|(n, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            let half = match split {
                Some(s) => cols.get(s)?.to_string(),
                None if n % 2 == 0 => "even rows".to_string(),
                None => "odd rows".to_string(),
            };
            Some((half, cols.get(query)?.to_string()))
        })
        .collect()
}

/// The overlap of the page's search with kb search's on `queries`, by half and in all.
fn compare(
    sb: &Sandbox,
    kb: &Path,
    page: &Path,
    queries: &[(String, String)],
) -> Vec<(String, Overlap)> {
    let Some(browser) = Browser::launch() else {
        unreachable!("checked by the caller")
    };
    let tab = browser.open(&format!("file://{}", page.display()), 390, 844);
    let mut by: BTreeMap<String, Overlap> = BTreeMap::new();
    let mut all = Overlap::default();
    for (half, query) in queries {
        let want = kb_hits(sb, kb, query);
        let got = page_hits(&tab, query);
        by.entry(half.clone()).or_default().add(query, &want, &got);
        all.add(query, &want, &got);
    }
    let mut out: Vec<(String, Overlap)> = by.into_iter().collect();
    out.push(("all".to_string(), all));
    out
}

#[test]
fn the_pages_search_finds_what_kb_search_finds() {
    if chromium().is_none() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    let page = sb.path().join("bank.html");
    export_page(&sb, &kb, &page);
    let result = compare(&sb, &kb, &page, &queries_of("search-queries.tsv"));
    let lines: Vec<String> = result.iter().map(|(h, o)| o.line(h)).collect();
    notice(&format!(
        "page search vs kb search, top 5, the sample bank, tests/data/search-queries.tsv: {}",
        lines.join("; ")
    ));
    let (_, all) = result.last().unwrap();
    assert!(
        all.queries >= 50,
        "only {} queries had kb search hits",
        all.queries
    );
    assert!(
        all.value() >= FLOOR,
        "overlap {:.3} fell below {FLOOR}; where they differ:\n{}",
        all.value(),
        all.differ.join("\n")
    );
}

/// The same on a bank nobody here wrote: the four public corpora imported as they are (two
/// question collections, two notes repositories), with the notes queries (written for issue 13,
/// never looked at for the page) and the search-quality queries.
#[test]
fn the_pages_search_finds_what_kb_search_finds_in_the_corpora() {
    let Some(corpora) = corpora() else { return };
    if chromium().is_none() {
        return;
    }
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.kb(&kb)
        .args(["import", "--json"])
        .args(question_collections(&corpora))
        .arg(corpora.join("cs-study"))
        .arg(corpora.join("technicalnote"))
        .assert()
        .success();
    let page = sb.path().join("bank.html");
    export_page(&sb, &kb, &page);
    let bytes = std::fs::metadata(&page).unwrap().len();
    let mut report = Vec::new();
    for file in ["notes-queries.tsv", "search-queries.tsv"] {
        let result = compare(&sb, &kb, &page, &queries_of(file));
        report.push(format!(
            "{file}: {}",
            result
                .iter()
                .map(|(h, o)| o.line(h))
                .collect::<Vec<_>>()
                .join("; ")
        ));
        let (_, all) = result.last().unwrap();
        assert!(
            all.value() >= CORPORA_FLOOR,
            "{file}: overlap {:.3} fell below {CORPORA_FLOOR}; where they differ:\n{}",
            all.value(),
            all.differ.join("\n")
        );
    }
    notice(&format!(
        "page search vs kb search, top 5, the four corpora ({} KB page): {}",
        bytes / 1000,
        report.join(" | ")
    ));
}

/// Under what was measured on the corpora bank when this test was written: 1.000 on the 64
/// notes queries (both halves), 0.991 on the 125 search-quality queries (0.997 / 0.986).
const CORPORA_FLOOR: f64 = 0.95;

/// Under the overlap measured (0.988 on 113 queries: 0.984 on the even rows, 0.992 on the odd
/// ones; where they differ, it is the fifth hit among equal scores). It was 0.832 while the page scored in its own way; it rose when the page took the
/// index's fields (the answer as plain text, its headings), tantivy's quantized field lengths,
/// kb search's per-word weights and its way of scoring glossary equivalents. The target
/// is 0.9.
const FLOOR: f64 = 0.97;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The drill as a person does it on the phone: the card that is due comes first, a tap shows
/// the answer, a tap grades it; the grades outlive a reload, leave as a review log, and `kb drill
/// --import` records that log once, however often it is imported.
#[test]
fn a_drill_on_the_phone_comes_back_into_git() {
    let Some(browser) = Browser::launch() else {
        chromium();
        return;
    };
    let sb = Sandbox::new();
    let kb = sample_copy(&sb);
    // Reviewed at the desk: the p-value question ten days ago, hard (due since), the big-O one
    // yesterday, easy (due in two weeks).
    let (due, fresh) = ("stat-p-value", "algo-big-o");
    let t = now();
    std::fs::create_dir_all(kb.join("reviews")).unwrap();
    std::fs::write(
        kb.join("reviews/desk.tsv"),
        format!(
            "# kb review log: time\tquestion\tgrade\n# machine: desk\n{}\t{due}\thard\n{}\t{fresh}\teasy\n",
            iso(t - 10 * 86_400),
            iso(t - 86_400)
        ),
    )
    .unwrap();
    sb.git(&kb, &["add", "reviews"]);
    sb.git(&kb, &["commit", "-qm", "reviews at the desk"]);
    let page = sb.path().join("bank.html");
    let export = |page: &Path| {
        export_page(&sb, &kb, page);
    };
    export(&page);

    let url = format!("file://{}", page.display());
    let mut tab = browser.open(&url, 390, 844);
    tab.tap("#drill-open");
    tab.wait_for("!document.getElementById('drill').hidden");
    let card = |tab: &Tab| tab.eval("document.getElementById('card').dataset.id");
    assert_eq!(card(&tab), due, "the due card comes first");
    let count = tab.eval("document.getElementById('drill-count').textContent");
    assert!(
        count.as_str().unwrap().contains("복습 예정 1개"),
        "one card is due: {count}"
    );
    assert_eq!(
        tab.eval("document.getElementById('card-a').hidden"),
        true,
        "the answer waits for a tap"
    );
    tab.tap("#reveal");
    // What the card looks like with its answer shown (kept when KB_SCREENSHOTS names a folder).
    let shot = sb.path().join("page-drill.png");
    tab.screenshot(&shot);
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "an empty screen?"
    );
    if let Some(dir) = std::env::var_os("KB_SCREENSHOTS") {
        std::fs::copy(&shot, Path::new(&dir).join("page-drill.png")).unwrap();
    }
    let answer = tab.eval("document.getElementById('card-a').textContent");
    assert!(
        answer.as_str().unwrap().contains("p-value") || answer.as_str().unwrap().len() > 40,
        "the answer is shown: {answer}"
    );
    tab.tap("#grades button[data-grade='3']");
    let second = card(&tab);
    assert_ne!(second, due, "the next card");
    assert_ne!(
        second, fresh,
        "a card not due yet comes after the ones never drilled"
    );
    tab.tap("#reveal");
    tab.tap("#grades button[data-grade='1']");
    let second = second.as_str().unwrap().to_string();

    // A reload keeps the grades (the page's local storage).
    tab.goto(&url);
    let memory = |tab: &Tab, id: &str| {
        tab.eval(&format!("window.kbDrill.memory({})", serde_json::json!(id)))
    };
    assert_eq!(
        memory(&tab, due)["reviews"],
        2,
        "the desk's review and the phone's"
    );
    assert_eq!(memory(&tab, &second)["reviews"], 1);
    assert_eq!(memory(&tab, &second)["grade"], 1);

    // The log leaves the page as a file.
    tab.tap("#drill-open");
    let downloads = sb.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    tab.allow_downloads(&downloads);
    let log = tab.download(&downloads, |tab| tab.tap("#log-save"));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("# machine: phone\n"), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].ends_with(&format!("\t{due}\tgood")), "{text}");
    assert!(lines[1].ends_with(&format!("\t{second}\tagain")), "{text}");
    let when = lines[0].split('\t').next().unwrap();
    assert!(
        (iso(t - 5)..=iso(now() + 5)).contains(&when.to_string()),
        "graded now: {when}"
    );

    // Into git, once.
    let import = || {
        json(
            &sb.kb(&kb)
                .args(["drill", "--json", "--import"])
                .arg(&log)
                .assert()
                .success(),
        )
    };
    let imported = import();
    assert_eq!(imported["added"], 2, "{imported}");
    assert_eq!(imported["log"], "reviews/phone.tsv");
    assert_eq!(
        head_message(&kb).lines().next().unwrap(),
        "drill: import 2 reviews from phone"
    );
    let again = import();
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["already"], 2, "{again}");
    let phone = std::fs::read_to_string(kb.join("reviews/phone.tsv")).unwrap();
    assert_eq!(phone.lines().filter(|l| !l.starts_with('#')).count(), 2);

    // A page exported after the import has the phone's grades in its history, and the ones kept
    // on the phone are not counted twice.
    export(&page);
    tab.goto(&url);
    assert_eq!(memory(&tab, due)["reviews"], 2, "counted once");
    assert_eq!(memory(&tab, &second)["reviews"], 1, "counted once");
}

/// The page's schedule is review.rs's: for many histories, the page's FSRS gives the same due
/// time and stability as kb's own.
#[test]
fn the_pages_schedule_is_kbs() {
    let Some(browser) = Browser::launch() else {
        chromium();
        return;
    };
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    sb.add(&kb, &["TCP와 UDP의 차이는?"]);
    let page = sb.path().join("bank.html");
    export_page(&sb, &kb, &page);
    let tab = browser.open(&format!("file://{}", page.display()), 390, 844);
    // Histories of one to eight reviews, a few hours to sixty days apart, every grade.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut checked = 0;
    for _ in 0..300 {
        let mut time = 1_780_000_000 + next(86_400 * 30) as i64;
        let mut text = String::new();
        let mut page_history = Vec::new();
        for _ in 0..=next(8) {
            time += 3_600 * (1 + next(24 * 60)) as i64;
            let grade = 1 + next(4);
            let name = ["again", "hard", "good", "easy"][grade as usize - 1];
            text.push_str(&format!("{}\tq\t{name}\n", iso(time)));
            page_history.push(serde_json::json!([time, grade]));
        }
        let reviews = kb::review::parse_lines(&text);
        let ours = &kb::review::schedule(&reviews)["q"];
        let theirs = tab.eval(&format!(
            "window.kbDrill.schedule({})",
            serde_json::Value::Array(page_history)
        ));
        assert_eq!(
            theirs["due"].as_i64(),
            Some(ours.due.as_second()),
            "due after\n{text}page: {theirs}"
        );
        let s = theirs["s"].as_f64().unwrap();
        assert!(
            (s - ours.stability).abs() <= 1e-9 * ours.stability.max(1.0),
            "stability {s} vs {} after\n{text}",
            ours.stability
        );
        checked += 1;
    }
    assert_eq!(checked, 300);
}
