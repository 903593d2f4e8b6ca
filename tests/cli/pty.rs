//! Running logsift with a terminal on stdout (and optionally stdin): a pseudo-terminal
//! from `openpty`, in raw mode so that the bytes read back are exactly those written.
//! What logsift does differently on a terminal (escaping control characters, colour
//! under `--color auto`, `NO_COLOR`, the no-input hint) can only be seen this way.

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

use crate::util::{TIMEOUT, lossy, wait_timeout};

/// What a run on a terminal produced.
pub struct TtyOutput {
    pub code: Option<i32>,
    /// What reached the terminal (stdout, and stdin's echo: nothing, as we write none).
    pub tty: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `logsift ARGS` in `dir` with stdout on a terminal; stdin is a terminal too when
/// `stdin_tty`, else /dev/null. `env` is added to a clean colour environment.
pub fn run_on_tty(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin_tty: bool) -> TtyOutput {
    let (master, slave) = open_raw_pty();
    let mut cmd = Command::cargo_bin("logsift").expect("the logsift binary is built");
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm")
        .stdout(Stdio::from(slave.try_clone().expect("dup of the pty")))
        .stderr(Stdio::piped());
    if stdin_tty {
        cmd.stdin(Stdio::from(slave.try_clone().expect("dup of the pty")));
    } else {
        cmd.stdin(Stdio::null());
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawning logsift on a pty");
    // Only the child may hold the terminal's slave side now: reading the master then
    // ends (EIO) when the child exits.
    drop(cmd);
    drop(slave);
    let mut master = File::from(master);
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match master.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => v.extend_from_slice(&buf[..n]),
            }
        }
        v
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let Some(status) = wait_timeout(&mut child, TIMEOUT) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("logsift {args:?} on a terminal did not finish in {TIMEOUT:?}");
    };
    let stderr = err.join().unwrap_or_default();
    let tty = reader.join().unwrap_or_default();
    let out = TtyOutput {
        code: status.code(),
        tty,
        stderr,
    };
    eprintln!(
        "logsift {args:?} on a tty: {:?}\n--- tty\n{}\n--- stderr\n{}",
        out.code,
        lossy(&out.tty),
        lossy(&out.stderr)
    );
    out
}

fn open_raw_pty() -> (OwnedFd, OwnedFd) {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    // SAFETY: openpty writes two descriptors into the given ints; the name, termios and
    // winsize arguments may be null.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a zeroed termios is filled by tcgetattr before use; the fd is open.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(slave.as_raw_fd(), &mut t), 0);
            libc::cfmakeraw(&mut t);
            assert_eq!(libc::tcsetattr(slave.as_raw_fd(), libc::TCSANOW, &t), 0);
        }
    }
    (master, slave)
}
