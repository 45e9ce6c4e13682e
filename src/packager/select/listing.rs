//! The paths `include_files` globs are matched against: every path in the tree but `.git` and
//! bpkit's unfinished zips, and the paths below a symlink to a folder inside the buildpack,
//! named under the link (`vendor/pkg/a.rb` for `vendor -> vendor-real`), as Go's
//! `filepath.Glob` and Python's `glob` find them and as the Go packager names what it opens
//! through a link: `vendor/**/*.rb` matched no file, though `vendor/pkg/a.rb` listed as a path
//! was packaged. A link is followed only when a glob can match a path below it, never out of
//! the buildpack or into a skipped folder, nor back into a folder it is in (a loop); names met
//! below links count towards [`super::THROUGH_LINKS_LIMIT`], as the walk's do.

use std::fs;
use std::path::{Path, PathBuf};

use globset::GlobBuilder;

use super::exclude::never_packaged;
use super::walk::Named;
use super::{SelectError, Walker};

/// A path globs are matched against, with the first part of its path on disk whose name is
/// not UTF-8, if any (an error only when a glob takes it).
pub(super) type Candidate = (String, Option<PathBuf>);

/// A folder still to list.
struct Pending {
    /// Where it is on disk (canonical below a followed link).
    dir: PathBuf,
    /// Its zip path with a `/` after it (`""` for the top).
    prefix: String,
    bad: Option<PathBuf>,
    /// The canonical folders it is in, itself last: a link back to one of them is a loop.
    chain: Vec<PathBuf>,
    /// The outermost link it was reached through, if any.
    link: Option<PathBuf>,
}

impl Walker<'_> {
    /// The paths the include_files globs `globs` are matched against.
    pub(super) fn list_all(&self, globs: &[Reach]) -> Result<Vec<Candidate>, SelectError> {
        let mut out = Vec::new();
        let mut through_links = 0;
        let mut pending = vec![Pending {
            dir: self.root.clone(),
            prefix: String::new(),
            bad: None,
            chain: vec![self.root.clone()],
            link: None,
        }];
        while let Some(folder) = pending.pop() {
            for Named { name, path, utf8 } in self.read_dir_sorted(&folder.dir)? {
                if never_packaged(&name) {
                    continue;
                }
                if let Some(link) = &folder.link {
                    through_links += 1;
                    if through_links > super::THROUGH_LINKS_LIMIT {
                        return Err(SelectError::TooManyThroughLinks {
                            link: link.clone(),
                            by: self.by(),
                        });
                    }
                }
                let rel = format!("{}{name}", folder.prefix);
                let bad = folder.bad.clone().or_else(|| (!utf8).then(|| path.clone()));
                let meta = self.lstat(&path)?;
                let below = if meta.is_dir() {
                    Some((path.clone(), folder.link.clone()))
                } else if meta.file_type().is_symlink() && globs.iter().any(|glob| glob.below(&rel))
                {
                    self.linked_folder(&path, &folder.chain)
                        .map(|target| (target, folder.link.clone().or(Some(path.clone()))))
                } else {
                    None
                };
                if let Some((dir, link)) = below {
                    let mut chain = folder.chain.clone();
                    chain.push(dir.clone());
                    pending.push(Pending {
                        dir,
                        prefix: format!("{rel}/"),
                        bad: bad.clone(),
                        chain,
                        link,
                    });
                }
                out.push((rel, bad));
            }
        }
        Ok(out)
    }

    /// The folder the symlink at `path` leads to, when the listing may go into it: inside
    /// the buildpack, not a skipped (cache or output) folder, and not one of `chain`, the
    /// folders the link is in. A dangling or looping link leads nowhere here; it is reported
    /// if a glob takes it.
    fn linked_folder(&self, path: &Path, chain: &[PathBuf]) -> Option<PathBuf> {
        let target = fs::canonicalize(path).ok()?;
        let inside = target.starts_with(&self.root)
            && !self.skip.iter().any(|s| target.starts_with(s))
            && !chain.contains(&target);
        (inside && target.is_dir()).then_some(target)
    }
}

/// An include_files glob (made plain) cut at its `/`s, to tell whether it can match a path
/// below a folder ([`Reach::below`]).
pub(super) struct Reach {
    segments: Vec<Segment>,
}

enum Segment {
    /// `**`: any number of folders.
    AnyDepth,
    Name(globset::GlobMatcher),
    /// A part that does not compile alone (`{a/b,c}` cut at its `/`): taken to match any
    /// name, so that no path is missed.
    Unknown,
}

impl Reach {
    pub(super) fn new(glob: &str) -> Reach {
        let segments = glob
            .split('/')
            .map(|segment| {
                if segment == "**" {
                    return Segment::AnyDepth;
                }
                GlobBuilder::new(segment)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_or(Segment::Unknown, |g| Segment::Name(g.compile_matcher()))
            })
            .collect();
        Reach { segments }
    }

    /// Whether the glob can match a path below the folder `rel`: its segments match `rel`'s
    /// and some are left, or a `**` comes first.
    fn below(&self, rel: &str) -> bool {
        let mut segments = self.segments.iter();
        for name in rel.split('/') {
            match segments.next() {
                None => return false,
                Some(Segment::AnyDepth) => return true,
                Some(Segment::Name(glob)) if !glob.is_match(name) => return false,
                Some(_) => {}
            }
        }
        segments.next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::select::tests::{paths, rules, strings, tree};
    use crate::packager::select::{Rules, select};
    use std::collections::BTreeSet;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_glob_reaches_below_a_folder_its_segments_lead_into() {
        let below = |glob: &str, rel: &str| Reach::new(glob).below(rel);
        assert!(below("vendor/**/*.rb", "vendor"));
        assert!(below("vendor/*/*.rb", "vendor"));
        assert!(below("vendor/*/*.rb", "vendor/pkg"));
        assert!(below("**", "a/b/c"));
        assert!(below("*/lib/*", "x"));
        assert!(below("{vendor/pkg,lib}/*", "vendor"));
        assert!(!below("*", "vendor"));
        assert!(!below("vendor/*/*.rb", "vendor/pkg/a"));
        assert!(!below("lib/**", "vendor"));
        assert!(!below("vendor", "vendor"));
    }

    /// A glob finds the files below a symlink to a folder inside the buildpack, named under
    /// the link as the Go packager names them (`vendor/pkg/a.rb`): `vendor/**/*.rb` matched
    /// no file. A link out of the buildpack is not followed by a glob, and a link back to a
    /// folder it is in is not listed again.
    #[test]
    fn globs_find_files_below_links_to_folders_inside() {
        let dir = tree(&[
            "vendor-real/pkg/a.rb",
            "vendor-real/pkg/b.txt",
            "bin/detect",
        ]);
        let outside = tree(&["secret.rb"]);
        symlink("vendor-real", dir.path().join("vendor")).unwrap();
        symlink(outside.path(), dir.path().join("out-link")).unwrap();
        symlink("..", dir.path().join("vendor-real/pkg/up")).unwrap();
        let provided = BTreeSet::new();
        let include = strings(&["bin/", "vendor/**/*.rb", "out-link/*.rb", "vendor/*/up/*"]);
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["bin/", "bin/detect", "vendor/pkg/a.rb"]);
        assert_eq!(
            s.warnings,
            [
                "include_files[2]: `out-link/*.rb` matches no file; it is ignored",
                "include_files[3]: `vendor/*/up/*` matches no file; it is ignored"
            ]
        );
        // Kept links: the file is still found under the link's name.
        let r = Rules {
            keep_links: true,
            ..rules(Some(&include[..2]), &[], &provided)
        };
        let s = select(dir.path(), &r).unwrap();
        assert_eq!(paths(&s), ["bin/", "bin/detect", "vendor/pkg/a.rb"]);
    }

    /// Folders linked from two places at each level double the paths below them: a glob that
    /// reaches into them stops at the limit naming the outermost link, as the walk does, and
    /// one that cannot reach them does not go in at all.
    #[test]
    fn links_doubling_the_paths_stop_a_glob_only_when_it_reaches_them() {
        let dir = tree(&["lib/x.rb", "l20/f.rb"]);
        for level in 0..20 {
            fs::create_dir_all(dir.path().join(format!("l{level}"))).unwrap();
            for name in ["a", "b"] {
                let link = dir.path().join(format!("l{level}/{name}"));
                symlink(format!("../l{}", level + 1), link).unwrap();
            }
        }
        let provided = BTreeSet::new();
        let include = strings(&["lib/*.rb"]);
        let s = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap();
        assert_eq!(paths(&s), ["lib/x.rb"]);
        let include = strings(&["l0/**/*.rb"]);
        let err = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap_err();
        let root = fs::canonicalize(dir.path()).unwrap();
        assert!(
            matches!(&err, SelectError::TooManyThroughLinks { link, .. } if link.parent() == Some(&root.join("l0"))),
            "{err}"
        );
    }
}
