//! Property tests: for random log-like inputs, output does not depend on how the input
//! is cut or read. `-j 1` and `-j 3`, `--chunk-size` 1, 7, 64 and the default, a mapped
//! file, the same bytes through stdin, and gzip-compressed: byte-identical output and
//! the same exit code as `-j 1` on the plain file. That reference is itself checked
//! against a small model of DESIGN.md's rules (framing, matching, record context).
//!
//! Case counts are modest: every case runs the binary about ten times.

use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::util::{Dir, gzip, lossy};

/// Lines of the alphabet: record heads, every kind of continuation line of the
/// `--multiline auto` rule, empty lines, garbage.
const LINES: &[&[u8]] = &[
    b"2026-11-28 10:00:01 ERROR db timeout",
    b"2026-11-28 10:00:02 INFO ok",
    b"WARN slow ERROR",
    b"x",
    b"",
    b"\tat a.B.c(B.java:1)",
    b"at c.D.e(D.java:2)",
    b"Caused by: e.F: boom",
    b"... 2 more",
    b"  File \"a.py\", line 1, in f",
    b"Traceback (most recent call last):",
    b"KeyError: 'id'",
    b"error: lower case",
    b"garbage \xff\xfe\x00 bytes",
];

const PATTERNS: &[&str] = &["ERROR", "at ", "more$", "^[A-Z]", "o", "(?i)error"];

const OPTIONS: &[&[&str]] = &[
    &[],
    &["-c"],
    &["-v"],
    &["-n"],
    &["-C", "1"],
    &["-n", "-C", "1"],
    &["-v", "-n", "-C", "1"],
];

fn config(cases: u32) -> Config {
    Config {
        cases,
        max_shrink_time: 10_000,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A generated log; shown as an escaped byte string when a case fails.
#[derive(Clone)]
struct Log(Vec<u8>);

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

fn log_strategy() -> impl Strategy<Value = Log> {
    (
        prop::collection::vec(prop::sample::select(LINES), 0..40),
        any::<bool>(),
    )
        .prop_map(|(lines, final_newline)| {
            let mut v = lines.join(&b"\n"[..]);
            if final_newline && !lines.is_empty() {
                v.push(b'\n');
            }
            Log(v)
        })
}

#[derive(Clone, Copy, Debug)]
enum Source {
    File,
    Stdin,
    Gzip,
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(dir: &Dir, source: Source, log: &[u8], args: &[&str]) -> Run {
    let mut cmd = dir.command();
    cmd.args(args).timeout(Duration::from_secs(60));
    match source {
        Source::File => {
            cmd.arg("in.log");
        }
        Source::Gzip => {
            cmd.arg("in.log.gz");
        }
        Source::Stdin => {
            cmd.stdin(log.to_vec());
        }
    }
    let out = cmd.output();
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// Runs every (threads, chunk size) variant for `source` and compares with `-j 1` on
/// the plain file.
fn same_everywhere(
    source: Source,
    log: &[u8],
    pat: &str,
    multiline: &str,
    opts: &[&str],
) -> Result<(), TestCaseError> {
    let dir = Dir::new();
    dir.create("in.log", log);
    dir.create("in.log.gz", gzip(log));
    let mut base = vec!["--multiline", multiline];
    base.extend_from_slice(opts);
    let reference = {
        let mut a = base.clone();
        a.extend(["-j", "1", "-e", pat]);
        run(&dir, Source::File, log, &a)
    };
    prop_assert!(
        matches!(reference.code, Some(0 | 1)) && reference.stderr.is_empty(),
        "reference run failed: {:?} {}",
        reference.code,
        lossy(&reference.stderr)
    );
    if let Some(want) = model(log, pat, multiline, opts) {
        prop_assert_eq!(
            lossy(&want.1),
            lossy(&reference.stdout),
            "model vs logsift, {:?} {} {:?}",
            opts,
            multiline,
            pat
        );
        prop_assert_eq!(Some(want.0), reference.code);
    }
    for threads in ["1", "3"] {
        for chunk in [Some("1"), Some("7"), Some("64"), None] {
            let mut a = base.clone();
            a.extend(["-j", threads]);
            if let Some(c) = chunk {
                a.extend(["--chunk-size", c]);
            }
            a.extend(["-e", pat]);
            let got = run(&dir, source, log, &a);
            prop_assert_eq!(
                lossy(&reference.stdout),
                lossy(&got.stdout),
                "{:?} with {:?}",
                source,
                a
            );
            prop_assert_eq!(reference.code, got.code, "{:?} with {:?}", source, a);
            prop_assert!(
                got.stderr.is_empty(),
                "{:?} with {:?}: {}",
                source,
                a,
                lossy(&got.stderr)
            );
        }
    }
    Ok(())
}

/// DESIGN.md's `--multiline auto` rule, for the lines of `LINES`.
fn continues(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t'))
        || line.starts_with(b"at ")
        || line.starts_with(b"Caused by:")
        || line == b"... 2 more"
        || line == b"Traceback (most recent call last):"
        || line == b"KeyError: 'id'"
}

/// What `logsift grep` should print (exit code, stdout): records framed by the rule
/// above, a record selected when one of its lines matches (or none, with -v), context
/// counted in records with `--` between groups that do not touch, ripgrep's `:`/`-`.
/// Models `-c`, `-v`, `-n`, `-C N`; `None` for any other option.
fn model(log: &[u8], pat: &str, multiline: &str, opts: &[&str]) -> Option<(i32, Vec<u8>)> {
    let (mut count, mut invert, mut numbers, mut context) = (false, false, false, 0);
    let mut it = opts.iter();
    while let Some(o) = it.next() {
        match *o {
            "-c" => count = true,
            "-v" => invert = true,
            "-n" => numbers = true,
            "-C" => context = it.next()?.parse().ok()?,
            _ => return None,
        }
    }
    let re = regex::bytes::Regex::new(pat).unwrap();
    let mut lines: Vec<&[u8]> = log.split(|&b| b == b'\n').collect();
    if log.is_empty() || log.ends_with(b"\n") {
        lines.pop();
    }
    // Records as (first line index, lines).
    let mut records: Vec<(usize, Vec<&[u8]>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match records.last_mut() {
            Some((_, rec)) if multiline == "auto" && continues(line) => rec.push(line),
            _ => records.push((i, vec![line])),
        }
    }
    let selected: Vec<usize> = (0..records.len())
        .filter(|&k| records[k].1.iter().any(|l| re.is_match(l)) != invert)
        .collect();
    let n = selected.len();
    let code = if n > 0 { 0 } else { 1 };
    if count {
        let out = if n > 0 {
            format!("{n}\n").into_bytes()
        } else {
            Vec::new()
        };
        return Some((code, out));
    }
    // Record index -> is it selected (else context)?
    let mut shown = std::collections::BTreeMap::new();
    for &k in &selected {
        shown.insert(k, true);
    }
    for &k in &selected {
        let lo = k.saturating_sub(context);
        let hi = (k + context).min(records.len() - 1);
        for c in lo..=hi {
            shown.entry(c).or_insert(false);
        }
    }
    let mut out = Vec::new();
    let mut prev: Option<usize> = None;
    for (&k, &is_match) in &shown {
        if context > 0 && prev.is_some_and(|p| p + 1 != k) {
            out.extend_from_slice(b"--\n");
        }
        prev = Some(k);
        let (first, rec) = &records[k];
        for (j, l) in rec.iter().enumerate() {
            if numbers {
                let sep = if is_match { ':' } else { '-' };
                out.extend(format!("{}{sep}", first + j + 1).bytes());
            }
            out.extend_from_slice(l);
            out.push(b'\n');
        }
    }
    Some((code, out))
}

proptest! {
    #![proptest_config(config(40))]

    #[test]
    fn same_output_for_any_chunking_file(
        log in log_strategy(),
        pat in prop::sample::select(PATTERNS),
        multiline in prop::sample::select(&["auto", "none"][..]),
        opts in prop::sample::select(OPTIONS),
    ) {
        same_everywhere(Source::File, &log.0, pat, multiline, opts)?;
    }

    #[test]
    fn same_output_for_any_chunking_stdin(
        log in log_strategy(),
        pat in prop::sample::select(PATTERNS),
        multiline in prop::sample::select(&["auto", "none"][..]),
        opts in prop::sample::select(OPTIONS),
    ) {
        same_everywhere(Source::Stdin, &log.0, pat, multiline, opts)?;
    }

    #[test]
    fn same_output_for_any_chunking_gzip(
        log in log_strategy(),
        pat in prop::sample::select(PATTERNS),
        multiline in prop::sample::select(&["auto", "none"][..]),
        opts in prop::sample::select(OPTIONS),
    ) {
        same_everywhere(Source::Gzip, &log.0, pat, multiline, opts)?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Arbitrary bytes never make logsift fail or panic.
    #[test]
    fn random_bytes_are_data(
        data in prop::collection::vec(any::<u8>(), 0..3000),
        multiline in prop::sample::select(&["auto", "none"][..]),
    ) {
        let dir = Dir::new();
        dir.create("r.bin", &data);
        for args in [
            &["-n", "-C", "1", "--chunk-size", "7", "[a-f]"][..],
            &["-c", "-v", "--chunk-size", "1", "-j", "3", "\\x00"],
        ] {
            let out = dir
                .command()
                .args(["--multiline", multiline])
                .args(args)
                .arg("r.bin")
                .timeout(Duration::from_secs(15))
                .output();
            prop_assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}: {:?} {}", args, out.status, lossy(&out.stderr));
        }
    }
}
