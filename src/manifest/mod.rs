//! The buildpack's `manifest.yml`: every key the official packagers and runtimes read, plus
//! bpkit's declarative keys (`detect`, `install`, `build`, `launch_env`, `release`).
//!
//! - [`yaml`]: the order- and spelling-preserving YAML tree (and writer) underneath.
//! - [`model`]: the typed entries.
//! - `load`: tree → model, collecting type errors instead of stopping at the first.
//! - [`validate`]: the rules of `manifest.md` (errors and warnings).
//! - [`diagnostic`]: how a problem is located and printed.

pub mod diagnostic;
mod load;
pub mod model;
pub mod validate;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Report, Severity};
pub use model::{
    DefaultVersion, Dependency, DeprecationDate, Detect, DetectRule, Install, Module,
    PackagingProfile, Release, UrlMapping, VersionSource,
};

use crate::version::{self, Constraint};

/// Why a manifest could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {}: {source}", path.display())]
    CannotRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{}:{}: invalid YAML: {}", path.display(), error.position.line, error.position.column, error.message)]
    CannotParse {
        path: PathBuf,
        error: yaml::SyntaxError,
    },
    /// The manifest parsed but has errors; each is a full one-line diagnostic.
    #[error("{}", invalid_summary(.errors))]
    Invalid { errors: Vec<Diagnostic> },
}

fn invalid_summary(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// A loaded manifest: the typed model and the original tree it came from.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The file it was read from (for messages).
    pub path: PathBuf,
    /// The original YAML, kept for writing the packaged copy without changing data.
    pub tree: Option<yaml::Node>,
    pub language: Option<String>,
    pub stack: Option<String>,
    pub default_versions: Vec<DefaultVersion>,
    pub dependencies: Vec<Dependency>,
    pub deprecation_dates: Vec<DeprecationDate>,
    /// `None` when the key is absent (then `exclude_files` applies).
    pub include_files: Option<Vec<String>>,
    pub exclude_files: Vec<String>,
    pub pre_package: Option<String>,
    pub url_to_dependency_map: Vec<UrlMapping>,
    pub packaging_profiles: Vec<PackagingProfile>,
    /// `(prefix, replacement)` pairs from `mirrors:`.
    pub mirrors: Vec<(String, String)>,
    pub detect: Option<Detect>,
    pub install: Vec<Install>,
    pub build: Vec<String>,
    pub launch_env: Vec<(String, String)>,
    pub release: Option<Release>,
}

impl Manifest {
    /// Read and parse a manifest, returning it with every type problem found while loading.
    /// Only unreadable files and YAML syntax errors fail here.
    pub fn load(path: &Path) -> Result<(Manifest, Report), ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::CannotRead {
            path: path.to_path_buf(),
            source,
        })?;
        Manifest::parse(&text, path)
    }

    /// Parse manifest text; `path` is used in messages only.
    pub fn parse(text: &str, path: &Path) -> Result<(Manifest, Report), ManifestError> {
        let tree = yaml::parse(text).map_err(|error| ManifestError::CannotParse {
            path: path.to_path_buf(),
            error,
        })?;
        let mut report = Report::new(path);
        let mut manifest = load::manifest(&tree, &mut report);
        manifest.path = path.to_path_buf();
        manifest.tree = Some(tree);
        Ok((manifest, report))
    }

    /// Load and fully validate; any error fails with every error listed. Warnings are returned.
    pub fn load_validated(path: &Path) -> Result<(Manifest, Vec<Diagnostic>), ManifestError> {
        let (manifest, mut report) = Manifest::load(path)?;
        validate::validate(&manifest, &mut report);
        if report.has_errors() {
            return Err(ManifestError::Invalid {
                errors: report.errors().cloned().collect(),
            });
        }
        Ok((manifest, report.diagnostics))
    }

    /// `language`, or an empty string when missing (validation reports that).
    pub fn language(&self) -> &str {
        self.language.as_deref().unwrap_or_default()
    }

    /// Every stack named by any dependency, in first-seen order.
    pub fn stacks(&self) -> Vec<&str> {
        let mut stacks: Vec<&str> = Vec::new();
        for stack in self
            .dependencies
            .iter()
            .filter_map(|d| d.cf_stacks.as_ref())
            .flatten()
        {
            if !stacks.contains(&stack.as_str()) {
                stacks.push(stack);
            }
        }
        stacks
    }

    /// True when the buildpack can stage on `stack` (phases.md): a packaged manifest's
    /// `stack` must equal it; otherwise some dependency must list it; a manifest without
    /// dependencies supports every stack.
    pub fn supports_stack(&self, stack: &str) -> bool {
        match &self.stack {
            Some(own) => own == stack,
            None => {
                self.dependencies.is_empty()
                    || self.dependencies.iter().any(|d| d.supports_stack(stack))
            }
        }
    }

    /// The dependencies named `name` usable on `stack` (`None` = any stack).
    pub fn dependencies_named(&self, name: &str, stack: Option<&str>) -> Vec<&Dependency> {
        self.dependencies
            .iter()
            .filter(|d| {
                d.name == name
                    && stack.is_none_or(|s| self.stack.as_deref() == Some(s) || d.supports_stack(s))
            })
            .collect()
    }

    /// The `default_versions` entry for `name`.
    pub fn default_version(&self, name: &str) -> Option<&DefaultVersion> {
        self.default_versions.iter().find(|d| d.name == name)
    }

    /// The dependency a default version resolves to on `stack` (`None` = any stack): the
    /// highest version matching the default's constraint, as libbuildpack picks it.
    pub fn resolve_default(&self, name: &str, stack: Option<&str>) -> Option<&Dependency> {
        let default = self.default_version(name)?;
        let constraint = Constraint::parse(&default.version).ok()?;
        self.highest_matching(name, &constraint, stack)
    }

    /// The highest dependency named `name` on `stack` whose version satisfies `constraint`.
    pub fn highest_matching(
        &self,
        name: &str,
        constraint: &Constraint,
        stack: Option<&str>,
    ) -> Option<&Dependency> {
        let candidates = self.dependencies_named(name, stack);
        let best =
            version::highest_matching(constraint, candidates.iter().map(|d| d.version.as_str()))?;
        candidates.into_iter().find(|d| d.version == best)
    }

    /// The display name for detect and the `-----> X Buildpack` header: `detect.name`, else
    /// `language` with its first letter capitalised.
    pub fn display_name(&self) -> String {
        if let Some(name) = self.detect.as_ref().and_then(|d| d.name.clone()) {
            return name;
        }
        let language = self.language();
        let mut chars = language.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Manifest, Report) {
        Manifest::parse(text, Path::new("manifest.yml")).unwrap()
    }

    #[test]
    fn keeps_versions_as_written() {
        let (m, report) = parse(
            "language: x\ndependencies:\n- name: a\n  version: 1.10\n  uri: https://e/a.tgz\n  sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc\n  cf_stacks: [cflinuxfs4]\n- name: b\n  version: 0\n  uri: https://e/b.tgz\n  md5: 900150983cd24fb0d6963f7d28e17f72\n",
        );
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(m.dependencies[0].version, "1.10");
        assert_eq!(m.dependencies[1].version, "0");
        assert_eq!(m.stacks(), ["cflinuxfs4"]);
    }

    #[test]
    fn null_lists_are_empty() {
        let (m, report) = parse("language: x\ndependency_deprecation_dates: \ndependencies:\n");
        assert!(report.diagnostics.is_empty());
        assert!(m.deprecation_dates.is_empty() && m.dependencies.is_empty());
        assert!(m.supports_stack("anything"));
    }

    #[test]
    fn wrong_types_are_reported_with_positions() {
        let (_, report) = parse("language: [a]\ndependencies: yes\n");
        let text: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "manifest.yml:1:11: error: language: expected a string, found a list",
                "manifest.yml:2:15: error: dependencies: expected a list, found a boolean",
            ]
        );
    }

    /// `bpkit package --stack S` writes `stack: S` and drops every `cf_stacks` (phases.md, "Every
    /// phase"): the top-level stack admits every dependency on S, and nothing on another stack.
    #[test]
    fn a_packaged_single_stack_manifest_admits_every_dependency_on_its_stack() {
        let (m, report) = parse(
            "language: x\nstack: s1\ndefault_versions:\n- {name: a, version: 1.2.x}\ndependencies:\n- {name: a, version: 1.2.3, uri: u1, md5: 900150983cd24fb0d6963f7d28e17f72}\n- {name: a, version: 1.2.9, uri: u2, md5: 900150983cd24fb0d6963f7d28e17f72}\n",
        );
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(m.stack.as_deref(), Some("s1"));
        assert!(m.stacks().is_empty(), "no dependency lists cf_stacks");
        assert!(m.supports_stack("s1"));
        assert!(!m.supports_stack("s2"));
        assert_eq!(m.dependencies_named("a", Some("s1")).len(), 2);
        assert!(m.dependencies_named("a", Some("s2")).is_empty());
        assert_eq!(m.dependencies_named("a", None).len(), 2);
        assert_eq!(m.resolve_default("a", Some("s1")).unwrap().version, "1.2.9");
        assert!(m.resolve_default("a", Some("s2")).is_none());

        // Even a dependency that still lists other stacks is usable on the manifest's own.
        let (m, _) = parse(
            "language: x\nstack: s1\ndependencies:\n- {name: a, version: '1', uri: u, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}\n",
        );
        assert!(m.supports_stack("s1") && !m.supports_stack("s2"));
        assert_eq!(m.dependencies_named("a", Some("s1")).len(), 1);

        // A packaged manifest without dependencies is still for its stack only.
        let (m, _) = parse("language: x\nstack: s1\n");
        assert!(m.supports_stack("s1") && !m.supports_stack("s2"));
    }

    #[test]
    fn resolves_defaults_per_stack() {
        let (m, _) = parse(
            "language: x\ndefault_versions:\n- {name: a, version: 1.2.x}\ndependencies:\n- {name: a, version: 1.2.3, uri: u1, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1, s2]}\n- {name: a, version: 1.2.9, uri: u2, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}\n",
        );
        assert_eq!(m.resolve_default("a", Some("s1")).unwrap().version, "1.2.3");
        assert_eq!(m.resolve_default("a", Some("s2")).unwrap().version, "1.2.9");
        assert_eq!(m.resolve_default("a", None).unwrap().version, "1.2.9");
        assert!(m.resolve_default("a", Some("s3")).is_none());
    }
}
