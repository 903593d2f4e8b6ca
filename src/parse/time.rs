//! Timestamps: recognising and converting the shapes logs use, to Unix nanoseconds UTC.
//!
//! Two steps, so that the hot path stays cheap and the zone work stays correct:
//!
//! 1. [`scan`] is a hand-written recogniser: it reads the civil parts (or an epoch number)
//!    of every shape below in one pass over the bytes, without allocating. It accepts a
//!    text only when the *whole* text is one timestamp, so a caller can try candidate spans.
//! 2. [`TimeResolver`] turns those parts into an instant: pure arithmetic for a fixed
//!    zone (UTC, `+02:00`, or an offset written in the text), jiff for named zones with
//!    DST rules, and the year of "now" for shapes that carry none (syslog `Jun 14 …`,
//!    Android `03-17 …`), moved back a year when that would put the record in the future
//!    (a December line read in January).
//!
//! Shapes [`scan`] knows (`[...]` around any of them is ignored, as is a trailing `,`):
//!
//! | shape | example |
//! |---|---|
//! | ISO 8601 / RFC 3339, `T`, space, `-`, `_` or `:` before the time, `/` or `.` in the date | `2026-11-28T13:04:05.123Z`, `2015-10-18 18:01:47,978`, `2005-06-03-15.42.50.675872`, `2016/9/27:20:30:31.455` |
//! | date only | `2005.06.03` |
//! | compact | `20171223-22:15:29:606`, `20261128T130405Z`, `081109 203615` (yyMMdd HHmmss) |
//! | two-digit year with slashes (yy/MM/dd) | `17/06/09 20:10:40` |
//! | day first or US month first, four-digit year | `28.11.2026 13:04`, `11/28/2026 13:04:05` |
//! | no year | `03-17 16:13:38.811`, `10.30 16:49:06` |
//! | syslog and ctime | `Jun 14 15:16:01`, `Sun Dec 04 04:47:44 2005`, `Jun 14 2005 15:16:01` |
//! | RFC 2822 and CLF | `Sat, 28 Nov 2026 13:04:05 +0000`, `28/Nov/2026:13:04:05 +0000` |
//! | epoch seconds or milliseconds (9–13 digits), with a fraction | `1117838570`, `1764335045.123` |
//!
//! Zones: `Z`, `+01:00`, `+0100`, `+01`, `UTC`, `GMT` (optionally followed by an offset);
//! a 12-hour clock with `AM`/`PM`. Fractions of 1–9 digits after `.`, `,` or `:`.
//! [`TimeResolver::parse`] falls back to jiff's own parsers for anything else.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// How to read timestamps that carry no zone or no year.
#[derive(Clone, Debug)]
pub struct TimeCtx {
    /// Zone for timestamps without an offset (`--tz`, default UTC).
    pub tz: TimeZone,
    /// Year for timestamps without one (syslog `Nov 28 13:00:00`): the caller's idea
    /// of "now", so that a Dec→Jan boundary can be inferred.
    pub now: Timestamp,
}

impl Default for TimeCtx {
    fn default() -> Self {
        TimeCtx {
            tz: TimeZone::UTC,
            now: Timestamp::now(),
        }
    }
}

/// Parses a timestamp in any supported shape; `None` when `text` is not one.
///
/// Cheap for shapes with a year; a year-less shape computes "now"'s year per call, so
/// hot loops over such logs should build a [`TimeResolver`] once.
pub fn parse_timestamp(text: &[u8], ctx: &TimeCtx) -> Option<i64> {
    match scan(text) {
        Some(st) if st.epoch.is_some() || st.has_year => {
            let fixed = ctx.tz.to_fixed_offset().ok().map(|o| o.seconds() as i64);
            st.epoch.or_else(|| instant(&ctx.tz, fixed, &st, st.year))
        }
        _ => TimeResolver::new(ctx).parse(text),
    }
}

/// An epoch number in seconds, milliseconds, microseconds or nanoseconds, told apart
/// by magnitude (years 1973–2286 in each unit).
pub fn from_epoch(n: f64) -> Option<i64> {
    if !n.is_finite() {
        return None;
    }
    let a = n.abs();
    let mult: i128 = if a < 1e11 {
        1_000_000_000
    } else if a < 1e14 {
        1_000_000
    } else if a < 1e17 {
        1_000
    } else {
        1
    };
    // Whole and fractional parts apart, so that 1764335045123 ms stays exact.
    let whole = n.trunc() as i128 * mult;
    let frac = (n.fract() * mult as f64).round() as i128;
    i64::try_from(whole + frac).ok()
}

/// RFC 3339 in UTC with millisecond precision (trailing zeros kept), as reports print.
pub fn format_rfc3339(nanos: i64) -> String {
    match Timestamp::from_nanosecond(nanos as i128) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => String::new(),
    }
}

/// The parts of a timestamp as written, before a zone or a missing year is applied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// The year as written (two-digit years already widened); meaningless without `has_year`.
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanos: u32,
    /// Seconds east of UTC, when the text names its zone.
    pub offset: Option<i32>,
    /// The instant itself, when the text was an epoch number (Unix ns).
    pub epoch: Option<i64>,
    pub has_year: bool,
    pub has_time: bool,
    pub has_frac: bool,
}

impl Stamp {
    /// How much of an instant the text pins down, for choosing between several
    /// timestamps in one header: a year (or epoch) counts most, then a time of day,
    /// then a fraction of a second.
    pub fn precision(&self) -> u8 {
        if self.epoch.is_some() {
            return 6 + self.has_frac as u8;
        }
        4 * self.has_year as u8 + 2 * self.has_time as u8 + self.has_frac as u8
    }
}

/// A [`TimeCtx`] prepared once for the hot path.
#[derive(Clone, Debug)]
pub struct TimeResolver {
    tz: TimeZone,
    /// The zone's offset in seconds when it has a single one (UTC, `+02:00`).
    fixed: Option<i64>,
    now_secs: i64,
    now_year: i32,
}

/// How far in the future a year-less timestamp may land before it is taken to belong
/// to the previous year. A week absorbs clock skew between hosts and the caller's zone.
pub const FUTURE_SLACK_SECS: i64 = 7 * 86_400;

impl TimeResolver {
    pub fn new(ctx: &TimeCtx) -> Self {
        let fixed = ctx.tz.to_fixed_offset().ok().map(|o| o.seconds() as i64);
        let now_year = ctx.tz.to_datetime(ctx.now).year() as i32;
        TimeResolver {
            tz: ctx.tz.clone(),
            fixed,
            now_secs: ctx.now.as_second(),
            now_year,
        }
    }

    /// Parses a timestamp in any supported shape: [`scan`] first, jiff's parsers after.
    pub fn parse(&self, text: &[u8]) -> Option<i64> {
        if let Some(st) = scan(text) {
            return self.resolve(&st);
        }
        self.parse_slow(text)
    }

    /// What jiff parses that [`scan`] does not (RFC 9557 zone annotations, …).
    #[cold]
    fn parse_slow(&self, text: &[u8]) -> Option<i64> {
        let s = std::str::from_utf8(text).ok()?.trim();
        if s.is_empty() || s.len() > 64 {
            return None;
        }
        if let Ok(ts) = s.parse::<Timestamp>() {
            return i64::try_from(ts.as_nanosecond()).ok();
        }
        if let Ok(dt) = s.parse::<DateTime>() {
            let ts = self.tz.to_ambiguous_timestamp(dt).compatible().ok()?;
            return i64::try_from(ts.as_nanosecond()).ok();
        }
        None
    }

    /// The instant a [`Stamp`] names, in Unix nanoseconds UTC.
    pub fn resolve(&self, st: &Stamp) -> Option<i64> {
        if let Some(e) = st.epoch {
            return Some(e);
        }
        if st.has_year {
            return instant(&self.tz, self.fixed, st, st.year);
        }
        // No year: this year, or an earlier one when this year's date lies in the
        // future (or does not exist: Feb 29).
        for back in 0..8 {
            let y = self.now_year - back;
            if let Some(t) = instant(&self.tz, self.fixed, st, y) {
                if t / NANOS_PER_SEC <= self.now_secs + FUTURE_SLACK_SECS {
                    return Some(t);
                }
            }
        }
        None
    }
}

/// The instant of `st` read in `year`: arithmetic when the offset is known (written, or
/// the zone has a single one), jiff's zone rules otherwise.
fn instant(tz: &TimeZone, fixed: Option<i64>, st: &Stamp, year: i32) -> Option<i64> {
    if st.month == 0 || st.month > 12 || st.day == 0 || st.day > days_in_month(year, st.month) {
        return None;
    }
    let local = days_from_civil(year as i64, st.month as u32, st.day as u32) * 86_400
        + st.hour as i64 * 3600
        + st.minute as i64 * 60
        + st.second as i64;
    let offset = match (st.offset, fixed) {
        (Some(o), _) => o as i64,
        (None, Some(o)) => o,
        (None, None) => {
            let dt = DateTime::new(
                year as i16,
                st.month as i8,
                st.day as i8,
                st.hour as i8,
                st.minute as i8,
                st.second.min(59) as i8,
                st.nanos as i32,
            )
            .ok()?;
            let ts = tz.to_ambiguous_timestamp(dt).compatible().ok()?;
            return i64::try_from(ts.as_nanosecond()).ok();
        }
    };
    (local - offset)
        .checked_mul(NANOS_PER_SEC)?
        .checked_add(st.nanos as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Recognises a whole text as one timestamp (see the module documentation for the
/// shapes) and returns its parts. Never allocates; `None` when the text is anything else.
pub fn scan(text: &[u8]) -> Option<Stamp> {
    let mut s = text.trim_ascii();
    if let [b'[', inner @ .., b']'] = s {
        s = inner.trim_ascii();
    }
    if let [rest @ .., b','] = s {
        s = rest.trim_ascii_end();
    }
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Some(st) = scan_iso(s) {
        return valid(&st).then_some(st);
    }
    let mut c = Cur { s, i: 0 };
    let mut st = Stamp::default();
    if s[0].is_ascii_digit() {
        digits_first(&mut c, &mut st)?;
    } else if s[0].is_ascii_alphabetic() {
        alpha_first(&mut c, &mut st)?;
    } else {
        return None;
    }
    if !c.done() {
        return None;
    }
    if st.epoch.is_none() && !valid(&st) {
        return None;
    }
    Some(st)
}

/// The hot shape at fixed offsets: `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±hh[:mm]]`, what
/// RFC 3339 and most ISO 8601 writers produce. Anything else (or any deviation) is
/// left to the general scanner, which accepts all of these too, at about twice the cost.
#[inline]
fn scan_iso(s: &[u8]) -> Option<Stamp> {
    if s.len() < 19
        || s[4] != b'-'
        || s[7] != b'-'
        || !matches!(s[10], b'T' | b't' | b' ')
        || s[13] != b':'
        || s[16] != b':'
    {
        return None;
    }
    let d = |i: usize| -> Option<u32> {
        let v = s[i].wrapping_sub(b'0');
        (v < 10).then_some(v as u32)
    };
    let d2 = |i: usize| Some(d(i)? * 10 + d(i + 1)?);
    let mut st = Stamp {
        year: (d2(0)? * 100 + d2(2)?) as i32,
        month: d2(5)? as u8,
        day: d2(8)? as u8,
        hour: d2(11)? as u8,
        minute: d2(14)? as u8,
        second: d2(17)? as u8,
        has_year: true,
        has_time: true,
        ..Stamp::default()
    };
    let mut i = 19;
    if i + 1 < s.len() && matches!(s[i], b'.' | b',') && s[i + 1].is_ascii_digit() {
        i += 1;
        let (mut v, mut n) = (0u32, 0usize);
        while i < s.len() && s[i].is_ascii_digit() {
            if n < 9 {
                v = v * 10 + (s[i] - b'0') as u32;
                n += 1;
            }
            i += 1;
        }
        st.nanos = frac_nanos(v as u64, n) as u32;
        st.has_frac = true;
    }
    match s.get(i) {
        None => {}
        Some(b'Z' | b'z') if i + 1 == s.len() => st.offset = Some(0),
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &s[i + 1..];
            let (h, m) = match rest {
                [_, _] => (d2(i + 1)?, 0),
                [_, _, b':', _, _] => (d2(i + 1)?, d2(i + 4)?),
                [_, _, _, _] => (d2(i + 1)?, d2(i + 3)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let off = (h * 3600 + m * 60) as i32;
            st.offset = Some(if sign == b'-' { -off } else { off });
        }
        _ => return None,
    }
    Some(st)
}

fn valid(st: &Stamp) -> bool {
    let y = if st.has_year { st.year } else { 2000 };
    (1..=12).contains(&st.month)
        && st.day >= 1
        && st.day <= days_in_month(y, st.month)
        && st.hour <= 23
        && st.minute <= 59
        && st.second <= 60
}

/// A cursor over the text being scanned.
struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Skips spaces; returns how many.
    fn spaces(&mut self) -> usize {
        let st = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i - st
    }
    /// A run of at most `max` digits: (value, digit count). `None` when no digit.
    fn num(&mut self, max: usize) -> Option<(u64, usize)> {
        let st = self.i;
        let mut v: u64 = 0;
        while self.i - st < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    v = v * 10 + (b - b'0') as u64;
                    self.i += 1;
                }
                _ => break,
            }
        }
        let n = self.i - st;
        (n > 0).then_some((v, n))
    }
    /// A number of 1 or 2 digits (one more digit right after it is not allowed).
    fn num12(&mut self) -> Option<u8> {
        let (v, _) = self.num(2)?;
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(v as u8)
    }
    /// Exactly two digits.
    fn num2(&mut self) -> Option<u8> {
        let (v, n) = self.num(2)?;
        (n == 2).then_some(v as u8)
    }
    /// A run of ASCII letters.
    fn word(&mut self) -> &[u8] {
        let st = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.i += 1;
        }
        &self.s[st..self.i]
    }
}

/// The month a name or abbreviation means (`Jun`, `june`, `SEPT`).
pub fn month_name(w: &[u8]) -> Option<u8> {
    const M: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    const FULL: [&[u8]; 12] = [
        b"january",
        b"february",
        b"march",
        b"april",
        b"may",
        b"june",
        b"july",
        b"august",
        b"september",
        b"october",
        b"november",
        b"december",
    ];
    if w.len() < 3 || w.len() > 9 {
        return None;
    }
    let p = [
        w[0].to_ascii_lowercase(),
        w[1].to_ascii_lowercase(),
        w[2].to_ascii_lowercase(),
    ];
    let m = M.iter().position(|m| **m == p)?;
    let ok = w.len() == 3
        || (m == 8 && w.eq_ignore_ascii_case(b"sept"))
        || w.eq_ignore_ascii_case(FULL[m]);
    ok.then_some(m as u8 + 1)
}

/// Is `w` a weekday name or abbreviation (`Sun`, `Sunday`)?
pub fn is_weekday(w: &[u8]) -> bool {
    const D: [&[u8]; 7] = [
        b"monday",
        b"tuesday",
        b"wednesday",
        b"thursday",
        b"friday",
        b"saturday",
        b"sunday",
    ];
    match w.len() {
        3 => D.iter().any(|d| w.eq_ignore_ascii_case(&d[..3])),
        6..=9 => D.iter().any(|d| w.eq_ignore_ascii_case(d)),
        _ => false,
    }
}

/// Shapes that start with a digit.
fn digits_first(c: &mut Cur, st: &mut Stamp) -> Option<()> {
    let (a, na) = c.num(19)?;
    match (na, c.peek()) {
        // Epoch seconds or milliseconds, optionally with a fraction.
        (9..=13, None) => {
            st.epoch = Some(from_epoch(a as f64)?);
            st.has_year = true;
            st.has_time = true;
            Some(())
        }
        (9..=10, Some(b'.')) => {
            c.i += 1;
            let (f, nf) = c.num(9)?;
            st.epoch = Some((a as i64).checked_mul(NANOS_PER_SEC)? + frac_nanos(f, nf));
            st.has_year = true;
            st.has_time = true;
            st.has_frac = true;
            Some(())
        }
        (4, Some(sep @ (b'-' | b'/' | b'.'))) => {
            c.i += 1;
            st.year = a as i32;
            st.has_year = true;
            st.month = c.num12()?;
            if !c.eat(sep) {
                return None;
            }
            st.day = c.num12()?;
            time_after_date(c, st, b"T -_:")
        }
        (8, _) => {
            // yyyyMMdd, then an optional time. Without separators any 8-digit id
            // could pass, so only years near ours count.
            st.year = (a / 10_000) as i32;
            if !(1970..2100).contains(&st.year) {
                return None;
            }
            st.month = (a / 100 % 100) as u8;
            st.day = (a % 100) as u8;
            st.has_year = true;
            time_after_date(c, st, b"T -_")
        }
        (14, _) => {
            // yyyyMMddHHmmss
            st.year = (a / 10_000_000_000) as i32;
            if !(1970..2100).contains(&st.year) {
                return None;
            }
            st.month = (a / 100_000_000 % 100) as u8;
            st.day = (a / 1_000_000 % 100) as u8;
            st.hour = (a / 10_000 % 100) as u8;
            st.minute = (a / 100 % 100) as u8;
            st.second = (a % 100) as u8;
            st.has_year = true;
            st.has_time = true;
            frac_and_zone(c, st)
        }
        (6, Some(b' ' | b'-' | b'_' | b'T')) => {
            // yyMMdd HHmmss
            c.i += 1;
            let (t, nt) = c.num(6)?;
            if nt != 6 {
                return None;
            }
            st.year = widen_year(a / 10_000);
            st.month = (a / 100 % 100) as u8;
            st.day = (a % 100) as u8;
            st.has_year = true;
            st.hour = (t / 10_000) as u8;
            st.minute = (t / 100 % 100) as u8;
            st.second = (t % 100) as u8;
            st.has_time = true;
            frac_and_zone(c, st)
        }
        (1..=2, Some(b'/')) => {
            c.i += 1;
            if c.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                // CLF: 28/Nov/2026:13:04:05 +0000
                st.day = a as u8;
                st.month = month_name(c.word())?;
                if !c.eat(b'/') {
                    return None;
                }
                let (y, ny) = c.num(4)?;
                if ny != 4 {
                    return None;
                }
                st.year = y as i32;
                st.has_year = true;
                return time_after_date(c, st, b": ");
            }
            let b = c.num12()?;
            if !c.eat(b'/') {
                return None;
            }
            // 11/28/2026 (US), or 28/11/2026 when the first number cannot be a month.
            let (y, ny) = c.num(4)?;
            set_numeric_date(st, a, b, y, ny, false)?;
            time_after_date(c, st, b" T:-_")
        }
        (1..=2, Some(sep @ (b'-' | b'.'))) => {
            c.i += 1;
            let b = c.num12()?;
            if c.eat(sep) {
                // 28.11.2026 / 28-11-2026 (day first, as Europe writes it), or
                // month first when the second number cannot be a month.
                let (y, ny) = c.num(4)?;
                set_numeric_date(st, a, b, y, ny, true)?;
                return time_after_date(c, st, b" T:-_");
            }
            // No year: 03-17 16:13:38.811, 10.30 16:49:06 — a time must follow, or
            // anything like `1.5` would pass for a date.
            (st.month, st.day) = if a <= 12 { (a as u8, b) } else { (b, a as u8) };
            if !matches!(c.peek(), Some(b' ' | b'T' | b'-' | b'_')) {
                return None;
            }
            time_after_date(c, st, b" T-_")?;
            st.has_time.then_some(())
        }
        (1..=2, Some(b' ')) => {
            // 28 Nov 2026 13:04:05 +0000
            c.spaces();
            st.day = a as u8;
            st.month = month_name(c.word())?;
            day_month_year_time(c, st)
        }
        _ => None,
    }
}

/// After `28 Nov`: the year, then the time.
fn day_month_year_time(c: &mut Cur, st: &mut Stamp) -> Option<()> {
    if c.spaces() == 0 && !c.eat(b'-') {
        return None;
    }
    let (y, ny) = c.num(4)?;
    st.year = match ny {
        4 => y as i32,
        2 => widen_year(y),
        _ => return None,
    };
    st.has_year = true;
    time_after_date(c, st, b" :")
}

/// Shapes that start with a letter: syslog, ctime, RFC 2822.
fn alpha_first(c: &mut Cur, st: &mut Stamp) -> Option<()> {
    let mut w = c.word();
    if is_weekday(w) {
        c.eat(b',');
        c.spaces();
        if c.peek().is_some_and(|b| b.is_ascii_digit()) {
            // RFC 2822: Sat, 28 Nov 2026 13:04:05 +0000
            st.day = c.num12()?;
            c.spaces();
            st.month = month_name(c.word())?;
            return day_month_year_time(c, st);
        }
        w = c.word();
    }
    st.month = month_name(w)?;
    if c.spaces() == 0 && !c.eat(b'-') {
        return None;
    }
    st.day = c.num12()?;
    c.eat(b',');
    if c.spaces() == 0 {
        return None;
    }
    // `Jun 14 2005 15:16:01`
    if c.peek_at(4) == Some(b' ') && c.peek_at(3).is_some_and(|b| b.is_ascii_digit()) {
        let (y, _) = c.num(4)?;
        st.year = y as i32;
        st.has_year = true;
        c.spaces();
    }
    time(c, st)?;
    frac_and_zone(c, st)?;
    // ctime puts the year last: Sun Dec 04 04:47:44 2005
    if !st.has_year {
        let save = c.i;
        if c.spaces() > 0 {
            match c.num(4) {
                Some((y, 4)) => {
                    st.year = y as i32;
                    st.has_year = true;
                    zone(c, st);
                }
                _ => c.i = save,
            }
        }
    }
    Some(())
}

/// After a date: the end, or one of `seps` (several spaces count as one) and a time.
fn time_after_date(c: &mut Cur, st: &mut Stamp, seps: &[u8]) -> Option<()> {
    let Some(b) = c.peek() else {
        return Some(());
    };
    if !seps.contains(&b) {
        return None;
    }
    if b == b' ' {
        c.spaces();
    } else {
        c.i += 1;
    }
    time(c, st)?;
    frac_and_zone(c, st)
}

/// `HH:mm:ss` (or `.` between the parts, or compact `HHmmss`; seconds optional after `:`).
fn time(c: &mut Cur, st: &mut Stamp) -> Option<()> {
    let (h, nh) = c.num(6)?;
    match nh {
        6 => {
            st.hour = (h / 10_000) as u8;
            st.minute = (h / 100 % 100) as u8;
            st.second = (h % 100) as u8;
        }
        1..=2 => {
            st.hour = h as u8;
            let sep = c.peek()?;
            if sep != b':' && sep != b'.' {
                return None;
            }
            c.i += 1;
            // Some loggers do not pad (`22:32:0:95`).
            st.minute = c.num12()?;
            if c.peek() == Some(sep) && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
                c.i += 1;
                st.second = c.num12()?;
            } else if sep == b'.' {
                return None;
            }
        }
        _ => return None,
    }
    st.has_time = true;
    Some(())
}

/// An optional fraction of a second, then an optional zone and AM/PM.
fn frac_and_zone(c: &mut Cur, st: &mut Stamp) -> Option<()> {
    let sep = c.peek();
    if matches!(sep, Some(b'.' | b',' | b':')) && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.i += 1;
        let (f, nf) = c.num(9)?;
        // Digits past nanoseconds are dropped.
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            c.i += 1;
        }
        st.nanos = if sep == Some(b':') && nf <= 3 {
            // `HH:mm:ss:SSS` counts milliseconds, unpadded by some loggers
            // (`22:25:13:8` is 8 ms).
            f as u32 * 1_000_000
        } else {
            frac_nanos(f, nf) as u32
        };
        st.has_frac = true;
    }
    zone(c, st);
    Some(())
}

/// An optional zone (`Z`, `+01:00`, `+0100`, `UTC`, `GMT+1`) and AM/PM; nothing is
/// consumed when what follows is neither.
fn zone(c: &mut Cur, st: &mut Stamp) {
    let save = c.i;
    c.spaces();
    let at = c.i;
    let w = c.word();
    if w.eq_ignore_ascii_case(b"am") || w.eq_ignore_ascii_case(b"pm") {
        if st.hour == 0 || st.hour > 12 {
            c.i = save;
            return;
        }
        st.hour = st.hour % 12
            + if w[0].eq_ignore_ascii_case(&b'p') {
                12
            } else {
                0
            };
        return zone(c, st);
    }
    match w {
        b"Z" | b"z" | b"UTC" | b"GMT" | b"utc" | b"gmt" => {
            st.offset = Some(0);
            let after = c.i;
            if !numeric_offset(c, st) {
                c.i = after;
            }
        }
        b"" => {
            c.i = at;
            if !numeric_offset(c, st) {
                c.i = save;
            }
        }
        _ => c.i = save,
    }
}

/// `+01:00`, `+0100`, `+01`, `-05:30`.
fn numeric_offset(c: &mut Cur, st: &mut Stamp) -> bool {
    let sign = match c.peek() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return false,
    };
    c.i += 1;
    let Some((v, n)) = c.num(4) else {
        return false;
    };
    let (h, m) = match n {
        2 => {
            if c.eat(b':') {
                match c.num2() {
                    Some(m) => (v as i32, m as i32),
                    None => return false,
                }
            } else {
                (v as i32, 0)
            }
        }
        4 => ((v / 100) as i32, (v % 100) as i32),
        _ => return false,
    };
    if h > 23 || m > 59 {
        return false;
    }
    st.offset = Some(sign * (h * 3600 + m * 60));
    true
}

fn frac_nanos(f: u64, digits: usize) -> i64 {
    let mut v = f as i64;
    for _ in digits..9 {
        v *= 10;
    }
    v
}

/// A date of three numbers `a SEP b SEP y` (`ny` digits in `y`). With a 4-digit year,
/// `a` and `b` are day and month (`day_first`) or month and day, swapped when the one
/// taken for the month cannot be one. With a 2-digit last number the order is yy/MM/dd,
/// as log4j's `%d{yy/MM/dd}` writes it.
fn set_numeric_date(
    st: &mut Stamp,
    a: u64,
    b: u8,
    y: u64,
    ny: usize,
    day_first: bool,
) -> Option<()> {
    match ny {
        4 => {
            st.year = y as i32;
            let (month, day) = match (day_first, a <= 12, b <= 12) {
                (false, true, _) | (true, _, false) => (a as u8, b),
                _ => (b, a as u8),
            };
            (st.month, st.day) = (month, day);
        }
        2 => {
            st.year = widen_year(a);
            st.month = b;
            st.day = y as u8;
        }
        _ => return None,
    }
    st.has_year = true;
    Some(())
}

fn widen_year(yy: u64) -> i32 {
    if yy < 70 {
        2000 + yy as i32
    } else {
        1900 + yy as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TimeCtx {
        TimeCtx {
            tz: TimeZone::UTC,
            now: "2026-05-10T12:00:00Z".parse().unwrap(),
        }
    }

    fn rfc(text: &str) -> String {
        let t = parse_timestamp(text.as_bytes(), &ctx()).unwrap_or_else(|| panic!("{text}"));
        Timestamp::from_nanosecond(t as i128).unwrap().to_string()
    }

    #[test]
    fn basics() {
        let ctx = TimeCtx::default();
        let t = parse_timestamp(b"2026-11-28T13:04:05.123Z", &ctx).unwrap();
        assert_eq!(format_rfc3339(t), "2026-11-28T13:04:05.123Z");
        let t2 = parse_timestamp(b"2026-11-28 13:04:05.123", &ctx).unwrap();
        assert_eq!(t, t2);
        assert_eq!(from_epoch(1_764_335_045.0), Some(1_764_335_045_000_000_000));
        assert_eq!(
            from_epoch(1_764_335_045_123.0),
            Some(1_764_335_045_123_000_000)
        );
        assert!(parse_timestamp(b"hello", &ctx).is_none());
    }

    #[test]
    fn shapes() {
        for (text, want) in [
            ("2026-11-28T13:04:05.123Z", "2026-11-28T13:04:05.123Z"),
            ("2026-11-28T13:04:05+01:00", "2026-11-28T12:04:05Z"),
            (
                "2026-11-28 13:04:05.123456789 +0100",
                "2026-11-28T12:04:05.123456789Z",
            ),
            ("2026-11-28T13:04Z", "2026-11-28T13:04:00Z"),
            ("2015-10-18 18:01:47,978", "2015-10-18T18:01:47.978Z"),
            ("2016-09-28 04:30:30,", "2016-09-28T04:30:30Z"),
            ("2005-06-03-15.42.50.675872", "2005-06-03T15:42:50.675872Z"),
            ("2005.06.03", "2005-06-03T00:00:00Z"),
            ("2016/9/27:20:30:31.455", "2016-09-27T20:30:31.455Z"),
            ("081109 203615", "2008-11-09T20:36:15Z"),
            ("20171223-22:15:29:606", "2017-12-23T22:15:29.606Z"),
            ("20171223-22:32:0:95", "2017-12-23T22:32:00.095Z"),
            ("20261128T130405Z", "2026-11-28T13:04:05Z"),
            ("17/06/09 20:10:40", "2017-06-09T20:10:40Z"),
            ("11/28/2026 01:04:05 PM", "2026-11-28T13:04:05Z"),
            ("28.11.2026 13:04", "2026-11-28T13:04:00Z"),
            ("[Sun Dec 04 04:47:44 2005]", "2005-12-04T04:47:44Z"),
            ("Sat, 28 Nov 2026 13:04:05 +0000", "2026-11-28T13:04:05Z"),
            ("28/Nov/2026:13:04:05 -0500", "2026-11-28T18:04:05Z"),
            ("Jun 14 2005 15:16:01", "2005-06-14T15:16:01Z"),
            ("1117838570", "2005-06-03T22:42:50Z"),
            ("1764335045.5", "2025-11-28T13:04:05.5Z"),
            ("1764335045123", "2025-11-28T13:04:05.123Z"),
            // No year: the year of "now" (2026-05-10), or the one before when that
            // would be in the future.
            ("03-17 16:13:38.811", "2026-03-17T16:13:38.811Z"),
            ("[10.30 16:49:06]", "2025-10-30T16:49:06Z"),
            ("Jun 14 15:16:01", "2025-06-14T15:16:01Z"),
            ("May 12 15:16:01", "2026-05-12T15:16:01Z"),
            ("Jul  1 09:00:55", "2025-07-01T09:00:55Z"),
            ("Dec 31 23:59:59", "2025-12-31T23:59:59Z"),
        ] {
            assert_eq!(rfc(text), want, "{text}");
        }
    }

    #[test]
    fn dec_to_jan() {
        let ctx = TimeCtx {
            tz: TimeZone::UTC,
            now: "2027-01-02T00:10:00Z".parse().unwrap(),
        };
        let dec = parse_timestamp(b"Dec 31 23:59:59", &ctx).unwrap();
        let jan = parse_timestamp(b"Jan  1 00:00:01", &ctx).unwrap();
        assert_eq!(format_rfc3339(dec), "2026-12-31T23:59:59.000Z");
        assert_eq!(format_rfc3339(jan), "2027-01-01T00:00:01.000Z");
    }

    #[test]
    fn zones() {
        let ctx = TimeCtx {
            tz: TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::fixed(jiff::tz::offset(1))),
            now: "2026-05-10T12:00:00Z".parse().unwrap(),
        };
        let t = parse_timestamp(b"2026-11-28 13:04:05", &ctx).unwrap();
        assert_eq!(format_rfc3339(t), "2026-11-28T12:04:05.000Z");
        // A written offset wins over the context's zone.
        let t = parse_timestamp(b"2026-11-28 13:04:05Z", &ctx).unwrap();
        assert_eq!(format_rfc3339(t), "2026-11-28T13:04:05.000Z");
        let fixed = TimeCtx {
            tz: TimeZone::fixed(jiff::tz::offset(-5)),
            now: ctx.now,
        };
        let t = parse_timestamp(b"2026-11-28 13:04:05", &fixed).unwrap();
        assert_eq!(format_rfc3339(t), "2026-11-28T18:04:05.000Z");
    }

    #[test]
    fn rejects() {
        for text in [
            "",
            "1.5",
            "148",
            "25746",
            "10.11.10.1",
            "13:04:05",
            "2026-13-01",
            "2026-02-30",
            "Jun",
            "Sunday",
            "2026-11-28T25:00:00",
            "abc 12",
            "03-17",
            "1-2-3-4",
            "2026-11-28 13:04:05 extra",
        ] {
            assert!(scan(text.as_bytes()).is_none(), "{text:?}");
        }
        assert!(parse_timestamp(b"2026-11-28 13:04:05 extra", &ctx()).is_none());
    }

    #[test]
    fn precision_orders_candidates() {
        let p = |s: &str| scan(s.as_bytes()).unwrap().precision();
        assert!(p("2005-06-03-15.42.50.675872") > p("1117838570"));
        assert!(p("1117838570") > p("Jun 14 15:16:01"));
        assert!(p("2015-10-18 18:01:47") > p("2015-10-18"));
    }
}
