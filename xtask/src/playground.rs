//! Building the playground: wasm-pack, then wasm-opt and esbuild run here;
//! then the page's bundles, the examples' listings and the Python engine
//! (see `bundles.rs`, `listings.rs`
//! and `python_engine.rs`); last, the precompressed copies the dev server
//! sends (`precompress.rs`).
//!
//! wasm-pack is always given `--no-opt`: its own wasm-opt step would
//! download binaryen, which cannot work offline. When `wasm-pack.toml`
//! enables wasm-opt with arguments, the `wasm-opt` of the pinned npm
//! `binaryen` (see `wasm_opt.rs`) runs on the built module; should it fail
//! or change the module's exports, the unoptimised module is kept and a
//! one-line warning says so. Then the pinned npm `esbuild` minifies the
//! package's JavaScript where it was written.

use std::path::Path;
use std::process::Stdio;

use crate::config::{Config, WasmOpt};
use crate::error::Error;
use crate::toolchain::{describe, Toolchain};
use crate::wasm_interface;

/// Builds the playground crate into the configured output directory.
pub(crate) fn build(toolchain: &Toolchain, config: &Config) -> Result<(), Error> {
    let settings = &config.playground;
    let crate_dir = toolchain.root.join(&settings.crate_dir);
    let out_dir = toolchain.root.join(&settings.out_dir);
    let Some(wasm_pack) = toolchain.find("wasm-pack") else {
        return Err(Error::Missing {
            tool: "wasm-pack".into(),
            hint: "setup did not find it on PATH".into(),
        });
    };
    // Two packages from the one crate: the page's, without the I/O examples
    // (the crate's `io` feature), which every visitor loads, and the I/O
    // module, with every example, which the page loads when one of those is
    // chosen (see `www/wasm.js`).
    let io_name = io_package_name(&settings.out_name);
    for (out_name, cargo_args) in [
        (settings.out_name.as_str(), &["--no-default-features"][..]),
        (io_name.as_str(), &[][..]),
    ] {
        let mut command = toolchain.command(&wasm_pack);
        command
            .args(["build", "--mode", "no-install", "--no-opt", "--no-pack"])
            .args(["--target", settings.target.as_arg()])
            .args(settings.profile.as_args())
            .arg("--out-dir")
            .arg(&out_dir)
            .args(["--out-name", out_name])
            .arg(&crate_dir);
        if !cargo_args.is_empty() {
            command.arg("--").args(cargo_args);
        }
        println!("{}", describe(&command));
        toolchain.run(&mut command)?;
        let module = out_dir.join(format!("{out_name}_bg.wasm"));
        optimise(toolchain, &config.wasm_opt, &module)?;
    }
    minify(toolchain, &out_dir)?;
    crate::bundles::build(toolchain, &out_dir)?;
    let examples = crate::listings::write(&out_dir)?;
    println!(
        "listings: {examples} examples in {}",
        out_dir.join(crate::listings::DIR).display()
    );
    crate::python_engine::build(toolchain, &out_dir)?;
    let copies = crate::precompress::write(&out_dir)?;
    println!(
        "precompressed: {} files with .gz and .br copies ({} copies written, {} removed)",
        copies.files, copies.written, copies.removed
    );
    Ok(())
}

/// The name of the I/O module's package beside the page's `out_name`.
pub(crate) fn io_package_name(out_name: &str) -> String {
    format!("{out_name}_io")
}

/// Minifies the package's JavaScript in place with the pinned esbuild:
/// wasm-bindgen's glue and the snippets it copied beside it, files this
/// build has just written (the page's own sources are never rewritten).
/// Each stays an ES module with its imports and exports as they were.
fn minify(toolchain: &Toolchain, out_dir: &Path) -> Result<(), Error> {
    let esbuild = crate::pinned_npm::install(toolchain, "esbuild", "esbuild")?;
    let mut files = Vec::new();
    javascript_files(out_dir, &mut files)?;
    files.sort();
    let size = |files: &[std::path::PathBuf]| -> Result<u64, Error> {
        files.iter().try_fold(0, |total, file| {
            let meta = std::fs::metadata(file)
                .map_err(|source| Error::io(format!("read {}", file.display()), source))?;
            Ok(total + meta.len())
        })
    };
    let before = size(&files)?;
    for file in &files {
        let mut command = toolchain.command(&esbuild);
        command
            .arg(file)
            .args(["--minify", "--format=esm", "--allow-overwrite"])
            .arg("--log-level=warning")
            .arg(format!("--outfile={}", file.display()));
        toolchain.run(&mut command)?;
    }
    println!(
        "esbuild: {} JavaScript files minified, {before} -> {} bytes",
        files.len(),
        size(&files)?
    );
    Ok(())
}

/// The JavaScript files under `dir`, in its subdirectories too, but not
/// the Python engine's package (built after this and loaded apart from the
/// page) nor the bundles (minified as esbuild makes them).
fn javascript_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    let mut files = Vec::new();
    crate::page_weight::list(dir, &mut files)?;
    let engine = dir.join(crate::python_engine::DIR);
    out.extend(files.into_iter().filter(|path| {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        !path.starts_with(&engine)
            && (name.ends_with(".js") || name.ends_with(".mjs"))
            && name != crate::bundles::EDITOR
            && !crate::bundles::PAGE_ENTRIES.contains(&name)
            && !crate::bundles::is_chunk(name)
    }));
    Ok(())
}

/// Runs wasm-opt on `module` in place, if enabled and able.
fn optimise(toolchain: &Toolchain, settings: &WasmOpt, module: &Path) -> Result<(), Error> {
    if !settings.enabled || settings.args.is_empty() {
        println!("wasm-opt: off in wasm-pack.toml; the module is left as built");
        return Ok(());
    }
    let wasm_opt = crate::wasm_opt::install(toolchain)?;
    let original = read(module)?;
    let optimised_path = module.with_extension("opt.wasm");
    let mut command = toolchain.command(&wasm_opt);
    command
        .args(&settings.args)
        .arg(module)
        .arg("-o")
        .arg(&optimised_path)
        .stdin(Stdio::null());
    println!("{}", describe(&command));
    let outcome = command.output().map_err(|source| Error::Spawn {
        program: wasm_opt.display().to_string(),
        source,
    })?;
    let optimised = if outcome.status.success() {
        read(&optimised_path).map_err(|error| error.to_string())
    } else {
        let stderr = String::from_utf8_lossy(&outcome.stderr);
        let reason = stderr.lines().map(str::trim).find(|line| !line.is_empty());
        Err(reason.unwrap_or("it failed without a message").to_owned())
    };
    let _ = std::fs::remove_file(&optimised_path);
    let verdict = optimised.and_then(|optimised| match interface_change(&original, &optimised) {
        Some(change) => Err(change),
        None => Ok(optimised),
    });
    match verdict {
        Ok(optimised) => {
            std::fs::write(module, &optimised)
                .map_err(|source| Error::io(format!("write {}", module.display()), source))?;
            println!("wasm-opt: {} -> {} bytes", original.len(), optimised.len());
        }
        Err(reason) => println!(
            "warning: {} cannot optimise this module ({reason}); it is left unoptimised",
            version(toolchain, &wasm_opt)
        ),
    }
    Ok(())
}

/// How the optimised module's exports differ from the original's, or
/// why that cannot be checked; `None` when they match.
fn interface_change(original: &[u8], optimised: &[u8]) -> Option<String> {
    let before = match wasm_interface::read(original) {
        Ok(interface) => interface,
        Err(error) => {
            return Some(format!(
                "the built module's exports cannot be read: {error}"
            ))
        }
    };
    match wasm_interface::read(optimised) {
        Ok(after) => wasm_interface::first_difference(&before, &after),
        Err(error) => Some(format!("its output cannot be read: {error}")),
    }
}

/// `wasm-opt version N`, or just `wasm-opt` if it does not say.
fn version(toolchain: &Toolchain, wasm_opt: &Path) -> String {
    toolchain
        .output(toolchain.command(wasm_opt).arg("--version"))
        .and_then(|text| text.lines().next().map(str::trim).map(str::to_owned))
        .filter(|line| !line.is_empty())
        .unwrap_or_else(|| "wasm-opt".to_owned())
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::io(format!("read {}", path.display()), source))
}
