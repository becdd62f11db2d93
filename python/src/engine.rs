//! The interpreter: `rustpython-vm` without its standard library, with this
//! crate's modules installed (`asyncio`, `time`, `random`, `json`,
//! `functools`, `aiohttp`, `concurrent.futures`) and its output captured.
//!
//! # Invariants
//! - One engine per thread is *current*: the one whose program is running.
//!   Code that is polled by the event loop outside any Python call (task
//!   drivers, callbacks) reaches the interpreter through [`with_vm`].
//! - An engine can run many programs, one after another; each run gets
//!   fresh module state (`asyncio` and friends are re-made per run), so a
//!   run cannot see the previous one's tasks or loops.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use rustpython_vm::builtins::{PyDictRef, PyModule};
use rustpython_vm::class::PyClassImpl;
use rustpython_vm::compiler::Mode;
use rustpython_vm::{
    AsObject, Interpreter, PyObjectRef, PyRef, PyResult, Settings, VirtualMachine,
};

use crate::handle::Handle;

thread_local! {
    static CURRENT: RefCell<Vec<Rc<Interpreter>>> = const { RefCell::new(Vec::new()) };
}

/// A Python interpreter with this crate's modules, ready to run programs
/// (see [`run_program`](crate::run_program)).
///
/// Creating one takes a while (the interpreter's types and builtins are
/// made); reuse it for later runs.
///
/// # Examples
/// ```
/// let engine = asyncio_python::Engine::new();
/// let report = asyncio_python::run_program(&engine, "print(6 * 7)", &Default::default());
/// assert_eq!(report.stdout(), "42\n");
/// ```
pub struct Engine {
    interp: Rc<Interpreter>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// A fresh interpreter.
    pub fn new() -> Engine {
        let mut settings = Settings::default();
        settings.install_signal_handlers = false;
        settings.import_site = false;
        let interp = Interpreter::builder(settings).build();
        interp.enter(|vm| {
            Handle::make_static_type();
            let _ = vm
                .sys_module
                .set_attr("dont_write_bytecode", vm.ctx.new_bool(true), vm);
        });
        Engine {
            interp: Rc::new(interp),
        }
    }

    /// Makes this engine current until the guard drops.
    pub(crate) fn make_current(&self) -> impl Drop {
        CURRENT.with(|stack| stack.borrow_mut().push(Rc::clone(&self.interp)));
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                CURRENT.with(|stack| stack.borrow_mut().pop());
            }
        }
        Pop
    }

    /// Runs `f` with this engine current (see [`with_vm`]).
    pub(crate) fn enter<R>(&self, f: impl FnOnce(&VirtualMachine) -> R) -> R {
        CURRENT.with(|stack| stack.borrow_mut().push(Rc::clone(&self.interp)));
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                CURRENT.with(|stack| stack.borrow_mut().pop());
            }
        }
        let _pop = Pop;
        self.interp.enter(f)
    }
}

/// Runs `f` with the current engine's interpreter; `None` when no program
/// is running on this thread (a task polled after its run ended).
pub(crate) fn with_vm<R>(f: impl FnOnce(&VirtualMachine) -> R) -> Option<R> {
    let interp = CURRENT.with(|stack| stack.borrow().last().cloned())?;
    Some(interp.enter(f))
}

/// Makes a module named `name` from Python `source` and registers it in
/// `sys.modules`.
pub(crate) fn source_module(
    vm: &VirtualMachine,
    name: &str,
    source: &str,
) -> PyResult<PyRef<PyModule>> {
    let dict = vm.ctx.new_dict();
    let module = vm.new_module(name, dict.clone(), None);
    register(vm, name, module.clone().into())?;
    let code = vm
        .compile(source, Mode::Exec, format!("<{name}>"))
        .map_err(|err| vm.new_syntax_error(&err, Some(source)))?;
    let scope = rustpython_vm::scope::Scope::with_builtins(None, dict, vm);
    vm.run_code_obj(code, scope)?;
    Ok(module)
}

/// Makes an empty module named `name`, registered in `sys.modules`.
pub(crate) fn native_module(
    vm: &VirtualMachine,
    name: &str,
) -> PyResult<(PyRef<PyModule>, PyDictRef)> {
    let dict = vm.ctx.new_dict();
    let module = vm.new_module(name, dict.clone(), None);
    register(vm, name, module.clone().into())?;
    Ok((module, dict))
}

/// `sys.modules[name] = module`.
pub(crate) fn register(vm: &VirtualMachine, name: &str, module: PyObjectRef) -> PyResult<()> {
    let modules = vm.sys_module.get_attr("modules", vm)?;
    modules.set_item(name, module, vm)
}

/// Removes `name` from `sys.modules`.
pub(crate) fn unregister(vm: &VirtualMachine, name: &str) {
    if let Ok(modules) = vm.sys_module.get_attr("modules", vm) {
        let _ = modules.del_item(name, vm);
    }
    let _ = vm.sys_module.as_object();
}
