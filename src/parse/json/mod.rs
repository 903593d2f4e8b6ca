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

mod scan;
#[cfg(test)]
mod tests;

pub(crate) use scan::Brackets;
pub use scan::unescape_first_line;
pub(in crate::parse) use scan::{Walk, hex4, walk};

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
