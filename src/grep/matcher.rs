//! Pattern matching over whole chunks.
//!
//! The search runs over a chunk's bytes in one go (as grep tools do) rather than line
//! by line: a literal uses `memchr::memmem`, anything else the `regex` crate, whose own
//! literal prefilters do the heavy lifting. A match must lie within one line (`^`/`$`
//! anchor lines): a regex such as `a\sb` could match across a newline in the chunk, so a
//! match that spans one is re-checked on its first line alone, and the search resumes at
//! the next line when that fails. No match can be missed this way: nothing matches
//! before the leftmost match, and its line is checked in full.

use memchr::memmem;
use regex::bytes::{Regex, RegexBuilder};

use crate::record::line_end_after;

/// How patterns are read.
#[derive(Clone, Debug, Default)]
pub struct MatchOptions {
    pub fixed_strings: bool,
    pub ignore_case: bool,
    pub word: bool,
}

/// A compiled set of patterns (any one may match).
#[derive(Clone, Debug)]
pub enum Matcher {
    Literal(Box<memmem::Finder<'static>>),
    Regex(Regex),
}

impl Matcher {
    /// Compiles patterns. A pattern holding newlines is several patterns, as in grep.
    pub fn new(patterns: &[String], opts: &MatchOptions) -> Result<Matcher, regex::Error> {
        let parts: Vec<&str> = patterns.iter().flat_map(|p| p.split('\n')).collect();
        let literal = |p: &str| opts.fixed_strings || regex_syntax::escape(p) == p;
        if parts.len() == 1
            && !opts.ignore_case
            && !opts.word
            && literal(parts[0])
            && !parts[0].is_empty()
        {
            return Ok(Matcher::Literal(Box::new(
                memmem::Finder::new(parts[0].as_bytes()).into_owned(),
            )));
        }
        let alts: Vec<String> = parts
            .iter()
            .map(|p| {
                let p = if opts.fixed_strings {
                    regex_syntax::escape(p)
                } else {
                    (*p).to_string()
                };
                if opts.word {
                    format!(r"\b{{start-half}}(?:{p})\b{{end-half}}")
                } else {
                    format!("(?:{p})")
                }
            })
            .collect();
        let re = RegexBuilder::new(&alts.join("|"))
            .multi_line(true)
            .case_insensitive(opts.ignore_case)
            .size_limit(100 << 20)
            .dfa_size_limit(100 << 20)
            .build()?;
        Ok(Matcher::Regex(re))
    }

    /// The first match at or after `from` (a line start) that lies within one line.
    /// After a final newline there is no line, so no (empty) match there either.
    #[inline]
    pub fn find(&self, buf: &[u8], from: usize) -> Option<(usize, usize)> {
        let m = self.find_raw(buf, from)?;
        if m.0 == buf.len() && buf.last().is_none_or(|&b| b == b'\n') {
            return None;
        }
        Some(m)
    }

    #[inline]
    fn find_raw(&self, buf: &[u8], mut from: usize) -> Option<(usize, usize)> {
        match self {
            Matcher::Literal(f) => f
                .find(&buf[from..])
                .map(|i| (from + i, from + i + f.needle().len())),
            Matcher::Regex(re) => loop {
                if from > buf.len() {
                    return None;
                }
                let m = re.find_at(buf, from)?;
                let (s, e) = (m.start(), m.end());
                if memchr::memchr(b'\n', &buf[s..e]).is_none() {
                    return Some((s, e));
                }
                // Spans a newline: re-check the match's first line on its own.
                let le = line_end_after(buf, s);
                let line_end = if buf[..le].ends_with(b"\n") {
                    le - 1
                } else {
                    le
                };
                if let Some(m) = re.find_at(&buf[..line_end], s) {
                    return Some((m.start(), m.end()));
                }
                if le >= buf.len() {
                    return None;
                }
                from = le;
            },
        }
    }

    /// Calls `f` with every match inside `line` (no newline in it), for `-o` and colour.
    pub fn for_each_in_line(&self, line: &[u8], mut f: impl FnMut(usize, usize)) {
        match self {
            Matcher::Literal(fi) => {
                let n = fi.needle().len();
                for i in fi.find_iter(line) {
                    f(i, i + n);
                }
            }
            Matcher::Regex(re) => {
                for m in re.find_iter(line) {
                    f(m.start(), m.end());
                }
            }
        }
    }

    /// Does `line` (no newline in it) hold a match?
    pub fn is_match_line(&self, line: &[u8]) -> bool {
        match self {
            Matcher::Literal(f) => f.find(line).is_some(),
            Matcher::Regex(re) => re.is_match(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, o: MatchOptions) -> Matcher {
        Matcher::new(&[p.to_string()], &o).unwrap()
    }

    #[test]
    fn literal_and_regex() {
        let buf = b"one ERROR x\ntwo\nthree error\n";
        let lit = m("ERROR", MatchOptions::default());
        assert!(matches!(lit, Matcher::Literal(_)));
        assert_eq!(lit.find(buf, 0), Some((4, 9)));
        assert_eq!(lit.find(buf, 12), None);
        let ci = m(
            "error",
            MatchOptions {
                ignore_case: true,
                ..Default::default()
            },
        );
        assert_eq!(ci.find(buf, 12), Some((22, 27)));
    }

    #[test]
    fn matches_never_span_lines() {
        let buf = b"a\nb\nxa b\n";
        let re = m(r"a\sb", MatchOptions::default());
        assert_eq!(re.find(buf, 0), Some((5, 8)));
        let re = m(r"a\nb", MatchOptions::default());
        assert_eq!(re.find(buf, 0), None);
    }

    #[test]
    fn anchors_are_per_line() {
        let buf = b"xab\nab\n";
        let re = m("^ab$", MatchOptions::default());
        assert_eq!(re.find(buf, 0), Some((4, 6)));
    }

    #[test]
    fn word_and_fixed() {
        let buf = b"errors error\n";
        let w = m(
            "error",
            MatchOptions {
                word: true,
                ..Default::default()
            },
        );
        assert_eq!(w.find(buf, 0), Some((7, 12)));
        let f = m(
            "a.b",
            MatchOptions {
                fixed_strings: true,
                ..Default::default()
            },
        );
        assert_eq!(f.find(b"axb a.b", 0), Some((4, 7)));
    }

    #[test]
    fn no_line_after_the_final_newline() {
        let re = m("^$", MatchOptions::default());
        assert_eq!(re.find(b"a\n", 0), None);
        assert_eq!(re.find(b"a\n\nb\n", 0), Some((2, 2)));
        assert_eq!(re.find(b"a\n\nb\n", 3), None);
        assert_eq!(re.find(b"", 0), None);
        assert_eq!(
            m("a$", MatchOptions::default()).find(b"xa", 0),
            Some((1, 2))
        );
    }

    #[test]
    fn newline_in_pattern_is_alternation() {
        let re = Matcher::new(&["foo\nbar".to_string()], &MatchOptions::default()).unwrap();
        assert_eq!(re.find(b"xx bar", 0), Some((3, 6)));
    }
}
