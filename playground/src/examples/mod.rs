//! The example catalogue: every example the page can run, with the source
//! the page shows, which is the very file that runs.

use std::future::Future;
use std::pin::Pin;

pub mod executor;
pub mod hello;

/// A boxed, single-threaded future, as the catalogue hands them out.
pub type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;

/// One runnable example.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// Stable id, used by the page, the embed attribute and the tests.
    pub id: &'static str,
    /// Human title.
    pub title: &'static str,
    /// The Rust source of the example: its own file.
    pub rust_source: &'static str,
    /// Builds the example's main coroutine.
    pub main: fn() -> LocalFuture,
}

/// Every example, in catalogue order.
pub const CATALOGUE: &[Example] = &[
    Example {
        id: "hello",
        title: "Hello, world: one coroutine",
        rust_source: include_str!("hello.rs"),
        main: || Box::pin(hello::main()),
    },
    Example {
        id: "executor",
        title: "run_in_executor: blocking work on Web Workers",
        rust_source: include_str!("executor.rs"),
        main: || Box::pin(executor::main()),
    },
];

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    CATALOGUE.iter().find(|example| example.id == id)
}
