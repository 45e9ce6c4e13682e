//! Selecting by `include_files`: each listed path (refused when absolute or with `..`, an
//! error when missing unless the packager writes it, `bin//x` and `bin/./x` read as `bin/x`),
//! a listed folder whole, and globs (`*` within a folder, `**` across folders) matched against
//! the paths [`super::listing`] gives: every path in the tree but `.git` and bpkit's unfinished
//! zips, and those below a link to a folder inside, under the link's name. `.` is the whole
//! folder (what `*` takes); an empty entry is an error.

use std::fs;
use std::path::{Component, Path};

use globset::GlobBuilder;

use super::listing::{Candidate, Reach};
use super::{Item, SelectError, Walker};

impl Walker<'_> {
    pub(super) fn include(&mut self, list: &[String]) -> Result<(), SelectError> {
        let mut all_paths: Option<Vec<Candidate>> = None;
        // Every entry that reads as a glob: the listing follows a link to a folder only when
        // one of them can match a path below it.
        let globs: Vec<Reach> = list
            .iter()
            .map(|raw| plain_path(raw.trim()))
            .filter(|plain| is_glob(plain))
            .map(|plain| Reach::new(&plain))
            .collect();
        for (index, raw) in list.iter().enumerate() {
            let trimmed = raw.trim();
            let unsafe_path = Path::new(trimmed).is_absolute()
                || Path::new(trimmed)
                    .components()
                    .any(|c| matches!(c, Component::ParentDir));
            if unsafe_path {
                return Err(SelectError::Outside {
                    index,
                    path: raw.clone(),
                });
            }
            if trimmed.is_empty() {
                return Err(SelectError::EmptyInclude { index });
            }
            let plain = plain_path(trimmed);
            // `.` (or `./`) is the buildpack folder, taken whole as a listed folder is, which
            // is what `*` takes: it was left out without a word, and the zip held only
            // manifest.yml and VERSION.
            let path = if plain.is_empty() {
                "*"
            } else {
                plain.as_str()
            };
            // A path that is there as written is taken as written, as the Go packager takes
            // every entry: `lib/a[1].txt` read as a glob matched `lib/a1.txt` only, and the
            // file the manifest names was left out with "matches no file".
            if is_glob(path) && fs::symlink_metadata(self.root.join(path)).is_err() {
                let glob = include_glob(index, raw, path)?;
                let candidates = match &all_paths {
                    Some(paths) => paths,
                    None => all_paths.insert(self.list_all(&globs)?),
                };
                let matched: Vec<&Candidate> = candidates
                    .iter()
                    .filter(|(p, _)| {
                        glob.is_match(p) && !self.provided.contains(p) && !own_output(p)
                    })
                    .collect();
                // A name that is not UTF-8 is an error only when a glob takes it.
                if let Some((_, Some(path))) = matched.iter().find(|(_, bad)| bad.is_some()) {
                    return Err(SelectError::NotUtf8 {
                        path: path.clone(),
                        by: self.by(),
                    });
                }
                let matched: Vec<String> = matched.into_iter().map(|(p, _)| p.clone()).collect();
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
        let meta = self.lstat(&disk)?;
        if meta.file_type().is_symlink() {
            let mut ancestors = vec![self.root.clone()];
            return self.link(&disk, rel, &mut ancestors);
        }
        if meta.is_dir() {
            let canonical = self.canonical(&disk)?;
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
                found: crate::regular_file::describe_file_type(meta.file_type()),
            });
        }
        self.file(&disk, rel, &meta);
        Ok(())
    }
}

/// What bpkit itself left at the top of the folder (an earlier output zip, `.bpkit/` and what
/// is in it), which a glob does not take: `*` packaged the last zip into the next one, which
/// grew by a zip at every build. A name include_files lists is packaged all the same.
fn own_output(path: &str) -> bool {
    match path.split_once('/') {
        Some((top, _)) => super::is_own_output_at_top(top, true),
        None => super::is_own_output_at_top(path, false) || super::is_own_output_at_top(path, true),
    }
}

/// Whether an include_files entry (made plain) is a glob rather than a path.
pub(super) fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '[', '{'])
}

/// The matcher for the include_files glob `path` (entry `index`, written `raw`): `*` stays
/// within a folder, `**` crosses folders, `\` escapes.
pub(super) fn include_glob(
    index: usize,
    raw: &str,
    path: &str,
) -> Result<globset::GlobMatcher, SelectError> {
    Ok(GlobBuilder::new(path)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| SelectError::BadPattern {
            key: format!("include_files[{index}]"),
            pattern: raw.to_string(),
            cause: e.kind().to_string(),
        })?
        .compile_matcher())
}

/// Whether include_files entry `raw` names `path` (relative, plain): as that path, or as a glob
/// matching it (`*` lists `manifest.yml`). A glob that does not compile names nothing.
pub(crate) fn lists(raw: &str, path: &str) -> bool {
    let plain = plain_path(raw.trim());
    if plain.is_empty() {
        // `.`, the whole folder; an empty entry, refused.
        return !raw.trim().is_empty();
    }
    if is_glob(&plain) {
        include_glob(0, raw, &plain).is_ok_and(|glob| glob.is_match(path))
    } else {
        plain == path
    }
}

/// `path` (relative, no `..`) as a zip entry names it: its segments joined by one `/`, with
/// empty and `.` segments dropped. `bin//detect`, `./bin/./detect` and `bin/detect/` name one
/// file on disk, but were entries `bin//detect` and `bin/./detect` (with folder entries `bin//`
/// and `bin/./`), which extractors write to one path and `bpkit verify` refuses; the zip had
/// no `bin/detect`. A glob is made plain too, so `bin//*` matches `bin/detect`.
pub(crate) fn plain_path(path: &str) -> String {
    path.split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::select::tests::{paths, rules, strings, tree};
    use crate::packager::select::{Rules, select};
    use std::collections::BTreeSet;

    /// `*` lists manifest.yml; `bin/*` and `manifest.yml/x` do not.
    #[test]
    fn globs_list_the_paths_they_match() {
        assert!(lists("manifest.yml", "manifest.yml"));
        assert!(lists("./manifest.yml", "manifest.yml"));
        assert!(lists("*", "manifest.yml"));
        assert!(lists("*.yml", "manifest.yml"));
        assert!(lists("VERS?ON", "VERSION"));
        assert!(!lists("bin/*", "VERSION"));
        assert!(!lists("[", "VERSION"));
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

    /// A listed path that is there as written is taken as written, as the Go packager takes
    /// every entry, though it reads as a glob: `lib/a[1].txt` matched only `lib/a1.txt`, and
    /// the file named was left out with "matches no file". One that is not there is a glob.
    #[test]
    fn a_path_there_as_written_is_no_glob() {
        let dir = tree(&["lib/a[1].txt", "lib/a1.txt", "lib/{x}.md", "lib/b2.txt"]);
        let include = strings(&["lib/a[1].txt", "lib/{x}.md", "lib/b[2].txt"]);
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["lib/a[1].txt", "lib/b2.txt", "lib/{x}.md"]);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    /// `.` (however spelled) is the whole folder, as `*` takes it (no earlier output zip, no
    /// `.git`, and no `./x` or `/x` entries), where it was skipped without a word and the zip
    /// held manifest.yml and VERSION only; an empty entry is an error naming it, where it was
    /// skipped too.
    #[test]
    fn dot_is_the_whole_folder_and_an_empty_entry_is_an_error() {
        let dir = tree(&[
            "bin/detect",
            "lib/x.rb",
            ".gitignore",
            ".git/HEAD",
            "ruby_buildpack-v1.0.0.zip",
        ]);
        let provided: BTreeSet<String> = ["manifest.yml".to_string()].into();
        for dot in [".", "./", " .//. "] {
            let include = strings(&[dot]);
            let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
            assert_eq!(
                paths(&s),
                [".gitignore", "bin/", "bin/detect", "lib/", "lib/x.rb"],
                "{dot:?}"
            );
            assert!(lists(dot, "manifest.yml"), "{dot:?}");
        }
        for empty in ["", "  "] {
            let include = strings(&["bin/", empty]);
            let err = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap_err();
            assert_eq!(
                err.to_string(),
                "include_files[1]: the entry is empty, so it names no file; remove the item, or write what to package (`bin/`, `lib/*.rb`, or `.` for the whole folder)"
            );
            assert!(!lists(empty, "manifest.yml"));
        }
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
