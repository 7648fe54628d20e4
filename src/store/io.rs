//! Files in and out: atomic writes (a crash leaves the old file or the new one, never half of
//! one) and reads that refuse what kb should not read (links, huge files, bytes that are not
//! UTF-8), with text normalised as it comes in.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, IoContext, Problem, Result, display_path};

use super::layout;

/// The process's umask (read once: setting it to read it back is the only portable way).
#[cfg(unix)]
fn umask() -> u32 {
    static MASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MASK.get_or_init(|| {
        // SAFETY: umask only swaps the process's mask; it is put back at once.
        unsafe {
            let old = libc::umask(0o022);
            libc::umask(old);
            old as u32
        }
    })
}

/// Write a file the user named with `-o`: through a special file (a FIFO, `/dev/stdout`, a
/// terminal) as a plain write, since replacing it would put a regular file where the user's
/// pipe or device was; a regular file (or the file a symlink points to, the link staying)
/// atomically, as [`write_atomic`].
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    // Follow symlinks to the file they name, even one that does not exist yet.
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&target).at(&target)?;
                target = match target.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => break,
        }
    }
    match fs::metadata(&target) {
        Ok(m) if !m.is_file() && !m.is_dir() => {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .at(&target)?;
            f.write_all(bytes).at(&target)?;
            f.flush().at(&target)?;
            Ok(())
        }
        _ => write_atomic(&target, bytes),
    }
}

/// Write `bytes` to `path` atomically (temporary file + fsync + rename + fsync of the folder).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(layout::TMP_PREFIX)
        .tempfile_in(dir)
        .at(dir)?;
    tmp.write_all(bytes).at(tmp.path().to_path_buf())?;
    // The temporary file is made 0600; the file it becomes keeps the mode the old one had, or
    // gets the one the user's umask gives a new file (as git does): a shared bank stays shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match fs::metadata(path) {
            Ok(m) => m.permissions().mode() & 0o7777,
            Err(_) => 0o666 & !umask(),
        };
        let _ = tmp
            .as_file()
            .set_permissions(fs::Permissions::from_mode(mode));
    }
    tmp.as_file().sync_all().at(tmp.path().to_path_buf())?;
    tmp.persist(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    if let Ok(d) = fs::File::open(dir) {
        // Make the rename itself durable; not all platforms allow syncing a folder.
        let _ = d.sync_all();
    }
    Ok(())
}

/// The largest file kb reads as a question, interview, project or settings file. A question with
/// a 50 MB answer is a mistake (a pasted binary, a log), and would bloat every clone and the index.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Read at most [`MAX_FILE_BYTES`] from `reader` (a file, a pipe, a device: `/dev/zero` has no
/// length to check beforehand); more is an error naming `what`, not an endless read.
pub fn read_limited(reader: impl std::io::Read, what: &str) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "{what} is larger than {} MB, the most kb reads",
            MAX_FILE_BYTES / 1_048_576
        )));
    }
    Ok(bytes)
}

/// [`read_limited`] of a file, as text.
pub fn read_file_limited(path: &Path) -> std::io::Result<String> {
    let bytes = read_limited(fs::File::open(path)?, &path.display().to_string())?;
    String::from_utf8(bytes)
        .map(crate::text::incoming)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Read a knowledge-base file as UTF-8 text: a regular file (not a link that could point
/// outside the knowledge base), at most [`MAX_FILE_BYTES`]. Bytes that are not UTF-8 are a
/// problem located at their line.
pub fn read_text(path: &Path) -> Result<String> {
    let meta = fs::symlink_metadata(path).at(path)?;
    let problem = |message: String| {
        Error::Invalid(Problem {
            path: display_path(path),
            line: 0,
            column: 0,
            message,
        })
    };
    if meta.file_type().is_symlink() {
        return Err(problem(
            "is a symbolic link; kb reads only regular files inside the knowledge base".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(problem(format!(
            "the file is {:.1} MB; kb reads files of at most {} MB",
            meta.len() as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        )));
    }
    if !meta.is_file() && !meta.is_dir() {
        return Err(problem("is not a regular file".into()));
    }
    let file = fs::File::open(path).at(path)?;
    let bytes = read_limited(file, &display_path(path).display().to_string()).at(path)?;
    utf8_text(path, bytes)
}

/// `bytes` read from `path` as text; bytes that are not UTF-8 are a problem at their line.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes)
        .map(crate::text::incoming)
        .map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column =
                valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
            Error::Invalid(Problem {
                path: display_path(path),
                line,
                column,
                message: "the file is not valid UTF-8 text".into(),
            })
        })
}
