//! `future-callbacks`: bare futures, asked what they know before and after
//! they are done, with done callbacks: one is cancelled, one given a result.

use std::error::Error;
use std::fmt::Debug;

use asyncio::{create_task, print, sleep_secs, Future, FutureError, InvalidDelay};

use crate::catalogue::Params;

/// A future whose value is a string, and whose exception would be one too.
type Answer = Future<String, String>;

/// A call's answer: its value, or the error it raised.
fn answer<T: Debug>(outcome: Result<T, FutureError<String>>) -> String {
    match outcome {
        Ok(value) => format!("= {value:?}"),
        Err(err) => format!("raised: {err}"),
    }
}

/// Prints what `done`, `result` and `exception` answer.
fn ask(future: &Answer) {
    print(format_args!("{future}: done() = {}", future.done()));
    print(format_args!("  result() {}", answer(future.result())));
    print(format_args!("  exception() {}", answer(future.exception())));
}

/// A new future with a callback that prints it once it is done.
fn watched() -> Answer {
    let future = Answer::new();
    future.add_done_callback(|future| print(format_args!("callback: {future}")));
    future
}

/// Gives `future` its result after `secs` seconds.
async fn set_after(future: Answer, secs: f64) -> Result<(), InvalidDelay> {
    sleep_secs(secs)?.await;
    print("setter: set_result(\"42\")");
    if let Err(err) = future.set_result("42".to_string()) {
        print(err);
    }
    Ok(())
}

/// Questions a future before and after a task sets it; cancels another.
pub async fn main(params: Params) -> Result<(), Box<dyn Error>> {
    let answer = watched();
    ask(&answer);
    let setter = create_task(set_after(answer.clone(), params.get("delay")));
    setter.set_name("setter");

    let other = watched();
    print(format_args!("cancel() = {}", other.cancel()));
    print(format_args!("cancel() again = {}", other.cancel()));
    ask(&other);

    // Done callbacks are not called by set_result or cancel: they are
    // scheduled, and run at the loop's next step (here, while main waits).
    setter.await??;
    ask(&answer);
    Ok(())
}
