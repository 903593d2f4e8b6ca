//! Cutting a stream (stdin, a pipe, a decompressor) into chunks of whole records.
//!
//! One thread reads into pooled buffers and hands on everything up to the last record
//! boundary that is certainly complete; the partial rest is carried into the next buffer.
//!
//! Live pipes (`tail -f app.log | logsift grep ERROR`): after each read we ask the pipe
//! (poll, no wait) whether more is ready; if not, what we have is handed on at once
//! instead of waiting for a full chunk. With `--multiline auto` the last complete record
//! might still grow (its stack trace not yet written), so it is held back — but for
//! 50 ms at most: if nothing more arrives by then, it is handed on as complete. A stack
//! trace whose lines arrive more than 50 ms after its first line therefore becomes a
//! record of its own; loggers write a trace in one go, so this costs nothing in practice
//! and bounds the latency of every match to about 50 ms plus the search.
//!
//! Long lines: a buffer grows (doubling) up to the line cap (`--max-line-size`, default
//! 16 MiB); a line longer than that is split into cap-sized pieces with one warning naming
//! the input and the line. The heap is bounded by the pool: a fixed number of buffers.

use std::io::{self, Read};

use memchr::{memchr, memrchr};

use super::{Chunk, Pool};
use crate::input::Stream;
use crate::input::mmap::poll_readable;
use crate::messages;
use crate::record::Framer;

/// How long the last complete record of a live pipe is held for its continuation lines.
const HOLD_MS: i32 = 50;

/// What a stream yielded: its length, and the error that ended it early, if any.
pub(crate) struct StreamEnd {
    pub bytes: u64,
    pub error: Option<io::Error>,
}

pub(crate) struct StreamCutter<'a> {
    pub input: usize,
    pub name: &'a str,
    pub framer: &'a Framer,
    pub pool: &'a Pool,
    pub max_line: usize,
}

impl StreamCutter<'_> {
    /// Reads the stream to its end, calling `emit` with each chunk in order; stops early
    /// when `emit` returns false.
    pub(crate) fn run(&self, mut stream: Stream, mut emit: impl FnMut(Chunk) -> bool) -> StreamEnd {
        let poll_fd = stream.poll_fd;
        let reader = &mut stream.reader;
        let mut buf = self.pool.take(0);
        let mut filled = 0usize;
        let mut base = 0u64;
        let mut eof = false;
        let mut error = None;
        let mut lines_before = 0u64;
        let mut in_long_line = false;
        loop {
            let mut force = false;
            if !eof && filled < buf.len() {
                let holding = !self.framer.is_line_mode()
                    && filled > 0
                    && memchr(b'\n', &buf[..filled]).is_some();
                if let (true, Some(fd)) = (holding, poll_fd) {
                    force = !poll_readable(fd, HOLD_MS);
                }
                if !force {
                    match fill(reader, &mut buf, &mut filled, poll_fd) {
                        Ok(true) => {}
                        Ok(false) => eof = true,
                        Err(e) => {
                            error = Some(e);
                            eof = true;
                        }
                    }
                }
            }
            let tail_start = memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1);
            let mut cut = if eof {
                filled
            } else if force {
                tail_start
            } else {
                self.framer.last_safe_boundary(&buf[..filled])
            };
            // A line longer than the cap is split at the cap, wherever it lies in the
            // buffer (so the result does not depend on how the bytes arrived).
            let mut split = false;
            if filled > self.max_line
                && let Some(ls) = long_line(&buf[..filled], self.max_line)
            {
                cut = ls + self.max_line;
                split = true;
                if !(ls == 0 && in_long_line) {
                    let line = lines_before + bytecount::count(&buf[..ls], b'\n') as u64 + 1;
                    messages::warn(format_args!(
                        "{}: line {line} is longer than {} bytes (--max-line-size); split into pieces",
                        self.name, self.max_line
                    ));
                }
            }
            if cut == 0 && !eof {
                if filled < buf.len() {
                    continue;
                }
                if buf.len() < self.max_line.saturating_mul(2) {
                    // Grow (the old buffer is dropped: the pool's count stays the same).
                    let mut bigger =
                        vec![0u8; (buf.len() * 2).clamp(2, self.max_line.saturating_mul(2))];
                    bigger[..filled].copy_from_slice(&buf[..filled]);
                    buf = bigger;
                    continue;
                }
                // One record of whole lines fills twice the cap: split it at its last line.
                cut = tail_start;
                let line = lines_before + 1;
                messages::warn(format_args!(
                    "{}: the record starting at line {line} is longer than {} bytes \
                     (--max-line-size); split into pieces",
                    self.name,
                    self.max_line.saturating_mul(2)
                ));
            }
            if cut > 0 {
                let rest = filled - cut;
                let mut next = self.pool.take(rest + 1);
                next[..rest].copy_from_slice(&buf[cut..filled]);
                let full = std::mem::replace(&mut buf, next);
                lines_before += bytecount::count(&full[..cut], b'\n') as u64;
                // The next buffer starts inside a split line (no second warning for it).
                in_long_line = split;
                let chunk = Chunk::pooled(self.input, base, self.pool.wrap(full, cut));
                base += cut as u64;
                filled = rest;
                if !emit(chunk) {
                    break;
                }
            }
            if eof && filled == 0 {
                break;
            }
        }
        self.pool.give_back(buf);
        StreamEnd { bytes: base, error }
    }
}

/// The start of the first line in `buf` longer than `max` bytes (the last line may be
/// incomplete).
fn long_line(buf: &[u8], max: usize) -> Option<usize> {
    let mut ls = 0;
    for nl in memchr::memchr_iter(b'\n', buf).chain(std::iter::once(buf.len())) {
        if nl - ls > max {
            return Some(ls);
        }
        ls = nl + 1;
    }
    None
}

/// Reads into `buf[filled..]`: at least once (blocking), then on while the source has
/// more ready and there is room. Returns false at end of input.
fn fill(
    reader: &mut dyn Read,
    buf: &mut [u8],
    filled: &mut usize,
    poll_fd: Option<i32>,
) -> io::Result<bool> {
    let mut first = true;
    while *filled < buf.len() {
        if !first && poll_fd.is_some_and(|fd| !poll_readable(fd, 0)) {
            break;
        }
        match reader.read(&mut buf[*filled..]) {
            Ok(0) => return Ok(false),
            Ok(n) => *filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        first = false;
    }
    Ok(true)
}
