//! `logsift count`: records counted by groups (`--by`) and time buckets (`--every`),
//! with numeric summaries (`--stats`).
//!
//! Each worker frames every record of its chunk, parses only what the groups and
//! filters need, and fills a [`Counts`] for the chunk; the sink merges them. Merging is
//! exact, so the output is identical at any `-j` and chunk size.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::aggregate::counts::{Counts, Group, KeyBuf, decode};
use crate::aggregate::sketch::Sketch;
use crate::filter::{Filter, Verdict, field_value};
use crate::parse::detect::RawParser;
use crate::parse::{Level, Parsed, Parser, Want};
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
    /// `--by level` alone (with or without `--every`, no `--stats`): records are
    /// counted in arrays indexed by level and turned into groups once per chunk.
    levels_only: bool,
    buckets: LevelBuckets,
}

impl Worker for CountWorker {
    type Out = Partial;

    fn process(&mut self, info: &InputInfo, chunk: &Chunk) -> Partial {
        let raw: &dyn Parser = &RawParser;
        let parser: &dyn Parser = info.format.as_ref().map_or(raw, |d| &*d.parser);
        self.count(parser, &chunk.bytes()[..chunk.valid_len()])
    }
}

impl CountWorker {
    /// Counts the records of `buf`, a chunk of one input.
    fn count(&mut self, parser: &dyn Parser, buf: &[u8]) -> Partial {
        let mut out = Partial {
            counts: Counts::new(self.stats.len()),
            records: 0,
            no_ts_filtered: 0,
        };
        match (self.levels_only, self.every_secs) {
            (true, None) => self.count_levels(parser, buf, &mut out),
            (true, Some(w)) => self.count_bucket_levels(parser, buf, w, &mut out),
            (false, _) => self.count_groups(parser, buf, &mut out),
        }
        out
    }

    /// Frames, parses and filters every record of `buf`, and hands those that pass to
    /// `each`.
    #[inline(always)]
    fn each_record<'b>(
        framer: &Framer,
        filter: &Filter,
        want: Want,
        parser: &dyn Parser,
        buf: &'b [u8],
        out: &mut Partial,
        mut each: impl FnMut(&'b [u8], &Parsed<'b>, &mut Partial),
    ) {
        let filtering = !filter.is_empty();
        for rec in framer.records(buf) {
            out.records += 1;
            let p = parser.parse(rec, want);
            if filtering {
                match filter.check(parser, rec, &p) {
                    Verdict::Pass => {}
                    Verdict::Fail => continue,
                    Verdict::NoTimestamp => {
                        out.no_ts_filtered += 1;
                        continue;
                    }
                }
            }
            each(rec, &p, out);
        }
    }

    /// Any groups: each record's key is encoded and counted in the map. (Its own loop,
    /// as before, rather than [`CountWorker::each_record`] with a closure: callgrind
    /// showed that version costing `count --by level` 6 more instructions per record,
    /// in framing, through different inlining.)
    fn count_groups(&mut self, parser: &dyn Parser, buf: &[u8], out: &mut Partial) {
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
                    Some(ts) => self.key.push_bucket(bucket_start(ts, w)),
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
                    Some(v) if has_backslash(v.bytes()) => {
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
    }

    /// `--by level` alone: seven counters instead of a key per record. (callgrind,
    /// `count -j1 --by level` on the generator's plain log: 213 → 33 instructions per
    /// record outside parsing and framing.)
    fn count_levels(&mut self, parser: &dyn Parser, buf: &[u8], out: &mut Partial) {
        let mut levels = [0u64; Level::ALL.len()];
        Self::each_record(
            &self.framer,
            &self.filter,
            self.want,
            parser,
            buf,
            out,
            |_, p, _| levels[p.level.index()] += 1,
        );
        for (level, n) in Level::ALL.into_iter().zip(levels) {
            if n > 0 {
                self.key.clear();
                self.key.push_value(Some(level.name().as_bytes()));
                out.counts.add_n(&self.key.buf, n);
            }
        }
    }

    /// `--every` and `--by level` alone: seven counters per time bucket. (callgrind,
    /// `count -j1 --every 1m --by level`: 2551 → 2354 instructions per record.)
    fn count_bucket_levels(&mut self, parser: &dyn Parser, buf: &[u8], w: i64, out: &mut Partial) {
        let b = &mut self.buckets;
        b.clear();
        Self::each_record(
            &self.framer,
            &self.filter,
            self.want,
            parser,
            buf,
            out,
            |_, p, out| match p.ts {
                Some(ts) => b.add(bucket_start(ts, w), p.level),
                None => out.counts.no_timestamp += 1,
            },
        );
        // Groups enter the map in the order they were first seen, as they would
        // record by record: which groups a full map folds into "other" stays the same.
        for &(i, level) in &b.order {
            self.key.clear();
            self.key.push_bucket(b.starts[i as usize]);
            self.key.push_value(Some(level.name().as_bytes()));
            out.counts
                .add_n(&self.key.buf, b.counts[i as usize][level.index()]);
        }
    }
}

/// Does a field value hold a `\\` (a JSON escape to resolve before grouping)? Most
/// values are a few bytes long, where a plain loop beats `<[u8]>::contains` (core's
/// memchr, with its alignment prologue). (callgrind, `count -j1 --by level --by
/// service` on the generator's plain log: 25 fewer instructions per record.)
#[inline]
fn has_backslash(v: &[u8]) -> bool {
    if v.len() < 16 {
        #[allow(clippy::manual_contains)] // `contains` is what this avoids
        v.iter().any(|&b| b == b'\\')
    } else {
        memchr::memchr(b'\\', v).is_some()
    }
}

/// The start (in seconds) of the `w`-second bucket holding `ts` (nanoseconds).
#[inline]
fn bucket_start(ts: i64, w: i64) -> i64 {
    ts.div_euclid(w * 1_000_000_000) * w
}

/// Per-level counts of a chunk's time buckets.
#[derive(Default)]
struct LevelBuckets {
    /// Each bucket's start, and its counts by level index.
    starts: Vec<i64>,
    counts: Vec<[u64; Level::ALL.len()]>,
    /// Bucket start → index, for records out of time order.
    index: HashMap<i64, u32, foldhash::fast::FixedState>,
    /// The bucket of the last record: most records fall into the same one.
    last: Option<u32>,
    /// (bucket, level) pairs in the order they were first seen.
    order: Vec<(u32, Level)>,
}

impl LevelBuckets {
    fn clear(&mut self) {
        self.starts.clear();
        self.counts.clear();
        self.index.clear();
        self.last = None;
        self.order.clear();
    }

    #[inline]
    fn add(&mut self, start: i64, level: Level) {
        let i = match self.last {
            Some(i) if self.starts[i as usize] == start => i,
            _ => {
                let next = self.starts.len() as u32;
                let i = *self.index.entry(start).or_insert(next);
                if i == next {
                    self.starts.push(start);
                    self.counts.push([0; Level::ALL.len()]);
                }
                self.last = Some(i);
                i
            }
        };
        let n = &mut self.counts[i as usize][level.index()];
        if *n == 0 {
            self.order.push((i, level));
        }
        *n += 1;
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
    let levels_only = cfg.by == ["level"] && cfg.stats.is_empty();
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
            levels_only,
            buckets: LevelBuckets::default(),
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

fn auto_width(rows: &[Row], base: i64) -> i64 {
    let (Some(lo), Some(hi)) = (
        rows.iter().filter_map(|r| r.group.bucket).min(),
        rows.iter().filter_map(|r| r.group.bucket).max(),
    ) else {
        return base;
    };
    crate::aggregate::widths::auto_width(base, hi - lo + base)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::FormatChoice;
    use crate::parse::detect::{FormatConfig, detector};
    use crate::parse::time::TimeCtx;
    use crate::record::Multiline;

    fn worker(every: Option<i64>, filter: Filter, levels_only: bool) -> CountWorker {
        let mut want = filter.want();
        want.ts |= every.is_some();
        want.level = true;
        CountWorker {
            framer: Framer::new(Multiline::Auto),
            filter,
            by: vec!["level".into()],
            every_secs: every,
            stats: Vec::new(),
            want,
            key: KeyBuf::default(),
            values: Vec::new(),
            levels_only,
            buckets: LevelBuckets::default(),
        }
    }

    /// What a worker counts in `buf`: the groups (sorted), the records, and those
    /// left out for lacking a timestamp.
    fn counted(
        w: &mut CountWorker,
        parser: &dyn Parser,
        buf: &[u8],
    ) -> (Vec<(Vec<u8>, u64)>, [u64; 4]) {
        let out = w.count(parser, buf);
        let mut groups: Vec<(Vec<u8>, u64)> = out
            .counts
            .groups()
            .map(|(k, acc)| (k.to_vec(), acc.count))
            .collect();
        groups.sort();
        let n = [
            out.records,
            out.no_ts_filtered,
            out.counts.no_timestamp,
            out.counts.folded,
        ];
        (groups, n)
    }

    /// Plain and JSON logs with every level, stack traces, records without a
    /// timestamp and timestamps out of order, over several minutes.
    fn logs() -> Vec<Vec<u8>> {
        let levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NOTE"];
        let (mut plain, mut json) = (String::new(), String::new());
        for i in 0..400u32 {
            let (m, sec) = ((i * 7 % 13) / 3, i * 37 % 60);
            let level = levels[(i * i % 7) as usize];
            plain.push_str(&format!(
                "2026-11-28T13:{m:02}:{sec:02}.{i:03}Z {level} [api-{}] http.client - request {i}\n",
                i % 5
            ));
            json.push_str(&format!(
                "{{\"ts\":\"2026-11-28T13:{m:02}:{sec:02}Z\",\"level\":\"{}\",\"msg\":\"m {i}\"}}\n",
                level.to_lowercase()
            ));
            if i % 17 == 0 {
                plain.push_str("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n");
                json.push_str("not json at all\n");
            }
            if i % 29 == 0 {
                plain.push_str("no timestamp, no level\n");
            }
        }
        vec![plain.into_bytes(), json.into_bytes()]
    }

    #[test]
    fn fast_paths_count_as_keyed_groups_do() {
        let detect = detector(FormatConfig {
            choice: FormatChoice::Auto,
            regex: None,
            ctx: TimeCtx::default(),
        })
        .unwrap();
        // 2026-11-28T13:02:00Z
        let since = 1_795_870_920 * 1_000_000_000;
        let filters = [
            Filter::default(),
            Filter {
                level: Some(Level::Warn),
                ..Filter::default()
            },
            Filter {
                since: Some(since),
                ..Filter::default()
            },
        ];
        for log in logs() {
            let parser = detect(&log).parser;
            for every in [None, Some(1), Some(60), Some(3600)] {
                for filter in &filters {
                    let fast = counted(&mut worker(every, filter.clone(), true), &*parser, &log);
                    let keyed = counted(&mut worker(every, filter.clone(), false), &*parser, &log);
                    assert!(!fast.0.is_empty());
                    assert_eq!(fast, keyed, "{every:?} {filter:?}");
                }
            }
        }
    }
}
