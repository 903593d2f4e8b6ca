//! The HTML report's chart: an inline SVG of records (top panel) and errors (bottom
//! panel) per time bucket, each panel scaled to its own maximum, spikes shaded across
//! both. Each bar carries a `<title>`, which browsers show on hover: no script needed.

use std::fmt::Write as _;

use super::html::escape;
use super::human::{self, TimeStyle};
use super::model::Report;

/// At most this many bars; more buckets are summed in groups (`human::fold`).
const MAX_BARS: usize = 240;
const WIDTH: f64 = 960.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const RECORDS_H: f64 = 120.0;
const GAP: f64 = 16.0;
const ERRORS_H: f64 = 72.0;
const AXIS: f64 = 24.0;

/// The chart as one `<svg>` element, or an empty string for an empty histogram.
pub fn svg(r: &Report) -> String {
    if r.histogram.is_empty() {
        return String::new();
    }
    let ts = TimeStyle::for_report(r);
    let f = human::fold(&r.histogram, MAX_BARS);
    let n = f.records.len();
    let pw = WIDTH - LEFT - RIGHT;
    let bw = pw / n as f64;
    let height = TOP + RECORDS_H + GAP + ERRORS_H + AXIS;
    let err_top = TOP + RECORDS_H + GAP;
    let rmax = f.records.iter().copied().max().unwrap_or(0);
    let emax = f.errors.iter().copied().max().unwrap_or(0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="records and errors over time">"#
    );
    s.push('\n');

    // Spikes first, so that the bars are drawn over the shading; each spans the
    // columns its window overlaps.
    let step = r.time.bucket_seconds.max(1) as i128 * 1_000_000_000 * f.per as i128;
    for (k, sp) in r.spikes.iter().enumerate() {
        let (Some(a), Some(b)) = (sp.start.0, sp.end.0) else {
            continue;
        };
        let cols: Vec<usize> = (0..n)
            .filter(|&i| {
                let c = f.starts[i] as i128;
                (a as i128) < c + step && c < b as i128
            })
            .collect();
        let (Some(&i), Some(&j)) = (cols.first(), cols.last()) else {
            continue;
        };
        let _ = writeln!(
            s,
            r#"<rect class="spike" x="{:.1}" y="{TOP}" width="{:.1}" height="{:.1}"><title>spike {}: {}, {}</title></rect>"#,
            LEFT + i as f64 * bw,
            (j + 1 - i) as f64 * bw,
            RECORDS_H + GAP + ERRORS_H,
            k + 1,
            escape(&human::escape_controls(&sp.kind)),
            escape(&human::spike_window(sp, ts)),
        );
    }

    let bar_w = (bw - if bw > 3.0 { 1.0 } else { 0.0 }).max(0.5);
    for k in 0..n {
        let x = LEFT + k as f64 * bw;
        let tip = format!(
            "{}: {} records, {} errors",
            ts.show(f.starts[k]),
            human::group(f.records[k]),
            human::group(f.errors[k])
        );
        let tip = escape(&tip);
        let rh = scale(f.records[k], rmax, RECORDS_H);
        let eh = scale(f.errors[k], emax, ERRORS_H);
        let _ = writeln!(
            s,
            r#"<rect class="rec" x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{rh:.1}"><title>{tip}</title></rect>"#,
            TOP + RECORDS_H - rh,
        );
        if f.errors[k] > 0 {
            let _ = writeln!(
                s,
                r#"<rect class="err" x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{eh:.1}"><title>{tip}</title></rect>"#,
                err_top + ERRORS_H - eh,
            );
        }
    }

    // Baselines; left of each panel its maximum at the top, its name at the bottom.
    for (top, h, max, name) in [
        (TOP, RECORDS_H, rmax, "records"),
        (err_top, ERRORS_H, emax, "errors"),
    ] {
        let (x, y) = (LEFT - 4.0, top + h);
        let _ = writeln!(
            s,
            r#"<line class="axis" x1="{LEFT}" y1="{y}" x2="{}" y2="{y}"/>"#,
            WIDTH - RIGHT
        );
        let _ = writeln!(
            s,
            r#"<text x="{x}" y="{}" text-anchor="end">{}</text>"#,
            top + 10.0,
            human::group(max)
        );
        let _ = writeln!(
            s,
            r#"<text x="{x}" y="{y}" text-anchor="end">{name}</text>"#
        );
    }
    let y = height - 6.0;
    let first = escape(&ts.show(f.starts[0]));
    let last = escape(&ts.show(f.starts[n - 1]));
    let _ = writeln!(s, r#"<text x="{LEFT}" y="{y}">{first}</text>"#);
    if n > 1 {
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{y}" text-anchor="end">{last}</text>"#,
            LEFT + (n - 1) as f64 * bw + bar_w
        );
    }
    s.push_str("</svg>");
    s
}

fn scale(v: u64, max: u64, h: f64) -> f64 {
    if max == 0 || v == 0 {
        0.0
    } else {
        // At least a sliver, so that one error in a busy hour is still seen.
        (v as f64 / max as f64 * h).max(1.0)
    }
}
