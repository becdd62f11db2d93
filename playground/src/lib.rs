//! The playground's WebAssembly: the example catalogue and the bindings the
//! page calls.
