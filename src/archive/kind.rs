//! What a dependency file is, decided from its name: a tarball (gzip, xz, bzip2 or none), a zip,
//! a shell script, or any other file. The name is the contract (phases.md, "Where a dependency
//! comes from"): bytes are never sniffed, so a file called `tool` that happens to be gzip data
//! is installed as the file `tool`, exactly as the manifest author named it.

use std::ffi::OsStr;
use std::fmt;
use std::os::unix::ffi::OsStrExt;

/// How a dependency file is installed into its target folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArchiveKind {
    /// `.tgz`, `.tar.gz`: a gzip-compressed tarball, extracted.
    TarGz,
    /// `.tar.xz`, `.txz`: an xz-compressed tarball, extracted.
    TarXz,
    /// `.tar.bz2`, `.tbz2`, `.tbz`: a bzip2-compressed tarball, extracted.
    TarBz2,
    /// `.tar`: an uncompressed tarball, extracted.
    Tar,
    /// `.zip`: a zip archive, extracted. (A `.jar` is a [`File`](Self::File): Java wants it whole.)
    Zip,
    /// `.sh`: copied into the target folder under its own name and made executable.
    Script,
    /// Anything else: copied into the target folder under its own name, as it is.
    File,
}

/// Suffixes, lowercase, longest first where one ends another (`.tar.gz` before `.gz` would
/// matter if `.gz` were listed; it is not: a lone `.gz` is not a tarball).
const SUFFIXES: &[(&str, ArchiveKind)] = &[
    (".tar.gz", ArchiveKind::TarGz),
    (".tgz", ArchiveKind::TarGz),
    (".tar.xz", ArchiveKind::TarXz),
    (".txz", ArchiveKind::TarXz),
    (".tar.bz2", ArchiveKind::TarBz2),
    (".tbz2", ArchiveKind::TarBz2),
    (".tbz", ArchiveKind::TarBz2),
    (".tar", ArchiveKind::Tar),
    (".zip", ArchiveKind::Zip),
    (".sh", ArchiveKind::Script),
];

impl ArchiveKind {
    /// The kind named by a file name's suffix, compared without regard to ASCII case
    /// (`ruby-3.3.0.TGZ` is a gzip tarball). Only the last path component is looked at.
    pub fn from_file_name(name: impl AsRef<OsStr>) -> Self {
        let bytes = name.as_ref().as_bytes();
        let base = bytes.rsplit(|&b| b == b'/').next().unwrap_or(bytes);
        SUFFIXES
            .iter()
            .find(|(suffix, _)| {
                base.len() >= suffix.len()
                    && base[base.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
            })
            .map_or(Self::File, |&(_, kind)| kind)
    }

    /// Whether this kind is a tarball (read as a stream, without seeking).
    pub fn is_tar(self) -> bool {
        matches!(self, Self::TarGz | Self::TarXz | Self::TarBz2 | Self::Tar)
    }

    /// Whether this kind is unpacked into a tree (as opposed to copied as one file).
    pub fn is_archive(self) -> bool {
        self.is_tar() || self == Self::Zip
    }
}

impl fmt::Display for ArchiveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TarGz => "gzip-compressed tarball",
            Self::TarXz => "xz-compressed tarball",
            Self::TarBz2 => "bzip2-compressed tarball",
            Self::Tar => "tarball",
            Self::Zip => "zip archive",
            Self::Script => "shell script",
            Self::File => "file",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ArchiveKind::{self, *};

    #[test]
    fn kinds_from_names() {
        let cases = [
            ("ruby-3.3.0-linux-x64-cflinuxfs4.tgz", TarGz),
            ("node.tar.gz", TarGz),
            ("NODE.TAR.GZ", TarGz),
            ("python.tar.xz", TarXz),
            ("python.txz", TarXz),
            ("php.tar.bz2", TarBz2),
            ("php.tbz2", TarBz2),
            ("php.tbz", TarBz2),
            ("plain.tar", Tar),
            ("dotnet.zip", Zip),
            ("installer.sh", Script),
            ("app.jar", File),
            ("tool", File),
            ("notes.gz", File),
            (".tgz", TarGz),
            ("dir.tgz/inner", File),
            ("", File),
        ];
        for (name, kind) in cases {
            assert_eq!(ArchiveKind::from_file_name(name), kind, "{name}");
        }
    }

    #[test]
    fn archive_kinds() {
        assert!(TarXz.is_tar() && TarXz.is_archive());
        assert!(!Zip.is_tar() && Zip.is_archive());
        assert!(!Script.is_archive() && !File.is_archive());
    }
}
