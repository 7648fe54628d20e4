//! The question picker: `kb show`, `kb edit`, `kb merge` and `kb tag` without ids, on a
//! terminal, list the questions and narrow them down as you type (matching in `kb::pick`).
//!
//! Drawn on standard error in the terminal's alternate screen, as fzf does, so standard output
//! stays the command's own (`kb show | less` still works) and the screen is as it was after.
//! Written on crossterm rather than nucleo-picker: nucleo ranks by comparing characters, and the
//! picker must rank the way kb's search does (초성, spacing; see `kb::pick`).
//!
//! Keys: type to narrow, ↑/↓ (Ctrl-P/Ctrl-N) to move, Enter to pick, Tab to mark several where
//! several can be picked, Esc to leave (exit 1), Ctrl-C to leave as git does (exit 130).

use std::io::{IsTerminal, Write};

use anyhow::bail;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, queue, style, terminal};
use unicode_width::UnicodeWidthChar;

use crate::Ctx;
use crate::exit::Exit;
use kb::pick::Candidate;

/// Whether a person is there to pick: standard input and standard error are a terminal.
pub fn available() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The question picked on the terminal for `kb <command>`. `Err(exit)` when nothing was
/// picked (Esc, Ctrl-C) or there is nobody to pick (the message is printed).
pub fn one(ctx: &Ctx, kb: &kb::Kb, command: &str) -> anyhow::Result<Result<String, Exit>> {
    Ok(pick(ctx, kb, &format!("kb {command}"), false, &[], command)?.map(|mut ids| ids.remove(0)))
}

/// Several questions picked on the terminal (Tab marks each), none of `except`; the prompt
/// says what they are for.
pub fn several(
    ctx: &Ctx,
    kb: &kb::Kb,
    prompt: &str,
    except: &[String],
    command: &str,
) -> anyhow::Result<Result<Vec<String>, Exit>> {
    pick(ctx, kb, prompt, true, except, command)
}

fn pick(
    ctx: &Ctx,
    kb: &kb::Kb,
    prompt: &str,
    multi: bool,
    except: &[String],
    command: &str,
) -> anyhow::Result<Result<Vec<String>, Exit>> {
    if !available() || ctx.json {
        // What clap said when the id was required: a usage error, exit 2.
        eprintln!(
            "{} kb {command} needs a question id (kb list shows them; on a terminal, \
             kb {command} without one opens a picker)",
            ctx.out.error_label()
        );
        return Ok(Err(Exit::Usage));
    }
    let loaded = kb.load_all()?;
    ctx.out.warn_skipped(&loaded.problems);
    let mut questions: Vec<_> = loaded
        .questions
        .into_iter()
        .filter(|q| !except.contains(&q.id))
        .collect();
    if questions.is_empty() {
        bail!("there are no questions to pick from (kb add adds one)");
    }
    // Most recently changed first: what was worked on last is what is looked for most.
    questions.sort_by_key(|q| std::cmp::Reverse(q.updated.or(q.created)));
    let (glossary, _) = kb::analysis::glossary::Glossary::load(kb.root());
    let candidates: Vec<Candidate> = questions
        .iter()
        .map(|q| Candidate::new(&q.id, &q.question, &q.tags, &glossary))
        .collect();
    let outcome = {
        let _screen = Screen::enter()?;
        run(prompt, &candidates, multi)?
    };
    Ok(match outcome {
        Outcome::Picked(ids) => Ok(ids.into_iter().map(|i| candidates[i].id.clone()).collect()),
        Outcome::Left => {
            eprintln!("Nothing picked.");
            Err(Exit::Failed)
        }
        Outcome::Interrupted => Err(Exit::Interrupted),
    })
}

/// Raw mode and the alternate screen, for as long as this lives; dropped (also on an error or
/// a panic), the terminal is as it was.
struct Screen;

impl Screen {
    fn enter() -> std::io::Result<Screen> {
        terminal::enable_raw_mode()?;
        let screen = Screen;
        let mut err = std::io::stderr();
        queue!(err, terminal::EnterAlternateScreen, cursor::Show)?;
        err.flush()?;
        Ok(screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let mut err = std::io::stderr();
        let _ = queue!(err, terminal::LeaveAlternateScreen, cursor::Show);
        let _ = err.flush();
        let _ = terminal::disable_raw_mode();
    }
}

enum Outcome {
    Picked(Vec<usize>),
    Left,
    Interrupted,
}

/// What the picker shows and where the selection is.
struct State {
    query: String,
    hits: Vec<usize>,
    selected: usize,
    top: usize,
    marked: Vec<usize>,
}

fn run(prompt: &str, candidates: &[Candidate], multi: bool) -> std::io::Result<Outcome> {
    let mut s = State {
        query: String::new(),
        hits: kb::pick::rank("", candidates),
        selected: 0,
        top: 0,
        marked: Vec::new(),
    };
    loop {
        draw(prompt, candidates, multi, &mut s)?;
        let Event::Key(KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            ..
        }) = crossterm::event::read()?
        else {
            continue; // a resize, a release: drawn again
        };
        let ctrl = modifiers.contains(KeyModifiers::CONTROL);
        let before = s.query.clone();
        match code {
            KeyCode::Char('c') if ctrl => return Ok(Outcome::Interrupted),
            KeyCode::Char('g' | 'q') if ctrl => return Ok(Outcome::Left),
            KeyCode::Esc => return Ok(Outcome::Left),
            KeyCode::Char('p' | 'k') if ctrl => s.selected = s.selected.saturating_sub(1),
            KeyCode::Char('n' | 'j') if ctrl => s.selected += 1,
            KeyCode::Up => s.selected = s.selected.saturating_sub(1),
            KeyCode::Down => s.selected += 1,
            KeyCode::PageUp => s.selected = s.selected.saturating_sub(10),
            KeyCode::PageDown => s.selected += 10,
            KeyCode::Char('u') if ctrl => s.query.clear(),
            KeyCode::Char('w') if ctrl => {
                let trimmed = s.query.trim_end().len();
                s.query.truncate(trimmed);
                let cut = s.query.rfind(' ').map_or(0, |i| i + 1);
                s.query.truncate(cut);
            }
            KeyCode::Backspace => {
                s.query.pop();
            }
            KeyCode::Tab if multi => {
                if let Some(&i) = s.hits.get(s.selected) {
                    match s.marked.iter().position(|&m| m == i) {
                        Some(at) => {
                            s.marked.remove(at);
                        }
                        None => s.marked.push(i),
                    }
                    s.selected += 1;
                }
            }
            KeyCode::Enter => {
                if !s.marked.is_empty() {
                    return Ok(Outcome::Picked(s.marked));
                }
                if let Some(&i) = s.hits.get(s.selected) {
                    return Ok(Outcome::Picked(vec![i]));
                }
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => s.query.push(c),
            _ => {}
        }
        if s.query != before {
            s.hits = kb::pick::rank(&s.query, candidates);
            s.selected = 0;
            s.top = 0;
        }
        s.selected = s.selected.min(s.hits.len().saturating_sub(1));
    }
}

fn draw(prompt: &str, candidates: &[Candidate], multi: bool, s: &mut State) -> std::io::Result<()> {
    // A pseudo-terminal nobody sized (`script` without a terminal of its own) says 0×0.
    let (cols, rows) = match terminal::size() {
        Ok((c, r)) if c > 0 && r > 0 => (c as usize, r as usize),
        _ => (80, 24),
    };
    let list_rows = rows.saturating_sub(2).max(1);
    if s.selected < s.top {
        s.top = s.selected;
    } else if s.selected >= s.top + list_rows {
        s.top = s.selected + 1 - list_rows;
    }
    let mut err = std::io::stderr();
    queue!(
        err,
        cursor::MoveTo(0, 0),
        terminal::Clear(terminal::ClearType::All)
    )?;
    let help = if multi {
        "↑↓ move · Tab mark · Enter pick · Esc cancel"
    } else {
        "↑↓ move · Enter pick · Esc cancel"
    };
    let count = format!(
        "  {}/{}{}  {help}",
        s.hits.len(),
        candidates.len(),
        if s.marked.is_empty() {
            String::new()
        } else {
            format!(" ({} marked)", s.marked.len())
        }
    );
    queue!(
        err,
        cursor::MoveTo(0, 1),
        style::SetAttribute(style::Attribute::Dim),
        style::Print(fit(&count, cols)),
        style::SetAttribute(style::Attribute::Reset)
    )?;
    for (row, &i) in s.hits.iter().enumerate().skip(s.top).take(list_rows) {
        let c = &candidates[i];
        let here = row == s.selected;
        let mark = if s.marked.contains(&i) { '*' } else { ' ' };
        let head = format!("{}{mark}", if here { '>' } else { ' ' });
        let question = fit(&shown(&c.question), cols.saturating_sub(3));
        let used = 3 + width(&question);
        let tags: String = c.tags.iter().map(|t| format!(" #{t}")).collect();
        let rest = fit(
            &format!("  {}{}", c.id, shown(&tags)),
            cols.saturating_sub(used),
        );
        queue!(err, cursor::MoveTo(0, (row - s.top + 2) as u16))?;
        if here {
            queue!(err, style::SetAttribute(style::Attribute::Bold))?;
        }
        queue!(
            err,
            style::Print(format!("{head} {question}")),
            style::SetAttribute(style::Attribute::Reset),
            style::SetAttribute(style::Attribute::Dim),
            style::Print(rest),
            style::SetAttribute(style::Attribute::Reset)
        )?;
    }
    let line = fit(
        &format!("{prompt}> {}", shown(&s.query)),
        cols.saturating_sub(1),
    );
    queue!(err, cursor::MoveTo(0, 0), style::Print(&line))?;
    err.flush()
}

/// Text as the picker may print it: no control characters from a question's file.
fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` cut to `cols` terminal columns (Hangul takes two), with `…` when cut.
fn fit(text: &str, cols: usize) -> String {
    if width(text) <= cols {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > cols {
            break;
        }
        out.push(c);
        used += w;
    }
    if cols > 0 {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_hangul_as_two_columns() {
        assert_eq!(fit("추론 최적화", 20), "추론 최적화");
        assert_eq!(fit("추론 최적화", 6), "추론…");
        assert!(width(&fit("추론 최적화는 어떻게", 9)) <= 9);
        assert_eq!(shown("a\u{1b}[31mb"), "a[31mb");
    }
}
