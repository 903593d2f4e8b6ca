//! Golden tests for `write_report`: one hand-built report, rendered in every format
//! and compared with the snapshots under `snapshots/` (insta). The fixture carries
//! the hostile text a log can hold — `<script>`, `|`, a newline, an ANSI escape, a
//! backtick — so every format's escaping is pinned down, and an empty report checks
//! that nothing panics on zero.

use super::model::*;
use super::{ReportError, ReportFormat, SECTIONS, screen, write_report};
use crate::parse::Level;

const SEC: i64 = 1_000_000_000;
/// 2026-11-28T13:00:00Z.
const BASE: i64 = 1_795_870_800 * SEC;

fn at(minute: i64, second: i64) -> Time {
    Time(Some(BASE + (minute * 60 + second) * SEC))
}

fn levels(pairs: &[(Level, u64)]) -> Levels {
    let mut l = Levels::default();
    for &(lv, n) in pairs {
        l.add(lv, n);
    }
    l
}

#[allow(clippy::too_many_arguments)]
fn template(
    text: &str,
    lv: &[(Level, u64)],
    records: u64,
    first: Time,
    last: Time,
    example: &str,
    example_at: &str,
) -> Template {
    let levels = levels(lv);
    Template {
        template: text.to_string(),
        count: levels.total(),
        share: rate(levels.total(), records),
        levels,
        first,
        last,
        example: example.to_string(),
        example_at: example_at.to_string(),
    }
}

/// An hour of an API's logs in 1-minute buckets: an error spike at 13:41–13:44 with
/// a template never seen before, and a smaller "template" spike at 13:12.
pub fn fixture() -> Report {
    let histogram: Vec<Bucket> = (0..60)
        .map(|i: i64| {
            let mut records = 180 + (i * 37 % 23) as u64;
            let mut errors = 2 + (i * 13 % 5) as u64;
            match i {
                12 | 13 => records += 60,
                41 => (records, errors) = (records + 220, 150),
                42 => (records, errors) = (records + 260, 210),
                43 => (records, errors) = (records + 140, 90),
                _ => {}
            }
            Bucket {
                start: at(i, 0),
                records,
                errors,
            }
        })
        .collect();
    let unparsed = 12;
    let records: u64 = histogram.iter().map(|b| b.records).sum::<u64>() + unparsed;
    let errors: u64 = histogram.iter().map(|b| b.errors).sum();
    let (fatal, warn, debug) = (42, 640, 120);
    let info = records - errors - warn - debug - unparsed;
    let all = levels(&[
        (Level::Debug, debug),
        (Level::Info, info),
        (Level::Warn, warn),
        (Level::Error, errors - fatal),
        (Level::Fatal, fatal),
        (Level::Unknown, unparsed),
    ]);
    let api = "/var/log/api/app.log";
    let timeout = template(
        "Connection to <*> timed out after <*> ms",
        &[(Level::Warn, 40), (Level::Error, 520)],
        records,
        at(0, 31),
        at(59, 12),
        "Connection to 10.0.3.17:5432 timed out after 3000 ms",
        "/var/log/api/app.log:1042",
    );
    let disk = template(
        "\x1b[31mDisk <*> at <*>% capacity\x1b[0m",
        &[(Level::Warn, 300), (Level::Error, 40)],
        records,
        at(2, 5),
        at(58, 40),
        "\x1b[31mDisk /dev/sda1 at 97% capacity\x1b[0m",
        "/var/log/worker.log.gz:77",
    );
    let panic = template(
        "panic: index out of range [<*>] with length <*>",
        &[(Level::Fatal, 42)],
        records,
        at(41, 3),
        at(43, 55),
        "panic: index out of range [7] with length 7",
        "/var/log/worker.log.gz:20113",
    );
    let templates = vec![
        template(
            "GET <*> HTTP/1.1 <*> <*>ms",
            &[(Level::Info, info - 400)],
            records,
            at(0, 2),
            at(59, 58),
            "GET /api/v1/users/42?expand=orders HTTP/1.1 200 12ms",
            "/var/log/api/app.log:1",
        ),
        timeout.clone(),
        template(
            "User <*> logged in",
            &[(Level::Info, 400)],
            records,
            at(0, 9),
            at(59, 41),
            "User alice@example.com logged in",
            "<stdin>:3",
        ),
        disk.clone(),
        template(
            "payload <*> rejected: <script>alert(1)</script> | field=<*>\nat validate()",
            &[(Level::Warn, 300)],
            records,
            at(5, 0),
            at(50, 0),
            "payload 7f3a rejected: <script>alert(1)</script> | field=name\nat validate()",
            "/var/log/api/app.log:5150",
        ),
        template(
            "cache key `<*>` evicted",
            &[(Level::Debug, 120)],
            records,
            at(1, 0),
            at(59, 0),
            "cache key `user:42` evicted",
            "/var/log/api/app.log:77",
        ),
    ];
    Report {
        version: VERSION,
        inputs: vec![
            Input {
                path: api.to_string(),
                format: "json".to_string(),
                bytes: 4_718_592,
                records: 8_000,
            },
            Input {
                path: "/var/log/worker.log.gz".to_string(),
                format: "logfmt".to_string(),
                bytes: 1_048_576,
                records: records - 8_000 - 500,
            },
            Input {
                path: "<stdin>".to_string(),
                format: "plain".to_string(),
                bytes: 65_536,
                records: 500,
            },
        ],
        records,
        lines: records + 88,
        unparsed,
        levels: all,
        errors,
        error_rate: rate(errors, records),
        time: TimeSpan {
            first: at(0, 2),
            last: at(59, 58),
            bucket_seconds: 60,
        },
        histogram,
        templates,
        error_templates: vec![timeout, panic, disk],
        spikes: vec![
            Spike {
                kind: "errors".to_string(),
                start: at(41, 0),
                end: at(44, 0),
                errors: 450,
                expected: 12.5,
                score: 38.2,
                templates: vec![
                    SpikeTemplate {
                        template: "Connection to <*> timed out after <*> ms".to_string(),
                        count: 380,
                        expected: 6.0,
                        ratio: 63.33,
                        new: false,
                    },
                    SpikeTemplate {
                        template: "panic: index out of range [<*>] with length <*>".to_string(),
                        count: 42,
                        expected: 0.0,
                        ratio: 0.0,
                        new: true,
                    },
                ],
            },
            Spike {
                kind: "template".to_string(),
                start: at(12, 0),
                end: at(14, 0),
                errors: 8,
                expected: 7.0,
                score: 6.4,
                templates: vec![SpikeTemplate {
                    template: "User <*> logged in".to_string(),
                    count: 180,
                    expected: 14.0,
                    ratio: 12.86,
                    new: false,
                }],
            },
        ],
        by: vec![(
            "service".to_string(),
            vec![
                ByRow {
                    value: Some("api".to_string()),
                    records: 8_000,
                    errors: 500,
                    error_rate: rate(500, 8_000),
                },
                ByRow {
                    value: Some("worker|batch".to_string()),
                    records: records - 8_600,
                    errors: errors - 505,
                    error_rate: rate(errors - 505, records - 8_600),
                },
                ByRow {
                    value: None,
                    records: 600,
                    errors: 5,
                    error_rate: rate(5, 600),
                },
            ],
        )],
        notes: vec![
            "12 records without a timestamp are left out of the histogram".to_string(),
            "capped: 2,041 distinct keys beyond 1,000 folded into 'other'".to_string(),
        ],
    }
}

/// No input read a record.
pub fn empty() -> Report {
    Report {
        version: VERSION,
        inputs: Vec::new(),
        records: 0,
        lines: 0,
        unparsed: 0,
        levels: Levels::default(),
        errors: 0,
        error_rate: 0.0,
        time: TimeSpan {
            first: Time(None),
            last: Time(None),
            bucket_seconds: 60,
        },
        histogram: Vec::new(),
        templates: Vec::new(),
        error_templates: Vec::new(),
        spikes: Vec::new(),
        by: Vec::new(),
        notes: Vec::new(),
    }
}

fn render(r: &Report, format: ReportFormat, section: Option<&str>) -> String {
    let mut v = Vec::new();
    write_report(r, format, false, section, &mut v).unwrap();
    String::from_utf8(v).unwrap()
}

fn terminal(r: &Report, color: bool, width: usize) -> String {
    let mut v = Vec::new();
    screen::write(r, color, width, &mut v).unwrap();
    String::from_utf8(v).unwrap()
}

/// No control character but newline; in particular no ESC from the logs.
fn assert_no_controls(s: &str) {
    for (i, c) in s.char_indices() {
        assert!(
            c == '\n' || !(c.is_control()),
            "control {c:?} at byte {i} in:\n{s}"
        );
    }
}

#[test]
fn table_snapshot() {
    let s = terminal(&fixture(), false, 100);
    assert_no_controls(&s);
    insta::assert_snapshot!("table", s);
}

#[test]
fn table_fits_the_width() {
    for width in [80, 100, 140] {
        let s = terminal(&fixture(), false, width);
        for line in s.lines() {
            assert!(
                line.chars().count() <= width,
                "{} > {width}: {line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn table_in_colour_escapes_the_logs_own_escapes() {
    let s = terminal(&fixture(), true, 100);
    assert!(s.contains("\x1b[31m"), "errors are red");
    // The template's own ESC is shown, never written.
    assert!(!s.contains("\x1b[31mDisk"));
    assert!(s.contains("\\x1b[31mDisk"));
    let plain = terminal(&fixture(), false, 100);
    assert!(!plain.contains('\x1b'));
}

#[test]
fn table_with_few_buckets_draws_bars() {
    let mut r = fixture();
    r.histogram.truncate(16);
    r.spikes.remove(0);
    r.time.last = at(15, 59);
    insta::assert_snapshot!("table_few_buckets", terminal(&r, false, 100));
}

#[test]
fn json_is_the_model() {
    let r = fixture();
    let s = render(&r, ReportFormat::Json, None);
    assert!(s.ends_with("}\n"));
    assert_eq!(s, serde_json::to_string_pretty(&r).unwrap() + "\n");
    // Valid JSON, with the model's keys (floats are not compared: serde_json's parser
    // may round the last digit).
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), keys(&r.to_json()));
    assert_eq!(v["version"], 1);
    assert_eq!(v["templates"][4]["template"], r.templates[4].template);
    insta::assert_snapshot!("json", s);
}

#[test]
fn csv_every_section() {
    let r = fixture();
    for name in SECTIONS {
        let s = render(&r, ReportFormat::Csv, Some(name));
        assert_no_controls(&s);
        insta::assert_snapshot!(format!("csv_{name}"), s);
    }
    assert_eq!(
        render(&r, ReportFormat::Csv, None),
        render(&r, ReportFormat::Csv, Some("templates"))
    );
}

#[test]
fn unknown_section_names_the_valid_ones() {
    let mut v = Vec::new();
    let e = write_report(&fixture(), ReportFormat::Csv, false, Some("nope"), &mut v).unwrap_err();
    assert!(matches!(e, ReportError::UnknownSection { .. }));
    assert_eq!(
        e.to_string(),
        "unknown report section 'nope' (valid sections: inputs, levels, histogram, \
         templates, error_templates, spikes, by)"
    );
    assert!(v.is_empty());
}

#[test]
fn markdown_snapshot() {
    let s = render(&fixture(), ReportFormat::Md, None);
    assert_no_controls(&s);
    // Every table row has as many cells as its header: no `|` or newline leaked.
    let mut cols = None;
    for line in s.lines() {
        if line.starts_with('|') {
            let n = line.replace("\\|", "").matches('|').count();
            assert_eq!(*cols.get_or_insert(n), n, "{line}");
        } else {
            cols = None;
        }
    }
    insta::assert_snapshot!("md", s);
}

/// A small well-formedness check: every element opened is closed, in order (void
/// elements and `/>` aside), every `&` starts an entity, and no tag is `<script`.
fn check_html(s: &str) {
    const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['<', '&']) {
        let tail = &rest[i..];
        if tail.starts_with('&') {
            let end = tail.find(';').expect("an entity ends with ;");
            let name = &tail[1..end];
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#'),
                "bad entity {:?}",
                &tail[..end + 1]
            );
            rest = &tail[end + 1..];
            continue;
        }
        let end = tail.find('>').expect("a tag ends with >");
        let tag = &tail[1..end];
        rest = &tail[end + 1..];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "empty tag name: <{tag}>");
        assert_ne!(name.to_ascii_lowercase(), "script");
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{closing}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

#[test]
fn html_snapshot() {
    let s = render(&fixture(), ReportFormat::Html, None);
    check_html(&s);
    assert_no_controls(&s);
    assert!(!s.to_ascii_lowercase().contains("<script"));
    assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(s.starts_with("<!DOCTYPE html>\n"));
    assert!(
        !s.contains(" src=") && !s.contains("<link") && !s.contains("url("),
        "no external asset"
    );
    insta::assert_snapshot!("html", s);
}

#[test]
fn html_checker_catches_mistakes() {
    for bad in [
        "<p><b>x</p></b>",
        "<div>",
        "a & b",
        "<p><script>x</script></p>",
    ] {
        assert!(
            std::panic::catch_unwind(|| check_html(bad)).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn empty_report_in_every_format() {
    let r = empty();
    for format in [
        ReportFormat::Table,
        ReportFormat::Json,
        ReportFormat::Md,
        ReportFormat::Html,
    ] {
        let s = render(&r, format, None);
        assert!(!s.is_empty());
        if format == ReportFormat::Html {
            check_html(&s);
        }
    }
    for name in SECTIONS {
        let s = render(&r, ReportFormat::Csv, Some(name));
        // The header; the levels table always lists the seven levels.
        let rows = if *name == "levels" { 8 } else { 1 };
        assert_eq!(s.lines().count(), rows, "{s}");
    }
    insta::assert_snapshot!("empty_table", terminal(&r, false, 100));
    insta::assert_snapshot!("empty_md", render(&r, ReportFormat::Md, None));
}

#[test]
fn odd_times_do_not_panic() {
    let mut r = fixture();
    r.time.first = Time(Some(i64::MIN));
    r.time.last = Time(Some(i64::MAX));
    r.spikes[0].start = Time(Some(i64::MAX));
    r.spikes[0].end = Time(Some(i64::MIN));
    r.spikes[1].end = Time(None);
    r.histogram[3].start = Time(None);
    r.time.bucket_seconds = 0;
    for format in [ReportFormat::Table, ReportFormat::Md, ReportFormat::Html] {
        render(&r, format, None);
    }
}

#[test]
fn narrow_terminal_does_not_panic() {
    for width in [0, 1, 20, 40] {
        terminal(&fixture(), true, width);
        terminal(&empty(), false, width);
    }
}
