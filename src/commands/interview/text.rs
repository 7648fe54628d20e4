//! The text of a list: read from standard input, the editor's template, the list shown as kb
//! read it, and the note about an unfinished one.

use anyhow::Context;

use crate::Ctx;
use kb::Kb;
use kb::drafts::{Draft, Kind};
use kb::intake::{Incoming, parse_list};

pub fn parse_date(d: &str) -> anyhow::Result<jiff::civil::Date> {
    kb::time::parse_date(d).with_context(|| format!("--date: {}", kb::time::date_problem(d)))
}

pub fn read_stdin() -> anyhow::Result<String> {
    let bytes = kb::store::read_limited(std::io::stdin().lock(), "standard input")
        .context("could not read the questions from standard input")?;
    String::from_utf8(bytes)
        .map(kb::text::incoming)
        .context("standard input is not UTF-8 text")
}

/// Say so when an earlier list was left unfinished.
pub fn notice_unfinished(kb: &Kb) -> anyhow::Result<()> {
    let drafts = Draft::all(kb, Kind::Interview, None)?;
    if let Some(last) = drafts.last() {
        let n = last.text().map(|t| parse_list(&t).len()).unwrap_or(0);
        eprintln!(
            "Note: an unfinished interview list from {} ({n} question{}) is kept in {}; go on \
             with it with `{}`{}.",
            last.meta.created,
            if n == 1 { "" } else { "s" },
            last.path.display(),
            Kind::Interview.resume_command(None),
            match drafts.len() - 1 {
                0 => String::new(),
                k => format!(
                    " ({k} older one{} beside it)",
                    if k == 1 { "" } else { "s" }
                ),
            }
        );
    }
    Ok(())
}

/// The list as kb read it, before anything is written.
pub fn show_list(ctx: &Ctx, incoming: &[Incoming]) {
    eprintln!("{}:", ctx.out.bold(&kb::intake::summary(incoming)));
    let width = incoming.len().to_string().len();
    for (i, item) in incoming.iter().enumerate() {
        eprintln!("  {:>width$}. {}", i + 1, item.question);
        for line in item.answer.lines() {
            eprintln!("  {:>width$}  {} {line}", "", ctx.out.dim("│"));
        }
    }
}

/// The text the editor opens with.
pub fn editor_template(company: &str) -> String {
    format!(
        "\n{}\n\
         # {company} 면접에서 받은 질문을 한 줄에 하나씩 쓰세요 (1. / - / Q. 모두 됩니다).\n\
         # 메모는 질문 아래에 들여 쓰거나, A: 나 → 로 시작하거나, \"…라고 답함.\"처럼 문장으로 쓰세요.\n\
         # One question per line (numbers, bullets, Q. are fine). A note goes under its question:\n\
         # indented, after A: or →, or as a statement (\"…답함.\"). Lines from the scissors line\n\
         # down are ignored. kb shows the list before it records anything; the whole format is\n\
         # in `kb interview add --help`.\n",
        kb::draft::SCISSORS
    )
}
