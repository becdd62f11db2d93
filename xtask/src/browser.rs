//! The test browser: Chromium and ChromeDriver, and the options file
//! `wasm-bindgen-test-runner` reads to start Chrome.
//!
//! The runner looks for `webdriver.json` in the directory the tests run
//! in (the crate's; `WASM_BINDGEN_TEST_WEBDRIVER_JSON` names another
//! file) and adds its `goog:chromeOptions.args` to its own `headless`,
//! `no-sandbox` and `disable-dev-shm-usage`.

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

/// Writes `webdriver.json` into `dir` with Chrome's extra arguments,
/// leaving the file untouched when it already says the same.
pub(crate) fn write_webdriver_json(dir: &Path, chrome_args: &[String]) -> Result<(), Error> {
    let path = dir.join(WEBDRIVER_JSON);
    let text = webdriver_json(chrome_args);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(&path, text)
        .map_err(|source| Error::io(format!("write {}", path.display()), source))
}

/// `{"goog:chromeOptions": {"args": [...]}}`, pretty-printed.
fn webdriver_json(chrome_args: &[String]) -> String {
    let args: Vec<String> = chrome_args
        .iter()
        .map(|arg| format!("      {}", json_string(arg)))
        .collect();
    let list = if args.is_empty() {
        "[]".to_owned()
    } else {
        format!("[\n{}\n    ]", args.join(",\n"))
    };
    format!("{{\n  \"goog:chromeOptions\": {{\n    \"args\": {list}\n  }}\n}}\n")
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
            webdriver_json(&args),
            "{\n  \"goog:chromeOptions\": {\n    \"args\": [\n      \"--headless=new\",\n      \"--no-sandbox\"\n    ]\n  }\n}\n"
        );
        assert!(webdriver_json(&[]).contains("\"args\": []"));
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(json_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(json_string("x\ny\u{1}"), "\"x\\ny\\u0001\"");
    }
}
