//! Precompressed copies of the built package, which the dev server sends
//! to browsers that accept them: beside each file of `www/pkg/` worth
//! compressing, `<file>.gz` (gzip, by zopfli: smaller than zlib's best
//! level, and readable by every gzip decoder) and `<file>.br` (brotli at
//! its best quality).
//!
//! A copy is kept only while it decompresses to the file as it is now, so
//! a rebuilt file never goes out with its old copy, and an unchanged file
//! (the Python engine, between builds) is not compressed again. A copy
//! whose file is gone is removed: the server would send it otherwise.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::Error;

/// A precompressed copy's kind: its file name's suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Gzip,
    Brotli,
}

impl Encoding {
    pub(crate) const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// The suffix `tower-http`'s `ServeDir` looks for.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => "gz",
            Encoding::Brotli => "br",
        }
    }

    /// Where the copy of `file` in this encoding goes.
    pub(crate) fn copy_of(self, file: &Path) -> PathBuf {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(self.suffix());
        PathBuf::from(name)
    }

    /// `bytes` compressed in this encoding, with `effort`.
    pub(crate) fn compress(self, bytes: &[u8], effort: Effort) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        match (self, effort) {
            // zopfli takes about 3 s a megabyte here; past a megabyte
            // (the Python engine) zlib's best level does the work in a
            // second instead of half a minute.
            (Encoding::Gzip, Effort::Copy) if bytes.len() <= ZOPFLI_MAX => {
                let _ = zopfli::compress(
                    zopfli::Options::default(),
                    zopfli::Format::Gzip,
                    bytes,
                    &mut out,
                );
            }
            (Encoding::Gzip, _) => {
                let level = match effort {
                    Effort::Copy => flate2::Compression::best(),
                    Effort::AsSent => flate2::Compression::default(),
                };
                let mut encoder = flate2::write::GzEncoder::new(&mut out, level);
                let _ = encoder.write_all(bytes);
                let _ = encoder.finish();
            }
            (Encoding::Brotli, _) => {
                let quality = match effort {
                    Effort::Copy => BROTLI_QUALITY,
                    Effort::AsSent => BROTLI_QUALITY_AS_SENT,
                };
                let mut encoder =
                    brotli::CompressorWriter::new(&mut out, 1 << 16, quality, BROTLI_WINDOW);
                let _ = encoder.write_all(bytes);
                let _ = encoder.flush();
            }
        }
        out
    }

    /// What `compressed` decompresses to, if it is valid in this encoding.
    pub(crate) fn decompress(self, compressed: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let read = match self {
            Encoding::Gzip => flate2::read::GzDecoder::new(compressed).read_to_end(&mut out),
            Encoding::Brotli => {
                brotli::Decompressor::new(compressed, 1 << 16).read_to_end(&mut out)
            }
        };
        read.ok().map(|_| out)
    }
}

/// How hard to compress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effort {
    /// As the build's copies: each format at its best.
    Copy,
    /// As the dev server's compression layer does while it sends a file
    /// that has no copies (tower-http's defaults: gzip level 6, brotli 4).
    AsSent,
}

/// Files up to this size are gzipped with zopfli.
const ZOPFLI_MAX: usize = 1 << 20;
/// Brotli's best quality, and a 4 MB window (browsers accept up to 16).
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;
/// tower-http's default brotli quality.
const BROTLI_QUALITY_AS_SENT: u32 = 4;

/// Files smaller than this go as they are: compression would save less
/// than a packet.
pub(crate) const MIN_BYTES: u64 = 512;

/// Whether a file is worth compressing, by its extension: text and
/// WebAssembly, not images or archives.
fn compressible(file: &Path) -> bool {
    file.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            matches!(
                ext,
                "wasm" | "js" | "mjs" | "json" | "css" | "html" | "svg" | "map" | "txt"
            )
        })
}

/// What [`write`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Files with both copies, afterwards.
    pub(crate) files: usize,
    /// Copies written (new or replacing a stale one).
    pub(crate) written: usize,
    /// Copies removed: their file is gone, or too small.
    pub(crate) removed: usize,
}

/// Brings the precompressed copies under `dir` up to date.
pub(crate) fn write(dir: &Path) -> Result<Summary, Error> {
    let mut all = Vec::new();
    crate::page_weight::list(dir, &mut all)?;
    let mut summary = Summary::default();
    let mut sources = Vec::new();
    for file in &all {
        if file.extension().is_some_and(|ext| ext == "partial") {
            // Left by a build that stopped while writing a copy.
            std::fs::remove_file(file)
                .map_err(|e| Error::io(format!("remove {}", file.display()), e))?;
        } else if let Some((source, _)) = copy_source(file) {
            let keep = source.is_file() && compressible(&source) && size(&source)? >= MIN_BYTES;
            if !keep {
                std::fs::remove_file(file)
                    .map_err(|e| Error::io(format!("remove {}", file.display()), e))?;
                summary.removed += 1;
            }
        } else if compressible(file) {
            let bytes = size(file)?;
            if bytes >= MIN_BYTES {
                sources.push((bytes, file.clone()));
            }
        }
    }
    // The largest first, shared among the cores.
    sources.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let jobs: Vec<(&Path, Encoding)> = sources
        .iter()
        .flat_map(|(_, file)| Encoding::ALL.map(|encoding| (file.as_path(), encoding)))
        .collect();
    let next = AtomicUsize::new(0);
    let outcome = Mutex::new(Ok(0usize));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some((file, encoding)) = jobs.get(at) else {
                    return;
                };
                let done = refresh(file, *encoding);
                let mut outcome = outcome.lock().unwrap_or_else(|e| e.into_inner());
                match (&mut *outcome, done) {
                    (Ok(written), Ok(true)) => *written += 1,
                    (Ok(_), Ok(false)) | (Err(_), _) => {}
                    (outcome @ Ok(_), Err(error)) => *outcome = Err(error),
                }
            });
        }
    });
    summary.written = outcome.into_inner().unwrap_or_else(|e| e.into_inner())?;
    summary.files = sources.len();
    Ok(summary)
}

/// The file a precompressed copy is of, and its encoding, by its name.
pub(crate) fn copy_source(file: &Path) -> Option<(PathBuf, Encoding)> {
    let ext = file.extension()?.to_str()?;
    let encoding = Encoding::ALL.into_iter().find(|e| e.suffix() == ext)?;
    Some((file.with_extension(""), encoding))
}

/// The copy of `file` in `encoding` if it is up to date: it decompresses
/// to `original`, the file's bytes.
pub(crate) fn fresh_copy(file: &Path, encoding: Encoding, original: &[u8]) -> Option<Vec<u8>> {
    let compressed = std::fs::read(encoding.copy_of(file)).ok()?;
    (encoding.decompress(&compressed)? == original).then_some(compressed)
}

/// Writes `file`'s copy in `encoding` unless it is up to date; true if it
/// wrote one.
fn refresh(file: &Path, encoding: Encoding) -> Result<bool, Error> {
    let bytes =
        std::fs::read(file).map_err(|e| Error::io(format!("read {}", file.display()), e))?;
    if fresh_copy(file, encoding, &bytes).is_some() {
        return Ok(false);
    }
    let copy = encoding.copy_of(file);
    // Written whole, then renamed over the old copy: the server never sends
    // half a file.
    let partial = copy.with_extension(format!("{}.partial", encoding.suffix()));
    std::fs::write(&partial, encoding.compress(&bytes, Effort::Copy))
        .map_err(|e| Error::io(format!("write {}", partial.display()), e))?;
    std::fs::rename(&partial, &copy)
        .map_err(|e| Error::io(format!("write {}", copy.display()), e))?;
    Ok(true)
}

fn size(file: &Path) -> Result<u64, Error> {
    std::fs::metadata(file)
        .map(|meta| meta.len())
        .map_err(|e| Error::io(format!("read {}", file.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `file`'s copy in `encoding` is up to date.
    fn fresh(file: &Path, encoding: Encoding) -> bool {
        fresh_copy(file, encoding, &std::fs::read(file).unwrap()).is_some()
    }

    fn scratch(case: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("precompress-{case}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    fn text(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| format!("line {} of the module;\n", i % 97))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn copies_decompress_to_their_files_and_are_smaller() {
        let dir = scratch("round-trip");
        let module = dir.join("sub").join("page_bg.wasm");
        std::fs::write(&module, text(400)).unwrap();
        let summary = write(&dir).unwrap();
        for encoding in Encoding::ALL {
            let copy = std::fs::read(encoding.copy_of(&module)).unwrap();
            assert!(copy.len() < 1000, "{encoding:?}: {} bytes", copy.len());
            assert_eq!(
                encoding.decompress(&copy).unwrap(),
                text(400),
                "{encoding:?}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            summary,
            Summary {
                files: 1,
                written: 2,
                removed: 0
            }
        );
    }

    #[test]
    fn up_to_date_copies_are_kept_and_stale_or_orphaned_ones_are_not() {
        let dir = scratch("refresh");
        let script = dir.join("page.js");
        let gone = dir.join("sub").join("page-chunk-OLD.js");
        let small = dir.join("tiny.js");
        let image = dir.join("icon.png");
        std::fs::write(&script, text(100)).unwrap();
        std::fs::write(&gone, text(100)).unwrap();
        std::fs::write(&small, "export {};").unwrap();
        std::fs::write(&image, text(100)).unwrap();
        let first = write(&dir).unwrap();
        let again = write(&dir).unwrap();
        // A rebuild: the script changes, the chunk is gone, and a copy of
        // the small file was left by an older build.
        std::fs::write(&script, text(120)).unwrap();
        std::fs::remove_file(&gone).unwrap();
        std::fs::write(Encoding::Gzip.copy_of(&small), b"old").unwrap();
        let rebuilt = write(&dir).unwrap();
        let fresh: Vec<bool> = Encoding::ALL
            .iter()
            .map(|&encoding| fresh(&script, encoding))
            .collect();
        let mut left = Vec::new();
        crate::page_weight::list(&dir, &mut left).unwrap();
        left.sort();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((first.files, first.written, first.removed), (2, 4, 0));
        assert_eq!((again.files, again.written, again.removed), (2, 0, 0));
        assert_eq!((rebuilt.files, rebuilt.written, rebuilt.removed), (1, 2, 3));
        assert_eq!(fresh, [true, true]);
        let names: Vec<String> = left
            .iter()
            .map(|file| file.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            ["icon.png", "page.js", "page.js.br", "page.js.gz", "tiny.js"]
        );
    }

    #[test]
    fn a_copy_that_is_not_valid_is_not_fresh() {
        let dir = scratch("invalid");
        let script = dir.join("page.js");
        std::fs::write(&script, text(50)).unwrap();
        std::fs::write(Encoding::Gzip.copy_of(&script), b"\x1f\x8bnot gzip").unwrap();
        std::fs::write(
            Encoding::Brotli.copy_of(&script),
            Encoding::Brotli.compress(b"other", Effort::Copy),
        )
        .unwrap();
        let before = Encoding::ALL.map(|encoding| fresh(&script, encoding));
        let summary = write(&dir).unwrap();
        let after = Encoding::ALL.map(|encoding| fresh(&script, encoding));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(before, [false, false]);
        assert_eq!(summary.written, 2);
        assert_eq!(after, [true, true]);
    }

    #[test]
    fn copies_are_named_as_the_server_looks_for_them() {
        let file = Path::new("www/pkg/playground_bg.wasm");
        assert_eq!(
            Encoding::Gzip.copy_of(file),
            Path::new("www/pkg/playground_bg.wasm.gz")
        );
        assert_eq!(
            copy_source(Path::new("www/pkg/playground_bg.wasm.br")),
            Some((file.to_path_buf(), Encoding::Brotli))
        );
        assert_eq!(copy_source(file), None);
    }
}
