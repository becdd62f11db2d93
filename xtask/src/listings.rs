//! The examples' listings, beside the package: `examples/<id>.json`,
//! `{ "python": "...", "rust": "..." }`, one file per example of the
//! playground's catalogue. The page's module does not carry them; the page
//! fetches an example's file when it shows the example.

use std::path::Path;

use crate::error::Error;

/// The directory in the out-dir.
pub(crate) const DIR: &str = "examples";

/// Writes every example's listings into `<out_dir>/examples/`, leaving no
/// other file there.
pub(crate) fn write(out_dir: &Path) -> Result<usize, Error> {
    let dir = out_dir.join(DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|source| Error::io(format!("remove {}", dir.display()), source))?;
    }
    std::fs::create_dir_all(&dir)
        .map_err(|source| Error::io(format!("create {}", dir.display()), source))?;
    let catalogue = playground::examples::catalogue();
    for example in catalogue {
        let file = dir.join(format!("{}.json", example.id));
        let text = serde_json::json!({
            "python": example.python_source,
            "rust": example.rust_source,
        })
        .to_string();
        std::fs::write(&file, text)
            .map_err(|source| Error::io(format!("write {}", file.display()), source))?;
    }
    Ok(catalogue.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_example_gets_its_listings_and_nothing_else_stays() {
        let out = std::env::temp_dir().join(format!("listings-{}", std::process::id()));
        std::fs::create_dir_all(out.join(DIR)).unwrap();
        std::fs::write(out.join(DIR).join("gone.json"), "{}").unwrap();
        let written = write(&out).unwrap();
        let hello: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(DIR).join("hello.json")).unwrap(),
        )
        .unwrap();
        let files = std::fs::read_dir(out.join(DIR)).unwrap().count();
        std::fs::remove_dir_all(&out).unwrap();
        assert_eq!(written, playground::examples::catalogue().len());
        assert_eq!(files, written, "the stale file is gone");
        let python = hello["python"].as_str().unwrap();
        assert!(python.contains("asyncio.run(main())"), "{python}");
        assert!(hello["rust"].as_str().unwrap().contains("pub async fn"));
    }
}
