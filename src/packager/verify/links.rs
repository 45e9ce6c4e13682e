//! Where a symlink entry of the zip leads, from entry names alone (no I/O): whether an entry
//! is inside a symlink entry, and whether a link's target stays inside the zip's root.

use std::collections::BTreeSet;

/// The components of an entry name (`.` and empty ones dropped).
fn components(name: &str) -> impl Iterator<Item = &str> {
    name.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// The first symlink entry among the folders above `name` (`s` for `s/x`), if any.
pub(super) fn link_above<'a>(name: &str, links: &BTreeSet<&'a str>) -> Option<&'a str> {
    let parts: Vec<&str> = components(name).collect();
    (1..parts.len()).find_map(|n| links.get(parts[..n].join("/").as_str()).copied())
}

/// Why a symlink's target may lead outside the zip's root.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum LinkProblem {
    /// Absolute, or more `..` than folders above it.
    Outside,
    /// A `..` after walking down through this other symlink: it climbs from wherever that link
    /// leads, not from its folder (`s -> .` then `t -> s/..`), so counting steps proves nothing.
    ClimbsOutOf(String),
}

/// Whether the symlink entry `name` pointing to `target` stays inside the zip's root. `links`
/// are the zip's symlink entries. Walking down through a link is fine (that link is checked
/// too); a `..` after it is not, as in bpkit's own extraction (`archive/target/paths.rs`).
pub(super) fn link_problem(
    name: &str,
    target: &str,
    links: &BTreeSet<&str>,
) -> Option<LinkProblem> {
    if target.starts_with('/') {
        return Some(LinkProblem::Outside);
    }
    let mut at: Vec<&str> = components(name).collect();
    at.pop();
    let mut through: Option<String> = None;
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if let Some(link) = through {
                    return Some(LinkProblem::ClimbsOutOf(link));
                }
                if at.pop().is_none() {
                    return Some(LinkProblem::Outside);
                }
            }
            _ => {
                at.push(part);
                let walked = at.join("/");
                if through.is_none() && links.contains(walked.as_str()) {
                    through = Some(walked);
                }
            }
        }
    }
    None
}

/// The entry name the symlink `name` pointing to `target` leads to, when it stays inside the
/// zip and walks through no other link (whose own target would decide where it goes).
pub(super) fn link_destination(name: &str, target: &str, links: &BTreeSet<&str>) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut at: Vec<&str> = components(name).collect();
    at.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                at.pop()?;
            }
            _ => {
                if links.contains(at.join("/").as_str()) && !at.is_empty() {
                    return None;
                }
                at.push(part);
            }
        }
    }
    Some(at.join("/"))
}

/// Whether `path` (no trailing `/`) is an entry of the zip: a file, a link, or a folder (named
/// itself, or implied by an entry inside it). The empty path is the zip's root.
pub(super) fn names_entry(path: &str, names: &BTreeSet<String>) -> bool {
    if path.is_empty() {
        return true;
    }
    let folder = format!("{path}/");
    names
        .range::<str, _>((std::ops::Bound::Included(path), std::ops::Bound::Unbounded))
        .take_while(|n| n.starts_with(path))
        .any(|n| n == path || n.starts_with(&folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_inside() {
        let none = BTreeSet::new();
        assert_eq!(link_problem("bin/x", "bpkit", &none), None);
        assert_eq!(link_problem("a/b/x", "../../c", &none), None);
        let outside = Some(LinkProblem::Outside);
        assert_eq!(link_problem("bin/x", "../../etc/passwd", &none), outside);
        assert_eq!(link_problem("bin/x", "/usr/bin/env", &none), outside);
        assert_eq!(link_problem("./bin//x", "../c/../..", &none), outside);
        // `.` and empty parts are no folder a `..` climbs out of.
        assert_eq!(link_problem("bin/x", "./../../etc", &none), outside);
        assert_eq!(link_problem("bin/x", "..//..", &none), outside);
        assert_eq!(link_problem("bin/x", ".//./", &none), None);
        let links = BTreeSet::from(["a/s", "r"]);
        assert_eq!(link_problem("t", "a/s/x", &links), None);
        assert_eq!(
            link_problem("t", "a/s/..", &links),
            Some(LinkProblem::ClimbsOutOf("a/s".into()))
        );
        assert_eq!(
            link_problem("d/t", "../r/x/..", &links),
            Some(LinkProblem::ClimbsOutOf("r".into()))
        );
        assert_eq!(link_above("a/s/f", &links), Some("a/s"));
        assert_eq!(link_above("a/s", &links), None);
        assert_eq!(link_above("r/", &links), None);
    }

    #[test]
    fn a_link_leads_to_an_entry_name_unless_it_walks_through_a_link() {
        let none = BTreeSet::new();
        assert_eq!(
            link_destination("bin/x", "bpkit", &none),
            Some("bin/bpkit".into())
        );
        assert_eq!(
            link_destination("bin/x", "../lib/./run", &none),
            Some("lib/run".into())
        );
        assert_eq!(link_destination("x", "..", &none), None);
        assert_eq!(link_destination("x", "/bin/sh", &none), None);
        let links = BTreeSet::from(["a/s"]);
        assert_eq!(link_destination("t", "a/s/x", &links), None);
        assert_eq!(link_destination("t", "a/s", &links), Some("a/s".into()));
        let names: BTreeSet<String> = ["bin/", "bin/bpkit", "lib/run", "libx"]
            .into_iter()
            .map(String::from)
            .collect();
        for (path, there) in [
            ("bin/bpkit", true),
            ("bin", true),
            ("lib", true),
            ("", true),
            ("bin/bp", false),
            ("li", false),
            ("lib/ru", false),
        ] {
            assert_eq!(names_entry(path, &names), there, "{path}");
        }
    }
}
