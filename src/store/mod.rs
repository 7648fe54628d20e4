//! The knowledge base on disk: where it is, reading and writing its files atomically, ids and
//! paths, and one git commit per change.
//!
//! Here: [`Kb`] (open, read, commit); the parts are [`layout`] (every path named once), `io`
//! (atomic writes, careful reads), `lock` (the write lock), `journal` (a change of several files
//! as one) and `recover` (undoing what a killed kb left, a killed sync included).
//!
//! Layout of a knowledge base directory (which may be the root of a repository or a folder
//! inside one):
//!
//! ```text
//! kb.yaml                        settings (name, language, format version)
//! questions/<id>.yaml            one question per file
//! interviews/<id>.yaml           interview records
//! projects/<id>.yaml             résumé projects
//! templates/project-questions.yaml  the common questions asked about every project
//! templates/resume-rules.yaml    how `kb project import` drafts questions from a résumé
//! ```

use std::fs;
use std::path::{Component, Path, PathBuf};

use git2::{Repository, Status, StatusOptions};

use crate::error::{Error, IoContext, Problem, Result, display_path};
use crate::interview::Interview;
use crate::model::{Config, Question};
use crate::project::{Project, TemplateEntry};
use crate::{git, id};

mod io;
mod journal;
pub mod layout;
mod lock;
pub(crate) mod recover;

pub use io::{
    MAX_FILE_BYTES, read_file_limited, read_limited, read_text, utf8_text, write_atomic,
    write_output,
};
use layout::State;
pub use layout::{
    ASSETS_DIR, CONFIG_FILE, INTERVIEWS_DIR, PROJECTS_DIR, QUESTIONS_DIR, RESUME_RULES_FILE,
    REVIEWS_DIR, SYNONYMS_FILE, TEMPLATE_FILE, TEMPLATES_DIR,
};
pub use lock::WriteLock;

/// One file of a [`Kb::write_change`]: its knowledge-base relative path and its new contents,
/// `None` to delete it.
pub type FileChange = (String, Option<String>);

/// The template `kb init` writes: the same one the sample knowledge base ships.
const DEFAULT_TEMPLATE: &str = include_str!("../../kb/templates/project-questions.yaml");
/// The résumé rules `kb init` writes (`kb project import`): the sample knowledge base's.
pub const DEFAULT_RULES: &str = include_str!("../../kb/templates/resume-rules.yaml");

/// An open knowledge base.
pub struct Kb {
    root: PathBuf,
    /// The knowledge base's folder relative to the repository's working tree, `/`-separated,
    /// ending in `/` (empty when the knowledge base is the repository root).
    prefix: String,
    repo: Repository,
    /// `kb.yaml`.
    pub config: Config,
}

/// What loading every question produced: the questions that could be read, and a problem for
/// each file that could not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub questions: Vec<Question>,
    pub problems: Vec<Problem>,
}

/// Where kb looks for a knowledge base when neither `--kb` nor `KB_DIR` names one, after walking
/// up from the current directory: `~/.local/share/kb` on Linux (`$XDG_DATA_HOME/kb`),
/// `~/Library/Application Support/kb` on macOS.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kb").map(|d| d.data_dir().to_path_buf())
}

/// Find the knowledge base to use: `explicit` (from `--kb` or `KB_DIR`) if given, else the
/// nearest directory holding `kb.yaml` at or above `cwd`, else [`default_dir`].
pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        if dir.is_file() {
            let folder = dir.parent().filter(|p| !p.as_os_str().is_empty());
            return Err(Error::Repository(format!(
                "--kb/KB_DIR names the file {}; it takes the knowledge base's folder (the one \
                 holding kb.yaml){}",
                dir.display(),
                match folder {
                    Some(f) if f.join(CONFIG_FILE).is_file() => format!(": --kb {}", f.display()),
                    _ => String::new(),
                }
            )));
        }
        return Err(Error::NoKnowledgeBase {
            searched: format!(
                "{} (given with --kb or KB_DIR); create it with `kb init {}`",
                dir.display(),
                dir.display()
            ),
        });
    }
    let mut ups = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(CONFIG_FILE).is_file() {
            // Keep the path relative to where the user stands, so messages name files the way
            // the user would type them.
            return Ok(if ups.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                ups
            });
        }
        ups.push("..");
    }
    let default = default_dir();
    if let Some(dir) = &default
        && dir.join(CONFIG_FILE).is_file()
    {
        return Ok(dir.clone());
    }
    Err(Error::NoKnowledgeBase {
        searched: format!(
            "{} and its parents{}",
            cwd.display(),
            default
                .map(|d| format!(", and the default {}", d.display()))
                .unwrap_or_default()
        ),
    })
}

impl Kb {
    /// Open the knowledge base in `root` (a directory holding `kb.yaml`).
    pub fn open(root: &Path) -> Result<Kb> {
        let config_path = root.join(CONFIG_FILE);
        let text = read_text(&config_path)?;
        let config = Config::parse(&display_path(&config_path), &text).map_err(Error::Invalid)?;
        crate::names::set_company_aliases(&config.company_aliases());
        let repo = git::open(root)?;
        let prefix = repo_prefix(&repo, root)?;
        let kb = Kb {
            root: root.to_path_buf(),
            prefix,
            repo,
            config,
        };
        kb.recover_if_abandoned();
        Ok(kb)
    }

    /// Open the knowledge base at `root` as it is, for a reader that must write nothing (shell
    /// completion): unlike [`Kb::open`], what a killed kb left half-done is not cleaned up.
    pub fn open_as_is(root: &Path) -> Result<Kb> {
        let config_path = root.join(CONFIG_FILE);
        let text = read_text(&config_path)?;
        let config = Config::parse(&display_path(&config_path), &text).map_err(Error::Invalid)?;
        let repo = git::open(root)?;
        let prefix = repo_prefix(&repo, root)?;
        Ok(Kb {
            root: root.to_path_buf(),
            prefix,
            repo,
            config,
        })
    }

    /// Create a knowledge base in `root`, and a git repository there if `root` is not inside
    /// one. The new files are committed.
    pub fn init(root: &Path, name: Option<&str>) -> Result<Kb> {
        if root.join(CONFIG_FILE).exists() {
            return Err(Error::AlreadyExists(root.to_path_buf()));
        }
        fs::create_dir_all(root).at(root)?;
        let (repo, _created) = git::open_or_init(root)?;
        let prefix = repo_prefix(&repo, root)?;
        let name = match name {
            Some(n) => n.to_string(),
            None => fs::canonicalize(root)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "kb".into()),
        };
        let kb = Kb {
            root: root.to_path_buf(),
            prefix,
            repo,
            config: Config::new(&name),
        };
        for dir in [QUESTIONS_DIR, INTERVIEWS_DIR, PROJECTS_DIR] {
            fs::create_dir_all(root.join(dir)).at(root.join(dir))?;
        }
        kb.write_file(CONFIG_FILE, &kb.config.to_yaml())?;
        if !root.join(TEMPLATE_FILE).exists() {
            kb.write_file(TEMPLATE_FILE, DEFAULT_TEMPLATE)?;
        }
        if !root.join(RESUME_RULES_FILE).exists() {
            kb.write_file(RESUME_RULES_FILE, DEFAULT_RULES)?;
        }
        kb.commit(
            &[CONFIG_FILE, TEMPLATE_FILE, RESUME_RULES_FILE],
            &format!("init: knowledge base {name}"),
        )?;
        Ok(kb)
    }

    /// The knowledge base's folder, as the user named it.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The knowledge base's folder inside the repository, `/`-terminated ("" at the root).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// kb's own state inside the repository's git folder (`.git/kb`: the index, locks and
    /// markers, drafts; never in the working tree, never committed), path by path (see
    /// [`layout::State`]).
    pub fn state(&self) -> State {
        State::of(self.repo.path())
    }

    /// The git repository the knowledge base lives in.
    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// The file of question `id` (which must be a valid id).
    pub fn question_path(&self, id: &str) -> Result<PathBuf> {
        id::validate(id)?;
        Ok(display_path(
            &self.root.join(QUESTIONS_DIR).join(format!("{id}.yaml")),
        ))
    }

    /// Every question id, from the file names (cheap: nothing is parsed), sorted.
    pub fn question_ids(&self) -> Result<Vec<String>> {
        self.ids_in(QUESTIONS_DIR)
    }

    /// Every interview id, sorted.
    pub fn interview_ids(&self) -> Result<Vec<String>> {
        self.ids_in(INTERVIEWS_DIR)
    }

    /// The file of interview `id`.
    pub fn interview_path(&self, id: &str) -> Result<PathBuf> {
        id::validate(id)?;
        Ok(display_path(
            &self.root.join(INTERVIEWS_DIR).join(format!("{id}.yaml")),
        ))
    }

    /// Read one interview.
    pub fn load_interview(&self, id: &str) -> Result<Interview> {
        let path = self.interview_path(id)?;
        let text = read_text(&path)?;
        Interview::parse(&path, &text, Some(id)).map_err(Error::Invalid)
    }

    /// Every interview that can be read, and a problem for each that cannot.
    pub fn load_interviews(&self) -> Result<(Vec<Interview>, Vec<Problem>)> {
        let ids = self.interview_ids()?;
        Ok(self.load_each(&ids, |id| self.load_interview(id), INTERVIEWS_DIR))
    }

    /// Every record of `ids` that `load` can read, and a problem for each that it cannot (an
    /// invalid id is a file kb does not own, and is passed over). Interviews and projects.
    fn load_each<T>(
        &self,
        ids: &[String],
        load: impl Fn(&str) -> Result<T>,
        folder: &str,
    ) -> (Vec<T>, Vec<Problem>) {
        let mut records = Vec::new();
        let mut problems = Vec::new();
        for id in ids {
            match load(id) {
                Ok(r) => records.push(r),
                Err(Error::Invalid(p)) => problems.push(p),
                Err(Error::InvalidId { .. }) => {}
                Err(e) => problems.push(Problem {
                    path: display_path(&self.root.join(folder).join(format!("{id}.yaml"))),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                }),
            }
        }
        (records, problems)
    }

    /// Resolve what the user typed to an interview id (exact or unambiguous prefix).
    pub fn resolve_interview(&self, input: &str) -> Result<String> {
        let wanted = input.trim().to_ascii_lowercase();
        id::validate(&wanted)?;
        let ids = self.interview_ids()?;
        if ids.contains(&wanted) {
            return Ok(wanted);
        }
        let matches = ids.iter().filter(|i| i.starts_with(&wanted));
        one_of(input, matches, || {
            Error::NotFoundInterview(input.to_string())
        })
    }

    /// A question's file as one entry of a [`Kb::write_change`]: its path and its text.
    pub fn question_file(&self, q: &Question) -> Result<(String, Option<String>)> {
        id::validate(&q.id)?;
        Ok((format!("{QUESTIONS_DIR}/{}.yaml", q.id), Some(q.to_yaml())))
    }

    /// An interview's file as one entry of a [`Kb::write_change`].
    pub fn interview_file(&self, i: &Interview) -> Result<(String, Option<String>)> {
        id::validate(&i.id)?;
        Ok((format!("{INTERVIEWS_DIR}/{}.yaml", i.id), Some(i.to_yaml())))
    }

    /// A project's file as one entry of a [`Kb::write_change`].
    pub fn project_file(&self, p: &Project) -> Result<(String, Option<String>)> {
        id::validate(&p.id)?;
        Ok((format!("{PROJECTS_DIR}/{}.yaml", p.id), Some(p.to_yaml())))
    }

    /// Every project that can be read, and a problem for each that cannot.
    pub fn load_projects(&self) -> Result<(Vec<Project>, Vec<Problem>)> {
        let ids = self.ids_in(PROJECTS_DIR)?;
        Ok(self.load_each(&ids, |id| self.load_project(id), PROJECTS_DIR))
    }

    /// Read one project.
    pub fn load_project(&self, id: &str) -> Result<Project> {
        id::validate(id)?;
        let path = display_path(&self.root.join(PROJECTS_DIR).join(format!("{id}.yaml")));
        let text = read_text(&path)?;
        Project::parse(&path, &text, Some(id)).map_err(Error::Invalid)
    }

    /// The project the user means: its id, an unambiguous id prefix, or its name.
    pub fn resolve_project(&self, input: &str) -> Result<Project> {
        let (projects, _) = self.load_projects()?;
        let wanted = input.trim();
        let lower = wanted.to_lowercase();
        if let Some(p) = projects.iter().find(|p| p.id == lower || p.name == wanted) {
            return Ok(p.clone());
        }
        let matches: Vec<&Project> = projects
            .iter()
            .filter(|p| p.id.starts_with(&lower))
            .collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => {
                let mut near =
                    crate::names::suggest(input, projects.iter().map(|p| p.id.as_str()), 3);
                for p in projects.iter() {
                    if near.len() < 3
                        && !near.contains(&p.id)
                        && !crate::names::suggest(input, [p.name.as_str()], 1).is_empty()
                    {
                        near.push(p.id.clone());
                    }
                }
                Err(Error::Repository(format!(
                    "no project {input:?}{} (see `kb project list`; create it with `kb project \
                     add`)",
                    crate::names::did_you_mean(&near)
                )))
            }
            many => Err(Error::Ambiguous {
                prefix: input.to_string(),
                candidates: many.iter().map(|p| p.id.clone()).collect(),
            }),
        }
    }

    /// The project question template (`templates/project-questions.yaml`); the default one when
    /// the knowledge base has none.
    pub fn template(&self) -> Result<Vec<TemplateEntry>> {
        let path = self.root.join(TEMPLATE_FILE);
        let (shown, text) = if path.is_file() {
            (display_path(&path), read_text(&path)?)
        } else {
            (PathBuf::from(TEMPLATE_FILE), DEFAULT_TEMPLATE.to_string())
        };
        crate::project::parse_template(&shown, &text).map_err(Error::Invalid)
    }

    /// A knowledge-base relative path as a path inside the repository (for [`Kb::commit`]).
    pub fn repo_path_of(&self, rel: &str) -> String {
        self.repo_path(rel)
    }

    /// The stems of `*.yaml` files in a folder of the knowledge base, sorted.
    fn ids_in(&self, folder: &str) -> Result<Vec<String>> {
        let dir = self.root.join(folder);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).at(dir),
        };
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.at(&dir)?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if let Some(stem) = name.strip_suffix(".yaml")
                && !stem.starts_with('.')
            {
                ids.push(stem.to_string());
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Resolve what the user typed to one question id: an exact id, or an unambiguous prefix of
    /// one (`7k3m` also tries `q-7k3m`).
    pub fn resolve(&self, input: &str) -> Result<String> {
        let wanted = input.trim().to_ascii_lowercase();
        id::validate(&wanted)?;
        if self
            .root
            .join(QUESTIONS_DIR)
            .join(format!("{wanted}.yaml"))
            .is_file()
        {
            return Ok(wanted);
        }
        let ids = self.question_ids()?;
        let with_q = format!("q-{wanted}");
        let matches = ids
            .iter()
            .filter(|id| id.starts_with(&wanted) || id.starts_with(&with_q));
        one_of(input, matches, || Error::NotFound(input.to_string()))
    }

    /// Read and parse one question.
    pub fn load(&self, id: &str) -> Result<Question> {
        let path = self.question_path(id)?;
        let text = read_text(&path)?;
        Question::parse(&path, &text, Some(id)).map_err(Error::Invalid)
    }

    /// Read every question. A file that cannot be read becomes a problem in the result; it never
    /// stops the others from loading.
    pub fn load_all(&self) -> Result<Loaded> {
        let mut loaded = Loaded::default();
        for id in self.question_ids()? {
            let path = display_path(&self.root.join(QUESTIONS_DIR).join(format!("{id}.yaml")));
            if let Err(e) = id::validate(&id) {
                loaded.problems.push(Problem {
                    path,
                    line: 0,
                    column: 0,
                    message: format!("the file name is not a valid id: {e}"),
                });
                continue;
            }
            let text = match read_text(&path) {
                Ok(t) => t,
                Err(Error::Invalid(p)) => {
                    loaded.problems.push(p);
                    continue;
                }
                // A folder named like a question, a file that vanished or cannot be read: one
                // problem, not the end of the command.
                Err(e) => {
                    loaded.problems.push(Problem {
                        path: path.clone(),
                        line: 0,
                        column: 0,
                        message: match e {
                            Error::Io { source, .. } => source.to_string(),
                            other => other.to_string(),
                        },
                    });
                    continue;
                }
            };
            match Question::parse(&path, &text, Some(&id)) {
                Ok(q) => loaded.questions.push(q),
                Err(p) => loaded.problems.push(p),
            }
        }
        Ok(loaded)
    }

    /// Ids of the questions whose file differs from the canonical serialisation of what it
    /// holds (a hand edit, an older kb). Files that do not parse are in `problems`, untouched.
    pub fn unformatted(&self) -> Result<(Vec<Question>, Vec<Problem>)> {
        let loaded = self.load_all()?;
        let mut differ = Vec::new();
        for q in loaded.questions {
            let path = self.question_path(&q.id)?;
            let on_disk = fs::read(&path).at(&path)?;
            if on_disk != q.to_yaml().as_bytes() {
                differ.push(q);
            }
        }
        Ok((differ, loaded.problems))
    }

    /// A fresh id not used by any question.
    pub fn new_id(&self) -> String {
        loop {
            let id = id::generate("q");
            if !self
                .root
                .join(QUESTIONS_DIR)
                .join(format!("{id}.yaml"))
                .exists()
            {
                return id;
            }
        }
    }

    /// Write a question's file atomically. Returns its path inside the repository, for
    /// [`Kb::commit`].
    pub(crate) fn save(&self, question: &Question) -> Result<String> {
        let (rel, text) = self.question_file(question)?;
        self.write_file(&rel, text.as_deref().unwrap_or_default())?;
        Ok(self.repo_path(&rel))
    }

    /// Delete a question's file. Returns its path inside the repository, for [`Kb::commit`].
    pub(crate) fn delete(&self, id: &str) -> Result<String> {
        let path = self.question_path(id)?;
        fs::remove_file(&path).at(&path)?;
        Ok(self.repo_path(&format!("{QUESTIONS_DIR}/{id}.yaml")))
    }

    /// Commit `paths` (repository paths from [`Kb::save`]/[`Kb::delete`], or knowledge-base
    /// relative ones for kb's own files) as one commit. `None` when nothing changed.
    pub(crate) fn commit<S: AsRef<str>>(
        &self,
        paths: &[S],
        message: &str,
    ) -> Result<Option<git2::Oid>> {
        let marker = self.state().committing();
        if let Some(dir) = marker.parent() {
            fs::create_dir_all(dir).at(dir)?;
        }
        fs::write(&marker, std::process::id().to_string()).at(&marker)?;
        let result = self.commit_inner(paths, message);
        let _ = fs::remove_file(&marker);
        if let Ok(Some(_)) = &result {
            self.hint_identity_once();
        }
        result
    }

    /// A commit made with kb's fallback identity (git knows no user.name / user.email here)
    /// says how to set a real one, once per repository: `.git/kb` remembers that it was said.
    fn hint_identity_once(&self) {
        if self.repo.signature().is_ok() {
            return;
        }
        let Some(notice) = crate::settings::get().notice else {
            return;
        };
        let given = self.state().identity_hint_given();
        if given.exists() {
            return;
        }
        // Said only if it can be remembered: a hint repeated on every commit would be noise.
        if fs::write(&given, "").is_ok() {
            notice(&format!(
                "git has no user.name / user.email, so kb committed as {} <{}>.\n\
                 To commit as yourself from the next commit on:\n  \
                 git config --global user.name \"Your Name\"\n  \
                 git config --global user.email you@example.com\n\
                 (said once for this repository)",
                git::FALLBACK_NAME,
                git::FALLBACK_EMAIL
            ));
        }
    }

    fn commit_inner<S: AsRef<str>>(&self, paths: &[S], message: &str) -> Result<Option<git2::Oid>> {
        let paths: Vec<String> = paths
            .iter()
            .map(|p| {
                let p = p.as_ref();
                if !self.prefix.is_empty() && p.starts_with(&self.prefix) {
                    p.to_string()
                } else {
                    self.repo_path(p)
                }
            })
            .collect();
        git::commit_paths(&self.repo, &paths, message)
    }

    /// The knowledge base's own folders and files, as paths inside the repository: what kb
    /// commits, restores after a failed sync and resets git's index for after a killed commit.
    pub fn own_paths(&self) -> Vec<String> {
        layout::OWN_FOLDERS
            .iter()
            .chain(layout::OWN_FILES.iter())
            .map(|p| self.repo_path(p))
            .collect()
    }

    /// Files of the knowledge base changed in the working tree and not committed (hand edits).
    pub fn pending(&self) -> Result<Vec<String>> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        if !self.prefix.is_empty() {
            opts.pathspec(&self.prefix);
        }
        let statuses = self.repo.statuses(Some(&mut opts))?;
        let hidden = not_checked_out(&self.repo)?;
        let mut paths: Vec<String> = statuses
            .iter()
            .filter(|s| !s.status().is_empty() && s.status() != Status::IGNORED)
            .filter_map(|s| s.path().ok().map(String::from))
            .filter(|p| self.owns(p) && !hidden.contains(p.as_str()))
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// Whether a repository path is one of the knowledge base's own files (kb commits it).
    fn owns(&self, path: &str) -> bool {
        path.strip_prefix(&self.prefix).is_some_and(layout::owns)
    }

    /// A knowledge-base relative path as a path inside the repository.
    fn repo_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// Write a file of the knowledge base atomically: a temporary file in the same folder,
    /// flushed to disk, then renamed over the old one. A crash leaves the old file or the new
    /// one, never half of one.
    pub fn write_file(&self, rel: &str, contents: &str) -> Result<()> {
        let path = self.root.join(rel);
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).at(&dir)?;
        write_atomic(&path, contents.as_bytes())
    }
}

/// Paths git's index marks as not to be looked at in the working tree: outside a sparse
/// checkout (skip-worktree) or `git update-index --assume-unchanged`. libgit2's status does not
/// know these flags and reports a file outside the sparse set as deleted; committing that
/// "hand edit" would delete it on every machine.
fn not_checked_out(repo: &git2::Repository) -> Result<std::collections::HashSet<String>> {
    // The index entry flags, as git and libgit2 define them.
    const ASSUME_UNCHANGED: u16 = 0x8000;
    const SKIP_WORKTREE: u16 = 1 << 14;
    let index = repo.index()?;
    Ok(index
        .iter()
        .filter(|e| e.flags & ASSUME_UNCHANGED != 0 || e.flags_extended & SKIP_WORKTREE != 0)
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .collect())
}

/// The knowledge base's folder relative to the repository's working tree, as a `/`-separated
/// prefix ("" or "kb/").
fn repo_prefix(repo: &Repository, root: &Path) -> Result<String> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::Repository("the repository has no working tree".into()))?;
    let workdir = fs::canonicalize(workdir).at(workdir)?;
    let root_abs = fs::canonicalize(root).at(root)?;
    let rel = root_abs.strip_prefix(&workdir).map_err(|_| {
        Error::Repository(format!(
            "{} is not inside the repository at {}",
            root.display(),
            workdir.display()
        ))
    })?;
    let mut prefix = String::new();
    for part in rel.components() {
        if let Component::Normal(p) = part {
            prefix.push_str(&p.to_string_lossy());
            prefix.push('/');
        }
    }
    Ok(prefix)
}

/// The one id among `matches` that `input` (a prefix) names: none is `not_found`, several are
/// ambiguous (the first ten are named). Questions and interviews.
fn one_of<'a>(
    input: &str,
    matches: impl Iterator<Item = &'a String>,
    not_found: impl FnOnce() -> Error,
) -> Result<String> {
    let matches: Vec<&String> = matches.collect();
    match matches.as_slice() {
        [] => Err(not_found()),
        [one] => Ok((*one).clone()),
        many => Err(Error::Ambiguous {
            prefix: input.to_string(),
            candidates: many.iter().take(10).map(|s| s.to_string()).collect(),
        }),
    }
}
