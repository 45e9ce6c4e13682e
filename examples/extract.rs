//! Extracts one dependency file with `bpkit::archive::extract`, as `supply` does; used by
//! `benches/extract.sh`, which times the library call alone, without a staging around it.
//!
//! Usage: `extract ARCHIVE TARGET [STRIP_COMPONENTS]`

use std::path::Path;
use std::process::ExitCode;

use bpkit::archive::{ExtractOptions, extract};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (archive, target, strip) = match args.as_slice() {
        [_, archive, target] => (archive, target, "0"),
        [_, archive, target, strip] => (archive, target, strip.as_str()),
        _ => {
            eprintln!("Usage: extract ARCHIVE TARGET [STRIP_COMPONENTS]");
            return ExitCode::from(1);
        }
    };
    let Ok(strip_components) = strip.parse() else {
        eprintln!("Usage: extract ARCHIVE TARGET [STRIP_COMPONENTS]");
        return ExitCode::from(1);
    };
    let options = ExtractOptions {
        strip_components,
        file_name: None,
    };
    match extract(Path::new(archive), Path::new(target), &options) {
        Ok(extracted) => {
            eprintln!("{extracted:?}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message = format!("{message}: {cause}");
                source = cause.source();
            }
            eprintln!("extract: {message}");
            ExitCode::from(2)
        }
    }
}
