//! Tests of the whole selection, and the helpers every file's tests use: a tree of files in a
//! temporary folder, the selected paths as text, rules with defaults.

use super::*;
use std::os::unix::fs::symlink;

pub(super) fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let path = dir.path().join(f);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, f).unwrap();
    }
    dir
}

pub(super) fn paths(selection: &Selection) -> Vec<String> {
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

pub(super) fn rules<'a>(
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

pub(super) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

pub(super) fn mkfifo(path: &Path) {
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
