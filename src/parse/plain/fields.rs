//! Header fields: how the start of a line splits into fields, and what kind each is.
//!
//! A field is a whitespace-separated token, a balanced `[...]` or `(...)` group (which
//! may hold spaces and nest; a trailing `:` or `,` stays with it), or a lone `|`.
//! Each field gets one [`Class`], computed from a byte-class table in one pass over
//! its bytes. Learning compares the class sequences of sample lines; parsing checks a
//! line's classes against the learned sequence. Fields never cross a `\n`: a record's
//! continuation lines are not part of its header.

use crate::parse::Level;
use crate::parse::time::{is_weekday, month_name};

/// The most fields a schema may have.
pub(super) const MAX_FIELDS: usize = 16;
/// Fields a line is tokenised into at most: a schema, the ±2 window of a loose match,
/// and the component field that may follow the header.
pub(super) const CAP: usize = MAX_FIELDS + 4;
/// A bracket group longer than this is not a header field (and an unclosed `[` does
/// not make us scan a 100 MB line).
const MAX_GROUP: usize = 1024;

/// The kind of a header field (research note §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Class {
    /// Timestamp-like: digits with `:.,/-+_TZ`, a month or weekday name, a 9–13 digit epoch.
    T,
    /// An integer.
    N,
    /// A level word (`INFO`, `Warning`, `E`), bare or bracketed (`[notice]`, `<WARN>`).
    L,
    /// A bracket group.
    B,
    /// A word ending in `:` (`sshd[42]:`, `dfs.DataNode:`).
    C,
    /// Punctuation only (`-`, `|`).
    S,
    /// Anything else.
    X,
}

impl Class {
    /// Classes that anchor a loose match: they rarely appear by accident in a header.
    pub(super) fn is_anchor(self) -> bool {
        matches!(self, Class::T | Class::B | Class::C)
    }
}

/// One field's byte range in the record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Field {
    pub start: u32,
    pub end: u32,
    /// A bracket group: `start` is its opening bracket.
    pub group: bool,
}

impl Field {
    pub(super) fn text<'a>(&self, rec: &'a [u8]) -> &'a [u8] {
        &rec[self.start as usize..self.end as usize]
    }
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// The next field at or after `i`, with its class and, for a level field, its level;
/// `None` at the end of the first line. One pass over the field's bytes.
#[inline]
pub(super) fn next_field(rec: &[u8], mut i: usize) -> Option<(Field, Class, Level)> {
    while i < rec.len() && is_space(rec[i]) {
        i += 1;
    }
    let start = i;
    let first = *rec.get(i)?;
    if first == b'\n' {
        return None;
    }
    if first == b'|' {
        return Some((field(start, i + 1, false), Class::S, Level::Unknown));
    }
    if first == b'[' || first == b'(' {
        if let Some(close) = group_end(rec, i) {
            let mut e = close + 1;
            while e < rec.len() && BYTE_CLASS[rec[e] as usize] & STOP == 0 {
                e += 1;
            }
            let (c, l) = classify_group(&rec[start + 1..close], &rec[close + 1..e]);
            return Some((field(start, e, true), c, l));
        }
    }
    let mut bits = 0u8;
    while i < rec.len() {
        let c = BYTE_CLASS[rec[i] as usize];
        if c & STOP != 0 {
            break;
        }
        bits |= c;
        i += 1;
    }
    let (c, l) = classify_word(&rec[start..i], bits);
    Some((field(start, i, false), c, l))
}

fn field(start: usize, end: usize, group: bool) -> Field {
    Field {
        start: start as u32,
        end: end as u32,
        group,
    }
}

/// The index of the bracket that closes the one at `open`, counting nesting of the
/// same kind; `None` when it does not close on this line within [`MAX_GROUP`] bytes.
fn group_end(rec: &[u8], open: usize) -> Option<usize> {
    let (o, c) = if rec[open] == b'[' {
        (b'[', b']')
    } else {
        (b'(', b')')
    };
    let mut depth = 0usize;
    let end = rec.len().min(open + MAX_GROUP);
    for (k, &b) in rec[open..end].iter().enumerate() {
        if b == o {
            depth += 1;
        } else if b == c {
            depth -= 1;
            if depth == 0 {
                return Some(open + k);
            }
        } else if b == b'\n' {
            return None;
        }
    }
    None
}

// Byte classes for one-pass classification.
const DIG: u8 = 1;
/// Separators that timestamps use, other than `:` and `,`.
const TSEP: u8 = 2;
/// `:` and `,`, which also end level words and `word:`.
const COLON: u8 = 4;
/// `T` and `Z`, which ISO timestamps hold between digits.
const TZ: u8 = 8;
const ALPHA: u8 = 16;
const PUNCT: u8 = 32;
const OTHER: u8 = 64;
/// Ends a word: blanks, `\n` and `|`.
const STOP: u8 = 128;

const BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            DIG
        } else if c == b'T' || c == b'Z' {
            TZ
        } else if c.is_ascii_alphabetic() {
            ALPHA
        } else if matches!(c, b':' | b',') {
            COLON
        } else if matches!(c, b'.' | b'/' | b'-' | b'+' | b'_') {
            TSEP
        } else if matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'|') {
            STOP
        } else if c.is_ascii_punctuation() {
            PUNCT
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// The class of a bracket group from its inside and what follows the closing bracket.
fn classify_group(inner: &[u8], tail: &[u8]) -> (Class, Level) {
    if inner.len() <= 16 && matches!(tail, b"" | b":" | b",") {
        if let Some(l) = level_word(inner) {
            return (Class::L, l);
        }
    }
    let c = if tail.ends_with(b":") {
        // `([31211]):` names a writer, as `sshd[42]:` does.
        Class::C
    } else if tail.is_empty() || tail == b"," {
        Class::B
    } else {
        Class::X
    };
    (c, Level::Unknown)
}

/// The class of a word, given the union of its bytes' classes.
fn classify_word(text: &[u8], bits: u8) -> (Class, Level) {
    let c = if bits & !(ALPHA | TZ | PUNCT | COLON) == 0 && text.len() <= 16 {
        // Letters, perhaps in `<>`/`[]` or before `:`: a level word or a month name?
        if let Some(l) = level_word(text) {
            return (Class::L, l);
        }
        let w = text.strip_suffix(b",").unwrap_or(text);
        if bits & PUNCT == 0 && (month_name(w).is_some() || is_weekday(w)) {
            Class::T
        } else if bits & (ALPHA | TZ) != 0 && text.len() > 1 && text.ends_with(b":") {
            Class::C
        } else if bits & (ALPHA | TZ) == 0 {
            Class::S
        } else {
            Class::X
        }
    } else if bits & !(TSEP | COLON | PUNCT) != 0 && text.len() > 1 && text.ends_with(b":") {
        // A word ending in `:` names a writer even when it looks numeric (`1.4.1:`).
        Class::C
    } else if bits & DIG != 0 && bits & !(DIG | TSEP | COLON | TZ) == 0 {
        if bits == DIG {
            if (9..=13).contains(&text.len()) {
                Class::T
            } else {
                Class::N
            }
        } else if matches!(text, [b'-' | b'+', rest @ ..] if rest.iter().all(u8::is_ascii_digit)) {
            Class::N
        } else {
            Class::T
        }
    } else if bits & !(TSEP | COLON | PUNCT) == 0 {
        Class::S
    } else {
        Class::X
    };
    (c, Level::Unknown)
}

/// A group's inside (without its brackets) and what follows the closing bracket.
pub(super) fn split_group(text: &[u8]) -> (&[u8], &[u8]) {
    let close = match text.first() {
        Some(b'[') => b']',
        Some(b'(') => b')',
        _ => return (text, b""),
    };
    match text.iter().rposition(|&b| b == close) {
        Some(k) if k > 0 => (&text[1..k], &text[k + 1..]),
        _ => (text, b""),
    }
}

/// The level a field names: a level word, bare or inside `[]`/`<>`, with a trailing
/// `:` or `,` allowed. A single letter counts only in upper case (`I`, `W`), so that
/// the article `a` or a variable `e` is not a level.
pub(super) fn level_word(text: &[u8]) -> Option<Level> {
    let mut w = text;
    if let [rest @ .., b':' | b','] = w {
        w = rest;
    }
    if let [b'[' | b'<', inner @ .., b']' | b'>'] = w {
        w = inner;
    }
    let w = w.trim_ascii();
    if w.len() == 1 && !w[0].is_ascii_uppercase() {
        return None;
    }
    Level::from_word(w)
}

/// A record's first line, lazily split into classified fields.
pub(super) struct Fields<'a> {
    rec: &'a [u8],
    f: [Field; CAP],
    cls: [Class; CAP],
    lvl: [Level; CAP],
    n: usize,
    pos: usize,
    done: bool,
}

impl<'a> Fields<'a> {
    pub(super) fn new(rec: &'a [u8]) -> Self {
        Fields {
            rec,
            f: [Field::default(); CAP],
            cls: [Class::X; CAP],
            lvl: [Level::Unknown; CAP],
            n: 0,
            pos: 0,
            done: false,
        }
    }

    pub(super) fn rec(&self) -> &'a [u8] {
        self.rec
    }

    /// Field `i` and its class, tokenising up to it; `None` past the line's end.
    #[inline]
    pub(super) fn get(&mut self, i: usize) -> Option<(Field, Class)> {
        while self.n <= i {
            if self.done || self.n == CAP {
                return None;
            }
            match next_field(self.rec, self.pos) {
                Some((f, c, l)) => {
                    self.pos = f.end as usize;
                    self.f[self.n] = f;
                    self.cls[self.n] = c;
                    self.lvl[self.n] = l;
                    self.n += 1;
                }
                None => {
                    self.done = true;
                    return None;
                }
            }
        }
        Some((self.f[i], self.cls[i]))
    }

    #[inline]
    pub(super) fn class(&mut self, i: usize) -> Option<Class> {
        self.get(i).map(|(_, c)| c)
    }

    /// Field `i`, which must have been tokenised already.
    pub(super) fn field(&self, i: usize) -> Field {
        self.f[i]
    }

    /// The level of field `i` (tokenised already) when it is a level field.
    pub(super) fn level(&self, i: usize) -> Level {
        self.lvl[i]
    }

    /// The text of field `i` (tokenised already).
    pub(super) fn text(&self, i: usize) -> &'a [u8] {
        self.f[i].text(self.rec)
    }

    /// Is field `i` (tokenised already) followed by at least two blanks?
    pub(super) fn wide_gap_after(&self, i: usize) -> bool {
        let e = self.f[i].end as usize;
        matches!(self.rec.get(e..e + 2), Some([a, b]) if is_space(*a) && is_space(*b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<(String, Class)> {
        let mut fl = Fields::new(line.as_bytes());
        let mut out = Vec::new();
        let mut i = 0;
        while let Some((f, c)) = fl.get(i) {
            out.push((
                String::from_utf8_lossy(f.text(line.as_bytes())).into_owned(),
                c,
            ));
            i += 1;
        }
        out
    }

    fn classes(line: &str) -> String {
        split(line).iter().map(|(_, c)| format!("{c:?}")).collect()
    }

    #[test]
    fn tokenises_groups_and_bars() {
        let f = split("[Sun Dec 04 04:47:44 2005] [notice] x(1) y");
        let texts: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["[Sun Dec 04 04:47:44 2005]", "[notice]", "x(1)", "y"]
        );
        let f = split("a|b c||d");
        let texts: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a", "|", "b", "c", "|", "|", "d"]);
        let f = split("- INFO  [QuorumPeer[myid=1]/0:0:2181:X@774] - m");
        assert_eq!(f[2].0, "[QuorumPeer[myid=1]/0:0:2181:X@774]");
        // An unclosed group is a plain word; fields stop at the first line's end.
        assert_eq!(split("[abc def\nghi").len(), 2);
        assert_eq!(split("a b\r\nc d").len(), 2);
    }

    #[test]
    fn classes_of_common_headers() {
        assert_eq!(
            classes("2026-11-28T13:04:05.123Z INFO  [api-7f9c] checkout.X - m"),
            "TLBXSX"
        );
        assert_eq!(
            classes("081109 203615 148 INFO dfs.DataNode$PacketResponder: P"),
            "NNNLCX"
        );
        assert_eq!(
            classes("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: a"),
            "TNTXCX"
        );
        assert_eq!(
            classes("03-17 16:13:38.811  1702  2395 D WindowManager: p"),
            "TTNNLCX"
        );
        assert_eq!(classes("[10.30 16:49:06] chrome.exe - proxy:5070"), "BXSX");
        assert_eq!(
            classes("- 1117838570 2005.06.03 R02-M1 <WARN> [error]: [x]:"),
            "STTXLLC"
        );
        assert_eq!(classes("2016-09-28 04:30:30, Info  CBS"), "TTLX");
        assert_eq!(classes("a I e W"), "XLXL");
        assert_eq!(
            classes("syslogd 1.4.1: -1 +20 -x sandboxd[129] ([31211]): ::"),
            "XCNNXXCS"
        );
    }
}
