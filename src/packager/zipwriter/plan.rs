//! The zip's order and how each entry is written: every entry sorted by its name with a folder
//! entry for each parent, and stored, deflated ahead, deflated inline or pending decided for
//! each before anything is written.

use std::collections::BTreeMap;

use zip::CompressionMethod;

use super::ahead::{PREPARE_BUDGET, PREPARE_LIMIT};
use super::compressed::{is_compressed, method_for};
use super::{Entries, Entry, Pending, Source, ZipWriteError};

/// How each entry will be written, decided before anything is written.
pub(super) enum Plan<'a> {
    Dir,
    Symlink(&'a str),
    Stored {
        source: &'a Source,
        size: u64,
    },
    /// Deflated ahead on a worker thread; results come back in entry order.
    Prepared,
    /// Deflated while written (large files, so memory stays bounded).
    Deflated {
        source: &'a Source,
        size: u64,
    },
    /// Not there yet: stored or deflated inline, decided when it is.
    Pending(&'a Pending),
}

/// The folder entry added for every parent.
const PARENT: Entry = Entry {
    source: Source::Dir,
    mode: 0o755,
};

/// Every entry by its name in the zip (folders end in `/`), parents included.
pub(super) fn with_parents(entries: &Entries) -> BTreeMap<String, &Entry> {
    let mut all: BTreeMap<String, &Entry> = BTreeMap::new();
    for (path, entry) in entries {
        let mut parent = path.as_str();
        while let Some((up, _)) = parent.rsplit_once('/') {
            all.entry(format!("{up}/")).or_insert(&PARENT);
            parent = up;
        }
        let key = if entry.source == Source::Dir {
            format!("{path}/")
        } else {
            path.clone()
        };
        all.insert(key, entry);
    }
    all
}

/// Decide stored / deflated ahead / deflated inline for every entry before anything is
/// written, so the choice depends only on the inputs, never on thread timing. Returns the
/// plans and the jobs to deflate ahead (in entry order).
#[allow(clippy::type_complexity)]
pub(super) fn plan<'a>(
    all: &'a BTreeMap<String, &'a Entry>,
) -> Result<(Vec<Plan<'a>>, Vec<(&'a str, &'a Source, u32)>), ZipWriteError> {
    let mut plans = Vec::with_capacity(all.len());
    let mut jobs = Vec::new();
    let mut budget = PREPARE_BUDGET;
    for (name, entry) in all {
        let plan = match &entry.source {
            Source::Dir => Plan::Dir,
            Source::Symlink(target) => Plan::Symlink(target),
            Source::Pending(pending) => Plan::Pending(pending),
            Source::Bytes(bytes) if is_compressed(name, bytes) => Plan::Stored {
                source: &entry.source,
                size: bytes.len() as u64,
            },
            Source::Bytes(_) => {
                jobs.push((name.as_str(), &entry.source, entry.mode));
                Plan::Prepared
            }
            Source::File(path) => {
                let (method, size) = method_for(name, path)?;
                if method == CompressionMethod::Stored {
                    Plan::Stored {
                        source: &entry.source,
                        size,
                    }
                } else if size < PREPARE_LIMIT && size <= budget {
                    budget -= size;
                    jobs.push((name.as_str(), &entry.source, entry.mode));
                    Plan::Prepared
                } else {
                    Plan::Deflated {
                        source: &entry.source,
                        size,
                    }
                }
            }
        };
        plans.push(plan);
    }
    Ok((plans, jobs))
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use zip::{CompressionMethod, DateTime};

    use crate::packager::zipwriter::samples::{no_part_files, sample};
    use crate::packager::zipwriter::{Settings, write};

    #[test]
    fn sorted_with_parents_and_stored_tarballs() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.zip");
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let written = write(&sample(dir.path()), &dest, settings).unwrap();
        assert_eq!((written.stored, written.deflated), (1, 2));
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| {
                archive
                    .by_index_raw(i)
                    .unwrap()
                    .name()
                    .unwrap()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "README",
                "bin/",
                "bin/detect",
                "dependencies/",
                "dependencies/abc/",
                "dependencies/abc/dep.tgz",
                "empty/",
                "manifest.yml"
            ]
        );
        let tgz = archive.by_name("dependencies/abc/dep.tgz").unwrap();
        assert_eq!(tgz.compression(), CompressionMethod::Stored);
        drop(tgz);
        let link = archive.by_name("bin/detect").unwrap();
        assert_eq!(link.unix_mode(), Some(0o120_777));
        drop(link);
        assert_eq!(
            archive.by_name("README").unwrap().compression(),
            CompressionMethod::Deflated
        );
        assert!(no_part_files(dir.path()));
    }
}
