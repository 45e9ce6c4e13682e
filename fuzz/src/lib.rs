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
//! - [`uri`]: credential redaction (`redact`, `secrets`, `scrub`) against what the fetch
//!   takes (`take_credentials`) and what the URI helpers name, on URIs as written and on URIs
//!   built around a given user and password.
//! - [`elf`]: `linkage::read` of an executable's loader and glibc versions, and the stack
//!   warning built from them.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};
use std::ffi::OsString;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use bpkit::archive::{ArchiveKind, ExtractOptions, extract_reader};
use bpkit::checksum::{Md5, Sha256};
use bpkit::fetch::Mirrors;
use bpkit::fetch::uri::{self, Credentials, REDACTED};
use bpkit::manifest::yaml::{self, Node, Scalar, ScalarType, Style, Value};
use bpkit::manifest::{Manifest, Report, Severity, validate};
use bpkit::packager::linkage::{self, GlibcVersion};
use bpkit::packager::stack_fit;
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

/// `scrub` replaces a secret shorter than this only where no letter or digit touches it (its
/// documentation); a secret at least this long goes wherever it stands.
const SHORT_SECRET: usize = 4;

/// What each `-redacted-` of a shown text is compared as, so that a secret which happens to be
/// part of that word (`edac`, `ted-x`) is not taken for one left showing.
const MASK: &str = "\0";

/// How `redact` writes a userinfo with a `:`.
const REDACTED_PAIR: &str = "-redacted-:-redacted-";

fn masked(text: &str) -> String {
    text.replace(REDACTED, MASK)
}

/// Bytes, if UTF-8, as lines: a URI as written, text around it (an error message quoting it),
/// then, optionally, a user, a password and a `scheme://host[:port][/path?query#fragment]`
/// to build URIs with those credentials in every form the code documents.
///
/// The URI as written ([`uri_as_written`]) and every built one: nothing panics, and
/// - `redact` is the URI with spans replaced by `-redacted-` (a userinfo with a `:` by
///   `-redacted-:-redacted-`), each span empty or one of the URI's `secrets`, the rest kept as
///   written; every secret lies in such a span (as written or percent-decoded); `redact` of
///   its own output changes nothing (for a URI with a `scheme://`);
/// - `scrub` of the text with the URI in it, by the URI's secrets, leaves none of four bytes
///   or more, and any secret standing alone goes whatever its length;
/// - the credentials the fetch takes (`take_credentials`) are the userinfo's, percent-decoded;
///   the userinfo and each piece between its `:`s (as written and decoded) are secrets, and
///   scrubbed where they stand alone;
/// - `basename` is a safe file name shown by `redact` too (unless the URI reads both ways,
///   `password_read_as_port`), `server_prefix` has no userinfo, `file_path` is absolute and
///   `file_uri` writes it back, a `download_problem` shows the URI only without secrets.
///
/// A built URI ([`uri_with_credentials`]) is also shown as `scheme://-redacted-:-redacted-@`
/// and the rest as `redact` shows the URI without credentials, its user and password (written
/// and decoded) are among its secrets, and the fetch takes them as given, where the code
/// promises so.
///
/// `redact` of its own output changes nothing only for a URI with a `scheme://`; see
/// [`uri_as_written`].
pub fn uri(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let written = lines.next().unwrap_or_default();
    let around = lines.next().unwrap_or_default();
    uri_as_written(written, around);
    if let (Some(user), Some(password), Some(server)) = (lines.next(), lines.next(), lines.next()) {
        uri_with_credentials(user, password, server, around);
    }
}

/// The checks on one URI as written (see [`uri`]).
fn uri_as_written(written: &str, around: &str) {
    let shown = uri::redact(written);
    let secrets = uri::secrets(written);
    let _ = (
        uri::scheme(written),
        uri::host_port(written),
        uri::password_read_as_port(written),
    );
    match Mirrors::parse(written) {
        Ok(mirrors) => {
            let _ = (format!("{mirrors:?}"), mirrors.apply(written));
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    // Not promised of text without a `scheme://`, which redaction reads widely: a URI-like
    // tail can become one once a userinfo before it is hidden (`hutp:0/http@s://@ho` shows as
    // `-redacted-:-redacted-@s://@ho`, whose "scheme" `-redacted-:-redacted-@s` has an empty
    // userinfo after it). Hiding more on a second pass shows nothing more.
    if uri::scheme(written).is_some() {
        assert_eq!(
            uri::redact(&shown),
            shown,
            "redact changes its own output\n--- input:\n{written}"
        );
    }
    hides_exactly_the_secrets(written, &shown, &secrets);
    scrubs(written, around, &secrets);
    fetch_credentials_are_secrets(written, &secrets);
    names(written, &shown, &secrets);
}

/// `shown` is `written` with spans replaced, each span empty or a secret, and every secret lies
/// in a replaced span (as written or percent-decoded).
fn hides_exactly_the_secrets(written: &str, shown: &str, secrets: &[String]) {
    let mut hidden = Vec::new();
    let aligned = align(
        shown.as_bytes(),
        written.as_bytes(),
        (0, 0),
        secrets,
        &mut HashSet::new(),
        &mut hidden,
    );
    assert!(
        aligned,
        "redact shows more than the URI without its secrets {secrets:?}\n--- input:\n{written}\n--- shown:\n{shown}"
    );
    for secret in secrets {
        let inside = hidden.iter().any(|span| {
            let text = &written.as_bytes()[span.clone()];
            contains(text, secret.as_bytes()) || percent_decoded(text).contains(secret.as_str())
        });
        assert!(
            inside,
            "the secret {secret:?} is not hidden by redact\n--- input:\n{written}\n--- shown:\n{shown}"
        );
    }
}

/// Whether `shown[i..]` is `written[j..]` with spans replaced by `-redacted-` (or
/// `-redacted-:-redacted-` for a span with a `:`), each span empty or one of `secrets`;
/// `hidden` gets the spans of `written` so replaced. Depth-first, `-redacted-:-redacted-`
/// before `-redacted-` before a `-redacted-` written in the URI; `failed` keeps the places
/// known not to align, so that no input takes exponential time.
fn align(
    shown: &[u8],
    written: &[u8],
    (mut i, mut j): (usize, usize),
    secrets: &[String],
    failed: &mut HashSet<(usize, usize)>,
    hidden: &mut Vec<Range<usize>>,
) -> bool {
    loop {
        if i == shown.len() && j == written.len() {
            return true;
        }
        if shown[i..].starts_with(REDACTED.as_bytes()) {
            break;
        }
        if i < shown.len() && j < written.len() && shown[i] == written[j] {
            i += 1;
            j += 1;
        } else {
            return false;
        }
    }
    if failed.contains(&(i, j)) {
        return false;
    }
    for (marker, with_colon) in [(REDACTED_PAIR, true), (REDACTED, false)] {
        if !shown[i..].starts_with(marker.as_bytes()) {
            continue;
        }
        for secret in secrets.iter().map(String::as_str).chain([""]) {
            if (with_colon && !secret.contains(':')) || !written[j..].starts_with(secret.as_bytes())
            {
                continue;
            }
            hidden.push(j..j + secret.len());
            let next = (i + marker.len(), j + secret.len());
            if align(shown, written, next, secrets, failed, hidden) {
                return true;
            }
            hidden.pop();
        }
    }
    let next = (i + REDACTED.len(), j + REDACTED.len());
    if written[j..].starts_with(REDACTED.as_bytes())
        && align(shown, written, next, secrets, failed, hidden)
    {
        return true;
    }
    failed.insert((i, j));
    false
}

fn contains(text: &[u8], part: &[u8]) -> bool {
    part.is_empty() || text.windows(part.len()).any(|w| w == part)
}

/// `%XX` decoded, the rest as it is, read as lossy UTF-8: how `secrets` decodes.
fn percent_decoded(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hex = |at: usize| text.get(at).and_then(|&b| char::from(b).to_digit(16));
        if let (b'%', Some(high), Some(low)) = (text[i], hex(i + 1), hex(i + 2)) {
            out.push(u8::try_from(high * 16 + low).unwrap_or_default());
            i += 3;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `scrub` of the URI inside `around` leaves no secret of `SHORT_SECRET` bytes or more; each
/// secret standing alone goes whatever its length; no secrets change nothing.
fn scrubs(written: &str, around: &str, secrets: &[String]) {
    let text = format!("{around}{written}{around}");
    assert_eq!(uri::scrub(&text, &[]), text, "scrub without secrets");
    let scrubbed = masked(&uri::scrub(&text, secrets));
    for secret in secrets.iter().filter(|s| !s.contains(MASK)) {
        if secret.len() >= SHORT_SECRET {
            assert!(
                !scrubbed.contains(secret.as_str()),
                "scrub leaves the secret {secret:?}\n--- input:\n{written}\n--- around:\n{around}\n--- scrubbed:\n{scrubbed:?}"
            );
        }
        alone_is_scrubbed(secret, secrets, written);
    }
}

/// `what`, standing alone (between spaces), is scrubbed by `secrets` of `written`.
fn alone_is_scrubbed(what: &str, secrets: &[String], written: &str) {
    if what.is_empty() || what.contains(MASK) {
        return;
    }
    let scrubbed = masked(&uri::scrub(&format!(" {what} "), secrets));
    assert!(
        !scrubbed.contains(what),
        "scrub leaves {what:?} standing alone ({scrubbed:?}), secrets {secrets:?}\n--- input:\n{written}"
    );
}

/// What `take_credentials` takes out is the URI's userinfo, a secret, whose user and password
/// are the userinfo's, percent-decoded; each piece between its `:`s (as written and decoded)
/// is a secret too, scrubbed where it stands alone; without credentials the URI is left as it
/// is.
fn fetch_credentials_are_secrets(written: &str, secrets: &[String]) {
    let (stripped, credentials) = uri::take_credentials(written);
    let Some(credentials) = credentials else {
        assert_eq!(
            stripped, written,
            "no credentials taken, yet the URI changed"
        );
        return;
    };
    let host_start = stripped.find("://").expect("a stripped URI has its scheme") + 3;
    let tail = &stripped[host_start..];
    let at = written.len().checked_sub(tail.len() + 1);
    let Some(userinfo) = at
        .filter(|&at| {
            at >= host_start
                && written.starts_with(&stripped[..host_start])
                && written.ends_with(tail)
                && written.as_bytes()[at] == b'@'
        })
        .map(|at| &written[host_start..at])
    else {
        panic!(
            "take_credentials did not just take out a userinfo: {stripped:?}\n--- input:\n{written}"
        );
    };
    assert!(
        userinfo.is_empty() || secrets.iter().any(|s| s == userinfo),
        "the fetch's userinfo {userinfo:?} is not among the secrets {secrets:?}\n--- input:\n{written}"
    );
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    assert_eq!(
        (
            percent_decoded(user.as_bytes()),
            percent_decoded(password.as_bytes())
        ),
        (credentials.user.clone(), credentials.password.clone()),
        "the credentials are not the userinfo's, percent-decoded\n--- input:\n{written}"
    );
    // A password of `:`s alone (`user::`) is no secret of its own: its pieces are empty.
    for piece in userinfo.split(':') {
        let decoded = percent_decoded(piece.as_bytes());
        for what in [piece, decoded.as_str()] {
            assert!(
                what.is_empty() || secrets.iter().any(|s| s == what),
                "{what:?} of the fetch's userinfo is not among the secrets {secrets:?}\n--- input:\n{written}"
            );
            alone_is_scrubbed(what, secrets, written);
        }
    }
}

/// What the URI helpers name: a `basename` that is a safe file name and, unless the URI reads
/// both ways, one `redact` shows too (the control characters and `\\` it replaces aside); a
/// `server_prefix` without a userinfo; a `file_path` that is absolute, of a `file://` URI, and
/// that `file_uri` writes back; a `download_problem` that shows the URI only when it has no
/// secrets; a lowercase `host_port` host.
fn names(written: &str, shown: &str, secrets: &[String]) {
    let name = uri::basename(written);
    let safe = |c: char| if c.is_control() || c == '\\' { '_' } else { c };
    assert!(
        !matches!(name.as_str(), "" | "." | "..")
            && !name.contains(['/', '\\'])
            && !name.chars().any(char::is_control),
        "basename {name:?} is no safe file name\n--- input:\n{written}"
    );
    let shown_safe: String = shown.chars().map(safe).collect();
    assert!(
        name == "download" || shown_safe.contains(&name),
        "basename {name:?} is not what redact shows ({shown})\n--- input:\n{written}"
    );
    if let Some(prefix) = uri::server_prefix(written) {
        let authority = prefix.split_once("://").map_or("", |(_, a)| a);
        assert!(
            !authority.contains('@') && prefix.ends_with('/'),
            "server_prefix {prefix:?} has a userinfo\n--- input:\n{written}"
        );
    }
    if let Some(path) = uri::file_path(written) {
        assert!(
            path.is_absolute(),
            "file_path {} is relative",
            path.display()
        );
        assert_eq!(uri::scheme(written).as_deref(), Some("file"));
        assert_eq!(
            uri::file_path(&uri::file_uri(&path)).as_ref(),
            Some(&path),
            "file_uri does not write back the path of {written:?}"
        );
    }
    if let Some(problem) = uri::download_problem(written) {
        assert!(
            secrets.is_empty() || !problem.contains(&format!("file://{written}")),
            "download_problem shows the URI with its secrets: {problem}"
        );
    }
    if let Some((host, _)) = uri::host_port(written) {
        assert_eq!(host, host.to_ascii_lowercase(), "host_port's host");
    }
}

/// How a built URI writes its user and password.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Written {
    /// Percent-encoded but for RFC 3986's unreserved characters and sub-delimiters (and `:` in
    /// the password), as a URI must write them.
    Encoded,
    /// As `Encoded`, with each `@` raw: "the last `@` ends the userinfo".
    RawAt,
    /// As `Encoded`, with each `/`, `?` and `#` of the password raw ("a password holding a raw
    /// `/`, `?` or `#` … is still taken as one").
    RawDelimiters,
}

/// `text` percent-encoded as `written` writes a user (`password: false`) or password.
fn userinfo_text(text: &str, written: Written, password: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let c = char::from(byte);
        let raw = byte.is_ascii_alphanumeric()
            || "-._~!$&'()*+,;=".contains(c)
            || (password && c == ':')
            || (written == Written::RawAt && c == '@')
            || (written == Written::RawDelimiters && password && "/?#".contains(c));
        if raw && byte.is_ascii() {
            out.push(c);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A host as a URI writes it (a name of letters, digits, `-._~`, or an IPv6 address in
/// brackets), then an optional port of digits.
fn is_host_port(text: &str) -> bool {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let Some((address, port)) = rest.split_once(']') else {
            return false;
        };
        if address.is_empty()
            || !address
                .chars()
                .all(|c| c.is_ascii_hexdigit() || ":.".contains(c))
        {
            return false;
        }
        (None, port)
    } else {
        match text.find(':') {
            Some(colon) => (Some(&text[..colon]), &text[colon..]),
            None => (Some(text), ""),
        }
    };
    let name_ok = host.is_none_or(|h| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    });
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    name_ok && port_ok
}

/// What `parts.rs`'s `is_version` documents: dotted, its last part starting with a digit, not
/// an IPv4 address (a port after a `:` aside). An `@` before such a "host" is a version's.
fn is_version(host_port: &str) -> bool {
    let host = match host_port.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host_port,
    };
    let labels: Vec<&str> = host.split('.').collect();
    let ipv4 = labels.len() == 4
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
    labels.len() > 1
        && labels
            .last()
            .and_then(|l| l.bytes().next())
            .is_some_and(|b| b.is_ascii_digit())
        && !ipv4
}

/// The checks on URIs built from a user, a password and a server (see [`uri`]).
fn uri_with_credentials(user: &str, password: &str, server: &str, around: &str) {
    let Some((scheme, rest)) = server.split_once("://") else {
        return;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    let host_port = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if !scheme_ok || !is_host_port(host_port) {
        return;
    }
    let plain = uri::redact(server);
    // The rest as `redact` shows it without credentials, unless it reads one there by itself
    // (`https://host:8080/pkg@latest/x.tgz`).
    let plain_rest = plain
        .strip_prefix(&format!("{scheme}://"))
        .filter(|r| r.starts_with(host_port));
    for written in [Written::Encoded, Written::RawAt, Written::RawDelimiters] {
        let u = userinfo_text(user, written, false);
        let p = userinfo_text(password, written, true);
        if written != Written::Encoded
            && u == userinfo_text(user, Written::Encoded, false)
            && p == userinfo_text(password, Written::Encoded, true)
        {
            continue;
        }
        // Whether the fetch takes them as credentials (else: as host and port).
        let mut taken = true;
        if written == Written::RawDelimiters {
            let cut = p.find(['/', '?', '#']).unwrap_or(p.len());
            let before = format!("{u}:{}", &p[..cut]);
            let port = before.rsplit_once(':').map_or("", |(_, port)| port);
            if port.bytes().all(|b| b.is_ascii_digit()) {
                // A password of digits up to its `/`: redaction reads it so unless the `@`
                // starts a path segment, follows a `=` or `&`, or a version follows it.
                let between = &p[cut..];
                if between.ends_with('/') || between.contains(['=', '&']) || is_version(host_port) {
                    continue;
                }
                taken = false;
            }
        }
        let built = format!("{scheme}://{u}:{p}@{rest}");
        check_built(&built, plain_rest.map(|r| (REDACTED_PAIR, r)), around);
        let wanted = Credentials {
            user: user.to_string(),
            password: password.to_string(),
        };
        takes(
            &built,
            taken.then(|| (wanted, format!("{scheme}://{rest}"))),
        );
        covers(&built, &[user, password, &u, &p]);
        if !user.is_empty() && written != Written::RawDelimiters {
            let built = format!("{scheme}://{u}@{rest}");
            check_built(&built, plain_rest.map(|r| (REDACTED, r)), around);
            let wanted = Credentials {
                user: user.to_string(),
                password: String::new(),
            };
            takes(&built, Some((wanted, format!("{scheme}://{rest}"))));
            covers(&built, &[user, &u]);
        }
    }
}

/// A built URI passes the checks of one as written, and is shown as
/// `scheme://-redacted-(:-redacted-)@` and the rest as without credentials.
fn check_built(built: &str, expected: Option<(&str, &str)>, around: &str) {
    uri_as_written(built, around);
    if let Some((userinfo, rest)) = expected {
        let scheme = &built[..built.find("://").unwrap_or_default()];
        assert_eq!(
            uri::redact(built),
            format!("{scheme}://{userinfo}@{rest}"),
            "the userinfo is not redacted whole\n--- built:\n{built}"
        );
    }
}

/// The fetch takes `wanted` out of `built`, leaving that URI, or (`None`) no credentials.
fn takes(built: &str, wanted: Option<(Credentials, String)>) {
    let (stripped, credentials) = uri::take_credentials(built);
    match wanted {
        Some((credentials_wanted, stripped_wanted)) => {
            assert_eq!(
                (
                    stripped,
                    credentials.as_ref().map(|c| (&c.user, &c.password))
                ),
                (
                    stripped_wanted,
                    Some((&credentials_wanted.user, &credentials_wanted.password))
                ),
                "the fetch does not take the credentials written\n--- built:\n{built}"
            );
        }
        None => assert!(
            credentials.is_none(),
            "the fetch takes credentials from a URI it reads as host and port\n--- built:\n{built}"
        ),
    }
}

/// Each of `parts` (a user or password, written or decoded) is among the secrets of `built`,
/// or each piece of it between `:`s is.
fn covers(built: &str, parts: &[&str]) {
    let secrets = uri::secrets(built);
    let known = |s: &str| s.is_empty() || secrets.iter().any(|x| x == s);
    for part in parts {
        assert!(
            known(part) || part.split(':').all(known),
            "{part:?} is not among the secrets {secrets:?}\n--- built:\n{built}"
        );
    }
}

/// Bytes as an executable (what `bpkit package` and `bpkit verify` read of `bin/bpkit`, which
/// a crafted zip chooses): `linkage::read` never fails on bytes in memory (only a read can),
/// never panics or loops, reads them the same twice, finds a glibc version only as one that
/// `GLIBC_<it>` names again, and the stack warning is built from whatever it found.
pub fn elf(data: &[u8]) {
    let read = || linkage::read(&mut std::io::Cursor::new(data));
    let found = read().expect("reading bytes in memory failed");
    assert_eq!(
        read().ok().as_ref(),
        Some(&found),
        "two reads of the same bytes differ"
    );
    if let Some(version) = found.glibc {
        assert_eq!(
            GlibcVersion::from_symbol_version(&format!("GLIBC_{version}")),
            Some(version),
            "the version found does not name itself again"
        );
    }
    if let Some(loader) = &found.interpreter {
        assert!(!loader.contains('\0'), "a loader name holding a NUL");
    }
    let stacks = stack_fit::KNOWN_STACKS.map(|known| known.name);
    if let Some(warning) = stack_fit::warning(&found, "bin/bpkit", &stacks) {
        assert!(
            !warning.contains('\n'),
            "a warning of more than one line: {warning}"
        );
    }
}
