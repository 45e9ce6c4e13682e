//! The checks every staging phase runs first (phases.md, "Every phase"): the
//! `-----> X Buildpack version V` header, the stack check and the `BUILDPACK_METADATA` version
//! warning, and the metadata a staging leaves in the cache for the next one.

use std::path::Path;

use crate::manifest::Manifest;
use crate::phases::files;

use super::{Context, ContextError};

/// The file libbuildpack keeps in the cache dir to notice a buildpack upgrade.
pub const METADATA_FILE: &str = "BUILDPACK_METADATA";

impl Context {
    /// What every staging phase does first: the header, the stack check and the version-change
    /// warning (libbuildpack's `CheckBuildpackValid`). Returns the buildpack version and stack.
    pub fn check_buildpack(
        &self,
        manifest: &Manifest,
        cache_dir: &Path,
    ) -> Result<(String, Option<String>), ContextError> {
        let version = self.buildpack_version()?;
        self.logger.step(&format!(
            "{} Buildpack version {version}",
            crate::output::escape_controls(&title_case(manifest.language()))
        ));
        let stack = self.check_stack(manifest)?;
        if let Some(previous) = read_metadata(cache_dir)
            && previous.language == manifest.language()
            && previous.version != version
        {
            self.logger.warning(&format!(
                "buildpack version changed from {} to {version}",
                previous.version
            ));
        }
        Ok((version, stack))
    }

    /// `Stack not supported by buildpack: …` unless the manifest supports the current stack.
    pub fn check_stack(&self, manifest: &Manifest) -> Result<Option<String>, ContextError> {
        let supported = || match &manifest.stack {
            Some(own) => vec![own.clone()],
            None => manifest.stacks().into_iter().map(str::to_string).collect(),
        };
        match self.stack() {
            Some(stack) if manifest.supports_stack(&stack) => Ok(Some(stack)),
            Some(stack) => Err(ContextError::UnsupportedStack {
                stack,
                supported: supported(),
            }),
            // A manifest without dependencies supports every stack, so it needs none.
            None if manifest.stack.is_none() && manifest.dependencies.is_empty() => Ok(None),
            None => Err(ContextError::NoStack {
                supported: supported(),
            }),
        }
    }

    /// Record this buildpack's language and version in the cache (libbuildpack's
    /// `StoreBuildpackMetadata`), for the next staging's version-change warning.
    ///
    /// Best effort, as in libbuildpack, whose `StagingComplete` ignores the error: the file only
    /// feeds a warning, so a CACHE_DIR it cannot be written to must not fail a staging that has
    /// built the app. A warning says what was lost.
    pub fn store_metadata(&self, manifest: &Manifest, version: &str, cache_dir: &Path) {
        let text = crate::phases::yaml_out::document(&[
            ("language", manifest.language().to_string()),
            ("version", version.to_string()),
        ]);
        let path = cache_dir.join(METADATA_FILE);
        if let Err(error) = files::write_atomic(&path, text.as_bytes(), 0o644) {
            self.logger.warning(&format!(
                "Could not write {} ({}); the next staging cannot tell whether the buildpack's version changed",
                path.display(),
                crate::phases::error_chain(&error)
            ));
        }
    }
}

/// Go's `strings.Title`: upper-case the first letter of every word (`dotnet-core` →
/// `Dotnet-Core`), as libbuildpack's header does.
pub fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_word_start = true;
    for c in text.chars() {
        if at_word_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = !(c.is_alphanumeric() || c == '_');
    }
    out
}

/// `BUILDPACK_METADATA`'s contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub language: String,
    pub version: String,
}

/// How much of `BUILDPACK_METADATA` is read: bpkit writes two short lines there, and a longer
/// file (a link to `/dev/zero`) is not one it wrote.
const METADATA_READ_LIMIT: u64 = 64 << 10;

/// The previous staging's metadata, if there is a readable one (anything else is ignored, as
/// libbuildpack does). It is opened as a regular file without waiting and read no further than
/// `METADATA_READ_LIMIT`: a fifo left in the app cache would otherwise keep every phase
/// waiting for a writer (Ctrl-C included) before it printed a line past its header.
pub fn read_metadata(cache_dir: &Path) -> Option<Metadata> {
    let bytes =
        crate::regular_file::read_limited(&cache_dir.join(METADATA_FILE), METADATA_READ_LIMIT)
            .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let tree = crate::manifest::yaml::parse(&text).ok()?;
    let field = |key: &str| {
        tree.get(key)
            .and_then(|n| n.as_scalar())
            .map(|s| s.text.clone())
    };
    let version = field("version")?;
    // The buildpack's VERSION is one short line (`buildpack_version`); anything else was not
    // written by bpkit, and would be shown as it is in the version-change warning.
    if version.len() > 256 || version.chars().any(char::is_control) {
        return None;
    }
    Some(Metadata {
        language: field("language")?,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_context as context;
    use super::*;

    #[test]
    fn titles_like_go() {
        assert_eq!(title_case("ruby"), "Ruby");
        assert_eq!(title_case("dotnet-core"), "Dotnet-Core");
        assert_eq!(title_case("php_web x"), "Php_web X");
    }

    #[test]
    fn a_packaged_manifest_supports_its_own_stack_only() {
        let manifest = |text: &str| Manifest::parse(text, Path::new("manifest.yml")).unwrap().0;
        let packaged = manifest(
            "language: x\nstack: cflinuxfs4\ndependencies:\n- {name: a, version: '1', uri: u, md5: 900150983cd24fb0d6963f7d28e17f72}\n",
        );
        assert_eq!(
            context(&[("CF_STACK", "cflinuxfs4")])
                .check_stack(&packaged)
                .unwrap(),
            Some("cflinuxfs4".to_string())
        );
        // Heroku names the stack STACK.
        assert_eq!(
            context(&[("STACK", "cflinuxfs4")])
                .check_stack(&packaged)
                .unwrap(),
            Some("cflinuxfs4".to_string())
        );
        assert_eq!(
            context(&[("CF_STACK", "cflinuxfs5")])
                .check_stack(&packaged)
                .unwrap_err()
                .to_string(),
            "Stack not supported by buildpack: required stack cflinuxfs5 was not found; this buildpack supports cflinuxfs4"
        );
        // A stack name with a line break (a CF_STACK set by hand from a file) is shown escaped,
        // so the error stays one line: the logger indents a second line as a line of its own.
        assert_eq!(
            context(&[("CF_STACK", "cflinuxfs4\nINJECTED")])
                .check_stack(&packaged)
                .unwrap_err()
                .to_string(),
            "Stack not supported by buildpack: required stack \"cflinuxfs4\\nINJECTED\" was not found; this buildpack supports cflinuxfs4"
        );
        assert_eq!(
            context(&[]).check_stack(&packaged).unwrap_err().to_string(),
            "Stack not supported by buildpack: neither CF_STACK nor STACK is set; set CF_STACK to the stack the app stages on (this buildpack supports cflinuxfs4)"
        );
        // Without dependencies the packaged stack still decides, and a stack must be set.
        let empty = manifest("language: x\nstack: cflinuxfs4\n");
        assert!(
            context(&[("CF_STACK", "cflinuxfs5")])
                .check_stack(&empty)
                .is_err()
        );
        assert!(context(&[]).check_stack(&empty).is_err());
        // A source manifest without dependencies (a buildpack of `build:` commands run from its
        // clone) stages with no stack set, and on any stack.
        let stackless = manifest("language: x\n");
        assert_eq!(context(&[]).check_stack(&stackless).unwrap(), None);
        assert_eq!(
            context(&[("CF_STACK", "anything")])
                .check_stack(&stackless)
                .unwrap(),
            Some("anything".to_string())
        );
    }

    #[test]
    fn metadata_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_metadata(dir.path()).is_none());
        std::fs::write(
            dir.path().join(METADATA_FILE),
            "---\nlanguage: ruby\nversion: 1.2.3\n",
        )
        .unwrap();
        assert_eq!(
            read_metadata(dir.path()),
            Some(Metadata {
                language: "ruby".into(),
                version: "1.2.3".into()
            })
        );
        // Not a version bpkit wrote: it would be shown in the version-change warning, a second
        // line of its own, or a line of kilobytes.
        for version in ["\"1.2.3\\nforged line\"".to_string(), "9".repeat(300)] {
            std::fs::write(
                dir.path().join(METADATA_FILE),
                format!("---\nlanguage: ruby\nversion: {version}\n"),
            )
            .unwrap();
            assert_eq!(read_metadata(dir.path()), None, "{version}");
        }
        // Up to 256 bytes is a version.
        let longest = "9".repeat(256);
        std::fs::write(
            dir.path().join(METADATA_FILE),
            format!("---\nlanguage: ruby\nversion: {longest}\n"),
        )
        .unwrap();
        assert_eq!(read_metadata(dir.path()).map(|m| m.version), Some(longest));
    }
}
