//! What a Linux executable needs from the system to start: its program loader (`PT_INTERP`)
//! and the newest glibc symbol version it names (`GLIBC_2.34`). Read the way the loader reads
//! them, from the dynamic segment (`DT_VERNEED`, `DT_STRTAB`), so a binary whose section headers
//! were stripped reads the same.
//!
//! Why: `bpkit package` puts the bpkit binary that runs it into the zip. Built on a newer
//! distribution than the stack (a laptop or CI runner on Ubuntu 24.04, a cflinuxfs4 stack of
//! Ubuntu 22.04), it needs a glibc the stack lacks, and every phase of the zip fails at staging
//! with "version `GLIBC_2.39' not found", long after the zip was uploaded.
//!
//! Only 64-bit little-endian ELF (x86_64, aarch64: what the stacks run) is read; anything else,
//! and anything malformed, reads as needing nothing known, since this is a warning's input and
//! never a reason to refuse a binary.

use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};

/// What [`read`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Linkage {
    /// The machine it is for (`e_machine`: 62 x86_64, 183 aarch64), of any ELF file; `None`
    /// for another file.
    pub machine: Option<u16>,
    /// The program loader it names (`/lib64/ld-linux-x86-64.so.2`); `None` for a static binary.
    pub interpreter: Option<String>,
    /// The newest `GLIBC_x.y[.z]` version among the symbol versions it needs.
    pub glibc: Option<GlibcVersion>,
}

/// A glibc version, compared part by part (`2.2.5` < `2.17` < `2.34`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GlibcVersion(pub [u16; 3]);

impl GlibcVersion {
    /// `2.34` from `GLIBC_2.34`; `None` for other names (`GLIBC_PRIVATE`, `GCC_3.0`).
    pub fn from_symbol_version(name: &str) -> Option<Self> {
        let digits = name.strip_prefix("GLIBC_")?;
        let mut parts = [0u16; 3];
        let mut count = 0;
        for part in digits.split('.') {
            // Digits only: `parse` takes a `+` too. An empty part it refuses itself.
            if count == parts.len() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts[count] = part.parse().ok()?;
            count += 1;
        }
        // A bare `GLIBC_2` is no version glibc has used.
        (count >= 2).then_some(GlibcVersion(parts))
    }
}

impl fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [major, minor, patch] = self.0;
        write!(f, "{major}.{minor}")?;
        if patch != 0 {
            write!(f, ".{patch}")?;
        }
        Ok(())
    }
}

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const DT_NULL: u64 = 0;
const DT_STRTAB: u64 = 5;
const DT_STRSZ: u64 = 10;
const DT_VERNEED: u64 = 0x6fff_fffe;
const DT_VERNEEDNUM: u64 = 0x6fff_ffff;

/// Bounds on what a crafted file can make [`read`] do: real binaries have a dozen program
/// headers, a few dozen dynamic entries and a few needed libraries of a few dozen versions.
const MAX_PROGRAM_HEADERS: u64 = 256;
const MAX_DYNAMIC_ENTRIES: u64 = 4096;
const MAX_VERSION_ENTRIES: usize = 4096;
const MAX_NAME: u64 = 256;

/// Read what the ELF executable `file` needs. Not an ELF of the kind described in the module
/// header, or one that is malformed, gives an empty [`Linkage`]; only a failing read is an
/// error.
pub fn read(file: &mut (impl Read + Seek)) -> io::Result<Linkage> {
    let mut elf = Elf { file };
    let machine = elf
        .bytes(0, 20)?
        .and_then(|head| super::shim::elf_machine(&head));
    Ok(Linkage {
        machine,
        ..elf.needs()?
    })
}

struct Segment {
    kind: u32,
    offset: u64,
    address: u64,
    file_size: u64,
}

/// The dynamic section's entries [`Elf::newest_glibc`] reads.
#[derive(Default)]
struct Dynamic {
    strtab: Option<u64>,
    strsz: Option<u64>,
    verneed: Option<u64>,
    verneednum: Option<u64>,
}

struct Elf<'f, F> {
    file: &'f mut F,
}

impl<F: Read + Seek> Elf<'_, F> {
    /// The loader and glibc version of a 64-bit little-endian ELF ([`read`]).
    fn needs(&mut self) -> io::Result<Linkage> {
        let Some(header) = self.bytes(0, 64)? else {
            return Ok(Linkage::default());
        };
        if !header.starts_with(b"\x7fELF") || header[4] != 2 || header[5] != 1 {
            return Ok(Linkage::default());
        }
        let program_headers = le64(&header, 0x20);
        let entry_size = u64::from(le16(&header, 0x36));
        let count = u64::from(le16(&header, 0x38));
        if entry_size < 56 || count > MAX_PROGRAM_HEADERS {
            return Ok(Linkage::default());
        }
        let mut segments = Vec::new();
        for index in 0..count {
            let Some(at) = index
                .checked_mul(entry_size)
                .and_then(|o| o.checked_add(program_headers))
            else {
                return Ok(Linkage::default());
            };
            let Some(raw) = self.bytes(at, 56)? else {
                return Ok(Linkage::default());
            };
            segments.push(Segment {
                kind: le32(&raw, 0),
                offset: le64(&raw, 8),
                address: le64(&raw, 16),
                file_size: le64(&raw, 32),
            });
        }
        let mut linkage = Linkage::default();
        if let Some(interp) = segments.iter().find(|s| s.kind == PT_INTERP) {
            linkage.interpreter = self.c_string(interp.offset, interp.file_size.min(MAX_NAME))?;
        }
        if let Some(dynamic) = segments.iter().find(|s| s.kind == PT_DYNAMIC) {
            linkage.glibc = self.newest_glibc(dynamic, &segments)?;
        }
        Ok(linkage)
    }

    /// `len` bytes at `offset`, or `None` when the file ends first.
    fn bytes(&mut self, offset: u64, len: u64) -> io::Result<Option<Vec<u8>>> {
        if !self.seek(offset)? {
            return Ok(None);
        }
        let mut out = Vec::new();
        self.file.by_ref().take(len).read_to_end(&mut out)?;
        Ok((out.len() as u64 == len).then_some(out))
    }

    /// Move to `offset`; false past what a file can hold (offsets are the file's own words,
    /// and `lseek` refuses one past `i64::MAX`: an error for what is only a malformed file).
    fn seek(&mut self, offset: u64) -> io::Result<bool> {
        if i64::try_from(offset).is_err() {
            return Ok(false);
        }
        self.file.seek(SeekFrom::Start(offset))?;
        Ok(true)
    }

    /// The NUL-terminated text at `offset`, read no further than `max` bytes.
    fn c_string(&mut self, offset: u64, max: u64) -> io::Result<Option<String>> {
        if !self.seek(offset)? {
            return Ok(None);
        }
        let mut out = Vec::new();
        self.file.by_ref().take(max).read_to_end(&mut out)?;
        let Some(end) = out.iter().position(|&b| b == 0) else {
            return Ok(None);
        };
        out.truncate(end);
        Ok(String::from_utf8(out).ok())
    }

    /// The newest `GLIBC_*` version named by the version needs (`Elf64_Verneed` and its
    /// `Elf64_Vernaux` entries) that the dynamic segment points at.
    fn newest_glibc(
        &mut self,
        dynamic: &Segment,
        segments: &[Segment],
    ) -> io::Result<Option<GlibcVersion>> {
        let mut found = Dynamic::default();
        for index in 0..(dynamic.file_size / 16).min(MAX_DYNAMIC_ENTRIES) {
            let Some(raw) = self.bytes(dynamic.offset.saturating_add(index * 16), 16)? else {
                break;
            };
            let value = le64(&raw, 8);
            match le64(&raw, 0) {
                DT_NULL => break,
                DT_STRTAB => found.strtab = Some(value),
                DT_STRSZ => found.strsz = Some(value),
                DT_VERNEED => found.verneed = Some(value),
                DT_VERNEEDNUM => found.verneednum = Some(value),
                _ => {}
            }
        }
        // The dynamic entries hold addresses in memory; the loaded segments map them back to
        // offsets in the file.
        let file_offset = |address: u64| {
            segments
                .iter()
                .filter(|s| s.kind == PT_LOAD)
                .find(|s| address >= s.address && address - s.address < s.file_size)
                .map(|s| s.offset.saturating_add(address - s.address))
        };
        let (Some(strtab), Some(strsz), Some(verneed), Some(needed)) = (
            found.strtab.and_then(file_offset),
            found.strsz,
            found.verneed.and_then(file_offset),
            found.verneednum,
        ) else {
            return Ok(None);
        };
        let mut newest = None;
        let mut entries = 0;
        let mut need_at = verneed;
        for _ in 0..needed {
            entries += 1;
            if entries > MAX_VERSION_ENTRIES {
                return Ok(newest);
            }
            let Some(need) = self.bytes(need_at, 16)? else {
                break;
            };
            let (count, aux, next) = (le16(&need, 2), le32(&need, 8), le32(&need, 12));
            let mut aux_at = need_at.saturating_add(u64::from(aux));
            for _ in 0..count {
                entries += 1;
                if entries > MAX_VERSION_ENTRIES {
                    return Ok(newest);
                }
                let Some(vernaux) = self.bytes(aux_at, 16)? else {
                    return Ok(newest);
                };
                let name = u64::from(le32(&vernaux, 8));
                if name < strsz
                    && let Some(text) =
                        self.c_string(strtab.saturating_add(name), MAX_NAME.min(strsz - name))?
                {
                    newest = newest.max(GlibcVersion::from_symbol_version(&text));
                }
                match le32(&vernaux, 12) {
                    0 => break,
                    step => aux_at = aux_at.saturating_add(u64::from(step)),
                }
            }
            match next {
                0 => break,
                step => need_at = need_at.saturating_add(u64::from(step)),
            }
        }
        Ok(newest)
    }
}

fn le16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    let mut raw = [0; 4];
    raw.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(raw)
}

fn le64(bytes: &[u8], at: usize) -> u64 {
    let mut raw = [0; 8];
    raw.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(raw)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Cursor;

    /// Where the synthetic executable is loaded: addresses differ from file offsets, as in a
    /// real non-PIE executable, so a reader that skipped the mapping would read garbage.
    const BASE: u64 = 0x40_0000;

    /// A 64-bit little-endian executable with a loader and these needed libraries, each with
    /// its version names: the ELF header, three program headers (one PT_LOAD mapping the
    /// whole file at BASE, PT_INTERP, PT_DYNAMIC), the loader's name, the string table, the
    /// version needs and the dynamic entries.
    pub(crate) fn executable(interpreter: Option<&str>, needs: &[(&str, &[&str])]) -> Vec<u8> {
        let mut strings = vec![0u8];
        let mut add = |text: &str| {
            let at = u32::try_from(strings.len()).unwrap();
            strings.extend_from_slice(text.as_bytes());
            strings.push(0);
            at
        };
        let mut verneed = Vec::new();
        for (index, (library, versions)) in needs.iter().enumerate() {
            let file = add(library);
            let last = index + 1 == needs.len();
            verneed.extend_from_slice(&1u16.to_le_bytes());
            verneed.extend_from_slice(&u16::try_from(versions.len()).unwrap().to_le_bytes());
            verneed.extend_from_slice(&file.to_le_bytes());
            verneed.extend_from_slice(&16u32.to_le_bytes());
            let next = if last {
                0
            } else {
                16 + 16 * u32::try_from(versions.len()).unwrap()
            };
            verneed.extend_from_slice(&next.to_le_bytes());
            for (at, version) in versions.iter().enumerate() {
                let name = add(version);
                verneed.extend_from_slice(&0u32.to_le_bytes()); // hash, unchecked
                verneed.extend_from_slice(&0u16.to_le_bytes());
                verneed.extend_from_slice(&2u16.to_le_bytes());
                verneed.extend_from_slice(&name.to_le_bytes());
                let next = if at + 1 == versions.len() { 0u32 } else { 16 };
                verneed.extend_from_slice(&next.to_le_bytes());
            }
        }
        let interp = interpreter.map(|i| format!("{i}\0").into_bytes());
        let interp_at = 64 + 3 * 56;
        let strings_at = interp_at + interp.as_ref().map_or(0, Vec::len);
        let verneed_at = strings_at + strings.len();
        let dynamic_at = verneed_at + verneed.len();
        let dynamic: Vec<(u64, u64)> = vec![
            (DT_STRTAB, BASE + strings_at as u64),
            (DT_STRSZ, strings.len() as u64),
            (DT_VERNEED, BASE + verneed_at as u64),
            (DT_VERNEEDNUM, needs.len() as u64),
            (DT_NULL, 0),
        ];
        let total = dynamic_at + dynamic.len() * 16;

        let mut out = vec![0u8; 64];
        out[..4].copy_from_slice(b"\x7fELF");
        out[4] = 2; // 64-bit
        out[5] = 1; // little endian
        out[6] = 1;
        out[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
        out[18..20].copy_from_slice(&62u16.to_le_bytes()); // x86_64
        out[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        out[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        out[0x38..0x3a].copy_from_slice(&3u16.to_le_bytes());
        let segment = |kind: u32, offset: usize, size: usize| {
            let mut raw = vec![0u8; 56];
            raw[..4].copy_from_slice(&kind.to_le_bytes());
            raw[8..16].copy_from_slice(&(offset as u64).to_le_bytes());
            raw[16..24].copy_from_slice(&(BASE + offset as u64).to_le_bytes());
            raw[32..40].copy_from_slice(&(size as u64).to_le_bytes());
            raw
        };
        out.extend(segment(PT_LOAD, 0, total));
        // No loader: the slot is a PT_NULL header, as a static binary has none.
        let interp_len = interp.as_ref().map_or(0, Vec::len);
        out.extend(segment(
            if interp.is_some() { PT_INTERP } else { 0 },
            interp_at,
            interp_len,
        ));
        out.extend(segment(PT_DYNAMIC, dynamic_at, dynamic.len() * 16));
        out.extend(interp.unwrap_or_default());
        out.extend(strings);
        out.extend(verneed);
        for (tag, value) in dynamic {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        assert_eq!(out.len(), total);
        out
    }

    fn linkage(bytes: Vec<u8>) -> Linkage {
        read(&mut Cursor::new(bytes)).unwrap()
    }

    fn version(text: &str) -> GlibcVersion {
        GlibcVersion::from_symbol_version(&format!("GLIBC_{text}")).unwrap()
    }

    #[test]
    fn the_newest_glibc_version_of_every_needed_library_is_found() {
        let found = linkage(executable(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &[
                ("libgcc_s.so.1", &["GCC_4.2.0", "GCC_3.0"]),
                ("libc.so.6", &["GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE"]),
                ("libm.so.6", &["GLIBC_2.29"]),
                ("libpthread.so.0", &["GLIBC_2.3.2", "GLIBC_2.39"]),
            ],
        ));
        assert_eq!(
            found,
            Linkage {
                machine: Some(62),
                interpreter: Some("/lib64/ld-linux-x86-64.so.2".into()),
                glibc: Some(version("2.39")),
            }
        );
    }

    #[test]
    fn versions_compare_part_by_part() {
        // As text, `2.2.5` > `2.17` > `2.100`; as glibc orders them, the other way round.
        let found = linkage(executable(
            None,
            &[("libc.so.6", &["GLIBC_2.100", "GLIBC_2.2.5", "GLIBC_2.17"])],
        ));
        assert_eq!(found.glibc, Some(version("2.100")));
        assert!(version("2.2.5") < version("2.17"));
        assert_eq!(version("2.2.5").to_string(), "2.2.5");
        assert_eq!(version("2.35").to_string(), "2.35");
        for not_a_version in [
            "GLIBC_PRIVATE",
            "GLIBC_2",
            "GLIBC_2.",
            "GLIBC_2.x",
            "GLIBC_1.2.3.4",
            "GLIBC_.34",
            "GLIBC_2..34",
            "GLIBC_+2.34",
            "GLIBC_2.+34",
            "GLIBC_2.65536",
        ] {
            assert_eq!(GlibcVersion::from_symbol_version(not_a_version), None);
        }
        assert_eq!(GlibcVersion::from_symbol_version("GCC_2.34"), None);
    }

    #[test]
    fn a_static_binary_needs_neither_loader_nor_glibc() {
        let only_x86_64 = Linkage {
            machine: Some(62),
            ..Linkage::default()
        };
        assert_eq!(linkage(executable(None, &[])), only_x86_64);
        // A musl binary linked dynamically names its own loader and no glibc.
        let musl = linkage(executable(Some("/lib/ld-musl-x86_64.so.1"), &[]));
        assert_eq!(
            musl.interpreter.as_deref(),
            Some("/lib/ld-musl-x86_64.so.1")
        );
        assert_eq!(musl.glibc, None);
    }

    #[test]
    fn anything_but_a_whole_64_bit_little_endian_elf_needs_nothing_known() {
        let whole = executable(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &[("libc.so.6", &["GLIBC_2.34"])],
        );
        assert_eq!(
            linkage(b"#!/bin/sh\nexec true\n".to_vec()),
            Linkage::default()
        );
        assert_eq!(linkage(Vec::new()), Linkage::default());
        // Of another ELF, only the machine is read, in its byte order.
        let machine_only = |machine| Linkage {
            machine: Some(machine),
            ..Linkage::default()
        };
        let mut elf32 = whole.clone();
        elf32[4] = 1;
        assert_eq!(linkage(elf32), machine_only(62));
        let mut big_endian = whole.clone();
        big_endian[5] = 2;
        assert_eq!(linkage(big_endian), machine_only(0x3e00));
        let mut aarch64 = whole.clone();
        aarch64[18..20].copy_from_slice(&183u16.to_le_bytes());
        assert_eq!(linkage(aarch64).machine, Some(183));
        assert_eq!(linkage(whole[..19].to_vec()), Linkage::default());
        // Cut anywhere, it never fails or panics, and finds only what was read before the
        // cut: the loader's name whole, and the version once every dynamic entry but the
        // closing DT_NULL is there.
        let interp_end = 64 + 3 * 56 + "/lib64/ld-linux-x86-64.so.2\0".len();
        for end in 0..whole.len() {
            let cut = linkage(whole[..end].to_vec());
            assert_eq!(cut.interpreter.is_some(), end >= interp_end, "{end}");
            assert_eq!(cut.glibc.is_some(), end >= whole.len() - 16, "{end}");
        }
    }

    /// At most 4096 version entries (needs and their versions together) are read: a version
    /// past them is not seen.
    #[test]
    fn version_entries_are_read_up_to_a_bound() {
        let newest_of = |count: usize| {
            let mut versions = vec!["GLIBC_2.1"; count - 1];
            versions.push("GLIBC_2.99");
            linkage(executable(None, &[("libc.so.6", &versions)])).glibc
        };
        // One need and 4095 versions: 4096 entries, all read.
        assert_eq!(newest_of(4095), Some(version("2.99")));
        assert_eq!(newest_of(4096), Some(version("2.1")));
    }

    #[test]
    fn version_needs_running_past_their_table_end_at_the_file_end() {
        let mut whole = executable(None, &[("libc.so.6", &["GLIBC_2.34"])]);
        // The Verneed claims 65535 Vernaux, and its one says the next is 16 bytes on: the
        // dynamic entries, read as Vernaux that name nothing in the string table, until a zero
        // `vna_next` among them ends the chain.
        let verneed_at = whole.len() - 5 * 16 - 32;
        whole[verneed_at + 2..verneed_at + 4].copy_from_slice(&u16::MAX.to_le_bytes());
        whole[verneed_at + 16 + 12..verneed_at + 32].copy_from_slice(&16u32.to_le_bytes());
        assert_eq!(linkage(whole.clone()).glibc, Some(version("2.34")));
        // A name past the string table's end is not read.
        whole[verneed_at + 16 + 8..verneed_at + 16 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(linkage(whole).glibc, None);
    }

    /// `elf` with its program headers moved to its end, `stride` bytes apart (each padded or
    /// cut to that), and PT_NULL ones after them up to `count`, then 64 zero bytes.
    fn with_program_headers(elf: &[u8], stride: u16, count: u16) -> Vec<u8> {
        let mut out = elf.to_vec();
        let table = out.len() as u64;
        out[0x20..0x28].copy_from_slice(&table.to_le_bytes());
        out[0x36..0x38].copy_from_slice(&stride.to_le_bytes());
        out[0x38..0x3a].copy_from_slice(&count.to_le_bytes());
        for index in 0..usize::from(count) {
            let mut entry = vec![0u8; usize::from(stride)];
            if index < 3 {
                let header = &elf[64 + index * 56..64 + (index + 1) * 56];
                let kept = header.len().min(entry.len());
                entry[..kept].copy_from_slice(&header[..kept]);
            }
            out.extend(entry);
        }
        // Room after the table, so a reader taking more than the stride finds bytes there.
        out.extend([0u8; 64]);
        out
    }

    /// Program headers are read at the stride the header gives (at least an `Elf64_Phdr`'s 56
    /// bytes), up to 256 of them; a smaller stride or more headers is no executable read.
    #[test]
    fn program_headers_are_read_at_their_stride_up_to_a_bound() {
        let whole = executable(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &[("libc.so.6", &["GLIBC_2.34"])],
        );
        let all = linkage(whole.clone());
        assert_eq!(all.glibc, Some(version("2.34")));
        assert_eq!(linkage(with_program_headers(&whole, 56, 3)), all);
        assert_eq!(linkage(with_program_headers(&whole, 64, 3)), all);
        assert_eq!(linkage(with_program_headers(&whole, 56, 256)), all);
        let machine_only = Linkage {
            machine: Some(62),
            ..Linkage::default()
        };
        assert_eq!(linkage(with_program_headers(&whole, 56, 257)), machine_only);
        // Cut to 48 bytes each, the fields read (the first 40) are all there: refused for the
        // stride, not for what it cut.
        assert_eq!(linkage(with_program_headers(&whole, 48, 3)), machine_only);
    }

    /// The dynamic entries end at DT_NULL and at the end of their segment: what lies past
    /// either is not read, as the loader does not read it.
    #[test]
    fn dynamic_entries_end_at_dt_null_and_at_their_segment_end() {
        let whole = executable(None, &[("libc.so.6", &["GLIBC_2.34"])]);
        assert_eq!(linkage(whole.clone()).glibc, Some(version("2.34")));
        let dynamic_at = whole.len() - 5 * 16;
        // DT_NULL moved before DT_VERNEEDNUM.
        let mut null_first = whole.clone();
        null_first[dynamic_at + 3 * 16..].copy_from_slice(
            &[
                &whole[dynamic_at + 4 * 16..],
                &whole[dynamic_at + 3 * 16..dynamic_at + 4 * 16],
            ]
            .concat(),
        );
        assert_eq!(linkage(null_first).glibc, None);
        // PT_DYNAMIC (the third program header) ends before DT_VERNEEDNUM.
        let mut short = whole.clone();
        let size_at = 64 + 2 * 56 + 32;
        short[size_at..size_at + 8].copy_from_slice(&(3u64 * 16).to_le_bytes());
        assert_eq!(linkage(short).glibc, None);
    }

    /// A version name is read inside the string table only: one whose NUL lies past the
    /// table's end (DT_STRSZ) is no name.
    #[test]
    fn names_are_read_inside_the_string_table() {
        let whole = executable(None, &[("libc.so.6", &["GLIBC_2.34"])]);
        // DT_STRSZ, the second dynamic entry: the table is the names, GLIBC_2.34 last.
        let size_at = whole.len() - 5 * 16 + 16 + 8;
        let size = u64::from_le_bytes(whole[size_at..size_at + 8].try_into().unwrap());
        let mut cut = whole.clone();
        cut[size_at..size_at + 8].copy_from_slice(&(size - 1).to_le_bytes());
        assert_eq!(linkage(cut).glibc, None);
        assert_eq!(linkage(whole).glibc, Some(version("2.34")));
    }

    /// Addresses map through the PT_LOAD segment holding them, its end excluded: here the
    /// string table and version needs sit at the start of a second segment, whose addresses
    /// follow the first's end but whose bytes lie elsewhere in the file.
    #[test]
    fn addresses_map_through_the_segment_that_holds_them() {
        let whole = executable(None, &[("libc.so.6", &["GLIBC_2.34"])]);
        let dynamic_at = whole.len() - 5 * 16;
        let value_at = |entry: usize| dynamic_at + entry * 16 + 8;
        let read64 = |at: usize| u64::from_le_bytes(whole[at..at + 8].try_into().unwrap());
        let strings_at = read64(value_at(0)) - BASE;
        let verneed_at = read64(value_at(2)) - BASE;
        let mut split = whole.clone();
        let set = |bytes: &mut Vec<u8>, at: usize, value: u64| {
            bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
        };
        // The first PT_LOAD: the headers' first 100 bytes at BASE.
        set(&mut split, 64 + 32, 100);
        // The second (the static binary's PT_NULL slot): from the string table on, at BASE + 100.
        let second = 64 + 56;
        split[second..second + 4].copy_from_slice(&PT_LOAD.to_le_bytes());
        set(&mut split, second + 8, strings_at);
        set(&mut split, second + 16, BASE + 100);
        set(&mut split, second + 32, whole.len() as u64 - strings_at);
        set(&mut split, value_at(0), BASE + 100);
        set(
            &mut split,
            value_at(2),
            BASE + 100 + (verneed_at - strings_at),
        );
        assert_eq!(linkage(split).glibc, Some(version("2.34")));
    }

    /// Offsets and addresses near `u64::MAX` (the file's own words) neither overflow nor reach
    /// `lseek`, which would refuse them as an error: the file reads as needing nothing known.
    #[test]
    fn offsets_past_any_file_read_as_nothing_known() {
        let whole = executable(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &[("libc.so.6", &["GLIBC_2.34"])],
        );
        let dir = tempfile::tempdir().unwrap();
        let read_file = |bytes: &[u8]| {
            let path = dir.path().join("elf");
            std::fs::write(&path, bytes).unwrap();
            read(&mut std::fs::File::open(&path).unwrap()).unwrap()
        };
        let program_header = |index: usize| 64 + index * 56;
        // What each offset leads to is lost; the rest is still read.
        for (field, at, loader, glibc) in [
            ("the program headers' offset", 0x20, false, false),
            ("PT_INTERP's offset", program_header(1) + 8, false, true),
            ("PT_DYNAMIC's offset", program_header(2) + 8, true, false),
            // The string table and version needs, mapped through it.
            ("PT_LOAD's offset", program_header(0) + 8, true, false),
        ] {
            for huge in [u64::MAX, u64::MAX - 8, 1 << 63] {
                let mut bytes = whole.clone();
                bytes[at..at + 8].copy_from_slice(&huge.to_le_bytes());
                let found = read_file(&bytes);
                assert_eq!(found, linkage(bytes), "{field} {huge:#x}");
                assert_eq!(
                    (found.interpreter.is_some(), found.glibc.is_some()),
                    (loader, glibc),
                    "{field} {huge:#x}"
                );
            }
        }
        // A Verneed whose Vernaux lie past the file's end.
        let mut bytes = whole.clone();
        let verneed_at = bytes.len() - 5 * 16 - 32;
        bytes[verneed_at + 8..verneed_at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(read_file(&bytes).glibc, None);
    }

    /// The `elf` fuzz target's seeds (`fuzz/make_elf_seeds.py`, and a `hello` gcc linked on
    /// Debian 12) read as what they were made to need: a second writer of the layout, and a
    /// real linker's output.
    #[test]
    fn the_fuzz_seeds_read_as_made() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/elf");
        let glibc_loader = Some("/lib64/ld-linux-x86-64.so.2");
        for (seed, machine, loader, glibc) in [
            ("glibc-2.34-rust-like", 62, glibc_loader, Some("2.34")),
            ("glibc-2.39-one-library", 62, glibc_loader, Some("2.39")),
            ("glibc-2.2.5-oldest", 62, glibc_loader, Some("2.2.5")),
            (
                "aarch64-loader",
                62,
                Some("/lib/ld-linux-aarch64.so.1"),
                Some("2.17"),
            ),
            ("musl-loader", 62, Some("/lib/ld-musl-x86_64.so.1"), None),
            ("static", 62, None, None),
            ("no-glibc-names", 62, glibc_loader, None),
            ("chain-runs-on", 62, glibc_loader, Some("2.34")),
            ("cut-short", 62, glibc_loader, None),
            ("elf32-header", 62, None, None),
            ("big-endian-header", 0x3e00, None, None),
            ("real-gcc-hello-x86_64", 62, glibc_loader, Some("2.34")),
        ] {
            let mut file = std::fs::File::open(seeds.join(seed)).unwrap();
            assert_eq!(
                read(&mut file).unwrap(),
                Linkage {
                    machine: Some(machine),
                    interpreter: loader.map(Into::into),
                    glibc: glibc.map(version),
                },
                "{seed}"
            );
        }
    }

    /// The test binary itself, linked against glibc as every `*-linux-gnu` build is: a real
    /// linker's output, read the same way.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn reads_a_real_glibc_executable() {
        let mut file = std::fs::File::open(std::env::current_exe().unwrap()).unwrap();
        let found = read(&mut file).unwrap();
        let loader = found.interpreter.clone().unwrap();
        assert!(
            loader.starts_with("/lib") && loader.contains("ld-linux"),
            "{loader}"
        );
        // Every glibc since 2.34 gives `__libc_start_main` that version; 2.2.5 is the oldest
        // x86_64 one.
        assert!(found.glibc.unwrap() >= version("2.2.5"), "{found:?}");
    }
}
