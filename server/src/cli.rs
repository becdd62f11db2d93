//! The command line: `server [--host H] [--port P] [--root DIR]`.
//!
//! Parsing never panics and never exits; it returns a [`CliError`] that
//! says what was wrong, and the binary turns it into exit code 2.

use std::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use crate::config::Config;

/// The help text printed for `--help` and after a usage error.
pub const USAGE: &str = "\
Usage: server [--host HOST] [--port PORT] [--root DIR]

Serves the playground's files for development.

Options:
  --host HOST  IP address to listen on, or `localhost` [default: 127.0.0.1]
  --port PORT  TCP port to listen on, 0 to let the system pick [default: 8000]
  --root DIR   directory to serve [default: www/ in the repository]
  -h, --help   print this help
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// Serve with these settings.
    Serve(Config),
    /// Print [`USAGE`] and exit.
    Help,
}

/// A command line that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CliError {
    /// An argument that is not an option of this program.
    UnknownArgument(String),
    /// An option given without its value.
    MissingValue(&'static str),
    /// A `--host` value that is neither an IP address nor `localhost`.
    InvalidHost(String),
    /// A `--port` value that is not a number from 0 to 65535.
    InvalidPort(String),
    /// An argument that is not valid Unicode where text is expected.
    NotUnicode(OsString),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::UnknownArgument(arg) => write!(f, "unknown argument `{arg}`"),
            CliError::MissingValue(option) => write!(f, "`{option}` needs a value"),
            CliError::InvalidHost(host) => write!(
                f,
                "invalid host `{host}`: expected an IP address such as 127.0.0.1 or ::1, or `localhost`"
            ),
            CliError::InvalidPort(port) => write!(
                f,
                "invalid port `{port}`: expected a number from 0 to 65535"
            ),
            CliError::NotUnicode(arg) => {
                write!(f, "argument `{}` is not valid Unicode", arg.to_string_lossy())
            }
        }
    }
}

impl Error for CliError {}

/// Parses the arguments that follow the program name.
///
/// Options take their value as the next argument or after `=`
/// (`--port 8080`, `--port=8080`).
///
/// # Errors
///
/// Returns a [`CliError`] for an unknown argument, a missing value, or a
/// host or port that does not parse.
///
/// # Examples
///
/// ```
/// use server::cli::{parse, Invocation};
///
/// let Ok(Invocation::Serve(config)) = parse(["--port", "8080"].map(Into::into)) else {
///     panic!("expected a configuration");
/// };
/// assert_eq!(config.addr.port(), 8080);
/// assert!(parse(["--port", "http"].map(Into::into)).is_err());
/// ```
pub fn parse<I>(args: I) -> Result<Invocation, CliError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.into_string().map_err(CliError::NotUnicode)?;
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        match name {
            "-h" | "--help" if inline_value.is_none() => return Ok(Invocation::Help),
            "--host" => {
                let value = text_value(inline_value, &mut args, "--host")?;
                config.addr.set_ip(parse_host(&value)?);
            }
            "--port" => {
                let value = text_value(inline_value, &mut args, "--port")?;
                config.addr.set_port(parse_port(&value)?);
            }
            "--root" => {
                config.root = match inline_value {
                    Some(value) => PathBuf::from(value),
                    None => PathBuf::from(args.next().ok_or(CliError::MissingValue("--root"))?),
                };
            }
            _ => return Err(CliError::UnknownArgument(arg)),
        }
    }
    Ok(Invocation::Serve(config))
}

/// The value of a text option, given inline or as the next argument.
fn text_value(
    inline_value: Option<String>,
    rest: &mut impl Iterator<Item = OsString>,
    option: &'static str,
) -> Result<String, CliError> {
    match inline_value {
        Some(value) => Ok(value),
        None => rest
            .next()
            .ok_or(CliError::MissingValue(option))?
            .into_string()
            .map_err(CliError::NotUnicode),
    }
}

/// An IP address, `[v6]` in brackets, or `localhost`.
fn parse_host(value: &str) -> Result<IpAddr, CliError> {
    if value.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let unbracketed = value
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(value);
    unbracketed
        .parse()
        .map_err(|_| CliError::InvalidHost(value.to_owned()))
}

/// A TCP port number; 0 asks the system for a free one.
fn parse_port(value: &str) -> Result<u16, CliError> {
    value
        .parse()
        .map_err(|_| CliError::InvalidPort(value.to_owned()))
}
