//! The tools a task runs, and the environment they run in.
//!
//! Setup builds a [`Toolchain`]; every child process is started from it,
//! so each one sees the same `PATH` (with Cargo's `bin` directory on it)
//! and the same `CHROMEDRIVER`, without changing xtask's own environment.

use std::env;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use crate::error::Error;

/// Where the tools are and how children are started.
#[derive(Debug, Clone)]
pub(crate) struct Toolchain {
    /// The repository root: the working directory of every child.
    pub(crate) root: PathBuf,
    /// `PATH` as children see it.
    path: OsString,
    /// The ChromeDriver the browser tests use, once set up.
    pub(crate) chromedriver: Option<PathBuf>,
}

impl Toolchain {
    /// A toolchain that runs children in `root` with `path` as `PATH`.
    pub(crate) fn new(root: PathBuf, path: OsString) -> Toolchain {
        Toolchain {
            root,
            path,
            chromedriver: None,
        }
    }

    /// `PATH` as children see it.
    pub(crate) fn path(&self) -> &OsStr {
        &self.path
    }

    /// Puts `dir` first on the children's `PATH`.
    pub(crate) fn prepend_to_path(&mut self, dir: &Path) {
        let rest = env::split_paths(&self.path).filter(|entry| entry != dir);
        let joined = env::join_paths(std::iter::once(dir.to_path_buf()).chain(rest));
        if let Ok(path) = joined {
            self.path = path;
        }
    }

    /// The first executable called `name` on the children's `PATH`.
    pub(crate) fn find(&self, name: &str) -> Option<PathBuf> {
        env::split_paths(&self.path)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    }

    /// Cargo: the one that started xtask, else the one on `PATH`.
    pub(crate) fn cargo(&self) -> Command {
        let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        self.command(cargo)
    }

    /// A command for `program`, in the repository root, with the
    /// toolchain's environment.
    pub(crate) fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        if let Some(chromedriver) = &self.chromedriver {
            command.env("CHROMEDRIVER", chromedriver);
        }
        command
    }

    /// Runs a command to completion with its output on the terminal.
    pub(crate) fn run(&self, command: &mut Command) -> Result<(), Error> {
        let status = command.status().map_err(|source| Error::Spawn {
            program: describe(command),
            source,
        })?;
        succeeded(command, status)
    }

    /// Runs a command quietly and returns its standard output if it
    /// succeeded; `None` if it could not start or failed.
    pub(crate) fn output(&self, command: &mut Command) -> Option<String> {
        let output = command
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if output.status.success() {
            String::from_utf8(output.stdout).ok()
        } else {
            None
        }
    }
}

/// The command as a person would type it: program name and arguments.
pub(crate) fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program());
    let name = program.file_name().unwrap_or(program.as_os_str());
    std::iter::once(name)
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `path` is a file this process may execute.
pub(crate) fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

/// `Ok` if `command` ended with `status` successfully, else
/// [`Error::Failed`].
pub(crate) fn succeeded(command: &Command, status: ExitStatus) -> Result<(), Error> {
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed {
            command: describe(command),
            status,
        })
    }
}
