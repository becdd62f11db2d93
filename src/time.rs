//! Sleeping and yielding.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Weak;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::error::InvalidDelay;
use crate::print::warn;
use crate::runtime::context;
use crate::runtime::core::LoopCore;
use crate::runtime::slab::Key;
use crate::trace::WaitReason;

/// Milliseconds in `duration`, exact for whole milliseconds.
pub(crate) fn duration_ms(duration: Duration) -> f64 {
    duration.as_secs() as f64 * 1000.0 + f64::from(duration.subsec_nanos()) / 1_000_000.0
}

/// Milliseconds in `secs` seconds: negative means zero, NaN and infinities
/// are refused.
pub(crate) fn secs_to_ms(secs: f64) -> Result<f64, InvalidDelay> {
    if secs.is_nan() {
        return Err(InvalidDelay::NotANumber);
    }
    if secs.is_infinite() {
        return Err(InvalidDelay::Infinite(secs));
    }
    Ok(secs.max(0.0) * 1000.0)
}

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
    match context::current() {
        Some(core) => core.block_for(duration_ms(duration)),
        None => block_outside_a_loop(duration),
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
    Armed { core: Weak<LoopCore>, key: Key },
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
                let Some(core) = context::current() else {
                    warn("asyncio::sleep polled outside a running event loop; it returns at once");
                    self.state = SleepState::Done;
                    return Poll::Ready(());
                };
                if self.delay_ms <= 0.0 {
                    self.state = SleepState::Yielded;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                let deadline = core.now_ms() + self.delay_ms;
                match core.add_wake_timer(deadline, cx.waker().clone()) {
                    Some(key) => {
                        context::note_wait(WaitReason::Sleep);
                        self.state = SleepState::Armed {
                            core: std::rc::Rc::downgrade(&core),
                            key,
                        };
                        Poll::Pending
                    }
                    None => {
                        self.state = SleepState::Done;
                        Poll::Ready(())
                    }
                }
            }
            SleepState::Yielded => {
                self.state = SleepState::Done;
                Poll::Ready(())
            }
            SleepState::Armed { core, key } => {
                let key = *key;
                match core.upgrade() {
                    Some(core) if core.timer_pending(key) => {
                        core.update_timer_waker(key, cx.waker());
                        Poll::Pending
                    }
                    _ => {
                        self.state = SleepState::Done;
                        Poll::Ready(())
                    }
                }
            }
            SleepState::Done => Poll::Ready(()),
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let SleepState::Armed { core, key } = &self.state {
            if let Some(core) = core.upgrade() {
                core.cancel_timer(*key);
            }
        }
    }
}
