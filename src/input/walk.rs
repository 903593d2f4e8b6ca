//! Expanding PATH arguments: directories are walked recursively in sorted order, so
//! output order is the same on every run and machine. Nothing is skipped silently: a
//! file that looks binary is still searched, hidden files are searched, and what cannot
//! be read is reported.

use std::path::PathBuf;

use super::Source;

/// One item of the expanded input list: a source to read, or a problem to report
/// (in order, where it was met).
#[derive(Debug)]
pub enum Item {
    Source(Source),
    Error(String),
    Warning(String),
}

/// Expands PATH arguments (`-` is stdin) into sources, lazily, in a deterministic order.
pub fn expand(paths: Vec<PathBuf>) -> impl Iterator<Item = Item> + Send {
    paths
        .into_iter()
        .flat_map(|p| -> Box<dyn Iterator<Item = Item> + Send> {
            if p.as_os_str() == "-" {
                return Box::new(std::iter::once(Item::Source(Source::Stdin)));
            }
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => Box::new(walk_dir(p)),
                // Files and anything else (FIFOs, devices) are opened as given; open reports errors.
                _ => Box::new(std::iter::once(Item::Source(Source::Path(p)))),
            }
        })
}

fn walk_dir(root: PathBuf) -> impl Iterator<Item = Item> + Send {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|entry| match entry {
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let msg = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                Some(Item::Error(format!("{path}: {msg}")))
            }
            Ok(entry) => {
                let ft = entry.file_type();
                if ft.is_dir() {
                    None
                } else if ft.is_file() {
                    Some(Item::Source(Source::Path(entry.into_path())))
                } else if ft.is_symlink() {
                    match std::fs::metadata(entry.path()) {
                        Ok(m) if m.is_file() => Some(Item::Source(Source::Path(entry.into_path()))),
                        Ok(_) => Some(Item::Warning(format!(
                            "{}: not following a symbolic link to a directory",
                            entry.path().display()
                        ))),
                        Err(e) => Some(Item::Error(format!("{}: {e}", entry.path().display()))),
                    }
                } else {
                    Some(Item::Warning(format!(
                        "{}: not a regular file (socket, FIFO or device); not read",
                        entry.path().display()
                    )))
                }
            }
        })
}
