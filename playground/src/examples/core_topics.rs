//! The examples about the loop, tasks, waiting and synchronisation: their
//! modules, and their catalogue entries in the order the page lists them.

use crate::catalogue::{Example, Needs, Param, Topic, Variant};

#[path = "hello.rs"]
pub mod hello;

/// This part of the catalogue.
pub(super) const EXAMPLES: &[Example] = &[Example {
    id: "hello",
    title: "Hello, world: one coroutine",
    topic: Topic::Basics,
    explanation: "A coroutine runs until it awaits something. Here it prints, \
            then awaits a sleep, which hands control back to the event loop until \
            the timer fires; then it prints again. Nothing else is running, so the \
            whole program takes as long as the sleep.",
    python_source: include_str!("hello.py"),
    rust_source: include_str!("hello.rs"),
    params: &[Param {
        name: "delay",
        label: "Sleep",
        min: 0.0,
        max: 10.0,
        default: 1.0,
        step: 0.1,
        unit: "s",
    }],
    variants: &[Variant {
        id: "run",
        label: "Run",
        main: |params| Box::pin(hello::main(params)),
    }],
    needs: Needs {
        server: false,
        workers: false,
        browser: false,
    },
}];
