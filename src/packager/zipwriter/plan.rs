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

    use super::{Plan, plan, with_parents};
    use crate::packager::zipwriter::ahead::{PREPARE_BUDGET, PREPARE_LIMIT};
    use crate::packager::zipwriter::samples::{entry, no_part_files, sample};
    use crate::packager::zipwriter::{Entries, Settings, Source, write};

    /// What each plan is, by name: `Plan` holds references and has no `Debug`.
    fn kinds(plans: &[Plan<'_>]) -> Vec<String> {
        plans
            .iter()
            .map(|plan| match plan {
                Plan::Dir => "dir".to_owned(),
                Plan::Symlink(target) => format!("link {target}"),
                Plan::Stored { size, .. } => format!("stored {size}"),
                Plan::Prepared => "ahead".to_owned(),
                Plan::Deflated { size, .. } => format!("inline {size}"),
                Plan::Pending(_) => "pending".to_owned(),
            })
            .collect()
    }

    /// A file of `size` bytes that takes no room: a hole, read as zeros.
    fn sparse(dir: &std::path::Path, name: &str, size: u64) -> Source {
        let path = dir.join(name);
        File::create(&path).unwrap().set_len(size).unwrap();
        Source::File(path)
    }

    #[test]
    fn small_files_ahead_within_the_budget_large_ones_inline_compressed_ones_stored() {
        let dir = tempfile::tempdir().unwrap();
        let just_under = PREPARE_LIMIT - 1;
        // Enough files just under the limit to spend the budget: the one after is inline
        // although it is small, and so is every one past it, while a file that still fits
        // what is left goes ahead.
        let fit = usize::try_from(PREPARE_BUDGET / just_under).unwrap();
        let left = PREPARE_BUDGET - just_under * fit as u64;
        assert!(left > 0 && left < just_under, "{left}");
        let mut entries = Entries::new();
        // First, while the whole budget is left: a file of the limit itself is too large.
        entries.insert(
            "0-limit".into(),
            entry(sparse(dir.path(), "0", PREPARE_LIMIT), 0o644),
        );
        for i in 0..=fit {
            let name = format!("a/{i:03}");
            let source = sparse(dir.path(), &name.replace('/', "-"), just_under);
            entries.insert(name, entry(source, 0o644));
        }
        entries.insert("b-fits".into(), entry(sparse(dir.path(), "b", left), 0o644));
        entries.insert("c-over".into(), entry(sparse(dir.path(), "c", 1), 0o644));
        entries.insert(
            "e.tgz".into(),
            entry(sparse(dir.path(), "e", 3 << 20), 0o644),
        );
        entries.insert(
            "f-bytes".into(),
            entry(Source::Bytes(vec![b'x'; 10]), 0o644),
        );
        entries.insert(
            "g-gzip-bytes".into(),
            entry(Source::Bytes(vec![0x1f, 0x8b, 8]), 0o644),
        );
        entries.insert("h".into(), entry(Source::Symlink("a/000".into()), 0o777));
        entries.insert("i".into(), entry(Source::Dir, 0o755));

        let all = with_parents(&entries);
        let (plans, jobs) = plan(&all).unwrap();
        let mut expected = vec![format!("inline {PREPARE_LIMIT}"), "dir".to_owned()]; // a/
        expected.extend((0..fit).map(|_| "ahead".to_owned()));
        expected.extend([
            format!("inline {just_under}"),
            "ahead".into(),
            "inline 1".into(),
            format!("stored {}", 3 << 20),
            "ahead".into(),
            "stored 3".into(),
            "link a/000".into(),
            "dir".into(),
        ]);
        assert_eq!(kinds(&plans), expected);
        // Bytes go ahead whatever the budget: they are in memory already.
        let mut names: Vec<String> = (0..fit).map(|i| format!("a/{i:03}")).collect();
        names.extend(["b-fits".into(), "f-bytes".into()]);
        let queued: Vec<&str> = jobs.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(queued, names);
    }

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
