//! The examples about the loop, tasks, waiting and synchronisation: their
//! modules, and their catalogue entries in the order the page lists them.

use std::fmt::Display;
use std::future::Future;

use crate::catalogue::{Example, LocalFuture, Needs, Param, Params, Topic, Variant};

#[path = "coroutine_vs_task.rs"]
pub mod coroutine_vs_task;
#[path = "create_task.rs"]
pub mod create_task;
#[path = "event.rs"]
pub mod event;
#[path = "future_callbacks.rs"]
pub mod future_callbacks;
#[path = "gather_two.rs"]
pub mod gather_two;
#[path = "hello.rs"]
pub mod hello;
#[path = "interleaving.rs"]
pub mod interleaving;
#[path = "loop_time.rs"]
pub mod loop_time;
#[path = "return_value.rs"]
pub mod return_value;
#[path = "run_until_complete.rs"]
pub mod run_until_complete;
#[path = "sequential_vs_concurrent.rs"]
pub mod sequential_vs_concurrent;
#[path = "wait_for.rs"]
pub mod wait_for;
#[path = "wait_timeout.rs"]
pub mod wait_timeout;

/// Runs an example's `main` and prints the error it ends with, if any, as
/// Python prints an uncaught exception.
async fn printing_errors<E: Display>(main: impl Future<Output = Result<(), E>>) {
    if let Err(err) = main.await {
        asyncio::print(format_args!("error: {err}"));
    }
}

/// A delay in seconds, from 0 to 10 s.
const fn seconds(name: &'static str, label: &'static str, default: f64) -> Param {
    Param {
        name,
        label,
        min: 0.0,
        max: 10.0,
        default,
        step: 0.1,
        unit: "s",
    }
}

/// A whole number from 1 to `max`.
const fn count(name: &'static str, label: &'static str, max: f64, default: f64) -> Param {
    Param {
        name,
        label,
        min: 1.0,
        max,
        default,
        step: 1.0,
        unit: "",
    }
}

/// Runs on its own: no server, no workers, no particular browser.
const LOCAL: Needs = Needs {
    server: false,
    workers: false,
    browser: false,
};

/// The single variant of an example that has one.
const fn run(main: fn(Params) -> LocalFuture) -> [Variant; 1] {
    [Variant {
        id: "run",
        label: "Run",
        main,
    }]
}

/// This part of the catalogue.
pub(super) const EXAMPLES: &[Example] = &[
    Example {
        id: "hello",
        title: "Hello, world: one coroutine",
        topic: Topic::Basics,
        explanation: "A coroutine runs until it awaits something. Here it prints, \
            then awaits a sleep, which hands control back to the event loop until \
            the timer fires; then it prints again. Nothing else is running, so the \
            whole program takes as long as the sleep.",
        python_source: listing!("hello.py"),
        rust_source: listing!("hello.rs"),
        params: &[seconds("delay", "Sleep", 1.0)],
        variants: &run(|params| Box::pin(hello::main(params))),
        needs: LOCAL,
    },
    Example {
        id: "return-value",
        title: "A coroutine's return value",
        topic: Topic::Basics,
        explanation: "Awaiting a coroutine runs it to its end right there, in the \
            task that awaits, and the await expression is the value it returned. \
            No task is created and nothing waits: look for the returned string, \
            printed at 0 s, and a single row in the timeline.",
        python_source: listing!("return_value.py"),
        rust_source: listing!("return_value.rs"),
        params: &[],
        variants: &run(|params| Box::pin(return_value::main(params))),
        needs: LOCAL,
    },
    Example {
        id: "coroutine-vs-task",
        title: "A coroutine is not a task",
        topic: Topic::Tasks,
        explanation: "Calling an async function only builds a coroutine: its body \
            has not run, so \"Number: 1\" is not printed yet. Wrapping it in a \
            task schedules it, but it still waits for the loop; the task prints as \
            pending. Once main hands control to the loop, the task runs, and it \
            prints as finished, with its result.",
        python_source: listing!("coroutine_vs_task.py"),
        rust_source: listing!("coroutine_vs_task.rs"),
        params: &[],
        variants: &run(|params| Box::pin(coroutine_vs_task::main(params))),
        needs: LOCAL,
    },
    Example {
        id: "gather-two",
        title: "gather: two coroutines at once",
        topic: Topic::Tasks,
        explanation: "Two coroutines sleep for 1 s and 2 s. Awaited one after the \
            other they take 3 s; gathered, they run as two tasks whose sleeps \
            overlap, so the whole takes as long as the longer one, 2 s. gather \
            returns the results in the order the coroutines were given, whichever \
            finishes first: make the first one slower to see it.",
        python_source: listing!("gather_two.py"),
        rust_source: listing!("gather_two.rs"),
        params: &[
            seconds("first", "First sleeps", 1.0),
            seconds("second", "Second sleeps", 2.0),
        ],
        variants: &[
            Variant {
                id: "sequential",
                label: "One after another",
                main: |params| Box::pin(printing_errors(gather_two::sequential(params))),
            },
            Variant {
                id: "concurrent",
                label: "Together",
                main: |params| Box::pin(printing_errors(gather_two::concurrent(params))),
            },
        ],
        needs: LOCAL,
    },
    Example {
        id: "sequential-vs-concurrent",
        title: "Five waits: one by one, or all together",
        topic: Topic::Tasks,
        explanation: "Five jobs each wait 1 s, a stand-in for a network call. \
            Awaited in a loop, each starts when the previous one ends: 5 s. \
            Started as five tasks and awaited together, all five waits overlap, \
            and the loop is idle until they end together: 1 s. Compare the two \
            timelines: a staircase, then a single step.",
        python_source: listing!("sequential_vs_concurrent.py"),
        rust_source: listing!("sequential_vs_concurrent.rs"),
        params: &[
            count("tasks", "Jobs", 20.0, 5.0),
            seconds("delay", "Each waits", 1.0),
        ],
        variants: &[
            Variant {
                id: "sequential",
                label: "One after another",
                main: |params| {
                    Box::pin(printing_errors(sequential_vs_concurrent::sequential(
                        params,
                    )))
                },
            },
            Variant {
                id: "concurrent",
                label: "Together",
                main: |params| {
                    Box::pin(printing_errors(sequential_vs_concurrent::concurrent(
                        params,
                    )))
                },
            },
        ],
        needs: LOCAL,
    },
    Example {
        id: "run-until-complete",
        title: "The event loop's lifecycle",
        topic: Topic::Basics,
        explanation: "A program makes a loop with EventLoop::new(), runs a \
            coroutine in it with run_until_complete, and closes it; the Python \
            listing shows that explicit loop. On this page the playground does it \
            for you: it makes a fresh loop, runs main in it, and closes it when \
            main returns. Closing cancels every task still pending: the \
            straggler's row ends, cancelled, when main returns. A loop cannot be \
            started from inside a running one, and the example shows that refusal.",
        python_source: listing!("run_until_complete.py"),
        rust_source: listing!("run_until_complete.rs"),
        params: &[
            seconds("work", "Main works for", 1.0),
            seconds("straggler", "Straggler needs", 10.0),
        ],
        variants: &run(|params| Box::pin(printing_errors(run_until_complete::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "create-task",
        title: "create_task starts a task right away",
        topic: Topic::Tasks,
        explanation: "create_task schedules a coroutine as a task. It starts as \
            soon as the loop gets control, at main's first await, not when main \
            gets round to awaiting it: the greeter starts at 0 s and finishes \
            while main is still busy. By the time main awaits it, the task is \
            done, and the await returns its value at once.",
        python_source: listing!("create_task.py"),
        rust_source: listing!("create_task.rs"),
        params: &[
            seconds("delay", "Greeter sleeps", 1.0),
            seconds("work", "Main works for", 2.0),
        ],
        variants: &run(|params| Box::pin(printing_errors(create_task::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "interleaving",
        title: "Two tickers interleaving",
        topic: Topic::Tasks,
        explanation: "A slow ticker (every 1.5 s, ten times) and a fast one (every \
            second, fifteen times) share one loop. Each sleep hands control back, \
            so their lines interleave in the order their timers are due; at the \
            instants both are due, the timer set first fires first. The run lasts \
            as long as the longer ticker, 15 s; on the virtual clock it is instant.",
        python_source: listing!("interleaving.py"),
        rust_source: listing!("interleaving.rs"),
        params: &[
            seconds("slow_period", "Slow ticks every", 1.5),
            count("slow_ticks", "Slow ticks", 30.0, 10.0),
            seconds("fast_period", "Fast ticks every", 1.0),
            count("fast_ticks", "Fast ticks", 30.0, 15.0),
        ],
        variants: &run(|params| Box::pin(printing_errors(interleaving::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "loop-time",
        title: "The loop's own clock",
        topic: Topic::Basics,
        explanation: "The event loop keeps a monotonic clock of its own, read with \
            loop.time(). Sleeps and timers are measured on it: each reading after \
            a sleep has moved on by the sleep's length, and a callback scheduled \
            with call_at for a point on that clock runs when the clock gets there.",
        python_source: listing!("loop_time.py"),
        rust_source: listing!("loop_time.rs"),
        params: &[
            seconds("delay", "Each sleep", 1.0),
            count("sleeps", "Sleeps", 10.0, 3.0),
            seconds("alarm", "Alarm at", 1.5),
        ],
        variants: &run(|params| Box::pin(printing_errors(loop_time::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "wait-timeout",
        title: "wait with a timeout",
        topic: Topic::Waiting,
        explanation: "asyncio's wait, given a timeout, returns when the time is up \
            with two sets: the tasks that finished and those still pending. It \
            cancels nothing itself; the pending tasks would run on. Here the jobs \
            take 1, 2, 3 and 4 s and the timeout is 2.5 s: look at which were done \
            at that instant, and at the others, cancelled.",
        python_source: listing!("wait_timeout.py"),
        rust_source: listing!("wait_timeout.rs"),
        params: &[
            count("tasks", "Jobs", 10.0, 4.0),
            seconds("step", "Step between jobs", 1.0),
            seconds("timeout", "Timeout", 2.5),
        ],
        variants: &run(|params| Box::pin(printing_errors(wait_timeout::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "wait-for",
        title: "wait_for cancels at the deadline",
        topic: Topic::Waiting,
        explanation: "wait_for waits for a task for at most a given time. When the \
            deadline passes it cancels the task, waits until the cancellation is \
            done, and only then raises a timeout error. Look for the slow job \
            reporting its own cancellation (its future is dropped where it waits), \
            then the timeout, both at 1 s; make the timeout longer than the work \
            to get the result instead.",
        python_source: listing!("wait_for.py"),
        rust_source: listing!("wait_for.rs"),
        params: &[
            seconds("work", "The job needs", 2.0),
            seconds("timeout", "Timeout", 1.0),
        ],
        variants: &run(|params| Box::pin(printing_errors(wait_for::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "future-callbacks",
        title: "A bare future and its callbacks",
        topic: Topic::Waiting,
        explanation: "A future is a box for a value that someone sets later. While \
            it is pending, done() is false, and result() and exception() raise an \
            invalid state error. cancel() works once; after it, result() raises \
            the cancellation. Each future's done callback is not called on the \
            spot but scheduled: look for it right after the cancel, and right \
            after the setter task sets the result, 1 s later.",
        python_source: listing!("future_callbacks.py"),
        rust_source: listing!("future_callbacks.rs"),
        params: &[seconds("delay", "Result set after", 1.0)],
        variants: &run(|params| Box::pin(printing_errors(future_callbacks::main(params)))),
        needs: LOCAL,
    },
    Example {
        id: "event",
        title: "An Event wakes every waiter",
        topic: Topic::Synchronisation,
        explanation: "Two consumers wait on the same Event. Nothing happens until a \
            timer, set with call_later, runs a plain callback that prints \"event \
            set\" and sets the event, after 3 s. Setting it wakes every waiting \
            task at once: both consumers report right after \"event set\", at the \
            same instant.",
        python_source: listing!("event.py"),
        rust_source: listing!("event.rs"),
        params: &[
            count("consumers", "Consumers", 6.0, 2.0),
            seconds("delay", "Set after", 3.0),
        ],
        variants: &run(|params| Box::pin(printing_errors(event::main(params)))),
        needs: LOCAL,
    },
];
