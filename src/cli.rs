//! The command line: every command and flag, documented once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "kb",
    version,
    about = "A Git-native knowledge base for job-interview preparation",
    long_about = "A Git-native knowledge base for job-interview preparation.\n\n\
        Questions and answers are YAML files in a git repository, one question per file; every \
        change kb makes is one commit. Add the questions you prepare and the ones you were really \
        asked, tag them, and review them before the next interview.",
    after_help = "Which knowledge base: --kb DIR, else KB_DIR, else the nearest kb.yaml at or above \
        the current directory, else the per-user default (~/.local/share/kb on Linux, \
        ~/Library/Application Support/kb on macOS).",
    arg_required_else_help = true
)]
pub struct Cli {
    /// The knowledge base to use: a directory holding kb.yaml.
    #[arg(long, global = true, env = "KB_DIR", value_name = "DIR")]
    pub kb: Option<PathBuf>,

    /// Print JSON for scripts instead of text for people.
    #[arg(long, global = true)]
    pub json: bool,

    /// When to use colours (NO_COLOR is honoured in `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a knowledge base (and a git repository if DIR is not inside one).
    #[command(
        long_about = "Create a knowledge base in DIR (default: the current directory).\n\n\
        Writes kb.yaml, the project question template and the questions/, interviews/ and \
        projects/ folders, and commits them. If DIR is not inside a git repository, one is \
        created; if it is, the knowledge base lives in that repository as a sub-folder."
    )]
    Init(InitArgs),

    /// Add a question (opens $VISUAL/$EDITOR when no question is given).
    #[command(
        long_about = "Add a question and commit it. Prints the new id.\n\n\
        With no QUESTION, opens $VISUAL or $EDITOR (else vi) on a template like `git commit` \
        does: the first paragraph is the question, the rest the answer (Markdown); an empty \
        question aborts.",
        after_help = "Examples:\n  kb add \"추론 최적화는 어떻게 진행했나요?\" --tag ml --tag inference\n  \
        kb add \"Batch Normalization의 효과는?\" --answer-file bn.md\n  \
        pbpaste | kb add \"CNN의 receptive field란?\" -"
    )]
    Add(AddArgs),

    /// Show one question with its answer.
    Show(ShowArgs),

    /// List questions as a table.
    #[command(visible_alias = "ls")]
    List(ListArgs),

    /// Edit a question in $VISUAL/$EDITOR; invalid YAML is never committed.
    #[command(
        long_about = "Open a question's file in $VISUAL or $EDITOR (else vi).\n\n\
        The edit happens on a copy. When the editor exits, the copy is checked: if it is not \
        valid, the problem is shown with its line and column and you are offered to edit again; \
        if you decline, the real file is untouched and your copy is kept (its path is printed). \
        A valid edit is written and committed."
    )]
    Edit(EditArgs),

    /// Add or remove tags: kb tag ID... +tag -tag
    #[command(
        long_about = "Add (+tag) or remove (-tag) tags on questions, in one commit.\n\n\
        Name questions by id, or select them with --tag/--project (bulk form), or both.",
        after_help = "Examples:\n  kb tag q-7k3m +inference -draft\n  \
        kb tag --tag pytorch +deep-learning       (every question tagged pytorch)"
    )]
    Tag(TagArgs),

    /// Remove questions (one commit; undo with `kb git revert HEAD`).
    #[command(visible_alias = "remove")]
    Rm(RmArgs),

    /// Validate every file; print problems as path:line:col: message.
    Check,

    /// Rewrite hand-edited question files in kb's canonical form (one commit).
    #[command(
        long_about = "Rewrite every question file whose bytes differ from the form kb \
        writes (field order, sorted tags, timestamps, block answers), in one commit. Fields kb \
        does not know are kept; YAML comments are not. Files that do not parse are left alone \
        and reported."
    )]
    Fmt(FmtArgs),

    /// Run git in the knowledge base's repository: kb git log, kb git push, ...
    #[command(disable_help_flag = true)]
    Git(GitArgs),
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Where to create it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// A name for the knowledge base (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The question. Omit it to write question and answer in your editor.
    pub question: Option<String>,
    /// `-` reads the answer from standard input.
    #[arg(value_name = "-", value_parser = ["-"], hide_possible_values = true)]
    pub stdin: Option<String>,
    /// The answer (Markdown; may start with '-', as lists do).
    #[arg(long, short, allow_hyphen_values = true, conflicts_with_all = ["answer_file", "stdin"])]
    pub answer: Option<String>,
    /// Read the answer from a file (`-` for standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "stdin")]
    pub answer_file: Option<PathBuf>,
    /// A tag (repeat for more).
    #[arg(long = "tag", short, value_name = "TAG")]
    pub tags: Vec<String>,
    /// The résumé project the question belongs to.
    #[arg(long, short)]
    pub project: Option<String>,
    /// Use this id instead of a generated one (a-z, 0-9, '-', '_').
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The question's id, or an unambiguous prefix of it.
    pub id: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    /// By id.
    Id,
    /// Oldest first.
    Created,
    /// Most recently changed first.
    Updated,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only questions with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only questions of this project.
    #[arg(long, short)]
    pub project: Option<String>,
    /// Order of the rows.
    #[arg(long, value_enum, default_value_t = SortBy::Id)]
    pub sort: SortBy,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    /// The question's id, or an unambiguous prefix of it.
    pub id: String,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    /// Question ids and tag changes: +tag adds, -tag removes.
    #[arg(allow_hyphen_values = true, value_name = "ID|+TAG|-TAG")]
    pub items: Vec<String>,
    /// Also change every question with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG")]
    pub filter_tags: Vec<String>,
    /// Also change every question of this project.
    #[arg(long, short)]
    pub project: Option<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Ids of the questions to remove.
    #[arg(required = true)]
    pub ids: Vec<String>,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Only report the files that would change; exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

#[derive(Args, Debug)]
pub struct GitArgs {
    /// Arguments passed to git unchanged.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}
