//! `TaskGroup::create_task_with`: children with a name and delivered
//! cancellation, as Python's TaskGroup children need.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use asyncio::{sleep, take_cancellation, EventLoop, TaskBuilder, TaskGroup};

#[test]
fn an_aborting_group_delivers_cancellation_to_its_children() {
    let lp = EventLoop::virtual_clock();
    let cleaned = Rc::new(Cell::new(false));
    let seen = Rc::clone(&cleaned);
    let (name, joined, at) = lp
        .run_until_complete(async move {
            let group: TaskGroup<String> = TaskGroup::new();
            let child = group.create_task_with(
                TaskBuilder::new().name("worker").deliver_cancellation(),
                async move {
                    let mut nap = Box::pin(sleep(Duration::from_secs(10)));
                    std::future::poll_fn(|cx| match take_cancellation() {
                        Some(_) => {
                            seen.set(true);
                            Poll::Ready(Ok(()))
                        }
                        None => nap.as_mut().poll(cx).map(Ok),
                    })
                    .await
                },
            );
            let name = child.name();
            group
                .create_task(async {
                    sleep(Duration::from_secs(2)).await;
                    Err::<(), _>("broken".to_string())
                })
                .detach();
            let joined = group.join().await;
            (name, joined, asyncio::get_running_loop().unwrap().time())
        })
        .block()
        .unwrap();
    assert_eq!(name, "worker");
    assert!(
        cleaned.get(),
        "the child saw the cancellation and cleaned up"
    );
    assert_eq!(joined.unwrap_err().errors, ["broken"]);
    assert_eq!(at, 2.0);
}

#[test]
fn a_plain_child_is_dropped_as_before() {
    let lp = EventLoop::virtual_clock();
    let joined = lp
        .run_until_complete(async {
            let group: TaskGroup<&str> = TaskGroup::new();
            let slow = group.create_task_with(TaskBuilder::new().name("slow"), async {
                sleep(Duration::from_secs(9)).await;
                Ok(())
            });
            group.create_task(async { Err::<(), _>("now") }).detach();
            let joined = group.join().await;
            (joined, slow.cancelled())
        })
        .block()
        .unwrap();
    assert!(joined.0.is_err());
    assert!(joined.1);
}
