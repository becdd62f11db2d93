//! `gather!`: gathering a fixed set of futures of different types.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::children::{Children, Progress, Slot, SlotSet};
use crate::error::Cancelled;
use crate::task::IntoTask;

/// A tuple of slots that can hand back a tuple of values.
#[doc(hidden)]
pub trait SlotTuple: SlotSet {
    /// The values, in argument order.
    type Output;
    /// The cancellation of child `index`, if it was cancelled.
    fn cancelled(&self, index: usize) -> Option<&Cancelled>;
    /// Every value, once every child has ended with one.
    fn take_all(&mut self) -> Option<Self::Output>;
}

macro_rules! slot_tuple {
    ($len:literal; $($T:ident $i:tt),+) => {
        impl<$($T: IntoTask),+> SlotSet for ($(Slot<$T>,)+) {
            fn count(&self) -> usize {
                $len
            }

            fn start_all(&mut self) {
                $( self.$i.start(); )+
            }

            fn poll_slot(&mut self, index: usize, waker: &Waker) -> bool {
                match index {
                    $( $i => self.$i.poll_ended(waker), )+
                    _ => false,
                }
            }

            fn cancel_running(&self) {
                $( self.$i.cancel(); )+
            }
        }

        impl<$($T: IntoTask),+> SlotTuple for ($(Slot<$T>,)+) {
            type Output = ($($T::Output,)+);

            fn cancelled(&self, index: usize) -> Option<&Cancelled> {
                match index {
                    $( $i => self.$i.cancelled(), )+
                    _ => None,
                }
            }

            #[allow(non_snake_case)]
            fn take_all(&mut self) -> Option<Self::Output> {
                match ($(self.$i.take(),)+) {
                    ($(Some(Ok($T)),)+) => Some(($($T,)+)),
                    _ => None,
                }
            }
        }
    };
}

slot_tuple!(1; A 0);
slot_tuple!(2; A 0, B 1);
slot_tuple!(3; A 0, B 1, C 2);
slot_tuple!(4; A 0, B 1, C 2, D 3);
slot_tuple!(5; A 0, B 1, C 2, D 3, E 4);
slot_tuple!(6; A 0, B 1, C 2, D 3, E 4, F 5);
slot_tuple!(7; A 0, B 1, C 2, D 3, E 4, F 5, G 6);
slot_tuple!(8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// The future made by [`gather!`](crate::gather!).
#[doc(hidden)]
#[must_use = "futures do nothing unless awaited"]
pub struct GatherTuple<S: SlotTuple> {
    children: Children<S>,
}

impl<S: SlotTuple> fmt::Debug for GatherTuple<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherTuple")
            .field("children", &self.children.len())
            .finish()
    }
}

impl<S: SlotTuple + Unpin> Future for GatherTuple<S> {
    type Output = Result<S::Output, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        match children.poll(cx, |slots, index| slots.cancelled(index).is_some()) {
            Progress::Pending => Poll::Pending,
            Progress::Break(index) => {
                children.finish();
                let cancelled = children.slots.cancelled(index).cloned();
                Poll::Ready(Err(cancelled.unwrap_or_default()))
            }
            Progress::Ready => {
                children.finish();
                // Every child ended with a value: none broke off above.
                Poll::Ready(children.slots.take_all().ok_or_else(Cancelled::new))
            }
        }
    }
}

/// Gathers futures of different types: `gather!(a, b, c).await` gives
/// `Ok((a_value, b_value, c_value))`, or the [`Cancelled`] of the first child
/// to be cancelled. Up to eight futures; each runs as a task, made when the
/// gather is first polled.
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// async fn greet() -> &'static str {
///     asyncio::sleep(Duration::from_secs(1)).await;
///     "hello"
/// }
/// async fn count() -> usize {
///     asyncio::sleep(Duration::from_secs(2)).await;
///     3
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let out = lp.run_until_complete(async { asyncio::gather!(greet(), count()).await }).block();
/// assert_eq!(out, Ok(Ok(("hello", 3))));
/// assert_eq!(lp.time(), 2.0);
/// ```
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::__gather_tuple(($($crate::__gather_slot($future),)+))
    };
}

#[doc(hidden)]
pub fn __gather_slot<X: IntoTask>(input: X) -> Slot<X> {
    Slot::new(input)
}

#[doc(hidden)]
pub fn __gather_tuple<S: SlotTuple>(slots: S) -> GatherTuple<S> {
    GatherTuple {
        children: Children::new(slots),
    }
}
