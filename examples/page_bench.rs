//! The offline HTML page (`kb export --format html`) on a phone's CPU: headless Chromium at
//! 390×844 with the CPU throttled 4× (and, for comparison, not throttled), each query typed one
//! keystroke at a time. Prints Markdown tables; bench/page.sh runs it.
//!
//! cargo run --release --example page_bench -- PAGE.html QUERY... [--rounds N] [--css CSS]
//!
//! `--css` adds a style sheet to the page once it has loaded, before the keystrokes (the load
//! times are the page's own): a way to try a change to the page's style without rebuilding kb.
//!
//! Two times per keystroke:
//! - *search*: what the page itself measures (`performance.now()` around its search function,
//!   the `data-ms` of `#status`);
//! - *keystroke*: from the `input` event (its timeStamp) to the first task after the next frame
//!   once the results are drawn: the search, rendering the list, style, layout and paint;
//!   and, as a part of it, the median time of the style and layout the new list costs.

#[path = "../tests/it/common/cdp.rs"]
mod cdp;

use std::path::Path;

use cdp::{Browser, Tab};

/// Installed in the page: `__kbKey()` clears `#status`'s `data-ms` and returns a promise of the
/// times of the next keystroke, resolved once the page has set `data-ms` again and drawn the
/// frame after it. Right after the page has set it, the style and layout the new results need
/// are forced and timed (the frame would do them anyway; this says how much of the keystroke
/// they are).
const KEY_HOOK: &str = "window.__kbKey = function () {
  var status = document.getElementById('status'), asked = performance.now(), start = null;
  status.setAttribute('data-ms', '');
  window.addEventListener('input', function (e) { start = e.timeStamp; }, {capture: true, once: true});
  return new Promise(function (resolve) {
    var seen = new MutationObserver(function () {
      var ms = status.getAttribute('data-ms');
      if (!ms) return;
      seen.disconnect();
      var before = performance.now();
      void document.body.offsetHeight;
      var layout = performance.now() - before;
      requestAnimationFrame(function () {
        setTimeout(function () {
          resolve({search: parseFloat(ms), layout: layout,
                   keystroke: performance.now() - (start === null ? asked : start)});
        }, 0);
      });
    });
    seen.observe(status, {attributes: true, attributeFilter: ['data-ms']});
  });
}; true";

/// A fixed piece of work, to show the throttling is in effect: 10⁷ additions.
const LOOP: &str = "(function () { var t = performance.now(), x = 0;\
  for (var i = 0; i < 1e7; i++) x += i; return performance.now() - t + (x < 0 ? 1 : 0); })()";

/// Screen size: a common phone's, in CSS pixels.
const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

/// Page loads per mode whose median is reported.
const LOADS: usize = 3;

/// The times of one keystroke, in ms.
#[derive(Clone, Copy)]
struct Keystroke {
    search: f64,
    layout: f64,
    whole: f64,
}

struct Mode {
    rate: f64,
    dom_content_loaded: f64,
    load: f64,
    loop_ms: f64,
    /// Per query, for every keystroke of every round.
    queries: Vec<Vec<Keystroke>>,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut rounds = 3;
    if let Some(at) = args.iter().position(|a| a == "--rounds") {
        rounds = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .expect("--rounds takes a number");
        args.drain(at..at + 2);
    }
    let mut css = None;
    if let Some(at) = args.iter().position(|a| a == "--css") {
        css = Some(args.get(at + 1).expect("--css takes a style sheet").clone());
        args.drain(at..at + 2);
    }
    let Some((page, queries)) = args.split_first() else {
        eprintln!("usage: page_bench PAGE.html QUERY... [--rounds N] [--css CSS]");
        std::process::exit(2);
    };
    let page = std::fs::canonicalize(page).unwrap_or_else(|e| panic!("{page}: {e}"));
    let Some(browser) = Browser::launch() else {
        eprintln!("missing: chromium (apt-get install chromium)");
        std::process::exit(2);
    };
    let url = format!("file://{}", page.display());
    let modes: Vec<Mode> = [4.0, 1.0]
        .into_iter()
        .map(|rate| measure(&browser, &url, rate, queries, rounds, css.as_deref()))
        .collect();
    if let Some(css) = &css {
        println!("with this style sheet added after the page has loaded: `{css}`\n");
    }
    report(&page, queries, rounds, &modes);
}

fn measure(
    browser: &Browser,
    url: &str,
    rate: f64,
    queries: &[String],
    rounds: usize,
    css: Option<&str>,
) -> Mode {
    let mut tab = browser.open("about:blank", WIDTH, HEIGHT);
    tab.throttle_cpu(rate);
    let mut dcl = Vec::new();
    let mut load = Vec::new();
    for _ in 0..LOADS {
        tab.goto(url);
        tab.wait_for("performance.getEntriesByType('navigation')[0].loadEventEnd > 0");
        let t = tab.eval(
            "(function () { var n = performance.getEntriesByType('navigation')[0];\
             return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()",
        );
        dcl.push(t[0].as_f64().unwrap());
        load.push(t[1].as_f64().unwrap());
    }
    let loop_ms = tab.eval(LOOP).as_f64().unwrap();
    if let Some(css) = css {
        tab.eval(&format!(
            "var s = document.createElement('style'); s.textContent = {}; \
             document.head.appendChild(s); true",
            serde_json::json!(css)
        ));
    }
    tab.eval(KEY_HOOK);
    let queries = queries
        .iter()
        .map(|q| {
            let mut times = Vec::new();
            for _ in 0..rounds {
                times.extend(type_query(&tab, q));
            }
            times
        })
        .collect();
    let errors = tab.console_errors();
    assert!(errors.is_empty(), "the page logged errors: {errors:?}");
    Mode {
        rate,
        dom_content_loaded: median(&mut dcl),
        load: median(&mut load),
        loop_ms,
        queries,
    }
}

/// Tap the search box, empty it, and type `query` a keystroke at a time: each keystroke's
/// times.
fn type_query(tab: &Tab, query: &str) -> Vec<Keystroke> {
    tab.tap("#q");
    tab.eval("var q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); true");
    let times: Vec<Keystroke> = query
        .chars()
        .map(|c| {
            tab.eval("window.__kbPending = __kbKey(); true");
            tab.key(c);
            let t = tab.eval("window.__kbPending");
            if std::env::var_os("KB_BENCH_EACH").is_some() {
                eprintln!("{query:?} {c:?}: {t}");
            }
            Keystroke {
                search: t["search"].as_f64().expect("data-ms is a number"),
                layout: t["layout"].as_f64().unwrap(),
                whole: t["keystroke"].as_f64().unwrap(),
            }
        })
        .collect();
    // A page that finds nothing is fast for the wrong reason.
    let hits = tab.eval("document.querySelectorAll('#results li').length");
    assert!(
        hits.as_u64().unwrap_or(0) > 0,
        "the page found nothing for {query:?}"
    );
    times
}

fn report(page: &Path, queries: &[String], rounds: usize, modes: &[Mode]) {
    let bytes = std::fs::metadata(page).unwrap().len();
    println!(
        "page: {} KiB; screen {WIDTH}×{HEIGHT}; {rounds} rounds per query\n",
        bytes / 1024
    );
    println!("| | {} |", header(modes, |m| format!("{}× CPU", m.rate)));
    println!("|---|{}", "---|".repeat(modes.len()));
    println!(
        "| DOMContentLoaded, ms (median of {LOADS}) | {} |",
        header(modes, |m| format!("{:.0}", m.dom_content_loaded))
    );
    println!(
        "| load event, ms (median of {LOADS}) | {} |",
        header(modes, |m| format!("{:.0}", m.load))
    );
    println!(
        "| 10⁷ additions in JS, ms | {} |",
        header(modes, |m| format!("{:.0}", m.loop_ms))
    );
    for mode in modes {
        println!(
            "\n{}× CPU, ms per keystroke (search: the page's `data-ms`; keystroke: input event \
             to the frame after the results are drawn; layout: the style and layout of the new \
             results, part of the keystroke):\n",
            mode.rate
        );
        println!(
            "| query | keystrokes | search median | p95 | max | keystroke median | p95 | max | layout median |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
        let mut all = Vec::new();
        for (query, times) in queries.iter().zip(&mode.queries) {
            println!(
                "{}",
                row(&format!("`{query}`"), query.chars().count(), times)
            );
            all.extend_from_slice(times);
        }
        println!("{}", row("**all**", all.len() / rounds, &all));
    }
}

fn header(modes: &[Mode], cell: impl Fn(&Mode) -> String) -> String {
    modes.iter().map(cell).collect::<Vec<_>>().join(" | ")
}

fn row(name: &str, keystrokes: usize, times: &[Keystroke]) -> String {
    let mut search: Vec<f64> = times.iter().map(|t| t.search).collect();
    let mut whole: Vec<f64> = times.iter().map(|t| t.whole).collect();
    let mut layout: Vec<f64> = times.iter().map(|t| t.layout).collect();
    format!(
        "| {name} | {keystrokes} | {} | {} | {:.1} |",
        stats(&mut search),
        stats(&mut whole),
        median(&mut layout)
    )
}

/// Median, 95th percentile (nearest rank) and maximum.
fn stats(v: &mut [f64]) -> String {
    v.sort_by(f64::total_cmp);
    let p95 = v[((v.len() as f64 * 0.95).ceil() as usize).clamp(1, v.len()) - 1];
    format!("{:.1} | {:.1} | {:.1}", median(v), p95, v[v.len() - 1])
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
