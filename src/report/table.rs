//! The terminal table (comfy-table): numbers right-aligned, null as `-`. Text from logs
//! is shown with control characters escaped.

use std::io::{self, Write};

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{Cell as TCell, CellAlignment, ContentArrangement, Table as CTable};

use super::{Cell, Table};
use crate::grep::print::write_escaped;

pub fn write(t: &Table, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut ct = CTable::new();
    ct.load_preset(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Disabled);
    if !color {
        ct.force_no_tty();
    }
    ct.set_header(
        t.columns
            .iter()
            .map(|c| TCell::new(c).add_attribute(comfy_table::Attribute::Bold)),
    );
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
    writeln!(out, "{ct}")
}

fn escaped(s: &str) -> String {
    let mut v = Vec::with_capacity(s.len());
    let _ = write_escaped(&mut v, s.as_bytes());
    String::from_utf8(v).unwrap_or_default()
}
