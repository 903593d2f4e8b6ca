//! Message and level extraction accuracy of the plain parser on the 16 LogHub 2k
//! samples (`../shared/corpora/loghub2k`), against each set's corrected ground truth.
//!
//! Per set: learn a schema from the first 200 raw lines, parse every line, and compare
//! the message with the `Content` column (both trimmed) and the level with the `Level`
//! column, when the set has one that holds levels (Linux's holds a host name: a column
//! none of whose values is a level word is skipped). A true level that is not a level
//! word counts as matched when we say `unknown`. Skipped, with a message, when the
//! corpus is absent. `LOGHUB_VERBOSE=1` prints the first mismatches of each set;
//! `LOGHUB_SAMPLE=N` learns from N lines instead of 200.

use std::path::{Path, PathBuf};
use std::time::Instant;

use logsift::parse::plain::PlainParser;
use logsift::parse::time::TimeCtx;
use logsift::parse::{Level, Parser, Want};

mod common;
use common::read_csv;

/// What the averages must reach: the targets are 0.99 for both.
const MIN_MSG_ACCURACY: f64 = 0.99;
const MIN_LEVEL_ACCURACY: f64 = 0.99;

struct Score {
    name: String,
    lines: usize,
    msg_ok: usize,
    level: Option<(usize, usize)>,
    ts: usize,
    shape: String,
    ns: f64,
}

fn ctx() -> TimeCtx {
    TimeCtx {
        tz: jiff::tz::TimeZone::UTC,
        now: "2026-11-28T00:00:00Z".parse().unwrap(),
    }
}

fn score(dir: &Path, verbose: bool) -> Option<Score> {
    let name = dir.file_name()?.to_str()?.to_string();
    let raw = std::fs::read(dir.join(format!("{name}_2k.log"))).ok()?;
    let csv = std::fs::read(dir.join(format!("{name}_2k.log_structured_corrected.csv"))).ok()?;
    let rows = read_csv(&String::from_utf8_lossy(&csv));
    let header = &rows[0];
    let col = |c: &str| header.iter().position(|h| h == c);
    let content = col("Content")?;
    let level_col = col("Level").filter(|&i| {
        rows[1..]
            .iter()
            .any(|r| Level::from_word(r[i].trim().as_bytes()).is_some())
    });
    let mut lines: Vec<&[u8]> = raw.split(|&b| b == b'\n').collect();
    if lines.last() == Some(&&b""[..]) {
        lines.pop();
    }
    assert_eq!(lines.len(), rows.len() - 1, "{name}: lines vs CSV rows");
    let n: usize = std::env::var("LOGHUB_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let sample = &lines[..lines.len().min(n)];
    let p = PlainParser::learn(sample, ctx());
    let mut s = Score {
        name: name.clone(),
        lines: lines.len(),
        msg_ok: 0,
        level: level_col.map(|_| (0, 0)),
        ts: 0,
        ns: 0.0,
        shape: p.schema_shape().unwrap_or_else(|| "(fallback)".into()),
    };
    let mut shown = 0;
    for (line, row) in lines.iter().zip(&rows[1..]) {
        let r = p.parse(line, Want::ALL);
        let msg = String::from_utf8_lossy(r.msg.map(|m| m.bytes()).unwrap_or(b""));
        let truth = row[content].trim();
        let msg_ok = msg.trim() == truth;
        s.msg_ok += msg_ok as usize;
        s.ts += r.ts.is_some() as usize;
        let mut level_ok = true;
        if let (Some(i), Some((ok, _))) = (level_col, s.level.as_mut()) {
            let want = Level::from_word(row[i].trim().as_bytes()).unwrap_or(Level::Unknown);
            level_ok = r.level == want;
            *ok += level_ok as usize;
        }
        if verbose && (!msg_ok || !level_ok) && shown < 5 {
            shown += 1;
            eprintln!(
                "  {name}: line {:?}\n    msg  {:?}\n    want {:?} level {:?}",
                String::from_utf8_lossy(line),
                msg,
                truth,
                r.level
            );
        }
    }
    if let Some((_, n)) = s.level.as_mut() {
        *n = lines.len();
    }
    // Speed, informative (meaningful with --release): a whole parse per line.
    let reps = if cfg!(debug_assertions) { 2 } else { 100 };
    let t = Instant::now();
    let mut sink = 0usize;
    for _ in 0..reps {
        for l in &lines {
            let r = p.parse(std::hint::black_box(l), Want::ALL);
            sink += r.msg.map_or(0, |m| m.bytes().len()) + r.level as usize;
            sink += r.ts.unwrap_or(0) as usize & 1;
        }
    }
    std::hint::black_box(sink);
    s.ns = t.elapsed().as_nanos() as f64 / (reps * lines.len()) as f64;
    Some(s)
}

#[test]
fn loghub_accuracy() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/loghub2k");
    let Some(dirs) = common::sets(&root) else {
        eprintln!("skipped: no LogHub corpus at {}", root.display());
        return;
    };
    let verbose = std::env::var_os("LOGHUB_VERBOSE").is_some();
    let scores: Vec<Score> = dirs.iter().filter_map(|d| score(d, verbose)).collect();
    assert!(
        !scores.is_empty(),
        "no LogHub sets under {}",
        root.display()
    );

    println!(
        "{:<12} {:>6} {:>8} {:>8} {:>6} {:>8}  schema",
        "set", "lines", "message", "level", "ts", "ns/line"
    );
    let (mut msg_sum, mut lvl_sum, mut lvl_n) = (0.0, 0.0, 0);
    for s in &scores {
        let m = s.msg_ok as f64 / s.lines as f64;
        msg_sum += m;
        let l = s.level.map(|(ok, n)| ok as f64 / n as f64);
        if let Some(l) = l {
            lvl_sum += l;
            lvl_n += 1;
        }
        println!(
            "{:<12} {:>6} {:>8.4} {:>8} {:>6.3} {:>8.0}  {}",
            s.name,
            s.lines,
            m,
            l.map_or("-".into(), |l| format!("{l:.4}")),
            s.ts as f64 / s.lines as f64,
            s.ns,
            s.shape
        );
    }
    if cfg!(debug_assertions) {
        println!("(ns/line is only meaningful with --release)");
    }
    let msg_avg = msg_sum / scores.len() as f64;
    let lvl_avg = if lvl_n > 0 {
        lvl_sum / lvl_n as f64
    } else {
        1.0
    };
    println!(
        "average over {} sets: message {msg_avg:.4}; level {lvl_avg:.4} over {lvl_n} sets",
        scores.len()
    );

    assert!(msg_avg >= MIN_MSG_ACCURACY, "message accuracy {msg_avg:.4}");
    assert!(lvl_avg >= MIN_LEVEL_ACCURACY, "level accuracy {lvl_avg:.4}");
}

#[test]
fn csv_reader() {
    let rows = read_csv("a,b,c\n1,\"x, \"\"y\"\"\nz\",3\r\n4,,\n");
    assert_eq!(rows[1], ["1", "x, \"y\"\nz", "3"]);
    assert_eq!(rows[2], ["4", "", ""]);
}
