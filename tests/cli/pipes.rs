//! logsift at either end of a pipe: `logsift grep … | head -1` exits quietly; a
//! writer that closes stdin early (mid-line, or at once) is not an error; a live pipe
//! gets its matches printed before its input ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

use crate::util::{Dir, gzip, lossy, wait_timeout};

fn spawn(dir: &Dir, args: &[&str], stdin: Stdio) -> Child {
    Command::cargo_bin("logsift")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning logsift")
}

/// Reads one line, then closes the pipe, as `head -1` does.
fn read_one_line_and_close(stdout: ChildStdout) -> String {
    let mut r = BufReader::new(stdout);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    drop(r);
    line
}

fn finish(mut child: Child, what: &str) -> (Option<i32>, String) {
    let mut stderr = child.stderr.take().unwrap();
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = wait_timeout(&mut child, Duration::from_secs(30)).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("{what}: logsift kept running after its output was closed")
    });
    (status.code(), lossy(&err.join().unwrap()))
}

fn big_log() -> String {
    (0..300_000)
        .map(|i| format!("2026-11-28 ERROR line {i} of a log that is long enough\n"))
        .collect()
}

#[test]
fn closed_output_pipe_exits_quietly() {
    let dir = Dir::new();
    let log = big_log();
    dir.create("big.log", &log);
    dir.create_gz("big.log.gz", &log);
    let cases: &[&[&str]] = &[
        &["grep", "ERROR", "big.log"],
        &["grep", "-n", "-C", "1", "line", "big.log"],
        &["grep", "--json", "ERROR", "big.log"],
        &["grep", "-o", "[0-9]+", "big.log"],
        &[
            "grep",
            "-j",
            "1",
            "--chunk-size",
            "4096",
            "ERROR",
            "big.log",
        ],
        &["grep", "ERROR", "big.log.gz"],
        &[
            "grep",
            "--color",
            "always",
            "ERROR",
            "big.log",
            "big.log.gz",
        ],
    ];
    for args in cases {
        let mut child = spawn(&dir, args, Stdio::null());
        let line = read_one_line_and_close(child.stdout.take().unwrap());
        assert!(
            line.starts_with("2026") || line.contains("2026"),
            "{args:?}: {line:?}"
        );
        let (code, err) = finish(child, &format!("{args:?}"));
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}: should exit quietly");
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
}

#[test]
fn closed_output_pipe_while_reading_stdin() {
    let dir = Dir::new();
    let log = big_log();
    let mut child = spawn(&dir, &["grep", "ERROR"], Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    // The writer keeps writing until logsift goes away (then its writes fail).
    let writer = std::thread::spawn(move || {
        for _ in 0..4 {
            if stdin.write_all(log.as_bytes()).is_err() {
                return;
            }
        }
    });
    let line = read_one_line_and_close(child.stdout.take().unwrap());
    assert!(line.contains("line 0"), "{line:?}");
    let (code, err) = finish(child, "stdin");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err, "");
    assert_eq!(code, Some(0), "{err}");
    writer.join().unwrap();
}

#[test]
fn stdin_closed_early() {
    let dir = Dir::new();
    // The writer dies in the middle of a line (and of a stack trace).
    let mut child = spawn(&dir, &["grep", "-n", "ERROR"], Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"a INFO\nb ERROR\n\tat x.Y(Y.java:1)\nc ERROR half a li")
        .unwrap();
    drop(stdin);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let (code, err) = finish(child, "stdin closed early");
    eqnice!(
        "2:b ERROR\n3:\tat x.Y(Y.java:1)\n4:c ERROR half a li\n",
        out
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");

    // Closed at once: nothing read, nothing matched, no error.
    let mut child = spawn(&dir, &["grep", "ERROR", "-"], Stdio::piped());
    drop(child.stdin.take());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let (code, err) = finish(child, "stdin closed at once");
    assert_eq!((code, out.as_str(), err.as_str()), (Some(1), "", ""));

    // A gzip stream cut off by its writer: the error names stdin, what came is searched.
    let gz = gzip(
        (0..20_000)
            .map(|i| format!("line {i} ERROR\n"))
            .collect::<String>()
            .as_bytes(),
    );
    let mut child = spawn(&dir, &["grep", "-c", "ERROR"], Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    let cut = gz[..gz.len() * 2 / 3].to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&cut);
    });
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let (code, err) = finish(child, "gzip on stdin cut off");
    writer.join().unwrap();
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("<stdin>"), "{err}");
    let n: u64 = out.trim().parse().unwrap_or_else(|_| panic!("{out:?}"));
    assert!(n > 0 && n < 20_000, "{n}");
}

/// A live pipe (`tail -f app.log | logsift grep ERROR`): a match is printed while the
/// writer is still there, not when its input ends. (No timing is asserted: only that
/// the line arrives before stdin is closed; the wait is generous.)
#[test]
fn live_pipe_prints_matches_before_input_ends() {
    let dir = Dir::new();
    for multiline in ["none", "auto"] {
        let mut child = spawn(
            &dir,
            &["grep", "--multiline", multiline, "ERROR"],
            Stdio::piped(),
        );
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        stdin.write_all(b"a INFO start\nb ERROR first\n").unwrap();
        stdin.flush().unwrap();
        let got = rx.recv_timeout(Duration::from_secs(20));
        assert_eq!(
            got.as_deref(),
            Ok("b ERROR first\n"),
            "--multiline {multiline}: no match printed while the pipe is open"
        );
        stdin.write_all(b"c INFO\nd ERROR second\n").unwrap();
        stdin.flush().unwrap();
        let got = rx.recv_timeout(Duration::from_secs(20));
        assert_eq!(
            got.as_deref(),
            Ok("d ERROR second\n"),
            "--multiline {multiline}"
        );
        drop(stdin);
        let (code, err) = finish(child, "live pipe");
        reader.join().unwrap();
        assert_eq!(code, Some(0), "{err}");
    }
}
