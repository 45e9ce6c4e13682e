//! The zip's `bin/`: the phases the platform runs are there, and `bin/bpkit` is the bpkit
//! binary, not the git checkout's bootstrap script or another program, and starts on the
//! stacks the zip is for.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, Read, Seek};

use super::report::Report;
use crate::manifest::Manifest;
use crate::packager::{linkage, stack_fit};

/// The largest `bin/bpkit` [`check_binary_fits`] unpacks to read (a release build is about
/// 8 MiB, a debug one about 120 MiB): a crafted zip's claimed size must not fill the disk.
const LARGEST_BINARY: u64 = 512 * 1024 * 1024;

fn has_phase(names: &BTreeSet<String>, phase: &str) -> bool {
    ["", ".bat", ".exe", ".ps1"]
        .iter()
        .any(|ext| names.contains(&format!("bin/{phase}{ext}")))
}

/// Returns whether `bin/bpkit` is the bpkit binary (for [`check_binary_fits`]).
pub(super) fn check_phases(
    archive: &mut zip::ZipArchive<File>,
    names: &BTreeSet<String>,
    report: &mut Report,
) -> bool {
    for phase in ["detect", "release"] {
        if !has_phase(names, phase) {
            report.error(format!(
                "there is no bin/{phase}; the platform runs it for every app"
            ));
        }
    }
    if !has_phase(names, "compile") && !has_phase(names, "finalize") {
        report.error("there is neither bin/compile nor bin/finalize; one of them builds the app");
    }
    let mut head = Vec::new();
    let bpkit_is_binary = match archive.by_name("bin/bpkit") {
        Ok(entry) => {
            let _ = entry.take(4).read_to_end(&mut head);
            Some(head.starts_with(b"\x7fELF"))
        }
        Err(_) => None,
    };
    if bpkit_is_binary == Some(false) {
        report.error(
            "bin/bpkit is a script (the git checkout's bootstrap), not the bpkit binary; build the zip with `bpkit package`, which puts the binary there",
        );
    }
    // An executable that is not bpkit (a zip made by hand, or with another `--binary`) runs
    // as every phase; every bpkit binary carries the packager's mark.
    let is_bpkit = bpkit_is_binary == Some(true)
        && archive
            .by_name("bin/bpkit")
            .is_ok_and(|entry| crate::packager::shim::reads_marker(entry).unwrap_or(false));
    if bpkit_is_binary == Some(true) && !is_bpkit {
        report.error(
            "bin/bpkit is an executable, but not bpkit (it lacks the mark every bpkit binary carries); build the zip with `bpkit package --binary` given the bpkit binary",
        );
    }
    if bpkit_is_binary.is_none() {
        for name in names.iter().filter(|n| n.starts_with("bin/")) {
            let mut text = String::new();
            if let Ok(entry) = archive.by_name(name) {
                let _ = entry.take(4096).read_to_string(&mut text);
            }
            if text.contains("/bin/bpkit\"") {
                report.error(format!("{name} runs bin/bpkit, which is not in the zip"));
                break;
            }
        }
    }
    is_bpkit
}

/// `bin/bpkit`, the bpkit binary, needs no newer glibc (and no other program loader)
/// than the stacks the zip is for have ([`stack_fit`]): the manifest's `stack:`, else the
/// stacks its dependencies name. A warning, as `bpkit package` gives.
pub(super) fn check_binary_fits(
    archive: &mut zip::ZipArchive<File>,
    manifest: &Manifest,
    report: &mut Report,
) {
    let stacks = stack_fit::zip_stacks(manifest.stack.as_deref(), manifest.stacks());
    // Unpacked to read (the dynamic segment the loader reads lies past the code): an
    // unreadable entry is reported by the check of every entry's data.
    let linkage = (|| -> io::Result<linkage::Linkage> {
        let mut entry = archive.by_name("bin/bpkit").map_err(io::Error::other)?;
        if entry.size() > LARGEST_BINARY {
            return Ok(linkage::Linkage::default());
        }
        let mut file = tempfile::tempfile()?;
        io::copy(&mut entry.by_ref().take(LARGEST_BINARY), &mut file)?;
        file.rewind()?;
        linkage::read(&mut file)
    })();
    if let Ok(linkage) = linkage
        && let Some(warning) = stack_fit::warning(&linkage, "bin/bpkit", &stacks)
    {
        report.warning(warning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::linkage::tests::executable;
    use crate::packager::verify::test_zip;
    use std::path::Path;

    /// An executable needing glibc 9.9, which no stack has.
    fn needing_the_future() -> Vec<u8> {
        executable(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &[("libc.so.6", &["GLIBC_2.2.5", "GLIBC_9.9"])],
        )
    }

    /// `check_binary_fits` of a zip whose `bin/bpkit` is `binary`, for cflinuxfs4.
    fn fit_findings(binary: &[u8]) -> Vec<String> {
        let mut archive = test_zip::of(&[("bin/bpkit", 0o755, binary)]);
        let (manifest, _) = Manifest::parse(
            "language: x\nstack: cflinuxfs4\n",
            Path::new("manifest.yml"),
        )
        .unwrap();
        let mut report = Report::default();
        check_binary_fits(&mut archive, &manifest, &mut report);
        assert_eq!(report.errors(), 0);
        report.findings.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn a_binary_needing_a_newer_glibc_than_the_stack_has_is_warned_about() {
        let findings = fit_findings(&needing_the_future());
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(
            findings[0]
                .starts_with("bin/bpkit needs glibc 9.9; cflinuxfs4 (Ubuntu 22.04) has glibc 2.35"),
            "{findings:?}"
        );
        let today = executable(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &[("libc.so.6", &["GLIBC_2.2.5", "GLIBC_2.34"])],
        );
        assert_eq!(fit_findings(&today), Vec::<String>::new());
    }

    #[test]
    fn a_binary_larger_than_any_bpkit_is_not_unpacked_to_be_read() {
        // A crafted zip's claim: what lies past its start is not looked at (here, zeros that
        // deflate to little), and the glibc it names is never read.
        let mut huge = needing_the_future();
        huge.resize(usize::try_from(LARGEST_BINARY).unwrap() + 1, 0);
        assert_eq!(fit_findings(&huge), Vec::<String>::new());
    }
}
