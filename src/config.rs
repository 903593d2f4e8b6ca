//! Validated configuration: the raw command line (`cli.rs`) checked and resolved
//! against the environment (terminals, NO_COLOR, core count). Nothing downstream of
//! this file sees clap.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{
    ColorChoice, CommonArgs, CountArgs, FormatsArgs, GrepArgs, GrepOutput, ParseArgs, ReportArgs,
    ReportOutput, Sensitivity, TableOutput, TemplatesArgs,
};
use crate::count::{CountConfig, parse_every};
use crate::filter::{Filter, FilterError, Where, now, parse_time_arg};
use crate::formats::FormatsConfig;
use crate::grep::matcher::{MatchOptions, Matcher};
use crate::grep::print::{Mode, PrintOptions};
use crate::grep::search::SearchOptions;
use crate::parse::Level;
use crate::parse::detect::{FormatConfig, detector};
use crate::parse::time::TimeCtx;
use crate::record::{Framer, Multiline};
use crate::report::ReportFormat;
use crate::report_cmd::ReportConfig;
use crate::scan::{DEFAULT_CHUNK, ScanOptions};
use crate::templates_cmd::TemplatesConfig;

/// A configuration problem the user can fix; shown as one line, exit 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no pattern given: try `logsift grep PATTERN [PATH]...`")]
    NoPattern,
    #[error("a pattern is not valid UTF-8")]
    NonUtf8Pattern,
    #[error("bad pattern: {0}")]
    Pattern(#[from] regex::Error),
    #[error("bad --multiline regex (expected auto, none or a regex): {0}")]
    Multiline(regex::Error),
    #[error("bad size {0:?} for {1}: use a number with an optional unit, e.g. 16MiB, 512KiB, 1GiB")]
    Size(String, &'static str),
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error("bad --tz {0:?}: use an IANA zone name such as Europe/Berlin, or UTC")]
    Tz(String),
    #[error("--format regex needs --regex '<pattern with named groups>'")]
    NoRegex,
    #[error("bad --format: {0}")]
    Format(String),
    #[error("bad --every {0:?}: use auto or a span such as 30s, 1m, 5m, 1h, 1d")]
    Every(String),
    #[error("bad --bucket {0:?}: use auto or a span of whole minutes such as 1m, 5m, 1h, 1d")]
    Bucket(String),
    #[error(transparent)]
    FailIf(#[from] crate::fail_if::FailIfError),
    #[error("bad --section {0:?}: use one of {1}")]
    Section(String, String),
    #[error(
        "no input: stdin is a terminal. Give a PATH, or pipe logs in \
         (e.g. `kubectl logs POD | logsift grep ERROR`)"
    )]
    NoInput,
}

/// Everything `grep` needs.
pub struct GrepConfig {
    pub paths: Vec<PathBuf>,
    pub filter: Filter,
    pub matcher: Matcher,
    pub scan: ScanOptions,
    pub search: SearchOptions,
    pub print: PrintOptions,
}

/// Terminal facts, passed in so that tests can set them.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    pub stdin_tty: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub no_color: bool,
}

impl Env {
    pub fn detect() -> Env {
        Env {
            stdin_tty: std::io::stdin().is_terminal(),
            stdout_tty: std::io::stdout().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }
}

impl GrepConfig {
    pub fn new(args: GrepArgs, env: Env) -> Result<GrepConfig, ConfigError> {
        let mut positional = args.positional.into_iter();
        let mut patterns = args.regexp;
        if patterns.is_empty() {
            let p = positional.next().ok_or(ConfigError::NoPattern)?;
            patterns.push(p.into_string().map_err(|_| ConfigError::NonUtf8Pattern)?);
        }
        let paths = resolve_paths(positional.map(PathBuf::from).collect(), env)?;
        let matcher = Matcher::new(
            &patterns,
            &MatchOptions {
                fixed_strings: args.fixed_strings,
                ignore_case: args.ignore_case,
                word: args.word_regexp,
            },
        )?;
        let mut scan = scan_options(&args.common)?;
        let parse = ParseConfig::new(&args.parse)?;

        let mode = if args.quiet {
            Mode::Quiet
        } else if args.files_with_matches {
            Mode::FilesWithMatches
        } else if args.count {
            Mode::Count
        } else {
            Mode::Records
        };
        let json = args.json || args.output == GrepOutput::Json;
        // Records are parsed only when something needs it: filters, or JSON output
        // (which carries the parsed timestamp, level, message and fields).
        if json || !parse.filter.is_empty() {
            scan.detect = Some(parse.detect()?);
        }
        let line_numbers = json || (!args.no_line_number && (args.line_number || env.stdout_tty));
        let with_filename = !args.no_filename
            && (args.with_filename || paths.len() > 1 || paths.iter().any(|p| p.is_dir()));
        let color = match args.common.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env.stdout_tty && !env.no_color,
        } && !json;
        let before = args.before_context.or(args.context).unwrap_or(0);
        let after = args.after_context.or(args.context).unwrap_or(0);
        let limit = match mode {
            Mode::Quiet | Mode::FilesWithMatches => Some(1),
            _ => args.max_count,
        };
        let search = SearchOptions {
            invert: args.invert_match,
            count_only: mode != Mode::Records,
            count_matches: mode == Mode::Count && args.only_matching && !args.invert_match,
            limit,
            line_numbers: line_numbers && mode == Mode::Records,
        };
        let print = PrintOptions {
            mode,
            json,
            only_matching: args.only_matching,
            line_numbers,
            with_filename,
            color,
            escape_controls: env.stdout_tty,
            before,
            after,
            max_count: args.max_count,
            invert: args.invert_match,
        };
        // A progress bar must not interleave with matches printed to the same terminal.
        scan.progress = env.stderr_tty && (mode != Mode::Records || !env.stdout_tty);
        Ok(GrepConfig {
            paths,
            filter: parse.filter,
            matcher,
            scan,
            search,
            print,
        })
    }
}

/// Parsing and filtering options, resolved.
pub struct ParseConfig {
    pub format: FormatConfig,
    pub filter: Filter,
}

impl ParseConfig {
    pub fn new(args: &ParseArgs) -> Result<ParseConfig, ConfigError> {
        let tz = match &args.tz {
            None => jiff::tz::TimeZone::UTC,
            Some(name) => {
                jiff::tz::TimeZone::get(name).map_err(|_| ConfigError::Tz(name.clone()))?
            }
        };
        let now = now();
        if args.format == crate::cli::FormatChoice::Regex && args.regex.is_none() {
            return Err(ConfigError::NoRegex);
        }
        let level = match &args.level {
            None => None,
            Some(l) => Some(Level::parse_arg(l).ok_or_else(|| FilterError::Level(l.clone()))?),
        };
        let since = args
            .since
            .as_deref()
            .map(|s| parse_time_arg(s, &tz, now))
            .transpose()?;
        let until = args
            .until
            .as_deref()
            .map(|s| parse_time_arg(s, &tz, now))
            .transpose()?;
        let wheres = args
            .wheres
            .iter()
            .map(|w| Where::parse(w))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ParseConfig {
            format: FormatConfig {
                choice: args.format,
                regex: args.regex.clone(),
                ctx: TimeCtx { tz, now },
            },
            filter: Filter {
                level,
                since,
                until,
                wheres,
            },
        })
    }

    /// The detection function for the scanner.
    pub fn detect(&self) -> Result<crate::scan::DetectFn, ConfigError> {
        detector(self.format.clone()).map_err(ConfigError::Format)
    }
}

impl CountConfig {
    pub fn from_args(args: CountArgs, env: Env) -> Result<CountConfig, ConfigError> {
        let parse = ParseConfig::new(&args.parse)?;
        let mut scan = scan_options(&args.common)?;
        scan.detect = Some(parse.detect()?);
        scan.progress = env.stderr_tty;
        let every = match &args.every {
            None => None,
            Some(e) => Some(parse_every(e).ok_or_else(|| ConfigError::Every(e.clone()))?),
        };
        Ok(CountConfig {
            paths: resolve_paths(args.paths, env)?,
            scan,
            filter: parse.filter,
            by: args.by,
            every,
            stats: args.stats,
            top: args.top,
            format: match args.output {
                TableOutput::Table => crate::report::Format::Table,
                TableOutput::Json => crate::report::Format::Json,
                TableOutput::Csv => crate::report::Format::Csv,
            },
            color: match args.common.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => env.stdout_tty && !env.no_color,
            },
        })
    }
}

fn color(choice: ColorChoice, env: Env) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env.stdout_tty && !env.no_color,
    }
}

/// The scan behind `templates` and `report`.
fn summary_scan(
    paths: Vec<PathBuf>,
    parse: &ParseArgs,
    common: &CommonArgs,
    by: Vec<String>,
    assign: bool,
    env: Env,
) -> Result<crate::summary::ScanConfig, ConfigError> {
    let parse = ParseConfig::new(parse)?;
    let mut scan = scan_options(common)?;
    scan.detect = Some(parse.detect()?);
    scan.progress = env.stderr_tty;
    Ok(crate::summary::ScanConfig {
        paths: resolve_paths(paths, env)?,
        scan,
        filter: parse.filter,
        by,
        assign,
    })
}

impl TemplatesConfig {
    pub fn from_args(args: TemplatesArgs, env: Env) -> Result<TemplatesConfig, ConfigError> {
        Ok(TemplatesConfig {
            scan: summary_scan(
                args.paths,
                &args.parse,
                &args.common,
                Vec::new(),
                args.assign,
                env,
            )?,
            top: args.top,
            format: match args.output {
                TableOutput::Table => crate::report::Format::Table,
                TableOutput::Json => crate::report::Format::Json,
                TableOutput::Csv => crate::report::Format::Csv,
            },
            color: color(args.common.color, env),
        })
    }
}

impl ReportConfig {
    pub fn from_args(args: ReportArgs, env: Env) -> Result<ReportConfig, ConfigError> {
        let bucket = match args.bucket.as_str() {
            "auto" => None,
            b => Some(
                crate::filter::parse_span(b)
                    .filter(|&n| n > 0 && n % 60 == 0)
                    .ok_or_else(|| ConfigError::Bucket(b.to_string()))? as i64,
            ),
        };
        let skeleton = crate::report_cmd::skeleton();
        let fail_if = args
            .fail_if
            .iter()
            .map(|e| crate::fail_if::Condition::parse(e, &skeleton))
            .collect::<Result<Vec<_>, _>>()?;
        let format = match args.output {
            ReportOutput::Table => ReportFormat::Table,
            ReportOutput::Json => ReportFormat::Json,
            ReportOutput::Csv => ReportFormat::Csv,
            ReportOutput::Md => ReportFormat::Md,
            ReportOutput::Html => ReportFormat::Html,
        };
        if let Some(sec) = &args.section
            && !crate::report::SECTIONS.contains(&sec.as_str())
        {
            return Err(ConfigError::Section(
                sec.clone(),
                crate::report::SECTIONS.join(", "),
            ));
        }
        Ok(ReportConfig {
            shape: crate::summary::build::Shape {
                top: args.top,
                bucket,
                by: args.by.clone(),
                sensitivity_z: match args.sensitivity {
                    Sensitivity::Normal => 5.0,
                    Sensitivity::High => 4.5,
                },
            },
            scan: summary_scan(args.paths, &args.parse, &args.common, args.by, false, env)?,
            fail_if,
            format,
            section: args.section,
            color: color(args.common.color, env),
        })
    }
}

impl FormatsConfig {
    pub fn from_args(args: FormatsArgs, env: Env) -> Result<FormatsConfig, ConfigError> {
        let parse = ParseConfig::new(&args.parse)?;
        let mut scan = scan_options(&args.common)?;
        scan.detect = Some(parse.detect()?);
        Ok(FormatsConfig {
            paths: resolve_paths(args.paths, env)?,
            scan,
            samples: args.samples,
            json: args.output == GrepOutput::Json,
        })
    }
}

fn resolve_paths(paths: Vec<PathBuf>, env: Env) -> Result<Vec<PathBuf>, ConfigError> {
    if !paths.is_empty() {
        return Ok(paths);
    }
    if env.stdin_tty {
        return Err(ConfigError::NoInput);
    }
    Ok(vec![PathBuf::from("-")])
}

fn scan_options(common: &CommonArgs) -> Result<ScanOptions, ConfigError> {
    let mode = match common.multiline.as_str() {
        "auto" => Multiline::Auto,
        "none" => Multiline::None,
        re => Multiline::Start(
            regex::bytes::RegexBuilder::new(re)
                .build()
                .map_err(ConfigError::Multiline)?,
        ),
    };
    let threads = match common.threads {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let chunk_size = match &common.chunk_size {
        Some(s) => parse_size(s).ok_or_else(|| ConfigError::Size(s.clone(), "--chunk-size"))?,
        None => DEFAULT_CHUNK,
    };
    let max_line = parse_size(&common.max_line_size)
        .filter(|&n| n > 0)
        .ok_or_else(|| ConfigError::Size(common.max_line_size.clone(), "--max-line-size"))?;
    Ok(ScanOptions {
        threads,
        chunk_size: chunk_size.max(1),
        framer: Framer::new(mode),
        max_line,
        progress: false,
        detect: None,
    })
}

/// Parses `16MiB`, `512KiB`, `1GiB`, `16M`, `100KB`, `4096` into bytes (binary units).
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: usize = s[..digits].parse().ok()?;
    let mult: usize = match s[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16MiB"), Some(16 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("7"), Some(7));
        assert_eq!(parse_size("12 parsecs"), None);
        assert_eq!(parse_size(""), None);
    }
}
