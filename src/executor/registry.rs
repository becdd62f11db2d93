//! Jobs known by name: the functions an executor can run.
//!
//! A worker runs the same WebAssembly package as the page, but in its own
//! instance, so jobs are plain functions registered by name in each
//! instance (the page's and every worker's, by the same registration
//! function), with arguments and results passed as JSON.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A registered job: JSON arguments in, JSON result out.
type JobFn = Box<dyn Fn(&str) -> Result<String, String>>;

thread_local! {
    static JOBS: RefCell<HashMap<String, JobFn>> = RefCell::new(HashMap::new());
}

/// Registers `f` as the job `name`, replacing any job of that name. Its
/// argument and result travel as JSON, so they must (de)serialise.
///
/// # Examples
/// ```
/// fn square(x: u64) -> u64 {
///     x * x
/// }
/// asyncio::executor::register("square", square);
/// assert!(asyncio::executor::is_registered("square"));
/// ```
pub fn register<A, R>(name: &str, f: fn(A) -> R)
where
    A: DeserializeOwned + 'static,
    R: Serialize + 'static,
{
    let job: JobFn = Box::new(move |args: &str| {
        let args: A = serde_json::from_str(args)
            .map_err(|err| format!("the arguments do not fit the job: {err}"))?;
        serde_json::to_string(&f(args))
            .map_err(|err| format!("the result does not serialise: {err}"))
    });
    let _ = JOBS.try_with(|jobs| jobs.borrow_mut().insert(name.to_string(), job));
}

/// Whether a job is registered as `name` in this instance.
pub fn is_registered(name: &str) -> bool {
    JOBS.try_with(|jobs| jobs.borrow().contains_key(name))
        .unwrap_or(false)
}

/// What calling a job by name gave.
pub(crate) enum Called {
    Done(String),
    Failed(String),
    Unknown,
}

/// Runs the job `name` with JSON `args`.
pub(crate) fn call(name: &str, args: &str) -> Called {
    let outcome = JOBS.try_with(|jobs| jobs.borrow().get(name).map(|job| job(args)));
    match outcome {
        Ok(Some(Ok(result))) => Called::Done(result),
        Ok(Some(Err(message))) => Called::Failed(message),
        Ok(None) | Err(_) => Called::Unknown,
    }
}
