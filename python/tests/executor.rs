//! Executor jobs: module-level functions found by name in the program's
//! own source, run as CPython's spawn start method runs them (natively on
//! the runtime's inline executor); what cannot be found by name fails as
//! pickling does.
#![cfg(not(target_arch = "wasm32"))]

mod common;

const PROGRAM: &str = "\
import asyncio
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

print('module body runs as', __name__)

def square(x):
    return {'n': x, 'square': x * x}

def fail(message):
    raise ValueError(message)

async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as pool:
        print(await loop.run_in_executor(pool, square, 7))
        try:
            await loop.run_in_executor(pool, fail, 'bad input')
        except ValueError as err:
            print('ValueError:', err)
        for job in (lambda x: x, ):
            try:
                await loop.run_in_executor(pool, job, 1)
            except AttributeError as err:
                print('AttributeError:', err)
    with ThreadPoolExecutor() as pool:
        print(await loop.run_in_executor(pool, lambda: 'a thread job'))
    print(await loop.run_in_executor(None, square, 3))

if __name__ == '__main__':
    asyncio.run(main())
";

#[test]
fn jobs_run_by_name_and_what_cannot_be_pickled_fails_as_in_cpython() {
    let report = common::run(PROGRAM);
    assert!(report.ok(), "{:?}", report.error);
    assert_eq!(
        report.stdout(),
        "module body runs as __main__\n\
         {'n': 7, 'square': 49}\n\
         ValueError: bad input\n\
         AttributeError: Can't pickle local object 'main.<locals>.<lambda>'\n\
         a thread job\n\
         {'n': 3, 'square': 9}\n"
    );
    let notices: Vec<&str> = report.notices.iter().map(|n| n.text.as_str()).collect();
    assert!(
        notices.iter().any(|n| n.starts_with("no Web Workers here")),
        "{notices:?}"
    );
}
