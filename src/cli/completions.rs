//! `bpkit completions SHELL` and `bpkit man`: generated from the same clap definitions as the
//! parser, so they can never drift from the real flags.

use std::fmt::Write as _;

use super::{CliError, print_data};
use crate::exit_code;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run_completions(args: &Args) -> Result<u8, CliError> {
    let mut command = super::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "bpkit", &mut script);
    print_data(&String::from_utf8_lossy(&script))?;
    Ok(exit_code::SUCCESS)
}

pub fn run_man() -> Result<u8, CliError> {
    let page = man_page().map_err(CliError::CannotWriteOutput)?;
    print_data(&page)?;
    Ok(exit_code::SUCCESS)
}

/// bpkit(1) as one page: bpkit's own sections, then a COMMANDS section with a subsection per
/// command (its description, synopsis and every flag). clap_mangen's own page only lists the
/// commands and points at `bpkit-<command>(1)` pages, which a single `bpkit man > bpkit.1`
/// never writes; so each command's sections are rendered by clap_mangen too and put in here,
/// their headings turned into paragraph breaks.
pub fn man_page() -> std::io::Result<String> {
    let mut command = super::command();
    // Built first, so each command knows its full name (`bpkit stage`) and the global flags.
    command.build();
    let top = clap_mangen::Man::new(command.clone());
    let mut head = Vec::new();
    top.render_title(&mut head)?;
    top.render_name_section(&mut head)?;
    top.render_synopsis_section(&mut head)?;
    top.render_description_section(&mut head)?;
    top.render_options_section(&mut head)?;
    // Every render starts with the page preamble (the `Aq` string definition); it is kept once.
    let mut page = String::from(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n");
    push_roff(&mut page, &head, false);
    page.push_str(".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        man.render_description_section(&mut section)?;
        man.render_synopsis_section(&mut section)?;
        man.render_options_section(&mut section)?;
        let _ = writeln!(page, ".SS \"bpkit {}\"", sub.get_name().replace('-', "\\-"));
        push_roff(&mut page, &section, true);
    }
    let mut version = Vec::new();
    top.render_version_section(&mut version)?;
    push_roff(&mut page, &version, false);
    Ok(page)
}

/// Append clap_mangen's output without its preamble; with `demote`, `.SH` headings become
/// paragraph breaks (inside a command's subsection).
fn push_roff(page: &mut String, roff: &[u8], demote: bool) {
    for line in String::from_utf8_lossy(roff).lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        if demote && line.starts_with(".SH ") {
            page.push_str(".PP\n");
            continue;
        }
        // roff input is ASCII: groff without preconv reads `…` as three Latin-1 bytes, one of
        // them invalid ("warning: invalid input character code 128"), and prints `â€¦`. `…`
        // is written `...`, which every output device has (`man` in a C locale renders with
        // -Tascii, where `\[u2026]` is "can't find special character"); another character
        // past ASCII as groff's and mandoc's `\[uXXXX]` escape.
        for c in line.chars() {
            match c {
                '…' => page.push_str("..."),
                c if c.is_ascii() => page.push(c),
                c => {
                    let _ = write!(page, "\\[u{:04X}]", u32::from(c));
                }
            }
        }
        page.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::push_roff;

    /// `…` becomes `...`, which a C locale's `-Tascii` renders; another character past ASCII
    /// is groff's `\[uXXXX]` escape; the preamble's `Aq` lines are dropped and, demoted, a
    /// `.SH` heading is a paragraph break.
    #[test]
    fn roff_is_written_in_ascii() {
        let mut page = String::new();
        let roff = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.SH NAME\nstage APP \\-b BUILDPACK… caf\u{e9}\n";
        push_roff(&mut page, roff.as_bytes(), true);
        assert_eq!(page, ".PP\nstage APP \\-b BUILDPACK... caf\\[u00E9]\n");
    }
}
