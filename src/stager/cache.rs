//! The build artifacts cache, as the builder keeps it: `final/` for the last buildpack and one
//! folder per supply buildpack named after a hash of its key. Before the phases run, folders
//! of buildpacks no longer in the list (and loose files from single-buildpack days) are removed
//! (`cleanCacheDir`); after a successful staging the cache becomes `cache.tgz`.
//!
//! `--cache DIR` plays the platform's part of carrying the cache from one staging to the next:
//! DIR is copied into the workspace before staging and replaced by the new cache only when
//! staging succeeded (the platform uploads the cache only then), so a failed staging never
//! leaves a half-updated cache behind.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use super::copy;
use super::layout::{FINAL_CACHE, supply_cache_name};

/// Copy a persisted cache (`--cache DIR`) into the workspace cache folder. A missing DIR is an
/// empty cache (the first staging).
pub fn restore(persisted: &Path, cache_dir: &Path) -> io::Result<()> {
    match fs::metadata(persisted) {
        Ok(meta) if meta.is_dir() => copy::copy_tree(persisted, cache_dir, &|_| false),
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
        fs::create_dir_all(cache_dir.join(name))?;
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
/// with renames, so an interruption leaves either the old or the new cache, never a mix.
pub fn persist(cache_dir: &Path, persisted: &Path) -> io::Result<()> {
    let parent = persisted.parent().unwrap_or(Path::new("."));
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    fs::create_dir_all(parent)?;
    let name = persisted
        .file_name()
        .map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    let fresh = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(parent)?;
    copy::copy_tree(cache_dir, fresh.path(), &|_| false)?;
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
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
    fn persist_swaps_the_whole_cache() {
        let dir = tempfile::tempdir().unwrap();
        let persisted = dir.path().join("cache");
        fs::create_dir_all(persisted.join("final")).unwrap();
        fs::write(persisted.join("final/old"), "old").unwrap();
        let staging = dir.path().join("staging");
        fs::create_dir_all(staging.join("final")).unwrap();
        fs::write(staging.join("final/new"), "new").unwrap();
        persist(&staging, &persisted).unwrap();
        assert!(persisted.join("final/new").exists());
        assert!(!persisted.join("final/old").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
