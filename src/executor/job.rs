//! A submitted job's future.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use super::handle::Executor;
use super::ExecutorError;
use crate::runtime::context;
use crate::trace::WaitReason;

/// The future of a job's result. Dropping it before it resolves cancels the
/// job: removed from the queue if it has not started, its worker terminated
/// if it is running.
#[must_use = "jobs are cancelled when their future is dropped"]
pub struct JobFuture<R> {
    executor: Executor,
    job: Result<u64, Option<ExecutorError>>,
    name: Rc<str>,
    _result: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for JobFuture<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobFuture")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<R> JobFuture<R> {
    pub(super) fn new(executor: Executor, name: Rc<str>, job: Result<u64, ExecutorError>) -> Self {
        JobFuture {
            executor,
            job: job.map_err(Some),
            name,
            _result: PhantomData,
        }
    }
}

impl<R: DeserializeOwned> Future for JobFuture<R> {
    type Output = Result<R, ExecutorError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let id = match &mut self.job {
            Ok(id) => *id,
            Err(err) => {
                return match err.take() {
                    Some(err) => Poll::Ready(Err(err)),
                    None => Poll::Pending,
                }
            }
        };
        match self.executor.poll_job(id, cx) {
            Poll::Pending => {
                context::note_wait(WaitReason::Executor);
                Poll::Pending
            }
            Poll::Ready(outcome) => {
                self.job = Err(None);
                Poll::Ready(outcome.and_then(|json| {
                    serde_json::from_str(&json).map_err(|err| ExecutorError::Serialization {
                        name: self.name.to_string(),
                        message: format!("the result does not fit the expected type: {err}"),
                    })
                }))
            }
        }
    }
}

impl<R> Drop for JobFuture<R> {
    fn drop(&mut self) {
        if let Ok(id) = self.job {
            self.executor.cancel_job(id);
        }
    }
}
