//! The zip's temporary file as the zip writer sees it: a file that remembers why the first write
//! to it failed, and takes no more bytes after that.
//!
//! Two reasons. The zip crate's `ZipWriter`, dropped on an error before it was finished, tries
//! to write its central directory once more and, when that fails too (the disk is still full),
//! prints `ZipWriter::drop: failed to finalize archive: Io(Os { … })` on stderr, unasked and
//! without a newline, in the middle of bpkit's own error. After a failure the writes here
//! succeed without writing, so that last attempt is silent (the file is deleted anyway). And
//! the first failure's kind (a full disk, `ulimit -f`) tells the error message which fix to
//! give, whichever step saw it through however many layers of zip and buffer errors.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};

/// The first write error of an [`Output`], kept for the caller after the writer is gone.
#[derive(Debug, Default)]
pub(super) struct Failure(RefCell<Option<io::Error>>);

impl Failure {
    fn record(&self, error: &io::Error) {
        let mut first = self.0.borrow_mut();
        if first.is_none() {
            *first = Some(copy(error));
        }
    }

    /// The first failure, if any, leaving it recorded.
    pub(super) fn peek(&self) -> Option<io::Error> {
        self.0.borrow().as_ref().map(copy)
    }

    /// The first failure, if any.
    pub(super) fn take(&self) -> Option<io::Error> {
        self.0.borrow_mut().take()
    }
}

/// An io::Error with the same kind and OS code (io::Error is not Clone).
fn copy(error: &io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(error.kind(), error.to_string()),
    }
}

/// The temporary zip file; see the module comment.
#[derive(Debug)]
pub(super) struct Output<'a> {
    file: File,
    failure: &'a Failure,
    failed: bool,
}

impl<'a> Output<'a> {
    pub(super) fn new(file: File, failure: &'a Failure) -> Self {
        Output {
            file,
            failure,
            failed: false,
        }
    }

    pub(super) fn into_file(self) -> File {
        self.file
    }

    fn check<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        // An interrupted call wrote nothing and is retried by `write_all`: not a failure.
        if let Err(error) = &result
            && error.kind() != io::ErrorKind::Interrupted
        {
            self.failure.record(error);
            self.failed = true;
        }
        result
    }
}

impl Write for Output<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed {
            // The zip is lost already and its file will be deleted: take the bytes unwritten.
            return Ok(buf.len());
        }
        let result = self.file.write(buf);
        self.check(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed {
            return Ok(());
        }
        let result = self.file.flush();
        self.check(result)
    }
}

impl Seek for Output<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let result = self.file.seek(pos);
        self.check(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_nothing_after_the_first_failure_and_remembers_it() {
        let failure = Failure::default();
        let full = File::options().write(true).open("/dev/full").unwrap();
        let mut output = Output::new(full, &failure);
        let error = output.write(b"x").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
        // Later writes (the zip crate's last try at its directory) are swallowed.
        assert_eq!(output.write(b"more").unwrap(), 4);
        output.flush().unwrap();
        assert!(crate::output::no_room_fix(failure.peek().unwrap().kind()).is_some());
        assert_eq!(failure.take().unwrap().raw_os_error(), Some(28));
        assert!(failure.take().is_none());
    }
}
