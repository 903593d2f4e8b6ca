//! Message templates: `Connection to <*> timed out after <*> ms`, not 40,000 lines.
//!
//! Two stages, split so that the per-record cost is one pass over the message:
//!
//! * [`Masker::mask`] (per record, on the hot path): tokens that are clearly
//!   variables — numbers, hex ids, UUIDs, IPs, paths, `key=value` values — become
//!   `<*>`, and the masked token sequence is hashed into a key. Workers count keys in
//!   their own maps (keeping the masked text of each new key), and maps merge by
//!   adding counts.
//! * [`cluster`] (once, after merging): the distinct keys that differ only where
//!   masking could not tell a variable (user names, ids without digits) are grouped
//!   into templates, Drain-like but over distinct keys, so it costs nothing per
//!   record and cannot depend on threads or chunking.
//!
//! Files: `mask.rs` (the per-message pass), `memo.rs` (resuming a message where an
//! earlier one with the same start left off), `words.rs` (which words are variables),
//! `class.rs` (byte classes, the word scanner, the key hash), `cluster.rs` (merging
//! keys into templates). Accuracy is measured on the LogHub benchmark by
//! `tests/loghub_templates.rs`, speed by `benches/templates.rs`.

mod class;
mod cluster;
mod mask;
mod memo;
mod words;

pub use class::key_hash;
pub use cluster::{Clustering, MIN_CONSTANTS, MIN_KNOWN_VALUES, MIN_VALUES, cluster};
pub use mask::{MAX_MESSAGE, Masker, VAR};
