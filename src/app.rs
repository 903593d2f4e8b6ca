//! Wires the command line to the subcommands; the edge where errors become messages
//! and exit codes.

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::config::{Env, GrepConfig};
use crate::exit::ExitCode;
use crate::grep;

/// Runs logsift and returns the process exit code.
pub fn main() -> i32 {
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
    };
    #[cfg(feature = "alloc-stats")]
    crate::alloc_stats::report();
    code.code()
}
