//! Building and sending a request.

use std::fmt;
use std::time::Duration;

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

use super::response::Response;
use super::session::ClientSession;
use super::HttpError;
use crate::net::abort::{AbortOnDrop, Awaited};
use crate::net::js;
use crate::runtime::io_span::IoSpan;
use crate::trace::WaitReason;

enum Body {
    Empty,
    Text(String),
    Bytes(Vec<u8>),
}

/// A request being built; [`send`](RequestBuilder::send) sends it.
#[must_use = "a request does nothing until sent"]
pub struct RequestBuilder {
    session: ClientSession,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Body,
    timeout: Option<Duration>,
    error: Option<HttpError>,
}

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RequestBuilder {
    pub(super) fn new(session: ClientSession, method: &str, url: &str) -> Self {
        RequestBuilder {
            session,
            method: method.to_ascii_uppercase(),
            url: url.to_string(),
            headers: Vec::new(),
            query: Vec::new(),
            body: Body::Empty,
            timeout: None,
            error: None,
        }
    }

    /// Adds a header (after the session's).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds a query parameter, percent-encoded.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// Sends `text` as the body.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.body = Body::Text(text.into());
        self
    }

    /// Sends `bytes` as the body.
    pub fn bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.body = Body::Bytes(bytes.into());
        self
    }

    /// Sends `value` as a JSON body, with `Content-Type: application/json`.
    /// A value that cannot be serialised makes [`send`](Self::send) fail with
    /// [`HttpError::InvalidRequest`].
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_string(value) {
            Ok(json) => {
                self.body = Body::Text(json);
                self.headers
                    .push(("content-type".into(), "application/json".into()));
            }
            Err(err) => {
                self.error = Some(HttpError::InvalidRequest {
                    reason: format!("the JSON body could not be serialised: {err}"),
                });
            }
        }
        self
    }

    /// A timeout for this request, instead of the session's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends the request; resolves once the response's status and headers
    /// have arrived. Dropping the future aborts the request.
    ///
    /// # Errors
    /// Any [`HttpError`] but [`HttpError::Status`] (see
    /// [`Response::error_for_status`]).
    pub async fn send(self) -> Result<Response, HttpError> {
        if let Some(err) = self.error {
            return Err(err);
        }
        let settings = &self.session.settings;
        let url = absolute_url(&self.url, settings.base_url.as_deref())?;
        let url = with_query(&url, &self.query)?;
        let mut headers = settings.headers.clone();
        headers.extend(self.headers);
        check_headers(&headers)?;
        let permit = match &settings.limit {
            Some(limit) => Some(limit.acquire().await),
            None => None,
        };
        let timeout = self.timeout.or(settings.timeout);
        let deadline = timeout.and_then(|t| crate::runtime::context::now_ms().map(|now| (now, t)));
        let exchange = fetch(&self.method, &url, &headers, self.body);
        let (raw, abort, span) = match timeout {
            Some(after) => match crate::timeout(after, exchange).await {
                Ok(result) => result?,
                Err(_) => return Err(HttpError::Timeout { url, after }),
            },
            None => exchange.await?,
        };
        Ok(Response::new(raw, url, abort, span, permit, deadline))
    }
}

/// Sends one `fetch` and waits for the status and headers.
async fn fetch(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Body,
) -> Result<(web_sys::Response, AbortOnDrop, IoSpan), HttpError> {
    let invalid = |err: JsValue| HttpError::InvalidRequest {
        reason: js::error_message(&err),
    };
    let abort = AbortOnDrop::new().map_err(invalid)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_signal(Some(&abort.signal()));
    // Like aiohttp, never answer from (or wait on) the browser's HTTP
    // cache: Chromium and Firefox make concurrent identical GETs wait for each other
    // while it finds out whether the first answer can be cached.
    init.set_cache(web_sys::RequestCache::NoStore);
    let header_map = web_sys::Headers::new().map_err(invalid)?;
    for (name, value) in headers {
        header_map.append(name, value).map_err(invalid)?;
    }
    init.set_headers(&header_map);
    match body {
        Body::Empty => {}
        Body::Text(text) => init.set_body(&JsValue::from_str(&text)),
        Body::Bytes(bytes) => init.set_body(&Uint8Array::from(bytes.as_slice())),
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(invalid)?;
    let span = IoSpan::start(|| format!("{method} {url}"));
    match Awaited::new(js::fetch_request(&request), WaitReason::Fetch).await {
        Ok(value) => match value.dyn_into::<web_sys::Response>() {
            Ok(raw) => Ok((raw, abort, span)),
            Err(_) => Err(HttpError::Network {
                url: url.to_string(),
                message: "fetch resolved to something that is not a Response".into(),
            }),
        },
        Err(err) if js::error_name(&err) == "AbortError" => {
            span.end(|| "aborted".into());
            Err(HttpError::Aborted {
                url: url.to_string(),
            })
        }
        Err(err) => {
            let message = js::error_message(&err);
            span.end(|| format!("failed: {message}"));
            Err(HttpError::Network {
                url: url.to_string(),
                message,
            })
        }
    }
}

/// `url` made absolute against `base` (or the page's own URL), and checked
/// to be `http:` or `https:`.
pub(super) fn absolute_url(url: &str, base: Option<&str>) -> Result<String, HttpError> {
    let invalid = |reason: &str| HttpError::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let base = base.map(str::to_string).or_else(js::location_href);
    let parsed = match &base {
        Some(base) => web_sys::Url::new_with_base(url, base),
        None => web_sys::Url::new(url),
    }
    .map_err(|_| invalid("not a valid URL"))?;
    match parsed.protocol().as_str() {
        "http:" | "https:" => Ok(parsed.href()),
        other => Err(invalid(&format!(
            "only http: and https: URLs can be fetched, not {other}"
        ))),
    }
}

fn with_query(url: &str, query: &[(String, String)]) -> Result<String, HttpError> {
    if query.is_empty() {
        return Ok(url.to_string());
    }
    let parsed = web_sys::Url::new(url).map_err(|_| HttpError::InvalidUrl {
        url: url.to_string(),
        reason: "not a valid URL".into(),
    })?;
    let params = parsed.search_params();
    for (name, value) in query {
        params.append(name, value);
    }
    Ok(parsed.href())
}

/// Refuses header names and values that `fetch` would reject, with a clear
/// message, before anything is sent.
pub(super) fn check_headers(headers: &[(String, String)]) -> Result<(), HttpError> {
    for (name, value) in headers {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(HttpError::InvalidRequest {
                reason: format!("{name:?} is not a valid header name"),
            });
        }
        if value.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
            return Err(HttpError::InvalidRequest {
                reason: format!("the value of header {name:?} contains a line break or NUL"),
            });
        }
    }
    Ok(())
}
