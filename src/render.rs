//! Output for people: colours when wanted, tables that fit the terminal, warnings.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, Table, presets};

use crate::cli::ColorWhen;

/// Whether kb's own colour sequences are on (see [`clean`]); set by [`Output::detect`].
static KEEP_SGR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Text on its way to a terminal (or a Markdown file), made inert: a question, a company name
/// or a note may hold escape sequences (typed, hand-written or pulled from another machine)
/// that would move the cursor, set the window title, write the clipboard (OSC 52) or hide
/// text, and bidi controls (U+202E…) that show text in another order than it is. Every such
/// character is shown as a visible stand-in instead: C0 controls as their control pictures
/// (`␛`), C1 and bidi controls as `<U+202E>`. Newlines and tabs stay. kb's own colours are the
/// one escape kept, and only while colours are on: a plain `ESC [ digits m` (SGR), which moves
/// nothing and sets no state outside the text's own colour.
///
/// Every `println!`/`print!`/`eprintln!`/`eprint!` of the binary goes through this (the macros
/// in main.rs shadow std's), as do the long table and the Markdown exports.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    clean_with(text, KEEP_SGR.load(std::sync::atomic::Ordering::Relaxed))
}

/// [`clean`] with every escape made inert, colours too (Markdown written to a file).
pub fn clean_all(text: &str) -> std::borrow::Cow<'_, str> {
    clean_with(text, false)
}

fn unsafe_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

fn clean_with(text: &str, keep_sgr: bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && keep_sgr {
            // ESC [ (digits | ; | :)* m
            let body = &rest[1..];
            if let Some(params) = body.strip_prefix('[') {
                let len = params
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
                    .count();
                if params[len..].starts_with('m') {
                    let whole = 1 + 1 + len + 1;
                    out.push_str(&rest[..whole]);
                    rest = &rest[whole..];
                    continue;
                }
            }
        }
        if unsafe_char(c) {
            match c as u32 {
                n @ 0..=0x1f => out.push(char::from_u32(0x2400 + n).unwrap_or('?')),
                0x7f => out.push('\u{2421}'),
                n => out.push_str(&format!("<U+{n:04X}>")),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// Write `text` to standard output (`stderr`: standard error) through [`clean`], failing the
/// way std's `print!` does (a panic main's hook turns into a one-line error).
pub fn emit(text: &str, stderr: bool) {
    use std::io::Write;
    let text = clean(text);
    let result = if stderr {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
    if let Err(e) = result {
        panic!(
            "failed printing to {}: {e}",
            if stderr { "stderr" } else { "stdout" }
        );
    }
}

/// A document kb made (`export`, `prep`) to standard output or the file `-o` names. JSON goes
/// out exactly (its strings are escaped by JSON itself, and a script needs the data as it is);
/// Markdown and Anki text through [`clean_all`], since it is read in a terminal or a viewer.
pub fn write_document(text: &str, json: bool, to: Option<&std::path::Path>) -> anyhow::Result<()> {
    use std::io::Write;
    let text = if json {
        std::borrow::Cow::Borrowed(text)
    } else {
        clean_all(text)
    };
    match to {
        Some(path) => kb::store::write_output(path, text.as_bytes())?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}

/// How to print: whether colours are on and how wide the table may be.
pub struct Output {
    pub color: bool,
    /// Standard output is a terminal.
    pub tty: bool,
    /// The width to fit, when known: the terminal's, or `COLUMNS` when not a terminal.
    pub width: Option<u16>,
}

impl Output {
    /// Decide from the flag, `NO_COLOR` (https://no-color.org) and whether stdout is a terminal.
    pub fn detect(when: ColorWhen) -> Output {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => tty && !no_color,
        };
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 20);
        // A terminal that reports no size (a pty nobody sized, as `script` makes) is 0 wide:
        // tables fitted to it came out one letter a column.
        let width = if tty {
            comfy_table::Table::new()
                .width()
                .filter(|w| *w >= 20)
                .or(columns)
        } else {
            columns
        };
        KEEP_SGR.store(color, std::sync::atomic::Ordering::Relaxed);
        Output { color, tty, width }
    }

    /// `text` in `style`, or plain when colours are off.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    pub fn accent(&self, text: &str) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Cyan.into())), text)
    }

    pub fn error_label(&self) -> String {
        let tty = std::io::stderr().is_terminal() && self.color_allowed_on_stderr();
        if tty {
            let s = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
            format!("{s}error:{s:#}")
        } else {
            "error:".to_string()
        }
    }

    pub fn warning_label(&self) -> String {
        if std::io::stderr().is_terminal() && self.color_allowed_on_stderr() {
            let s = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
            format!("{s}warning:{s:#}")
        } else {
            "warning:".to_string()
        }
    }

    fn color_allowed_on_stderr(&self) -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    /// A table too long for comfy-table, which lays out every row before it prints the first
    /// (100k questions took 2.7 s and 400 MiB). Columns are padded to their widest cell, one
    /// line per row, written through a buffer. Column `flex` (the question) gets what the
    /// width leaves, cut with `…`; without a known width nothing is cut.
    pub fn print_long_table(
        &self,
        header: &[&str],
        rows: &[Vec<String>],
        flex: usize,
    ) -> std::io::Result<()> {
        use std::io::Write;
        use unicode_width::UnicodeWidthStr;
        const GAP: usize = 2;
        // Tags and the like may not push the question off the line.
        const CAP: usize = 30;
        let columns = header.len();
        let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
        for row in rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        if let Some(total) = self.width {
            for (i, w) in widths.iter_mut().enumerate() {
                if i != flex && i != 0 && i != columns - 1 {
                    *w = (*w).min(CAP);
                }
            }
            let others: usize = widths
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != flex)
                .map(|(_, w)| w + GAP)
                .sum();
            widths[flex] = widths[flex].min((total as usize).saturating_sub(others).max(20));
        }
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let mut line = String::new();
        let mut write_row = |cells: &mut dyn Iterator<Item = String>,
                             out: &mut dyn Write,
                             bold: bool|
         -> std::io::Result<()> {
            line.clear();
            for (i, cell) in cells.enumerate().take(columns) {
                let cell = fit_width(&cell, widths[i]);
                let text = if bold { self.bold(&cell) } else { cell.clone() };
                line.push_str(&text);
                if i + 1 < columns {
                    let pad = widths[i] - cell.width() + GAP;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            writeln!(out, "{}", clean(line.trim_end()))
        };
        write_row(&mut header.iter().map(|h| h.to_string()), &mut out, true)?;
        for row in rows {
            write_row(&mut row.iter().cloned(), &mut out, false)?;
        }
        out.flush()
    }

    /// A table set up for this output: borders and width on a terminal, plain aligned columns
    /// when piped.
    pub fn table(&self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table.force_no_tty();
        if self.color {
            table.enforce_styling();
        }
        if self.tty {
            table.load_style(presets::UTF8_HORIZONTAL_ONLY);
        } else {
            table.load_style(presets::NOTHING);
        }
        match self.width {
            Some(w) => {
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(w);
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        let header: Vec<comfy_table::Cell> = header
            .iter()
            .map(|h| {
                let cell = comfy_table::Cell::new(h);
                if self.color {
                    cell.add_attribute(comfy_table::Attribute::Bold)
                } else {
                    cell
                }
            })
            .collect();
        table.set_header(header);
        table
    }

    /// [`Output::warn_skipped`] for problems already rendered as `path:line:col: message`.
    pub fn warn_skipped_lines(&self, problems: &[String]) {
        if problems.is_empty() {
            return;
        }
        let n = problems.len();
        eprintln!(
            "{} skipped {n} file{} that could not be read (run `kb check` for all problems):",
            self.warning_label(),
            if n == 1 { "" } else { "s" }
        );
        for p in problems.iter().take(3) {
            eprintln!("  {p}");
        }
        if n > 3 {
            eprintln!("  … and {} more", n - 3);
        }
    }

    /// Tell the user, once, about files that were skipped because they could not be read.
    pub fn warn_skipped(&self, problems: &[kb::Problem]) {
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        self.warn_skipped_lines(&lines);
    }
}

/// `1 file`, `3 files`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Print JSON to standard output, pretty when a person will read it.
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    // Buffered: standard output flushes at every newline otherwise, and compact JSON has none,
    // so 100k rows went out in kilobyte-sized writes.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if std::io::stdout().is_terminal() {
        serde_json::to_writer_pretty(&mut out, value)?;
    } else {
        serde_json::to_writer(&mut out, value)?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A progress bar on standard error for long operations; hidden when stderr is not a terminal.
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        let bar = indicatif::ProgressBar::hidden();
        if std::io::stderr().is_terminal() {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({eta})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        Bar(bar)
    }
}

impl kb::index::Progress for Bar {
    fn start(&self, len: u64, message: &str) {
        self.0.set_length(len);
        self.0.set_position(0);
        self.0.set_message(message.to_string());
    }
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
    fn warn(&self, message: &str) {
        self.0.suspend(|| eprintln!("warning: {message}"));
    }
}

/// `text` with the byte ranges in `highlights` painted (bold and coloured), or plain.
pub fn highlight(out: &Output, text: &str, highlights: &[std::ops::Range<usize>]) -> String {
    if !out.color || highlights.is_empty() {
        return text.to_string();
    }
    let style = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
    // Overlapping bigram matches (`체이` and `이닝` of `체이닝`) are painted as one.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    let mut sorted = highlights.to_vec();
    sorted.sort_by_key(|r| r.start);
    for r in sorted {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut s = String::with_capacity(text.len() + highlights.len() * 12);
    let mut at = 0;
    for r in &merged {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        s.push_str(&text[at..r.start]);
        s.push_str(&format!("{style}{}{style:#}", &text[r.clone()]));
        at = r.end;
    }
    s.push_str(&text[at..]);
    s
}

/// `text` cut to `width` terminal columns, ending in `…` when cut.
pub fn fit_width(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}
