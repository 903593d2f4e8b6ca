//! Rendering results. A result is a [`Table`] of typed cells; one file per output
//! format turns it into text. Renderers never touch input.

pub mod csv;
pub mod json;
pub mod model;
pub mod table;

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
