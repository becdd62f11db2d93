//! Building the Python engine the page runs programs with: the
//! `asyncio-python` crate with wasm-pack (`--target web`, release) into
//! `python/` under the playground's out-dir, beside copies of its
//! `js/runner.js` (which the page imports when a program first runs) and
//! `js/worker.js` (the worker's script). The page never loads it until
//! then, so it is weighed apart from the page.
//!
//! Its module is not run through wasm-opt: at several megabytes that
//! takes minutes on a small machine, for a file fetched once and cached.

use std::path::Path;

use crate::error::Error;
use crate::toolchain::{describe, Toolchain};

/// The engine's directory under the playground's out-dir.
pub(crate) const DIR: &str = "python";
/// The crate, relative to the repository root.
const CRATE_DIR: &str = "python";
/// The scripts the page loads beside the package.
const SCRIPTS: [&str; 2] = ["runner.js", "worker.js"];

/// Builds the engine into `<out_dir>/python/`.
pub(crate) fn build(toolchain: &Toolchain, out_dir: &Path) -> Result<(), Error> {
    let Some(wasm_pack) = toolchain.find("wasm-pack") else {
        return Err(Error::Missing {
            tool: "wasm-pack".into(),
            hint: "setup did not find it on PATH".into(),
        });
    };
    let crate_dir = toolchain.root.join(CRATE_DIR);
    let engine_dir = out_dir.join(DIR);
    let mut command = toolchain.command(wasm_pack);
    command
        .args(["build", "--mode", "no-install", "--no-opt", "--no-pack"])
        .args(["--target", "web", "--release"])
        .arg("--out-dir")
        .arg(&engine_dir)
        .arg(&crate_dir);
    println!("{}", describe(&command));
    toolchain.run(&mut command)?;
    for script in SCRIPTS {
        let from = crate_dir.join("js").join(script);
        let to = engine_dir.join(script);
        std::fs::copy(&from, &to).map_err(|source| {
            Error::io(
                format!("copy {} to {}", from.display(), to.display()),
                source,
            )
        })?;
    }
    Ok(())
}
