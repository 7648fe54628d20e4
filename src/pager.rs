//! A pager for long output, as git starts one: `$KB_PAGER`, else kb.yaml's `pager:`, else
//! `$PAGER`, else `less` (with `LESS=FRX` when LESS is unset: quit if it fits on one screen,
//! pass colours, leave the screen as it is). Only when standard output is a terminal; `--no-pager`,
//! `pager: false` or an empty pager turn it off.
//!
//! kb decides on colours and the width before the pager starts (`render::Output::detect`), so
//! colours survive the pipe. While the pager runs, kb ignores Ctrl-C (the pager gets it, as with
//! git), so the shell never takes the terminal back from a pager still drawing on it; a pager
//! that quits early ends kb quietly through SIGPIPE.

use std::io::IsTerminal;
use std::process::{Child, Command, Stdio};

/// The pager running with kb's standard output joined to its input.
pub struct Pager {
    child: Child,
}

/// What kb.yaml says: `pager: false` or `""` is off, a string is the command, anything else
/// (absent, `true`) leaves the choice to the environment.
pub enum Configured {
    Unset,
    Off,
    Command(String),
}

/// kb.yaml's `pager:` of the knowledge base `root`, read as it is (nothing is written).
pub fn configured(root: Option<&std::path::Path>) -> Configured {
    let Some(bank) = root.and_then(|r| kb::Kb::open_as_is(r).ok()) else {
        return Configured::Unset;
    };
    match bank.config.extra.get("pager") {
        Some(serde_yaml::Value::Bool(false)) => Configured::Off,
        Some(serde_yaml::Value::String(s)) if s.trim().is_empty() => Configured::Off,
        Some(serde_yaml::Value::String(s)) => Configured::Command(s.clone()),
        _ => Configured::Unset,
    }
}

/// The pager command to run, or `None` for none.
fn choose(config: Configured) -> Option<String> {
    let env = |name: &str| std::env::var(name).ok();
    let command = match (env("KB_PAGER"), config) {
        (Some(p), _) => p,
        (None, Configured::Off) => return None,
        (None, Configured::Command(c)) => c,
        (None, Configured::Unset) => env("PAGER").unwrap_or_else(|| "less".to_string()),
    };
    let command = command.trim().to_string();
    // `cat` pages nothing: the output goes straight to the terminal instead.
    (!command.is_empty() && command != "cat").then_some(command)
}

/// Start the pager and send standard output to it, when standard output is a terminal and a
/// pager is wanted. `None` when output goes on as it is.
pub fn start(config: Configured) -> Option<Pager> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let command = choose(config)?;
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(&command).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        cmd.env("LV", "-c");
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("warning: could not start the pager `{command}`: {e}");
            return None;
        }
    };
    let stdin = child.stdin.take()?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: dup2 onto standard output, which nothing has written to yet; the pipe's own
        // descriptor is closed when `stdin` drops below.
        unsafe {
            if libc::dup2(stdin.as_raw_fd(), 1) < 0 {
                return None;
            }
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGQUIT, libc::SIG_IGN);
        }
    }
    drop(stdin);
    Some(Pager { child })
}

impl Pager {
    /// Everything is written: close kb's end of the pipe and wait for the person to leave the
    /// pager.
    pub fn finish(mut self) {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        // SAFETY: closing standard output, which nothing writes to after this.
        unsafe {
            libc::close(1);
        }
        let _ = self.child.wait();
    }
}
