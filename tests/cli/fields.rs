//! Fields that live inside other text: `key=value` pairs in plain messages, and the
//! records Docker's json-file driver wraps in JSON. Fixtures are in `testdata/parse/`.

use std::path::Path;

use crate::util::{Dir, TestCommand};

/// Copies `testdata/parse/NAME` into the test's directory.
fn fixture(dir: &Dir, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/parse")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {name}: {e}"));
    dir.create(name, bytes);
}

fn logsift(dir: &Dir, args: &[&str]) -> String {
    TestCommand::bare(dir.path()).args(args).stdout()
}

fn csv(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

lstest!(
    count_stats_on_pairs_in_plain_messages,
    |dir: Dir, _cmd: TestCommand| {
        fixture(&dir, "kv.log");
        let out = logsift(
            &dir,
            &["count", "--stats", "duration_ms", "-o", "csv", "kv.log"],
        );
        let rows = csv(&out);
        assert_eq!(
            rows[0][..3],
            ["count", "duration_ms_min", "duration_ms_mean"]
        );
        // Seven records (the stack trace belongs to the fourth); six carry the pair.
        assert_eq!(rows[1][0], "7", "{out}");
        assert_eq!(rows[1][1], "3", "{out}");
        assert!(rows[1][2].starts_with("73.33"), "{out}");
        assert_eq!(rows[1][6], "350", "{out}");
    }
);

lstest!(
    where_on_pairs_in_plain_messages,
    |dir: Dir, _cmd: TestCommand| {
        fixture(&dir, "kv.log");
        // Not the query string's `?status=999`, nor the stack trace's `status=0`.
        let out = logsift(
            &dir,
            &[
                "count",
                "--where",
                "status>=500",
                "--by",
                "status",
                "--by",
                "level",
                "-o",
                "csv",
                "kv.log",
            ],
        );
        assert_eq!(
            csv(&out),
            [
                ["status", "level", "count"],
                ["500", "error", "1"],
                ["503", "error", "1"]
            ],
            "{out}"
        );
        // A quoted value with a space, and a record without the pair (null).
        let out = logsift(&dir, &["count", "--by", "user", "-o", "csv", "kv.log"]);
        let rows = csv(&out);
        assert_eq!(rows[1], ["ann lee", "2"], "{out}");
        assert!(
            rows.contains(&vec![String::new(), "1".to_string()]),
            "{out}"
        );
        let out = logsift(
            &dir,
            &["count", "--where", "user=ann lee", "-o", "csv", "kv.log"],
        );
        assert_eq!(csv(&out)[1], ["2"], "{out}");
    }
);

lstest!(
    grep_json_shows_pairs_as_fields,
    |dir: Dir, cmd: TestCommand| {
        fixture(&dir, "kv.log");
        let out = cmd.args(["--json", "status=503", "kv.log"]).stdout();
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON record");
        assert_eq!(v["level"], "error");
        assert_eq!(
            v["fields"],
            serde_json::json!({
                "thread": "api-11e7",
                "logger": "api.Http",
                "status": "503",
                "duration_ms": "350",
                "user": "ann lee",
                "error": "upstream timeout"
            })
        );
        // `formats` lists them among the fields it saw.
        let out = logsift(&dir, &["formats", "-o", "json", "kv.log"]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
        let names: Vec<&str> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        for want in ["thread", "logger", "status", "duration_ms", "user", "key"] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
    }
);

lstest!(docker_json_file_levels, |dir: Dir, _cmd: TestCommand| {
    fixture(&dir, "docker.log");
    let out = logsift(&dir, &["count", "--by", "level", "-o", "csv", "docker.log"]);
    // Levels come from inside `log`: JSON records and plain text alike.
    assert_eq!(
        csv(&out),
        [
            ["level", "count"],
            ["error", "3"],
            ["warn", "2"],
            ["info", "1"],
            ["unknown", "1"]
        ],
        "{out}"
    );
    let out = logsift(&dir, &["formats", "-o", "json", "docker.log"]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(v["format"], "docker");
    // Fields of the inner record, then the wrapper's `stream`; the inner time, else
    // the wrapper's; the message without its newline.
    let out = TestCommand::bare(dir.path())
        .args([
            "grep",
            "--json",
            "-e",
            "boom",
            "-e",
            "payment",
            "docker.log",
        ])
        .stdout();
    let recs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2, "{out}");
    assert_eq!(recs[0]["msg"], "boom");
    assert_eq!(recs[0]["ts"], "2026-11-28T10:00:01.123Z");
    assert_eq!(recs[0]["fields"]["status"], 503);
    assert_eq!(recs[0]["fields"]["stream"], "stderr");
    assert_eq!(recs[1]["level"], "error");
    assert_eq!(recs[1]["msg"], "payment declined code=51 user=\"ann lee\"");
    assert_eq!(recs[1]["fields"]["user"], "ann lee");
    let out = logsift(
        &dir,
        &[
            "count",
            "--where",
            "stream=stderr",
            "-o",
            "csv",
            "docker.log",
        ],
    );
    assert_eq!(csv(&out)[1], ["3"], "{out}");
});
