//! `interleaving`: two coroutines with different periods share one loop;
//! their prints interleave in the order their timers are due.

use std::error::Error;

use asyncio::{create_task, gather, print, sleep_secs, InvalidDelay};

use crate::catalogue::Params;

/// Ticks `count` times, one tick every `period` seconds.
async fn ticker(name: &'static str, period: f64, count: usize) -> Result<(), InvalidDelay> {
    print(format_args!("{name} start"));
    for tick in 0..count {
        sleep_secs(period)?.await;
        print(format_args!("{name} {tick}"));
    }
    Ok(())
}

/// Runs a slow ticker (1.5 s × 10) and a fast one (1 s × 15) together.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let slow = create_task(ticker(
        "slow",
        params.get("slow_period"),
        params.count("slow_ticks"),
    ));
    slow.set_name("slow");
    let fast = create_task(ticker(
        "fast",
        params.get("fast_period"),
        params.count("fast_ticks"),
    ));
    fast.set_name("fast");
    // Timers due at the same instant fire in the order they were set.
    for outcome in gather([slow, fast]).await? {
        outcome?;
    }
    Ok(())
}
