//! The report in a terminal: one screen that answers "how bad, what, since when".
//!
//! Top to bottom: a header block (volume, error rate, time span), the inputs, the
//! levels with bars, the histogram (a two-row sparkline of records and errors with
//! spikes marked, or one bar per bucket when there are few), the spikes with the
//! templates that drove them, the top templates and top error templates, the `--by`
//! tables and the notes. Tables are comfy-table, fitted to the terminal's width:
//! templates and examples are cut to one line with `…` rather than wrapped, so one
//! template is one line however long its records were.
//!
//! Everything from logs goes through `human::clean` (controls shown as `\xNN`).
//! Colour, only when asked: errors red, warnings yellow, headings bold.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell as TCell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Row,
    Table as CTable,
};

use super::human::{self, TimeStyle};
use super::model::{Report, Spike, Template, rate};
use super::sections;
use super::{Cell, Table};
use crate::parse::Level;

/// Only the line under the header: the report has many small tables, and full
/// borders would cost a screen's worth of lines.
const PRESET: &str = "     ─             ";
/// The width used when the output is not a terminal and `COLUMNS` is not set.
pub const DEFAULT_WIDTH: usize = 100;
/// Inputs listed before "… and N more".
const MAX_INPUTS: usize = 5;
/// Up to this many buckets, one bar per bucket; beyond, a sparkline.
const MAX_BAR_BUCKETS: usize = 24;

/// The width to fit: the terminal's when stdout is one, else `COLUMNS`, else
/// [`DEFAULT_WIDTH`]; never below 40.
pub fn terminal_width() -> usize {
    // comfy-table asks the terminal (through crossterm) only when stdout is one.
    let w = CTable::new().width().map(usize::from).or_else(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
    });
    w.unwrap_or(DEFAULT_WIDTH).max(40)
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn sgr(self, code: &str, s: &str) -> String {
        if self.0 && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.sgr("1", s)
    }
    fn red(self, s: &str) -> String {
        self.sgr("31", s)
    }
    fn yellow(self, s: &str) -> String {
        self.sgr("33", s)
    }
    fn level(self, l: Level, s: &str) -> String {
        match l {
            Level::Error | Level::Fatal => self.red(s),
            Level::Warn => self.yellow(s),
            _ => s.to_string(),
        }
    }
}

/// Writes the terminal report, fitted to `width` columns.
pub fn write(r: &Report, color: bool, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint(color);
    let ts = TimeStyle::for_report(r);
    header(r, p, out)?;
    inputs(r, p, width, out)?;
    levels(r, p, width, out)?;
    histogram(r, p, ts, width, out)?;
    spikes(r, p, ts, width, out)?;
    templates("Top templates", &r.templates, p, width, out)?;
    templates("Top error templates", &r.error_templates, p, width, out)?;
    for (field, rows) in &r.by {
        title(&format!("By {}", human::clean(field)), p, out)?;
        plain_table(&sections::by_field(rows), p, width, out)?;
    }
    if !r.notes.is_empty() {
        title("Notes", p, out)?;
        for n in &r.notes {
            writeln!(out, " - {}", human::clean(n))?;
        }
    }
    Ok(())
}

fn title(t: &str, p: Paint, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", p.bold(t))
}

fn header(r: &Report, p: Paint, out: &mut dyn Write) -> io::Result<()> {
    let n = r.inputs.len();
    writeln!(out, "{}", p.bold("logsift report"))?;
    writeln!(
        out,
        "  records  {} from {n} input{} ({} lines, {} unparsed)",
        p.bold(&human::group(r.records)),
        if n == 1 { "" } else { "s" },
        human::group(r.lines),
        human::group(r.unparsed),
    )?;
    let rate = format!(
        "{} ({})",
        human::group(r.errors),
        human::percent(r.error_rate)
    );
    let detail: Vec<String> = human::severe(&r.levels)
        .into_iter()
        .map(|(l, n)| p.level(l, &format!("{} {}", l.name(), human::group(n))))
        .collect();
    writeln!(
        out,
        "  errors   {}{}{}",
        if r.errors > 0 {
            p.red(&p.bold(&rate))
        } else {
            rate
        },
        if detail.is_empty() { "" } else { ": " },
        detail.join(" · ")
    )?;
    writeln!(out, "  time     {}", human::span(r))
}

/// Writes a comfy table, each line indented and without trailing blanks.
fn emit(ct: &CTable, indent: &str, out: &mut dyn Write) -> io::Result<()> {
    for line in ct.lines() {
        writeln!(out, "{indent}{}", line.trim_end())?;
    }
    Ok(())
}

/// A comfy table with the report's look, fitted to `width`.
fn new_table(p: Paint, width: usize) -> CTable {
    let mut t = CTable::new();
    t.load_preset(PRESET)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16)
        .set_truncation_indicator("…")
        .force_no_tty();
    if p.0 {
        t.enforce_styling();
    }
    t
}

fn head(names: &[&str]) -> Vec<TCell> {
    names
        .iter()
        .map(|n| TCell::new(n).add_attribute(Attribute::Bold))
        .collect()
}

/// Every column but the free-text ones keeps its content width; the text columns
/// share what is left and are cut with `…`.
fn constrain(t: &mut CTable, text_cols: &[usize]) {
    let n = t.column_count();
    t.set_constraints((0..n).map(|i| {
        if text_cols.contains(&i) {
            ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(8))
        } else {
            ColumnConstraint::ContentWidth
        }
    }));
}

/// Free text (templates, examples, paths) is cut at the width, not at the last space
/// before it: comfy-table wraps at its delimiter, and NUL never occurs in cleaned text.
fn cut(text: String) -> TCell {
    TCell::new(text).set_delimiter('\0')
}

fn one_line(cells: Vec<TCell>) -> Row {
    let mut row = Row::from(cells);
    row.max_height(1);
    row
}

/// A section table as is: numbers right-aligned, text cleaned and cut to one line.
fn plain_table(t: &Table, p: Paint, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut ct = new_table(p, width);
    let names: Vec<&str> = t.columns.iter().map(|c| c.as_str()).collect();
    ct.set_header(head(&names));
    for row in &t.rows {
        ct.add_row(one_line(
            row.iter()
                .zip(&t.columns)
                .map(|(c, col)| {
                    let cell = cut(human::cell_text(col, c));
                    if human::is_numeric(c) {
                        cell.set_alignment(CellAlignment::Right)
                    } else {
                        cell
                    }
                })
                .collect(),
        ));
    }
    let text_cols: Vec<usize> = t
        .rows
        .first()
        .map(|r| {
            (0..r.len())
                .filter(|&i| matches!(r[i], Cell::Text(_) | Cell::Null))
                .collect()
        })
        .unwrap_or_default();
    constrain(&mut ct, &text_cols);
    emit(&ct, "", out)
}

fn inputs(r: &Report, p: Paint, width: usize, out: &mut dyn Write) -> io::Result<()> {
    if r.inputs.is_empty() {
        return Ok(());
    }
    title("Inputs", p, out)?;
    let mut t = sections::inputs(r);
    let more = t.rows.len().saturating_sub(MAX_INPUTS);
    t.rows.truncate(MAX_INPUTS);
    plain_table(&t, p, width, out)?;
    if more > 0 {
        writeln!(out, " … and {more} more")?;
    }
    Ok(())
}

fn levels(r: &Report, p: Paint, width: usize, out: &mut dyn Write) -> io::Result<()> {
    title("Levels", p, out)?;
    let max = Level::ALL
        .iter()
        .map(|&l| r.levels.get(l))
        .max()
        .unwrap_or(0);
    if max == 0 {
        return writeln!(out, " no records");
    }
    let mut ct = new_table(p, width);
    ct.set_header(head(&["level", "records", "share", ""]));
    const BAR: u64 = 30;
    for l in Level::ALL {
        let n = r.levels.get(l);
        if n == 0 {
            continue;
        }
        let bar = "█".repeat(n.saturating_mul(BAR).div_ceil(max) as usize);
        let style = |c: TCell| match l {
            Level::Error | Level::Fatal => c.fg(Color::Red),
            Level::Warn => c.fg(Color::Yellow),
            _ => c,
        };
        ct.add_row(one_line(vec![
            style(TCell::new(l.name())),
            TCell::new(human::group(n)).set_alignment(CellAlignment::Right),
            TCell::new(human::percent(rate(n, r.records))).set_alignment(CellAlignment::Right),
            style(TCell::new(bar)),
        ]));
    }
    constrain(&mut ct, &[3]);
    emit(&ct, "", out)
}

fn histogram(
    r: &Report,
    p: Paint,
    ts: TimeStyle,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    if r.histogram.is_empty() {
        return Ok(());
    }
    title(
        &format!(
            "Histogram ({} buckets of {})",
            r.histogram.len(),
            human::duration(r.time.bucket_seconds)
        ),
        p,
        out,
    )?;
    if r.histogram.len() <= MAX_BAR_BUCKETS {
        bars(r, p, ts, width, out)
    } else {
        spark(r, p, ts, width, out)
    }
}

/// One line per bucket: time, a bar of records, the records, the errors.
fn bars(r: &Report, p: Paint, ts: TimeStyle, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let f = human::fold(&r.histogram, r.histogram.len());
    let marks = human::spike_marks(r, &f);
    let labels: Vec<String> = f.starts.iter().map(|&s| ts.show(s)).collect();
    let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let rmax = f.records.iter().copied().max().unwrap_or(0);
    let rw = human::group(rmax).len();
    let ew = human::group(f.errors.iter().copied().max().unwrap_or(0)).len();
    // label, bar, records, "errors", errors, spike mark
    let bar_w = width.saturating_sub(lw + rw + ew + 24).clamp(10, 40) as u64;
    for i in 0..f.records.len() {
        let n = if rmax == 0 {
            0
        } else {
            (f.records[i] * bar_w).div_ceil(rmax) as usize
        };
        let errs = format!("{:>ew$} errors", human::group(f.errors[i]));
        writeln!(
            out,
            " {:<lw$}  {}{}  {:>rw$}  {}{}",
            labels[i],
            "█".repeat(n),
            " ".repeat(bar_w as usize - n),
            human::group(f.records[i]),
            if f.errors[i] > 0 { p.red(&errs) } else { errs },
            if marks[i] {
                p.red("  ◀ spike")
            } else {
                String::new()
            },
        )?;
    }
    Ok(())
}

/// Two sparklines, records and errors, with the spikes marked under them.
fn spark(r: &Report, p: Paint, ts: TimeStyle, width: usize, out: &mut dyn Write) -> io::Result<()> {
    // " records " before the sparkline, "  max 12,345" after it, and " per 5m" when
    // the buckets must be folded to fit.
    let biggest = r.histogram.iter().map(|b| b.records).max().unwrap_or(0);
    let mut room = width.saturating_sub(9 + 6 + human::group(biggest).len());
    if r.histogram.len() > room {
        room = room.saturating_sub(8);
    }
    let room = room.max(10);
    let s = human::spark(r, ts, room);
    let max = |m: u64| format!("max {}{}", human::group(m), s.per);
    writeln!(out, " records {}  {}", s.records, max(s.records_max))?;
    writeln!(
        out,
        " {}  {}  {}",
        p.red("errors"),
        p.red(&s.errors),
        max(s.errors_max)
    )?;
    if let Some(marks) = &s.spikes {
        writeln!(out, " spikes  {}", p.red(marks))?;
    }
    writeln!(out, "         {}", s.axis)
}

fn spike_line(i: usize, s: &Spike, ts: TimeStyle, p: Paint) -> String {
    let when = human::spike_window(s, ts);
    let ratio = human::spike_ratio(s);
    format!(
        " {}. {} {}: {} errors, expected {}{ratio}, score {}",
        i + 1,
        p.bold(&human::clean(&s.kind)),
        when,
        p.red(&human::group(s.errors)),
        human::expected(s.expected),
        super::format_float(s.score),
    )
}

fn spikes(
    r: &Report,
    p: Paint,
    ts: TimeStyle,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    if r.spikes.is_empty() {
        return Ok(());
    }
    title("Spikes", p, out)?;
    for (i, s) in r.spikes.iter().enumerate() {
        writeln!(out, "{}", spike_line(i, s, ts, p))?;
        if s.templates.is_empty() {
            continue;
        }
        let mut ct = new_table(p, width.saturating_sub(3));
        ct.set_header(head(&["count", "expected", "ratio", "template"]));
        for t in &s.templates {
            let ratio = if t.new {
                TCell::new("NEW")
                    .fg(Color::Red)
                    .add_attribute(Attribute::Bold)
            } else {
                TCell::new(human::ratio(t.ratio))
            };
            ct.add_row(one_line(vec![
                TCell::new(human::group(t.count)).set_alignment(CellAlignment::Right),
                TCell::new(human::expected(t.expected)).set_alignment(CellAlignment::Right),
                ratio.set_alignment(CellAlignment::Right),
                cut(human::clean(&t.template)),
            ]));
        }
        constrain(&mut ct, &[3]);
        // Indent the templates under their spike.
        emit(&ct, "   ", out)?;
    }
    Ok(())
}

/// count, share, levels, then the template, and under it, dimmed, its example.
fn templates(
    name: &str,
    ts: &[Template],
    p: Paint,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    if ts.is_empty() {
        return Ok(());
    }
    title(name, p, out)?;
    let mut ct = new_table(p, width);
    ct.set_header(head(&["count", "share", "levels", "template / example"]));
    for t in ts {
        // One colour for the whole cell: comfy-table would count escape codes inside
        // a cell as width.
        let levels = TCell::new(human::levels_compact(&t.levels));
        let levels = if t.errors() > 0 {
            levels.fg(Color::Red)
        } else if t.levels.get(Level::Warn) > 0 {
            levels.fg(Color::Yellow)
        } else {
            levels
        };
        ct.add_row(one_line(vec![
            TCell::new(human::group(t.count)).set_alignment(CellAlignment::Right),
            TCell::new(human::percent(t.share)).set_alignment(CellAlignment::Right),
            levels,
            cut(human::clean(&t.template)),
        ]));
        ct.add_row(one_line(vec![
            TCell::new(""),
            TCell::new(""),
            TCell::new(""),
            cut(format!("e.g. {}", human::clean(&t.example))).add_attribute(Attribute::Dim),
        ]));
    }
    constrain(&mut ct, &[3]);
    emit(&ct, "", out)
}
