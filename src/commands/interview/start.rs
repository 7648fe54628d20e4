//! Where a list of asked questions starts: a new draft (from the arguments, a file, standard
//! input or the editor's template), or the newest unfinished one (`--resume`).

use std::io::IsTerminal;

use anyhow::{Context, bail};

use super::intake::{Kept, Source};
use super::text::{editor_template, notice_unfinished, read_stdin};
use crate::cli::InterviewAddArgs;
use kb::Kb;
use kb::drafts::{Draft, Kind};

/// The draft to work on, the options kept with it (updated by what `args` give) and where its
/// text comes from; `None` when the newest draft was already recorded (it is removed).
pub fn open_list(
    kb: &Kb,
    args: &InterviewAddArgs,
) -> anyhow::Result<Option<(Draft, Kept, Source)>> {
    Ok(if args.resume {
        let Some(draft) = Draft::latest(kb, Kind::Interview, None)? else {
            bail!(
                "there is no unfinished interview list to go on with (they are kept in {})",
                kb::drafts::dir(kb).display()
            );
        };
        if let Some(id) = &draft.meta.lands_as
            && kb.interview_path(id)?.exists()
        {
            eprintln!(
                "The list in {} was already recorded as interview {id}; the draft is removed.",
                draft.path.display()
            );
            draft.discard()?;
            return Ok(None);
        }
        let mut kept: Kept = serde_json::from_value(draft.meta.options.clone()).unwrap_or_default();
        kept.update(args);
        eprintln!("Going on with the list kept in {}.", draft.path.display());
        let older = Draft::all(kb, Kind::Interview, None)?
            .len()
            .saturating_sub(1);
        if older > 0 {
            eprintln!(
                "({older} older unfinished list{} kept in {}; each --resume takes the newest.)",
                if older == 1 { " is" } else { "s are" },
                kb::drafts::dir(kb).display()
            );
        }
        Some((draft, kept, Source::Editor))
    } else {
        let mut kept = Kept::default();
        kept.update(args);
        notice_unfinished(kb)?;
        let (text, source) = if !args.questions.is_empty() {
            (args.questions.join("\n") + "\n", Source::Arguments)
        } else {
            match &args.from {
                Some(f) if f.as_os_str() == "-" => (read_stdin()?, Source::Text),
                Some(f) => (
                    kb::store::read_file_limited(f)
                        .with_context(|| format!("could not read {}", f.display()))?,
                    Source::Text,
                ),
                None if !std::io::stdin().is_terminal() => match read_stdin()? {
                    t if t.trim().is_empty() => (editor_template(&kept.company), Source::Editor),
                    t => (t, Source::Text),
                },
                None => (editor_template(&kept.company), Source::Editor),
            }
        };
        let mut draft = Draft::create(
            kb,
            Kind::Interview,
            None,
            &text,
            "md",
            serde_json::to_value(&kept)?,
        )?;
        let date = kept.date()?;
        draft.meta.lands_as = Some(kb::interview::new_id(date));
        draft.save_meta()?;
        Some((draft, kept, source))
    })
}
