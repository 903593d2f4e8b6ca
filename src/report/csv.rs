//! CSV (RFC 4180): a header of column names, then one line per row; null is empty.

use std::io::{self, Write};

use super::{Cell, Table};

pub fn write(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = t.columns.iter().map(|c| escape(c)).collect();
    writeln!(out, "{}", header.join(","))?;
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Float(f) => f.to_string(),
                c => escape(&c.text()),
            })
            .collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// Quotes a field when it holds a comma, quote, CR or LF; doubles inner quotes.
pub fn escape(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("plain"), "plain");
    }
}
