//! A walker for a JSON record written inside a JSON string (what Docker's `log` holds
//! when the application logs JSON): every step reads one character through the outer
//! string's escapes, so `\"` is a quote, and values come back as slices of the line.
//! A string value is [`Value::InnerJsonStr`] (escapes resolved twice) when it holds any
//! escape, [`Value::Text`] otherwise; a nested object or array is [`Value::JsonStr`],
//! whose one level of escapes resolves to its JSON text.

use memchr::memchr;

use crate::parse::Value;
use crate::parse::json::{Brackets, MAX_FLATTEN_DEPTH};
use crate::parse::kv::{self, Escapes};

/// Is `text` (a JSON string body) a JSON object?
pub(super) fn is_json(text: &[u8]) -> bool {
    walk_inner(text, |_, _| true).is_some_and(|end| blank_from(text, end))
}

/// Is everything from `i` on blank (through the escapes)?
pub(super) fn blank_from(b: &[u8], i: usize) -> bool {
    let mut c = Cur { b, i };
    c.ws();
    c.i >= b.len()
}

/// A value of a JSON record written inside a JSON string.
#[derive(Clone, Copy, Debug)]
pub(super) enum Inner<'a> {
    Scalar(Value<'a>),
    /// An object, as written (escaped).
    Object(&'a [u8]),
    Array(&'a [u8]),
}

impl<'a> Inner<'a> {
    /// As a field value: nested objects and arrays as their JSON text.
    pub(super) fn value(self) -> Value<'a> {
        match self {
            Inner::Scalar(v) => v,
            Inner::Object(r) | Inner::Array(r) => Value::JsonStr(r),
        }
    }
}

/// A cursor over JSON text that is itself the body of a JSON string: each step reads
/// one character through the outer escapes.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn peek(&self) -> Option<(u8, usize)> {
        (self.i < self.b.len()).then(|| kv::decode(self.b, self.i, Escapes::Json))
    }

    fn ws(&mut self) {
        while let Some((c, n)) = self.peek() {
            if !kv::is_blank(c) {
                break;
            }
            self.i += n;
        }
    }

    fn eat(&mut self, want: u8) -> bool {
        match self.peek() {
            Some((c, n)) if c == want => {
                self.i += n;
                true
            }
            _ => false,
        }
    }

    /// At a `"`: the string's body as written.
    fn string(&mut self) -> Option<&'a [u8]> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.i;
        loop {
            let (c, n) = self.peek()?;
            if c == b'"' {
                let body = &self.b[start..self.i];
                self.i += n;
                return Some(body);
            }
            self.i += n;
            if c == b'\\' {
                self.i += self.peek()?.1;
            }
        }
    }

    fn value(&mut self) -> Option<Inner<'a>> {
        let (c, _) = self.peek()?;
        Some(match c {
            b'"' => {
                let s = self.string()?;
                Inner::Scalar(if memchr(b'\\', s).is_some() {
                    Value::InnerJsonStr(s)
                } else {
                    Value::Text(s)
                })
            }
            b'{' | b'[' => {
                let s = self.i;
                self.nested()?;
                let r = &self.b[s..self.i];
                if c == b'{' {
                    Inner::Object(r)
                } else {
                    Inner::Array(r)
                }
            }
            b't' => self.literal(b"true", Value::Bool(true))?,
            b'f' => self.literal(b"false", Value::Bool(false))?,
            b'n' => self.literal(b"null", Value::Null)?,
            b'-' | b'0'..=b'9' => {
                let s = self.i;
                self.i += 1;
                while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.b.get(self.i)
                {
                    self.i += 1;
                }
                let num = &self.b[s..self.i];
                if num == b"-" {
                    return None;
                }
                Inner::Scalar(Value::Num(num))
            }
            _ => return None,
        })
    }

    fn literal(&mut self, word: &[u8], v: Value<'a>) -> Option<Inner<'a>> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| {
            self.i = end;
            Inner::Scalar(v)
        })
    }

    /// At a `{` or `[`: past its matching close, checking that brackets match
    /// ([`Brackets`]), without recursion.
    fn nested(&mut self) -> Option<()> {
        let mut brackets = Brackets::default();
        while let Some((c, n)) = self.peek() {
            if c == b'"' {
                self.string()?;
                continue;
            }
            self.i += n;
            if brackets.step(c)? {
                return Some(());
            }
        }
        None
    }
}

/// Walks the members of the object at the start of `b` (an escaped JSON text), calling
/// `f` with each key (as written) and value until it returns false. The index past
/// the closing `}`; `None` when the object is malformed or `f` stopped the walk.
pub(super) fn walk_inner<'a>(
    b: &'a [u8],
    mut f: impl FnMut(&'a [u8], Inner<'a>) -> bool,
) -> Option<usize> {
    let mut c = Cur { b, i: 0 };
    c.ws();
    if !c.eat(b'{') {
        return None;
    }
    c.ws();
    if c.eat(b'}') {
        return Some(c.i);
    }
    loop {
        let key = c.string()?;
        c.ws();
        if !c.eat(b':') {
            return None;
        }
        c.ws();
        let v = c.value()?;
        if !f(key, v) {
            return None;
        }
        c.ws();
        if c.eat(b'}') {
            return Some(c.i);
        }
        if !c.eat(b',') {
            return None;
        }
        c.ws();
    }
}

/// The value at a dot path (literal keys with dots match too), first in document order.
/// Keys are compared as written: a key spelled with escapes is not found.
pub(super) fn lookup_inner<'a>(obj: &'a [u8], path: &[u8]) -> Option<Value<'a>> {
    let mut found = None;
    walk_inner(obj, |k, v| {
        if k == path {
            found = Some(v.value());
            return false;
        }
        if let (Some(rest), Inner::Object(r)) = (sub_path(path, k), v) {
            found = lookup_inner(r, rest);
        }
        found.is_none()
    });
    found
}

/// The first scalar (string or number) at any of `keys`, in document order.
pub(super) fn lookup_any_inner<'a>(obj: &'a [u8], keys: &[&str]) -> Option<Value<'a>> {
    let scalar =
        |v: &Value<'_>| matches!(v, Value::Text(_) | Value::InnerJsonStr(_) | Value::Num(_));
    let mut found = None;
    walk_inner(obj, |k, v| {
        for key in keys.iter().map(|s| s.as_bytes()) {
            match (v, sub_path(key, k)) {
                (Inner::Scalar(s), _) if k == key && scalar(&s) => found = Some(s),
                (Inner::Object(r), Some(rest)) => found = lookup_inner(r, rest).filter(scalar),
                _ => {}
            }
            if found.is_some() {
                return false;
            }
        }
        true
    });
    found
}

/// `path` minus `key.`, when it starts with them.
fn sub_path<'p>(path: &'p [u8], key: &[u8]) -> Option<&'p [u8]> {
    path.strip_prefix(key)?.strip_prefix(b".")
}

/// Every field of an inner object, nested objects flattened to dot paths.
pub(super) fn flatten_inner<'a>(
    obj: &'a [u8],
    path: &mut String,
    depth: usize,
    f: &mut dyn FnMut(&str, Value<'a>),
) {
    walk_inner(obj, |k, v| {
        let len = path.len();
        if len > 0 {
            path.push('.');
        }
        path.push_str(&Value::InnerJsonStr(k).text());
        match v {
            Inner::Object(r) if depth < MAX_FLATTEN_DEPTH && !is_empty(r) => {
                flatten_inner(r, path, depth + 1, f)
            }
            _ => f(path, v.value()),
        }
        path.truncate(len);
        true
    });
}

fn is_empty(obj: &[u8]) -> bool {
    let mut c = Cur { b: obj, i: 0 };
    c.eat(b'{');
    c.ws();
    c.eat(b'}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_escaped_objects() {
        // {"a":"x \"y\"","b":[1,{"c":"]"}],"d":{"e":-2.5e3},"f":true} as a string body.
        let obj =
            br#"{\"a\":\"x \\\"y\\\"\",\"b\":[1,{\"c\":\"]\"}],\"d\":{\"e\":-2.5e3},\"f\":true}\n"#;
        assert!(is_json(obj));
        let mut got = Vec::new();
        flatten_inner(obj, &mut String::new(), 0, &mut |k, v| {
            got.push(format!("{k}={}", v.text()))
        });
        assert_eq!(
            got,
            ["a=x \"y\"", r#"b=[1,{"c":"]"}]"#, "d.e=-2.5e3", "f=true"]
        );
        assert_eq!(lookup_inner(obj, b"d.e"), Some(Value::Num(b"-2.5e3")));
        assert_eq!(
            lookup_any_inner(obj, &["z", "a"]).unwrap().text(),
            "x \"y\""
        );
        for bad in [
            &br#"{\"a\":}"#[..],
            br#"{\"a\":[1}"#,
            br#"{\"a\":1"#,
            br#"{\"a\":1} x"#,
            b"not json",
            b"",
        ] {
            assert!(!is_json(bad), "{}", String::from_utf8_lossy(bad));
        }
        assert!(is_json(br#" {} \r\n"#));
    }
}
