//! `logsift count`: records counted by groups (`--by`) and time buckets (`--every`),
//! with numeric summaries (`--stats`).
//!
//! Each worker frames every record of its chunk, parses only what the groups and
//! filters need, and fills a [`Counts`] for the chunk; the sink merges them. Merging is
//! exact, so the output is identical at any `-j` and chunk size.

use std::io::{self, Write};

use crate::aggregate::counts::{Counts, Group, KeyBuf, decode};
use crate::aggregate::sketch::Sketch;
use crate::filter::{Filter, Verdict, field_value};
use crate::parse::detect::RawParser;
use crate::parse::{Parser, Want};
use crate::record::Framer;
use crate::report::{self, Cell, Table};
use crate::scan::{self, Chunk, Flow, InputInfo, InputSummary, ScanOptions, Sink, Worker};

/// Time bucketing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Every {
    /// Fixed width in seconds.
    Fixed(i64),
    /// Chosen after the scan: about 50–150 buckets over the span.
    Auto,
}

/// The base width `auto` aggregates at before choosing.
const AUTO_BASE_SECS: i64 = 1;

/// Everything `count` needs.
#[derive(Clone)]
pub struct CountConfig {
    pub paths: Vec<std::path::PathBuf>,
    pub scan: ScanOptions,
    pub filter: Filter,
    pub by: Vec<String>,
    pub every: Option<Every>,
    pub stats: Vec<String>,
    pub top: Option<usize>,
    pub format: report::Format,
    pub color: bool,
}

/// Per-chunk output: the chunk's counts and how many records time filters left out.
pub struct Partial {
    counts: Counts,
    records: u64,
    no_ts_filtered: u64,
}

struct CountWorker {
    framer: Framer,
    filter: Filter,
    by: Vec<String>,
    every_secs: Option<i64>,
    stats: Vec<String>,
    want: Want,
    key: KeyBuf,
    values: Vec<Option<f64>>,
}

impl Worker for CountWorker {
    type Out = Partial;

    fn process(&mut self, info: &InputInfo, chunk: &Chunk) -> Partial {
        let raw: &dyn Parser = &RawParser;
        let parser: &dyn Parser = info.format.as_ref().map_or(raw, |d| &*d.parser);
        let buf = &chunk.bytes()[..chunk.valid_len()];
        let mut out = Partial {
            counts: Counts::new(self.stats.len()),
            records: 0,
            no_ts_filtered: 0,
        };
        let filtering = !self.filter.is_empty();
        for rec in self.framer.records(buf) {
            out.records += 1;
            let p = parser.parse(rec, self.want);
            if filtering {
                match self.filter.check(parser, rec, &p) {
                    Verdict::Pass => {}
                    Verdict::Fail => continue,
                    Verdict::NoTimestamp => {
                        out.no_ts_filtered += 1;
                        continue;
                    }
                }
            }
            self.key.clear();
            if let Some(w) = self.every_secs {
                match p.ts {
                    Some(ts) => self.key.push_bucket(ts.div_euclid(w * 1_000_000_000) * w),
                    None => {
                        out.counts.no_timestamp += 1;
                        continue;
                    }
                }
            }
            for name in &self.by {
                if name == "level" {
                    self.key.push_value(Some(p.level.name().as_bytes()));
                    continue;
                }
                let v = field_value(parser, rec, &p, name);
                match v {
                    Some(v) if v.bytes().contains(&b'\\') => {
                        self.key.push_value(Some(v.text().as_bytes()))
                    }
                    Some(v) => self.key.push_value(Some(v.bytes())),
                    None => self.key.push_value(None),
                }
            }
            self.values.clear();
            for name in &self.stats {
                let v = field_value(parser, rec, &p, name).and_then(|v| v.number());
                self.values.push(v);
            }
            out.counts.add(&self.key.buf, &self.values);
        }
        out
    }
}

struct CountSink {
    total: Counts,
    records: u64,
    no_ts_filtered: u64,
}

impl Sink<Partial> for CountSink {
    fn begin(&mut self, _info: &InputInfo) -> Flow {
        Flow::Continue
    }

    fn chunk(&mut self, _info: &InputInfo, _chunk: &Chunk, out: Partial) -> Flow {
        self.total.merge(out.counts);
        self.records += out.records;
        self.no_ts_filtered += out.no_ts_filtered;
        Flow::Continue
    }

    fn end(&mut self, _info: &InputInfo, _summary: &InputSummary) -> Flow {
        Flow::Continue
    }
}

/// Runs `count`; returns the notes to print on stderr (records left out, caps).
pub fn run(cfg: &CountConfig, out: &mut dyn Write) -> io::Result<Vec<String>> {
    let every_secs = cfg.every.map(|e| match e {
        Every::Fixed(s) => s,
        Every::Auto => AUTO_BASE_SECS,
    });
    let mut want = cfg.filter.want();
    want.ts |= every_secs.is_some();
    want.level |= cfg.by.iter().any(|b| b == "level");
    want.msg |= cfg
        .by
        .iter()
        .chain(&cfg.stats)
        .any(|b| b == "msg" || b == "message");
    let mut sink = CountSink {
        total: Counts::new(cfg.stats.len()),
        records: 0,
        no_ts_filtered: 0,
    };
    let (framer, filter, by, stats) = (
        cfg.scan.framer.clone(),
        cfg.filter.clone(),
        cfg.by.clone(),
        cfg.stats.clone(),
    );
    scan::run(
        cfg.paths.clone(),
        &cfg.scan,
        || CountWorker {
            framer: framer.clone(),
            filter: filter.clone(),
            by: by.clone(),
            every_secs,
            stats: stats.clone(),
            want,
            key: KeyBuf::default(),
            values: Vec::new(),
        },
        &mut sink,
    );
    let mut notes = Vec::new();
    if sink.no_ts_filtered > 0 {
        notes.push(format!(
            "{} records without a timestamp were left out by the time filter",
            sink.no_ts_filtered
        ));
    }
    if sink.total.no_timestamp > 0 {
        notes.push(format!(
            "{} records without a timestamp are not in any time bucket",
            sink.total.no_timestamp
        ));
    }
    if sink.total.folded > 0 {
        notes.push(format!(
            "capped: {} records of groups beyond {} distinct groups were counted as 'other'",
            sink.total.folded,
            crate::aggregate::counts::MAX_GROUPS
        ));
    }
    let table = build_table(cfg, sink.total, every_secs, &mut notes);
    report::write(&table, cfg.format, cfg.color, out)?;
    Ok(notes)
}

/// One output row before rendering.
struct Row {
    group: Group,
    count: u64,
    stats: Vec<Sketch>,
}

fn build_table(
    cfg: &CountConfig,
    counts: Counts,
    every_secs: Option<i64>,
    notes: &mut Vec<String>,
) -> Table {
    let nby = cfg.by.len();
    let has_bucket = every_secs.is_some();
    let nstats = cfg.stats.len();
    let mut rows: Vec<Row> = counts
        .into_groups()
        .map(|(k, acc)| Row {
            group: decode(&k, has_bucket, nby),
            count: acc.count,
            stats: acc.stats,
        })
        .collect();

    if let Some(base) = every_secs {
        let width = match cfg.every {
            Some(Every::Auto) => auto_width(&rows, base),
            _ => base,
        };
        if width != base {
            rows = rebucket(rows, width);
        }
        rows = fill_buckets(rows, width, nstats, notes);
        rows.sort_by(|a, b| {
            a.group
                .bucket
                .cmp(&b.group.bucket)
                .then(b.count.cmp(&a.count))
                .then(a.group.values.cmp(&b.group.values))
        });
        if let Some(n) = cfg.top {
            rows = top_per_bucket(rows, n, nstats);
        }
    } else {
        rows.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.group.other.cmp(&b.group.other))
                .then(a.group.values.cmp(&b.group.values))
        });
        if let Some(n) = cfg.top
            && rows.len() > n
        {
            let rest = rows.split_off(n);
            rows.push(fold_other(rest, None, nby, nstats));
        }
    }

    let mut columns = Vec::new();
    if has_bucket {
        columns.push("start".to_string());
    }
    columns.extend(cfg.by.iter().cloned());
    columns.push("count".to_string());
    for f in &cfg.stats {
        for s in ["min", "mean", "p50", "p95", "p99", "max"] {
            columns.push(format!("{f}_{s}"));
        }
    }
    let rows = rows
        .into_iter()
        .map(|r| {
            let mut cells = Vec::with_capacity(columns.len());
            if has_bucket {
                cells.push(
                    r.group
                        .bucket
                        .map_or(Cell::Null, |b| Cell::Time(b * 1_000_000_000)),
                );
            }
            for (i, v) in r.group.values.iter().enumerate() {
                cells.push(match v {
                    _ if r.group.other && i == 0 => Cell::Text("other".into()),
                    Some(b) => Cell::Text(String::from_utf8_lossy(b).into_owned()),
                    None => Cell::Null,
                });
            }
            cells.push(Cell::Int(r.count));
            for s in &r.stats {
                let f = |o: Option<f64>| o.map_or(Cell::Null, Cell::Float);
                cells.extend([
                    f(s.min()),
                    f(s.mean()),
                    f(s.quantile(0.5)),
                    f(s.quantile(0.95)),
                    f(s.quantile(0.99)),
                    f(s.max()),
                ]);
            }
            cells
        })
        .collect();
    Table { columns, rows }
}

/// Widths `auto` chooses from, in seconds.
const LADDER: [i64; 16] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 10800, 21600, 86400,
];

fn auto_width(rows: &[Row], base: i64) -> i64 {
    let (Some(lo), Some(hi)) = (
        rows.iter().filter_map(|r| r.group.bucket).min(),
        rows.iter().filter_map(|r| r.group.bucket).max(),
    ) else {
        return base;
    };
    let span = hi - lo + base;
    LADDER
        .iter()
        .copied()
        .find(|w| *w >= base && span / w <= 150)
        .unwrap_or(86400)
}

fn rebucket(rows: Vec<Row>, width: i64) -> Vec<Row> {
    let mut map: std::collections::BTreeMap<Group, Row> = std::collections::BTreeMap::new();
    for mut r in rows {
        r.group.bucket = r.group.bucket.map(|b| b.div_euclid(width) * width);
        match map.get_mut(&r.group) {
            Some(e) => {
                e.count += r.count;
                for (a, b) in e.stats.iter_mut().zip(&r.stats) {
                    a.merge(b);
                }
            }
            None => {
                map.insert(r.group.clone(), r);
            }
        }
    }
    map.into_values().collect()
}

/// Adds zero rows so every bucket between the first and last appears for every group
/// seen (up to a bound, so a high-cardinality `--by` does not explode the output).
fn fill_buckets(
    mut rows: Vec<Row>,
    width: i64,
    nstats: usize,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let buckets: Vec<i64> = rows.iter().filter_map(|r| r.group.bucket).collect();
    let (Some(&lo), Some(&hi)) = (buckets.iter().min(), buckets.iter().max()) else {
        return rows;
    };
    let mut keys: Vec<(Vec<Option<Vec<u8>>>, bool)> = rows
        .iter()
        .map(|r| (r.group.values.clone(), r.group.other))
        .collect();
    keys.sort();
    keys.dedup();
    let nbuckets = ((hi - lo) / width + 1) as usize;
    if nbuckets.saturating_mul(keys.len()) > 200_000 {
        notes.push("empty time buckets are not listed: too many groups × buckets".into());
        return rows;
    }
    let present: std::collections::HashSet<Group> = rows.iter().map(|r| r.group.clone()).collect();
    let mut b = lo;
    while b <= hi {
        for (values, other) in &keys {
            let g = Group {
                bucket: Some(b),
                values: values.clone(),
                other: *other,
            };
            if !present.contains(&g) {
                rows.push(Row {
                    group: g,
                    count: 0,
                    stats: vec![Sketch::default(); nstats],
                });
            }
        }
        b += width;
    }
    rows
}

fn fold_other(rest: Vec<Row>, bucket: Option<i64>, nby: usize, nstats: usize) -> Row {
    let mut other = Row {
        group: Group {
            bucket,
            values: vec![None; nby],
            other: true,
        },
        count: 0,
        stats: vec![Sketch::default(); nstats],
    };
    for r in rest {
        other.count += r.count;
        for (a, b) in other.stats.iter_mut().zip(&r.stats) {
            a.merge(b);
        }
    }
    other
}

/// `--top N` with `--every`: the N largest groups of each bucket, the rest as `other`.
/// `rows` are sorted by bucket, then count.
fn top_per_bucket(rows: Vec<Row>, n: usize, nstats: usize) -> Vec<Row> {
    let nby = rows.first().map_or(0, |r| r.group.values.len());
    let mut out = Vec::with_capacity(rows.len());
    let mut rest: Vec<Row> = Vec::new();
    let mut in_bucket = 0;
    let mut bucket = None;
    for r in rows {
        if r.group.bucket != bucket {
            if !rest.is_empty() {
                out.push(fold_other(std::mem::take(&mut rest), bucket, nby, nstats));
            }
            bucket = r.group.bucket;
            in_bucket = 0;
        }
        in_bucket += 1;
        if in_bucket <= n {
            out.push(r);
        } else {
            rest.push(r);
        }
    }
    if !rest.is_empty() {
        out.push(fold_other(rest, bucket, nby, nstats));
    }
    out
}

/// Parses `--every`: `auto`, or a span such as `30s`, `1m`, `5m`, `1h`, `1d`.
pub fn parse_every(s: &str) -> Option<Every> {
    if s == "auto" {
        return Some(Every::Auto);
    }
    crate::filter::parse_span(s)
        .filter(|&n| n > 0)
        .map(|n| Every::Fixed(n as i64))
}
