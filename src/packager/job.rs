//! What a packaging run will build, decided before any file is touched: the manifest loaded
//! and validated, the version, the dependencies kept for the stack and selection (the Go
//! packager's checks), the zip's name and the folders it reads from and writes to.

use std::fs;
use std::path::{Path, PathBuf};

use super::options::{cache_dir, resolve_version};
use super::{Options, PackageError, Plan, StackChoice, name, plan};
use crate::manifest::{Manifest, Severity};
use crate::output::Logger;

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
pub(super) struct Job {
    pub(super) root: PathBuf,
    pub(super) manifest_path: PathBuf,
    pub(super) manifest: Manifest,
    pub(super) version: String,
    pub(super) plan: Plan,
    pub(super) file_name: String,
    pub(super) dest: PathBuf,
    pub(super) cache_dir: Option<PathBuf>,
    /// Folders inside the tree never packaged or copied (cache, output).
    pub(super) skip: Vec<PathBuf>,
    /// Every entry's time, from `SOURCE_DATE_EPOCH`.
    pub(super) timestamp: zip::DateTime,
}

/// Everything that can be checked before touching a file: the manifest, the version, the
/// stack and profile checks, the zip's name and folders.
pub(super) fn decide(options: &Options, logger: &Logger) -> Result<Job, PackageError> {
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
    // VERSION before the manifest, as the Go packager reads them: a folder with neither (not
    // a buildpack at all) gets the same first complaint from both.
    let version = resolve_version(options.version.as_deref(), &root)?;
    // Here, before pre_package and the downloads, so a bad value stops the run at once.
    let source_date_epoch = options.source_date_epoch.as_deref();
    let timestamp = super::zipwriter::timestamp(source_date_epoch)?;
    if let Some(warning) = timestamp.warning(source_date_epoch.unwrap_or_default()) {
        logger.warning(&warning);
    }
    let manifest = load_manifest(&manifest_path, logger)?;
    check_name_part(
        "The language",
        manifest.language(),
        "use a name such as `ruby` for `language:`",
    )?;
    if let StackChoice::One(stack) = &options.stack {
        check_name_part("The stack", stack, "use a stack name such as cflinuxfs4")?;
    }
    let plan = make_plan(&manifest, &options.stack, options.selection(), logger)?;
    let file_name = name::ZipName {
        language: manifest.language(),
        cached: options.cached,
        profile: options.profile.as_deref(),
        custom: plan.custom,
        stack: options.stack.stack(),
        version: &version,
    }
    .file_name();
    if file_name.len() > name::MAX_FILE_NAME_BYTES {
        return Err(PackageError::NameTooLong {
            bytes: file_name.len(),
            name: file_name,
            language_bytes: manifest.language().len(),
            manifest: manifest_path,
        });
    }
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
    if let Some(dir) = &options.output_dir {
        super::options::unexpanded_tilde("the output folder", dir)?;
    }
    let output_dir = options.output_dir.clone().unwrap_or_else(|| root.clone());
    let output_error = |cause| PackageError::CannotCreateOutput {
        path: output_dir.clone(),
        cause,
    };
    // The folder itself a file keeps its message (`a file is in the way`); a file above it
    // or a symlink to nothing is named, where `mkdir -p`'s error named neither.
    if fs::metadata(&output_dir).is_err()
        && let Some(problem) = super::options::in_the_way(&output_dir)
    {
        return Err(PackageError::OutputCannotBeMade {
            path: output_dir,
            problem,
        });
    }
    fs::create_dir_all(&output_dir).map_err(output_error)?;
    let output_dir = fs::canonicalize(&output_dir).map_err(output_error)?;
    let cache_dir = if options.cached {
        Some(cache_dir(options.cache_dir.as_deref())?)
    } else {
        None
    };
    // The cache is left out of an uncached zip too: with HOME (or BPKIT_CACHE_DIR) inside the
    // buildpack, as some CI runners set it, the uncached zip made after a cached one held every
    // tarball of the cache.
    let cache_in_tree = match &cache_dir {
        Some(dir) => Some(dir.clone()),
        None => super::options::cache_dir(options.cache_dir.as_deref()).ok(),
    };
    let skip = skipped_folders(&root, &output_dir, cache_in_tree.as_deref(), logger)?;
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
        timestamp: timestamp.date_time,
    })
}

/// The cache and output folders inside the tree (canonical), never packaged, each checked by
/// [`check_left_out`].
fn skipped_folders(
    root: &Path,
    output_dir: &Path,
    cache_dir: Option<&Path>,
    logger: &Logger,
) -> Result<Vec<PathBuf>, PackageError> {
    let cache_dir = cache_dir.and_then(|d| fs::canonicalize(d).ok());
    // The Go packager's default cache, `.buildpack-packager/cache`, is left out with the
    // folder above it, which holds nothing else: an empty `.buildpack-packager/` in the zip
    // said where the cache had been.
    let cache_folder = cache_dir.as_ref().map(|dir| match dir.parent() {
        Some(parent)
            if dir.ends_with(".buildpack-packager/cache")
                && parent != root
                && fs::read_dir(parent)
                    .is_ok_and(|mut e| e.all(|e| e.is_ok_and(|e| e.file_name() == "cache"))) =>
        {
            parent.to_path_buf()
        }
        _ => dir.clone(),
    });
    let skip: Vec<PathBuf> = [cache_folder.clone(), fs::canonicalize(output_dir).ok()]
        .into_iter()
        .flatten()
        .filter(|d| d != root && d.starts_with(root))
        .collect();
    for folder in &skip {
        let is_output = folder == output_dir;
        let is_cache = cache_folder.as_ref() == Some(folder);
        check_left_out(folder, root, is_output, is_cache, &skip, logger)?;
    }
    Ok(skip)
}

/// A cache or output folder inside the tree is left out of the zip whole (the zips and
/// downloads bpkit puts there are not the buildpack's). When it holds the buildpack's own files
/// too (`--output-dir bin`, `--cache-dir lib`), they went missing from the zip without a word:
/// said with the fix, and refused for `bin/`, without which the zip has no phases.
fn check_left_out(
    folder: &Path,
    root: &Path,
    is_output: bool,
    is_cache: bool,
    skip: &[PathBuf],
    logger: &Logger,
) -> Result<(), PackageError> {
    let foreign = foreign_entries(folder, root, is_output, is_cache, skip);
    let Some(first) = foreign.first() else {
        return Ok(());
    };
    let rel = folder
        .strip_prefix(root)
        .unwrap_or(folder)
        .to_string_lossy()
        .into_owned();
    let (what, fix) = if is_output {
        (
            "the output folder",
            "write the zip to a folder of its own (--output-dir) or outside the buildpack",
        )
    } else {
        (
            "the dependency cache",
            "keep the cache in a folder of its own (--cache-dir or BPKIT_CACHE_DIR) or outside the buildpack",
        )
    };
    let files = match foreign.len() - 1 {
        0 => first.clone(),
        n => format!("{first} and {n} more"),
    };
    if rel == "bin" {
        return Err(PackageError::BinLeftOut { what, files, fix });
    }
    logger.warning(&format!(
        "{what} {rel}/ is inside the buildpack and left out of the zip whole, so {files} in it {} not packaged; {fix}",
        if foreign.len() == 1 { "is" } else { "are" }
    ));
    Ok(())
}

/// The entries of `folder` bpkit did not put there, as paths relative to `root`, sorted:
/// anything but an output zip or an unfinished one (`is_output`), the cache's `dependencies/`
/// (`is_cache`) and a folder holding another folder of `skip`.
fn foreign_entries(
    folder: &Path,
    root: &Path,
    is_output: bool,
    is_cache: bool,
    skip: &[PathBuf],
) -> Vec<String> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut foreign: Vec<String> = entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let own_zip = is_output
                && !is_dir
                && (super::name::looks_like_output(&name)
                    || (name.starts_with(".bpkit-") && name.ends_with(".part")));
            // `dependencies/` in the cache, or `cache/` in the Go packager's folder above it.
            let own_cache = is_cache
                && is_dir
                && (name == "dependencies"
                    || (name == "cache" && folder.ends_with(".buildpack-packager")));
            let holds_skipped = is_dir && skip.iter().any(|s| s.starts_with(&path));
            !(own_zip || own_cache || holds_skipped)
        })
        .map(|entry| {
            let path = entry.path();
            path.strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    foreign.sort();
    foreign
}

/// Load and validate the manifest; its warnings are counted in one line (listed with `-v`).
pub(super) fn load_manifest(path: &Path, logger: &Logger) -> Result<Manifest, PackageError> {
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
pub(super) fn make_plan(
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
