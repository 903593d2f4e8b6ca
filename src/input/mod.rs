//! Input: turns PATH arguments into byte sources.
//!
//! A regular file is memory-mapped (workers read it in place, in parallel); anything
//! else — stdin, pipes, gzip and zstd (recognised by their magic bytes, never by their
//! names) — is a *stream* that one reader thread cuts into chunks. Nothing after the
//! scanner knows which it was.

pub mod mmap;
mod walk;

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use mmap::Mapped;
pub use walk::{Item, expand};

/// One thing to read: a file found on disk, or stdin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Path(PathBuf),
}

impl Source {
    /// How the input is named in output and messages.
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::Path(p) => p.display().to_string(),
        }
    }
}

/// How an input's bytes are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// Recognises gzip and zstd by their magic bytes.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// A stream of bytes and, for a live pipe, the descriptor to poll for readiness.
pub struct Stream {
    pub reader: Box<dyn Read + Send>,
    /// Set when reads may block on a writer that is still producing (a pipe or terminal
    /// on stdin): the reader then hands complete lines on without waiting for a full chunk.
    pub poll_fd: Option<i32>,
    pub compression: Compression,
}

/// An opened input.
pub enum Opened {
    Mapped(Arc<Mapped>),
    Stream(Stream),
}

/// Opens a source: maps a regular uncompressed file, otherwise returns a stream.
pub fn open(source: &Source) -> io::Result<Opened> {
    match source {
        Source::Stdin => open_stdin(),
        Source::Path(p) => open_path(p),
    }
}

fn open_path(path: &Path) -> io::Result<Opened> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    if meta.is_file() {
        let mut head = [0u8; 4];
        let n = read_head_at(&file, &mut head)?;
        let comp = Compression::sniff(&head[..n]);
        if comp == Compression::None {
            if meta.len() == 0 {
                return Ok(Opened::Stream(Stream {
                    reader: Box::new(io::empty()),
                    poll_fd: None,
                    compression: comp,
                }));
            }
            let file2 = file.try_clone()?;
            if let Some(m) = Mapped::map(file, meta.len())? {
                return Ok(Opened::Mapped(Arc::new(m)));
            }
            return Ok(Opened::Stream(plain(Box::new(file2), None)));
        }
        return Ok(Opened::Stream(decompress(Box::new(file), comp)));
    }
    // A FIFO, character device or similar: read it as a stream, peeking at its head.
    let mut file = file;
    let (head, n) = peek(&mut file)?;
    let comp = Compression::sniff(&head[..n]);
    let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head[..n].to_vec()).chain(file));
    Ok(Opened::Stream(match comp {
        Compression::None => plain(reader, None),
        c => decompress(reader, c),
    }))
}

fn open_stdin() -> io::Result<Opened> {
    let mut stdin = io::stdin();
    let (head, n) = peek(&mut stdin)?;
    let comp = Compression::sniff(&head[..n]);
    let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head[..n].to_vec()).chain(stdin));
    Ok(Opened::Stream(match comp {
        Compression::None => plain(reader, Some(0)),
        c => decompress(reader, c),
    }))
}

fn plain(reader: Box<dyn Read + Send>, poll_fd: Option<i32>) -> Stream {
    Stream {
        reader,
        poll_fd,
        compression: Compression::None,
    }
}

fn decompress(reader: Box<dyn Read + Send>, comp: Compression) -> Stream {
    // Large input buffers: the decoder then makes few syscalls.
    let buffered = io::BufReader::with_capacity(256 * 1024, reader);
    let reader: Box<dyn Read + Send> = match comp {
        // logrotate and `cat a.gz b.gz` both make multi-member gzip files.
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(buffered) {
            Ok(d) => Box::new(d),
            Err(e) => Box::new(FailingReader(Some(e))),
        },
        Compression::None => Box::new(buffered),
    };
    Stream {
        reader,
        poll_fd: None,
        compression: comp,
    }
}

/// A reader that reports one error, for a decoder that could not even be set up.
struct FailingReader(Option<io::Error>);

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

fn read_head_at(file: &File, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match file.read_at(&mut head[n..], n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads up to 4 bytes (fewer at end of input) to recognise compression.
fn peek(r: &mut impl Read) -> io::Result<([u8; 4], usize)> {
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < head.len() {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        // A live pipe may deliver a short first write: do not wait for more than that
        // once we have enough to rule compression out.
        if n >= 1 && head[0] != 0x1f && head[0] != 0x28 {
            break;
        }
    }
    Ok((head, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic() {
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"2026"), Compression::None);
        assert_eq!(Compression::sniff(b""), Compression::None);
    }
}
