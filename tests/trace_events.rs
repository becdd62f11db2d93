//! The trace a loop records, event by event, on the virtual clock.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;

use asyncio::{
    create_task, print, sleep, EventLoop, TaskId, TimerId, TraceEvent, WaitReason, WakeSource,
};

fn events(lp: &EventLoop) -> Vec<(f64, TraceEvent)> {
    lp.trace().into_iter().map(|r| (r.at_ms, r.event)).collect()
}

#[test]
fn hello_world_records_exactly_its_events() {
    let lp = EventLoop::builder()
        .clock(asyncio::Clock::Virtual)
        .trace(true)
        .build()
        .unwrap();
    lp.run_until_complete(async {
        print("Hello");
        sleep(Duration::from_secs(1)).await;
        print("World");
    })
    .block()
    .unwrap();
    let t1 = TaskId(1);
    assert_eq!(
        events(&lp),
        [
            (
                0.0,
                TraceEvent::TaskCreated {
                    task: t1,
                    name: "Task-1".into(),
                    parent: None
                }
            ),
            (0.0, TraceEvent::PollStart { task: t1 }),
            (
                0.0,
                TraceEvent::Printed {
                    task: Some(t1),
                    line: "Hello".into()
                }
            ),
            (
                0.0,
                TraceEvent::TimerArmed {
                    timer: TimerId(1),
                    deadline_ms: 1000.0,
                    task: Some(t1)
                }
            ),
            (
                0.0,
                TraceEvent::Waiting {
                    task: t1,
                    on: WaitReason::Sleep,
                    line: None,
                    awaits: None
                }
            ),
            (
                0.0,
                TraceEvent::PollEnd {
                    task: t1,
                    ready: false
                }
            ),
            (1000.0, TraceEvent::TimerFired { timer: TimerId(1) }),
            (
                1000.0,
                TraceEvent::Woken {
                    task: t1,
                    by: WakeSource::Timer(TimerId(1))
                }
            ),
            (1000.0, TraceEvent::PollStart { task: t1 }),
            (
                1000.0,
                TraceEvent::Printed {
                    task: Some(t1),
                    line: "World".into()
                }
            ),
            (
                1000.0,
                TraceEvent::PollEnd {
                    task: t1,
                    ready: true
                }
            ),
            (1000.0, TraceEvent::TaskFinished { task: t1 }),
        ]
    );
}

#[test]
fn wakes_name_their_source() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    let lp2 = lp.clone();
    lp.run_until_complete(async move {
        let child = create_task(async { asyncio::yield_now().await });
        child.await.unwrap();
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let _ = lp2.call_soon(move || {
            let _ = tx.send(());
        });
        let _ = rx.await;
    })
    .block()
    .unwrap();
    let wakes: Vec<(TaskId, WakeSource)> = lp
        .trace()
        .into_iter()
        .filter_map(|r| match r.event {
            TraceEvent::Woken { task, by } => Some((task, by)),
            _ => None,
        })
        .collect();
    assert_eq!(
        wakes,
        [
            // The child yields: it wakes itself.
            (TaskId(2), WakeSource::Task(TaskId(2))),
            // The child ends: it wakes its awaiter.
            (TaskId(1), WakeSource::Task(TaskId(2))),
            // The callback sends on the channel.
            (TaskId(1), WakeSource::Callback),
        ]
    );
}

#[test]
fn waits_on_tasks_name_the_tasks_awaited() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let a = create_task(sleep(Duration::from_secs(1)));
        let b = create_task(sleep(Duration::from_secs(2)));
        let _ = asyncio::gather([a, b]).await;
        let c = create_task(sleep(Duration::from_secs(1)));
        let _ = c.await;
    })
    .block()
    .unwrap();
    let waits: Vec<(f64, TaskId, WaitReason, Option<TaskId>)> = lp
        .trace()
        .into_iter()
        .filter_map(|r| match r.event {
            TraceEvent::Waiting {
                task, on, awaits, ..
            } => Some((r.at_ms, task, on, awaits)),
            _ => None,
        })
        .collect();
    let (t1, t2, t3, t4) = (TaskId(1), TaskId(2), TaskId(3), TaskId(4));
    assert_eq!(
        waits,
        [
            // gather awaits both children, one event each.
            (0.0, t1, WaitReason::Task, Some(t2)),
            (0.0, t1, WaitReason::Task, Some(t3)),
            (0.0, t2, WaitReason::Sleep, None),
            (0.0, t3, WaitReason::Sleep, None),
            // When the first ends, gather's poll records nothing new: it
            // still waits for the second, as it said.
            (2000.0, t1, WaitReason::Task, Some(t4)),
            (2000.0, t4, WaitReason::Sleep, None),
        ]
    );
}

#[test]
fn created_tasks_name_their_parent_and_renames_are_recorded() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let child = create_task(async {});
        child.set_name("child");
        child.await.unwrap();
    })
    .block()
    .unwrap();
    let trace = events(&lp);
    assert!(trace.contains(&(
        0.0,
        TraceEvent::TaskCreated {
            task: TaskId(2),
            name: "Task-2".into(),
            parent: Some(TaskId(1))
        }
    )));
    assert!(trace.contains(&(
        0.0,
        TraceEvent::TaskRenamed {
            task: TaskId(2),
            name: "child".into()
        }
    )));
}

#[test]
fn cancelled_tasks_and_timers_are_recorded() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let sleeper = create_task(sleep(Duration::from_secs(5)));
        asyncio::yield_now().await;
        sleeper.cancel();
        let _ = sleeper.await;
    })
    .block()
    .unwrap();
    let trace = events(&lp);
    assert!(trace.contains(&(0.0, TraceEvent::TimerCancelled { timer: TimerId(1) })));
    assert!(trace.contains(&(0.0, TraceEvent::TaskCancelled { task: TaskId(2) })));
    assert!(!trace
        .iter()
        .any(|(_, e)| matches!(e, TraceEvent::TimerFired { .. })));
}

#[test]
fn tracing_is_off_by_default_and_records_nothing() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        print("quiet");
        sleep(Duration::from_secs(1)).await;
    })
    .block()
    .unwrap();
    assert_eq!(lp.trace_len(), 0);
}

#[test]
fn output_lines_carry_their_loop_time_and_task() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let lp = EventLoop::virtual_clock();
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    lp.set_output(move |line| {
        sink.borrow_mut()
            .push((line.at_ms, line.task, line.text.clone()))
    });
    lp.run_until_complete(async {
        print("a");
        sleep(Duration::from_millis(1500)).await;
        print(format_args!("b {}", 2));
    })
    .block()
    .unwrap();
    assert_eq!(
        *lines.borrow(),
        [
            (0.0, Some(TaskId(1)), "a".to_string()),
            (1500.0, Some(TaskId(1)), "b 2".to_string())
        ]
    );
}
