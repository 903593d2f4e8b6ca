//! Options that change how printed records look or how the run goes: `-n`/`-N`,
//! `-H`, `-I`, `-j`, `--version`, and bad options (exit 2).

use crate::util::{Dir, TestCommand, fixture};

lstest!(
    line_number_on_every_line_of_a_record,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("traces.log");
        eqnice!(
            "2:2026-11-28 10:00:01 ERROR request failed\n\
         3:java.lang.IllegalStateException: boom\n\
         4:\tat com.acme.Foo.bar(Foo.java:10)\n\
         5:at com.acme.Main.main(Main.java:3)\n\
         6:Caused by: java.io.IOException: disk full\n\
         7:\tat com.acme.Disk.write(Disk.java:7)\n\
         8:... 2 more\n",
            cmd.args(["-n", "IOException", "traces.log"]).stdout()
        );
        eqnice!(
            "16:2026-11-28 10:00:04 INFO done\n",
            dir.command()
                .args(["--line-number", "done", "traces.log"])
                .stdout()
        );
        // -N undoes -n.
        eqnice!(
            "2026-11-28 10:00:04 INFO done\n",
            dir.command()
                .args(["-n", "-N", "done", "traces.log"])
                .stdout()
        );
    }
);

lstest!(
    line_numbers_are_right_across_chunks,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        let want = "12:2026-11-28T13:00:05.550Z INFO  [notify-1318] metrics.Reporter - error_count=6 warn_count=45 requests=17533\n\
                18:KeyError: 'u-1913'\n\
                24:2026-11-28T13:00:12.300Z Error [legacy-01] billing - errors while exporting invoices\n";
        for chunk in ["1", "7", "64"] {
            eqnice!(
                want,
                dir.command()
                    .args([
                        "-n",
                        "--multiline",
                        "none",
                        "--chunk-size",
                        chunk,
                        "-j",
                        "3",
                        "[Ee]rror",
                        "app.log"
                    ])
                    .stdout(),
                "--chunk-size {chunk}"
            );
        }
        // A stream longer than one default chunk (2 MiB): numbering goes on across the
        // stream's chunks, in both multiline modes.
        let big: String = (1..=120_000)
            .map(|i| {
                if i % 40_000 == 0 {
                    format!("2026 ERROR at line {i}\n\tat x.Y(Y.java:{i})\n")
                } else {
                    format!("2026 INFO line {i} with some padding to make it longer\n")
                }
            })
            .collect();
        assert!(big.len() > 5 << 20);
        // Record n*40000 starts at line n*40000 + (n - 1) (one trace line per earlier error).
        let want = "40000:2026 ERROR at line 40000\n40001:\tat x.Y(Y.java:40000)\n\
                80001:2026 ERROR at line 80000\n80002:\tat x.Y(Y.java:80000)\n\
                120002:2026 ERROR at line 120000\n120003:\tat x.Y(Y.java:120000)\n";
        dir.create("big.log", &big);
        eqnice!(
            want,
            dir.command().args(["-n", "ERROR", "big.log"]).stdout()
        );
        eqnice!(want, cmd.args(["-n", "ERROR"]).stdin(big.clone()).stdout());
        eqnice!(
            want,
            dir.command()
                .args(["-n", "--multiline", "none", "-e", "ERROR", "-e", "^\t"])
                .stdin(big)
                .stdout()
        );
    }
);

lstest!(with_filename, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("traces.log");
    // One input: no prefix unless -H.
    eqnice!(
        "2026-11-28 10:00:04 INFO done\n",
        cmd.args(["done", "traces.log"]).stdout()
    );
    eqnice!(
        "traces.log:2026-11-28 10:00:04 INFO done\n",
        dir.command().args(["-H", "done", "traces.log"]).stdout()
    );
    // Every line of a record carries the prefix.
    eqnice!(
        "traces.log:11:2026-11-28 10:00:03 ERROR py failed\n\
         traces.log:12:Traceback (most recent call last):\n\
         traces.log:13:  File \"app.py\", line 3, in <module>\n\
         traces.log:14:    main()\n\
         traces.log:15:KeyError: 'id'\n",
        dir.command()
            .args(["--with-filename", "-n", "KeyError", "traces.log"])
            .stdout()
    );
    eqnice!(
        "<stdin>:x done\n",
        dir.command()
            .args(["-H", "done"])
            .stdin("x done\n")
            .stdout()
    );
});

lstest!(no_filename, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("traces.log");
    dir.copy_fixture("words.log");
    eqnice!(
        "ERROR disk full\n2026-11-28 10:00:04 INFO done\n",
        cmd.args([
            "-I",
            "-e",
            "ERROR disk",
            "-e",
            "done",
            "words.log",
            "traces.log"
        ])
        .stdout()
    );
    eqnice!(
        "words.log:ERROR disk full\ntraces.log:2026-11-28 10:00:04 INFO done\n",
        dir.command()
            .args(["-e", "ERROR disk", "-e", "done", "words.log", "traces.log"])
            .stdout()
    );
    eqnice!(
        "1\n1\n",
        dir.command()
            .args([
                "--no-filename",
                "-c",
                "-e",
                "ERROR disk",
                "-e",
                "done",
                "words.log",
                "traces.log"
            ])
            .stdout()
    );
});

lstest!(
    threads_do_not_change_output,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        dir.copy_fixture("traces.log");
        let want = cmd
            .args([
                "-n",
                "-C",
                "1",
                "-j",
                "1",
                "--chunk-size",
                "64",
                "o",
                "app.log",
                "traces.log",
            ])
            .stdout();
        assert!(want.lines().count() > 30, "{want}");
        for j in ["2", "4", "8"] {
            eqnice!(
                want,
                dir.command()
                    .args([
                        "-n",
                        "-C",
                        "1",
                        "--threads",
                        j,
                        "--chunk-size",
                        "64",
                        "o",
                        "app.log",
                        "traces.log"
                    ])
                    .stdout(),
                "-j {j}"
            );
        }
    }
);

#[test]
fn version() {
    let dir = Dir::new();
    let out = TestCommand::bare(dir.path()).arg("--version").stdout();
    eqnice!(format!("logsift {}\n", env!("CARGO_PKG_VERSION")), out);
}

lstest!(bad_options_exit_2, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("words.log");
    let app = fixture("app.log");
    let app = app.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["--no-such-option", "x", app],
        &["(unclosed", app],
        &["--multiline", "(unclosed", "x", app],
        &["--chunk-size", "12 parsecs", "x", app],
        &["--max-line-size", "0", "x", app],
        &["-m", "many", "x", app],
        &["-A", "-1", "x", app],
        &["--color", "sometimes", "x", app],
        &["--output", "xml", "x", app],
        &[],
    ];
    drop(cmd);
    for args in cases {
        let out = dir.command().args(*args).assert_exit(2);
        assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
        assert!(!out.stderr.is_empty(), "{args:?}: no message on stderr");
    }
});
