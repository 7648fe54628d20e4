//! `kb plan` and `kb drill --until`: the reviews to do each day until an interview, so that
//! every question in scope is reviewed at least once before it and the predicted recall on the
//! day is as high as the days allow.
//!
//! The plan is not stored: it is worked out again from the review history on every run, so a
//! day skipped, a review done elsewhere, or a sync only changes what comes next. Each planned
//! review is assumed to go as a "good" one (the common case; a worse grade is caught by the next
//! run). The search is greedy: first every question gets one review, as early as the days'
//! room allows (the least known first); then the room left goes, one review at a time, to
//! whichever question another review raises the predicted recall on the day of most.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::review::{Grade, Memory, retrievability};

const DAY: i64 = 86_400;

/// A question to plan: its id and what the history says of it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub memory: Option<Memory>,
    /// Already reviewed today: that counts as its review, and takes a place of today's.
    pub done_today: bool,
}

/// One day of the plan.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Day {
    /// `2026-12-03`.
    pub date: String,
    /// The questions to review that day, in the order to take them.
    pub questions: Vec<String>,
    /// Of them, never reviewed before (their first review).
    pub new: usize,
}

/// The plan to the day.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub until: String,
    pub per_day: usize,
    /// When the questions would not fit in `per_day` a day, the number used instead.
    pub raised_from: Option<usize>,
    pub days: Vec<Day>,
    /// Mean predicted recall of the questions on the day, with the plan and without it.
    pub recall_with_plan: f64,
    pub recall_without: f64,
    /// Questions in scope already reviewed today (counted in today's load, not listed).
    pub done_today: usize,
}

/// A review that could be planned, in the heap of step 2: the largest gain first, and among
/// equal gains the first question, then the first day.
struct Choice {
    gain: f64,
    i: usize,
    k: usize,
}

impl Ord for Choice {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.i.cmp(&self.i))
            .then_with(|| other.k.cmp(&self.k))
    }
}
impl PartialOrd for Choice {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Choice {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Choice {}

/// Predicted recall at `at` after `memory` and then good reviews at `reviews` (in time order).
fn recall_at(memory: Option<&Memory>, reviews: &[Timestamp], at: Timestamp) -> f64 {
    let mut m = memory.copied();
    for &t in reviews {
        m = Some(crate::review::after(m.as_ref(), t, Grade::Good));
    }
    match m {
        Some(m) => retrievability(
            (at.as_second() - m.last.as_second()) as f64 / DAY as f64,
            m.stability,
        ),
        None => 0.0,
    }
}

/// Plan `items` over the days from `today` (the first, a review at `now`) to the day before
/// `until` (the interview), at most `per_day` a day — raised when every question would not
/// otherwise get its review. `dates[k]` names day k.
pub fn plan(
    items: &[Item],
    now: Timestamp,
    days: usize,
    per_day: usize,
    dates: &[String],
    until: &str,
) -> Plan {
    let days = days.max(1);
    let needed = items.len().div_ceil(days);
    let (per_day, raised_from) = if per_day < needed {
        (needed, Some(per_day))
    } else {
        (per_day, None)
    };
    // The interview is at the start of day `days`; day k's reviews at `now + k days`.
    let at = Timestamp::from_second(now.as_second() + days as i64 * DAY).unwrap_or(now);
    let time = |k: usize| Timestamp::from_second(now.as_second() + k as i64 * DAY).unwrap_or(now);
    let mut planned: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut load = vec![0usize; days];
    let done_today = items.iter().filter(|i| i.done_today).count();
    load[0] = done_today.min(per_day);
    let current: Vec<f64> = items
        .iter()
        .map(|i| recall_at(i.memory.as_ref(), &[], at))
        .collect();
    let gain = |i: usize, k: usize, planned: &[Vec<usize>], now_recall: f64| {
        let mut ks = planned[i].clone();
        ks.push(k);
        ks.sort_unstable();
        let ts: Vec<Timestamp> = ks.iter().map(|&k| time(k)).collect();
        recall_at(items[i].memory.as_ref(), &ts, at) - now_recall
    };
    // 1. One review each, as early as there is room, the least known first: a question is
    //    learnt first and reviewed nearer the day, as people prepare (a first review the day
    //    before would only look good because the plan assumes it goes well).
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        current[a]
            .total_cmp(&current[b])
            .then_with(|| items[a].id.cmp(&items[b].id))
    });
    let mut recall = current.clone();
    for &i in order.iter().filter(|&&i| !items[i].done_today) {
        if let Some(k) = (0..days).find(|&k| load[k] < per_day) {
            let g = gain(i, k, &planned, recall[i]);
            planned[i].push(k);
            load[k] += 1;
            recall[i] += g;
        }
    }
    // 2. The room left, a review at a time, where it raises recall on the day most. Another
    //    review of one question changes no other question's gains, and a day filling up only
    //    takes choices away, so each question's best open day is kept in a heap and worked out
    //    again only when it was planned or its best day filled (lazy greedy: the same choices
    //    as trying every question on every day each time, which took 17 s for 10,000
    //    questions over 14 days; bench/plan.sh).
    let best_for = |i: usize, planned: &[Vec<usize>], load: &[usize], recall: f64| {
        let mut best: Option<(usize, f64)> = None;
        for k in (0..days).filter(|&k| {
            load[k] < per_day && !planned[i].contains(&k) && !(k == 0 && items[i].done_today)
        }) {
            let g = gain(i, k, planned, recall);
            if best.is_none_or(|(_, b)| g > b) {
                best = Some((k, g));
            }
        }
        best
    };
    let mut heap = std::collections::BinaryHeap::new();
    if load.iter().any(|&l| l < per_day) {
        for (i, &r) in recall.iter().enumerate() {
            if let Some((k, g)) = best_for(i, &planned, &load, r) {
                heap.push(Choice { gain: g, i, k });
            }
        }
    }
    while let Some(Choice { gain: g, i, k }) = heap.pop() {
        if g <= 0.005 {
            break;
        }
        if load[k] < per_day {
            planned[i].push(k);
            planned[i].sort_unstable();
            load[k] += 1;
            recall[i] += g;
        }
        // Planned, or its day is full: its next best.
        if let Some((k, g)) = best_for(i, &planned, &load, recall[i]) {
            heap.push(Choice { gain: g, i, k });
        }
    }
    let mut by_day: Vec<Vec<usize>> = vec![Vec::new(); days];
    for (i, ks) in planned.iter().enumerate() {
        for &k in ks {
            by_day[k].push(i);
        }
    }
    let n = items.len().max(1) as f64;
    Plan {
        until: until.to_string(),
        per_day,
        raised_from,
        days: by_day
            .into_iter()
            .enumerate()
            .map(|(k, mut is)| {
                // The least known first within a day.
                is.sort_by(|&a, &b| current[a].total_cmp(&current[b]).then(a.cmp(&b)));
                Day {
                    date: dates.get(k).cloned().unwrap_or_default(),
                    new: is
                        .iter()
                        .filter(|&&i| items[i].memory.is_none() && planned[i].first() == Some(&k))
                        .count(),
                    questions: is.iter().map(|&i| items[i].id.clone()).collect(),
                }
            })
            .collect(),
        recall_with_plan: recall.iter().sum::<f64>() / n,
        recall_without: current.iter().sum::<f64>() / n,
        done_today,
    }
}

/// The plan for the questions `filter` picks from `index`, from `now` to `until` (the
/// interview's date), given the review history's `memory`.
pub fn for_bank(
    index: &crate::index::SearchIndex,
    filter: &crate::ops::drill::Filter,
    memory: &HashMap<String, Memory>,
    now: Timestamp,
    until: jiff::civil::Date,
    per_day: usize,
) -> crate::error::Result<Plan> {
    let today = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let days = today.until(until).map(|s| s.get_days()).unwrap_or(0);
    if days > 366 {
        return Err(crate::error::Error::Query(format!(
            "{until} is more than a year away: plan to a nearer day"
        )));
    }
    if days <= 0 {
        return Err(crate::error::Error::Query(format!(
            "{until} is not after today ({today}): plan to a day still to come"
        )));
    }
    let pool = filter.pool(index)?;
    let ids: Vec<String> = pool.iter().map(|q| q.id.clone()).collect();
    let dates: Vec<String> = (0..days)
        .map(|k| {
            today
                .checked_add(jiff::Span::new().days(k))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    let start = jiff::tz::TimeZone::UTC
        .to_timestamp(today.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(now);
    let mut items = items(&ids, memory);
    for i in &mut items {
        i.done_today = i.memory.is_some_and(|m| m.last >= start);
    }
    Ok(plan(
        &items,
        now,
        days as usize,
        per_day,
        &dates,
        &until.to_string(),
    ))
}

/// The items of `ids`, with their memory from `memory`.
pub fn items(ids: &[String], memory: &HashMap<String, Memory>) -> Vec<Item> {
    ids.iter()
        .map(|id| Item {
            id: id.clone(),
            memory: memory.get(id).copied(),
            done_today: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(day: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + day * DAY).unwrap()
    }

    fn dates(n: usize) -> Vec<String> {
        (0..n).map(|k| format!("day{k}")).collect()
    }

    proptest! {
        /// Every question is planned, before the day, and no day holds more than the plan's
        /// per-day (raised only when the questions would not fit otherwise).
        #[test]
        fn every_question_is_planned_before_the_day(
            histories in prop::collection::vec(prop::collection::vec((0i64..60, 1u8..=4), 0..4), 0..40),
            days in 1usize..12,
            per_day in 0usize..15,
        ) {
            let items: Vec<Item> = histories.iter().enumerate().map(|(n, h)| {
                let mut m: Option<Memory> = None;
                let mut times: Vec<i64> = h.iter().map(|(d, _)| -*d).collect();
                times.sort();
                for (t, (_, g)) in times.iter().zip(h) {
                    let grade = Grade::parse(&g.to_string()).unwrap();
                    m = Some(crate::review::after(m.as_ref(), at(*t), grade));
                }
                Item { id: format!("q{n:02}"), memory: m, done_today: n % 5 == 0 && m.is_some() }
            }).collect();
            let plan = plan(&items, at(0), days, per_day, &dates(days), "day");
            prop_assert_eq!(plan.days.len(), days);
            for item in &items {
                prop_assert!(item.done_today || plan.days.iter().any(|d| d.questions.contains(&item.id)), "{} not planned", item.id);
            }
            for d in &plan.days {
                prop_assert!(d.questions.len() <= plan.per_day);
                prop_assert!(plan.days[0].questions.len() + plan.done_today.min(plan.per_day) <= plan.per_day);
                let mut unique = d.questions.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(unique.len(), d.questions.len(), "twice in a day");
            }
            prop_assert!(plan.per_day >= per_day);
            if plan.raised_from.is_some() {
                prop_assert_eq!(plan.per_day, items.len().div_ceil(days));
            }
            prop_assert!(plan.recall_with_plan + 1e-9 >= plan.recall_without);
        }
    }

    /// Step 2 as first written: every question on every open day, each time (the heap must
    /// choose the same).
    fn exhaustive(items: &[Item], now: Timestamp, days: usize, per_day: usize) -> f64 {
        let first = plan(items, now, days, per_day, &dates(days), "day");
        let per_day = first.per_day;
        let at = Timestamp::from_second(now.as_second() + days as i64 * DAY).unwrap();
        let time = |k: usize| Timestamp::from_second(now.as_second() + k as i64 * DAY).unwrap();
        // Step 1's placements: the first day each question has in the plan.
        let mut planned: Vec<Vec<usize>> = items
            .iter()
            .map(|i| {
                first
                    .days
                    .iter()
                    .position(|d| d.questions.contains(&i.id))
                    .into_iter()
                    .collect()
            })
            .collect();
        let mut load = vec![0usize; days];
        load[0] = first.done_today.min(per_day);
        for ks in &planned {
            for &k in ks {
                load[k] += 1;
            }
        }
        let recall = |i: usize, ks: &[usize]| {
            let ts: Vec<Timestamp> = ks.iter().map(|&k| time(k)).collect();
            recall_at(items[i].memory.as_ref(), &ts, at)
        };
        loop {
            let mut best: Option<(usize, usize, f64)> = None;
            for i in 0..items.len() {
                for k in (0..days).filter(|&k| {
                    load[k] < per_day
                        && !planned[i].contains(&k)
                        && !(k == 0 && items[i].done_today)
                }) {
                    let mut ks = planned[i].clone();
                    ks.push(k);
                    ks.sort_unstable();
                    let g = recall(i, &ks) - recall(i, &planned[i]);
                    if best.is_none_or(|(_, _, b)| g > b) {
                        best = Some((i, k, g));
                    }
                }
            }
            match best {
                Some((i, k, g)) if g > 0.005 => {
                    planned[i].push(k);
                    planned[i].sort_unstable();
                    load[k] += 1;
                }
                _ => break,
            }
        }
        (0..items.len())
            .map(|i| recall(i, &planned[i]))
            .sum::<f64>()
            / items.len().max(1) as f64
    }

    proptest! {
        #[test]
        fn the_heap_plans_as_well_as_trying_everything(
            histories in prop::collection::vec(prop::collection::vec((0i64..60, 1u8..=4), 0..4), 0..25),
            days in 1usize..10,
            per_day in 0usize..8,
        ) {
            let items: Vec<Item> = histories.iter().enumerate().map(|(n, h)| {
                let mut m: Option<Memory> = None;
                let mut times: Vec<i64> = h.iter().map(|(d, _)| -*d).collect();
                times.sort();
                for (t, (_, g)) in times.iter().zip(h) {
                    let grade = Grade::parse(&g.to_string()).unwrap();
                    m = Some(crate::review::after(m.as_ref(), at(*t), grade));
                }
                Item { id: format!("q{n:02}"), memory: m, done_today: false }
            }).collect();
            let p = plan(&items, at(0), days, per_day, &dates(days), "day");
            let reference = exhaustive(&items, at(0), days, per_day);
            prop_assert!((p.recall_with_plan - reference).abs() < 1e-9, "heap {} vs all {}", p.recall_with_plan, reference);
        }
    }

    #[test]
    fn new_questions_are_learnt_first_and_reviewed_near_the_day() {
        let items: Vec<Item> = (0..3)
            .map(|n| Item {
                id: format!("q{n}"),
                memory: None,
                done_today: false,
            })
            .collect();
        // Room for all on the first day: they are learnt then, and reviewed again later.
        let p = plan(&items, at(0), 5, 10, &dates(5), "day");
        assert_eq!(p.days[0].questions.len(), 3, "{p:?}");
        assert_eq!(p.days[0].new, 3);
        for q in &items {
            let last = p
                .days
                .iter()
                .rposition(|d| d.questions.contains(&q.id))
                .unwrap();
            assert!(last >= 3, "{} is reviewed again near the day: {p:?}", q.id);
        }
        assert!(p.recall_with_plan > 0.9, "{}", p.recall_with_plan);
        // With room for one a day, the first reviews take the first days.
        let p = plan(&items, at(0), 5, 1, &dates(5), "day");
        let new: Vec<usize> = p.days.iter().map(|d| d.new).collect();
        assert_eq!(new, [1, 1, 1, 0, 0], "{p:?}");
    }
}
