//! The byte-level side of JSON lines: walking an object's members without building
//! anything ([`walk`], with a cursor over the line and a bracket matcher for nested
//! values), finding a string's end, and resolving escapes in keys and in a message's
//! first line.

use crate::parse::Value;

/// An object key as written: its body, and whether it holds escapes.
#[derive(Clone, Copy)]
pub(in crate::parse) struct Key<'a> {
    pub(in crate::parse) raw: &'a [u8],
    pub(in crate::parse) esc: bool,
}

impl Key<'_> {
    /// When the key (escapes resolved) is a prefix of `s`: its length in `s`.
    pub(super) fn prefix_len(&self, s: &[u8]) -> Option<usize> {
        if !self.esc {
            return s.starts_with(self.raw).then_some(self.raw.len());
        }
        let (mut i, mut n) = (0, 0);
        let mut buf = [0u8; 4];
        while i < self.raw.len() {
            let len = unescape_one(self.raw, &mut i, &mut buf)?;
            if s.get(n..n + len)? != &buf[..len] {
                return None;
            }
            n += len;
        }
        Some(n)
    }

    /// Calls `f` with the key's bytes, escapes resolved (into a stack buffer: keys that
    /// need unescaping are rare, and the ones we classify are short).
    pub(super) fn with_bytes<R: Default>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        if !self.esc {
            return f(self.raw);
        }
        let mut out = [0u8; 32];
        let (mut i, mut n) = (0, 0);
        let mut buf = [0u8; 4];
        while i < self.raw.len() {
            let Some(len) = unescape_one(self.raw, &mut i, &mut buf) else {
                return R::default();
            };
            let Some(dst) = out.get_mut(n..n + len) else {
                return R::default();
            };
            dst.copy_from_slice(&buf[..len]);
            n += len;
        }
        f(&out[..n])
    }
}

/// Writes into `out` the first line of a JSON string body, unescaped: exactly what
/// [`Value::text`] gives up to its first newline, without decoding the rest (a stack
/// trace) or allocating once `out` has grown. Returns false, for the caller to fall
/// back to `text()`, where `text()` would not decode (invalid UTF-8, a raw control
/// character, a bad escape, a surrogate escape).
pub fn unescape_first_line(body: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    if std::str::from_utf8(body).is_err() {
        return false;
    }
    let mut i = 0;
    let mut done = false;
    loop {
        // The run up to the next escape, copied whole (while on the first line).
        let end = memchr::memchr(b'\\', &body[i..]).map_or(body.len(), |k| i + k);
        let run = &body[i..end];
        // A control character or a bare quote: `text()` would not decode. (A fold,
        // not `any`, so that it vectorises.)
        if run
            .iter()
            .fold(false, |bad, &c| bad | (c < 0x20) | (c == b'"'))
        {
            return false;
        }
        if !done {
            out.extend_from_slice(run);
        }
        if end == body.len() {
            return true;
        }
        i = end;
        // An escape: past the first line it is only checked, since `text()` falls
        // back to the raw body when any escape is bad.
        let Some(&e) = body.get(i + 1) else {
            return false;
        };
        if e == b'u'
            && body
                .get(i + 2..i + 6)
                .and_then(hex4)
                .is_none_or(|u| (0xD800..0xE000).contains(&u))
        {
            return false;
        }
        let mut buf = [0u8; 4];
        let Some(len) = unescape_one(body, &mut i, &mut buf) else {
            return false;
        };
        if buf[..len] == *b"\n" {
            done = true;
        }
        if !done {
            out.extend_from_slice(&buf[..len]);
        }
    }
}

/// Decodes one character of a JSON string body at `*i` into `out` (UTF-8), advancing
/// `*i`; `None` for a malformed escape. Lone surrogates become U+FFFD.
fn unescape_one(b: &[u8], i: &mut usize, out: &mut [u8; 4]) -> Option<usize> {
    let c = b[*i];
    if c != b'\\' {
        out[0] = c;
        *i += 1;
        return Some(1);
    }
    let e = *b.get(*i + 1)?;
    *i += 2;
    let ch = match e {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(b.get(*i..*i + 4)?)?;
            *i += 4;
            if (0xD800..0xDC00).contains(&hi) {
                let lo = b
                    .get(*i..*i + 6)
                    .filter(|s| s.starts_with(b"\\u"))
                    .and_then(|s| hex4(&s[2..]))
                    .filter(|lo| (0xDC00..0xE000).contains(lo));
                match lo {
                    Some(lo) => {
                        *i += 6;
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            .unwrap_or('\u{FFFD}')
                    }
                    None => '\u{FFFD}',
                }
            } else {
                char::from_u32(hi).unwrap_or('\u{FFFD}')
            }
        }
        _ => return None,
    };
    Some(ch.encode_utf8(out).len())
}

/// The value of four hex digits (a `\u` escape's), or `None`.
pub(in crate::parse) fn hex4(b: &[u8]) -> Option<u32> {
    b.iter()
        .try_fold(0u32, |acc, &c| Some(acc * 16 + (c as char).to_digit(16)?))
}

pub(in crate::parse) enum Walk {
    /// The object was walked to its end; the index just past its `}`.
    Done(usize),
    /// The callback asked to stop.
    Stopped,
    /// Not a well-formed object.
    Bad,
}

/// Walks the members of the object at the start of `b` (`b[0] == b'{'`), calling `f`
/// with each key and value until it returns false.
pub(in crate::parse) fn walk<'a>(
    b: &'a [u8],
    mut f: impl FnMut(Key<'a>, Value<'a>) -> bool,
) -> Walk {
    let mut c = Cur { b, i: 1 };
    c.ws();
    if c.peek() == Some(b'}') {
        return Walk::Done(c.i + 1);
    }
    loop {
        if c.peek() != Some(b'"') {
            return Walk::Bad;
        }
        let Some((raw, esc)) = c.string() else {
            return Walk::Bad;
        };
        c.ws();
        if c.peek() != Some(b':') {
            return Walk::Bad;
        }
        c.i += 1;
        c.ws();
        let Some(v) = c.value() else {
            return Walk::Bad;
        };
        if !f(Key { raw, esc }, v) {
            return Walk::Stopped;
        }
        c.ws();
        match c.peek() {
            Some(b',') => {
                c.i += 1;
                c.ws();
            }
            Some(b'}') => return Walk::Done(c.i + 1),
            _ => return Walk::Bad,
        }
    }
}

/// The first `"` or `\\` at or after `j`. Most keys and values are short: eight bytes
/// at a time in a `u64` (SWAR) beats setting up a vectorised search for each of them
/// (the whole walk: 164 against 196 ns per line with `memchr2` alone); past 32 bytes,
/// `memchr2` takes over.
#[inline]
fn quote_or_backslash(b: &[u8], mut j: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let stop = b.len().min(j.saturating_add(32));
    while j + 8 <= stop {
        let w = u64::from_le_bytes(b[j..j + 8].try_into().ok()?);
        let q = w ^ (ONES * u64::from(b'"'));
        let s = w ^ (ONES * u64::from(b'\\'));
        // A byte of `q` or `s` is zero where `w` holds a quote or a backslash; the
        // lowest flagged byte is exact (borrows only run upwards).
        let hit = (q.wrapping_sub(ONES) & !q | s.wrapping_sub(ONES) & !s) & HIGH;
        if hit != 0 {
            return Some(j + (hit.trailing_zeros() / 8) as usize);
        }
        j += 8;
    }
    Some(j + memchr::memchr2(b'"', b'\\', b.get(j..)?)?)
}

/// A cursor over a line's bytes.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek() {
            self.i += 1;
        }
    }

    // `string` and `value` are inlined into the walk on purpose: returned through
    // memory, their small results cost a store-forwarding stall per member (measured
    // with perf: the walk's hottest instruction).

    /// At a `"`: the string's body, and whether it holds escapes.
    #[inline(always)]
    fn string(&mut self) -> Option<(&'a [u8], bool)> {
        let start = self.i + 1;
        let mut j = start;
        let mut esc = false;
        loop {
            let k = quote_or_backslash(self.b, j)?;
            if self.b[k] == b'"' {
                self.i = k + 1;
                return Some((&self.b[start..k], esc));
            }
            esc = true;
            j = k + 2;
        }
    }

    #[inline(always)]
    fn value(&mut self) -> Option<Value<'a>> {
        let c = self.peek()?;
        match c {
            b'"' => self.string().map(|(s, _)| Value::JsonStr(s)),
            b'{' | b'[' => self.nested(),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            b'-' | b'0'..=b'9' => {
                let s = self.i;
                self.i += 1;
                while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.peek() {
                    self.i += 1;
                }
                let num = &self.b[s..self.i];
                (num != b"-").then_some(Value::Num(num))
            }
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], v: Value<'a>) -> Option<Value<'a>> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| {
            self.i = end;
            v
        })
    }

    /// At a `{` or `[`: skips to its matching close, checking that brackets match
    /// ([`Brackets`]), without recursion.
    #[inline(never)]
    fn nested(&mut self) -> Option<Value<'a>> {
        let s = self.i;
        let mut brackets = Brackets::default();
        while let Some(&c) = self.b.get(self.i) {
            if c == b'"' {
                self.string()?;
                continue;
            }
            self.i += 1;
            if brackets.step(c)? {
                return Some(Value::Raw(&self.b[s..self.i]));
            }
        }
        None
    }
}

/// Matching nested `{}` and `[]`: one bit per open level (1 for an object) for the
/// first 64 levels; deeper ones are only counted.
#[derive(Default)]
pub(crate) struct Brackets {
    stack: u64,
    depth: u32,
}

impl Brackets {
    /// Takes one byte outside strings: `Some(true)` when it closes the outermost
    /// level, `None` when it closes a level of the other kind (or none).
    #[inline(always)]
    pub(crate) fn step(&mut self, c: u8) -> Option<bool> {
        match c {
            b'{' | b'[' => {
                if self.depth < 64 {
                    self.stack = (self.stack << 1) | u64::from(c == b'{');
                }
                self.depth += 1;
                Some(false)
            }
            b'}' | b']' => {
                if self.depth == 0 {
                    return None;
                }
                if self.depth <= 64 {
                    if (self.stack & 1 == 1) != (c == b'}') {
                        return None;
                    }
                    self.stack >>= 1;
                }
                self.depth -= 1;
                Some(self.depth == 0)
            }
            _ => Some(false),
        }
    }
}
