//! The decompressed byte stream of a tarball, by kind: gzip (`flate2` on zlib-rs), xz
//! (`lzma-rust2`, pure Rust) and bzip2 (`bzip2` on its pure-Rust backend). Concatenated streams
//! (`pigz`, `pbzip2`, `xz` multi-stream output) are read to the end, as the command-line tools do;
//! so are zero bytes after gzip or bzip2 data (a file padded to a block size), which `gzip -d`
//! and `bzip2 -d` ignore.

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
pub(super) const XZ_MEMORY_LIMIT_KIB: u32 = 1024 * 1024;

/// The tar stream inside `reader`, a file of the given tarball kind.
pub(super) fn tar_stream<'a, R: Read + 'a>(kind: ArchiveKind, reader: R) -> Box<dyn Read + 'a> {
    let compressed = BufReader::with_capacity(READ_BUFFER, reader);
    let decompressed: Box<dyn Read + 'a> = match kind {
        ArchiveKind::TarGz => Box::new(Members::<_, flate2::bufread::GzDecoder<_>>::new(
            compressed, "gzip",
        )),
        ArchiveKind::TarXz => Box::new(XzReader::new_mem_limit(
            compressed,
            true,
            XZ_MEMORY_LIMIT_KIB,
        )),
        ArchiveKind::TarBz2 => Box::new(Members::<_, bzip2::bufread::BzDecoder<_>>::new(
            compressed, "bzip2",
        )),
        _ => return Box::new(compressed),
    };
    Box::new(BufReader::with_capacity(HEADER_BUFFER, decompressed))
}

/// A decompressor of one member (stream) of a gzip or bzip2 file, which leaves what follows
/// the member in its reader.
trait Member<R: BufRead>: Read {
    fn start(reader: R) -> Self;
    fn finish(self) -> R;
}

impl<R: BufRead> Member<R> for flate2::bufread::GzDecoder<R> {
    fn start(reader: R) -> Self {
        flate2::bufread::GzDecoder::new(reader)
    }
    fn finish(self) -> R {
        self.into_inner()
    }
}

impl<R: BufRead> Member<R> for bzip2::bufread::BzDecoder<R> {
    fn start(reader: R) -> Self {
        bzip2::bufread::BzDecoder::new(reader)
    }
    fn finish(self) -> R {
        self.into_inner()
    }
}

/// The members of a gzip or bzip2 file one after the other, as `gzip -d` and `bzip2 -d` read
/// them: each member's trailer (CRC, length) checked, then another member, or zero bytes to
/// the end, which those tools and GNU tar ignore (a file padded to a block size). flate2's and
/// bzip2's multi-member decoders took the zeros for a member's header and failed ("invalid
/// gzip header", "bz2 header missing") after the whole tarball was read. Anything else after
/// zeros is an error.
struct Members<R: BufRead, D: Member<R>> {
    /// The member being read; `None` at the end.
    member: Option<D>,
    /// `gzip`, `bzip2`, for the error.
    format: &'static str,
    reader: std::marker::PhantomData<R>,
}

impl<R: BufRead, D: Member<R>> Members<R, D> {
    fn new(reader: R, format: &'static str) -> Self {
        Members {
            member: Some(D::start(reader)),
            format,
            reader: std::marker::PhantomData,
        }
    }
}

impl<R: BufRead, D: Member<R>> Read for Members<R, D> {
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
            let mut rest = member.finish();
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
                        self.member = Some(D::start(rest));
                        break;
                    }
                    Some(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "bytes after the {0} data that are neither zeros nor more {0} data",
                                self.format
                            ),
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
        Members::<_, flate2::bufread::GzDecoder<_>>::new(bytes, "gzip").read_to_end(&mut out)?;
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

    /// Padding read over many fills of the buffer (a file read in 256 KiB pieces, padded by
    /// megabytes): zeros in one fill, then anything but zeros in a later one, even the start
    /// of another member, is still refused. One byte per fill puts every boundary there.
    #[test]
    fn zeros_over_many_reads_are_followed_by_nothing_else() {
        let read = |bytes: &[u8]| {
            let mut out = Vec::new();
            Members::<_, flate2::bufread::GzDecoder<_>>::new(
                BufReader::with_capacity(1, bytes),
                "gzip",
            )
            .read_to_end(&mut out)
            .map(|_| out)
        };
        let mut padded = gzip(b"data");
        padded.extend([0; 100]);
        assert_eq!(read(&padded).unwrap(), b"data");
        let refused = "bytes after the gzip data that are neither zeros nor more gzip data";
        let mut then_garbage = padded.clone();
        then_garbage.extend(b"junk");
        assert_eq!(read(&then_garbage).unwrap_err().to_string(), refused);
        let mut then_member = padded.clone();
        then_member.extend(gzip(b"more"));
        assert_eq!(read(&then_member).unwrap_err().to_string(), refused);
    }

    /// bzip2 streams are read the same way.
    #[test]
    fn bzip2_streams_then_zeros_are_read_and_anything_else_refused() {
        let bzip2 = |data: &[u8]| {
            let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            std::io::Write::write_all(&mut encoder, data).unwrap();
            encoder.finish().unwrap()
        };
        let bunzip = |bytes: &[u8]| {
            let mut out = Vec::new();
            Members::<_, bzip2::bufread::BzDecoder<_>>::new(bytes, "bzip2")
                .read_to_end(&mut out)
                .map(|_| out)
        };
        let mut two = bzip2(b"one ");
        two.extend(bzip2(b"two"));
        two.extend([0; 5000]);
        assert_eq!(bunzip(&two).unwrap(), b"one two");
        two.push(b'x');
        assert_eq!(
            bunzip(&two).unwrap_err().to_string(),
            "bytes after the bzip2 data that are neither zeros nor more bzip2 data"
        );
    }
}
