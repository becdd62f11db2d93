//! Measurements 5 and 6, printed as a second table: the synchronisation
//! primitives.
//!
//! 5. Items handed from one producer task to one consumer task through an
//!    `asyncio::Queue`, against `futures::channel::mpsc`, bounded and
//!    unbounded. Both run as `asyncio` tasks on the same loop, so the
//!    difference is the channel's alone.
//! 6. 10 000 tasks contending for one `asyncio::Lock`. Each holds the lock
//!    across one yield, so the others really queue; the order in which they
//!    got it is checked against the order they were spawned in.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use asyncio::{EventLoop, Lock, Queue, RunError};
use futures::channel::mpsc;
use futures::{Sink, SinkExt, Stream, StreamExt};

use crate::report::{ms, ratio, us, Spread, Table, Verdict};
use crate::stopwatch::{median, now_ms, settle, RUNS};

/// Items handed over in each run of measurement 5.
pub const ITEMS: u32 = 200_000;
/// The bound of the bounded queue and channel.
pub const BOUND: usize = 100;
/// The target: `Queue`'s pairs per second over `mpsc`'s, bounded and not.
pub const QUEUE_TARGET: f64 = 1.2;
/// Tasks contending for the lock in measurement 6.
pub const LOCK_TASKS: usize = 10_000;

/// The four ways measurement 5 hands items over, in the order they take
/// turns within a round.
const CHANNELS: [Channel; 4] = [
    Channel::Queue(BOUND),
    Channel::Mpsc(BOUND),
    Channel::Queue(0),
    Channel::Mpsc(0),
];

/// A queue between two tasks, with its bound; 0 means none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// `asyncio::Queue::new(bound)`.
    Queue(usize),
    /// `futures::channel::mpsc::channel(bound)`, or `unbounded()` for 0.
    Mpsc(usize),
}

/// Runs `producer` and `consumer` as two `asyncio` tasks of a new loop.
/// Returns milliseconds from spawning them until both have finished, and
/// what the consumer returned: the items received and their sum.
async fn timed_pair<P, C>(producer: P, consumer: C) -> Result<(f64, (u32, u64)), RunError>
where
    P: Future<Output = ()> + 'static,
    C: Future<Output = (u32, u64)> + 'static,
{
    let lp = EventLoop::new();
    let result = lp
        .run_until_complete(async move {
            let start = now_ms();
            let producer = asyncio::create_task(producer);
            let consumer = asyncio::create_task(consumer);
            let _ = producer.await;
            let received = consumer.await.unwrap_or_default();
            (now_ms() - start, received)
        })
        .await;
    let _ = lp.close();
    result
}

/// Sends `0..n` into `tx` with `SinkExt::send`, then drops it; and counts
/// and sums what comes out of `rx` with `StreamExt::next` until it ends.
async fn through_mpsc<S, R>(mut tx: S, mut rx: R, n: u32) -> Result<(f64, (u32, u64)), RunError>
where
    S: Sink<u32> + Unpin + 'static,
    R: Stream<Item = u32> + Unpin + 'static,
{
    let producer = async move {
        for i in 0..n {
            if tx.send(i).await.is_err() {
                break;
            }
        }
    };
    let consumer = async move {
        let (mut count, mut sum) = (0u32, 0u64);
        while let Some(item) = rx.next().await {
            count += 1;
            sum += u64::from(item);
        }
        (count, sum)
    };
    timed_pair(producer, consumer).await
}

/// Hands `n` items from one task to another through `channel`. Returns
/// milliseconds, or a note saying what went wrong.
pub async fn transfer(channel: Channel, n: u32) -> Result<f64, String> {
    let run = match channel {
        Channel::Queue(bound) => {
            let queue = Queue::new(bound);
            let tx = queue.clone();
            let producer = async move {
                for i in 0..n {
                    tx.put(i).await;
                }
            };
            let consumer = async move {
                let mut sum = 0u64;
                for _ in 0..n {
                    sum += u64::from(queue.get().await);
                }
                (n, sum)
            };
            timed_pair(producer, consumer).await
        }
        Channel::Mpsc(0) => {
            let (tx, rx) = mpsc::unbounded();
            through_mpsc(tx, rx, n).await
        }
        Channel::Mpsc(bound) => {
            let (tx, rx) = mpsc::channel(bound);
            through_mpsc(tx, rx, n).await
        }
    };
    let checksum = u64::from(n) * u64::from(n.saturating_sub(1)) / 2;
    match run {
        Ok((elapsed, (count, sum))) if count == n && sum == checksum => Ok(elapsed),
        Ok((_, (count, _))) => Err(format!(
            "{channel:?}: got {count} of {n} items or a wrong sum"
        )),
        Err(error) => Err(format!("{channel:?}: asyncio run failed: {error}")),
    }
}

/// One run of measurement 6.
#[derive(Clone, Debug, PartialEq)]
pub struct LockRun {
    /// Milliseconds from spawning the first task until the last finished.
    pub elapsed_ms: f64,
    /// The shared counter at the end: one increment per task.
    pub counter: usize,
    /// Whether the tasks got the lock in the order they were spawned.
    pub fifo: bool,
}

/// `tasks` tasks, spawned in one go, each taking the lock, noting its
/// number, incrementing a counter across one yield, then releasing it.
///
/// # Errors
/// The loop's [`RunError`], should the run fail.
pub async fn contended_lock(tasks: usize) -> Result<LockRun, RunError> {
    let lp = EventLoop::new();
    let result = lp
        .run_until_complete(async move {
            let lock = Lock::new();
            let counter = Rc::new(Cell::new(0usize));
            let order = Rc::new(RefCell::new(Vec::with_capacity(tasks)));
            let start = now_ms();
            let handles: Vec<_> = (0..tasks)
                .map(|i| {
                    let (lock, counter, order) = (lock.clone(), counter.clone(), order.clone());
                    asyncio::create_task(async move {
                        let guard = lock.lock().await;
                        order.borrow_mut().push(i);
                        // Read before the yield, written after it: two
                        // holders at once would lose an increment.
                        let seen = counter.get();
                        asyncio::yield_now().await;
                        counter.set(seen + 1);
                        drop(guard);
                    })
                })
                .collect();
            for handle in handles {
                let _ = handle.await;
            }
            let elapsed_ms = now_ms() - start;
            let fifo = order.borrow().iter().copied().eq(0..tasks);
            let counter = counter.get();
            LockRun {
                elapsed_ms,
                counter,
                fifo,
            }
        })
        .await;
    let _ = lp.close();
    result
}

/// Measurement 5: a warm-up round, then [`RUNS`] rounds, the four channels
/// taking turns within each; medians reported.
async fn measure_queues(table: &mut Table) {
    let mut times: [Vec<f64>; 4] = Default::default();
    for round in 0..=RUNS {
        let mut this_round = [f64::NAN; 4];
        for (channel, sample) in CHANNELS.iter().zip(&mut this_round) {
            match transfer(*channel, ITEMS).await {
                Ok(elapsed) => *sample = elapsed,
                Err(note) => table.notes.push(note),
            }
            settle().await;
        }
        // Paired by round: a pair with a failed run is left out whole.
        for pair in [[0, 1], [2, 3]] {
            if round > 0 && pair.iter().all(|&i| this_round[i].is_finite()) {
                for i in pair {
                    times[i].push(this_round[i]);
                }
            }
        }
    }
    let spreads = [
        Spread::of_ratios(&times[1], &times[0]),
        Spread::of_ratios(&times[3], &times[2]),
    ];
    let [queue, mpsc, queue_unbounded, mpsc_unbounded] = times.map(|t| median(&t));
    let bounded = format!("Queue::new({BOUND}) vs channel({BOUND})");
    let unbounded = "Queue::new(0) vs unbounded()";
    let target = format!("≥ {QUEUE_TARGET:.1}×");
    for ((name, kind, made, ours, theirs), spread) in [
        ("5a", "bounded", bounded.as_str(), queue, mpsc),
        (
            "5b",
            "unbounded",
            unbounded,
            queue_unbounded,
            mpsc_unbounded,
        ),
    ]
    .into_iter()
    .zip(spreads)
    {
        let per_pair = |total: f64| us(total / f64::from(ITEMS));
        let rate =
            |total: f64| format!("{:.2} M/s ({})", f64::from(ITEMS) / total / 1e3, ms(total));
        table.row(
            format!("{name}. {made}, 200 000 items: put/get pairs"),
            &[rate(ours), rate(theirs)],
            "",
        );
        table.row(
            format!("{name}. {kind}: per pair"),
            &[per_pair(ours), per_pair(theirs)],
            "",
        );
        table.row(
            format!("{name}. {kind}: Queue ÷ mpsc, pairs/s"),
            &[spread.show(ratio)],
            target.as_str(),
        );
        table.verdicts.push(Verdict {
            name: match kind {
                "bounded" => "Queue vs mpsc".into(),
                _ => format!("Queue vs mpsc, {kind}"),
            },
            measured: spread.show(ratio),
            target: target.clone(),
            met: spread.median >= QUEUE_TARGET,
        });
    }
    table.notes.push(format!(
        "5. {RUNS} rounds after a warm-up round, the four taking turns in each round; \
         one producer task and one consumer task on one asyncio loop, timed from spawning \
         both until both finish; the consumer checks the count and the sum. The ratio is each \
         round's mpsc time ÷ Queue time (above 1.0 the Queue is faster), its median with the \
         least and greatest. mpsc::channel({BOUND}) holds {BOUND} items plus one per sender"
    ));
}

/// Measurement 6: a warm-up run, then [`RUNS`] runs; the median time, and
/// the checks of every run.
async fn measure_lock(table: &mut Table) {
    let mut runs = Vec::new();
    for round in 0..=RUNS {
        match contended_lock(LOCK_TASKS).await {
            Ok(run) if round > 0 => runs.push(run),
            Ok(_) => {}
            Err(error) => table.notes.push(format!("Lock: run failed: {error}")),
        }
        settle().await;
    }
    let total = median(&runs.iter().map(|r| r.elapsed_ms).collect::<Vec<_>>());
    // The lowest counter of any run: every one should be `LOCK_TASKS`.
    let counter = runs.iter().map(|r| r.counter).min().unwrap_or(0);
    let fifo = !runs.is_empty() && runs.iter().all(|r| r.fifo);
    let yes = if fifo { "yes" } else { "no" };
    let checks = format!("counter {counter}, FIFO: {yes}");
    let wanted = format!("counter {LOCK_TASKS}, FIFO: yes");
    table.row("6. Lock, 10 000 contending tasks: total", &[ms(total)], "");
    table.row(
        "6. Lock: per acquire/release",
        &[us(total / LOCK_TASKS as f64)],
        "",
    );
    table.row(
        "6. Lock: checks, every run",
        std::slice::from_ref(&checks),
        wanted.as_str(),
    );
    table.verdicts.push(Verdict {
        name: "Lock, 10 000 tasks".into(),
        measured: checks,
        target: wanted,
        met: counter == LOCK_TASKS && fifo,
    });
    table.notes.push(
        "6. median of the runs after a warm-up, timed from spawning the first task until \
         every one has been awaited (spawning included); each task takes the lock, notes \
         its number, reads the counter, yields once, writes the counter plus one, then \
         releases the lock, so overlapping holders would lose increments. FIFO: the lock \
         went to the tasks in the order they were spawned"
            .into(),
    );
}

/// Measurements 5 and 6, as a table of their own.
pub async fn measure() -> Table {
    let mut table = Table::new(&["asyncio", "futures mpsc"]);
    measure_queues(&mut table).await;
    measure_lock(&mut table).await;
    table
}
