//! Turning Markdown notes and interview collections into questions.
//!
//! [`markdown`] reads one file into questions and accounts for each of its lines; [`plan`]
//! reads many files, tags the questions, leaves out the ones already in the bank, and adds up
//! what was kept and what was skipped, by kind, so a summary can never hide loss.

pub mod markdown;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::{Question, tag_problem};

pub use markdown::{
    Extracted, SkipKind, Unit, UnitKind, clean_inline, extract, looks_like_question,
};

/// A tag made from a section title or a file name: lower case, spaces to `-`, punctuation
/// dropped, leading numbering (`1-`) removed.
pub fn tag_for(title: &str) -> Option<String> {
    let mut tag = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            tag.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '/') && !tag.ends_with('-') {
            tag.push('-');
        }
    }
    let tag = tag.trim_matches('-');
    let tag = tag
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('-');
    let tag: String = tag
        .chars()
        .take(48)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    (tag_problem(&tag).is_none() && !tag.is_empty()).then_some(tag)
}

/// The Markdown files under `paths` (files as given; folders walked), sorted, with the name to
/// record as their source (relative to the folder given, prefixed with its name).
pub fn markdown_files(paths: &[PathBuf]) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let base = path
                .canonicalize()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            for f in files {
                let rel = f
                    .strip_prefix(path)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((f, format!("{base}/{rel}")));
            }
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parent = path.canonicalize().ok().and_then(|p| {
                p.parent()
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
            });
            let source = match parent {
                Some(p) => format!("{p}/{name}"),
                None => name,
            };
            out.push((path.clone(), source));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The key two questions are the same by: case, spaces and punctuation ignored.
pub fn duplicate_key(question: &str) -> String {
    question
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What the bank already holds, for telling a re-import from a new question.
#[derive(Debug, Default, Clone)]
pub struct Existing {
    /// [`duplicate_key`] of every question.
    pub keys: HashSet<String>,
    /// Every `imported_from`.
    pub sources: HashSet<String>,
    /// `imported_from` → id, for links between imported notes.
    pub ids: HashMap<String, String>,
}

impl Existing {
    pub fn of<'a>(questions: impl IntoIterator<Item = &'a Question>) -> Existing {
        let mut e = Existing::default();
        for q in questions {
            e.keys.insert(duplicate_key(&q.question));
            if let Some(s) = &q.imported_from {
                e.sources.insert(s.clone());
                e.ids.insert(s.clone(), q.id.clone());
            }
        }
        e
    }
}

/// One question of the plan, for `--dry-run`.
#[derive(Debug, Clone)]
pub struct Planned {
    pub line: usize,
    pub question: String,
    /// Source lines in its answer.
    pub answer_lines: usize,
    /// Already in the bank: not written.
    pub duplicate: bool,
    pub kind: UnitKind,
}

/// What became of one file.
#[derive(Debug, Clone, Default)]
pub struct FilePlan {
    pub source: String,
    pub questions: Vec<Planned>,
    /// Skipped content lines (1-based) by kind.
    pub skipped: BTreeMap<SkipKind, Vec<usize>>,
    /// Content lines that went nowhere (1-based): should be none.
    pub unplaced: Vec<usize>,
    pub content_lines: usize,
}

/// The outcome of planning an import.
#[derive(Debug, Default)]
pub struct Plan {
    pub new: Vec<Question>,
    /// Questions already in the bank (or earlier in the same import).
    pub duplicates: usize,
    /// `file:line: message` for what could not be imported.
    pub problems: Vec<String>,
    pub files: usize,
    /// Content lines of the files read (non-blank, with a letter once inline markup is
    /// stripped; fence lines do not count, the code inside them does) and how many of them are
    /// in a question or its answer (new or already in the bank), or are a heading that became
    /// the tag of the questions below it.
    pub content_lines: usize,
    pub kept_lines: usize,
    /// Of the kept lines, those in questions already in the bank.
    pub duplicate_lines: usize,
    /// Content lines skipped, by kind.
    pub skipped: BTreeMap<SkipKind, usize>,
    /// `file:line` of content lines that went nowhere.
    pub unplaced: Vec<String>,
    /// Files that gave no question at all although they hold text.
    pub empty_files: Vec<String>,
    pub per_file: Vec<FilePlan>,
    /// Images beside the notes, to be copied into the knowledge base.
    pub assets: Vec<Asset>,
    /// `file: link` of relative images that are not beside the notes (left as written).
    pub missing_images: Vec<String>,
    /// Links to other imported notes, rewritten to `kb:ID`.
    pub note_links: usize,
}

/// An image an import copies into the knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub from: PathBuf,
    /// Knowledge-base relative: `assets/<source folder>/<path as linked>`.
    pub to: String,
}

impl Asset {
    /// Copy the images in `assets` into the knowledge base (atomically, each; an image already
    /// there with the same bytes is not rewritten). Returns their knowledge-base paths, each
    /// once, for the change that commits them.
    pub fn copy_all(kb: &crate::Kb, assets: &[Asset]) -> crate::Result<Vec<String>> {
        use crate::error::IoContext;
        let mut copied: Vec<String> = Vec::new();
        for a in assets {
            if copied.contains(&a.to) {
                continue;
            }
            let bytes = std::fs::read(&a.from).at(&a.from)?;
            let to = kb.root().join(&a.to);
            if std::fs::read(&to).ok().as_deref() != Some(bytes.as_slice()) {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).at(parent)?;
                }
                crate::store::write_atomic(&to, &bytes)?;
            }
            copied.push(a.to.clone());
        }
        Ok(copied)
    }
}

impl Plan {
    /// Share of the content (lines not skipped as a named kind) that came in.
    pub fn kept_share(&self) -> f64 {
        let content = self.content_lines - self.skipped.values().sum::<usize>();
        if content == 0 {
            1.0
        } else {
            self.kept_lines as f64 / content as f64
        }
    }
}

/// Folders that say nothing about a note's subject.
const PLAIN_FOLDERS: &[&str] = &[
    "contents", "content", "docs", "doc", "answers", "notes", "src", "md", "markdown", "posts",
    "pages", "wiki",
];

/// Tags from the folders between the imported folder and the file.
fn folder_tags(source: &str) -> Vec<String> {
    let parts: Vec<&str> = source.split('/').collect();
    if parts.len() <= 2 {
        return Vec::new();
    }
    parts[1..parts.len() - 1]
        .iter()
        .filter(|p| !PLAIN_FOLDERS.contains(&p.to_ascii_lowercase().as_str()))
        .filter_map(|p| tag_for(p))
        .collect()
}

/// Read one file as text, or say why not.
fn read_text(path: &Path) -> Result<String, String> {
    let read = std::fs::File::open(path)
        .and_then(|f| crate::store::read_limited(f, &path.display().to_string()));
    match read {
        Ok(bytes) => String::from_utf8(bytes)
            .map(crate::text::incoming)
            .map_err(|_| format!("{}: not UTF-8 text; skipped", path.display())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The questions one file gives, tagged, with `imported_from` set (`file:line#anchor`), ids
/// not yet given. Shared by `kb import` and `kb source update` (which reads a file at two
/// commits and compares).
pub fn questions_of(text: &str, source: &str, extra_tags: &[String]) -> (Extracted, Vec<Question>) {
    let stem = source
        .rsplit('/')
        .next()
        .unwrap_or(source)
        .rsplit_once('.')
        .map_or(source, |(s, _)| s);
    let e = extract(text, stem);
    let file_tag = tag_for(stem).filter(|t| {
        !matches!(t.as_str(), "readme" | "index") && !t.chars().all(|c| c.is_ascii_digit())
    });
    let folders = folder_tags(source);
    let mut out = Vec::with_capacity(e.units.len());
    for u in &e.units {
        let mut q = Question::new(String::new(), &u.question);
        q.answer = u.answer.clone();
        q.imported_from = Some(if u.anchor.is_empty() {
            format!("{source}:{}", u.line)
        } else {
            format!("{source}:{}#{}", u.line, u.anchor)
        });
        q.tags.extend(folders.iter().cloned());
        let section = u.path.last().and_then(|t| tag_for(without_gloss(t)));
        match section {
            Some(t) => q.tags.push(t),
            None if !e.single_topic => q.tags.extend(file_tag.clone()),
            None => {}
        }
        if u.follow_up {
            q.tags.push("follow-up".into());
        }
        q.tags.extend(extra_tags.iter().cloned());
        crate::model::normalise_tags(&mut q.tags);
        out.push(q);
    }
    (e, out)
}

/// `Operating System (운영체제)` → `Operating System`: a heading's translation in parentheses
/// would make a second tag for the same thing (`operating-system` from the folder, and
/// `operating-system-운영체제`).
fn without_gloss(title: &str) -> &str {
    let t = title.trim_end();
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
        && t[..open].chars().any(char::is_alphanumeric)
    {
        return t[..open].trim_end();
    }
    t
}

/// Plan the import of `files` into a bank holding `existing`. `new_id` gives fresh ids;
/// `extra_tags` are added to every imported question.
pub fn plan(
    files: &[(PathBuf, String)],
    existing: &Existing,
    extra_tags: &[String],
    mut new_id: impl FnMut() -> String,
    mut progress: impl FnMut(),
) -> Plan {
    let mut plan = Plan::default();
    let mut seen = existing.keys.clone();
    for (path, source) in files {
        plan.files += 1;
        progress();
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => {
                plan.problems.push(e);
                continue;
            }
        };
        let (e, questions) = questions_of(&text, source, extra_tags);
        let mut file = FilePlan {
            source: source.clone(),
            content_lines: e.content_lines(),
            ..FilePlan::default()
        };
        plan.content_lines += e.content_lines();
        plan.kept_lines += e.kept_lines();
        for (i, (o, c)) in e.owners.iter().zip(&e.content).enumerate() {
            if let (markdown::Owner::Skip(k), true) = (o, c) {
                file.skipped.entry(*k).or_default().push(i + 1);
                *plan.skipped.entry(*k).or_default() += 1;
            }
        }
        file.unplaced = e.unplaced();
        plan.unplaced
            .extend(file.unplaced.iter().map(|l| format!("{source}:{l}")));
        if questions.is_empty() && e.content_lines() > 0 {
            plan.empty_files.push(source.clone());
        }
        // The id each unit of this file gets (none when it is a duplicate), for follow-ups.
        let mut ids: Vec<Option<String>> = vec![None; e.units.len()];
        for (n, (u, mut q)) in e.units.iter().zip(questions).enumerate() {
            let lines = e.lines_of(n);
            let from = q.imported_from.clone().unwrap_or_default();
            let mut key = duplicate_key(&q.question);
            if key.is_empty() {
                continue;
            }
            let mut duplicate = existing.sources.contains(&from);
            if !duplicate && seen.contains(&key) && u.kind != UnitKind::Question {
                // A topic named like another one (`Array` in two files): its heading path tells
                // them apart, rather than one losing its text.
                for outer in u.path.iter().rev() {
                    let named = format!("{outer}: {}", q.question);
                    let k = duplicate_key(&named);
                    if !seen.contains(&k) {
                        q.question = named;
                        key = k;
                        break;
                    }
                }
            }
            duplicate = duplicate || !seen.insert(key);
            file.questions.push(Planned {
                line: u.line,
                question: q.question.clone(),
                answer_lines: lines.saturating_sub(1),
                duplicate,
                kind: u.kind,
            });
            if duplicate {
                plan.duplicates += 1;
                plan.duplicate_lines += lines;
                continue;
            }
            q.id = new_id();
            // An indented follow-up names the question it sits under (when that one is new).
            q.follow_up_of = u.parent.and_then(|p| ids.get(p).cloned().flatten());
            ids[n] = Some(q.id.clone());
            plan.new.push(q);
        }
        plan.per_file.push(file);
    }
    let links = rewrite_links(&mut plan.new, files, existing);
    plan.assets = links.assets;
    plan.missing_images = links.missing_images;
    plan.note_links = links.note_links;
    plan
}

/// What [`rewrite_links`] did.
#[derive(Debug, Default)]
pub struct Links {
    /// Images to copy into the knowledge base (the caller copies them).
    pub assets: Vec<Asset>,
    /// `file: link` of relative images not beside the notes (left as written).
    pub missing_images: Vec<String>,
    /// Links to other imported notes rewritten to `kb:ID`.
    pub note_links: usize,
}

/// Images an answer may show: copied when at most this big.
const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;

/// `a/./b/../c` → `a/c`; `None` when the path climbs out of the imported folder.
fn normalise_path(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    (!out.is_empty()).then(|| out.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Where a relative link in an answer points: (byte range of the link target in the answer,
/// the target, whether it is an image). Absolute URLs, anchors in the same page and data URIs
/// are left out; so are reference-style links.
fn relative_links(answer: &str) -> Vec<(std::ops::Range<usize>, String, bool)> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let relative = |url: &str| {
        !(url.is_empty()
            || url.contains("://")
            || url.starts_with('#')
            || url.starts_with("mailto:")
            || url.starts_with("data:")
            || url.starts_with("kb:")
            || url.starts_with('/'))
    };
    let mut out = Vec::new();
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    for (event, range) in Parser::new_ext(answer, options).into_offset_iter() {
        match &event {
            Event::Start(Tag::Image { dest_url, .. })
            | Event::Start(Tag::Link { dest_url, .. })
                if relative(dest_url) =>
            {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                let source = &answer[range.clone()];
                if let Some(at) = source.rfind(&**dest_url) {
                    let start = range.start + at;
                    out.push((start..start + dest_url.len(), dest_url.to_string(), image));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                let mut from = 0;
                while let Some(i) = lower[from..].find("src=") {
                    let at = from + i + 4;
                    let quote = html[at..].chars().next();
                    if let Some(q @ ('"' | '\'')) = quote
                        && let Some(end) = html[at + 1..].find(q)
                    {
                        let url = &html[at + 1..at + 1 + end];
                        if relative(url)
                            && let Some(base) =
                                answer[range.clone()].find(&**html).map(|b| range.start + b)
                        {
                            let start = base + at + 1;
                            out.push((start..start + url.len(), url.to_string(), true));
                        }
                        from = at + 1 + end;
                    } else {
                        from = at;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Relative images and links to other notes, made to keep working inside the knowledge base:
/// an image beside the notes is copied to `assets/<source folder>/<path>` (the bank is read on
/// a phone, offline, and synced to other machines: a path into someone's checkout would break
/// there), and the link is rewritten to that path, relative to the knowledge base; a link to
/// another imported note becomes `kb:ID` (`kb show ID`), to the question under the linked
/// heading when it names one. Images not beside the notes are left as written and reported.
/// `files` are the notes on disk with their source names (as in `imported_from`); `questions`
/// have their ids.
pub fn rewrite_links(
    questions: &mut [Question],
    files: &[(PathBuf, String)],
    existing: &Existing,
) -> Links {
    let mut out = Links::default();
    let paths: HashMap<&str, &PathBuf> = files.iter().map(|(p, s)| (s.as_str(), p)).collect();
    // (file, anchor) → id and file → its first question, over the bank and this import.
    let mut by_anchor: HashMap<(String, String), String> = HashMap::new();
    let mut by_file: HashMap<String, String> = HashMap::new();
    let mut note = |from: &str, id: &str| {
        let (file_line, anchor) = from.split_once('#').unwrap_or((from, ""));
        let file = file_line.rsplit_once(':').map_or(file_line, |(f, _)| f);
        by_anchor
            .entry((file.to_string(), anchor.to_string()))
            .or_insert_with(|| id.to_string());
        by_file
            .entry(file.to_string())
            .or_insert_with(|| id.to_string());
    };
    for (from, id) in &existing.ids {
        note(from, id);
    }
    for q in questions.iter() {
        if let Some(from) = &q.imported_from {
            note(from, &q.id);
        }
    }
    let mut copied: HashSet<String> = HashSet::new();
    for q in questions.iter_mut() {
        let Some(from) = q.imported_from.clone() else {
            continue;
        };
        let file = from
            .split_once('#')
            .map_or(from.as_str(), |(f, _)| f)
            .rsplit_once(':')
            .map_or(from.as_str(), |(f, _)| f)
            .to_string();
        let folder = file.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let Some(path) = paths.get(file.as_str()) else {
            continue;
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (range, url, image) in relative_links(&q.answer) {
            let (target, anchor) = url.split_once('#').unwrap_or((url.as_str(), ""));
            let target = percent_decode(target.split_once('?').map_or(target, |(t, _)| t));
            if target.is_empty() {
                continue;
            }
            if image {
                let local = dir.join(&target);
                let to = normalise_path(&format!("{folder}/{target}"))
                    .map(|p| format!("{}/{p}", crate::store::ASSETS_DIR));
                match (std::fs::metadata(&local), to) {
                    (Ok(m), Some(to)) if m.is_file() && m.len() <= MAX_IMAGE_BYTES => {
                        if copied.insert(to.clone()) {
                            out.assets.push(Asset {
                                from: local,
                                to: to.clone(),
                            });
                        }
                        edits.push((range, to));
                    }
                    _ => out.missing_images.push(format!("{file}: {url}")),
                }
            } else if target.to_ascii_lowercase().ends_with(".md")
                && let Some(linked) = normalise_path(&format!("{folder}/{target}"))
            {
                let id = by_anchor
                    .get(&(linked.clone(), anchor.to_string()))
                    .or_else(|| by_file.get(&linked));
                if let Some(id) = id {
                    edits.push((range, format!("kb:{id}")));
                    out.note_links += 1;
                }
            }
        }
        for (range, to) in edits.into_iter().rev() {
            q.answer.replace_range(range, &to);
        }
    }
    out
}
