//! The manifest's data, typed. Versions are the strings exactly as written; checksums are
//! parsed types; key order of maps that matter (env, process types) is kept.

use super::yaml::Position;
use crate::calendar::{self, Date};
use crate::checksum::{Checksums, Md5, Sha256};

/// One entry of `dependencies:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dependency {
    pub name: String,
    /// As written: `1.10` stays `1.10`, an integer `0` is `"0"`.
    pub version: String,
    pub uri: String,
    pub sha256: Option<Sha256>,
    pub md5: Option<Md5>,
    /// `None` when the key is absent (the Go packager then drops the dependency).
    pub cf_stacks: Option<Vec<String>>,
    /// Set in packaged (cached) manifests: the file inside the buildpack.
    pub file: Option<String>,
    pub source: Option<String>,
    pub source_sha256: Option<Sha256>,
    pub osl: Option<String>,
    /// Nested `dependencies` (php extensions, R packages) or `modules`; carry no checksum.
    pub modules: Vec<Module>,
    /// The names under `modules:` alone, `None` when the key is absent or null: what the Ruby
    /// gem's `--list` shows (a list of names in its schema; nested `dependencies` it ignores).
    pub listed_modules: Option<Vec<String>>,
    /// The entry's index in the manifest's own list, for key paths (`dependencies[3]`): an item of the
    /// wrong kind (`- ruby`) is reported and left out of the model, so the model's index of a
    /// later entry is smaller than the manifest's.
    pub index: usize,
    /// Where the entry starts, for messages.
    pub position: Position,
    /// A checksum key was present but unreadable (already reported; don't also say "missing").
    pub has_malformed_checksum: bool,
}

impl Dependency {
    /// `ruby 3.3.0` as messages name it; `(no name)` and `(no version)` for what is missing,
    /// whose own errors say so (a bare `ruby ` or ` 3.3.0` read as a typo).
    pub fn label(&self) -> String {
        let name = if self.name.is_empty() {
            "(no name)"
        } else {
            self.name.as_str()
        };
        if self.version.is_empty() {
            format!("{name} (no version)")
        } else {
            format!("{name} {}", self.version)
        }
    }

    pub fn checksums(&self) -> Checksums {
        Checksums {
            sha256: self.sha256,
            md5: self.md5,
        }
    }

    /// Why the `file:` key cannot name a file inside the buildpack (`is absolute`, `climbs out
    /// of it with `..``), or `None` when it can or is absent. The packager never writes such a
    /// one, and reading it would take a file from outside the buildpack (a `Path::join` with an
    /// absolute path replaces the buildpack's folder), so supply refuses it and validate too.
    pub fn file_outside_buildpack(&self) -> Option<&'static str> {
        let file = std::path::Path::new(self.file.as_deref()?);
        if file.is_absolute() {
            Some("is absolute")
        } else if file
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            Some("climbs out of it with `..`")
        } else {
            None
        }
    }

    /// True when the dependency may be installed on `stack`. A dependency without `cf_stacks`
    /// is not on any stack, as in libbuildpack.
    pub fn supports_stack(&self, stack: &str) -> bool {
        self.cf_stacks
            .as_ref()
            .is_some_and(|stacks| stacks.iter().any(|s| s == stack))
    }
}

/// A nested dependency entry: a name and maybe a version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Module {
    pub name: String,
    pub version: Option<String>,
}

/// One entry of `default_versions:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefaultVersion {
    pub name: String,
    /// A version or a constraint such as `3.2.x`.
    pub version: String,
    /// The entry's index in the manifest's own list, for key paths (`default_versions[3]`): an item of the
    /// wrong kind (`- ruby`) is reported and left out of the model, so the model's index of a
    /// later entry is smaller than the manifest's.
    pub index: usize,
    pub position: Position,
}

/// One entry of `dependency_deprecation_dates:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeprecationDate {
    pub name: String,
    pub version_line: String,
    /// `YYYY-MM-DD` as written.
    pub date: String,
    pub link: Option<String>,
    /// `match`: a regex for the version, used by the tools that update the official manifests;
    /// staging goes by `version_line`, as libbuildpack does, and uses it only without one.
    pub match_regex: Option<String>,
    /// The entry's index in the manifest's own list, for key paths (`dependency_deprecation_dates[3]`): an item of the
    /// wrong kind (`- ruby`) is reported and left out of the model, so the model's index of a
    /// later entry is smaller than the manifest's.
    pub index: usize,
    pub position: Position,
}

impl DeprecationDate {
    /// The date as (year, month, day), when it is a valid `YYYY-MM-DD`.
    pub fn ymd(&self) -> Option<(i32, u32, u32)> {
        parse_date(&self.date)
    }
}

/// Parse `YYYY-MM-DD` (the only form the corpus uses; YAML timestamps may add a time after it).
/// A day the month does not have (`2025-02-29`, `2025-04-31`) is no date: Go's `time.Parse`,
/// which libbuildpack reads these with, refuses it too.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let (year, month, day) = date_fields(text)?;
    Date::checked(year, month, day).map(|date| (date.year, date.month, date.day))
}

/// Why `text` is not a date when it has the form of one but names a day its month does not
/// have: `February 2025 has 28 days`.
pub fn missing_day(text: &str) -> Option<String> {
    let (year, month, day) = date_fields(text)?;
    let days = calendar::days_in_month(year, month);
    (day > days).then(|| format!("{} {year} has {days} days", calendar::month_name(month)))
}

/// The day `text` names written as `YYYY-MM-DD`, when it is a day of the calendar written
/// another common way (`20300101`, `2030/01/01`, `2030.1.1`, `2030-1-1`, and year last when
/// which number is the day is plain: `31/03/2027`, `03/31/2027`): the fix an error for it can
/// give, rather than an example date the user has to adapt.
pub fn date_respelled(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, month, day) = if digits(text, 8..=8) {
        (&text[..4], &text[4..6], &text[6..])
    } else {
        let mut parts = text.split(['-', '/', '.']);
        let (first, second, third) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        if digits(third, 4..=4) {
            // Year last: day first in most of the world, month first in the US. Only a number
            // above 12 tells which is the day; `01/02/2027` could be either, so no guess.
            let above_12 = |part: &str| part.parse::<u32>().is_ok_and(|n| n > 12);
            match (above_12(first), above_12(second)) {
                (true, false) => (third, second, first),
                (false, true) => (third, first, second),
                _ => return None,
            }
        } else {
            (first, second, third)
        }
    };
    if !(digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)) {
        return None;
    }
    let respelled = format!("{year}-{month:0>2}-{day:0>2}");
    (respelled != text && parse_date(&respelled).is_some()).then_some(respelled)
}

/// `YYYY-MM-DD`'s three numbers, the month 1–12 and the day 1–31.
fn date_fields(text: &str) -> Option<(i32, u32, u32)> {
    let date = text.get(..10)?;
    // A YAML timestamp's time may follow (`2027-12-01T10:00:00Z`, `2027-12-01 10:00`); other
    // text (`2027-12-01 or so`) makes it no date.
    let rest = text.get(10..)?;
    let is_time = |after: &str| after.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let time_follows = rest
        .strip_prefix(['T', 't'])
        .or_else(|| Some(rest.trim_start_matches([' ', '\t'])).filter(|r| r.len() < rest.len()))
        .is_some_and(is_time);
    if !(rest.is_empty() || time_follows) {
        return None;
    }
    let mut parts = date.split('-');
    // Digits only: Rust's `parse` takes a sign (`2027-+1-01`), which no YYYY-MM-DD has and
    // libbuildpack's date parsing refuses.
    let mut field = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let year = field(4)?.parse().ok()?;
    let month = field(2)?.parse().ok()?;
    let day = field(2)?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// One entry of `url_to_dependency_map:` (Ruby era): URLs that `match_regex` matches are the
/// dependency `name` `version`, where `$1`, `$2`, … stand for the regex's capture groups.
/// compile-extensions' `translate_dependency_url` looked dependencies up this way, and
/// `bpkit translate-dependency-url` still does ([`super::Manifest::dependency_for_url`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlMapping {
    pub match_regex: String,
    pub name: String,
    /// As written (`0` stays `"0"`), like a dependency's version, so the two compare equal.
    pub version: String,
    /// The entry's index in the manifest's own list, for key paths (`url_to_dependency_map[3]`): an item of the
    /// wrong kind (`- ruby`) is reported and left out of the model, so the model's index of a
    /// later entry is smaller than the manifest's.
    pub index: usize,
    pub position: Position,
}

/// A piece of a mapping's `name` or `version`: text kept as written, or a `$N` reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    /// Group `number`, written as `written` (`$1`).
    Group {
        number: usize,
        written: &'t str,
    },
}

/// Cut `template` at its `$N` references. The digits after `$` are read whole, so `$10` is
/// group 10. compile-extensions replaced `$1`, `$2`, … one after the other as plain text, which
/// gives the same result for up to 9 groups (the official manifests use at most 2) and would
/// read `$10` as group 1 followed by `0`.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        let digits = rest[dollar + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let number = rest[dollar + 1..dollar + 1 + digits].parse::<usize>().ok();
        if let Some(number) = number {
            out.push(Piece::Text(&rest[..dollar]));
            out.push(Piece::Group {
                number,
                written: &rest[dollar..=dollar + digits],
            });
            rest = &rest[dollar + 1 + digits..];
        } else {
            // A `$` not followed by a number is text.
            out.push(Piece::Text(&rest[..=dollar]));
            rest = &rest[dollar + 1..];
        }
    }
    out.push(Piece::Text(rest));
    out
}

impl UrlMapping {
    /// The group numbers that `$N` in `template` (a `name` or `version`) refer to, in order.
    pub fn group_references(template: &str) -> Vec<usize> {
        pieces(template)
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Group { number, .. } => Some(number),
                Piece::Text(_) => None,
            })
            .collect()
    }

    /// `template` with each `$N` replaced by capture group N of `captures`. A group that took no
    /// part in the match (an optional one) reads as empty; a `$N` with no group N (including
    /// `$0`, as compile-extensions started at 1) is kept as written, and `bpkit validate`
    /// reports it.
    pub fn expand(template: &str, captures: &regex::Captures<'_>) -> String {
        let mut out = String::with_capacity(template.len());
        for piece in pieces(template) {
            match piece {
                Piece::Group { number, .. } if number >= 1 && number < captures.len() => {
                    out.push_str(captures.get(number).map_or("", |m| m.as_str()));
                }
                Piece::Text(text) | Piece::Group { written: text, .. } => out.push_str(text),
            }
        }
        out
    }
}

/// One of `packaging_profiles:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackagingProfile {
    pub name: String,
    pub description: Option<String>,
    /// Dependency names left out of a cached zip built with this profile.
    pub exclude: Vec<String>,
    pub position: Position,
}

/// bpkit's `detect:` rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detect {
    /// The display name printed on a match; defaults to `language`.
    pub name: Option<String>,
    pub rule: DetectRule,
}

/// A detect rule: a file test, or a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectRule {
    /// A path or glob relative to the app root, optionally with a regex its text must match.
    File {
        pattern: String,
        contains: Option<String>,
    },
    AnyOf(Vec<DetectRule>),
    AllOf(Vec<DetectRule>),
}

impl Default for DetectRule {
    fn default() -> Self {
        DetectRule::AnyOf(Vec::new())
    }
}

/// Where an app asks for a dependency version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// The whole file trimmed, or the first capture group of `regex` over its text.
    File {
        path: String,
        regex: Option<String>,
    },
    Env {
        name: String,
    },
}

/// One entry of `install:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Install {
    pub name: String,
    pub version_from: Vec<VersionSource>,
    pub strip_components: usize,
    /// Sub-folders put on PATH at build and at launch.
    pub path: Vec<String>,
    /// Sub-folders put on `LD_LIBRARY_PATH`.
    pub library_path: Vec<String>,
    /// Exported at build and at launch; `{{dir}}` and `$DEPS_DIR` expand.
    pub env: Vec<(String, String)>,
    /// The entry's index in the manifest's own list, for key paths (`install[3]`): an item of the
    /// wrong kind (`- ruby`) is reported and left out of the model, so the model's index of a
    /// later entry is smaller than the manifest's.
    pub index: usize,
    pub position: Position,
}

/// `release:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Release {
    pub config_vars: Vec<(String, String)>,
    pub default_process_types: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A day written another common way gets the same day as `YYYY-MM-DD` for its fix; one
    /// that is no day, already right, or ambiguous (`01/02/2027`) gets none.
    #[test]
    fn a_date_written_another_way_is_respelled() {
        for (written, respelled) in [
            ("20300101", Some("2030-01-01")),
            ("2030/01/31", Some("2030-01-31")),
            ("2030.1.2", Some("2030-01-02")),
            (" 2030-1-2 ", Some("2030-01-02")),
            ("31/03/2027", Some("2027-03-31")),
            ("03/31/2027", Some("2027-03-31")),
            // 12 is a month: only 13 and above say which number is the day.
            ("12/13/2027", Some("2027-12-13")),
            ("13/12/2027", Some("2027-12-13")),
            // A sign is no digit, in any of the three.
            ("+027/01/01", None),
            ("2027/+1/01", None),
            ("2027/01/+1", None),
            ("01/02/2027", None),
            ("2027-03-31", None),
            ("2027-02-29", None),
            ("20271301", None),
            ("2027-03", None),
            ("2027-03-31-01", None),
            ("tomorrow", None),
            ("", None),
        ] {
            assert_eq!(date_respelled(written).as_deref(), respelled, "{written:?}");
        }
    }

    /// `YYYY-MM-DD`, maybe with a time after it; a month or a day out of range is no date.
    #[test]
    fn a_date_is_year_month_and_day_in_range() {
        assert_eq!(parse_date("2027-03-31"), Some((2027, 3, 31)));
        assert_eq!(parse_date("2027-12-01T10:00:00Z"), Some((2027, 12, 1)));
        assert_eq!(parse_date("2027-12-01 10:00:00"), Some((2027, 12, 1)));
        for text in [
            "2027-12-01 or so",
            "2027-12-01x",
            "2027-12-01T",
            "2027-12-01 ",
            "2027-12-010",
            "2027-13-01",
            "2027-00-01",
            "2027-12-32",
            "2027-12-00",
            "2027-3-31",
            "27-03-31",
            "2027/03/31",
            "2027-02-29",
            "2027-04-31",
            "+027-03-31",
            "2027-+3-31",
            "2027-03-+1",
            "",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
    }

    /// Only a well-formed date whose day is past its month's end gets the month's length; a
    /// malformed one gets the general message.
    #[test]
    fn a_missing_day_names_the_length_of_its_month() {
        assert_eq!(
            missing_day("2027-02-29").as_deref(),
            Some("February 2027 has 28 days")
        );
        assert_eq!(
            missing_day("2027-06-31").as_deref(),
            Some("June 2027 has 30 days")
        );
        for text in ["2028-02-29", "2027-13-01", "2027-02-32", "27-02-29"] {
            assert_eq!(missing_day(text), None, "{text}");
        }
    }
}
