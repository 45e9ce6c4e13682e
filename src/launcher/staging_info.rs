//! The droplet's `staging_info.yml`, read as the launcher reads it: the start command the
//! droplet was staged with, and the buildpack's `entrypoint_prefix`.

use std::path::Path;

use super::error::LaunchError;
use crate::manifest::yaml;
use crate::regular_file;
use crate::stager::procfile::{self, ProcfileError};

/// What the launcher reads from `staging_info.yml`.
#[derive(Debug, Default)]
pub(super) struct StagingInfo {
    pub(super) start_command: String,
    pub(super) entrypoint_prefix: Option<String>,
}

/// The most of `staging_info.yml` read. The builder writes a few hundred bytes; its start
/// command goes to `bash -c` as one argument, which Linux caps at 128 KiB, so no droplet that
/// can start needs more than that.
const STAGING_INFO_LIMIT: u64 = 1024 * 1024;

/// The `staging_info.yml` of the droplet unpacked at `root` (none is no start command and no
/// prefix); `droplet` is what the user gave, named in errors instead of the temporary copy.
pub(super) fn read(root: &Path, droplet: &Path) -> Result<StagingInfo, LaunchError> {
    let path = root.join("staging_info.yml");
    // Opened without waiting and read no further than the limit: a fifo there (an unpacked
    // droplet is anyone's folder) blocked `bpkit run` for ever, Ctrl-C and SIGTERM included,
    // and a link to /dev/zero (a crafted droplet.tgz) read until memory ran out.
    let read = regular_file::read_limited(&path, STAGING_INFO_LIMIT).and_then(|bytes| {
        String::from_utf8(bytes).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        })
    });
    let text = match read {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StagingInfo::default()),
        Err(cause) => {
            return Err(LaunchError::CannotReadStagingInfo {
                droplet: droplet.to_path_buf(),
                cause,
            });
        }
    };
    parse_staging_info(&text).map_err(LaunchError::InvalidStagingInfo)
}

/// `staging_info.yml` read as the launcher's `yaml.Unmarshal` into `DeaStagingInfo` reads it:
/// JSON (what the builder writes) or YAML, unknown keys ignored, a repeated key no error.
fn parse_staging_info(text: &str) -> Result<StagingInfo, ProcfileError> {
    let root = yaml::parse_as_go_unmarshal(text).map_err(ProcfileError::Syntax)?;
    if root.is_null() {
        return Ok(StagingInfo::default());
    }
    if !matches!(root.value, yaml::Value::Mapping(_)) {
        return Err(procfile::type_error(
            &root,
            "buildpackrunner.DeaStagingInfo",
        ));
    }
    let text_of = |node: Option<&yaml::Node>| node.map_or(Ok(String::new()), procfile::scalar_text);
    let start_command = text_of(root.get("start_command"))?;
    let entrypoint_prefix = match root.get("config") {
        Some(config) if matches!(config.value, yaml::Value::Mapping(_)) => {
            text_of(config.get("entrypoint_prefix"))?
        }
        Some(config) if !config.is_null() => {
            return Err(procfile::type_error(
                config,
                "buildpackapplifecycle.BuildpackConfig",
            ));
        }
        _ => String::new(),
    };
    Ok(StagingInfo {
        start_command,
        entrypoint_prefix: Some(entrypoint_prefix).filter(|s| !s.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_info_is_read_as_yaml_like_the_launcher_reads_it() {
        // What the builder writes: JSON, escapes included.
        let info = parse_staging_info(
            "{\"detected_buildpack\":\"x\",\"start_command\":\"a \\u0026\\u0026 b\",\"config\":{\"entrypoint_prefix\":\"dumb-init\"}}\n",
        )
        .unwrap();
        assert_eq!(info.start_command, "a && b");
        assert_eq!(info.entrypoint_prefix.as_deref(), Some("dumb-init"));
        // A YAML file, as a hand-made droplet may carry, and a repeated key (the later wins).
        let info = parse_staging_info("start_command: ./old\nstart_command: ./web\n").unwrap();
        assert_eq!(info.start_command, "./web");
        assert_eq!(info.entrypoint_prefix, None);
        assert_eq!(parse_staging_info("").unwrap().start_command, "");
        // yaml.v2 decodes `!!binary` into the string field: the launcher runs the decoded text.
        let info = parse_staging_info(
            "start_command: !!binary Li93ZWI=\nconfig:\n  entrypoint_prefix: !!binary dGluaQ==\n",
        )
        .unwrap();
        assert_eq!(info.start_command, "./web");
        assert_eq!(info.entrypoint_prefix.as_deref(), Some("tini"));
        assert_eq!(
            parse_staging_info("start_command: !!binary ./web\n")
                .unwrap_err()
                .to_string(),
            "yaml: !!binary value contains invalid base64 data"
        );
        assert_eq!(
            parse_staging_info("start_command: [a]\n")
                .unwrap_err()
                .to_string(),
            "yaml: unmarshal errors: line 1: cannot unmarshal !!seq into string"
        );
    }

    /// `config` is the launcher's `BuildpackConfig`: a mapping, or nothing (null), never text.
    #[test]
    fn config_is_a_mapping_or_nothing() {
        for text in ["config:\n", "config: ~\n", "config: {}\n"] {
            let info = parse_staging_info(&format!("start_command: ./web\n{text}")).unwrap();
            assert_eq!(info.start_command, "./web", "{text}");
            assert_eq!(info.entrypoint_prefix, None, "{text}");
        }
        let e = parse_staging_info("config: dumb-init\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("into buildpackapplifecycle.BuildpackConfig"),
            "{e}"
        );
    }

    #[test]
    fn a_droplet_without_staging_info_has_no_command_and_an_unreadable_one_is_named() {
        let root = tempfile::tempdir().unwrap();
        let droplet = Path::new("droplet.tgz");
        let info = read(root.path(), droplet).unwrap();
        assert_eq!(info.start_command, "");
        assert_eq!(info.entrypoint_prefix, None);
        let path = root.path().join("staging_info.yml");
        std::fs::write(&path, "{\"start_command\":\"./web\"}\n").unwrap();
        assert_eq!(read(root.path(), droplet).unwrap().start_command, "./web");
        std::fs::write(&path, b"start_command: \xff\n").unwrap();
        let e = read(root.path(), droplet).unwrap_err();
        assert!(
            matches!(e, LaunchError::CannotReadStagingInfo { .. }),
            "{e}"
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let e = read(root.path(), droplet).unwrap_err();
        assert!(
            matches!(e, LaunchError::CannotReadStagingInfo { .. }),
            "{e}"
        );
        assert!(e.to_string().contains("droplet.tgz"), "{e}");
    }

    /// A staging_info.yml of 1 MiB is read (a start command near Linux's 128 KiB for one
    /// argument fits with room to spare); one byte more is refused, not read on.
    #[test]
    fn staging_info_is_read_up_to_1_mib() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("staging_info.yml");
        let head = "start_command: ";
        let command = "x".repeat(1024 * 1024 - head.len() - 1);
        std::fs::write(&path, format!("{head}{command}\n")).unwrap();
        let info = read(root.path(), Path::new("droplet.tgz")).unwrap();
        assert_eq!(info.start_command.len(), command.len());
        std::fs::write(&path, format!("{head}{command}x\n")).unwrap();
        let e = read(root.path(), Path::new("droplet.tgz")).unwrap_err();
        assert!(
            matches!(e, LaunchError::CannotReadStagingInfo { .. }),
            "{e}"
        );
    }
}
