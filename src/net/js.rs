//! The JavaScript the network clients call directly.

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in windows and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    pub(crate) fn fetch_request(request: &web_sys::Request) -> Promise;
}

/// The page's (or worker's) own URL, the base for relative URLs.
pub(crate) fn location_href() -> Option<String> {
    let location = Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
    Reflect::get(&location, &JsValue::from_str("href"))
        .ok()?
        .as_string()
}

/// A JavaScript error's name (`TypeError`, `AbortError`, …).
pub(crate) fn error_name(error: &JsValue) -> String {
    Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default()
}

/// A JavaScript error's message, or its string form.
pub(crate) fn error_message(error: &JsValue) -> String {
    Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
