//! A WebAssembly module's interface: its exports and their types.
//!
//! The JavaScript glue wasm-bindgen generates relies on each export's
//! kind and type (functions' signatures, the externref table's element
//! type). An optimiser must leave them unchanged; comparing them before
//! and after wasm-opt catches an optimiser that mangles the module (as
//! binaryen 108 does: it re-points the exported externref table at the
//! funcref table).

use std::collections::BTreeMap;

/// Export name to a description of its kind and type, such as
/// `func (i32, externref) -> (i32)` or `table externref`.
pub(crate) type Interface = BTreeMap<String, String>;

/// Reads the interface of the module in `bytes`.
///
/// Errors name what could not be read; modules using encodings rustc
/// does not emit (GC types, tables with initialisers) are refused rather
/// than guessed at.
pub(crate) fn read(bytes: &[u8]) -> Result<Interface, String> {
    let mut module = Reader { bytes, at: 0 };
    if module.take(8)? != b"\0asm\x01\0\0\0" {
        return Err("not a WebAssembly 1.0 binary module".into());
    }
    let mut types: Vec<String> = Vec::new();
    let mut functions: Vec<u32> = Vec::new();
    let mut tables: Vec<String> = Vec::new();
    let mut exports = Interface::new();
    while module.at < bytes.len() {
        let id = module.byte()?;
        let size = module.u32()? as usize;
        let mut section = Reader {
            bytes: module.take(size)?,
            at: 0,
        };
        match id {
            1 => {
                for _ in 0..section.u32()? {
                    types.push(section.func_type()?);
                }
            }
            2 => {
                for _ in 0..section.u32()? {
                    section.name()?;
                    section.name()?;
                    match section.byte()? {
                        0x00 => functions.push(section.u32()?),
                        0x01 => tables.push(section.table_type()?),
                        0x02 => section.limits()?,
                        0x03 => {
                            section.value_type()?;
                            section.byte()?;
                        }
                        0x04 => {
                            section.byte()?;
                            section.u32()?;
                        }
                        kind => return Err(format!("unknown import kind {kind:#04x}")),
                    }
                }
            }
            3 => {
                for _ in 0..section.u32()? {
                    functions.push(section.u32()?);
                }
            }
            4 => {
                for _ in 0..section.u32()? {
                    tables.push(section.table_type()?);
                }
            }
            7 => {
                for _ in 0..section.u32()? {
                    let name = section.name()?;
                    let kind = section.byte()?;
                    let index = section.u32()? as usize;
                    let described = match kind {
                        0x00 => {
                            let type_index =
                                *functions.get(index).ok_or("export of a missing function")?;
                            let signature = types
                                .get(type_index as usize)
                                .ok_or("function of a missing type")?;
                            format!("func {signature}")
                        }
                        0x01 => format!(
                            "table {}",
                            tables.get(index).ok_or("export of a missing table")?
                        ),
                        0x02 => "memory".to_owned(),
                        0x03 => "global".to_owned(),
                        0x04 => "tag".to_owned(),
                        kind => return Err(format!("unknown export kind {kind:#04x}")),
                    };
                    exports.insert(name, described);
                }
            }
            _ => {}
        }
    }
    Ok(exports)
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

/// A cursor over module bytes.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, count: usize) -> Result<&'b [u8], String> {
        let end = self
            .at
            .checked_add(count)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or("the module ends early")?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 number of up to 64 bits.
    fn u64(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number is too long".into())
    }

    fn u32(&mut self) -> Result<u32, String> {
        u32::try_from(self.u64()?).map_err(|_| "a number is too large".to_owned())
    }

    fn name(&mut self) -> Result<String, String> {
        let length = self.u32()? as usize;
        String::from_utf8(self.take(length)?.to_vec()).map_err(|_| "a name is not UTF-8".to_owned())
    }

    fn value_type(&mut self) -> Result<&'static str, String> {
        Ok(match self.byte()? {
            0x7f => "i32",
            0x7e => "i64",
            0x7d => "f32",
            0x7c => "f64",
            0x7b => "v128",
            0x70 => "funcref",
            0x6f => "externref",
            other => return Err(format!("unsupported value type {other:#04x}")),
        })
    }

    fn func_type(&mut self) -> Result<String, String> {
        if self.byte()? != 0x60 {
            return Err("unsupported type definition".into());
        }
        let params = self.value_types()?;
        let results = self.value_types()?;
        Ok(format!("({params}) -> ({results})"))
    }

    fn value_types(&mut self) -> Result<String, String> {
        let count = self.u32()?;
        let types = (0..count)
            .map(|_| self.value_type())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(types.join(", "))
    }

    fn table_type(&mut self) -> Result<String, String> {
        let element = self.value_type()?;
        self.limits()?;
        Ok(element.to_owned())
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.u64()?;
        if flags & 1 != 0 {
            self.u64()?;
        }
        Ok(())
    }
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
