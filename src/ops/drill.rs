//! Practice (`kb drill`): which questions come up, in which order, and how a session's grades
//! are recorded. The asking itself is the command's (it talks to the terminal).

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::error::{IoContext, Result};
use crate::index::{SearchIndex, Summary};
use crate::model::Question;
use crate::review::{Grade, Memory, Review};
use crate::store::Kb;
use crate::tx::Transaction;

/// Which questions may come up: all the tags, the project, asked at the company.
#[derive(Debug, Default)]
pub struct Filter {
    pub tags: Vec<String>,
    pub project: Option<String>,
    pub company: Option<String>,
}

impl Filter {
    /// The questions the filter lets through, from the search index's columns.
    pub fn pool(&self, index: &SearchIndex) -> Result<Vec<Summary>> {
        index.summaries_where(|q| {
            self.tags.iter().all(|t| q.has_tag(t))
                && self.project.as_deref().is_none_or(|p| q.project == Some(p))
                && self.company.as_deref().is_none_or(|c| q.asked_at(c))
        })
    }
}

/// The next `limit` questions to drill, read from `kb`, in [`order`].
pub fn queue(
    kb: &Kb,
    index: &SearchIndex,
    filter: &Filter,
    memory: &HashMap<String, Memory>,
    now: Timestamp,
    only_due: bool,
    limit: usize,
) -> Result<Vec<Question>> {
    // Chosen from the search index's columns; only the drilled questions' files are read.
    let pool = filter.pool(index)?;
    let pool: Vec<&Summary> = pool.iter().collect();
    Ok(order(&pool, memory, now, only_due)
        .into_iter()
        .take(limit)
        .filter_map(|q| kb.load(&q.id).ok())
        .collect())
}

/// The drill order: due (least likely recalled first), then weak, then never drilled (most
/// asked first), then the rest by due date (unless only due ones are wanted).
pub fn order<'a>(
    pool: &[&'a Summary],
    memory: &HashMap<String, Memory>,
    now: Timestamp,
    only_due: bool,
) -> Vec<&'a Summary> {
    let mut due: Vec<(&Summary, f64)> = Vec::new();
    let mut weak: Vec<(&Summary, f64)> = Vec::new();
    let mut new: Vec<&Summary> = Vec::new();
    let mut rest: Vec<(&Summary, Timestamp)> = Vec::new();
    for &q in pool {
        match memory.get(&q.id) {
            Some(m) if m.due <= now => due.push((q, m.recall_now(now))),
            Some(m) if m.weak(now) => weak.push((q, m.recall_now(now))),
            Some(m) => rest.push((q, m.due)),
            None => new.push(q),
        }
    }
    due.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then_with(|| b.0.asked_count.cmp(&a.0.asked_count))
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    if only_due {
        return due.into_iter().map(|(q, _)| q).collect();
    }
    weak.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)));
    new.sort_by(|a, b| {
        b.asked_count
            .cmp(&a.asked_count)
            .then(b.answered.cmp(&a.answered))
            .then(a.id.cmp(&b.id))
    });
    rest.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)));
    due.into_iter()
        .map(|(q, _)| q)
        .chain(weak.into_iter().map(|(q, _)| q))
        .chain(new)
        .chain(rest.into_iter().map(|(q, _)| q))
        .collect()
}

/// What a session did: its grades, when each question comes up next, and the commit.
#[derive(Debug, Serialize)]
pub struct Session {
    pub reviews: Vec<Graded>,
    pub next: Vec<Next>,
    pub commit: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Graded {
    pub question: String,
    pub grade: Grade,
}

#[derive(Debug, Serialize)]
pub struct Next {
    pub question: String,
    /// RFC 3339.
    pub due: String,
}

/// Append `done` (not empty) to the review log in one commit; returns the commit.
pub fn record(tx: &mut Transaction, done: &[Review]) -> Result<Option<String>> {
    Ok(record_with_answers(tx, done, &[])?.0)
}

/// An answer typed in a drill for a question that had none.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Written {
    pub question: String,
    pub answer: String,
}

/// Append `done` to the review log and give each question of `written` its typed answer, in
/// one commit. A question that has an answer by now (written elsewhere meanwhile) keeps it: its
/// id is returned, and the typed answer stays kept for the caller to show.
pub fn record_with_answers(
    tx: &mut Transaction,
    done: &[Review],
    written: &[Written],
) -> Result<(Option<String>, Vec<String>)> {
    let kb = tx.kb();
    let mut not_saved = Vec::new();
    let mut saved = 0;
    for w in written.iter().filter(|w| !w.answer.trim().is_empty()) {
        match kb.load(&w.question) {
            Ok(mut q) if !q.is_answered() => {
                q.answer = format!("{}\n", w.answer.trim_end());
                q.updated = Some(crate::time::now());
                tx.save(&q)?;
                saved += 1;
            }
            _ => not_saved.push(w.question.clone()),
        }
    }
    if !done.is_empty() {
        let (rel, text) = crate::review::appended(kb, done)?;
        tx.write(rel, Some(text));
    }
    if tx.is_empty() {
        return Ok((None, not_saved));
    }
    let count = |g: Grade| done.iter().filter(|r| r.grade == g).count();
    let mut message = match done.len() {
        0 => "drill:".to_string(),
        n => format!(
            "drill: {n} review{} (again {}, hard {}, good {}, easy {})",
            if n == 1 { "" } else { "s" },
            count(Grade::Again),
            count(Grade::Hard),
            count(Grade::Good),
            count(Grade::Easy)
        ),
    };
    if saved > 0 {
        let _ = std::fmt::Write::write_fmt(
            &mut message,
            format_args!(
                "{} {saved} answer{} written",
                if done.is_empty() { "" } else { "," },
                if saved == 1 { "" } else { "s" }
            ),
        );
    }
    Ok((
        tx.commit(&message)?.commit.map(|c| c.to_string()),
        not_saved,
    ))
}

/// Write a file a drill keeps in `.git/kb/` (whole, atomically).
fn keep(path: &std::path::Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).at(dir)?;
    }
    crate::store::write_atomic(path, text.as_bytes())
}

/// Remove a file a drill kept (gone already is fine).
fn forget(path: std::path::PathBuf) -> Result<()> {
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.at(path),
    }
}

/// Keep the answers typed so far (as they are typed, so Ctrl-C loses none).
pub fn keep_answers(kb: &Kb, written: &[Written]) -> Result<()> {
    let text = serde_json::to_string_pretty(written).unwrap_or_default();
    keep(&kb.state().drill_answers(), &text)
}

/// The answers an interrupted drill kept.
pub fn kept_answers(kb: &Kb) -> Vec<Written> {
    std::fs::read_to_string(kb.state().drill_answers())
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Forget the kept answers, once they are committed.
pub fn forget_answers(kb: &Kb) -> Result<()> {
    forget(kb.state().drill_answers())
}

/// The session's report: `done`, and when each comes up next given the earlier `history`.
pub fn session(history: Vec<Review>, done: &[Review], commit: Option<String>) -> Session {
    let mut all = history;
    all.extend(done.iter().cloned());
    let after = crate::review::schedule(&all);
    Session {
        reviews: done
            .iter()
            .map(|r| Graded {
                question: r.question.clone(),
                grade: r.grade,
            })
            .collect(),
        next: done
            .iter()
            .map(|r| Next {
                question: r.question.clone(),
                due: after
                    .get(&r.question)
                    .map(|m| crate::time::format(m.due))
                    .unwrap_or_default(),
            })
            .collect(),
        commit,
    }
}

/// Keep the grades given so far in `.git/kb/drill.tsv` (rewritten whole, atomically, after
/// each grade): an interrupted drill loses none of them, and the next `kb drill` records them.
pub fn keep_grades(kb: &Kb, done: &[Review]) -> Result<()> {
    let text: String = done.iter().map(crate::review::line).collect();
    keep(&kb.state().drill_grades(), &text)
}

/// The grades an interrupted drill kept (none when there was none).
pub fn kept_grades(kb: &Kb) -> Vec<Review> {
    std::fs::read_to_string(kb.state().drill_grades())
        .map(|t| crate::review::parse_lines(&t))
        .unwrap_or_default()
}

/// Forget the kept grades, once they are committed.
pub fn forget_grades(kb: &Kb) -> Result<()> {
    forget(kb.state().drill_grades())
}

/// What importing a review log did.
#[derive(Debug, Serialize)]
pub struct ImportedLog {
    /// The log it went to: `reviews/<machine>.tsv`.
    pub log: String,
    pub added: usize,
    /// Grades already recorded (the same time, question and grade): not added again.
    pub already: usize,
    /// Grades of questions this bank does not have: left out.
    pub unknown: Vec<String>,
    /// Lines that are not a review (besides comments and blank lines).
    pub unreadable: usize,
    pub commit: Option<String>,
}

/// Record the grades of a review log from another device (`time<TAB>question<TAB>grade`
/// lines; a `# machine: NAME` line names the device) as that device's own log, in one commit.
pub fn import(tx: &mut Transaction, text: &str) -> Result<ImportedLog> {
    let kb = tx.kb();
    let machine = text
        .lines()
        .find_map(|l| l.strip_prefix("# machine:"))
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| crate::id::validate(m).is_ok())
        .unwrap_or_else(|| "phone".to_string());
    let log = format!("{}/{machine}.tsv", crate::review::REVIEWS_DIR);
    let content = |l: &&str| !l.trim().is_empty() && !l.starts_with('#');
    let reviews = crate::review::parse_lines(text);
    let unreadable = text.lines().filter(content).count() - reviews.len();
    let (recorded, _) = crate::review::load(kb)?;
    let mut report = ImportedLog {
        log: log.clone(),
        added: 0,
        already: 0,
        unknown: Vec::new(),
        unreadable,
        commit: None,
    };
    let mut new: Vec<Review> = Vec::new();
    for r in reviews {
        if recorded.contains(&r) || new.contains(&r) {
            report.already += 1;
        } else if !kb.question_path(&r.question).is_ok_and(|p| p.is_file()) {
            report.unknown.push(r.question);
        } else {
            new.push(r);
        }
    }
    report.added = new.len();
    if new.is_empty() {
        return Ok(report);
    }
    let path = kb.root().join(&log);
    let mut body = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) => format!("# kb review log: time\tquestion\tgrade\n# machine: {machine}\n"),
    };
    if !body.ends_with('\n') {
        body.push('\n');
    }
    body.extend(new.iter().map(crate::review::line));
    tx.write(log, Some(body));
    let message = format!(
        "drill: import {} review{} from {machine}",
        new.len(),
        if new.len() == 1 { "" } else { "s" }
    );
    report.commit = tx.commit(&message)?.commit.map(|c| c.to_string());
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, asked: u64, answered: bool) -> Summary {
        Summary {
            id: id.to_string(),
            question: id.to_string(),
            tags: vec![],
            project: None,
            answered,
            asked_count: asked,
            asked: vec![],
            created: 0,
            updated: 0,
        }
    }

    fn review(id: &str, grade: Grade, days_ago: i64, now: Timestamp) -> Review {
        Review {
            time: now - jiff::SignedDuration::from_hours(24 * days_ago),
            question: id.to_string(),
            grade,
        }
    }

    #[test]
    fn due_first_then_weak_then_new_most_asked_then_the_rest() {
        let now: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let qs = [
            summary("q-easy", 0, true),
            summary("q-new-asked", 3, true),
            summary("q-new", 0, false),
            summary("q-due", 0, true),
            summary("q-weak", 0, true),
        ];
        let history = [
            review("q-easy", Grade::Easy, 1, now),
            // Good once, 60 days ago: long overdue.
            review("q-due", Grade::Good, 60, now),
            // Forgotten an hour ago: weak, not yet due.
            Review {
                time: now - jiff::SignedDuration::from_hours(1),
                question: "q-weak".into(),
                grade: Grade::Again,
            },
        ];
        let memory = crate::review::schedule(&history);
        assert!(
            memory["q-weak"].due > now,
            "the test needs q-weak not yet due"
        );
        let pool: Vec<&Summary> = qs.iter().collect();
        let got: Vec<&str> = order(&pool, &memory, now, false)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(got, ["q-due", "q-weak", "q-new-asked", "q-new", "q-easy"]);
        let due: Vec<&str> = order(&pool, &memory, now, true)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(due, ["q-due"]);
    }

    #[test]
    fn a_session_is_one_commit_and_says_when_each_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        tx.save(&Question::new("q-a".into(), "가상 메모리란?"))
            .unwrap();
        let _ = tx.commit("add q-a").unwrap();
        let now = crate::time::now();
        let done = [review("q-a", Grade::Hard, 0, now)];
        let commit = record(&mut tx, &done).unwrap();
        assert!(commit.is_some());
        let (log, _) = crate::review::load(&kb).unwrap();
        assert_eq!(log, done);
        let s = session(Vec::new(), &done, commit);
        assert_eq!(s.reviews.len(), 1);
        assert!(s.next[0].due.as_str() > crate::time::format(now).as_str());
        let s = session(log, &[], None);
        assert!(s.reviews.is_empty() && s.next.is_empty());
    }

    #[test]
    fn grades_kept_during_a_drill_come_back_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(dir.path(), Some("t")).unwrap();
        assert!(kept_grades(&kb).is_empty());
        let now: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let done = [
            review("q-a", Grade::Good, 0, now),
            review("q-b", Grade::Again, 0, now),
        ];
        keep_grades(&kb, &done[..1]).unwrap();
        keep_grades(&kb, &done).unwrap();
        assert_eq!(kept_grades(&kb), done);
        forget_grades(&kb).unwrap();
        assert!(kept_grades(&kb).is_empty());
        forget_grades(&kb).unwrap();
    }

    #[test]
    fn a_devices_log_is_imported_once_and_unknown_questions_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::init(dir.path(), Some("t")).unwrap();
        let mut tx = kb.begin(&|| {}).unwrap();
        tx.save(&Question::new("q-a".into(), "가상 메모리란?"))
            .unwrap();
        let _ = tx.commit("add q-a").unwrap();
        let log = "# kb review log\n# machine: galaxy\n\
                   2026-12-01T08:00:00Z\tq-a\tgood\n\
                   2026-12-01T08:01:00Z\tq-gone\tagain\n\
                   not a review\n";
        let first = import(&mut tx, log).unwrap();
        assert_eq!(first.log, "reviews/galaxy.tsv");
        assert_eq!((first.added, first.already, first.unreadable), (1, 0, 1));
        assert_eq!(first.unknown, ["q-gone"]);
        assert!(first.commit.is_some());
        let (recorded, _) = crate::review::load(&kb).unwrap();
        assert_eq!(recorded.len(), 1);
        let again = import(&mut tx, log).unwrap();
        assert_eq!((again.added, again.already), (0, 1));
        assert!(again.commit.is_none(), "the same log twice adds nothing");
    }
}
