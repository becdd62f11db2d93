//! Jobs known by name: the functions an executor can run.
//!
//! A worker runs the same WebAssembly package as the page, but in its own
//! instance, so jobs are plain functions registered by name in each
//! instance (the page's and every worker's, by the same registration
//! function), with arguments and results passed as JSON.
//!
//! Each name also gets an index in its instance, kept when the name is
//! registered again: a worker looks a name up once and then calls the job
//! by its index. Indices are never compared across instances.

use std::cell::RefCell;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A registered job: JSON arguments in, JSON result out. Shared, so a call
/// holds no borrow of the registry while the job runs (a job may register
/// others).
type JobFn = Rc<dyn Fn(&str) -> Result<String, String>>;

thread_local! {
    /// By index, with their names. An application registers a handful of
    /// jobs and a worker looks each name up once, so a list searched in
    /// order serves (and keeps the module smaller than a map).
    static JOBS: RefCell<Vec<(String, JobFn)>> = const { RefCell::new(Vec::new()) };
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
    let job: JobFn = Rc::new(move |args: &str| {
        let args: A = serde_json::from_str(args)
            .map_err(|err| format!("the arguments do not fit the job: {err}"))?;
        serde_json::to_string(&f(args))
            .map_err(|err| format!("the result does not serialise: {err}"))
    });
    let _ = JOBS.try_with(|jobs| {
        let mut jobs = jobs.borrow_mut();
        match jobs.iter_mut().find(|(known, _)| known == name) {
            Some((_, known)) => *known = job,
            None => jobs.push((name.to_string(), job)),
        }
    });
}

/// Whether a job is registered as `name` in this instance.
pub fn is_registered(name: &str) -> bool {
    find(name).is_some()
}

/// The index of the job `name` in this instance, if it is registered.
pub(crate) fn find(name: &str) -> Option<u32> {
    let index = JOBS.try_with(|jobs| jobs.borrow().iter().position(|(known, _)| known == name));
    index.ok().flatten().and_then(|i| u32::try_from(i).ok())
}

/// What calling a job gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Called {
    Done(String),
    Failed(String),
    Unknown,
}

/// Runs the job `name` with JSON `args`.
pub(crate) fn call(name: &str, args: &str) -> Called {
    match find(name) {
        Some(index) => call_index(index, args),
        None => Called::Unknown,
    }
}

/// Runs the job at `index` (from [`find`]) with JSON `args`.
pub(crate) fn call_index(index: u32, args: &str) -> Called {
    let job = JOBS.try_with(|jobs| {
        let jobs = jobs.borrow();
        jobs.get(index as usize).map(|(_, job)| Rc::clone(job))
    });
    match job.map(|job| job.map(|job| job(args))) {
        Ok(Some(Ok(result))) => Called::Done(result),
        Ok(Some(Err(message))) => Called::Failed(message),
        Ok(None) | Err(_) => Called::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add_one(x: u32) -> u32 {
        x + 1
    }

    fn add_two(x: u32) -> u32 {
        x + 2
    }

    #[test]
    fn a_name_keeps_its_index_when_registered_again() {
        register("registry_test_add", add_one);
        let index = find("registry_test_add").expect("registered");
        assert_eq!(call_index(index, "1"), Called::Done("2".into()));
        register("registry_test_add", add_two);
        assert_eq!(find("registry_test_add"), Some(index));
        assert_eq!(call("registry_test_add", "1"), Called::Done("3".into()));
    }

    #[test]
    fn unknown_names_and_indices_are_unknown() {
        assert_eq!(find("registry_test_nothing"), None);
        assert_eq!(call("registry_test_nothing", "null"), Called::Unknown);
        assert_eq!(call_index(u32::MAX, "null"), Called::Unknown);
    }

    #[test]
    fn arguments_that_do_not_fit_fail_the_call() {
        register("registry_test_bad_args", add_one);
        match call("registry_test_bad_args", "\"one\"") {
            Called::Failed(message) => assert!(message.contains("do not fit"), "{message}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}
