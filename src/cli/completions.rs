//! `bpkit completions SHELL` and `bpkit man`: generated from the same clap definitions as the
//! parser, so they can never drift from the real flags.

use clap::CommandFactory;

use super::{Cli, CliError, print_data};
use crate::exit_code;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run_completions(args: &Args) -> Result<u8, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "bpkit", &mut script);
    print_data(&String::from_utf8_lossy(&script))?;
    Ok(exit_code::SUCCESS)
}

pub fn run_man() -> Result<u8, CliError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(CliError::CannotWriteOutput)?;
    print_data(&String::from_utf8_lossy(&page))?;
    Ok(exit_code::SUCCESS)
}
