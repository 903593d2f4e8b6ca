//! `--format regex --regex '<pattern>'`: a user's pattern with named groups.
//!
//! Three group names are special: `ts` (read by `time.rs`, or as an epoch number),
//! `level` (normalised like every other level; brackets around it are stripped) and
//! `msg`. Every other named group is a field, named as the group is; `field("service")`
//! and `field("host")` also resolve through the usual spellings (`svc`, `app`,
//! `hostname`, …) when no group has that name. Without a `msg` group the message is
//! what follows the match on the line (leading spaces dropped), if anything does.
//!
//! The pattern runs on a record's first line (continuation lines, a stack trace, are
//! not matched), unanchored unless the user anchors it; a line it does not match is
//! `ok == false`.
//!
//! Zero allocation per record: the capture slots live in a per-thread cache keyed by
//! the parser, because `Parser::parse` takes `&self` and `regex`'s `captures` would
//! allocate a fresh set of slots on every call.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::bytes::{CaptureLocations, Regex};

use super::json::{HOST_KEYS, SERVICE_KEYS, first_line, level_of, time_of};
use super::time::{TimeCtx, TimeResolver};
use super::{Level, Parsed, Parser, Value, Want};

/// A parser for lines a user's regex describes.
#[derive(Clone, Debug)]
pub struct RegexParser {
    re: Regex,
    time: TimeResolver,
    /// Tells this parser's slots apart in the per-thread cache.
    id: usize,
    ts: Option<usize>,
    level: Option<usize>,
    msg: Option<usize>,
    /// The other named groups: (name, group index), in pattern order.
    fields: Vec<(Box<str>, usize)>,
    /// The groups `field("service")` / `field("host")` try, in alias order.
    service: Vec<usize>,
    host: Vec<usize>,
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// How many parsers' slots one thread keeps (there is normally one).
const CACHE: usize = 8;

thread_local! {
    static SLOTS: RefCell<Vec<(usize, CaptureLocations)>> = const { RefCell::new(Vec::new()) };
}

impl RegexParser {
    pub fn new(pattern: &str, ctx: TimeCtx) -> Result<RegexParser, regex::Error> {
        let re = Regex::new(pattern)?;
        let mut p = RegexParser {
            time: TimeResolver::new(&ctx),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            ts: None,
            level: None,
            msg: None,
            fields: Vec::new(),
            service: Vec::new(),
            host: Vec::new(),
            re: re.clone(),
        };
        for (i, name) in re.capture_names().enumerate() {
            match name {
                Some("ts") => p.ts = Some(i),
                Some("level") => p.level = Some(i),
                Some("msg") => p.msg = Some(i),
                Some(name) => p.fields.push((name.into(), i)),
                None => {}
            }
        }
        let groups = |keys: &[&str]| -> Vec<usize> {
            keys.iter()
                .filter_map(|k| p.fields.iter().find(|(n, _)| &**n == *k).map(|f| f.1))
                .collect()
        };
        (p.service, p.host) = (groups(SERVICE_KEYS), groups(HOST_KEYS));
        Ok(p)
    }

    /// Runs the pattern on the record's first line and hands `f` the line and the
    /// capture slots; `None` when the pattern does not match.
    fn with_match<'a, R>(
        &self,
        rec: &'a [u8],
        f: impl FnOnce(&'a [u8], &CaptureLocations) -> R,
    ) -> Option<R> {
        let line = first_line(rec);
        SLOTS.with(|cell| {
            let Ok(mut slots) = cell.try_borrow_mut() else {
                // Re-entered (never, today): use fresh slots rather than panic.
                let mut locs = self.re.capture_locations();
                self.re.captures_read(&mut locs, line)?;
                return Some(f(line, &locs));
            };
            let at = match slots.iter().position(|(id, _)| *id == self.id) {
                Some(at) => at,
                None => {
                    if slots.len() >= CACHE {
                        slots.remove(0);
                    }
                    slots.push((self.id, self.re.capture_locations()));
                    slots.len() - 1
                }
            };
            let locs = &mut slots[at].1;
            self.re.captures_read(locs, line)?;
            Some(f(line, locs))
        })
    }
}

fn group<'a>(line: &'a [u8], locs: &CaptureLocations, i: Option<usize>) -> Option<&'a [u8]> {
    let (s, e) = locs.get(i?)?;
    Some(&line[s..e])
}

/// A level group's text, brackets and a trailing `:` stripped (`[WARN]`, `<E>`, `INFO:`).
fn level_text(b: &[u8]) -> &[u8] {
    let b = b.trim_ascii();
    let b = b.strip_suffix(b":").unwrap_or(b);
    match (b.first(), b.last()) {
        (Some(b'[' | b'<' | b'('), Some(b']' | b'>' | b')')) if b.len() >= 2 => &b[1..b.len() - 1],
        _ => b,
    }
}

impl Parser for RegexParser {
    fn name(&self) -> &'static str {
        "regex"
    }

    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        self.with_match(rec, |line, locs| {
            let mut p = Parsed {
                ok: true,
                ..Parsed::default()
            };
            if want.ts {
                if let Some(t) = group(line, locs, self.ts) {
                    p.ts = time_of(Value::Text(t), &self.time);
                    p.ts_text = p.ts.and(Some(t));
                }
            }
            if want.level {
                p.level = group(line, locs, self.level)
                    .and_then(|l| level_of(Value::Text(level_text(l))))
                    .unwrap_or(Level::Unknown);
            }
            if want.msg {
                p.msg = match self.msg {
                    Some(_) => group(line, locs, self.msg),
                    None => {
                        let end = locs.get(0).map_or(line.len(), |(_, e)| e);
                        Some(line[end..].trim_ascii_start()).filter(|m| !m.is_empty())
                    }
                }
                .map(Value::Text);
            }
            p
        })
        .unwrap_or_default()
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        let candidates: &[usize] = match self.fields.iter().find(|(n, _)| &**n == name) {
            Some((_, i)) => std::slice::from_ref(i),
            None if name == "service" => &self.service,
            None if name == "host" => &self.host,
            None => return None,
        };
        if candidates.is_empty() {
            return None;
        }
        self.with_match(rec, |line, locs| {
            candidates
                .iter()
                .find_map(|&i| group(line, locs, Some(i)).map(Value::Text))
        })?
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        self.with_match(rec, |line, locs| {
            for (name, i) in &self.fields {
                if let Some(v) = group(line, locs, Some(*i)) {
                    f(name, Value::Text(v));
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::time::format_rfc3339;
    use proptest::prelude::*;

    const HDFS: &str = r"^(?P<date>\d{6}) (?P<time>\d{6}) (?P<pid>\d+) (?P<level>\w+) (?P<component>[^:]+): (?P<msg>.*)$";

    fn new(pattern: &str) -> RegexParser {
        RegexParser::new(pattern, TimeCtx::default()).unwrap()
    }

    #[test]
    fn named_groups() {
        let p = new(HDFS);
        let l = b"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating";
        let r = p.parse(l, Want::ALL);
        assert!(r.ok);
        assert_eq!(r.level, Level::Info);
        assert_eq!(
            r.msg,
            Some(Value::Text(
                b"PacketResponder 1 for block blk_38865049064139660 terminating"
            ))
        );
        assert_eq!(r.ts, None);
        assert_eq!(
            p.field(l, "component"),
            Some(Value::Text(b"dfs.DataNode$PacketResponder"))
        );
        assert_eq!(p.field(l, "pid").unwrap().number(), Some(148.0));
        assert_eq!(p.field(l, "level"), None);
        let mut names = vec![];
        p.fields(l, &mut |k, _| names.push(k.to_string()));
        assert_eq!(names, ["date", "time", "pid", "component"]);
        assert!(!p.parse(b"not hdfs", Want::ALL).ok);
        assert_eq!(p.field(b"not hdfs", "pid"), None);
    }

    #[test]
    fn ts_level_service_and_no_msg_group() {
        let p = new(r"^(?P<ts>\S+) \[(?P<level>[^\]]+)\] (?P<app>\w+)");
        let l = b"2026-11-28T13:04:05.123Z [WARN ] api  disk almost full\n  at continuation";
        let r = p.parse(l, Want::ALL);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2026-11-28T13:04:05.123Z");
        assert_eq!(r.level, Level::Warn);
        assert_eq!(r.msg, Some(Value::Text(b"disk almost full")));
        assert_eq!(p.field(l, "service"), Some(Value::Text(b"api")));
        assert_eq!(p.field(l, "host"), None);
        let epoch = new(r"^(?P<ts>\d+) (?P<level><\w>)");
        let r = epoch.parse(b"1764335045123 <E>", Want::ALL);
        assert_eq!(format_rfc3339(r.ts.unwrap()), "2025-11-28T13:04:05.123Z");
        assert_eq!((r.level, r.msg), (Level::Error, None));
    }

    #[test]
    fn parsers_do_not_share_slots() {
        let a = new(r"(?P<x>a+)");
        let b = new(r"(?P<y>b+)(?P<z>c+)");
        for _ in 0..3 {
            assert_eq!(a.field(b"xaay", "x"), Some(Value::Text(b"aa")));
            assert_eq!(b.field(b"xbbcc", "z"), Some(Value::Text(b"cc")));
        }
        let t = std::thread::spawn(move || b.field(b"bc", "y").map(|v| v.text().into_owned()));
        assert_eq!(t.join().unwrap().as_deref(), Some("b"));
        assert!(RegexParser::new("(?P<x>", TimeCtx::default()).is_err());
    }

    static PARSERS: std::sync::LazyLock<[RegexParser; 2]> = std::sync::LazyLock::new(|| {
        [
            new(HDFS),
            new(r"(?P<ts>\S*) ?(?P<level>\S*) ?(?P<service>.*)"),
        ]
    });

    proptest! {
        #[test]
        fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let [hdfs, any] = &*PARSERS;
            let _ = hdfs.parse(&b, Want::ALL);
            let _ = any.parse(&b, Want::ALL);
            let _ = any.field(&b, "service");
            any.fields(&b, &mut |k, v| { let _ = (k.len(), v.text()); });
        }
    }
}
