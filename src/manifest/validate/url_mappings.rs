//! `url_to_dependency_map`: each `match` a valid regex whose groups every `$N` names.

use regex::Regex;

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::super::model::UrlMapping;
use super::helpers::{key_position, regex_reason};

/// `url_to_dependency_map`: each `match` must compile with Rust's regex syntax (every official
/// manifest's mappings do; see the corpus test in `manifest`), and each `$N` in `name` and
/// `version` must name one of its groups: a `$N` without a group stays as written, so the lookup
/// would never find a dependency. Missing or empty keys are reported while loading.
pub(super) fn url_mappings(m: &Manifest, report: &mut Report) {
    for mapping in &m.url_to_dependency_map {
        let path = format!("url_to_dependency_map[{}]", mapping.index);
        if mapping.match_regex.is_empty() {
            continue;
        }
        let regex = match Regex::new(&mapping.match_regex) {
            Ok(regex) => regex,
            Err(e) => {
                report.error(
                    format!("{path}.match"),
                    Some(key_position(
                        m,
                        "url_to_dependency_map",
                        mapping.index,
                        "match",
                        mapping.position,
                    )),
                    format!("not a valid regular expression: {}", regex_reason(&e)),
                );
                continue;
            }
        };
        // captures_len counts the whole match as group 0.
        let groups = regex.captures_len() - 1;
        for (key, template) in [("name", &mapping.name), ("version", &mapping.version)] {
            if let Some(n) = UrlMapping::group_references(template)
                .into_iter()
                .find(|&n| n == 0 || n > groups)
            {
                let (has, fix) = match groups {
                    0 => (
                        "no groups".to_string(),
                        "put the part of the URL to take in ( )".to_string(),
                    ),
                    1 => ("1 group".to_string(), "use $1".to_string()),
                    g => (format!("{g} groups"), format!("use $1 to ${g}")),
                };
                report.error(
                    format!("{path}.{key}"),
                    Some(key_position(
                        m,
                        "url_to_dependency_map",
                        mapping.index,
                        key,
                        mapping.position,
                    )),
                    format!("`${n}` is not a capture group of `match`, which has {has}; {fix}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;

    #[test]
    fn url_mapping_groups_are_checked() {
        let got = messages(
            "language: x\nurl_to_dependency_map:\n- {match: 'jruby-(\\d+)-(\\d+)', name: jruby, version: 'ruby-$1-jruby-$3'}\n- {match: 'node', name: $1, version: 0.12.2}\n- {match: '(a)(b)(c)', name: $0, version: $3}\n- {match: 'ok-(\\d+)', name: ok, version: $1}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:54: error: url_to_dependency_map[0].version: `$3` is not a capture group of `match`, which has 2 groups; use $1 to $2",
                "m.yml:4:25: error: url_to_dependency_map[1].name: `$1` is not a capture group of `match`, which has no groups; put the part of the URL to take in ( )",
                "m.yml:5:30: error: url_to_dependency_map[2].name: `$0` is not a capture group of `match`, which has 3 groups; use $1 to $3",
            ]
        );
    }
}
