//! The catalogue as a whole: every entry is well formed, and every example
//! that needs neither the dev server nor a browser runs natively on the
//! virtual clock with its default parameters.

use asyncio::Clock;
use futures::executor::block_on;
use playground::examples::catalogue;
use playground::runner::{self, check_params, RunnerError};

#[test]
fn ids_are_unique_and_entries_complete() {
    let mut ids: Vec<&str> = catalogue().iter().map(|e| e.id).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "duplicate ids");
    for example in catalogue() {
        assert!(!example.title.is_empty(), "{}", example.id);
        assert!(
            example.explanation.len() > 80,
            "{}: explain it in a paragraph",
            example.id
        );
        assert!(example.python_source.contains("asyncio"), "{}", example.id);
        assert!(!example.variants.is_empty(), "{}", example.id);
        for param in example.params {
            assert!(
                param.min <= param.default && param.default <= param.max,
                "{}",
                param.name
            );
            assert!(param.step > 0.0, "{}", param.name);
        }
        let shown = example.rust_source;
        assert!(
            shown.contains("pub async fn"),
            "{}: the shown source is the code that runs",
            example.id
        );
    }
}

#[test]
fn out_of_range_parameters_are_refused_with_the_range() {
    for example in catalogue() {
        for param in example.params {
            let above = vec![(param.name.to_string(), param.max + param.step)];
            let err = check_params(example, &above, "").unwrap_err();
            let RunnerError::BadParam { message, .. } = &err else {
                panic!("{}: {err:?}", example.id)
            };
            assert!(
                message.contains(&format!("between {} and {}", param.min, param.max)),
                "{message}"
            );
            let nan = vec![(param.name.to_string(), f64::NAN)];
            assert!(check_params(example, &nan, "").is_err());
        }
        let unknown = vec![("nonsense".to_string(), 1.0)];
        assert!(matches!(
            check_params(example, &unknown, ""),
            Err(RunnerError::UnknownParam { .. })
        ));
    }
}

#[test]
fn every_local_example_runs_on_the_virtual_clock() {
    playground::jobs::register_jobs();
    for example in catalogue() {
        if example.needs.server || example.needs.browser {
            continue;
        }
        for variant in example.variants {
            let params = check_params(example, &[], "http://127.0.0.1:8000").unwrap();
            let lp = runner::new_loop(Clock::Virtual).unwrap();
            let report = block_on(runner::run_on(&lp, variant, params, |_| {}))
                .unwrap_or_else(|err| panic!("{} / {}: {err}", example.id, variant.id));
            assert!(
                !report.lines.is_empty(),
                "{} / {} printed nothing",
                example.id,
                variant.id
            );
            assert!(!report.stopped);
        }
    }
}

#[test]
fn the_io_examples_are_the_network_executor_and_loop_ones() {
    let io: Vec<&str> = catalogue()
        .iter()
        .filter(|e| e.in_io_module())
        .map(|e| e.id)
        .collect();
    assert_eq!(
        io,
        [
            "executor",
            "blocking-vs-offloaded",
            "http-concurrent",
            "http-gather",
            "websocket-echo",
            "loop-backends"
        ],
        "the page's first module is built without exactly these"
    );
    // A module built without them refuses them, with a message naming the
    // module that runs them.
    for example in catalogue().iter().filter(|e| e.in_io_module()) {
        let found = runner::find(example.id, example.variants[0].id);
        if playground::catalogue::HAS_IO_EXAMPLES {
            assert!(found.is_ok(), "{} runs here", example.id);
        } else {
            assert!(
                matches!(found, Err(RunnerError::InIoModule(ref id)) if id == example.id),
                "{} is refused here",
                example.id
            );
        }
    }
}
