//! `kb interview add | list | show`

use std::collections::BTreeMap;
use std::io::Read;

use anyhow::{Context, bail};
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{Dedupe, InterviewAddArgs, InterviewCommand, InterviewShowArgs};
use crate::commands::{refresh_index, tag_args};
use kb::index::glossary::Glossary;
use kb::index::{Candidate, SearchIndex};
use kb::intake::{Incoming, parse_list, record_asked};
use kb::interview::Interview;
use kb::{Kb, Question};

pub fn run(ctx: &Ctx, command: InterviewCommand) -> anyhow::Result<u8> {
    match command {
        InterviewCommand::Add(args) => add(ctx, args),
        InterviewCommand::List => list(ctx),
        InterviewCommand::Show(args) => show(ctx, args),
    }
}

/// What to do with one incoming question.
pub enum Decision {
    /// Add it as a new question.
    New,
    /// Record the occurrence on this existing question.
    Existing(String),
}

/// Finds, for incoming questions, the same question already in the bank and asks the user.
pub struct Deduper<'a> {
    index: Option<SearchIndex>,
    glossary: Glossary,
    options: &'a Dedupe,
    /// Questions added earlier in the same run, so a question asked twice is kept once.
    added: Vec<(String, String)>,
}

impl<'a> Deduper<'a> {
    pub fn new(kb: &Kb, options: &'a Dedupe) -> anyhow::Result<Deduper<'a>> {
        if !(0.0..=1.0).contains(&options.threshold) {
            bail!("--threshold is a similarity between 0 and 1");
        }
        let index = if options.no_dedupe {
            None
        } else {
            Some(SearchIndex::open(kb, &crate::render::Bar::new())?.0)
        };
        Ok(Deduper {
            index,
            glossary: Glossary::load(kb.root()).0,
            options,
            added: Vec::new(),
        })
    }

    fn candidates(&self, text: &str) -> anyhow::Result<Vec<Candidate>> {
        let Some(index) = &self.index else {
            return Ok(Vec::new());
        };
        let mut found = index.similar(text, &self.glossary, 5)?;
        let mine = kb::similar::fingerprint(text);
        for (id, q) in &self.added {
            let s = kb::similar::match_score(&mine, &kb::similar::fingerprint(q), |_| 1.0);
            found.push(Candidate {
                id: id.clone(),
                question: q.clone(),
                similarity: s,
            });
        }
        found.retain(|c| c.similarity >= self.options.threshold);
        found.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.id.cmp(&b.id))
        });
        found.truncate(5);
        Ok(found)
    }

    /// Decide for one incoming question; asks on the terminal unless --yes/--no-dedupe.
    pub fn decide(&self, ctx: &Ctx, incoming: &Incoming) -> anyhow::Result<Decision> {
        let found = self.candidates(&incoming.question)?;
        if found.is_empty() {
            return Ok(Decision::New);
        }
        if self.options.yes {
            return Ok(Decision::Existing(found[0].id.clone()));
        }
        eprintln!("\n{} {}", ctx.out.bold("Asked:"), incoming.question);
        eprintln!("Already in the bank?");
        for (i, c) in found.iter().enumerate() {
            eprintln!(
                "  {}) {} {:.2}  {}",
                i + 1,
                ctx.out.accent(&c.id),
                c.similarity,
                c.question
            );
        }
        loop {
            let answer = crate::editor::ask(&format!(
                "Record on 1? [y]es, [n]o: add as new{}: ",
                if found.len() > 1 { format!(", or pick 1-{}", found.len()) } else { String::new() }
            ))
            .context("no answer on standard input; nothing was written (scripts: use --yes or --no-dedupe)")?;
            match answer.trim().to_lowercase().as_str() {
                "" | "y" | "yes" | "예" | "네" => {
                    return Ok(Decision::Existing(found[0].id.clone()));
                }
                "n" | "no" | "new" | "아니오" => return Ok(Decision::New),
                other => match other.parse::<usize>() {
                    Ok(n) if (1..=found.len()).contains(&n) => {
                        return Ok(Decision::Existing(found[n - 1].id.clone()));
                    }
                    _ => eprintln!("Answer y, n or a number."),
                },
            }
        }
    }

    fn note_added(&mut self, id: &str, question: &str) {
        self.added.push((id.to_string(), question.to_string()));
    }
}

/// What happened to each incoming question.
pub struct Outcome {
    pub incoming: String,
    pub id: String,
    pub new: bool,
}

/// Apply an interview's questions: new questions created, occurrences recorded on existing ones.
/// Writes the files and returns their repository paths and the write lock; the caller commits.
pub fn apply(
    ctx: &Ctx,
    kb: &Kb,
    interview: &Interview,
    incoming: &[Incoming],
    tags: &[String],
    dedupe: &Dedupe,
) -> anyhow::Result<(Vec<Outcome>, Vec<String>, kb::store::WriteLock)> {
    let mut deduper = Deduper::new(kb, dedupe)?;
    // Decide everything first (the user may still abort), then take the write lock and write.
    let mut decisions = Vec::new();
    let mut planned_new = 0usize;
    for item in incoming {
        let d = deduper.decide(ctx, item)?;
        if matches!(d, Decision::New) {
            // Later incoming questions may duplicate this one.
            planned_new += 1;
            deduper.note_added(&format!("(new #{planned_new})"), &item.question);
        }
        decisions.push(d);
    }
    let lock = ctx.lock(kb)?;
    let mut changed: BTreeMap<String, Question> = BTreeMap::new();
    let mut outcomes = Vec::new();
    let mut new_ids: BTreeMap<String, String> = BTreeMap::new();
    for (item, decision) in incoming.iter().zip(decisions) {
        let existing = match decision {
            Decision::Existing(id) if id.starts_with("(new #") => new_ids.get(&id).cloned(),
            Decision::Existing(id) => Some(id),
            Decision::New => None,
        };
        match existing {
            Some(id) => {
                if !changed.contains_key(&id) {
                    changed.insert(id.clone(), kb.load(&id)?);
                }
                let q = changed.get_mut(&id).expect("inserted above");
                record_asked(q, interview.occurrence(), item);
                q.updated = Some(kb::time::now());
                outcomes.push(Outcome {
                    incoming: item.question.clone(),
                    id,
                    new: false,
                });
            }
            None => {
                let id = loop {
                    let id = kb.new_id();
                    if !changed.contains_key(&id) {
                        break id;
                    }
                };
                let mut q = Question::new(id.clone(), &item.question);
                q.answer = item.answer.clone();
                q.tags = tags.to_vec();
                q.asked.push(interview.occurrence());
                let placeholder = format!("(new #{})", new_ids.len() + 1);
                new_ids.insert(placeholder, id.clone());
                changed.insert(id.clone(), q);
                outcomes.push(Outcome {
                    incoming: item.question.clone(),
                    id,
                    new: true,
                });
            }
        }
    }
    let mut paths = Vec::new();
    for q in changed.values() {
        paths.push(kb.save(q)?);
    }
    Ok((outcomes, paths, lock))
}

fn add(ctx: &Ctx, args: InterviewAddArgs) -> anyhow::Result<u8> {
    let tags = tag_args(&args.tags)?;
    if args.company.trim().is_empty() {
        bail!("--company cannot be empty");
    }
    let date = match &args.date {
        Some(d) => {
            kb::time::parse_date(d).with_context(|| format!("--date {d:?}: use YYYY-MM-DD"))?
        }
        None => kb::time::today(),
    };
    let kb = ctx.open_kb()?;
    let mut incoming: Vec<Incoming> = args
        .questions
        .iter()
        .map(|q| Incoming {
            question: kb::model::normalise_question(q),
            answer: String::new(),
        })
        .collect();
    incoming.retain(|i| !i.question.is_empty());
    match &args.from {
        Some(f) if f.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("could not read the questions from standard input")?;
            incoming.extend(parse_list(&s));
        }
        Some(f) => {
            let s = std::fs::read_to_string(f)
                .with_context(|| format!("could not read {}", f.display()))?;
            incoming.extend(parse_list(&s));
        }
        None if incoming.is_empty() => incoming.extend(compose(&kb, &args.company)?),
        None => {}
    }

    let mut interview = Interview::new(kb::interview::new_id(date), &args.company);
    interview.date = Some(date);
    interview.round = args.round.clone().filter(|r| !r.trim().is_empty());
    interview.position = args.position.clone();
    interview.outcome = args.outcome.clone();
    interview.notes = kb::yaml::normalise_block(args.notes.as_deref().unwrap_or(""));

    // The lock comes back from apply and is held until the commit.
    let (outcomes, mut paths, _lock) = apply(ctx, &kb, &interview, &incoming, &tags, &args.dedupe)?;
    paths.push(kb.save_interview(&interview)?);
    let new = outcomes.iter().filter(|o| o.new).count();
    let again = outcomes.len() - new;
    let mut message = format!(
        "interview {}: {} ({new} new, {again} asked again)\n\n",
        interview.id,
        interview.label()
    );
    for o in &outcomes {
        message.push_str(&format!(
            "{} {}: {}\n",
            if o.new { "new  " } else { "again" },
            o.id,
            kb::model::truncate_chars(&o.incoming, 60)
        ));
    }
    let commit = kb.commit(&paths, message.trim_end())?;
    let ids: Vec<String> = outcomes.iter().map(|o| o.id.clone()).collect();
    refresh_index(ctx, &kb, &ids);

    if ctx.json {
        crate::render::print_json(&serde_json::json!({
            "id": interview.id,
            "new": outcomes.iter().filter(|o| o.new).map(|o| &o.id).collect::<Vec<_>>(),
            "asked_again": outcomes.iter().filter(|o| !o.new).map(|o| &o.id).collect::<Vec<_>>(),
            "commit": commit.map(|c| c.to_string()),
        }))?;
    } else {
        println!("{}", interview.id);
        if !outcomes.is_empty() {
            let mut table = ctx.out.table(&["", "ID", "Asked"]);
            for o in &outcomes {
                table.add_row(vec![
                    Cell::new(if o.new { "new" } else { "again" }),
                    Cell::new(&o.id),
                    Cell::new(&o.incoming),
                ]);
            }
            eprintln!("{table}");
        }
        eprintln!(
            "Recorded {}: {new} new question{}, {again} asked again.",
            interview.label(),
            if new == 1 { "" } else { "s" }
        );
    }
    Ok(0)
}

/// Write the questions in the editor.
fn compose(kb: &Kb, company: &str) -> anyhow::Result<Vec<Incoming>> {
    let dir = kb.repo().path().join("kb");
    std::fs::create_dir_all(&dir)?;
    let draft = tempfile::Builder::new()
        .prefix("INTERVIEW-")
        .suffix(".md")
        .tempfile_in(&dir)?;
    let template = format!(
        "\n{}\n# {company} 면접에서 받은 질문을 한 줄에 하나씩 쓰세요. 답변은 질문 바로 아래 줄에 (들여쓰기 가능).\n\
         # One question per line; an answer goes on the lines right under its question.\n",
        kb::draft::SCISSORS
    );
    std::fs::write(draft.path(), template)?;
    crate::editor::edit(draft.path())?;
    Ok(parse_list(&std::fs::read_to_string(draft.path())?))
}

fn list(ctx: &Ctx) -> anyhow::Result<u8> {
    let kb = ctx.open_kb()?;
    let (mut interviews, problems) = kb.load_interviews()?;
    ctx.out.warn_skipped(&problems);
    interviews.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    if ctx.json {
        crate::render::print_json(&serde_json::Value::Array(
            interviews.iter().map(Interview::to_json).collect(),
        ))?;
        return Ok(0);
    }
    if interviews.is_empty() {
        eprintln!("No interviews yet: kb interview add --company NAME");
        return Ok(1);
    }
    let mut table = ctx
        .out
        .table(&["ID", "Date", "Company", "Round", "Outcome"]);
    for iv in &interviews {
        table.add_row(vec![
            Cell::new(&iv.id),
            Cell::new(iv.date.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(&iv.company),
            Cell::new(iv.round.as_deref().unwrap_or("")),
            Cell::new(iv.outcome.as_deref().unwrap_or("")),
        ]);
    }
    println!("{table}");
    Ok(0)
}

fn show(ctx: &Ctx, args: InterviewShowArgs) -> anyhow::Result<u8> {
    let kb = ctx.open_kb()?;
    let id = kb.resolve_interview(&args.id)?;
    let interview = kb.load_interview(&id)?;
    let (index, _) = SearchIndex::open(&kb, &crate::render::Bar::new())?;
    let mut questions = Vec::new();
    for qid in index.asked_in(&id)? {
        if let Ok(q) = kb.load(&qid) {
            questions.push(q);
        }
    }
    if ctx.json {
        let mut v = interview.to_json();
        v["questions"] = questions
            .iter()
            .map(|q| serde_json::json!({"id": q.id, "question": q.question}))
            .collect();
        crate::render::print_json(&v)?;
        return Ok(0);
    }
    println!(
        "{}  {}",
        ctx.out.accent(&interview.id),
        ctx.out.bold(&interview.label())
    );
    for (k, v) in [
        ("position", &interview.position),
        ("outcome", &interview.outcome),
    ] {
        if let Some(v) = v {
            println!("{k}: {v}");
        }
    }
    if !interview.notes.is_empty() {
        println!("\n{}", interview.notes.trim_end());
    }
    println!();
    let mut table = ctx.out.table(&["ID", "Question", "Asked", "Answer"]);
    for q in &questions {
        table.add_row(vec![
            Cell::new(&q.id),
            Cell::new(&q.question),
            Cell::new(format!("{}×", q.asked.len())),
            Cell::new(if q.is_answered() { "✓" } else { "—" }),
        ]);
    }
    println!("{table}");
    Ok(0)
}
