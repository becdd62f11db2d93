//! The command-line runner: `asyncio-python program.py [--times]`.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn program(name: &str, source: &str) -> PathBuf {
    // Cargo's scratch directory for integration tests, under the target
    // directory: nothing is left in the system's temporary directory.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("asyncio-python-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    path
}

fn runner(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asyncio-python"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const HELLO: &str = "import asyncio\n\nasync def main():\n    print('Hello')\n    await asyncio.sleep(1.5)\n    print('World')\n\nasyncio.run(main())\n";

#[test]
fn it_prints_what_the_program_prints() {
    let path = program("hello.py", HELLO);
    let out = runner(&[path.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "Hello\nWorld\n");
}

#[test]
fn times_prefixes_each_line_with_its_loop_time() {
    let path = program("hello_times.py", HELLO);
    let out = runner(&["--times", path.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "[0.000 s] Hello\n[1.500 s] World\n");
}

#[test]
fn an_uncaught_exception_prints_its_traceback_and_fails() {
    let path = program(
        "boom.py",
        "def f():\n    raise ValueError('boom')\n\nprint('before')\nf()\n",
    );
    let out = runner(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let file = path.to_str().unwrap();
    assert_eq!(
        text(&out.stderr),
        format!(
            "Traceback (most recent call last):\n  File \"{file}\", line 5, in <module>\n    f()\n  File \"{file}\", line 2, in f\n    raise ValueError('boom')\nValueError: boom\n"
        )
    );
}

#[test]
fn a_syntax_error_is_reported_with_its_place() {
    let path = program("bad.py", "print('ok')\nif True print('no')\n");
    let out = runner(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(stderr.contains(", line 2\n"), "{stderr}");
    assert!(stderr.contains("SyntaxError: "), "{stderr}");
}

#[test]
fn bad_arguments_are_refused_with_the_usage() {
    let out = runner(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("usage: asyncio-python"));
    let out = runner(&["/no/such/program.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read /no/such/program.py"));
    let out = runner(&["--max-steps", "many", "x.py"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_step_budget_can_be_set() {
    let path = program("spin.py", "while True:\n    pass\n");
    let out = runner(&["--max-steps", "1000", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("BudgetExceeded: the program ran for more than 1000 steps"));
}
