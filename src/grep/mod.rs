//! `logsift grep`: a record-aware, parallel grep.

pub mod matcher;
pub mod print;
pub mod search;

use std::io::{self, BufWriter};

use crate::config::GrepConfig;
use crate::exit::ExitCode;
use crate::messages;
use crate::scan;
use print::{Mode, Printer};
use search::Searcher;

/// Runs grep and says how the process should end.
pub fn run(cfg: GrepConfig) -> ExitCode {
    let out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let quiet = cfg.print.mode == Mode::Quiet;
    let mut printer = Printer::new(out, cfg.print, cfg.matcher.clone(), cfg.scan.framer.clone());
    let (matcher, framer, opts, filter) =
        (cfg.matcher, cfg.scan.framer.clone(), cfg.search, cfg.filter);
    scan::run(
        cfg.paths,
        &cfg.scan,
        || Searcher {
            matcher: matcher.clone(),
            framer: framer.clone(),
            opts: opts.clone(),
            filter: filter.clone(),
        },
        &mut printer,
    );
    if !printer.broken_pipe
        && let Err(e) = printer.flush()
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        printer.write_error = Some(e);
    }
    if let Some(e) = printer.write_error.take() {
        messages::error(format_args!("writing output: {e}"));
    }
    if printer.broken_pipe {
        return ExitCode::Success;
    }
    if quiet && printer.matched_any {
        return ExitCode::Success;
    }
    let outcome = if printer.matched_any {
        ExitCode::Success
    } else {
        ExitCode::NoMatch
    };
    outcome.with_errors(messages::errored())
}
