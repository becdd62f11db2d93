//! `http-gather`: several pages fetched at once, collected with `gather` in
//! the order they were asked for, whatever order they arrive in.

use asyncio::net::http::{ClientSession, HttpError};
use asyncio::{create_task, gather, print};
use serde::Deserialize;

use crate::catalogue::Params;

/// The part of a page this example reads.
#[derive(Deserialize)]
struct Page {
    title: String,
    items: Vec<serde::de::IgnoredAny>,
}

/// What one fetch gives: the page and its size in bytes.
struct Fetched {
    page: Page,
    bytes: usize,
}

/// Fetches page `n`; the server waits `delay_ms` before answering.
async fn fetch_page(
    session: ClientSession,
    n: usize,
    delay_ms: usize,
) -> Result<Fetched, HttpError> {
    let url = format!("/api/page/{n}");
    let body = session
        .get(&url)
        .query("delay_ms", &delay_ms.to_string())
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let page = serde_json::from_str(&body).map_err(|err| HttpError::Body {
        url,
        message: err.to_string(),
    })?;
    print(format_args!("page {n} arrived"));
    Ok(Fetched {
        page,
        bytes: body.len(),
    })
}

/// Says that the server could not be reached, and what to do.
fn needs_server(params: &Params) {
    print(format_args!(
        "could not reach the development server at '{}': this example needs it \
         (start it with `cargo xtask serve`) or another base URL",
        params.base_url()
    ));
}

/// Fetches pages 1 to `pages` together, the first ones slowest, and prints
/// them in request order.
pub async fn main(params: Params) {
    let pages = params.count("pages");
    let session = match ClientSession::builder().base_url(params.base_url()).build() {
        Ok(session) => session,
        Err(_) => return needs_server(&params),
    };
    let tasks: Vec<_> = (1..=pages)
        .map(|n| {
            // Later pages answer sooner, so they arrive out of order.
            let task = create_task(fetch_page(session.clone(), n, (pages - n + 1) * 200));
            task.set_name(format!("page {n}"));
            task
        })
        .collect();
    let Ok(results) = gather(tasks).await else {
        return print("a fetch was cancelled");
    };
    // gather returns the results in the order of its arguments.
    for (n, result) in (1..=pages).zip(results) {
        match result {
            Ok(Fetched { page, bytes }) => print(format_args!(
                "{}: {} items, {bytes} bytes",
                page.title,
                page.items.len()
            )),
            Err(HttpError::Network { .. }) => return needs_server(&params),
            Err(err) => print(format_args!("page {n} failed: {err}")),
        }
    }
}
