//! `DEPS_DIR/IDX/config.yml`: written at the end of supply, and read back at the start of the
//! next run for the dependencies an earlier run installed.

use std::path::Path;

use crate::manifest::Manifest;
use crate::phases::{PhaseError, files, yaml_out};

/// `DEPS_DIR/IDX/config.yml`: the buildpack's `name` (language) and `version`, as
/// libbuildpack's `WriteConfigYml`, with the installed dependencies under `config`.
pub(super) fn write_config(
    manifest: &Manifest,
    buildpack_version: &str,
    installed: &[(String, String)],
    dep_dir: &Path,
) -> Result<(), PhaseError> {
    let config = if installed.is_empty() {
        yaml_out::string_map(&[])
    } else {
        crate::manifest::yaml::Node::mapping(vec![(
            yaml_out::string("dependencies"),
            yaml_out::string_map(installed),
        )])
    };
    let text = yaml_out::emit(vec![
        ("name", yaml_out::string(manifest.language())),
        ("version", yaml_out::string(buildpack_version)),
        ("config", config),
    ]);
    files::write_atomic(&dep_dir.join("config.yml"), text.as_bytes(), 0o644)?;
    Ok(())
}

/// How much of an earlier `config.yml` is read: supply writes a few lines per dependency, and
/// a longer file (a link to `/dev/zero`) is not one it wrote.
const CONFIG_READ_LIMIT: u64 = 1 << 20;

/// The dependency folders an earlier supply recorded in `DEPS_DIR/IDX/config.yml`
/// (`config.dependencies`); none when there is no readable one. It is opened as a regular file
/// without waiting and read no further than [`CONFIG_READ_LIMIT`]: a fifo there would keep
/// supply waiting for a writer for ever (the file is replaced whole at the end anyway).
pub(super) fn installed_by_config(dep_dir: &Path) -> Vec<String> {
    let Ok(bytes) =
        crate::regular_file::read_limited(&dep_dir.join("config.yml"), CONFIG_READ_LIMIT)
    else {
        return Vec::new();
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Vec::new();
    };
    let Ok(tree) = crate::manifest::yaml::parse(&text) else {
        return Vec::new();
    };
    match tree
        .get("config")
        .and_then(|c| c.get("dependencies"))
        .map(|d| &d.value)
    {
        Some(crate::manifest::yaml::Value::Mapping(entries)) => entries
            .iter()
            .map(|(k, _)| k.key_text().to_string())
            .collect(),
        _ => Vec::new(),
    }
}
