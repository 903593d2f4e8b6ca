//! syslog: RFC 3164 (BSD) and RFC 5424 lines, as files and relays write them.
//!
//! RFC 3164: `[<PRI>]TIMESTAMP HOST TAG[PID]: MSG`, the timestamp `Oct 11 22:14:15`
//! (day space-padded, optional fraction, optionally a year before the time) or an
//! RFC 3339 one (rsyslog's high-precision format). A BSD timestamp has no year: it is
//! read in `TimeCtx::tz`, in the year of `TimeCtx::now`, unless that puts it more than
//! [`MAX_FUTURE`] after now — then it belongs to the year before (a December line read
//! in January). Without a PRI the HOST must be there, and with an RFC 3339 timestamp
//! also the TAG, so a plain `2026-… INFO …` line is not taken for syslog.
//!
//! RFC 5424: `<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID [SD-ID k="v"…] MSG`, `-` for
//! an absent part; a UTF-8 BOM before MSG is dropped.
//!
//! Level: from PRI's severity (`PRI % 8`). Without PRI, from the message's first word
//! when it is clearly a level: bracketed (`[warn]`), followed by `:` (`error:`), or
//! upper case (`ERROR`), three letters or more unless bracketed — so "A new session"
//! is not `fatal`.
//!
//! Fields (the same names for both RFCs): `host`, `program` (the 3164 tag or the 5424
//! APP-NAME; `service` answers with it too), `pid` (the 3164 `[pid]` or 5424 PROCID),
//! `msgid` (5424), `facility` (from PRI: `kern`, `user`, … `local7`), and each 5424
//! structured-data parameter as `SD-ID.PARAM` (`exampleSDID@32473.iut`; the first of a
//! repeated name wins). A parameter value without escapes is `Value::Text`; one whose
//! escapes are only `\"` and `\\` is `Value::JsonStr` (JSON's syntax); one with `\]` is
//! `Value::Text` as written.
//!
//! The message is free text: a name that is none of the above is looked up as a
//! `name=value` pair in it (`kv.rs`), and [`Parser::fields`] lists those pairs last.

use jiff::civil::DateTime;

use super::json::{first_line, level_of};
use super::kv::{self, Escapes};
use super::time::{TimeCtx, TimeResolver};
use super::{Level, Parsed, Parser, Value, Want};

/// How far past `TimeCtx::now` a year-less timestamp may be before it is taken as
/// last year's (clocks drift, and files are read a little after they are written).
/// The same rule as every other year-less timestamp (see `time.rs`).
pub const MAX_FUTURE: i64 = super::time::FUTURE_SLACK_SECS * 1_000_000_000;

const FACILITIES: [&str; 24] = [
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7",
];

/// The syslog parser (both RFCs).
#[derive(Clone, Debug)]
pub struct SyslogParser {
    ctx: TimeCtx,
    /// For RFC 3339 timestamps.
    time: TimeResolver,
    now_year: i16,
    now_ns: i64,
}

impl Default for SyslogParser {
    fn default() -> Self {
        SyslogParser::new(TimeCtx::default())
    }
}

impl SyslogParser {
    pub fn new(ctx: TimeCtx) -> SyslogParser {
        let now_year = ctx.now.to_zoned(ctx.tz.clone()).year();
        let now_ns = i64::try_from(ctx.now.as_nanosecond()).unwrap_or(i64::MAX);
        SyslogParser {
            time: TimeResolver::new(&ctx),
            ctx,
            now_year,
            now_ns,
        }
    }

    fn civil(&self, year: i16, b: &Bsd) -> Option<i64> {
        let dt = civil(year, b.month, b.day, b.hour, b.minute, b.second, b.nano)?;
        let ts = self.ctx.tz.to_timestamp(dt).ok()?;
        i64::try_from(ts.as_nanosecond()).ok()
    }

    /// A BSD timestamp in the year it most likely belongs to.
    fn bsd_time(&self, b: &Bsd) -> Option<i64> {
        if let Some(y) = b.year {
            return self.civil(y, b);
        }
        let y = self.now_year;
        match self.civil(y, b) {
            Some(t) if t <= self.now_ns.saturating_add(MAX_FUTURE) => Some(t),
            // Last year's; or, for Feb 29, the last leap year's.
            _ => (1..=4).find_map(|back| self.civil(y - back, b)),
        }
    }

    fn time(&self, h: &Head<'_>) -> Option<i64> {
        match &h.bsd {
            Some(b) => self.bsd_time(b),
            None => self.time.parse(h.ts_text?),
        }
    }
}

/// A BSD timestamp's parts (no year unless the line has one).
#[derive(Clone, Copy, Debug, Default)]
struct Bsd {
    year: Option<i16>,
    month: i8,
    day: i8,
    hour: i8,
    minute: i8,
    second: i8,
    nano: i32,
}

/// A syslog line's header, split.
#[derive(Clone, Copy, Debug, Default)]
struct Head<'a> {
    pri: Option<u8>,
    ts_text: Option<&'a [u8]>,
    bsd: Option<Bsd>,
    host: Option<&'a [u8]>,
    program: Option<&'a [u8]>,
    pid: Option<&'a [u8]>,
    msgid: Option<&'a [u8]>,
    /// RFC 5424 structured data, brackets included.
    sd: Option<&'a [u8]>,
    msg: &'a [u8],
}

impl<'a> Head<'a> {
    fn level(&self) -> Level {
        match self.pri {
            Some(p) => Level::from_syslog(p % 8),
            None => level_word(self.msg).unwrap_or_default(),
        }
    }

    fn facility(&self) -> Option<Value<'a>> {
        let name = FACILITIES.get(usize::from(self.pri? / 8))?;
        Some(Value::Text(name.as_bytes()))
    }
}

/// Cheap detection probe: the line's header parses as RFC 3164 or RFC 5424.
pub fn probe(line: &[u8]) -> bool {
    head(first_line(line)).is_some()
}

fn head(line: &[u8]) -> Option<Head<'_>> {
    let mut h = Head::default();
    let mut i = 0;
    if line.first() == Some(&b'<') {
        let close = line.iter().take(5).position(|&c| c == b'>')?;
        let digits = &line[1..close];
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let pri: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        h.pri = Some(u8::try_from(pri).ok().filter(|&p| p <= 191)?);
        i = close + 1;
        if line[i..].starts_with(b"1 ") {
            return rfc5424(line, i + 2, h);
        }
    }
    let rest = &line[i..];
    let iso = if let Some((b, n)) = bsd_stamp(rest) {
        h.bsd = Some(b);
        h.ts_text = Some(&rest[..n]);
        i += n;
        false
    } else if let Some(n) = iso_stamp(rest) {
        h.ts_text = Some(&rest[..n]);
        i += n;
        true
    } else if h.pri.is_some() {
        // `<13>su: msg`: a relay that sent no timestamp.
        if !take_tag(&mut h, line, i) {
            h.msg = &line[i..];
        }
        return Some(h);
    } else {
        return None;
    };
    if line.get(i) != Some(&b' ') {
        return None;
    }
    i = skip_spaces(line, i);
    if h.pri.is_some() && take_tag(&mut h, line, i) {
        // No HOST (a local writer that left it out): only with PRI.
        return Some(h);
    }
    let host = token(line, i)?;
    if h.pri.is_none() && Level::from_word(host).is_some() {
        return None;
    }
    h.host = Some(host);
    i = skip_spaces(line, i + host.len());
    if !take_tag(&mut h, line, i) {
        if iso && h.pri.is_none() {
            return None;
        }
        h.msg = &line[i..];
    }
    Some(h)
}

fn rfc5424<'a>(line: &'a [u8], mut i: usize, mut h: Head<'a>) -> Option<Head<'a>> {
    let mut parts: [Option<&[u8]>; 5] = [None; 5];
    for part in &mut parts {
        let t = token(line, i)?;
        i += t.len();
        if line.get(i) != Some(&b' ') {
            return None;
        }
        i += 1;
        *part = (t != b"-").then_some(t);
    }
    let [ts, host, app, procid, msgid] = parts;
    (h.ts_text, h.host, h.program, h.pid, h.msgid) = (ts, host, app, procid, msgid);
    match line.get(i) {
        Some(b'-') => i += 1,
        Some(b'[') => {
            let end = i + sd_walk(&line[i..], |_, _, _| true)?;
            h.sd = Some(&line[i..end]);
            i = end;
        }
        _ => return None,
    }
    h.msg = match line.get(i) {
        None => b"",
        Some(b' ') => {
            let m = &line[i + 1..];
            m.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(m)
        }
        Some(_) => return None,
    };
    Some(h)
}

/// Walks RFC 5424 structured data at the start of `b` (`[id k="v" …][id2 …]`), calling
/// `f(id, name, value)` until it returns false. The index past the last `]`, or `None`
/// when malformed (or stopped).
fn sd_walk<'a>(
    b: &'a [u8],
    mut f: impl FnMut(&'a [u8], &'a [u8], Value<'a>) -> bool,
) -> Option<usize> {
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        let id_start = i + 1;
        i = id_start + b[id_start..].iter().position(|&c| c == b' ' || c == b']')?;
        let id = &b[id_start..i];
        if id.is_empty() {
            return None;
        }
        while b.get(i) == Some(&b' ') {
            let name_start = i + 1;
            i = name_start + b[name_start..].iter().position(|&c| c == b'=')?;
            let name = &b[name_start..i];
            if name.is_empty() || name.contains(&b' ') || b.get(i + 1) != Some(&b'"') {
                return None;
            }
            let vs = i + 2;
            let (mut j, mut json_ok, mut esc) = (vs, true, false);
            loop {
                j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
                if b[j] == b'"' {
                    break;
                }
                esc = true;
                json_ok &= matches!(b.get(j + 1), Some(b'"' | b'\\'));
                j += 2;
            }
            let body = &b[vs..j];
            let v = if esc && json_ok {
                Value::JsonStr(body)
            } else {
                Value::Text(body)
            };
            if !f(id, name, v) {
                return None;
            }
            i = j + 1;
        }
        if b.get(i) != Some(&b']') {
            return None;
        }
        i += 1;
    }
    Some(i)
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The non-empty run of non-space bytes at `i`.
fn token(b: &[u8], i: usize) -> Option<&[u8]> {
    let rest = b.get(i..)?;
    let t = &rest[..memchr::memchr(b' ', rest).unwrap_or(rest.len())];
    (!t.is_empty()).then_some(t)
}

/// A 3164 TAG at `i` — `prog:` or `prog[pid]:`, then a space or the end — into `h`
/// with the message after it (one space skipped). False, `h` untouched, when there is
/// no tag.
fn take_tag<'a>(h: &mut Head<'a>, b: &'a [u8], i: usize) -> bool {
    let Some((prog, pid, end)) = tag_at(b, i) else {
        return false;
    };
    let m = &b[end..];
    (h.program, h.pid, h.msg) = (Some(prog), pid, m.strip_prefix(b" ").unwrap_or(m));
    true
}

type Tag<'a> = (&'a [u8], Option<&'a [u8]>, usize);

/// A TAG at `i`: the program, the pid, and the index past the `:`.
fn tag_at(b: &[u8], i: usize) -> Option<Tag<'_>> {
    let t = token(b, i)?;
    let name = t.strip_suffix(b":")?;
    let (prog, pid) = match name.strip_suffix(b"]") {
        Some(inner) => {
            let open = memchr::memchr(b'[', inner)?;
            (&inner[..open], Some(&inner[open + 1..]))
        }
        None => (name, None),
    };
    let bad = |c: &u8| matches!(c, b'[' | b']' | b':' | b'"' | b'=');
    if prog.is_empty()
        || prog.len() > 64
        || prog.iter().any(bad)
        || pid.is_some_and(|p| p.contains(&b']'))
    {
        return None;
    }
    Some((prog, pid, i + t.len()))
}

/// A civil date-time, checked first: jiff's error for an invalid one allocates, and
/// bad data must not cost an allocation per record.
pub(crate) fn civil(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8, ns: i32) -> Option<DateTime> {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    let ok = (1..=9999).contains(&y)
        && (1..=days).contains(&d)
        && (0..24).contains(&h)
        && (0..60).contains(&mi)
        && (0..60).contains(&s)
        && (0..1_000_000_000).contains(&ns);
    ok.then(|| DateTime::new(y, mo, d, h, mi, s, ns).ok())?
}

/// A three-letter English month name, any case: 1–12.
pub(crate) fn month(b: &[u8]) -> Option<i8> {
    let &[x, y, z] = b else { return None };
    Some(match &[x, y, z].map(|c| c.to_ascii_lowercase()) {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    })
}

fn num(b: &[u8]) -> Option<i32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, &d| n * 10 + i32::from(d - b'0')))
}

/// `Oct 11 22:14:15`, `Oct  1 22:14:15.123`, `Oct 11 2003 22:14:15`: the parts and
/// the stamp's length.
fn bsd_stamp(b: &[u8]) -> Option<(Bsd, usize)> {
    if b.len() < 15 || b[3] != b' ' {
        return None;
    }
    let mut t = Bsd {
        month: month(&b[..3])?,
        ..Bsd::default()
    };
    let mut i = if b[4] == b' ' { 5 } else { 4 };
    let day_len = b[i..].iter().take(3).position(|&c| c == b' ')?;
    t.day = i8::try_from(num(&b[i..i + day_len])?).ok()?;
    i += day_len + 1;
    if b.get(i + 4) == Some(&b' ') && b.get(i + 2) != Some(&b':') {
        t.year = Some(i16::try_from(num(&b[i..i + 4])?).ok()?);
        i += 5;
    }
    let hms = b.get(i..i + 8)?;
    if hms[2] != b':' || hms[5] != b':' {
        return None;
    }
    t.hour = num(&hms[..2])? as i8;
    t.minute = num(&hms[3..5])? as i8;
    t.second = num(&hms[6..])? as i8;
    i += 8;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let frac = &b[i + 1..i + 1 + digits.min(9)];
        t.nano = num(frac)? * 10i32.pow(9 - frac.len() as u32);
        i += 1 + digits;
    }
    Some((t, i))
}

/// An RFC 3339-looking token (`2026-11-28T13:04:05…`): its length. Checked for shape
/// only; `parse_timestamp` reads it when the time is wanted.
fn iso_stamp(b: &[u8]) -> Option<usize> {
    let t = token(b, 0)?;
    let shape = t.len() >= 19
        && t[..4].iter().all(u8::is_ascii_digit)
        && t[4] == b'-'
        && t[7] == b'-'
        && t[10] == b'T'
        && t[13] == b':';
    shape.then_some(t.len())
}

/// A level word opening a message, when it is clearly one (see the module docs).
fn level_word(msg: &[u8]) -> Option<Level> {
    let w = token(msg, 0)?;
    let (core, bracketed) = match (w.first(), w.last()) {
        (Some(b'['), Some(b']')) | (Some(b'<'), Some(b'>')) if w.len() > 2 => {
            (&w[1..w.len() - 1], true)
        }
        _ => (w.strip_suffix(b":").unwrap_or(w), false),
    };
    let marked = bracketed || core.len() < w.len() || core.iter().all(u8::is_ascii_uppercase);
    if !marked || (!bracketed && core.len() < 3) {
        return None;
    }
    level_of(Value::Text(core)).filter(|_| core.iter().all(u8::is_ascii_alphabetic))
}

impl Parser for SyslogParser {
    fn name(&self) -> &'static str {
        "syslog"
    }

    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let Some(h) = head(first_line(rec)) else {
            return Parsed::default();
        };
        let ts = if want.ts { self.time(&h) } else { None };
        Parsed {
            ts,
            ts_text: ts.and(h.ts_text),
            level: if want.level {
                h.level()
            } else {
                Level::Unknown
            },
            msg: want.msg.then_some(Value::Text(h.msg)),
            ok: true,
        }
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        let h = head(first_line(rec))?;
        let text = |b: Option<&'a [u8]>| b.map(Value::Text);
        match name {
            "host" => text(h.host),
            "program" | "service" => text(h.program),
            "pid" => text(h.pid),
            "msgid" => text(h.msgid),
            "facility" => h.facility(),
            _ => sd_param(h.sd, name).or_else(|| kv::find(h.msg, Escapes::None, &[name])),
        }
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        let Some(h) = head(first_line(rec)) else {
            return;
        };
        if let Some(v) = h.facility() {
            f("facility", v);
        }
        for (name, v) in [
            ("host", h.host),
            ("program", h.program),
            ("pid", h.pid),
            ("msgid", h.msgid),
        ] {
            if let Some(v) = v {
                f(name, Value::Text(v));
            }
        }
        if let Some(sd) = h.sd {
            let mut name = String::new();
            sd_walk(sd, |id, param, v| {
                name.clear();
                name.push_str(&String::from_utf8_lossy(id));
                name.push('.');
                name.push_str(&String::from_utf8_lossy(param));
                f(&name, v);
                true
            });
        }
        let shadowed = |k: &str| HEADER_NAMES.contains(&k) || sd_param(h.sd, k).is_some();
        kv::each(h.msg, Escapes::None, &shadowed, f);
    }
}

/// The names [`Parser::field`] answers from the header; a message pair of one of these
/// names is not a field.
const HEADER_NAMES: [&str; 6] = ["host", "program", "service", "pid", "msgid", "facility"];

/// The value of structured-data parameter `name` (`SD-ID.PARAM`), the first of its name.
fn sd_param<'a>(sd: Option<&'a [u8]>, name: &str) -> Option<Value<'a>> {
    let mut found = None;
    sd_walk(sd?, |id, param, v| {
        let name = name.as_bytes();
        let hit = name.len() == id.len() + 1 + param.len()
            && name.starts_with(id)
            && name[id.len()] == b'.'
            && name.ends_with(param);
        if hit {
            found = Some(v);
        }
        !hit
    });
    found
}

#[cfg(test)]
#[path = "syslog_tests.rs"]
mod tests;
