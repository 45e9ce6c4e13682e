//! Which start command `bpkit run` runs: `-c`, else the process type's command from
//! `result.json`, else the droplet's own `staging_info.yml`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::LaunchError;
use super::staging_info::StagingInfo;

/// The command of `process`: from `result.json`'s `process_types` (what the platform starts),
/// else, for `web`, the droplet's own `staging_info.yml`.
pub(super) fn process_command(
    process: &str,
    result_json: Option<&Path>,
    info: &StagingInfo,
) -> Result<String, LaunchError> {
    if let Some(path) = result_json {
        let text = fs::read_to_string(path).map_err(|e| LaunchError::CannotAccess {
            action: "read",
            path: path.to_path_buf(),
            source: e,
        })?;
        let value: Value =
            serde_json::from_str(&text).map_err(|source| LaunchError::InvalidResultJson {
                path: path.to_path_buf(),
                source,
            })?;
        if let Some(types) = value["process_types"].as_object() {
            if let Some(command) = types.get(process).and_then(Value::as_str) {
                return Ok(command.to_string());
            }
            if process != "web" {
                return Err(LaunchError::UnknownProcessType {
                    path: path.to_path_buf(),
                    process: process.to_string(),
                    known: types.keys().cloned().collect(),
                });
            }
        }
    }
    if process == "web" {
        return Ok(info.start_command.clone());
    }
    Err(LaunchError::ProcessTypeNeedsResultJson {
        process: process.to_string(),
    })
}

/// The process types of `result.json` other than `process` that have a command, sorted: what
/// a user could run instead of a process that has none. None when there is no readable file.
pub(super) fn other_process_types(process: &str, result_json: Option<&Path>) -> Vec<String> {
    let Some(value) = result_json
        .and_then(|path| fs::read_to_string(path).ok())
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
    else {
        return Vec::new();
    };
    let mut others: Vec<String> = value["process_types"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, command)| {
            *name != process && command.as_str().is_some_and(|c| !c.is_empty())
        })
        .map(|(name, _)| name.clone())
        .collect();
    others.sort();
    others
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_process_types_with_a_command_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("result.json");
        fs::write(
            &path,
            r#"{"process_types":{"web":"","worker":"./w","clock":"./c","idle":""}}"#,
        )
        .unwrap();
        assert_eq!(other_process_types("web", Some(&path)), ["clock", "worker"]);
        assert_eq!(other_process_types("clock", Some(&path)), ["worker"]);
        assert!(other_process_types("web", None).is_empty());
        fs::write(&path, "not json").unwrap();
        assert!(other_process_types("web", Some(&path)).is_empty());
    }

    #[test]
    fn command_comes_from_result_json_then_staging_info() {
        let dir = tempfile::tempdir().unwrap();
        let result = dir.path().join("result.json");
        fs::write(
            &result,
            r#"{"process_types":{"web":"./web","worker":"./work"}}"#,
        )
        .unwrap();
        let info = StagingInfo {
            start_command: "./from-info".into(),
            entrypoint_prefix: None,
        };
        assert_eq!(
            process_command("worker", Some(&result), &info).unwrap(),
            "./work"
        );
        assert_eq!(
            process_command("web", Some(&result), &info).unwrap(),
            "./web"
        );
        let e = process_command("clock", Some(&result), &info).unwrap_err();
        assert!(
            e.to_string().contains("staging recorded: web, worker"),
            "{e}"
        );
        assert_eq!(process_command("web", None, &info).unwrap(), "./from-info");
        assert!(process_command("worker", None, &info).is_err());
        // A result.json whose process types leave out web: web is the droplet's own command,
        // as the platform falls back to staging_info.yml, and any other type is unknown.
        fs::write(&result, r#"{"process_types":{"worker":"./work"}}"#).unwrap();
        assert_eq!(
            process_command("web", Some(&result), &info).unwrap(),
            "./from-info"
        );
        assert!(matches!(
            process_command("clock", Some(&result), &info),
            Err(LaunchError::UnknownProcessType { .. })
        ));
    }
}
