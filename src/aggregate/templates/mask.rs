//! Masking one message: tokens that are clearly variables become `<*>`, and the
//! masked token sequence is hashed into the message's key.
//!
//! The message is split at whitespace into words, and each word is decided on its
//! own, from the classes of its bytes (`class.rs`) gathered in one pass — no regex
//! cascade, no allocation once the output buffer has grown. In order:
//!
//! 1. Openers and closers around the word (`( [ { < "`, `) ] } > " , ; : . !`) are
//!    kept as they are and the core between them is decided; a closer that matches an
//!    opener inside the core stays in the core (`mice.c(3)]:` → core `mice.c(3)`).
//! 2. A core of only letters and joiners is text, except `true`/`false` and month and
//!    weekday names (`words.rs`).
//! 3. A core of digits and `. : , - + /` (numbers, times, dates, IPv4[:port]), a path
//!    or URL, an IPv6 address, a `host.name:port` or a UUID is one variable.
//! 4. Otherwise the core is read as runs of identifier bytes and punctuation: a run
//!    holding a number piece is one variable as a whole (`blk_-12`, `node-9`,
//!    `v6.1.7601`, `38ms`); `key=value` and `key:value` keep the key and mask the value
//!    up to `, ; &` or an unmatched closer (`key="a b"` is one value, even with spaces;
//!    an empty value stays as it is).
//!
//! Then, across words: a unit word after a variable (`ms`, `KB`, `bytes`, `%`) and a
//! `(<*>)` after a variable are absorbed into it, and runs of `<*>` collapse into one,
//! so that `took 12 ms`, `took 1.2 s` and `size 3 4 5` each have one shape.
//!
//! Why these rules, and what each was worth on LogHub, is in the research note
//! (headers-and-templates §2); `tests/loghub_templates.rs` measures the result.

use memchr::{memchr, memrchr};

use super::class::{
    ALPHA, COLON, DIGIT, EQ, HEX, JOIN, NUMPUNCT, PUNCT, QUOTE, RUN, SLASH, SPACE, class, key_hash,
};
use super::words::{is_domain, is_unit, is_variable_word, run_is_var};

/// What a masked variable is written as.
pub const VAR: &[u8] = b"<*>";

/// Reusable scratch; masking a message allocates nothing once warmed up.
#[derive(Clone, Debug, Default)]
pub struct Masker {
    out: Vec<u8>,
    /// Where the last token written to `out` starts.
    tok: usize,
}

impl Masker {
    pub fn new() -> Masker {
        Masker {
            out: Vec::with_capacity(256),
            tok: 0,
        }
    }

    /// Tokenises and masks one message (bytes, may be invalid UTF-8; only its first
    /// line matters — it stops at the first `\n`), and returns its key: a 64-bit hash
    /// of the masked token sequence, stable across runs, threads and platforms.
    pub fn mask(&mut self, msg: &[u8]) -> u64 {
        self.out.clear();
        self.tok = 0;
        let line = match memchr(b'\n', msg) {
            Some(i) => &msg[..i],
            None => msg,
        };
        let n = line.len();
        let mut i = 0;
        while i < n {
            while i < n && class(line[i]) == SPACE {
                i += 1;
            }
            if i == n {
                break;
            }
            let mut j = i;
            let mut seen = 0;
            while j < n {
                let c = class(line[j]);
                if c == SPACE {
                    break;
                }
                seen |= c;
                j += 1;
            }
            if seen & EQ != 0 && seen & QUOTE != 0 {
                j = extend_quoted(line, i, j);
            }
            self.word(&line[i..j], seen);
            i = j;
        }
        key_hash(&self.out)
    }

    /// The masked text of the last [`mask`](Masker::mask) call: tokens joined by
    /// single spaces, variables as `<*>`.
    pub fn masked(&self) -> &[u8] {
        &self.out
    }

    /// Masks one word (`seen`: the union of its bytes' classes) into one token, or
    /// into none when it is absorbed by the variable before it.
    fn word(&mut self, w: &[u8], seen: u16) {
        let (a, b) = core_bounds(w);
        let (pre, core, suf) = (&w[..a], &w[a..b], &w[b..]);
        if pre.is_empty() && !self.out.is_empty() && self.out.ends_with(VAR) && is_unit(core) {
            // `12 ms,` → `<*>,`: the unit goes, its punctuation stays.
            self.out.extend_from_slice(suf);
            self.settle();
            return;
        }
        if !self.out.is_empty() {
            self.out.push(b' ');
        }
        self.tok = self.out.len();
        self.out.extend_from_slice(pre);
        if core.is_empty() {
            // All punctuation (`-`, `...`): text.
        } else if seen & (DIGIT | COLON | EQ | SLASH | QUOTE | PUNCT) == 0 {
            // The common case, plain words: only a few of them are variables.
            if is_variable_word(core) || (seen & JOIN != 0 && is_domain(core)) {
                self.out.extend_from_slice(VAR);
            } else {
                self.out.extend_from_slice(core);
            }
        } else {
            self.core(core);
        }
        self.out.extend_from_slice(suf);
        self.settle();
    }

    /// Joins the last token with the one before when both are parts of one variable:
    /// `<*> <*>` → `<*>`, `<*> (<*>)` and `<*> ()` → `<*>`, `<*> <*>)` → `<*>)`,
    /// `(<*> <*>` → `(<*>`. So a list of numbers has one shape whatever its length.
    fn settle(&mut self) {
        loop {
            let start = self.tok;
            if start == 0 {
                return;
            }
            let tok = &self.out[start..];
            if !(tok.starts_with(VAR) || tok.starts_with(b"(")) {
                return;
            }
            let prev = memrchr(b' ', &self.out[..start - 1]).map_or(0, |k| k + 1);
            let before = &self.out[prev..start - 1];
            if before == VAR && (tok == b"(<*>)" || tok == b"()") {
                self.out.truncate(start - 1);
            } else if before.ends_with(VAR) && tok.starts_with(VAR) {
                // Two variables side by side are one.
                self.out.drain(start - 1..start + VAR.len());
            } else {
                return;
            }
            self.tok = prev;
        }
    }

    /// Masks a core that holds digits or `: = / \ "`.
    fn core(&mut self, c: &[u8]) {
        if whole_var(c) {
            self.out.extend_from_slice(VAR);
            return;
        }
        let at = self.out.len();
        self.pieces(c);
        // `#3#`, `<1`, `12:30`, `[4]/[8]`: only variables and punctuation left — one
        // variable.
        let done = &self.out[at..];
        if done.len() > VAR.len()
            && memchr::memmem::find(done, VAR).is_some()
            && done
                .iter()
                .all(|&b| class(b) & (DIGIT | HEX | ALPHA) == 0 || b == b'*')
        {
            self.out.truncate(at);
            self.out.extend_from_slice(VAR);
        }
    }

    /// Masks a core run by run: identifier runs with a number piece, and the values of
    /// `key=value` and `key:value`; punctuation is kept.
    fn pieces(&mut self, c: &[u8]) {
        let n = c.len();
        let mut i = 0;
        while i < n {
            if class(c[i]) & RUN == 0 {
                self.out.push(c[i]);
                i += 1;
                continue;
            }
            // A run ends before `..`: a dotted leader (`depth.....0`) or an ellipsis
            // separates a name from its value.
            if c[i] == b'.' && c.get(i + 1) == Some(&b'.') {
                let dots = c[i..].iter().take_while(|&&b| b == b'.').count();
                self.out.extend_from_slice(&c[i..i + dots]);
                i += dots;
                continue;
            }
            let mut j = i + 1;
            while j < n && class(c[j]) & RUN != 0 && !(c[j] == b'.' && c.get(j + 1) == Some(&b'.'))
            {
                j += 1;
            }
            let run = &c[i..j];
            let var = run_is_var(run) || is_variable_word(run);
            if !var && j < n && is_key(run) {
                let sep = c[j];
                if sep == b'=' {
                    // `key=value`: the value is a variable whatever it looks like
                    // (`state=running`), unless it is empty (`logname=`).
                    self.out.extend_from_slice(run);
                    self.out.push(sep);
                    let end = value_end(c, j + 1);
                    let value = &c[j + 1..end];
                    if value.len() >= 2 && class(value[0]) == QUOTE && value.ends_with(&value[..1])
                    {
                        // `tag="a b"` → `tag="<*>"`.
                        self.out.push(value[0]);
                        self.out.extend_from_slice(VAR);
                        self.out.push(value[0]);
                    } else if !value.is_empty() {
                        self.out.extend_from_slice(VAR);
                    }
                    i = end;
                    continue;
                }
                if sep == b':' && (i == 0 || c[i - 1] != b':') {
                    // `key:value`: only a value that is a variable on its own (a
                    // path, an address); `action:android.intent.action.SCREEN_ON`
                    // is often an enumeration.
                    let end = value_end(c, j + 1);
                    if end > j + 1 && whole_var(&c[j + 1..end]) {
                        self.out.extend_from_slice(run);
                        self.out.push(sep);
                        self.out.extend_from_slice(VAR);
                        i = end;
                        continue;
                    }
                }
            }
            self.out.extend_from_slice(if var { VAR } else { run });
            i = j;
        }
    }
}

/// Whether a core is one variable as a whole: a number, time, date or IPv4 address
/// (digits and `. : , - + /` only), a path or URL, an IPv6 address, a
/// `host.name:port`, a UUID or a host name.
fn whole_var(c: &[u8]) -> bool {
    let mut seen = 0u16;
    let mut digits = 0usize;
    let mut colons = 0usize;
    for &b in c {
        let k = class(b);
        seen |= k;
        digits += (k == DIGIT) as usize;
        colons += (k == COLON) as usize;
    }
    if seen & !(DIGIT | JOIN | COLON | NUMPUNCT | SLASH) == 0 {
        digits > 0
    } else if seen & SLASH != 0 && is_path_or_url(c) {
        true
    } else if colons >= 2 {
        is_ipv6(c, seen, digits)
    } else if colons == 1 {
        is_host_port(c)
    } else {
        is_uuid(c) || is_domain(c)
    }
}

/// Where the core of a word starts and ends: openers are skipped at the front and
/// closers at the back, but a closer whose opener is inside the core stays.
fn core_bounds(w: &[u8]) -> (usize, usize) {
    let mut a = 0;
    while a < w.len() && matches!(w[a], b'(' | b'[' | b'{' | b'<' | b'"' | b'\'' | b'`') {
        if w[a] == b'<' && w.get(a + 1).is_some_and(u8::is_ascii_digit) {
            // `<1` (less than one) is a number.
            break;
        }
        a += 1;
    }
    let mut b = w.len();
    while b > a {
        let opener = match w[b - 1] {
            b',' | b';' | b':' | b'.' | b'!' | b'?' => None,
            b')' => Some(b'('),
            b']' => Some(b'['),
            b'}' => Some(b'{'),
            b'>' => Some(b'<'),
            q @ (b'"' | b'\'' | b'`') => Some(q),
            _ => break,
        };
        if let Some(o) = opener
            && memchr(o, &w[a..b - 1]).is_some()
        {
            break;
        }
        b -= 1;
    }
    (a, b)
}

/// A word `k="a b c"` continues past spaces to its closing quote: returns the end of
/// the word that holds it (or `j` when the quote is not closed on the line).
fn extend_quoted(line: &[u8], i: usize, j: usize) -> usize {
    let w = &line[i..j];
    let Some(q) = w
        .windows(2)
        .position(|p| p[0] == b'=' && class(p[1]) == QUOTE)
    else {
        return j;
    };
    let quote = w[q + 1];
    if memchr(quote, &w[q + 2..]).is_some() {
        return j;
    }
    let Some(k) = memchr(quote, &line[j..]) else {
        return j;
    };
    let mut e = j + k + 1;
    while e < line.len() && class(line[e]) != SPACE {
        e += 1;
    }
    e
}

/// Where the value that starts at `s` ends: at its closing quote when it is quoted,
/// else at `, ; &` outside brackets or at a closer with no opener in the value.
fn value_end(c: &[u8], s: usize) -> usize {
    if s < c.len() && class(c[s]) == QUOTE {
        return match memchr(c[s], &c[s + 1..]) {
            Some(k) => s + k + 2,
            None => c.len(),
        };
    }
    let mut depth = 0u32;
    for (k, &b) in c[s..].iter().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return s + k;
                }
                depth -= 1;
            }
            b',' | b';' | b'&' if depth == 0 => return s + k,
            _ => {}
        }
    }
    c.len()
}

/// A run that can be a key: starts with a letter or `_`.
fn is_key(run: &[u8]) -> bool {
    class(run[0]) & (ALPHA | HEX) != 0 || run[0] == b'_'
}

/// `/abs/path`, `~/p`, `./p`, `../p`, `C:\p`, `a\b`, `scheme://…`.
fn is_path_or_url(c: &[u8]) -> bool {
    (c[0] == b'/' && c.len() > 1)
        || c.starts_with(b"~/")
        || c.starts_with(b"./")
        || c.starts_with(b"../")
        || memchr(b'\\', c).is_some()
        || memchr::memmem::find(c, b"://").is_some()
}

/// Hex digits, colons and dots only (`fe80::1`, `::ffff:10.0.0.1`), with a digit.
fn is_ipv6(c: &[u8], seen: u16, digits: usize) -> bool {
    digits > 0 && seen & !(DIGIT | HEX | COLON | JOIN) == 0 && memchr(b'_', c).is_none()
}

/// `host.example.com:1234` (a host name by [`is_domain`]; `state.amount:180` is a
/// key and its value).
fn is_host_port(c: &[u8]) -> bool {
    let Some(k) = memchr(b':', c) else {
        return false;
    };
    let (host, port) = (&c[..k], &c[k + 1..]);
    !port.is_empty() && port.len() <= 5 && port.iter().all(u8::is_ascii_digit) && is_domain(host)
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(c: &[u8]) -> bool {
    c.len() == 36
        && c.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => class(b) & (DIGIT | HEX) != 0,
        })
}

#[cfg(test)]
#[path = "mask_tests.rs"]
mod tests;
