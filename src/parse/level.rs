//! Log levels, normalised to seven keys (the table in DESIGN.md).

/// A normalised level. Ordered by severity; `Unknown` sorts last and is never "at or
/// above" a level in a `--level` filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
    #[default]
    Unknown,
}

impl Level {
    /// All levels, in report order.
    pub const ALL: [Level; 7] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
        Level::Fatal,
        Level::Unknown,
    ];

    /// The key used in reports and `--level`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
            Level::Unknown => "unknown",
        }
    }

    /// Index into `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Error or fatal: what `errors` and `error_rate` count.
    pub fn is_error(self) -> bool {
        matches!(self, Level::Error | Level::Fatal)
    }

    /// A level word in any case: `WARN`, `warning`, `E`, `crit`, `notice`, … (single
    /// letters `V D I W E F` and `A` for assert, as Android writes them). Trailing `:`
    /// or brackets are the caller's to strip.
    pub fn from_word(w: &[u8]) -> Option<Level> {
        if w.is_empty() || w.len() > 13 {
            return None;
        }
        let mut buf = [0u8; 13];
        for (d, s) in buf.iter_mut().zip(w) {
            *d = s.to_ascii_lowercase();
        }
        Some(match &buf[..w.len()] {
            b"trace" | b"trc" | b"v" | b"verbose" | b"finest" | b"finer" => Level::Trace,
            b"debug" | b"dbg" | b"d" | b"fine" | b"config" => Level::Debug,
            b"info" | b"inf" | b"i" | b"information" | b"informational" | b"notice" => Level::Info,
            b"warn" | b"warning" | b"wrn" | b"w" => Level::Warn,
            b"error" | b"err" | b"e" | b"severe" => Level::Error,
            b"fatal" | b"crit" | b"critical" | b"alert" | b"emerg" | b"emergency" | b"panic"
            | b"f" | b"a" => Level::Fatal,
            _ => return None,
        })
    }

    /// A syslog severity, 0 (emergency) to 7 (debug).
    pub fn from_syslog(sev: u8) -> Level {
        match sev {
            0..=2 => Level::Fatal,
            3 => Level::Error,
            4 => Level::Warn,
            5 | 6 => Level::Info,
            _ => Level::Debug,
        }
    }

    /// A pino/bunyan number: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
    pub fn from_number(n: i64) -> Option<Level> {
        Some(match n {
            10 => Level::Trace,
            20 => Level::Debug,
            30 => Level::Info,
            40 => Level::Warn,
            50 => Level::Error,
            60 => Level::Fatal,
            _ => return None,
        })
    }

    /// Parses a `--level` argument (any spelling above).
    pub fn parse_arg(s: &str) -> Option<Level> {
        Level::from_word(s.as_bytes()).filter(|&l| l != Level::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        for (w, l) in [
            ("WARNING", Level::Warn),
            ("Err", Level::Error),
            ("notice", Level::Info),
            ("CRIT", Level::Fatal),
            ("V", Level::Trace),
            ("severe", Level::Error),
            ("informational", Level::Info),
        ] {
            assert_eq!(Level::from_word(w.as_bytes()), Some(l), "{w}");
        }
        assert_eq!(Level::from_word(b"hello"), None);
        assert_eq!(Level::from_syslog(3), Level::Error);
        assert_eq!(Level::from_number(40), Some(Level::Warn));
        assert!(Level::Fatal > Level::Error && Level::Unknown > Level::Fatal);
    }
}
