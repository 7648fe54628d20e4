//! What companies really ask: the figures behind `kb stats`, counted from the index's columns
//! (no question file is opened) and the interview records.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use serde::Serialize;

use crate::error::Result;
use crate::index::{Occurrence, SearchIndex, Summary};
use crate::interview::Interview;

/// Which interviews count: at one company (compared without case), on or after a date.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub company: Option<String>,
    pub since: Option<Date>,
}

impl Filter {
    fn company_ok(&self, company: &str) -> bool {
        self.company
            .as_deref()
            .is_none_or(|w| crate::names::same_company(company, w))
    }

    fn date_ok(&self, date: Option<Date>) -> bool {
        self.since.is_none_or(|s| date.is_some_and(|d| d >= s))
    }

    fn counts(&self, a: &Occurrence) -> bool {
        self.company_ok(&a.company) && self.date_ok(a.date)
    }
}

/// The report. Totals cover the whole bank; the asked figures only what passes the filter.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub questions: usize,
    pub answered: usize,
    pub unanswered: usize,
    /// Interviews that pass the filter.
    pub interviews: usize,
    /// Times a question was asked, under the filter.
    pub asked: usize,
    /// The most asked, at most `limit`, most first (then by id).
    pub most_asked: Vec<Counted>,
    /// Every company, most asked first (then by name).
    pub companies: Vec<PerCompany>,
    /// Every tag, most asked first, then most questions, then by name.
    pub tags: Vec<PerTag>,
    /// Questions without an answer, most asked first (then by id), at most `limit`.
    pub unanswered_questions: Vec<Counted>,
    /// Per month (`YYYY-MM`), oldest first.
    pub months: Vec<Month>,
    /// Résumé lines (`kb project import`) none of whose questions has an answer, per project.
    pub resume_lines_unanswered: Vec<ResumeLine>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct ResumeLine {
    pub project: String,
    pub line: String,
    pub questions: usize,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Counted {
    pub id: String,
    pub question: String,
    pub asked: usize,
    pub answered: bool,
    /// Where it was asked, sorted, each once (shown in the table, not part of the JSON).
    #[serde(skip)]
    pub companies: Vec<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct PerCompany {
    pub company: String,
    pub interviews: usize,
    pub asked: usize,
    /// Distinct questions asked there.
    pub questions: usize,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct PerTag {
    pub tag: String,
    pub questions: usize,
    pub asked: usize,
    pub unanswered: usize,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Month {
    pub month: String,
    pub interviews: usize,
    pub asked: usize,
}

/// Count `index` and `interviews` under `filter`; `limit` bounds the two question lists.
pub fn stats(
    index: &SearchIndex,
    interviews: &[Interview],
    filter: &Filter,
    limit: usize,
) -> Result<Stats> {
    #[derive(Default)]
    struct TagCount {
        questions: usize,
        asked: usize,
        unanswered: usize,
    }
    // Totals and per-tag figures are counted while the index is walked; only the questions
    // that were asked (under the filter) are copied out, plus the first `limit` ids of the
    // unanswered ones never asked, which is all the "without an answer" list can show.
    let (mut total, mut answered) = (0usize, 0usize);
    let mut per_tag: HashMap<String, TagCount> = HashMap::new();
    let mut quiet_unanswered: BTreeSet<String> = BTreeSet::new();
    let questions = index.summaries_where(|q| {
        total += 1;
        answered += usize::from(q.answered);
        let n = q.asked.iter().filter(|a| filter.counts(a)).count();
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
        if q.answered || limit == 0 {
            return false;
        }
        if quiet_unanswered.len() < limit {
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
    let interviews: Vec<&Interview> = interviews
        .iter()
        .filter(|iv| filter.company_ok(&iv.company) && filter.date_ok(iv.date))
        .collect();

    // Occurrences that pass the filter, per question.
    let counted: Vec<(&Summary, Vec<&Occurrence>)> = questions
        .iter()
        .map(|q| (q, q.asked.iter().filter(|a| filter.counts(a)).collect()))
        .collect();
    let occurrences: usize = counted.iter().map(|(_, a)| a.len()).sum();
    let row = |(q, asked): &(&Summary, Vec<&Occurrence>)| {
        let mut companies: Vec<String> = asked.iter().map(|a| a.company.clone()).collect();
        companies.sort();
        companies.dedup();
        Counted {
            id: q.id.clone(),
            question: q.question.clone(),
            asked: asked.len(),
            answered: q.answered,
            companies,
        }
    };
    let most_first = |a: &&(&Summary, Vec<&Occurrence>), b: &&(&Summary, Vec<&Occurrence>)| {
        b.1.len().cmp(&a.1.len()).then(a.0.id.cmp(&b.0.id))
    };

    let mut most: Vec<&(&Summary, Vec<&Occurrence>)> =
        counted.iter().filter(|(_, a)| !a.is_empty()).collect();
    most.sort_by(most_first);
    // Most asked first, then by id: the never-asked ones kept above are exactly the first
    // `limit` of their kind in this order.
    let mut unanswered: Vec<&(&Summary, Vec<&Occurrence>)> =
        counted.iter().filter(|(q, _)| !q.answered).collect();
    unanswered.sort_by(most_first);

    #[derive(Default)]
    struct CompanyCount {
        interviews: usize,
        asked: usize,
        /// Positions in `counted`: a set of numbers is cheaper to fill than one of ids.
        questions: BTreeSet<usize>,
        name: String,
    }
    let mut per_company: BTreeMap<String, CompanyCount> = BTreeMap::new();
    for iv in &interviews {
        let e = per_company
            .entry(crate::names::company_identity(&iv.company))
            .or_default();
        e.interviews += 1;
        e.name = iv.company.clone();
    }
    for (i, (_, asked)) in counted.iter().enumerate() {
        for a in asked {
            let e = per_company
                .entry(crate::names::company_identity(&a.company))
                .or_default();
            e.asked += 1;
            e.questions.insert(i);
            if e.name.is_empty() {
                e.name = a.company.clone();
            }
        }
    }
    let mut companies: Vec<PerCompany> = per_company
        .into_values()
        .map(|c| PerCompany {
            company: c.name,
            interviews: c.interviews,
            asked: c.asked,
            questions: c.questions.len(),
        })
        .collect();
    companies.sort_by(|a, b| b.asked.cmp(&a.asked).then(a.company.cmp(&b.company)));

    let mut tags: Vec<PerTag> = per_tag
        .into_iter()
        .map(|(tag, c)| PerTag {
            tag,
            questions: c.questions,
            asked: c.asked,
            unanswered: c.unanswered,
        })
        .collect();
    tags.sort_by(|a, b| {
        b.asked
            .cmp(&a.asked)
            .then(b.questions.cmp(&a.questions))
            .then(a.tag.cmp(&b.tag))
    });

    let mut months: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for iv in &interviews {
        if let Some(d) = iv.date {
            months.entry(d.strftime("%Y-%m").to_string()).or_default().0 += 1;
        }
    }
    for (_, asked) in &counted {
        for d in asked.iter().filter_map(|a| a.date) {
            months.entry(d.strftime("%Y-%m").to_string()).or_default().1 += 1;
        }
    }

    // A line is covered once one of its questions has an answer.
    let mut lines: Vec<ResumeLine> = Vec::new();
    let mut covered: Vec<(String, String)> = Vec::new();
    for (project, line, answered) in index.resume_lines()? {
        if answered {
            covered.push((project, line));
            continue;
        }
        match lines.last_mut() {
            Some(l) if l.project == project && l.line == line => l.questions += 1,
            _ => lines.push(ResumeLine {
                project,
                line,
                questions: 1,
            }),
        }
    }
    lines.retain(|l| !covered.iter().any(|(p, c)| *p == l.project && *c == l.line));
    Ok(Stats {
        resume_lines_unanswered: lines,
        questions: total,
        answered,
        unanswered: total - answered,
        interviews: interviews.len(),
        asked: occurrences,
        most_asked: most.into_iter().take(limit).map(row).collect(),
        companies,
        tags,
        unanswered_questions: unanswered.into_iter().take(limit).map(row).collect(),
        months: months
            .into_iter()
            .map(|(month, (interviews, asked))| Month {
                month,
                interviews,
                asked,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asked, Question};

    fn asked(company: &str, date: &str) -> Asked {
        Asked {
            company: company.to_string(),
            round: None,
            date: Some(date.parse().unwrap()),
            interview: None,
            note: None,
            extra: Default::default(),
        }
    }

    fn bank() -> (SearchIndex, Vec<Interview>) {
        let mut bn = Question::new("q-bn".into(), "배치 정규화의 효과는?");
        bn.tags = vec!["ml".into()];
        bn.asked = vec![asked("카카오", "2026-10-02"), asked("Naver", "2026-11-20")];
        let mut tcp = Question::new("q-tcp".into(), "TCP와 UDP의 차이는?");
        tcp.tags = vec!["network".into()];
        tcp.answer = "신뢰성과 속도".into();
        tcp.asked = vec![asked("kakao", "2026-11-21")];
        let quiet = Question::new("q-vm".into(), "가상 메모리란?");
        let index = SearchIndex::in_memory(
            &[bn, tcp, quiet],
            crate::analysis::analyzer::Options::SHIPPED,
        )
        .unwrap();
        let mut kakao = Interview::new("i-1".into(), "카카오");
        kakao.date = Some("2026-10-02".parse().unwrap());
        let mut naver = Interview::new("i-2".into(), "Naver");
        naver.date = Some("2026-11-20".parse().unwrap());
        (index, vec![kakao, naver])
    }

    #[test]
    fn counts_the_whole_bank_and_orders_most_asked_first() {
        let (index, interviews) = bank();
        let s = stats(&index, &interviews, &Filter::default(), 10).unwrap();
        assert_eq!((s.questions, s.answered, s.unanswered), (3, 1, 2));
        assert_eq!((s.interviews, s.asked), (2, 3));
        let most: Vec<(&str, usize)> = s
            .most_asked
            .iter()
            .map(|c| (c.id.as_str(), c.asked))
            .collect();
        assert_eq!(most, [("q-bn", 2), ("q-tcp", 1)]);
        assert_eq!(s.most_asked[0].companies, ["Naver", "카카오"]);
        // Never asked, no answer: still listed, after the asked ones.
        let open: Vec<&str> = s
            .unanswered_questions
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(open, ["q-bn", "q-vm"]);
        let months: Vec<(&str, usize, usize)> = s
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.interviews, m.asked))
            .collect();
        assert_eq!(months, [("2026-10", 1, 1), ("2026-11", 1, 2)]);
    }

    #[test]
    fn the_filter_counts_only_matching_interviews_and_occurrences() {
        let (index, interviews) = bank();
        let filter = Filter {
            company: Some("카카오".into()),
            since: Some("2026-10-01".parse().unwrap()),
        };
        let s = stats(&index, &interviews, &filter, 10).unwrap();
        // `kakao` is one of 카카오's names (see `crate::names`): its occurrence counts too.
        assert_eq!((s.questions, s.interviews, s.asked), (3, 1, 2));
        assert_eq!(s.companies.len(), 1);
        assert_eq!(
            s.companies[0],
            PerCompany {
                company: "카카오".into(),
                interviews: 1,
                asked: 2,
                questions: 2
            }
        );
        // Company names are compared without case.
        let s = stats(
            &index,
            &interviews,
            &Filter {
                company: Some("NAVER".into()),
                since: None,
            },
            10,
        )
        .unwrap();
        assert_eq!(s.asked, 1);
        assert_eq!(s.tags[0].tag, "ml", "the tag asked at Naver comes first");
    }

    #[test]
    fn the_limit_bounds_the_question_lists_but_not_companies_or_tags() {
        let (index, interviews) = bank();
        let s = stats(&index, &interviews, &Filter::default(), 1).unwrap();
        assert_eq!(s.most_asked.len(), 1);
        assert_eq!(s.unanswered_questions.len(), 1);
        assert_eq!(s.tags.len(), 2);
        assert_eq!(
            s.companies.len(),
            2,
            "카카오 (also written kakao) and Naver"
        );
        let s = stats(&index, &interviews, &Filter::default(), 0).unwrap();
        assert!(s.most_asked.is_empty() && s.unanswered_questions.is_empty());
    }
}
