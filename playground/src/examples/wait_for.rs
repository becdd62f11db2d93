//! `wait-for`: `wait_for` gives a task a deadline, and cancels it when the
//! deadline passes.

use std::error::Error;
use std::time::Duration;

use asyncio::{create_task, print, sleep_secs, wait_for, InvalidDelay};

use crate::catalogue::Params;

/// Says "cancelled" if dropped while armed. Cancelling a task drops its
/// future where it waits, and with it everything the future owns: this is
/// how a task notices (Python's `except CancelledError`).
struct ReportCancel {
    armed: bool,
}

impl Drop for ReportCancel {
    fn drop(&mut self) {
        if self.armed {
            print("slow job: cancelled");
        }
    }
}

/// Work that takes `secs` seconds.
async fn slow_job(secs: f64) -> Result<&'static str, InvalidDelay> {
    print(format_args!("slow job: started, needs {secs} s"));
    let nap = sleep_secs(secs)?;
    let mut guard = ReportCancel { armed: true };
    nap.await;
    guard.armed = false;
    print("slow job: finished");
    Ok("the slow job's result")
}

/// Waits for the slow job for at most `timeout` seconds.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let task = create_task(slow_job(params.get("work")));
    task.set_name("slow job");

    let timeout = Duration::try_from_secs_f64(params.get("timeout"))?;
    print(format_args!(
        "main: waiting at most {} s",
        timeout.as_secs_f64()
    ));
    // At the deadline wait_for cancels the task, waits until it has ended,
    // and only then reports the timeout.
    match wait_for(timeout, task).await {
        Ok(result) => print(format_args!("main: got {:?}", result?)),
        Err(err) => print(format_args!("main: {err}")),
    }
    Ok(())
}
