//! The fast path: RFC 3339 and the ISO 8601 shape most writers produce, read at fixed
//! offsets. The general recogniser (`shapes.rs`) reads the same parts from these texts
//! (all but a lowercase `t` before the time, which RFC 3339 allows and only this path
//! takes); this one is here because nearly every line of a modern log carries them.

use super::{Stamp, iso_fraction};

/// The hot shape at fixed offsets: `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±hh[:mm]]`, what
/// RFC 3339 and most ISO 8601 writers produce. Anything else (or any deviation) is
/// left to the general scanner, which accepts all of these too, at about twice the cost.
#[inline]
pub(super) fn scan_iso(s: &[u8]) -> Option<Stamp> {
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
    let (nanos, i) = iso_fraction(s, 19);
    if i > 19 {
        st.nanos = nanos as u32;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_general_recogniser() {
        for text in [
            "2026-11-28T13:04:05Z",
            "2026-11-28T13:04:05.123Z",
            "2026-11-28 13:04:05,978",
            "2026-11-28 13:04:05.123456789+01:00",
            "2026-11-28T13:04:05-0530",
            "2026-11-28T13:04:05+01",
        ] {
            let fast = scan_iso(text.as_bytes()).unwrap_or_else(|| panic!("{text}"));
            let general = super::super::shapes::scan_general(text.as_bytes());
            assert_eq!(Some(fast), general, "{text}");
        }
        assert!(scan_iso(b"2026-11-28t13:04:05Z").is_some());
        for text in [
            "2026-11-28T13:04",
            "2026-11-28T13:04:05 UTC",
            "2026-11-28T13:04:05.Z",
        ] {
            assert_eq!(scan_iso(text.as_bytes()), None, "{text}");
        }
    }
}
