//! Plain text logs: a header (timestamp, level, `[thread]`, logger, `host`,
//! `proc[pid]:`, in whatever order an application writes them), then the message.
//!
//! No format is named anywhere. The header's shape is *learned* per input from its
//! first records ([`PlainParser::learn`]): each line's start is split into fields
//! (`fields.rs`), each field classed (timestamp-like, integer, level, bracket group,
//! `word:`, punctuation, other), and the longest class sequence that most lines share
//! becomes the schema (`schema.rs`). Which fields form the timestamp, which one is the
//! level and what the others are called (`names.rs`) is decided at the same time, so
//! parsing a record is one pass over its first few fields: tokenise, compare classes,
//! slice. Nothing is allocated per record.
//!
//! Most lines fit the schema exactly, and [`Parser::parse`] reads those on a quick
//! path: field by field against the schema, stopping at the first class that differs
//! (the general path then reads the line), keeping only what a record reports. The
//! sample also shows most header fields' words: a fixed-width timestamp, a handful of
//! level words, the loggers and threads of a service. Such a field is compared with
//! what the sample showed, eight bytes at a time (`shortcut.rs`), instead of being
//! tokenised and classed; that is exact, because a word's class is a function of its
//! bytes.
//!
//! A record is its first line plus continuation lines (a stack trace); only the first
//! line carries a header, and the message is the rest of that line (continuation
//! lines are not part of it). A line that fits the schema neither exactly nor loosely
//! falls back to what every plain log has: an optional leading timestamp of any common
//! shape, then an optional level word. With neither, the record is not parsed
//! (`ok == false`, level unknown) and its message is the whole first line. An input
//! where no schema has the support to be learned uses that fallback for every line.
//!
//! Fields are named by their class and position (the full rule is in `names.rs`):
//! `level` and the timestamp are not fields; `proc[pid]:` gives `proc` and `pid`, and
//! the word before it `host`; another trailing `word:`, or the last free word of the
//! header, is `logger`; a free word right after a timestamp is `host`; integers after
//! the timestamp are `pid`, `tid`; the first bracket group is `thread`; anything else is
//! `f<N>` (its 1-based position). `service` is an alias: `proc` when the header has
//! one, else `logger`, so `--by service` works on plain logs without configuration.
//!
//! Messages often carry their variables as `key=value` (`GET /x status=503
//! duration_ms=38`). A name the header does not have is looked up there (`kv.rs` has
//! the rule), and [`Parser::fields`] lists those pairs after the header's fields; a
//! header name shadows a pair of the same name. This costs nothing until such a field
//! is asked for: [`Parser::parse`] never scans the message.
//!
//! Measured on the 16 LogHub samples (`tests/loghub.rs`, schema learned from 200
//! lines): the message is right on 99.99% of lines, the level on 100%.

mod fields;
mod names;
mod schema;
mod shortcut;

use memchr::memchr;

use self::fields::{Class, Fields, field_at, field_start, is_space, next_field, split_group};
use self::names::{Named, Slot, extract, name_fields};
use self::schema::{Fit, LEVEL, Schema, TS_END, TS_GROUP, TS_START};
use super::kv::{self, Escapes};
use super::time::{TimeCtx, TimeResolver, scan};
use super::{Level, Parsed, Parser, Value, Want, json};

/// How many sample records [`PlainParser::learn`] looks at, at most.
pub const SAMPLE_LINES: usize = 1000;
/// How many leading fields the schema-less fallback tries as a timestamp.
const FALLBACK_TS_FIELDS: usize = 4;

/// The plain-text parser for one input.
#[derive(Clone, Debug)]
pub struct PlainParser {
    schema: Option<Schema>,
    names: Vec<Named>,
    /// The entry of `names` that `service` resolves to.
    service: Option<usize>,
    time: TimeResolver,
    /// How the records' text is written (JSON-escaped inside Docker's `log`).
    escapes: Escapes,
}

/// Where a line's header parts are (line field indices) and where its message starts.
struct Header {
    fit: Fit,
    ok: bool,
    ts: Option<(usize, usize)>,
    level: Option<usize>,
    component: Option<usize>,
    /// Byte offset of the message.
    body: usize,
}

impl PlainParser {
    /// Learns the header of an input from its first records (about 200 are plenty;
    /// at most [`SAMPLE_LINES`] are looked at). Records may hold continuation lines;
    /// only first lines are read.
    pub fn learn(sample: &[&[u8]], ctx: TimeCtx) -> PlainParser {
        let lines: Vec<&[u8]> = sample
            .iter()
            .take(SAMPLE_LINES)
            .map(|r| first_line(r, false))
            .filter(|l| !l.trim_ascii().is_empty())
            .collect();
        let schema = schema::learn(&lines);
        let names = schema
            .as_ref()
            .map(|s| name_fields(s, &lines))
            .unwrap_or_default();
        let service = ["proc", "logger"]
            .iter()
            .find_map(|want| names.iter().position(|n| n.name == *want));
        PlainParser {
            schema,
            names,
            service,
            time: TimeResolver::new(&ctx),
            escapes: Escapes::None,
        }
    }

    /// Reads records that are the bodies of JSON strings (Docker's json-file `log`):
    /// the `key="value"` pairs of a message are read through JSON's escapes. The header
    /// is read as it is: its words rarely hold anything JSON escapes.
    pub fn json_escaped(mut self) -> PlainParser {
        self.escapes = Escapes::Json;
        self
    }

    /// The learned header as class letters (`T L B X S`), for `logsift formats`;
    /// `None` when the input had no learnable header and the fallback reads it.
    pub fn schema_shape(&self) -> Option<String> {
        let s = self.schema.as_ref()?;
        let mut out: Vec<String> = s.cls.iter().map(|c| format!("{c:?}")).collect();
        if s.component {
            out.push("X".into());
        }
        Some(out.join(" "))
    }

    /// The names [`Parser::fields`] reports, in header order (`service` is an alias
    /// of one of them and is not listed).
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| n.name.as_str())
    }

    /// The header field a name stands for (`service` is an alias), if the header has it.
    fn header_name(&self, name: &str) -> Option<&Named> {
        if name == "service" {
            return self.service.map(|i| &self.names[i]);
        }
        self.names.iter().find(|n| n.name == name)
    }

    /// Finds the header parts of a record.
    #[inline]
    fn locate(&self, fl: &mut Fields) -> Header {
        if let Some(s) = &self.schema {
            let fit = s.fit(fl);
            if let Some(last) = s.last(fit) {
                let ts = s.ts.and_then(|(a, b)| {
                    let (la, lb) = (s.map(fl, fit, a)?, s.map(fl, fit, b)?);
                    (lb - la == b - a).then_some((la, lb))
                });
                let level = s.level.and_then(|i| s.map(fl, fit, i));
                let mut end = last;
                let mut component = None;
                if s.component
                    && fl.class(last + 1) == Some(Class::X)
                    && fl.wide_gap_after(last + 1)
                {
                    end = last + 1;
                    component = Some(end);
                }
                return Header {
                    fit,
                    ok: true,
                    ts,
                    level,
                    component,
                    body: body_after(fl, end),
                };
            }
        }
        fallback(fl)
    }

    /// [`Parser::parse`] for a line the quick reading ([`exact`]) does not cover: it
    /// fits the schema loosely or not at all, or there is no schema.
    #[inline(never)]
    fn parse_located<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let mut fl = Fields::new(rec);
        let h = self.locate(&mut fl);
        let mut p = Parsed {
            ok: h.ok,
            ..Parsed::default()
        };
        if let Some((a, b)) = h.ts {
            let fa = fl.field(a);
            let text = if a == b && fa.group {
                split_group(fa.text(rec)).0
            } else {
                let t = span(rec, &fl, a, b);
                t.strip_suffix(b",").unwrap_or(t)
            };
            p.ts_text = Some(text);
            if want.ts {
                p.ts = self.time.parse(text);
            }
        }
        if want.level && h.ok {
            if let Some(i) = h.level {
                p.level = fl.level(i);
            }
        }
        if want.msg {
            let body = &rec[h.body.min(rec.len())..];
            p.msg = Some(Value::Text(first_line(body, want.one_line)));
        }
        p
    }

    /// The value of a named field in a located record.
    fn value<'a>(&self, fl: &mut Fields<'a>, h: &Header, n: &Named) -> Option<Value<'a>> {
        let i = match n.slot {
            Slot::Schema(i) => self.schema.as_ref()?.map(fl, h.fit, i)?,
            Slot::Component => h.component?,
        };
        let f = fl.field(i);
        extract(f.text(fl.rec()), n.part, f.group).map(Value::Text)
    }
}

/// The header parts of a line that fits the schema exactly, as [`PlainParser::locate`]
/// would find them (`Fit::Exact`).
struct Quick {
    /// Byte range of the timestamp's fields, and whether it is one bracket group.
    ts: Option<(usize, usize, bool)>,
    level: Level,
    /// Byte offset of the message.
    body: usize,
}

impl Quick {
    /// The timestamp's text, as [`Parser::parse`] reports it.
    #[inline]
    fn ts_text<'a>(&self, rec: &'a [u8]) -> Option<&'a [u8]> {
        let (a, b, group) = self.ts?;
        let t = &rec[a..b];
        Some(if group {
            split_group(t).0
        } else {
            t.strip_suffix(b",").unwrap_or(t)
        })
    }
}

/// The hot path of [`Parser::parse`]: reads a line that fits the schema exactly in one
/// pass over its header fields, keeping only what a record reports (no [`Fields`]);
/// `None` at the first field whose class differs, and the general path decides.
#[inline]
fn exact(s: &Schema, rec: &[u8]) -> Option<Quick> {
    let (mut ts_start, mut ts_end, mut ts_group) = (0, 0, false);
    let mut level = Level::Unknown;
    let mut pos = 0;
    for step in &s.steps {
        let (start, first) = field_start(rec, pos)?;
        let (end, lvl, group) = match step.shortcut.read(rec, start) {
            Some((end, lvl)) => (end, lvl, false),
            None => {
                let (f, c, l) = field_at(rec, start, first);
                if c != step.class {
                    return None;
                }
                (f.end as usize, l, f.group)
            }
        };
        if step.role != 0 {
            if step.role & TS_START != 0 {
                ts_start = start;
                ts_group = group && step.role & TS_GROUP != 0;
            }
            if step.role & TS_END != 0 {
                ts_end = end;
            }
            if step.role & LEVEL != 0 {
                level = lvl;
            }
        }
        pos = end;
    }
    let ts = s.ts.map(|_| (ts_start, ts_end, ts_group));
    if s.component {
        if let Some((f, Class::X, _)) = next_field(rec, pos) {
            let e = f.end as usize;
            if matches!(rec.get(e..e + 2), Some([a, b]) if is_space(*a) && is_space(*b)) {
                pos = e;
            }
        }
    }
    while pos < rec.len() && matches!(rec[pos], b' ' | b'\t') {
        pos += 1;
    }
    Some(Quick {
        ts,
        level,
        body: pos,
    })
}

/// The schema-less reading: a leading timestamp (up to four fields, or one bracket
/// group, the longest that parses), then an optional level word.
#[cold]
fn fallback(fl: &mut Fields) -> Header {
    let rec = fl.rec();
    let mut ts = None;
    match fl.class(0) {
        Some(Class::B) if scan(fl.text(0)).is_some() => ts = Some((0, 0)),
        Some(Class::T | Class::N) => {
            let mut b = 0;
            while b + 1 < FALLBACK_TS_FIELDS && matches!(fl.class(b + 1), Some(Class::T | Class::N))
            {
                b += 1;
            }
            ts = (0..=b)
                .rev()
                .find(|&e| scan(span(rec, fl, 0, e)).is_some())
                .map(|e| (0, e));
        }
        _ => {}
    }
    let mut next = ts.map_or(0, |(_, e)| e + 1);
    let level = (fl.class(next) == Some(Class::L)).then_some(next);
    if level.is_some() {
        next += 1;
    }
    let ok = ts.is_some() || level.is_some();
    Header {
        fit: Fit::None,
        ok,
        ts,
        level,
        component: None,
        body: if ok { body_after(fl, next - 1) } else { 0 },
    }
}

/// The bytes of fields `a..=b` (tokenised already).
fn span<'a>(rec: &'a [u8], fl: &Fields, a: usize, b: usize) -> &'a [u8] {
    &rec[fl.field(a).start as usize..fl.field(b).end as usize]
}

/// The offset of the first non-blank byte after field `i`.
fn body_after(fl: &Fields, i: usize) -> usize {
    let rec = fl.rec();
    let mut p = fl.field(i).end as usize;
    while p < rec.len() && matches!(rec[p], b' ' | b'\t') {
        p += 1;
    }
    p
}

/// A record's first line, without `\r`; `one_line` when the caller knows there is
/// no `\n` in it (looking for one was ~4% of `report`'s instructions).
fn first_line(rec: &[u8], one_line: bool) -> &[u8] {
    debug_assert!(!one_line || memchr(b'\n', rec).is_none());
    let l = if one_line {
        rec
    } else {
        memchr(b'\n', rec).map_or(rec, |i| &rec[..i])
    };
    l.strip_suffix(b"\r").unwrap_or(l)
}

impl Parser for PlainParser {
    fn name(&self) -> &'static str {
        "plain"
    }

    #[inline]
    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        if let Some(q) = self.schema.as_ref().and_then(|s| exact(s, rec)) {
            let mut p = Parsed {
                ok: true,
                level: q.level,
                ..Parsed::default()
            };
            if let Some(text) = q.ts_text(rec) {
                p.ts_text = Some(text);
                if want.ts {
                    p.ts = self.time.parse(text);
                }
            }
            if !want.level {
                p.level = Level::Unknown;
            }
            if want.msg {
                p.msg = Some(Value::Text(first_line(&rec[q.body..], want.one_line)));
            }
            return p;
        }
        self.parse_located(rec, want)
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        if let Some(n) = self.header_name(name) {
            let mut fl = Fields::new(rec);
            let h = self.locate(&mut fl);
            return self.value(&mut fl, &h, n);
        }
        let one = [name];
        let keys = json::aliases(name).unwrap_or(&one);
        // Most records of a large log lack the key: they cost one `memchr` pass.
        if !kv::mentions(rec, keys) {
            return None;
        }
        let msg = self.parse(
            rec,
            Want {
                msg: true,
                ..Want::default()
            },
        );
        kv::find(msg.msg.map_or(&b""[..], |m| m.bytes()), self.escapes, keys)
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        let mut fl = Fields::new(rec);
        let h = self.locate(&mut fl);
        for n in &self.names {
            if let Some(v) = self.value(&mut fl, &h, n) {
                f(&n.name, v);
            }
        }
        let msg = first_line(&rec[h.body.min(rec.len())..], false);
        kv::each(msg, self.escapes, &|k| self.header_name(k).is_some(), f);
    }
}

#[cfg(test)]
mod tests;
