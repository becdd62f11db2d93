//! `loop-time`: the loop keeps its own monotonic clock; `time()` reads it,
//! and sleeps and timers are measured on it.

use std::error::Error;

use asyncio::{get_running_loop, print, sleep_secs};

use crate::catalogue::Params;

/// Reads the loop's clock before and after each of a few sleeps, and
/// schedules a callback at a point on that clock.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let lp = get_running_loop()?;
    let start = lp.time();
    print(format_args!("start: loop.time() = {start:.3}"));

    // call_at takes a time on this same clock.
    let alarm = start + params.get("alarm");
    let clock = lp.clone();
    lp.call_at(alarm, move || {
        print(format_args!(
            "alarm for {alarm:.3}: loop.time() = {:.3}",
            clock.time()
        ));
    })?;

    let mut before = start;
    for _ in 0..params.count("sleeps") {
        sleep_secs(params.get("delay"))?.await;
        let now = lp.time();
        print(format_args!(
            "slept: loop.time() = {now:.3} (+{:.3})",
            now - before
        ));
        before = now;
    }
    Ok(())
}
