//! Shortcuts for reading a header field, learned per input: most headers repeat the
//! same few level words and fixed-width timestamps on every line, so instead of
//! tokenising and classing such a field byte by byte, a line's bytes are compared
//! with what the sample showed, eight at a time.
//!
//! A shortcut only ever says "this field is exactly what tokenising would find, with
//! this class and level"; when it does not match, the field is read the general way
//! (`fields.rs`). That is exact because a word's class and level are a function of its
//! bytes alone (the bytes up to the first stop byte): two words with the same bytes
//! get the same class. A *shape* fixes some bytes and leaves others free to be any
//! digit; every word of that shape has the same length, the same byte classes, and the
//! same bytes wherever it has no digit, which is all the class of a word with a digit
//! in it depends on (such a word is never a level word, month or weekday).

use super::fields::{Class, Fields, HIGHS, ONES, field_at, is_stop};
use crate::parse::Level;

/// Fields longer than this get no shape.
const MAX_SHAPE: usize = 32;
/// Known words: at most this many per field, each at most [`MAX_WORD`] bytes.
const MAX_WORDS: usize = 8;
/// A known word and the stop byte after it fit in one eight-byte load.
const MAX_WORD: usize = 7;
/// A vocabulary holds at most this many words, each shorter than [`MAX_VOCAB_WORD`]
/// bytes, and no more than a quarter as many as the sample has lines (its words recur).
const MAX_VOCAB: usize = 64;
const MAX_VOCAB_WORD: usize = 32;
/// The bytes from a field's start that a shortcut reads: a shape and the byte after
/// it, a vocabulary word and the byte after it, a known word and the byte after it.
const WINDOW: usize = MAX_SHAPE + 1;
const _: () = assert!(MAX_VOCAB_WORD < WINDOW && MAX_WORD < 8);
/// Share of the exactly fitting sample lines a shortcut must cover to be kept.
const MIN_SHARE: f64 = 0.5;

/// How to read one schema field quickly.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(super) enum Shortcut {
    /// Always the general way.
    #[default]
    None,
    /// A fixed-width word of given and digit bytes (`2026-11-28T13:04:05.123Z`).
    Shape(Box<Shape>),
    /// One of a few short words (`INFO`, `WARN`, `-`).
    Words(Box<[Word]>),
    /// One of the words the sample showed there, shorter than [`MAX_VOCAB_WORD`] bytes
    /// (`[api-7f9c]`, `checkout.PaymentClient`).
    Vocab(Box<Vocab>),
}

/// A fixed-width word of given bytes and digits, as per-chunk constants: a chunk `x`
/// of the record fits when every byte of `(x ^ flip) & care` is at most its limit (0
/// for a given byte, 9 for a digit), which `+ add` (`0x7f` minus the limit) tests in
/// every byte's high bit at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Shape {
    len: usize,
    flip: [u64; MAX_SHAPE / 8],
    care: [u64; MAX_SHAPE / 8],
    add: [u64; MAX_SHAPE / 8],
    level: Level,
}

/// A known word: its bytes (little-endian, zero-padded), a mask of its length, and its
/// level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Word {
    value: u64,
    mask: u64,
    len: usize,
    level: Level,
}

/// Known words in an open-addressing hash table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Vocab {
    /// A power of two long, at most a quarter full: a word is in the slot its hash
    /// names or, when that was taken, in the next free one after it.
    slots: Box<[Slot]>,
    /// The hash's multiplier: of a few tried, the one that leaves the fewest words
    /// away from their own slot.
    mul: u64,
}

/// A known word: its bytes (zero-padded, as [`key_at`] reads them), its length and
/// its level. An empty slot's length is [`EMPTY`], which no word read has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    words: [u64; MAX_VOCAB_WORD / 8],
    len: u8,
    level: Level,
}

const EMPTY: u8 = u8::MAX;

impl Slot {
    const EMPTY: Slot = Slot {
        words: [0; MAX_VOCAB_WORD / 8],
        len: EMPTY,
        level: Level::Unknown,
    };

    /// This slot's level when it holds `key`. An empty word (length 0) is in no slot:
    /// no known word is empty.
    #[inline(always)]
    fn holds(&self, (len, w): &Key) -> Option<Level> {
        let diff = (self.words[0] ^ w[0])
            | (self.words[1] ^ w[1])
            | (self.words[2] ^ w[2])
            | (self.words[3] ^ w[3]);
        (diff == 0 && usize::from(self.len) == *len).then_some(self.level)
    }
}

/// A word shorter than [`MAX_VOCAB_WORD`] bytes: its length and its bytes, zero-padded.
type Key = (usize, [u64; MAX_VOCAB_WORD / 8]);

impl Shortcut {
    /// The field that starts at `start` (past its blanks) when this shortcut knows it:
    /// its end and level (its class is the schema's). `None`: read it the general way.
    ///
    /// The shortcuts read a fixed window of the record, so one bounds check serves
    /// them all; near the record's end they read its last bytes padded with blanks
    /// (the record's end stops a word as a blank does). (callgrind, `count -j1 --by
    /// level` on the generator's plain log, whose five header fields all have
    /// shortcuts: the parser went from 662 to 635 instructions per record with the
    /// window and [`Shape::read`]'s four chunks.)
    #[inline(always)]
    pub(super) fn read(&self, rec: &[u8], start: usize) -> Option<(usize, Level)> {
        if let Shortcut::None = self {
            return None;
        }
        let rest = rec.get(start..)?;
        let (len, level) = match rest.first_chunk() {
            Some(w) => self.read_window(w)?,
            None => self.read_short(rest)?,
        };
        Some((start + len, level))
    }

    #[cold]
    #[inline(never)]
    fn read_short(&self, rest: &[u8]) -> Option<(usize, Level)> {
        let mut w = [b' '; WINDOW];
        w[..rest.len()].copy_from_slice(rest);
        self.read_window(&w)
    }

    /// The length and level of the field at the window's start.
    #[inline(always)]
    fn read_window(&self, w: &[u8; WINDOW]) -> Option<(usize, Level)> {
        match self {
            Shortcut::None => None,
            Shortcut::Shape(s) => s.read(w),
            Shortcut::Words(words) => read_words(words, w),
            Shortcut::Vocab(v) => v.read(w),
        }
    }
}

/// The `j`th eight bytes of a window.
#[inline(always)]
fn chunk(w: &[u8; WINDOW], j: usize) -> u64 {
    u64::from_le_bytes(w[8 * j..8 * j + 8].try_into().unwrap())
}

impl Shape {
    /// All four chunks are compared, without branching on the shape's length: those
    /// past its end care about no byte. (Choosing 1–4 chunks by length instead cost
    /// the parser 31 more instructions per record in the measurement above.)
    #[inline(always)]
    fn read(&self, w: &[u8; WINDOW]) -> Option<(usize, Level)> {
        // The word must end where the shape does: at a stop byte or the record's end.
        if !is_stop(w[self.len]) {
            return None;
        }
        let mut bad = 0;
        for j in 0..MAX_SHAPE / 8 {
            let y = (chunk(w, j) ^ self.flip[j]) & self.care[j];
            // No carry: `(y & !HIGHS) + add` stays below 0x100 in every byte.
            bad |= (((y & !HIGHS) + self.add[j]) | y) & HIGHS;
        }
        (bad == 0).then_some((self.len, self.level))
    }
}

#[inline(always)]
fn read_words(words: &[Word], w: &[u8; WINDOW]) -> Option<(usize, Level)> {
    let x = chunk(w, 0);
    for word in words {
        if x & word.mask == word.value && is_stop((x >> (8 * word.len)) as u8) {
            return Some((word.len, word.level));
        }
    }
    None
}

impl Vocab {
    /// Multipliers tried for the hash (odd multiples of the golden ratio's bits).
    const MULS: u64 = 16;

    /// One probe and one comparison for a known word, almost always: the table is at
    /// most a quarter full, and its multiplier was picked to keep words in their own
    /// slot; further probes are out of line. Comparing with XORs keeps the key in
    /// registers. (callgrind, `count -j1 --by level` on the generator's plain log,
    /// whose thread and logger are read this way: with [`Shape::read`] inlined, the
    /// parser went from 687 to 662 instructions per record; this read out of line
    /// cost 41 more.)
    #[inline(always)]
    fn read(&self, w: &[u8; WINDOW]) -> Option<(usize, Level)> {
        let key = key_at(w)?;
        let h = self.hash(&key) & (self.slots.len() - 1);
        match self.slots[h].holds(&key) {
            Some(level) => Some((key.0, level)),
            None => self.probe(key, h).map(|level| (key.0, level)),
        }
    }

    /// The slots after `h`, for a word not in its own slot.
    #[cold]
    #[inline(never)]
    fn probe(&self, key: Key, mut h: usize) -> Option<Level> {
        let mask = self.slots.len() - 1;
        while self.slots[h].len != EMPTY {
            h = (h + 1) & mask;
            if let Some(level) = self.slots[h].holds(&key) {
                return Some(level);
            }
        }
        None
    }

    #[inline(always)]
    fn hash(&self, (len, x): &Key) -> usize {
        let h = x[0] ^ x[1].rotate_left(23) ^ x[2].rotate_left(41) ^ *len as u64;
        (h.wrapping_mul(self.mul) >> 40) as usize
    }

    fn new(words: &[(&[u8], Level)]) -> Vocab {
        let keys: Vec<(Key, Level)> = words
            .iter()
            .map(|&(w, level)| {
                let mut padded = [b' '; WINDOW];
                padded[..w.len()].copy_from_slice(w);
                (key_at(&padded).unwrap(), level)
            })
            .collect();
        let size = (4 * words.len()).next_power_of_two().max(8);
        let mut best: Option<(usize, Vocab)> = None;
        for i in 0..Self::MULS {
            let mut v = Vocab {
                slots: vec![Slot::EMPTY; size].into(),
                mul: 0x9e37_79b9_7f4a_7c15u64.wrapping_mul(2 * i + 1),
            };
            let mut away = 0;
            for &((len, words), level) in &keys {
                let mut h = v.hash(&(len, words)) & (size - 1);
                while v.slots[h].len != EMPTY {
                    h = (h + 1) & (size - 1);
                    away += 1;
                }
                v.slots[h] = Slot {
                    words,
                    len: len as u8,
                    level,
                };
            }
            if best.as_ref().is_none_or(|(a, _)| away < *a) {
                best = Some((away, v));
            }
            if away == 0 {
                break;
            }
        }
        best.expect("at least one multiplier").1
    }
}

/// The word at the window's start as a vocabulary key: `None` when it is not shorter
/// than [`MAX_VOCAB_WORD`] or a control byte is in it.
#[inline(always)]
fn key_at(bytes: &[u8; WINDOW]) -> Option<Key> {
    let (x0, x1, x2, x3) = (
        chunk(bytes, 0),
        chunk(bytes, 1),
        chunk(bytes, 2),
        chunk(bytes, 3),
    );
    // The word ends at its first byte below 0x21 when that is a stop byte. (A `|`
    // ends it too, but no known word holds one: a word cut there is not known.)
    let low = |x: u64| x.wrapping_sub(ONES * 0x21) & !x & HIGHS;
    let at = |base: usize, s: u64| base + (s.trailing_zeros() / 8) as usize;
    let len = if low(x0) != 0 {
        at(0, low(x0))
    } else if low(x1) != 0 {
        at(8, low(x1))
    } else if low(x2) != 0 {
        at(16, low(x2))
    } else if low(x3) != 0 {
        at(24, low(x3))
    } else {
        return None;
    };
    if !is_stop(bytes[len]) {
        return None;
    }
    let keep = &KEEP[len];
    Some((
        len,
        [x0 & keep[0], x1 & keep[1], x2 & keep[2], x3 & keep[3]],
    ))
}

/// `KEEP[n]`: masks of the first `n` bytes of four eight-byte chunks.
const KEEP: [[u64; MAX_VOCAB_WORD / 8]; MAX_VOCAB_WORD] = {
    let mut k = [[0; MAX_VOCAB_WORD / 8]; MAX_VOCAB_WORD];
    let mut n = 0;
    while n < MAX_VOCAB_WORD {
        let mut j = 0;
        while j < MAX_VOCAB_WORD / 8 {
            k[n][j] = if n >= 8 * (j + 1) {
                u64::MAX
            } else if n > 8 * j {
                (1 << (8 * (n - 8 * j))) - 1
            } else {
                0
            };
            j += 1;
        }
        n += 1;
    }
    k
};

/// Learns a shortcut for each schema field (`cls`) from the sample lines that fit the
/// schema exactly.
pub(super) fn learn(cls: &[Class], exact: &[&[u8]]) -> Vec<Shortcut> {
    (0..cls.len())
        .map(|i| {
            // The field's words, and whether each is a bracket group.
            let fields: Vec<(&[u8], bool)> = exact
                .iter()
                .filter_map(|l| {
                    let (f, c) = Fields::new(l).get(i)?;
                    (c == cls[i]).then(|| (f.text(l), f.group))
                })
                .collect();
            let words: Vec<&[u8]> = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
            learn_shape(cls[i], &words, exact.len())
                .map(|s| Shortcut::Shape(Box::new(s)))
                .or_else(|| learn_words(cls[i], &words, exact.len()).map(Shortcut::Words))
                .or_else(|| learn_vocab(cls[i], &fields, exact.len()).map(Shortcut::Vocab))
                .unwrap_or_default()
        })
        .collect()
}

/// How `text` reads on its own, when it is one whole field there: its class and
/// level, and whether it is a bracket group.
fn read_alone(text: &[u8]) -> Option<(Class, Level, bool)> {
    let (f, c, l) = field_at(text, 0, *text.first()?);
    (f.start == 0 && f.end as usize == text.len()).then_some((c, l, f.group))
}

/// Could tokenising treat a word starting with `b` specially (a group, a lone `|`)?
fn special_start(b: u8) -> bool {
    matches!(b, b'[' | b'(' | b'|')
}

fn learn_shape(class: Class, texts: &[&[u8]], lines: usize) -> Option<Shape> {
    // The most common length, and the texts of that length.
    let mut lens: Vec<usize> = texts.iter().map(|t| t.len()).collect();
    lens.sort_unstable();
    let len = lens
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())?
        .first()
        .copied()?;
    let same: Vec<&[u8]> = texts.iter().copied().filter(|t| t.len() == len).collect();
    if len == 0 || len > MAX_SHAPE || (same.len() as f64) < MIN_SHARE * lines as f64 {
        return None;
    }
    let mut shape = Shape {
        len,
        flip: [0; MAX_SHAPE / 8],
        care: [0; MAX_SHAPE / 8],
        add: [ONES * 0x7f; MAX_SHAPE / 8],
        level: Level::Unknown,
    };
    let mut any_digit = false;
    for p in 0..len {
        let b = same[0][p];
        let (j, shift) = (p / 8, 8 * (p % 8));
        shape.care[j] |= 0xff << shift;
        // A digit where the sample has only digits, even always the same one (the
        // sample may span a minute of a file that spans days).
        if same.iter().all(|t| t[p].is_ascii_digit()) {
            shape.flip[j] |= u64::from(b'0') << shift;
            shape.add[j] -= 9 << shift;
            any_digit = true;
        } else if same.iter().all(|t| t[p] == b) {
            if p == 0 && special_start(b) {
                return None;
            }
            shape.flip[j] |= u64::from(b) << shift;
        } else {
            return None;
        }
    }
    // Without a free digit it is one fixed word: a known word, if short enough.
    if !any_digit {
        return None;
    }
    let (c, l, group) = read_alone(same[0])?;
    if c != class || group {
        return None;
    }
    shape.level = l;
    Some(shape)
}

fn learn_words(class: Class, texts: &[&[u8]], lines: usize) -> Option<Box<[Word]>> {
    let mut counts: Vec<(&[u8], usize)> = Vec::new();
    for &t in texts {
        if t.is_empty() || t.len() > MAX_WORD || special_start(t[0]) {
            continue;
        }
        if let Some((_, n)) = counts.iter_mut().find(|(w, _)| *w == t) {
            *n += 1;
        } else if counts.len() < MAX_WORDS {
            counts.push((t, 1));
        } else {
            return None;
        }
    }
    let covered: usize = counts.iter().map(|(_, n)| n).sum();
    if counts.is_empty() || (covered as f64) < MIN_SHARE * lines as f64 {
        return None;
    }
    // The most frequent first; then in byte order, for determinism.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .iter()
        .map(|&(t, _)| {
            let (c, level, group) = read_alone(t)?;
            if group {
                return None;
            }
            let mut value = [0u8; 8];
            value[..t.len()].copy_from_slice(t);
            (c == class).then_some(Word {
                value: u64::from_le_bytes(value),
                mask: u64::MAX >> (8 * (8 - t.len())),
                len: t.len(),
                level,
            })
        })
        .collect()
}

/// A field's words (with whether each is a bracket group) as a vocabulary. Left out:
/// a word starting with `[(|` that is not a closed group (how it reads depends on what
/// follows it), and one holding a blank or control byte (a group may hold blanks; a
/// key ends at the first byte below `!`).
fn learn_vocab(class: Class, fields: &[(&[u8], bool)], lines: usize) -> Option<Box<Vocab>> {
    let mut words: Vec<&[u8]> = Vec::new();
    let mut covered = 0;
    for &(t, group) in fields {
        if t.is_empty()
            || t.len() >= MAX_VOCAB_WORD
            || (!group && special_start(t[0]))
            || t.iter().any(|&b| b <= b' ' || is_stop(b))
        {
            continue;
        }
        covered += 1;
        if !words.contains(&t) {
            if words.len() == MAX_VOCAB.min(lines / 4) {
                return None;
            }
            words.push(t);
        }
    }
    if words.is_empty() || (covered as f64) < MIN_SHARE * lines as f64 {
        return None;
    }
    words.sort_unstable();
    let known: Option<Vec<(&[u8], Level)>> = words
        .iter()
        .map(|&w| {
            let (c, level, _) = read_alone(w)?;
            (c == class).then_some((w, level))
        })
        .collect();
    Some(Box::new(Vocab::new(&known?)))
}

#[cfg(test)]
#[path = "shortcut_tests.rs"]
mod tests;
