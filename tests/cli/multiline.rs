//! `--multiline auto|none|REGEX`: how lines group into records, and that a record
//! matches through any of its lines and is printed whole.
//!
//! `traces.log`: line 1 a record; lines 2-8 a Java trace (`java.lang...Exception:`,
//! `\tat`, a bare `at `, `Caused by:`, a bare `... 2 more`); line 9 a record; line 10
//! garbage; lines 11-15 a Python traceback (ends with `KeyError: 'id'`); line 16.
//!
//! Assumption (DESIGN.md lists whitespace, `at `, `Caused by:`, `... N more` and
//! "Python traceback lines"): the exception line that heads a Java trace
//! (`java.lang.IllegalStateException: boom`) continues the record too, as the
//! `KeyError: 'id'` line closing a Python traceback does.

const JAVA: &str = "\
2026-11-28 10:00:01 ERROR request failed
java.lang.IllegalStateException: boom
\tat com.acme.Foo.bar(Foo.java:10)
at com.acme.Main.main(Main.java:3)
Caused by: java.io.IOException: disk full
\tat com.acme.Disk.write(Disk.java:7)
... 2 more
";

const PYTHON: &str = "\
2026-11-28 10:00:03 ERROR py failed
Traceback (most recent call last):
  File \"app.py\", line 3, in <module>
    main()
KeyError: 'id'
";

lstest!(java_trace_is_one_record, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("traces.log");
    // A match on the first line, in the middle, on `Caused by:`, on the last line:
    // the whole trace each time.
    for pat in [
        "request failed",
        "Foo.java",
        "Main.java",
        "Caused by",
        "IOException",
        "2 more",
    ] {
        eqnice!(
            JAVA,
            dir.command().args([pat, "traces.log"]).stdout(),
            "pattern {pat:?}"
        );
    }
    eqnice!(
        JAVA,
        cmd.args(["--multiline", "auto", "Disk", "traces.log"])
            .stdout()
    );
});

lstest!(
    python_traceback_is_one_record,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("traces.log");
        for pat in ["py failed", "Traceback", "app.py", r"main\(\)", "KeyError"] {
            eqnice!(
                PYTHON,
                dir.command().args([pat, "traces.log"]).stdout(),
                "pattern {pat:?}"
            );
        }
        eqnice!(
            "1\n",
            cmd.args(["-c", "KeyError|File", "traces.log"]).stdout()
        );
    }
);

lstest!(garbage_line_stays_a_record, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("traces.log");
    eqnice!(
        "#### garbage line, not part of any trace\n",
        cmd.args(["garbage", "traces.log"]).stdout()
    );
    // Nor does it join the record above it.
    eqnice!(
        "2026-11-28 10:00:02 INFO next\n",
        dir.command().args(["INFO next", "traces.log"]).stdout()
    );
    // 6 records: 1, 2-8, 9, 10, 11-15, 16.
    eqnice!("6\n", dir.command().args(["-c", "", "traces.log"]).stdout());
});

lstest!(app_log_traces, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    eqnice!(
        "2026-11-28T13:00:07.640Z ERROR [recs-4b36] worker - Task recs.tasks.refresh failed\n\
         Traceback (most recent call last):\n  File \"/app/recs/tasks.py\", line 42, in refresh\n\
         \x20   profile = store[user_id]\nKeyError: 'u-1913'\n",
        cmd.args(["u-1913", "app.log"]).stdout()
    );
    eqnice!(
        "@@@@ ?? partial write, garbage ##\n",
        dir.command().args(["garbage", "app.log"]).stdout()
    );
    eqnice!("14\n", dir.command().args(["-c", "", "app.log"]).stdout());
});

lstest!(trace_without_a_head_line, |dir: Dir, cmd: TestCommand| {
    // A file that starts in the middle of a trace (rotated mid-write): the continuation
    // lines at the top form a record of their own.
    dir.create("mid.log", "\tat a.B.c(B.java:1)\n... 3 more\n2026 INFO x\n");
    eqnice!(
        "\tat a.B.c(B.java:1)\n... 3 more\n",
        cmd.args(["more", "mid.log"]).stdout()
    );
    eqnice!("2\n", dir.command().args(["-c", "", "mid.log"]).stdout());
});

lstest!(
    multiline_none_every_line_is_a_record,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("traces.log");
        eqnice!(
            "Caused by: java.io.IOException: disk full\n",
            cmd.args(["--multiline", "none", "IOException", "traces.log"])
                .stdout()
        );
        eqnice!(
            "16\n",
            dir.command()
                .args(["--multiline", "none", "-c", "", "traces.log"])
                .stdout()
        );
    }
);

lstest!(
    multiline_regex_starts_records,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("traces.log");
        // Records start at lines beginning with a date: the garbage line joins line 9.
        eqnice!(
            "2026-11-28 10:00:02 INFO next\n#### garbage line, not part of any trace\n",
            cmd.args(["--multiline", "^2026-", "garbage", "traces.log"])
                .stdout()
        );
        eqnice!(
            "5\n",
            dir.command()
                .args(["--multiline", r"^\d{4}-\d\d-\d\d ", "-c", "", "traces.log"])
                .stdout()
        );
        eqnice!(
            JAVA,
            dir.command()
                .args(["--multiline", "^2026-", "IOException", "traces.log"])
                .stdout()
        );
    }
);

lstest!(invert_drops_whole_records, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("traces.log");
    // Only the Java record has a line with `at `: all of it goes.
    eqnice!(
        "1:2026-11-28 10:00:00 INFO start\n\
         9:2026-11-28 10:00:02 INFO next\n\
         10:#### garbage line, not part of any trace\n\
         11:2026-11-28 10:00:03 ERROR py failed\n\
         12:Traceback (most recent call last):\n\
         13:  File \"app.py\", line 3, in <module>\n\
         14:    main()\n\
         15:KeyError: 'id'\n\
         16:2026-11-28 10:00:04 INFO done\n",
        cmd.args(["-v", "-n", "at ", "traces.log"]).stdout()
    );
});

lstest!(
    record_split_over_small_chunks,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("traces.log");
        for chunk in ["1", "7", "64"] {
            eqnice!(
                format!("{JAVA}{PYTHON}"),
                dir.command()
                    .args([
                        "--chunk-size",
                        chunk,
                        "-j",
                        "3",
                        "-e",
                        "IOException",
                        "-e",
                        "KeyError",
                        "traces.log"
                    ])
                    .stdout(),
                "--chunk-size {chunk}"
            );
        }
        eqnice!(
            format!("{JAVA}{PYTHON}"),
            cmd.args(["-e", "IOException", "-e", "KeyError"])
                .stdin(crate::util::fixture_bytes("traces.log"))
                .stdout()
        );
    }
);
