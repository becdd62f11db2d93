//! `wasm-opt` from npm's `binaryen`, at exactly the version the root
//! `package.json` pins, on every machine.
//!
//! A system binaryen may be too old for the module rustc emits (Debian
//! 12's binaryen 108 re-points the exported externref table), so the
//! `wasm-opt` on `PATH` is never used. npm's `binaryen` runs `wasm-opt`
//! under Node, which the page's checks need anyway; setup installs it with
//! `npm ci` at the root, as the test command installs the JavaScript tools.

use std::path::PathBuf;

use crate::error::Error;
use crate::toolchain::Toolchain;

/// The pinned `wasm-opt`, installed with `npm ci` at the root when it is
/// missing or another version.
pub(crate) fn install(toolchain: &Toolchain) -> Result<PathBuf, Error> {
    crate::pinned_npm::install(toolchain, "binaryen", "wasm-opt")
}
