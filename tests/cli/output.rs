//! How results look: `--color`, `NO_COLOR`, `--output json`/`--json`, and what changes
//! when stdout is a terminal (line numbers and colour by default, control characters
//! from the log shown escaped, never replayed).

use crate::pty::run_on_tty;
use crate::util::{assert_json_records, lossy, strip_ansi};

const LOG: &str = "2026 INFO one\n2026 ERROR two ERROR\n\tat x.Y(Y.java:1)\n2026 INFO three\n";

lstest!(color_always, |dir: Dir, cmd: TestCommand| {
    dir.create("a.log", LOG);
    dir.create("b.log", "b ERROR\n");
    let out = cmd
        .args(["--color", "always", "-n", "ERROR", "a.log", "b.log"])
        .stdout();
    assert!(out.contains('\x1b'), "no ANSI colour: {out:?}");
    // Each match is wrapped in its own colour span.
    let span = regex::Regex::new("\x1b\\[[0-9;]+mERROR\x1b\\[0?m").unwrap();
    assert_eq!(span.find_iter(&out).count(), 3, "{out:?}");
    // Without the colour codes, the text is what --color never prints.
    let plain = dir
        .command()
        .args(["--color", "never", "-n", "ERROR", "a.log", "b.log"])
        .stdout();
    eqnice!(plain, strip_ansi(&out));
    eqnice!(
        "a.log:2:2026 ERROR two ERROR\na.log:3:\tat x.Y(Y.java:1)\nb.log:1:b ERROR\n",
        plain
    );
});

lstest!(color_always_other_modes, |dir: Dir, cmd: TestCommand| {
    dir.create("a.log", LOG);
    let out = cmd
        .args(["--color", "always", "-o", "ERROR", "a.log"])
        .stdout();
    assert!(out.contains('\x1b'), "{out:?}");
    eqnice!("ERROR\nERROR\n", strip_ansi(&out));
    let out = dir
        .command()
        .args(["--color", "always", "-C", "1", "two", "a.log"])
        .stdout();
    eqnice!(LOG, strip_ansi(&out));
});

lstest!(
    color_never_and_auto_into_a_pipe,
    |dir: Dir, cmd: TestCommand| {
        dir.create("a.log", LOG);
        for args in [
            &["--color", "never", "ERROR", "a.log"][..],
            &["--color", "auto", "ERROR", "a.log"],
            &["ERROR", "a.log"],
            &["--color=auto", "-n", "-H", "-C", "1", "ERROR", "a.log"],
        ] {
            let out = dir.command().args(args).stdout();
            assert!(!out.contains('\x1b'), "{args:?}: {out:?}");
        }
        eqnice!(
            "2026 ERROR two ERROR\n\tat x.Y(Y.java:1)\n",
            cmd.args(["ERROR", "a.log"]).stdout()
        );
    }
);

lstest!(no_color_env, |dir: Dir, cmd: TestCommand| {
    dir.create("a.log", LOG);
    // An explicit --color always wins over NO_COLOR (as in ripgrep)...
    let out = cmd
        .args(["--color", "always", "ERROR", "a.log"])
        .env("NO_COLOR", "1")
        .stdout();
    assert!(out.contains('\x1b'), "{out:?}");
    // ...while on a terminal, auto colours unless NO_COLOR is set.
    let tty = run_on_tty(dir.path(), &["grep", "ERROR", "a.log"], &[], false);
    assert_eq!(tty.code, Some(0));
    assert!(tty.tty.contains(&0x1b), "{:?}", lossy(&tty.tty));
    let tty = run_on_tty(
        dir.path(),
        &["grep", "ERROR", "a.log"],
        &[("NO_COLOR", "1")],
        false,
    );
    assert_eq!(tty.code, Some(0));
    assert!(!tty.tty.contains(&0x1b), "{:?}", lossy(&tty.tty));
    eqnice!(
        "2:2026 ERROR two ERROR\n3:\tat x.Y(Y.java:1)\n",
        lossy(&tty.tty)
    );
    let tty = run_on_tty(
        dir.path(),
        &["grep", "--color", "never", "ERROR", "a.log"],
        &[],
        false,
    );
    assert!(!tty.tty.contains(&0x1b), "{:?}", lossy(&tty.tty));
});

lstest!(
    terminal_never_sees_raw_control_characters,
    |dir: Dir, cmd: TestCommand| {
        dir.create(
            "ctl.log",
            b"\x1b[2J\x1b]0;pwned\x07 ERROR \x08\x7f\xc2\x9b1m\n".as_slice(),
        );
        drop(cmd);
        for color in ["never", "always"] {
            let tty = run_on_tty(
                dir.path(),
                &["grep", "--color", color, "-H", "ERROR", "ctl.log"],
                &[],
                false,
            );
            assert_eq!(tty.code, Some(0));
            let text = lossy(&tty.tty);
            // The only ESC bytes allowed are logsift's own colour codes (the log's own
            // sequences, `ESC [2J` and `ESC ]0;`, are not of that form).
            let rest = strip_ansi(&text);
            assert!(
                !rest
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "--color {color}: raw control characters reached the terminal: {text:?}"
            );
            // The log's bytes are shown, escaped.
            assert!(
                rest.contains("\\x1b[2J") && rest.contains("pwned"),
                "{rest:?}"
            );
        }
    }
);

lstest!(
    terminal_defaults_to_line_numbers,
    |dir: Dir, cmd: TestCommand| {
        dir.create("a.log", LOG);
        drop(cmd);
        let tty = run_on_tty(
            dir.path(),
            &["grep", "--color", "never", "ERROR", "a.log"],
            &[],
            false,
        );
        eqnice!(
            "2:2026 ERROR two ERROR\n3:\tat x.Y(Y.java:1)\n",
            lossy(&tty.tty)
        );
        let tty = run_on_tty(
            dir.path(),
            &["grep", "--color", "never", "-N", "ERROR", "a.log"],
            &[],
            false,
        );
        eqnice!(
            "2026 ERROR two ERROR\n\tat x.Y(Y.java:1)\n",
            lossy(&tty.tty)
        );
    }
);

lstest!(
    no_path_and_stdin_a_terminal_is_an_error,
    |dir: Dir, cmd: TestCommand| {
        drop(cmd);
        let tty = run_on_tty(dir.path(), &["grep", "ERROR"], &[], true);
        assert_eq!(tty.code, Some(2));
        let err = lossy(&tty.stderr);
        assert_eq!(err.lines().count(), 1, "a one-line hint: {err}");
    }
);

lstest!(json_output, |dir: Dir, cmd: TestCommand| {
    dir.create("a.log", LOG);
    let out = cmd
        .args(["--output", "json", "ERROR|three", "a.log"])
        .stdout();
    // Key order path, line, text; one object per record; a record's lines joined by \n;
    // `line` is the record's first line.
    assert_json_records(
        &out,
        &[
            ("a.log", 2, "2026 ERROR two ERROR\n\tat x.Y(Y.java:1)"),
            ("a.log", 4, "2026 INFO three"),
        ],
    );
    // --json is the same.
    eqnice!(
        out,
        dir.command()
            .args(["--json", "ERROR|three", "a.log"])
            .stdout()
    );
    // Colour never gets into JSON.
    eqnice!(
        out,
        dir.command()
            .args(["--json", "--color", "always", "ERROR|three", "a.log"])
            .stdout()
    );
});

lstest!(json_stdin_and_invalid_utf8, |dir: Dir, cmd: TestCommand| {
    let out = cmd
        .args(["--json", "ERROR"])
        .stdin(b"ok\nbad \xff\xfe ERROR \x1b[1m\"q\"\n".to_vec())
        .stdout();
    // Invalid UTF-8 becomes U+FFFD; ESC and quotes are escaped as JSON escapes them.
    assert_json_records(
        &out,
        &[("<stdin>", 2, "bad \u{fffd}\u{fffd} ERROR \u{1b}[1m\"q\"")],
    );
    assert!(out.contains("\\u001b[1m\\\"q\\\""), "{out}");
    let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
    assert_eq!(v["text"], "bad \u{fffd}\u{fffd} ERROR \u{1b}[1m\"q\"");
    drop(dir);
});

lstest!(json_with_several_inputs, |dir: Dir, cmd: TestCommand| {
    dir.create("a.log", LOG);
    dir.create("dir/b.log", "b ERROR\n");
    let out = cmd.args(["--json", "-I", "ERROR", "a.log", "dir"]).stdout();
    let paths: Vec<String> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["path"].as_str().unwrap().to_string()
        })
        .collect();
    // The path is always there, -I or not: it is data, not a prefix.
    assert_eq!(paths, ["a.log", "dir/b.log"]);
});
