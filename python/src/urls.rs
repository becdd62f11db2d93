//! The natives behind `yarl.URL`: WHATWG URL parsing (what browsers do),
//! with the `url` crate, for absolute URLs; a relative reference (`/ws/echo`)
//! is kept as text until it is joined to one.

use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use url::Url;

use crate::natives::def;

fn parse(text: &str) -> Option<Url> {
    Url::parse(text).ok()
}

fn invalid(vm: &VirtualMachine, what: String) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_value_error(what)
}

/// A part of `text`: `scheme` (`""` for a relative reference), `host`,
/// `port` (the scheme's default when none is written), `path`, `query`.
fn part(text: &str, name: &str, vm: &VirtualMachine) -> PyObjectRef {
    let none = vm.ctx.none();
    match parse(text) {
        Some(url) => match name {
            "scheme" => vm.ctx.new_str(url.scheme()).into(),
            "host" => url
                .host_str()
                .map_or(none, |host| vm.ctx.new_str(host).into()),
            "port" => url
                .port_or_known_default()
                .map_or(none, |port| vm.ctx.new_int(port).into()),
            "path" => vm.ctx.new_str(url.path()).into(),
            "query" => vm.ctx.new_str(url.query().unwrap_or("")).into(),
            _ => none,
        },
        None => {
            let (path, query) = text.split_once('?').unwrap_or((text, ""));
            match name {
                "scheme" => vm.ctx.new_str("").into(),
                "path" => vm.ctx.new_str(path).into(),
                "query" => vm.ctx.new_str(query).into(),
                _ => none,
            }
        }
    }
}

/// Installs `url_part`, `url_join` and `url_with` into `_aio`.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(
        vm,
        d,
        "url_part",
        |text: String, name: String, vm: &VirtualMachine| -> PyObjectRef { part(&text, &name, vm) },
    )?;
    def(
        vm,
        d,
        "url_join",
        |base: String, reference: String, vm: &VirtualMachine| -> PyResult<String> {
            // Against a relative base, yarl keeps the reference as it is.
            let Some(base) = parse(&base) else {
                return Ok(reference);
            };
            base.join(&reference)
                .map(String::from)
                .map_err(|err| invalid(vm, format!("cannot join {reference:?}: {err}")))
        },
    )?;
    def(
        vm,
        d,
        "url_with",
        |text: String, field: String, value: String, vm: &VirtualMachine| -> PyResult<String> {
            let mut url =
                parse(&text).ok_or_else(|| invalid(vm, format!("URL {text:?} is not absolute")))?;
            match field.as_str() {
                "scheme" => url
                    .set_scheme(&value)
                    .map_err(|()| invalid(vm, format!("cannot change the scheme to {value:?}")))?,
                "path" => url.set_path(&value),
                _ => return Err(invalid(vm, format!("no URL part {field:?}"))),
            }
            Ok(String::from(url))
        },
    )?;
    Ok(())
}
