//! The platform's environment: the [`Env`] the phase was started with, the stack (`CF_STACK`,
//! or Heroku's `STACK`), and the app's own variables from Heroku's ENV_DIR.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;

use super::{Context, ContextError};

/// The environment the phase was started with, as a snapshot (the phases never change the
/// process environment; commands get an explicit one).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<OsString, OsString>,
}

impl Env {
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars_os().collect(),
        }
    }

    pub fn from_pairs<K: Into<OsString>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value when it is set and valid UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars
            .get(OsStr::new(name))
            .and_then(|v| v.to_str())
            .map(str::to_string)
    }

    pub fn vars(&self) -> &BTreeMap<OsString, OsString> {
        &self.vars
    }
}

impl Context {
    /// `CF_STACK`, else `STACK` (Heroku), when set and not empty.
    pub fn stack(&self) -> Option<String> {
        ["CF_STACK", "STACK"]
            .iter()
            .find_map(|name| self.env.get(name).filter(|s| !s.trim().is_empty()))
    }

    /// A variable as the app sees it: ENV_DIR first, then the environment.
    pub fn var(&self, name: &str) -> Option<String> {
        self.app_var(name).or_else(|| self.env.get(name))
    }

    /// A variable from Heroku's ENV_DIR (the app's config vars), if it set one.
    pub fn app_var(&self, name: &str) -> Option<String> {
        self.app_env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// Read Heroku's ENV_DIR: one file per variable, the file's contents its value. PATH and
    /// the other variables Heroku's `export_env_dir` refuses are skipped, because a config var
    /// must not break the build's own tools.
    pub fn read_env_dir(&mut self, env_dir: &Path) -> Result<(), ContextError> {
        const SKIPPED: [&str; 6] = [
            "PATH",
            "GIT_DIR",
            "CPATH",
            "CPPATH",
            "LD_PRELOAD",
            "LIBRARY_PATH",
        ];
        let entries =
            std::fs::read_dir(env_dir).map_err(|source| ContextError::CannotReadEnvDir {
                path: env_dir.to_path_buf(),
                source,
            })?;
        let mut vars = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if SKIPPED.contains(&name.as_str()) || !crate::phases::template::is_valid_name(&name) {
                self.logger.debug(&format!("ENV_DIR: not exporting {name}"));
                continue;
            }
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let value =
                std::fs::read(entry.path()).map_err(|source| ContextError::CannotReadEnvDir {
                    path: entry.path(),
                    source,
                })?;
            if value.contains(&0) {
                continue;
            }
            // Heroku's `export_env_dir` exports `$(cat FILE)`, and command substitution drops
            // every trailing newline: a value saved by an editor as `production\n` is `production`.
            let value = String::from_utf8_lossy(&value);
            vars.push((name, value.trim_end_matches('\n').to_string()));
        }
        vars.sort();
        self.app_env.extend(vars);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_context as context;

    #[test]
    fn env_dir_values_lose_their_trailing_newlines_as_with_cat() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("RACK_ENV", "production\n"),
            ("TWO", "a\n\n"),
            ("INNER", "x\n y\n"),
            ("CR", "w\r\n"),
            ("PLAIN", "as is"),
            ("EMPTY", "\n"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut context = context(&[]);
        context.read_env_dir(dir.path()).unwrap();
        let vars: Vec<(&str, &str)> = context
            .app_env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            vars,
            [
                ("CR", "w\r"),
                ("EMPTY", ""),
                ("INNER", "x\n y"),
                ("PLAIN", "as is"),
                ("RACK_ENV", "production"),
                ("TWO", "a"),
            ]
        );
        assert_eq!(context.var("RACK_ENV").as_deref(), Some("production"));
    }
}
