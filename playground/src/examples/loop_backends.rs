//! `loop-backends`: the same workload on each of the loop's scheduling
//! backends, timed now, in this browser.
//!
//! A loop cannot run inside a running loop, so each measured loop runs
//! beside this example's loop (as its own browser task), and this example
//! awaits its result through a channel.

use std::future::Future;

use asyncio::{create_task, gather, get_running_loop, print, sleep, yield_now, Backend, EventLoop};
use futures::channel::oneshot;
use std::time::Duration;

use crate::catalogue::Params;

/// One backend's figures.
struct Timing {
    switches_ms: f64,
    sleeps_ms: f64,
    turns: u64,
}

/// The workload: two tasks taking turns `switches` times in all, then a
/// chain of `sleeps` zero-second sleeps.
async fn workload(switches: usize, sleeps: usize) -> Timing {
    let Ok(lp) = get_running_loop() else {
        return Timing {
            switches_ms: f64::NAN,
            sleeps_ms: f64::NAN,
            turns: 0,
        };
    };
    let start = lp.time_ms();
    let players = [switches / 2, switches - switches / 2].map(|turns| {
        create_task(async move {
            for _ in 0..turns {
                yield_now().await;
            }
        })
    });
    let _ = gather(players).await;
    let switched = lp.time_ms();
    for _ in 0..sleeps {
        sleep(Duration::ZERO).await;
    }
    Timing {
        switches_ms: switched - start,
        sleeps_ms: lp.time_ms() - switched,
        turns: lp.stats().turns,
    }
}

/// Runs the workload on a fresh loop with `backend`, outside the running
/// loop, and resolves to its figures (or why it could not run).
fn measure(
    backend: Backend,
    switches: usize,
    sleeps: usize,
) -> impl Future<Output = Result<Timing, String>> {
    let (done, result) = oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        let built = EventLoop::builder().backend(backend).build();
        let outcome = match built {
            Ok(lp) => {
                let timing = lp.run_until_complete(workload(switches, sleeps)).await;
                let _ = lp.close();
                timing.map_err(|err| err.to_string())
            }
            Err(err) => Err(err.to_string()),
        };
        let _ = done.send(outcome);
    });
    async {
        result
            .await
            .unwrap_or_else(|_| Err("the measurement was lost".into()))
    }
}

/// Measures every backend in turn and prints a table.
pub async fn main(params: Params) {
    let (switches, sleeps) = (params.count("switches"), params.count("sleeps"));
    print(format_args!(
        "{:<12} {:>14} {:>16} {:>7}",
        "backend",
        format!("{switches} switches"),
        format!("{sleeps} × sleep(0)"),
        "turns"
    ));
    // A first, unreported run warms the code up, so the first row is fair.
    let _ = measure(Backend::Microtask, switches, sleeps).await;
    for backend in Backend::ALL {
        // One at a time, so the measurements do not compete.
        match measure(backend, switches, sleeps).await {
            Ok(t) => print(format_args!(
                "{:<12} {:>11.1} ms {:>13.1} ms {:>7}",
                backend.name(),
                t.switches_ms,
                t.sleeps_ms,
                t.turns
            )),
            Err(err) => print(format_args!("{:<12} unavailable: {err}", backend.name())),
        }
    }
}
