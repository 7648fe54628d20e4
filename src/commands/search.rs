//! `kb search WORDS... [--tag T] [--project P] [--company C] [--limit N]`

use crate::exit::Exit;

use crate::Ctx;
use crate::cli::SearchArgs;
use crate::commands::{project_arg, tag_args};
use crate::render::{Bar, Output, highlight};
use kb::analysis::glossary::Glossary;
use kb::index::{Search, SearchIndex};

pub fn run(ctx: &Ctx, args: SearchArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    if let Some(p) = &args.project {
        project_arg(p)?;
    }
    let kb = ctx.open_kb()?;
    let (index, refresh) = SearchIndex::open(&kb, &Bar::new())?;
    let known = crate::commands::known::Known::of(&kb, &index);
    known.check_tags(&tags)?;
    let project = args
        .project
        .as_deref()
        .map(|p| known.project(&kb, p))
        .transpose()?;
    let company = args
        .asked
        .company
        .as_deref()
        .map(|c| known.check_company(c))
        .transpose()?;
    if refresh.rebuilt && !ctx.json {
        eprintln!("Built the search index ({} questions).", index.len());
    }
    ctx.out.warn_skipped(&refresh.problems);
    let (glossary, problems) = Glossary::load(kb.root());
    ctx.out.warn_skipped(&problems);

    let search = Search {
        text: args
            .words
            .iter()
            .cloned()
            .chain(args.exclude.iter().map(|w| format!("-{w}")))
            .collect::<Vec<_>>()
            .join(" "),
        tags,
        project,
        company,
        asked: args.asked.asked,
        unanswered: args.asked.unanswered,
        limit: args.limit,
        exact_only: args.exact,
    };
    let hits = index.search(&search, &glossary)?;

    if ctx.json {
        let rows: Vec<kb::ops::report::Found> = hits
            .iter()
            .map(|hit| kb::ops::report::Found {
                hit,
                path: kb
                    .question_path(&hit.id)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            })
            .collect();
        crate::render::print_json(&rows)?;
    } else if !hits.is_empty() {
        if let Some(meant) = hits
            .iter()
            .all(|h| h.did_you_mean.is_some())
            .then(|| hits[0].did_you_mean.clone().unwrap_or_default())
        {
            eprintln!(
                "Nothing matches {:?} as typed; did you mean {meant:?}? Showing those.",
                search.text
            );
        }
        let all_typo = hits.iter().all(|h| h.did_you_mean.is_some());
        print!("{}", render_hits(&ctx.out, &hits, !all_typo));
    }
    if hits.is_empty() {
        eprintln!("No questions match {:?}.", search.text);
        return Ok(Exit::Failed);
    }
    Ok(Exit::Done)
}

/// Hits the way search tools print them (zk list, rg --heading): the question on its own line
/// with the matches highlighted, the answer's sentence that matched indented under it, then
/// the id and tags dimmed (and, among hits that match as typed, `(as "…")` on those found only
/// through a correction) — what `kb show ID` needs is on a line of its own, and nothing is
/// wrapped into table cells. A blank line between hits.
fn render_hits(out: &Output, hits: &[kb::index::Hit], mark_typos: bool) -> String {
    let mut s = String::new();
    for (i, h) in hits.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        let question = highlight(out, &h.question, &h.question_highlights);
        s.push_str(&if out.color {
            out.bold(&question)
        } else {
            question
        });
        s.push('\n');
        if !h.snippet.is_empty() {
            // One line under the question: cut to the terminal's width (the sentence starts
            // with or just before the match, so the match stays in view).
            let plain = h.snippet.replace('\n', " ");
            // A terminal that reports no size (a pty from `script`) says 0: not cut then.
            let (text, ranges) = match out.width.filter(|w| *w >= 20) {
                Some(w) => {
                    let cut = crate::render::fit_width(&plain, (w as usize).saturating_sub(2));
                    let kept = if cut.len() < plain.len() || !plain.ends_with('…') {
                        cut.strip_suffix('…').map_or(cut.len(), str::len)
                    } else {
                        cut.len()
                    };
                    let ranges: Vec<_> = h
                        .snippet_highlights
                        .iter()
                        .filter(|r| r.end <= kept)
                        .cloned()
                        .collect();
                    (cut, ranges)
                }
                None => (plain, h.snippet_highlights.clone()),
            };
            s.push_str("  ");
            s.push_str(&highlight(out, &text, &ranges));
            s.push('\n');
        }
        let mut meta = h.id.clone();
        for t in &h.tags {
            meta.push_str(&format!("  #{t}"));
        }
        if let Some(p) = &h.project {
            meta.push_str(&format!("  project:{p}"));
        }
        if let Some(m) = h.did_you_mean.as_ref().filter(|_| mark_typos) {
            meta.push_str(&format!("  (as {m:?})"));
        }
        s.push_str("  ");
        s.push_str(&out.dim(&meta));
        s.push('\n');
    }
    s
}
