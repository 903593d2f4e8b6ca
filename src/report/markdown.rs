//! The report as Markdown (GitHub-flavoured), for tickets and mails: a summary
//! paragraph, then one heading per section, GFM tables, and the histogram as a
//! sparkline in a code block. It reads well as plain text too.
//!
//! Text from logs is made inert: control characters are shown as `\xNN` (a newline
//! would end a table row), and any text holding a character Markdown or HTML would
//! interpret (`` ` * _ < > [ ] | `` …) is put in a code span, with `|` escaped for the
//! table and a backtick fence longer than any run of backticks inside.

use std::io::{self, Write};

use super::human::{self, TimeStyle};
use super::model::{Report, Template};
use super::sections;
use super::{Cell, Table};

/// Sparkline columns at most: fits a mail or a ticket without wrapping.
const SPARK_WIDTH: usize = 72;

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let ts = TimeStyle::for_report(r);
    writeln!(out, "# logsift report")?;
    writeln!(out)?;
    summary(r, out)?;
    if !r.inputs.is_empty() {
        section("Inputs", &sections::inputs(r), out)?;
    }
    let mut levels = sections::levels(r);
    levels.rows.retain(|row| row[1] != Cell::Int(0));
    if !levels.rows.is_empty() {
        section("Levels", &levels, out)?;
    }
    histogram(r, ts, out)?;
    spikes(r, ts, out)?;
    templates("Top templates", &r.templates, out)?;
    templates("Top error templates", &r.error_templates, out)?;
    for (field, rows) in &r.by {
        section(
            &format!("By {}", text(field)),
            &sections::by_field(rows),
            out,
        )?;
    }
    if !r.notes.is_empty() {
        writeln!(out, "\n## Notes\n")?;
        for n in &r.notes {
            writeln!(out, "- {}", text(n))?;
        }
    }
    Ok(())
}

fn summary(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let n = r.inputs.len();
    write!(
        out,
        "**{} records** from {n} input{} ({} lines, {} unparsed), **{} errors ({})**",
        human::group(r.records),
        if n == 1 { "" } else { "s" },
        human::group(r.lines),
        human::group(r.unparsed),
        human::group(r.errors),
        human::percent(r.error_rate),
    )?;
    let detail: Vec<String> = human::severe(&r.levels)
        .into_iter()
        .map(|(l, n)| format!("{} {}", l.name(), human::group(n)))
        .collect();
    if !detail.is_empty() {
        write!(out, ": {}", detail.join(" · "))?;
    }
    writeln!(out, ".")?;
    writeln!(out)?;
    write!(out, "Time: {}", human::span(r))?;
    if !r.histogram.is_empty() {
        write!(
            out,
            ", {} buckets of {}",
            r.histogram.len(),
            human::duration(r.time.bucket_seconds)
        )?;
    }
    writeln!(out, ".")
}

/// Text from logs as inline Markdown (see the module doc).
pub fn text(s: &str) -> String {
    let s = human::clean(s);
    // What Markdown, GFM or GitHub's math would interpret in running text.
    const SPECIAL: &[char] = &['\\', '`', '*', '_', '<', '>', '[', ']', '|', '~', '&', '$'];
    // And what would start a block at the start of a line (a list item's text).
    let list = s
        .split_once(['.', ')'])
        .is_some_and(|(a, _)| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()));
    if !s.contains(SPECIAL) && !s.starts_with(['-', '+', '#', ' ']) && !s.ends_with(' ') && !list {
        return s;
    }
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A space inside the fence keeps a leading or trailing backtick apart from it
    // (CommonMark strips one space on each side).
    let pad = if s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('|', "\\|"))
}

fn row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// A GFM table: numeric columns right-aligned.
fn table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", row(&t.columns))?;
    let align: Vec<String> = (0..t.columns.len())
        .map(|i| {
            let numeric = t.rows.first().is_some_and(|r| human::is_numeric(&r[i]));
            if numeric { "--:" } else { "---" }.to_string()
        })
        .collect();
    writeln!(out, "{}", row(&align))?;
    for r in &t.rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&t.columns)
            .map(|(c, col)| match c {
                Cell::Text(s) => text(s),
                c => human::cell_text(col, c),
            })
            .collect();
        writeln!(out, "{}", row(&cells))?;
    }
    Ok(())
}

fn section(title: &str, t: &Table, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n## {title}\n")?;
    table(t, out)
}

fn histogram(r: &Report, ts: TimeStyle, out: &mut dyn Write) -> io::Result<()> {
    if r.histogram.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n## Histogram ({} buckets)\n",
        human::duration(r.time.bucket_seconds)
    )?;
    let s = human::spark(r, ts, SPARK_WIDTH);
    writeln!(out, "```text")?;
    writeln!(
        out,
        "records {}  max {}{}",
        s.records,
        human::group(s.records_max),
        s.per
    )?;
    writeln!(
        out,
        "errors  {}  max {}{}",
        s.errors,
        human::group(s.errors_max),
        s.per
    )?;
    if let Some(m) = &s.spikes {
        writeln!(out, "spikes  {m}")?;
    }
    writeln!(out, "        {}", s.axis)?;
    writeln!(out, "```")
}

fn spikes(r: &Report, ts: TimeStyle, out: &mut dyn Write) -> io::Result<()> {
    if r.spikes.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n## Spikes")?;
    for (i, s) in r.spikes.iter().enumerate() {
        let when = human::spike_window(s, ts);
        let ratio = human::spike_ratio(s);
        writeln!(
            out,
            "\n**{}. {}, {when}**: {} errors, expected {}{ratio}, score {}\n",
            i + 1,
            text(&s.kind),
            human::group(s.errors),
            human::expected(s.expected),
            super::format_float(s.score),
        )?;
        if s.templates.is_empty() {
            continue;
        }
        writeln!(out, "| count | expected | ratio | template |")?;
        writeln!(out, "|--:|--:|--:|---|")?;
        for t in &s.templates {
            let ratio = if t.new {
                "**NEW**".to_string()
            } else {
                human::ratio(t.ratio)
            };
            writeln!(
                out,
                "| {} | {} | {ratio} | {} |",
                human::group(t.count),
                human::expected(t.expected),
                text(&t.template)
            )?;
        }
    }
    Ok(())
}

fn templates(title: &str, ts: &[Template], out: &mut dyn Write) -> io::Result<()> {
    if ts.is_empty() {
        return Ok(());
    }
    section(title, &sections::templates_view(ts), out)
}
