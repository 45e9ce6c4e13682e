//! Entry names as written in an archive (bytes, `/`-separated) turned into relative paths
//! under the target folder, and symbolic link targets turned into steps up and down. Pure
//! functions, no file system access: the checks that need the disk live in `target/`.
//!
//! Rules (quality.md, "Security"): an absolute name or any `..` component is refused outright,
//! even when it would land inside the target (`a/../b`), because no honest archive needs it.
//! `strip_components` counts the components of the cleaned name, as libbuildpack's
//! `InstallDependencyWithStrip` does (it strips after `filepath.Clean`): empty components (`a//b`)
//! and `.` are not counted. So a tarball made with `tar -C dir -czf x.tgz .`, which holds
//! `./top/...`, has one top folder and takes `strip_components: 1`, exactly as the same tarball
//! made with `tar -czf x.tgz top` does (manifest.md: "for tarballs with one top folder"). GNU
//! tar's `--strip-components` counts the `.`, and would leave `top/` there.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// Why an entry name cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameProblem {
    Absolute,
    ParentDir,
    Nul,
}

/// The relative path of an entry after stripping `strip` leading components, or `None` when
/// nothing is left (the entry is skipped, like tar does). The result holds normal components
/// only: no root, no `.`, no `..`, no empty component.
pub(super) fn entry_path(raw: &[u8], strip: usize) -> Result<Option<PathBuf>, NameProblem> {
    if raw.contains(&0) {
        return Err(NameProblem::Nul);
    }
    if raw.first() == Some(&b'/') {
        return Err(NameProblem::Absolute);
    }
    let components = || {
        raw.split(|&b| b == b'/')
            .filter(|c| !c.is_empty() && *c != b".")
    };
    if components().any(|c| c == b"..") {
        return Err(NameProblem::ParentDir);
    }
    let mut path = PathBuf::new();
    for component in components().skip(strip) {
        path.push(OsStr::from_bytes(component));
    }
    Ok((!path.as_os_str().is_empty()).then_some(path))
}

/// One step of a symbolic link target, resolved from the folder holding the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step<'a> {
    Up,
    Down(&'a OsStr),
}

/// Why a symbolic link target cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LinkProblem {
    Absolute,
    Invalid,
}

/// The steps of a relative symbolic link target (`.` and empty components dropped).
pub(super) fn link_steps(target: &[u8]) -> Result<Vec<Step<'_>>, LinkProblem> {
    if target.is_empty() || target.contains(&0) {
        return Err(LinkProblem::Invalid);
    }
    if target.first() == Some(&b'/') {
        return Err(LinkProblem::Absolute);
    }
    Ok(target
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .map(|c| {
            if c == b".." {
                Step::Up
            } else {
                Step::Down(OsStr::from_bytes(c))
            }
        })
        .collect())
}

/// An entry name for messages: lossy UTF-8 (the message quotes and escapes it).
pub(super) fn display(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn path(raw: &str, strip: usize) -> Result<Option<PathBuf>, NameProblem> {
        entry_path(raw.as_bytes(), strip)
    }

    #[test]
    fn plain_names() {
        assert_eq!(path("a/b/c", 0), Ok(Some(PathBuf::from("a/b/c"))));
        assert_eq!(path("a//b/./c/", 0), Ok(Some(PathBuf::from("a/b/c"))));
        assert_eq!(path("./", 0), Ok(None));
        assert_eq!(path("", 0), Ok(None));
    }

    #[test]
    fn strip_components_like_libbuildpack() {
        assert_eq!(path("top/bin/ruby", 1), Ok(Some(PathBuf::from("bin/ruby"))));
        assert_eq!(path("top/bin/ruby", 2), Ok(Some(PathBuf::from("ruby"))));
        assert_eq!(path("top/bin/ruby", 3), Ok(None));
        assert_eq!(path("top/", 1), Ok(None));
        // `.` is not a component, as in libbuildpack (GNU tar would count it): `./top/bin` has
        // the one top folder `top`.
        assert_eq!(path("./top/bin", 1), Ok(Some(PathBuf::from("bin"))));
        assert_eq!(path("./top/bin", 2), Ok(None));
        assert_eq!(path("././top/./bin/x", 2), Ok(Some(PathBuf::from("x"))));
        assert_eq!(path("./", 1), Ok(None));
        // Empty components do not count.
        assert_eq!(path("top//bin/x", 2), Ok(Some(PathBuf::from("x"))));
    }

    #[test]
    fn refusals() {
        assert_eq!(path("/etc/passwd", 0), Err(NameProblem::Absolute));
        assert_eq!(path("//etc/passwd", 1), Err(NameProblem::Absolute));
        assert_eq!(path("../../etc/passwd", 0), Err(NameProblem::ParentDir));
        assert_eq!(path("a/../b", 0), Err(NameProblem::ParentDir));
        assert_eq!(path("../x", 1), Err(NameProblem::ParentDir));
        assert_eq!(path("a/..", 0), Err(NameProblem::ParentDir));
        assert_eq!(entry_path(b"a\0b", 0), Err(NameProblem::Nul));
    }

    #[test]
    fn link_steps_parse() {
        let up = Step::Up;
        let down = |s: &'static str| Step::Down(Path::new(s).as_os_str());
        assert_eq!(
            link_steps(b"../lib/./x"),
            Ok(vec![up, down("lib"), down("x")])
        );
        assert_eq!(link_steps(b"x//"), Ok(vec![down("x")]));
        assert_eq!(link_steps(b"."), Ok(vec![]));
        assert_eq!(link_steps(b"/tmp"), Err(LinkProblem::Absolute));
        assert_eq!(link_steps(b""), Err(LinkProblem::Invalid));
        assert_eq!(link_steps(b"a\0"), Err(LinkProblem::Invalid));
    }
}
