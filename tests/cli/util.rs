//! The harness: a scratch directory per test, a command builder that runs the real
//! `logsift` binary with a timeout, and helpers to write compressed inputs.
//!
//! Every run has a timeout: a deadlock in the scanner must fail one test, not hang the
//! whole suite. That is also why stdin is fed from a thread that is never waited on
//! before the child is: a child that stops reading would otherwise block the writer,
//! and with it the test, forever.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

/// How long one run of logsift may take before the test fails (debug build, 2 cores,
/// other tests running at the same time; most runs take milliseconds, the 100 MB ones
/// seconds). A run that stops using CPU fails sooner: see `STALL`.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The committed fixtures of these tests.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/grep")
        .join(name)
}

/// A fixture's bytes.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

/// A scratch directory, removed when the test ends.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix("logsift-test-")
            .tempdir()
            .expect("creating a temporary directory");
        Dir { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes `contents` to `name` (parent directories are created).
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("creating parent directories");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {name}: {e}"));
        path
    }

    /// Writes `contents` gzip-compressed to `name`.
    pub fn create_gz(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        self.create(name, gzip(contents.as_ref()))
    }

    /// Writes `contents` zstd-compressed to `name`.
    pub fn create_zst(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        self.create(name, zstd(contents.as_ref()))
    }

    /// Copies a committed fixture into the directory, under the same name.
    pub fn copy_fixture(&self, name: &str) -> PathBuf {
        self.create(name, fixture_bytes(name))
    }

    /// `logsift grep`, run in this directory.
    pub fn command(&self) -> TestCommand {
        let mut cmd = TestCommand::bare(self.path());
        cmd.arg("grep");
        cmd
    }
}

/// One run of the logsift binary.
pub struct TestCommand {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
}

impl TestCommand {
    /// `logsift` with no subcommand, run in `dir`, with a clean colour environment.
    pub fn bare(dir: &Path) -> TestCommand {
        let mut cmd = Command::cargo_bin("logsift").expect("the logsift binary is built");
        cmd.current_dir(dir)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("RUST_BACKTRACE");
        TestCommand {
            cmd,
            stdin: None,
            timeout: TIMEOUT,
        }
    }

    pub fn arg(&mut self, a: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.arg(a);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(&mut self, k: &str, v: &str) -> &mut Self {
        self.cmd.env(k, v);
        self
    }

    /// Bytes to pipe into stdin (otherwise stdin is /dev/null: not a terminal, empty).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn timeout(&mut self, t: Duration) -> &mut Self {
        self.timeout = t;
        self
    }

    /// The command line, for messages.
    pub fn describe(&self) -> String {
        let args: Vec<String> = self
            .cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        format!("logsift {}", args.join(" "))
    }

    /// Runs to completion (or panics at the timeout) and returns what happened.
    pub fn output(&mut self) -> Output {
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawning logsift");
        let writer = self.stdin.clone().map(|bytes| {
            let mut stdin = child.stdin.take().expect("piped stdin");
            // A write error (logsift exited without reading everything) is not ours to judge.
            std::thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            })
        });
        let out = read_in_thread(child.stdout.take().expect("piped stdout"));
        let err = read_in_thread(child.stderr.take().expect("piped stderr"));
        let status = match wait_timeout(&mut child, self.timeout) {
            Some(status) => status,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = err.join().unwrap_or_default();
                panic!(
                    "`{}` did not finish (no CPU used for {STALL:?}: deadlock? or over the {:?} \
                     timeout) and was killed; stderr so far:\n{}",
                    self.describe(),
                    self.timeout,
                    lossy(&stderr)
                );
            }
        };
        if let Some(w) = writer {
            let _ = w.join();
        }
        Output {
            status,
            stdout: out.join().unwrap_or_default(),
            stderr: err.join().unwrap_or_default(),
        }
    }

    /// Runs and checks the exit code, with a readable message when it differs.
    pub fn assert_exit(&mut self, code: i32) -> Output {
        let out = self.output();
        if out.status.code() != Some(code) {
            panic!(
                "`{}`: expected exit code {code}, got {:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.describe(),
                out.status,
                lossy(&out.stdout),
                lossy(&out.stderr)
            );
        }
        out
    }

    /// Runs, expects exit 0 and no message on stderr, returns stdout as text.
    pub fn stdout(&mut self) -> String {
        lossy(&self.stdout_bytes())
    }

    /// Runs, expects exit 0 and no message on stderr, returns stdout's bytes.
    pub fn stdout_bytes(&mut self) -> Vec<u8> {
        let out = self.assert_exit(0);
        assert!(
            out.stderr.is_empty(),
            "`{}`: unexpected stderr:\n{}",
            self.describe(),
            lossy(&out.stderr)
        );
        out.stdout
    }

    /// Runs and expects exit 1 (nothing matched), nothing on stdout or stderr.
    pub fn assert_no_match(&mut self) {
        let out = self.assert_exit(1);
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "`{}`: expected silence, got\n--- stdout\n{}\n--- stderr\n{}",
            self.describe(),
            lossy(&out.stdout),
            lossy(&out.stderr)
        );
    }
}

fn read_in_thread(mut r: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        v
    })
}

/// How long a child may go without using any CPU time before it is taken for
/// deadlocked. (A run blocked on a pipe we feed never waits that long.)
pub const STALL: Duration = Duration::from_secs(10);

/// Waits for `child` for at most `timeout`, or until it has used no CPU for `STALL`
/// (a deadlock: no need to wait for the full timeout on a loaded machine). `None`
/// when it is still running.
pub fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    let deadline = start + timeout;
    let mut nap = Duration::from_micros(200);
    let (mut cpu, mut cpu_since) = (cpu_ticks(child.id()), start);
    loop {
        if let Some(status) = child.try_wait().expect("waiting for logsift") {
            return Some(status);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        if now.duration_since(cpu_since) >= Duration::from_secs(1) {
            let c = cpu_ticks(child.id());
            if c != cpu || c.is_none() {
                (cpu, cpu_since) = (c, now);
            } else if now.duration_since(cpu_since) >= STALL {
                return None;
            }
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

/// User + system CPU ticks of a process (all its threads), from /proc.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime: fields 14 and 15 of the line, indexes 11 and 12 after the name.
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// Text for messages and comparisons; invalid UTF-8 is shown as U+FFFD.
pub fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One gzip member.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip into memory");
    enc.finish().expect("gzip into memory")
}

/// Decompresses gzip.
pub fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .expect("gunzip in memory");
    out
}

/// One zstd frame.
pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).expect("zstd into memory")
}

/// Checks `--json` output: one object per line, each starting with the keys `path`,
/// `line`, `text` in that order with these values (the parsers add keys after them:
/// DESIGN.md's `"ts"`, `"level"`, `"msg"`, `"fields"`, so only the head is compared).
#[track_caller]
pub fn assert_json_records(out: &str, want: &[(&str, u64, &str)]) {
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), want.len(), "one object per record:\n{out}");
    for (line, (path, n, text)) in lines.iter().zip(want) {
        let head = format!(
            "{{\"path\":{},\"line\":{n},\"text\":{}",
            serde_json::to_string(path).unwrap(),
            serde_json::to_string(text).unwrap()
        );
        let rest = line.strip_prefix(&head);
        assert!(
            rest.is_some_and(|r| r == "}" || r.starts_with(',')),
            "expected an object starting with\n{head}\ngot\n{line}"
        );
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v.is_object(), "{line}");
    }
}

/// Removes ANSI SGR sequences (`ESC [ ... m`).
pub fn strip_ansi(s: &str) -> String {
    let re = regex::Regex::new("\x1b\\[[0-9;]*m").expect("valid regex");
    re.replace_all(s, "").into_owned()
}

/// Is `rg` (ripgrep) on PATH?
pub fn rg_available() -> bool {
    Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
