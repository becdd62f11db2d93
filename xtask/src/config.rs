//! `wasm-pack.toml`: how the playground is built and the browser tests run.
//!
//! wasm-pack itself never reads this file; `cargo xtask` does, and turns
//! it into wasm-pack, wasm-opt and WebDriver arguments. Unknown keys are
//! errors, so a misspelt setting cannot be silently ignored.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// The file's name, at the top of the repository.
pub(crate) const FILE_NAME: &str = "wasm-pack.toml";

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Config {
    pub(crate) playground: Playground,
    pub(crate) wasm_opt: WasmOpt,
    pub(crate) test: TestSettings,
}

/// `[playground]`: the crate built for the page and where its output goes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Playground {
    /// The crate's directory, relative to the repository root.
    #[serde(rename = "crate")]
    pub(crate) crate_dir: PathBuf,
    pub(crate) target: Target,
    /// Relative to the repository root (wasm-pack's own `--out-dir` is
    /// relative to the crate, so xtask passes it as an absolute path).
    pub(crate) out_dir: PathBuf,
    /// Base name of the generated files: `<out-name>.js`, `<out-name>_bg.wasm`.
    pub(crate) out_name: String,
    pub(crate) profile: Profile,
}

/// wasm-pack's `--target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Target {
    Web,
    Bundler,
    Nodejs,
    NoModules,
    Deno,
}

impl Target {
    /// The value wasm-pack expects.
    pub(crate) fn as_arg(self) -> &'static str {
        match self {
            Target::Web => "web",
            Target::Bundler => "bundler",
            Target::Nodejs => "nodejs",
            Target::NoModules => "no-modules",
            Target::Deno => "deno",
        }
    }
}

/// The Cargo profile the playground is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Profile {
    Release,
    Dev,
    Profiling,
    /// The workspace's `page` profile: release, optimised for size.
    Page,
}

impl Profile {
    /// The wasm-pack arguments that select it.
    pub(crate) fn as_args(self) -> &'static [&'static str] {
        match self {
            Profile::Release => &["--release"],
            Profile::Dev => &["--dev"],
            Profile::Profiling => &["--profiling"],
            Profile::Page => &["--profile", "page"],
        }
    }
}

/// `[wasm-opt]`: whether and how the built module is optimised.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct WasmOpt {
    pub(crate) enabled: bool,
    #[serde(default)]
    pub(crate) args: Vec<String>,
}

/// `[test]`: the browsers the wasm tests run in, and how.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TestSettings {
    /// The browsers the runtime's wasm tests run in, one run each.
    pub(crate) browsers: Vec<Browser>,
    pub(crate) headless: bool,
    /// Extra Chrome command-line switches, written to `webdriver.json`.
    #[serde(default)]
    pub(crate) chrome_args: Vec<String>,
    /// Extra Firefox command-line arguments, written to `webdriver.json`.
    #[serde(default)]
    pub(crate) firefox_args: Vec<String>,
    /// The geckodriver version installed with `cargo install`; required
    /// when Firefox is used.
    #[serde(default)]
    pub(crate) geckodriver: Option<String>,
    /// The engines the page's smoke tests run in through WebDriver, besides
    /// the end-to-end suite in Chromium.
    #[serde(default)]
    pub(crate) smoke_engines: Vec<Engine>,
}

impl TestSettings {
    /// Whether anything runs in Firefox.
    pub(crate) fn uses_firefox(&self) -> bool {
        self.browsers.contains(&Browser::Firefox) || self.smoke_engines.contains(&Engine::Firefox)
    }
}

/// A browser wasm-pack can test in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    /// The wasm-pack flag that selects it.
    pub(crate) fn as_flag(self) -> &'static str {
        match self {
            Browser::Chrome => "--chrome",
            Browser::Firefox => "--firefox",
        }
    }

    /// Its name, as people know it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "Chromium",
            Browser::Firefox => "Firefox",
        }
    }
}

/// An engine the page's smoke tests drive through WebDriver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Engine {
    Firefox,
    Webkit,
}

impl Engine {
    /// The value of `E2E_ENGINE` the smoke tests read.
    pub(crate) fn as_arg(self) -> &'static str {
        match self {
            Engine::Firefox => "firefox",
            Engine::Webkit => "webkit",
        }
    }

    /// Its name, as people know it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Engine::Firefox => "Firefox",
            Engine::Webkit => "WebKit",
        }
    }
}

impl Config {
    /// Reads and checks `wasm-pack.toml` at the repository root.
    pub(crate) fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Config {
            path: path.clone(),
            message: format!("cannot read: {source}"),
        })?;
        Config::parse(&text).map_err(|message| Error::Config { path, message })
    }

    /// Parses and checks the file's text.
    pub(crate) fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|error| error.to_string())?;
        config.check()?;
        Ok(config)
    }

    /// The rules serde cannot express.
    fn check(&self) -> Result<(), String> {
        let playground = &self.playground;
        stays_inside("playground.crate", &playground.crate_dir)?;
        stays_inside("playground.out-dir", &playground.out_dir)?;
        let name = &playground.out_name;
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(format!(
                "playground.out-name `{name}` must be a plain file name"
            ));
        }
        let test = &self.test;
        if test.browsers.is_empty() {
            return Err("test.browsers must name at least one browser".to_owned());
        }
        if let Some(version) = &test.geckodriver {
            let numbers: Vec<&str> = version.split('.').collect();
            if numbers.len() != 3
                || numbers
                    .iter()
                    .any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(format!(
                    "test.geckodriver `{version}` must be an exact version such as 0.37.1"
                ));
            }
        } else if test.uses_firefox() {
            return Err(
                "test.geckodriver must give the geckodriver version when Firefox is used"
                    .to_owned(),
            );
        }
        Ok(())
    }
}

/// Checks that a configured path is relative and does not climb out of
/// the repository.
fn stays_inside(key: &str, path: &Path) -> Result<(), String> {
    let inside = !path.as_os_str().is_empty()
        && path
            .components()
            .all(|component| matches!(component, Component::Normal(_) | Component::CurDir));
    if inside {
        Ok(())
    } else {
        Err(format!(
            "{key} `{}` must be a relative path inside the repository",
            path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
        # comment
        [playground]
        crate = "playground"
        target = "web"
        out-dir = "www/pkg"
        out-name = "playground"
        profile = "release"

        [wasm-opt]
        enabled = true
        args = ["-O2", "--enable-bulk-memory"]

        [test]
        browsers = ["chrome", "firefox"]
        headless = true
        chrome-args = ["--no-sandbox"]
        firefox-args = ["-safe-mode"]
        geckodriver = "0.37.1"
        smoke-engines = ["firefox", "webkit"]
    "#;

    #[test]
    fn valid_file_parses_into_typed_settings() {
        let config = Config::parse(VALID).expect("valid file");
        assert_eq!(config.playground.crate_dir, PathBuf::from("playground"));
        assert_eq!(config.playground.target, Target::Web);
        assert_eq!(config.playground.out_dir, PathBuf::from("www/pkg"));
        assert_eq!(config.playground.out_name, "playground");
        assert_eq!(config.playground.profile, Profile::Release);
        assert!(config.wasm_opt.enabled);
        assert_eq!(config.wasm_opt.args, ["-O2", "--enable-bulk-memory"]);
        assert_eq!(config.test.browsers, [Browser::Chrome, Browser::Firefox]);
        assert!(config.test.headless);
        assert_eq!(config.test.chrome_args, ["--no-sandbox"]);
        assert_eq!(config.test.firefox_args, ["-safe-mode"]);
        assert_eq!(config.test.geckodriver.as_deref(), Some("0.37.1"));
        assert_eq!(config.test.smoke_engines, [Engine::Firefox, Engine::Webkit]);
    }

    #[test]
    fn repository_file_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let config = Config::load(&root).expect("the repository's wasm-pack.toml is valid");
        assert_eq!(config.playground.target, Target::Web);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let text = VALID.replace("headless = true", "headless = true\nheadles = false");
        let error = Config::parse(&text).expect_err("unknown key");
        assert!(error.contains("headles"), "{error}");

        let text = VALID.replace("[test]", "[tests]\n[test]");
        assert!(Config::parse(&text).is_err());
    }

    #[test]
    fn unknown_values_are_errors() {
        let error = Config::parse(&VALID.replace("\"web\"", "\"webb\"")).expect_err("bad target");
        assert!(error.contains("webb"), "{error}");
        assert!(Config::parse(&VALID.replace("\"release\"", "\"fast\"")).is_err());
        assert!(Config::parse(&VALID.replace("\"chrome\", \"firefox\"", "\"netscape\"")).is_err());
        assert!(Config::parse(&VALID.replace("\"webkit\"", "\"trident\"")).is_err());
        assert!(Config::parse(&VALID.replace("enabled = true", "enabled = \"yes\"")).is_err());
    }

    #[test]
    fn missing_sections_and_keys_are_errors() {
        assert!(Config::parse("").is_err());
        let error = Config::parse(&VALID.replace("out-name = \"playground\"", ""))
            .expect_err("missing key");
        assert!(error.contains("out-name"), "{error}");
    }

    #[test]
    fn optional_keys_default_to_empty() {
        let text = VALID
            .replace("args = [\"-O2\", \"--enable-bulk-memory\"]", "")
            .replace("chrome-args = [\"--no-sandbox\"]", "")
            .replace("firefox-args = [\"-safe-mode\"]", "")
            .replace("smoke-engines = [\"firefox\", \"webkit\"]", "");
        let config = Config::parse(&text).expect("valid without the lists");
        assert!(config.wasm_opt.args.is_empty());
        assert!(config.test.chrome_args.is_empty());
        assert!(config.test.firefox_args.is_empty());
        assert!(config.test.smoke_engines.is_empty());
    }

    #[test]
    fn paths_must_stay_inside_the_repository() {
        for out_dir in ["/tmp/pkg", "../pkg", "www/../../pkg", ""] {
            let text = VALID.replace("\"www/pkg\"", &format!("{out_dir:?}"));
            let error = Config::parse(&text).expect_err(out_dir);
            assert!(error.contains("out-dir"), "{error}");
        }
        assert!(
            Config::parse(&VALID.replace("out-name = \"playground\"", "out-name = \"a/b\""))
                .is_err()
        );
        assert!(Config::parse(&VALID.replace("[\"chrome\", \"firefox\"]", "[]")).is_err());
    }

    #[test]
    fn firefox_needs_an_exact_geckodriver_version() {
        let without = VALID.replace("geckodriver = \"0.37.1\"", "");
        let error = Config::parse(&without).expect_err("Firefox without geckodriver");
        assert!(error.contains("test.geckodriver"), "{error}");
        for bad in ["0.37", "v0.37.1", "0.37.1-beta", "latest", "0..1"] {
            let text = VALID.replace("\"0.37.1\"", &format!("{bad:?}"));
            let error = Config::parse(&text).expect_err(bad);
            assert!(error.contains("exact version"), "{error}");
        }
        let chrome_only = without
            .replace("\"chrome\", \"firefox\"", "\"chrome\"")
            .replace("\"firefox\", \"webkit\"", "\"webkit\"");
        let config = Config::parse(&chrome_only).expect("no Firefox, no geckodriver needed");
        assert!(!config.test.uses_firefox());
    }

    #[test]
    fn flags_match_wasm_pack() {
        assert_eq!(Target::NoModules.as_arg(), "no-modules");
        assert_eq!(Profile::Dev.as_args(), ["--dev"]);
        assert_eq!(Profile::Page.as_args(), ["--profile", "page"]);
        assert_eq!(Browser::Chrome.as_flag(), "--chrome");
        assert_eq!(Browser::Firefox.as_flag(), "--firefox");
        assert_eq!(Engine::Webkit.as_arg(), "webkit");
    }
}
