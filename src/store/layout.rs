//! Where kb keeps things, named once: the knowledge base's own files in the working tree (what
//! kb commits, restores and cleans up after), and its private state under the repository's git
//! folder (`.git/kb`: locks, markers, the change journal, drafts, source clones, the index),
//! which is never in the working tree and never committed.

use std::path::{Path, PathBuf};

/// The settings file that marks a knowledge base.
pub const CONFIG_FILE: &str = "kb.yaml";
/// Folder of question files, one `<id>.yaml` each.
pub const QUESTIONS_DIR: &str = "questions";
/// Folder of interview records.
pub const INTERVIEWS_DIR: &str = "interviews";
/// Folder of résumé projects.
pub const PROJECTS_DIR: &str = "projects";
/// Folder of question templates.
pub const TEMPLATES_DIR: &str = "templates";
/// The common questions asked about every project.
pub const TEMPLATE_FILE: &str = "templates/project-questions.yaml";
/// How `kb project import` drafts questions from a résumé's lines.
pub const RESUME_RULES_FILE: &str = "templates/resume-rules.yaml";
/// Folder of review logs, one per clone.
pub const REVIEWS_DIR: &str = "reviews";
/// Folder of images copied in by an import, kept under their source path.
pub const ASSETS_DIR: &str = "assets";
/// The user's own search synonyms.
pub const SYNONYMS_FILE: &str = "synonyms.txt";

/// The knowledge base's own folders, relative to it: what kb commits and what a sync treats
/// as its own.
pub const OWN_FOLDERS: [&str; 6] = [
    QUESTIONS_DIR,
    INTERVIEWS_DIR,
    PROJECTS_DIR,
    TEMPLATES_DIR,
    REVIEWS_DIR,
    ASSETS_DIR,
];
/// The knowledge base's own single files, relative to it.
pub const OWN_FILES: [&str; 2] = [CONFIG_FILE, SYNONYMS_FILE];

/// The prefix of every temporary file kb writes before renaming it into place.
pub const TMP_PREFIX: &str = ".kb-tmp-";

/// Whether `rel` (a knowledge-base relative path, `/`-separated) is one of kb's own files: in
/// one of [`OWN_FOLDERS`] or one of [`OWN_FILES`], and not a temporary file.
pub fn owns(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or("");
    if name.starts_with(TMP_PREFIX) {
        return false;
    }
    OWN_FILES.contains(&rel)
        || OWN_FOLDERS
            .iter()
            .any(|d| rel.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
}

/// kb's private state inside a repository's git folder.
#[derive(Debug, Clone)]
pub struct State {
    dir: PathBuf,
}

impl State {
    /// The state folder of the repository whose git folder is `gitdir`.
    pub fn of(gitdir: &Path) -> State {
        State {
            dir: gitdir.join("kb"),
        }
    }

    /// `.git/kb` itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The write lock every writing kb holds.
    pub fn write_lock(&self) -> PathBuf {
        self.dir.join("write.lock")
    }

    /// Present while a kb holds the write lock: found when taking the lock, the last holder
    /// was killed.
    pub fn writing(&self) -> PathBuf {
        self.dir.join("writing")
    }

    /// Present while kb is inside a git commit.
    pub fn committing(&self) -> PathBuf {
        self.dir.join("committing")
    }

    /// Present while a sync is rebasing or merging; remembers where the branch was.
    pub fn syncing(&self) -> PathBuf {
        self.dir.join("syncing")
    }

    /// The journal of a change being written (see `Kb::write_change`).
    pub fn change_journal(&self) -> PathBuf {
        self.dir.join("change.json")
    }

    /// Where a journal that could not be finished is kept beside, stamped with a time.
    pub fn kept_journal(&self, stamp: i64) -> PathBuf {
        self.dir.join(format!("change-{stamp}.json"))
    }

    /// This clone's machine name for its review log.
    pub fn machine_id(&self) -> PathBuf {
        self.dir.join("machine-id")
    }

    /// The grades of a drill not yet committed (kept as they are given, so Ctrl-C loses none).
    pub fn drill_grades(&self) -> PathBuf {
        self.dir.join("drill.tsv")
    }

    /// Answers typed during a drill, not yet committed (kept line by line).
    pub fn drill_answers(&self) -> PathBuf {
        self.dir.join("drill-answers.json")
    }

    /// What people typed, kept until it is committed.
    pub fn drafts(&self) -> PathBuf {
        self.dir.join("drafts")
    }

    /// The clones of followed sources.
    pub fn sources(&self) -> PathBuf {
        self.dir.join("sources")
    }

    /// Files of the remote a sync that was interrupted would have overwritten, kept here.
    pub fn interrupted_sync(&self) -> PathBuf {
        self.dir.join("interrupted-sync")
    }

    /// The attributes file naming kb's merge driver during a sync.
    pub fn merge_attributes(&self) -> PathBuf {
        self.dir.join("attributes")
    }

    /// The log kb's merge driver appends to during a sync.
    pub fn merge_driver_log(&self) -> PathBuf {
        self.dir.join("merge-driver.log")
    }

    /// Present once kb has said how to set a git identity in place of its fallback one.
    pub fn identity_hint_given(&self) -> PathBuf {
        self.dir.join("identity-hint-given")
    }

    /// A search index folder (one per knowledge base in the repository).
    pub fn index(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owns_kb_folders_and_files_but_not_temporaries_or_neighbours() {
        for rel in [
            "questions/q-1.yaml",
            "kb.yaml",
            "synonyms.txt",
            "reviews/laptop.tsv",
            "assets/notes/img/a.png",
            "templates/project-questions.yaml",
            "templates/resume-rules.yaml",
        ] {
            assert!(owns(rel), "{rel}");
        }
        for rel in [
            "questions/.kb-tmp-123",
            "questionsx/q.yaml",
            "questions",
            "README.md",
            "src/main.rs",
            "kb.yaml.bak",
        ] {
            assert!(!owns(rel), "{rel}");
        }
    }

    #[test]
    fn state_paths_are_under_git_kb() {
        let s = State::of(Path::new("/r/.git"));
        assert_eq!(s.write_lock(), Path::new("/r/.git/kb/write.lock"));
        assert_eq!(s.kept_journal(7), Path::new("/r/.git/kb/change-7.json"));
        assert_eq!(s.sources(), Path::new("/r/.git/kb/sources"));
    }
}
