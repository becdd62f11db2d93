// A run as Chrome's Trace Event Format (the JSON object form), which
// Perfetto and Chromium's own trace viewers open: each run is a process,
// each task a thread of it (a track named after the task, in creation
// order), its running, waiting and ready spans complete events (`ph: "X"`)
// on that track, prints, timers, I/O, cancellations and warnings instant
// events (`ph: "i"`), and each executor worker lane a track of its own with
// its jobs. Times are microseconds of loop time.
//
// It reads runs as the timeline draws them: `{ label, model (TraceModel),
// end (ms) }`.

// Thread ids of worker lanes, above any task's.
const LANE_TID_BASE = 1_000_000_000;

function micro(ms) {
  return Math.round(ms * 1000);
}

const SPAN_NAMES = { running: "running", ready: "ready" };

// `runs` and what they ran (`{ example, mode, clock }`) as a Trace Event
// Format object.
export function chromeTrace(runs, { example, mode, clock }) {
  const traceEvents = [];
  runs.forEach((run, r) => {
    const pid = r + 1;
    const meta = (name, tid, args) => traceEvents.push({ name, ph: "M", pid, tid, ts: 0, args });
    meta("process_name", 0, { name: runs.length > 1 ? `${example}: ${run.label}` : example });
    meta("process_sort_index", 0, { sort_index: r });
    const model = run.model;
    const end = run.end ?? model.lastT;
    let order = 0;
    for (const task of model.tasks.values()) {
      const tid = task.id;
      meta("thread_name", tid, { name: task.name });
      meta("thread_sort_index", tid, { sort_index: order });
      order += 1;
      for (const span of model.spansOf(task, end)) {
        const waiting = span.state === "waiting";
        traceEvents.push({
          name: waiting ? `waiting on ${span.on}` : SPAN_NAMES[span.state],
          cat: span.state,
          ph: "X",
          ts: micro(span.from),
          dur: micro(span.to) - micro(span.from),
          pid,
          tid,
          args: waiting ? { task: task.name, on: span.on } : { task: task.name },
        });
      }
    }
    let lane = 0;
    for (const [key, { name }] of model.lanes) {
      const tid = LANE_TID_BASE + (key === "inline" ? 0 : Number(key) + 1);
      meta("thread_name", tid, { name });
      meta("thread_sort_index", tid, { sort_index: order + lane });
      lane += 1;
      for (const span of model.laneSpans(model.lanes.get(key), end)) {
        traceEvents.push({
          name: span.on,
          cat: "job",
          ph: "X",
          ts: micro(span.from),
          dur: micro(span.to) - micro(span.from),
          pid,
          tid,
          args: span.outcome ? { outcome: span.outcome } : {},
        });
      }
    }
    const instant = (name, cat, t, task, args) => {
      const onTrack = task !== null && model.tasks.has(task);
      traceEvents.push({
        name,
        cat,
        ph: "i",
        ts: micro(t),
        pid,
        tid: onTrack ? task : 0,
        s: onTrack ? "t" : "p",
        args,
      });
    };
    for (const marker of model.markers) {
      const name = marker.kind === "print" ? "print" : marker.text;
      instant(name, marker.kind, marker.t, marker.task, { text: marker.text });
    }
    for (const warning of model.warnings) {
      instant(warning.warning, "warning", warning.t, warning.task, { message: warning.message });
    }
  });
  return {
    traceEvents,
    displayTimeUnit: "ms",
    otherData: { generator: "asyncio playground", example, mode: mode ?? "", clock },
  };
}
