//! `logsift count`, `logsift formats`, and the parsing filters on `grep`, run on small
//! generated inputs.

use crate::util::{Dir, TestCommand};

/// A plain log with levels, a stack trace, a JSON line and a line without a timestamp.
const LOG: &str = "\
2026-11-28T13:00:05.000Z INFO  [w-1] app.Orders - order 1 placed duration_ms=10
2026-11-28T13:00:45.000Z ERROR [w-1] app.Orders - Connection to 10.0.0.1:5432 timed out after 350 ms
java.lang.IllegalStateException: boom
\tat app.Orders.place(Orders.java:12)
2026-11-28T13:01:10.000Z WARN  [w-2] app.Cache - cache miss key=user:7
2026-11-28T13:03:30.000Z INFO  [w-2] app.Orders - order 2 placed duration_ms=30
2026-11-28T13:03:31.000Z ERROR [w-1] app.Billing - card declined
{\"ts\":\"2026-11-28T13:03:40Z\",\"level\":\"fatal\",\"msg\":\"json among plain\"}
";

fn count(dir: &Dir) -> TestCommand {
    let mut c = TestCommand::bare(dir.path());
    c.arg("count");
    c
}

fn csv(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

lstest!(count_by_level_csv, |dir: Dir, _cmd: TestCommand| {
    dir.create("app.log", LOG);
    let out = count(&dir)
        .args(["--by", "level", "-o", "csv", "app.log"])
        .stdout();
    let rows = csv(&out);
    assert_eq!(rows[0], ["level", "count"]);
    let got: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    // Sorted by count, then key; the stack trace belongs to the ERROR record.
    let want = [("error", "2"), ("info", "2"), ("fatal", "1"), ("warn", "1")];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want, "{out}");
});

lstest!(
    count_is_the_same_at_any_threads_and_chunking,
    |dir: Dir, _cmd: TestCommand| {
        let mut big = String::new();
        for i in 0..300 {
            big.push_str(LOG.replace("order 1", &format!("order {i}")).as_str());
        }
        dir.create("big.log", &big);
        let args = [
            "--by",
            "level",
            "--by",
            "logger",
            "--every",
            "1m",
            "--stats",
            "duration_ms",
            "-o",
            "csv",
            "big.log",
        ];
        let base = count(&dir).args(args).args(["-j", "1"]).stdout();
        for extra in [["-j", "3"], ["--chunk-size", "7"], ["--chunk-size", "64"]] {
            let other = count(&dir).args(args).args(extra).stdout();
            assert_eq!(base, other, "differs with {extra:?}");
        }
        // And the same through stdin.
        let piped = count(&dir)
            .args([
                "--by",
                "level",
                "--by",
                "logger",
                "--every",
                "1m",
                "--stats",
                "duration_ms",
                "-o",
                "csv",
                "-",
            ])
            .stdin(big.into_bytes())
            .stdout();
        assert_eq!(base, piped);
    }
);

lstest!(
    count_every_fills_empty_buckets_and_notes_missing_timestamps,
    |dir: Dir, _cmd: TestCommand| {
        dir.create("app.log", format!("{LOG}no timestamp here\n"));
        let out = count(&dir)
            .args(["--every", "1m", "-o", "json", "app.log"])
            .output();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        let rows = v.as_array().unwrap();
        let starts: Vec<&str> = rows.iter().map(|r| r["start"].as_str().unwrap()).collect();
        assert_eq!(
            starts,
            [
                "2026-11-28T13:00:00.000Z",
                "2026-11-28T13:01:00.000Z",
                "2026-11-28T13:02:00.000Z",
                "2026-11-28T13:03:00.000Z"
            ]
        );
        let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
        assert_eq!(counts, [2, 1, 0, 3]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("1 records without a timestamp"), "{err}");
    }
);

lstest!(count_stats_columns, |dir: Dir, _cmd: TestCommand| {
    let mut json = String::new();
    for (i, ms) in [10, 20, 30, 40].iter().enumerate() {
        json.push_str(&format!("{{\"ts\":\"2026-11-28T13:00:0{i}Z\",\"level\":\"info\",\"msg\":\"m\",\"duration_ms\":{ms}}}\n"));
    }
    json.push_str("{\"level\":\"info\",\"msg\":\"no duration\"}\n{\"level\":\"warn\",\"msg\":\"x\",\"duration_ms\":\"n/a\"}\n");
    dir.create("app.json", json);
    let out = count(&dir)
        .args(["--stats", "duration_ms", "-o", "csv", "app.json"])
        .stdout();
    let rows = csv(&out);
    assert_eq!(
        rows[0],
        [
            "count",
            "duration_ms_min",
            "duration_ms_mean",
            "duration_ms_p50",
            "duration_ms_p95",
            "duration_ms_p99",
            "duration_ms_max"
        ]
    );
    // Six records; four carry a number: min 10, mean 25, max 40.
    assert_eq!(rows[1][0], "6");
    assert_eq!(rows[1][1], "10");
    assert_eq!(rows[1][2], "25");
    assert_eq!(rows[1][6], "40");
});

lstest!(
    count_top_folds_the_rest_into_other,
    |dir: Dir, _cmd: TestCommand| {
        dir.create("app.log", LOG);
        let out = count(&dir)
            .args(["--by", "level", "--top", "1", "-o", "csv", "app.log"])
            .stdout();
        let rows = csv(&out);
        assert_eq!(rows.len(), 3, "{out}");
        assert_eq!(rows[2], ["other", "4"]);
    }
);

lstest!(count_top_per_time_bucket, |dir: Dir, _cmd: TestCommand| {
    dir.create("app.log", LOG);
    let out = count(&dir)
        .args([
            "--every", "1m", "--by", "level", "--top", "1", "-o", "csv", "app.log",
        ])
        .stdout();
    let rows = csv(&out);
    // 13:00 holds info and error (one each): the first by key stays, the other folds.
    assert_eq!(rows[1], ["2026-11-28T13:00:00.000Z", "error", "1"], "{out}");
    assert_eq!(rows[2], ["2026-11-28T13:00:00.000Z", "other", "1"], "{out}");
    assert_eq!(rows[3][0], "2026-11-28T13:01:00.000Z");
});

lstest!(
    count_filters_and_bad_expressions,
    |dir: Dir, _cmd: TestCommand| {
        dir.create("app.log", LOG);
        let out = count(&dir)
            .args(["--level", "error", "-o", "csv", "app.log"])
            .stdout();
        assert_eq!(csv(&out)[1], ["3"]);
        let out = count(&dir)
            .args([
                "--where",
                "msg~placed",
                "--since",
                "2026-11-28T13:01:00Z",
                "-o",
                "csv",
                "app.log",
            ])
            .stdout();
        assert_eq!(csv(&out)[1], ["1"]);
        let out = count(&dir)
            .args(["--where", "nonsense", "app.log"])
            .assert_exit(2);
        assert!(String::from_utf8_lossy(&out.stderr).contains("FIELD OP VALUE"));
        count(&dir)
            .args(["--level", "loud", "app.log"])
            .assert_exit(2);
        count(&dir)
            .args(["--every", "7q", "app.log"])
            .assert_exit(2);
    }
);

lstest!(
    grep_filters_and_json_fields,
    |dir: Dir, cmd: TestCommand| {
        dir.create("app.log", LOG);
        let out = cmd
            .args(["--level", "error", "--json", "2026", "app.log"])
            .stdout();
        let recs: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let levels: Vec<&str> = recs.iter().map(|r| r["level"].as_str().unwrap()).collect();
        assert_eq!(levels, ["error", "error", "fatal"], "{out}");
        assert_eq!(recs[0]["ts"], "2026-11-28T13:00:45.000Z");
        assert_eq!(
            recs[0]["msg"],
            "Connection to 10.0.0.1:5432 timed out after 350 ms"
        );
        assert_eq!(recs[0]["fields"]["logger"], "app.Orders");
    }
);

lstest!(
    formats_reports_the_detected_format,
    |dir: Dir, _cmd: TestCommand| {
        dir.create("app.log", LOG);
        dir.create(
            "app.json",
            "{\"level\":\"info\",\"msg\":\"a\"}\n{\"level\":\"warn\",\"msg\":\"b\"}\n",
        );
        let out = TestCommand::bare(dir.path())
            .args(["formats", "-o", "json", "app.json", "app.log"])
            .stdout();
        let v: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(v[0]["format"], "json");
        assert_eq!(v[1]["format"], "plain+json");
        assert_eq!(v[1]["samples"][0]["level"], "info");
    }
);
