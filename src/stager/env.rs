//! The environment the platform gives staging (phases.md, "The platform contract"), and the
//! pieces the launcher reuses: `VCAP_APPLICATION`, `VCAP_SERVICES`, `DATABASE_URL`.
//!
//! The phases run with a cleared environment, as in a fresh staging container: only the
//! platform's variables, the app's `-e` values, and a short list of host variables a local
//! machine needs (`PATH` for the tools a buildpack calls, proxies, CA bundle, `HOME` and the
//! cargo/rustup variables so a git-URL bpkit buildpack can build itself, and every `BPKIT_*`
//! variable such as `BPKIT_MIRRORS`). `TMPDIR` is a fresh folder per staging, standing in for
//! the container's empty `/tmp`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{self, Read};
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::error::StageError;
use super::go_url;
use crate::checksum;

/// Host variables passed through to the phases (see the module header).
const PASSTHROUGH: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "TERM",
    "TZ",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "BP_DEBUG",
    "NO_COLOR",
];

/// Host variable prefixes passed through.
const PASSTHROUGH_PREFIXES: &[&str] = &["BPKIT_", "CARGO_", "RUSTUP_"];

/// What the user chose for the platform's variables.
#[derive(Debug, Clone)]
pub struct Platform {
    /// The app's name (the app folder's name), for `VCAP_APPLICATION`.
    pub app_name: String,
    /// `CF_STACK`.
    pub stack: String,
    /// Megabytes; `MEMORY_LIMIT=<n>m` and `limits.mem`.
    pub memory_mb: u64,
    /// `VCAP_SERVICES` (JSON text).
    pub services: String,
    /// `-e KEY=VALUE`, in order.
    pub user_env: Vec<(String, String)>,
}

/// A complete environment for child processes.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<OsString, OsString>,
}

impl Environment {
    /// The host variables that pass through (see the module header).
    pub fn from_host() -> Self {
        let mut vars = BTreeMap::new();
        for (name, value) in std::env::vars_os() {
            let text = name.to_string_lossy();
            if PASSTHROUGH.contains(&text.as_ref())
                || PASSTHROUGH_PREFIXES.iter().any(|p| text.starts_with(p))
            {
                vars.insert(name, value);
            }
        }
        Environment { vars }
    }

    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn get(&self, name: &str) -> Option<&std::ffi::OsStr> {
        self.vars
            .get(std::ffi::OsStr::new(name))
            .map(OsString::as_os_str)
    }

    /// Give `command` exactly this environment.
    pub fn apply(&self, command: &mut Command) {
        command.env_clear();
        command.envs(&self.vars);
    }
}

/// The staging environment: host pass-through, the platform's variables, `-e` values, and
/// `DATABASE_URL` when `VCAP_SERVICES` holds a database (the builder sets it last).
pub fn staging(platform: &Platform, tmp_dir: &Path) -> Environment {
    let mut env = Environment::from_host();
    // Defaults of the staging container (Diego's task `LANG`), which the app's variables may
    // change, as `cf set-env APP LANG …` does.
    env.set("LANG", "en_US.UTF-8");
    env.set("TMPDIR", tmp_dir);
    for (name, value) in &platform.user_env {
        env.set(name, value);
    }
    // Cloud Controller's StagingEnvironmentBuilder merges these after the app's variables, so
    // an app's `MEMORY_LIMIT` never replaces the platform's (the other names are refused).
    env.set("CF_STACK", &platform.stack);
    env.set(
        "VCAP_APPLICATION",
        vcap_application(&platform.app_name, platform.memory_mb).to_string(),
    );
    env.set("MEMORY_LIMIT", format!("{}m", platform.memory_mb));
    env.set("VCAP_SERVICES", &platform.services);
    // After the app's `-e DATABASE_URL` too: the builder's main sets it from VCAP_SERVICES
    // whatever the app set ("Always set DATABASE_URL from VCAP_SERVICES", which replaced "if
    // unset"; its builder_test "overrides DATABASE_URL"), and keeps the app's only when no
    // service is a database.
    if let Some(url) = database_url(&platform.services) {
        env.set("DATABASE_URL", url);
    }
    env
}

/// A stable GUID-shaped id for `what` of this app, so two stagings of one app agree.
fn guid(app_name: &str, what: &str) -> String {
    let hex = checksum::sha256_hex(&format!("bpkit:{what}:{app_name}"));
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// The GUID of the app's process of type `process_type`: the app's own for `web` (Cloud
/// Controller gives an app's web process the app's GUID), a stable one of its own otherwise.
pub fn process_guid(app_name: &str, process_type: &str) -> String {
    if process_type == "web" {
        guid(app_name, "app")
    } else {
        guid(app_name, &format!("process:{process_type}"))
    }
}

/// `VCAP_APPLICATION` with the keys Cloud Controller gives a staging task.
pub fn vcap_application(app_name: &str, memory_mb: u64) -> Value {
    let app_id = guid(app_name, "app");
    let version = guid(app_name, "version");
    json!({
        "application_id": app_id,
        "application_name": app_name,
        "application_uris": [],
        "application_version": version,
        "cf_api": "https://api.bpkit.local",
        "limits": {"disk": 1024, "fds": 16384, "mem": memory_mb},
        "name": app_name,
        "organization_id": guid(app_name, "org"),
        "organization_name": "bpkit",
        "process_id": app_id,
        "process_type": "web",
        "space_id": guid(app_name, "space"),
        "space_name": "local",
        "uris": [],
        "users": null,
        "version": version,
    })
}

/// The builder's and the launcher's `DATABASE_URL` rule (buildpackapplifecycle `databaseuri`):
/// the first service credential `uri` whose scheme is mysql, mysql2, postgres or postgresql,
/// with `mysql` written `mysql2` and `postgresql` written `postgres`, and the rest of the URI
/// as Go's `url.Parse` and `String()` write it back (the stager's `go_url`).
///
/// Read as Go's `json.Unmarshal` reads VCAP_SERVICES into `map[string][]struct{ Credentials
/// struct{ Uri string } }`, which the rule depends on: a value of another type anywhere on that
/// path (a service list that is not a list, a `uri` that is not a string) fails the whole
/// decoding, and the platform sets no `DATABASE_URL` at all; `null` is no error; the names
/// `credentials` and `uri` match whatever their case (`URI`), the later one winning. The
/// scheme is matched as Go's `url.Parse` reads it, without regard to case; a URI it refuses
/// (no scheme before `:`, a control character, a bad port) is skipped. Services are tried in the order
/// of the JSON (Go's map order is random: with two databases bound, the platform picks
/// either).
pub fn database_url(vcap_services: &str) -> Option<String> {
    let services: Value = serde_json::from_str(vcap_services).ok()?;
    let uris = credential_uris(&services)?;
    uris.iter().find_map(|uri| {
        let (scheme, rest) = go_url::parse_and_write(uri)?;
        let renamed = match scheme.as_str() {
            "mysql" => "mysql2",
            "mysql2" | "postgres" => scheme.as_str(),
            "postgresql" => "postgres",
            _ => return None,
        };
        Some(format!("{renamed}:{rest}"))
    })
}

/// Every non-empty `credentials.uri`, in order, or `None` where Go's decoding into the
/// builder's struct fails (see [`database_url`]).
fn credential_uris(services: &Value) -> Option<Vec<String>> {
    let mut uris = Vec::new();
    for instances in services.as_object()?.values() {
        let instances = match instances {
            Value::Null => continue,
            Value::Array(instances) => instances,
            _ => return None,
        };
        for instance in instances {
            let fields = match instance {
                Value::Null => continue,
                Value::Object(fields) => fields,
                _ => return None,
            };
            // Each struct starts empty; every key naming the field decodes into it in turn.
            let mut uri = String::new();
            for (name, credentials) in fields {
                if !go_field_name_matches(name, "credentials") {
                    continue;
                }
                let credentials = match credentials {
                    Value::Null => continue,
                    Value::Object(credentials) => credentials,
                    _ => return None,
                };
                for (name, value) in credentials {
                    if !go_field_name_matches(name, "uri") {
                        continue;
                    }
                    match value {
                        Value::Null => {}
                        Value::String(text) => uri.clone_from(text),
                        _ => return None,
                    }
                }
            }
            if !uri.is_empty() {
                uris.push(uri);
            }
        }
    }
    Some(uris)
}

/// Go's `encoding/json` key matching for a struct field: exact, or equal after its case
/// folding (ASCII upper case; other letters lower- then upper-cased, so `ſ` matches `s`).
fn go_field_name_matches(key: &str, field: &str) -> bool {
    fn fold(text: &str) -> String {
        text.chars()
            .flat_map(|c| {
                if c.is_ascii() {
                    vec![c.to_ascii_uppercase()]
                } else {
                    c.to_lowercase().flat_map(char::to_uppercase).collect()
                }
            })
            .collect()
    }
    key == field || fold(key) == fold(field)
}

/// The longest VCAP_SERVICES the phases can be given: Linux refuses to start a program with
/// an environment string (`VCAP_SERVICES=…` and its closing NUL) over 128 KiB
/// (`MAX_ARG_STRLEN`), and a larger one would fail every phase with `Argument list too long`.
pub const SERVICES_LIMIT: usize = (128 << 10) - "VCAP_SERVICES=".len() - 1;

/// Check `--services`: JSON text, or `@FILE` holding it (a fifo, as `@<(command)` gives, is
/// read too). Must be a JSON object, as the platform's is, and fit in one environment
/// variable ([`SERVICES_LIMIT`]); a file is read only that far (and a little more, for
/// surrounding white space), so `@/dev/zero` ends.
pub fn parse_services(arg: Option<&str>) -> Result<String, StageError> {
    let Some(arg) = arg else {
        return Ok("{}".to_string());
    };
    // Read that far and no further: past it the file is refused, so `@/dev/zero` ends.
    let read_limit = 2 * SERVICES_LIMIT;
    let (text, origin) = match arg.strip_prefix('@') {
        Some(path) => {
            let origin = format!("--services file {path}");
            let cannot_read = |cause| StageError::CannotReadServices {
                path: path.to_string(),
                cause,
            };
            let bytes = read_unless_interrupted(path, read_limit as u64)?.map_err(cannot_read)?;
            if bytes.len() >= read_limit {
                return Err(StageError::ServicesTooLarge {
                    origin,
                    size: format!("at least {read_limit} bytes"),
                });
            }
            let text = String::from_utf8(bytes)
                .map_err(|e| cannot_read(io::Error::new(io::ErrorKind::InvalidData, e)))?;
            (text, origin)
        }
        None => (arg.to_string(), "--services".to_string()),
    };
    let trimmed = text.trim();
    if trimmed.len() > SERVICES_LIMIT {
        return Err(StageError::ServicesTooLarge {
            origin,
            size: format!("{} bytes", trimmed.len()),
        });
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(_)) => Ok(trimmed.to_string()),
        Ok(_) => Err(StageError::ServicesNotAnObject { origin }),
        Err(source) => Err(StageError::InvalidServicesJson { origin, source }),
    }
}

/// The first `limit` bytes of the file at `path`, read on a thread of its own while this one
/// watches for an interruption ([`crate::process_group::termination_requested`]): opening a
/// fifo waits until a writer comes, which may be never, and a signal bpkit catches does not end
/// that wait (the open is restarted), so a `--services @FIFO` with no writer would ignore
/// Ctrl-C and SIGTERM. The thread is left blocked when bpkit stops.
fn read_unless_interrupted(path: &str, limit: u64) -> Result<io::Result<Vec<u8>>, StageError> {
    let read = move |path: &str| {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(limit).read_to_end(&mut bytes))
            .map(|_| bytes)
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    let owned = path.to_string();
    let spawned = std::thread::Builder::new()
        .name("services-file".into())
        .spawn(move || {
            let _ = sender.send(read(&owned));
        });
    if spawned.is_err() {
        // No thread to spare: read here, as before.
        return Ok(read(path));
    }
    loop {
        match receiver.recv_timeout(crate::process_group::POLL) {
            Ok(result) => return Ok(result),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if crate::process_group::termination_requested() {
                    return Err(StageError::Interrupted);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Ok(Err(io::Error::other("the read stopped unexpectedly")));
            }
        }
    }
}

/// Check `-e KEY=VALUE` arguments: the app's variables, so the names Cloud Controller refuses
/// for them are refused too (see `reserved`).
pub fn parse_user_env(args: &[String]) -> Result<Vec<(String, String)>, StageError> {
    args.iter()
        .map(|arg| match arg.split_once('=') {
            Some((key, value))
                if !key.is_empty()
                    && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                match reserved(key) {
                    Some((rule, fix)) => Err(StageError::ReservedUserEnv {
                        name: key.to_string(),
                        rule,
                        fix,
                    }),
                    None => Ok((key.to_string(), value.to_string())),
                }
            }
            _ => Err(StageError::InvalidUserEnv { arg: arg.clone() }),
        })
        .collect()
}

/// Cloud Controller's rule refusing `name` as an app variable (its
/// `EnvironmentVariablesValidator`: `VCAP_…`, `VMC…`, `CF_…`, `PORT`, without regard to case),
/// and the bpkit option that sets what the user probably meant. Without the check, a `-e
/// CF_STACK=…` or `-e VCAP_SERVICES=…` would replace the platform's own value, which no
/// `cf push` can do.
fn reserved(name: &str) -> Option<(&'static str, &'static str)> {
    let upper = name.to_ascii_uppercase();
    let other = "choose another name";
    if upper.starts_with("VCAP_") {
        let fix = match upper.as_str() {
            "VCAP_SERVICES" => "give services with --services JSON (or @FILE)",
            "VCAP_APPLICATION" => {
                "bpkit writes it from the app folder's name and --memory, as the platform writes it from the app"
            }
            _ => other,
        };
        Some(("cannot start with VCAP_", fix))
    } else if upper.starts_with("VMC") {
        Some(("cannot start with VMC_", other))
    } else if upper.starts_with("CF_") {
        let fix = if upper == "CF_STACK" {
            "choose the stack with --stack"
        } else {
            other
        };
        Some(("cannot start with CF_", fix))
    } else if upper == "PORT" {
        Some(("cannot set PORT", "choose the port with bpkit run --port"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_follows_the_builder() {
        assert_eq!(
            database_url(r#"{"db":[{"credentials":{"uri":"postgresql://u:p@h/db"}}]}"#),
            Some("postgres://u:p@h/db".into())
        );
        assert_eq!(
            database_url(r#"{"db":[{"credentials":{"uri":"mysql://h/db"}}]}"#),
            Some("mysql2://h/db".into())
        );
        assert_eq!(
            database_url(r#"{"x":[{"credentials":{"uri":"datastore://thing.com/special"}}]}"#),
            None
        );
        assert_eq!(database_url("{}"), None);
        assert_eq!(database_url("not json"), None);
    }

    /// What Go's `json.Unmarshal` into the builder's struct and `url.Parse` make of it.
    #[test]
    fn database_url_reads_vcap_services_as_go_decodes_it() {
        // A value of another type anywhere on the path fails the whole decoding: no URL, even
        // with a database bound.
        for services in [
            r#"{"a":[{"credentials":{"uri":5}}],"db":[{"credentials":{"uri":"postgres://h/d"}}]}"#,
            r#"{"db":[{"credentials":{"uri":"postgres://h/d"}}],"a":{"credentials":{}}}"#,
            r#"{"db":[{"credentials":{"uri":"postgres://h/d"}},"text"]}"#,
            r#"{"db":[{"credentials":{"uri":"postgres://h/d"}},{"credentials":[]}]}"#,
            r#"{"db":[{"credentials":{"uri":"postgres://h/d"}},{"credentials":{"URI":true}}]}"#,
        ] {
            assert_eq!(database_url(services), None, "{services}");
        }
        // null is no error; other keys, of any type, are ignored.
        assert_eq!(
            database_url(
                r#"{"n":null,"m":[null,{"credentials":null},{"credentials":{"uri":null,"port":5}}],"db":[{"name":7,"credentials":{"uri":"postgres://h/d"}}]}"#
            ),
            Some("postgres://h/d".into())
        );
        // Field names match whatever their case; the later key wins.
        assert_eq!(
            database_url(r#"{"db":[{"Credentials":{"URI":"mysql://h/d"}}]}"#),
            Some("mysql2://h/d".into())
        );
        assert_eq!(
            database_url(
                r#"{"db":[{"credentials":{"uri":"mysql://a/d","Uri":"postgres://b/d"}}]}"#
            ),
            Some("postgres://b/d".into())
        );
        // The scheme, as url.Parse reads it: any case, written lower-case.
        assert_eq!(
            database_url(r#"{"db":[{"credentials":{"uri":"PostgreSQL://h/d"}}]}"#),
            Some("postgres://h/d".into())
        );
        // A URI url.Parse refuses is skipped for the next.
        assert_eq!(
            database_url(
                r#"{"a":[{"credentials":{"uri":"postgres://h/d\u0001"}}],"b":[{"credentials":{"uri":"mysql2://h/e"}}]}"#
            ),
            Some("mysql2://h/e".into())
        );
        assert_eq!(
            database_url(r#"{"a":[{"credentials":{"uri":"1postgres://h"}}]}"#),
            None
        );
        // Written back as url.String() writes it; one url.Parse refuses is passed over.
        assert_eq!(
            database_url(
                r#"{"a":[{"credentials":{"uri":"postgres://u:p^w@h/d"}}],"b":[{"credentials":{"uri":"mysql://u:p!w@h/d"}}]}"#
            ),
            Some("mysql2://u:p%21w@h/d".into())
        );
    }

    #[test]
    fn staging_env_has_the_platform_variables() {
        let env = staging(
            &Platform {
                app_name: "hello".into(),
                stack: "cflinuxfs4".into(),
                memory_mb: 512,
                services: "{}".into(),
                user_env: vec![("FOO".into(), "bar".into())],
            },
            Path::new("/tmp/x"),
        );
        assert_eq!(env.get("CF_STACK").unwrap(), "cflinuxfs4");
        assert_eq!(env.get("MEMORY_LIMIT").unwrap(), "512m");
        assert_eq!(env.get("LANG").unwrap(), "en_US.UTF-8");
        assert_eq!(env.get("VCAP_SERVICES").unwrap(), "{}");
        assert_eq!(env.get("FOO").unwrap(), "bar");
        assert_eq!(env.get("TMPDIR").unwrap(), "/tmp/x");
        let app: Value =
            serde_json::from_str(env.get("VCAP_APPLICATION").unwrap().to_str().unwrap()).unwrap();
        assert_eq!(app["application_name"], "hello");
        assert_eq!(app["limits"]["mem"], 512);
        assert_eq!(app["application_id"].as_str().unwrap().len(), 36);
    }

    /// A database service's URL replaces the app's own `DATABASE_URL`, as the builder's does;
    /// with no database bound, the app's stays.
    #[test]
    fn a_database_service_replaces_the_apps_database_url() {
        let platform = |services: &str| Platform {
            app_name: "hello".into(),
            stack: "cflinuxfs4".into(),
            memory_mb: 512,
            services: services.into(),
            user_env: vec![("DATABASE_URL".into(), "postgres://mine/x".into())],
        };
        let db = r#"{"db":[{"credentials":{"uri":"postgres://u:p@dbhost/db"}}]}"#;
        let env = staging(&platform(db), Path::new("/tmp/x"));
        assert_eq!(env.get("DATABASE_URL").unwrap(), "postgres://u:p@dbhost/db");
        let env = staging(&platform("{}"), Path::new("/tmp/x"));
        assert_eq!(env.get("DATABASE_URL").unwrap(), "postgres://mine/x");
    }

    /// The host's variables reach the phases only when listed or of a listed prefix: `cargo
    /// test` sets `CARGO_MANIFEST_DIR` (a prefix) and `CARGO` (no prefix: `CARGO_` has the
    /// underscore), and the host has a `PATH`.
    #[test]
    fn only_the_listed_host_variables_pass_through() {
        let env = Environment::from_host();
        assert_eq!(env.get("PATH"), std::env::var_os("PATH").as_deref());
        assert!(env.get("PATH").is_some());
        assert_eq!(
            env.get("CARGO_MANIFEST_DIR"),
            Some(std::ffi::OsStr::new(env!("CARGO_MANIFEST_DIR")))
        );
        assert!(std::env::var_os("CARGO").is_some());
        assert_eq!(env.get("CARGO"), None);
    }

    /// A child gets exactly the environment, not the host's with it on top.
    #[test]
    fn apply_gives_a_command_only_this_environment() {
        let mut env = Environment::default();
        env.set("ONLY", "this");
        let mut command = Command::new("/usr/bin/env");
        env.apply(&mut command);
        let output = command.output().unwrap();
        assert!(output.status.success());
        assert_eq!(String::from_utf8(output.stdout).unwrap(), "ONLY=this\n");
    }

    /// Linux starts a program with `VCAP_SERVICES=` and the JSON up to 128 KiB with the
    /// closing NUL (`MAX_ARG_STRLEN`) and refuses a byte more with E2BIG; `--services` takes
    /// exactly what fits.
    #[test]
    fn services_fill_one_environment_variable_and_no_more() {
        let json_of = |len: usize| format!("{{\"a\":\"{}\"}}", "x".repeat(len - 8));
        let largest = json_of(131_057);
        assert_eq!(largest.len(), SERVICES_LIMIT);
        assert_eq!(parse_services(Some(&largest)).unwrap(), largest);
        assert_eq!(
            parse_services(Some(&json_of(131_058)))
                .unwrap_err()
                .to_string(),
            "--services: 131058 bytes, more than the 131057 bytes Linux lets VCAP_SERVICES hold (one environment variable); give only the services the app binds"
        );
        let run = |services: &str| {
            Command::new("/bin/true")
                .env("VCAP_SERVICES", services)
                .status()
        };
        assert!(run(&largest).unwrap().success());
        // MAX_ARG_STRLEN is 32 pages: 128 KiB where pages are 4 KiB, as always on x86_64
        // (the limit is the least of it; kernels with larger pages take more).
        if cfg!(target_arch = "x86_64") {
            assert_eq!(
                run(&json_of(131_058)).unwrap_err().raw_os_error(),
                Some(libc::E2BIG)
            );
        }
    }

    /// `--services @FILE` reads the file's JSON, white space around it trimmed, and refuses a
    /// file over the limit by its size, or, past twice the limit where reading stops, by how
    /// far it read.
    #[test]
    fn services_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("services.json");
        let arg = format!("@{}", path.display());
        std::fs::write(&path, "\n  {\"db\": []}\n\n").unwrap();
        assert_eq!(parse_services(Some(&arg)).unwrap(), "{\"db\": []}");

        let padded = format!("{{}}{}", " ".repeat(2 * SERVICES_LIMIT - 3));
        std::fs::write(&path, &padded).unwrap();
        assert_eq!(parse_services(Some(&arg)).unwrap(), "{}");

        let large = format!("{{\"a\":\"{}\"}}", "x".repeat(SERVICES_LIMIT));
        std::fs::write(&path, &large).unwrap();
        let too_large = |size: &str| {
            format!(
                "--services file {}: {size}, more than the 131057 bytes Linux lets VCAP_SERVICES hold (one environment variable); give only the services the app binds",
                path.display()
            )
        };
        assert_eq!(
            parse_services(Some(&arg)).unwrap_err().to_string(),
            too_large("131065 bytes")
        );
        std::fs::write(&path, format!("{padded} ")).unwrap();
        assert_eq!(
            parse_services(Some(&arg)).unwrap_err().to_string(),
            too_large("at least 262114 bytes")
        );

        std::fs::write(&path, b"{\"a\": \"\xff\"}").unwrap();
        assert!(matches!(
            parse_services(Some(&arg)).unwrap_err(),
            StageError::CannotReadServices { cause, .. } if cause.kind() == io::ErrorKind::InvalidData
        ));
        let missing = format!("@{}", dir.path().join("none.json").display());
        assert!(matches!(
            parse_services(Some(&missing)).unwrap_err(),
            StageError::CannotReadServices { cause, .. } if cause.kind() == io::ErrorKind::NotFound
        ));
    }

    /// A variable's name is letters, digits and `_`, and not empty, as Cloud Controller takes
    /// it; the value may hold anything, `=` included.
    #[test]
    fn user_env_names_are_letters_digits_and_underscores() {
        assert_eq!(
            parse_user_env(&["A_1=x=y".into(), "b=".into()]).unwrap(),
            vec![("A_1".into(), "x=y".into()), ("b".into(), String::new())]
        );
        for arg in ["=value", "MY-VAR=1", "A B=1", "\u{e9}=1"] {
            assert!(
                matches!(
                    parse_user_env(&[arg.to_string()]).unwrap_err(),
                    StageError::InvalidUserEnv { .. }
                ),
                "{arg}"
            );
        }
    }

    /// Cloud Controller's reserved names, without regard to case, each with the option that
    /// sets what was meant; a name that only contains them is the app's.
    #[test]
    fn reserved_names_are_refused_with_the_option_meant() {
        for (name, rule, fix) in [
            (
                "VCAP_SERVICES",
                "cannot start with VCAP_",
                "give services with --services JSON (or @FILE)",
            ),
            (
                "vcap_application",
                "cannot start with VCAP_",
                "bpkit writes it from the app folder's name and --memory, as the platform writes it from the app",
            ),
            (
                "VCAP_OTHER",
                "cannot start with VCAP_",
                "choose another name",
            ),
            ("VMCX", "cannot start with VMC_", "choose another name"),
            (
                "Cf_Stack",
                "cannot start with CF_",
                "choose the stack with --stack",
            ),
            (
                "CF_INSTANCE_IP",
                "cannot start with CF_",
                "choose another name",
            ),
            (
                "port",
                "cannot set PORT",
                "choose the port with bpkit run --port",
            ),
        ] {
            match parse_user_env(&[format!("{name}=secret")]).unwrap_err() {
                StageError::ReservedUserEnv {
                    name: got,
                    rule: r,
                    fix: f,
                } => {
                    assert_eq!((got.as_str(), r, f), (name, rule, fix));
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        for name in ["MY_VCAP_SERVICES", "VCAP", "CF", "PORTS", "APP_PORT"] {
            assert!(parse_user_env(&[format!("{name}=1")]).is_ok(), "{name}");
        }
    }

    #[test]
    fn bad_user_input_is_named() {
        assert!(parse_user_env(&["A=1".into(), "B=x=y".into()]).is_ok());
        let e = parse_user_env(&["NOVALUE".into()]).unwrap_err();
        assert!(e.to_string().starts_with("-e NOVALUE: expected KEY=VALUE"));
        assert_eq!(
            parse_services(Some("[1]")).unwrap_err().to_string(),
            "--services: expected a JSON object like {\"my-db\": [{\"credentials\": {}}]}, as VCAP_SERVICES is"
        );
        let e = parse_services(Some("{")).unwrap_err();
        assert_eq!(
            crate::output::error_chain(&e),
            "--services: invalid JSON: EOF while parsing an object at line 1 column 1; give VCAP_SERVICES as a JSON object, or @FILE"
        );
        assert_eq!(parse_services(None).unwrap(), "{}");
    }
}
