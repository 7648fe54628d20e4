//! kb as git's merge driver during a sync: the files that tell git to call `kb merge-driver`
//! for questions and interviews, and the semantic three-way merge it then does.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::interview::Interview;
use crate::model::Question;
use crate::store::{INTERVIEWS_DIR, Kb, QUESTIONS_DIR};

/// The files git uses during the rebase: an attributes file naming kb's merge driver, and the
/// log the driver appends to. Kept in the git directory; the user's config is not touched.
pub(super) fn driver_files(kb: &Kb) -> Result<(PathBuf, PathBuf)> {
    let dir = kb.state().dir().to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::Io {
        path: dir.clone(),
        source: e,
    })?;
    let attributes = kb.state().merge_attributes();
    let p = kb.prefix();
    let text = format!("{p}{QUESTIONS_DIR}/*.yaml merge=kb\n{p}{INTERVIEWS_DIR}/*.yaml merge=kb\n");
    crate::store::write_atomic(&attributes, text.as_bytes())?;
    let log = kb.state().merge_driver_log();
    let _ = std::fs::remove_file(&log);
    Ok((attributes, log))
}

/// The merge driver git calls during `kb sync` for a question or interview both sides changed:
/// reads the base (`base`, empty when both added the file), ours and theirs, writes the merge over
/// `ours`. Returns whether the two versions conflicted (the question is then tagged).
pub fn merge_driver(base: &Path, ours: &Path, theirs: &Path, path: &str) -> Result<bool> {
    let read = |p: &Path| crate::store::read_text(p);
    let (base_text, ours_text, theirs_text) = (read(base)?, read(ours)?, read(theirs)?);
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = PathBuf::from(path);
    if path.contains(&format!("{INTERVIEWS_DIR}/")) {
        let parse = |t: &str| Interview::parse(&shown, t, Some(&stem)).map_err(Error::Invalid);
        let b = if base_text.trim().is_empty() {
            None
        } else {
            Some(parse(&base_text)?)
        };
        let merged =
            crate::merge::merge3_interview(b.as_ref(), &parse(&ours_text)?, &parse(&theirs_text)?);
        crate::store::write_atomic(ours, merged.to_yaml().as_bytes())?;
        return Ok(false);
    }
    let parse = |t: &str| Question::parse(&shown, t, Some(&stem)).map_err(Error::Invalid);
    let b = if base_text.trim().is_empty() {
        None
    } else {
        Some(parse(&base_text)?)
    };
    let (o, t) = (parse(&ours_text)?, parse(&theirs_text)?);
    let merged = crate::merge::merge3(b.as_ref(), Some(&o), Some(&t), crate::time::now());
    let question = merged
        .question
        .expect("both sides exist, so the merge keeps the question");
    crate::store::write_atomic(ours, question.to_yaml().as_bytes())?;
    Ok(merged.conflict)
}
