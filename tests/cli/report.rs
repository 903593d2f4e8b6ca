//! `logsift report` and `logsift templates` on the fixtures of `testdata/report/`:
//! `small.log` (hand-written: every level, a stack trace, a line with no header, a
//! `<script>` from a log), and two generated four-hour days (`incident.log.gz` with a
//! 10-minute error outage at 13:55, `calm.log.gz` without).

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{Dir, TestCommand, lossy};

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/report")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

fn logsift(dir: &Dir, sub: &str) -> TestCommand {
    let mut c = TestCommand::bare(dir.path());
    c.arg(sub);
    c
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// The report of `small.log` as JSON.
fn small(dir: &Dir, extra: &[&str]) -> Value {
    dir.create("small.log", fixture("small.log"));
    let out = logsift(dir, "report")
        .args(["-o", "json", "small.log"])
        .args(extra)
        .stdout();
    json(&out)
}

lstest!(
    report_totals_levels_and_rates,
    |dir: Dir, _c: TestCommand| {
        let r = small(&dir, &[]);
        assert_eq!(r["version"], 1);
        assert_eq!(r["records"], 17, "a stack trace is one record");
        assert_eq!(r["lines"], 20);
        assert_eq!(r["unparsed"], 1, "the line with no header");
        let levels = &r["levels"];
        for (l, n) in [
            ("trace", 0),
            ("debug", 2),
            ("info", 8),
            ("warn", 2),
            ("error", 3),
            ("fatal", 1),
            ("unknown", 1),
        ] {
            assert_eq!(levels[l], n, "level {l}");
        }
        assert_eq!(r["errors"], 4);
        assert!((r["error_rate"].as_f64().unwrap() - 4.0 / 17.0).abs() < 1e-12);
        assert_eq!(r["time"]["first"], "2026-11-28T10:00:01.000Z");
        assert_eq!(r["time"]["last"], "2026-11-28T10:04:30.000Z");
        assert_eq!(r["time"]["bucket_seconds"], 60);
        let inputs = r["inputs"].as_array().unwrap();
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0]["path"], "small.log");
        assert_eq!(inputs[0]["format"], "plain");
        assert_eq!(inputs[0]["records"], 17);
        // Histogram: five one-minute buckets, records and errors summing to the totals.
        let h = r["histogram"].as_array().unwrap();
        assert_eq!(h.len(), 5);
        let sum = |k: &str| h.iter().map(|b| b[k].as_u64().unwrap()).sum::<u64>();
        assert_eq!(
            sum("records"),
            16,
            "the record without a timestamp is in no bucket"
        );
        assert_eq!(sum("errors"), 4);
        assert_eq!(h[1]["start"], "2026-11-28T10:01:00.000Z");
        assert_eq!(h[1]["errors"], 2);
        assert!(
            r["notes"][0]
                .as_str()
                .unwrap()
                .contains("without a timestamp"),
            "{}",
            r["notes"]
        );
    }
);

lstest!(
    report_templates_and_error_templates,
    |dir: Dir, _c: TestCommand| {
        let r = small(&dir, &[]);
        let t = r["templates"].as_array().unwrap();
        let find = |pat: &str| {
            t.iter()
                .find(|x| x["template"].as_str().unwrap().contains(pat))
                .unwrap_or_else(|| panic!("no template with {pat:?} in {t:?}"))
        };
        let conn = find("Connection to");
        assert_eq!(conn["template"], "Connection to <*> timed out after <*>");
        assert_eq!(conn["count"], 3);
        assert_eq!(conn["levels"]["error"], 3);
        assert_eq!(conn["first"], "2026-11-28T10:01:00.000Z");
        assert_eq!(conn["last"], "2026-11-28T10:02:00.000Z");
        assert_eq!(conn["example_at"], "small.log:5");
        assert_eq!(
            conn["example"],
            "Connection to 10.0.0.5:5432 timed out after 350 ms"
        );
        assert_eq!(find("Job")["count"], 3);
        assert_eq!(find("GET")["count"], 5);
        // Most frequent first; shares of the report's records.
        assert_eq!(t[0]["count"], 5);
        assert!((t[0]["share"].as_f64().unwrap() - 5.0 / 17.0).abs() < 1e-12);
        let counts: Vec<u64> = t.iter().map(|x| x["count"].as_u64().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        // Error templates: ranked by error + fatal.
        let e = r["error_templates"].as_array().unwrap();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0]["template"], conn["template"]);
        assert_eq!(e[1]["levels"]["fatal"], 1);
        // --top limits both lists.
        let r = small(&dir, &["--top", "2"]);
        assert_eq!(r["templates"].as_array().unwrap().len(), 2);
    }
);

lstest!(
    report_by_field_sorted_by_errors,
    |dir: Dir, _c: TestCommand| {
        let r = small(&dir, &["--by", "thread"]);
        let rows = r["by"]["thread"].as_array().unwrap();
        let got: Vec<(Value, u64, u64)> = rows
            .iter()
            .map(|x| {
                (
                    x["value"].clone(),
                    x["records"].as_u64().unwrap(),
                    x["errors"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Value::from("billing"), 3, 3),
                (Value::from("worker"), 4, 1),
                (Value::from("api"), 9, 0),
                (Value::Null, 1, 0),
            ]
        );
        assert_eq!(rows[1]["error_rate"], 0.25);
        // Without --by there is no "by" key.
        let r = small(&dir, &[]);
        assert!(r.get("by").is_none());
    }
);

lstest!(report_filters_apply, |dir: Dir, _c: TestCommand| {
    let r = small(&dir, &["--level", "error"]);
    assert_eq!(r["records"], 4);
    assert_eq!(r["errors"], 4);
    assert_eq!(r["error_rate"], 1.0);
    let r = small(&dir, &["--since", "2026-11-28T10:02:00Z"]);
    assert_eq!(r["records"], 9);
    assert!(
        r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("left out by the time filter")),
        "{}",
        r["notes"]
    );
});

/// The report with what legitimately differs between runs on a file and on stdin
/// (the input's name and size) removed.
fn comparable(mut r: Value) -> Value {
    for i in r["inputs"].as_array_mut().unwrap() {
        i["path"] = Value::Null;
    }
    for key in ["templates", "error_templates"] {
        for t in r[key].as_array_mut().unwrap() {
            let at = t["example_at"].as_str().unwrap().to_string();
            t["example_at"] = Value::from(at.rsplit(':').next().unwrap());
        }
    }
    r
}

lstest!(
    report_is_the_same_at_any_threads_chunking_and_source,
    |dir: Dir, _c: TestCommand| {
        dir.create("inc.log.gz", fixture("incident.log.gz"));
        let plain = crate::util::gunzip(&fixture("incident.log.gz"));
        dir.create("inc.log", &plain);
        let run = |extra: &[&str]| {
            let out = logsift(&dir, "report")
                .args(["-o", "json", "--by", "level"])
                .args(extra)
                .stdout();
            comparable(json(&out))
        };
        let base = run(&["-j", "1", "inc.log"]);
        assert!(base["records"].as_u64().unwrap() > 2000);
        for extra in [
            &["-j", "3", "inc.log"][..],
            &["-j", "2", "--chunk-size", "7", "inc.log"],
            &["-j", "3", "--chunk-size", "4KiB", "inc.log"],
            &["-j", "2", "inc.log.gz"],
        ] {
            assert_eq!(run(extra), base, "{extra:?}");
        }
        let out = logsift(&dir, "report")
            .args(["-o", "json", "--by", "level", "-j", "2"])
            .stdin(plain)
            .stdout();
        assert_eq!(comparable(json(&out)), base, "stdin");
    }
);

lstest!(calm_day_has_no_spikes, |dir: Dir, _c: TestCommand| {
    dir.create("calm.log.gz", fixture("calm.log.gz"));
    let r = json(
        &logsift(&dir, "report")
            .args(["-o", "json", "calm.log.gz"])
            .stdout(),
    );
    assert!(r["records"].as_u64().unwrap() > 2000);
    assert!(r["errors"].as_u64().unwrap() > 10);
    assert_eq!(r["spikes"], Value::Array(vec![]), "{}", r["spikes"]);
});

lstest!(
    incident_is_found_with_its_templates,
    |dir: Dir, _c: TestCommand| {
        dir.create("inc.log.gz", fixture("incident.log.gz"));
        let r = json(
            &logsift(&dir, "report")
                .args(["-o", "json", "inc.log.gz"])
                .stdout(),
        );
        let spikes = r["spikes"].as_array().unwrap();
        let errs: Vec<&Value> = spikes.iter().filter(|s| s["kind"] == "errors").collect();
        assert_eq!(errs.len(), 1, "one outage, one spike: {spikes:?}");
        let s = errs[0];
        // The generator's outage runs 13:55–14:05.
        let start = s["start"].as_str().unwrap();
        let end = s["end"].as_str().unwrap();
        assert!(
            ("2026-11-28T13:53".."2026-11-28T13:58").contains(&start),
            "start {start}"
        );
        assert!(
            ("2026-11-28T14:02".."2026-11-28T14:09").contains(&end),
            "end {end}"
        );
        assert!(s["errors"].as_f64().unwrap() > 3.0 * s["expected"].as_f64().unwrap());
        // Its dominant templates: timeouts, the exhausted pool, upstream 503s (masked).
        let named: Vec<&str> = s["templates"]
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .map(|t| t["template"].as_str().unwrap())
            .collect();
        assert!(!named.is_empty(), "{s}");
        let known = [
            "timed out",
            "Connection is not available",
            "Service Unavailable",
        ];
        for t in &named {
            assert!(
                known.iter().any(|k| t.contains(k)),
                "unexpected {t} in {named:?}"
            );
        }
    }
);

lstest!(fail_if_exit_codes, |dir: Dir, _c: TestCommand| {
    dir.create("small.log", fixture("small.log"));
    let run = |exprs: &[&str]| {
        let mut c = logsift(&dir, "report");
        c.args(["-o", "json", "small.log"]);
        for e in exprs {
            c.args(["--fail-if", e]);
        }
        c.output()
    };
    let out = run(&["errors>3"]);
    assert_eq!(out.status.code(), Some(1));
    // The report is written before the verdict.
    assert_eq!(json(&lossy(&out.stdout))["errors"], 4);
    assert!(
        lossy(&out.stderr).contains("errors>3"),
        "{}",
        lossy(&out.stderr)
    );
    assert_eq!(run(&["errors>100"]).status.code(), Some(0));
    assert_eq!(run(&["error_rate>20%"]).status.code(), Some(1));
    assert_eq!(run(&["error_rate>30%"]).status.code(), Some(0));
    assert_eq!(run(&["levels.fatal>0"]).status.code(), Some(1));
    assert_eq!(run(&["spikes>0", "records<1"]).status.code(), Some(0));
    assert_eq!(run(&["spikes>0", "records>=17"]).status.code(), Some(1));
    for bad in ["errors >> 3", "errors", "nosuchkey>1", "errors>ten"] {
        let out = run(&[bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = lossy(&out.stderr);
        assert!(err.contains("NAME OP NUMBER"), "{bad}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
});

lstest!(
    empty_input_is_a_report_of_nothing,
    |dir: Dir, _c: TestCommand| {
        dir.create("empty.log", "");
        let out = logsift(&dir, "report")
            .args(["-o", "json", "empty.log", "--fail-if", "records<1"])
            .assert_exit(1);
        let r = json(&lossy(&out.stdout));
        assert_eq!(r["records"], 0);
        assert_eq!(r["error_rate"], 0.0);
        assert_eq!(r["time"]["first"], Value::Null);
        assert_eq!(r["histogram"], Value::Array(vec![]));
        for f in ["table", "csv", "md", "html"] {
            logsift(&dir, "report")
                .args(["-o", f, "empty.log"])
                .stdout();
        }
    }
);

lstest!(
    unreadable_input_is_named_and_the_rest_reported,
    |dir: Dir, _c: TestCommand| {
        dir.create("small.log", fixture("small.log"));
        let out = logsift(&dir, "report")
            .args(["-o", "json", "missing.log", "small.log"])
            .assert_exit(2);
        assert!(
            lossy(&out.stderr).contains("missing.log"),
            "{}",
            lossy(&out.stderr)
        );
        assert_eq!(json(&lossy(&out.stdout))["records"], 17);
    }
);

lstest!(templates_lists_and_assigns, |dir: Dir, _c: TestCommand| {
    dir.create("small.log", fixture("small.log"));
    let out = logsift(&dir, "templates")
        .args(["-o", "json", "small.log"])
        .stdout();
    let list = json(&out);
    let list = list.as_array().unwrap();
    assert_eq!(list[0]["count"], 5);
    assert_eq!(
        list.iter()
            .map(|t| t["count"].as_u64().unwrap())
            .sum::<u64>(),
        17
    );
    let table = logsift(&dir, "templates").arg("small.log").stdout();
    assert!(
        table.contains("Connection to <*> timed out after <*>"),
        "{table}"
    );
    let csv = logsift(&dir, "templates")
        .args(["-o", "csv", "--top", "1", "small.log"])
        .stdout();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.starts_with("count,share,errors,template,trace,"),
        "{csv}"
    );

    // --assign: one object per record, with the line of its first line.
    let out = logsift(&dir, "templates")
        .args(["--assign", "small.log"])
        .stdout();
    let rows: Vec<Value> = out.lines().map(json).collect();
    assert_eq!(rows.len(), 17);
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(
        lines[..7],
        [1, 2, 3, 4, 5, 6, 10],
        "the stack trace is part of line 6"
    );
    assert_eq!(rows[4]["path"], "small.log");
    assert_eq!(rows[4]["template"], rows[5]["template"]);
    assert_eq!(rows[4]["template"], "Connection to <*> timed out after <*>");
    // The same from stdin.
    let out = logsift(&dir, "templates")
        .arg("--assign")
        .stdin(fixture("small.log"))
        .stdout();
    let srows: Vec<Value> = out.lines().map(json).collect();
    assert_eq!(srows.len(), 17);
    assert_eq!(srows[4]["path"], "<stdin>");
    for (a, b) in rows.iter().zip(&srows) {
        assert_eq!((&a["line"], &a["template"]), (&b["line"], &b["template"]));
    }
});

lstest!(
    distinct_keys_are_capped_with_an_other_row,
    |dir: Dir, _c: TestCommand| {
        // Ids made of letters only escape masking: every line is its own key.
        let mut log = String::new();
        let mut x: u64 = 7;
        for i in 0..210_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let id: String = (0..10)
                .map(|k| (b'a' + ((x >> (k * 5)) % 26) as u8) as char)
                .collect();
            let level = if i % 10 == 0 { "ERROR" } else { "INFO" };
            log.push_str(&format!(
                "2026-11-28T10:00:00Z {level} session {id} opened\n"
            ));
        }
        dir.create("ids.log", &log);
        let out = logsift(&dir, "templates")
            .args(["-o", "json", "ids.log"])
            .output();
        assert_eq!(out.status.code(), Some(0));
        let err = lossy(&out.stderr);
        assert!(err.contains("capped:") && err.contains("100000"), "{err}");
        let list = json(&lossy(&out.stdout));
        let list = list.as_array().unwrap();
        let other = list.last().unwrap();
        assert_eq!(other["template"], "other");
        let total: u64 = list.iter().map(|t| t["count"].as_u64().unwrap()).sum();
        assert_eq!(
            total, 210_000,
            "nothing is lost: folded records are in 'other'"
        );
        assert!(other["count"].as_u64().unwrap() > 0);
    }
);

/// The report of `small.log` in one output format, as the binary writes it (terminal
/// width fixed at 100 columns; no colour).
fn rendered(dir: &Dir, args: &[&str]) -> String {
    dir.create("small.log", fixture("small.log"));
    logsift(dir, "report")
        .env("COLUMNS", "100")
        .args(["--color", "never", "small.log"])
        .args(args)
        .stdout()
}

lstest!(report_snapshots, |dir: Dir, _c: TestCommand| {
    insta::assert_snapshot!("report_table", rendered(&dir, &[]));
    insta::assert_snapshot!(
        "report_json",
        rendered(&dir, &["-o", "json", "--by", "thread"])
    );
    insta::assert_snapshot!("report_md", rendered(&dir, &["-o", "md"]));
    insta::assert_snapshot!("report_html", rendered(&dir, &["-o", "html"]));
    for section in [
        "inputs",
        "levels",
        "histogram",
        "templates",
        "error_templates",
        "spikes",
    ] {
        insta::assert_snapshot!(
            format!("report_csv_{section}"),
            rendered(&dir, &["-o", "csv", "--section", section])
        );
    }
    insta::assert_snapshot!(
        "report_csv_by",
        rendered(&dir, &["-o", "csv", "--section", "by", "--by", "thread"])
    );
});

lstest!(
    report_snapshots_of_an_incident,
    |dir: Dir, _c: TestCommand| {
        dir.create("inc.log.gz", fixture("incident.log.gz"));
        let run = |args: &[&str]| {
            logsift(&dir, "report")
                .env("COLUMNS", "100")
                .args(["--color", "never", "--top", "5", "inc.log.gz"])
                .args(args)
                .stdout()
        };
        insta::assert_snapshot!("incident_table", run(&[]));
        insta::assert_snapshot!("incident_md", run(&["-o", "md"]));
        insta::assert_snapshot!(
            "incident_csv_spikes",
            run(&["-o", "csv", "--section", "spikes"])
        );
    }
);

lstest!(
    html_escapes_what_comes_from_logs,
    |dir: Dir, _c: TestCommand| {
        let html = rendered(&dir, &["-o", "html"]);
        assert!(
            html.starts_with("<!DOCTYPE html>"),
            "{}",
            &html[..80.min(html.len())]
        );
        assert!(!html.contains("<script"), "a <script> from a log survived");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("<svg"), "the inline chart");
        // The only address in the file is the SVG namespace.
        assert_eq!(
            html.matches("http").count(),
            html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
            "a link in the HTML"
        );
        for asset in ["<link", "src=", "@import", "url("] {
            assert!(!html.contains(asset), "external asset: {asset}");
        }
        // Well-formedness (every element closed, in order) is checked on the renderer's
        // own fixture in src/report/render_tests.rs.
    }
);

lstest!(
    md_and_table_do_not_replay_control_characters,
    |dir: Dir, _c: TestCommand| {
        dir.create(
            "esc.log",
            "2026-11-28T10:00:00Z ERROR [a] b - \x1b[2J\x1b[31mdisk full\x1b[0m on /dev/sda1\n",
        );
        for f in ["table", "md", "csv"] {
            let out = logsift(&dir, "report")
                .args(["--color", "always", "-o", f, "esc.log"])
                .stdout();
            assert!(!out.contains("\x1b[2J"), "{f}: {out}");
            assert!(out.contains("disk full"), "{f}");
        }
    }
);
