//! Small formatting helpers shared by the formats people read (terminal, Markdown,
//! HTML): grouped numbers, percentages, short times and durations, sparklines, and
//! the one place where text from logs is made safe to show.

use crate::grep::print::write_escaped;
use crate::parse::Level;
use crate::parse::time::format_rfc3339;

use super::model::{Bucket, Levels, Report, Spike};
use super::{Cell, format_float};

/// Text from logs with control characters shown as `\xNN` (the grep printer's rule),
/// so that no escape sequence, newline or NUL reaches the reader's terminal or file.
/// Tabs are kept; see [`clean`] for layouts where a tab would break alignment.
pub fn escape_controls(s: &str) -> String {
    if !s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
        return s.to_string();
    }
    let mut v = Vec::with_capacity(s.len() + 8);
    // Writing to a Vec cannot fail.
    let _ = write_escaped(&mut v, s.as_bytes());
    // write_escaped only replaces whole characters with ASCII, so the result is UTF-8.
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`escape_controls`], and tabs as spaces: for cells of aligned tables.
pub fn clean(s: &str) -> String {
    escape_controls(s).replace('\t', " ")
}

/// `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fraction as a percentage: `0.0948` → `9.5%`; a non-zero share too small to show
/// as `<0.1%`, so that "some" never reads as "none".
pub fn percent(f: f64) -> String {
    let p = f * 100.0;
    if !p.is_finite() {
        "-".to_string()
    } else if p > 0.0 && p < 0.05 {
        "<0.1%".to_string()
    } else {
        format!("{p:.1}%")
    }
}

/// A byte count in binary units: `512 B`, `4.5 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// RFC 3339 UTC, without the milliseconds when they are zero (`2026-11-28T13:00:02Z`):
/// for headers, where the width matters more than the precision.
pub fn time(t: i64) -> String {
    let s = format_rfc3339(t);
    match s.strip_suffix(".000Z") {
        Some(head) => format!("{head}Z"),
        None => s,
    }
}

/// `first → last (span)`, or `no timestamps`.
pub fn span(r: &Report) -> String {
    match (r.time.first.0, r.time.last.0) {
        (Some(a), Some(b)) => format!(
            "{} → {} ({})",
            time(a),
            time(b),
            duration(b.saturating_sub(a) / 1_000_000_000)
        ),
        _ => "no timestamps".to_string(),
    }
}

/// An expected (baseline) count: one decimal.
pub fn expected(f: f64) -> String {
    if f.is_finite() {
        format!("{f:.1}")
    } else {
        "-".to_string()
    }
}

/// A spike's count / expected: `×63.3`, `×250`.
pub fn ratio(f: f64) -> String {
    if !f.is_finite() {
        "-".to_string()
    } else if f >= 100.0 {
        format!("×{f:.0}")
    } else {
        format!("×{f:.1}")
    }
}

/// A cell as people read it: integers grouped, floats rounded, times RFC 3339,
/// text with controls escaped, null as `-`. Columns holding fractions (`share`,
/// `error_rate`) are shown as percentages, `bytes` in binary units.
pub fn cell_text(column: &str, c: &Cell) -> String {
    match c {
        Cell::Null => "-".to_string(),
        Cell::Int(n) if column == "bytes" => bytes(*n),
        Cell::Int(n) => group(*n),
        Cell::Float(f) if column == "share" || column.ends_with("rate") => percent(*f),
        Cell::Float(f) => format_float(*f),
        Cell::Text(s) => clean(s),
        Cell::Time(t) => format_rfc3339(*t),
    }
}

/// Is this column right-aligned (a number)?
pub fn is_numeric(c: &Cell) -> bool {
    matches!(c, Cell::Int(_) | Cell::Float(_))
}

/// `warn 20 · error 480`: the non-zero levels, in level order.
pub fn levels_compact(l: &Levels) -> String {
    let parts: Vec<String> = Level::ALL
        .iter()
        .filter(|&&lv| l.get(lv) > 0)
        .map(|&lv| format!("{} {}", lv.name(), group(l.get(lv))))
        .collect();
    parts.join(" · ")
}

/// The levels that say "how bad", most severe first, when non-zero: error, fatal,
/// warn with their counts.
pub fn severe(l: &Levels) -> Vec<(Level, u64)> {
    [Level::Error, Level::Fatal, Level::Warn]
        .into_iter()
        .map(|lv| (lv, l.get(lv)))
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// A duration in seconds as `45s`, `3m`, `1h 5m`, `2d 3h`.
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (sec, "s")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .take(2)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if parts.is_empty() {
        "0s".to_string()
    } else {
        parts.join(" ")
    }
}

/// How to write times on an axis or beside a spike: `13:41` when the whole report
/// lies within one UTC day (seconds shown when buckets are shorter than a minute),
/// `11-28 13:41` when it spans days.
#[derive(Clone, Copy, Debug)]
pub struct TimeStyle {
    multi_day: bool,
    seconds: bool,
}

impl TimeStyle {
    pub fn for_report(r: &Report) -> TimeStyle {
        let day = |t: Option<i64>| t.map(|t| format_rfc3339(t).get(..10).map(str::to_string));
        let multi_day = match (day(r.time.first.0), day(r.time.last.0)) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        };
        TimeStyle {
            multi_day,
            seconds: r.time.bucket_seconds < 60,
        }
    }

    pub fn show(self, t: i64) -> String {
        let s = format_rfc3339(t);
        // `YYYY-MM-DDTHH:MM:SS.mmmZ`; anything else (out of range) is shown whole.
        if s.len() < 19 {
            return s;
        }
        let clock = if self.seconds { &s[11..19] } else { &s[11..16] };
        if self.multi_day {
            format!("{} {clock}", &s[5..10])
        } else {
            clock.to_string()
        }
    }
}

/// A spike's window: `13:41 → 13:44 (3m)`.
pub fn spike_window(s: &Spike, ts: TimeStyle) -> String {
    match (s.start.0, s.end.0) {
        (Some(a), Some(b)) => format!(
            "{} → {} ({})",
            ts.show(a),
            ts.show(b),
            duration(b.saturating_sub(a) / 1_000_000_000)
        ),
        _ => "-".to_string(),
    }
}

/// ` (×36.0)`: a spike's errors over its expected count; empty when none expected.
pub fn spike_ratio(s: &Spike) -> String {
    if s.expected > 0.0 {
        format!(" ({})", ratio(s.errors as f64 / s.expected))
    } else {
        String::new()
    }
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One sparkline character per value, scaled to `max`: zero is a space (so "none"
/// and "a few" look different), anything above zero at least `▁`.
pub fn sparkline(values: &[u64], max: u64) -> String {
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                ' '
            } else {
                let i = (v.saturating_mul(8)).div_ceil(max).clamp(1, 8);
                BARS[i as usize - 1]
            }
        })
        .collect()
}

/// The histogram folded to at most `width` columns: consecutive buckets are summed
/// in groups of equal size. Returns the groups' records, errors and start times.
pub struct Folded {
    pub records: Vec<u64>,
    pub errors: Vec<u64>,
    pub starts: Vec<i64>,
    /// Buckets per column.
    pub per: usize,
}

pub fn fold(h: &[Bucket], width: usize) -> Folded {
    let per = h.len().div_ceil(width.max(1)).max(1);
    let mut f = Folded {
        records: Vec::new(),
        errors: Vec::new(),
        starts: Vec::new(),
        per,
    };
    for chunk in h.chunks(per) {
        f.records.push(chunk.iter().map(|b| b.records).sum());
        f.errors.push(chunk.iter().map(|b| b.errors).sum());
        f.starts.push(chunk[0].start.0.unwrap_or(0));
    }
    f
}

/// For each folded column, does it overlap a spike's `[start, end)`?
pub fn spike_marks(r: &Report, f: &Folded) -> Vec<bool> {
    let step = r.time.bucket_seconds.max(1) as i128 * 1_000_000_000 * f.per as i128;
    f.starts
        .iter()
        .map(|&s| {
            let (a, b) = (s as i128, s as i128 + step);
            r.spikes.iter().any(|sp| match (sp.start.0, sp.end.0) {
                (Some(x), Some(y)) => (x as i128) < b && a < (y as i128),
                _ => false,
            })
        })
        .collect()
}

/// The histogram as text: two sparklines (records, errors, each scaled to its own
/// maximum), a row of `^` under the spikes, and an axis with the first and last
/// bucket times. Shared by the terminal and Markdown, which only differ in colour.
pub struct Spark {
    pub records: String,
    pub errors: String,
    pub records_max: u64,
    pub errors_max: u64,
    /// `^` under columns that overlap a spike, trimmed; `None` without spikes.
    pub spikes: Option<String>,
    /// The first and last times under the sparklines' ends, or `first → last` when
    /// the sparkline is too short to hold both.
    pub axis: String,
    /// When columns sum several buckets: ` per 5m`; else empty.
    pub per: String,
}

/// Folds `r`'s histogram to at most `columns` columns (at least one bucket needed).
pub fn spark(r: &Report, ts: TimeStyle, columns: usize) -> Spark {
    let f = fold(&r.histogram, columns);
    let records_max = f.records.iter().copied().max().unwrap_or(0);
    let errors_max = f.errors.iter().copied().max().unwrap_or(0);
    let marks = spike_marks(r, &f);
    let spikes = marks.iter().any(|&m| m).then(|| {
        let line: String = marks.iter().map(|&m| if m { '^' } else { ' ' }).collect();
        line.trim_end().to_string()
    });
    let n = f.starts.len();
    let first = f.starts.first().map(|&t| ts.show(t)).unwrap_or_default();
    let last = f.starts.last().map(|&t| ts.show(t)).unwrap_or_default();
    let gap = n as isize - first.chars().count() as isize - last.chars().count() as isize;
    let axis = if n > 1 && gap >= 1 {
        format!("{first}{}{last}", " ".repeat(gap as usize))
    } else if n > 1 {
        format!("{first} → {last}")
    } else {
        first
    };
    let per = if f.per > 1 {
        format!(" per {}", duration(r.time.bucket_seconds * f.per as i64))
    } else {
        String::new()
    };
    Spark {
        records: sparkline(&f.records, records_max),
        errors: sparkline(&f.errors, errors_max),
        records_max,
        errors_max,
        spikes,
        axis,
        per,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(percent(0.0948), "9.5%");
        assert_eq!(percent(0.0001), "<0.1%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(ratio(63.33), "×63.3");
        assert_eq!(ratio(250.0), "×250");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(4_718_592), "4.5 MiB");
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(180), "3m");
        assert_eq!(duration(3_900), "1h 5m");
        assert_eq!(duration(2 * 86_400 + 3 * 3_600 + 7), "2d 3h");
    }

    #[test]
    fn sparkline_scales() {
        assert_eq!(sparkline(&[0, 1, 4, 8], 8), " ▁▄█");
        assert_eq!(sparkline(&[1, 1000], 1000), "▁█");
        assert_eq!(sparkline(&[0, 0], 0), "  ");
    }

    #[test]
    fn controls_are_shown_not_written() {
        assert_eq!(clean("a\x1b[31mb\nc\td"), "a\\x1b[31mb\\x0ac d");
        assert_eq!(escape_controls("plain é"), "plain é");
    }
}
