//! Versions and version constraints, as libbuildpack (Masterminds/semver) understands them.
//!
//! Manifest versions are kept as the strings they were written as; this module only reads
//! them. A version that is not semver-like (`jruby-9.2.8.0`, `8u452`) is never matched by a
//! range, only by an identical string, and sorts after all semver versions by plain text.

mod constraint;
mod jep322;
mod semver;

pub use constraint::{Constraint, ConstraintError, ConstraintProblem};
pub use semver::Version;

use std::cmp::Ordering;

/// The most of a `VERSION` file read: a version is a few bytes, and a `VERSION` that is a link
/// to a device or a large file by mistake must not fill memory.
pub const VERSION_FILE_LIMIT: u64 = 64 << 10;

/// The text of the `VERSION` file at `path`, as [`std::fs::read_to_string`] reads it but never
/// more than [`VERSION_FILE_LIMIT`]: a larger file is an error (`InvalidInput`, saying so).
pub fn read_version_file(path: &std::path::Path) -> std::io::Result<String> {
    let bytes = crate::regular_file::read_limited(path, VERSION_FILE_LIMIT).map_err(|e| {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "it is larger than {} KiB, which no VERSION file is",
                    VERSION_FILE_LIMIT >> 10
                ),
            )
        } else {
            e
        }
    })?;
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}

/// The version a `VERSION` file holds: its text without leading byte-order marks (editors on
/// Windows write one, and it would otherwise end up in the zip's name and the staging header)
/// and without surrounding whitespace (a trailing `\r\n` included). Every reader of a
/// `VERSION` file goes through here, so the packager and the phases agree on the version.
pub fn from_version_file(text: &str) -> &str {
    text.trim_start_matches('\u{feff}').trim()
}

/// Order two version strings: semver versions by precedence (a numeric version of four parts
/// as its first three, as libbuildpack does), then any others in natural order. Versions equal
/// in precedence are ordered naturally (`1.21.4.9` before `1.21.4.10`, build `+9` before
/// `+10`, as libbuildpack's `compareJEP322`), and then by their text (`1.2` and `1.2.0`, `x01`
/// and `x1`), so the order is total: `Equal` only for identical strings, and sorting never
/// depends on input order.
pub fn compare(a: &str, b: &str) -> Ordering {
    let order = match (Version::parse_normalized(a), Version::parse_normalized(b)) {
        (Some(va), Some(vb)) => va.cmp(&vb).then_with(|| natural_cmp(a, b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => natural_cmp(a, b),
    };
    order.then_with(|| a.cmp(b))
}

/// Compare digit runs as numbers, so `8u452` sorts after `8u45`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (trim_zeros(&a[..na]), trim_zeros(&b[..nb]));
                let ord = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

/// The highest of `versions` that satisfies `constraint`, as libbuildpack's
/// `FindMatchingVersion` picks it.
pub fn highest_matching<'a>(
    constraint: &Constraint,
    versions: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    versions
        .into_iter()
        .filter(|v| constraint.matches(v))
        .max_by(|a, b| compare(a, b))
}

/// The highest of `versions` overall.
pub fn highest<'a>(versions: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    versions.into_iter().max_by(|a, b| compare(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Up to the limit a VERSION file is read whole; one byte more is refused, unread.
    #[test]
    fn a_version_file_is_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("VERSION");
        let limit = usize::try_from(VERSION_FILE_LIMIT).unwrap();
        let text = format!("1.2.3{}", " ".repeat(limit - 5));
        std::fs::write(&path, &text).unwrap();
        assert_eq!(read_version_file(&path).unwrap(), text);
        std::fs::write(&path, format!("{text} ")).unwrap();
        let error = read_version_file(&path).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        assert_eq!(
            error.to_string(),
            "it is larger than 64 KiB, which no VERSION file is"
        );
        std::fs::write(&path, b"1.0\xff").unwrap();
        assert_eq!(
            read_version_file(&path).unwrap_err().kind(),
            std::io::ErrorKind::InvalidData
        );
    }

    #[test]
    fn version_files_lose_byte_order_marks_and_whitespace() {
        assert_eq!(from_version_file("\u{feff}1.0.0\r\n"), "1.0.0");
        assert_eq!(from_version_file(" 2.0.0\n"), "2.0.0");
        assert_eq!(from_version_file("\u{feff}"), "");
    }

    #[test]
    fn orders_semver_before_other_strings() {
        let mut v = vec!["2.10.0", "jruby-9.2", "2.9.1", "2.10.0-rc1", "1.10"];
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(v, ["1.10", "2.9.1", "2.10.0-rc1", "2.10.0", "jruby-9.2"]);
    }

    /// Four-part versions sorted after every semver version, so `1.27.0` lost to `1.25.3.2`;
    /// and equal versions were ordered by text, so build `+10` came before `+9`.
    #[test]
    fn four_part_versions_and_builds_sort_as_libbuildpack_sorts_them() {
        let mut v = vec!["1.27.0", "1.25.3.2", "1.21.4.10", "1.21.4.9", "1.21.4"];
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(v, ["1.21.4", "1.21.4.9", "1.21.4.10", "1.25.3.2", "1.27.0"]);
        assert_eq!(highest(["17.0.20+10", "17.0.20+9"]), Some("17.0.20+10"));
        let c = Constraint::parse("1.x").unwrap();
        assert_eq!(highest_matching(&c, ["1.27.0", "1.25.3.2"]), Some("1.27.0"));
    }

    #[test]
    fn natural_order_for_non_semver() {
        assert_eq!(compare("8u452", "8u45"), Ordering::Greater);
        assert_eq!(compare("x10", "x9"), Ordering::Greater);
        // A digit against a letter is compared as a character (digits first), not as a number
        // against nothing.
        assert_eq!(compare("xa", "x1"), Ordering::Greater);
        assert_eq!(compare("x1", "xa"), Ordering::Less);
    }

    /// Found by `cargo fuzz run version` (fuzz/regressions/version/non-semver-leading-zeros-tie):
    /// non-semver strings equal but for leading zeros compared `Equal`, so the order was not
    /// total and `highest` picked whichever came last.
    #[test]
    fn leading_zeros_do_not_tie() {
        assert_eq!(compare("0++", "00++"), Ordering::Less);
        assert_eq!(compare("00++", "0++"), Ordering::Greater);
        assert_eq!(compare("x01", "x1"), Ordering::Less);
        assert_eq!(compare("x01", "x2"), Ordering::Less);
        assert_eq!(highest(["x1", "x01"]), Some("x1"));
        assert_eq!(highest(["x01", "x1"]), Some("x1"));
    }

    #[test]
    fn picks_the_highest_match() {
        let versions = ["3.2.1", "3.2.9", "3.3.0", "3.10.0"];
        let c = Constraint::parse("3.2.x").unwrap();
        assert_eq!(highest_matching(&c, versions), Some("3.2.9"));
        let c = Constraint::parse("3.x").unwrap();
        assert_eq!(highest_matching(&c, versions), Some("3.10.0"));
        assert_eq!(highest(versions), Some("3.10.0"));
        let c = Constraint::parse("4.x").unwrap();
        assert_eq!(highest_matching(&c, versions), None);
    }
}
