//! Running a command on a pseudo-terminal of a given size, as a person at a terminal runs it,
//! and rendering what it drew into the lines left on the screen. The terminal comes from
//! python3's `pty` module (CI installs python3; `script` cannot set the window size), and the
//! screen is a small emulator of what indicatif and the logger send: text, `\r`, `\n`, cursor
//! up/down/left/right, erase in line and in display, colours (ignored), with auto-wrap at the
//! terminal's width, which it counts: a progress bar that wraps is redrawn as a ragged block.

use std::process::Command;

use super::bin::Run;

/// Runs `argv[3:]` on a new pseudo-terminal `argv[1]` columns by `argv[2]` rows (every one of
/// its standard streams), copies all it writes to our stdout, and exits with its exit code.
const RUN_ON_A_PTY: &str = r#"
import fcntl, os, pty, struct, sys, termios
cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(argv[0], argv)
out = bytearray()
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:  # EIO: the child is gone and the terminal closed
        break
    if not data:
        break
    out += data
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(bytes(out))
sys.exit(os.waitstatus_to_exitcode(status))
"#;

/// A command to run on a terminal: `program` with `args`, its environment set on the returned
/// `Command` (which runs python3; the program inherits what it is given).
pub fn command(cols: u16, program: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new("python3");
    command
        .arg("-c")
        .arg(RUN_ON_A_PTY)
        .arg(cols.to_string())
        .arg("100")
        .arg(program)
        .args(args);
    command
}

/// Run a command made by [`command`]: its exit code and all the terminal received (`stdout`).
pub fn run(command: &mut Command) -> Run {
    super::bin::run(command)
}

/// What is left on a terminal `width` columns wide after it received `bytes`.
#[derive(Debug, Default)]
pub struct Screen {
    pub lines: Vec<String>,
    /// Lines that ran past the right edge and wrapped, as they were when they did.
    pub wrapped: Vec<String>,
}

impl Screen {
    pub fn render(bytes: &str, width: usize) -> Screen {
        let mut rows: Vec<Vec<char>> = vec![Vec::new()];
        let mut wrapped = Vec::new();
        let (mut row, mut col) = (0usize, 0usize);
        let mut chars = bytes.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => col = 0,
                '\n' => row += 1,
                '\x1b' => {
                    if chars.peek() != Some(&'[') {
                        chars.next();
                        continue;
                    }
                    chars.next();
                    let mut params = String::new();
                    let mut command = ' ';
                    for c in chars.by_ref() {
                        if c.is_ascii_alphabetic() || c == '@' || c == '~' {
                            command = c;
                            break;
                        }
                        params.push(c);
                    }
                    let n = params.parse::<usize>().unwrap_or(1).max(1);
                    while rows.len() <= row {
                        rows.push(Vec::new());
                    }
                    match command {
                        'A' => row = row.saturating_sub(n),
                        'B' => row += n,
                        'C' => col = (col + n).min(width - 1),
                        'D' => col = col.saturating_sub(n),
                        'G' => col = n - 1,
                        'K' if params == "2" => rows[row].clear(),
                        'K' => rows[row].truncate(col),
                        'J' => {
                            rows[row].truncate(col);
                            rows.truncate(row + 1);
                        }
                        _ => {} // colours, cursor visibility
                    }
                }
                c if c.is_control() => {}
                c => {
                    if col >= width {
                        wrapped.push(rows[row].iter().collect());
                        row += 1;
                        col = 0;
                    }
                    while rows.len() <= row {
                        rows.push(Vec::new());
                    }
                    let line = &mut rows[row];
                    while line.len() < col {
                        line.push(' ');
                    }
                    if col < line.len() {
                        line[col] = c;
                    } else {
                        line.push(c);
                    }
                    col += 1;
                }
            }
            while rows.len() <= row {
                rows.push(Vec::new());
            }
        }
        let mut lines: Vec<String> = rows
            .iter()
            .map(|r| r.iter().collect::<String>().trim_end().to_string())
            .collect();
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        Screen { lines, wrapped }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// Whether `text` holds any of the characters a progress bar is drawn with.
pub fn has_bar(text: &str) -> bool {
    text.contains(['█', '░'])
}
