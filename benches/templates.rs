//! Micro-benchmarks of template mining, with byte throughput over message bytes (the
//! header already stripped, as `report` hands messages to the masker):
//!
//! * `templates_mask/synthetic`: typical service messages (ids, IPs, durations,
//!   `key=value`, quoted values, paths), built in;
//! * `templates_mask/loghub`: every message of the 16 LogHub 2k samples, when
//!   `../shared/corpora/loghub2k` is present (headers stripped by the plain parser);
//! * `templates_mask/file`: the messages of a plain log named by `LOGSIFT_BENCH_LOG`
//!   (e.g. `cargo run --release --example gen -- --format plain --size 2MB --seed 1`);
//! * `templates_cluster/loghub`: clustering each LogHub sample's distinct keys (the
//!   once-per-report cost at merge time).
//!
//! The budget is about 200 ns per 100-byte message for `mask` (1 GB/s on 2 cores for
//! parse + mask + a map hit). Divide a group's time by the message count printed at
//! setup for ns per message. Run: `cargo bench --bench templates`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use logsift::aggregate::templates::{Masker, cluster};
use logsift::parse::plain::PlainParser;
use logsift::parse::time::TimeCtx;
use logsift::parse::{Parser, Want};

fn synthetic() -> Vec<Vec<u8>> {
    let shapes: [&dyn Fn(usize) -> String; 12] = [
        &|i| {
            format!(
                "Connection to 10.2.{}.{}:5432 timed out after {} ms",
                i % 7,
                i % 250,
                i * 13 % 900
            )
        },
        &|i| {
            format!(
                "Request completed method=GET path=/api/v1/orders/88{i:02} status=200 duration_ms={}.{} user=u-18{i} trace_id=4bf92f3577b34da6a3ce929d0e0e47{i:02}",
                i % 90,
                i % 10
            )
        },
        &|i| {
            format!(
                "User u{i}@example.com logged in from 203.0.113.{} (session=7f18e7ae-ec07-4179-9c5c-dfccab6854{i:02})",
                i % 250
            )
        },
        &|i| format!("Cache hit key=\"product:{}\" ttl={}s", i * 31, i % 600),
        &|i| {
            format!(
                "Search query=\"wireless headphones\" results={} took={}ms tenant=wayne-ent",
                i % 40,
                i % 90
            )
        },
        &|i| {
            format!(
                "Scheduled job nightly-reconcile finished in {} ms, processed={} rows",
                i * 7 % 999,
                i * 3
            )
        },
        &|i| {
            format!(
                "GET /api/v1/cart/15727142-c64f-4c34-84d3-ccc0075db8{i:02}/items 200 {}ms bytes={} client=214.107.54.{}",
                i % 50,
                i * 97,
                i % 250
            )
        },
        &|i| {
            format!(
                "Published event order.created to topic orders partition={} offset={}",
                i % 12,
                1_000_000 + i * 17
            )
        },
        &|i| {
            format!(
                "Slow query took {}ms: SELECT * FROM order_items WHERE order_id = '{}'",
                200 + i,
                88_000 + i
            )
        },
        &|i| {
            format!(
                "Retrying request to payments-svc (attempt {}/3) after {}ms: connection reset by peer",
                i % 3 + 1,
                i * 50 % 2000
            )
        },
        &|i| {
            format!(
                "Payment authorized order=ORD-7269{i:04} amount={}.{:02} EUR card=**** **** **** {:04} psp=adyen latency={}ms",
                i % 300,
                i % 100,
                i * 7 % 10000,
                i % 400
            )
        },
        &|i| {
            format!(
                "GC pause {}ms (G1 Evacuation Pause) heap={}M->{}M({}M)",
                i % 80,
                900 + i,
                400 + i,
                2048
            )
        },
    ];
    (0..96)
        .map(|i| shapes[i % shapes.len()](i).into_bytes())
        .collect()
}

/// The messages of a plain log: header learned from its first 200 lines and cut off.
fn messages_of(raw: &[u8], max: usize) -> Vec<Vec<u8>> {
    let lines: Vec<&[u8]> = raw
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .take(max)
        .collect();
    let p = PlainParser::learn(&lines[..lines.len().min(200)], TimeCtx::default());
    lines
        .iter()
        .map(|l| {
            p.parse(l, Want::ALL)
                .msg
                .map_or(&b""[..], |m| m.bytes())
                .to_vec()
        })
        .collect()
}

/// Each LogHub 2k sample's messages, when the corpus is present.
fn loghub() -> Vec<Vec<Vec<u8>>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/loghub2k");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| {
            let name = d.file_name()?.to_str()?;
            let raw = std::fs::read(d.join(format!("{name}_2k.log"))).ok()?;
            Some(messages_of(&raw, usize::MAX))
        })
        .collect()
}

fn bench_mask(c: &mut Criterion, name: &str, msgs: &[Vec<u8>]) {
    if msgs.is_empty() {
        return;
    }
    let bytes: usize = msgs.iter().map(|m| m.len()).sum();
    eprintln!(
        "templates_mask/{name}: {} messages, {:.1} bytes on average",
        msgs.len(),
        bytes as f64 / msgs.len() as f64
    );
    let mut g = c.benchmark_group("templates_mask");
    g.throughput(Throughput::Bytes(bytes as u64));
    let mut masker = Masker::new();
    g.bench_function(name, |b| {
        b.iter(|| {
            let mut x = 0u64;
            for m in msgs {
                x ^= masker.mask(black_box(m));
            }
            black_box(x)
        })
    });
    g.finish();
}

fn mask(c: &mut Criterion) {
    bench_mask(c, "synthetic", &synthetic());
    let sets = loghub();
    bench_mask(c, "loghub", &sets.concat());
    if let Some(path) = std::env::var_os("LOGSIFT_BENCH_LOG") {
        let raw = std::fs::read(&path).expect("LOGSIFT_BENCH_LOG names a readable file");
        bench_mask(c, "file", &messages_of(&raw, 200_000));
    }
}

fn clustering(c: &mut Criterion) {
    let sets = loghub();
    if sets.is_empty() {
        return;
    }
    // Distinct masked keys of each sample, with counts.
    let keys: Vec<Vec<(Vec<u8>, u64)>> = sets
        .iter()
        .map(|msgs| {
            let mut masker = Masker::new();
            let mut map = std::collections::HashMap::new();
            for m in msgs {
                masker.mask(m);
                *map.entry(masker.masked().to_vec()).or_insert(0u64) += 1;
            }
            let mut v: Vec<(Vec<u8>, u64)> = map.into_iter().collect();
            v.sort();
            v
        })
        .collect();
    let total: usize = keys.iter().map(Vec::len).sum();
    eprintln!(
        "templates_cluster/loghub: {total} distinct keys in {} samples",
        keys.len()
    );
    let mut g = c.benchmark_group("templates_cluster");
    g.throughput(Throughput::Elements(total as u64));
    g.bench_function("loghub", |b| {
        b.iter(|| {
            let mut n = 0;
            for k in &keys {
                let borrowed: Vec<(&[u8], u64)> =
                    k.iter().map(|(t, c)| (t.as_slice(), *c)).collect();
                n += cluster(black_box(&borrowed)).templates.len();
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, mask, clustering);
criterion_main!(benches);
