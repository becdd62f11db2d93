//! Program output captured per loop, with its loop time.

use std::fmt::Display;

use crate::runtime::context;
use crate::trace::TaskId;

/// One line printed with [`print`], as handed to a loop's output sink.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLine {
    /// Loop time in milliseconds.
    pub at_ms: f64,
    /// The task that printed it, if it was printed from a task.
    pub task: Option<TaskId>,
    /// The text, without a trailing newline.
    pub text: String,
}

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
    let text = line.to_string();
    match context::current() {
        Some(core) => core.print(text),
        None => default_output(&text),
    }
}

/// Where lines go when no sink is set.
pub(crate) fn default_output(text: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::log_1(&wasm_bindgen::JsValue::from_str(text));
    #[cfg(not(target_arch = "wasm32"))]
    println!("{text}");
}

/// A diagnostic the runtime itself emits (misuse it can survive).
pub(crate) fn warn(text: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(text));
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("warning: {text}");
}
