//! `dependencies`: a downloadable uri, checksums (present, strong, lowercase as written, agreeing
//! where entries share a uri), stacks, and one uri per name, version and stack.

use std::collections::HashMap;

use super::super::diagnostic::Report;
use super::super::yaml::{Node, Value};
use super::super::{Dependency, Manifest};
use super::helpers::key_position;

pub(super) fn dependencies(m: &Manifest, report: &mut Report) {
    // name+version+stack → (manifest index, uri) of the first entry, to find conflicting
    // duplicates.
    let mut seen: HashMap<(&str, &str, &str), (usize, &str)> = HashMap::new();
    // uri → the entries with that uri so far, to find checksums one file cannot all match.
    let mut by_uri: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in m.dependencies.iter().enumerate() {
        let path = format!("dependencies[{}]", d.index);
        if !d.uri.is_empty() {
            let earlier = by_uri.entry(d.uri.as_str()).or_default();
            shared_uri_checksums(m, i, earlier, report);
            earlier.push(i);
        }
        if !d.uri.is_empty()
            && let Some(problem) = crate::fetch::uri::download_problem(&d.uri)
        {
            report.warning(
                format!("{path}.uri"),
                Some(key_position(m, "dependencies", d.index, "uri", d.position)),
                format!(
                    "bpkit cannot download `{}`: {problem} (a mirror may still map it to a URI it can)",
                    crate::fetch::uri::redact(&d.uri)
                ),
            );
        }
        // A name or version is printed in the staging log, the zip's summary and many
        // messages, one line each: a line break in it split them (`validate` said valid, and a
        // fetch error came out as two lines).
        for (key, value) in [("name", &d.name), ("version", &d.version)] {
            if value.chars().any(char::is_control) {
                report.error(
                    format!("{path}.{key}"),
                    Some(key_position(m, "dependencies", d.index, key, d.position)),
                    format!(
                        "{value:?} holds a line break or another control character; write the {key} on one line"
                    ),
                );
            }
        }
        if let (Some(file), Some(why)) = (&d.file, d.file_outside_buildpack()) {
            // Supply refuses it ("must name a file inside the buildpack"): said before staging.
            report.error(
                format!("{path}.file"),
                Some(key_position(m, "dependencies", d.index, "file", d.position)),
                // Control characters in it are escaped by the report, as in every finding.
                format!(
                    "`{file}` {why}, but it must name a file inside the buildpack; write the path from the buildpack's folder (the packager writes dependencies/<md5 of the uri>/<file name>)"
                ),
            );
        }
        checksum_spelling(m, i, report);
        if d.checksums().is_empty() && !d.has_malformed_checksum {
            report.error(
                format!("{path}.sha256"),
                Some(key_position(m, "dependencies", d.index, "sha256", d.position)),
                format!("dependency {} has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)", d.label()),
            );
        } else if d.sha256.is_none() && d.md5.is_some() {
            report.warning(
                format!("{path}.md5"),
                Some(key_position(m, "dependencies", d.index, "md5", d.position)),
                format!(
                    "dependency {} has only an md5 checksum, which is weak; add its sha256",
                    d.label()
                ),
            );
        }
        // `cf_stacks: []` and `cf_stacks:` (null) leave it on no stack, as a missing key does:
        // Go reads all three as an empty list.
        // A list whose entries were all refused (`cf_stacks: [true]`) is empty too, but its
        // error already says what to write.
        if m.stack.is_none()
            && d.cf_stacks.as_ref().is_none_or(Vec::is_empty)
            && !report.has_error_under(&format!("{path}.cf_stacks"))
        {
            report.warning(
                format!("{path}.cf_stacks"),
                Some(key_position(m, "dependencies", d.index, "cf_stacks", d.position)),
                format!("dependency {} lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`", d.label()),
            );
        }
        let stacks: Vec<&str> = match (&d.cf_stacks, &m.stack) {
            (Some(stacks), _) => stacks.iter().map(String::as_str).collect(),
            (None, Some(stack)) => vec![stack.as_str()],
            (None, None) => vec![""],
        };
        for stack in stacks {
            match seen.get(&(d.name.as_str(), d.version.as_str(), stack)) {
                Some((first, uri)) if *uri != d.uri => report.error(
                    format!("{path}.uri"),
                    Some(key_position(m, "dependencies", d.index, "uri", d.position)),
                    format!(
                        "dependency {} {} for stack {} is also dependencies[{first}] with a different uri; keep one entry per name, version and stack",
                        d.name,
                        d.version,
                        if stack.is_empty() { "(none)" } else { stack }
                    ),
                ),
                Some(_) => {}
                None => {
                    seen.insert((d.name.as_str(), d.version.as_str(), stack), (d.index, d.uri.as_str()));
                }
            }
        }
    }
}

/// Entries sharing a uri share one file (packager.md: it goes in the zip once), so their
/// checksums must agree: report each checksum of entry `i` that differs from the first earlier
/// entry (`earlier`, same uri) giving that kind of checksum.
fn shared_uri_checksums(m: &Manifest, i: usize, earlier: &[usize], report: &mut Report) {
    type Get = fn(&Dependency) -> Option<String>;
    let kinds: [(&str, Get); 2] = [
        ("sha256", |d| d.sha256.map(|s| s.hex())),
        ("md5", |d| d.md5.map(|s| s.hex())),
    ];
    let d = &m.dependencies[i];
    for (kind, get) in kinds {
        let Some(found) = get(d) else { continue };
        let first = earlier
            .iter()
            .find_map(|&j| get(&m.dependencies[j]).map(|value| (m.dependencies[j].index, value)));
        if let Some((j, expected)) = first
            && expected != found
        {
            report.error(
                format!("dependencies[{}].{kind}", d.index),
                Some(key_position(m, "dependencies", d.index, kind, d.position)),
                format!(
                    "expected {expected} as dependencies[{j}].{kind} says, found {found}: both entries have the uri {}, and one file cannot match both; fix the checksum, or give the entries different uris",
                    crate::fetch::uri::redact(&d.uri)
                ),
            );
        }
    }
}

/// The value of `dependencies[index].key` as written (`index` as in the manifest,
/// [`Dependency::index`]).
fn dependency_value<'m>(m: &'m Manifest, index: usize, key: &str) -> Option<&'m Node> {
    let Value::Sequence(items) = &m.tree.as_ref()?.get("dependencies")?.value else {
        return None;
    };
    items.get(index)?.get(key)
}

/// A checksum bpkit reads (hex in any case, spaces around it trimmed) but that libbuildpack,
/// which installs the official buildpacks' dependencies, and the Go packager compare as
/// written with the lowercase hex they compute: with them the file never matches, so staging
/// or packaging fails on a file that is right.
fn checksum_spelling(m: &Manifest, i: usize, report: &mut Report) {
    let d = &m.dependencies[i];
    let kinds = [
        ("sha256", d.sha256.map(|s| s.hex())),
        ("md5", d.md5.map(|s| s.hex())),
    ];
    for (kind, hex) in kinds {
        let (Some(hex), Some(node)) = (hex, dependency_value(m, d.index, kind)) else {
            continue;
        };
        let Some(written) = node.as_scalar().map(|s| s.text.as_str()) else {
            continue;
        };
        if written == hex {
            continue;
        }
        // Lowercase hex with a space or line break around it was called "not lowercase hex",
        // which its author could not see; a `|` block is the usual way to get a line break.
        let what = if written.trim() != hex {
            "is not lowercase hex as written"
        } else if written.ends_with('\n') {
            "ends in a line break as written (a `|` block keeps it: write the checksum on the key's line)"
        } else {
            "has spaces around it as written"
        };
        report.warning(
            format!("dependencies[{}].{kind}", d.index),
            Some(node.position),
            format!(
                "`{}` {what}; libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `{hex}`",
                written.escape_debug()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;

    /// Two entries of one name and version on one stack must share a uri, as one file goes in
    /// the zip for them: another uri is an error, the same uri (a repeat) is not; entries on
    /// no stack count as one stack, `(none)`.
    #[test]
    fn entries_of_one_name_version_and_stack_share_a_uri() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s1, s2]}}\n- {{name: a, version: 1.0.0, uri: 'https://e/2', sha256: {sha}, cf_stacks: [s2]}}\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s1]}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:4:34: error: dependencies[1].uri: dependency a 1.0.0 for stack s2 is also dependencies[0] with a different uri; keep one entry per name, version and stack"
            ]
        );
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}}}\n- {{name: a, version: 1.0.0, uri: 'https://e/2', sha256: {sha}}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:3: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:4:3: warning: dependencies[1].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:4:34: error: dependencies[1].uri: dependency a 1.0.0 for stack (none) is also dependencies[0] with a different uri; keep one entry per name, version and stack",
            ]
        );
    }

    #[test]
    fn a_name_or_version_with_a_line_break_is_an_error() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: \"a\\nb\", version: \"1.0\\t\", uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            got,
            [
                r#"m.yml:3:10: error: dependencies[0].name: "a\nb" holds a line break or another control character; write the name on one line"#,
                r#"m.yml:3:27: error: dependencies[0].version: "1.0\t" holds a line break or another control character; write the version on one line"#,
            ]
        );
    }

    #[test]
    fn an_empty_or_null_stack_list_warns_as_a_missing_one() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: []}}\n- {{name: a, version: 2.0.0, uri: 'https://e/2', sha256: {sha}, cf_stacks: }}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:134: warning: dependencies[0].cf_stacks: dependency a 1.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
                "m.yml:4:132: warning: dependencies[1].cf_stacks: dependency a 2.0.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
            ]
        );
    }

    #[test]
    fn a_stack_list_of_refused_entries_gets_its_error_and_no_stackless_warning() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [true]}}\n"
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("error: dependencies[0].cf_stacks[0]: expected a string"),
            "{got:?}"
        );
    }

    #[test]
    fn entries_sharing_a_uri_must_agree_on_each_checksum_both_give() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0.0, uri: 'https://u:p@h/a.tgz', sha256: {sha}, cf_stacks: [s1]}}\n- {{name: a, version: 1.0.0, uri: 'https://u:p@h/a.tgz', md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}}\n- {{name: a, version: 1.0.0, uri: 'https://u:p@h/a.tgz', sha256: {sha}, md5: 000150983cd24fb0d6963f7d28e17f72, cf_stacks: [s3]}}\n"
        ));
        // Entries 0 and 1 give different kinds of checksum, which one file can match together.
        assert_eq!(
            got,
            [
                "m.yml:4:62: warning: dependencies[1].md5: dependency a 1.0.0 has only an md5 checksum, which is weak; add its sha256",
                "m.yml:5:136: error: dependencies[2].md5: expected 900150983cd24fb0d6963f7d28e17f72 as dependencies[1].md5 says, found 000150983cd24fb0d6963f7d28e17f72: both entries have the uri https://-redacted-:-redacted-@h/a.tgz, and one file cannot match both; fix the checksum, or give the entries different uris",
            ]
        );
    }

    /// libbuildpack compares a checksum as written with the lowercase hex it computes, so an
    /// uppercase (or space-padded) one, which bpkit reads, fails staging with it.
    #[test]
    fn a_checksum_libbuildpack_would_not_match_is_warned_about() {
        let sha = "CBC59F6DFCAE65C6C5EAAC1B748BC1C1A7120F6B73B3A723D56D8A7E2850DAFC";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: 1.0, uri: 'https://e/a.tgz', sha256: {sha}, md5: ' 0123456789abcdef0123456789abcdef', cf_stacks: [s]}}\n- {{name: b, version: 1.0, uri: 'https://e/b.tgz', sha256: {lower}, cf_stacks: [s]}}\n",
            lower = sha.to_ascii_lowercase()
        ));
        assert_eq!(
            got,
            [
                format!(
                    "m.yml:3:59: warning: dependencies[0].sha256: `{sha}` is not lowercase hex as written; libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `{}`",
                    sha.to_ascii_lowercase()
                ),
                "m.yml:3:130: warning: dependencies[0].md5: ` 0123456789abcdef0123456789abcdef` has spaces around it as written; libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `0123456789abcdef0123456789abcdef`".to_string(),
            ]
        );
    }

    /// A `|` block keeps its line break, which libbuildpack compares too: said as such, where
    /// "not lowercase hex" named a fault its author could not see.
    #[test]
    fn a_checksum_in_a_literal_block_is_told_of_its_line_break() {
        let md5 = "0123456789abcdef0123456789abcdef";
        let got = messages(&format!(
            "language: x\ndependencies:\n- name: a\n  version: 1.0\n  uri: https://e/a.tgz\n  sha256: {}\n  md5: |\n    {md5}\n  cf_stacks: [s]\n",
            "a".repeat(64)
        ));
        assert_eq!(
            got,
            [format!(
                "m.yml:8:5: warning: dependencies[0].md5: `{md5}\\n` ends in a line break as written (a `|` block keeps it: write the checksum on the key's line); libbuildpack and the Go packager compare it as written with the lowercase hex they compute, so they would refuse the file; write `{md5}`"
            )]
        );
    }

    /// A dependency without a name still has every other problem reported (its missing
    /// checksum went unsaid), and is called `(no name)` rather than by a blank.
    #[test]
    fn a_dependency_without_a_name_has_its_other_problems_reported() {
        let got =
            messages("language: x\ndependencies:\n- {version: 1.0, uri: 'https://e/a.tgz'}\n");
        assert_eq!(
            got,
            [
                "m.yml:3:3: error: dependencies[0].name: required key is missing; add the dependency's name",
                "m.yml:3:3: error: dependencies[0].sha256: dependency (no name) 1.0 has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
                "m.yml:3:3: warning: dependencies[0].cf_stacks: dependency (no name) 1.0 lists no stacks, so it is packaged for none (the Go packager silently drops it); add `cf_stacks: [cflinuxfs4]`",
            ]
        );
    }

    #[test]
    fn a_uri_bpkit_cannot_download_is_warned_about() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: a, version: '1', uri: 's3://bucket/a.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: b, version: '1', uri: 'https://h/b 1.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: c, version: '1', uri: 'file://srv/c.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: d, version: '1', uri: 'https://u:secret@h/d.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: e, version: '1', uri: 'file:///srv/e.tgz', sha256: {sha}, cf_stacks: [s]}}\n- {{name: f, version: '1', uri: /srv/f.tgz, sha256: {sha}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:3:32: warning: dependencies[0].uri: bpkit cannot download `s3://bucket/a.tgz`: only http://, https:// and file:// URIs are supported (a mirror may still map it to a URI it can)",
                "m.yml:4:32: warning: dependencies[1].uri: bpkit cannot download `https://h/b 1.tgz`: it is not a valid URI (invalid uri character); write it as RFC 3986 says, with a space as %20 (a mirror may still map it to a URI it can)",
                "m.yml:5:32: warning: dependencies[2].uri: bpkit cannot download `file://srv/c.tgz`: a file URI needs an absolute path, as in file:///srv/deps/x.tgz (a mirror may still map it to a URI it can)",
                "m.yml:8:32: warning: dependencies[5].uri: bpkit cannot download `/srv/f.tgz`: only http://, https:// and file:// URIs are supported; a local file is written as a file:// URI with its absolute path, as in file:///srv/f.tgz (a mirror may still map it to a URI it can)",
            ]
        );
    }
}
