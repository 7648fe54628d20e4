//! How common each comparison token is in a background collection, shipped with kb.
//!
//! A token's weight is its rarity. Counted in the user's bank alone, rarity means nothing until
//! the bank is large: in a bank of four questions every word is rare. So kb ships document
//! frequencies counted once over a background collection — the public interview question
//! collections and notes repositories in ../shared/corpora and the sample bank kb/ (questions,
//! headings, list items and paragraphs, each a document) — and adds the bank's own counts to
//! them. Only the counts are shipped, in data/similar-background.tsv, never the text.
//!
//! `cargo run --example similar_background` counts them again; a test checks that the shipped
//! file matches the corpora and the current [`super::VERSION`].

use std::collections::HashMap;
use std::sync::LazyLock;

/// The shipped counts.
const SHIPPED: &str = include_str!("../../../data/similar-background.tsv");

static BACKGROUND: LazyLock<Background> = LazyLock::new(|| Background::parse(SHIPPED));

/// The shipped background.
pub fn shipped() -> &'static Background {
    &BACKGROUND
}

/// Document frequencies of tokens over a number of documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Background {
    docs: usize,
    /// The print version the counts were made with.
    version: u32,
    df: HashMap<String, usize>,
}

/// Tokens in fewer documents than this are not written out: they count as absent, which makes
/// almost no difference to their weight and keeps the file small.
pub const MIN_DF: usize = 2;

impl Background {
    /// Read the TSV form (see [`Background::to_tsv`]). Lines that do not parse are skipped: the
    /// file is kb's own.
    pub fn parse(text: &str) -> Background {
        let mut b = Background::default();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("# ") {
                for field in header.split_whitespace() {
                    if let Some(v) = field.strip_prefix("docs=") {
                        b.docs = v.parse().unwrap_or(0);
                    }
                    if let Some(v) = field.strip_prefix("version=") {
                        b.version = v.parse().unwrap_or(0);
                    }
                }
                continue;
            }
            if let Some((t, n)) = line.split_once('\t')
                && let Ok(n) = n.parse()
            {
                b.df.insert(t.to_string(), n);
            }
        }
        b
    }

    /// Count the prints of `documents`.
    pub fn count<'a>(documents: impl IntoIterator<Item = &'a str>) -> Background {
        let mut b = Background {
            version: super::VERSION,
            ..Background::default()
        };
        let glossary = crate::analysis::glossary::Glossary::shipped_ref();
        for d in documents {
            let p = super::analyse(d, glossary, None);
            if p.tokens.is_empty() {
                continue;
            }
            b.docs += 1;
            for t in p.tokens {
                *b.df.entry(t).or_default() += 1;
            }
        }
        b
    }

    /// The TSV form: a header line, then `token<TAB>documents` for tokens in at least
    /// [`MIN_DF`] documents, sorted by token.
    pub fn to_tsv(&self) -> String {
        let mut rows: Vec<(&String, &usize)> =
            self.df.iter().filter(|(_, n)| **n >= MIN_DF).collect();
        rows.sort();
        let mut s = format!(
            "# kb similarity background: version={} docs={} (document frequencies of comparison tokens; written by `cargo run --example similar_background`)\n",
            self.version, self.docs
        );
        for (t, n) in rows {
            s.push_str(&format!("{t}\t{n}\n"));
        }
        s
    }

    /// The same counts as [`Background::to_tsv`] writes (tokens below [`MIN_DF`] dropped).
    pub fn trimmed(&self) -> Background {
        Background {
            docs: self.docs,
            version: self.version,
            df: self
                .df
                .iter()
                .filter(|(_, n)| **n >= MIN_DF)
                .map(|(t, n)| (t.clone(), *n))
                .collect(),
        }
    }

    /// Number of documents counted.
    pub fn docs(&self) -> usize {
        self.docs
    }

    /// The print version the counts were made with.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// In how many documents `token` occurs.
    pub fn df(&self, token: &str) -> usize {
        self.df.get(token).copied().unwrap_or(0)
    }
}

/// The documents of a Markdown text: each heading, list item, table row and paragraph, without
/// code blocks, HTML comments, images or link targets.
pub fn markdown_documents(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let mut fence: Option<&str> = None;
    let flush = |p: &mut String, out: &mut Vec<String>| {
        if !p.trim().is_empty() {
            out.push(std::mem::take(p));
        }
        p.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            flush(&mut paragraph, &mut out);
            fence = Some(&t[..3]);
            continue;
        }
        if t.is_empty() {
            flush(&mut paragraph, &mut out);
            continue;
        }
        let block_start = t.starts_with('#')
            || t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with('|')
            || t.starts_with('>')
            || t.split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if block_start {
            flush(&mut paragraph, &mut out);
            out.push(clean(t));
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(&clean(t));
    }
    flush(&mut paragraph, &mut out);
    out.retain(|d| !d.trim().is_empty());
    out
}

/// The background documents: every Markdown file under `corpora` (sorted by path, so the count
/// is the same everywhere) and the questions and answers of the knowledge base in `sample`.
pub fn collect_documents(
    corpora: &std::path::Path,
    sample: &std::path::Path,
) -> crate::Result<Vec<String>> {
    let mut files = Vec::new();
    markdown_files(corpora, &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).map_err(|e| crate::Error::Io {
            path: f.clone(),
            source: e,
        })?)
        .into_owned();
        out.extend(markdown_documents(&text));
    }
    let kb = crate::Kb::open(sample)?;
    let mut questions = kb.load_all()?.questions;
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    for q in questions {
        out.push(q.question.clone());
        out.extend(markdown_documents(&q.answer));
    }
    Ok(out)
}

fn markdown_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> crate::Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| crate::Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            markdown_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("md"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A Markdown line without link targets, images and HTML tags.
fn clean(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['<', '(']) {
        s.push_str(&rest[..i]);
        let close = if rest[i..].starts_with('<') { '>' } else { ')' };
        let inner = &rest[i + 1..];
        match inner.find(close) {
            // `(...)` is kept unless it looks like a link target.
            Some(j)
                if close == '>' || inner[..j].contains("://") || inner[..j].starts_with("./") =>
            {
                rest = &inner[j + 1..];
            }
            _ => {
                s.push(rest[i..].chars().next().unwrap_or(' '));
                rest = &rest[i + 1..];
            }
        }
    }
    s.push_str(rest);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_trip_through_the_file_form() {
        let b = Background::count(["TCP와 UDP의 차이는?", "TCP 혼잡 제어", "가상 메모리"]);
        assert_eq!(b.docs(), 3);
        let again = Background::parse(&b.to_tsv());
        assert_eq!(again, b.trimmed());
        let tcp = &super::super::print("TCP").tokens[0];
        assert_eq!(again.df(tcp), 2, "{tcp}");
    }

    #[test]
    fn markdown_becomes_headings_items_and_paragraphs() {
        let md = "# 제목\n\n첫 문단\n이어짐\n\n- 항목 [링크](https://x.y)\n\n```python\ncode\n```\n1. 번호\n";
        assert_eq!(
            markdown_documents(md),
            ["# 제목", "첫 문단 이어짐", "- 항목 [링크]", "1. 번호"]
        );
    }

    #[test]
    fn the_shipped_counts_are_of_this_version() {
        let b = shipped();
        assert_eq!(
            b.version(),
            super::super::VERSION,
            "count again: cargo run --example similar_background"
        );
        assert!(b.docs() > 1000, "{}", b.docs());
    }
}
