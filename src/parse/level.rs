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
    /// or brackets are the caller's to strip. Hot: the plain parser asks it about
    /// header words of every record.
    pub fn from_word(w: &[u8]) -> Option<Level> {
        // Every spelling is letters only, so a byte ORed with 0x20 equals a spelling's
        // (lower-case) letter exactly when it is that letter in either case: each
        // length compares the folded word with its spellings at once, and most words
        // are rejected by their length alone.
        Some(match w.len() {
            1 => match fold::<1>(w) {
                c if c == const { word(b"v") } => Level::Trace,
                c if c == const { word(b"d") } => Level::Debug,
                c if c == const { word(b"i") } => Level::Info,
                c if c == const { word(b"w") } => Level::Warn,
                c if c == const { word(b"e") } => Level::Error,
                c if c == const { word(b"f") } || c == const { word(b"a") } => Level::Fatal,
                _ => return None,
            },
            3 => match fold::<3>(w) {
                c if c == const { word(b"trc") } => Level::Trace,
                c if c == const { word(b"dbg") } => Level::Debug,
                c if c == const { word(b"inf") } => Level::Info,
                c if c == const { word(b"wrn") } => Level::Warn,
                c if c == const { word(b"err") } => Level::Error,
                _ => return None,
            },
            4 => match fold::<4>(w) {
                c if c == const { word(b"info") } => Level::Info,
                c if c == const { word(b"warn") } => Level::Warn,
                c if c == const { word(b"fine") } => Level::Debug,
                c if c == const { word(b"crit") } => Level::Fatal,
                _ => return None,
            },
            5 => match fold::<5>(w) {
                c if c == const { word(b"error") } => Level::Error,
                c if c == const { word(b"debug") } => Level::Debug,
                c if c == const { word(b"trace") } => Level::Trace,
                c if c == const { word(b"finer") } => Level::Trace,
                c if c == const { word(b"fatal") }
                    || c == const { word(b"alert") }
                    || c == const { word(b"emerg") }
                    || c == const { word(b"panic") } =>
                {
                    Level::Fatal
                }
                _ => return None,
            },
            6 => match fold::<6>(w) {
                c if c == const { word(b"notice") } => Level::Info,
                c if c == const { word(b"severe") } => Level::Error,
                c if c == const { word(b"finest") } => Level::Trace,
                c if c == const { word(b"config") } => Level::Debug,
                _ => return None,
            },
            7 => match fold::<7>(w) {
                c if c == const { word(b"warning") } => Level::Warn,
                c if c == const { word(b"verbose") } => Level::Trace,
                _ => return None,
            },
            8 if fold::<8>(w) == const { word(b"critical") } => Level::Fatal,
            9 if fold::<9>(w) == const { word(b"emergency") } => Level::Fatal,
            11 if fold::<11>(w) == const { word(b"information") } => Level::Info,
            13 if fold::<13>(w) == const { word(b"informational") } => Level::Info,
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

/// A spelling of up to 16 letters as a number (little-endian, zero-padded).
const fn word(s: &[u8]) -> u128 {
    let mut x = 0u128;
    let mut i = 0;
    while i < s.len() {
        x |= (s[i] as u128) << (8 * i);
        i += 1;
    }
    x
}

/// `w`, which is `N` (at most 16) bytes long, as [`word`] reads it, every byte ORed
/// with 0x20.
#[inline(always)]
fn fold<const N: usize>(w: &[u8]) -> u128 {
    let mut buf = [0u8; 16];
    buf[..N].copy_from_slice(&w[..N]);
    u128::from_le_bytes(buf) | (0x2020_2020_2020_2020_2020_2020_2020_2020 >> (8 * (16 - N)))
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

    /// The plain definition `from_word` must agree with.
    fn reference(w: &[u8]) -> Option<Level> {
        let w = w.to_ascii_lowercase();
        Some(match &w[..] {
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

    #[test]
    fn agrees_with_the_reference() {
        // Every byte string of up to two bytes, every spelling in every case mix and
        // with each byte replaced by a byte that differs from it only in bit 0x20.
        let mut words: Vec<Vec<u8>> = vec![vec![]];
        for a in 0..=255u8 {
            words.push(vec![a]);
            for b in 0..=255u8 {
                words.push(vec![a, b]);
            }
        }
        let spellings = [
            "trace",
            "trc",
            "v",
            "verbose",
            "finest",
            "finer",
            "debug",
            "dbg",
            "d",
            "fine",
            "config",
            "info",
            "inf",
            "i",
            "information",
            "informational",
            "notice",
            "warn",
            "warning",
            "wrn",
            "w",
            "error",
            "err",
            "e",
            "severe",
            "fatal",
            "crit",
            "critical",
            "alert",
            "emerg",
            "emergency",
            "panic",
            "f",
            "a",
        ];
        for s in spellings {
            let s = s.as_bytes();
            for mask in 0..(1u32 << s.len().min(13)) {
                let w: Vec<u8> = s
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| {
                        if mask >> i & 1 == 1 {
                            b.to_ascii_uppercase()
                        } else {
                            b
                        }
                    })
                    .collect();
                words.push(w);
            }
            for i in 0..s.len() {
                for b in [
                    s[i] ^ 0x20,
                    s[i] ^ 0x60,
                    s[i] & !0x20 & 0x1f,
                    s[i] | 0x80,
                    0,
                ] {
                    let mut w = s.to_vec();
                    w[i] = b;
                    words.push(w);
                }
            }
            words.push([s, b"x"].concat());
            words.push([s, b" "].concat());
            words.push(s[1..].to_vec());
        }
        for w in &words {
            assert_eq!(Level::from_word(w), reference(w), "{w:?}");
        }
    }
}
