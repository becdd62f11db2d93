//! `loop.run_in_executor` and `concurrent.futures` executors.
//!
//! A job is a module-level function of the program, found by name, as
//! CPython's process pools find it after pickling; a lambda or a nested
//! function fails as pickling does, with CPython's message. Natively there
//! are no workers: the job runs inline, blocking the loop, and the run
//! says so once.

use rustpython_vm::builtins::{PyDictRef, PyTupleRef};
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

use crate::natives::def;
use crate::state;

/// CPython's pickling error for a function a worker cannot find by name.
fn check_picklable(vm: &VirtualMachine, func: &PyObjectRef) -> PyResult<String> {
    let qualname = func
        .get_attr("__qualname__", vm)
        .and_then(|q| q.str(vm).map(|s| s.to_string()))
        .unwrap_or_default();
    let repr = func.repr(vm).map(|r| r.to_string()).unwrap_or_default();
    if qualname.contains("<locals>") {
        return Err(vm.new_attribute_error(format!("Can't pickle local object '{qualname}'")));
    }
    if qualname.contains("<lambda>") || qualname.contains('.') {
        let pickling = vm.ctx.exceptions.type_error.to_owned();
        let _ = pickling;
        return Err(vm.new_exception_msg(
            vm.ctx.exceptions.attribute_error.to_owned(),
            format!("Can't pickle {repr}: attribute lookup {qualname} on __main__ failed").into(),
        ));
    }
    Ok(qualname)
}

/// Installs the executor natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(
        vm,
        d,
        "run_in_executor",
        |processes: bool, func: PyObjectRef, args: PyTupleRef, vm: &VirtualMachine| -> PyResult {
            if processes {
                check_picklable(vm, &func)?;
            }
            if let Some(run) = state::current() {
                run.notice(
                    "run_in_worker",
                    "no Web Workers here: executor jobs run inline, and the loop waits for them",
                );
            }
            // Inline: the call runs now, as the runtime's inline executor
            // runs its jobs; the face's future holds its outcome.
            func.call(args.as_slice().to_vec(), vm)
        },
    )?;
    Ok(())
}
