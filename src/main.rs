//! The `kb` binary: parse the command line, run one command, turn its outcome into output and an
//! exit code (see `exit::Exit`).

// Everything the binary prints goes through one path that makes escape sequences and bidi
// controls in the user's data inert (see `render::clean`): these shadow std's macros in every
// module declared below.
macro_rules! println {
    () => { $crate::render::emit("\n", false) };
    ($($arg:tt)*) => { $crate::render::emit(&format!("{}\n", format_args!($($arg)*)), false) };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::render::emit(&format!($($arg)*), false) };
}
macro_rules! eprintln {
    () => { $crate::render::emit("\n", true) };
    ($($arg:tt)*) => { $crate::render::emit(&format!("{}\n", format_args!($($arg)*)), true) };
}
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::render::emit(&format!($($arg)*), true) };
}

mod cli;
mod commands;
mod complete;
mod editor;
mod exit;
mod interrupt;
mod pager;
mod picker;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// What every command gets: how to find the knowledge base and how to print.
pub struct Ctx {
    pub kb_dir: Option<PathBuf>,
    /// Print JSON instead of text.
    pub json: bool,
    pub out: render::Output,
}

impl Ctx {
    /// Start a write transaction (see `kb::tx`), telling the user when another kb holds the
    /// write lock.
    pub fn begin<'k>(&self, kb: &'k kb::Kb) -> anyhow::Result<kb::Transaction<'k>> {
        let quiet = self.json;
        Ok(kb.begin(&|| {
            if !quiet {
                eprintln!("Another kb is writing to this knowledge base; waiting…");
            }
        })?)
    }

    /// Show what a commit left to warn about (the search index is a cache: a failure to bring
    /// it up to date is a warning, never a failed command).
    pub fn warn_after(&self, done: &kb::Committed) {
        self.warn_index(done.index_problem.as_ref());
    }

    /// The search index could not follow a commit: a warning (it is a cache, rebuilt later).
    pub fn warn_index(&self, problem: Option<&impl std::fmt::Display>) {
        if let Some(e) = problem {
            eprintln!("{} {e}", self.out.warning_label());
        }
    }

    /// [`Ctx::open_kb`] for a command that will commit what the person is about to type: it
    /// refuses at once, before an editor or a prompt, in a git state kb must not commit in
    /// (the same check the write lock makes later; see `kb::git::busy`).
    pub fn open_kb_to_write(&self) -> anyhow::Result<kb::Kb> {
        let kb = self.open_kb()?;
        if let Some(why) = kb::git::busy(kb.repo()) {
            anyhow::bail!(why);
        }
        Ok(kb)
    }

    /// Open the knowledge base the user means (see `kb --help` for the rules).
    pub fn open_kb(&self) -> anyhow::Result<kb::Kb> {
        let cwd = std::env::current_dir()?;
        let root = kb::store::discover(self.kb_dir.as_deref(), &cwd)?;
        Ok(kb::Kb::open(&root)?)
    }
}

/// What the library takes from the environment, read here at the edge (see `kb::settings`).
fn settings_from_env() -> kb::settings::Settings {
    fn trace(message: &str) {
        eprintln!("kb trace: {message}");
    }
    // As git gives its hints: every line marked, so a reader can tell them from output.
    fn notice(message: &str) {
        for line in message.lines() {
            eprintln!("hint: {line}");
        }
    }
    kb::settings::Settings {
        notice: Some(notice as fn(&str)),
        now: std::env::var("KB_NOW")
            .ok()
            .and_then(|t| kb::time::parse(&t)),
        trace: std::env::var_os("KB_TRACE").map(|_| trace as fn(&str)),
        host: std::env::var("HOSTNAME").ok(),
    }
}

fn main() -> ExitCode {
    // The shell asking for candidates (see `kb completions`): answer and exit, before anything
    // else is read or written.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(commands::completions::ENV_VAR)
        .complete();
    kb::settings::set(settings_from_env());
    // Like other Unix tools, stop quietly when the reader of our output goes away
    // (`kb export | head`), instead of failing to print.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // `println!` panics when stdout cannot be written (`kb list > /dev/full`). That is not a bug
    // of kb's to report with a backtrace but an error of the output: said in one line, exit 1.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        for stream in ["stdout", "stderr"] {
            if let Some(why) = text.strip_prefix(&format!("failed printing to {stream}: ")) {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "error: could not write to standard {}: {why}",
                    if stream == "stdout" {
                        "output"
                    } else {
                        "error"
                    }
                );
                std::process::exit(1);
            }
        }
        default_hook(info);
    }));
    // Arguments in NFC like everything else kb reads (see `kb::text::nfc`).
    let args = std::env::args_os()
        .map(|a| match a.into_string() {
            Ok(s) => kb::text::nfc(s).into(),
            Err(raw) => raw,
        })
        .collect();
    let cli = Cli::parse_from(cli::rewrite_minus_words(args));
    let ctx = Ctx {
        kb_dir: cli.kb.filter(|p| !p.as_os_str().is_empty()),
        json: cli.json,
        out: render::Output::detect(cli.color),
    };
    let pager = if cli.command.pages() && !cli.no_pager && !ctx.json {
        let cwd = std::env::current_dir().ok();
        let root = cwd.and_then(|cwd| kb::store::discover(ctx.kb_dir.as_deref(), &cwd).ok());
        pager::start(pager::configured(root.as_deref()))
    } else {
        None
    };
    let result = match cli.command {
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::Add(args) => commands::add::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::List(args) => commands::list::run(&ctx, args),
        Command::Edit(args) => commands::edit::run(&ctx, args),
        Command::Tag(args) => commands::tag::run(&ctx, args),
        Command::Rm(args) => commands::rm::run(&ctx, args),
        Command::Search(args) => commands::search::run(&ctx, args),
        Command::Reindex => commands::reindex::run(&ctx),
        Command::Import(args) => commands::import::run(&ctx, args),
        Command::Source(cmd) => commands::source::run(&ctx, cmd),
        Command::Interview(cmd) => commands::interview::run(&ctx, cmd),
        Command::Project(cmd) => commands::project::run(&ctx, cmd),
        Command::Prep(args) => commands::prep::run(&ctx, args),
        Command::Drill(args) => commands::drill::run(&ctx, args),
        Command::Plan(args) => commands::plan::run(&ctx, args),
        Command::Mock(args) => commands::mock::run(&ctx, args),
        Command::Export(args) => commands::export::run(&ctx, args),
        Command::Stats(args) => commands::stats::run(&ctx, args),
        Command::Dups(args) => commands::dups::run(&ctx, args),
        Command::Merge(args) => commands::merge::run(&ctx, args),
        Command::Sync(args) => commands::sync::run(&ctx, args),
        Command::Remote(cmd) => commands::sync::remote(&ctx, cmd),
        Command::Clone(args) => commands::sync::clone(&ctx, args),
        Command::MergeDriver(args) => commands::sync::merge_driver(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::completions::man(args),
        Command::Check => commands::check::run(&ctx),
        Command::Fmt(args) => commands::fmt::run(&ctx, args),
        Command::Git(args) => commands::git::run(&ctx, args),
    };
    // What is still buffered must reach its file too, or the command failed.
    let result = result.and_then(|code| {
        use std::io::Write;
        std::io::stdout()
            .flush()
            .map_err(|e| anyhow::anyhow!("could not write to standard output: {e}"))?;
        Ok(code)
    });
    if let Some(pager) = pager {
        // Errors below go to the terminal once the pager is gone, as git's do.
        pager.finish();
    }
    match result {
        Ok(code) => code.into(),
        Err(err) => {
            // Broken pipes (`kb list | head`) are not errors worth a message.
            if let Some(io) = err.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            // The chain, without causes the message above them already quotes.
            let mut text = err.to_string();
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !text.contains(&cause) {
                    text.push_str(": ");
                    text.push_str(&cause);
                }
            }
            eprintln!("{} {text}", ctx.out.error_label());
            ExitCode::from(1)
        }
    }
}
