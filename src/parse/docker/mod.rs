//! Docker's json-file logs: each line a container wrote, wrapped in a JSON object.
//!
//! ```text
//! {"log":"{\"level\":\"error\",\"msg\":\"boom\"}\n","stream":"stderr","time":"2026-11-28T10:00:00.123456789Z"}
//! {"log":"2026-11-28T10:00:01Z ERROR [main] app.Db - lost connection status=503\n","stream":"stdout","time":"…"}
//! ```
//!
//! Read as plain JSON, every record would have the wrapper's time, no level, and the
//! application's whole line as its message. So the record is the *inner* one:
//!
//! - When `log` holds a JSON object, its level, message, time and fields are read as the
//!   JSON parser reads them (the same key spellings), through the outer string's escapes:
//!   a small walker (`inner.rs`) reads `\"` as a quote, and an inner string's value is
//!   [`Value::InnerJsonStr`] (escapes resolved twice) when it holds any escape, plain
//!   [`Value::Text`] otherwise.
//! - Otherwise `log` is a line of text, without its final `\n`: it is read by a plain
//!   parser whose header was learned from the sample's `log` texts (timestamp, level,
//!   `[thread]`, logger, `key=value` pairs in the message; a leading `ERROR` alone is a
//!   level too). Its values are slices of the escaped text: those holding an escape are
//!   [`Value::JsonStr`].
//! - The time is the inner record's when it has one, else the wrapper's `time`.
//! - Fields: the inner record's, then the wrapper's other keys (`stream`, `attrs.*`).
//!   [`Parser::field`] looks in the inner record first.
//!
//! Detection: when most sampled lines are JSON objects with a string `log` and the keys
//! `stream` and `time` (what the json-file driver always writes), also under
//! `--format json`. Lines of the input that are not json-file records are read by the
//! JSON parser, as before.
//!
//! Not undone: the json-file driver splits a line longer than 16 KiB into several
//! records, and a stack trace is one record per line; both stay separate records.

mod inner;

use memchr::memchr;

use self::inner::{
    Inner, blank_from, flatten_inner, is_json, lookup_any_inner, lookup_inner, walk_inner,
};
use super::json::{
    self, JsonParser, LEVEL, LOG_OBJ, MSG, TIME, Walk, classify, first_line, level_of, time_of,
    walk,
};
use super::plain::PlainParser;
use super::time::{TimeCtx, TimeResolver};
use super::{Parsed, Parser, Value, Want};

/// The parser for Docker json-file logs.
#[derive(Clone, Debug)]
pub struct DockerParser {
    /// For the wrapper, and for lines that are not json-file records.
    json: JsonParser,
    /// For `log` texts that are not JSON.
    plain: PlainParser,
    time: TimeResolver,
}

impl DockerParser {
    /// A parser for an input whose first records are `sample` (first lines).
    pub fn learn(sample: &[&[u8]], ctx: TimeCtx) -> DockerParser {
        let texts: Vec<&[u8]> = sample
            .iter()
            .filter_map(|l| outer(l)?.log)
            .filter(|t| !is_json(t))
            .collect();
        DockerParser {
            json: JsonParser::new(ctx.clone()),
            plain: PlainParser::learn(&texts, ctx.clone()).json_escaped(),
            time: TimeResolver::new(&ctx),
        }
    }

    /// The essentials of an inner JSON record; `None` when `log` is not one.
    fn read_json<'a>(&self, body: &'a [u8], want: Want) -> Option<Parsed<'a>> {
        let mut p = Parsed {
            ok: true,
            ..Parsed::default()
        };
        let mut have_level = false;
        let end = walk_inner(body, |k, v| {
            let class = if memchr(b'\\', k).is_none() {
                classify(k)
            } else {
                0
            };
            if class == 0 {
                return true;
            }
            if want.ts && p.ts.is_none() && class & TIME != 0 {
                if let Inner::Scalar(s @ (Value::Num(b) | Value::Text(b))) = v {
                    if let Some(t) = time_of(s, &self.time) {
                        p.ts = Some(t);
                        p.ts_text = Some(b);
                    }
                }
            }
            if want.level && !have_level {
                let l = match v {
                    Inner::Scalar(s) if class & LEVEL != 0 => level_of(s),
                    Inner::Object(r) if class & LOG_OBJ != 0 => {
                        lookup_inner(r, b"level").and_then(level_of)
                    }
                    _ => None,
                };
                if let Some(l) = l {
                    p.level = l;
                    have_level = true;
                }
            }
            if want.msg && p.msg.is_none() && class & MSG != 0 {
                if let Inner::Scalar(s @ (Value::Text(_) | Value::InnerJsonStr(_))) = v {
                    p.msg = Some(s);
                }
            }
            true
        })?;
        blank_from(body, end).then_some(p)
    }
}

/// Cheap detection probe: a JSON object with a string `log`, and `stream` and `time`.
pub fn probe(line: &[u8]) -> bool {
    outer(line).is_some_and(|o| o.log.is_some() && o.stream && o.time.is_some())
}

/// A json-file record's wrapper.
#[derive(Clone, Copy, Debug)]
struct Outer<'a> {
    /// The object (trimmed).
    obj: &'a [u8],
    /// The body of the `log` string, without its final `\n` (or `\r\n`).
    log: Option<&'a [u8]>,
    stream: bool,
    /// The body of the `time` string.
    time: Option<&'a [u8]>,
}

/// The wrapper of a record that is one JSON object; the first `log`, `time` win.
fn outer(rec: &[u8]) -> Option<Outer<'_>> {
    let obj = first_line(rec).trim_ascii();
    if obj.first() != Some(&b'{') {
        return None;
    }
    let mut o = Outer {
        obj,
        log: None,
        stream: false,
        time: None,
    };
    let end = walk(obj, |k, v| {
        if !k.esc {
            match (k.raw, v) {
                (b"log", Value::JsonStr(b)) if o.log.is_none() => o.log = Some(strip_newline(b)),
                (b"stream", _) => o.stream = true,
                (b"time", Value::JsonStr(b)) if o.time.is_none() => o.time = Some(b),
                _ => {}
            }
        }
        true
    });
    match end {
        Walk::Done(e) if obj[e..].trim_ascii().is_empty() => Some(o),
        _ => None,
    }
}

/// A JSON string body without a final `\n` escape, then a final `\r` escape (a backslash
/// before them that is itself escaped does not count).
fn strip_newline(mut b: &[u8]) -> &[u8] {
    for esc in [b"\\n", b"\\r"] {
        if b.ends_with(esc) {
            let slashes = b[..b.len() - 1]
                .iter()
                .rev()
                .take_while(|&&c| c == b'\\')
                .count();
            if slashes % 2 == 1 {
                b = &b[..b.len() - 2];
            }
        }
    }
    b
}

/// A value from the plain parser, a slice of escaped text: JSON's when it holds an escape.
fn escaped(v: Value<'_>) -> Value<'_> {
    match v {
        Value::Text(b) if memchr(b'\\', b).is_some() => Value::JsonStr(b),
        v => v,
    }
}

impl Parser for DockerParser {
    fn name(&self) -> &'static str {
        "docker"
    }

    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let Some((o, log)) = outer(rec).and_then(|o| Some((o, o.log?))) else {
            return self.json.parse(rec, want);
        };
        let mut p = match self.read_json(log, want) {
            Some(p) => p,
            None => {
                let q = self.plain.parse(log, want);
                Parsed {
                    msg: q.msg.map(escaped),
                    ..q
                }
            }
        };
        let inner_time = if want.ts {
            p.ts.is_some()
        } else {
            p.ts_text.is_some()
        };
        if !inner_time {
            p.ts_text = o.time;
            p.ts = if want.ts {
                o.time.and_then(|t| self.time.parse(t))
            } else {
                None
            };
        }
        p.ok = true;
        p
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        let Some((o, log)) = outer(rec).and_then(|o| Some((o, o.log?))) else {
            return self.json.field(rec, name);
        };
        let inner = if is_json(log) {
            match json::aliases(name) {
                Some(keys) => lookup_any_inner(log, keys),
                None => lookup_inner(log, name.as_bytes()),
            }
        } else {
            self.plain.field(log, name).map(escaped)
        };
        inner.or_else(|| match name {
            "log" => None,
            _ => self.json.field(o.obj, name),
        })
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        let Some((o, log)) = outer(rec).and_then(|o| Some((o, o.log?))) else {
            return self.json.fields(rec, f);
        };
        if is_json(log) {
            flatten_inner(log, &mut String::new(), 0, f);
        } else {
            self.plain.fields(log, &mut |k, v| f(k, escaped(v)));
        }
        json::flatten(o.obj, &mut String::new(), 0, &mut |k, v| {
            if k != "log" && k != "time" {
                f(k, v)
            }
        });
    }
}

#[cfg(test)]
mod tests {
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

    const JSON_INNER: &str = r#"{"log":"{\"level\":\"error\",\"msg\":\"boom \\\"x\\\" \\u003c\",\"ts\":\"2026-11-28T09:59:59Z\",\"http\":{\"status\":503},\"service\":\"api\"}\n","stream":"stderr","time":"2026-11-28T10:00:00.123456789Z"}"#;
    const PLAIN: &[&str] = &[
        r#"{"log":"2026-11-28T10:00:01.000Z INFO  [main] app.Web - GET /x status=200 user=\"a b\"\n","stream":"stdout","time":"2026-11-28T10:00:01.5Z"}"#,
        r#"{"log":"2026-11-28T10:00:02.000Z ERROR [main] app.Db - lost \"db\" status=503\n","stream":"stdout","time":"2026-11-28T10:00:02.5Z"}"#,
        r#"{"log":"2026-11-28T10:00:03.000Z WARN  [w-1] app.Web - slow duration_ms=38\n","stream":"stdout","time":"2026-11-28T10:00:03.5Z"}"#,
        r#"{"log":"ERROR no header here code=7\r\n","stream":"stderr","time":"2026-11-28T10:00:04Z"}"#,
        r#"{"log":"just text\n","stream":"stderr","time":"2026-11-28T10:00:05Z","attrs":{"tag":"web"}}"#,
    ];

    /// Learned from a sample where most texts have the header (as an input's would).
    fn parser() -> DockerParser {
        let mut lines: Vec<&[u8]> = Vec::new();
        for _ in 0..3 {
            lines.extend(PLAIN[..3].iter().map(|l| l.as_bytes()));
        }
        lines.extend(PLAIN[3..].iter().map(|l| l.as_bytes()));
        lines.push(JSON_INNER.as_bytes());
        DockerParser::learn(&lines, ctx())
    }

    fn all_fields(p: &DockerParser, line: &str) -> Vec<(String, String)> {
        crate::parse::all_fields(p, line.as_bytes())
    }

    use crate::parse::owned_pairs as pairs;

    #[test]
    fn inner_json_records() {
        let p = parser();
        let rec = JSON_INNER.as_bytes();
        assert!(probe(rec));
        let r = p.parse(rec, Want::ALL);
        assert!(r.ok);
        assert_eq!(r.level, Level::Error);
        assert_eq!(r.msg.unwrap().text(), "boom \"x\" <");
        // The inner record's time wins over the wrapper's.
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T09:59:59.000Z");
        let field = |n: &str| p.field(rec, n).map(|v| v.text().into_owned());
        assert_eq!(field("http.status").as_deref(), Some("503"));
        assert_eq!(p.field(rec, "http.status").unwrap().number(), Some(503.0));
        assert_eq!(field("service").as_deref(), Some("api"));
        assert_eq!(field("stream").as_deref(), Some("stderr"));
        assert_eq!(field("log"), None);
        assert_eq!(field("nope"), None);
        assert_eq!(
            all_fields(&p, JSON_INNER),
            pairs(&[
                ("level", "error"),
                ("msg", "boom \"x\" <"),
                ("ts", "2026-11-28T09:59:59Z"),
                ("http.status", "503"),
                ("service", "api"),
                ("stream", "stderr"),
            ])
        );
        // Without an inner time, the wrapper's; only what is wanted.
        let l = br#"{"log":"{\"severity\":\"WARNING\",\"message\":\"m\"}","stream":"stdout","time":"2026-11-28T10:00:00.5Z"}"#;
        let r = p.parse(l, Want::ALL);
        assert_eq!((r.level, r.msg.unwrap().text()), (Level::Warn, "m".into()));
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T10:00:00.500Z");
        assert_eq!(r.ts_text, Some(&b"2026-11-28T10:00:00.5Z"[..]));
        let r = p.parse(
            l,
            Want {
                level: true,
                ..Want::default()
            },
        );
        assert_eq!((r.level, r.ts, r.msg), (Level::Warn, None, None));
        // ECS's `log.level` nested under `log`.
        let l = br#"{"log":"{\"log\":{\"level\":\"error\"},\"message\":\"e\"}","stream":"stdout","time":"2026-11-28T10:00:00Z"}"#;
        assert_eq!(p.parse(l, Want::ALL).level, Level::Error);
    }

    #[test]
    fn inner_plain_lines() {
        let p = parser();
        let r = p.parse(PLAIN[1].as_bytes(), Want::ALL);
        assert!(r.ok);
        assert_eq!(r.level, Level::Error);
        assert_eq!(r.msg.unwrap().text(), "lost \"db\" status=503");
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T10:00:02.000Z");
        let l = PLAIN[0];
        assert_eq!(
            all_fields(&p, l),
            pairs(&[
                ("thread", "main"),
                ("logger", "app.Web"),
                ("status", "200"),
                ("user", "a b"),
                ("stream", "stdout"),
            ])
        );
        assert_eq!(
            p.field(l.as_bytes(), "status").unwrap().number(),
            Some(200.0)
        );
        assert_eq!(p.field(l.as_bytes(), "service").unwrap().text(), "app.Web");
        // No header: a leading level word, the wrapper's time, `\r\n` dropped.
        let r = p.parse(PLAIN[3].as_bytes(), Want::ALL);
        assert_eq!(r.level, Level::Error);
        assert_eq!(r.msg.unwrap().text(), "no header here code=7");
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T10:00:04.000Z");
        assert_eq!(p.field(PLAIN[3].as_bytes(), "code").unwrap().text(), "7");
        let r = p.parse(PLAIN[4].as_bytes(), Want::ALL);
        assert_eq!(
            (r.level, r.msg.unwrap().text()),
            (Level::Unknown, "just text".into())
        );
        assert_eq!(
            p.field(PLAIN[4].as_bytes(), "attrs.tag").unwrap().text(),
            "web"
        );
        // Inner text that only looks like JSON is text.
        let l =
            br#"{"log":"{not json} ERROR x\n","stream":"stdout","time":"2026-11-28T10:00:00Z"}"#;
        assert_eq!(
            p.parse(l, Want::ALL).msg.unwrap().text(),
            "{not json} ERROR x"
        );
    }

    #[test]
    fn other_lines_are_json() {
        let p = parser();
        let l = br#"{"level":"warn","msg":"not docker","ts":"2026-11-28T10:00:00Z"}"#;
        assert!(!probe(l));
        let r = p.parse(l, Want::ALL);
        assert_eq!((r.ok, r.level), (true, Level::Warn));
        assert_eq!(p.field(l, "level").unwrap().text(), "warn");
        assert!(!p.parse(b"plain text", Want::ALL).ok);
        // A `log` that is not a string: an ordinary JSON record.
        let l = br#"{"log":{"level":"error"},"message":"ecs","stream":"x","time":"t"}"#;
        assert!(!probe(l));
        assert_eq!(p.parse(l, Want::ALL).level, Level::Error);
    }

    #[test]
    fn newline_escapes() {
        assert_eq!(strip_newline(br"a\n"), b"a");
        assert_eq!(strip_newline(br"a\r\n"), b"a");
        assert_eq!(strip_newline(br"a\\n"), br"a\\n");
        assert_eq!(strip_newline(br"a\\\n"), br"a\\");
        assert_eq!(strip_newline(br"\n"), b"");
        assert_eq!(strip_newline(b""), b"");
    }

    fn check_no_panic(p: &DockerParser, b: &[u8]) {
        probe(b);
        crate::parse::exercise(
            p,
            b,
            &["level", "service", "stream", "a.b", "status", "log", ""],
        );
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let p = parser();
            check_no_panic(&p, &b);
            let mut wrapped = br#"{"log":""#.to_vec();
            wrapped.extend_from_slice(&b);
            wrapped.extend_from_slice(br#"","stream":"stdout","time":"2026-11-28T10:00:00Z"}"#);
            check_no_panic(&p, &wrapped);
        }

        #[test]
        fn escaped_json_ish_never_panics(s in r#"[ {}\[\]":,\\a-z0-9.u\-=]{0,120}"#) {
            let p = parser();
            let line = format!(r#"{{"log":"{s}","stream":"stdout","time":"2026-11-28T10:00:00Z"}}"#);
            check_no_panic(&p, line.as_bytes());
            let line = format!(r#"{{"log":"{{\"level\":{s}","stream":"stdout","time":"t"}}"#);
            check_no_panic(&p, line.as_bytes());
            let sample: Vec<&[u8]> = vec![line.as_bytes(), s.as_bytes()];
            let learned = DockerParser::learn(&sample, ctx());
            check_no_panic(&learned, line.as_bytes());
        }
    }
}
