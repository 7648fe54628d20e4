//! The list of asked questions: where it comes from, how it is shown, and the decisions on
//! it, each kept in the draft as soon as it is made.

use anyhow::Context;

use crate::Ctx;
use crate::cli::{Dedupe, InterviewAddArgs};
use crate::commands::dedupe::Deduper;
use kb::Kb;
use kb::drafts::Draft;
use kb::intake::Incoming;
use kb::ops::interview::Decision;

/// Decide for every incoming question, asking where needed. Answers already given for this list
/// (a resumed draft) are taken again without asking; each new answer is kept in the draft at
/// once, so an interrupt loses none of them.
pub fn decide_all(
    ctx: &Ctx,
    kb: &Kb,
    incoming: &[Incoming],
    dedupe: &Dedupe,
    project: Option<&str>,
    draft: &mut Draft,
) -> anyhow::Result<Vec<Decision>> {
    let mut deduper = Deduper::new(kb, dedupe, project)?;
    let mut decisions = Vec::new();
    let mut planned_new = 0usize;
    for item in incoming {
        let remembered = draft
            .answer(&item.question)
            .and_then(Decision::from_key)
            .filter(|d| match d {
                Decision::Existing(id) if id.starts_with("(new #") => {
                    decisions.contains(&Decision::New)
                }
                Decision::Existing(id) => kb.question_path(id).is_ok_and(|p| p.exists()),
                Decision::New => true,
            });
        let d = match remembered {
            Some(d) => {
                eprintln!(
                    "{} {} — {}",
                    ctx.out.bold("Asked:"),
                    item.question,
                    match &d {
                        Decision::New => "new (as answered before)".to_string(),
                        Decision::Existing(id) => format!("recorded on {id} (as answered before)"),
                    }
                );
                d
            }
            None => {
                let d = deduper
                    .decide(ctx, item)?
                    .context("no answer on standard input (scripts: use --yes or --no-dedupe)")?;
                draft.remember(&item.question, &d.key())?;
                d
            }
        };
        if d == Decision::New {
            // Later incoming questions may be the same as this one.
            planned_new += 1;
            deduper.note_added(&format!("(new #{planned_new})"), &item.question);
        }
        decisions.push(d);
    }
    Ok(decisions)
}

/// The options of `kb interview add` kept with its draft, so `--resume` can go on.
#[derive(serde::Serialize, serde::Deserialize, Default, Clone)]
pub struct Kept {
    pub company: String,
    #[serde(default)]
    pub round: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Kept {
    /// The interview's date: the one given (checked), else today.
    pub fn date(&self) -> anyhow::Result<jiff::civil::Date> {
        match self.date.as_deref() {
            Some(d) => super::text::parse_date(d),
            None => Ok(kb::time::today()),
        }
    }

    /// What was given on the command line, over what was kept.
    pub fn update(&mut self, args: &InterviewAddArgs) {
        if let Some(c) = &args.company {
            self.company = c.clone();
        }
        for (kept, given) in [
            (&mut self.round, &args.round),
            (&mut self.date, &args.date),
            (&mut self.position, &args.position),
            (&mut self.outcome, &args.outcome),
            (&mut self.notes, &args.notes),
            (&mut self.project, &args.project),
        ] {
            if given.is_some() {
                *kept = given.clone();
            }
        }
        if !args.tags.is_empty() {
            self.tags = args.tags.clone();
        }
    }
}

/// Where the list of questions comes from.
#[derive(PartialEq)]
pub enum Source {
    /// The arguments: each one question.
    Arguments,
    /// A file or standard input, in the list format.
    Text,
    /// The editor (also when going on with a draft).
    Editor,
}
