//! `return-value`: awaiting a coroutine runs it and hands back its value.

use asyncio::print;

use crate::catalogue::Params;

/// A coroutine that gives back a string, like any function would.
async fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Awaits `greeting` and prints what it returned.
pub async fn main(_params: Params) {
    // `await` runs the coroutine to its end, here in the caller's task,
    // and evaluates to its return value: no task, no waiting.
    let text = greeting("world").await;
    print(text);
}
