//! `bpkit verify ZIP`: check a built buildpack zip the way the platform will use it — the
//! manifest parses and is under Cloud Controller's 1 MiB limit, every `file:` is in the zip
//! with the manifest's checksums, `bin/` entries are executable, the phases exist, `bin/bpkit`
//! is a binary and not the bootstrap script, entries and links stay inside the zip, and the
//! stack in the manifest agrees with its dependencies and the file name.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use serde_json::json;

use crate::checksum::{self, Checksums};
use crate::manifest::{self, Manifest, Severity};

use super::MANIFEST_LIMIT;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
}

/// Everything found in one zip.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub zip: PathBuf,
    pub entries: usize,
    /// Dependencies whose file was found and hashed.
    pub dependencies_checked: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    fn error(&mut self, message: impl Into<String>) {
        self.findings.push(Finding {
            severity: Severity::Error,
            message: message.into(),
        });
    }

    fn warning(&mut self, message: impl Into<String>) {
        self.findings.push(Finding {
            severity: Severity::Warning,
            message: message.into(),
        });
    }

    /// One line per finding: `ZIP: error: message`.
    pub fn lines(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let word = if f.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            // Names in messages come from the zip: a line break in one would forge a finding
            // of its own, an escape sequence would rewrite the terminal. Both are escaped.
            let mut message = String::with_capacity(f.message.len());
            for c in f.message.chars() {
                if c.is_control() {
                    message.extend(c.escape_default());
                } else {
                    message.push(c);
                }
            }
            let _ = writeln!(out, "{}: {word}: {message}", self.zip.display());
        }
        out
    }

    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "zip": self.zip.display().to_string(),
            "valid": self.errors() == 0,
            "entries": self.entries,
            "dependencies_checked": self.dependencies_checked,
            "errors": self.errors(),
            "warnings": self.warnings(),
            "findings": self.findings.iter().map(|f| json!({
                "severity": if f.severity == Severity::Error { "error" } else { "warning" },
                "message": f.message,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Why the zip cannot be opened, with the fix for the usual case (a mistyped path).
fn open_problem(cause: &io::Error) -> String {
    if cause.kind() == io::ErrorKind::NotFound {
        "no such file; give the path of a buildpack zip".to_string()
    } else {
        cause.to_string()
    }
}

/// Why a zip could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot open {}: {}", path.display(), open_problem(cause))]
    CannotOpen { path: PathBuf, cause: io::Error },
    #[error(
        "{} is not a readable zip ({cause}): it is truncated, corrupt or not a zip; give the path of a buildpack zip, as `bpkit package` prints it",
        path.display()
    )]
    NotAZip { path: PathBuf, cause: String },
    #[error("{} is {found}, not a zip file; give the path of a buildpack zip", path.display())]
    NotAFile { path: PathBuf, found: &'static str },
}

const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFDIR: u32 = 0o040_000;

/// The longest path Linux follows (`PATH_MAX`, terminating NUL included).
const PATH_MAX: usize = 4096;

/// Check the zip at `path`.
pub fn verify(path: &Path) -> Result<Report, VerifyError> {
    // Look before opening: opening a fifo blocks until a writer comes.
    let kind = std::fs::metadata(path)
        .map_err(|cause| VerifyError::CannotOpen {
            path: path.to_path_buf(),
            cause,
        })?
        .file_type();
    if !kind.is_file() {
        return Err(VerifyError::NotAFile {
            path: path.to_path_buf(),
            found: if kind.is_dir() {
                "a folder"
            } else {
                "a special file (a fifo, a device or a socket)"
            },
        });
    }
    let file = File::open(path).map_err(|cause| VerifyError::CannotOpen {
        path: path.to_path_buf(),
        cause,
    })?;
    let not_a_zip = |e: &dyn std::fmt::Display| VerifyError::NotAZip {
        path: path.to_path_buf(),
        cause: e.to_string(),
    };
    let mut archive = zip::ZipArchive::new(file).map_err(|e| not_a_zip(&e))?;
    let mut report = Report {
        zip: path.to_path_buf(),
        entries: archive.len(),
        ..Report::default()
    };

    // Names, kinds and modes of every entry.
    let mut names = BTreeSet::new();
    let mut links = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| not_a_zip(&e))?;
        let Ok(name) = entry.name().map(std::borrow::Cow::into_owned) else {
            report.error(format!("entry {i} has a name that is not valid UTF-8"));
            continue;
        };
        let mode = entry.unix_mode().unwrap_or(0);
        let kind = mode & S_IFMT;
        if name.contains('\0') {
            report.error(format!(
                "entry `{}` has a NUL in its name; extractors cut the name there",
                name.replace('\0', "\\0")
            ));
        }
        if name.starts_with('/')
            || name.contains('\\')
            || Path::new(&name)
                .components()
                .any(|c| matches!(c, Component::ParentDir))
        {
            report.error(format!(
                "entry `{name}` is absolute or contains `..`; extracting it would write outside the buildpack"
            ));
        }
        let is_dir = name.ends_with('/') || kind == S_IFDIR;
        if kind == S_IFLNK {
            links.push(name.clone());
        } else if !is_dir
            && name.starts_with("bin/")
            && !name[4..].contains('/')
            && mode & 0o100 == 0
        {
            report.error(format!(
                "{name} is not executable (mode {:o}); the platform cannot run it (staging fails with exit 223); package with `bpkit package`, which makes bin/* 0755",
                mode & 0o7777
            ));
        }
        names.insert(name);
    }
    // The zip crate keeps one copy of a name given twice; `unzip` and Go's archive/zip extract
    // both, the last one winning. Which copy is hashed below is then no proof of which one the
    // platform installs.
    if archive.has_duplicate_names() {
        report.error(
            "some entry name is in the zip more than once; extractors disagree on which copy wins, so the copy checked may not be the one installed",
        );
    }
    let link_names: BTreeSet<&str> = links.iter().map(String::as_str).collect();
    for name in &names {
        if let Some(link) = link_above(name, &link_names) {
            report.error(format!(
                "entry `{name}` is inside the symlink {link}; extracting it would write through the link"
            ));
        }
    }
    for name in &links {
        let mut bytes = Vec::new();
        if let Ok(entry) = archive.by_name(name) {
            // A link's content is a path; a crafted zip can make it gigabytes that deflate to
            // kilobytes, so read no more than a path can be (and one byte to notice more).
            let _ = entry.take(PATH_MAX as u64 + 1).read_to_end(&mut bytes);
        }
        // Unchecked is unsafe: a target that is not text could still lead anywhere.
        let Ok(target) = String::from_utf8(bytes) else {
            report.error(format!(
                "symlink {name} points to a path that is not UTF-8 text, which cannot be checked to stay inside the buildpack; make it a plain relative link"
            ));
            continue;
        };
        if target.len() > PATH_MAX {
            report.error(format!(
                "symlink {name} points to a path longer than {PATH_MAX} bytes, which no system can follow; make it a short relative link"
            ));
            continue;
        }
        match link_problem(name, &target, &link_names) {
            None => {}
            Some(LinkProblem::Outside) => report.error(format!(
                "symlink {name} points to `{target}`, outside the buildpack"
            )),
            Some(LinkProblem::ClimbsOutOf(link)) => report.error(format!(
                "symlink {name} points to `{target}`, which climbs (`..`) out of the symlink {link} and may lead outside the buildpack; make it a plain relative link"
            )),
        }
    }

    check_phases(&mut archive, &names, &mut report);

    let Some(manifest) = read_manifest(&mut archive, &names, &mut report) else {
        return Ok(report);
    };
    check_stack(path, &manifest, &mut report);
    check_files(&mut archive, &names, &manifest, &mut report);
    check_cached_name(path, &manifest, &mut report);
    if !names.contains("VERSION") {
        report.warning(
            "there is no VERSION file; the platform shows the buildpack's version from it",
        );
    }
    Ok(report)
}

/// The components of an entry name (`.` and empty ones dropped).
fn components(name: &str) -> impl Iterator<Item = &str> {
    name.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// The first symlink entry among the folders above `name` (`s` for `s/x`), if any.
fn link_above<'a>(name: &str, links: &BTreeSet<&'a str>) -> Option<&'a str> {
    let parts: Vec<&str> = components(name).collect();
    (1..parts.len()).find_map(|n| links.get(parts[..n].join("/").as_str()).copied())
}

/// Why a symlink's target may lead outside the zip's root.
#[derive(Debug, PartialEq, Eq)]
enum LinkProblem {
    /// Absolute, or more `..` than folders above it.
    Outside,
    /// A `..` after walking down through this other symlink: it climbs from wherever that link
    /// leads, not from its folder (`s -> .` then `t -> s/..`), so counting steps proves nothing.
    ClimbsOutOf(String),
}

/// Whether the symlink entry `name` pointing to `target` stays inside the zip's root. `links`
/// are the zip's symlink entries. Walking down through a link is fine (that link is checked
/// too); a `..` after it is not, as in bpkit's own extraction (`archive/target.rs`).
fn link_problem(name: &str, target: &str, links: &BTreeSet<&str>) -> Option<LinkProblem> {
    if target.starts_with('/') {
        return Some(LinkProblem::Outside);
    }
    let mut at: Vec<&str> = components(name).collect();
    at.pop();
    let mut through: Option<String> = None;
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if let Some(link) = through {
                    return Some(LinkProblem::ClimbsOutOf(link));
                }
                if at.pop().is_none() {
                    return Some(LinkProblem::Outside);
                }
            }
            _ => {
                at.push(part);
                let walked = at.join("/");
                if through.is_none() && links.contains(walked.as_str()) {
                    through = Some(walked);
                }
            }
        }
    }
    None
}

fn has_phase(names: &BTreeSet<String>, phase: &str) -> bool {
    ["", ".bat", ".exe", ".ps1"]
        .iter()
        .any(|ext| names.contains(&format!("bin/{phase}{ext}")))
}

fn check_phases(
    archive: &mut zip::ZipArchive<File>,
    names: &BTreeSet<String>,
    report: &mut Report,
) {
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
}

fn read_manifest(
    archive: &mut zip::ZipArchive<File>,
    names: &BTreeSet<String>,
    report: &mut Report,
) -> Option<Manifest> {
    if !names.contains("manifest.yml") {
        report.error("there is no manifest.yml at the top of the zip; Cloud Controller needs it");
        return None;
    }
    let mut text = String::new();
    let read = archive
        .by_name("manifest.yml")
        .map_err(|e| e.to_string())
        .and_then(|entry| {
            entry
                .take(16 << 20)
                .read_to_string(&mut text)
                .map_err(|e| e.to_string())
        });
    if let Err(cause) = read {
        report.error(format!("cannot read manifest.yml: {cause}"));
        return None;
    }
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
                if d.severity == Severity::Error {
                    report.error(d.to_string());
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

fn check_stack(path: &Path, manifest: &Manifest, report: &mut Report) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named_by_file = |stack: &str| file_name.contains(&format!("-{stack}-v"));
    let packaged_name = file_name.contains("_buildpack");
    match &manifest.stack {
        Some(stack) => {
            for (i, d) in manifest.dependencies.iter().enumerate() {
                if let Some(stacks) = &d.cf_stacks
                    && !stacks.iter().any(|s| s == stack)
                {
                    report.error(format!(
                        "dependencies[{i}] ({} {}) is for {}, but the zip is for stack {stack}",
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

/// A zip named cached (`…_buildpack-cached-…`) whose manifest has no `file:` at all is an
/// uncached zip renamed: on an air-gapped platform every staging would try to download.
fn check_cached_name(path: &Path, manifest: &Manifest, report: &mut Report) {
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

fn check_files(
    archive: &mut zip::ZipArchive<File>,
    names: &BTreeSet<String>,
    manifest: &Manifest,
    report: &mut Report,
) {
    let mut referenced = BTreeSet::new();
    let mut without_file = 0;
    for (i, d) in manifest.dependencies.iter().enumerate() {
        let Some(file) = &d.file else {
            without_file += 1;
            continue;
        };
        referenced.insert(file.clone());
        let label = format!("dependencies[{i}] ({} {})", d.name, d.version);
        if !names.contains(file) {
            report.error(format!("{label}: file `{file}` is not in the zip"));
            continue;
        }
        let checksums: Checksums = d.checksums();
        if checksums.is_empty() {
            report.error(format!(
                "{label}: no sha256 or md5 to check `{file}` against"
            ));
            continue;
        }
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
                Err(mismatch) => report.error(format!("{label}: `{file}`: {mismatch}")),
            },
            Err(cause) => report.error(format!("{label}: cannot read `{file}`: {cause}")),
        }
    }
    if !referenced.is_empty() && without_file > 0 {
        report.warning(format!(
            "{without_file} dependenc{} have no `file:` in this cached zip and will be downloaded when staging",
            if without_file == 1 { "y" } else { "ies" }
        ));
    }
    for name in names {
        if name.starts_with("dependencies/") && !name.ends_with('/') && !referenced.contains(name) {
            report.warning(format!(
                "{name} is in the zip but no dependency's `file:` names it"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_inside() {
        let none = BTreeSet::new();
        assert_eq!(link_problem("bin/x", "bpkit", &none), None);
        assert_eq!(link_problem("a/b/x", "../../c", &none), None);
        let outside = Some(LinkProblem::Outside);
        assert_eq!(link_problem("bin/x", "../../etc/passwd", &none), outside);
        assert_eq!(link_problem("bin/x", "/usr/bin/env", &none), outside);
        assert_eq!(link_problem("./bin//x", "../c/../..", &none), outside);
        let links = BTreeSet::from(["a/s", "r"]);
        assert_eq!(link_problem("t", "a/s/x", &links), None);
        assert_eq!(
            link_problem("t", "a/s/..", &links),
            Some(LinkProblem::ClimbsOutOf("a/s".into()))
        );
        assert_eq!(
            link_problem("d/t", "../r/x/..", &links),
            Some(LinkProblem::ClimbsOutOf("r".into()))
        );
        assert_eq!(link_above("a/s/f", &links), Some("a/s"));
        assert_eq!(link_above("a/s", &links), None);
        assert_eq!(link_above("r/", &links), None);
    }
}
