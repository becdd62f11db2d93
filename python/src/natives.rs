//! The `_aio` module: the natives the Python faces call, made fresh for
//! each run, and the helpers they share.

use rustpython_vm::builtins::{PyBaseExceptionRef, PyDictRef};
use rustpython_vm::function::{FuncArgs, IntoPyNativeFn};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use crate::compile::{IMPORT_STAR, STEP};
use crate::errors::{self, Kind as Exc};
use crate::state::{self, Exceeded};

/// `dict[name] = <native function f>`.
pub(crate) fn def<F, K>(
    vm: &VirtualMachine,
    dict: &PyDictRef,
    name: &'static str,
    f: F,
) -> PyResult<()>
where
    F: IntoPyNativeFn<K>,
{
    dict.set_item(name, vm.new_function(name, f).into(), vm)
}

/// What CPython's default exception handler prints for a callback that
/// raised: to the program's standard error.
pub(crate) fn report_callback_error(vm: &VirtualMachine, exc: &PyBaseExceptionRef) {
    let text = crate::traceback::format_exception(vm, exc, None);
    if let Some(run) = state::current() {
        run.write("Exception in callback\n", true);
        run.write(&text, true);
    }
}

/// The budget's exception: once exceeded, raised at every check.
pub(crate) fn budget_error(vm: &VirtualMachine, why: Exceeded) -> PyBaseExceptionRef {
    let Some(run) = state::current() else {
        return errors::new(vm, Exc::Budget, "the program was stopped");
    };
    match why {
        Exceeded::Steps => errors::new(
            vm,
            Exc::Budget,
            &format!(
                "the program ran for more than {} steps and was stopped (an endless loop?)",
                run.options.max_steps
            ),
        ),
        Exceeded::Memory => errors::new(
            vm,
            Exc::Memory,
            &format!(
                "the program used more than {} MB of memory and was stopped",
                run.options.max_memory >> 20
            ),
        ),
    }
}

/// Installs the natives shared by every face into the `_aio` module.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(vm, d, "write", |text: String, err: bool| {
        if let Some(run) = state::current() {
            run.write(&text, err);
        }
    })?;
    def(vm, d, "notice", |key: String, text: String| {
        if let Some(run) = state::current() {
            // Keys are a small fixed set from the prelude.
            let key: &'static str = match key.as_str() {
                "get_event_loop" => "get_event_loop",
                "wait_coroutines" => "wait_coroutines",
                "ensure_future" => "ensure_future",
                "run_until_complete" => "run_until_complete",
                "run_in_worker" => "run_in_worker",
                "run_inline" => "run_inline",
                _ => "other",
            };
            run.notice(key, &text);
        }
    })?;
    def(vm, d, "filename", || {
        state::current().map(|run| run.options.filename.clone())
    })?;
    def(vm, d, "now", |vm: &VirtualMachine| -> PyResult<f64> {
        let run = state::current().ok_or_else(|| vm.new_runtime_error("no running program"))?;
        Ok(run.now_ms() / 1000.0)
    })?;
    def(
        vm,
        d,
        "blocking_sleep",
        |secs: f64, vm: &VirtualMachine| -> PyResult<()> {
            if !secs.is_finite() || secs < 0.0 {
                return Err(vm.new_value_error("sleep length must be non-negative"));
            }
            let duration = std::time::Duration::from_secs_f64(secs);
            let run = state::current();
            match run.as_ref().and_then(|run| run.running_serial()) {
                Some(_) => asyncio::blocking_sleep(duration),
                None => {
                    if let Some(run) = &run {
                        if run.options.clock == asyncio::Clock::Virtual {
                            // Outside a loop on the virtual clock: time moves on.
                            run.clock_ms.set(run.clock_ms.get() + secs * 1000.0);
                            return Ok(());
                        }
                    }
                    asyncio::blocking_sleep(duration);
                }
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// Installs the program's builtins: the budget check and `import *`.
pub(crate) fn install_program_globals(vm: &VirtualMachine, globals: &PyDictRef) -> PyResult<()> {
    def(vm, globals, STEP, |vm: &VirtualMachine| -> PyResult<bool> {
        if let Some(run) = state::current() {
            if let Some(why) = run.step() {
                let exc = budget_error(vm, why);
                run.budget_exc
                    .borrow_mut()
                    .get_or_insert_with(|| exc.clone());
                return Err(exc);
            }
        }
        Ok(true)
    })?;
    def(
        vm,
        globals,
        IMPORT_STAR,
        |module: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
            let Some(run) = state::current() else {
                return Ok(());
            };
            let Some(globals) = run.globals.borrow().clone() else {
                return Ok(());
            };
            let names: Vec<String> = match module.get_attr("__all__", vm) {
                Ok(all) => {
                    vm.extract_elements_with(&all, |name| name.str(vm).map(|s| s.to_string()))?
                }
                Err(_) => {
                    let dict = module.get_attr("__dict__", vm)?;
                    let keys = vm.call_method(&dict, "keys", ())?;
                    vm.extract_elements_with(&keys, |name| name.str(vm).map(|s| s.to_string()))?
                        .into_iter()
                        .filter(|name| !name.starts_with('_'))
                        .collect()
                }
            };
            for name in names {
                let key = vm.ctx.new_str(name.as_str());
                let value = module.get_attr(&key, vm)?;
                globals.set_item(name.as_str(), value, vm)?;
            }
            Ok(())
        },
    )?;
    let _ = FuncArgs::default();
    let _ = vm.ctx.none().as_object();
    Ok(())
}
