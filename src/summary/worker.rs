//! The per-chunk work of `report` and `templates`: frame every record, parse its
//! timestamp, level and message, apply the filters, mask the message into a template
//! key and count it. One [`Summary`] per chunk; with `--assign`, also the key and line
//! of every record, in order.

use crate::aggregate::templates::Masker;
use crate::filter::{Filter, Verdict, field_value};
use crate::parse::detect::RawParser;
use crate::parse::json;
use crate::parse::{Level, Parser, Value, Want};
use crate::record::Framer;
use crate::scan::{Chunk, InputInfo, Worker};

use std::collections::HashSet;

use super::state::{At, BASE_SECS, FixedState, KeyStats, MAX_KEYS, Summary, Tally};

/// A chunk's results.
pub struct Partial {
    pub summary: Summary,
    /// With `--assign`: (line relative to the chunk, key) of every record counted.
    pub assigned: Vec<(u64, u64)>,
}

pub struct SummaryWorker {
    pub framer: Framer,
    pub filter: Filter,
    pub by: Vec<String>,
    pub assign: bool,
    pub masker: Masker,
    /// Scratch for a JSON message with escapes.
    pub text: String,
    /// Scratch for the first line of a JSON message with escapes.
    pub line: Vec<u8>,
    /// Keys whose text and example this worker has sent in an earlier chunk.
    pub sent: HashSet<u64, FixedState>,
}

impl SummaryWorker {
    pub fn new(framer: Framer, filter: Filter, by: Vec<String>, assign: bool) -> SummaryWorker {
        SummaryWorker {
            framer,
            filter,
            by,
            assign,
            masker: Masker::new(),
            text: String::new(),
            line: Vec::new(),
            sent: HashSet::default(),
        }
    }
}

const NS: i64 = 1_000_000_000;

impl Worker for SummaryWorker {
    type Out = Partial;

    fn process(&mut self, info: &InputInfo, chunk: &Chunk) -> Partial {
        let raw: &dyn Parser = &RawParser;
        let parser: &dyn Parser = info.format.as_ref().map_or(raw, |d| &*d.parser);
        let buf = &chunk.bytes()[..chunk.valid_len()];
        let mut s = Summary::new(self.by.len());
        let mut assigned = Vec::new();
        let filtering = !self.filter.is_empty();
        let input = info.index as u32;
        // The bucket of the previous record, cached: timestamps mostly rise, so most
        // records land in the same bucket as the one before.
        let mut cur: Option<(i64, Tally)> = None;
        // The line (0-based in the chunk) where the next record starts: each record
        // is its own lines and the `\n` after them, so a record the framer found to be
        // one line moves it by one, without counting newlines.
        let mut next_line = 0u64;
        let mut records = self.framer.records(buf);
        while let Some(rec) = records.next() {
            // The line the record starts on, for new keys and `--assign`.
            let line = next_line;
            next_line += 1;
            if !records.one_line() {
                next_line += bytecount::count(rec, b'\n') as u64;
            }
            let p = parser.parse(rec, Want::ALL.one_line(records.one_line()));
            if filtering {
                match self.filter.check(parser, rec, &p) {
                    Verdict::Pass => {}
                    Verdict::Fail => continue,
                    Verdict::NoTimestamp => {
                        s.no_ts_filtered += 1;
                        continue;
                    }
                }
            }
            s.records += 1;
            s.unparsed += u64::from(!p.ok);
            s.levels.add(p.level, 1);
            let error = matches!(p.level, Level::Error | Level::Fatal);
            let bucket = p.ts.map(|t| t.div_euclid(BASE_SECS * NS) * BASE_SECS);
            match bucket {
                Some(b) => {
                    s.first = super::state::min_opt(s.first, p.ts);
                    s.last = super::state::max_opt(s.last, p.ts);
                    match &mut cur {
                        Some((cb, t)) if *cb == b => {
                            t.records += 1;
                            t.errors += u64::from(error);
                        }
                        _ => {
                            if let Some((cb, t)) = cur.take() {
                                s.buckets.entry(cb).or_default().add(t);
                            }
                            cur = Some((
                                b,
                                Tally {
                                    records: 1,
                                    errors: u64::from(error),
                                },
                            ));
                        }
                    }
                }
                None => s.no_ts += 1,
            }

            let msg: &[u8] = match p.msg {
                // Only the first line is masked: unescaped into a reused buffer, no
                // allocation (`text()` would decode the whole stack trace).
                Some(Value::JsonStr(b))
                    if memchr::memchr(b'\\', b).is_some()
                        && json::unescape_first_line(b, &mut self.line) =>
                {
                    &self.line
                }
                Some(v @ (Value::JsonStr(b) | Value::InnerJsonStr(b)))
                    if memchr::memchr(b'\\', b).is_some() =>
                {
                    self.text.clear();
                    self.text.push_str(&v.text());
                    self.text.as_bytes()
                }
                Some(v) => v.bytes(),
                // A record its parser could not read still gets a template: of its text.
                None => rec,
            };
            // The masker stops at the first `\n` (and a `\r` before it is whitespace
            // to it), so only a new key's example needs the first line cut out.
            let key = self.masker.mask(msg);
            let (masked, sent) = (self.masker.masked(), &mut self.sent);
            s.add_key(key, p.level, p.ts, || {
                if sent.contains(&key) {
                    return KeyStats::stub();
                }
                // Bounded: past the cap, keys are sent whole again (as they were
                // before this shortcut).
                if sent.len() < 2 * MAX_KEYS {
                    sent.insert(key);
                }
                let at = At { input, line };
                KeyStats::new(masked, first_line(msg), at)
            });
            if error && let Some(b) = bucket {
                *s.key_errors.entry((key, b)).or_default() += 1;
            }
            for (i, name) in self.by.iter().enumerate() {
                let v = field_value(parser, rec, &p, name);
                let t = Tally {
                    records: 1,
                    errors: u64::from(error),
                };
                let text;
                let v: Option<&[u8]> = match v {
                    Some(v) if v.bytes().contains(&b'\\') => {
                        text = v.text();
                        Some(text.as_bytes())
                    }
                    Some(v) => Some(v.bytes()),
                    None => None,
                };
                s.by[i].add(v, t);
            }
            if self.assign {
                assigned.push((line, key));
            }
        }
        if let Some((cb, t)) = cur {
            s.buckets.entry(cb).or_default().add(t);
        }
        s.lines = next_line;
        Partial {
            summary: s,
            assigned,
        }
    }
}

/// The first line of a message (a stack trace's first line names the error), without
/// a trailing `\r`.
fn first_line(msg: &[u8]) -> &[u8] {
    let l = match memchr::memchr(b'\n', msg) {
        Some(i) => &msg[..i],
        None => msg,
    };
    l.strip_suffix(b"\r").unwrap_or(l)
}
