//! The outside world a person types into: their editor and yes/no prompts.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// The editor to run: `$VISUAL`, else `$EDITOR`, else `vi` (git's order).
pub fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Open `path` in the editor and wait for it. The editor string may carry arguments
/// (`code --wait`), so it goes through the shell, as git does. Ctrl-C goes to the editor, not to
/// kb (see [`crate::interrupt`]).
pub fn edit(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    let editor = editor();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path);
    // SAFETY: only async-signal-safe calls between fork and exec: the editor starts with the
    // default dispositions kb itself ignores while it waits.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        });
    }
    let status = crate::interrupt::ignoring_interrupts(|| command.status())
        .with_context(|| format!("could not start the editor {editor:?}"))?;
    if !status.success() {
        bail!("the editor {editor:?} exited with {status}; nothing was changed");
    }
    Ok(())
}

/// Ask a yes/no question on stderr and read the answer (see [`ask`]). An empty answer takes
/// `default`; end of input means no.
pub fn confirm(question: &str, default: bool) -> bool {
    let hint = if default { "[Y/n]" } else { "[y/N]" };
    match ask(&format!("{question} {hint} ")) {
        None => false,
        Some(line) => match line.trim().to_lowercase().as_str() {
            "" => default,
            "y" | "yes" | "예" | "네" | "ㅇ" => true,
            _ => false,
        },
    }
}

/// Where answers to prompts come from: standard input, unless it carried the command's input
/// (`echo ... | kb interview add`); then the terminal, if there is one.
static PROMPTS_FROM_TTY: std::sync::Mutex<Option<Option<std::io::BufReader<std::fs::File>>>> =
    std::sync::Mutex::new(None);

/// Standard input carried the command's input: read answers from the terminal from now on (or
/// get none, without a terminal).
pub fn prompts_from_terminal() {
    let tty = std::fs::File::open("/dev/tty")
        .ok()
        .map(std::io::BufReader::new);
    *PROMPTS_FROM_TTY.lock().unwrap_or_else(|e| e.into_inner()) = Some(tty);
}

/// Whether a person can answer prompts: standard input (or the terminal standing in for it)
/// is a terminal.
pub fn interactive() -> bool {
    match &*PROMPTS_FROM_TTY.lock().unwrap_or_else(|e| e.into_inner()) {
        Some(tty) => tty.is_some(),
        None => std::io::stdin().is_terminal(),
    }
}

/// Ask on stderr and read one line; `None` at end of input (or when there is nobody to ask).
pub fn ask(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let read = match &mut *PROMPTS_FROM_TTY.lock().unwrap_or_else(|e| e.into_inner()) {
        Some(Some(tty)) => tty.read_line(&mut line),
        Some(None) => Ok(0),
        None => std::io::stdin().lock().read_line(&mut line),
    };
    match read {
        Ok(0) | Err(_) => {
            // The prompt's line was left open: end it, so what follows starts on its own line.
            eprintln!();
            None
        }
        Ok(_) => Some(line),
    }
}
