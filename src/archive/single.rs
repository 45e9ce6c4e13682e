//! Dependencies that are not archives: a `.sh` script is copied and made executable (0755),
//! any other file (a `.jar`, a binary) is copied as it is (0644). Either lands directly in the
//! target folder under its original name, which the caller may pass separately because the
//! download cache can store files under another name.

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::target::Target;
use super::{ArchiveError, ArchiveKind, Extracted};

const SCRIPT_MODE: u32 = 0o755;
const FILE_MODE: u32 = 0o644;

pub(super) fn install<R: Read>(
    kind: ArchiveKind,
    mut reader: R,
    root: &Path,
    name: &OsStr,
    archive: String,
) -> Result<Extracted, ArchiveError> {
    let bytes = name.as_bytes();
    if bytes.is_empty()
        || bytes.contains(&b'/')
        || bytes.contains(&0)
        || bytes == b"."
        || bytes == b".."
    {
        return Err(ArchiveError::InvalidFileName {
            archive,
            name: name.to_string_lossy().into_owned(),
        });
    }
    let mode = if kind == ArchiveKind::Script {
        SCRIPT_MODE
    } else {
        FILE_MODE
    };
    let mut target = Target::create(archive, kind, root, 0)?;
    target.file(bytes, mode, None, &mut reader)?;
    Ok(target.finish())
}
