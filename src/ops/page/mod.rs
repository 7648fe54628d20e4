//! `kb export --format html`: the bank as one self-contained page to read on a phone, offline.
//!
//! One file, nothing fetched: the styles are inline, images are embedded as data URIs, and a
//! Content-Security-Policy forbids every request (`default-src 'none'`), so the page works from
//! `file://`, a Files app or a messenger attachment and cannot leak what it shows. Everything
//! taken from the bank is escaped: raw HTML in an answer is shown as text, and links or images
//! that point outside the page become plain text. LaTeX (`$…$`, `$$…$$`) becomes MathML, which
//! browsers draw without any script.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use tantivy::fieldnorm::FieldNormReader;

use crate::error::Result;
use crate::model::Question;
use crate::ops::export::Group;
use crate::project::Project;
use crate::store::Kb;

/// The most image bytes embedded in one page; images past it are left out (named in the
/// page) so the file stays small enough to send to a phone.
pub const IMAGE_BUDGET: usize = 4 * 1024 * 1024;

/// A page and what did not go into it.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    pub questions: usize,
    /// Images embedded, and images left out (not found, not an image, or over the budget).
    pub images: usize,
    pub images_left_out: Vec<String>,
}

/// The page for `questions`: the most asked first, then each project's, then the rest by
/// their first tag (as prep reads them: what comes up in interviews before the rest).
pub fn page(kb: &Kb, questions: &[&Question], projects: &[Project]) -> Result<Page> {
    let korean = kb.config.language == "ko";
    let sections = sections(questions, projects, korean);
    render(kb, &sections, questions.len(), None)
}

/// The briefing of `kb prep` as a page: its sections, in its order.
pub fn prep_page(kb: &Kb, prep: &crate::ops::prep::Prep) -> Result<Page> {
    let sections: Vec<Section> = prep
        .sections
        .iter()
        .map(|s| Section {
            title: s.title.clone(),
            questions: s.questions.iter().map(|e| &e.question).collect(),
            by_tag: false,
        })
        .collect();
    let title = match &prep.company {
        Some(c) if prep.korean => format!("{c} 면접 준비 ({})", prep.date),
        Some(c) => format!("Preparing for {c} ({})", prep.date),
        None if prep.korean => format!("면접 준비 ({})", prep.date),
        None => format!("Interview preparation ({})", prep.date),
    };
    render(kb, &sections, prep.total(), Some(title))
}

/// A part of the page: its heading and questions.
struct Section<'q> {
    title: String,
    questions: Vec<&'q Question>,
    /// One of the many groups by first tag: listed in the contents under their own heading.
    by_tag: bool,
}

/// Every question once: the asked ones, then each project's, then by first tag.
fn sections<'q>(
    questions: &[&'q Question],
    projects: &[Project],
    korean: bool,
) -> Vec<Section<'q>> {
    let mut sections: Vec<Section> = Vec::new();
    let mut asked: Vec<&Question> = questions
        .iter()
        .copied()
        .filter(|q| !q.asked.is_empty())
        .collect();
    asked.sort_by(|a, b| b.asked.len().cmp(&a.asked.len()).then(a.id.cmp(&b.id)));
    let t = |ko: &str, en: &str| {
        if korean {
            ko.to_string()
        } else {
            en.to_string()
        }
    };
    if !asked.is_empty() {
        sections.push(Section {
            title: t("면접에서 받은 질문", "Asked in interviews"),
            questions: asked,
            by_tag: false,
        });
    }
    let rest: Vec<&Question> = questions
        .iter()
        .copied()
        .filter(|q| q.asked.is_empty())
        .collect();
    for (group, qs) in crate::ops::export::by_project_then_section(&rest, projects) {
        let (title, by_tag) = match group {
            Group::Project(name) => (
                t(&format!("프로젝트: {name}"), &format!("Project: {name}")),
                false,
            ),
            Group::Tag(tag) => (tag, true),
            Group::Untagged => (t("태그 없음", "untagged"), true),
        };
        sections.push(Section {
            title,
            questions: qs,
            by_tag,
        });
    }
    sections
}

/// The page of `sections` (`count` questions in all), titled `title` or the bank's name.
fn render(kb: &Kb, sections: &[Section], count: usize, title: Option<String>) -> Result<Page> {
    let korean = kb.config.language == "ko";
    let t = |ko: &str, en: &str| {
        if korean {
            ko.to_string()
        } else {
            en.to_string()
        }
    };

    let mut images = Images {
        root: kb.root(),
        used: 0,
        embedded: 0,
        left_out: Vec::new(),
    };
    let title = title.unwrap_or_else(|| match kb.config.name.as_str() {
        "" => "kb".to_string(),
        name => name.to_string(),
    });
    let all: Vec<&Question> = sections
        .iter()
        .flat_map(|s| s.questions.iter().copied())
        .collect();
    let mut body = String::new();
    drill_markup(&mut body, korean);
    let _ = writeln!(
        body,
        "<main id=\"reading\">\n<input id=\"q\" type=\"search\" placeholder=\"{}\" autocomplete=\"off\" hidden>\n\
         <p id=\"status\"></p><ol id=\"results\" hidden></ol>",
        escape(&t("검색 (예: 차원의저주, TCP handshake)", "Search"))
    );
    // The contents: the asked and project parts first, the many groups by tag folded away.
    let chip = |(n, s): (usize, &Section)| {
        format!(
            "<li><a href=\"#s{n}\">{}</a> <span class=\"n\">{}</span></li>",
            escape(&s.title),
            s.questions.len()
        )
    };
    let major: Vec<String> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.by_tag)
        .map(chip)
        .collect();
    let minor: Vec<String> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.by_tag)
        .map(chip)
        .collect();
    // The contents and every answer, set aside while a search is shown: on a phone, redrawing
    // a page of 2,000 open answers after each keystroke cost 300 ms (docs/BENCHMARKS.md).
    let _ = writeln!(body, "<div id=\"content\">\n<nav>");
    if !major.is_empty() {
        let _ = writeln!(body, "<ol>{}</ol>", major.join(""));
    }
    if !minor.is_empty() {
        let _ = writeln!(
            body,
            "<details{}><summary>{}</summary><ol>{}</ol></details>",
            if major.is_empty() { " open" } else { "" },
            escape(&t(
                &format!("태그별 {}묶음", minor.len()),
                &format!("By tag: {} groups", minor.len())
            )),
            minor.join("")
        );
    }
    let _ = writeln!(body, "</nav>");
    for (n, section) in sections.iter().enumerate() {
        let _ = writeln!(
            body,
            "<section id=\"s{n}\"><h2>{}</h2>",
            escape(&section.title)
        );
        for q in &section.questions {
            article(&mut body, q, &mut images, korean);
        }
        let _ = writeln!(body, "</section>");
    }
    let _ = writeln!(body, "</div>\n</main>");
    let (reviews, _) = crate::review::load(kb)?;
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>{title}</h1><p>{count}</p><button id=\"drill-open\" type=\"button\" hidden>{drill}</button></header>\n{body}\
         <script type=\"application/json\" id=\"kb-data\">{data}</script>\n\
         <script type=\"application/json\" id=\"kb-drill\">{drill_data}</script>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        policy = policy(SCRIPT),
        drill = t("드릴", "Drill"),
        drill_data = drill_data(kb, &all, &reviews, korean),
        data = search_data(
            &all,
            &crate::analysis::glossary::Glossary::load(kb.root()).0,
            korean
        ),
        lang = if korean { "ko" } else { "en" },
        title = escape(&title),
        count = escape(&t(&format!("{count}문항"), &format!("{count} questions"))),
    );
    Ok(Page {
        html,
        questions: count,
        images: images.embedded,
        images_left_out: images.left_out,
    })
}

/// The drill's cards and controls, hidden until the script opens them (a page opened where
/// scripts do not run still reads as a page).
fn drill_markup(out: &mut String, korean: bool) {
    let t = |ko: &'static str, en: &'static str| if korean { ko } else { en };
    let _ = writeln!(
        out,
        "<section id=\"drill\" hidden>\n\
         <div class=\"bar\"><select id=\"drill-scope\" aria-label=\"{scope}\"><option value=\"\">{all}</option></select>\
         <button id=\"drill-close\" type=\"button\">{close}</button></div>\n\
         <p id=\"drill-count\"></p>\n\
         <div id=\"card\"><h3 id=\"card-q\"></h3><div id=\"card-meta\"></div>\
         <button id=\"reveal\" type=\"button\">{reveal}</button><div id=\"card-a\" hidden></div>\
         <div id=\"grades\" hidden>",
        scope = t("범위", "Scope"),
        all = t("전체", "Everything"),
        close = t("읽기로", "Back to reading"),
        reveal = t("답 보기", "Show the answer"),
    );
    let grades = [
        (t("다시", "Again"), "again"),
        (t("어려움", "Hard"), "hard"),
        (t("보통", "Good"), "good"),
        (t("쉬움", "Easy"), "easy"),
    ];
    for (n, (label, class)) in grades.iter().enumerate() {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"{class}\" data-grade=\"{}\">{} {label}<small></small></button>",
            n + 1,
            n + 1
        );
    }
    let _ = writeln!(
        out,
        "</div></div>\n<p id=\"drill-end\" hidden></p>\n\
         <div class=\"log\"><p id=\"log-count\"></p>\
         <button id=\"log-save\" type=\"button\">{save}</button> \
         <button id=\"log-share\" type=\"button\">{share}</button> \
         <button id=\"log-clear\" type=\"button\">{clear}</button>\
         <details id=\"log-box\"><summary>{show}</summary>\
         <label>{machine} <input id=\"machine\" autocomplete=\"off\"></label>\
         <textarea id=\"log-text\" readonly rows=\"6\"></textarea>\
         <p class=\"hint\">{hint}</p></details></div>\n</section>",
        save = t("기록 저장", "Save the log"),
        share = t("공유", "Share"),
        clear = t("지우기", "Forget"),
        show = t("기록 보기", "The log"),
        machine = t("기기 이름", "Device name"),
        hint = t(
            "저장한 파일을 컴퓨터로 옮겨 kb drill --import 파일 로 가져오면 이 기기의 복습이 reviews/ 에 기록됩니다. 같은 파일을 두 번 가져와도 한 번만 기록됩니다.",
            "Move the saved file to a computer and run kb drill --import FILE: the reviews done here go into reviews/ as this device's log. Importing the same file twice adds nothing."
        ),
    );
}

/// What the drill needs, as JSON: the schedule's parameters, and for each question its
/// review history (unix seconds and grade 1–4, oldest first), times asked and whether it has an
/// answer.
fn drill_data(
    kb: &Kb,
    questions: &[&Question],
    reviews: &[crate::review::Review],
    korean: bool,
) -> String {
    let wanted: std::collections::HashSet<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    let mut history: BTreeMap<&str, Vec<(i64, u8)>> = BTreeMap::new();
    let mut sorted: Vec<&crate::review::Review> = reviews
        .iter()
        .filter(|r| wanted.contains(r.question.as_str()))
        .collect();
    sorted.sort_by_key(|r| r.time);
    for r in sorted {
        history
            .entry(r.question.as_str())
            .or_default()
            .push((r.time.as_second(), r.grade as u8));
    }
    let facts: BTreeMap<&str, serde_json::Value> = questions
        .iter()
        .map(|q| {
            (
                q.id.as_str(),
                serde_json::json!({"a": q.asked.len(), "ok": q.is_answered()}),
            )
        })
        .collect();
    let bank = match kb.config.name.as_str() {
        "" => "kb",
        name => name,
    };
    serde_json::json!({
        "ko": korean,
        "bank": bank,
        "fsrs": {
            "w": crate::review::W,
            "decay": crate::review::DECAY,
            "factor": crate::review::FACTOR,
            "retention": crate::review::RETENTION,
        },
        "rv": history,
        "q": facts,
    })
    .to_string()
    .replace('<', "\\u003c")
}

/// The page's script: its search (search.js) and its drill (drill.js). The search is the analyzer's loop over characters written again in JavaScript,
/// with its tables (particles, stems) given by [`search_data`] from the Rust analyzer, so the
/// page cuts a query as the index cuts text. `tests/it/page.rs` compares its results with
/// `kb search` on the search-quality queries.
const SCRIPT: &str = concat!(include_str!("search.js"), include_str!("drill.js"));

/// What the page's search needs, as JSON: for each question its id, text and tags, the terms
/// of its question, tags and answer (from the index's analyzer) with their counts, the field
/// lengths, and the tables the query side needs.
fn search_data(
    questions: &[&Question],
    glossary: &crate::analysis::glossary::Glossary,
    korean: bool,
) -> String {
    use crate::analysis::analyzer::{self, Options};
    use crate::analysis::glossary::key;
    // The fields as the index has them (src/index/schema.rs): question, tags, the answer as
    // plain text, and the answer's headings.
    let mut postings: BTreeMap<String, Vec<[usize; 5]>> = BTreeMap::new();
    let mut lengths: Vec<[u32; 4]> = Vec::new();
    let mut totals = [0usize; 4];
    let mut stems: BTreeMap<String, String> = BTreeMap::new();
    for (d, q) in questions.iter().enumerate() {
        let fields = [
            q.question.clone(),
            q.tags.join(" "),
            crate::text::markdown_plain(&q.answer),
            crate::text::markdown_headings(&q.answer),
        ];
        let mut counts: BTreeMap<String, [usize; 4]> = BTreeMap::new();
        let mut len = [0u32; 4];
        for (f, text) in fields.iter().enumerate() {
            let terms = analyzer::terms(text, Options::SHIPPED);
            totals[f] += terms.len();
            // The length BM25 reads is tantivy's one-byte field norm, not the exact count.
            len[f] = FieldNormReader::id_to_fieldnorm(FieldNormReader::fieldnorm_to_id(
                terms.len() as u32,
            ));
            for t in terms {
                counts.entry(t).or_default()[f] += 1;
            }
            add_stems(text, &mut stems);
        }
        lengths.push(len);
        for (t, c) in counts {
            postings
                .entry(t)
                .or_default()
                .push([d, c[0], c[1], c[2], c[3]]);
        }
    }
    let n = questions.len().max(1) as f64;
    let avg: Vec<f64> = totals.iter().map(|&t| t as f64 / n).collect();
    // The glossary: each concept's terms as keys (to find them in a query) and as the index's
    // terms (to search for the others), as `kb search` expands a query. A term whose tokens
    // are not all in these questions can score nothing, so it is left out, and so is a concept
    // left with no term; each term text has a number, as kb search counts each text once.
    let mut texts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut concept_keys: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut concepts: Vec<Vec<(String, Vec<String>, usize)>> = Vec::new();
    for (_, terms) in glossary.concepts() {
        let mut useful = Vec::new();
        for t in terms {
            let tokens = analyzer::terms(t, Options::SHIPPED);
            if tokens.is_empty() || !tokens.iter().all(|x| postings.contains_key(x)) {
                continue;
            }
            let next = texts.len();
            let id = *texts.entry(t.as_str()).or_insert(next);
            useful.push((key(t), tokens, id));
        }
        if useful.is_empty() {
            continue;
        }
        for t in terms {
            concept_keys.entry(key(t)).or_default().push(concepts.len());
        }
        concepts.push(useful);
    }
    let data = serde_json::json!({
        "ko": korean,
        "p": analyzer::particles(),
        "s": compact(&stems),
        "n": questions.len(),
        "ids": questions.iter().map(|q| &q.id).collect::<Vec<_>>(),
        "q": questions.iter().map(|q| &q.question).collect::<Vec<_>>(),
        "t": questions.iter().map(|q| &q.tags).collect::<Vec<_>>(),
        "pj": questions.iter().map(|q| &q.project).collect::<Vec<_>>(),
        "len": lengths,
        "avg": avg,
        "x": postings,
        "gk": concept_keys,
        "gc": concepts,
    });
    // Inside a <script> element: `<` written as \u003c, so no text can close it.
    data.to_string().replace('<', "\\u003c")
}

/// The stems of the Latin words in `text` that differ from the word, so the page can stem a
/// query word as the index does without a stemmer of its own. Words the bank does not have
/// cannot match anyway; their common inflections (`networks` for `network`) are added too, since
/// a query may inflect a word the bank writes in another form.
fn add_stems(text: &str, stems: &mut BTreeMap<String, String>) {
    use crate::analysis::analyzer::stem_word;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
    {
        let lower = word.to_lowercase();
        let stem = stem_word(word);
        if stems.contains_key(&lower) {
            continue;
        }
        for form in inflections(&lower).into_iter().chain([lower.clone()]) {
            if stems.contains_key(&form) {
                continue;
            }
            let s = stem_word(&form);
            if s != form && s == stem {
                stems.insert(form, s);
            }
        }
    }
}

/// The stems table in less space: for each stem, the words that stem to it, each written as how
/// many characters to cut from the stem's end and what to add (`networks` → `0s` under
/// `network`; search.js turns it back into a word → stem table).
fn compact(stems: &BTreeMap<String, String>) -> BTreeMap<&str, String> {
    let mut out: BTreeMap<&str, String> = BTreeMap::new();
    for (word, stem) in stems {
        let common = word
            .chars()
            .zip(stem.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let cut = stem.chars().count() - common;
        if cut > 9 {
            continue;
        }
        let entry = out.entry(stem.as_str()).or_default();
        if !entry.is_empty() {
            entry.push(' ');
        }
        entry.push(char::from(b'0' + cut as u8));
        entry.extend(word.chars().skip(common));
    }
    out
}

/// Common English inflections of `word`.
fn inflections(word: &str) -> Vec<String> {
    let base = word.strip_suffix('e').unwrap_or(word);
    let mut out = vec![
        format!("{word}s"),
        format!("{word}es"),
        format!("{base}ing"),
        format!("{base}ed"),
        format!("{word}d"),
        format!("{base}ation"),
        format!("{base}ations"),
        format!("{word}er"),
        format!("{word}ers"),
        format!("{word}ly"),
    ];
    if let Some(stemless) = word.strip_suffix('y') {
        out.push(format!("{stemless}ies"));
        out.push(format!("{stemless}ied"));
    }
    out
}

/// The page's Content-Security-Policy: no request of any kind; the one script allowed is the
/// page's own, by its hash.
fn policy(script: &str) -> String {
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{hash}'"
    )
}

/// One question: its text, what is known about it, and its answer.
fn article(out: &mut String, q: &Question, images: &mut Images, korean: bool) {
    let _ = writeln!(out, "<article id=\"{}\">", escape(&q.id));
    let _ = writeln!(out, "<h3>{}</h3>", escape(&q.question));
    let mut meta = vec![format!("<code>{}</code>", escape(&q.id))];
    if !q.asked.is_empty() {
        let mut companies: Vec<&str> = q.asked.iter().map(|a| a.company.as_str()).collect();
        companies.sort();
        companies.dedup();
        meta.push(format!(
            "<span class=\"asked\">{}× · {}</span>",
            q.asked.len(),
            escape(&companies.join(", "))
        ));
    }
    for t in &q.tags {
        meta.push(format!("<span class=\"tag\">{}</span>", escape(t)));
    }
    if q.is_answered() {
        let seconds = crate::text::speaking_seconds(&q.answer);
        meta.push(format!(
            "<span class=\"say\">{}</span>",
            escape(&crate::text::speaking_time(seconds, korean))
        ));
        if q.project.is_some() && !crate::text::has_figure(&q.answer) {
            meta.push(format!(
                "<span class=\"say\">{}</span>",
                if korean {
                    "수치 없음"
                } else {
                    "no figures"
                }
            ));
        }
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(" "));
    if q.is_answered() {
        let _ = writeln!(
            out,
            "<details open><summary>{}</summary>",
            if korean { "답" } else { "Answer" }
        );
        out.push_str(&markdown(&q.answer, images));
        let _ = writeln!(out, "</details>");
    } else {
        let none = if korean {
            "아직 답을 쓰지 않았습니다."
        } else {
            "No answer written yet."
        };
        let _ = writeln!(out, "<p class=\"none\">{none}</p>");
    }
    let _ = writeln!(out, "</article>");
}

/// Escape text for HTML, in element content and in quoted attributes alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The images an answer shows, embedded while the budget lasts.
struct Images<'a> {
    root: &'a Path,
    used: usize,
    embedded: usize,
    left_out: Vec<String>,
}

impl Images<'_> {
    /// A data URI for the image at `dest` (relative to the bank), or `None` when it is not a
    /// local image kb can embed.
    fn data_uri(&mut self, dest: &str) -> Option<String> {
        let rel = dest.trim_start_matches("./");
        let mime = match Path::new(rel)
            .extension()?
            .to_str()?
            .to_ascii_lowercase()
            .as_str()
        {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "svg" => "image/svg+xml",
            _ => return None,
        };
        // Only files inside the bank: a link may not reach out of it.
        if rel.contains("..") || rel.starts_with('/') || rel.contains(':') {
            return None;
        }
        let bytes = std::fs::read(self.root.join(rel)).ok()?;
        if self.used + bytes.len() > IMAGE_BUDGET {
            return None;
        }
        self.used += bytes.len();
        self.embedded += 1;
        let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Some(format!("data:{mime};base64,{data}"))
    }
}

/// An answer's Markdown as HTML that can run nothing and fetch nothing: raw HTML becomes text,
/// links keep their text (and their address only when it is http(s) or inside the page), and
/// images are embedded or replaced by their description.
fn markdown(md: &str, images: &mut Images) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH;
    let mut events: Vec<Event> = Vec::new();
    let mut in_image = false;
    // Inside an image drawn as MathML instead: its description is not shown.
    let mut in_formula = false;
    for event in Parser::new_ext(md, options) {
        if in_formula {
            in_formula = !matches!(event, Event::End(pulldown_cmark::TagEnd::Image));
            continue;
        }
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::InlineMath(tex) => events.push(Event::InlineHtml(math(&tex, false).into())),
            Event::DisplayMath(tex) => events.push(Event::Html(math(&tex, true).into())),
            Event::Start(Tag::Image { ref dest_url, .. }) if formula_image(dest_url).is_some() => {
                let tex = formula_image(dest_url).unwrap_or_default();
                events.push(Event::InlineHtml(math(&tex, false).into()));
                in_formula = true;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match images.data_uri(&dest_url) {
                Some(uri) => events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(uri),
                    title,
                    id,
                })),
                None => {
                    images.left_out.push(dest_url.to_string());
                    in_image = true;
                    events.push(Event::Text(CowStr::from("[")));
                }
            },
            Event::End(pulldown_cmark::TagEnd::Image) if in_image => {
                in_image = false;
                events.push(Event::Text(CowStr::from("]")));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let safe = dest_url.starts_with("https://")
                    || dest_url.starts_with("http://")
                    || dest_url.starts_with('#');
                let dest_url = if safe { dest_url } else { CowStr::from("#") };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The LaTeX of an image that only draws a formula from its address (notes on GitHub write
/// `![formula](https://render.githubusercontent.com/render/math?math=2^{N}-1)`, or use
/// CodeCogs): the page cannot fetch it, but can draw the formula itself.
fn formula_image(url: &str) -> Option<String> {
    let encoded = url
        .strip_prefix("https://render.githubusercontent.com/render/math?")
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("math=")))
        .or_else(|| {
            ["https://latex.codecogs.com/", "http://latex.codecogs.com/"]
                .iter()
                .find_map(|p| url.strip_prefix(p))
                .and_then(|rest| rest.split_once('?'))
                .map(|(_, tex)| tex)
        })?;
    let tex = percent_decode(encoded);
    (!tex.trim().is_empty()).then_some(tex)
}

/// `%XX` escapes (and `+` for a space, as query strings write it) decoded. By hand: it is
/// this one use, and no crate for it is among kb's dependencies.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|&b| (b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// LaTeX as MathML, which browsers render themselves (no script, no font to fetch). The
/// converter (latex2mathml) writes the elements but leaves `<`, `>` and `&` in the text between
/// them as they are, so its output is rebuilt here: only MathML elements with plain attributes
/// stay markup, every other character is escaped. LaTeX it cannot read is shown as its source.
fn math(tex: &str, display: bool) -> String {
    let style = if display {
        latex2mathml::DisplayStyle::Block
    } else {
        latex2mathml::DisplayStyle::Inline
    };
    match latex2mathml::latex_to_mathml(tex, style) {
        // In a box that scrolls by itself: a long formula is wider than a phone, and MathML
        // does not break lines.
        Ok(mathml) if !mathml.contains("[PARSE ERROR") => {
            let tag = if display { "div" } else { "span" };
            format!("<{tag} class=\"math\">{}</{tag}>", only_mathml(&mathml))
        }
        _ => format!("<code class=\"tex\">{}</code>", escape(tex)),
    }
}

/// Keep the MathML tags of `markup` and escape everything else in it.
fn only_mathml(markup: &str) -> String {
    const ELEMENTS: &[&str] = &[
        "math",
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "mrow",
        "mfrac",
        "msup",
        "msub",
        "msubsup",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mspace",
        "mstyle",
        "menclose",
        "mpadded",
        "mphantom",
        "merror",
        "semantics",
        "annotation",
    ];
    let mut out = String::with_capacity(markup.len());
    let mut rest = markup;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && is_mathml_tag(&rest[1..end], ELEMENTS)
        {
            out.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `inner` (what is between `<` and `>`) is an opening, closing or empty MathML tag
/// whose attributes are `name="value"` with letters, digits and `-` in the name and no quote,
/// `<` or `>` in the value.
fn is_mathml_tag(inner: &str, elements: &[&str]) -> bool {
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let mut parts = inner.splitn(2, ' ');
    let name = parts.next().unwrap_or("");
    if !elements.contains(&name) {
        return false;
    }
    let mut attrs = parts.next().unwrap_or("").trim();
    while !attrs.is_empty() {
        let Some((key, after)) = attrs.split_once("=\"") else {
            return false;
        };
        let Some((value, next)) = after.split_once('"') else {
            return false;
        };
        let key_ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
            && !key.to_ascii_lowercase().starts_with("on")
            && key != "href";
        if !key_ok || value.contains(['<', '>']) {
            return false;
        }
        attrs = next.trim_start();
    }
    true
}

const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#fff;--dim:#667;--line:#e3e3e8;--accent:#2457c5;\
--chip:#eef1f8}\
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ec;--bg:#151518;--dim:#9a9aa6;--line:#2c2c33;\
--accent:#8fb0ff;--chip:#23262f}}\
*{box-sizing:border-box}[hidden]{display:none!important}\
#content.away{content-visibility:hidden;contain-intrinsic-size:0 0}\
body{margin:0 auto;max-width:46rem;padding:0 1rem 4rem;font:17px/1.6 system-ui,-apple-system,\
'Apple SD Gothic Neo','Noto Sans KR','Malgun Gothic',sans-serif;color:var(--fg);background:var(--bg);\
word-break:keep-all;overflow-wrap:anywhere}\
#q{width:100%;font:inherit;padding:.5rem .7rem;border:1px solid var(--line);border-radius:.5rem;\
background:var(--bg);color:var(--fg);margin:.2rem 0 .6rem}\
#status{margin:0;color:var(--dim);font-size:.8rem}#results{padding-left:1.4rem;margin:0 0 1rem}\
#results li{margin:.25rem 0}#more{width:100%;margin:0 0 1rem}#results a{color:var(--fg);text-decoration:none}\
header h1{font-size:1.4rem;margin:1.2rem 0 0}header p{color:var(--dim);margin:0 0 1rem}\
nav ol{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.35rem;margin:.4rem 0}\
nav summary{margin:.4rem 0}\
nav li{background:var(--chip);border-radius:1rem;padding:.15rem .6rem;font-size:.9rem}\
nav a{color:var(--accent);text-decoration:none}.n{color:var(--dim);font-size:.8rem}\
h2{font-size:1.15rem;border-bottom:1px solid var(--line);padding-bottom:.3rem;margin-top:2rem}\
article{border-bottom:1px solid var(--line);padding:.4rem 0 .8rem;content-visibility:auto;\
contain-intrinsic-size:auto 600px}\
h3{font-size:1.05rem;margin:.6rem 0 .2rem}\
.meta{margin:0 0 .4rem;font-size:.85rem;color:var(--dim)}\
.meta code{font-size:.8rem}.tag,.asked{background:var(--chip);border-radius:.6rem;padding:0 .45rem}\
.none{color:var(--dim);font-size:.85rem;margin:0}\
details h1,details h2,details h3,details h4,details h5,details h6,#card-a h1,#card-a h2,#card-a h3,\
#card-a h4{font-size:1rem;margin:1rem 0 .3rem;padding:0;border:0}\
summary{cursor:pointer;color:var(--accent);font-size:.9rem}\
pre{overflow-x:auto;background:var(--chip);padding:.6rem;border-radius:.4rem;font-size:.85rem}\
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}\
table{display:block;overflow-x:auto;border-collapse:collapse}td,th{border:1px solid var(--line);\
padding:.2rem .4rem}\
img{max-width:100%;height:auto}\
.math{max-width:100%;overflow-x:auto;overflow-y:hidden}span.math{display:inline-block;vertical-align:middle}\
blockquote{margin:0;padding-left:.8rem;border-left:3px solid var(--line);color:var(--dim)}\
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .8rem}header h1{flex:1 1 auto}\
button{font:inherit;min-height:2.75rem;padding:.3rem .9rem;border:1px solid var(--line);border-radius:.5rem;\
background:var(--chip);color:var(--fg);cursor:pointer}button:disabled{opacity:.5}\
#drill-open{background:var(--accent);color:var(--bg);border:0;font-weight:600}\
.bar{display:flex;gap:.5rem;margin:.8rem 0 .4rem}.bar select{flex:1;min-width:0;font:inherit;\
padding:.4rem;border:1px solid var(--line);border-radius:.5rem;background:var(--bg);color:var(--fg)}\
#drill-count{color:var(--dim);font-size:.85rem;margin:.2rem 0 .6rem}\
#card{border:1px solid var(--line);border-radius:.8rem;padding:.8rem 1rem 1rem}\
#card-q{font-size:1.2rem;margin:.2rem 0 .4rem;cursor:pointer}#reveal{width:100%;margin-top:.6rem}\
#card-a{border-top:1px solid var(--line);margin-top:.6rem;padding-top:.4rem}\
#grades{display:grid;grid-template-columns:repeat(4,1fr);gap:.4rem;margin-top:.8rem;\
position:sticky;bottom:0;background:var(--bg);padding:.5rem 0 .6rem;border-top:1px solid var(--line)}\
#grades button{padding:.3rem .2rem;display:flex;flex-direction:column;align-items:center;line-height:1.2}\
#grades small{color:var(--dim);font-size:.75rem}\
#grades .again{border-color:#d9534f}#grades .good{border-color:var(--accent)}\
.log{margin-top:1.4rem;border-top:1px solid var(--line);padding-top:.6rem}\
.log p{color:var(--dim);font-size:.85rem;margin:.2rem 0 .5rem}.log button{margin:0 .2rem .4rem 0}\
.log textarea{width:100%;font:.75rem ui-monospace,monospace;background:var(--chip);color:var(--fg);\
border:1px solid var(--line);border-radius:.4rem}.log label{display:block;margin:.4rem 0;font-size:.9rem}\
.log input{font:inherit;padding:.2rem .4rem;border:1px solid var(--line);border-radius:.4rem;\
background:var(--bg);color:var(--fg)}";

#[cfg(test)]
mod tests {
    use super::*;

    fn images(root: &Path) -> Images<'_> {
        Images {
            root,
            used: 0,
            embedded: 0,
            left_out: Vec::new(),
        }
    }

    #[test]
    fn raw_html_and_script_links_cannot_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut img = images(dir.path());
        let html = markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> and [x](javascript:alert(1))",
            &mut img,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert_eq!(
            escape("<b onerror=\"x\">'"),
            "&lt;b onerror=&quot;x&quot;&gt;&#39;"
        );
    }

    #[test]
    fn latex_becomes_mathml_and_its_text_is_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let mut img = images(dir.path());
        let html = markdown(
            "시그모이드 $\\frac{1}{1+e^{-x}}$, 그리고\n\n$$a < b$$",
            &mut img,
        );
        assert!(html.contains("<math"), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(
            html.contains("<mo>&lt;</mo>"),
            "the converter's raw < is escaped: {html}"
        );
        // What the converter cannot read is shown as its source, escaped.
        let bad = markdown("$\\text{<img src=x onerror=alert(1)>}$", &mut img);
        assert!(!bad.contains("<img"), "{bad}");
        assert!(!only_mathml("<mi onclick=\"x\">a</mi><b>").contains("<mi onclick"));
        assert_eq!(only_mathml("<mi>a</mi><b>&"), "<mi>a</mi>&lt;b&gt;&amp;");
    }

    #[test]
    fn a_formula_drawn_by_an_image_address_becomes_mathml() {
        let dir = tempfile::tempdir().unwrap();
        let mut img = images(dir.path());
        let html = markdown(
            "높이 ![formula](https://render.githubusercontent.com/render/math?math=\\log_2(N%2B1)) 이하",
            &mut img,
        );
        assert!(html.contains("<math"), "{html}");
        assert!(html.contains("<mo>+</mo>"), "%2B is a plus: {html}");
        assert!(
            !html.contains("formula"),
            "the description is not shown: {html}"
        );
        assert!(img.left_out.is_empty(), "{:?}", img.left_out);
        assert_eq!(percent_decode("a%3Db+c%zz"), "a=b c%zz");
        assert_eq!(
            formula_image("https://latex.codecogs.com/svg.latex?x%5E2"),
            Some("x^2".to_string())
        );
        assert_eq!(formula_image("https://example.com/x.png?math=1"), None);
    }

    #[test]
    fn local_images_are_embedded_and_remote_ones_left_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/a.png"), b"\x89PNG").unwrap();
        let mut img = images(dir.path());
        let html = markdown(
            "![tcp](assets/a.png) ![far](https://example.com/x.png) ![up](../secret.png)",
            &mut img,
        );
        assert!(
            html.contains("src=\"data:image/png;base64,iVBORw==\""),
            "{html}"
        );
        assert!(!html.contains("example.com/x.png\""), "{html}");
        assert_eq!(img.embedded, 1);
        assert_eq!(img.left_out, ["https://example.com/x.png", "../secret.png"]);
    }
}
