//! `http-concurrent`: requests to a slow endpoint, awaited one after another
//! and then all together.

use asyncio::net::http::{ClientSession, HttpError};
use asyncio::{create_task, gather, get_running_loop, print};

use crate::catalogue::Params;

/// One request: the endpoint answers after `ms` milliseconds.
async fn fetch(session: ClientSession, i: usize, ms: u64) -> Result<(), HttpError> {
    let response = session
        .get("/api/delay")
        .query("ms", &ms.to_string())
        .send()
        .await?;
    let status = response.status();
    let body = response.text().await?;
    print(format_args!("response {i}: {status} {body}"));
    Ok(())
}

/// The session for the development server, or why there is none.
fn session(params: &Params) -> Result<ClientSession, HttpError> {
    ClientSession::builder().base_url(params.base_url()).build()
}

/// Says what went wrong; an unreachable server gets a hint.
fn report(params: &Params, err: &HttpError) {
    match err {
        HttpError::Network { .. } | HttpError::InvalidUrl { .. } => print(format_args!(
            "could not reach the development server at '{}': this example needs it \
             (start it with `cargo xtask serve`) or another base URL",
            params.base_url()
        )),
        other => print(format_args!("the request failed: {other}")),
    }
}

/// The parameters: how many requests, and the server's delay in ms.
fn workload(params: &Params) -> (usize, u64) {
    (
        params.count("n"),
        (params.get("delay") * 1000.0).round() as u64,
    )
}

/// Each request waits for the previous one: the delays add up.
pub async fn sequential(params: Params) {
    let Ok(lp) = get_running_loop() else { return };
    let (n, ms) = workload(&params);
    let session = match session(&params) {
        Ok(session) => session,
        Err(err) => return report(&params, &err),
    };
    for i in 1..=n {
        if let Err(err) = fetch(session.clone(), i, ms).await {
            return report(&params, &err);
        }
    }
    print(format_args!("{n} requests took {:.2} s", lp.time()));
}

/// Every request is its own task, all in flight at once: the total is one
/// delay (per wave of 6: the browser's limit of connections per host).
pub async fn concurrent(params: Params) {
    let Ok(lp) = get_running_loop() else { return };
    let (n, ms) = workload(&params);
    let session = match session(&params) {
        Ok(session) => session,
        Err(err) => return report(&params, &err),
    };
    let tasks: Vec<_> = (1..=n)
        .map(|i| {
            let task = create_task(fetch(session.clone(), i, ms));
            task.set_name(format!("request {i}"));
            task
        })
        .collect();
    let outcomes = gather(tasks).await.unwrap_or_default();
    // Every request fails alike when the server is down: say it once.
    if let Some(err) = outcomes.iter().find_map(|outcome| outcome.as_ref().err()) {
        return report(&params, err);
    }
    print(format_args!("{n} requests took {:.2} s", lp.time()));
}
