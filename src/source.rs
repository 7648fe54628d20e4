//! Following a notes repository: `kb source add | update | list`.
//!
//! A source is a git repository of Markdown notes (the user's own on GitHub, or someone else's).
//! It is cloned with the git command (so credentials work exactly as for git) into
//! `.git/kb/sources/<name>` — inside `.git`, never committed — imported, and recorded in kb.yaml
//! with the commit imported ([`Source`]). An update fetches and brings in what changed upstream
//! since that commit, one three-way merge per question with the function `kb sync` uses
//! ([`merge3`]):
//!
//! - base: the question as imported, i.e. [`questions_of`] on the file at the recorded commit;
//! - theirs: the same section at the new commit (matched by heading anchor, see [`pair`]);
//! - ours: the question file in the bank whose `imported_from` is base's, exactly.
//!
//! The user's edits and tags are never overwritten and no file ever holds conflict markers.
//! Everything is read from the clone's object store (not its working tree), so what base is
//! cannot depend on how git checked files out. Nothing here prints; every step that can fail
//! fails before the bank is written, and what is written is one journalled change
//! ([`Kb::write_change`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};
use jiff::Timestamp;
use serde_yaml::Value;

use crate::error::{Error, IoContext, Result, display_path};
use crate::import::{Existing, Unit, UnitKind, duplicate_key, questions_of};
use crate::merge::{merge3, same_content};
use crate::model::{Config, Question, Source, normalise_tags, source_name_problem};
use crate::store::{CONFIG_FILE, FileChange, Kb, MAX_FILE_BYTES, QUESTIONS_DIR};
use crate::tx::Transaction;

/// The clone of source `name`: `.git/kb/sources/<name>`.
pub fn clone_dir(kb: &Kb, name: &str) -> PathBuf {
    kb.state().sources().join(name)
}

/// The name a source gets when none is given: the repository's base name without `.git`
/// (`https://github.com/me/cs-notes.git` → `cs-notes`), with characters a source name cannot
/// hold replaced by `-`.
pub fn default_name(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix("/.git").unwrap_or(url);
    let base = url.rsplit(['/', ':', '\\']).next().unwrap_or(url);
    let base = base.strip_suffix(".git").unwrap_or(base);
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(64)
        .collect();
    if name.is_empty() {
        "source".into()
    } else {
        name
    }
}

/// `--path` as recorded: relative, `/`-separated, without `./` or a trailing `/`; `None` for the
/// whole repository. A path that leaves the repository (`..`, absolute) is refused.
pub fn normalise_subdir(path: &str) -> Result<Option<String>> {
    let raw = path.trim().replace('\\', "/");
    if raw.starts_with('/') {
        return Err(Error::Repository(format!(
            "--path {path:?}: give a folder inside the repository, relative to its root"
        )));
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(Error::Repository(format!(
                    "--path {path:?}: `..` leaves the repository"
                )));
            }
            p => parts.push(p),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

/// What `kb source add` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct AddRequest {
    /// Any git URL; a local path must already be absolute (the command makes it so).
    pub url: String,
    pub name: Option<String>,
    /// `--path`, as the user typed it.
    pub path: Option<String>,
    /// Checked tags (see `kb::model::tag_problem`).
    pub tags: Vec<String>,
}

/// A question an add or update wrote, removed or kept.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub id: String,
    pub question: String,
    /// Where in the source it is (or was): `name/file.md:line#anchor`.
    pub imported_from: Option<String>,
}

impl Change {
    fn of(q: &Question) -> Change {
        Change {
            id: q.id.clone(),
            question: q.question.clone(),
            imported_from: q.imported_from.clone(),
        }
    }
}

/// What `kb source add` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Added {
    pub name: String,
    pub url: String,
    pub path: Option<String>,
    pub branch: Option<String>,
    /// The commit imported (full id).
    pub commit: String,
    /// Markdown files read.
    pub files: usize,
    pub new: Vec<Change>,
    /// Questions left out as already in the bank.
    pub duplicates: usize,
    /// Content lines of the files, how many of them came in and how many were left out as a
    /// named kind of non-content (tables of contents, navigation…; see `kb::import::Plan`).
    pub content_lines: usize,
    pub kept_lines: usize,
    pub skipped_lines: usize,
    /// `name/file.md:line: message` for what could not be read.
    pub problems: Vec<String>,
    /// Files that hold text but gave no question.
    pub files_without_questions: Vec<String>,
    /// Images beside the notes copied into `assets/`, relative images that are not there (left
    /// as written), links to other imported notes rewritten to `kb:ID` (as `kb import` does).
    pub images_copied: Vec<String>,
    pub images_missing: Vec<String>,
    pub note_links: usize,
    /// The knowledge base's commit.
    pub kb_commit: Option<String>,
    /// The search index could not follow the commit (a cache: a warning to show).
    #[serde(skip)]
    pub index_problem: Option<String>,
}

/// What `kb source update` did for one source.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Updated {
    pub name: String,
    /// The commit imported before, and the one imported now (full ids; equal when up to date).
    pub from: String,
    pub to: String,
    /// Questions whose text, answer or tags upstream changed, merged with the user's edits.
    pub updated: Vec<Change>,
    /// Of those, the ones both sides changed the same way differently: ours kept, theirs
    /// recorded (`merged:`, both answers kept), tagged `conflict`.
    pub conflicts: Vec<String>,
    /// Questions whose section only moved (`imported_from` follows it).
    pub renumbered: usize,
    /// New sections, in as new questions.
    pub new: Vec<Change>,
    /// New sections left out as already in the bank.
    pub duplicates: usize,
    /// Sections removed upstream whose question the user never touched: removed.
    pub removed: Vec<Change>,
    /// Sections removed upstream whose question the user edited: kept.
    pub kept: Vec<Change>,
    /// Sections upstream changed whose question is not in the bank (the user removed or merged
    /// it, or it was a duplicate when imported): left out, named by `imported_from`.
    pub not_in_bank: Vec<String>,
    pub problems: Vec<String>,
    /// The clone was missing (a fresh machine) and was cloned again from the URL.
    pub recloned: bool,
    /// The knowledge base's commit.
    pub kb_commit: Option<String>,
    /// The search index could not follow the commit (a cache: a warning to show).
    #[serde(skip)]
    pub index_problem: Option<String>,
}

impl Updated {
    /// Upstream had no commit the bank has not seen.
    pub fn up_to_date(&self) -> bool {
        self.from == self.to
    }

    /// `3 updated, 2 new, 1 removed, 1 kept` (and the conflicts, when there are any).
    pub fn counts(&self) -> String {
        let mut s = format!(
            "{} updated, {} new, {} removed, {} kept",
            self.updated.len(),
            self.new.len(),
            self.removed.len(),
            self.kept.len()
        );
        if !self.conflicts.is_empty() {
            s.push_str(&format!(
                " ({} changed on both sides, tagged conflict)",
                self.conflicts.len()
            ));
        }
        s
    }
}

/// How a source stands: its record, and how far its remote-tracking branch (as of the last
/// fetch) is ahead of the commit imported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub name: String,
    pub url: String,
    pub path: Option<String>,
    pub tags: Vec<String>,
    pub branch: Option<String>,
    /// The commit imported.
    pub commit: String,
    /// The clone is on this machine (`kb source update` clones a missing one again).
    pub cloned: bool,
    /// The remote branch's commit after the last fetch.
    pub remote_commit: Option<String>,
    /// Commits on the remote branch not imported yet; `None` when it cannot be told (no clone,
    /// or the recorded commit is not in it).
    pub behind: Option<usize>,
}

/// The sources kb.yaml records, as it is on disk now.
pub fn sources(kb: &Kb) -> Result<Vec<Source>> {
    Ok(read_config(kb)?.sources)
}

/// Follow a new source: clone it, import its Markdown, record it in kb.yaml — one commit.
/// Call with the write lock held. Nothing is written when any step fails (a clone that did not
/// finish is removed). `on_clone` is called with the URL just before git clones it (it may take
/// a while, or ask for credentials).
pub fn add(tx: &mut Transaction, req: &AddRequest, on_clone: &dyn Fn(&str)) -> Result<Added> {
    let kb = tx.kb();
    let url = check_url(&req.url)?;
    let mut config = read_config(kb)?;
    let name = match &req.name {
        Some(n) => {
            let n = n.trim().to_string();
            if let Some(why) = source_name_problem(&n) {
                return Err(Error::Repository(format!("--name {n:?}: {why}")));
            }
            n
        }
        None => default_name(url),
    };
    if let Some(s) = find(&config, &name) {
        return Err(Error::Repository(format!(
            "a source named {} is already followed ({}); `kb source update {}` brings in its \
             changes, or give this one another --name",
            s.name, s.url, s.name
        )));
    }
    let path = match &req.path {
        Some(p) => normalise_subdir(p)?,
        None => None,
    };
    let mut tags = req.tags.clone();
    normalise_tags(&mut tags);

    remove_leftovers(kb);
    let dir = clone_dir(kb, &name);
    // A folder for this name without a record in kb.yaml is an add that never committed.
    if dir.exists() {
        fs::remove_dir_all(&dir).at(&dir)?;
    }
    on_clone(url);
    let tmp = TempClone::clone(kb, url, &name)?;
    let repo = Repository::open(&tmp.0)?;
    let head = repo.head().map_err(|_| {
        Error::Repository(format!(
            "{url} has no commit to import (an empty repository)"
        ))
    })?;
    let branch = head
        .is_branch()
        .then(|| head.shorthand().ok().map(String::from))
        .flatten();
    let commit = head.peel_to_commit()?.id();
    let short = short(commit);
    let files = markdown_in(&repo, commit, path.as_deref(), url)?;
    if files.is_empty() {
        return Err(Error::Repository(format!(
            "no Markdown (*.md) files in {url}{} at {short}; nothing was added",
            path.as_deref()
                .map(|p| format!(" under {p}"))
                .unwrap_or_default()
        )));
    }

    let loaded = kb.load_all()?;
    let existing = Existing::of(&loaded.questions);
    let mut admit = Admit::new(&existing);
    let mut taken = HashSet::new();
    let mut added = Added {
        name: name.clone(),
        url: url.to_string(),
        path: path.clone(),
        branch: branch.clone(),
        commit: commit.to_string(),
        files: files.len(),
        new: Vec::new(),
        duplicates: 0,
        content_lines: 0,
        kept_lines: 0,
        skipped_lines: 0,
        problems: unreadable(&loaded),
        files_without_questions: Vec::new(),
        images_copied: Vec::new(),
        images_missing: Vec::new(),
        note_links: 0,
        kb_commit: None,
        index_problem: None,
    };
    let mut new_questions = Vec::new();
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    for (file, blob) in &files {
        let source = format!("{name}/{file}");
        let text = match text_of(&repo, *blob, &source) {
            Ok(t) => t,
            Err(e) => {
                added.problems.push(e);
                continue;
            }
        };
        let (e, questions) = questions_of(&text, &source, &tags);
        added.content_lines += e.content_lines();
        added.kept_lines += e.kept_lines();
        added.skipped_lines += e.skipped().values().sum::<usize>();
        if questions.is_empty() && e.content_lines() > 0 {
            added.files_without_questions.push(source.clone());
        }
        for (u, mut q) in e.units.iter().zip(questions) {
            if !admit.admit(u, &mut q) {
                added.duplicates += 1;
                continue;
            }
            q.id = loop {
                let id = kb.new_id();
                if taken.insert(id.clone()) {
                    break id;
                }
            };
            *per_file.entry(source.clone()).or_default() += 1;
            added.new.push(Change::of(&q));
            new_questions.push(q);
        }
    }

    // Images and links between notes, as `kb import` makes them (the clone is checked out at
    // the commit imported).
    let on_disk: Vec<(PathBuf, String)> = files
        .keys()
        .map(|f| (tmp.0.join(f), format!("{name}/{f}")))
        .collect();
    let links = crate::import::rewrite_links(&mut new_questions, &on_disk, &existing);
    let also = crate::import::Asset::copy_all(kb, &links.assets)?;
    added.images_copied = also.clone();
    added.images_missing = links.missing_images;
    added.note_links = links.note_links;

    config.sources.push(Source {
        name: name.clone(),
        url: url.to_string(),
        path,
        tags,
        branch,
        commit: commit.to_string(),
        extra: Default::default(),
    });
    let mut changes: Vec<FileChange> = new_questions
        .iter()
        .map(|q| kb.question_file(q))
        .collect::<Result<_>>()?;
    changes.push((CONFIG_FILE.to_string(), Some(config.to_yaml())));
    let mut message = format!(
        "source add {name}: {url} at {short}: {} question{} from {} file{}\n\n",
        new_questions.len(),
        plural(new_questions.len()),
        per_file.len(),
        plural(per_file.len()),
    );
    for (file, n) in &per_file {
        message.push_str(&format!("{file}: {n}\n"));
    }
    // The clone takes its place before the commit that records it.
    tmp.keep_as(&dir)?;
    (added.kb_commit, added.index_problem) =
        stage_and_commit(tx, changes, also, message.trim_end())?;
    Ok(added)
}

/// Commit a source's files (`also`: images already copied in) as one change: the commit's id,
/// and what kept the search index from following.
fn stage_and_commit(
    tx: &mut Transaction,
    changes: Vec<FileChange>,
    also: Vec<String>,
    message: &str,
) -> Result<(Option<String>, Option<String>)> {
    for (rel, contents) in changes {
        tx.write(rel, contents);
    }
    for rel in also {
        tx.also(rel);
    }
    let done = tx.commit(message)?;
    Ok((done.commit_hex(), done.index_problem.map(|e| e.to_string())))
}

/// Bring in what source `name` changed since the commit recorded for it: fetch, then one
/// three-way merge per question (see the module comment), new sections in, sections removed
/// upstream removed unless the user edited them. One commit naming the source and both commits;
/// none when upstream has nothing new. Call with the write lock held.
pub fn update(tx: &mut Transaction, name: &str) -> Result<Updated> {
    let kb = tx.kb();
    remove_leftovers(kb);
    let mut config = read_config(kb)?;
    let index = config
        .sources
        .iter()
        .position(|s| s.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| no_such_source(&config, name))?;
    let source = config.sources[index].clone();
    let name = source.name.clone();
    let mut report = Updated {
        name: name.clone(),
        from: source.commit.clone(),
        ..Updated::default()
    };
    report.recloned = ensure_clone(kb, &source)?;
    let dir = clone_dir(kb, &name);
    let repo = Repository::open(&dir)?;
    let branch = branch_of(&source, &repo)?;
    fetch_branch(kb, &source, &branch)?;
    let new = remote_commit(&repo, &branch).ok_or_else(|| {
        Error::Repository(format!(
            "source {name}: {} has no branch {branch} any more",
            source.url
        ))
    })?;
    report.to = new.to_string();
    let old = Oid::from_str(&source.commit)
        .ok()
        .filter(|o| repo.find_commit(*o).is_ok())
        .ok_or_else(|| {
            Error::Repository(format!(
                "source {name}: the commit it was imported from, {}, is not in {} any more (was \
                 its history rewritten?); nothing was changed",
                source.short_commit(),
                source.url
            ))
        })?;
    if new == old {
        return Ok(report);
    }
    let (from_short, to_short) = (short(old), short(new));
    let old_files = markdown_in(&repo, old, source.path.as_deref(), &source.url)?;
    let new_files = markdown_in(&repo, new, source.path.as_deref(), &source.url)?;

    let loaded = kb.load_all()?;
    report.problems.extend(unreadable(&loaded));
    let by_source: HashMap<&str, &Question> = loaded
        .questions
        .iter()
        .filter_map(|q| q.imported_from.as_deref().map(|f| (f, q)))
        .collect();
    let existing = Existing::of(&loaded.questions);
    let mut admit = Admit::new(&existing);

    // Base and theirs, section by section, for every file that changed.
    let mut pairs: Vec<(Section, Section)> = Vec::new();
    let mut gone: Vec<Section> = Vec::new();
    let mut arrived: Vec<Section> = Vec::new();
    let all: BTreeSet<&String> = old_files.keys().chain(new_files.keys()).collect();
    for file in all {
        let (before, after) = (old_files.get(file), new_files.get(file));
        if before == after {
            continue;
        }
        let source_name = format!("{name}/{file}");
        let read = |blob: Option<&Oid>| -> std::result::Result<Vec<Section>, String> {
            match blob {
                None => Ok(Vec::new()),
                Some(blob) => text_of(&repo, *blob, &source_name)
                    .map(|text| sections(&text, &source_name, &source.tags)),
            }
        };
        // A file that cannot be read now is left as it was, not taken as emptied; one that
        // could not be read before gave no question then.
        let theirs = match read(after) {
            Ok(t) => t,
            Err(e) => {
                report.problems.push(e);
                continue;
            }
        };
        let base = read(before).unwrap_or_default();
        let (p, g, a) = pair(base, theirs);
        pairs.extend(p);
        gone.extend(g);
        arrived.extend(a);
    }
    // A question that moved to another file (or under a renamed heading) is the same question.
    let (moved, mut gone, arrived) = pair_moved(gone, arrived);
    pairs.extend(moved);

    // The clone's files show the new commit (it is kb's own clone): images beside the notes
    // are read from there.
    let _ = git_in(
        kb,
        &dir,
        &[
            "checkout",
            "--quiet",
            "--force",
            "--detach",
            &new.to_string(),
        ],
    );
    let on_disk: Vec<(PathBuf, String)> = new_files
        .keys()
        .map(|f| (dir.join(f), format!("{name}/{f}")))
        .collect();
    // Base and theirs get the links `kb source add` gave the bank's copy (images in assets/,
    // notes as kb:ID), so a link is not taken for an edit on either side.
    let mut assets: Vec<crate::import::Asset> = Vec::new();
    for (b, t) in pairs.iter_mut() {
        let id = b
            .question
            .imported_from
            .as_deref()
            .and_then(|f| by_source.get(f))
            .map(|q| q.id.clone())
            .unwrap_or_default();
        let mut two = [b.question.clone(), t.question.clone()];
        for q in &mut two {
            q.id = id.clone();
        }
        let links = crate::import::rewrite_links(&mut two, &on_disk, &existing);
        assets.extend(links.assets);
        let [nb, nt] = two;
        b.question.answer = nb.answer;
        t.question.answer = nt.answer;
    }
    for b in gone.iter_mut() {
        let mut one = [b.question.clone()];
        if let Some(q) = b
            .question
            .imported_from
            .as_deref()
            .and_then(|f| by_source.get(f))
        {
            one[0].id = q.id.clone();
        }
        crate::import::rewrite_links(&mut one, &on_disk, &existing);
        b.question.answer = one[0].answer.clone();
    }

    let now = crate::time::now();
    let label = format!("{name} at {to_short}");
    let mut changes: Vec<FileChange> = Vec::new();
    for (b, t) in &pairs {
        let from = b.question.imported_from.as_deref().unwrap_or_default();
        let Some(ours) = by_source.get(from) else {
            if !same_section(&b.question, &t.question) {
                report.not_in_bank.push(from.to_string());
            }
            continue;
        };
        let (mut merged, conflict) = merge_section(&b.question, ours, &t.question, now, &label);
        if same_content(&merged, ours) {
            continue;
        }
        let mut moved_only = merged.clone();
        moved_only.imported_from = ours.imported_from.clone();
        if same_content(&moved_only, ours) {
            // Only its place in the source moved: the question itself did not change.
            merged.updated = ours.updated;
            changes.push(kb.question_file(&merged)?);
            report.renumbered += 1;
        } else {
            changes.push(kb.question_file(&merged)?);
            if conflict {
                report.conflicts.push(merged.id.clone());
            }
            report.updated.push(Change::of(&merged));
        }
    }
    for b in &gone {
        let from = b.question.imported_from.as_deref().unwrap_or_default();
        let Some(ours) = by_source.get(from) else {
            continue;
        };
        let base = as_version_of(&b.question, ours).0;
        if same_content(&base, ours) {
            changes.push((format!("{QUESTIONS_DIR}/{}.yaml", ours.id), None));
            report.removed.push(Change::of(ours));
        } else {
            report.kept.push(Change::of(ours));
        }
    }
    let mut taken = HashSet::new();
    let mut new_questions = Vec::new();
    for mut t in arrived {
        if !admit.admit(&t.unit, &mut t.question) {
            report.duplicates += 1;
            continue;
        }
        let mut q = t.question;
        q.id = loop {
            let id = kb.new_id();
            if taken.insert(id.clone()) {
                break id;
            }
        };
        new_questions.push(q);
    }
    let links = crate::import::rewrite_links(&mut new_questions, &on_disk, &existing);
    assets.extend(links.assets);
    for q in &new_questions {
        changes.push(kb.question_file(q)?);
        report.new.push(Change::of(q));
    }
    // The images now shown: copied before the change that names them.
    let also = crate::import::Asset::copy_all(kb, &assets)?;

    config.sources[index].commit = new.to_string();
    if config.sources[index].branch.is_none() {
        config.sources[index].branch = Some(branch.clone());
    }
    changes.push((CONFIG_FILE.to_string(), Some(config.to_yaml())));
    let message = update_message(&report, &from_short, &to_short);
    (report.kb_commit, report.index_problem) = stage_and_commit(tx, changes, also, &message)?;
    // The clone's files show what is imported now (kb reads commits, not these files).
    let _ = git_in(
        kb,
        &dir,
        &[
            "checkout",
            "--quiet",
            "--force",
            "-B",
            &branch,
            &new.to_string(),
        ],
    );
    Ok(report)
}

/// Every source's standing, from what its clone knows (see [`fetch`] to ask the remote first).
pub fn list(kb: &Kb) -> Result<Vec<Status>> {
    Ok(sources(kb)?.iter().map(|s| status(kb, s)).collect())
}

/// Fetch source `source`'s branch into its clone (cloning it again when it is missing), so
/// [`list`] can tell how far behind it is. Writes nothing in the bank.
pub fn fetch(kb: &Kb, source: &Source) -> Result<()> {
    remove_leftovers(kb);
    ensure_clone(kb, source)?;
    let repo = Repository::open(clone_dir(kb, &source.name))?;
    let branch = branch_of(source, &repo)?;
    fetch_branch(kb, source, &branch)
}

fn status(kb: &Kb, s: &Source) -> Status {
    let dir = clone_dir(kb, &s.name);
    let repo = Repository::open(&dir).ok();
    let branch = repo.as_ref().and_then(|r| branch_of(s, r).ok());
    let remote = repo
        .as_ref()
        .zip(branch.as_ref())
        .and_then(|(r, b)| remote_commit(r, b));
    let behind = match (&repo, remote, Oid::from_str(&s.commit)) {
        (Some(r), Some(remote), Ok(local)) if r.find_commit(local).is_ok() => r
            .graph_ahead_behind(local, remote)
            .ok()
            .map(|(_, behind)| behind),
        _ => None,
    };
    Status {
        name: s.name.clone(),
        url: s.url.clone(),
        path: s.path.clone(),
        tags: s.tags.clone(),
        branch: s.branch.clone().or(branch),
        commit: s.commit.clone(),
        cloned: repo.is_some(),
        remote_commit: remote.map(|o| o.to_string()),
        behind,
    }
}

// ---------------------------------------------------------------------------------------------
// Pairing and merging sections.

/// One question of a file at one commit, with what the importer knows about it.
#[derive(Debug, Clone)]
struct Section {
    unit: Unit,
    question: Question,
}

fn sections(text: &str, source: &str, tags: &[String]) -> Vec<Section> {
    let (e, questions) = questions_of(text, source, tags);
    e.units
        .into_iter()
        .zip(questions)
        .map(|(unit, question)| Section { unit, question })
        .collect()
}

/// The GitHub anchor of the heading a section is (or sits under).
fn anchor(s: &Section) -> &str {
    &s.unit.anchor
}

/// Match one file's sections at the recorded commit (`base`) to the same file's now
/// (`theirs`): by heading anchor; where several questions share an anchor, by anchor and
/// [`duplicate_key`], then in order. Returns the pairs, the base sections left (removed
/// upstream) and the new ones left (added upstream).
fn pair(
    base: Vec<Section>,
    theirs: Vec<Section>,
) -> (Vec<(Section, Section)>, Vec<Section>, Vec<Section>) {
    let mut by_anchor: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, s) in base.iter().enumerate() {
        by_anchor
            .entry(anchor(s).to_string())
            .or_default()
            .0
            .push(i);
    }
    for (i, s) in theirs.iter().enumerate() {
        by_anchor
            .entry(anchor(s).to_string())
            .or_default()
            .1
            .push(i);
    }
    let mut matched: Vec<(usize, usize)> = Vec::new();
    for (bs, ts) in by_anchor.values() {
        if let ([b], [t]) = (bs.as_slice(), ts.as_slice()) {
            matched.push((*b, *t));
            continue;
        }
        let mut free_t: Vec<usize> = ts.clone();
        let mut free_b: Vec<usize> = Vec::new();
        for &b in bs {
            let key = duplicate_key(&base[b].question.question);
            match free_t
                .iter()
                .position(|&t| duplicate_key(&theirs[t].question.question) == key)
            {
                Some(at) => matched.push((b, free_t.remove(at))),
                None => free_b.push(b),
            }
        }
        matched.extend(free_b.into_iter().zip(free_t));
    }
    matched.sort();
    let (pb, pt): (HashSet<usize>, HashSet<usize>) = matched.iter().copied().unzip();
    let mut base: Vec<Option<Section>> = base.into_iter().map(Some).collect();
    let mut theirs: Vec<Option<Section>> = theirs.into_iter().map(Some).collect();
    let pairs = matched
        .iter()
        .filter_map(|&(b, t)| Some((base[b].take()?, theirs[t].take()?)))
        .collect();
    let gone = base
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !pb.contains(i))
        .filter_map(|(_, s)| s)
        .collect();
    let arrived = theirs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !pt.contains(i))
        .filter_map(|(_, s)| s)
        .collect();
    (pairs, gone, arrived)
}

/// Sections removed in one place and added in another with the same question (a file renamed
/// or split, a heading renamed above a question): paired when the question is unique on both
/// sides, so the user's edits follow it instead of it being removed and added again.
fn pair_moved(
    gone: Vec<Section>,
    arrived: Vec<Section>,
) -> (Vec<(Section, Section)>, Vec<Section>, Vec<Section>) {
    let count = |list: &[Section]| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for s in list {
            *n.entry(duplicate_key(&s.question.question)).or_default() += 1;
        }
        n
    };
    let (ng, na) = (count(&gone), count(&arrived));
    let unique = |k: &str| ng.get(k) == Some(&1) && na.get(k) == Some(&1) && !k.is_empty();
    let mut waiting: HashMap<String, Section> = HashMap::new();
    let mut left_gone = Vec::new();
    for s in gone {
        let k = duplicate_key(&s.question.question);
        if unique(&k) {
            waiting.insert(k, s);
        } else {
            left_gone.push(s);
        }
    }
    let mut pairs = Vec::new();
    let mut left_arrived = Vec::new();
    for s in arrived {
        let k = duplicate_key(&s.question.question);
        match waiting.remove(&k) {
            Some(b) => pairs.push((b, s)),
            None => left_arrived.push(s),
        }
    }
    left_gone.extend(waiting.into_values());
    left_gone.sort_by(|a, b| a.question.imported_from.cmp(&b.question.imported_from));
    (pairs, left_gone, left_arrived)
}

/// Whether two versions of a section say the same (where it is aside).
fn same_section(a: &Question, b: &Question) -> bool {
    a.question == b.question
        && crate::yaml::normalise_block(&a.answer) == crate::yaml::normalise_block(&b.answer)
        && a.tags == b.tags
}

/// An imported section as a version of the bank question `ours`: its id and dates, in the
/// form its file would have. When `ours` carries the heading path the import put in front of a
/// topic named like another one (`자료구조: Array`), the version carries it too, so that is not
/// taken for an edit. Returns the version and that prefix.
fn as_version_of(q: &Question, ours: &Question) -> (Question, Option<String>) {
    let mut v = q.clone();
    v.id = ours.id.clone();
    v.created = ours.created;
    v.updated = ours.updated;
    let prefix = ours
        .question
        .strip_suffix(q.question.as_str())
        .filter(|p| p.ends_with(": ") && ours.question != q.question)
        .map(String::from);
    if let Some(p) = &prefix {
        v.question = format!("{p}{}", q.question);
    }
    (canonical(v), prefix)
}

/// `q` as written to and read back from its file, so comparisons see what the file holds.
fn canonical(q: Question) -> Question {
    Question::parse(Path::new(QUESTIONS_DIR), &q.to_yaml(), None).unwrap_or(q)
}

/// The three-way merge of one section: base and theirs made versions of `ours`, answers both
/// sides changed merged line by line where their changes do not touch (else [`merge3`] keeps
/// both), then [`merge3`]. `label` names upstream in what merge3 records. Returns the merged
/// question (dated `now` when it changed) and whether both sides changed the same thing.
fn merge_section(
    base: &Question,
    ours: &Question,
    theirs: &Question,
    now: Timestamp,
    label: &str,
) -> (Question, bool) {
    let (b, prefix) = as_version_of(base, ours);
    let (mut t, _) = as_version_of(theirs, ours);
    if let Some(p) = &prefix {
        t.question = format!("{p}{}", theirs.question);
    }
    let mut o = ours.clone();
    if b.answer != o.answer
        && b.answer != t.answer
        && o.answer != t.answer
        && let Some(lines) = merge_lines(&b.answer, &o.answer, &t.answer)
    {
        let merged = crate::yaml::normalise_block(&lines);
        o.answer = merged.clone();
        t.answer = merged;
    }
    let result = merge3(Some(&b), Some(&o), Some(&t), now);
    let mut q = result.question.unwrap_or_else(|| ours.clone());
    // merge3 speaks of kb sync's "other machine"; here the other side is the source.
    const OTHER: &str = "the other machine's version";
    if !ours.answer.contains(OTHER) {
        q.answer = q.answer.replace(OTHER, label);
    }
    for record in q.merged.iter_mut() {
        if ours.merged.contains(record) {
            continue;
        }
        let note = Value::String("note".into());
        if record.get(&note).and_then(Value::as_str) == Some(OTHER) {
            record.insert(note, Value::String(format!("upstream: {label}")));
        }
    }
    if !same_content(&q, ours) {
        q.updated = Some(now);
    }
    (q, result.conflict)
}

/// A three-way merge of lines (diff3): the changes of `ours` and `theirs` against `base` put
/// together, or `None` when they touch the same lines (or lines next to each other) in
/// different ways. Texts of more than 2,000 lines are not merged this way (`None`).
fn merge_lines(base: &str, ours: &str, theirs: &str) -> Option<String> {
    let b: Vec<&str> = base.lines().collect();
    let o: Vec<&str> = ours.lines().collect();
    let t: Vec<&str> = theirs.lines().collect();
    if [b.len(), o.len(), t.len()].iter().any(|n| *n > 2000) {
        return None;
    }
    let mo = matches(&b, &o);
    let mt = matches(&b, &t);
    let mut out: Vec<&str> = Vec::new();
    let (mut i, mut j, mut k) = (0, 0, 0);
    loop {
        // Lines unchanged on both sides.
        while i < b.len() && mo[i] == Some(j) && mt[i] == Some(k) {
            out.push(b[i]);
            i += 1;
            j += 1;
            k += 1;
        }
        // The next base line both sides kept ends the changed chunk.
        let next = (i..b.len()).find(|&x| mo[x].is_some() && mt[x].is_some());
        let (ei, ej, ek) = match next {
            Some(x) => (x, mo[x]?, mt[x]?),
            None => (b.len(), o.len(), t.len()),
        };
        let (cb, co, ct) = (&b[i..ei], &o[j..ej], &t[k..ek]);
        if co == cb {
            out.extend_from_slice(ct);
        } else if ct == cb || co == ct {
            out.extend_from_slice(co);
        } else {
            return None;
        }
        if next.is_none() {
            break;
        }
        (i, j, k) = (ei, ej, ek);
    }
    let mut text = out.join("\n");
    text.push('\n');
    Some(text)
}

/// For each line of `a`, the line of `b` it is matched to in a longest common subsequence.
fn matches(a: &[&str], b: &[&str]) -> Vec<Option<usize>> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = vec![None; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out[i] = Some(j);
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Which sections come in as new questions: the rule `kb import` applies (see
/// `kb::import::plan`): not when a question came from the same place or says the same
/// (case, spacing and punctuation aside); a topic named like another one is named with the
/// heading above it instead (`자료구조: Array`).
struct Admit {
    sources: HashSet<String>,
    seen: HashSet<String>,
}

impl Admit {
    fn new(existing: &Existing) -> Admit {
        Admit {
            sources: existing.sources.clone(),
            seen: existing.keys.clone(),
        }
    }

    fn admit(&mut self, u: &Unit, q: &mut Question) -> bool {
        let from = q.imported_from.clone().unwrap_or_default();
        let mut key = duplicate_key(&q.question);
        if key.is_empty() {
            return false;
        }
        let duplicate = self.sources.contains(&from);
        if !duplicate && self.seen.contains(&key) && u.kind != UnitKind::Question {
            for outer in u.path.iter().rev() {
                let named = format!("{outer}: {}", q.question);
                let k = duplicate_key(&named);
                if !self.seen.contains(&k) {
                    q.question = named;
                    key = k;
                    break;
                }
            }
        }
        let fresh = self.seen.insert(key);
        !duplicate && fresh
    }
}

fn update_message(r: &Updated, from: &str, to: &str) -> String {
    let no_change =
        r.updated.is_empty() && r.new.is_empty() && r.removed.is_empty() && r.renumbered == 0;
    let mut m = if no_change {
        format!("source {}: {from}..{to}: no question changed", r.name)
    } else {
        format!("source {}: {from}..{to}: {}", r.name, r.counts())
    };
    let mut body = Vec::new();
    for c in &r.updated {
        let what = if r.conflicts.contains(&c.id) {
            "both changed (tagged conflict)"
        } else {
            "updated"
        };
        body.push(format!(
            "{what} {}: {}",
            c.id,
            crate::model::truncate_chars(&c.question, 60)
        ));
    }
    for (what, list) in [("new", &r.new), ("removed", &r.removed)] {
        for c in list {
            body.push(format!(
                "{what} {}: {}",
                c.id,
                crate::model::truncate_chars(&c.question, 60)
            ));
        }
    }
    for c in &r.kept {
        body.push(format!("kept {}: removed upstream, edited here", c.id));
    }
    if r.renumbered > 0 {
        body.push(format!(
            "{} question{} moved in the source (imported_from follows)",
            r.renumbered,
            plural(r.renumbered)
        ));
    }
    for f in &r.not_in_bank {
        body.push(format!("not in the bank, left out: {f}"));
    }
    if !body.is_empty() {
        m.push_str("\n\n");
        m.push_str(&body.join("\n"));
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The clone and git.

/// The bank's question files that could not be read: left out of the duplicate check (and, on
/// update, taken as not in the bank), and said so.
fn unreadable(loaded: &crate::store::Loaded) -> Vec<String> {
    loaded
        .problems
        .iter()
        .map(|p| format!("{p} (this question file was left out)"))
        .collect()
}

/// kb.yaml as it is on disk now (under the write lock: as the commit will find it).
fn read_config(kb: &Kb) -> Result<Config> {
    let path = display_path(&kb.root().join(CONFIG_FILE));
    let text = crate::store::read_text(&path)?;
    Config::parse(&path, &text).map_err(Error::Invalid)
}

fn find<'a>(config: &'a Config, name: &str) -> Option<&'a Source> {
    config
        .sources
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

fn no_such_source(config: &Config, name: &str) -> Error {
    let known: Vec<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
    Error::Repository(if known.is_empty() {
        format!("no source named {name:?}: this knowledge base follows none (kb source add URL)")
    } else {
        format!(
            "no source named {name:?} (this knowledge base follows {})",
            known.join(", ")
        )
    })
}

/// A URL git would take as an option (`--upload-pack=…`) is refused before git sees it.
fn check_url(url: &str) -> Result<&str> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::Repository("the source URL is empty".into()));
    }
    if url.starts_with('-') {
        return Err(Error::Repository(format!(
            "the URL {url:?} starts with `-`, which git would take as an option; kb refuses it"
        )));
    }
    Ok(url)
}

fn short(oid: Oid) -> String {
    oid.to_string()[..7].to_string()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Run git with `dir` as its working folder, through kb's one git runner ([`crate::git::run`]:
/// killed with kb, holding kb's write lock while it runs, no background housekeeping).
fn git_in(kb: &Kb, dir: &Path, args: &[&str]) -> Result<Output> {
    let dir = dir
        .to_str()
        .ok_or_else(|| Error::Repository(format!("{}: not a UTF-8 path", dir.display())))?;
    let mut all = vec!["-C", dir];
    all.extend_from_slice(args);
    crate::git::run::run(kb.repo(), &all)
}

fn git_words(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    let text = text.trim();
    if text.is_empty() {
        format!("git exited with {}", out.status)
    } else {
        text.to_string()
    }
}

/// A clone being made in `.git/kb/sources/.tmp-<name>-<pid>`, removed when dropped unless it
/// was moved into place.
struct TempClone(PathBuf);

impl TempClone {
    fn clone(kb: &Kb, url: &str, name: &str) -> Result<TempClone> {
        let parent = kb.state().sources();
        fs::create_dir_all(&parent).at(&parent)?;
        let tmp = TempClone(parent.join(format!(".tmp-{name}-{}", std::process::id())));
        if tmp.0.exists() {
            fs::remove_dir_all(&tmp.0).at(&tmp.0)?;
        }
        let target = tmp
            .0
            .to_str()
            .ok_or_else(|| Error::Repository(format!("{}: not a UTF-8 path", tmp.0.display())))?
            .to_string();
        let out = crate::git::run::run(kb.repo(), &["clone", "--quiet", "--", url, &target])?;
        if !out.status.success() {
            return Err(Error::Repository(format!(
                "could not clone {url}: {}",
                git_words(&out)
            )));
        }
        Ok(tmp)
    }

    fn keep_as(self, dir: &Path) -> Result<()> {
        let result = fs::rename(&self.0, dir).at(dir);
        if result.is_ok() {
            std::mem::forget(self);
        }
        result
    }
}

impl Drop for TempClone {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Clones a killed kb left half made (called with the write lock held: no kb is making one).
fn remove_leftovers(kb: &Kb) {
    let Ok(entries) = fs::read_dir(kb.state().sources()) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(".tmp-") {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Clone `source` again when its clone is missing (a fresh machine after `git clone` of the
/// knowledge base). Returns whether it did.
fn ensure_clone(kb: &Kb, source: &Source) -> Result<bool> {
    let dir = clone_dir(kb, &source.name);
    if Repository::open(&dir).is_ok() {
        return Ok(false);
    }
    let url = check_url(&source.url)?;
    let tmp = TempClone::clone(kb, url, &source.name)?;
    if dir.exists() {
        fs::remove_dir_all(&dir).at(&dir)?;
    }
    tmp.keep_as(&dir)?;
    Ok(true)
}

/// The branch a source follows: the recorded one, else the clone's current branch.
fn branch_of(source: &Source, repo: &Repository) -> Result<String> {
    if let Some(b) = &source.branch {
        return Ok(b.clone());
    }
    let head = repo.head().ok();
    head.as_ref()
        .filter(|h| h.is_branch())
        .and_then(|h| h.shorthand().ok())
        .map(String::from)
        .ok_or_else(|| {
            Error::Repository(format!(
                "source {}: no branch recorded and its clone is on none; add `branch: main` \
                 (or the branch to follow) to its entry in kb.yaml",
                source.name
            ))
        })
}

/// `git fetch` of the source's branch from the URL kb.yaml records (it wins over whatever the
/// clone's `origin` says) into `refs/remotes/origin/<branch>`.
fn fetch_branch(kb: &Kb, source: &Source, branch: &str) -> Result<()> {
    let url = check_url(&source.url)?;
    let dir = clone_dir(kb, &source.name);
    let refspec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
    let out = git_in(
        kb,
        &dir,
        &["fetch", "--quiet", "--no-tags", "--", url, &refspec],
    )?;
    if !out.status.success() {
        return Err(Error::Repository(format!(
            "could not fetch source {} from {url}: {}",
            source.name,
            git_words(&out)
        )));
    }
    Ok(())
}

fn remote_commit(repo: &Repository, branch: &str) -> Option<Oid> {
    repo.refname_to_id(&format!("refs/remotes/origin/{branch}"))
        .ok()
}

/// The Markdown files of `commit` (under `under` when given), by path, with their blobs:
/// regular files named `*.md` / `*.markdown`, none inside a folder (or named) starting with `.`.
fn markdown_in(
    repo: &Repository,
    commit: Oid,
    under: Option<&str>,
    url: &str,
) -> Result<BTreeMap<String, Oid>> {
    let tree = repo.find_commit(commit)?.tree()?;
    if let Some(dir) = under
        && tree.get_path(Path::new(dir)).is_err()
    {
        return Err(Error::Repository(format!(
            "there is no {dir} in {url} at {}; nothing was changed",
            short(commit)
        )));
    }
    let mut out = BTreeMap::new();
    tree.walk(TreeWalkMode::PreOrder, |root, entry| {
        let Ok(name) = entry.name() else {
            return TreeWalkResult::Skip;
        };
        if name.starts_with('.') {
            return TreeWalkResult::Skip;
        }
        let path = format!("{root}{name}");
        let inside = |p: &str| {
            under.is_none_or(|u| {
                p == u || p.starts_with(&format!("{u}/")) || u.starts_with(&format!("{p}/"))
            })
        };
        match entry.kind() {
            Some(ObjectType::Tree) if inside(&path) => TreeWalkResult::Ok,
            Some(ObjectType::Tree) => TreeWalkResult::Skip,
            Some(ObjectType::Blob) => {
                let regular = matches!(entry.filemode(), 0o100644 | 0o100755);
                let markdown = Path::new(name).extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                });
                if regular
                    && markdown
                    && under.is_none_or(|u| path == u || path.starts_with(&format!("{u}/")))
                {
                    out.insert(path, entry.id());
                }
                TreeWalkResult::Ok
            }
            _ => TreeWalkResult::Ok,
        }
    })?;
    Ok(out)
}

/// A file of the source as text, as `kb import` reads one (NFC, no BOM), or why not.
fn text_of(repo: &Repository, blob: Oid, shown: &str) -> std::result::Result<String, String> {
    let blob = repo
        .find_blob(blob)
        .map_err(|e| format!("{shown}: {}", e.message()))?;
    if blob.size() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{shown}: larger than {} MB, the most kb reads; skipped",
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    String::from_utf8(blob.content().to_vec())
        .map(crate::text::incoming)
        .map_err(|_| format!("{shown}: not UTF-8 text; skipped"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_the_repository_base_name() {
        assert_eq!(
            default_name("https://github.com/me/cs-notes.git"),
            "cs-notes"
        );
        assert_eq!(default_name("git@github.com:me/CS_Study.git"), "CS_Study");
        assert_eq!(default_name("/home/me/notes/"), "notes");
        assert_eq!(default_name("/home/me/notes/.git"), "notes");
        assert_eq!(default_name("file:///srv/git/기술 노트.git"), "source");
        assert_eq!(default_name("git://127.0.0.1:9418/up.git"), "up");
    }

    #[test]
    fn subdirs_stay_inside_the_repository() {
        assert_eq!(
            normalise_subdir("./docs/os/").unwrap().as_deref(),
            Some("docs/os")
        );
        assert_eq!(normalise_subdir(".").unwrap(), None);
        assert!(normalise_subdir("../x").is_err());
        assert!(normalise_subdir("/etc").is_err());
    }

    #[test]
    fn lines_changed_apart_merge_and_lines_changed_together_do_not() {
        let base = "a\nb\nc\nd\ne\nf\n";
        let ours = "a\nB (mine)\nc\nd\ne\nf\n";
        let theirs = "a\nb\nc\nd\nE (upstream)\nf\ng\n";
        assert_eq!(
            merge_lines(base, ours, theirs).as_deref(),
            Some("a\nB (mine)\nc\nd\nE (upstream)\nf\ng\n")
        );
        assert_eq!(
            merge_lines(base, "a\nX\nc\nd\ne\nf\n", "a\nY\nc\nd\ne\nf\n"),
            None
        );
        // Both made the same change: once.
        assert_eq!(
            merge_lines(base, "a\nX\nc\nd\ne\nf\n", "a\nX\nc\nd\ne\nf\n").as_deref(),
            Some("a\nX\nc\nd\ne\nf\n")
        );
        // Insertions at both ends and a deletion.
        assert_eq!(
            merge_lines(base, "top\na\nb\nc\nd\ne\nf\n", "a\nb\nd\ne\nf\nbottom\n").as_deref(),
            Some("top\na\nb\nd\ne\nf\nbottom\n")
        );
    }

    fn section(question: &str, anchor: &str, line: usize) -> Section {
        let text = format!("## {question}\n\n{anchor} 본문\n");
        let mut s = sections(&text, "s/f.md", &[]).remove(0);
        s.question.imported_from = Some(format!("s/f.md:{line}#{anchor}"));
        s.unit.anchor = anchor.to_string();
        s
    }

    #[test]
    fn sections_pair_by_anchor_then_question_then_order() {
        let base = vec![
            section("TCP란?", "tcp", 1),
            section("UDP란?", "udp", 5),
            section("A란?", "same", 9),
            section("B란?", "same", 12),
            section("C란?", "same", 15),
        ];
        let theirs = vec![
            section("UDP란?", "udp", 1),
            section("B란?", "same", 4),
            section("A란?", "same", 8),
            section("C는 무엇인가?", "same", 10),
            section("새 질문?", "new", 12),
        ];
        let (pairs, gone, arrived) = pair(base, theirs);
        let names: Vec<(String, String)> = pairs
            .iter()
            .map(|(b, t)| (b.question.question.clone(), t.question.question.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("UDP란?".to_string(), "UDP란?".to_string()),
                ("A란?".to_string(), "A란?".to_string()),
                ("B란?".to_string(), "B란?".to_string()),
                ("C란?".to_string(), "C는 무엇인가?".to_string()),
            ]
        );
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].question.question, "TCP란?");
        assert_eq!(arrived.len(), 1);
        assert_eq!(arrived[0].question.question, "새 질문?");
    }
}
