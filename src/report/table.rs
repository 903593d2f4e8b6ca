//! The terminal table: a box around aligned columns, numbers right-aligned, null as
//! `-`. Text from logs is shown with control characters escaped.
//!
//! Written by hand rather than with comfy-table (which draws the report's sections):
//! `count --every 1m` over a day is 10,000 rows, and comfy-table took ~20,000
//! instructions a row (callgrind: 210 M of 840 M for `count --by level --every 1m` on
//! 64 MiB, a fixed 60 ms after a parallel scan of 260 ms on 1 GiB); this takes a few
//! hundred. The look is comfy-table's `UTF8_BORDERS_ONLY` preset, which a unit test
//! checks it reproduces.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{Cell, Table};
use crate::grep::print::write_escaped;

/// Between columns.
const GAP: &str = "   ";

pub fn write(t: &Table, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let ncol = t.columns.len();
    let texts: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Null => "-".to_string(),
                    Cell::Text(s) => escaped(s),
                    c => c.text(),
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = t.columns.iter().map(|c| c.width()).collect();
    for row in &texts {
        for (w, s) in widths.iter_mut().zip(row) {
            *w = (*w).max(s.width());
        }
    }
    let inner = widths.iter().sum::<usize>() + GAP.len() * ncol.saturating_sub(1) + 2;
    let mut line = String::with_capacity(inner * 3 + 8);
    let rule = |line: &mut String, l: char, fill: char, r: char| {
        line.clear();
        line.push(l);
        line.extend(std::iter::repeat_n(fill, inner));
        line.push(r);
        line.push('\n');
    };

    rule(&mut line, '┌', '─', '┐');
    out.write_all(line.as_bytes())?;
    line.clear();
    line.push_str("│ ");
    for (i, (name, w)) in t.columns.iter().zip(&widths).enumerate() {
        if i > 0 {
            line.push_str(GAP);
        }
        if color {
            line.push_str("\x1b[1m");
        }
        line.push_str(name);
        if color {
            line.push_str("\x1b[0m");
        }
        pad(&mut line, w - name.width());
    }
    line.push_str(" │\n");
    out.write_all(line.as_bytes())?;
    rule(&mut line, '╞', '═', '╡');
    out.write_all(line.as_bytes())?;
    for (row, cells) in texts.iter().zip(&t.rows) {
        line.clear();
        line.push_str("│ ");
        for (i, ((s, w), c)) in row.iter().zip(&widths).zip(cells).enumerate() {
            if i > 0 {
                line.push_str(GAP);
            }
            let fill = w - s.width();
            if matches!(c, Cell::Int(_) | Cell::Float(_)) {
                pad(&mut line, fill);
                line.push_str(s);
            } else {
                line.push_str(s);
                pad(&mut line, fill);
            }
        }
        line.push_str(" │\n");
        out.write_all(line.as_bytes())?;
    }
    rule(&mut line, '└', '─', '┘');
    out.write_all(line.as_bytes())
}

fn pad(line: &mut String, n: usize) {
    line.extend(std::iter::repeat_n(' ', n));
}

fn escaped(s: &str) -> String {
    let mut v = Vec::with_capacity(s.len());
    let _ = write_escaped(&mut v, s.as_bytes());
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What comfy-table's `UTF8_BORDERS_ONLY` preset draws for `t` without colour.
    fn comfy(t: &Table) -> String {
        use comfy_table::presets::UTF8_BORDERS_ONLY;
        use comfy_table::{Cell as TCell, CellAlignment, ContentArrangement, Table as CTable};
        let mut ct = CTable::new();
        ct.load_preset(UTF8_BORDERS_ONLY)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        ct.set_header(t.columns.iter().map(TCell::new));
        for row in &t.rows {
            ct.add_row(row.iter().map(|c| {
                let text = match c {
                    Cell::Null => "-".to_string(),
                    Cell::Text(s) => escaped(s),
                    c => c.text(),
                };
                let cell = TCell::new(text);
                match c {
                    Cell::Int(_) | Cell::Float(_) => cell.set_alignment(CellAlignment::Right),
                    _ => cell,
                }
            }));
        }
        format!("{ct}\n")
    }

    fn ours(t: &Table) -> String {
        let mut v = Vec::new();
        write(t, false, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn looks_like_comfy_table() {
        let tables = [
            Table {
                columns: vec!["start".into(), "level".into(), "count".into()],
                rows: vec![
                    vec![
                        Cell::Time(1_795_000_000_000_000_000),
                        Cell::Text("info".into()),
                        Cell::Int(38),
                    ],
                    vec![
                        Cell::Null,
                        Cell::Text("a much longer value".into()),
                        Cell::Int(1234567),
                    ],
                ],
            },
            Table {
                columns: vec!["service".into(), "count".into(), "d_p99".into()],
                rows: vec![
                    vec![
                        Cell::Text("añb 日本".into()),
                        Cell::Int(3),
                        Cell::Float(12.5),
                    ],
                    vec![Cell::Text("\x1b[31mred\t".into()), Cell::Int(0), Cell::Null],
                ],
            },
            Table {
                columns: vec!["count".into()],
                rows: vec![],
            },
        ];
        for t in &tables {
            assert_eq!(ours(t), comfy(t), "{t:?}");
        }
    }

    #[test]
    fn colour_only_bolds_the_header() {
        let t = Table {
            columns: vec!["level".into()],
            rows: vec![vec![Cell::Text("info".into())]],
        };
        let mut v = Vec::new();
        write(&t, true, &mut v).unwrap();
        let s = String::from_utf8(v).unwrap();
        assert!(s.contains("\x1b[1mlevel\x1b[0m"));
        assert_eq!(s.matches('\x1b').count(), 2);
    }
}
