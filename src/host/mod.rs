//! The two hosts a loop can run on.

#[cfg(target_arch = "wasm32")]
pub(crate) mod browser;
pub(crate) mod virtual_clock;
