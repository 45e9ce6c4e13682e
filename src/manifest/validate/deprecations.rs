//! `dependency_deprecation_dates`: a valid `match` regex, and a warning for each end of life
//! already past.

use regex::Regex;

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::helpers::{key_position, regex_reason};

pub(super) fn deprecations(m: &Manifest, report: &mut Report, today: (i32, u32, u32)) {
    for d in &m.deprecation_dates {
        let path = format!("dependency_deprecation_dates[{}]", d.index);
        if let Some(regex) = &d.match_regex
            && let Err(e) = Regex::new(regex)
        {
            report.error(
                format!("{path}.match"),
                Some(key_position(
                    m,
                    "dependency_deprecation_dates",
                    d.index,
                    "match",
                    d.position,
                )),
                format!("not a valid regular expression: {}", regex_reason(&e)),
            );
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
                format!(
                    "{} {} reached end of life on {}",
                    d.name, d.version_line, d.date
                ),
            );
        }
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
