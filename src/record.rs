//! Records: where one log record ends and the next begins.
//!
//! A record is one line, or a line plus its continuation lines (a stack trace that
//! belongs to the log line above it). Framing is *local*: whether a line starts a
//! record is decided by the line alone, never by what came before it. That is what
//! lets the scanner cut a file into chunks anywhere on a record boundary, and lets
//! workers frame records inside their chunk without seeing their neighbours.
//!
//! `--multiline auto` follows the rule fixed in DESIGN.md: a line continues the record
//! above it when it starts with whitespace, `at `, `Caused by:`, `... N more`, or is a
//! Python traceback line (`Traceback (most recent call last):`, the two chained-exception
//! banners, and the closing `SomeError: message` line). Nothing else continues a record,
//! so a garbage line stays a record of its own.

use memchr::{memchr, memrchr};
use regex::bytes::Regex;

/// How lines group into records.
#[derive(Clone, Debug, Default)]
pub enum Multiline {
    /// Every line is a record, as grep sees it.
    None,
    /// Stack-trace aware grouping (see the module documentation).
    #[default]
    Auto,
    /// A record starts at every line the regex matches; other lines continue it.
    Start(Regex),
}

/// Frames records inside a buffer whose first byte starts a record.
#[derive(Clone, Debug, Default)]
pub struct Framer {
    mode: Multiline,
    nl: Newlines,
}

impl Framer {
    pub fn new(mode: Multiline) -> Self {
        Framer {
            mode,
            nl: Newlines::default(),
        }
    }

    /// True when every line is its own record, so framing is just finding newlines.
    pub fn is_line_mode(&self) -> bool {
        matches!(self.mode, Multiline::None)
    }

    /// Does the line starting at `ls` start a new record? Only `auto` mode's first
    /// bytes are looked at: no search for the line's end on the hot path.
    #[inline]
    pub fn starts_record(&self, buf: &[u8], ls: usize) -> bool {
        match &self.mode {
            Multiline::None => true,
            Multiline::Auto => !is_continuation(&buf[ls..]),
            Multiline::Start(re) => re.is_match(strip_cr(line_at(buf, ls))),
        }
    }

    /// The start of the record that holds the line starting at `line_start`,
    /// looking back no further than `floor` (a known record boundary).
    #[inline]
    pub fn record_start(&self, buf: &[u8], mut line_start: usize, floor: usize) -> usize {
        if self.is_line_mode() {
            return line_start;
        }
        while line_start > floor && !self.starts_record(buf, line_start) {
            line_start = line_start_before(buf, line_start - 1, floor);
        }
        line_start
    }

    /// The end (one past its last `\n`, or the buffer's end) of the record whose last
    /// known line ends at `line_end`: continuation lines that follow are absorbed.
    #[inline]
    pub fn record_end(&self, buf: &[u8], mut line_end: usize) -> usize {
        if self.is_line_mode() {
            return line_end;
        }
        while line_end < buf.len() && !self.starts_record(buf, line_end) {
            line_end = self.nl.line_end_after(buf, line_end);
        }
        line_end
    }

    /// The end of the record that starts at `start`.
    #[inline]
    pub fn next_record_end(&self, buf: &[u8], start: usize) -> usize {
        self.record_end(buf, self.nl.line_end_after(buf, start))
    }

    /// The records of `buf` (whose first byte starts one) in order, each without its
    /// final `\n`: the same records as calling [`Framer::next_record_end`] from 0, for
    /// a loop that visits every record (`count`). Each newline is found once, and the
    /// next line's first byte is looked at in place.
    #[inline]
    pub fn records<'b>(&self, buf: &'b [u8]) -> Records<'_, 'b> {
        Records {
            framer: self,
            buf,
            pos: 0,
            one_line: false,
        }
    }

    /// The start of the record that ends at `end` (> `floor`), not before `floor`.
    #[inline]
    pub fn prev_record_start(&self, buf: &[u8], end: usize, floor: usize) -> usize {
        debug_assert!(end > floor);
        let ls = line_start_before(buf, end - 1, floor);
        self.record_start(buf, ls, floor)
    }

    /// The first record boundary at or after `pos`: a line start whose line starts a
    /// record, or `buf.len()`. This is where a chunk may be cut.
    pub fn next_boundary(&self, buf: &[u8], pos: usize) -> usize {
        if pos >= buf.len() {
            return buf.len();
        }
        let mut ls = if pos == 0 || buf[pos - 1] == b'\n' {
            pos
        } else {
            match memchr(b'\n', &buf[pos..]) {
                Some(i) => pos + i + 1,
                None => return buf.len(),
            }
        };
        while ls < buf.len() && !self.starts_record(buf, ls) {
            ls = line_end_after(buf, ls);
        }
        ls
    }

    /// The last record boundary in `buf` that is certainly complete: every record
    /// before the returned offset is whole, whatever bytes come after `buf`. Used by the
    /// stream reader, which must not cut a record whose continuation has not arrived.
    pub fn last_safe_boundary(&self, buf: &[u8]) -> usize {
        let Some(last_nl) = memrchr(b'\n', buf) else {
            return 0;
        };
        if self.is_line_mode() {
            return last_nl + 1;
        }
        // The record holding the last complete line may still grow.
        let ls = line_start_before(buf, last_nl, 0);
        self.record_start(buf, ls, 0)
    }
}

/// Every record of a buffer, in order: see [`Framer::records`].
pub struct Records<'f, 'b> {
    framer: &'f Framer,
    buf: &'b [u8],
    pos: usize,
    one_line: bool,
}

impl Records<'_, '_> {
    /// Whether the record last returned is known to be one line (no `\n` in it).
    #[inline(always)]
    pub fn one_line(&self) -> bool {
        self.one_line
    }
}

impl<'b> Iterator for Records<'_, 'b> {
    type Item = &'b [u8];

    #[inline(always)]
    fn next(&mut self) -> Option<&'b [u8]> {
        let (buf, start) = (self.buf, self.pos);
        if start >= buf.len() {
            return None;
        }
        let nl = &self.framer.nl;
        // `end` is the record's last `\n`, or the buffer's end.
        let mut end = nl.find(buf, start);
        self.one_line = true;
        match &self.framer.mode {
            Multiline::None => {}
            Multiline::Auto => {
                while end + 1 < buf.len() && is_continuation(&buf[end + 1..]) {
                    end = nl.find(buf, end + 1);
                    self.one_line = false;
                }
            }
            Multiline::Start(_) => {
                let e = self.framer.record_end(buf, (end + 1).min(buf.len()));
                end = if buf[e - 1] == b'\n' { e - 1 } else { e };
                self.one_line = false;
            }
        }
        self.pos = end + 1;
        Some(&buf[start..end])
    }
}

/// Finds newlines. `memchr::memchr` picks its implementation through a function
/// pointer on every call, which on a ~150-byte line costs half as much again as the
/// search itself; on x86-64 with AVX2, memchr's AVX2 searcher is called directly.
/// (callgrind, `count -j1 --by level` on the generator's plain log: 89 → 58
/// instructions per record for finding newlines.)
#[derive(Clone, Copy, Debug)]
struct Newlines {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::One>,
}

impl Default for Newlines {
    fn default() -> Self {
        Newlines {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::One::new(b'\n'),
        }
    }
}

impl Newlines {
    /// The first `\n` at or after `pos`, or `buf.len()`.
    #[inline(always)]
    fn find(&self, buf: &[u8], pos: usize) -> usize {
        let rest = &buf[pos..];
        #[cfg(target_arch = "x86_64")]
        let found = match &self.avx2 {
            Some(one) => one.find(rest),
            None => memchr(b'\n', rest),
        };
        #[cfg(not(target_arch = "x86_64"))]
        let found = memchr(b'\n', rest);
        found.map_or(buf.len(), |i| pos + i)
    }

    /// [`line_end_after`].
    #[inline]
    fn line_end_after(&self, buf: &[u8], pos: usize) -> usize {
        (self.find(buf, pos) + 1).min(buf.len())
    }
}

/// The line starting at `start`, without its `\n`.
#[inline]
pub fn line_at(buf: &[u8], start: usize) -> &[u8] {
    let rest = &buf[start..];
    match memchr(b'\n', rest) {
        Some(i) => &rest[..i],
        None => rest,
    }
}

/// One past the `\n` that ends the line holding `pos`, or `buf.len()`.
#[inline]
pub fn line_end_after(buf: &[u8], pos: usize) -> usize {
    match memchr(b'\n', &buf[pos..]) {
        Some(i) => pos + i + 1,
        None => buf.len(),
    }
}

/// The start of the line holding `pos`, not before `floor`.
#[inline]
pub fn line_start_before(buf: &[u8], pos: usize, floor: usize) -> usize {
    match memrchr(b'\n', &buf[floor..pos]) {
        Some(i) => floor + i + 1,
        None => floor,
    }
}

#[inline]
fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The `--multiline auto` rule: does this line continue the record above it? `line`
/// may run on past the line's `\n`; only the line itself is looked at.
///
/// Most lines start with a byte that decides at once (a digit, `{`, `<`, a blank);
/// only a letter, `_` or `.` needs the rest of the rule.
#[inline]
pub fn is_continuation(line: &[u8]) -> bool {
    match line.first() {
        None => false,
        Some(&b) => match FIRST_BYTE[b as usize] {
            NEVER => false,
            ALWAYS => true,
            _ => continues(line),
        },
    }
}

const NEVER: u8 = 0;
const ALWAYS: u8 = 1;
const MAYBE: u8 = 2;

/// What a line's first byte says about [`is_continuation`].
const FIRST_BYTE: [u8; 256] = {
    let mut t = [NEVER; 256];
    t[b' ' as usize] = ALWAYS;
    t[b'\t' as usize] = ALWAYS;
    t[b'.' as usize] = MAYBE;
    t[b'_' as usize] = MAYBE;
    let mut b = b'A';
    while b <= b'Z' {
        t[b as usize] = MAYBE;
        t[(b | 0x20) as usize] = MAYBE;
        b += 1;
    }
    t
};

/// [`is_continuation`] for a line that starts with a letter, `_` or `.`.
#[inline(never)]
fn continues(line: &[u8]) -> bool {
    let Some(&first) = line.first() else {
        return false;
    };
    match first {
        b' ' | b'\t' => true,
        b'a' if line.starts_with(b"at ") => true,
        b'C' if line.starts_with(b"Caused by:") => true,
        b'.' => is_more_line(line),
        b'T' if line.starts_with(b"Traceback (most recent call last):") => true,
        b'D' if line.starts_with(b"During handling of the above exception") => true,
        b'T' if line.starts_with(b"The above exception was the direct cause") => true,
        b'A'..=b'Z' | b'a'..=b'z' | b'_' => is_exception_line(line),
        _ => false,
    }
}

/// `... 12 more`
fn is_more_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"... ") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0
        && rest[digits..]
            .strip_prefix(b" more")
            .is_some_and(at_line_end)
}

/// Is `rest` empty or the end of a line (`\n`, `\r\n`, or a lone final `\r`)?
#[inline]
fn at_line_end(rest: &[u8]) -> bool {
    matches!(rest, [] | [b'\n', ..] | [b'\r'] | [b'\r', b'\n', ..])
}

/// The line that closes a Python traceback (or opens a Java one): a possibly dotted
/// identifier whose last part is longer than, and ends in, `Error`, `Exception`,
/// `Warning`, `Interrupt`, `Exit` or `Iteration`, alone or followed by `: message`.
/// `KeyError: 'id'` and `java.lang.IllegalStateException: boom` qualify; a log line
/// such as `Error: disk full` does not (the class name must be more than the suffix).
fn is_exception_line(line: &[u8]) -> bool {
    let name_len = line
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'.' || **b == b'$')
        .count();
    let rest = &line[name_len..];
    let ok = match rest.strip_prefix(b":") {
        Some(after) => after.starts_with(b" ") || at_line_end(after),
        None => at_line_end(rest),
    };
    if !ok {
        return false;
    }
    let name = &line[..name_len];
    let last = match memrchr(b'.', name) {
        Some(i) => &name[i + 1..],
        None => name,
    };
    const SUFFIXES: [&[u8]; 6] = [
        b"Error",
        b"Exception",
        b"Warning",
        b"Interrupt",
        b"Exit",
        b"Iteration",
    ];
    last.first().is_some_and(|b| b.is_ascii_uppercase())
        && SUFFIXES
            .iter()
            .any(|s| last.len() > s.len() && last.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn records(framer: &Framer, buf: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < buf.len() {
            let end = framer.next_record_end(buf, pos);
            out.push(String::from_utf8_lossy(&buf[pos..end]).into_owned());
            pos = end;
        }
        out
    }

    const JAVA: &[u8] = b"2026-11-28 ERROR boom\njava.lang.IllegalStateException: bad\n\tat a.B.c(B.java:1)\nCaused by: x.Y: z\n\t... 3 more\n2026-11-28 INFO next\n";

    #[test]
    fn auto_groups_java_trace() {
        let f = Framer::new(Multiline::Auto);
        let r = records(&f, JAVA);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[0].ends_with("... 3 more\n"));
        assert_eq!(r[1], "2026-11-28 INFO next\n");
    }

    #[test]
    fn auto_groups_python_traceback() {
        let buf = b"E oops\nTraceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    f()\nKeyError: 'id'\nI fine\n";
        let r = records(&Framer::new(Multiline::Auto), buf);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[0].ends_with("KeyError: 'id'\n"));
    }

    #[test]
    fn garbage_and_plain_words_stay_records() {
        for line in [
            &b"Error: disk full"[..],
            b"\xff\xfe garbage",
            b"",
            b"Connection refused",
            b"atom",
            b"... more",
        ] {
            assert!(
                !is_continuation(line),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
        for line in [
            &b"  File x"[..],
            b"\tat x",
            b"at com.x.Y(Y.java:3)",
            b"... 12 more\r",
            b"KeyError",
            b"requests.exceptions.ConnectionError: refused",
        ] {
            assert!(is_continuation(line), "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn continuation_looks_only_at_its_own_line() {
        assert!(is_continuation(b"KeyError\n2026 INFO x"));
        assert!(is_continuation(b"... 3 more\r\nnext"));
        assert!(is_continuation(b"a.BadThingException:\nnext"));
        assert!(!is_continuation(b"KeyErrorX\n"));
        assert!(!is_continuation(b"Error\n  at x"));
        assert!(!is_continuation(b"... 3 more than\n"));
        assert!(is_continuation(b"ConnectionError: refused"));
    }

    #[test]
    fn none_mode_is_lines() {
        let r = records(&Framer::new(Multiline::None), JAVA);
        assert_eq!(r.len(), 6);
    }

    #[test]
    fn regex_mode_starts_at_matches() {
        let f = Framer::new(Multiline::Start(Regex::new(r"^\d{4}-").unwrap()));
        let r = records(&f, b"pre\n2026- a\nx\ny\n2026- b\n");
        assert_eq!(r, ["pre\n", "2026- a\nx\ny\n", "2026- b\n"]);
    }

    #[test]
    fn boundaries_never_split_records() {
        let f = Framer::new(Multiline::Auto);
        let second = JAVA.len() - "2026-11-28 INFO next\n".len();
        for pos in 0..JAVA.len() {
            let b = f.next_boundary(JAVA, pos);
            assert!([0, second, JAVA.len()].contains(&b), "{pos} -> {b}");
        }
        assert_eq!(f.last_safe_boundary(JAVA), second);
        assert_eq!(f.last_safe_boundary(b"abc"), 0);
    }

    /// The records [`Framer::records`] gives: those of [`Framer::next_record_end`],
    /// without their final `\n`.
    fn agree(framer: &Framer, buf: &[u8]) {
        let mut want = Vec::new();
        let mut pos = 0;
        while pos < buf.len() {
            let end = framer.next_record_end(buf, pos);
            let rec = &buf[pos..end];
            want.push(rec.strip_suffix(b"\n").unwrap_or(rec));
            pos = end;
        }
        let got: Vec<&[u8]> = framer.records(buf).collect();
        assert_eq!(got, want, "{:?}", String::from_utf8_lossy(buf));
    }

    #[test]
    fn records_in_every_mode() {
        let start = Regex::new(r"^\d{4}-").unwrap();
        for mode in [Multiline::None, Multiline::Auto, Multiline::Start(start)] {
            let f = Framer::new(mode);
            for buf in [
                JAVA,
                b"",
                b"\n",
                b"\n\n",
                b"no newline",
                b"2026- a\n\tat x",
                b"2026- a\n\tat x\n",
                b"\tat first\n2026- b\n",
                b"2026- a\r\n  more\r\n2026- b\r\n",
            ] {
                agree(&f, buf);
            }
        }
    }

    proptest! {
        #[test]
        fn records_agree_with_next_record_end(
            lines in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "2026-11-28 INFO x", "\tat a.B(B.java:1)", "  File \"a.py\"",
                        "at x", "Caused by: y", "... 3 more", "... 3 more\r",
                        "KeyError: 'id'", "Error: disk full", "Traceback (most recent call last):",
                        "", "\r", "_x", ".", "a", "{\"level\":\"info\"}",
                    ]).prop_map(String::from),
                    "[ -~\t]{0,12}",
                ],
                0..40,
            ),
            final_newline: bool,
        ) {
            let mut buf = lines.join("\n").into_bytes();
            if final_newline && !buf.is_empty() {
                buf.push(b'\n');
            }
            let start = Regex::new(r"^\d").unwrap();
            for mode in [Multiline::None, Multiline::Auto, Multiline::Start(start)] {
                agree(&Framer::new(mode), &buf);
            }
        }
    }

    #[test]
    fn backwards_framing() {
        let f = Framer::new(Multiline::Auto);
        let end = JAVA.len() - "2026-11-28 INFO next\n".len();
        assert_eq!(f.prev_record_start(JAVA, end, 0), 0);
        assert_eq!(f.prev_record_start(JAVA, JAVA.len(), 0), end);
    }
}
