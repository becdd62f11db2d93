//! The page's Python editor: `www/bundles/codemirror.js` imports
//! CodeMirror 6 from npm (the versions the root `package.json` pins), and
//! esbuild (pinned there too) bundles it into one minified module,
//! `codemirror.js` in the playground's out-dir, which the page imports
//! only when an element shows an editor.

use std::path::Path;

use crate::error::Error;
use crate::toolchain::{describe, Toolchain};

/// The bundle's entry point, relative to the repository root.
const ENTRY: &str = "www/bundles/codemirror.js";
/// The bundle's file name in the out-dir.
pub(crate) const BUNDLE: &str = "codemirror.js";

/// Bundles the editor into `<out_dir>/codemirror.js`.
pub(crate) fn build(toolchain: &Toolchain, out_dir: &Path) -> Result<(), Error> {
    let esbuild = crate::pinned_npm::install(toolchain, "esbuild", "esbuild")?;
    let mut command = toolchain.command(&esbuild);
    command
        .arg(toolchain.root.join(ENTRY))
        .args([
            "--bundle",
            "--format=esm",
            "--minify",
            "--target=es2022",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", out_dir.join(BUNDLE).display()))
        .current_dir(&toolchain.root);
    println!("{}", describe(&command));
    toolchain.run(&mut command)
}
