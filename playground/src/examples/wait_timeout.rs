//! `wait-timeout`: `wait` with a timeout returns the tasks that finished
//! and those still pending; nothing is cancelled until we say so.

use std::error::Error;
use std::time::Duration;

use asyncio::{create_task, print, sleep_secs, wait, InvalidDelay, ReturnWhen, Task};

use crate::catalogue::Params;

/// Sleeps `secs` seconds and returns them.
async fn job(secs: f64) -> Result<f64, InvalidDelay> {
    sleep_secs(secs)?.await;
    Ok(secs)
}

/// The tasks' names, comma separated.
fn names<T>(tasks: &[Task<T>]) -> String {
    let names: Vec<String> = tasks.iter().map(Task::name).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// Starts jobs of 1 s, 2 s, 3 s, ..., waits for them with a timeout, then
/// cancels the ones still pending.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let step = params.get("step");
    let tasks = (1..=params.count("tasks")).map(|number| {
        let task = create_task(job(step * number as f64));
        task.set_name(format!("job {number}"));
        task
    });
    let timeout = Duration::try_from_secs_f64(params.get("timeout"))?;

    let (done, pending) = wait(tasks, Some(timeout), ReturnWhen::AllCompleted).await;
    print(format_args!("done: {}", names(&done)));
    print(format_args!("pending: {}", names(&pending)));

    // wait does not cancel anything itself: the pending tasks run on
    // until we cancel them.
    for task in &pending {
        task.cancel();
    }
    let (cancelled, _) = wait(pending, None, ReturnWhen::AllCompleted).await;
    for task in &cancelled {
        print(format_args!("{task}"));
    }
    Ok(())
}
