//! ripgrep parity (DESIGN.md): with `--multiline none` and no other option,
//! `logsift grep PAT FILE` prints exactly what `rg PAT FILE` prints on a text file.
//!
//! The expected outputs are committed in `testdata/grep/rg-parity/NAME.out`. They were
//! produced by ripgrep 15.2.0 (`rg -e PAT app.log`, stdout a pipe) and checked by hand
//! against app.log. When `rg` is on PATH the test also runs it, so the committed files
//! cannot drift from what ripgrep really prints; without `rg` it compares with them alone.

use crate::util::{fixture, lossy, rg_available};

/// (name of the expected-output file, pattern)
const CASES: &[(&str, &str)] = &[
    ("error", "ERROR"),
    ("timed_out", "timed out after [0-9]+ ?ms"),
    ("tab_at", r"^\tat "),
    ("keyerror", "KeyError"),
    ("error_any_case", "[Ee]rror"),
    ("first_seconds", "^2026-11-28T13:00:0[0-4]"),
    ("nothing", "no such line"),
];

lstest!(same_output_as_ripgrep, |dir: Dir, cmd: TestCommand| {
    dir.copy_fixture("app.log");
    drop(cmd);
    let rg = rg_available();
    if !rg {
        eprintln!("note: rg is not on PATH; comparing with the committed outputs only");
    }
    for (name, pat) in CASES {
        let expected = std::fs::read(fixture(&format!("rg-parity/{name}.out")))
            .unwrap_or_else(|e| panic!("rg-parity/{name}.out: {e}"));
        let out = dir
            .command()
            .args(["--multiline", "none", "-e", pat, "app.log"])
            .output();
        let want_code = if expected.is_empty() { 1 } else { 0 };
        assert_eq!(
            out.status.code(),
            Some(want_code),
            "{pat:?}: {}",
            lossy(&out.stderr)
        );
        eqnice!(
            lossy(&expected),
            lossy(&out.stdout),
            "pattern {pat:?} vs rg-parity/{name}.out"
        );
        if rg {
            let live = std::process::Command::new("rg")
                .args(["-e", pat, "app.log"])
                .current_dir(dir.path())
                .output()
                .expect("running rg");
            assert_eq!(live.status.code(), out.status.code(), "exit code, {pat:?}");
            eqnice!(
                lossy(&live.stdout),
                lossy(&out.stdout),
                "pattern {pat:?} vs live rg"
            );
        }
    }
});

lstest!(
    same_output_as_ripgrep_on_odd_text,
    |dir: Dir, cmd: TestCommand| {
        // Empty lines, CRLF, a missing final newline, leading whitespace. Only run against
        // a live rg: these expected outputs are not worth committing twice.
        drop(cmd);
        dir.create(
            "odd.log",
            "\n\nfirst ERROR\r\n  indented ERROR\n\n\tat tab ERROR\r\nlast ERROR",
        );
        if !rg_available() {
            eprintln!("note: rg is not on PATH; nothing to compare with");
            return;
        }
        for pat in ["ERROR", "^$", r"ERROR\r?$", "^", "(?m)^\\s+"] {
            let out = dir
                .command()
                .args(["--multiline", "none", "-e", pat, "odd.log"])
                .output();
            let live = std::process::Command::new("rg")
                .args(["-e", pat, "odd.log"])
                .current_dir(dir.path())
                .output()
                .expect("running rg");
            assert_eq!(live.status.code(), out.status.code(), "exit code, {pat:?}");
            eqnice!(
                lossy(&live.stdout),
                lossy(&out.stdout),
                "pattern {pat:?} vs live rg"
            );
        }
    }
);
