//! The page's JavaScript as it is shipped, bundled and minified by esbuild
//! (pinned in the root `package.json`) into the playground's out-dir:
//!
//! - `embed.js` and `frame.js`: the page's own modules from `www/`, one
//!   entry point each (`embed.js` for `index.html` and embedding pages,
//!   `frame.js` for `embed.html`), with what they share and what they
//!   import only when needed (`import("./…")`, the inspector) split into
//!   `page-*.js` chunks beside them. The sources in `www/` stay runnable as
//!   they are (the unit tests import them); the bundles sit one directory
//!   below them, so every `import.meta.url` in them is replaced by the
//!   directory of the sources, and URLs made from it (the stylesheet, the
//!   package, the editor, the Python engine) are the same either way.
//! - `codemirror.js`: `www/bundles/codemirror.js`, which imports
//!   CodeMirror 6 from npm; the page imports it only when a reader starts
//!   editing.

use std::path::Path;

use crate::error::Error;
use crate::toolchain::{describe, Toolchain};

/// The editor bundle's entry point, relative to the repository root.
const EDITOR_ENTRY: &str = "www/bundles/codemirror.js";
/// The editor bundle's file name in the out-dir.
pub(crate) const EDITOR: &str = "codemirror.js";
/// The page's entry points in `www/`; each is bundled under its own name.
pub(crate) const PAGE_ENTRIES: [&str; 2] = ["embed.js", "frame.js"];
/// What each page bundle calls the directory of the sources.
const ROOT: &str = "__asyncioPageRoot";
/// How the page's chunks are named: esbuild's `--chunk-names`, and the
/// prefix by which an earlier build's chunks are found and removed.
const CHUNK_NAMES: &str = "page-[name]-[hash]";
const CHUNK_PREFIX: &str = "page-";

/// Builds every bundle into `out_dir`.
pub(crate) fn build(toolchain: &Toolchain, out_dir: &Path) -> Result<(), Error> {
    let esbuild = crate::pinned_npm::install(toolchain, "esbuild", "esbuild")?;
    let common = [
        "--bundle",
        "--format=esm",
        "--minify",
        "--target=es2022",
        "--log-level=warning",
    ];
    let mut editor = toolchain.command(&esbuild);
    editor
        .arg(toolchain.root.join(EDITOR_ENTRY))
        .args(common)
        .arg(format!("--outfile={}", out_dir.join(EDITOR).display()))
        .current_dir(&toolchain.root);
    println!("{}", describe(&editor));
    toolchain.run(&mut editor)?;

    let www = toolchain.root.join("www");
    let up = relative_root(&www, out_dir)?;
    remove_chunks(out_dir)?;
    let mut page = toolchain.command(&esbuild);
    page.args(PAGE_ENTRIES.map(|entry| www.join(entry)))
        .args(common)
        .args(["--splitting", "--entry-names=[name]"])
        .arg(format!("--chunk-names={CHUNK_NAMES}"))
        .arg(format!("--define:import.meta.url={ROOT}"))
        .arg(format!(
            "--banner:js=const {ROOT}=new URL({up:?},import.meta.url).href;"
        ))
        .arg(format!("--outdir={}", out_dir.display()))
        .current_dir(&toolchain.root);
    println!("{}", describe(&page));
    toolchain.run(&mut page)?;
    Ok(())
}

/// Removes the page's chunks an earlier build left in `out_dir`.
fn remove_chunks(out_dir: &Path) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_chunk(&name) {
            std::fs::remove_file(entry.path()).map_err(|source| {
                Error::io(format!("remove {}", entry.path().display()), source)
            })?;
        }
    }
    Ok(())
}

/// Whether `name` is one of the page's chunks.
pub(crate) fn is_chunk(name: &str) -> bool {
    name.starts_with(CHUNK_PREFIX) && name.ends_with(".js")
}

/// The relative URL from a file in `out_dir` to the directory `www`
/// (`"../"` for `www/pkg`); the out-dir must lie inside `www`.
fn relative_root(www: &Path, out_dir: &Path) -> Result<String, Error> {
    let inside = out_dir.strip_prefix(www).map_err(|_| Error::Config {
        path: crate::config::FILE_NAME.into(),
        message: format!(
            "out-dir {} is not inside {}, where the page's bundles must be to reach its other files",
            out_dir.display(),
            www.display()
        ),
    })?;
    let depth = inside.components().count();
    Ok(if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundles_find_the_sources_directory_from_the_out_dir() {
        let www = Path::new("/repo/www");
        assert_eq!(
            relative_root(www, Path::new("/repo/www/pkg")).unwrap(),
            "../"
        );
        assert_eq!(
            relative_root(www, Path::new("/repo/www/a/b")).unwrap(),
            "../../"
        );
        assert_eq!(relative_root(www, www).unwrap(), "./");
        assert!(relative_root(www, Path::new("/repo/out")).is_err());
    }
}
