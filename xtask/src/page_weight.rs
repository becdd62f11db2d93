//! The page's weight: what a browser downloads to open the full playground
//! (`index.html`) and run an example, each file compressed with gzip as
//! the dev server sends it, in three parts (the WebAssembly module, the
//! JavaScript, the rest), with the target line the benchmark prints; and
//! the same with brotli, which browsers ask for where they can. The server
//! sends the build's precompressed copies (`precompress.rs`) and
//! compresses other files as it sends them, at its compression layer's
//! default levels (gzip 6, brotli 4), so those are weighed that way. What
//! the page loads only when a reader asks for it (the editor's bundle, the
//! executor's worker script, the iframe's bundle) is listed apart; the
//! Python engine, loaded when a Python program first runs, is not weighed.
//!
//! The first load is read from the page itself: `index.html`, every file
//! its `src` and `href` attributes name and every module those import
//! statically (`import … from "./…"`; an `import("./…")` waits until it is
//! needed), the module of each package script among them (`X_bg.wasm` for
//! `X.js`), which that script fetches, and the listings of the example its
//! element shows first (`example="…"`), which the page fetches.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::precompress::{fresh_copy, Effort, Encoding};

/// The target for the whole page, gzip, in bytes (150 KB).
pub(crate) const TARGET_BYTES: u64 = 150 * 1000;

/// The page weighed, in `www`.
const PAGE: &str = "index.html";

/// One part of the page: its files, their size as built and gzipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) files: usize,
    pub(crate) raw: u64,
    pub(crate) gzip: u64,
    pub(crate) brotli: u64,
}

impl Part {
    fn add(&mut self, sizes: Sizes) {
        self.files += 1;
        self.raw += sizes.raw;
        self.gzip += sizes.gzip;
        self.brotli += sizes.brotli;
    }
}

/// A file's size as built, and as the server sends it with each encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

/// The page's first load in three parts, and the files it loads on demand.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Weight {
    pub(crate) wasm: Part,
    pub(crate) javascript: Part,
    pub(crate) other: Part,
    /// Files of the build the first load does not fetch: (path relative to
    /// `www`, gzip bytes).
    pub(crate) on_demand: Vec<(String, u64)>,
}

impl Weight {
    pub(crate) fn total_gzip(&self) -> u64 {
        self.wasm.gzip + self.javascript.gzip + self.other.gzip
    }

    pub(crate) fn total_brotli(&self) -> u64 {
        self.wasm.brotli + self.javascript.brotli + self.other.brotli
    }

    /// The table and the target line.
    pub(crate) fn report(&self) -> String {
        let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1000.0);
        let mut out = String::new();
        for (name, part) in [
            ("wasm", &self.wasm),
            ("JavaScript", &self.javascript),
            ("HTML, CSS, icon and listing", &self.other),
        ] {
            out.push_str(&format!(
                "page weight, first load, {name}: {} gzip, {} brotli ({} as built, {} files)\n",
                kb(part.gzip),
                kb(part.brotli),
                kb(part.raw),
                part.files
            ));
        }
        out.push_str(&format!(
            "page weight, first load, brotli (browsers that accept it): {}\n",
            kb(self.total_brotli())
        ));
        for (file, gzip) in &self.on_demand {
            out.push_str(&format!(
                "page weight, not in the first load: {file} {} gzip\n",
                kb(*gzip)
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
/// what is not part of a download (type declarations, for one).
fn part_of(path: &Path) -> Option<fn(&mut Weight) -> &mut Part> {
    match path.extension()?.to_str()? {
        "wasm" => Some(|weight| &mut weight.wasm),
        "js" | "mjs" => Some(|weight| &mut weight.javascript),
        "html" | "css" | "svg" | "json" => Some(|weight| &mut weight.other),
        _ => None,
    }
}

/// Weighs the page `www/index.html` with the built package in `pkg_dir`
/// (inside `www`), leaving out the Python engine in `pkg_dir/python`.
pub(crate) fn weigh(www: &Path, pkg_dir: &Path) -> Result<Weight, Error> {
    let page = www.join(PAGE);
    let html = std::fs::read_to_string(&page)
        .map_err(|source| Error::io(format!("read {}", page.display()), source))?;
    let mut first = vec![page];
    for reference in references(&html) {
        let file = www.join(reference);
        first.push(in_build(file, || {
            format!("weigh {PAGE}: it names {reference}")
        })?);
    }
    // The modules the page's scripts import statically, and theirs.
    let mut next = 0;
    while next < first.len() {
        let file = first[next].clone();
        next += 1;
        if file.extension().is_none_or(|ext| ext != "js") {
            continue;
        }
        let source = std::fs::read_to_string(&file)
            .map_err(|source| Error::io(format!("read {}", file.display()), source))?;
        let dir = file.parent().unwrap_or(www);
        for import in static_imports(&source) {
            let module = in_build(normalise(&dir.join(import)), || {
                format!("weigh {}: it imports {import}", file.display())
            })?;
            if !first.contains(&module) {
                first.push(module);
            }
        }
    }
    let mut built = Vec::new();
    list(pkg_dir, &mut built)?;
    let engine = pkg_dir.join(crate::python_engine::DIR);
    built.retain(|file| !file.starts_with(&engine) && part_of(file).is_some());
    // A package's module is fetched by the package's script (`X.js` fetches
    // `X_bg.wasm`): the modules of the scripts in the first load are in it.
    let modules: Vec<PathBuf> = first
        .iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "js"))
        .filter_map(|file| {
            let stem = file.file_stem()?.to_str()?;
            let module = file.with_file_name(format!("{stem}_bg.wasm"));
            module.is_file().then_some(module)
        })
        .collect();
    first.extend(modules);
    if let Some(id) = first_example(&html) {
        first.push(
            pkg_dir
                .join(crate::listings::DIR)
                .join(format!("{id}.json")),
        );
    }
    first.sort();
    first.dedup();
    built.sort();

    let mut weight = Weight::default();
    for file in &first {
        let Some(part) = part_of(file) else { continue };
        part(&mut weight).add(sizes(file)?);
    }
    // Later: the package's own files one by one, its directories as one.
    for file in built.iter().filter(|file| !first.contains(file)) {
        let inside = file.strip_prefix(pkg_dir).unwrap_or(file);
        let relative = |path: &Path| path.strip_prefix(www).unwrap_or(path).display().to_string();
        let name = match inside.components().next() {
            Some(dir) if inside.components().count() > 1 => {
                format!("{}/", relative(&pkg_dir.join(dir)))
            }
            _ => relative(file),
        };
        let gzip = sizes(file)?.gzip;
        match weight.on_demand.iter_mut().find(|(seen, _)| *seen == name) {
            Some((_, total)) => *total += gzip,
            None => weight.on_demand.push((name, gzip)),
        }
    }
    Ok(weight)
}

/// `file`, if the build has it; else an error saying who named it.
fn in_build(file: PathBuf, named: impl FnOnce() -> String) -> Result<PathBuf, Error> {
    if file.is_file() {
        Ok(file)
    } else {
        Err(Error::io(
            named(),
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file in the build"),
        ))
    }
}

/// The local modules an ES module's source imports statically: `from "./…"`
/// and `import "./…"`, as esbuild writes them (minified or not); dynamic
/// imports, `import("./…")`, are left out.
fn static_imports(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for keyword in ["from", "import"] {
        let mut rest = source;
        while let Some(at) = rest.find(keyword) {
            let before = source.len() - rest.len() + at;
            rest = &rest[at + keyword.len()..];
            // A whole word: not `importScripts` or `datafrom`.
            let prior = source[..before].chars().next_back();
            if prior.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
                continue;
            }
            let after = rest.trim_start();
            let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let text = &after[1..];
            let Some(end) = text.find(quote) else {
                continue;
            };
            let path = &text[..end];
            if (path.starts_with("./") || path.starts_with("../")) && !out.contains(&path) {
                out.push(path);
            }
        }
    }
    out
}

/// `path` with its `.` and `..` components resolved.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The example the page's element shows first: its `example` attribute.
fn first_example(html: &str) -> Option<&str> {
    let element = &html[html.find("<asyncio-playground")?..];
    let element = &element[..element.find('>')?];
    let value = &element[element.find(" example=\"")? + " example=\"".len()..];
    Some(&value[..value.find('"')?])
}

/// The local files an HTML page names in `src` and `href` attributes, in
/// order, each once; absolute and external URLs are left out.
fn references(html: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for attribute in [" src=\"", " href=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = &rest[..end];
            let local = !value.is_empty()
                && !value.starts_with('/')
                && !value.starts_with('#')
                && !value.contains(':');
            if local && !out.contains(&value) {
                out.push(value);
            }
        }
    }
    out
}

/// A file's size as built and as the server sends it: its precompressed
/// copy where the build made one that is up to date, else compressed as
/// the server's compression layer would.
fn sizes(file: &Path) -> Result<Sizes, Error> {
    let bytes = std::fs::read(file)
        .map_err(|source| Error::io(format!("read {}", file.display()), source))?;
    let sent = |encoding: Encoding| {
        fresh_copy(file, encoding, &bytes).map_or_else(
            || encoding.compress(&bytes, Effort::AsSent).len(),
            |copy| copy.len(),
        ) as u64
    };
    Ok(Sizes {
        raw: bytes.len() as u64,
        gzip: sent(Encoding::Gzip),
        brotli: sent(Encoding::Brotli),
    })
}

/// The files in `dir` and its subdirectories.
pub(crate) fn list(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|source| Error::io(format!("read {}", dir.display()), source))?;
    for entry in entries {
        let path = entry
            .map_err(|source| Error::io(format!("read {}", dir.display()), source))?
            .path();
        if path.is_dir() {
            list(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_load_is_what_the_page_names_and_its_scripts_modules_the_rest_is_on_demand() {
        let dir = std::env::temp_dir().join(format!("page-weight-{}", std::process::id()));
        let pkg = dir.join("pkg");
        std::fs::create_dir_all(pkg.join("snippets")).unwrap();
        std::fs::create_dir_all(pkg.join(crate::python_engine::DIR)).unwrap();
        std::fs::write(
            dir.join("index.html"),
            r##"<!doctype html><link rel="icon" href="favicon.svg"><link rel="stylesheet" href="style.css">
<link rel="modulepreload" href="pkg/page.js"><script type="module" src="pkg/app.js"></script>
<a href="https://example.org/">out</a><a href="#top">top</a><asyncio-playground example="hello"></asyncio-playground>"##,
        )
        .unwrap();
        std::fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
        std::fs::write(dir.join("style.css"), "p{}").unwrap();
        std::fs::write(dir.join("app.js"), "export const source = 1;\n").unwrap();
        std::fs::write(
            pkg.join("app.js"),
            format!(
                "import{{c}}from\"./page-chunk.js\";const l=()=>import(\"./page-later.js\");\n{}",
                "export const a = 1;\n".repeat(50)
            ),
        )
        .unwrap();
        std::fs::write(pkg.join("page-chunk.js"), "export const c = 1;").unwrap();
        std::fs::write(pkg.join("page-later.js"), "export const l = 1;").unwrap();
        std::fs::write(pkg.join("page.js"), "export {};").unwrap();
        std::fs::write(pkg.join("page_bg.wasm"), [0u8; 4096]).unwrap();
        // A second package, which the page imports only when it needs it.
        std::fs::write(pkg.join("page_io.js"), "export {};").unwrap();
        std::fs::write(pkg.join("page_io_bg.wasm"), [0u8; 8192]).unwrap();
        std::fs::write(pkg.join("page.d.ts"), "export {};").unwrap();
        std::fs::write(pkg.join("editor.js"), "export {};").unwrap();
        std::fs::write(pkg.join("snippets").join("worker.js"), "self;").unwrap();
        std::fs::write(pkg.join("snippets").join("other.js"), "self;").unwrap();
        std::fs::create_dir_all(pkg.join(crate::listings::DIR)).unwrap();
        for id in ["hello", "other"] {
            std::fs::write(
                pkg.join(crate::listings::DIR).join(format!("{id}.json")),
                "{}",
            )
            .unwrap();
        }
        std::fs::write(pkg.join(crate::python_engine::DIR).join("engine.js"), "x").unwrap();
        let weight = weigh(&dir, &pkg).unwrap();
        let missing = {
            std::fs::write(
                dir.join("index.html"),
                r#"<script src="pkg/gone.js"></script>"#,
            )
            .unwrap();
            weigh(&dir, &pkg)
        };
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((weight.wasm.files, weight.wasm.raw), (1, 4096));
        assert!(
            weight.wasm.gzip < 100,
            "zeros compress: {}",
            weight.wasm.gzip
        );
        assert_eq!(weight.javascript.files, 3, "{weight:?}");
        assert_eq!(weight.other.files, 4, "{weight:?}");
        let on_demand: Vec<&str> = weight.on_demand.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            on_demand,
            [
                "pkg/editor.js",
                "pkg/examples/",
                "pkg/page-later.js",
                "pkg/page_io.js",
                "pkg/page_io_bg.wasm",
                "pkg/snippets/"
            ]
        );
        let report = weight.report();
        assert!(
            report.contains("not in the first load: pkg/editor.js"),
            "{report}"
        );
        assert!(report.contains("target page weight, gzip: "), "{report}");
        assert!(report.trim_end().ends_with("-> met"), "{report}");
        assert!(
            missing.is_err(),
            "a page naming a file the build lacks is an error"
        );
    }

    #[test]
    fn a_file_weighs_what_the_server_sends_for_it() {
        let dir = std::env::temp_dir().join(format!("page-weight-sent-{}", std::process::id()));
        let pkg = dir.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            dir.join("index.html"),
            r#"<script src="pkg/app.js"></script>"#,
        )
        .unwrap();
        let script: String = (0..400)
            .map(|i| format!("export const a{i} = {};\n", i % 7))
            .collect();
        std::fs::write(pkg.join("app.js"), &script).unwrap();
        std::fs::write(pkg.join("app_bg.wasm"), script.replace("export", "import")).unwrap();
        let on_the_fly = weigh(&dir, &pkg).unwrap();
        crate::precompress::write(&pkg).unwrap();
        let copies = weigh(&dir, &pkg).unwrap();
        let gz = std::fs::metadata(Encoding::Gzip.copy_of(&pkg.join("app.js")))
            .unwrap()
            .len();
        let br = std::fs::metadata(Encoding::Brotli.copy_of(&pkg.join("app.js")))
            .unwrap()
            .len();
        // A rebuilt script whose copies the build has not refreshed.
        std::fs::write(pkg.join("app.js"), script.replace("const", "let")).unwrap();
        let stale = weigh(&dir, &pkg).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((copies.javascript.gzip, copies.javascript.brotli), (gz, br));
        assert!(
            copies.javascript.gzip < on_the_fly.javascript.gzip,
            "{copies:?} {on_the_fly:?}"
        );
        assert!(
            copies.wasm.gzip < on_the_fly.wasm.gzip,
            "{copies:?} {on_the_fly:?}"
        );
        assert_eq!(copies.on_demand, [], "copies are not files of the page");
        assert_eq!(
            stale.javascript.gzip,
            Encoding::Gzip
                .compress(script.replace("const", "let").as_bytes(), Effort::AsSent)
                .len() as u64
        );
        assert_eq!(
            copies.total_gzip(),
            copies.wasm.gzip + copies.javascript.gzip + copies.other.gzip
        );
    }

    #[test]
    fn the_first_example_is_the_element_s() {
        assert_eq!(
            first_example(
                r#"<p example="no"><asyncio-playground light-dom example="hello" editable>"#
            ),
            Some("hello")
        );
        assert_eq!(first_example("<asyncio-playground editable>"), None);
        assert_eq!(first_example("<p>"), None);
    }

    #[test]
    fn static_imports_are_followed_and_dynamic_ones_are_not() {
        let source = r#"const r=new URL("../",import.meta.url).href;import{a as b}from"./page-chunk-1.js";import"./side.js";
import { c } from './spaced.js';const m=()=>import("./page-later-2.js");importScripts("./no.js");x.from("./no2.js");
export{b}from"../up.js";import{d}from"https://cdn/x.js";"#;
        assert_eq!(
            static_imports(source),
            ["./page-chunk-1.js", "./spaced.js", "../up.js", "./side.js"]
        );
        assert_eq!(
            normalise(Path::new("/w/www/pkg/../pkg/./a.js")),
            Path::new("/w/www/pkg/a.js")
        );
    }

    #[test]
    fn references_are_local_and_each_named_once() {
        let html = r#"<img src="a.svg"><script src="b.js"></script><link href="a.svg">
<link href="//cdn/x.css"><a href="/abs"><a href="mailto:x"><img src="">"#;
        assert_eq!(references(html), ["a.svg", "b.js"]);
    }
}
