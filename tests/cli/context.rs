//! `-A`, `-B`, `-C`: context counted in records, `--` between groups that do not
//! touch, `:` on the lines of matching records and `-` on the lines of context, and
//! the same output whatever the chunking (context crosses chunk boundaries).

use crate::util::fixture_bytes;

const TEN: &str = "1 a\n2 MATCH\n3 b\n4 c\n5 d\n6 MATCH\n7 e\n8 MATCH\n9 f\n10 g\n";

lstest!(
    context_lines_and_separators,
    |dir: Dir, cmd: TestCommand| {
        dir.create("ten.log", TEN);
        eqnice!(
            "1-1 a\n2:2 MATCH\n3-3 b\n--\n5-5 d\n6:6 MATCH\n7-7 e\n8:8 MATCH\n9-9 f\n",
            cmd.args(["-n", "-C", "1", "MATCH", "ten.log"]).stdout()
        );
        eqnice!(
            "1-1 a\n2:2 MATCH\n--\n5-5 d\n6:6 MATCH\n7-7 e\n8:8 MATCH\n",
            dir.command()
                .args(["-n", "-B", "1", "MATCH", "ten.log"])
                .stdout()
        );
        eqnice!(
            "2 MATCH\n3 b\n--\n6 MATCH\n7 e\n8 MATCH\n9 f\n",
            dir.command().args(["-A", "1", "MATCH", "ten.log"]).stdout()
        );
        // Groups that touch are not separated.
        eqnice!(
            "2 MATCH\n3 b\n4 c\n5 d\n6 MATCH\n7 e\n8 MATCH\n9 f\n10 g\n",
            dir.command()
                .args(["--after-context", "3", "MATCH", "ten.log"])
                .stdout()
        );
        eqnice!(
            "1 a\n2 MATCH\n3 b\n4 c\n5 d\n6 MATCH\n7 e\n8 MATCH\n",
            dir.command()
                .args(["--before-context", "3", "MATCH", "ten.log"])
                .stdout()
        );
        eqnice!(
            TEN,
            dir.command()
                .args(["--context", "2", "MATCH", "ten.log"])
                .stdout()
        );
    }
);

lstest!(context_with_filenames, |dir: Dir, cmd: TestCommand| {
    dir.create("a.log", TEN);
    dir.create("b.log", "x\ny MATCH\n");
    eqnice!(
        "a.log-1-1 a\na.log:2:2 MATCH\na.log-3-3 b\n--\n\
         a.log-7-7 e\na.log:8:8 MATCH\na.log-9-9 f\n--\n\
         b.log-1-x\nb.log:2:y MATCH\n",
        cmd.args([
            "-n", "-C", "1", "-e", "2 MATCH", "-e", "8 MATCH", "-e", "y MATCH", "a.log", "b.log"
        ])
        .stdout()
    );
});

lstest!(context_counts_records, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("traces.log");
    // After the Java record (lines 2-8), one record of context: line 9.
    eqnice!(
        "2:2026-11-28 10:00:01 ERROR request failed\n\
         3:java.lang.IllegalStateException: boom\n\
         4:\tat com.acme.Foo.bar(Foo.java:10)\n\
         5:at com.acme.Main.main(Main.java:3)\n\
         6:Caused by: java.io.IOException: disk full\n\
         7:\tat com.acme.Disk.write(Disk.java:7)\n\
         8:... 2 more\n\
         9-2026-11-28 10:00:02 INFO next\n",
        cmd.args(["-n", "-A", "1", "request failed", "traces.log"])
            .stdout()
    );
    // Before the last line, one record of context: the whole Python traceback, each of
    // its lines marked as context.
    eqnice!(
        "11-2026-11-28 10:00:03 ERROR py failed\n\
         12-Traceback (most recent call last):\n\
         13-  File \"app.py\", line 3, in <module>\n\
         14-    main()\n\
         15-KeyError: 'id'\n\
         16:2026-11-28 10:00:04 INFO done\n",
        dir.command()
            .args(["-n", "-B", "1", "done", "traces.log"])
            .stdout()
    );
    // The garbage line is a record of its own: context of one record is just it.
    eqnice!(
        "9-2026-11-28 10:00:02 INFO next\n\
         10:#### garbage line, not part of any trace\n\
         11-2026-11-28 10:00:03 ERROR py failed\n\
         12-Traceback (most recent call last):\n\
         13-  File \"app.py\", line 3, in <module>\n\
         14-    main()\n\
         15-KeyError: 'id'\n",
        dir.command()
            .args(["-n", "-C", "1", "garbage", "traces.log"])
            .stdout()
    );
});

lstest!(
    context_crosses_chunk_boundaries,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        dir.copy_fixture("traces.log");
        let cases: &[&[&str]] = &[
            &["-n", "-B", "2", "ERROR"],
            &["-n", "-A", "2", "ERROR"],
            &["-n", "-C", "1", "INFO"],
            &["-C", "3", "WARN"],
            &["-n", "-v", "-C", "1", "INFO"],
            &["-n", "-m", "2", "-C", "2", "ERROR"],
        ];
        drop(cmd);
        for multiline in ["auto", "none"] {
            for args in cases {
                let want = dir
                    .command()
                    .args(["--multiline", multiline, "-j", "1"])
                    .args(*args)
                    .args(["app.log", "traces.log"])
                    .stdout();
                assert!(!want.is_empty());
                for chunk in ["1", "7", "64", "200"] {
                    for threads in ["1", "3"] {
                        eqnice!(
                            want,
                            dir.command()
                                .args([
                                    "--multiline",
                                    multiline,
                                    "--chunk-size",
                                    chunk,
                                    "-j",
                                    threads
                                ])
                                .args(*args)
                                .args(["app.log", "traces.log"])
                                .stdout(),
                            "--multiline {multiline} --chunk-size {chunk} -j {threads} {args:?}"
                        );
                    }
                }
                // The same bytes through stdin (a stream, cut by the reader thread).
                let want_one = dir
                    .command()
                    .args(["--multiline", multiline])
                    .args(*args)
                    .arg("app.log")
                    .stdout();
                eqnice!(
                    want_one,
                    dir.command()
                        .args(["--multiline", multiline])
                        .args(*args)
                        .stdin(fixture_bytes("app.log"))
                        .stdout(),
                    "stdin, --multiline {multiline} {args:?}"
                );
            }
        }
    }
);
