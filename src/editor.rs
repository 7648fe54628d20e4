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
/// (`code --wait`), so it goes through the shell, as git does.
pub fn edit(path: &Path) -> anyhow::Result<()> {
    let editor = editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path)
        .status()
        .with_context(|| format!("could not start the editor {editor:?}"))?;
    if !status.success() {
        bail!("the editor {editor:?} exited with {status}; nothing was changed");
    }
    Ok(())
}

/// Ask a yes/no question on stderr and read the answer from stdin. An empty answer takes
/// `default`; end of input means no.
pub fn confirm(question: &str, default: bool) -> bool {
    let hint = if default { "[Y/n]" } else { "[y/N]" };
    eprint!("{question} {hint} ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => {
            if !std::io::stdin().is_terminal() {
                eprintln!();
            }
            false
        }
        Ok(_) => match line.trim().to_lowercase().as_str() {
            "" => default,
            "y" | "yes" | "예" | "네" | "ㅇ" => true,
            _ => false,
        },
    }
}

/// Ask on stderr and read one line from stdin; `None` at end of input.
pub fn ask(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line),
    }
}
