//! Setup: everything the tasks need, installed only when missing.
//!
//! Run before every task. When all is present it only looks, so it is
//! fast; what it installs it says. It never lets wasm-pack download
//! anything: wasm-bindgen comes from `PATH` at exactly the version in
//! `Cargo.lock`, ChromeDriver from `CHROMEDRIVER`.

use std::env;
use std::path::{Path, PathBuf};

use crate::browser::{self, Firefox, WebKit};
use crate::config::{Engine, TestSettings};
use crate::error::Error;
use crate::lockfile;
use crate::toolchain::Toolchain;

/// The compilation target of the runtime and the playground.
pub(crate) const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Whether the task also needs the test browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Needs {
    /// Building only.
    Build,
    /// Building and running tests in Chromium.
    Browser,
}

/// Makes sure every tool is there and returns how to run them.
pub(crate) fn run(root: &Path, needs: Needs) -> Result<Toolchain, Error> {
    let mut toolchain = Toolchain::new(root.to_path_buf(), env::var_os("PATH").unwrap_or_default());
    if let Some(bin) = cargo_bin_dir() {
        if !env::split_paths(toolchain.path()).any(|dir| dir == bin) {
            println!("setup: adding {} to PATH", bin.display());
            toolchain.prepend_to_path(&bin);
        }
    }
    wasm_target(&toolchain)?;
    let wasm_pack = wasm_pack(&toolchain)?;
    let bindgen_version = lockfile::wasm_bindgen_version(root)?;
    wasm_bindgen(&mut toolchain, &bindgen_version)?;
    if needs == Needs::Browser {
        toolchain.chromedriver = Some(browser::chromedriver(&toolchain)?);
    }
    println!(
        "setup: ready ({WASM_TARGET}, {}, wasm-bindgen {bindgen_version}{})",
        wasm_pack.display(),
        match &toolchain.chromedriver {
            Some(driver) => format!(", {}", driver.display()),
            None => String::new(),
        }
    );
    Ok(toolchain)
}

/// The engines besides Chromium that the tests use.
#[derive(Debug, Clone)]
pub(crate) struct Engines {
    /// Firefox and geckodriver, if `[test]` names Firefox anywhere.
    pub(crate) firefox: Option<Firefox>,
    /// WebKitGTK, its driver and Xvfb, if the smoke tests run in WebKit.
    pub(crate) webkit: Option<WebKit>,
}

/// Makes sure Firefox with the pinned geckodriver, and WebKitGTK with its
/// driver and Xvfb, are there when `settings` use them.
pub(crate) fn engines(
    toolchain: &mut Toolchain,
    settings: &TestSettings,
) -> Result<Engines, Error> {
    let firefox = match (&settings.geckodriver, settings.uses_firefox()) {
        (Some(version), true) => Some(browser::firefox(toolchain, version)?),
        _ => None,
    };
    let webkit = if settings.smoke_engines.contains(&Engine::Webkit) {
        Some(browser::webkit(toolchain)?)
    } else {
        None
    };
    if let Some(firefox) = &firefox {
        println!(
            "setup: Firefox at {}, {}",
            firefox.binary.display(),
            firefox.geckodriver.display()
        );
    }
    if let Some(webkit) = &webkit {
        println!(
            "setup: WebKit at {}, {}, {}",
            webkit.browser.display(),
            webkit.driver.display(),
            webkit.xvfb_run.display()
        );
    }
    Ok(Engines { firefox, webkit })
}

/// `$CARGO_HOME/bin`, where `cargo install` puts programs.
pub(crate) fn cargo_bin_dir() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    Some(home.join("bin"))
}

/// Adds the wasm32 target with rustup unless it is installed.
fn wasm_target(toolchain: &Toolchain) -> Result<(), Error> {
    let Some(rustup) = toolchain.find("rustup") else {
        // Without rustup, the target is there only if the sysroot has it.
        let sysroot = toolchain
            .output(toolchain.command("rustc").args(["--print", "sysroot"]))
            .unwrap_or_default();
        let target_dir = Path::new(sysroot.trim())
            .join("lib/rustlib")
            .join(WASM_TARGET);
        return if target_dir.is_dir() {
            Ok(())
        } else {
            Err(Error::Missing {
                tool: format!("the {WASM_TARGET} target"),
                hint: "install Rust with rustup (https://rustup.rs), which can add it".into(),
            })
        };
    };
    let installed = toolchain
        .output(
            toolchain
                .command(&rustup)
                .args(["target", "list", "--installed"]),
        )
        .unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("setup: installing the {WASM_TARGET} target with rustup");
    toolchain.run(
        toolchain
            .command(&rustup)
            .args(["target", "add", WASM_TARGET]),
    )
}

/// wasm-pack from `PATH`, else `cargo install wasm-pack`.
fn wasm_pack(toolchain: &Toolchain) -> Result<PathBuf, Error> {
    if let Some(path) = toolchain.find("wasm-pack") {
        return Ok(path);
    }
    println!("setup: wasm-pack not found; installing it with cargo install");
    cargo_install(toolchain, "wasm-pack", None)?;
    toolchain.find("wasm-pack").ok_or_else(|| Error::Missing {
        tool: "wasm-pack".into(),
        hint: "it was installed but is not on PATH; add Cargo's bin directory to PATH".into(),
    })
}

/// wasm-bindgen (and its test runner) at exactly `version`, from `PATH`,
/// else `cargo install wasm-bindgen-cli --version <version>`.
fn wasm_bindgen(toolchain: &mut Toolchain, version: &str) -> Result<(), Error> {
    match installed_wasm_bindgen(toolchain) {
        Some(found) if found == version => return Ok(()),
        Some(found) => println!(
            "setup: wasm-bindgen {found} found, but Cargo.lock pins {version}; installing {version}"
        ),
        None => println!("setup: wasm-bindgen not found; installing {version} with cargo install"),
    }
    cargo_install(toolchain, "wasm-bindgen-cli", Some(version))?;
    // An older copy elsewhere on PATH must not shadow the new one.
    if let Some(bin) = cargo_bin_dir() {
        toolchain.prepend_to_path(&bin);
    }
    match installed_wasm_bindgen(toolchain) {
        Some(found) if found == version => Ok(()),
        found => Err(Error::Missing {
            tool: format!("wasm-bindgen {version}"),
            hint: format!(
                "after installing, PATH still gives {}",
                found.as_deref().unwrap_or("no wasm-bindgen")
            ),
        }),
    }
}

/// The version of the `wasm-bindgen` on `PATH`, if it and its test
/// runner are both there.
fn installed_wasm_bindgen(toolchain: &Toolchain) -> Option<String> {
    let path = toolchain.find("wasm-bindgen")?;
    let runner = path.with_file_name("wasm-bindgen-test-runner");
    if !crate::toolchain::is_executable(&runner) {
        return None;
    }
    let output = toolchain.output(toolchain.command(&path).arg("--version"))?;
    // "wasm-bindgen 0.2.130", as wasm-pack reads it too.
    output.split_whitespace().nth(1).map(str::to_owned)
}

/// `cargo install <krate> [--version V] --locked`, retried without
/// `--locked` if the crate's own lock file names a version the registry
/// no longer offers (a yanked dependency).
pub(crate) fn cargo_install(
    toolchain: &Toolchain,
    krate: &str,
    version: Option<&str>,
) -> Result<(), Error> {
    let install = |locked: bool| {
        let mut command = toolchain.cargo();
        command.args(["install", krate]);
        if let Some(version) = version {
            command.args(["--version", version]);
        }
        if locked {
            command.arg("--locked");
        }
        toolchain.run(&mut command)
    };
    install(true).or_else(|error| {
        println!("setup: `cargo install --locked` failed ({error}); retrying without --locked");
        install(false)
    })
}
