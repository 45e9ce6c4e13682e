//! The tables of the keys bpkit reads: the top-level keys, and those of its own blocks.
//! `validate` warns about any other key (most often a misspelt or misplaced one), so a key a
//! reader starts to read belongs in its table too.

/// Every top-level key bpkit reads; others are kept and passed through.
pub const KNOWN_KEYS: [&str; 19] = [
    "language",
    "stack",
    "default_versions",
    "dependencies",
    "dependency_deprecation_dates",
    "include_files",
    "exclude_files",
    "pre_package",
    "url_to_dependency_map",
    "packaging_profiles",
    "version_lines",
    "mirrors",
    "detect",
    "install",
    "build",
    "launch_env",
    "release",
    "default_versions_comment",
    "bpkit",
];

/// The keys of bpkit's own blocks, which nothing else reads: any other key in them is a
/// mistake (`version_form:`), warned about by `validate`, since it would do nothing.
pub const DETECT_KEYS: [&str; 3] = ["name", "any_of", "all_of"];
pub const DETECT_RULE_KEYS: [&str; 4] = ["file", "contains", "any_of", "all_of"];
pub const INSTALL_KEYS: [&str; 6] = [
    "name",
    "version_from",
    "strip_components",
    "path",
    "library_path",
    "env",
];
pub const VERSION_FROM_KEYS: [&str; 3] = ["file", "regex", "env"];
pub const RELEASE_KEYS: [&str; 2] = ["config_vars", "default_process_types"];
