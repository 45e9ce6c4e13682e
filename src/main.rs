//! The `bpkit` binary: everything lives in the library; this only hands over the arguments
//! (`argv[0]` included, since its name picks the behaviour) and returns the exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(bpkit::dispatch::run(std::env::args_os()))
}
