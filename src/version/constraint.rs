//! Version constraints as libbuildpack's Masterminds/semver reads them (with the v3 releases'
//! reading of parts left out and of carets below 1.0; the README's "Version constraints" lists
//! where that differs from libbuildpack's blang-then-Masterminds v1.5.0): exact `1.2.3`,
//! wildcards `3.2.x` / `3.x` / `*` (a missing part counts as a wildcard, so `1.2` = `1.2.x`),
//! `~1.2`, `^1`, comparisons `>=1.0 <2.0` (AND by comma or space), `A - B` ranges and `||`.
//!
//! A version with a pre-release (`1.0.0-rc1`) matches only comparators that name a
//! pre-release themselves, as in Masterminds. A constraint that equals a version string
//! exactly always matches it, which is how non-semver versions (`jruby-9.2`) are chosen.
//!
//! Before any of that, an exact Java-style version (`21.0.12.1`, `21.0.12+10`) is matched as
//! libbuildpack's `isExactJEP322Constraint` short-circuit matches it (see `jep322.rs`).

use std::fmt;

use super::jep322::Jep322;
use super::semver::Version;

/// A parsed constraint: any of several groups, each requiring all of its comparators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    text: String,
    any_of: Vec<Vec<Comparator>>,
    /// Set for an exact JEP 322 version, which then decides alone (`any_of` is not read).
    exact_jep322: Option<Jep322>,
}

/// A constraint that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a version constraint: {reason}")]
pub struct ConstraintError {
    pub text: String,
    #[source]
    pub reason: ConstraintProblem,
}

/// What is wrong with a constraint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConstraintProblem {
    #[error("it is empty")]
    Empty,
    #[error("an empty alternative around `||`")]
    EmptyAlternative,
    #[error("`{pattern}` has more than three parts")]
    TooManyParts { pattern: String },
    /// A part above u64's range. (The `ParseIntError` is not kept: digits that do not parse
    /// can only be too many.)
    #[error("`{digits}` is too large")]
    NumberTooLarge { digits: String },
    #[error("{}", not_a_number(part, pattern))]
    NotANumber { part: String, pattern: String },
    /// An operator with nothing after it (`>=`, `~`), or before the next operator (`>= <2`).
    #[error("`{operator}` has no version after it")]
    NoVersion { operator: String },
}

/// [`ConstraintProblem::NotANumber`]'s words: the part alone when it is the whole pattern, and
/// an empty part (`1..2`, a lone `-`) said to be empty, where "`` in `-`" said nothing.
fn not_a_number(part: &str, pattern: &str) -> String {
    if part.is_empty() {
        format!("`{pattern}` has an empty part where a number or x belongs")
    } else if part == pattern {
        format!("`{part}` is not a number or x")
    } else {
        format!("`{part}` in `{pattern}` is not a number or x")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Tilde,
    Caret,
}

/// A version pattern: up to three parts, each a number or a wildcard (missing = wildcard).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    parts: [Option<u64>; 3],
    /// How many parts were written (`1.2` → 2), wildcards included.
    written: usize,
    pre: Vec<String>,
}

impl Pattern {
    /// The index of the first wildcard or missing part, if any.
    fn first_wildcard(&self) -> Option<usize> {
        self.parts.iter().position(Option::is_none)
    }

    fn lower(&self) -> Version {
        let mut v = Version::new(
            self.parts[0].unwrap_or(0),
            self.parts[1].unwrap_or(0),
            self.parts[2].unwrap_or(0),
        );
        if self.first_wildcard().is_none() {
            v.pre.clone_from(&self.pre);
        }
        v
    }

    /// The first version above the wildcard range (`1.2.x` → `1.3.0`); `None` for `*` (and
    /// for a range reaching the largest version there is, such as `18446744073709551615.x`).
    fn upper(&self) -> Option<Version> {
        match self.first_wildcard()? {
            0 => None,
            1 => next_major(self.parts[0]?),
            _ => next_minor(self.parts[0]?, self.parts[1]?),
        }
    }
}

// The first version after every `major.*`, `major.minor.*` or `major.minor.patch`. Parts are
// u64, so the successor of a part at u64::MAX carries into the part above it, and there is no
// version after `18446744073709551615.*`: `None`, an unbounded range. (A plain `+ 1` panicked
// on such input in debug builds; found by `cargo fuzz run version`.)
fn next_major(major: u64) -> Option<Version> {
    major.checked_add(1).map(|major| Version::new(major, 0, 0))
}

fn next_minor(major: u64, minor: u64) -> Option<Version> {
    match minor.checked_add(1) {
        Some(minor) => Some(Version::new(major, minor, 0)),
        None => next_major(major),
    }
}

fn next_patch(major: u64, minor: u64, patch: u64) -> Option<Version> {
    match patch.checked_add(1) {
        Some(patch) => Some(Version::new(major, minor, patch)),
        None => next_minor(major, minor),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Comparator {
    op: Op,
    pattern: Pattern,
}

impl Comparator {
    fn matches(&self, v: &Version) -> bool {
        // Masterminds (v1.5.0, libbuildpack's): a pre-release only matches a comparator that
        // carries a pre-release itself.
        if v.is_prerelease() && self.pattern.pre.is_empty() {
            return false;
        }
        let p = &self.pattern;
        let lower = p.lower();
        let in_range = |upper: Option<Version>| *v >= lower && upper.is_none_or(|u| *v < u);
        match self.op {
            Op::Eq => match p.first_wildcard() {
                Some(_) => in_range(p.upper()),
                None => v.cmp(&lower).is_eq(),
            },
            Op::Ne => !(Comparator {
                op: Op::Eq,
                pattern: p.clone(),
            })
            .matches(v),
            Op::Gt => match p.first_wildcard() {
                Some(_) => p.upper().is_some_and(|u| *v >= u),
                None => *v > lower,
            },
            Op::Ge => *v >= lower,
            Op::Lt => *v < lower,
            Op::Le => match p.first_wildcard() {
                Some(_) => p.upper().is_none_or(|u| *v < u),
                None => *v <= lower,
            },
            Op::Tilde => {
                let upper = match (p.parts[0], p.parts[1]) {
                    (None, _) => None,
                    (Some(major), None) => next_major(major),
                    (Some(major), Some(minor)) => next_minor(major, minor),
                };
                in_range(upper)
            }
            Op::Caret => {
                let upper = match (p.parts[0], p.parts[1], p.parts[2]) {
                    (Some(major), _, _) if major > 0 => next_major(major),
                    (Some(0), None, _) => next_major(0),
                    (Some(0), Some(minor), _) if minor > 0 => next_minor(0, minor),
                    (Some(0), Some(0), None) => next_minor(0, 0),
                    (Some(0), Some(0), Some(patch)) => next_patch(0, 0, patch),
                    _ => None, // `^*`: any version
                };
                in_range(upper)
            }
        }
    }
}

impl Constraint {
    /// Parse a constraint such as `3.2.x`, `~1.2`, `>=1.0, <2.0` or `1.x || 2.x`.
    pub fn parse(text: &str) -> Result<Constraint, ConstraintError> {
        let error = |reason| ConstraintError {
            text: text.to_string(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(error(ConstraintProblem::Empty));
        }
        // libbuildpack tries this before either semver library, which would cut `21.0.12.1` to
        // `21.0.12` or drop the `+10` of `21.0.12+10` and so match other releases.
        if let Some(exact) = Jep322::exact_constraint(trimmed) {
            return Ok(Constraint {
                text: trimmed.to_string(),
                any_of: Vec::new(),
                exact_jep322: Some(exact),
            });
        }
        let parsed: Result<Vec<_>, _> = trimmed.split("||").map(parse_group).collect();
        match parsed {
            Ok(any_of) => Ok(Constraint {
                text: trimmed.to_string(),
                any_of,
                exact_jep322: None,
            }),
            // A plain word such as `jruby-9.2.8.0` or `8u452` is a version that is not semver:
            // it can only be matched exactly (by `matches`' string comparison).
            Err(_) if !trimmed.contains(|c: char| c.is_whitespace() || "<>=!~^|,*".contains(c)) => {
                Ok(Constraint {
                    text: trimmed.to_string(),
                    any_of: Vec::new(),
                    exact_jep322: None,
                })
            }
            Err(reason) => Err(error(reason)),
        }
    }

    /// True when `version` (a manifest version string) satisfies the constraint.
    pub fn matches(&self, version: &str) -> bool {
        if let Some(exact) = &self.exact_jep322 {
            return exact.matches(version);
        }
        if version == self.text {
            return true;
        }
        let Some(v) = Version::parse_normalized(version) else {
            return false;
        };
        self.any_of
            .iter()
            .any(|group| group.iter().all(|c| c.matches(&v)))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn parse_group(group: &str) -> Result<Vec<Comparator>, ConstraintProblem> {
    let group = group.trim();
    if group.is_empty() {
        return Err(ConstraintProblem::EmptyAlternative);
    }
    // A hyphen range `A - B` (spaces required, as in Masterminds).
    if let Some((from, to)) = group.split_once(" - ") {
        return Ok(vec![
            Comparator {
                op: Op::Ge,
                pattern: parse_pattern(from.trim())?,
            },
            Comparator {
                op: Op::Le,
                pattern: parse_pattern(to.trim())?,
            },
        ]);
    }
    // Split on commas and spaces, but keep an operator attached to the version after it
    // (`>= 1.2` is one comparator).
    let mut tokens: Vec<String> = Vec::new();
    for raw in group.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
        match tokens.last_mut() {
            Some(last) if last.chars().all(|c| "<>=!~^".contains(c)) => last.push_str(raw),
            _ => tokens.push(raw.to_string()),
        }
    }
    tokens.iter().map(|t| parse_comparator(t)).collect()
}

fn parse_comparator(token: &str) -> Result<Comparator, ConstraintProblem> {
    // Longest symbols first, so `>=` is not read as `>` then `=1.0`.
    const OPS: [(&str, Op); 11] = [
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("!=", Op::Ne),
        ("~>", Op::Tilde),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ];
    // No symbol means `=`.
    let (symbol, op, rest) = OPS
        .iter()
        .find_map(|&(symbol, op)| token.strip_prefix(symbol).map(|rest| (symbol, op, rest)))
        .unwrap_or(("", Op::Eq, token));
    // Nothing after the operator, or another operator (`>= <2` is one token here): said of
    // the operator, where reading the rest as a version said "`<2` is not a number".
    let rest = rest.trim();
    if !symbol.is_empty() && rest.chars().next().is_none_or(|c| "<>=!~^".contains(c)) {
        return Err(ConstraintProblem::NoVersion {
            operator: symbol.to_string(),
        });
    }
    Ok(Comparator {
        op,
        pattern: parse_pattern(rest)?,
    })
}

fn parse_pattern(text: &str) -> Result<Pattern, ConstraintProblem> {
    let text = text.strip_prefix('v').unwrap_or(text);
    let core_and_pre = text.split_once('+').map_or(text, |(c, _)| c);
    let (core, pre) = match core_and_pre.split_once('-') {
        Some((core, pre)) => (core, pre),
        None => (core_and_pre, ""),
    };
    let mut parts = [None; 3];
    let mut written = 0;
    for part in core.split('.') {
        if written == 3 {
            return Err(ConstraintProblem::TooManyParts {
                pattern: text.to_string(),
            });
        }
        parts[written] = match part {
            "x" | "X" | "*" => None,
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => Some(
                digits
                    .parse()
                    .map_err(|_| ConstraintProblem::NumberTooLarge {
                        digits: digits.to_string(),
                    })?,
            ),
            other => {
                return Err(ConstraintProblem::NotANumber {
                    part: other.to_string(),
                    pattern: text.to_string(),
                });
            }
        };
        written += 1;
    }
    // A wildcard makes every later part a wildcard too (`1.x.3` means `1.x`).
    if let Some(first) = parts.iter().position(Option::is_none) {
        for later in &mut parts[first..] {
            *later = None;
        }
    }
    for missing in &mut parts[written..] {
        *missing = None;
    }
    let pre = if pre.is_empty() {
        Vec::new()
    } else {
        pre.split('.').map(str::to_string).collect()
    };
    Ok(Pattern {
        parts,
        written,
        pre,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(constraint: &str, yes: &[&str], no: &[&str]) {
        let c = Constraint::parse(constraint).unwrap();
        for v in yes {
            assert!(c.matches(v), "`{constraint}` should match {v}");
        }
        for v in no {
            assert!(!c.matches(v), "`{constraint}` should not match {v}");
        }
    }

    #[test]
    fn exact() {
        check(
            "1.2.3",
            &["1.2.3", "v1.2.3", "1.2.3+build"],
            &["1.2.4", "1.2.30", "1.2.3-rc1"],
        );
        check(
            "1.10",
            &["1.10", "1.10.0", "1.10.7"],
            &["1.1", "1.11.0", "1.1.0"],
        );
        check("0", &["0", "0.0.0", "0.9.1"], &["1.0.0"]);
    }

    #[test]
    fn non_semver_versions_compare_exactly() {
        check(
            "jruby-9.2.8.0",
            &["jruby-9.2.8.0"],
            &["jruby-9.2.8", "9.2.8.0"],
        );
        check("1.x", &["1.4.0"], &["jruby-1.4"]);
    }

    /// libbuildpack reads a numeric version of four parts as its first three before matching
    /// (`normalizeSemver`), so ranges choose openresty `1.21.4.4` and jruby `9.2.5.0`; bpkit
    /// matched them only exactly, and refused a default such as `1.21.x`.
    #[test]
    fn four_part_versions_match_as_their_first_three_parts() {
        check("1.21.x", &["1.21.4.4"], &["1.25.3.2"]);
        check("~9.2", &["9.2.5.0", "9.2.5.0+3"], &["9.1.17.0"]);
        check(">=10.0 <11", &["10.21.0.11"], &["11.0.0.1"]);
        check("1.25.3.2", &["1.25.3.2"], &["1.25.3.3", "1.25.3"]);
    }

    /// Audit finding (JEP 322): `21.0.12+10` matched `21.0.12+11` too (semver drops the
    /// build) and `21.0.12.1` matched only itself, not the release `21.0.12.1+1`.
    /// libbuildpack's `isExactJEP322Constraint` short-circuit matches them exactly.
    #[test]
    fn exact_java_versions_match_as_libbuildpack_matches_them() {
        check(
            "21.0.12+10",
            &["21.0.12+10"],
            &["21.0.12+11", "21.0.12", "21.0.12.1"],
        );
        check(
            "21.0.12.1",
            &["21.0.12.1", "21.0.12.1+1", "21.0.12.1+2"],
            &["21.0.12", "21.0.12.2", "21.0.12+1"],
        );
        check("17.0.20+9", &["17.0.20+9"], &["17.0.20+10", "17.0.20"]);
        check("21.0.12.0", &["21.0.12.0", "21.0.12.0+3"], &["21.0.12"]);
        // Three parts without a build are still semver's: any build, any fourth part.
        check("21.0.12", &["21.0.12+10", "21.0.12.1+1"], &["21.0.13"]);
        let c = Constraint::parse(" 21.0.12+10 ").unwrap();
        assert_eq!(c.as_str(), "21.0.12+10");
        let c = Constraint::parse("21.0.12.1").unwrap();
        let versions = ["21.0.12.1+2", "21.0.12.1+10", "21.0.12.2+1", "21.0.12+1"];
        assert_eq!(
            crate::version::highest_matching(&c, versions),
            Some("21.0.12.1+10")
        );
    }

    #[test]
    fn wildcards() {
        check(
            "3.2.x",
            &["3.2.0", "3.2.99"],
            &["3.3.0", "3.1.9", "3.2.1-rc1"],
        );
        check("3.x", &["3.0.0", "3.99.1"], &["4.0.0", "2.9.9"]);
        check("18.x.x", &["18.20.1"], &["19.0.0"]);
        check("*", &["0.0.1", "99.0.0"], &["1.0.0-alpha"]);
    }

    #[test]
    fn tilde_and_caret() {
        check("~1.2", &["1.2.0", "1.2.9"], &["1.3.0", "1.1.9"]);
        check("~1.2.3", &["1.2.3", "1.2.9"], &["1.2.2", "1.3.0"]);
        check("~1", &["1.0.0", "1.9.9"], &["2.0.0"]);
        check("~> 2.6", &["2.6.5"], &["2.7.0"]);
        check("^1", &["1.0.0", "1.99.0"], &["2.0.0", "0.9.0"]);
        check("^1.2.3", &["1.2.3", "1.9.0"], &["1.2.2", "2.0.0"]);
        check("^0.2.3", &["0.2.3", "0.2.9"], &["0.3.0"]);
        check("^0.0.3", &["0.0.3"], &["0.0.4"]);
        // A caret on a zero major with missing parts allows what the written parts allow.
        check("^0", &["0.0.0", "0.9.9"], &["1.0.0"]);
        check("^0.0", &["0.0.0", "0.0.9"], &["0.1.0"]);
    }

    #[test]
    fn ranges() {
        check(">=1.2 <2", &["1.2.0", "1.9.9"], &["1.1.9", "2.0.0"]);
        check(">= 1.2, < 2.0", &["1.5.0"], &["2.0.0"]);
        check(">1.2.x", &["1.3.0"], &["1.2.9"]);
        check(">1.2.3", &["1.2.4", "2.0.0"], &["1.2.3", "1.2.2", "0.9.0"]);
        check("<=1.2.x", &["1.2.9"], &["1.3.0"]);
        check("1.2 - 1.4", &["1.2.0", "1.4.9"], &["1.5.0", "1.1.0"]);
        check("1.2.0 - 1.4.0", &["1.4.0"], &["1.4.1"]);
        check("1.x || 3.x", &["1.5.0", "3.0.0"], &["2.0.0"]);
        check("!=1.2.3", &["1.2.4"], &["1.2.3"]);
        check("8u452", &["8u452"], &["8u45", "8.0.452"]);
    }

    /// Messages quote a constraint as it was written, without its surrounding whitespace.
    #[test]
    fn shows_the_text_it_was_parsed_from() {
        let c = Constraint::parse("  >= 1.2, < 2 ").unwrap();
        assert_eq!(c.as_str(), ">= 1.2, < 2");
        assert_eq!(c.to_string(), ">= 1.2, < 2");
        assert_eq!(
            Constraint::parse("jruby-9.2").unwrap().to_string(),
            "jruby-9.2"
        );
    }

    #[test]
    fn prereleases_need_a_prerelease_comparator() {
        check(">=1.0.0-rc1", &["1.0.0-rc2", "1.0.0"], &["1.0.0-beta"]);
    }

    /// Found by `cargo fuzz run version` (fuzz/regressions/version/wildcard-upper-overflow):
    /// the end of a range whose last written part is u64::MAX overflowed (a panic in debug
    /// builds, a wrong range in release). The successor now carries into the part above, and
    /// past the largest major there is no end.
    #[test]
    fn parts_at_u64_max_do_not_overflow() {
        let max = u64::MAX;
        check(&format!("{max}"), &[&format!("{max}.7.1")], &["1.0.0"]);
        check(&format!("{max}.x"), &[&format!("{max}.0.0")], &["0.0.1"]);
        check(&format!(">{max}.x"), &[], &[&format!("{max}.{max}.{max}")]);
        check(
            &format!("<={max}"),
            &["0.0.0", &format!("{max}.{max}.{max}")],
            &[],
        );
        check(
            &format!("1.{max}"),
            &[&format!("1.{max}.3")],
            &["2.0.0", "1.0.0"],
        );
        check(&format!("~1.{max}"), &[&format!("1.{max}.0")], &["2.0.0"]);
        check(&format!("~{max}"), &[&format!("{max}.1.0")], &["1.0.0"]);
        check(
            &format!("^{max}.1"),
            &[&format!("{max}.2.0")],
            &[&format!("{max}.0.0")],
        );
        check(&format!("^0.{max}"), &[&format!("0.{max}.9")], &["1.0.0"]);
        check(&format!("^0.0.{max}"), &[&format!("0.0.{max}")], &["0.1.0"]);
        check(
            &format!("^0.0.{max}-rc.1"),
            &[&format!("0.0.{max}-rc.2")],
            &["0.1.0"],
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", ">=", "1.x ||", ">=abc", "~1.2.3.4", "1.2 <"] {
            assert!(Constraint::parse(bad).is_err(), "{bad}");
        }
        let err = Constraint::parse(">=1.2.y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`>=1.2.y` is not a version constraint: `y` in `1.2.y` is not a number or x"
        );
        assert_eq!(
            err.reason,
            ConstraintProblem::NotANumber {
                part: "y".into(),
                pattern: "1.2.y".into()
            }
        );
        // The reason is the source, and a cause-chain printer does not repeat it.
        assert_eq!(crate::output::error_chain(&err), err.to_string());
        for (bad, reason) in [
            ("  ", "it is empty"),
            ("1.x || ", "an empty alternative around `||`"),
            ("~1.2.3.4", "`1.2.3.4` has more than three parts"),
            (
                ">=99999999999999999999",
                "`99999999999999999999` is too large",
            ),
            // An operator alone, or followed by another, is said of the operator.
            (">=", "`>=` has no version after it"),
            ("~", "`~` has no version after it"),
            (">= <2", "`>=` has no version after it"),
            (">=1 <", "`<` has no version after it"),
            // A whole pattern that is no number is named once; an empty part is said empty.
            ("1.2.3 ‹", "`‹` is not a number or x"),
            (
                "1.2.3 -",
                "`-` has an empty part where a number or x belongs",
            ),
        ] {
            assert_eq!(
                Constraint::parse(bad).unwrap_err().reason.to_string(),
                reason,
                "{bad}"
            );
        }
    }
}
