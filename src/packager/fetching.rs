//! Fetching a zip's dependencies into the cache: one file per URI, verified against every
//! checksum the entries sharing it give, `jobs` at a time, in the zip's order so that the zip
//! writer, following each file as it arrives ([`Pending`]), gets the first ones first.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::checksum::Checksums;
use crate::fetch::{self, FetchError, Fetcher, Mirrors, Mode};
use crate::manifest::Manifest;
use crate::output::Logger;
use crate::output::progress::Progress;

use super::pending::Pending;
use super::{ConflictingChecksums, FailedFetch, Layout, PackageError, Plan};

/// Tells the zip entry of each dependency ([`Pending`], by URI) how its fetch goes.
struct ToPending<'a> {
    items: &'a [fetch::Item],
    pending: &'a BTreeMap<String, Arc<Pending>>,
}

impl ToPending<'_> {
    fn get(&self, index: usize) -> Option<&Pending> {
        let item = self.items.get(index)?;
        self.pending.get(&item.uri).map(AsRef::as_ref)
    }
}

impl fetch::Observer for ToPending<'_> {
    fn writing(&self, index: usize, part: &Path, expected: Option<u64>) {
        if let Some(pending) = self.get(index) {
            pending.writing(part, expected);
        }
    }

    fn wrote(&self, index: usize, written: u64) {
        if let Some(pending) = self.get(index) {
            pending.wrote(written);
        }
    }

    fn done(&self, index: usize, result: &Result<fetch::Fetched, FetchError>) {
        if let Some(pending) = self.get(index) {
            match result {
                Ok(fetched) => pending.ready(fetched.file.clone()),
                Err(_) => pending.fail(),
            }
        }
    }
}

/// One file to fetch for the entries sharing its uri.
#[derive(Debug, PartialEq, Eq)]
struct SharedFile {
    /// The first entry with the uri (manifest index), which names it in messages.
    first: usize,
    /// Every checksum those entries give.
    checksums: Checksums,
    /// The entries the sha256 and the md5 were taken from.
    sha256_from: usize,
    md5_from: usize,
}

/// The files of the `kept` entries, one per uri, in the order first seen. Entries sharing a uri
/// share one file (once in the zip, packager.md), so the file is verified against the checksums
/// of every one of them: their checksums are merged, and checksums that no one file can match
/// together are refused before anything is fetched. `bpkit validate` reports the same; this
/// also stops a manifest that did not go through it (a library caller's) from packaging a file
/// that some entry does not describe.
fn files_by_uri(manifest: &Manifest, kept: &[usize]) -> Result<Vec<SharedFile>, PackageError> {
    let mut files: Vec<SharedFile> = Vec::new();
    let mut by_uri: BTreeMap<&str, usize> = BTreeMap::new();
    for &index in kept {
        let d = &manifest.dependencies[index];
        let Some(&at) = by_uri.get(d.uri.as_str()) else {
            by_uri.insert(&d.uri, files.len());
            files.push(SharedFile {
                first: index,
                checksums: d.checksums(),
                sha256_from: index,
                md5_from: index,
            });
            continue;
        };
        let file = &mut files[at];
        let conflict = |algorithm, first, expected: String, found: String| {
            PackageError::ConflictingChecksums(Box::new(ConflictingChecksums {
                manifest: manifest.path.clone(),
                uri: fetch::uri::redact(&d.uri),
                algorithm,
                first,
                expected,
                second: index,
                found,
            }))
        };
        match (file.checksums.sha256, d.sha256) {
            (Some(expected), Some(found)) if expected != found => {
                return Err(conflict(
                    "sha256",
                    file.sha256_from,
                    expected.hex(),
                    found.hex(),
                ));
            }
            (None, Some(found)) => {
                file.checksums.sha256 = Some(found);
                file.sha256_from = index;
            }
            _ => {}
        }
        match (file.checksums.md5, d.md5) {
            (Some(expected), Some(found)) if expected != found => {
                return Err(conflict("md5", file.md5_from, expected.hex(), found.hex()));
            }
            (None, Some(found)) => {
                file.checksums.md5 = Some(found);
                file.md5_from = index;
            }
            _ => {}
        }
    }
    Ok(files)
}

/// Fetch the kept dependencies into the cache, `jobs` at a time in `mode`, each URI once,
/// telling the zip entries in `pending` (by URI) as they go; results by URI.
pub(super) fn fetch_dependencies<'m>(
    manifest: &'m Manifest,
    plan: &Plan,
    cache_dir: &Path,
    (jobs, mode, layout): (usize, Mode, Layout),
    logger: &Logger,
    progress: &dyn Progress,
    pending: &BTreeMap<String, Arc<Pending>>,
) -> Result<BTreeMap<&'m str, fetch::Fetched>, PackageError> {
    let mut mirrors = Mirrors::from_env()?;
    mirrors.with_fallback(Mirrors::from_pairs(manifest.mirrors.iter().cloned())?);
    let downloader = Fetcher::new(fetch::Config::from_env()?, mirrors, logger.clone())?;
    let mut items = Vec::new();
    let mut owners = Vec::new();
    for file in files_by_uri(manifest, &plan.kept)? {
        let d = &manifest.dependencies[file.first];
        items.push(fetch::Item {
            label: format!("{} {}", d.name, d.version),
            uri: d.uri.clone(),
            checksums: file.checksums,
            dest: fetch::packager_cache_path(cache_dir, &d.uri),
        });
        owners.push(d);
    }
    if items.is_empty() {
        return Ok(BTreeMap::new());
    }
    // Entries sharing a URI share one file: count files when they are fewer, so the number
    // here and the dependency count of the summary after it do not seem to disagree.
    let files = if items.len() == plan.kept.len() {
        String::new()
    } else {
        format!(
            " ({} file{})",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        )
    };
    // No more at a time than there are files: "2 dependencies (4 at a time)" reads as a
    // miscount.
    logger.step(&format!(
        "Fetching {} dependenc{}{files} into {} ({} at a time{})",
        plan.kept.len(),
        if plan.kept.len() == 1 { "y" } else { "ies" },
        cache_dir.display(),
        jobs.min(items.len()),
        match mode {
            Mode::Normal => "",
            Mode::Offline => ", offline",
            Mode::ForceDownload => ", forcing downloads",
        }
    ));
    // Fetched in the zip's order (its entries are sorted by path), so the zip writer, which
    // waits for each file in that order, gets the first ones first and writes them while the
    // last ones still download. Results and failures stay in manifest order.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_cached_key(|&i| layout.zip_path(&items[i].uri));
    let sorted: Vec<fetch::Item> = order.iter().map(|&i| items[i].clone()).collect();
    let mut results: Vec<Option<Result<fetch::Fetched, FetchError>>> =
        items.iter().map(|_| None).collect();
    let sorted_results = downloader.fetch_all_notifying(
        &sorted,
        mode,
        jobs,
        progress,
        &ToPending {
            items: &sorted,
            pending,
        },
    );
    for (&i, result) in order.iter().zip(sorted_results) {
        results[i] = result;
    }
    let mut fetched = BTreeMap::new();
    let mut failures = Vec::new();
    for (dependency, result) in owners.into_iter().zip(results) {
        match result {
            Some(Ok(done)) => {
                fetched.insert(dependency.uri.as_str(), done);
            }
            Some(Err(error)) => failures.push(FailedFetch {
                name: dependency.name.clone(),
                version: dependency.version.clone(),
                error,
            }),
            None => {}
        }
    }
    if failures.is_empty() {
        Ok(fetched)
    } else {
        Err(PackageError::Fetch(failures))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::{self, Sha256};
    use crate::packager::pending::{Event, Seen};

    /// Each fetch's news goes to the zip entry of its URI: a new attempt, its bytes, how it
    /// ended; an item whose URI has no entry, or an index past the items, is ignored.
    #[test]
    fn each_fetch_tells_the_zip_entry_of_its_uri() {
        let temp = tempfile::tempdir().unwrap();
        let item = |uri: &str| fetch::Item {
            label: uri.into(),
            uri: uri.into(),
            checksums: Checksums::default(),
            dest: temp.path().join(uri),
        };
        let items = [item("a"), item("b"), item("c")];
        let (a, b) = (Pending::new(), Pending::new());
        let pending = BTreeMap::from([
            ("a".to_string(), Arc::clone(&a)),
            ("b".to_string(), Arc::clone(&b)),
        ]);
        let observer = ToPending {
            items: &items,
            pending: &pending,
        };
        // Each entry already had an attempt, so what the observer passes on (or not) can be
        // read without waiting.
        let first = temp.path().join("first.part");
        a.writing(&first, None);
        b.writing(&first, None);
        let second = temp.path().join("second.part");
        fetch::Observer::writing(&observer, 0, &second, Some(10));
        fetch::Observer::wrote(&observer, 0, 4);
        assert_eq!(
            a.next(Seen {
                attempt: 1,
                until: 0
            }),
            Event::Growing {
                part: second.clone(),
                attempt: 2,
                written: 4,
                expected: Some(10),
            }
        );
        // No entry for `c`, no item 9: nothing to tell, and no panic.
        fetch::Observer::writing(&observer, 2, &second, None);
        fetch::Observer::wrote(&observer, 9, 1);
        fetch::Observer::done(
            &observer,
            9,
            &Err(FetchError::NoChecksum { uri: "x".into() }),
        );
        assert!(matches!(
            b.next(Seen::NOTHING),
            Event::Growing {
                attempt: 1,
                written: 0,
                ..
            }
        ));

        fetch::Observer::done(
            &observer,
            1,
            &Err(FetchError::NoChecksum { uri: "b".into() }),
        );
        assert_eq!(b.next(Seen::NOTHING), Event::Failed);
        std::fs::write(temp.path().join("a"), "verified").unwrap();
        let (file, digests) = fetch::HeldFile::open(&temp.path().join("a"), false).unwrap();
        let fetched = fetch::Fetched {
            source: fetch::Source::Cache,
            digests,
            file: file.clone(),
        };
        fetch::Observer::done(&observer, 0, &Ok(fetched));
        assert_eq!(a.next(Seen::NOTHING), Event::Ready { file, attempt: 2 });
    }

    /// Every kept dependency is fetched into the cache, a file shared by two entries once
    /// (the step counts files when they are fewer), and each result is found by its URI;
    /// with nothing kept, nothing is said or fetched.
    #[test]
    fn the_kept_dependencies_are_fetched_once_per_file() {
        let temp = tempfile::tempdir().unwrap();
        let source = |name: &str, body: &str| {
            let path = temp.path().join(name);
            std::fs::write(&path, body).unwrap();
            let sha = checksum::digest_file(&path, false).unwrap().sha256.hex();
            (format!("file://{}", path.display()), sha)
        };
        let (a, a_sha) = source("a.tgz", "a");
        let (b, b_sha) = source("b.tgz", "b");
        let text = format!(
            "language: x\ndependencies:\n- {{name: a, version: '1', uri: '{a}', sha256: {a_sha}}}\n- {{name: a, version: '2', uri: '{a}', sha256: {a_sha}}}\n- {{name: b, version: '1', uri: '{b}', sha256: {b_sha}}}\n"
        );
        let (manifest, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        let cache = temp.path().join("cache");
        let fetch = |kept: Vec<usize>, jobs: usize| {
            let (logger, log) = Logger::capture();
            let plan = Plan {
                kept,
                ..Plan::default()
            };
            let fetched = fetch_dependencies(
                &manifest,
                &plan,
                &cache,
                (jobs, Mode::Normal, Layout::Go),
                &logger,
                &crate::output::progress::Hidden,
                &BTreeMap::new(),
            )
            .unwrap();
            let files: Vec<(&str, String)> = fetched
                .iter()
                .map(|(uri, done)| (*uri, std::fs::read_to_string(done.path()).unwrap()))
                .collect();
            (files, log.text())
        };
        let (files, log) = fetch(vec![0, 1, 2], 4);
        assert_eq!(
            files,
            [(a.as_str(), "a".to_string()), (b.as_str(), "b".to_string())]
        );
        assert!(
            log.starts_with(&format!(
                "-----> Fetching 3 dependencies (2 files) into {} (2 at a time)\n",
                cache.display()
            )),
            "{log}"
        );
        let (files, log) = fetch(vec![2], 4);
        assert_eq!(files, [(b.as_str(), "b".to_string())]);
        assert!(
            log.starts_with(&format!(
                "-----> Fetching 1 dependency into {} (1 at a time)\n",
                cache.display()
            )),
            "{log}"
        );
        assert_eq!(fetch(Vec::new(), 4), (Vec::new(), String::new()));
    }

    /// The same checksum given twice for one URI is no conflict; each algorithm is taken from
    /// the first entry that gives it; two md5s one file cannot both match are refused.
    #[test]
    fn each_checksum_of_a_shared_file_comes_from_the_first_entry_giving_it() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let md5 = "900150983cd24fb0d6963f7d28e17f72";
        let text = format!(
            "language: x\ndependencies:\n- {{name: a, version: '1', uri: 'https://h/a.tgz', md5: {md5}}}\n- {{name: a, version: '2', uri: 'https://h/a.tgz', sha256: {sha}, md5: {md5}}}\n- {{name: a, version: '3', uri: 'https://h/a.tgz', sha256: {sha}}}\n"
        );
        let (manifest, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        assert_eq!(
            files_by_uri(&manifest, &[0, 1, 2]).unwrap(),
            [SharedFile {
                first: 0,
                checksums: Checksums {
                    sha256: Some(Sha256::parse(sha).unwrap()),
                    md5: Some(checksum::Md5::parse(md5).unwrap()),
                },
                sha256_from: 1,
                md5_from: 0,
            }]
        );
        let other = format!("0{}", &md5[1..]);
        let text = text.replace(
            &format!("sha256: {sha}, md5: {md5}"),
            &format!("md5: {other}"),
        );
        let (manifest, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        assert_eq!(
            files_by_uri(&manifest, &[0, 1, 2]).unwrap_err().to_string(),
            format!(
                "m.yml: dependencies[1].md5 is {other} but dependencies[0].md5 is {md5}, and both entries have the uri https://h/a.tgz: one file cannot match both; fix the checksum, or give the entries different uris"
            )
        );
    }

    #[test]
    fn entries_sharing_a_uri_fetch_one_file_checked_against_all_their_checksums() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let md5 = "900150983cd24fb0d6963f7d28e17f72";
        let text = format!(
            "language: x\ndependencies:\n- {{name: a, version: '1', uri: 'https://h/a.tgz', sha256: {sha}}}\n- {{name: b, version: '1', uri: 'https://h/b.tgz', sha256: {sha}}}\n- {{name: a, version: '1', uri: 'https://h/a.tgz', md5: {md5}}}\n"
        );
        let (manifest, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        let files = files_by_uri(&manifest, &[0, 1, 2]).unwrap();
        let both = Checksums {
            sha256: Some(Sha256::parse(sha).unwrap()),
            md5: Some(checksum::Md5::parse(md5).unwrap()),
        };
        assert_eq!(
            files[0],
            SharedFile {
                first: 0,
                checksums: both,
                sha256_from: 0,
                md5_from: 2,
            }
        );
        assert_eq!(files.len(), 2);

        // Not validated (as a library caller may do): a sha256 one file cannot also match.
        let other = format!("0{}", &sha[1..]);
        let text = text.replace(&format!("md5: {md5}"), &format!("sha256: {other}"));
        let (manifest, _) = Manifest::parse(&text, Path::new("m.yml")).unwrap();
        let err = files_by_uri(&manifest, &[0, 1, 2]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "m.yml: dependencies[2].sha256 is {other} but dependencies[0].sha256 is {sha}, and both entries have the uri https://h/a.tgz: one file cannot match both; fix the checksum, or give the entries different uris"
            )
        );
        // An entry left out (another stack, a profile) does not count.
        assert_eq!(files_by_uri(&manifest, &[0, 1]).unwrap().len(), 2);
    }
}
