//! Resuming a message where an earlier one with the same start left off.
//!
//! Most messages of a template begin with the same text (`Retrying request after
//! error: context deadline exceeded (attempt 2/3)`, `Request completed method=GET
//! ...`), and the masker reads a message left to right, each word decided from its own
//! bytes and from what was written before it. So the masker's state after the first
//! words of a message is a function of those words' bytes alone, and a message that
//! starts with the same bytes, up to a word boundary, can take that state over and
//! mask only the rest.
//!
//! The memo keeps, per slot (the message's first 8 bytes pick it), one earlier
//! message's start, the masked text written for it, and the masker's state after each
//! of its words (a [`Snap`]). A new message finds the longest of those states that its
//! own bytes reach (one comparison, 8 bytes at a time) and resumes there.
//!
//! What makes it exact (a property test holds the masker to the memo-free path):
//! - A snap is only taken at the end of a step of the masker's loop, where the line has
//!   whitespace, its `\n` or its end, and it is only taken over where the new line has
//!   one too (a word that goes on past the stored one's end is another word).
//! - Once a step has looked past its own end without finding what it looked for (a
//!   quote opened in `key="…` and not closed on the line), the state depends on the
//!   rest of the line, so no more snaps are taken for that message.
//! - The masked text of a snap must be a prefix of the stored message's final masked
//!   text. Mostly a step only appends, but joining variables can rewrite text earlier
//!   steps wrote (`1 (2` then `3)` collapses `<*> (<*>` and `<*>)` into `<*>`); then
//!   the snaps whose masked text reaches past the first rewritten byte are dropped
//!   ([`Memo::cut`]).

use super::class::{LF, SPACE, class};

/// Slots (a power of two).
const SLOTS: usize = 512;
/// Bytes of a message's start kept per slot, at most; snaps past it are dropped.
const MAX_PREFIX: usize = 192;
/// Misses in a row after which a slot's message is replaced by the next one.
const REPLACE_AFTER: u8 = 4;

/// The masker's state after a step: where the line stands, and the masker's fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Snap {
    /// Position in the line (a word boundary).
    pub pos: u32,
    /// Length of the masked text written so far.
    pub out: u32,
    /// The masker's `tok`, `before_var` and `pending`.
    pub tok: u32,
    pub before_var: bool,
    pub pending: (u32, u32, u32),
}

/// One slot: an earlier message's start, its masked text, and its snaps.
#[derive(Clone, Debug, Default)]
struct Prefix {
    line: Vec<u8>,
    out: Vec<u8>,
    snaps: Vec<Snap>,
    misses: u8,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Memo {
    slots: Vec<Prefix>,
    /// The snaps of the message being masked, when it will be stored.
    rec: Vec<Snap>,
    /// The slot the message being masked will be stored in.
    recording: Option<usize>,
    /// The message being masked looked past a step's end: no more snaps.
    tainted: bool,
}

impl Memo {
    /// Looks `line` up; returns the state to resume from and the masked text written
    /// up to it, or `None` (and, when the slot is due for it, starts recording this
    /// message's snaps).
    #[inline]
    pub fn find(&mut self, line: &[u8]) -> Option<(Snap, &[u8])> {
        self.recording = None;
        let head = u64::from_le_bytes(line.get(..8)?.try_into().unwrap());
        if self.slots.is_empty() {
            self.slots = vec![Prefix::default(); SLOTS];
        }
        let s =
            (head.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SLOTS.trailing_zeros())) as usize;
        let e = &mut self.slots[s];
        let n = common_prefix(&e.line, line);
        // The last snap the line reaches, where the line has a word boundary too.
        let mut k = e.snaps.partition_point(|x| x.pos as usize <= n);
        while k > 0 {
            let snap = e.snaps[k - 1];
            let p = snap.pos as usize;
            if p == line.len() || class(line[p]) & (SPACE | LF) != 0 {
                e.misses = 0;
                return Some((snap, &e.out[..snap.out as usize]));
            }
            k -= 1;
        }
        e.misses = e.misses.saturating_add(1);
        if e.snaps.is_empty() || e.misses >= REPLACE_AFTER {
            self.recording = Some(s);
            self.tainted = false;
            self.rec.clear();
        }
        None
    }

    /// Whether the states after this message's steps are wanted.
    #[inline(always)]
    pub fn recording(&self) -> bool {
        self.recording.is_some() && !self.tainted
    }

    /// Notes the state after a step (call only while [`recording`](Memo::recording)).
    #[inline(never)]
    pub fn snap(&mut self, snap: Snap) {
        if snap.pos as usize <= MAX_PREFIX {
            self.rec.push(snap);
        }
    }

    /// The masked text is about to be rewritten from byte `at` on: the snaps recorded
    /// with more text than that no longer describe a prefix of the final text.
    #[inline(always)]
    pub fn cut(&mut self, at: usize) {
        if self.recording.is_some() {
            self.rec.retain(|s| s.out as usize <= at);
        }
    }

    /// The step being taken looked past its end and did not find what it looked for.
    #[inline(always)]
    pub fn taint(&mut self) {
        self.tainted = true;
    }

    /// Stores the recorded message (`line` and its final masked text `out`) in its
    /// slot, when it was recording.
    #[inline]
    pub fn store(&mut self, line: &[u8], out: &[u8]) {
        let Some(s) = self.recording.take() else {
            return;
        };
        let Some(last) = self.rec.last().copied() else {
            return;
        };
        let e = &mut self.slots[s];
        e.line.clear();
        e.line.extend_from_slice(&line[..last.pos as usize]);
        e.out.clear();
        e.out.extend_from_slice(&out[..last.out as usize]);
        e.snaps.clear();
        e.snaps.extend_from_slice(&self.rec);
        e.misses = 0;
    }
}

/// How many leading bytes `a` and `b` share.
#[inline]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap());
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let d = x ^ y;
        if d != 0 {
            return i + (d.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::common_prefix;

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix(b"", b"abc"), 0);
        assert_eq!(common_prefix(b"abcdefghij", b"abcdefghij"), 10);
        assert_eq!(common_prefix(b"abcdefghij", b"abcdefgXij"), 7);
        assert_eq!(common_prefix(b"abcdefghijklm", b"abcdefghijkl"), 12);
        assert_eq!(common_prefix(b"xbc", b"abc"), 0);
    }
}
