//! The raw command line, as clap parses it. Nothing outside `config.rs` reads this:
//! it is validated and turned into a `Config` there.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "logsift",
    version,
    about = "Grep and aggregate production logs at the speed of the hardware",
    long_about = None,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the records that match a pattern (a record-aware grep).
    #[command(after_help = GREP_AFTER_HELP)]
    Grep(GrepArgs),
    /// Count records, grouped by fields and/or time buckets.
    #[command(after_help = COUNT_AFTER_HELP)]
    Count(CountArgs),
    /// The message templates, most frequent first; --assign labels every record.
    #[command(after_help = TEMPLATES_AFTER_HELP)]
    Templates(TemplatesArgs),
    /// The one-shot summary: volume, levels, error rate, top templates, histogram, spikes.
    #[command(after_help = REPORT_AFTER_HELP)]
    Report(ReportArgs),
    /// Show which format each input was detected as, with parsed sample records.
    Formats(FormatsArgs),
}

const TEMPLATES_AFTER_HELP: &str = "\
Messages are grouped into templates such as `Connection to <*> timed out after <*> ms`: \
variable tokens (numbers, ids, IPs, paths, quoted and key=value values, durations) are \
masked, then keys that differ in a few positions are merged. The result does not depend \
on -j or on how inputs are split.

Examples:
  logsift templates app.log
  logsift templates --top 20 -o csv /var/log/app/
  logsift templates --assign app.log | jq -r .template | sort | uniq -c";

const REPORT_AFTER_HELP: &str = "\
--fail-if EXPR (repeatable): NAME OP NUMBER[%], NAME a key of the JSON report (records, \
errors, error_rate, levels.fatal, spikes, …), OP one of < <= > >= == !=; exit 1 when any \
holds, after the report is written. 2 (an error) wins over 1.

Examples:
  logsift report app.log*
  logsift report --by service -o md /var/log/app/ > report.md
  logsift report -o html --since 1d app.log > nightly.html
  logsift report -o json --fail-if 'error_rate>2%' --fail-if 'spikes>0' app.log";

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportOutput {
    Table,
    Json,
    Csv,
    Md,
    Html,
}

#[derive(Args, Debug)]
pub struct TemplatesArgs {
    /// Paths to read (files, directories, `-` for stdin; stdin when none and piped).
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// Only the N most frequent templates (default: all).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Label every record with its template instead: one JSON object per record,
    /// {"path","line","template"} (line: the record's first line, 1-based).
    #[arg(long)]
    pub assign: bool,

    /// Output format of the template list.
    #[arg(short = 'o', long, value_enum, default_value_t = TableOutput::Table, value_name = "FORMAT")]
    pub output: TableOutput,

    #[command(flatten)]
    pub parse: ParseArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Paths to read (files, directories, `-` for stdin; stdin when none and piped).
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// Templates listed, overall and among errors.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Error rates per value of a field (repeatable): service, host, or any field.
    #[arg(long, value_name = "FIELD")]
    pub by: Vec<String>,

    /// Histogram bucket width: 1m, 5m, 1h, … or auto (about 50–150 buckets).
    #[arg(long, value_name = "SPAN", default_value = "auto")]
    pub bucket: String,

    /// Spike sensitivity: normal, or high (flags smaller rises).
    #[arg(long, value_enum, default_value_t = Sensitivity::Normal, value_name = "LEVEL")]
    pub sensitivity: Sensitivity,

    /// Exit 1 (after writing the report) when this holds (repeatable): NAME OP NUMBER[%].
    #[arg(long = "fail-if", value_name = "EXPR")]
    pub fail_if: Vec<String>,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = ReportOutput::Table, value_name = "FORMAT")]
    pub output: ReportOutput,

    /// With -o csv: the table to write (inputs, levels, histogram, templates,
    /// error_templates, spikes, by).
    #[arg(long, value_name = "NAME")]
    pub section: Option<String>,

    #[command(flatten)]
    pub parse: ParseArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    Normal,
    High,
}

#[derive(Args, Debug)]
pub struct FormatsArgs {
    /// Paths to read (files, directories, `-` for stdin; stdin when none and piped).
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// How many parsed sample records to show per input.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub samples: usize,

    /// Output format: text, or json (one object per input).
    #[arg(short = 'o', long, value_enum, default_value_t = GrepOutput::Text, value_name = "FORMAT")]
    pub output: GrepOutput,

    #[command(flatten)]
    pub parse: ParseArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

const COUNT_AFTER_HELP: &str = "\
Columns: start (with --every), each --by name, count, then FIELD_min, FIELD_mean, \
FIELD_p50, FIELD_p95, FIELD_p99, FIELD_max for each --stats FIELD (quantiles within 1% \
relative error). Rows sort by count then key; with --every, by time, empty buckets \
included with 0. A missing field is null (empty in CSV, - in the table).

Examples:
  logsift count --by level app.log
  logsift count --by service --by level --level warn /var/log/app/
  logsift count --every 5m --by level -o csv app.log
  logsift count --by path --stats duration_ms --top 20 access.json";

/// Options every subcommand that parses records takes.
#[derive(Args, Debug, Clone)]
pub struct ParseArgs {
    /// Input format (default: detected per input from its first records).
    #[arg(long, value_enum, default_value_t = FormatChoice::Auto, value_name = "FORMAT")]
    pub format: FormatChoice,

    /// With --format regex: a regex with named groups (`ts`, `level`, `msg` are special;
    /// any other name is a field).
    #[arg(long, value_name = "PATTERN")]
    pub regex: Option<String>,

    /// Zone for timestamps that carry none (default UTC), e.g. Europe/Berlin.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Only records at this level and above (trace, debug, info, warn, error, fatal).
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,

    /// Only records at or after this time: RFC 3339, '2026-11-28 13:00', or 2h, 30m, 1d
    /// back from now.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Only records before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Only records where FIELD OP VALUE holds (repeatable, ANDed); OP is one of
    /// = != < <= > >= ~ (regex). Numbers compare as numbers.
    #[arg(long = "where", value_name = "EXPR")]
    pub wheres: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatChoice {
    Auto,
    Plain,
    Json,
    Logfmt,
    Syslog,
    Clf,
    Regex,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableOutput {
    Table,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct CountArgs {
    /// Paths to read (files, directories, `-` for stdin; stdin when none and piped).
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// Group by a field (repeatable): level, service, host, or any parsed field.
    #[arg(long, value_name = "FIELD")]
    pub by: Vec<String>,

    /// Time buckets: 1m, 5m, 1h, … or auto (about 50–150 buckets over the span).
    #[arg(long, value_name = "SPAN")]
    pub every: Option<String>,

    /// Count, min, mean, p50, p95, p99 and max of a numeric field (repeatable).
    #[arg(long, value_name = "FIELD")]
    pub stats: Vec<String>,

    /// Only the N largest groups, the rest summed in an `other` row.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = TableOutput::Table, value_name = "FORMAT")]
    pub output: TableOutput,

    #[command(flatten)]
    pub parse: ParseArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

const GREP_AFTER_HELP: &str = "\
A record is a log line plus its continuation lines (stack traces): a record matches \
when the pattern matches within one of its lines, and is printed whole. With \
--multiline none and no other option, output is what `rg PATTERN FILE` prints.

Exit status: 0 if something matched, 1 if nothing did, 2 on an error (an input that \
could not be read, a bad option); 2 wins.";

/// Options every subcommand that reads logs takes.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// How lines group into records: `auto` (stack traces join the line above),
    /// `none` (every line is a record), or a regex that a record's first line matches.
    #[arg(long, value_name = "auto|none|REGEX", default_value = "auto")]
    pub multiline: String,

    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// When to colour output. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Longest line read from a stream (stdin, gzip, zstd) before it is split with a
    /// warning. Mapped files have no limit.
    #[arg(long, value_name = "SIZE", default_value = "16MiB")]
    pub max_line_size: String,

    /// Chunk size for splitting inputs (for testing chunk boundaries).
    #[arg(long, value_name = "SIZE", hide = true)]
    pub chunk_size: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrepOutput {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct GrepArgs {
    /// The pattern (a regex unless -F), then the paths to search (files, directories,
    /// `-` for stdin). With -e, every positional argument is a path.
    #[arg(value_name = "PATTERN] [PATH", num_args = 0..)]
    pub positional: Vec<OsString>,

    /// A pattern to search for (repeatable: any may match).
    #[arg(
        short = 'e',
        long = "regexp",
        value_name = "PATTERN",
        allow_hyphen_values = true
    )]
    pub regexp: Vec<String>,

    /// Treat patterns as literal strings, not regexes.
    #[arg(short = 'F', long)]
    pub fixed_strings: bool,

    /// Match case-insensitively.
    #[arg(short = 'i', long)]
    pub ignore_case: bool,

    /// Match only whole words.
    #[arg(short = 'w', long)]
    pub word_regexp: bool,

    /// Select records that do not match.
    #[arg(short = 'v', long)]
    pub invert_match: bool,

    /// Print only the matched parts, each on its own line.
    #[arg(short = 'o', long)]
    pub only_matching: bool,

    /// Print the number of matching records per input (matches, with -o).
    #[arg(short = 'c', long)]
    pub count: bool,

    /// Print only the paths of inputs with a match.
    #[arg(short = 'l', long)]
    pub files_with_matches: bool,

    /// Print nothing; exit 0 at the first match.
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Stop after N matching records per input.
    #[arg(short = 'm', long, value_name = "N")]
    pub max_count: Option<u64>,

    /// Show line numbers (default when printing to a terminal).
    #[arg(short = 'n', long)]
    pub line_number: bool,

    /// Do not show line numbers.
    #[arg(short = 'N', long, overrides_with = "line_number")]
    pub no_line_number: bool,

    /// Prefix each line with its path (default with several inputs).
    #[arg(short = 'H', long, overrides_with = "no_filename")]
    pub with_filename: bool,

    /// Never prefix lines with their path.
    #[arg(short = 'I', long, overrides_with = "with_filename")]
    pub no_filename: bool,

    /// Print N records after each match.
    #[arg(short = 'A', long, value_name = "N")]
    pub after_context: Option<usize>,

    /// Print N records before each match.
    #[arg(short = 'B', long, value_name = "N")]
    pub before_context: Option<usize>,

    /// Print N records before and after each match.
    #[arg(short = 'C', long, value_name = "N")]
    pub context: Option<usize>,

    /// Output format: text, or json (one object per record: path, line, text).
    #[arg(long, value_enum, default_value_t = GrepOutput::Text, value_name = "FORMAT")]
    pub output: GrepOutput,

    /// Same as --output json.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub parse: ParseArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}
