//! A WebAssembly module's interface: its exports and their types.
//!
//! The JavaScript glue wasm-bindgen generates relies on each export's
//! kind and type (functions' signatures, the externref table's element
//! type). An optimiser must leave them unchanged; comparing them before
//! and after wasm-opt catches an optimiser that mangles the module (as
//! binaryen 108 did: it re-pointed the exported externref table at the
//! funcref table). The module is read with `wasmparser`.

use std::collections::BTreeMap;

use wasmparser::{ExternalKind, FuncType, Parser, Payload, RefType, TypeRef, ValType};

/// Export name to a description of its kind and type, such as
/// `func (i32, externref) -> (i32)` or `table externref`.
pub(crate) type Interface = BTreeMap<String, String>;

/// Reads the interface of the module in `bytes`.
///
/// Errors name what could not be read; modules using encodings rustc
/// does not emit (GC types) are refused rather than guessed at.
pub(crate) fn read(bytes: &[u8]) -> Result<Interface, String> {
    let mut types: Vec<String> = Vec::new();
    let mut functions: Vec<u32> = Vec::new();
    let mut tables: Vec<String> = Vec::new();
    let mut exports = Interface::new();
    let mut ended = false;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|error| error.to_string())? {
            Payload::Version { .. } => {}
            Payload::TypeSection(section) => {
                for ty in section.into_iter_err_on_gc_types() {
                    types.push(func_type(&ty.map_err(|error| error.to_string())?));
                }
            }
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    match import.map_err(|error| error.to_string())?.ty {
                        TypeRef::Func(index) => functions.push(index),
                        TypeRef::Table(table) => tables.push(ref_type(table.element_type)),
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(section) => {
                for index in section {
                    functions.push(index.map_err(|error| error.to_string())?);
                }
            }
            Payload::TableSection(section) => {
                for table in section {
                    let table = table.map_err(|error| error.to_string())?;
                    tables.push(ref_type(table.ty.element_type));
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(|error| error.to_string())?;
                    let index = export.index as usize;
                    let described = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => {
                            let ty = functions
                                .get(index)
                                .and_then(|&ty| types.get(ty as usize))
                                .ok_or_else(|| {
                                    format!("export `{}`: no such function", export.name)
                                })?;
                            format!("func {ty}")
                        }
                        ExternalKind::Table => {
                            let ty = tables.get(index).ok_or_else(|| {
                                format!("export `{}`: no such table", export.name)
                            })?;
                            format!("table {ty}")
                        }
                        ExternalKind::Memory => "memory".to_owned(),
                        ExternalKind::Global => "global".to_owned(),
                        ExternalKind::Tag => "tag".to_owned(),
                    };
                    exports.insert(export.name.to_owned(), described);
                }
            }
            Payload::End(_) => ended = true,
            _ => {}
        }
    }
    if ended {
        Ok(exports)
    } else {
        Err("the module ends early".to_owned())
    }
}

/// `(i32, externref) -> (i32)`.
fn func_type(ty: &FuncType) -> String {
    let list = |types: &[ValType]| {
        types
            .iter()
            .map(|&ty| val_type(ty))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) -> ({})", list(ty.params()), list(ty.results()))
}

fn val_type(ty: ValType) -> String {
    match ty {
        ValType::I32 => "i32".to_owned(),
        ValType::I64 => "i64".to_owned(),
        ValType::F32 => "f32".to_owned(),
        ValType::F64 => "f64".to_owned(),
        ValType::V128 => "v128".to_owned(),
        ValType::Ref(ty) => ref_type(ty),
    }
}

fn ref_type(ty: RefType) -> String {
    if ty == RefType::EXTERNREF {
        "externref".to_owned()
    } else if ty == RefType::FUNCREF {
        "funcref".to_owned()
    } else {
        format!("{ty:?}")
    }
}

/// The first export that differs between two interfaces, described.
pub(crate) fn first_difference(before: &Interface, after: &Interface) -> Option<String> {
    for (name, was) in before {
        match after.get(name) {
            Some(now) if now == was => {}
            Some(now) => return Some(format!("export `{name}` changed from {was} to {now}")),
            None => return Some(format!("export `{name}` ({was}) disappeared")),
        }
    }
    after
        .keys()
        .find(|name| !before.contains_key(*name))
        .map(|name| format!("export `{name}` appeared"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a `(i32) -> (i32)` function `f`, a funcref table, an
    /// externref table `refs` (exported as table `table_index`), and a
    /// memory `mem`.
    fn module(table_index: u8) -> Vec<u8> {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        let mut section = |id: u8, body: &[u8]| {
            bytes.push(id);
            bytes.push(body.len() as u8);
            bytes.extend_from_slice(body);
        };
        section(1, &[1, 0x60, 1, 0x7f, 1, 0x7f]);
        section(3, &[1, 0]);
        section(4, &[2, 0x70, 0, 1, 0x6f, 1, 4, 8]);
        section(5, &[1, 0, 1]);
        section(
            7,
            &[
                3,
                1,
                b'f',
                0,
                0,
                4,
                b'r',
                b'e',
                b'f',
                b's',
                1,
                table_index,
                3,
                b'm',
                b'e',
                b'm',
                2,
                0,
            ],
        );
        section(10, &[1, 4, 0, 0x20, 0, 0x0b]);
        bytes
    }

    #[test]
    fn reads_exports_with_their_types() {
        let interface = read(&module(1)).expect("a valid module");
        assert_eq!(interface["f"], "func (i32) -> (i32)");
        assert_eq!(interface["refs"], "table externref");
        assert_eq!(interface["mem"], "memory");
        assert_eq!(interface.len(), 3);
    }

    #[test]
    fn a_re_pointed_table_is_a_difference() {
        let good = read(&module(1)).expect("a valid module");
        let bad = read(&module(0)).expect("a valid module");
        assert_eq!(first_difference(&good, &good), None);
        assert_eq!(
            first_difference(&good, &bad).as_deref(),
            Some("export `refs` changed from table externref to table funcref")
        );
        let mut fewer = good.clone();
        fewer.remove("mem");
        assert!(first_difference(&good, &fewer).is_some_and(|d| d.contains("disappeared")));
        assert!(first_difference(&fewer, &good).is_some_and(|d| d.contains("appeared")));
    }

    #[test]
    fn malformed_modules_are_errors() {
        assert!(read(b"").is_err());
        assert!(read(b"\0asm\x02\0\0\0").is_err());
        let mut truncated = module(1);
        truncated.truncate(truncated.len() - 3);
        assert!(read(&truncated).is_err());
    }
}
