//! The test browsers and their drivers: Chromium with ChromeDriver,
//! Firefox ESR with geckodriver, WebKitGTK's MiniBrowser with
//! WebKitWebDriver under Xvfb; and the options file
//! `wasm-bindgen-test-runner` reads to start Chrome and Firefox.
//!
//! The runner looks for `webdriver.json` in the directory the tests run
//! in (the crate's; `WASM_BINDGEN_TEST_WEBDRIVER_JSON` names another
//! file) and adds its `goog:chromeOptions.args` to its own `headless`,
//! `no-sandbox` and `disable-dev-shm-usage`, and `-headless` to
//! `moz:firefoxOptions.args`.

use std::env;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::toolchain::{is_executable, Toolchain};

/// Where Debian's `chromium` package puts the browser.
pub(crate) const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` package puts the driver.
const DEBIAN_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The options file's name.
pub(crate) const WEBDRIVER_JSON: &str = "webdriver.json";
/// Where Debian's `firefox-esr` package puts the browser.
const DEBIAN_FIREFOX: &str = "/usr/bin/firefox-esr";
/// Where Debian's `webkit2gtk-driver` package puts the driver.
const DEBIAN_WEBKIT_DRIVER: &str = "/usr/bin/WebKitWebDriver";
/// WebKitGTK's test browser, under `/usr/lib/<multiarch>/` in Debian's
/// `libwebkit2gtk-4.1-0` (which `webkit2gtk-driver` depends on).
const WEBKIT_BROWSER: &str = "webkit2gtk-4.1/MiniBrowser";
/// Where Debian's `xvfb` package puts the script that runs a program on a
/// virtual display.
const DEBIAN_XVFB_RUN: &str = "/usr/bin/xvfb-run";
/// `xvfb-run` needs `xauth` (Debian's `xauth`, which `xvfb` only
/// recommends).
const DEBIAN_XAUTH: &str = "/usr/bin/xauth";

/// Firefox preferences for the tests: no remote settings server (Firefox
/// looks one up in the background; the tests talk to loopback only).
/// Release builds take another server only with [`FIREFOX_ENV`] set.
const FIREFOX_PREFS: [(&str, &str); 1] = [(
    "services.settings.server",
    "data:,#remote-settings-dummy/v1",
)];

/// The environment Firefox needs for [`FIREFOX_PREFS`], passed on to it
/// by the test runner and geckodriver.
pub(crate) const FIREFOX_ENV: (&str, &str) = ("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1");

/// Firefox and the geckodriver that drives it.
#[derive(Debug, Clone)]
pub(crate) struct Firefox {
    pub(crate) binary: PathBuf,
    pub(crate) geckodriver: PathBuf,
}

/// WebKitGTK's MiniBrowser, its driver, and `xvfb-run` for the display
/// it needs.
#[derive(Debug, Clone)]
pub(crate) struct WebKit {
    pub(crate) browser: PathBuf,
    pub(crate) driver: PathBuf,
    pub(crate) xvfb_run: PathBuf,
}

/// The ChromeDriver to use: `CHROMEDRIVER` if set, else Debian's, else
/// one on `PATH`, else Debian's installed with apt-get.
pub(crate) fn chromedriver(toolchain: &Toolchain) -> Result<PathBuf, Error> {
    if let Some(path) = env::var_os("CHROMEDRIVER") {
        let path = PathBuf::from(path);
        return if is_executable(&path) {
            Ok(path)
        } else {
            Err(Error::Missing {
                tool: "ChromeDriver".into(),
                hint: format!("CHROMEDRIVER={} is not an executable file", path.display()),
            })
        };
    }
    let debian_driver = PathBuf::from(DEBIAN_CHROMEDRIVER);
    if is_executable(Path::new(DEBIAN_CHROMIUM)) && is_executable(&debian_driver) {
        return Ok(debian_driver);
    }
    if let Some(path) = toolchain.find("chromedriver") {
        if path != debian_driver {
            return Ok(path);
        }
    }
    install_with_apt(
        toolchain,
        "Chromium and ChromeDriver",
        &["chromium", "chromium-driver"],
    )?;
    if is_executable(Path::new(DEBIAN_CHROMIUM)) && is_executable(&debian_driver) {
        Ok(debian_driver)
    } else {
        Err(Error::Missing {
            tool: "Chromium and ChromeDriver".into(),
            hint:
                "apt-get finished but /usr/bin/chromium or /usr/bin/chromedriver is still missing"
                    .into(),
        })
    }
}

/// Firefox (`FIREFOX` if set, else Debian's `firefox-esr`, installed with
/// apt-get when missing) and geckodriver at exactly `version`
/// (`GECKODRIVER` if set, else from `PATH`, else `cargo install`ed).
pub(crate) fn firefox(toolchain: &mut Toolchain, version: &str) -> Result<Firefox, Error> {
    let binary = match env::var_os("FIREFOX") {
        Some(path) => executable_from_env("Firefox", "FIREFOX", path.into())?,
        None => {
            let debian = PathBuf::from(DEBIAN_FIREFOX);
            if !is_executable(&debian) {
                install_with_apt(toolchain, "Firefox ESR", &["firefox-esr"])?;
            }
            if !is_executable(&debian) {
                return Err(Error::Missing {
                    tool: "Firefox ESR".into(),
                    hint: format!("apt-get finished but {DEBIAN_FIREFOX} is still missing"),
                });
            }
            debian
        }
    };
    let geckodriver = match env::var_os("GECKODRIVER") {
        Some(path) => executable_from_env("geckodriver", "GECKODRIVER", path.into())?,
        None => geckodriver(toolchain, version)?,
    };
    Ok(Firefox {
        binary,
        geckodriver,
    })
}

/// geckodriver at exactly `version` from `PATH`, else `cargo install
/// geckodriver --version <version> --locked`.
fn geckodriver(toolchain: &mut Toolchain, version: &str) -> Result<PathBuf, Error> {
    match installed_geckodriver(toolchain) {
        Some((path, found)) if found == version => return Ok(path),
        Some((_, found)) => println!(
            "setup: geckodriver {found} found, but wasm-pack.toml pins {version}; installing {version}"
        ),
        None => println!("setup: geckodriver not found; installing {version} with cargo install"),
    }
    crate::setup::cargo_install(toolchain, "geckodriver", Some(version))?;
    // An older copy elsewhere on PATH must not shadow the new one.
    if let Some(bin) = crate::setup::cargo_bin_dir() {
        toolchain.prepend_to_path(&bin);
    }
    match installed_geckodriver(toolchain) {
        Some((path, found)) if found == version => Ok(path),
        found => Err(Error::Missing {
            tool: format!("geckodriver {version}"),
            hint: format!(
                "after installing, PATH still gives {}",
                found.map_or("no geckodriver".to_owned(), |(_, v)| format!(
                    "geckodriver {v}"
                ))
            ),
        }),
    }
}

/// The `geckodriver` on `PATH` and its version.
fn installed_geckodriver(toolchain: &Toolchain) -> Option<(PathBuf, String)> {
    let path = toolchain.find("geckodriver")?;
    let output = toolchain.output(toolchain.command(&path).arg("--version"))?;
    // "geckodriver 0.37.1 (hash date)" on the first line.
    let version = output.split_whitespace().nth(1)?.to_owned();
    Some((path, version))
}

/// WebKitGTK's MiniBrowser and WebKitWebDriver from Debian's
/// `webkit2gtk-driver`, and `xvfb-run` from `xvfb`, installed with apt-get
/// when missing.
pub(crate) fn webkit(toolchain: &Toolchain) -> Result<WebKit, Error> {
    let found = || {
        let driver = PathBuf::from(DEBIAN_WEBKIT_DRIVER);
        let xvfb_run = PathBuf::from(DEBIAN_XVFB_RUN);
        let browser = webkit_browser()?;
        let ready = [&driver, &xvfb_run, &PathBuf::from(DEBIAN_XAUTH)]
            .iter()
            .all(|path| is_executable(path));
        ready.then_some(WebKit {
            browser,
            driver,
            xvfb_run,
        })
    };
    if let Some(webkit) = found() {
        return Ok(webkit);
    }
    install_with_apt(
        toolchain,
        "WebKitWebDriver and Xvfb",
        &["webkit2gtk-driver", "xvfb", "xauth"],
    )?;
    found().ok_or_else(|| Error::Missing {
        tool: "WebKitWebDriver and Xvfb".into(),
        hint: format!(
            "apt-get finished but {DEBIAN_WEBKIT_DRIVER}, /usr/lib/*/{WEBKIT_BROWSER}, \
             {DEBIAN_XVFB_RUN} or {DEBIAN_XAUTH} is still missing"
        ),
    })
}

/// `/usr/lib/<multiarch>/webkit2gtk-4.1/MiniBrowser`, if there.
fn webkit_browser() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib")
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path().join(WEBKIT_BROWSER)))
        .filter(|path| is_executable(path))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// The executable an environment variable names, or a clear error.
fn executable_from_env(tool: &str, variable: &str, path: PathBuf) -> Result<PathBuf, Error> {
    if is_executable(&path) {
        Ok(path)
    } else {
        Err(Error::Missing {
            tool: tool.into(),
            hint: format!("{variable}={} is not an executable file", path.display()),
        })
    }
}

/// `node` and `npm` for the end-to-end tests: from `PATH`, else Debian's
/// installed with apt-get.
pub(crate) fn node(toolchain: &Toolchain) -> Result<(PathBuf, PathBuf), Error> {
    let found = || Some((toolchain.find("node")?, toolchain.find("npm")?));
    if let Some(tools) = found() {
        return Ok(tools);
    }
    install_with_apt(toolchain, "Node.js and npm", &["nodejs", "npm"])?;
    found().ok_or_else(|| Error::Missing {
        tool: "Node.js and npm".into(),
        hint: "apt-get finished but `node` or `npm` is still not on PATH".into(),
    })
}

/// `apt-get install <packages>`, as root or through `sudo -n`; a clear
/// error where neither is possible.
fn install_with_apt(toolchain: &Toolchain, what: &str, packages: &[&str]) -> Result<(), Error> {
    let missing = |hint: String| Error::Missing {
        tool: what.into(),
        hint,
    };
    let Some(apt_get) = toolchain.find("apt-get") else {
        return Err(missing(format!(
            "install {what} with your system's package manager (for Chromium, then set \
             CHROMEDRIVER to the driver's path)"
        )));
    };
    let is_root = toolchain
        .output(toolchain.command("id").arg("-u"))
        .is_some_and(|uid| uid.trim() == "0");
    let sudo = if is_root {
        None
    } else if toolchain
        .output(toolchain.command("sudo").args(["-n", "true"]))
        .is_some()
    {
        Some("sudo")
    } else {
        return Err(missing(format!(
            "run `sudo apt-get install {}`, then retry",
            packages.join(" ")
        )));
    };
    let apt = |args: &[&str]| {
        let mut command = match sudo {
            Some(sudo) => {
                let mut command = toolchain.command(sudo);
                command.arg("-n").arg(&apt_get);
                command
            }
            None => toolchain.command(&apt_get),
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        toolchain.run(&mut command)
    };
    println!("setup: installing {what} with apt-get");
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(packages);
    apt(&install)
}

/// Writes `webdriver.json` into `dir` with Chrome's extra arguments and,
/// given Firefox, its binary and extra arguments, leaving the file
/// untouched when it already says the same.
pub(crate) fn write_webdriver_json(
    dir: &Path,
    chrome_args: &[String],
    firefox: Option<(&Path, &[String])>,
) -> Result<(), Error> {
    let path = dir.join(WEBDRIVER_JSON);
    let text = webdriver_json(chrome_args, firefox);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(&path, text)
        .map_err(|source| Error::io(format!("write {}", path.display()), source))
}

/// `{"goog:chromeOptions": {"args": [...]}}`, with
/// `"moz:firefoxOptions": {"binary": ..., "args": [...], "prefs": {...}}`
/// given Firefox, pretty-printed.
fn webdriver_json(chrome_args: &[String], firefox: Option<(&Path, &[String])>) -> String {
    let mut text = format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"args\": {}\n  }}",
        json_list(chrome_args)
    );
    if let Some((binary, args)) = firefox {
        let prefs: Vec<String> = FIREFOX_PREFS
            .iter()
            .map(|(name, value)| format!("      {}: {}", json_string(name), json_string(value)))
            .collect();
        text.push_str(&format!(
            ",\n  \"moz:firefoxOptions\": {{\n    \"binary\": {},\n    \"args\": {},\n    \"prefs\": {{\n{}\n    }}\n  }}",
            json_string(&binary.to_string_lossy()),
            json_list(args),
            prefs.join(",\n")
        ));
    }
    text.push_str("\n}\n");
    text
}

/// A JSON list of strings, one a line, indented for [`webdriver_json`].
fn json_list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".to_owned();
    }
    let items: Vec<String> = items
        .iter()
        .map(|item| format!("      {}", json_string(item)))
        .collect();
    format!("[\n{}\n    ]", items.join(",\n"))
}

/// A JSON string literal for `text`.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_file_lists_the_arguments() {
        let args = ["--headless=new".to_owned(), "--no-sandbox".to_owned()];
        assert_eq!(
            webdriver_json(&args, None),
            "{\n  \"goog:chromeOptions\": {\n    \"args\": [\n      \"--headless=new\",\n      \"--no-sandbox\"\n    ]\n  }\n}\n"
        );
        assert!(webdriver_json(&[], None).contains("\"args\": []"));
    }

    #[test]
    fn options_file_gives_firefox_its_binary_and_arguments() {
        let text = webdriver_json(
            &[],
            Some((
                Path::new("/usr/bin/firefox-esr"),
                &["-safe-mode".to_owned()],
            )),
        );
        assert_eq!(
            text,
            "{\n  \"goog:chromeOptions\": {\n    \"args\": []\n  },\n  \"moz:firefoxOptions\": {\n    \"binary\": \"/usr/bin/firefox-esr\",\n    \"args\": [\n      \"-safe-mode\"\n    ],\n    \"prefs\": {\n      \"services.settings.server\": \"data:,#remote-settings-dummy/v1\"\n    }\n  }\n}\n"
        );
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(json_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(json_string("x\ny\u{1}"), "\"x\\ny\\u0001\"");
    }
}
