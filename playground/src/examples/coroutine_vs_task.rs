//! `coroutine-vs-task`: calling an async fn runs nothing; a task runs it once
//! the loop gets control, and shows its state as pending, then finished.

use asyncio::{create_task, print, wait, ReturnWhen};

use crate::catalogue::Params;

/// Prints its number and returns it.
async fn execute(number: i32) -> i32 {
    print(format_args!("Number: {number}"));
    number
}

/// Makes a coroutine, wraps it in a task, lets the loop run it, and prints
/// the task before and after.
pub async fn main(_params: Params) {
    // Calling the async fn only builds the coroutine: nothing is printed.
    let coroutine = execute(1);
    print("Coroutine: execute(1), built but not started");
    print("After calling execute");

    // A task schedules it on the loop; it has still not run.
    let task = create_task(coroutine);
    task.set_name("execute");
    print(format_args!("Task: {task}"));

    // Waiting hands control to the loop, which runs the task to its end.
    let (done, _pending) = wait([task], None, ReturnWhen::AllCompleted).await;
    for task in &done {
        print(format_args!("Task: {task}"));
    }
    print("After running the task");
}
