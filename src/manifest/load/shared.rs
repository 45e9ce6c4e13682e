//! Reading the keys bpkit shares with the Ruby and Go packagers and libbuildpack
//! (`default_versions`, `dependencies`, `dependency_deprecation_dates`,
//! `url_to_dependency_map`, `packaging_profiles`, `mirrors`).

use super::super::model::{
    self, DefaultVersion, Dependency, DeprecationDate, Module, PackagingProfile, UrlMapping,
};
use super::super::yaml::{Node, Value};
use super::reader::{ListItem, Reader, list_items};
use crate::checksum::{Md5, Sha256};

list_items!(DefaultVersion, Dependency, DeprecationDate, UrlMapping);

impl Reader<'_> {
    pub(super) fn default_version(&mut self, node: &Node, path: &str) -> Option<DefaultVersion> {
        self.mapping(node, path)?;
        let name =
            self.required_string(node, path, "name", "add the dependency name", Some("ruby"));
        let version = self.required_version(
            node,
            path,
            "version",
            "add the default version or a constraint such as 3.2.x",
        );
        Some(DefaultVersion {
            name,
            version,
            position: node.position,
            // Set by `Reader::each`, which knows it.
            index: 0,
        })
    }

    fn sha256(&mut self, node: &Node, path: &str) -> Option<Sha256> {
        // An empty string means "not given" (java's manifest has `source_sha256: ''`).
        let text = self.string(node, path).filter(|t| !t.trim().is_empty())?;
        Sha256::parse(&text)
            .map_err(|e| {
                self.report.error(
                    path,
                    Some(node.position),
                    format!("{e}; use the file's full sha256 (`sha256sum FILE`)"),
                );
            })
            .ok()
    }

    fn md5(&mut self, node: &Node, path: &str) -> Option<Md5> {
        let text = self.string(node, path).filter(|t| !t.trim().is_empty())?;
        Md5::parse(&text)
            .map_err(|e| {
                self.report.error(
                    path,
                    Some(node.position),
                    format!("{e}; use the file's md5 (`md5sum FILE`), or better its sha256"),
                );
            })
            .ok()
    }

    pub(super) fn dependency(&mut self, node: &Node, path: &str) -> Option<Dependency> {
        let entries = self.mapping(node, path)?;
        let mut d = Dependency {
            position: node.position,
            ..Dependency::default()
        };
        for (key, value) in entries {
            let key_path = format!("{path}.{}", key.key_text());
            match key.key_text() {
                "name" => d.name = self.name(value, &key_path, "ruby").unwrap_or_default(),
                "version" => d.version = self.version(value, &key_path).unwrap_or_default(),
                "uri" => {
                    d.uri = self
                        .name(value, &key_path, "https://example.com/ruby-3.3.0.tgz")
                        .unwrap_or_default();
                }
                "sha256" => {
                    d.sha256 = self.sha256(value, &key_path);
                    d.has_malformed_checksum |= d.sha256.is_none()
                        && !value.is_null()
                        && value.as_scalar().is_none_or(|s| !s.text.trim().is_empty());
                }
                "md5" => {
                    d.md5 = self.md5(value, &key_path);
                    d.has_malformed_checksum |= d.md5.is_none()
                        && !value.is_null()
                        && value.as_scalar().is_none_or(|s| !s.text.trim().is_empty());
                }
                "cf_stacks" => {
                    d.cf_stacks = Some(self.name_list(value, &key_path, "cflinuxfs4"));
                }
                "file" => d.file = self.string(value, &key_path),
                "source" => d.source = self.string(value, &key_path),
                "source_sha256" => d.source_sha256 = self.sha256(value, &key_path),
                "osl" => d.osl = self.string(value, &key_path),
                "dependencies" | "modules" => {
                    let is_modules = key.key_text() == "modules";
                    if is_modules && !value.is_null() {
                        d.listed_modules = Some(Vec::new());
                    }
                    let modules: Vec<Module> = self
                        .list(value, &key_path)
                        .iter()
                        .enumerate()
                        .filter_map(|(i, m)| {
                            let module_path = format!("{key_path}[{i}]");
                            // The Ruby gem's `modules:` is a list of names.
                            if is_modules && let Value::Scalar(_) = &m.value {
                                let name = self.string(m, &module_path)?;
                                return Some(Module {
                                    name,
                                    version: None,
                                });
                            }
                            self.mapping(m, &module_path)?;
                            // Checksums are checked by shape wherever they are written (the R
                            // buildpack's nested entries carry `source_sha256`), though bpkit
                            // installs no nested entry itself.
                            for key in ["sha256", "source_sha256"] {
                                if let Some(v) = m.get(key) {
                                    self.sha256(v, &format!("{module_path}.{key}"));
                                }
                            }
                            if let Some(v) = m.get("md5") {
                                self.md5(v, &format!("{module_path}.md5"));
                            }
                            Some(Module {
                                name: m
                                    .get("name")
                                    .and_then(|n| self.string(n, &format!("{module_path}.name")))
                                    .unwrap_or_default(),
                                version: m.get("version").and_then(|v| {
                                    self.version(v, &format!("{module_path}.version"))
                                }),
                            })
                        })
                        .collect();
                    if is_modules && let Some(listed) = &mut d.listed_modules {
                        listed.extend(modules.iter().map(|m| m.name.clone()));
                    }
                    d.modules.extend(modules);
                }
                _ => {}
            }
        }
        for (key, fix) in [
            ("name", "add the dependency's name"),
            ("version", "add its version"),
            ("uri", "add the URL it is downloaded from"),
        ] {
            // Read with the other keys above; here only reported when missing or blank.
            self.required(node, &format!("{path}.{key}"), key, fix);
        }
        Some(d)
    }

    pub(super) fn deprecation(&mut self, node: &Node, path: &str) -> Option<DeprecationDate> {
        self.mapping(node, path)?;
        let name =
            self.required_string(node, path, "name", "add the dependency name", Some("ruby"));
        let version_line = node
            .get("version_line")
            .and_then(|v| self.version(v, &format!("{path}.version_line")))
            .unwrap_or_default();
        let date = self.required_string(
            node,
            path,
            "date",
            "add the end-of-life date as YYYY-MM-DD",
            None,
        );
        if !date.is_empty() && model::parse_date(&date).is_none() {
            let position = node.get("date").map(|n| n.position);
            let message = if let Some(why) = model::missing_day(&date) {
                format!("expected a day of the calendar, found `{date}`: {why}; fix the day")
            } else {
                let fix = model::date_respelled(&date).map_or_else(
                    || "write it as YYYY-MM-DD, such as 2027-03-31".to_string(),
                    |respelled| format!("write it as {respelled}"),
                );
                format!("expected a date as YYYY-MM-DD, found `{date}`; {fix}")
            };
            self.report.error(format!("{path}.date"), position, message);
        }
        let link = node
            .get("link")
            .and_then(|v| self.string(v, &format!("{path}.link")));
        let match_regex = node
            .get("match")
            .and_then(|v| self.string(v, &format!("{path}.match")));
        if version_line.is_empty() && match_regex.is_none() {
            self.missing(
                node,
                &format!("{path}.version_line"),
                "add the version line (such as 3.2.x) that reaches end of life",
            );
        }
        Some(DeprecationDate {
            name,
            version_line,
            date,
            link,
            match_regex,
            position: node.position,
            // Set by `Reader::each`, which knows it.
            index: 0,
        })
    }

    pub(super) fn url_mapping(&mut self, node: &Node, path: &str) -> Option<UrlMapping> {
        self.mapping(node, path)?;
        // All three are required: an empty `match` would match every URL, and an empty name
        // or version matches no dependency.
        let match_regex = self.required_string(
            node,
            path,
            "match",
            "add the regular expression the URL must match",
            None,
        );
        let name = self.required_string(
            node,
            path,
            "name",
            "add the dependency name (`$1` stands for the first ( ) group of `match`)",
            Some("ruby"),
        );
        let version = self.required_version(
            node,
            path,
            "version",
            "add the dependency version (`$1` stands for the first ( ) group of `match`)",
        );
        Some(UrlMapping {
            match_regex,
            name,
            version,
            position: node.position,
            // Set by `Reader::each`, which knows it.
            index: 0,
        })
    }

    pub(super) fn profiles(&mut self, node: &Node, path: &str) -> Vec<PackagingProfile> {
        let Some(entries) = self.mapping(node, path) else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|(k, v)| {
                let profile_path = format!("{path}.{}", k.key_text());
                let mut profile = PackagingProfile {
                    name: k.key_text().to_string(),
                    position: k.position,
                    ..PackagingProfile::default()
                };
                if self.mapping(v, &profile_path).is_some() {
                    profile.description = v
                        .get("description")
                        .and_then(|d| self.string(d, &format!("{profile_path}.description")));
                    profile.exclude = v
                        .get("exclude")
                        .map(|e| self.name_list(e, &format!("{profile_path}.exclude"), "ruby"))
                        .unwrap_or_default();
                }
                profile
            })
            .collect()
    }

    /// `mirrors:` as a mapping `{prefix: replacement}` or a list of `prefix=replacement`.
    pub(super) fn mirrors(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        let pairs = self.mirror_pairs(node, path);
        for (from, to) in &pairs {
            // What a fetch would refuse (as a `BPKIT_MIRRORS` error, naming no file) is an
            // error here, at the key.
            if let Some(reason) = crate::fetch::mirror::rule_problem(from.trim(), to.trim()) {
                self.report.error(
                    path.to_string(),
                    Some(node.position),
                    format!(
                        "the rule `{}` → `{}`: {reason}",
                        crate::fetch::uri::redact(from),
                        crate::fetch::uri::redact(to)
                    ),
                );
            }
        }
        pairs
    }

    /// The rules as written, each message and key path showing their URIs redacted: a rule's
    /// prefix or mirror may carry a user and password.
    fn mirror_pairs(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        use crate::fetch::mirror::{PREFIX_PASSWORD_WITH_EQUALS, redact_text};
        let Value::Sequence(items) = &node.value else {
            let Some(entries) = self.mapping(node, path) else {
                return Vec::new();
            };
            return entries
                .iter()
                .filter_map(|(k, v)| {
                    let key_path = format!("{path}.{}", redact_text(k.key_text()));
                    // A null replacement is an empty one, which the rule check names.
                    let to = if v.is_null() {
                        Some(String::new())
                    } else {
                        self.string(v, &key_path)
                    };
                    to.map(|to| (k.key_text().to_string(), to))
                })
                .collect();
        };
        let mut pairs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let Some(pair) = self.string(item, &item_path) else {
                continue;
            };
            let problem = match pair.split_once('=') {
                None => Some(format!(
                    "expected `PREFIX=REPLACEMENT`, found `{}`",
                    redact_text(&pair)
                )),
                Some((from, _))
                    if crate::fetch::uri::userinfo_end(&pair).is_some_and(|at| at > from.len()) =>
                {
                    Some(PREFIX_PASSWORD_WITH_EQUALS.to_string())
                }
                Some((from, to)) => {
                    pairs.push((from.trim().to_string(), to.trim().to_string()));
                    None
                }
            };
            if let Some(problem) = problem {
                self.report.error(item_path, Some(item.position), problem);
            }
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::load;

    /// A nested entry's checksums are checked by shape as a dependency's are.
    #[test]
    fn nested_checksums_are_checked_by_shape() {
        let sha = "a".repeat(64);
        let (_, messages) = load(&format!(
            "language: x\ndependencies:\n- name: r\n  version: '4'\n  uri: https://h/r.tgz\n  sha256: {sha}\n  cf_stacks: [s]\n  dependencies:\n  - {{name: a, version: '1', source_sha256: {sha}}}\n  - {{name: b, version: '1', source_sha256: xyz, md5: short, sha256: {}}}\n",
            "b".repeat(63)
        ));
        assert_eq!(messages.len(), 3, "{messages:?}");
        for key in ["source_sha256", "md5", "sha256"] {
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains(&format!("dependencies[0].dependencies[1].{key}: "))),
                "{key}: {messages:?}"
            );
        }
    }

    /// A null value is absent for text, names and versions alike (not the text `~`); a
    /// boolean version is refused; free-text lists, mirrors and the other keys of a
    /// dependency are read.
    #[test]
    fn keys_are_read_and_null_is_absent() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let (m, messages) = load(&format!(
            "language: ~\npre_package: ~\nexclude_files: [a, '*.md']\nmirrors: {{'https://a/': 'https://b/'}}\ndependencies:\n- {{name: ~, version: ~, uri: 'https://e/1', sha256: {sha}, source: 'https://e/1-src', source_sha256: {sha}, osl: 'https://e/osl'}}\n- {{name: b, version: yes, uri: 'https://e/2', sha256: {sha}}}\n"
        ));
        assert_eq!(
            messages,
            [
                "m.yml:6:10: error: dependencies[0].name: expected a value, found nothing; add the dependency's name",
                "m.yml:6:22: error: dependencies[0].version: expected a value, found nothing; add its version",
                "m.yml:7:22: error: dependencies[1].version: expected a version such as 1.2.3 (quote a version that reads as true/false/yes/no), found a boolean",
            ]
        );
        assert_eq!(m.language, None);
        assert_eq!(m.pre_package, None);
        assert_eq!(m.exclude_files, ["a", "*.md"]);
        assert_eq!(m.mirrors, [("https://a/".into(), "https://b/".into())]);
        let d = &m.dependencies[0];
        assert_eq!((d.name.as_str(), d.version.as_str()), ("", ""));
        assert_eq!(d.source.as_deref(), Some("https://e/1-src"));
        assert_eq!(d.source_sha256.map(|s| s.hex()).as_deref(), Some(sha));
        assert_eq!(d.osl.as_deref(), Some("https://e/osl"));
        assert_eq!(m.dependencies[1].version, "");
    }

    /// A mapping's version that is blank, `~` or empty is reported as nothing.
    #[test]
    fn a_url_mapping_version_must_be_there() {
        let fix = "add the dependency version (`$1` stands for the first ( ) group of `match`)";
        let (_, messages) = load(
            "language: x\nurl_to_dependency_map:\n- {match: 'a-(\\d+)', name: a, version: ' '}\n- {match: 'b-(\\d+)', name: b, version: ~}\n- {match: 'c-(\\d+)', name: c, version: }\n",
        );
        assert_eq!(
            messages,
            [
                format!(
                    "m.yml:3:40: error: url_to_dependency_map[0].version: expected a value, found nothing; {fix}"
                ),
                format!(
                    "m.yml:4:40: error: url_to_dependency_map[1].version: expected a value, found nothing; {fix}"
                ),
                format!(
                    "m.yml:5:38: error: url_to_dependency_map[2].version: expected a value, found nothing; {fix}"
                ),
            ]
        );
    }

    /// A checksum that is there but unreadable is reported once and marks the dependency, so
    /// validation does not also call it missing; an empty or null one is not given at all.
    #[test]
    fn an_unreadable_checksum_is_not_also_a_missing_one() {
        let (m, messages) = load(
            "language: x\ndependencies:\n- {sha256: nothex}\n- {sha256: ''}\n- {sha256: ~}\n- {sha256: [x]}\n- {md5: nothex}\n- {md5: ''}\n- {md5: ~}\n- {md5: [x]}\n",
        );
        let errors: Vec<&String> = messages
            .iter()
            .filter(|m| m.contains("sha256:") || m.contains("md5:"))
            .collect();
        assert_eq!(
            errors,
            [
                "m.yml:3:12: error: dependencies[0].sha256: expected hexadecimal characters (0-9, a-f), found `n`; use the file's full sha256 (`sha256sum FILE`)",
                "m.yml:6:12: error: dependencies[3].sha256: expected a string, found a list",
                "m.yml:7:9: error: dependencies[4].md5: expected hexadecimal characters (0-9, a-f), found `n`; use the file's md5 (`md5sum FILE`), or better its sha256",
                "m.yml:10:9: error: dependencies[7].md5: expected a string, found a list",
            ]
        );
        let malformed: Vec<bool> = m
            .dependencies
            .iter()
            .map(|d| d.has_malformed_checksum)
            .collect();
        assert_eq!(
            malformed,
            [true, false, false, true, true, false, false, true]
        );
    }

    /// `mirrors:` as a list of `PREFIX=REPLACEMENT` (spaces around `=` trimmed) or a mapping;
    /// a rule without `=`, or whose prefix ends with `/` and replacement does not, is an error.
    #[test]
    fn mirrors_are_read_as_a_list_or_a_mapping() {
        let rule = "the rule `https://c/` → `https://d`: the prefix ends with `/` and the replacement does not, which joins them without a `/` (`https://dNAME`); end the replacement with `/` too";
        let (m, messages) = load(
            "language: x\nmirrors: ['https://a/ = https://b/', nope, 'https://c/=https://d']\n",
        );
        assert_eq!(
            messages,
            [
                "m.yml:2:38: error: mirrors[1]: expected `PREFIX=REPLACEMENT`, found `nope`"
                    .to_string(),
                format!("m.yml:2:10: error: mirrors: {rule}"),
            ]
        );
        let pairs = [
            ("https://a/".to_string(), "https://b/".to_string()),
            ("https://c/".to_string(), "https://d".to_string()),
        ];
        assert_eq!(m.mirrors, pairs);
        let (m, messages) =
            load("language: x\nmirrors: {'https://a/': 'https://b/', 'https://c/': 'https://d'}\n");
        assert_eq!(messages, [format!("m.yml:2:10: error: mirrors: {rule}")]);
        assert_eq!(m.mirrors, pairs);
    }

    /// What a fetch would refuse is refused here, at the key, and no message or key path
    /// shows a user or password a rule carries: a rule missing its `=`, one whose prefix's
    /// password holds one, a mapping key whose value is no text, rules separated by a space, a
    /// replacement that is no URI.
    #[test]
    fn bad_mirror_rules_are_refused_at_the_key_with_credentials_redacted() {
        let (_, messages) = load(
            "language: x\nmirrors:\n- https://a/ https://u:S3CRET@m/\n- https://u:p=S3CRET@a/=https://m/\n- https://a/=https://m/ https://b/=https://m/\n- https://a/=m.example/\n",
        );
        assert_eq!(
            messages,
            [
                "m.yml:3:3: error: mirrors[0]: expected `PREFIX=REPLACEMENT`, found `https://a/ https://-redacted-:-redacted-@m/`",
                "m.yml:4:3: error: mirrors[1]: the prefix's user or password holds a `=`, which would end the prefix; write it as %3D",
                "m.yml:3:3: error: mirrors: the rule `https://a/` → `https://m/ https://b/=https://m/`: it holds a space or a line break; separate rules with commas (a=b,c=d), and write a space in a URL as %20",
                "m.yml:3:3: error: mirrors: the rule `https://a/` → `m.example/`: `m.example/` is not an absolute URI (scheme://…)",
            ]
        );
        let (_, messages) = load("language: x\nmirrors:\n  https://u:S3CRET@a/: [https://m/]\n");
        assert_eq!(
            messages,
            [
                "m.yml:3:24: error: mirrors.https://-redacted-:-redacted-@a/: expected a string, found a list"
            ]
        );
    }
}
