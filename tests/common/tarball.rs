//! Small `.tgz` files built in the test, including crafted ones a normal tar tool refuses to
//! write (`../` names, absolute or escaping link targets): names are written into the header
//! bytes directly, so nothing checks or cleans them on the way in.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// A tarball under construction.
#[derive(Default)]
pub struct Tarball {
    bytes: Vec<u8>,
}

impl Tarball {
    pub fn new() -> Self {
        Tarball::default()
    }

    fn entry(
        mut self,
        name: &str,
        kind: tar::EntryType,
        mode: u32,
        link: &str,
        data: &[u8],
    ) -> Self {
        let mut header = tar::Header::new_old();
        {
            let old = header.as_old_mut();
            assert!(
                name.len() <= 100 && link.len() <= 100,
                "names up to 100 bytes"
            );
            old.name[..name.len()].copy_from_slice(name.as_bytes());
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_size(data.len() as u64);
        header.set_mtime(1_700_000_000);
        header.set_cksum();
        self.bytes.extend_from_slice(header.as_bytes());
        self.bytes.extend_from_slice(data);
        let padding = (512 - data.len() % 512) % 512;
        self.bytes.extend(std::iter::repeat_n(0u8, padding));
        self
    }

    /// A regular file (any name, `../x` and `/x` included).
    pub fn file(self, name: &str, mode: u32, contents: &str) -> Self {
        self.entry(name, tar::EntryType::Regular, mode, "", contents.as_bytes())
    }

    /// A regular file with any bytes.
    pub fn bytes(self, name: &str, mode: u32, data: &[u8]) -> Self {
        self.entry(name, tar::EntryType::Regular, mode, "", data)
    }

    /// An executable shell script.
    pub fn script(self, name: &str, body: &str) -> Self {
        self.file(name, 0o755, &format!("#!/bin/sh\n{body}\n"))
    }

    pub fn dir(self, name: &str) -> Self {
        self.entry(name, tar::EntryType::Directory, 0o755, "", b"")
    }

    /// A symbolic link with any target (absolute and escaping ones included).
    pub fn symlink(self, name: &str, target: &str) -> Self {
        self.entry(name, tar::EntryType::Symlink, 0o777, target, b"")
    }

    /// A hard link to `target` (a name in the archive).
    pub fn hard_link(self, name: &str, target: &str) -> Self {
        self.entry(name, tar::EntryType::Link, 0o644, target, b"")
    }

    /// The gzip-compressed tarball.
    pub fn tgz(mut self) -> Vec<u8> {
        self.bytes.extend(std::iter::repeat_n(0u8, 1024));
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&self.bytes).unwrap();
        gz.finish().unwrap()
    }
}

/// The sha256 of `bytes`, as the manifest writes it.
pub fn sha256(bytes: &[u8]) -> String {
    bpkit::checksum::Sha256::of_bytes(bytes).hex()
}
