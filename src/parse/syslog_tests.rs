use super::*;
use crate::parse::time::format_rfc3339;
use jiff::Timestamp;
use proptest::prelude::*;

fn at(now: &str) -> SyslogParser {
    SyslogParser::new(TimeCtx {
        now: now.parse::<Timestamp>().unwrap(),
        ..TimeCtx::default()
    })
}

fn p() -> SyslogParser {
    at("2026-11-28T12:00:00Z")
}

fn fields(line: &str) -> Vec<(String, String)> {
    crate::parse::all_fields(&p(), line.as_bytes())
}

use crate::parse::owned_pairs as pairs;

#[test]
fn rfc3164_with_pri() {
    let l = b"<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8";
    let r = p().parse(l, Want::ALL);
    assert!(r.ok && probe(l));
    assert_eq!(r.level, Level::Fatal); // 34 % 8 = 2, critical
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-10-11T22:14:15.000Z");
    assert_eq!(r.ts_text, Some(&b"Oct 11 22:14:15"[..]));
    assert_eq!(
        r.msg.unwrap().text(),
        "'su root' failed for lonvick on /dev/pts/8"
    );
    assert_eq!(
        fields(std::str::from_utf8(l).unwrap()),
        pairs(&[
            ("facility", "auth"),
            ("host", "mymachine"),
            ("program", "su"),
            ("pid", "123")
        ])
    );
    assert_eq!(p().field(l, "service"), Some(Value::Text(b"su")));
}

#[test]
fn message_pairs() {
    let p = p();
    let l = br#"<13>Nov 28 13:04:05 web-1 api[42]: GET /x status=503 duration_ms=38 user="a b" host=other pid=1"#;
    assert_eq!(p.field(l, "status").and_then(|v| v.number()), Some(503.0));
    assert_eq!(p.field(l, "user"), Some(Value::Text(b"a b")));
    // Header names win.
    assert_eq!(p.field(l, "host"), Some(Value::Text(b"web-1")));
    assert_eq!(p.field(l, "pid"), Some(Value::Text(b"42")));
    assert_eq!(
        fields(std::str::from_utf8(l).unwrap())[4..],
        pairs(&[("status", "503"), ("duration_ms", "38"), ("user", "a b")])
    );
    // RFC 5424: structured data first, then the message.
    let l = br#"<165>1 2026-11-28T13:04:05Z h app 1 ID1 [ex@1 a="1"] took ex@1.a=2 b=3"#;
    assert_eq!(p.field(l, "ex@1.a"), Some(Value::Text(b"1")));
    assert_eq!(p.field(l, "b"), Some(Value::Text(b"3")));
}

#[test]
fn rfc3164_files() {
    let p = p();
    let l = b"Nov  2 03:04:05 web-1 sshd[4211]: error: PAM: Authentication failure for root";
    let r = p.parse(l, Want::ALL);
    assert!(r.ok && probe(l));
    assert_eq!(r.level, Level::Error);
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-02T03:04:05.000Z");
    assert_eq!(p.field(l, "host"), Some(Value::Text(b"web-1")));
    assert_eq!(p.field(l, "pid"), Some(Value::Text(b"4211")));
    assert_eq!(p.field(l, "facility"), None);

    let k = b"Nov 28 10:00:00 db kernel: [ 12.345] Out of memory: Killed process 77";
    let r = p.parse(k, Want::ALL);
    assert_eq!(r.level, Level::Unknown);
    assert_eq!(
        r.msg.unwrap().text(),
        "[ 12.345] Out of memory: Killed process 77"
    );
    assert_eq!(p.field(k, "program"), Some(Value::Text(b"kernel")));

    let iso = b"2026-11-28T13:04:05.123456+01:00 web-1 systemd[1]: Started Session 5.";
    let r = p.parse(iso, Want::ALL);
    assert!(r.ok && probe(iso));
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T12:04:05.123Z");

    let untagged = b"Nov 28 10:00:00 db last message repeated 3 times";
    let r = p.parse(untagged, Want::ALL);
    assert!(r.ok);
    assert_eq!(r.msg.unwrap().text(), "last message repeated 3 times");
    assert_eq!(p.field(untagged, "program"), None);

    for (msg, level) in [
        ("app: [warn] disk", Level::Warn),
        ("app: WARNING low disk", Level::Warn),
        ("app: A new session", Level::Unknown),
        ("app: Config reloaded", Level::Unknown),
        ("app: info: x", Level::Info),
        ("app: <E> x", Level::Error),
    ] {
        let l = format!("Nov 28 10:00:00 h {msg}");
        assert_eq!(p.parse(l.as_bytes(), Want::ALL).level, level, "{msg}");
    }
    // Fractions, explicit years, no host with PRI, no timestamp with PRI.
    let r = p.parse(b"Nov 28 10:00:00.250 h app: x", Want::ALL);
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T10:00:00.250Z");
    let r = p.parse(b"Dec 31 2019 23:59:59 h app: x", Want::ALL);
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2019-12-31T23:59:59.000Z");
    let r = p.parse(b"<13>Nov 28 10:00:00 cron[5]: x", Want::ALL);
    assert_eq!(
        (r.ok, p.field(b"<13>Nov 28 10:00:00 cron[5]: x", "host")),
        (true, None)
    );
    let r = p.parse(b"<11>su: hi", Want::ALL);
    assert_eq!(
        (r.ok, r.level, r.msg),
        (true, Level::Error, Some(Value::Text(b"hi")))
    );
}

#[test]
fn year_rollover() {
    // Read early in January: December lines are last year's.
    let jan = at("2027-01-02T08:00:00Z");
    let t = jan
        .parse(b"Dec 31 23:59:59 h app: x", Want::ALL)
        .ts
        .unwrap();
    assert_eq!(format_rfc3339(t), "2026-12-31T23:59:59.000Z");
    let t = jan
        .parse(b"Jan  2 07:00:00 h app: x", Want::ALL)
        .ts
        .unwrap();
    assert_eq!(format_rfc3339(t), "2027-01-02T07:00:00.000Z");
    // A little in the future (clock skew, up to a week) stays this year.
    let t = jan
        .parse(b"Jan  8 07:00:00 h app: x", Want::ALL)
        .ts
        .unwrap();
    assert_eq!(format_rfc3339(t), "2027-01-08T07:00:00.000Z");
    let t = jan
        .parse(b"Mar 20 07:00:00 h app: x", Want::ALL)
        .ts
        .unwrap();
    assert_eq!(format_rfc3339(t), "2026-03-20T07:00:00.000Z");
    // Feb 29 goes back to the last leap year.
    let t = jan
        .parse(b"Feb 29 07:00:00 h app: x", Want::ALL)
        .ts
        .unwrap();
    assert_eq!(format_rfc3339(t), "2024-02-29T07:00:00.000Z");
    // Zones: a year-less time is read in --tz.
    let tz = SyslogParser::new(TimeCtx {
        tz: jiff::tz::TimeZone::fixed(jiff::tz::offset(2)),
        now: "2026-11-28T12:00:00Z".parse().unwrap(),
    });
    let t = tz.parse(b"Nov 28 10:00:00 h app: x", Want::ALL).ts.unwrap();
    assert_eq!(format_rfc3339(t), "2026-11-28T08:00:00.000Z");
}

#[test]
fn rfc5424() {
    let l = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"] \u{feff}An application event log entry...";
    let r = p().parse(l.as_bytes(), Want::ALL);
    assert!(r.ok && probe(l.as_bytes()));
    assert_eq!(r.level, Level::Info); // 165 % 8 = 5, notice
    assert_eq!(format_rfc3339(r.ts.unwrap()), "2003-10-11T22:14:15.003Z");
    assert_eq!(r.msg.unwrap().text(), "An application event log entry...");
    assert_eq!(
        fields(l),
        pairs(&[
            ("facility", "local4"),
            ("host", "mymachine.example.com"),
            ("program", "evntslog"),
            ("msgid", "ID47"),
            ("exampleSDID@32473.iut", "3"),
            ("exampleSDID@32473.eventSource", "Application"),
            ("exampleSDID@32473.eventID", "1011"),
            ("examplePriority@32473.class", "high"),
        ])
    );
    let p = p();
    let b = l.as_bytes();
    assert_eq!(p.field(b, "service"), Some(Value::Text(b"evntslog")));
    assert_eq!(
        p.field(b, "examplePriority@32473.class"),
        Some(Value::Text(b"high"))
    );
    assert_eq!(p.field(b, "exampleSDID@32473.nope"), None);

    let esc = br#"<14>1 2026-11-28T13:00:00Z h app 42 - [x@1 q="say \"hi\"" b="a\]b"] m"#;
    assert_eq!(p.field(esc, "x@1.q").unwrap().text(), "say \"hi\"");
    assert_eq!(p.field(esc, "x@1.b"), Some(Value::Text(br"a\]b")));
    assert_eq!(p.field(esc, "pid"), Some(Value::Text(b"42")));

    let nil = b"<14>1 - - - - - -";
    let r = p.parse(nil, Want::ALL);
    assert!(r.ok && r.ts.is_none());
    assert_eq!(r.msg, Some(Value::Text(b"")));
    for bad in [
        &b"<14>1 - - - - -"[..],
        b"<14>1 - - - - - [x",
        b"<14>1 - - - - - [x a=b]",
    ] {
        assert!(
            !p.parse(bad, Want::ALL).ok,
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn probe_is_strict() {
    for no in [
        &b"2026-11-28T13:04:05.123Z INFO [api] x.Y - took 5 ms user=bob"[..],
        b"2026-11-28T13:04:05.123Z INFO main: started",
        br#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326"#,
        br#"{"level":"info"}"#,
        b"level=info msg=x",
        b"<999>Oct 11 22:14:15 h x: y",
        b"<ab>Oct 11 22:14:15 h x: y",
        b"Oct 11 22:14:15",
        b"Nov 28 10:00:00 db kernel: x".split_at(12).0,
        b"2026-11-28T10:00:00.1Z stdout F {}",
    ] {
        assert!(!probe(no), "{}", String::from_utf8_lossy(no));
    }
}

fn check_no_panic(b: &[u8]) {
    probe(b);
    crate::parse::exercise(
        &p(),
        b,
        &["host", "service", "pid", "facility", "x@1.a", "status", ""],
    );
}

proptest! {
    #[test]
    fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        check_no_panic(&b);
    }

    #[test]
    fn syslog_ish_never_panics(
        pre in "(<[0-9]{1,3}>)?(1 )?",
        s in r#"(Oct|Feb)? ?[ 0-9:\[\]="\\a-z.T-]{0,80}"#,
    ) {
        check_no_panic(format!("{pre}{s}").as_bytes());
    }
}
