//! What `bpkit package` built, as its `--json` document reports it: the zip and, for each
//! dependency in the packaged manifest, where its file came from.

use std::path::PathBuf;

use serde_json::json;

use crate::checksum::Sha256;
use crate::fetch;

/// Where a packaged dependency's file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A verified cache entry.
    Cache,
    /// Downloaded from its URI.
    Download,
    /// Downloaded from (or copied from) a mirror of its URI.
    Mirror,
    /// Copied from the local file its `file://` URI names.
    File,
}

impl From<&fetch::Source> for Origin {
    fn from(source: &fetch::Source) -> Self {
        match source {
            fetch::Source::Cache => Origin::Cache,
            fetch::Source::Downloaded { .. } => Origin::Download,
            fetch::Source::Mirror { .. } => Origin::Mirror,
            fetch::Source::LocalFile { .. } => Origin::File,
        }
    }
}

/// One dependency in the packaged manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagedDependency {
    pub name: String,
    pub version: String,
    /// Credentials redacted.
    pub uri: String,
    /// Its path inside the zip (cached zips only).
    pub file: Option<String>,
    /// The file's sha256 and size (cached zips only).
    pub sha256: Option<Sha256>,
    pub size: Option<u64>,
    pub origin: Option<Origin>,
}

/// What was built.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Absolute.
    pub path: PathBuf,
    pub size: u64,
    /// When [`super::Options::hash_zip`] was set.
    pub sha256: Option<Sha256>,
    pub language: String,
    pub version: String,
    pub cached: bool,
    pub stack: Option<String>,
    pub profile: Option<String>,
    pub entries: usize,
    pub dependencies: Vec<PackagedDependency>,
}

impl Outcome {
    /// The `--json` document.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "path": self.path.display().to_string(),
            "size": self.size,
            "sha256": self.sha256.map(|s| s.hex()),
            "language": self.language,
            "version": self.version,
            "cached": self.cached,
            "stack": self.stack,
            "profile": self.profile,
            "entries": self.entries,
            "dependencies": self.dependencies.iter().map(|d| json!({
                "name": d.name,
                "version": d.version,
                "uri": d.uri,
                "file": d.file,
                "sha256": d.sha256.map(|s| s.hex()),
                "size": d.size,
                "source": d.origin,
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `--json` document scripts read: every field by name, a missing value as null,
    /// where a file came from in lower case.
    #[test]
    fn the_json_document_names_every_field() {
        let sha = Sha256::parse("cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc")
            .unwrap();
        let outcome = Outcome {
            path: "/out/x_buildpack-cached-v1.zip".into(),
            size: 42,
            sha256: None,
            language: "x".into(),
            version: "1".into(),
            cached: true,
            stack: None,
            profile: Some("lean".into()),
            entries: 7,
            dependencies: vec![PackagedDependency {
                name: "a".into(),
                version: "1.10".into(),
                uri: "https://-redacted-@h/a.tgz".into(),
                file: Some("dependencies/abc/a.tgz".into()),
                sha256: Some(sha),
                size: Some(3),
                origin: Some(Origin::from(&fetch::Source::Mirror { uri: "m".into() })),
            }],
        };
        assert_eq!(
            outcome.to_json(),
            json!({
                "path": "/out/x_buildpack-cached-v1.zip",
                "size": 42,
                "sha256": null,
                "language": "x",
                "version": "1",
                "cached": true,
                "stack": null,
                "profile": "lean",
                "entries": 7,
                "dependencies": [{
                    "name": "a",
                    "version": "1.10",
                    "uri": "https://-redacted-@h/a.tgz",
                    "file": "dependencies/abc/a.tgz",
                    "sha256": "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc",
                    "size": 3,
                    "source": "mirror",
                }],
            })
        );
    }
}
