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
}
