//! What the zip holds besides the dependencies: the tree after `pre_package` (run in a
//! temporary copy), the files selected from it, bpkit's own binary and `bin/<phase>` entries,
//! the packaged manifest and VERSION — each with the mode the zip gives it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dependencies::Dependencies;
use super::job::Job;
use super::prepackage::{self, PrePackageError};
use super::select::{self, Item};
use super::zipwriter::{Entries, Entry, Source};
use super::{BinLinks, Options, PackageError, shim, stack_fit};
use crate::output::Logger;

/// Every entry of the zip: the selected files, the packaged manifest, VERSION, bpkit's own
/// entries and the dependencies (pending until fetched).
pub(super) fn zip_entries(
    selection: select::Selection,
    manifest_text: &str,
    version: &str,
    generated: Vec<(String, Entry)>,
    dependencies: &Dependencies,
) -> Entries {
    let mut entries = Entries::new();
    for (path, item) in selection.items {
        let entry = match item {
            Item::Dir => Entry {
                source: Source::Dir,
                mode: 0o755,
            },
            Item::Symlink { target } => Entry {
                source: Source::Symlink(target),
                mode: 0o777,
            },
            Item::File { source, mode } => Entry {
                mode: file_mode(&path, mode),
                source: Source::File(source),
            },
        };
        entries.insert(path, entry);
    }
    let bytes = |text: &str| Entry {
        source: Source::Bytes(text.as_bytes().to_vec()),
        mode: 0o644,
    };
    entries.insert("manifest.yml".into(), bytes(manifest_text));
    // As the Go packager does, VERSION in the zip is the version packaged (`--version` wins).
    entries.insert("VERSION".into(), bytes(version));
    entries.extend(generated);
    for (path, pending) in &dependencies.files {
        entries.insert(
            path.clone(),
            Entry {
                source: Source::Pending(Arc::clone(pending)),
                mode: 0o644,
            },
        );
    }
    entries
}

/// What the zip lacks of the phases the platform runs (`no bin/detect`, `no bin/release`,
/// `neither bin/compile nor bin/finalize`), each also found as `.bat`, `.exe` or `.ps1`, as
/// `bpkit verify` looks for them.
pub(super) fn missing_phases(entries: &Entries) -> Vec<&'static str> {
    let has = |phase: &str| {
        ["", ".bat", ".exe", ".ps1"]
            .iter()
            .any(|ext| entries.contains_key(&format!("bin/{phase}{ext}")))
    };
    let mut missing = Vec::new();
    if !has("detect") {
        missing.push("no bin/detect");
    }
    if !has("release") {
        missing.push("no bin/release");
    }
    if !has("compile") && !has("finalize") {
        missing.push("neither bin/compile nor bin/finalize");
    }
    missing
}

/// Run `pre_package` in a temporary copy of the tree, which is returned (or `None` when there
/// is no `pre_package`). Like the Go packager, the copy's VERSION holds the version packaged;
/// a command that changes it or manifest.yml is refused, as what is packaged was read before.
pub(super) fn pre_package(
    job: &Job,
    options: &Options,
    logger: &Logger,
) -> Result<Option<prepackage::TreeCopy>, PackageError> {
    let Some(command) = job.manifest.pre_package.as_deref().map(str::trim) else {
        return Ok(None);
    };
    if command.is_empty() {
        return Ok(None);
    }
    let copy = prepackage::copy_tree(&job.root, &job.skip, job.manifest.include_files.is_none())?;
    let write_error = |path: PathBuf| {
        move |cause| PackageError::PrePackage(PrePackageError::CannotCopy { path, cause })
    };
    let version_file = copy.path().join("VERSION");
    fs::write(&version_file, &job.version).map_err(write_error(version_file.clone()))?;
    if options.manifest.is_some() {
        let target = copy.path().join("manifest.yml");
        fs::copy(&job.manifest_path, &target).map_err(write_error(target.clone()))?;
    }
    logger.step(&format!("Running pre_package: {command}"));
    prepackage::run(command, copy.path(), &job.root, logger)?;
    // What is packaged is the manifest read before pre_package: refuse a change rather than
    // drop it (the Go packager would package the changed one).
    let before = fs::read(&job.manifest_path).ok();
    let after = fs::read(copy.path().join("manifest.yml")).ok();
    if before.is_some() && before != after {
        return Err(PrePackageError::ChangedManifest {
            command: command.to_string(),
            manifest: job.manifest_path.clone(),
        }
        .into());
    }
    // So is the version, written into the copy above (spaces and line breaks around it
    // aside, as VERSION is read trimmed).
    let version = fs::read_to_string(&version_file).ok();
    if version.as_deref().map(str::trim) != Some(job.version.as_str()) {
        return Err(PrePackageError::ChangedVersion {
            command: command.to_string(),
            version: job.version.clone(),
        }
        .into());
    }
    Ok(Some(copy))
}

/// bpkit's own binary and the `bin/<phase>` entries, for a bpkit buildpack.
pub(super) fn bpkit_entries(
    tree: &Path,
    job: &Job,
    options: &Options,
    logger: &Logger,
) -> Result<Vec<(String, Entry)>, PackageError> {
    let Some(layout) = shim::detect(tree, job.manifest.include_files.as_deref())? else {
        if let Some(given) = &options.binary {
            // Said, not silently dropped: the author meant the zip to carry a bpkit.
            logger.warning(&format!(
                "--binary {} is not used: {} is not a bpkit buildpack (no bin/bpkit, and its bin/<phase> files are its own), so its zip carries no bpkit binary",
                given.display(),
                job.root.display()
            ));
        }
        return Ok(Vec::new());
    };
    let binary = shim::choose_binary(
        &job.root,
        &layout,
        options.binary.as_deref(),
        std::env::current_exe().ok(),
    )?;
    let phases = shim::generated_phases(tree);
    // `bin/{detect}` or `bin/{}` would read as a typo: one phase and none say so in words.
    let links = match phases.as_slice() {
        [] => "every bin/<phase> is the buildpack's own".to_string(),
        [one] => format!("bin/{one} is written as {}", options.bin_links.one()),
        many => format!(
            "bin/{{{}}} are written as {}",
            many.join(","),
            options.bin_links.as_str()
        ),
    };
    logger.detail(&format!("bin/bpkit is {}; {links}", binary.display()));
    if let Some(warning) = stack_fit_warning(&binary, job, options) {
        logger.warning(&warning);
    }
    Ok(shim::entries(&binary, &phases, options.bin_links))
}

/// Whether `binary` starts on the stacks the zip is for: `--stack`'s, else those the kept
/// dependencies name, else the supported cflinuxfs stacks ([`stack_fit`]).
fn stack_fit_warning(binary: &Path, job: &Job, options: &Options) -> Option<String> {
    let named: BTreeSet<&str> = job
        .plan
        .kept
        .iter()
        .filter_map(|&i| job.manifest.dependencies[i].cf_stacks.as_ref())
        .flatten()
        .map(String::as_str)
        .collect();
    let stacks = stack_fit::zip_stacks(options.stack.stack(), named.into_iter().collect());
    stack_fit::warning_for_file(
        binary,
        &format!("bin/bpkit ({})", binary.display()),
        &stacks,
    )
}

/// The tree's files, less what the packager writes itself.
pub(super) fn select_files(
    tree: &Path,
    job: &Job,
    generated: &[(String, Entry)],
    options: &Options,
    logger: &Logger,
) -> Result<select::Selection, PackageError> {
    let mut provided: BTreeSet<String> = ["manifest.yml".to_string(), "VERSION".to_string()].into();
    provided.extend(generated.iter().map(|(path, _)| path.clone()));
    let mut selection = select::select(
        tree,
        &select::Rules {
            include_files: job.manifest.include_files.as_deref(),
            exclude_files: &job.manifest.exclude_files,
            provided: &provided,
            keep_links: options.bin_links == BinLinks::Symlink,
            skip: &job.skip,
        },
    )
    .map_err(|error| match (error, job.manifest.pre_package.as_deref()) {
        (select::SelectError::Missing { index, path, .. }, Some(command)) if tree != job.root => {
            select::SelectError::MissingAfterPrePackage {
                index,
                path,
                root: job.root.clone(),
                command: command.trim().to_string(),
            }
        }
        (error, Some(command)) if tree != job.root => {
            error.in_copy(tree, &job.root, command.trim())
        }
        (error, _) => error,
    })?;
    if let Some(command) = job.manifest.pre_package.as_deref()
        && tree != job.root
    {
        selection.warnings_in_copy(tree, &job.root, command.trim());
    }
    for warning in &selection.warnings {
        logger.warning(warning);
    }
    for warning in earlier_zips_below_the_top(&selection, job) {
        logger.warning(&warning);
    }
    if let Some(list) = &job.manifest.include_files {
        for always in ["manifest.yml", "VERSION"] {
            // A glob such as `*` lists them too: warning then was wrong.
            if !list.iter().any(|p| super::select::lists(p, always)) {
                logger.warning(&format!(
                    "include_files does not list {always}; it is always included"
                ));
            }
        }
    }
    Ok(selection)
}

/// A warning for each selected file below the top of the folder named as a zip of this
/// buildpack (`dist/demo_buildpack-v1.0.0.zip`, from an earlier `--output-dir dist`): only
/// those at the top are left out (deeper down such names may be a buildpack's own fixtures),
/// so a plain `bpkit package` after one into `dist/` packed that zip into the new one without
/// a word.
fn earlier_zips_below_the_top(selection: &select::Selection, job: &Job) -> Vec<String> {
    let own = format!("{}_buildpack", job.manifest.language());
    selection
        .items
        .iter()
        .filter(|(_, item)| matches!(item, Item::File { .. }))
        .filter_map(|(path, _)| {
            let (folder, name) = path.rsplit_once('/')?;
            (name.starts_with(&own) && super::name::looks_like_output(name)).then(|| {
                let fix = if job.manifest.include_files.is_some() {
                    "delete it, or list less in include_files".to_string()
                } else {
                    format!("delete it, or leave its folder out with exclude_files (`{folder}/`)")
                };
                format!(
                    "{path} looks like an earlier zip of this buildpack, and only those at the top of the folder are left out, so it is packaged; {fix}"
                )
            })
        })
        .collect()
}

/// Everything under `bin/` is 0755; other files 0755 when any execute bit is set, else 0644.
/// Normalising (rather than keeping the umask's accidents) makes zips of two clones identical,
/// and a restrictive umask once broke staging with exit 223.
fn file_mode(path: &str, mode: u32) -> u32 {
    if path.starts_with("bin/") || mode & 0o111 != 0 {
        0o755
    } else {
        0o644
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::pending::Pending;

    fn entry(source: Source, mode: u32) -> Entry {
        Entry { source, mode }
    }

    /// A buildpack folder with `manifest` and VERSION 1.0.0, and the job `options` decide
    /// for it (`options.dir` is set to the folder).
    fn decided(manifest: &str, mut options: Options) -> (tempfile::TempDir, Job, Options) {
        let temp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(temp.path()).unwrap();
        fs::write(root.join("manifest.yml"), manifest).unwrap();
        fs::write(root.join("VERSION"), "1.0.0").unwrap();
        options.dir = root;
        let (logger, _) = Logger::capture();
        let job = super::super::job::decide(&options, &logger).unwrap();
        (temp, job, options)
    }

    /// pre_package runs in a copy whose VERSION is the version packaged and whose manifest
    /// is the one given; the buildpack folder is left as it was.
    #[test]
    fn pre_package_runs_in_a_copy_with_the_version_and_manifest_packaged() {
        let mut options = Options::new("");
        options.version = Some("2.0.0".into());
        let (temp, job, options) = decided(
            "language: demo\npre_package: 'cat VERSION > seen; head -1 manifest.yml > first'\n",
            options,
        );
        let (logger, log) = Logger::capture();
        let copy = pre_package(&job, &options, &logger).unwrap().unwrap();
        assert_eq!(
            fs::read_to_string(copy.path().join("seen")).unwrap(),
            "2.0.0"
        );
        assert_eq!(
            fs::read_to_string(copy.path().join("first")).unwrap(),
            "language: demo\n"
        );
        assert!(!job.root.join("seen").exists());
        assert!(
            log.text().starts_with(
                "-----> Running pre_package: cat VERSION > seen; head -1 manifest.yml > first\n"
            ),
            "{}",
            log.text()
        );
        // --manifest: the copy's manifest.yml is that one.
        let other = temp.path().join("other.yml");
        fs::write(
            &other,
            "language: other\npre_package: head -1 manifest.yml > first\n",
        )
        .unwrap();
        let mut options = Options::new(&job.root);
        options.manifest = Some(other.clone());
        let (logger, _) = Logger::capture();
        let job = super::super::job::decide(&options, &logger).unwrap();
        let copy = pre_package(&job, &options, &logger).unwrap().unwrap();
        assert_eq!(
            fs::read_to_string(copy.path().join("first")).unwrap(),
            "language: other\n"
        );
    }

    /// No pre_package, or a blank one, runs nothing; one that changes or removes
    /// manifest.yml is refused (what is packaged is the manifest read before it ran).
    #[test]
    fn pre_package_may_not_change_the_manifest() {
        for manifest in ["language: demo\n", "language: demo\npre_package: '  '\n"] {
            let (_temp, job, options) = decided(manifest, Options::new(""));
            let (logger, log) = Logger::capture();
            assert!(pre_package(&job, &options, &logger).unwrap().is_none());
            assert_eq!(log.text(), "");
        }
        for command in ["echo '# more' >> manifest.yml", "rm manifest.yml"] {
            let (_temp, job, options) = decided(
                &format!("language: demo\npre_package: \"{command}\"\n"),
                Options::new(""),
            );
            let (logger, _) = Logger::capture();
            let err = pre_package(&job, &options, &logger).err().unwrap();
            assert_eq!(
                err.to_string(),
                format!(
                    "pre_package `{command}` changed manifest.yml, and bpkit packages {} as it was before pre_package ran; make pre_package leave manifest.yml alone, or write the manifest before running bpkit package",
                    job.manifest_path.display()
                )
            );
        }
    }

    /// A pre_package that changes or removes VERSION is refused, as one that changes the
    /// manifest is: the zip (and its name) hold the version read before it ran, and the
    /// change was dropped without a word. Rewriting the same version is fine.
    #[test]
    fn pre_package_may_not_change_the_version() {
        for command in [
            "echo 9.9.9 > VERSION",
            "rm VERSION",
            "printf '1.0.0-dev' > VERSION",
        ] {
            let (_temp, job, options) = decided(
                &format!("language: demo\npre_package: \"{command}\"\n"),
                Options::new(""),
            );
            let (logger, _) = Logger::capture();
            let err = pre_package(&job, &options, &logger).err().unwrap();
            assert_eq!(
                err.to_string(),
                format!(
                    "pre_package `{command}` changed VERSION, and bpkit packages version 1.0.0, read before pre_package ran (the zip's name holds it too); make pre_package leave VERSION alone, or write VERSION (or pass --version) before running bpkit package"
                )
            );
        }
        for command in ["echo 1.0.0 > VERSION", "touch VERSION", "cat VERSION"] {
            let (_temp, job, options) = decided(
                &format!("language: demo\npre_package: \"{command}\"\n"),
                Options::new(""),
            );
            let (logger, _) = Logger::capture();
            assert!(pre_package(&job, &options, &logger).is_ok(), "{command}");
        }
    }

    /// include_files must list manifest.yml and VERSION, or it is said that they are
    /// included anyway (a glob listing them counts); what the packager writes itself is not
    /// taken from the tree.
    #[test]
    fn include_files_that_leave_out_the_manifest_or_version_are_warned_about() {
        let (_temp, job, options) = decided(
            "language: demo\ninclude_files: [README]\n",
            Options::new(""),
        );
        fs::write(job.root.join("README"), "read me").unwrap();
        fs::create_dir_all(job.root.join("bin")).unwrap();
        fs::write(job.root.join("bin/detect"), "#!/bin/sh\n").unwrap();
        let (logger, log) = Logger::capture();
        let generated = vec![(
            "README".to_string(),
            entry(Source::Bytes(b"generated".to_vec()), 0o644),
        )];
        let selection = select_files(&job.root, &job, &generated, &options, &logger).unwrap();
        assert_eq!(
            selection.items.keys().collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
        assert_eq!(
            log.text(),
            "       **WARNING** include_files does not list manifest.yml; it is always included\n       **WARNING** include_files does not list VERSION; it is always included\n"
        );
        let (_temp, job, options) =
            decided("language: demo\ninclude_files: ['*']\n", Options::new(""));
        fs::write(job.root.join("README"), "read me").unwrap();
        let (logger, log) = Logger::capture();
        select_files(&job.root, &job, &[], &options, &logger).unwrap();
        assert_eq!(log.text(), "");
    }

    /// A file include_files names that is missing from the copy pre_package ran in is named
    /// in the buildpack folder, with the command that did not make it; a warning about a
    /// path in the copy names it in the buildpack folder too.
    #[test]
    fn what_is_missing_or_left_out_after_pre_package_is_named_in_the_buildpack() {
        let (temp, job, options) = decided(
            "language: demo\npre_package: make\ninclude_files: [manifest.yml, VERSION, built]\n",
            Options::new(""),
        );
        let copy = temp.path().join("copy");
        fs::create_dir_all(&copy).unwrap();
        let (logger, _) = Logger::capture();
        let err = select_files(&copy, &job, &[], &options, &logger).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "include_files[2]: `built` does not exist in {}, and pre_package `make` (run in a temporary copy of it) did not create it; create it, have pre_package create it, or remove it from include_files",
                job.root.display()
            )
        );
        // Another error in the copy names the buildpack folder's path, and the command.
        let _socket = std::os::unix::net::UnixListener::bind(copy.join("built")).unwrap();
        let err = select_files(&copy, &job, &[], &options, &logger).unwrap_err();
        let in_copy = err.to_string();
        assert!(
            in_copy.contains(&job.root.join("built").display().to_string())
                && in_copy
                    .ends_with(" (found after pre_package `make`, which runs in a temporary copy)"),
            "{in_copy}"
        );
        // In the buildpack folder itself (no copy), the plain messages.
        let err = select_files(&job.root, &job, &[], &options, &logger).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "create it (or have pre_package create it) or remove it from include_files"
            ),
            "{err}"
        );
        let _socket = std::os::unix::net::UnixListener::bind(job.root.join("built")).unwrap();
        let err = select_files(&job.root, &job, &[], &options, &logger)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("built") && !err.contains("pre_package"),
            "{err}"
        );

        let (temp, job, options) = decided(
            "language: demo\npre_package: make\ninclude_files: [manifest.yml, VERSION, sub]\n",
            Options::new(""),
        );
        let copy = fs::canonicalize(temp.path()).unwrap().join("copy");
        fs::create_dir_all(copy.join("sub")).unwrap();
        let _socket = std::os::unix::net::UnixListener::bind(copy.join("sub/sock")).unwrap();
        let (logger, log) = Logger::capture();
        select_files(&copy, &job, &[], &options, &logger).unwrap();
        assert_eq!(
            log.text(),
            format!(
                "       **WARNING** {}/sub/sock is not a regular file, folder or symlink; it is left out (found after pre_package `make`, which runs in a temporary copy)\n",
                job.root.display()
            )
        );
    }

    /// A link that stays inside the buildpack is kept as a link with `--bin-links symlink`,
    /// else replaced by the file it points to.
    #[test]
    fn links_are_kept_only_with_bin_links_symlink() {
        let mut options = Options::new("");
        options.bin_links = BinLinks::Symlink;
        let (_temp, job, options) = decided("language: demo\n", options);
        fs::write(job.root.join("README"), "read me").unwrap();
        std::os::unix::fs::symlink("README", job.root.join("READ")).unwrap();
        let (logger, _) = Logger::capture();
        let kept = select_files(&job.root, &job, &[], &options, &logger).unwrap();
        assert!(matches!(&kept.items["READ"], Item::Symlink { target } if target == "README"));
        let followed = Options {
            bin_links: BinLinks::Shim,
            ..options
        };
        let selection = select_files(&job.root, &job, &[], &followed, &logger).unwrap();
        assert!(
            matches!(&selection.items["READ"], Item::File { source, .. } if source.ends_with("README"))
        );
    }

    /// A zip of this buildpack below the top of the folder is packaged, and said so with the
    /// fix for how files are chosen; one at the top (left out), another buildpack's, and a
    /// folder so named are not.
    #[test]
    fn earlier_zips_of_this_buildpack_below_the_top_are_warned_about() {
        let file = || Item::File {
            source: "/x".into(),
            mode: 0o644,
        };
        let selection = select::Selection {
            items: [
                ("demo_buildpack-v1.0.0.zip".to_string(), file()),
                ("dist/demo_buildpack-cached-v1.0.0.zip".to_string(), file()),
                ("dist/other_buildpack-v1.0.0.zip".to_string(), file()),
                ("dist/demo_buildpack-v2.zip".to_string(), Item::Dir),
                ("dist/demo_notes.zip".to_string(), file()),
            ]
            .into(),
            warnings: Vec::new(),
        };
        let (_temp, job, _) = decided("language: demo\n", Options::new(""));
        assert_eq!(
            earlier_zips_below_the_top(&selection, &job),
            [
                "dist/demo_buildpack-cached-v1.0.0.zip looks like an earlier zip of this buildpack, and only those at the top of the folder are left out, so it is packaged; delete it, or leave its folder out with exclude_files (`dist/`)"
            ]
        );
        let (_temp, job, _) = decided("language: demo\ninclude_files: ['*']\n", Options::new(""));
        assert_eq!(
            earlier_zips_below_the_top(&selection, &job),
            [
                "dist/demo_buildpack-cached-v1.0.0.zip looks like an earlier zip of this buildpack, and only those at the top of the folder are left out, so it is packaged; delete it, or list less in include_files"
            ]
        );
    }

    /// Every part of the zip in one map: the selected files with normalised modes, folders
    /// and links as they are, the packaged manifest and VERSION as bytes (over any file of
    /// those names), bpkit's own entries, and each dependency pending its fetch.
    #[test]
    fn the_entries_are_the_selection_the_texts_bpkits_own_and_the_dependencies() {
        let selection = select::Selection {
            items: [
                ("bin".to_string(), Item::Dir),
                (
                    "bin/compile".to_string(),
                    Item::File {
                        source: "/bp/bin/compile".into(),
                        mode: 0o600,
                    },
                ),
                (
                    "lib/x.rb".to_string(),
                    Item::File {
                        source: "/bp/lib/x.rb".into(),
                        mode: 0o664,
                    },
                ),
                (
                    "latest".to_string(),
                    Item::Symlink {
                        target: "lib".into(),
                    },
                ),
                (
                    "VERSION".to_string(),
                    Item::File {
                        source: "/bp/VERSION".into(),
                        mode: 0o644,
                    },
                ),
            ]
            .into(),
            warnings: Vec::new(),
        };
        let generated = vec![(
            "bin/detect".to_string(),
            entry(Source::Bytes(b"shim".to_vec()), 0o755),
        )];
        let file = Pending::new();
        let dependencies = Dependencies {
            packaged: Vec::new(),
            kept: Vec::new(),
            files: [("dependencies/abc/a.tgz".to_string(), Arc::clone(&file))].into(),
            by_uri: std::collections::BTreeMap::new(),
        };
        let entries = zip_entries(selection, "language: x\n", "1.10", generated, &dependencies);
        let expected: Entries = [
            ("VERSION", entry(Source::Bytes(b"1.10".to_vec()), 0o644)),
            ("bin", entry(Source::Dir, 0o755)),
            (
                "bin/compile",
                entry(Source::File("/bp/bin/compile".into()), 0o755),
            ),
            ("bin/detect", entry(Source::Bytes(b"shim".to_vec()), 0o755)),
            (
                "dependencies/abc/a.tgz",
                entry(Source::Pending(file), 0o644),
            ),
            ("latest", entry(Source::Symlink("lib".into()), 0o777)),
            (
                "lib/x.rb",
                entry(Source::File("/bp/lib/x.rb".into()), 0o644),
            ),
            (
                "manifest.yml",
                entry(Source::Bytes(b"language: x\n".to_vec()), 0o644),
            ),
        ]
        .into_iter()
        .map(|(path, entry)| (path.to_string(), entry))
        .collect();
        assert_eq!(entries, expected);
    }

    /// What the platform would find missing: detect, release, and compile or finalize, each
    /// also as a Windows program or script.
    #[test]
    fn the_missing_phases_are_named() {
        let with = |paths: &[&str]| -> Entries {
            paths
                .iter()
                .map(|path| (path.to_string(), entry(Source::Dir, 0o755)))
                .collect()
        };
        assert_eq!(
            missing_phases(&with(&["bin/supply", "bin"])),
            [
                "no bin/detect",
                "no bin/release",
                "neither bin/compile nor bin/finalize"
            ]
        );
        assert_eq!(
            missing_phases(&with(&["bin/detect", "bin/release", "bin/finalize"])),
            Vec::<&str>::new()
        );
        assert_eq!(
            missing_phases(&with(&[
                "bin/detect.bat",
                "bin/release.exe",
                "bin/compile.ps1"
            ])),
            Vec::<&str>::new()
        );
        assert_eq!(
            missing_phases(&with(&["bin/detect", "bin/compile", "release"])),
            ["no bin/release"]
        );
    }

    #[test]
    fn modes_are_normalised() {
        assert_eq!(file_mode("bin/detect", 0o600), 0o755);
        assert_eq!(file_mode("lib/x.rb", 0o600), 0o644);
        assert_eq!(file_mode("lib/tool", 0o700), 0o755);
        assert_eq!(file_mode("README", 0o664), 0o644);
    }
}
