//! YAML helpers shared by every file kb reads: errors with file, line and column, and the
//! bookkeeping that keeps fields kb does not know.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::error::Problem;

/// Turn a serde_yaml error into a [`Problem`] at its line and column.
pub fn problem(path: &Path, text: &str, err: &serde_yaml::Error) -> Problem {
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C" (and libyaml a context after a comma); the
    // location goes into the Problem's own fields instead.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    if text.trim().is_empty() {
        message = "the file is empty".to_string();
    }
    let (mut line, mut column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    // serde reports a duplicate key at the start of the mapping; point at the second one.
    if let Some(field) = message
        .strip_prefix("duplicate field `")
        .and_then(|r| r.split('`').next())
        && let Some(second) = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.strip_prefix(field)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .nth(1)
    {
        line = second.0 + 1;
        column = 1;
    }
    Problem {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// The 1-based line where a top-level `key:` is written, or 0 if it is not there.
///
/// Used to point at fields whose value parsed but does not make sense (a timestamp that is not a
/// date, an id that does not match the file name).
pub fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .map(|rest| rest.trim_start().starts_with(':'))
                .unwrap_or(false)
        })
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// The entries of `map` whose keys are not in `known`, in the order they were written.
pub fn unknown_fields(map: &Mapping, known: &[&str]) -> Mapping {
    map.iter()
        .filter(|(k, _)| !matches!(k, Value::String(s) if known.contains(&s.as_str())))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The first field of `extra` that YAML cannot write back as it was read (an exotic tag such as
/// `!+*`), so such a file is reported instead of being rewritten wrongly.
pub fn unwritable_field(extra: &Mapping) -> Option<String> {
    extra.iter().find_map(|(k, v)| {
        let mut one = Mapping::new();
        one.insert(k.clone(), v.clone());
        serde_yaml::to_string(&one).is_err().then(|| match k {
            Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        })
    })
}

/// Insert `key: value` into an ordered mapping being built for output.
pub fn put(map: &mut Mapping, key: &str, value: impl Into<Value>) {
    map.insert(Value::String(key.to_string()), value.into());
}

/// Serialise a mapping built by kb. Mappings of plain strings, lists and numbers cannot fail to
/// serialise, so a failure here is a bug, not bad input.
pub fn to_string(map: &Mapping) -> String {
    serde_yaml::to_string(map).expect("a YAML mapping of plain values always serialises")
}

/// Normalise Markdown text kept in a block scalar, so the same answer always serialises to the
/// same bytes and stays a readable `|` block (YAML emitters fall back to a quoted one-line
/// string for text with tabs or spaces before a line break):
///
/// - line endings become `\n`, and the text ends with exactly one;
/// - other control characters (NUL, escape sequences) are removed;
/// - tabs become spaces (to the next multiple of four columns);
/// - trailing blanks are removed from every line; a Markdown hard line break written as two
///   trailing spaces becomes the equivalent backslash break, so its meaning is kept.
pub fn normalise_block(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 1);
    for line in text.trim_end().lines() {
        let mut expanded = String::with_capacity(line.len());
        let mut column = 0;
        for c in line.chars().filter(|c| *c == '\t' || !c.is_control()) {
            if c == '\t' {
                let n = 4 - column % 4;
                expanded.extend(std::iter::repeat_n(' ', n));
                column += n;
            } else {
                expanded.push(c);
                column += 1;
            }
        }
        let kept = expanded.trim_end_matches(' ');
        out.push_str(kept);
        if expanded.len() - kept.len() >= 2 && !kept.trim().is_empty() && !kept.ends_with('\\') {
            out.push('\\');
        }
        out.push('\n');
    }
    let trimmed = out.trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

/// What the parsers of record files (interviews, projects) share: the typed read and the
/// untyped one (for fields kb does not know), and errors that point at the line of a key.
pub struct Record<'a> {
    path: &'a Path,
    text: &'a str,
    all: Mapping,
}

impl<'a> Record<'a> {
    /// Read `text` both as `R` and as a plain mapping.
    pub fn read<R: serde::de::DeserializeOwned>(
        path: &'a Path,
        text: &'a str,
    ) -> Result<(R, Record<'a>), Problem> {
        Record::read_with(path, text, true)
    }

    /// [`Record::read`]; without `keep_unknown` the untyped pass is skipped (when the fields kb
    /// does not know will not be written back, as when indexing), and [`Record::all`] is empty.
    pub fn read_with<R: serde::de::DeserializeOwned>(
        path: &'a Path,
        text: &'a str,
        keep_unknown: bool,
    ) -> Result<(R, Record<'a>), Problem> {
        let typed: R = serde_yaml::from_str(text).map_err(|e| problem(path, text, &e))?;
        let all: Mapping = match keep_unknown {
            true => serde_yaml::from_str(text).map_err(|e| problem(path, text, &e))?,
            false => Mapping::new(),
        };
        Ok((typed, Record { path, text, all }))
    }

    /// Every field, untyped.
    pub fn all(&self) -> &Mapping {
        &self.all
    }

    /// A problem located at `key`'s line (the file as a whole when the key is not there).
    pub fn error(&self, key: &str, message: String) -> Problem {
        let line = key_line(self.text, key);
        Problem {
            path: self.path.to_path_buf(),
            line,
            column: usize::from(line > 0),
            message,
        }
    }

    /// A valid id, and the one the file name gives when there is one.
    pub fn check_id(&self, id: &str, expected: Option<&str>) -> Result<(), Problem> {
        crate::id::validate(id).map_err(|e| self.error("id", e.to_string()))?;
        match expected {
            Some(expected) if id != expected => Err(self.error(
                "id",
                format!(
                    "id {id:?} does not match the file name (expected {expected:?}); rename the \
                     file or fix the id"
                ),
            )),
            _ => Ok(()),
        }
    }

    /// An optional timestamp field; empty counts as absent.
    pub fn stamp(
        &self,
        key: &str,
        value: Option<String>,
    ) -> Result<Option<jiff::Timestamp>, Problem> {
        match value.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => crate::time::parse(s).map(Some).ok_or_else(|| {
                let message =
                    format!("{key}: {s:?} is not a date or time (use 2026-11-28T09:30:00Z)");
                self.error(key, message)
            }),
        }
    }

    /// The fields not in `known`, kept as they are, unless one holds a YAML tag kb could not
    /// write back.
    pub fn extra(&self, known: &[&str]) -> Result<Mapping, Problem> {
        let extra = unknown_fields(&self.all, known);
        match unwritable_field(&extra) {
            Some(field) => Err(self.error(
                &field,
                format!("field `{field}` holds a YAML tag kb cannot write back; remove the tag"),
            )),
            None => Ok(extra),
        }
    }
}

/// An optional text field, trimmed; empty counts as absent.
pub fn clean(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_stay_blocks() {
        assert_eq!(
            normalise_block("a\r\nb  \n\tc\t# x \n\n\n"),
            "a\nb\\\n    c   # x\n"
        );
        assert_eq!(normalise_block("  \n\t\n"), "");
        // Leading indentation (code blocks) is kept.
        assert_eq!(normalise_block("```\n  x = 1\n```"), "```\n  x = 1\n```\n");
        let mut m = Mapping::new();
        put(
            &mut m,
            "answer",
            normalise_block("print(x)   \t# 주석  \n다음 줄\t"),
        );
        assert!(
            to_string(&m).starts_with("answer: |\n"),
            "{}",
            to_string(&m)
        );
    }
}
