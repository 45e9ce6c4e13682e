//! Getting one dependency into `DEPS_DIR/IDX/<name>` (phases.md, "Where a dependency comes
//! from"): from the buildpack's own `file:` (a cached buildpack, no network), else the app
//! cache `CACHE_DIR/dependencies/<sha256(uri)>/<basename>`, else a download through
//! [`crate::fetch`] (mirrors, proxies, retries, timeouts, redaction); always verified against
//! the manifest's checksums; then extracted by [`crate::archive`] into a fresh folder that is
//! renamed into place only when extraction succeeded. App-cache entries this staging did not
//! use are removed at the end, as libbuildpack's `CleanupAppCache` does.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::archive::{self, ArchiveError, ExtractOptions};
use crate::checksum::Mismatch;
use crate::fetch::{self, FetchError, Fetcher, HeldFile, Mirrors, Mode, Source, uri};
use crate::manifest::{Dependency, Manifest};
use crate::regular_file::OpenError;

use super::context::Context;
use super::files::{self, FileError};

/// Why a dependency could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// `dependency` is `name version`, as in `Installing ruby 3.3.10`.
    #[error("Could not install {dependency}: {source}")]
    CannotFetch {
        dependency: String,
        #[source]
        source: Box<FetchError>,
    },
    /// As `CannotFetch`, when nothing answered: an uncached buildpack staging with no route
    /// to its dependencies' servers, as on an air-gapped foundation. The fetch error names
    /// the network settings; this adds the two ways to stage there at all.
    #[error(
        "Could not install {dependency}: {source} This buildpack downloads its dependencies while staging; where staging cannot reach them, use a cached buildpack (`bpkit package --cached`, which carries them inside) or point BPKIT_MIRRORS at a mirror that it can reach"
    )]
    Unreachable {
        dependency: String,
        #[source]
        source: Box<FetchError>,
    },
    #[error(
        "Could not install {dependency}: the buildpack's file {} is not the one the manifest describes ({mismatch}); the buildpack is damaged, package it again", path.display()
    )]
    BadBuildpackFile {
        dependency: String,
        path: PathBuf,
        mismatch: Box<Mismatch>,
    },
    /// A `file:` that is absolute or holds `..`: the packager never writes one, and reading
    /// it would take a file from outside the buildpack (a `Path::join` with an absolute path
    /// replaces the buildpack's folder).
    #[error(
        "Could not install {dependency}: the manifest's `file: {file}` {why}, but it must name a file inside the buildpack; package the buildpack again"
    )]
    FileOutsideBuildpack {
        dependency: String,
        file: String,
        why: &'static str,
    },
    #[error(
        "Could not install {dependency}: cannot read the buildpack's file {} (manifest `file:` entry); package the buildpack again", path.display()
    )]
    CannotReadBuildpackFile {
        dependency: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Could not install {dependency} into {}: {source}", target.display())]
    CannotExtract {
        dependency: String,
        target: PathBuf,
        #[source]
        source: Box<ArchiveError>,
    },
    /// The verified file was written to before it was all extracted (another program, or a
    /// copy over an app-cache entry): said alone, not as the archive's "cannot read it as a
    /// gzip-compressed tarball; it is truncated, corrupt or of another kind", which blamed the
    /// dependency for a race on this machine.
    #[error("Could not install {dependency}: {}: {source}", path.display())]
    ChangedAfterVerification {
        dependency: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `strip_components` took off every entry's whole name: the dependency would be an
    /// empty folder, installed without a word, and the app would fail at launch.
    #[error(
        "manifest.yml {key_path}.strip_components: {strip} takes off the whole name of every entry of {archive}, so {dependency} would install nothing; use fewer (1 takes off one top folder, 0 none)"
    )]
    StripsEverything {
        dependency: String,
        key_path: String,
        strip: usize,
        archive: String,
    },
    #[error("Failed while cleaning up app cache: {source}")]
    CannotCleanCache {
        #[source]
        source: FileError,
    },
    #[error(transparent)]
    File(#[from] FileError),
}

fn describe(dep: &Dependency) -> String {
    format!("{} {}", dep.name, dep.version)
}

/// Fetches, verifies and extracts dependencies for one staging, remembering which app-cache
/// entries it used.
pub struct Installer<'a> {
    context: &'a Context,
    manifest: &'a Manifest,
    cache_dir: PathBuf,
    /// Made on first use: a buildpack whose dependencies are all `file:` never needs it.
    fetcher: Option<Fetcher>,
    /// The `<sha256>` folders of app-cache entries used in this staging.
    used_cache_dirs: BTreeSet<PathBuf>,
}

impl<'a> Installer<'a> {
    pub fn new(context: &'a Context, manifest: &'a Manifest, cache_dir: &Path) -> Self {
        Installer {
            context,
            manifest,
            cache_dir: cache_dir.to_path_buf(),
            fetcher: None,
            used_cache_dirs: BTreeSet::new(),
        }
    }

    /// A verified local copy of `dep`'s file, held open on the bytes verified: the buildpack's
    /// own file, or the app-cache entry. Logs where it came from (`Copy [...]` or `Download
    /// [...]`).
    pub fn fetch(&mut self, dep: &Dependency) -> Result<HeldFile, InstallError> {
        if let Some(file) = &dep.file {
            return self.buildpack_file(dep, file);
        }
        let dest = fetch::app_cache_path(&self.cache_dir, &dep.uri);
        if let Some(dir) = dest.parent() {
            self.used_cache_dirs.insert(dir.to_path_buf());
        }
        self.clear_odd_cache_path(&dest)
            .map_err(|source| InstallError::CannotCleanCache { source })?;
        let cannot_fetch = |source| InstallError::CannotFetch {
            dependency: describe(dep),
            source: Box::new(source),
        };
        let fetcher = match self.fetcher.take() {
            Some(fetcher) => fetcher,
            None => self.make_fetcher().map_err(cannot_fetch)?,
        };
        let result = fetcher.ensure(&dest, &dep.uri, &dep.checksums(), Mode::Normal);
        self.fetcher = Some(fetcher);
        let got = result.map_err(|error| {
            let error = error.in_the_app_cache();
            if error.is_unreachable() {
                InstallError::Unreachable {
                    dependency: describe(dep),
                    source: Box::new(error),
                }
            } else {
                cannot_fetch(error)
            }
        })?;
        if got.source == Source::Cache {
            // libbuildpack's words for an app-cache hit.
            self.context
                .logger
                .detail(&format!("Copy [{}]", got.path().display()));
        }
        Ok(got.file)
    }

    /// Remove what stands in the app cache where `dest`'s folder or `dest` itself go but is
    /// not what bpkit keeps there (a file where the folder goes; a folder or a fifo where the
    /// downloaded file goes; a link to nothing at either). The app cache is bpkit's own, and on the
    /// platform the app's user cannot reach into it: left, such an entry would fail every later
    /// staging, where a cached file that fails verification is fetched again.
    fn clear_odd_cache_path(&self, dest: &Path) -> Result<(), FileError> {
        let Some(entry_dir) = dest.parent() else {
            return Ok(());
        };
        // Only the entry's own folder, named by a sha256, and what is in it: what stands at
        // `CACHE_DIR/dependencies` may not be bpkit's (a CACHE_DIR given as the app's folder by
        // a slip), and is left for the fetch to report.
        match fs::metadata(entry_dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) => {
                self.warn_odd_cache_path(entry_dir, describe_kind(&meta), "folder");
                files::remove_file_if_present(entry_dir)?;
            }
            Err(_) => self.clear_dangling(entry_dir, "folder")?,
        }
        match fs::metadata(dest) {
            Ok(meta) if meta.is_file() => Ok(()),
            Ok(meta) => {
                self.warn_odd_cache_path(dest, describe_kind(&meta), "file");
                files::remove_dir_if_present(dest)
            }
            Err(_) => self.clear_dangling(dest, "file"),
        }
    }

    /// What stands at `path`, which cannot be followed, if it is a link: a link to nothing (what
    /// it names is missing, or it leads round a loop of links or through a file), removed with
    /// a warning. Anything else that cannot be followed (nothing at all, or a file where
    /// `dependencies` goes, which `symlink_metadata` cannot reach either) is left: there is
    /// nothing to remove, or it is not bpkit's to remove, and the fetch reports it.
    fn clear_dangling(&self, path: &Path, kept: &str) -> Result<(), FileError> {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            self.warn_odd_cache_path(path, "a link to nothing", kept);
            files::remove_file_if_present(path)?;
        }
        Ok(())
    }

    fn warn_odd_cache_path(&self, path: &Path, found: &str, kept: &str) {
        self.context.logger.warning(&format!(
            "The app cache's {} is {found}, not the {kept} bpkit keeps there; removing it and fetching the dependency again.",
            path.display()
        ));
    }

    fn make_fetcher(&self) -> Result<Fetcher, FetchError> {
        let lookup = |name: &str| self.context.var(name);
        let config = fetch::Config::from_lookup(&lookup)?;
        // An operator's BPKIT_MIRRORS wins over the manifest's `mirrors:`, whatever the prefixes.
        let mut mirrors = Mirrors::parse(&lookup(fetch::mirror::MIRRORS_ENV).unwrap_or_default())?;
        mirrors.with_fallback(Mirrors::from_pairs(self.manifest.mirrors.clone())?);
        Fetcher::new(config, mirrors, self.context.logger.clone())
    }

    /// A `file:` entry of a cached buildpack: verified where it is (the buildpack is read-only
    /// and never changed), logged as libbuildpack does.
    fn buildpack_file(&self, dep: &Dependency, file: &str) -> Result<HeldFile, InstallError> {
        // A manifest loaded for staging has refused this already; a library caller's manifest
        // may not have been, and verifying against no checksum would accept any file.
        if dep.checksums().is_empty() {
            return Err(InstallError::CannotFetch {
                dependency: describe(dep),
                source: Box::new(FetchError::NoChecksum {
                    uri: uri::redact(&dep.uri),
                }),
            });
        }
        let relative = Path::new(file);
        if let Some(why) = dep.file_outside_buildpack() {
            return Err(InstallError::FileOutsideBuildpack {
                dependency: describe(dep),
                file: file.to_string(),
                why,
            });
        }
        let path = self.context.buildpack_dir.join(relative);
        self.context
            .logger
            .detail(&format!("Copy [{}]", path.display()));
        let cannot_read = |source| InstallError::CannotReadBuildpackFile {
            dependency: describe(dep),
            path: path.clone(),
            source,
        };
        // The open does not wait: opening a fifo would wait for a writer that never comes.
        let (held, digests) =
            HeldFile::open(&path, dep.md5.is_some()).map_err(|error| match error {
                OpenError::Io(e) => cannot_read(e),
                OpenError::NotAFile(_) => {
                    cannot_read(std::io::Error::other("it is not a regular file"))
                }
            })?;
        dep.checksums()
            .verify(&digests)
            .map_err(|mismatch| InstallError::BadBuildpackFile {
                dependency: describe(dep),
                path: path.clone(),
                mismatch: Box::new(mismatch),
            })?;
        Ok(held)
    }

    /// Extract `file` (the verified file of `dep`) into `target`, replacing what was there.
    /// Extraction goes to a hidden sibling folder first, so a refused or broken archive leaves
    /// neither a half-installed dependency nor anything outside the target.
    /// `key_path` (`install[0]`) names the entry whose `strip_components` is used.
    pub fn extract(
        &self,
        dep: &Dependency,
        file: &HeldFile,
        target: &Path,
        strip_components: usize,
        key_path: &str,
    ) -> Result<archive::Extracted, InstallError> {
        let parent = target.parent().unwrap_or(Path::new("."));
        files::create_dir(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}{}", files::TEMP_MARKER))
            .tempdir_in(parent)
            .map_err(|e| {
                // tempfile adds ` at path "…/.ruby.bpkit-AbC123"` after the OS's words: a
                // random name, then the fix, in the middle of the line.
                FileError::new(
                    "create a folder in",
                    parent,
                    crate::output::without_temp_path(e),
                )
            })?;
        let name: OsString = uri::basename(&dep.uri).into();
        let options = ExtractOptions {
            strip_components,
            file_name: Some(name.clone()),
        };
        let changed = |source| InstallError::ChangedAfterVerification {
            dependency: describe(dep),
            path: file.path().to_path_buf(),
            source,
        };
        let extracted = archive::extract_file(file.reader(), &name, staging.path(), &options)
            .map_err(|source| {
                // A file written to meanwhile fails its reader (at its last byte, or sooner
                // when it got shorter) or the decompressor on the new bytes: either way, that
                // it changed is the cause to give, not what the archive reader made of it.
                match file.check_unchanged() {
                    Err(e) => changed(e),
                    Ok(()) => InstallError::CannotExtract {
                        dependency: describe(dep),
                        target: target.to_path_buf(),
                        source: Box::new(source),
                    },
                }
            })?;
        // The reader checks this when it reads the file's last byte, which every extractor
        // does today (a tarball's rest is drained, a zip stream spooled); this backstop keeps
        // that true for an extractor that one day stops short of the end.
        file.check_unchanged().map_err(changed)?;
        let written =
            extracted.files + extracted.directories + extracted.symlinks + extracted.hard_links;
        if strip_components > 0 && written == 0 && extracted.skipped > 0 {
            // Checked before the rename: the version an earlier run installed stays.
            return Err(InstallError::StripsEverything {
                dependency: describe(dep),
                key_path: key_path.to_string(),
                strip: strip_components,
                archive: name.to_string_lossy().into_owned(),
            });
        }
        files::remove_dir_if_present(target)?;
        let staged = staging.keep();
        fs::rename(&staged, target).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            FileError::new("move the extracted files to", target, e)
        })?;
        Ok(extracted)
    }

    /// Remove every app-cache entry this staging did not use. Returns how many were removed.
    /// A cache that cannot be listed (missing, not a folder, unreadable) has nothing this
    /// staging could remove, and is left alone as libbuildpack's `CleanupAppCache` leaves it
    /// (its walk skips what it cannot read); only a removal that fails is an error.
    pub fn cleanup_app_cache(&self) -> Result<usize, InstallError> {
        let root = self.cache_dir.join("dependencies");
        let entries = match fs::read_dir(&root) {
            Ok(entries) => entries,
            Err(e) => {
                if e.kind() != std::io::ErrorKind::NotFound {
                    self.context.logger.debug(&format!(
                        "Not cleaning the app cache: cannot list {}: {e}",
                        root.display()
                    ));
                }
                return Ok(0);
            }
        };
        let mut removed = 0;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if self.used_cache_dirs.contains(&path) {
                continue;
            }
            // Only what bpkit could have put there, a folder named by a sha256: a CACHE_DIR
            // given as the app's folder (a slip running a phase by hand) would otherwise lose
            // the app's own `dependencies/` to this clean-up.
            if !is_sha256_name(&entry.file_name()) {
                self.context.logger.debug(&format!(
                    "Not deleting {}: bpkit names its cache entries by a sha256",
                    path.display()
                ));
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                // Another staging sharing this cache may be downloading into the entry: its
                // lock is held, and the entry is left to it (removed, its `.part` file would
                // vanish under it and its install fail with "No such file or directory").
                match fetch::remove_unlocked_app_cache_entry(&path) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.context.logger.debug(&format!(
                            "Not deleting cached file {}: another process is using it",
                            path.display()
                        ));
                        continue;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => {
                        return Err(InstallError::CannotCleanCache {
                            source: FileError::new("remove", &path, e),
                        });
                    }
                }
            } else {
                files::remove_file_if_present(&path)
                    .map_err(|source| InstallError::CannotCleanCache { source })?;
            }
            self.context
                .logger
                .debug(&format!("Deleting cached file: {}", path.display()));
            removed += 1;
        }
        Ok(removed)
    }
}

/// True for 64 lower-case hex digits: the name of an app-cache entry's folder
/// ([`fetch::app_cache_path`]).
fn is_sha256_name(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.len() == 64 && n.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// `a file`, `a folder`, `a fifo`: what stands at a path.
fn describe_kind(meta: &fs::Metadata) -> &'static str {
    if meta.is_file() {
        "a file"
    } else {
        crate::regular_file::describe_file_type(meta.file_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::output::Logger;
    use crate::phases::context::Env;
    use std::io::Write;

    /// A context for the buildpack at `dir`, its output captured, no environment.
    fn quiet_context(dir: &Path) -> Context {
        Context {
            buildpack_dir: dir.to_path_buf(),
            logger: Logger::capture().0,
            env: Env::from_pairs(std::iter::empty::<(&str, &str)>()),
            app_env: Vec::new(),
            today: Date::new(2025, 1, 1),
        }
    }

    /// A `file:` dependency with no checksum is refused even when the manifest skipped the
    /// validation that refuses it at load time: "verified" against nothing, any file would do.
    #[test]
    fn a_buildpack_file_without_a_checksum_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("deps")).unwrap();
        fs::write(dir.path().join("deps/dep.tgz"), "any bytes at all").unwrap();
        let text = "language: x\ndependencies:\n- name: dep\n  version: 1.0.0\n  uri: https://u:secret@h/dep.tgz\n  file: deps/dep.tgz\n  cf_stacks: [cflinuxfs4]\n";
        let (manifest, _) = Manifest::parse(text, &dir.path().join("manifest.yml")).unwrap();
        let context = quiet_context(dir.path());
        let mut installer = Installer::new(&context, &manifest, dir.path());
        let err = installer.fetch(&manifest.dependencies[0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Could not install dep 1.0.0: https://-redacted-:-redacted-@h/dep.tgz has neither a sha256 nor an md5 checksum, so it would not be verified; add its sha256 to the manifest."
        );
    }

    /// A `file:` outside the buildpack is refused when the manifest skipped the validation
    /// that refuses it at load time (a library caller's), before the file it names is read.
    #[test]
    fn a_buildpack_file_outside_the_buildpack_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let sha = "a".repeat(64);
        for (file, why) in [
            ("/etc/hostname", "is absolute"),
            ("deps/../../x.tgz", "climbs out of it with `..`"),
        ] {
            let text = format!(
                "language: x\ndependencies:\n- name: dep\n  version: 1.0.0\n  uri: https://h/dep.tgz\n  sha256: {sha}\n  file: {file}\n  cf_stacks: [cflinuxfs4]\n"
            );
            let (manifest, _) = Manifest::parse(&text, &dir.path().join("manifest.yml")).unwrap();
            let context = quiet_context(dir.path());
            let mut installer = Installer::new(&context, &manifest, dir.path());
            let err = installer.fetch(&manifest.dependencies[0]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "Could not install dep 1.0.0: the manifest's `file: {file}` {why}, but it must name a file inside the buildpack; package the buildpack again"
                )
            );
        }
    }

    /// A tarball verified, then written to before it is extracted (a `cp` over an app-cache
    /// entry by another process): the install fails naming why, and nothing is moved into
    /// place.
    #[test]
    fn a_file_written_to_between_verification_and_extraction_is_not_installed() {
        let dir = tempfile::tempdir().unwrap();
        let tgz = dir.path().join("dep.tgz");
        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(5);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, "hello.txt", &b"hello"[..])
            .unwrap();
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(
            fs::File::create(&tgz).unwrap(),
            flate2::Compression::fast(),
        );
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap();
        let tgz_bytes = fs::read(&tgz).unwrap();
        for cut in [false, true] {
            fs::write(&tgz, &tgz_bytes).unwrap();
            let (held, _) = HeldFile::open(&tgz, false).unwrap();
            // Written to in place: appended to (a cp over it would do the same), or cut short,
            // which fails the reader before its last byte.
            let mut file = fs::OpenOptions::new().append(true).open(&tgz).unwrap();
            if cut {
                file.set_len(10).unwrap();
            } else {
                file.write_all(b"appended later").unwrap();
            }
            drop(file);
            written_to_then_extracted(dir.path(), &tgz, &held);
        }
    }

    /// Extract `held`, written to since it was verified at `tgz`, as dep 1.0.0 into `root`.
    fn written_to_then_extracted(root: &Path, tgz: &Path, held: &HeldFile) {
        let text = "language: x\ndependencies:\n- name: dep\n  version: 1.0.0\n  uri: https://h/dep.tgz\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  cf_stacks: [cflinuxfs4]\n";
        let (manifest, _) = Manifest::parse(text, &root.join("manifest.yml")).unwrap();
        let context = quiet_context(root);
        let installer = Installer::new(&context, &manifest, root);
        let target = root.join("deps/0/dep");
        let err = installer
            .extract(&manifest.dependencies[0], held, &target, 0, "install[0]")
            .unwrap_err();
        // Said alone: it was prefixed by the archive's "cannot read it as a gzip-compressed
        // tarball; it is truncated, corrupt or of another kind", which blamed the dependency.
        assert_eq!(
            crate::output::error_chain(&err),
            format!(
                "Could not install dep 1.0.0: {}: it was written to after it was verified (by another program, or a copy over it), so its bytes are not the ones checked; run again once nothing else writes to it",
                tgz.display()
            )
        );
        assert!(!target.exists());
        assert_eq!(
            fs::read_dir(target.parent().unwrap()).unwrap().count(),
            0,
            "the extraction's temporary folder was left behind"
        );
    }

    /// A gzip-compressed tarball at `path` of `entries`: (name, kind, contents or link target).
    fn write_tgz(path: &Path, entries: &[(&str, tar::EntryType, &str)]) {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, kind, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(*kind);
            header.set_mode(if kind.is_dir() { 0o755 } else { 0o644 });
            if kind.is_symlink() || kind.is_hard_link() {
                header.set_size(0);
                builder.append_link(&mut header, name, data).unwrap();
            } else if kind.is_file() {
                header.set_size(data.len() as u64);
                header.set_cksum();
                builder
                    .append_data(&mut header, name, data.as_bytes())
                    .unwrap();
            } else {
                header.set_size(0);
                header.set_cksum();
                builder.append_data(&mut header, name, &b""[..]).unwrap();
            }
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(
            fs::File::create(path).unwrap(),
            flate2::Compression::fast(),
        );
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap();
    }

    /// A manifest of one dependency, `dep 1.0.0` at `https://h/dep.tgz` with `sha256`.
    fn one_dependency(root: &Path, sha256: &str) -> Manifest {
        let text = format!(
            "language: x\ndependencies:\n- name: dep\n  version: 1.0.0\n  uri: https://h/dep.tgz\n  sha256: {sha256}\n  cf_stacks: [cflinuxfs4]\n"
        );
        Manifest::parse(&text, &root.join("manifest.yml"))
            .unwrap()
            .0
    }

    /// `entries` as a tarball extracted with `strip` components into `root/deps/0/dep`.
    fn extract_entries(
        root: &Path,
        entries: &[(&str, tar::EntryType, &str)],
        strip: usize,
    ) -> Result<archive::Extracted, InstallError> {
        let tgz = root.join("dep.tgz");
        write_tgz(&tgz, entries);
        let manifest = one_dependency(root, &"0".repeat(64));
        let context = quiet_context(root);
        let installer = Installer::new(&context, &manifest, root);
        let (held, _) = HeldFile::open(&tgz, false).unwrap();
        installer.extract(
            &manifest.dependencies[0],
            &held,
            &root.join("deps/0/dep"),
            strip,
            "install[0]",
        )
    }

    /// `strip_components` that leaves some entry a name installs what it leaves, whatever
    /// kind each is (a file, a folder, a link, a hard link, alone or together); one that takes
    /// off every name is refused and leaves the version installed before; an archive with
    /// nothing in it, or nothing but a fifo with nothing stripped, installs an empty folder.
    #[test]
    fn strip_components_is_refused_only_when_it_takes_off_every_name() {
        use tar::EntryType::{Directory, Fifo, Link, Regular, Symlink};
        let installed = |entries: &[(&str, tar::EntryType, &str)], strip: usize| {
            let dir = tempfile::tempdir().unwrap();
            let extracted = extract_entries(dir.path(), entries, strip).unwrap();
            let mut names: Vec<String> = fs::read_dir(dir.path().join("deps/0/dep"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            (extracted, names)
        };
        let file = ("top/f", Regular, "hello");
        // Each with its top folder's entry, stripped to nothing and counted as skipped, as
        // every entry is when too many components are stripped.
        for (entries, names) in [
            // One file alone: any product of the counts is 0.
            (vec![("top/", Directory, ""), file], vec!["f"]),
            // A file and a folder: 1 - 1 is 0.
            (
                vec![("top/", Directory, ""), file, ("top/d/", Directory, "")],
                vec!["d", "f"],
            ),
            // A link alone: 0 - 1 goes below 0.
            (
                vec![("top/", Directory, ""), ("top/l", Symlink, "f")],
                vec!["l"],
            ),
            // A file and a hard link to it: 1 - 1 is 0.
            (
                vec![("top/", Directory, ""), file, ("top/h", Link, "top/f")],
                vec!["f", "h"],
            ),
        ] {
            let (extracted, got) = installed(&entries, 1);
            assert_eq!(got, names, "{entries:?}");
            assert!(
                extracted.files + extracted.directories + extracted.symlinks + extracted.hard_links
                    > 0
            );
        }
        let (_, got) = installed(&[], 1);
        assert!(got.is_empty());
        let (extracted, got) = installed(&[("top/p", Fifo, "")], 0);
        assert!(got.is_empty());
        assert_eq!(extracted.skipped, 1);

        let dir = tempfile::tempdir().unwrap();
        let entries = [("top/", Directory, ""), file];
        extract_entries(dir.path(), &entries, 1).unwrap();
        let err = extract_entries(dir.path(), &entries, 2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "manifest.yml install[0].strip_components: 2 takes off the whole name of every entry of dep.tgz, so dep 1.0.0 would install nothing; use fewer (1 takes off one top folder, 0 none)"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("deps/0/dep/f")).unwrap(),
            "hello"
        );
    }

    /// 64 lower-case hex digits, and nothing else, name an app-cache entry.
    #[test]
    fn only_a_sha256_in_lower_case_hex_names_a_cache_entry() {
        let name = |s: &str| is_sha256_name(std::ffi::OsStr::new(s));
        assert!(name(&crate::checksum::sha256_hex("https://h/dep.tgz")));
        assert!(name(&"0123456789abcdef".repeat(4)));
        assert!(!name(&"a".repeat(63)));
        assert!(!name(&"a".repeat(65)));
        assert!(!name(&"A".repeat(64)));
        assert!(!name(&"g".repeat(64)));
        assert!(!name("dependencies"));
    }

    /// What stands where an app-cache entry goes but is not what bpkit keeps there (a file
    /// where its folder goes, a folder where its file goes, a link to nothing at either) is
    /// removed with a warning naming it; the folder and the file bpkit keeps stay, unwarned.
    #[test]
    fn odd_things_where_an_app_cache_entry_goes_are_removed_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = one_dependency(dir.path(), &"0".repeat(64));
        let (logger, output) = Logger::capture();
        let context = Context {
            logger,
            ..quiet_context(dir.path())
        };
        let installer = Installer::new(&context, &manifest, dir.path());
        let dest = fetch::app_cache_path(dir.path(), "https://h/dep.tgz");
        let entry = dest.parent().unwrap();
        fs::create_dir_all(entry.parent().unwrap()).unwrap();
        let check = |make: &dyn Fn(), warned: Option<String>| {
            let before = output.text().len();
            make();
            installer.clear_odd_cache_path(&dest).unwrap();
            let text = output.text()[before..].to_string();
            match warned {
                Some(words) => assert!(text.contains(&words), "{text}"),
                None => assert!(!text.contains("WARNING"), "{text}"),
            }
        };
        let warning = |path: &Path, found: &str, kept: &str| {
            format!(
                "The app cache's {} is {found}, not the {kept} bpkit keeps there; removing it and fetching the dependency again.",
                path.display()
            )
        };
        // Nothing there yet: nothing to say.
        check(&|| {}, None);
        // The folder and the file bpkit keeps.
        check(
            &|| {
                fs::create_dir_all(entry).unwrap();
                fs::write(&dest, "kept").unwrap();
            },
            None,
        );
        assert_eq!(fs::read_to_string(&dest).unwrap(), "kept");
        // A folder where the file goes.
        check(
            &|| {
                fs::remove_file(&dest).unwrap();
                fs::create_dir_all(dest.join("inside")).unwrap();
            },
            Some(warning(&dest, "a folder", "file")),
        );
        assert!(!dest.exists() && entry.is_dir());
        // A link to nothing where the file goes.
        check(
            &|| std::os::unix::fs::symlink(dir.path().join("gone"), &dest).unwrap(),
            Some(warning(&dest, "a link to nothing", "file")),
        );
        assert!(fs::symlink_metadata(&dest).is_err() && entry.is_dir());
        // A link to itself, or through a file, where the file goes: they lead nowhere either.
        check(
            &|| std::os::unix::fs::symlink(&dest, &dest).unwrap(),
            Some(warning(&dest, "a link to nothing", "file")),
        );
        assert!(fs::symlink_metadata(&dest).is_err() && entry.is_dir());
        fs::write(dir.path().join("a-file"), "").unwrap();
        check(
            &|| std::os::unix::fs::symlink(dir.path().join("a-file/x"), &dest).unwrap(),
            Some(warning(&dest, "a link to nothing", "file")),
        );
        assert!(fs::symlink_metadata(&dest).is_err() && entry.is_dir());
        // A file where the folder goes.
        check(
            &|| {
                fs::remove_dir_all(entry).unwrap();
                fs::write(entry, "not a folder").unwrap();
            },
            Some(warning(entry, "a file", "folder")),
        );
        assert!(fs::symlink_metadata(entry).is_err());
        // A link to nothing where the folder goes.
        check(
            &|| std::os::unix::fs::symlink(dir.path().join("gone"), entry).unwrap(),
            Some(warning(entry, "a link to nothing", "folder")),
        );
        assert!(fs::symlink_metadata(entry).is_err());
        // A link to itself, or through a file, where the folder goes: each was left, and
        // every staging failed to write the entry, saying to remove what the app's user
        // cannot reach.
        check(
            &|| std::os::unix::fs::symlink(entry, entry).unwrap(),
            Some(warning(entry, "a link to nothing", "folder")),
        );
        assert!(fs::symlink_metadata(entry).is_err());
        check(
            &|| std::os::unix::fs::symlink(dir.path().join("a-file/x"), entry).unwrap(),
            Some(warning(entry, "a link to nothing", "folder")),
        );
        assert!(fs::symlink_metadata(entry).is_err());
        // A file where `dependencies` goes is not bpkit's: left for the fetch to report.
        fs::remove_dir_all(dir.path().join("dependencies")).unwrap();
        check(
            &|| fs::write(dir.path().join("dependencies"), "mine").unwrap(),
            None,
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("dependencies")).unwrap(),
            "mine"
        );
    }

    /// A verified app-cache entry is used as it is, said with libbuildpack's `Copy [...]`, and
    /// kept by the clean-up, which removes the entries this staging did not use (a folder or
    /// a file named by a sha256) and counts them, and leaves what bpkit never names so.
    #[test]
    fn a_cache_hit_is_logged_and_kept_and_unused_entries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = b"the dependency";
        let manifest = one_dependency(dir.path(), &crate::checksum::Sha256::of_bytes(bytes).hex());
        let (logger, output) = Logger::capture();
        let context = Context {
            logger,
            ..quiet_context(dir.path())
        };
        let mut installer = Installer::new(&context, &manifest, dir.path());
        let dest = fetch::app_cache_path(dir.path(), "https://h/dep.tgz");
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::write(&dest, bytes).unwrap();
        let root = dir.path().join("dependencies");
        let unused_dir = root.join("a".repeat(64));
        let unused_file = root.join("b".repeat(64));
        let mine = root.join("mine");
        fs::create_dir_all(unused_dir.join("x")).unwrap();
        fs::write(unused_file.clone(), "x").unwrap();
        fs::create_dir_all(&mine).unwrap();

        let held = installer.fetch(&manifest.dependencies[0]).unwrap();
        assert_eq!(held.path(), dest);
        assert!(
            output
                .text()
                .contains(&format!("Copy [{}]", dest.display())),
            "{}",
            output.text()
        );
        assert_eq!(installer.cleanup_app_cache().unwrap(), 2);
        assert!(dest.is_file());
        assert!(mine.is_dir());
        assert!(!unused_dir.exists() && !unused_file.exists());
        assert_eq!(installer.cleanup_app_cache().unwrap(), 0);
    }

    /// An app cache that cannot be listed is left alone, said in a debug line unless it is
    /// only missing; an entry that cannot be removed fails the clean-up, named.
    #[test]
    fn cleaning_an_app_cache_that_cannot_be_listed_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = one_dependency(dir.path(), &"0".repeat(64));
        let (logger, output) = Logger::capture();
        let context = Context {
            logger: logger.with_debug(true),
            ..quiet_context(dir.path())
        };
        let installer = Installer::new(&context, &manifest, dir.path());
        assert_eq!(installer.cleanup_app_cache().unwrap(), 0);
        assert!(!output.text().contains("Not cleaning"), "{}", output.text());
        let root = dir.path().join("dependencies");
        fs::write(&root, "not a folder").unwrap();
        assert_eq!(installer.cleanup_app_cache().unwrap(), 0);
        assert!(
            output.text().contains(&format!(
                "Not cleaning the app cache: cannot list {}",
                root.display()
            )),
            "{}",
            output.text()
        );
        // A folder where an entry's lock file goes: it cannot be opened to lock.
        fs::remove_file(&root).unwrap();
        let entry = root.join("c".repeat(64));
        fs::create_dir_all(entry.join(".dep.tgz.lock")).unwrap();
        fs::write(entry.join("dep.tgz"), "x").unwrap();
        let err = installer.cleanup_app_cache().unwrap_err();
        assert!(
            crate::output::error_chain(&err).starts_with(&format!(
                "Failed while cleaning up app cache: cannot remove {}",
                entry.display()
            )),
            "{}",
            crate::output::error_chain(&err)
        );
        assert!(entry.join("dep.tgz").exists());
    }
}
