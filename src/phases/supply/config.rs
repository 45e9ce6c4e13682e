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

/// What an earlier run recorded in `DEPS_DIR/IDX/config.yml`, read before this run rewrites it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum EarlierRun {
    /// No readable config.yml: nothing ran here before, or nothing bpkit can tell apart.
    Unknown,
    /// This buildpack's (its `name` is the manifest's `language`): the dependency folders it
    /// installed (`config.dependencies`).
    Own(Vec<String>),
    /// Another buildpack's, named: on the Heroku path every buildpack's compile shares
    /// `BUILD_DIR/.cloudfoundry/0`, and what an earlier one installed there is its own.
    Other(String),
}

/// Who wrote `DEPS_DIR/IDX/config.yml` before, and what it installed. It is opened as a
/// regular file without waiting and read no further than [`CONFIG_READ_LIMIT`]: a fifo there
/// would keep supply waiting for a writer for ever (the file is replaced whole at the end
/// anyway).
pub(super) fn earlier_run(dep_dir: &Path, language: &str) -> EarlierRun {
    let Ok(bytes) =
        crate::regular_file::read_limited(&dep_dir.join("config.yml"), CONFIG_READ_LIMIT)
    else {
        return EarlierRun::Unknown;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return EarlierRun::Unknown;
    };
    let Ok(tree) = crate::manifest::yaml::parse(&text) else {
        return EarlierRun::Unknown;
    };
    match tree.get("name").and_then(|n| n.as_scalar()) {
        Some(name) if name.text != language => return EarlierRun::Other(name.text.clone()),
        Some(_) => {}
        None => return EarlierRun::Unknown,
    }
    EarlierRun::Own(
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
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// config.yml's `name` tells this buildpack's earlier run from another buildpack's; a file
    /// that is missing, not YAML or without a name tells nothing.
    #[test]
    fn an_earlier_run_is_told_by_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let earlier = |text: Option<&str>| {
            if let Some(text) = text {
                std::fs::write(dir.path().join("config.yml"), text).unwrap();
            }
            earlier_run(dir.path(), "hello")
        };
        assert_eq!(earlier(None), EarlierRun::Unknown);
        assert_eq!(
            earlier(Some(
                "name: hello\nversion: 1\nconfig:\n  dependencies:\n    hello: 1.1.0\n    tool: 2\n"
            )),
            EarlierRun::Own(vec!["hello".into(), "tool".into()])
        );
        assert_eq!(
            earlier(Some("name: hello\nconfig: {}\n")),
            EarlierRun::Own(vec![])
        );
        assert_eq!(
            earlier(Some(
                "name: ruby\nconfig:\n  dependencies:\n    ruby: 3.3.0\n"
            )),
            EarlierRun::Other("ruby".into())
        );
        for unknown in ["config: {}\n", "[not, a, mapping", "name: [hello]\n"] {
            assert_eq!(earlier(Some(unknown)), EarlierRun::Unknown, "{unknown}");
        }
    }
}
