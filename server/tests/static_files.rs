//! The static file service and the command line, called without a socket.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use server::cli::{self, CliError, Invocation};
use server::{app, Config};
use tower::ServiceExt;

const INDEX: &str = "<!doctype html><title>playground</title>";
const SECRET: &str = "outside the served directory";

/// A served directory with a sibling file that must never be reachable.
///
/// Layout: `<case>/site/{index.html, pkg/app_bg.wasm, pkg/app.js,
/// module.mjs}` and `<case>/secret.txt`.
fn site(case: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join(case);
    let root = base.join("site");
    fs::create_dir_all(root.join("pkg")).expect("create the served directory");
    fs::write(root.join("index.html"), INDEX).expect("write index.html");
    fs::write(root.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").expect("write the module");
    fs::write(root.join("pkg/app.js"), "export {};").expect("write the script");
    fs::write(root.join("module.mjs"), "export {};").expect("write the module script");
    fs::write(base.join("secret.txt"), SECRET).expect("write the outside file");
    root
}

async fn get(root: PathBuf, uri: &str) -> Response<Body> {
    let config = Config {
        root,
        ..Config::default()
    };
    let request = Request::get(uri)
        .body(Body::empty())
        .expect("a valid request");
    app(&config)
        .oneshot(request)
        .await
        .expect("the router never fails")
}

async fn body_text(response: Response<Body>) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("read the body")
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn header_value(response: &Response<Body>, name: header::HeaderName) -> &str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn root_serves_index_html() {
    let response = get(site("index"), "/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header_value(&response, header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(header_value(&response, header::CACHE_CONTROL), "no-cache");
    assert_eq!(body_text(response).await, INDEX);
}

#[tokio::test]
async fn html_is_sent_with_the_content_security_policy() {
    let root = site("policy");
    for uri in ["/", "/index.html"] {
        let response = get(root.clone(), uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header_value(&response, header::CONTENT_SECURITY_POLICY),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
            "{uri}"
        );
    }
    let script = get(root, "/pkg/app.js").await;
    assert_eq!(header_value(&script, header::CONTENT_SECURITY_POLICY), "");
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm() {
    let response = get(site("wasm"), "/pkg/app_bg.wasm").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header_value(&response, header::CONTENT_TYPE),
        "application/wasm"
    );
}

#[tokio::test]
async fn scripts_are_served_as_text_javascript() {
    let root = site("scripts");
    for uri in ["/pkg/app.js", "/module.mjs"] {
        let response = get(root.clone(), uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header_value(&response, header::CONTENT_TYPE),
            "text/javascript",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn files_can_be_loaded_by_pages_on_other_origins() {
    let root = site("cross-origin");
    for uri in ["/", "/pkg/app.js", "/pkg/app_bg.wasm", "/module.mjs"] {
        let response = get(root.clone(), uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header_value(&response, header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "*",
            "{uri}"
        );
        assert_eq!(
            header_value(
                &response,
                header::HeaderName::from_static("cross-origin-resource-policy")
            ),
            "cross-origin",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn missing_file_is_404() {
    let response = get(site("missing"), "/no-such-file.js").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_value(&response, header::CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn paths_leaving_the_root_are_refused() {
    let root = site("traversal");
    for uri in [
        "/../secret.txt",
        "/pkg/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/pkg/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let response = get(root.clone(), uri).await;
        assert!(
            response.status().is_client_error(),
            "{uri} gave {}",
            response.status()
        );
        assert!(!body_text(response).await.contains(SECRET), "{uri}");
    }
}

fn parse(args: &[&str]) -> Result<Invocation, CliError> {
    cli::parse(args.iter().map(OsString::from))
}

#[test]
fn defaults_are_loopback_port_8000_and_www() {
    let Ok(Invocation::Serve(config)) = parse(&[]) else {
        panic!("no arguments should serve with the defaults");
    };
    assert_eq!(config.addr.to_string(), "127.0.0.1:8000");
    assert!(config.root.ends_with("www"));
    assert_eq!(config.root_label(), "www/");
}

#[test]
fn host_port_and_root_are_read_in_both_spellings() {
    let Ok(Invocation::Serve(config)) = parse(&["--host", "::1", "--port=9000", "--root", "/srv"])
    else {
        panic!("valid arguments should parse");
    };
    assert_eq!(config.addr.to_string(), "[::1]:9000");
    assert_eq!(config.root, PathBuf::from("/srv"));

    let Ok(Invocation::Serve(config)) = parse(&["--host=localhost", "--port", "0"]) else {
        panic!("valid arguments should parse");
    };
    assert_eq!(config.addr.to_string(), "127.0.0.1:0");
}

#[test]
fn help_is_recognised() {
    assert_eq!(parse(&["--help"]), Ok(Invocation::Help));
    assert_eq!(parse(&["--port", "1", "-h"]), Ok(Invocation::Help));
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    assert_eq!(
        parse(&["--port", "65536"]),
        Err(CliError::InvalidPort("65536".into()))
    );
    assert_eq!(
        parse(&["--port=-1"]),
        Err(CliError::InvalidPort("-1".into()))
    );
    assert_eq!(
        parse(&["--host", "example.com"]),
        Err(CliError::InvalidHost("example.com".into()))
    );
    assert_eq!(parse(&["--host"]), Err(CliError::MissingValue("--host")));
    assert_eq!(parse(&["--port"]), Err(CliError::MissingValue("--port")));
    assert_eq!(parse(&["--root"]), Err(CliError::MissingValue("--root")));
    assert_eq!(
        parse(&["--verbose"]),
        Err(CliError::UnknownArgument("--verbose".into()))
    );
    assert_eq!(
        parse(&["www"]),
        Err(CliError::UnknownArgument("www".into()))
    );
}

#[test]
fn errors_explain_themselves() {
    let message = parse(&["--port", "http"]).unwrap_err().to_string();
    assert!(message.contains("`http`"), "{message}");
    assert!(message.contains("0 to 65535"), "{message}");
}
