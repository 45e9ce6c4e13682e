//! `droplet.tgz` and `cache.tgz`, as the builder makes them with `tar -czf OUT -C DIR .`: every
//! entry named `./…` (`./app/`, `./staging_info.yml`, so `tar -xzOf droplet.tgz
//! ./staging_info.yml` works as it does on a real droplet), GNU format with `././@LongLink`
//! entries for names over 100 bytes, modes, owners and times kept, symbolic links stored as
//! links. Entries are sorted, so the same tree gives the same archive. Every entry is owned by
//! `vcap` (uid and gid 2000, by name and number), as the builder's `tar`, run as that user,
//! records it: a droplet unpacked by root elsewhere (into an image) is then owned by the app's
//! user as on the platform, and the archive is the same whoever staged it.
//!
//! The archive is written to a hidden temporary file next to its destination and renamed into
//! place only when complete: an interrupted staging never leaves half a droplet. Writing stops
//! with an error as soon as bpkit is asked to stop (Ctrl-C, SIGTERM, SIGHUP: see
//! [`crate::process_group::watch_termination`]) or the staging's deadline passes
//! ([`deadline::check`]), even in the middle of a large file.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use tar::{EntryType, Header};

use super::deadline::{self, Deadline};

/// Why an archive could not be made: writing it (a full disk, the file-size limit, a
/// read-only folder: the fix is about `dest`), or reading a file of the tree (named as in the
/// archive, `./app/…`, since the tree is in a temporary folder the user never sees).
#[derive(Debug, thiserror::Error)]
pub enum TgzError {
    #[error("{0}")]
    Write(#[source] io::Error),
    #[error("cannot read {name}: {source}")]
    Read {
        name: String,
        #[source]
        source: io::Error,
    },
}

/// The payload of an error writing the archive, so it can be told apart from an error reading
/// the tree once both have come up through the tar and gzip writers.
#[derive(Debug)]
struct WriteFailed(io::Error);

impl std::fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for WriteFailed {}

/// The archive file, with its errors marked as [`WriteFailed`].
struct MarkWrites<W>(W);

impl<W: Write> Write for MarkWrites<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(mark_write)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(mark_write)
    }
}

fn mark_write(error: io::Error) -> io::Error {
    io::Error::new(error.kind(), WriteFailed(error))
}

/// An error of the tree's entry `name` (or of the archive, if it is marked so) as a [`TgzError`].
fn classify(mut error: io::Error, name: &[u8]) -> TgzError {
    type Inner = dyn std::error::Error + Send + Sync;
    if let Some(marked) = error
        .get_mut()
        .and_then(<Inner>::downcast_mut::<WriteFailed>)
    {
        return TgzError::Write(std::mem::replace(&mut marked.0, io::Error::other("")));
    }
    TgzError::Read {
        name: String::from_utf8_lossy(name).into_owned(),
        source: error,
    }
}

/// Write `dir`'s tree as a gzipped tar to `dest`, atomically; stopped, with nothing written,
/// once `deadline` has passed.
pub fn write_tgz(dir: &Path, dest: &Path, deadline: Option<Deadline>) -> Result<(), TgzError> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        // As `tar -czf` leaves it (tempfile's default is 0600), less the umask.
        .permissions(fs::Permissions::from_mode(0o644))
        .tempfile_in(parent)
        .map_err(|e| TgzError::Write(crate::output::without_temp_path(e)))?;
    let gz = GzEncoder::new(
        BufWriter::new(MarkWrites(temp.as_file())),
        Compression::default(),
    );
    let mut builder = tar::Builder::new(gz);
    let root_meta = fs::metadata(dir).map_err(|e| classify(e, b"./"))?;
    append_entry(&mut builder, dir, b"./", &root_meta, deadline).map_err(|e| classify(e, b"./"))?;
    walk(&mut builder, dir, b"./", deadline)?;
    // Only the archive is written from here on.
    builder
        .into_inner()
        .and_then(GzEncoder::finish)
        .and_then(|mut writer| writer.flush())
        .map_err(|e| match classify(e, b"") {
            TgzError::Write(e) | TgzError::Read { source: e, .. } => TgzError::Write(e),
        })?;
    temp.as_file().sync_all().map_err(TgzError::Write)?;
    temp.persist(dest).map_err(|e| TgzError::Write(e.error))?;
    Ok(())
}

/// Names are bytes, as tar's are: a file name that is not UTF-8 goes in unchanged (a lossy
/// conversion renamed it in the droplet, and two such names could become one).
fn walk<W: Write>(
    builder: &mut tar::Builder<W>,
    dir: &Path,
    prefix: &[u8],
    deadline: Option<Deadline>,
) -> Result<(), TgzError> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .and_then(Iterator::collect)
        .map_err(|e| classify(e, prefix))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let name = [prefix, entry.file_name().as_bytes()].concat();
        deadline::check(deadline).map_err(|e| classify(e, &name))?;
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).map_err(|e| classify(e, &name))?;
        if meta.is_dir() {
            let dir_name = [name.as_slice(), b"/"].concat();
            append_entry(builder, &path, &dir_name, &meta, deadline)
                .map_err(|e| classify(e, &dir_name))?;
            walk(builder, &path, &dir_name, deadline)?;
        } else {
            append_entry(builder, &path, &name, &meta, deadline).map_err(|e| classify(e, &name))?;
        }
    }
    Ok(())
}

fn append_entry<W: Write>(
    builder: &mut tar::Builder<W>,
    path: &Path,
    name: &[u8],
    meta: &fs::Metadata,
    deadline: Option<Deadline>,
) -> io::Result<()> {
    let kind = meta.file_type();
    let mut header = Header::new_gnu();
    header.set_mode(meta.mode() & 0o7777);
    set_vcap_owner(&mut header)?;
    header.set_mtime(u64::try_from(meta.mtime()).unwrap_or(0));
    header.set_size(0);
    if kind.is_symlink() {
        header.set_entry_type(EntryType::Symlink);
        let target = fs::read_link(path)?;
        let target = target.as_os_str().as_bytes();
        if target.len() > 100 {
            append_long(builder, EntryType::GNULongLink, target)?;
        }
        let field = &mut header.as_old_mut().linkname;
        let n = target.len().min(field.len());
        field[..n].copy_from_slice(&target[..n]);
    } else if kind.is_dir() {
        header.set_entry_type(EntryType::Directory);
    } else if kind.is_file() {
        header.set_entry_type(EntryType::Regular);
        header.set_size(meta.len());
    } else {
        // Sockets, fifos, devices: not part of an app; tar would store them, the launcher
        // never needs them.
        return Ok(());
    }
    set_name(builder, &mut header, name)?;
    header.set_cksum();
    if kind.is_file() {
        let file = fs::File::open(path)?;
        builder.append(&header, deadline::reader(file, deadline))
    } else {
        builder.append(&header, io::empty())
    }
}

/// The user the platform's builder and apps run as (cflinuxfs4's Dockerfile: `vcap`, uid and
/// gid 2000), who owns every entry of its droplets.
const VCAP_NAME: &str = "vcap";
const VCAP_ID: u64 = 2000;

fn set_vcap_owner(header: &mut Header) -> io::Result<()> {
    header.set_uid(VCAP_ID);
    header.set_gid(VCAP_ID);
    header.set_username(VCAP_NAME)?;
    header.set_groupname(VCAP_NAME)
}

/// Put `name` in the header, preceded by a GNU long-name entry when it does not fit (tar
/// crate paths would drop the leading `./`, so the header is filled by hand).
fn set_name<W: Write>(
    builder: &mut tar::Builder<W>,
    header: &mut Header,
    name: &[u8],
) -> io::Result<()> {
    let field = &mut header.as_old_mut().name;
    if name.len() > field.len() {
        append_long(builder, EntryType::GNULongName, name)?;
    }
    let n = name.len().min(field.len());
    field[..n].copy_from_slice(&name[..n]);
    Ok(())
}

fn append_long<W: Write>(
    builder: &mut tar::Builder<W>,
    kind: EntryType,
    value: &[u8],
) -> io::Result<()> {
    let mut header = Header::new_gnu();
    let link_name = b"././@LongLink";
    header.as_old_mut().name[..link_name.len()].copy_from_slice(link_name);
    header.set_mode(0o644);
    header.set_entry_type(kind);
    let mut data = value.to_vec();
    data.push(0);
    header.set_size(data.len() as u64);
    header.set_cksum();
    builder.append(&header, data.as_slice())
}

/// Unpack a droplet into `dest`, as the platform does with `tar -xzf` before launching:
/// modes and times kept, symbolic links restored as they were (a droplet may legitimately
/// link to `/usr/bin/…`), entries that would land outside `dest` refused. Unpacking stops
/// with an error between two reads once bpkit is asked to stop (Ctrl-C, SIGTERM, SIGHUP), so a
/// large droplet is not unpacked whole before `bpkit run` can exit.
pub fn extract_tgz(tgz: &Path, dest: &Path) -> io::Result<()> {
    let file = fs::File::open(tgz)?;
    let stoppable = deadline::reader(io::BufReader::new(file), None);
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(stoppable));
    archive.set_preserve_permissions(true);
    archive.set_preserve_mtime(true);
    archive.set_overwrite(true);
    fs::create_dir_all(dest)?;
    archive.unpack(dest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    #[test]
    fn entries_are_dot_slash_names_gnu_tar_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("contents");
        fs::create_dir_all(src.join("app/bin")).unwrap();
        fs::create_dir_all(src.join("tmp")).unwrap();
        fs::write(src.join("staging_info.yml"), "{}\n").unwrap();
        fs::write(src.join("app/bin/run"), "#!/bin/sh\n").unwrap();
        fs::set_permissions(src.join("app/bin/run"), fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink("/usr/bin/env", src.join("app/env")).unwrap();
        let long = "d".repeat(120);
        fs::create_dir_all(src.join("app").join(&long)).unwrap();
        fs::write(src.join("app").join(&long).join("f"), "long").unwrap();

        let tgz = dir.path().join("droplet.tgz");
        write_tgz(&src, &tgz, None).unwrap();

        let listing = Command::new("tar").arg("-tzf").arg(&tgz).output().unwrap();
        assert!(listing.status.success());
        let listing = String::from_utf8(listing.stdout).unwrap();
        let names: Vec<&str> = listing.lines().collect();
        assert_eq!(names[0], "./");
        assert!(names.contains(&"./app/"));
        assert!(names.contains(&"./app/bin/run"));
        assert!(names.contains(&"./tmp/"));
        assert!(names.contains(&"./staging_info.yml"));
        assert!(names.contains(&format!("./app/{long}/f").as_str()));
        let info = Command::new("tar")
            .arg("-xzOf")
            .arg(&tgz)
            .arg("./staging_info.yml")
            .output()
            .unwrap();
        assert_eq!(info.stdout, b"{}\n");

        let out = dir.path().join("out");
        extract_tgz(&tgz, &out).unwrap();
        let mode = fs::metadata(out.join("app/bin/run"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
        assert_eq!(
            fs::read_link(out.join("app/env")).unwrap(),
            Path::new("/usr/bin/env")
        );
        assert_eq!(
            fs::read_to_string(out.join("app").join(&long).join("f")).unwrap(),
            "long"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".part"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn names_that_are_not_utf8_are_kept_byte_for_byte() {
        use std::ffi::OsStr;
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("contents");
        let latin1 = OsStr::from_bytes(b"caf\xe9");
        let other = OsStr::from_bytes(b"caf\xe8");
        fs::create_dir_all(src.join("app").join(latin1)).unwrap();
        fs::write(src.join("app").join(latin1).join("f"), "1").unwrap();
        fs::write(src.join("app").join(other), "2").unwrap();

        let tgz = dir.path().join("droplet.tgz");
        write_tgz(&src, &tgz, None).unwrap();
        let out = dir.path().join("out");
        extract_tgz(&tgz, &out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("app").join(latin1).join("f")).unwrap(),
            "1"
        );
        assert_eq!(
            fs::read_to_string(out.join("app").join(other)).unwrap(),
            "2"
        );
    }

    /// Each entry of `tgz` as it stands in the archive: its type (`L` and `K` for GNU's long
    /// name and long link entries) and, for the others, its name and link target as tar reads
    /// them.
    fn raw_entries(tgz: &Path) -> Vec<(char, String, String)> {
        let file = fs::File::open(tgz).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        archive
            .entries()
            .unwrap()
            .raw(true)
            .map(|entry| {
                let entry = entry.unwrap();
                let header = entry.header();
                let kind = char::from(header.entry_type().as_byte());
                match kind {
                    'L' | 'K' => (kind, String::new(), String::new()),
                    _ => (
                        kind,
                        text(&header.path_bytes()),
                        text(&header.link_name_bytes().unwrap_or_default()),
                    ),
                }
            })
            .collect()
    }

    /// Names and link targets of 100 bytes fit their header field, as GNU tar writes them;
    /// from 101 bytes on they go in a `././@LongLink` entry first, and the archive holds the
    /// same entries, in the same order, as `tar --sort=name -czf OUT -C DIR .` makes.
    #[test]
    fn long_names_and_link_targets_go_where_gnu_tar_puts_them() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("contents");
        fs::create_dir_all(src.join("a")).unwrap();
        // `./a/` and the name: 100 and 101 bytes in all.
        for length in [96, 97] {
            fs::write(src.join("a").join("n".repeat(length)), "x").unwrap();
        }
        for length in [100, 101] {
            std::os::unix::fs::symlink("t".repeat(length), src.join(format!("a/l{length}")))
                .unwrap();
        }
        let ours = dir.path().join("droplet.tgz");
        write_tgz(&src, &ours, None).unwrap();
        let gnu = dir.path().join("gnu.tgz");
        let made = Command::new("tar")
            .args(["--sort=name", "-czf"])
            .arg(&gnu)
            .arg("-C")
            .arg(&src)
            .arg(".")
            .status()
            .unwrap();
        assert!(made.success());

        let entries = raw_entries(&ours);
        assert_eq!(entries, raw_entries(&gnu));
        let short = "t".repeat(100);
        let kinds: Vec<char> = entries.iter().map(|(kind, ..)| *kind).collect();
        assert_eq!(kinds, ['5', '5', '2', 'K', '2', '0', 'L', '0']);
        assert_eq!(entries[2], ('2', "./a/l100".into(), short));
        assert_eq!(entries[5].1, format!("./a/{}", "n".repeat(96)));
        // Read back whole, through the long entries.
        let out = dir.path().join("out");
        extract_tgz(&ours, &out).unwrap();
        assert_eq!(
            fs::read_link(out.join("a/l101")).unwrap(),
            Path::new(&"t".repeat(101))
        );
        assert_eq!(
            fs::read_to_string(out.join("a").join("n".repeat(97))).unwrap(),
            "x"
        );
    }

    /// Every entry is the app user's, by name and number, whoever staged it.
    #[test]
    fn every_entry_is_owned_by_vcap() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("contents");
        fs::create_dir_all(src.join("app")).unwrap();
        fs::write(src.join("app/f"), "x").unwrap();
        std::os::unix::fs::symlink("f", src.join("app/l")).unwrap();
        let tgz = dir.path().join("droplet.tgz");
        write_tgz(&src, &tgz, None).unwrap();
        let file = fs::File::open(&tgz).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let mut seen = 0;
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let header = entry.header();
            let owner = (
                header.uid().unwrap(),
                header.gid().unwrap(),
                header.username().unwrap(),
                header.groupname().unwrap(),
            );
            assert_eq!(owner, (2000, 2000, Some("vcap"), Some("vcap")));
            seen += 1;
        }
        assert_eq!(seen, 4);
    }

    /// A write error that comes up through the tar and gzip writers is told apart from an
    /// error reading the tree, which names the entry as it stands in the archive.
    #[test]
    fn write_errors_are_told_from_read_errors() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::StorageFull))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        struct FailsToFlush;
        impl Write for FailsToFlush {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Err(io::Error::from(io::ErrorKind::StorageFull))
            }
        }
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("f"), vec![7u8; 1 << 20]).unwrap();
        let gz = GzEncoder::new(BufWriter::new(MarkWrites(Full)), Compression::default());
        let mut builder = tar::Builder::new(gz);
        let error = walk(&mut builder, dir.path(), b"./", None)
            .and_then(|()| {
                builder
                    .into_inner()
                    .and_then(GzEncoder::finish)
                    .and_then(|mut writer| writer.flush())
                    .map_err(|e| classify(e, b""))
            })
            .unwrap_err();
        assert!(
            matches!(&error, TgzError::Write(e) if e.kind() == io::ErrorKind::StorageFull),
            "{error:?}"
        );

        let read = classify(
            io::Error::from(io::ErrorKind::PermissionDenied),
            b"./app/key",
        );
        assert!(
            read.to_string().starts_with("cannot read ./app/key: "),
            "{read}"
        );
        // A flush failing is the archive's too, and a marked error reads as its cause.
        let flushed = MarkWrites(FailsToFlush).flush().unwrap_err();
        assert_eq!(
            flushed.to_string(),
            io::Error::from(io::ErrorKind::StorageFull).to_string()
        );
        assert!(
            matches!(classify(flushed, b"./x"), TgzError::Write(e) if e.kind() == io::ErrorKind::StorageFull)
        );
        // The archive's own folder missing is a write error, about the archive.
        let missing = write_tgz(dir.path(), &dir.path().join("no/droplet.tgz"), None).unwrap_err();
        assert!(matches!(missing, TgzError::Write(_)), "{missing:?}");
        // Without tempfile's ` at path "…/.droplet.tgz.XXXXXX.part"`, a name never seen.
        assert!(!missing.to_string().contains(".part"), "{missing}");
    }

    /// `--timeout` covers writing the droplet and the cache: once the deadline has passed the
    /// archive stops, even inside a file, and nothing is left at `dest` or beside it.
    #[test]
    fn writing_stops_once_the_deadline_has_passed() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("contents");
        fs::create_dir_all(src.join("app")).unwrap();
        fs::write(src.join("app/big"), vec![7u8; 1 << 20]).unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        let passed = Some(Deadline {
            at: std::time::Instant::now(),
            secs: 1,
        });
        let error = write_tgz(&src, &out.join("droplet.tgz"), passed).unwrap_err();
        assert!(
            matches!(&error, TgzError::Read { source, .. } if source.kind() == io::ErrorKind::TimedOut),
            "{error:?}"
        );
        assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
        // Inside a file: the deadline passes between two reads of it.
        let mut file = deadline::reader(fs::File::open(src.join("app/big")).unwrap(), passed);
        let mut buf = [0u8; 16];
        assert_eq!(
            file.read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::TimedOut
        );
    }
}
