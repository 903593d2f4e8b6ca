//! logsift: grep and aggregate production logs at the speed of the hardware.
//!
//! The data flows one way — input → chunks → records → (parse → filter → aggregate) →
//! report — and the modules follow it: [`input`] owns bytes, [`scan`] cuts them into
//! chunks of whole records and runs workers, [`record`] frames records, [`grep`] is the
//! first consumer. `cli` → `config` is the edge; `app` wires the stages.

pub mod aggregate;
#[cfg(feature = "alloc-stats")]
pub mod alloc_stats;
pub mod app;
pub mod cli;
pub mod config;
pub mod count;
pub mod exit;
pub mod fail_if;
pub mod filter;
pub mod formats;
pub mod grep;
pub mod input;
pub mod messages;
pub mod parse;
pub mod record;
pub mod report;
pub mod report_cmd;
pub mod scan;
pub mod summary;
pub mod templates_cmd;
