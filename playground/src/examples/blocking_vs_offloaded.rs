//! `blocking-vs-offloaded`: the same CPU-heavy function, called directly in
//! a task (the loop freezes) and handed to the executor (it does not), while
//! a ticker counts the loop's free moments.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, get_running_loop, print, sleep};

use crate::catalogue::Params;
use crate::jobs::count_primes;

/// The ticker's period.
const TICK: Duration = Duration::from_millis(100);

/// Blocking: `count_primes` runs right here, on the loop.
pub async fn blocking(params: Params) {
    compare(params, false).await;
}

/// Offloaded: `count_primes` runs on the default executor.
pub async fn offloaded(params: Params) {
    compare(params, true).await;
}

/// Starts a ticker, lets it tick, runs the work (on the loop or off it),
/// and reports how many ticks happened while the work ran.
async fn compare(params: Params, offload: bool) {
    let Ok(lp) = get_running_loop() else { return };
    let limit = params.count("limit") as u64 * 1000;
    let ticks = Rc::new(Cell::new(0_u32));
    let done = Rc::new(Cell::new(false));
    let ticker = {
        let (ticks, done) = (Rc::clone(&ticks), Rc::clone(&done));
        create_task(async move {
            while !done.get() {
                sleep(TICK).await;
                ticks.set(ticks.get() + 1);
                print(format_args!("tick {}", ticks.get()));
            }
        })
    };
    ticker.set_name("ticker");

    // Give the ticker a few turns before the work starts.
    sleep(TICK * 3).await;
    let before = ticks.get();
    print(format_args!("counting the primes below {limit}…"));
    let count = if offload {
        // The loop hands the job to a worker and is free until it returns.
        lp.run_in_executor::<_, u64>(None, "count_primes", &(0, limit))
            .await
    } else {
        // A plain call: nothing else runs on the loop until it returns.
        Ok(count_primes((0, limit)))
    };
    let during = ticks.get() - before;
    match count {
        Ok(count) => print(format_args!("primes below {limit}: {count}")),
        Err(err) => print(format_args!("the job failed: {err}")),
    }
    print(format_args!("ticks while the work ran: {during}"));

    // A few more ticks, then stop the ticker.
    sleep(TICK * 3).await;
    done.set(true);
    let _ = ticker.await;
}
