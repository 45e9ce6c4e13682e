//! `default_versions`: one default per dependency, a valid constraint, matching a dependency on
//! every stack the dependency lists.

use std::collections::HashMap;

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::helpers::key_position;
use crate::version::Constraint;

/// The error for a default version holding a line break or another control character (here
/// and in an override.yml).
pub(crate) fn control_character_message(version: &str) -> String {
    format!(
        "{version:?} holds a line break or another control character; write the version or constraint on one line, such as 3.2.x"
    )
}

pub(super) fn defaults(m: &Manifest, report: &mut Report) {
    let mut first_for_name: HashMap<&str, usize> = HashMap::new();
    for default in &m.default_versions {
        let path = format!("default_versions[{}]", default.index);
        if default.name.is_empty() || default.version.is_empty() {
            continue;
        }
        if let Some(first) = first_for_name.get(default.name.as_str()) {
            report.error(
                format!("{path}.name"),
                Some(key_position(m, "default_versions", default.index, "name", default.position)),
                format!("a second default for {} (the first is default_versions[{first}]); keep one default per dependency", default.name),
            );
            continue;
        }
        first_for_name.insert(&default.name, default.index);
        // A constraint's parts are split on any whitespace, so `"1.1.x\n"` parsed, and the
        // staging log's "the highest matching the buildpack's default 1.1.x" ended in a blank
        // line.
        if default.version.chars().any(char::is_control) {
            report.error(
                format!("{path}.version"),
                Some(key_position(
                    m,
                    "default_versions",
                    default.index,
                    "version",
                    default.position,
                )),
                control_character_message(&default.version),
            );
            continue;
        }
        let constraint = match Constraint::parse(&default.version) {
            Ok(c) => c,
            Err(e) => {
                report.error(
                    format!("{path}.version"),
                    Some(key_position(
                        m,
                        "default_versions",
                        default.index,
                        "version",
                        default.position,
                    )),
                    format!("{e}; use a version or a constraint such as 3.2.x"),
                );
                continue;
            }
        };
        let named: Vec<_> = m
            .dependencies
            .iter()
            .filter(|d| d.name == default.name)
            .collect();
        if m.highest_matching(&default.name, &constraint, None)
            .is_none()
        {
            let mut versions: Vec<&str> = named.iter().map(|d| d.version.as_str()).collect();
            versions.sort_by(|a, b| crate::version::compare(a, b));
            versions.dedup();
            let have = if versions.is_empty() {
                format!("there is no dependency named {}", default.name)
            } else {
                format!("the manifest has {}", versions.join(", "))
            };
            report.error(
                format!("{path}.version"),
                Some(key_position(m, "default_versions", default.index, "version", default.position)),
                format!("default {} {} matches no dependency on any stack ({have}); fix the version or add the dependency", default.name, default.version),
            );
            continue;
        }
        // Stacks its dependency lists but where the default has no match: `package --stack`
        // for those is refused, as by the Go packager (nginx and nodejs on cflinuxfs3).
        let mut stacks: Vec<&str> = Vec::new();
        for stack in named.iter().filter_map(|d| d.cf_stacks.as_ref()).flatten() {
            if !stacks.contains(&stack.as_str()) {
                stacks.push(stack);
            }
        }
        for stack in stacks {
            if m.highest_matching(&default.name, &constraint, Some(stack))
                .is_none()
            {
                report.warning(
                    format!("{path}.version"),
                    Some(key_position(m, "default_versions", default.index, "version", default.position)),
                    format!("default {} {} has no match on stack {stack}, so packaging for {stack} alone will be refused", default.name, default.version),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;
    use super::*;
    use std::path::Path;

    /// A default with an empty name or version has its one error from loading, not a second
    /// one about matching nothing.
    #[test]
    fn a_default_with_an_empty_name_or_version_is_not_matched() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndefault_versions:\n- {{name: a, version: ''}}\n- {{name: '', version: 1.x}}\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:22: error: default_versions[0].version: expected a value, found nothing; add the default version or a constraint such as 3.2.x",
                "m.yml:4:10: error: default_versions[1].name: expected a value, found nothing; add the dependency name",
            ]
        );
    }

    #[test]
    fn a_default_with_a_line_break_is_an_error() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndefault_versions:\n- {{name: a, version: \"1.x\\n\"}}\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            got,
            [
                r#"m.yml:3:22: error: default_versions[0].version: "1.x\n" holds a line break or another control character; write the version or constraint on one line, such as 3.2.x"#,
            ]
        );
    }

    #[test]
    fn default_without_match_on_one_stack_warns() {
        let got = messages(
            "language: x\ndefault_versions:\n- {name: a, version: 2.x}\ndependencies:\n- {name: a, version: 1.0.0, uri: 'https://e/1', sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc, cf_stacks: [old]}\n- {name: a, version: 2.0.0, uri: 'https://e/2', sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc, cf_stacks: [new]}\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:3:22: warning: default_versions[0].version: default a 2.x has no match on stack old, so packaging for old alone will be refused"
            ]
        );
    }

    /// openresty (nginx) and jruby write four-part versions; libbuildpack matches them as their
    /// first three parts, so a default of `1.25.x` is valid (it was "matches no dependency").
    #[test]
    fn a_default_may_match_a_four_part_version() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let text = format!(
            "language: x\ndefault_versions:\n- {{name: openresty, version: 1.25.x}}\ndependencies:\n- {{name: openresty, version: 1.25.3.2, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n- {{name: openresty, version: 1.21.4.4, uri: 'https://e/2', sha256: {sha}, cf_stacks: [s]}}\n"
        );
        assert_eq!(messages(&text), Vec::<String>::new());
        let (m, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        let chosen = m.highest_matching(
            "openresty",
            &Constraint::parse("1.25.x").unwrap(),
            Some("s"),
        );
        assert_eq!(chosen.map(|d| d.version.as_str()), Some("1.25.3.2"));
    }
}
