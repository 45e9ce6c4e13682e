//! A static file server on 127.0.0.1 for `benches/package.sh` (the cold-cache figure): a
//! thread per connection, each file sent in 1 MiB pieces, so the server costs little and the
//! figure measures bpkit's download path, not the server. (Python's `http.server`, used before,
//! took about as long as the whole download by itself; `std::io::copy` from a file to a socket
//! does not use `sendfile`, by design, and moves 8 KiB per system call: the server then took a
//! seventh of the machine's CPU during a cold run.) Keep-alive is supported, as HTTP clients
//! reuse connections.
//!
//! Usage: `serve DIR` prints the port it listens on (chosen by the system) on stdout, then
//! serves `GET /NAME` from `DIR/NAME` until killed. Only plain names; anything else is 404.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir] = args.as_slice() else {
        eprintln!("Usage: serve DIR");
        return ExitCode::from(1);
    };
    let dir = Arc::new(PathBuf::from(dir));
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("serve: cannot listen on 127.0.0.1: {e}");
            return ExitCode::from(1);
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("{}", addr.port()),
        Err(e) => {
            eprintln!("serve: {e}");
            return ExitCode::from(1);
        }
    }
    let _ = io::stdout().flush();
    for stream in listener.incoming().flatten() {
        let dir = Arc::clone(&dir);
        std::thread::spawn(move || {
            let _ = serve(stream, &dir);
        });
    }
    ExitCode::SUCCESS
}

/// Answer requests on one connection until the client closes it.
fn serve(stream: TcpStream, dir: &Path) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        // Skip the headers.
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
                break;
            }
        }
        let target = request.split_whitespace().nth(1).unwrap_or_default();
        let name = target.trim_start_matches('/');
        let file = (!name.is_empty() && !name.contains('/') && !name.starts_with('.'))
            .then(|| File::open(dir.join(name)).ok())
            .flatten();
        let Some(mut file) = file else {
            out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")?;
            continue;
        };
        let len = file.metadata()?.len();
        write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {len}\r\n\r\n"
        )?;
        send(&mut file, &mut out, &mut buffer)?;
    }
}

/// Copy `file` to `out` in pieces as large as `buffer`.
fn send(file: &mut File, out: &mut TcpStream, buffer: &mut [u8]) -> io::Result<()> {
    loop {
        match file.read(buffer) {
            Ok(0) => return out.flush(),
            Ok(n) => out.write_all(&buffer[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
