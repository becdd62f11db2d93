//! `GET /api/page/{n}`: a small page of items for the gather example.
//!
//! Pages 0 to [`LAST_PAGE`] exist. Each is the same every time it is
//! asked for, and pages differ in how many items they hold and how long
//! their texts are, so their sizes differ too. `?delay_ms=N` (0 to
//! 30 000) makes the answer wait N milliseconds, like a slow server.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// The highest page number.
pub(crate) const LAST_PAGE: u16 = 999;

/// Words the item texts are made of.
const WORDS: &[&str] = &[
    "event", "loop", "task", "future", "await", "timer", "queue", "gather", "sleep", "yield",
    "cancel", "result",
];

/// The body of a page.
#[derive(Debug, Serialize)]
pub(crate) struct Page {
    page: u16,
    title: String,
    items: Vec<Item>,
}

/// One item of a page.
#[derive(Debug, Serialize)]
struct Item {
    id: u32,
    name: String,
    text: String,
}

/// `GET /api/page/{n}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    number: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Json<Page>, ApiError> {
    let number = number
        .ok()
        .and_then(|Path(text)| parse_page_number(&text))
        .ok_or_else(|| {
            ApiError::not_found(format!("page must be an integer from 0 to {LAST_PAGE}"))
        })?;
    let params = Params::parse(query.as_deref(), &["delay_ms"])?;
    let wait = params.delay("delay_ms")?;
    state.stats.page_requested();
    if let Some(wait) = wait {
        tokio::time::sleep(wait).await;
    }
    Ok(Json(build(number)))
}

/// A page number in its plain decimal form: `7`, not `07` or `+7`.
fn parse_page_number(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u16 = text.parse().ok()?;
    (number <= LAST_PAGE && number.to_string() == text).then_some(number)
}

/// Page `number`: 3 to 7 items, with texts of 2 to 7 words.
fn build(number: u16) -> Page {
    let n = usize::from(number);
    let count = 3 + n % 5;
    let items = (0..count)
        .map(|i| {
            let seed = n * 7 + i * 13;
            let words = 2 + seed % 6;
            let text = (0..words)
                .map(|k| WORDS[(seed + k) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ");
            Item {
                id: u32::from(number) * 10 + u32::try_from(i).unwrap_or(0),
                name: format!("Item {} of page {number}", i + 1),
                text,
            }
        })
        .collect();
    Page {
        page: number,
        title: format!("Page {number}"),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_plain_decimals_up_to_999() {
        assert_eq!(parse_page_number("0"), Some(0));
        assert_eq!(parse_page_number("999"), Some(999));
        for bad in ["", "1000", "07", "+7", "-1", "7a", " 7", "٣"] {
            assert_eq!(parse_page_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn pages_are_deterministic_and_differ_in_size() {
        let size = |n| serde_json::to_string(&build(n)).map(|s| s.len()).ok();
        assert_eq!(size(5), size(5));
        let sizes: std::collections::BTreeSet<_> = (0..10).map(size).collect();
        assert!(sizes.len() >= 5, "{sizes:?}");
    }
}
