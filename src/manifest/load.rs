//! Turning the YAML tree into the typed model. Loading never stops at the first problem: a
//! value of the wrong type is reported (with its key path and position) and skipped, so
//! `bpkit validate` can list every problem at once.

use super::Manifest;
use super::diagnostic::Report;
use super::model::{
    DefaultVersion, Dependency, DeprecationDate, Detect, DetectRule, Install, Module,
    PackagingProfile, Release, UrlMapping, VersionSource,
};
use super::yaml::{Node, ScalarType, Value};
use crate::checksum::{Md5, Sha256};

/// Every top-level key bpkit reads; others are kept and passed through.
pub const KNOWN_KEYS: [&str; 19] = [
    "language",
    "stack",
    "default_versions",
    "dependencies",
    "dependency_deprecation_dates",
    "include_files",
    "exclude_files",
    "pre_package",
    "url_to_dependency_map",
    "packaging_profiles",
    "version_lines",
    "mirrors",
    "detect",
    "install",
    "build",
    "launch_env",
    "release",
    "default_versions_comment",
    "bpkit",
];

/// The keys of bpkit's own blocks, which nothing else reads: any other key in them is a
/// mistake (`version_form:`), warned about by `validate`, since it would do nothing.
pub const DETECT_KEYS: [&str; 3] = ["name", "any_of", "all_of"];
pub const DETECT_RULE_KEYS: [&str; 4] = ["file", "contains", "any_of", "all_of"];
pub const INSTALL_KEYS: [&str; 6] = [
    "name",
    "version_from",
    "strip_components",
    "path",
    "library_path",
    "env",
];
pub const VERSION_FROM_KEYS: [&str; 3] = ["file", "regex", "env"];
pub const RELEASE_KEYS: [&str; 2] = ["config_vars", "default_process_types"];

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

pub(super) fn manifest(root: &Node, report: &mut Report) -> Manifest {
    let mut r = Reader { report };
    let mut m = Manifest::default();
    let Value::Mapping(entries) = &root.value else {
        let found = match &root.value {
            Value::Scalar(s) if s.text.trim().is_empty() => "no keys at all".into(),
            _ => root.kind_name().to_string(),
        };
        r.report.error(
            "",
            Some(root.position),
            format!(
                "expected a mapping of keys at the top of the manifest, found {found}; start it with `language: <name>` and the other keys, one per line"
            ),
        );
        return m;
    };
    for (key, value) in entries {
        let name = key.key_text();
        match name {
            "language" => m.language = r.name(value, name, "ruby"),
            // An empty `stack` is none, as Go reads it (the packager and libbuildpack test
            // `Stack != ""`): not an already packaged manifest, not a stack to stage on.
            "stack" => {
                m.stack = r
                    .name(value, name, "cflinuxfs4")
                    .filter(|stack| !stack.is_empty());
            }
            "pre_package" => m.pre_package = r.string(value, name),
            "default_versions" => {
                m.default_versions = r.each(value, name, Reader::default_version);
            }
            "dependencies" => {
                m.dependencies = r.each(value, name, Reader::dependency);
            }
            "dependency_deprecation_dates" => {
                m.deprecation_dates = r.each(value, name, Reader::deprecation);
            }
            "include_files" => {
                m.include_files = if value.is_null() {
                    None
                } else {
                    Some(r.string_list(value, name))
                }
            }
            "exclude_files" => m.exclude_files = r.string_list(value, name),
            "url_to_dependency_map" => {
                m.url_to_dependency_map = r.each(value, name, Reader::url_mapping);
            }
            "packaging_profiles" => m.packaging_profiles = r.profiles(value, name),
            "mirrors" => m.mirrors = r.mirrors(value, name),
            "detect" => m.detect = r.detect(value, name),
            "install" => {
                m.install = r.each(value, name, Reader::install);
            }
            "build" => m.build = r.string_list(value, name),
            "launch_env" => m.launch_env = r.string_map(value, name),
            "release" => m.release = r.release(value, name),
            _ => {}
        }
    }
    m
}

struct Reader<'r> {
    report: &'r mut Report,
}

impl Reader<'_> {
    /// Read each item of a list with `read`, giving it the item's key path (`name[3]`).
    fn each<T>(
        &mut self,
        node: &Node,
        path: &str,
        read: fn(&mut Self, &Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let items = self.list(node, path);
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let item_path = format!("{path}[{i}]");
                // An empty `-` line is null. Each reader skips null as "absent", which for an
                // item would silently drop it, and the packaged manifest, written from the
                // tree where the item is still there, would no longer line up with the model.
                if item.is_null() {
                    self.report.error(
                        &item_path,
                        Some(item.position),
                        "expected a mapping of keys, found nothing; remove the empty `-` item or write its keys under it",
                    );
                    return None;
                }
                read(self, item, &item_path)
            })
            .collect()
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        // `- echo web: $x` is a mapping to YAML: the usual way text turns into one by mistake.
        let hint = if matches!(node.value, Value::Mapping(_))
            && !expected.contains("mapping")
            && !expected.contains("list")
        {
            "; if it is meant as text, quote it whole ('…'): a `: ` in it makes YAML read a key and its value"
        } else {
            ""
        };
        self.report.error(
            path,
            Some(node.position),
            format!("expected {expected}, found {}{hint}", node.kind_name()),
        );
    }

    fn missing(&mut self, parent: &Node, path: &str, fix: &str) {
        self.report.error(
            path,
            Some(parent.position),
            format!("required key is missing; {fix}"),
        );
    }

    /// Free text (a command, a path, a regex, a description): a non-null scalar, as written,
    /// so a number stays as typed. Null reads as absent. A boolean is refused: `true`, `yes`
    /// or `off` unquoted is a boolean to YAML (Ruby's reader hands the packager `true`, not
    /// text), and for a command or a path it is far more likely a slip than the text meant.
    fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s) if s.resolved_type() == ScalarType::Bool => {
                self.not_text(node, path, "a string", &s.text);
                None
            }
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// A name or URI (`language`, `stack`, a dependency's `name` and `uri`, a stack in
    /// `cf_stacks`): a string, such as `example`. Unlike free text, a number is refused too:
    /// `language: 42` or `name: true` is no buildpack, dependency or stack name, and taking
    /// its text would name a zip `true_buildpack-…` or look up a dependency no one has.
    fn name(&mut self, node: &Node, path: &str, example: &str) -> Option<String> {
        let expected = format!("a string such as `{example}`");
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s)
                if matches!(
                    s.resolved_type(),
                    ScalarType::Bool | ScalarType::Int | ScalarType::Float
                ) =>
            {
                self.not_text(node, path, &expected, &s.text);
                None
            }
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, &expected);
                None
            }
        }
    }

    /// Any non-null scalar as written, a boolean included: the value of an environment
    /// variable (`RAILS_SERVE_STATIC_FILES: true`), which is text whatever it looks like.
    fn scalar_text(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// A scalar YAML reads as a boolean or a number where text was expected; quoting it
    /// makes it text, for the rare case it is meant (`pre_package: 'true'`).
    fn not_text(&mut self, node: &Node, path: &str, expected: &str, text: &str) {
        self.report.error(
            path,
            Some(node.position),
            format!(
                "expected {expected}, found {} (`{text}`); quote it ('{text}') if you mean the text `{text}`",
                node.kind_name()
            ),
        );
    }

    /// A version: a string or a number, kept exactly as written (`1.10`, `0`).
    fn version(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s) if s.resolved_type() == ScalarType::Bool => {
                self.wrong_type(
                    node,
                    path,
                    "a version such as 1.2.3 (quote a version that reads as true/false/yes/no)",
                );
                None
            }
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, "a version such as 1.2.3");
                None
            }
        }
    }

    /// A list; null reads as an empty list (the corpus has `key:` with nothing after it).
    fn list<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        match &node.value {
            Value::Sequence(items) => items,
            Value::Scalar(s) if s.is_null() => &[],
            _ => {
                self.wrong_type(node, path, "a list");
                &[]
            }
        }
    }

    fn mapping<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n [(Node, Node)]> {
        match &node.value {
            Value::Mapping(entries) => Some(entries),
            Value::Scalar(s) if s.is_null() => None,
            _ => {
                self.wrong_type(node, path, "a mapping of keys");
                None
            }
        }
    }

    fn string_list(&mut self, node: &Node, path: &str) -> Vec<String> {
        self.list(node, path)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.string(item, &format!("{path}[{i}]")))
            .collect()
    }

    /// A list of names ([`Self::name`]), such as `cf_stacks`.
    fn name_list(&mut self, node: &Node, path: &str, example: &str) -> Vec<String> {
        self.list(node, path)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.name(item, &format!("{path}[{i}]"), example))
            .collect()
    }

    fn string_map(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        let Some(entries) = self.mapping(node, path) else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(k, v)| {
                let key_path = format!("{path}.{}", k.key_text());
                match &v.value {
                    Value::Scalar(s) if s.is_null() => {
                        Some((k.key_text().to_string(), String::new()))
                    }
                    _ => self
                        .scalar_text(v, &key_path)
                        .map(|text| (k.key_text().to_string(), text)),
                }
            })
            .collect()
    }

    /// A key that must be there and not empty: a name ([`Self::name`]) when `example` is
    /// given, free text ([`Self::string`]) otherwise.
    fn required_string(
        &mut self,
        node: &Node,
        path: &str,
        key: &str,
        fix: &str,
        example: Option<&str>,
    ) -> String {
        let key_path = format!("{path}.{key}");
        match node.get(key) {
            None => {
                self.missing(node, &key_path, fix);
                String::new()
            }
            Some(value)
                if value
                    .as_scalar()
                    .is_some_and(|s| s.is_null() || s.text.trim().is_empty()) =>
            {
                self.empty(value, &key_path, fix);
                String::new()
            }
            Some(value) => match example {
                Some(example) => self.name(value, &key_path, example),
                None => self.string(value, &key_path),
            }
            .unwrap_or_default(),
        }
    }

    /// Like [`Self::required_string`], for a version (which may be written as a number).
    fn required_version(&mut self, node: &Node, path: &str, key: &str, fix: &str) -> String {
        let key_path = format!("{path}.{key}");
        match node.get(key) {
            None => {
                self.missing(node, &key_path, fix);
                String::new()
            }
            Some(value)
                if value
                    .as_scalar()
                    .is_some_and(|s| s.is_null() || s.text.trim().is_empty()) =>
            {
                self.empty(value, &key_path, fix);
                String::new()
            }
            Some(value) => self.version(value, &key_path).unwrap_or_default(),
        }
    }

    fn empty(&mut self, value: &Node, path: &str, fix: &str) {
        self.report.error(
            path,
            Some(value.position),
            format!("expected a value, found nothing; {fix}"),
        );
    }

    fn default_version(&mut self, node: &Node, path: &str) -> Option<DefaultVersion> {
        self.mapping(node, path)?;
        let name =
            self.required_string(node, path, "name", "add the dependency name", Some("ruby"));
        let version = match node.get("version") {
            Some(v) => self
                .version(v, &format!("{path}.version"))
                .unwrap_or_default(),
            None => String::new(),
        };
        if version.is_empty() {
            self.missing(
                node,
                &format!("{path}.version"),
                "add the default version or a constraint such as 3.2.x",
            );
        }
        Some(DefaultVersion {
            name,
            version,
            position: node.position,
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

    fn dependency(&mut self, node: &Node, path: &str) -> Option<Dependency> {
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
                    d.md5 = self.string(value, &key_path).filter(|t| !t.trim().is_empty()).and_then(|text| {
                        Md5::parse(&text)
                            .map_err(|e| self.report.error(&key_path, Some(value.position), format!("{e}; use the file's md5 (`md5sum FILE`), or better its sha256")))
                            .ok()
                    });
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
            match node.get(key) {
                None => self.missing(node, &format!("{path}.{key}"), fix),
                Some(value)
                    if value
                        .as_scalar()
                        .is_some_and(|s| s.is_null() || s.text.trim().is_empty()) =>
                {
                    self.empty(value, &format!("{path}.{key}"), fix);
                }
                Some(_) => {}
            }
        }
        Some(d)
    }

    fn deprecation(&mut self, node: &Node, path: &str) -> Option<DeprecationDate> {
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
        if !date.is_empty() && super::model::parse_date(&date).is_none() {
            let position = node.get("date").map(|n| n.position);
            self.report.error(
                format!("{path}.date"),
                position,
                format!("expected a date as YYYY-MM-DD, found `{date}`; write it as 2027-03-31"),
            );
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
        })
    }

    fn url_mapping(&mut self, node: &Node, path: &str) -> Option<UrlMapping> {
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
        })
    }

    fn profiles(&mut self, node: &Node, path: &str) -> Vec<PackagingProfile> {
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
    fn mirrors(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        let pairs = self.mirror_pairs(node, path);
        for (from, to) in &pairs {
            if let Some(reason) = crate::fetch::mirror::slash_mismatch(from, to) {
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

    fn mirror_pairs(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        let Value::Sequence(items) = &node.value else {
            return self.string_map(node, path);
        };
        let mut pairs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let Some(pair) = self.string(item, &item_path) else {
                continue;
            };
            if let Some((from, to)) = pair.split_once('=') {
                pairs.push((from.trim().to_string(), to.trim().to_string()));
            } else {
                self.report.error(
                    item_path,
                    Some(item.position),
                    format!("expected `PREFIX=REPLACEMENT`, found `{pair}`"),
                );
            }
        }
        pairs
    }

    fn detect(&mut self, node: &Node, path: &str) -> Option<Detect> {
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
        self.mapping(node, path)?;
        if let Some(file) = node.get("file") {
            let pattern = self.string(file, &format!("{path}.file"))?;
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

    fn install(&mut self, node: &Node, path: &str) -> Option<Install> {
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

    fn release(&mut self, node: &Node, path: &str) -> Option<Release> {
        self.mapping(node, path)?;
        Some(Release {
            config_vars: node
                .get("config_vars")
                .map(|v| self.string_map(v, &format!("{path}.config_vars")))
                .unwrap_or_default(),
            default_process_types: node
                .get("default_process_types")
                .map(|v| self.string_map(v, &format!("{path}.default_process_types")))
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The manifest and what loading it reported (validation not included).
    fn load(text: &str) -> (Manifest, Vec<String>) {
        let (m, report) = Manifest::parse(text, Path::new("m.yml")).unwrap();
        let messages = report.diagnostics.iter().map(ToString::to_string).collect();
        (m, messages)
    }

    /// A manifest of no keys is told so; another kind of value is named.
    #[test]
    fn a_manifest_that_is_no_mapping_says_what_it_is() {
        let expected = |at: &str, found: &str| {
            vec![format!(
                "m.yml:{at}: error: expected a mapping of keys at the top of the manifest, found {found}; start it with `language: <name>` and the other keys, one per line"
            )]
        };
        assert_eq!(load("").1, expected("1:1", "no keys at all"));
        assert_eq!(load("---\n").1, expected("2:1", "no keys at all"));
        assert_eq!(load("hello\n").1, expected("1:1", "a string"));
        assert_eq!(load("[a]\n").1, expected("1:1", "a list"));
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

    /// A mapping that is null is none, without a word; a mapping's null values are empty
    /// text, kept; any other kind where a mapping belongs is an error.
    #[test]
    fn a_null_mapping_is_none_and_a_null_value_is_empty() {
        let (m, messages) = load("language: x\nlaunch_env:\nrelease: x\n");
        assert_eq!(
            messages,
            ["m.yml:3:10: error: release: expected a mapping of keys, found a string"]
        );
        assert_eq!(m.launch_env, []);
        let (m, messages) = load("language: x\nlaunch_env: {A: , B: ~, C: c}\n");
        assert_eq!(messages, Vec::<String>::new());
        assert_eq!(
            m.launch_env,
            [
                ("A".into(), String::new()),
                ("B".into(), String::new()),
                ("C".into(), "c".into())
            ]
        );
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
