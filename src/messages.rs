//! Messages to the user on stderr, and the record of whether an error happened.
//!
//! Every problem with one input is one line naming the input; processing goes on, and
//! the exit code reports it at the end (see `exit.rs`). Warnings (bad data, split lines)
//! do not change the exit code.

use std::sync::atomic::{AtomicBool, Ordering};

static ERRORED: AtomicBool = AtomicBool::new(false);

/// Prints `logsift: MSG` on stderr and remembers that an error happened.
pub fn error(msg: impl std::fmt::Display) {
    ERRORED.store(true, Ordering::Relaxed);
    eprintln!("logsift: {msg}");
}

/// Prints `logsift: warning: MSG` on stderr.
pub fn warn(msg: impl std::fmt::Display) {
    eprintln!("logsift: warning: {msg}");
}

/// Prints `logsift: note: MSG` on stderr (something the numbers leave out).
pub fn note(msg: impl std::fmt::Display) {
    eprintln!("logsift: note: {msg}");
}

/// Has any error been reported?
pub fn errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}
