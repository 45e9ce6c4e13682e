//! The modes an extraction gives what it writes: the bits kept from the archive, folders' own,
//! and the process umask, which decides when a mode needs an explicit `chmod`.

use std::fs;

use super::Target;

/// Permission bits kept from an archive: rwx for owner, group, others. Setuid, setgid and
/// sticky bits are dropped (a dependency has no business setting them).
pub(super) const MODE_MASK: u32 = 0o777;

/// Folders always stay readable, writable and searchable by their owner, so that extraction
/// (and a later clean-up) can go on inside a folder the archive marks read-only.
pub(super) const DIR_OWNER_BITS: u32 = 0o700;

/// Mode of folders created on the way to an entry that the archive does not list itself.
pub(super) const IMPLICIT_DIR_MODE: u32 = 0o755;

impl Target {
    pub(super) fn umask_changes(&self, mode: u32) -> bool {
        self.umask.is_none_or(|umask| mode & umask != 0)
    }
}

/// The process umask from `/proc/self/status` (Linux 4.7+). Reading it with `umask(2)` would
/// need `unsafe` and would change it for a moment under other threads; when it is unknown,
/// every mode is set explicitly.
pub(super) fn process_umask() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    u32::from_str_radix(line.trim(), 8).ok()
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;
    use std::os::unix::fs::OpenOptionsExt;

    use super::super::test_support::{mode_of, target};
    use super::*;

    /// A mode made only of bits the umask clears still ends up exact (the file is created
    /// with none of them, so it needs its `chmod`).
    #[test]
    fn a_mode_the_umask_clears_entirely_is_set() {
        let umask = process_umask().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut t = target(dir.path());
        t.file(b"f", umask, None, &mut &b"x"[..]).unwrap();
        assert_eq!(mode_of(&dir.path().join("f")), umask);
    }

    #[test]
    fn umask_is_read() {
        // The test harness does not change the umask; whatever it is, it parses, and it is
        // what the kernel applies to a new file.
        let umask = process_umask().unwrap();
        assert!(umask <= 0o777);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o777)
            .open(&path)
            .unwrap();
        assert_eq!(mode_of(&path), 0o777 & !umask);
    }
}
