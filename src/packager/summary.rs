//! Dependency tables: `bpkit summary` in the Go packager's markdown, `bpkit list` and
//! `bpkit defaults` in the Ruby gem's (terminal-table rendered as markdown), and the same data
//! as JSON. Release notes and CI scripts paste these, so the text matches the originals.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::manifest::{DefaultVersion, Dependency, Manifest};
use crate::version::Version;

/// The Go packager's `summary`, exactly (`fmt.Println` adds the final newline): sections
/// "Packaged binaries" (sorted by name, then version), "Default binary versions" and
/// "Packaging profiles", each left out when empty.
pub fn go_summary(manifest: &Manifest) -> String {
    let mut out = String::new();
    let dependencies = go_sorted(&manifest.dependencies);
    let has_modules = dependencies.iter().any(|d| !d.modules.is_empty());
    if !dependencies.is_empty() {
        out.push_str("\nPackaged binaries:\n\n");
        if has_modules {
            out.push_str("| name | version | cf_stacks | modules |\n|-|-|-|-|\n");
        } else {
            out.push_str("| name | version | cf_stacks |\n|-|-|-|\n");
        }
    }
    for d in &dependencies {
        let stacks = sorted_stacks(d).join(", ");
        if has_modules {
            let _ = writeln!(
                out,
                "| {} | {} | {stacks} | {} |",
                d.name,
                d.version,
                module_names(d).join(", ")
            );
        } else {
            let _ = writeln!(out, "| {} | {} | {stacks} |", d.name, d.version);
        }
    }
    if !manifest.default_versions.is_empty() {
        out.push_str("\nDefault binary versions:\n\n| name | version |\n|-|-|\n");
        for d in &manifest.default_versions {
            let _ = writeln!(out, "| {} | {} |", d.name, d.version);
        }
    }
    if !manifest.packaging_profiles.is_empty() {
        let mut profiles: Vec<_> = manifest.packaging_profiles.iter().collect();
        profiles.sort_by(|a, b| a.name.cmp(&b.name));
        let width = profiles.iter().map(|p| p.name.len()).max().unwrap_or(0);
        out.push_str("\nPackaging profiles:\n\n");
        for p in profiles {
            let line = format!(
                "  {:width$}  {}",
                p.name,
                p.description.as_deref().unwrap_or_default()
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// The Go packager's order: by name, then by semver when both versions are semver, else by
/// text, sorted by Go's own (unstable) algorithm so that entries equal in both, and
/// comparisons the mixed rule makes inconsistent, come out as Go puts them.
fn go_sorted(dependencies: &[Dependency]) -> Vec<&Dependency> {
    let mut sorted: Vec<&Dependency> = dependencies.iter().collect();
    super::go_sort::sort_by_less(&mut sorted, |a, b| {
        a.name.cmp(&b.name).then_with(|| {
            match (Version::parse(&a.version), Version::parse(&b.version)) {
                (Some(va), Some(vb)) => va.cmp(&vb),
                _ => a.version.cmp(&b.version),
            }
        }) == Ordering::Less
    });
    sorted
}

fn sorted_stacks(d: &Dependency) -> Vec<&str> {
    let mut stacks: Vec<&str> = d.cf_stacks.iter().flatten().map(String::as_str).collect();
    stacks.sort_unstable();
    stacks
}

fn module_names(d: &Dependency) -> Vec<&str> {
    let mut names: Vec<&str> = d.modules.iter().map(|m| m.name.as_str()).collect();
    names.sort_unstable();
    names
}

/// The Ruby gem's `--list`: one row per dependency (interpreters first), stacks joined by `,`.
/// Its `DependenciesPresenter` adds a `modules` column when any dependency has a `modules` key
/// (even an empty list), showing that list sorted; nested `dependencies` are not modules to it.
pub fn ruby_list(manifest: &Manifest) -> String {
    let dependencies = ruby_sorted(&manifest.dependencies, |d| (&d.name, &d.version));
    let has_modules = dependencies.iter().any(|d| d.listed_modules.is_some());
    let mut headings = vec!["name", "version", "cf_stacks"];
    if has_modules {
        headings.push("modules");
    }
    let rows: Vec<Vec<String>> = dependencies
        .iter()
        .map(|d| {
            let mut row = vec![
                d.name.clone(),
                ruby_version(&d.version),
                sorted_stacks(d).join(","),
            ];
            if has_modules {
                let mut names: Vec<&str> = d
                    .listed_modules
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                names.sort_unstable();
                row.push(names.join(", "));
            }
            row
        })
        .collect();
    markdown_table(&headings, &rows)
}

/// The Ruby gem's `--defaults`.
pub fn ruby_defaults(manifest: &Manifest) -> String {
    let defaults = ruby_sorted(&manifest.default_versions, |d: &DefaultVersion| {
        (&d.name, &d.version)
    });
    let rows: Vec<Vec<String>> = defaults
        .iter()
        .map(|d| vec![d.name.clone(), ruby_version(&d.version)])
        .collect();
    markdown_table(&["name", "version"], &rows)
}

/// The gem shows an integer version 0 as `-`.
fn ruby_version(version: &str) -> String {
    if version == "0" {
        "-".into()
    } else {
        version.to_string()
    }
}

/// The gem's `sort_string_for`: `"<index>-<name>-<version>"` compared as text, where the index
/// puts interpreters first.
fn ruby_sorted<T>(items: &[T], key: impl Fn(&T) -> (&String, &String)) -> Vec<&T> {
    const INTERPRETERS: [&str; 7] = ["ruby", "jruby", "php", "hhvm", "python", "go", "node"];
    let sort_string = |item: &T| {
        let (name, version) = key(item);
        let index = INTERPRETERS.iter().position(|i| i == name).unwrap_or(9999);
        format!("{index}-{name}-{version}")
    };
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| sort_string(a).cmp(&sort_string(b)).then(Ordering::Equal));
    sorted
}

/// A terminal-table table as the gem's `to_markdown` prints it: the heading row, a `|---|`
/// rule, the rows, cells padded to the widest in their column.
fn markdown_table(headings: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headings.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::from("|");
        for (cell, width) in cells.zip(&widths) {
            let pad = width - cell.chars().count();
            text.push(' ');
            text.push_str(cell);
            text.push_str(&" ".repeat(pad));
            text.push_str(" |");
        }
        text.push('\n');
        text
    };
    let mut out = line(&mut headings.iter().copied());
    out.push('|');
    for width in &widths {
        out.push_str(&"-".repeat(width + 2));
        out.push('|');
    }
    out.push('\n');
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

fn dependency_json(d: &Dependency) -> Value {
    json!({
        "name": d.name,
        "version": d.version,
        "cf_stacks": sorted_stacks(d),
        "modules": module_names(d),
    })
}

/// `summary --json`.
pub fn summary_json(manifest: &Manifest) -> Value {
    let mut document = list_json(manifest);
    document["default_versions"] = defaults_json(manifest)["default_versions"].take();
    let mut profiles: Vec<_> = manifest.packaging_profiles.iter().collect();
    profiles.sort_by(|a, b| a.name.cmp(&b.name));
    document["packaging_profiles"] = profiles
        .iter()
        .map(|p| json!({"name": p.name, "description": p.description, "exclude": p.exclude}))
        .collect();
    document
}

/// `list --json`.
pub fn list_json(manifest: &Manifest) -> Value {
    json!({
        "dependencies": go_sorted(&manifest.dependencies)
            .into_iter()
            .map(dependency_json)
            .collect::<Vec<_>>(),
    })
}

/// `defaults --json`.
pub fn defaults_json(manifest: &Manifest) -> Value {
    json!({
        "default_versions": manifest
            .default_versions
            .iter()
            .map(|d| json!({"name": d.name, "version": d.version}))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const MD5: &str = "900150983cd24fb0d6963f7d28e17f72";

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(text, Path::new("manifest.yml")).unwrap().0
    }

    #[test]
    fn go_summary_matches_the_go_packager() {
        let m = manifest(&format!(
            "language: ruby\ndefault_versions:\n- name: ruby\n  version: 1.2.3\ndependencies:\n- {{name: ruby, version: 1.2.3, uri: a, md5: {MD5}, cf_stacks: [cflinuxfs3]}}\n- {{name: ruby, version: 1.2.3, uri: b, md5: {MD5}, cf_stacks: [cflinuxfs2]}}\n- {{name: go, version: 1.10, uri: c, md5: {MD5}, cf_stacks: [s2, s1]}}\n- {{name: go, version: 1.9, uri: d, md5: {MD5}, cf_stacks: [s1]}}\n"
        ));
        assert_eq!(
            go_summary(&m),
            "\nPackaged binaries:\n\n| name | version | cf_stacks |\n|-|-|-|\n| go | 1.9 | s1 |\n| go | 1.10 | s1, s2 |\n| ruby | 1.2.3 | cflinuxfs3 |\n| ruby | 1.2.3 | cflinuxfs2 |\n\nDefault binary versions:\n\n| name | version |\n|-|-|\n| ruby | 1.2.3 |\n\n"
        );
    }

    #[test]
    fn go_summary_with_modules_and_profiles() {
        let m = manifest(&format!(
            "language: php\ndependencies:\n- {{name: php, version: 1.6.1, uri: a, md5: {MD5}, cf_stacks: [cflinuxfs2], dependencies: [{{name: zlib}}, {{name: gearman}}, {{name: geoip}}]}}\n- {{name: nginx, version: 1.7.3, uri: b, md5: {MD5}, cf_stacks: [cflinuxfs2]}}\npackaging_profiles:\n  no-profiler: {{description: Core and agents only., exclude: [nginx]}}\n  minimal: {{description: Core only., exclude: [nginx]}}\n"
        ));
        assert_eq!(
            go_summary(&m),
            "\nPackaged binaries:\n\n| name | version | cf_stacks | modules |\n|-|-|-|-|\n| nginx | 1.7.3 | cflinuxfs2 |  |\n| php | 1.6.1 | cflinuxfs2 | gearman, geoip, zlib |\n\nPackaging profiles:\n\n  minimal      Core only.\n  no-profiler  Core and agents only.\n\n"
        );
        assert_eq!(go_summary(&manifest("language: x\n")), "\n");
    }

    #[test]
    fn ruby_tables() {
        let m = manifest(&format!(
            "language: ruby\ndefault_versions:\n- {{name: ruby, version: 2.2.x}}\ndependencies:\n- {{name: bundler, version: 1.9.7, uri: a, md5: {MD5}, cf_stacks: [lucid64, cflinuxfs2]}}\n- {{name: ruby, version: 2.2.2, uri: b, md5: {MD5}, cf_stacks: [cflinuxfs2]}}\n- {{name: libyaml, version: 0, uri: c, md5: {MD5}, cf_stacks: [cflinuxfs2]}}\n"
        ));
        assert_eq!(
            ruby_list(&m),
            "| name    | version | cf_stacks          |\n|---------|---------|--------------------|\n| ruby    | 2.2.2   | cflinuxfs2         |\n| bundler | 1.9.7   | cflinuxfs2,lucid64 |\n| libyaml | -       | cflinuxfs2         |\n"
        );
        assert_eq!(
            ruby_defaults(&m),
            "| name | version |\n|------|---------|\n| ruby | 2.2.x   |\n"
        );
        assert_eq!(
            ruby_defaults(&manifest("language: x\n")),
            "| name | version |\n|------|---------|\n"
        );
    }

    /// The gem sorts `"<index>-<name>-<version>"` as text (`sort_string_for`), so 1.10 comes
    /// before 1.9 in its `--list`, and in bpkit's: a drop-in keeps the gem's order. `summary`
    /// (the Go packager's) and the `--json` data sort versions as versions.
    #[test]
    fn ruby_list_sorts_versions_as_text_as_the_gem_does() {
        let m = manifest(&format!(
            "language: go\ndependencies:\n- {{name: go, version: 1.9.7, uri: a, md5: {MD5}, cf_stacks: [s]}}\n- {{name: dep, version: 0.9.0, uri: b, md5: {MD5}, cf_stacks: [s]}}\n- {{name: go, version: 1.10.3, uri: c, md5: {MD5}, cf_stacks: [s]}}\n- {{name: dep, version: 0.10.0, uri: d, md5: {MD5}, cf_stacks: [s]}}\n"
        ));
        assert_eq!(
            ruby_list(&m),
            "| name | version | cf_stacks |\n|------|---------|-----------|\n| go   | 1.10.3  | s         |\n| go   | 1.9.7   | s         |\n| dep  | 0.10.0  | s         |\n| dep  | 0.9.0   | s         |\n"
        );
        let versions: Vec<_> = list_json(&m)["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["version"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(versions, ["0.9.0", "0.10.0", "1.9.7", "1.10.3"]);
    }

    #[test]
    fn ruby_list_shows_the_modules_key_not_nested_dependencies() {
        // The gem's schema: `modules` is a list of names. Nested `dependencies` (the Go
        // packager's modules) make no column in its --list.
        let nested = manifest(&format!(
            "language: php\ndependencies:\n- {{name: php, version: 7.4.1, uri: a, md5: {MD5}, cf_stacks: [cflinuxfs3], dependencies: [{{name: zlib}}, {{name: gearman}}]}}\n"
        ));
        assert_eq!(
            ruby_list(&nested),
            "| name | version | cf_stacks  |\n|------|---------|------------|\n| php  | 7.4.1   | cflinuxfs3 |\n"
        );
        let listed_text = format!(
            "language: php\ndependencies:\n- {{name: php, version: 5.5.30, uri: a, md5: {MD5}, cf_stacks: [cflinuxfs2], modules: [mysqli, bz2, curl], dependencies: [{{name: zlib}}]}}\n- {{name: nginx, version: 1.9.6, uri: b, md5: {MD5}, cf_stacks: [cflinuxfs2]}}\n- {{name: composer, version: 1.0.0, uri: c, md5: {MD5}, cf_stacks: [cflinuxfs2], modules: []}}\n"
        );
        let (listed, report) = Manifest::parse(&listed_text, Path::new("manifest.yml")).unwrap();
        assert!(!report.has_errors(), "{:?}", report.diagnostics);
        assert_eq!(
            ruby_list(&listed),
            "| name     | version | cf_stacks  | modules           |\n|----------|---------|------------|-------------------|\n| php      | 5.5.30  | cflinuxfs2 | bz2, curl, mysqli |\n| composer | 1.0.0   | cflinuxfs2 |                   |\n| nginx    | 1.9.6   | cflinuxfs2 |                   |\n"
        );
    }

    #[test]
    fn json_has_the_same_data() {
        let m = manifest(&format!(
            "language: x\ndefault_versions: [{{name: a, version: 1.x}}]\ndependencies:\n- {{name: a, version: 1.10, uri: u, md5: {MD5}, cf_stacks: [s]}}\n"
        ));
        let j = summary_json(&m);
        assert_eq!(j["dependencies"][0]["version"], "1.10");
        assert_eq!(j["default_versions"][0]["version"], "1.x");
        assert_eq!(j["packaging_profiles"], json!([]));
    }
}
