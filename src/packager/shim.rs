//! bpkit itself inside the zip (packager.md, "bpkit itself inside the zip").
//!
//! In git, a bpkit buildpack's `bin/bpkit` is the bootstrap script and `bin/<phase>` are
//! symlinks to it (bootstrap.md). A zip needs no bootstrap: the packager puts the real Linux
//! binary at `bin/bpkit` and writes each `bin/<phase>` as `--bin-links` says:
//! - `shim` (default): a tiny POSIX sh script exporting `BUILDPACK_DIR` and exec'ing
//!   `bin/bpkit <phase>`. Every extractor keeps it; Diego's Go fallback extractor does not
//!   recreate symlinks.
//! - `symlink`: a symlink entry `bin/<phase> -> bpkit` (Info-ZIP `unzip` restores it).
//! - `copy`: the whole binary again under each phase's name.
//!
//! A `bin/<phase>` that is a regular file (a phase the author wrote by hand) is left alone.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::zipwriter::{Entry, Source};
use crate::phases::Phase;

/// How `bin/<phase>` entries are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum BinLinks {
    /// A small sh script running `bin/bpkit <phase>`.
    #[default]
    Shim,
    /// A symlink to `bpkit`.
    Symlink,
    /// A copy of the binary.
    Copy,
}

impl BinLinks {
    pub fn as_str(self) -> &'static str {
        match self {
            BinLinks::Shim => "shims",
            BinLinks::Symlink => "symlinks",
            BinLinks::Copy => "copies of the binary",
        }
    }

    /// One of [`BinLinks::as_str`]: `a shim`.
    pub fn one(self) -> &'static str {
        match self {
            BinLinks::Shim => "a shim",
            BinLinks::Symlink => "a symlink",
            BinLinks::Copy => "a copy of the binary",
        }
    }
}

/// What `bin/bpkit` is in the tree being packaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// The bootstrap script, or absent while `include_files` lists it: the binary is supplied.
    Bootstrap,
    /// Already a Linux binary: it is packaged as it is.
    Binary(PathBuf),
}

/// Why the binary cannot be placed.
#[derive(Debug, thiserror::Error)]
pub enum ShimError {
    #[error(
        "--binary {}: not a Linux executable (ELF); give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux",
        path.display()
    )]
    NotElf { path: PathBuf },
    #[error(
        "{} is a bpkit buildpack (bin/bpkit is its bootstrap script), so its zip needs the Linux x86_64 bpkit binary as bin/bpkit, and this bpkit ({}) is not one; pass --binary PATH",
        root.display(),
        current.display()
    )]
    NeedBinary { root: PathBuf, current: PathBuf },
    #[error(
        "cannot read {}: {}; make it bpkit's bootstrap script or the Linux x86_64 bpkit binary",
        path.display(),
        crate::output::read_problem(cause)
    )]
    CannotRead { path: PathBuf, cause: io::Error },
    #[error(
        "--binary {}: {}; give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux",
        path.display(),
        crate::output::read_problem(cause)
    )]
    CannotReadBinary { path: PathBuf, cause: io::Error },
    #[error(
        "--binary {}: an executable, but not bpkit (it lacks the mark every bpkit binary carries); give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux",
        path.display()
    )]
    NotBpkit { path: PathBuf },
}

/// Bytes every bpkit executable carries (this static is read by [`reads_marker`], so no
/// build drops it) and no other program does: `--binary /bin/sh`, an ELF like any other,
/// made a zip whose every phase ran the shell instead of failing at packaging.
pub static BINARY_MARKER: &[u8] = b"bpkit-binary-marker:6c0e91d4a7b2f358";

/// Whether the file at `path` carries [`BINARY_MARKER`].
fn carries_marker(path: &Path) -> io::Result<bool> {
    let (file, _) =
        crate::regular_file::open(path).map_err(crate::regular_file::OpenError::into_io)?;
    reads_marker(file)
}

/// Whether what `file` reads carries [`BINARY_MARKER`], read in pieces (a binary is tens of
/// megabytes), a marker across two pieces included.
pub fn reads_marker(mut file: impl Read) -> io::Result<bool> {
    let finder = memchr::memmem::Finder::new(BINARY_MARKER);
    let overlap = BINARY_MARKER.len() - 1;
    let mut buffer = vec![0u8; 64 * 1024 + overlap];
    let mut carried = 0;
    loop {
        let read = match file.read(&mut buffer[carried..]) {
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if read == 0 {
            return Ok(false);
        }
        let filled = carried + read;
        if finder.find(&buffer[..filled]).is_some() {
            return Ok(true);
        }
        carried = overlap.min(filled);
        buffer.copy_within(filled - carried..filled, 0);
    }
}

/// The machine an ELF file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elf {
    /// A 64-bit little-endian Linux/SysV executable for x86_64.
    LinuxX86_64,
    /// Another ELF (another machine or OS ABI); `e_machine` for messages.
    Other(u16),
    NotElf,
}

const EM_X86_64: u16 = 62;

/// Read the ELF header of `path`.
pub fn elf_kind(path: &Path) -> io::Result<Elf> {
    let mut header = Vec::with_capacity(20);
    // Without waiting, and a regular file only: `--binary` naming a fifo blocked a plain open
    // for ever, Ctrl-C included.
    let (file, _) =
        crate::regular_file::open(path).map_err(crate::regular_file::OpenError::into_io)?;
    file.take(20).read_to_end(&mut header)?;
    let Some(machine) = elf_machine(&header) else {
        return Ok(Elf::NotElf);
    };
    // EI_CLASS 2 = 64-bit; EI_OSABI 0 = System V (what Linux toolchains write), 3 = GNU/Linux.
    if header[4] == 2 && header[5] == 1 && matches!(header[7], 0 | 3) && machine == EM_X86_64 {
        Ok(Elf::LinuxX86_64)
    } else {
        Ok(Elf::Other(machine))
    }
}

/// The machine (`e_machine`) an ELF file is for, from its first 20 bytes (`head`); `None`
/// when they are no ELF header (another file, or one cut short).
pub(crate) fn elf_machine(head: &[u8]) -> Option<u16> {
    if !head.starts_with(b"\x7fELF") {
        return None;
    }
    let &[low, high] = head.get(18..20)? else {
        return None;
    };
    // EI_DATA (byte 5): 1 little endian, 2 big endian.
    Some(if head[5] == 2 {
        u16::from_be_bytes([low, high])
    } else {
        u16::from_le_bytes([low, high])
    })
}

/// Whether the tree at `root` is a bpkit buildpack, and what its `bin/bpkit` is.
pub fn detect(root: &Path, include_files: Option<&[String]>) -> Result<Option<Layout>, ShimError> {
    let bpkit = root.join("bin/bpkit");
    if fs::symlink_metadata(&bpkit).is_err() {
        let listed = include_files.is_some_and(|list| {
            list.iter()
                .any(|p| super::select::plain_path(p.trim()) == "bin/bpkit")
        });
        return Ok(listed.then_some(Layout::Bootstrap));
    }
    let kind = elf_kind(&bpkit).map_err(|cause| ShimError::CannotRead {
        path: bpkit.clone(),
        cause,
    })?;
    Ok(Some(match kind {
        Elf::NotElf => Layout::Bootstrap,
        Elf::LinuxX86_64 | Elf::Other(_) => Layout::Binary(bpkit),
    }))
}

/// The binary to place as `bin/bpkit`: `--binary`, else the tree's own binary, else the
/// running executable when it is a Linux x86_64 ELF.
pub fn choose_binary(
    root: &Path,
    layout: &Layout,
    explicit: Option<&Path>,
    current: Option<PathBuf>,
) -> Result<PathBuf, ShimError> {
    let read = |path: &Path| {
        elf_kind(path).map_err(|cause| ShimError::CannotRead {
            path: path.to_path_buf(),
            cause,
        })
    };
    if let Some(path) = explicit {
        let cannot_read = |cause| ShimError::CannotReadBinary {
            path: path.to_path_buf(),
            cause,
        };
        let kind = elf_kind(path).map_err(cannot_read)?;
        if kind != Elf::NotElf && !carries_marker(path).map_err(cannot_read)? {
            return Err(ShimError::NotBpkit {
                path: path.to_path_buf(),
            });
        }
        return match kind {
            Elf::NotElf => Err(ShimError::NotElf {
                path: path.to_path_buf(),
            }),
            // Another machine's binary is packaged as asked: a warning says so when the zip
            // is for a stack of x86_64 (`stack_fit`), as an unknown stack may run it.
            Elf::LinuxX86_64 | Elf::Other(_) => Ok(path.to_path_buf()),
        };
    }
    if let Layout::Binary(path) = layout {
        return Ok(path.clone());
    }
    let current = current.unwrap_or_default();
    if !current.as_os_str().is_empty() && read(&current)? == Elf::LinuxX86_64 {
        return Ok(current);
    }
    Err(ShimError::NeedBinary {
        root: root.to_path_buf(),
        current,
    })
}

/// The phases whose `bin/<phase>` the packager writes: those that are missing or are symlinks
/// to `bpkit`. A regular file is the author's own phase and stays.
pub fn generated_phases(root: &Path) -> Vec<&'static str> {
    Phase::ALL
        .iter()
        .map(|p| p.name())
        .filter(|name| {
            let path = root.join("bin").join(name);
            match fs::symlink_metadata(&path) {
                Err(_) => true,
                Ok(meta) if meta.file_type().is_symlink() => fs::read_link(&path)
                    .is_ok_and(|target| target.file_name().is_some_and(|n| n == "bpkit")),
                Ok(_) => false,
            }
        })
        .collect()
}

/// The shim for `phase`.
pub fn shim_script(phase: &str) -> String {
    format!(
        "#!/bin/sh\n\
         # Written by `bpkit package`: runs this buildpack's bpkit binary as its {phase} phase.\n\
         BUILDPACK_DIR=$(CDPATH= cd -- \"$(dirname -- \"$0\")/..\" && pwd)\n\
         export BUILDPACK_DIR\n\
         exec \"$BUILDPACK_DIR/bin/bpkit\" {phase} \"$@\"\n"
    )
}

/// The `bin/bpkit` and `bin/<phase>` entries.
pub fn entries(binary: &Path, phases: &[&str], links: BinLinks) -> Vec<(String, Entry)> {
    let mut out = vec![(
        "bin/bpkit".to_string(),
        Entry {
            source: Source::File(binary.to_path_buf()),
            mode: 0o755,
        },
    )];
    for phase in phases {
        let entry = match links {
            BinLinks::Shim => Entry {
                source: Source::Bytes(shim_script(phase).into_bytes()),
                mode: 0o755,
            },
            BinLinks::Symlink => Entry {
                source: Source::Symlink("bpkit".into()),
                mode: 0o777,
            },
            BinLinks::Copy => Entry {
                source: Source::File(binary.to_path_buf()),
                mode: 0o755,
            },
        };
        out.push((format!("bin/{phase}"), entry));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// `--binary` naming a fifo: refused at once, saying what it is.
    #[test]
    fn a_binary_that_is_a_fifo_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("bpkit");
        if !crate::regular_file::make_fifo(&fifo) {
            return;
        }
        let given = fifo.clone();
        let err = crate::regular_file::without_waiting_on(&fifo, move || {
            choose_binary(Path::new("bp"), &Layout::Bootstrap, Some(&given), None)
                .unwrap_err()
                .to_string()
        });
        assert_eq!(
            err,
            format!(
                "--binary {}: it is a fifo, not a file; give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux",
                fifo.display()
            )
        );
    }

    /// The first 64 bytes of an x86_64 Linux executable, enough for `elf_kind`.
    fn fake_elf(machine: u16) -> Vec<u8> {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        h[6] = 1;
        h[18..20].copy_from_slice(&machine.to_le_bytes());
        h
    }

    #[test]
    fn recognises_elf_machines() {
        let dir = tempfile::tempdir().unwrap();
        let x86 = dir.path().join("x86");
        fs::write(&x86, fake_elf(62)).unwrap();
        let arm = dir.path().join("arm");
        fs::write(&arm, fake_elf(183)).unwrap();
        let script = dir.path().join("sh");
        fs::write(&script, "#!/bin/sh\n").unwrap();
        assert_eq!(elf_kind(&x86).unwrap(), Elf::LinuxX86_64);
        assert_eq!(elf_kind(&arm).unwrap(), Elf::Other(183));
        assert_eq!(elf_kind(&script).unwrap(), Elf::NotElf);
    }

    #[test]
    fn detects_bootstrap_and_phase_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(detect(root, None).unwrap(), None);
        let listed = vec!["bin/bpkit".to_string()];
        assert_eq!(
            detect(root, Some(&listed)).unwrap(),
            Some(Layout::Bootstrap)
        );
        fs::create_dir(root.join("bin")).unwrap();
        fs::write(root.join("bin/bpkit"), "#!/bin/sh\nexec cargo run\n").unwrap();
        assert_eq!(detect(root, None).unwrap(), Some(Layout::Bootstrap));
        symlink("bpkit", root.join("bin/detect")).unwrap();
        fs::write(root.join("bin/release"), "#!/bin/sh\necho mine\n").unwrap();
        assert_eq!(
            generated_phases(root),
            ["detect", "supply", "finalize", "compile"]
        );
    }

    #[test]
    fn chooses_the_binary() {
        let dir = tempfile::tempdir().unwrap();
        let elf = dir.path().join("bpkit");
        fs::write(&elf, [fake_elf(62), BINARY_MARKER.to_vec()].concat()).unwrap();
        let script = dir.path().join("script");
        fs::write(&script, "#!/bin/sh\n").unwrap();
        let chosen =
            choose_binary(dir.path(), &Layout::Bootstrap, None, Some(elf.clone())).unwrap();
        assert_eq!(chosen, elf);
        let err = choose_binary(dir.path(), &Layout::Bootstrap, Some(&script), None).unwrap_err();
        assert!(matches!(err, ShimError::NotElf { .. }));
        let err = choose_binary(dir.path(), &Layout::Bootstrap, None, Some(script)).unwrap_err();
        assert!(err.to_string().ends_with("; pass --binary PATH"), "{err}");
        let chosen = choose_binary(dir.path(), &Layout::Bootstrap, Some(&elf), None).unwrap();
        assert_eq!(chosen, elf);
    }

    /// `--binary` names an executable that is not bpkit (`/bin/sh`): refused, however it is
    /// laid out; a mark across two of the pieces it is read in is found.
    #[test]
    fn a_binary_without_the_bpkit_mark_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("sh");
        fs::write(&plain, fake_elf(62)).unwrap();
        let err = choose_binary(dir.path(), &Layout::Bootstrap, Some(&plain), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "--binary {}: an executable, but not bpkit (it lacks the mark every bpkit binary carries); give the Linux x86_64 bpkit binary, such as target/release/bpkit built on Linux",
                plain.display()
            )
        );
        for at in [0, 64 * 1024 - 5, 64 * 1024, 200_000] {
            let mut bytes = fake_elf(62);
            bytes.resize(at.max(bytes.len()), 0);
            bytes.extend_from_slice(BINARY_MARKER);
            bytes.extend_from_slice(&[0; 100]);
            fs::write(&plain, &bytes).unwrap();
            assert!(carries_marker(&plain).unwrap(), "mark at {at}");
            bytes.truncate(bytes.len() - 101);
            fs::write(&plain, &bytes).unwrap();
            assert!(!carries_marker(&plain).unwrap(), "half a mark at {at}");
        }
        // This test binary carries it, as bpkit does.
        let current = std::env::current_exe().unwrap();
        assert!(carries_marker(&current).unwrap());
    }

    /// A read interrupted by a signal is tried again; any other failed read is the answer.
    #[test]
    fn the_mark_is_read_through_an_interrupted_read_and_not_past_a_failed_one() {
        /// Fails its first read with `first`, then reads `rest`.
        struct FailingOnce {
            first: Option<io::ErrorKind>,
            rest: io::Cursor<Vec<u8>>,
        }
        impl Read for FailingOnce {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match self.first.take() {
                    Some(kind) => Err(io::Error::from(kind)),
                    None => self.rest.read(buf),
                }
            }
        }
        let marked = |first| FailingOnce {
            first: Some(first),
            rest: io::Cursor::new(BINARY_MARKER.to_vec()),
        };
        assert!(reads_marker(marked(io::ErrorKind::Interrupted)).unwrap());
        let failed = reads_marker(marked(io::ErrorKind::PermissionDenied)).unwrap_err();
        assert_eq!(failed.kind(), io::ErrorKind::PermissionDenied);
    }

    /// The binary goes in as `bin/bpkit`, and each generated phase as `--bin-links` says, all
    /// executable (a symlink entry 0777, as `ln -s` makes one).
    #[test]
    fn each_phase_is_a_shim_a_link_or_a_copy() {
        let binary = Path::new("/build/bpkit");
        let bpkit = (
            "bin/bpkit".to_string(),
            Entry {
                source: Source::File(binary.to_path_buf()),
                mode: 0o755,
            },
        );
        let detect = |source, mode| ("bin/detect".to_string(), Entry { source, mode });
        assert_eq!(
            entries(binary, &["detect"], BinLinks::Shim),
            [
                bpkit.clone(),
                detect(Source::Bytes(shim_script("detect").into_bytes()), 0o755)
            ]
        );
        assert_eq!(
            entries(binary, &["detect"], BinLinks::Symlink),
            [
                bpkit.clone(),
                detect(Source::Symlink("bpkit".into()), 0o777)
            ]
        );
        assert_eq!(
            entries(binary, &["detect"], BinLinks::Copy),
            [
                bpkit.clone(),
                detect(Source::File(binary.to_path_buf()), 0o755)
            ]
        );
        assert_eq!(entries(binary, &[], BinLinks::Shim), [bpkit]);
    }

    /// The words the packaging log names `bin/<phase>` entries with, for several and for one.
    #[test]
    fn bin_links_are_named_for_several_and_for_one() {
        let words: Vec<(&str, &str)> = [BinLinks::Shim, BinLinks::Symlink, BinLinks::Copy]
            .iter()
            .map(|links| (links.as_str(), links.one()))
            .collect();
        assert_eq!(
            words,
            [
                ("shims", "a shim"),
                ("symlinks", "a symlink"),
                ("copies of the binary", "a copy of the binary")
            ]
        );
    }

    #[test]
    fn shims_run_the_binary() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("bin")).unwrap();
        let bpkit = dir.path().join("bin/bpkit");
        fs::write(&bpkit, "#!/bin/sh\necho \"$BUILDPACK_DIR|$*\"\n").unwrap();
        let shim = dir.path().join("bin/detect");
        fs::write(&shim, shim_script("detect")).unwrap();
        for path in [&bpkit, &shim] {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let out = std::process::Command::new(&shim)
            .arg("/tmp/app dir")
            .output()
            .unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{}|detect /tmp/app dir\n", root.display())
        );
    }
}
