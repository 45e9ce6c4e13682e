//! The zip's entries, each checked on its own: a name that is UTF-8, has no NUL or other
//! control character and stays inside the buildpack (not absolute, no `..`, not given twice,
//! not inside a symlink entry), `bin/*` executable, every symlink's target text that stays
//! inside the zip's root, and every entry's data that decompresses to its declared size and
//! CRC-32, as an extractor checks it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Component, Path};

use zip::result::ZipError;

use super::links::{LinkProblem, link_above, link_destination, link_problem, names_entry};
use super::report::Report;

const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFDIR: u32 = 0o040_000;

/// The longest path Linux follows (`PATH_MAX`, terminating NUL included).
const PATH_MAX: usize = 4096;

/// The most bytes one file name (a part of a path) holds on Linux file systems.
const NAME_MAX: usize = crate::packager::name::MAX_FILE_NAME_BYTES;

/// Checks every entry of `archive` into `report` and returns their names. An entry the zip
/// cannot list at all is the zip's own error, for the caller to report.
/// `raw` is the zip's file, read again at its own offsets to name an entry given twice.
pub(super) fn check_entries(
    archive: &mut zip::ZipArchive<File>,
    raw: &File,
    report: &mut Report,
) -> Result<Entries, ZipError> {
    // Names, kinds and modes of every entry.
    let mut names = BTreeSet::new();
    // Each name as extractors resolve it (`./x`, `a//b` and `a/` are `x`, `a/b` and `a`), and
    // the first entry given under it.
    let mut resolved: BTreeMap<String, String> = BTreeMap::new();
    let mut same_file = None;
    let mut links = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i)?;
        let Ok(name) = entry.name().map(std::borrow::Cow::into_owned) else {
            report.error(format!("entry {i} has a name that is not valid UTF-8"));
            continue;
        };
        let key = name
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect::<Vec<_>>()
            .join("/");
        match resolved.get(&key) {
            Some(first) if *first != name && same_file.is_none() => {
                same_file = Some((first.clone(), name.clone()));
            }
            Some(_) => {}
            None => {
                resolved.insert(key, name.clone());
            }
        }
        let mode = entry.unix_mode().unwrap_or(0);
        let kind = mode & S_IFMT;
        if kind == S_IFDIR && !name.ends_with('/') {
            // Go's archive/zip (the platform's extractor) makes it a folder by its mode,
            // Info-ZIP's unzip a file by its name: which one the app gets depends on who
            // extracts, and the folder loses the entry's bytes.
            report.error(format!(
                "entry `{name}` has a folder's mode but a file's name (no trailing `/`); the platform's extractor makes it an empty folder: package it again"
            ));
        }
        if name.contains('\0') {
            report.error(format!(
                "entry `{}` has a NUL in its name; extractors cut the name there",
                name.replace('\0', "\\0")
            ));
        } else if name.chars().any(char::is_control) {
            // The report shows the name escaped (`a\nb`), but printed as it is by other tools it
            // splits a line of `unzip -l`, of a CI log or of Cloud Foundry's tools in two.
            report.error(format!(
                "entry `{name}` has a line break or another control character in its name, which breaks the lines of `unzip -l`, CI logs and Cloud Foundry's tools; rename the file and package it again"
            ));
        }
        if name.starts_with('/')
            || Path::new(&name)
                .components()
                .any(|c| matches!(c, Component::ParentDir))
        {
            report.error(format!(
                "entry `{name}` is absolute or contains `..`; extracting it would write outside the buildpack"
            ));
        } else if name.contains('\\') {
            // Said as what it is: "absolute or contains `..`" sent the reader looking for
            // either in a name such as `a\b.txt`.
            report.error(format!(
                "entry `{name}` holds a `\\`, which extractors on Windows and some others read as a folder separator (`..\\` leads out of the buildpack); rename the file and package it again"
            ));
        }
        // A part no file system holds (a Ruby-gem-layout name made of a long URI): the zip
        // lists and reads fine, and the platform's extractor fails on it, `File name too long`.
        if let Some(part) = name.split('/').find(|part| part.len() > NAME_MAX) {
            report.error(format!(
                "entry `{name}` has a name part of {} bytes, more than the {NAME_MAX} a file name holds, so the platform's extractor cannot create it; shorten that name and package it again",
                part.len()
            ));
        }
        let is_dir = name.ends_with('/') || kind == S_IFDIR;
        if kind == S_IFLNK {
            links.push(name.clone());
        } else if !is_dir
            && name.starts_with("bin/")
            && !name[4..].contains('/')
            && mode & 0o100 == 0
        {
            report.error(format!(
                "{name} is not executable (mode {:o}); the platform cannot run it (staging fails with exit 223); package with `bpkit package`, which makes bin/* 0755",
                mode & 0o7777
            ));
        }
        names.insert(name);
    }
    // The zip crate keeps one copy of a name given twice; `unzip` and Go's archive/zip extract
    // both, the last one winning. Which copy is hashed below is then no proof of which one the
    // platform installs.
    // Spelled differently, one path all the same: the copy checked under the plain name may
    // not be the one extracted last.
    if let Some((first, second)) = same_file {
        report.error(format!(
            "entries `{first}` and `{second}` are one path to extractors, which write both there, the last one winning; the copy checked may not be the one installed: package it again"
        ));
    }
    if archive.has_duplicate_names() {
        let which = match name_given_twice(raw, archive.central_directory_start()) {
            Some(name) => format!("entry `{name}` is"),
            None => "some entry name is".to_string(),
        };
        report.error(format!(
            "{which} in the zip more than once; extractors disagree on which copy wins, so the copy checked may not be the one installed: package it again"
        ));
    }
    // Entries sharing bytes of the zip: a zip bomb's trick (a few kilobytes that extract to
    // terabytes, each entry inflating the same data again), which Info-ZIP's unzip refuses.
    // Reading every entry to check its CRC would take as long as extracting it, so the
    // contents are then not read at all.
    let overlap = crate::archive::entries_sharing_bytes(archive)?;
    if let Some((first, second)) = overlap {
        let first = String::from_utf8_lossy(archive.by_index_raw(first)?.name_raw()).into_owned();
        let second = String::from_utf8_lossy(archive.by_index_raw(second)?.name_raw()).into_owned();
        report.error(format!(
            "entries `{first}` and `{second}` share bytes of the zip, as in a zip bomb (each extracts the same data again); extractors refuse it or fill the disk, so its contents were not read: package it again"
        ));
    }
    let link_names: BTreeSet<&str> = links.iter().map(String::as_str).collect();
    for name in &names {
        if let Some(link) = link_above(name, &link_names) {
            report.error(format!(
                "entry `{name}` is inside the symlink {link}; extracting it would write through the link"
            ));
        }
    }
    for name in &links {
        let mut bytes = Vec::new();
        if let Ok(entry) = archive.by_name(name) {
            // A link's content is a path; a crafted zip can make it gigabytes that deflate to
            // kilobytes, so read no more than a path can be (and one byte to notice more).
            let _ = entry.take(PATH_MAX as u64 + 1).read_to_end(&mut bytes);
        }
        // Unchecked is unsafe: a target that is not text could still lead anywhere.
        let Ok(target) = String::from_utf8(bytes) else {
            report.error(format!(
                "symlink {name} points to a path that is not UTF-8 text, which cannot be checked to stay inside the buildpack; make it a plain relative link"
            ));
            continue;
        };
        if target.len() > PATH_MAX {
            report.error(format!(
                "symlink {name} points to a path longer than {PATH_MAX} bytes, which no system can follow; make it a short relative link"
            ));
            continue;
        }
        match link_problem(name, &target, &link_names) {
            // A link to nothing: extracted as it is, it fails whoever follows it (the
            // platform, when it is a phase in bin/; the phase that reads it, elsewhere).
            None => match link_destination(name, &target, &link_names) {
                Some(to) if !names_entry(&to, &names) => {
                    let message = format!(
                        "symlink {name} points to `{target}`, which is not in the zip; put {to} in it, or remove the link"
                    );
                    if name.starts_with("bin/") && !name[4..].contains('/') {
                        report.error(format!("{message} (the platform cannot run it)"));
                    } else {
                        report.warning(message);
                    }
                }
                _ => {}
            },
            Some(LinkProblem::Outside) => report.error(format!(
                "symlink {name} points to `{target}`, outside the buildpack; make it a relative link to a file in the buildpack, or put the file itself there"
            )),
            Some(LinkProblem::ClimbsOutOf(link)) => report.error(format!(
                "symlink {name} points to `{target}`, which climbs (`..`) out of the symlink {link} and may lead outside the buildpack; make it a plain relative link"
            )),
        }
    }
    Ok(Entries {
        names,
        overlapping: overlap.is_some(),
    })
}

/// The size of a central directory record before its name (signature included).
const CENTRAL_RECORD: u64 = 46;

/// The first name the central directory starting at `start` of `file` gives twice, read from
/// the records themselves: the zip crate keeps one entry of a name given twice and says only
/// that one was, where the user needs to know which. `None` when the records cannot be read
/// as such (the caller then says "some entry"). Reads at offsets, leaving the file's position
/// to the zip crate.
fn name_given_twice(file: &File, start: u64) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let mut at = start;
    let mut head = [0u8; 46];
    loop {
        file.read_exact_at(&mut head, at).ok()?;
        if head[..4] != *b"PK\x01\x02" {
            return None;
        }
        let field = |i: usize| u64::from(u16::from_le_bytes([head[i], head[i + 1]]));
        let (name_length, extra_length, comment_length) = (field(28), field(30), field(32));
        let mut name = vec![0; usize::try_from(name_length).ok()?];
        file.read_exact_at(&mut name, at + CENTRAL_RECORD).ok()?;
        if !seen.insert(name.clone()) {
            return Some(String::from_utf8_lossy(&name).into_owned());
        }
        at += CENTRAL_RECORD + name_length + extra_length + comment_length;
    }
}

/// What [`check_entries`] found.
pub(super) struct Entries {
    /// Every entry's name.
    pub(super) names: BTreeSet<String>,
    /// Some entries share bytes of the zip (a zip bomb's layout): nothing more is read.
    pub(super) overlapping: bool,
}

/// Reads every entry but folders and those in `already_read` (read to their end by another
/// check, which reported its own failure) to its end, as `unzip` and the platform's extractor
/// do: data damaged after packaging (a bad copy, a truncated upload, a byte flipped on a disk)
/// fails its CRC-32 or its deflate stream here, not when an app stages. The zip crate stops a
/// read at the entry's declared size, so this reads no more than extracting would write; a
/// symlink is read no further than a path can be, as above.
pub(super) fn check_contents(
    archive: &mut zip::ZipArchive<File>,
    already_read: &BTreeSet<String>,
    report: &mut Report,
) {
    for i in 0..archive.len() {
        let entry = match archive.by_index(i) {
            Ok(entry) => entry,
            Err(cause) => {
                // Listed above without trouble: its local header or its method is the trouble.
                report.error(format!(
                    "entry {i} cannot be read ({cause}); the platform cannot extract it: copy the zip again, or package it again"
                ));
                continue;
            }
        };
        let name = entry
            .name()
            .map_or_else(|_| format!("entry {i}"), std::borrow::Cow::into_owned);
        let mode = entry.unix_mode().unwrap_or(0);
        if entry.is_dir() || mode & S_IFMT == S_IFDIR || already_read.contains(&name) {
            continue;
        }
        let name = name.replace('\0', "\\0");
        if !matches!(
            entry.compression(),
            zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
        ) {
            report.error(format!(
                "{name} is compressed with a method the platform's extractor cannot read (it reads stored and deflated entries only): package it again"
            ));
            continue;
        }
        let is_link = mode & S_IFMT == S_IFLNK;
        let limit = if is_link {
            PATH_MAX as u64 + 1
        } else {
            u64::MAX
        };
        let declared = entry.size();
        match std::io::copy(&mut entry.take(limit), &mut std::io::sink()) {
            Err(cause) => report.error(format!(
                "{name} is damaged ({cause}); the platform cannot extract it: copy the zip again, or package it again"
            )),
            // The zip crate stops at the declared size but not short of it (its CRC-32 then
            // still matches); Go's archive/zip, the platform's extractor, fails the entry.
            Ok(read) if read != declared && !(is_link && read == limit) => {
                report.error(format!(
                    "{name} is damaged (its data gives {read} bytes, its header says {declared}); the platform cannot extract it: copy the zip again, or package it again"
                ));
            }
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::verify::test_zip;

    /// `check_entries` of the zip `bytes`: the names it gives back, and every finding.
    fn check(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
        let mut archive = test_zip::open(bytes);
        let raw = tempfile::tempfile().unwrap();
        raw.write_all_at(bytes, 0).unwrap();
        let mut report = Report::default();
        let entries = check_entries(&mut archive, &raw, &mut report).unwrap();
        assert!(!entries.overlapping);
        let findings = report.findings.into_iter().map(|f| f.message).collect();
        (entries.names.into_iter().collect(), findings)
    }

    #[test]
    fn the_first_two_spellings_of_one_path_are_named() {
        let bytes = test_zip::bytes(&[
            ("a/b", 0o644, b"1"),
            ("./a/b", 0o644, b"2"),
            ("a//b", 0o644, b"3"),
            ("c", 0o644, b"4"),
        ]);
        let (names, findings) = check(&bytes);
        assert_eq!(names, ["./a/b", "a//b", "a/b", "c"]);
        assert_eq!(
            findings,
            [
                "entries `a/b` and `./a/b` are one path to extractors, which write both there, the last one winning; the copy checked may not be the one installed: package it again"
            ]
        );
    }

    #[test]
    fn a_name_given_twice_is_said_once_as_such() {
        // The zip crate writes no name twice: the second name is changed in place after.
        let mut bytes = test_zip::bytes(&[("dup1", 0o644, b"one"), ("dup2", 0o644, b"two")]);
        for at in 0..bytes.len() - 3 {
            if &bytes[at..at + 4] == b"dup2" {
                bytes[at + 3] = b'1';
            }
        }
        let (names, findings) = check(&bytes);
        assert_eq!(names, ["dup1"]);
        assert_eq!(
            findings,
            [
                "entry `dup1` is in the zip more than once; extractors disagree on which copy wins, so the copy checked may not be the one installed: package it again"
            ]
        );
        // Records that cannot be read as such still give the finding, without a name.
        let mut archive = test_zip::open(&bytes);
        let unreadable = tempfile::tempfile().unwrap();
        let mut report = Report::default();
        check_entries(&mut archive, &unreadable, &mut report).unwrap();
        assert_eq!(
            report.findings[0].message,
            "some entry name is in the zip more than once; extractors disagree on which copy wins, so the copy checked may not be the one installed: package it again"
        );
    }

    /// The name given twice is found after other entries, and read whole past 255 bytes (its
    /// length is two bytes of the record).
    #[test]
    fn a_long_name_given_twice_after_others_is_named() {
        let long = format!("{}/{}/dup", "d".repeat(200), "e".repeat(100));
        let (one, two) = (format!("{long}1"), format!("{long}2"));
        let mut bytes = test_zip::bytes(&[
            ("first", 0o644, b"0"),
            (one.as_str(), 0o644, b"one"),
            (two.as_str(), 0o644, b"two"),
        ]);
        let needle = two.as_bytes();
        for at in 0..bytes.len() - needle.len() {
            if &bytes[at..at + needle.len()] == needle {
                bytes[at + needle.len() - 1] = b'1';
            }
        }
        let (_, findings) = check(&bytes);
        assert_eq!(
            findings,
            [format!(
                "entry `{one}` is in the zip more than once; extractors disagree on which copy wins, so the copy checked may not be the one installed: package it again"
            )]
        );
    }

    #[test]
    fn a_folder_is_known_by_its_trailing_slash_whatever_its_mode() {
        // Modes with no file type bits, and no `x` (as some zip tools write them): `bin/` is
        // still a folder, not a phase that cannot run; `bin/detect` is a file that cannot.
        let mut bytes = test_zip::bytes(&[("bin/detect", 0o644, b"#!/bin/sh\n")]);
        let mut with_folder = test_zip::bytes(&[("bin/", 0o644, b""), ("bin/detect", 0o755, b"")]);
        test_zip::set_mode(&mut bytes, "bin/detect", 0o644);
        test_zip::set_mode(&mut with_folder, "bin/", 0o644);
        assert_eq!(
            check(&bytes).1,
            [
                "bin/detect is not executable (mode 644); the platform cannot run it (staging fails with exit 223); package with `bpkit package`, which makes bin/* 0755"
            ]
        );
        assert_eq!(
            check(&with_folder),
            (vec!["bin/".into(), "bin/detect".into()], vec![])
        );
    }

    #[test]
    fn a_link_target_as_long_as_a_path_is_followed_one_byte_more_is_not() {
        // `./` many times, then `ab`: the entry beside the link, however long the way there.
        let target = |len: usize| format!("{}ab", "./".repeat((len - 2) / 2));
        let fits = target(PATH_MAX);
        assert_eq!(fits.len(), PATH_MAX);
        let bytes = test_zip::bytes(&[("ab", 0o644, b""), ("link", 0o120_777, fits.as_bytes())]);
        assert_eq!(check(&bytes).1, Vec::<String>::new());
        let longer = target(PATH_MAX + 2);
        let bytes = test_zip::bytes(&[("ab", 0o644, b""), ("link", 0o120_777, longer.as_bytes())]);
        assert_eq!(
            check(&bytes).1,
            [
                "symlink link points to a path longer than 4096 bytes, which no system can follow; make it a short relative link"
            ]
        );
    }

    /// `check_contents` of the zip `bytes`, nothing read before.
    fn contents(bytes: &[u8]) -> Vec<String> {
        let mut archive = test_zip::open(bytes);
        let mut report = Report::default();
        check_contents(&mut archive, &BTreeSet::new(), &mut report);
        report.findings.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn a_file_is_read_to_its_end_a_link_no_further_than_a_path() {
        // Damaged past the first PATH_MAX bytes: found only by reading the whole file.
        let mut data = vec![b'x'; 3 * PATH_MAX];
        data.extend_from_slice(b"END!");
        let mut bytes = test_zip::stored(&[("big", 0o644, &data)]);
        test_zip::damage(&mut bytes, b"END!");
        assert_eq!(
            contents(&bytes),
            [
                "big is damaged (Invalid checksum); the platform cannot extract it: copy the zip again, or package it again"
            ]
        );
        // A link of that length (a bomb's trick) is read no further than a path can be, so
        // its end is never reached.
        let mut bytes = test_zip::stored(&[("link", 0o120_777, &data)]);
        test_zip::damage(&mut bytes, b"END!");
        assert_eq!(contents(&bytes), Vec::<String>::new());
        // One of a path's length is read to its end, where its CRC-32 is checked.
        let mut path = vec![b'x'; PATH_MAX - 4];
        path.extend_from_slice(b"END!");
        let mut bytes = test_zip::stored(&[("link", 0o120_777, &path)]);
        test_zip::damage(&mut bytes, b"END!");
        assert_eq!(
            contents(&bytes),
            [
                "link is damaged (Invalid checksum); the platform cannot extract it: copy the zip again, or package it again"
            ]
        );
    }

    #[test]
    fn an_entry_with_a_folders_mode_is_not_read_as_the_platform_makes_it_a_folder() {
        // Named as a file (check_entries reports that): the platform's extractor makes a
        // folder of it by its mode and never reads its data, damaged or not.
        let mut bytes = test_zip::stored(&[("x", 0o644, b"DATA-END!")]);
        test_zip::set_mode(&mut bytes, "x", 0o040_755);
        test_zip::damage(&mut bytes, b"END!");
        assert_eq!(contents(&bytes), Vec::<String>::new());
        // The same damage in a file is found.
        let mut bytes = test_zip::stored(&[("x", 0o644, b"DATA-END!")]);
        test_zip::damage(&mut bytes, b"END!");
        assert_eq!(contents(&bytes).len(), 1);
    }

    #[test]
    fn a_header_declaring_more_than_the_data_gives_is_an_error_for_a_link_too() {
        for (name, mode) in [("file", 0o644), ("link", 0o120_777)] {
            let mut bytes = test_zip::stored(&[(name, mode, b"target")]);
            test_zip::declare_size(&mut bytes, name, 7);
            assert_eq!(
                contents(&bytes),
                [format!(
                    "{name} is damaged (its data gives 6 bytes, its header says 7); the platform cannot extract it: copy the zip again, or package it again"
                )]
            );
        }
    }
}
