//! Apache/nginx access logs: Common Log Format and Combined.
//!
//! `[VHOST[:PORT]] CLIENT IDENT USER [10/Oct/2000:13:55:36 -0700] "REQUEST" STATUS BYTES
//! ["REFERER" "USER-AGENT"]`, with anything after the user agent (nginx's extra
//! variables) ignored.
//!
//! Fields: `client` (the remote address, `%h`), `ident`, `user`, `method`, `path`,
//! `protocol` (from the request line, when it has that shape), `status`, `bytes`,
//! `referer`, `user_agent`; `host` only from a vhost prefix (`vhost_combined`). A `-`
//! in ident, user, bytes, referer or user agent means absent: the field is not set.
//! `status` and `bytes` are `Value::Num`; quoted parts without escapes are
//! `Value::Text`, with only `\"`/`\\` escapes `Value::JsonStr`, with others (Apache's
//! `\xhh`) `Value::Text` as written. The message is the request line; the level comes
//! from the status: ≥ 500 error, ≥ 400 warn, else info.
//!
//! What follows those parts is often nginx's `key=value` variables (`rt=0.005
//! uct="0.000" upstream=10.0.0.7:8080`): any other name is looked up as a pair there
//! (`kv.rs`), and [`Parser::fields`] lists those pairs last. The request line is not
//! searched: its query string is the URL's, not the log's.

use jiff::tz::Offset;

use super::json::first_line;
use super::kv::{self, Escapes};
use super::syslog::{civil, month};
use jiff::tz::TimeZone;

use super::time::TimeCtx;
use super::{Level, Parsed, Parser, Value, Want};

/// The access-log parser.
#[derive(Clone, Debug, Default)]
pub struct ClfParser {
    /// Read only for a timestamp without an offset (nginx always writes one).
    ctx: TimeCtx,
}

impl ClfParser {
    pub fn new(ctx: TimeCtx) -> ClfParser {
        ClfParser { ctx }
    }
}

/// `10/Oct/2000:13:55:36 -0700`; without the offset, read in `tz`.
fn clf_time(t: &[u8], tz: &TimeZone) -> Option<i64> {
    if t.len() < 20 || t[2] != b'/' || t[6] != b'/' || t[11] != b':' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<i32> {
        let d = t.get(r)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0, |n, &c| n * 10 + i32::from(c - b'0')))
    };
    if t[14] != b':' || t[17] != b':' {
        return None;
    }
    let dt = civil(
        n(7..11)? as i16,
        month(&t[3..6])?,
        n(0..2)? as i8,
        n(12..14)? as i8,
        n(15..17)? as i8,
        n(18..20)? as i8,
        0,
    )?;
    let ts = match &t[20..] {
        [] => tz.to_timestamp(dt).ok()?,
        [b' ', sign @ (b'+' | b'-'), ..] if t.len() == 26 => {
            let secs = n(22..24)? * 3600 + n(24..26)? * 60;
            let off = Offset::from_seconds(if *sign == b'-' { -secs } else { secs }).ok()?;
            off.to_timestamp(dt).ok()?
        }
        _ => return None,
    };
    i64::try_from(ts.as_nanosecond()).ok()
}

/// One access-log line, split.
#[derive(Clone, Copy, Debug)]
struct Clf<'a> {
    vhost: Option<&'a [u8]>,
    client: &'a [u8],
    ident: Option<&'a [u8]>,
    user: Option<&'a [u8]>,
    time: &'a [u8],
    request: Value<'a>,
    status: &'a [u8],
    bytes: Option<&'a [u8]>,
    referer: Option<Value<'a>>,
    user_agent: Option<Value<'a>>,
    /// What follows the last part read (nginx's extra variables).
    rest: &'a [u8],
}

impl<'a> Clf<'a> {
    /// Method, path and protocol, when the request line has that shape.
    fn request_parts(&self) -> [Option<&'a [u8]>; 3] {
        let r = self.request.bytes();
        let Some(first) = memchr::memchr(b' ', r) else {
            return [None; 3];
        };
        let last = memchr::memrchr(b' ', r).unwrap_or(first);
        let method = &r[..first];
        if method.is_empty() || !method.iter().all(u8::is_ascii_uppercase) {
            return [None; 3];
        }
        let proto = &r[last + 1..];
        if last > first && proto.starts_with(b"HTTP/") {
            [Some(method), Some(&r[first + 1..last]), Some(proto)]
        } else {
            [Some(method), Some(&r[first + 1..]), None]
        }
    }

    fn level(&self) -> Level {
        match self.status {
            [b'5'..=b'9', ..] => Level::Error,
            [b'4', ..] => Level::Warn,
            _ => Level::Info,
        }
    }

    /// Every field, in line order.
    fn each(&self, mut f: impl FnMut(&'static str, Value<'a>) -> bool) {
        let text = |b: Option<&'a [u8]>| b.map(Value::Text);
        let [method, path, protocol] = self.request_parts();
        for (name, v) in [
            ("host", text(self.vhost)),
            ("client", Some(Value::Text(self.client))),
            ("ident", text(self.ident)),
            ("user", text(self.user)),
            ("method", text(method)),
            ("path", text(path)),
            ("protocol", text(protocol)),
            ("status", Some(Value::Num(self.status))),
            ("bytes", self.bytes.map(Value::Num)),
            ("referer", self.referer),
            ("user_agent", self.user_agent),
        ] {
            if let Some(v) = v {
                if !f(name, v) {
                    return;
                }
            }
        }
    }
}

/// The names of the parts [`Clf::each`] reports.
const NAMES: [&str; 11] = [
    "host",
    "client",
    "ident",
    "user",
    "method",
    "path",
    "protocol",
    "status",
    "bytes",
    "referer",
    "user_agent",
];

/// Cheap detection probe: the line has the access-log shape and its time parses.
pub fn probe(line: &[u8]) -> bool {
    split(first_line(line)).is_some_and(|c| clf_time(c.time, &TimeZone::UTC).is_some())
}

/// `-` means absent.
fn dash(t: &[u8]) -> Option<&[u8]> {
    (t != b"-").then_some(t)
}

/// A quoted string at `i` (`b[i] == b'"'`): its value and the index past it.
fn quoted(b: &[u8], i: usize) -> Option<(Value<'_>, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (mut j, mut esc, mut json_ok) = (i + 1, false, true);
    loop {
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b[j] == b'"' {
            break;
        }
        esc = true;
        json_ok &= matches!(b.get(j + 1), Some(b'"' | b'\\'));
        j += 2;
    }
    let body = &b[i + 1..j];
    let v = match (esc, json_ok) {
        (true, true) => Value::JsonStr(body),
        _ => Value::Text(body),
    };
    Some((v, j + 1))
}

fn split(line: &[u8]) -> Option<Clf<'_>> {
    let open = memchr::memchr(b'[', line)?;
    let pre = line[..open].strip_suffix(b" ")?;
    let mut toks = [&b""[..]; 4];
    let mut n = 0;
    for t in pre.split(|&c| c == b' ') {
        *toks.get_mut(n)? = t;
        n += 1;
    }
    if toks[..n].iter().any(|t| t.is_empty()) {
        return None;
    }
    let (vhost, [client, ident, user]) = match n {
        3 => (None, [toks[0], toks[1], toks[2]]),
        4 => (Some(toks[0]), [toks[1], toks[2], toks[3]]),
        _ => return None,
    };
    let close = open + memchr::memchr(b']', &line[open..])?;
    if line.get(close + 1) != Some(&b' ') {
        return None;
    }
    let (request, mut i) = quoted(line, close + 2)?;
    let field = |i: &mut usize| -> Option<&[u8]> {
        if line.get(*i) != Some(&b' ') {
            return None;
        }
        let rest = &line[*i + 1..];
        let t = &rest[..memchr::memchr(b' ', rest).unwrap_or(rest.len())];
        *i += 1 + t.len();
        Some(t)
    };
    let status = field(&mut i)?;
    if status.len() != 3 || !status.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let bytes = field(&mut i)?;
    let digits = !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit);
    if !digits && bytes != b"-" {
        return None;
    }
    let mut c = Clf {
        vhost,
        client,
        ident: dash(ident),
        user: dash(user),
        time: &line[open + 1..close],
        request,
        status,
        bytes: dash(bytes),
        referer: None,
        user_agent: None,
        rest: &line[i..],
    };
    // Combined: the referer and user agent, when both are there.
    if line.get(i) == Some(&b' ') {
        if let Some((referer, j)) = quoted(line, i + 1) {
            if line.get(j) == Some(&b' ') {
                if let Some((ua, end)) = quoted(line, j + 1) {
                    let set = |v: &Value<'_>| v.bytes() != b"-";
                    c.referer = Some(referer).filter(set);
                    c.user_agent = Some(ua).filter(set);
                    c.rest = &line[end..];
                }
            }
        }
    }
    Some(c)
}

impl Parser for ClfParser {
    fn name(&self) -> &'static str {
        "clf"
    }

    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let Some(c) = split(first_line(rec)) else {
            return Parsed::default();
        };
        let ts = if want.ts {
            clf_time(c.time, &self.ctx.tz)
        } else {
            None
        };
        Parsed {
            ts,
            ts_text: ts.and(Some(c.time)),
            level: if want.level {
                c.level()
            } else {
                Level::Unknown
            },
            msg: want.msg.then_some(c.request),
            ok: true,
        }
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        let c = split(first_line(rec))?;
        if !NAMES.contains(&name) {
            return kv::find(c.rest, Escapes::None, &[name]);
        }
        let mut found = None;
        c.each(|k, v| {
            if k == name {
                found = Some(v);
            }
            found.is_none()
        });
        found
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        if let Some(c) = split(first_line(rec)) {
            c.each(|k, v| {
                f(k, v);
                true
            });
            kv::each(c.rest, Escapes::None, &|k| NAMES.contains(&k), f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::time::format_rfc3339;
    use proptest::prelude::*;

    fn p() -> ClfParser {
        ClfParser::new(TimeCtx::default())
    }

    fn fields(line: &[u8]) -> Vec<(String, String)> {
        crate::parse::all_fields(&p(), line)
    }

    use crate::parse::owned_pairs as pairs;

    #[test]
    fn common_and_combined() {
        let common = br#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
        let r = p().parse(common, Want::ALL);
        assert!(r.ok && probe(common));
        assert_eq!(r.level, Level::Info);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2000-10-10T20:55:36.000Z");
        assert_eq!(r.ts_text, Some(&b"10/Oct/2000:13:55:36 -0700"[..]));
        assert_eq!(r.msg, Some(Value::Text(b"GET /apache_pb.gif HTTP/1.0")));
        assert_eq!(
            fields(common),
            pairs(&[
                ("client", "127.0.0.1"),
                ("user", "frank"),
                ("method", "GET"),
                ("path", "/apache_pb.gif"),
                ("protocol", "HTTP/1.0"),
                ("status", "200"),
                ("bytes", "2326"),
            ])
        );

        let combined = br#"203.0.113.9 - - [28/Nov/2026:13:04:05 +0000] "POST /api/v1/orders?id=7 HTTP/1.1" 503 - "https://shop.example/cart" "Mozilla/5.0 (X11; Linux x86_64) \"quoted\"" 0.123 "-""#;
        let r = p().parse(combined, Want::ALL);
        assert!(r.ok && probe(combined));
        assert_eq!(r.level, Level::Error);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T13:04:05.000Z");
        let p = p();
        assert_eq!(p.field(combined, "status"), Some(Value::Num(b"503")));
        assert_eq!(p.field(combined, "status").unwrap().number(), Some(503.0));
        assert_eq!(p.field(combined, "bytes"), None);
        assert_eq!(p.field(combined, "user"), None);
        assert_eq!(p.field(combined, "host"), None);
        assert_eq!(
            p.field(combined, "path"),
            Some(Value::Text(b"/api/v1/orders?id=7"))
        );
        assert_eq!(
            p.field(combined, "user_agent").unwrap().text(),
            "Mozilla/5.0 (X11; Linux x86_64) \"quoted\""
        );
        assert_eq!(
            p.field(combined, "referer"),
            Some(Value::Text(b"https://shop.example/cart"))
        );
    }

    #[test]
    fn vhosts_odd_requests_levels() {
        let p = p();
        let v = br#"shop.example:443 10.0.0.1 - - [28/Nov/2026:13:04:05 +0100] "GET / HTTP/2.0" 404 12 "-" "curl/8""#;
        let r = p.parse(v, Want::ALL);
        assert_eq!(r.level, Level::Warn);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T12:04:05.000Z");
        assert_eq!(p.field(v, "host"), Some(Value::Text(b"shop.example:443")));
        assert_eq!(p.field(v, "client"), Some(Value::Text(b"10.0.0.1")));
        assert_eq!(p.field(v, "referer"), None);
        // Garbage requests (TLS to a plain port) still parse; no method/path.
        let g = br#"1.2.3.4 - - [28/Nov/2026:13:04:05 +0000] "\x16\x03\x01\x00" 400 157 "-" "-""#;
        let r = p.parse(g, Want::ALL);
        assert!(r.ok);
        assert_eq!(r.msg, Some(Value::Text(br"\x16\x03\x01\x00")));
        assert_eq!(p.field(g, "method"), None);
        let dash = br#"1.2.3.4 - - [28/Nov/2026:13:04:05 +0000] "-" 408 0"#;
        assert!(p.parse(dash, Want::ALL).ok);
        // No offset: read in --tz.
        let local = br#"1.2.3.4 - - [28/Nov/2026:13:04:05] "GET / HTTP/1.1" 200 1"#;
        let r = p.parse(local, Want::ALL);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T13:04:05.000Z");
    }

    #[test]
    fn nginx_variables_after_the_user_agent() {
        let p = p();
        let l = br#"10.0.0.1 - - [28/Nov/2026:13:04:05 +0000] "GET /x?status=1 HTTP/1.1" 502 157 "-" "curl/8" rt=0.125 uct="0.000" upstream=10.0.0.7:8080 status=9"#;
        assert_eq!(p.field(l, "rt").and_then(|v| v.number()), Some(0.125));
        assert_eq!(p.field(l, "uct"), Some(Value::Text(b"0.000")));
        // The log's own parts win; the request's query string is not searched.
        assert_eq!(p.field(l, "status"), Some(Value::Num(b"502")));
        assert_eq!(
            fields(l)[4..],
            pairs(&[
                ("status", "502"),
                ("bytes", "157"),
                ("user_agent", "curl/8"),
                ("rt", "0.125"),
                ("uct", "0.000"),
                ("upstream", "10.0.0.7:8080"),
            ])
        );
        // Common format: what follows the byte count.
        let c = br#"1.2.3.4 - - [28/Nov/2026:13:04:05 +0000] "GET /" 200 1 rt=2"#;
        assert_eq!(p.field(c, "rt"), Some(Value::Text(b"2")));
    }

    #[test]
    fn names_are_the_parts() {
        let l =
            br#"h:1 10.0.0.1 a b [28/Nov/2026:13:04:05 +0000] "GET /x HTTP/1.1" 502 157 "r" "u""#;
        let c = split(l).unwrap();
        let mut got = Vec::new();
        c.each(|k, _| {
            got.push(k);
            true
        });
        assert_eq!(got, NAMES);
    }

    #[test]
    fn not_clf() {
        for no in [
            &b"<34>Oct 11 22:14:15 mymachine su[123]: x"[..],
            b"level=info msg=x",
            br#"{"a":"[x] \"y\" 200 1"}"#,
            b"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok",
            br#"1.2.3.4 - - [28/Nov/2026:13:04:05 +0000] "GET /" 2000 1"#,
            br#"1.2.3.4 - - [28/Nov/2026:13:04:05 +0000] "GET /" 200"#,
            br#"1.2.3.4 - - [28/Nov/2026:13:04:05 +0000] "GET / 200 1"#,
            br#"1.2.3.4 - - [28/Nov/2026:13:04 +0000] "GET /" 200 1"#,
            br#"1.2.3.4 - - [31/Feb/2026:13:04:05 +0000] "GET /" 200 1"#,
            br#"a b c d e [28/Nov/2026:13:04:05 +0000] "GET /" 200 1"#,
        ] {
            assert!(!probe(no), "{}", String::from_utf8_lossy(no));
        }
    }

    fn check_no_panic(b: &[u8]) {
        probe(b);
        crate::parse::exercise(&p(), b, &["status", "path", "host", "rt", ""]);
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            check_no_panic(&b);
        }

        #[test]
        fn clf_ish_never_panics(
            s in r#"[a-z0-9.\- ]{0,20}\[[0-9]{2}/(Oct|Feb)/[0-9]{4}:[0-9:]{0,9}( [+-][0-9]{0,4})?\] ?"[A-Z /\\"]{0,20}"? ?[0-9\- "a\\]{0,20}"#,
        ) {
            check_no_panic(s.as_bytes());
        }
    }
}
