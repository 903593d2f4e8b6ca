//! The parallel driver: the one place that knows all the threads.
//!
//! ```text
//! producer thread ──jobs──► N worker threads ──results──► caller's thread (the Sink)
//!   expands paths, maps      run the Worker on           puts results back in input
//!   files or reads streams,  each chunk                  order and hands them to the
//!   cuts chunks                                          Sink (printing, merging)
//! ```
//!
//! Every event (input begins, chunk, input ends, problem) carries a sequence number; the
//! sink sees them in exactly that order, so output is identical at any thread count.
//! Memory is bounded by tokens: the producer takes one per event and the sink returns it
//! once the event is handled, so at most `tokens` chunks are ever in flight.
//!
//! Threads are detached, not joined, when the sink stops early (`-q`, a closed pipe):
//! the producer may be blocked reading a live pipe that will never end, and the process
//! is about to exit anyway.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use super::stream::StreamCutter;
use super::{Chunk, Pool, chunk_end};
use crate::input::{self, Compression, Item, Opened};
use crate::messages;
use crate::parse::detect::Detected;
use crate::record::Framer;

/// How the scan runs.
#[derive(Clone)]
pub struct ScanOptions {
    pub threads: usize,
    pub chunk_size: usize,
    pub framer: Framer,
    /// Longest line a stream buffer grows to before the line is split.
    pub max_line: usize,
    /// Show a progress bar on stderr for large inputs.
    pub progress: bool,
    /// Detects each input's format from its first bytes (none: records are not parsed).
    pub detect: Option<DetectFn>,
}

/// Detects an input's format from a sample of its first bytes (whole records).
pub type DetectFn = Arc<dyn Fn(&[u8]) -> Detected + Send + Sync>;

/// How many leading bytes of an input format detection looks at (at most).
pub const DETECT_SAMPLE: usize = 256 << 10;

/// Per-chunk work, run on worker threads. Each worker owns its state.
pub trait Worker: Send + 'static {
    type Out: Send + 'static;
    fn process(&mut self, info: &InputInfo, chunk: &Chunk) -> Self::Out;
}

/// What the sink is told about an input when it begins.
pub struct InputInfo {
    pub index: usize,
    pub name: String,
    /// Size on disk, when known.
    pub size: Option<u64>,
    pub compression: Compression,
    /// Read as a stream (stdin, pipe, decompressor) rather than mapped.
    pub stream: bool,
    /// The detected format, when the run parses records.
    pub format: Option<Detected>,
}

/// What the sink is told about an input when it ends.
#[derive(Debug, Default)]
pub struct InputSummary {
    /// Bytes read (decompressed).
    pub bytes: u64,
    /// Set when reading failed part way; what was read before was processed.
    pub failed: bool,
}

/// What the sink wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Skip the rest of the current input (`-l`, `-m`).
    SkipInput,
    /// Stop everything (`-q` matched, output closed).
    Stop,
}

/// Receives results in input order, on the caller's thread.
pub trait Sink<O> {
    fn begin(&mut self, info: &InputInfo) -> Flow;
    fn chunk(&mut self, info: &InputInfo, chunk: &Chunk, out: O) -> Flow;
    fn end(&mut self, info: &InputInfo, summary: &InputSummary) -> Flow;
}

enum Event<O> {
    Begin(Arc<InputInfo>),
    Chunk(Arc<InputInfo>, Chunk, Option<O>),
    End(Arc<InputInfo>, InputSummary, Option<String>),
    Error(String),
    Warning(String),
    /// A chunk whose worker panicked.
    Lost(Arc<InputInfo>, String),
}

enum Job {
    Work(u64, Arc<InputInfo>, Chunk),
}

struct Control {
    stop: AtomicBool,
    /// Index + 1 of an input whose remaining chunks are not wanted.
    skip: AtomicUsize,
}

impl Control {
    fn skipped(&self, input: usize) -> bool {
        self.stop.load(Ordering::Relaxed) || self.skip.load(Ordering::Relaxed) == input + 1
    }
}

/// Runs the scan over `paths` and feeds `sink`. Returns false when the sink stopped early.
pub fn run<W, S, F>(
    paths: Vec<std::path::PathBuf>,
    opts: &ScanOptions,
    make_worker: F,
    sink: &mut S,
) -> bool
where
    W: Worker,
    S: Sink<W::Out>,
    F: Fn() -> W,
{
    let threads = opts.threads.max(1);
    let ntokens = threads * 4 + 4;
    let (tok_tx, tok_rx) = crossbeam_channel::bounded::<()>(ntokens);
    for _ in 0..ntokens {
        tok_tx.send(()).expect("room for tokens");
    }
    let (job_tx, job_rx) = crossbeam_channel::bounded::<Job>(threads * 2);
    let (res_tx, res_rx) = crossbeam_channel::unbounded::<(u64, Event<W::Out>)>();
    let control = Arc::new(Control {
        stop: AtomicBool::new(false),
        skip: AtomicUsize::new(0),
    });

    for _ in 0..threads {
        let mut worker = make_worker();
        let job_rx = job_rx.clone();
        let res_tx = res_tx.clone();
        let control = control.clone();
        std::thread::spawn(move || {
            for Job::Work(seq, info, chunk) in job_rx {
                let mut out = None;
                if !control.skipped(chunk.input) {
                    // A worker must not take the run down with it: a panic (a bug, or a
                    // library tripping over a mapped file whose bytes turned to zeros
                    // under it when it was truncated) loses this chunk's results, which
                    // is reported as an error naming the input.
                    match panic::catch_unwind(AssertUnwindSafe(|| worker.process(&info, &chunk))) {
                        Ok(o) => out = Some(o),
                        Err(_) => {
                            let msg = format!(
                                "{}: internal error while processing bytes {}..{}; their results are missing",
                                info.name,
                                chunk.base,
                                chunk.base + chunk.bytes().len() as u64
                            );
                            if res_tx.send((seq, Event::Lost(info, msg))).is_err() {
                                break;
                            }
                            continue;
                        }
                    }
                }
                if res_tx.send((seq, Event::Chunk(info, chunk, out))).is_err() {
                    break;
                }
            }
        });
    }
    drop(job_rx);

    {
        let opts = opts.clone();
        let control = control.clone();
        let res_tx = res_tx.clone();
        std::thread::spawn(move || {
            let mut p = Producer {
                opts: &opts,
                control: &control,
                tokens: tok_rx,
                jobs: job_tx,
                results: res_tx,
                seq: 0,
                pool: Pool::new(threads * 2 + 4, opts.chunk_size),
            };
            p.run(paths);
        });
    }
    drop(res_tx);

    let progress = Progress::new(opts.progress);
    let mut next = 0u64;
    let mut pending = BTreeMap::new();
    for (seq, ev) in res_rx.iter() {
        pending.insert(seq, ev);
        while let Some(ev) = pending.remove(&next) {
            next += 1;
            let mut input = None;
            let flow = match ev {
                Event::Begin(info) => {
                    input = Some(info.index);
                    progress.begin(&info);
                    sink.begin(&info)
                }
                Event::Chunk(info, chunk, out) => {
                    input = Some(info.index);
                    progress.advance(chunk.bytes().len());
                    match out {
                        Some(out) => sink.chunk(&info, &chunk, out),
                        None => Flow::Continue,
                    }
                }
                Event::End(info, summary, error) => {
                    if let Some(e) = error {
                        messages::error(format_args!("{}: {e}", info.name));
                    }
                    sink.end(&info, &summary)
                }
                Event::Error(e) => {
                    messages::error(e);
                    Flow::Continue
                }
                Event::Lost(info, e) => {
                    input = Some(info.index);
                    messages::error(e);
                    Flow::Continue
                }
                Event::Warning(w) => {
                    messages::warn(w);
                    Flow::Continue
                }
            };
            match (flow, input) {
                (Flow::SkipInput, Some(i)) => control.skip.store(i + 1, Ordering::Relaxed),
                (Flow::Stop, _) => {
                    control.stop.store(true, Ordering::Relaxed);
                    progress.finish();
                    return false;
                }
                _ => {}
            }
            let _ = tok_tx.send(());
        }
    }
    progress.finish();
    true
}

struct Producer<'a, O> {
    opts: &'a ScanOptions,
    control: &'a Control,
    tokens: Receiver<()>,
    jobs: Sender<Job>,
    results: Sender<(u64, Event<O>)>,
    seq: u64,
    pool: Pool,
}

impl<O> Producer<'_, O> {
    /// Sends an event straight to the sink's queue. False when the sink has gone.
    fn event(&mut self, ev: Event<O>) -> bool {
        if self.tokens.recv().is_err() {
            return false;
        }
        let seq = self.seq;
        self.seq += 1;
        self.results.send((seq, ev)).is_ok()
    }

    /// Sends a chunk to the workers. False when the sink has gone.
    fn work(&mut self, info: &Arc<InputInfo>, chunk: Chunk) -> bool {
        if self.tokens.recv().is_err() {
            return false;
        }
        let seq = self.seq;
        self.seq += 1;
        self.jobs.send(Job::Work(seq, info.clone(), chunk)).is_ok()
    }

    fn run(&mut self, paths: Vec<std::path::PathBuf>) {
        let mut index = 0;
        for item in input::expand(paths) {
            if self.control.stop.load(Ordering::Relaxed) {
                return;
            }
            let ok = match item {
                Item::Error(e) => self.event(Event::Error(e)),
                Item::Warning(w) => self.event(Event::Warning(w)),
                Item::Source(src) => {
                    let i = index;
                    index += 1;
                    self.one(i, src)
                }
            };
            if !ok {
                return;
            }
        }
    }

    fn one(&mut self, index: usize, src: input::Source) -> bool {
        let name = src.display();
        let opened = match input::open(&src) {
            Ok(o) => o,
            Err(e) => return self.event(Event::Error(format!("{name}: {e}"))),
        };
        match opened {
            Opened::Mapped(map) => {
                let sample = &map.as_slice()[..map.len().min(DETECT_SAMPLE)];
                let info = Arc::new(InputInfo {
                    index,
                    name,
                    size: Some(map.len() as u64),
                    compression: Compression::None,
                    stream: false,
                    format: self.opts.detect.as_ref().map(|d| d(sample)),
                });
                if !self.event(Event::Begin(info.clone())) {
                    return false;
                }
                let buf = map.as_slice();
                let mut start = 0;
                while start < buf.len() && !self.control.skipped(index) {
                    let end = chunk_end(&self.opts.framer, buf, start, self.opts.chunk_size);
                    if !self.work(&info, super::Chunk::mapped(index, map.clone(), start..end)) {
                        return false;
                    }
                    start = end;
                }
                // A file that shrank under us: say so, and how much was read.
                let now = map.current_len();
                let error = (map.truncated() || now < map.len() as u64).then(|| {
                    format!(
                        "file shrank from {} to {now} bytes while being read (truncated, e.g. by \
                         logrotate copytruncate); only its first {now} bytes were searched",
                        map.len()
                    )
                });
                let summary = InputSummary {
                    bytes: (map.len() as u64).min(now),
                    failed: error.is_some(),
                };
                self.event(Event::End(info, summary, error))
            }
            Opened::Stream(stream) => {
                let size = match &src {
                    input::Source::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
                    input::Source::Stdin => None,
                };
                let compression = stream.compression;
                let framer = self.opts.framer.clone();
                let pool = std::mem::replace(&mut self.pool, Pool::new(1, 1));
                let mut alive = true;
                // The input begins when its first chunk is cut, so that its format can be
                // detected from that chunk.
                let mut info: Option<Arc<InputInfo>> = None;
                let make_info = |sample: &[u8]| {
                    Arc::new(InputInfo {
                        index,
                        name: name.clone(),
                        size,
                        compression,
                        stream: true,
                        format: self.opts.detect.as_ref().map(|d| d(sample)),
                    })
                };
                let end = StreamCutter {
                    input: index,
                    name: &name,
                    framer: &framer,
                    pool: &pool,
                    max_line: self.opts.max_line,
                }
                .run(stream, |chunk| {
                    if info.is_none() {
                        let i = make_info(&chunk.bytes()[..chunk.bytes().len().min(DETECT_SAMPLE)]);
                        info = Some(i.clone());
                        alive = self.event(Event::Begin(i));
                    }
                    let i = info.clone().expect("set above");
                    alive = alive && self.work(&i, chunk);
                    alive && !self.control.skipped(index)
                });
                self.pool = pool;
                if !alive {
                    return false;
                }
                let info = match info {
                    Some(i) => i,
                    None => {
                        let i = make_info(b"");
                        if !self.event(Event::Begin(i.clone())) {
                            return false;
                        }
                        i
                    }
                };
                let error = end.error.map(|e| {
                    let what = match info.compression {
                        Compression::Gzip => "gzip data is truncated or corrupt",
                        Compression::Zstd => "zstd data is truncated or corrupt",
                        Compression::None => "read failed",
                    };
                    format!(
                        "{what} ({e}); the {} bytes read before it were searched",
                        end.bytes
                    )
                });
                let summary = InputSummary {
                    bytes: end.bytes,
                    failed: error.is_some(),
                };
                self.event(Event::End(info, summary, error))
            }
        }
    }
}

/// A progress bar on stderr for long runs (only when asked for; the caller decides
/// whether stderr is a terminal and whether it would interleave with output).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    const MIN_BYTES: u64 = 256 << 20;

    fn new(enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr_with_hz(10),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {msg} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
                )
                .expect("valid template"),
            );
            bar
        });
        Progress { bar }
    }

    fn begin(&self, info: &InputInfo) {
        if let Some(bar) = &self.bar {
            match info.size.filter(|&s| s >= Self::MIN_BYTES && !info.stream) {
                Some(size) => {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(10));
                    bar.set_length(size);
                    bar.set_position(0);
                    bar.set_message(info.name.clone());
                    bar.enable_steady_tick(Duration::from_millis(100));
                }
                None => bar.set_draw_target(indicatif::ProgressDrawTarget::hidden()),
            }
        }
    }

    fn advance(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
