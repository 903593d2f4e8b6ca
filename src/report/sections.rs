//! The report's tables, built once from a [`Report`] and shared by every format that
//! shows tables: CSV writes one of them as is; the terminal, Markdown and HTML show
//! them (some through a narrower [`templates_view`]). Cells stay typed here — each
//! format decides how a number or a time reads.
//!
//! Text from logs is kept as is in these tables; each format escapes it its own way
//! (see `human::escape_controls`, and HTML's escaping on top of it).

use crate::parse::Level;

use super::model::{ByRow, Report, Spike, Template, Time};
use super::{Cell, Table};

/// The sections `--section` accepts (`-o csv`), in report order.
pub const SECTIONS: &[&str] = &[
    "inputs",
    "levels",
    "histogram",
    "templates",
    "error_templates",
    "spikes",
    "by",
];

/// The CSV section when none is named: the top templates, the table a spreadsheet
/// user most often wants from a report (the histogram is one `-o csv --section
/// histogram` away).
pub const DEFAULT_SECTION: &str = "templates";

/// The named section's table, or `None` for a name not in [`SECTIONS`].
pub fn section(r: &Report, name: &str) -> Option<Table> {
    Some(match name {
        "inputs" => inputs(r),
        "levels" => levels(r),
        "histogram" => histogram(r),
        "templates" => templates(&r.templates),
        "error_templates" => templates(&r.error_templates),
        "spikes" => spikes(&r.spikes),
        "by" => by(r),
        _ => return None,
    })
}

fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn time(t: Time) -> Cell {
    t.0.map_or(Cell::Null, Cell::Time)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// `path, format, bytes, records`.
pub fn inputs(r: &Report) -> Table {
    Table {
        columns: cols(&["path", "format", "bytes", "records"]),
        rows: r
            .inputs
            .iter()
            .map(|i| {
                vec![
                    text(&i.path),
                    text(&i.format),
                    Cell::Int(i.bytes),
                    Cell::Int(i.records),
                ]
            })
            .collect(),
    }
}

/// `level, records, share`: all seven levels, in level order.
pub fn levels(r: &Report) -> Table {
    Table {
        columns: cols(&["level", "records", "share"]),
        rows: Level::ALL
            .iter()
            .map(|&l| {
                let n = r.levels.get(l);
                vec![
                    text(l.name()),
                    Cell::Int(n),
                    Cell::Float(super::model::rate(n, r.records)),
                ]
            })
            .collect(),
    }
}

/// `start, records, errors`: one row per bucket.
pub fn histogram(r: &Report) -> Table {
    Table {
        columns: cols(&["start", "records", "errors"]),
        rows: r
            .histogram
            .iter()
            .map(|b| vec![time(b.start), Cell::Int(b.records), Cell::Int(b.errors)])
            .collect(),
    }
}

/// `rank, template, count, share, trace … unknown, first, last, example, example_at`:
/// the levels flattened to one column each, so a spreadsheet can sum them.
pub fn templates(ts: &[Template]) -> Table {
    let mut columns = cols(&["rank", "template", "count", "share"]);
    columns.extend(Level::ALL.iter().map(|l| l.name().to_string()));
    columns.extend(cols(&["first", "last", "example", "example_at"]));
    let rows = ts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut row = vec![
                Cell::Int(i as u64 + 1),
                text(&t.template),
                Cell::Int(t.count),
                Cell::Float(t.share),
            ];
            row.extend(Level::ALL.iter().map(|&l| Cell::Int(t.levels.get(l))));
            row.extend([
                time(t.first),
                time(t.last),
                text(&t.example),
                text(&t.example_at),
            ]);
            row
        })
        .collect();
    Table { columns, rows }
}

/// The templates as people read them: `count, share, levels, template, example` —
/// the seven level columns folded into one `levels` text (`warn 20 · error 480`).
pub fn templates_view(ts: &[Template]) -> Table {
    Table {
        columns: cols(&["count", "share", "levels", "template", "example"]),
        rows: ts
            .iter()
            .map(|t| {
                vec![
                    Cell::Int(t.count),
                    Cell::Float(t.share),
                    Cell::Text(super::human::levels_compact(&t.levels)),
                    text(&t.template),
                    text(&t.example),
                ]
            })
            .collect(),
    }
}

/// One spike's templates: `template, count, expected, ratio, new`.
pub fn spike_templates(s: &Spike) -> Table {
    Table {
        columns: cols(&["template", "count", "expected", "ratio", "new"]),
        rows: s
            .templates
            .iter()
            .map(|t| {
                vec![
                    text(&t.template),
                    Cell::Int(t.count),
                    Cell::Float(t.expected),
                    Cell::Float(t.ratio),
                    text(if t.new { "true" } else { "false" }),
                ]
            })
            .collect(),
    }
}

/// All spikes, flattened for CSV: one row per (spike, template), the spike's columns
/// repeated; a spike without templates still has one row (template columns empty).
/// `spike` numbers the spikes from 1.
pub fn spikes(ss: &[Spike]) -> Table {
    let mut columns = cols(&[
        "spike", "kind", "start", "end", "errors", "expected", "score",
    ]);
    let inner = cols(&["template", "count", "expected", "ratio", "new"]);
    columns.extend(inner.iter().map(|c| match c.as_str() {
        "template" | "ratio" | "new" => c.clone(),
        c => format!("template_{c}"),
    }));
    let mut rows = Vec::new();
    for (i, s) in ss.iter().enumerate() {
        let head = vec![
            Cell::Int(i as u64 + 1),
            text(&s.kind),
            time(s.start),
            time(s.end),
            Cell::Int(s.errors),
            Cell::Float(s.expected),
            Cell::Float(s.score),
        ];
        let ts = spike_templates(s);
        if ts.rows.is_empty() {
            let mut row = head.clone();
            row.extend(std::iter::repeat_n(Cell::Null, inner.len()));
            rows.push(row);
        }
        for t in ts.rows {
            let mut row = head.clone();
            row.extend(t);
            rows.push(row);
        }
    }
    Table { columns, rows }
}

/// `field, value, records, errors, error_rate`: every `--by` field in one table.
pub fn by(r: &Report) -> Table {
    let mut t = Table {
        columns: cols(&["field", "value", "records", "errors", "error_rate"]),
        rows: Vec::new(),
    };
    for (field, rows) in &r.by {
        for row in by_field(rows).rows {
            t.rows
                .push(std::iter::once(text(field)).chain(row).collect());
        }
    }
    t
}

/// One `--by` field's rows: `value, records, errors, error_rate` (a missing value is
/// null).
pub fn by_field(rows: &[ByRow]) -> Table {
    Table {
        columns: cols(&["value", "records", "errors", "error_rate"]),
        rows: rows
            .iter()
            .map(|b| {
                vec![
                    b.value.as_deref().map_or(Cell::Null, text),
                    Cell::Int(b.records),
                    Cell::Int(b.errors),
                    Cell::Float(b.error_rate),
                ]
            })
            .collect(),
    }
}
