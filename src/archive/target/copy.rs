//! A file's contents copied from the archive stream through one reused buffer, read errors
//! told apart from write errors.

use std::fs::File;
use std::io::{self, Read, Write};

pub(super) enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copies `data` to `file` through `buf`, filling the buffer before each write so that a file
/// smaller than the buffer is written with one system call.
pub(super) fn copy<R: Read + ?Sized>(
    data: &mut R,
    file: &mut File,
    buf: &mut [u8],
) -> Result<u64, CopyError> {
    let mut total = 0u64;
    loop {
        let mut filled = 0;
        let mut at_end = false;
        while filled < buf.len() {
            match data.read(&mut buf[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(CopyError::Read(e)),
            }
        }
        if filled > 0 {
            file.write_all(&buf[..filled]).map_err(CopyError::Write)?;
            total += filled as u64;
        }
        if at_end {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn copy_fills_the_buffer_and_reports_read_errors() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("boom"))
            }
        }
        struct InterruptedOnce(bool, &'static [u8]);
        impl Read for InterruptedOnce {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if std::mem::replace(&mut self.0, false) {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                self.1.read(out)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let mut file = File::create(dir.path().join("f")).unwrap();
        let mut buf = vec![0; 7];
        let data = vec![42u8; 100];
        assert!(matches!(
            copy(&mut data.as_slice(), &mut file, &mut buf),
            Ok(100)
        ));
        assert!(matches!(
            copy(&mut Failing, &mut file, &mut buf),
            Err(CopyError::Read(_))
        ));
        // An interrupted read is retried, not an error.
        let mut file = File::create(dir.path().join("g")).unwrap();
        assert!(matches!(
            copy(&mut InterruptedOnce(true, b"after"), &mut file, &mut buf),
            Ok(5)
        ));
        assert_eq!(fs::read(dir.path().join("g")).unwrap(), b"after");
        assert_eq!(fs::read(dir.path().join("f")).unwrap(), data);
    }
}
