//! Tarballs: walk the entries of a (decompressed) tar stream and hand each one to the
//! [`Target`]. The `tar` crate is used in raw mode, for its header parsing only: GNU long
//! names and pax records are read here, capped at [`MAX_EXTENSION`] bytes, because the crate
//! would read an extension header of any claimed size into memory (a few hundred bytes of
//! bzip2 can claim gigabytes), and this code must stay bounded on any input.

use std::io::{self, Read};
use std::time::{Duration, SystemTime};

use tar::EntryType;

use super::ArchiveError;
use super::target::Target;

/// Largest GNU long name, long link or pax record set accepted (real ones are under 4 KiB).
const MAX_EXTENSION: u64 = 1024 * 1024;

/// What extension headers said about the next entry.
#[derive(Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    mtime: Option<u64>,
    size: Option<u64>,
    sparse: bool,
}

pub(super) fn unpack<R: Read>(reader: R, target: &mut Target) -> Result<(), ArchiveError> {
    let mut archive = tar::Archive::new(reader);
    unpack_entries(&mut archive, target)?;
    // Read on past the end-of-archive blocks, so that the decompressor reaches and checks its
    // trailer (CRC and length): a tarball cut short is an error, as it is for `tar -xzf`.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(|e| target.read_error(e))?;
    Ok(())
}

fn unpack_entries<R: Read>(
    archive: &mut tar::Archive<R>,
    target: &mut Target,
) -> Result<(), ArchiveError> {
    let entries = archive
        .entries()
        .map_err(|e| target.read_error(e))?
        .raw(true);
    let mut pending = Pending::default();
    for entry in entries {
        let mut entry = entry.map_err(|e| target.read_error(e))?;
        let header = entry.header();
        let entry_type = header.entry_type();
        if matches!(
            entry_type,
            EntryType::GNULongName
                | EntryType::GNULongLink
                | EntryType::XHeader
                | EntryType::XGlobalHeader
        ) {
            let name = header.path_bytes().into_owned();
            let data = read_extension(&mut entry, &name, target)?;
            match entry_type {
                EntryType::GNULongName => pending.path = Some(trim_nul(data)),
                EntryType::GNULongLink => pending.link = Some(trim_nul(data)),
                EntryType::XHeader => parse_pax(&data, &mut pending, target)?,
                // Global pax records set defaults (usually a comment or mtime); not needed.
                _ => {}
            }
            continue;
        }

        let pending = std::mem::take(&mut pending);
        let name = match pending.path {
            Some(path) => path,
            None => header.path_bytes().into_owned(),
        };
        if pending.sparse || entry_type == EntryType::GNUSparse {
            return Err(target.unsupported(&name, "a sparse file (tar --sparse)"));
        }
        if let Some(size) = pending.size {
            // In raw mode the crate steps over the header's size; a pax size that differs
            // (files over 8 GiB in pax format) would desynchronise it.
            if header.entry_size().ok() != Some(size) {
                return Err(target.unsupported(&name, "a file over 8 GiB sized by a pax record"));
            }
        }
        let mode = header.mode().map_err(|e| target.read_error(e))?;
        let mtime = pending
            .mtime
            .or_else(|| header.mtime().ok())
            .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)));
        let link = match pending.link {
            Some(link) => link,
            None => header
                .link_name_bytes()
                .map(std::borrow::Cow::into_owned)
                .unwrap_or_default(),
        };
        match entry_type {
            // Old tar writers mark folders as regular files whose name ends in `/`.
            EntryType::Regular | EntryType::Continuous if name.ends_with(b"/") => {
                target.directory(&name, mode)?;
            }
            EntryType::Regular | EntryType::Continuous => {
                target.file(&name, mode, mtime, &mut entry)?;
            }
            EntryType::Directory => target.directory(&name, mode)?,
            EntryType::Symlink => target.symlink(&name, &link)?,
            EntryType::Link => target.hard_link(&name, &link)?,
            // Devices, fifos and vendor types are skipped, like an unprivileged `tar -x`
            // does for devices: a dependency never needs them.
            _ => target.skip(),
        }
    }
    Ok(())
}

fn read_extension<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    name: &[u8],
    target: &Target,
) -> Result<Vec<u8>, ArchiveError> {
    let size = entry.size();
    if size > MAX_EXTENSION {
        return Err(target.unsupported(name, "an extended header over 1 MiB"));
    }
    let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or_default());
    entry
        .read_to_end(&mut data)
        .map_err(|e| target.read_error(e))?;
    Ok(data)
}

fn trim_nul(mut data: Vec<u8>) -> Vec<u8> {
    while data.last() == Some(&0) {
        data.pop();
    }
    data
}

fn parse_pax(data: &[u8], pending: &mut Pending, target: &Target) -> Result<(), ArchiveError> {
    for record in tar::PaxExtensions::new(data) {
        let record = record.map_err(|e| target.read_error(e))?;
        let value = record.value_bytes();
        match record.key_bytes() {
            b"path" => pending.path = Some(value.to_vec()),
            b"linkpath" => pending.link = Some(value.to_vec()),
            // `1700000000.25`: whole seconds are enough; a negative time is ignored.
            b"mtime" => {
                pending.mtime = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.split('.').next())
                    .and_then(|v| v.parse().ok());
            }
            b"size" => {
                pending.size = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            }
            key if key.starts_with(b"GNU.sparse.") => pending.sparse = true,
            _ => {}
        }
    }
    Ok(())
}
