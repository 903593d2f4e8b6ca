//! From a timestamp's parts to an instant: the context a log is read in ([`TimeCtx`]:
//! the zone for texts without one, and "now" for texts without a year), the prepared
//! [`TimeResolver`] the hot path uses, epoch numbers, and the calendar arithmetic
//! that keeps fixed offsets free of jiff calls.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{NANOS_PER_SEC, Stamp, iso, iso_fraction, scan};

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
    /// Tells this resolver's entries in the per-thread [`MINUTE`] memo from others'.
    id: u64,
}

/// Ids for [`TimeResolver`]s (0 marks an empty memo).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The last ISO timestamp's minute, per thread: consecutive log lines mostly share
/// date, hour, minute and zone, so the next one only needs its seconds read. Measured
/// with callgrind on `count -j1 --by level --every 1m` over 64 MiB of generated plain
/// log (407,055 records): 687 M instructions before, 540 M after (timestamps from
/// ~580 to ~220 per record), the same output.
#[derive(Clone, Copy)]
struct MinuteMemo {
    id: u64,
    /// `YYYY-MM-DDTHH:MM` as written.
    prefix: [u8; 16],
    /// What follows the seconds and fraction (`Z`, `+01:00`, nothing), ≤ 8 bytes.
    suffix: [u8; 8],
    suffix_len: u8,
    /// The instant of second 0 of that minute, Unix ns.
    base: i64,
}

/// Entries of the per-thread memo: one per layout of a minute and zone (a slot per
/// zone suffix length and date-time separator), so that records of a few producers
/// with different zone suffixes (`Z`, `+01:00`) interleaved in one input each keep
/// theirs. With one entry, the generator's JSON log (four layouts) missed on most
/// records: ~690 instructions a string timestamp instead of ~200.
const SLOTS: usize = 4;

const EMPTY: MinuteMemo = MinuteMemo {
    id: 0,
    prefix: [0; 16],
    suffix: [0; 8],
    suffix_len: 0,
    base: 0,
};

thread_local! {
    static MINUTE: [Cell<MinuteMemo>; SLOTS] = const { [const { Cell::new(EMPTY) }; SLOTS] };
}

/// The memo slot of a text of this layout: its suffix length and its byte 10 (`T` or
/// a space).
#[inline(always)]
fn slot(text: &[u8], suffix_len: usize) -> usize {
    (suffix_len + usize::from(text[10])) % SLOTS
}

/// Are the first 16 bytes of `text` (≥ 16 long) `p`? Two word compares, where `==`
/// on slices calls memcmp (1% of `report`'s time in a profile).
#[inline(always)]
fn same16(text: &[u8], p: &[u8; 16]) -> bool {
    let w = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
    w(&text[..8]) == w(&p[..8]) && w(&text[8..16]) == w(&p[8..])
}

/// Is `text[i..]` (≤ 8 bytes, else false; `text` at least 8 long) `suffix` with
/// zero bytes after it? Read as the last 8 bytes of `text`, shifted: no copy, whose
/// call and length-dependent branches cost more than the compare.
#[inline(always)]
fn short_eq(text: &[u8], i: usize, suffix: &[u8; 8]) -> bool {
    let n = text.len() - i;
    if n > 8 || text.len() < 8 {
        return false;
    }
    let last = u64::from_le_bytes(text[text.len() - 8..].try_into().expect("8 bytes"));
    let rest = last.checked_shr(8 * (8 - n) as u32).unwrap_or(0);
    rest == u64::from_le_bytes(*suffix)
}

/// Seconds, nanoseconds and where the zone suffix starts, of an ISO text whose
/// minute ends at byte 16 (`…THH:MM:SS[.frac]…`); `None` unless it has that layout.
#[inline]
fn seconds_part(s: &[u8]) -> Option<(i64, i64, usize)> {
    if s.len() < 19 || s[16] != b':' {
        return None;
    }
    let (a, b) = (s[17].wrapping_sub(b'0'), s[18].wrapping_sub(b'0'));
    if a > 9 || b > 9 {
        return None;
    }
    let sec = (a * 10 + b) as i64;
    let (nanos, i) = iso_fraction(s, 19);
    Some((sec, nanos, i))
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
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Parses a timestamp in any supported shape: [`scan`] first, jiff's parsers after.
    pub fn parse(&self, text: &[u8]) -> Option<i64> {
        if let Some(ns) = self.parse_memo(text) {
            return Some(ns);
        }
        if let Some(st) = scan(text) {
            let ns = self.resolve(&st)?;
            self.remember(text, ns);
            return Some(ns);
        }
        self.parse_slow(text)
    }

    /// The memo's answer for `text`: same resolver, same 16-byte minute prefix, same
    /// zone suffix, valid seconds. Gives exactly what the full parse would: within
    /// those bytes only the seconds and fraction differ, and a zone's offset does not
    /// change inside a minute.
    #[inline]
    fn parse_memo(&self, text: &[u8]) -> Option<i64> {
        if text.len() < 19 {
            return None;
        }
        let (sec, nanos, i) = seconds_part(text)?;
        let m = MINUTE.with(|c| c[slot(text, text.len() - i)].get());
        if m.id != self.id || !same16(text, &m.prefix) {
            return None;
        }
        // A leap second (`:60`) is read as `:59` by the full parse: not here.
        if sec > 59 || text.len() - i != m.suffix_len as usize || !short_eq(text, i, &m.suffix) {
            return None;
        }
        Some(m.base + sec * NANOS_PER_SEC + nanos)
    }

    /// Remembers the minute of `text` (parsed to `ns`) when it has the ISO fast
    /// path's exact layout, with nothing around it.
    fn remember(&self, text: &[u8], ns: i64) {
        let Some((sec, nanos, i)) = seconds_part(text) else {
            return;
        };
        let suffix = &text[i..];
        // A leap second's instant is second 59's: no base for its minute to learn.
        if sec > 59
            || suffix.len() > 8
            || !text[0].is_ascii_digit()
            || iso::scan_iso(text).is_none()
        {
            return;
        }
        let mut m = MinuteMemo {
            id: self.id,
            prefix: [0; 16],
            suffix: [0; 8],
            suffix_len: suffix.len() as u8,
            base: ns - sec * NANOS_PER_SEC - nanos,
        };
        m.prefix.copy_from_slice(&text[..16]);
        m.suffix[..suffix.len()].copy_from_slice(suffix);
        MINUTE.with(|c| c[slot(text, suffix.len())].set(m));
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

    /// The full parse, without the memo.
    fn unmemoised(r: &TimeResolver, text: &[u8]) -> Option<i64> {
        match scan(text) {
            Some(st) => r.resolve(&st),
            None => r.parse_slow(text),
        }
    }

    proptest::proptest! {
        /// Whatever the order of texts and resolvers, the memo gives what a full parse
        /// gives.
        #[test]
        fn memo_agrees_with_the_full_parse(
            picks in proptest::collection::vec((0usize..2, 0usize..4, 0usize..3, 0u8..63, 0usize..4, 0usize..5), 1..40)
        ) {
            let berlin = TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::fixed(jiff::tz::offset(1)));
            let resolvers = [
                TimeResolver::new(&TimeCtx::default()),
                TimeResolver::new(&TimeCtx { tz: berlin, now: Timestamp::now() }),
            ];
            let minutes = ["2026-11-28T13:04", "2026-11-28 13:04", "2026-03-29T02:30", "2026-10-25T02:59"];
            let lead = ["", " ", "["];
            let fracs = ["", ".5", ".123456789123", ","];
            let zones = ["", "Z", "+01:00", "-0530", " UTC"];
            for (ri, mi, li, sec, fi, zi) in picks {
                let text = format!("{}{}:{sec:02}{}{}", lead[li], minutes[mi], fracs[fi], zones[zi]);
                let r = &resolvers[ri];
                proptest::prop_assert_eq!(r.parse(text.as_bytes()), unmemoised(r, text.as_bytes()), "{}", text);
            }
        }
    }

    #[test]
    fn memo_is_used_for_the_same_minute() {
        let r = TimeResolver::new(&TimeCtx::default());
        let a = r.parse(b"2026-11-28T13:04:05.123Z").unwrap();
        assert!(r.parse_memo(b"2026-11-28T13:04:59.9Z").is_some());
        assert_eq!(
            r.parse(b"2026-11-28T13:04:06.123Z"),
            Some(a + NANOS_PER_SEC)
        );
        assert_eq!(r.parse_memo(b"2026-11-28T13:04:61Z"), None);
        // A leap second is the full parse's business (it reads `:60` as `:59`).
        assert_eq!(r.parse_memo(b"2026-11-28T13:04:60Z"), None);
        assert_eq!(
            r.parse(b"2026-11-28T13:04:60Z"),
            unmemoised(&r, b"2026-11-28T13:04:60Z")
        );
        // Two zone layouts interleaved keep a memo entry each.
        let r = TimeResolver::new(&TimeCtx::default());
        r.parse(b"2026-11-28T13:04:05.123Z");
        r.parse(b"2026-11-28T13:04:05.123+01:00");
        assert!(r.parse_memo(b"2026-11-28T13:04:07.5Z").is_some());
        assert!(r.parse_memo(b"2026-11-28T13:04:07.5+01:00").is_some());
        assert_eq!(
            r.parse(b"2026-11-28T13:04:07.5+01:00"),
            unmemoised(&r, b"2026-11-28T13:04:07.5+01:00")
        );
        // Nor does a leap second teach the memo its minute.
        let r = TimeResolver::new(&TimeCtx::default());
        r.parse(b"2026-11-28T13:05:60Z");
        assert_eq!(r.parse_memo(b"2026-11-28T13:05:00Z"), None);
        assert_eq!(r.parse(b"2026-11-28T13:04:61Z"), None);
        assert_eq!(
            r.parse_memo(b"2026-11-28T13:04:05+01:00"),
            None,
            "another zone"
        );
        let other = TimeResolver::new(&TimeCtx::default());
        assert_eq!(
            other.parse_memo(b"2026-11-28T13:04:05.123Z"),
            None,
            "another resolver"
        );
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
}
