//! Micro-benchmarks of the scanner's hot paths, with byte throughput:
//! cutting a buffer into record-aligned chunks, framing every record, and the grep
//! worker on one chunk. Run: `cargo bench --bench scan`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use logsift::grep::matcher::{MatchOptions, Matcher};
use logsift::grep::search::{SearchOptions, Searcher};
use logsift::input::Compression;
use logsift::record::{Framer, Multiline};
use logsift::scan::{Chunk, InputInfo, Worker, chunk_end};
use std::hint::black_box;

/// About `size` bytes of log lines with a stack trace every 50 records (deterministic).
fn sample(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 256);
    let mut i = 0u64;
    while out.len() < size {
        let level = ["INFO ", "DEBUG", "WARN ", "ERROR"][(i % 37 % 4) as usize];
        out.extend_from_slice(
            format!(
                "2026-11-28T13:{:02}:{:02}.{:03}Z {level} [api-{:04x}] http.client - request {} took {} ms user=u{}\n",
                i / 60 % 60,
                i % 60,
                i % 1000,
                i % 7919,
                i,
                i % 997,
                i % 101
            )
            .as_bytes(),
        );
        if i % 50 == 49 {
            out.extend_from_slice(b"java.lang.IllegalStateException: boom\n\tat com.acme.Foo.bar(Foo.java:12)\n\tat com.acme.Main.run(Main.java:3)\nCaused by: java.io.IOException: closed\n\t... 2 more\n");
        }
        i += 1;
    }
    out
}

fn framing(c: &mut Criterion) {
    let buf = sample(8 << 20);
    let mut g = c.benchmark_group("framing");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for (name, mode) in [("none", Multiline::None), ("auto", Multiline::Auto)] {
        let framer = Framer::new(mode);
        g.bench_function(format!("chunk_split_64KiB/{name}"), |b| {
            b.iter(|| {
                let (mut s, mut n) = (0, 0);
                while s < buf.len() {
                    s = chunk_end(&framer, &buf, s, 64 << 10);
                    n += 1;
                }
                black_box(n)
            })
        });
        g.bench_function(format!("every_record/{name}"), |b| {
            b.iter(|| {
                let (mut s, mut n) = (0, 0);
                while s < buf.len() {
                    s = framer.next_record_end(&buf, s);
                    n += 1;
                }
                black_box(n)
            })
        });
        g.bench_function(format!("records_iter/{name}"), |b| {
            b.iter(|| black_box(framer.records(&buf).count()))
        });
    }
    g.finish();
}

fn search(c: &mut Criterion) {
    let buf = sample(8 << 20);
    let mut g = c.benchmark_group("grep_chunk");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for (name, pat, ci) in [
        ("literal", "ERROR", false),
        ("regex", "took [0-9]+ ?ms user=u7\\b", false),
        ("ignore_case", "error", true),
    ] {
        for (mname, mode) in [("none", Multiline::None), ("auto", Multiline::Auto)] {
            let mut s = Searcher {
                matcher: Matcher::new(
                    &[pat.to_string()],
                    &MatchOptions {
                        ignore_case: ci,
                        ..Default::default()
                    },
                )
                .unwrap(),
                framer: Framer::new(mode),
                opts: SearchOptions {
                    invert: false,
                    count_only: true,
                    count_matches: false,
                    limit: None,
                    line_numbers: false,
                },
                filter: Default::default(),
            };
            let chunk = Chunk::from_bytes(0, 0, buf.clone());
            let info = InputInfo {
                index: 0,
                name: "bench".into(),
                size: None,
                compression: Compression::None,
                stream: false,
                format: None,
            };
            g.bench_function(format!("count/{name}/{mname}"), |b| {
                b.iter(|| black_box(s.process(&info, &chunk).count))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, framing, search);
criterion_main!(benches);
