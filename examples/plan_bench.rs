//! How long `kb plan` takes to work out a plan, by bank size, days and room per day — the
//! planning alone (`kb::ops::plan::plan`), on review histories drawn at random (seeded, so every
//! run plans the same). Prints a Markdown table; bench/plan.sh runs it.
//!
//! cargo run --release --example plan_bench [-- QUESTIONS:DAYS:PER_DAY ...]

use std::time::Instant;

use jiff::Timestamp;
use kb::ops::plan::{Item, plan};
use kb::review::{Grade, Memory, after};

const DAY: i64 = 86_400;

/// A small xorshift: the histories only need to be varied and the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` questions: a third never reviewed, the rest with one to six reviews over the last 90 days.
fn items(n: usize, now: Timestamp, rng: &mut Rng) -> Vec<Item> {
    (0..n)
        .map(|q| {
            let reviews = if q % 3 == 0 { 0 } else { 1 + rng.below(6) };
            let mut days: Vec<i64> = (0..reviews).map(|_| 1 + rng.below(90) as i64).collect();
            days.sort_unstable_by(|a, b| b.cmp(a));
            let mut memory: Option<Memory> = None;
            for d in days {
                let grade = match rng.below(10) {
                    0 => Grade::Again,
                    1 | 2 => Grade::Hard,
                    3 => Grade::Easy,
                    _ => Grade::Good,
                };
                let t = Timestamp::from_second(now.as_second() - d * DAY).expect("a time");
                memory = Some(after(memory.as_ref(), t, grade));
            }
            Item {
                id: format!("q{q:06}"),
                memory,
                done_today: false,
            }
        })
        .collect()
}

fn main() {
    let cases: Vec<(usize, usize, usize)> = {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.is_empty() {
            vec![
                (150, 7, 20),
                (150, 30, 20),
                (1_000, 14, 100),
                (1_000, 30, 50),
                (10_000, 14, 1_000),
                (10_000, 60, 300),
            ]
        } else {
            args.iter()
                .map(|a| {
                    let v: Vec<usize> = a
                        .split(':')
                        .map(|x| x.parse().expect("QUESTIONS:DAYS:PER_DAY"))
                        .collect();
                    assert_eq!(v.len(), 3, "QUESTIONS:DAYS:PER_DAY");
                    (v[0], v[1], v[2])
                })
                .collect()
        }
    };
    let now = Timestamp::from_second(1_790_000_000).expect("a time");
    println!(
        "| questions | days | per day | reviews planned | recall on the day (without → with) | time |"
    );
    println!("|---:|---:|---:|---:|---|---:|");
    for (n, days, per_day) in cases {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ n as u64);
        let items = items(n, now, &mut rng);
        let dates: Vec<String> = (0..days).map(|k| format!("day {k}")).collect();
        let start = Instant::now();
        let p = plan(&items, now, days, per_day, &dates, "the day");
        let took = start.elapsed();
        let planned: usize = p.days.iter().map(|d| d.questions.len()).sum();
        println!(
            "| {n} | {days} | {per_day} | {planned} | {:.3} → {:.3} | {:.1} ms |",
            p.recall_without,
            p.recall_with_plan,
            took.as_secs_f64() * 1000.0
        );
    }
}
