//! Helpers shared by the LogHub accuracy tests: the corpus location, a CSV reader
//! for the ground-truth files, and messages extracted the way logsift extracts them
//! (a plain-text header schema learned from the first lines of each file).

#![allow(dead_code)]

use std::path::PathBuf;

use logsift::parse::Parser;
use logsift::parse::plain::PlainParser;
use logsift::parse::time::TimeCtx;

/// Where the shared corpora live, relative to the crate.
pub fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora")
        .join(name)
}

/// The data sets under `root` (its subdirectories, sorted); `None` when `root` cannot
/// be read, i.e. the corpus is absent.
pub fn sets(root: &std::path::Path) -> Option<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Some(dirs)
}

/// A fixed time context, so that relative dates never depend on today.
pub fn ctx() -> TimeCtx {
    TimeCtx {
        tz: jiff::tz::TimeZone::UTC,
        now: "2026-11-28T00:00:00Z".parse().unwrap(),
    }
}

/// A CSV file as rows of fields: quoted fields may hold commas, newlines and doubled quotes.
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The lines of a raw log (no final empty line).
pub fn lines(raw: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = raw.split(|&b| b == b'\n').collect();
    if lines.last() == Some(&&b""[..]) {
        lines.pop();
    }
    lines
}

/// Learns a plain-text header from the first `sample` lines.
pub fn learn(lines: &[&[u8]], sample: usize) -> PlainParser {
    PlainParser::learn(&lines[..lines.len().min(sample)], ctx())
}

/// The message of every line, as the plain parser finds it.
pub fn messages<'a>(p: &PlainParser, lines: &[&'a [u8]]) -> Vec<&'a [u8]> {
    lines
        .iter()
        .map(|l| {
            p.parse(l, logsift::parse::Want::ALL)
                .msg
                .map_or(&b""[..], |m| m.bytes())
        })
        .collect()
}
