//! The knowledge base on disk: where it is, reading and writing its files atomically, ids and
//! paths, and one git commit per change.
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
//! ```

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use git2::Repository;

use crate::error::{Error, IoContext, Problem, Result, display_path};
use crate::interview::Interview;
use crate::model::{Config, Question};
use crate::project::{Project, TemplateEntry};
use crate::{git, id};

pub mod layout;

use layout::State;
pub use layout::{
    ASSETS_DIR, CONFIG_FILE, INTERVIEWS_DIR, PROJECTS_DIR, QUESTIONS_DIR, REVIEWS_DIR,
    SYNONYMS_FILE, TEMPLATE_FILE, TEMPLATES_DIR,
};

/// One file of a [`Kb::write_change`]: its knowledge-base relative path and its new contents,
/// `None` to delete it.
pub type FileChange = (String, Option<String>);

/// The template `kb init` writes: the same one the sample knowledge base ships.
const DEFAULT_TEMPLATE: &str = include_str!("../../kb/templates/project-questions.yaml");

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

    /// A kb killed mid-commit or mid-sync leaves a marker. When one is there and no kb holds the
    /// write lock, clean up now, so even a read-only command sees a whole knowledge base.
    fn recover_if_abandoned(&self) {
        let state = self.state();
        if !state.committing().exists()
            && !state.syncing().exists()
            && !state.change_journal().exists()
        {
            return;
        }
        let Ok(file) = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(state.write_lock())
        else {
            return;
        };
        // The lock may still be held for a moment by a git process of the killed kb on its way
        // out; a kb that is really working keeps it longer, and is left alone.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        loop {
            if file.try_lock().is_ok() {
                let _ = self.recover();
                return;
            }
            if std::time::Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
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
        kb.commit(
            &[CONFIG_FILE, TEMPLATE_FILE],
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
        let mut interviews = Vec::new();
        let mut problems = Vec::new();
        for id in self.interview_ids()? {
            match self.load_interview(&id) {
                Ok(iv) => interviews.push(iv),
                Err(Error::Invalid(p)) => problems.push(p),
                Err(Error::InvalidId { .. }) => {}
                Err(e) => problems.push(Problem {
                    path: self.interview_path(&id)?,
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                }),
            }
        }
        Ok((interviews, problems))
    }

    /// Resolve what the user typed to an interview id (exact or unambiguous prefix).
    pub fn resolve_interview(&self, input: &str) -> Result<String> {
        let wanted = input.trim().to_ascii_lowercase();
        id::validate(&wanted)?;
        let ids = self.interview_ids()?;
        if ids.contains(&wanted) {
            return Ok(wanted);
        }
        let matches: Vec<&String> = ids.iter().filter(|i| i.starts_with(&wanted)).collect();
        match matches.as_slice() {
            [] => Err(Error::NotFoundInterview(input.to_string())),
            [one] => Ok((*one).clone()),
            many => Err(Error::Ambiguous {
                prefix: input.to_string(),
                candidates: many.iter().take(10).map(|s| s.to_string()).collect(),
            }),
        }
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
        let mut projects = Vec::new();
        let mut problems = Vec::new();
        for id in self.ids_in(PROJECTS_DIR)? {
            match self.load_project(&id) {
                Ok(p) => projects.push(p),
                Err(Error::Invalid(p)) => problems.push(p),
                Err(Error::InvalidId { .. }) => {}
                Err(e) => problems.push(Problem {
                    path: display_path(&self.root.join(PROJECTS_DIR).join(format!("{id}.yaml"))),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                }),
            }
        }
        Ok((projects, problems))
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
            [] => Err(Error::Repository(format!(
                "no project {input:?} (see `kb project list`; create it with `kb project add`)"
            ))),
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
        let matches: Vec<&String> = ids
            .iter()
            .filter(|id| id.starts_with(&wanted) || id.starts_with(&with_q))
            .collect();
        match matches.as_slice() {
            [] => Err(Error::NotFound(input.to_string())),
            [one] => Ok((*one).clone()),
            many => Err(Error::Ambiguous {
                prefix: input.to_string(),
                candidates: many.iter().take(10).map(|s| s.to_string()).collect(),
            }),
        }
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

    /// Make several files' changes one change: `files` (knowledge-base relative paths, each with
    /// its new contents or `None` to delete it), `also` (files the caller has already written
    /// atomically, such as images copied in by an import) and the commit `message` are first
    /// written to a journal (`.git/kb/change.json`), then applied and committed, then the
    /// journal goes. A kb killed anywhere in between leaves the journal, and the next kb
    /// finishes the change ([`Kb::finish_change`]): a merge never stays half done (the kept
    /// question updated, the merged one still there). `on_file` is called after each file is
    /// written (for a progress bar). Every change goes this way, one file too: killed before
    /// the commit, even a single added question is committed by the next kb with its own
    /// message. Call with the write lock held: the one caller is
    /// [`crate::tx::Transaction::commit`].
    pub(crate) fn write_change(
        &self,
        files: &[(String, Option<String>)],
        also: &[String],
        message: &str,
        on_file: &dyn Fn(),
    ) -> Result<Option<git2::Oid>> {
        let journal = self.state().change_journal();
        let record = serde_json::json!({
            "message": message,
            "files": files
                .iter()
                .map(|(path, contents)| serde_json::json!({"path": path, "contents": contents}))
                .collect::<Vec<_>>(),
            "also": also,
        });
        write_atomic(&journal, record.to_string().as_bytes())?;
        let result = self.apply_change(files, also, message, on_file);
        if result.is_ok() {
            let _ = fs::remove_file(&journal);
        }
        result
    }

    fn apply_change(
        &self,
        files: &[(String, Option<String>)],
        also: &[String],
        message: &str,
        on_file: &dyn Fn(),
    ) -> Result<Option<git2::Oid>> {
        let mut paths: Vec<String> = also
            .iter()
            .filter(|rel| self.root.join(rel).is_file())
            .map(|rel| self.repo_path(rel))
            .collect();
        for (rel, contents) in files {
            match contents {
                Some(text) => self.write_file(rel, text)?,
                None => {
                    let abs = self.root.join(rel);
                    if abs.exists() {
                        fs::remove_file(&abs).at(&abs)?;
                    }
                }
            }
            paths.push(self.repo_path(rel));
            on_file();
        }
        self.commit(&paths, message)
    }

    /// Finish the change a killed kb journalled (see [`Kb::write_change`]), if every file it
    /// names is still either as HEAD has it or as the change would leave it. A file changed in
    /// between by someone else stops it: the journal is then kept beside, renamed
    /// `change-<time>.json`, and nothing is written.
    fn finish_change(&self) {
        let journal = self.state().change_journal();
        let Ok(text) = fs::read_to_string(&journal) else {
            return;
        };
        let mut also: Vec<String> = Vec::new();
        let parsed: Option<(String, Vec<FileChange>)> =
            serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| {
                    if let Some(list) = v["also"].as_array() {
                        also = list
                            .iter()
                            .filter_map(|p| p.as_str().map(String::from))
                            .collect();
                    }
                    let message = v["message"].as_str()?.to_string();
                    let files = v["files"]
                        .as_array()?
                        .iter()
                        .map(|f| {
                            Some((
                                f["path"].as_str()?.to_string(),
                                f["contents"].as_str().map(String::from),
                            ))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    Some((message, files))
                });
        let head_tree = self.repo.head().and_then(|h| h.peel_to_tree()).ok();
        let untouched = |rel: &str, wanted: &Option<String>| -> bool {
            let now = fs::read(self.root.join(rel)).ok();
            let at_head = head_tree.as_ref().and_then(|t| {
                let entry = t.get_path(Path::new(&self.repo_path(rel))).ok()?;
                let blob = self.repo.find_blob(entry.id()).ok()?;
                Some(blob.content().to_vec())
            });
            now == at_head || now == wanted.as_ref().map(|w| w.as_bytes().to_vec())
        };
        match parsed {
            Some((message, files)) if files.iter().all(|(p, c)| untouched(p, c)) => {
                if self.apply_change(&files, &also, &message, &|| {}).is_ok() {
                    let _ = fs::remove_file(&journal);
                }
            }
            _ => {
                let stamp = crate::time::now().as_second();
                let _ = fs::rename(&journal, self.state().kept_journal(stamp));
            }
        }
    }

    /// Take the knowledge base's write lock, waiting (after calling `on_wait` once) while another
    /// kb process holds it, and clean up after any kb that was killed mid-write: its temporary
    /// files, git lock files it left in the middle of a commit, a rebase it left in the middle of
    /// a sync. The lock is released when the guard is dropped, or by the OS if the process dies.
    pub fn lock(&self, on_wait: &dyn Fn()) -> Result<WriteLock> {
        let state = self.state();
        let dir = state.dir();
        fs::create_dir_all(dir).at(dir)?;
        let path = state.write_lock();
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .at(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().at(&path)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(e).at(&path),
        }
        self.recover()?;
        // Every write ends in a commit that updates git's index. Find out now, before any file
        // is written, whether libgit2 can read it.
        if let Err(e) = self.repo.index() {
            let message = if e.message().contains("'link'") {
                "this repository uses git's split index (core.splitIndex), which kb's git \
                 library cannot read; turn it off with \
                 `git config core.splitIndex false && git update-index --no-split-index`"
                    .to_string()
            } else {
                format!("cannot read git's index (.git/index): {}", e.message())
            };
            return Err(Error::Repository(message));
        }
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // The git processes kb starts keep it (see `git::run`).
            git::run::share_write_lock(Some(file.as_raw_fd()));
        }
        // While the lock is held this marker says "a kb is writing"; finding it when taking the
        // lock means the last holder was killed, and only then are the big folders searched for
        // its temporary files (a listing of 100k questions costs tens of milliseconds).
        let marker = state.writing();
        fs::write(&marker, std::process::id().to_string()).at(&marker)?;
        Ok(WriteLock {
            _file: file,
            marker,
        })
    }

    /// [`Kb::lock`] for a command that commits: it also refuses, changing nothing, while the
    /// user has a git operation in progress or HEAD is detached (see [`crate::git::busy`]).
    pub(crate) fn lock_to_commit(&self, on_wait: &dyn Fn()) -> Result<WriteLock> {
        let lock = self.lock(on_wait)?;
        if let Some(why) = crate::git::busy(&self.repo) {
            return Err(Error::Repository(why));
        }
        crate::git::ensure_index_unlocked(&self.repo)?;
        Ok(lock)
    }

    /// Undo what a killed kb left behind (called with the write lock held, so nothing found
    /// here belongs to a kb still running).
    fn recover(&self) -> Result<()> {
        let gitdir = self.repo.path();
        let state = self.state();
        let abandoned = state.writing().exists();
        for folder in std::iter::once("").chain(layout::OWN_FOLDERS) {
            // Small folders are always checked (cheap); the questions folder when a writer died.
            if (folder == QUESTIONS_DIR || folder == ASSETS_DIR) && !abandoned {
                continue;
            }
            let dir = self.root.join(folder);
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(layout::TMP_PREFIX)
                {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        let committing = state.committing();
        let syncing = state.syncing();
        if (committing.exists() || syncing.exists()) && git_running_in(&self.root) {
            // A git of the user's is running here: its locks are its own, and a rebase may be
            // its too. Everything is left for a later kb (the markers stay).
            return Ok(());
        }
        if committing.exists() || syncing.exists() {
            // A kb died inside a git commit or a sync: the lock files are its own (or its git's:
            // those have ended, since they held this write lock too). A git the user is running
            // here now keeps its locks.
            // Any `*.lock` git keeps in its top folder (index, HEAD, MERGE_MSG, AUTO_MERGE...)
            // and under refs/.
            if let Ok(entries) = fs::read_dir(gitdir) {
                for e in entries.flatten() {
                    let path = e.path();
                    if path.is_file() && path.extension().is_some_and(|x| x == "lock") {
                        let _ = fs::remove_file(path);
                    }
                }
            }
            remove_lock_files(&gitdir.join("refs"));
        }
        if committing.exists() {
            // Killed inside a commit: the commit may have landed without git's index following
            // it (kb versions before this one wrote the index last), or the index may hold what
            // was never committed. For kb's own paths the index is set to HEAD; the working
            // tree keeps every file, so anything not committed is a hand edit the next sync
            // commits.
            let _ = crate::git::reset_index_to_head(&self.repo, &self.own_paths());
        }
        if syncing.exists() {
            crate::sync::undo_interrupted(self, &syncing);
            let _ = fs::remove_file(&syncing);
        }
        let _ = fs::remove_file(&committing);
        if state.change_journal().exists() {
            self.finish_change();
        }
        Ok(())
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
        result
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

/// The knowledge base's write lock; see [`Kb::lock`].
pub struct WriteLock {
    _file: fs::File,
    marker: PathBuf,
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        git::run::share_write_lock(None);
        // Before the lock itself is released (when `_file` is dropped, after this).
        let _ = fs::remove_file(&self.marker);
    }
}

/// Whether a `git` process other than kb's own is running with its working folder inside
/// `root` (read from /proc; elsewhere, or when /proc cannot be read, no).
fn git_running_in(root: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    let Ok(entries) = fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|e| {
        let dir = e.path();
        let is_pid = e
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit());
        is_pid
            && fs::read_to_string(dir.join("comm")).is_ok_and(|c| c.trim() == "git")
            && fs::read_link(dir.join("cwd")).is_ok_and(|cwd| cwd.starts_with(&root))
    })
}

fn remove_lock_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            remove_lock_files(&path);
        } else if path.extension().is_some_and(|x| x == "lock") {
            let _ = fs::remove_file(path);
        }
    }
}

/// The process's umask (read once: setting it to read it back is the only portable way).
#[cfg(unix)]
fn umask() -> u32 {
    static MASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MASK.get_or_init(|| {
        // SAFETY: umask only swaps the process's mask; it is put back at once.
        unsafe {
            let old = libc::umask(0o022);
            libc::umask(old);
            old as u32
        }
    })
}

/// Write a file the user named with `-o`: through a special file (a FIFO, `/dev/stdout`, a
/// terminal) as a plain write, since replacing it would put a regular file where the user's
/// pipe or device was; a regular file (or the file a symlink points to, the link staying)
/// atomically, as [`write_atomic`].
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    // Follow symlinks to the file they name, even one that does not exist yet.
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&target).at(&target)?;
                target = match target.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => break,
        }
    }
    match fs::metadata(&target) {
        Ok(m) if !m.is_file() && !m.is_dir() => {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .at(&target)?;
            f.write_all(bytes).at(&target)?;
            f.flush().at(&target)?;
            Ok(())
        }
        _ => write_atomic(&target, bytes),
    }
}

/// Write `bytes` to `path` atomically (temporary file + fsync + rename + fsync of the folder).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(layout::TMP_PREFIX)
        .tempfile_in(dir)
        .at(dir)?;
    tmp.write_all(bytes).at(tmp.path().to_path_buf())?;
    // The temporary file is made 0600; the file it becomes keeps the mode the old one had, or
    // gets the one the user's umask gives a new file (as git does): a shared bank stays shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match fs::metadata(path) {
            Ok(m) => m.permissions().mode() & 0o7777,
            Err(_) => 0o666 & !umask(),
        };
        let _ = tmp
            .as_file()
            .set_permissions(fs::Permissions::from_mode(mode));
    }
    tmp.as_file().sync_all().at(tmp.path().to_path_buf())?;
    tmp.persist(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    if let Ok(d) = fs::File::open(dir) {
        // Make the rename itself durable; not all platforms allow syncing a folder.
        let _ = d.sync_all();
    }
    Ok(())
}

/// The largest file kb reads as a question, interview, project or settings file. A question with
/// a 50 MB answer is a mistake (a pasted binary, a log), and would bloat every clone and the index.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Read a knowledge-base file as UTF-8 text: a regular file (not a link that could point
/// outside the knowledge base), at most [`MAX_FILE_BYTES`]. Bytes that are not UTF-8 are a
/// problem located at their line.
/// Read at most [`MAX_FILE_BYTES`] from `reader` (a file, a pipe, a device: `/dev/zero` has no
/// length to check beforehand); more is an error naming `what`, not an endless read.
pub fn read_limited(reader: impl std::io::Read, what: &str) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "{what} is larger than {} MB, the most kb reads",
            MAX_FILE_BYTES / 1_048_576
        )));
    }
    Ok(bytes)
}

/// [`read_limited`] of a file, as text.
pub fn read_file_limited(path: &Path) -> std::io::Result<String> {
    let bytes = read_limited(fs::File::open(path)?, &path.display().to_string())?;
    String::from_utf8(bytes)
        .map(crate::text::incoming)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

pub fn read_text(path: &Path) -> Result<String> {
    let meta = fs::symlink_metadata(path).at(path)?;
    let problem = |message: String| {
        Error::Invalid(Problem {
            path: display_path(path),
            line: 0,
            column: 0,
            message,
        })
    };
    if meta.file_type().is_symlink() {
        return Err(problem(
            "is a symbolic link; kb reads only regular files inside the knowledge base".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(problem(format!(
            "the file is {:.1} MB; kb reads files of at most {} MB",
            meta.len() as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        )));
    }
    if !meta.is_file() && !meta.is_dir() {
        return Err(problem("is not a regular file".into()));
    }
    let file = fs::File::open(path).at(path)?;
    let bytes = read_limited(file, &display_path(path).display().to_string()).at(path)?;
    utf8_text(path, bytes)
}

/// `bytes` read from `path` as text; bytes that are not UTF-8 are a problem at their line.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes)
        .map(crate::text::incoming)
        .map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column =
                valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
            Error::Invalid(Problem {
                path: display_path(path),
                line,
                column,
                message: "the file is not valid UTF-8 text".into(),
            })
        })
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
