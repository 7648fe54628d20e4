//! Writing a Markdown import (`kb import`): the planned questions and the images they show,
//! as one journalled commit. Planning is `crate::import`'s.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::import::{Asset, Plan};
use crate::tx::{Committed, Transaction};

/// Stage `plan`'s new questions and copy its images, then commit them as one change (killed
/// half-way, the next kb finishes it). `on_file` is called as each file is committed.
pub fn write(tx: &mut Transaction, plan: &Plan, on_file: &dyn Fn()) -> Result<Committed> {
    for q in &plan.new {
        tx.save(q)?;
    }
    // Images are copied first (atomically, each), then named in the change so they are
    // committed with the questions that show them.
    let copied = Asset::copy_all(tx.kb(), &plan.assets)?;
    for rel in &copied {
        tx.also(rel.clone());
    }
    tx.commit_with(&message(plan, copied.len()), on_file)
}

/// `import N questions from M files`, then the count per file and the images copied.
fn message(plan: &Plan, images: usize) -> String {
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for q in &plan.new {
        let file = q
            .imported_from
            .as_deref()
            .unwrap_or("")
            .rsplit_once(':')
            .map_or("", |(f, _)| f);
        *per_file.entry(file).or_default() += 1;
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut message = format!(
        "import {} question{} from {} file{}\n\n",
        plan.new.len(),
        s(plan.new.len()),
        per_file.len(),
        s(per_file.len())
    );
    for (file, n) in &per_file {
        message.push_str(&format!("{file}: {n}\n"));
    }
    if images > 0 {
        message.push_str(&format!(
            "\n{images} image{} copied into assets/\n",
            s(images)
        ));
    }
    message.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Existing, plan};

    #[test]
    fn an_import_is_one_commit_naming_each_file_and_its_images() {
        let dir = tempfile::tempdir().unwrap();
        let kb = crate::Kb::init(&dir.path().join("bank"), Some("t")).unwrap();
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(notes.join("img")).unwrap();
        std::fs::write(notes.join("img/tcp.png"), b"\x89PNG fake").unwrap();
        std::fs::write(
            notes.join("network.md"),
            "# 네트워크\n\n## TCP와 UDP의 차이는?\n\n![](img/tcp.png)\n\n신뢰성과 속도.\n\n## HTTP란?\n\n웹의 프로토콜.\n",
        )
        .unwrap();
        let files = crate::import::markdown_files(std::slice::from_ref(&notes)).unwrap();
        let mut n = 0;
        let planned = plan(
            &files,
            &Existing::of(&[]),
            &[],
            || {
                n += 1;
                format!("q-{n}")
            },
            || {},
        );
        assert_eq!(planned.new.len(), 2, "{:?}", planned.problems);
        assert_eq!(planned.assets.len(), 1);
        let mut tx = kb.begin(&|| {}).unwrap();
        let done = write(&mut tx, &planned, &|| {}).unwrap();
        let commit = kb.repo().find_commit(done.commit.unwrap()).unwrap();
        let message = commit.message().unwrap();
        assert!(
            message.starts_with("import 2 questions from 1 file\n\n"),
            "{message}"
        );
        assert!(message.contains("network.md: 2"), "{message}");
        assert!(
            message.ends_with("1 image copied into assets/"),
            "{message}"
        );
        let image = kb.root().join(&planned.assets[0].to);
        assert_eq!(std::fs::read(image).unwrap(), b"\x89PNG fake");
        assert!(kb.load("q-1").is_ok() && kb.load("q-2").is_ok());
    }
}
