//! Timestamps: recognising and converting the shapes logs use, to Unix nanoseconds UTC.
//!
//! jiff does the calendar and zone work; hand-written fast paths cover the hot shapes
//! (RFC 3339 / ISO 8601 with `T` or a space) where a benchmark shows they matter.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

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
pub fn parse_timestamp(text: &[u8], ctx: &TimeCtx) -> Option<i64> {
    let s = std::str::from_utf8(text).ok()?.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts.as_nanosecond() as i64);
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return dt.to_zoned(ctx.tz.clone()).ok().map(|z| z.timestamp().as_nanosecond() as i64);
    }
    None
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
        assert_eq!(from_epoch(1_764_335_045_123.0), Some(1_764_335_045_123_000_000));
        assert!(parse_timestamp(b"hello", &ctx).is_none());
    }
}
