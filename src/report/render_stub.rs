//! TEMPORARY (not committed): replaced by the renderers branch.
use super::model::Report;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat { Table, Json, Csv, Md, Html }
pub const SECTIONS: &[&str] = &["inputs", "levels", "histogram", "templates", "error_templates", "spikes", "by"];
#[derive(Debug, thiserror::Error)]
#[error("x")]
pub struct ReportError;
pub fn write_report(r: &Report, _f: ReportFormat, _c: bool, _s: Option<&str>, out: &mut dyn std::io::Write) -> Result<(), ReportError> {
    serde_json::to_writer_pretty(&mut *out, r).map_err(|_| ReportError)?; writeln!(out).map_err(|_| ReportError)
}
