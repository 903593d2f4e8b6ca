//! Byte classes, the word scanner, and the fixed-seed hash of masked keys.
//!
//! Every decision the masker makes about a word starts from the union of its bytes'
//! classes, gathered while the word's end is found ([`word_end`]), so classes are
//! bits in a table rather than a chain of `is_ascii_*` calls.

/// `0-9`.
pub const DIGIT: u16 = 1;
/// `a-f A-F`.
pub const HEX: u16 = 1 << 1;
/// Other ASCII letters, and every byte ≥ 0x80 (UTF-8 text is word text).
pub const ALPHA: u16 = 1 << 2;
/// `_ - .`: the joiners inside an identifier run (`blk_-12`, `node-9`, `v1.2`).
pub const JOIN: u16 = 1 << 3;
/// `:`.
pub const COLON: u16 = 1 << 4;
/// `=`.
pub const EQ: u16 = 1 << 5;
/// `/` and `\`.
pub const SLASH: u16 = 1 << 6;
/// `"` `'` and backquote.
pub const QUOTE: u16 = 1 << 7;
/// `, +`: extra punctuation a number-like word may hold (`1,024`, `+0200`).
pub const NUMPUNCT: u16 = 1 << 8;
/// Any other ASCII punctuation.
pub const PUNCT: u16 = 1 << 9;
/// Space, tab, CR and the other ASCII whitespace: word separators.
pub const SPACE: u16 = 1 << 10;
/// `\n`: the end of a message's first line.
pub const LF: u16 = 1 << 11;

/// Bytes that belong to an identifier run.
pub const RUN: u16 = DIGIT | HEX | ALPHA | JOIN;
/// Classes of a plain word: letters, non-ASCII bytes and `_ - .`.
pub const PLAIN: u16 = ALPHA | HEX | JOIN;
/// Classes of a number, time, date or IPv4 address (with a digit).
pub const NUMERIC: u16 = DIGIT | JOIN | COLON | NUMPUNCT | SLASH;

const fn class_of(b: u8) -> u16 {
    match b {
        b'0'..=b'9' => DIGIT,
        b'a'..=b'f' | b'A'..=b'F' => HEX,
        b'g'..=b'z' | b'G'..=b'Z' | 0x80..=0xff => ALPHA,
        b'_' | b'-' | b'.' => JOIN,
        b':' => COLON,
        b'=' => EQ,
        b'/' | b'\\' => SLASH,
        b'"' | b'\'' | b'`' => QUOTE,
        b',' | b'+' => NUMPUNCT,
        b' ' | b'\t' | b'\r' | 0x0b | 0x0c => SPACE,
        b'\n' => LF,
        _ => PUNCT,
    }
}

/// The class of every byte.
pub static CLASS: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = class_of(i as u8);
        i += 1;
    }
    t
};

#[inline(always)]
pub fn class(b: u8) -> u16 {
    CLASS[b as usize]
}

/// The union of the classes of `c`'s bytes (four at a time: one dependency chain per
/// byte would be slower).
pub fn classes(c: &[u8]) -> u16 {
    let mut chunks = c.chunks_exact(4);
    let mut s = 0;
    for q in &mut chunks {
        s |= class(q[0]) | class(q[1]) | class(q[2]) | class(q[3]);
    }
    chunks.remainder().iter().fold(s, |s, &b| s | class(b))
}

/// Where the word that starts at `i` ends (at the next whitespace or `\n`), and the
/// union of its bytes' classes. Eight bytes at a time: one subtraction finds the first
/// byte at or below `b' '` (exactly: only bytes after the first one found can be
/// flagged wrongly, and those are not looked at), and the classes of the bytes before it
/// are ORed without a test per byte — the bytes past it replaced by the chunk's first
/// byte, whose class is in the union anyway — so that no branch depends on a word's
/// length (a loop over the last few bytes mispredicted its exit once a word). The
/// line's last bytes are read as the last 8 bytes of the line, shifted, with `\n`
/// after them.
#[inline(always)]
pub fn word_end(line: &[u8], mut j: usize) -> (usize, u16) {
    let mut seen = 0;
    while let Some(chunk) = line.get(j..j + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap());
        let low = below_space(x);
        if low == 0 {
            seen |= union8(x);
            j += 8;
            continue;
        }
        let k = (low.trailing_zeros() / 8) as usize;
        seen |= union_before(x, k);
        if class(chunk[k]) & (SPACE | LF) != 0 {
            return (j + k, seen);
        }
        // A control character inside the word.
        seen |= class(chunk[k]);
        j += k + 1;
    }
    let n = line.len();
    if j < n && n >= 8 {
        // The last `rest` bytes (1..=7): the line's last 8 bytes, shifted down, with
        // `\n` above them.
        let rest = n - j;
        let last = u64::from_le_bytes(line[n - 8..].try_into().unwrap());
        let shift = 8 * (8 - rest) as u32;
        let x = (last >> shift) | (ONES * b'\n' as u64) << (64 - shift);
        let k = (below_space(x).trailing_zeros() / 8) as usize;
        seen |= union_before(x, k);
        if k == rest || class(line[j + k]) & (SPACE | LF) != 0 {
            return (j + k, seen);
        }
        seen |= class(line[j + k]);
        j += k + 1;
    }
    while j < n {
        let k = class(line[j]);
        if k & (SPACE | LF) != 0 {
            break;
        }
        seen |= k;
        j += 1;
    }
    (j, seen)
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The bytes of `x` at or below `b' '` have their top bit set (and maybe some after
/// the first of them).
#[inline(always)]
fn below_space(x: u64) -> u64 {
    x.wrapping_sub(ONES * 0x21) & !x & (ONES * 0x80)
}

/// The union of the classes of `x`'s 8 bytes.
#[inline(always)]
fn union8(x: u64) -> u16 {
    let b = x.to_le_bytes();
    (class(b[0]) | class(b[1]) | class(b[2]) | class(b[3]))
        | (class(b[4]) | class(b[5]) | class(b[6]) | class(b[7]))
}

/// The union of the classes of `x`'s first `k` bytes (`k` < 8), without a branch.
#[inline(always)]
fn union_before(x: u64, k: usize) -> u16 {
    let keep = (1u64 << (8 * k)) - 1;
    let first = (x & 0xff).wrapping_mul(ONES);
    union8((x & keep) | (first & !keep)) & u16::from(k != 0).wrapping_neg()
}

/// The next word at or after `i`: its start (past whitespace), its end and the union
/// of its bytes' classes, as [`word_end`] gives them; start and end are equal when the
/// line has no more words (at its end or at a `\n`).
#[inline(never)]
pub fn next_word(line: &[u8], mut i: usize) -> (usize, usize, u16) {
    loop {
        let Some(&b) = line.get(i) else {
            return (i, i, 0);
        };
        // Words are mostly one space apart: test for a space before the table.
        if b != b' ' {
            let k = class(b);
            if k & LF != 0 {
                return (i, i, 0);
            }
            if k != SPACE {
                break;
            }
        }
        i += 1;
    }
    let (j, seen) = word_end(line, i);
    (i, j, seen)
}

/// A 64-bit hash of `bytes` that is the same on every run and thread: foldhash's
/// fast hash with a fixed seed. Keys only need to spread well in a hash map and
/// rarely collide (2⁻⁶⁴ per pair); this is not a defence against chosen inputs. No
/// key outlives the run that made it (reports hold masked texts, not keys), so a key
/// may change with the foldhash version or the platform.
///
/// foldhash in place of the multiply-xorshift per 8-byte word hand-written here before:
/// the masker alone on the 64 MiB bench's messages went from 124 to 120 ms (min of 11
/// runs), as foldhash takes 16 bytes per multiply and reads a text's tail without
/// copying it.
#[inline]
pub fn key_hash(bytes: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = foldhash::fast::FixedState::with_seed(0x243f_6a88_85a3_08d3).build_hasher();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(class(b'7'), DIGIT);
        assert_eq!(class(b'e'), HEX);
        assert_eq!(class(b'Z'), ALPHA);
        assert_eq!(class(0xc3), ALPHA);
        assert_eq!(class(b'-'), JOIN);
        assert_eq!(class(b'\t'), SPACE);
        assert_eq!(class(b'#'), PUNCT);
    }

    #[test]
    fn hash_is_fixed() {
        // The same on every thread (workers' keys meet in one map), and apart for
        // near texts, lengths and tails.
        let text = b"Connection to <*> timed out after <*> ms";
        let there = std::thread::spawn(|| key_hash(b"Connection to <*> timed out after <*> ms"));
        assert_eq!(there.join().unwrap(), key_hash(text));
        assert_eq!(key_hash(b""), key_hash(b""));
        assert_ne!(key_hash(b"a"), key_hash(b"b"));
        assert_ne!(key_hash(b"ab"), key_hash(b"ab\0"));
        assert_ne!(key_hash(b"12345678"), key_hash(b"123456780"));
        let mut seen = std::collections::HashSet::new();
        for n in 0..=text.len() {
            assert!(seen.insert(key_hash(&text[..n])), "prefix {n} collides");
        }
    }
}
