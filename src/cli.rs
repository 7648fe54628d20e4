//! The command line: every command and flag, documented once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

#[derive(Parser, Debug)]
#[command(
    name = "kb",
    version,
    about = "A Git-native knowledge base for job-interview preparation",
    long_about = "A Git-native knowledge base for job-interview preparation.\n\n\
        Questions and answers are YAML files in a git repository, one question per file; every \
        change kb makes is one commit. Add the questions you prepare and the ones you were really \
        asked, tag them, and review them before the next interview.",
    after_help = concat!(
        "Which knowledge base: --kb DIR, else KB_DIR, else the nearest kb.yaml at or above \
        the current directory, else the per-user default (~/.local/share/kb on Linux, \
        ~/Library/Application Support/kb on macOS).\n\n",
        crate::exit::exit_codes_help!()
    ),
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

    /// Do not send long output (show, list, prep, stats, interview show) to a pager.
    #[arg(long, global = true)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,
}

impl Command {
    /// Whether this command's output goes to a pager on a terminal (see `pager`).
    pub fn pages(&self) -> bool {
        match self {
            Command::Show(_) | Command::List(_) | Command::Stats(_) => true,
            Command::Prep(args) => args.output.is_none(),
            Command::Interview(InterviewCommand::Show(_)) => true,
            _ => false,
        }
    }
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
        With no QUESTION, opens $VISUAL or $EDITOR (else vi) on the draft `kb edit` shows: \
        header lines `question:`, `tags:` and `project:` (filled with --tag and --project), and \
        the answer (Markdown) below the scissors line. A question typed above or under the \
        header lines, the way `git commit` takes a message, is taken too: its first paragraph is \
        the question, the rest the start of the answer. An empty question aborts; a header \
        mistake is shown with its line and you are offered to edit again. What you write is kept in .git/kb/drafts until the commit lands; \
        `kb add --resume` goes on with it after Ctrl-C or a crash.\n\n\
        kb first looks for the same question in the bank. On a terminal it shows the close ones \
        (with what made them match) and asks: the same question (your answer and tags go to it; \
        with --asked-at, the interview is recorded on it), add anyway, or quit. In a script it \
        adds and names the look-alikes on stderr; --no-dedupe looks for nothing.",
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

    /// Edit a question's text, tags, project and answer in $VISUAL/$EDITOR.
    #[command(long_about = "Edit a question in $VISUAL or $EDITOR (else vi).\n\n\
        The editor opens the question, its tags and its project as header lines (`question:`, \
        `tags:`, `project:`) and, below the scissors line, the answer as plain Markdown, kept \
        byte for byte. Every other field of the file (asked, merged, follow_up_of, fields added \
        by hand) is kept as it is. --yaml opens the YAML file itself instead; a file that does not \
        parse is always opened as YAML, so it can be fixed.\n\n\
        The edit happens on a copy kept in .git/kb/drafts. When the editor exits, the copy is \
        checked: if it is not valid, the problem is shown with its line and column and you are \
        offered to edit again; if you decline (or press Ctrl-C), the real file is untouched and \
        your copy is kept: `kb edit ID --resume` opens it again. A valid edit is written and \
        committed, merged with any change made to the file meanwhile. Without an id, on a \
        terminal, a picker lists the questions to choose from.")]
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

    /// Search questions and answers (Korean and English; particles and spacing don't matter).
    #[command(
        long_about = "Search questions, tags and answers, best first.\n\n\
        Words are OR-ed and ranked by BM25, a match in the question counting more than one in the \
        tags or the answer. Korean particles and spacing do not matter (차원의저주 finds \
        '차원의 저주에 대해'), English is stemmed, and terms are matched across languages through \
        the glossary (과적합 finds overfitting) and the knowledge base's synonyms.txt. \
        \"exact phrase\" must appear as written; -word excludes.",
        after_help = "Examples:\n  kb search 차원의저주\n  kb search \"batch normalization\" -dropout --limit 5\n  \
        kb search 쿠키랑 세션 --tag network --json"
    )]
    Search(SearchArgs),

    /// Rebuild the search index from the question files.
    Reindex,

    /// Import questions from Markdown notes (files or folders), in one commit.
    #[command(
        long_about = "Import interview questions from Markdown files or folders of them, in \
        one commit.\n\n\
        Understands a heading per question (also behind `## #12` anchors), bold-line questions, \
        list-item questions with indented follow-ups, and <details><summary> blocks. Answers keep \
        their Markdown; tables of contents and reference lists are dropped. Each question records \
        the file and line it came from and is tagged by its section (or file). Questions already \
        in the bank (same text, ignoring case, spacing and punctuation) are skipped, so importing \
        the same notes again adds nothing."
    )]
    Import(ImportArgs),

    /// Follow a git repository of Markdown notes: import it, then bring in its changes.
    #[command(subcommand)]
    Source(SourceCommand),

    /// Record interviews and the questions asked in them.
    #[command(subcommand)]
    Interview(InterviewCommand),

    /// Résumé projects and their questions.
    #[command(subcommand)]
    Project(ProjectCommand),

    /// Everything worth rereading before a meeting, in priority order.
    #[command(
        long_about = "A briefing for one meeting, in priority order: questions asked before \
        at this company, the most-asked questions across all interviews, each listed project's \
        questions, questions with the given tags, then unanswered and weak (low drill grade) \
        questions — each with its answer, each once. Markdown is clean enough to print or read \
        on a phone.",
        after_help = "Examples:\n  kb prep --company 카카오 --project ocr-serving -o kakao.md\n  kb prep --tag deep-learning --format table"
    )]
    Prep(PrepArgs),

    /// Practise answers with spaced repetition (FSRS).
    #[command(
        long_about = "Drill: kb shows a question, waits, shows the prepared answer and asks \
        how well you knew it (1 again, 2 hard, 3 good, 4 easy). The next review is scheduled with \
        FSRS-4.5 (90% target recall). Due, weak and often-asked questions come first; questions \
        never drilled come next.\n\n\
        Reviews are appended to reviews/<machine>.tsv, one file per clone, so drilling on two \
        machines and syncing never conflicts. Works in any terminal and over ssh; answers are \
        read line by line, so a script can drive it."
    )]
    Drill(DrillArgs),

    /// The reviews to do each day until an interview.
    #[command(
        long_about = "A plan to the date of an interview: the questions in scope (the same \
        filters as drill) spread over the days from today to the day before, at most --per-day a \
        day, so that every one is reviewed at least once and the predicted recall on the day is as \
        high as the days allow (FSRS, as drill schedules; each planned review assumed good). \
        Nothing is stored: run it again after a day's drill and the plan follows what was done. \
        `kb drill --until DATE` drills today's part.",
        after_help = "Examples:\n  kb plan --until 2026-12-10\n  kb plan --until 2026-12-10 --project ocr-serving --per-day 15\n  kb drill --until 2026-12-10"
    )]
    Plan(PlanArgs),
    /// A timed mock interview: project questions, then fundamentals, graded as in drill.
    #[command(
        long_about = "A mock interview on the terminal, in an interviewer's order: the \
        project's common questions (tag project-common), its technical ones, then fundamentals \
        (questions of no project); in each part, the questions --company asked before come \
        first. Of -n questions, three in ten (rounded) go to each project part and the rest to \
        fundamentals (what a part lacks goes to the others).\n\n\
        Each question is timed from the moment it is shown. Answer aloud and press Enter to stop \
        the clock, or type the answer or its key points and end them with an empty line: kb \
        then shows which key terms of the prepared answer you left out (glossary equivalents \
        count: 과적합 for overfitting). Grade yourself 1 again · 2 hard · 3 good · 4 easy, as in \
        kb drill; a weak grade (1 or 2) brings the question's follow_ups: at once. A question \
        with no prepared answer is not graded: type an answer to save it, or s to skip.\n\n\
        Grades and answers are committed together at the end; grades are kept as they are \
        given, so Ctrl-C loses none (the next kb mock or kb drill records them), and a typed \
        answer is kept as an edit draft (kb edit ID --resume). The summary compares each \
        answer's time with its target (90 s common, 120 s technical, 90 s fundamentals, or \
        --target-seconds) and names the slowest and weakest answers.",
        after_help = "Examples:\n  kb mock --company 카카오 --project ocr-serving\n  kb mock -n 5 --minutes 15 --target-seconds 60"
    )]
    Mock(MockArgs),

    /// Export for reading, for Anki, or everything as JSON.
    #[command(long_about = "Export the bank.\n\n\
        md: one Markdown document grouped by project, then by tag.\n\
        anki: tab-separated question / answer (HTML) / tags, with Anki's header lines, to import \
        into Anki and study on a phone.\n\
        json: everything (questions, interviews, projects); `kb import FILE.json` restores it into \
        another knowledge base.")]
    Export(ExportArgs),

    /// What is asked: most-asked questions, per company and tag, unanswered, interviews over time.
    Stats(StatsArgs),

    /// List likely duplicate questions, most similar first.
    #[command(
        long_about = "List pairs of questions that probably ask the same thing, most similar \
        first, with their similarity (0–1).\n\n\
        Spacing, particles, punctuation, question endings and word order do not matter; rare \
        shared terms count more than common ones. Fold a pair together with `kb merge KEEP OTHER`."
    )]
    Dups(DupsArgs),

    /// Fold questions into one: kb merge KEEP OTHER...
    #[command(long_about = "Fold OTHER questions into KEEP in one commit.\n\n\
        KEEP's wording stays (or --question-from OTHER); answers that differ are all kept, \
        separated, for you to edit down; tags and `asked` occurrences are unioned; OTHER's ids \
        become aliases of KEEP, so `kb show OTHER` still finds it; what KEEP could not take over \
        (another wording, another project, conflicting fields) is kept under `merged:`. OTHER's \
        files are removed.")]
    Merge(MergeArgs),

    /// Sync with the git remote: commit hand edits, pull, merge, push.
    #[command(
        long_about = "Make this bank and the remote's the same, in one command.\n\n\
        1. Hand-edited files in the bank are validated (an invalid one stops the sync with \
        file:line; nothing is committed or pushed) and committed.\n\
        2. The remote's commits are fetched and this machine's are replayed on top of them \
        (rebase; fast-forward when possible), so history stays a line with no merge commits.\n\
        3. A question or interview changed on both machines is merged field by field: both \
        answers are kept when both changed (the question is tagged `conflict`: kb list \
        --conflicts), tags and occurrences are combined, an edit beats a delete, a question both \
        machines added is kept once. No conflict markers are ever written.\n\
        4. The result is pushed and the search index brought up to date.\n\n\
        Files kb does not own (a README in the same repository) that changed on both sides and \
        do not merge stop the sync before anything changes, with what to do.\n\n\
        Exit codes: 0 in sync; 1 error; 3 remote unreachable (changes committed locally, pushed \
        by the next sync); 4 invalid files; 5 a file kb does not own needs merging by hand; \
        6 the remote rejected the push."
    )]
    Sync(SyncArgs),

    /// Manage the git remote kb syncs with.
    #[command(subcommand)]
    Remote(RemoteCommand),

    /// Start on a new machine: clone a knowledge base and build its index.
    Clone(CloneArgs),

    /// (used by kb sync) git merge driver for question and interview files.
    #[command(hide = true)]
    MergeDriver(MergeDriverArgs),

    /// Print the shell script that completes kb's commands, flags, ids, tags and projects.
    #[command(
        long_about = "Print the completion script for SHELL on standard output. The script calls \
        kb back each time Tab is pressed (with KB_COMPLETE set), so question ids (described by \
        their question where the shell shows descriptions), tags, projects, companies, sources \
        and remotes come from the knowledge base as it is now; completing never writes to it.",
        after_help = "Install:\n  bash: echo 'source <(kb completions bash)' >> ~/.bashrc\n  \
        zsh:  echo 'source <(kb completions zsh)' >> ~/.zshrc\n  \
        fish: echo 'kb completions fish | source' >> ~/.config/fish/config.fish"
    )]
    Completions(CompletionsArgs),

    /// Write man pages for kb and every subcommand (kb.1, kb-add.1, …) into DIR.
    #[command(after_help = "Example:\n  kb man ~/.local/share/man/man1 && man kb-add")]
    Man(ManArgs),

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
    /// Where to create it (default: the folder `--kb`/`KB_DIR` names, else the current one).
    pub dir: Option<PathBuf>,
    /// A name for the knowledge base (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The git remote to sync with (kb sync).
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,
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
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    /// The résumé project the question belongs to.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
    /// Use this id instead of a generated one (a-z, 0-9, '-', '_').
    #[arg(long)]
    pub id: Option<String>,
    /// The question was asked in this interview: record it there (on the same question already
    /// in the bank, if there is one).
    #[arg(long, value_name = "INTERVIEW")]
    #[arg(add = ArgValueCandidates::new(crate::complete::interview_ids))]
    pub asked_at: Option<String>,
    /// Go on with the question kept from an editor session that did not finish.
    /// A follow-up (꼬리 질문) of this question: asked after it (its project, unless -p says
    /// otherwise). `kb show` shows the chain.
    #[arg(long, value_name = "ID")]
    pub after: Option<String>,
    #[arg(long, conflicts_with_all = ["question", "answer", "answer_file"])]
    pub resume: bool,
    #[command(flatten)]
    pub dedupe: Dedupe,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The question's id, or an unambiguous prefix of it (on a terminal, none opens a picker).
    #[arg(add = ArgValueCandidates::new(crate::complete::question_ids))]
    pub id: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    /// By id.
    Id,
    /// Oldest first.
    Created,
    /// Most recently changed first.
    Updated,
    /// Most asked first.
    Asked,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only questions with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    /// Only questions of this project.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
    /// Order of the rows.
    #[arg(long, value_enum, default_value_t = SortBy::Id)]
    pub sort: SortBy,
    #[command(flatten)]
    pub asked: AskedFilter,
    /// Only questions a sync found changed on two machines (tagged `conflict`).
    #[arg(long)]
    pub conflicts: bool,
}

/// Filters on what was asked, shared by list and search.
#[derive(Args, Debug, Default)]
pub struct AskedFilter {
    /// Only questions asked in at least one interview.
    #[arg(long)]
    pub asked: bool,
    /// Only questions asked at this company.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::companies))]
    pub company: Option<String>,
    /// Only questions without an answer.
    #[arg(long)]
    pub unanswered: bool,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    /// The question's id, or an unambiguous prefix of it (on a terminal, none opens a picker).
    #[arg(add = ArgValueCandidates::new(crate::complete::question_ids))]
    pub id: Option<String>,
    /// Go on with the edit kept from a session that did not finish (a rejected edit, Ctrl-C).
    #[arg(long)]
    pub resume: bool,
    /// Open the question's YAML file itself instead of the question, tags, project and answer.
    #[arg(long)]
    pub yaml: bool,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    /// Question ids and tag changes: +tag adds, -tag removes.
    #[arg(value_name = "ID|+TAG|-TAG")]
    #[arg(add = ArgValueCandidates::new(crate::complete::tag_changes))]
    pub items: Vec<String>,
    /// Remove this tag (what `-tag` among the items becomes).
    #[arg(long = "remove", value_name = "TAG", hide = true)]
    pub remove: Vec<String>,
    /// Also change every question with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub filter_tags: Vec<String>,
    /// Also change every question of this project.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Ids of the questions to remove.
    #[arg(required = true)]
    #[arg(add = ArgValueCandidates::new(crate::complete::question_ids))]
    pub ids: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to search for; "quoted phrase" must match as written, -word excludes.
    #[arg(required_unless_present = "exclude", value_name = "WORDS")]
    pub words: Vec<String>,
    /// Exclude questions with this word (what `-word` among the words becomes).
    #[arg(long = "not", value_name = "WORD", hide = true)]
    pub exclude: Vec<String>,
    /// Only questions with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    /// Only questions of this project.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
    #[command(flatten)]
    pub asked: AskedFilter,
    /// How many results.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Search the words as typed only. Without it, a word no question contains is also
    /// searched as its likeliest correction (`Trnasformer`, `헤시테이블`, `ㅊㄹ ㅊㅈㅎ`), ranked
    /// below every question that matches what was typed.
    #[arg(long)]
    pub exact: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Markdown files, or folders to search for *.md files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also tag every imported question with this tag (repeat for more).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    /// Show what would be imported without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum SourceCommand {
    /// Clone a notes repository, import its Markdown and record it in kb.yaml (one commit).
    #[command(
        long_about = "Follow a git repository of Markdown notes (yours on GitHub, or someone \
        else's): clone it with git (credentials work as they do for git) into \
        .git/kb/sources/NAME, never committed; import its Markdown as `kb import` does (only under \
        --path when given; questions already in the bank are left out); and record the source in \
        kb.yaml — name, URL, path, tags, branch and the commit imported — all in one commit.",
        after_help = "Examples:\n  kb source add https://github.com/me/cs-notes.git\n  \
        kb source add git@github.com:someone/interview.git --path docs/os --name os-notes --tag os\n  \
        kb source add ~/notes"
    )]
    Add(SourceAddArgs),
    /// Fetch and bring in what sources changed since they were imported (one commit each).
    #[command(
        long_about = "Fetch each source (or the one named) and apply what changed upstream \
        since the commit kb.yaml records, as a three-way merge per question with the merge kb sync \
        uses: base is the section as last imported, theirs the section now, ours the question file \
        as you have it. Your edits and tags are never overwritten (answers both sides changed are \
        merged line by line, or both kept and the question tagged `conflict`), and no file holds \
        conflict markers. New sections come in as new questions; a section removed upstream is \
        removed unless you edited its question (then it is kept and named). One commit per source \
        naming both commits; none when upstream has nothing new. A clone missing on this machine is \
        cloned again from the URL in kb.yaml."
    )]
    Update(SourceUpdateArgs),
    /// Show the sources, the commit imported and how far behind it each is.
    #[command(visible_alias = "ls")]
    List(SourceListArgs),
}

#[derive(Args, Debug)]
pub struct SourceAddArgs {
    /// The repository: https://…, git@host:…, ssh://…, file://… or a local path.
    pub url: String,
    /// Import only the Markdown under this folder of the repository.
    #[arg(long, value_name = "SUBDIR")]
    pub path: Option<String>,
    /// The source's name (default: the repository's name without .git).
    #[arg(long)]
    pub name: Option<String>,
    /// Also tag every question from this source (repeat for more).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SourceUpdateArgs {
    /// The source to update (default: all of them).
    #[arg(add = ArgValueCandidates::new(crate::complete::sources))]
    pub name: Option<String>,
}

#[derive(Args, Debug)]
pub struct SourceListArgs {
    /// Fetch every source first, so `behind` is current.
    #[arg(long)]
    pub fetch: bool,
}

#[derive(Subcommand, Debug)]
pub enum ProjectCommand {
    /// Record a résumé project and add the common questions for it (from the template).
    #[command(
        long_about = "Record a résumé project (projects/<id>.yaml) and add the knowledge \
        base's common project questions (templates/project-questions.yaml) worded for it, in one \
        commit. Run it again on an existing project to update its fields and add template \
        questions it does not have yet; none is ever duplicated."
    )]
    Add(ProjectAddArgs),
    /// List projects with how many of their questions are answered.
    #[command(visible_alias = "ls")]
    List,
    /// A project's questions with their answer status (answered / empty / stale).
    Show(ProjectShowArgs),
    /// Rename a project, or change its id, everywhere it is written.
    #[command(
        long_about = "Give a project a new name (--name) or a new id (--id), in one commit. \
        Its template questions still worded as the template words them are reworded for the new \
        name (ones you reworded are left as they are, and named); with a new id, the project file \
        is renamed and every question and interview record naming the old id names the new one. \
        Question ids do not change.",
        after_help = "Examples:\n  kb project rename ocr-serving --name \"문서 OCR 경량화\"\n  \
        kb project rename ocr-serving --id doc-ocr"
    )]
    Rename(ProjectRenameArgs),
    /// Remove a project: its questions are kept (without a project) or removed with it.
    #[command(
        visible_alias = "remove",
        long_about = "Remove a project record in one commit. Say what happens to its \
        questions: --keep-questions keeps them in the bank with no project, --with-questions \
        removes them too (answered or asked ones are named; `git revert` on the commit brings \
        everything back). Interview records that named the project keep their questions."
    )]
    Rm(ProjectRmArgs),
    /// Read a résumé (Markdown or plain text): its projects, and questions drafted from its lines.
    #[command(
        long_about = "Read a résumé kept as Markdown or plain text. Each project section (a \
        heading, a bold or numbered project line, or a `회사명 | 기간` line, with its period and role \
        lines and its bullets) becomes a project record as `kb project add` makes it (fields \
        already there are never overwritten) with the template's common questions. Each bullet \
        drafts the questions an interviewer asks about such a claim, by the rules in \
        templates/resume-rules.yaml: a figure (14초 → 5.8초, 40% 감소) asks how it was measured, \
        what it was before and why that metric; an optimisation how it was done and what was \
        dropped; data work what the data was like and how it was rebuilt; a named technology \
        why it and not the alternatives; and every project what could still be improved. \
        Questions already in the bank (or drafted twice) are left out. The plan is shown \
        before anything is written; everything is one commit, and importing again adds only \
        what is new."
    )]
    Import(ProjectImportArgs),
}

#[derive(Args, Debug)]
pub struct ProjectRenameArgs {
    /// The project's id, id prefix or name.
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: String,
    /// The new name, as on the résumé.
    #[arg(long, required_unless_present = "id")]
    pub name: Option<String>,
    /// The new id (ASCII).
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["keep_questions", "with_questions"])))]
pub struct ProjectRmArgs {
    /// The project's id, id prefix or name.
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: String,
    /// Keep its questions, without a project.
    #[arg(long)]
    pub keep_questions: bool,
    /// Remove its questions too.
    #[arg(long)]
    pub with_questions: bool,
}

#[derive(Args, Debug)]
pub struct ProjectImportArgs {
    /// The résumé file (Markdown or plain text).
    pub file: std::path::PathBuf,
    /// Do not ask: write the plan as shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Show the plan and write nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Never look for existing questions; add everything drafted.
    #[arg(long)]
    pub no_dedupe: bool,
    /// How similar (0–1) an existing question must be to count as the same.
    #[arg(long, default_value_t = kb::analysis::similar::INCOMING_THRESHOLD)]
    pub threshold: f32,
}

#[derive(Args, Debug)]
pub struct ProjectAddArgs {
    /// The project's name, as on the résumé.
    pub name: String,
    /// Its id (ASCII); default: from the name's ASCII words, else generated.
    #[arg(long)]
    pub id: Option<String>,
    #[arg(long)]
    pub summary: Option<String>,
    /// Your role in it.
    #[arg(long)]
    pub role: Option<String>,
    /// Team size.
    #[arg(long)]
    pub team: Option<u32>,
    /// When, e.g. "2023-03 ~ 2023-12".
    #[arg(long)]
    pub period: Option<String>,
}

#[derive(Args, Debug)]
pub struct ProjectShowArgs {
    /// The project's id, id prefix or name.
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrepFormat {
    Md,
    Table,
    Json,
    /// One self-contained page to read offline (see `kb export --format html`).
    Html,
}

#[derive(Args, Debug)]
pub struct PrepArgs {
    /// The company you are meeting.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::companies))]
    pub company: Option<String>,
    /// A project to go over (repeat for more).
    #[arg(long = "project", short, value_name = "PROJECT")]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub projects: Vec<String>,
    /// Questions with this tag (repeat for more).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    #[arg(long, value_enum, default_value_t = PrepFormat::Md)]
    pub format: PrepFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// At most this many questions in the most-asked and weak sections.
    #[arg(long, short = 'n', default_value_t = 15)]
    pub limit: usize,
}

#[derive(Args, Debug)]
pub struct DrillArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// How many questions.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Only questions due for review.
    #[arg(long)]
    pub due: bool,
    /// Record the grades in a review log from another device (the HTML page's drill exports
    /// one) instead of drilling; grades already recorded are not added again.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// Drill today's part of the plan to this date (the interview; see `kb plan`).
    #[arg(long, value_name = "DATE", conflicts_with = "due")]
    pub until: Option<String>,
    /// With --until: at most this many questions a day.
    #[arg(long, default_value_t = 20, requires = "until")]
    pub per_day: usize,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The interview's date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: String,
    /// At most this many questions a day (raised, with a note, when they would not all fit).
    #[arg(long, default_value_t = 20)]
    pub per_day: usize,
    #[command(flatten)]
    pub scope: ScopeArgs,
}

/// Which questions a drill or a plan takes.
#[derive(Args, Debug)]
pub struct ScopeArgs {
    /// Only questions asked at this company.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::companies))]
    pub company: Option<String>,
    /// Only this project's questions.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
    /// Only questions with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
}

#[derive(Args, Debug)]
pub struct MockArgs {
    /// The company you are preparing for: what it asked before comes first in each part.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::companies))]
    pub company: Option<String>,
    /// The résumé project the interview is about (kb project list); without it, every project.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
    /// How many questions (follow-ups after a weak answer come on top).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// End the mock once this many minutes have passed (after the question being answered).
    #[arg(long, value_name = "M", value_parser = positive_minutes)]
    pub minutes: Option<f64>,
    /// How long every answer should take, in seconds (default: 90 for common project
    /// questions, 120 for technical ones, 90 for fundamentals).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub target_seconds: Option<u64>,
}

fn positive_minutes(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(m) if m > 0.0 && m.is_finite() => Ok(m),
        _ => Err(format!(
            "{s:?} is not a number of minutes above 0 (e.g. 15 or 0.5)"
        )),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Md,
    Anki,
    Json,
    /// One self-contained page to read offline (on a phone): nothing is fetched, images are
    /// embedded.
    Html,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Md)]
    pub format: ExportFormat,
    /// Only questions with this tag (repeat: all of them).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// The remote to sync with (default: the branch's upstream, else origin).
    #[arg(long)]
    #[arg(add = ArgValueCandidates::new(crate::complete::remotes))]
    pub remote: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum RemoteCommand {
    /// Add the remote to sync with (any git URL: SSH, HTTPS, a path).
    Add(RemoteAddArgs),
    /// Show the remotes.
    #[command(visible_alias = "ls")]
    List,
}

#[derive(Args, Debug)]
pub struct RemoteAddArgs {
    /// git@github.com:me/interview.git, https://gitlab.com/me/interview.git, /path/to/bare.git
    pub url: String,
    /// Its name.
    #[arg(long, default_value = "origin")]
    pub name: String,
}

#[derive(Args, Debug)]
pub struct CloneArgs {
    /// The repository to clone.
    pub url: String,
    /// Where (default: the repository's name).
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct MergeDriverArgs {
    pub base: PathBuf,
    pub ours: PathBuf,
    pub theirs: PathBuf,
    pub path: String,
    /// Append what was merged to this file.
    #[arg(long)]
    pub log: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum InterviewCommand {
    /// Record an interview and what was asked (one commit).
    #[command(
        long_about = "Record an interview and the questions asked in it, in one commit.\n\n\
        Questions come from the arguments (one each), from --from FILE (or -), from standard \
        input when it is not a terminal, or else from your editor. Before anything is written, \
        kb shows the list as it read it (`12 questions, 3 with notes`); after the editor you \
        accept it, edit again or abort. What you typed is kept in .git/kb/drafts until the \
        commit lands: after Ctrl-C, an abort or a crash, `kb interview add --resume` goes on \
        with it (answers already given at prompts are kept too).\n\n\
        For each question kb looks for the same question already in the bank — spoken endings, \
        spacing, particles, Korean or English terms and word order do not matter — and shows the \
        close ones with the words that made them match. --yes records on the best match without \
        asking (unless two projects' questions fit it equally: then it is added, and both are \
        named), --no-dedupe always adds. --project links new questions to a résumé project and \
        matches that project's questions only.",
        after_long_help = concat!(
            "The list format:\n\n",
            // The same text as kb::intake::LIST_FORMAT_HELP.
            include_str!("intake_help.txt"),
            "\nExamples:\n  kb interview add -c 카카오 -r \"1차 기술면접\" -d 2026-11-20 --from asked.txt\n  \
            pbpaste | kb interview add -c 네이버 --project ocr-serving\n  \
            kb interview add -c Naver \"TCP와 UDP의 차이는?\" \"가상 메모리란?\" --yes\n  \
            kb interview add --resume"
        ),
        after_help = "Examples:\n  kb interview add --company 카카오 --round \"1차 기술면접\" --date 2026-11-20 --from asked.txt\n  \
        kb interview add --company Naver \"TCP와 UDP의 차이는?\" \"가상 메모리란?\" --yes\n\
        The list format: see --help."
    )]
    Add(Box<InterviewAddArgs>),
    /// List interviews, newest first.
    List,
    /// Show an interview and the questions asked in it.
    Show(InterviewShowArgs),
}

#[derive(Args, Debug)]
pub struct Dedupe {
    /// Do not ask: take the list as read and record on the best match.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Never look for existing questions; always add (and say nothing about look-alikes).
    #[arg(long)]
    pub no_dedupe: bool,
    /// How similar (0–1) an existing question must be to count as the same.
    #[arg(long, default_value_t = kb::analysis::similar::INCOMING_THRESHOLD)]
    pub threshold: f32,
}

#[derive(Args, Debug)]
pub struct InterviewAddArgs {
    /// The company.
    #[arg(long, short, required_unless_present = "resume")]
    #[arg(add = ArgValueCandidates::new(crate::complete::companies))]
    pub company: Option<String>,
    /// The round, e.g. "1차 기술면접".
    #[arg(long, short)]
    pub round: Option<String>,
    /// The date (YYYY-MM-DD; default today).
    #[arg(long, short)]
    pub date: Option<String>,
    /// The position applied for.
    #[arg(long)]
    pub position: Option<String>,
    /// How it went.
    #[arg(long)]
    pub outcome: Option<String>,
    /// Notes on the interview.
    #[arg(long)]
    pub notes: Option<String>,
    /// The résumé project the interview was about: new questions belong to it, and its
    /// project questions are the ones matched.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::projects))]
    pub project: Option<String>,
    /// Questions asked.
    pub questions: Vec<String>,
    /// Read the questions from a file (- for standard input).
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Tag for the questions this adds (repeat for more).
    #[arg(long = "tag", short, value_name = "TAG", add = ArgValueCandidates::new(crate::complete::tags))]
    pub tags: Vec<String>,
    /// Go on with the list kept from a run that did not finish (Ctrl-C, abort, a crash).
    #[arg(long, conflicts_with_all = ["questions", "from"])]
    pub resume: bool,
    #[command(flatten)]
    pub dedupe: Dedupe,
}

#[derive(Args, Debug)]
pub struct InterviewShowArgs {
    /// The interview's id or an unambiguous prefix.
    #[arg(add = ArgValueCandidates::new(crate::complete::interview_ids))]
    pub id: String,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Only this company's interviews.
    #[arg(long, short)]
    #[arg(add = ArgValueCandidates::new(crate::complete::companies))]
    pub company: Option<String>,
    /// Only interviews on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Rows per table.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
}

#[derive(Args, Debug)]
pub struct DupsArgs {
    /// Report pairs at least this similar (0–1).
    #[arg(long, default_value_t = kb::analysis::similar::DEFAULT_THRESHOLD)]
    pub threshold: f32,
    /// At most this many pairs.
    #[arg(long, short = 'n', default_value_t = 50)]
    pub limit: usize,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The question that stays (on a terminal, none opens a picker for it and the others).
    #[arg(add = ArgValueCandidates::new(crate::complete::question_ids))]
    pub keep: Option<String>,
    /// The questions folded into it (on a terminal, none opens a picker).
    #[arg(add = ArgValueCandidates::new(crate::complete::question_ids))]
    pub others: Vec<String>,
    /// Take the question's wording from this one of the OTHERs.
    #[arg(long, value_name = "OTHER")]
    pub question_from: Option<String>,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Only report the files that would change; exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Where to write the pages (created if missing).
    #[arg(default_value = ".", value_hint = clap::ValueHint::DirPath)]
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct GitArgs {
    /// Arguments passed to git unchanged.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

/// `kb search TCP -UDP` and `kb tag ID -draft` use a leading `-` for "not"/"remove", which an
/// argument parser reads as an option. Before parsing, such words (anything after `search` or
/// `tag` that starts with one `-` and is not one of the command's own short options) are
/// rewritten to the hidden `--not=WORD` / `--remove=TAG`. Everything else, including `--json`
/// anywhere on the line, keeps its usual meaning; after `--` nothing is rewritten.
pub fn rewrite_minus_words(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let command = Cli::command();
    let mut out = Vec::with_capacity(args.len());
    let mut sub: Option<(&'static str, Vec<char>)> = None;
    let mut expect_value = false;
    let mut rest_verbatim = false;
    for (i, arg) in args.into_iter().enumerate() {
        let text = arg.to_string_lossy().into_owned();
        if i == 0 || rest_verbatim {
            out.push(arg);
            continue;
        }
        if text == "--" {
            rest_verbatim = true;
            out.push(arg);
            continue;
        }
        match &sub {
            None => {
                if !expect_value && !text.starts_with('-') {
                    let flag = match text.as_str() {
                        "search" => Some("--not"),
                        "tag" => Some("--remove"),
                        _ => None,
                    };
                    if let Some(flag) = flag {
                        let shorts = command
                            .find_subcommand(&text)
                            .map(|c| c.get_arguments().filter_map(|a| a.get_short()).collect())
                            .unwrap_or_default();
                        sub = Some((flag, shorts));
                    } else {
                        // Another subcommand: nothing to rewrite.
                        rest_verbatim = true;
                    }
                }
                expect_value = matches!(text.as_str(), "--kb" | "--color");
                out.push(arg);
            }
            Some((flag, shorts)) => {
                let mut chars = text.chars();
                let is_minus_word = chars.next() == Some('-')
                    && text.len() > 1
                    && !text.starts_with("--")
                    && !(text.chars().count() == 2
                        && shorts.contains(&text.chars().nth(1).unwrap_or(' ')));
                if is_minus_word && !expect_value {
                    out.push(format!("{flag}={}", &text[1..]).into());
                    expect_value = false;
                } else {
                    // A short option of the command takes the next argument as its value.
                    expect_value = text.len() == 2 && text.starts_with('-');
                    out.push(arg);
                }
            }
        }
    }
    out
}
