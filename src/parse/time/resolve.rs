//! From a timestamp's parts to an instant: the context a log is read in ([`TimeCtx`]:
//! the zone for texts without one, and "now" for texts without a year), the prepared
//! [`TimeResolver`] the hot path uses, epoch numbers, and the calendar arithmetic
//! that keeps fixed offsets free of jiff calls.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::{NANOS_PER_SEC, Stamp, scan};

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
pub(super) fn instant(tz: &TimeZone, fixed: Option<i64>, st: &Stamp, year: i32) -> Option<i64> {
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

pub(super) fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{format_rfc3339, parse_timestamp};
    use super::*;

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
}
