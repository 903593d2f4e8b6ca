//! The report that `logsift report` renders: version 1 of the JSON shape fixed in
//! DESIGN.md, as plain data. It is built once from the merged summary; every renderer
//! (terminal, JSON, CSV, Markdown, HTML) reads only this. Times are Unix nanoseconds
//! here and RFC 3339 UTC strings in JSON.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::parse::Level;
use crate::parse::time::format_rfc3339;

/// The JSON report's version; bumped only by an incompatible change.
pub const VERSION: u32 = 1;

/// Record counts per normalised level, in the order of [`Level::ALL`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Levels(pub [u64; 7]);

impl Levels {
    pub fn get(&self, l: Level) -> u64 {
        self.0[l as usize]
    }
    pub fn add(&mut self, l: Level, n: u64) {
        self.0[l as usize] += n;
    }
    pub fn merge(&mut self, o: &Levels) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
    /// error + fatal.
    pub fn errors(&self) -> u64 {
        self.get(Level::Error) + self.get(Level::Fatal)
    }
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

impl Serialize for Levels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(7))?;
        for l in Level::ALL {
            m.serialize_entry(l.name(), &self.get(l))?;
        }
        m.end()
    }
}

/// A timestamp: Unix ns, serialised as RFC 3339 UTC (null when absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub Option<i64>);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(t) => s.serialize_str(&format_rfc3339(t)),
            None => s.serialize_none(),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Input {
    pub path: String,
    /// Detected (or given) format; `"none"` when the input could not be read.
    pub format: String,
    pub bytes: u64,
    pub records: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimeSpan {
    pub first: Time,
    pub last: Time,
    /// Width of the histogram's buckets.
    pub bucket_seconds: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Bucket {
    pub start: Time,
    pub records: u64,
    pub errors: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Template {
    pub template: String,
    pub count: u64,
    /// count / records of the report.
    pub share: f64,
    pub levels: Levels,
    pub first: Time,
    pub last: Time,
    /// The first record of this template in input order (its message's first line).
    pub example: String,
    /// `path:line` of that record.
    pub example_at: String,
}

impl Template {
    pub fn errors(&self) -> u64 {
        self.levels.errors()
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SpikeTemplate {
    pub template: String,
    pub count: u64,
    pub expected: f64,
    /// count / expected.
    pub ratio: f64,
    /// Never seen outside the spike.
    pub new: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Spike {
    /// `"errors"`: the error rate rose; `"template"`: one template rose (named first in
    /// `templates`) while the overall error count hid it.
    pub kind: String,
    pub start: Time,
    /// Exclusive.
    pub end: Time,
    pub errors: u64,
    pub expected: f64,
    pub score: f64,
    pub templates: Vec<SpikeTemplate>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByRow {
    /// The field's value; null for records without the field.
    pub value: Option<String>,
    pub records: u64,
    pub errors: u64,
    pub error_rate: f64,
}

/// The whole report (DESIGN.md, "report -o json (version 1)").
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub version: u32,
    pub inputs: Vec<Input>,
    pub records: u64,
    pub lines: u64,
    /// Records that did not parse under their input's format (level unknown).
    pub unparsed: u64,
    pub levels: Levels,
    pub errors: u64,
    pub error_rate: f64,
    pub time: TimeSpan,
    pub histogram: Vec<Bucket>,
    pub templates: Vec<Template>,
    pub error_templates: Vec<Template>,
    pub spikes: Vec<Spike>,
    /// Per `--by` field: one row per value, sorted by errors, then records, then value.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "by_map")]
    pub by: Vec<(String, Vec<ByRow>)>,
    pub notes: Vec<String>,
}

fn by_map<S: Serializer>(by: &[(String, Vec<ByRow>)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(by.len()))?;
    for (k, v) in by {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

impl Report {
    /// The report as a JSON value (what `--fail-if` names resolve against).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a report serialises")
    }
}

/// errors / records, 0 for no records.
pub fn rate(errors: u64, records: u64) -> f64 {
    if records == 0 {
        0.0
    } else {
        errors as f64 / records as f64
    }
}
