use super::*;
use crate::parse::Level;
use crate::parse::time::format_rfc3339;
use proptest::prelude::*;

fn ctx() -> TimeCtx {
    TimeCtx {
        tz: jiff::tz::TimeZone::UTC,
        now: "2026-12-01T00:00:00Z".parse().unwrap(),
    }
}

fn learn(lines: &[&str]) -> PlainParser {
    let v: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    PlainParser::learn(&v, ctx())
}

fn msg(p: &PlainParser, line: &str) -> String {
    let r = p.parse(line.as_bytes(), Want::ALL);
    String::from_utf8_lossy(r.msg.unwrap().bytes()).into_owned()
}

fn all_fields(p: &PlainParser, line: &str) -> Vec<(String, String)> {
    crate::parse::all_fields(p, line.as_bytes())
}

const GEN: &[&str] = &[
    "2026-11-28T13:04:05.123Z INFO  [api-7f9c] checkout.PaymentClient - Connection to 10.2.3.4:5432 timed out after 350 ms",
    "2026-11-28T13:04:06.001Z WARN  [auth-11e7] sql.SlowQueryLogger - Slow query took 7054ms: SELECT * FROM t",
    "2026-11-28T13:04:07.500Z DEBUG [search-70ab] cache.RedisCache - Cache miss key=\"session:8f\", loading from db",
    "2026-11-28T13:04:08.000Z ERROR [checkout-f4d1] health.Probe - Health check failed: db=down",
    "2026-11-28T13:04:09.000Z TRACE [search-0509] net.bufio - Buffer state: read=4144 write=2345",
];

#[test]
fn generator_lines() {
    let p = learn(GEN);
    assert_eq!(p.schema_shape().as_deref(), Some("T L B X S"));
    let line = GEN[0];
    let r = p.parse(line.as_bytes(), Want::ALL);
    assert!(r.ok);
    assert_eq!(r.level, Level::Info);
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T13:04:05.123Z");
    assert_eq!(r.ts_text, Some(&b"2026-11-28T13:04:05.123Z"[..]));
    assert_eq!(
        msg(&p, line),
        "Connection to 10.2.3.4:5432 timed out after 350 ms"
    );
    assert_eq!(
        all_fields(&p, line),
        [
            ("thread".to_string(), "api-7f9c".to_string()),
            ("logger".to_string(), "checkout.PaymentClient".to_string())
        ]
    );
    assert_eq!(
        p.field(line.as_bytes(), "service")
            .map(|v| v.text().into_owned()),
        Some("checkout.PaymentClient".into())
    );
    assert_eq!(p.field(line.as_bytes(), "nope"), None);
    // Continuation lines are not part of the message; a stack-trace line on its own
    // does not parse.
    let rec = format!("{}\n\tat a.b(C.java:1)\r", GEN[3]);
    let r = p.parse(rec.as_bytes(), Want::ALL);
    assert_eq!(r.level, Level::Error);
    assert_eq!(r.msg.unwrap().bytes(), b"Health check failed: db=down");
    let r = p.parse(b"\tat a.b(C.java:1)", Want::ALL);
    assert!(!r.ok);
    assert_eq!(r.level, Level::Unknown);
    assert_eq!(r.msg.unwrap().bytes(), b"\tat a.b(C.java:1)");
    // Only what is wanted.
    let r = p.parse(
        GEN[1].as_bytes(),
        Want {
            level: true,
            ..Want::default()
        },
    );
    assert_eq!((r.level, r.ts, r.msg), (Level::Warn, None, None));
}

#[test]
fn crlf_and_empty_message() {
    let p = learn(GEN);
    let r = p.parse(
        b"2026-11-28T13:04:05.123Z INFO  [a] b.C - hello\r",
        Want::ALL,
    );
    assert_eq!(r.msg.unwrap().bytes(), b"hello");
    let r = p.parse(b"2026-11-28T13:04:05.123Z INFO  [a] b.C -", Want::ALL);
    assert!(r.ok);
    assert_eq!(r.msg.unwrap().bytes(), b"");
}

#[test]
fn syslog_shape() {
    let p = learn(&[
        "Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo failed",
        "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
        "Dec 10 06:55:48 LabSZ sshd[24202]: pam_unix(sshd:auth): check pass; user unknown",
        "Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]",
    ]);
    let line = "Dec 31 23:59:59 LabSZ sshd[24203]: Received disconnect: 11: Bye Bye";
    assert_eq!(msg(&p, line), "Received disconnect: 11: Bye Bye");
    let r = p.parse(line.as_bytes(), Want::ALL);
    // No year in the text: "now" is 2026-12-01, so December 31st was last year's.
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-12-31T23:59:59.000Z");
    assert_eq!(
        all_fields(&p, line),
        [
            ("host".to_string(), "LabSZ".to_string()),
            ("proc".to_string(), "sshd".to_string()),
            ("pid".to_string(), "24203".to_string())
        ]
    );
    assert_eq!(
        p.field(line.as_bytes(), "service").unwrap().bytes(),
        b"sshd"
    );
}

#[test]
fn bracketed_levels_and_times() {
    let p = learn(&[
        "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/w.properties",
        "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
        "[Sun Dec 04 04:51:08 2005] [notice] jk2_init() Found child 6725 in scoreboard slot 10",
    ]);
    let line = "[Sun Dec 04 04:51:18 2005] [error] mod_jk child workerEnv in error state 6";
    let r = p.parse(line.as_bytes(), Want::ALL);
    assert_eq!(r.level, Level::Error);
    assert_eq!(r.ts_text, Some(&b"Sun Dec 04 04:51:18 2005"[..]));
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2005-12-04T04:51:18.000Z");
    assert_eq!(msg(&p, line), "mod_jk child workerEnv in error state 6");
}

#[test]
fn numeric_date_time_and_word_colon_logger() {
    let p = learn(&[
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
        "081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 terminating",
        "081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap",
        "081109 204015 308 WARN dfs.DataNode$PacketResponder: Received block blk_-1608 of size",
    ]);
    let line = "081109 204106 329 WARN dfs.DataNode: Got exception while serving blk_1";
    let r = p.parse(line.as_bytes(), Want::ALL);
    assert_eq!(r.level, Level::Warn);
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2008-11-09T20:41:06.000Z");
    assert_eq!(msg(&p, line), "Got exception while serving blk_1");
    assert_eq!(
        all_fields(&p, line),
        [
            ("pid".to_string(), "329".to_string()),
            ("logger".to_string(), "dfs.DataNode".to_string())
        ]
    );
}

#[test]
fn bars_and_padded_component() {
    let p = learn(&[
        "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
        "20171223-22:15:29:615|Step_LSC|30002312|onExtend:1514038530000 14 0 4",
        "20171223-22:15:29:633|Step_StandReportReceiver|30002312|onReceive action: x",
    ]);
    let line = "20171223-22:15:29:635|Step_LSC|30002312|processHandleBroadcastAction action:x";
    assert_eq!(msg(&p, line), "processHandleBroadcastAction action:x");
    assert_eq!(
        p.field(line.as_bytes(), "service").unwrap().bytes(),
        b"Step_LSC"
    );
    assert_eq!(
        p.field(line.as_bytes(), "pid").unwrap().bytes(),
        b"30002312"
    );

    let p = learn(&[
        "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1",
        "2016-09-28 04:30:31, Info                  CSI    00000001@2016/9/27:20:30:31.455 Wcp",
        "2016-09-28 04:30:31, Error                 CBS    Ending TrustedInstaller init",
    ]);
    let line = "2016-09-28 04:30:31, Warning               CBS    SQM: Initializing online";
    let r = p.parse(line.as_bytes(), Want::ALL);
    assert_eq!(r.level, Level::Warn);
    assert_eq!(r.ts_text, Some(&b"2016-09-28 04:30:31"[..]));
    assert_eq!(msg(&p, line), "SQM: Initializing online");
    assert_eq!(p.field(line.as_bytes(), "logger").unwrap().bytes(), b"CBS");
}

#[test]
fn fallback_without_schema() {
    // Too varied for a schema: the fallback reads a leading timestamp and level.
    let p = learn(&["hello there", "2026-11-28 13:04:05 ERROR boom", "x y z"]);
    assert_eq!(p.schema_shape(), None);
    for (line, ts, level, m) in [
        (
            "2026-11-28 13:04:05,123 ERROR boom now",
            true,
            Level::Error,
            "boom now",
        ),
        ("Nov 28 13:04:05 WARN: disk", true, Level::Warn, "disk"),
        (
            "[2026-11-28 13:04:05] [info] started",
            true,
            Level::Info,
            "started",
        ),
        ("1764335045 something", true, Level::Unknown, "something"),
        ("<WARN> careful", false, Level::Warn, "careful"),
        ("just text", false, Level::Unknown, "just text"),
    ] {
        let r = p.parse(line.as_bytes(), Want::ALL);
        assert_eq!(r.ts.is_some(), ts, "{line}");
        assert_eq!(r.level, level, "{line}");
        assert_eq!(r.ok, ts || level != Level::Unknown, "{line}");
        assert_eq!(msg(&p, line), m, "{line}");
    }
    assert!(all_fields(&p, "2026-11-28 13:04:05 ERROR boom").is_empty());
}

#[test]
fn empty_sample() {
    let p = PlainParser::learn(&[], ctx());
    let r = p.parse(b"2026-11-28T13:04:05Z INFO hi", Want::ALL);
    assert_eq!((r.ok, r.level), (true, Level::Info));
    assert_eq!(r.msg.unwrap().bytes(), b"hi");
}

/// Line-like text: header-ish tokens glued by spaces, brackets and bars.
fn line_like() -> impl Strategy<Value = Vec<u8>> {
    let tok = prop_oneof![
        Just("2026-11-28T13:04:05.123Z".to_string()),
        Just("Jun 14 15:16:01".to_string()),
        Just("INFO".to_string()),
        Just("[main]".to_string()),
        Just("[a [b] c".to_string()),
        Just("(x".to_string()),
        Just("|".to_string()),
        Just("sshd[1]:".to_string()),
        Just("-".to_string()),
        Just("status=503".to_string()),
        Just("user=\"a b".to_string()),
        Just("{a='x',".to_string()),
        Just("\\\"".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        "[0-9:.,/ -]{0,12}",
        "[a-zA-Z\\[\\]()<>:| ]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(tok, 0..24).prop_map(|v| v.join(" ").into_bytes())
}

fn exercise(p: &PlainParser, rec: &[u8]) {
    let r = p.parse(rec, Want::ALL);
    if let Some(m) = r.msg {
        assert!(m.bytes().len() <= rec.len());
    }
    let names = ["service", "host", "thread", "status", "a", "user", ""];
    crate::parse::exercise(p, rec, &names);
    let escaped = p.clone().json_escaped();
    crate::parse::exercise(&escaped, rec, &names);
}

proptest! {
    #[test]
    fn random_bytes_never_panic(
        sample in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..80), 0..20),
        rec in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let s: Vec<&[u8]> = sample.iter().map(|v| v.as_slice()).collect();
        let p = PlainParser::learn(&s, ctx());
        exercise(&p, &rec);
        for r in &s {
            exercise(&p, r);
        }
    }

    #[test]
    fn line_like_text_never_panics(
        sample in prop::collection::vec(line_like(), 0..30),
        rec in line_like(),
    ) {
        let s: Vec<&[u8]> = sample.iter().map(|v| v.as_slice()).collect();
        let p = PlainParser::learn(&s, ctx());
        exercise(&p, &rec);
        for r in &s {
            exercise(&p, r);
        }
        let g = learn(GEN);
        exercise(&g, &rec);
    }

    #[test]
    fn time_scan_never_panics(text in prop::collection::vec(any::<u8>(), 0..70), s in "[0-9A-Za-z:.,/+ \\[\\]-]{0,40}") {
        let c = ctx();
        let _ = crate::parse::time::parse_timestamp(&text, &c);
        let _ = crate::parse::time::parse_timestamp(s.as_bytes(), &c);
    }
}

#[test]
fn other_common_shapes() {
    // (sample lines, a line to parse, its level, its message, one field)
    type Case<'a> = (&'a [&'a str], &'a str, Level, &'a str, (&'a str, &'a str));
    let cases: &[Case] = &[
        (
            // Python logging's `%(asctime)s - %(name)s - %(levelname)s - %(message)s`
            &[
                "2026-11-28 13:04:05,123 - app.db - INFO - connected to db",
                "2026-11-28 13:04:06,001 - app.web - WARNING - slow request /x",
                "2026-11-28 13:04:07,500 - app.db - ERROR - lost connection",
            ],
            "2026-11-28 13:04:08,000 - app.web - CRITICAL - out of memory: killing",
            Level::Fatal,
            "out of memory: killing",
            ("logger", "app.web"),
        ),
        (
            // log4j `%d [%t] %-5p %c - %m`
            &[
                "2026-11-28 13:04:05,123 [main] INFO  com.acme.App - Starting",
                "2026-11-28 13:04:05,200 [pool-1 thread-2] DEBUG com.acme.Db - Pool size 10",
                "2026-11-28 13:04:05,300 [main] WARN  com.acme.App - Config missing",
            ],
            "2026-11-28 13:04:06,000 [pool-1 thread-3] ERROR com.acme.Db - Query failed",
            Level::Error,
            "Query failed",
            ("thread", "pool-1 thread-3"),
        ),
        (
            // nginx error log
            &[
                "2026/11/28 13:04:05 [error] 1234#0: *1 open() \"/x\" failed (2: No such file)",
                "2026/11/28 13:04:06 [warn] 1234#0: *2 an upstream response is buffered",
                "2026/11/28 13:04:07 [notice] 1234#0: signal process started",
            ],
            "2026/11/28 13:04:08 [crit] 1235#0: *3 connect() failed",
            Level::Fatal,
            "*3 connect() failed",
            ("logger", "1235#0"),
        ),
    ];
    for (sample, line, level, m, (k, v)) in cases {
        let p = learn(sample);
        let r = p.parse(line.as_bytes(), Want::ALL);
        assert!(r.ok && r.ts.is_some(), "{line}");
        assert_eq!(r.level, *level, "{line}");
        assert_eq!(msg(&p, line), *m, "{line}");
        assert_eq!(
            p.field(line.as_bytes(), k).map(|v| v.text().into_owned()),
            Some(v.to_string()),
            "{line}"
        );
    }
}

/// The quick reading of a line that fits exactly ([`exact`], with the learned
/// shortcuts) reports what the general reading (tokenise, fit, locate) does.
fn same_as_general(p: &PlainParser, rec: &[u8]) {
    let wants = [
        Want::ALL,
        Want::default(),
        Want {
            level: true,
            ..Want::default()
        },
        Want {
            ts: true,
            ..Want::default()
        },
        Want {
            msg: true,
            ..Want::default()
        },
    ];
    for want in wants {
        assert_eq!(
            p.parse(rec, want),
            p.parse_located(rec, want),
            "{:?} {want:?}",
            String::from_utf8_lossy(rec)
        );
    }
}

#[test]
fn quick_reading_matches_the_general_one_on_loghub() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = root.join("../shared/corpora/loghub2k");
    let Ok(dirs) = std::fs::read_dir(&root) else {
        eprintln!("skipped: no LogHub corpus at {}", root.display());
        return;
    };
    let mut sets = Vec::new();
    for d in dirs.filter_map(|d| d.ok()).map(|d| d.path()) {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(raw) = std::fs::read(d.join(format!("{name}_2k.log"))) {
            sets.push(raw);
        }
    }
    let lines: Vec<Vec<&[u8]>> = sets
        .iter()
        .map(|raw| raw.split(|&b| b == b'\n').collect())
        .collect();
    for sample in &lines {
        for n in [200, 1000] {
            let p = PlainParser::learn(&sample[..n.min(sample.len())], ctx());
            for l in sample {
                same_as_general(&p, l);
            }
        }
        // Every other set's lines, which mostly do not fit.
        let p = PlainParser::learn(&sample[..200.min(sample.len())], ctx());
        for l in lines.iter().flatten().step_by(7) {
            same_as_general(&p, l);
        }
    }
}

proptest! {
    #[test]
    fn quick_reading_matches_the_general_one(
        sample in prop::collection::vec(line_like(), 0..30),
        recs in prop::collection::vec(line_like(), 1..10),
    ) {
        let s: Vec<&[u8]> = sample.iter().map(|v| v.as_slice()).collect();
        for p in [PlainParser::learn(&s, ctx()), learn(GEN)] {
            for r in recs.iter().chain(&sample) {
                same_as_general(&p, r);
            }
        }
    }
}

#[test]
fn message_pairs_are_fields() {
    let p = learn(GEN);
    let line = r#"2026-11-28T13:04:05.123Z INFO  [api-7f9c] api.Http - GET /x status=503 duration_ms=38 user="a b" thread=t status=200"#;
    let rec = line.as_bytes();
    let field = |name: &str| p.field(rec, name).map(|v| v.text().into_owned());
    assert_eq!(field("status").as_deref(), Some("503"));
    assert_eq!(p.field(rec, "status").and_then(|v| v.number()), Some(503.0));
    assert_eq!(field("duration_ms").as_deref(), Some("38"));
    assert_eq!(field("user").as_deref(), Some("a b"));
    assert_eq!(field("nope"), None);
    // A header name shadows a pair of the same name; `service` is the header's.
    assert_eq!(field("thread").as_deref(), Some("api-7f9c"));
    assert_eq!(field("service").as_deref(), Some("api.Http"));
    assert_eq!(
        all_fields(&p, line),
        [
            ("thread", "api-7f9c"),
            ("logger", "api.Http"),
            ("status", "503"),
            ("duration_ms", "38"),
            ("user", "a b"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The header is not searched, nor are continuation lines.
    let rec = format!("{}\n\tat x=1", GEN[0]);
    assert_eq!(p.field(rec.as_bytes(), "x"), None);
    // Lines that fit loosely or not at all, and an input without a schema.
    assert_eq!(
        p.field(b"garbage status=1", "status").map(|v| v.bytes()),
        Some(&b"1"[..])
    );
    let bare = learn(&["hello there", "x y z", "no header"]);
    assert_eq!(bare.schema_shape(), None);
    let rec = b"2026-11-28 13:04:05 ERROR boom svc=api host=h1 code=E1";
    assert_eq!(bare.field(rec, "service").unwrap().bytes(), b"api");
    assert_eq!(bare.field(rec, "host").unwrap().bytes(), b"h1");
    assert_eq!(
        all_fields(&bare, std::str::from_utf8(rec).unwrap()),
        [("svc", "api"), ("host", "h1"), ("code", "E1")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn json_escaped_message_pairs() {
    let p = learn(GEN).json_escaped();
    let body = br#"2026-11-28T13:04:05.123Z INFO  [api-7f9c] api.Http - GET /x user=\"a b\" q=\"x \\\"y\\\"\""#;
    assert_eq!(p.field(body, "user").unwrap().text(), "a b");
    assert_eq!(p.field(body, "q").unwrap().text(), "x \"y\"");
}
