//! `create-task`: a task starts as soon as the loop gets control, not when
//! it is awaited.

use std::error::Error;

use asyncio::{create_task, print, sleep_secs, InvalidDelay};

use crate::catalogue::Params;

/// Sleeps `secs` seconds and returns a greeting.
async fn greeter(secs: f64) -> Result<&'static str, InvalidDelay> {
    print("greeter: started");
    sleep_secs(secs)?.await;
    print("greeter: finished");
    Ok("hello")
}

/// Schedules the greeter, does other work, then awaits it.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let task = create_task(greeter(params.get("delay")));
    task.set_name("greeter");
    print(format_args!("main: created {task}"));

    // The first await hands control to the loop, and the greeter starts
    // at once: it does not wait for anyone to await it.
    print("main: doing other work");
    sleep_secs(params.get("work"))?.await;

    print(format_args!(
        "main: awaiting the greeter; done() = {}",
        task.done()
    ));
    let greeting = task.await??;
    print(format_args!("main: the greeter returned {greeting:?}"));
    Ok(())
}
