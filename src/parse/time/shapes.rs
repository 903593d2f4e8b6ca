//! The general recogniser: every shape of the table in the module documentation,
//! read by a small cursor in one pass (the LogHub and legacy shapes: syslog and ctime,
//! compact and two-digit-year dates, day- or month-first dates, RFC 2822, CLF, epoch
//! numbers). Slower than the fast path (`iso.rs`), and only reached when it fails.

use super::{NANOS_PER_SEC, Stamp, frac_nanos, from_epoch, valid};

/// The parts of `s` (trimmed, non-empty, at most 64 bytes) when the whole of it is one
/// timestamp of a known shape.
pub(super) fn scan_general(s: &[u8]) -> Option<Stamp> {
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
#[path = "shapes_tests.rs"]
mod tests;
