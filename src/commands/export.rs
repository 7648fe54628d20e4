//! `kb export --format md|anki|json` (the documents and the JSON format are
//! `kb::ops::export`'s).

use crate::Ctx;
use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::{matches, tag_args};
use crate::exit::Exit;
use kb::Question;
use kb::ops::export;

pub fn run(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<Exit> {
    let tags = tag_args(&args.tags)?;
    let kb = ctx.open_kb()?;
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let questions: Vec<&Question> = loaded
        .questions
        .iter()
        .filter(|q| matches(q, &tags, None))
        .collect();
    let (projects, problems) = kb.load_projects()?;
    ctx.out.warn_skipped(&problems);
    let output = match args.format {
        ExportFormat::Md => export::markdown(&kb, &questions, &projects),
        ExportFormat::Anki => export::anki(&questions),
        ExportFormat::Json => {
            let (interviews, problems) = kb.load_interviews()?;
            ctx.out.warn_skipped(&problems);
            let all = export::Export::new(&kb, &questions, &interviews, &projects);
            format!("{}\n", serde_json::to_string_pretty(&all)?)
        }
    };
    let json = matches!(args.format, ExportFormat::Json);
    crate::render::write_document(&output, json, args.output.as_deref())?;
    if let Some(path) = &args.output {
        eprintln!(
            "Exported {} questions to {}.",
            questions.len(),
            path.display()
        );
    }
    Ok(Exit::Done)
}
