//! Header fields: how the start of a line splits into fields, and what kind each is.
//!
//! A field is a whitespace-separated token, a balanced `[...]` or `(...)` group (which
//! may hold spaces and nest; a trailing `:` or `,` stays with it), or a lone `|`.
//! Each field gets one [`Class`], computed from a byte-class table over its bytes
//! (its end is found eight bytes at a time). Learning compares the class sequences of
//! sample lines; parsing checks a line's classes against the learned sequence. Fields
//! never cross a `\n`: a record's continuation lines are not part of its header.

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
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// The next field at or after `i`, with its class and, for a level field, its level;
/// `None` at the end of the first line. One pass over the field's bytes.
#[inline(always)]
pub(super) fn next_field(rec: &[u8], i: usize) -> Option<(Field, Class, Level)> {
    let (start, first) = field_start(rec, i)?;
    Some(field_at(rec, start, first))
}

/// Where the next field starts at or after `i` (past blanks), and its first byte;
/// `None` at the end of the first line.
#[inline(always)]
pub(super) fn field_start(rec: &[u8], mut i: usize) -> Option<(usize, u8)> {
    let mut first = *rec.get(i)?;
    // Blanks, `\n` and other control bytes are all below `!`.
    while first <= b' ' {
        if first == b' ' || first == b'\t' || first == b'\r' {
            i += 1;
            first = *rec.get(i)?;
        } else if first == b'\n' {
            return None;
        } else {
            break;
        }
    }
    Some((i, first))
}

/// The field that starts at `start` (not a blank, `\n` or the end) with byte `first`.
#[inline(always)]
pub(super) fn field_at(rec: &[u8], start: usize, first: u8) -> (Field, Class, Level) {
    if first == b'|' {
        return (field(start, start + 1, false), Class::S, Level::Unknown);
    }
    if first == b'[' || first == b'(' {
        if let Some((e, c, l)) = group_field(rec, start) {
            return (field(start, e, true), c, l);
        }
    }
    let (e, bits) = scan_word(rec, start);
    let (c, l) = classify_word(&rec[start..e], bits);
    (field(start, e, false), c, l)
}

/// The bracket group that opens at `start`: its end (after what sticks to the closing
/// bracket), class and level; `None` when it does not close.
#[inline(never)]
fn group_field(rec: &[u8], start: usize) -> Option<(usize, Class, Level)> {
    let close = if rec[start] == b'[' {
        group_end::<b'[', b']'>(rec, start)
    } else {
        group_end::<b'(', b')'>(rec, start)
    }?;
    // Usually nothing sticks to the closing bracket.
    let e = match rec.get(close + 1) {
        Some(&b) if !is_stop(b) => word_end(rec, close + 2),
        _ => close + 1,
    };
    let (c, l) = classify_group(&rec[start + 1..close], &rec[close + 1..e]);
    Some((e, c, l))
}

#[inline]
fn field(start: usize, end: usize, group: bool) -> Field {
    Field {
        start: start as u32,
        end: end as u32,
        group,
    }
}

/// `0x01` in every byte.
pub(super) const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x80` in every byte.
pub(super) const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of each byte of `x` that is zero, as far as the lowest one: bytes above
/// it may be flagged wrongly (a borrow), so only `trailing_zeros` of the result is
/// meaningful.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The end of the word that starts at `i` (its first [`STOP`] byte, or the record's
/// end) and the union of its bytes' classes.
#[inline(always)]
fn scan_word(rec: &[u8], i: usize) -> (usize, u8) {
    let e = word_end(rec, i);
    (e, class_bits(&rec[i..e]))
}

/// The first [`STOP`] byte at or after `i`, or the record's end. Eight bytes at a
/// time: a stop is a byte below `0x21` or `|`, which a word-wide test finds (the few
/// other control bytes it also finds are skipped one by one).
#[inline(always)]
fn word_end(rec: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = rec.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap());
        // Bytes below 0x21 (their high bit clear), and `|`.
        let low = x.wrapping_sub(ONES * 0x21) & !x & HIGHS;
        let stops = low | zero_bytes(x ^ (ONES * u64::from(b'|')));
        if stops == 0 {
            i += 8;
            continue;
        }
        i += (stops.trailing_zeros() / 8) as usize;
        if BYTE_CLASS[rec[i] as usize] & STOP != 0 {
            return i;
        }
        // A control byte: part of the word.
        i += 1;
    }
    while i < rec.len() && BYTE_CLASS[rec[i] as usize] & STOP == 0 {
        i += 1;
    }
    i
}

/// The union of the classes of `bytes`.
#[inline(always)]
fn class_bits(bytes: &[u8]) -> u8 {
    let mut bits = 0u8;
    let mut quads = bytes.chunks_exact(4);
    for q in &mut quads {
        bits |= BYTE_CLASS[q[0] as usize]
            | BYTE_CLASS[q[1] as usize]
            | BYTE_CLASS[q[2] as usize]
            | BYTE_CLASS[q[3] as usize];
    }
    for &b in quads.remainder() {
        bits |= BYTE_CLASS[b as usize];
    }
    bits
}

/// The index of the bracket `C` that closes the `O` at `open`, counting nesting of the
/// same kind; `None` when it does not close on this line within [`MAX_GROUP`] bytes.
#[inline(always)]
fn group_end<const O: u8, const C: u8>(rec: &[u8], open: usize) -> Option<usize> {
    let end = rec.len().min(open + MAX_GROUP);
    let mut depth = 1usize;
    let mut k = open + 1;
    loop {
        // Skip eight bytes at a time while none of them is a bracket or `\n`.
        while k + 8 <= end {
            let x = u64::from_le_bytes(rec[k..k + 8].try_into().unwrap());
            let hits = zero_bytes(x ^ (ONES * u64::from(O)))
                | zero_bytes(x ^ (ONES * u64::from(C)))
                | zero_bytes(x ^ (ONES * u64::from(b'\n')));
            if hits != 0 {
                k += (hits.trailing_zeros() / 8) as usize;
                break;
            }
            k += 8;
        }
        if k >= end {
            return None;
        }
        let b = rec[k];
        if b == O {
            depth += 1;
        } else if b == C {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        } else if b == b'\n' {
            return None;
        }
        k += 1;
    }
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

/// Does byte `b` end a word (a blank, `\n` or `|`)?
#[inline(always)]
pub(super) fn is_stop(b: u8) -> bool {
    BYTE_CLASS[b as usize] & STOP != 0
}

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
#[inline]
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
#[inline(always)]
fn classify_word(text: &[u8], bits: u8) -> (Class, Level) {
    let c = if bits & !(ALPHA | TZ | PUNCT | COLON) == 0 && text.len() <= 16 {
        return classify_letters(text, bits);
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

/// [`classify_word`] for a short word of letters, perhaps in `<>`/`[]` or before `:`
/// (no digits, blanks or timestamp separators): a level word or a month name?
#[inline(never)]
fn classify_letters(text: &[u8], bits: u8) -> (Class, Level) {
    if let Some(l) = level_word(text) {
        return (Class::L, l);
    }
    let w = text.strip_suffix(b",").unwrap_or(text);
    let c = if bits & PUNCT == 0 && (month_name(w).is_some() || is_weekday(w)) {
        Class::T
    } else if bits & (ALPHA | TZ) != 0 && text.len() > 1 && text.ends_with(b":") {
        Class::C
    } else if bits & (ALPHA | TZ) == 0 {
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
#[inline]
pub(super) fn level_word(text: &[u8]) -> Option<Level> {
    let (&a, &z) = (text.first()?, text.last()?);
    // The common cases first. A word that starts and ends with a letter is the word
    // itself (nothing to strip or trim). Only letters, blanks, `[<` and `]>:,` can
    // start or end one that strips to a level word (`warn:`, `[ INFO ]`).
    if a.is_ascii_alphabetic() && z.is_ascii_alphabetic() {
        if text.len() == 1 && !a.is_ascii_uppercase() {
            return None;
        }
        return Level::from_word(text);
    }
    if !(a.is_ascii_alphabetic() || a.is_ascii_whitespace() || matches!(a, b'[' | b'<'))
        || !(z.is_ascii_alphabetic()
            || z.is_ascii_whitespace()
            || matches!(z, b']' | b'>' | b':' | b','))
    {
        return None;
    }
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
#[path = "fields_tests.rs"]
mod tests;
