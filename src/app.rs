//! Wires the command line to the subcommands; the edge where errors become messages
//! and exit codes.

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::config::{Env, GrepConfig};
use crate::count::CountConfig;
use crate::exit::ExitCode;
use crate::formats::FormatsConfig;
use crate::grep;
use crate::messages;
use crate::report_cmd::ReportConfig;
use crate::templates_cmd::TemplatesConfig;

/// Runs logsift and returns the process exit code.
pub fn main() -> i32 {
    // One line, not a backtrace banner: a worker's panic is caught and reported as an
    // error naming the input (see scan/driver.rs); this says what went wrong.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("logsift: internal error: {what}{at}");
    }));
    let cli = Cli::parse();
    let env = Env::detect();
    let code = match cli.command {
        Command::Grep(args) => match GrepConfig::new(args, env) {
            Ok(cfg) => grep::run(cfg),
            Err(e) => {
                eprintln!("logsift: {e}");
                ExitCode::Error
            }
        },
        Command::Formats(args) => match FormatsConfig::from_args(args, env) {
            Ok(cfg) => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                match crate::formats::run(&cfg, &mut out)
                    .and_then(|()| std::io::Write::flush(&mut out))
                {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        messages::error(format_args!("writing output: {e}"))
                    }
                    _ => {}
                }
                ExitCode::Success.with_errors(messages::errored())
            }
            Err(e) => {
                eprintln!("logsift: {e}");
                ExitCode::Error
            }
        },
        Command::Count(args) => match CountConfig::from_args(args, env) {
            Ok(cfg) => run_count(&cfg),
            Err(e) => {
                eprintln!("logsift: {e}");
                ExitCode::Error
            }
        },
        Command::Templates(args) => match TemplatesConfig::from_args(args, env) {
            Ok(cfg) => with_stdout(|out| crate::templates_cmd::run(&cfg, out))
                .map_or(ExitCode::Success, |notes| {
                    notes.into_iter().for_each(messages::note);
                    ExitCode::Success
                })
                .with_errors(messages::errored()),
            Err(e) => {
                eprintln!("logsift: {e}");
                ExitCode::Error
            }
        },
        Command::Report(args) => match ReportConfig::from_args(args, env) {
            Ok(cfg) => match with_stdout(|out| crate::report_cmd::run(&cfg, out)) {
                Some(o) if !o.failed.is_empty() => {
                    for f in &o.failed {
                        eprintln!("logsift: --fail-if {f} holds");
                    }
                    ExitCode::Alert
                }
                _ => ExitCode::Success,
            }
            .with_errors(messages::errored()),
            Err(e) => {
                eprintln!("logsift: {e}");
                ExitCode::Error
            }
        },
    };
    #[cfg(feature = "alloc-stats")]
    crate::alloc_stats::report();
    code.code()
}

/// Runs `f` on a buffered stdout and flushes it. An error writing (other than a
/// closed pipe, which ends quietly) is reported; `None` then.
fn with_stdout<T>(f: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<T>) -> Option<T> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match f(&mut out).and_then(|t| std::io::Write::flush(&mut out).map(|()| t)) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => None,
        Err(e) => {
            messages::error(format_args!("{e}"));
            None
        }
    }
}

fn run_count(cfg: &CountConfig) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = crate::count::run(cfg, &mut out).and_then(|notes| {
        std::io::Write::flush(&mut out)?;
        Ok(notes)
    });
    match result {
        Ok(notes) => {
            for n in notes {
                messages::note(n);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::Success,
        Err(e) => messages::error(format_args!("writing output: {e}")),
    }
    ExitCode::Success.with_errors(messages::errored())
}
