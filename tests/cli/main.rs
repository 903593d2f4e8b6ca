//! logsift's integration tests: one test binary that runs the real `logsift` on small
//! fixtures (`testdata/grep/`) or on inputs generated in a scratch directory (binary,
//! compressed and huge ones: nothing big is committed).
//!
//! - `macros.rs`, `util.rs`, `pty.rs`: the harness (`lstest!`, `eqnice!`, a command
//!   runner with a timeout, a pseudo-terminal for what only a terminal shows).
//! - `matching.rs`, `modes.rs`, `options.rs`: every `grep` option; `context.rs`:
//!   -A/-B/-C; `multiline.rs`: records.
//! - `input.rs`: stdin, directories, gzip/zstd, exit codes; `bad_input.rs`: inputs that
//!   must not kill the process; `pipes.rs`: closed pipes, live pipes.
//! - `output.rs`: colour, JSON, terminals; `parity.rs`: ripgrep parity.
//! - `props.rs`: property tests (output independent of threads, chunking and source).
//! - `count.rs`: `count`, `formats`, and the parsing filters on `grep`.
//! - `fields.rs`: `key=value` pairs in plain messages, Docker json-file records
//!   (fixtures in `testdata/parse/`).

#[macro_use]
mod macros;
mod util;

mod bad_input;
mod context;
mod count;
mod fields;
mod input;
mod matching;
mod modes;
mod multiline;
mod options;
mod output;
mod parity;
mod pipes;
mod props;
mod pty;
mod report;
