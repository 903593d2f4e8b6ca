//! The report as one self-contained HTML5 page: inline CSS, an inline SVG chart
//! ([`super::chart`]), tables; no script, no external asset, so it can be mailed,
//! attached to a ticket or opened offline.
//!
//! Every string from logs (templates, examples, paths, field values, notes) goes
//! through [`text`]: control characters shown as `\xNN`, then `& < > " '` as
//! entities — a `<script>` in a log line comes out as text.

use std::io::{self, Write};

use super::human::{self, TimeStyle};
use super::model::{Report, Spike, Template};
use super::{Cell, Table, chart, sections};
use crate::parse::Level;

const STYLE: &str = "
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 76em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .3em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1em; font-weight: 600; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .25em .7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; word-break: break-all; }
.ex { color: #666; }
.lv { white-space: nowrap; }
.err { color: #c01818; }
.warn { color: #a65e00; }
.new { color: #fff; background: #c01818; padding: 0 .35em; border-radius: 3px; font-weight: 600; }
.summary { font-size: 1.1em; }
svg { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg .rec { fill: #7fa7cf; }
svg .err { fill: #d33; }
svg .spike { fill: #f33; fill-opacity: .12; }
svg .axis { stroke: #999; stroke-width: 1; }
svg text { fill: #555; }
";

/// Text from logs as HTML text or attribute value (see the module doc).
pub fn text(s: &str) -> String {
    escape(&human::escape_controls(s))
}

/// `& < > " '` as entities.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let ts = TimeStyle::for_report(r);
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"en\">")?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(out, "<title>{}</title>", escape(&page_title(r)))?;
    writeln!(out, "<style>{STYLE}</style>")?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body>")?;
    writeln!(out, "<h1>logsift report</h1>")?;
    summary(r, out)?;
    if !r.inputs.is_empty() {
        writeln!(out, "<h2>Inputs</h2>")?;
        table(&sections::inputs(r), out)?;
    }
    let mut levels = sections::levels(r);
    levels.rows.retain(|row| row[1] != Cell::Int(0));
    if !levels.rows.is_empty() {
        writeln!(out, "<h2>Levels</h2>")?;
        table(&levels, out)?;
    }
    if !r.histogram.is_empty() {
        writeln!(
            out,
            "<h2>Records and errors over time ({} buckets)</h2>",
            human::duration(r.time.bucket_seconds)
        )?;
        writeln!(out, "{}", chart::svg(r))?;
        writeln!(out, "<details><summary>Buckets</summary>")?;
        table(&sections::histogram(r), out)?;
        writeln!(out, "</details>")?;
    }
    if !r.spikes.is_empty() {
        writeln!(out, "<h2>Spikes</h2>")?;
        for (i, s) in r.spikes.iter().enumerate() {
            spike(i, s, ts, out)?;
        }
    }
    templates("Top templates", &r.templates, ts, out)?;
    templates("Top error templates", &r.error_templates, ts, out)?;
    for (field, rows) in &r.by {
        writeln!(out, "<h2>By <code>{}</code></h2>", text(field))?;
        table(&sections::by_field(rows), out)?;
    }
    if !r.notes.is_empty() {
        writeln!(out, "<h2>Notes</h2>")?;
        writeln!(out, "<ul>")?;
        for n in &r.notes {
            writeln!(out, "<li>{}</li>", text(n))?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")
}

/// `logsift report: 9.5% errors, 13:00 → 13:59`: what a browser tab or a saved
/// file list shows.
fn page_title(r: &Report) -> String {
    let mut t = format!("logsift report: {} errors", human::percent(r.error_rate));
    if let (Some(a), Some(b)) = (r.time.first.0, r.time.last.0) {
        t.push_str(&format!(", {} → {}", human::time(a), human::time(b)));
    }
    t
}

fn summary(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let n = r.inputs.len();
    let class = if r.errors > 0 { " class=\"err\"" } else { "" };
    writeln!(
        out,
        "<p class=\"summary\"><strong>{} records</strong> from {n} input{} ({} lines, {} unparsed), <strong{class}>{} errors ({})</strong>{}</p>",
        human::group(r.records),
        if n == 1 { "" } else { "s" },
        human::group(r.lines),
        human::group(r.unparsed),
        human::group(r.errors),
        human::percent(r.error_rate),
        how_bad(r),
    )?;
    write!(out, "<p>Time: {}", escape(&human::span(r)))?;
    if !r.histogram.is_empty() {
        write!(
            out,
            ", {} buckets of {}",
            r.histogram.len(),
            human::duration(r.time.bucket_seconds)
        )?;
    }
    writeln!(out, ".</p>")
}

/// `: error 634 · fatal 42 · warn 640`, each coloured; empty when all are zero.
fn how_bad(r: &Report) -> String {
    let parts: Vec<String> = human::severe(&r.levels)
        .into_iter()
        .map(|(l, n)| {
            let class = if l == Level::Warn { "warn" } else { "err" };
            format!(
                "<span class=\"{class}\">{} {}</span>",
                l.name(),
                human::group(n)
            )
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(" · "))
    }
}

fn th(name: &str, numeric: bool) -> String {
    let class = if numeric { " class=\"n\"" } else { "" };
    format!("<th{class}>{}</th>", escape(name))
}

/// A section table: numbers right-aligned, text (from logs) escaped.
fn table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| t.rows.first().is_some_and(|r| human::is_numeric(&r[i])))
        .collect();
    write!(out, "<table>\n<thead><tr>")?;
    for (c, &n) in t.columns.iter().zip(&numeric) {
        write!(out, "{}", th(c, n))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for row in &t.rows {
        write!(out, "<tr>")?;
        for ((c, col), &n) in row.iter().zip(&t.columns).zip(&numeric) {
            let class = if n { " class=\"n\"" } else { "" };
            write!(out, "<td{class}>{}</td>", text(&human::cell_text(col, c)))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody>\n</table>")
}

fn spike(i: usize, s: &Spike, ts: TimeStyle, out: &mut dyn Write) -> io::Result<()> {
    let when = human::spike_window(s, ts);
    writeln!(
        out,
        "<h3>{}. {}, {}: <span class=\"err\">{} errors</span>, expected {}{}, score {}</h3>",
        i + 1,
        text(&s.kind),
        escape(&when),
        human::group(s.errors),
        human::expected(s.expected),
        escape(&human::spike_ratio(s)),
        super::format_float(s.score),
    )?;
    if s.templates.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<table>\n<thead><tr>{}{}{}{}</tr></thead>\n<tbody>",
        th("count", true),
        th("expected", true),
        th("ratio", true),
        th("template", false)
    )?;
    for t in &s.templates {
        let ratio = if t.new {
            "<span class=\"new\">NEW</span>".to_string()
        } else {
            escape(&human::ratio(t.ratio))
        };
        writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{ratio}</td><td><code>{}</code></td></tr>",
            human::group(t.count),
            human::expected(t.expected),
            text(&t.template),
        )?;
    }
    writeln!(out, "</tbody>\n</table>")
}

/// count, share, levels, first and last seen, then the template with its example
/// and where it was found under it.
fn templates(
    title: &str,
    ts: &[Template],
    tstyle: TimeStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    if ts.is_empty() {
        return Ok(());
    }
    writeln!(out, "<h2>{title}</h2>")?;
    writeln!(
        out,
        "<table>\n<thead><tr>{}{}{}{}{}{}</tr></thead>\n<tbody>",
        th("count", true),
        th("share", true),
        th("levels", false),
        th("first", false),
        th("last", false),
        th("template / example", false)
    )?;
    for t in ts {
        let class = if t.errors() > 0 {
            "lv err"
        } else if t.levels.get(Level::Warn) > 0 {
            "lv warn"
        } else {
            "lv"
        };
        let when = |x: Option<i64>| x.map_or("-".to_string(), |x| tstyle.show(x));
        writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td><td><code>{}</code><div class=\"ex\">e.g. <code>{}</code> <small>at {}</small></div></td></tr>",
            human::group(t.count),
            human::percent(t.share),
            escape(&human::levels_compact(&t.levels)),
            escape(&when(t.first.0)),
            escape(&when(t.last.0)),
            text(&t.template),
            text(&t.example),
            text(&t.example_at),
        )?;
    }
    writeln!(out, "</tbody>\n</table>")
}
