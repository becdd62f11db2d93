//! The executor handle: a job table shared by its two kinds, a pool of Web
//! Workers and the inline fallback.
//!
//! # Invariants
//! - A job is `Queued`, then `Running` (on a worker lane, or inline), then
//!   `Done` with its outcome, which its future takes; a job whose future is
//!   dropped leaves the table at once, wherever it was.
//! - Table borrows are never held while a waker is woken or JavaScript is
//!   called.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::job::JobFuture;
use super::registry::{self, Called};
use super::table::IdTable;
use super::ExecutorError;
use crate::runtime::external::ExternalWait;
use crate::runtime::trace_sink::TraceSink;
use crate::trace::TraceEvent;

/// Which kind of executor this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecutorKind {
    /// A pool of Web Workers: jobs run in parallel, off the loop.
    Workers,
    /// Jobs run on the loop itself, blocking it while they run.
    Inline,
}

/// Where a pool's workers get their script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WorkerScript {
    /// The script file wasm-bindgen emits beside the package: a same-origin
    /// URL, which a `script-src 'self'` Content-Security-Policy allows.
    /// When the package is served from another origin than the page's, the
    /// worker starts from a `blob:` module that imports the file (served
    /// with CORS), since a worker's own script must be same-origin.
    #[default]
    File,
    /// The script's text as a `blob:` URL, for hosts that cannot serve the
    /// package's snippet files to workers (some test harnesses). A
    /// `script-src 'self'` policy blocks it.
    Blob,
}

/// Settings for a pool of workers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    /// How many workers (at least 1).
    pub workers: usize,
    /// The package's export each worker calls to register its jobs
    /// (`None`: call nothing).
    pub setup_export: Option<String>,
    /// Where the workers get their script.
    pub script: WorkerScript,
}

impl Default for PoolOptions {
    /// The browser's hardware concurrency capped at 4, and `register_jobs`.
    fn default() -> Self {
        PoolOptions {
            workers: default_workers(),
            setup_export: Some("register_jobs".into()),
            script: WorkerScript::File,
        }
    }
}

fn default_workers() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        let cores = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
            .and_then(|navigator| js_sys::Reflect::get(&navigator, &"hardwareConcurrency".into()))
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(2.0);
        (cores as usize).clamp(1, 4)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        1
    }
}

pub(super) enum JobState {
    Queued,
    Running,
    Done(Result<String, ExecutorError>),
}

pub(super) struct JobEntry {
    /// Shared with the job's future, for its errors.
    pub(super) name: Rc<str>,
    /// Given up (left empty) when the job starts.
    pub(super) args: String,
    pub(super) state: JobState,
    pub(super) waker: Option<Waker>,
    pub(super) lp: TraceSink,
    /// A job on a worker is outside the loop until it ends.
    outside: Option<ExternalWait>,
}

pub(super) struct Inner {
    kind: ExecutorKind,
    /// By id, which counts up: in the order submitted.
    pub(super) jobs: RefCell<IdTable<JobEntry>>,
    next_job: Cell<u64>,
    warned: Cell<bool>,
    shut_down: Cell<bool>,
    /// Woken whenever a job ends: `shutdown(wait)` waits on them.
    idle_waiters: RefCell<Vec<Waker>>,
    #[cfg(target_arch = "wasm32")]
    pub(super) pool: Option<super::pool::Pool>,
}

impl Inner {
    fn wake_idle_waiters(&self) {
        let waiters = std::mem::take(&mut *self.idle_waiters.borrow_mut());
        for waker in waiters {
            waker.wake();
        }
    }
}

/// Where [`run_in_executor`](crate::EventLoop::run_in_executor) jobs run.
/// Cloning shares the executor.
#[derive(Clone)]
pub struct Executor {
    pub(super) inner: Rc<Inner>,
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("kind", &self.inner.kind)
            .field("jobs", &self.inner.jobs.borrow().len())
            .finish_non_exhaustive()
    }
}

impl Executor {
    fn with_kind(kind: ExecutorKind) -> Inner {
        Inner {
            kind,
            jobs: RefCell::new(IdTable::new()),
            next_job: Cell::new(0),
            warned: Cell::new(false),
            shut_down: Cell::new(false),
            idle_waiters: RefCell::new(Vec::new()),
            #[cfg(target_arch = "wasm32")]
            pool: None,
        }
    }

    /// An executor that runs jobs on the loop itself: each job blocks the
    /// loop while it runs. Its first job prints a warning to the loop's
    /// output, so the change of behaviour is never silent.
    ///
    /// # Examples
    /// ```
    /// fn double(x: i32) -> i32 {
    ///     x * 2
    /// }
    /// asyncio::executor::register("double", double);
    /// let executor = asyncio::executor::Executor::inline();
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// let out: Result<i32, _> = lp
    ///     .run_until_complete(executor.submit("double", &21))
    ///     .block()
    ///     .unwrap();
    /// assert_eq!(out, Ok(42));
    /// ```
    pub fn inline() -> Executor {
        Executor {
            inner: Rc::new(Self::with_kind(ExecutorKind::Inline)),
        }
    }

    /// A pool of Web Workers.
    ///
    /// # Errors
    /// [`ExecutorError::WorkersUnavailable`] where this host cannot create
    /// workers (natively, always).
    pub fn workers(options: PoolOptions) -> Result<Executor, ExecutorError> {
        #[cfg(target_arch = "wasm32")]
        {
            super::pool::Pool::check()?;
            let inner = Rc::new_cyclic(|weak| {
                let mut inner = Self::with_kind(ExecutorKind::Workers);
                inner.pool = Some(super::pool::Pool::new(options, weak.clone()));
                inner
            });
            Ok(Executor { inner })
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = options;
            Err(ExecutorError::WorkersUnavailable {
                reason: "Web Workers exist only in a browser".into(),
            })
        }
    }

    /// A pool of workers with the default [`PoolOptions`] where workers can
    /// be created, the inline executor elsewhere.
    pub fn for_this_host() -> Executor {
        Executor::workers(PoolOptions::default()).unwrap_or_else(|_| Executor::inline())
    }

    /// Which kind of executor this is.
    pub fn kind(&self) -> ExecutorKind {
        self.inner.kind
    }

    /// Workers started so far, replacements included (0 for inline).
    pub fn workers_started(&self) -> u32 {
        #[cfg(target_arch = "wasm32")]
        if let Some(pool) = &self.inner.pool {
            return pool.started();
        }
        0
    }

    /// Submits the job `name` with `args`; the future gives its result.
    /// Jobs wait first in first out for a free worker.
    pub fn submit<A, R>(&self, name: &str, args: &A) -> JobFuture<R>
    where
        A: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let name: Rc<str> = Rc::from(name);
        let job = self.enqueue(&name, args);
        JobFuture::new(self.clone(), name, job)
    }

    fn enqueue<A: Serialize + ?Sized>(
        &self,
        name: &Rc<str>,
        args: &A,
    ) -> Result<u64, ExecutorError> {
        if self.inner.shut_down.get() {
            return Err(ExecutorError::ShutDown);
        }
        let args = serde_json::to_string(args).map_err(|err| ExecutorError::Serialization {
            name: name.to_string(),
            message: err.to_string(),
        })?;
        let id = self.inner.next_job.get() + 1;
        self.inner.next_job.set(id);
        let lp = TraceSink::running();
        trace(&lp, || TraceEvent::JobQueued {
            job: id,
            name: name.to_string(),
        });
        self.inner.jobs.borrow_mut().insert(
            id,
            JobEntry {
                name: Rc::clone(name),
                args,
                state: JobState::Queued,
                waker: None,
                lp,
                outside: (self.inner.kind == ExecutorKind::Workers).then(ExternalWait::begin),
            },
        );
        #[cfg(target_arch = "wasm32")]
        if let Some(pool) = &self.inner.pool {
            pool.enqueue(id);
        }
        Ok(id)
    }

    pub(super) fn poll_job(
        &self,
        id: u64,
        cx: &Context<'_>,
    ) -> Poll<Result<String, ExecutorError>> {
        if self.inner.kind == ExecutorKind::Inline {
            self.run_inline(id);
        }
        let mut jobs = self.inner.jobs.borrow_mut();
        let done = match jobs.get(&id) {
            None => return Poll::Ready(Err(ExecutorError::ShutDown)),
            Some(entry) => matches!(entry.state, JobState::Done(_)),
        };
        if done {
            if let Some(JobEntry {
                state: JobState::Done(outcome),
                ..
            }) = jobs.remove(&id)
            {
                return Poll::Ready(outcome);
            }
        }
        let Some(entry) = jobs.get_mut(&id) else {
            return Poll::Ready(Err(ExecutorError::ShutDown));
        };
        match &mut entry.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    fn run_inline(&self, id: u64) {
        let job = {
            let mut jobs = self.inner.jobs.borrow_mut();
            match jobs.get_mut(&id) {
                Some(entry) if matches!(entry.state, JobState::Queued) => {
                    entry.state = JobState::Running;
                    Some((
                        Rc::clone(&entry.name),
                        std::mem::take(&mut entry.args),
                        entry.lp.clone(),
                    ))
                }
                _ => None,
            }
        };
        let Some((name, args, lp)) = job else { return };
        if !self.inner.warned.replace(true) {
            crate::print(
                "warning: Web Workers are not available here, so executor jobs run inline \
                 on the event loop and block it while they run",
            );
        }
        trace(&lp, || TraceEvent::JobStarted {
            job: id,
            worker: None,
        });
        let outcome = outcome_of(&name, registry::call(&name, &args));
        self.complete(id, None, outcome);
    }

    /// Records a job's outcome and wakes its future.
    pub(super) fn complete_inner(
        inner: &Inner,
        id: u64,
        worker: Option<u32>,
        outcome: Result<String, ExecutorError>,
    ) {
        let waker = {
            let mut jobs = inner.jobs.borrow_mut();
            let Some(entry) = jobs.get_mut(&id) else {
                return;
            };
            if matches!(entry.state, JobState::Done(_)) {
                return;
            }
            trace(&entry.lp, || TraceEvent::JobFinished {
                job: id,
                worker,
                outcome: match &outcome {
                    Ok(_) => "done".into(),
                    Err(err) => err.to_string(),
                },
            });
            entry.state = JobState::Done(outcome);
            entry.outside = None;
            entry.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        inner.wake_idle_waiters();
    }

    fn complete(&self, id: u64, worker: Option<u32>, outcome: Result<String, ExecutorError>) {
        Self::complete_inner(&self.inner, id, worker, outcome);
    }

    pub(super) fn cancel_job(&self, id: u64) {
        let removed = self.inner.jobs.borrow_mut().remove(&id);
        let Some(entry) = removed else { return };
        if !matches!(entry.state, JobState::Done(_)) {
            trace(&entry.lp, || TraceEvent::JobFinished {
                job: id,
                worker: None,
                outcome: "cancelled".into(),
            });
        }
        #[cfg(target_arch = "wasm32")]
        if let Some(pool) = &self.inner.pool {
            pool.cancel(id);
        }
        self.inner.wake_idle_waiters();
    }

    /// Ends the executor at once (see [`shutdown`](Self::shutdown)).
    pub(crate) fn shutdown_now(&self) {
        self.inner.shut_down.set(true);
        let pending: Vec<u64> = self.inner.jobs.borrow().keys().collect();
        for id in pending {
            self.complete(id, None, Err(ExecutorError::ShutDown));
        }
        #[cfg(target_arch = "wasm32")]
        if let Some(pool) = &self.inner.pool {
            pool.shutdown();
        }
    }

    /// Ends the executor. With `wait`, jobs already submitted finish first;
    /// without, they end at once with [`ExecutorError::ShutDown`] and
    /// running workers are terminated. Either way, later submissions fail
    /// with [`ExecutorError::ShutDown`].
    pub async fn shutdown(&self, wait: bool) {
        self.inner.shut_down.set(true);
        if wait {
            std::future::poll_fn(|cx| {
                let busy = self
                    .inner
                    .jobs
                    .borrow()
                    .values()
                    .any(|job| !matches!(job.state, JobState::Done(_)));
                if busy {
                    self.inner
                        .idle_waiters
                        .borrow_mut()
                        .push(cx.waker().clone());
                    return Poll::Pending;
                }
                Poll::Ready(())
            })
            .await;
        }
        self.shutdown_now();
    }
}

pub(super) fn outcome_of(name: &str, called: Called) -> Result<String, ExecutorError> {
    match called {
        Called::Done(json) => Ok(json),
        Called::Failed(message) => Err(ExecutorError::JobFailed {
            name: name.to_string(),
            message,
        }),
        Called::Unknown => Err(ExecutorError::UnknownJob {
            name: name.to_string(),
        }),
    }
}

pub(super) fn trace(lp: &TraceSink, event: impl FnOnce() -> TraceEvent) {
    lp.record(event);
}
