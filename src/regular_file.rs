//! Opening a file that someone else controls (an app's, a buildpack's, a cache entry, a
//! `file://` source) as a regular file, without waiting. Opening a fifo for reading blocks until
//! a writer comes, which may be never (a detect, a staging or a packager would hang, and not
//! even Ctrl-C would end the open), and a device such as `/dev/zero` reads without end. So the
//! open does not wait (`O_NONBLOCK`, which a regular file ignores), and what was opened, not
//! what a `stat` saw a moment before, is checked before a byte is read.

use std::fs::{self, File, Metadata};
use std::io;
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
        .map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if meta.is_file() {
        Ok((file, meta))
    } else {
        Err(OpenError::NotAFile(describe_file_type(meta.file_type())))
    }
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
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
