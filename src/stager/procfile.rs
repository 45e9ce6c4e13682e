//! Process types, from the three places the builder reads them, read as its YAML library
//! (yaml.v2) reads them:
//! - release's stdout: only `default_process_types` (a map of type → command) is used;
//! - `DEPS_DIR/<i>/launch.yml` of supply buildpacks: `processes: [{type, command,
//!   platforms: {cloudfoundry: {sidecar_for: […]}}}]`;
//! - the app's `Procfile`: a YAML map of type → command.
//!
//! [`merge`] is the builder's `MergeProcesses`: a later source replaces a type in place and
//! appends new types. A scalar of any kind becomes its source text (`web: 1.10` is "1.10"), a
//! null is the empty string and a `!!binary` scalar its base64-decoded bytes, as yaml.v2
//! decodes into `map[string]string`.

use crate::manifest::yaml::{self, Node, SyntaxError, Value};

/// Why a YAML text is not process types, in yaml.v2's words (the builder's messages embed
/// them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcfileError {
    /// Not YAML. The syntax error is kept but not as a `source()`: its position and message
    /// are this message, in yaml.v2's wording (`yaml: line 2: …`) rather than bpkit's.
    #[error("yaml: line {}: {}", .0.position.line, .0.message)]
    Syntax(SyntaxError),
    /// Not UTF-8, which the YAML reader refuses before parsing (`yaml: invalid leading UTF-8
    /// octet`), in libyaml's words for the bytes found.
    #[error("yaml: {0}")]
    NotUtf8(&'static str),
    /// A `!!binary` scalar whose text is not base64, which yaml.v2 refuses while decoding it
    /// into a Go string (the whole `Unmarshal` fails, as a syntax error would).
    #[error("yaml: {0}")]
    InvalidBinary(yaml::InvalidBinary),
    /// YAML of the wrong shape, in yaml.v2's words for it (`yaml: unmarshal errors: line 3:
    /// cannot unmarshal !!int `5` into buildpackapplifecycle.ProcessTypes`), on one line where
    /// Go starts a new one, indented, after `errors:`.
    #[error("yaml: unmarshal errors: line {line}: cannot unmarshal {tag}{value} into {target}")]
    CannotUnmarshal {
        line: usize,
        /// The YAML tag found, as Go shortens it (`!!str`, `!!int`, `!!seq`, `!!map`).
        tag: String,
        /// For a scalar, its text in backquotes after a space (cut to 7 bytes and `...` past
        /// 10, as Go cuts it); empty for a list or a mapping.
        value: String,
        /// The Go type expected (`map[string]string`, `buildpackrunner.Release`).
        target: &'static str,
    },
}

/// One process type (or sidecar) of the droplet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub kind: String,
    pub command: String,
    /// Non-empty for a sidecar: the process types it runs beside.
    pub sidecar_for: Vec<String>,
}

impl Process {
    pub fn new(kind: impl Into<String>, command: impl Into<String>) -> Self {
        Process {
            kind: kind.into(),
            command: command.into(),
            sidecar_for: Vec::new(),
        }
    }
}

/// The builder's `MergeProcesses(a, b)`: every process of `b` replaces the one of `a` with the
/// same type, or is appended. Only `a`'s own entries are replaced (Go ranges over the slice as
/// it was passed in), so a type listed twice in `b` and not in `a` is appended twice, as a
/// `launch.yml` listing `web` twice gives two `web` entries in `result.json`'s `processes`.
pub fn merge(mut a: Vec<Process>, b: Vec<Process>) -> Vec<Process> {
    let original = a.len();
    for process in b {
        let mut replaced = false;
        for existing in &mut a[..original] {
            if existing.kind == process.kind {
                *existing = process.clone();
                replaced = true;
            }
        }
        if !replaced {
            a.push(process);
        }
    }
    a
}

/// Processes from a type → command map. Go builds them from a map, in random order; bpkit
/// uses the order of the types' names, which is one of Go's possible orders and repeatable.
pub fn from_map(mut map: Vec<(String, String)>) -> Vec<Process> {
    map.sort_by(|a, b| a.0.cmp(&b.0));
    map.into_iter().map(|(k, v)| Process::new(k, v)).collect()
}

/// The most of a YAML document a buildpack hands over in a file (the Procfile in the build
/// dir, `launch.yml`, `config.yml`) that is read: each is a few lines.
pub const DOCUMENT_LIMIT: u64 = 4 * 1024 * 1024;

/// The bytes of such a document, read as a regular file without waiting, up to
/// [`DOCUMENT_LIMIT`] (`FileTooLarge` past it). A buildpack can leave a fifo there, which a
/// plain read waited on for ever (the staging deadline and SIGTERM included), or a link to
/// `/dev/zero`, which read until memory ran out.
pub fn read_document(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    crate::regular_file::read_limited(path, DOCUMENT_LIMIT)
}

/// [`read_document`] as UTF-8 text (`InvalidData` when it is not).
pub fn read_document_text(path: &std::path::Path) -> std::io::Result<String> {
    String::from_utf8(read_document(path)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// `bytes` as text, or the YAML reader's refusal: Go reads the Procfile and release's output
/// as bytes and its YAML library refuses invalid UTF-8, so the staging fails there (a lossy
/// conversion would let it pass here).
pub fn utf8(bytes: &[u8]) -> Result<&str, ProcfileError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
        ProcfileError::NotUtf8(match e.error_len() {
            None => "incomplete UTF-8 octet sequence",
            // A byte that may start a sequence, followed by one that may not continue it.
            Some(_) if (0xC2..=0xF4).contains(&at) => "invalid trailing UTF-8 octet",
            Some(_) => "invalid leading UTF-8 octet",
        })
    })
}

/// release's YAML: its `default_process_types`.
pub fn parse_release(text: &str) -> Result<Vec<(String, String)>, ProcfileError> {
    let root = parse_document(text)?;
    match &root.value {
        _ if root.is_null() => Ok(Vec::new()),
        Value::Mapping(_) => match root.get("default_process_types") {
            None => Ok(Vec::new()),
            Some(node) => string_map(node, "buildpackapplifecycle.ProcessTypes"),
        },
        _ => Err(type_error(&root, "buildpackrunner.Release")),
    }
}

/// A `Procfile`: a map of type → command.
pub fn parse_procfile(text: &str) -> Result<Vec<(String, String)>, ProcfileError> {
    string_map(&parse_document(text)?, "map[string]string")
}

/// A supply buildpack's `launch.yml`.
pub fn parse_launch_yml(text: &str) -> Result<Vec<Process>, ProcfileError> {
    let root = parse_document(text)?;
    if root.is_null() {
        return Ok(Vec::new());
    }
    let Value::Mapping(_) = &root.value else {
        return Err(type_error(&root, "resources.LaunchData"));
    };
    let Some(list) = root.get("processes") else {
        return Ok(Vec::new());
    };
    if list.is_null() {
        return Ok(Vec::new());
    }
    let Value::Sequence(items) = &list.value else {
        return Err(type_error(list, "[]resources.Process"));
    };
    let mut processes = Vec::new();
    for item in items {
        if item.is_null() {
            processes.push(Process::new("", ""));
            continue;
        }
        let Value::Mapping(_) = &item.value else {
            return Err(type_error(item, "resources.Process"));
        };
        let field = |name: &str| -> Result<String, ProcfileError> {
            item.get(name).map_or(Ok(String::new()), scalar_text)
        };
        let mut process = Process::new(field("type")?, field("command")?);
        if let Some(targets) = item
            .get("platforms")
            .and_then(|p| p.get("cloudfoundry"))
            .and_then(|c| c.get("sidecar_for"))
        {
            match &targets.value {
                Value::Sequence(list) => {
                    for target in list {
                        process.sidecar_for.push(scalar_text(target)?);
                    }
                }
                _ if targets.is_null() => {}
                _ => return Err(type_error(targets, "[]string")),
            }
        }
        processes.push(process);
    }
    Ok(processes)
}

/// Read as the builder's `yaml.Unmarshal` reads: a repeated type is no error (the later one
/// wins) and only the first document counts, so a release or Procfile the platform accepts
/// is accepted here too.
fn parse_document(text: &str) -> Result<Node, ProcfileError> {
    yaml::parse_as_go_unmarshal(text).map_err(ProcfileError::Syntax)
}

/// A map of strings; `target` is its Go type, for the error.
fn string_map(node: &Node, target: &'static str) -> Result<Vec<(String, String)>, ProcfileError> {
    if node.is_null() {
        return Ok(Vec::new());
    }
    let Value::Mapping(entries) = &node.value else {
        return Err(type_error(node, target));
    };
    entries
        .iter()
        .map(|(k, v)| Ok((scalar_text(k)?, scalar_text(v)?)))
        .collect()
}

/// A scalar's text as yaml.v2 decodes it into a Go `string` (null is "", `!!binary` is its
/// decoded bytes); anything else is the unmarshal error.
pub fn scalar_text(node: &Node) -> Result<String, ProcfileError> {
    match &node.value {
        Value::Scalar(s) => scalar_string(s),
        _ => Err(type_error(node, "string")),
    }
}

/// A scalar as yaml.v2 decodes it into a Go `string`. A `!!binary` scalar is base64 and becomes
/// the bytes it encodes (see [`yaml::Scalar::binary_text`]): a buildpack written in Go may emit
/// a value that way, and the builder and launcher decode it.
pub fn scalar_string(scalar: &yaml::Scalar) -> Result<String, ProcfileError> {
    if let Some(decoded) = scalar.binary_text() {
        return decoded.map_err(ProcfileError::InvalidBinary);
    }
    if scalar.is_null() {
        return Ok(String::new());
    }
    Ok(scalar.text.clone())
}

/// yaml.v2's error for `node` decoded into the Go type `target` (its `terror`): the node's
/// tag, the one written or else the one its text resolves to, and a scalar's text.
pub fn type_error(node: &Node, target: &'static str) -> ProcfileError {
    let (tag, value) = match &node.value {
        Value::Scalar(scalar) => {
            let tag = match &scalar.tag {
                Some(tag) => tag
                    .name
                    .strip_prefix("tag:yaml.org,2002:")
                    .map_or_else(|| tag.name.clone(), |core| format!("!!{core}")),
                None => match scalar.resolved_type() {
                    yaml::ScalarType::Null => "!!null",
                    yaml::ScalarType::Bool => "!!bool",
                    yaml::ScalarType::Int => "!!int",
                    yaml::ScalarType::Float => "!!float",
                    yaml::ScalarType::Str => "!!str",
                }
                .to_string(),
            };
            // Go cuts bytes; the cut here keeps whole characters (at most 7 bytes).
            let text = &scalar.text;
            let value = if text.len() > 10 {
                let mut end = 7;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                format!(" `{}...`", &text[..end])
            } else {
                format!(" `{text}`")
            };
            (tag, value)
        }
        Value::Sequence(_) => ("!!seq".to_string(), String::new()),
        Value::Mapping(_) => ("!!map".to_string(), String::new()),
    };
    ProcfileError::CannotUnmarshal {
        line: node.position.line,
        tag,
        value,
        target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_reads_only_default_process_types() {
        let text = "---\nconfig_vars:\n  A: b\ndefault_process_types:\n  web: python3 -m http.server $PORT\n  worker: 1.10\n";
        assert_eq!(
            parse_release(text).unwrap(),
            vec![
                ("web".into(), "python3 -m http.server $PORT".into()),
                ("worker".into(), "1.10".into())
            ]
        );
        assert_eq!(parse_release("").unwrap(), vec![]);
        assert_eq!(parse_release("--- {}\n").unwrap(), vec![]);
        // Only the first document is read, as yaml.v2's Unmarshal reads it.
        assert_eq!(
            parse_release("default_process_types:\n  web: ./a\n---\nnot: [read\n").unwrap(),
            vec![("web".into(), "./a".into())]
        );
        let e = parse_release("web: [unclosed").unwrap_err();
        assert!(matches!(e, ProcfileError::Syntax(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "yaml: line 2: while parsing a flow sequence, expected ',' or ']'"
        );
        assert_eq!(
            parse_release("just text").unwrap_err().to_string(),
            "yaml: unmarshal errors: line 1: cannot unmarshal !!str `just text` into buildpackrunner.Release"
        );
        assert_eq!(
            parse_release("default_process_types:\n  web: [a]\n").unwrap_err(),
            ProcfileError::CannotUnmarshal {
                line: 2,
                tag: "!!seq".into(),
                value: String::new(),
                target: "string"
            }
        );
    }

    /// The words of yaml.v2's `terror`: the resolved or written tag, a scalar's text (cut
    /// past 10 bytes), and the Go type, as the builder's messages carry them.
    #[test]
    fn type_errors_name_the_tag_the_text_and_the_go_type() {
        for (text, message) in [
            (
                "default_process_types: 5\n",
                "line 1: cannot unmarshal !!int `5` into buildpackapplifecycle.ProcessTypes",
            ),
            (
                "default_process_types: a long command\n",
                "line 1: cannot unmarshal !!str `a long ...` into buildpackapplifecycle.ProcessTypes",
            ),
            // Ten bytes are shown whole; past ten, seven bytes are kept, or fewer where the
            // seventh is inside a character (`€` is bytes 7 to 9 here).
            (
                "default_process_types: ten bytes!\n",
                "line 1: cannot unmarshal !!str `ten bytes!` into buildpackapplifecycle.ProcessTypes",
            ),
            (
                "default_process_types: abcdef€ghi\n",
                "line 1: cannot unmarshal !!str `abcdef...` into buildpackapplifecycle.ProcessTypes",
            ),
            (
                "true\n",
                "line 1: cannot unmarshal !!bool `true` into buildpackrunner.Release",
            ),
            (
                "--- !!str 1.5\n",
                "line 1: cannot unmarshal !!str `1.5` into buildpackrunner.Release",
            ),
            (
                "- web\n",
                "line 1: cannot unmarshal !!seq into buildpackrunner.Release",
            ),
        ] {
            assert_eq!(
                parse_release(text).unwrap_err().to_string(),
                format!("yaml: unmarshal errors: {message}"),
                "{text}"
            );
        }
        assert_eq!(
            parse_launch_yml("processes\n").unwrap_err().to_string(),
            "yaml: unmarshal errors: line 1: cannot unmarshal !!str `processes` into resources.LaunchData"
        );
    }

    #[test]
    fn procfile_and_merge() {
        let procfile = parse_procfile("web: ./server --port $PORT\nclock: ./clock\n").unwrap();
        let release = from_map(vec![
            ("web".into(), "default".into()),
            ("worker".into(), "work".into()),
        ]);
        let merged = merge(release, from_map(procfile));
        assert_eq!(
            merged,
            vec![
                Process::new("web", "./server --port $PORT"),
                Process::new("worker", "work"),
                Process::new("clock", "./clock"),
            ]
        );
        assert!(parse_procfile("web: echo a: b\n").is_err());
        // yaml.v2's Unmarshal into a map: the later of two equal keys wins.
        assert_eq!(
            parse_procfile("web: ./a\nweb: ./b\n").unwrap(),
            vec![("web".into(), "./b".into())]
        );
        assert_eq!(
            parse_procfile("web:\n").unwrap(),
            vec![("web".into(), String::new())]
        );
    }

    #[test]
    fn invalid_utf8_is_refused_in_libyamls_words() {
        assert_eq!(utf8(b"web: ./a\n").unwrap(), "web: ./a\n");
        assert_eq!(
            utf8(b"web: \xff\n").unwrap_err().to_string(),
            "yaml: invalid leading UTF-8 octet"
        );
        assert_eq!(
            utf8(b"web: \xc3(\n").unwrap_err().to_string(),
            "yaml: invalid trailing UTF-8 octet"
        );
        assert_eq!(
            utf8(b"web: \xe2\x82").unwrap_err().to_string(),
            "yaml: incomplete UTF-8 octet sequence"
        );
    }

    #[test]
    fn merge_replaces_only_the_entries_it_was_given() {
        let twice = vec![Process::new("web", "./first"), Process::new("web", "")];
        assert_eq!(merge(Vec::new(), twice.clone()), twice);
        assert_eq!(
            merge(vec![Process::new("web", "./old")], twice),
            vec![Process::new("web", "")]
        );
    }

    #[test]
    fn launch_yml_with_sidecars() {
        let text = "processes:\n- type: web\n  command: ./web\n- type: proxy\n  command: ./proxy\n  platforms:\n    cloudfoundry:\n      sidecar_for: [web]\n";
        let processes = parse_launch_yml(text).unwrap();
        assert_eq!(processes[0], Process::new("web", "./web"));
        assert_eq!(processes[1].sidecar_for, vec!["web".to_string()]);
        assert!(parse_launch_yml("processes: 3\n").is_err());
    }

    /// `sidecar_for` is a list of types: null (or nothing after the colon) makes no sidecar, as
    /// yaml.v2 leaves a nil slice, and any other scalar or a mapping fails the whole file.
    #[test]
    fn launch_yml_sidecar_for_null_is_none_and_a_scalar_is_refused() {
        let sidecar = |value: &str| {
            parse_launch_yml(&format!(
                "processes:\n- type: proxy\n  command: ./proxy\n  platforms:\n    cloudfoundry:\n      sidecar_for: {value}\n"
            ))
        };
        for null in ["", "~", "null"] {
            assert_eq!(
                sidecar(null).unwrap(),
                vec![Process::new("proxy", "./proxy")],
                "{null:?}"
            );
        }
        assert_eq!(
            sidecar("web").unwrap_err().to_string(),
            "yaml: unmarshal errors: line 6: cannot unmarshal !!str `web` into []string"
        );
        assert_eq!(
            sidecar("{web: 1}").unwrap_err().to_string(),
            "yaml: unmarshal errors: line 6: cannot unmarshal !!map into []string"
        );
    }

    /// A document is read up to [`DOCUMENT_LIMIT`] (4 MiB, far more than any Procfile or
    /// `launch.yml` holds) and refused one byte past it, not read on.
    #[test]
    fn documents_are_read_up_to_four_mib() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Procfile");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(4 * 1024 * 1024).unwrap();
        assert_eq!(read_document(&path).unwrap().len(), 4 * 1024 * 1024);
        file.set_len(4 * 1024 * 1024 + 1).unwrap();
        assert_eq!(
            read_document(&path).unwrap_err().kind(),
            std::io::ErrorKind::FileTooLarge
        );
    }

    /// yaml.v2 decodes a `!!binary` scalar into a Go string as the bytes it encodes, in keys
    /// and values alike, and fails the whole document on text that is not base64.
    #[test]
    fn binary_scalars_are_decoded_as_yaml_v2_decodes_them() {
        assert_eq!(
            parse_release(
                "default_process_types:\n  !!binary d2Vi: !!binary Li93ZWIgLXAgJFBPUlQ=\n"
            )
            .unwrap(),
            vec![("web".into(), "./web -p $PORT".into())]
        );
        // Line breaks inside the base64 text are skipped, as Go's decoder skips them.
        assert_eq!(
            parse_procfile("worker: !!binary |\n  Li93\n  b3Jr\n").unwrap(),
            vec![("worker".into(), "./work".into())]
        );
        let launch = parse_launch_yml(
            "processes:\n- type: !!binary Y2xvY2s=\n  command: !!binary Li9jbG9jaw==\n",
        )
        .unwrap();
        assert_eq!(launch, vec![Process::new("clock", "./clock")]);
        // The tag is what decodes, not the look of the text: untagged base64 stays as it is.
        assert_eq!(
            parse_procfile("web: Li93ZWI=\n").unwrap(),
            vec![("web".into(), "Li93ZWI=".into())]
        );
        for bad in [
            "web: !!binary not base64\n",
            "web: !!binary Li93ZWI\n",
            "web: !!binary Li9=ZWI=\n",
            "web: !!binary Q===\n",
        ] {
            assert_eq!(
                parse_procfile(bad).unwrap_err().to_string(),
                "yaml: !!binary value contains invalid base64 data",
                "{bad}"
            );
        }
        // An empty `!!binary` is the empty string; bytes that are not UTF-8 become U+FFFD.
        assert_eq!(parse_procfile("web: !!binary\n").unwrap()[0].1, "");
        assert_eq!(
            parse_procfile("web: !!binary /w==\n").unwrap()[0].1,
            "\u{fffd}"
        );
    }
}
