//! `logsift formats`: which format each input was detected as, how sure, which fields
//! were found, and a few records as parsed — the first thing to run when numbers look
//! odd. Only the first chunk of each input is read.

use std::io::{self, Write};

use crate::parse::detect::RawParser;
use crate::parse::time::format_rfc3339;
use crate::parse::{Parser, Value, Want};
use crate::record::Framer;
use crate::scan::{self, Chunk, Flow, InputInfo, InputSummary, ScanOptions, Sink, Worker};

/// Everything `formats` needs.
pub struct FormatsConfig {
    pub paths: Vec<std::path::PathBuf>,
    pub scan: ScanOptions,
    pub samples: usize,
    pub json: bool,
}

/// One record as parsed.
struct Sample {
    line: u64,
    text: String,
    ts: Option<i64>,
    level: &'static str,
    msg: Option<String>,
    ok: bool,
    fields: Vec<(String, String)>,
}

/// What the first chunk of an input showed.
pub struct Look {
    records: u64,
    parsed: u64,
    field_names: Vec<String>,
    samples: Vec<Sample>,
}

struct LookWorker {
    framer: Framer,
    samples: usize,
}

impl Worker for LookWorker {
    type Out = Option<Look>;

    fn process(&mut self, info: &InputInfo, chunk: &Chunk) -> Option<Look> {
        if chunk.base != 0 {
            return None;
        }
        let raw: &dyn Parser = &RawParser;
        let parser = info.format.as_ref().map_or(raw, |d| &*d.parser);
        let buf = &chunk.bytes()[..chunk.valid_len()];
        let mut look = Look {
            records: 0,
            parsed: 0,
            field_names: Vec::new(),
            samples: Vec::new(),
        };
        let (mut pos, mut line) = (0, 1u64);
        while pos < buf.len() && look.records < 10_000 {
            let end = self.framer.next_record_end(buf, pos);
            let rec = buf[pos..end].strip_suffix(b"\n").unwrap_or(&buf[pos..end]);
            let p = parser.parse(rec, Want::ALL);
            look.records += 1;
            look.parsed += p.ok as u64;
            let mut fields = Vec::new();
            parser.fields(rec, &mut |name, v: Value<'_>| {
                fields.push((name.to_string(), v.text().into_owned()));
            });
            for (name, _) in &fields {
                if !look.field_names.contains(name) && look.field_names.len() < 64 {
                    look.field_names.push(name.clone());
                }
            }
            if look.samples.len() < self.samples {
                look.samples.push(Sample {
                    line,
                    text: String::from_utf8_lossy(crate::record::line_at(rec, 0)).into_owned(),
                    ts: p.ts,
                    level: p.level.name(),
                    msg: p.msg.map(|m| m.text().into_owned()),
                    ok: p.ok,
                    fields,
                });
            }
            line += bytecount::count(&buf[pos..end], b'\n') as u64;
            pos = end;
        }
        Some(look)
    }
}

struct LookSink<'a> {
    out: &'a mut dyn Write,
    json: bool,
    error: Option<io::Error>,
}

impl Sink<Option<Look>> for LookSink<'_> {
    fn begin(&mut self, _info: &InputInfo) -> Flow {
        Flow::Continue
    }

    fn chunk(&mut self, info: &InputInfo, _chunk: &Chunk, out: Option<Look>) -> Flow {
        let Some(look) = out else {
            return Flow::SkipInput;
        };
        let r = if self.json {
            write_json(self.out, info, &look)
        } else {
            write_text(self.out, info, &look)
        };
        match r {
            Ok(()) => Flow::SkipInput,
            Err(e) => {
                self.error = Some(e);
                Flow::Stop
            }
        }
    }

    fn end(&mut self, _info: &InputInfo, _summary: &InputSummary) -> Flow {
        Flow::Continue
    }
}

fn format_name(info: &InputInfo) -> (&'static str, f64) {
    info.format
        .as_ref()
        .map_or(("raw", 0.0), |d| (d.parser.name(), d.confidence))
}

fn write_text(out: &mut dyn Write, info: &InputInfo, look: &Look) -> io::Result<()> {
    let (name, conf) = format_name(info);
    let mut path = Vec::new();
    crate::grep::print::write_escaped(&mut path, info.name.as_bytes())?;
    out.write_all(&path)?;
    writeln!(
        out,
        ": {name} (confidence {:.2}; {} of the first {} records parsed)",
        conf, look.parsed, look.records
    )?;
    if !look.field_names.is_empty() {
        writeln!(out, "  fields: {}", look.field_names.join(", "))?;
    }
    for s in &look.samples {
        writeln!(out, "  line {}:", s.line)?;
        let mut text = Vec::new();
        crate::grep::print::write_escaped(&mut text, s.text.as_bytes())?;
        writeln!(out, "    text:  {}", String::from_utf8_lossy(&text))?;
        if !s.ok {
            writeln!(out, "    (not understood as {name}: counted as unparsed)")?;
            continue;
        }
        writeln!(
            out,
            "    ts:    {}",
            s.ts.map_or("-".to_string(), format_rfc3339)
        )?;
        writeln!(out, "    level: {}", s.level)?;
        let mut msg = Vec::new();
        crate::grep::print::write_escaped(&mut msg, s.msg.as_deref().unwrap_or("-").as_bytes())?;
        writeln!(out, "    msg:   {}", String::from_utf8_lossy(&msg))?;
        for (k, v) in &s.fields {
            let mut val = Vec::new();
            crate::grep::print::write_escaped(&mut val, v.as_bytes())?;
            writeln!(out, "    {k} = {}", String::from_utf8_lossy(&val))?;
        }
    }
    Ok(())
}

fn write_json(out: &mut dyn Write, info: &InputInfo, look: &Look) -> io::Result<()> {
    let (name, conf) = format_name(info);
    let samples: Vec<serde_json::Value> = look
        .samples
        .iter()
        .map(|s| {
            let fields: serde_json::Map<String, serde_json::Value> = s
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect();
            serde_json::json!({
                "line": s.line,
                "text": s.text,
                "parsed": s.ok,
                "ts": s.ts.map(format_rfc3339),
                "level": s.level,
                "msg": s.msg,
                "fields": fields,
            })
        })
        .collect();
    let v = serde_json::json!({
        "path": info.name,
        "format": name,
        "confidence": conf,
        "records_sampled": look.records,
        "records_parsed": look.parsed,
        "fields": look.field_names,
        "samples": samples,
    });
    serde_json::to_writer(&mut *out, &v)?;
    writeln!(out)
}

/// Runs `formats`.
pub fn run(cfg: &FormatsConfig, out: &mut dyn Write) -> io::Result<()> {
    let mut sink = LookSink {
        out,
        json: cfg.json,
        error: None,
    };
    let framer = cfg.scan.framer.clone();
    let samples = cfg.samples;
    scan::run(
        cfg.paths.clone(),
        &cfg.scan,
        || LookWorker {
            framer: framer.clone(),
            samples,
        },
        &mut sink,
    );
    match sink.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
