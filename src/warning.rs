//! Warnings for learners, recorded in the trace: asyncio's debug mode as
//! data. The loop records some itself (a slow step, a task pending when
//! its loop closed); drivers of interpreted code report the rest.

use crate::runtime::context;
use crate::trace::{TaskId, TraceEvent, WarningKind};

/// Records a warning in the running loop's trace, if tracing is on: for
/// drivers of interpreted code, which know what the loop cannot (a Python
/// exception never retrieved, a coroutine never awaited). Outside a loop,
/// nothing.
///
/// # Examples
/// ```
/// use asyncio::{record_warning, TraceEvent, WarningKind};
///
/// let lp = asyncio::EventLoop::builder()
///     .clock(asyncio::Clock::Virtual)
///     .trace(true)
///     .build()
///     .unwrap();
/// lp.run_until_complete(async {
///     record_warning(WarningKind::NeverAwaited, None, "coroutine 'work' was never awaited");
/// })
/// .block()
/// .unwrap();
/// assert!(lp.trace().iter().any(|r| matches!(
///     &r.event,
///     TraceEvent::Warning { warning: WarningKind::NeverAwaited, .. }
/// )));
/// ```
pub fn record_warning(warning: WarningKind, task: Option<TaskId>, message: impl Into<String>) {
    let message = message.into();
    context::record(|| TraceEvent::Warning {
        task,
        warning,
        message,
    });
}
