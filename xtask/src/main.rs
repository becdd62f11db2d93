//! `cargo xtask <task>`: sets up the tools and builds, tests, benchmarks
//! or serves the project. See `cli::USAGE` for the tasks and
//! `wasm-pack.toml` for the settings.

mod browser;
mod bundles;
mod cli;
mod config;
mod dev_server;
mod error;
mod listings;
mod lockfile;
mod page_weight;
mod pinned_npm;
mod playground;
mod precompress;
mod python_engine;
mod setup;
mod tasks;
mod toolchain;
mod wasm_interface;
mod wasm_opt;
mod watchdog;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::error::Error;

fn main() -> ExitCode {
    let args = std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string().map_err(|arg| {
                Error::Usage(format!(
                    "argument `{}` is not valid Unicode",
                    arg.to_string_lossy()
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>();
    let outcome = args
        .and_then(cli::parse)
        .and_then(|task| tasks::run(task, &repository_root()));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: {error}");
            if matches!(error, Error::Usage(_)) {
                eprintln!("\n{}", cli::USAGE);
            }
            error.exit_code()
        }
    }
}

/// The repository root: the parent of this crate's directory.
fn repository_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
