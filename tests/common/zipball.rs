//! Small `.zip` files built in the test, including crafted ones (`../` names, absolute names,
//! symbolic links pointing anywhere): the `zip` crate writes whatever name it is given.

use std::io::{Cursor, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// A zip under construction.
pub struct Zipball {
    writer: ZipWriter<Cursor<Vec<u8>>>,
}

impl Default for Zipball {
    fn default() -> Self {
        Zipball {
            writer: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }
}

impl Zipball {
    pub fn new() -> Self {
        Zipball::default()
    }

    /// A regular file (any name, `../x` and `/x` included).
    pub fn file(mut self, name: &str, mode: u32, contents: &str) -> Self {
        let options = SimpleFileOptions::default().unix_permissions(mode);
        self.writer.start_file(name, options).unwrap();
        self.writer.write_all(contents.as_bytes()).unwrap();
        self
    }

    pub fn dir(mut self, name: &str) -> Self {
        let options = SimpleFileOptions::default().unix_permissions(0o755);
        self.writer.add_directory(name, options).unwrap();
        self
    }

    /// A symbolic link (Unix mode 0120777) with any target.
    pub fn symlink(mut self, name: &str, target: &str) -> Self {
        self.writer
            .add_symlink(name, target, SimpleFileOptions::default())
            .unwrap();
        self
    }

    pub fn bytes(self) -> Vec<u8> {
        self.writer.finish().unwrap().into_inner()
    }
}

/// A zip bomb's layout: `entries` central records (`f0`, `f1`, …) all pointing at one deflated
/// body of 64 MiB of zeros, so a few kilobytes would extract to `entries` × 64 MiB.
pub fn zip_bomb(entries: u8) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("f0", SimpleFileOptions::default())
        .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        writer.write_all(&zeros).unwrap();
    }
    let one = writer.finish().unwrap().into_inner();
    let record = one.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    // The end-of-central-directory record (22 bytes, no comment) follows the one record.
    let end = one.len() - 22;
    let mut central = Vec::new();
    for i in 0..entries {
        let mut copy = one[record..end].to_vec();
        // The name's one byte, after the 46-byte fixed part: `f0` becomes `f<i>`.
        copy[47] = b'0' + i;
        central.extend_from_slice(&copy);
    }
    let mut bomb = one[..record].to_vec();
    let central_at = u32::try_from(bomb.len()).unwrap();
    bomb.extend_from_slice(&central);
    bomb.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    bomb.extend_from_slice(&u16::from(entries).to_le_bytes());
    bomb.extend_from_slice(&u16::from(entries).to_le_bytes());
    bomb.extend_from_slice(&u32::try_from(central.len()).unwrap().to_le_bytes());
    bomb.extend_from_slice(&central_at.to_le_bytes());
    bomb.extend_from_slice(b"\0\0");
    bomb
}
