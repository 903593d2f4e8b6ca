//! Aggregation state: per-worker partial summaries that merge associatively and
//! commutatively, so parallel and single-threaded runs give the same numbers.

pub mod counts;
pub mod sketch;
pub mod spikes;
pub mod templates;
pub mod widths;
