//! `gather-two`: two coroutines that sleep 1 s and 2 s, awaited one after
//! the other, or gathered so that their sleeps overlap.

use std::error::Error;

use asyncio::{create_task, gather, print, sleep_secs, InvalidDelay};

use crate::catalogue::Params;

/// Sleeps `secs` seconds, says so, and returns a description of itself.
async fn job(name: &'static str, secs: f64) -> Result<String, InvalidDelay> {
    sleep_secs(secs)?.await;
    print(format_args!("{name} finished"));
    Ok(format!("{name} after {secs} s"))
}

/// One after another: the second sleep starts when the first ends.
pub async fn sequential(params: Params) -> Result<(), Box<dyn Error>> {
    let first = job("first", params.get("first")).await?;
    let second = job("second", params.get("second")).await?;
    print(format_args!("results: {:?}", [first, second]));
    Ok(())
}

/// Together: both run as tasks, so the total is the longer sleep.
pub async fn concurrent(params: Params) -> Result<(), Box<dyn Error>> {
    let first = create_task(job("first", params.get("first")));
    first.set_name("first");
    let second = create_task(job("second", params.get("second")));
    second.set_name("second");
    // gather gives the values in argument order, whichever ends first.
    let results = gather([first, second]).await?;
    let results = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    print(format_args!("results: {results:?}"));
    Ok(())
}
