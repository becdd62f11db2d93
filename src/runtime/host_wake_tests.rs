//! The loop keeps the host's single wake-up in line with its timer heap:
//! exact host calls, observed through a recording host.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::Waker;

use super::core::{LoopConfig, LoopCore};
use super::host::{Host, TurnCause, TurnKind};
use crate::backend::{Backend, Clock};

#[derive(Debug, Clone, PartialEq)]
enum Call {
    Turn(TurnKind),
    Arm(f64),
    Disarm,
}

#[derive(Default)]
struct Recording {
    now: Cell<f64>,
    /// How many times the loop read the clock.
    reads: Cell<u32>,
    calls: RefCell<Vec<Call>>,
}

struct RecordingHost(Rc<Recording>);

impl Host for RecordingHost {
    fn now(&self) -> f64 {
        self.0.reads.set(self.0.reads.get() + 1);
        self.0.now.get()
    }
    fn wall_ms(&self) -> f64 {
        self.0.now.get()
    }
    fn request_turn(&self, kind: TurnKind) {
        self.0.calls.borrow_mut().push(Call::Turn(kind));
    }
    fn arm_wake(&self, at_ms: f64) {
        self.0.calls.borrow_mut().push(Call::Arm(at_ms));
    }
    fn disarm_wake(&self) {
        self.0.calls.borrow_mut().push(Call::Disarm);
    }
    fn wakes_armed(&self) -> u64 {
        0
    }
    fn block(&self, ms: f64) {
        self.0.now.set(self.0.now.get() + ms);
    }
}

/// A running loop whose main task never ends, and its host's record.
fn running_loop() -> (Rc<LoopCore>, Rc<Recording>) {
    let recording = Rc::new(Recording::default());
    let host = Rc::clone(&recording);
    let config = LoopConfig {
        clock: Clock::Virtual,
        backend: Backend::Microtask,
        budget_ms: 4.0,
    };
    let core = LoopCore::new(config, move |_| Box::new(RecordingHost(host)));
    let main = core.spawn(std::future::pending::<()>());
    core.begin_run(main.cell().header.id, Waker::noop());
    core.turn(TurnCause::Requested);
    recording.calls.borrow_mut().clear();
    (core, recording)
}

fn calls(recording: &Recording) -> Vec<Call> {
    recording.calls.borrow_mut().drain(..).collect()
}

#[test]
fn cancelling_the_earliest_timer_rearms_for_the_next() {
    let (core, host) = running_loop();
    let (first, first_timer) = core.call_at(1000.0, Box::new(|| {})).unwrap();
    let _ = core.call_at(5000.0, Box::new(|| {})).unwrap();
    assert_eq!(calls(&host), [Call::Arm(1000.0)]);
    assert!(core.cancel_callback(first, Some(first_timer)));
    assert_eq!(calls(&host), [Call::Arm(5000.0)]);
}

#[test]
fn cancelling_the_only_timer_clears_the_wake() {
    let (core, host) = running_loop();
    let (callback, timer) = core.call_at(1000.0, Box::new(|| {})).unwrap();
    assert_eq!(calls(&host), [Call::Arm(1000.0)]);
    assert!(core.cancel_callback(callback, Some(timer)));
    assert_eq!(calls(&host), [Call::Disarm]);
    assert!(!core.cancel_callback(callback, Some(timer)), "already gone");
    assert_eq!(calls(&host), []);
}

#[test]
fn cancelling_a_later_timer_leaves_the_wake_alone() {
    let (core, host) = running_loop();
    let _ = core.call_at(1000.0, Box::new(|| {})).unwrap();
    let (late, late_timer) = core.call_at(5000.0, Box::new(|| {})).unwrap();
    assert_eq!(calls(&host), [Call::Arm(1000.0)]);
    assert!(core.cancel_callback(late, Some(late_timer)));
    assert_eq!(calls(&host), []);
}

#[test]
fn an_earlier_timer_rearms_and_a_later_one_does_not() {
    let (core, host) = running_loop();
    let _ = core.call_at(3000.0, Box::new(|| {})).unwrap();
    let _ = core.call_at(4000.0, Box::new(|| {})).unwrap();
    let _ = core.call_at(2000.0, Box::new(|| {})).unwrap();
    assert_eq!(calls(&host), [Call::Arm(3000.0), Call::Arm(2000.0)]);
}

#[test]
fn the_wake_fires_due_timers_and_arms_the_next() {
    let (core, host) = running_loop();
    let ran = Rc::new(Cell::new(0));
    for at in [1000.0, 1000.0, 2500.0] {
        let ran = Rc::clone(&ran);
        let _ = core.call_at(at, Box::new(move || ran.set(ran.get() + 1)));
    }
    assert_eq!(calls(&host), [Call::Arm(1000.0)]);
    host.now.set(1000.0);
    core.turn(TurnCause::Wake);
    assert_eq!(ran.get(), 2);
    assert_eq!(calls(&host), [Call::Arm(2500.0)]);
    host.now.set(2500.0);
    core.turn(TurnCause::Wake);
    assert_eq!(ran.get(), 3);
    assert_eq!(
        calls(&host),
        [],
        "nothing left: the consumed wake needs no disarm"
    );
}

#[test]
fn long_delays_are_chained_at_the_host_limit() {
    let (core, host) = running_loop();
    let limit = super::host::MAX_TIMEOUT_MS;
    let _ = core.call_at(limit * 2.5, Box::new(|| {})).unwrap();
    assert_eq!(calls(&host), [Call::Arm(limit)]);
    host.now.set(limit);
    core.turn(TurnCause::Wake);
    assert_eq!(calls(&host), [Call::Arm(limit * 2.0)]);
    host.now.set(limit * 2.0);
    core.turn(TurnCause::Wake);
    assert_eq!(calls(&host), [Call::Arm(limit * 2.5)]);
}

#[test]
fn a_burst_past_its_budget_continues_in_a_macrotask() {
    let (core, host) = running_loop();
    let clock = Rc::clone(&host);
    // Each callback takes 1 ms of host time; the budget is 4 ms.
    for _ in 0..10 {
        let clock = Rc::clone(&clock);
        core.call_soon(Box::new(move || clock.now.set(clock.now.get() + 1.0)));
    }
    assert_eq!(calls(&host), [Call::Turn(TurnKind::Microtask)]);
    core.turn(TurnCause::Requested);
    assert_eq!(calls(&host), [Call::Turn(TurnKind::Macrotask)]);
    assert_eq!(core.stats().ready, 6, "four ran in the first 4 ms burst");
    core.turn(TurnCause::Requested);
    core.turn(TurnCause::Requested);
    assert_eq!(core.stats().ready, 0);
}

/// Queues `count` callbacks on `core` that each take `ms` of host time and
/// count their runs in `ran`.
fn queue_steps(core: &LoopCore, host: &Rc<Recording>, ran: &Rc<Cell<u32>>, count: u32, ms: f64) {
    for _ in 0..count {
        let (clock, ran) = (Rc::clone(host), Rc::clone(ran));
        core.call_soon(Box::new(move || {
            clock.now.set(clock.now.get() + ms);
            ran.set(ran.get() + 1);
        }));
    }
}

#[test]
fn a_turn_of_cheap_items_reads_the_clock_every_few_hundred() {
    let (core, host) = running_loop();
    let ran = Rc::new(Cell::new(0));
    queue_steps(&core, &host, &ran, 10_000, 0.0);
    host.reads.set(0);
    core.turn(TurnCause::Requested);
    assert_eq!(ran.get(), 10_000);
    // The stride doubles from 1 to 256 (9 reads for the first 511 items),
    // then a read every 256 items, and one at the start.
    let reads = host.reads.get();
    assert!((40..=50).contains(&reads), "{reads} clock reads");
}

#[test]
fn slow_items_after_cheap_ones_hold_the_turn_for_at_most_256_of_them() {
    let (core, host) = running_loop();
    let ran = Rc::new(Cell::new(0));
    // The clock is read after cheap item 2047, with the stride at its
    // widest: the slow items that follow are seen only 256 items later.
    queue_steps(&core, &host, &ran, 2_047, 0.0);
    queue_steps(&core, &host, &ran, 1_000, 1.0);
    assert_eq!(calls(&host), [Call::Turn(TurnKind::Microtask)]);
    core.turn(TurnCause::Requested);
    assert_eq!(ran.get() - 2_047, 256, "slow items in one turn");
    assert_eq!(calls(&host), [Call::Turn(TurnKind::Macrotask)]);
    // Seen slow, the clock is read after each item again: the next turn
    // keeps to its 4 ms budget.
    ran.set(0);
    core.turn(TurnCause::Requested);
    assert_eq!(ran.get(), 4);
}

/// Spawns a task on `core` that takes `ms` of host time at each of its
/// `steps` steps, yielding between them, and writes `name` to `log` at each.
fn spawn_steps(
    core: &Rc<LoopCore>,
    host: &Rc<Recording>,
    log: &Rc<RefCell<Vec<&'static str>>>,
    name: &'static str,
    steps: u32,
    ms: f64,
) {
    let (clock, log) = (Rc::clone(host), Rc::clone(log));
    let mut left = steps;
    let _ = core.spawn(std::future::poll_fn(move |cx| {
        clock.now.set(clock.now.get() + ms);
        log.borrow_mut().push(name);
        left -= 1;
        if left == 0 {
            std::task::Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }));
}

/// Runs turns until nothing is ready (at most 100); gives each turn's
/// length in host time.
fn turns_until_idle(core: &Rc<LoopCore>, host: &Recording) -> Vec<f64> {
    let mut turns = Vec::new();
    while core.stats().ready > 0 && turns.len() < 100 {
        let before = host.now.get();
        core.turn(TurnCause::Requested);
        turns.push(host.now.get() - before);
    }
    assert_eq!(core.stats().ready, 0, "still busy after 100 turns");
    turns
}

#[test]
fn a_task_whose_last_step_would_overrun_the_budget_starts_the_next_turn() {
    let (core, host) = running_loop();
    let log = Rc::new(RefCell::new(Vec::new()));
    for (name, ms) in [("a", 1.0), ("b", 1.0), ("c", 1.0), ("heavy", 3.5)] {
        spawn_steps(&core, &host, &log, name, 6, ms);
    }
    let turns = turns_until_idle(&core, &host);
    // The steps run in the queue's order, as they would without the
    // deferral: round robin.
    let round_robin: Vec<&str> = (0..6).flat_map(|_| ["a", "b", "c", "heavy"]).collect();
    assert_eq!(*log.borrow(), round_robin);
    // A task is known to be heavy once it is woken after a timed step: the
    // heavy one wakes itself during its steps, so its first two (woken
    // before any step was timed) run after three light steps (6.5 ms).
    // After that it starts the next turn whenever it would take a turn past
    // the 4 ms budget: 3 light steps (3 ms), then it alone (3.5 ms), and so
    // on.
    assert_eq!(turns[..2], [6.5, 6.5]);
    assert!(
        turns[2..].iter().all(|&t| t == 3.0 || t == 3.5),
        "turns after the second: {turns:?}"
    );
}

#[test]
fn a_task_longer_than_the_budget_runs_alone_but_always_runs() {
    let (core, host) = running_loop();
    let log = Rc::new(RefCell::new(Vec::new()));
    spawn_steps(&core, &host, &log, "light", 20, 0.5);
    spawn_steps(&core, &host, &log, "heavy", 5, 10.0);
    let turns = turns_until_idle(&core, &host);
    assert_eq!(log.borrow().iter().filter(|&&n| n == "heavy").count(), 5);
    // Not yet known to be heavy, its first two steps ran after a light one
    // (10.5 ms). After that it only ever starts a turn, and the light step
    // after it waits for the next one.
    assert_eq!(&turns[..8], [10.5, 10.5, 0.5, 10.0, 0.5, 10.0, 0.5, 10.0]);
    assert!(turns[8..].iter().all(|&t| t <= 4.0), "{turns:?}");
}

#[test]
fn cheap_tasks_are_never_put_back() {
    let (core, host) = running_loop();
    let log = Rc::new(RefCell::new(Vec::new()));
    for name in ["a", "b", "c"] {
        spawn_steps(&core, &host, &log, name, 1_000, 0.001);
    }
    let turns = turns_until_idle(&core, &host);
    assert_eq!(log.borrow().len(), 3_000);
    assert_eq!(turns.len(), 1, "one turn: 3 ms of work in a 4 ms budget");
}

#[test]
fn a_step_up_to_twice_as_long_as_the_last_still_fits_the_budget() {
    // As a task that spawns work in one step and awaits all of it in the
    // next: a 1.5 ms step, then, once woken, a 2.5 ms one.
    let (core, host) = running_loop();
    let log = Rc::new(RefCell::new(Vec::new()));
    let parked: Rc<RefCell<Option<Waker>>> = Rc::new(RefCell::new(None));
    {
        let (clock, log, parked) = (Rc::clone(&host), Rc::clone(&log), Rc::clone(&parked));
        let mut steps = 0;
        let _ = core.spawn(std::future::poll_fn(move |cx| {
            steps += 1;
            if steps == 1 {
                clock.now.set(clock.now.get() + 1.5);
                log.borrow_mut().push("first step");
                *parked.borrow_mut() = Some(cx.waker().clone());
                std::task::Poll::Pending
            } else {
                clock.now.set(clock.now.get() + 2.5);
                log.borrow_mut().push("second step");
                std::task::Poll::Ready(())
            }
        }));
    }
    // Light work behind it, 0.5 ms in all; the first piece wakes it.
    for piece in 0..5 {
        let (clock, log, parked) = (Rc::clone(&host), Rc::clone(&log), Rc::clone(&parked));
        let _ = core.spawn(std::future::poll_fn(move |_| {
            clock.now.set(clock.now.get() + 0.1);
            log.borrow_mut().push("light");
            if piece == 0 {
                if let Some(waker) = parked.borrow_mut().take() {
                    waker.wake();
                }
            }
            std::task::Poll::Ready(())
        }));
    }
    let turns = turns_until_idle(&core, &host);
    let order: Vec<&str> = std::iter::once("first step")
        .chain(std::iter::repeat_n("light", 5))
        .chain(std::iter::once("second step"))
        .collect();
    assert_eq!(*log.borrow(), order);
    // With 2 ms of the budget left, a step that last took 1.5 ms might take
    // more than 2: the second step starts the next turn.
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        turns.len() == 2 && close(turns[0], 2.0) && close(turns[1], 2.5),
        "{turns:?}"
    );
}
