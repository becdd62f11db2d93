//! Sets `single_threaded_wasm` when building for wasm32 without the
//! `atomics` target feature: there a module has exactly one thread, which
//! lets a task's waker be the task itself (see `src/runtime/task_cell.rs`).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(single_threaded_wasm)");
    println!("cargo::rerun-if-env-changed=CARGO_CFG_TARGET_FEATURE");
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    if arch == "wasm32" && !features.split(',').any(|feature| feature == "atomics") {
        println!("cargo::rustc-cfg=single_threaded_wasm");
    }
}
