//! Symlinks: a link whose target stays inside the folder is kept as a link (with
//! `keep_links`) or followed; one that points outside is followed; a dangling link, or one to
//! its own parent folder, or one leading back to itself through links (`a -> b -> a`), is an
//! error; a link to a fifo or a device is left out.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::{Item, SelectError, Walker};

impl Walker<'_> {
    /// A symlink at `path` (zip path `rel`).
    pub(super) fn link(
        &mut self,
        path: &Path,
        rel: &str,
        ancestors: &mut Vec<PathBuf>,
    ) -> Result<(), SelectError> {
        let target = match fs::canonicalize(path) {
            Ok(target) => target,
            // ELOOP: the link leads back to itself through links (`a -> b -> a`, `x -> x`).
            // Its target exists, so "does not exist" would send the author looking for a
            // missing file; the fix is to break the loop.
            Err(cause) if cause.raw_os_error() == Some(libc::ELOOP) => {
                return Err(SelectError::LinkCycle {
                    path: path.to_path_buf(),
                    target: fs::read_link(path).unwrap_or_default(),
                    by: self.by(),
                });
            }
            Err(cause)
                if matches!(
                    cause.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Err(SelectError::Dangling {
                    path: path.to_path_buf(),
                    target: fs::read_link(path).unwrap_or_default(),
                    by: self.by(),
                });
            }
            // Anything else (a folder on the way this user cannot search) is said as it is.
            Err(cause) => return Err(self.cannot_read(path, cause)),
        };
        if self.keep_links
            && let Ok(inside) = target.strip_prefix(&self.root)
        {
            let inside = inside.to_str().ok_or_else(|| SelectError::NotUtf8 {
                path: target.clone(),
                by: self.by(),
            })?;
            self.selection.items.insert(
                rel.to_string(),
                Item::Symlink {
                    target: relative_link(rel, inside),
                },
            );
            return Ok(());
        }
        let meta = fs::metadata(&target).map_err(|cause| self.cannot_read(&target, cause))?;
        if meta.is_dir() {
            if ancestors.iter().any(|a| a == &target) {
                return Err(SelectError::Loop {
                    path: path.to_path_buf(),
                    target,
                    by: self.by(),
                });
            }
            self.selection.items.insert(rel.to_string(), Item::Dir);
            ancestors.push(target.clone());
            self.following.push(path.to_path_buf());
            let result = self.walk(&target, &format!("{rel}/"), ancestors);
            self.following.pop();
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
                super::error::shown(path),
                super::error::shown(&target),
                crate::regular_file::describe_file_type(meta.file_type())
            ));
        }
        Ok(())
    }
}

impl Walker<'_> {
    /// With `keep_links`, make the kept links agree with the rest of the selection:
    /// - a link whose target is not selected (include_files lists `alias` but not `real`, or
    ///   exclude_files leaves `real/` out) was a dangling link in the zip, which `bpkit verify`
    ///   passed: it is followed instead, as a link pointing outside is;
    /// - a path listed through a kept link (`alias/f` beside `alias`) was an entry inside a
    ///   symlink, which extractors write through the link and `bpkit verify` refuses: it is
    ///   left out, since the link gives it (its target folder is selected whole).
    pub(super) fn settle_kept_links(&mut self) -> Result<(), SelectError> {
        let unreached: Vec<String> = self
            .selection
            .items
            .iter()
            .filter_map(|(rel, item)| match item {
                Item::Symlink { target } => {
                    let resolved = resolve(rel, target);
                    // "" is the buildpack folder itself, which the zip is.
                    let selected = resolved.is_empty()
                        || self.selection.items.contains_key(&resolved)
                        || self.provided.contains(&resolved);
                    (!selected).then(|| rel.clone())
                }
                _ => None,
            })
            .collect();
        if !unreached.is_empty() {
            self.keep_links = false;
            for rel in &unreached {
                self.selection.items.remove(rel);
                let path = self.root.join(rel);
                let mut ancestors = vec![self.root.clone()];
                for parent in Path::new(rel).ancestors().skip(1) {
                    if !parent.as_os_str().is_empty() {
                        ancestors.push(self.canonical(&self.root.join(parent))?);
                    }
                }
                self.link(&path, rel, &mut ancestors)?;
            }
            self.keep_links = true;
        }
        let links: BTreeSet<String> = self
            .selection
            .items
            .iter()
            .filter(|(_, item)| matches!(item, Item::Symlink { .. }))
            .map(|(rel, _)| rel.clone())
            .collect();
        // Each path's folders looked up, not every link tried against every path: that was
        // quadratic, 20,000 links to files took 9 s where following them took 1.5 s.
        self.selection.items.retain(|rel, _| {
            !rel.match_indices('/')
                .any(|(end, _)| links.contains(&rel[..end]))
        });
        Ok(())
    }
}

/// The zip path a link at `link` with text `target` (as [`relative_link`] wrote it) reaches.
fn resolve(link: &str, target: &str) -> String {
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::select::tests::{paths, rules, strings, tree};
    use crate::packager::select::{Rules, select};
    use std::collections::BTreeSet;
    use std::os::unix::fs::symlink;

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

    /// With include_files, which makes exclude_files ignored, an error about a file says to
    /// leave it out of include_files: "leave it out with exclude_files" changed nothing.
    #[test]
    fn with_include_files_the_fix_is_to_list_less() {
        let dir = tree(&["a/b"]);
        symlink("missing", dir.path().join("a/gone")).unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        let provided = BTreeSet::new();
        let fix = "leave it out of include_files (list less, or a narrower glob: exclude_files is ignored when include_files is set)";
        for listed in ["a", "a/*", "*"] {
            let include = strings(&[listed]);
            let err = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "{}/a/gone is a symlink to `missing`, which does not exist; fix the link, or {fix}",
                    root.display()
                ),
                "{listed}"
            );
        }
        fs::remove_file(dir.path().join("a/gone")).unwrap();
        symlink("loop", dir.path().join("a/loop")).unwrap();
        let include = strings(&["a"]);
        let err = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}/a/loop is a symlink to `loop`, which leads back to itself through symlinks (a loop); fix the link, or {fix}",
                root.display()
            )
        );
        fs::remove_file(dir.path().join("a/loop")).unwrap();
        symlink("..", dir.path().join("a/up")).unwrap();
        let err = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{0}/a/up is a symlink to its own parent folder {0}; packaging it would never end, so remove it or {fix}",
                root.display()
            )
        );
    }

    /// Links that lead back to themselves (`a -> b`, `b -> a`, or `self -> self`) were named
    /// "a symlink to `b`, which does not exist": `b` does exist, and the fix is to break the
    /// loop, not to create a file.
    #[test]
    fn links_that_lead_back_to_themselves_are_named_as_a_loop() {
        let dir = tree(&["x"]);
        symlink("b", dir.path().join("a")).unwrap();
        symlink("a", dir.path().join("b")).unwrap();
        let provided = BTreeSet::new();
        let err = select(dir.path(), &rules(None, &[], &provided)).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "/a is a symlink to `b`, which leads back to itself through symlinks (a loop); fix the link, or leave it out with exclude_files"
            ),
            "{err}"
        );
        let dir = tree(&["x"]);
        symlink("self", dir.path().join("self")).unwrap();
        let err = select(dir.path(), &rules(None, &[], &provided)).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("/self is a symlink to `self`, which leads back to itself through symlinks (a loop); fix the link, or leave it out with exclude_files"),
            "{err}"
        );
    }

    /// With links kept (`--bin-links symlink`), a link whose target is not packaged was a
    /// dangling link in the zip, and a path listed through a kept link (`alias/f` beside
    /// `alias`) an entry inside a symlink, which `bpkit verify` refuses. The first is followed;
    /// the second left out, the link giving it.
    #[test]
    fn kept_links_agree_with_what_is_packaged() {
        let dir = tree(&["real/f", "other/g", "VERSION"]);
        symlink("real", dir.path().join("alias")).unwrap();
        symlink("other/g", dir.path().join("to-g")).unwrap();
        symlink("VERSION", dir.path().join("version-link")).unwrap();
        let provided: BTreeSet<String> = ["VERSION".to_string()].into();
        let mut include = vec!["alias".to_string(), "alias/f".into(), "to-g".into()];
        include.push("version-link".into());
        let mut r = rules(Some(&include), &[], &provided);
        r.keep_links = true;
        // `real` and `other/g` are not listed: both links are followed.
        let s = select(dir.path(), &r).unwrap();
        assert_eq!(
            paths(&s),
            ["alias/", "alias/f", "to-g", "version-link -> VERSION"]
        );
        // `real` listed too: the link is kept, and `alias/f` comes through it.
        let mut with_real = include.clone();
        with_real.push("real".into());
        let r = Rules {
            include_files: Some(&with_real),
            ..r
        };
        let s = select(dir.path(), &r).unwrap();
        assert_eq!(
            paths(&s),
            [
                "alias -> real",
                "real/",
                "real/f",
                "to-g",
                "version-link -> VERSION"
            ]
        );
        // exclude_files leaving the target out: the link is followed.
        let exclude = vec!["real/".to_string()];
        let r = Rules {
            include_files: None,
            exclude_files: &exclude,
            ..r
        };
        let s = select(dir.path(), &r).unwrap();
        assert!(s.items.contains_key("alias/f"), "{:?}", paths(&s));
        assert!(!s.items.contains_key("real"), "{:?}", paths(&s));
    }

    /// A link the system cannot resolve for another reason than a missing target or a loop
    /// is said as it is, not called dangling: here its target's real path is longer than
    /// PATH_MAX (4096 bytes), though each path used to make it is shorter.
    #[test]
    fn a_link_that_cannot_be_resolved_is_named_with_the_reason() {
        let dir = tree(&["VERSION"]);
        let half = vec!["d".repeat(250); 10].join("/");
        fs::create_dir_all(dir.path().join("real").join(&half)).unwrap();
        symlink(format!("real/{half}"), dir.path().join("x")).unwrap();
        fs::create_dir_all(dir.path().join("x").join(&half)).unwrap();
        symlink(format!("x/{half}"), dir.path().join("a")).unwrap();
        let include = vec!["a".to_string()];
        let provided = BTreeSet::new();
        let err = select(dir.path(), &rules(Some(&include), &[], &provided)).unwrap_err();
        assert!(
            matches!(&err, SelectError::CannotRead { path, cause, .. }
                if path == &dir.path().join("a")
                    && cause.raw_os_error() == Some(libc::ENAMETOOLONG)),
            "{err}"
        );
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative_link("bin/detect", "bin/bpkit"), "bpkit");
        assert_eq!(relative_link("a/b/c", "x/y"), "../../x/y");
        assert_eq!(relative_link("top", "lib/x"), "lib/x");
    }
}
