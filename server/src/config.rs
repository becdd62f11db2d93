//! What the server serves and where it listens.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

/// The address listened on when `--host` is not given: loopback only.
pub const DEFAULT_HOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// The port listened on when `--port` is not given.
pub const DEFAULT_PORT: u16 = 8000;

/// Settings for one run of the server.
///
/// # Examples
///
/// ```
/// let config = server::Config::default();
/// assert_eq!(config.addr.to_string(), "127.0.0.1:8000");
/// assert!(config.root.ends_with("www"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The directory whose files are served.
    pub root: PathBuf,
    /// The address to listen on.
    pub addr: SocketAddr,
}

impl Config {
    /// The directory served when `--root` is not given: `www/` at the
    /// top of the repository, found from where this crate was compiled.
    pub fn default_root() -> PathBuf {
        repository_root().join("www")
    }

    /// How the served directory is named to a person: relative to the
    /// repository when it lies inside it (`www/`), else the full path.
    pub fn root_label(&self) -> String {
        match self.root.strip_prefix(repository_root()) {
            Ok(relative) if !relative.as_os_str().is_empty() => {
                format!("{}/", relative.display())
            }
            _ => self.root.display().to_string(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            root: Config::default_root(),
            addr: SocketAddr::new(DEFAULT_HOST, DEFAULT_PORT),
        }
    }
}

/// The repository's top directory: the parent of this crate's directory.
fn repository_root() -> &'static Path {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir)
}
