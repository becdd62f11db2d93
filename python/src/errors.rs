//! The exceptions the natives raise: Python's own where it has one
//! (`TimeoutError`, `RuntimeError`…), asyncio's classes from the run's
//! `_aio` module otherwise.

use rustpython_vm::builtins::{PyBaseExceptionRef, PyTypeRef};
use rustpython_vm::{AsObject, PyObjectRef, VirtualMachine};

/// Python source of the exception classes asyncio adds.
pub(crate) const CLASSES: &str = r#"
class CancelledError(BaseException):
    """The operation was cancelled."""
CancelledError.__module__ = "asyncio.exceptions"

class InvalidStateError(Exception):
    """Invalid internal state of Future or Task."""
InvalidStateError.__module__ = "asyncio.exceptions"

class QueueEmpty(Exception):
    """Raised when Queue.get_nowait() is called on an empty Queue."""
QueueEmpty.__module__ = "asyncio.queues"

class QueueFull(Exception):
    """Raised when the Queue.put_nowait() method is called on a full Queue."""
QueueFull.__module__ = "asyncio.queues"

class ClientError(Exception):
    """Base class of aiohttp's client errors."""
ClientError.__module__ = "aiohttp.client_exceptions"

class ClientResponseError(ClientError):
    """An HTTP response with an error status (raise_for_status)."""
    def __init__(self, status, message, url):
        super().__init__(status, message, url)
        self.status = status
        self.message = message
        self.url = url
    def __str__(self):
        return f"{self.status}, message={self.message!r}, url={self.url!r}"
ClientResponseError.__module__ = "aiohttp.client_exceptions"

class PicklingError(Exception):
    """What pickling raises for an object it cannot send to a worker."""
PicklingError.__module__ = "_pickle"

class BudgetExceeded(BaseException):
    """The program ran past its step budget and was stopped."""
BudgetExceeded.__module__ = "builtins"
"#;

/// Which exception to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Cancelled,
    Timeout,
    InvalidState,
    QueueEmpty,
    QueueFull,
    Budget,
    Memory,
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    ClientError,
    Pickling,
}

fn class(vm: &VirtualMachine, name: &str) -> Option<PyTypeRef> {
    let dict = crate::state::current()?.aio.borrow().clone()?;
    let class = dict.get_item_opt(name, vm).ok().flatten()?;
    class.downcast::<rustpython_vm::builtins::PyType>().ok()
}

/// The class of `kind`.
pub(crate) fn class_of(vm: &VirtualMachine, kind: Kind) -> PyTypeRef {
    let excs = &vm.ctx.exceptions;
    let own = |name: &str| class(vm, name).unwrap_or_else(|| excs.runtime_error.to_owned());
    match kind {
        Kind::Cancelled => own("CancelledError"),
        Kind::InvalidState => own("InvalidStateError"),
        Kind::QueueEmpty => own("QueueEmpty"),
        Kind::QueueFull => own("QueueFull"),
        Kind::Budget => own("BudgetExceeded"),
        Kind::ClientError => own("ClientError"),
        Kind::Pickling => own("PicklingError"),
        Kind::Timeout => excs.timeout_error.to_owned(),
        Kind::Memory => excs.memory_error.to_owned(),
    }
}

/// A new exception of `kind`; an empty message makes one without arguments.
pub(crate) fn new(vm: &VirtualMachine, kind: Kind, message: &str) -> PyBaseExceptionRef {
    let args = if message.is_empty() {
        Vec::new()
    } else {
        vec![vm.ctx.new_str(message).into()]
    };
    let class = class_of(vm, kind);
    // Calling the class makes any exception right, OSError subtypes
    // (TimeoutError, ConnectionError) included.
    match class.as_object().call(args, vm) {
        Ok(obj) => obj
            .downcast::<rustpython_vm::builtins::PyBaseException>()
            .unwrap_or_else(|_| vm.new_runtime_error(message.to_string())),
        Err(exc) => exc,
    }
}

/// `CancelledError(message)`.
pub(crate) fn cancelled(vm: &VirtualMachine, message: Option<String>) -> PyBaseExceptionRef {
    new(vm, Kind::Cancelled, message.as_deref().unwrap_or(""))
}

/// Whether `exc` is a `CancelledError`.
pub(crate) fn is_cancelled(vm: &VirtualMachine, exc: &PyBaseExceptionRef) -> bool {
    exc.fast_isinstance(&class_of(vm, Kind::Cancelled))
}

/// The first argument of `exc` as text, if it has one that is a string.
pub(crate) fn message(vm: &VirtualMachine, exc: &PyBaseExceptionRef) -> Option<String> {
    let arg: PyObjectRef = exc.get_arg(0)?;
    if vm.is_none(&arg) {
        return None;
    }
    arg.str(vm).ok().map(|s| s.to_string())
}
