//! The checks of bpkit's declarative keys (`detect`, `install`, `build`, `launch_env`,
//! `release`): what the phases would otherwise refuse only at staging, reported with the rest.

use std::path::Path;

use regex::Regex;

use super::super::Manifest;
use super::super::diagnostic::Report;
use super::super::model::{DetectRule, VersionSource};
use super::super::yaml::{Node, Position, ScalarType, Value};
use super::helpers::{node_at, regex_reason};

/// The entries of DEPS_DIR/IDX that are not dependencies: supply's links, `env` files, profile
/// scripts and `config.yml`; the `include` and `pkgconfig` folders finalize puts on CPATH and
/// PKG_CONFIG_PATH; the `override.yml` later buildpacks' supply applies.
const RESERVED_NAMES: [&str; 8] = [
    "bin",
    "lib",
    "include",
    "pkgconfig",
    "env",
    "profile.d",
    "config.yml",
    "override.yml",
];

/// A name an environment variable can have in a shell: a letter or `_`, then letters, digits
/// and `_`.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Each variable is a file name under DEPS_DIR/IDX/env/ and a name in a profile.d script; the
/// phases would refuse a bad one only when writing it, too late to learn of it.
fn variable_names(m: &Manifest, report: &mut Report) {
    let variables =
        m.install
            .iter()
            .flat_map(|install| {
                install.env.iter().map(move |(name, value)| {
                    (format!("install[{}].env", install.index), name, value)
                })
            })
            .chain(
                m.launch_env
                    .iter()
                    .map(|(name, value)| ("launch_env".to_string(), name, value)),
            )
            .chain(
                m.release
                    .iter()
                    .flat_map(|r| r.config_vars.iter())
                    .map(|(name, value)| ("release.config_vars".to_string(), name, value)),
            );
    let tree = m.tree.as_ref();
    // Where each block is in the file, for the line of the name (the error had none).
    let block = |key: &str| -> Option<&Node> {
        match key.strip_prefix("install[") {
            Some(rest) => {
                let i: usize = rest.split(']').next()?.parse().ok()?;
                match &tree?.get("install")?.value {
                    Value::Sequence(items) => items.get(i)?.get("env"),
                    _ => None,
                }
            }
            None if key == "launch_env" => tree?.get("launch_env"),
            None => tree?.get("release")?.get("config_vars"),
        }
    };
    for (key, name, value) in variables {
        let entry = block(&key).and_then(|node| match &node.value {
            Value::Mapping(entries) => entries.iter().find(|(k, _)| k.key_text() == name),
            _ => None,
        });
        if !is_variable_name(name) {
            report.error(
                format!("{key}.{name}"),
                entry.map(|(k, _)| k.position),
                format!(
                    "`{name}` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)"
                ),
            );
        }
        let value_at = entry.map(|(_, v)| v.position);
        let in_install = key.starts_with("install[");
        if !in_install && value.contains("{{dir}}") {
            // Staging refuses it (there is no dependency folder for it to name): said here too,
            // where it was "valid" and supply or finalize then failed.
            report.error(
                format!("{key}.{name}"),
                value_at,
                "`{{dir}}` only means something under install[].env; write the folder as $DEPS_DIR/<index>/<name> or $HOME/<path>",
            );
        }
        if let Some(shell) = shell_syntax(value) {
            // Quoted as Markdown quotes code that holds a backtick.
            let shell = if shell.contains('`') {
                format!("`` {shell} ``")
            } else {
                format!("`{shell}`")
            };
            report.warning(
                format!("{key}.{name}"),
                value_at,
                format!(
                    "{shell} is kept as text, at staging and at launch: only $NAME and ${{NAME}} are replaced, with no default and no command run (a manifest value never runs code); write the value without it"
                ),
            );
        }
        if in_install && let Some(lookalike) = dir_lookalike(value) {
            report.warning(
                format!("{key}.{name}"),
                value_at,
                format!(
                    "`{lookalike}` is kept as text, not replaced by the dependency's folder; write `{{{{dir}}}}`, in lower case without spaces"
                ),
            );
        }
    }
}

/// The first piece of shell syntax in `value` that a value keeps as text, as a shell user
/// would not expect: `${NAME:-default}` and other `${…}` that are not `${NAME}`, `$(command)`,
/// `` `command` ``.
fn shell_syntax(value: &str) -> Option<&str> {
    for (at, c) in value.char_indices() {
        let rest = &value[at..];
        let until = |close: char| {
            rest[1..]
                .find(close)
                .map_or(rest, |end| &rest[..end + 1 + close.len_utf8()])
        };
        match c {
            '`' => return Some(until('`')),
            '$' if rest.starts_with("$(") => return Some(until(')')),
            '$' if rest.starts_with("${") => {
                let shown = until('}');
                let inner = shown.strip_prefix("${").and_then(|s| s.strip_suffix('}'));
                if !inner.is_some_and(is_variable_name) {
                    return Some(shown);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first `{{ … }}` in `value` that reads as `{{dir}}` but is written otherwise
/// (`{{ dir }}`, as Go templates and Mustache allow, `{{DIR}}`, `{{.dir}}`), which is left as
/// text.
fn dir_lookalike(value: &str) -> Option<&str> {
    let mut rest = value;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}")?;
        let whole = &rest[start..start + 2 + end + 2];
        let inner = after[..end].trim().trim_start_matches('.');
        if whole != "{{dir}}" && inner.eq_ignore_ascii_case("dir") {
            return Some(whole);
        }
        rest = &rest[start + 2..];
    }
    None
}

/// `env: $BP_RUBY_VERSION` names a variable no environment has: the name goes without `$` (or
/// `${…}`), and names are letters, digits and `_`.
fn env_source_name(
    name: &str,
    key_path: &str,
    at: impl Fn(&str) -> Option<Position>,
    report: &mut Report,
) {
    if is_variable_name(name) {
        return;
    }
    let bare = name.trim_start_matches('$');
    let bare = bare
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .unwrap_or(bare);
    let fix = if is_variable_name(bare) {
        format!("write the variable's name alone: `env: {bare}`")
    } else {
        "use letters, digits and _ (not starting with a digit), such as `env: BP_RUBY_VERSION`"
            .to_string()
    };
    report.error(
        key_path,
        at(key_path),
        format!("`{name}` is not an environment variable name, so no app could set it; {fix}"),
    );
}

/// `web: ''` (or a command of blanks) starts nothing: the platform's launcher would run an
/// empty command, and the app never answers.
fn empty_start_commands(m: &Manifest, report: &mut Report) {
    for (i, command) in m.build.iter().enumerate() {
        let path = format!("build[{i}]");
        let node = node_at(m.tree.as_ref(), &path);
        // An item read as empty because it is no text (`- true`) has its error already.
        let written_empty = node.is_none_or(|n| match &n.value {
            Value::Scalar(s) => s.is_null() || s.resolved_type() == ScalarType::Str,
            _ => false,
        });
        if command.trim().is_empty() && written_empty {
            let position = node.map(|n| n.position);
            report.warning(
                path,
                position,
                "the command is empty, so it runs nothing (finalize skips it); write the command, or remove the item",
            );
        }
    }
    for (kind, command) in m.release.iter().flat_map(|r| &r.default_process_types) {
        if command.trim().is_empty() {
            let path = format!("release.default_process_types.{kind}");
            let position = node_at(m.tree.as_ref(), &path).map(|n| n.position);
            report.warning(
                path,
                position,
                format!("the `{kind}` command is empty, so that process would start nothing; write its start command, or remove it (an app's Procfile can give it)"),
            );
        }
    }
}

/// A NUL byte ends a C string, so no environment variable, process argument or line a shell
/// reads can hold one: an `env` value or command holding one would be cut, dropped or fail at
/// staging with a misleading cause ("cannot start bash"), so it is refused here, with the rest.
fn nul_bytes(m: &Manifest, report: &mut Report) {
    let tree = m.tree.as_ref();
    let mut found: Vec<(String, &str, Option<&Node>)> = Vec::new();
    let mut values = |block: String, pairs: &[(String, String)], what: &'static str| {
        for (name, _) in pairs.iter().filter(|(_, v)| v.contains('\0')) {
            let node = node_at(tree, &block).and_then(|n| n.get(name));
            found.push((format!("{block}.{name}"), what, node));
        }
    };
    for install in &m.install {
        values(
            format!("install[{}].env", install.index),
            &install.env,
            "value",
        );
    }
    values("launch_env".into(), &m.launch_env, "value");
    if let Some(release) = &m.release {
        values("release.config_vars".into(), &release.config_vars, "value");
        values(
            "release.default_process_types".into(),
            &release.default_process_types,
            "command",
        );
    }
    for (i, command) in m.build.iter().enumerate() {
        if command.contains('\0') {
            let path = format!("build[{i}]");
            let node = node_at(tree, &path);
            found.push((path, "command", node));
        }
    }
    found.sort_by_key(|(_, _, node)| node.map(|n| (n.position.line, n.position.column)));
    for (path, what, node) in found {
        report.error(
            path,
            node.map(|n| n.position),
            format!("the {what} holds a NUL byte (\\0), which no environment variable, command or script line can hold; remove it"),
        );
    }
}

pub(super) fn check(m: &Manifest, report: &mut Report) {
    if let Some(detect) = &m.detect {
        detect_name(detect.name.as_deref(), m, report);
        check_rule(&detect.rule, "detect", report, m);
    }
    empty_start_commands(m, report);
    variable_names(m, report);
    nul_bytes(m, report);
    for (i, install) in m.install.iter().enumerate() {
        let path = format!("install[{}]", install.index);
        // The line of the key at fault (`install[0].version_from[1].regex`), else the entry's.
        let at = |key_path: &str| {
            node_at(m.tree.as_ref(), key_path)
                .map(|n| n.position)
                .or(Some(install.position))
        };
        // Each entry installs into DEPS_DIR/IDX/<name> and is one key of config.yml's
        // `dependencies`: a second entry of the same name would replace the first's folder and
        // write that key twice, which YAML readers refuse.
        if let Some(first) = m.install[..i]
            .iter()
            .find(|earlier| !install.name.is_empty() && earlier.name == install.name)
            .map(|earlier| earlier.index)
        {
            report.error(
                format!("{path}.name"),
                at(&format!("{path}.name")),
                format!(
                    "`{}` is installed by install[{first}] already; install each dependency once",
                    install.name
                ),
            );
        }
        // The name becomes the folder DEPS_DIR/IDX/<name>, which supply replaces: `..` or a
        // `/` would reach outside the buildpack's own deps folder.
        if install.name == "." || install.name == ".." || install.name.contains(['/', '\0']) {
            report.error(
                format!("{path}.name"),
                at(&format!("{path}.name")),
                format!(
                    "`{}` cannot be a folder name (the dependency installs into DEPS_DIR/IDX/<name>); rename the dependency without `/` and not `.` or `..`",
                    install.name
                ),
            );
        }
        // DEPS_DIR/IDX/<name> sits beside what supply writes there and what finalize and later
        // buildpacks read: a dependency of such a name would be installed over it.
        if RESERVED_NAMES.contains(&install.name.as_str()) {
            report.error(
                format!("{path}.name"),
                at(&format!("{path}.name")),
                format!(
                    "`{}` is the name of an entry supply or finalize keeps in DEPS_DIR/IDX beside the dependencies ({}); rename the dependency",
                    install.name,
                    RESERVED_NAMES.join(", ")
                ),
            );
        }
        if !install.name.is_empty() && !m.dependencies.iter().any(|d| d.name == install.name) {
            report.error(
                format!("{path}.name"),
                at(&format!("{path}.name")),
                format!(
                    "`{}` is not the name of any dependency; add it under `dependencies:`",
                    install.name
                ),
            );
        }
        for (j, source) in install.version_from.iter().enumerate() {
            if let VersionSource::Env { name } = source {
                env_source_name(name, &format!("{path}.version_from[{j}].env"), at, report);
            }
            if let VersionSource::File {
                regex: Some(regex), ..
            } = source
            {
                match Regex::new(regex) {
                    Ok(re) if re.captures_len() < 2 => report.error(
                        format!("{path}.version_from[{j}].regex"),
                        at(&format!("{path}.version_from[{j}].regex")),
                        "the regex has no capture group; put the version in ( )",
                    ),
                    Ok(_) => {}
                    Err(e) => report.error(
                        format!("{path}.version_from[{j}].regex"),
                        at(&format!("{path}.version_from[{j}].regex")),
                        format!("not a valid regular expression: {}", regex_reason(&e)),
                    ),
                }
            }
        }
        install_folders(install, &path, &at, report);
    }
}

/// An install entry's `path` and `library_path` folders: each one inside the dependency.
fn install_folders(
    install: &super::super::model::Install,
    path: &str,
    at: &dyn Fn(&str) -> Option<Position>,
    report: &mut Report,
) {
    let folders = [
        ("path", &install.path),
        ("library_path", &install.library_path),
    ];
    for (key, dir, j) in folders
        .iter()
        .flat_map(|(key, dirs)| dirs.iter().enumerate().map(move |(j, d)| (key, d, j)))
    {
        let message = if dir.trim().is_empty() {
            "the folder is empty; write a folder inside the dependency (`bin`, or `.` for its top folder), or remove the item".to_string()
        } else if Path::new(dir).is_absolute() || dir.split('/').any(|part| part == "..") {
            format!("`{dir}` must be a folder inside the dependency")
        } else {
            continue;
        };
        let key_path = format!("{path}.{key}[{j}]");
        report.error(key_path.clone(), at(&key_path), message);
    }
}

/// detect prints `detect.name` as the buildpack's name, which the platform shows on one line:
/// a blank one is the language instead (said here), and one of several lines is refused.
fn detect_name(name: Option<&str>, m: &Manifest, report: &mut Report) {
    let Some(name) = name else {
        return;
    };
    let position = node_at(m.tree.as_ref(), "detect.name").map(|n| n.position);
    if name.trim().is_empty() {
        report.warning(
            "detect.name",
            position,
            format!(
                "the name is blank, so detect prints the language, `{}`; write the name, or remove the key",
                m.language()
            ),
        );
    } else if name.trim_end().chars().any(char::is_control) {
        // (A trailing line break, as a `name: |` block gives, is dropped when detect prints.)
        report.error(
            "detect.name",
            position,
            format!(
                "{name:?} holds a line break or another control character; detect prints the name as the buildpack's, on one line: write it on one line"
            ),
        );
    }
}

fn check_rule(rule: &DetectRule, path: &str, report: &mut Report, m: &Manifest) {
    // The line of the key at fault (`detect.any_of[1].contains`), else of `detect:`.
    let detect = m.tree.as_ref().and_then(|t| t.get("detect"));
    let at = |key: &str| {
        node_at(detect, path.strip_prefix("detect").unwrap_or(path))
            .and_then(|rule| rule.get(key))
            .or(detect)
            .map(|n| n.position)
    };
    // A mapping with both `any_of` and `all_of` is read as `all_of: [any_of, all_of]` (both must
    // hold); each part is the mapping's own key, so it is checked at this path, not at a
    // `.all_of[0]` the manifest does not have.
    if let DetectRule::AllOf(parts) = rule
        && let [any @ DetectRule::AnyOf(_), all @ DetectRule::AllOf(_)] = parts.as_slice()
        && node_at(detect, path.strip_prefix("detect").unwrap_or(path))
            .is_some_and(|node| node.get("any_of").is_some() && node.get("all_of").is_some())
    {
        check_rule(any, path, report, m);
        check_rule(all, path, report, m);
        return;
    }
    match rule {
        DetectRule::File { pattern, contains } => {
            if let Err(e) = globset::Glob::new(pattern) {
                report.error(
                    format!("{path}.file"),
                    at("file"),
                    format!("`{pattern}` is not a valid path or glob: {e}"),
                );
            }
            if let Some(regex) = contains
                && let Err(e) = Regex::new(regex)
            {
                report.error(
                    format!("{path}.contains"),
                    at("contains"),
                    format!("not a valid regular expression: {}", regex_reason(&e)),
                );
            }
        }
        DetectRule::AnyOf(rules) | DetectRule::AllOf(rules) => {
            let group = if matches!(rule, DetectRule::AnyOf(_)) {
                "any_of"
            } else {
                "all_of"
            };
            // An empty group never matches (bpkit's detect, like `any?`/`all?` on nothing here,
            // takes no rule as no match), so a buildpack whose detect is `any_of: []` never
            // detects any app, without a word.
            // A group that is not written at all is the loader's error (`required key is
            // missing`): the warning would only say it again.
            let written = m.tree.is_none()
                || node_at(detect, path.strip_prefix("detect").unwrap_or(path))
                    .and_then(|rule| rule.get(group))
                    .is_some();
            if rules.is_empty() && written {
                report.warning(
                    format!("{path}.{group}"),
                    at(group),
                    format!(
                        "no rules, so it matches no app; add rules such as `- file: Gemfile` under `{group}:`"
                    ),
                );
            }
            for (i, inner) in rules.iter().enumerate() {
                check_rule(inner, &format!("{path}.{group}[{i}]"), report, m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::messages;
    use super::{dir_lookalike, shell_syntax};

    /// A version_from variable must be a name an environment can hold: `$X` gets its fix.
    #[test]
    fn a_version_from_variable_is_a_name() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n  version_from:\n  - env: $BP_T\n  - env: '${{BP_T}}'\n  - env: bp-t\n  - env: BP_T\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:7:10: error: install[0].version_from[0].env: `$BP_T` is not an environment variable name, so no app could set it; write the variable's name alone: `env: BP_T`",
                "m.yml:8:10: error: install[0].version_from[1].env: `${BP_T}` is not an environment variable name, so no app could set it; write the variable's name alone: `env: BP_T`",
                "m.yml:9:10: error: install[0].version_from[2].env: `bp-t` is not an environment variable name, so no app could set it; use letters, digits and _ (not starting with a digit), such as `env: BP_RUBY_VERSION`",
            ]
        );
    }

    /// `any_of` and `all_of` side by side are read as both holding; each is checked as the key
    /// it is (`detect.any_of[0]`, not the `detect.all_of[0].any_of[0]` of the rule they make),
    /// at its own line, and an empty one warns that nothing can match, as alone.
    #[test]
    fn any_of_beside_all_of_is_checked_key_by_key() {
        let got = messages(
            "language: x\ndetect:\n  any_of:\n  - file: Gemfile\n    contains: \"(x\"\n  all_of: []\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:5:15: error: detect.any_of[0].contains: not a valid regular expression: unclosed group",
                "m.yml:6:11: warning: detect.all_of: no rules, so it matches no app; add rules such as `- file: Gemfile` under `all_of:`",
            ]
        );
        let got = messages(
            "language: x\ndetect:\n  all_of:\n  - any_of: [{file: a}]\n    all_of: [{file: b, contains: \"(y\"}]\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:5:34: error: detect.all_of[0].all_of[0].contains: not a valid regular expression: unclosed group"
            ]
        );
        // The same rule written out as a list under all_of keeps the list's paths.
        let got = messages(
            "language: x\ndetect:\n  all_of:\n  - any_of: [{file: a, contains: \"(x\"}]\n  - all_of: [{file: b}]\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:4:34: error: detect.all_of[0].any_of[0].contains: not a valid regular expression: unclosed group"
            ]
        );
    }

    /// An empty start command is warned about, at its line.
    #[test]
    fn an_empty_start_command_is_warned_about() {
        let got = messages(
            "language: x\nrelease:\n  default_process_types:\n    web: ''\n    worker: ./w\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:4:10: warning: release.default_process_types.web: the `web` command is empty, so that process would start nothing; write its start command, or remove it (an app's Procfile can give it)"
            ]
        );
    }

    /// An empty detect `file:` named the app's folder, so the buildpack matched every app; an
    /// empty or glob `version_from` file never asked for a version. `.` is left alone: it
    /// says "every app" on purpose.
    #[test]
    fn empty_and_glob_app_files_are_errors() {
        let sha = "0".repeat(64);
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ndetect:\n  any_of:\n  - file: ''\n  - file: .\n  - file: '*.csproj'\ninstall:\n- name: t\n  version_from:\n  - file: '*.csproj'\n    regex: 'net(\\d+)'\n  - file: ' '\n  - file: .t-version\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:6:11: error: detect.any_of[0].file: the path is empty, so the rule names the app's folder itself and matches every app; write a file such as `Gemfile`",
                "m.yml:12:11: error: install[0].version_from[0].file: `*.csproj` is a glob, but version_from reads one file by its path (only detect's `file:` takes globs), so no version is ever read from it; name the file, such as `.ruby-version`",
                "m.yml:14:11: error: install[0].version_from[1].file: the path is empty, so no version is ever read from it; name the file, such as `.ruby-version`",
            ]
        );
    }

    /// An empty `build:` item runs nothing: warned about at its own line and index, which
    /// a null item (`- ` alone) keeps, so the items after it keep theirs.
    #[test]
    fn an_empty_build_command_is_warned_about_at_its_own_index() {
        let got = messages("language: x\nbuild:\n- make\n-\n- ' '\n- \"echo \\0\"\n");
        assert_eq!(
            got,
            [
                "m.yml:4:2: warning: build[1]: the command is empty, so it runs nothing (finalize skips it); write the command, or remove the item",
                "m.yml:5:3: warning: build[2]: the command is empty, so it runs nothing (finalize skips it); write the command, or remove the item",
                "m.yml:6:3: error: build[3]: the command holds a NUL byte (\\0), which no environment variable, command or script line can hold; remove it",
            ]
        );
    }

    /// A detect group with no rules never matches: warned about, at any depth.
    #[test]
    fn an_empty_detect_group_is_warned_about() {
        let got = messages("language: x\ndetect:\n  any_of:\n");
        assert_eq!(
            got,
            [
                "m.yml:3:9: warning: detect.any_of: no rules, so it matches no app; add rules such as `- file: Gemfile` under `any_of:`"
            ]
        );
        let got = messages("language: x\ndetect:\n  any_of:\n  - file: a\n  - all_of: []\n");
        assert_eq!(
            got,
            [
                "m.yml:5:13: warning: detect.any_of[1].all_of: no rules, so it matches no app; add rules such as `- file: Gemfile` under `all_of:`"
            ]
        );
        assert_eq!(
            messages("language: x\ndetect:\n  all_of: [{file: a}]\n"),
            Vec::<String>::new()
        );
        // Not written at all (here misspelt): the missing key's error, and no warning saying
        // the same again.
        let got = messages("language: x\ndetect:\n  name: X\n  any_off:\n  - file: a\n");
        assert!(
            got.iter()
                .any(|m| m.contains("error: detect.any_of: required key is missing"))
                && !got.iter().any(|m| m.contains("no rules")),
            "{got:?}"
        );
    }

    #[test]
    fn declarative_keys_are_checked() {
        let got = messages(
            "language: x\ndetect:\n  any_of:\n  - file: Gemfile\n    contains: '('\ninstall:\n- name: ruby\n  version_from:\n  - file: .ruby-version\n    regex: 'ruby'\n",
        );
        assert_eq!(
            got,
            [
                "m.yml:5:15: error: detect.any_of[0].contains: not a valid regular expression: unclosed group",
                "m.yml:7:9: error: install[0].name: `ruby` is not the name of any dependency; add it under `dependencies:`",
                "m.yml:10:12: error: install[0].version_from[0].regex: the regex has no capture group; put the version in ( )",
            ]
        );
    }

    #[test]
    fn an_install_entry_comes_once_and_folders_are_named_by_their_key() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: ruby, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: ruby\n  path: [bin]\n  library_path: [lib, ../lib]\n- name: ruby\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:7:23: error: install[0].library_path[1]: `../lib` must be a folder inside the dependency",
                "m.yml:8:9: error: install[1].name: `ruby` is installed by install[0] already; install each dependency once",
            ]
        );
    }

    /// An empty `path` or `library_path` item is refused at its own index and line, which a
    /// null item (`- ` alone) keeps: it was dropped, and the next item's error named it
    /// (`path[1]: `/abs` …` for the manifest's `path[2]`) at the empty item's line.
    #[test]
    fn an_empty_folder_item_is_refused_and_keeps_the_later_items_in_place() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: ruby, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: ruby\n  path:\n  - bin\n  -\n  - /abs\n  library_path: ['', ' ']\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:8:4: error: install[0].path[1]: the folder is empty; write a folder inside the dependency (`bin`, or `.` for its top folder), or remove the item",
                "m.yml:9:5: error: install[0].path[2]: `/abs` must be a folder inside the dependency",
                "m.yml:10:18: error: install[0].library_path[0]: the folder is empty; write a folder inside the dependency (`bin`, or `.` for its top folder), or remove the item",
                "m.yml:10:22: error: install[0].library_path[1]: the folder is empty; write a folder inside the dependency (`bin`, or `.` for its top folder), or remove the item",
            ]
        );
    }

    /// DEPS_DIR/IDX holds supply's own `bin`, `lib`, `env`, `profile.d` and `config.yml`, and
    /// finalize and later buildpacks read `include`, `pkgconfig` and `override.yml` there: a
    /// dependency of one of these names was installed over them (every top-level file of a
    /// dependency named `profile.d` was sourced at launch, of one named `env` exported as a
    /// variable and then removed as stale; one named `config.yml` failed with "Is a
    /// directory").
    #[test]
    fn an_install_name_may_not_be_one_of_supplys_own_entries() {
        use std::fmt::Write as _;
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let names = [
            "bin",
            "lib",
            "include",
            "pkgconfig",
            "env",
            "profile.d",
            "config.yml",
            "override.yml",
        ];
        let mut text = String::from("language: x\ndependencies:\n");
        for (i, name) in names.iter().enumerate() {
            let _ = writeln!(
                text,
                "- {{name: {name}, version: 1.0.0, uri: 'https://e/{i}', sha256: {sha}, cf_stacks: [s]}}"
            );
        }
        text.push_str("install:\n");
        for name in names {
            let _ = writeln!(text, "- name: {name}");
        }
        let got = messages(&text);
        let expected: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                format!(
                    "m.yml:{}:9: error: install[{i}].name: `{name}` is the name of an entry supply or finalize keeps in DEPS_DIR/IDX beside the dependencies (bin, lib, include, pkgconfig, env, profile.d, config.yml, override.yml); rename the dependency",
                    12 + i
                )
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn an_install_name_must_be_a_folder_name() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: '..', version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\n- {{name: a/b, version: 1.0.0, uri: 'https://e/2', sha256: {sha}, cf_stacks: [s]}}\n- {{name: '.x', version: 1.0.0, uri: 'https://e/3', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: '..'\n- name: a/b\n- name: '.x'\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:7:9: error: install[0].name: `..` cannot be a folder name (the dependency installs into DEPS_DIR/IDX/<name>); rename the dependency without `/` and not `.` or `..`",
                "m.yml:8:9: error: install[1].name: `a/b` cannot be a folder name (the dependency installs into DEPS_DIR/IDX/<name>); rename the dependency without `/` and not `.` or `..`",
            ]
        );
    }

    #[test]
    fn variable_names_are_checked_where_they_are_written() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n  env: {{GOOD_1: a, ../x: b}}\nlaunch_env: {{1BAD: c, _ok: d}}\nrelease:\n  config_vars: {{A-B: e}}\n"
        ));
        let reason = "is not a valid environment variable name; use letters, digits and _ (not starting with a digit)";
        assert_eq!(
            got,
            [
                format!("m.yml:6:20: error: install[0].env.../x: `../x` {reason}"),
                format!("m.yml:7:14: error: launch_env.1BAD: `1BAD` {reason}"),
                format!("m.yml:9:17: error: release.config_vars.A-B: `A-B` {reason}"),
            ]
        );
    }

    /// Shell syntax a value keeps as text (`${PORT:-8080}`, `$(hostname)`) was written to the
    /// launch script escaped, so the app saw it literally, without a word.
    #[test]
    fn shell_syntax_kept_as_text_is_warned_about() {
        let got = messages(
            "language: x\nlaunch_env:\n  A: '-Dport=${PORT:-8080}'\n  B: '$(hostname) ${HOME}'\n  C: '`id`'\n  D: '${HOME}/x $1 $$'\n",
        );
        let rest = "is kept as text, at staging and at launch: only $NAME and ${NAME} are replaced, with no default and no command run (a manifest value never runs code); write the value without it";
        assert_eq!(
            got,
            [
                format!("m.yml:3:6: warning: launch_env.A: `${{PORT:-8080}}` {rest}"),
                format!("m.yml:4:6: warning: launch_env.B: `$(hostname)` {rest}"),
                format!("m.yml:5:6: warning: launch_env.C: `` `id` `` {rest}"),
            ]
        );
        assert_eq!(shell_syntax("${unclosed"), Some("${unclosed"));
        assert_eq!(shell_syntax("${}"), Some("${}"));
        assert_eq!(shell_syntax("é${A}é$(x"), Some("$(x"));
        assert_eq!(shell_syntax("${A_1}/$B {{dir}}"), None);
    }

    /// detect printed a blank `name:` as an empty line, and one of two lines as two.
    #[test]
    fn a_blank_or_multi_line_detect_name_is_reported() {
        assert_eq!(
            messages("language: ruby\ndetect:\n  name: ''\n  any_of: [{file: Gemfile}]\n"),
            [
                "m.yml:3:9: warning: detect.name: the name is blank, so detect prints the language, `ruby`; write the name, or remove the key"
            ]
        );
        assert_eq!(
            messages(
                "language: ruby\ndetect:\n  name: \"Ruby\\nRails\"\n  any_of: [{file: Gemfile}]\n"
            ),
            [
                "m.yml:3:9: error: detect.name: \"Ruby\\nRails\" holds a line break or another control character; detect prints the name as the buildpack's, on one line: write it on one line"
            ]
        );
        assert_eq!(
            messages("language: ruby\ndetect:\n  name: |\n    Ruby\n  any_of: [{file: Gemfile}]\n"),
            Vec::<String>::new()
        );
    }

    /// `{{dir}}` outside install[].env stops staging: validate said "valid". A lookalike of
    /// it in install[].env is kept as text without a word.
    #[test]
    fn dir_placeholders_where_they_mean_nothing_are_reported() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n  env: {{A: '{{{{dir}}}}/a', B: '{{{{ dir }}}}/b', C: 'x{{{{DIR}}}}', D: '{{{{x}}}} {{{{dir}}}}'}}\nlaunch_env: {{L: '{{{{dir}}}}/l'}}\nrelease:\n  config_vars: {{R: '$HOME/{{{{dir}}}}'}}\n"
        ));
        assert_eq!(
            got,
            [
                "m.yml:6:28: warning: install[0].env.B: `{{ dir }}` is kept as text, not replaced by the dependency's folder; write `{{dir}}`, in lower case without spaces",
                "m.yml:6:46: warning: install[0].env.C: `{{DIR}}` is kept as text, not replaced by the dependency's folder; write `{{dir}}`, in lower case without spaces",
                "m.yml:7:17: error: launch_env.L: `{{dir}}` only means something under install[].env; write the folder as $DEPS_DIR/<index>/<name> or $HOME/<path>",
                "m.yml:9:20: error: release.config_vars.R: `{{dir}}` only means something under install[].env; write the folder as $DEPS_DIR/<index>/<name> or $HOME/<path>",
            ]
        );
        assert_eq!(dir_lookalike("{{ .Dir }}/x"), Some("{{ .Dir }}"));
        assert_eq!(dir_lookalike("{{dir}} {{ dir}}"), Some("{{ dir}}"));
        assert_eq!(dir_lookalike("{{dir}}/{{name}} {{"), None);
    }

    /// A NUL byte ends a C string: no environment variable, no argument and no line of a
    /// launch script can hold one. Passed through, `build:` failed at staging as "cannot start
    /// bash; build commands need bash on the PATH", a value was written into `env/` files (which
    /// later buildpacks skip) and profile scripts (which bash reads without it).
    #[test]
    fn nul_bytes_in_commands_and_values_are_errors() {
        let sha = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";
        let got = messages(&format!(
            "language: x\ndependencies:\n- {{name: t, version: 1.0.0, uri: 'https://e/1', sha256: {sha}, cf_stacks: [s]}}\ninstall:\n- name: t\n  env: {{A: \"a\\0b\"}}\nbuild:\n- \"echo \\0\"\nlaunch_env: {{B: \"\\0\"}}\nrelease:\n  config_vars: {{C: \"c\\0\"}}\n  default_process_types: {{web: \"run \\0\"}}\n"
        ));
        let reason = "holds a NUL byte (\\0), which no environment variable, command or script line can hold; remove it";
        assert_eq!(
            got,
            [
                format!("m.yml:6:12: error: install[0].env.A: the value {reason}"),
                format!("m.yml:8:3: error: build[0]: the command {reason}"),
                format!("m.yml:9:17: error: launch_env.B: the value {reason}"),
                format!("m.yml:11:20: error: release.config_vars.C: the value {reason}"),
                format!(
                    "m.yml:12:32: error: release.default_process_types.web: the command {reason}"
                ),
            ]
        );
    }
}
