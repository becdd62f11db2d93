//! `hello`: one coroutine prints, sleeps, prints again.

use std::time::Duration;

use asyncio::{print, sleep};

use crate::catalogue::Params;

/// Prints "Hello", waits `delay` seconds, prints "World".
pub async fn main(params: Params) {
    print("Hello");
    sleep(Duration::from_secs_f64(params.get("delay"))).await;
    print("World");
}
