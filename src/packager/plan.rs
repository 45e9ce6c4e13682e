//! Which dependencies a zip carries: the stack filter, the checks the Go packager makes before
//! packaging for one stack, and packaging profiles (`--profile`, `--exclude`, `--include`).
//!
//! Pure: it reads the manifest model and returns indexes, so the rewrite of the packaged
//! manifest and the downloads work from one decision.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use crate::manifest::Manifest;
use crate::version::{self, Constraint};

/// The stack a zip is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackChoice {
    /// Every stack: `cf_stacks` kept, no top-level `stack`.
    Any,
    /// One stack: `stack: S` added, other stacks' dependencies removed.
    One(String),
}

impl StackChoice {
    pub fn stack(&self) -> Option<&str> {
        match self {
            StackChoice::Any => None,
            StackChoice::One(stack) => Some(stack),
        }
    }
}

impl fmt::Display for StackChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackChoice::Any => f.write_str("any stack"),
            StackChoice::One(stack) => write!(f, "stack {stack}"),
        }
    }
}

/// `--profile`, `--exclude`, `--include`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    pub profile: Option<&'a str>,
    pub exclude: &'a [String],
    pub include: &'a [String],
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Indexes into `manifest.dependencies` of the dependencies kept, in manifest order.
    pub kept: Vec<usize>,
    /// Dependency names left out by the profile and `--exclude`, after `--include`.
    pub excluded: BTreeSet<String>,
    /// The zip name gets `+custom` (with a profile) or `-custom` (without).
    pub custom: bool,
    /// Things worth a warning that do not stop packaging.
    pub warnings: Vec<String>,
}

/// Why the manifest cannot be packaged as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "{}: Cannot package from already packaged buildpack manifest (it has `stack: {stack}`); package the buildpack's source tree, whose manifest.yml has no top-level `stack`",
        path.display()
    )]
    AlreadyPackaged { path: PathBuf, stack: String },

    #[error(
        "Stack `{stack}` not found in manifest {}: {}",
        path.display(),
        if known.is_empty() {
            // Without a stack in any `cf_stacks`, naming "those" stacks would be an empty list;
            // and --any-stack is no way out, as it leaves such dependencies out too (as Go does).
            format!("none of its dependencies lists a stack in `cf_stacks`; add `cf_stacks: [{stack}]` to each dependency built for {stack}")
        } else {
            format!("its dependencies are for {}; package for one of those, or use --any-stack", known.join(", "))
        }
    )]
    UnknownStack {
        path: PathBuf,
        stack: String,
        known: Vec<String>,
    },

    #[error(
        "No matching default dependency `{name}` for stack `{stack}`: {} asks for {name} {constraint} by default, and {}; package for another stack or --any-stack, or fix default_versions",
        path.display(),
        if available.is_empty() {
            format!("it has no {name} for {stack}")
        } else {
            format!("its {name} versions for {stack} are {}", available.join(", "))
        }
    )]
    NoDefault {
        path: PathBuf,
        name: String,
        constraint: String,
        stack: String,
        available: Vec<String>,
    },

    #[error(
        "No matching default dependency `{name}` for any stack: {} asks for {name} {constraint} by default, and no {name} that matches it lists `cf_stacks`, so none is packaged (as by the Go packager); add `cf_stacks` to it, or fix default_versions",
        path.display()
    )]
    NoDefaultOnAnyStack {
        path: PathBuf,
        name: String,
        constraint: String,
    },

    #[error(
        "install[{index}] in {} installs `{name}` for every app, but no {name} is packaged for {stack} (a dependency is packaged for the stacks its `cf_stacks` lists), so the buildpack it makes could not stage any app; add the stack to its `cf_stacks`, or package for another stack",
        path.display()
    )]
    InstalledNotPackaged {
        path: PathBuf,
        name: String,
        index: usize,
        stack: StackChoice,
    },

    #[error(
        "packaging profile `{name}` not found in {}: {}",
        path.display(),
        if known.is_empty() { "it has no `packaging_profiles`".to_string() } else { format!("it defines {}", known.join(", ")) }
    )]
    UnknownProfile {
        path: PathBuf,
        name: String,
        known: Vec<String>,
    },

    #[error(
        "profile name `{name}` in {} is invalid: a profile's name becomes part of the zip's file name, so it must match ^[a-z0-9_-]+$; rename it under `packaging_profiles:`",
        path.display()
    )]
    InvalidProfileName { path: PathBuf, name: String },

    #[error(
        "{flag} names `{name}`, which is not a dependency in {}; use the `name` of an entry under `dependencies:`",
        path.display()
    )]
    UnknownDependency {
        path: PathBuf,
        /// `--exclude`, `--include`, or `profile `NAME``.
        flag: String,
        name: String,
    },

    #[error("`{name}` is given to both --exclude and --include; keep it in one of them")]
    ExcludedAndIncluded { name: String },

    #[error(
        "{by} leaves out `{name}`, but install[{index}] in {} installs it for every app, so the buildpack it makes could not stage any app; {keep}, or remove it from install",
        path.display()
    )]
    InstalledExcluded {
        path: PathBuf,
        /// `--exclude` or `profile `NAME``.
        by: String,
        name: String,
        index: usize,
        /// How to keep it: drop it from `--exclude`, or `--include` it against the profile.
        keep: String,
    },
}

/// Decide which dependencies go into the zip for `stack`, or say why the manifest cannot be
/// packaged that way. The checks are the Go packager's `validateStack`, in its order.
pub fn plan(
    manifest: &Manifest,
    stack: &StackChoice,
    selection: Selection<'_>,
) -> Result<Plan, PlanError> {
    let path = manifest.path.clone();
    if let Some(own) = &manifest.stack {
        return Err(PlanError::AlreadyPackaged {
            path,
            stack: own.clone(),
        });
    }
    if let StackChoice::One(wanted) = stack {
        check_stack(manifest, wanted)?;
    }

    let mut plan = Plan::default();
    let names: BTreeSet<&str> = manifest
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let known = |flag: &str, name: &str| {
        if names.contains(name) {
            Ok(())
        } else {
            Err(PlanError::UnknownDependency {
                path: manifest.path.clone(),
                flag: flag.to_string(),
                name: name.to_string(),
            })
        }
    };

    let mut from_profile = BTreeSet::new();
    if let Some(wanted) = selection.profile {
        let profile = manifest
            .packaging_profiles
            .iter()
            .find(|p| p.name == wanted)
            .ok_or_else(|| PlanError::UnknownProfile {
                path: manifest.path.clone(),
                name: wanted.to_string(),
                known: manifest
                    .packaging_profiles
                    .iter()
                    .map(|p| p.name.clone())
                    .collect(),
            })?;
        if !crate::manifest::validate::is_profile_name(&profile.name) {
            return Err(PlanError::InvalidProfileName {
                path: manifest.path.clone(),
                name: profile.name.clone(),
            });
        }
        for name in &profile.exclude {
            known(&format!("profile `{wanted}`"), name)?;
            from_profile.insert(name.clone());
        }
    }
    for name in selection.exclude {
        known("--exclude", name)?;
        plan.excluded.insert(name.clone());
    }
    plan.custom = !selection.exclude.is_empty();
    for name in selection.include {
        known("--include", name)?;
        if plan.excluded.contains(name) {
            return Err(PlanError::ExcludedAndIncluded { name: name.clone() });
        }
        if from_profile.remove(name) {
            plan.custom = true;
        } else {
            plan.warnings.push(match selection.profile {
                Some(profile) => format!(
                    "--include {name}: nothing to restore, profile {profile} does not exclude it"
                ),
                None => format!("--include {name}: nothing to restore without --profile"),
            });
        }
    }
    check_installs(manifest, &plan.excluded, &from_profile, selection.profile)?;
    plan.excluded.extend(from_profile);

    for (index, dependency) in manifest.dependencies.iter().enumerate() {
        // Like the Go packager, a dependency is packaged for the stacks it lists: one without
        // `cf_stacks` is on none, not on all (validation warns about it).
        let on_stack = match stack {
            StackChoice::Any => dependency.cf_stacks.as_ref().is_some_and(|s| !s.is_empty()),
            StackChoice::One(wanted) => dependency.supports_stack(wanted),
        };
        if on_stack && !plan.excluded.contains(&dependency.name) {
            plan.kept.push(index);
        }
    }
    if *stack == StackChoice::Any {
        check_defaults_kept(manifest, &plan)?;
    }
    check_installs_kept(manifest, &plan, stack)?;
    Ok(plan)
}

/// Each `install:` entry needs its dependency in the zip's manifest (an excluded one was
/// refused by [`check_installs`] with the flag to blame): one only on other stacks, or listing
/// no `cf_stacks`, is not packaged, and the phases would refuse the manifest.
fn check_installs_kept(
    manifest: &Manifest,
    plan: &Plan,
    stack: &StackChoice,
) -> Result<(), PlanError> {
    for install in &manifest.install {
        let index = install.index;
        let packaged = plan
            .kept
            .iter()
            .any(|&i| manifest.dependencies[i].name == install.name);
        // An empty name is `bpkit validate`'s error.
        if !packaged && !install.name.is_empty() {
            return Err(PlanError::InstalledNotPackaged {
                path: manifest.path.clone(),
                name: install.name.clone(),
                index,
                stack: stack.clone(),
            });
        }
    }
    Ok(())
}

/// For any stack, the Go packager checks nothing, and a default whose dependencies list no
/// `cf_stacks` (so none is packaged) goes into the zip naming a dependency it lacks: the phases
/// refuse that manifest and `bpkit verify` the zip. For one stack, [`check_stack`] has already
/// made the same check in the Go packager's words. Excluded names lose their default instead
/// (rewrite.rs).
fn check_defaults_kept(manifest: &Manifest, plan: &Plan) -> Result<(), PlanError> {
    for default in &manifest.default_versions {
        if plan.excluded.contains(&default.name) {
            continue;
        }
        // A constraint that does not parse is `bpkit validate`'s error, reported before this.
        let Ok(constraint) = Constraint::parse(&default.version) else {
            continue;
        };
        let kept = plan
            .kept
            .iter()
            .map(|&i| &manifest.dependencies[i])
            .filter(|d| d.name == default.name)
            .map(|d| d.version.as_str());
        if version::highest_matching(&constraint, kept).is_none() {
            return Err(PlanError::NoDefaultOnAnyStack {
                path: manifest.path.clone(),
                name: default.name.clone(),
                constraint: default.version.clone(),
            });
        }
    }
    Ok(())
}

/// A bpkit buildpack installs each `install:` entry for every app (there is no condition), so
/// leaving one out gives a zip whose manifest the phases refuse (`install[i].name` names no
/// dependency) and that could not fetch it anyway.
fn check_installs(
    manifest: &Manifest,
    excluded: &BTreeSet<String>,
    from_profile: &BTreeSet<String>,
    profile: Option<&str>,
) -> Result<(), PlanError> {
    for install in &manifest.install {
        let index = install.index;
        let name = &install.name;
        let (by, keep) = if excluded.contains(name) {
            (
                "--exclude".to_string(),
                format!("drop {name} from --exclude"),
            )
        } else if from_profile.contains(name) {
            (
                format!("profile `{}`", profile.unwrap_or_default()),
                format!("keep it with --include {name}"),
            )
        } else {
            continue;
        };
        return Err(PlanError::InstalledExcluded {
            path: manifest.path.clone(),
            by,
            name: name.clone(),
            index,
            keep,
        });
    }
    Ok(())
}

/// The Go packager's two checks for a single stack: some dependency is for it (unless there are
/// none at all), and every default version resolves among that stack's dependencies.
fn check_stack(manifest: &Manifest, wanted: &str) -> Result<(), PlanError> {
    let stacks = manifest.stacks();
    if !manifest.dependencies.is_empty() && !stacks.contains(&wanted) {
        return Err(PlanError::UnknownStack {
            path: manifest.path.clone(),
            stack: wanted.to_string(),
            known: stacks.iter().map(ToString::to_string).collect(),
        });
    }
    for default in &manifest.default_versions {
        if manifest
            .resolve_default(&default.name, Some(wanted))
            .is_none()
        {
            return Err(PlanError::NoDefault {
                path: manifest.path.clone(),
                name: default.name.clone(),
                constraint: default.version.clone(),
                stack: wanted.to_string(),
                available: manifest
                    .dependencies_named(&default.name, Some(wanted))
                    .iter()
                    .map(|d| d.version.clone())
                    .collect(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SHA: &str = "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc";

    fn manifest(extra: &str) -> Manifest {
        let text = format!(
            "language: x\ndefault_versions:\n- {{name: ruby, version: 3.3.x}}\ndependencies:\n- {{name: ruby, version: 3.3.1, uri: u1, sha256: {SHA}, cf_stacks: [s1, s2]}}\n- {{name: ruby, version: 3.2.1, uri: u2, sha256: {SHA}, cf_stacks: [s3]}}\n- {{name: agent, version: 1.0.0, uri: u3, sha256: {SHA}, cf_stacks: [s1]}}\n- {{name: tool, version: 1.0.0, uri: u4, sha256: {SHA}}}\n{extra}"
        );
        Manifest::parse(&text, Path::new("m.yml")).unwrap().0
    }

    const PROFILES: &str =
        "packaging_profiles:\n  minimal:\n    description: d\n    exclude: [agent]\n";

    #[test]
    fn filters_by_stack_and_drops_entries_without_stacks() {
        let m = manifest("");
        let any = plan(&m, &StackChoice::Any, Selection::default()).unwrap();
        assert_eq!(any.kept, [0, 1, 2]);
        let s1 = plan(&m, &StackChoice::One("s1".into()), Selection::default()).unwrap();
        assert_eq!(s1.kept, [0, 2]);
    }

    #[test]
    fn refuses_unknown_stacks_and_unmatched_defaults_in_go_words() {
        let m = manifest("");
        let err = plan(&m, &StackChoice::One("s9".into()), Selection::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Stack `s9` not found in manifest m.yml: its dependencies are for s1, s2, s3; package for one of those, or use --any-stack"
        );
        let err = plan(&m, &StackChoice::One("s3".into()), Selection::default()).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "No matching default dependency `ruby` for stack `s3`: m.yml asks for ruby 3.3.x by default, and its ruby versions for s3 are 3.2.1;"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_stack_unknown_because_no_dependency_lists_one_is_said_so() {
        let m = Manifest::parse(
            "language: x\ndependencies:\n- name: d\n  version: 1.0\n  uri: https://e/d.tgz\n",
            Path::new("m.yml"),
        )
        .unwrap()
        .0;
        let err = plan(&m, &StackChoice::One("s1".into()), Selection::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Stack `s1` not found in manifest m.yml: none of its dependencies lists a stack in `cf_stacks`; add `cf_stacks: [s1]` to each dependency built for s1"
        );
    }

    #[test]
    fn refuses_a_packaged_manifest() {
        let m = manifest("stack: s1\n");
        assert!(matches!(
            plan(&m, &StackChoice::Any, Selection::default()),
            Err(PlanError::AlreadyPackaged { .. })
        ));
    }

    #[test]
    fn profiles_exclude_and_include_restores() {
        let m = manifest(PROFILES);
        let exclude = vec!["tool".to_string()];
        let include = vec!["agent".to_string()];
        let p = plan(
            &m,
            &StackChoice::Any,
            Selection {
                profile: Some("minimal"),
                ..Selection::default()
            },
        )
        .unwrap();
        assert_eq!((p.kept.as_slice(), p.custom), (&[0, 1][..], false));
        let p = plan(
            &m,
            &StackChoice::Any,
            Selection {
                profile: Some("minimal"),
                include: &include,
                ..Selection::default()
            },
        )
        .unwrap();
        assert_eq!((p.kept.as_slice(), p.custom), (&[0, 1, 2][..], true));
        let p = plan(
            &m,
            &StackChoice::Any,
            Selection {
                exclude: &exclude,
                include: &include,
                ..Selection::default()
            },
        )
        .unwrap();
        assert!(p.custom);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    }

    #[test]
    fn unknown_names_are_errors() {
        let m = manifest(PROFILES);
        let bad = vec!["nope".to_string()];
        let err = plan(
            &m,
            &StackChoice::Any,
            Selection {
                exclude: &bad,
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "--exclude names `nope`, which is not a dependency in m.yml; use the `name` of an entry under `dependencies:`"
        );
        let err = plan(
            &m,
            &StackChoice::Any,
            Selection {
                profile: Some("max"),
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "packaging profile `max` not found in m.yml: it defines minimal"
        );
    }

    #[test]
    fn the_stack_a_choice_names_and_its_words() {
        assert_eq!(StackChoice::Any.stack(), None);
        assert_eq!(StackChoice::One("s1".into()).stack(), Some("s1"));
        assert_eq!(StackChoice::Any.to_string(), "any stack");
        assert_eq!(StackChoice::One("s1".into()).to_string(), "stack s1");
    }

    /// For any stack a default whose dependencies list no `cf_stacks` would be packaged
    /// naming a dependency the zip lacks; for one stack `check_stack` words it, and an
    /// excluded default loses its entry instead.
    #[test]
    fn a_default_no_packaged_dependency_matches_is_refused_for_any_stack() {
        let m = manifest("");
        let mut tool_default = m.clone();
        tool_default.default_versions[0].name = "tool".into();
        tool_default.default_versions[0].version = "1.x".into();
        let err = plan(&tool_default, &StackChoice::Any, Selection::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No matching default dependency `tool` for any stack: m.yml asks for tool 1.x by default, and no tool that matches it lists `cf_stacks`, so none is packaged (as by the Go packager); add `cf_stacks` to it, or fix default_versions"
        );
        let excluded = vec!["tool".to_string()];
        let excluding = Selection {
            exclude: &excluded,
            ..Selection::default()
        };
        assert_eq!(
            plan(&tool_default, &StackChoice::Any, excluding)
                .unwrap()
                .kept,
            [0, 1, 2]
        );
        // The defaults that do resolve pass, and a constraint that does not parse is left
        // to `bpkit validate`.
        assert!(plan(&m, &StackChoice::Any, Selection::default()).is_ok());
        tool_default.default_versions[0].version = ">=".into();
        assert!(plan(&tool_default, &StackChoice::Any, Selection::default()).is_ok());
    }

    #[test]
    fn an_installed_dependency_must_be_packaged() {
        let m = manifest("install:\n- name: agent\n");
        // `agent` is built for s1 only.
        assert_eq!(
            plan(&m, &StackChoice::One("s1".into()), Selection::default())
                .unwrap()
                .kept,
            [0, 2]
        );
        let err = plan(&m, &StackChoice::One("s2".into()), Selection::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "install[0] in m.yml installs `agent` for every app, but no agent is packaged for stack s2 (a dependency is packaged for the stacks its `cf_stacks` lists), so the buildpack it makes could not stage any app; add the stack to its `cf_stacks`, or package for another stack"
        );
        // `tool` lists no stack, so it is packaged for none.
        let m = manifest("install:\n- name: ruby\n- name: tool\n");
        assert!(matches!(
            plan(&m, &StackChoice::Any, Selection::default()),
            Err(PlanError::InstalledNotPackaged { index: 1, .. })
        ));
    }

    #[test]
    fn an_installed_dependency_cannot_be_left_out() {
        let m = manifest(&format!(
            "{PROFILES}install:\n- name: ruby\n- name: agent\n"
        ));
        let agent = vec!["agent".to_string()];
        let err = plan(
            &m,
            &StackChoice::Any,
            Selection {
                exclude: &agent,
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "--exclude leaves out `agent`, but install[1] in m.yml installs it for every app, so the buildpack it makes could not stage any app; drop agent from --exclude, or remove it from install"
        );
        let minimal = Selection {
            profile: Some("minimal"),
            ..Selection::default()
        };
        let err = plan(&m, &StackChoice::Any, minimal).unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `minimal` leaves out `agent`, but install[1] in m.yml installs it for every app, so the buildpack it makes could not stage any app; keep it with --include agent, or remove it from install"
        );
        // Restored with --include, it is packaged.
        let p = plan(
            &m,
            &StackChoice::Any,
            Selection {
                include: &agent,
                ..minimal
            },
        )
        .unwrap();
        assert_eq!(p.kept, [0, 1, 2]);
    }

    #[test]
    fn a_name_both_excluded_and_included_or_a_bad_profile_name_is_refused() {
        let m = manifest(PROFILES);
        let tool = vec!["tool".to_string()];
        let err = plan(
            &m,
            &StackChoice::Any,
            Selection {
                exclude: &tool,
                include: &tool,
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`tool` is given to both --exclude and --include; keep it in one of them"
        );
        let m = manifest("packaging_profiles:\n  Big One:\n    exclude: [agent]\n");
        let err = plan(
            &m,
            &StackChoice::Any,
            Selection {
                profile: Some("Big One"),
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert!(
            matches!(&err, PlanError::InvalidProfileName { name, .. } if name == "Big One"),
            "{err}"
        );
        let err = plan(
            &manifest(""),
            &StackChoice::Any,
            Selection {
                profile: Some("minimal"),
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "packaging profile `minimal` not found in m.yml: it has no `packaging_profiles`"
        );
    }
}
