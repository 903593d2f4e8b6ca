//! `logsift report` and `logsift templates`: one scan that summarises every record
//! (levels, time buckets, masked message keys), merged in input order, then turned into
//! a [`Report`] (`build.rs`). `templates --assign` spools each record's key to a
//! temporary file during the scan and labels the records once the templates are known,
//! so stdin works and memory stays bounded.

pub mod build;
pub mod state;
pub mod worker;

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};

use crate::filter::Filter;
use crate::report::model::{Input, Report};
use crate::scan::{self, Chunk, Flow, InputInfo, InputSummary, ScanOptions, Sink};

use state::{At, Summary};
use worker::{Partial, SummaryWorker};

/// What a summarising scan needs.
#[derive(Clone)]
pub struct ScanConfig {
    pub paths: Vec<std::path::PathBuf>,
    pub scan: ScanOptions,
    pub filter: Filter,
    pub by: Vec<String>,
    /// Spool every record's key for `--assign`.
    pub assign: bool,
}

/// The merged result of a scan.
pub struct Scanned {
    pub summary: Summary,
    pub inputs: Vec<Input>,
    /// With `assign`: (input, line, key) of every record, in input order.
    pub spool: Option<Spool>,
}

struct SummarySink {
    total: Summary,
    inputs: Vec<Input>,
    /// Lines of the current input before the current chunk.
    line_base: u64,
    spool: Option<Spool>,
    spool_err: Option<io::Error>,
}

impl Sink<Partial> for SummarySink {
    fn begin(&mut self, info: &InputInfo) -> Flow {
        self.line_base = 0;
        self.inputs.push(Input {
            path: info.name.clone(),
            format: info
                .format
                .as_ref()
                .map_or("none", |d| d.parser.name())
                .to_string(),
            bytes: 0,
            records: 0,
        });
        Flow::Continue
    }

    fn chunk(&mut self, info: &InputInfo, _chunk: &Chunk, out: Partial) -> Flow {
        let Partial {
            mut summary,
            assigned,
        } = out;
        let first_line = self.line_base + 1;
        for k in summary.keys.values_mut() {
            if k.example_at != state::NOWHERE {
                k.example_at.line += first_line;
            }
        }
        if let Some(sp) = &mut self.spool
            && self.spool_err.is_none()
        {
            for (line, key) in assigned {
                if let Err(e) = sp.push(info.index as u32, first_line + line, key) {
                    self.spool_err = Some(e);
                    break;
                }
            }
        }
        self.line_base += summary.lines;
        if let Some(i) = self.inputs.last_mut() {
            i.records += summary.records;
        }
        self.total.merge(summary);
        Flow::Continue
    }

    fn end(&mut self, _info: &InputInfo, summary: &InputSummary) -> Flow {
        if let Some(i) = self.inputs.last_mut() {
            i.bytes = summary.bytes;
        }
        Flow::Continue
    }
}

/// Scans the inputs into one merged summary.
pub fn scan(cfg: &ScanConfig) -> io::Result<Scanned> {
    let mut sink = SummarySink {
        total: Summary::new(cfg.by.len()),
        inputs: Vec::new(),
        line_base: 0,
        spool: if cfg.assign {
            Some(Spool::new()?)
        } else {
            None
        },
        spool_err: None,
    };
    let (framer, filter, by, assign) = (
        cfg.scan.framer.clone(),
        cfg.filter.clone(),
        cfg.by.clone(),
        cfg.assign,
    );
    scan::run(
        cfg.paths.clone(),
        &cfg.scan,
        || SummaryWorker::new(framer.clone(), filter.clone(), by.clone(), assign),
        &mut sink,
    );
    if let Some(e) = sink.spool_err {
        return Err(io::Error::new(
            e.kind(),
            format!("writing the temporary file of record labels: {e}"),
        ));
    }
    Ok(Scanned {
        summary: sink.total,
        inputs: sink.inputs,
        spool: sink.spool,
    })
}

/// Builds the report of a scan.
pub fn report(s: Scanned, shape: &build::Shape) -> Report {
    build::report(&s.summary, s.inputs, shape, Vec::new())
}

/// Each record's (input, line, key), 20 bytes apiece, in an anonymous temporary file.
pub struct Spool {
    w: BufWriter<File>,
    n: u64,
}

impl Spool {
    fn new() -> io::Result<Spool> {
        Ok(Spool {
            w: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            n: 0,
        })
    }

    fn push(&mut self, input: u32, line: u64, key: u64) -> io::Result<()> {
        let mut b = [0u8; 20];
        b[..4].copy_from_slice(&input.to_le_bytes());
        b[4..12].copy_from_slice(&line.to_le_bytes());
        b[12..].copy_from_slice(&key.to_le_bytes());
        self.n += 1;
        self.w.write_all(&b)
    }

    /// Calls `f` with every entry, in the order they were pushed.
    pub fn replay(self, mut f: impl FnMut(At, u64) -> io::Result<()>) -> io::Result<()> {
        let mut file = self.w.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut r = BufReader::with_capacity(1 << 20, file);
        let mut b = [0u8; 20];
        for _ in 0..self.n {
            r.read_exact(&mut b)?;
            let input = u32::from_le_bytes(b[..4].try_into().expect("4 bytes"));
            let line = u64::from_le_bytes(b[4..12].try_into().expect("8 bytes"));
            let key = u64::from_le_bytes(b[12..].try_into().expect("8 bytes"));
            f(At { input, line }, key)?;
        }
        debug_assert!(r.fill_buf().map_or(true, |b| b.is_empty()));
        Ok(())
    }
}
