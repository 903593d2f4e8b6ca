//! `logsift report`: the one-shot summary — volume, levels, error rate, top templates,
//! histogram, spikes — in any output format, and `--fail-if` conditions for cron jobs.

use std::io::{self, Write};

use crate::fail_if::Condition;
use crate::report::model::Input;
use crate::report::{self, ReportFormat};
use crate::summary::state::Summary;
use crate::summary::{self, ScanConfig, build};

#[derive(Clone)]
pub struct ReportConfig {
    pub scan: ScanConfig,
    pub shape: build::Shape,
    pub fail_if: Vec<Condition>,
    pub format: ReportFormat,
    pub section: Option<String>,
    pub color: bool,
}

/// What a run ended with.
pub struct Outcome {
    /// The `--fail-if` conditions that held.
    pub failed: Vec<String>,
}

/// The JSON of an empty report: what `--fail-if` names are checked against.
pub fn skeleton() -> serde_json::Value {
    let shape = build::Shape {
        top: 0,
        bucket: None,
        by: Vec::new(),
        sensitivity_z: 5.0,
    };
    build::report(&Summary::new(0), Vec::<Input>::new(), &shape, Vec::new()).to_json()
}

/// Runs `report`: scans, writes the report, then checks the conditions.
pub fn run(cfg: &ReportConfig, out: &mut dyn Write) -> io::Result<Outcome> {
    let scanned = summary::scan(&cfg.scan)?;
    let rep = summary::report(scanned, &cfg.shape);
    report::write_report(&rep, cfg.format, cfg.color, cfg.section.as_deref(), out).map_err(
        |e| match e {
            report::ReportError::Io(e) => e,
            e => io::Error::new(io::ErrorKind::InvalidInput, e.to_string()),
        },
    )?;
    let json = rep.to_json();
    let mut failed = Vec::new();
    for c in &cfg.fail_if {
        match c.holds(&json) {
            Ok(true) => failed.push(c.text.clone()),
            Ok(false) => {}
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidInput, e.to_string())),
        }
    }
    Ok(Outcome { failed })
}
