//! Checksums as types: a `Sha256` or `Md5` is parsed from hex once, when the manifest is loaded,
//! and compared as bytes afterwards. `Hasher` computes both while a file streams through it.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

use md5::Md5 as Md5Core;
use sha2::{Digest, Sha256 as Sha256Core};

/// Why a hex string is not a checksum of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecksumError {
    #[error("expected {expected} hexadecimal characters, found {found}")]
    WrongLength { expected: usize, found: usize },
    #[error("expected hexadecimal characters (0-9, a-f), found `{found}`")]
    NotHex { found: char },
}

fn parse_hex<const N: usize>(text: &str) -> Result<[u8; N], ChecksumError> {
    let text = text.trim();
    if let Some(found) = text.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(ChecksumError::NotHex { found });
    }
    if text.len() != N * 2 {
        return Err(ChecksumError::WrongLength {
            expected: N * 2,
            found: text.len(),
        });
    }
    let mut bytes = [0u8; N];
    for (i, byte) in bytes.iter_mut().enumerate() {
        // Every character was checked to be ASCII hex above, so this cannot fail.
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).unwrap_or_default();
    }
    Ok(bytes)
}

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for b in bytes {
        write!(f, "{b:02x}")?;
    }
    Ok(())
}

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256(pub [u8; 32]);

/// An MD5 digest (weak; accepted because old manifests carry only md5).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Md5(pub [u8; 16]);

impl Sha256 {
    pub fn parse(text: &str) -> Result<Self, ChecksumError> {
        parse_hex(text).map(Sha256)
    }

    pub fn of_bytes(bytes: &[u8]) -> Self {
        Sha256(Sha256Core::digest(bytes).into())
    }

    pub fn hex(&self) -> String {
        self.to_string()
    }
}

impl Md5 {
    pub fn parse(text: &str) -> Result<Self, ChecksumError> {
        parse_hex(text).map(Md5)
    }

    pub fn of_bytes(bytes: &[u8]) -> Self {
        Md5(Md5Core::digest(bytes).into())
    }

    pub fn hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({self})")
    }
}

impl fmt::Display for Md5 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Debug for Md5 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Md5({self})")
    }
}

/// The checksums a manifest gives for one file. At least one must be present for a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checksums {
    pub sha256: Option<Sha256>,
    pub md5: Option<Md5>,
}

impl Checksums {
    pub fn is_empty(&self) -> bool {
        self.sha256.is_none() && self.md5.is_none()
    }

    /// Compare with what was computed; the first mismatch, in the manifest's words.
    pub fn verify(&self, actual: &Digests) -> Result<(), Mismatch> {
        if let Some(expected) = self.sha256
            && expected != actual.sha256
        {
            return Err(Mismatch {
                algorithm: "sha256",
                expected: expected.hex(),
                actual: actual.sha256.hex(),
            });
        }
        if let Some(expected) = self.md5
            && expected != actual.md5
        {
            return Err(Mismatch {
                algorithm: "md5",
                expected: expected.hex(),
                actual: actual.md5.hex(),
            });
        }
        Ok(())
    }
}

/// A checksum that did not match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{algorithm} mismatch: expected {expected}, got {actual}")]
pub struct Mismatch {
    pub algorithm: &'static str,
    pub expected: String,
    pub actual: String,
}

/// Both digests of one stream of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    pub sha256: Sha256,
    pub md5: Md5,
    pub len: u64,
}

/// Computes sha256 and md5 of everything written through it, as it is written.
pub struct Hasher<W> {
    inner: W,
    sha256: Sha256Core,
    md5: Option<Md5Core>,
    len: u64,
}

impl<W: Write> Hasher<W> {
    /// `with_md5` is false when nobody will look at the md5, which saves its cost.
    pub fn new(inner: W, with_md5: bool) -> Self {
        Hasher {
            inner,
            sha256: Sha256Core::new(),
            md5: with_md5.then(Md5Core::new),
            len: 0,
        }
    }

    /// Bytes hashed (and written) so far.
    pub fn written(&self) -> u64 {
        self.len
    }

    pub fn finish(self) -> (W, Digests) {
        let md5 = self.md5.map_or(Md5([0; 16]), |m| Md5(m.finalize().into()));
        (
            self.inner,
            Digests {
                sha256: Sha256(self.sha256.finalize().into()),
                md5,
                len: self.len,
            },
        )
    }
}

impl<W: Write> Write for Hasher<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha256.update(&buf[..n]);
        if let Some(md5) = &mut self.md5 {
            md5.update(&buf[..n]);
        }
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hash a reader to its end without keeping it in memory, 256 KiB at a time. (`io::copy`'s
/// 8 KiB pieces cost a system call each: re-verifying a warm cache of 100 MB made 12,800 of
/// them, a third of the time; issue 6, benches/package.sh.)
pub fn digest_reader(reader: &mut impl Read, with_md5: bool) -> io::Result<Digests> {
    let mut hasher = Hasher::new(io::sink(), with_md5);
    let mut buffer = vec![0u8; 256 << 10];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.write_all(&buffer[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hasher.finish().1)
}

/// Hash a file on disk.
pub fn digest_file(path: &Path, with_md5: bool) -> io::Result<Digests> {
    let mut file = std::fs::File::open(path)?;
    digest_reader(&mut file, with_md5)
}

/// The md5 hex of a string: the Go packager names cache and zip folders after `md5(uri)`.
pub fn md5_hex(text: &str) -> String {
    Md5::of_bytes(text.as_bytes()).hex()
}

/// The sha256 hex of a string: libbuildpack names app-cache folders after `sha256(uri)`.
pub fn sha256_hex(text: &str) -> String {
    Sha256::of_bytes(text.as_bytes()).hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_hex() {
        let hex = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        assert_eq!(Sha256::parse(hex).unwrap().hex(), hex);
        assert_eq!(Sha256::parse(&hex.to_uppercase()).unwrap().hex(), hex);
    }

    #[test]
    fn rejects_wrong_length_and_non_hex() {
        assert_eq!(
            Sha256::parse(&"a".repeat(63)),
            Err(ChecksumError::WrongLength {
                expected: 64,
                found: 63
            })
        );
        assert_eq!(Md5::parse("zz"), Err(ChecksumError::NotHex { found: 'z' }));
    }

    #[test]
    fn hashes_while_writing() {
        let mut hasher = Hasher::new(Vec::new(), true);
        hasher.write_all(b"abc").unwrap();
        let (bytes, digests) = hasher.finish();
        assert_eq!(bytes, b"abc");
        assert_eq!(
            digests.sha256.hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digests.md5.hex(), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(digests.len, 3);
    }

    #[test]
    fn verify_names_the_algorithm() {
        let digests = Digests {
            sha256: Sha256::of_bytes(b"x"),
            md5: Md5::of_bytes(b"x"),
            len: 1,
        };
        let wanted = Checksums {
            sha256: Some(Sha256::of_bytes(b"y")),
            md5: None,
        };
        let err = wanted.verify(&digests).unwrap_err();
        assert!(err.to_string().starts_with("sha256 mismatch: expected "));
        assert!(
            Checksums {
                sha256: Some(digests.sha256),
                md5: Some(digests.md5)
            }
            .verify(&digests)
            .is_ok()
        );
    }

    #[test]
    fn md5_of_uri_matches_go_cache_layout() {
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn sha256_of_uri_matches_libbuildpack_app_cache_layout() {
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_names_the_algorithm_and_shows_the_hex() {
        assert_eq!(
            format!("{:?}", Md5::of_bytes(b"abc")),
            "Md5(900150983cd24fb0d6963f7d28e17f72)"
        );
        assert_eq!(
            format!("{:?}", Sha256::of_bytes(b"")),
            "Sha256(e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855)"
        );
    }

    #[test]
    fn empty_only_without_both_checksums() {
        assert!(Checksums::default().is_empty());
        let only_sha256 = Checksums {
            sha256: Some(Sha256::of_bytes(b"x")),
            md5: None,
        };
        assert!(!only_sha256.is_empty());
        let only_md5 = Checksums {
            sha256: None,
            md5: Some(Md5::of_bytes(b"x")),
        };
        assert!(!only_md5.is_empty());
    }

    #[test]
    fn verify_checks_md5_when_sha256_matches_or_is_absent() {
        let digests = Digests {
            sha256: Sha256::of_bytes(b"x"),
            md5: Md5::of_bytes(b"x"),
            len: 1,
        };
        let wrong_md5 = Md5::of_bytes(b"y");
        for sha256 in [None, Some(digests.sha256)] {
            let wanted = Checksums {
                sha256,
                md5: Some(wrong_md5),
            };
            assert_eq!(
                wanted.verify(&digests),
                Err(Mismatch {
                    algorithm: "md5",
                    expected: wrong_md5.hex(),
                    actual: digests.md5.hex(),
                })
            );
        }
        let only_md5 = Checksums {
            sha256: None,
            md5: Some(digests.md5),
        };
        assert_eq!(only_md5.verify(&digests), Ok(()));
    }

    /// A writer that takes at most two bytes a call and counts flushes, as a pipe or a full
    /// disk may: only what the inner writer took may be hashed and counted.
    struct Trickle {
        taken: Vec<u8>,
        flushes: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(2);
            self.taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    #[test]
    fn hashes_only_what_the_inner_writer_took() {
        let inner = Trickle {
            taken: Vec::new(),
            flushes: 0,
        };
        let mut hasher = Hasher::new(inner, true);
        assert_eq!(hasher.write(b"abcde").unwrap(), 2);
        assert_eq!(hasher.written(), 2);
        hasher.write_all(b"cde").unwrap();
        assert_eq!(hasher.written(), 5);
        hasher.flush().unwrap();
        let (inner, digests) = hasher.finish();
        assert_eq!(inner.taken, b"abcde");
        assert_eq!(inner.flushes, 1);
        assert_eq!(digests.sha256, Sha256::of_bytes(b"abcde"));
        assert_eq!(digests.md5, Md5::of_bytes(b"abcde"));
        assert_eq!(digests.len, 5);
    }

    /// A reader that is interrupted once, then gives its bytes in pieces, then fails (or ends).
    struct Flaky {
        script: Vec<io::Result<Vec<u8>>>,
    }

    impl Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.script.is_empty() {
                return Ok(0);
            }
            let bytes = self.script.remove(0)?;
            buf[..bytes.len()].copy_from_slice(&bytes);
            Ok(bytes.len())
        }
    }

    #[test]
    fn digest_reader_retries_interrupts_and_reports_other_errors() {
        let interrupted = || io::Error::from(io::ErrorKind::Interrupted);
        let mut reader = Flaky {
            script: vec![
                Err(interrupted()),
                Ok(b"ab".to_vec()),
                Err(interrupted()),
                Ok(b"c".to_vec()),
            ],
        };
        let digests = digest_reader(&mut reader, true).unwrap();
        assert_eq!(digests.sha256, Sha256::of_bytes(b"abc"));
        assert_eq!(digests.md5, Md5::of_bytes(b"abc"));
        assert_eq!(digests.len, 3);

        let mut reader = Flaky {
            script: vec![
                Ok(b"ab".to_vec()),
                Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset")),
                Ok(b"c".to_vec()),
            ],
        };
        let err = digest_reader(&mut reader, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    }

    #[test]
    fn digest_file_hashes_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.tgz");
        // More than one 256 KiB read.
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let digests = digest_file(&path, true).unwrap();
        assert_eq!(digests.sha256, Sha256::of_bytes(&bytes));
        assert_eq!(digests.md5, Md5::of_bytes(&bytes));
        assert_eq!(digests.len, 300_000);
        // Without md5 the md5 is all zeros, never a digest that could match by accident.
        assert_eq!(digest_file(&path, false).unwrap().md5, Md5([0; 16]));
        assert!(digest_file(&dir.path().join("missing"), true).is_err());
    }
}
