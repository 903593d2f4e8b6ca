//! Rendering results. A result is a [`Table`] of typed cells; one file per output
//! format turns it into text. Renderers never touch input.
//!
//! `logsift report` renders a whole [`model::Report`] with [`write_report`]: its
//! tables are built once ([`sections`]) and shown by the terminal view ([`screen`]),
//! CSV, Markdown ([`markdown`]) and HTML ([`html`]); JSON is the model itself.

pub mod chart;
pub mod csv;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod model;
pub mod screen;
pub mod sections;
pub mod table;

#[cfg(test)]
mod render_tests;

use std::io::{self, Write};

use crate::parse::time::format_rfc3339;

/// One value in a result table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(u64),
    Float(f64),
    Text(String),
    /// Unix ns, shown as RFC 3339 UTC.
    Time(i64),
}

impl Cell {
    /// The cell as display text (`""` for null).
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(f) => format_float(*f),
            Cell::Text(s) => s.clone(),
            Cell::Time(t) => format_rfc3339(*t),
        }
    }
}

/// Floats are shown rounded to 3 decimals, trailing zeros dropped (`12.5`, `0.333`).
pub fn format_float(f: f64) -> String {
    let s = format!("{:.3}", f);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Named columns and rows of cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Output formats for tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Writes `t` in `format`; `color` only affects the terminal table.
pub fn write(t: &Table, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(t, color, out),
        Format::Json => json::write(t, out),
        Format::Csv => csv::write(t, out),
    }
}

/// Output formats for a whole report (`logsift report -o …`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
    Md,
    Html,
}

/// Section names for `report --section` (with `-o csv`), for help text and errors.
pub const SECTIONS: &[&str] = sections::SECTIONS;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("unknown report section '{name}' (valid sections: {})", SECTIONS.join(", "))]
    UnknownSection { name: String },
    #[error("writing the report: {0}")]
    Io(#[from] io::Error),
}

/// Writes the report `r` in `format` to `out`.
///
/// - `Table`: the terminal view ([`screen`]), fitted to the terminal's width
///   ([`screen::terminal_width`]); `color` turns on ANSI colours (errors red, warnings
///   yellow). The other formats ignore `color`.
/// - `Json`: the model exactly (DESIGN.md, version 1), pretty-printed — people read
///   it as often as scripts do, and it diffs line by line — with a trailing newline.
/// - `Csv`: one table, RFC 4180: the `section` named (one of [`SECTIONS`]), by
///   default `templates` ([`sections::DEFAULT_SECTION`]). Control characters from
///   logs are written as `\xNN`, as in the terminal, so that `cat`ing the file is safe.
/// - `Md`: Markdown for tickets and mails ([`markdown`]).
/// - `Html`: one self-contained page with an SVG chart ([`html`]).
///
/// `section` is only used by `Csv`, but a name not in [`SECTIONS`] is an error with
/// any format, so that a typo is never silently ignored. Write errors (a closed pipe
/// included) come back as [`ReportError::Io`] for the caller to judge.
pub fn write_report(
    r: &model::Report,
    format: ReportFormat,
    color: bool,
    section: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    if let Some(name) = section
        && !SECTIONS.contains(&name)
    {
        return Err(ReportError::UnknownSection {
            name: human::clean(name),
        });
    }
    match format {
        ReportFormat::Table => screen::write(r, color, screen::terminal_width(), out)?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, r).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let name = section.unwrap_or(sections::DEFAULT_SECTION);
            let mut t = sections::section(r, name).expect("a known section");
            for cell in t.rows.iter_mut().flatten() {
                if let Cell::Text(s) = cell {
                    *s = human::escape_controls(s);
                }
            }
            csv::write(&t, out)?;
        }
        ReportFormat::Md => markdown::write(r, out)?,
        ReportFormat::Html => html::write(r, out)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats() {
        assert_eq!(format_float(12.5), "12.5");
        assert_eq!(format_float(1.0 / 3.0), "0.333");
        assert_eq!(format_float(2.0), "2");
        assert_eq!(format_float(-0.0001), "0");
    }
}
