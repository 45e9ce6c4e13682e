//! `launch_env` and `release.config_vars` are defaults at launch: each is written as
//! `[ -n "${NAME:-}" ] || export NAME=…`, so the app's own value (`cf set-env`) wins. A default
//! for a variable the platform sets for every app before the profile scripts run (`PORT`,
//! `HOME`, `LANG`, `PATH`…) therefore never applies, and its author had no word of why: the
//! staged app just ran without it. Each is warned about with what to write instead. A value
//! naming its own variable (`PATH: /opt/x/bin:$PATH`) extends it, is always exported, and is
//! not warned about.

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::helpers::node_at;
use crate::phases::template::Template;

/// Who sets a variable for every app instance before the profile scripts run, and so what a
/// default for it should be instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetBy {
    /// Cloud Controller, Diego or the launcher, for the app's own use (`PORT`, `HOME`): a
    /// buildpack has no business changing it.
    Platform,
    /// Diego's `LANG=en_US.UTF-8`, which the app may change with `cf set-env`.
    PlatformLanguage,
    /// A search path (`PATH`; `LD_LIBRARY_PATH`, which bpkit itself sets when an install entry
    /// has a `library_path`): a buildpack adds to it.
    SearchPath,
}

/// The variables the platform sets for every app instance (those `bpkit run` sets, as the
/// platform does: `launcher::environment`), and `PATH`, which every process has.
fn set_by(name: &str, sets_library_path: bool) -> Option<SetBy> {
    match name {
        "LANG" => Some(SetBy::PlatformLanguage),
        "PATH" => Some(SetBy::SearchPath),
        "LD_LIBRARY_PATH" if sets_library_path => Some(SetBy::SearchPath),
        "HOME" | "TMPDIR" | "DEPS_DIR" | "PORT" | "MEMORY_LIMIT" | "VCAP_APPLICATION"
        | "VCAP_SERVICES" | "INSTANCE_INDEX" | "INSTANCE_GUID" => Some(SetBy::Platform),
        _ if name.starts_with("CF_INSTANCE_") => Some(SetBy::Platform),
        _ => None,
    }
}

/// What is wrong with a default for `name`, set by `by`, and what to write instead.
fn message(name: &str, by: SetBy) -> String {
    const NEVER: &str = "so this default never applies (it gives way to a value already set)";
    match by {
        SetBy::Platform => format!(
            "the platform sets {name} for every app before the profile scripts run, {NEVER}; remove it"
        ),
        SetBy::PlatformLanguage => format!(
            "the platform sets {name} for every app (en_US.UTF-8) before the profile scripts run, {NEVER}; to replace the platform's, set it in an install entry's `env` (always exported), or let the app set it with `cf set-env`"
        ),
        SetBy::SearchPath => {
            let (set, list) = if name == "PATH" {
                ("PATH is always set when the app starts".to_string(), "path")
            } else {
                (
                    format!(
                        "bpkit sets {name} when the app starts (from the install entries' `library_path`)"
                    ),
                    "library_path",
                )
            };
            format!(
                "{set}, {NEVER}; add to it with `{name}: <folder>:${name}` (a value naming its own variable is always exported), or list the folder in an install entry's `{list}`"
            )
        }
    }
}

/// Warn about each `launch_env` and `release.config_vars` default that can never apply.
pub(super) fn platform_set_defaults(m: &Manifest, report: &mut Report) {
    let sets_library_path = m.install.iter().any(|i| !i.library_path.is_empty());
    let config_vars = m.release.iter().flat_map(|r| r.config_vars.iter());
    let sections = m
        .launch_env
        .iter()
        .map(|pair| ("launch_env", pair))
        .chain(config_vars.map(|pair| ("release.config_vars", pair)));
    for (section, (name, value)) in sections {
        let Some(by) = set_by(name, sets_library_path) else {
            continue;
        };
        if Template::parse(value).refers_to(name) {
            continue;
        }
        let position = node_at(m.tree.as_ref(), section)
            .and_then(|n| n.get(name))
            .map(|n| n.position);
        report.warning(format!("{section}.{name}"), position, message(name, by));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;

    /// Each default the platform's own value always wins over is warned about with its fix; a
    /// value naming its own variable, or a variable the platform leaves alone, is not.
    #[test]
    fn a_default_for_a_variable_the_platform_sets_is_warned_about() {
        let got = messages(
            "language: x\nlaunch_env:\n  PORT: '8080'\n  LANG: C.UTF-8\n  PATH: /opt/x/bin\n  CF_INSTANCE_IP: 0.0.0.0\n  RACK_ENV: production\n  JAVA_OPTS: $JAVA_OPTS -Xss1m\n  LD_LIBRARY_PATH: /opt/lib\nrelease:\n  config_vars:\n    HOME: /tmp\n    PATH: /opt/y/bin:${PATH}\n",
        );
        let never = "so this default never applies (it gives way to a value already set)";
        assert_eq!(
            got,
            [
                format!(
                    "m.yml:3:9: warning: launch_env.PORT: the platform sets PORT for every app before the profile scripts run, {never}; remove it"
                ),
                format!(
                    "m.yml:4:9: warning: launch_env.LANG: the platform sets LANG for every app (en_US.UTF-8) before the profile scripts run, {never}; to replace the platform's, set it in an install entry's `env` (always exported), or let the app set it with `cf set-env`"
                ),
                format!(
                    "m.yml:5:9: warning: launch_env.PATH: PATH is always set when the app starts, {never}; add to it with `PATH: <folder>:$PATH` (a value naming its own variable is always exported), or list the folder in an install entry's `path`"
                ),
                format!(
                    "m.yml:6:19: warning: launch_env.CF_INSTANCE_IP: the platform sets CF_INSTANCE_IP for every app before the profile scripts run, {never}; remove it"
                ),
                format!(
                    "m.yml:12:11: warning: release.config_vars.HOME: the platform sets HOME for every app before the profile scripts run, {never}; remove it"
                ),
            ]
        );
    }

    /// `LD_LIBRARY_PATH` is set at launch by bpkit itself once an install entry has a
    /// `library_path`; without one, a default for it may apply.
    #[test]
    fn a_library_path_default_is_warned_about_only_when_bpkit_sets_it() {
        let sha = "0".repeat(64);
        let text = |library_path: &str| {
            format!(
                "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n{library_path}launch_env:\n  LD_LIBRARY_PATH: $HOME/vendor/lib\n"
            )
        };
        let warned = |text: &str| {
            messages(text)
                .into_iter()
                .filter(|m| m.contains("launch_env.LD_LIBRARY_PATH"))
                .collect::<Vec<_>>()
        };
        assert_eq!(warned(&text("")), Vec::<String>::new());
        assert_eq!(
            warned(&text("  library_path: [lib]\n")),
            [
                "m.yml:8:20: warning: launch_env.LD_LIBRARY_PATH: bpkit sets LD_LIBRARY_PATH when the app starts (from the install entries' `library_path`), so this default never applies (it gives way to a value already set); add to it with `LD_LIBRARY_PATH: <folder>:$LD_LIBRARY_PATH` (a value naming its own variable is always exported), or list the folder in an install entry's `library_path`"
            ]
        );
    }
}
