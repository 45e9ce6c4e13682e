//! `override.yml`: what an earlier buildpack of a multi-buildpack staging (an operator's
//! "override buildpack") leaves in `DEPS_DIR/<idx>/override.yml` to change the `default_versions`
//! and add `dependencies` of the buildpacks after it, keyed by their `language`:
//!
//! ```yaml
//! ruby:
//!   default_versions: [{name: ruby, version: 3.2.x}]
//!   dependencies:
//!   - {name: ruby, version: 3.2.9, uri: https://mirror.example/ruby-3.2.9.tgz, sha256: …, cf_stacks: [cflinuxfs4]}
//! ```
//!
//! Applied as libbuildpack's `Manifest.ApplyOverride` applies it: a default replaces the
//! manifest's defaults of the same name (or is added); a dependency whose name and version the
//! manifest does not have is added, and one it has leaves the manifest's entry as it is
//! (libbuildpack's `replaceManifestEntry` writes the existing entry back in its place).

use std::path::Path;

use super::{Diagnostic, Manifest, ManifestError, Report, Severity, load};

/// What one `override.yml` changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The names whose default version it set.
    pub defaults: Vec<String>,
    /// The dependencies it added (`ruby 3.2.9`).
    pub added: Vec<String>,
    /// The dependencies it lists that the manifest already has, which stay the manifest's.
    pub kept: Vec<String>,
}

impl Applied {
    /// True when the file had nothing for this buildpack's language.
    pub fn is_empty(&self) -> bool {
        self.defaults.is_empty() && self.added.is_empty() && self.kept.is_empty()
    }
}

impl Manifest {
    /// Apply the `override.yml` text read from `path` (used in messages) to this manifest.
    /// Only the part under this manifest's `language` is read; a file without one changes
    /// nothing. A file that is not YAML, or whose part for this language has entries of the
    /// wrong shape, is an error, as libbuildpack's `ApplyOverride` fails on it.
    pub fn apply_override(&mut self, text: &str, path: &Path) -> Result<Applied, ManifestError> {
        let tree = super::parse_tree(text, path)?;
        let root = match &tree.value {
            super::yaml::Value::Mapping(_) => &tree,
            // An empty file, as yaml.v2 reads it into an empty map.
            _ if tree.is_null() => return Ok(Applied::default()),
            _ => {
                return Err(invalid(
                    path,
                    "",
                    &tree,
                    format!(
                        "expected a mapping from buildpack languages to their overrides, found {}; write `{}:` and under it `default_versions` and `dependencies`",
                        tree.kind_name(),
                        self.language()
                    ),
                ));
            }
        };
        let Some(part) = root.get(self.language()).filter(|p| !p.is_null()) else {
            return Ok(Applied::default());
        };
        if !matches!(part.value, super::yaml::Value::Mapping(_)) {
            return Err(invalid(
                path,
                self.language(),
                part,
                format!(
                    "expected a mapping with `default_versions` and `dependencies`, found {}",
                    part.kind_name()
                ),
            ));
        }
        let mut report = Report::new(path);
        let overrides = load::manifest(part, &mut report);
        // Said here, naming this file, rather than at install, where the message would send
        // the operator to the buildpack's manifest.yml.
        for d in &overrides.dependencies {
            if d.checksums().is_empty() && !d.has_malformed_checksum {
                report.error(
                    format!("dependencies[{}].sha256", d.index),
                    Some(d.position),
                    format!(
                        "dependency {} has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)",
                        d.label()
                    ),
                );
            }
        }
        for default in &overrides.default_versions {
            if default.version.chars().any(char::is_control) {
                report.error(
                    format!("default_versions[{}].version", default.index),
                    Some(default.position),
                    super::validate::control_character_message(&default.version),
                );
            }
        }
        if report.has_errors() {
            return Err(ManifestError::Invalid {
                errors: report.errors().cloned().collect(),
            });
        }
        let mut applied = Applied::default();
        for default in overrides.default_versions {
            applied.defaults.push(default.name.clone());
            let mut replaced = false;
            for own in self
                .default_versions
                .iter_mut()
                .filter(|d| d.name == default.name)
            {
                *own = default.clone();
                replaced = true;
            }
            if !replaced {
                self.default_versions.push(default);
            }
        }
        for dependency in overrides.dependencies {
            if self
                .dependencies
                .iter()
                .any(|d| d.name == dependency.name && d.version == dependency.version)
            {
                applied.kept.push(dependency.label());
            } else {
                applied.added.push(dependency.label());
                self.dependencies.push(dependency);
            }
        }
        Ok(applied)
    }
}

fn invalid(
    path: &Path,
    key_path: &str,
    node: &super::yaml::Node,
    message: String,
) -> ManifestError {
    ManifestError::Invalid {
        errors: vec![Diagnostic::new(
            Severity::Error,
            path,
            key_path,
            Some(node.position),
            message,
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "language: ruby
default_versions:
- {name: ruby, version: 3.3.x}
- {name: bundler, version: 2.x}
dependencies:
- {name: ruby, version: 3.3.1, uri: https://e/r-3.3.1.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}
- {name: ruby, version: 3.2.8, uri: https://e/r-3.2.8.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}
";

    fn manifest() -> Manifest {
        Manifest::parse(MANIFEST, Path::new("manifest.yml"))
            .unwrap()
            .0
    }

    #[test]
    fn defaults_are_replaced_and_new_versions_added() {
        let mut m = manifest();
        let applied = m
            .apply_override(
                "ruby:\n  default_versions:\n  - {name: ruby, version: 3.2.x}\n  - {name: node, version: 20.x}\n  dependencies:\n  - {name: ruby, version: 3.2.9, uri: https://mirror/r-3.2.9.tgz, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', cf_stacks: [s1]}\n  - {name: ruby, version: 3.3.1, uri: https://mirror/r-3.3.1.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\nphp:\n  default_versions: [{name: php, version: 8.1.x}]\n",
                Path::new("deps/0/override.yml"),
            )
            .unwrap();
        assert_eq!(
            applied,
            Applied {
                defaults: vec!["ruby".into(), "node".into()],
                added: vec!["ruby 3.2.9".into()],
                kept: vec!["ruby 3.3.1".into()],
            }
        );
        let defaults: Vec<_> = m
            .default_versions
            .iter()
            .map(|d| format!("{} {}", d.name, d.version))
            .collect();
        assert_eq!(defaults, ["ruby 3.2.x", "bundler 2.x", "node 20.x"]);
        assert_eq!(
            m.resolve_default("ruby", Some("s1")).unwrap().uri,
            "https://mirror/r-3.2.9.tgz"
        );
        // The manifest's own 3.3.1 stays, as libbuildpack keeps it.
        let own = m
            .dependencies
            .iter()
            .find(|d| d.version == "3.3.1")
            .unwrap();
        assert_eq!(own.uri, "https://e/r-3.3.1.tgz");
    }

    /// An override dependency is offered on the stacks it names, as libbuildpack's
    /// `entrySupportsStack` offers it: one without `cf_stacks` on none, unless the buildpack
    /// was packaged for one stack (`stack:` in its manifest), which admits every entry there.
    #[test]
    fn an_added_version_without_cf_stacks_is_on_no_stack_but_a_packaged_ones() {
        let text = "ruby:\n  dependencies:\n  - {name: ruby, version: 3.4.0, uri: https://mirror/r-3.4.0.tgz, md5: 900150983cd24fb0d6963f7d28e17f72}\n";
        let versions = |m: &Manifest, stack: &str| -> Vec<String> {
            m.dependencies_named("ruby", Some(stack))
                .iter()
                .map(|d| d.version.clone())
                .collect()
        };
        let mut any_stack = manifest();
        any_stack.apply_override(text, Path::new("o.yml")).unwrap();
        assert_eq!(versions(&any_stack, "s1"), ["3.3.1", "3.2.8"]);
        let mut packaged = Manifest::parse(&format!("stack: s1\n{MANIFEST}"), Path::new("m.yml"))
            .unwrap()
            .0;
        packaged.apply_override(text, Path::new("o.yml")).unwrap();
        assert_eq!(versions(&packaged, "s1"), ["3.3.1", "3.2.8", "3.4.0"]);
        assert!(versions(&packaged, "s2").is_empty());
    }

    #[test]
    fn other_languages_and_empty_files_change_nothing() {
        for text in [
            "",
            "php:\n  default_versions: [{name: php, version: 8.1.x}]\n",
            "ruby:\n",
        ] {
            let mut m = manifest();
            assert!(
                m.apply_override(text, Path::new("o.yml"))
                    .unwrap()
                    .is_empty(),
                "{text:?}"
            );
            assert_eq!(m.default_versions, manifest().default_versions);
            assert_eq!(m.dependencies, manifest().dependencies);
        }
    }

    /// Supply says what an override changed only when it changed something: one default,
    /// one added or one kept version is enough.
    #[test]
    fn an_override_with_any_one_change_is_not_empty() {
        let one = |s: &str| vec![s.to_string()];
        assert!(Applied::default().is_empty());
        for applied in [
            Applied {
                defaults: one("ruby"),
                ..Applied::default()
            },
            Applied {
                added: one("ruby 3.2.9"),
                ..Applied::default()
            },
            Applied {
                kept: one("ruby 3.3.1"),
                ..Applied::default()
            },
        ] {
            assert!(!applied.is_empty(), "{applied:?}");
        }
    }

    #[test]
    fn a_malformed_override_is_an_error_naming_the_file() {
        let mut m = manifest();
        let err = |m: &mut Manifest, text: &str| {
            m.apply_override(text, Path::new("deps/0/override.yml"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(&mut m, "- ruby\n"),
            "deps/0/override.yml:1:1: expected a mapping from buildpack languages to their overrides, found a list; write `ruby:` and under it `default_versions` and `dependencies`"
        );
        assert_eq!(
            err(&mut m, "ruby: [1]\n"),
            "deps/0/override.yml:1:7: ruby: expected a mapping with `default_versions` and `dependencies`, found a list"
        );
        assert!(
            err(
                &mut m,
                "ruby:\n  dependencies:\n  - {name: ruby, version: 1.0.0}\n"
            )
            .contains("dependencies[0].uri"),
        );
        assert!(err(&mut m, "ruby: [\n").starts_with("deps/0/override.yml:"));
        // Every version it adds is verified like the manifest's own.
        assert_eq!(
            err(
                &mut m,
                "ruby:\n  dependencies:\n  - {name: ruby, version: 9.0.0, uri: https://e/r.tgz}\n"
            ),
            "deps/0/override.yml:3:5: dependencies[0].sha256: dependency ruby 9.0.0 has no checksum; add `sha256: <64 hex characters>` (`sha256sum FILE`)"
        );
        // A default of two lines is refused as in manifest.yml: it was applied, and supply's
        // "Using version …" line ended in a blank line.
        assert_eq!(
            err(
                &mut m,
                "ruby:\n  default_versions:\n  - {name: ruby, version: \"3.2.x\\n\"}\n"
            ),
            r#"deps/0/override.yml:3:5: default_versions[0].version: "3.2.x\n" holds a line break or another control character; write the version or constraint on one line, such as 3.2.x"#
        );
        assert_eq!(m.default_versions, manifest().default_versions);
        assert_eq!(m.dependencies, manifest().dependencies);
    }
}
