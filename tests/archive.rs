#![allow(clippy::unwrap_used)]
//! `bpkit::archive`, in-process: every kind extracts with its modes, links and times; every
//! refusal from quality.md ("Security") is triggered by an archive crafted here, and each time
//! nothing appears outside the target folder (a sentinel folder sits next to it); truncated,
//! garbage and mutated bytes give errors, never panics.

mod common;

use std::fs;
use std::io::{Cursor, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use bpkit::archive::{
    ArchiveError, ArchiveKind, ExtractOptions, Extracted, extract, extract_reader, extract_zip,
};
use common::zipball::zip_bomb;
use tar::{EntryType, Header};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const MTIME: u64 = 1_700_000_000;
const SENTINEL_TEXT: &str = "the sentinel must stay as it is\n";

// ---------------------------------------------------------------------------------------------
// Fixtures

/// A temporary folder holding `target/` (where archives go), `sentinel/` (which must stay as
/// it is) and the archive files, side by side.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sentinel")).unwrap();
        fs::write(dir.path().join("sentinel/keep.txt"), SENTINEL_TEXT).unwrap();
        Scene { dir }
    }

    fn target(&self) -> PathBuf {
        self.dir.path().join("target")
    }

    fn sentinel(&self) -> PathBuf {
        self.dir.path().join("sentinel")
    }

    fn write_archive(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    fn extract(&self, name: &str, bytes: &[u8]) -> Result<Extracted, ArchiveError> {
        self.extract_with(name, bytes, &ExtractOptions::default())
    }

    fn extract_with(
        &self,
        name: &str,
        bytes: &[u8],
        options: &ExtractOptions,
    ) -> Result<Extracted, ArchiveError> {
        let path = self.write_archive(name, bytes);
        extract(&path, &self.target(), options)
    }

    /// Nothing was created, changed or removed next to the target folder.
    fn assert_nothing_outside(&self) {
        let mut sentinel: Vec<_> = fs::read_dir(self.sentinel())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        sentinel.sort();
        assert_eq!(
            sentinel,
            ["keep.txt"],
            "something was written into the sentinel"
        );
        assert_eq!(
            fs::read_to_string(self.sentinel().join("keep.txt")).unwrap(),
            SENTINEL_TEXT
        );
        for entry in fs::read_dir(self.dir.path()).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                name == "target" || name == "sentinel" || name.starts_with("archive"),
                "unexpected {name} next to the target"
            );
        }
    }
}

/// Tarballs built header by header, so names and link targets can be anything at all (the
/// `tar` crate's `set_path` refuses `..`; here the bytes go into the header directly).
struct TarFixture {
    builder: tar::Builder<Vec<u8>>,
}

impl TarFixture {
    fn new() -> Self {
        TarFixture {
            builder: tar::Builder::new(Vec::new()),
        }
    }

    fn raw(
        &mut self,
        name: &[u8],
        kind: EntryType,
        mode: u32,
        link: &[u8],
        data: &[u8],
    ) -> &mut Self {
        let mut header = Header::new_gnu();
        {
            let old = header.as_old_mut();
            old.name[..name.len()].copy_from_slice(name);
            old.linkname[..link.len()].copy_from_slice(link);
        }
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_mtime(MTIME);
        header.set_size(data.len() as u64);
        header.set_cksum();
        self.builder.append(&header, data).unwrap();
        self
    }

    fn dir(&mut self, name: &str, mode: u32) -> &mut Self {
        self.raw(name.as_bytes(), EntryType::Directory, mode, b"", b"")
    }

    fn file(&mut self, name: &str, mode: u32, data: &str) -> &mut Self {
        self.raw(
            name.as_bytes(),
            EntryType::Regular,
            mode,
            b"",
            data.as_bytes(),
        )
    }

    fn symlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.raw(
            name.as_bytes(),
            EntryType::Symlink,
            0o777,
            target.as_bytes(),
            b"",
        )
    }

    fn hard_link(&mut self, name: &str, target: &str) -> &mut Self {
        self.raw(
            name.as_bytes(),
            EntryType::Link,
            0o644,
            target.as_bytes(),
            b"",
        )
    }

    /// A GNU long name record: the next entry's name, whatever its header says.
    fn long_name(&mut self, name: &str) -> &mut Self {
        let mut data = name.as_bytes().to_vec();
        data.push(0);
        self.raw(b"././@LongLink", EntryType::GNULongName, 0o644, b"", &data)
    }

    /// A GNU long link record: the next entry's link target, whatever its header says.
    fn long_link(&mut self, target: &str) -> &mut Self {
        let mut data = target.as_bytes().to_vec();
        data.push(0);
        self.raw(b"././@LongLink", EntryType::GNULongLink, 0o644, b"", &data)
    }

    fn pax(&mut self, records: &[(&str, &str)]) -> &mut Self {
        self.builder
            .append_pax_extensions(records.iter().map(|(k, v)| (*k, v.as_bytes())))
            .unwrap();
        self
    }

    fn tar(&mut self) -> Vec<u8> {
        let builder = std::mem::replace(&mut self.builder, tar::Builder::new(Vec::new()));
        builder.into_inner().unwrap()
    }

    fn compressed(&mut self, kind: ArchiveKind) -> Vec<u8> {
        compress(kind, &self.tar())
    }
}

fn compress(kind: ArchiveKind, tar: &[u8]) -> Vec<u8> {
    match kind {
        ArchiveKind::TarGz => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(tar).unwrap();
            e.finish().unwrap()
        }
        ArchiveKind::TarXz => {
            let options = lzma_rust2::XzOptions::with_preset(1);
            let mut e = lzma_rust2::XzWriter::new(Vec::new(), options).unwrap();
            e.write_all(tar).unwrap();
            e.finish().unwrap()
        }
        ArchiveKind::TarBz2 => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
            e.write_all(tar).unwrap();
            e.finish().unwrap()
        }
        ArchiveKind::Tar => tar.to_vec(),
        other => panic!("not a tarball kind: {other}"),
    }
}

fn file_name_for(kind: ArchiveKind) -> &'static str {
    match kind {
        ArchiveKind::TarGz => "archive.tgz",
        ArchiveKind::TarXz => "archive.tar.xz",
        ArchiveKind::TarBz2 => "archive.tar.bz2",
        ArchiveKind::Tar => "archive.tar",
        ArchiveKind::Zip => "archive.zip",
        ArchiveKind::Script => "archive.sh",
        ArchiveKind::File => "archive.jar",
    }
}

const TAR_KINDS: [ArchiveKind; 4] = [
    ArchiveKind::TarGz,
    ArchiveKind::TarXz,
    ArchiveKind::TarBz2,
    ArchiveKind::Tar,
];

struct ZipFixture {
    writer: ZipWriter<Cursor<Vec<u8>>>,
}

impl ZipFixture {
    fn new() -> Self {
        ZipFixture {
            writer: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    fn options(mode: u32) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(mode)
    }

    fn file(&mut self, name: &str, mode: u32, data: &str) -> &mut Self {
        self.writer.start_file(name, Self::options(mode)).unwrap();
        self.writer.write_all(data.as_bytes()).unwrap();
        self
    }

    fn dir(&mut self, name: &str, mode: u32) -> &mut Self {
        self.writer
            .add_directory(name, Self::options(mode))
            .unwrap();
        self
    }

    fn symlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.writer
            .add_symlink(name, target, SimpleFileOptions::default())
            .unwrap();
        self
    }

    fn zip(&mut self) -> Vec<u8> {
        let writer = std::mem::replace(&mut self.writer, ZipWriter::new(Cursor::new(Vec::new())));
        writer.finish().unwrap().into_inner()
    }
}

fn mode_of(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The tree every format is checked with, under `prefix` (`""` or `"./"`).
fn sample_tar(prefix: &str) -> TarFixture {
    let p = |name: &str| format!("{prefix}{name}");
    let mut t = TarFixture::new();
    t.dir(&p("top/"), 0o755)
        .dir(&p("top/bin/"), 0o755)
        .file(&p("top/bin/tool"), 0o755, "#!/bin/sh\necho tool\n")
        .hard_link(&p("top/bin/tool-again"), &p("top/bin/tool"))
        .file(&p("top/lib/deep/nested/data.txt"), 0o644, "nested\n")
        .file(&p("top/lib/libx.so.1"), 0o644, "elf\n")
        .symlink(&p("top/lib/libx.so"), "libx.so.1")
        .symlink(&p("top/bin/data"), "../lib/deep/nested/data.txt")
        .file(&p("top/share/read-only.txt"), 0o444, "ro\n")
        .file(&p("top/share/group-writable"), 0o775, "gw\n")
        .file(&p("top/share/setuid"), 0o4755, "su\n");
    t
}

/// Checks the sample tree, extracted with `strip` components stripped.
fn check_sample(root: &Path, strip: usize) {
    let base = match strip {
        0 => root.join("top"),
        1 => root.to_path_buf(),
        _ => unreachable!(),
    };
    let tool = base.join("bin/tool");
    assert_eq!(fs::read_to_string(&tool).unwrap(), "#!/bin/sh\necho tool\n");
    assert_eq!(mode_of(&tool), 0o755, "an executable stays executable");
    let again = base.join("bin/tool-again");
    assert_eq!(
        fs::read_to_string(&again).unwrap(),
        "#!/bin/sh\necho tool\n"
    );
    assert_eq!(mode_of(&again), 0o755);
    assert_ne!(
        fs::metadata(&tool).unwrap().ino(),
        fs::metadata(&again).unwrap().ino(),
        "hard links are materialised as copies"
    );
    assert_eq!(
        fs::read_to_string(base.join("lib/deep/nested/data.txt")).unwrap(),
        "nested\n"
    );
    assert_eq!(
        fs::read_link(base.join("lib/libx.so")).unwrap(),
        Path::new("libx.so.1")
    );
    assert_eq!(
        fs::read_to_string(base.join("lib/libx.so")).unwrap(),
        "elf\n"
    );
    assert_eq!(
        fs::read_to_string(base.join("bin/data")).unwrap(),
        "nested\n"
    );
    assert_eq!(mode_of(&base.join("share/read-only.txt")), 0o444);
    assert_eq!(
        mode_of(&base.join("share/group-writable")),
        0o775,
        "modes are kept exactly, whatever the umask"
    );
    assert_eq!(
        mode_of(&base.join("share/setuid")),
        0o755,
        "setuid is dropped"
    );
    assert_eq!(
        fs::metadata(&tool).unwrap().mtime(),
        i64::try_from(MTIME).unwrap()
    );
}

// ---------------------------------------------------------------------------------------------
// Each kind extracts

#[test]
fn every_tarball_kind_extracts_with_modes_links_and_times() {
    for kind in TAR_KINDS {
        let scene = Scene::new();
        let bytes = sample_tar("").compressed(kind);
        let extracted = scene.extract(file_name_for(kind), &bytes).unwrap();
        check_sample(&scene.target(), 0);
        assert_eq!(
            extracted,
            Extracted {
                files: 6,
                directories: 2,
                symlinks: 2,
                hard_links: 1,
                skipped: 0,
                bytes: 60,
            },
            "{kind}"
        );
        scene.assert_nothing_outside();
    }
}

#[test]
fn strip_components_zero_one_two() {
    for kind in [ArchiveKind::TarGz, ArchiveKind::Tar] {
        let bytes = sample_tar("").compressed(kind);
        for strip in [0, 1] {
            let scene = Scene::new();
            let options = ExtractOptions {
                strip_components: strip,
                file_name: None,
            };
            scene
                .extract_with(file_name_for(kind), &bytes, &options)
                .unwrap();
            check_sample(&scene.target(), strip);
        }
        // Stripped twice, `top/bin/data -> ../lib/...` would climb out of the target.
        let options = ExtractOptions {
            strip_components: 2,
            file_name: None,
        };
        let scene = Scene::new();
        let err = scene
            .extract_with(file_name_for(kind), &bytes, &options)
            .unwrap_err();
        assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}");
        scene.assert_nothing_outside();

        let bytes = TarFixture::new()
            .dir("node-v20/", 0o755)
            .dir("node-v20/bin/", 0o755)
            .file("node-v20/bin/node", 0o755, "elf")
            .symlink("node-v20/bin/nodejs", "node")
            .hard_link("node-v20/bin/node-again", "node-v20/bin/node")
            .file("node-v20/lib/x/y.js", 0o644, "js")
            .file("node-v20/README", 0o644, "readme")
            .compressed(kind);
        let scene = Scene::new();
        let extracted = scene
            .extract_with(file_name_for(kind), &bytes, &options)
            .unwrap();
        let root = scene.target();
        assert_eq!(fs::read_to_string(root.join("node")).unwrap(), "elf");
        assert_eq!(mode_of(&root.join("node")), 0o755);
        assert_eq!(
            fs::read_link(root.join("nodejs")).unwrap(),
            Path::new("node")
        );
        assert_eq!(fs::read_to_string(root.join("node-again")).unwrap(), "elf");
        assert_eq!(fs::read_to_string(root.join("x/y.js")).unwrap(), "js");
        assert!(!root.join("README").exists() && !root.join("bin").exists());
        // `node-v20/`, `node-v20/bin/` and `node-v20/README` are left with no name.
        assert_eq!(extracted.skipped, 3);
        scene.assert_nothing_outside();
    }
}

#[test]
fn dot_slash_is_not_a_component_as_in_libbuildpack() {
    // `tar -C dir -czf x.tgz .` writes `./top/...`: one top folder, so `strip_components: 1`
    // gives what it gives for `top/...`, as libbuildpack's InstallDependencyWithStrip does
    // (GNU tar would count the `.` and leave `top/` in place).
    let bytes = sample_tar("./").compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    scene.extract("archive.tgz", &bytes).unwrap();
    check_sample(&scene.target(), 0);
    let scene = Scene::new();
    let options = ExtractOptions {
        strip_components: 1,
        file_name: None,
    };
    scene.extract_with("archive.tgz", &bytes, &options).unwrap();
    check_sample(&scene.target(), 1);
}

#[test]
fn read_only_folders_stay_writable_by_their_owner() {
    let bytes = TarFixture::new()
        .dir("ro/", 0o555)
        .file("ro/inside.txt", 0o644, "x")
        .dir("ro/sub/", 0o500)
        .file("ro/sub/more", 0o600, "y")
        .compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    scene.extract("archive.tgz", &bytes).unwrap();
    assert_eq!(mode_of(&scene.target().join("ro")), 0o755);
    assert_eq!(mode_of(&scene.target().join("ro/sub")), 0o700);
    assert_eq!(
        fs::read_to_string(scene.target().join("ro/sub/more")).unwrap(),
        "y"
    );
}

#[test]
fn long_names_and_pax_records_are_honoured() {
    let long = format!("top/{}/file.txt", "d".repeat(150));
    let bytes = TarFixture::new()
        .long_name(&long)
        .file("ignored-short-name", 0o644, "long")
        .pax(&[("path", "pax/named.txt"), ("mtime", "1600000000.5")])
        .file("ignored-too", 0o600, "pax")
        .pax(&[("linkpath", "../pax/named.txt")])
        .symlink("top/link", "ignored")
        .long_link(&long)
        .symlink("long-link", "short-target")
        .compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    scene.extract("archive.tgz", &bytes).unwrap();
    let root = scene.target();
    assert_eq!(fs::read_to_string(root.join(&long)).unwrap(), "long");
    assert_eq!(
        fs::read_link(root.join("long-link")).unwrap(),
        Path::new(&long)
    );
    assert_eq!(
        fs::read_to_string(root.join("pax/named.txt")).unwrap(),
        "pax"
    );
    assert_eq!(
        fs::metadata(root.join("pax/named.txt")).unwrap().mtime(),
        1_600_000_000
    );
    assert_eq!(
        fs::read_link(root.join("top/link")).unwrap(),
        Path::new("../pax/named.txt")
    );
    assert!(!root.join("ignored-short-name").exists());
}

/// A pax record set (or GNU long name) is read up to 1 MiB and refused past it, with its data
/// there to read: the bound is the size claimed, not the end of the stream. The record here is
/// a comment, which is read and ignored (neither a name nor a sparse file's).
#[test]
fn extension_headers_are_read_up_to_one_mib() {
    for (size, accepted) in [(1 << 20, true), ((1 << 20) + 1, false)] {
        // `1048576 comment=…\n`: 17 bytes around the value.
        let comment = "c".repeat(size - 17);
        let bytes = TarFixture::new()
            .pax(&[("comment", comment.as_str())])
            .file("after", 0o644, "a")
            .tar();
        let scene = Scene::new();
        let result = scene.extract("archive.tar", &bytes);
        if accepted {
            assert_eq!(result.unwrap().files, 1, "{size}");
            let after = scene.target().join("after");
            assert_eq!(fs::read_to_string(after).unwrap(), "a");
        } else {
            let err = result.unwrap_err();
            assert_eq!(
                err.to_string(),
                r#"archive archive.tar: entry "" is an extended header over 1 MiB, which bpkit cannot extract"#
            );
        }
        scene.assert_nothing_outside();
    }
}

/// A pax `size` record is how files over 8 GiB are sized; one that says what the header says
/// extracts, one that differs is refused, where reading on by the header's size would take
/// file data for the next header.
#[test]
fn a_pax_size_must_be_the_headers() {
    let bytes = TarFixture::new()
        .pax(&[("size", "4")])
        .file("sized", 0o644, "data")
        .tar();
    let scene = Scene::new();
    scene.extract("archive.tar", &bytes).unwrap();
    let sized = scene.target().join("sized");
    assert_eq!(fs::read_to_string(sized).unwrap(), "data");

    let bytes = TarFixture::new()
        .pax(&[("size", "8589934592")])
        .file("huge", 0o644, "data")
        .tar();
    let err = refused(ArchiveKind::Tar, &bytes);
    assert_eq!(
        err.to_string(),
        r#"archive archive.tar: entry "huge" is a file over 8 GiB sized by a pax record, which bpkit cannot extract"#
    );
}

/// Old tar writers (before POSIX.1-1988) had no folder type: a regular entry whose name ends
/// in `/` is a folder, with its mode, and entries go into it.
#[test]
fn a_regular_entry_named_with_a_slash_is_a_folder() {
    let bytes = TarFixture::new()
        .raw(b"old/", EntryType::Regular, 0o750, b"", b"")
        .file("old/inside", 0o644, "i")
        .tar();
    let scene = Scene::new();
    let extracted = scene.extract("archive.tar", &bytes).unwrap();
    assert_eq!((extracted.directories, extracted.files), (1, 1));
    let root = scene.target();
    assert_eq!(mode_of(&root.join("old")), 0o750);
    assert_eq!(fs::read_to_string(root.join("old/inside")).unwrap(), "i");
}

#[test]
fn files_replace_earlier_files_and_links_but_not_folders() {
    let bytes = TarFixture::new()
        .file("a", 0o644, "first")
        .file("a", 0o600, "second")
        .file("target-of-link", 0o644, "t")
        .symlink("l", "target-of-link")
        .file("l", 0o644, "replaced the link")
        .compressed(ArchiveKind::Tar);
    let scene = Scene::new();
    scene.extract("archive.tar", &bytes).unwrap();
    let root = scene.target();
    assert_eq!(fs::read_to_string(root.join("a")).unwrap(), "second");
    assert_eq!(mode_of(&root.join("a")), 0o600);
    assert!(fs::symlink_metadata(root.join("l")).unwrap().is_file());
    assert_eq!(
        fs::read_to_string(root.join("target-of-link")).unwrap(),
        "t"
    );

    let bytes = TarFixture::new()
        .dir("d/", 0o755)
        .file("d", 0o644, "no")
        .compressed(ArchiveKind::Tar);
    let scene = Scene::new();
    let err = scene.extract("archive.tar", &bytes).unwrap_err();
    assert!(matches!(err, ArchiveError::ReplacesFolder { .. }), "{err}");
}

#[test]
fn devices_and_fifos_are_skipped() {
    let bytes = TarFixture::new()
        .raw(b"fifo", EntryType::Fifo, 0o644, b"", b"")
        .raw(b"dev/null", EntryType::Char, 0o666, b"", b"")
        .raw(b"dev/sda", EntryType::Block, 0o660, b"", b"")
        .file("real", 0o644, "r")
        .compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    let extracted = scene.extract("archive.tgz", &bytes).unwrap();
    assert_eq!(extracted.skipped, 3);
    assert_eq!(extracted.files, 1);
    let root = scene.target();
    assert!(!root.join("fifo").exists() && !root.join("dev").exists());
    scene.assert_nothing_outside();
}

#[test]
fn sparse_files_are_refused_not_misread() {
    let bytes = TarFixture::new()
        .raw(b"sparse", EntryType::GNUSparse, 0o644, b"", b"")
        .compressed(ArchiveKind::Tar);
    let err = Scene::new().extract("archive.tar", &bytes).unwrap_err();
    assert!(matches!(err, ArchiveError::Unsupported { .. }), "{err}");
    // A pax sparse file (`tar --sparse --format=posix`) is a regular entry whose records say
    // its data is a map of holes: written as it is, it would be the map, not the file.
    let bytes = TarFixture::new()
        .pax(&[
            ("GNU.sparse.major", "1"),
            ("GNU.sparse.minor", "0"),
            ("GNU.sparse.name", "sparse"),
            ("GNU.sparse.realsize", "1048576"),
        ])
        .file("GNUSparseFile.0/sparse", 0o644, "1\n0\n512\n")
        .tar();
    let err = refused(ArchiveKind::Tar, &bytes);
    assert_eq!(
        err.to_string(),
        r#"archive archive.tar: entry "GNUSparseFile.0/sparse" is a sparse file (tar --sparse), which bpkit cannot extract"#
    );
}

#[test]
fn zip_with_unix_modes_folders_and_links() {
    let bytes = ZipFixture::new()
        .dir("top/", 0o755)
        .dir("top/bin/", 0o755)
        .file("top/bin/tool", 0o755, "#!/bin/sh\n")
        .file("top/lib/deep/data.txt", 0o644, "data")
        .file("top/share/ro.txt", 0o444, "ro")
        .symlink("top/bin/data", "../lib/deep/data.txt")
        .zip();
    let scene = Scene::new();
    let extracted = scene.extract("archive.zip", &bytes).unwrap();
    let root = scene.target();
    assert_eq!(mode_of(&root.join("top/bin/tool")), 0o755);
    assert_eq!(mode_of(&root.join("top/lib/deep/data.txt")), 0o644);
    assert_eq!(mode_of(&root.join("top/share/ro.txt")), 0o444);
    assert_eq!(
        fs::read_to_string(root.join("top/bin/data")).unwrap(),
        "data"
    );
    assert_eq!(
        fs::read_link(root.join("top/bin/data")).unwrap(),
        Path::new("../lib/deep/data.txt")
    );
    assert_eq!(
        (extracted.files, extracted.directories, extracted.symlinks),
        (3, 2, 1)
    );
    scene.assert_nothing_outside();

    // Stripped, from a reader, and from a seekable reader.
    let options = ExtractOptions {
        strip_components: 1,
        file_name: None,
    };
    let scene = Scene::new();
    extract_reader(
        ArchiveKind::Zip,
        bytes.as_slice(),
        &scene.target(),
        &options,
    )
    .unwrap();
    assert_eq!(mode_of(&scene.target().join("bin/tool")), 0o755);
    assert_eq!(
        fs::read_to_string(scene.target().join("bin/data")).unwrap(),
        "data"
    );
    let scene = Scene::new();
    extract_zip(Cursor::new(&bytes), &scene.target(), &options).unwrap();
    assert_eq!(mode_of(&scene.target().join("bin/tool")), 0o755);
    // Stripped twice, the link `bin/data -> ../lib/...` would climb out of the target.
    let options = ExtractOptions {
        strip_components: 2,
        file_name: None,
    };
    let scene = Scene::new();
    let err = extract_zip(Cursor::new(&bytes), &scene.target(), &options).unwrap_err();
    assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}");
    assert_eq!(mode_of(&scene.target().join("tool")), 0o755);
    scene.assert_nothing_outside();
}

/// A zip made elsewhere than on Unix (here marked as made on MS-DOS, as Windows tools mark
/// theirs) has no modes: files get 0644 and folders, named with a trailing `/`, 0755, as
/// `unzip` gives them, whatever the Unix half of the attributes holds.
#[test]
fn zip_made_elsewhere_gets_default_modes() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .system(zip::System::Dos)
        .unix_permissions(0o700);
    writer.add_directory("dir/", options).unwrap();
    writer.start_file("dir/file.txt", options).unwrap();
    writer.write_all(b"dos").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let scene = Scene::new();
    let extracted = scene.extract("archive.zip", &bytes).unwrap();
    assert_eq!((extracted.directories, extracted.files), (1, 1));
    let root = scene.target();
    assert_eq!(mode_of(&root.join("dir")), 0o755);
    assert_eq!(mode_of(&root.join("dir/file.txt")), 0o644);
    assert_eq!(
        fs::read_to_string(root.join("dir/file.txt")).unwrap(),
        "dos"
    );
}

/// Zip entries keep their modification time: the extended timestamp's Unix seconds when there
/// is one, else the MS-DOS date and time, read as UTC.
#[test]
fn zip_entries_keep_their_modification_times() {
    let dos = zip::DateTime::from_date_and_time(2024, 2, 29, 12, 30, 58).unwrap();
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::FullFileOptions::default().last_modified_time(dos);
    writer.start_file("dos-time", options.clone()).unwrap();
    let mut extended = options;
    // Extended timestamp (0x5455): flags (bit 0: a modification time), then the time.
    let mut field = vec![1];
    field.extend(1_700_000_000u32.to_le_bytes());
    extended.add_extra_field(0x5455, field, false).unwrap();
    writer.start_file("unix-time", extended).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let scene = Scene::new();
    scene.extract("archive.zip", &bytes).unwrap();
    let mtime = |name: &str| fs::metadata(scene.target().join(name)).unwrap().mtime();
    // 2024-02-29 is day 19,782 since 1970-01-01.
    assert_eq!(
        mtime("dos-time"),
        19_782 * 86_400 + 12 * 3600 + 30 * 60 + 58
    );
    assert_eq!(mtime("unix-time"), 1_700_000_000);
}

/// A zip's symbolic link target is read up to 4095 bytes, the longest Linux takes; a longer
/// one is refused as one, before `symlink` would fail with "File name too long".
#[test]
fn zip_link_targets_are_read_up_to_what_linux_takes() {
    // `d/d/…/d`, inside the target folder whatever its length.
    let target = |len: usize| {
        let mut target = "d/".repeat(len / 2);
        target.truncate(len - 1);
        target.push('d');
        target
    };
    let longest = target(4095);
    let bytes = ZipFixture::new().symlink("link", &longest).zip();
    let scene = Scene::new();
    scene.extract("archive.zip", &bytes).unwrap();
    assert_eq!(
        fs::read_link(scene.target().join("link")).unwrap(),
        Path::new(&longest)
    );
    for len in [4096, 4097] {
        let bytes = ZipFixture::new().symlink("link", &target(len)).zip();
        let err = refused(ArchiveKind::Zip, &bytes);
        assert_eq!(
            err.to_string(),
            r#"archive archive.zip: entry "link" is a symbolic link whose target is over 4095 bytes (more than Linux takes), which bpkit cannot extract"#,
            "{len}"
        );
    }
}

#[test]
fn scripts_are_copied_and_made_executable() {
    let scene = Scene::new();
    let extracted = scene
        .extract("archive-installer.sh", b"#!/bin/sh\necho hi\n")
        .unwrap();
    let installed = scene.target().join("archive-installer.sh");
    assert_eq!(fs::read(&installed).unwrap(), b"#!/bin/sh\necho hi\n");
    assert_eq!(mode_of(&installed), 0o755);
    assert_eq!((extracted.files, extracted.bytes), (1, 18));

    // A cached file stored under another name installs under its original name, and the
    // original name decides the kind.
    let scene = Scene::new();
    let options = ExtractOptions {
        strip_components: 0,
        file_name: Some("setup.sh".into()),
    };
    scene
        .extract_with("archive-cached-0f3a", b"#!/bin/sh\n", &options)
        .unwrap();
    assert_eq!(mode_of(&scene.target().join("setup.sh")), 0o755);
    assert!(!scene.target().join("archive-cached-0f3a").exists());
    scene.assert_nothing_outside();
}

#[test]
fn other_files_are_copied_as_they_are() {
    let scene = Scene::new();
    scene
        .extract("archive-agent.jar", b"PK\x03\x04 a jar")
        .unwrap();
    let installed = scene.target().join("archive-agent.jar");
    assert_eq!(fs::read(&installed).unwrap(), b"PK\x03\x04 a jar");
    assert_eq!(mode_of(&installed), 0o644);

    // Installing again replaces the file.
    scene.extract("archive-agent.jar", b"v2").unwrap();
    assert_eq!(fs::read(&installed).unwrap(), b"v2");

    let scene = Scene::new();
    let options = ExtractOptions {
        strip_components: 0,
        file_name: Some("tool".into()),
    };
    extract_reader(ArchiveKind::File, &b"bin"[..], &scene.target(), &options).unwrap();
    assert_eq!(fs::read(scene.target().join("tool")).unwrap(), b"bin");
    scene.assert_nothing_outside();
}

#[test]
fn a_plain_file_needs_a_usable_name() {
    let scene = Scene::new();
    let err = extract_reader(
        ArchiveKind::Script,
        &b"x"[..],
        &scene.target(),
        &ExtractOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive (unnamed stream): no file name to install this shell script under; pass the original file name in the extract options"
    );
    for bad in ["../escape.sh", "a/b.sh", "..", ".", "", "nul\0.sh"] {
        let options = ExtractOptions {
            strip_components: 0,
            file_name: Some(bad.into()),
        };
        let err =
            extract_reader(ArchiveKind::Script, &b"x"[..], &scene.target(), &options).unwrap_err();
        assert!(
            matches!(err, ArchiveError::InvalidFileName { .. }),
            "{bad}: {err}"
        );
    }
    scene.assert_nothing_outside();
}

// ---------------------------------------------------------------------------------------------
// Refusals: each one with an archive crafted to write next to the target, in every format

/// Extracts `bytes` of `kind` into a fresh scene, expects an error, and checks that nothing
/// was written outside the target folder. Returns the error.
fn refused(kind: ArchiveKind, bytes: &[u8]) -> ArchiveError {
    let scene = Scene::new();
    refused_in(&scene, kind, bytes)
}

fn refused_in(scene: &Scene, kind: ArchiveKind, bytes: &[u8]) -> ArchiveError {
    let err = scene
        .extract(file_name_for(kind), bytes)
        .expect_err("the archive must be refused");
    scene.assert_nothing_outside();
    err
}

/// The same tar entries in every tarball kind.
fn refused_tar(build: impl Fn(&mut TarFixture, &Scene), check: impl Fn(&ArchiveError)) {
    for kind in TAR_KINDS {
        let scene = Scene::new();
        let mut fixture = TarFixture::new();
        build(&mut fixture, &scene);
        let err = refused_in(&scene, kind, &fixture.compressed(kind));
        check(&err);
    }
}

#[test]
fn refuses_absolute_paths() {
    refused_tar(
        |t, scene| {
            let evil = scene.sentinel().join("evil");
            t.file(evil.to_str().unwrap(), 0o644, "evil");
        },
        |err| assert!(matches!(err, ArchiveError::AbsolutePath { .. }), "{err}"),
    );
    let scene = Scene::new();
    let evil = scene.sentinel().join("evil");
    let zip = ZipFixture::new()
        .file(evil.to_str().unwrap(), 0o644, "evil")
        .zip();
    let err = refused_in(&scene, ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::AbsolutePath { .. }), "{err}");
}

#[test]
fn refuses_parent_components() {
    for name in ["../sentinel/evil", "ok/../../sentinel/evil", "a/../b"] {
        refused_tar(
            |t, _| {
                t.file("fine", 0o644, "fine").file(name, 0o644, "evil");
            },
            |err| {
                assert!(
                    matches!(err, ArchiveError::EscapesTarget { .. }),
                    "{name}: {err}"
                );
            },
        );
        let zip = ZipFixture::new().file(name, 0o644, "evil").zip();
        let err = refused(ArchiveKind::Zip, &zip);
        assert!(
            matches!(err, ArchiveError::EscapesTarget { .. }),
            "{name}: {err}"
        );
    }
    // Windows separators in a zip are separators.
    let zip = ZipFixture::new()
        .file("..\\sentinel\\evil", 0o644, "evil")
        .zip();
    let err = refused(ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::EscapesTarget { .. }), "{err}");
    // `..` is refused even in the components `strip_components` removes.
    let bytes = TarFixture::new().file("../x/file", 0o644, "e").tar();
    let scene = Scene::new();
    let options = ExtractOptions {
        strip_components: 1,
        file_name: None,
    };
    let err = scene
        .extract_with("archive.tar", &bytes, &options)
        .unwrap_err();
    assert!(matches!(err, ArchiveError::EscapesTarget { .. }), "{err}");
}

#[test]
fn refusal_messages_name_the_archive_and_the_entry() {
    let bytes = TarFixture::new()
        .file("../../etc/passwd", 0o644, "root::0:0")
        .compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    let err = scene.extract_with(
        "archive.tgz",
        &bytes,
        &ExtractOptions {
            strip_components: 0,
            file_name: Some("ruby.tgz".into()),
        },
    );
    assert_eq!(
        err.unwrap_err().to_string(),
        r#"archive ruby.tgz: entry "../../etc/passwd" escapes the target folder; refusing to extract"#
    );
    let bytes = TarFixture::new()
        .symlink("lib/evil", "/etc")
        .compressed(ArchiveKind::TarGz);
    let err = refused(ArchiveKind::TarGz, &bytes);
    assert_eq!(
        err.to_string(),
        r#"archive archive.tgz: symbolic link "lib/evil" points to the absolute path "/etc"; refusing to extract"#
    );
}

#[test]
fn refuses_names_hidden_in_long_name_and_pax_records() {
    refused_tar(
        |t, _| {
            t.long_name("../sentinel/evil")
                .file("innocent", 0o644, "evil");
        },
        |err| {
            assert!(matches!(err, ArchiveError::EscapesTarget { .. }), "{err}");
            assert!(err.to_string().contains("../sentinel/evil"), "{err}");
        },
    );
    refused_tar(
        |t, _| {
            t.pax(&[("path", "../sentinel/evil")])
                .file("innocent", 0o644, "evil");
        },
        |err| assert!(matches!(err, ArchiveError::EscapesTarget { .. }), "{err}"),
    );
    refused_tar(
        |t, _| {
            t.pax(&[("linkpath", "../sentinel")])
                .symlink("innocent", "fine")
                .file("innocent/evil", 0o644, "evil");
        },
        |err| assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}"),
    );
}

#[test]
fn refuses_symlinks_that_escape() {
    for link in [
        "../sentinel",
        "..",
        "a/../../sentinel",
        "./../sentinel",
        "lib/../..",
    ] {
        refused_tar(
            |t, _| {
                t.dir("a/", 0o755)
                    .dir("lib/", 0o755)
                    .symlink("esc", link)
                    .file("esc/evil", 0o644, "evil");
            },
            |err| {
                assert!(
                    matches!(err, ArchiveError::SymlinkEscapes { .. }),
                    "{link}: {err}"
                );
            },
        );
        let zip = ZipFixture::new()
            .dir("a/", 0o755)
            .dir("lib/", 0o755)
            .symlink("esc", link)
            .file("esc/evil", 0o644, "evil")
            .zip();
        let err = refused(ArchiveKind::Zip, &zip);
        assert!(
            matches!(err, ArchiveError::SymlinkEscapes { .. }),
            "{link}: {err}"
        );
    }
    // Deeper links may climb, as long as they stay inside.
    let bytes = TarFixture::new()
        .symlink("a/b/c/up", "../../x")
        .symlink("a/b/c/top", "../../..")
        .dir("real/", 0o755)
        .symlink("a/via-real", "../real/../a")
        .compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    let extracted = scene.extract("archive.tgz", &bytes).unwrap();
    assert_eq!(extracted.symlinks, 3);
    scene.assert_nothing_outside();
    // One level too many.
    let bytes = TarFixture::new()
        .symlink("a/b/c/up", "../../../..")
        .compressed(ArchiveKind::TarGz);
    let err = refused(ArchiveKind::TarGz, &bytes);
    assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}");
}

#[test]
fn refuses_a_dotdot_after_a_link_in_a_link_target() {
    // `d/s -> ..` is the root, fine. `t -> d/s/../..` reads as the root lexically, but the
    // kernel resolves `d/s` first, so it really is the root's parent. Refused.
    refused_tar(
        |t, _| {
            t.dir("d/", 0o755)
                .symlink("d/s", "..")
                .symlink("t", "d/s/../..")
                .file("t/sentinel/evil", 0o644, "evil");
        },
        |err| assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}"),
    );
    // A `..` after a name that does not exist yet (it could become a link later) is refused.
    refused_tar(
        |t, _| {
            t.symlink("t", "later/../x").symlink("later", "..");
        },
        |err| assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}"),
    );
}

#[test]
fn refuses_absolute_and_empty_symlinks() {
    refused_tar(
        |t, scene| {
            t.symlink("abs", scene.sentinel().to_str().unwrap())
                .file("abs/evil", 0o644, "evil");
        },
        |err| assert!(matches!(err, ArchiveError::AbsoluteSymlink { .. }), "{err}"),
    );
    refused_tar(
        |t, _| {
            t.symlink("tmp", "/tmp");
        },
        |err| assert!(matches!(err, ArchiveError::AbsoluteSymlink { .. }), "{err}"),
    );
    refused_tar(
        |t, _| {
            t.symlink("empty", "");
        },
        |err| assert!(matches!(err, ArchiveError::InvalidSymlink { .. }), "{err}"),
    );
    let scene = Scene::new();
    let zip = ZipFixture::new()
        .symlink("abs", scene.sentinel().to_str().unwrap())
        .file("abs/evil", 0o644, "evil")
        .zip();
    let err = refused_in(&scene, ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::AbsoluteSymlink { .. }), "{err}");
}

#[test]
fn never_writes_through_a_symlink() {
    // Even a link that points inside is not written through: no honest archive needs it, and
    // the rule is what keeps every later write inside.
    refused_tar(
        |t, _| {
            t.dir("real/", 0o755)
                .symlink("in", "real")
                .file("in/file", 0o644, "through");
        },
        |err| assert!(matches!(err, ArchiveError::ThroughSymlink { .. }), "{err}"),
    );
    refused_tar(
        |t, _| {
            t.dir("real/", 0o755)
                .symlink("in", "real")
                .dir("in/", 0o755);
        },
        |err| assert!(matches!(err, ArchiveError::ThroughSymlink { .. }), "{err}"),
    );
    let zip = ZipFixture::new()
        .dir("real/", 0o755)
        .symlink("in", "real")
        .file("in/file", 0o644, "through")
        .zip();
    let err = refused(ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::ThroughSymlink { .. }), "{err}");

    // A link already in the target folder, pointing outside, is not followed either.
    let scene = Scene::new();
    fs::create_dir(scene.target()).unwrap();
    std::os::unix::fs::symlink(scene.sentinel(), scene.target().join("planted")).unwrap();
    let bytes = TarFixture::new().file("planted/evil", 0o644, "evil").tar();
    let err = refused_in(&scene, ArchiveKind::Tar, &bytes);
    assert_eq!(
        err.to_string(),
        r#"archive archive.tar: entry "planted/evil" would be written through the symbolic link "planted"; refusing to extract"#
    );
    std::os::unix::fs::symlink(
        scene.sentinel().join("keep.txt"),
        scene.target().join("planted-file"),
    )
    .unwrap();
    // A file entry at the link's own path replaces the link instead of writing through it.
    let bytes = TarFixture::new().file("planted-file", 0o644, "mine").tar();
    scene.extract("archive.tar", &bytes).unwrap();
    scene.assert_nothing_outside();
    assert_eq!(
        fs::read_to_string(scene.target().join("planted-file")).unwrap(),
        "mine"
    );
}

#[test]
fn refuses_hard_links_outside_or_to_anything_not_extracted_before() {
    refused_tar(
        |t, _| {
            t.hard_link("h", "../sentinel/keep.txt");
        },
        |err| assert!(matches!(err, ArchiveError::HardLinkEscapes { .. }), "{err}"),
    );
    refused_tar(
        |t, scene| {
            t.hard_link("h", scene.sentinel().join("keep.txt").to_str().unwrap());
        },
        |err| assert!(matches!(err, ArchiveError::HardLinkEscapes { .. }), "{err}"),
    );
    refused_tar(
        |t, _| {
            t.hard_link("h", "later").file("later", 0o644, "l");
        },
        |err| assert!(matches!(err, ArchiveError::HardLinkMissing { .. }), "{err}"),
    );
    // To a symbolic link (which could point anywhere) or a folder: refused.
    refused_tar(
        |t, _| {
            t.symlink("sl", "keep.txt").hard_link("h", "sl");
        },
        |err| assert!(matches!(err, ArchiveError::HardLinkMissing { .. }), "{err}"),
    );
    refused_tar(
        |t, _| {
            t.dir("d/", 0o755).hard_link("h", "d");
        },
        |err| assert!(matches!(err, ArchiveError::HardLinkMissing { .. }), "{err}"),
    );
    // To a file that a later entry turned into a link: refused.
    refused_tar(
        |t, scene| {
            t.file("f", 0o644, "f")
                .symlink("f", "elsewhere")
                .hard_link("h", "f");
            let _ = scene;
        },
        |err| assert!(matches!(err, ArchiveError::HardLinkMissing { .. }), "{err}"),
    );
    // To a file already in the target folder but not from this archive: refused.
    let scene = Scene::new();
    fs::create_dir(scene.target()).unwrap();
    fs::write(scene.target().join("pre-existing"), "p").unwrap();
    let bytes = TarFixture::new().hard_link("h", "pre-existing").tar();
    let err = refused_in(&scene, ArchiveKind::Tar, &bytes);
    assert!(matches!(err, ArchiveError::HardLinkMissing { .. }), "{err}");
}

#[test]
fn a_hard_link_to_itself_keeps_the_contents() {
    let bytes = TarFixture::new()
        .file("f", 0o755, "contents")
        .hard_link("f", "f")
        .tar();
    let scene = Scene::new();
    scene.extract("archive.tar", &bytes).unwrap();
    assert_eq!(
        fs::read_to_string(scene.target().join("f")).unwrap(),
        "contents"
    );
    assert_eq!(mode_of(&scene.target().join("f")), 0o755);
}

#[test]
fn a_file_where_a_folder_is_needed_is_an_error() {
    let bytes = TarFixture::new()
        .file("f", 0o644, "f")
        .file("f/inside", 0o644, "x")
        .tar();
    let err = refused(ArchiveKind::Tar, &bytes);
    assert!(matches!(err, ArchiveError::NotAFolder { .. }), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Bad bytes: errors, never panics

fn sample_bytes(kind: ArchiveKind) -> Vec<u8> {
    match kind {
        ArchiveKind::Zip => ZipFixture::new()
            .dir("top/", 0o755)
            .file("top/a", 0o755, &"a".repeat(700))
            .symlink("top/l", "a")
            .file("top/b", 0o644, "b")
            .zip(),
        kind => sample_tar("").compressed(kind),
    }
}

const ARCHIVE_KINDS: [ArchiveKind; 5] = [
    ArchiveKind::TarGz,
    ArchiveKind::TarXz,
    ArchiveKind::TarBz2,
    ArchiveKind::Tar,
    ArchiveKind::Zip,
];

/// A small deterministic generator (xorshift64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next().to_le_bytes()[0]).collect()
    }
}

/// A `.tgz` or `.tbz2` padded with zero bytes to a block size (as some stores and `dd` leave
/// it): `gzip -d`, `bzip2 -d` and GNU tar ignore the zeros, where bpkit, reading past the
/// tarball to check the trailer, took them for another member and failed ("invalid gzip
/// header", "bz2 header missing"). Garbage after the zeros is still an error. (xz has stream
/// padding of its own.)
#[test]
fn a_compressed_tarball_padded_with_zeros_extracts_as_its_tool_reads_it() {
    for (kind, format) in [
        (ArchiveKind::TarGz, Some("gzip")),
        (ArchiveKind::TarBz2, Some("bzip2")),
        (ArchiveKind::TarXz, None),
    ] {
        let mut padded = sample_bytes(kind);
        padded.resize(padded.len().next_multiple_of(4096) + 4096, 0);
        let scene = Scene::new();
        scene.extract(file_name_for(kind), &padded).unwrap();
        check_sample(&scene.target(), 0);
        let Some(format) = format else { continue };
        padded.extend_from_slice(b"garbage");
        let err = bpkit::output::error_chain(&refused(kind, &padded));
        assert!(
            err.ends_with(&format!(
                "bytes after the {format} data that are neither zeros nor more {format} data"
            )),
            "{err}"
        );
    }
}

/// `xz` with its dictionary size set to `code` (the LZMA2 property byte: `2 or 3 << (code / 2 +
/// 11)`), by rewriting the first block header's filter properties and its CRC32. The data was
/// compressed with a small dictionary, which a decoder holding a larger one reads the same.
fn xz_with_dictionary_code(code: u8) -> Vec<u8> {
    let mut bytes = sample_bytes(ArchiveKind::TarXz);
    // The stream header is 12 bytes; the block header's first byte is its size / 4 - 1, and
    // its last four bytes are the CRC32 of the rest.
    let start = 12;
    let end = start + (usize::from(bytes[start]) + 1) * 4 - 4;
    // LZMA2's filter flags: ID 0x21, one byte of properties (the dictionary size).
    let at = bytes[start..end]
        .windows(2)
        .position(|w| w == [0x21, 0x01])
        .expect("an LZMA2 filter in the block header")
        + start
        + 2;
    bytes[at] = code;
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[start..end]);
    bytes[end..end + 4].copy_from_slice(&crc.sum().to_le_bytes());
    bytes
}

/// A `.tar.xz` made with `xz -9` (a 64 MiB dictionary) extracts; one whose header asks for a
/// 1.5 GiB dictionary is refused before the decoder takes that memory (past the 1 GiB limit),
/// where a crafted header could have made each staging allocate gigabytes.
#[test]
fn an_xz_dictionary_is_allowed_up_to_a_limit() {
    // 28: 2 << 25, xz -9's 64 MiB.
    let scene = Scene::new();
    scene
        .extract("archive.tar.xz", &xz_with_dictionary_code(28))
        .unwrap();
    check_sample(&scene.target(), 0);
    // 37: 3 << 29, 1.5 GiB.
    let err =
        bpkit::output::error_chain(&refused(ArchiveKind::TarXz, &xz_with_dictionary_code(37)));
    assert_eq!(
        err,
        "archive archive.tar.xz: its xz header asks for a dictionary needing more than the 1024 MiB of memory bpkit lets xz use (xz -9 needs 65 MiB); recompress it with `xz -9` or a lower level"
    );
}

#[test]
fn truncated_archives_are_errors() {
    for kind in ARCHIVE_KINDS {
        let bytes = sample_bytes(kind);
        // For an uncompressed tarball, a cut between entries looks like a complete (shorter)
        // tarball, as it does to `tar`; cuts inside a header or inside file data are errors.
        let cuts: Vec<usize> = if kind == ArchiveKind::Tar {
            vec![1, 100, 511, 600, 1100]
        } else {
            vec![
                1,
                2,
                10,
                bytes.len() / 3,
                bytes.len() / 2,
                bytes.len() - 4,
                bytes.len() - 1,
            ]
        };
        for cut in cuts {
            let scene = Scene::new();
            let result = extract_reader(
                kind,
                &bytes[..cut],
                &scene.target(),
                &ExtractOptions::default(),
            );
            assert!(result.is_err(), "{kind} cut at {cut} of {}", bytes.len());
            scene.assert_nothing_outside();
        }
    }
}

#[test]
fn empty_and_garbage_input_are_errors() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for kind in ARCHIVE_KINDS {
        let mut inputs = vec![rng.bytes(3), rng.bytes(600), rng.bytes(70_000)];
        if kind != ArchiveKind::Tar {
            // An empty `.tar` is an empty archive, as for `tar`; anything else needs a header.
            inputs.push(Vec::new());
        }
        // Right magic, garbage after it.
        let magic: &[u8] = match kind {
            ArchiveKind::TarGz => b"\x1f\x8b\x08\x00",
            ArchiveKind::TarXz => b"\xfd7zXZ\x00",
            ArchiveKind::TarBz2 => b"BZh9",
            ArchiveKind::Zip => b"PK\x03\x04",
            _ => b"ustar",
        };
        let mut with_magic = magic.to_vec();
        with_magic.extend(rng.bytes(2000));
        inputs.push(with_magic);
        for input in inputs {
            let scene = Scene::new();
            let result = extract_reader(
                kind,
                input.as_slice(),
                &scene.target(),
                &ExtractOptions::default(),
            );
            assert!(result.is_err(), "{kind}, {} bytes", input.len());
            let err = result.unwrap_err();
            assert!(
                matches!(err, ArchiveError::CannotReadArchive { .. }),
                "{kind}: {err}"
            );
            scene.assert_nothing_outside();
        }
    }
}

#[test]
fn mutated_archives_never_panic_nor_write_outside() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for kind in ARCHIVE_KINDS {
        let bytes = sample_bytes(kind);
        let scene = Scene::new();
        for round in 0..150 {
            let mut mutated = bytes.clone();
            for _ in 0..=rng.below(4) {
                let at = rng.below(mutated.len());
                mutated[at] = rng.bytes(1)[0];
            }
            if round % 10 == 0 {
                mutated.truncate(rng.below(mutated.len()));
            }
            let target = scene.target().join(round.to_string());
            let options = ExtractOptions {
                strip_components: round % 3,
                file_name: None,
            };
            // Either outcome is fine; a panic fails the test.
            let _ = extract_reader(kind, mutated.as_slice(), &target, &options);
            let _ = extract_zip(Cursor::new(&mutated), &target, &options);
        }
        scene.assert_nothing_outside();
    }
}

#[test]
fn oversized_extension_headers_are_refused_without_reading_them() {
    // A GNU long name that claims 8 GiB (its data absent): refused before any allocation.
    let mut header = Header::new_gnu();
    header.as_old_mut().name[..13].copy_from_slice(b"././@LongLink");
    header.set_entry_type(EntryType::GNULongName);
    header.set_size(8 << 30);
    header.set_mode(0o644);
    header.set_cksum();
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend([0u8; 1024]);
    let scene = Scene::new();
    let err = extract_reader(
        ArchiveKind::Tar,
        bytes.as_slice(),
        &scene.target(),
        &ExtractOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ArchiveError::Unsupported { .. }), "{err}");
}

#[test]
fn a_missing_archive_is_an_open_error() {
    let scene = Scene::new();
    let err = extract(
        &scene.dir.path().join("archive-missing.tgz"),
        &scene.target(),
        &ExtractOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, ArchiveError::CannotOpenArchive { .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "archive archive-missing.tgz: cannot open it"
    );
}

// ---------------------------------------------------------------------------------------------
// Special bits, odd zip names, duplicates, many entries

/// Setuid, setgid and sticky never survive, on files, folders or hard-link copies, whoever
/// extracts (GNU tar keeps them as root; a dependency never needs them), while the `rwx` bits
/// stay exact.
#[test]
fn setuid_setgid_and_sticky_bits_are_dropped_everywhere() {
    for kind in [ArchiveKind::Tar, ArchiveKind::TarGz] {
        let bytes = TarFixture::new()
            .dir("shared/", 0o3775)
            .dir("sticky/", 0o1777)
            .file("shared/su", 0o4755, "su")
            .file("shared/sg", 0o2750, "sg")
            .file("shared/all", 0o7777, "all")
            .hard_link("shared/su-copy", "shared/su")
            .compressed(kind);
        let scene = Scene::new();
        scene.extract(file_name_for(kind), &bytes).unwrap();
        let root = scene.target();
        for (path, mode) in [
            ("shared", 0o775),
            ("sticky", 0o777),
            ("shared/su", 0o755),
            ("shared/sg", 0o750),
            ("shared/all", 0o777),
            ("shared/su-copy", 0o755),
        ] {
            assert_eq!(mode_of(&root.join(path)), mode, "{path} in {kind}");
        }
        scene.assert_nothing_outside();
    }
}

/// Zip entry names with a NUL are refused (a C tool would cut the name there); `\` is a
/// separator, so `\abs\x` is absolute and `dir\file` lands in `dir/`.
#[test]
fn zip_names_with_nul_or_backslashes() {
    let zip = ZipFixture::new().file("ok\0.txt", 0o644, "nul").zip();
    let err = refused(ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::NulInName { .. }), "{err}");

    let zip = ZipFixture::new().file("\\abs\\evil", 0o644, "evil").zip();
    let err = refused(ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::AbsolutePath { .. }), "{err}");

    let zip = ZipFixture::new()
        .file("dir\\sub\\file.txt", 0o644, "in dir")
        .zip();
    let scene = Scene::new();
    scene.extract("archive.zip", &zip).unwrap();
    assert_eq!(
        fs::read_to_string(scene.target().join("dir/sub/file.txt")).unwrap(),
        "in dir"
    );
    scene.assert_nothing_outside();
}

/// A zip entry encrypted with a password (bit 0 of its flags, set here in both headers) was
/// refused as "cannot read it as a zip archive; it is truncated, corrupt or of another kind":
/// it is said as what it is, naming the entry, and nothing is left outside.
#[test]
fn an_encrypted_zip_entry_is_named_as_one() {
    let mut zip = ZipFixture::new().file("bin/tool", 0o755, "secret").zip();
    let mut flagged = 0;
    for at in 0..zip.len().saturating_sub(10) {
        let flags = match &zip[at..at + 4] {
            b"PK\x03\x04" => at + 6,
            b"PK\x01\x02" => at + 8,
            _ => continue,
        };
        zip[flags] |= 1;
        flagged += 1;
    }
    assert_eq!(flagged, 2);
    let err = refused(ArchiveKind::Zip, &zip);
    assert_eq!(
        err.to_string(),
        "archive archive.zip: entry \"bin/tool\" is encrypted with a password, which bpkit cannot extract"
    );
}

/// A zip whose central directory names one file twice (the writer refuses to, so the second
/// name is patched in): refused or the last one wins, never a write outside; and a duplicate
/// that is first a link out, then a file through it, writes nothing outside.
#[test]
fn zip_duplicate_entries_never_write_outside() {
    let patch = |bytes: &mut Vec<u8>, from: &[u8], to: &[u8]| {
        assert_eq!(from.len(), to.len());
        let mut at = 0;
        let mut patched = 0;
        while let Some(i) = bytes[at..].windows(from.len()).position(|w| w == from) {
            bytes[at + i..at + i + from.len()].copy_from_slice(to);
            at += i + from.len();
            patched += 1;
        }
        assert_eq!(patched, 2, "the local and central headers both name it");
    };
    let mut zip = ZipFixture::new()
        .file("same.txt", 0o644, "first")
        .file("SAME.txt", 0o644, "second")
        .zip();
    patch(&mut zip, b"SAME.txt", b"same.txt");
    let scene = Scene::new();
    match scene.extract("archive.zip", &zip) {
        Ok(_) => assert_eq!(
            fs::read_to_string(scene.target().join("same.txt")).unwrap(),
            "second"
        ),
        Err(err) => assert!(
            matches!(err, ArchiveError::CannotReadArchive { .. }),
            "{err}"
        ),
    }
    scene.assert_nothing_outside();

    let mut zip = ZipFixture::new()
        .symlink("dup", "../sentinel")
        .file("DUP/evil", 0o644, "evil")
        .zip();
    patch(&mut zip, b"DUP", b"dup");
    let err = refused(ArchiveKind::Zip, &zip);
    assert!(matches!(err, ArchiveError::SymlinkEscapes { .. }), "{err}");
}

/// A zip bomb's layout: a central directory of many entries all pointing at one deflated body
/// (here 64 MiB of zeros; crafted ones reach terabytes from a few kilobytes, and `bpkit stage
/// -b bomb.zip` filled the disk entry after entry). Refused before a byte is written, as
/// Info-ZIP's unzip refuses it.
#[test]
fn zip_entries_sharing_one_body_are_refused_before_anything_is_written() {
    let bomb = zip_bomb(10);
    let scene = Scene::new();
    let err = scene.extract("archive.zip", &bomb).unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive archive.zip: entry \"f1\" is an entry sharing its compressed bytes with another, as in a zip bomb (a few kilobytes that extract to terabytes), which bpkit cannot extract"
    );
    assert!(
        fs::read_dir(scene.target()).map_or(true, |mut d| d.next().is_none()),
        "something was extracted"
    );
    scene.assert_nothing_outside();
}

/// A tarball of 200,000 entries (the same few names over and over, so the disk holds little):
/// extracted in bounded time, the last of each name winning.
#[test]
fn huge_entry_counts_extract_in_bounded_time() {
    let mut fixture = TarFixture::new();
    for i in 0..200_000u32 {
        fixture.file(&format!("d{}/f", i % 4), 0o644, &format!("{i}"));
    }
    let bytes = fixture.compressed(ArchiveKind::TarGz);
    let scene = Scene::new();
    let started = std::time::Instant::now();
    let extracted = scene.extract("archive.tgz", &bytes).unwrap();
    assert_eq!(extracted.files, 200_000);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        fs::read_to_string(scene.target().join("d3/f")).unwrap(),
        "199999"
    );
    scene.assert_nothing_outside();
}

/// An entry whose name cannot be written (over 255 bytes, the longest name a Linux file system
/// takes) and carries a terminal escape sequence: the error names it, escaped, in the entry and
/// in the path alike, so a hostile tarball cannot drive the terminal of whoever reads the log.
#[test]
fn an_unwritable_entry_name_is_shown_escaped() {
    let name = format!("\x1b[2J{}", "n".repeat(300));
    let bytes = TarFixture::new()
        .long_name(&name)
        .file("short", 0o644, "x")
        .tar();
    let err = refused(ArchiveKind::Tar, &bytes);
    assert!(
        matches!(err, ArchiveError::CannotWriteEntry { .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(!message.contains('\x1b'), "{message:?}");
    assert_eq!(message.matches("\\u{1b}[2J").count(), 2, "{message}");
}
