//! A response: status and headers at once, the body on demand.

use std::fmt;
use std::time::Duration;

use wasm_bindgen::JsValue;

use super::HttpError;
use crate::net::abort::{AbortOnDrop, Awaited};
use crate::net::js;
use crate::runtime::io_span::IoSpan;
use crate::sync::SemaphorePermit;
use crate::trace::WaitReason;

/// An HTTP response. Reading the body consumes it; dropping it unread
/// aborts the body's download and frees its place under the session's
/// limit.
pub struct Response {
    raw: web_sys::Response,
    url: String,
    status: u16,
    status_text: String,
    headers: Vec<(String, String)>,
    abort: AbortOnDrop,
    _permit: Option<SemaphorePermit>,
    /// When the request started (loop ms) and its total timeout.
    deadline: Option<(f64, Duration)>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("url", &self.url)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Response {
    pub(super) fn new(
        raw: web_sys::Response,
        url: String,
        abort: AbortOnDrop,
        span: IoSpan,
        permit: Option<SemaphorePermit>,
        deadline: Option<(f64, Duration)>,
    ) -> Response {
        let status = raw.status();
        let status_text = raw.status_text();
        span.end(|| format!("{status} {status_text}"));
        let headers = js_sys::try_iter(&raw.headers())
            .ok()
            .flatten()
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| {
                        let pair = js_sys::Array::from(&entry);
                        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Response {
            url: raw.url(),
            raw,
            status,
            status_text,
            headers,
            abort,
            _permit: permit,
            deadline,
        }
        .with_requested_url(url)
    }

    fn with_requested_url(mut self, url: String) -> Self {
        if self.url.is_empty() {
            self.url = url;
        }
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The status text (`OK`, `Not Found`, …; may be empty over HTTP/2).
    pub fn status_text(&self) -> &str {
        &self.status_text
    }

    /// Whether the status is 200–299.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The final URL, after redirects.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers the browser exposes (for cross-origin responses, only the
    /// CORS-safelisted ones and those the server lists in
    /// `Access-Control-Expose-Headers`), names in lower case.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The response itself for a 1xx–3xx status, [`HttpError::Status`]
    /// otherwise (aiohttp's `raise_for_status`).
    ///
    /// # Errors
    /// [`HttpError::Status`] for 4xx and 5xx.
    pub fn error_for_status(self) -> Result<Self, HttpError> {
        if self.status >= 400 {
            return Err(HttpError::Status {
                url: self.url.clone(),
                status: self.status,
                status_text: self.status_text.clone(),
            });
        }
        Ok(self)
    }

    /// The body as text (UTF-8).
    ///
    /// # Errors
    /// [`HttpError::Body`], [`HttpError::Timeout`], [`HttpError::Aborted`].
    pub async fn text(self) -> Result<String, HttpError> {
        let url = self.url.clone();
        let value = self.read(|raw| raw.text()).await?;
        value.as_string().ok_or_else(|| HttpError::Body {
            url,
            message: "the body is not text".into(),
        })
    }

    /// The body as bytes.
    ///
    /// # Errors
    /// [`HttpError::Body`], [`HttpError::Timeout`], [`HttpError::Aborted`].
    pub async fn bytes(self) -> Result<Vec<u8>, HttpError> {
        let value = self.read(|raw| raw.array_buffer()).await?;
        Ok(js_sys::Uint8Array::new(&value).to_vec())
    }

    /// The body parsed as JSON into `T`.
    ///
    /// # Errors
    /// [`HttpError::Body`] if it is not valid JSON for `T`, and as
    /// [`text`](Self::text).
    pub async fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, HttpError> {
        let url = self.url.clone();
        let text = self.text().await?;
        serde_json::from_str(&text).map_err(|err| HttpError::Body {
            url,
            message: format!("the body is not the expected JSON: {err}"),
        })
    }

    /// Reads the body with `start` (`text()`, `arrayBuffer()`), within what
    /// is left of the request's timeout.
    async fn read(
        mut self,
        start: impl FnOnce(&web_sys::Response) -> Result<js_sys::Promise, JsValue>,
    ) -> Result<JsValue, HttpError> {
        let url = self.url.clone();
        let promise = start(&self.raw).map_err(|err| HttpError::Body {
            url: url.clone(),
            message: js::error_message(&err),
        })?;
        let body = Awaited::new(promise, WaitReason::Fetch);
        let result = match self.deadline {
            Some((started, total)) => {
                let elapsed = crate::runtime::context::now_ms().unwrap_or(started) - started;
                let left = total.saturating_sub(Duration::from_secs_f64(elapsed.max(0.0) / 1000.0));
                match crate::timeout(left, body).await {
                    Ok(result) => result,
                    Err(_) => return Err(HttpError::Timeout { url, after: total }),
                }
            }
            None => body.await,
        };
        match result {
            Ok(value) => {
                self.abort.disarm();
                Ok(value)
            }
            Err(err) if js::error_name(&err) == "AbortError" => Err(HttpError::Aborted { url }),
            Err(err) => Err(HttpError::Body {
                url,
                message: js::error_message(&err),
            }),
        }
    }
}
