//! What the fuzz targets check (quality.md, "No panics on any input"), one function per target.
//! Each takes the fuzzer's bytes and panics, with a message saying which property failed, on
//! a panic inside bpkit or a broken property; libFuzzer records the input as a crash.
//!
//! This file is the whole of the checks, with no libFuzzer in it: the fuzz targets
//! (`fuzz_targets/*.rs`) call it, and the root crate's `tests/fuzz_corpus.rs` compiles it as a
//! module (`#[path]`) to replay the committed seeds and regressions on stable Rust, so
//! `cargo test` exercises every committed input through the same checks.
//!
//! - [`manifest`]: `Manifest::parse` + `validate_on`, the `yaml::emit` round trip, and the
//!   same text applied as an earlier buildpack's `override.yml`.
//! - [`version`]: `Version::parse`, `Constraint::parse` / `matches`, `compare` as a total
//!   order, and the checksum hex parsers.
//! - [`archive`]: `extract_reader` for every archive kind, and nothing written outside.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use bpkit::archive::{ArchiveKind, ExtractOptions, extract_reader};
use bpkit::checksum::{Md5, Sha256};
use bpkit::manifest::yaml::{self, Node, Scalar, ScalarType, Style, Value};
use bpkit::manifest::{Manifest, Report, Severity, validate};
use bpkit::version::{self, Constraint, Version};

/// The date validation runs as of, pinned so that a run never depends on the day.
const TODAY: (i32, u32, u32) = (2026, 1, 1);

/// Bytes, if UTF-8, as a manifest: parsing and validating never panic, and for any text that
/// parses, the tree written by `yaml::emit` parses again to the same data and loads to the
/// same findings (the packager writes manifests back this way).
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("manifest.yml");
    as_override(text);
    let (manifest, report) = match Manifest::parse(text, path) {
        Ok(parsed) => parsed,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    let report = validated(&manifest, report);
    for diagnostic in &report.diagnostics {
        let _ = diagnostic.to_string();
    }
    let _ = (
        manifest.stacks(),
        manifest.display_name(),
        manifest.supports_stack("cflinuxfs4"),
    );
    for default in &manifest.default_versions {
        let _ = manifest.resolve_default(&default.name, None);
    }
    let tree = manifest
        .tree
        .as_ref()
        .expect("a parsed manifest keeps its tree");
    round_trip(text, tree, &report);
}

/// The text as an `override.yml` for a buildpack whose `language` is `x` (so that an input
/// with an `x:` key applies): applying it never panics; when it applies, every default it
/// names is the manifest's default for that name, and every dependency it adds is there;
/// when it fails, the manifest is left as it was.
fn as_override(text: &str) {
    let mut manifest = Manifest {
        language: Some("x".into()),
        ..Manifest::default()
    };
    match manifest.apply_override(text, Path::new("override.yml")) {
        Ok(applied) => {
            for name in &applied.defaults {
                assert!(
                    manifest.default_versions.iter().any(|d| &d.name == name),
                    "the override's default for {name} is not in the manifest\n--- input:\n{text}"
                );
            }
            for label in &applied.added {
                assert!(
                    manifest.dependencies.iter().any(|d| &d.label() == label),
                    "the override's {label} is not in the manifest\n--- input:\n{text}"
                );
            }
        }
        Err(error) => {
            let _ = error.to_string();
            assert!(
                manifest.default_versions.is_empty() && manifest.dependencies.is_empty(),
                "a refused override changed the manifest\n--- input:\n{text}"
            );
        }
    }
}

fn validated(manifest: &Manifest, mut report: Report) -> Report {
    validate::validate_on(manifest, &mut report, TODAY);
    report
}

/// `emit` then `parse` gives the same data, emitting again gives the same text, and the
/// written manifest loads with the same findings.
fn round_trip(text: &str, tree: &Node, report: &Report) {
    let emitted = yaml::emit(tree);
    let again = yaml::parse(&emitted).unwrap_or_else(|e| {
        panic!(
            "emit wrote YAML that does not parse ({e})\n--- input:\n{text}\n--- emitted:\n{emitted}"
        )
    });
    same_data(tree, &again, "$");
    let twice = yaml::emit(&again);
    assert_eq!(
        twice, emitted,
        "emitting the re-parsed tree changed the text\n--- input:\n{text}"
    );
    let (manifest, second) = Manifest::parse(&emitted, Path::new("manifest.yml"))
        .unwrap_or_else(|e| panic!("the emitted manifest does not load: {e}"));
    let second = validated(&manifest, second);
    assert_eq!(
        findings(report),
        findings(&second),
        "the emitted manifest validates differently\n--- input:\n{text}\n--- emitted:\n{emitted}"
    );
}

/// Diagnostics without their positions (which an emitted copy cannot keep), sorted: validate
/// lists them in the file's order, which an emitted copy may change (a flow mapping written
/// as a block moves its keys to other lines).
fn findings(report: &Report) -> Vec<(Severity, &str, &str)> {
    let mut findings: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.key_path.as_str(), d.message.as_str()))
        .collect();
    findings.sort_unstable();
    findings
}

/// The same data: the same structure, key order and scalar texts, and each scalar resolving
/// to the same type (`1.10` stays a number, `'6.1'` a string). Positions are ignored, and a
/// scalar's style may change only as `emit` documents it; see [`style_may_become`].
fn same_data(a: &Node, b: &Node, path: &str) {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => {
            assert_eq!(x.text, y.text, "{path}: the scalar's text changed");
            assert_eq!(
                x.resolved_type(),
                y.resolved_type(),
                "{path}: `{}` changed type",
                x.text
            );
            assert!(
                style_may_become(x, y.style),
                "{path}: `{}` went from {:?} to {:?}",
                x.text,
                x.style,
                y.style
            );
        }
        (Value::Sequence(xs), Value::Sequence(ys)) => {
            assert_eq!(xs.len(), ys.len(), "{path}: the list changed length");
            for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                same_data(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Mapping(xs), Value::Mapping(ys)) => {
            assert_eq!(xs.len(), ys.len(), "{path}: the mapping changed size");
            for ((kx, vx), (ky, vy)) in xs.iter().zip(ys) {
                let key_path = format!("{path}.{}", kx.key_text());
                same_data(kx, ky, &format!("{key_path} (key)"));
                same_data(vx, vy, &key_path);
            }
        }
        _ => panic!("{path}: {} became {}", a.kind_name(), b.kind_name()),
    }
}

/// The normalisation `emit` may apply to a scalar's style. The text never changes; a style is
/// changed only where the original cannot be written back on the emitter's terms:
/// - a plain scalar that cannot be written plain on one line in block context (a multi-line
///   one, or one saphyr accepted in flow context that YAML does not allow, such as
///   `{>x: 1}`) is written double-quoted; it resolves to a string either way, so its type
///   holds (that is asserted separately);
/// - single-quoted text with a line break is written double-quoted (a multi-line
///   single-quoted scalar folds its breaks, so it cannot hold them as written);
/// - a folded block scalar is written as a literal block with the same text;
/// - a block scalar whose text a literal block cannot hold exactly (no final line break,
///   trailing blank lines, leading spaces or blank lines), or that is a key, is written
///   double-quoted.
fn style_may_become(scalar: &Scalar, to: Style) -> bool {
    let multi_line = scalar.text.contains('\n');
    scalar.style == to
        || match (scalar.style, to) {
            (Style::Plain, Style::DoubleQuoted) => scalar.resolved_type() == ScalarType::Str,
            (Style::SingleQuoted, Style::DoubleQuoted) => multi_line,
            (Style::Folded, Style::Literal)
            | (Style::Literal | Style::Folded, Style::DoubleQuoted) => true,
            _ => false,
        }
}

/// Bytes as lossy UTF-8, split into up to four lines. Each line, alone: `Version::parse`,
/// `Constraint::parse` (and, when it parses, `matches` against every line, re-parsing its own
/// text to the same constraint, and `highest_matching`), `Sha256::parse` and `Md5::parse`
/// (hex that parses prints back to itself). Across lines: `compare` is a strict total order
/// (antisymmetric, `Equal` only for identical strings, transitive on every triple).
pub fn version(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.split('\n').take(4).collect();
    for line in &lines {
        if let Some(v) = Version::parse(line) {
            assert_eq!(
                v.cmp(&v),
                Ordering::Equal,
                "{line:?} is not equal to itself"
            );
        }
        checksums(line);
        let Ok(constraint) = Constraint::parse(line) else {
            continue;
        };
        assert_eq!(constraint.to_string(), constraint.as_str());
        assert!(
            constraint.matches(constraint.as_str()),
            "{line:?} does not match its own text"
        );
        assert_eq!(
            Constraint::parse(constraint.as_str()).as_ref(),
            Ok(&constraint),
            "{line:?} reads differently from its own text"
        );
        let matching: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|v| constraint.matches(v))
            .collect();
        let highest = version::highest_matching(&constraint, lines.iter().copied());
        match highest {
            None => assert!(matching.is_empty(), "{line:?}: no highest of {matching:?}"),
            Some(best) => {
                assert!(
                    matching.contains(&best),
                    "{line:?}: {best:?} does not match"
                );
                for v in &matching {
                    assert_ne!(version::compare(v, best), Ordering::Greater);
                }
            }
        }
    }
    let _ = version::highest(lines.iter().copied());
    for a in &lines {
        for b in &lines {
            let ab = version::compare(a, b);
            assert_eq!(ab, version::compare(b, a).reverse(), "{a:?} vs {b:?}");
            assert_eq!(ab == Ordering::Equal, a == b, "{a:?} vs {b:?}: {ab:?}");
            for c in &lines {
                if ab != Ordering::Greater && version::compare(b, c) != Ordering::Greater {
                    assert_ne!(
                        version::compare(a, c),
                        Ordering::Greater,
                        "{a:?} <= {b:?} <= {c:?} but {a:?} > {c:?}"
                    );
                }
            }
        }
    }
}

fn checksums(text: &str) {
    if let Ok(sha256) = Sha256::parse(text) {
        assert_eq!(Sha256::parse(&sha256.hex()), Ok(sha256));
        assert!(text.trim().eq_ignore_ascii_case(&sha256.hex()));
    }
    if let Ok(md5) = Md5::parse(text) {
        assert_eq!(Md5::parse(&md5.hex()), Ok(md5));
        assert!(text.trim().eq_ignore_ascii_case(&md5.hex()));
    }
}

/// The kinds `archive` extracts every input as (plain files and scripts are copied, not
/// parsed, so there is nothing to fuzz).
pub const ARCHIVE_KINDS: [ArchiveKind; 5] = [
    ArchiveKind::Tar,
    ArchiveKind::TarGz,
    ArchiveKind::TarXz,
    ArchiveKind::TarBz2,
    ArchiveKind::Zip,
];

const SENTINEL_TEXT: &[u8] = b"outside the target: must stay as it is\n";

/// Bytes as each archive kind, extracted with `extract_reader` into `target/` of a fresh
/// folder that also holds `sentinel/keep.txt`. Whatever the outcome: the folder still holds
/// exactly `sentinel` and `target`, the sentinel is untouched, and inside the target there are
/// only files, folders and symbolic links, every file with one link (hard links are copies),
/// no file or folder with a setuid, setgid or sticky bit, every link relative and, where it
/// resolves, resolving inside the target. Inputs of odd length are extracted with
/// `strip_components: 1` (links then climb from one level higher), so that path is fuzzed too
/// at no extra cost.
pub fn archive(data: &[u8]) {
    let scene = tempfile::Builder::new()
        .prefix("bpkit-fuzz-")
        .tempdir()
        .expect("cannot create a temporary folder");
    let sentinel = scene.path().join("sentinel");
    fs::create_dir(&sentinel).expect("cannot create the sentinel folder");
    fs::write(sentinel.join("keep.txt"), SENTINEL_TEXT).expect("cannot write the sentinel");
    let target = scene.path().join("target");
    for kind in ARCHIVE_KINDS {
        let options = ExtractOptions {
            strip_components: data.len() % 2,
            file_name: Some(OsString::from("fuzz-input")),
        };
        if let Err(error) = extract_reader(kind, data, &target, &options) {
            let _ = error.to_string();
        }
        assert_eq!(
            listing(scene.path()),
            ["sentinel", "target"],
            "{kind}: something was written next to the target"
        );
        assert_eq!(
            listing(&sentinel),
            ["keep.txt"],
            "{kind}: the sentinel folder changed"
        );
        let keep = sentinel.join("keep.txt");
        assert!(
            fs::symlink_metadata(&keep).is_ok_and(|m| m.file_type().is_file()),
            "{kind}: the sentinel file was replaced"
        );
        assert_eq!(
            fs::read(&keep).ok().as_deref(),
            Some(SENTINEL_TEXT),
            "{kind}: the sentinel file changed"
        );
        check_tree(&target, kind);
        fs::remove_dir_all(&target).expect("cannot clean the target");
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let names: BTreeSet<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("cannot read a folder entry");
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    names.into_iter().collect()
}

fn check_tree(target: &Path, kind: ArchiveKind) {
    use std::os::unix::fs::MetadataExt;
    let root = fs::canonicalize(target).expect("the target folder exists");
    let mut pending: Vec<PathBuf> = vec![target.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("cannot list an extracted folder") {
            let path = entry.expect("cannot read a folder entry").path();
            let meta = fs::symlink_metadata(&path).expect("cannot stat an extracted entry");
            let file_type = meta.file_type();
            if file_type.is_dir() || file_type.is_file() {
                assert_eq!(
                    meta.mode() & 0o7000,
                    0,
                    "{kind}: {} kept a setuid, setgid or sticky bit",
                    path.display()
                );
            }
            if file_type.is_dir() {
                pending.push(path);
            } else if file_type.is_file() {
                assert_eq!(
                    meta.nlink(),
                    1,
                    "{kind}: {} is a hard link (they must be copies)",
                    path.display()
                );
            } else if file_type.is_symlink() {
                let link = fs::read_link(&path).expect("cannot read an extracted link");
                assert!(
                    link.is_relative(),
                    "{kind}: {} -> {} is absolute",
                    path.display(),
                    link.display()
                );
                if let Ok(resolved) = fs::canonicalize(&path) {
                    assert!(
                        resolved.starts_with(&root),
                        "{kind}: {} -> {} resolves to {}, outside the target",
                        path.display(),
                        link.display(),
                        resolved.display()
                    );
                }
            } else {
                panic!("{kind}: {} is not a file, folder or link", path.display());
            }
        }
    }
}
