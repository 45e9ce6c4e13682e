//! Opening a file that someone else controls (an app's, a buildpack's, a cache entry, a
//! `file://` source) as a regular file, without waiting. Opening a fifo for reading blocks until
//! a writer comes, which may be never (a detect, a staging or a packager would hang, and not
//! even Ctrl-C would end the open), and a device such as `/dev/zero` reads without end. So the
//! open does not wait (`O_NONBLOCK`, which a regular file ignores), and what was opened, not
//! what a `stat` saw a moment before, is checked before a byte is read.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why [`open`] gave no file.
#[derive(Debug)]
pub enum OpenError {
    Io(io::Error),
    /// Something other than a regular file is there: [`describe_file_type`]'s words.
    NotAFile(&'static str),
}

/// The regular file at `path` (following links), opened for reading, and its metadata.
pub fn open(path: &Path) -> Result<(File, Metadata), OpenError> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| OpenError::Io(dangling(path, e)))?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if meta.is_file() {
        Ok((file, meta))
    } else {
        Err(OpenError::NotAFile(describe_file_type(meta.file_type())))
    }
}

/// `NotFound` for a path that is a symlink to nothing says so (`it is a symlink to
/// `../VERSION`, which leads to no file`), still `NotFound`: "no such file; create it" sent the
/// user to make a file that `ls` already showed (and `echo > VERSION` wrote through the link).
fn dangling(path: &Path, error: io::Error) -> io::Error {
    if error.kind() != io::ErrorKind::NotFound {
        return error;
    }
    match fs::read_link(path) {
        Ok(target) => io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "it is a symlink to `{}`, which leads to no file",
                target.display()
            ),
        ),
        Err(_) => error,
    }
}

impl OpenError {
    /// As an `io::Error` for callers that word I/O errors themselves: a folder is
    /// `IsADirectory`, as reading one would give, and anything else that is not a file
    /// `InvalidInput`, saying what it is.
    pub fn into_io(self) -> io::Error {
        match self {
            OpenError::Io(e) => e,
            OpenError::NotAFile("a folder") => {
                io::Error::new(io::ErrorKind::IsADirectory, "it is a folder, not a file")
            }
            OpenError::NotAFile(found) => io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("it is {found}, not a file"),
            ),
        }
    }
}

/// The bytes of the regular file at `path` ([`open`]), read no further than `limit`: a longer
/// file is `FileTooLarge`, so `/dev/zero` behind a link, or a mistyped path to a large file,
/// never fills memory. Errors as [`OpenError::into_io`] gives them.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (file, meta) = open(path).map_err(OpenError::into_io)?;
    // Sized up front, as `fs::read` would: detect reads the manifest on every push.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit + 1)).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("it is larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

/// `a folder`, `a fifo`: what a path that should be a regular file is instead.
pub fn describe_file_type(kind: fs::FileType) -> &'static str {
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a fifo"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// For tests: a fifo made at `path`, or `false` when `mkfifo` is not there to make one.
#[cfg(test)]
pub(crate) fn make_fifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// For tests: `f` run on a thread, which must end within 10 s; if it is still waiting on the
/// fifo at `fifo` then (as a plain open of one does, for a writer or a reader), the fifo is
/// opened from the other side so that the thread ends, and the test fails.
#[cfg(test)]
pub(crate) fn without_waiting_on<T: Send + 'static>(
    fifo: &Path,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(f());
    });
    if let Ok(value) = receiver.recv_timeout(std::time::Duration::from_secs(10)) {
        return value;
    }
    let _ = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(fifo);
    panic!("waited on the fifo {}", fifo.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A symlink to nothing is `NotFound` that says what it is; a missing path, or one under a
    /// missing folder, is the OS's own `NotFound`.
    #[test]
    fn a_symlink_to_nothing_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("VERSION");
        std::os::unix::fs::symlink("../gone/VERSION", &link).unwrap();
        let error = read_limited(&link, 10).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            error.to_string(),
            "it is a symlink to `../gone/VERSION`, which leads to no file"
        );
        assert_eq!(
            crate::output::read_problem(&error),
            "it is a symlink to `../gone/VERSION`, which leads to no file"
        );
        let error = read_limited(&dir.path().join("missing"), 10).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert_eq!(crate::output::read_problem(&error), "no such file");
    }

    #[test]
    fn only_regular_files_open_and_a_fifo_is_not_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"x").unwrap();
        assert_eq!(open(&file).unwrap().1.len(), 1);
        assert!(matches!(
            open(dir.path()),
            Err(OpenError::NotAFile("a folder"))
        ));
        assert!(matches!(
            open(Path::new("/dev/zero")),
            Err(OpenError::NotAFile("a character device"))
        ));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(open(&fifo), Err(OpenError::NotAFile("a fifo"))));
        }
        assert!(matches!(
            open(&dir.path().join("missing")),
            Err(OpenError::Io(e)) if e.kind() == io::ErrorKind::NotFound
        ));
    }

    #[test]
    fn reads_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"12345").unwrap();
        assert_eq!(read_limited(&file, 5).unwrap(), b"12345");
        let error = read_limited(&file, 4).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        let error = read_limited(Path::new("/dev/zero"), 4).unwrap_err();
        assert_eq!(
            (error.kind(), error.to_string().as_str()),
            (
                io::ErrorKind::InvalidInput,
                "it is a character device, not a file"
            )
        );
        let error = read_limited(dir.path(), 4).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::IsADirectory);
    }
}
