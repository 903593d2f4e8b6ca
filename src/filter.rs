//! Filters on parsed records: `--level`, `--since`/`--until`, `--where`.
//!
//! They run after the cheap work (a grep pattern has already prefiltered whole chunks)
//! and ask the parser only for what they need ([`Filter::want`]).

use std::borrow::Cow;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use regex::Regex;

use crate::parse::{Level, Parsed, Parser, Value, Want};

/// A bad filter expression; the message shows the grammar.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error(
        "bad --where {0:?}: expected FIELD OP VALUE with OP one of = != < <= > >= ~ \
         (e.g. 'status>=500', 'msg~timed out', 'service=api')"
    )]
    Where(String),
    #[error("bad regex in --where {0:?}: {1}")]
    WhereRegex(String, regex::Error),
    #[error("bad --level {0:?}: use trace, debug, info, warn, error or fatal")]
    Level(String),
    #[error(
        "bad time {0:?}: use RFC 3339 (2026-11-28T13:00:00Z), '2026-11-28 13:00' \
         (read in --tz), or a span back from now: 90s, 30m, 2h, 1d"
    )]
    Time(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Match,
}

/// One `--where FIELD OP VALUE` condition.
#[derive(Clone, Debug)]
pub struct Where {
    pub field: String,
    pub op: Op,
    pub value: String,
    number: Option<f64>,
    regex: Option<Regex>,
}

impl Where {
    /// Parses `status>=500`, `msg~timed out`, `level!=info`.
    pub fn parse(expr: &str) -> Result<Where, FilterError> {
        let bad = || FilterError::Where(expr.to_string());
        let at = expr.find(['=', '!', '<', '>', '~']).ok_or_else(bad)?;
        let field = expr[..at].trim();
        let rest = &expr[at..];
        let (op, len) = [
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
            ("~", Op::Match),
        ]
        .iter()
        .find(|(s, _)| rest.starts_with(s))
        .map(|&(s, op)| (op, s.len()))
        .ok_or_else(bad)?;
        if field.is_empty()
            || !field
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b))
        {
            return Err(bad());
        }
        let value = rest[len..].trim().to_string();
        let regex = match op {
            Op::Match => {
                Some(Regex::new(&value).map_err(|e| FilterError::WhereRegex(expr.to_string(), e))?)
            }
            _ => None,
        };
        Ok(Where {
            field: field.to_string(),
            op,
            number: value.parse::<f64>().ok().filter(|f| f.is_finite()),
            value,
            regex,
        })
    }

    /// Does a record's value satisfy the condition? A missing field never does.
    pub fn test(&self, v: Option<Value<'_>>) -> bool {
        let Some(v) = v else { return false };
        if let Some(re) = &self.regex {
            return re.is_match(&v.text());
        }
        if let (Some(a), Some(b)) = (v.number(), self.number) {
            return cmp(self.op, a.partial_cmp(&b));
        }
        let text = v.text();
        cmp(self.op, Some(text.as_ref().cmp(self.value.as_str())))
    }
}

fn cmp(op: Op, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    let Some(o) = ord else { return false };
    match op {
        Op::Eq => o == Equal,
        Op::Ne => o != Equal,
        Op::Lt => o == Less,
        Op::Le => o != Greater,
        Op::Gt => o == Greater,
        Op::Ge => o != Less,
        Op::Match => false,
    }
}

/// What a record's check came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// A time filter is set and the record has no timestamp: left out, and counted.
    NoTimestamp,
}

/// All filters of a run, ANDed.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// `--level`: this level and above (`unknown` never passes).
    pub level: Option<Level>,
    /// `--since`, inclusive, Unix ns.
    pub since: Option<i64>,
    /// `--until`, exclusive, Unix ns.
    pub until: Option<i64>,
    pub wheres: Vec<Where>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.level.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && self.wheres.is_empty()
    }

    /// What the parser must extract for these filters.
    pub fn want(&self) -> Want {
        Want {
            ts: self.since.is_some() || self.until.is_some(),
            level: self.level.is_some() || self.wheres.iter().any(|w| w.field == "level"),
            msg: self.wheres.iter().any(|w| w.field == "msg"),
            one_line: false,
        }
    }

    pub fn check(&self, parser: &dyn Parser, rec: &[u8], p: &Parsed<'_>) -> Verdict {
        if self.since.is_some() || self.until.is_some() {
            let Some(ts) = p.ts else {
                return Verdict::NoTimestamp;
            };
            if self.since.is_some_and(|s| ts < s) || self.until.is_some_and(|u| ts >= u) {
                return Verdict::Fail;
            }
        }
        if let Some(min) = self.level
            && (p.level == Level::Unknown || p.level < min)
        {
            return Verdict::Fail;
        }
        for w in &self.wheres {
            let v = field_value(parser, rec, p, &w.field);
            if !w.test(v) {
                return Verdict::Fail;
            }
        }
        Verdict::Pass
    }
}

/// A record's value for a field name: `level` and `msg` come from the parse, anything
/// else from the parser's fields.
pub fn field_value<'a>(
    parser: &dyn Parser,
    rec: &'a [u8],
    p: &Parsed<'a>,
    name: &str,
) -> Option<Value<'a>> {
    match name {
        "level" => Some(Value::Text(p.level.name().as_bytes())),
        "msg" | "message" => p.msg,
        _ => parser.field(rec, name),
    }
}

/// "Now" for relative times: `LOGSIFT_NOW` (RFC 3339) when set, for tests and replays.
pub fn now() -> Timestamp {
    std::env::var("LOGSIFT_NOW")
        .ok()
        .and_then(|s| s.parse::<Timestamp>().ok())
        .unwrap_or_else(Timestamp::now)
}

/// Parses `--since`/`--until`: RFC 3339, a civil time read in `tz`, or a span back from
/// `now` (`90s`, `30m`, `2h`, `1d`, `1w`). Returns Unix ns.
pub fn parse_time_arg(s: &str, tz: &TimeZone, now: Timestamp) -> Result<i64, FilterError> {
    let bad = || FilterError::Time(s.to_string());
    let t = s.trim();
    if let Some(secs) = parse_span(t) {
        let ns = now.as_nanosecond() - secs as i128 * 1_000_000_000;
        return i64::try_from(ns).map_err(|_| bad());
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts.as_nanosecond() as i64);
    }
    let civil = if t.len() == 10 {
        Cow::Owned(format!("{t}T00:00"))
    } else {
        Cow::Borrowed(t)
    };
    if let Ok(dt) = civil.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(tz.clone())
            .map(|z| z.timestamp().as_nanosecond() as i64)
            .map_err(|_| bad());
    }
    Err(bad())
}

/// `90s`, `30m`, `2h`, `1d`, `1w` → seconds.
pub fn parse_span(s: &str) -> Option<u64> {
    let digits = s.find(|c: char| !c.is_ascii_digit())?;
    let n: u64 = s[..digits].parse().ok()?;
    let unit = match &s[digits..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    n.checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_parses_and_tests() {
        let w = Where::parse("status>=500").unwrap();
        assert_eq!((w.field.as_str(), w.op), ("status", Op::Ge));
        assert!(w.test(Some(Value::Num(b"503"))));
        assert!(!w.test(Some(Value::Num(b"404"))));
        assert!(!w.test(None));
        let w = Where::parse("msg~timed out").unwrap();
        assert!(w.test(Some(Value::Text(b"conn timed out after"))));
        let w = Where::parse("service!=api").unwrap();
        assert!(w.test(Some(Value::Text(b"web"))));
        assert!(!w.test(Some(Value::Text(b"api"))));
        assert!(Where::parse("nonsense").is_err());
        assert!(Where::parse(">=5").is_err());
        assert!(Where::parse("a~(").is_err());
    }

    #[test]
    fn times() {
        let now: Timestamp = "2026-11-28T14:00:00Z".parse().unwrap();
        let tz = TimeZone::UTC;
        let h2 = parse_time_arg("2h", &tz, now).unwrap();
        assert_eq!(
            h2,
            parse_time_arg("2026-11-28T12:00:00Z", &tz, now).unwrap()
        );
        assert_eq!(h2, parse_time_arg("2026-11-28 12:00", &tz, now).unwrap());
        assert!(parse_time_arg("yesterday-ish", &tz, now).is_err());
        assert_eq!(parse_span("30m"), Some(1800));
    }
}
