// Firefox and WebKit for the engine smoke tests, driven through their own
// WebDriver servers with selenium-webdriver: geckodriver with Firefox ESR,
// WebKitWebDriver with WebKitGTK's MiniBrowser (on the display xvfb-run
// gives). The browsers and drivers are the system's, named by the
// environment (`cargo xtask test` sets it); nothing is ever downloaded.
import { Capabilities, WebDriver } from "selenium-webdriver";
import remote from "selenium-webdriver/remote/index.js";
import http from "selenium-webdriver/http/index.js";
import portprober from "selenium-webdriver/net/portprober.js";

// Selenium Manager finds and downloads drivers and browsers when a session
// is started without a driver. Every session here is started on a driver
// this module runs, so it is never needed: point it at a path that does not
// exist, so that a code path that would reach it fails instead of fetching.
process.env.SE_MANAGER_PATH = "/nonexistent/selenium-manager-is-never-used";

export const baseUrl = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000";

// Firefox looks up its remote settings server in the background; the tests
// talk to the loopback dev server only. Release builds take another server
// only with MOZ_REMOTE_SETTINGS_DEVTOOLS set, which the drivers started here
// pass on to the browser. (xtask does the same for the runtime's tests.)
const FIREFOX_PREFS = { "services.settings.server": "data:,#remote-settings-dummy/v1" };
process.env.MOZ_REMOTE_SETTINGS_DEVTOOLS = "1";

// Each engine: its driver, the arguments that start the driver on `port`,
// the environment the driver passes on to its browser, and the
// capabilities that start the browser.
const ENGINES = {
  firefox: {
    name: "Firefox",
    driver: () => required("GECKODRIVER", "geckodriver"),
    driverArgs: (port) => ["--host", "127.0.0.1", "--port", String(port)],
    env: {},
    capabilities: () => ({
      browserName: "firefox",
      "moz:firefoxOptions": { binary: required("FIREFOX", "Firefox"), args: ["-headless"], prefs: FIREFOX_PREFS },
    }),
  },
  webkit: {
    name: "WebKit",
    driver: () => required("WEBKIT_WEBDRIVER", "WebKitWebDriver"),
    driverArgs: (port) => ["--host=127.0.0.1", `--port=${port}`],
    // On Xvfb, OpenGL is Mesa's software rasteriser, in which WebKitGTK's
    // compositor thread now and then crashes the page: paint on the CPU,
    // without accelerated compositing, as on a machine without a GPU.
    env: { WEBKIT_DISABLE_COMPOSITING_MODE: "1", WEBKIT_SKIA_ENABLE_CPU_RENDERING: "1" },
    capabilities: () => ({
      "webkitgtk:browserOptions": { binary: required("WEBKIT_BROWSER", "MiniBrowser"), args: ["--automation"] },
    }),
  },
};

function required(variable, what) {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} must give the path of ${what} (cargo xtask test sets it)`);
  return value;
}

// The engine named by E2E_ENGINE ("firefox" or "webkit").
export function engineFromEnv() {
  const id = process.env.E2E_ENGINE;
  if (!ENGINES[id]) {
    throw new Error(`E2E_ENGINE must be one of ${Object.keys(ENGINES).join(", ")}; got ${id}`);
  }
  return { id, name: ENGINES[id].name };
}

// Starts `engine`'s driver on a free loopback port, then a browser
// session through it. Resolves to `{ driver, quit }`; `quit` ends the
// session and the driver.
export async function launch(engine) {
  const spec = ENGINES[engine];
  const port = await portprober.findFreePort("127.0.0.1");
  const service = new remote.DriverService(spec.driver(), {
    port,
    args: spec.driverArgs(port),
    hostname: "127.0.0.1",
    loopback: true,
    env: { ...process.env, ...spec.env },
    // Firefox logs its own internal script errors there; a driver that
    // fails to start is reported by `start`, a session refused by
    // `createSession`.
    stdio: "ignore",
  });
  const url = await service.start(30_000);
  const executor = new http.Executor(new http.HttpClient(url));
  try {
    const driver = await WebDriver.createSession(executor, new Capabilities(spec.capabilities()));
    await driver.manage().setTimeouts({ script: 60_000 });
    return {
      driver,
      quit: async () => {
        try {
          await driver.quit();
        } finally {
          await service.kill();
        }
      },
    };
  } catch (error) {
    await service.kill();
    throw error;
  }
}

// Polls `condition` (a function run in the page, returning a truthy value
// when done) every 50 ms until it holds or `timeout` ms pass; resolves to
// its value.
export async function waitInPage(driver, condition, timeout, message) {
  const started = Date.now();
  for (;;) {
    const value = await driver.executeScript(`return (${condition})();`);
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`${message} (after ${timeout} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
