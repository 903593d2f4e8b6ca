//! Masking one message: tokens that are clearly variables become `<*>`, and the
//! masked token sequence is hashed into the message's key.
//!
//! The message (its first line) is split at whitespace into words, and each word is
//! decided on its own, from the classes of its bytes (`class.rs`) gathered while its
//! end is found — no regex cascade, no allocation once the output buffer has grown:
//!
//! 1. Openers and closers around the word (`( [ { < "`, `) ] } > " , ; : . !`) are
//!    kept as they are and the core between them is decided; a closer that matches an
//!    opener inside the core stays in the core (`mice.c(3)]:` → core `mice.c(3)`).
//! 2. A core of letters and `_ - .` is text, except booleans, month and weekday names
//!    and host names with a known top-level domain (`words.rs`).
//! 3. A core that is a number, time, date or IPv4[:port] (digits and `. : , - + /`), a
//!    path or URL, an IPv6 address, a `host.name:port` or a UUID is one variable.
//! 4. Otherwise the core is read as runs of identifier bytes and punctuation: a run
//!    holding a number piece is one variable as a whole (`blk_-12`, `node-9`,
//!    `v6.1.7601`, `38ms`); in `key=value` the value is a variable whatever it is, up
//!    to `, ; &` or an unmatched closer (`key="a b"` is one value even with spaces, and
//!    an empty `key=` has a value too); in `key:value` only a value that is a variable
//!    by 3 (`path:/var/x`, not `action:SCREEN_ON`, often an enumeration).
//!
//! Then, across words: a unit after a variable (`ms`, `KB`, `bytes`, `%`) and a `(<*>)`
//! or `()` after a variable are absorbed into it, and variables side by side join, so
//! `took 12 ms`, `took 1.2 s` and `IRQs (3 4 5 12)` each have one shape whatever the
//! values.
//!
//! Why these rules, and what each was worth on LogHub, is in the research note
//! (headers-and-templates §2); `tests/loghub_templates.rs` measures the result.
//!
//! Speed (the budget is about 200 ns for a 100-byte message, measured by
//! `benches/templates.rs`): output that is the input as it was — plain words, keys —
//! is not copied word by word but as whole spans when something is masked; plain
//! words, numbers and simple `key=value` words take shortcuts that give exactly what
//! the general path gives (a property test holds them to it); and a message whose
//! first words are an earlier message's takes over the state masking them left
//! (`memo.rs`).

use super::class::{
    ALPHA, COLON, DIGIT, EQ, HEX, JOIN, LF, NUMERIC, NUMPUNCT, PLAIN, PUNCT, QUOTE, RUN, SLASH,
    SPACE, class, classes, key_hash, next_word, word_end,
};
use super::memo::{Memo, Snap};
use super::words::{is_domain, is_unit, is_variable_word, run_is_var, whole_var};

/// What a masked variable is written as.
pub const VAR: &[u8] = b"<*>";

/// How many bytes of a message are masked, at most.
pub const MAX_MESSAGE: usize = 4096;

/// Reusable scratch; masking a message allocates nothing once warmed up.
#[derive(Clone, Debug, Default)]
pub struct Masker {
    out: Vec<u8>,
    /// Where the last token written to `out` starts.
    tok: usize,
    /// Whether the token before it ends with `<*>` (so that `settle` rarely has to
    /// look back).
    before_var: bool,
    /// Plain words not yet copied to `out`: a span of the message (start, end, start
    /// of its last word) where they are separated by single spaces. Most words are
    /// plain and most gaps one space, so a message is mostly copied in a few pieces
    /// rather than word by word.
    pending: (usize, usize, usize),
    /// The starts of earlier messages and the state masking them reached
    /// (`memo.rs`): a message that starts the same way resumes from there.
    memo: Memo,
    /// Tests: take the general path for every word, to check the shortcuts against.
    #[cfg(test)]
    general: bool,
}

impl Masker {
    pub fn new() -> Masker {
        Masker {
            out: Vec::with_capacity(256),
            tok: 0,
            before_var: false,
            pending: (0, 0, 0),
            memo: Memo::default(),
            #[cfg(test)]
            general: false,
        }
    }

    /// Tokenises and masks one message (bytes, may be invalid UTF-8; only its first
    /// line matters — it stops at the first `\n` — and at most its first
    /// [`MAX_MESSAGE`] bytes), and returns its key: a 64-bit hash of the masked token
    /// sequence, stable across runs, threads and platforms (fixed-seed hash).
    #[inline(never)]
    pub fn mask(&mut self, msg: &[u8]) -> u64 {
        self.out.clear();
        self.tok = 0;
        self.before_var = false;
        self.pending = (0, 0, 0);
        // The line ends at the first `\n`: its class stops both loops. Past
        // `MAX_MESSAGE` bytes nothing tells templates apart any more, and a key must
        // not grow with a 100 MB line.
        let line = &msg[..msg.len().min(MAX_MESSAGE)];
        let mut i = 0;
        #[cfg(test)]
        let memo = !self.general;
        #[cfg(not(test))]
        let memo = true;
        if memo && let Some((snap, out)) = self.memo.find(line) {
            self.out.extend_from_slice(out);
            self.tok = snap.tok as usize;
            self.before_var = snap.before_var;
            let (a, b, last) = snap.pending;
            self.pending = (a as usize, b as usize, last as usize);
            i = snap.pos as usize;
        }
        loop {
            if self.memo.recording() && i > 0 {
                let (a, b, last) = self.pending;
                self.memo.snap(Snap {
                    pos: i as u32,
                    out: self.out.len() as u32,
                    tok: self.tok as u32,
                    before_var: self.before_var,
                    pending: (a as u32, b as u32, last as u32),
                });
            }
            // The next word, past the whitespace before it (one call per word).
            let (start, mut j, seen) = next_word(line, i);
            if start == j {
                break;
            }
            i = start;
            #[cfg(test)]
            if self.general {
                if seen & EQ != 0 && seen & QUOTE != 0 {
                    j = self.extend_quoted(line, i, j);
                }
                self.word(&line[i..j], seen);
                i = j;
                continue;
            }
            if seen & !PLAIN == 0 && self.plain(line, i, j, seen) {
                i = j;
                continue;
            }
            // Two shapes common enough for a path of their own, each giving what
            // `word` would: a number (`200`, `12.5,`, `10.0.0.1:80`), and `key=value`
            // with a plain key and no punctuation that `word` would read.
            if seen & !NUMERIC == 0 && seen & DIGIT != 0 {
                self.flush(line);
                self.number(&line[i..j]);
                i = j;
                continue;
            }
            if seen & EQ != 0
                && let Some(end) = self.key_value(line, i, j, seen)
            {
                i = end;
                continue;
            }
            if seen & EQ != 0 && seen & QUOTE != 0 {
                j = self.extend_quoted(line, i, j);
            }
            self.flush(line);
            self.word(&line[i..j], seen);
            i = j;
        }
        self.flush(line);
        self.memo.store(line, &self.out);
        key_hash(&self.out)
    }

    /// The masked text of the last [`mask`](Masker::mask) call: tokens joined by
    /// single spaces, variables as `<*>`.
    pub fn masked(&self) -> &[u8] {
        &self.out
    }

    /// Takes the plain word `line[i..j]` into the pending span when it is text, as
    /// [`word`](Masker::word) would write it; returns false when it is not (a month
    /// name, a host name, a unit after a variable).
    fn plain(&mut self, line: &[u8], i: usize, j: usize, seen: u16) -> bool {
        let w = &line[i..j];
        // Most words do not end with `.`: no scan back for the core's end.
        let core = if w[w.len() - 1] != b'.' {
            w
        } else {
            match w.iter().rposition(|&b| b != b'.') {
                Some(k) => &w[..=k],
                None => return false,
            }
        };
        let (a, b, _) = self.pending;
        if is_variable_word(core)
            || (seen & JOIN != 0 && is_domain(core))
            || (a == b && self.out.ends_with(VAR) && is_unit(core))
        {
            return false;
        }
        self.keep(line, i, j);
        true
    }

    /// Takes `line[i..j]` (text to keep as it is, starting a token) into the pending
    /// span.
    #[inline(always)]
    fn keep(&mut self, line: &[u8], i: usize, j: usize) {
        let (a, b, _) = self.pending;
        if b > a && i == b + 1 && line[b] == b' ' {
            self.pending = (a, j, i);
        } else {
            self.flush(line);
            self.pending = (i, j, i);
        }
    }

    /// A word of digits and `. : , - + /` with a digit: one variable, and the
    /// punctuation `word` would keep after it.
    fn number(&mut self, w: &[u8]) {
        let end = w.len()
            - w.iter()
                .rev()
                .take_while(|&&b| matches!(b, b',' | b':' | b'.'))
                .count();
        self.begin();
        self.out.extend_from_slice(VAR);
        if end < w.len() {
            self.out.extend_from_slice(&w[end..]);
        }
        self.settle();
    }

    /// `key=value` where the key is letters and `_ - .` and the value is quoted
    /// (`key="a b"`, to its closing quote) or holds no punctuation that
    /// [`pieces`](Masker::pieces) would act on: writes `key=<*>` or `key="<*>"` as
    /// `word` would, and returns where the word ends. `None`, having done nothing,
    /// for any other word.
    fn key_value(&mut self, line: &[u8], i: usize, j: usize, seen: u16) -> Option<usize> {
        let w = &line[i..j];
        if class(w[0]) & (ALPHA | HEX) == 0 && w[0] != b'_' {
            return None;
        }
        let mut k = 1;
        while k < w.len() {
            let c = class(w[k]);
            if c & (ALPHA | HEX | JOIN) == 0 {
                break;
            }
            if c == JOIN && w[k] == b'.' && w.get(k + 1) == Some(&b'.') {
                return None;
            }
            k += 1;
        }
        if k + 1 >= w.len() || w[k] != b'=' {
            return None;
        }
        let quote = w[k + 1];
        if class(quote) == QUOTE {
            // To the closing quote on this line, then to the end of the word, which
            // may only be punctuation that `word` keeps after the token.
            let open = i + k + 1;
            // Not closed on the line: that depended on the rest of the line.
            let Some(close) = memchr::memchr2(quote, b'\n', &line[open + 1..]) else {
                self.memo.taint();
                return None;
            };
            let close = open + 1 + close;
            if line[close] != quote {
                self.memo.taint();
                return None;
            }
            let (end, _) = word_end(line, close + 1);
            let rest = &line[close + 1..end];
            if !rest
                .iter()
                .all(|&b| matches!(b, b',' | b';' | b':' | b'.' | b'!' | b'?'))
            {
                return None;
            }
            self.keep(line, i, open);
            self.flush(line);
            self.out.push(quote);
            self.out.extend_from_slice(VAR);
            self.out.push(quote);
            self.out.extend_from_slice(rest);
            return Some(end);
        }
        if seen & (PUNCT | QUOTE | NUMPUNCT) != 0 {
            return None;
        }
        // The value, without the `.` and `:` that `word` keeps after the token.
        let end = w.len()
            - w.iter()
                .rev()
                .take_while(|&&b| matches!(b, b':' | b'.'))
                .count();
        if k + 1 >= end {
            return None;
        }
        self.keep(line, i, i + k + 1);
        self.flush(line);
        self.out.extend_from_slice(VAR);
        if end < w.len() {
            self.out.extend_from_slice(&w[end..]);
        }
        Some(j)
    }

    /// Copies the pending plain words to `out` (the test inline, the copy not: most
    /// calls find nothing pending).
    #[inline(always)]
    fn flush(&mut self, line: &[u8]) {
        let (a, b, _) = self.pending;
        if b > a {
            self.flush_pending(line);
        }
    }

    #[inline(never)]
    fn flush_pending(&mut self, line: &[u8]) {
        let (a, b, last) = self.pending;
        let at = if self.out.is_empty() {
            self.out.extend_from_slice(&line[a..b]);
            0
        } else if a > 0 && line[a - 1] == b' ' {
            // The space before the words is in the line: one copy.
            self.out.extend_from_slice(&line[a - 1..b]);
            self.out.len() - (b - a)
        } else {
            self.out.push(b' ');
            self.out.extend_from_slice(&line[a..b]);
            self.out.len() - (b - a)
        };
        self.tok = at + (last - a);
        self.pending = (0, 0, 0);
    }

    /// Masks one word (`seen`: the union of its bytes' classes) into one token, or
    /// into none when it is absorbed by the variable before it.
    fn word(&mut self, w: &[u8], seen: u16) {
        let (a, b) = core_bounds(w);
        let (pre, core, suf) = (&w[..a], &w[a..b], &w[b..]);
        if pre.is_empty() && self.out.ends_with(VAR) && is_unit(core) {
            // `12 ms,` → `<*>,`: the unit goes, its punctuation stays.
            self.out.extend_from_slice(suf);
            self.settle();
            return;
        }
        self.begin();
        if !pre.is_empty() {
            self.out.extend_from_slice(pre);
        }
        // The core's classes: the word's, unless something was cut off.
        let seen = if pre.is_empty() && suf.is_empty() {
            seen
        } else {
            classes(core)
        };
        if core.is_empty() {
            // All punctuation (`-`, `...`): text.
        } else if seen & !PLAIN == 0 {
            // Letters and `_ - .`: only a few of them are variables.
            if is_variable_word(core) || (seen & JOIN != 0 && is_domain(core)) {
                self.out.extend_from_slice(VAR);
            } else {
                self.out.extend_from_slice(core);
            }
        } else {
            self.core(core, seen);
        }
        if !suf.is_empty() {
            self.out.extend_from_slice(suf);
        }
        self.settle();
    }

    /// Starts a token in `out`.
    fn begin(&mut self) {
        self.before_var = self.out.ends_with(VAR);
        if !self.out.is_empty() {
            self.out.push(b' ');
        }
        self.tok = self.out.len();
    }

    /// Joins the last token with the one before when both are parts of one variable:
    /// `<*> <*>` → `<*>`, `<*> (<*>)` and `<*> ()` → `<*>`, `<*> <*>)` → `<*>)`,
    /// `(<*> <*>` → `(<*>`. So a list of numbers has one shape whatever its length.
    #[inline(always)]
    fn settle(&mut self) {
        // Mostly there is no variable before the token: nothing to join.
        if self.before_var && self.tok > 0 {
            self.join();
        }
    }

    #[inline(never)]
    fn join(&mut self) {
        loop {
            let start = self.tok;
            let tok = &self.out[start..];
            if start == 0 || !self.before_var || !(tok.starts_with(VAR) || tok.starts_with(b"(")) {
                return;
            }
            let before_is_var = start >= 4
                && &self.out[start - 4..start - 1] == VAR
                && (start == 4 || self.out[start - 5] == b' ');
            // From the second pass on, the token may hold text an earlier step wrote
            // (`(<*>` then `<*>)` after a variable): the memo's states past it go.
            self.memo.cut(start - 1);
            if before_is_var && (tok == b"(<*>)" || tok == b"()") {
                self.out.truncate(start - 1);
            } else if tok.starts_with(VAR) {
                // Two variables side by side are one.
                self.out.drain(start - 1..start + VAR.len());
            } else {
                return;
            }
            // The joined token starts where the one before did; look back for it and
            // for what precedes it (rare: only when variables meet).
            let prev = self.out[..start - 1]
                .iter()
                .rposition(|&b| b == b' ')
                .map_or(0, |k| k + 1);
            self.tok = prev;
            self.before_var = prev > 0 && self.out[..prev - 1].ends_with(VAR);
        }
    }

    /// Masks a core that is not only letters (`seen`: its classes).
    fn core(&mut self, c: &[u8], seen: u16) {
        // A number, time, date or IPv4 address, a path, URL, IPv6, `host:port`, UUID
        // or host name. A core with `=` and no slash is `key=value`, none of these.
        let numeric = seen & !NUMERIC == 0 && seen & DIGIT != 0;
        let maybe = seen & (SLASH | COLON | JOIN) != 0 && seen & (EQ | SLASH) != EQ;
        if numeric || (maybe && whole_var(c, seen)) {
            self.out.extend_from_slice(VAR);
            return;
        }
        if seen & !RUN == 0 && !c.windows(2).any(|p| p == b"..") {
            // One identifier run (`4ms`, `node-9`, `eth0`): what `pieces` would do.
            let var = run_is_var(c);
            self.out.extend_from_slice(if var { VAR } else { c });
            return;
        }
        let at = self.out.len();
        let (var, text) = self.pieces(c);
        if var && !text {
            // `#3#`, `<1`, `[4]/[8]`: only variables and punctuation — one variable.
            self.out.truncate(at);
            self.out.extend_from_slice(VAR);
        }
    }

    /// Masks a core run by run: identifier runs with a number piece, and the values of
    /// `key=value` and `key:value`; punctuation is kept. Returns whether it wrote a
    /// variable, and whether it wrote any letters or digits.
    fn pieces(&mut self, c: &[u8]) -> (bool, bool) {
        let (mut var, mut text) = (false, false);
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
            let mut seen = 0;
            let mut j = i;
            while j < n {
                let k = class(c[j]);
                if k & RUN == 0 || (k == JOIN && c[j] == b'.' && c.get(j + 1) == Some(&b'.')) {
                    break;
                }
                seen |= k;
                j += 1;
            }
            let run = &c[i..j];
            let numbered = seen & DIGIT != 0 && run_is_var(run);
            if !numbered && j < n && is_key(run) {
                let sep = c[j];
                if sep == b'=' {
                    // `key=value`: the value is a variable whatever it looks like
                    // (`state=running`), even empty (`logname=`).
                    self.out.extend_from_slice(run);
                    self.out.push(sep);
                    text = true;
                    let end = value_end(c, j + 1);
                    let value = &c[j + 1..end];
                    if value.len() >= 2 && class(value[0]) == QUOTE && value.ends_with(&value[..1])
                    {
                        // `tag="a b"` → `tag="<*>"`.
                        self.out.push(value[0]);
                        self.out.extend_from_slice(VAR);
                        self.out.push(value[0]);
                    } else {
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
                    let value = &c[j + 1..end];
                    if !value.is_empty() && whole_var(value, classes(value)) {
                        self.out.extend_from_slice(run);
                        self.out.push(sep);
                        self.out.extend_from_slice(VAR);
                        text = true;
                        i = end;
                        continue;
                    }
                }
            }
            let is_var = numbered || (seen & (DIGIT | JOIN) == 0 && is_variable_word(run));
            if is_var {
                self.out.extend_from_slice(VAR);
                var = true;
            } else {
                self.out.extend_from_slice(run);
                text |= seen & (DIGIT | HEX | ALPHA) != 0;
            }
            i = j;
        }
        (var, text)
    }

    /// A word `k="a b c"` continues past spaces to its closing quote: returns the end of
    /// the word that holds it (or `j` when the quote is not closed on the line).
    fn extend_quoted(&mut self, line: &[u8], i: usize, j: usize) -> usize {
        let w = &line[i..j];
        let Some(q) = w
            .windows(2)
            .position(|p| p[0] == b'=' && class(p[1]) == QUOTE)
        else {
            return j;
        };
        let quote = w[q + 1];
        if w[q + 2..].contains(&quote) {
            return j;
        }
        // The closing quote, on this line (not finding it depends on the rest of the
        // line).
        let Some(k) = memchr::memchr2(quote, b'\n', &line[j..]) else {
            self.memo.taint();
            return j;
        };
        if line[j + k] != quote {
            self.memo.taint();
            return j;
        }
        let mut e = j + k + 1;
        while e < line.len() && class(line[e]) & (SPACE | LF) == 0 {
            e += 1;
        }
        e
    }
}

/// Where the core of a word starts and ends: openers are skipped at the front and
/// closers at the back, but a closer whose opener is inside the core stays.
fn core_bounds(w: &[u8]) -> (usize, usize) {
    // Most words start with a letter or digit and end with one.
    if class(w[0]) & (PUNCT | QUOTE) == 0
        && class(w[w.len() - 1]) & (PUNCT | QUOTE | NUMPUNCT | JOIN | COLON) == 0
    {
        return (0, w.len());
    }
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
            && w[a..b - 1].contains(&o)
        {
            break;
        }
        b -= 1;
    }
    (a, b)
}

/// Where the value that starts at `s` ends: at its closing quote when it is quoted,
/// else at `, ; &` outside brackets or at a closer with no opener in the value.
fn value_end(c: &[u8], s: usize) -> usize {
    if s < c.len() && class(c[s]) == QUOTE {
        return match c[s + 1..].iter().position(|&b| b == c[s]) {
            Some(k) => s + k + 2,
            None => c.len(),
        };
    }
    let mut depth = 0u32;
    let mut k = s;
    while k < c.len() {
        let b = c[k];
        // Only punctuation matters; most bytes are not.
        if class(b) & (PUNCT | NUMPUNCT) != 0 {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return k;
                    }
                    depth -= 1;
                }
                b',' | b';' | b'&' if depth == 0 => return k,
                _ => {}
            }
        }
        k += 1;
    }
    c.len()
}

/// A run that can be a key: starts with a letter or `_`.
fn is_key(run: &[u8]) -> bool {
    class(run[0]) & (ALPHA | HEX) != 0 || run[0] == b'_'
}

#[cfg(test)]
#[path = "mask_tests.rs"]
mod tests;
