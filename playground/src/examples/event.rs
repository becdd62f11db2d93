//! `event`: consumers wait on an `Event`; a timer set with `call_later`
//! sets it, and every consumer wakes at that instant.

use std::error::Error;

use asyncio::{create_task, gather, get_running_loop, print, Event};

use crate::catalogue::Params;

/// Waits for `event`, announcing before and after.
async fn consumer(name: String, event: Event) {
    print(format_args!("{name} waiting"));
    event.wait().await;
    print(format_args!("{name} triggered"));
}

/// Starts the consumers, and a timer that sets the event after `delay`.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let event = Event::new();
    let consumers: Vec<_> = ('A'..='Z')
        .take(params.count("consumers"))
        .map(|letter| {
            let name = format!("consumer {letter}");
            let task = create_task(consumer(name.clone(), event.clone()));
            task.set_name(name);
            task
        })
        .collect();

    // A plain callback, not a task: the loop runs it when the timer is due.
    let trigger = event.clone();
    get_running_loop()?.call_later_secs(params.get("delay"), move || {
        print("event set");
        trigger.set();
    })?;

    gather(consumers).await?;
    Ok(())
}
