//! A résumé as text (Markdown or plain): its project sections, each a name, the period / role /
//! team / summary lines under it, and its bullets.
//!
//! Three layouts are read the same way: Markdown headings over `-` bullets (`### 문서 OCR 경량화
//! (2023.03 – 2024.02)`), bold or numbered project lines over indented bullets
//! (`1. **Payment Gateway** | 2021.03 – 2022.01`), and plain text (`네오데이터 | 2021.03 – 2023.08`
//! then `• ` bullets). A heading or line with no bullets of its own (`## 프로젝트`, the name at the
//! top) is not a project; sections such as skills or education are skipped with what is under
//! them.

/// One project section of the résumé.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// The project's name as written (period and markup taken off).
    pub name: String,
    /// The line the section starts at (1-based) and its text as written, cleaned of markup.
    pub line: usize,
    pub header: String,
    pub period: Option<String>,
    pub role: Option<String>,
    pub team: Option<u32>,
    pub summary: Option<String>,
    pub bullets: Vec<Bullet>,
}

/// One bullet: what the résumé claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Bullet {
    /// 1-based line number in the file.
    pub line: usize,
    /// The bullet's text, markup removed, wrapped lines joined.
    pub text: String,
}

/// The first word of a heading (or line) whose section is not about projects. Korean words
/// match the word exactly (`교육` but not `교육 플랫폼 개발`, see [`skipped`]); English ones as
/// stems (`skill` for `Skills`).
const SKIPPED: &[&str] = &[
    "기술",
    "스킬",
    "skill",
    "tech",
    "stack",
    "학력",
    "education",
    "교육",
    "자격",
    "자격증",
    "certific",
    "수상",
    "award",
    "연락",
    "연락처",
    "contact",
    "자기소개",
    "소개",
    "about",
    "어학",
    "language",
    "관심",
    "관심사",
    "interest",
    "활동",
    "대외",
    "activit",
    "발표",
    "talk",
    "presentation",
    "오픈소스",
    "open",
    "논문",
    "publication",
    "특허",
    "patent",
    "봉사",
    "volunteer",
    "병역",
    "military",
    "취미",
    "hobb",
    "링크",
    "link",
    "reference",
    "수료",
    "training",
    "course",
    "요약",
    "summary",
    "경력요약",
];

/// Words that may follow a [`SKIPPED`] word in such a heading (`기술 스택`, `Skills & Tools`,
/// `오픈소스 기여`, `대외 활동`).
const SKIPPED_TAIL: &[&str] = &[
    "스택",
    "stack",
    "사항",
    "및",
    "경험",
    "요약",
    "기여",
    "활동",
    "내역",
    "목록",
    "tools",
    "and",
    "기술",
    "skills",
    "수상",
    "자격",
    "자격증",
    "어학",
    "학력",
    "교육",
    "기타",
    "발표",
    "논문",
    "정보",
    "info",
    "능력",
    "역량",
    "관련",
    "이력",
    "source",
    "contributions",
    "certificates",
    "certifications",
    "awards",
    "activities",
    "세미나",
    "스터디",
    "publications",
];

/// Bold labels inside a project that do not start another one.
const SUBLABELS: &[&str] = &[
    "성과",
    "주요 성과",
    "주요 업무",
    "담당 업무",
    "업무",
    "역할",
    "결과",
    "배운 점",
    "사용 기술",
    "기술 스택",
    "achievements",
    "responsibilities",
    "results",
    "key results",
    "tech stack",
    "stack",
];

/// The heading level of a [`title_line`]: below `######`.
const TITLE_LEVEL: usize = 7;

#[derive(Debug)]
enum Kind {
    Blank,
    Heading(usize),
    Bullet { indent: usize, numbered: bool },
    Text { indent: usize },
}

struct Line<'a> {
    no: usize,
    kind: Kind,
    /// Without the marker, trimmed.
    text: &'a str,
}

fn classify(no: usize, raw: &str) -> Line<'_> {
    let indent = raw.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let t = raw.trim();
    if t.is_empty() {
        return Line {
            no,
            kind: Kind::Blank,
            text: t,
        };
    }
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && hashes <= 6 && t[hashes..].starts_with(' ') {
        return Line {
            no,
            kind: Kind::Heading(hashes),
            text: t[hashes..].trim(),
        };
    }
    // A bold or bracketed title on a line of its own, not indented: a heading below every
    // Markdown one (a Notion export writes its projects so under `# 프로젝트`).
    if indent == 0
        && let Some(title) = title_line(t)
    {
        if SUBLABELS.contains(&title.to_lowercase().trim_end_matches(':')) {
            // `**주요 성과**` inside a project: its bullets stay the project's.
            return Line {
                no,
                kind: Kind::Blank,
                text: "",
            };
        }
        return Line {
            no,
            kind: Kind::Heading(TITLE_LEVEL),
            text: title,
        };
    }
    for m in [
        "- [ ] ", "- [x] ", "- ", "* ", "+ ", "• ", "· ", "▪ ", "◦ ", "– ", "○ ", "● ", "■ ",
    ] {
        if let Some(rest) = t.strip_prefix(m) {
            return Line {
                no,
                kind: Kind::Bullet {
                    indent,
                    numbered: false,
                },
                text: rest.trim(),
            };
        }
    }
    for bare in ["•", "·", "▪", "◦", "○", "●", "■"] {
        if let Some(rest) = t.strip_prefix(bare) {
            return Line {
                no,
                kind: Kind::Bullet {
                    indent,
                    numbered: false,
                },
                text: rest.trim(),
            };
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &t[digits..];
        for m in [". ", ") "] {
            if let Some(r) = rest.strip_prefix(m) {
                return Line {
                    no,
                    kind: Kind::Bullet {
                        indent,
                        numbered: true,
                    },
                    text: r.trim(),
                };
            }
        }
    }
    Line {
        no,
        kind: Kind::Text { indent },
        text: t,
    }
}

/// Markdown taken off: bold, italics, code, links (their text kept).
pub fn clean(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => {}
            '_' if out.is_empty()
                || out.ends_with(' ')
                || chars.peek().is_none_or(|n| *n == ' ') => {}
            '[' => {
                let mut label = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == ']' {
                        closed = true;
                        break;
                    }
                    label.push(n);
                }
                if closed && chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
                out.push_str(&label);
            }
            _ => out.push(c),
        }
    }
    crate::model::normalise_question(&out)
}

/// Whether `text` reads as a period: two dates (`2023.03 – 2024.02`, `2021.01 ~ 현재`) or one
/// year-month.
fn is_period(text: &str) -> bool {
    let t = text.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let year = t
        .split(|c: char| !c.is_ascii_digit())
        .any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")));
    let other = t
        .chars()
        .filter(|c| {
            !c.is_ascii_digit()
                && !" .-–—~/()→년월현재재직중상하반기분presentPresentNow".contains(*c)
        })
        .count();
    year && digits >= 4 && other <= 2
}

/// The period in `text`: a trailing `( … )` or `| …` part that reads as one. Returns the text
/// without it, and the period.
fn split_period(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    if let Some(open) = t.rfind(['(', '（']) {
        let inner = t[open..]
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）']);
        if is_period(inner) {
            return (t[..open].trim().to_string(), Some(inner.trim().to_string()));
        }
    }
    // Without brackets: the last words (`챗봇 검색 개선 2023.5~2024.1`, `… 2021.03 - 2022.01`).
    let words: Vec<&str> = t.split_whitespace().collect();
    for k in 0..words.len() {
        let tail = words[k..].join(" ");
        if is_period(&tail) && words[k].starts_with(|c: char| c.is_ascii_digit()) {
            return (words[..k].join(" "), Some(tail));
        }
    }
    (t.to_string(), None)
}

/// A team size in `text`: `4명`, `4인`, `team of 4`, `팀 4`.
fn team_size(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split([' ', ',', '·', '|', '/', '(', ')']).collect();
    for (i, w) in words.iter().enumerate() {
        for suffix in ["명", "인"] {
            if let Some(n) = w.strip_suffix(suffix)
                && let Ok(n) = n.parse::<u32>()
                && (1..=500).contains(&n)
                && (suffix == "명" || words.iter().any(|x| x.contains('팀')) || i > 0)
            {
                return Some(n);
            }
        }
        if *w == "of"
            && i > 0
            && words[i - 1] == "team"
            && let Some(n) = words.get(i + 1).and_then(|n| n.parse().ok())
        {
            return Some(n);
        }
    }
    None
}

const ROLE_WORDS: &[&str] = &[
    "engineer",
    "developer",
    "lead",
    "scientist",
    "architect",
    "manager",
    "엔지니어",
    "개발자",
    "개발",
    "리드",
    "담당",
    "역할",
    "role",
    "팀장",
    "연구원",
];

fn is_role(text: &str) -> bool {
    let lower = text.to_lowercase();
    text.chars().count() <= 60 && ROLE_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a heading's section is not about projects (skills, education, talks …): its first
/// word is one of [`SKIPPED`] and the others are [`SKIPPED_TAIL`] words, and it has no period
/// (a project's heading often has one: `교육 플랫폼 개발 (2021.01 – 2022.03)`). A last word
/// `요약` / `summary` (`경력 요약`) is enough.
fn skipped(title: &str) -> bool {
    if split_period(title).1.is_some() {
        return false;
    }
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some((first, rest)) = words.split_first() else {
        return false;
    };
    if words.len() <= 3 && matches!(words.last(), Some(&"요약") | Some(&"summary")) {
        return true;
    }
    let first_ok = SKIPPED.iter().any(|s| {
        if s.is_ascii() {
            first.starts_with(s)
        } else {
            first == s
        }
    });
    first_ok && rest.iter().all(|w| SKIPPED_TAIL.contains(w))
}

/// Labels in square brackets that open a project line without being its name
/// (`[프로젝트] 검색 랭킹 개선`).
const BRACKET_LABELS: &[&str] = &[
    "프로젝트",
    "project",
    "개인 프로젝트",
    "사이드 프로젝트",
    "팀 프로젝트",
    "회사 프로젝트",
    "사내 프로젝트",
    "side project",
    "toy",
    "토이 프로젝트",
];

/// A line that is a section title the way plain-text and Notion résumés write them: all bold
/// (`**불량 검출 모델 고도화**`), all in square brackets (`[기술]`, `【경력】`), or opened by a
/// bracketed project label (`[프로젝트] 검색 랭킹 개선 (2023.01 – 2023.12)`). Returns the title.
fn title_line(t: &str) -> Option<&str> {
    for (open, close) in [("**", "**"), ("__", "__")] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.trim().is_empty()
            && !inner.contains(open)
        {
            return Some(inner.trim());
        }
    }
    for (open, close) in [('[', ']'), ('【', '】')] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(end) = rest.find(close)
        {
            let label = rest[..end].trim();
            let after = rest[end + close.len_utf8()..].trim();
            if after.is_empty() && !label.is_empty() && label.chars().count() <= 30 {
                return Some(label);
            }
            if !after.is_empty()
                && !after.starts_with('(')
                && BRACKET_LABELS.contains(&label.to_lowercase().as_str())
            {
                return Some(after);
            }
        }
    }
    None
}

/// A header being built: the section it will be if bullets come.
struct Open {
    section: Section,
    /// Opened by a Markdown heading of this level (text lines after it are its details).
    heading: Option<usize>,
    /// Opened by a list item at this indent (its children are its bullets).
    item_indent: Option<usize>,
}

fn open_from(no: usize, text: &str) -> Section {
    let cleaned = clean(text);
    let mut name = cleaned.clone();
    let mut section = Section {
        line: no,
        header: cleaned.clone(),
        ..Section::default()
    };
    // `Project: X`, `프로젝트: X`
    for label in ["project:", "프로젝트:", "project :", "프로젝트 :"] {
        if name.to_lowercase().starts_with(label) {
            name = name[label.len()..].trim().to_string();
        }
    }
    // `이름 (2023.01 – 2023.12, 3명)`: the period with the team size or role beside it.
    if let Some(open) = name.rfind(['(', '（'])
        && name.ends_with([')', '）'])
    {
        let inner = name[open..]
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）'])
            .to_string();
        let pieces: Vec<&str> = inner.split([',', '·', '，']).map(str::trim).collect();
        if pieces.len() > 1 && pieces.iter().any(|p| is_period(p)) {
            for p in pieces {
                if is_period(p) {
                    section.period = Some(p.to_string());
                } else if let Some(n) = team_size(p) {
                    section.team = Some(n);
                } else if is_role(p) {
                    section.role = Some(p.to_string());
                }
            }
            name = name[..open].trim().to_string();
        }
    }
    // `회사 — 프로젝트 (기간)`: a short first part before a dash is the company, the project's
    // name follows it (the company goes into the summary).
    if !name.contains(['|', '｜'])
        && let Some((company, project)) = name.split_once(" — ")
    {
        let (project_name, _) = split_period(project);
        let short = company.split_whitespace().count() <= 2 && company.chars().count() <= 20;
        if short
            && !project_name.is_empty()
            && !is_period(&project_name)
            && !is_role(&project_name)
            && team_size(&project_name).is_none()
        {
            section.summary = Some(company.trim().to_string());
            name = project.trim().to_string();
        }
    }
    // `Name | Role | 2021.03 – 2022.01` (or ` — `, ` / `)
    let parts: Vec<String> = name
        .split(['|', '｜'])
        .flat_map(|p| p.split(" — "))
        .flat_map(|p| p.split(" / "))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let mut rest = Vec::new();
    let mut first = None;
    for p in parts {
        let (p, period) = split_period(&p);
        if let Some(period) = period {
            section.period = Some(period);
        }
        if p.is_empty() {
            continue;
        }
        if is_period(&p) {
            section.period = Some(p);
        } else if first.is_none() {
            first = Some(p);
        } else if section.role.is_none() && is_role(&p) {
            section.role = Some(p);
        } else if let Some(t) = team_size(&p) {
            section.team = Some(t);
        } else {
            rest.push(p);
        }
    }
    section.name = first.unwrap_or(cleaned);
    if !rest.is_empty() {
        let more = rest.join(" · ");
        section.summary = Some(match section.summary.take() {
            Some(company) => format!("{company} · {more}"),
            None => more,
        });
    }
    section
}

/// A line under a header, before its bullets: period, role, team or summary.
fn detail(section: &mut Section, text: &str) {
    let t = clean(text);
    let lower = t.to_lowercase();
    for label in ["기간:", "기간 :", "period:"] {
        if lower.starts_with(label) {
            section.period = Some(t[label.len()..].trim().to_string());
            return;
        }
    }
    for label in ["역할:", "역할 :", "role:", "담당:"] {
        if lower.starts_with(label) {
            section.role = Some(t[label.len()..].trim().to_string());
            return;
        }
    }
    let parts: Vec<&str> = t
        .split(['|', '｜', '·'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut rest = Vec::new();
    for p in parts {
        let (p2, period) = split_period(p);
        if period.is_some() {
            section.period = period;
        }
        if p2.is_empty() {
            continue;
        }
        if is_period(&p2) {
            section.period = Some(p2);
        } else if section.team.is_none()
            && let Some(n) = team_size(&p2)
        {
            section.team = Some(n);
        } else if section.role.is_none() && is_role(&p2) {
            section.role = Some(p2);
        } else {
            rest.push(p2);
        }
    }
    if !rest.is_empty() {
        let more = rest.join(" · ");
        section.summary = Some(match section.summary.take() {
            Some(s) => format!("{s} {more}"),
            None => more,
        });
    }
}

/// The project sections of a résumé, in order.
pub fn sections(text: &str) -> Vec<Section> {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| classify(i + 1, l))
        .collect();
    let mut out: Vec<Section> = Vec::new();
    let mut open: Option<Open> = None;
    // Inside a skipped heading's section: the heading level.
    let mut skipping: Option<usize> = None;
    // Text lines since the last blank line or bullet, when no header is waiting for details.
    let mut run: Vec<usize> = Vec::new();
    // A list level at which items are project headers.
    let mut header_items: Option<usize> = None;
    let mut last_bullet = false;

    let close = |open: &mut Option<Open>, out: &mut Vec<Section>| {
        if let Some(o) = open.take()
            && !o.section.bullets.is_empty()
        {
            out.push(o.section);
        }
    };

    for (i, l) in lines.iter().enumerate() {
        match l.kind {
            Kind::Heading(level) => {
                if skipping.is_some_and(|s| level > s) {
                    continue;
                }
                skipping = None;
                close(&mut open, &mut out);
                run.clear();
                header_items = None;
                last_bullet = false;
                if skipped(&clean(l.text)) {
                    skipping = Some(level);
                    continue;
                }
                open = Some(Open {
                    section: open_from(l.no, l.text),
                    heading: Some(level),
                    item_indent: None,
                });
            }
            _ if skipping.is_some() => {}
            Kind::Blank => {
                run.clear();
            }
            Kind::Text { indent } => {
                if last_bullet && indent > 0 {
                    // A bullet wrapped onto the next line.
                    if let Some(b) = open.as_mut().and_then(|o| o.section.bullets.last_mut()) {
                        b.text = format!("{} {}", b.text, clean(l.text));
                    }
                    continue;
                }
                last_bullet = false;
                let waiting = open.as_ref().is_some_and(|o| o.section.bullets.is_empty());
                if waiting
                    && run.is_empty()
                    && let Some(o) = open.as_mut()
                    && o.heading.is_some()
                {
                    if !skipped(&clean(l.text)) {
                        detail(&mut o.section, l.text);
                    }
                    continue;
                }
                if skipped(&clean(l.text)) && !l.text.contains('|') {
                    close(&mut open, &mut out);
                    run.clear();
                    continue;
                }
                run.push(i);
            }
            Kind::Bullet { indent, numbered } => {
                let text = clean(l.text);
                if !run.is_empty() {
                    // Plain text: the run of lines before the bullets is a header and its
                    // details. The header is the line with a period or `|`, else the first.
                    let texts: Vec<&str> = run.iter().map(|&j| lines[j].text).collect();
                    let head = texts
                        .iter()
                        .position(|t| t.contains('|') || split_period(&clean(t)).1.is_some())
                        .unwrap_or(0);
                    close(&mut open, &mut out);
                    let mut section = open_from(lines[run[head]].no, texts[head]);
                    for (k, t) in texts.iter().enumerate() {
                        if k != head {
                            detail(&mut section, t);
                        }
                    }
                    open = Some(Open {
                        section,
                        heading: None,
                        item_indent: None,
                    });
                    run.clear();
                    header_items = None;
                }
                let has_children = lines[i + 1..]
                    .iter()
                    .find(|n| !matches!(n.kind, Kind::Blank))
                    .is_some_and(
                        |n| matches!(n.kind, Kind::Bullet { indent: c, .. } if c > indent),
                    );
                let bold = l.text.starts_with("**");
                let item_header = has_children
                    && (header_items == Some(indent)
                        || bold
                        || split_period(&text).1.is_some()
                        || text.contains('|')
                        || (numbered
                            && open.as_ref().is_none_or(|o| o.section.bullets.is_empty())));
                let under_item = open
                    .as_ref()
                    .and_then(|o| o.item_indent)
                    .is_some_and(|d| indent > d);
                if item_header && !under_item {
                    close(&mut open, &mut out);
                    header_items = Some(indent);
                    open = Some(Open {
                        section: open_from(l.no, l.text),
                        heading: None,
                        item_indent: Some(indent),
                    });
                    last_bullet = false;
                    continue;
                }
                if header_items.is_some_and(|h| indent <= h) && !under_item {
                    // An item at the header level without bullets: not a project line.
                    last_bullet = false;
                    continue;
                }
                last_bullet = true;
                if text.is_empty() {
                    continue;
                }
                match open.as_mut() {
                    Some(o) => o.section.bullets.push(Bullet { line: l.no, text }),
                    None => {
                        // Bullets with nothing above them: not a project.
                    }
                }
            }
        }
    }
    close(&mut open, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_headings_with_period_and_role() {
        let s = sections(
            "# 김지훈\n\n## 프로젝트\n\n### 문서 OCR 경량화 (2023.03 – 2024.02)\nML Engineer · 4명\n\n- TensorRT 변환으로 p95 14초 → 5.8초\n- 라벨링 재구축\n\n## 기술 스택\n- Python\n",
        );
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].name, "문서 OCR 경량화");
        assert_eq!(s[0].period.as_deref(), Some("2023.03 – 2024.02"));
        assert_eq!(s[0].role.as_deref(), Some("ML Engineer"));
        assert_eq!(s[0].team, Some(4));
        assert_eq!(s[0].bullets.len(), 2);
        assert_eq!(s[0].bullets[0].line, 8);
    }

    #[test]
    fn numbered_bold_items_over_indented_bullets() {
        let s = sections(
            "## Projects\n1. **Payment Gateway** | Backend Lead | 2021.03 – 2022.01\n   - Kafka 도입\n   - p99 1.2s → 300ms\n2. **Search API**\n   - Redis 캐싱\n",
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].name, "Payment Gateway");
        assert_eq!(s[0].role.as_deref(), Some("Backend Lead"));
        assert_eq!(s[1].name, "Search API");
        assert_eq!(s[1].bullets[0].text, "Redis 캐싱");
    }

    #[test]
    fn plain_text_company_lines_and_dots() {
        let s = sections(
            "박서연\n데이터 엔지니어\n\n경력\n\n네오데이터 로그 플랫폼 | 2021.03 – 2023.08\n역할: 데이터 엔지니어\n• Spark 배치 재구축\n  (하루 2억 건)\n• 비용 40% 절감\n\n학력\n• 서울대\n",
        );
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].name, "네오데이터 로그 플랫폼");
        assert_eq!(s[0].role.as_deref(), Some("데이터 엔지니어"));
        assert_eq!(s[0].bullets[0].text, "Spark 배치 재구축 (하루 2억 건)");
    }
}
