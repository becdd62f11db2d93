//! A loop's ready queue keeps its buffer for the next loop made on its
//! thread, whether the loop is closed first or just dropped.

use std::cell::Cell;
use std::rc::Rc;

use crate::runtime::ready_queue::spare_capacity;
use crate::EventLoop;

#[test]
fn a_loop_that_ran_leaves_its_buffer_to_the_next_closed_or_not() {
    // Each test has a thread of its own, so nothing is kept yet.
    assert_eq!(spare_capacity(), 0);
    for close in [false, true] {
        let lp = EventLoop::new();
        lp.run_until_complete(async {
            let tasks: Vec<_> = (0..5000).map(|_| crate::create_task(async {})).collect();
            for task in tasks {
                let _ = task.await;
            }
        })
        .block()
        .unwrap();
        if close {
            lp.close().unwrap();
        }
        drop(lp);
        assert!(spare_capacity() > 5000, "close: {close}");
        // The next loop takes it.
        let next = EventLoop::new();
        assert_eq!(spare_capacity(), 0, "close: {close}");
        drop(next);
    }
    // What a closed loop's queue held is dropped, not kept with the
    // buffer: tasks never polled, each holding a guard.
    struct Guard(Rc<Cell<u32>>);
    impl Drop for Guard {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let lp = EventLoop::new();
    let dropped = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let guard = Guard(Rc::clone(&dropped));
            lp.create_task(async move { drop(guard) })
        })
        .collect();
    lp.close().unwrap();
    assert_eq!(dropped.get(), 3);
    assert!(tasks.iter().all(crate::Task::cancelled));
    drop(lp);
    assert!(spare_capacity() > 5000, "and its buffer is kept");
}
