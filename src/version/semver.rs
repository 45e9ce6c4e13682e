//! A lenient semantic version, parsed the way Masterminds/semver's `NewVersion` does:
//! an optional `v`, one to three numeric parts (missing ones are 0), then `-prerelease` and
//! `+build`. Anything else is not a semver version.

use std::cmp::Ordering;

/// A parsed version. Build metadata is kept but ignored for ordering, as semver requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// Pre-release identifiers (`rc.1` → `["rc", "1"]`); empty for a release.
    pub pre: Vec<String>,
    pub build: String,
}

impl Version {
    /// Parse leniently; `None` for anything that is not semver-like.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (rest, build) = match text.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (text, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (rest, None),
        };
        let mut numbers = [0u64; 3];
        for (i, part) in core.split('.').enumerate() {
            if i == 3 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            numbers[i] = part.parse().ok()?;
        }
        let identifiers = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|id| {
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        };
        if pre.is_some_and(|p| !identifiers(p)) || build.is_some_and(|b| !identifiers(b)) {
            return None;
        }
        Some(Version {
            major: numbers[0],
            minor: numbers[1],
            patch: numbers[2],
            pre: pre
                .map(|p| p.split('.').map(str::to_string).collect())
                .unwrap_or_default(),
            build: build.unwrap_or_default().to_string(),
        })
    }

    /// Like [`Version::parse`], but a numeric version of more than three parts, optionally
    /// with a numeric build (`1.21.4.4` as openresty, jruby and newrelic write them,
    /// `21.0.12.1+1`), reads as its first three parts: libbuildpack's `normalizeSemver` does
    /// this before matching, so `1.21.x` chooses openresty `1.21.4.4`. Its other parts and
    /// build are left for [`super::compare`] to order by.
    pub fn parse_normalized(text: &str) -> Option<Version> {
        if let Some(version) = Version::parse(text) {
            return Some(version);
        }
        let (core, build) = text.split_once('+').unwrap_or((text, "0"));
        let numeric = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() <= 3 || !parts.iter().all(|p| numeric(p)) || !numeric(build) {
            return None;
        }
        Some(Version::new(
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        ))
    }

    pub fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: Vec::new(),
            build: String::new(),
        }
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    fn core_cmp(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core_cmp(other)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Semver §11: numeric identifiers numerically, others by ASCII, numeric < alphanumeric,
/// a shorter list first when all shared identifiers are equal.
fn compare_prerelease(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(nx), Ok(ny)) => nx.cmp(&ny),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lenient_forms() {
        assert_eq!(Version::parse("1.2"), Some(Version::new(1, 2, 0)));
        assert_eq!(Version::parse("v3"), Some(Version::new(3, 0, 0)));
        let v = Version::parse("25.5.0-1371+b7").unwrap();
        assert_eq!(v.pre, ["1371"]);
        assert_eq!(v.build, "b7");
        let v = Version::parse("1.2.3-rc-1.2+build-7.x").unwrap();
        assert_eq!(v.pre, ["rc-1", "2"]);
        assert_eq!(v.build, "build-7.x");
        for bad in [
            "",
            "1.2.3.4",
            "jruby-9.2",
            "1..2",
            "1.2.3-",
            "8u452",
            "1.2.x",
            // Pre-release and build identifiers: alphanumerics and hyphens, none empty.
            "1.2.3-rc_1",
            "1.2.3-rc..1",
            "1.2.3-rc.",
            "1.2.3+b..7",
            "1.2.3+b@7",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numeric_versions_of_four_parts_normalise_to_three() {
        for (text, three) in [
            ("1.21.4.4", (1, 21, 4)),
            ("21.0.12.1+1", (21, 0, 12)),
            ("21.0.10.0.1", (21, 0, 10)),
            ("1.2.3", (1, 2, 3)),
        ] {
            let v = Version::parse_normalized(text).unwrap();
            assert_eq!((v.major, v.minor, v.patch), three, "{text}");
        }
        for not in [
            "1.2.3.x",
            "jruby-9.2.8.0",
            "1.2.3.4+b7",
            "1..2.3.4",
            "8u452",
        ] {
            assert_eq!(Version::parse_normalized(not), None, "{not}");
        }
    }

    #[test]
    fn orders_by_semver_precedence() {
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.10.0",
        ];
        for pair in order.windows(2) {
            assert!(
                Version::parse(pair[0]) < Version::parse(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
    }
}
