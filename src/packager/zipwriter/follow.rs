//! Writing a [`Source::Pending`](super::Source::Pending) entry: a dependency still being
//! downloaded, copied into the zip as its bytes arrive when its size is known, and written
//! again from the verified file when the download had to start over.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::ZipWriteError;
use super::compressed::{is_compressed, method_for_held};
use super::copy::{copy_pieces, start_file};
use crate::fetch::HeldFile;
use crate::packager::pending::{Event, Pending, Seen};

/// Bytes to let pile up in a growing file before the writer wakes to copy them.
const FOLLOW_BATCH: u64 = 1 << 20;
/// How many first bytes decide stored or deflated ([`is_compressed`]).
const HEAD: usize = 8;

/// How a dependency still downloading when the writer reached it went into the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HowWritten {
    /// Copied from its `.part` file as the bytes arrived, and finished from the same file once
    /// verified: written once, mostly while it downloaded.
    Followed,
    /// Written from the verified file only: its size was unknown (or too large to start the
    /// entry early), or it was ready before the writer followed it.
    FromVerified,
    /// Begun from its `.part` file, then written again from the verified file: the download
    /// started over (or the verified file was, for any other reason, not the one followed).
    Rewritten,
}

/// An entry started from a `.part` file still being written.
struct Following {
    file: File,
    attempt: u32,
    size: u64,
    copied: u64,
    method: CompressionMethod,
}

impl Following {
    /// Open attempt `attempt` of the `.part` file of entry `name`, `size` bytes in all, and
    /// decide from its first bytes how to write it; `None` when it is gone (renamed into place).
    fn open(
        part: &Path,
        name: &str,
        attempt: u32,
        size: u64,
    ) -> Result<Option<Following>, ZipWriteError> {
        // Without waiting, and a regular file only: a fifo put in the `.part` file's place
        // would block a plain open until a writer came, and the zip writer with it (even
        // Ctrl-C could not end that). Anything else is as good as gone: the verified file,
        // when it is ready, is written instead.
        let Ok((file, _)) = crate::regular_file::open(part) else {
            return Ok(None);
        };
        let mut head = [0u8; HEAD];
        let got = file
            .read_at(&mut head, 0)
            .map_err(|cause| ZipWriteError::CannotRead {
                path: part.to_path_buf(),
                cause,
            })?;
        let method = if is_compressed(name, &head[..got]) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        Ok(Some(Following {
            file,
            attempt,
            size,
            copied: 0,
            method,
        }))
    }
}

/// Write a [`Source::Pending`](super::Source::Pending) entry into the zip being written at `temp_path` (`zip_file` is
/// a second handle on it). When the file's size is known (and needs no Zip64) the entry starts
/// as soon as the first bytes are there and grows with the file; otherwise, or when the file
/// was downloaded again, it is written from the verified file. Returns the method and how.
pub(super) fn write_pending<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    (name, mode, pending): (&str, u32, &Pending),
    options: SimpleFileOptions,
    buffer: &mut [u8],
    (temp_path, zip_file): (&Path, &File),
    write_error: &dyn Fn(&dyn std::fmt::Display) -> ZipWriteError,
) -> Result<(CompressionMethod, HowWritten), ZipWriteError> {
    let mut following: Option<Following> = None;
    let mut abandoned = false;
    let mut seen = Seen::NOTHING;
    loop {
        match pending.next(seen) {
            Event::Failed => {
                return Err(ZipWriteError::Unavailable {
                    name: name.to_string(),
                });
            }
            Event::Ready { file, attempt } => {
                if let Some(mut followed) = following.take() {
                    if followed.attempt == attempt
                        && finish_followed(&mut followed, &file, zip, buffer, temp_path)?
                    {
                        return Ok((followed.method, HowWritten::Followed));
                    }
                    // Bytes of an earlier attempt: write the verified file from the start.
                    abandon_entry(zip, zip_file, write_error)?;
                    abandoned = true;
                }
                let (method, size) = method_for_held(name, &file)?;
                start_file(zip, name, options, method, mode, size, write_error)?;
                copy_pieces(
                    (&mut file.reader(), file.path()),
                    zip,
                    buffer,
                    u64::MAX,
                    temp_path,
                )?;
                let how = if abandoned {
                    HowWritten::Rewritten
                } else {
                    HowWritten::FromVerified
                };
                return Ok((method, how));
            }
            Event::Growing {
                part,
                attempt,
                written,
                expected,
            } => {
                if following.as_ref().is_some_and(|f| f.attempt != attempt) {
                    following = None;
                    abandon_entry(zip, zip_file, write_error)?;
                    abandoned = true;
                }
                // Without the size the entry's header cannot be chosen (Zip64 or not): wait
                // for the whole file, or for the next attempt.
                let Some(size) = expected.filter(|&size| size < zip::ZIP64_BYTES_THR) else {
                    seen = Seen {
                        attempt,
                        until: u64::MAX,
                    };
                    continue;
                };
                if following.is_none() {
                    let head_len = size.min(HEAD as u64);
                    if written < head_len {
                        seen = Seen {
                            attempt,
                            until: head_len,
                        };
                        continue;
                    }
                    let Some(started) = Following::open(&part, name, attempt, size)? else {
                        // Renamed into place already: it is about to be ready.
                        seen = Seen {
                            attempt,
                            until: u64::MAX,
                        };
                        continue;
                    };
                    start_file(zip, name, options, started.method, mode, size, write_error)?;
                    following = Some(started);
                }
                if let Some(followed) = following.as_mut() {
                    // Whole pieces only: the last one is copied once the file is complete.
                    let piece = buffer.len() as u64;
                    let whole = written.saturating_sub(followed.copied) / piece * piece;
                    followed.copied +=
                        copy_pieces((&mut followed.file, &part), zip, buffer, whole, temp_path)?;
                }
                seen = Seen {
                    attempt,
                    until: if written >= size {
                        u64::MAX
                    } else {
                        (written + FOLLOW_BATCH).min(size)
                    },
                };
            }
        }
    }
}

/// Copy the rest of the `followed` entry when `file`, the verified file, is the one followed
/// (its `.part` file renamed into place), up to the verified length only. True when the entry
/// is then whole, with the size its header was started with; false when it must be written
/// again from `file`.
fn finish_followed<W: Write + Seek>(
    followed: &mut Following,
    file: &HeldFile,
    zip: &mut ZipWriter<W>,
    buffer: &mut [u8],
    temp_path: &Path,
) -> Result<bool, ZipWriteError> {
    if !file.is(&followed.file) {
        return Ok(false);
    }
    let mut rest = (&followed.file).take(file.len() - followed.copied.min(file.len()));
    followed.copied += copy_pieces((&mut rest, file.path()), zip, buffer, u64::MAX, temp_path)?;
    if followed.copied != file.len() || file.len() != followed.size {
        return Ok(false);
    }
    // Read past the held reader, which would have checked this.
    file.check_unchanged()
        .map_err(|cause| ZipWriteError::CannotRead {
            path: file.path().to_path_buf(),
            cause,
        })?;
    Ok(true)
}

/// Drop the entry being written and cut the zip file back to where the entry began. The zip
/// crate rewinds over it, but when the abandoned bytes reach past what follows it keeps them
/// and writes its directory after them: a valid zip, but larger than, and different from, one
/// written in one go.
fn abandon_entry<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    mut zip_file: &File,
    write_error: &dyn Fn(&dyn std::fmt::Display) -> ZipWriteError,
) -> Result<(), ZipWriteError> {
    zip.abort_file().map_err(|e| write_error(&e))?;
    // Nothing left buffered: the shared offset is where the next entry goes.
    zip.flush().map_err(|e| write_error(&e))?;
    zip_file
        .stream_position()
        .and_then(|start| zip_file.set_len(start))
        .map_err(|e| write_error(&e))
}

#[cfg(test)]
mod tests {
    use std::fs::{self, File};
    use std::io::{self, Read, Write};
    use std::path::Path;

    use zip::{CompressionMethod, DateTime};

    use crate::packager::pending::Pending;
    use crate::packager::zipwriter::samples::{entry, held, no_part_files, sample_with_pending};
    use crate::packager::zipwriter::{Settings, Source, Written, write};

    #[test]
    fn pending_files_are_waited_for_and_a_failed_one_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let (mut e, late) = sample_with_pending(dir.path(), "dependencies/def/late.tgz");
        // A dependency whose data is not compressed, ready before the zip is begun: deflated.
        let notes = dir.path().join("notes.txt");
        fs::write(&notes, "notes ".repeat(100)).unwrap();
        let ready = Pending::new();
        ready.ready(held(&notes));
        e.insert(
            "dependencies/ghi/notes.txt".into(),
            entry(Source::Pending(ready), 0o644),
        );
        let dest = dir.path().join("out.zip");
        let file = dir.path().join("late.tgz");
        let written = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(50));
                fs::write(&file, [0x1f, 0x8b, 8, 0, 9, 9]).unwrap();
                late.ready(held(&file));
            });
            write(&e, &dest, settings).unwrap()
        });
        assert_eq!((written.stored, written.deflated), (2, 3));
        // Ready before it was followed: written once, from the verified file.
        assert_eq!((written.followed, written.rewritten), (0, 0));
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let mut data = Vec::new();
        let mut late_entry = archive.by_name("dependencies/def/late.tgz").unwrap();
        late_entry.read_to_end(&mut data).unwrap();
        assert_eq!(data, [0x1f, 0x8b, 8, 0, 9, 9]);
        assert_eq!(late_entry.compression(), CompressionMethod::Stored);
        drop(late_entry);
        let mut notes_entry = archive.by_name("dependencies/ghi/notes.txt").unwrap();
        assert_eq!(notes_entry.compression(), CompressionMethod::Deflated);
        let mut text = String::new();
        notes_entry.read_to_string(&mut text).unwrap();
        assert_eq!(text, "notes ".repeat(100));
        drop(notes_entry);

        let failed = Pending::new();
        failed.fail();
        failed.ready(held(&file)); // too late: a failure stays a failure
        e.insert(
            "dependencies/xyz/gone.tgz".into(),
            entry(Source::Pending(failed), 0o644),
        );
        let dest = dir.path().join("failed.zip");
        assert_eq!(
            write(&e, &dest, settings).unwrap_err().to_string(),
            "dependencies/xyz/gone.tgz could not be fetched, so the zip was not written"
        );
        assert!(!dest.exists());
        assert!(no_part_files(dir.path()));
    }

    /// A `.part` file replaced by a fifo while it downloads: the writer used to open it and
    /// wait for a writer that never came. Now it skips it and writes the verified file.
    #[test]
    fn a_part_file_swapped_for_a_fifo_is_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let fifo = dir.path().join("x.part");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let (e, pending) = sample_with_pending(dir.path(), "dependencies/abc/x.tgz");
        let done = dir.path().join("x.tgz");
        fs::write(&done, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]).unwrap();
        pending.writing(&fifo, Some(10));
        pending.wrote(10);
        let dest = dir.path().join("out.zip");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| sender.send(write(&e, &dest, settings).map(|_| ())));
            std::thread::sleep(std::time::Duration::from_millis(100));
            pending.ready(held(&done));
            let result = receiver.recv_timeout(std::time::Duration::from_secs(10));
            if result.is_err() {
                // Let the blocked open through, so the test ends.
                drop(fs::OpenOptions::new().write(true).open(&fifo));
            }
            result.expect("the zip writer waited on the fifo").unwrap();
        });
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let mut data = Vec::new();
        archive
            .by_name("dependencies/abc/x.tgz")
            .unwrap()
            .read_to_end(&mut data)
            .unwrap();
        assert_eq!(data, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]);
    }

    /// Plays a download into `part` as the fetcher does: each attempt rewrites the file from
    /// its start in pieces, telling `pending`; the last attempt's file is renamed to `dest`
    /// and announced ready. Pauses let the writer follow the bytes as they come.
    fn download(pending: &Pending, part: &Path, dest: &Path, attempts: &[&[u8]], sized: bool) {
        for body in attempts {
            let mut file = File::create(part).unwrap();
            pending.writing(part, sized.then_some(body.len() as u64));
            let mut written = 0;
            for piece in body.chunks(400 << 10) {
                file.write_all(piece).unwrap();
                written += piece.len() as u64;
                pending.wrote(written);
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        fs::rename(part, dest).unwrap();
        pending.ready(held(dest));
    }

    /// The zip of `sample` plus `name`, written while `attempts` download (`sized`: with their
    /// size known from the start, as a `Content-Length` gives it), and the same zip written
    /// from the finished file.
    fn followed_and_direct(name: &str, attempts: &[&[u8]], sized: bool) -> (Vec<u8>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let (mut e, pending) = sample_with_pending(dir.path(), name);
        let (part, dest) = (dir.path().join("x.part"), dir.path().join("x"));
        let followed = dir.path().join("followed.zip");
        std::thread::scope(|scope| {
            scope.spawn(|| download(&pending, &part, &dest, attempts, sized));
            write(&e, &followed, settings).unwrap();
        });
        let ready = Pending::new();
        ready.ready(held(&dest));
        e.insert(name.into(), entry(Source::Pending(ready), 0o644));
        let direct = dir.path().join("direct.zip");
        write(&e, &direct, settings).unwrap();
        (fs::read(followed).unwrap(), fs::read(direct).unwrap())
    }

    #[test]
    fn a_growing_file_is_followed_into_the_same_bytes() {
        let body: Vec<u8> = [0x1f, 0x8b]
            .into_iter()
            .chain((0..3_000_000u32).map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[2]))
            .collect();
        // Stored for its name, or for its first bytes (gzip's magic) when its name says
        // nothing: the writer waits for them before it starts the entry.
        for name in ["dependencies/abc/late.tgz", "dependencies/abc/late"] {
            // Without a size (a chunked answer) the writer waits for the whole file instead.
            let (unsized_followed, _) = followed_and_direct(name, &[&body], false);
            let (followed, direct) = followed_and_direct(name, &[&body], true);
            assert!(followed == direct, "{name}: following changed the zip");
            assert!(
                unsized_followed == direct,
                "{name}: waiting changed the zip"
            );
            let mut archive = zip::ZipArchive::new(io::Cursor::new(followed)).unwrap();
            let mut late = archive.by_name(name).unwrap();
            assert_eq!(late.compression(), CompressionMethod::Stored, "{name}");
            let mut data = Vec::new();
            late.read_to_end(&mut data).unwrap();
            assert!(data == body, "{name}");
        }
    }

    /// `len` bytes that look compressed (stored, so the zip grows with them byte for byte).
    fn noise(len: u32, seed: u32) -> Vec<u8> {
        [0x1f, 0x8b]
            .into_iter()
            .chain((0..len).map(|i| (i ^ seed).wrapping_mul(2_654_435_761).to_le_bytes()[2]))
            .collect()
    }

    /// What a zip writer did with a download played by hand: `body`, the entry `name` (which
    /// must come out stored), announced as `extra` bytes longer than it is and written in three
    /// steps (to 1.5 MiB, to its last byte but one, then whole), each of the first two followed
    /// by a wait (10 s at most) until the zip holds all but 512 KiB of it (what the writer
    /// copies in whole 256 KiB pieces, and what its 256 KiB buffer may hold back); then the
    /// `.part` file renamed and handed over as verified, or `other` handed over instead.
    /// Returns how far the zip's own `.part` file fell short of those sizes at most (0 when it
    /// kept up), what was written and the entry's bytes.
    fn play(name: &str, body: &[u8], extra: u64, other: Option<&[u8]>) -> (u64, Written, Vec<u8>) {
        const SLACK: u64 = 512 << 10;
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let (e, pending) = sample_with_pending(dir.path(), name);
        let (part, done) = (dir.path().join("x.part"), dir.path().join("x"));
        // The zip's own `.part` file alone in its folder.
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        let zip_part_size = || {
            fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
                .map(|e| e.metadata().map_or(0, |m| m.len()))
                .max()
                .unwrap_or(0)
        };
        let (short, written) = std::thread::scope(|scope| {
            let writer = scope.spawn(|| write(&e, &out.join("z.zip"), settings));
            let mut file = File::create(&part).unwrap();
            pending.writing(&part, Some(body.len() as u64 + extra));
            // Time for the writer to see the file with no bytes yet: too few to tell stored
            // from deflated by, when the name does not say.
            std::thread::sleep(std::time::Duration::from_millis(100));
            let mut short = 0;
            let mut at = 0;
            for end in [3 << 19, body.len() - 1] {
                file.write_all(&body[at..end]).unwrap();
                pending.wrote(end as u64);
                at = end;
                let want = end as u64 - SLACK;
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
                let mut size = zip_part_size();
                while size < want && std::time::Instant::now() < deadline {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                    size = zip_part_size();
                }
                short = short.max(want.saturating_sub(size));
            }
            file.write_all(&body[at..]).unwrap();
            pending.wrote(body.len() as u64);
            drop(file);
            match other {
                Some(other) => fs::write(&done, other).unwrap(),
                None => fs::rename(&part, &done).unwrap(),
            }
            pending.ready(held(&done));
            (short, writer.join().unwrap().unwrap())
        });
        let mut archive = zip::ZipArchive::new(File::open(out.join("z.zip")).unwrap()).unwrap();
        let mut entry = archive.by_name(name).unwrap();
        assert_eq!(entry.compression(), CompressionMethod::Stored, "{name}");
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        (short, written, data)
    }

    /// The point of following: a dependency's bytes go into the zip while it still downloads,
    /// so a cold packaging ends soon after its last download does. Here the zip holds most of
    /// the file while its last byte has yet to come, and the entry is written once.
    #[test]
    fn a_growing_file_is_in_the_zip_before_its_download_ends() {
        let body = noise(3 << 20, 1);
        // Stored, by its first bytes (gzip's magic), since its name says nothing.
        let (short, written, data) = play("dependencies/abc/late", &body, 0, None);
        assert_eq!(
            short, 0,
            "the zip fell behind the download by {short} bytes"
        );
        assert!(data == body);
        assert_eq!((written.followed, written.rewritten), (1, 0));
    }

    /// What was followed is kept only when the verified file is the file followed and has the
    /// size announced; else the entry is written again from the verified file.
    #[test]
    fn a_followed_entry_is_written_again_unless_the_verified_file_is_the_one_followed() {
        let body = noise(3 << 20, 1);
        // Another file (as long, other bytes) handed over as verified.
        let other = noise(3 << 20, 2);
        let name = "dependencies/abc/late.tgz";
        let (short, written, data) = play(name, &body, 0, Some(&other));
        assert_eq!(short, 0);
        assert!(data == other, "the followed bytes were kept");
        assert_eq!((written.followed, written.rewritten), (0, 1));
        // The file followed, but shorter than the size announced.
        let (short, written, data) = play(name, &body, 10, None);
        assert_eq!(short, 0);
        assert!(data == body);
        assert_eq!((written.followed, written.rewritten), (0, 1));
    }

    #[test]
    fn a_retried_download_is_copied_again_without_the_first_bytes() {
        // A first attempt as long as the second but different: the writer must notice the
        // file was written again, not carry on from where it was.
        let first = vec![0xeeu8; 2_100_000];
        let good: Vec<u8> = b"plain text, deflated\n".repeat(100_000);
        // A longer first attempt of a stored file: its bytes reach past where the zip ends
        // and must be cut off.
        let long = noise(3_000_000, 7);
        let short = noise(1_000_000, 9);
        for (name, attempts, method) in [
            (
                "dependencies/abc/tool",
                [&first, &good],
                CompressionMethod::Deflated,
            ),
            (
                "dependencies/abc/late.tgz",
                [&long, &short],
                CompressionMethod::Stored,
            ),
        ] {
            let (followed, direct) = followed_and_direct(
                name,
                &[attempts[0].as_slice(), attempts[1].as_slice()],
                true,
            );
            assert_eq!(followed.len(), direct.len(), "{name}");
            assert!(
                followed == direct,
                "{name}: the first attempt left bytes behind"
            );
            let mut archive = zip::ZipArchive::new(io::Cursor::new(followed)).unwrap();
            let mut entry = archive.by_name(name).unwrap();
            assert_eq!(entry.compression(), method);
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            assert!(&data == attempts[1], "{name}");
        }
    }

    #[test]
    fn a_download_failing_half_way_writes_no_zip() {
        let dir = tempfile::tempdir().unwrap();
        let (e, pending) = sample_with_pending(dir.path(), "dependencies/abc/late.tgz");
        let part = dir.path().join("late.part");
        let dest = dir.path().join("out.zip");
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                fs::write(&part, vec![0x1f; 500_000]).unwrap();
                pending.writing(&part, Some(1_000_000));
                pending.wrote(500_000);
                std::thread::sleep(std::time::Duration::from_millis(30));
                pending.fail();
            });
            write(
                &e,
                &dest,
                Settings {
                    timestamp: DateTime::default(),
                    jobs: 1,
                },
            )
        });
        assert_eq!(
            result.unwrap_err().to_string(),
            "dependencies/abc/late.tgz could not be fetched, so the zip was not written"
        );
        assert!(!dest.exists());
        assert!(fs::read_dir(dir.path()).unwrap().all(|e| {
            !e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".bpkit-")
        }));
    }
}
