//! The command line: `cargo xtask <task> [options]`.

use std::net::IpAddr;

use crate::error::Error;

/// The help text printed for `help` and after a usage error.
pub(crate) const USAGE: &str = "\
Usage: cargo xtask <TASK> [OPTIONS]

Tasks:
  serve [--host HOST] [--port PORT]
          set up, build the playground and serve it (default 127.0.0.1:8000)
  test    set up, then check formatting, run clippy for the host and for
          wasm32, build the playground, run the browser tests in Chromium
          and Firefox, the page's end-to-end tests in Chromium and its
          smoke tests in Firefox and WebKit, and the native tests
  bench   set up, then run the benchmarks in headless Chromium
  build   set up and build the playground into the configured out-dir
  help    print this help

Setup installs what is missing: the wasm32-unknown-unknown target,
wasm-pack, the wasm-bindgen CLI pinned by Cargo.lock; for test and bench,
Chromium with ChromeDriver; for test, Firefox ESR with the geckodriver
pinned in wasm-pack.toml, WebKitGTK's WebKitWebDriver with Xvfb, and the
e2e/ Node packages. Settings live in wasm-pack.toml.
";

/// What was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Task {
    /// Build the playground and run the development server.
    Serve {
        host: Option<String>,
        port: Option<String>,
    },
    /// Every check and test, failing fast.
    Test,
    /// The benchmarks, in the browser.
    Bench,
    /// Build the playground only.
    Build,
    /// Print [`USAGE`].
    Help,
}

/// Parses the arguments after `cargo xtask`.
///
/// `serve`'s host and port are checked, then passed on to the server as
/// given.
pub(crate) fn parse<I>(args: I) -> Result<Task, Error>
where
    I: IntoIterator<Item = String>,
{
    let mut args = args.into_iter();
    let Some(task) = args.next() else {
        return Err(Error::Usage("no task given".into()));
    };
    let rest: Vec<String> = args.collect();
    let task = match task.as_str() {
        "serve" => return parse_serve(rest),
        "test" => Task::Test,
        "bench" => Task::Bench,
        "build" => Task::Build,
        "help" | "-h" | "--help" => Task::Help,
        other => return Err(Error::Usage(format!("unknown task `{other}`"))),
    };
    match rest.first() {
        None => Ok(task),
        Some(arg) if arg == "-h" || arg == "--help" => Ok(Task::Help),
        Some(arg) => Err(Error::Usage(format!(
            "`{task_name}` takes no argument `{arg}`",
            task_name = name(&task)
        ))),
    }
}

/// `serve [--host HOST] [--port PORT]`, values after a space or `=`.
fn parse_serve(args: Vec<String>) -> Result<Task, Error> {
    let mut host = None;
    let mut port = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (option, inline) = match arg.split_once('=') {
            Some((option, value)) => (option.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let slot = match option.as_str() {
            "--host" => &mut host,
            "--port" => &mut port,
            "-h" | "--help" => return Ok(Task::Help),
            _ => return Err(Error::Usage(format!("`serve` takes no argument `{arg}`"))),
        };
        let value = inline
            .or_else(|| args.next())
            .ok_or_else(|| Error::Usage(format!("`{option}` needs a value")))?;
        *slot = Some(value);
    }
    // Checked here too, so a typo fails before the playground is built.
    if let Some(host) = &host {
        let unbracketed = host.trim_start_matches('[').trim_end_matches(']');
        if !host.eq_ignore_ascii_case("localhost") && unbracketed.parse::<IpAddr>().is_err() {
            return Err(Error::Usage(format!(
                "invalid host `{host}`: expected an IP address or `localhost`"
            )));
        }
    }
    if let Some(port) = &port {
        if port.parse::<u16>().is_err() {
            return Err(Error::Usage(format!(
                "invalid port `{port}`: expected a number from 0 to 65535"
            )));
        }
    }
    Ok(Task::Serve { host, port })
}

fn name(task: &Task) -> &'static str {
    match task {
        Task::Serve { .. } => "serve",
        Task::Test => "test",
        Task::Bench => "bench",
        Task::Build => "build",
        Task::Help => "help",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &str) -> Result<Task, Error> {
        parse(words.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn tasks_are_recognised() {
        assert_eq!(parse_words("test").ok(), Some(Task::Test));
        assert_eq!(parse_words("bench").ok(), Some(Task::Bench));
        assert_eq!(parse_words("build").ok(), Some(Task::Build));
        assert_eq!(parse_words("help").ok(), Some(Task::Help));
        assert_eq!(parse_words("test --help").ok(), Some(Task::Help));
        assert_eq!(
            parse_words("serve").ok(),
            Some(Task::Serve {
                host: None,
                port: None
            })
        );
    }

    #[test]
    fn serve_takes_host_and_port() {
        assert_eq!(
            parse_words("serve --host 0.0.0.0 --port=9000").ok(),
            Some(Task::Serve {
                host: Some("0.0.0.0".into()),
                port: Some("9000".into())
            })
        );
    }

    #[test]
    fn mistakes_are_usage_errors() {
        for words in [
            "",
            "deploy",
            "test --fast",
            "serve --port",
            "serve --verbose",
            "build x",
        ] {
            match parse_words(words) {
                Err(Error::Usage(_)) => {}
                other => panic!("`{words}` gave {other:?}"),
            }
        }
    }
}
