//! `kb completions SHELL` (the script that makes the shell call kb back for candidates; see
//! `crate::complete`) and `kb man DIR` (a roff page per command).

use clap::CommandFactory;

use crate::cli::{Cli, CompletionShell, CompletionsArgs, ManArgs};
use crate::exit::Exit;

/// The variable the completion script sets when it calls kb back.
pub const ENV_VAR: &str = "KB_COMPLETE";

pub fn run(args: CompletionsArgs) -> anyhow::Result<Exit> {
    use clap_complete::env::EnvCompleter;
    let shell: &dyn EnvCompleter = match args.shell {
        CompletionShell::Bash => &clap_complete::env::Bash,
        CompletionShell::Zsh => &clap_complete::env::Zsh,
        CompletionShell::Fish => &clap_complete::env::Fish,
        CompletionShell::Powershell => &clap_complete::env::Powershell,
    };
    // The script calls back the kb that wrote it when it was started by a path (a build not on
    // PATH), else whichever `kb` PATH finds then.
    let completer = std::env::args_os()
        .next()
        .filter(|a| a.to_string_lossy().contains('/'))
        .and_then(|_| std::env::current_exe().ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "kb".to_string());
    let mut script = Vec::new();
    shell.write_registration(ENV_VAR, "kb", "kb", &completer, &mut script)?;
    crate::render::write_document(&String::from_utf8_lossy(&script), true, None)?;
    Ok(Exit::Done)
}

pub fn man(args: ManArgs) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    command.build();
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| anyhow::anyhow!("could not create {}: {e}", args.dir.display()))?;
    let mut written = Vec::new();
    write_pages(&command, "kb", &args.dir, &mut written)?;
    eprintln!(
        "Wrote {} into {}.",
        crate::render::plural(written.len(), "man page"),
        args.dir.display()
    );
    Ok(Exit::Done)
}

/// The page of `command` as `name` (kb, kb-add, kb-interview-add), then its subcommands'.
fn write_pages(
    command: &clap::Command,
    name: &str,
    dir: &std::path::Path,
    written: &mut Vec<std::path::PathBuf>,
) -> anyhow::Result<()> {
    if command.is_hide_set() {
        return Ok(());
    }
    // clap names are `'static`; a page name lives until kb exits anyway.
    let page = command.clone().name(&*name.to_string().leak());
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    let path = dir.join(format!("{name}.1"));
    kb::store::write_output(&path, &roff)?;
    written.push(path);
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
