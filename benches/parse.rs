//! Micro-benchmarks of the parsers' hot paths, with byte throughput: what `count --by
//! level` asks (level only) and what a report asks (timestamp, level, message), on
//! typical lines. The JSON scanner is measured against borrowed serde_json (a map of
//! `RawValue`s and the same key lookups) — the reason it is hand-written.
//! Run: `cargo bench --bench parse`.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use logsift::parse::json::JsonParser;
use logsift::parse::plain::PlainParser;
use logsift::parse::time::{TimeCtx, parse_timestamp};
use logsift::parse::{Level, Parser, Want};
use serde_json::value::RawValue;

fn json_lines() -> Vec<String> {
    (0..64)
        .map(|i| {
            let level = ["info", "warn", "error", "debug"][i % 4];
            format!(
                r#"{{"ts":"2026-11-28T13:04:{:02}.{:03}Z","level":"{level}","logger":"api.handler","caller":"handler/orders.go:142","msg":"request completed for order {i}","method":"GET","path":"/api/v1/orders/88{i:02}","status":200,"duration_ms":12.4,"user":{{"id":"u-18{i}","plan":"pro"}},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}}"#,
                i % 60,
                i * 7 % 1000
            )
        })
        .collect()
}

fn plain_lines() -> Vec<String> {
    (0..64)
        .map(|i| {
            let level = ["INFO ", "WARN ", "ERROR", "DEBUG"][i % 4];
            format!(
                "2026-11-28T13:04:{:02}.{:03}Z {level} [api-{:04x}] checkout.PaymentClient - Connection to 10.2.3.{i}:5432 timed out after {} ms",
                i % 60,
                i * 7 % 1000,
                i * 37,
                i * 13
            )
        })
        .collect()
}

const WANTS: [(&str, Want); 2] = [
    (
        "level",
        Want {
            ts: false,
            level: true,
            msg: false,
            one_line: false,
        },
    ),
    ("ts_level_msg", Want::ALL),
];

fn bench_lines(c: &mut Criterion, group: &str, lines: &[String], parser: &dyn Parser) {
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes as u64));
    for (name, want) in WANTS {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0usize;
                for l in lines {
                    n += parser.parse(l.as_bytes(), want).level as usize;
                }
                black_box(n)
            })
        });
    }
    g.finish();
}

fn json(c: &mut Criterion) {
    let lines = json_lines();
    let ctx = TimeCtx::default();
    bench_lines(c, "json_scanner", &lines, &JsonParser::new(ctx.clone()));

    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let mut g = c.benchmark_group("json_serde_borrowed");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("ts_level_msg", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for l in &lines {
                let Ok(m) = serde_json::from_str::<HashMap<&str, &RawValue>>(l) else {
                    continue;
                };
                let find = |keys: &[&str]| keys.iter().find_map(|k| m.get(k).map(|v| v.get()));
                fn strip(s: &str) -> &str {
                    s.strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .unwrap_or(s)
                }
                let ts = find(&["ts", "time", "timestamp", "@timestamp", "t", "date"])
                    .and_then(|v| parse_timestamp(strip(v).as_bytes(), &ctx));
                let level = find(&["level", "lvl", "severity", "levelname"])
                    .and_then(|v| Level::from_word(strip(v).as_bytes()))
                    .unwrap_or_default();
                let msg = find(&["msg", "message", "@message", "log", "event"]).map(|v| v.len());
                n += level as usize + ts.is_some() as usize + msg.unwrap_or(0);
            }
            black_box(n)
        })
    });
    g.finish();
}

fn plain(c: &mut Criterion) {
    let lines = plain_lines();
    let sample: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    let parser = PlainParser::learn(&sample, TimeCtx::default());
    bench_lines(c, "plain", &lines, &parser);
}

criterion_group!(benches, json, plain);
criterion_main!(benches);
