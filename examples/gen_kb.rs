//! Generate a knowledge base of N questions for benchmarks, from the vocabulary of the public
//! interview corpora: questions and answer lines are drawn (seeded, reproducibly) from what the
//! importer finds there and recombined, so the text has real Korean/English term statistics.
//!
//! cargo run --release --example gen_kb -- CORPORA_DIR OUT_DIR COUNT [SQL_FILE]
//!
//! Writes OUT_DIR/kb.yaml and OUT_DIR/questions/*.yaml in kb's canonical form, then makes one
//! git commit with the git command-line tool. With SQL_FILE, also writes an SQL script that
//! loads the same documents into an SQLite FTS5 table (for the comparison in bench/run.sh).

use std::path::{Path, PathBuf};
use std::process::Command;

/// xorshift64*: small, seedable, good enough to pick words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: gen_kb CORPORA_DIR OUT_DIR COUNT [SQL_FILE]");
        std::process::exit(2);
    }
    let corpora = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    let count: usize = args[3].parse().expect("COUNT is a number");
    let mut rng = Rng(0x5eed_u64 ^ count as u64 | 1);
    let mut sql = args.get(4).map(|p| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(p).expect("create the SQL file"));
        use std::io::Write;
        writeln!(f, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, question, answer, tokenize='unicode61');\nBEGIN;").unwrap();
        f
    });

    let files =
        kb::import::markdown_files(std::slice::from_ref(&corpora)).expect("readable corpora");
    let mut questions = Vec::new();
    let mut lines = Vec::new();
    let mut tags = Vec::new();
    for (path, _) in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        for f in kb::import::extract(&text, &stem).units {
            for line in kb::text::markdown_plain(&f.answer).lines() {
                let line = line.trim();
                if line.chars().count() >= 12 {
                    lines.push(line.to_string());
                }
            }
            if let Some(t) = f.path.last().and_then(|s| kb::import::tag_for(s)) {
                tags.push(t);
            }
            questions.push(f.question);
        }
    }
    tags.sort();
    tags.dedup();
    tags.extend(
        [
            "ml",
            "deep-learning",
            "statistics",
            "os",
            "network",
            "python",
            "database",
        ]
        .map(String::from),
    );
    assert!(
        !questions.is_empty() && !lines.is_empty(),
        "no questions found in {}",
        corpora.display()
    );

    let qdir = out.join("questions");
    std::fs::create_dir_all(&qdir).expect("create the output folder");
    std::fs::write(
        out.join("kb.yaml"),
        "version: 1\nname: benchmark\nlanguage: ko\n",
    )
    .unwrap();
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    for i in 0..count {
        // A corpus question, sometimes with a second one's tail, so texts vary.
        let mut text = rng.pick(&questions).clone();
        if rng.below(3) == 0 {
            let other = rng.pick(&questions);
            let tail: String = other.chars().skip(other.chars().count() / 2).collect();
            text = format!("{text} {tail}");
        }
        let mut id = String::from("q-");
        let mut n = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ rng.next();
        for _ in 0..8 {
            id.push(ALPHABET[(n & 31) as usize] as char);
            n >>= 5;
        }
        let mut q = kb::Question::new(id, &text);
        let answer_lines = 2 + rng.below(8);
        q.answer = (0..answer_lines)
            .map(|_| rng.pick(&lines).as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        q.tags = (0..1 + rng.below(3))
            .map(|_| rng.pick(&tags).clone())
            .collect();
        kb::model::normalise_tags(&mut q.tags);
        let path = qdir.join(format!("{}.yaml", q.id));
        if path.exists() {
            continue;
        }
        std::fs::write(path, q.to_yaml()).unwrap();
        if let Some(f) = sql.as_mut() {
            use std::io::Write;
            let quote = |s: &str| s.replace('\'', "''");
            writeln!(
                f,
                "INSERT INTO docs VALUES ('{}', '{}', '{}');",
                q.id,
                quote(&q.question),
                quote(&q.answer)
            )
            .unwrap();
        }
    }
    if let Some(mut f) = sql {
        use std::io::Write;
        writeln!(f, "COMMIT;").unwrap();
        f.flush().unwrap();
    }
    git(&out, &["init", "-q"]);
    git(&out, &["add", "-A"]);
    git(
        &out,
        &[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@localhost",
            "commit",
            "-qm",
            "generated",
        ],
    );
    println!("{count} questions in {}", out.display());
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}
