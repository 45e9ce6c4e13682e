//! `language`: required, a string, and fit to be part of the zip's file name.

use super::super::Manifest;
use super::super::diagnostic::Report;

pub(super) fn language(m: &Manifest, report: &mut Report) {
    // A manifest that is not a mapping already has its one error (load/mod.rs): every key is
    // missing, and saying so of `language` alone adds nothing.
    if m.tree
        .as_ref()
        .is_some_and(|t| !matches!(t.value, crate::manifest::yaml::Value::Mapping(_)))
    {
        return;
    }
    let position = m
        .tree
        .as_ref()
        .map(|t| t.get("language").map_or(t.position, |n| n.position));
    match m.language.as_deref() {
        Some(language) if !language.trim().is_empty() => {
            // The packager's own rule, so that a manifest called valid here also packages.
            if let Some(problem) = crate::packager::name::name_part_problem(language) {
                report.error(
                    "language",
                    position,
                    // A line break in it is escaped by the report, as in every finding.
                    format!(
                        "`{language}` cannot be part of the zip's file name ({problem}); use a name such as `ruby`"
                    ),
                );
            }
        }
        // Present but not a string: loading said so, with what it found.
        None if m
            .tree
            .as_ref()
            .and_then(|t| t.get("language"))
            .is_some_and(|n| !n.is_null()) => {}
        _ => {
            let written = m.tree.as_ref().and_then(|t| t.get("language")).is_some();
            let what = if written {
                "expected a name, found nothing"
            } else {
                "required key is missing"
            };
            report.error(
                "language",
                position,
                format!("{what}; add `language: <name>` at the top (the zip is named <name>_buildpack-…)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;

    /// A missing, null, empty or blank `language` is one error at the top or at the key; a
    /// language the zip's name cannot hold is another; a manifest that is no mapping has its
    /// one error from loading, and no second one about `language`.
    #[test]
    fn a_missing_or_blank_language_is_an_error() {
        let fix = "add `language: <name>` at the top (the zip is named <name>_buildpack-…)";
        for (text, at, what) in [
            ("dependencies: []\n", "1:1", "required key is missing"),
            ("language:\n", "1:9", "expected a name, found nothing"),
            ("language: ''\n", "1:11", "expected a name, found nothing"),
            ("language: ' '\n", "1:11", "expected a name, found nothing"),
        ] {
            assert_eq!(
                messages(text),
                [format!("m.yml:{at}: error: language: {what}; {fix}")],
                "{text:?}"
            );
        }
        assert_eq!(
            messages("language: a b\n"),
            [
                "m.yml:1:11: error: language: `a b` cannot be part of the zip's file name (it contains ` `); use a name such as `ruby`"
            ]
        );
        // No zip's name can hold a language this long; one byte shorter, `-v1.zip` fits.
        let long = "a".repeat(239);
        assert_eq!(
            messages(&format!("language: {long}\n")),
            ["m.yml:1:11: error: language: `".to_string()
                + &long
                + "` cannot be part of the zip's file name (it is 239 bytes long, and the zip's file name, `_buildpack-v<version>.zip` and all, holds at most 255 bytes); use a name such as `ruby`"]
        );
        assert_eq!(
            messages(&format!("language: {}\n", "a".repeat(238))),
            Vec::<String>::new()
        );
        assert_eq!(
            messages("[a]\n"),
            [
                "m.yml:1:1: error: expected a mapping of keys at the top of the manifest, found a list; start it with `language: <name>` and the other keys, one per line"
            ]
        );
    }

    /// `language: true` once loaded as the text `true` and validated (the zip would have been
    /// `true_buildpack-…`); a list or a mapping said "expected a string" and then "required key
    /// is missing" of the key just named. Each is now one error with what a language looks like.
    #[test]
    fn a_language_that_is_no_string_is_one_error_naming_what_was_found() {
        for (value, found) in [
            (
                "true",
                "a boolean (`true`); quote it ('true') if you mean the text `true`",
            ),
            (
                "no",
                "a boolean (`no`); quote it ('no') if you mean the text `no`",
            ),
            (
                "42",
                "an integer (`42`); quote it ('42') if you mean the text `42`",
            ),
            (
                "1.5",
                "a number (`1.5`); quote it ('1.5') if you mean the text `1.5`",
            ),
            ("[ruby]", "a list"),
            (
                "{name: ruby}",
                "a mapping; if it is meant as text, quote it whole ('…'): a `: ` in it makes YAML read a key and its value",
            ),
        ] {
            assert_eq!(
                messages(&format!(
                    "language: {value}
"
                )),
                [format!(
                    "m.yml:1:11: error: language: expected a string such as `ruby`, found {found}"
                )],
                "language: {value}"
            );
        }
        // Quoted, it is text, as YAML says.
        assert_eq!(
            messages(
                "language: 'true'
"
            ),
            Vec::<String>::new()
        );
    }
}
