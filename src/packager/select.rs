//! Which files of the buildpack folder go into the zip (packager.md, "Which files go in").
//!
//! - With `include_files`: exactly those paths. A listed folder is taken whole (the Go tool
//!   writes one empty entry for it) and globs are allowed (`*` stays within a folder, `**`
//!   crosses folders). A listed path that does not exist is an error, as in the Go tool,
//!   unless the packager writes that path itself (`manifest.yml`, `VERSION`, a bpkit
//!   buildpack's `bin/`). A cache or output folder inside the tree is left out even when a
//!   glob matches it or include_files names it.
//! - Without: everything except `exclude_files`, `.git*`, and at the top of the folder earlier
//!   output zips and bpkit's work folder `.bpkit/` (`bpkit stage` writes droplets there; a
//!   folder in the tree the zip is written to is skipped whole). Exclusions
//!   follow Info-ZIP's `-x` as the Ruby gem used it: `dir/` excludes a folder of that name at
//!   any depth, any other pattern matches a path or the end of a path, and `*` crosses `/`.
//!
//! Symlinks: a link whose target stays inside the folder is kept as a link when `keep_links`
//! is set (`--bin-links symlink`) and otherwise replaced by what it points to; a link that
//! points outside is always replaced by its target's content. Dangling links and links to
//! their own parent folder are errors.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::name::looks_like_output;

/// bpkit's work folder in a buildpack (`bpkit stage`'s default outputs), never packaged unless
/// include_files names it.
const WORK_DIR: &str = ".bpkit";

/// True for what bpkit itself leaves at the top of a buildpack folder and never packages
/// without include_files: an earlier output zip (packaging writes it there by default) and
/// the work folder `.bpkit/`. Deeper down, such names are the buildpack's own (test fixtures).
pub fn is_own_output_at_top(name: &str, is_dir: bool) -> bool {
    if is_dir {
        name == WORK_DIR
    } else {
        looks_like_output(name)
    }
}

/// What the selection works from.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// `include_files`, or `None` to use `exclude_files`.
    pub include_files: Option<&'a [String]>,
    pub exclude_files: &'a [String],
    /// Relative paths the packager writes itself (`manifest.yml`, `VERSION`, a bpkit
    /// buildpack's `bin/` entries): never taken from the tree, and listing them in
    /// `include_files` without having them is fine.
    pub provided: &'a BTreeSet<String>,
    /// Keep links that stay inside the folder as links.
    pub keep_links: bool,
    /// Absolute, canonical folders never packaged (a cache or output folder inside the tree).
    pub skip: &'a [PathBuf],
}

/// One selected path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A file read from `source` (a link's target when the link was followed).
    File { source: PathBuf, mode: u32 },
    /// A symlink entry whose target is relative and stays inside the zip.
    Symlink { target: String },
    /// A folder (its entry is written even when it is empty).
    Dir,
}

/// The selected paths, by zip path (`/`-separated, relative, no trailing `/`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub items: BTreeMap<String, Item>,
    pub warnings: Vec<String>,
}

/// Why the files could not be selected.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error(
        "include_files[{index}]: `{path}` does not exist in {}; create it (or have pre_package create it) or remove it from include_files",
        root.display()
    )]
    Missing {
        index: usize,
        path: String,
        root: PathBuf,
    },
    /// [`SelectError::Missing`] in the temporary copy `pre_package` ran in: named by the
    /// buildpack folder (the copy is gone when the message is read) and the command that did
    /// not make the file.
    #[error(
        "include_files[{index}]: `{path}` does not exist in {}, and pre_package `{command}` (run in a temporary copy of it) did not create it; create it, have pre_package create it, or remove it from include_files",
        root.display()
    )]
    MissingAfterPrePackage {
        index: usize,
        path: String,
        root: PathBuf,
        command: String,
    },
    #[error(
        "include_files[{index}]: `{path}` is absolute or contains `..`; list only paths inside the buildpack"
    )]
    Outside { index: usize, path: String },
    #[error("{key}: `{pattern}` is not a valid pattern: {cause}")]
    BadPattern {
        key: String,
        pattern: String,
        cause: String,
    },
    #[error(
        "{} is a symlink to `{}`, which does not exist; fix the link, or leave it out with exclude_files",
        path.display(),
        target.display()
    )]
    Dangling { path: PathBuf, target: PathBuf },
    #[error(
        "{} is a symlink to its own parent folder {}; packaging it would never end, so remove it or leave it out with exclude_files",
        path.display(),
        target.display()
    )]
    Loop { path: PathBuf, target: PathBuf },
    #[error("cannot read {}: {cause}", path.display())]
    CannotRead {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(
        "{}: the file name is not valid UTF-8, which zip entry names must be; rename it or leave it out",
        path.display()
    )]
    NotUtf8 { path: PathBuf },
    /// A listed fifo, device or socket: opening a fifo waits for a writer that never comes,
    /// and a device such as /dev/zero never ends, so packaging it would hang or fill the disk.
    #[error(
        "include_files[{index}]: {} is {found}, not a file, folder or symlink; remove it from include_files",
        path.display()
    )]
    NotAFile {
        index: usize,
        path: PathBuf,
        found: &'static str,
    },
    /// One of the errors above, found in the temporary copy `pre_package` ran in: its path is
    /// named in the buildpack folder instead ([`SelectError::in_copy`]), since the copy is
    /// gone when the message is read.
    #[error("{error} (found after pre_package `{command}`, which runs in a temporary copy)")]
    InPrePackageCopy {
        error: Box<SelectError>,
        command: String,
    },
}

impl SelectError {
    /// This error, found in `copy` (the temporary copy `pre_package` `command` ran in), with
    /// its path named under the buildpack folder `root`: a path such as
    /// `/tmp/bpkit-package-KVUybm/tree/x` named a folder that no longer exists.
    #[must_use]
    pub fn in_copy(self, copy: &Path, root: &Path, command: &str) -> SelectError {
        // Paths may come from the copy as given or canonicalized (a TMPDIR through a symlink).
        let canonical = fs::canonicalize(copy).ok();
        let moved = |path: &Path| {
            path.strip_prefix(copy)
                .ok()
                .or_else(|| canonical.as_deref().and_then(|c| path.strip_prefix(c).ok()))
                .map_or_else(|| path.to_path_buf(), |rel| root.join(rel))
        };
        let error = match self {
            SelectError::Dangling { path, target } => SelectError::Dangling {
                path: moved(&path),
                target,
            },
            SelectError::Loop { path, target } => SelectError::Loop {
                path: moved(&path),
                target: moved(&target),
            },
            SelectError::CannotRead { path, cause } => SelectError::CannotRead {
                path: moved(&path),
                cause,
            },
            SelectError::NotUtf8 { path } => SelectError::NotUtf8 { path: moved(&path) },
            SelectError::NotAFile { index, path, found } => SelectError::NotAFile {
                index,
                path: moved(&path),
                found,
            },
            // No path in the copy: nothing to say about it.
            other => return other,
        };
        SelectError::InPrePackageCopy {
            error: Box::new(error),
            command: command.to_string(),
        }
    }
}

/// Select the files under `root` by `rules`.
pub fn select(root: &Path, rules: &Rules<'_>) -> Result<Selection, SelectError> {
    let canonical_root = fs::canonicalize(root).map_err(|cause| SelectError::CannotRead {
        path: root.to_path_buf(),
        cause,
    })?;
    let mut walker = Walker {
        root: canonical_root.clone(),
        keep_links: rules.keep_links,
        skip: rules.skip,
        provided: rules.provided,
        excluder: None,
        selection: Selection::default(),
    };
    if let Some(list) = rules.include_files {
        walker.include(list)?;
    } else {
        walker.excluder = Some(Excluder::new(rules.exclude_files)?);
        let mut ancestors = vec![canonical_root.clone()];
        walker.walk(&canonical_root, "", &mut ancestors)?;
    }
    Ok(walker.selection)
}

struct Walker<'a> {
    root: PathBuf,
    keep_links: bool,
    skip: &'a [PathBuf],
    provided: &'a BTreeSet<String>,
    /// Set when selecting by `exclude_files`.
    excluder: Option<Excluder>,
    selection: Selection,
}

impl Walker<'_> {
    fn include(&mut self, list: &[String]) -> Result<(), SelectError> {
        let mut all_paths: Option<Vec<(String, bool)>> = None;
        for (index, raw) in list.iter().enumerate() {
            let path = raw.trim().trim_start_matches("./").trim_end_matches('/');
            let unsafe_path = Path::new(path).is_absolute()
                || Path::new(path)
                    .components()
                    .any(|c| matches!(c, Component::ParentDir));
            if unsafe_path {
                return Err(SelectError::Outside {
                    index,
                    path: raw.clone(),
                });
            }
            if path.is_empty() || path == "." {
                continue;
            }
            if path.contains(['*', '?', '[', '{']) {
                let glob = GlobBuilder::new(path)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| SelectError::BadPattern {
                        key: format!("include_files[{index}]"),
                        pattern: raw.clone(),
                        cause: e.kind().to_string(),
                    })?
                    .compile_matcher();
                let candidates = match &all_paths {
                    Some(paths) => paths,
                    None => all_paths.insert(self.list_all()?),
                };
                let matched: Vec<String> = candidates
                    .iter()
                    .filter(|(p, _)| glob.is_match(p) && !self.provided.contains(p))
                    .map(|(p, _)| p.clone())
                    .collect();
                if matched.is_empty() {
                    self.warn(format!(
                        "include_files[{index}]: `{raw}` matches no file; it is ignored"
                    ));
                }
                for p in matched {
                    self.add_path(None, &p)?;
                }
                continue;
            }
            if self.provided.contains(path) {
                continue;
            }
            let disk = self.root.join(path);
            if fs::symlink_metadata(&disk).is_err() {
                return Err(SelectError::Missing {
                    index,
                    path: raw.clone(),
                    root: self.root.clone(),
                });
            }
            self.add_path(Some(index), path)?;
        }
        Ok(())
    }

    /// Every path in the tree (links not followed), for matching `include_files` globs.
    fn list_all(&self) -> Result<Vec<(String, bool)>, SelectError> {
        let mut out = Vec::new();
        let mut pending = vec![(self.root.clone(), String::new())];
        while let Some((dir, prefix)) = pending.pop() {
            for (name, path) in read_dir_sorted(&dir)? {
                if name == ".git" {
                    continue;
                }
                let rel = format!("{prefix}{name}");
                let meta = lstat(&path)?;
                let is_dir = meta.is_dir();
                if is_dir {
                    pending.push((path, format!("{rel}/")));
                }
                out.push((rel, is_dir));
            }
        }
        Ok(out)
    }

    /// Add a path that exists: a file, a folder or a symlink. A fifo, device or socket is an
    /// error when include_files names it (`listed`, its index there), and left out with a
    /// warning when a glob matched it, as when a folder holds one.
    fn add_path(&mut self, listed: Option<usize>, rel: &str) -> Result<(), SelectError> {
        let disk = self.root.join(rel);
        // A cache or output folder in the tree is never packaged, as `walk` skips it: a glob
        // (`*`, `**`) or a listed name reached it here, and packaged the earlier zips in it.
        if self.skip.iter().any(|s| disk.starts_with(s)) {
            return Ok(());
        }
        let meta = lstat(&disk)?;
        if meta.file_type().is_symlink() {
            let mut ancestors = vec![self.root.clone()];
            return self.link(&disk, rel, &mut ancestors);
        }
        if meta.is_dir() {
            let canonical = canonical(&disk)?;
            let mut ancestors = vec![self.root.clone(), canonical.clone()];
            self.selection.items.insert(rel.to_string(), Item::Dir);
            return self.walk(&canonical, &format!("{rel}/"), &mut ancestors);
        }
        if !meta.is_file() {
            let Some(index) = listed else {
                self.leave_out(&disk);
                return Ok(());
            };
            return Err(SelectError::NotAFile {
                index,
                path: disk,
                found: crate::fetch::describe_file_type(meta.file_type()),
            });
        }
        self.file(&disk, rel, &meta);
        Ok(())
    }

    /// Add everything under `dir` (whose zip path is `prefix`) not excluded.
    fn walk(
        &mut self,
        dir: &Path,
        prefix: &str,
        ancestors: &mut Vec<PathBuf>,
    ) -> Result<(), SelectError> {
        for (name, path) in read_dir_sorted(dir)? {
            let rel = format!("{prefix}{name}");
            let meta = lstat(&path)?;
            let is_dir = meta.is_dir();
            if self.excluded(&name, &rel, is_dir) {
                continue;
            }
            if meta.file_type().is_symlink() {
                self.link(&path, &rel, ancestors)?;
            } else if is_dir {
                if self.skip.iter().any(|s| s == &path) {
                    continue;
                }
                self.selection.items.insert(rel.clone(), Item::Dir);
                ancestors.push(path.clone());
                self.walk(&path, &format!("{rel}/"), ancestors)?;
                ancestors.pop();
            } else if meta.is_file() {
                self.file(&path, &rel, &meta);
            } else {
                self.leave_out(&path);
            }
        }
        Ok(())
    }

    fn excluded(&self, name: &str, rel: &str, is_dir: bool) -> bool {
        if self.provided.contains(rel) {
            return true;
        }
        // Our own unfinished zip (zipwriter's temporary file) when the output is in the tree.
        let unfinished =
            name.starts_with(".bpkit-") && name.to_ascii_lowercase().ends_with(".part");
        if name == ".git" || unfinished {
            return true;
        }
        // What include_files lists is packaged whatever its name (an output folder inside the
        // tree is skipped whole elsewhere).
        if self.excluder.is_some() && !rel.contains('/') && is_own_output_at_top(name, is_dir) {
            return true;
        }
        match &self.excluder {
            Some(excluder) => name.starts_with(".git") || excluder.excludes(rel, is_dir),
            None => false,
        }
    }

    fn file(&mut self, source: &Path, rel: &str, meta: &fs::Metadata) {
        self.selection.items.insert(
            rel.to_string(),
            Item::File {
                source: source.to_path_buf(),
                mode: meta.permissions().mode() & 0o7777,
            },
        );
    }

    /// A symlink at `path` (zip path `rel`).
    fn link(
        &mut self,
        path: &Path,
        rel: &str,
        ancestors: &mut Vec<PathBuf>,
    ) -> Result<(), SelectError> {
        let Ok(target) = fs::canonicalize(path) else {
            return Err(SelectError::Dangling {
                path: path.to_path_buf(),
                target: fs::read_link(path).unwrap_or_default(),
            });
        };
        if self.keep_links
            && let Ok(inside) = target.strip_prefix(&self.root)
        {
            let inside = inside.to_str().ok_or_else(|| SelectError::NotUtf8 {
                path: target.clone(),
            })?;
            self.selection.items.insert(
                rel.to_string(),
                Item::Symlink {
                    target: relative_link(rel, inside),
                },
            );
            return Ok(());
        }
        let meta = fs::metadata(&target).map_err(|cause| SelectError::CannotRead {
            path: target.clone(),
            cause,
        })?;
        if meta.is_dir() {
            if ancestors.iter().any(|a| a == &target) {
                return Err(SelectError::Loop {
                    path: path.to_path_buf(),
                    target,
                });
            }
            self.selection.items.insert(rel.to_string(), Item::Dir);
            ancestors.push(target.clone());
            let result = self.walk(&target, &format!("{rel}/"), ancestors);
            ancestors.pop();
            return result;
        }
        // A link to a fifo or a device (/dev/zero, /dev/null) is left out as they are: read
        // through the link, the fifo would hang packaging and /dev/zero fill the disk.
        if meta.is_file() {
            self.file(&target, rel, &meta);
        } else {
            self.warn(format!(
                "{} is a symlink to {}, {}, not a file or folder; it is left out",
                path.display(),
                target.display(),
                crate::fetch::describe_file_type(meta.file_type())
            ));
        }
        Ok(())
    }

    /// Add a warning unless it was given already: a folder that include_files reaches twice
    /// (listed, and matched by a glob such as `*`) is walked twice, and a fifo in it was
    /// reported twice.
    fn warn(&mut self, warning: String) {
        if !self.selection.warnings.contains(&warning) {
            self.selection.warnings.push(warning);
        }
    }

    /// Warn that `path`, a fifo, device or socket (or a link to one), is not packaged.
    fn leave_out(&mut self, path: &Path) {
        self.warn(format!(
            "{} is not a regular file, folder or symlink; it is left out",
            path.display()
        ));
    }
}

/// The link text that reaches `target` (relative to the root) from a link at `link` (relative
/// to the root): `bin/detect` → `bin/bpkit` gives `bpkit`.
pub(crate) fn relative_link(link: &str, target: &str) -> String {
    let link_dir: Vec<&str> = link.split('/').collect::<Vec<_>>();
    let link_dir = &link_dir[..link_dir.len().saturating_sub(1)];
    let target_parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let common = link_dir
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; link_dir.len() - common];
    parts.extend(&target_parts[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The names in a folder with their paths, sorted (the zip is sorted again, but errors and
/// warnings then come in a stable order too). Names must be UTF-8 to become zip entries.
fn read_dir_sorted(dir: &Path) -> Result<Vec<(String, PathBuf)>, SelectError> {
    let entries = fs::read_dir(dir).map_err(|cause| SelectError::CannotRead {
        path: dir.to_path_buf(),
        cause,
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|cause| SelectError::CannotRead {
            path: dir.to_path_buf(),
            cause,
        })?;
        let path = entry.path();
        let name = entry
            .file_name()
            .into_string()
            .map_err(|_| SelectError::NotUtf8 { path: path.clone() })?;
        out.push((name, path));
    }
    out.sort();
    Ok(out)
}

fn lstat(path: &Path) -> Result<fs::Metadata, SelectError> {
    fs::symlink_metadata(path).map_err(|cause| SelectError::CannotRead {
        path: path.to_path_buf(),
        cause,
    })
}

fn canonical(path: &Path) -> Result<PathBuf, SelectError> {
    fs::canonicalize(path).map_err(|cause| SelectError::CannotRead {
        path: path.to_path_buf(),
        cause,
    })
}

/// `exclude_files` with the Ruby gem's Info-ZIP semantics: `p/` is `-x p* -x */p*`, anything
/// else is `-x p -x */p`, and Info-ZIP's `*` matches `/` too.
struct Excluder {
    set: GlobSet,
}

impl Excluder {
    fn new(patterns: &[String]) -> Result<Self, SelectError> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let forms = if pattern.ends_with('/') {
                [format!("{pattern}*"), format!("*/{pattern}*")]
            } else {
                [pattern.clone(), format!("*/{pattern}")]
            };
            for form in forms {
                let glob = GlobBuilder::new(&form)
                    .literal_separator(false)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| SelectError::BadPattern {
                        key: format!("exclude_files[{index}]"),
                        pattern: pattern.clone(),
                        cause: e.kind().to_string(),
                    })?;
                builder.add(glob);
            }
        }
        let set = builder.build().map_err(|e| SelectError::BadPattern {
            key: "exclude_files".into(),
            pattern: patterns.join(", "),
            cause: e.to_string(),
        })?;
        Ok(Excluder { set })
    }

    /// A folder is tested as `rel/`, as Info-ZIP names folder entries.
    fn excludes(&self, rel: &str, is_dir: bool) -> bool {
        if is_dir {
            self.set.is_match(format!("{rel}/"))
        } else {
            self.set.is_match(rel)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let path = dir.path().join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, f).unwrap();
        }
        dir
    }

    fn paths(selection: &Selection) -> Vec<String> {
        selection
            .items
            .iter()
            .map(|(p, i)| match i {
                Item::Dir => format!("{p}/"),
                Item::Symlink { target } => format!("{p} -> {target}"),
                Item::File { .. } => p.clone(),
            })
            .collect()
    }

    fn rules<'a>(
        include: Option<&'a [String]>,
        exclude: &'a [String],
        provided: &'a BTreeSet<String>,
    ) -> Rules<'a> {
        Rules {
            include_files: include,
            exclude_files: exclude,
            provided,
            keep_links: false,
            skip: &[],
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(ToString::to_string).collect()
    }

    fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success());
    }

    /// A fifo, or a link to one or to a device, is never opened: reading a fifo waits for a
    /// writer (packaging once hung there, deaf even to SIGTERM) and /dev/zero never ends.
    /// Named in include_files it is an error; found in a folder or by a glob, left out.
    #[test]
    fn fifos_and_devices_are_never_read() {
        let dir = tree(&["sub/a.txt"]);
        mkfifo(&dir.path().join("fifo"));
        mkfifo(&dir.path().join("sub/fifo2"));
        symlink("/dev/zero", dir.path().join("zero")).unwrap();
        symlink("../fifo", dir.path().join("sub/lnk")).unwrap();
        let provided = BTreeSet::new();

        let listed = strings(&["sub/a.txt", "fifo"]);
        let error = select(dir.path(), &rules(Some(&listed), &[], &provided)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "include_files[1]: {}/fifo is a fifo, not a file, folder or symlink; remove it from include_files",
                dir.path().display()
            )
        );

        for (include, packaged) in [
            (Some(strings(&["*", "sub"])), &["sub/", "sub/a.txt"][..]),
            (Some(strings(&["zero", "sub/*"])), &["sub/a.txt"]),
            (None, &["sub/", "sub/a.txt"]),
        ] {
            let s = select(dir.path(), &rules(include.as_deref(), &[], &provided)).unwrap();
            assert_eq!(paths(&s), packaged, "{include:?}");
            let root = dir.path().display();
            for warning in [
                format!(
                    "{root}/sub/lnk is a symlink to {root}/fifo, a fifo, not a file or folder; it is left out"
                ),
                format!(
                    "{root}/zero is a symlink to /dev/zero, a character device, not a file or folder; it is left out"
                ),
            ] {
                assert!(
                    s.warnings.contains(&warning),
                    "{include:?}: {:?}",
                    s.warnings
                );
            }
        }
    }

    #[test]
    fn exclude_files_follow_info_zip() {
        let dir = tree(&[
            "README.md",
            "bin/compile",
            "cf_spec/a_spec.rb",
            "lib/cf_spec/deep.rb",
            "lib/x.rb",
            "log/today.log",
            "lib/ephemeral_junkpile",
            ".gitignore",
            ".git/config",
            ".github/workflows/ci.yml",
            "ruby_buildpack-v1.0.0.zip",
            "fixtures/app.zip",
            "fixtures/go_buildpack-v1.2.3.zip",
        ]);
        let exclude = strings(&["cf_spec/", "lib/ephemeral_junkpile", "log", "*.md"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &exclude, &provided)).unwrap();
        assert_eq!(
            paths(&s),
            [
                "bin/",
                "bin/compile",
                "fixtures/",
                "fixtures/app.zip",
                // Named like an output zip, but not where one is written: the buildpack's own.
                "fixtures/go_buildpack-v1.2.3.zip",
                "lib/",
                "lib/x.rb",
                "log/",
                // `log` (no slash) names a file, as with `zip -x log`, so the folder stays.
                "log/today.log",
            ]
        );
    }

    #[test]
    fn include_files_take_folders_whole_and_globs() {
        let dir = tree(&[
            "bin/detect",
            "bin/supply",
            "templates/profile.d/a.sh",
            "templates/profile.d/b.sh",
            "docs/x.md",
            "docs/sub/y.md",
            "secret.txt",
        ]);
        let include = strings(&["bin/detect", "templates/profile.d/", "docs/*.md", "none*"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(
            paths(&s),
            [
                "bin/detect",
                "docs/x.md",
                "templates/profile.d/",
                "templates/profile.d/a.sh",
                "templates/profile.d/b.sh"
            ]
        );
        assert_eq!(
            s.warnings,
            ["include_files[3]: `none*` matches no file; it is ignored"]
        );
    }

    #[test]
    fn missing_include_is_an_error_unless_provided() {
        let dir = tree(&["a"]);
        let include = strings(&["a", "bin/bpkit"]);
        let none = BTreeSet::new();
        let err = select(dir.path(), &rules(Some(&include), &[], &none)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("include_files[1]: `bin/bpkit` does not exist in "),
            "{err}"
        );
        let provided: BTreeSet<String> = ["bin/bpkit".to_string()].into();
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["a"]);
    }

    #[test]
    fn symlinks_inside_are_kept_or_followed_and_outside_are_followed() {
        let outside = tree(&["shared/tool"]);
        let dir = tree(&["bin/bpkit", "lib/real/x.rb"]);
        symlink("bpkit", dir.path().join("bin/detect")).unwrap();
        symlink("real", dir.path().join("lib/alias")).unwrap();
        symlink(
            outside.path().join("shared/tool"),
            dir.path().join("bin/tool"),
        )
        .unwrap();
        let provided = BTreeSet::new();
        let mut r = rules(None, &[], &provided);
        let followed = select(dir.path(), &r).unwrap();
        assert_eq!(
            paths(&followed),
            [
                "bin/",
                "bin/bpkit",
                "bin/detect",
                "bin/tool",
                "lib/",
                "lib/alias/",
                "lib/alias/x.rb",
                "lib/real/",
                "lib/real/x.rb"
            ]
        );
        r.keep_links = true;
        let kept = select(dir.path(), &r).unwrap();
        assert_eq!(
            paths(&kept),
            [
                "bin/",
                "bin/bpkit",
                "bin/detect -> bpkit",
                "bin/tool",
                "lib/",
                "lib/alias -> real",
                "lib/real/",
                "lib/real/x.rb"
            ]
        );
        assert!(matches!(
            &kept.items["bin/tool"],
            Item::File { source, .. } if source.ends_with("shared/tool")
        ));
    }

    #[test]
    fn dangling_and_looping_links_are_errors() {
        let dir = tree(&["a/b"]);
        symlink("..", dir.path().join("a/up")).unwrap();
        let provided = BTreeSet::new();
        let err = select(dir.path(), &rules(None, &[], &provided)).unwrap_err();
        assert!(matches!(err, SelectError::Loop { .. }), "{err}");
        fs::remove_file(dir.path().join("a/up")).unwrap();
        symlink("missing", dir.path().join("a/gone")).unwrap();
        let err = select(dir.path(), &rules(None, &[], &provided)).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "a/gone is a symlink to `missing`, which does not exist; fix the link, or leave it out with exclude_files"
            ),
            "{err}"
        );
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative_link("bin/detect", "bin/bpkit"), "bpkit");
        assert_eq!(relative_link("a/b/c", "x/y"), "../../x/y");
        assert_eq!(relative_link("top", "lib/x"), "lib/x");
    }

    /// A fifo found in a listed folder, by a glob or by the walk is left out with a warning,
    /// given once even when a glob and a listed folder both reach it.
    #[test]
    fn a_fifo_in_a_folder_is_left_out_with_one_warning() {
        let dir = tree(&["sub/a.txt"]);
        mkfifo(&dir.path().join("sub/fifo"));
        let provided = BTreeSet::new();
        let root = fs::canonicalize(dir.path()).unwrap();
        let warning = format!(
            "{}/sub/fifo is not a regular file, folder or symlink; it is left out",
            root.display()
        );
        for include in [
            None,
            Some(strings(&["sub"])),
            Some(strings(&["sub/*"])),
            Some(strings(&["*", "sub"])),
        ] {
            let s = select(dir.path(), &rules(include.as_deref(), &[], &provided)).unwrap();
            assert_eq!(s.warnings, [warning.as_str()], "{include:?}");
            assert!(!s.items.contains_key("sub/fifo"), "{include:?}");
        }
    }

    /// `.`, `./` and an empty entry name the folder itself, which is not an entry: they add
    /// nothing (and no `./x` or `/x` entries).
    #[test]
    fn include_of_the_folder_itself_adds_nothing() {
        let dir = tree(&["a", "sub/b"]);
        let include = strings(&[".", "./", "", "a"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["a"]);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    /// A cache or output folder inside the tree (`skip`) is left out whole; its siblings stay.
    #[test]
    fn skipped_folders_are_left_out_whole() {
        let dir = tree(&["out/x", "lib/a", "lib/out/b"]);
        let provided = BTreeSet::new();
        let skip = [fs::canonicalize(dir.path().join("out")).unwrap()];
        let r = Rules {
            skip: &skip,
            ..rules(None, &[], &provided)
        };
        let s = select(dir.path(), &r).unwrap();
        assert_eq!(paths(&s), ["lib/", "lib/a", "lib/out/", "lib/out/b"]);
    }

    /// include_files cannot bring a skipped folder back either, by name or by a glob: with
    /// `--output-dir` inside the tree, `*` packaged the earlier zips there.
    #[test]
    fn include_files_leave_skipped_folders_out() {
        let dir = tree(&["out/ruby_buildpack-v1.zip", "lib/a"]);
        let provided = BTreeSet::new();
        let skip = [fs::canonicalize(dir.path().join("out")).unwrap()];
        for listed in [&["*"][..], &["**"], &["**/*.zip", "lib"], &["out", "lib"]] {
            let include = strings(listed);
            let r = Rules {
                skip: &skip,
                ..rules(Some(&include), &[], &provided)
            };
            let s = select(dir.path(), &r).unwrap();
            assert_eq!(paths(&s), ["lib/", "lib/a"], "{listed:?}");
        }
    }

    /// Only bpkit's own unfinished zip (`.bpkit-<name>.<random>.part`, any case) is left out
    /// as such, and `.git` is left out even from a folder include_files lists.
    #[test]
    fn unfinished_zips_and_git_folders_are_left_out() {
        let dir = tree(&[
            ".bpkit-ruby_buildpack-v1.zip.abc.part",
            ".bpkit-x.zip.def.PART",
            ".bpkit-notes.txt",
            "data.part",
            "vendor/lib/.git/config",
            "vendor/lib/x.rb",
        ]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &[], &provided)).unwrap();
        assert_eq!(
            paths(&s),
            [
                ".bpkit-notes.txt",
                "data.part",
                "vendor/",
                "vendor/lib/",
                "vendor/lib/x.rb"
            ]
        );
        let include = strings(&["vendor"]);
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["vendor/", "vendor/lib/", "vendor/lib/x.rb"]);
    }

    /// A file's permission bits are kept as they are (the zip writer applies the 0755 / 0644
    /// rules); the file type bits of `st_mode` are not.
    #[test]
    fn file_modes_are_the_permission_bits() {
        let dir = tree(&["bin/run", "data"]);
        fs::set_permissions(
            dir.path().join("bin/run"),
            fs::Permissions::from_mode(0o4750),
        )
        .unwrap();
        fs::set_permissions(dir.path().join("data"), fs::Permissions::from_mode(0o600)).unwrap();
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &[], &provided)).unwrap();
        let mode = |path: &str| match &s.items[path] {
            Item::File { mode, .. } => *mode,
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(mode("bin/run"), 0o4750);
        assert_eq!(mode("data"), 0o600);
    }

    #[test]
    fn include_refuses_paths_outside() {
        let dir = tree(&["a"]);
        let include = strings(&["../etc/passwd"]);
        let provided = BTreeSet::new();
        assert!(matches!(
            select(dir.path(), &rules(Some(&include), &[], &provided)),
            Err(SelectError::Outside { index: 0, .. })
        ));
    }
}
