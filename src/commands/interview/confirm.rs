//! The list as typed, shown as kb read it, and confirmed (or edited again) before anything is
//! recorded.

use super::intake::{Kept, Source};
use super::text::{editor_template, show_list};
use crate::Ctx;
use crate::cli::InterviewAddArgs;
use kb::drafts::Draft;
use kb::intake::{Incoming, parse_list};

/// What came of the list.
pub enum Listed {
    /// The questions to record.
    Ready(Vec<Incoming>),
    /// The editor's template came back as it was: nothing was written (the draft can go).
    Untouched,
    /// Stopped (no questions, aborted, no answer); the list is kept and the person was told.
    Stopped,
}

/// Open the editor on the list (when it comes from there), read it, show it, and ask whether
/// to record it, until the person says yes, aborts, or the input ends.
pub fn confirmed(
    ctx: &Ctx,
    args: &InterviewAddArgs,
    draft: &Draft,
    kept: &Kept,
    source: &Source,
    kept_note: &dyn Fn(&str),
) -> anyhow::Result<Listed> {
    Ok(loop {
        if *source == Source::Editor {
            crate::editor::edit(&draft.path)?;
        }
        let text = draft.text()?;
        let incoming = if *source == Source::Arguments {
            args.questions
                .iter()
                .map(|q| Incoming {
                    question: kb::model::normalise_question(q),
                    answer: String::new(),
                })
                .filter(|i| !i.question.is_empty())
                .collect()
        } else {
            parse_list(&text)
        };
        if incoming.is_empty() {
            if text == editor_template(&kept.company) {
                return Ok(Listed::Untouched);
            }
            kept_note("No questions in the list.");
            return Ok(Listed::Stopped);
        }
        if *source != Source::Arguments {
            show_list(ctx, &incoming);
        }
        if *source != Source::Editor || args.dedupe.yes {
            break Listed::Ready(incoming);
        }
        let choice = loop {
            let Some(answer) = crate::editor::ask(if incoming.len() == 1 {
                "Record it? [Y]es, [e]dit again, [a]bort: "
            } else {
                "Record them? [Y]es, [e]dit again, [a]bort: "
            }) else {
                break None;
            };
            match answer.trim().to_lowercase().as_str() {
                "" | "y" | "yes" | "예" | "네" | "ㅇ" => break Some(true),
                "e" | "edit" | "수정" => break Some(false),
                "a" | "abort" | "q" | "quit" | "n" | "no" => {
                    kept_note("Aborted.");
                    return Ok(Listed::Stopped);
                }
                _ => eprintln!("Answer y (record), e (edit again) or a (abort)."),
            }
        };
        match choice {
            Some(true) => break Listed::Ready(incoming),
            Some(false) => continue,
            None => {
                kept_note("No answer on standard input (scripts: use --yes or --from).");
                return Ok(Listed::Stopped);
            }
        }
    })
}
