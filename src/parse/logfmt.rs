//! logfmt: `ts=… level=info msg="quoted \" value" flag`.
//!
//! A record's first line is split into tokens on spaces: `key=value`, `key="quoted"`,
//! `key=` (an empty value) or a bare `key` (a flag, whose value is `Value::Bool(true)`).
//! Values are untyped text: `status=503` is `Value::Text`, which `Value::number` reads.
//!
//! A quoted value without escapes is `Value::Text` of its body. One with a backslash is
//! `Value::JsonStr` of its body: logfmt's escapes (`\"`, `\\`, `\n`, `\t`, `\uXXXX`) are
//! JSON's, so `Value::text` resolves them; an escape JSON lacks makes `text` fall back
//! to the body as written.
//!
//! Time, level, message, `service` and `host` use the JSON parser's key spellings
//! (`json::TIME_KEYS` …), matched literally (`service.name` is one key here); the first
//! usable one in the line wins, and for duplicate keys the first wins.

use super::json::{self, LEVEL, MSG, TIME, classify, first_line, level_of, time_of};
use super::time::{TimeCtx, TimeResolver};
use super::{Parsed, Parser, Value, Want};

/// The logfmt parser.
#[derive(Clone, Debug)]
pub struct LogfmtParser {
    time: TimeResolver,
}

impl Default for LogfmtParser {
    fn default() -> Self {
        LogfmtParser::new(TimeCtx::default())
    }
}

impl LogfmtParser {
    pub fn new(ctx: TimeCtx) -> LogfmtParser {
        LogfmtParser {
            time: TimeResolver::new(&ctx),
        }
    }
}

/// One token of a logfmt line.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok<'a> {
    Pair(&'a [u8], Value<'a>),
    Flag(&'a [u8]),
}

/// The tokens of one line. `unterminated` is set when a quoted value runs to the end
/// of the line without its closing quote.
struct Toks<'a> {
    b: &'a [u8],
    i: usize,
    unterminated: bool,
}

fn toks(line: &[u8]) -> Toks<'_> {
    Toks {
        b: line,
        i: 0,
        unterminated: false,
    }
}

impl<'a> Iterator for Toks<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        let b = self.b;
        while b.get(self.i).is_some_and(|&c| c == b' ' || c == b'\t') {
            self.i += 1;
        }
        if self.i >= b.len() {
            return None;
        }
        let ks = self.i;
        while b
            .get(self.i)
            .is_some_and(|&c| !matches!(c, b' ' | b'\t' | b'='))
        {
            self.i += 1;
        }
        let key = &b[ks..self.i];
        if b.get(self.i) != Some(&b'=') {
            return Some(Tok::Flag(key));
        }
        self.i += 1;
        if b.get(self.i) != Some(&b'"') {
            let vs = self.i;
            while b.get(self.i).is_some_and(|&c| c != b' ' && c != b'\t') {
                self.i += 1;
            }
            return Some(Tok::Pair(key, Value::Text(&b[vs..self.i])));
        }
        let vs = self.i + 1;
        let mut j = vs;
        let mut esc = false;
        loop {
            let Some(k) = b.get(j..).and_then(|r| memchr::memchr2(b'"', b'\\', r)) else {
                self.unterminated = true;
                self.i = b.len();
                return Some(Tok::Pair(key, Value::Text(&b[vs.min(b.len())..])));
            };
            let k = j + k;
            if b[k] == b'"' {
                self.i = k + 1;
                let body = &b[vs..k];
                let v = if esc {
                    Value::JsonStr(body)
                } else {
                    Value::Text(body)
                };
                return Some(Tok::Pair(key, v));
            }
            esc = true;
            j = k + 2;
        }
    }
}

/// Is this a plausible logfmt key (not a timestamp, a bracketed thread, a URL…)?
fn keyish(k: &[u8]) -> bool {
    k.first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b'@')
        && k.len() <= 64
        && k.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'@' | b'/'))
}

/// Cheap detection probe: the line's first token is `key=value`, it has at least two
/// pairs, at least two thirds of its tokens are pairs, every key looks like a key, and
/// no quote is left open. So `2026-11-28T13:04:05Z INFO [api] took 5 ms user=bob` is
/// not logfmt.
pub fn probe(line: &[u8]) -> bool {
    let mut t = toks(first_line(line));
    let (mut pairs, mut total) = (0usize, 0usize);
    for tok in t.by_ref() {
        total += 1;
        match tok {
            Tok::Pair(k, _) if keyish(k) => pairs += 1,
            Tok::Pair(..) => return false,
            Tok::Flag(_) if total == 1 => return false,
            Tok::Flag(_) => {}
        }
    }
    !t.unterminated && pairs >= 2 && pairs * 3 >= total * 2
}

impl Parser for LogfmtParser {
    fn name(&self) -> &'static str {
        "logfmt"
    }

    /// `ok` when the line has at least one `key=value` with a non-empty key and no
    /// quote left open.
    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let mut p = Parsed::default();
        let mut have_level = false;
        let mut pairs = 0;
        let mut t = toks(first_line(rec));
        for tok in t.by_ref() {
            let Tok::Pair(k, v) = tok else { continue };
            if k.is_empty() {
                continue;
            }
            pairs += 1;
            let class = classify(k);
            if class == 0 {
                continue;
            }
            if want.ts && p.ts.is_none() && class & TIME != 0 {
                if let Some(t) = time_of(v, &self.time) {
                    p.ts = Some(t);
                    p.ts_text = Some(v.bytes());
                }
            }
            if want.level && !have_level && class & LEVEL != 0 {
                if let Some(l) = level_of(v) {
                    p.level = l;
                    have_level = true;
                }
            }
            if want.msg && p.msg.is_none() && class & MSG != 0 {
                p.msg = Some(v);
            }
        }
        if pairs == 0 || t.unterminated {
            return Parsed::default();
        }
        p.ok = true;
        p
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        let keys = json::aliases(name);
        toks(first_line(rec)).find_map(|tok| {
            let (k, v) = match tok {
                Tok::Pair(k, v) => (k, v),
                Tok::Flag(k) => (k, Value::Bool(true)),
            };
            let hit = match keys {
                Some(keys) => keys.iter().any(|a| a.as_bytes() == k),
                None => k == name.as_bytes(),
            };
            hit.then_some(v)
        })
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        for tok in toks(first_line(rec)) {
            let (k, v) = match tok {
                Tok::Pair(k, v) => (k, v),
                Tok::Flag(k) => (k, Value::Bool(true)),
            };
            if !k.is_empty() {
                f(&String::from_utf8_lossy(k), v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Level;
    use crate::parse::time::format_rfc3339;
    use proptest::prelude::*;

    fn p() -> LogfmtParser {
        LogfmtParser::new(TimeCtx::default())
    }

    #[test]
    fn go_kit_and_heroku_lines() {
        let l = br#"ts=2026-11-28T13:04:05.123Z level=warn caller=main.go:42 msg="slow request \"GET /x\"" duration=5.2s svc=api host=web-3 cached"#;
        let r = p().parse(l, Want::ALL);
        assert!(r.ok && probe(l));
        assert_eq!(r.level, Level::Warn);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T13:04:05.123Z");
        assert_eq!(r.msg, Some(Value::JsonStr(br#"slow request \"GET /x\""#)));
        assert_eq!(r.msg.unwrap().text(), r#"slow request "GET /x""#);
        let p = p();
        assert_eq!(p.field(l, "service"), Some(Value::Text(b"api")));
        assert_eq!(p.field(l, "host"), Some(Value::Text(b"web-3")));
        assert_eq!(p.field(l, "cached"), Some(Value::Bool(true)));
        assert_eq!(p.field(l, "duration"), Some(Value::Text(b"5.2s")));
        assert_eq!(p.field(l, "nope"), None);
        let mut names = vec![];
        p.fields(l, &mut |k, _| names.push(k.to_string()));
        assert_eq!(
            names,
            [
                "ts", "level", "caller", "msg", "duration", "svc", "host", "cached"
            ]
        );

        let heroku = br#"at=error code=H12 desc="Request timeout" method=GET path="/" host=myapp.herokuapp.com status=503 service=30001ms"#;
        let r = p.parse(heroku, Want::ALL);
        assert!(r.ok && probe(heroku));
        assert_eq!(r.msg, None);
        assert_eq!(p.field(heroku, "status").unwrap().number(), Some(503.0));
        assert_eq!(
            p.field(heroku, "desc"),
            Some(Value::Text(b"Request timeout"))
        );
    }

    #[test]
    fn times_levels_and_quotes() {
        let p = p();
        let r = p.parse(br#"time="2026-11-28 13:04:05" lvl=E message=hi"#, Want::ALL);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T13:04:05.000Z");
        assert_eq!((r.level, r.msg), (Level::Error, Some(Value::Text(b"hi"))));
        let r = p.parse(b"t=1764335045123 level=50 msg= x=1", Want::ALL);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-11-28T13:04:05.123Z");
        assert_eq!((r.level, r.msg), (Level::Error, Some(Value::Text(b""))));
        // Only what is wanted is read.
        let r = p.parse(b"level=info msg=x", Want::default());
        assert!(r.ok && r.msg.is_none() && r.level == Level::Unknown);
        // An open quote, a line without pairs: not logfmt.
        for bad in [
            &br#"level=info msg="no end"#[..],
            b"just words here",
            b"",
            b"=x",
        ] {
            assert!(
                !p.parse(bad, Want::ALL).ok,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        // The escaped quote before the end is not the closing one.
        let r = p.parse(br#"msg="a\\" level=info"#, Want::ALL);
        assert_eq!((r.ok, r.level), (true, Level::Info));
        assert_eq!(r.msg.unwrap().text(), "a\\");
        // Continuation lines are not tokenised.
        let r = p.parse(b"level=error msg=boom\r\n  at foo(Bar.java:1)", Want::ALL);
        assert_eq!((r.ok, r.msg), (true, Some(Value::Text(b"boom"))));
    }

    #[test]
    fn probe_is_strict() {
        for no in [
            &b"2026-11-28T13:04:05.123Z INFO [api] x.Y - took 5 ms user=bob"[..],
            b"INFO user=bob action=login",
            b"GET /x?a=1&b=2 HTTP/1.1",
            br#"{"level":"info","msg":"a=b c=d"}"#,
            br#"127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /?a=b HTTP/1.0" 200 2"#,
            b"level=info",
            br#"level=info msg="open"#,
            b"level=info msg=hello world foo bar",
        ] {
            assert!(!probe(no), "{:?}", String::from_utf8_lossy(no));
        }
        for yes in [
            &b"level=info msg=hi"[..],
            b"a=1 b=2 flag",
            br#"time="2026-11-28 13:00:00" level=debug msg="a b c" k8s.pod=api-1"#,
        ] {
            assert!(probe(yes), "{:?}", String::from_utf8_lossy(yes));
        }
    }

    fn check_no_panic(b: &[u8]) {
        probe(b);
        crate::parse::exercise(&p(), b, &["level", "service", "host", "msg", ""]);
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            check_no_panic(&b);
        }

        #[test]
        fn logfmt_ish_never_panics(s in r#"[ ="\\a-z0-9.\n\r\t]{0,120}"#) {
            check_no_panic(s.as_bytes());
        }
    }
}
