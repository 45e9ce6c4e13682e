//! A buildpack given as a zip: unpacked safely into the workspace, after a download through
//! `bpkit::fetch` (mirrors, proxies, retries; no checksum exists for it) when it is a URL, and
//! the builder's `Downloaded buildpack` line with its size in `bytefmt`'s words.

use std::path::Path;

use crate::archive::{self, ExtractOptions};
use crate::fetch::{Fetcher, uri};
use crate::output::Logger;
use crate::stager::deadline::{self, Deadline};
use crate::stager::error::StageError;

pub(super) fn unzip(
    zip: &Path,
    dest: &Path,
    deadline: Option<Deadline>,
) -> Result<(), archive::ArchiveError> {
    unzip_named(zip, zip.file_name(), dest, deadline)
}

/// Unpack `zip`, named `name` in messages: the name the user knows it by. Read as a zip
/// whatever its name ends with, as the builder unzips whatever `-b` names, and named so: a
/// `-b bp.bin` that is no zip was reported as "archive buildpack.zip", a name the user never
/// wrote. The unpacking stops between two reads once bpkit is asked to stop or `deadline` has
/// passed, even inside a large entry.
fn unzip_named(
    zip: &Path,
    name: Option<&std::ffi::OsStr>,
    dest: &Path,
    deadline: Option<Deadline>,
) -> Result<(), archive::ArchiveError> {
    let name = name.map_or_else(|| zip.as_os_str().to_os_string(), ToOwned::to_owned);
    // Without waiting, and a regular file only, as `archive::extract` opens one.
    let (file, _) = crate::regular_file::open(zip)
        .map_err(crate::regular_file::OpenError::into_io)
        .map_err(|source| archive::ArchiveError::CannotOpenArchive {
            archive: name.to_string_lossy().into_owned(),
            source,
        })?;
    let options = ExtractOptions {
        strip_components: 0,
        file_name: Some(name),
    };
    let reader = deadline::reader(std::io::BufReader::with_capacity(32 * 1024, file), deadline);
    archive::extract_zip(reader, dest, &options).map(|_| ())
}

pub(super) fn download_zip(
    fetcher: &Fetcher,
    url: &str,
    dest: &Path,
    logger: &Logger,
    deadline: Option<Deadline>,
) -> Result<(), StageError> {
    let shown = uri::redact(url);
    let zip_path = dest.with_extension("zip");
    let downloaded = fetcher
        .download_unverified(&zip_path, url, deadline.map(|d| d.at))
        .map_err(|source| StageError::CannotDownloadBuildpack {
            buildpack: shown.clone(),
            source: Box::new(source),
        })?;
    // Named by the URL's last segment (`bp.zip`), not by the hashed name of the download.
    let name = url_file_name(url).map(std::ffi::OsStr::new);
    unzip_named(&zip_path, name, dest, deadline).map_err(|source| {
        StageError::CannotExtractBuildpack {
            buildpack: shown.clone(),
            source,
        }
    })?;
    let _ = std::fs::remove_file(&zip_path);
    // The builder prints this line on its stdout, which is the staging log.
    logger.raw(&format!(
        "Downloaded buildpack `{shown}` ({})\n",
        byte_size(downloaded.digests.len)
    ));
    Ok(())
}

/// The last segment of a URL's path (`bp.zip` for `https://host/x/bp.zip?token=…`), which
/// holds no credentials (those are before the host); `None` when it is empty.
fn url_file_name(url: &str) -> Option<&str> {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    path.rsplit('/').next().filter(|name| !name.is_empty())
}

/// Cloud Foundry's `bytefmt.ByteSize`: one decimal, trailing `.0` dropped, unit letter.
pub fn byte_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 6] = [
        (1 << 50, "P"),
        (1 << 40, "T"),
        (1 << 30, "G"),
        (1 << 20, "M"),
        (1 << 10, "K"),
        (1, "B"),
    ];
    for (size, unit) in UNITS {
        if bytes >= size {
            #[allow(clippy::cast_precision_loss)]
            let value = bytes as f64 / size as f64;
            let mut text = format!("{value:.1}");
            if text.ends_with(".0") {
                text.truncate(text.len() - 2);
            }
            return format!("{text}{unit}");
        }
    }
    "0B".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_named_by_its_last_segment() {
        assert_eq!(
            url_file_name("https://u:p@host/x/bp.zip?token=s#frag"),
            Some("bp.zip")
        );
        assert_eq!(url_file_name("file:///srv/bp.zip"), Some("bp.zip"));
        assert_eq!(url_file_name("https://host/"), None);
    }

    #[test]
    fn sizes_like_bytefmt() {
        assert_eq!(byte_size(512), "512B");
        assert_eq!(byte_size(1024), "1K");
        assert_eq!(byte_size(1536), "1.5K");
        assert_eq!(byte_size(5 * 1024 * 1024 + 1024 * 100), "5.1M");
    }

    /// A zip buildpack's unpacking stops at the deadline (or a Ctrl-C) between two reads: it
    /// fails with the deadline's error, which the staging turns into its timeout, where it
    /// unpacked the whole zip first and only then looked at the deadline.
    #[test]
    fn unpacking_stops_once_the_deadline_has_passed() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let zip_path = dir.path().join("bp.zip");
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        writer
            .start_file("bin/detect", zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(b"#!/bin/sh\n").unwrap();
        writer.finish().unwrap();

        let passed = Deadline {
            at: std::time::Instant::now(),
            secs: 7,
        };
        let error = unzip(&zip_path, &dir.path().join("late"), Some(passed)).unwrap_err();
        let timed_out =
            std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
                e.source()
            })
            .filter_map(|e| e.downcast_ref::<std::io::Error>())
            .any(|e| e.kind() == std::io::ErrorKind::TimedOut);
        assert!(timed_out, "{error:?}");
        assert!(!dir.path().join("late/bin/detect").exists());

        unzip(
            &zip_path,
            &dir.path().join("on-time"),
            Deadline::after_secs(900),
        )
        .unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("on-time/bin/detect")).unwrap(),
            b"#!/bin/sh\n"
        );
    }
}
