//! What a program prints: the line type a loop's output sink receives, and
//! where lines go when no sink is set.

use crate::trace::TaskId;

/// One line printed with [`print`](crate::print), as handed to a loop's
/// output sink.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLine {
    /// Loop time in milliseconds.
    pub at_ms: f64,
    /// The task that printed it, if it was printed from a task.
    pub task: Option<TaskId>,
    /// The text, without a trailing newline.
    pub text: String,
}

/// Where lines go when no sink is set: standard output natively, the
/// console in the browser.
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
