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
