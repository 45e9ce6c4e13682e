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
