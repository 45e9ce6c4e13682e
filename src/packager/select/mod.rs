//! Which files of the buildpack folder go into the zip (packager.md, "Which files go in").
//!
//! - With `include_files`: exactly those paths. A listed folder is taken whole (the Go tool
//!   writes one empty entry for it), `.` is the whole folder, an empty entry is an error, and
//!   globs are allowed (`*` stays within a folder, `**`
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
//! their own parent folder are errors, and so is a packaged name holding a control character
//! (a line break splits every listing of the zip) or a `\` (a folder separator to some
//! extractors).
//!
//! Files: `include` takes what include_files lists (paths, folders, globs), `listing` the
//! paths its globs are matched against (through links to folders inside); `exclude` is
//! exclude_files with Info-ZIP's `-x` semantics and the default exclusions (`.git*`, earlier
//! output zips, `.bpkit/`, bpkit's unfinished zip); `walk` adds a folder's contents and reads
//! the tree; `links` keeps or follows a symlink (dangling, looping, escaping); `error` is
//! [`SelectError`]. What is left here is the selection's types and its entry point.

mod error;
mod exclude;
mod include;
mod links;
mod listing;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

pub use error::{ChosenBy, SelectError};
use exclude::Excluder;
pub use exclude::is_own_output_at_top;
pub(crate) use include::{lists, plain_path};
pub(crate) use links::relative_link;

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

impl Selection {
    /// The warnings of a selection made in `copy` (the temporary copy `pre_package` `command`
    /// ran in), with the paths in it named under the buildpack folder `root`, as
    /// [`SelectError::in_copy`] names an error's: `/tmp/bpkit-package-…/tree/fifo` named a
    /// folder gone by the time the warning was read.
    pub fn warnings_in_copy(&mut self, copy: &Path, root: &Path, command: &str) {
        // The walk names paths under the canonical copy (a TMPDIR through a symlink).
        let mut prefixes = vec![format!("{}/", copy.display())];
        if let Ok(canonical) = fs::canonicalize(copy) {
            prefixes.push(format!("{}/", canonical.display()));
        }
        let root = format!("{}/", root.display());
        for warning in &mut self.warnings {
            if let Some(prefix) = prefixes.iter().find(|p| warning.contains(p.as_str())) {
                *warning = format!(
                    "{} (found after pre_package `{command}`, which runs in a temporary copy)",
                    warning.replace(prefix.as_str(), &root)
                );
            }
        }
    }
}

/// Why entry `index` of include_files (`include` true) or exclude_files, `pattern`, is not a
/// valid glob, for `bpkit validate` (without the key, which it puts first); `None` when it
/// is valid or is not a glob. Packaging compiles the same globs the same way, and a manifest
/// `validate` called valid failed to package.
#[must_use]
pub fn pattern_problem(include: bool, index: usize, pattern: &str) -> Option<String> {
    let error = if include {
        if pattern.trim().is_empty() {
            return Some(error::EMPTY_INCLUDE.to_string());
        }
        let plain = plain_path(pattern.trim());
        if !include::is_glob(&plain) {
            return None;
        }
        include::include_glob(index, pattern, &plain).err()?
    } else {
        Excluder::new(std::slice::from_ref(&pattern.to_string())).err()?
    };
    match error {
        SelectError::BadPattern { pattern, cause, .. } => {
            Some(error::pattern_problem(&pattern, &cause))
        }
        SelectError::EmptyExclude { .. } => Some(error::EMPTY_EXCLUDE.to_string()),
        other => Some(other.to_string()),
    }
}

/// Select the files under `root` by `rules`.
pub fn select(root: &Path, rules: &Rules<'_>) -> Result<Selection, SelectError> {
    let by = if rules.include_files.is_some() {
        ChosenBy::IncludeFiles
    } else {
        ChosenBy::ExcludeFiles
    };
    let canonical_root = fs::canonicalize(root).map_err(|cause| SelectError::CannotRead {
        path: root.to_path_buf(),
        cause,
        by,
    })?;
    let mut walker = Walker {
        root: canonical_root.clone(),
        keep_links: rules.keep_links,
        skip: rules.skip,
        provided: rules.provided,
        excluder: None,
        selection: Selection::default(),
        following: Vec::new(),
        through_links: 0,
    };
    if let Some(list) = rules.include_files {
        walker.include(list)?;
    } else {
        walker.excluder = Some(Excluder::new(rules.exclude_files)?);
        let mut ancestors = vec![canonical_root.clone()];
        walker.walk(&canonical_root, "", &mut ancestors)?;
    }
    if walker.keep_links {
        walker.settle_kept_links()?;
    }
    // Checked on what is packaged, however it was reached (walk, listed, glob, link), so a
    // name left out by exclude_files or matched by no glob is no error. The first in the zip's
    // order is named.
    if let Some(rel) = walker
        .selection
        .items
        .keys()
        .find(|rel| rel.contains('\\') || rel.chars().any(char::is_control))
    {
        let path = canonical_root.join(rel);
        return Err(if rel.chars().any(char::is_control) {
            SelectError::ControlCharacter { path, by }
        } else {
            SelectError::Backslash { path, by }
        });
    }
    Ok(walker.selection)
}

/// One selection in progress: its methods are spread over the files by concern (`include`,
/// `exclude`, `walk`, `links`).
struct Walker<'a> {
    root: PathBuf,
    keep_links: bool,
    skip: &'a [PathBuf],
    provided: &'a BTreeSet<String>,
    /// Set when selecting by `exclude_files`.
    excluder: Option<Excluder>,
    selection: Selection,
    /// The symlinks to folders being walked through, outermost first.
    following: Vec<PathBuf>,
    /// Names met below a followed symlink to a folder, bounded by [`THROUGH_LINKS_LIMIT`].
    through_links: usize,
}

/// The most names packaging walks through symlinks to folders. Each path to a folder is
/// packaged as a copy of it, so folders linked from several places that link on in turn
/// (`a/x -> b`, `a/y -> b`, `b/x -> c`, `b/y -> c`, …) double the paths at every level: 25
/// levels made 33 million copies, and packaging ran for hours. No buildpack packages a tenth
/// of this many files through links.
pub const THROUGH_LINKS_LIMIT: usize = 100_000;
