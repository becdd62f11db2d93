//! Tools from npm at exactly the versions the root `package.json` pins, on
//! every machine: `wasm-opt` from `binaryen`, and `esbuild`.
//!
//! A system binaryen may be too old for the module rustc emits (Debian
//! 12's binaryen 108 re-points the exported externref table), so the
//! `wasm-opt` on `PATH` is never used. npm's `binaryen` runs `wasm-opt`
//! under Node, which the page's checks need anyway; setup installs it with
//! `npm ci` at the root, as the test command installs the JavaScript tools.

use std::path::{Path, PathBuf};

use crate::browser;
use crate::error::Error;
use crate::toolchain::Toolchain;

/// The package that brings `wasm-opt`.
const BINARYEN: &str = "binaryen";
/// The package that brings `esbuild`.
const ESBUILD: &str = "esbuild";

/// The version `package.json` pins for `package`.
pub(crate) fn pinned_version(root: &Path, package: &str) -> Result<String, Error> {
    let path = root.join("package.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|source| Error::io(format!("read {}", path.display()), source))?;
    pinned_in(&text, package).map_err(|message| Error::Config { path, message })
}

/// The exact version of `package` among `devDependencies` in a
/// `package.json`'s text.
fn pinned_in(text: &str, package: &str) -> Result<String, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let version = json
        .get("devDependencies")
        .and_then(|deps| deps.get(package))
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| format!("devDependencies names no {package}"))?;
    let exact = !version.is_empty()
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if exact {
        Ok(version.to_owned())
    } else {
        Err(format!(
            "{package} must be pinned to an exact version, not `{version}`"
        ))
    }
}

/// The version of `package` installed under `node_modules`, if any.
fn installed_version(root: &Path, package: &str) -> Option<String> {
    let text =
        std::fs::read_to_string(root.join("node_modules").join(package).join("package.json"))
            .ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("version")?.as_str().map(str::to_owned)
}

/// The pinned `wasm-opt`, installed with `npm ci` at the root when it is
/// missing or another version.
pub(crate) fn install(toolchain: &Toolchain) -> Result<PathBuf, Error> {
    install_tool(toolchain, BINARYEN, "wasm-opt")
}

/// The pinned `esbuild`, installed as [`install`] installs `wasm-opt`.
pub(crate) fn install_esbuild(toolchain: &Toolchain) -> Result<PathBuf, Error> {
    install_tool(toolchain, ESBUILD, "esbuild")
}

/// The program `bin` of the pinned npm `package`, installed with `npm ci`
/// at the root when it is missing or another version.
fn install_tool(toolchain: &Toolchain, package: &str, bin: &str) -> Result<PathBuf, Error> {
    let root = &toolchain.root;
    let pinned = pinned_version(root, package)?;
    let program = root.join("node_modules").join(".bin").join(bin);
    let ready = || {
        installed_version(root, package).as_deref() == Some(pinned.as_str()) && program.is_file()
    };
    if ready() {
        return Ok(program);
    }
    println!("setup: installing {package} {pinned} ({bin}) with npm ci");
    let (_, npm) = browser::node(toolchain)?;
    toolchain.run(
        toolchain
            .command(&npm)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root),
    )?;
    if ready() {
        Ok(program)
    } else {
        Err(Error::Missing {
            tool: format!("{bin} ({package} {pinned})"),
            hint: format!(
                "npm ci finished but node_modules/.bin/{bin} is missing or another version"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_read_from_dev_dependencies() {
        let text = r#"{"devDependencies": {"eslint": "10.15.0", "binaryen": "132.0.0"}}"#;
        assert_eq!(pinned_in(text, "binaryen").as_deref(), Ok("132.0.0"));
        assert!(pinned_in(text, "esbuild").is_err());
    }

    #[test]
    fn a_range_or_a_missing_pin_is_refused() {
        for version in ["^132.0.0", "~132", "132.x", "latest", ""] {
            let text = format!(r#"{{"devDependencies": {{"binaryen": "{version}"}}}}"#);
            assert!(pinned_in(&text, "binaryen").is_err(), "{version}");
        }
        assert!(pinned_in(r#"{"devDependencies": {}}"#, "binaryen").is_err());
        assert!(pinned_in("not json", "binaryen").is_err());
    }

    #[test]
    fn the_repository_pins_binaryen_and_esbuild() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(pinned_version(&root, BINARYEN).is_ok());
        assert!(pinned_version(&root, ESBUILD).is_ok());
    }
}
