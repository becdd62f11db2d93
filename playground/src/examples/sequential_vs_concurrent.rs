//! `sequential-vs-concurrent`: five one-second waits, awaited in a loop one
//! by one, or started as five tasks and awaited together.

use std::error::Error;

use asyncio::{create_task, gather, get_running_loop, print, sleep_secs, InvalidDelay};

use crate::catalogue::Params;

/// One job: announce, wait `secs` seconds (a stand-in for I/O), announce.
async fn job(number: usize, secs: f64) -> Result<(), InvalidDelay> {
    print(format_args!("job {number} started"));
    sleep_secs(secs)?.await;
    print(format_args!("job {number} done"));
    Ok(())
}

/// One after another: each job starts only when the previous one is done.
pub async fn sequential(params: Params) -> Result<(), Box<dyn Error>> {
    let lp = get_running_loop()?;
    let (count, start) = (params.count("tasks"), lp.time());
    for number in 1..=count {
        job(number, params.get("delay")).await?;
    }
    print(format_args!("{count} jobs took {:.1} s", lp.time() - start));
    Ok(())
}

/// Together: every job is a task, so all the waits overlap.
pub async fn concurrent(params: Params) -> Result<(), Box<dyn Error>> {
    let lp = get_running_loop()?;
    let (count, start) = (params.count("tasks"), lp.time());
    let tasks: Vec<_> = (1..=count)
        .map(|number| {
            let task = create_task(job(number, params.get("delay")));
            task.set_name(format!("job {number}"));
            task
        })
        .collect();
    for outcome in gather(tasks).await? {
        outcome?;
    }
    print(format_args!("{count} jobs took {:.1} s", lp.time() - start));
    Ok(())
}
