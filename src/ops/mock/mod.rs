//! A mock interview (`kb mock`): which questions come up and in what order, the follow-ups a
//! weak answer brings, the key terms a typed answer is checked against ([`terms`]), the summary,
//! and the one commit at the end. The asking and the clock are the command's.
//!
//! The order is an interviewer's: the project's common questions (tag `project-common`, from
//! the project template), then its technical ones (the project's other questions), then
//! fundamentals (questions without a project). Within each part, questions asked before at the
//! company come first (most asked there first), each group in `kb drill`'s order (due, weak,
//! never drilled, the rest). Grades are `kb drill`'s: kept in `.git/kb/drill.tsv` as they are
//! given ([`crate::ops::drill::keep_grades`]) and appended to this clone's review log.

pub mod terms;

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::drafts::{Draft, Kind};
use crate::error::Result;
use crate::index::{SearchIndex, Summary};
use crate::model::Question;
use crate::review::{Grade, Memory, Review};
use crate::store::Kb;
use crate::tx::Transaction;

pub use terms::{KeyTerm, TermCheck};

/// The tag the project template gives its common questions.
pub const COMMON_TAG: &str = "project-common";

/// The hand-written field of a question that lists its follow-up questions' ids.
pub const FOLLOW_UPS_FIELD: &str = "follow_ups";

/// The parts of a mock interview, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The project's common questions (purpose, role, team, regrets…).
    Common,
    /// The project's other questions.
    Technical,
    /// Questions of no project.
    Fundamentals,
}

impl Part {
    /// The part a question belongs to.
    pub fn of(project: Option<&str>, tags: &[&str]) -> Part {
        match project {
            None => Part::Fundamentals,
            Some(_) if tags.contains(&COMMON_TAG) => Part::Common,
            Some(_) => Part::Technical,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::Common => "common",
            Part::Technical => "technical",
            Part::Fundamentals => "fundamentals",
        }
    }

    /// How long a spoken answer should take by default: a common project question is a story
    /// told in about a minute and a half; a technical one about the project needs the approach,
    /// the numbers and the trade-off (two minutes); a fundamentals question is a definition and
    /// an example (a minute and a half).
    pub fn target_seconds(self) -> u64 {
        match self {
            Part::Common => 90,
            Part::Technical => 120,
            Part::Fundamentals => 90,
        }
    }
}

/// What the mock is about.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    /// The résumé project asked about; `None`: every project's questions.
    pub project: Option<String>,
    /// The company: its questions first within each part.
    pub company: Option<String>,
    /// How many questions (follow-ups come on top).
    pub limit: usize,
}

/// A question that comes up in the mock.
#[derive(Debug, Clone)]
pub struct Planned {
    pub question: Question,
    pub part: Part,
    /// Times it was asked at the plan's company (0 without a company).
    pub asked_here: usize,
    /// The question whose weak answer brought this one up.
    pub follow_up_of: Option<String>,
}

/// The questions of the mock, in order, read from `kb` (see the module comment).
pub fn plan(
    kb: &Kb,
    index: &SearchIndex,
    plan: &Plan,
    memory: &HashMap<String, Memory>,
    now: Timestamp,
) -> Result<Vec<Planned>> {
    let pool = index.summaries_where(|q| {
        q.project.is_none() || plan.project.as_deref().is_none_or(|p| q.project == Some(p))
    })?;
    let mut planned: Vec<Planned> = choose(&pool, plan.company.as_deref(), memory, now, plan.limit)
        .into_iter()
        .filter_map(|(s, part, asked_here)| {
            kb.load(&s.id).ok().map(|question| Planned {
                question,
                part,
                asked_here,
                follow_up_of: None,
            })
        })
        .collect();
    let template: Vec<String> = kb
        .template()
        .map(|t| t.into_iter().map(|e| e.key).collect())
        .unwrap_or_default();
    in_template_order(&mut planned, &template);
    Ok(planned)
}

/// The common questions chosen, asked as the template lists them (purpose before results), the
/// company's first; a project's questions together. Which ones come up is drill's order's choice,
/// so a short mock still goes round all of them over several runs.
pub fn in_template_order(planned: &mut [Planned], template: &[String]) {
    let common = planned
        .iter()
        .take_while(|p| p.part == Part::Common)
        .count();
    let rank = |p: &Planned| {
        p.question
            .template
            .as_deref()
            .and_then(|k| template.iter().position(|t| t == k))
            .unwrap_or(template.len())
    };
    planned[..common].sort_by(|a, b| {
        (a.asked_here == 0)
            .cmp(&(b.asked_here == 0))
            .then_with(|| a.question.project.cmp(&b.question.project))
            .then_with(|| rank(a).cmp(&rank(b)))
    });
}

/// Times `q` was asked at `company` (compared without case).
fn asked_at(q: &Summary, company: &str) -> usize {
    q.asked
        .iter()
        .filter(|a| crate::names::same_company(&a.company, company))
        .count()
}

/// How many questions each part gets out of `limit`, given how many it has: three in ten for
/// the common part and three in ten for the technical one (rounded to nearest), the rest for
/// fundamentals; what a part cannot use goes to the others, in order. So `-n 10` on a project
/// with seven common questions is still an interview with technical and fundamentals questions.
pub fn shares(limit: usize, available: [usize; 3]) -> [usize; 3] {
    let project = (limit * 3 + 5) / 10;
    let quota = [project, project, limit];
    let mut take = [0; 3];
    let mut left = limit;
    for i in 0..3 {
        take[i] = available[i].min(quota[i]).min(left);
        left -= take[i];
    }
    for i in 0..3 {
        let more = (available[i] - take[i]).min(left);
        take[i] += more;
        left -= more;
    }
    take
}

/// The order of the mock from the index's summaries: each question with its part and the times
/// it was asked at `company`.
pub fn choose<'a>(
    pool: &'a [Summary],
    company: Option<&str>,
    memory: &HashMap<String, Memory>,
    now: Timestamp,
    limit: usize,
) -> Vec<(&'a Summary, Part, usize)> {
    let mut parts: [Vec<&Summary>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for q in pool {
        let tags: Vec<&str> = q.tags.iter().map(String::as_str).collect();
        parts[Part::of(q.project.as_deref(), &tags) as usize].push(q);
    }
    let ordered: Vec<Vec<(&Summary, usize)>> = parts
        .iter()
        .map(|part| {
            let here = |q: &Summary| company.map_or(0, |c| asked_at(q, c));
            let (asked, rest): (Vec<&Summary>, Vec<&Summary>) =
                part.iter().partition(|q| here(q) > 0);
            let mut asked: Vec<(&Summary, usize)> =
                crate::ops::drill::order(&asked, memory, now, false)
                    .into_iter()
                    .map(|q| (q, here(q)))
                    .collect();
            // Stable: drill's order among questions asked as often.
            asked.sort_by_key(|a| std::cmp::Reverse(a.1));
            asked
                .into_iter()
                .chain(
                    crate::ops::drill::order(&rest, memory, now, false)
                        .into_iter()
                        .map(|q| (q, 0)),
                )
                .collect()
        })
        .collect();
    let take = shares(
        limit,
        [ordered[0].len(), ordered[1].len(), ordered[2].len()],
    );
    let part = [Part::Common, Part::Technical, Part::Fundamentals];
    ordered
        .into_iter()
        .zip(take)
        .zip(part)
        .flat_map(|((qs, n), p)| qs.into_iter().take(n).map(move |(q, k)| (q, p, k)))
        .collect()
}

/// The ids in `q`'s hand-written `follow_ups:` field (a list of ids, or one id).
pub fn follow_ups(q: &Question) -> Vec<String> {
    use serde_yaml::Value;
    let ids = match q.extra.get(FOLLOW_UPS_FIELD) {
        Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(one)) => vec![one.as_str()],
        _ => Vec::new(),
    };
    ids.into_iter()
        .map(|id| id.trim().to_ascii_lowercase())
        .filter(|id| crate::id::validate(id).is_ok() && *id != q.id)
        .collect()
}

/// Whether a grade is weak enough for the interviewer to dig in with a follow-up.
pub fn weak(grade: Grade) -> bool {
    matches!(grade, Grade::Again | Grade::Hard)
}

/// The follow-ups to ask right after `parent` was answered weakly: the questions that name it
/// in `follow_up_of:` (`kb add --after`), then any its own hand-written `follow_ups:` lists,
/// that exist and are not in `asked` (asked already in this mock).
pub fn follow_ups_after(
    kb: &Kb,
    index: &SearchIndex,
    parent: &Planned,
    asked: &[String],
) -> Vec<Planned> {
    let p = &parent.question;
    let mut names = vec![p.id.clone()];
    names.extend(p.aliases.iter().cloned());
    let mut ids: Vec<String> = index.follow_ups_of(&names).unwrap_or_default();
    for id in follow_ups(p) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.into_iter()
        .filter(|id| !asked.contains(id))
        .filter_map(|id| kb.load(&id).ok())
        .map(|question| Planned {
            question,
            part: parent.part,
            asked_here: 0,
            follow_up_of: Some(parent.question.id.clone()),
        })
        .collect()
}

/// How a question was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spoken {
    /// Aloud: Enter stopped the clock.
    Spoken,
    /// Typed (the answer or its key points), ended by an empty line.
    Typed,
    /// Skipped with `s`.
    Skipped,
}

/// One question of the mock, as it went.
#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    pub question: String,
    /// The question's wording.
    pub text: String,
    pub part: Part,
    /// Times it was asked at the company before.
    pub asked_here: usize,
    /// The question whose weak answer brought this one up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<String>,
    pub answer: Spoken,
    /// From the question on screen to the end of the answer.
    pub seconds: f64,
    pub target_seconds: u64,
    /// Whether it had a prepared answer (when not, it is offered for writing, not graded).
    pub prepared: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// For a typed answer to a prepared one: each key term of the prepared answer, and whether
    /// the typed text has it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_terms: Vec<TermCheck>,
    /// The typed answer was saved as the question's answer.
    pub answer_written: bool,
}

impl Turn {
    /// Seconds past the target (negative: within it).
    pub fn over(&self) -> f64 {
        self.seconds - self.target_seconds as f64
    }

    /// Key terms present, out of how many.
    pub fn terms_present(&self) -> (usize, usize) {
        let present = self.key_terms.iter().filter(|t| t.present).count();
        (present, self.key_terms.len())
    }
}

/// The summary of a mock interview (`kb mock --json`).
#[derive(Debug, Serialize)]
pub struct Report {
    pub company: Option<String>,
    pub project: Option<String>,
    /// Every question that came up, in order.
    pub questions: Vec<Turn>,
    /// From the first question to the last answer.
    pub seconds: f64,
    /// The sum of the answered questions' targets.
    pub target_seconds: u64,
    /// `--minutes` ran out before the planned questions did.
    pub time_up: bool,
    /// Planned questions not reached (time up, `q`, or the end of input).
    pub not_reached: Vec<String>,
    /// Answers over their target, most over first (three at most).
    pub slowest: Vec<String>,
    /// Questions graded again or hard, again first, then fewer key terms typed (three at most).
    pub weakest: Vec<String>,
    /// Questions that came up with no prepared answer.
    pub unanswered: Vec<String>,
    /// Of those, the ones whose typed answer was saved.
    pub answers_written: Vec<String>,
    /// When each graded question comes up next in `kb drill`.
    pub next: Vec<crate::ops::drill::Next>,
    pub commit: Option<String>,
}

/// The summary of `turns`; `history` is the review history before the mock, `done` its grades.
#[allow(clippy::too_many_arguments)]
pub fn report(
    plan: &Plan,
    turns: Vec<Turn>,
    not_reached: Vec<String>,
    time_up: bool,
    seconds: f64,
    history: Vec<Review>,
    done: &[Review],
    commit: Option<String>,
) -> Report {
    let answered: Vec<&Turn> = turns
        .iter()
        .filter(|t| t.answer != Spoken::Skipped)
        .collect();
    let mut slow: Vec<&Turn> = answered
        .iter()
        .copied()
        .filter(|t| t.over() > 0.0)
        .collect();
    slow.sort_by(|a, b| b.over().total_cmp(&a.over()));
    let mut weakest: Vec<&Turn> = turns.iter().filter(|t| t.grade.is_some_and(weak)).collect();
    let share = |t: &Turn| match t.terms_present() {
        (_, 0) => 1.0,
        (p, n) => p as f64 / n as f64,
    };
    weakest.sort_by(|a, b| {
        (a.grade.map(|g| g as u8))
            .cmp(&b.grade.map(|g| g as u8))
            .then(share(a).total_cmp(&share(b)))
    });
    let ids = |v: Vec<&Turn>| v.into_iter().take(3).map(|t| t.question.clone()).collect();
    let session = crate::ops::drill::session(history, done, commit.clone());
    Report {
        company: plan.company.clone(),
        project: plan.project.clone(),
        seconds,
        target_seconds: answered.iter().map(|t| t.target_seconds).sum(),
        time_up,
        not_reached,
        slowest: ids(slow),
        weakest: ids(weakest),
        unanswered: turns
            .iter()
            .filter(|t| !t.prepared)
            .map(|t| t.question.clone())
            .collect(),
        answers_written: turns
            .iter()
            .filter(|t| t.answer_written)
            .map(|t| t.question.clone())
            .collect(),
        next: session.next,
        commit,
        questions: turns,
    }
}

/// `q` with `answer` as its prepared answer, as it will be saved.
pub fn with_answer(q: &Question, answer: &str) -> Question {
    let mut q = q.clone();
    q.answer = format!("{}\n", answer.trim());
    q.updated = Some(crate::time::now());
    q
}

/// Keep an answer being typed for the unanswered question `q` safe from the moment it exists:
/// an edit draft of `q` with the answer in it (`.git/kb/drafts/`, like `kb edit`'s), so after
/// Ctrl-C `kb edit ID --resume` saves it. Returns the draft, to update as more is typed.
pub fn keep_answer(kb: &Kb, q: &Question, answer: &str, draft: Option<Draft>) -> Result<Draft> {
    let text = with_answer(q, answer).to_yaml();
    match draft {
        Some(d) => {
            d.set_text(&text)?;
            Ok(d)
        }
        None => {
            let base = std::fs::read_to_string(kb.question_path(&q.id)?).unwrap_or_default();
            Draft::create(
                kb,
                Kind::Edit,
                Some(&q.id),
                &text,
                "yaml",
                serde_json::json!({ "base": base, "from": "mock" }),
            )
        }
    }
}

/// Answers typed in an interrupted mock and kept as edit drafts (not yet saved).
pub fn kept_answers(kb: &Kb) -> Result<Vec<Draft>> {
    Ok(Draft::all(kb, Kind::Edit, None)?
        .into_iter()
        .filter(|d| d.meta.options["from"] == "mock")
        .collect())
}

/// What [`record`] committed.
#[derive(Debug, Default)]
pub struct Recorded {
    pub commit: Option<String>,
    /// Answers not saved because the question got an answer elsewhere meanwhile (a sync,
    /// another kb): their drafts are kept.
    pub not_saved: Vec<String>,
}

/// Record the mock in one commit: its grades appended to this clone's review log, and the
/// answers typed for unanswered questions saved as their answers.
pub fn record(
    tx: &mut Transaction,
    asked: usize,
    done: &[Review],
    answers: &[(Question, String)],
) -> Result<Recorded> {
    let kb = tx.kb();
    let mut out = Recorded::default();
    if !done.is_empty() {
        let (rel, text) = crate::review::appended(kb, done)?;
        tx.write(rel, Some(text));
    }
    let mut written = Vec::new();
    for (q, answer) in answers {
        // Read again: the file may have changed since the mock began.
        let now = kb.load(&q.id).unwrap_or_else(|_| q.clone());
        if now.is_answered() {
            out.not_saved.push(q.id.clone());
            continue;
        }
        tx.save(&with_answer(&now, answer))?;
        written.push(q.id.as_str());
    }
    if tx.is_empty() {
        return Ok(out);
    }
    let count = |g: Grade| done.iter().filter(|r| r.grade == g).count();
    let mut message = format!(
        "mock: {}, {} (again {}, hard {}, good {}, easy {})",
        plural(asked, "question"),
        plural(done.len(), "review"),
        count(Grade::Again),
        count(Grade::Hard),
        count(Grade::Good),
        count(Grade::Easy)
    );
    if !written.is_empty() {
        message.push_str(&format!(
            ", {} written ({})",
            plural(written.len(), "answer"),
            written.join(", ")
        ));
    }
    out.commit = tx.commit(&message)?.commit.map(|c| c.to_string());
    Ok(out)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, project: Option<&str>, tags: &[&str], asked: &[&str]) -> Summary {
        Summary {
            id: id.to_string(),
            question: id.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            project: project.map(str::to_string),
            answered: true,
            asked_count: asked.len() as u64,
            asked: asked
                .iter()
                .map(|c| crate::index::Occurrence {
                    company: c.to_string(),
                    date: None,
                    interview: None,
                })
                .collect(),
            created: 0,
            updated: 0,
        }
    }

    #[test]
    fn common_then_technical_then_fundamentals_the_companys_first_in_each() {
        let pool = [
            summary("f-a", None, &[], &[]),
            summary("f-kakao", None, &[], &["카카오"]),
            summary("p-common", Some("p"), &[COMMON_TAG], &[]),
            summary(
                "p-common-kakao",
                Some("p"),
                &[COMMON_TAG],
                &["카카오", "카카오"],
            ),
            summary("p-tech", Some("p"), &[], &["네이버", "네이버", "네이버"]),
            summary("p-tech-kakao", Some("p"), &[], &["카카오"]),
        ];
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let got: Vec<(&str, Part)> = choose(&pool, Some("카카오"), &HashMap::new(), now, 10)
            .into_iter()
            .map(|(q, p, _)| (q.id.as_str(), p))
            .collect();
        assert_eq!(
            got,
            [
                ("p-common-kakao", Part::Common),
                ("p-common", Part::Common),
                ("p-tech-kakao", Part::Technical),
                ("p-tech", Part::Technical),
                ("f-kakao", Part::Fundamentals),
                ("f-a", Part::Fundamentals),
            ]
        );
        // Without a company: drill's order (never drilled: most asked first).
        let got: Vec<&str> = choose(&pool, None, &HashMap::new(), now, 10)
            .into_iter()
            .map(|(q, _, _)| q.id.as_str())
            .collect();
        assert_eq!(got[2..4], ["p-tech", "p-tech-kakao"]);
    }

    #[test]
    fn each_part_gets_its_share_and_what_one_cannot_use_goes_to_the_others() {
        assert_eq!(shares(10, [7, 10, 50]), [3, 3, 4]);
        assert_eq!(shares(10, [7, 0, 50]), [3, 0, 7]);
        assert_eq!(shares(10, [7, 10, 0]), [7, 3, 0]);
        assert_eq!(shares(10, [1, 1, 1]), [1, 1, 1]);
        assert_eq!(shares(2, [5, 5, 5]), [1, 1, 0]);
        assert_eq!(shares(4, [5, 5, 5]), [1, 1, 2]);
        assert_eq!(shares(1, [5, 5, 5]), [0, 0, 1]);
        assert_eq!(shares(0, [5, 5, 5]), [0, 0, 0]);
    }

    #[test]
    fn common_questions_are_asked_in_the_templates_order_the_companys_first() {
        let planned = |id: &str, key: &str, asked_here: usize| {
            let mut q = Question::new(id.into(), id);
            q.project = Some("p".into());
            q.template = Some(key.into());
            Planned {
                question: q,
                part: Part::Common,
                asked_here,
                follow_up_of: None,
            }
        };
        let mut v = vec![
            planned("p-result", "result", 0),
            planned("p-team", "team", 1),
            planned("p-purpose", "purpose", 0),
        ];
        let template = ["purpose", "team", "result"].map(String::from);
        in_template_order(&mut v, &template);
        let ids: Vec<&str> = v.iter().map(|p| p.question.id.as_str()).collect();
        assert_eq!(ids, ["p-team", "p-purpose", "p-result"]);
    }

    #[test]
    fn follow_ups_are_read_from_the_hand_written_field() {
        let mut q = Question::new("q-a".into(), "TCP?");
        assert!(follow_ups(&q).is_empty());
        q.extra.insert(
            FOLLOW_UPS_FIELD.into(),
            serde_yaml::from_str("[q-b, Q-C, 'not an id!', q-a]").unwrap(),
        );
        assert_eq!(follow_ups(&q), ["q-b", "q-c"]);
        q.extra.insert(FOLLOW_UPS_FIELD.into(), "q-d".into());
        assert_eq!(follow_ups(&q), ["q-d"]);
    }

    fn turn(id: &str, seconds: f64, target: u64, grade: Option<Grade>) -> Turn {
        Turn {
            question: id.into(),
            text: id.into(),
            part: Part::Fundamentals,
            asked_here: 0,
            follow_up_of: None,
            answer: Spoken::Spoken,
            seconds,
            target_seconds: target,
            prepared: true,
            grade,
            key_terms: Vec::new(),
            answer_written: false,
        }
    }

    #[test]
    fn the_summary_names_the_slowest_over_target_and_the_weakest() {
        let turns = vec![
            turn("q-fast", 30.0, 90, Some(Grade::Good)),
            turn("q-slow", 150.0, 90, Some(Grade::Hard)),
            turn("q-slower", 200.0, 120, Some(Grade::Again)),
            turn("q-just", 91.0, 90, Some(Grade::Easy)),
        ];
        let r = report(
            &Plan::default(),
            turns,
            vec!["q-later".into()],
            true,
            471.0,
            Vec::new(),
            &[],
            None,
        );
        assert_eq!(
            r.slowest,
            ["q-slower", "q-slow", "q-just"],
            "most over first"
        );
        assert_eq!(r.weakest, ["q-slower", "q-slow"]);
        assert_eq!(r.target_seconds, 390);
        assert_eq!(r.not_reached, ["q-later"]);
    }
}
