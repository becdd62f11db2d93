//! Errors as data an editor can mark, and older tutorial code that runs as
//! Python 3.7 ran it, with one notice per construct.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use asyncio_python::Stream;

#[test]
fn a_syntax_error_gives_its_line_column_and_message() {
    let report = common::run("x = 1\ndef f(:\n    pass\n");
    let error = report.error.expect("a syntax error");
    assert_eq!(error.kind, "SyntaxError");
    assert_eq!((error.line, error.column), (Some(2), Some(7)));
    assert!(!error.message.is_empty());
    assert_eq!(error.frames.len(), 1);
    assert_eq!(error.frames[0].text.as_deref(), Some("def f(:"));
    assert!(error
        .text
        .starts_with("  File \"main.py\", line 2\n    def f(:\n          ^\nSyntaxError: "));
    assert_eq!(report.lines, []);
}

#[test]
fn an_uncaught_exception_in_a_task_gives_its_frames() {
    let program = "\
import asyncio

async def inner():
    await asyncio.sleep(1)
    raise KeyError('missing')

async def main():
    await asyncio.create_task(inner())

asyncio.run(main())
";
    let report = common::run(program);
    let error = report.error.expect("it raised");
    assert_eq!(error.kind, "KeyError");
    assert_eq!(error.message, "'missing'");
    assert_eq!(error.line, Some(5));
    let frames: Vec<(String, u32)> = error
        .frames
        .iter()
        .map(|f| (f.name.clone(), f.line))
        .collect();
    assert_eq!(
        frames,
        [
            ("<module>".to_string(), 10),
            ("main".to_string(), 8),
            ("inner".to_string(), 5)
        ]
    );
    assert!(
        error
            .text
            .ends_with("    raise KeyError('missing')\nKeyError: 'missing'\n"),
        "{}",
        error.text
    );
    assert!(
        !error.text.contains("<asyncio>"),
        "the runtime's own frames are left out"
    );
}

#[test]
fn a_cancelled_main_is_reported_as_cpython_names_it() {
    let program = "\
import asyncio

async def main():
    asyncio.current_task().cancel()
    await asyncio.sleep(1)

asyncio.run(main())
";
    let error = common::run(program).error.expect("it was cancelled");
    assert_eq!(error.kind, "asyncio.exceptions.CancelledError");
}

#[test]
fn older_tutorial_code_runs_with_one_notice_per_construct() {
    let program = "\
import asyncio

async def job(n):
    await asyncio.sleep(n)
    print('job', n, 'done')
    return n

loop = asyncio.get_event_loop()
tasks = [asyncio.ensure_future(job(2)), job(1)]
done, pending = loop.run_until_complete(asyncio.wait(tasks))
print(sorted(t.result() for t in done), len(pending))
loop.run_until_complete(asyncio.wait([job(1), job(1)]))
print(asyncio.get_event_loop() is loop)
loop.close()
";
    let report = common::run(program);
    assert!(report.ok(), "{:?}", report.error);
    assert_eq!(
        report.stdout(),
        "job 1 done\njob 2 done\n[1, 2] 0\njob 1 done\njob 1 done\nTrue\n"
    );
    let notices: Vec<&str> = report.notices.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].starts_with("asyncio.get_event_loop() outside a running loop"));
    assert!(notices[0].contains("asyncio.run(main())"));
    assert!(notices[1].contains("asyncio.create_task(coroutine)"));
    assert!(notices[2].contains("asyncio.wait() was given coroutines"));
    let noticed: Vec<&str> = report
        .lines
        .iter()
        .filter(|l| l.stream == Stream::Notice)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        noticed.len(),
        3,
        "the notices are lines too, in order, kept out of stdout"
    );
    assert!(noticed[0].starts_with("notice: asyncio.get_event_loop()"));
    assert_eq!(report.total_ms, 3000.0);
}

#[test]
fn sys_exit_ends_a_program_as_in_cpython() {
    let report = common::run("import sys\nprint('bye')\nsys.exit()\nprint('never')\n");
    assert!(report.ok(), "{:?}", report.error);
    assert_eq!(report.stdout(), "bye\n");
    let report = common::run("import sys\nsys.exit(3)\n");
    let error = report.error.expect("a non-zero exit is an error");
    assert_eq!(
        (error.kind.as_str(), error.message.as_str()),
        ("SystemExit", "3")
    );
}
