//! Parsing records: one parser per format behind one small trait.
//!
//! A parser sees one record's bytes (without its final newline) and returns borrowed
//! views: it knows nothing of files, chunks or threads. It extracts lazily — only what
//! the caller asks for in [`Want`] — and allocates nothing per record on the hot path.
//! Fields are looked up one at a time by name ([`Parser::field`]) for `--by` and
//! `--where`, or all at once ([`Parser::fields`]) for output that shows them.

pub mod clf;
pub mod detect;
pub mod docker;
pub mod json;
pub mod kv;
pub mod level;
pub mod logfmt;
pub mod plain;
pub mod regex;
pub mod syslog;
pub mod time;

use std::borrow::Cow;

pub use level::Level;

/// What the caller needs from a record; parsers may skip the rest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Want {
    pub ts: bool,
    pub level: bool,
    pub msg: bool,
    /// The caller knows the record is one line (no `\n` in it), so a parser need not
    /// look for the end of the message's first line.
    pub one_line: bool,
}

impl Want {
    pub const ALL: Want = Want {
        ts: true,
        level: true,
        msg: true,
        one_line: false,
    };

    /// What is wanted, for a record that is (or may not be) one line.
    pub fn one_line(self, one_line: bool) -> Want {
        Want { one_line, ..self }
    }
}

/// The essentials of one record, borrowed from its bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Parsed<'a> {
    /// Timestamp in Unix nanoseconds, UTC (when found and wanted).
    pub ts: Option<i64>,
    /// The timestamp as written.
    pub ts_text: Option<&'a [u8]>,
    pub level: Level,
    /// The message. For JSON it is the string's body as written (`Value::JsonStr`).
    pub msg: Option<Value<'a>>,
    /// False when the record does not parse under its input's format: it is still
    /// counted, searchable and shown, as `unparsed` with level `unknown`.
    pub ok: bool,
}

/// A field value, borrowed from the record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// Text with nothing to unescape.
    Text(&'a [u8]),
    /// The body of a JSON string (between the quotes), which may hold escapes.
    JsonStr(&'a [u8]),
    /// Text that was escaped twice: a JSON string (or a quoted `key="value"`) inside the
    /// body of another JSON string, as Docker's json-file driver wraps a record in its
    /// `log` value. [`Value::text`] resolves the escapes twice.
    InnerJsonStr(&'a [u8]),
    /// A number as written.
    Num(&'a [u8]),
    Bool(bool),
    Null,
    /// A nested JSON object or array, as written.
    Raw(&'a [u8]),
}

impl<'a> Value<'a> {
    /// The value as text: JSON escapes resolved, invalid UTF-8 replaced.
    pub fn text(&self) -> Cow<'a, str> {
        match *self {
            Value::Text(b) | Value::Num(b) | Value::Raw(b) => String::from_utf8_lossy(b),
            Value::JsonStr(b) => {
                if memchr::memchr(b'\\', b).is_none() {
                    return String::from_utf8_lossy(b);
                }
                let mut quoted = Vec::with_capacity(b.len() + 2);
                quoted.push(b'"');
                quoted.extend_from_slice(b);
                quoted.push(b'"');
                match serde_json::from_slice::<String>(&quoted) {
                    Ok(s) => Cow::Owned(s),
                    Err(_) => String::from_utf8_lossy(b),
                }
            }
            Value::InnerJsonStr(b) => match Value::JsonStr(b).text() {
                Cow::Borrowed(once) => Value::JsonStr(once.as_bytes()).text(),
                Cow::Owned(once) => Cow::Owned(Value::JsonStr(once.as_bytes()).text().into_owned()),
            },
            Value::Bool(true) => Cow::Borrowed("true"),
            Value::Bool(false) => Cow::Borrowed("false"),
            Value::Null => Cow::Borrowed(""),
        }
    }

    /// The raw bytes, without unescaping (cheap; for hashing and comparisons that
    /// tolerate escapes).
    pub fn bytes(&self) -> &'a [u8] {
        match *self {
            Value::Text(b)
            | Value::JsonStr(b)
            | Value::InnerJsonStr(b)
            | Value::Num(b)
            | Value::Raw(b) => b,
            Value::Bool(true) => b"true",
            Value::Bool(false) => b"false",
            Value::Null => b"",
        }
    }

    /// The value as a number, when it is one (a numeric string counts: `"503"`).
    pub fn number(&self) -> Option<f64> {
        match *self {
            Value::Num(b) | Value::Text(b) | Value::JsonStr(b) | Value::InnerJsonStr(b) => {
                std::str::from_utf8(b)
                    .ok()?
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
            }
            _ => None,
        }
    }
}

/// One log format.
pub trait Parser: Send + Sync {
    /// The format's name, as `--format` and `logsift formats` spell it.
    fn name(&self) -> &'static str;

    /// Parses what `want` asks for from one record.
    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a>;

    /// One named field (a dot path for nested JSON: `http.status`). `service` and `host`
    /// are resolved through the format's usual spellings (`svc`, `app`, `hostname`, …).
    /// Formats whose message is free text (plain, syslog) also find `name=value` pairs
    /// in it ([`kv`]) when their header has no field of that name.
    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>>;

    /// Every field of the record, in order (nested JSON flattened to dot paths; header
    /// fields before the message's `key=value` pairs).
    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>));
}

/// Runs every entry point of a parser on `rec` (for property tests: random bytes must
/// never panic a parser).
#[cfg(test)]
pub(crate) fn exercise(p: &dyn Parser, rec: &[u8], names: &[&str]) {
    for want in [Want::ALL, Want::default()] {
        if let Some(m) = p.parse(rec, want).msg {
            let _ = m.text();
        }
    }
    for name in names {
        let _ = p.field(rec, name).map(|v| v.text().into_owned());
    }
    p.fields(rec, &mut |k, v| {
        let _ = (k.len(), v.text(), v.number());
    });
}

/// Every field of `rec` as (name, text) pairs, in the parser's order (for tests).
#[cfg(test)]
pub(crate) fn all_fields(p: &dyn Parser, rec: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    p.fields(rec, &mut |k, v| {
        out.push((k.to_string(), v.text().into_owned()))
    });
    out
}

/// Owned (name, text) pairs, to compare with [`all_fields`].
#[cfg(test)]
pub(crate) fn owned_pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(Value::JsonStr(br#"a\"b\u00e9"#).text(), "a\"bé");
        assert_eq!(Value::JsonStr(b"plain").text(), "plain");
        assert_eq!(Value::Num(b"503").number(), Some(503.0));
        assert_eq!(Value::Text(b" 12.5 ").number(), Some(12.5));
        assert_eq!(Value::Text(b"abc").number(), None);
        assert_eq!(Value::Bool(true).text(), "true");
        // `say "hi"`, as a JSON string body inside another one.
        assert_eq!(
            Value::InnerJsonStr(br#"say \\\"hi\\\""#).text(),
            "say \"hi\""
        );
        assert_eq!(Value::InnerJsonStr(br#"C:\\\\x \u00e9"#).text(), "C:\\x é");
        assert_eq!(Value::InnerJsonStr(b"plain").text(), "plain");
    }
}
