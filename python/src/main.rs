//! `asyncio-python program.py [--times]`: runs a Python program natively on
//! the virtual clock and prints what it prints.

use std::process::ExitCode;

use asyncio_python::{Engine, RunOptions, Stream};

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: asyncio_python::BudgetAllocator = asyncio_python::BudgetAllocator::new();

const USAGE: &str =
    "usage: asyncio-python [--times] [--max-steps N] [--max-memory-mb N] program.py";

fn main() -> ExitCode {
    let mut times = false;
    let mut path = None;
    let mut options = RunOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--times" => times = true,
            "--max-steps" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.max_steps = n,
                None => return usage("--max-steps needs a whole number"),
            },
            "--max-memory-mb" => match args.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => options.max_memory = n << 20,
                None => return usage("--max-memory-mb needs a whole number"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if path.is_none() && !other.starts_with("--") => path = Some(other.to_string()),
            other => return usage(&format!("unexpected argument '{other}'")),
        }
    }
    let Some(path) = path else {
        return usage("no program given");
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(err) => {
            eprintln!("asyncio-python: cannot read {path}: {err}");
            return ExitCode::from(2);
        }
    };
    options.filename = path;
    // A single allocation past twice the budget is refused outright.
    asyncio_python::BudgetAllocator::set_ceiling(options.max_memory.saturating_mul(2));
    // Deep recursion needs a deep stack: the program runs on its own thread.
    let runner = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let engine = Engine::new();
            asyncio_python::run_program(&engine, &source, &options)
        });
    let report = match runner.map(|handle| handle.join()) {
        Ok(Ok(report)) => report,
        _ => {
            eprintln!("asyncio-python: the interpreter stopped unexpectedly");
            return ExitCode::from(70);
        }
    };
    for line in &report.lines {
        let text = if times {
            format!("[{:.3} s] {}", line.at_ms / 1000.0, line.text)
        } else {
            line.text.clone()
        };
        match line.stream {
            Stream::Stdout => println!("{text}"),
            Stream::Stderr | Stream::Notice => eprintln!("{text}"),
        }
    }
    match report.error {
        // sys.exit(n) exits with n; sys.exit("text") prints the text.
        Some(error) if error.kind == "SystemExit" => match error.message.parse::<u8>() {
            Ok(code) => ExitCode::from(code),
            Err(_) => {
                eprintln!("{}", error.message);
                ExitCode::FAILURE
            }
        },
        Some(error) => {
            eprint!("{}", error.text);
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("asyncio-python: {problem}\n{USAGE}");
    ExitCode::from(2)
}
