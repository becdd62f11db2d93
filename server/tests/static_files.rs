//! The static file service and the command line, called without a socket.

use std::ffi::OsString;
use std::fs;
use std::io::{Read, Write};
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
    get_with(root, uri, &[]).await
}

async fn get_with(root: PathBuf, uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
    let config = Config {
        root,
        ..Config::default()
    };
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::empty()).expect("a valid request");
    app(&config)
        .oneshot(request)
        .await
        .expect("the router never fails")
}

async fn body_text(response: Response<Body>) -> String {
    String::from_utf8_lossy(&body_bytes(response).await).into_owned()
}

async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .expect("read the body")
        .to_bytes()
        .to_vec()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .expect("valid brotli");
    out
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

/// A module of `n` bytes that compresses, with the build's copies beside
/// it: `.gz` and `.br` of other bytes, so a test tells which was sent.
fn precompressed_module(root: &Path, n: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let module: Vec<u8> = (0..n).map(|i| b"asyncio"[i % 7]).collect();
    let as_gz = b"sent from the gzip copy".to_vec();
    let as_br = b"sent from the brotli copy".to_vec();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&as_gz).expect("gzip to memory");
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        writer.write_all(&as_br).expect("brotli to memory");
    }
    fs::write(root.join("pkg/big_bg.wasm"), &module).expect("write the module");
    fs::write(root.join("pkg/big_bg.wasm.gz"), gz.finish().expect("gzip")).expect("write .gz");
    fs::write(root.join("pkg/big_bg.wasm.br"), br).expect("write .br");
    (module, as_gz, as_br)
}

#[tokio::test]
async fn the_build_s_copies_go_to_browsers_that_accept_them() {
    let root = site("precompressed");
    let (module, as_gz, as_br) = precompressed_module(&root, 4096);
    let uri = "/pkg/big_bg.wasm";
    let cases: [(&str, &str, &[u8]); 4] = [
        ("gzip, deflate, br, zstd", "br", &as_br),
        ("gzip", "gzip", &as_gz),
        ("identity", "", &module),
        ("", "", &module),
    ];
    for (accepted, encoding, sent) in cases {
        let headers: &[(&str, &str)] = if accepted.is_empty() {
            &[]
        } else {
            &[("accept-encoding", accepted)]
        };
        let response = get_with(root.clone(), uri, headers).await;
        assert_eq!(response.status(), StatusCode::OK, "{accepted}");
        assert_eq!(
            header_value(&response, header::CONTENT_TYPE),
            "application/wasm",
            "{accepted}"
        );
        assert_eq!(
            header_value(&response, header::CONTENT_ENCODING),
            encoding,
            "{accepted}"
        );
        assert_eq!(
            header_value(&response, header::VARY),
            "accept-encoding",
            "{accepted}"
        );
        let body = body_bytes(response).await;
        let decoded = match encoding {
            "br" => unbrotli(&body),
            "gzip" => gunzip(&body),
            _ => body,
        };
        assert_eq!(decoded, sent, "{accepted}");
    }
}

#[tokio::test]
async fn files_without_copies_are_compressed_as_they_are_sent() {
    let root = site("on-the-fly");
    let page = format!("{INDEX}{}", "<p>a paragraph of the page</p>".repeat(40));
    fs::write(root.join("index.html"), &page).expect("write index.html");
    for (accepted, encoding) in [("gzip", "gzip"), ("br;q=1, gzip;q=0.5", "br")] {
        let response = get_with(root.clone(), "/", &[("accept-encoding", accepted)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header_value(&response, header::CONTENT_ENCODING), encoding);
        assert!(header_value(&response, header::CONTENT_TYPE).starts_with("text/html"));
        assert!(
            !header_value(&response, header::CONTENT_SECURITY_POLICY).is_empty(),
            "the page keeps its policy"
        );
        let body = body_bytes(response).await;
        assert!(body.len() < page.len() / 4, "{} bytes", body.len());
        let decoded = if encoding == "br" {
            unbrotli(&body)
        } else {
            gunzip(&body)
        };
        assert_eq!(String::from_utf8(decoded).expect("UTF-8"), page);
    }
    let plain = get(root, "/").await;
    assert_eq!(header_value(&plain, header::CONTENT_ENCODING), "");
    assert_eq!(body_text(plain).await, page);
}

#[tokio::test]
async fn a_range_is_of_the_representation_sent() {
    let root = site("ranges");
    let (module, ..) = precompressed_module(&root, 4096);
    let br_len = fs::metadata(root.join("pkg/big_bg.wasm.br"))
        .expect("the copy")
        .len();
    let headers = [("accept-encoding", "br"), ("range", "bytes=0-9")];
    let copy = get_with(root.clone(), "/pkg/big_bg.wasm", &headers).await;
    assert_eq!(copy.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header_value(&copy, header::CONTENT_ENCODING), "br");
    assert_eq!(
        header_value(&copy, header::CONTENT_RANGE),
        format!("bytes 0-9/{br_len}")
    );
    let page = format!("{INDEX}{}", "<p>more of the page</p>".repeat(40));
    fs::write(root.join("index.html"), &page).expect("write index.html");
    let headers = [("accept-encoding", "gzip"), ("range", "bytes=0-9")];
    let plain = get_with(root.clone(), "/index.html", &headers).await;
    assert_eq!(plain.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header_value(&plain, header::CONTENT_ENCODING), "");
    assert_eq!(body_bytes(plain).await, page.as_bytes()[..10]);
    // Without a range, the module itself is whole.
    let whole = get(root, "/pkg/big_bg.wasm").await;
    assert_eq!(body_bytes(whole).await, module);
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
