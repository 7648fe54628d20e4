//! `kb export --format md|anki|json|html` (the documents and the JSON format are
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
    crate::commands::known::Known::of_questions(&loaded.questions).check_tags(&tags)?;
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
        ExportFormat::Html => {
            let page = kb::ops::page::page(&kb, &questions, &projects)?;
            if !page.images_left_out.is_empty() {
                eprintln!(
                    "{} {} not embedded (not in the bank, not an image, or past the {} MB budget): {}",
                    ctx.out.warning_label(),
                    crate::render::plural(page.images_left_out.len(), "image"),
                    kb::ops::page::IMAGE_BUDGET / 1_048_576,
                    page.images_left_out
                        .iter()
                        .take(3)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            page.html
        }
    };
    // JSON and HTML are written as they are (kb's own escaping already made them safe).
    let json = matches!(args.format, ExportFormat::Json | ExportFormat::Html);
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
