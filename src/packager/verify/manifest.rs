//! The packaged `manifest.yml` against the zip: it is there, under Cloud Controller's limit
//! and valid; its stack agrees with its dependencies and the file name; every dependency's
//! `file:` is in the zip with the manifest's checksums; a zip named cached has files.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::checksum::{self, Checksums};
use crate::manifest::{self, Manifest, Severity};
use crate::packager::MANIFEST_LIMIT;

use super::report::Report;

pub(super) fn read_manifest(
    archive: &mut zip::ZipArchive<File>,
    names: &BTreeSet<String>,
    report: &mut Report,
) -> Option<Manifest> {
    if !names.contains("manifest.yml") {
        report.error("there is no manifest.yml at the top of the zip; Cloud Controller needs it");
        return None;
    }
    // A link entry's data is its target's path: Cloud Controller, reading the entry, would
    // get that path, not a manifest (and parsing it said only "found a string").
    if archive
        .by_name("manifest.yml")
        .ok()
        .and_then(|entry| entry.unix_mode())
        .is_some_and(|mode| mode & 0o170_000 == 0o120_000)
    {
        report.error(
            "manifest.yml is a symlink; Cloud Controller reads the entry itself, which holds only the link's target path: make manifest.yml a regular file",
        );
        return None;
    }
    let mut bytes = Vec::new();
    let read = archive
        .by_name("manifest.yml")
        .map_err(|e| e.to_string())
        .and_then(|entry| {
            // Bounded as a manifest file is: a zip bomb of a manifest.yml stops here, already
            // far past the 1 MiB reported below.
            entry
                .take(crate::manifest::MANIFEST_READ_LIMIT + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())
        });
    if let Err(cause) = read {
        // A method the platform's extractor lacks (bzip2), or damaged data.
        report.error(format!(
            "cannot read manifest.yml ({cause}); the platform cannot read it either: package it again"
        ));
        return None;
    }
    if bytes.len() as u64 > crate::manifest::MANIFEST_READ_LIMIT {
        // Its size is not known past the bytes read (the header may lie), and the text cut
        // there would add a YAML error about the cut, not about the file.
        report.error(format!(
            "manifest.yml is over {} MiB; Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB",
            crate::manifest::MANIFEST_READ_LIMIT >> 20
        ));
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Said as the manifest loader says it: where, and the fix. The bare "stream did
            // not contain valid UTF-8" named neither.
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
            report.error(format!(
                "manifest.yml:{}:{}: byte 0x{:02X} is not UTF-8 text, which YAML is; save the manifest as UTF-8 and package it again",
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
                bytes.get(valid).copied().unwrap_or_default()
            ));
            return None;
        }
    };
    if text.len() > MANIFEST_LIMIT {
        report.error(format!(
            "manifest.yml is {} bytes; Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB",
            text.len()
        ));
    }
    match Manifest::parse(&text, Path::new("manifest.yml")) {
        Ok((manifest, mut diagnostics)) => {
            manifest::validate::validate(&manifest, &mut diagnostics);
            for d in diagnostics.diagnostics {
                // What goes into a zip is decided: include_files and exclude_files no longer
                // matter once it is made.
                if d.severity == Severity::Error && !manifest::validate::packaging_only(&d.key_path)
                {
                    report.error(d.without_severity().to_string());
                }
            }
            Some(manifest)
        }
        Err(e) => {
            report.error(e.to_string());
            None
        }
    }
}

pub(super) fn check_stack(path: &Path, manifest: &Manifest, report: &mut Report) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named_by_file = |stack: &str| file_name.contains(&format!("-{stack}-v"));
    let packaged_name = file_name.contains("_buildpack");
    match &manifest.stack {
        Some(stack) => {
            for d in &manifest.dependencies {
                if let Some(stacks) = &d.cf_stacks
                    && !stacks.iter().any(|s| s == stack)
                {
                    report.error(format!(
                        "dependencies[{}] ({} {}) is for {}, but the zip is for stack {stack}; package again with `--stack {stack}`, which leaves it out",
                        d.index,
                        d.name,
                        d.version,
                        stacks.join(", ")
                    ));
                }
            }
            if packaged_name && !named_by_file(stack) {
                report.warning(format!(
                    "the manifest says `stack: {stack}` but the file name does not name it (expected `-{stack}-v` in it)"
                ));
            }
        }
        None => {
            if let Some(stack) = manifest.stacks().into_iter().find(|s| named_by_file(s)) {
                report.warning(format!(
                    "the file name names stack {stack}, but the manifest has no `stack:`, so the buildpack is for any stack"
                ));
            }
        }
    }
}

/// A zip named as the packagers name one (`<language>_buildpack…-v<version>.zip`) whose name
/// gives another language than its manifest, or another version than its VERSION file: a zip
/// renamed, or one built from another tree, which a pipeline then uploads as what the name
/// says. Each is a warning, as the stack in the name is.
pub(super) fn check_name(
    path: &Path,
    manifest: &Manifest,
    archive: &mut zip::ZipArchive<File>,
    report: &mut Report,
) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(stem) = file_name
        .strip_suffix(".zip")
        .filter(|stem| stem.contains("_buildpack"))
    else {
        return;
    };
    let language = manifest.language();
    if !language.is_empty() && !stem.starts_with(&format!("{language}_buildpack")) {
        report.warning(format!(
            "the file name does not start with `{language}_buildpack`, though the manifest says `language: {language}`; the zip was renamed, or built from another buildpack"
        ));
    }
    if !stem.contains("-v") {
        return;
    }
    let Some(version) = zip_version(archive) else {
        return;
    };
    if !stem.ends_with(&format!("-v{version}")) {
        report.warning(format!(
            "the file name does not end in `-v{version}.zip`, though VERSION holds `{version}`; the zip was renamed, or built from another tree"
        ));
    }
}

/// The version the zip's VERSION file holds, trimmed as packaging trims it; `None` when it has
/// none that is text (its absence is reported elsewhere).
fn zip_version(archive: &mut zip::ZipArchive<File>) -> Option<String> {
    let entry = archive.by_name("VERSION").ok()?;
    if entry
        .unix_mode()
        .is_some_and(|mode| mode & 0o170_000 != 0o100_000 && mode & 0o170_000 != 0)
    {
        return None;
    }
    let mut text = String::new();
    // A VERSION is a few bytes; a bomb of one stops here.
    entry.take(64 << 10).read_to_string(&mut text).ok()?;
    let version = crate::version::from_version_file(&text);
    (!version.is_empty()).then(|| version.to_string())
}

/// A zip named cached (`…_buildpack-cached-…`) whose manifest has no `file:` at all is an
/// uncached zip renamed: on an air-gapped platform every staging would try to download.
pub(super) fn check_cached_name(path: &Path, manifest: &Manifest, report: &mut Report) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named_cached = file_name.contains("_buildpack-cached-");
    if named_cached
        && !manifest.dependencies.is_empty()
        && manifest.dependencies.iter().all(|d| d.file.is_none())
    {
        report.warning(
            "the file name says cached, but no dependency has a `file:` in it, so staging downloads every one; build it with `bpkit package --cached`",
        );
    }
}

/// Checks every dependency's `file:` and returns the entries it read to their end (or failed
/// to read, and said so), which the check of every entry's data need not read again.
pub(super) fn check_files(
    archive: &mut zip::ZipArchive<File>,
    names: &BTreeSet<String>,
    manifest: &Manifest,
    report: &mut Report,
) -> BTreeSet<String> {
    let mut referenced = BTreeSet::new();
    let mut read = BTreeSet::new();
    let mut without_file = 0;
    for d in &manifest.dependencies {
        let Some(file) = &d.file else {
            without_file += 1;
            continue;
        };
        referenced.insert(file.clone());
        let label = format!("dependencies[{}] ({} {})", d.index, d.name, d.version);
        if !names.contains(file) {
            report.error(format!(
                "{label}: file `{file}` is not in the zip; package it again (`bpkit package --cached`), which puts every `file:` in it"
            ));
            continue;
        }
        let checksums: Checksums = d.checksums();
        if checksums.is_empty() {
            report.error(format!(
                "{label}: no sha256 or md5 to check `{file}` against; give the dependency its sha256 in the manifest and package again"
            ));
            continue;
        }
        read.insert(file.clone());
        let digests = archive
            .by_name(file)
            .map_err(|e| e.to_string())
            .and_then(|mut entry| {
                checksum::digest_reader(&mut entry, checksums.md5.is_some())
                    .map_err(|e| e.to_string())
            });
        match digests {
            Ok(digests) => match checksums.verify(&digests) {
                Ok(()) => report.dependencies_checked += 1,
                Err(mismatch) => report.error(format!(
                    "{label}: `{file}`: {mismatch}; the zip holds another file than the manifest names (changed after packaging): package it again"
                )),
            },
            Err(cause) => report.error(format!("{label}: cannot read `{file}`: {cause}")),
        }
    }
    if !referenced.is_empty() && without_file > 0 {
        report.warning(format!(
            "{without_file} {} no `file:` in this cached zip and will be downloaded when staging",
            if without_file == 1 {
                "dependency has"
            } else {
                "dependencies have"
            }
        ));
    }
    for name in names {
        if name.starts_with("dependencies/") && !name.ends_with('/') && !referenced.contains(name) {
            report.warning(format!(
                "{name} is in the zip but no dependency's `file:` names it"
            ));
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::MANIFEST_READ_LIMIT;
    use crate::packager::verify::report::Finding;
    use crate::packager::verify::test_zip;

    /// `read_manifest` of a zip holding these entries: what it gives back, and the report.
    fn read(entries: &[(&str, u32, &[u8])]) -> (Option<Manifest>, Vec<Finding>) {
        let mut archive = test_zip::of(entries);
        let names = test_zip::names(&archive);
        let mut report = Report::default();
        let manifest = read_manifest(&mut archive, &names, &mut report);
        (manifest, report.findings)
    }

    fn messages(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(|f| f.message.clone()).collect()
    }

    /// `language: big` padded with a comment to exactly `size` bytes.
    fn manifest_of_size(size: usize) -> Vec<u8> {
        let mut text = b"language: big\n#".to_vec();
        text.resize(size - 1, b'a');
        text.push(b'\n');
        text
    }

    #[test]
    fn a_manifest_up_to_cloud_controllers_limit_is_valid_one_byte_more_is_not() {
        let (manifest, findings) =
            read(&[("manifest.yml", 0o644, &manifest_of_size(MANIFEST_LIMIT))]);
        assert_eq!(manifest.unwrap().language(), "big");
        assert_eq!(messages(&findings), Vec::<String>::new());

        let (manifest, findings) =
            read(&[("manifest.yml", 0o644, &manifest_of_size(MANIFEST_LIMIT + 1))]);
        // Still read: its other findings are worth having too.
        assert_eq!(manifest.unwrap().language(), "big");
        assert_eq!(
            messages(&findings),
            [
                "manifest.yml is 1048577 bytes; Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB"
            ]
        );
    }

    #[test]
    fn a_manifest_is_read_up_to_the_read_limit_and_refused_past_it() {
        let limit = usize::try_from(MANIFEST_READ_LIMIT).unwrap();
        let (manifest, findings) = read(&[("manifest.yml", 0o644, &manifest_of_size(limit))]);
        assert!(manifest.is_some());
        assert_eq!(
            messages(&findings),
            [format!(
                "manifest.yml is {limit} bytes; Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB"
            )]
        );

        let (manifest, findings) = read(&[("manifest.yml", 0o644, &manifest_of_size(limit + 1))]);
        assert!(manifest.is_none());
        assert_eq!(
            messages(&findings),
            [
                "manifest.yml is over 16 MiB; Cloud Controller refuses a buildpack whose manifest.yml is over 1 MiB"
            ]
        );
    }

    #[test]
    fn the_manifests_errors_are_reported_but_those_of_what_went_into_the_zip() {
        // include_files decided what went into the zip: its `..` no longer matters. An unknown
        // key is a warning of the manifest's, which the zip's report leaves out.
        let text = format!(
            "language: x\ninclude_files: [../x]\nsurprise: 1\ndependencies: [{{name: a, version: '1', sha256: {}}}]\n",
            "0".repeat(64)
        );
        let (manifest, findings) = read(&[("manifest.yml", 0o644, text.as_bytes())]);
        assert!(manifest.is_some());
        assert_eq!(
            messages(&findings),
            [
                "manifest.yml:4:16: dependencies[0].uri: required key is missing; add the URL it is downloaded from"
            ]
        );
        assert!(
            findings
                .iter()
                .all(|f| f.severity == crate::manifest::Severity::Error)
        );
    }

    /// `check_name` of a zip at `file_name` whose manifest says `language: ruby` and which
    /// holds these entries.
    fn name_findings(file_name: &str, entries: &[(&str, u32, &[u8])]) -> Vec<String> {
        let mut archive = test_zip::of(entries);
        let (manifest, _) = Manifest::parse("language: ruby\n", Path::new("manifest.yml")).unwrap();
        let mut report = Report::default();
        check_name(
            Path::new("/out").join(file_name).as_path(),
            &manifest,
            &mut archive,
            &mut report,
        );
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.severity == Severity::Warning)
        );
        messages(&report.findings)
    }

    #[test]
    fn a_file_name_is_checked_against_the_language_and_the_version_file() {
        let version: &[(&str, u32, &[u8])] = &[("VERSION", 0o644, b"1.2.3\n")];
        assert!(name_findings("ruby_buildpack-cached-cflinuxfs4-v1.2.3.zip", version).is_empty());
        assert_eq!(
            name_findings("ruby_buildpack-v1.2.4.zip", version),
            [
                "the file name does not end in `-v1.2.3.zip`, though VERSION holds `1.2.3`; the zip was renamed, or built from another tree"
            ]
        );
        assert_eq!(
            name_findings("go_buildpack-v1.2.3.zip", version),
            [
                "the file name does not start with `ruby_buildpack`, though the manifest says `language: ruby`; the zip was renamed, or built from another buildpack"
            ]
        );
        // Not named as the packagers name a zip, or with no version in the name: nothing to
        // check it against.
        assert!(name_findings("buildpack.zip", version).is_empty());
        assert!(name_findings("ruby_buildpack-v1.2.4.tgz", version).is_empty());
        assert!(name_findings("ruby_buildpack-latest.zip", version).is_empty());
    }

    #[test]
    fn only_a_version_file_that_is_a_file_holding_text_gives_the_version() {
        // A link's data is its target's path, no version.
        let link: &[(&str, u32, &[u8])] = &[("VERSION", 0o120_777, b"1.2.4")];
        assert!(name_findings("ruby_buildpack-v1.2.3.zip", link).is_empty());
        // A mode with no file type bits (permissions alone, as some zip tools write them) is
        // a file's.
        let mut bytes = test_zip::bytes(&[("VERSION", 0o644, b"1.2.4")]);
        test_zip::set_mode(&mut bytes, "VERSION", 0o644);
        let mut archive = test_zip::open(&bytes);
        assert_eq!(archive.by_name("VERSION").unwrap().unix_mode(), Some(0o644));
        assert_eq!(zip_version(&mut archive).as_deref(), Some("1.2.4"));
        // Not text, empty, or missing: no version to compare.
        for entries in [
            &[("VERSION", 0o644, &b"\xff1.2.4"[..])][..],
            &[("VERSION", 0o644, &b" \n"[..])][..],
            &[][..],
        ] {
            assert!(name_findings("ruby_buildpack-v1.2.3.zip", entries).is_empty());
        }
    }
}
