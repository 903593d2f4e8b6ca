//! Inputs that must not kill the process (DESIGN.md, "Rules that hold everywhere"):
//! invalid UTF-8, NUL and control bytes, empty files, a missing final newline, a
//! 100 MB line, a truncated gzip or zstd stream, a file truncated while being read.
//! Big inputs are generated here, in a scratch directory; nothing big is committed.

use std::process::{Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

use crate::util::{Dir, assert_json_records, gzip, lossy, wait_timeout, zstd};

lstest!(invalid_utf8_is_data, |dir: Dir, cmd: TestCommand| {
    let log: &[u8] =
        b"ok INFO\n\xff\xfe\xc3( bad ERROR \xe2\x82\n\x80\x80 INFO\nlast ERROR \xf0\x9f\n";
    dir.create("bad.log", log);
    let out = cmd.args(["ERROR", "bad.log"]).assert_exit(0);
    assert_eq!(
        out.stdout,
        b"\xff\xfe\xc3( bad ERROR \xe2\x82\nlast ERROR \xf0\x9f\n",
        "{}",
        lossy(&out.stdout)
    );
    eqnice!(
        "2\n",
        dir.command().args(["-c", "ERROR", "bad.log"]).stdout()
    );
    eqnice!(
        "2\n",
        dir.command()
            .args(["-c", "-v", "ERROR", "bad.log"])
            .stdout()
    );
    // A regex runs over the bytes too. (In Unicode mode, as in ripgrep, `.` does not
    // match an invalid byte; with `(?-u)` it does.)
    eqnice!(
        "2\n",
        dir.command()
            .args(["-c", "(?-u)ERROR.*$", "bad.log"])
            .stdout()
    );
    dir.command()
        .args(["-c", "ERROR.*$", "bad.log"])
        .assert_no_match();
});

lstest!(nul_bytes_are_data, |dir: Dir, cmd: TestCommand| {
    let log: &[u8] = b"a\0b ERROR\n\0\0\0\0\0\0\0\0\0\0\0\0\n\0 INFO \0\nc ERROR\0\n";
    dir.create("nul.log", log);
    // Not "binary file matches": the records are printed as they are.
    let out = cmd.args(["ERROR", "nul.log"]).assert_exit(0);
    assert_eq!(
        out.stdout,
        b"a\0b ERROR\nc ERROR\0\n",
        "{}",
        lossy(&out.stdout)
    );
    eqnice!(
        "1:a\0b ERROR\n4:c ERROR\0\n",
        dir.command().args(["-n", "ERROR", "nul.log"]).stdout()
    );
    eqnice!("4\n", dir.command().args(["-c", "", "nul.log"]).stdout());
    eqnice!(
        "2:\0\0\0\0\0\0\0\0\0\0\0\0\n",
        dir.command().args(["-n", r"^\x00+$", "nul.log"]).stdout()
    );
});

lstest!(
    control_bytes_reach_a_pipe_unchanged,
    |dir: Dir, cmd: TestCommand| {
        // ESC sequences, BEL, backspace, CR, DEL and a C1 control (U+009B, CSI).
        let log: &[u8] =
        b"plain INFO\n\x1b[31mred\x1b[0m ERROR \x1b]0;title\x07\x08\x7f\xc2\x9b2J\r\nnext INFO\n";
        dir.create("ctl.log", log);
        let out = cmd.args(["ERROR", "ctl.log"]).assert_exit(0);
        assert_eq!(
            out.stdout,
            b"\x1b[31mred\x1b[0m ERROR \x1b]0;title\x07\x08\x7f\xc2\x9b2J\r\n",
            "{:?}",
            lossy(&out.stdout)
        );
        // Prefixes do not change that.
        let out = dir
            .command()
            .args(["-H", "-n", "--color", "never", "ERROR", "ctl.log"])
            .assert_exit(0);
        assert_eq!(
            out.stdout,
            b"ctl.log:2:\x1b[31mred\x1b[0m ERROR \x1b]0;title\x07\x08\x7f\xc2\x9b2J\r\n",
            "{:?}",
            lossy(&out.stdout)
        );
    }
);

lstest!(empty_file, |dir: Dir, cmd: TestCommand| {
    dir.create("empty.log", "");
    dir.create_gz("empty.gz", "");
    dir.create_zst("empty.zst", "");
    cmd.args(["ERROR", "empty.log"]).assert_no_match();
    for args in [
        &["-c", "ERROR", "empty.log"][..],
        &["-v", "ERROR", "empty.log"],
        &["-c", "-v", "ERROR", "empty.log"],
        &["--json", "", "empty.log"],
        &["-n", "-C", "2", "", "empty.log"],
        &["", "empty.log", "empty.gz", "empty.zst"],
    ] {
        dir.command().args(args).assert_no_match();
    }
    dir.command().arg("x").stdin("").assert_no_match();
    // Among other inputs, an empty one changes nothing.
    dir.create("a.log", "a ERROR\n");
    eqnice!(
        "a.log:a ERROR\n",
        dir.command().args(["ERROR", "empty.log", "a.log"]).stdout()
    );
});

lstest!(no_final_newline, |dir: Dir, cmd: TestCommand| {
    let log = "a INFO\nb ERROR\nc ERROR";
    dir.create("nonl.log", log);
    dir.create_gz("nonl.gz", log);
    eqnice!(
        "b ERROR\nc ERROR\n",
        cmd.args(["ERROR", "nonl.log"]).stdout()
    );
    eqnice!(
        "2:b ERROR\n3:c ERROR\n",
        dir.command().args(["-n", "ERROR", "nonl.log"]).stdout()
    );
    eqnice!(
        "2\n",
        dir.command().args(["-c", "ERROR", "nonl.log"]).stdout()
    );
    eqnice!(
        "3:c ERROR\n",
        dir.command()
            .args(["-n", "-o", "c ERROR$", "nonl.log"])
            .stdout()
    );
    assert_json_records(
        &dir.command()
            .args(["--json", "c ERROR", "nonl.log"])
            .stdout(),
        &[("nonl.log", 3, "c ERROR")],
    );
    eqnice!(
        "1-a INFO\n2:b ERROR\n3-c ERROR\n",
        dir.command()
            .args(["-n", "-C", "1", "b ERR", "nonl.log"])
            .stdout()
    );
    for chunk in ["1", "7"] {
        eqnice!(
            "b ERROR\nc ERROR\n",
            dir.command()
                .args(["--chunk-size", chunk, "-j", "3", "ERROR", "nonl.log"])
                .stdout()
        );
    }
    eqnice!(
        "b ERROR\nc ERROR\n",
        dir.command().arg("ERROR").stdin(log).stdout()
    );
    eqnice!(
        "b ERROR\nc ERROR\n",
        dir.command().args(["ERROR", "nonl.gz"]).stdout()
    );
    // A trace that ends the file without a newline is still part of its record.
    dir.create("trace.log", "x ERROR\n\tat y.Z(Z.java:1)");
    eqnice!(
        "x ERROR\n\tat y.Z(Z.java:1)\n",
        dir.command().args(["ERROR", "trace.log"]).stdout()
    );
});

/// "start NEEDLE", then a 100 MB line ending in " NEEDLE", then "end NEEDLE".
fn write_huge_line(dir: &Dir) -> std::path::PathBuf {
    let mut data = Vec::with_capacity(100_000_100);
    data.extend_from_slice(b"start NEEDLE\n");
    data.resize(data.len() + 100_000_000, b'a');
    data.extend_from_slice(b" NEEDLE\nend NEEDLE");
    dir.create("huge.log", data)
}

lstest!(
    hundred_megabyte_line_in_a_file,
    |dir: Dir, cmd: TestCommand| {
        write_huge_line(&dir);
        eqnice!(
            "1:NEEDLE\n2:NEEDLE\n3:NEEDLE\n",
            cmd.args(["-n", "-o", "NEEDLE", "huge.log"]).stdout()
        );
        eqnice!(
            "3\n",
            dir.command()
                .args(["-c", "--multiline", "none", "NEE+DLE$", "huge.log"])
                .stdout()
        );
    }
);

lstest!(
    hundred_megabyte_line_on_stdin_is_split_with_a_warning,
    |dir: Dir, cmd: TestCommand| {
        let path = write_huge_line(&dir);
        let data = std::fs::read(path).unwrap();
        // The default cap is 16 MiB: the line is cut into pieces, the match at its end is
        // still found (in the last piece), and one warning names the input and the line.
        let out = cmd.args(["-n", "-o", "NEEDLE"]).stdin(data).assert_exit(0);
        eqnice!("1:NEEDLE\n2:NEEDLE\n3:NEEDLE\n", lossy(&out.stdout));
        let err = lossy(&out.stderr);
        assert!(
            err.contains("<stdin>") && err.contains("line 2"),
            "expected a warning naming <stdin> and line 2; stderr: {err:?}"
        );
        assert!(
            !err.contains("line 1 ") && !err.contains("line 3"),
            "only line 2 is long; stderr: {err:?}"
        );
    }
);

lstest!(
    long_line_on_stdin_warning_names_the_line,
    |dir: Dir, cmd: TestCommand| {
        let mut data = b"first MATCH\n".to_vec();
        data.resize(data.len() + 3_000_000, b'x');
        data.extend_from_slice(b" MATCH\nshort MATCH\n");
        drop(cmd);
        for multiline in ["none", "auto"] {
            let out = dir
                .command()
                .args([
                    "-c",
                    "--max-line-size",
                    "1MiB",
                    "--multiline",
                    multiline,
                    "MATCH",
                ])
                .stdin(data.clone())
                .assert_exit(0);
            let err = lossy(&out.stderr);
            assert!(
                err.contains("<stdin>") && err.contains("line 2"),
                "--multiline {multiline}: expected a warning naming <stdin> and line 2; \
                 stderr: {err:?}"
            );
            // Line 1 is 12 bytes long: no warning may name it.
            assert!(
                !err.contains("line 1 "),
                "--multiline {multiline}: a warning names line 1 (12 bytes); stderr: {err:?}"
            );
            assert!(!lossy(&out.stdout).is_empty());
        }
    }
);

lstest!(
    max_line_size_below_the_chunk_size,
    |dir: Dir, cmd: TestCommand| {
        // `--max-line-size` says the longest line read from a stream before it is split
        // with a warning: a 5000-byte line is over a 1 KiB cap, whatever the chunk size.
        let mut data = b"first\n".to_vec();
        data.resize(data.len() + 5000, b'x');
        data.extend_from_slice(b" MATCH\nshort MATCH\n");
        let out = cmd
            .args(["-c", "--max-line-size", "1KiB", "MATCH"])
            .stdin(data)
            .assert_exit(0);
        let err = lossy(&out.stderr);
        assert!(
            err.contains("<stdin>") && err.contains("line 2"),
            "expected a warning naming <stdin> and line 2 (5005 bytes, cap 1 KiB); \
             stderr: {err:?}"
        );
        drop(dir);
    }
);

lstest!(
    stream_line_longer_than_two_chunks,
    |dir: Dir, cmd: TestCommand| {
        // The stream reader grows its buffer for a long line (doubling up to the cap):
        // that must work for any number of doublings.
        let line = format!("{} MATCH\n", "a".repeat(40));
        eqnice!(
            line,
            cmd.args(["--chunk-size", "8", "MATCH"])
                .stdin(line.clone())
                .stdout()
        );
        // The same in a gzip file: a 5 MB line is more than two default chunks (2 MiB).
        let mut data = vec![b'b'; 5_000_000];
        data.extend_from_slice(b" MATCH\nnext\n");
        dir.create_gz("long.log.gz", &data);
        eqnice!(
            "1\n",
            dir.command().args(["-c", "MATCH", "long.log.gz"]).stdout()
        );
    }
);

lstest!(truncated_gzip, |dir: Dir, cmd: TestCommand| {
    let log: String = (0..40_000)
        .map(|i| format!("2026-11-28 line {i} ERROR id={}\n", i * 7919 % 100_003))
        .collect();
    let gz = gzip(log.as_bytes());
    dir.create("cut.log.gz", &gz[..gz.len() / 2]);
    dir.create("ok.log", "ok ERROR\n");
    let out = cmd
        .args(["-c", "ERROR", "cut.log.gz", "ok.log"])
        .assert_exit(2);
    let stdout = lossy(&out.stdout);
    // What was decompressed before the cut was searched; the next input too.
    let n: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("cut.log.gz:"))
        .unwrap_or_else(|| panic!("no count for cut.log.gz: {stdout}"))
        .parse()
        .unwrap();
    assert!(n > 1000 && n < 40_000, "{n}");
    assert!(stdout.contains("ok.log:1\n"), "{stdout}");
    let err = lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cut.log.gz"), "{err}");
    // The records read before the cut are printed, in order, then the error.
    let out = dir
        .command()
        .args(["-n", "line 1[0-9] ERROR", "cut.log.gz"])
        .assert_exit(2);
    let want: String = (10..20)
        .map(|i| {
            format!(
                "{}:2026-11-28 line {i} ERROR id={}\n",
                i + 1,
                i * 7919 % 100_003
            )
        })
        .collect();
    eqnice!(want, lossy(&out.stdout));
    // Through stdin, the error names stdin.
    let out = dir
        .command()
        .args(["-c", "ERROR"])
        .stdin(gz[..gz.len() / 2].to_vec())
        .assert_exit(2);
    assert!(
        lossy(&out.stderr).contains("<stdin>"),
        "{}",
        lossy(&out.stderr)
    );
});

lstest!(truncated_zstd, |dir: Dir, cmd: TestCommand| {
    let log: String = (0..40_000)
        .map(|i| format!("line {i} ERROR {}\n", i * 31 % 977))
        .collect();
    let z = zstd(log.as_bytes());
    dir.create("cut.log", &z[..z.len() / 2]);
    let out = cmd.args(["-c", "ERROR", "cut.log"]).assert_exit(2);
    let err = lossy(&out.stderr);
    assert!(err.contains("cut.log"), "{err}");
    // Not zstd at all after the magic bytes: an error too, not a crash.
    dir.create("fake.log", b"\x28\xb5\x2f\xfdnot really zstd\n");
    let out = dir.command().args(["-c", "x", "fake.log"]).assert_exit(2);
    assert!(lossy(&out.stderr).contains("fake.log"));
});

lstest!(random_bytes_never_crash, |dir: Dir, cmd: TestCommand| {
    // A deterministic pseudo-random megabyte (xorshift), with some newlines.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let data: Vec<u8> = (0..1_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    dir.create("noise.bin", &data);
    drop(cmd);
    for args in [
        &["-c", "a", "noise.bin"][..],
        &["-n", "-C", "1", "[a-z]{3}", "noise.bin"],
        &["-o", "-n", "(?-u)\\xff+", "noise.bin"],
        &["--json", "\\d\\d", "noise.bin"],
        &["-v", "-c", "x", "noise.bin"],
    ] {
        let out = dir.command().args(args).output();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?}\n{}",
            out.status,
            lossy(&out.stderr)
        );
        assert!(!lossy(&out.stderr).contains("panicked"), "{args:?}");
    }
    let out = dir.command().args(["-c", "a"]).stdin(data).output();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
});

#[test]
fn file_truncated_while_being_scanned() {
    use std::os::unix::process::ExitStatusExt;
    let dir = Dir::new();
    let line = b"2026-11-28T13:00:00Z INFO worker - processed batch id=12345 items=7\n";
    let mut data = Vec::with_capacity(64 << 20);
    while data.len() + line.len() <= 64 << 20 {
        data.extend_from_slice(line);
    }
    let path = dir.path().join("live.log");
    // Several rounds, the truncation landing at different points of the scan. A worker
    // searching a page at the moment it is replaced must not panic (the regex engine
    // sees the bytes change under it): a panic loses that worker's results.
    for delay_ms in [1, 3, 6, 10, 20, 40] {
        std::fs::write(&path, &data).unwrap();
        let mut child = Command::cargo_bin("logsift")
            .unwrap()
            .args([
                "grep",
                "-c",
                "--chunk-size",
                "4096",
                "-j",
                "1",
                "id=1234[0-9]",
            ])
            .arg(&path)
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // logrotate's copytruncate.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(1000)
            .unwrap();
        let status = wait_timeout(&mut child, Duration::from_secs(60))
            .unwrap_or_else(|| panic!("logsift still running 60 s after the truncation"));
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(
            status.signal(),
            None,
            "killed by a signal: {status:?}\n{stderr}"
        );
        match status.code() {
            Some(0 | 1) => {}
            Some(2) => assert!(stderr.contains("live.log"), "{stderr}"),
            other => panic!("exit {other:?}\n{stderr}"),
        }
        assert!(
            !stderr.contains("panicked"),
            "truncated after {delay_ms} ms: {status:?}\n{stderr}"
        );
    }
}
