//! Reading bpkit's own declarative keys, which nothing else reads: `detect`, `install` (with
//! its `version_from`) and `release`. (`build` and `launch_env` are a plain list and mapping,
//! read where the top level is dispatched.)

use super::super::model::{Detect, DetectRule, Install, Release, VersionSource};
use super::super::yaml::{Node, ScalarType, Value};
use super::reader::{ListItem, Reader, list_items};

/// `, found `files`` (the keys of a mapping that has none of the expected ones), for an
/// "expected X" error; empty for an empty mapping.
fn found_keys(node: &Node) -> String {
    let Value::Mapping(entries) = &node.value else {
        return String::new();
    };
    let keys: Vec<String> = entries
        .iter()
        .map(|(k, _)| format!("`{}`", k.key_text()))
        .collect();
    if keys.is_empty() {
        String::new()
    } else {
        format!(", found {}", keys.join(", "))
    }
}

list_items!(Install);

impl Reader<'_> {
    pub(super) fn detect(&mut self, node: &Node, path: &str) -> Option<Detect> {
        self.mapping(node, path)?;
        let name = node
            .get("name")
            .and_then(|n| self.string(n, &format!("{path}.name")));
        let rule = self.detect_group(node, path).unwrap_or_else(|| {
            self.missing(
                node,
                &format!("{path}.any_of"),
                "add `any_of:` (or `all_of:`) with rules such as `- file: Gemfile`",
            );
            DetectRule::AnyOf(Vec::new())
        });
        Some(Detect { name, rule })
    }

    /// The `any_of` / `all_of` of a mapping; both together must both hold.
    fn detect_group(&mut self, node: &Node, path: &str) -> Option<DetectRule> {
        let mut groups = Vec::new();
        if let Some(any) = node.get("any_of") {
            let rules = self.detect_rules(any, &format!("{path}.any_of"));
            groups.push(DetectRule::AnyOf(rules));
        }
        if let Some(all) = node.get("all_of") {
            let rules = self.detect_rules(all, &format!("{path}.all_of"));
            groups.push(DetectRule::AllOf(rules));
        }
        match groups.len() {
            0 => None,
            1 => groups.pop(),
            _ => Some(DetectRule::AllOf(groups)),
        }
    }

    fn detect_rules(&mut self, node: &Node, path: &str) -> Vec<DetectRule> {
        self.list(node, path)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.detect_rule(item, &format!("{path}[{i}]")))
            .collect()
    }

    fn detect_rule(&mut self, node: &Node, path: &str) -> Option<DetectRule> {
        // A bare file name (`any_of: [Gemfile]`) is the rule `- file: Gemfile` missing its key:
        // said with that very rule, where the generic "write its keys under it" named no key.
        if let Value::Scalar(s) = &node.value
            && s.resolved_type() == ScalarType::Str
            && !s.text.trim().is_empty()
            && !s.text.contains('\n')
        {
            self.report.error(
                path,
                Some(node.position),
                format!(
                    "expected a rule such as `- file: {0}`, found the string `{0}`; write `- file: {0}`",
                    s.text.trim()
                ),
            );
            return None;
        }
        self.mapping(node, path)?;
        if let Some(file) = node.get("file") {
            let pattern = self.string(file, &format!("{path}.file"))?;
            if pattern.trim().is_empty() {
                // It names the app's folder, which every app has: the buildpack would claim
                // every push (`.` still says so on purpose).
                self.report.error(
                    format!("{path}.file"),
                    Some(file.position),
                    "the path is empty, so the rule names the app's folder itself and matches every app; write a file such as `Gemfile`",
                );
            }
            self.check_in_app(file, &format!("{path}.file"), &pattern, "Gemfile");
            let contains = node
                .get("contains")
                .and_then(|c| self.string(c, &format!("{path}.contains")));
            return Some(DetectRule::File { pattern, contains });
        }
        let group = self.detect_group(node, path);
        if group.is_none() {
            self.report.error(
                path,
                Some(node.position),
                format!(
                    "expected a rule with `file:` (and optionally `contains:`), `any_of:` or `all_of:`{}",
                    found_keys(node)
                ),
            );
        }
        group
    }

    /// A `file:` of `detect:` or `version_from:` names a file of the app, relative to its root
    /// (manifest.md). An absolute path or a `..` would make the answer depend on the staging
    /// machine's files, not the app's: detect would match every app on a machine that has
    /// `/etc/passwd`, and a version would be read from outside the app.
    fn check_in_app(&mut self, node: &Node, path: &str, text: &str, example: &str) {
        let problem = if text.starts_with('/') {
            "is absolute"
        } else if text.split('/').any(|part| part == "..") {
            "goes up out of the app with `..`"
        } else {
            return;
        };
        self.report.error(
            path,
            Some(node.position),
            format!(
                "`{text}` {problem}; write a path relative to the app's root folder, such as `{example}`"
            ),
        );
    }

    /// A `version_from` file is read by its path, as it is written: an empty one names the
    /// app's folder and a glob (`*.csproj`, which detect's `file:` would take) a file no app
    /// has, so either would never ask for a version, and the default would be installed
    /// without a word.
    fn check_version_file(&mut self, node: &Node, path: &str, text: &str) {
        let problem = if text.trim().is_empty() {
            "the path is empty, so no version is ever read from it".to_string()
        } else if text.contains(['*', '?', '[', '{']) {
            format!(
                "`{text}` is a glob, but version_from reads one file by its path (only detect's `file:` takes globs), so no version is ever read from it"
            )
        } else {
            return;
        };
        self.report.error(
            path,
            Some(node.position),
            format!("{problem}; name the file, such as `.ruby-version`"),
        );
    }

    pub(super) fn install(&mut self, node: &Node, path: &str) -> Option<Install> {
        let entries = self.mapping(node, path)?;
        let mut install = Install {
            position: node.position,
            ..Install::default()
        };
        install.name = self.required_string(
            node,
            path,
            "name",
            "add the name of a dependency listed under `dependencies:`",
            Some("ruby"),
        );
        for (key, value) in entries {
            let key_path = format!("{path}.{}", key.key_text());
            match key.key_text() {
                "version_from" => {
                    install.version_from = self
                        .list(value, &key_path)
                        .iter()
                        .enumerate()
                        .filter_map(|(i, s)| self.version_source(s, &format!("{key_path}[{i}]")))
                        .collect();
                }
                "strip_components" => {
                    install.strip_components = match value.as_scalar() {
                        Some(s) if s.resolved_type() == ScalarType::Int => {
                            s.text.parse().unwrap_or_else(|_| {
                                self.report.error(
                                    &key_path,
                                    Some(value.position),
                                    format!("expected a small whole number, found `{}`", s.text),
                                );
                                0
                            })
                        }
                        Some(s) if s.is_null() => 0,
                        _ => {
                            self.wrong_type(value, &key_path, "a whole number such as 1");
                            0
                        }
                    };
                }
                "path" => install.path = self.string_list(value, &key_path),
                "library_path" => install.library_path = self.string_list(value, &key_path),
                "env" => install.env = self.string_map(value, &key_path),
                _ => {}
            }
        }
        Some(install)
    }

    fn version_source(&mut self, node: &Node, path: &str) -> Option<VersionSource> {
        self.mapping(node, path)?;
        if let Some(file) = node.get("file") {
            let path_text = self.string(file, &format!("{path}.file"))?;
            self.check_version_file(file, &format!("{path}.file"), &path_text);
            self.check_in_app(file, &format!("{path}.file"), &path_text, ".ruby-version");
            let regex = node
                .get("regex")
                .and_then(|r| self.string(r, &format!("{path}.regex")));
            return Some(VersionSource::File {
                path: path_text,
                regex,
            });
        }
        if let Some(env) = node.get("env") {
            let name = self.string(env, &format!("{path}.env"))?;
            return Some(VersionSource::Env { name });
        }
        self.report.error(
            path,
            Some(node.position),
            format!(
                "expected `file:` (with an optional `regex:`) or `env:`{}",
                found_keys(node)
            ),
        );
        None
    }

    pub(super) fn release(&mut self, node: &Node, path: &str) -> Option<Release> {
        self.mapping(node, path)?;
        Some(Release {
            config_vars: node
                .get("config_vars")
                .map(|v| self.string_map(v, &format!("{path}.config_vars")))
                .unwrap_or_default(),
            default_process_types: node
                .get("default_process_types")
                .map(|v| self.command_map(v, &format!("{path}.default_process_types")))
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::load;

    /// An install entry's folders and `strip_components` are read: a whole number, null as 0,
    /// anything else an error.
    #[test]
    fn an_install_entry_is_read() {
        let (m, messages) = load(
            "language: x\ninstall:\n- name: a\n  strip_components: 2\n  path: [bin, sbin]\n  library_path: [lib]\n- name: b\n  strip_components: ~\n- name: c\n  strip_components: x\n- name: d\n  strip_components: 99999999999999999999999\n",
        );
        assert_eq!(
            messages,
            [
                "m.yml:10:21: error: install[2].strip_components: expected a whole number such as 1, found a string",
                "m.yml:12:21: error: install[3].strip_components: expected a small whole number, found `99999999999999999999999`",
            ]
        );
        let a = &m.install[0];
        assert_eq!(a.strip_components, 2);
        assert_eq!(a.path, ["bin", "sbin"]);
        assert_eq!(a.library_path, ["lib"]);
        assert_eq!((a.position.line, a.position.column), (3, 3));
        let strips: Vec<usize> = m.install.iter().map(|i| i.strip_components).collect();
        assert_eq!(strips, [2, 0, 0, 0]);
    }

    /// A bare file name where a detect rule goes is told the rule it is missing its key for.
    #[test]
    fn a_bare_file_name_as_a_detect_rule_is_told_to_write_file() {
        let (_, messages) = load("language: x\ndetect:\n  any_of: [Gemfile, 7]\n");
        assert_eq!(
            messages,
            [
                "m.yml:3:12: error: detect.any_of[0]: expected a rule such as `- file: Gemfile`, found the string `Gemfile`; write `- file: Gemfile`",
                "m.yml:3:21: error: detect.any_of[1]: expected a mapping of keys, found an integer; write its keys under it, one `key: value` per line, indented",
            ]
        );
    }

    /// A `file:` of detect or of version_from is a path inside the app.
    #[test]
    fn app_files_must_be_inside_the_app() {
        let (_, messages) = load(
            "language: x\ndetect:\n  any_of:\n  - file: /etc/passwd\n  - file: a/../../b\n  - file: a/..b\ninstall:\n- name: t\n  version_from:\n  - file: ../.t-version\n",
        );
        assert_eq!(
            messages,
            [
                "m.yml:4:11: error: detect.any_of[0].file: `/etc/passwd` is absolute; write a path relative to the app's root folder, such as `Gemfile`",
                "m.yml:5:11: error: detect.any_of[1].file: `a/../../b` goes up out of the app with `..`; write a path relative to the app's root folder, such as `Gemfile`",
                "m.yml:10:11: error: install[0].version_from[0].file: `../.t-version` goes up out of the app with `..`; write a path relative to the app's root folder, such as `.ruby-version`",
            ]
        );
    }
}
