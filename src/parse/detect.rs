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

/// Builds the detection function the scanner calls on each input's first bytes.
pub fn detector(cfg: FormatConfig) -> Result<crate::scan::DetectFn, String> {
    let _ = &cfg;
    Ok(Arc::new(move |_sample: &[u8]| Detected {
        parser: Arc::new(RawParser),
        confidence: 0.0,
    }))
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
