//! `executor`: blocking work moved off the loop with `run_in_executor`,
//! onto the default executor (a pool of Web Workers), while a ticker shows
//! that the loop stays responsive.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, gather, get_running_loop, print, sleep};

use crate::catalogue::Params;

/// The size of each chunk of numbers to search.
pub const CHUNK: u64 = 250_000;

/// Counts primes in `chunks` jobs of 250 000 numbers on the default executor
/// while a ticker prints every 250 ms; prints each chunk's count, in order.
pub async fn main(params: Params) {
    let Ok(lp) = get_running_loop() else { return };
    let chunks = params.count("chunks") as u64;
    let done = Rc::new(Cell::new(false));
    let ticker = {
        let done = Rc::clone(&done);
        create_task(async move {
            let mut ticks = 0;
            while !done.get() {
                sleep(Duration::from_millis(250)).await;
                ticks += 1;
                print(format_args!("tick {ticks}: the loop is free"));
            }
        })
    };
    let jobs: Vec<_> = (0..chunks)
        .map(|i| lp.run_in_executor::<_, u64>(None, "count_primes", &(i * CHUNK, (i + 1) * CHUNK)))
        .collect();
    let counts = gather(jobs).await.unwrap_or_default();
    done.set(true);
    let _ = ticker.await;
    for (i, count) in counts.iter().enumerate() {
        match count {
            Ok(n) => print(format_args!("primes in chunk {i}: {n}")),
            Err(err) => print(format_args!("chunk {i} failed: {err}")),
        }
    }
    let total: u64 = counts.iter().flatten().sum();
    print(format_args!("primes below {}: {total}", chunks * CHUNK));
}
