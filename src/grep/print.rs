//! Printing grep results, in input order, on the caller's thread.
//!
//! Output follows ripgrep where grep and ripgrep differ: `path:line:text` for matching
//! records and `path-line-text` for context, every printed line with its own number,
//! `--` between context groups that do not touch, `-c` silent for inputs with no match.
//! Context (`-A/-B/-C`) counts records and crosses chunk boundaries: the last few
//! records of each chunk are kept (copied, they are few) for the next hit's `-B`.
//!
//! To a terminal, control characters from the log are shown escaped (`\x1b`), never
//! replayed; into a pipe, bytes pass unchanged.

use std::collections::VecDeque;
use std::io::{self, Write};

use super::matcher::Matcher;
use super::search::Found;
use crate::parse::time::format_rfc3339;
use crate::parse::{Parser, Value, Want};
use crate::record::Framer;
use crate::scan::{Chunk, Flow, InputInfo, InputSummary, Sink};

/// What grep prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Records,
    Count,
    FilesWithMatches,
    Quiet,
}

#[derive(Clone, Debug)]
pub struct PrintOptions {
    pub mode: Mode,
    pub json: bool,
    pub only_matching: bool,
    pub line_numbers: bool,
    pub with_filename: bool,
    pub color: bool,
    pub escape_controls: bool,
    pub before: usize,
    pub after: usize,
    pub max_count: Option<u64>,
    pub invert: bool,
}

const PATH_COLOR: &[u8] = b"\x1b[35m";
const LINE_COLOR: &[u8] = b"\x1b[32m";
const MATCH_COLOR: &[u8] = b"\x1b[1;31m";
const RESET: &[u8] = b"\x1b[0m";

struct TailRecord {
    abs_start: u64,
    abs_end: u64,
    line: u64,
    bytes: Vec<u8>,
}

/// Per-input printing state.
#[derive(Default)]
struct InputState {
    count: u64,
    /// Line number of the current chunk's first line (1-based).
    line_base: u64,
    /// Offset one past the last record printed from this input.
    last_end: Option<u64>,
    after_left: usize,
    tail: VecDeque<TailRecord>,
    /// `-m` reached (or `-l` printed the path): print what is left of the
    /// after-context, then ignore the rest of the input — chunks already in flight when
    /// the scanner was told to skip it still arrive.
    done: bool,
}

pub struct Printer<W: Write> {
    out: W,
    opts: PrintOptions,
    matcher: Matcher,
    framer: Framer,
    state: InputState,
    /// Line-number cursor in the current chunk: (offset, line number there).
    cursor: (usize, u64),
    printed_any: bool,
    pub matched_any: bool,
    /// An output error other than a closed pipe.
    pub write_error: Option<io::Error>,
    /// The reader of our output went away (`| head`).
    pub broken_pipe: bool,
}

impl<W: Write> Printer<W> {
    pub fn new(out: W, opts: PrintOptions, matcher: Matcher, framer: Framer) -> Self {
        Printer {
            out,
            opts,
            matcher,
            framer,
            state: InputState::default(),
            cursor: (0, 1),
            printed_any: false,
            matched_any: false,
            write_error: None,
            broken_pipe: false,
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn context(&self) -> bool {
        self.opts.before > 0 || self.opts.after > 0
    }

    /// Turns an output error into a flow decision.
    fn handle(&mut self, r: io::Result<()>) -> Flow {
        match r {
            Ok(()) => Flow::Continue,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.broken_pipe = true;
                Flow::Stop
            }
            Err(e) => {
                self.write_error = Some(e);
                Flow::Stop
            }
        }
    }

    /// Line number of byte `pos` of the current chunk.
    fn line_at(&mut self, buf: &[u8], pos: usize) -> u64 {
        if !self.opts.line_numbers {
            return 0;
        }
        let (cp, cl) = self.cursor;
        let line = if pos >= cp {
            cl + bytecount::count(&buf[cp..pos], b'\n') as u64
        } else {
            cl - bytecount::count(&buf[pos..cp], b'\n') as u64
        };
        self.cursor = (pos, line);
        line
    }

    fn print_chunk(&mut self, info: &InputInfo, chunk: &Chunk, found: &Found) -> io::Result<()> {
        let buf = &chunk.bytes()[..chunk.valid_len()];
        let base = chunk.base;
        self.cursor = (0, self.state.line_base);
        for hit in &found.hits {
            if self.state.done || hit.start >= buf.len() {
                break;
            }
            self.after_context(info, buf, base, hit.start)?;
            self.before_context(info, buf, base, hit.start)?;
            let line = self.state.line_base + hit.line;
            self.cursor = (hit.start, line);
            self.emit(
                info,
                &buf[hit.start..hit.end.min(buf.len())],
                base + hit.start as u64,
                line,
                true,
            )?;
            self.state.count += 1;
            self.matched_any = true;
            self.state.after_left = self.opts.after;
            if self.opts.max_count.is_some_and(|m| self.state.count >= m) {
                self.state.done = true;
            }
        }
        self.after_context(info, buf, base, buf.len())?;
        if self.opts.before > 0 {
            self.save_tail(buf, base);
        }
        Ok(())
    }

    /// Prints pending after-context records of this chunk, up to `limit`.
    fn after_context(
        &mut self,
        info: &InputInfo,
        buf: &[u8],
        base: u64,
        limit: usize,
    ) -> io::Result<()> {
        let mut p = match self.state.last_end {
            Some(le) if le >= base => (le - base) as usize,
            _ => 0,
        };
        while self.state.after_left > 0 && p < limit {
            let e = self.framer.next_record_end(buf, p).min(limit);
            let line = self.line_at(buf, p);
            // After `-m` is reached, a record that would have been selected is still
            // shown as a match, as ripgrep does.
            let is_match = self.state.done && self.selects(&buf[p..e]);
            self.emit(info, &buf[p..e], base + p as u64, line, is_match)?;
            self.state.after_left -= 1;
            p = e;
        }
        Ok(())
    }

    /// Would the search select this record (pattern, and `-v`)?
    fn selects(&self, rec: &[u8]) -> bool {
        let body = rec.strip_suffix(b"\n").unwrap_or(rec);
        body.split(|&b| b == b'\n')
            .any(|l| self.matcher.is_match_line(l))
            != self.opts.invert
    }

    /// Prints up to `-B` records before the record at `start` not printed yet.
    fn before_context(
        &mut self,
        info: &InputInfo,
        buf: &[u8],
        base: u64,
        start: usize,
    ) -> io::Result<()> {
        let b = self.opts.before;
        if b == 0 {
            return Ok(());
        }
        let floor = match self.state.last_end {
            Some(le) if le >= base => (le - base) as usize,
            _ => 0,
        };
        let mut recs = Vec::new();
        let mut e = start;
        while recs.len() < b && e > floor {
            let s = self.framer.prev_record_start(buf, e, floor);
            recs.push((s, e));
            e = s;
        }
        let need = b - recs.len();
        if need > 0 && e == 0 && self.state.last_end.is_none_or(|le| le <= base) {
            let printed = self.state.last_end.unwrap_or(0);
            let tail: Vec<TailRecord> = std::mem::take(&mut self.state.tail)
                .into_iter()
                .filter(|t| t.abs_start >= printed && t.abs_end <= base)
                .collect();
            let skip = tail.len().saturating_sub(need);
            for t in &tail[skip..] {
                self.emit(info, &t.bytes, t.abs_start, t.line, false)?;
            }
        }
        for &(s, e) in recs.iter().rev() {
            let line = self.line_at(buf, s);
            self.emit(info, &buf[s..e], base + s as u64, line, false)?;
        }
        Ok(())
    }

    /// Keeps the chunk's last `-B` unprinted records for a hit in the next chunk.
    fn save_tail(&mut self, buf: &[u8], base: u64) {
        let b = self.opts.before;
        let floor = match self.state.last_end {
            Some(le) if le >= base => ((le - base) as usize).min(buf.len()),
            _ => 0,
        };
        let mut recs = Vec::new();
        let mut e = buf.len();
        while recs.len() < b && e > floor {
            let s = self.framer.prev_record_start(buf, e, floor);
            recs.push((s, e));
            e = s;
        }
        for &(s, e) in recs.iter().rev() {
            let line = self.line_at(buf, s);
            self.state.tail.push_back(TailRecord {
                abs_start: base + s as u64,
                abs_end: base + e as u64,
                line,
                bytes: buf[s..e].to_vec(),
            });
        }
        while self.state.tail.len() > b {
            self.state.tail.pop_front();
        }
    }

    /// Prints one record (a match or context), with a `--` before it when it does not
    /// follow the last printed record.
    fn emit(
        &mut self,
        info: &InputInfo,
        rec: &[u8],
        abs_start: u64,
        line: u64,
        is_match: bool,
    ) -> io::Result<()> {
        if self.context()
            && self.printed_any
            && self.state.last_end != Some(abs_start)
            && !self.opts.json
        {
            self.out.write_all(b"--\n")?;
        }
        self.printed_any = true;
        self.state.last_end = Some(abs_start + rec.len() as u64);
        if self.opts.json {
            return self.write_json(info, rec, line, is_match);
        }
        if self.opts.only_matching {
            if is_match {
                self.write_only_matching(info, rec, line)?;
            }
            return Ok(());
        }
        let plain = !self.opts.with_filename
            && !self.opts.line_numbers
            && !self.opts.color
            && !self.opts.escape_controls;
        if plain {
            self.out.write_all(rec)?;
            if !rec.ends_with(b"\n") {
                self.out.write_all(b"\n")?;
            }
            return Ok(());
        }
        let sep = if is_match { b':' } else { b'-' };
        let body = rec.strip_suffix(b"\n").unwrap_or(rec);
        for (i, l) in body.split(|&b| b == b'\n').enumerate() {
            self.prefix(info, line + i as u64, sep)?;
            if is_match && self.opts.color {
                self.write_colored(l)?;
            } else {
                self.write_text(l)?;
            }
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn prefix(&mut self, info: &InputInfo, line: u64, sep: u8) -> io::Result<()> {
        if self.opts.with_filename {
            if self.opts.color {
                self.out.write_all(PATH_COLOR)?;
            }
            let name = info.name.as_bytes();
            if self.opts.escape_controls {
                write_escaped(&mut self.out, name)?;
            } else {
                self.out.write_all(name)?;
            }
            if self.opts.color {
                self.out.write_all(RESET)?;
            }
            self.out.write_all(&[sep])?;
        }
        if self.opts.line_numbers {
            if self.opts.color {
                self.out.write_all(LINE_COLOR)?;
            }
            write!(self.out, "{line}")?;
            if self.opts.color {
                self.out.write_all(RESET)?;
            }
            self.out.write_all(&[sep])?;
        }
        Ok(())
    }

    fn write_text(&mut self, text: &[u8]) -> io::Result<()> {
        if self.opts.escape_controls {
            write_escaped(&mut self.out, text)
        } else {
            self.out.write_all(text)
        }
    }

    fn write_colored(&mut self, line: &[u8]) -> io::Result<()> {
        let mut spans = Vec::new();
        self.matcher
            .for_each_in_line(line, |s, e| spans.push((s, e)));
        let mut at = 0;
        for (s, e) in spans {
            if e == s {
                continue;
            }
            self.write_text(&line[at..s])?;
            self.out.write_all(MATCH_COLOR)?;
            self.write_text(&line[s..e])?;
            self.out.write_all(RESET)?;
            at = e;
        }
        self.write_text(&line[at..])
    }

    fn write_only_matching(&mut self, info: &InputInfo, rec: &[u8], line: u64) -> io::Result<()> {
        let body = rec.strip_suffix(b"\n").unwrap_or(rec);
        for (i, l) in body.split(|&b| b == b'\n').enumerate() {
            let mut spans = Vec::new();
            self.matcher.for_each_in_line(l, |s, e| spans.push((s, e)));
            for (s, e) in spans {
                if s == e {
                    continue;
                }
                self.prefix(info, line + i as u64, b':')?;
                if self.opts.color {
                    self.out.write_all(MATCH_COLOR)?;
                }
                self.write_text(&l[s..e])?;
                if self.opts.color {
                    self.out.write_all(RESET)?;
                }
                self.out.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    fn write_json(
        &mut self,
        info: &InputInfo,
        rec: &[u8],
        line: u64,
        is_match: bool,
    ) -> io::Result<()> {
        let text = rec.strip_suffix(b"\n").unwrap_or(rec);
        self.out.write_all(b"{\"path\":")?;
        serde_json::to_writer(&mut self.out, &info.name)?;
        write!(self.out, ",\"line\":{line},\"text\":")?;
        serde_json::to_writer(&mut self.out, &String::from_utf8_lossy(text))?;
        if let Some(d) = &info.format {
            write_parsed(&mut self.out, &*d.parser, text)?;
        }
        if !is_match {
            self.out.write_all(b",\"context\":true")?;
        }
        self.out.write_all(b"}\n")
    }

    fn write_count(&mut self, info: &InputInfo) -> io::Result<()> {
        if self.opts.json {
            self.out.write_all(b"{\"path\":")?;
            serde_json::to_writer(&mut self.out, &info.name)?;
            return writeln!(self.out, ",\"count\":{}}}", self.state.count);
        }
        if self.opts.with_filename {
            self.write_path(info)?;
            self.out.write_all(b":")?;
        }
        writeln!(self.out, "{}", self.state.count)
    }

    fn write_path(&mut self, info: &InputInfo) -> io::Result<()> {
        if self.opts.color {
            self.out.write_all(PATH_COLOR)?;
        }
        if self.opts.escape_controls {
            write_escaped(&mut self.out, info.name.as_bytes())?;
        } else {
            self.out.write_all(info.name.as_bytes())?;
        }
        if self.opts.color {
            self.out.write_all(RESET)?;
        }
        Ok(())
    }
}

impl<W: Write> Sink<Found> for Printer<W> {
    fn begin(&mut self, _info: &InputInfo) -> Flow {
        self.state = InputState {
            line_base: 1,
            ..InputState::default()
        };
        Flow::Continue
    }

    fn chunk(&mut self, info: &InputInfo, chunk: &Chunk, found: Found) -> Flow {
        if self.opts.max_count == Some(0) || (self.state.done && self.state.after_left == 0) {
            return Flow::SkipInput;
        }
        let flow = match self.opts.mode {
            Mode::Quiet if found.count > 0 => {
                self.matched_any = true;
                Flow::Stop
            }
            Mode::Quiet => Flow::Continue,
            Mode::FilesWithMatches if found.count > 0 => {
                self.matched_any = true;
                self.state.done = true;
                let r = self
                    .write_path(info)
                    .and_then(|()| self.out.write_all(b"\n"));
                match self.handle(r) {
                    Flow::Continue => Flow::SkipInput,
                    f => f,
                }
            }
            Mode::FilesWithMatches => Flow::Continue,
            Mode::Count => {
                let mut n = self.state.count + found.count;
                if let Some(m) = self.opts.max_count {
                    n = n.min(m);
                }
                self.state.count = n;
                if self.opts.max_count.is_some_and(|m| n >= m) {
                    self.state.done = true;
                    Flow::SkipInput
                } else {
                    Flow::Continue
                }
            }
            Mode::Records => {
                let r = self.print_chunk(info, chunk, &found);
                match self.handle(r) {
                    Flow::Continue if self.state.done && self.state.after_left == 0 => {
                        Flow::SkipInput
                    }
                    f => f,
                }
            }
        };
        self.state.line_base += found.newlines;
        if flow == Flow::Continue && info.stream {
            // A live pipe's matches must show up now, not when a buffer fills.
            let r = self.out.flush();
            return self.handle(r);
        }
        flow
    }

    fn end(&mut self, info: &InputInfo, _summary: &InputSummary) -> Flow {
        if self.opts.mode == Mode::Count && self.state.count > 0 {
            self.matched_any = true;
            let r = self.write_count(info);
            return self.handle(r);
        }
        Flow::Continue
    }
}

/// Adds `"ts","level","msg","fields"` of a parsed record to a JSON object being written.
fn write_parsed(out: &mut impl Write, parser: &dyn Parser, rec: &[u8]) -> io::Result<()> {
    let p = parser.parse(rec, Want::ALL);
    out.write_all(b",\"ts\":")?;
    match p.ts {
        Some(ts) => serde_json::to_writer(&mut *out, &format_rfc3339(ts))?,
        None => out.write_all(b"null")?,
    }
    write!(out, ",\"level\":\"{}\",\"msg\":", p.level.name())?;
    match p.msg {
        Some(m) => serde_json::to_writer(&mut *out, &m.text())?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"fields\":{")?;
    let mut first = true;
    let mut err = Ok(());
    parser.fields(rec, &mut |name, v| {
        if err.is_err() {
            return;
        }
        let r = (|| -> io::Result<()> {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut *out, name)?;
            out.write_all(b":")?;
            match v {
                Value::Num(n) if serde_json::from_slice::<serde_json::Number>(n).is_ok() => {
                    out.write_all(n)
                }
                Value::Bool(b) => write!(out, "{b}"),
                Value::Null => out.write_all(b"null"),
                Value::Raw(r) if serde_json::from_slice::<serde_json::Value>(r).is_ok() => {
                    out.write_all(r)
                }
                v => serde_json::to_writer(&mut *out, &v.text()).map_err(io::Error::from),
            }
        })();
        err = r;
    });
    err?;
    out.write_all(b"}")
}

/// Writes text with control characters shown, not executed: C0 controls (but tab),
/// DEL and UTF-8-encoded C1 controls become `\xNN` / `\u{NN}`. A final `\r` (CRLF
/// logs) is dropped from view, as a terminal would show nothing for it anyway.
pub fn write_escaped(out: &mut impl Write, text: &[u8]) -> io::Result<()> {
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    let mut at = 0;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        let c1 = b == 0xc2 && text.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n));
        if (b < 0x20 && b != b'\t') || b == 0x7f || c1 {
            out.write_all(&text[at..i])?;
            if c1 {
                write!(out, "\\u{{{:02x}}}", text[i + 1])?;
                i += 2;
            } else {
                write!(out, "\\x{b:02x}")?;
                i += 1;
            }
            at = i;
        } else {
            i += 1;
        }
    }
    out.write_all(&text[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls() {
        let mut v = Vec::new();
        write_escaped(&mut v, b"a\x1b[31mred\tx\x7f\xc2\x9b\xc3\xa9\r").unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "a\\x1b[31mred\tx\\x7f\\u{9b}é"
        );
    }
}
