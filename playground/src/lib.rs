//! The playground's WebAssembly: the example catalogue, a runner that runs
//! an example on a fresh loop and reports its output and timing, and the
//! bindings the page calls.

#![warn(missing_docs)]

#[cfg(target_arch = "wasm32")]
pub mod bindings;
pub mod catalogue;
pub mod examples;
pub mod jobs;
pub mod runner;
pub mod wire;
