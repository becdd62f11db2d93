//! The development server, started on a free port for the browser tests
//! that talk to it, and stopped when they are done.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::error::Error;
use crate::toolchain::Toolchain;

/// How long the server may take to say where it listens, once built.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running development server; stopped on drop.
#[derive(Debug)]
pub(crate) struct DevServer {
    child: Child,
    url: String,
}

impl DevServer {
    /// Builds the server, starts it on 127.0.0.1 with a port the system
    /// picks, and waits for the URL it prints.
    pub(crate) fn start(toolchain: &Toolchain, root: &Path) -> Result<DevServer, Error> {
        toolchain.run(toolchain.cargo().args(["build", "--quiet", "-p", "server"]))?;
        let binary = target_dir(root).join("debug").join("server");
        let mut child = toolchain
            .command(&binary)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|source| Error::Spawn {
                program: binary.display().to_string(),
                source,
            })?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err(Error::Usage("the server's output could not be read".into()));
        };
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = served_url(&line) {
                    let _ = sender.send(url);
                }
                // Keep draining so the server never blocks on a full pipe.
            }
        });
        match receiver.recv_timeout(START_TIMEOUT) {
            Ok(url) => Ok(DevServer { child, url }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(Error::Missing {
                    tool: "the development server".into(),
                    hint: format!(
                        "it did not report its address within {} s",
                        START_TIMEOUT.as_secs()
                    ),
                })
            }
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The workspace's target directory.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The URL in the server's `Serving … at http://HOST:PORT/` line.
fn served_url(line: &str) -> Option<String> {
    let (_, url) = line.rsplit_once(" at ")?;
    let url = url.trim().trim_end_matches('/');
    url.starts_with("http://").then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::served_url;

    #[test]
    fn reads_the_url_from_the_servers_line() {
        assert_eq!(
            served_url("Serving www/ at http://127.0.0.1:40123/"),
            Some("http://127.0.0.1:40123".into())
        );
        assert_eq!(served_url("Shutting down"), None);
        assert_eq!(served_url("Serving www/ at ftp://x/"), None);
    }
}
