//! The examples about the loop, tasks, waiting and synchronisation, run
//! natively on the virtual clock exactly as the page runs them: what each
//! prints, at which loop time, how long it takes, and what its trace shows.

use asyncio::{Clock, TaskId, TraceEvent};
use futures::executor::block_on;
use playground::runner::{check_params, find, new_loop, run_on, RunReport};

/// Runs `id`'s `variant` with `given` parameters (the rest at defaults).
fn run(id: &str, variant: &str, given: &[(&str, f64)]) -> RunReport {
    let (example, variant) = find(id, variant).unwrap();
    let given: Vec<(String, f64)> = given.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    let params = check_params(example, &given, "").unwrap();
    let lp = new_loop(Clock::Virtual).unwrap();
    let report = block_on(run_on(&lp, variant, params, |_| {})).unwrap();
    assert!(!report.stopped);
    assert_readable_names(&report);
    report
}

/// The printed lines with their loop times.
fn lines(report: &RunReport) -> Vec<(f64, String)> {
    report
        .lines
        .iter()
        .map(|line| (line.at_ms, line.text.clone()))
        .collect()
}

/// `(ms, text)` pairs from literals.
fn expect(pairs: &[(f64, &str)]) -> Vec<(f64, String)> {
    pairs
        .iter()
        .map(|(at, text)| (*at, text.to_string()))
        .collect()
}

/// The id of the task named `name` in the trace.
fn task_named(report: &RunReport, name: &str) -> TaskId {
    report
        .trace
        .iter()
        .find_map(|record| match &record.event {
            TraceEvent::TaskRenamed { task, name: n } if n == name => Some(*task),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no task named {name:?}"))
}

/// When the task named `name` was cancelled, if it was.
fn cancelled_at(report: &RunReport, name: &str) -> Option<f64> {
    let id = task_named(report, name);
    report.trace.iter().find_map(|record| match record.event {
        TraceEvent::TaskCancelled { task } if task == id => Some(record.at_ms),
        _ => None,
    })
}

/// When the task named `name` finished with a value, if it did.
fn finished_at(report: &RunReport, name: &str) -> Option<f64> {
    let id = task_named(report, name);
    report.trace.iter().find_map(|record| match record.event {
        TraceEvent::TaskFinished { task } if task == id => Some(record.at_ms),
        _ => None,
    })
}

/// Every task but the main one is renamed to something readable, so each
/// row of the timeline says what it is.
fn assert_readable_names(report: &RunReport) {
    for record in &report.trace {
        let TraceEvent::TaskCreated {
            task,
            parent: Some(_),
            ..
        } = &record.event
        else {
            continue;
        };
        let renamed = report.trace.iter().any(|r| {
            matches!(&r.event, TraceEvent::TaskRenamed { task: t, name }
                if t == task && !name.starts_with("Task-"))
        });
        assert!(renamed, "{task} has no readable name");
    }
}

#[test]
fn return_value_prints_the_returned_string_at_once() {
    let report = run("return-value", "run", &[]);
    assert_eq!(lines(&report), expect(&[(0.0, "Hello, world!")]));
    assert_eq!(report.total_ms, 0.0);
}

#[test]
fn coroutine_vs_task_shows_the_task_pending_then_finished_with_its_result() {
    let report = run("coroutine-vs-task", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "Coroutine: execute(1), built but not started"),
            (0.0, "After calling execute"),
            (0.0, "Task: <Task pending name='execute'>"),
            (0.0, "Number: 1"),
            (0.0, "Task: <Task finished name='execute' result=1>"),
            (0.0, "After running the task"),
        ])
    );
    // "Number: 1" is printed by the task, not by main.
    let execute = task_named(&report, "execute");
    assert_eq!(report.lines[3].task, Some(execute));
    assert_eq!(report.total_ms, 0.0);
}

#[test]
fn gather_two_takes_the_longer_sleep_not_the_sum() {
    let sequential = run("gather-two", "sequential", &[]);
    assert_eq!(
        lines(&sequential),
        expect(&[
            (1000.0, "first finished"),
            (3000.0, "second finished"),
            (
                3000.0,
                r#"results: ["first after 1 s", "second after 2 s"]"#
            ),
        ])
    );
    assert_eq!(sequential.total_ms, 3000.0);

    let concurrent = run("gather-two", "concurrent", &[]);
    assert_eq!(
        lines(&concurrent),
        expect(&[
            (1000.0, "first finished"),
            (2000.0, "second finished"),
            (
                2000.0,
                r#"results: ["first after 1 s", "second after 2 s"]"#
            ),
        ])
    );
    assert_eq!(concurrent.total_ms, 2000.0);
    assert_eq!(finished_at(&concurrent, "first"), Some(1000.0));
    assert_eq!(finished_at(&concurrent, "second"), Some(2000.0));
}

#[test]
fn gather_two_returns_results_in_argument_order_whichever_ends_first() {
    let report = run(
        "gather-two",
        "concurrent",
        &[("first", 3.0), ("second", 1.0)],
    );
    assert_eq!(
        lines(&report),
        expect(&[
            (1000.0, "second finished"),
            (3000.0, "first finished"),
            (
                3000.0,
                r#"results: ["first after 3 s", "second after 1 s"]"#
            ),
        ])
    );
    assert_eq!(report.total_ms, 3000.0);
}

#[test]
fn sequential_vs_concurrent_takes_five_seconds_then_one() {
    let sequential = run("sequential-vs-concurrent", "sequential", &[]);
    let mut wanted = Vec::new();
    for n in 1..=5 {
        let start = f64::from(n - 1) * 1000.0;
        wanted.push((start, format!("job {n} started")));
        wanted.push((start + 1000.0, format!("job {n} done")));
    }
    wanted.push((5000.0, "5 jobs took 5.0 s".to_string()));
    assert_eq!(lines(&sequential), wanted);
    assert_eq!(sequential.total_ms, 5000.0);

    let concurrent = run("sequential-vs-concurrent", "concurrent", &[]);
    let mut wanted: Vec<(f64, String)> =
        (1..=5).map(|n| (0.0, format!("job {n} started"))).collect();
    wanted.extend((1..=5).map(|n| (1000.0, format!("job {n} done"))));
    wanted.push((1000.0, "5 jobs took 1.0 s".to_string()));
    assert_eq!(lines(&concurrent), wanted);
    assert_eq!(concurrent.total_ms, 1000.0);
    for n in 1..=5 {
        assert_eq!(finished_at(&concurrent, &format!("job {n}")), Some(1000.0));
    }
}

#[test]
fn sequential_vs_concurrent_follows_its_parameters() {
    let given = [("tasks", 3.0), ("delay", 2.0)];
    let sequential = run("sequential-vs-concurrent", "sequential", &given);
    assert_eq!(sequential.total_ms, 6000.0);
    assert_eq!(
        sequential.lines.last().map(|l| l.text.as_str()),
        Some("3 jobs took 6.0 s")
    );
    let concurrent = run("sequential-vs-concurrent", "concurrent", &given);
    assert_eq!(concurrent.total_ms, 2000.0);
    assert_eq!(
        concurrent.lines.last().map(|l| l.text.as_str()),
        Some("3 jobs took 2.0 s")
    );
}

#[test]
fn run_until_complete_shows_the_lifecycle_and_closing_cancels_the_straggler() {
    let report = run("run-until-complete", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "a new loop: running=false, closed=false"),
            (
                0.0,
                "its run_until_complete, from in here: cannot run an event loop \
                 from inside a running event loop; await the coroutine instead"
            ),
            (0.0, "after close(): closed=true"),
            (
                0.0,
                "the running loop: running=true, closed=false, time=0.0 s"
            ),
            (0.0, "straggler: started, needs 10 s"),
            (
                1000.0,
                "main: returning at 1.0 s; the straggler is done: false"
            ),
        ])
    );
    assert_eq!(report.total_ms, 1000.0);
    // Closing the loop after main returned cancelled the straggler.
    assert_eq!(cancelled_at(&report, "straggler"), Some(1000.0));
    assert_eq!(finished_at(&report, "straggler"), None);
    let main_end = report
        .trace
        .iter()
        .position(|r| r.event == TraceEvent::TaskFinished { task: TaskId(1) });
    let straggler = task_named(&report, "straggler");
    let straggler_end = report
        .trace
        .iter()
        .position(|r| r.event == TraceEvent::TaskCancelled { task: straggler });
    assert!(main_end < straggler_end, "main ends first, then the close");
}

#[test]
fn run_until_complete_cancels_nothing_when_nothing_is_left() {
    let report = run("run-until-complete", "run", &[("straggler", 0.5)]);
    assert_eq!(finished_at(&report, "straggler"), Some(500.0));
    assert_eq!(cancelled_at(&report, "straggler"), None);
    assert_eq!(
        report.lines.last().map(|l| l.text.as_str()),
        Some("main: returning at 1.0 s; the straggler is done: true")
    );
}

#[test]
fn create_task_starts_the_task_before_it_is_awaited() {
    let report = run("create-task", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "main: created <Task pending name='greeter'>"),
            (0.0, "main: doing other work"),
            (0.0, "greeter: started"),
            (1000.0, "greeter: finished"),
            (2000.0, "main: awaiting the greeter; done() = true"),
            (2000.0, r#"main: the greeter returned "hello""#),
        ])
    );
    assert_eq!(report.total_ms, 2000.0);
    assert_eq!(finished_at(&report, "greeter"), Some(1000.0));
}

#[test]
fn create_task_follows_its_parameters() {
    let report = run("create-task", "run", &[("delay", 3.0), ("work", 0.5)]);
    assert_eq!(finished_at(&report, "greeter"), Some(3000.0));
    assert_eq!(report.total_ms, 3000.0);
    assert_eq!(
        report.lines[3],
        asyncio::OutputLine {
            at_ms: 500.0,
            task: Some(TaskId(1)),
            text: "main: awaiting the greeter; done() = false".into(),
        }
    );
}

/// The interleaved lines two tickers print: ordered by time; at a tie the
/// slow ticker's timer, set earlier, fires first.
fn interleaved(slow: (f64, u32), fast: (f64, u32)) -> Vec<(f64, String)> {
    let mut due: Vec<(f64, u8, String)> = Vec::new();
    for (rank, name, (period_ms, ticks)) in [(0, "slow", slow), (1, "fast", fast)] {
        for tick in 0..ticks {
            let at = period_ms * f64::from(tick + 1);
            due.push((at, rank, format!("{name} {tick}")));
        }
    }
    due.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut wanted = expect(&[(0.0, "slow start"), (0.0, "fast start")]);
    wanted.extend(due.into_iter().map(|(at, _, text)| (at, text)));
    wanted
}

#[test]
fn interleaving_follows_the_deadlines_and_lasts_fifteen_seconds() {
    let report = run("interleaving", "run", &[]);
    let wanted = interleaved((1500.0, 10), (1000.0, 15));
    assert_eq!(lines(&report), wanted);
    // Spot checks against the tutorial's order.
    let texts: Vec<&str> = report.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts[2..9],
        ["fast 0", "slow 0", "fast 1", "slow 1", "fast 2", "fast 3", "slow 2"]
    );
    assert_eq!(texts.len(), 27);
    assert_eq!(report.total_ms, 15_000.0);
    assert_eq!(finished_at(&report, "slow"), Some(15_000.0));
    assert_eq!(finished_at(&report, "fast"), Some(15_000.0));
}

#[test]
fn interleaving_follows_its_parameters() {
    let given = [
        ("slow_period", 2.0),
        ("slow_ticks", 3.0),
        ("fast_period", 0.5),
        ("fast_ticks", 4.0),
    ];
    let report = run("interleaving", "run", &given);
    assert_eq!(lines(&report), interleaved((2000.0, 3), (500.0, 4)));
    assert_eq!(report.total_ms, 6000.0);
}

#[test]
fn loop_time_readings_advance_with_the_sleeps() {
    let report = run("loop-time", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "start: loop.time() = 0.000"),
            (1000.0, "slept: loop.time() = 1.000 (+1.000)"),
            (1500.0, "alarm for 1.500: loop.time() = 1.500"),
            (2000.0, "slept: loop.time() = 2.000 (+1.000)"),
            (3000.0, "slept: loop.time() = 3.000 (+1.000)"),
        ])
    );
    assert_eq!(report.total_ms, 3000.0);
    let report = run("loop-time", "run", &[("delay", 0.5), ("sleeps", 2.0)]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "start: loop.time() = 0.000"),
            (500.0, "slept: loop.time() = 0.500 (+0.500)"),
            (1000.0, "slept: loop.time() = 1.000 (+0.500)"),
        ])
    );
}

#[test]
fn wait_timeout_reports_done_and_pending_at_the_timeout_then_cancels() {
    let report = run("wait-timeout", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (2500.0, "done: job 1, job 2"),
            (2500.0, "pending: job 3, job 4"),
            (2500.0, "<Task cancelled name='job 3'>"),
            (2500.0, "<Task cancelled name='job 4'>"),
        ])
    );
    assert_eq!(report.total_ms, 2500.0);
    assert_eq!(finished_at(&report, "job 1"), Some(1000.0));
    assert_eq!(finished_at(&report, "job 2"), Some(2000.0));
    assert_eq!(cancelled_at(&report, "job 3"), Some(2500.0));
    assert_eq!(cancelled_at(&report, "job 4"), Some(2500.0));
}

#[test]
fn wait_timeout_follows_its_parameters() {
    let report = run("wait-timeout", "run", &[("tasks", 2.0), ("timeout", 5.0)]);
    assert_eq!(
        lines(&report),
        expect(&[(2000.0, "done: job 1, job 2"), (2000.0, "pending: none")])
    );
    assert_eq!(report.total_ms, 2000.0);
}

#[test]
fn wait_for_times_out_at_the_deadline_and_cancels_the_task() {
    let report = run("wait-for", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "main: waiting at most 1 s"),
            (0.0, "slow job: started, needs 2 s"),
            (1000.0, "slow job: cancelled"),
            (1000.0, "main: timed out after 1 s"),
        ])
    );
    assert_eq!(report.total_ms, 1000.0);
    assert_eq!(cancelled_at(&report, "slow job"), Some(1000.0));
    assert_eq!(finished_at(&report, "slow job"), None);
}

#[test]
fn wait_for_returns_the_result_within_the_timeout() {
    let report = run("wait-for", "run", &[("timeout", 3.0)]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "main: waiting at most 3 s"),
            (0.0, "slow job: started, needs 2 s"),
            (2000.0, "slow job: finished"),
            (2000.0, r#"main: got "the slow job's result""#),
        ])
    );
    assert_eq!(cancelled_at(&report, "slow job"), None);
}

#[test]
fn future_callbacks_print_each_answer_and_run_when_the_future_is_done() {
    let report = run("future-callbacks", "run", &[]);
    let invalid = "raised: invalid state: the future is not in a state that allows this";
    let cancelled = "raised: the future was cancelled";
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "<Future pending>: done() = false"),
            (0.0, &format!("  result() {invalid}")),
            (0.0, &format!("  exception() {invalid}")),
            (0.0, "cancel() = true"),
            (0.0, "cancel() again = false"),
            (0.0, "<Future cancelled>: done() = true"),
            (0.0, &format!("  result() {cancelled}")),
            (0.0, &format!("  exception() {cancelled}")),
            (0.0, "callback: <Future cancelled>"),
            (1000.0, r#"setter: set_result("42")"#),
            (1000.0, r#"callback: <Future finished result="42">"#),
            (1000.0, r#"<Future finished result="42">: done() = true"#),
            (1000.0, r#"  result() = "42""#),
            (1000.0, "  exception() = None"),
        ])
    );
    assert_eq!(report.total_ms, 1000.0);
    let report = run("future-callbacks", "run", &[("delay", 2.5)]);
    assert_eq!(report.total_ms, 2500.0);
    assert_eq!(finished_at(&report, "setter"), Some(2500.0));
}

#[test]
fn event_wakes_both_consumers_at_three_seconds_after_event_set() {
    let report = run("event", "run", &[]);
    assert_eq!(
        lines(&report),
        expect(&[
            (0.0, "consumer A waiting"),
            (0.0, "consumer B waiting"),
            (3000.0, "event set"),
            (3000.0, "consumer A triggered"),
            (3000.0, "consumer B triggered"),
        ])
    );
    assert_eq!(report.total_ms, 3000.0);
    assert_eq!(finished_at(&report, "consumer A"), Some(3000.0));
    assert_eq!(finished_at(&report, "consumer B"), Some(3000.0));
}

#[test]
fn event_follows_its_parameters() {
    let report = run("event", "run", &[("consumers", 3.0), ("delay", 1.0)]);
    let texts: Vec<(f64, String)> = lines(&report);
    assert_eq!(texts.len(), 7);
    assert_eq!(texts[3], (1000.0, "event set".to_string()));
    assert_eq!(texts[6], (1000.0, "consumer C triggered".to_string()));
    assert_eq!(report.total_ms, 1000.0);
}

#[test]
fn the_compared_examples_have_both_variants() {
    for id in ["gather-two", "sequential-vs-concurrent"] {
        let example = playground::examples::find(id).unwrap();
        assert!(example.comparable(), "{id}");
        assert_eq!(example.variants.len(), 2, "{id}");
    }
    for id in [
        "return-value",
        "coroutine-vs-task",
        "run-until-complete",
        "create-task",
        "interleaving",
        "loop-time",
        "wait-timeout",
        "wait-for",
        "future-callbacks",
        "event",
    ] {
        let example = playground::examples::find(id).unwrap();
        let ids: Vec<&str> = example.variants.iter().map(|v| v.id).collect();
        assert_eq!(ids, ["run"], "{id}");
    }
}

#[test]
fn the_shown_sources_are_the_files_that_run() {
    let gather = playground::examples::find("gather-two").unwrap();
    assert!(gather
        .rust_source
        .contains("pub async fn concurrent(params: Params)"));
    assert!(gather.python_source.contains("asyncio.gather"));
    let event = playground::examples::find("event").unwrap();
    assert!(event.rust_source.contains("call_later_secs"));
    assert!(event.python_source.contains("call_later"));
}
