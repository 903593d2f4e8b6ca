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
//!
//! The files, by what they own:
//!
//! - this one: the entry points ([`scan`], [`parse_timestamp`], [`format_rfc3339`]) and
//!   [`Stamp`], the parts of a timestamp as written;
//! - `iso.rs`: the RFC 3339 fast path, the shape most lines carry;
//! - `shapes.rs`: the general recogniser for every other shape (the LogHub and legacy
//!   ones), with month and weekday names;
//! - `resolve.rs`: from parts to an instant — [`TimeCtx`], [`TimeResolver`], zones,
//!   year-less dates, epoch numbers ([`from_epoch`]) and calendar arithmetic.

mod iso;
mod resolve;
mod shapes;

use jiff::Timestamp;

pub use resolve::{FUTURE_SLACK_SECS, TimeCtx, TimeResolver, from_epoch};
pub use shapes::{is_weekday, month_name};

use resolve::{days_in_month, instant};

const NANOS_PER_SEC: i64 = 1_000_000_000;

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
    if let Some(st) = iso::scan_iso(s) {
        return valid(&st).then_some(st);
    }
    shapes::scan_general(s)
}

/// Are the civil parts of `st` a real date and time of day?
fn valid(st: &Stamp) -> bool {
    let y = if st.has_year { st.year } else { 2000 };
    (1..=12).contains(&st.month)
        && st.day >= 1
        && st.day <= days_in_month(y, st.month)
        && st.hour <= 23
        && st.minute <= 59
        && st.second <= 60
}

/// A fraction of a second written with `digits` digits, in nanoseconds.
/// The ISO fraction at byte `i` of `s` (`.123` or `,123`; digits past the ninth are
/// read and dropped): its nanoseconds and where it ends, or `(0, i)` when there is
/// none.
#[inline(always)]
pub(super) fn iso_fraction(s: &[u8], mut i: usize) -> (i64, usize) {
    if i + 1 >= s.len() || !matches!(s[i], b'.' | b',') || !s[i + 1].is_ascii_digit() {
        return (0, i);
    }
    i += 1;
    let (mut v, mut n) = (0u64, 0usize);
    while i < s.len() && s[i].is_ascii_digit() {
        if n < 9 {
            v = v * 10 + (s[i] - b'0') as u64;
            n += 1;
        }
        i += 1;
    }
    (frac_nanos(v, n), i)
}

pub(super) fn frac_nanos(f: u64, digits: usize) -> i64 {
    let mut v = f as i64;
    for _ in digits..9 {
        v *= 10;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn precision_orders_candidates() {
        let p = |s: &str| scan(s.as_bytes()).unwrap().precision();
        assert!(p("2005-06-03-15.42.50.675872") > p("1117838570"));
        assert!(p("1117838570") > p("Jun 14 15:16:01"));
        assert!(p("2015-10-18 18:01:47") > p("2015-10-18"));
    }
}
