//! Format detection: which parser reads an input, decided from a sample of its first
//! records.

use std::fmt;
use std::sync::Arc;

use super::Parser;

/// The parser chosen for one input, and how sure detection was (the share of sampled
/// records the parser understood, 0–1).
#[derive(Clone)]
pub struct Detected {
    pub parser: Arc<dyn Parser>,
    pub confidence: f64,
}

impl fmt::Debug for Detected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detected")
            .field("format", &self.parser.name())
            .field("confidence", &self.confidence)
            .finish()
    }
}

use super::clf::{self, ClfParser};
use super::docker::{self, DockerParser};
use super::json::{self, JsonParser};
use super::logfmt::{self, LogfmtParser};
use super::plain::PlainParser;
use super::regex::RegexParser;
use super::syslog::{self, SyslogParser};
use super::time::TimeCtx;
use super::{Parsed, Value, Want};
use crate::cli::FormatChoice;

/// How to choose parsers, from the command line.
#[derive(Clone, Debug)]
pub struct FormatConfig {
    pub choice: FormatChoice,
    pub regex: Option<String>,
    pub ctx: TimeCtx,
}

/// How many first lines of records detection and schema learning look at.
const SAMPLE_LINES: usize = 200;

/// A structured format wins when at least this share of the sampled lines looks like it.
const MIN_SHARE: f64 = 0.6;

/// Builds the detection function the scanner calls on each input's first bytes.
pub fn detector(cfg: FormatConfig) -> Result<crate::scan::DetectFn, String> {
    let ctx = cfg.ctx.clone();
    let fixed = |p: Arc<dyn Parser>| -> crate::scan::DetectFn {
        Arc::new(move |sample: &[u8]| Detected {
            confidence: parsed_share(&*p, &sample_lines(sample)),
            parser: p.clone(),
        })
    };
    Ok(match cfg.choice {
        FormatChoice::Json => Arc::new(move |sample: &[u8]| {
            let lines = sample_lines(sample);
            let p = json_or_docker(&lines, &ctx);
            Detected {
                confidence: parsed_share(&*p, &lines),
                parser: p,
            }
        }),
        FormatChoice::Logfmt => fixed(Arc::new(LogfmtParser::new(ctx))),
        FormatChoice::Syslog => fixed(Arc::new(SyslogParser::new(ctx))),
        FormatChoice::Clf => fixed(Arc::new(ClfParser::new(ctx))),
        FormatChoice::Regex => {
            let pattern = cfg.regex.as_deref().ok_or("--format regex needs --regex")?;
            fixed(Arc::new(
                RegexParser::new(pattern, ctx).map_err(|e| e.to_string())?,
            ))
        }
        FormatChoice::Plain => Arc::new(move |sample: &[u8]| {
            let lines = sample_lines(sample);
            let p: Arc<dyn Parser> = Arc::new(PlainParser::learn(&lines, ctx.clone()));
            Detected {
                confidence: parsed_share(&*p, &lines),
                parser: p,
            }
        }),
        FormatChoice::Auto => Arc::new(move |sample: &[u8]| auto(sample, &ctx)),
    })
}

/// The first lines of the first records of a sample (stack-trace lines left out: they
/// carry no header).
fn sample_lines(sample: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::with_capacity(SAMPLE_LINES);
    for line in sample.split(|&b| b == b'\n') {
        if lines.len() >= SAMPLE_LINES {
            break;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.is_empty() && !crate::record::is_continuation(line) {
            lines.push(line);
        }
    }
    // The sample's last line may be cut short.
    if lines.len() > 1 && !sample.ends_with(b"\n") && lines.len() < SAMPLE_LINES {
        lines.pop();
    }
    lines
}

fn parsed_share(p: &dyn Parser, lines: &[&[u8]]) -> f64 {
    if lines.is_empty() {
        return 0.0;
    }
    let ok = lines
        .iter()
        .filter(|l| p.parse(l, Want::default()).ok)
        .count();
    ok as f64 / lines.len() as f64
}

fn share(lines: &[&[u8]], probe: fn(&[u8]) -> bool) -> f64 {
    if lines.is_empty() {
        return 0.0;
    }
    lines.iter().filter(|l| probe(l)).count() as f64 / lines.len() as f64
}

/// `--format auto`: the structured format most sampled lines look like, when enough do;
/// otherwise the plain parser with a header schema learned from the sample. JSON lines
/// among others (or others among JSON lines) are still parsed, line by line.
fn auto(sample: &[u8], ctx: &TimeCtx) -> Detected {
    let lines = sample_lines(sample);
    let json_share = share(&lines, json::probe);
    let candidates: [(f64, MakeParser); 4] = [
        (json_share, |c| Arc::new(JsonParser::new(c.clone()))),
        (share(&lines, clf::probe), |c| {
            Arc::new(ClfParser::new(c.clone()))
        }),
        (share(&lines, syslog::probe), |c| {
            Arc::new(SyslogParser::new(c.clone()))
        }),
        (share(&lines, logfmt::probe), |c| {
            Arc::new(LogfmtParser::new(c.clone()))
        }),
    ];
    let best = candidates
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0)))
        .map(|(i, c)| (i, *c));
    if let Some((i, (s, make))) = best
        && s >= MIN_SHARE
    {
        // The JSON candidate is the first.
        let primary = if i == 0 {
            json_or_docker(&lines, ctx)
        } else {
            make(ctx)
        };
        if s < 1.0 {
            let rest: Vec<&[u8]> = lines
                .iter()
                .copied()
                .filter(|l| !primary.parse(l, Want::default()).ok)
                .collect();
            let plain: Arc<dyn Parser> = Arc::new(PlainParser::learn(&rest, ctx.clone()));
            let parser: Arc<dyn Parser> = Arc::new(Mixed {
                first: primary,
                second: plain,
            });
            return Detected {
                confidence: parsed_share(&*parser, &lines),
                parser,
            };
        }
        return Detected {
            confidence: s,
            parser: primary,
        };
    }
    let non_json: Vec<&[u8]> = lines.iter().copied().filter(|l| !json::probe(l)).collect();
    let plain: Arc<dyn Parser> = Arc::new(PlainParser::learn(&non_json, ctx.clone()));
    let parser: Arc<dyn Parser> = if json_share > 0.0 {
        Arc::new(Mixed {
            first: plain,
            second: Arc::new(JsonParser::new(ctx.clone())),
        })
    } else {
        plain
    };
    Detected {
        confidence: parsed_share(&*parser, &lines),
        parser,
    }
}

/// The JSON parser, or the Docker json-file one when most sampled lines are json-file
/// records (`{"log":…,"stream":…,"time":…}`): their level and message are inside `log`.
fn json_or_docker(lines: &[&[u8]], ctx: &TimeCtx) -> Arc<dyn Parser> {
    if share(lines, docker::probe) >= MIN_SHARE {
        Arc::new(DockerParser::learn(lines, ctx.clone()))
    } else {
        Arc::new(JsonParser::new(ctx.clone()))
    }
}

/// Builds a parser for a time context.
type MakeParser = fn(&TimeCtx) -> Arc<dyn Parser>;

/// Two formats in one input: a record is read by the first parser, or by the second
/// when the first does not understand it.
pub struct Mixed {
    first: Arc<dyn Parser>,
    second: Arc<dyn Parser>,
}

impl Mixed {
    fn pick(&self, rec: &[u8]) -> &dyn Parser {
        if self.first.parse(rec, Want::default()).ok || !self.second.parse(rec, Want::default()).ok
        {
            &*self.first
        } else {
            &*self.second
        }
    }
}

impl Parser for Mixed {
    fn name(&self) -> &'static str {
        match (self.first.name(), self.second.name()) {
            ("plain", "json") => "plain+json",
            ("json", _) => "json+plain",
            ("docker", _) => "docker+plain",
            ("logfmt", _) => "logfmt+plain",
            ("syslog", _) => "syslog+plain",
            ("clf", _) => "clf+plain",
            _ => "mixed",
        }
    }

    fn parse<'a>(&self, rec: &'a [u8], want: Want) -> Parsed<'a> {
        let p = self.first.parse(rec, want);
        if p.ok {
            return p;
        }
        let q = self.second.parse(rec, want);
        if q.ok { q } else { p }
    }

    fn field<'a>(&self, rec: &'a [u8], name: &str) -> Option<Value<'a>> {
        self.pick(rec).field(rec, name)
    }

    fn fields<'a>(&self, rec: &'a [u8], f: &mut dyn FnMut(&str, Value<'a>)) {
        self.pick(rec).fields(rec, f)
    }
}

/// Every record is its own message; no timestamp, level unknown.
pub struct RawParser;

impl Parser for RawParser {
    fn name(&self) -> &'static str {
        "raw"
    }

    fn parse<'a>(&self, rec: &'a [u8], _want: Want) -> Parsed<'a> {
        let line = crate::record::line_at(rec, 0);
        Parsed {
            msg: Some(Value::Text(line.strip_suffix(b"\r").unwrap_or(line))),
            ok: true,
            ..Parsed::default()
        }
    }

    fn field<'a>(&self, _rec: &'a [u8], _name: &str) -> Option<Value<'a>> {
        None
    }

    fn fields<'a>(&self, _rec: &'a [u8], _f: &mut dyn FnMut(&str, Value<'a>)) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(sample: &[u8]) -> Detected {
        auto(sample, &TimeCtx::default())
    }

    #[test]
    fn detects_formats() {
        let plain = b"2026-11-28T13:04:05.123Z INFO  [api-7f9c] checkout.PaymentClient - Connection to 10.2.3.4:5432 timed out after 350 ms\n2026-11-28T13:04:06.001Z ERROR [api-7f9c] checkout.PaymentClient - boom\n";
        assert_eq!(detect(plain).parser.name(), "plain");
        let json = b"{\"ts\":\"2026-11-28T13:04:05Z\",\"level\":\"info\",\"msg\":\"a\"}\n{\"ts\":\"2026-11-28T13:04:06Z\",\"level\":\"error\",\"msg\":\"b\"}\n";
        assert_eq!(detect(json).parser.name(), "json");
        let logfmt = b"ts=2026-11-28T13:04:05Z level=info msg=\"a b\" service=api\nts=2026-11-28T13:04:06Z level=warn msg=c service=api\n";
        assert_eq!(detect(logfmt).parser.name(), "logfmt");
        let clf = b"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 2326\n127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET /b HTTP/1.0\" 503 12\n";
        assert_eq!(detect(clf).parser.name(), "clf");
        let syslog = b"<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed\n<13>Oct 11 22:14:16 mymachine cron[9]: ok\n";
        assert_eq!(detect(syslog).parser.name(), "syslog");
        let docker = b"{\"log\":\"ERROR boom\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-28T10:00:00Z\"}\n{\"log\":\"{\\\"level\\\":\\\"warn\\\"}\",\"stream\":\"stdout\",\"time\":\"2026-11-28T10:00:01Z\"}\n";
        let d = detect(docker);
        assert_eq!(d.parser.name(), "docker");
        let first = docker.split(|&b| b == b'\n').next().unwrap();
        assert_eq!(
            d.parser.parse(first, Want::ALL).level,
            crate::parse::Level::Error
        );
        // Also when JSON is asked for.
        let cfg = FormatConfig {
            choice: FormatChoice::Json,
            regex: None,
            ctx: TimeCtx::default(),
        };
        assert_eq!(detector(cfg).unwrap()(docker).parser.name(), "docker");
    }

    #[test]
    fn mixed_json_among_plain_lines() {
        let mut s = Vec::new();
        for i in 0..20 {
            s.extend_from_slice(
                format!("2026-11-28T13:04:{i:02}.000Z INFO  [w] app.Main - step {i}\n").as_bytes(),
            );
        }
        s.extend_from_slice(b"{\"level\":\"error\",\"msg\":\"json line\"}\n");
        let d = detect(&s);
        assert_eq!(d.parser.name(), "plain+json");
        let p = d
            .parser
            .parse(b"{\"level\":\"error\",\"msg\":\"json line\"}", Want::ALL);
        assert_eq!(p.level, crate::parse::Level::Error);
    }

    #[test]
    fn random_bytes_never_panic() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(64), |(b in proptest::collection::vec(any::<u8>(), 0..2000))| {
            let d = detect(&b);
            for line in b.split(|&c| c == b'\n') {
                let _ = d.parser.parse(line, Want::ALL);
            }
        });
    }
}
