//! `dependency_deprecation_dates`: a valid `match` regex, and a warning for each end of life
//! already past.

use regex::Regex;

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::super::model::DeprecationDate;
use super::helpers::{key_position, regex_reason};

pub(super) fn deprecations(m: &Manifest, report: &mut Report, today: (i32, u32, u32)) {
    for d in &m.deprecation_dates {
        let path = format!("dependency_deprecation_dates[{}]", d.index);
        if let Some(regex) = &d.match_regex
            && let Err(e) = Regex::new(regex)
        {
            let at = Some(key_position(
                m,
                "dependency_deprecation_dates",
                d.index,
                "match",
                d.position,
            ));
            let reason = regex_reason(&e);
            if d.version_line.is_empty() {
                report.error(
                    format!("{path}.match"),
                    at,
                    format!("not a valid regular expression: {reason}"),
                );
            } else {
                // bpkit reads `version_line` then, and Go's tools (RE2) take some patterns
                // Rust's regex does not (`\Q…\E`, `{,3}`): no reason to fail the manifest.
                report.warning(
                    format!("{path}.match"),
                    at,
                    format!(
                        "bpkit cannot read it as a regular expression ({reason}); it goes by version_line, so nothing changes here, but check the pattern if other tools read it"
                    ),
                );
            }
        }
        if d.ymd().is_some_and(|date| date < today) {
            report.warning(
                format!("{path}.date"),
                Some(key_position(
                    m,
                    "dependency_deprecation_dates",
                    d.index,
                    "date",
                    d.position,
                )),
                format!("{} reached end of life on {}", label(d), d.date),
            );
        }
    }
}

/// `ruby 3.1.x` as the warning names the entry: the versions by `match` when it has no
/// `version_line`, and `(no name)` for a missing name (whose own error says so), where a
/// blank left `ruby  reached end of life` or ` 3.1.x reached end of life`.
fn label(d: &DeprecationDate) -> String {
    let name = if d.name.is_empty() {
        "(no name)"
    } else {
        &d.name
    };
    match (&d.match_regex, d.version_line.is_empty()) {
        (_, false) => format!("{name} {}", d.version_line),
        (Some(regex), true) => format!("{name} versions matching `{regex}`"),
        (None, true) => format!("{name} (no version line)"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;

    /// End of life on a date is past the day after; on the day itself it is not yet.
    #[test]
    fn a_deprecation_date_warns_from_the_day_after() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2026-11-21, link: l}\n- {name: b, version_line: 1.x, date: 2026-11-22, link: l}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:38: warning: dependency_deprecation_dates[0].date: a 1.x reached end of life on 2026-11-21"
            ]
        );
    }

    /// An entry without a version line (only `match`) or without a name is named so, not
    /// with a blank.
    #[test]
    fn a_past_date_names_an_entry_that_lacks_a_version_line_or_a_name() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, match: '1\\.\\d+', date: 2020-01-01, link: l}\n- {version_line: 2.x, date: 2020-01-01, link: l}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:36: warning: dependency_deprecation_dates[0].date: a versions matching `1\\.\\d+` reached end of life on 2020-01-01",
                "m.yml:4:3: error: dependency_deprecation_dates[1].name: required key is missing; add the dependency name",
                "m.yml:4:29: warning: dependency_deprecation_dates[1].date: (no name) 2.x reached end of life on 2020-01-01",
            ]
        );
    }

    /// A `match` bpkit cannot compile is an error when bpkit goes by it (no `version_line`),
    /// and a warning when it goes by `version_line` (Go's RE2 takes `\Q…\E` and `{,3}`,
    /// which Rust's regex does not).
    #[test]
    fn a_match_bpkit_does_not_read_is_only_warned_about() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 8.2.x, match: '\\Q8.2.\\E\\d+', date: 2099-01-01, link: l}\n- {name: a, match: '8\\.2\\.\\d{,3}', date: 2099-01-01, link: l}\n",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("m.yml:3:41: warning: dependency_deprecation_dates[0].match: bpkit cannot read it as a regular expression ("),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("m.yml:4:20: error: dependency_deprecation_dates[1].match: not a valid regular expression: "),
            "{got:?}"
        );
    }

    /// A date of the right form on a day its month lacks is an error that says the month's
    /// length, not a deprecation warning for the next month's day it would count as.
    #[test]
    fn a_deprecation_date_on_a_day_its_month_lacks_is_an_error() {
        let got = messages(
            "language: x\ndependency_deprecation_dates:\n- {name: a, version_line: 1.x, date: 2027-02-29, link: l}\n- {name: a, version_line: 2.x, date: 2028-02-29, link: l}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:38: error: dependency_deprecation_dates[0].date: expected a day of the calendar, found `2027-02-29`: February 2027 has 28 days; fix the day"
            ]
        );
    }
}
