//! `logsift templates`: the message templates of the inputs, most frequent first, or
//! with `--assign` every record labelled with its template (JSON lines).

use std::io::{self, Write};

use crate::report::model::Template;
use crate::report::{self, Cell, Table};
use crate::summary::{self, ScanConfig, build};

#[derive(Clone)]
pub struct TemplatesConfig {
    pub scan: ScanConfig,
    pub top: Option<usize>,
    pub format: report::Format,
    pub color: bool,
}

/// Runs `templates`; returns the notes to print on stderr.
pub fn run(cfg: &TemplatesConfig, out: &mut dyn Write) -> io::Result<Vec<String>> {
    let scanned = summary::scan(&cfg.scan)?;
    let notes = build::scan_notes(&scanned.summary, false);
    let tpls = build::templates(&scanned.summary, &scanned.inputs);
    if let Some(spool) = scanned.spool {
        let paths: Vec<String> = scanned
            .inputs
            .iter()
            .map(|i| serde_json::to_string(&i.path).expect("a string serialises"))
            .collect();
        let texts: Vec<String> = tpls
            .list
            .iter()
            .map(|t| serde_json::to_string(&t.template).expect("a string serialises"))
            .collect();
        spool.replay(|at, key| {
            let t = tpls.of_key.get(&key).map_or("null", |&i| texts[i].as_str());
            writeln!(
                out,
                "{{\"path\":{},\"line\":{},\"template\":{t}}}",
                paths[at.input as usize], at.line
            )
        })?;
        return Ok(notes);
    }
    let mut list = tpls.list;
    if let Some(n) = cfg.top {
        list.truncate(n);
    }
    list.extend(build::other_row(&scanned.summary));
    match cfg.format {
        report::Format::Json => write_json(&list, out)?,
        f => report::write(&table(&list, f == report::Format::Csv), f, cfg.color, out)?,
    }
    Ok(notes)
}

/// One object per template, one per line, in an array.
fn write_json(list: &[Template], out: &mut dyn Write) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "[]");
    }
    writeln!(out, "[")?;
    for (i, t) in list.iter().enumerate() {
        serde_json::to_writer(&mut *out, t)?;
        out.write_all(if i + 1 < list.len() { b",\n" } else { b"\n" })?;
    }
    writeln!(out, "]")
}

/// The table: count, share, errors, template, and with `full` (CSV) every level,
/// first/last seen and the example (in a terminal they would not fit; `-o csv` or
/// `-o json` has them).
fn table(list: &[Template], full: bool) -> Table {
    let mut columns: Vec<String> = ["count", "share", "errors", "template"]
        .map(String::from)
        .to_vec();
    if full {
        columns.extend(crate::parse::Level::ALL.map(|l| l.name().to_string()));
        columns.extend(["first", "last", "example", "example_at"].map(String::from));
    }
    let rows = list
        .iter()
        .map(|t| {
            let mut row = vec![
                Cell::Int(t.count),
                Cell::Float(t.share),
                Cell::Int(t.errors()),
                Cell::Text(t.template.clone()),
            ];
            if full {
                row.extend(t.levels.0.iter().map(|&n| Cell::Int(n)));
                let time = |x: Option<i64>| x.map_or(Cell::Null, Cell::Time);
                row.extend([
                    time(t.first.0),
                    time(t.last.0),
                    Cell::Text(t.example.clone()),
                    Cell::Text(t.example_at.clone()),
                ]);
            }
            row
        })
        .collect();
    Table { columns, rows }
}
