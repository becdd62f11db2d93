//! The tasks: what `serve`, `test`, `bench` and `build` run, in order.
//!
//! Each task sets up first, then runs its steps, printing a header line
//! before each and stopping at the first that fails. Child output goes
//! straight to the terminal, and `test` runs the native tests last, so
//! the test runners' own summaries end its output.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::browser;
use crate::browser::Firefox;
use crate::cli::Task;
use crate::config::{Browser, Config, Engine, TestSettings};
use crate::dev_server::DevServer;
use crate::error::Error;
use crate::playground;
use crate::setup::{self, Engines, Needs, WASM_TARGET};
use crate::toolchain::{describe, Toolchain};
use crate::watchdog;

/// The runtime's package, at the repository root.
const RUNTIME_PACKAGE: &str = "asyncio";
/// The bench crate's package name and directory, relative to the root.
const BENCH_PACKAGE: &str = "bench";
/// What wasm-bindgen's test runner prints as it starts the browser on a
/// test binary's page (see `watchdog` for why it is watched).
const RUNNER_START: &str = "Running headless tests";
/// How long the benchmark page may take to print its first line once the
/// test runner says it is starting the browser: within seconds when it
/// loads at all.
const BENCH_START: std::time::Duration = std::time::Duration::from_secs(45);
/// Benchmark runs made before giving up, when they stall or fail.
const BENCH_ATTEMPTS: u32 = 5;
/// How long a test binary's page may take to say how many tests it runs
/// ("running N tests", once its module is compiled: the Python crate's
/// debug modules take tens of seconds on a busy machine).
const TEST_START: std::time::Duration = std::time::Duration::from_secs(180);
/// Runs of a crate's browser tests made when they stall before a page
/// loads (a failing test is never run again).
const TEST_ATTEMPTS: u32 = 3;
/// The page's smoke tests for every engine, in `e2e/`; not named
/// `*.test.mjs`, so the Chromium suite's `node --test` leaves it out.
const SMOKE_TESTS: &str = "engines.smoke.mjs";
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
        "wasm-pack build, then wasm-opt and esbuild",
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
    let settings = &config.test;
    let mut toolchain = setup::run(root, Needs::Browser)?;
    let engines = setup::engines(&mut toolchain, settings)?;
    // fmt, three clippies, two JavaScript checks, the build; a browser-test
    // run per browser; Python's browser tests; end to end; a smoke run per
    // engine; native.
    let total = 8 + settings.browsers.len() + 2 + settings.smoke_engines.len() + 2;
    let mut steps = Steps::new(&toolchain, total);
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
        "clippy for wasm32, the page's module (without the I/O examples)",
        &mut cargo(&format!(
            "clippy --target {WASM_TARGET} -p playground --no-default-features --all-targets \
             -- -D warnings"
        )),
    )?;
    steps.run(
        "clippy for wasm32, the Python crate",
        &mut cargo(&format!(
            "clippy --target {WASM_TARGET} -p {PYTHON_PACKAGE} --all-targets -- -D warnings"
        )),
    )?;
    let (mut lint, mut unit) = javascript_checks(&toolchain, root)?;
    steps.run("lint JavaScript", &mut lint)?;
    steps.run("JavaScript unit tests", &mut unit)?;
    steps.run_with(
        "build the playground",
        "wasm-pack build, then wasm-opt and esbuild",
        || playground::build(&toolchain, &config),
    )?;
    let firefox = engines.firefox.as_ref();
    browser::write_webdriver_json(
        root,
        &settings.chrome_args,
        firefox.map(|firefox| (firefox.binary.as_path(), settings.firefox_args.as_slice())),
    )?;
    // The network tests talk to a real development server; they learn its
    // address from ASYNCIO_TEST_SERVER when they are built (once: every
    // browser runs the same build).
    let server = DevServer::start(&toolchain, root)?;
    for &browser in &settings.browsers {
        let mut browser_tests = wasm_pack_test(
            &toolchain,
            settings,
            browser,
            firefox,
            root,
            RUNTIME_PACKAGE,
            false,
        )?;
        browser_tests.env("ASYNCIO_TEST_SERVER", server.url());
        // The runner's default of 20 s bounds a whole test binary; the
        // executor's tests take longer than that together (over a minute in
        // Firefox on a busy machine).
        browser_tests.env("WASM_BINDGEN_TEST_TIMEOUT", "300");
        run_browser_tests(
            &mut steps,
            &format!("browser tests in {}", browser.name()),
            &mut browser_tests,
            root,
        )?;
    }
    // Python programs in the dedicated worker, in Chromium, from the Python
    // crate's directory, with the repository's webdriver.json.
    let mut python_tests = wasm_pack_test(
        &toolchain,
        settings,
        Browser::Chrome,
        firefox,
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
    run_browser_tests(
        &mut steps,
        "Python browser tests in Chromium",
        &mut python_tests,
        root,
    )?;
    steps.run(
        "end-to-end tests in Chromium",
        &mut end_to_end(&toolchain, root, server.url())?,
    )?;
    for &engine in &settings.smoke_engines {
        steps.run(
            &format!("smoke tests in {}", engine.name()),
            &mut smoke_tests(&toolchain, root, server.url(), engine, &engines)?,
        )?;
    }
    drop(server);
    steps.run(
        "native tests of the page's module (without the I/O examples)",
        &mut cargo("test -p playground --no-default-features"),
    )?;
    // Last, so that cargo test's summaries end the output.
    steps.run("native tests", &mut cargo("test --workspace"))
}

/// ESLint and Prettier's check over `www/` and `e2e/`, and the unit tests
/// of the page's modules (`e2e/unit/`, Node's test runner, no browser),
/// with the tools `package-lock.json` at the root pins.
fn javascript_checks(toolchain: &Toolchain, root: &Path) -> Result<(Command, Command), Error> {
    let (node, npm) = browser::node(toolchain)?;
    toolchain.run(
        toolchain
            .command(&npm)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root),
    )?;
    let mut lint = toolchain.command(&npm);
    lint.args(["run", "--silent", "lint"]).current_dir(root);
    let mut unit = toolchain.command(&node);
    unit.args(["--test", "--test-reporter=spec", "e2e/unit/"])
        .current_dir(root);
    Ok((lint, unit))
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

/// The page's smoke tests in `engine` (`e2e/engines.smoke.mjs`, Node's
/// test runner driving the browser through its WebDriver server with
/// selenium-webdriver), against the running server. WebKitGTK needs a
/// display, so its run happens on a virtual one. Runs after
/// [`end_to_end`], which installs the Node packages.
fn smoke_tests(
    toolchain: &Toolchain,
    root: &Path,
    url: &str,
    engine: Engine,
    engines: &Engines,
) -> Result<Command, Error> {
    let (node, _) = browser::node(toolchain)?;
    let missing = |tool: &str| Error::Missing {
        tool: tool.into(),
        hint: "setup did not provide it".into(),
    };
    let mut command = match engine {
        Engine::Firefox => {
            let firefox = engines.firefox.as_ref().ok_or_else(|| missing("Firefox"))?;
            let mut command = toolchain.command(&node);
            command
                .env("FIREFOX", &firefox.binary)
                .env("GECKODRIVER", &firefox.geckodriver);
            command
        }
        Engine::Webkit => {
            let webkit = engines.webkit.as_ref().ok_or_else(|| missing("WebKit"))?;
            let mut command = toolchain.command(&webkit.xvfb_run);
            // A free display number, and a 24-bit screen (the default is
            // 8-bit, which GTK renders poorly).
            command
                .args(["-a", "-s", "-screen 0 1280x1024x24"])
                .arg(&node)
                .env("WEBKIT_BROWSER", &webkit.browser)
                .env("WEBKIT_WEBDRIVER", &webkit.driver);
            command
        }
    };
    command
        .args(["--test", "--test-reporter=spec", SMOKE_TESTS])
        .current_dir(root.join("e2e"))
        .env("E2E_BASE_URL", url)
        .env("E2E_ENGINE", engine.as_arg());
    Ok(command)
}

/// The benchmarks: the page's weight, built as `build` builds it, then the
/// bench crate's wasm tests, optimised, with their console output shown.
fn bench(root: &Path) -> Result<(), Error> {
    let config = Config::load(root)?;
    let toolchain = setup::run(root, Needs::Browser)?;
    let mut steps = Steps::new(&toolchain, 2);
    steps.run_with(
        "build and weigh the page",
        "wasm-pack build, then wasm-opt and esbuild; gzip",
        || {
            playground::build(&toolchain, &config)?;
            let pkg = root.join(&config.playground.out_dir);
            let www = pkg.parent().unwrap_or(root);
            print!("\n{}", crate::page_weight::weigh(www, &pkg)?.report());
            Ok(())
        },
    )?;
    let bench_dir = root.join(BENCH_PACKAGE);
    browser::write_webdriver_json(&bench_dir, &config.test.chrome_args, None)?;
    let mut command = wasm_pack_test(
        &toolchain,
        &config.test,
        Browser::Chrome,
        None,
        &bench_dir,
        BENCH_PACKAGE,
        true,
    )?;
    // wasm-pack passes what follows the crate path, `--` included, to
    // `cargo test`, which hands what follows `--` to the test runner. The
    // runner shows console output only for failed tests, unless given
    // --nocapture: then console.log lines stream to the terminal.
    command.args(["--", "--nocapture"]);
    // One test prints every table; it takes longer than the runner's
    // default 20 s bound on a test binary, and several minutes on a busy
    // machine, which must give slow numbers rather than a failed run.
    command.env("WASM_BINDGEN_TEST_TIMEOUT", "1200");
    // Now and then the test runner's page never loads (see `watchdog`): the
    // page prints its first line ("1/4 …") within seconds of the runner's
    // "Running headless tests" when it loads at all. A run that stalls or
    // fails is no measurement, so it is made again, up to BENCH_ATTEMPTS
    // times in all.
    let watch = Watch {
        sign: "1/4",
        within: BENCH_START,
        attempts: BENCH_ATTEMPTS,
        again_after_failure: true,
    };
    run_watched(&mut steps, "benchmarks", &mut command, root, &watch)
}

/// Builds the playground only.
fn build(root: &Path) -> Result<(), Error> {
    let config = Config::load(root)?;
    let toolchain = setup::run(root, Needs::Build)?;
    Steps::new(&toolchain, 1).run_with(
        "build the playground",
        "wasm-pack build, then wasm-opt and esbuild",
        || playground::build(&toolchain, &config),
    )
}

/// How a `wasm-pack test` run is watched (see [`run_watched`]).
struct Watch {
    /// What every test binary's page prints first once it has loaded.
    sign: &'static str,
    /// How long after the runner's [`RUNNER_START`] the sign may take.
    within: std::time::Duration,
    /// Runs made in all before giving up.
    attempts: u32,
    /// Whether a run that fails (not only one that stalls) is made again.
    again_after_failure: bool,
}

/// Runs a crate's browser tests (`command`, from [`wasm_pack_test`]) as
/// step `title`, each run with a fresh [`browser_scratch`]. A run in which
/// some test binary's page never loads (see `watchdog`) is stopped and
/// made again, up to `watch.attempts` times in all; so is a failed one if
/// `watch.again_after_failure`.
fn run_watched(
    steps: &mut Steps<'_>,
    title: &str,
    command: &mut Command,
    root: &Path,
    watch: &Watch,
) -> Result<(), Error> {
    let description = describe(command);
    steps.run_with(title, &description, || {
        let mut attempt = 1;
        loop {
            browser_scratch(command, root)?;
            match watchdog::run_expecting(command, RUNNER_START, watch.sign, watch.within) {
                Err(error)
                    if attempt < watch.attempts
                        && (watch.again_after_failure
                            || matches!(error, Error::Stalled { .. })) =>
                {
                    println!("\n{error}; running it again");
                    attempt += 1;
                }
                run => return run,
            }
        }
    })
}

/// Runs a crate's browser tests: a run whose page never loads is made
/// again, one that fails is not.
fn run_browser_tests(
    steps: &mut Steps<'_>,
    title: &str,
    command: &mut Command,
    root: &Path,
) -> Result<(), Error> {
    let watch = Watch {
        sign: "running ",
        within: TEST_START,
        attempts: TEST_ATTEMPTS,
        again_after_failure: false,
    };
    run_watched(steps, title, command, root, &watch)
}

/// Points `command`'s temporary files at a fresh directory under the target
/// directory, emptied first. Chromium, as wasm-bindgen's test runner drives
/// it, leaves a profile directory of 7 to 150 MB in the temporary directory
/// for every test binary (about 30 per run of the browser tests); kept here,
/// each run clears the last one's and `cargo clean` clears the rest.
fn browser_scratch(command: &mut Command, root: &Path) -> Result<(), Error> {
    let scratch = crate::dev_server::target_dir(root)
        .join("tmp")
        .join("browser-scratch");
    match std::fs::remove_dir_all(&scratch) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(Error::io(format!("empty {}", scratch.display()), err)),
    }
    std::fs::create_dir_all(&scratch)
        .map_err(|err| Error::io(format!("create {}", scratch.display()), err))?;
    command.env("TMPDIR", &scratch);
    Ok(())
}

/// `wasm-pack test` for `package` in `crate_dir`, in `browser`, never
/// installing anything itself.
///
/// What follows the crate path goes to both `cargo build --tests` and
/// `cargo test`: `-p` keeps the workspace's other default members (the
/// native server among them) out of the wasm build, and `--lib --test '*'`
/// leaves out the doctests, which run natively.
///
/// wasm-bindgen-test-runner picks its driver from the environment,
/// geckodriver's variables before ChromeDriver's, so each run is given
/// its own driver's variable and none of the others.
fn wasm_pack_test(
    toolchain: &Toolchain,
    settings: &TestSettings,
    browser: Browser,
    firefox: Option<&Firefox>,
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
    let mut command = toolchain.command(wasm_pack);
    command.args(["test", "--mode", "no-install"]);
    if release {
        command.arg("--release");
    }
    if settings.headless {
        command.arg("--headless");
    }
    command.arg(browser.as_flag());
    for driver in [
        "GECKODRIVER",
        "SAFARIDRIVER",
        "CHROMEDRIVER",
        "MSEDGEDRIVER",
    ] {
        command
            .env_remove(driver)
            .env_remove(format!("{driver}_REMOTE"));
    }
    match browser {
        Browser::Chrome => {
            let chromedriver = toolchain
                .chromedriver
                .as_ref()
                .ok_or_else(|| missing("ChromeDriver"))?;
            command.arg("--chromedriver").arg(chromedriver);
        }
        Browser::Firefox => {
            let firefox = firefox.ok_or_else(|| missing("Firefox and geckodriver"))?;
            command
                .arg("--geckodriver")
                .arg(&firefox.geckodriver)
                .env(browser::FIREFOX_ENV.0, browser::FIREFOX_ENV.1);
        }
    }
    command
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
        let started = Instant::now();
        work().map_err(|source| Error::Step {
            step: format!("{label}, after {:.1} s,", started.elapsed().as_secs_f64()),
            source: Box::new(source),
        })?;
        // Not after the last step, whose own summary ends the output.
        if self.done < self.total {
            println!(
                "==> {label} passed in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::path::PathBuf;

    use super::*;

    /// A toolchain whose `PATH` is a fresh directory holding an executable
    /// `wasm-pack`, with ChromeDriver set up.
    fn toolchain(name: &str) -> Toolchain {
        let bin = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&bin).unwrap();
        let wasm_pack = bin.join("wasm-pack");
        std::fs::write(&wasm_pack, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wasm_pack, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let mut toolchain = Toolchain::new(PathBuf::from("/repo"), bin.into_os_string());
        toolchain.chromedriver = Some(PathBuf::from("/usr/bin/chromedriver"));
        toolchain
    }

    fn settings() -> TestSettings {
        TestSettings {
            browsers: vec![Browser::Chrome, Browser::Firefox],
            headless: true,
            chrome_args: Vec::new(),
            firefox_args: Vec::new(),
            geckodriver: Some("0.37.1".into()),
            smoke_engines: Vec::new(),
        }
    }

    fn args(command: &Command) -> Vec<String> {
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect()
    }

    /// The value the command gives `name`: `Some(None)` when it removes it.
    fn env<'c>(command: &'c Command, name: &str) -> Option<Option<&'c OsStr>> {
        command
            .get_envs()
            .find(|(key, _)| *key == OsStr::new(name))
            .map(|(_, value)| value)
    }

    #[test]
    fn each_browser_run_gets_only_its_own_driver() {
        let toolchain = toolchain("drivers");
        let firefox = Firefox {
            binary: PathBuf::from("/usr/bin/firefox-esr"),
            geckodriver: PathBuf::from("/opt/geckodriver"),
        };
        let root = Path::new("/repo");

        let chrome = wasm_pack_test(
            &toolchain,
            &settings(),
            Browser::Chrome,
            Some(&firefox),
            root,
            "asyncio",
            false,
        )
        .unwrap();
        let chrome_args = args(&chrome);
        assert!(
            chrome_args.contains(&"--chrome".to_owned()),
            "{chrome_args:?}"
        );
        assert!(!chrome_args.contains(&"--firefox".to_owned()));
        assert!(chrome_args.contains(&"/usr/bin/chromedriver".to_owned()));
        // The runner would take a GECKODRIVER from the environment first.
        assert_eq!(env(&chrome, "GECKODRIVER"), Some(None));
        assert_eq!(env(&chrome, "GECKODRIVER_REMOTE"), Some(None));

        let gecko = wasm_pack_test(
            &toolchain,
            &settings(),
            Browser::Firefox,
            Some(&firefox),
            root,
            "asyncio",
            false,
        )
        .unwrap();
        let gecko_args = args(&gecko);
        assert!(
            gecko_args.contains(&"--firefox".to_owned()),
            "{gecko_args:?}"
        );
        assert!(!gecko_args.contains(&"--chrome".to_owned()));
        assert!(gecko_args.contains(&"/opt/geckodriver".to_owned()));
        assert_eq!(env(&gecko, "CHROMEDRIVER"), Some(None));
        assert_eq!(
            env(&gecko, browser::FIREFOX_ENV.0),
            Some(Some(OsStr::new(browser::FIREFOX_ENV.1)))
        );
    }

    #[test]
    fn firefox_without_its_driver_is_a_clear_error() {
        let toolchain = toolchain("no-gecko");
        let error = wasm_pack_test(
            &toolchain,
            &settings(),
            Browser::Firefox,
            None,
            Path::new("/repo"),
            "asyncio",
            false,
        )
        .unwrap_err();
        assert!(error.to_string().contains("geckodriver"), "{error}");
    }
}
