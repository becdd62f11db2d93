//! The tasks: what `serve`, `test`, `bench` and `build` run, in order.
//!
//! Each task sets up first, then runs its steps, printing a header line
//! before each and stopping at the first that fails. Child output goes
//! straight to the terminal, and `test` runs the native tests last, so
//! the test runners' own summaries end its output.

use std::path::Path;
use std::process::Command;

use crate::browser;
use crate::cli::Task;
use crate::config::{Config, TestSettings};
use crate::dev_server::DevServer;
use crate::error::Error;
use crate::playground;
use crate::setup::{self, Needs, WASM_TARGET};
use crate::toolchain::{describe, Toolchain};

/// The runtime's package, at the repository root.
const RUNTIME_PACKAGE: &str = "asyncio";
/// The bench crate's package name and directory, relative to the root.
const BENCH_PACKAGE: &str = "bench";
/// The crate that runs Python programs on the runtime.
const PYTHON_PACKAGE: &str = "asyncio-python";

/// Runs a task from the repository at `root`.
pub(crate) fn run(task: Task, root: &Path) -> Result<(), Error> {
    match task {
        Task::Serve { host, port } => serve(root, host, port),
        Task::Test => test(root),
        Task::Bench => bench(root),
        Task::Build => build(root),
        Task::Help => {
            print!("{}", crate::cli::USAGE);
            Ok(())
        }
    }
}

/// Builds the playground, then runs the server until it is stopped.
fn serve(root: &Path, host: Option<String>, port: Option<String>) -> Result<(), Error> {
    let config = Config::load(root)?;
    let toolchain = setup::run(root, Needs::Build)?;
    let mut steps = Steps::new(&toolchain, 2);
    steps.run_with(
        "build the playground",
        "wasm-pack build, then wasm-opt",
        || playground::build(&toolchain, &config),
    )?;
    let mut server = toolchain.cargo();
    server.args(["run", "--release", "-p", "server", "--"]);
    if let Some(host) = host {
        server.args(["--host", &host]);
    }
    if let Some(port) = port {
        server.args(["--port", &port]);
    }
    steps.run("serve the playground", &mut server)
}

/// Every check and test, failing fast.
fn test(root: &Path) -> Result<(), Error> {
    let config = Config::load(root)?;
    let toolchain = setup::run(root, Needs::Browser)?;
    let mut steps = Steps::new(&toolchain, 9);
    let cargo = |args: &str| {
        let mut command = toolchain.cargo();
        command.args(args.split_whitespace());
        command
    };
    steps.run("check formatting", &mut cargo("fmt --all -- --check"))?;
    steps.run(
        "clippy for the host",
        &mut cargo("clippy --workspace --all-targets -- -D warnings"),
    )?;
    steps.run(
        "clippy for wasm32",
        &mut cargo(&format!(
            "clippy --target {WASM_TARGET} -p {RUNTIME_PACKAGE} -p playground -p {BENCH_PACKAGE} \
             --all-targets -- -D warnings"
        )),
    )?;
    steps.run(
        "clippy for wasm32, the Python crate",
        &mut cargo(&format!(
            "clippy --target {WASM_TARGET} -p {PYTHON_PACKAGE} --all-targets -- -D warnings"
        )),
    )?;
    steps.run_with(
        "build the playground",
        "wasm-pack build, then wasm-opt",
        || playground::build(&toolchain, &config),
    )?;
    browser::write_webdriver_json(root, &config.test.chrome_args)?;
    // The network tests talk to a real development server; they learn its
    // address from ASYNCIO_TEST_SERVER when they are built.
    let server = DevServer::start(&toolchain, root)?;
    let mut browser_tests = wasm_pack_test(&toolchain, &config.test, root, RUNTIME_PACKAGE, false)?;
    browser_tests.env("ASYNCIO_TEST_SERVER", server.url());
    // The runner's default of 20 s bounds a whole test binary; the
    // executor's and the network's tests take longer than that together.
    browser_tests.env("WASM_BINDGEN_TEST_TIMEOUT", "180");
    steps.run("browser tests", &mut browser_tests)?;
    // Python programs in the dedicated worker, from the Python crate's
    // directory, with the repository's webdriver.json.
    let mut python_tests = wasm_pack_test(
        &toolchain,
        &config.test,
        &root.join("python"),
        PYTHON_PACKAGE,
        false,
    )?;
    python_tests
        .env("ASYNCIO_TEST_SERVER", server.url())
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root.join(browser::WEBDRIVER_JSON),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    steps.run("Python browser tests", &mut python_tests)?;
    steps.run(
        "end-to-end tests",
        &mut end_to_end(&toolchain, root, server.url())?,
    )?;
    drop(server);
    // Last, so that cargo test's summaries end the output.
    steps.run("native tests", &mut cargo("test --workspace"))
}

/// The page's end-to-end tests (`e2e/`, Node's test runner driving the
/// system's Chromium with playwright-core), against the running server.
fn end_to_end(toolchain: &Toolchain, root: &Path, url: &str) -> Result<Command, Error> {
    let (node, npm) = browser::node(toolchain)?;
    let e2e = root.join("e2e");
    // Installs exactly what package-lock.json pins; quick when it is there.
    toolchain.run(
        toolchain
            .command(&npm)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&e2e),
    )?;
    let mut command = toolchain.command(&node);
    command
        .arg("--test")
        .arg("--test-reporter=spec")
        .current_dir(&e2e)
        .env("E2E_BASE_URL", url)
        .env("CHROMIUM", browser::DEBIAN_CHROMIUM);
    Ok(command)
}

/// The benchmarks: the bench crate's wasm tests, optimised, with their
/// console output shown.
fn bench(root: &Path) -> Result<(), Error> {
    let config = Config::load(root)?;
    let toolchain = setup::run(root, Needs::Browser)?;
    let bench_dir = root.join(BENCH_PACKAGE);
    browser::write_webdriver_json(&bench_dir, &config.test.chrome_args)?;
    let mut command = wasm_pack_test(&toolchain, &config.test, &bench_dir, BENCH_PACKAGE, true)?;
    // wasm-pack passes what follows the crate path, `--` included, to
    // `cargo test`, which hands what follows `--` to the test runner. The
    // runner shows console output only for failed tests, unless given
    // --nocapture: then console.log lines stream to the terminal.
    command.args(["--", "--nocapture"]);
    // One test prints every table; it takes longer than the runner's
    // default 20 s bound on a test binary.
    command.env("WASM_BINDGEN_TEST_TIMEOUT", "180");
    Steps::new(&toolchain, 1).run("benchmarks", &mut command)
}

/// Builds the playground only.
fn build(root: &Path) -> Result<(), Error> {
    let config = Config::load(root)?;
    let toolchain = setup::run(root, Needs::Build)?;
    Steps::new(&toolchain, 1).run_with(
        "build the playground",
        "wasm-pack build, then wasm-opt",
        || playground::build(&toolchain, &config),
    )
}

/// `wasm-pack test` for `package` in `crate_dir`, in the configured
/// browsers, never installing anything itself.
///
/// What follows the crate path goes to both `cargo build --tests` and
/// `cargo test`: `-p` keeps the workspace's other default members (the
/// native server among them) out of the wasm build, and `--lib --test '*'`
/// leaves out the doctests, which run natively.
fn wasm_pack_test(
    toolchain: &Toolchain,
    settings: &TestSettings,
    crate_dir: &Path,
    package: &str,
    release: bool,
) -> Result<Command, Error> {
    let missing = |tool: &str| Error::Missing {
        tool: tool.into(),
        hint: "setup did not provide it".into(),
    };
    let wasm_pack = toolchain
        .find("wasm-pack")
        .ok_or_else(|| missing("wasm-pack"))?;
    let chromedriver = toolchain
        .chromedriver
        .as_ref()
        .ok_or_else(|| missing("ChromeDriver"))?;
    let mut command = toolchain.command(wasm_pack);
    command.args(["test", "--mode", "no-install"]);
    if release {
        command.arg("--release");
    }
    if settings.headless {
        command.arg("--headless");
    }
    for browser in &settings.browsers {
        command.arg(browser.as_flag());
    }
    command
        .arg("--chromedriver")
        .arg(chromedriver)
        .arg(crate_dir)
        .args(["-p", package, "--lib", "--test", "*"]);
    Ok(command)
}

/// Numbered steps with a header line each.
struct Steps<'t> {
    toolchain: &'t Toolchain,
    done: usize,
    total: usize,
}

impl<'t> Steps<'t> {
    fn new(toolchain: &'t Toolchain, total: usize) -> Self {
        Steps {
            toolchain,
            done: 0,
            total,
        }
    }

    /// Runs one command as the next step.
    fn run(&mut self, title: &str, command: &mut Command) -> Result<(), Error> {
        let toolchain = self.toolchain;
        self.run_with(title, &describe(command), || toolchain.run(command))
    }

    /// Runs `work` as the next step, shown as `what`.
    fn run_with(
        &mut self,
        title: &str,
        what: &str,
        work: impl FnOnce() -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.done += 1;
        let label = format!("step {}/{} ({title})", self.done, self.total);
        println!("\n==> {label}: {what}");
        work().map_err(|source| Error::Step {
            step: label,
            source: Box::new(source),
        })
    }
}
