//! JSON: an array with one object per row, keyed by column name, in column order;
//! null cells are `null`, times RFC 3339 strings. One row per line, so the output is
//! both valid JSON and easy to read or grep.

use std::io::{self, Write};

use super::{Cell, Table};
use crate::parse::time::format_rfc3339;

pub fn write(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    if t.rows.is_empty() {
        return writeln!(out, "[]");
    }
    writeln!(out, "[")?;
    for (i, row) in t.rows.iter().enumerate() {
        out.write_all(b"{")?;
        for (j, (col, cell)) in t.columns.iter().zip(row).enumerate() {
            if j > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, col)?;
            out.write_all(b":")?;
            cell_json(cell, out)?;
        }
        out.write_all(if i + 1 < t.rows.len() {
            b"},\n"
        } else {
            b"}\n"
        })?;
    }
    writeln!(out, "]")
}

/// Writes one cell as a JSON value.
pub fn cell_json(cell: &Cell, out: &mut dyn Write) -> io::Result<()> {
    match cell {
        Cell::Null => out.write_all(b"null"),
        Cell::Int(n) => write!(out, "{n}"),
        Cell::Float(f) if f.is_finite() => {
            serde_json::to_writer(&mut *out, f).map_err(io::Error::from)
        }
        Cell::Float(_) => out.write_all(b"null"),
        Cell::Text(s) => serde_json::to_writer(&mut *out, s).map_err(io::Error::from),
        Cell::Time(t) => {
            serde_json::to_writer(&mut *out, &format_rfc3339(*t)).map_err(io::Error::from)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_objects() {
        let t = Table {
            columns: vec!["level".into(), "count".into()],
            rows: vec![
                vec![Cell::Text("info".into()), Cell::Int(3)],
                vec![Cell::Null, Cell::Int(1)],
            ],
        };
        let mut v = Vec::new();
        write(&t, &mut v).unwrap();
        let parsed: serde_json::Value = serde_json::from_slice(&v).unwrap();
        assert_eq!(parsed[0]["level"], "info");
        assert_eq!(parsed[1]["level"], serde_json::Value::Null);
        assert_eq!(parsed[1]["count"], 1);
    }
}
