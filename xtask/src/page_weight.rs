//! The page's weight: what a browser downloads for the playground, each
//! file compressed with gzip as a server would send it, in three parts (the
//! WebAssembly module, the JavaScript, the rest), with the target line the
//! benchmark prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::error::Error;

/// The target for the whole page, gzip, in bytes (150 KB).
pub(crate) const TARGET_BYTES: u64 = 150 * 1000;

/// One part of the page: its files, their size as built and gzipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) files: usize,
    pub(crate) raw: u64,
    pub(crate) gzip: u64,
}

impl Part {
    fn add(&mut self, raw: u64, gzip: u64) {
        self.files += 1;
        self.raw += raw;
        self.gzip += gzip;
    }
}

/// The page's three parts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Weight {
    pub(crate) wasm: Part,
    pub(crate) javascript: Part,
    pub(crate) other: Part,
}

impl Weight {
    pub(crate) fn total_gzip(&self) -> u64 {
        self.wasm.gzip + self.javascript.gzip + self.other.gzip
    }

    /// The table and the target line.
    pub(crate) fn report(&self) -> String {
        let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1000.0);
        let mut out = String::new();
        for (name, part) in [
            ("wasm", &self.wasm),
            ("JavaScript", &self.javascript),
            ("HTML and CSS", &self.other),
        ] {
            out.push_str(&format!(
                "page weight, {name}: {} gzip ({} as built, {} files)\n",
                kb(part.gzip),
                kb(part.raw),
                part.files
            ));
        }
        let total = self.total_gzip();
        out.push_str(&format!(
            "target page weight, gzip: {} (wasm {}, JS {}, HTML and CSS {}) vs ≤ {} -> {}\n",
            kb(total),
            kb(self.wasm.gzip),
            kb(self.javascript.gzip),
            kb(self.other.gzip),
            kb(TARGET_BYTES),
            if total <= TARGET_BYTES {
                "met"
            } else {
                "MISSED"
            }
        ));
        out
    }
}

/// Which part a file of the page belongs to, by its extension; `None` for
/// what the page does not download (type declarations, images).
fn part_of(path: &Path) -> Option<fn(&mut Weight) -> &mut Part> {
    match path.extension()?.to_str()? {
        "wasm" => Some(|weight| &mut weight.wasm),
        "js" | "mjs" => Some(|weight| &mut weight.javascript),
        "html" | "css" => Some(|weight| &mut weight.other),
        _ => None,
    }
}

/// Weighs the page under `www`: its own files and the built package in
/// `pkg_dir` (wasm-bindgen's glue, its snippets and the module, and the
/// editor's bundle), but not the Python engine in `pkg_dir/python`, which
/// is loaded only when a program runs.
pub(crate) fn weigh(www: &Path, pkg_dir: &Path) -> Result<Weight, Error> {
    let mut files = Vec::new();
    list(www, false, &mut files)?;
    list(pkg_dir, true, &mut files)?;
    let engine = pkg_dir.join(crate::python_engine::DIR);
    files.retain(|file| !file.starts_with(&engine));
    files.sort();
    files.dedup();
    let mut weight = Weight::default();
    for file in files {
        let Some(part) = part_of(&file) else { continue };
        let bytes = std::fs::read(&file)
            .map_err(|source| Error::io(format!("read {}", file.display()), source))?;
        part(&mut weight).add(bytes.len() as u64, gzip_len(&bytes));
    }
    Ok(weight)
}

/// The files in `dir`, and in its subdirectories when `deep`.
fn list(dir: &Path, deep: bool, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|source| Error::io(format!("read {}", dir.display()), source))?;
    for entry in entries {
        let path = entry
            .map_err(|source| Error::io(format!("read {}", dir.display()), source))?
            .path();
        if path.is_dir() {
            if deep {
                list(&path, true, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The length of `bytes` compressed with gzip at its best level.
fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(bytes.len(), |out| out.len()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_weighed_by_part_and_the_target_line_says_so() {
        let dir = std::env::temp_dir().join(format!("page-weight-{}", std::process::id()));
        let pkg = dir.join("pkg");
        std::fs::create_dir_all(pkg.join("snippets")).unwrap();
        std::fs::write(dir.join("app.js"), "export const a = 1;\n".repeat(50)).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
        std::fs::write(pkg.join("page_bg.wasm"), [0u8; 4096]).unwrap();
        std::fs::write(pkg.join("page.d.ts"), "export {};").unwrap();
        std::fs::write(pkg.join("snippets").join("worker.js"), "self;").unwrap();
        let weight = weigh(&dir, &pkg).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((weight.wasm.files, weight.wasm.raw), (1, 4096));
        assert!(
            weight.wasm.gzip < 100,
            "zeros compress: {}",
            weight.wasm.gzip
        );
        assert_eq!(weight.javascript.files, 2);
        assert_eq!(weight.other.files, 1);
        let report = weight.report();
        assert!(report.contains("target page weight, gzip: "), "{report}");
        assert!(report.trim_end().ends_with("-> met"), "{report}");
    }
}
