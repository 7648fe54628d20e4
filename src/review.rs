//! Drill history and scheduling.
//!
//! Reviews are append-only lines in one file per machine, `reviews/<machine>.tsv`
//! (`time<TAB>question<TAB>grade`). Two machines never write the same file, so git merges their
//! histories without a conflict; the schedule is derived from the union of all files, never
//! stored. No binary database in git.
//!
//! Scheduling is FSRS-4.5 (Free Spaced Repetition Scheduler, open-spaced-repetition project) with
//! its published default parameters and a desired retention of 90%: each question has a
//! stability S (days until recall probability falls to 90%) and a difficulty D (1–10), updated
//! from each grade and the time since the previous review.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::error::{Error, IoContext, Problem, Result};
use crate::store::Kb;

/// The folder of review logs.
pub use crate::store::REVIEWS_DIR;

/// How well an answer was recalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Grade {
    pub fn parse(s: &str) -> Option<Grade> {
        match s.trim().to_lowercase().as_str() {
            "1" | "again" | "a" => Some(Grade::Again),
            "2" | "hard" | "h" => Some(Grade::Hard),
            "3" | "good" | "g" => Some(Grade::Good),
            "4" | "easy" | "e" => Some(Grade::Easy),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Grade::Again => "again",
            Grade::Hard => "hard",
            Grade::Good => "good",
            Grade::Easy => "easy",
        }
    }
}

/// One review.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub time: Timestamp,
    pub question: String,
    pub grade: Grade,
}

/// FSRS-4.5 default parameters (w0–w16).
pub const W: [f64; 17] = [
    0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461, 2.1072,
    0.0793, 0.3246, 1.587, 0.2272, 2.8755,
];
pub const DECAY: f64 = -0.5;
pub const FACTOR: f64 = 19.0 / 81.0;
/// Desired probability of recall at the due date.
pub const RETENTION: f64 = 0.9;

/// What the history says about one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    /// Days until recall probability falls to [`RETENTION`].
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    pub last: Timestamp,
    pub reviews: u32,
    pub lapses: u32,
    pub last_grade: Grade,
    /// When it should be reviewed again.
    pub due: Timestamp,
}

fn initial_difficulty(g: Grade) -> f64 {
    (W[4] - (g as i32 as f64 - 3.0) * W[5]).clamp(1.0, 10.0)
}

/// Probability of recall `days` after a review, for stability `s`.
pub fn retrievability(days: f64, s: f64) -> f64 {
    (1.0 + FACTOR * days.max(0.0) / s).powf(DECAY)
}

fn interval_days(s: f64) -> f64 {
    (s / FACTOR * (RETENTION.powf(1.0 / DECAY) - 1.0))
        .clamp(1.0, 36500.0)
        .round()
}

impl Memory {
    fn first(r: &Review) -> Memory {
        let s = W[r.grade as usize - 1];
        let mut m = Memory {
            stability: s,
            difficulty: initial_difficulty(r.grade),
            last: r.time,
            reviews: 1,
            lapses: u32::from(r.grade == Grade::Again),
            last_grade: r.grade,
            due: r.time,
        };
        m.set_due();
        m
    }

    fn next(&mut self, r: &Review) {
        let days = (r.time.as_second() - self.last.as_second()) as f64 / 86_400.0;
        let rr = retrievability(days, self.stability);
        let g = r.grade as i32 as f64;
        let d = self.difficulty - W[6] * (g - 3.0);
        self.difficulty =
            (W[7] * initial_difficulty(Grade::Good) + (1.0 - W[7]) * d).clamp(1.0, 10.0);
        self.stability = if r.grade == Grade::Again {
            self.lapses += 1;
            (W[11]
                * self.difficulty.powf(-W[12])
                * ((self.stability + 1.0).powf(W[13]) - 1.0)
                * (W[14] * (1.0 - rr)).exp())
            .min(self.stability)
        } else {
            let hard = if r.grade == Grade::Hard { W[15] } else { 1.0 };
            let easy = if r.grade == Grade::Easy { W[16] } else { 1.0 };
            self.stability
                * (1.0
                    + W[8].exp()
                        * (11.0 - self.difficulty)
                        * self.stability.powf(-W[9])
                        * ((W[10] * (1.0 - rr)).exp() - 1.0)
                        * hard
                        * easy)
        }
        .max(0.01);
        self.last = r.time;
        self.reviews += 1;
        self.last_grade = r.grade;
        self.set_due();
    }

    fn set_due(&mut self) {
        let days = interval_days(self.stability);
        self.due = Timestamp::from_second(self.last.as_second() + (days * 86_400.0) as i64)
            .unwrap_or(self.last);
    }

    /// Probability of recall now.
    pub fn recall_now(&self, now: Timestamp) -> f64 {
        retrievability(
            (now.as_second() - self.last.as_second()) as f64 / 86_400.0,
            self.stability,
        )
    }

    /// Whether the question is weak: forgotten or hard last time, or unlikely to be recalled now.
    pub fn weak(&self, now: Timestamp) -> bool {
        matches!(self.last_grade, Grade::Again | Grade::Hard) || self.recall_now(now) < 0.7
    }
}

/// The memory after a review graded `grade` at `time`, from `before` (`None`: the first).
pub fn after(before: Option<&Memory>, time: Timestamp, grade: Grade) -> Memory {
    let r = Review {
        time,
        question: String::new(),
        grade,
    };
    match before {
        Some(m) => {
            let mut m = *m;
            m.next(&r);
            m
        }
        None => Memory::first(&r),
    }
}

/// The memory of every reviewed question, from the union of all review logs.
pub fn schedule(reviews: &[Review]) -> HashMap<String, Memory> {
    let mut sorted: Vec<&Review> = reviews.iter().collect();
    sorted.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.question.cmp(&b.question))
    });
    let mut out: HashMap<String, Memory> = HashMap::new();
    for r in sorted {
        match out.get_mut(&r.question) {
            Some(m) => m.next(r),
            None => {
                out.insert(r.question.clone(), Memory::first(r));
            }
        }
    }
    out
}

/// Every review in the knowledge base's logs (unreadable lines become problems).
pub fn load(kb: &Kb) -> Result<(Vec<Review>, Vec<Problem>)> {
    let dir = kb.root().join(REVIEWS_DIR);
    let mut reviews = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok((reviews, problems));
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    for file in files {
        let text = crate::store::read_text(&file)?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let parsed = match cols.as_slice() {
                [t, q, g, ..] => time::parse_review(t, q, g),
                _ => None,
            };
            match parsed {
                Some(r) => reviews.push(r),
                None => problems.push(Problem {
                    path: crate::error::display_path(&file),
                    line: n + 1,
                    column: 1,
                    message: "not a review line (time<TAB>question<TAB>again|hard|good|easy)"
                        .into(),
                }),
            }
        }
    }
    Ok((reviews, problems))
}

mod time {
    use super::{Grade, Review};

    pub fn parse_review(t: &str, q: &str, g: &str) -> Option<Review> {
        let time = crate::time::parse(t)?;
        crate::id::validate(q.trim()).ok()?;
        Some(Review {
            time,
            question: q.trim().to_string(),
            grade: Grade::parse(g)?,
        })
    }
}

/// This clone's review log, `reviews/<machine>.tsv`; the machine name is made once per clone and
/// kept in the git directory (never committed), so two clones never append to the same file.
pub fn log_path(kb: &Kb) -> Result<(PathBuf, String)> {
    let id_file = kb.state().machine_id();
    let machine = match fs::read_to_string(&id_file) {
        Ok(s) if crate::id::validate(s.trim()).is_ok() => s.trim().to_string(),
        _ => {
            let host: String = fs::read_to_string("/etc/hostname")
                .ok()
                .or_else(|| crate::settings::get().host.clone())
                .unwrap_or_default()
                .trim()
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .take(24)
                .collect();
            let suffix = &crate::id::generate("m")[2..7];
            let name = if host.trim_matches('-').is_empty() {
                format!("m-{suffix}")
            } else {
                format!("{}-{suffix}", host.trim_matches('-'))
            };
            let dir = id_file.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(dir).at(dir)?;
            crate::store::write_atomic(&id_file, name.as_bytes())?;
            name
        }
    };
    let rel = format!("{REVIEWS_DIR}/{machine}.tsv");
    Ok((kb.root().join(&rel), rel))
}

/// Append reviews to this clone's log. Returns the path relative to the knowledge base.
pub fn appended(kb: &Kb, reviews: &[Review]) -> Result<(String, String)> {
    let (path, rel) = log_path(kb)?;
    let mut text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "# kb review log: time\tquestion\tgrade\n".to_string()
        }
        Err(e) => return Err(Error::Io { path, source: e }),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for r in reviews {
        text.push_str(&line(r));
    }
    Ok((rel, text))
}

/// One review as a line of a review log: `time<TAB>question<TAB>grade` and a newline.
pub fn line(r: &Review) -> String {
    format!(
        "{}\t{}\t{}\n",
        crate::time::format(r.time),
        r.question,
        r.grade.name()
    )
}

/// The reviews in `text` written by [`line`]; lines that are not one are passed over.
pub fn parse_lines(text: &str) -> Vec<Review> {
    text.lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            match cols.as_slice() {
                [t, q, g] => time::parse_review(t, q, g),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + day * 86_400).unwrap()
    }

    fn r(day: i64, g: Grade) -> Review {
        Review {
            time: at(day),
            question: "q-1".into(),
            grade: g,
        }
    }

    #[test]
    fn good_answers_space_reviews_out_and_forgetting_brings_them_back() {
        let m = schedule(&[r(0, Grade::Good)])["q-1"];
        assert!((m.stability - W[2]).abs() < 1e-9);
        let first_interval = m.due.as_second() - at(0).as_second();
        let m2 = schedule(&[r(0, Grade::Good), r(4, Grade::Good)])["q-1"];
        let second_interval = m2.due.as_second() - at(4).as_second();
        assert!(
            second_interval > first_interval * 2,
            "{first_interval} → {second_interval}"
        );
        let m3 = schedule(&[r(0, Grade::Good), r(4, Grade::Good), r(20, Grade::Again)])["q-1"];
        assert!(m3.stability < m2.stability);
        assert_eq!(m3.lapses, 1);
        assert!(m3.weak(at(20)));
        let easy = schedule(&[r(0, Grade::Easy)])["q-1"];
        assert!(easy.due > m.due && easy.difficulty < m.difficulty);
    }

    #[test]
    fn the_schedule_does_not_depend_on_which_file_a_review_came_from() {
        let a = vec![r(0, Grade::Good), r(10, Grade::Hard)];
        let b = vec![r(10, Grade::Hard), r(0, Grade::Good)];
        assert_eq!(schedule(&a)["q-1"], schedule(&b)["q-1"]);
    }
}
