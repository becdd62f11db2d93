//! The modules around asyncio: `time` on the loop's clock, `random` on
//! Mersenne Twister (seeded runs repeat CPython's numbers), `json` over
//! serde_json, and the Python sources of `functools`, `json`, `random`,
//! `aiohttp`, `yarl` and `concurrent.futures`.

use std::cell::RefCell;

use rand_mt::Mt;
use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

use crate::natives::def;
use crate::state;

thread_local! {
    static RNG: RefCell<Mt> = RefCell::new(Mt::new(5489));
}

/// Seconds since the Unix epoch when the process looked, for `time.time()`.
fn epoch_now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() / 1000.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }
}

/// Installs the natives of `time` and `random` into `_aio`.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    let epoch = epoch_now();
    def(vm, d, "wall_clock", move || {
        let run = state::current().map_or(0.0, |run| run.now_ms() / 1000.0);
        epoch + run
    })?;
    def(vm, d, "rng_seed", |key: Vec<u32>| {
        RNG.with(|rng| *rng.borrow_mut() = Mt::new_with_key(key));
    })?;
    def(vm, d, "rng_next32", || {
        RNG.with(|rng| rng.borrow_mut().next_u32())
    })?;
    def(
        vm,
        d,
        "json_loads",
        |text: String, vm: &VirtualMachine| -> PyResult {
            let value: serde_json::Value = serde_json::from_str(&text).map_err(|err| {
                vm.new_value_error(format!(
                    "{} (line {} column {})",
                    json_message(&err),
                    err.line(),
                    err.column()
                ))
            })?;
            Ok(to_python(vm, value))
        },
    )?;
    Ok(())
}

fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.find(" at line") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// A JSON value as Python objects (`dict`, `list`, `str`, `int`, `float`,
/// `bool`, `None`).
pub(crate) fn to_python(vm: &VirtualMachine, value: serde_json::Value) -> PyObjectRef {
    use serde_json::Value;
    match value {
        Value::Null => vm.ctx.none(),
        Value::Bool(b) => vm.ctx.new_bool(b).into(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                vm.ctx.new_int(i).into()
            } else if let Some(u) = n.as_u64() {
                vm.ctx.new_int(u).into()
            } else {
                vm.ctx.new_float(n.as_f64().unwrap_or(f64::NAN)).into()
            }
        }
        Value::String(s) => vm.ctx.new_str(s).into(),
        Value::Array(items) => vm
            .ctx
            .new_list(items.into_iter().map(|v| to_python(vm, v)).collect())
            .into(),
        Value::Object(map) => {
            let dict = vm.ctx.new_dict();
            for (k, v) in map {
                let _ = dict.set_item(k.as_str(), to_python(vm, v), vm);
            }
            dict.into()
        }
    }
}

/// Python source of the modules that are thin enough to write in Python.
pub(crate) const FUNCTOOLS: &str = include_str!("prelude/functools.py");
pub(crate) const JSON: &str = include_str!("prelude/json.py");
pub(crate) const RANDOM: &str = include_str!("prelude/random.py");
pub(crate) const TIME: &str = include_str!("prelude/time.py");
/// The asyncio module: its parts, in order, in one namespace.
pub(crate) const ASYNCIO: &str = concat!(
    include_str!("prelude/asyncio/futures.py"),
    "\n",
    include_str!("prelude/asyncio/events.py"),
    "\n",
    include_str!("prelude/asyncio/tasks.py"),
    "\n",
    include_str!("prelude/asyncio/timeouts.py"),
    "\n",
    include_str!("prelude/asyncio/taskgroups.py"),
    "\n",
    include_str!("prelude/asyncio/locks.py"),
    "\n",
    include_str!("prelude/asyncio/queues.py"),
    "\n",
    include_str!("prelude/asyncio/runners.py"),
);
pub(crate) const CONCURRENT: &str = include_str!("prelude/concurrent_futures.py");
pub(crate) const AIOHTTP: &str = include_str!("prelude/aiohttp.py");
pub(crate) const YARL: &str = include_str!("prelude/yarl.py");
