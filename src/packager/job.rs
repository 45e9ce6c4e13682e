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
    if options.version.is_none() && options.manifest.is_none() {
        check_is_buildpack(&root)?;
    }
    // VERSION before the manifest, as the Go packager reads them.
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
    warn_of_a_leading_v(options, &root, &version, &file_name, logger);
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
    let manifest_read = fs::canonicalize(&manifest_path).ok();
    let skip = skipped_folders(
        &root,
        &output_dir,
        cache_in_tree.as_deref(),
        manifest_read.as_deref(),
        logger,
    )?;
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

/// The name adds its own `v`, as the Go packager's does, so a VERSION written like a git tag
/// (`v1.2.3`, what `git tag` in a buildpack's README suggests) names a `-vv1.2.3.zip`: warned
/// about, naming where the version came from.
fn warn_of_a_leading_v(
    options: &Options,
    root: &Path,
    version: &str,
    file_name: &str,
    logger: &Logger,
) {
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
}

/// A folder with neither VERSION nor manifest.yml is no buildpack (the app's, a subfolder):
/// said so, where "create VERSION" sent the user to make one there, then to the missing
/// manifest.
fn check_is_buildpack(root: &Path) -> Result<(), PackageError> {
    let absent = |name: &str| fs::symlink_metadata(root.join(name)).is_err();
    if absent("VERSION") && absent("manifest.yml") {
        return Err(PackageError::NotABuildpack {
            dir: root.to_path_buf(),
        });
    }
    Ok(())
}

/// The cache and output folders inside the tree (canonical), never packaged, each checked by
/// [`check_left_out`]. `manifest` is the manifest read (canonical), which goes into the zip
/// as its manifest.yml wherever it is.
fn skipped_folders(
    root: &Path,
    output_dir: &Path,
    cache_dir: Option<&Path>,
    manifest: Option<&Path>,
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
        let exempt = Exempt {
            skip: &skip,
            manifest,
        };
        check_left_out(folder, root, is_output, is_cache, &exempt, logger)?;
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
    exempt: &Exempt<'_>,
    logger: &Logger,
) -> Result<(), PackageError> {
    let foreign = foreign_entries(folder, root, is_output, is_cache, exempt);
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

/// What a skipped folder may hold without a word, besides what bpkit puts there.
struct Exempt<'a> {
    /// The skipped folders (a folder holding one is left out with it).
    skip: &'a [PathBuf],
    /// The manifest read (canonical): packaged as the zip's manifest.yml wherever it is, as
    /// `--manifest` in the output folder puts it (the generated ci.sh does).
    manifest: Option<&'a Path>,
}

/// The entries of `folder` bpkit did not put there, as paths relative to `root`, sorted:
/// anything but an output zip or an unfinished one (`is_output`), the cache's `dependencies/`
/// (`is_cache`), a folder holding another skipped one, and the manifest read.
fn foreign_entries(
    folder: &Path,
    root: &Path,
    is_output: bool,
    is_cache: bool,
    exempt: &Exempt<'_>,
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
                && (super::name::looks_like_output(&name) || super::zipwriter::is_part_name(&name));
            // `dependencies/` in the cache, or `cache/` in the Go packager's folder above it.
            let own_cache = is_cache
                && is_dir
                && (name == "dependencies"
                    || (name == "cache" && folder.ends_with(".buildpack-packager")));
            let holds_skipped = is_dir && exempt.skip.iter().any(|s| s.starts_with(&path));
            let is_manifest = exempt.manifest == Some(path.as_path());
            !(own_zip || own_cache || holds_skipped || is_manifest)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::StackChoice;

    /// A buildpack folder (canonical) holding `manifest.yml` with `language` and VERSION.
    fn buildpack(language: &str, version: &str) -> (tempfile::TempDir, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(temp.path()).unwrap();
        fs::write(root.join("manifest.yml"), format!("language: {language}\n")).unwrap();
        fs::write(root.join("VERSION"), version).unwrap();
        (temp, root)
    }

    /// The error `decide` stops with (a `Job` has no `Debug` for `unwrap_err`).
    fn refused(options: &Options) -> String {
        let (logger, _) = Logger::capture();
        match decide(options, &logger) {
            Ok(job) => panic!("{} was decided", job.file_name),
            Err(error) => error.to_string(),
        }
    }

    /// The zip's name may be as long as a file name can be, and no longer: said before
    /// anything is written, naming the manifest whose `language` to shorten.
    #[test]
    fn a_zip_name_past_the_file_name_limit_is_refused_before_anything_is_written() {
        let language = "x".repeat(name::MAX_NAME_PART_BYTES);
        let (_temp, root) = buildpack(&language, "1");
        let (logger, _) = Logger::capture();
        let job = decide(&Options::new(&root), &logger).unwrap();
        assert_eq!(job.file_name.len(), name::MAX_FILE_NAME_BYTES);
        assert_eq!(job.dest, root.join(&job.file_name));
        fs::write(root.join("VERSION"), "12").unwrap();
        let err = refused(&Options::new(&root));
        assert!(
            err.starts_with(&format!(
                "the zip's file name would be 256 bytes long, more than the 255 a file name holds ({language}_buildpack-v12.zip); shorten `language` in {} (238 bytes)",
                root.join("manifest.yml").display()
            )),
            "{err}"
        );
    }

    /// The manifest is loaded validated; its warnings are counted in one line, each listed
    /// only as a DEBUG line. (An `ftp://` URI and no `cf_stacks` are two warnings.)
    #[test]
    fn the_manifests_warnings_are_counted_in_one_line() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        let path = root.join("manifest.yml");
        let dependency = format!(
            "- {{name: a, version: '1', uri: 'ftp://h/a.tgz', sha256: {}",
            "0".repeat(64)
        );
        fs::write(
            &path,
            format!("language: demo\ndependencies:\n{dependency}}}\n"),
        )
        .unwrap();
        let (logger, log) = Logger::capture();
        let manifest = load_manifest(&path, &logger).unwrap();
        assert_eq!(manifest.language(), "demo");
        assert_eq!(
            log.text(),
            format!(
                "       **WARNING** {} has 2 warnings; `bpkit validate` lists them\n",
                path.display()
            )
        );
        fs::write(
            &path,
            format!("language: demo\ndependencies:\n{dependency}, cf_stacks: [s]}}\n"),
        )
        .unwrap();
        let (logger, log) = Logger::capture();
        let logger = logger.with_debug(true);
        load_manifest(&path, &logger).unwrap();
        let text = log.text();
        assert!(text.contains("DEBUG: "), "{text}");
        assert!(text.contains("ftp://h/a.tgz"), "{text}");
        assert!(
            text.ends_with("has 1 warning; `bpkit validate` lists them\n"),
            "{text}"
        );
        fs::write(&path, "language: demo\n").unwrap();
        let (logger, log) = Logger::capture();
        load_manifest(&path, &logger).unwrap();
        assert_eq!(log.text(), "");
    }

    /// The plan keeps the stack's dependencies, and its warnings are shown.
    #[test]
    fn the_plan_keeps_the_stacks_dependencies_and_shows_its_warnings() {
        let (manifest, _) = Manifest::parse(
            "language: x\ndependencies:\n- {name: a, version: '1', uri: 'https://h/a', cf_stacks: [s1]}\n- {name: b, version: '1', uri: 'https://h/b', cf_stacks: [s2]}\n",
            Path::new("m.yml"),
        )
        .unwrap();
        let include = ["b".to_string()];
        let (logger, log) = Logger::capture();
        let plan = make_plan(
            &manifest,
            &StackChoice::One("s2".into()),
            plan::Selection {
                profile: None,
                exclude: &[],
                include: &include,
            },
            &logger,
        )
        .unwrap();
        assert_eq!(plan.kept, [1]);
        assert!(
            log.text()
                .starts_with("       **WARNING** --include b: nothing to restore"),
            "{}",
            log.text()
        );
    }

    /// A folder with neither VERSION nor manifest.yml (an app's, a subfolder) is no buildpack:
    /// said so, where the user was told to create VERSION there, then manifest.yml. With one
    /// of them, or `--version`, the missing one is named as before.
    #[test]
    fn a_folder_with_neither_version_nor_manifest_is_no_buildpack() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        fs::remove_file(root.join("manifest.yml")).unwrap();
        fs::remove_file(root.join("VERSION")).unwrap();
        assert_eq!(
            refused(&Options::new(&root)),
            format!(
                "{} is not a buildpack folder: it has neither VERSION nor manifest.yml; give the buildpack's folder (the one holding manifest.yml), or run bpkit package from it",
                root.display()
            )
        );
        let mut options = Options::new(&root);
        options.version = Some("1.0.0".into());
        assert!(
            refused(&options).starts_with("cannot read "),
            "{}",
            refused(&options)
        );
        fs::write(root.join("manifest.yml"), "language: demo\n").unwrap();
        assert!(
            refused(&Options::new(&root)).contains("VERSION: no such file"),
            "{}",
            refused(&Options::new(&root))
        );
    }

    /// A file given as the buildpack folder, and a stack that cannot be part of the zip's
    /// name, are refused before anything else.
    #[test]
    fn a_file_as_the_folder_and_an_unusable_stack_are_refused() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        assert_eq!(
            refused(&Options::new(root.join("VERSION"))),
            format!(
                "cannot use {} as the buildpack folder: it is not a folder; give the path of the buildpack's folder (the one holding manifest.yml)",
                root.join("VERSION").display()
            )
        );
        let mut options = Options::new(&root);
        options.stack = StackChoice::One("cf linux".into());
        let err = refused(&options);
        assert!(
            err.starts_with("The stack `cf linux` cannot be part of the zip's file name"),
            "{err}"
        );
    }

    /// The output folder and the dependency cache inside the buildpack are left out; the Go
    /// packager's `.buildpack-packager/cache` with the folder above it when that holds
    /// nothing else; the buildpack folder itself and folders outside it never.
    #[test]
    fn the_output_and_cache_folders_inside_the_tree_are_skipped() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        let outside = tempfile::tempdir().unwrap();
        let (logger, log) = Logger::capture();
        let skipped = |output: &Path, cache: Option<&Path>| {
            skipped_folders(&root, output, cache, None, &logger).unwrap()
        };
        let out = root.join("out");
        let go_cache = root.join("home/.buildpack-packager/cache");
        fs::create_dir_all(&out).unwrap();
        // An earlier zip in the output folder is bpkit's own: nothing to warn about.
        fs::write(out.join("demo_buildpack-v0.9.0.zip"), "zip").unwrap();
        fs::create_dir_all(&go_cache).unwrap();
        assert_eq!(skipped(&root, None), Vec::<PathBuf>::new());
        assert_eq!(
            skipped(outside.path(), Some(outside.path())),
            Vec::<PathBuf>::new()
        );
        assert_eq!(skipped(&out, None), std::slice::from_ref(&out));
        assert_eq!(
            skipped(&root, Some(&go_cache)),
            [root.join("home/.buildpack-packager")]
        );
        // Something else beside the cache: only the cache is bpkit's to leave out.
        fs::write(root.join("home/.buildpack-packager/notes"), "x").unwrap();
        assert_eq!(
            skipped(&out, Some(&go_cache)),
            [go_cache.clone(), out.clone()]
        );
        // A cache not made yet has nothing to leave out.
        assert_eq!(
            skipped(&root, Some(&root.join("later"))),
            Vec::<PathBuf>::new()
        );
        // Nothing of the buildpack's own was in those folders: nothing to warn about.
        assert_eq!(log.text(), "");
    }

    /// The buildpack named `.buildpack-packager` with the cache in it: the cache is left out,
    /// never the buildpack.
    #[test]
    fn a_buildpack_holding_the_go_cache_is_not_skipped_whole() {
        let temp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(temp.path())
            .unwrap()
            .join(".buildpack-packager");
        let cache = root.join("cache");
        fs::create_dir_all(&cache).unwrap();
        let (logger, _) = Logger::capture();
        assert_eq!(
            skipped_folders(&root, &root, Some(&cache), None, &logger).unwrap(),
            [cache]
        );
    }

    /// What [`check_left_out`] says of `folder` in the buildpack `root`, an output folder
    /// (`is_output`) or else the cache: its warnings, or its error.
    fn left_out(folder: &Path, root: &Path, is_output: bool) -> Result<String, String> {
        let (logger, log) = Logger::capture();
        let skip = [folder.to_path_buf()];
        let exempt = Exempt {
            skip: &skip,
            manifest: None,
        };
        check_left_out(folder, root, is_output, !is_output, &exempt, &logger)
            .map_err(|error| error.to_string())?;
        Ok(log.text())
    }

    /// What bpkit did not put in a skipped folder is named, counted past the first, and
    /// warned about, with the fix for that folder; in `bin/` it is refused.
    #[test]
    fn the_buildpacks_own_files_in_a_skipped_folder_are_warned_about() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        let out = root.join("out");
        fs::create_dir_all(out.join("demo_buildpack-v0.9.zip")).unwrap();
        fs::write(out.join("demo_buildpack-v1.0.0.zip"), "zip").unwrap();
        fs::write(out.join(".bpkit-1234.part"), "part").unwrap();
        fs::write(out.join("notes.txt"), "x").unwrap();
        assert_eq!(
            left_out(&out, &root, true).unwrap(),
            "       **WARNING** the output folder out/ is inside the buildpack and left out of the zip whole, so out/demo_buildpack-v0.9.zip and 1 more in it are not packaged; write the zip to a folder of its own (--output-dir) or outside the buildpack\n"
        );

        let cache = root.join("lib");
        fs::create_dir_all(cache.join("dependencies")).unwrap();
        fs::write(cache.join("helper.rb"), "x").unwrap();
        fs::write(cache.join("demo_buildpack-v1.0.0.zip"), "not the output's").unwrap();
        assert_eq!(
            left_out(&cache, &root, false).unwrap(),
            "       **WARNING** the dependency cache lib/ is inside the buildpack and left out of the zip whole, so lib/demo_buildpack-v1.0.0.zip and 1 more in it are not packaged; keep the cache in a folder of its own (--cache-dir or BPKIT_CACHE_DIR) or outside the buildpack\n"
        );
        fs::remove_file(cache.join("demo_buildpack-v1.0.0.zip")).unwrap();
        let warning = left_out(&cache, &root, false).unwrap();
        assert!(
            warning.contains("so lib/helper.rb in it is not packaged;"),
            "{warning}"
        );

        let bin = root.join("bin");
        fs::create_dir_all(&bin).unwrap();
        fs::write(bin.join("detect"), "x").unwrap();
        assert_eq!(
            left_out(&bin, &root, true),
            Err("the output folder bin/ is the buildpack's bin/, and it is left out of the zip whole, so the zip would have none of its phases (bin/detect); write the zip to a folder of its own (--output-dir) or outside the buildpack".to_string())
        );
        // Only bpkit's own entries: nothing to say.
        let only_zips = root.join("dist");
        fs::create_dir_all(&only_zips).unwrap();
        fs::write(only_zips.join("demo_buildpack-v1.0.0.zip"), "zip").unwrap();
        assert_eq!(left_out(&only_zips, &root, true).unwrap(), "");
    }

    /// bpkit's own entries: output zips and unfinished ones (files only), the cache's
    /// `dependencies/` and the Go folder's `cache/` (folders only), a folder holding another
    /// skipped folder. Everything else is foreign, sorted, relative to the buildpack.
    #[test]
    fn foreign_entries_are_what_bpkit_did_not_put_there() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        let folder = root.join(".buildpack-packager");
        fs::create_dir_all(folder.join("cache")).unwrap();
        fs::create_dir_all(folder.join("dependencies")).unwrap();
        fs::create_dir_all(folder.join("inner/deeper")).unwrap();
        fs::write(folder.join("x_buildpack-v1.zip"), "zip").unwrap();
        fs::write(folder.join(".bpkit-1.part"), "part").unwrap();
        fs::write(folder.join(".bpkit-1.tmp"), "tmp").unwrap();
        let skip = [folder.join("inner/deeper")];
        let exempt = |skip| Exempt {
            skip,
            manifest: None,
        };
        assert_eq!(
            foreign_entries(&folder, &root, true, true, &exempt(&skip)),
            [".buildpack-packager/.bpkit-1.tmp"]
        );
        assert_eq!(
            foreign_entries(&folder, &root, false, false, &exempt(&[])),
            [
                ".buildpack-packager/.bpkit-1.part",
                ".buildpack-packager/.bpkit-1.tmp",
                ".buildpack-packager/cache",
                ".buildpack-packager/dependencies",
                ".buildpack-packager/inner",
                ".buildpack-packager/x_buildpack-v1.zip",
            ]
        );
        // `cache/` is the cache's only in the Go packager's folder; a file named
        // `dependencies` is no cache folder.
        let other = root.join("c");
        fs::create_dir_all(other.join("cache")).unwrap();
        fs::write(other.join("dependencies"), "file").unwrap();
        assert_eq!(
            foreign_entries(&other, &root, false, true, &exempt(&[])),
            ["c/cache", "c/dependencies"]
        );
        assert_eq!(
            foreign_entries(&root.join("missing"), &root, true, true, &exempt(&[])),
            Vec::<String>::new()
        );
    }

    /// The manifest read (`--manifest` in the output folder, as the generated ci.sh puts its
    /// copy there) goes into the zip as its manifest.yml: it was warned about as "not
    /// packaged", with a fix the run had already followed. Any other file there still is.
    #[test]
    fn the_manifest_read_from_a_skipped_folder_is_not_called_left_out() {
        let (_temp, root) = buildpack("demo", "1.0.0");
        let out = root.join(".ci-out/offline");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("manifest.yml"), "language: demo\n").unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let manifest = out.join("manifest.yml");
        let exempt = Exempt {
            skip: &[],
            manifest: Some(&manifest),
        };
        assert_eq!(
            foreign_entries(&out, &root, true, false, &exempt),
            [".ci-out/offline/notes.txt"]
        );
        let (logger, log) = Logger::capture();
        let skipped = skipped_folders(&root, &out, None, Some(&manifest), &logger).unwrap();
        assert_eq!(skipped, std::slice::from_ref(&out));
        assert!(
            log.text()
                .contains("so .ci-out/offline/notes.txt in it is not packaged"),
            "{}",
            log.text()
        );
        fs::remove_file(out.join("notes.txt")).unwrap();
        let (logger, log) = Logger::capture();
        skipped_folders(&root, &out, None, Some(&manifest), &logger).unwrap();
        assert_eq!(log.text(), "");
    }
}
