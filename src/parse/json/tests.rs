use super::*;

/// Where `Brackets` says the outermost level closes, or `None` on a mismatch.
fn closes_at(text: &[u8]) -> Option<usize> {
    let mut b = Brackets::default();
    for (i, &c) in text.iter().enumerate() {
        if b.step(c)? {
            return Some(i);
        }
    }
    None
}

#[test]
fn brackets_match() {
    assert_eq!(closes_at(b"{a[1,{}]b}x"), Some(9));
    assert_eq!(closes_at(b"[[]]]"), Some(3));
    assert_eq!(closes_at(b"{]"), None);
    assert_eq!(closes_at(b"[}"), None);
    assert_eq!(closes_at(b"}"), None);
    assert_eq!(closes_at(b"{[}"), None);
    // Past 64 levels kinds are not checked, only counted.
    let mut deep = vec![b'['; 70];
    deep.extend_from_slice(&[b'}'; 6]);
    deep.extend_from_slice(&[b']'; 64]);
    assert_eq!(closes_at(&deep), Some(139));
}
use crate::parse::time::format_rfc3339;
use proptest::prelude::*;

fn p() -> JsonParser {
    JsonParser::new(TimeCtx::default())
}

fn ts(s: &str) -> String {
    format_rfc3339(p().parse(s.as_bytes(), Want::ALL).ts.unwrap())
}

fn field(line: &str, name: &str) -> Option<String> {
    p().field(line.as_bytes(), name)
        .map(|v| v.text().into_owned())
}

fn all_fields(line: &str) -> Vec<(String, String)> {
    crate::parse::all_fields(&p(), line.as_bytes())
}

#[test]
fn tables_agree_with_classify() {
    for k in TIME_KEYS {
        assert_eq!(classify(k.as_bytes()) & TIME, TIME, "{k}");
    }
    for k in LEVEL_KEYS {
        assert_eq!(classify(k.as_bytes()) & LEVEL, LEVEL, "{k}");
    }
    for k in MSG_KEYS {
        assert_eq!(classify(k.as_bytes()) & MSG, MSG, "{k}");
    }
}

#[test]
fn zap_pino_bunyan_ecs_structlog() {
    let zap = r#"{"level":"error","ts":1764335045.123,"logger":"api","caller":"h/o.go:42","msg":"request failed","status":503,"err":"upstream timeout"}"#;
    let r = p().parse(zap.as_bytes(), Want::ALL);
    assert!(r.ok);
    assert_eq!(r.level, Level::Error);
    assert_eq!(r.msg.unwrap().text(), "request failed");
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-11-28T13:04:05.123Z");
    assert_eq!(r.ts_text, Some(&b"1764335045.123"[..]));

    let pino = r#"{"level":40,"time":1764335045123,"pid":7,"hostname":"web-1","msg":"slow query"}"#;
    let r = p().parse(pino.as_bytes(), Want::ALL);
    assert_eq!((r.level, r.ok), (Level::Warn, true));
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-11-28T13:04:05.123Z");
    assert_eq!(field(pino, "host").as_deref(), Some("web-1"));

    let ecs = r#"{"@timestamp":"2026-11-28T13:04:05.5Z","log":{"level":"WARN","logger":"x"},"message":"disk 91% full","service":{"name":"billing"},"host":{"name":"db-2"}}"#;
    let r = p().parse(ecs.as_bytes(), Want::ALL);
    assert_eq!(r.level, Level::Warn);
    assert_eq!(r.msg.unwrap().text(), "disk 91% full");
    assert_eq!(ts(ecs), "2026-11-28T13:04:05.500Z");
    assert_eq!(field(ecs, "service").as_deref(), Some("billing"));
    assert_eq!(field(ecs, "host").as_deref(), Some("db-2"));
    assert_eq!(field(ecs, "log.logger").as_deref(), Some("x"));

    let flat_ecs = r#"{"@timestamp":"2026-11-28T13:04:05Z","log.level":"error","message":"boom","service.name":"auth"}"#;
    assert_eq!(
        p().parse(flat_ecs.as_bytes(), Want::ALL).level,
        Level::Error
    );
    assert_eq!(field(flat_ecs, "service").as_deref(), Some("auth"));
    assert_eq!(field(flat_ecs, "log.level").as_deref(), Some("error"));

    let structlog = r#"{"event":"user logged in","levelname":"INFO","timestamp":"2026-11-28 13:04:05","app":"web"}"#;
    let r = p().parse(structlog.as_bytes(), Want::ALL);
    assert_eq!(
        (r.level, r.msg.unwrap().text()),
        (Level::Info, "user logged in".into())
    );
    assert_eq!(ts(structlog), "2026-11-28T13:04:05.000Z");
    assert_eq!(field(structlog, "service").as_deref(), Some("web"));

    let gelf = r#"{"version":"1.1","host":"h","short_message":"x","level":3}"#;
    assert_eq!(p().parse(gelf.as_bytes(), Want::ALL).level, Level::Error);

    let mongo = r#"{"t":{"$date":"2026-11-28T13:04:05.000+00:00"},"s":"I","msg":"conn"}"#;
    assert_eq!(ts(mongo), "2026-11-28T13:04:05.000Z");
}

#[test]
fn usable_values_win() {
    // An object under `event` is not a message; an unknown level word is skipped.
    let l = r#"{"event":{"kind":"x"},"level":"chatty","severity":"warning","message":"m"}"#;
    let r = p().parse(l.as_bytes(), Want::ALL);
    assert_eq!(r.level, Level::Warn);
    assert_eq!(r.msg.unwrap().text(), "m");
    // Only what is wanted is read.
    let r = p().parse(
        l.as_bytes(),
        Want {
            level: true,
            ..Want::default()
        },
    );
    assert!(r.ok && r.msg.is_none() && r.ts.is_none());
}

#[test]
fn epoch_units() {
    let ns = "2025-11-28T13:04:05.123Z";
    for t in [
        "1764335045.123",
        "1764335045123",
        "1764335045123000",
        "1764335045123000000",
    ] {
        assert_eq!(ts(&format!(r#"{{"ts":{t}}}"#)), ns, "{t}");
        assert_eq!(ts(&format!(r#"{{"ts":"{t}"}}"#)), ns, "string {t}");
    }
    // The unit thresholds are from_epoch's.
    for n in [
        1i64,
        99_999_999_999,
        100_000_000_000,
        99_999_999_999_999,
        100_000_000_000_000,
    ]
    .into_iter()
    .chain([
        9_000_000_000_000_000,
        100_000_000_000_000_000,
        1_764_335_045,
    ]) {
        assert_eq!(epoch(n.to_string().as_bytes()), from_epoch(n as f64), "{n}");
    }
    assert_eq!(epoch(b"-1.5"), Some(-1_500_000_000));
    assert_eq!(epoch(b"1.5e9"), Some(1_500_000_000_000_000_000));
    // Nanoseconds stay exact (an f64 would round them).
    let r = p().parse(br#"{"ts":1764335045123456789}"#, Want::ALL);
    assert_eq!(r.ts, Some(1_764_335_045_123_456_789));
}

#[test]
fn escapes_and_surrogates() {
    let l = r#"{"msg":"say \"hi\"\n\ud83d\ude00 \u00e9","le\u0076el":"warn","a\"b":1}"#;
    let r = p().parse(l.as_bytes(), Want::ALL);
    assert!(r.ok);
    assert_eq!(r.msg.unwrap().text(), "say \"hi\"\n😀 é");
    assert_eq!(r.level, Level::Warn);
    assert_eq!(field(l, "a\"b").as_deref(), Some("1"));
    assert_eq!(field(l, "level").as_deref(), Some("warn"));
    // A backslash right before the closing quote.
    let l = r#"{"msg":"C:\\dir\\","level":"info"}"#;
    let r = p().parse(l.as_bytes(), Want::ALL);
    assert_eq!((r.ok, r.level), (true, Level::Info));
    assert_eq!(r.msg.unwrap().text(), "C:\\dir\\");
}

#[test]
fn nested_and_paths() {
    let l = r#"{"http":{"status":503,"req":{"method":"GET","hdr":[1,{"a":"}"}]}},"http.status":200,"tags":[],"e":{}}"#;
    assert_eq!(field(l, "http.status").as_deref(), Some("503"));
    assert_eq!(field(l, "http.req.method").as_deref(), Some("GET"));
    assert_eq!(
        field(l, "http.req.hdr").as_deref(),
        Some(r#"[1,{"a":"}"}]"#)
    );
    assert_eq!(field(l, "http.nope"), None);
    assert_eq!(
        all_fields(l),
        [
            ("http.status", "503"),
            ("http.req.method", "GET"),
            ("http.req.hdr", r#"[1,{"a":"}"}]"#),
            ("http.status", "200"),
            ("tags", "[]"),
            ("e", "{}"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Literal dotted key first in the document wins.
    assert_eq!(
        field(r#"{"a.b":1,"a":{"b":2}}"#, "a.b").as_deref(),
        Some("1")
    );
    assert_eq!(
        field(r#"{"a":{"c":1},"a":{"b":2}}"#, "a.b").as_deref(),
        Some("2")
    );
}

#[test]
fn duplicates_and_huge_numbers() {
    let l = r#"{"level":"info","level":"error","n":123456789012345678901234567890,"f":-1.5e300}"#;
    assert_eq!(p().parse(l.as_bytes(), Want::ALL).level, Level::Info);
    assert_eq!(field(l, "level").as_deref(), Some("info"));
    assert_eq!(
        p().field(l.as_bytes(), "n"),
        Some(Value::Num(b"123456789012345678901234567890"))
    );
    assert_eq!(p().field(l.as_bytes(), "f"), Some(Value::Num(b"-1.5e300")));
    let r = p().parse(br#"{"ts":1e400,"msg":"x"}"#, Want::ALL);
    assert!(r.ok && r.ts.is_none());
}

#[test]
fn not_objects() {
    for l in [
        "",
        "   ",
        "[1,2,3]",
        "hello world",
        r#""just a string""#,
        r#"{"level":"info","msg":"trunc"#,
        r#"{"level":"info","msg":"x","#,
        r#"{"level":"info","msg":"x"} trailing"#,
        r#"{"level":"info","a":{"b":[1,2}}"#,
        r#"{"level":"info","a":{"b":1}"#,
        r#"{"level":info}"#,
        r#"{level:"info"}"#,
        r#"{"a":-}"#,
        r#"{"a":1 "b":2}"#,
        "{",
        "}",
        "{\"a\\",
    ] {
        let r = p().parse(l.as_bytes(), Want::ALL);
        assert!(!r.ok, "{l:?}");
        assert_eq!(r.level, Level::Unknown);
        assert!(!probe(l.as_bytes()), "{l:?}");
    }
    assert!(p().parse(b"{}", Want::ALL).ok);
    assert!(p().parse(b"  { } \r", Want::ALL).ok);
}

#[test]
fn stopping_early() {
    let fast = p().stop_early(true);
    let level = Want {
        level: true,
        ..Want::default()
    };
    let l = br#"{"level":"warn","msg":"x","rest":[1,2,{"a":"b"}]}"#;
    assert_eq!(fast.parse(l, level).level, Level::Warn);
    assert_eq!(fast.parse(l, Want::ALL).msg, Some(Value::JsonStr(b"x")));
    assert!(fast.parse(l, Want::default()).ok);
    // A truncation after the wanted keys is seen when the line lacks its `}`...
    assert!(
        !fast
            .parse(br#"{"level":"warn","msg":"x","rest":[1,2"#, level)
            .ok
    );
    assert!(!fast.parse(br#"{"level":"warn""#, level).ok);
    // ...but not when it happens to end in one (the documented price).
    let cut = br#"{"level":"info","a":{"b":1}"#;
    assert!(fast.parse(cut, level).ok && !p().parse(cut, level).ok);
    // A missing key means a full walk.
    assert!(!fast.parse(br#"{"msg":"x","a":{"b":1}"#, level).ok);
}

#[test]
fn prefixes() {
    let cri = r#"2026-11-28T10:00:00.1Z stdout F {"level":"error","msg":"oom"}"#;
    let r = p().parse(cri.as_bytes(), Want::ALL);
    assert!(r.ok && probe(cri.as_bytes()));
    assert_eq!(
        (r.level, r.msg.unwrap().text()),
        (Level::Error, "oom".into())
    );
    assert_eq!(ts(cri), "2026-11-28T10:00:00.100Z");
    assert_eq!(r.ts_text, Some(&b"2026-11-28T10:00:00.1Z"[..]));
    // The object's own time wins over the prefix's.
    let cri2 = r#"2026-11-28T10:00:00.1Z stderr F {"ts":"2026-11-28T09:00:00Z","msg":"x"}"#;
    assert_eq!(ts(cri2), "2026-11-28T09:00:00.000Z");
    // Other short prefixes parse, but only probe as JSON with a known key.
    let other = r#"2026-11-28 13:00:00 app: {"level":"warn","msg":"x"}"#;
    assert!(p().parse(other.as_bytes(), Want::ALL).ok && probe(other.as_bytes()));
    assert_eq!(ts(other), "2026-11-28T13:00:00.000Z");
    let plain = r#"2026-11-28 13:00:00 INFO done {"user":"bob"}"#;
    assert!(!probe(plain.as_bytes()));
    let far = format!("{} {{\"msg\":\"x\"}}", "x".repeat(MAX_PREFIX));
    assert!(!p().parse(far.as_bytes(), Want::ALL).ok);
}

fn check_no_panic(b: &[u8]) {
    probe(b);
    crate::parse::exercise(
        &p(),
        b,
        &["level", "service", "host", "a.b", "msg", "", "."],
    );
}

#[test]
fn int_edges_read_as_str_parse() {
    for edge in [
        "-9223372036854775808",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "+",
        "-",
        "",
    ] {
        assert_eq!(int(edge.as_bytes()), edge.parse::<i64>().ok(), "{edge:?}");
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        check_no_panic(&b);
    }

    /// The first line, unescaped, is what `text()` gives before its first newline,
    /// whenever the fast path takes the body.
    #[test]
    fn int_reads_as_str_parse(s in "[-+]?[0-9]{0,21}|[-+0-9a ]{0,6}") {
        prop_assert_eq!(int(s.as_bytes()), s.parse::<i64>().ok(), "{:?}", s);
    }

    #[test]
    fn first_line_agrees_with_text(
        s in proptest::collection::vec(prop_oneof![
            Just("a".to_string()), Just(" ".to_string()), Just("\\n".to_string()),
            Just("\\\"".to_string()), Just("\\\\".to_string()), Just("\\t".to_string()),
            Just("\\r".to_string()), Just("\\u00e9".to_string()), Just("\\u000a".to_string()),
            Just("\\ud83d\\ude00".to_string()), Just("\\ud83d".to_string()), Just("\\x".to_string()),
            Just("\\".to_string()), Just("\"".to_string()), Just("é".to_string()), Just("\n".to_string()), Just("\u{1}".to_string()),
        ], 0..12)
    ) {
        let body = s.concat();
        let mut out = Vec::new();
        if unescape_first_line(body.as_bytes(), &mut out) {
            let text = Value::JsonStr(body.as_bytes()).text();
            let want = text.split('\n').next().unwrap_or("");
            prop_assert_eq!(String::from_utf8_lossy(&out), want, "{:?}", body);
        }
    }

    #[test]
    fn json_ish_never_panics(s in r#"[ {}\[\]":,\\a-z0-9.u\-]{0,120}"#) {
        check_no_panic(s.as_bytes());
        check_no_panic(format!("{{\"level\":{s}").as_bytes());
    }
}
