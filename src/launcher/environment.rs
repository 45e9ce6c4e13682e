//! The instance environment the platform gives a running app: the user's variables, then
//! Cloud Controller's, Diego's and the launcher's `CalcEnv`, which they never replace.

use std::path::Path;

use serde_json::Value;

use crate::stager::env;

use super::{LaunchError, RunOptions};

/// The one instance's GUID (`INSTANCE_GUID`, `CF_INSTANCE_GUID`, `instance_id`).
const INSTANCE_GUID: &str = "b9c1f2a4-7d3e-4f60-8a15-000000000000";

/// The instance environment the platform gives a running app.
pub(super) fn launch_env(
    root: &Path,
    app_name: &str,
    port: u16,
    options: &RunOptions,
) -> Result<env::Environment, LaunchError> {
    let services = env::parse_services(options.services.as_deref()).map_err(|e| match e {
        crate::stager::StageError::Interrupted => LaunchError::Interrupted,
        other => LaunchError::from(other),
    })?;
    let user_env = env::parse_user_env(&options.env)?;
    let app_dir = root.join("app");
    let instance_guid = INSTANCE_GUID.to_string();
    let mut vcap = env::vcap_application(app_name, options.memory_mb);
    if let Value::Object(map) = &mut vcap {
        map.insert("host".into(), Value::String("0.0.0.0".into()));
        map.insert("instance_id".into(), Value::String(instance_guid.clone()));
        map.insert("instance_index".into(), Value::from(0));
        map.insert("port".into(), Value::from(port));
        // An instance runs one process: its type and GUID, not always the web process's.
        map.insert(
            "process_id".into(),
            Value::String(env::process_guid(app_name, &options.process)),
        );
        map.insert(
            "process_type".into(),
            Value::String(options.process.clone()),
        );
        // The launcher's CalcEnv re-encodes the variable from a Go map: keys sorted, `<`, `>`
        // and `&` escaped (result::go_json), so an app reading it raw sees the same text.
        let sorted: std::collections::BTreeMap<String, Value> =
            std::mem::take(map).into_iter().collect();
        map.extend(sorted);
    }
    let vcap = crate::stager::result::go_json(&vcap);
    let mut environment = env::Environment::from_host();
    // Diego's default, which the app's variables may change (`cf set-env APP LANG …`).
    environment.set("LANG", "en_US.UTF-8");
    for (name, value) in &user_env {
        environment.set(name, value);
    }
    // What the platform sets after the app's variables, so they never replace it: Cloud
    // Controller's VCAP_APPLICATION, MEMORY_LIMIT and VCAP_SERVICES (merged last), Diego's
    // instance variables, and the launcher's CalcEnv (HOME, TMPDIR, DEPS_DIR, set in its own
    // process right before the app starts).
    environment.set("HOME", &app_dir);
    environment.set("TMPDIR", root.join("tmp"));
    environment.set("DEPS_DIR", root.join("deps"));
    environment.set("PORT", port.to_string());
    environment.set("VCAP_APPLICATION", vcap.trim_end());
    environment.set("VCAP_SERVICES", &services);
    environment.set("MEMORY_LIMIT", format!("{}m", options.memory_mb));
    environment.set("INSTANCE_INDEX", "0");
    environment.set("INSTANCE_GUID", &instance_guid);
    environment.set("CF_INSTANCE_INDEX", "0");
    environment.set("CF_INSTANCE_GUID", &instance_guid);
    environment.set("CF_INSTANCE_IP", "127.0.0.1");
    environment.set("CF_INSTANCE_INTERNAL_IP", "127.0.0.1");
    environment.set("CF_INSTANCE_PORT", port.to_string());
    environment.set("CF_INSTANCE_ADDR", format!("127.0.0.1:{port}"));
    environment.set(
        "CF_INSTANCE_PORTS",
        format!("[{{\"external\":{port},\"internal\":{port}}}]"),
    );
    // Over the app's own, as the launcher's CalcEnv sets it whenever a service is a database.
    if let Some(url) = env::database_url(&services) {
        environment.set("DATABASE_URL", url);
    }
    Ok(environment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(process: &str, env: Vec<String>, services: Option<&str>) -> RunOptions {
        RunOptions {
            droplet: "droplet.tgz".into(),
            port: 8080,
            process: process.into(),
            command: None,
            env,
            services: services.map(str::to_string),
            memory_mb: 256,
            check: None,
            check_timeout: std::time::Duration::from_secs(1),
        }
    }

    fn vcap_application_of(process: &str) -> Value {
        let options = options(process, Vec::new(), None);
        let environment = launch_env(Path::new("/home/vcap"), "hello", 8080, &options).unwrap();
        let text = environment
            .get("VCAP_APPLICATION")
            .unwrap()
            .to_str()
            .unwrap();
        serde_json::from_str(text).unwrap()
    }

    /// The platform's VCAP_APPLICATION names the process an instance runs: `bpkit run
    /// --process worker` said `web`, with the web process's GUID.
    #[test]
    fn vcap_application_names_the_process_that_runs() {
        let web = vcap_application_of("web");
        assert_eq!(web["process_type"], "web");
        assert_eq!(web["process_id"], web["application_id"]);
        let worker = vcap_application_of("worker");
        assert_eq!(worker["process_type"], "worker");
        assert_ne!(worker["process_id"], worker["application_id"]);
        assert_eq!(worker["process_id"].as_str().unwrap().len(), 36);
        assert_eq!(worker["application_id"], web["application_id"]);
    }

    /// The launcher's CalcEnv sets DATABASE_URL from a database service over the app's own
    /// (`-e`, as `cf set-env`); with no database bound, the app's stays.
    #[test]
    fn a_database_service_replaces_the_apps_database_url() {
        let url_with = |services: &str| {
            let options = options(
                "web",
                vec!["DATABASE_URL=postgres://mine/x".into()],
                Some(services),
            );
            let environment = launch_env(Path::new("/home/vcap"), "hello", 8080, &options).unwrap();
            environment.get("DATABASE_URL").unwrap().to_owned()
        };
        let db = r#"{"db":[{"credentials":{"uri":"mysql://u:p@dbhost/db"}}]}"#;
        assert_eq!(url_with(db), "mysql2://u:p@dbhost/db");
        assert_eq!(url_with("{}"), "postgres://mine/x");
    }
}
