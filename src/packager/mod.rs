//! `bpkit package`: a buildpack folder in, a zip that `cf create-buildpack` accepts out
//! (packager.md). This file is the order of the steps; each step is its own module:
//!
//! - [`plan`]: which dependencies go in (stack, defaults, profiles) — the Go packager's checks.
//! - [`name`]: the zip's file name.
//! - [`prepackage`]: `pre_package` in a temporary copy.
//! - [`select`]: which files of the tree go in (`include_files` / `exclude_files`, symlinks).
//! - [`shim`]: the bpkit binary and `bin/<phase>` entries of a bpkit buildpack.
//! - [`rewrite`]: the packaged `manifest.yml`.
//! - [`zipwriter`]: the deterministic zip, written to a temporary file and renamed.
//! - [`fetching`]: the dependencies fetched into the cache, one file per URI, in the zip's order.
//! - [`pending`]: a dependency still downloading, which the zip writer follows as it arrives.
//! - [`outcome`], [`error`]: what was built (the `--json` document), and why it was not.
//! - [`summary`], [`verify`]: the dependency tables of `bpkit summary/list/defaults` (and of the
//!   `buildpack-packager` drop-in, whose command line is [`crate::cli::compat`]), `bpkit verify`;
//!   `go_sort` is Go's `sort.Sort`, which orders `summary` as the Go packager does.
//! - [`prefetch`]: `bpkit fetch`, the cache filled as a cached zip would fill it, no zip.
//!
//! Dependencies are fetched by [`crate::fetch`] into the Go packager's cache layout.

pub mod error;
pub mod fetching;
mod go_sort;
pub mod name;
pub mod outcome;
pub mod pending;
pub mod plan;
pub mod prefetch;
pub mod prepackage;
pub mod rewrite;
pub mod select;
pub mod shim;
pub mod summary;
pub mod verify;
pub mod zipwriter;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::checksum;
use crate::fetch::{self, Mode};
use crate::manifest::{Manifest, Severity};
use crate::output::Logger;
use crate::output::progress::Progress;
use crate::process_group;

pub use error::{ConflictingChecksums, FailedFetch, PackageError};
pub use outcome::{Origin, Outcome, PackagedDependency};
pub use plan::{Plan, PlanError, StackChoice};
pub use shim::BinLinks;

use fetching::fetch_dependencies;
use pending::Pending;
use prepackage::PrePackageError;
use rewrite::{KeptDependency, RewriteError};
use select::Item;
use zipwriter::{Entries, Entry, Source};

/// Cloud Controller refuses a buildpack whose `manifest.yml` is larger than this.
pub const MANIFEST_LIMIT: usize = 1 << 20;

/// What to package and how: `bpkit package`'s flags, resolved.
#[derive(Debug, Clone)]
pub struct Options {
    /// The buildpack folder.
    pub dir: PathBuf,
    /// A manifest to use instead of `DIR/manifest.yml` (packaged as `manifest.yml`).
    pub manifest: Option<PathBuf>,
    pub cached: bool,
    pub stack: StackChoice,
    /// Else the trimmed `DIR/VERSION`.
    pub version: Option<String>,
    /// The dependency cache; needed for a cached zip ([`default_cache_dir`]).
    pub cache_dir: Option<PathBuf>,
    /// Where the zip goes; `dir` when `None`.
    pub output_dir: Option<PathBuf>,
    pub profile: Option<String>,
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    /// Parallel downloads, and threads deflating files.
    pub jobs: usize,
    pub mode: Mode,
    pub bin_links: BinLinks,
    /// The Linux bpkit binary for a bpkit buildpack; else the running executable.
    pub binary: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH`, for the entries' timestamp.
    pub source_date_epoch: Option<String>,
    /// Compute the zip's sha256 (for `--json`).
    pub hash_zip: bool,
}

impl Options {
    /// Defaults for packaging `dir` for any stack, uncached.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Options {
            dir: dir.into(),
            manifest: None,
            cached: false,
            stack: StackChoice::Any,
            version: None,
            cache_dir: None,
            output_dir: None,
            profile: None,
            exclude: Vec::new(),
            include: Vec::new(),
            jobs: 4,
            mode: Mode::Normal,
            bin_links: BinLinks::Shim,
            binary: None,
            source_date_epoch: None,
            hash_zip: false,
        }
    }
}

/// The dependency cache to use: `given` (`--cache-dir`), else [`default_cache_dir`]; made
/// absolute, since the paths in it are printed (`bpkit fetch`, `--json`) for scripts to use
/// from anywhere.
pub fn cache_dir(given: Option<&Path>) -> Result<PathBuf, PackageError> {
    let dir = given
        .map(Path::to_path_buf)
        .or_else(default_cache_dir)
        .ok_or(PackageError::NoCacheDir)?;
    // A file there would fail every download with "Not a directory" under a hashed path.
    if fs::metadata(&dir).is_ok_and(|meta| !meta.is_dir()) {
        return Err(PackageError::CacheDirNotAFolder { path: dir });
    }
    // Only fails without a current folder, where a relative path is no worse.
    Ok(std::path::absolute(&dir).unwrap_or(dir))
}

/// The default dependency cache: `BPKIT_CACHE_DIR`, else `$HOME/.buildpack-packager/cache`
/// (the Go packager's, so the two can share it).
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BPKIT_CACHE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".buildpack-packager/cache"))
}

/// The version to package: `--version`, else the trimmed `VERSION` file; either way one the
/// zip's file name can hold ([`name::version_problem`]), checked here where its source is
/// known so the error can name it.
pub fn resolve_version(explicit: Option<&str>, dir: &Path) -> Result<String, PackageError> {
    if let Some(version) = explicit {
        let version = version.trim();
        return match name::version_problem(version) {
            Some(problem) => Err(PackageError::BadVersion {
                source_name: "--version".into(),
                problem,
            }),
            None => Ok(version.to_string()),
        };
    }
    let path = dir.join("VERSION");
    let text = fs::read_to_string(&path).map_err(|cause| PackageError::MissingVersion {
        path: path.clone(),
        cause,
    })?;
    let version = crate::version::from_version_file(&text);
    if version.is_empty() {
        return Err(PackageError::EmptyVersion { path });
    }
    match name::version_problem(version) {
        Some(problem) => Err(PackageError::BadVersion {
            source_name: path.display().to_string(),
            problem,
        }),
        None => Ok(version.to_string()),
    }
}

fn check_name_part(what: &'static str, value: &str, fix: &'static str) -> Result<(), PackageError> {
    match name::name_part_problem(value) {
        Some(problem) => Err(PackageError::BadNamePart {
            what,
            value: value.to_string(),
            problem,
            fix,
        }),
        None => Ok(()),
    }
}

/// What is being built, decided before any file is touched.
struct Job {
    root: PathBuf,
    manifest_path: PathBuf,
    manifest: Manifest,
    version: String,
    plan: Plan,
    file_name: String,
    dest: PathBuf,
    cache_dir: Option<PathBuf>,
    /// Folders inside the tree never packaged or copied (cache, output).
    skip: Vec<PathBuf>,
}

/// Build the zip. Narration goes to `logger`, download progress to `progress`.
///
/// Ctrl-C (SIGINT), SIGTERM and SIGHUP are caught for the whole run
/// ([`process_group::watch_termination`], as `bpkit stage` does): downloads, `pre_package` and
/// the zip writer stop, each removing what it was writing (its `.part` file, the zip's
/// temporary file) as it unwinds, and the run ends with [`PackageError::Interrupted`] (exit
/// 130) whatever the steps returned. A zip finished just as the signal came is removed too, so
/// an interrupted run never leaves one. A second signal exits at once.
pub fn package(
    options: &Options,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<Outcome, PackageError> {
    process_group::watch_termination();
    let result = package_steps(options, logger, progress);
    if process_group::termination_requested() {
        if let Ok(outcome) = &result {
            // Already renamed into place; leaving it would be no harm, but exit 130 says no zip.
            let _ = fs::remove_file(&outcome.path);
        }
        return Err(PackageError::Interrupted {
            cached: options.cached,
        });
    }
    result
}

fn package_steps(
    options: &Options,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<Outcome, PackageError> {
    let job = decide(options, logger)?;
    logger.step(&format!(
        "Packaging {}_buildpack {} for {}, {}",
        job.manifest.language(),
        job.version,
        options.stack,
        if options.cached { "cached" } else { "uncached" }
    ));
    // pre_package runs in a copy; everything after reads the copy.
    let copy = pre_package(&job, options, logger)?;
    let tree = copy.as_ref().map_or(job.root.as_path(), |c| c.path());
    let generated = bpkit_entries(tree, &job, options, logger)?;
    let selection = select_files(tree, &job, &generated, options, logger)?;
    let mut dependencies = dependencies(&job, options);

    let tree_node = job
        .manifest
        .tree
        .as_ref()
        .ok_or(RewriteError::NotAMapping)?;
    let manifest_text = rewrite::packaged_manifest(
        tree_node,
        job.manifest.dependencies.len(),
        &dependencies.kept,
        options.stack.stack(),
        &job.plan.excluded,
    )?;
    check_manifest_size(manifest_text.len(), logger);
    check_credentials(&job.manifest, &job.plan.kept, logger);

    let entries = zip_entries(
        selection,
        &manifest_text,
        &job.version,
        generated,
        &dependencies,
    );
    let settings = zipwriter::Settings {
        timestamp: zipwriter::timestamp(options.source_date_epoch.as_deref())?,
        jobs: options.jobs,
    };
    let written = write_while_fetching(
        &job,
        &entries,
        settings,
        &mut dependencies,
        options,
        logger,
        progress,
    )?;
    // The rest are folders (and links): said, so that the numbers add up.
    let others = written
        .entries
        .saturating_sub(written.stored + written.deflated);
    logger.detail(&format!(
        "{} entries: {} stored as they are, {} deflated{}",
        written.entries,
        written.stored,
        written.deflated,
        match others {
            0 => String::new(),
            1 => ", 1 folder or link".to_string(),
            n => format!(", {n} folders or links"),
        }
    ));
    drop(copy);
    let sha256 = if options.hash_zip {
        let digests =
            checksum::digest_file(&job.dest, false).map_err(|cause| PackageError::CannotHash {
                path: job.dest.clone(),
                cause,
            })?;
        Some(digests.sha256)
    } else {
        None
    };
    logger.step(&format!(
        "Created {} ({})",
        job.dest.display(),
        human_size(written.size)
    ));
    Ok(Outcome {
        path: job.dest,
        size: written.size,
        sha256,
        language: job.manifest.language().to_string(),
        version: job.version,
        cached: options.cached,
        stack: options.stack.stack().map(String::from),
        profile: options.profile.clone(),
        entries: written.entries,
        dependencies: dependencies.packaged,
    })
}

/// Every entry of the zip: the selected files, the packaged manifest, VERSION, bpkit's own
/// entries and the dependencies (pending until fetched).
fn zip_entries(
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

/// Everything that can be checked before touching a file: the manifest, the version, the
/// stack and profile checks, the zip's name and folders.
fn decide(options: &Options, logger: &Logger) -> Result<Job, PackageError> {
    let cannot_open = |cause| PackageError::CannotOpenDir {
        path: options.dir.clone(),
        cause,
    };
    let root = fs::canonicalize(&options.dir).map_err(cannot_open)?;
    // A file given as DIR would otherwise fail later as `cannot read afile/manifest.yml: Not a
    // directory`, naming a path the user never typed.
    if !root.is_dir() {
        return Err(cannot_open(std::io::Error::from(
            std::io::ErrorKind::NotADirectory,
        )));
    }
    let manifest_path = options
        .manifest
        .clone()
        .unwrap_or_else(|| root.join("manifest.yml"));
    let manifest = load_manifest(&manifest_path, logger)?;
    let version = resolve_version(options.version.as_deref(), &root)?;
    check_name_part(
        "The language",
        manifest.language(),
        "use a name such as `ruby` for `language:`",
    )?;
    if let StackChoice::One(stack) = &options.stack {
        check_name_part("The stack", stack, "use a stack name such as cflinuxfs4")?;
    }
    let plan = make_plan(
        &manifest,
        &options.stack,
        plan::Selection {
            profile: options.profile.as_deref(),
            exclude: &options.exclude,
            include: &options.include,
        },
        logger,
    )?;
    let file_name = name::ZipName {
        language: manifest.language(),
        cached: options.cached,
        profile: options.profile.as_deref(),
        custom: plan.custom,
        stack: options.stack.stack(),
        version: &version,
    }
    .file_name();
    // The name adds its own `v`, as the Go packager's does, so a VERSION written like a git tag
    // (`v1.2.3`, what `git tag` in a buildpack's README suggests) names a `-vv1.2.3.zip`.
    if let Some(bare) = version
        .strip_prefix(['v', 'V'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        let source = if options.version.is_some() {
            "--version".to_string()
        } else {
            root.join("VERSION").display().to_string()
        };
        logger.warning(&format!(
            "{source}: the version `{version}` starts with `v`, and the zip's name adds one ({file_name}); write `{bare}`"
        ));
    }
    let output_dir = options.output_dir.clone().unwrap_or_else(|| root.clone());
    let output_error = |cause| PackageError::CannotCreateOutput {
        path: output_dir.clone(),
        cause,
    };
    fs::create_dir_all(&output_dir).map_err(output_error)?;
    let output_dir = fs::canonicalize(&output_dir).map_err(output_error)?;
    let cache_dir = if options.cached {
        Some(cache_dir(options.cache_dir.as_deref())?)
    } else {
        None
    };
    let skip = [cache_dir.as_deref(), Some(output_dir.as_path())]
        .into_iter()
        .flatten()
        .filter_map(|d| fs::canonicalize(d).ok())
        .filter(|d| d != &root && d.starts_with(&root))
        .collect();
    Ok(Job {
        dest: output_dir.join(&file_name),
        root,
        manifest_path,
        manifest,
        version,
        plan,
        file_name,
        cache_dir,
        skip,
    })
}

/// Load and validate the manifest; its warnings are counted in one line (listed with `-v`).
fn load_manifest(path: &Path, logger: &Logger) -> Result<Manifest, PackageError> {
    let (manifest, diagnostics) = Manifest::load_validated(path)?;
    let warnings: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    if !warnings.is_empty() {
        for warning in &warnings {
            logger.debug(&warning.to_string());
        }
        logger.warning(&format!(
            "{} has {} warning{}; `bpkit validate` lists them",
            path.display(),
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(manifest)
}

/// The dependencies kept for the stack and selection (with the Go packager's checks).
fn make_plan(
    manifest: &Manifest,
    stack: &StackChoice,
    selection: plan::Selection<'_>,
    logger: &Logger,
) -> Result<Plan, PackageError> {
    let plan = plan::plan(manifest, stack, selection)?;
    for warning in &plan.warnings {
        logger.warning(warning);
    }
    Ok(plan)
}

/// Run `pre_package` in a temporary copy of the tree, which is returned (or `None` when there
/// is no `pre_package`). Like the Go packager, the copy's VERSION holds the version packaged.
fn pre_package(
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
    Ok(Some(copy))
}

/// bpkit's own binary and the `bin/<phase>` entries, for a bpkit buildpack.
fn bpkit_entries(
    tree: &Path,
    job: &Job,
    options: &Options,
    logger: &Logger,
) -> Result<Vec<(String, Entry)>, PackageError> {
    let Some(layout) = shim::detect(tree, job.manifest.include_files.as_deref())? else {
        return Ok(Vec::new());
    };
    let (binary, warnings) = shim::choose_binary(
        &job.root,
        &layout,
        options.binary.as_deref(),
        std::env::current_exe().ok(),
    )?;
    for warning in warnings {
        logger.warning(&warning);
    }
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
    Ok(shim::entries(&binary, &phases, options.bin_links))
}

/// The tree's files, less what the packager writes itself.
fn select_files(
    tree: &Path,
    job: &Job,
    generated: &[(String, Entry)],
    options: &Options,
    logger: &Logger,
) -> Result<select::Selection, PackageError> {
    let mut provided: BTreeSet<String> = ["manifest.yml".to_string(), "VERSION".to_string()].into();
    provided.extend(generated.iter().map(|(path, _)| path.clone()));
    let selection = select::select(
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
    for warning in &selection.warnings {
        logger.warning(warning);
    }
    if let Some(list) = &job.manifest.include_files {
        for always in ["manifest.yml", "VERSION"] {
            if !list
                .iter()
                .any(|p| p.trim().trim_start_matches("./") == always)
            {
                logger.warning(&format!(
                    "include_files does not list {always}; it is always included"
                ));
            }
        }
    }
    Ok(selection)
}

/// The dependencies of the zip: what the packaged manifest says about each, and for a cached
/// zip the files to put in, each one [`Pending`] until it is fetched and verified.
struct Dependencies {
    packaged: Vec<PackagedDependency>,
    kept: Vec<KeptDependency>,
    /// (path in the zip, its file once fetched), one per URI.
    files: BTreeMap<String, Arc<Pending>>,
    /// The same files by URI.
    by_uri: BTreeMap<String, Arc<Pending>>,
}

/// Everything about the dependencies that is known before fetching them.
fn dependencies(job: &Job, options: &Options) -> Dependencies {
    let mut out = Dependencies {
        packaged: Vec::with_capacity(job.plan.kept.len()),
        kept: Vec::with_capacity(job.plan.kept.len()),
        files: BTreeMap::new(),
        by_uri: BTreeMap::new(),
    };
    for &index in &job.plan.kept {
        let dependency = &job.manifest.dependencies[index];
        let file = options.cached.then(|| zip_path_for(&dependency.uri));
        if let Some(file) = &file {
            let pending = out.by_uri.entry(dependency.uri.clone()).or_default();
            out.files.insert(file.clone(), Arc::clone(pending));
        }
        out.kept.push(KeptDependency {
            index,
            file: file.clone(),
        });
        out.packaged.push(PackagedDependency {
            name: dependency.name.clone(),
            version: dependency.version.clone(),
            uri: fetch::uri::redact(&dependency.uri),
            file,
            sha256: None,
            size: None,
            origin: None,
        });
    }
    out
}

/// Write the zip while the dependencies are fetched into the cache (for a cached zip): the
/// writer waits for each dependency only when it gets to its entry, so on a cold cache the
/// downloads and the zip overlap instead of adding up (issue 6, benches/package.sh). A failed
/// fetch fails the zip, which is then not written; the fetch's error is the one reported.
/// Fills in each dependency's sha256, size and origin.
fn write_while_fetching(
    job: &Job,
    entries: &Entries,
    settings: zipwriter::Settings,
    dependencies: &mut Dependencies,
    options: &Options,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<zipwriter::Written, PackageError> {
    let Some(cache_dir) = job
        .cache_dir
        .as_deref()
        .filter(|_| !dependencies.by_uri.is_empty())
    else {
        logger.step(&format!("Writing {}", job.file_name));
        return Ok(zipwriter::write(entries, &job.dest, settings)?);
    };
    let by_uri = &dependencies.by_uri;
    let (written, fetched) = std::thread::scope(|scope| {
        let fetching = scope.spawn(|| {
            /// Whatever happens (an early error, a panic), no entry is left pending, so the
            /// writer never waits for ever.
            struct FailTheRest<'a>(&'a BTreeMap<String, Arc<Pending>>);
            impl Drop for FailTheRest<'_> {
                fn drop(&mut self) {
                    self.0.values().for_each(|p| p.fail());
                }
            }
            let _guard = FailTheRest(by_uri);
            fetch_dependencies(
                &job.manifest,
                &job.plan,
                cache_dir,
                (options.jobs, options.mode),
                logger,
                progress,
                by_uri,
            )
        });
        let written = zipwriter::write(entries, &job.dest, settings);
        let fetched = fetching
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, fetched)
    });
    let fetched = fetched?;
    logger.step(&format!("Writing {}", job.file_name));
    let written = written?;
    for (packaged, kept) in dependencies.packaged.iter_mut().zip(&job.plan.kept) {
        let uri = &job.manifest.dependencies[*kept].uri;
        if let Some(result) = fetched.get(uri.as_str()) {
            packaged.sha256 = Some(result.digests.sha256);
            packaged.size = Some(result.digests.len);
            packaged.origin = Some(Origin::from(&result.source));
        }
    }
    Ok(written)
}

/// `dependencies/<md5 of the uri>/<basename>`: the path of a dependency inside a cached zip and
/// the `file:` the packaged manifest gives it (the Go packager's layout), with the basename's
/// unsafe characters replaced (`zip_safe`).
pub fn zip_path_for(uri: &str) -> String {
    format!(
        "dependencies/{}/{}",
        checksum::md5_hex(uri),
        zip_safe(&fetch::uri::basename(uri))
    )
}

/// A basename with every character but ASCII letters, digits and `._-+~%=,@` replaced by `_`
/// (packager.md): operators list, copy and script the files of an unpacked zip, and a `&`,
/// `;`, quote, space or non-ASCII letter there is a trap for every shell line and extractor.
/// The names of the official buildpacks' dependencies (`openjdk_17.0.20%2B10_….tgz`) are kept
/// as they are, and the md5 folder still tells URIs apart.
fn zip_safe(basename: &str) -> String {
    basename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-+~%=,@".contains(c) {
                c
            } else {
                '_'
            }
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

/// The packaged manifest.yml keeps each `uri:` as written (as the Go packager does: an uncached
/// zip downloads with them when staging), so credentials in a URI ship to everyone who can read
/// the zip. Messages never show them; this says, once, that the zip does.
fn check_credentials(manifest: &Manifest, kept: &[usize], logger: &Logger) {
    let with_secrets: Vec<String> = kept
        .iter()
        .map(|&i| &manifest.dependencies[i])
        .filter(|d| !fetch::uri::secrets(&d.uri).is_empty())
        .map(|d| format!("{} {}", d.name, d.version))
        .collect();
    if with_secrets.is_empty() {
        return;
    }
    logger.warning(&format!(
        "The packaged manifest.yml keeps the credentials written in the URI{} of {}: anyone who can read the zip can read them. Write the URIs without them and give them through BPKIT_MIRRORS where the zip is packaged and staged (README, \"Air-gapped sites\").",
        if with_secrets.len() == 1 { "" } else { "s" },
        with_secrets.join(", ")
    ));
}

fn check_manifest_size(size: usize, logger: &Logger) {
    if size > MANIFEST_LIMIT {
        logger.warning(&format!(
            "The packaged manifest.yml is {}, over the 1 MiB Cloud Controller accepts: `cf create-buildpack` will refuse this zip. Package for one stack or drop old dependencies.",
            human_size(size as u64)
        ));
    } else if size > MANIFEST_LIMIT / 10 * 9 {
        logger.warning(&format!(
            "The packaged manifest.yml is {}, close to the 1 MiB Cloud Controller accepts.",
            human_size(size as u64)
        ));
    }
}

/// `123 B`, `4.5 KiB`, `12.3 MiB`.
pub fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // for display only
    let value = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1 << 20 {
        format!("{:.1} KiB", value / 1024.0)
    } else if bytes < 1 << 30 {
        format!("{:.1} MiB", value / f64::from(1u32 << 20))
    } else {
        format!("{:.1} GiB", value / f64::from(1u32 << 30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_normalised() {
        assert_eq!(file_mode("bin/detect", 0o600), 0o755);
        assert_eq!(file_mode("lib/x.rb", 0o600), 0o644);
        assert_eq!(file_mode("lib/tool", 0o700), 0o755);
        assert_eq!(file_mode("README", 0o664), 0o644);
    }

    #[test]
    fn dependency_paths_follow_the_go_layout() {
        let uri = "https://example.org/deps/ruby-3.3.0.tgz?token=x&a=b";
        assert_eq!(
            zip_path_for(uri),
            format!("dependencies/{}/ruby-3.3.0.tgz", checksum::md5_hex(uri))
        );
        // The raw last segment, `%2B` kept, as the Go packager writes it.
        let uri = "https://buildpacks.cloudfoundry.org/dependencies/openjdk/openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz";
        assert_eq!(
            zip_path_for(uri),
            "dependencies/2f7f22b1804c9828ce030b4332af3a2e/openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz"
        );
        // Characters a shell or an extractor could trip on are replaced in the zip.
        let uri = "https://example.org/deps/a&b c;$(x)'q\"ü.tgz?t=1";
        assert_eq!(
            zip_path_for(uri),
            format!("dependencies/{}/a_b_c___x__q__.tgz", checksum::md5_hex(uri))
        );
    }

    #[test]
    fn versions_come_from_the_flag_or_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            resolve_version(Some(" 2.0.0 "), dir.path()).unwrap(),
            "2.0.0"
        );
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "VERSION: no such file; create it with the buildpack's version (`echo 1.0.0 > VERSION`) or pass --version"
            ),
            "{err}"
        );
        fs::write(dir.path().join("VERSION"), "1.2.3").unwrap();
        assert_eq!(resolve_version(None, dir.path()).unwrap(), "1.2.3");
    }

    /// VERSION there but unreadable: each cause in words with its fix, not the raw
    /// `Is a directory (os error 21)` or `stream did not contain valid UTF-8`.
    #[test]
    fn an_unreadable_version_file_says_why_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("VERSION");
        fs::create_dir(&path).unwrap();
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: it is a folder, not a file; put a file holding the buildpack's version in its place (`echo 1.0.0 > VERSION`) or pass --version",
                path.display()
            )
        );
        fs::remove_dir(&path).unwrap();
        fs::write(&path, b"1.0\xff\n").unwrap();
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: it is not UTF-8 text; write the buildpack's version in it (`echo 1.0.0 > VERSION`) or pass --version",
                path.display()
            )
        );
        // Mode 000 cannot be tried as root (the tests' usual user), which reads it anyway.
        let denied = PackageError::MissingVersion {
            path: "bp/VERSION".into(),
            cause: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(
            denied.to_string(),
            "cannot read bp/VERSION: permission denied; let this user read it (`chmod a+r VERSION`) or pass --version"
        );
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(5 << 20), "5.0 MiB");
    }
}
