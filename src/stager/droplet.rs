//! `droplet.tgz` and `cache.tgz`, as the builder makes them with `tar -czf OUT -C DIR .`: every
//! entry named `./…` (`./app/`, `./staging_info.yml`, so `tar -xzOf droplet.tgz
//! ./staging_info.yml` works as it does on a real droplet), GNU format with `././@LongLink`
//! entries for names over 100 bytes, modes, owners and times kept, symbolic links stored as
//! links. Entries are sorted, so the same tree gives the same archive.
//!
//! The archive is written to a hidden temporary file next to its destination and renamed into
//! place only when complete: an interrupted staging never leaves half a droplet. Writing stops
//! with an error as soon as bpkit is asked to stop (Ctrl-C, SIGTERM, SIGHUP: see
//! [`crate::process_group::watch_termination`]), even in the middle of a large file.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use tar::{EntryType, Header};

use crate::process_group;

/// The error writing stops with when bpkit is asked to stop. Not `ErrorKind::Interrupted`,
/// which `io::copy` retries.
fn interrupted() -> io::Error {
    io::Error::other("interrupted")
}

/// A file read for the archive that fails once bpkit is asked to stop, so a Ctrl-C during a
/// large file does not wait for the whole file to be compressed.
struct StopOnSignal<R>(R);

impl<R: Read> Read for StopOnSignal<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if process_group::termination_requested() {
            return Err(interrupted());
        }
        self.0.read(buf)
    }
}

/// Write `dir`'s tree as a gzipped tar to `dest`, atomically.
pub fn write_tgz(dir: &Path, dest: &Path) -> io::Result<()> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        // As `tar -czf` leaves it (tempfile's default is 0600), less the umask.
        .permissions(fs::Permissions::from_mode(0o644))
        .tempfile_in(parent)?;
    let gz = GzEncoder::new(BufWriter::new(temp.as_file()), Compression::default());
    let mut builder = tar::Builder::new(gz);
    let root_meta = fs::metadata(dir)?;
    append_entry(&mut builder, dir, b"./", &root_meta)?;
    walk(&mut builder, dir, b"./")?;
    let gz = builder.into_inner()?;
    let mut writer = gz.finish()?;
    writer.flush()?;
    drop(writer);
    temp.as_file().sync_all()?;
    temp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

/// Names are bytes, as tar's are: a file name that is not UTF-8 goes in unchanged (a lossy
/// conversion renamed it in the droplet, and two such names could become one).
fn walk<W: Write>(builder: &mut tar::Builder<W>, dir: &Path, prefix: &[u8]) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        if process_group::termination_requested() {
            return Err(interrupted());
        }
        let path = entry.path();
        let meta = fs::symlink_metadata(&path)?;
        let name = [prefix, entry.file_name().as_bytes()].concat();
        if meta.is_dir() {
            let dir_name = [name.as_slice(), b"/"].concat();
            append_entry(builder, &path, &dir_name, &meta)?;
            walk(builder, &path, &dir_name)?;
        } else {
            append_entry(builder, &path, &name, &meta)?;
        }
    }
    Ok(())
}

fn append_entry<W: Write>(
    builder: &mut tar::Builder<W>,
    path: &Path,
    name: &[u8],
    meta: &fs::Metadata,
) -> io::Result<()> {
    let kind = meta.file_type();
    let mut header = Header::new_gnu();
    header.set_mode(meta.mode() & 0o7777);
    header.set_uid(u64::from(meta.uid()));
    header.set_gid(u64::from(meta.gid()));
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
        builder.append(&header, StopOnSignal(file))
    } else {
        builder.append(&header, io::empty())
    }
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
/// link to `/usr/bin/…`), entries that would land outside `dest` refused.
pub fn extract_tgz(tgz: &Path, dest: &Path) -> io::Result<()> {
    let file = fs::File::open(tgz)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(io::BufReader::new(file)));
    archive.set_preserve_permissions(true);
    archive.set_preserve_mtime(true);
    archive.set_overwrite(true);
    fs::create_dir_all(dest)?;
    archive.unpack(dest)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        write_tgz(&src, &tgz).unwrap();

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
        write_tgz(&src, &tgz).unwrap();
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
}
