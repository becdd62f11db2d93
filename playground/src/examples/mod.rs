//! The example catalogue: every example the page can run. Each lives in
//! its own file, with its Python counterpart beside it; the page shows the
//! very file that runs.

use std::sync::LazyLock;

use crate::catalogue::Example;

/// An example's listing, a file in this directory: its text, except in the
/// page's WebAssembly module, where it is empty. The page fetches each
/// listing when it shows the example (the build writes them beside the
/// package, see `cargo xtask build`), so the module every visitor downloads
/// does not carry them all.
macro_rules! listing {
    ($file:literal) => {{
        #[cfg(not(target_arch = "wasm32"))]
        let text = include_str!($file);
        #[cfg(target_arch = "wasm32")]
        let text = "";
        text
    }};
}

pub mod core_topics;
pub mod io_topics;

static CATALOGUE: LazyLock<Vec<Example>> =
    LazyLock::new(|| [core_topics::EXAMPLES, io_topics::EXAMPLES].concat());

/// Every example, in catalogue order.
pub fn catalogue() -> &'static [Example] {
    &CATALOGUE
}

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    catalogue().iter().find(|example| example.id == id)
}
