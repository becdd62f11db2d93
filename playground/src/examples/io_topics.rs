//! The examples about the network, executors and the loop's
//! implementations: their modules, and their catalogue entries.

use crate::catalogue::{Example, Needs, Param, Topic, Variant};

#[path = "executor.rs"]
pub mod executor;

/// This part of the catalogue.
pub(super) const EXAMPLES: &[Example] = &[Example {
    id: "executor",
    title: "run_in_executor: blocking work on Web Workers",
    topic: Topic::Executors,
    explanation: "Counting primes is blocking work: called directly in a \
            coroutine, it would freeze the loop. run_in_executor hands it to the \
            default executor, here a pool of Web Workers running this same \
            package, and awaits the result. Meanwhile the ticker keeps ticking: \
            the loop is free. The results come back in the order the jobs were \
            submitted.",
    python_source: include_str!("executor.py"),
    rust_source: include_str!("executor.rs"),
    params: &[Param {
        name: "chunks",
        label: "Jobs",
        min: 1.0,
        max: 8.0,
        default: 4.0,
        step: 1.0,
        unit: "",
    }],
    variants: &[Variant {
        id: "run",
        label: "Run",
        main: |params| Box::pin(executor::main(params)),
    }],
    needs: Needs {
        server: false,
        workers: true,
        browser: false,
    },
}];
