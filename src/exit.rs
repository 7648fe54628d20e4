//! kb's exit codes, in one place (also in `kb --help` and the README).

/// How a kb command ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Done,
    /// 1: failed, or nothing found (a search with no hit, `fmt --check` with files to rewrite).
    Failed,
    /// 2: the command line was wrong (clap's own code).
    Usage,
    /// 3, `kb sync`: the remote could not be reached.
    Unreachable,
    /// 4, `kb sync`: a file of the knowledge base is invalid; nothing was committed or pushed.
    Invalid,
    /// 5, `kb sync`: a conflict git could not resolve; the working tree is as it was.
    Conflict,
    /// 6, `kb sync`: the remote refused the push.
    Rejected,
    /// 130: Ctrl-C in the question picker (128 + SIGINT, as git and fzf).
    Interrupted,
    /// `kb git`: git's own exit status, passed on.
    Git(u8),
}

impl Exit {
    /// `Done` when `ok`, else `Failed`.
    pub fn ok_if(ok: bool) -> Exit {
        if ok { Exit::Done } else { Exit::Failed }
    }

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            Exit::Done => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::Unreachable => 3,
            Exit::Invalid => 4,
            Exit::Conflict => 5,
            Exit::Rejected => 6,
            Exit::Interrupted => 130,
            Exit::Git(code) => code,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

/// What `kb --help` says of them: a literal, so the help text can `concat!` it.
macro_rules! exit_codes_help {
    () => {
        "Exit codes: 0 done; 1 failed or nothing found; 2 usage error; kb sync also: 3 remote \
         unreachable, 4 invalid files (nothing committed), 5 conflict, 6 push rejected; 130 \
         interrupted (Ctrl-C); kb git passes git's own on."
    };
}
pub(crate) use exit_codes_help;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_numbers() {
        let all = [
            Exit::Done,
            Exit::Failed,
            Exit::Usage,
            Exit::Unreachable,
            Exit::Invalid,
            Exit::Conflict,
            Exit::Rejected,
        ];
        for (n, e) in all.iter().enumerate() {
            assert_eq!(e.code() as usize, n);
            assert!(
                exit_codes_help!().contains(&format!("{n} ")),
                "{n} is in the help"
            );
        }
        let help = {
            use clap::CommandFactory;
            crate::cli::Cli::command().render_long_help().to_string()
        };
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat(&help).contains(&flat(exit_codes_help!())),
            "kb --help shows the exit codes"
        );
    }
}
