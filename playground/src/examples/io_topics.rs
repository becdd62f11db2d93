//! The examples about the network, executors and the loop's
//! implementations: their modules, and their catalogue entries.
//!
//! The network and loop examples use the browser itself (`fetch`,
//! `WebSocket`, its task queues); natively they only say that they need it.

use crate::catalogue::{Example, Needs, Param, Topic, Variant};

#[cfg(feature = "io")]
#[path = "blocking_vs_offloaded.rs"]
pub mod blocking_vs_offloaded;
#[cfg(feature = "io")]
#[path = "executor.rs"]
pub mod executor;
#[cfg(all(target_arch = "wasm32", feature = "io"))]
#[path = "http_concurrent.rs"]
pub mod http_concurrent;
#[cfg(all(target_arch = "wasm32", feature = "io"))]
#[path = "http_gather.rs"]
pub mod http_gather;
#[cfg(all(target_arch = "wasm32", feature = "io"))]
#[path = "loop_backends.rs"]
pub mod loop_backends;
#[cfg(all(target_arch = "wasm32", feature = "io"))]
#[path = "websocket_echo.rs"]
pub mod websocket_echo;

/// A variant's entry point: `$main`, in a module built with the I/O
/// examples (feature `io`). The page's first module is built without them:
/// there the entry is a stand-in, which the runner never starts (it refuses
/// these examples, see `runner::find`).
macro_rules! io_example {
    ($main:path) => {{
        #[cfg(feature = "io")]
        let main: fn(crate::catalogue::Params) -> crate::catalogue::LocalFuture =
            |params| Box::pin($main(params));
        #[cfg(not(feature = "io"))]
        let main: fn(crate::catalogue::Params) -> crate::catalogue::LocalFuture =
            |_| Box::pin(not_in_this_module());
        main
    }};
}

/// As [`io_example!`], for an example that runs only in a browser: natively
/// it prints that it needs one.
macro_rules! in_browser {
    ($main:path) => {{
        #[cfg(target_arch = "wasm32")]
        let main = io_example!($main);
        #[cfg(not(target_arch = "wasm32"))]
        let main: fn(crate::catalogue::Params) -> crate::catalogue::LocalFuture =
            |_| Box::pin(needs_a_browser());
        main
    }};
}

/// What the browser-only examples do natively.
#[cfg(not(target_arch = "wasm32"))]
async fn needs_a_browser() {
    asyncio::print("this example needs a browser: run it on the playground page");
}

/// The stand-in for an I/O example in a module built without them.
#[cfg(not(feature = "io"))]
async fn not_in_this_module() {
    asyncio::print("this example runs in the playground's I/O module");
}

/// The server's delay, for `http-concurrent`.
const SERVER_DELAY: Param = Param {
    name: "delay",
    label: "Server delay",
    min: 0.0,
    max: 10.0,
    default: 3.0,
    step: 0.5,
    unit: "s",
};

/// This part of the catalogue.
pub(super) const EXAMPLES: &[Example] = &[
    Example {
        id: "executor",
        title: "run_in_executor: blocking work on Web Workers",
        topic: Topic::Executors,
        explanation: "Counting primes is blocking work: called directly in a \
            coroutine, it would freeze the loop. run_in_executor hands it to the \
            default executor, here a pool of Web Workers running this same \
            package, and awaits the result. Meanwhile the ticker keeps ticking: \
            the loop is free. The results come back in the order the jobs were \
            submitted.",
        python_source: listing!("executor.py"),
        rust_source: listing!("executor.rs"),
        params: &[Param {
            name: "chunks",
            label: "Jobs",
            min: 1.0,
            max: 8.0,
            default: 4.0,
            step: 1.0,
            unit: "",
        }],
        variants: &[Variant {
            id: "run",
            label: "Run",
            main: io_example!(executor::main),
        }],
        needs: Needs {
            server: false,
            workers: true,
            browser: false,
        },
    },
    Example {
        id: "blocking-vs-offloaded",
        title: "A blocking call freezes the loop; the executor does not",
        topic: Topic::Executors,
        explanation: "A ticker prints every 100 ms while the same CPU-heavy \
            function counts primes. Blocking calls it directly in the coroutine: \
            the loop can run nothing else until it returns, so the ticker falls \
            silent and the timeline shows one long stall. Offloaded hands it to \
            run_in_executor: it runs on a Web Worker and the ticker keeps \
            ticking. Use the real clock to see the difference: on the virtual \
            clock the blocking call takes no loop time, and time stands still \
            while a worker job is in flight.",
        python_source: listing!("blocking_vs_offloaded.py"),
        rust_source: listing!("blocking_vs_offloaded.rs"),
        params: &[Param {
            name: "limit",
            label: "Count primes below (thousands)",
            min: 100.0,
            max: 3000.0,
            default: 1000.0,
            step: 1.0,
            unit: "",
        }],
        variants: &[
            Variant {
                id: "sequential",
                label: "Blocking",
                main: io_example!(blocking_vs_offloaded::blocking),
            },
            Variant {
                id: "concurrent",
                label: "Offloaded",
                main: io_example!(blocking_vs_offloaded::offloaded),
            },
        ],
        needs: Needs {
            server: false,
            workers: true,
            browser: false,
        },
    },
    Example {
        id: "http-concurrent",
        title: "HTTP requests: one after another, or together",
        topic: Topic::Network,
        explanation: "Each request goes to the development server's delay \
            endpoint, which answers after the server delay. Awaited one after \
            another, the delays add up (5 × 3 s ≈ 15 s); as tasks gathered \
            together, they overlap and the whole takes about one delay. \
            Browsers open at most 6 connections per host, so more than 6 \
            requests come back in waves of 6. On the virtual clock time stands \
            still while requests are in flight, so the I/O seems to take no time.",
        python_source: listing!("http_concurrent.py"),
        rust_source: listing!("http_concurrent.rs"),
        params: &[
            Param {
                name: "n",
                label: "Requests",
                min: 1.0,
                max: 12.0,
                default: 5.0,
                step: 1.0,
                unit: "",
            },
            SERVER_DELAY,
        ],
        variants: &[
            Variant {
                id: "sequential",
                label: "One after another",
                main: in_browser!(http_concurrent::sequential),
            },
            Variant {
                id: "concurrent",
                label: "Together",
                main: in_browser!(http_concurrent::concurrent),
            },
        ],
        needs: Needs {
            server: true,
            workers: false,
            browser: false,
        },
    },
    Example {
        id: "http-gather",
        title: "gather: fetch pages together, get them back in order",
        topic: Topic::Network,
        explanation: "Several pages are fetched at once, each in its own task. \
            The server answers the later pages sooner, so they arrive out of \
            order (see the arrival lines and the timeline), yet gather returns \
            the results in the order the requests were made: titles and sizes \
            print in request order. On the virtual clock time stands still \
            while requests are in flight, so the I/O seems to take no time.",
        python_source: listing!("http_gather.py"),
        rust_source: listing!("http_gather.rs"),
        params: &[Param {
            name: "pages",
            label: "Pages",
            min: 1.0,
            max: 10.0,
            default: 5.0,
            step: 1.0,
            unit: "",
        }],
        variants: &[Variant {
            id: "run",
            label: "Run",
            main: in_browser!(http_gather::main),
        }],
        needs: Needs {
            server: true,
            workers: false,
            browser: false,
        },
    },
    Example {
        id: "websocket-echo",
        title: "WebSocket: talk to an echo server",
        topic: Topic::Network,
        explanation: "A WebSocket connection to the development server's echo \
            endpoint: each message sent comes straight back. The connection \
            shows in the timeline as one I/O span, from opening to the close \
            handshake (code 1000, a normal closure, with a reason). On the \
            virtual clock time stands still while the socket is busy, so the \
            exchange seems to take no time.",
        python_source: listing!("websocket_echo.py"),
        rust_source: listing!("websocket_echo.rs"),
        params: &[Param {
            name: "messages",
            label: "Messages",
            min: 1.0,
            max: 10.0,
            default: 3.0,
            step: 1.0,
            unit: "",
        }],
        variants: &[Variant {
            id: "run",
            label: "Run",
            main: in_browser!(websocket_echo::main),
        }],
        needs: Needs {
            server: true,
            workers: false,
            browser: false,
        },
    },
    Example {
        id: "loop-backends",
        title: "Swapping the loop's backend",
        topic: Topic::Loops,
        explanation: "Python can swap its event loop for another implementation \
            (uvloop) without changing the program. This loop can ask the browser \
            for its turns in three ways: microtasks, setTimeout(0), or \
            scheduler.postTask. The same workload (task switches with yield_now, \
            then a chain of sleep(0)) runs on a fresh loop with each backend, \
            measured now, in this browser. Long bursts yield to the page every \
            few milliseconds; how much each yield costs is what differs.",
        python_source: listing!("loop_backends.py"),
        rust_source: listing!("loop_backends.rs"),
        params: &[
            Param {
                name: "switches",
                label: "Task switches",
                min: 1000.0,
                max: 1_000_000.0,
                default: 200_000.0,
                step: 1.0,
                unit: "",
            },
            Param {
                name: "sleeps",
                label: "sleep(0) chain",
                min: 1000.0,
                max: 1_000_000.0,
                default: 200_000.0,
                step: 1.0,
                unit: "",
            },
        ],
        variants: &[Variant {
            id: "run",
            label: "Run",
            main: in_browser!(loop_backends::main),
        }],
        needs: Needs {
            server: false,
            workers: false,
            browser: true,
        },
    },
];
