//! The look-alikes shown to a person, and their answer.

use crate::Ctx;
use kb::analysis::similar::Candidate;

/// A person's answer about look-alikes.
pub enum Which {
    /// This question of the bank.
    Existing(String),
    /// A new question.
    New,
    /// Stop.
    Quit,
}

/// Ask which of `found` (shown already) the question is. `prompts` are for a likely first
/// look-alike and for a weak one; an empty answer takes the first look-alike when it is likely
/// and a new question when not; a number picks one; `same`, `new` and `quit` are the words
/// that mean the first look-alike, a new question and stop. A wrong answer is asked again;
/// `None` at the end of input.
pub fn ask_which(
    found: &[Candidate],
    likely: bool,
    prompts: [&str; 2],
    same: &[&str],
    new: &[&str],
    quit: &[&str],
) -> Option<Which> {
    let pick = if found.len() > 1 {
        format!(", or pick 1-{}", found.len())
    } else {
        String::new()
    };
    let prompt = format!("{}{pick}: ", prompts[usize::from(!likely)]);
    loop {
        let answer = crate::editor::ask(&prompt)?;
        let answer = answer.trim().to_lowercase();
        let first = || Some(Which::Existing(found[0].id.clone()));
        match answer.as_str() {
            "" if likely => return first(),
            "" => return Some(Which::New),
            a if same.contains(&a) => return first(),
            a if new.contains(&a) => return Some(Which::New),
            a if quit.contains(&a) => return Some(Which::Quit),
            a => match a.parse::<usize>() {
                Ok(n) if (1..=found.len()).contains(&n) => {
                    return Some(Which::Existing(found[n - 1].id.clone()));
                }
                _ => eprintln!("Answer with one of the letters in brackets, or a number."),
            },
        }
    }
}

/// What is being added and its look-alikes, with how sure kb is that it is one of them.
pub fn present(ctx: &Ctx, label: &str, question: &str, likely: bool, found: &[Candidate]) {
    eprintln!("{} {question}", ctx.out.bold(label));
    eprintln!(
        "{}",
        if likely {
            "Already in the bank?"
        } else {
            "Perhaps already in the bank (not close enough to say so):"
        }
    );
    show_candidates(ctx, found);
}

/// Candidates as a numbered list, each with the one line that says why it matched.
pub fn show_candidates(ctx: &Ctx, found: &[Candidate]) {
    for (i, c) in found.iter().enumerate() {
        eprintln!(
            "  {}) {} {:.2}  {}",
            i + 1,
            ctx.out.accent(&c.id),
            c.similarity,
            c.question
        );
        if !c.why.is_empty() {
            eprintln!("     {}", ctx.out.dim(&c.why));
        }
    }
}
