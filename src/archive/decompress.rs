//! The decompressed byte stream of a tarball, by kind: gzip (`flate2` on zlib-rs), xz
//! (`lzma-rust2`, pure Rust) and bzip2 (`bzip2` on its pure-Rust backend). Concatenated streams
//! (`pigz`, `pbzip2`, `xz` multi-stream output) are read to the end, as the command-line tools do;
//! so are zero bytes after gzip data (a file padded to a block size), which `gzip -d` ignores.

use std::io::{self, BufRead, BufReader, Read};

use lzma_rust2::XzReader;

use super::ArchiveKind;

/// Read size on the compressed file: few system calls, long runs for the decompressor.
pub(super) const READ_BUFFER: usize = 256 * 1024;

/// Buffer on the decompressed side, so the 512-byte tar headers of many small files do not
/// each cost a call into the decompressor. File contents bypass it (they are read in chunks
/// larger than it).
const HEADER_BUFFER: usize = 64 * 1024;

/// Most memory the xz decoder may use, in KiB. `xz -9` needs 65 MiB; a stream that asks for
/// more than 1 GiB is refused rather than allowed to exhaust the machine.
const XZ_MEMORY_LIMIT_KIB: u32 = 1024 * 1024;

/// The tar stream inside `reader`, a file of the given tarball kind.
pub(super) fn tar_stream<'a, R: Read + 'a>(kind: ArchiveKind, reader: R) -> Box<dyn Read + 'a> {
    let compressed = BufReader::with_capacity(READ_BUFFER, reader);
    let decompressed: Box<dyn Read + 'a> = match kind {
        ArchiveKind::TarGz => Box::new(GzipMembers::new(compressed)),
        ArchiveKind::TarXz => Box::new(XzReader::new_mem_limit(
            compressed,
            true,
            XZ_MEMORY_LIMIT_KIB,
        )),
        ArchiveKind::TarBz2 => Box::new(bzip2::bufread::MultiBzDecoder::new(compressed)),
        _ => return Box::new(compressed),
    };
    Box::new(BufReader::with_capacity(HEADER_BUFFER, decompressed))
}

/// The members of a gzip file one after the other, as `gzip -d` reads them: each member's
/// trailer (CRC and length) checked, then another member, or zero bytes to the end, which
/// `gzip -d` and GNU tar ignore (a file padded to a block size). flate2's `MultiGzDecoder`
/// took the zeros for a member's header and failed with "invalid gzip header" after the whole
/// tarball was read. Anything else after a member is an error.
struct GzipMembers<R: BufRead> {
    /// The member being read; `None` at the end.
    member: Option<flate2::bufread::GzDecoder<R>>,
}

impl<R: BufRead> GzipMembers<R> {
    fn new(reader: R) -> Self {
        GzipMembers {
            member: Some(flate2::bufread::GzDecoder::new(reader)),
        }
    }
}

impl<R: BufRead> Read for GzipMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(member) = &mut self.member else {
                return Ok(0);
            };
            let read = member.read(buf)?;
            if read > 0 || buf.is_empty() {
                return Ok(read);
            }
            // This member is done (its trailer checked): what follows it?
            let Some(member) = self.member.take() else {
                return Ok(0);
            };
            let mut rest = member.into_inner();
            let mut after_zeros = false;
            loop {
                let next = rest.fill_buf()?;
                match next.iter().position(|&b| b != 0) {
                    None if next.is_empty() => return Ok(0),
                    None => {
                        let zeros = next.len();
                        rest.consume(zeros);
                        after_zeros = true;
                    }
                    Some(0) if !after_zeros => {
                        self.member = Some(flate2::bufread::GzDecoder::new(rest));
                        break;
                    }
                    Some(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "bytes after the gzip data that are neither zeros nor more gzip data",
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut encoder, data).unwrap();
        encoder.finish().unwrap()
    }

    fn gunzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        GzipMembers::new(bytes).read_to_end(&mut out)?;
        Ok(out)
    }

    /// Members one after the other, zeros after the last (as `gzip -d` takes them), and
    /// nothing else.
    #[test]
    fn gzip_members_then_zeros_are_read_and_anything_else_refused() {
        let mut two = gzip(b"one ");
        two.extend(gzip(b"two"));
        assert_eq!(gunzip(&two).unwrap(), b"one two");
        let mut padded = two.clone();
        padded.extend([0; 10_000]);
        assert_eq!(gunzip(&padded).unwrap(), b"one two");
        let mut zeros_between = gzip(b"one ");
        zeros_between.extend([0; 3]);
        zeros_between.extend(gzip(b"two"));
        assert_eq!(
            gunzip(&zeros_between).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        let mut garbage = two.clone();
        garbage.extend(b"\0\0trailing garbage\n");
        assert_eq!(
            gunzip(&garbage).unwrap_err().to_string(),
            "bytes after the gzip data that are neither zeros nor more gzip data"
        );
        // A member cut short is still an error, and so is a bad trailer.
        assert!(gunzip(&two[..two.len() - 3]).is_err());
        let mut bad_crc = gzip(b"data");
        let at = bad_crc.len() - 8;
        bad_crc[at] ^= 0xff;
        assert!(gunzip(&bad_crc).is_err());
    }
}
