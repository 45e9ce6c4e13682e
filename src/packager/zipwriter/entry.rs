//! What goes into a zip: its entries by path, each a source (a file, bytes, a symlink, a
//! folder or a file still being downloaded) with its permission bits.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::packager::pending::Pending;

/// What an entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk, streamed into the zip.
    File(PathBuf),
    /// Bytes the packager made (the manifest, VERSION, shims).
    Bytes(Vec<u8>),
    /// A symlink entry with this (relative) target.
    Symlink(String),
    /// A folder.
    Dir,
    /// A file that is not there yet: see [`Pending`].
    Pending(Arc<Pending>),
}

/// One entry: what it holds and its permission bits (`0o755`, `0o644`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub source: Source,
    pub mode: u32,
}

/// Entries by path inside the zip (`/`-separated, no leading `/`, folders without a trailing
/// `/`). The map's order is the zip's order.
pub type Entries = BTreeMap<String, Entry>;
