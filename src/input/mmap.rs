//! Memory-mapped files, and the one place in logsift that holds `unsafe`.
//!
//! Why mmap: a 20 GB log is our common case and workers on every core read it at once;
//! mapping it lets them search the page cache in place, with no copy and no reader thread.
//!
//! Why a SIGBUS guard: touching a mapped page that lies past the file's *current* end
//! raises SIGBUS, which kills the process. That happens when a file shrinks while we read
//! it — logrotate's `copytruncate` does exactly that to the live log. We choose to keep
//! the mapping and make such a fault harmless: a process-wide SIGBUS handler checks that
//! the faulting address lies in one of our live mappings, maps anonymous zero pages over
//! the rest of that mapping (`MAP_FIXED`), marks the mapping as truncated and returns, so
//! the read is retried and sees zeros. Whoever owns the mapping checks `truncated()` /
//! `current_len()`, drops what came from past the new end and reports it. A fault anywhere
//! else restores the default action and re-faults, so real bugs still crash loudly.
//! The alternatives were worse: `read()` into buffers costs a copy of every byte (the
//! copy alone is about half our time budget per byte), and checking the size before each
//! chunk still races with the truncation.
//!
//! When the guard cannot be used (no free slot, `mmap` fails) callers fall back to
//! reading the file as a stream.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::ptr;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Live mappings the SIGBUS handler may repair. A slot is free when `start == 0`.
struct Slot {
    start: AtomicUsize,
    end: AtomicUsize,
    truncated: AtomicBool,
}

const SLOTS: usize = 64;
#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    start: AtomicUsize::new(0),
    end: AtomicUsize::new(0),
    truncated: AtomicBool::new(false),
};
static REGISTRY: [Slot; SLOTS] = [EMPTY; SLOTS];
static INSTALL: Once = Once::new();
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A read-only mapping of a whole file, guarded against truncation.
pub struct Mapped {
    ptr: *mut libc::c_void,
    len: usize,
    slot: usize,
    file: File,
}

// SAFETY: the mapping is read-only and lives as long as the value; sharing `&[u8]`
// views across threads is as safe as sharing any immutable byte slice.
unsafe impl Send for Mapped {}
unsafe impl Sync for Mapped {}

impl Mapped {
    /// Maps `file` (of `len` > 0 bytes). Returns `Ok(None)` when the guard has no free
    /// slot or the guard could not be installed: the caller should stream the file.
    pub fn map(file: File, len: u64) -> io::Result<Option<Mapped>> {
        install_handler();
        if !INSTALLED.load(Ordering::Acquire) || len == 0 {
            return Ok(None);
        }
        let Ok(len) = usize::try_from(len) else {
            return Ok(None);
        };
        let Some(slot) = claim_slot() else {
            return Ok(None);
        };
        // SAFETY: a fresh read-only private mapping of an open file descriptor; no Rust
        // reference aliases it yet. Pages past the file's end at any later time are
        // handled by the SIGBUS guard registered below before any byte is read.
        let ptr = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            REGISTRY[slot].start.store(0, Ordering::Release);
            return Err(io::Error::last_os_error());
        }
        // SAFETY: advisory only; failure is harmless.
        unsafe {
            libc::madvise(ptr, len, libc::MADV_SEQUENTIAL);
        }
        let s = &REGISTRY[slot];
        s.end.store(ptr as usize + len, Ordering::Release);
        s.start.store(ptr as usize, Ordering::Release);
        Ok(Some(Mapped {
            ptr,
            len,
            slot,
            file,
        }))
    }

    /// The mapped bytes. After a truncation, bytes past the new end read as zeros.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `ptr..ptr+len` is a live read-only mapping owned by `self`; the SIGBUS
        // guard turns reads past a shrunken file's end into reads of zero pages.
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }

    /// Drops the page-table entries of the whole pages inside `range` once the scan is
    /// done with them (the page cache keeps the data). Tearing down a 1 GiB mapping's
    /// page tables at `munmap` took about 40 ms on one thread, a third of a whole scan;
    /// done chunk by chunk, that work overlaps the search on the other cores. Pages
    /// shared with a neighbouring chunk are left alone; touching a released page again
    /// is only a page fault.
    pub fn release(&self, range: std::ops::Range<usize>) {
        let page = PAGE.load(Ordering::Relaxed);
        let start = range.start.next_multiple_of(page);
        let end = range.end.min(self.len) & !(page - 1);
        if start >= end {
            return;
        }
        // SAFETY: MADV_DONTNEED on a private read-only file mapping only drops page-table
        // entries; a later read faults the same file data back in (or, past a truncated
        // end, is handled by the SIGBUS guard). No slice into this range is in use: the
        // caller is dropping the chunk that covered it.
        unsafe {
            libc::madvise(
                (self.ptr as usize + start) as *mut libc::c_void,
                end - start,
                libc::MADV_DONTNEED,
            );
        }
    }

    /// Has a read past the file's current end been repaired with zeros?
    pub fn truncated(&self) -> bool {
        REGISTRY[self.slot].truncated.load(Ordering::Acquire)
    }

    /// The file's size now (it may have shrunk or grown since it was mapped).
    pub fn current_len(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }

    /// The file's size when it was mapped.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        let s = &REGISTRY[self.slot];
        s.start.store(usize::MAX, Ordering::Release); // not free yet, matches nothing
        s.end.store(0, Ordering::Release);
        // SAFETY: unmapping our own mapping (including any zero pages the guard mapped
        // over its tail); no slice borrowed from `self` outlives `self`.
        unsafe {
            libc::munmap(self.ptr, self.len);
        }
        s.truncated.store(false, Ordering::Release);
        s.start.store(0, Ordering::Release);
    }
}

fn claim_slot() -> Option<usize> {
    (0..SLOTS).find(|&i| {
        REGISTRY[i]
            .start
            .compare_exchange(0, usize::MAX, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    })
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 { p as usize } else { 4096 }
}

static PAGE: AtomicUsize = AtomicUsize::new(4096);

fn install_handler() {
    INSTALL.call_once(|| {
        PAGE.store(page_size(), Ordering::Relaxed);
        // SAFETY: installing a handler that only uses async-signal-safe operations
        // (atomics, mmap, sigaction) on a zeroed, then filled, sigaction struct.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigbus as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(libc::SIGBUS, &sa, ptr::null_mut()) == 0 {
                INSTALLED.store(true, Ordering::Release);
            }
        }
    });
}

extern "C" fn on_sigbus(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel hands a valid siginfo to an SA_SIGINFO handler.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = PAGE.load(Ordering::Relaxed);
    for s in REGISTRY.iter() {
        let start = s.start.load(Ordering::Acquire);
        let end = s.end.load(Ordering::Acquire);
        if start != 0 && start != usize::MAX && addr >= start && addr < end {
            let from = addr & !(page - 1);
            // SAFETY: replaces pages inside our own live mapping, from the faulting
            // page to its end, with anonymous zero pages; these pages lie past the
            // file's end, so no data that could still be read is lost.
            let r = unsafe {
                libc::mmap(
                    from as *mut libc::c_void,
                    end - from,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if r != libc::MAP_FAILED {
                s.truncated.store(true, Ordering::Release);
                return;
            }
        }
    }
    // Not one of ours: let the default action kill the process on the re-fault.
    // SAFETY: sigaction/signal are async-signal-safe.
    unsafe {
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
    }
}

/// Waits up to `timeout_ms` for `fd` to become readable (or hung up). Used by the stream
/// reader to hand a live pipe's lines on at once instead of waiting for a full chunk.
/// Lives here because it is an OS call that needs `unsafe`.
pub fn poll_readable(fd: i32, timeout_ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd on the stack, count 1.
    let r = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    r != 0 // ready, hung up, or an error that the next read will report
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn read_past_truncation_is_zeros_not_sigbus() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let data = vec![b'x'; 1 << 20];
        f.write_all(&data).unwrap();
        f.flush().unwrap();
        let file = File::open(f.path()).unwrap();
        let m = Mapped::map(file, data.len() as u64).unwrap().unwrap();
        assert_eq!(m.as_slice()[0], b'x');
        assert!(!m.truncated());
        f.as_file().set_len(4096).unwrap();
        let s = m.as_slice();
        // Read the tail: without the guard this raises SIGBUS.
        let tail_sum: u64 = s[512 * 1024..].iter().map(|&b| b as u64).sum();
        assert_eq!(tail_sum, 0);
        assert!(m.truncated());
        assert_eq!(m.current_len(), 4096);
        assert_eq!(s[100], b'x');
    }
}
