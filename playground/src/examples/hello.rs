//! `hello`: one coroutine prints, sleeps a second, prints again.

use std::time::Duration;

use asyncio::{print, sleep};

/// Prints "Hello", waits one second, prints "World".
pub async fn main() {
    print("Hello");
    sleep(Duration::from_secs(1)).await;
    print("World");
}
