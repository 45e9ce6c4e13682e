//! Exact Java-style (JEP 322, <https://openjdk.org/jeps/322>) version constraints: a numeric
//! version of more than three parts (`21.0.12.1`) or with a build number (`21.0.12+10`).
//!
//! Semver reads neither as an exact version: it has no fourth part (libbuildpack cuts versions
//! to three, so `21.0.12.1` would match every `21.0.12.x`) and it ignores `+build` (so
//! `21.0.12+10` would match `+11`). libbuildpack's `FindMatchingVersions` therefore tries such
//! a constraint first, before either semver library:
//!
//! ```go
//! if c, ok := isExactJEP322Constraint(constraint); ok {
//!     return matchExactJEP322(constraint, c, versions)
//! }
//! ```
//!
//! and this module is that short-circuit, for every caller of [`super::Constraint`].

/// A numeric JEP 322 version: dot-separated numbers, then an optional numeric `+build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Jep322 {
    fields: Vec<i64>,
    build: Option<i64>,
}

impl Jep322 {
    /// Parse `^(\d+(?:\.\d+)*)(?:\+(\d+))?$`, libbuildpack's `jep322Regex`, each number as Go's
    /// `strconv.Atoi` reads it (an `i64`; a number beyond it makes the text no JEP 322
    /// version). Anything else (`v1.2`, `1.2.3-rc1`, `1.2.3+foo`) is left to semver.
    fn parse(text: &str) -> Option<Jep322> {
        let (numbers, build) = match text.split_once('+') {
            Some((numbers, build)) => (numbers, Some(number(build)?)),
            None => (text, None),
        };
        let fields = numbers.split('.').map(number).collect::<Option<Vec<_>>>()?;
        Some(Jep322 { fields, build })
    }

    /// The exact version `constraint` names, when it is one semver cannot match exactly.
    ///
    /// libbuildpack (`versions.go`):
    /// ```go
    /// func isExactJEP322Constraint(constraint string) (jep322Version, bool) {
    ///     v, ok := parseJEP322(constraint)
    ///     if !ok || (len(v.fields) <= 3 && v.build < 0) {
    ///         return jep322Version{}, false
    ///     }
    ///     return v, true
    /// }
    /// ```
    /// so `21.0.12` (three parts, no build) stays a semver constraint and keeps matching
    /// `21.0.12.1` and `21.0.12+10`.
    pub(super) fn exact_constraint(constraint: &str) -> Option<Jep322> {
        Jep322::parse(constraint).filter(|c| c.fields.len() > 3 || c.build.is_some())
    }

    /// True when `version` is this exact constraint.
    ///
    /// libbuildpack (`versions.go`):
    /// ```go
    /// func matchesExactJEP322(c jep322Version, ver string) bool {
    ///     v, ok := parseJEP322(ver)
    ///     if !ok || len(v.fields) != len(c.fields) || v.compareFields(c) != 0 {
    ///         return false
    ///     }
    ///     return c.build < 0 || v.build == c.build
    /// }
    /// ```
    /// The parts must be the same numbers and as many (`21.0.12.0` is not `21.0.12`); a
    /// constraint without a build takes any build (`21.0.12.1` matches `21.0.12.1+1`), one
    /// with a build only that build (`21.0.12+10` is not `21.0.12+11`). Which of several
    /// matches wins is [`super::compare`]'s order, as libbuildpack's `compareJEP322` (the
    /// highest build).
    pub(super) fn matches(&self, version: &str) -> bool {
        Jep322::parse(version).is_some_and(|v| {
            v.fields == self.fields && (self.build.is_none() || v.build == self.build)
        })
    }
}

/// One run of ASCII digits (Go's `\d`) as `strconv.Atoi` reads it; `None` for anything else.
fn number(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(constraint: &str) -> Jep322 {
        Jep322::exact_constraint(constraint)
            .unwrap_or_else(|| panic!("`{constraint}` should be an exact JEP 322 constraint"))
    }

    #[test]
    fn four_parts_or_a_build_make_a_constraint_exact() {
        for c in [
            "21.0.12.1",
            "21.0.12.0",
            "21.0.10.0.1",
            "21.0.12+10",
            "21.0.12.1+1",
            "21+35",
        ] {
            exact(c);
        }
        // Three parts or fewer without a build, and anything not numeric, stay semver's.
        for c in [
            "21.0.12",
            "21",
            "21.x",
            "21.0.12.x",
            "v21.0.12.1",
            "=21.0.12+10",
            "21.0.12+foo",
            "21.0.12-ea+10",
            "21.0.12+",
            "+10",
            "21..12.1",
            "21.0.12.1 ",
            "",
        ] {
            assert_eq!(Jep322::exact_constraint(c), None, "{c:?}");
        }
        // A number beyond Go's int is no JEP 322 version, as strconv.Atoi refuses it.
        assert_eq!(
            Jep322::exact_constraint("21.0.12.9223372036854775808"),
            None
        );
        exact("21.0.12.9223372036854775807");
    }

    #[test]
    fn a_build_number_must_be_that_build() {
        let c = exact("21.0.12+10");
        assert!(c.matches("21.0.12+10"));
        for v in [
            "21.0.12+11",
            "21.0.12+1",
            "21.0.12",
            "21.0.12.0+10",
            "21.0.12+010x",
        ] {
            assert!(!c.matches(v), "{v}");
        }
        // Leading zeros are the same number, as Atoi reads them.
        assert!(c.matches("21.0.12+010"));
        assert!(!exact("17.0.20+9").matches("17.0.20+10"));
    }

    #[test]
    fn four_parts_without_a_build_take_any_build() {
        let c = exact("21.0.12.1");
        for v in ["21.0.12.1", "21.0.12.1+1", "21.0.12.1+2"] {
            assert!(c.matches(v), "{v}");
        }
        for v in [
            "21.0.12",
            "21.0.12.2",
            "21.0.12.1.0",
            "21.0.12+1",
            "21.0.12.1-ea",
        ] {
            assert!(!c.matches(v), "{v}");
        }
        assert!(exact("21.0.12.1+1").matches("21.0.12.1+1"));
        assert!(!exact("21.0.12.1+1").matches("21.0.12.1+2"));
    }

    /// libbuildpack's `matchesExactJEP322` compares the number of parts too, so a trailing
    /// `.0` is not dropped: `21.0.12.0` names that four-part release, not `21.0.12`.
    #[test]
    fn the_number_of_parts_must_be_the_same() {
        assert!(!exact("21.0.12.0").matches("21.0.12"));
        assert!(!exact("21.0.12.0").matches("21.0.12+7"));
        assert!(exact("21.0.12.0").matches("21.0.12.0+7"));
        assert!(!exact("21.0.12+7").matches("21.0.12.0+7"));
    }
}
