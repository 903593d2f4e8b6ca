//! JSON lines: one object per record, read by a small borrowed scanner.
//!
//! Why not serde_json: reading `level` from a line needs one pass over the top-level
//! keys, skipping every value it does not need. Borrowed serde_json
//! (`HashMap<&str, &RawValue>`) still builds a map per line, and it fails outright on a
//! key with an escape (a borrowed `&str` cannot hold `"a\"b"`). The scanner below walks
//! the top-level object once, comparing keys in place, and hands back slices of the
//! line. `tests::bench_vs_serde` (run with `--release -- --ignored --nocapture`)
//! measured, on 301-byte zap-style lines, CPU time per line on the shared 2-core box:
//! level + ts + msg 214 ns here against 832 ns for serde_json's borrowed map (with the
//! same key lookups and conversions); level alone 176 against 750; a fully
//! deserialised `serde_json::Value` costs 941. With [`JsonParser::stop_early`]:
//! 126 and 40 ns.
//!
//! What the scanner checks: the top-level object's structure (strings, `:`, `,`, the
//! literals, the closing `}` and nothing but whitespace after it) and that nested
//! brackets balance and match. Numbers are taken as written (a run of number
//! characters), so huge ones stay exact text; string escapes are resolved only when
//! asked ([`Value::text`]). A line that fails these checks — an array, garbage, a
//! truncated object — parses with `ok == false`.
//!
//! Key resolution: time, level, message, `service` and `host` each have a list of
//! usual spellings (the `*_KEYS` constants). The first key in the object, in document
//! order, that is one of them *and has a usable value* wins: a time that parses, a
//! level that normalises, a message that is a string. Duplicate keys: the first wins,
//! for these and for [`Parser::field`] alike.
//!
//! Nested keys: a dot path `http.status` finds `{"http":{"status":503}}` and also a
//! literal key `"http.status"`, whichever comes first. [`Parser::fields`] flattens
//! nested objects to dot paths; arrays stay whole (`Value::Raw`).
//!
//! JSON behind a prefix: when a line does not start with `{`, the first `{` within
//! [`MAX_PREFIX`] bytes is taken as the object's start, provided the rest of the line
//! parses (Docker/Kubernetes CRI lines, `2026-11-28T10:00:00.1Z stdout F {...}`). When
//! the object has no time key, a timestamp at the start of the prefix is used. Docker's
//! json-file lines, whose record is inside a `log` string, are read by `docker.rs`.

use super::time::{TimeCtx, TimeResolver, from_epoch};
use super::{Level, Parsed, Parser, Value, Want};

/// Keys holding the record's time (strings in any shape `time.rs` reads; numbers as
/// epoch seconds, milliseconds, microseconds or nanoseconds).
pub const TIME_KEYS: &[&str] = &["ts", "time", "timestamp", "@timestamp", "t", "date"];
/// Keys holding the level (words, pino/bunyan numbers 10–60, syslog severities 0–7).
pub const LEVEL_KEYS: &[&str] = &["level", "lvl", "severity", "log.level", "levelname"];
/// Keys holding the message (string values only).
pub const MSG_KEYS: &[&str] = &["msg", "message", "@message", "log", "event"];
/// Spellings `field("service")` resolves through.
pub const SERVICE_KEYS: &[&str] = &[
    "service",
    "svc",
    "app",
    "service.name",
    "service_name",
    "application",
];
/// Spellings `field("host")` resolves through.
pub const HOST_KEYS: &[&str] = &["host", "hostname", "host.name"];

/// The longest prefix before a line's JSON object (a CRI prefix is ~46 bytes).
pub const MAX_PREFIX: usize = 96;

/// The spellings `field(name)` resolves through for the two well-known fields.
pub fn aliases(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "service" => Some(SERVICE_KEYS),
        "host" => Some(HOST_KEYS),
        _ => None,
    }
}

// Key classes, as bits: a key may be several things (`log` is a message when it is a
// string, and holds `level` when it is an object, as ECS writes it).
pub(crate) const TIME: u8 = 1;
pub(crate) const LEVEL: u8 = 2;
pub(crate) const MSG: u8 = 4;
pub(crate) const LOG_OBJ: u8 = 8;

/// Which of time/level/message a key is; the `*_KEYS` tables as one `match`.
pub(crate) fn classify(key: &[u8]) -> u8 {
    match key {
        b"ts" | b"time" | b"timestamp" | b"@timestamp" | b"t" | b"date" => TIME,
        b"level" | b"lvl" | b"severity" | b"log.level" | b"levelname" => LEVEL,
        b"msg" | b"message" | b"@message" | b"event" => MSG,
        b"log" => MSG | LOG_OBJ,
        _ => 0,
    }
}

/// A level from a value: a word (`WARN`, `warning`), a pino/bunyan number (10–60) or a
/// syslog severity (0–7, as GELF writes it), also when the number is a string.
pub(crate) fn level_of(v: Value<'_>) -> Option<Level> {
    fn num(b: &[u8]) -> Option<Level> {
        let n = int(b)?;
        match n {
            0..=7 => Some(Level::from_syslog(n as u8)),
            _ => Level::from_number(n),
        }
    }
    match v {
        Value::Num(b) => num(b),
        Value::Text(b) | Value::JsonStr(b) | Value::InnerJsonStr(b) => {
            let w = b.trim_ascii();
            Level::from_word(w).or_else(|| num(w))
        }
        _ => None,
    }
}

/// A time from a value: numbers (and numeric strings) as epoch values, other strings
/// through `time.rs`.
pub(crate) fn time_of(v: Value<'_>, res: &TimeResolver) -> Option<i64> {
    match v {
        Value::Num(b) => epoch(b),
        Value::Text(b) | Value::JsonStr(b) => {
            let t = b.trim_ascii();
            if !t.is_empty() && t.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
                epoch(t)
            } else {
                res.parse(t)
            }
        }
        _ => None,
    }
}

/// An epoch number as written. Plain decimals are converted exactly (an f64 would turn
/// `1764335045.123` into …05.122999906, and nanosecond integers exceed its 53 bits);
/// the unit thresholds are `from_epoch`'s (a test holds them equal), which also takes
/// anything else (exponents).
pub(crate) fn epoch(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, b),
    };
    let (int, frac) = match memchr::memchr(b'.', digits) {
        Some(i) => (&digits[..i], &digits[i + 1..]),
        None => (digits, &b""[..]),
    };
    let plain = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    if int.is_empty() || int.len() > 19 || !plain(int) || !plain(frac) {
        return from_epoch(std::str::from_utf8(b).ok()?.parse::<f64>().ok()?);
    }
    let whole = self::int(int)?;
    let (mult, places): (i64, usize) = if whole < 100_000_000_000 {
        (1_000_000_000, 9)
    } else if whole < 100_000_000_000_000 {
        (1_000_000, 6)
    } else if whole < 100_000_000_000_000_000 {
        (1_000, 3)
    } else {
        (1, 0)
    };
    let mut sub: i64 = 0;
    for i in 0..places {
        sub = sub * 10 + frac.get(i).map_or(0, |d| i64::from(d - b'0'));
    }
    let t = whole.checked_mul(mult)?.checked_add(sub)?;
    Some(if neg { -t } else { t })
}

/// A decimal integer with an optional sign, exactly as `str::parse::<i64>` reads one,
/// without its UTF-8 check and dispatch (`from_utf8` and `parse` were ~3% of `report`
/// on JSON, for the epoch and the level of every record).
fn int(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    if neg {
        0i64.checked_sub_unsigned(v)
    } else {
        i64::try_from(v).ok()
    }
}

/// A record's first line, without a `\r` before its `\n`: the line-oriented formats
/// read their header and message from it; continuation lines (a stack trace) stay in
/// the record, searchable, but are not parsed.
pub(crate) fn first_line(rec: &[u8]) -> &[u8] {
    let line = crate::record::line_at(rec, 0);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The JSON lines parser.
#[derive(Clone, Debug)]
pub struct JsonParser {
    time: TimeResolver,
    stop_early: bool,
}

impl Default for JsonParser {
    fn default() -> Self {
        JsonParser::new(TimeCtx::default())
    }
}

impl JsonParser {
    /// A parser that checks every line's whole structure (see the module docs).
    pub fn new(ctx: TimeCtx) -> JsonParser {
        JsonParser {
            time: TimeResolver::new(&ctx),
            stop_early: false,
        }
    }

    /// Stop walking a line once everything `parse` was asked for is found, checking
    /// only that the line ends with `}`. Several times faster when the wanted keys
    /// come first (`count --by level` on zap/pino lines: ~4×), at a price: a line
    /// truncated after them that happens to end in `}` (`{"level":"info","a":{"b":1}`)
    /// is taken as whole. Off by default.
    pub fn stop_early(mut self, yes: bool) -> JsonParser {
        self.stop_early = yes;
        self
    }

    /// A time value, with its text: strings, numbers, or Mongo's `{"$date": …}`.
    fn time<'a>(&self, v: Value<'a>) -> Option<(i64, &'a [u8])> {
        match v {
            Value::Raw(r) if r.starts_with(b"{") => match lookup_path(r, b"$date")? {
                inner @ (Value::Num(_) | Value::JsonStr(_)) => self.time(inner),
                _ => None,
            },
            Value::Num(b) | Value::JsonStr(b) => Some((time_of(v, &self.time)?, b)),
            _ => None,
        }
    }
}

/// Cheap detection probe: the line is a JSON object (or a CRI-prefixed one, or one
/// behind another short prefix that has a time, level or message key).
pub fn probe(line: &[u8]) -> bool {
    let Some((start, prefix)) = locate(line) else {
        return false;
    };
    let obj = &line[start..];
    let mut known = false;
    let end = walk(obj, |k, _| {
        known |= k.with_bytes(classify) != 0;
        true
    });
    match end {
        Walk::Done(e) if obj[e..].trim_ascii().is_empty() => {
            prefix.is_empty() || is_cri(prefix) || known
        }
        _ => false,
    }
}

/// `<timestamp> stdout|stderr F|P`, the prefix containerd and CRI-O write.
fn is_cri(prefix: &[u8]) -> bool {
    let mut it = prefix.split(|&c| c == b' ').filter(|t| !t.is_empty());
    let (Some(_), Some(stream), Some(tag), None) = (it.next(), it.next(), it.next(), it.next())
    else {
        return false;
    };
    matches!(stream, b"stdout" | b"stderr") && matches!(tag, b"F" | b"P")
}

/// Where the object starts, and the (trimmed) prefix before it.
fn locate(rec: &[u8]) -> Option<(usize, &[u8])> {
    let i = rec.iter().position(|c| !c.is_ascii_whitespace())?;
    if rec[i] == b'{' {
        return Some((i, &[]));
    }
    let lim = rec.len().min(i + MAX_PREFIX);
    let j = memchr::memchr(b'{', &rec[..lim])?;
    Some((j, rec[..j].trim_ascii()))
}

impl Parser for JsonParser {
    fn name(&self) -> &'static str {
        "json"
    }

    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let Some((start, prefix)) = locate(rec) else {
            return Parsed::default();
        };
        let obj = &rec[start..];
        let mut p = Parsed::default();
        let mut have_level = false;
        let end = walk(obj, |k, v| {
            let class = k.with_bytes(classify);
            if class == 0 {
                // Nothing to find: a stopping-early walk is done at once.
                return !(self.stop_early && want == Want::default());
            }
            if want.ts && p.ts.is_none() && class & TIME != 0 {
                if let Some((t, text)) = self.time(v) {
                    p.ts = Some(t);
                    p.ts_text = Some(text);
                }
            }
            if want.level && !have_level {
                let l = match v {
                    _ if class & LEVEL != 0 => level_of(v),
                    Value::Raw(r) if class & LOG_OBJ != 0 && r.starts_with(b"{") => {
                        lookup_path(r, b"level").and_then(level_of)
                    }
                    _ => None,
                };
                if let Some(l) = l {
                    p.level = l;
                    have_level = true;
                }
            }
            if want.msg && p.msg.is_none() && class & MSG != 0 && matches!(v, Value::JsonStr(_)) {
                p.msg = Some(v);
            }
            !(self.stop_early
                && (!want.ts || p.ts.is_some())
                && (!want.level || have_level)
                && (!want.msg || p.msg.is_some()))
        });
        match end {
            Walk::Done(e) if obj[e..].trim_ascii().is_empty() => {}
            Walk::Stopped if obj.trim_ascii_end().ends_with(b"}") => {}
            _ => return Parsed::default(),
        }
        if want.ts && p.ts.is_none() && !prefix.is_empty() {
            // The first two tokens when the second starts with a digit
            // (`2026-11-28 13:00:00`), else the first one (a CRI timestamp). A failed
            // attempt is not free (jiff builds an error), hence the shape check.
            let mut spaces = memchr::memchr_iter(b' ', prefix);
            let first = &prefix[..spaces.next().unwrap_or(prefix.len())];
            let two = &prefix[..spaces.next().unwrap_or(prefix.len())];
            let second_is_time = prefix.get(first.len() + 1).is_some_and(u8::is_ascii_digit);
            let both = [two, first];
            for &cand in &both[usize::from(!second_is_time)..] {
                if let Some(t) = self.time.parse(cand) {
                    p.ts = Some(t);
                    p.ts_text = Some(cand);
                    break;
                }
            }
        }
        p.ok = true;
        p
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        let (start, _) = locate(rec)?;
        let obj = &rec[start..];
        match aliases(name) {
            Some(keys) => lookup_any(obj, keys),
            None => lookup_path(obj, name.as_bytes()),
        }
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        if let Some((start, _)) = locate(rec) {
            flatten(&rec[start..], &mut String::new(), 0, f);
        }
    }
}

/// Nested objects deeper than this are given whole by `fields` (bounded recursion).
pub(super) const MAX_FLATTEN_DEPTH: usize = 32;

pub(super) fn flatten<'a>(
    obj: &'a [u8],
    path: &mut String,
    depth: usize,
    f: &mut dyn FnMut(&str, Value<'a>),
) {
    walk(obj, |k, v| {
        let len = path.len();
        if len > 0 {
            path.push('.');
        }
        path.push_str(&Value::JsonStr(k.raw).text());
        match v {
            Value::Raw(r) if r.starts_with(b"{") && depth < MAX_FLATTEN_DEPTH && !is_empty(r) => {
                flatten(r, path, depth + 1, f)
            }
            _ => f(path, v),
        }
        path.truncate(len);
        true
    });
}

fn is_empty(obj: &[u8]) -> bool {
    obj[1..obj.len() - 1].trim_ascii().is_empty()
}

/// The value at a dot path (literal keys with dots match too), first in document order.
fn lookup_path<'a>(obj: &'a [u8], path: &[u8]) -> Option<Value<'a>> {
    let mut found = None;
    walk(obj, |k, v| match k.prefix_len(path) {
        Some(n) if n == path.len() => {
            found = Some(v);
            false
        }
        Some(n) if path[n] == b'.' => match v {
            Value::Raw(r) if r.starts_with(b"{") => {
                found = lookup_path(r, &path[n + 1..]);
                found.is_none()
            }
            _ => true,
        },
        _ => true,
    });
    found
}

/// The first scalar (string or number) at any of `keys`, in document order.
fn lookup_any<'a>(obj: &'a [u8], keys: &[&str]) -> Option<Value<'a>> {
    let scalar = |v: &Value<'_>| matches!(v, Value::JsonStr(_) | Value::Num(_));
    let mut found = None;
    walk(obj, |k, v| {
        for key in keys.iter().map(|s| s.as_bytes()) {
            match k.prefix_len(key) {
                Some(n) if n == key.len() && scalar(&v) => found = Some(v),
                Some(n) if n < key.len() && key[n] == b'.' => {
                    if let Value::Raw(r) = v {
                        if r.starts_with(b"{") {
                            found = lookup_path(r, &key[n + 1..]).filter(scalar);
                        }
                    }
                }
                _ => {}
            }
            if found.is_some() {
                return false;
            }
        }
        true
    });
    found
}

/// An object key as written: its body, and whether it holds escapes.
#[derive(Clone, Copy)]
pub(super) struct Key<'a> {
    pub(super) raw: &'a [u8],
    pub(super) esc: bool,
}

impl Key<'_> {
    /// When the key (escapes resolved) is a prefix of `s`: its length in `s`.
    fn prefix_len(&self, s: &[u8]) -> Option<usize> {
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
    fn with_bytes<R: Default>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
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

fn hex4(b: &[u8]) -> Option<u32> {
    b.iter()
        .try_fold(0u32, |acc, &c| Some(acc * 16 + (c as char).to_digit(16)?))
}

pub(super) enum Walk {
    /// The object was walked to its end; the index just past its `}`.
    Done(usize),
    /// The callback asked to stop.
    Stopped,
    /// Not a well-formed object.
    Bad,
}

/// Walks the members of the object at the start of `b` (`b[0] == b'{'`), calling `f`
/// with each key and value until it returns false.
pub(super) fn walk<'a>(b: &'a [u8], mut f: impl FnMut(Key<'a>, Value<'a>) -> bool) -> Walk {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Where `Brackets` says the outermost level closes, or `None` on a mismatch.
    fn closes_at(text: &[u8]) -> Option<usize> {
        let mut b = Brackets::default();
        for (i, &c) in text.iter().enumerate() {
            if b.step(c)? {
                return Some(i);
            }
        }
        None
    }

    #[test]
    fn brackets_match() {
        assert_eq!(closes_at(b"{a[1,{}]b}x"), Some(9));
        assert_eq!(closes_at(b"[[]]]"), Some(3));
        assert_eq!(closes_at(b"{]"), None);
        assert_eq!(closes_at(b"[}"), None);
        assert_eq!(closes_at(b"}"), None);
        assert_eq!(closes_at(b"{[}"), None);
        // Past 64 levels kinds are not checked, only counted.
        let mut deep = vec![b'['; 70];
        deep.extend_from_slice(&[b'}'; 6]);
        deep.extend_from_slice(&[b']'; 64]);
        assert_eq!(closes_at(&deep), Some(139));
    }
    use crate::parse::time::format_rfc3339;
    use proptest::prelude::*;

    fn p() -> JsonParser {
        JsonParser::new(TimeCtx::default())
    }

    fn ts(s: &str) -> String {
        format_rfc3339(p().parse(s.as_bytes(), Want::ALL).ts.unwrap())
    }

    fn field(line: &str, name: &str) -> Option<String> {
        p().field(line.as_bytes(), name)
            .map(|v| v.text().into_owned())
    }

    fn all_fields(line: &str) -> Vec<(String, String)> {
        crate::parse::all_fields(&p(), line.as_bytes())
    }

    #[test]
    fn tables_agree_with_classify() {
        for k in TIME_KEYS {
            assert_eq!(classify(k.as_bytes()) & TIME, TIME, "{k}");
        }
        for k in LEVEL_KEYS {
            assert_eq!(classify(k.as_bytes()) & LEVEL, LEVEL, "{k}");
        }
        for k in MSG_KEYS {
            assert_eq!(classify(k.as_bytes()) & MSG, MSG, "{k}");
        }
    }

    #[test]
    fn zap_pino_bunyan_ecs_structlog() {
        let zap = r#"{"level":"error","ts":1764335045.123,"logger":"api","caller":"h/o.go:42","msg":"request failed","status":503,"err":"upstream timeout"}"#;
        let r = p().parse(zap.as_bytes(), Want::ALL);
        assert!(r.ok);
        assert_eq!(r.level, Level::Error);
        assert_eq!(r.msg.unwrap().text(), "request failed");
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-11-28T13:04:05.123Z");
        assert_eq!(r.ts_text, Some(&b"1764335045.123"[..]));

        let pino =
            r#"{"level":40,"time":1764335045123,"pid":7,"hostname":"web-1","msg":"slow query"}"#;
        let r = p().parse(pino.as_bytes(), Want::ALL);
        assert_eq!((r.level, r.ok), (Level::Warn, true));
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-11-28T13:04:05.123Z");
        assert_eq!(field(pino, "host").as_deref(), Some("web-1"));

        let ecs = r#"{"@timestamp":"2026-11-28T13:04:05.5Z","log":{"level":"WARN","logger":"x"},"message":"disk 91% full","service":{"name":"billing"},"host":{"name":"db-2"}}"#;
        let r = p().parse(ecs.as_bytes(), Want::ALL);
        assert_eq!(r.level, Level::Warn);
        assert_eq!(r.msg.unwrap().text(), "disk 91% full");
        assert_eq!(ts(ecs), "2026-11-28T13:04:05.500Z");
        assert_eq!(field(ecs, "service").as_deref(), Some("billing"));
        assert_eq!(field(ecs, "host").as_deref(), Some("db-2"));
        assert_eq!(field(ecs, "log.logger").as_deref(), Some("x"));

        let flat_ecs = r#"{"@timestamp":"2026-11-28T13:04:05Z","log.level":"error","message":"boom","service.name":"auth"}"#;
        assert_eq!(
            p().parse(flat_ecs.as_bytes(), Want::ALL).level,
            Level::Error
        );
        assert_eq!(field(flat_ecs, "service").as_deref(), Some("auth"));
        assert_eq!(field(flat_ecs, "log.level").as_deref(), Some("error"));

        let structlog = r#"{"event":"user logged in","levelname":"INFO","timestamp":"2026-11-28 13:04:05","app":"web"}"#;
        let r = p().parse(structlog.as_bytes(), Want::ALL);
        assert_eq!(
            (r.level, r.msg.unwrap().text()),
            (Level::Info, "user logged in".into())
        );
        assert_eq!(ts(structlog), "2026-11-28T13:04:05.000Z");
        assert_eq!(field(structlog, "service").as_deref(), Some("web"));

        let gelf = r#"{"version":"1.1","host":"h","short_message":"x","level":3}"#;
        assert_eq!(p().parse(gelf.as_bytes(), Want::ALL).level, Level::Error);

        let mongo = r#"{"t":{"$date":"2026-11-28T13:04:05.000+00:00"},"s":"I","msg":"conn"}"#;
        assert_eq!(ts(mongo), "2026-11-28T13:04:05.000Z");
    }

    #[test]
    fn usable_values_win() {
        // An object under `event` is not a message; an unknown level word is skipped.
        let l = r#"{"event":{"kind":"x"},"level":"chatty","severity":"warning","message":"m"}"#;
        let r = p().parse(l.as_bytes(), Want::ALL);
        assert_eq!(r.level, Level::Warn);
        assert_eq!(r.msg.unwrap().text(), "m");
        // Only what is wanted is read.
        let r = p().parse(
            l.as_bytes(),
            Want {
                level: true,
                ..Want::default()
            },
        );
        assert!(r.ok && r.msg.is_none() && r.ts.is_none());
    }

    #[test]
    fn epoch_units() {
        let ns = "2025-11-28T13:04:05.123Z";
        for t in [
            "1764335045.123",
            "1764335045123",
            "1764335045123000",
            "1764335045123000000",
        ] {
            assert_eq!(ts(&format!(r#"{{"ts":{t}}}"#)), ns, "{t}");
            assert_eq!(ts(&format!(r#"{{"ts":"{t}"}}"#)), ns, "string {t}");
        }
        // The unit thresholds are from_epoch's.
        for n in [
            1i64,
            99_999_999_999,
            100_000_000_000,
            99_999_999_999_999,
            100_000_000_000_000,
        ]
        .into_iter()
        .chain([
            9_000_000_000_000_000,
            100_000_000_000_000_000,
            1_764_335_045,
        ]) {
            assert_eq!(epoch(n.to_string().as_bytes()), from_epoch(n as f64), "{n}");
        }
        assert_eq!(epoch(b"-1.5"), Some(-1_500_000_000));
        assert_eq!(epoch(b"1.5e9"), Some(1_500_000_000_000_000_000));
        // Nanoseconds stay exact (an f64 would round them).
        let r = p().parse(br#"{"ts":1764335045123456789}"#, Want::ALL);
        assert_eq!(r.ts, Some(1_764_335_045_123_456_789));
    }

    #[test]
    fn escapes_and_surrogates() {
        let l = r#"{"msg":"say \"hi\"\n\ud83d\ude00 \u00e9","le\u0076el":"warn","a\"b":1}"#;
        let r = p().parse(l.as_bytes(), Want::ALL);
        assert!(r.ok);
        assert_eq!(r.msg.unwrap().text(), "say \"hi\"\n😀 é");
        assert_eq!(r.level, Level::Warn);
        assert_eq!(field(l, "a\"b").as_deref(), Some("1"));
        assert_eq!(field(l, "level").as_deref(), Some("warn"));
        // A backslash right before the closing quote.
        let l = r#"{"msg":"C:\\dir\\","level":"info"}"#;
        let r = p().parse(l.as_bytes(), Want::ALL);
        assert_eq!((r.ok, r.level), (true, Level::Info));
        assert_eq!(r.msg.unwrap().text(), "C:\\dir\\");
    }

    #[test]
    fn nested_and_paths() {
        let l = r#"{"http":{"status":503,"req":{"method":"GET","hdr":[1,{"a":"}"}]}},"http.status":200,"tags":[],"e":{}}"#;
        assert_eq!(field(l, "http.status").as_deref(), Some("503"));
        assert_eq!(field(l, "http.req.method").as_deref(), Some("GET"));
        assert_eq!(
            field(l, "http.req.hdr").as_deref(),
            Some(r#"[1,{"a":"}"}]"#)
        );
        assert_eq!(field(l, "http.nope"), None);
        assert_eq!(
            all_fields(l),
            [
                ("http.status", "503"),
                ("http.req.method", "GET"),
                ("http.req.hdr", r#"[1,{"a":"}"}]"#),
                ("http.status", "200"),
                ("tags", "[]"),
                ("e", "{}"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // Literal dotted key first in the document wins.
        assert_eq!(
            field(r#"{"a.b":1,"a":{"b":2}}"#, "a.b").as_deref(),
            Some("1")
        );
        assert_eq!(
            field(r#"{"a":{"c":1},"a":{"b":2}}"#, "a.b").as_deref(),
            Some("2")
        );
    }

    #[test]
    fn duplicates_and_huge_numbers() {
        let l =
            r#"{"level":"info","level":"error","n":123456789012345678901234567890,"f":-1.5e300}"#;
        assert_eq!(p().parse(l.as_bytes(), Want::ALL).level, Level::Info);
        assert_eq!(field(l, "level").as_deref(), Some("info"));
        assert_eq!(
            p().field(l.as_bytes(), "n"),
            Some(Value::Num(b"123456789012345678901234567890"))
        );
        assert_eq!(p().field(l.as_bytes(), "f"), Some(Value::Num(b"-1.5e300")));
        let r = p().parse(br#"{"ts":1e400,"msg":"x"}"#, Want::ALL);
        assert!(r.ok && r.ts.is_none());
    }

    #[test]
    fn not_objects() {
        for l in [
            "",
            "   ",
            "[1,2,3]",
            "hello world",
            r#""just a string""#,
            r#"{"level":"info","msg":"trunc"#,
            r#"{"level":"info","msg":"x","#,
            r#"{"level":"info","msg":"x"} trailing"#,
            r#"{"level":"info","a":{"b":[1,2}}"#,
            r#"{"level":"info","a":{"b":1}"#,
            r#"{"level":info}"#,
            r#"{level:"info"}"#,
            r#"{"a":-}"#,
            r#"{"a":1 "b":2}"#,
            "{",
            "}",
            "{\"a\\",
        ] {
            let r = p().parse(l.as_bytes(), Want::ALL);
            assert!(!r.ok, "{l:?}");
            assert_eq!(r.level, Level::Unknown);
            assert!(!probe(l.as_bytes()), "{l:?}");
        }
        assert!(p().parse(b"{}", Want::ALL).ok);
        assert!(p().parse(b"  { } \r", Want::ALL).ok);
    }

    #[test]
    fn stopping_early() {
        let fast = p().stop_early(true);
        let level = Want {
            level: true,
            ..Want::default()
        };
        let l = br#"{"level":"warn","msg":"x","rest":[1,2,{"a":"b"}]}"#;
        assert_eq!(fast.parse(l, level).level, Level::Warn);
        assert_eq!(fast.parse(l, Want::ALL).msg, Some(Value::JsonStr(b"x")));
        assert!(fast.parse(l, Want::default()).ok);
        // A truncation after the wanted keys is seen when the line lacks its `}`...
        assert!(
            !fast
                .parse(br#"{"level":"warn","msg":"x","rest":[1,2"#, level)
                .ok
        );
        assert!(!fast.parse(br#"{"level":"warn""#, level).ok);
        // ...but not when it happens to end in one (the documented price).
        let cut = br#"{"level":"info","a":{"b":1}"#;
        assert!(fast.parse(cut, level).ok && !p().parse(cut, level).ok);
        // A missing key means a full walk.
        assert!(!fast.parse(br#"{"msg":"x","a":{"b":1}"#, level).ok);
    }

    #[test]
    fn prefixes() {
        let cri = r#"2026-11-28T10:00:00.1Z stdout F {"level":"error","msg":"oom"}"#;
        let r = p().parse(cri.as_bytes(), Want::ALL);
        assert!(r.ok && probe(cri.as_bytes()));
        assert_eq!(
            (r.level, r.msg.unwrap().text()),
            (Level::Error, "oom".into())
        );
        assert_eq!(ts(cri), "2026-11-28T10:00:00.100Z");
        assert_eq!(r.ts_text, Some(&b"2026-11-28T10:00:00.1Z"[..]));
        // The object's own time wins over the prefix's.
        let cri2 = r#"2026-11-28T10:00:00.1Z stderr F {"ts":"2026-11-28T09:00:00Z","msg":"x"}"#;
        assert_eq!(ts(cri2), "2026-11-28T09:00:00.000Z");
        // Other short prefixes parse, but only probe as JSON with a known key.
        let other = r#"2026-11-28 13:00:00 app: {"level":"warn","msg":"x"}"#;
        assert!(p().parse(other.as_bytes(), Want::ALL).ok && probe(other.as_bytes()));
        assert_eq!(ts(other), "2026-11-28T13:00:00.000Z");
        let plain = r#"2026-11-28 13:00:00 INFO done {"user":"bob"}"#;
        assert!(!probe(plain.as_bytes()));
        let far = format!("{} {{\"msg\":\"x\"}}", "x".repeat(MAX_PREFIX));
        assert!(!p().parse(far.as_bytes(), Want::ALL).ok);
    }

    fn check_no_panic(b: &[u8]) {
        probe(b);
        crate::parse::exercise(
            &p(),
            b,
            &["level", "service", "host", "a.b", "msg", "", "."],
        );
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            check_no_panic(&b);
        }

        /// The first line, unescaped, is what `text()` gives before its first newline,
        /// whenever the fast path takes the body.
        #[test]
        fn int_reads_as_str_parse(s in "[-+]?[0-9]{0,21}|[-+0-9a ]{0,6}") {
            prop_assert_eq!(int(s.as_bytes()), s.parse::<i64>().ok(), "{:?}", s);
            for edge in ["-9223372036854775808", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "+", "-", ""] {
                prop_assert_eq!(int(edge.as_bytes()), edge.parse::<i64>().ok(), "{:?}", edge);
            }
        }

        #[test]
        fn first_line_agrees_with_text(
            s in proptest::collection::vec(prop_oneof![
                Just("a".to_string()), Just(" ".to_string()), Just("\\n".to_string()),
                Just("\\\"".to_string()), Just("\\\\".to_string()), Just("\\t".to_string()),
                Just("\\r".to_string()), Just("\\u00e9".to_string()), Just("\\u000a".to_string()),
                Just("\\ud83d\\ude00".to_string()), Just("\\ud83d".to_string()), Just("\\x".to_string()),
                Just("\\".to_string()), Just("\"".to_string()), Just("é".to_string()), Just("\n".to_string()), Just("\u{1}".to_string()),
            ], 0..12)
        ) {
            let body = s.concat();
            let mut out = Vec::new();
            if unescape_first_line(body.as_bytes(), &mut out) {
                let text = Value::JsonStr(body.as_bytes()).text();
                let want = text.split('\n').next().unwrap_or("");
                prop_assert_eq!(String::from_utf8_lossy(&out), want, "{:?}", body);
            }
        }

        #[test]
        fn json_ish_never_panics(s in r#"[ {}\[\]":,\\a-z0-9.u\-]{0,120}"#) {
            check_no_panic(s.as_bytes());
            check_no_panic(format!("{{\"level\":{s}").as_bytes());
        }
    }
}
