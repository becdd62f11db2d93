//! `run-until-complete`: an event loop's lifecycle. The playground makes a
//! loop, runs `main` in it with `run_until_complete` and closes it when
//! `main` returns; closing cancels every task still pending.

use std::error::Error;

use asyncio::{create_task, get_running_loop, print, sleep_secs, EventLoop, InvalidDelay};

use crate::catalogue::Params;

/// A task that needs longer than `main` gives it.
async fn straggler(secs: f64) -> Result<(), InvalidDelay> {
    print(format_args!("straggler: started, needs {secs} s"));
    sleep_secs(secs)?.await;
    print("straggler: finished");
    Ok(())
}

/// Shows a new loop's states, then the running loop's, and leaves a task
/// pending for closing to cancel.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    // A program makes its own loop, runs a coroutine in it, closes it.
    // From inside a running loop, running another is refused.
    let own = EventLoop::new();
    print(format_args!(
        "a new loop: running={}, closed={}",
        own.is_running(),
        own.is_closed()
    ));
    if let Err(err) = own.run_until_complete(async {}).await {
        print(format_args!("its run_until_complete, from in here: {err}"));
    }
    own.close()?;
    print(format_args!("after close(): closed={}", own.is_closed()));

    // The loop this example runs in, made by the page.
    let lp = get_running_loop()?;
    print(format_args!(
        "the running loop: running={}, closed={}, time={:.1} s",
        lp.is_running(),
        lp.is_closed(),
        lp.time()
    ));
    let task = create_task(straggler(params.get("straggler")));
    task.set_name("straggler");
    sleep_secs(params.get("work"))?.await;

    // Returning ends run_until_complete; then close() cancels the
    // straggler if it is still pending (its row in the timeline ends).
    print(format_args!(
        "main: returning at {:.1} s; the straggler is done: {}",
        lp.time(),
        task.done()
    ));
    Ok(())
}
