//! Options that change what matches: `-i`, `-v`, `-F`, `-w`, `-e` (repeatable; with
//! it every positional argument is a path), `-o`. Fixtures: `testdata/grep/words.log`,
//! `app.log` (24 lines, 14 records: a Java stack trace on lines 5-11, a Python
//! traceback on lines 14-18), `traces.log`.

lstest!(ignore_case, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("words.log");
    eqnice!(
        "error: disk full\n",
        cmd.args(["error:", "words.log"]).stdout()
    );
    eqnice!(
        "error: disk full\nError: disk full\n",
        dir.command().args(["-i", "error:", "words.log"]).stdout()
    );
    eqnice!(
        "error: disk full\nError: disk full\n",
        dir.command()
            .args(["--ignore-case", "ERROR:", "words.log"])
            .stdout()
    );
});

lstest!(invert_match_lines, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("words.log");
    eqnice!(
        "errors were found\nterror strikes\na.b literal dot\naxb no dot\n(paren) open\n-x- dashes\n",
        cmd.args(["-v", "disk", "words.log"]).stdout()
    );
});

lstest!(
    invert_match_selects_whole_records,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("app.log");
        // Every record but the garbage line starts with a timestamp: in auto mode the
        // trace lines belong to such a record, so only the garbage line is left.
        eqnice!(
            "@@@@ ?? partial write, garbage ##\n",
            cmd.args(["-v", "^2026", "app.log"]).stdout()
        );
        // As lines, the 6 + 4 trace lines are left too.
        eqnice!(
            "11\n",
            dir.command()
                .args(["-v", "-c", "--multiline", "none", "^2026", "app.log"])
                .stdout()
        );
        dir.command()
            .args(["--invert-match", ".", "app.log"])
            .assert_no_match();
    }
);

lstest!(fixed_strings, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("words.log");
    eqnice!(
        "a.b literal dot\naxb no dot\n",
        cmd.args(["a.b", "words.log"]).stdout()
    );
    eqnice!(
        "a.b literal dot\n",
        dir.command().args(["-F", "a.b", "words.log"]).stdout()
    );
    // Not a regex, so not a bad one.
    eqnice!(
        "(paren) open\n",
        dir.command()
            .args(["--fixed-strings", "(paren", "words.log"])
            .stdout()
    );
    let out = dir.command().args(["(paren", "words.log"]).assert_exit(2);
    assert!(out.stdout.is_empty());
});

lstest!(word_regexp, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("words.log");
    eqnice!(
        "error: disk full\n",
        cmd.args(["-w", "error", "words.log"]).stdout()
    );
    eqnice!(
        "error: disk full\nERROR disk full\nError: disk full\n",
        dir.command()
            .args(["-w", "-i", "error", "words.log"])
            .stdout()
    );
    // Without -w the substrings in "errors" and "terror" match too.
    eqnice!(
        "error: disk full\nerrors were found\nterror strikes\n",
        dir.command().args(["error", "words.log"]).stdout()
    );
    eqnice!(
        "a.b literal dot\n",
        dir.command()
            .args(["--word-regexp", "-F", "a.b", "words.log"])
            .stdout()
    );
});

lstest!(regexp_is_repeatable, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("words.log");
    eqnice!(
        "ERROR disk full\na.b literal dot\n",
        cmd.args(["-e", "ERROR disk", "-e", r"a\.b", "words.log"])
            .stdout()
    );
    eqnice!(
        "-x- dashes\n",
        dir.command().args(["-e", "-x-", "words.log"]).stdout()
    );
    eqnice!(
        "(paren) open\n",
        dir.command()
            .args(["--regexp", r"\(paren\)", "words.log"])
            .stdout()
    );
});

lstest!(
    regexp_makes_every_positional_a_path,
    |dir: Dir, cmd: TestCommand| {
        dir.copy_fixture("words.log");
        dir.copy_fixture("traces.log");
        // Without -e, `literal` would be the pattern and `words.log` the only path.
        eqnice!(
            "a.b literal dot\n",
            cmd.args(["-e", "literal", "words.log"]).stdout()
        );
        eqnice!(
            "words.log:ERROR disk full\n\
         traces.log:2026-11-28 10:00:04 INFO done\n",
            dir.command()
                .args([
                    "-e",
                    "ERROR disk",
                    "-e",
                    "INFO done",
                    "words.log",
                    "traces.log"
                ])
                .stdout()
        );
        // A path that looks like a pattern is a path.
        dir.create("ERROR", "x ERROR y\n");
        eqnice!(
            "x ERROR y\n",
            dir.command().args(["-e", "ERROR", "ERROR"]).stdout()
        );
    }
);

lstest!(only_matching, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    eqnice!(
        "timed out after 3000 ms\ntimed out after 250ms\n",
        cmd.args(["-o", "timed out after [0-9]+ ?ms", "app.log"])
            .stdout()
    );
    // Several matches in one line: one line each, each with its line number.
    eqnice!(
        "12:count=6\n12:count=45\n",
        dir.command()
            .args(["--only-matching", "-n", "count=[0-9]+", "app.log"])
            .stdout()
    );
    // In a multi-line record, only the lines that match print, with their own numbers.
    eqnice!(
        "7:at com.acme.checkout\n8:at com.acme.checkout\n",
        dir.command()
            .args(["-o", "-n", r"at com\.acme\.[a-z]+", "app.log"])
            .stdout()
    );
});

lstest!(
    empty_line_pattern_matches_only_empty_lines,
    |dir: Dir, cmd: TestCommand| {
        // `^$` must not match at the end of the input (after its last newline), nor at the
        // end of each chunk: rg -c '^$' prints 1 here.
        dir.create("e.log", "a\n\nb\n");
        eqnice!("2:\n", cmd.args(["-n", "^$", "e.log"]).stdout());
        for args in [
            &["-c", "^$", "e.log"][..],
            &["-c", "--chunk-size", "1", "-j", "3", "^$", "e.log"],
        ] {
            eqnice!("1\n", dir.command().args(args).stdout(), "{args:?}");
        }
        // No empty line at all: nothing matches, whatever the mode.
        dir.create("one.log", "a\nb\n");
        for args in [
            &["^$", "one.log"][..],
            &["-c", "^$", "one.log"],
            &["-q", "^$", "one.log"],
            &["-l", "^$", "one.log"],
        ] {
            dir.command().args(args).assert_no_match();
        }
        dir.command()
            .args(["-c", "^$"])
            .stdin("a\n")
            .assert_no_match();
    }
);
