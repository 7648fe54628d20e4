//! One Markdown file → the questions in it, with every line of the file accounted for.
//!
//! The file is read with pulldown-cmark (the block structure and each block's byte range), so
//! code blocks, setext headings, nested lists and HTML blocks are what CommonMark says they
//! are. The blocks are arranged into a tree of sections by their headings, and each section
//! becomes one of:
//!
//! - a **question**: a heading phrased as a question (`### TCP와 UDP의 차이는?`), or any heading
//!   right under a number-only anchor heading (`## #12`). Its answer is the whole section; a
//!   sub-heading that is itself a question that stands alone is split off as its own question.
//! - a **topic**: a heading that names a subject (`## 프로세스와 스레드의 차이`, `# Kruskal
//!   Algorithm`). Its answer is the whole section with its sub-headings, code, tables and
//!   images. A section is a topic unless most of its sub-sections are subjects of their own
//!   (see [`is_area`]).
//! - an **area**: a heading whose sub-sections are subjects of their own (`# Operating System`
//!   over `## 프로세스 스케줄링`, `## 가상 메모리`). Its sub-sections are read the same way; its
//!   own text (before the first sub-heading) becomes a question named by the heading, unless
//!   it holds question units: `<details><summary>` blocks, bold question lines with their
//!   answer, or lists of questions (with indented follow-ups).
//!
//! **Context rule.** A question or topic that does not name its subject (`왜 쓰나요?`, `다시
//! 정리해보면?`, `장점`, `Solve1`: no word but question words, verbs and aspect words such as
//! 장점, 구현, 예제) is never a card on its own. Inside a topic it stays in the topic's answer;
//! where it would become a question (under an area, in a question list) it is prefixed with the
//! nearest heading above it: `DeadLock: 왜 쓰나요?`.
//!
//! **Skipped kinds.** Tables of contents (a `목차`/`Contents` section, a list of nothing but
//! links), navigation (`[⬆ 목차로](#목차)`, `[뒤로]`, link-only headings), boilerplate (`작성자`,
//! `Contributors`, `HOW TO CONTRIBUTE`, `License` sections), reference lists (`References`,
//! `참고`, `출처` sections, and short credit notes such as `> 질문 중 일부는 [X](…)를
//! 참고하였습니다`), badges (paragraphs of images only: avatars, shields), front matter and HTML
//! comments. Every other line belongs to exactly one question — as its question or in its
//! answer — or is a heading that became the tag of the questions under it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What a skipped line was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipKind {
    Toc,
    Navigation,
    Boilerplate,
    References,
    Badges,
    FrontMatter,
    Comment,
}

impl SkipKind {
    pub const ALL: [SkipKind; 7] = [
        SkipKind::Toc,
        SkipKind::Navigation,
        SkipKind::Boilerplate,
        SkipKind::References,
        SkipKind::Badges,
        SkipKind::FrontMatter,
        SkipKind::Comment,
    ];

    /// The name used in summaries and `--json` (`skipped.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            SkipKind::Toc => "table of contents",
            SkipKind::Navigation => "navigation",
            SkipKind::Boilerplate => "boilerplate",
            SkipKind::References => "references",
            SkipKind::Badges => "badges",
            SkipKind::FrontMatter => "front matter",
            SkipKind::Comment => "comments",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SkipKind::Toc => "toc",
            SkipKind::Navigation => "navigation",
            SkipKind::Boilerplate => "boilerplate",
            SkipKind::References => "references",
            SkipKind::Badges => "badges",
            SkipKind::FrontMatter => "front_matter",
            SkipKind::Comment => "comments",
        }
    }
}

/// Who holds a line of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Nothing has claimed it (a bug in the rules if it holds text: reported as unplaced).
    None,
    Unit(usize),
    Skip(SkipKind),
    /// A heading that names the area the questions below it belong to (their tag and context).
    Heading,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A heading, bold line, list item or `<details>` summary phrased as a question.
    Question,
    /// A heading that names a subject, with its whole section.
    Topic,
    /// An area's own text, under the area's heading.
    Section,
}

impl UnitKind {
    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Question => "question",
            UnitKind::Topic => "topic",
            UnitKind::Section => "section",
        }
    }
}

/// A question found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub question: String,
    pub answer: String,
    /// 1-based line of the question.
    pub line: usize,
    /// GitHub's anchor of the heading the question is (or sits under); empty above any heading.
    pub anchor: String,
    /// The titles of the headings around it, outermost first (not its own).
    pub path: Vec<String>,
    pub kind: UnitKind,
    /// An indented list item under another question.
    pub follow_up: bool,
    /// For a follow-up, the unit (an index into the same list) it is indented under.
    pub parent: Option<usize>,
    question_lines: Vec<usize>,
    dedent: bool,
    details: bool,
    /// The lines of its section (0-based, inclusive), for topics and sections.
    span: (usize, usize),
}

/// The questions of one file and where each of its lines went.
#[derive(Debug, Default)]
pub struct Extracted {
    pub units: Vec<Unit>,
    /// Per line (0-based).
    pub owners: Vec<Owner>,
    /// Per line: whether it holds text (a letter once inline markup is stripped; fence lines
    /// and blank lines do not).
    pub content: Vec<bool>,
    /// The whole file is one topic.
    pub single_topic: bool,
}

impl Extracted {
    pub fn content_lines(&self) -> usize {
        self.content.iter().filter(|c| **c).count()
    }

    /// Content lines in a question (or a heading that became a tag).
    pub fn kept_lines(&self) -> usize {
        self.count(|o| matches!(o, Owner::Unit(_) | Owner::Heading))
    }

    pub fn lines_of(&self, unit: usize) -> usize {
        self.count(|o| o == Owner::Unit(unit))
    }

    /// Content lines skipped, by kind.
    pub fn skipped(&self) -> BTreeMap<SkipKind, usize> {
        let mut out = BTreeMap::new();
        for (o, c) in self.owners.iter().zip(&self.content) {
            if let (Owner::Skip(k), true) = (o, c) {
                *out.entry(*k).or_default() += 1;
            }
        }
        out
    }

    /// 1-based numbers of content lines that went nowhere.
    pub fn unplaced(&self) -> Vec<usize> {
        (0..self.owners.len())
            .filter(|i| self.content[*i] && self.owners[*i] == Owner::None)
            .map(|i| i + 1)
            .collect()
    }

    fn count(&self, f: impl Fn(Owner) -> bool) -> usize {
        self.owners
            .iter()
            .zip(&self.content)
            .filter(|(o, c)| **c && f(**o))
            .count()
    }
}

// ---------------------------------------------------------------------------------------------
// Blocks

#[derive(Debug)]
struct Item {
    start: usize,
    end: usize,
    /// Plain text of the item's first paragraph.
    text: String,
    /// Nesting depth: 0 for the list's own items.
    depth: usize,
    links_only: bool,
    /// Where its links go.
    links: Vec<String>,
}

#[derive(Debug)]
enum Kind {
    Heading {
        level: usize,
        title: String,
        link_only: bool,
    },
    List {
        items: Vec<Item>,
    },
    Para {
        text: String,
        images_only: bool,
        links: Vec<String>,
        links_only: bool,
    },
    Quote {
        text: String,
        links: usize,
    },
    Html {
        raw: String,
    },
    Details {
        summary: String,
        summary_line: usize,
    },
    Meta,
    Code,
    Other,
}

#[derive(Debug)]
struct Block {
    kind: Kind,
    /// 0-based first and last line.
    start: usize,
    end: usize,
}

struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    fn of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
    fn span(&self, r: &Range<usize>) -> (usize, usize) {
        let start = self.of(r.start);
        let end = self.of(r.end.saturating_sub(1).max(r.start));
        (start, end)
    }
}

/// Inline text gathered for one paragraph or list item.
#[derive(Default)]
struct Inline {
    text: String,
    outside_images: bool,
    outside_links: bool,
    images: usize,
    image_urls: Vec<String>,
    links: Vec<String>,
    image: usize,
    link: usize,
}

impl Inline {
    fn push(&mut self, t: &str) {
        self.text.push_str(t);
        if t.trim().is_empty() {
            return;
        }
        if self.image == 0 {
            self.outside_images = true;
        }
        if self.link == 0 && self.image == 0 {
            self.outside_links = true;
        }
    }
    fn event(&mut self, e: &Event) -> bool {
        match e {
            Event::Text(t) | Event::Code(t) => self.push(t),
            Event::InlineHtml(h) => {
                let h = h.to_ascii_lowercase();
                if h.starts_with("<img") {
                    self.images += 1;
                } else if h.starts_with("<br") {
                    self.text.push(' ');
                }
            }
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image += 1;
                self.images += 1;
                self.image_urls.push(dest_url.to_string());
            }
            Event::End(TagEnd::Image) => self.image = self.image.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link += 1;
                self.links.push(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => self.link = self.link.saturating_sub(1),
            _ => return false,
        }
        true
    }
}

fn parse_blocks(text: &str, lines: &Lines) -> Vec<Block> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(Kind, Range<usize>)> = None;
    let mut inline = Inline::default();
    // Inside a list: the items being read (index into `items`), by nesting.
    let mut items: Vec<Item> = Vec::new();
    let mut item_stack: Vec<(usize, bool)> = Vec::new(); // (index, first paragraph done)
    let mut list_depth = 0usize;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        if depth == 0 {
            if let Event::Start(tag) = &event {
                let kind = match tag {
                    Tag::Heading { level, .. } => Kind::Heading {
                        level: *level as usize,
                        title: String::new(),
                        link_only: false,
                    },
                    Tag::List(_) => Kind::List { items: Vec::new() },
                    Tag::Paragraph => Kind::Para {
                        text: String::new(),
                        images_only: false,
                        links: Vec::new(),
                        links_only: false,
                    },
                    Tag::BlockQuote(_) => Kind::Quote {
                        text: String::new(),
                        links: 0,
                    },
                    Tag::HtmlBlock => Kind::Html {
                        raw: text[range.clone()].to_string(),
                    },
                    Tag::MetadataBlock(_) => Kind::Meta,
                    Tag::CodeBlock(_) => Kind::Code,
                    _ => Kind::Other,
                };
                current = Some((kind, range.clone()));
                inline = Inline::default();
                items.clear();
                item_stack.clear();
                list_depth = 0;
                depth = 1;
                if matches!(current, Some((Kind::List { .. }, _))) {
                    list_depth = 1;
                }
                continue;
            }
            if let Event::Rule = event {
                let (start, end) = lines.span(&range);
                blocks.push(Block {
                    kind: Kind::Other,
                    start,
                    end,
                });
            }
            if let Event::Html(h) = &event {
                let (start, end) = lines.span(&range);
                blocks.push(Block {
                    kind: Kind::Html { raw: h.to_string() },
                    start,
                    end,
                });
            }
            continue;
        }
        // Inside a top-level block.
        let is_list = matches!(current, Some((Kind::List { .. }, _)));
        match &event {
            Event::Start(Tag::Item) if is_list => {
                let (start, end) = lines.span(&range);
                items.push(Item {
                    start,
                    end,
                    text: String::new(),
                    depth: list_depth.saturating_sub(1),
                    links_only: false,
                    links: Vec::new(),
                });
                item_stack.push((items.len() - 1, false));
                inline = Inline::default();
            }
            Event::End(TagEnd::Item) if is_list => {
                finish_item(&mut items, &mut item_stack, &inline);
                item_stack.pop();
                inline = Inline::default();
            }
            Event::Start(Tag::List(_)) if is_list => {
                // A nested list ends the parent item's first paragraph.
                finish_item(&mut items, &mut item_stack, &inline);
                inline = Inline::default();
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) if is_list && depth > 1 => list_depth -= 1,
            Event::End(TagEnd::Paragraph) if is_list => {
                finish_item(&mut items, &mut item_stack, &inline);
                inline = Inline::default();
            }
            Event::Html(h) => {
                if let Some((Kind::Html { raw }, _)) = &mut current
                    && raw.is_empty()
                {
                    raw.push_str(h);
                }
            }
            e => {
                inline.event(e);
            }
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            let (mut kind, range) = current.take().expect("a block is open");
            let (start, end) = lines.span(&range);
            match &mut kind {
                Kind::Heading {
                    title, link_only, ..
                } => {
                    *title = heading_title(&inline.text);
                    *link_only = !inline.links.is_empty() && !inline.outside_links
                        || title.is_empty() && !inline.links.is_empty();
                }
                Kind::List { items: out } => *out = std::mem::take(&mut items),
                Kind::Para {
                    text: t,
                    images_only,
                    links,
                    links_only,
                } => {
                    *t = normalise(&inline.text);
                    // Only badges and avatars: a figure (`![그림](./img/a.png)`, a formula
                    // rendered as an image) is part of the answer.
                    *images_only = inline.images > 0
                        && !inline.outside_images
                        && inline.image_urls.iter().all(|u| is_badge_url(u))
                        && inline.image_urls.len() == inline.images;
                    *links_only = !inline.links.is_empty() && !inline.outside_links;
                    *links = std::mem::take(&mut inline.links);
                }
                Kind::Quote { text: t, links } => {
                    *t = normalise(&inline.text);
                    *links = inline.links.len();
                }
                _ => {}
            }
            blocks.push(Block { kind, start, end });
        }
    }
    group_details(text, blocks)
}

fn finish_item(items: &mut [Item], stack: &mut [(usize, bool)], inline: &Inline) {
    if let Some((i, done)) = stack.last_mut()
        && !*done
    {
        *done = true;
        items[*i].text = normalise(&inline.text);
        items[*i].links_only = !inline.links.is_empty() && !inline.outside_links;
        items[*i].links = inline.links.clone();
    }
}

fn normalise(text: &str) -> String {
    crate::model::normalise_question(text)
}

/// `<details>` … `</details>` joined into one block, found by line (CommonMark ends an HTML
/// block at a blank line, and one HTML block can close one `<details>` and open the next).
fn group_details(text: &str, blocks: Vec<Block>) -> Vec<Block> {
    let all: Vec<&str> = text.split('\n').collect();
    let mut code = vec![false; all.len()];
    for b in &blocks {
        if matches!(b.kind, Kind::Code) {
            for c in &mut code[b.start..=b.end.min(all.len() - 1)] {
                *c = true;
            }
        }
    }
    // (first line, last line, summary, summary line)
    let mut found: Vec<(usize, usize, String, usize)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let lower = all[i].to_ascii_lowercase();
        if code[i] || !lower.trim_start().starts_with("<details") {
            i += 1;
            continue;
        }
        let mut depth = 0i32;
        let mut end = None;
        for (j, line) in all.iter().enumerate().skip(i) {
            if code[j] {
                continue;
            }
            let l = line.to_ascii_lowercase();
            depth += l.matches("<details").count() as i32;
            depth -= l.matches("</details>").count() as i32;
            if depth <= 0 {
                end = Some(j);
                break;
            }
        }
        let Some(end) = end else {
            i += 1;
            continue;
        };
        let joined = all[i..=end].join("\n");
        match summary_of(&joined) {
            Some(summary) => {
                let offset = joined[..joined.find("<summary").unwrap_or(0)]
                    .matches('\n')
                    .count();
                found.push((i, end, summary, i + offset));
                i = end + 1;
            }
            None => i += 1,
        }
    }
    if found.is_empty() {
        return blocks;
    }
    let inside = |line: usize| found.iter().any(|(s, e, _, _)| (*s..=*e).contains(&line));
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for mut b in blocks {
        // Trim a block to the lines outside every details range; drop it if none are left.
        while b.start <= b.end && inside(b.start) {
            b.start += 1;
        }
        while b.end >= b.start && inside(b.end) {
            if b.end == 0 {
                break;
            }
            b.end -= 1;
        }
        if b.start > b.end || inside(b.start) {
            continue;
        }
        out.push(b);
    }
    for (start, end, summary, summary_line) in found {
        out.push(Block {
            kind: Kind::Details {
                summary,
                summary_line,
            },
            start,
            end,
        });
    }
    out.sort_by_key(|b| b.start);
    out
}

fn summary_of(block: &str) -> Option<String> {
    let open = block.find("<summary")?;
    let start = open + block[open..].find('>')? + 1;
    let end = start + block[start..].find("</summary>")?;
    let s = clean_inline(&block[start..end]);
    (!s.is_empty()).then_some(s)
}

// ---------------------------------------------------------------------------------------------
// Sections

#[derive(Debug, Default)]
struct Node {
    /// Index of the heading block (none for the file itself).
    heading: Option<usize>,
    level: usize,
    body: Vec<usize>,
    children: Vec<Node>,
    start: usize,
    end: usize,
}

fn build_tree(blocks: &[Block], total_lines: usize) -> Node {
    // A first heading with no text of its own before the next heading is the file's title,
    // also when the author wrote the sections below it at the same level
    // (`## **Dangling Pointer**`, `## 작성자`, `## Dangling Pointer ?`).
    let first = blocks
        .iter()
        .position(|b| matches!(b.kind, Kind::Heading { .. }));
    let mut title_level = None;
    if let Some(f) = first {
        let bare = blocks
            .get(f + 1)
            .is_none_or(|b| matches!(b.kind, Kind::Heading { .. }));
        let level = heading_level(&blocks[f]);
        let alone = !blocks[f + 1..]
            .iter()
            .any(|b| matches!(b.kind, Kind::Heading { level: l, .. } if l <= level));
        if alone || bare {
            title_level = Some((f, level));
        }
    }
    let effective = |i: usize, b: &Block| -> usize {
        let level = heading_level(b) * 2;
        match title_level {
            Some((f, l)) if i > f && level <= l * 2 => l * 2 + 1,
            _ => level,
        }
    };
    let mut root = Node {
        start: 0,
        end: total_lines.saturating_sub(1),
        ..Node::default()
    };
    let mut stack: Vec<Node> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if matches!(b.kind, Kind::Heading { .. }) {
            let level = effective(i, b);
            while stack.last().is_some_and(|n| n.level >= level) {
                let mut done = stack.pop().expect("checked");
                done.end = b.start.saturating_sub(1).max(done.start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root.children.push(done),
                }
            }
            stack.push(Node {
                heading: Some(i),
                level,
                start: b.start,
                end: b.end,
                ..Node::default()
            });
        } else {
            match stack.last_mut() {
                Some(n) => n.body.push(i),
                None => root.body.push(i),
            }
        }
    }
    while let Some(mut done) = stack.pop() {
        done.end = root.end;
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => root.children.push(done),
        }
    }
    root
}

fn heading_level(b: &Block) -> usize {
    match b.kind {
        Kind::Heading { level, .. } => level,
        _ => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the tree

struct Walker<'a> {
    lines: Vec<&'a str>,
    blocks: Vec<Block>,
    owners: Vec<Owner>,
    units: Vec<Unit>,
    slugs: HashMap<usize, String>,
    stem_title: String,
}

#[derive(Clone, Default)]
struct Context {
    /// Titles of the headings around, outermost first.
    path: Vec<String>,
    anchor: String,
    /// In a section of questions (`질의응답`, `면접 질문`): every list item is a question.
    questions: bool,
}

impl Context {
    fn title<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.path.last().map_or(fallback, |s| s.as_str())
    }
    fn under(&self, title: &str, anchor: &str) -> Context {
        let mut c = self.clone();
        if !title.is_empty() {
            c.path.push(title.to_string());
        }
        c.anchor = anchor.to_string();
        c
    }
}

/// Read one Markdown text.
pub fn extract(text: &str, file_stem: &str) -> Extracted {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines_index = Lines::new(&text);
    // Front matter (`---` … `---` on the first line) is blanked out for the parser, keeping
    // every offset, and skipped as its own kind.
    let front = front_matter(&text);
    let parsed = match front {
        Some(end) => {
            let cut = lines_index
                .starts
                .get(end + 1)
                .copied()
                .unwrap_or(text.len());
            let blank: String = text[..cut]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            format!("{blank}{}", &text[cut..])
        }
        None => text.clone(),
    };
    let mut blocks = parse_blocks(&parsed, &lines_index);
    if let Some(end) = front {
        blocks.insert(
            0,
            Block {
                kind: Kind::Meta,
                start: 0,
                end,
            },
        );
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let content: Vec<bool> = lines.iter().map(|l| is_content(l)).collect();
    let tree = build_tree(&blocks, lines.len());

    // GitHub's heading anchors, numbered as GitHub numbers repeats.
    let mut slugs = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, b) in blocks.iter().enumerate() {
        if let Kind::Heading { title, .. } = &b.kind {
            let base = slug(title);
            let n = seen.entry(base.clone()).or_default();
            let s = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            slugs.insert(i, s);
        }
    }

    let mut w = Walker {
        owners: vec![Owner::None; lines.len()],
        lines,
        blocks,
        units: Vec::new(),
        slugs,
        stem_title: humanise(file_stem),
    };
    let mut out = Extracted::default();
    let root_ctx = Context::default();
    w.area(&tree, &root_ctx, false);
    out.single_topic =
        w.units.len() == 1 && w.units[0].kind == UnitKind::Topic && w.units[0].path.is_empty();
    w.finish();
    out.units = w.units;
    out.owners = w.owners;
    out.content = content;
    out
}

impl<'a> Walker<'a> {
    fn title_of(&self, n: &Node) -> &str {
        match n.heading.map(|h| &self.blocks[h].kind) {
            Some(Kind::Heading { title, .. }) => title,
            _ => "",
        }
    }

    fn slug_of(&self, n: &Node) -> String {
        n.heading
            .and_then(|h| self.slugs.get(&h).cloned())
            .unwrap_or_default()
    }

    fn assign(&mut self, start: usize, end: usize, owner: Owner) {
        for o in &mut self.owners[start..=end.min(self.lines.len() - 1)] {
            *o = owner;
        }
    }

    fn is_blank_block(&self, b: usize) -> bool {
        let b = &self.blocks[b];
        (b.start..=b.end).all(|l| !is_content(self.lines[l]))
    }

    /// A block that is not content: a table of contents, navigation, badges, a credit note,
    /// front matter, an HTML comment.
    fn is_noise_block(&self, b: usize) -> Option<SkipKind> {
        match &self.blocks[b].kind {
            Kind::List { items } => {
                let top: Vec<&Item> = items.iter().filter(|i| i.depth == 0).collect();
                let links = items.iter().filter(|i| i.links_only).count();
                if top.is_empty() || links * 5 < items.len() * 4 {
                    return None;
                }
                // Links into the notes are a table of contents; links out, a reference list.
                let outside = items
                    .iter()
                    .flat_map(|i| &i.links)
                    .filter(|l| l.contains("://"))
                    .count();
                let all = items.iter().map(|i| i.links.len()).sum::<usize>();
                Some(if outside * 2 > all {
                    SkipKind::References
                } else {
                    SkipKind::Toc
                })
            }
            Kind::Para {
                text,
                images_only,
                links,
                links_only,
                ..
            } => {
                if *images_only {
                    return Some(SkipKind::Badges);
                }
                if *links_only
                    && (links.iter().all(|l| l.starts_with('#')) || is_navigation_text(text))
                {
                    return Some(SkipKind::Navigation);
                }
                if *links_only && links.iter().all(|l| is_note_link(l)) {
                    return Some(SkipKind::Toc);
                }
                if !links.is_empty() && is_byline(text) {
                    return Some(SkipKind::Boilerplate);
                }
                if !links.is_empty() && is_credit(text) {
                    return Some(SkipKind::References);
                }
                None
            }
            Kind::Quote { text, links } if *links > 0 && is_byline(text) => {
                Some(SkipKind::Boilerplate)
            }
            Kind::Quote { text, links } => {
                (*links > 0 && is_credit(text)).then_some(SkipKind::References)
            }
            Kind::Html { raw } => {
                let t = raw.trim_start();
                if t.starts_with("<!--") {
                    Some(SkipKind::Comment)
                } else if t.to_ascii_lowercase().contains("<img")
                    && !crate::text::strip_inline(t)
                        .chars()
                        .any(char::is_alphanumeric)
                    && html_sources(t).iter().all(|u| is_badge_url(u))
                {
                    Some(SkipKind::Badges)
                } else {
                    None
                }
            }
            Kind::Details { summary, .. } => section_kind(summary),
            Kind::Meta => Some(SkipKind::FrontMatter),
            _ => None,
        }
    }

    /// A heading whose whole section is skipped, and as what.
    fn skip_heading(&self, n: &Node) -> Option<SkipKind> {
        let h = n.heading?;
        let Kind::Heading {
            title, link_only, ..
        } = &self.blocks[h].kind
        else {
            return None;
        };
        if *link_only
            && n.body
                .iter()
                .all(|b| self.is_blank_block(*b) || self.is_noise_block(*b).is_some())
            && n.children.is_empty()
        {
            return Some(SkipKind::Navigation);
        }
        section_kind(title)
    }

    /// A node that is only a number (`## #12`): its sub-headings are questions.
    fn is_anchor(&self, n: &Node) -> bool {
        n.heading.is_some() && is_anchor_title(self.title_of(n))
    }

    fn area(&mut self, n: &Node, ctx: &Context, forced: bool) {
        let title = self.title_of(n).to_string();
        let inner = if n.heading.is_some() {
            ctx.under(&title, &self.slug_of(n))
        } else {
            ctx.clone()
        };
        let inner = Context {
            questions: (inner.questions || is_questions_title(&title)) && !is_prose_title(&title),
            ..inner
        };
        if let Some(h) = n.heading {
            let b = &self.blocks[h];
            self.assign(b.start, b.end, Owner::Heading);
        }
        self.area_body(n, &inner, &title, true);
        for c in &n.children {
            self.node(c, &inner, forced);
        }
    }

    fn node(&mut self, n: &Node, ctx: &Context, forced: bool) {
        if let Some(kind) = self.skip_heading(n) {
            self.assign(n.start, n.end, Owner::Skip(kind));
            return;
        }
        let title = self.title_of(n).to_string();
        if self.is_anchor(n) {
            // `## #12`: a number only. Whatever heading follows is the question.
            let h = n.heading.expect("anchor");
            let b = &self.blocks[h];
            self.assign(b.start, b.end, Owner::Heading);
            let t = ctx.title(&self.stem_title).to_string();
            self.area_body(n, ctx, &t, false);
            for c in &n.children {
                self.node(c, ctx, true);
            }
            return;
        }
        if title.is_empty() {
            // A heading of links or icons only, with text under it: its text is read as part
            // of the area above.
            let h = n.heading.expect("heading");
            let b = &self.blocks[h];
            self.assign(b.start, b.end, Owner::Skip(SkipKind::Navigation));
            let t = ctx.title(&self.stem_title).to_string();
            self.area_body(n, ctx, &t, false);
            for c in &n.children {
                self.node(c, ctx, forced);
            }
            return;
        }
        if is_questions_title(&title) && !forced {
            self.area(n, ctx, false);
            return;
        }
        if forced || looks_like_question(&title) {
            self.unit(n, ctx, UnitKind::Question);
        } else if self.holds_questions(n, ctx.questions) || self.is_area(n) {
            self.area(n, ctx, false);
        } else {
            self.unit(n, ctx, UnitKind::Topic);
        }
    }

    /// Whether the text of `n` itself (before any sub-heading) holds question units: a list of
    /// questions, `<details>` questions, bold question lines.
    fn holds_questions(&self, n: &Node, questions: bool) -> bool {
        if is_prose_title(self.title_of(n)) {
            return false;
        }
        let mut units = 0;
        for &b in &n.body {
            match &self.blocks[b].kind {
                Kind::Details { summary, .. } if section_kind(summary).is_none() => units += 1,
                Kind::Para { .. } if self.bold_at(b).is_some() => units += 1,
                Kind::List { .. } if self.is_question_list(b, questions) => return true,
                _ => {}
            }
        }
        // One bold question under a subject heading is that topic's opening line.
        units >= 2
    }

    /// Whether most sub-sections of `n` are subjects of their own rather than aspects of its
    /// subject. A sub-section is an aspect when it repeats a word of the title (`Kruskal
    /// Algorithm의 흐름` under `Kruskal Algorithm`, `가상 메모리란?` under `가상 메모리`) or does
    /// not name a subject at all (`구현`, `장점`, `Solve1`, `왜 쓰나요?`).
    fn is_area(&self, n: &Node) -> bool {
        let title = self.title_of(n);
        if n.children.iter().any(|c| self.is_anchor(c)) {
            return true;
        }
        let children: Vec<&Node> = n
            .children
            .iter()
            .filter(|c| {
                self.skip_heading(c).is_none() && !self.is_anchor(c) && !self.title_of(c).is_empty()
            })
            .collect();
        if children.is_empty() {
            return false;
        }
        let parent = terms(title);
        let aspects = children
            .iter()
            .filter(|c| {
                let t = self.title_of(c);
                let own = terms(t);
                own.is_empty() || shares(&parent, &own)
            })
            .count();
        let subjects = children.len() - aspects;
        // Sub-headings that are questions of their own (`## TCP와 UDP의 차이는?` under `# 네트워크`)
        // split their section at any length: that is a list of questions with answers.
        let questions = children
            .iter()
            .filter(|c| {
                let t = self.title_of(c);
                let own = terms(t);
                looks_like_question(t) && !own.is_empty() && !shares(&parent, &own)
            })
            .count();
        // A short section of subjects is one card: splitting 20 lines into three cards leaves
        // none of them an answer.
        let lines = (n.start..=n.end.min(self.lines.len() - 1))
            .filter(|l| is_content(self.lines[*l]))
            .count();
        subjects >= 2 && aspects < subjects && (lines > SPLIT_LINES || questions * 2 >= subjects)
    }

    fn new_unit(&mut self, question: &str, line: usize, ctx: &Context, kind: UnitKind) -> usize {
        let question = if needs_context(question) {
            format!("{}: {}", ctx.title(&self.stem_title), question)
        } else {
            question.to_string()
        };
        self.units.push(Unit {
            question,
            answer: String::new(),
            line: line + 1,
            anchor: ctx.anchor.clone(),
            path: ctx.path.clone(),
            kind,
            follow_up: false,
            parent: None,
            question_lines: Vec::new(),
            dedent: false,
            details: false,
            span: (line, line),
        });
        self.units.len() - 1
    }

    /// A question or topic holding its whole section.
    fn unit(&mut self, n: &Node, ctx: &Context, kind: UnitKind) {
        let title = self.title_of(n).to_string();
        let h = n.heading.expect("a unit has a heading");
        let (hs, he) = (self.blocks[h].start, self.blocks[h].end);
        let mut own = ctx.clone();
        own.anchor = self.slug_of(n);
        let named = if kind == UnitKind::Topic {
            strip_numbering(&title)
        } else {
            title.clone()
        };
        let u = self.new_unit(&named, hs, &own, kind);
        self.units[u].span = (n.start, n.end);
        self.units[u].question_lines = (hs..=he).collect();
        self.assign(n.start, n.end, Owner::Unit(u));
        let inner = ctx.under(&title, &own.anchor);
        self.carve(n, &inner, kind);
    }

    /// Inside a unit: skipped blocks and sections, and the sections that are questions of
    /// their own, are taken out.
    fn carve(&mut self, n: &Node, ctx: &Context, kind: UnitKind) {
        for &b in &n.body {
            if let Some(k) = self.is_noise_block(b) {
                let (s, e) = (self.blocks[b].start, self.blocks[b].end);
                self.assign(s, e, Owner::Skip(k));
            }
        }
        for c in &n.children {
            if let Some(k) = self.skip_heading(c) {
                self.assign(c.start, c.end, Owner::Skip(k));
                continue;
            }
            let title = self.title_of(c).to_string();
            if is_questions_title(&title) {
                self.area(c, ctx, false);
                continue;
            }
            if kind == UnitKind::Question && looks_like_question(&title) && !needs_context(&title) {
                self.node(c, ctx, false);
                continue;
            }
            let inner = ctx.under(&title, &self.slug_of(c));
            self.carve(c, &inner, kind);
        }
    }

    /// The text of an area before its first sub-heading: question units, and the rest as the
    /// area's own question.
    fn area_body(&mut self, n: &Node, ctx: &Context, title: &str, own_heading: bool) {
        let mut open: Option<usize> = None;
        let mut loose: Vec<usize> = Vec::new();
        let units_before = self.units.len();
        for &b in &n.body {
            if let Some(k) = self.is_noise_block(b) {
                let (s, e) = (self.blocks[b].start, self.blocks[b].end);
                self.assign(s, e, Owner::Skip(k));
                continue;
            }
            let (s, e) = (self.blocks[b].start, self.blocks[b].end);
            match &self.blocks[b].kind {
                Kind::Details {
                    summary,
                    summary_line,
                } => {
                    let (summary, line) = (summary.clone(), *summary_line);
                    let u = self.new_unit(&summary, line, ctx, UnitKind::Question);
                    self.units[u].details = true;
                    self.units[u].question_lines = vec![line];
                    self.assign(s, e, Owner::Unit(u));
                    open = None;
                    continue;
                }
                Kind::Para { .. } if self.bold_at(b).is_some() => {
                    let text = self.bold_at(b).expect("checked");
                    let u = self.new_unit(&text, s, ctx, UnitKind::Question);
                    self.units[u].question_lines = vec![s];
                    self.assign(s, e, Owner::Unit(u));
                    open = Some(u);
                    continue;
                }
                Kind::List { items }
                    if !is_prose_title(title) && self.is_question_list(b, ctx.questions) =>
                {
                    let single = items.iter().filter(|i| i.depth == 0).count() == 1;
                    let before = self.units.len();
                    self.question_list(b, ctx, &mut loose);
                    // One question as a list item, with its answer below it (a code block, a
                    // paragraph): read like a bold question line.
                    open = (single && self.units.len() > before).then_some(before);
                    continue;
                }
                _ => {}
            }
            match open {
                Some(u) => self.assign(s, e, Owner::Unit(u)),
                None => loose.push(b),
            }
        }
        // Over a list of questions, a line in italics only is a note to the reader (`_질문에 대한
        // 답을 말해보며 … 클릭하면 답변 내용을 확인할 수 있습니다._`), not a card of its own.
        if self.units.len() > units_before
            && !loose.is_empty()
            && loose
                .iter()
                .all(|b| self.is_blank_block(*b) || self.is_italic_note(*b))
        {
            for &b in &loose {
                let (s, e) = (self.blocks[b].start, self.blocks[b].end);
                self.assign(s, e, Owner::Skip(SkipKind::Boilerplate));
            }
            loose.clear();
        }
        let holds_text = loose.iter().any(|b| !self.is_blank_block(*b));
        if holds_text {
            let first = self.blocks[loose[0]].start;
            let (line, heading) = match n.heading {
                Some(h) if own_heading => (self.blocks[h].start, Some(h)),
                _ => (first, None),
            };
            let mut outer = ctx.clone();
            if heading.is_some() {
                outer.path.pop();
            }
            let name = if title.is_empty() {
                self.stem_title.clone()
            } else {
                title.to_string()
            };
            let u = self.new_unit(&name, line, &outer, UnitKind::Section);
            self.units[u].span = (line, n.end);
            if let Some(h) = heading {
                let (hs, he) = (self.blocks[h].start, self.blocks[h].end);
                self.units[u].question_lines = (hs..=he).collect();
                self.assign(hs, he, Owner::Unit(u));
            }
            for b in loose {
                let (s, e) = (self.blocks[b].start, self.blocks[b].end);
                self.assign(s, e, Owner::Unit(u));
            }
        }
    }

    fn is_italic_note(&self, b: usize) -> bool {
        let block = &self.blocks[b];
        if !matches!(block.kind, Kind::Para { .. }) {
            return false;
        }
        let text: Vec<&str> = (block.start..=block.end)
            .map(|l| self.lines[l].trim())
            .collect();
        let joined = text.join(" ");
        let inner = joined
            .strip_prefix('_')
            .and_then(|t| t.strip_suffix('_'))
            .or_else(|| joined.strip_prefix('*').and_then(|t| t.strip_suffix('*')));
        inner.is_some_and(|t| !t.starts_with(['_', '*']) && !t.contains(['_', '*']))
    }

    fn is_question_list(&self, b: usize, questions: bool) -> bool {
        let Kind::List { items } = &self.blocks[b].kind else {
            return false;
        };
        let top: Vec<&Item> = items.iter().filter(|i| i.depth == 0).collect();
        let asked = top.iter().filter(|i| looks_like_question(&i.text)).count();
        if questions {
            return asked > 0 && asked * 3 >= top.len();
        }
        asked > 0 && asked * 2 >= top.len()
    }

    /// Each item of a list of questions is a question; an indented item under it is a
    /// follow-up question if it is phrased as one, else a note in its answer. Items that are
    /// sentences, not questions (`이 항목은 질문이 아닙니다.`), go to the area's own text.
    fn question_list(&mut self, b: usize, ctx: &Context, loose_blocks: &mut Vec<usize>) {
        let Kind::List { items } = &self.blocks[b].kind else {
            return;
        };
        let items: Vec<(usize, usize, String, usize)> = items
            .iter()
            .map(|i| (i.start, i.end, i.text.clone(), i.depth))
            .collect();
        let mut loose = Vec::new();
        // The question each depth belongs to.
        let mut parents: Vec<Option<usize>> = Vec::new();
        for (start, end, text, depth) in items {
            parents.truncate(depth);
            let parent = parents.iter().rev().flatten().next().copied();
            let q = clean_inline(&text);
            let is_q = looks_like_question(&q) || (ctx.questions && depth == 0 && is_phrase(&q));
            if is_q && !q.is_empty() {
                let u = self.new_unit(&q, start, ctx, UnitKind::Question);
                self.units[u].follow_up = depth > 0;
                self.units[u].parent = if depth > 0 { parent } else { None };
                self.units[u].question_lines = vec![start];
                self.units[u].dedent = true;
                self.assign(start, end, Owner::Unit(u));
                parents.push(Some(u));
            } else {
                match parent {
                    Some(p) => self.assign(start, end, Owner::Unit(p)),
                    None => {
                        self.assign(start, end, Owner::None);
                        loose.push((start, end));
                    }
                }
                parents.push(None);
            }
        }
        if !loose.is_empty() {
            // Kept with the area's own text: a pseudo-block per run of lines.
            for (s, e) in loose {
                self.blocks.push(Block {
                    kind: Kind::Other,
                    start: s,
                    end: e,
                });
                loose_blocks.push(self.blocks.len() - 1);
            }
        }
    }

    /// Each unit's answer from the lines it holds.
    fn finish(&mut self) {
        let mut held: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        let mut held_content = vec![false; self.units.len()];
        for (i, o) in self.owners.iter().enumerate() {
            if let Owner::Unit(u) = o {
                held[*u].push(i);
                if is_content(self.lines[i]) && !self.units[*u].question_lines.contains(&i) {
                    held_content[*u] = true;
                }
            }
        }
        for (u, lines) in held.into_iter().enumerate() {
            let unit = &self.units[u];
            let mut body: Vec<&str> = lines
                .iter()
                .filter(|l| !unit.question_lines.contains(l))
                .map(|l| self.lines[*l])
                .filter(|l| !(unit.details && is_details_markup(l)))
                .collect();
            if unit.dedent {
                let indent = body
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.len() - l.trim_start().len())
                    .min()
                    .unwrap_or(0);
                body = body
                    .iter()
                    .map(|l| {
                        if l.len() >= indent {
                            &l[indent..]
                        } else {
                            l.trim_start()
                        }
                    })
                    .collect();
            }
            let answer = tidy_answer(&body);
            self.units[u].answer = answer;
        }
        // A subject heading with nothing of its own under it is not a card: over a table of
        // contents or a row of badges it is part of that; with nothing at all it is a heading.
        let mut keep = vec![true; self.units.len()];
        for (u, unit) in self.units.iter().enumerate() {
            let has_text = held_content[u];
            if unit.kind == UnitKind::Question || has_text {
                continue;
            }
            keep[u] = false;
            let (s, e) = unit.span;
            let mut kinds: BTreeMap<SkipKind, usize> = BTreeMap::new();
            let mut holds_questions = false;
            for o in &self.owners[s..=e.min(self.owners.len() - 1)] {
                match o {
                    Owner::Skip(k) => *kinds.entry(*k).or_default() += 1,
                    Owner::Unit(other) if *other != u => holds_questions = true,
                    _ => {}
                }
            }
            // Over questions split out of it, the heading is their context.
            let owner = if holds_questions {
                Owner::Heading
            } else {
                kinds
                    .iter()
                    .max_by_key(|(_, n)| **n)
                    .map_or(Owner::Heading, |(k, _)| Owner::Skip(*k))
            };
            for l in &unit.question_lines {
                self.owners[*l] = owner;
            }
        }
        if keep.iter().all(|k| *k) {
            return;
        }
        let mut map = vec![usize::MAX; self.units.len()];
        let mut next = 0;
        for (u, k) in keep.iter().enumerate() {
            if *k {
                map[u] = next;
                next += 1;
            }
        }
        for o in &mut self.owners {
            if let Owner::Unit(u) = o {
                if map[*u] == usize::MAX {
                    *o = Owner::Heading;
                } else {
                    *u = map[*u];
                }
            }
        }
        let mut i = 0;
        self.units.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
}

/// The question of a paragraph that opens with a bold line phrased as a question
/// (`**HTTP란?**` with the answer on the next line or after a blank line).
fn bold_question(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t.strip_prefix("**").and_then(|s| s.strip_suffix("**"))?;
    if inner.contains("**") || inner.trim().is_empty() {
        return None;
    }
    let q = clean_inline(inner);
    looks_like_question(&q).then_some(q)
}

impl<'a> Walker<'a> {
    fn bold_at(&self, b: usize) -> Option<String> {
        match &self.blocks[b].kind {
            Kind::Para { .. } => bold_question(self.lines[self.blocks[b].start]),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Words

/// The last line (0-based) of YAML front matter opening the file.
fn front_matter(text: &str) -> Option<usize> {
    let mut lines = text.split('\n');
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for (i, l) in lines.enumerate().take(60) {
        let t = l.trim_end();
        if t == "---" || t == "..." {
            return (i > 0).then_some(i + 1);
        }
        if !t.is_empty() && !t.starts_with([' ', '-', '#']) && !t.contains(':') {
            return None;
        }
    }
    None
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.starts_with("```") || t.starts_with("~~~") {
        return false;
    }
    crate::text::strip_inline(t)
        .chars()
        .any(char::is_alphanumeric)
}

fn is_details_markup(line: &str) -> bool {
    let t = line.trim().to_ascii_lowercase();
    t.contains("<summary")
        || matches!(
            t.as_str(),
            "<details>" | "</details>" | "<p>" | "</p>" | "<details open>"
        )
}

/// A heading's text without icons, emoji shortcodes (`:books:`), and links that carry no
/// words (`[:top:](#top)`, `[▶︎ 🗒](basic.md)`).
fn heading_title(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let is_shortcode = word.len() > 2
            && word.starts_with(':')
            && word.ends_with(':')
            && word[1..word.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+' || c == '-');
        if is_shortcode
            || !word
                .chars()
                .any(|c| c.is_alphanumeric() || c.is_ascii_punctuation())
        {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    clean_inline(&out)
}

/// Inline Markdown reduced to one line of plain text, without a `Q.` prefix.
pub fn clean_inline(text: &str) -> String {
    let out = crate::text::strip_inline(text);
    let out = out.trim();
    let out = ["Q.", "Q:", "Q)"]
        .iter()
        .find_map(|p| out.strip_prefix(p))
        .unwrap_or(out);
    crate::model::normalise_question(out)
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to `-`.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            s.extend(c.to_lowercase());
        } else if c == ' ' {
            s.push('-');
        }
    }
    s
}

/// `1. QuickSort란?` → `QuickSort란?`; `2-1. 네이버…` → `네이버…`.
fn strip_numbering(title: &str) -> String {
    let t = title.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '.');
    if t.len() < title.len() && t.starts_with(' ') && !t.trim().is_empty() {
        t.trim().to_string()
    } else {
        title.to_string()
    }
}

fn humanise(stem: &str) -> String {
    let t = stem
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '_', '.']);
    let t = if t.is_empty() { stem } else { t };
    t.replace(['-', '_'], " ")
}

fn is_anchor_title(title: &str) -> bool {
    let t = title
        .trim()
        .trim_start_matches('#')
        .trim_start_matches(['Q', 'q'])
        .trim_end_matches('.');
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
}

fn squash(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The kind of a section that is skipped whole, from its heading.
fn section_kind(title: &str) -> Option<SkipKind> {
    let t = squash(title);
    let toc = [
        "table of contents",
        "contents",
        "toc",
        "index",
        "목차",
        "차례",
    ];
    let references = [
        "references",
        "reference",
        "참고",
        "참고 자료",
        "참고자료",
        "참고 문헌",
        "참고문헌",
        "참고 링크",
        "참고한 자료",
        "참조",
        "출처",
        "레퍼런스",
        "sources",
        "source",
        "further reading",
        "links",
        "link",
        "see also",
        "관련 링크",
    ];
    let boilerplate = [
        "작성자",
        "작성자들",
        "author",
        "authors",
        "contributor",
        "contributors",
        "contributing",
        "how to contribute",
        "기여자",
        "기여 방법",
        "기여하기",
        "license",
        "licence",
        "라이센스",
        "라이선스",
        "thanks",
        "감사",
        "감사의 글",
        "도움을 주신 분들",
        "도움 주신 분들",
        "created by",
        "made by",
        "maintainers",
        "만든 사람",
        "만든 사람들",
        "collaborator",
        "collaborators",
        "members",
        "멤버",
        "참여자",
        "스터디원",
    ];
    if toc.contains(&t.as_str()) {
        Some(SkipKind::Toc)
    } else if references.contains(&t.as_str()) {
        Some(SkipKind::References)
    } else if boilerplate.contains(&t.as_str()) {
        Some(SkipKind::Boilerplate)
    } else {
        None
    }
}

/// A heading over prose about the notes themselves (`Intro`, `About`, `소개`): its lists are
/// never questions.
fn is_prose_title(title: &str) -> bool {
    let t = squash(title);
    [
        "intro",
        "introduction",
        "about",
        "소개",
        "들어가며",
        "들어가기",
        "머리말",
        "readme",
        "개요",
        "overview",
    ]
    .contains(&t.as_str())
}

/// A heading over questions: `질의응답`, `면접 질문`, `예상 질문`, `Interview Questions`, `FAQ`.
fn is_questions_title(title: &str) -> bool {
    let t = squash(title);
    let nospace: String = t.split_whitespace().collect();
    [
        "질의응답",
        "면접질문",
        "예상질문",
        "질문모음",
        "자주묻는질문",
        "interviewquestions",
        "faq",
        "qna",
        "qa",
    ]
    .iter()
    .any(|k| nospace.contains(k))
        || nospace == "질문"
        || nospace == "questions"
}

fn is_navigation_text(text: &str) -> bool {
    let t = squash(text);
    [
        "뒤로",
        "위로",
        "목차",
        "처음",
        "이전",
        "다음",
        "top",
        "back",
        "home",
        "맨 위로",
        "돌아가기",
    ]
    .iter()
    .any(|w| t.contains(w))
        || t.is_empty()
}

/// An image that is a badge or an avatar, not a figure: shields, visitor counters, GitHub
/// profile pictures.
fn is_badge_url(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    [
        "shields.io",
        "badge",
        "avatars",
        "hits.",
        "visitor",
        "gravatar",
        "contrib.rocks",
        "forthebadge",
    ]
    .iter()
    .any(|k| u.contains(k))
        || (u.starts_with("https://github.com/")
            && u.ends_with(".png")
            && u.matches('/').count() == 3)
}

/// The `src` of each `<img>` in a piece of HTML.
fn html_sources(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("src=") {
        let at = from + i + 4;
        match html[at..].chars().next() {
            Some(q @ ('"' | '\'')) => match html[at + 1..].find(q) {
                Some(end) => {
                    out.push(html[at + 1..at + 1 + end].to_string());
                    from = at + 1 + end;
                }
                None => break,
            },
            _ => from = at,
        }
    }
    out
}

/// A link to another note (`basic.md`, `./Stack.md`, a folder).
fn is_note_link(link: &str) -> bool {
    let l = link.split('#').next().unwrap_or("").to_ascii_lowercase();
    !l.contains("://") && (l.ends_with(".md") || l.ends_with('/') || l.is_empty())
}

/// A short note that credits a source: `질문 중 일부는 [X](…)를 참고하였습니다`, `출처: …`.
fn is_credit(text: &str) -> bool {
    let t = text.to_lowercase();
    t.chars().count() < 200
        && [
            "참고하였",
            "참고했",
            "참고함",
            "참고 :",
            "참고:",
            "출처",
            "참조",
            "credit",
            "based on",
            "adapted from",
            "source:",
        ]
        .iter()
        .any(|k| t.contains(k))
}

/// `작성자 : [이름](…), [이름](…)`, `Written by …`: who wrote the note.
fn is_byline(text: &str) -> bool {
    let t = text.trim_start().to_lowercase();
    t.chars().count() < 200
        && [
            "작성자",
            "글쓴이",
            "정리:",
            "정리 :",
            "author",
            "written by",
            "by ",
        ]
        .iter()
        .any(|k| t.starts_with(k))
}

/// Whether a line of text reads as a question: a question mark, a Korean question or request
/// ending, or an English question word.
pub fn looks_like_question(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    if t.contains('?') || t.contains('？') {
        return true;
    }
    // A trailing aside does not change what the sentence is: `…알려주세요. (Sigmoid, ReLU 등)`.
    let mut end = t;
    if end.ends_with(')')
        && let Some(open) = end.rfind('(')
    {
        end = &end[..open];
    }
    let end = end.trim_end_matches(['.', '!', '~', ')', ' ', ':']);
    const ENDINGS: &[&str] = &[
        "요",
        "까",
        "시오",
        "시다",
        "하라",
        "해라",
        "해봐",
        "인가",
        "는가",
        "은가",
        "는지",
        "인지",
        "설명",
        "비교",
        "설명할 것",
        "비교할 것",
        "서술할 것",
    ];
    if ENDINGS.iter().any(|e| end.ends_with(e)) {
        return true;
    }
    let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
    const STARTS: &[&str] = &[
        "what", "why", "how", "when", "which", "who", "where", "explain", "describe", "define",
        "compare", "is", "are", "can", "does", "do", "should", "name", "list",
    ];
    STARTS.contains(&first.as_str()) || end.to_lowercase().ends_with("explain")
}

/// A short phrase, not a sentence: in a list of interview questions, `이진트리의 탐색 횟수` or
/// `업캐스팅과 다운캐스팅` is what was asked.
fn is_phrase(text: &str) -> bool {
    let mut t = text.trim();
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
    {
        t = &t[..open];
    }
    let t = t.trim_end_matches(['.', '。', ' ', '!']);
    !t.is_empty() && t.chars().count() <= 120 && !t.ends_with('다')
}

/// Sections with at most this many content lines are never split into several questions.
const SPLIT_LINES: usize = 40;

/// Aspect words: they say which side of a subject a section is about, never the subject.
const GENERIC: &[&str] = &[
    "개념",
    "정의",
    "특징",
    "특성",
    "장점",
    "단점",
    "장단점",
    "구현",
    "구현법",
    "구현방법",
    "예제",
    "예시",
    "예",
    "정리",
    "요약",
    "개요",
    "흐름",
    "원리",
    "동작",
    "동작원리",
    "과정",
    "종류",
    "유형",
    "이유",
    "방법",
    "사용법",
    "사용",
    "활용",
    "용도",
    "차이",
    "차이점",
    "비교",
    "문제점",
    "문제",
    "해결",
    "해결법",
    "결과",
    "결론",
    "코드",
    "소스",
    "소스코드",
    "설명",
    "중요",
    "참고",
    "배경",
    "목적",
    "기본",
    "응용",
    "심화",
    "시간복잡도",
    "공간복잡도",
    "복잡도",
    "성능",
    "주의",
    "주의점",
    "주의사항",
    "한계",
    "단계",
    "구성",
    "구성요소",
    "기능",
    "역할",
    "소개",
    "왜",
    "뭐",
    "무엇",
    "어떻게",
    "언제",
    "어디",
    "어떤",
    "다시",
    "그럼",
    "그러면",
    "이것",
    "이거",
    "그것",
    "것",
    "수",
    "등",
    "더",
    "좀",
    "그",
    "이",
    "저",
    "간단한",
    "간단히",
    "실제",
    "추가",
    "마무리",
    "정리하면",
    "example",
    "examples",
    "problem",
    "problems",
    "solution",
    "solutions",
    "solve",
    "implementation",
    "implement",
    "code",
    "source",
    "summary",
    "overview",
    "intro",
    "introduction",
    "definition",
    "concept",
    "concepts",
    "pros",
    "cons",
    "advantages",
    "disadvantages",
    "usage",
    "use",
    "why",
    "how",
    "what",
    "when",
    "where",
    "which",
    "who",
    "is",
    "are",
    "the",
    "a",
    "an",
    "of",
    "and",
    "or",
    "to",
    "in",
    "for",
    "it",
    "this",
    "that",
    "vs",
    "with",
    "result",
    "results",
    "note",
    "notes",
    "feature",
    "features",
    "complexity",
    "step",
    "steps",
    "method",
    "methods",
    "flow",
    "types",
    "type",
    "basic",
    "basics",
    "more",
    "detail",
    "details",
    "tip",
    "tips",
    "q",
    "a",
    "각주",
    "footnote",
    "footnotes",
    "사전",
    "지식",
    "배경지식",
    "prerequisites",
    "그",
    "외",
    "기타",
    "etc",
];

/// Words that name a field more than a subject: they make a heading a subject, but sharing one
/// does not make two headings the same subject.
const WEAK: &[&str] = &[
    "알고리즘",
    "algorithm",
    "algorithms",
    "패턴",
    "pattern",
    "디자인",
    "design",
    "자료구조",
    "자료",
    "구조",
    "data",
    "structure",
    "structures",
    "프로그래밍",
    "programming",
    "방식",
    "기법",
    "관련",
    "이론",
    "기술",
    "시스템",
    "system",
];

const VERB_ENDINGS: &[&str] = &[
    "요", "까", "니까", "는지", "은지", "인지", "할까", "하면", "보면", "하나", "하는", "되는",
    "하기", "는가", "은가", "인가", "니다", "다", "죠", "해", "봐", "줘",
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn stem(word: &str) -> String {
    let hangul = word.chars().any(|c| ('가'..='힣').contains(&c));
    if !hangul {
        return word
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_string();
    }
    // The search analyzer's particles (`프로세스와` → `프로세스`, `Coroutine이란` → `Coroutine`).
    let chars: Vec<char> = word.chars().collect();
    crate::analysis::analyzer::strip_particle(&chars)
        .iter()
        .collect()
}

/// The words of a title that name something: not aspect words, not verbs, not numbers.
fn content_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        if GENERIC.contains(&w.as_str()) {
            continue;
        }
        let s = stem(&w);
        if s.is_empty() || GENERIC.contains(&s.as_str()) || s.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let hangul = s.chars().any(|c| ('가'..='힣').contains(&c));
        if hangul && s == w && VERB_ENDINGS.iter().any(|e| w.ends_with(e)) {
            continue;
        }
        // English glued to Korean (`Coroutine이`) is the English word.
        let ascii: String = s.chars().take_while(|c| c.is_ascii()).collect();
        if ascii.len() >= 2 && ascii.len() < s.len() {
            out.push(ascii);
            continue;
        }
        out.push(s);
    }
    out
}

/// A question or title that says nothing without the heading above it.
pub fn needs_context(text: &str) -> bool {
    content_words(text).is_empty()
}

fn terms(title: &str) -> Vec<String> {
    content_words(title)
        .into_iter()
        .filter(|w| !WEAK.contains(&w.as_str()))
        .collect()
}

fn shares(parent: &[String], child: &[String]) -> bool {
    parent.iter().any(|a| {
        child.iter().any(|b| {
            a.chars().count() >= 2
                && b.chars().count() >= 2
                && (a.starts_with(b.as_str()) || b.starts_with(a.as_str()))
        })
    })
}

/// The answer's lines without leading/trailing blank lines and separators.
fn tidy_answer(lines: &[&str]) -> String {
    let mut lines: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
    let is_filler = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.chars().all(|c| c == '-' || c == '*' || c == '_') && t.len() >= 3
    };
    while lines.first().is_some_and(|l| is_filler(l)) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| is_filler(l)) {
        lines.pop();
    }
    // Runs of blank lines (left where skipped lines were) become one.
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut fence = false;
    for l in lines {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if !fence && l.trim().is_empty() && out.last().is_some_and(|p| p.trim().is_empty()) {
            continue;
        }
        out.push(l);
    }
    crate::yaml::normalise_block(&out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qs(e: &Extracted) -> Vec<&str> {
        e.units.iter().map(|u| u.question.as_str()).collect()
    }

    #[test]
    fn context_rule() {
        for t in [
            "왜 쓰나요?",
            "다시 정리해보면?",
            "중요",
            "설명",
            "장점은?",
            "Solve1",
            "구현 코드",
            "Example",
        ] {
            assert!(needs_context(t), "{t}");
        }
        for t in [
            "Kruskal Algorithm?",
            "DeadLock",
            "프로세스와 스레드의 차이",
            "가상 메모리란?",
            "이동 횟수",
            "큐",
        ] {
            assert!(!needs_context(t), "{t}");
        }
    }

    #[test]
    fn a_topic_file_is_one_question_with_the_whole_file() {
        let md = "# **Kruskal Algorithm**\n\n## 작성자\n[![a](https://avatars1.githubusercontent.com/u/1)](https://github.com/a)\n\n\
                  ## Kruskal Algorithm?\n- 탐욕적인 방법.\n\n## Union-find 연산\n### Union 연산\n- 합집합.\n\n```cpp\n# not a heading\n```\n\n## 왜 쓰나요?\n빠르다.\n\n## 참고\n- [x](http://x)\n";
        let e = extract(md, "Kruskal");
        assert_eq!(qs(&e), vec!["Kruskal Algorithm"], "{:#?}", e.units);
        let a = &e.units[0].answer;
        assert!(a.contains("## Kruskal Algorithm?\n- 탐욕적인 방법."), "{a}");
        assert!(
            a.contains("### Union 연산")
                && a.contains("# not a heading")
                && a.contains("## 왜 쓰나요?\n빠르다."),
            "{a}"
        );
        assert!(
            !a.contains("avatars") && !a.contains("작성자") && !a.contains("http://x"),
            "{a}"
        );
        assert!(e.single_topic);
        let skipped = e.skipped();
        assert_eq!(skipped.get(&SkipKind::Boilerplate), Some(&2), "{skipped:?}");
        assert_eq!(skipped.get(&SkipKind::References), Some(&2));
        assert!(e.unplaced().is_empty());
    }

    /// `n` lines of text, so a section is long enough to be split.
    fn filler(n: usize) -> String {
        (0..n).map(|i| format!("설명 {i}번째 줄.\n")).collect()
    }

    #[test]
    fn an_area_file_gives_one_question_per_topic() {
        let md = format!(
            "# Operating System (운영체제)\n\n## 목차\n- [프로세스](#프로세스와-스레드)\n\n## 프로세스와 스레드\n\n### 프로세스 (Process)\n실행 중인 프로그램.\n### 스레드 (Thread)\n실행 단위.\n{}\n\
             ## CPU 스케줄링\n### 선점 스케줄링\n뺏는다.\n{}\n## 교착상태\n### 왜 쓰나요?\n모름.\n\n## 질의응답\n\n<details>\n<summary>데드락 조건은?</summary>\n<p>\n\n상호 배제.\n\n</p>\n</details>\n",
            filler(20),
            filler(20)
        );
        let e = extract(&md, "README");
        assert_eq!(
            qs(&e),
            vec![
                "프로세스와 스레드",
                "CPU 스케줄링",
                "교착상태",
                "데드락 조건은?"
            ],
            "{:#?}",
            e.units
        );
        assert!(
            e.units[0]
                .answer
                .contains("### 스레드 (Thread)\n실행 단위.")
        );
        assert!(
            e.units[2].answer.contains("### 왜 쓰나요?\n모름."),
            "inside its topic: {:?}",
            e.units[2]
        );
        assert_eq!(e.units[3].answer, "상호 배제.\n");
        assert_eq!(e.units[0].anchor, "프로세스와-스레드");
        assert_eq!(e.units[0].path, vec!["Operating System (운영체제)"]);
        assert!(e.unplaced().is_empty(), "{:?}", e.unplaced());
        assert_eq!(
            e.kept_lines() + e.skipped().values().sum::<usize>(),
            e.content_lines()
        );
    }

    #[test]
    fn a_short_section_is_one_card_whatever_its_sub_headings() {
        let md = "# 정렬 알고리즘\n\n## Bubble Sort\n인접 교환.\n\n## Quick Sort\n분할.\n";
        let e = extract(md, "sort");
        assert_eq!(qs(&e), vec!["정렬 알고리즘"]);
        let long = format!(
            "# 정렬 알고리즘\n\n## Bubble Sort\n{}\n## Quick Sort\n{}",
            filler(25),
            filler(25)
        );
        assert_eq!(
            qs(&extract(&long, "sort")),
            vec!["Bubble Sort", "Quick Sort"]
        );
        // Sub-sections that repeat the title's subject are aspects of one topic, long or not.
        let aspects = format!(
            "# Kruskal\n\n## Kruskal이란?\n{}\n## Kruskal 구현\n{}",
            filler(25),
            filler(25)
        );
        assert_eq!(qs(&extract(&aspects, "k")), vec!["Kruskal"]);
    }

    #[test]
    fn question_headings_under_a_title_stay_questions_however_short() {
        let md = "# 운영체제\n\n## 프로세스란?\n실행 중인 프로그램.\n\n## 스레드란?\n실행 단위.\n";
        assert_eq!(qs(&extract(md, "os")), vec!["프로세스란?", "스레드란?"]);
    }

    #[test]
    fn questions_that_need_their_context_get_it() {
        let md = "# DeadLock\n\n## 질의응답\n\n- 왜 쓰나요?\n- 세마포어와 뮤텍스의 차이는?\n";
        let e = extract(md, "x");
        assert_eq!(
            qs(&e),
            vec!["질의응답: 왜 쓰나요?", "세마포어와 뮤텍스의 차이는?"]
        );
        let md = "# DeadLock\n\n**왜 쓰나요?**\n동기화.\n\n**어떻게 막나요?**\n순서.\n";
        let e = extract(md, "x");
        assert_eq!(
            qs(&e),
            vec!["DeadLock: 왜 쓰나요?", "DeadLock: 어떻게 막나요?"]
        );
    }

    #[test]
    fn details_blocks_closed_and_opened_on_adjacent_lines() {
        // One HTML block holds the end of one question and the start of the next.
        let md = "## 질의응답\n\n<details>\n<summary>애자일이란?</summary>\n<p>\n\n반복 개발.\n\n</p>\n</details>\n<details>\n<summary>V&V의 차이는?</summary>\n<p>\n\n- Validation : 요구를 반영하는가\n- Verification : 명세와 일치하는가\n\n</p>\n</details>\n";
        let e = extract(md, "se");
        assert_eq!(
            qs(&e),
            vec!["애자일이란?", "V&V의 차이는?"],
            "{:#?}",
            e.units
        );
        assert!(
            e.units[1]
                .answer
                .contains("- Validation : 요구를 반영하는가"),
            "{:?}",
            e.units[1]
        );
        assert!(!e.units[0].answer.contains("V&V"), "{:?}", e.units[0]);
    }

    #[test]
    fn a_note_to_the_reader_over_questions_is_boilerplate() {
        let md = "# OS\n\n## 질의응답\n\n_클릭하면 답변 내용을 확인할 수 있습니다._\n\n<details>\n<summary>데드락이란?</summary>\n\n교착.\n\n</details>\n";
        let e = extract(md, "os");
        assert_eq!(qs(&e), vec!["데드락이란?"]);
        assert_eq!(e.skipped().get(&SkipKind::Boilerplate), Some(&1));
    }

    #[test]
    fn a_tips_list_is_not_a_question_list() {
        let md = "## 성능 팁\n- gzip 압축을 사용할 것\n- 캐시를 쓸 것\n- 이미지를 줄일 것\n";
        let e = extract(md, "web");
        assert_eq!(qs(&e), vec!["성능 팁"]);
    }

    #[test]
    fn interview_question_lists_take_phrases_as_questions() {
        let md = "# 면접 질문 모음\n\n## 자료구조\n- 이진트리의 탐색 횟수\n- 힙의 삽입 시간복잡도?\n  - 왜 그런가요?\n  - 배열로 구현\n";
        let e = extract(md, "q");
        assert_eq!(
            qs(&e),
            vec![
                "이진트리의 탐색 횟수",
                "힙의 삽입 시간복잡도?",
                "자료구조: 왜 그런가요?"
            ],
            "{:#?}",
            e.units
        );
        assert!(e.units[2].follow_up);
        assert_eq!(
            e.units[2].parent,
            Some(1),
            "it follows the question it is indented under"
        );
        assert_eq!(e.units[1].parent, None);
        assert!(
            e.units[1].answer.contains("배열로 구현"),
            "{:?}",
            e.units[1]
        );
    }
}
