//! Sleeping and yielding.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::error::InvalidDelay;
use crate::runtime::context;
use crate::runtime::output::warn;
use crate::runtime::units::{duration_ms, secs_to_ms};
use crate::runtime::wake_timer::{Arming, WakeTimer};
use crate::trace::WaitReason;

/// Blocks for `duration` without yielding, as Python's `time.sleep` does
/// inside a coroutine: the running step does not return, so nothing else on
/// the loop runs meanwhile, and the trace shows one long step. On the
/// virtual clock the loop's clock moves on by `duration` at once; on the
/// browser's real clock this busy-waits (on a page's main thread the page
/// freezes meanwhile, which is what it shows). Outside a loop it sleeps the
/// thread natively and busy-waits in a browser.
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async { asyncio::blocking_sleep(Duration::from_secs(2)) })
///     .block()
///     .unwrap();
/// assert_eq!(lp.time(), 2.0);
/// ```
pub fn blocking_sleep(duration: Duration) {
    if !context::block_for(duration_ms(duration)) {
        block_outside_a_loop(duration);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn block_outside_a_loop(duration: Duration) {
    std::thread::sleep(duration);
}

#[cfg(target_arch = "wasm32")]
fn block_outside_a_loop(duration: Duration) {
    let until = js_sys::Date::now() + duration_ms(duration);
    while js_sys::Date::now() < until {
        std::hint::spin_loop();
    }
}

/// Waits for `duration` on the running loop's clock (Python's
/// `asyncio.sleep`). A zero duration yields to the other ready tasks without
/// touching a timer, like [`yield_now`].
///
/// Dropping the future before it completes cancels its timer.
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(asyncio::sleep(Duration::from_secs(3))).block().unwrap();
/// assert_eq!(lp.time(), 3.0);
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep::after_ms(duration_ms(duration))
}

/// Waits for `secs` seconds, as the tutorials write it: `sleep_secs(1.5)`.
/// Negative values mean zero.
///
/// # Errors
/// [`InvalidDelay`] for NaN or infinite values.
///
/// # Examples
/// ```
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     asyncio::sleep_secs(1.5)?.await;
///     assert!(asyncio::sleep_secs(f64::NAN).is_err());
///     Ok::<_, asyncio::InvalidDelay>(())
/// })
/// .block()
/// .unwrap()
/// .unwrap();
/// assert_eq!(lp.time(), 1.5);
/// ```
pub fn sleep_secs(secs: f64) -> Result<Sleep, InvalidDelay> {
    Ok(Sleep::after_ms(secs_to_ms(secs)?))
}

/// Goes to the back of the ready queue, letting every other ready task run
/// first. Costs no timer.
///
/// # Examples
/// ```
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async { asyncio::yield_now().await }).block().unwrap();
/// assert_eq!(lp.time(), 0.0);
/// ```
pub fn yield_now() -> Sleep {
    Sleep::after_ms(0.0)
}

enum SleepState {
    Unbound,
    Yielded,
    Armed(WakeTimer),
    Done,
}

/// The future returned by [`sleep`], [`sleep_secs`] and [`yield_now`].
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    delay_ms: f64,
    state: SleepState,
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            SleepState::Unbound => "not started",
            SleepState::Yielded => "yielded",
            SleepState::Armed { .. } => "waiting",
            SleepState::Done => "done",
        };
        f.debug_struct("Sleep")
            .field("delay_ms", &self.delay_ms)
            .field("state", &state)
            .finish()
    }
}

impl Sleep {
    fn after_ms(delay_ms: f64) -> Sleep {
        Sleep {
            delay_ms,
            state: SleepState::Unbound,
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.state {
            SleepState::Unbound => {
                if self.delay_ms <= 0.0 {
                    if !context::inside_a_turn() {
                        return self.outside_a_loop();
                    }
                    self.state = SleepState::Yielded;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                match WakeTimer::arm(self.delay_ms, cx.waker()) {
                    Arming::Armed(timer) => {
                        context::note_wait(WaitReason::Sleep);
                        self.state = SleepState::Armed(timer);
                        Poll::Pending
                    }
                    Arming::NoLoop => self.outside_a_loop(),
                    Arming::Closed => {
                        self.state = SleepState::Done;
                        Poll::Ready(())
                    }
                }
            }
            SleepState::Yielded => {
                self.state = SleepState::Done;
                Poll::Ready(())
            }
            SleepState::Armed(timer) => {
                if timer.pending() {
                    timer.set_waker(cx.waker());
                    Poll::Pending
                } else {
                    self.state = SleepState::Done;
                    Poll::Ready(())
                }
            }
            SleepState::Done => Poll::Ready(()),
        }
    }
}

impl Sleep {
    /// Polled outside any loop: there is no clock to wait on. Returns at
    /// once with a warning; in debug builds this is a bug to report.
    fn outside_a_loop(&mut self) -> Poll<()> {
        debug_assert!(false, "asyncio::sleep polled outside a running event loop");
        warn("asyncio::sleep polled outside a running event loop; it returns at once");
        self.state = SleepState::Done;
        Poll::Ready(())
    }
}
