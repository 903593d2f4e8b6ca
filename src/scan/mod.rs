//! The scanner: cuts inputs into newline-aligned chunks that hold whole records, and
//! runs them through workers on every core, handing results back in input order.
//!
//! A mapped file is cut in place (`split` below); a stream is cut by one reader thread
//! into pooled buffers (`stream.rs`). Either way a chunk starts at a record boundary and
//! ends at one, so a worker can frame and search its chunk alone, and the results do not
//! depend on where the cuts fall or how many workers there are.

mod driver;
mod stream;

use std::ops::Range;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};

pub use driver::{
    DETECT_SAMPLE, DetectFn, Flow, InputInfo, InputSummary, ScanOptions, Sink, Worker, run,
};

use crate::input::Mapped;
use crate::record::Framer;

/// Default chunk size for mapped files and stream buffers.
pub const DEFAULT_CHUNK: usize = 2 << 20;

/// A piece of one input holding whole records.
pub struct Chunk {
    /// Index of the input, in the order inputs were met.
    pub input: usize,
    /// Offset of the chunk's first byte in the input's (decompressed) bytes.
    pub base: u64,
    data: ChunkData,
}

enum ChunkData {
    Mapped(Arc<Mapped>, Range<usize>),
    Pooled(Pooled),
    Owned(Vec<u8>),
}

impl Chunk {
    pub(crate) fn mapped(input: usize, map: Arc<Mapped>, range: Range<usize>) -> Chunk {
        Chunk {
            input,
            base: range.start as u64,
            data: ChunkData::Mapped(map, range),
        }
    }

    pub(crate) fn pooled(input: usize, base: u64, buf: Pooled) -> Chunk {
        Chunk {
            input,
            base,
            data: ChunkData::Pooled(buf),
        }
    }

    /// A chunk over bytes the caller owns (benchmarks, tests).
    pub fn from_bytes(input: usize, base: u64, bytes: Vec<u8>) -> Chunk {
        Chunk {
            input,
            base,
            data: ChunkData::Owned(bytes),
        }
    }

    /// The chunk's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.data {
            ChunkData::Mapped(m, r) => &m.as_slice()[r.clone()],
            ChunkData::Pooled(p) => p.bytes(),
            ChunkData::Owned(v) => v,
        }
    }

    /// How many leading bytes of the chunk are real input. Less than its length only
    /// when the mapped file was truncated while being read: bytes past the file's new
    /// end read as zeros and must not be reported as log content.
    pub fn valid_len(&self) -> usize {
        match &self.data {
            ChunkData::Mapped(m, r) if m.truncated() => {
                let now = m.current_len() as usize;
                now.saturating_sub(r.start).min(r.len())
            }
            _ => self.bytes().len(),
        }
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        if let ChunkData::Mapped(m, r) = &self.data {
            m.release(r.clone());
        }
    }
}

/// Cuts `buf` into chunks of about `size` bytes, each ending on a record boundary.
/// Returns the end of the chunk starting at `start`.
pub fn chunk_end(framer: &Framer, buf: &[u8], start: usize, size: usize) -> usize {
    framer.next_boundary(buf, start.saturating_add(size.max(1)))
}

/// A stream buffer that goes back to its pool when dropped, so the number of buffers in
/// flight (and with it the heap) is bounded.
pub struct Pooled {
    buf: Vec<u8>,
    len: usize,
    home: Sender<Vec<u8>>,
}

impl Pooled {
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        let _ = self.home.send(buf);
    }
}

/// A fixed set of reusable buffers.
pub(crate) struct Pool {
    tx: Sender<Vec<u8>>,
    rx: Receiver<Vec<u8>>,
    size: usize,
}

impl Pool {
    pub(crate) fn new(count: usize, size: usize) -> Pool {
        let (tx, rx) = crossbeam_channel::bounded(count);
        for _ in 0..count {
            tx.send(Vec::new()).expect("pool has room");
        }
        Pool { tx, rx, size }
    }

    /// Takes a buffer of at least `min` bytes (blocks while all are in flight).
    pub(crate) fn take(&self, min: usize) -> Vec<u8> {
        let mut b = self.rx.recv().expect("pool sender lives in self");
        let want = min.max(self.size);
        if b.len() > 4 * want {
            // Shrink a buffer that grew for one long line.
            b = Vec::new();
        }
        if b.len() < want {
            b.resize(want, 0);
        }
        b
    }

    pub(crate) fn wrap(&self, buf: Vec<u8>, len: usize) -> Pooled {
        Pooled {
            buf,
            len,
            home: self.tx.clone(),
        }
    }

    pub(crate) fn give_back(&self, buf: Vec<u8>) {
        let _ = self.tx.send(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Multiline;

    #[test]
    fn chunks_cover_input_on_boundaries() {
        let buf = b"a\n\tat x\nb\nc\n  d\n";
        let f = Framer::new(Multiline::Auto);
        for size in [1, 2, 3, 7, 64] {
            let mut s = 0;
            let mut cuts = vec![];
            while s < buf.len() {
                let e = chunk_end(&f, buf, s, size);
                assert!(e > s);
                cuts.push(e);
                s = e;
            }
            assert_eq!(*cuts.last().unwrap(), buf.len());
            for c in cuts {
                assert!([8, 10, buf.len()].contains(&c), "size {size}: cut at {c}");
            }
        }
    }
}
