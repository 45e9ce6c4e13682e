//! The builder's two metadata documents, byte for byte as its Go encoder writes them (field
//! order of the Go structs, map keys sorted, `<`, `>` and `&` escaped as `\u003c` …, a trailing
//! newline):
//! - `result.json` (`StagingResult`): `lifecycle_metadata` (`buildpack_key`, omitted when
//!   empty, `detected_buildpack`, `buildpacks: [{key, name, version?}]`), `process_types`,
//!   `processes` and `sidecars` (always present, `null` when empty: the struct tags
//!   `"processes, omitempty"` have a space, so Go never omits them), `execution_metadata` (`""`)
//!   and `lifecycle_type` (`"buildpack"`);
//! - `staging_info.yml`, JSON despite its name: `detected_buildpack`, `start_command` (the
//!   `web` command), and `config` when the final buildpack's `config.yml` has one.
//!
//! Buildpack names and versions come from each buildpack's `DEPS_DIR/<idx>/config.yml` (written
//! by libbuildpack-style supply phases); in detect mode the detect output names the buildpack
//! when there is none, but only in a successful staging's documents, as the builder does.

use std::io;
use std::path::Path;

use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use serde_json::{Map, Value, json};

use super::procfile::{self, Process};
use crate::manifest::yaml::{self, Value as YamlValue};
use crate::output::Logger;

/// One entry of `lifecycle_metadata.buildpacks`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildpackMetadata {
    pub key: String,
    pub name: String,
    pub version: String,
    /// `config.entrypoint_prefix` from config.yml, when `config` is a mapping.
    pub config: Option<Config>,
}

/// The part of a buildpack's `config` the launcher uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub entrypoint_prefix: String,
}

impl BuildpackMetadata {
    /// Read `deps_dir/<index>/config.yml` for the buildpack `key`. A missing or unreadable
    /// file leaves the name empty; the builder reports both cases in the log, and so does this.
    pub fn read(deps_dir: &Path, index: &str, key: &str, logger: &Logger) -> Self {
        let metadata = BuildpackMetadata {
            key: key.to_string(),
            ..BuildpackMetadata::default()
        };
        let path = deps_dir.join(index).join("config.yml");
        let text = match super::procfile::read_document_text(&path) {
            Ok(text) => text,
            Err(e) => {
                logger.raw(&format!(
                    "Failed to read buildpack config.yml for buildpack key {key}: open {}: {}\n",
                    path.display(),
                    go_io_error(&e)
                ));
                return metadata;
            }
        };
        // The builder reads config.yml with yaml.v3 (not v2, as for the other documents).
        let root = match yaml::parse_as_go_v3_unmarshal(&text) {
            Ok(root) => root,
            Err(e) => {
                logger.raw(&format!(
                    "Failed to unmarshal buildpack metadata for buildpack key {key}: yaml: line {}: {}\n",
                    e.position.line, e.message
                ));
                return metadata;
            }
        };
        let mut decoder = V3Decoder::default();
        let metadata = decoder.metadata(&root, metadata);
        if let Some(error) = decoder.error() {
            logger.raw(&format!(
                "Failed to unmarshal buildpack metadata for buildpack key {key}: {error}\n"
            ));
        }
        metadata
    }

    fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("key".into(), Value::String(self.key.clone()));
        object.insert("name".into(), Value::String(self.name.clone()));
        if !self.version.is_empty() {
            object.insert("version".into(), Value::String(self.version.clone()));
        }
        Value::Object(object)
    }
}

/// config.yml decoded into the builder's `BuildpackMetadata` as yaml.v3 decodes it, so that
/// what the builder keeps of a file with mistakes is what is kept here:
/// - fields are decoded in the file's order; one of the wrong type (a list for `name`) is an
///   error that leaves the others decoded, and all such errors are reported together;
/// - a mapping that repeats a key is an error and none of it is decoded;
/// - `null` leaves a string as it was (the `key` the builder set) and removes `config`;
/// - a `!!binary` value that is not base64 stops decoding there: fields before it are kept.
#[derive(Default)]
struct V3Decoder {
    /// `line N: …` for each type error and repeated key, in yaml.v3's order.
    errors: Vec<String>,
    /// What stopped decoding (yaml.v3's `failf`), which is then the whole error.
    fatal: Option<String>,
}

impl V3Decoder {
    fn metadata(
        &mut self,
        root: &yaml::Node,
        mut metadata: BuildpackMetadata,
    ) -> BuildpackMetadata {
        let entries = match &root.value {
            _ if root.is_null() => return metadata,
            YamlValue::Mapping(entries) => entries,
            _ => {
                self.type_error(root, "buildpackapplifecycle.BuildpackMetadata");
                return metadata;
            }
        };
        if !self.unique_keys(entries) {
            return metadata;
        }
        for (name, value) in entries {
            if self.fatal.is_some() {
                break;
            }
            match name.key_text() {
                "key" => self.string(value, &mut metadata.key),
                "name" => self.string(value, &mut metadata.name),
                "version" => self.string(value, &mut metadata.version),
                "config" => self.config(value, &mut metadata.config),
                _ => {}
            }
        }
        metadata
    }

    fn config(&mut self, node: &yaml::Node, config: &mut Option<Config>) {
        if node.is_null() {
            *config = None;
            return;
        }
        // yaml.v3 allocates the value a pointer points to before it decodes into it.
        let config = config.get_or_insert_with(Config::default);
        let YamlValue::Mapping(entries) = &node.value else {
            self.type_error(node, "buildpackapplifecycle.BuildpackConfig");
            return;
        };
        if !self.unique_keys(entries) {
            return;
        }
        for (name, value) in entries {
            if self.fatal.is_some() {
                break;
            }
            if name.key_text() == "entrypoint_prefix" {
                self.string(value, &mut config.entrypoint_prefix);
            }
        }
    }

    fn string(&mut self, node: &yaml::Node, out: &mut String) {
        match &node.value {
            YamlValue::Scalar(scalar) if scalar.tag.is_none() && scalar.is_null() => {}
            YamlValue::Scalar(scalar) => match procfile::scalar_string(scalar) {
                Ok(text) => *out = text,
                Err(e) => self.fatal = Some(e.to_string()),
            },
            _ => self.type_error(node, "string"),
        }
    }

    /// yaml.v3's check of a mapping it decodes: every repeated key is an error.
    fn unique_keys(&mut self, entries: &[(yaml::Node, yaml::Node)]) -> bool {
        let before = self.errors.len();
        for (i, (first, _)) in entries.iter().enumerate() {
            for (again, _) in &entries[i + 1..] {
                if first.key_text() == again.key_text() {
                    self.errors.push(format!(
                        "line {}: mapping key {:?} already defined at line {}",
                        again.position.line,
                        again.key_text(),
                        first.position.line
                    ));
                }
            }
        }
        self.errors.len() == before
    }

    fn type_error(&mut self, node: &yaml::Node, target: &'static str) {
        let text = procfile::type_error(node, target).to_string();
        let line = text
            .strip_prefix("yaml: unmarshal errors: ")
            .unwrap_or(&text);
        self.errors.push(line.to_string());
    }

    /// The error yaml.v3's `Unmarshal` returns, in its words.
    fn error(&self) -> Option<String> {
        if let Some(fatal) = &self.fatal {
            return Some(fatal.clone());
        }
        (!self.errors.is_empty())
            .then(|| format!("yaml: unmarshal errors:\n  {}", self.errors.join("\n  ")))
    }
}

/// Go's lowercase `strerror` text (`no such file or directory`, `not a directory`): an OS
/// error in Go's words, without Rust's capital and ` (os error N)`; bpkit's own errors (a fifo
/// refused) as they are.
pub(crate) fn go_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => match error.raw_os_error() {
            Some(code) => {
                let text = error.to_string();
                let text = text
                    .strip_suffix(&format!(" (os error {code})"))
                    .unwrap_or(&text);
                let mut chars = text.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_lowercase().chain(chars).collect()
                })
            }
            None => error.to_string(),
        },
    }
}

/// The processes of a successful staging, or `None` when it failed after detection (the
/// builder still writes `result.json` then, with the buildpacks it knows and nulls).
pub fn result_json(buildpacks: &[BuildpackMetadata], processes: Option<&[Process]>) -> String {
    let last = buildpacks.last().cloned().unwrap_or_default();
    let mut lifecycle = Map::new();
    if !last.key.is_empty() {
        lifecycle.insert("buildpack_key".into(), Value::String(last.key.clone()));
    }
    lifecycle.insert(
        "detected_buildpack".into(),
        Value::String(last.name.clone()),
    );
    lifecycle.insert(
        "buildpacks".into(),
        Value::Array(buildpacks.iter().map(BuildpackMetadata::to_json).collect()),
    );

    let (process_types, process_list, sidecars) = match processes {
        None => (Value::Null, Value::Null, Value::Null),
        Some(processes) => {
            let mut types: Vec<(&str, &str)> = Vec::new();
            let mut ordered = Vec::new();
            let mut sidecars = Vec::new();
            for p in processes {
                if p.sidecar_for.is_empty() {
                    ordered.push(json!({"type": p.kind, "command": p.command}));
                    types.retain(|(k, _)| *k != p.kind);
                    types.push((&p.kind, &p.command));
                } else {
                    sidecars.push(json!({
                        "name": p.kind,
                        "process_types": p.sidecar_for,
                        "command": p.command,
                    }));
                }
            }
            types.sort_by(|a, b| a.0.cmp(b.0));
            let types: Map<String, Value> = types
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect();
            let or_null = |v: Vec<Value>| {
                if v.is_empty() {
                    Value::Null
                } else {
                    Value::Array(v)
                }
            };
            (Value::Object(types), or_null(ordered), or_null(sidecars))
        }
    };

    let mut document = Map::new();
    document.insert("lifecycle_metadata".into(), Value::Object(lifecycle));
    document.insert("process_types".into(), process_types);
    document.insert("processes".into(), process_list);
    document.insert("sidecars".into(), sidecars);
    document.insert("execution_metadata".into(), Value::String(String::new()));
    document.insert("lifecycle_type".into(), Value::String("buildpack".into()));
    go_json(&Value::Object(document))
}

/// The `web` command, as the builder's `ProcessTypes["web"]` holds it: sidecars are not
/// process types, and when a `launch.yml` lists `web` twice the later one is in the map. The
/// start command of `staging_info.yml`, and empty when the builder warns that there is none.
pub fn web_command(processes: &[Process]) -> &str {
    processes
        .iter()
        .rev()
        .find(|p| p.kind == "web" && p.sidecar_for.is_empty())
        .map_or("", |p| p.command.as_str())
}

/// `staging_info.yml`: what the launcher reads.
pub fn staging_info(buildpacks: &[BuildpackMetadata], processes: &[Process]) -> String {
    let last = buildpacks.last().cloned().unwrap_or_default();
    let web = web_command(processes).to_string();
    let mut document = Map::new();
    document.insert("detected_buildpack".into(), Value::String(last.name));
    document.insert("start_command".into(), Value::String(web));
    if let Some(config) = last.config {
        let mut object = Map::new();
        if !config.entrypoint_prefix.is_empty() {
            object.insert(
                "entrypoint_prefix".into(),
                Value::String(config.entrypoint_prefix),
            );
        }
        document.insert("config".into(), Value::Object(object));
    }
    go_json(&Value::Object(document))
}

/// Go's `json.NewEncoder(w).Encode(v)` output for a value built in field order.
pub fn go_json(value: &Value) -> String {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, GoFormatter);
    // Serializing a Value into memory cannot fail.
    let _ = serde::Serialize::serialize(value, &mut serializer);
    let text = String::from_utf8(bytes).unwrap_or_default();
    // These characters can only appear inside strings, where Go escapes them (HTML safety).
    let mut escaped = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            c => escaped.push(c),
        }
    }
    escaped.push('\n');
    escaped
}

/// serde_json's compact output, with control characters escaped the way Go escapes them.
struct GoFormatter;

impl Formatter for GoFormatter {
    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        match char_escape {
            CharEscape::Backspace => writer.write_all(b"\\u0008"),
            CharEscape::FormFeed => writer.write_all(b"\\u000c"),
            other => CompactFormatter.write_char_escape(writer, other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_are_worded_as_go_words_them() {
        for (code, words) in [
            (libc::ENOENT, "no such file or directory"),
            (libc::ENOTDIR, "not a directory"),
            (libc::ELOOP, "too many levels of symbolic links"),
        ] {
            assert_eq!(go_io_error(&io::Error::from_raw_os_error(code)), words);
        }
        let own = io::Error::new(io::ErrorKind::InvalidInput, "it is a fifo, not a file");
        assert_eq!(go_io_error(&own), "it is a fifo, not a file");
    }

    /// A config.yml the builder cannot open is logged in Go's words for the OS error, also
    /// where bpkit's own reading words it otherwise: a link to nothing (which bpkit names as
    /// such elsewhere) and a folder (which it opens, then refuses as no file).
    #[test]
    fn an_unreadable_config_yml_is_logged_as_go_words_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("0/config.yml")).unwrap();
        std::fs::create_dir_all(dir.path().join("1")).unwrap();
        std::os::unix::fs::symlink("nowhere.yml", dir.path().join("1/config.yml")).unwrap();
        for (index, words) in [("0", "is a directory"), ("1", "no such file or directory")] {
            let (logger, log) = Logger::capture();
            let m = BuildpackMetadata::read(dir.path(), index, "k", &logger);
            assert_eq!(m, bp("k", ""));
            assert_eq!(
                log.text(),
                format!(
                    "Failed to read buildpack config.yml for buildpack key k: open {}: {words}\n",
                    dir.path().join(index).join("config.yml").display()
                )
            );
        }
    }

    fn bp(key: &str, name: &str) -> BuildpackMetadata {
        BuildpackMetadata {
            key: key.into(),
            name: name.into(),
            ..BuildpackMetadata::default()
        }
    }

    #[test]
    fn result_json_has_the_builder_shape() {
        let processes = vec![Process::new("web", "the start command")];
        assert_eq!(
            result_json(&[bp("always-detects", "Always Matching")], Some(&processes)),
            concat!(
                r#"{"lifecycle_metadata":{"buildpack_key":"always-detects","detected_buildpack":"Always Matching","#,
                r#""buildpacks":[{"key":"always-detects","name":"Always Matching"}]},"#,
                r#""process_types":{"web":"the start command"},"processes":[{"type":"web","command":"the start command"}],"#,
                r#""sidecars":null,"execution_metadata":"","lifecycle_type":"buildpack"}"#,
                "\n"
            )
        );
    }

    /// `process_types` is a map: a type listed twice holds its later command, once, while
    /// `processes` lists every entry in order.
    #[test]
    fn process_types_keep_the_later_of_a_repeated_type() {
        let processes = vec![
            Process::new("web", "./a"),
            Process::new("worker", "w"),
            Process::new("web", "./b"),
        ];
        assert_eq!(
            result_json(&[], Some(&processes)),
            concat!(
                r#"{"lifecycle_metadata":{"detected_buildpack":"","buildpacks":[]},"#,
                r#""process_types":{"web":"./b","worker":"w"},"#,
                r#""processes":[{"type":"web","command":"./a"},{"type":"worker","command":"w"},{"type":"web","command":"./b"}],"#,
                r#""sidecars":null,"execution_metadata":"","lifecycle_type":"buildpack"}"#,
                "\n"
            )
        );
    }

    #[test]
    fn a_failed_build_still_names_the_buildpacks() {
        assert_eq!(
            result_json(&[bp("k", "")], None),
            "{\"lifecycle_metadata\":{\"buildpack_key\":\"k\",\"detected_buildpack\":\"\",\"buildpacks\":[{\"key\":\"k\",\"name\":\"\"}]},\"process_types\":null,\"processes\":null,\"sidecars\":null,\"execution_metadata\":\"\",\"lifecycle_type\":\"buildpack\"}\n"
        );
    }

    #[test]
    fn go_escapes_html_and_controls() {
        assert_eq!(
            go_json(&json!({"c": "a && b > c\u{8}"})),
            "{\"c\":\"a \\u0026\\u0026 b \\u003e c\\u0008\"}\n"
        );
    }

    #[test]
    fn staging_info_has_the_web_command_and_config() {
        let mut last = bp("k", "Hello");
        last.config = Some(Config {
            entrypoint_prefix: "dumb-init".into(),
        });
        let processes = vec![Process::new("worker", "w"), Process::new("web", "./run")];
        assert_eq!(
            staging_info(&[last], &processes),
            "{\"detected_buildpack\":\"Hello\",\"start_command\":\"./run\",\"config\":{\"entrypoint_prefix\":\"dumb-init\"}}\n"
        );
        assert_eq!(
            staging_info(&[], &[]),
            "{\"detected_buildpack\":\"\",\"start_command\":\"\"}\n"
        );
    }

    #[test]
    fn the_web_command_is_the_last_web_process_that_is_no_sidecar() {
        let mut sidecar = Process::new("web", "./sidecar");
        sidecar.sidecar_for = vec!["web".into()];
        assert_eq!(web_command(&[sidecar.clone()]), "");
        assert_eq!(
            web_command(&[Process::new("web", "./first"), Process::new("web", "")]),
            ""
        );
        assert_eq!(
            web_command(&[Process::new("web", "./run"), sidecar]),
            "./run"
        );
    }

    #[test]
    fn metadata_from_config_yml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("1")).unwrap();
        std::fs::write(
            dir.path().join("1/config.yml"),
            "name: ruby\nversion: 1.10\nconfig: {}\n",
        )
        .unwrap();
        let (logger, log) = Logger::capture();
        let m = BuildpackMetadata::read(dir.path(), "1", "ruby_buildpack", &logger);
        assert_eq!(m.name, "ruby");
        assert_eq!(m.version, "1.10");
        assert_eq!(m.config, Some(Config::default()));
        let missing = BuildpackMetadata::read(dir.path(), "0", "x", &logger);
        assert_eq!(missing.name, "");
        assert!(
            log.text()
                .starts_with("Failed to read buildpack config.yml for buildpack key x: open ")
        );
    }

    /// The builder reads config.yml with yaml.v3: a repeated key fails the mapping holding it,
    /// a field of the wrong type fails alone, and what decoded before a fatal error is kept.
    #[test]
    fn config_yml_is_decoded_as_yaml_v3_decodes_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("0")).unwrap();
        let read = |text: &str| {
            std::fs::write(dir.path().join("0/config.yml"), text).unwrap();
            let (logger, log) = Logger::capture();
            let m = BuildpackMetadata::read(dir.path(), "0", "k", &logger);
            (m, log.text())
        };
        let unmarshal = "Failed to unmarshal buildpack metadata for buildpack key k: ";

        let (m, log) = read("name: ruby\nversion: '1'\nname: go\n");
        assert_eq!(
            (m.key.as_str(), m.name.as_str(), m.version.as_str()),
            ("k", "", "")
        );
        assert_eq!(
            log,
            format!(
                "{unmarshal}yaml: unmarshal errors:\n  line 3: mapping key \"name\" already defined at line 1\n"
            )
        );

        let (m, log) = read("name: [ruby]\nversion: 1.2\nconfig: 5\n");
        assert_eq!((m.name.as_str(), m.version.as_str()), ("", "1.2"));
        assert_eq!(m.config, Some(Config::default()));
        assert_eq!(
            log,
            format!(
                "{unmarshal}yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into string\n  line 3: cannot unmarshal !!int `5` into buildpackapplifecycle.BuildpackConfig\n"
            )
        );

        // A repeated key under `config` fails only `config`; one under a key nothing reads is
        // never decoded, so no error. null leaves the key the builder set.
        let (m, log) = read(
            "key: ~\nname: ruby\nextra: {a: 1, a: 2}\nconfig:\n  entrypoint_prefix: a\n  entrypoint_prefix: b\n",
        );
        assert_eq!((m.key.as_str(), m.name.as_str()), ("k", "ruby"));
        assert_eq!(m.config, Some(Config::default()));
        assert_eq!(
            log,
            format!(
                "{unmarshal}yaml: unmarshal errors:\n  line 6: mapping key \"entrypoint_prefix\" already defined at line 5\n"
            )
        );

        // Only the first document is read, as yaml.v3's Unmarshal reads it.
        let (m, log) = read("name: ruby\n---\nname: go\n");
        assert_eq!((m.name.as_str(), log.as_str()), ("ruby", ""));

        // A bad !!binary stops decoding: what came before it stays.
        let (m, log) = read("name: ruby\nversion: !!binary x!\n");
        assert_eq!((m.name.as_str(), m.version.as_str()), ("ruby", ""));
        assert_eq!(
            log,
            format!("{unmarshal}yaml: !!binary value contains invalid base64 data\n")
        );

        let (m, log) = read("just text\n");
        assert_eq!(m.name, "");
        assert_eq!(
            log,
            format!(
                "{unmarshal}yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `just text` into buildpackapplifecycle.BuildpackMetadata\n"
            )
        );
    }

    /// An empty config.yml (or one holding only null) decodes to nothing and is no error, and
    /// a `key` in it replaces the one the builder set, as yaml.v3 decodes into that struct.
    #[test]
    fn an_empty_config_yml_is_no_error_and_its_key_replaces_the_builders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("0")).unwrap();
        let (logger, log) = Logger::capture();
        for empty in ["", "~\n", "# nothing\n"] {
            std::fs::write(dir.path().join("0/config.yml"), empty).unwrap();
            let m = BuildpackMetadata::read(dir.path(), "0", "k", &logger);
            assert_eq!(m, bp("k", ""), "{empty:?}");
        }
        assert_eq!(log.text(), "");
        std::fs::write(dir.path().join("0/config.yml"), "key: other\nname: ruby\n").unwrap();
        let m = BuildpackMetadata::read(dir.path(), "0", "k", &logger);
        assert_eq!(m, bp("other", "ruby"));
        assert_eq!(log.text(), "");
    }

    #[test]
    fn binary_config_yml_values_are_decoded_and_bad_ones_logged() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("0")).unwrap();
        std::fs::write(
            dir.path().join("0/config.yml"),
            "name: !!binary cnVieQ==\nversion: !!binary MS4xMA==\nconfig:\n  entrypoint_prefix: !!binary dGluaQ==\n",
        )
        .unwrap();
        let (logger, log) = Logger::capture();
        let m = BuildpackMetadata::read(dir.path(), "0", "k", &logger);
        assert_eq!((m.name.as_str(), m.version.as_str()), ("ruby", "1.10"));
        assert_eq!(m.config.unwrap().entrypoint_prefix, "tini");
        assert_eq!(log.text(), "");
        std::fs::write(dir.path().join("0/config.yml"), "name: !!binary ruby!\n").unwrap();
        let m = BuildpackMetadata::read(dir.path(), "0", "k", &logger);
        assert_eq!((m.key.as_str(), m.name.as_str()), ("k", ""));
        assert_eq!(
            log.text(),
            "Failed to unmarshal buildpack metadata for buildpack key k: yaml: !!binary value contains invalid base64 data\n"
        );
    }
}
