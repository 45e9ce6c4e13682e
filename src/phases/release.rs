//! `bin/release BUILD_DIR`: the manifest's `release:` as YAML on stdout, and nothing else there
//! (Cloud Foundry reads `default_process_types` from it; Heroku also `config_vars`).

use crate::manifest::Manifest;

use super::yaml_out;

/// The YAML document release prints.
pub fn document(manifest: &Manifest) -> String {
    let release = manifest.release.clone().unwrap_or_default();
    let mut entries = Vec::new();
    if !release.config_vars.is_empty() {
        entries.push(("config_vars", yaml_out::string_map(&release.config_vars)));
    }
    entries.push((
        "default_process_types",
        yaml_out::string_map(&release.default_process_types),
    ));
    yaml_out::emit(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn prints_config_vars_and_process_types() {
        let parse = |text: &str| Manifest::parse(text, Path::new("m.yml")).unwrap().0;
        let m = parse(
            "language: ruby\nrelease:\n  config_vars:\n    RACK_ENV: production\n  default_process_types:\n    web: bundle exec rackup config.ru -p $PORT\n    worker: 'yes'\n",
        );
        assert_eq!(
            document(&m),
            "---\nconfig_vars:\n  RACK_ENV: production\ndefault_process_types:\n  web: bundle exec rackup config.ru -p $PORT\n  worker: \"yes\"\n"
        );
        assert_eq!(
            document(&parse("language: x\n")),
            "---\ndefault_process_types: {}\n"
        );
    }
}
