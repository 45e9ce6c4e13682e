//! Buildpack trees for the packager tests: manifests whose dependencies are served by the test
//! server (or `file://`), stub files, a fake Linux binary, and readers for the zips produced.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use bpkit::checksum::{Md5, Sha256};

use super::bin::bpkit;

/// Write `content` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, content).unwrap();
    path
}

pub fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::of_bytes(bytes).hex()
}

pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::of_bytes(bytes).hex()
}

/// A 4 KiB file that reads as a Linux x86_64 bpkit executable (enough for `--binary`: the
/// ELF header and bpkit's mark).
pub fn fake_elf(dir: &Path) -> PathBuf {
    let mut bytes = vec![0u8; 4096];
    let mark = bpkit::packager::shim::BINARY_MARKER;
    bytes[1024..1024 + mark.len()].copy_from_slice(mark);
    bytes[..4].copy_from_slice(b"\x7fELF");
    bytes[4] = 2; // 64-bit
    bytes[5] = 1; // little endian
    bytes[6] = 1;
    bytes[18..20].copy_from_slice(&62u16.to_le_bytes()); // x86_64
    let path = write(dir, "fake-bpkit", bytes);
    chmod(&path, 0o755);
    path
}

/// The bpkit binary under test with every `from` in it replaced by `to` (as long): a glibc
/// symbol version it needs renamed, standing in for a binary built on another system.
pub fn bpkit_renaming(from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut bytes = fs::read(super::bin::bpkit_path()).unwrap();
    let mut replaced = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(from.len()).position(|w| w == from) {
        bytes[at + found..at + found + to.len()].copy_from_slice(to);
        at += found + to.len();
        replaced += 1;
    }
    assert!(
        replaced > 0,
        "the bpkit binary does not name {}",
        String::from_utf8_lossy(from)
    );
    bytes
}

/// `bpkit package` with a private cache and HOME, no proxies, and quick retries, so a test
/// never touches the user's cache or the network.
pub fn package(cache: &Path) -> Command {
    let mut command = isolated(cache);
    command.arg("package");
    command
}

/// `bpkit` (no arguments yet) with the environment of [`package`].
pub fn isolated(cache: &Path) -> Command {
    let mut command = bpkit();
    command
        .env("BPKIT_CACHE_DIR", cache)
        .env("HOME", cache)
        .env("BPKIT_RETRY_DELAY_MS", "10")
        .env_remove("SOURCE_DATE_EPOCH");
    super::bin::clear_proxies(&mut command);
    command
}

/// One entry of a zip as the `zip` crate reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntry {
    pub mode: u32,
    pub stored: bool,
    pub data: Vec<u8>,
}

/// Every entry of a zip, in the zip's order.
pub fn read_zip(path: &Path) -> Vec<(String, ZipEntry)> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        out.push((
            file.name().unwrap().into_owned(),
            ZipEntry {
                mode: file.unix_mode().unwrap_or(0),
                stored: file.compression() == zip::CompressionMethod::Stored,
                data,
            },
        ));
    }
    out
}

pub fn zip_map(path: &Path) -> BTreeMap<String, ZipEntry> {
    read_zip(path).into_iter().collect()
}

pub fn zip_text(path: &Path, name: &str) -> String {
    String::from_utf8(zip_map(path).remove(name).unwrap().data).unwrap()
}

/// What Info-ZIP's `zipinfo` (`unzip -Z`) says: (permissions, method, name) per entry, or
/// `None` when it is not installed.
pub fn info_zip(path: &Path) -> Option<Vec<(String, String, String)>> {
    let output = Command::new("unzip").arg("-Z").arg(path).output().ok()?;
    assert!(output.status.success(), "unzip -Z failed: {output:?}");
    let test = Command::new("unzip").arg("-tq").arg(path).output().ok()?;
    assert!(
        test.status.success(),
        "unzip -t: {}",
        String::from_utf8_lossy(&test.stdout)
    );
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| l.starts_with(['-', 'd', 'l']))
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f[0].to_string(), f[5].to_string(), f[8..].join(" "))
            })
            .collect(),
    )
}

/// What Python's `zipfile` reads: (name, octal mode, compress_type) per entry after
/// `testzip()`, or `None` without python3.
pub fn python_zip(path: &Path) -> Option<Vec<(String, String, u32)>> {
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nbad = z.testzip()\nassert bad is None, bad\nfor i in z.infolist():\n    print(i.filename, oct(i.external_attr >> 16), i.compress_type)\n";
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "python zipfile: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap())
            })
            .collect(),
    )
}

/// Files of a folder, recursively, relative (for "nothing was left behind" checks).
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}
