//! Options that change what is reported per input: `-c` (records; matches with `-o`;
//! silent for inputs without a match), `-l`, `-q`, `-m N`. Fixtures as in `matching.rs`.

// app.log's matching lines, as they are printed.
const L3: &str = "2026-11-28T13:00:02.377Z ERROR [payments-5e8c] upstream.Client - Connection to payments.svc:8080 timed out after 3000 ms\n";
const REC5: &str = "\
2026-11-28T13:00:04.915Z ERROR [checkout-e14e] checkout.OrderService - Failed to place order ORD-56715836
java.lang.IllegalStateException: inventory reservation failed
\tat com.acme.checkout.OrderService.place(OrderService.java:118)
\tat com.acme.checkout.web.OrderController.create(OrderController.java:57)
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)
\t... 2 more
";

lstest!(count_single_input, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    eqnice!("4\n", cmd.args(["-c", "ERROR", "app.log"]).stdout());
    eqnice!(
        "4\n",
        dir.command().args(["--count", "ERROR", "app.log"]).stdout()
    );
    dir.command()
        .args(["-c", "no such thing", "app.log"])
        .assert_no_match();
});

lstest!(
    count_counts_records_not_lines,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        // Three `\tat` lines, all in the one Java record.
        eqnice!("1\n", cmd.args(["-c", r"^\tat ", "app.log"]).stdout());
        eqnice!(
            "3\n",
            dir.command()
                .args(["-c", "--multiline", "none", r"^\tat ", "app.log"])
                .stdout()
        );
        // 14 records, 4 of them match.
        eqnice!(
            "10\n",
            dir.command()
                .args(["-c", "-v", "ERROR", "app.log"])
                .stdout()
        );
        eqnice!(
            "20\n",
            dir.command()
                .args(["-c", "-v", "--multiline", "none", "ERROR", "app.log"])
                .stdout()
        );
    }
);

lstest!(
    count_several_inputs_is_silent_for_zero,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        dir.copy_fixture("words.log");
        dir.copy_fixture("traces.log");
        eqnice!(
            "app.log:4\nwords.log:1\ntraces.log:2\n",
            cmd.args(["-c", "ERROR", "app.log", "words.log", "traces.log"])
                .stdout()
        );
        // words.log has no match: no line for it (ripgrep), not `words.log:0` (grep).
        eqnice!(
            "app.log:5\ntraces.log:3\n",
            dir.command()
                .args(["-c", "INFO", "app.log", "words.log", "traces.log"])
                .stdout()
        );
        dir.command()
            .args(["-c", "no such thing", "app.log", "words.log"])
            .assert_no_match();
    }
);

lstest!(
    count_with_only_matching_counts_matches,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        // One record holds error_count=6 and warn_count=45.
        eqnice!("1\n", cmd.args(["-c", "count=", "app.log"]).stdout());
        eqnice!(
            "2\n",
            dir.command()
                .args(["-c", "-o", "count=", "app.log"])
                .stdout()
        );
        // The Java record holds three `\tat ` lines: one record, three matches.
        eqnice!(
            "3\n",
            dir.command()
                .args(["-c", "-o", r"\tat ", "app.log"])
                .stdout()
        );
    }
);

lstest!(files_with_matches, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    dir.copy_fixture("words.log");
    dir.copy_fixture("traces.log");
    eqnice!(
        "app.log\ntraces.log\n",
        cmd.args(["-l", "INFO", "app.log", "words.log", "traces.log"])
            .stdout()
    );
    eqnice!(
        "words.log\n",
        dir.command()
            .args(["--files-with-matches", "disk", "words.log"])
            .stdout()
    );
    dir.command()
        .args(["-l", "no such thing", "app.log", "words.log"])
        .assert_no_match();
});

lstest!(
    files_with_matches_prints_each_path_once,
    |dir: Dir, cmd: TestCommand| {
        // Many small chunks, each with a match: the path is still printed once.
        dir.copy_fixture("app.log");
        dir.copy_fixture("words.log");
        for threads in ["1", "3"] {
            eqnice!(
                "app.log\nwords.log\n",
                dir.command()
                    .args([
                        "-l",
                        "--chunk-size",
                        "7",
                        "-j",
                        threads,
                        "o",
                        "app.log",
                        "words.log"
                    ])
                    .stdout(),
                "-j {threads}"
            );
        }
        let log: String = (0..2000).map(|i| format!("line {i} ERROR\n")).collect();
        eqnice!(
            "<stdin>\n",
            cmd.args(["-l", "--chunk-size", "64", "ERROR", "-"])
                .stdin(log)
                .stdout()
        );
    }
);

lstest!(quiet, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    let out = cmd.args(["-q", "ERROR", "app.log"]).assert_exit(0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    dir.command()
        .args(["--quiet", "no such thing", "app.log"])
        .assert_no_match();
    // As in grep and ripgrep, a match makes -q succeed even when another input failed.
    let out = dir
        .command()
        .args(["-q", "ERROR", "missing.log", "app.log"])
        .assert_exit(0);
    assert!(out.stdout.is_empty());
    let out = dir
        .command()
        .args(["-q", "no such thing", "missing.log", "app.log"])
        .assert_exit(2);
    assert!(out.stdout.is_empty());
});

lstest!(max_count, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    dir.copy_fixture("traces.log");
    // Records, whole: the second one is the Java trace.
    eqnice!(
        format!("{L3}{REC5}"),
        cmd.args(["-m", "2", "ERROR", "app.log"]).stdout()
    );
    // Per input.
    eqnice!(
        format!(
            "app.log:{L3}traces.log:2026-11-28 10:00:01 ERROR request failed\n\
             traces.log:java.lang.IllegalStateException: boom\n\
             traces.log:\tat com.acme.Foo.bar(Foo.java:10)\n\
             traces.log:at com.acme.Main.main(Main.java:3)\n\
             traces.log:Caused by: java.io.IOException: disk full\n\
             traces.log:\tat com.acme.Disk.write(Disk.java:7)\n\
             traces.log:... 2 more\n"
        ),
        dir.command()
            .args(["--max-count", "1", "ERROR", "app.log", "traces.log"])
            .stdout()
    );
    eqnice!(
        "3\n",
        dir.command()
            .args(["-c", "-m", "3", "ERROR", "app.log"])
            .stdout()
    );
    // Across chunks, too.
    eqnice!(
        format!("{L3}{REC5}"),
        dir.command()
            .args([
                "-m",
                "2",
                "--chunk-size",
                "7",
                "-j",
                "3",
                "ERROR",
                "app.log"
            ])
            .stdout()
    );
});

lstest!(max_count_zero, |dir: Dir, cmd: TestCommand| {
    // As in ripgrep (and grep): -m 0 selects nothing.
    dir.copy_fixture("app.log");
    cmd.args(["-m", "0", "ERROR", "app.log"]).assert_no_match();
    dir.command()
        .args(["-c", "-m", "0", "ERROR", "app.log"])
        .assert_no_match();
});

lstest!(
    max_count_prints_trailing_context,
    |dir: Dir, cmd: TestCommand| {
        dir.create("m.log", "a\nc one\nd\nc two\nc three\ne\n");
        eqnice!(
            "2:c one\n3-d\n",
            cmd.args(["-n", "-m", "1", "-A", "1", "c", "m.log"])
                .stdout()
        );
    }
);

lstest!(
    max_count_trailing_context_match_is_marked_as_match,
    |dir: Dir, cmd: TestCommand| {
        // ripgrep (where grep and ripgrep differ, ripgrep wins: DESIGN.md) prints a record
        // of the trailing context that matches as a match, `:`, though it is not counted.
        // GNU grep prints `3-c`.
        dir.create("m.log", "a\nc\nc\nd\n");
        eqnice!(
            "2:c\n3:c\n",
            cmd.args(["-n", "-m", "1", "-A", "1", "c", "m.log"])
                .stdout()
        );
    }
);
