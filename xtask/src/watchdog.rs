//! Runs a command that must show a sign of life in its output in time,
//! and stops it, with every process it started, when it does not.
//!
//! wasm-bindgen's test runner (0.2.130) serves a test binary's page from
//! its own HTTP server, whose connection pool (tiny_http 0.12) now and then
//! leaves a request queued with no thread to take it. One of the page's
//! scripts then never arrives and the page never loads. ChromeDriver's
//! navigation waits for the load, and the runner, whose WebDriver commands
//! have no timeout, waits for the navigation: for ever, its own
//! `WASM_BINDGEN_TEST_TIMEOUT` included, and so does everything above it.
//! (ChromeDriver's verbose log of such a run shows the page's last two
//! script requests sent and never answered, and no DOMContentLoaded.)

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::toolchain::{describe, succeeded};

/// How often the child is looked at.
const POLL: Duration = Duration::from_millis(200);

/// How long the last of the output may take to be copied once the child
/// has ended.
const LAST_LINES: Duration = Duration::from_secs(5);

/// What the output has shown so far.
#[derive(Default)]
struct Progress {
    /// When the last line containing the start was printed.
    started: Option<Instant>,
    /// Whether a line containing the sign was printed after it.
    signed: bool,
}

/// Runs `command`, copying its standard output to ours line by line. Once a
/// line containing `start` appears, a line containing `sign` must follow
/// `within`; if none does, stops the command and everything it started and
/// returns [`Error::Stalled`].
pub(crate) fn run_expecting(
    command: &mut Command,
    start: &str,
    sign: &str,
    within: Duration,
) -> Result<(), Error> {
    command.stdout(Stdio::piped());
    #[cfg(unix)]
    {
        // Its own process group, so that stopping it reaches the driver and
        // the browser the runner started.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|source| Error::Spawn {
        program: describe(command),
        source,
    })?;
    let progress = Arc::new(Mutex::new(Progress::default()));
    // The copier says when it has copied everything; it is not joined, as
    // a process that outlives the child may still hold the pipe.
    let (copied, all_copied) = mpsc::channel::<()>();
    if let Some(stdout) = child.stdout.take() {
        let progress = Arc::clone(&progress);
        let (start, sign) = (start.to_owned(), sign.to_owned());
        thread::spawn(move || {
            copy_lines(BufReader::new(stdout), &start, &sign, &progress);
            let _ = copied.send(());
        });
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) => {}
            Err(source) => {
                break Err(Error::io(
                    format!("wait for `{}`", describe(command)),
                    source,
                ))
            }
        }
        let overdue = progress.lock().is_ok_and(|progress| {
            !progress.signed && progress.started.is_some_and(|at| at.elapsed() >= within)
        });
        if overdue {
            stop(&mut child);
            break Err(Error::Stalled {
                command: describe(command),
                sign: sign.to_owned(),
                seconds: within.as_secs(),
            });
        }
        thread::sleep(POLL);
    };
    let status = status?;
    let _ = all_copied.recv_timeout(LAST_LINES);
    succeeded(command, status)
}

/// Copies `lines` to standard output, noting those that contain `start`
/// or `sign`.
fn copy_lines(lines: impl BufRead, start: &str, sign: &str, progress: &Mutex<Progress>) {
    let mut out = std::io::stdout();
    for line in lines.split(b'\n') {
        let Ok(line) = line else { return };
        if let Ok(mut progress) = progress.lock() {
            if contains(&line, start.as_bytes()) {
                *progress = Progress {
                    started: Some(Instant::now()),
                    signed: false,
                };
            } else if contains(&line, sign.as_bytes()) {
                progress.signed = true;
            }
        }
        let _ = out.write_all(&line);
        let _ = out.write_all(b"\n");
        let _ = out.flush();
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// Stops `child` and, on Unix, its whole process group.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn a_run_that_shows_its_sign_runs_to_its_end() {
        let mut command = shell("sleep 1; echo Running; echo '1/4 go'; sleep 1; echo done");
        run_expecting(&mut command, "Running", "1/4", Duration::from_millis(500)).unwrap();
    }

    #[test]
    fn a_failing_run_is_a_failure_not_a_stall() {
        let mut command = shell("echo Running; echo '1/4 go'; exit 3");
        let error =
            run_expecting(&mut command, "Running", "1/4", Duration::from_secs(5)).unwrap_err();
        assert!(matches!(error, Error::Failed { .. }), "{error}");
    }

    #[test]
    fn a_silent_run_is_stopped_with_what_it_started() {
        // The shell starts a child that would outlive it; stopping the
        // group ends both.
        let marker = std::env::temp_dir().join(format!("xtask-watchdog-{}", std::process::id()));
        let script = format!(
            "(sleep 3; touch {}) & echo Running; sleep 30",
            marker.display()
        );
        let started = Instant::now();
        let error = run_expecting(
            &mut shell(&script),
            "Running",
            "1/4",
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(matches!(error, Error::Stalled { .. }), "{error}");
        assert!(error.to_string().contains("\"1/4\""), "{error}");
        assert!(started.elapsed() < Duration::from_secs(20));
        thread::sleep(Duration::from_secs(4));
        assert!(!marker.exists(), "the run's own child was left running");
    }
}
