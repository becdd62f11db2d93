//! Program output captured per loop, with its loop time.

use std::fmt::Display;

use crate::runtime::context;

/// Prints a line to the running loop's output: its sink (see
/// [`EventLoop::set_output`](crate::EventLoop::set_output)), its trace, or by
/// default standard output (natively) or the console (in the browser).
/// Outside a loop, prints straight to the default.
///
/// # Examples
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let lines = Rc::new(RefCell::new(Vec::new()));
/// let sink = Rc::clone(&lines);
/// lp.set_output(move |line| sink.borrow_mut().push(line.text.clone()));
/// lp.run_until_complete(async { asyncio::print("Hello") }).block().unwrap();
/// assert_eq!(*lines.borrow(), ["Hello"]);
/// ```
pub fn print(line: impl Display) {
    context::print(line.to_string());
}
