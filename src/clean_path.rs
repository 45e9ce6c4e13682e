//! Go's `filepath.Clean` on a path's text: repeated `/` and `.` components dropped, and `..`
//! taking the component before it away, by the text and without following symlinks. Both
//! places libbuildpack and the Go packager name a folder with it need bpkit to name the same
//! folder: a phase's buildpack root (`Abs(Join(Dir(argv[0]), ".."))`, so `./detect` run in
//! `bin/` finds the buildpack) and the `$PWD` the packager's success line starts from.

use std::path::{Component, Path, PathBuf};

/// `path` cleaned as Go's `filepath.Clean` cleans it, except that an empty result is `.`
/// only when `path` was relative (Go's `Clean("")` is `.` too). A relative path keeps the
/// `..` that climb above its start (`../x/../..` is `../..`); at the root `..` stays there
/// (`/../x` is `/x`).
#[must_use]
pub fn lexically_clean(path: &Path) -> PathBuf {
    let mut clean = PathBuf::new();
    // How many normal components `clean` ends with, which a `..` may take away.
    let mut removable = 0usize;
    for component in path.components() {
        match component {
            Component::ParentDir if removable > 0 => {
                clean.pop();
                removable -= 1;
            }
            Component::ParentDir if clean.has_root() => {}
            Component::ParentDir => clean.push(".."),
            Component::CurDir => {}
            Component::Normal(name) => {
                clean.push(name);
                removable += 1;
            }
            root @ (Component::RootDir | Component::Prefix(_)) => clean.push(root),
        }
    }
    if clean.as_os_str().is_empty() {
        clean.push(".");
    }
    clean
}

/// `path` made absolute against the working folder and cleaned ([`lexically_clean`]), as Go's
/// `filepath.Abs` does; as given, cleaned, when the working folder cannot be read.
#[must_use]
pub fn absolute_clean(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    lexically_clean(&absolute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_as_go_cleans_them() {
        for (given, clean) in [
            ("/ci//work/./a/../bp/", "/ci/work/bp"),
            ("/../x", "/x"),
            ("/", "/"),
            ("/a/..", "/"),
            ("a/b/../c", "a/c"),
            ("./bin/..", "."),
            ("bin/../..", ".."),
            ("../x/../..", "../.."),
            ("a/../../b", "../b"),
            ("", "."),
            (".", "."),
            ("./", "."),
        ] {
            assert_eq!(
                lexically_clean(Path::new(given)),
                Path::new(clean),
                "{given}"
            );
        }
    }

    #[test]
    fn absolute_paths_start_at_the_working_folder() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(absolute_clean(Path::new("x/../y")), cwd.join("y"));
        assert_eq!(
            absolute_clean(Path::new("..")),
            cwd.parent().unwrap_or(&cwd)
        );
        assert_eq!(absolute_clean(Path::new("/a/./b/../c")), Path::new("/a/c"));
    }
}
