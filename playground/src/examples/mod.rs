//! The example catalogue: every example the page can run. Each lives in
//! its own file, with its Python counterpart beside it; the page shows the
//! very file that runs.

use std::sync::LazyLock;

use crate::catalogue::Example;

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
