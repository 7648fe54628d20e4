//! Asking a person whether an incoming question is one already in the bank (`kb add`, `kb
//! interview add`); the look-up itself is `kb::ops::dedupe`'s.

use std::io::IsTerminal;

use anyhow::bail;

mod ask;

pub use ask::{Which, ask_which, present};

use crate::Ctx;
use crate::cli::Dedupe;
use kb::Kb;
use kb::analysis::similar::Candidate;
use kb::intake::Incoming;
use kb::ops::dedupe::Lookalikes;
use kb::ops::interview::Decision;

/// How close two candidates of different projects must be for `--yes` not to choose between
/// them.
const TIE: f32 = 0.05;

/// Finds, for incoming questions, the same question already in the bank and asks the user.
pub struct Deduper<'a> {
    look: Lookalikes,
    options: &'a Dedupe,
}

impl<'a> Deduper<'a> {
    pub fn new(kb: &Kb, options: &'a Dedupe, project: Option<&str>) -> anyhow::Result<Deduper<'a>> {
        if !(0.0..=1.0).contains(&options.threshold) {
            bail!("--threshold is a similarity between 0 and 1");
        }
        let look = Lookalikes::new(kb, !options.no_dedupe, project, &crate::render::Bar::new())?;
        Ok(Deduper { look, options })
    }

    /// The least similarity a look-alike shown to a person at a terminal may have (see
    /// [`kb::ops::dedupe::SHOWN_BELOW`]).
    pub fn shown_threshold(&self) -> f32 {
        kb::ops::dedupe::shown_threshold(self.options.threshold)
    }

    /// The bank's questions that may be `text`, best first, at least as similar as the
    /// threshold.
    pub fn candidates(&self, text: &str) -> anyhow::Result<Vec<Candidate>> {
        self.candidates_above(text, self.options.threshold)
    }

    /// [`Deduper::candidates`] down to `least`.
    pub fn candidates_above(&self, text: &str, least: f32) -> anyhow::Result<Vec<Candidate>> {
        Ok(self.look.above(text, least)?)
    }

    /// Decide for one incoming question; asks on the terminal unless --yes/--no-dedupe.
    /// `None` when there is no answer (end of input).
    pub fn decide(&self, ctx: &Ctx, incoming: &Incoming) -> anyhow::Result<Option<Decision>> {
        if self.options.yes {
            let found = self.candidates(&incoming.question)?;
            return Ok(Some(self.without_asking(ctx, &incoming.question, &found)));
        }
        let person = crate::editor::interactive() && std::io::stderr().is_terminal();
        let least = if person {
            self.shown_threshold()
        } else {
            self.options.threshold
        };
        let found = self.candidates_above(&incoming.question, least)?;
        let Some(top) = found.first() else {
            return Ok(Some(Decision::New));
        };
        let likely = top.similarity >= self.options.threshold;
        eprintln!();
        present(ctx, "Asked:", &incoming.question, likely, &found);
        let answer = ask_which(
            &found,
            likely,
            [
                "Record on 1? [Y]es, [n]o: add as new",
                "Record on 1? [y]es, [N]o: add as new",
            ],
            &["y", "yes", "예", "네", "ㅇ"],
            &["n", "no", "new", "아니오", "아니"],
            &[],
        );
        Ok(answer.map(|c| match c {
            Which::Existing(id) => Decision::Existing(id),
            Which::New | Which::Quit => Decision::New,
        }))
    }

    /// What `--yes` decides among `found` (best first) for `question`: the best match, unless
    /// two projects' questions fit it equally — as close, or matched by the same words
    /// (`추론최적화 어떻게 하셨어요` says nothing of which project) — where recording on either
    /// would be a guess: then the question goes in on its own, and the person is told.
    pub fn without_asking(&self, ctx: &Ctx, question: &str, found: &[Candidate]) -> Decision {
        if let [a, b, ..] = found
            && let (Some(pa), Some(pb)) = (&a.project, &b.project)
            && pa != pb
            && (a.similarity - b.similarity < TIE || a.shared == b.shared)
        {
            eprintln!(
                "{} \"{question}\" fits {} ({pa}, {:.2}) as well as {} ({pb}, {:.2}); added as a \
                 new question. With --project P it is recorded on P's question; or merge it \
                 later with kb merge.",
                ctx.out.warning_label(),
                a.id,
                a.similarity,
                b.id,
                b.similarity
            );
            return Decision::New;
        }
        match found.first() {
            Some(c) => Decision::Existing(c.id.clone()),
            None => Decision::New,
        }
    }

    pub fn note_added(&mut self, id: &str, question: &str) {
        self.look.note_added(id, question);
    }
}
