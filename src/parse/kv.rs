//! `key=value` pairs inside free text: the message of a plain or syslog line, the tail
//! of an access-log line, the text a container runtime wrapped in JSON.
//!
//! Many applications write their variables into the message (`GET /x status=503
//! duration_ms=38 user="a b"`); reading them as fields makes `--where status>=500`,
//! `--stats duration_ms` and `--by user` work on such logs as they do on JSON and
//! logfmt. The scan is lazy: a parser runs it only when a field it does not otherwise
//! have is asked for ([`find`]) or all fields are listed ([`each`]); reading a
//! record's time, level and message never touches it.
//!
//! The rule, chosen to find the pairs people write and nothing in ordinary prose:
//!
//! - A key starts a token: it is at the start of the text or right after whitespace,
//!   `,`, `(`, `[` or `{` (so `User{id=5, name='bob'}` has `id` and `name`, while
//!   `/search?q=x&page=2` and `a.b==c` have nothing). It starts with an ASCII letter or
//!   `_`, then letters, digits, `_`, `.` and `-`, at most [`MAX_KEY`] bytes, and `=`
//!   follows it directly (`key = value`, with spaces, is prose; `==` is a comparison).
//! - A value is `"quoted"` (backslash escapes as in JSON and logfmt, so `\"` does not
//!   end it; without its closing quote it runs to the end of the text), `'quoted'`
//!   (no escapes; an unclosed `'` is an ordinary character), or runs to whitespace or
//!   one of `,` `;` `)` `]` `}`. It may be empty (`reason=`).
//! - The first pair with a key wins; later ones with the same key are not fields.
//!
//! Only `=`. `key: value` is not read: in free text a colon ends a sentence part
//! (`Health check failed: db down`) and sits inside host:port pairs, times, URLs and
//! ids (`10.2.3.4:5432`, `13:04:05`, `http://x`, `session:8f`) far more often than it
//! separates a field from its value, and guessing would make `--where` unpredictable.
//!
//! Values are borrowed: a quoted value without escapes is `Value::Text` of its body,
//! one with escapes `Value::JsonStr` (JSON's escapes are logfmt's). In text that is
//! itself the body of a JSON string ([`Escapes::Json`], Docker's `log`), bytes are read
//! through JSON's escapes (`\"` is a quote, `\t` a blank), and a quoted value that
//! holds escapes of its own is `Value::InnerJsonStr` (resolved twice).

use std::collections::HashSet;

use super::Value;
use super::json::hex4;

/// The longest key, in bytes.
pub const MAX_KEY: usize = 64;

/// How the text being scanned is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Escapes {
    /// As it is: every byte stands for itself.
    #[default]
    None,
    /// The body of a JSON string: escapes stand for the characters they encode.
    Json,
}

/// The pairs of a text, in order (every pair, including repeated keys).
pub fn pairs(text: &[u8], esc: Escapes) -> Pairs<'_> {
    Pairs {
        b: text,
        i: 0,
        esc,
        at_start: true,
    }
}

/// Does `key=` occur in `text` for one of `keys`? A cheap test (one `memchr` pass over
/// the `=` signs) that [`find`] would fail: on a large log most records lack the key
/// altogether, and a caller can skip finding the message.
pub fn mentions(text: &[u8], keys: &[&str]) -> bool {
    memchr::memchr_iter(b'=', text).any(|i| {
        keys.iter()
            .any(|k| !k.is_empty() && text[..i].ends_with(k.as_bytes()))
    })
}

/// The value of the first pair whose key is one of `keys`.
pub fn find<'a>(text: &'a [u8], esc: Escapes, keys: &[&str]) -> Option<Value<'a>> {
    if !mentions(text, keys) {
        return None;
    }
    pairs(text, esc)
        .find(|(k, _)| keys.iter().any(|n| n.as_bytes() == *k))
        .map(|(_, v)| v)
}

/// Calls `f` with each pair whose key is not `shadowed` (a name the caller answers
/// otherwise), the first pair of each key only.
pub fn each<'a>(
    text: &'a [u8],
    esc: Escapes,
    shadowed: &dyn Fn(&str) -> bool,
    f: &mut dyn FnMut(&str, Value<'a>),
) {
    let mut seen: HashSet<&[u8], foldhash::fast::RandomState> = HashSet::default();
    for (k, v) in pairs(text, esc) {
        // Keys are ASCII by construction.
        let Ok(name) = std::str::from_utf8(k) else {
            continue;
        };
        if !shadowed(name) && seen.insert(k) {
            f(name, v);
        }
    }
}

/// An iterator over the pairs of a text: `(key, value)`.
pub struct Pairs<'a> {
    b: &'a [u8],
    i: usize,
    esc: Escapes,
    /// `i` is where a token may start.
    at_start: bool,
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a [u8], Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        match self.esc {
            Escapes::None => self.next_unescaped(),
            Escapes::Json => self.next_decoded(),
        }
    }
}

impl<'a> Pairs<'a> {
    /// [`Iterator::next`] for unescaped text: from one `=` to the next (`memchr`), the
    /// key read backwards from it. The same pairs as [`Pairs::next_decoded`] finds (a
    /// property test holds them equal), several times faster on long messages.
    fn next_unescaped(&mut self) -> Option<(&'a [u8], Value<'a>)> {
        let b = self.b;
        while self.i < b.len() {
            let eq = self.i + memchr::memchr(b'=', &b[self.i..])?;
            let mut ks = eq;
            while ks > self.i && eq - ks <= MAX_KEY && is_key_byte(b[ks - 1]) {
                ks -= 1;
            }
            let key = &b[ks..eq];
            // A token starts at `ks`: the text's start, or after a boundary that is
            // not part of the last pair (the byte at `self.i` is where it ended).
            let starts = ks == 0 || (ks > self.i && is_boundary(b[ks - 1]));
            let first = key
                .first()
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_');
            if starts && first && key.len() <= MAX_KEY && b.get(eq + 1) != Some(&b'=') {
                let (v, end) = value(b, eq + 1, Escapes::None);
                self.i = end;
                return Some((key, v));
            }
            self.i = eq + 1;
        }
        None
    }

    /// [`Iterator::next`] character by character, through the text's escapes.
    fn next_decoded(&mut self) -> Option<(&'a [u8], Value<'a>)> {
        let (b, esc) = (self.b, self.esc);
        while self.i < b.len() {
            let (c, n) = decode(b, self.i, esc);
            if self.at_start && n == 1 && (c.is_ascii_alphabetic() || c == b'_') {
                let ks = self.i;
                let mut j = ks + 1;
                while j < b.len() && j - ks <= MAX_KEY && is_key_byte(b[j]) {
                    j += 1;
                }
                self.at_start = false;
                if j - ks <= MAX_KEY && b.get(j) == Some(&b'=') && b.get(j + 1) != Some(&b'=') {
                    let (v, end) = value(b, j + 1, esc);
                    self.i = end;
                    return Some((&b[ks..j], v));
                }
                self.i = j;
                continue;
            }
            self.at_start = is_boundary(c);
            self.i += n;
        }
        None
    }
}

/// May a key start right after `c`?
fn is_boundary(c: u8) -> bool {
    is_blank(c) || matches!(c, b',' | b'(' | b'[' | b'{')
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

pub(super) fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// The character at `i` and how many bytes encode it. Under [`Escapes::Json`] an
/// escape is one character (a `\u` escape of a non-ASCII one reads as `0x80`); a
/// malformed escape is a plain backslash.
#[inline]
pub(super) fn decode(b: &[u8], i: usize, esc: Escapes) -> (u8, usize) {
    let c = b[i];
    if c != b'\\' || esc == Escapes::None {
        return (c, 1);
    }
    match b.get(i + 1) {
        Some(&e @ (b'"' | b'\\' | b'/')) => (e, 2),
        Some(b'n') => (b'\n', 2),
        Some(b't') => (b'\t', 2),
        Some(b'r') => (b'\r', 2),
        Some(b'b') => (0x08, 2),
        Some(b'f') => (0x0c, 2),
        Some(b'u') => match b.get(i + 2..i + 6).and_then(hex4) {
            Some(cp) if cp < 0x80 => (cp as u8, 6),
            Some(_) => (0x80, 6),
            None => (c, 1),
        },
        _ => (c, 1),
    }
}

/// The value that starts at `i` (just past the `=`) and the index past it.
fn value(b: &[u8], i: usize, esc: Escapes) -> (Value<'_>, usize) {
    if i < b.len() {
        match decode(b, i, esc) {
            (b'"', n) => return double_quoted(b, i + n, esc),
            (b'\'', n) => {
                let mut j = i + n;
                while j < b.len() {
                    let (c, m) = decode(b, j, esc);
                    if c == b'\'' {
                        return (text(&b[i + n..j], esc), j + m);
                    }
                    j += m;
                }
            }
            _ => {}
        }
    }
    let mut j = i;
    while j < b.len() {
        let (c, n) = decode(b, j, esc);
        if is_blank(c) || matches!(c, b',' | b';' | b')' | b']' | b'}') {
            break;
        }
        j += n;
    }
    (text(&b[i..j], esc), j)
}

/// A body with no escapes of its own (only, under [`Escapes::Json`], the text's).
fn text(body: &[u8], esc: Escapes) -> Value<'_> {
    if esc == Escapes::Json && memchr::memchr(b'\\', body).is_some() {
        Value::JsonStr(body)
    } else {
        Value::Text(body)
    }
}

/// A `"`-quoted value whose body starts at `start`; unclosed, it runs to the end.
fn double_quoted(b: &[u8], start: usize, esc: Escapes) -> (Value<'_>, usize) {
    let mut j = start;
    let mut escaped = false;
    while j < b.len() {
        let (c, n) = decode(b, j, esc);
        if c == b'"' {
            return (quoted_value(&b[start..j], esc, escaped), j + n);
        }
        j += n;
        if c == b'\\' {
            escaped = true;
            if j < b.len() {
                j += decode(b, j, esc).1;
            }
        }
    }
    let end = b.len();
    (quoted_value(&b[start.min(end)..], esc, escaped), end)
}

fn quoted_value(body: &[u8], esc: Escapes, escaped: bool) -> Value<'_> {
    match (escaped, esc) {
        (false, _) => text(body, esc),
        (true, Escapes::None) => Value::JsonStr(body),
        (true, Escapes::Json) => Value::InnerJsonStr(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all(text: &str) -> Vec<(String, String)> {
        pairs(text.as_bytes(), Escapes::None)
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    v.text().into_owned(),
                )
            })
            .collect()
    }

    use crate::parse::owned_pairs as kv;

    #[test]
    fn pairs_in_messages() {
        assert_eq!(
            all(r#"GET /x status=503 duration_ms=38 user="a b""#),
            kv(&[("status", "503"), ("duration_ms", "38"), ("user", "a b")])
        );
        assert_eq!(
            all("Search query=\"wireless headphones\" results=2 took=9ms tenant=wayne-ent"),
            kv(&[
                ("query", "wireless headphones"),
                ("results", "2"),
                ("took", "9ms"),
                ("tenant", "wayne-ent")
            ])
        );
        // Boundaries before keys, ends of values.
        assert_eq!(
            all("User{id=5, name='bob'} (took=3ms) [a=1;b=2] x=1,y=2"),
            kv(&[
                ("id", "5"),
                ("name", "bob"),
                ("took", "3ms"),
                ("a", "1"),
                ("x", "1"),
                ("y", "2")
            ])
        );
        assert_eq!(
            all(r#"Cache miss key="session:8f", loading from db"#),
            kv(&[("key", "session:8f")])
        );
        // Escapes inside quotes; an unclosed quote runs to the end.
        assert_eq!(
            all(r#"q="say \"hi\"" r="C:\\dir" s="open"#),
            kv(&[("q", "say \"hi\""), ("r", "C:\\dir"), ("s", "open")])
        );
        // Empty values, URLs as values, and what is not a pair.
        assert_eq!(
            all("reason= url=http://x/?a=b&c=d next"),
            kv(&[("reason", ""), ("url", "http://x/?a=b&c=d")])
        );
        for prose in [
            "GET /search?q=x&page=2",
            "if a==b then",
            "x = 5",
            "Health check failed: db down",
            "Connection to 10.2.3.4:5432 timed out",
            "2xx=5 -x=1 é=2 a!=b",
            "base64 dGVzdA==",
            "",
        ] {
            assert_eq!(all(prose), kv(&[]), "{prose}");
        }
        // Keys: dots and dashes, at most MAX_KEY bytes.
        let long = format!("{}=1 ok=2", "k".repeat(MAX_KEY + 1));
        assert_eq!(all(&long), kv(&[("ok", "2")]));
        let max = format!("{}=1", "k".repeat(MAX_KEY));
        assert_eq!(all(&max).len(), 1);
        assert_eq!(
            all("http.status=200 x-req-id=ab"),
            kv(&[("http.status", "200"), ("x-req-id", "ab")])
        );
        // An unclosed single quote is a character of the value.
        assert_eq!(all("who='bob x=1"), kv(&[("who", "'bob"), ("x", "1")]));
    }

    #[test]
    fn find_and_each() {
        let t = br#"a=1 b="two" a=3 service=api"#;
        assert_eq!(find(t, Escapes::None, &["a"]), Some(Value::Text(b"1")));
        assert_eq!(find(t, Escapes::None, &["b"]), Some(Value::Text(b"two")));
        assert_eq!(find(t, Escapes::None, &["c"]), None);
        assert_eq!(find(t, Escapes::None, &[""]), None);
        assert_eq!(
            find(t, Escapes::None, &["svc", "service"]),
            Some(Value::Text(b"api"))
        );
        // A key that only occurs inside a quoted value is not one.
        assert_eq!(find(br#"m="x=1" y=2"#, Escapes::None, &["x"]), None);
        let mut got = Vec::new();
        each(t, Escapes::None, &|k| k == "b", &mut |k, v| {
            got.push((k.to_string(), v.text().into_owned()))
        });
        assert_eq!(got, kv(&[("a", "1"), ("service", "api")]));
    }

    #[test]
    fn json_escaped_text() {
        // `user="a b" path="C:\\x" msg="say \"hi\""` as the body of a JSON string,
        // with a tab before `t=1`.
        let body = br#"user=\"a b\" path=\"C:\\\\x\" msg=\"say \\\"hi\\\"\"\tt=1 lt=\u003c"#;
        let got: Vec<(String, String)> = pairs(body, Escapes::Json)
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    v.text().into_owned(),
                )
            })
            .collect();
        assert_eq!(
            got,
            kv(&[
                ("user", "a b"),
                ("path", "C:\\x"),
                ("msg", "say \"hi\""),
                ("t", "1"),
                ("lt", "<")
            ])
        );
        assert_eq!(
            find(body, Escapes::Json, &["user"]),
            Some(Value::Text(b"a b"))
        );
    }

    /// The pairs as the character-by-character reading finds them.
    fn decoded(b: &[u8]) -> Vec<(&[u8], Value<'_>)> {
        let mut p = pairs(b, Escapes::None);
        std::iter::from_fn(|| p.next_decoded()).collect()
    }

    #[test]
    fn readings_agree() {
        for t in [
            "a=1 b=2",
            "ab=c=d e=f",
            "a==b c=1",
            r#"a="x"yy=1 z=2"#,
            "x:y=1 (p=2) [q=3;r=4]",
            "url=http://x?a=b&c=d,e=5",
        ] {
            let fast: Vec<_> = pairs(t.as_bytes(), Escapes::None).collect();
            assert_eq!(fast, decoded(t.as_bytes()), "{t}");
        }
    }

    proptest! {
        #[test]
        fn readings_agree_on_pair_like_text(s in r#"[ a-c_.=,;(){}\[\]"'\\:0-9-]{0,80}"#) {
            let fast: Vec<_> = pairs(s.as_bytes(), Escapes::None).collect();
            prop_assert_eq!(fast, decoded(s.as_bytes()));
        }

        #[test]
        fn readings_agree_with_long_keys(n in 60usize..70, pre in "[ a:,]{0,3}", post in "[=a ]{0,4}") {
            let s = format!("{pre}{}={post} z=1", "k".repeat(n));
            let fast: Vec<_> = pairs(s.as_bytes(), Escapes::None).collect();
            prop_assert_eq!(fast, decoded(s.as_bytes()));
        }

        #[test]
        fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            for esc in [Escapes::None, Escapes::Json] {
                for (k, v) in pairs(&b, esc) {
                    assert!(!k.is_empty() && k.len() <= MAX_KEY);
                    let _ = (v.text(), v.number());
                }
                let _ = find(&b, esc, &["a", "status"]);
                each(&b, esc, &|_| false, &mut |_, v| { let _ = v.text(); });
            }
        }

        #[test]
        fn pair_like_text_never_panics(s in r#"[ a-c=,;(){}\[\]"'\\u0-9]{0,80}"#) {
            for esc in [Escapes::None, Escapes::Json] {
                for (_, v) in pairs(s.as_bytes(), esc) {
                    let _ = v.text();
                }
            }
        }
    }
}
