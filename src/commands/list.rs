//! `kb list [--tag T]... [--project P]`

use crate::exit::Exit;
use comfy_table::{Cell, ColumnConstraint, Row};

use crate::Ctx;
use crate::cli::{ListArgs, SortBy};
use crate::commands::{project_arg, tag_args};
use kb::ops::list::{Filter, Listed, Sort};

/// Longer lists than this are printed as they come, not laid out by comfy-table first.
const LONG_LIST: usize = 2000;

pub fn run(ctx: &Ctx, args: ListArgs) -> anyhow::Result<Exit> {
    let mut tags = tag_args(&args.tags)?;
    if let Some(p) = &args.project {
        project_arg(p)?;
    }
    let sort = match args.sort {
        SortBy::Id => Sort::Id,
        SortBy::Created => Sort::Created,
        SortBy::Updated => Sort::Updated,
        SortBy::Asked => Sort::Asked,
    };
    let kb = ctx.open_kb()?;
    let index = crate::commands::open_index(ctx, &kb)?;
    let known = crate::commands::known::Known::of(&kb, &index);
    known.check_tags(&tags)?;
    if args.conflicts {
        tags.push(kb::merge::CONFLICT_TAG.to_string());
    }
    let filter = Filter {
        tags,
        project: args
            .project
            .as_deref()
            .map(|p| known.project(&kb, p))
            .transpose()?,
        asked: args.asked.asked,
        company: args
            .asked
            .company
            .as_deref()
            .map(|c| known.check_company(c))
            .transpose()?,
        unanswered: args.asked.unanswered,
    };
    let questions = kb::ops::list::list(&index, &filter, sort)?;
    if ctx.json {
        let path = |id: &str| kb.question_path(id).map(|p| p.display().to_string());
        let rows: Vec<Listed> = questions
            .iter()
            .map(|q| Listed::new(q, path(&q.id).unwrap_or_default()))
            .collect();
        crate::render::print_json(&rows)?;
        return Ok(Exit::Done);
    }

    if questions.is_empty() {
        eprintln!(
            "No questions{}.",
            if filter.tags.is_empty() && filter.project.is_none() {
                ""
            } else {
                " match"
            }
        );
        return Ok(Exit::Failed);
    }
    let with_project = questions.iter().any(|q| q.project.is_some());
    let with_asked = questions.iter().any(|q| q.asked_count > 0);
    let mut header = vec!["ID", "Question", "Tags"];
    if with_project {
        header.push("Project");
    }
    if with_asked {
        header.push("Asked");
    }
    header.push("Answer");
    if questions.len() > LONG_LIST {
        let rows: Vec<Vec<String>> = questions
            .iter()
            .map(|q| {
                let mut cells = vec![q.id.clone(), q.question.clone(), q.tags.join(" ")];
                if with_project {
                    cells.push(q.project.clone().unwrap_or_default());
                }
                if with_asked {
                    cells.push(match q.asked_count {
                        0 => String::new(),
                        n => format!("{n}×"),
                    });
                }
                cells.push(if q.answered { "✓" } else { "—" }.to_string());
                cells
            })
            .collect();
        ctx.out.print_long_table(&header, &rows, 1)?;
        return Ok(Exit::Done);
    }
    let mut table = ctx.out.table(&header);
    // Ids and the answer mark never wrap; the question and tags share what is left.
    let last = header.len() - 1;
    for i in [0, last] {
        if let Some(col) = table.column_mut(i) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    for q in &questions {
        let mut cells = vec![
            Cell::new(&q.id),
            Cell::new(&q.question),
            Cell::new(q.tags.join(" ")),
        ];
        if with_project {
            cells.push(Cell::new(q.project.as_deref().unwrap_or("")));
        }
        if with_asked {
            cells.push(Cell::new(match q.asked_count {
                0 => String::new(),
                n => format!("{n}×"),
            }));
        }
        cells.push(Cell::new(if q.answered { "✓" } else { "—" }));
        let mut row = Row::from(cells);
        if ctx.out.tty {
            // One line a question keeps a long list scannable; `kb show` has the rest.
            row.max_height(1);
        }
        table.add_row(row);
    }
    println!("{table}");
    if ctx.out.tty {
        let answered = questions.iter().filter(|q| q.answered).count();
        println!(
            "{}",
            ctx.out.dim(&format!(
                "{} questions, {answered} answered",
                questions.len()
            ))
        );
    }
    Ok(Exit::Done)
}
