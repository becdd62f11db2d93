//! Query-string parameters for the API, read strictly.
//!
//! A query is at most [`MAX_QUERY_LEN`] bytes; every parameter must be
//! one the endpoint knows and may appear at most once, so a typo such as
//! `?delay=3000` is refused rather than silently ignored. Delays are
//! whole milliseconds from 0 to [`MAX_DELAY_MS`].

use std::time::Duration;

use axum::http::StatusCode;

use crate::api_error::ApiError;

/// The longest query string accepted, in bytes.
pub(crate) const MAX_QUERY_LEN: usize = 256;

/// The longest delay a request may ask for, in milliseconds.
pub(crate) const MAX_DELAY_MS: u64 = 30_000;

/// The parameters of one query, as `(name, value)` pairs in order.
#[derive(Debug)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Splits a raw query (without the `?`), refusing one that is too
    /// long or that names a parameter not in `known`.
    pub(crate) fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_LEN {
            return Err(ApiError::new(
                StatusCode::URI_TOO_LONG,
                format!("the query string is longer than {MAX_QUERY_LEN} bytes"),
            ));
        }
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        if let Some((name, _)) = pairs
            .iter()
            .find(|(name, _)| !known.contains(&name.as_str()))
        {
            return Err(ApiError::bad_request(format!(
                "unknown parameter `{name}`: expected {}",
                known.join(", ")
            )));
        }
        Ok(Params { pairs })
    }

    /// The value of `name`, if given; an error if it is given twice.
    pub(crate) fn get(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.pairs.iter().filter(|(key, _)| key == name);
        let first = values.next().map(|(_, value)| value.as_str());
        if values.next().is_some() {
            return Err(ApiError::bad_request(format!("{name} must be given once")));
        }
        Ok(first)
    }

    /// The delay in parameter `name`, or `None` if it is absent.
    pub(crate) fn delay(&self, name: &str) -> Result<Option<Duration>, ApiError> {
        self.get(name)?
            .map(|value| {
                parse_delay_ms(value)
                    .map(Duration::from_millis)
                    .ok_or_else(|| delay_error(name))
            })
            .transpose()
    }
}

/// The error for a delay parameter that is missing or out of range.
pub(crate) fn delay_error(name: &str) -> ApiError {
    ApiError::bad_request(format!(
        "{name} must be an integer from 0 to {MAX_DELAY_MS}"
    ))
}

/// A whole number of milliseconds from 0 to [`MAX_DELAY_MS`], written in
/// ASCII digits only (no sign, no spaces, no fraction).
pub(crate) fn parse_delay_ms(value: &str) -> Option<u64> {
    // Ten digits cannot overflow a u64 and cover every leading-zero form
    // a person is likely to type.
    if value.is_empty() || value.len() > 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().filter(|ms| *ms <= MAX_DELAY_MS)
}
