//! `kb stats [--company C] [--since DATE]`: what companies really ask.

use crate::exit::Exit;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Context;
use comfy_table::Cell;
use jiff::civil::Date;

use crate::Ctx;
use crate::cli::StatsArgs;
use kb::model::truncate_chars;

pub fn run(ctx: &Ctx, args: StatsArgs) -> anyhow::Result<Exit> {
    let since: Option<Date> = match &args.since {
        Some(d) => Some(
            kb::time::parse_date(d)
                .with_context(|| format!("--since: {}", kb::time::date_problem(d)))?,
        ),
        None => None,
    };
    let company = args.company.as_deref().map(str::to_lowercase);
    let kb = ctx.open_kb()?;
    let company_ok = |c: &str| company.as_deref().is_none_or(|w| c.to_lowercase() == w);
    let date_ok = |d: Option<Date>| since.is_none_or(|s| d.is_some_and(|d| d >= s));

    #[derive(Default)]
    struct PerTag {
        questions: usize,
        asked: usize,
        unanswered: usize,
    }
    // Totals and per-tag figures are counted while the index is walked; only the questions
    // that were asked (under the filters) are copied out, plus the first `limit` ids of the
    // unanswered ones never asked, which is all the "without an answer" list can show.
    let (mut total, mut answered) = (0usize, 0usize);
    let mut per_tag: HashMap<String, PerTag> = HashMap::new();
    let mut quiet_unanswered: BTreeSet<String> = BTreeSet::new();
    let questions = crate::commands::summaries_where(ctx, &kb, |q| {
        total += 1;
        answered += usize::from(q.answered);
        let n = q
            .asked
            .iter()
            .filter(|a| company_ok(&a.company) && date_ok(a.date))
            .count();
        for t in q.tags {
            let e = match per_tag.get_mut(*t) {
                Some(e) => e,
                None => per_tag.entry((*t).to_string()).or_default(),
            };
            e.questions += 1;
            e.asked += n;
            e.unanswered += usize::from(!q.answered);
        }
        if n > 0 {
            return true;
        }
        if q.answered || args.limit == 0 {
            return false;
        }
        if quiet_unanswered.len() < args.limit {
            quiet_unanswered.insert(q.id.to_string());
            return true;
        }
        match quiet_unanswered.last() {
            Some(last) if q.id < last.as_str() => {
                quiet_unanswered.pop_last();
                quiet_unanswered.insert(q.id.to_string());
                true
            }
            _ => false,
        }
    })?;
    let (interviews, problems) = kb.load_interviews()?;
    ctx.out.warn_skipped(&problems);

    let interviews: Vec<_> = interviews
        .into_iter()
        .filter(|iv| company_ok(&iv.company) && date_ok(iv.date))
        .collect();

    // Occurrences that pass the filters, per question.
    let questions = &questions;
    let counted: Vec<(usize, Vec<&kb::index::Occurrence>)> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            (
                i,
                q.asked
                    .iter()
                    .filter(|a| company_ok(&a.company) && date_ok(a.date))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let occurrences: usize = counted.iter().map(|(_, a)| a.len()).sum();

    let mut most: Vec<&(usize, Vec<&kb::index::Occurrence>)> =
        counted.iter().filter(|(_, a)| !a.is_empty()).collect();
    most.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(questions[a.0].id.cmp(&questions[b.0].id))
    });

    #[derive(Default)]
    struct PerCompany {
        interviews: usize,
        asked: usize,
        questions: BTreeSet<usize>,
        name: String,
    }
    let mut per_company: BTreeMap<String, PerCompany> = BTreeMap::new();
    for iv in &interviews {
        let e = per_company.entry(iv.company.to_lowercase()).or_default();
        e.interviews += 1;
        e.name = iv.company.clone();
    }
    for (i, asked) in &counted {
        for a in asked {
            let e = per_company.entry(a.company.to_lowercase()).or_default();
            e.asked += 1;
            e.questions.insert(*i);
            if e.name.is_empty() {
                e.name = a.company.clone();
            }
        }
    }
    let mut companies: Vec<&PerCompany> = per_company.values().collect();
    companies.sort_by(|a, b| b.asked.cmp(&a.asked).then(a.name.cmp(&b.name)));

    let mut tags: Vec<(&String, &PerTag)> = per_tag.iter().collect();
    tags.sort_by(|a, b| {
        b.1.asked
            .cmp(&a.1.asked)
            .then(b.1.questions.cmp(&a.1.questions))
            .then(a.0.cmp(b.0))
    });

    // Most asked first, then by id: the never-asked ones kept above are exactly the first
    // `limit` of their kind in this order.
    let mut unanswered: Vec<&(usize, Vec<&kb::index::Occurrence>)> = counted
        .iter()
        .filter(|(i, _)| !questions[*i].answered)
        .collect();
    unanswered.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(questions[a.0].id.cmp(&questions[b.0].id))
    });

    let mut months: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for iv in &interviews {
        if let Some(d) = iv.date {
            months.entry(d.strftime("%Y-%m").to_string()).or_default().0 += 1;
        }
    }
    for (_, asked) in &counted {
        for a in asked {
            if let Some(d) = a.date {
                months.entry(d.strftime("%Y-%m").to_string()).or_default().1 += 1;
            }
        }
    }

    if ctx.json {
        let q = |i: usize, n: usize| serde_json::json!({"id": questions[i].id, "question": questions[i].question, "asked": n, "answered": questions[i].answered});
        crate::render::print_json(&serde_json::json!({
            "questions": total,
            "answered": answered,
            "unanswered": total - answered,
            "interviews": interviews.len(),
            "asked": occurrences,
            "most_asked": most.iter().take(args.limit).map(|(i, a)| q(*i, a.len())).collect::<Vec<_>>(),
            "companies": companies.iter().map(|c| serde_json::json!({"company": c.name, "interviews": c.interviews, "asked": c.asked, "questions": c.questions.len()})).collect::<Vec<_>>(),
            "tags": tags.iter().map(|(t, s)| serde_json::json!({"tag": t, "questions": s.questions, "asked": s.asked, "unanswered": s.unanswered})).collect::<Vec<_>>(),
            "unanswered_questions": unanswered.iter().take(args.limit).map(|(i, a)| q(*i, a.len())).collect::<Vec<_>>(),
            "months": months.iter().map(|(m, (iv, a))| serde_json::json!({"month": m, "interviews": iv, "asked": a})).collect::<Vec<_>>(),
        }))?;
        return Ok(Exit::Done);
    }

    let out = &ctx.out;
    println!(
        "{} questions ({answered} answered, {} without an answer) · {} interviews · asked {occurrences} times{}",
        total,
        total - answered,
        interviews.len(),
        match (&args.company, &args.since) {
            (None, None) => String::new(),
            (c, s) => format!(
                " ({}{})",
                c.as_deref().map(|c| format!("at {c}")).unwrap_or_default(),
                s.as_deref()
                    .map(|s| format!(" since {s}"))
                    .unwrap_or_default()
            ),
        }
    );
    let heading = |t: &str| println!("\n{}", out.bold(t));
    if !most.is_empty() {
        heading("Most asked");
        let mut table = out.table(&["Asked", "ID", "Question", "Where"]);
        for (i, asked) in most.iter().take(args.limit) {
            let mut where_: Vec<&str> = asked.iter().map(|a| a.company.as_str()).collect();
            where_.sort();
            where_.dedup();
            table.add_row(vec![
                Cell::new(format!("{}×", asked.len())),
                Cell::new(&questions[*i].id),
                Cell::new(truncate_chars(&questions[*i].question, 60)),
                Cell::new(where_.join(", ")),
            ]);
        }
        println!("{table}");
    }
    if !companies.is_empty() {
        heading("Per company");
        let mut table = out.table(&["Company", "Interviews", "Asked", "Questions"]);
        for c in companies.iter().take(args.limit) {
            table.add_row(vec![
                Cell::new(&c.name),
                Cell::new(c.interviews),
                Cell::new(c.asked),
                Cell::new(c.questions.len()),
            ]);
        }
        println!("{table}");
    }
    if !tags.is_empty() {
        heading("Per tag");
        let mut table = out.table(&["Tag", "Questions", "Asked", "No answer"]);
        for (t, s) in tags.iter().take(args.limit) {
            table.add_row(vec![
                Cell::new(t),
                Cell::new(s.questions),
                Cell::new(s.asked),
                Cell::new(s.unanswered),
            ]);
        }
        println!("{table}");
    }
    if !unanswered.is_empty() {
        heading("Still without an answer (most asked first)");
        let mut table = out.table(&["Asked", "ID", "Question"]);
        for (i, asked) in unanswered.iter().take(args.limit) {
            table.add_row(vec![
                Cell::new(format!("{}×", asked.len())),
                Cell::new(&questions[*i].id),
                Cell::new(truncate_chars(&questions[*i].question, 70)),
            ]);
        }
        println!("{table}");
    }
    if !months.is_empty() {
        heading("Over time");
        let widest = months.values().map(|(iv, _)| *iv).max().unwrap_or(1).max(1);
        let mut table = out.table(&["Month", "Interviews", "Asked", ""]);
        for (m, (iv, a)) in &months {
            let bar = "█".repeat((iv * 20).div_ceil(widest));
            table.add_row(vec![
                Cell::new(m),
                Cell::new(iv),
                Cell::new(a),
                Cell::new(bar),
            ]);
        }
        println!("{table}");
    }
    Ok(Exit::Done)
}
