//! The crate's layering, checked on its source: the loop's internals
//! (`src/runtime/`) name nothing above them, and the hosts see the loop
//! through the host interface only.

// A source scan: natively only (the browser has no file system).
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// What the runtime may build on outside its folder: leaf types only.
const RUNTIME_MAY_USE: &[&str] = &["runtime", "error", "trace", "stats", "backend"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("the source folder is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The source without comments (doc comments mention other modules freely).
fn code(path: &Path) -> String {
    fs::read_to_string(path)
        .expect("a source file is readable")
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a source names through `crate::` paths, including
/// `use crate::{a, b::c}` groups.
fn crate_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_runtime_names_nothing_above_it() {
    let runtime = src().join("runtime");
    let mut leaks = Vec::new();
    for file in rust_files(&runtime) {
        let code = code(&file);
        for module in crate_modules(&code) {
            if !RUNTIME_MAY_USE.contains(&module.as_str()) {
                leaks.push(format!("{} uses crate::{module}", file.display()));
            }
        }
        // `super::super` from the top of the runtime's folder leaves it.
        let depth = file
            .strip_prefix(&runtime)
            .map_or(0, |rel| rel.components().count());
        let escape = "super::".repeat(depth);
        if depth > 0 && code.contains(&format!("{escape}super::")) {
            leaks.push(format!("{} climbs out with super::", file.display()));
        }
    }
    assert!(
        leaks.is_empty(),
        "the runtime imports from above:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn hosts_see_the_loop_through_the_host_interface_only() {
    let mut leaks = Vec::new();
    for file in rust_files(&src().join("host")) {
        let code = code(&file);
        for forbidden in ["LoopCore", "runtime::core", "runtime::context"] {
            if code.contains(forbidden) {
                leaks.push(format!("{} names {forbidden}", file.display()));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

#[test]
fn the_scan_sees_grouped_and_plain_paths() {
    let found = crate_modules("use crate::{error::X, trace};\nlet a = crate::task::Task::new();");
    assert_eq!(found, ["error", "trace", "task"]);
}
