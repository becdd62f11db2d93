//! `gather_until_error`: Python's `gather` without `return_exceptions`.

use std::time::Duration;

use asyncio::{create_task, gather_until_error, sleep, EventLoop, GatherError};

async fn check(n: u64) -> Result<u64, String> {
    sleep(Duration::from_secs(n)).await;
    if n % 2 == 0 {
        Err(format!("{n} is even"))
    } else {
        Ok(n)
    }
}

#[test]
fn values_come_back_in_argument_order() {
    let lp = EventLoop::virtual_clock();
    let out = lp
        .run_until_complete(gather_until_error([3, 1, 5].map(check)))
        .block()
        .unwrap();
    assert_eq!(out.unwrap(), [Ok(3), Ok(1), Ok(5)]);
    assert_eq!(lp.time(), 5.0);
}

#[test]
fn the_first_failure_ends_it_and_the_others_keep_running() {
    let lp = EventLoop::virtual_clock();
    let (outcome, at, later) = lp
        .run_until_complete(async {
            let slow = create_task(check(7));
            let outcome = gather_until_error([create_task(check(4)), create_task(check(2))]).await;
            let at = asyncio::get_running_loop().unwrap().time();
            (outcome, at, slow.await)
        })
        .block()
        .unwrap();
    assert_eq!(
        outcome,
        Err(GatherError::Failed(Err("2 is even".to_string())))
    );
    assert_eq!(at, 2.0);
    assert_eq!(later, Ok(Ok(7)));
}

#[test]
fn a_cancelled_child_ends_it_with_the_cancellation() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let doomed = create_task(check(9));
            let other = create_task(check(3));
            let canceller = async {
                sleep(Duration::from_secs(1)).await;
                Ok::<u64, String>(0)
            };
            doomed.cancel_with_message("stop");
            let result = gather_until_error([doomed, other, create_task(canceller)]).await;
            (result, asyncio::all_tasks().len())
        })
        .block()
        .unwrap();
    match outcome.0 {
        Err(GatherError::Cancelled(cancelled)) => assert_eq!(cancelled.message(), Some("stop")),
        other => panic!("expected a cancellation, got {other:?}"),
    }
    assert_eq!(outcome.1, 3, "the other children are still running");
}

#[test]
fn dropping_it_early_cancels_the_children() {
    let lp = EventLoop::virtual_clock();
    let cancelled = lp
        .run_until_complete(async {
            let child = create_task(check(5));
            let watch = child.to_ref();
            let gathering = create_task(gather_until_error([child]));
            sleep(Duration::from_secs(1)).await;
            gathering.cancel();
            let _ = gathering.await;
            sleep(Duration::ZERO).await;
            watch.cancelled()
        })
        .block()
        .unwrap();
    assert!(cancelled);
}
