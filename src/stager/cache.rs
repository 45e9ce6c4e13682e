//! The build artifacts cache, as the builder keeps it: `final/` for the last buildpack and one
//! folder per supply buildpack named after a hash of its key. Before the phases run, folders
//! of buildpacks no longer in the list (and loose files from single-buildpack days) are removed
//! (`cleanCacheDir`); after a successful staging the cache becomes `cache.tgz`.
//!
//! `--cache DIR` plays the platform's part of carrying the cache from one staging to the next:
//! DIR is copied into the workspace before staging and replaced by the new cache only when
//! staging succeeded (the platform uploads the cache only then), so a failed staging never
//! leaves a half-updated cache behind.
//!
//! DIR must be a cache: missing, empty, or a folder an earlier staging made (it holds
//! [`MARKER`], or only `final/` and supply folders, as before the marker). Anything else is
//! refused before staging starts, since the swap replaces the whole folder: `--cache ~/src`
//! by mistake must not delete the sources.
//!
//! A DIR that is a symbolic link (a cache kept on a larger disk) is followed: the cache is read
//! and swapped where the link leads, and the link stays as it was.
//!
//! The swap uses two siblings of DIR, `.NAME.new-*` (the copy being made) and `.NAME.old-*`
//! (the cache being replaced). Both restore and persist hold a lock (`flock`) on DIR's parent
//! folder, so two stagings sharing a cache take turns (the wait ends at the staging's deadline
//! or a Ctrl-C, as every other step does), and whoever holds it knows that any such
//! sibling was left by a bpkit that was killed mid-swap: it removes them, first putting the old
//! cache back if the kill came between the two renames.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::copy;
use super::deadline::{self, Deadline};
use super::error::StageError;
use super::layout::{FINAL_CACHE, supply_cache_name};

/// The file `persist` writes into every cache it swaps in, marking the folder as one.
pub const MARKER: &str = ".bpkit-build-cache";

/// Where the cache at `given` really is: a symbolic link (`--cache ~/cache` leading to a
/// larger disk) followed, link after link, to the path it names, which need not exist yet.
/// The swap of `persist` renames folders in the cache's parent: done at the link, it renamed
/// the link away and put a plain folder in its place, so the cache left the disk the link
/// led to and the link was lost.
pub fn follow_links(given: &Path) -> io::Result<PathBuf> {
    // As many links as Linux follows in one path before it gives up (ELOOP).
    const MAX_LINKS: usize = 40;
    let mut path = given.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                // A relative target is read from the link's folder (an absolute one replaces
                // the path whole).
                path = match path.parent() {
                    Some(parent) => parent.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::from_raw_os_error(libc::ELOOP))
}

/// Refuse a `--cache` that staging could not save into, before anything runs: a file where
/// the folder (or a folder above it) should be, or a parent folder this user cannot write to
/// (the swap makes its copy there). Otherwise the whole staging ran, replacing the previous
/// outputs, and failed only when saving the cache (`File exists (os error 17)`). The check of
/// the parent writes and removes an empty file in the nearest folder that exists. `persisted`
/// is the cache folder, its links followed ([`follow_links`]); errors name `given`, the
/// `--cache` the user wrote.
pub fn check_usable(given: &Path, persisted: &Path) -> Result<(), StageError> {
    if let Some(file) = super::outputs::existing_non_folder(persisted) {
        return Err(StageError::CacheNotAFolder {
            cache: given.to_path_buf(),
            file,
        });
    }
    let parent = Siblings::of(persisted).parent;
    // `persist` creates missing folders above the cache; the nearest one that exists is where
    // that, and so writing, must be allowed.
    let folder = parent
        .ancestors()
        .find(|p| !p.as_os_str().is_empty() && p.is_dir())
        .unwrap_or(Path::new("/"));
    // Not a `tempfile`: its error carries its random name ("at path …") into the message.
    let probe = folder.join(format!(".bpkit-cache-check-{}", std::process::id()));
    match File::options().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            Ok(())
        }
        // Left by a bpkit of the same pid that was killed in between: not this folder's fault.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StageError::CannotWriteCache {
            cache: given.to_path_buf(),
            folder: folder.to_path_buf(),
            source: e,
        }),
    }
}

/// What in the `--cache` folder is not a build cache's, so that the swap would destroy it:
/// empty for a missing or empty folder, one with [`MARKER`], or one holding only `final/` and
/// supply folders (named by a 16-digit hash).
pub fn foreign_entries(persisted: &Path) -> io::Result<Vec<String>> {
    let entries = match fs::read_dir(persisted) {
        Ok(entries) => entries,
        // Missing (the first staging) or not a folder (`restore` says so, in its words).
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let mut foreign = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER {
            return Ok(Vec::new());
        }
        let supply_folder = name.len() == 16 && name.bytes().all(|b| b.is_ascii_hexdigit());
        let ours = (name == FINAL_CACHE || supply_folder) && entry.file_type()?.is_dir();
        if !ours {
            foreign.push(name);
        }
    }
    foreign.sort();
    Ok(foreign)
}

/// Copy a persisted cache (`--cache DIR`) into the workspace cache folder, stopping once
/// `deadline` has passed. A missing DIR is an empty cache (the first staging). `waiting` is
/// called once if another staging holds the cache, before waiting for it.
pub fn restore(
    persisted: &Path,
    cache_dir: &Path,
    deadline: Option<Deadline>,
    waiting: &dyn Fn(),
) -> io::Result<()> {
    let siblings = Siblings::of(persisted);
    if !siblings.parent.is_dir() {
        // The first staging: nothing to restore and nothing to lock.
        return Ok(());
    }
    let _lock = siblings.lock_and_sweep(deadline, waiting)?;
    match fs::metadata(persisted) {
        Ok(meta) if meta.is_dir() => copy::copy_tree(persisted, cache_dir, &|_| false, deadline),
        Ok(_) => Err(io::Error::other(format!(
            "{} is not a folder; --cache needs a folder to keep the build cache in",
            persisted.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Create the folders this staging uses and remove every other entry, as the builder's
/// `makeDirectories` and `cleanCacheDir` do.
pub fn prepare(cache_dir: &Path, supply_keys: &[String]) -> io::Result<()> {
    let mut needed: HashSet<String> = HashSet::new();
    needed.insert(FINAL_CACHE.to_string());
    for key in supply_keys {
        needed.insert(supply_cache_name(key));
    }
    for name in &needed {
        let path = cache_dir.join(name);
        // A link (or a file) where a buildpack's cache folder goes, restored from `--cache`
        // (a buildpack that replaced its CACHE_DIR with a link, a hand-made cache), is
        // replaced by an empty folder rather than followed: a phase writing its cache through
        // it would write outside the staging, into the folder the link names. In the
        // platform's container such a link names a path inside the container.
        if fs::symlink_metadata(&path).is_ok_and(|meta| !meta.is_dir()) {
            fs::remove_file(&path)?;
        }
        fs::create_dir_all(&path)?;
    }
    for entry in fs::read_dir(cache_dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !needed.contains(&name) {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// Replace the persisted cache with this staging's: copy into a sibling folder, then swap it in
/// with renames, so an interruption (or the deadline, which stops the copy) leaves either the
/// old or the new cache, never a mix. `waiting` is called once if another staging holds the
/// cache, before waiting for it.
pub fn persist(
    cache_dir: &Path,
    persisted: &Path,
    deadline: Option<Deadline>,
    waiting: &dyn Fn(),
) -> io::Result<()> {
    let siblings = Siblings::of(persisted);
    fs::create_dir_all(&siblings.parent)?;
    let _lock = siblings.lock_and_sweep(deadline, waiting)?;
    let fresh = tempfile::Builder::new()
        .prefix(&siblings.new_prefix())
        .tempdir_in(&siblings.parent)?;
    copy::copy_tree(cache_dir, fresh.path(), &|_| false, deadline)?;
    fs::write(
        fresh.path().join(MARKER),
        "A build cache of `bpkit stage --cache`, replaced after each successful staging.\n",
    )?;
    let old = siblings
        .parent
        .join(format!("{}{}", siblings.old_prefix(), std::process::id()));
    let had_old = persisted.exists();
    if had_old {
        fs::rename(persisted, &old)?;
    }
    let fresh = fresh.keep();
    if let Err(e) = fs::rename(&fresh, persisted) {
        if had_old {
            let _ = fs::rename(&old, persisted);
        }
        let _ = fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if had_old {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// The persisted cache folder's parent and the names of the swap's siblings in it.
struct Siblings {
    parent: PathBuf,
    name: OsString,
    persisted: PathBuf,
}

impl Siblings {
    fn of(persisted: &Path) -> Siblings {
        let parent = match persisted.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = persisted
            .file_name()
            .map_or_else(|| OsString::from("cache"), ToOwned::to_owned);
        Siblings {
            parent,
            name,
            persisted: persisted.to_path_buf(),
        }
    }

    fn new_prefix(&self) -> String {
        format!(".{}.new-", self.name.to_string_lossy())
    }

    fn old_prefix(&self) -> String {
        format!(".{}.old-", self.name.to_string_lossy())
    }

    /// Wait for the parent folder's lock (another staging may be swapping a cache in it), then
    /// clean up after killed swaps. A folder that cannot be opened or locked (no read
    /// permission, a file system without `flock`) goes unlocked and unswept: the swap itself
    /// works without either. The wait polls, so that it ends with an error at `deadline` or a
    /// Ctrl-C ([`deadline::check`]), where a blocking `flock` waited on past both for as long
    /// as the other staging took.
    fn lock_and_sweep(
        &self,
        deadline: Option<Deadline>,
        waiting: &dyn Fn(),
    ) -> io::Result<Option<File>> {
        let Ok(parent) = File::open(&self.parent) else {
            return Ok(None);
        };
        let mut told = false;
        loop {
            match parent.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(_)) => return Ok(None),
            }
            if !told {
                waiting();
                told = true;
            }
            deadline::check(deadline)?;
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        self.recover_and_sweep()?;
        Ok(Some(parent))
    }

    /// With the lock held: put back an old cache whose replacement never arrived, and remove
    /// every other sibling a killed swap left.
    fn recover_and_sweep(&self) -> io::Result<()> {
        let (new_prefix, old_prefix) = (self.new_prefix(), self.old_prefix());
        let mut olds = Vec::new();
        let mut news = Vec::new();
        for entry in fs::read_dir(&self.parent)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&old_prefix) {
                olds.push(entry.path());
            } else if name.starts_with(&new_prefix) {
                news.push(entry.path());
            }
        }
        // A kill between the two renames of `persist` leaves no cache and one old one: the old
        // cache is known good, while a `.new-` copy may be incomplete.
        if fs::symlink_metadata(&self.persisted).is_err()
            && let Some(old) = olds.pop()
        {
            fs::rename(&old, &self.persisted)?;
        }
        for leftover in olds.iter().chain(&news) {
            remove_any(leftover)?;
        }
        Ok(())
    }
}

fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// XXH64 with seed 0, the hash the builder names supply cache folders with
/// (`xxhash.Sum64String(buildpack)`). Written out here because it is 40 lines and a crate for
/// one call is not worth vendoring.
pub fn xxhash64(input: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const P3: u64 = 0x1656_67B1_9E37_79F9;
    const P4: u64 = 0x85EB_CA77_C2B2_AE63;
    const P5: u64 = 0x27D4_EB2F_1656_67C5;

    fn read_u64(bytes: &[u8]) -> u64 {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(&bytes[..8]);
        u64::from_le_bytes(buf)
    }
    fn read_u32(bytes: &[u8]) -> u64 {
        let mut buf = [0u8; 4];
        buf.copy_from_slice(&bytes[..4]);
        u64::from(u32::from_le_bytes(buf))
    }
    fn round(acc: u64, lane: u64) -> u64 {
        acc.wrapping_add(lane.wrapping_mul(P2))
            .rotate_left(31)
            .wrapping_mul(P1)
    }
    fn merge(acc: u64, value: u64) -> u64 {
        (acc ^ round(0, value)).wrapping_mul(P1).wrapping_add(P4)
    }

    let len = input.len() as u64;
    let mut rest = input;
    let mut hash = if input.len() >= 32 {
        let mut v = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
        while rest.len() >= 32 {
            for (i, lane) in v.iter_mut().enumerate() {
                *lane = round(*lane, read_u64(&rest[i * 8..]));
            }
            rest = &rest[32..];
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for lane in v {
            h = merge(h, lane);
        }
        h
    } else {
        P5
    };
    hash = hash.wrapping_add(len);
    while rest.len() >= 8 {
        hash ^= round(0, read_u64(rest));
        hash = hash.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        hash ^= read_u32(rest).wrapping_mul(P1);
        hash = hash.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        rest = &rest[4..];
    }
    for &byte in rest {
        hash ^= u64::from(byte).wrapping_mul(P5);
        hash = hash.rotate_left(11).wrapping_mul(P1);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(P2);
    hash ^= hash >> 29;
    hash = hash.wrapping_mul(P3);
    hash ^= hash >> 32;
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxhash64_matches_the_reference() {
        // Reference values of XXH64 with seed 0 (xxhsum -H64, cespare/xxhash).
        assert_eq!(xxhash64(b""), 0xef46_db37_51d8_e999);
        assert_eq!(xxhash64(b"a"), 0xd24e_c4f1_a98c_6e5b);
        assert_eq!(xxhash64(b"abc"), 0x44bc_2cf5_ad77_0999);
        // 39 bytes: the four-lane path.
        assert_eq!(
            xxhash64(b"Nobody inspects the spammish repetition"),
            0xfbce_a83c_8a37_8bf1
        );
        // The 8-byte steps after the lanes: 8 bytes alone; 32 + 8 + 4 + 2 (every step); and
        // 32 + 16 (two 8-byte steps). Reference values from the C library (python-xxhash).
        assert_eq!(xxhash64(b"12345678"), 0xd2d0_2f08_cf7c_fd4a);
        assert_eq!(
            xxhash64(b"https://github.com/cloudfoundry/ruby-buildpack"),
            0x0e1d_f125_1578_f504
        );
        assert_eq!(
            xxhash64(b"0123456789abcdef0123456789abcdef0123456789abcdef"),
            0xe352_1644_4a3c_253b
        );
    }

    /// A link is followed to what it names, relative to its own folder, through a chain of
    /// links, to a path that may not exist yet; a path that is no link is itself; a loop is
    /// ELOOP.
    #[test]
    fn follow_links_finds_where_the_cache_really_is() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("disk/big")).unwrap();
        std::os::unix::fs::symlink("disk/big/cache", d.join("relative")).unwrap();
        std::os::unix::fs::symlink(d.join("relative"), d.join("absolute")).unwrap();
        assert_eq!(
            follow_links(&d.join("relative")).unwrap(),
            d.join("disk/big/cache")
        );
        assert_eq!(
            follow_links(&d.join("absolute")).unwrap(),
            d.join("disk/big/cache")
        );
        assert_eq!(follow_links(&d.join("plain")).unwrap(), d.join("plain"));
        std::os::unix::fs::symlink("looped", d.join("looped")).unwrap();
        assert_eq!(
            follow_links(&d.join("looped")).unwrap_err().raw_os_error(),
            Some(libc::ELOOP)
        );
    }

    /// Saving a cache whose folder is reached through a link replaces the folder the link
    /// leads to, and leaves the link a link.
    #[test]
    fn persist_through_a_link_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("disk/cache");
        fs::create_dir_all(target.join("final")).unwrap();
        fs::write(target.join("final/old"), "old").unwrap();
        let link = dir.path().join("cache");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let staging = dir.path().join("staging");
        fs::create_dir_all(staging.join("final")).unwrap();
        fs::write(staging.join("final/new"), "new").unwrap();
        persist(&staging, &follow_links(&link).unwrap(), None, &|| {}).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(target.join("final/new").is_file());
        assert!(!target.join("final/old").exists());
    }

    /// A bare `--cache NAME` is swapped in the working folder, `.`, which can be opened and
    /// locked, where the empty path its `parent()` gives cannot.
    #[test]
    fn the_siblings_of_a_bare_name_are_in_the_working_folder() {
        let bare = Siblings::of(Path::new("cache"));
        assert_eq!(bare.parent, Path::new("."));
        assert_eq!(
            (bare.new_prefix(), bare.old_prefix()),
            (".cache.new-".to_string(), ".cache.old-".to_string())
        );
        assert_eq!(Siblings::of(Path::new("/a/b")).parent, Path::new("/a"));
        assert_eq!(Siblings::of(Path::new("/")).new_prefix(), ".cache.new-");
    }

    /// Another staging holding the cache's folder is waited for: the user is told once, and
    /// the wait ends at the deadline.
    #[test]
    fn a_held_cache_is_waited_for_telling_the_user_once() {
        let dir = tempfile::tempdir().unwrap();
        let persisted = dir.path().join("cache");
        fs::create_dir_all(&persisted).unwrap();
        let workspace = dir.path().join("workspace");
        fs::create_dir_all(&workspace).unwrap();
        let told = std::cell::Cell::new(0);
        let tell = || told.set(told.get() + 1);
        let held = File::open(dir.path()).unwrap();
        held.lock().unwrap();
        let deadline = Deadline {
            at: std::time::Instant::now() + std::time::Duration::from_millis(350),
            secs: 1,
        };
        let err = restore(&persisted, &workspace, Some(deadline), &tell).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
        assert_eq!(told.get(), 1);
        // Unlocked, not closed: another test of this process starting a program in the
        // moment holds a copy of the descriptor until the program starts (fork, then exec),
        // and the lock with it, which closing this copy does not release.
        held.unlock().unwrap();
        restore(&persisted, &workspace, None, &tell).unwrap();
        assert_eq!(told.get(), 1, "told with nobody holding the cache");
    }

    #[test]
    fn prepare_keeps_only_what_this_staging_uses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path();
        let kept = supply_cache_name("https://example.com/a.zip");
        fs::create_dir_all(cache.join(&kept)).unwrap();
        fs::write(cache.join(&kept).join("x"), "1").unwrap();
        fs::create_dir_all(cache.join("final")).unwrap();
        fs::write(cache.join("final/old-compile"), "2").unwrap();
        fs::create_dir_all(cache.join(supply_cache_name("gone"))).unwrap();
        fs::write(cache.join("pre-multi-file"), "3").unwrap();

        prepare(cache, &["https://example.com/a.zip".to_string()]).unwrap();

        let mut names: Vec<String> = fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut expected = vec!["final".to_string(), kept.clone()];
        expected.sort();
        assert_eq!(names, expected);
        assert!(cache.join(&kept).join("x").exists());
        assert!(cache.join("final/old-compile").exists());
    }

    #[test]
    fn prepare_replaces_a_link_or_a_file_where_a_cache_folder_goes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&cache).unwrap();
        fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, cache.join("final")).unwrap();
        let supply = supply_cache_name("s");
        fs::write(cache.join(&supply), "a file").unwrap();

        prepare(&cache, &["s".to_string()]).unwrap();

        for name in ["final", supply.as_str()] {
            assert!(fs::symlink_metadata(cache.join(name)).unwrap().is_dir());
        }
        fs::write(cache.join("final/x"), "1").unwrap();
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
    }

    #[test]
    fn persist_swaps_the_whole_cache() {
        let dir = tempfile::tempdir().unwrap();
        let persisted = dir.path().join("cache");
        fs::create_dir_all(persisted.join("final")).unwrap();
        fs::write(persisted.join("final/old"), "old").unwrap();
        let staging = dir.path().join("staging");
        fs::create_dir_all(staging.join("final")).unwrap();
        fs::write(staging.join("final/new"), "new").unwrap();
        persist(&staging, &persisted, None, &|| {}).unwrap();
        assert!(persisted.join("final/new").exists());
        assert!(!persisted.join("final/old").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn only_a_cache_made_by_staging_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        assert!(foreign_entries(&cache).unwrap().is_empty(), "missing");
        fs::create_dir_all(cache.join("final")).unwrap();
        fs::create_dir_all(cache.join("00112233aabbccdd")).unwrap();
        assert!(
            foreign_entries(&cache).unwrap().is_empty(),
            "an older bpkit's"
        );
        fs::create_dir_all(cache.join("src")).unwrap();
        fs::write(cache.join("Cargo.toml"), "").unwrap();
        fs::write(cache.join("0011223344556677"), "a file").unwrap();
        assert_eq!(
            foreign_entries(&cache).unwrap(),
            ["0011223344556677", "Cargo.toml", "src"]
        );
        let staging = dir.path().join("staging");
        fs::create_dir_all(staging.join("final")).unwrap();
        let made = dir.path().join("made");
        persist(&staging, &made, None, &|| {}).unwrap();
        fs::write(made.join("final/anything"), "").unwrap();
        assert!(foreign_entries(&made).unwrap().is_empty(), "marked");
    }

    fn dot_entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn persist_removes_what_a_killed_swap_left() {
        let dir = tempfile::tempdir().unwrap();
        let persisted = dir.path().join("cache");
        fs::create_dir_all(persisted.join("final")).unwrap();
        fs::create_dir_all(dir.path().join(".cache.new-abc123/final")).unwrap();
        fs::create_dir_all(dir.path().join(".cache.old-4242/final")).unwrap();
        fs::create_dir_all(dir.path().join(".other.new-xyz")).unwrap();
        let staging = dir.path().join("staging");
        fs::create_dir_all(staging.join("final")).unwrap();
        fs::write(staging.join("final/new"), "new").unwrap();
        persist(&staging, &persisted, None, &|| {}).unwrap();
        assert!(persisted.join("final/new").exists());
        // Another cache's siblings are not this swap's business.
        assert_eq!(dot_entries(dir.path()), [".other.new-xyz"]);
    }

    #[test]
    fn restore_puts_back_the_old_cache_of_a_swap_killed_between_renames() {
        let dir = tempfile::tempdir().unwrap();
        let persisted = dir.path().join("cache");
        fs::create_dir_all(dir.path().join(".cache.old-4242/final")).unwrap();
        fs::write(dir.path().join(".cache.old-4242/final/kept"), "old").unwrap();
        fs::create_dir_all(dir.path().join(".cache.new-abc123/final")).unwrap();
        let workspace = dir.path().join("workspace");
        fs::create_dir_all(&workspace).unwrap();
        restore(&persisted, &workspace, None, &|| {}).unwrap();
        assert_eq!(
            fs::read_to_string(workspace.join("final/kept")).unwrap(),
            "old"
        );
        assert!(persisted.join("final/kept").exists());
        assert!(dot_entries(dir.path()).is_empty());
    }

    #[test]
    fn a_cache_path_through_a_file_is_refused_before_staging() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        for cache in [file.clone(), file.join("below/cache")] {
            let err = check_usable(&cache, &cache).unwrap_err();
            assert!(
                matches!(&err, StageError::CacheNotAFolder { cache: c, file: f } if *c == cache && *f == file),
                "{err:?}"
            );
        }
    }

    /// The write check goes to the nearest folder that exists, leaves nothing behind, and
    /// names that folder when it cannot write there.
    #[test]
    fn a_cache_is_usable_where_its_nearest_existing_folder_takes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        check_usable(Path::new("c"), &dir.path().join("missing/deeper/cache")).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "probe left");
        // /proc takes no new file, even from root (who runs the tests), while / does: the
        // probe must go to /proc, the nearest folder that exists.
        let err = check_usable(
            Path::new("c"),
            Path::new("/proc/bpkit-no-such-folder/cache"),
        )
        .unwrap_err();
        assert!(
            matches!(&err, StageError::CannotWriteCache { folder, .. } if folder == Path::new("/proc")),
            "{err:?}"
        );
        // A probe of the same name left by a killed bpkit of this pid is no fault of the
        // folder's.
        let probe = dir
            .path()
            .join(format!(".bpkit-cache-check-{}", std::process::id()));
        fs::write(&probe, "").unwrap();
        check_usable(Path::new("c"), &dir.path().join("cache")).unwrap();
    }

    #[test]
    fn only_final_and_hash_named_folders_are_a_caches_own() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        // Hex but not 16 digits, 16 characters but not hex, `final` as a file.
        fs::create_dir_all(cache.join("abc")).unwrap();
        fs::create_dir_all(cache.join("ghijklmnopqrstuv")).unwrap();
        fs::write(cache.join("final"), "").unwrap();
        fs::create_dir_all(cache.join("0123456789abcdef")).unwrap();
        assert_eq!(
            foreign_entries(&cache).unwrap(),
            ["abc", "final", "ghijklmnopqrstuv"]
        );
        // A file given as the cache is for `restore` to refuse in its words.
        assert!(foreign_entries(&cache.join("final")).unwrap().is_empty());
        // Any other failure to list it is an error, not an empty cache.
        let looped = dir.path().join("looped");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
        assert!(foreign_entries(&looped).is_err());
    }

    #[test]
    fn restore_refuses_a_file_and_an_unreadable_cache_and_takes_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace");
        fs::create_dir_all(&workspace).unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        assert_eq!(
            restore(&file, &workspace, None, &|| {})
                .unwrap_err()
                .to_string(),
            format!(
                "{} is not a folder; --cache needs a folder to keep the build cache in",
                file.display()
            )
        );
        // Missing in a folder that exists: the first staging.
        restore(&dir.path().join("cache"), &workspace, None, &|| {}).unwrap();
        assert_eq!(fs::read_dir(&workspace).unwrap().count(), 0);
        let looped = dir.path().join("looped");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
        // ELOOP: neither a missing cache nor a folder.
        assert_eq!(
            restore(&looped, &workspace, None, &|| {})
                .unwrap_err()
                .raw_os_error(),
            Some(40)
        );
    }

    #[test]
    fn restore_of_a_cache_in_a_missing_folder_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace");
        fs::create_dir_all(&workspace).unwrap();
        restore(&dir.path().join("no/such/cache"), &workspace, None, &|| {}).unwrap();
        assert_eq!(fs::read_dir(&workspace).unwrap().count(), 0);
    }
}
