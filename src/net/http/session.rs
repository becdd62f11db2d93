//! The client session: shared settings for many requests.

use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use super::request::RequestBuilder;
use super::HttpError;
use crate::sync::Semaphore;

pub(super) struct Settings {
    pub(super) base_url: Option<String>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) timeout: Option<Duration>,
    pub(super) limit: Option<Semaphore>,
}

/// An HTTP client session (aiohttp's `ClientSession`): an optional base
/// URL, default headers, a total timeout per request, and a limit on
/// concurrent requests. Cloning shares the session.
///
/// # Examples
/// ```no_run
/// use std::time::Duration;
/// use asyncio::net::http::ClientSession;
///
/// # async fn demo() -> Result<(), asyncio::net::http::HttpError> {
/// let session = ClientSession::builder()
///     .base_url("http://127.0.0.1:8000")
///     .timeout(Duration::from_secs(10))
///     .limit(4)
///     .build()?;
/// let body = session.get("/api/delay").query("ms", "500").send().await?.text().await?;
/// asyncio::print(body);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ClientSession {
    pub(super) settings: Rc<Settings>,
}

impl fmt::Debug for ClientSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSession")
            .field("base_url", &self.settings.base_url)
            .field("timeout", &self.settings.timeout)
            .finish_non_exhaustive()
    }
}

impl Default for ClientSession {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientSession {
    /// A session with no base URL, no default headers, no timeout and no limit.
    pub fn new() -> Self {
        ClientSession {
            settings: Rc::new(Settings {
                base_url: None,
                headers: Vec::new(),
                timeout: None,
                limit: None,
            }),
        }
    }

    /// A builder for a session with settings.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// The base URL relative URLs are resolved against.
    pub fn base_url(&self) -> Option<&str> {
        self.settings.base_url.as_deref()
    }

    /// A `GET` request.
    pub fn get(&self, url: &str) -> RequestBuilder {
        self.request("GET", url)
    }

    /// A `POST` request.
    pub fn post(&self, url: &str) -> RequestBuilder {
        self.request("POST", url)
    }

    /// A `PUT` request.
    pub fn put(&self, url: &str) -> RequestBuilder {
        self.request("PUT", url)
    }

    /// A `DELETE` request.
    pub fn delete(&self, url: &str) -> RequestBuilder {
        self.request("DELETE", url)
    }

    /// A `HEAD` request.
    pub fn head(&self, url: &str) -> RequestBuilder {
        self.request("HEAD", url)
    }

    /// A request with any method.
    pub fn request(&self, method: &str, url: &str) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, url)
    }
}

/// Builds a [`ClientSession`].
#[derive(Debug, Default)]
pub struct SessionBuilder {
    base_url: Option<String>,
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    limit: Option<usize>,
}

impl SessionBuilder {
    /// Relative URLs are resolved against this absolute URL.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_string());
        self
    }

    /// A header sent with every request.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The total time a request may take, from sending to the last byte of
    /// its body; at the deadline the request is aborted.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// At most `n` requests in flight at once (aiohttp's connector limit);
    /// the others wait, first come first served.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Builds the session.
    ///
    /// # Errors
    /// [`HttpError::InvalidUrl`] for a base URL that is not an absolute
    /// `http:`/`https:` URL; [`HttpError::InvalidRequest`] for a limit of 0
    /// or a bad header.
    pub fn build(self) -> Result<ClientSession, HttpError> {
        if let Some(base) = &self.base_url {
            super::request::absolute_url(base, None)?;
        }
        if self.limit == Some(0) {
            return Err(HttpError::InvalidRequest {
                reason: "the limit on concurrent requests must be at least 1".into(),
            });
        }
        super::request::check_headers(&self.headers)?;
        Ok(ClientSession {
            settings: Rc::new(Settings {
                base_url: self.base_url,
                headers: self.headers,
                timeout: self.timeout,
                limit: self.limit.map(Semaphore::new),
            }),
        })
    }
}
