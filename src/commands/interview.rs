//! `kb interview add | list | show`

use crate::exit::Exit;
use std::io::IsTerminal;

use anyhow::{Context, bail};
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{Dedupe, InterviewAddArgs, InterviewCommand, InterviewShowArgs};
use crate::commands::tag_args;
use kb::Kb;
use kb::drafts::{Draft, Kind};
use kb::index::glossary::Glossary;
use kb::index::{Candidate, SearchIndex};
use kb::intake::{Incoming, parse_list};
use kb::interview::Interview;
pub use kb::ops::interview::Decision;

pub fn run(ctx: &Ctx, command: InterviewCommand) -> anyhow::Result<Exit> {
    match command {
        InterviewCommand::Add(args) => add(ctx, *args),
        InterviewCommand::List => list(ctx),
        InterviewCommand::Show(args) => show(ctx, args),
    }
}

/// How far below the threshold look-alikes are still shown to a person (see
/// [`Deduper::shown_threshold`]).
pub const SHOWN_BELOW: f32 = 0.15;

/// Finds, for incoming questions, the same question already in the bank and asks the user.
pub struct Deduper<'a> {
    index: Option<SearchIndex>,
    glossary: Glossary,
    options: &'a Dedupe,
    /// The résumé project the questions are about: other projects' project questions are not
    /// candidates.
    project: Option<String>,
    /// The comparison tokens of each project's name (see [`SearchIndex::similar`]).
    project_names: std::collections::HashMap<String, Vec<String>>,
    /// Questions added earlier in the same run, so a question asked twice is kept once.
    added: Vec<(String, String)>,
}

impl<'a> Deduper<'a> {
    pub fn new(kb: &Kb, options: &'a Dedupe, project: Option<&str>) -> anyhow::Result<Deduper<'a>> {
        if !(0.0..=1.0).contains(&options.threshold) {
            bail!("--threshold is a similarity between 0 and 1");
        }
        let index = if options.no_dedupe {
            None
        } else {
            Some(SearchIndex::open(kb, &crate::render::Bar::new())?.0)
        };
        let glossary = Glossary::load(kb.root()).0;
        let project_names = kb::similar::project_names(kb, &glossary)?;
        Ok(Deduper {
            index,
            glossary,
            options,
            project: project.map(str::to_string),
            project_names,
            added: Vec::new(),
        })
    }

    /// The least similarity a look-alike shown to a person at a terminal may have: below the
    /// threshold, so that a right question scored a little low is still offered (as a ranking
    /// the look-up is better than as a yes/no); kb then suggests adding a new question.
    pub fn shown_threshold(&self) -> f32 {
        (self.options.threshold - SHOWN_BELOW).max(0.0)
    }

    /// The bank's questions that may be `text`, best first, at least as similar as the
    /// threshold.
    pub fn candidates(&self, text: &str) -> anyhow::Result<Vec<Candidate>> {
        self.candidates_above(text, self.options.threshold)
    }

    /// [`Deduper::candidates`] down to `least`.
    pub fn candidates_above(&self, text: &str, least: f32) -> anyhow::Result<Vec<Candidate>> {
        let Some(index) = &self.index else {
            return Ok(Vec::new());
        };
        let mut found = index.similar(
            text,
            &self.glossary,
            self.project.as_deref(),
            &self.project_names,
            5,
        )?;
        for (id, q) in &self.added {
            found.push(kb::similar::compare_incoming(text, q).into_candidate(id, q));
        }
        found.retain(|c| c.similarity >= least);
        found.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.id.cmp(&b.id))
        });
        found.truncate(5);
        Ok(found)
    }

    /// Decide for one incoming question; asks on the terminal unless --yes/--no-dedupe.
    /// `None` when there is no answer (end of input).
    pub fn decide(&self, ctx: &Ctx, incoming: &Incoming) -> anyhow::Result<Option<Decision>> {
        if self.options.yes {
            let found = self.candidates(&incoming.question)?;
            return Ok(Some(match found.first() {
                Some(c) => Decision::Existing(c.id.clone()),
                None => Decision::New,
            }));
        }
        let person = crate::editor::interactive() && std::io::stderr().is_terminal();
        let least = if person {
            self.shown_threshold()
        } else {
            self.options.threshold
        };
        let found = self.candidates_above(&incoming.question, least)?;
        let Some(top) = found.first() else {
            return Ok(Some(Decision::New));
        };
        let likely = top.similarity >= self.options.threshold;
        eprintln!("\n{} {}", ctx.out.bold("Asked:"), incoming.question);
        eprintln!(
            "{}",
            if likely {
                "Already in the bank?"
            } else {
                "Perhaps already in the bank (not close enough to say so):"
            }
        );
        show_candidates(ctx, &found);
        let answer = ask_which(
            &found,
            likely,
            [
                "Record on 1? [Y]es, [n]o: add as new",
                "Record on 1? [y]es, [N]o: add as new",
            ],
            &["y", "yes", "예", "네", "ㅇ"],
            &["n", "no", "new", "아니오", "아니"],
            &[],
        );
        Ok(answer.map(|c| match c {
            Which::Existing(id) => Decision::Existing(id),
            Which::New | Which::Quit => Decision::New,
        }))
    }

    fn note_added(&mut self, id: &str, question: &str) {
        self.added.push((id.to_string(), question.to_string()));
    }
}

/// A person's answer about look-alikes.
pub enum Which {
    /// This question of the bank.
    Existing(String),
    /// A new question.
    New,
    /// Stop.
    Quit,
}

/// Ask which of `found` (shown already) the question is. `prompts` are for a likely first
/// look-alike and for a weak one; an empty answer takes the first look-alike when it is likely
/// and a new question when not; a number picks one; `same`, `new` and `quit` are the words
/// that mean the first look-alike, a new question and stop. A wrong answer is asked again;
/// `None` at the end of input.
pub fn ask_which(
    found: &[Candidate],
    likely: bool,
    prompts: [&str; 2],
    same: &[&str],
    new: &[&str],
    quit: &[&str],
) -> Option<Which> {
    let pick = if found.len() > 1 {
        format!(", or pick 1-{}", found.len())
    } else {
        String::new()
    };
    let prompt = format!("{}{pick}: ", prompts[usize::from(!likely)]);
    loop {
        let answer = crate::editor::ask(&prompt)?;
        let answer = answer.trim().to_lowercase();
        let first = || Some(Which::Existing(found[0].id.clone()));
        match answer.as_str() {
            "" if likely => return first(),
            "" => return Some(Which::New),
            a if same.contains(&a) => return first(),
            a if new.contains(&a) => return Some(Which::New),
            a if quit.contains(&a) => return Some(Which::Quit),
            a => match a.parse::<usize>() {
                Ok(n) if (1..=found.len()).contains(&n) => {
                    return Some(Which::Existing(found[n - 1].id.clone()));
                }
                _ => eprintln!("Answer with one of the letters in brackets, or a number."),
            },
        }
    }
}

/// Candidates as a numbered list, each with the one line that says why it matched.
pub fn show_candidates(ctx: &Ctx, found: &[Candidate]) {
    for (i, c) in found.iter().enumerate() {
        eprintln!(
            "  {}) {} {:.2}  {}",
            i + 1,
            ctx.out.accent(&c.id),
            c.similarity,
            c.question
        );
        if !c.why.is_empty() {
            eprintln!("     {}", ctx.out.dim(&c.why));
        }
    }
}

/// Decide for every incoming question, asking where needed. Answers already given for this list
/// (a resumed draft) are taken again without asking; each new answer is kept in the draft at
/// once, so an interrupt loses none of them.
fn decide_all(
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
struct Kept {
    company: String,
    #[serde(default)]
    round: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

impl Kept {
    /// What was given on the command line, over what was kept.
    fn update(&mut self, args: &InterviewAddArgs) {
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
enum Source {
    /// The arguments: each one question.
    Arguments,
    /// A file or standard input, in the list format.
    Text,
    /// The editor (also when going on with a draft).
    Editor,
}

fn add(ctx: &Ctx, args: InterviewAddArgs) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb_to_write()?;
    // A date that does not exist is said before anything is typed or kept.
    if let Some(d) = &args.date {
        parse_date(d)?;
    }
    let (mut draft, mut kept, source) = if args.resume {
        let Some(draft) = Draft::latest(&kb, Kind::Interview, None)? else {
            bail!(
                "there is no unfinished interview list to go on with (they are kept in {})",
                kb::drafts::dir(&kb).display()
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
            return Ok(Exit::Done);
        }
        let mut kept: Kept = serde_json::from_value(draft.meta.options.clone()).unwrap_or_default();
        kept.update(&args);
        eprintln!("Going on with the list kept in {}.", draft.path.display());
        let older = Draft::all(&kb, Kind::Interview, None)?
            .len()
            .saturating_sub(1);
        if older > 0 {
            eprintln!(
                "({older} older unfinished list{} kept in {}; each --resume takes the newest.)",
                if older == 1 { " is" } else { "s are" },
                kb::drafts::dir(&kb).display()
            );
        }
        (draft, kept, Source::Editor)
    } else {
        let mut kept = Kept::default();
        kept.update(&args);
        notice_unfinished(&kb)?;
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
            &kb,
            Kind::Interview,
            None,
            &text,
            "md",
            serde_json::to_value(&kept)?,
        )?;
        let date = kept
            .date
            .as_deref()
            .map(parse_date)
            .transpose()?
            .unwrap_or_else(kb::time::today);
        draft.meta.lands_as = Some(kb::interview::new_id(date));
        draft.save_meta()?;
        (draft, kept, source)
    };
    if args.from.as_ref().is_some_and(|f| f.as_os_str() == "-")
        || (source == Source::Text && args.from.is_none())
    {
        // Standard input carried the list: answers to prompts come from the terminal.
        crate::editor::prompts_from_terminal();
    }

    // Checked before the editor opens, so a typo in an option costs no typing.
    if kept.company.trim().is_empty() {
        bail!("--company cannot be empty");
    }
    let tags = tag_args(&kept.tags)?;
    let date = kept
        .date
        .as_deref()
        .map(parse_date)
        .transpose()?
        .unwrap_or_else(kb::time::today);
    let project = match &kept.project {
        Some(p) => Some(kb.resolve_project(p)?.id),
        None => None,
    };
    kept.project = project.clone();
    draft.meta.options = serde_json::to_value(&kept)?;
    draft.save_meta()?;

    let resume = Kind::Interview.resume_command(None);
    let guard = crate::interrupt::Guard::new(&format!(
        "Interrupted: nothing was recorded. Your list is kept in {}; go on with `{resume}`.",
        draft.path.display()
    ));
    let kept_at = draft.path.display().to_string();
    let kept_note = |why: &str| {
        eprintln!(
            "{why} Nothing was recorded. Your list is kept in {kept_at}; go on with `{resume}`."
        );
    };
    let incoming = loop {
        if source == Source::Editor {
            crate::editor::edit(&draft.path)?;
        }
        let text = draft.text()?;
        let incoming = if source == Source::Arguments {
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
                draft.discard()?;
                eprintln!("Aborting: no questions were written; nothing was recorded.");
            } else {
                kept_note("No questions in the list.");
            }
            return Ok(Exit::Failed);
        }
        if source != Source::Arguments {
            show_list(ctx, &incoming);
        }
        if source != Source::Editor || args.dedupe.yes {
            break incoming;
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
                    return Ok(Exit::Failed);
                }
                _ => eprintln!("Answer y (record), e (edit again) or a (abort)."),
            }
        };
        match choice {
            Some(true) => break incoming,
            Some(false) => continue,
            None => {
                kept_note("No answer on standard input (scripts: use --yes or --from).");
                return Ok(Exit::Failed);
            }
        }
    };

    let interview_id = draft
        .meta
        .lands_as
        .clone()
        .unwrap_or_else(|| kb::interview::new_id(date));
    let mut interview = Interview::new(interview_id, &kept.company);
    interview.date = Some(date);
    interview.round = kept.round.clone().filter(|r| !r.trim().is_empty());
    interview.position = kept.position.clone();
    interview.outcome = kept.outcome.clone();
    interview.project = project.clone();
    interview.notes = kb::yaml::normalise_block(kept.notes.as_deref().unwrap_or(""));

    let decisions = decide_all(
        ctx,
        &kb,
        &incoming,
        &args.dedupe,
        project.as_deref(),
        &mut draft,
    )
    .inspect_err(|_| kept_note("Stopped."))?;
    // From here on kb writes; an interrupt is an ordinary kill, which the next kb cleans up
    // after (the draft stays until the commit has landed).
    drop(guard);
    let mut tx = ctx.begin(&kb)?;
    let placement = kb::ops::interview::Placement {
        tags: &tags,
        project: project.as_deref(),
    };
    let done = kb::ops::interview::record(&mut tx, &interview, &incoming, decisions, placement)?;
    draft.discard()?;
    ctx.warn_after(&done.committed);
    let (outcomes, new, again) = (&done.outcomes, done.new_count(), done.again_count());
    let commit = done.committed.commit;

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
            for o in outcomes {
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
    Ok(Exit::Done)
}

fn parse_date(d: &str) -> anyhow::Result<jiff::civil::Date> {
    kb::time::parse_date(d).with_context(|| format!("--date: {}", kb::time::date_problem(d)))
}

fn read_stdin() -> anyhow::Result<String> {
    let bytes = kb::store::read_limited(std::io::stdin().lock(), "standard input")
        .context("could not read the questions from standard input")?;
    String::from_utf8(bytes)
        .map(kb::text::incoming)
        .context("standard input is not UTF-8 text")
}

/// Say so when an earlier list was left unfinished.
fn notice_unfinished(kb: &Kb) -> anyhow::Result<()> {
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
fn show_list(ctx: &Ctx, incoming: &[Incoming]) {
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
fn editor_template(company: &str) -> String {
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

fn list(ctx: &Ctx) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let (mut interviews, problems) = kb.load_interviews()?;
    ctx.out.warn_skipped(&problems);
    interviews.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    if ctx.json {
        crate::render::print_json(&serde_json::Value::Array(
            interviews.iter().map(Interview::to_json).collect(),
        ))?;
        return Ok(Exit::Done);
    }
    if interviews.is_empty() {
        eprintln!("No interviews yet: kb interview add --company NAME");
        return Ok(Exit::Failed);
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
    Ok(Exit::Done)
}

fn show(ctx: &Ctx, args: InterviewShowArgs) -> anyhow::Result<Exit> {
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
        return Ok(Exit::Done);
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
    Ok(Exit::Done)
}
