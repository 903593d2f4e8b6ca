//! The grep worker: finds the matching records of one chunk.
//!
//! The pattern is searched over the whole chunk; only around a match is anything
//! framed: the match's line is found with two memchr calls, and with multi-line records
//! the record is widened over its continuation lines. Records between matches are never
//! looked at (unless inverted), which is what keeps record-aware grep as fast as a plain one.

use super::matcher::Matcher;
use crate::filter::{Filter, Verdict};
use crate::parse::Parser;
use crate::parse::detect::RawParser;
use crate::record::{Framer, line_end_after, line_start_before};
use crate::scan::{Chunk, InputInfo, Worker};

/// A record to print: byte range in the chunk, and its first line's index in the chunk
/// (0-based; only meaningful when line numbers were asked for).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub line: u64,
}

/// What a worker found in one chunk.
#[derive(Debug, Default)]
pub struct Found {
    /// The selected records, in order (empty in count-only modes).
    pub hits: Vec<Hit>,
    /// How many records were selected (or matches, with `count_matches`).
    pub count: u64,
    /// Newlines in the chunk (only when line numbers are needed).
    pub newlines: u64,
}

/// What the worker has to produce.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    pub invert: bool,
    /// Only count; do not collect records.
    pub count_only: bool,
    /// Count every match rather than every record (`-c -o`).
    pub count_matches: bool,
    /// Stop after this many records in one chunk (`-m`, `-l`, `-q`).
    pub limit: Option<u64>,
    pub line_numbers: bool,
}

pub struct Searcher {
    pub matcher: Matcher,
    pub framer: Framer,
    pub opts: SearchOptions,
    /// `--level`, `--since`, `--where`…: checked on records the pattern selected.
    pub filter: Filter,
}

impl Worker for Searcher {
    type Out = Found;

    fn process(&mut self, info: &InputInfo, chunk: &Chunk) -> Found {
        let buf = chunk.bytes();
        let mut found = Found::default();
        let raw: &dyn Parser = &RawParser;
        let parser = info.format.as_ref().map_or(raw, |d| &*d.parser);
        if self.opts.invert {
            self.search_inverted(buf, parser, &mut found);
        } else {
            self.search(buf, parser, &mut found);
        }
        if self.opts.line_numbers {
            found.newlines = bytecount::count(buf, b'\n') as u64;
        }
        found
    }
}

impl Searcher {
    fn limit_reached(&self, found: &Found) -> bool {
        self.opts.limit.is_some_and(|l| found.count >= l)
    }

    /// Line counter that moves forward through the chunk.
    fn line_of(&self, buf: &[u8], cursor: &mut (usize, u64), pos: usize) -> u64 {
        if self.opts.line_numbers {
            cursor.1 += bytecount::count(&buf[cursor.0..pos], b'\n') as u64;
            cursor.0 = pos;
        }
        cursor.1
    }

    /// Does the record pass the filters (always, without filters)?
    fn passes(&self, parser: &dyn Parser, rec: &[u8]) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let rec = rec.strip_suffix(b"\n").unwrap_or(rec);
        let p = parser.parse(rec, self.filter.want());
        self.filter.check(parser, rec, &p) == Verdict::Pass
    }

    fn search(&self, buf: &[u8], parser: &dyn Parser, found: &mut Found) {
        let mut pos = 0;
        let mut cursor = (0usize, 0u64);
        while pos < buf.len() {
            let Some((ms, _)) = self.matcher.find(buf, pos) else {
                break;
            };
            let ls = line_start_before(buf, ms, pos);
            let start = self.framer.record_start(buf, ls, pos);
            let end = self.framer.record_end(buf, line_end_after(buf, ms));
            if !self.passes(parser, &buf[start..end]) {
                pos = end;
                continue;
            }
            if self.opts.count_matches {
                found.count += self.count_matches(&buf[start..end]);
            } else {
                found.count += 1;
            }
            if !self.opts.count_only {
                let line = self.line_of(buf, &mut cursor, start);
                found.hits.push(Hit { start, end, line });
            }
            pos = end;
            if self.limit_reached(found) {
                break;
            }
        }
    }

    fn search_inverted(&self, buf: &[u8], parser: &dyn Parser, found: &mut Found) {
        let mut pos = 0;
        let mut cursor = (0usize, 0u64);
        while pos < buf.len() {
            // The next matching record bounds a gap of records that do not match.
            let (gap_end, next) = match self.matcher.find(buf, pos) {
                Some((ms, _)) => {
                    let ls = line_start_before(buf, ms, pos);
                    let start = self.framer.record_start(buf, ls, pos);
                    (start, self.framer.record_end(buf, line_end_after(buf, ms)))
                }
                None => (buf.len(), buf.len()),
            };
            let mut r = pos;
            while r < gap_end {
                let e = self.framer.next_record_end(buf, r).min(gap_end);
                if !self.passes(parser, &buf[r..e]) {
                    r = e;
                    continue;
                }
                found.count += 1;
                if !self.opts.count_only {
                    let line = self.line_of(buf, &mut cursor, r);
                    found.hits.push(Hit {
                        start: r,
                        end: e,
                        line,
                    });
                }
                r = e;
                if self.limit_reached(found) {
                    return;
                }
            }
            pos = next;
        }
    }

    fn count_matches(&self, rec: &[u8]) -> u64 {
        let mut n = 0;
        for line in rec.split(|&b| b == b'\n') {
            self.matcher.for_each_in_line(line, |_, _| n += 1);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grep::matcher::MatchOptions;
    use crate::record::Multiline;

    fn searcher(p: &str, mode: Multiline, invert: bool) -> Searcher {
        Searcher {
            matcher: Matcher::new(&[p.into()], &MatchOptions::default()).unwrap(),
            framer: Framer::new(mode),
            opts: SearchOptions {
                invert,
                count_only: false,
                count_matches: false,
                limit: None,
                line_numbers: true,
            },
            filter: Filter::default(),
        }
    }

    fn run(s: &Searcher, buf: &[u8]) -> Vec<(String, u64)> {
        let mut f = Found::default();
        if s.opts.invert {
            s.search_inverted(buf, &RawParser, &mut f);
        } else {
            s.search(buf, &RawParser, &mut f);
        }
        f.hits
            .iter()
            .map(|h| {
                (
                    String::from_utf8_lossy(&buf[h.start..h.end]).into_owned(),
                    h.line,
                )
            })
            .collect()
    }

    const LOG: &[u8] = b"I a\nE boom\n\tat X\nI b\nI c\n  at ERRx\nI d";

    #[test]
    fn finds_whole_records() {
        let s = searcher("ERR", Multiline::Auto, false);
        assert_eq!(run(&s, LOG), [("I c\n  at ERRx\n".to_string(), 4)]);
        let s = searcher("boom", Multiline::None, false);
        assert_eq!(run(&s, LOG), [("E boom\n".to_string(), 1)]);
    }

    #[test]
    fn invert_yields_the_other_records() {
        let s = searcher("I", Multiline::Auto, true);
        assert_eq!(run(&s, LOG), [("E boom\n\tat X\n".to_string(), 1)]);
        let s = searcher("zzz", Multiline::Auto, true);
        assert_eq!(run(&s, LOG).len(), 5);
    }
}
